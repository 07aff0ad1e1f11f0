/* sd-server-db.c — the store's engines under one statement layer:
 * SQLite here (its schema and opening in sd-server-db-sqlite.c),
 * PostgreSQL in sd-server-db-pg.c. Prepared statements only. What is
 * stored where is the store's (sd-server-store-*.c). */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-db-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (SdServerDb, sd_server_db, G_TYPE_OBJECT)

/* SQLite's result code as the store's error code. */
static SdServerStoreError
store_error_code (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return SD_SERVER_STORE_ERROR_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SD_SERVER_STORE_ERROR_BUSY;
    default:
      return SD_SERVER_STORE_ERROR_FAILED;
    }
}

gboolean
sd_server_db_set_error (SdServerDb *self, GError **error, const char *what)
{
  if (self->engine == SD_SERVER_ENGINE_POSTGRESQL)
    g_set_error (error, SD_SERVER_STORE_ERROR, self->pg_code, "%s: %s", what,
                 self->pg_error ? self->pg_error : "unknown PostgreSQL error");
  else
    g_set_error (error, SD_SERVER_STORE_ERROR, store_error_code (sqlite3_extended_errcode (self->lite)),
                 "%s: %s", what, sqlite3_errmsg (self->lite));
  return FALSE;
}

static void
stmt_free (gpointer data)
{
  SdStmt *stmt = data;

  sqlite3_finalize (stmt->lite);
  sd_server_db_pg_free (stmt);
  g_free (stmt);
}

static void
sd_server_db_finalize (GObject *object)
{
  SdServerDb *self = SD_SERVER_DB (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->lite != NULL)
    {
      /* A clean close checkpoints the WAL into the main file. */
      if (sqlite3_close (self->lite) != SQLITE_OK)
        g_warning ("closing the database: %s", sqlite3_errmsg (self->lite));
    }
  sd_server_db_pg_close (self);
  g_clear_pointer (&self->pg_error, g_free);
  G_OBJECT_CLASS (sd_server_db_parent_class)->finalize (object);
}

static void
sd_server_db_class_init (SdServerDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_server_db_finalize;
}

static void
sd_server_db_init (SdServerDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_free);
}

SdServerEngine
sd_server_db_engine (SdServerDb *self)
{
  return self->engine;
}

gboolean
sd_server_database_is_postgresql (const char *database)
{
  return database != NULL &&
         (g_str_has_prefix (database, "postgresql://") || g_str_has_prefix (database, "postgres://"));
}

/* Prepared once per SQL text, then reused: the caller resets it with
 * sd_stmt_release (g_autoptr(SdStmt) does that). */
