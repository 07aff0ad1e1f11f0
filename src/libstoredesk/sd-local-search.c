/* sd-local-search.c — the local store's search: products and orders
 * indexed as the cache keeps them (on the store's worker, in the put's
 * transaction), and found again as the records kept, best first. The
 * index itself is SdSearchIndex (sd-search-index.h), in the cache file. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-api.h"
#include "sd-local-store-private.h"
#include "sd-models-private.h"

#define OPTIONS_MAX 256   /* option values (and the brand) indexed per product */

/* ---- one record as kept ------------------------------------------------ */

/* The first row's column 0 of stmt (one ?1 text bound to key), parsed as a
 * JSON object: NULL when there is none, or it is not one. */
static JsonNode *
row_object (sqlite3_stmt *stmt, const char *key)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *node = NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    node = sd_local_row_object (parser, stmt, 0);
  sqlite3_reset (stmt);
  return node;
}

char *
sd_local_search_category_name (sqlite3 *conn, const char *id)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(JsonNode) node = NULL;
  char *name = NULL;

  if (id == NULL ||
      sqlite3_prepare_v2 (conn, "SELECT json FROM categories WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  node = row_object (stmt, id);
  if (node)
    name = g_strdup (sd_json_get_string (json_node_get_object (node), "name"));
  sqlite3_finalize (stmt);
  return name;
}

/* The product's category by name: the one it carries (categoryId as an
 * object), else the cached category of its id. */
static char *
category_name (sqlite3 *conn, JsonObject *product)
{
  JsonNode *node = json_object_get_member (product, "categoryId");

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *category = json_node_get_object (node);

      if (sd_json_get_string (category, "name"))
        return g_strdup (sd_json_get_string (category, "name"));
      return sd_local_search_category_name (conn, sd_json_get_string (category, "_id"));
    }
  return sd_local_search_category_name (conn, sd_json_get_string (product, "categoryId"));
}

/* ---- indexing ------------------------------------------------------------ */

gboolean
sd_local_search_put_product (SdLocalDb *db, sqlite3 *conn, const char *id, JsonNode *node, GError **error)
{
  SdSearchIndex *index = sd_local_db_search (db, error);
  g_autoptr(SdProduct) product = NULL;
  g_autoptr(GPtrArray) options = NULL;
  g_autofree char *category = NULL;
  SdOption *option;
  SdSearchProduct fields = { NULL };

  if (index == NULL)
    return FALSE;
  product = sd_product_new_from_json (node, NULL);
  if (product == NULL)   /* kept, but nothing to find it by */
    return sd_search_index_remove (index, SD_SEARCH_PRODUCTS, id, error);
  options = g_ptr_array_new ();
  option = sd_product_get_option (product);
  if (option)
    {
      g_ptr_array_add (options, (gpointer) sd_option_get_name (option));
      for (guint i = 0; i < sd_option_get_n_values (option) && options->len < OPTIONS_MAX; i++)
        g_ptr_array_add (options, (gpointer) sd_option_get_values (option)[i]);
    }
  /* The shop's own search looks at the brand too (API.md: name/brand). */
  if (sd_product_get_brand (product))
    g_ptr_array_add (options, (gpointer) sd_product_get_brand (product));
  g_ptr_array_add (options, NULL);
  category = category_name (conn, json_node_get_object (node));
  fields.name = sd_product_get_name (product);
  fields.description = sd_product_get_description (product);
  fields.category = category;
  fields.options = (const char * const *) options->pdata;
  return sd_search_index_put_product (index, id, &fields, error);
}

