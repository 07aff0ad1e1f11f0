/* sd-local-cache.c — the local store's cache: its schema and migrations,
 * records put newest-wins (by the shop's updatedAt) less their secrets,
 * and read back as pages, lists and single orders. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-local-store-private.h"

#define ID_MAX 200

/* ---- schema ------------------------------------------------------------- */

/* steps[v] brings version v to v + 1; append, never edit one. */
static const char * const cache_steps[] = {
  "CREATE TABLE products (id TEXT PRIMARY KEY, json TEXT NOT NULL,"
  "  updated_at TEXT, updated_us INTEGER, category_id TEXT);"
  "CREATE INDEX products_by_category ON products (category_id);"
  /* Where each product stands in a listing, as the shop sorted it. */
  "CREATE TABLE listings (listing TEXT NOT NULL, position INTEGER NOT NULL,"
  "  product_id TEXT NOT NULL, PRIMARY KEY (listing, position)) WITHOUT ROWID;"
  "CREATE TABLE categories (id TEXT PRIMARY KEY, json TEXT NOT NULL,"
  "  updated_at TEXT, updated_us INTEGER, position INTEGER NOT NULL);"
  "CREATE TABLE orders (id TEXT PRIMARY KEY, json TEXT NOT NULL,"
  "  updated_at TEXT, updated_us INTEGER, mine INTEGER NOT NULL, created_us INTEGER);"
  "CREATE INDEX orders_by_created ON orders (created_us DESC);",
  /* 2: a listing's length as the shop said, and when. */
  "CREATE TABLE listing_totals (listing TEXT PRIMARY KEY, total INTEGER NOT NULL,"
  "  stored INTEGER NOT NULL) WITHOUT ROWID;",
};

