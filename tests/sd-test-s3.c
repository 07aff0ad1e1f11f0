/* sd-test-s3.c — s3rver for the server's tests (see sd-test-s3.h). */
#include "sd-test-s3.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sd-test-util.h"

#define START_TIMEOUT_MS 30000
#define OBJECT_SUFFIX    "._S3rver_object"

/* Where `build-aux/run deps` put s3rver: .deps/s3rver/node_modules at
 * the top of the source tree, unless STOREDESK_S3RVER_MODULES says. */
static char *
modules_dir (void)
{
  const char *env = g_getenv ("STOREDESK_S3RVER_MODULES");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : ".", "..", ".deps",
                           "s3rver", "node_modules", NULL);
}

typedef struct {
  char     *line;
  GError   *error;
  gboolean  done;
} LineRead;

static void
line_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LineRead *r = user_data;

  r->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &r->error);
  r->done = TRUE;
}

static gboolean
line_is_read (gpointer user_data)
{
  return ((LineRead *) user_data)->done;
}

SdTestS3 *
sd_test_s3_start (void)
{
  g_autofree char *modules = modules_dir ();
  g_autofree char *package = g_build_filename (modules, "@20minutes", "s3rver", "package.json", NULL);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "s3rver-launch.js", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTestS3) s3 = NULL;
  LineRead r = { 0 };
  gint64 started;

  if (node == NULL || !g_file_test (package, G_FILE_TEST_EXISTS))
    {
      g_autofree char *why = g_strdup_printf ("s3rver is not installed (no node, or no %s): "
                                              "run build-aux/run deps", package);

      if (g_getenv ("STOREDESK_TEST_REQUIRE_S3") != NULL)
        g_error ("%s; STOREDESK_TEST_REQUIRE_S3 is set, so this fails", why);
      g_test_skip (why);
      return NULL;
    }

  s3 = g_new0 (SdTestS3, 1);
  s3->dir = g_dir_make_tmp ("storedesk-s3-XXXXXX", &error);
  g_assert_no_error (error);
  s3->bucket = g_strdup ("storedesk-test");
  s3->access_key = g_strdup (g_getenv ("AWS_ACCESS_KEY_ID"));
  s3->secret_key = g_strdup (g_getenv ("AWS_SECRET_ACCESS_KEY"));
  g_assert_nonnull (s3->access_key);   /* sd_test_s3_init_env () in main () */
  g_assert_nonnull (s3->secret_key);

  /* stdin a pipe that only we hold: s3rver ends when the test does. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules, TRUE);
  started = g_get_monotonic_time ();
  s3->process = g_subprocess_launcher_spawn (launcher, &error, node, script, s3->dir, s3->bucket,
                                             s3->access_key, s3->secret_key, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s3->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read_cb, &r);
  sd_test_wait_until (line_is_read, &r, START_TIMEOUT_MS);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.line);
  g_assert_true (g_str_has_prefix (r.line, "port "));
  s3->endpoint = g_strdup_printf ("http://127.0.0.1:%s", r.line + strlen ("port "));
  g_test_message ("s3rver at %s, serving after %" G_GINT64_FORMAT " ms", s3->endpoint,
                  (g_get_monotonic_time () - started) / 1000);
  g_free (r.line);
  return g_steal_pointer (&s3);
}

void
sd_test_s3_free (SdTestS3 *s3)
{
  if (s3->process)
    {
      g_subprocess_force_exit (s3->process);
      g_subprocess_wait (s3->process, NULL, NULL);
      g_object_unref (s3->process);
    }
  if (s3->dir)
    sd_test_remove_tree (s3->dir);
  g_free (s3->dir);
  g_free (s3->endpoint);
  g_free (s3->bucket);
  g_free (s3->access_key);
  g_free (s3->secret_key);
  g_free (s3);
}

gboolean
sd_test_s3_has (SdTestS3 *s3, const char *name)
{
  g_autofree char *file = g_strconcat (name, OBJECT_SUFFIX, NULL);
  g_autofree char *path = g_build_filename (s3->dir, s3->bucket, file, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

guint
sd_test_s3_count (SdTestS3 *s3)
{
  g_autofree char *path = g_build_filename (s3->dir, s3->bucket, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, OBJECT_SUFFIX);
  return n;
}

void
sd_test_s3_init_env (void)
{
  g_autofree char *secret = g_strdup_printf ("test-secret-%08x%08x", g_random_int (), g_random_int ());

  g_setenv ("AWS_ACCESS_KEY_ID", "STOREDESKTESTKEY", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", secret, TRUE);
  g_setenv ("AWS_REGION", "us-east-1", TRUE);
}
