/* sd-server-store-private.h — what the store's area files
 * (sd-server-store-*.c) share: the engines underneath (sd-server-db.h). No route
 * file includes it. */
#pragma once

#include "sd-server-db.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

SdServerDb *sd_server_store_get_db (SdServerStore *self);
/* The shop's time zone, for order numbers (sd-server-store-order-numbers.c). */
GTimeZone  *sd_server_store_get_time_zone (SdServerStore *self);

/* ---- order numbers (sd-server-store-order-numbers.c) ---- */

/* Asia/Seoul. */
GTimeZone  *sd_server_store_shop_time_zone (void);
/* Gives order id, created at created_at (ISO 8601, UTC), the next number
 * of its day in tz; inside the caller's write transaction. */
gboolean    sd_server_store_number_order    (SdServerDb  *db,
                                             GTimeZone   *tz,
                                             const char  *id,
                                             const char  *created_at,
                                             GError     **error);
/* Numbers the orders that have none yet, oldest first, in one
 * transaction (orders from before schema 6). */
gboolean    sd_server_store_number_orders   (SdServerStore *self,
                                             GError       **error);

/* Seconds since the epoch, now. */
static inline gint64
sd_server_store_now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Ends every session of user_id (sd-server-store-sessions.c). */
gboolean    sd_server_store_end_sessions_db (SdServerDb  *db,
                                             const char  *user_id,
                                             GError     **error);

G_END_DECLS
