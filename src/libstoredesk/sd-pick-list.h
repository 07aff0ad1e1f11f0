/* sd-pick-list.h — a pick & pack run's list: every product and option of
 * the run's orders summed, grouped by the products' categories.
 *
 * An order line names its product (id, name, option, count) but not its
 * category: that comes from the products the app knows (the shop's
 * product list, else the ones the app has shown: its catalog). A product
 * found nowhere, or whose category is not known, goes to one last group
 * without a name (the caller labels it, "Other"). Groups are sorted by
 * name, lines by product name, then option (none first). */
#pragma once

#include "sd-admin.h"
#include "sd-order.h"

G_BEGIN_DECLS

typedef struct {
  char  *product_id;
  char  *name;       /* the line's, else the product's, else its id */
  char  *option;     /* the value chosen; NULL: none (or not known) */
  guint  count;      /* Σ over the run's orders */
  guint  n_orders;   /* how many of them have it */
} SdPickLine;

typedef struct {
  char      *category_id;   /* NULL: the group of products not placed */
  char      *name;          /* NULL: the same */
  GPtrArray *lines;         /* SdPickLine */
} SdPickGroup;

#define SD_TYPE_PICK_LIST (sd_pick_list_get_type ())
G_DECLARE_FINAL_TYPE (SdPickList, sd_pick_list, SD, PICK_LIST, GObject)

/* The list of orders (SdOrder): a cancelled order is left out of the run
 * (and counted). products (SdProduct) and categories (SdCategory) may be
 * NULL or empty: then every line is in the unnamed group. */
SdPickList *sd_pick_list_new            (GPtrArray   *orders,
                                         GListModel  *products,
                                         GListModel  *categories);
/* The same, with the products and categories read through admin: every
 * product of the shop, page by page, else known (SdProduct, may be NULL:
 * what the app has shown); the categories, else the ones its local store
 * keeps. Never fails for want of them, only when cancelled. */
void        sd_pick_list_load_async     (SdAdmin            *admin,
                                         GListModel         *known,
                                         GPtrArray          *orders,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
SdPickList *sd_pick_list_load_finish    (GAsyncResult       *result,
                                         GError            **error);

/* The orders of the run (SdOrder), in the order given. */
GPtrArray  *sd_pick_list_get_orders     (SdPickList *self);
/* The cancelled orders given and left out. */
guint       sd_pick_list_get_n_left_out (SdPickList *self);
guint       sd_pick_list_get_n_groups   (SdPickList *self);
const SdPickGroup *sd_pick_list_get_group (SdPickList *self,
                                           guint       index);
/* Lines over every group, and the items they sum to. */
guint       sd_pick_list_get_n_lines    (SdPickList *self);
guint       sd_pick_list_get_n_items    (SdPickList *self);

/* Where a pick & pack run takes an order: the next step of fulfilment in
 * the contract's order, paid → preparing shipment → shipping → delivered.
 * FALSE (no next: left as it is) for an order awaiting payment (packing
 * does not take the money), delivered (purchase confirmed is the
 * customer's word), confirmed or cancelled. */
gboolean    sd_pick_list_next_status    (SdOrderStatus  status,
                                         SdOrderStatus *out_next);

G_END_DECLS
