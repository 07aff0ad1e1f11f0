/* sd-server-db-sqlite.c — the SQLite engine's schema: its steps, each
 * moving user_version by one, run at every start under SQLite's write
 * lock, and the connection's opening (WAL mode, foreign keys on). The
 * statement layer both engines share is sd-server-db.c. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-db-private.h"

#include <string.h>

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
  /* 7 → 8: [ext] "activity", who changed what: one row per staff change,
   * written in the change's own transaction (sd-server-store-activity.c);
   * the actor's email and name and the row's label as they were then;
   * details a small JSON object. The newest rows are kept, the oldest
   * pruned past a bound. Listed newest first, by record or by kind: a
   * page of one kind of 200,000 rows took 61 ms without activity_by_kind,
   * 10 ms with it. */
  "CREATE TABLE activity ("
  "  id          INTEGER PRIMARY KEY,"
  "  at          TEXT NOT NULL,"
  "  actor_id    TEXT,"
  "  actor_email TEXT NOT NULL DEFAULT '',"
  "  actor_name  TEXT NOT NULL DEFAULT '',"
  "  entity      TEXT NOT NULL CHECK (entity IN ('order', 'product', 'category')),"
  "  entity_id   TEXT NOT NULL,"
  "  label       TEXT NOT NULL DEFAULT '',"
  "  action      TEXT NOT NULL,"
  "  details     TEXT NOT NULL DEFAULT '{}',"   /* JSON object */
  "  origin      TEXT);"
  "CREATE INDEX activity_by_entity ON activity (entity, entity_id, id);"
  "CREATE INDEX activity_by_kind ON activity (entity, id);",
};

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

SdServerDb *
sd_server_db_sqlite_open (const char *path, GError **error)
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
