/* sd-server-db-pg.c — the store's PostgreSQL engine, through libpq.
 *
 * The store's SQL is written once for both engines (sd-server-db.h); here
 * it is translated at prepare time ("?N" → "$N", LIKE → ILIKE) and run
 * with typed parameters, results as text. The schema is PostgreSQL's own
 * (types, sequences, the "C" collation SQLite's BINARY has), versioned in
 * storedesk_schema and created or checked under an advisory lock, so
 * nodes started together on one fresh database agree; a node refuses an
 * older schema until `storedesk-server migrate`. Every statement has a
 * time limit (statement_timeout) and every lock wait one (lock_timeout). */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-db-private.h"

#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT "10"
/* Milliseconds: a lock held past this is BUSY, as SQLite's busy timeout. */
#define SESSION_OPTIONS "-c statement_timeout=15000 -c lock_timeout=5000 -c idle_in_transaction_session_timeout=30000"

/* Text columns sort and compare bytewise, as in SQLite (BINARY). */
#define T "TEXT COLLATE \"C\""

/* Each entry moves PostgreSQL's schema from version i to i + 1. Version 1
 * is SQLite's schema 6, at once; 3 is SQLite's 7, 4 its 8. */
static const char * const pg_migrations[] = {
  /* 0 → 1 */
  "CREATE FUNCTION unixepoch () RETURNS bigint LANGUAGE sql STABLE"
  "  AS 'SELECT floor (extract (epoch FROM statement_timestamp ()))::bigint';"
  "CREATE FUNCTION json (text) RETURNS json LANGUAGE sql IMMUTABLE AS 'SELECT $1::json';"
  "CREATE TABLE meta (key " T " PRIMARY KEY, value " T " NOT NULL);"
  "CREATE TABLE categories ("
  "  id " T " PRIMARY KEY, name " T " NOT NULL UNIQUE,"
  "  created_at " T " NOT NULL, updated_at " T " NOT NULL);"
  "CREATE SEQUENCE products_seq;"
  "CREATE TABLE products ("
  "  id            " T " PRIMARY KEY,"
  "  seq           bigint NOT NULL UNIQUE DEFAULT nextval ('products_seq'),"
  "  category_id   " T " NOT NULL REFERENCES categories (id),"
  "  name          " T " NOT NULL,"
  "  brand         " T " NOT NULL DEFAULT '',"
  "  price         bigint NOT NULL CHECK (price >= 0),"
  "  image         " T " NOT NULL DEFAULT '',"
  "  description   " T " NOT NULL DEFAULT '',"
  "  option_id     " T ","
  "  option_name   " T ","
  "  option_values " T ","
  "  stock         bigint CHECK (stock IS NULL OR stock >= 0),"
  "  created_at    " T " NOT NULL,"
  "  updated_at    " T " NOT NULL);"
  "CREATE INDEX products_by_category ON products (category_id, seq);"
  "CREATE INDEX products_by_price ON products (price, seq);"
  "CREATE INDEX products_by_name ON products (name, seq);"
  "CREATE TABLE users ("
  "  id             " T " PRIMARY KEY,"
  "  email          " T " NOT NULL UNIQUE,"
  "  name           " T " NOT NULL,"
  "  phone_number   " T " NOT NULL DEFAULT '',"
  "  password_hash  " T " NOT NULL,"
  "  address        " T " NOT NULL DEFAULT '',"
  "  address_detail " T " NOT NULL DEFAULT '',"
  "  role           " T " NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),"
  "  profile_image  " T " NOT NULL DEFAULT '',"
  "  created_at     " T " NOT NULL,"
  "  updated_at     " T " NOT NULL);"
  "CREATE TABLE sessions ("
  "  id         " T " PRIMARY KEY,"
  "  user_id    " T " NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  expires_at bigint NOT NULL,"
  "  generation bigint NOT NULL DEFAULT 0,"
  "  rotated_at bigint NOT NULL DEFAULT 0);"
  "CREATE INDEX sessions_by_user ON sessions (user_id);"
  "CREATE TABLE email_codes ("
  "  email        " T " PRIMARY KEY,"
  "  code_hash    " T " NOT NULL,"
  "  expires_at   bigint NOT NULL,"
  "  tries        bigint NOT NULL DEFAULT 0,"
  "  confirmed_at bigint);"
  "CREATE TABLE throttle_events ("
  "  rowid bigserial PRIMARY KEY,"
  "  kind  " T " NOT NULL,"
  "  key   " T " NOT NULL,"
  "  at    bigint NOT NULL);"
  "CREATE INDEX throttle_events_by_key ON throttle_events (kind, key, at);"
  "CREATE INDEX throttle_events_by_age ON throttle_events (at);"
  "CREATE SEQUENCE orders_seq;"
  "CREATE TABLE orders ("
  "  id                 " T " PRIMARY KEY,"
  "  seq                bigint NOT NULL UNIQUE DEFAULT nextval ('orders_seq'),"
  "  customer_id        " T " NOT NULL,"
  "  user_id            " T " REFERENCES users (id) ON DELETE SET NULL,"
  "  access_key_hash    " T ","
  "  status             " T " NOT NULL,"
  "  memo               " T " NOT NULL DEFAULT '',"
  "  ttl_price_item     bigint NOT NULL,"
  "  ttl_price_delivery bigint NOT NULL,"
  "  ttl_price          bigint NOT NULL,"
  "  receiver           " T ","
  "  created_at         " T " NOT NULL,"
  "  updated_at         " T " NOT NULL,"
  "  random_id          bigint NOT NULL DEFAULT 0,"
  "  order_number       " T ");"
  "CREATE INDEX orders_by_user ON orders (user_id, seq);"
  "CREATE INDEX orders_by_status ON orders (status, seq);"
  "CREATE UNIQUE INDEX orders_by_number ON orders (order_number);"
  "CREATE TABLE order_lines ("
  "  order_id   " T " NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  position   bigint NOT NULL,"
  "  product_id " T " NOT NULL,"
  "  name       " T " NOT NULL,"
  "  count      bigint NOT NULL CHECK (count > 0),"
  "  price      bigint NOT NULL,"
  "  image      " T " NOT NULL DEFAULT '',"
  "  options    " T ","
  "  PRIMARY KEY (order_id, position));"
  "CREATE TABLE idempotency_records ("
  "  key            " T " PRIMARY KEY,"
  "  caller         " T " NOT NULL,"
  "  body_hash      " T " NOT NULL,"
  "  order_id       " T " NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  access_key_box bytea,"
  "  created_at     bigint NOT NULL);"
  "CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);",
  /* 1 → 2: the change counter every node's page cache is valid for
   * (sd-server-context.c): a write to the catalog bumps it in the
   * writer's own transaction, so the new count is seen exactly when the
   * new rows are, on every node. */
  "CREATE TABLE changes (one boolean PRIMARY KEY DEFAULT TRUE CHECK (one), n bigint NOT NULL);"
  "INSERT INTO changes (n) VALUES (0);"
  "CREATE FUNCTION storedesk_changed () RETURNS trigger LANGUAGE plpgsql"
  "  AS 'BEGIN UPDATE changes SET n = n + 1; RETURN NULL; END';"
  "CREATE TRIGGER categories_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories"
  "  FOR EACH STATEMENT EXECUTE FUNCTION storedesk_changed ();"
  "CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products"
  "  FOR EACH STATEMENT EXECUTE FUNCTION storedesk_changed ();",
  /* 2 → 3: each day's last order number in a row of its own (SQLite's
   * schema 7): one upsert takes the next, its row lock the only wait
   * between concurrent checkouts. */
  "CREATE TABLE order_days (day " T " PRIMARY KEY, last bigint NOT NULL);"
  "INSERT INTO order_days (day, last)"
  "  SELECT substr (order_number, 1, 8), max (CAST (substr (order_number, 10) AS bigint)) FROM orders"
  "  WHERE order_number IS NOT NULL GROUP BY substr (order_number, 1, 8);",
  /* 3 → 4: [ext] "activity" (SQLite's schema 8). */
  "CREATE SEQUENCE activity_seq;"
  "CREATE TABLE activity ("
  "  id          bigint PRIMARY KEY DEFAULT nextval ('activity_seq'),"
  "  at          " T " NOT NULL,"
  "  actor_id    " T ","
  "  actor_email " T " NOT NULL DEFAULT '',"
  "  actor_name  " T " NOT NULL DEFAULT '',"
  "  entity      " T " NOT NULL CHECK (entity IN ('order', 'product', 'category')),"
  "  entity_id   " T " NOT NULL,"
  "  label       " T " NOT NULL DEFAULT '',"
  "  action      " T " NOT NULL,"
  "  details     " T " NOT NULL DEFAULT '{}',"
  "  origin      " T ");"
  "CREATE INDEX activity_by_entity ON activity (entity, entity_id, id);"
  "CREATE INDEX activity_by_kind ON activity (entity, id);",
};

