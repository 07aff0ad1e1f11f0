/* sd-server-store-private.h — what the store's area files
 * (sd-server-store-*.c) share: the SQLite engine underneath. No route
 * file includes it. */
#pragma once

#include <sqlite3.h>

#include "sd-server-db.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

SdServerDb *sd_server_store_get_db (SdServerStore *self);

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
