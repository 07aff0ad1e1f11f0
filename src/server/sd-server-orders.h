/* sd-server-orders.h — the order routes kept beside sd-server-orders.c,
 * which lists them all in sd_server_order_routes. */
#pragma once

#include "sd-server-routes.h"

G_BEGIN_DECLS

/* Checkout (sd-server-orders-checkout.c): POST /orders, and staff's
 * POST /admin/orders (any status, any customer). */
void sd_server_orders_checkout       (SdServerRequest *req);
void sd_server_orders_admin_checkout (SdServerRequest *req);

G_END_DECLS
