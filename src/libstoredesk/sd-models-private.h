/* sd-models-private.h — building models from the wire, inside libstoredesk. */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-category.h"
#include "sd-order.h"
#include "sd-product.h"
#include "sd-user.h"

G_BEGIN_DECLS

/* What a line of a cart (SdCartLine) or of an order (SdOrderLine) holds:
 * the same fields for both. */
typedef struct {
  char   *product_id;
  char   *name;
  char   *image;
  char   *option;
  gint64  price;
  guint   count;
} SdLine;
/* Frees the strings (sd-order.c). */
void        sd_line_clear             (SdLine    *line);

/* Tolerant of the original's variations (a price sent as a string,
 * options null, absent or an object, missing timestamps) and strict about
 * what matters: an object with a non-empty string _id and a name. */
SdCategory *sd_category_new_from_json (JsonNode  *node,
                                       GError   **error);
SdProduct  *sd_product_new_from_json  (JsonNode  *node,
                                       GError   **error);
SdProduct  *sd_product_new_placeholder (void);
/* NULL for null, absent or unusable options (no name): no option. */
SdOption   *sd_option_new_from_json   (JsonNode  *node);
SdUser     *sd_user_new_from_json     (JsonNode  *node,
                                       GError   **error);
SdOrder    *sd_order_new_from_json    (JsonNode  *node,
                                       GError   **error);
/* Takes newer's fields (the same order, as the shop has it now) and
 * notifies those that changed, so views bound to self follow. */
void        sd_order_update           (SdOrder   *self,
                                       SdOrder   *newer);
/* The shop cancelled it (SD_ORDER_STATUS_CANCELLED); notifies. */
void        sd_order_mark_cancelled   (SdOrder   *self);
void        sd_order_set_access_key   (SdOrder   *self,
                                       const char *access_key);
/* What this computer kept about the order (sd-order-records-private.h),
 * or NULL: line options become the values chosen (or none, never the
 * original's option ids), and a receiver the shop lacks comes from it. */
void        sd_order_apply_record     (SdOrder   *self,
                                       JsonObject *record);
/* The order as this computer kept it (the shop's answer when it was
 * placed, with what was sent), for when the shop will not show it. */
SdOrder    *sd_order_new_from_record  (JsonObject *record);

/* One model from the wire (sd_category_new_from_json and the like). */
typedef GObject *(*SdFromJson) (JsonNode *node, GError **error);

/* data, which must be a JSON array, as one model per element (a
 * GPtrArray that owns them); NULL with the error of the first bad one. */
GPtrArray  *sd_json_to_models   (JsonNode    *data,
                                 SdFromJson   from_json,
                                 const char  *what,
                                 GError     **error);
/* The same as a GListStore of type, filled in one items-changed. */
GListModel *sd_json_to_store    (JsonNode    *data,
                                 GType        type,
                                 SdFromJson   from_json,
                                 const char  *what,
                                 GError     **error);

/* Shared helpers for the parsers. */
const char *sd_json_get_string  (JsonObject  *object,
                                 const char  *member);
gboolean    sd_json_get_integer (JsonObject  *object,
                                 const char  *member,
                                 gint64      *out_value);
GError     *sd_json_bad_field   (const char  *what,
                                 const char  *member);

G_END_DECLS