gboolean
sd_local_search_put_order (SdLocalDb *db, const char *id, JsonNode *node, GError **error)
{
  SdSearchIndex *index = sd_local_db_search (db, error);
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *number = NULL;
  g_autofree char *address = NULL;
  SdReceiver *receiver;
  GListModel *lines;
  SdSearchOrder fields = { NULL };

  if (index == NULL)
    return FALSE;
  order = sd_order_new_from_json (node, NULL);
  if (order == NULL)
    return sd_search_index_remove (index, SD_SEARCH_ORDERS, id, error);
  lines = sd_order_get_lines (order);
  names = g_ptr_array_new ();
  for (guint i = 0; i < g_list_model_get_n_items (lines) && i < OPTIONS_MAX; i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);   /* the order holds it */

      g_ptr_array_add (names, (gpointer) sd_order_line_get_name (line));
    }
  g_ptr_array_add (names, NULL);
  number = sd_order_dup_order_number (order);
  receiver = sd_order_get_receiver (order);
  if (receiver)
    address = g_strjoin (" ", sd_receiver_get_address (receiver), sd_receiver_get_address_detail (receiver), NULL);
  fields.number = number;
  fields.receiver = receiver ? sd_receiver_get_name (receiver) : NULL;
  fields.phone = receiver ? sd_receiver_get_phone_number (receiver) : NULL;
  fields.address = address;
  fields.products = (const char * const *) names->pdata;
  return sd_search_index_put_order (index, id, &fields, error);
}

gboolean
sd_local_search_category_renamed (SdLocalDb *db, sqlite3 *conn, const char *id, const char *old_name,
                                  GError **error)
{
  g_autofree char *name = sd_local_search_category_name (conn, id);
  g_autoptr(JsonParser) parser = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  if (g_strcmp0 (name, old_name) == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (conn, "SELECT id, json FROM products WHERE category_id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_local_sqlite_error (conn, "reading a category's products", error);
      return FALSE;
    }
  parser = json_parser_new_immutable ();
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = sd_local_row_object (parser, stmt, 1);
      g_autofree char *product_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

      if (node && product_id)
        ok = sd_local_search_put_product (db, conn, product_id, node, error);
    }
  if (ok && rc != SQLITE_DONE)
    {
      sd_local_sqlite_error (conn, "reading a category's products", error);
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
sd_local_store_stands_in_for (const GError *error)
{
  return g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT);
}

/* ---- finding ------------------------------------------------------------- */

typedef struct {
  SdSearchKind  kind;
  char         *query;
  guint         limit;
} Search;

static void
search_free (Search *search)
{
  g_free (search->query);
  g_free (search);
}

static void
search_job (SdLocalDb *db, GTask *task, gpointer data)
{
  Search *search = data;
  GError *error = NULL;
  SdSearchIndex *index = sd_local_db_search (db, &error);
  sqlite3 *conn = index ? sd_local_db_cache (db, &error) : NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonArray) found = json_array_new ();
  sqlite3_stmt *stmt = NULL;

  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ids = sd_search_index_find (index, search->kind, search->query, search->limit, &error);
  if (ids == NULL ||
      sqlite3_prepare_v2 (conn, search->kind == SD_SEARCH_PRODUCTS ? "SELECT json FROM products WHERE id = ?1"
                                                                  : "SELECT json FROM orders WHERE id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      /* The message is the connection's (sd_local_db_failed): the same failure. */
      g_clear_error (&error);
      sd_local_db_failed (db, conn, &error);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      JsonNode *node = row_object (stmt, g_ptr_array_index (ids, i));

      /* An id the index holds and the cache does not is left out. */
      if (node)
        json_array_add_element (found, node);
    }
  sqlite3_finalize (stmt);
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) json_array_unref);
}

void
sd_local_store_search_async (SdLocalStore *self, SdSearchKind kind, const char *query, guint limit,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Search *search;

  g_return_if_fail (kind == SD_SEARCH_PRODUCTS || kind == SD_SEARCH_ORDERS);
  search = g_new0 (Search, 1);
  search->kind = kind;
  search->query = g_strdup (query ? query : "");
  search->limit = limit;
  sd_local_store_run (self, sd_local_store_search_async, search_job, search, (GDestroyNotify) search_free,
                      cancellable, callback, user_data);
}