const char *
sd_server_db_pg_migration (guint from)
{
  return from < G_N_ELEMENTS (pg_migrations) ? pg_migrations[from] : NULL;
}

/* ---- errors --------------------------------------------------------------- */

/* An SQLSTATE as the store's error code. */
static int
store_code (const char *sqlstate)
{
  if (sqlstate == NULL)
    return SD_SERVER_STORE_ERROR_FAILED;
  if (g_str_has_prefix (sqlstate, "23"))    /* integrity constraint violation */
    return SD_SERVER_STORE_ERROR_CONFLICT;
  if (g_str_equal (sqlstate, "40P01") ||    /* deadlock detected */
      g_str_equal (sqlstate, "40001") ||    /* serialization failure */
      g_str_equal (sqlstate, "55P03") ||    /* lock not available: lock_timeout */
      g_str_equal (sqlstate, "57014"))      /* query canceled: statement_timeout */
    return SD_SERVER_STORE_ERROR_BUSY;
  return SD_SERVER_STORE_ERROR_FAILED;
}

/* Keeps what went wrong for sd_server_db_set_error; after a lost
 * connection, the next statement reconnects (statements are unnamed, so
 * nothing is lost on the server's side). */
static void
note_error (SdServerDb *self, const PGresult *res)
{
  const char *msg = res ? PQresultErrorMessage (res) : PQerrorMessage (self->pg);

  g_free (self->pg_error);
  self->pg_error = g_strstrip (g_strdup (msg && *msg ? msg : "unknown PostgreSQL error"));
  self->pg_code = store_code (res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL);
  if (PQstatus (self->pg) == CONNECTION_BAD)
    g_warning ("the PostgreSQL connection is lost (%s); reconnecting at the next request", self->pg_error);
}

