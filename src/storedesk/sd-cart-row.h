/* sd-cart-row.h — a line of the cart: picture, name, option and unit
 * price, a quantity box, the line's sum and a trash button. */
#pragma once

#include <adwaita.h>
#include <storedesk.h>

G_BEGIN_DECLS

#define SD_TYPE_CART_ROW (sd_cart_row_get_type ())
G_DECLARE_FINAL_TYPE (SdCartRow, sd_cart_row, SD, CART_ROW, AdwActionRow)

/* A row for line; its picture comes through api, cancelled with
 * cancellable. The row emits "count-set" (guint count) when the user sets
 * another quantity and "remove" when the trash button is clicked. */
GtkWidget  *sd_cart_row_new      (SdCartLine   *line,
                                  SdApi        *api,
                                  GCancellable *cancellable);
SdCartLine *sd_cart_row_get_line (SdCartRow    *self);

G_END_DECLS
