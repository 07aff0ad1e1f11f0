/* sd-product.h — a product as the shop lists it. */
#pragma once

#include "sd-option.h"

G_BEGIN_DECLS

#define SD_TYPE_PRODUCT (sd_product_get_type ())
G_DECLARE_FINAL_TYPE (SdProduct, sd_product, SD, PRODUCT, GObject)

/* A stand-in for a product whose page is still being fetched. */
gboolean            sd_product_is_placeholder    (SdProduct *self);
const char         *sd_product_get_id            (SdProduct *self);
const char         *sd_product_get_category_id   (SdProduct *self);
const char         *sd_product_get_name          (SdProduct *self);
const char         *sd_product_get_brand         (SdProduct *self);
gint64              sd_product_get_price         (SdProduct *self);
/* As the shop sent it: relative ("uploads/…") or absolute; see sd_api_resolve_url(). */
const char         *sd_product_get_image         (SdProduct *self);
const char         *sd_product_get_description   (SdProduct *self);
/* The shop's updatedAt as it sent it (the record's version), or NULL. */
const char         *sd_product_get_updated_at    (SdProduct *self);
/* -1 when the shop does not track stock. */
gint64              sd_product_get_stock         (SdProduct *self);
/* NULL when the product has no option. */
SdOption           *sd_product_get_option        (SdProduct *self);

G_END_DECLS
