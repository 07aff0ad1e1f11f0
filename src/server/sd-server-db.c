/* sd-server-db.c — the store's engines under one statement layer:
 * SQLite (WAL mode, foreign keys on, schema versioned by user_version)
 * here, PostgreSQL in sd-server-db-pg.c. Prepared statements only. What
 * is stored where is the store's (sd-server-store-*.c). */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-db-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (SdServerDb, sd_server_db, G_TYPE_OBJECT)

/* Each entry moves the schema from version i to i + 1. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE categories ("
  "  id         TEXT PRIMARY KEY,"
  "  name       TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE TABLE products ("
  "  id            TEXT PRIMARY KEY,"
  "  seq           INTEGER NOT NULL UNIQUE,"
  "  category_id   TEXT NOT NULL REFERENCES categories (id),"
  "  name          TEXT NOT NULL,"
  "  brand         TEXT NOT NULL DEFAULT '',"
  "  price         INTEGER NOT NULL CHECK (price >= 0),"
  "  image         TEXT NOT NULL DEFAULT '',"
  "  description   TEXT NOT NULL DEFAULT '',"
  "  option_id     TEXT,"
  "  option_name   TEXT,"
  "  option_values TEXT,"   /* JSON array of strings */
  "  stock         INTEGER CHECK (stock IS NULL OR stock >= 0),"
  "  created_at    TEXT NOT NULL,"
  "  updated_at    TEXT NOT NULL);"
  "CREATE INDEX products_by_category ON products (category_id, seq);"
  "CREATE INDEX products_by_price ON products (price, seq);"
  "CREATE INDEX products_by_name ON products (name, seq);"
  "CREATE TABLE users ("
  "  id             TEXT PRIMARY KEY,"
  "  email          TEXT NOT NULL UNIQUE,"
  "  name           TEXT NOT NULL,"
  "  phone_number   TEXT NOT NULL DEFAULT '',"
  "  password_hash  TEXT NOT NULL,"
  "  address        TEXT NOT NULL DEFAULT '',"
  "  address_detail TEXT NOT NULL DEFAULT '',"
  "  role           TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),"
  "  profile_image  TEXT NOT NULL DEFAULT '',"
  "  created_at     TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL);",
  /* 1 → 2: accounts, orders */
  "CREATE TABLE sessions ("
  "  id         TEXT PRIMARY KEY,"
  "  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE INDEX sessions_by_user ON sessions (user_id);"
  "CREATE TABLE email_codes ("
  "  email        TEXT PRIMARY KEY,"
  "  code_hash    TEXT NOT NULL,"
  "  expires_at   INTEGER NOT NULL,"
  "  tries        INTEGER NOT NULL DEFAULT 0,"
  "  confirmed_at INTEGER);"
  "CREATE TABLE sign_in_failures ("
  "  email TEXT NOT NULL,"
  "  at    INTEGER NOT NULL);"
  "CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);"
  "CREATE TABLE orders ("
  "  id                 TEXT PRIMARY KEY,"
  "  seq                INTEGER NOT NULL UNIQUE,"
  "  customer_id        TEXT NOT NULL,"
  "  user_id            TEXT REFERENCES users (id) ON DELETE SET NULL,"
  "  access_key_hash    TEXT,"
  "  status             TEXT NOT NULL,"
  "  memo               TEXT NOT NULL DEFAULT '',"
  "  ttl_price_item     INTEGER NOT NULL,"
  "  ttl_price_delivery INTEGER NOT NULL,"
  "  ttl_price          INTEGER NOT NULL,"
  "  receiver           TEXT,"   /* JSON object */
  "  created_at         TEXT NOT NULL,"
  "  updated_at         TEXT NOT NULL);"
  "CREATE INDEX orders_by_user ON orders (user_id, seq);"
  "CREATE INDEX orders_by_status ON orders (status, seq);"
  "CREATE TABLE order_lines ("
  "  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  position   INTEGER NOT NULL,"
  "  product_id TEXT NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  count      INTEGER NOT NULL CHECK (count > 0),"
  "  price      INTEGER NOT NULL,"
  "  image      TEXT NOT NULL DEFAULT '',"
  "  options    TEXT,"   /* JSON, as the client sent it */
  "  PRIMARY KEY (order_id, position));"
  "CREATE TABLE idempotency_keys ("
  "  key        TEXT PRIMARY KEY,"
  "  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL);",
  /* 2 → 3: an Idempotency-Key belongs to its caller (the member, or for a
   * guest the body, by its SHA-256); a guest's random access key is kept
   * only encrypted for the retry (sd-server-orders-checkout.c). Members'
   * records carry over; guests' and staff's are dropped (see migration_note):
   * their access keys were derived from the key itself, and they live
   * 24 hours anyway. */
  "CREATE TABLE idempotency_records ("
  "  key            TEXT PRIMARY KEY,"
  "  caller         TEXT NOT NULL,"   /* 'user:ID', 'admin:ID' or 'guest' */
  "  body_hash      TEXT NOT NULL,"   /* SHA-256 hex of the body; '' when carried over */
  "  order_id       TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  access_key_box BLOB,"            /* guests: nonce, ciphertext, tag */
  "  created_at     INTEGER NOT NULL);"
  "CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);"
  "INSERT INTO idempotency_records (key, caller, body_hash, order_id, created_at)"
  "  SELECT k.key, 'user:' || o.user_id, '', k.order_id, k.created_at"
  "  FROM idempotency_keys k JOIN orders o ON o.id = k.order_id WHERE o.user_id IS NOT NULL;"
  "DROP TABLE idempotency_keys;",
  /* 3 → 4: throttles (sd-server-guard.c) and refresh session families
   * (sd-server-session.c).
   * throttle_events: one row per code sent, failed sign-in or wrong code;
   * key is an HMAC of the email and/or client address, never either in
   * clear; rows older than the longest window (1 hour) are pruned.
   * sessions: a row is now a family of rotated refresh tokens; the token
   * of a generation is derived (HMAC of id and generation), not stored,
   * and rotated_at fixes its iat. Rows from before keep generation 0, so
   * refresh tokens already out keep working. */
  "CREATE TABLE throttle_events ("
  "  kind TEXT NOT NULL,"
  "  key  TEXT NOT NULL,"
  "  at   INTEGER NOT NULL);"
  "CREATE INDEX throttle_events_by_key ON throttle_events (kind, key, at);"
  "CREATE INDEX throttle_events_by_age ON throttle_events (at);"
  "DROP TABLE sign_in_failures;"
  "ALTER TABLE sessions ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN rotated_at INTEGER NOT NULL DEFAULT 0;",
  /* 4 → 5: orders whose id is 96 random bits (sd_server_store_new_id from
   * now on) say so; those from before (4 bytes of clock and 8 random, or
   * worse) keep 0, and --order-links never lets them be read by id alone. */
  "ALTER TABLE orders ADD COLUMN random_id INTEGER NOT NULL DEFAULT 0;",
  /* 5 → 6: [ext] "orderNumber", YYYYMMDD-NNNN: a per-day sequence in the
   * shop's time zone, unique. Orders from before get theirs, in creation
   * order, when the store opens (sd_server_store_number_orders). */
  "ALTER TABLE orders ADD COLUMN order_number TEXT;"
  "CREATE UNIQUE INDEX orders_by_number ON orders (order_number);",
  /* 6 → 7: each day's last order number in a row of its own, taken by
   * one upsert; finding it as the largest of the day's numbers read
   * every order of the day at every checkout. */
  "CREATE TABLE order_days ("
  "  day  TEXT PRIMARY KEY,"   /* YYYYMMDD in the shop's time zone */
  "  last INTEGER NOT NULL);"
  "INSERT INTO order_days (day, last)"
  "  SELECT substr (order_number, 1, 8), max (CAST (substr (order_number, 10) AS INTEGER)) FROM orders"
  "  WHERE order_number IS NOT NULL GROUP BY substr (order_number, 1, 8);",
};

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

