/* test-pg-harness.c — the PostgreSQL side of the test harness itself
 * (sd-test-pg.h): a database per test server, made from the runner's
 * template, named in --database, dropped with the last reference.
 * Registered as pg-harness@pg: skipped when the run has no cluster. */
#include <string.h>

#include "sd-test-pg.h"

static gboolean
exists (SdTestPgDatabase *seen_from, const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM pg_database WHERE datname = '%s'", name);
  g_autofree char *n = sd_test_pg_query (seen_from, sql);

  return g_strcmp0 (n, "1") == 0;
}

static void
test_database_lifecycle (void)
{
  g_autoptr(SdTestPgDatabase) witness = sd_test_pg_database_new ();
  SdTestPgDatabase *db = sd_test_pg_database_new ();
  g_autofree char *name = g_strdup (sd_test_pg_database_name (db));
  g_autofree char *current = sd_test_pg_query (db, "SELECT current_database ()");
  g_autofree char *suffix = g_strconcat ("/", name, NULL);
  g_autofree char *from_template = NULL;
  g_autofree char *count = NULL;
  const char *user, *at;

  g_assert_true (sd_test_engine_is_pg ());
  g_assert_cmpstr (current, !=, sd_test_pg_database_name (witness));
  g_assert_cmpstr (current, ==, name);
  /* the server's option: a URL, no password in it */
  g_assert_true (g_str_has_prefix (sd_test_pg_database_option (db), "--database=postgresql://"));
  g_assert_true (g_str_has_suffix (sd_test_pg_database_url (db), suffix));
  user = sd_test_pg_database_url (db) + strlen ("postgresql://");
  at = strchr (user, '@');
  g_assert_nonnull (at);
  g_assert_null (memchr (user, ':', (gsize) (at - user)));
  from_template = sd_test_pg_query (witness, "SELECT count (*) FROM pg_database"
                                             " WHERE datname = 'storedesk_template' AND datistemplate");
  g_assert_cmpstr (from_template, ==, "1");

  /* statements run on it, the rows changed counted */
  g_assert_cmpint (sd_test_pg_run_sql (db, "CREATE TABLE t (n integer); INSERT INTO t VALUES (1), (2), (3)"), ==, 3);
  g_assert_cmpint (sd_test_pg_run_sql (db, "UPDATE t SET n = n + 1 WHERE n > 1"), ==, 2);
  count = sd_test_pg_query (db, "SELECT sum (n) FROM t");
  g_assert_cmpstr (count, ==, "8");

  /* a second reference keeps it; the last one drops it */
  sd_test_pg_database_ref (db);
  sd_test_pg_database_unref (db);
  g_assert_true (exists (witness, name));
  sd_test_pg_database_unref (db);
  g_assert_false (exists (witness, name));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg-harness/database-lifecycle", test_database_lifecycle);
  return g_test_run ();
}