static gboolean
set_error (SdServerDb *self, GError **error, const char *what)
{
  return sd_server_db_set_error (self, error, what);
}

static gboolean
connection_ok (SdServerDb *self)
{
  if (PQstatus (self->pg) == CONNECTION_OK)
    return TRUE;
  PQreset (self->pg);
  self->pg_generation++;   /* the server forgot our prepared statements */
  return PQstatus (self->pg) == CONNECTION_OK;
}

/* ---- running -------------------------------------------------------------- */

gboolean
sd_server_db_pg_exec (SdServerDb *self, const char *sql, GError **error)
{
  PGresult *res;
  gboolean ok;

  if (!connection_ok (self))
    {
      note_error (self, NULL);
      return set_error (self, error, "connect");
    }
  res = PQexec (self->pg, sql);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK;
  if (!ok)
    note_error (self, res);
  else if (g_str_equal (sql, "COMMIT") && g_str_equal (PQcmdStatus (res), "ROLLBACK"))
    {
      /* PostgreSQL answers COMMIT of a failed transaction with a
       * ROLLBACK, as a success: nothing of it was kept. */
      ok = FALSE;
      g_free (self->pg_error);
      self->pg_error = g_strdup ("the transaction was rolled back: a statement in it had failed");
    }
  PQclear (res);
  return ok || set_error (self, error, "PostgreSQL");
}

