/* sd-server-store-order-numbers.c — [ext] "orderNumber": every order's
 * human number, YYYYMMDD-NNNN, a per-day sequence in the shop's time
 * zone (Asia/Seoul), unique (a UNIQUE index, schema 6). A
 * number is the next of its day's counter (order_days, schema 7), taken
 * in the transaction that stores the order, whose row stays locked until
 * it commits, so two orders never share one. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <string.h>

#define SEOUL_OFFSET (9 * 3600)   /* no daylight saving since 1988 */

GTimeZone *
sd_server_store_shop_time_zone (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Seoul");

  /* Its fixed offset when the system has no zone database. */
  return tz ? tz : g_time_zone_new_offset (SEOUL_OFFSET);
}

/* The day part, YYYYMMDD, of an order created at created_at (ISO 8601). */
static char *
day_of (GTimeZone *tz, const char *created_at)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) at = created_at ? g_date_time_new_from_iso8601 (created_at, utc) : NULL;
  g_autoptr(GDateTime) now = at ? NULL : g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at ? at : now, tz);

  return g_date_time_format (local, "%Y%m%d");
}

gboolean
sd_server_store_number_order (SdServerDb *db, GTimeZone *tz, const char *id, const char *created_at,
                              GError **error)
{
  g_autofree char *day = day_of (tz, created_at);
  g_autofree char *number = NULL;
  /* The day's row is locked by the upsert until the transaction ends:
   * concurrent checkouts (PostgreSQL) take numbers one after another. */
  g_autoptr(SdStmt) next = sd_server_db_statement (db,
    "INSERT INTO order_days (day, last) VALUES (?1, 1)"
    " ON CONFLICT (day) DO UPDATE SET last = order_days.last + 1 RETURNING last", error);
  g_autoptr(SdStmt) set = NULL;

  if (next == NULL)
    return FALSE;
  sd_stmt_bind_text (next, 1, day);
  if (sd_stmt_step (next) != SD_STMT_ROW)
    {
      sd_server_db_set_error (db, error, "order number");
      return FALSE;
    }
  number = g_strdup_printf ("%s-%04" G_GINT64_FORMAT, day, (gint64) sd_stmt_int64 (next, 0));
  set = sd_server_db_statement (db, "UPDATE orders SET order_number = ? WHERE id = ?", error);
  if (set == NULL)
    return FALSE;
  sd_stmt_bind_text (set, 1, number);
  sd_stmt_bind_text (set, 2, id);
  return sd_server_db_step_changed (db, set, "order", error);
}

gboolean
sd_server_store_number_orders (SdServerStore *store, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) missing = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!sd_server_db_begin (db, error))
    return FALSE;
  missing = sd_server_db_statement (db, "SELECT id, created_at FROM orders WHERE order_number IS NULL ORDER BY seq",
                                    error);
  if (missing == NULL)
    goto fail;
  while ((rc = sd_stmt_step (missing)) == SD_STMT_ROW)
    {
      g_ptr_array_add (ids, g_strdup (sd_stmt_text_or_null (missing, 0)));
      g_ptr_array_add (dates, g_strdup (sd_stmt_text_or_null (missing, 1)));
    }
  if (rc != SD_STMT_DONE)
    {
      sd_server_db_set_error (db, error, "orders");
      goto fail;
    }
  for (guint i = 0; i < ids->len; i++)
    if (!sd_server_store_number_order (db, sd_server_store_get_time_zone (store), ids->pdata[i], dates->pdata[i],
                                       error))
      goto fail;
  if (ids->len > 0)
    g_message ("gave %u orders their order numbers", ids->len);
  return sd_server_db_commit (db, error);

fail:
  sd_server_db_rollback (db);
  return FALSE;
}

gboolean
sd_server_is_order_number (const char *s)
{
  gsize n = s ? strlen (s) : 0;

  if (n < 13 || n > 16 || s[8] != '-')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (i != 8 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

char *
sd_server_store_find_order_number (SdServerStore *store, const char *number, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "SELECT id FROM orders WHERE order_number = ?", error);

  if (stmt == NULL)
    return NULL;
  sd_stmt_bind_text (stmt, 1, number);
  if (!sd_server_db_step_row (db, stmt, "order", error))
    return NULL;
  return g_strdup (sd_stmt_text_or_null (stmt, 0));
}
