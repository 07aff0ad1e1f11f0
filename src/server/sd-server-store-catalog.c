/* sd-server-store-catalog.c — the store's catalog: categories, products
 * and their options. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"
#include "sd-contract.h"

#define prepare sd_server_db_statement
#define col_text sd_stmt_text
#define set_sqlite_error sd_server_db_set_error

/* An option's values as stored: a JSON array of strings. */
static char *
option_values_json (const char * const *option_values)
{
  g_autoptr(JsonArray) a = json_array_new ();
  g_autoptr(JsonNode) n = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; option_values && option_values[i]; i++)
    json_array_add_string_element (a, option_values[i]);
  json_node_set_array (n, a);
  return json_to_string (n, FALSE);
}

/* ---- categories ------------------------------------------------------ */

static JsonNode *
category_from_row (SdStmt *stmt, gpointer user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_id");
  json_builder_add_string_value (b, col_text (stmt, 0));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, col_text (stmt, 1));
  json_builder_set_member_name (b, "createdAt");
  json_builder_add_string_value (b, col_text (stmt, 2));
  json_builder_set_member_name (b, "updatedAt");
  json_builder_add_string_value (b, col_text (stmt, 3));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sd_server_store_list_categories (SdServerStore *store, const char *name, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt =
    prepare (self, "SELECT id, name, created_at, updated_at FROM categories "
                   "WHERE ?1 IS NULL OR name = ?1 ORDER BY created_at, id", error);

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sd_stmt_bind_text (stmt, 1, name);
  return sd_server_db_collect_rows (self, stmt, category_from_row, NULL, "categories", error);
}

JsonNode *
sd_server_store_get_category (SdServerStore *store, const char *id, GError **error)
{
  return sd_server_db_row_by_id (sd_server_store_get_db (store),
                                 "SELECT id, name, created_at, updated_at FROM categories WHERE id = ?", id,
                                 category_from_row, NULL, "category", error);
}

static char *
create_category (SdServerStore *store, const char *name, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt =
    prepare (self, "INSERT INTO categories (id, name, created_at, updated_at) "
                   "VALUES (?1, ?2, ?3, ?3)", error);
  g_autofree char *id = sd_server_store_new_id ();
  g_autofree char *now = sd_server_store_now_iso ();

  if (stmt == NULL)
    return NULL;
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, name);
  sd_stmt_bind_text (stmt, 3, now);
  if (!sd_server_db_step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
rename_category (SdServerStore *store, const char *id, const char *name, const char *base, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = sd_server_store_prepare_bumped (self,
    "UPDATE categories SET name = ?1, updated_at = %s WHERE id = ?3 AND (?4 IS NULL OR updated_at = ?4)", 2,
    error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, name);
  sd_stmt_bind_text (stmt, 2, now);
  sd_stmt_bind_text (stmt, 3, id);
  sd_stmt_bind_text (stmt, 4, base);
  if (!sd_server_db_step_done (self, stmt, error))
    return FALSE;
  if (sd_server_db_changes (self) == 0)
    return !sd_server_store_why_unchanged (self, "categories", id, base, error);
  return TRUE;
}

static gboolean
delete_category (SdServerStore *store, const char *id, gint64 *out_products, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) used = prepare (self, "SELECT count(*) FROM products WHERE category_id = ?", error);
  g_autoptr(SdStmt) del = NULL;

  *out_products = 0;
  if (used == NULL)
    return FALSE;
  sd_stmt_bind_text (used, 1, id);
  *out_products = sd_stmt_step (used) == SD_STMT_ROW ? sd_stmt_int64 (used, 0) : 0;
  if (*out_products > 0)
    {
      g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT,
                   "%" G_GINT64_FORMAT " products are in category %s", *out_products, id);
      return FALSE;
    }
  del = prepare (self, "DELETE FROM categories WHERE id = ?", error);
  if (del == NULL)
    return FALSE;
  sd_stmt_bind_text (del, 1, id);
  return sd_server_db_step_changed (self, del, "category", error);
}

/* ---- products -------------------------------------------------------- */

/* A product as wire JSON, written by SQLite's JSON1 (ten times cheaper than
 * building json-glib nodes, measured by tests/bench/server.sh). */
