/* sd-server-store-meta.c — the store's meta: the server's own values by
 * key, such as its secrets and whether the demo shop is seeded. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#define prepare sd_server_db_statement
#define set_sqlite_error sd_server_db_set_error

gboolean
sd_server_store_get_meta (SdServerStore *store, const char *key, char **out_value, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", error);
  int rc;

  *out_value = NULL;
  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, key);
  rc = sd_stmt_step (stmt);
  if (rc == SD_STMT_ROW)
    *out_value = g_strdup (sd_stmt_text_or_null (stmt, 0));
  else if (rc != SD_STMT_DONE)
    return set_sqlite_error (self, error, "meta");
  return TRUE;
}

gboolean
sd_server_store_set_meta (SdServerStore *store, const char *key, const char *value, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt =
    prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, key);
  sd_stmt_bind_text (stmt, 2, value);
  if (sd_stmt_step (stmt) != SD_STMT_DONE)
    return set_sqlite_error (self, error, "meta");
  return TRUE;
}

gboolean
sd_server_store_add_meta (SdServerStore *store, const char *key, const char *value, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt =
    prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, key);
  sd_stmt_bind_text (stmt, 2, value);
  if (sd_stmt_step (stmt) != SD_STMT_DONE)
    return set_sqlite_error (self, error, "meta");
  return TRUE;
}