gboolean
sd_server_db_pg_in_transaction (SdServerDb *self)
{
  return PQtransactionStatus (self->pg) != PQTRANS_IDLE;
}

/* Is word at p, as a whole word? */
static gboolean
word_at (const char *sql, const char *p, const char *word)
{
  size_t len = strlen (word);

  return g_ascii_strncasecmp (p, word, len) == 0 &&
         (p == sql || !(g_ascii_isalnum (p[-1]) || p[-1] == '_')) &&
         !(g_ascii_isalnum (p[len]) || p[len] == '_');
}

/* "?N" → "$N", "?" → the next number, LIKE → ILIKE (SQLite's LIKE
 * ignores ASCII case), SQLite's json_object → json_build_object (json
 * and unixepoch are functions of the schema), outside quotes. */
static char *
translate (const char *sql, guint *out_n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  guint highest = 0;
  char quote = 0;

  for (const char *p = sql; *p; p++)
    {
      if (quote)
        {
          if (*p == quote)
            quote = 0;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p == '\'' || *p == '"')
        quote = *p;
      if (*p == '?')
        {
          guint n = 0;

          while (g_ascii_isdigit (p[1]))
            n = n * 10 + (guint) (*++p - '0');
          if (n == 0)
            n = highest + 1;
          highest = MAX (highest, n);
          g_string_append_printf (out, "$%u", n);
          continue;
        }
      if (word_at (sql, p, "LIKE"))
        {
          g_string_append (out, "ILIKE");
          p += strlen ("LIKE") - 1;
          continue;
        }
      if (word_at (sql, p, "json_object"))
        {
          g_string_append (out, "json_build_object");
          p += strlen ("json_object") - 1;
          continue;
        }
      g_string_append_c (out, *p);
    }
  *out_n_params = highest;
  return g_string_free (out, FALSE);
}

static void
param_clear (gpointer data)
{
  SdPgParam *param = data;

  g_clear_pointer (&param->value, g_free);
}

gboolean
sd_server_db_pg_prepare (SdServerDb *self, SdStmt *stmt, const char *sql, GError **error)
{
  guint n_params = 0;

  (void) self;
  (void) error;
  stmt->pg_sql = translate (sql, &n_params);
  stmt->pg_params = g_array_new (FALSE, TRUE, sizeof (SdPgParam));
  g_array_set_clear_func (stmt->pg_params, param_clear);
  g_array_set_size (stmt->pg_params, n_params);
  stmt->pg_row = -1;
  stmt->pg_prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return TRUE;
}

void
sd_server_db_pg_bind (SdStmt *stmt, int i, Oid type, const char *value, int length, int format)
{
  SdPgParam *param;

  g_return_if_fail (i >= 1);
  if ((guint) i > stmt->pg_params->len)
    g_array_set_size (stmt->pg_params, (guint) i);
  param = &g_array_index (stmt->pg_params, SdPgParam, i - 1);
  param_clear (param);
  param->type = type;
  param->format = format;
  if (value == NULL)
    return;
  param->length = length < 0 ? (int) strlen (value) : length;
  /* A blob is length bytes, no more: copy those, then end it. */
  param->value = g_malloc ((gsize) param->length + 1);
  memcpy (param->value, value, (gsize) param->length);
  param->value[param->length] = '\0';
}

