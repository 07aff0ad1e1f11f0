/* test-server-data-dir.c — what storedesk-server leaves on disk is the
 * owner's alone: the data dir (and uploads/) 0700, shop.db and the files
 * SQLite makes beside it 0600, since the database holds the signing keys.
 * A data dir left wider by an older server is narrowed at start, with one
 * log line saying so. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "sd-test-pg.h"

typedef struct {
  GSubprocess *process;
  char        *log_path;
} Server;

static gboolean
line_read (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

static void
line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*line);
}

/* Starts the server on data_dir (and database, "--database=…" under
 * PostgreSQL, else NULL), its log going to a file; returns once it
 * listens. */
static Server *
server_start (const char *data_dir, const char *log_path, const char *database)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *program = g_getenv ("STOREDESK_SERVER");
  Server *s = g_new0 (Server, 1);
  GMainContext *context = g_main_context_default ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_nonnull (program);
  /* as a careless shell would start it: what the server makes is its
   * own business */
  umask (022);
  s->log_path = g_strdup (log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  s->process = g_subprocess_launcher_spawn (launcher, &error, program, "--listen", "127.0.0.1:0",
                                            "--data-dir", data_dir, "--workers", "2",
                                            database /* (NULL: the list ends there) */, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &line);
  while (!line_read (&line))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (context, TRUE);
    }
  g_assert_true (g_str_has_prefix (line, "listening on "));
  return s;
}

static void
server_stop (Server *s, int signal)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (s->process, signal);
  g_assert_true (g_subprocess_wait (s->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&s->process);
  g_free (s->log_path);
  g_free (s);
}

static guint
mode_of (const char *dir, const char *name)
{
  g_autofree char *path = name ? g_build_filename (dir, name, NULL) : g_strdup (dir);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
assert_owner_only (const char *dir)
{
  g_assert_cmpuint (mode_of (dir, NULL), ==, 0700);
  g_assert_cmpuint (mode_of (dir, "uploads"), ==, 0700);
  if (sd_test_engine_is_pg ())
    return;
  g_assert_cmpuint (mode_of (dir, "shop.db"), ==, 0600);
  /* SQLite made these while the server runs (WAL mode) */
  g_assert_cmpuint (mode_of (dir, "shop.db-wal"), ==, 0600);
  g_assert_cmpuint (mode_of (dir, "shop.db-shm"), ==, 0600);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

static void
test_fresh_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("storedesk-test-XXXXXX", &error);
  g_autofree char *data_dir = g_build_filename (base, "shop", NULL);
  g_autofree char *log = g_build_filename (base, "server.log", NULL);
  g_autoptr(SdTestPgDatabase) database = sd_test_engine_is_pg () ? sd_test_pg_database_new () : NULL;
  Server *s;

  g_assert_no_error (error);
  s = server_start (data_dir, log, database ? sd_test_pg_database_option (database) : NULL);
  assert_owner_only (data_dir);
  server_stop (s, SIGTERM);
  remove_tree (base);
}

static void
test_wide_dir_narrowed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("storedesk-test-XXXXXX", &error);
  g_autofree char *data_dir = g_build_filename (base, "shop", NULL);
  g_autofree char *log = g_build_filename (base, "server.log", NULL);
  g_autofree char *log2 = g_build_filename (base, "server2.log", NULL);
  static const char * const files[] = { "shop.db", "shop.db-wal", "shop.db-shm" };
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *uploads = g_build_filename (data_dir, "uploads", NULL);
  Server *s;

  g_assert_no_error (error);
  /* a shop left by an older server, killed so that -wal and -shm stay */
  s = server_start (data_dir, log, NULL);
  server_stop (s, SIGKILL);
  g_assert_cmpint (g_chmod (data_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (uploads, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (data_dir, files[i], NULL);
      g_assert_cmpint (g_chmod (path, 0644), ==, 0);
    }

  s = server_start (data_dir, log, NULL);
  assert_owner_only (data_dir);
  server_stop (s, SIGTERM);
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  g_test_message ("%s", text);
  /* one line, naming what was narrowed */
  g_assert_nonnull (strstr (text, "0755"));
  g_assert_nonnull (strstr (text, "0644"));
  g_assert_nonnull (strstr (text, "shop.db"));

  /* nothing to say the next time */
  s = server_start (data_dir, log2, NULL);
  assert_owner_only (data_dir);
  server_stop (s, SIGTERM);
  g_assert_true (g_file_get_contents (log2, &text2, NULL, NULL));
  g_assert_null (strstr (text2, "0755"));
  g_assert_null (strstr (text2, "0644"));
  remove_tree (base);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/data-dir/fresh", test_fresh_dir);
  sd_test_add_sqlite_only ("/server/data-dir/narrowed", test_wide_dir_narrowed,
                           "the files narrowed are shop.db and its -wal and -shm");
  return g_test_run ();
}
