/* sd-cart-page.h — the cart: lines with quantities, totals, Check Out. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_CART_PAGE (sd_cart_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCartPage, sd_cart_page, SD, CART_PAGE, GtkWidget)

void sd_cart_page_set_cart (SdCartPage *self,
                            SdApi      *api,
                            SdCart     *cart);

/* Signal "remove" (guint position): the user asked to remove a line (the
 * window takes it out and offers Undo). */

G_END_DECLS