void
sd_server_db_pg_release (SdStmt *stmt)
{
  g_clear_pointer (&stmt->pg_result, PQclear);
  stmt->pg_row = -1;
  for (guint i = 0; stmt->pg_params && i < stmt->pg_params->len; i++)
    {
      SdPgParam *param = &g_array_index (stmt->pg_params, SdPgParam, i);

      param_clear (param);
      param->type = 0;
    }
}

void
sd_server_db_pg_free (SdStmt *stmt)
{
  sd_server_db_pg_release (stmt);
  g_clear_pointer (&stmt->pg_params, g_array_unref);
  g_clear_pointer (&stmt->pg_sql, g_free);
  g_clear_pointer (&stmt->pg_prepared, g_hash_table_unref);
}

#define PG_TEXT_OID 25

/* The statement prepared on the server for these parameter types, once
 * per connection: parsed and planned once, not at every request. */
static const char *
prepared_name (SdStmt *stmt, const Oid *types, guint n)
{
  SdServerDb *self = stmt->db;
  GString *signature = g_string_sized_new (4 * n);
  char *name;
  PGresult *res;

  if (stmt->pg_generation != self->pg_generation)
    {
      g_hash_table_remove_all (stmt->pg_prepared);
      stmt->pg_generation = self->pg_generation;
    }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (signature, "%u,", types[i]);
  name = g_hash_table_lookup (stmt->pg_prepared, signature->str);
  if (name != NULL)
    {
      g_string_free (signature, TRUE);
      return name;
    }
  name = g_strdup_printf ("sd%u", self->pg_next_name++);
  res = PQprepare (self->pg, name, stmt->pg_sql, (int) n, types);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      note_error (self, res);
      PQclear (res);
      g_string_free (signature, TRUE);
      g_free (name);
      return NULL;
    }
  PQclear (res);
  g_hash_table_insert (stmt->pg_prepared, g_string_free (signature, FALSE), name);
  return name;
}

static SdStmtResult
execute (SdStmt *stmt)
{
  SdServerDb *self = stmt->db;
  guint n = stmt->pg_params->len;
  g_autofree Oid *types = g_new0 (Oid, n + 1);
  g_autofree const char **values = g_new0 (const char *, n + 1);
  g_autofree int *lengths = g_new0 (int, n + 1);
  g_autofree int *formats = g_new0 (int, n + 1);
  ExecStatusType status;
  const char *name;

  for (guint i = 0; i < n; i++)
    {
      SdPgParam *param = &g_array_index (stmt->pg_params, SdPgParam, i);

      /* Never bound: NULL, as text (a NULL of no type would leave
       * "?1 IS NULL" without one). */
      types[i] = param->type ? param->type : PG_TEXT_OID;
      values[i] = param->value;
      lengths[i] = param->length;
      formats[i] = param->format;
    }
  if (!connection_ok (self))
    {
      note_error (self, NULL);
      return SD_STMT_ERROR;
    }
  name = prepared_name (stmt, types, n);
  if (name == NULL)
    return SD_STMT_ERROR;
  stmt->pg_result = PQexecPrepared (self->pg, name, (int) n, values, lengths, formats, 0);
  status = PQresultStatus (stmt->pg_result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      note_error (self, stmt->pg_result);
      g_clear_pointer (&stmt->pg_result, PQclear);
      return SD_STMT_ERROR;
    }
  /* Rows written, as sqlite3_changes: a read leaves it as it was. */
  if (g_str_has_prefix (PQcmdStatus (stmt->pg_result), "INSERT") ||
      g_str_has_prefix (PQcmdStatus (stmt->pg_result), "UPDATE") ||
      g_str_has_prefix (PQcmdStatus (stmt->pg_result), "DELETE"))
    self->pg_changes = g_ascii_strtoll (PQcmdTuples (stmt->pg_result), NULL, 10);
  stmt->pg_row = -1;
  return SD_STMT_DONE;
}

