/* sd-server-store-transfer.c — the store's whole content as a stream of
 * JSON lines, and back: `storedesk-server export` piped into `import`
 * moves a shop between engines (SQLite → PostgreSQL) with nothing lost.
 *
 * The stream: a header {"storedesk-export":1}, one line per row
 * {"table":T,"row":{column:value,…}} (integers as numbers, bytes as
 * base64 in {"base64":…}), one per picture {"picture":NAME,"base64":…}
 * (sd-server-transfer.c adds those), and a last {"end":ROWS}: a stream
 * cut short is refused whole. Every table of the schema is in it, meta
 * (the signing secrets) and sessions too, so tokens, guest keys and
 * sign-ins carry over; it is as secret as the database itself. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <string.h>

#include "sd-json-guard.h"

typedef struct {
  const char *table;
  const char *columns;   /* name:t|i|b, space-separated */
} TableColumns;

/* In the order an import must insert them (references first). */
static const TableColumns tables[] = {
  { "meta", "key:t value:t" },
  { "categories", "id:t name:t created_at:t updated_at:t" },
  { "products", "id:t seq:i category_id:t name:t brand:t price:i image:t description:t option_id:t"
                " option_name:t option_values:t stock:i created_at:t updated_at:t" },
  { "users", "id:t email:t name:t phone_number:t password_hash:t address:t address_detail:t role:t"
             " profile_image:t created_at:t updated_at:t" },
  { "sessions", "id:t user_id:t expires_at:i generation:i rotated_at:i" },
  { "email_codes", "email:t code_hash:t expires_at:i tries:i confirmed_at:i" },
  { "throttle_events", "kind:t key:t at:i" },
  { "orders", "id:t seq:i customer_id:t user_id:t access_key_hash:t status:t memo:t ttl_price_item:i"
              " ttl_price_delivery:i ttl_price:i receiver:t created_at:t updated_at:t random_id:i"
              " order_number:t" },
  { "order_lines", "order_id:t position:i product_id:t name:t count:i price:i image:t options:t" },
  { "idempotency_records", "key:t caller:t body_hash:t order_id:t access_key_box:b created_at:i" },
  { "activity", "id:i at:t actor_id:t actor_email:t actor_name:t entity:t entity_id:t label:t action:t"
                " details:t origin:t" },
};

#define MAX_LINE (16 * 1024 * 1024)
#define MAX_DEPTH 8

static char **
column_specs (const TableColumns *t)
{
  return g_strsplit (t->columns, " ", -1);
}

/* "a, b, c" from the specs. */
static char *
column_list (char **specs)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; specs[i]; i++)
    {
      g_autofree char *name = g_strndup (specs[i], strchr (specs[i], ':') - specs[i]);
      g_string_append_printf (s, "%s%s", i ? ", " : "", name);
    }
  return g_string_free (s, FALSE);
}

/* A whole shop in one transaction, waiting on a pipe between statements,
 * as long as it takes: PostgreSQL's time limits of a node are lifted
 * for it. */
static gboolean
no_time_limits (SdServerDb *db, GError **error)
{
  if (sd_server_db_engine (db) != SD_SERVER_ENGINE_POSTGRESQL)
    return TRUE;
  return sd_server_db_exec (db, "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0;"
                                "SET LOCAL idle_in_transaction_session_timeout = 0", error);
}

/* ---- export ----------------------------------------------------------- */

static JsonNode *
row_to_json (SdStmt *stmt, char **specs)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint i = 0; specs[i]; i++)
    {
      const char *colon = strchr (specs[i], ':');
      g_autofree char *name = g_strndup (specs[i], colon - specs[i]);

      json_builder_set_member_name (b, name);
      if (sd_stmt_is_null (stmt, (int) i))
        json_builder_add_null_value (b);
      else if (colon[1] == 'i')
        json_builder_add_int_value (b, sd_stmt_int64 (stmt, (int) i));
      else if (colon[1] == 'b')
        {
          g_autoptr(GBytes) bytes = sd_stmt_dup_bytes (stmt, (int) i);
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "base64");
          json_builder_add_string_value (b, b64);
          json_builder_end_object (b);
        }
      else
        json_builder_add_string_value (b, sd_stmt_text (stmt, (int) i));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
write_line (GOutputStream *out, JsonNode *node, GError **error)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error) &&
         g_output_stream_write_all (out, "\n", 1, NULL, NULL, error);
}

static gboolean
export_table (SdServerDb *db, const TableColumns *t, GOutputStream *out, guint64 *rows, GError **error)
{
  g_auto(GStrv) specs = column_specs (t);
  g_autofree char *columns = column_list (specs);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s", columns, t->table);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, sql, error);
  SdStmtResult rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sd_stmt_step (stmt)) == SD_STMT_ROW)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) line = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, t->table);
      json_builder_set_member_name (b, "row");
      json_builder_add_value (b, row_to_json (stmt, specs));
      json_builder_end_object (b);
      line = json_builder_get_root (b);
      if (!write_line (out, line, error))
        return FALSE;
      (*rows)++;
    }
  return rc == SD_STMT_DONE || sd_server_db_set_error (db, error, t->table);
}

