/* sd-window.h — the main window: sections and categories beside the page
 * they show (the shop's grid, a product, the cart, checkout, orders,
 * the account). */
#pragma once

#include <adwaita.h>

#include "sd-application.h"
#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())
G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow   *sd_window_new              (SdApplication *application);
/* The shop the window shows: it follows every connect of it. */
void        sd_window_set_shop         (SdWindow      *self,
                                        SdShop        *shop);
/* Shows the "shop unreachable" page with this message and a retry. */
void        sd_window_show_error       (SdWindow      *self,
                                        const char    *message);
SdApi      *sd_window_get_api          (SdWindow      *self);
SdCatalog  *sd_window_get_catalog      (SdWindow      *self);
SdCart     *sd_window_get_cart         (SdWindow      *self);
SdSession  *sd_window_get_session      (SdWindow      *self);
SdUploadQueue *sd_window_get_uploads   (SdWindow      *self);
/* The shop's grid: "loading", "products", "empty" or "error". */
const char *sd_window_get_state        (SdWindow      *self);
/* The demo shop shows its accounts on the sign-in form. */
void        sd_window_set_orders_watcher (SdWindow        *self,
                                          SdOrdersWatcher *watcher);
void        sd_window_set_demo         (SdWindow      *self,
                                        gboolean       demo);

/* "shop", "product", "cart", "checkout", "orders", "account", "photos",
 * or for staff "staff-orders". */
void        sd_window_show_section     (SdWindow      *self,
                                        const char    *section);
const char *sd_window_get_section      (SdWindow      *self);
/* The page widget of a section (SdCartPage for "cart", …). */
GtkWidget  *sd_window_get_page         (SdWindow      *self,
                                        const char    *section);
void        sd_window_show_product     (SdWindow      *self,
                                        SdProduct     *product);
/* Adds to the cart, with a toast that offers Undo. */
void        sd_window_add_to_cart      (SdWindow      *self,
                                        SdProduct     *product,
                                        const char    *option,
                                        guint          count);

G_END_DECLS
