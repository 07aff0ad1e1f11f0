/* sd-test-pg.c */
#include "sd-test-pg.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

/* Made by build-aux/pg-cluster start, once per run. */
#define TEMPLATE "storedesk_template"

struct _SdTestPgDatabase {
  char *name;
  char *url;
  char *option;
};

gboolean
sd_test_engine_is_pg (void)
{
  return g_strcmp0 (g_getenv ("STOREDESK_TEST_ENGINE"), "pg") == 0;
}

gboolean
sd_test_sqlite_only (const char *why)
{
  g_autofree char *message = NULL;

  if (!sd_test_engine_is_pg ())
    return FALSE;
  message = g_strconcat ("SQLite only: ", why, NULL);
  g_test_skip (message);
  return TRUE;
}

static void
skip_case (gconstpointer why)
{
  sd_test_sqlite_only (why);
}

void
sd_test_add_sqlite_only (const char *path, GTestFunc func, const char *why)
{
  if (sd_test_engine_is_pg ())
    g_test_add_data_func (path, why, skip_case);
  else
    g_test_add_func (path, func);
}

static const char *
cluster (void)
{
  const char *conninfo = g_getenv ("STOREDESK_TEST_PG");

  if (conninfo == NULL || *conninfo == '\0')
    {
      /* meson takes 77 for "skipped": a plain `meson test` on a machine
       * without the runner's cluster stays green. */
      g_print ("SKIP: STOREDESK_TEST_PG is not set (build-aux/pg-cluster start DIR)\n");
      exit (77);
    }
  return conninfo;
}

/* A session on dbname (NULL: the one STOREDESK_TEST_PG names). */
static PGconn *
connect_to (const char *dbname)
{
  const char *keys[5], *values[5];
  int n = 0;
  PGconn *conn;

  /* The first dbname is the whole conninfo (expanded), a second one
   * only names the database. */
  keys[n] = "dbname", values[n++] = cluster ();
  if (dbname)
    keys[n] = "dbname", values[n++] = dbname;
  keys[n] = "connect_timeout", values[n++] = "10";
  /* a statement that hangs fails the test, not CI's whole run */
  keys[n] = "options", values[n++] = "-c statement_timeout=60s";
  keys[n] = NULL, values[n] = NULL;
  conn = PQconnectdbParams (keys, values, 1);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("PostgreSQL test cluster: %s", PQerrorMessage (conn));
  return conn;
}

/* Runs sql, which must succeed; the rows the last statement changed. */
static int
exec_on (PGconn *conn, const char *sql, char **out_first)
{
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  int changed;

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  changed = atoi (PQcmdTuples (result));
  if (out_first)
    *out_first = PQntuples (result) > 0 && PQnfields (result) > 0 && !PQgetisnull (result, 0, 0)
      ? g_strdup (PQgetvalue (result, 0, 0)) : NULL;
  PQclear (result);
  return changed;
}

/* postgresql://USER@HOST:PORT/NAME from the cluster's conninfo. */
static char *
url_for (const char *name)
{
  g_autoptr(GString) url = g_string_new ("postgresql://");
  char *error = NULL;
  PQconninfoOption *options = PQconninfoParse (cluster (), &error);
  const char *user = NULL, *host = NULL, *port = NULL;

  if (options == NULL)
    g_error ("STOREDESK_TEST_PG: %s", error ? error : "out of memory");
  for (PQconninfoOption *o = options; o->keyword; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (g_str_equal (o->keyword, "user"))
        user = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
    }
  if (user)
    {
      g_string_append_uri_escaped (url, user, NULL, FALSE);
      g_string_append_c (url, '@');
    }
  /* A socket directory is a host too, escaped (postgresql://%2Ftmp%2Fx). */
  if (host)
    g_string_append_uri_escaped (url, host, NULL, FALSE);
  if (port)
    g_string_append_printf (url, ":%s", port);
  g_string_append_printf (url, "/%s", name);
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

SdTestPgDatabase *
sd_test_pg_database_new (void)
{
  static gint counter;
  SdTestPgDatabase *db = g_atomic_rc_box_new0 (SdTestPgDatabase);
  PGconn *conn = connect_to (NULL);
  g_autofree char *sql = NULL;

  /* Unique in the cluster: this process, its count, and a random part
   * for a pid used again after a crash left a database behind. */
  db->name = g_strdup_printf ("sd_test_%d_%d_%08x", (int) getpid (),
                              g_atomic_int_add (&counter, 1), g_random_int ());
  db->url = url_for (db->name);
  db->option = g_strconcat ("--database=", db->url, NULL);
  sql = g_strdup_printf ("CREATE DATABASE \"%s\" TEMPLATE " TEMPLATE, db->name);
  exec_on (conn, sql, NULL);
  PQfinish (conn);
  return db;
}

SdTestPgDatabase *
sd_test_pg_database_ref (SdTestPgDatabase *db)
{
  return g_atomic_rc_box_acquire (db);
}

static void
drop (gpointer data)
{
  SdTestPgDatabase *db = data;
  PGconn *conn = connect_to (NULL);
  /* FORCE: a server killed with SIGKILL may leave its sessions for a
   * moment. */
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", db->name);

  exec_on (conn, sql, NULL);
  PQfinish (conn);
  g_free (db->name);
  g_free (db->url);
  g_free (db->option);
}

void
sd_test_pg_database_unref (SdTestPgDatabase *db)
{
  g_atomic_rc_box_release_full (db, drop);
}

const char *
sd_test_pg_database_name (SdTestPgDatabase *db)
{
  return db->name;
}

const char *
sd_test_pg_database_url (SdTestPgDatabase *db)
{
  return db->url;
}

const char *
sd_test_pg_database_option (SdTestPgDatabase *db)
{
  return db->option;
}

static int
run_on (SdTestPgDatabase *db, const char *sql, char **out_first)
{
  PGconn *conn = connect_to (db->name);
  int changed = exec_on (conn, sql, out_first);

  PQfinish (conn);
  return changed;
}

int
sd_test_pg_run_sql (SdTestPgDatabase *db, const char *sql)
{
  return run_on (db, sql, NULL);
}

char *
sd_test_pg_query (SdTestPgDatabase *db, const char *sql)
{
  char *first = NULL;

  run_on (db, sql, &first);
  return first;
}