gboolean
sd_server_store_export (SdServerStore *store, GOutputStream *out, SdServerExportExtra extra, gpointer user_data,
                        GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(JsonNode) head = json_from_string ("{\"storedesk-export\":1}", NULL);
  g_autoptr(JsonNode) end = NULL;
  guint64 rows = 0;
  gboolean ok = TRUE;

  /* One snapshot: SQLite's read transaction; PostgreSQL's repeatable read. */
  if (!sd_server_db_exec (db, sd_server_db_engine (db) == SD_SERVER_ENGINE_POSTGRESQL
                              ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", error) ||
      !no_time_limits (db, error))
    return FALSE;
  ok = write_line (out, head, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (tables); i++)
    ok = export_table (db, &tables[i], out, &rows, error);
  sd_server_db_rollback (db);
  if (ok && extra != NULL)
    ok = extra (out, &rows, user_data, error);
  if (!ok)
    return FALSE;
  end = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (end, json_object_new ());
  json_object_set_int_member (json_node_get_object (end), "end", (gint64) rows);
  return write_line (out, end, error) && g_output_stream_flush (out, NULL, error);
}

/* ---- import ----------------------------------------------------------- */

static const TableColumns *
find_table (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].table, name) == 0)
      return &tables[i];
  return NULL;
}

static gboolean
fail (GError **error, guint64 line, const char *why)
{
  g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_FAILED, "line %" G_GUINT64_FORMAT ": %s",
               line, why);
  return FALSE;
}

static gboolean
bind_value (SdStmt *stmt, int i, char kind, JsonNode *value, guint64 line, GError **error)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (kind == 'i')
        sd_stmt_bind_int64_or_null (stmt, i, 0, TRUE);
      else if (kind == 'b')
        sd_stmt_bind_blob (stmt, i, NULL, 0);
      else
        sd_stmt_bind_text_copy (stmt, i, NULL);
      return TRUE;
    }
  if (kind == 'i' && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
    sd_stmt_bind_int64 (stmt, i, json_node_get_int (value));
  else if (kind == 't' && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    sd_stmt_bind_text_copy (stmt, i, json_node_get_string (value));
  else if (kind == 'b' && JSON_NODE_HOLDS_OBJECT (value) &&
           json_object_has_member (json_node_get_object (value), "base64"))
    {
      const char *b64 = json_object_get_string_member_with_default (json_node_get_object (value), "base64", "");
      gsize size = 0;
      g_autofree guchar *data = g_base64_decode (b64, &size);

      sd_stmt_bind_blob (stmt, i, data ? data : (guchar *) "", size);   /* copied */
      return TRUE;
    }
  else
    return fail (error, line, "a value of the wrong type");
  return TRUE;
}

static gboolean
import_row (SdServerDb *db, const TableColumns *t, JsonObject *row, guint64 line, GError **error)
{
  g_auto(GStrv) specs = column_specs (t);
  g_autofree char *columns = column_list (specs);
  GString *sql = g_string_new (NULL);
  g_autoptr(SdStmt) stmt = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GList) members = json_object_get_members (row);

  for (GList *m = members; m; m = m->next)
    {
      g_autofree char *spec = g_strconcat (" ", t->columns, " ", NULL);
      g_autofree char *want = g_strdup_printf (" %s:", (const char *) m->data);

      if (strstr (spec, want) == NULL)
        return g_string_free (sql, TRUE), fail (error, line, "a column this server does not know");
    }
  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES (", t->table, columns);
  for (guint i = 0; specs[i]; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
  g_string_append (sql, ")");
  if (g_str_equal (t->table, "meta"))
    g_string_append (sql, " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  text = g_string_free (sql, FALSE);
  stmt = sd_server_db_statement (db, text, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; specs[i]; i++)
    {
      const char *colon = strchr (specs[i], ':');
      g_autofree char *name = g_strndup (specs[i], colon - specs[i]);

      if (!bind_value (stmt, (int) i + 1, colon[1], json_object_get_member (row, name), line, error))
        return FALSE;
    }
  return sd_server_db_step_done (db, stmt, error);
}

/* After rows with their own seq: the sequences past them (PostgreSQL). */
static gboolean
bump_sequences (SdServerDb *db, GError **error)
{
  if (sd_server_db_engine (db) != SD_SERVER_ENGINE_POSTGRESQL)
    return TRUE;
  return sd_server_db_exec (db,
    "SELECT setval ('products_seq', coalesce ((SELECT max (seq) FROM products), 0) + 1, false);"
    "SELECT setval ('orders_seq', coalesce ((SELECT max (seq) FROM orders), 0) + 1, false);"
    "SELECT setval ('activity_seq', coalesce ((SELECT max (id) FROM activity), 0) + 1, false)", error);
}

static gboolean
store_is_empty (SdServerDb *db, GError **error)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "SELECT (SELECT count (*) FROM categories) + (SELECT count (*) FROM products)"
    " + (SELECT count (*) FROM users) + (SELECT count (*) FROM orders)", error);

  if (stmt == NULL || !sd_server_db_step_row (db, stmt, "count", error))
    return FALSE;
  if (sd_stmt_int64 (stmt, 0) == 0)
    return TRUE;
  g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT,
               "the target shop is not empty: import only into a fresh database");
  return FALSE;
}

