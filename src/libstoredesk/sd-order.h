/* sd-order.h — an order as the shop keeps it. */
#pragma once

#include <glib-object.h>

#include "sd-contract.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDER (sd_order_get_type ())
G_DECLARE_FINAL_TYPE (SdOrder, sd_order, SD, ORDER, GObject)

const char    *sd_order_get_id          (SdOrder *self);
const char    *sd_order_get_customer_id (SdOrder *self);
SdOrderStatus  sd_order_get_status      (SdOrder *self);
gint64         sd_order_get_total       (SdOrder *self);
guint          sd_order_get_n_lines     (SdOrder *self);
const char    *sd_order_get_memo        (SdOrder *self);
/* A guest's key to look the order up later; NULL for members. */
const char    *sd_order_get_access_key  (SdOrder *self);

G_END_DECLS