#define PRODUCT_JSON \
  "json_object('_id', id, 'categoryId', category_id, 'name', name, 'brand', brand," \
  " 'price', price, 'image', image, 'description', description," \
  " 'options', CASE WHEN option_id IS NULL THEN NULL ELSE json_object ('_id', option_id," \
  "   'name', option_name, 'value', json (coalesce (option_values, '[]'))) END," \
  " 'stock', stock, 'createdAt', created_at, 'updatedAt', updated_at)"

/* Only the filters given go into the SQL: "(?1 IS NULL OR …)" would keep
 * SQLite from using an index, and the count would scan every row. */
static char *
product_filter (const SdServerProductQuery *query, const char *pattern)
{
  GString *where = g_string_new (NULL);

  if (query->category_id)
    g_string_append (where, " WHERE category_id = ?1");
  if (pattern)
    g_string_append_printf (where, " %s (name LIKE ?2 ESCAPE '\\' OR brand LIKE ?2 ESCAPE '\\')",
                            query->category_id ? "AND" : "WHERE");
  return g_string_free (where, FALSE);
}

GString *
sd_server_store_list_products (SdServerStore              *store,
                               const SdServerProductQuery *query,
                               gint64                     *out_total,
                               GError                    **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  const char *order = "seq";
  GString *text;
  int rc;
  g_autofree char *pattern = query->q && *query->q ? sd_server_like_pattern (query->q) : NULL;
  g_autofree char *where = product_filter (query, pattern);
  g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM products", where, NULL);
  g_autofree char *list_sql = NULL;
  g_autoptr(SdStmt) count = NULL;
  g_autoptr(SdStmt) list = NULL;

  switch (query->sort)
    {
    case SD_SORT_ORDER_PRICE: order = "price, seq"; break;
    case SD_SORT_ORDER_PRICE_DESC: order = "price DESC, seq"; break;
    case SD_SORT_ORDER_NAME: order = "name, seq"; break;
    case SD_SORT_ORDER_NEWEST: order = "seq DESC"; break;
    case SD_SORT_ORDER_SHOP: default: break;
    }

  count = prepare (self, count_sql, error);
  if (count == NULL)
    return NULL;
  if (query->category_id)
    sd_stmt_bind_text (count, 1, query->category_id);
  if (pattern)
    sd_stmt_bind_text (count, 2, pattern);
  if (sd_stmt_step (count) != SD_STMT_ROW)
    {
      set_sqlite_error (self, error, "products");
      return NULL;
    }
  *out_total = sd_stmt_int64 (count, 0);

  list_sql = g_strdup_printf ("SELECT " PRODUCT_JSON " FROM products%s ORDER BY %s LIMIT ?3 OFFSET ?4",
                              where, order);
  list = prepare (self, list_sql, error);
  if (list == NULL)
    return NULL;
  if (query->category_id)
    sd_stmt_bind_text (list, 1, query->category_id);
  if (pattern)
    sd_stmt_bind_text (list, 2, pattern);
  sd_stmt_bind_int64 (list, 3, query->limit);
  sd_stmt_bind_int64 (list, 4, query->offset);

  /* A hint, not a promise: the original mode asks for every row
   * (limit G_MAXUINT32), and limit × 512 bytes would be a 2 GB block. */
  text = g_string_sized_new (64 + (gsize) MIN ((guint64) query->limit, (guint64) MIN (*out_total, 128)) * 512);
  g_string_append_c (text, '[');
  while ((rc = sd_stmt_step (list)) == SD_STMT_ROW)
    {
      if (text->len > 1)
        g_string_append_c (text, ',');
      sd_stmt_append_json (list, 0, text);
    }
  if (rc != SD_STMT_DONE)
    {
      set_sqlite_error (self, error, "products");
      g_string_free (text, TRUE);
      return NULL;
    }
  g_string_append_c (text, ']');
  return text;
}

