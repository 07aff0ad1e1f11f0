/* sd-server-order-read.h — an order's parts read from a request body and
 * checked, for making an order and for changing one. Each sends the
 * reply (400, or 409 for a product no longer sold) when it fails. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

/* product[]: each line's product priced from our catalog
 * (SdServerOrderLine); NULL when invalid. */
GArray     *sd_server_order_read_lines    (SdServerRequest *req,
                                           JsonObject      *body);
/* receiver {name, phoneNumber, address, addressDetail} as the JSON text
 * to store; *present: FALSE when the body has none. */
gboolean    sd_server_order_read_receiver (SdServerRequest *req,
                                           JsonObject      *body,
                                           char           **out_json,
                                           gboolean        *present);
/* memo, at most 500 characters; *ok: FALSE when invalid. */
const char *sd_server_order_read_memo     (SdServerRequest *req,
                                           gboolean        *ok);
/* Our totals {ttlPriceItem, ttlPriceDelivery, ttlPrice} and, with lines,
 * each line's price (prices: [{id, price}]): what a 409 shows the client. */
JsonNode   *sd_server_order_payment_json  (gint64           item,
                                           gint64           delivery,
                                           GArray          *lines);

G_END_DECLS
