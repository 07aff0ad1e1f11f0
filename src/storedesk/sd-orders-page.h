/* sd-orders-page.h — My Orders: a member's orders, or the guest orders
 * this computer remembers; one order's detail, memo and cancel. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDERS_PAGE (sd_orders_page_get_type ())
G_DECLARE_FINAL_TYPE (SdOrdersPage, sd_orders_page, SD, ORDERS_PAGE, SdPage)

/* Loads the list again (the member's, or the guest's from the keyring). */
void        sd_orders_page_reload     (SdOrdersPage *self);
/* "loading", "empty", "error", "list" or "detail". */
const char *sd_orders_page_get_state  (SdOrdersPage *self);
GListModel *sd_orders_page_get_orders (SdOrdersPage *self);
/* Opens one order of the list. */
void        sd_orders_page_show_order (SdOrdersPage *self,
                                       SdOrder      *order);
/* A guest order by its number and key (what Find does). */
void        sd_orders_page_find       (SdOrdersPage *self,
                                       const char   *number,
                                       const char   *key);
/* Cancels the order shown, without asking (the button asks first). */
void        sd_orders_page_cancel_shown (SdOrdersPage *self);

G_END_DECLS