SdStmt *
sd_server_db_statement (SdServerDb *self, const char *sql, GError **error)
{
  SdStmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  stmt = g_new0 (SdStmt, 1);
  stmt->db = self;
  if (self->engine == SD_SERVER_ENGINE_POSTGRESQL)
    {
      if (!sd_server_db_pg_prepare (self, stmt, sql, error))
        return g_free (stmt), NULL;
    }
  else if (sqlite3_prepare_v3 (self->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->lite, NULL) != SQLITE_OK)
    {
      sd_server_db_set_error (self, error, "prepare");
      return g_free (stmt), NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

void
sd_stmt_release (SdStmt *stmt)
{
  if (stmt->lite != NULL)
    {
      sqlite3_reset (stmt->lite);
      sqlite3_clear_bindings (stmt->lite);
    }
  else
    sd_server_db_pg_release (stmt);
}

/* ---- parameters ------------------------------------------------------- */

#define PG_TEXT_OID 25
#define PG_INT8_OID 20
#define PG_BYTEA_OID 17

void
sd_stmt_bind_text (SdStmt *stmt, int i, const char *text)
{
  if (stmt->lite != NULL)
    sqlite3_bind_text (stmt->lite, i, text, -1, SQLITE_STATIC);
  else
    sd_server_db_pg_bind (stmt, i, PG_TEXT_OID, text, -1, 0);
}

void
sd_stmt_bind_text_copy (SdStmt *stmt, int i, const char *text)
{
  if (stmt->lite != NULL)
    sqlite3_bind_text (stmt->lite, i, text, -1, SQLITE_TRANSIENT);
  else
    sd_server_db_pg_bind (stmt, i, PG_TEXT_OID, text, -1, 0);
}

void
sd_stmt_bind_int64 (SdStmt *stmt, int i, gint64 value)
{
  if (stmt->lite != NULL)
    sqlite3_bind_int64 (stmt->lite, i, value);
  else
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
      sd_server_db_pg_bind (stmt, i, PG_INT8_OID, text, -1, 0);
    }
}

void
sd_stmt_bind_int64_or_null (SdStmt *stmt, int i, gint64 value, gboolean is_null)
{
  if (!is_null)
    sd_stmt_bind_int64 (stmt, i, value);
  else if (stmt->lite != NULL)
    sqlite3_bind_null (stmt->lite, i);
  else
    sd_server_db_pg_bind (stmt, i, PG_INT8_OID, NULL, 0, 0);
}

void
sd_stmt_bind_blob (SdStmt *stmt, int i, const void *data, gsize size)
{
  g_return_if_fail (size <= G_MAXINT);
  if (stmt->lite != NULL)
    {
      if (data == NULL)
        sqlite3_bind_null (stmt->lite, i);
      else
        sqlite3_bind_blob (stmt->lite, i, data, (int) size, SQLITE_TRANSIENT);
    }
  else
    sd_server_db_pg_bind (stmt, i, PG_BYTEA_OID, data, (int) size, 1);
}

/* ---- stepping ---------------------------------------------------------- */

SdStmtResult
sd_stmt_step (SdStmt *stmt)
{
  int rc;

  if (stmt->lite == NULL)
    return sd_server_db_pg_step (stmt);
  rc = sqlite3_step (stmt->lite);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? (SdStmtResult) rc : SD_STMT_ERROR;
}

gint64
sd_server_db_changes (SdServerDb *self)
{
  return self->engine == SD_SERVER_ENGINE_POSTGRESQL ? self->pg_changes : sqlite3_changes (self->lite);
}

gboolean
sd_server_db_step_done (SdServerDb *self, SdStmt *stmt, GError **error)
{
  if (sd_stmt_step (stmt) != SD_STMT_ERROR)
    return TRUE;
  return sd_server_db_set_error (self, error, "write");
}

gboolean
sd_server_db_run_text (SdServerDb *self, const char *sql, const char *text, GError **error)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, text);
  return sd_server_db_step_done (self, stmt, error);
}

gboolean
sd_server_db_step_row (SdServerDb *self, SdStmt *stmt, const char *what, GError **error)
{
  SdStmtResult rc = sd_stmt_step (stmt);

  if (rc == SD_STMT_ROW)
    return TRUE;
  if (rc == SD_STMT_DONE)
    g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND, "no such %s", what);
  else
    sd_server_db_set_error (self, error, what);
  return FALSE;
}

gboolean
sd_server_db_step_changed (SdServerDb *self, SdStmt *stmt, const char *what, GError **error)
{
  if (!sd_server_db_step_done (self, stmt, error))
    return FALSE;
  if (sd_server_db_changes (self) > 0)
    return TRUE;
  g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND, "no such %s", what);
  return FALSE;
}

/* Changes whenever the data may have. SQLite: our own writes
 * (total_changes) and commits by other processes on the same file
 * (data_version). PostgreSQL: a counter every write bumps, in its own
 * transaction, whichever node made it (sd-server-db-pg.c). */
gint64
sd_server_db_change_stamp (SdServerDb *self)
{
  g_autoptr(SdStmt) stmt = NULL;
  gint64 version = -1;

  if (self->engine == SD_SERVER_ENGINE_POSTGRESQL)
    return sd_server_db_pg_change_stamp (self);
  stmt = sd_server_db_statement (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && sd_stmt_step (stmt) == SD_STMT_ROW)
    version = sd_stmt_int64 (stmt, 0);
  return (sqlite3_total_changes64 (self->lite) << 20) ^ version;
}

/* ---- transactions ------------------------------------------------------- */

