/* sd-server-store-private.h — what the store's area files
 * (sd-server-store-*.c) share: the SQLite engine underneath. No route
 * file includes it. */
#pragma once

#include <sqlite3.h>

#include "sd-server-db.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

SdServerDb *sd_server_store_get_db (SdServerStore *self);

G_END_DECLS
