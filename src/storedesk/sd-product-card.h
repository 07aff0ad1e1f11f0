/* sd-product-card.h — one product in the grid. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_PRODUCT_CARD (sd_product_card_get_type ())
G_DECLARE_FINAL_TYPE (SdProductCard, sd_product_card, SD, PRODUCT_CARD, GtkWidget)

GtkWidget *sd_product_card_new         (SdApi         *api);
/* NULL unbinds; a pending thumbnail load is cancelled. */
void       sd_product_card_set_product (SdProductCard *self,
                                        SdProduct     *product);
SdProduct *sd_product_card_get_product (SdProductCard *self);
/* TRUE once the thumbnail is shown. */
gboolean   sd_product_card_has_image   (SdProductCard *self);

G_END_DECLS