gboolean
sd_server_db_begin (SdServerDb *self, GError **error)
{
  if (self->engine == SD_SERVER_ENGINE_SQLITE)
    return sd_server_db_exec (self, "BEGIN IMMEDIATE", error);
  if (sd_server_db_begin_concurrent (self, error) && sd_server_db_lock (self, "write", error))
    return TRUE;
  /* The lock not had in time (lock_timeout): a PostgreSQL transaction
   * that failed stays open, refusing every statement, until it is
   * rolled back; callers only return. */
  sd_server_db_rollback (self);
  return FALSE;
}

gboolean
sd_server_db_begin_concurrent (SdServerDb *self, GError **error)
{
  if (self->engine == SD_SERVER_ENGINE_SQLITE)
    return sd_server_db_exec (self, "BEGIN IMMEDIATE", error);
  /* A transaction some failed path left open goes first. */
  if (sd_server_db_pg_in_transaction (self))
    {
      g_warning ("a PostgreSQL transaction was left open; rolled back");
      sd_server_db_exec (self, "ROLLBACK", NULL);
    }
  return sd_server_db_exec (self, "BEGIN", error);
}

gboolean
sd_server_db_lock (SdServerDb *self, const char *key, GError **error)
{
  g_autoptr(SdStmt) stmt = NULL;

  if (self->engine == SD_SERVER_ENGINE_SQLITE)
    return TRUE;
  stmt = sd_server_db_statement (self, "SELECT pg_advisory_xact_lock (hashtext ('storedesk:' || ?))", error);
  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, key);
  return sd_server_db_step_done (self, stmt, error);
}

gboolean
sd_server_db_commit (SdServerDb *self, GError **error)
{
  return sd_server_db_exec (self, "COMMIT", error);
}

static gboolean
in_transaction (SdServerDb *self)
{
  if (self->engine == SD_SERVER_ENGINE_POSTGRESQL)
    return sd_server_db_pg_in_transaction (self);
  return !sqlite3_get_autocommit (self->lite);
}

void
sd_server_db_rollback (SdServerDb *self)
{
  if (in_transaction (self))
    sd_server_db_exec (self, "ROLLBACK", NULL);
}

gboolean
sd_server_db_end (SdServerDb *self, gboolean ok, GError **error)
{
  if (ok && sd_server_db_commit (self, error))
    return TRUE;
  sd_server_db_rollback (self);
  return FALSE;
}