/* ---- SQLite's schema ------------------------------------------------------ */

const char *
sd_server_db_migration (guint from)
{
  return from < G_N_ELEMENTS (migrations) ? migrations[from] : NULL;
}

static gint64
user_version (SdServerDb *self)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (self, "PRAGMA user_version", NULL);

  if (stmt != NULL && sd_stmt_step (stmt) == SD_STMT_ROW)
    return sd_stmt_int64 (stmt, 0);
  return -1;
}

/* What the step to to_version drops, for the log once it is done; NULL
 * when there is nothing to say. Counted before the step runs. */
static char *
migration_note (SdServerDb *self, gint64 to_version)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (to_version != 3)
    return NULL;
  if (sqlite3_prepare_v2 (self->lite,
                          "SELECT count (*) FROM idempotency_keys k LEFT JOIN orders o ON o.id = k.order_id"
                          " WHERE o.user_id IS NULL", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n == 0)
    return NULL;
  return g_strdup_printf ("dropped %" G_GINT64_FORMAT " Idempotency-Key record(s) of guest and staff orders:"
                          " their guest access keys were derived from the key; a retry of one of those"
                          " checkouts now makes a new order", n);
}
static gboolean
migrate (SdServerDb *self, GError **error)
{
  gint64 version = user_version (self);
  const gint64 latest = G_N_ELEMENTS (migrations);

  if (version > latest)
    {
      g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_TOO_NEW,
                   "the database has schema version %" G_GINT64_FORMAT
                   "; this server knows up to %" G_GINT64_FORMAT
                   ". Use a newer storedesk-server.", version, latest);
      return FALSE;
    }

  for (; version < latest; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT,
                                               version + 1);
      g_autofree char *note = NULL;

      g_message ("migrating the database to schema version %" G_GINT64_FORMAT, version + 1);
      if (!sd_server_db_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      note = migration_note (self, version + 1);
      if (!sd_server_db_exec (self, migrations[version], error) ||
          !sd_server_db_exec (self, bump, error))
        {
          sd_server_db_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!sd_server_db_exec (self, "COMMIT", error))
        return FALSE;
      if (note != NULL)
        g_message ("schema version %" G_GINT64_FORMAT ": %s", version + 1, note);
    }
  return TRUE;
}

static SdServerDb *
open_sqlite (const char *path, GError **error)
{
  g_autoptr(SdServerDb) self = g_object_new (SD_TYPE_SERVER_DB, NULL);

  self->engine = SD_SERVER_ENGINE_SQLITE;
  if (g_str_has_prefix (path, "sqlite://"))
    path += strlen ("sqlite://");
  else if (g_str_has_prefix (path, "sqlite:"))
    path += strlen ("sqlite:");
  if (sqlite3_open_v2 (path, &self->lite,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      sd_server_db_set_error (self, error, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->lite, 5000);
  if (!sd_server_db_exec (self,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

SdServerDb *
sd_server_db_open (const char *database, GError **error)
{
  g_autoptr(SdServerDb) self = NULL;

  if (!sd_server_database_is_postgresql (database))
    return open_sqlite (database, error);
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