gboolean
sd_local_migrate (sqlite3 *conn, const char * const *steps, guint n_steps, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (conn, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (version < 0)
    {
      sd_local_sqlite_error (conn, "reading the schema version", error);
      return FALSE;
    }
  if (version > n_steps)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_DAMAGED,
                   "schema version %" G_GINT64_FORMAT " is newer than this Storedesk's (%u)",
                   version, n_steps);
      return FALSE;
    }
  for (guint v = version; v < n_steps; v++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %u; COMMIT;",
                                              steps[v], v + 1);
      if (sqlite3_exec (conn, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          sd_local_sqlite_error (conn, "migrating the schema", error);
          sqlite3_exec (conn, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
sd_local_cache_migrate (sqlite3 *conn, GError **error)
{
  g_autoptr(SdSearchIndex) index = NULL;

  if (!sd_local_migrate (conn, cache_steps, G_N_ELEMENTS (cache_steps), error))
    return FALSE;
  /* The search index's tables (its own, made if missing) now, outside any
   * put's transaction, whose rollback would take them away. */
  index = sd_search_index_new (conn, NULL);
  if (index == NULL)
    sd_local_sqlite_error (conn, "making the search index", error);
  return index != NULL;
}

/* ---- records ----------------------------------------------------------- */

/* Members that could be a secret, wherever they are in a record. */
static const char * const secret_members[] = {
  "accessToken", "refreshToken", "token", "password", "newPassword",
  "newPasswordConfirm", "inputNumber", "code", "accessKey",
};

static gboolean
is_secret (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_members); i++)
    if (g_ascii_strcasecmp (name, secret_members[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A deep copy of node without the secret members (json_node_copy shares
 * objects and arrays, which are the caller's). */
static JsonNode *
scrubbed_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *from = json_node_get_object (node);
      g_autoptr(JsonObject) to = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, from);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (!is_secret (name))
          json_object_set_member (to, name, scrubbed_copy (member));
      copy = json_node_init_object (json_node_alloc (), to);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *from = json_node_get_array (node);
      g_autoptr(JsonArray) to = json_array_sized_new (json_array_get_length (from));

      for (guint i = 0; i < json_array_get_length (from); i++)
        json_array_add_element (to, scrubbed_copy (json_array_get_element (from, i)));
      copy = json_node_init_array (json_node_alloc (), to);
    }
  else
    copy = json_node_copy (node);
  return copy;
}

char *
sd_local_scrubbed_text (JsonNode *node, GError **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID, "not a JSON object");
      return NULL;
    }
  copy = scrubbed_copy (node);
  text = json_to_string (copy, FALSE);
  if (strlen (text) > SD_LOCAL_RECORD_MAX)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   "a record of more than %u bytes", SD_LOCAL_RECORD_MAX);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static const char *
member_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An ISO 8601 time in µs since the epoch, or -1. */
static gint64
time_us (const char *text)
{
  g_autoptr(GDateTime) t = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return t ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t) : -1;
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static void
bind_time (sqlite3_stmt *stmt, int i, gint64 us)
{
  if (us >= 0)
    sqlite3_bind_int64 (stmt, i, us);
  else
    sqlite3_bind_null (stmt, i);
}

/* ---- put --------------------------------------------------------------- */

typedef enum { PUT_PRODUCTS, PUT_CATEGORIES, PUT_ORDERS } PutKind;

/* ?1 id, ?2 json, ?3 updated_at, ?4 updated_us, then the table's own
 * (?5 category_id | position | mine, ?6 created_us). The record is kept
 * only when not older; touch keeps what does not depend on it. */
#define NEWER(t) " WHERE excluded.updated_us IS NULL OR " t ".updated_us IS NULL" \
                 " OR excluded.updated_us >= " t ".updated_us"
#define SET_RECORD " DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at," \
                   " updated_us = excluded.updated_us, "
static const struct {
  const char *upsert;
  const char *touch;
} put_sql[] = {
  [PUT_PRODUCTS] = {
    "INSERT INTO products (id, json, updated_at, updated_us, category_id) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (id)" SET_RECORD "category_id = excluded.category_id" NEWER ("products"),
    NULL },
  [PUT_CATEGORIES] = {
    "INSERT INTO categories (id, json, updated_at, updated_us, position) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (id)" SET_RECORD "position = excluded.position" NEWER ("categories"),
    "UPDATE categories SET position = ?5 WHERE id = ?1" },
  [PUT_ORDERS] = {
    "INSERT INTO orders (id, json, updated_at, updated_us, mine, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (id)" SET_RECORD "mine = max (mine, excluded.mine), created_us = excluded.created_us"
    NEWER ("orders"),
    "UPDATE orders SET mine = max (mine, ?5) WHERE id = ?1" },
};

typedef struct {
  PutKind    kind;
  char      *listing;
  guint      offset;
  JsonArray *records;
  gboolean   flag;   /* complete (categories) | mine (orders) */
  gint64     total;  /* products: the listing's length, or -1 */
} Put;

static void
put_free (Put *put)
{
  g_free (put->listing);
  json_array_unref (put->records);
  g_free (put);
}

static const char *
record_id (JsonObject *object)
{
  const char *id = member_string (object, "_id");

  if (id == NULL)
    id = member_string (object, "id");
  return id && *id && strlen (id) <= ID_MAX ? id : NULL;
}

static const char *
category_of (JsonObject *product)
{
  JsonNode *node = json_object_get_member (product, "categoryId");

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    return record_id (json_node_get_object (node));
  return member_string (product, "categoryId");
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Binds the table's own columns of record i. */
static void
bind_own (Put *put, sqlite3_stmt *stmt, JsonObject *object, guint i)
{
  switch (put->kind)
    {
    case PUT_PRODUCTS:
      bind_text_or_null (stmt, 5, category_of (object));
      break;
    case PUT_CATEGORIES:
      sqlite3_bind_int64 (stmt, 5, i);
      break;
    case PUT_ORDERS:
      sqlite3_bind_int (stmt, 5, put->flag ? 1 : 0);
      bind_time (stmt, 6, time_us (member_string (object, "createdAt")));
      break;
    }
}

/* The search index follows the record just written (sd-local-search.c);
 * its failure is the connection's, read by put_job. */
static gboolean
index_record (Put *put, SdLocalDb *db, sqlite3 *conn, const char *id, JsonNode *node, const char *old_name)
{
  switch (put->kind)
    {
    case PUT_PRODUCTS:
      return sd_local_search_put_product (db, conn, id, node, NULL);
    case PUT_CATEGORIES:
      return sd_local_search_category_renamed (db, conn, id, old_name, NULL);
    case PUT_ORDERS:
      return sd_local_search_put_order (db, id, node, NULL);
    }
  return FALSE;
}

/* Writes each record, indexed; its place in the listing for products. */
static gboolean
put_records (Put *put, SdLocalDb *db, sqlite3 *conn, gint64 *out_written)
{
  sqlite3_stmt *upsert = NULL, *touch = NULL, *place = NULL;
  gboolean ok = sqlite3_prepare_v2 (conn, put_sql[put->kind].upsert, -1, &upsert, NULL) == SQLITE_OK &&
    (put_sql[put->kind].touch == NULL ||
     sqlite3_prepare_v2 (conn, put_sql[put->kind].touch, -1, &touch, NULL) == SQLITE_OK) &&
    (put->kind != PUT_PRODUCTS ||
     sqlite3_prepare_v2 (conn, "INSERT OR REPLACE INTO listings (listing, position, product_id)"
                         " VALUES (?1, ?2, ?3)", -1, &place, NULL) == SQLITE_OK);

  for (guint i = 0; ok && i < json_array_get_length (put->records); i++)
    {
      JsonNode *node = json_array_get_element (put->records, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = object ? record_id (object) : NULL;
      const char *updated = object ? member_string (object, "updatedAt") : NULL;
      g_autofree char *text = NULL;
      g_autofree char *old_name = NULL;
      g_autoptr(GError) refused = NULL;

      if (id == NULL || (text = sd_local_scrubbed_text (node, &refused)) == NULL)
        {
          g_debug ("Local store: record %u of a page left out (%s)", i, refused ? refused->message : "no id");
          continue;
        }
      sqlite3_bind_text (upsert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (upsert, 2, text, -1, SQLITE_TRANSIENT);
      bind_text_or_null (upsert, 3, updated);
      bind_time (upsert, 4, time_us (updated));
      bind_own (put, upsert, object, i);
      if (put->kind == PUT_CATEGORIES)
        old_name = sd_local_search_category_name (conn, id);
      ok = step_done (upsert);
      if (ok && sqlite3_changes (conn) > 0)
        {
          (*out_written)++;
          ok = index_record (put, db, conn, id, node, old_name);
        }
      else if (ok && touch)
        {
          sqlite3_bind_text (touch, 1, id, -1, SQLITE_TRANSIENT);
          bind_own (put, touch, object, i);
          ok = step_done (touch);
        }
      if (ok && place)
        {
          sqlite3_bind_text (place, 1, put->listing, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (place, 2, (gint64) put->offset + i);
          sqlite3_bind_text (place, 3, id, -1, SQLITE_TRANSIENT);
          ok = step_done (place);
        }
    }
  sqlite3_finalize (upsert);
  sqlite3_finalize (touch);
  sqlite3_finalize (place);
  return ok;
}

/* What a page or a complete list drops: the listing's places from its
 * total on (the total kept), the categories the complete list did not
 * name. */
static gboolean
put_trim (Put *put, sqlite3 *conn)
{
  sqlite3_stmt *drop = NULL, *keep = NULL;
  gboolean ok;

  if (put->kind == PUT_CATEGORIES && put->flag)
    return sqlite3_exec (conn, "DELETE FROM categories WHERE position < 0", NULL, NULL, NULL) == SQLITE_OK;
  if (put->kind != PUT_PRODUCTS || put->total < 0)
    return TRUE;
  ok = sqlite3_prepare_v2 (conn, "DELETE FROM listings WHERE listing = ?1 AND position >= ?2",
                           -1, &drop, NULL) == SQLITE_OK &&
    sqlite3_prepare_v2 (conn, "INSERT OR REPLACE INTO listing_totals (listing, total, stored)"
                        " VALUES (?1, ?2, ?3)", -1, &keep, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (drop, 1, put->listing, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (drop, 2, put->total);
      sqlite3_bind_text (keep, 1, put->listing, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (keep, 2, put->total);
      sqlite3_bind_int64 (keep, 3, g_get_real_time ());
      ok = step_done (drop) && step_done (keep);
    }
  sqlite3_finalize (drop);
  sqlite3_finalize (keep);
  return ok;
}

static void
put_job (SdLocalDb *db, GTask *task, gpointer data)
{
  Put *put = data;
  GError *error = NULL;
  gint64 written = 0;
  sqlite3 *conn = sd_local_db_cache (db, &error);
  /* A complete list of categories: the ones it leaves out are dropped. */
  const char *begin = put->kind == PUT_CATEGORIES && put->flag
    ? "BEGIN IMMEDIATE; UPDATE categories SET position = -1;" : "BEGIN IMMEDIATE";

  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (sqlite3_exec (conn, begin, NULL, NULL, NULL) != SQLITE_OK ||
      !put_records (put, db, conn, &written) || !put_trim (put, conn) ||
      sqlite3_exec (conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      if (!sd_local_db_failed (db, conn, &error))   /* not rebuilt: still open */
        sqlite3_exec (conn, "ROLLBACK", NULL, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, written);
}

static Put *
put_new (PutKind kind, JsonArray *records, gboolean flag)
{
  Put *put = g_new0 (Put, 1);

  put->kind = kind;
  put->listing = g_strdup ("");
  put->records = json_array_ref (records);
  put->flag = flag;
  put->total = -1;
  return put;
}

static void
put_async (SdLocalStore *self, gpointer tag, Put *put, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data)
{
  sd_local_store_run (self, tag, put_job, put, (GDestroyNotify) put_free, cancellable, callback, user_data);
}

void
sd_local_store_put_products_async (SdLocalStore *self, const char *listing, guint offset,
                                   JsonArray *products, gint64 total, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  Put *put = put_new (PUT_PRODUCTS, products, FALSE);

  g_free (put->listing);
  put->listing = g_strdup (listing ? listing : "");
  put->offset = offset;
  put->total = total;
  put_async (self, sd_local_store_put_products_async, put, cancellable, callback, user_data);
}

void
sd_local_store_put_categories_async (SdLocalStore *self, JsonArray *categories, gboolean complete,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  put_async (self, sd_local_store_put_categories_async, put_new (PUT_CATEGORIES, categories, complete),
             cancellable, callback, user_data);
}

void
sd_local_store_put_orders_async (SdLocalStore *self, JsonArray *orders, gboolean mine,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  put_async (self, sd_local_store_put_orders_async, put_new (PUT_ORDERS, orders, mine),
             cancellable, callback, user_data);
}

gint64
sd_local_store_put_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- read -------------------------------------------------------------- */

/* One SELECT of json rows; its parameters by name (:text, :a, :b), bound
 * when the statement has them. */
typedef struct {
  const char *sql;
  char       *text;
  gint64      a;
  gint64      b;
  gboolean    one;   /* the first row alone, NOT_FOUND without */
  gboolean    page;  /* a Page, with the listing's total (:text) */
} Read;

typedef struct {
  JsonArray *rows;
  gint64     total;
  gint64     stored;
} Page;

static void
page_free (Page *page)
{
  json_array_unref (page->rows);
  g_free (page);
}

/* The listing's total and when it was stored, or -1s. */
static gboolean
read_total (sqlite3 *conn, const char *listing, Page *page)
{
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_ERROR;

  page->total = page->stored = -1;
  if (sqlite3_prepare_v2 (conn, "SELECT total, stored FROM listing_totals WHERE listing = ?1",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, listing, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          page->total = sqlite3_column_int64 (stmt, 0);
          page->stored = sqlite3_column_int64 (stmt, 1);
        }
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static void
read_free (Read *read)
{
  g_free (read->text);
  g_free (read);
}

static void
bind_named (sqlite3_stmt *stmt, Read *read)
{
  int i;

  if ((i = sqlite3_bind_parameter_index (stmt, ":text")) > 0)
    sqlite3_bind_text (stmt, i, read->text, -1, SQLITE_TRANSIENT);
  if ((i = sqlite3_bind_parameter_index (stmt, ":a")) > 0)
    sqlite3_bind_int64 (stmt, i, read->a);
  if ((i = sqlite3_bind_parameter_index (stmt, ":b")) > 0)
    sqlite3_bind_int64 (stmt, i, read->b);
}

JsonNode *
sd_local_row_object (JsonParser *parser, sqlite3_stmt *stmt, int col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);
  int len = sqlite3_column_bytes (stmt, col);
  JsonNode *root;

  if (text == NULL || len > SD_LOCAL_RECORD_MAX || !json_parser_load_from_data (parser, text, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

static void
read_job (SdLocalDb *db, GTask *task, gpointer data)
{
  Read *read = data;
  GError *error = NULL;
  sqlite3 *conn = sd_local_db_cache (db, &error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  int rc = SQLITE_ERROR;
  Page page = { NULL, -1, -1 };

  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (sqlite3_prepare_v2 (conn, read->sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      bind_named (stmt, read);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          JsonNode *row = sd_local_row_object (parser, stmt, 0);

          if (row == NULL)
            continue;
          json_array_add_element (rows, row);
          if (read->one)
            break;
        }
    }
  sqlite3_finalize (stmt);
  if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || (read->page && !read_total (conn, read->text, &page)))
    {
      sd_local_db_failed (db, conn, &error);
      g_task_return_error (task, error);
      return;
    }
  if (read->page)
    {
      Page *result = g_new (Page, 1);

      *result = page;
      result->rows = g_steal_pointer (&rows);
      g_task_return_pointer (task, result, (GDestroyNotify) page_free);
    }
  else if (!read->one)
    g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) json_array_unref);
  else if (json_array_get_length (rows) == 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no order %s kept here", read->text);
  else
    g_task_return_pointer (task, json_object_ref (json_array_get_object_element (rows, 0)),
                           (GDestroyNotify) json_object_unref);
}

static Read *
read_new (const char *sql, const char *text, gint64 a, gint64 b)
{
  Read *read = g_new0 (Read, 1);

  read->sql = sql;
  read->text = g_strdup (text ? text : "");
  read->a = a;
  read->b = b;
  return read;
}

static void
read_async (SdLocalStore *self, gpointer tag, Read *read, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  sd_local_store_run (self, tag, read_job, read, (GDestroyNotify) read_free, cancellable, callback, user_data);
}

void
sd_local_store_read_products_async (SdLocalStore *self, const char *listing, guint offset, guint limit,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  Read *read = read_new ("SELECT p.json FROM listings l JOIN products p ON p.id = l.product_id"
                         " WHERE l.listing = :text AND l.position >= :a ORDER BY l.position LIMIT :b",
                         listing, offset, limit);

  read->page = TRUE;
  read_async (self, sd_local_store_read_products_async, read, cancellable, callback, user_data);
}

JsonArray *
sd_local_store_read_products_finish (SdLocalStore *self, GAsyncResult *result, gint64 *out_total,
                                     gint64 *out_stored, GError **error)
{
  Page *page;
  JsonArray *rows;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;
  if (out_total)
    *out_total = page->total;
  if (out_stored)
    *out_stored = page->stored;
  rows = g_steal_pointer (&page->rows);
  g_free (page);
  return rows;
}

void
sd_local_store_read_categories_async (SdLocalStore *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  read_async (self, sd_local_store_read_categories_async,
              read_new ("SELECT json FROM categories ORDER BY position, id", NULL, 0, 0),
              cancellable, callback, user_data);
}

void
sd_local_store_read_orders_async (SdLocalStore *self, gboolean only_mine, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  read_async (self, sd_local_store_read_orders_async,
              read_new ("SELECT json FROM orders WHERE mine >= :a ORDER BY created_us DESC, id",
                        NULL, only_mine ? 1 : 0, 0),
              cancellable, callback, user_data);
}

void
sd_local_store_read_order_async (SdLocalStore *self, const char *id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  Read *read = read_new ("SELECT json FROM orders WHERE id = :text", id, 0, 0);

  read->one = TRUE;
  read_async (self, sd_local_store_read_order_async, read, cancellable, callback, user_data);
}

JsonArray *
sd_local_store_read_array_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
sd_local_store_read_order_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