SdStmtResult
sd_server_db_pg_step (SdStmt *stmt)
{
  if (stmt->pg_result == NULL && execute (stmt) == SD_STMT_ERROR)
    return SD_STMT_ERROR;
  if (stmt->pg_row + 1 < PQntuples (stmt->pg_result))
    {
      stmt->pg_row++;
      return SD_STMT_ROW;
    }
  stmt->pg_row = PQntuples (stmt->pg_result);
  return SD_STMT_DONE;
}

static gboolean
has_row (SdStmt *stmt, int col)
{
  return stmt->pg_result != NULL && stmt->pg_row >= 0 && stmt->pg_row < PQntuples (stmt->pg_result) &&
         col >= 0 && col < PQnfields (stmt->pg_result);
}

gboolean
sd_server_db_pg_is_null (SdStmt *stmt, int col)
{
  return !has_row (stmt, col) || PQgetisnull (stmt->pg_result, stmt->pg_row, col);
}

const char *
sd_server_db_pg_value (SdStmt *stmt, int col)
{
  return sd_server_db_pg_is_null (stmt, col) ? NULL : PQgetvalue (stmt->pg_result, stmt->pg_row, col);
}

int
sd_server_db_pg_length (SdStmt *stmt, int col)
{
  return sd_server_db_pg_is_null (stmt, col) ? 0 : PQgetlength (stmt->pg_result, stmt->pg_row, col);
}

gint64
sd_server_db_pg_change_stamp (SdServerDb *self)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (self, "SELECT n FROM changes", NULL);

  if (stmt != NULL && sd_stmt_step (stmt) == SD_STMT_ROW)
    return sd_stmt_int64 (stmt, 0);
  return -1;   /* no cache is valid for it: pages are read afresh */
}

/* ---- connecting, and the schema ------------------------------------------- */

static gboolean
url_has_password (const char *url)
{
  PQconninfoOption *options = PQconninfoParse (url, NULL);
  gboolean found = FALSE;

  for (PQconninfoOption *o = options; o && o->keyword; o++)
    if (g_str_equal (o->keyword, "password") && o->val && *o->val)
      found = TRUE;
  PQconninfoFree (options);
  return found;
}

static gboolean
connect_to (SdServerDb *self, const char *url, GError **error)
{
  const char *keywords[] = { "dbname", "connect_timeout", "application_name", "options", NULL };
  const char *values[] = { url, CONNECT_TIMEOUT, "storedesk-server", SESSION_OPTIONS, NULL };

  if (url_has_password (url))
    {
      g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_FAILED,
                   "the database URL has a password in it: give it in PGPASSWORD or ~/.pgpass instead,"
                   " so that it is not on the command line");
      return FALSE;
    }
  self->pg = PQconnectdbParams (keywords, values, 1);
  if (self->pg == NULL || PQstatus (self->pg) != CONNECTION_OK)
    {
      g_autofree char *why = g_strdup (self->pg ? PQerrorMessage (self->pg) : "out of memory");

      g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_FAILED,
                   "cannot connect to PostgreSQL: %s", g_strstrip (why));
      return FALSE;
    }
  return TRUE;
}

/* The schema's version; 0 when the database has none yet. */
static gboolean
schema_version (SdServerDb *self, gint64 *out_version, GError **error)
{
  PGresult *res = PQexec (self->pg,
    "SELECT CASE WHEN to_regclass ('storedesk_schema') IS NULL THEN -1 ELSE 0 END");
  gboolean exists;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      note_error (self, res);
      PQclear (res);
      return set_error (self, error, "schema");
    }
  exists = g_str_equal (PQgetvalue (res, 0, 0), "0");
  PQclear (res);
  *out_version = 0;
  if (!exists)
    return TRUE;
  res = PQexec (self->pg, "SELECT version FROM storedesk_schema");
  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    {
      note_error (self, res);
      PQclear (res);
      return set_error (self, error, "schema");
    }
  *out_version = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return TRUE;
}