JsonNode *
sd_server_store_get_product (SdServerStore *store, const char *id, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (self, "SELECT " PRODUCT_JSON " FROM products WHERE id = ?", error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sd_stmt_bind_text (stmt, 1, id);
  rc = sd_stmt_step (stmt);
  if (rc == SD_STMT_ROW &&
      json_parser_load_from_data (parser, sd_stmt_text_or_null (stmt, 0), -1, error))
    return json_node_ref (json_parser_get_root (parser));
  if (rc != SD_STMT_DONE && rc != SD_STMT_ROW)
    set_sqlite_error (self, error, "product");
  return NULL;   /* NULL without an error: no such product */
}

static char *
create_product (SdServerStore *store, const SdServerProductInput *in, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
#define INSERT_PRODUCT(SEQ) \
  "INSERT INTO products (id, seq, category_id, name, brand, price, image," \
  " description, option_id, option_name, option_values, stock, created_at, updated_at)" \
  " VALUES (?1, " SEQ ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
  g_autoptr(SdStmt) stmt =
    prepare (self, sd_server_db_engine (self) == SD_SERVER_ENGINE_POSTGRESQL
                   ? INSERT_PRODUCT (SD_SERVER_PG_NEXT_SEQ ("products"))
                   : INSERT_PRODUCT (SD_SERVER_SQLITE_NEXT_SEQ ("products")), error);
  g_autofree char *id = sd_server_store_new_id ();
  g_autofree char *option_id = in->option_name ? sd_server_store_new_id () : NULL;
  g_autofree char *values = NULL;
  g_autofree char *now = sd_server_store_now_iso ();

  if (stmt == NULL)
    return NULL;
  if (in->option_name != NULL)
    values = option_values_json (in->option_values);
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, in->category_id);
  sd_stmt_bind_text (stmt, 3, in->name);
  sd_stmt_bind_text (stmt, 4, in->brand ? in->brand : "");
  sd_stmt_bind_int64 (stmt, 5, in->price);
  sd_stmt_bind_text (stmt, 6, in->image ? in->image : "");
  sd_stmt_bind_text (stmt, 7, in->description ? in->description : "");
  sd_stmt_bind_text (stmt, 8, option_id);
  sd_stmt_bind_text (stmt, 9, in->option_name);
  sd_stmt_bind_text (stmt, 10, values);
  sd_stmt_bind_int64_or_null (stmt, 11, in->stock, in->stock < 0);
  sd_stmt_bind_text (stmt, 12, now);
  if (sd_stmt_step (stmt) != SD_STMT_DONE)
    {
      set_sqlite_error (self, error, "insert product");
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* Both forms of the product update: options replaced or kept, stock set
 * or moved by a delta (never below 0), and always conditional on the base
 * when there is one; %s is the new updated_at. */
#define UPDATE_PRODUCT(OPTIONS, STOCK, STOCK_CHECK) \
  "UPDATE products SET category_id = ?1, name = ?2, brand = ?3, price = ?4, image = ?5, description = ?6," \
  OPTIONS " stock = " STOCK ", updated_at = %s WHERE id = ?12 AND (?13 IS NULL OR updated_at = ?13)" STOCK_CHECK
#define NEW_OPTIONS " option_id = ?7, option_name = ?8, option_values = ?9,"
#define ADD_STOCK "stock + ?10"
#define ADD_STOCK_CHECK " AND stock IS NOT NULL AND stock + ?10 >= 0"

static SdStmt *
prepare_update_product (SdServerDb *self, const SdServerProductInput *in, GError **error)
{
  static const char * const sql[2][2] = {
    { UPDATE_PRODUCT (NEW_OPTIONS, "?10", ""), UPDATE_PRODUCT (NEW_OPTIONS, ADD_STOCK, ADD_STOCK_CHECK) },
    { UPDATE_PRODUCT ("", "?10", ""), UPDATE_PRODUCT ("", ADD_STOCK, ADD_STOCK_CHECK) },
  };

  return sd_server_store_prepare_bumped (self, sql[in->keep_options != 0][in->add_stock != 0], 11, error);
}

static gboolean
update_product (SdServerStore *store, const char *id, const SdServerProductInput *in, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autofree char *values = NULL;
  g_autofree char *option_id = NULL;
  g_autoptr(SdStmt) stmt = prepare_update_product (self, in, error);

  if (stmt == NULL)
    return FALSE;
  if (!in->keep_options && in->option_name != NULL)
    {
      values = option_values_json (in->option_values);
      option_id = in->option_id ? g_strdup (in->option_id) : sd_server_store_new_id ();
    }
  sd_stmt_bind_text (stmt, 1, in->category_id);
  sd_stmt_bind_text (stmt, 2, in->name);
  sd_stmt_bind_text (stmt, 3, in->brand ? in->brand : "");
  sd_stmt_bind_int64 (stmt, 4, in->price);
  sd_stmt_bind_text (stmt, 5, in->image ? in->image : "");
  sd_stmt_bind_text (stmt, 6, in->description ? in->description : "");
  if (!in->keep_options)
    {
      sd_stmt_bind_text (stmt, 7, option_id);
      sd_stmt_bind_text (stmt, 8, option_id ? in->option_name : NULL);
      sd_stmt_bind_text (stmt, 9, option_id ? values : NULL);
    }
  if (in->add_stock)
    sd_stmt_bind_int64 (stmt, 10, in->stock_delta);
  else
    sd_stmt_bind_int64_or_null (stmt, 10, in->stock, in->stock < 0);
  sd_stmt_bind_text (stmt, 11, now);
  sd_stmt_bind_text (stmt, 12, id);
  sd_stmt_bind_text (stmt, 13, in->base);
  if (!sd_server_db_step_done (self, stmt, error))
    return FALSE;
  if (sd_server_db_changes (self) > 0)
    return TRUE;
  if (sd_server_store_why_unchanged (self, "products", id, in->base, error))
    return FALSE;
  g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT,
               "stock of %s is not tracked, or would go below 0", id);
  return FALSE;
}

static gboolean
delete_product (SdServerStore *store, const char *id, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (self, "DELETE FROM products WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, id);
  return sd_server_db_step_changed (self, stmt, "product", error);
}

/* ---- [ext] "activity": each change of staff's recorded in its own
 * transaction (sd-server-store-activity.c) ----------------------------- */

/* A new row made by make (a create_ function above), recorded. */
#define RECORD_CREATE(entity, make) \
  G_STMT_START { \
    SdServerActivityNote *note; \
    g_autofree char *id = NULL; \
    if (!sd_server_activity_begin (store, entity, NULL, &note, error)) \
      return NULL; \
    id = make; \
    if (!sd_server_activity_end (store, note, id, id != NULL, error)) \
      return NULL; \
    return g_steal_pointer (&id); \
  } G_STMT_END

/* A change of row id by change (a function above), recorded. */
#define RECORD_CHANGE(entity, id, change) \
  G_STMT_START { \
    SdServerActivityNote *note; \
    if (!sd_server_activity_begin (store, entity, id, &note, error)) \
      return FALSE; \
    return sd_server_activity_end (store, note, id, change, error); \
  } G_STMT_END

char *
sd_server_store_create_category (SdServerStore *store, const char *name, GError **error)
{
  RECORD_CREATE ("category", create_category (store, name, error));
}

gboolean
sd_server_store_rename_category (SdServerStore *store, const char *id, const char *name, const char *base,
                                 GError **error)
{
  RECORD_CHANGE ("category", id, rename_category (store, id, name, base, error));
}

gboolean
sd_server_store_delete_category (SdServerStore *store, const char *id, gint64 *out_products, GError **error)
{
  *out_products = 0;
  RECORD_CHANGE ("category", id, delete_category (store, id, out_products, error));
}

char *
sd_server_store_create_product (SdServerStore *store, const SdServerProductInput *in, GError **error)
{
  RECORD_CREATE ("product", create_product (store, in, error));
}

gboolean
sd_server_store_update_product (SdServerStore *store, const char *id, const SdServerProductInput *in,
                                GError **error)
{
  RECORD_CHANGE ("product", id, update_product (store, id, in, error));
}

gboolean
sd_server_store_delete_product (SdServerStore *store, const char *id, GError **error)
{
  RECORD_CHANGE ("product", id, delete_product (store, id, error));
}

/* ---- options by their own id (the original's option route) ------------ */

JsonNode *
sd_server_store_get_option (SdServerStore *store, const char *option_id, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (self,
    "SELECT json_object ('_id', option_id, 'name', option_name, 'value', json (coalesce (option_values, '[]')),"
    " 'createdAt', created_at, 'updatedAt', updated_at) FROM products WHERE option_id = ? LIMIT 1", error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sd_stmt_bind_text (stmt, 1, option_id);
  rc = sd_stmt_step (stmt);
  if (rc == SD_STMT_ROW &&
      json_parser_load_from_data (parser, sd_stmt_text_or_null (stmt, 0), -1, error))
    return json_node_ref (json_parser_get_root (parser));
  if (rc != SD_STMT_DONE && rc != SD_STMT_ROW)
    set_sqlite_error (self, error, "option");
  return NULL;   /* NULL without an error: no such option */
}
