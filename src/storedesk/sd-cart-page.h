/* sd-cart-page.h — the cart: lines with quantities, totals, Check Out. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_CART_PAGE (sd_cart_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCartPage, sd_cart_page, SD, CART_PAGE, SdPage)

/* Signal "remove" (guint position): the user asked to remove a line (the
 * window takes it out and offers Undo). */

G_END_DECLS
