/* sd-product-page.h — one product, large, with its option and quantity. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_PRODUCT_PAGE (sd_product_page_get_type ())
G_DECLARE_FINAL_TYPE (SdProductPage, sd_product_page, SD, PRODUCT_PAGE, SdPage)

void       sd_product_page_set_product (SdProductPage *self,
                                        SdProduct     *product);
SdProduct *sd_product_page_get_product (SdProductPage *self);
/* The option value chosen (NULL without an option) and the quantity. */
const char *sd_product_page_get_option (SdProductPage *self);
void        sd_product_page_set_count  (SdProductPage *self,
                                        guint          count);

/* Signal "add" (SdProduct *product, const char *option, guint count):
 * the user pressed Add to Cart. */

G_END_DECLS
