/* test-server-pg.c — storedesk-server's PostgreSQL engine on its own
 * (issue 18): nodes started at the same moment on one fresh database,
 * an older schema refused until `migrate`, a password kept off the
 * command line. Registered as server-pg@pg: skipped without a cluster. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sd-server-db.h"
#include "sd-test-http.h"
#include "sd-test-pg.h"

#define NODES 3

typedef struct {
  GSubprocess *process;
  char        *data_dir;
  char        *url;
} Node;

static const char *
server_program (void)
{
  const char *program = g_getenv ("STOREDESK_SERVER");

  g_assert_nonnull (program);
  return program;
}

/* A failed assertion ends the test at once: its servers go with it. */
static void
die_with_parent (gpointer unused)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* storedesk-server with argv (NULL-terminated), its output piped; its
 * log too when it is a command (a server's would fill the pipe). */
static GSubprocess *
spawn_full (const char * const *argv, gboolean pipe_log)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               (pipe_log ? G_SUBPROCESS_FLAGS_STDERR_PIPE : G_SUBPROCESS_FLAGS_NONE));
  GSubprocess *process;

  g_ptr_array_add (args, (gpointer) server_program ());
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
spawn (const char * const *argv)
{
  return spawn_full (argv, FALSE);
}

static void
node_start (Node *node, SdTestPgDatabase *db)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "--listen", "127.0.0.1:0", "--demo", "--data-dir", NULL,
                         sd_test_pg_database_option (db), NULL };

  node->data_dir = g_dir_make_tmp ("storedesk-pg-XXXXXX", &error);
  g_assert_no_error (error);
  argv[4] = node->data_dir;
  node->process = spawn (argv);
}

/* Its first line: "listening on URL"; FALSE when it ended instead. */
static gboolean
node_wait (Node *node)
{
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node->process));
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    return FALSE;
  node->url = g_strdup (line + strlen ("listening on "));
  return TRUE;
}

static void
node_stop (Node *node)
{
  g_subprocess_send_signal (node->process, SIGTERM);
  g_subprocess_wait (node->process, NULL, NULL);
  g_clear_object (&node->process);
  g_clear_pointer (&node->url, g_free);
  if (node->data_dir)
    sd_test_remove_tree (node->data_dir);
  g_clear_pointer (&node->data_dir, g_free);
}

/* Three nodes started at the same moment on a fresh database, a few
 * times over: every one comes up (none dies on "table exists"), the demo
 * shop is seeded once, the secrets are one set, and a token signed by
 * one node works on another. */
static void
test_start_together (void)
{
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(SdTestPgDatabase) db = sd_test_pg_database_new ();
      Node nodes[NODES] = { 0 };
      g_autofree char *products = NULL;
      g_autofree char *secrets = NULL;
      g_autofree char *token = NULL;
      SdTestServer first = { 0 }, last = { 0 };
      g_autoptr(SdTestReply) me = NULL;

      for (guint i = 0; i < NODES; i++)
        node_start (&nodes[i], db);
      for (guint i = 0; i < NODES; i++)
        g_assert_true (node_wait (&nodes[i]));
      products = sd_test_pg_query (db, "SELECT count (*) FROM products");
      g_assert_cmpstr (products, ==, "49");
      secrets = sd_test_pg_query (db, "SELECT count (*) FROM meta WHERE key LIKE 'secret:%'");
      g_assert_cmpstr (secrets, ==, "7");
      first.url = nodes[0].url;
      last.url = nodes[NODES - 1].url;
      token = sd_test_sign_in (&first, "customer@example.com", "Customer1234!", NULL);
      me = sd_test_http (&last, "GET", "/api/v1/auth/me", token, NULL, NULL);
      g_assert_cmpuint (me->status, ==, 200);
      for (guint i = 0; i < NODES; i++)
        node_stop (&nodes[i]);
    }
}

/* What a command printed on stderr, and how it ended. */
static char *
run (const char * const *argv, int *out_status)
{
  g_autoptr(GSubprocess) process = spawn_full (argv, TRUE);
  g_autoptr(GError) error = NULL;
  char *err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  *out_status = g_subprocess_get_exit_status (process);
  return err;
}

/* A database of PostgreSQL schema 1 (built from the server's own steps,
 * which never change once shipped): a node refuses it, saying what to
 * do; `migrate` brings it up to date; then the node starts. */
