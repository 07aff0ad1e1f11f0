/* sd-server-store-summary.c — the orders of a time range, read once for
 * the [ext] "summary" route: each order's creation, status and goods
 * total, then each line's product, count and price. Rows are handed to
 * the caller one by one, so the range's size costs no memory here. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-store-private.h"

gboolean
sd_server_store_summarize (SdServerStore *store, const char *from, const char *to,
                           SdServerSummaryOrderFunc order_func, SdServerSummaryLineFunc line_func,
                           gpointer user_data, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) orders = NULL;
  g_autoptr(SdStmt) lines = NULL;
  SdStmtResult step;

  orders = sd_server_db_statement (db, "SELECT created_at, status, ttl_price_item FROM orders"
                                       " WHERE created_at >= ?1 AND created_at < ?2", error);
  if (orders == NULL)
    return FALSE;
  sd_stmt_bind_text (orders, 1, from);
  sd_stmt_bind_text (orders, 2, to);
  while ((step = sd_stmt_step (orders)) == SD_STMT_ROW)
    order_func (sd_stmt_text (orders, 0), sd_stmt_text (orders, 1), sd_stmt_int64 (orders, 2), user_data);
  if (step != SD_STMT_DONE)
    return sd_server_db_set_error (db, error, "orders");

  lines = sd_server_db_statement (db, "SELECT o.status, l.product_id, l.name, l.count, l.price"
                                      " FROM order_lines l JOIN orders o ON o.id = l.order_id"
                                      " WHERE o.created_at >= ?1 AND o.created_at < ?2", error);
  if (lines == NULL)
    return FALSE;
  sd_stmt_bind_text (lines, 1, from);
  sd_stmt_bind_text (lines, 2, to);
  while ((step = sd_stmt_step (lines)) == SD_STMT_ROW)
    line_func (sd_stmt_text (lines, 0), sd_stmt_text (lines, 1), sd_stmt_text (lines, 2), sd_stmt_int64 (lines, 3),
               sd_stmt_int64 (lines, 4), user_data);
  if (step != SD_STMT_DONE)
    return sd_server_db_set_error (db, error, "order lines");
  return TRUE;
}
