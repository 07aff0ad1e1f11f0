/* sd-order.h — an order as the shop keeps it: lines, receiver, payment. */
#pragma once

#include <gio/gio.h>

#include "sd-contract.h"

G_BEGIN_DECLS

/* Where an order ships to. */
#define SD_TYPE_RECEIVER (sd_receiver_get_type ())
G_DECLARE_FINAL_TYPE (SdReceiver, sd_receiver, SD, RECEIVER, GObject)

const char *sd_receiver_get_name           (SdReceiver *self);
const char *sd_receiver_get_phone_number   (SdReceiver *self);
const char *sd_receiver_get_address        (SdReceiver *self);
const char *sd_receiver_get_address_detail (SdReceiver *self);

/* One product in an order, at the price the shop charged. */
#define SD_TYPE_ORDER_LINE (sd_order_line_get_type ())
G_DECLARE_FINAL_TYPE (SdOrderLine, sd_order_line, SD, ORDER_LINE, GObject)

const char *sd_order_line_get_product_id (SdOrderLine *self);
const char *sd_order_line_get_name       (SdOrderLine *self);
guint       sd_order_line_get_count      (SdOrderLine *self);
/* -1 when the shop did not say (the original keeps no line prices). */
gint64      sd_order_line_get_price      (SdOrderLine *self);
/* As the shop sent it; see sd_api_resolve_url(). */
const char *sd_order_line_get_image      (SdOrderLine *self);
/* The chosen option value(s), e.g. "화이트"; NULL without one. */
const char *sd_order_line_get_option     (SdOrderLine *self);

#define SD_TYPE_ORDER (sd_order_get_type ())
G_DECLARE_FINAL_TYPE (SdOrder, sd_order, SD, ORDER, GObject)

const char    *sd_order_get_id             (SdOrder *self);
const char    *sd_order_get_customer_id    (SdOrder *self);
/* Placed without an account (the shop's "guest_…" customers). */
gboolean       sd_order_get_is_guest       (SdOrder *self);
SdOrderStatus  sd_order_get_status         (SdOrder *self);
/* The status as the shop wrote it, even one this client does not know. */
const char    *sd_order_get_status_wire    (SdOrder *self);
gint64         sd_order_get_total          (SdOrder *self);
gint64         sd_order_get_items_total    (SdOrder *self);
gint64         sd_order_get_delivery_fee   (SdOrder *self);
/* A GListModel of SdOrderLine. */
GListModel    *sd_order_get_lines          (SdOrder *self);
guint          sd_order_get_n_lines        (SdOrder *self);
/* Σ count over the lines. */
guint          sd_order_get_n_items        (SdOrder *self);
/* NULL when the shop keeps none (the original). */
SdReceiver    *sd_order_get_receiver       (SdOrder *self);
const char    *sd_order_get_memo           (SdOrder *self);
/* The shop's updatedAt as it sent it (the record's version), or NULL. */
const char    *sd_order_get_updated_at     (SdOrder *self);
/* NULL when the shop sent no (readable) timestamp. */
GDateTime     *sd_order_get_created_at     (SdOrder *self);
/* A guest's key to look the order up later; NULL for members. */
const char    *sd_order_get_access_key     (SdOrder *self);
/* Placed from this computer at a shop without our extensions (the
 * original): the shop finds it by its id only, not by account or key,
 * so only this computer can list it ("kept-here"). */
gboolean       sd_order_get_kept_here      (SdOrder *self);
/* The number to show a customer: the shop's orderNumber ([ext]
 * "orderNumber", YYYYMMDD-NNNN), else what the original web front end
 * shows: the creation date (UTC) and the id's first six characters,
 * "2024-01-15-65a4f2". Free with g_free (). The "order-number" property. */
char          *sd_order_dup_order_number   (SdOrder *self);
/* The receiver shown is what this computer sent: the shop keeps none. */
gboolean       sd_order_get_receiver_kept_here (SdOrder *self);

G_END_DECLS
