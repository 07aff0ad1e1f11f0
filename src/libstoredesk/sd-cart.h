/* sd-cart.h — the cart: lines merged by product and option, kept on disk
 * per shop, restored at start. */
#pragma once

#include "sd-product.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_CART_LINE (sd_cart_line_get_type ())
G_DECLARE_FINAL_TYPE (SdCartLine, sd_cart_line, SD, CART_LINE, GObject)

const char *sd_cart_line_get_product_id (SdCartLine *self);
const char *sd_cart_line_get_name       (SdCartLine *self);
const char *sd_cart_line_get_image      (SdCartLine *self);
/* The chosen option value, or NULL. */
const char *sd_cart_line_get_option     (SdCartLine *self);
gint64      sd_cart_line_get_price      (SdCartLine *self);
guint       sd_cart_line_get_count      (SdCartLine *self);

#define SD_TYPE_CART (sd_cart_get_type ())
G_DECLARE_FINAL_TYPE (SdCart, sd_cart, SD, CART, GObject)

#define SD_CART_MAX_COUNT 999
#define SD_DELIVERY_FEE_DEFAULT 3000

/* The cart of the shop with that key (sd_api_get_shop_key), kept under
 * $XDG_DATA_HOME/storedesk/carts. */
SdCart  *sd_cart_new              (const char          *shop_key);
SdCart  *sd_cart_new_for_file     (GFile               *file);

/* Reads the saved cart. A file that cannot be read as a cart is set aside
 * (renamed *.broken-TIME) and the cart starts empty; the error says so. */
void     sd_cart_load_async       (SdCart              *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean sd_cart_load_finish      (SdCart              *self,
                                   GAsyncResult        *result,
                                   GError             **error);

/* Adds count of product (with option, or NULL); the same product and
 * option again adds to that line. Counts stop at SD_CART_MAX_COUNT. */
void     sd_cart_add              (SdCart              *self,
                                   SdProduct           *product,
                                   const char          *option,
                                   guint                count);
/* 0 removes the line. */
void     sd_cart_set_count        (SdCart              *self,
                                   guint                position,
                                   guint                count);
/* Takes a line out and returns it (for Undo); sd_cart_put_back restores it. */
SdCartLine *sd_cart_take          (SdCart              *self,
                                   guint                position);
void     sd_cart_put_back         (SdCart              *self,
                                   SdCartLine          *line,
                                   guint                position);
void     sd_cart_clear            (SdCart              *self);
/* Sets the price of every line of product_id; TRUE when one changed. */
gboolean sd_cart_update_price     (SdCart              *self,
                                   const char          *product_id,
                                   gint64               price);

gint64   sd_cart_get_items_total  (SdCart              *self);
gint64   sd_cart_get_delivery_fee (SdCart              *self);
void     sd_cart_set_delivery_fee (SdCart              *self,
                                   gint64               fee);
/* Items plus delivery; 0 for an empty cart. */
gint64   sd_cart_get_total        (SdCart              *self);

/* TRUE while a save is being written (tests wait for it). */
gboolean sd_cart_get_saving       (SdCart              *self);

G_END_DECLS