/* Steps from version up to the latest, in one transaction. */
static gboolean
apply_steps (SdServerDb *self, gint64 version, GError **error)
{
  const gint64 latest = G_N_ELEMENTS (pg_migrations);
  g_autofree char *bump = g_strdup_printf ("UPDATE storedesk_schema SET version = %" G_GINT64_FORMAT, latest);

  if (!sd_server_db_pg_exec (self, "BEGIN", error))
    return FALSE;
  if (version == 0 &&
      !sd_server_db_pg_exec (self, "CREATE TABLE storedesk_schema (version bigint NOT NULL);"
                                   "INSERT INTO storedesk_schema VALUES (0)", error))
    goto fail;
  for (gint64 v = version; v < latest; v++)
    {
      g_message ("migrating the PostgreSQL database to schema version %" G_GINT64_FORMAT, v + 1);
      if (!sd_server_db_pg_exec (self, pg_migrations[v], error))
        goto fail;
    }
  if (!sd_server_db_pg_exec (self, bump, error) || !sd_server_db_pg_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sd_server_db_pg_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Under the schema lock: a fresh database gets the whole schema; an older
 * one is migrated when migrate, else refused; a newer one refused. */
static gboolean
settle_schema (SdServerDb *self, gboolean migrate, guint *out_steps, GError **error)
{
  const gint64 latest = G_N_ELEMENTS (pg_migrations);
  gint64 version = 0;
  gboolean ok = FALSE;

  /* No time limit here: a node may wait while another migrates, and a
   * step may take long on a big shop. */
  if (!sd_server_db_pg_exec (self, "SET lock_timeout = 0; SET statement_timeout = 0;"
                                   "SELECT pg_advisory_lock (hashtext ('storedesk:schema'))", error))
    return FALSE;
  if (!schema_version (self, &version, error))
    goto out;
  if (out_steps)
    *out_steps = version < latest ? (guint) (latest - version) : 0;
  if (version > latest)
    g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_TOO_NEW,
                 "the database has PostgreSQL schema version %" G_GINT64_FORMAT
                 "; this server knows up to %" G_GINT64_FORMAT ". Use a newer storedesk-server.",
                 version, latest);
  else if (version > 0 && version < latest && !migrate)
    g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_TOO_OLD,
                 "the database has PostgreSQL schema version %" G_GINT64_FORMAT "; this server needs %"
                 G_GINT64_FORMAT ". Stop every node, back the database up (pg_dump), then run"
                 " `storedesk-server migrate --database=URL`.", version, latest);
  else
    ok = version == latest || apply_steps (self, version, error);
out:
  /* A session-level lock: let go of it whatever happened. */
  sd_server_db_pg_exec (self, "SELECT pg_advisory_unlock (hashtext ('storedesk:schema'));"
                              "RESET lock_timeout; RESET statement_timeout", NULL);
  return ok;
}

gboolean
sd_server_db_pg_open (SdServerDb *self, const char *url, GError **error)
{
  return connect_to (self, url, error) && settle_schema (self, FALSE, NULL, error);
}

void
sd_server_db_pg_close (SdServerDb *self)
{
  g_clear_pointer (&self->pg, PQfinish);
}

gboolean
sd_server_db_migrate (const char *database, guint *out_steps, GError **error)
{
  g_autoptr(SdServerDb) self = NULL;

  if (!sd_server_database_is_postgresql (database))
    {
      /* SQLite migrates at every start, under its own write lock. */
      self = sd_server_db_open (database, error);
      if (out_steps)
        *out_steps = 0;
      return self != NULL;
    }
  self = g_object_new (SD_TYPE_SERVER_DB, NULL);
  self->engine = SD_SERVER_ENGINE_POSTGRESQL;
  return connect_to (self, database, error) && settle_schema (self, TRUE, out_steps, error);
}