gboolean
sd_server_db_exec (SdServerDb *self, const char *sql, GError **error)
{
  char *msg = NULL;
  int rc;

  if (self->engine == SD_SERVER_ENGINE_POSTGRESQL)
    return sd_server_db_pg_exec (self, sql, error);
  rc = sqlite3_exec (self->lite, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SD_SERVER_STORE_ERROR, store_error_code (rc),
                   "%s", msg ? msg : "unknown SQLite error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

SdServerDb *
sd_server_db_open (const char *database, GError **error)
{
  g_autoptr(SdServerDb) self = NULL;

  if (!sd_server_database_is_postgresql (database))
    return sd_server_db_sqlite_open (database, error);
  self = g_object_new (SD_TYPE_SERVER_DB, NULL);
  self->engine = SD_SERVER_ENGINE_POSTGRESQL;
  if (!sd_server_db_pg_open (self, database, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---- rows ----------------------------------------------------------- */

const char *
sd_stmt_text_or_null (SdStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return (const char *) sqlite3_column_text (stmt->lite, col);
  return sd_server_db_pg_value (stmt, col);
}

const char *
sd_stmt_text (SdStmt *stmt, int col)
{
  const char *s = sd_stmt_text_or_null (stmt, col);
  return s ? s : "";
}

gsize
sd_stmt_text_length (SdStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return (gsize) sqlite3_column_bytes (stmt->lite, col);
  return (gsize) sd_server_db_pg_length (stmt, col);
}

void
sd_stmt_append_json (SdStmt *stmt, int col, GString *out)
{
  const char *s = sd_stmt_text_or_null (stmt, col);
  gsize len = sd_stmt_text_length (stmt, col);
  gboolean in_string = FALSE;

  if (s == NULL)
    return;
  if (stmt->lite != NULL)
    {
      g_string_append_len (out, s, (gssize) len);
      return;
    }
  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];

      if (in_string)
        {
          g_string_append_c (out, c);
          if (c == '\\' && i + 1 < len)
            g_string_append_c (out, s[++i]);
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        {
          in_string = TRUE;
          g_string_append_c (out, c);
        }
      else if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
        g_string_append_c (out, c);
    }
}

gint64
sd_stmt_int64 (SdStmt *stmt, int col)
{
  const char *s;

  if (stmt->lite != NULL)
    return sqlite3_column_int64 (stmt->lite, col);
  s = sd_server_db_pg_value (stmt, col);
  return s ? g_ascii_strtoll (s, NULL, 10) : 0;
}

gboolean
sd_stmt_is_null (SdStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return sqlite3_column_type (stmt->lite, col) == SQLITE_NULL;
  return sd_server_db_pg_is_null (stmt, col);
}

GBytes *
sd_stmt_dup_bytes (SdStmt *stmt, int col)
{
  const void *data;
  const char *hex;
  size_t size = 0;
  guchar *raw;
  GBytes *bytes;

  if (sd_stmt_is_null (stmt, col))
    return NULL;
  if (stmt->lite != NULL)
    {
      data = sqlite3_column_blob (stmt->lite, col);
      return g_bytes_new (data, (gsize) sqlite3_column_bytes (stmt->lite, col));
    }
  /* bytea comes as text, "\\x" and hex */
  hex = sd_server_db_pg_value (stmt, col);
  raw = PQunescapeBytea ((const unsigned char *) hex, &size);
  if (raw == NULL)
    return NULL;
  bytes = g_bytes_new (raw, size);
  PQfreemem (raw);
  return bytes;
}

/* Steps a bound statement to its end: a JSON array, one element per row. */
JsonNode *
sd_server_db_collect_rows (SdServerDb *self, SdStmt *stmt, SdRowToJson row_to_json, gpointer user_data,
                           const char *what, GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node;
  SdStmtResult rc;

  while ((rc = sd_stmt_step (stmt)) == SD_STMT_ROW)
    json_array_add_element (array, row_to_json (stmt, user_data));
  if (rc != SD_STMT_DONE)
    {
      sd_server_db_set_error (self, error, what);
      return NULL;
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  return node;
}

/* Steps a bound statement once: the row as JSON, or NULL without an
 * error when there is no such row. */
JsonNode *
sd_server_db_first_row (SdServerDb *self, SdStmt *stmt, SdRowToJson row_to_json, gpointer user_data,
                        const char *what, GError **error)
{
  SdStmtResult rc = sd_stmt_step (stmt);

  if (rc == SD_STMT_ROW)
    return row_to_json (stmt, user_data);
  if (rc != SD_STMT_DONE)
    sd_server_db_set_error (self, error, what);
  return NULL;
}

static SdStmt *
statement_with_key (SdServerDb *self, const char *sql, const char *key, GError **error)
{
  SdStmt *stmt = sd_server_db_statement (self, sql, error);

  if (stmt != NULL)
    sd_stmt_bind_text_copy (stmt, 1, key);
  return stmt;
}

JsonNode *
sd_server_db_rows_by_key (SdServerDb *self, const char *sql, const char *key, SdRowToJson row_to_json,
                          gpointer user_data, const char *what, GError **error)
{
  g_autoptr(SdStmt) stmt = statement_with_key (self, sql, key, error);

  return stmt ? sd_server_db_collect_rows (self, stmt, row_to_json, user_data, what, error) : NULL;
}

JsonNode *
sd_server_db_row_by_id (SdServerDb *self, const char *sql, const char *id, SdRowToJson row_to_json,
                        gpointer user_data, const char *what, GError **error)
{
  g_autoptr(SdStmt) stmt = statement_with_key (self, sql, id, error);

  return stmt ? sd_server_db_first_row (self, stmt, row_to_json, user_data, what, error) : NULL;
}

/* LIKE pattern for "contains text", with the pattern characters escaped
 * (use with ESCAPE '\\'). */
char *
sd_server_like_pattern (const char *q)
{
  GString *s = g_string_new ("%");
  for (const char *p = q; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}
