/* sd-checkout-page.h — where to ship, a note, Place Order, and the result. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKOUT_PAGE (sd_checkout_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCheckoutPage, sd_checkout_page, SD, CHECKOUT_PAGE, SdPage)

/* Shows the form again (after an earlier order), the receiver filled in
 * from the member's profile where the fields are empty. */
void        sd_checkout_page_start    (SdCheckoutPage *self);
/* "form", "placing" or "done". */
const char *sd_checkout_page_get_state (SdCheckoutPage *self);
/* The order last placed here, or NULL. */
SdOrder    *sd_checkout_page_get_order (SdCheckoutPage *self);

/* Signal "placed" (SdOrder *order): the shop confirmed an order. */

G_END_DECLS