static void
test_older_schema (void)
{
  g_autoptr(SdTestPgDatabase) db = sd_test_pg_database_new ();
  g_autofree char *old = g_strconcat ("CREATE TABLE storedesk_schema (version bigint NOT NULL);"
                                      "INSERT INTO storedesk_schema VALUES (1);",
                                      sd_server_db_pg_migration (0), NULL);
  g_autofree char *data_dir = g_dir_make_tmp ("storedesk-pg-XXXXXX", NULL);
  const char *serve[] = { "--listen", "127.0.0.1:0", "--data-dir", data_dir,
                          sd_test_pg_database_option (db), NULL };
  const char *migrate[] = { "migrate", sd_test_pg_database_option (db), NULL };
  g_autofree char *refused = NULL;
  g_autofree char *migrated = NULL;
  g_autofree char *version = NULL;
  Node node = { 0 };
  int status = -1;

  g_assert_nonnull (sd_server_db_pg_migration (1));   /* there is a step after 1 */
  sd_test_pg_run_sql (db, old);
  refused = run (serve, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (refused, "schema version 1"));
  g_assert_nonnull (strstr (refused, "storedesk-server migrate --database=URL"));

  migrated = run (migrate, &status);
  g_assert_cmpint (status, ==, 0);
  version = sd_test_pg_query (db, "SELECT version FROM storedesk_schema");
  g_assert_cmpuint (g_ascii_strtoull (version, NULL, 10), >, 1);

  node.process = spawn (serve);
  node.data_dir = g_steal_pointer (&data_dir);
  g_assert_true (node_wait (&node));
  node_stop (&node);
}

/* A password in the URL is refused before anything connects, and is not
 * repeated in the message (it would be in logs). */
static void
test_password_in_url (void)
{
  const char *argv[] = { "migrate", "--database=postgresql://shop:hunter2secret@127.0.0.1:1/shop", NULL };
  g_autofree char *err = NULL;
  int status = -1;

  err = run (argv, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "PGPASSWORD"));
  g_assert_null (strstr (err, "hunter2secret"));
}

static gpointer
hold_write_lock (gpointer db)
{
  /* One implicit transaction: the lock is held through the sleep. */
  sd_test_pg_run_sql (db, "SELECT pg_advisory_xact_lock (hashtext ('storedesk:write')); SELECT pg_sleep (7)");
  return NULL;
}

static gboolean
lock_held (gpointer db)
{
  /* pg_locks is the whole cluster's: other tests' nodes take the same
   * lock in their own databases. */
  g_autofree char *n = sd_test_pg_query (db, "SELECT count (*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                             " AND database = (SELECT oid FROM pg_database"
                                             " WHERE datname = current_database ())");

  return g_strcmp0 (n, "0") != 0;
}

/* The shop's write lock held elsewhere past the node's lock timeout: the
 * request that needed it fails (503), and the node's connection is fine
 * for the next one (it was left in an aborted transaction before). */
static void
test_lock_timeout (void)
{
  g_autoptr(SdTestPgDatabase) db = sd_test_pg_database_new ();
  g_autofree char *data_dir = g_dir_make_tmp ("storedesk-pg-XXXXXX", NULL);
  const char *argv[] = { "--listen", "127.0.0.1:0", "--demo", "--workers=1", "--data-dir", data_dir,
                         sd_test_pg_database_option (db), NULL };
  const char *wrong = "{\"email\":\"customer@example.com\",\"password\":\"Wrong-pass1\"}";
  Node node = { .process = spawn (argv), .data_dir = g_steal_pointer (&data_dir) };
  SdTestServer server = { 0 };
  GThread *holder;

  g_assert_true (node_wait (&node));
  server.url = node.url;
  holder = g_thread_new ("lock", hold_write_lock, db);
  sd_test_wait_until (lock_held, db, 30000);
  {
    g_autoptr(SdTestReply) busy = sd_test_http (&server, "POST", "/api/v1/auth/sign-in", NULL, wrong, NULL);

    g_assert_cmpuint (busy->status, ==, 503);
  }
  g_thread_join (holder);
  {
    g_autofree char *token = sd_test_sign_in (&server, "customer@example.com", "Customer1234!", NULL);
    g_autoptr(SdTestReply) me = sd_test_http (&server, "GET", "/api/v1/auth/me", token, NULL, NULL);

    g_assert_cmpuint (me->status, ==, 200);
  }
  node_stop (&node);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg/start-together", test_start_together);
  g_test_add_func ("/pg/older-schema", test_older_schema);
  g_test_add_func ("/pg/password-in-url", test_password_in_url);
  g_test_add_func ("/pg/lock-timeout", test_lock_timeout);
  return g_test_run ();
}