/* Lines of at most MAX_LINE bytes, refused before a longer one is read
 * whole. */
typedef struct {
  GInputStream *in;
  GByteArray   *buf;
  gsize         pos;
  gboolean      eof;
} LineReader;

#define READ_CHUNK (64 * 1024)

/* The next line (without its newline); NULL at the end, or with *error. */
static char *
read_line (LineReader *r, gsize *out_len, GError **error)
{
  for (;;)
    {
      const guint8 *start = r->buf->data + r->pos;
      gsize avail = r->buf->len - r->pos;
      const guint8 *nl = avail ? memchr (start, '\n', avail) : NULL;
      gssize n;
      gsize had;

      if (nl != NULL || (r->eof && avail > 0))
        {
          gsize len = nl ? (gsize) (nl - start) : avail;
          char *line = g_strndup ((const char *) start, len);

          r->pos += len + (nl ? 1 : 0);
          *out_len = len;
          return line;
        }
      if (avail > MAX_LINE)
        {
          g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_FAILED,
                       "a line longer than %d bytes", MAX_LINE);
          return NULL;
        }
      if (r->eof)
        return NULL;
      g_byte_array_remove_range (r->buf, 0, (guint) r->pos);
      r->pos = 0;
      had = r->buf->len;
      g_byte_array_set_size (r->buf, (guint) (had + READ_CHUNK));
      n = g_input_stream_read (r->in, r->buf->data + had, READ_CHUNK, NULL, error);
      g_byte_array_set_size (r->buf, (guint) (had + MAX (n, 0)));
      if (n < 0)
        return NULL;
      r->eof = n == 0;
    }
}

gboolean
sd_server_store_import (SdServerStore *store, GInputStream *in, SdServerImportExtra extra, gpointer user_data,
                        guint64 *out_rows, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  guint64 line_no = 0, rows = 0;
  gboolean ended = FALSE, ok = TRUE;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  LineReader reader = { in, buf, 0, FALSE };

  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (!no_time_limits (db, error) || !store_is_empty (db, error))
    goto out_fail;
  while (ok && !ended)
    {
      gsize len = 0;
      g_autoptr(GError) read_error = NULL;
      g_autofree char *line = read_line (&reader, &len, &read_error);
      g_autoptr(JsonParser) parser = NULL;
      JsonObject *obj;

      line_no++;
      if (read_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          goto out_fail;
        }
      if (line == NULL)
        {
          ok = fail (error, line_no, "the stream ends before its end line: it was cut short, nothing imported");
          break;
        }
      if (!sd_json_depth_ok (line, len, MAX_DEPTH))
        {
          ok = fail (error, line_no, "a line too long or nested too deeply");
          break;
        }
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, line, (gssize) len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          ok = fail (error, line_no, "not a JSON object");
          break;
        }
      obj = json_node_get_object (json_parser_get_root (parser));
      if (line_no == 1)
        ok = json_object_get_int_member_with_default (obj, "storedesk-export", 0) == 1 ||
             fail (error, line_no, "not a storedesk-server export (or of a newer version)");
      else if (json_object_has_member (obj, "end"))
        {
          ended = TRUE;
          ok = (guint64) json_object_get_int_member_with_default (obj, "end", -1) == rows ||
               fail (error, line_no, "the end line counts other rows than the stream has");
        }
      else if (json_object_has_member (obj, "table"))
        {
          const TableColumns *t = find_table (json_object_get_string_member_with_default (obj, "table", ""));
          JsonNode *row = json_object_get_member (obj, "row");

          ok = (t != NULL && row != NULL && JSON_NODE_HOLDS_OBJECT (row)) ?
               import_row (db, t, json_node_get_object (row), line_no, error) :
               fail (error, line_no, "a row of a table this server does not know");
          rows++;
        }
      else if (extra != NULL && json_object_has_member (obj, "picture"))
        {
          ok = extra (obj, user_data, error);
          rows++;
        }
      else
        ok = fail (error, line_no, "a line this server does not know");
    }
  if (!ok || !bump_sequences (db, error) || !sd_server_db_commit (db, error))
    goto out_fail;
  if (out_rows)
    *out_rows = rows;
  return TRUE;

out_fail:
  sd_server_db_rollback (db);
  return FALSE;
}
