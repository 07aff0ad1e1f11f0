/* test-image-prep-cli.c — storedesk-prep itself, run as a user would: the
 * files it writes, its exit codes, and the bombs and tricks refused with
 * nothing written and no growth with the declared size. */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "sd-image-private.h"
#include "sd-test-images.h"
#include "sd-test-util.h"
#include "sd-test-prep.h"

/* ---- storedesk-prep ---------------------------------------------------- */

typedef struct {
  int    status;
  char  *out;
  char  *err;
} Ran;

static void
ran_clear (Ran *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Ran
run_prep (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Ran r = { -1 };
  const char *program = g_getenv ("STOREDESK_PREP");
  va_list ap;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &r.status, &error));
  g_assert_no_error (error);
  r.status = WIFEXITED (r.status) ? WEXITSTATUS (r.status) : -1;
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  return r;
}

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-cli-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (dir, "photos", NULL);
  g_autofree char *sub = g_build_filename (in, "shelf", NULL);
  g_autofree char *a = g_build_filename (in, "a.jpg", NULL);
  g_autofree char *b = g_build_filename (sub, "b.jpg", NULL);
  g_autofree char *fake = g_build_filename (sub, "fake.jpg", NULL);
  g_autofree char *notes = g_build_filename (in, "notes.txt", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out_a = g_build_filename (out, "photos", "a.jpg", NULL);
  g_autofree char *out_b = g_build_filename (out, "photos", "shelf", "b.jpg", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GdkPixbuf) picture = quadrants (2400, 1600);
  g_autoptr(GdkPixbuf) turned = stored_for (picture, 6);   /* as a phone held upright stores it */
  g_autoptr(GBytes) tagged = jpeg_with_exif (turned, 6);
  g_autoptr(GBytes) plain = save (picture, "jpeg", "90");
  g_autoptr(GBytes) after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *summary;
  JsonArray *files;
  Ran r;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  write_bytes (a, tagged);
  write_bytes (b, plain);
  g_assert_true (g_file_set_contents (fake, "not a photo\n", -1, NULL));
  g_assert_true (g_file_set_contents (notes, "ignored: not named like a picture\n", -1, NULL));

  /* A folder, recursively, in parallel, as JSON: 2 prepared, 1 failed. */
  r = run_prep ("--json", "--jobs", "2", "--output", out, in, NULL);
  g_assert_cmpint (r.status, ==, 1);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  summary = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "summary");
  files = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "files");
  g_assert_cmpint (json_object_get_int_member (summary, "files"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "prepared"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 1);
  g_assert_cmpuint (json_array_get_length (files), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      if (!json_object_get_boolean_member (f, "ok"))
        {
          g_assert_true (g_str_has_suffix (json_object_get_string_member (f, "input"), "fake.jpg"));
          g_assert_nonnull (json_object_get_string_member (f, "error"));
        }
      else
        g_assert_cmpint (json_object_get_int_member (f, "width"), ==, 1920);
    }
  ran_clear (&r);
  g_assert_true (g_file_test (out_a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (out_b, G_FILE_TEST_EXISTS));
  after = read_bytes (a);
  g_assert_true (g_bytes_equal (after, tagged));   /* the original is untouched */
  g_clear_pointer (&after, g_bytes_unref);
  {
    g_autoptr(GBytes) prepared = read_bytes (out_a);
    g_autoptr(GdkPixbuf) p = decode (prepared);

    assert_no_metadata (prepared);
    g_assert_cmpint (gdk_pixbuf_get_width (p), ==, 1920);   /* turned upright: landscape again */
    assert_color (pixel (p, 100, 100), 0xff0000);
  }

  /* One file goes straight under --output; plain lines, as stdout is not
   * a terminal. Run again, the result exists: not replaced without
   * --overwrite. */
  r = run_prep ("--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "b.jpg"));
  ran_clear (&r);
  r = run_prep ("--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "--overwrite"));
  ran_clear (&r);
  r = run_prep ("--overwrite", "--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  ran_clear (&r);

  /* Never an original, --overwrite or not. */
  r = run_prep ("--overwrite", "--output", in, a, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "original"));
  ran_clear (&r);
  after = read_bytes (a);
  g_assert_true (g_bytes_equal (after, tagged));

  /* Usage errors: 2. */
  r = run_prep ("--quality", "500", a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--max-bytes", "lots", a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--output", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--max-bytes"));
  ran_clear (&r);
  /* A smaller limit, in kB. */
  r = run_prep ("--json", "--overwrite", "--max-bytes", "60kB", "--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  files = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "files");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "bytes_out"), <=, 60000);
  ran_clear (&r);

  g_assert_cmpint (system (cmd), ==, 0);
}

/* The bombs and the tricks again, through storedesk-prep itself: refused,
 * nothing written, and the process never grows with the declared size. */
typedef struct {
  int    status;
  char  *out;
  glong  peak_kb;
} Measured;

static Measured
run_prep_measured (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  Measured m = { -1, NULL, 0 };
  struct rusage usage;
  GPid pid;
  int out_fd, status;
  char buf[4096];
  gssize got;

  g_ptr_array_add (argv, (char *) g_getenv ("STOREDESK_PREP"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint k = 0; args[k]; k++)
    g_ptr_array_add (argv, (char *) args[k]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                           &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  while ((got = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, got);
  close (out_fd);
  /* This child's own peak, not the largest of all children so far. */
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_spawn_close_pid (pid);
  m.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  m.peak_kb = usage.ru_maxrss;
  m.out = g_string_free (g_steal_pointer (&out), FALSE);
  return m;
}

/* Generous: a behaviour check (the declared size does not drive memory),
 * not a benchmark. The sanitizer build's own shadow memory and quarantine
 * make its figures meaningless: there it is only reported. */
#ifdef __SANITIZE_ADDRESS__
#define PEAK_LIMIT_KB G_MAXLONG
#else
#define PEAK_LIMIT_KB (150 * 1024)
#endif

static void
test_cli_bombs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-bombs-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GPtrArray) all = bombs ();
  glong largest = 0;

  for (guint k = 0; k < all->len; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s/bomb-%02u.%s", dir, k, k < 3 ? "webp" : "jpg");
      const char *args[] = { "--json", "--jobs", "1", "--output", out, name, NULL };
      Measured m;

      write_bytes (name, all->pdata[k]);
      m = run_prep_measured (args);
      g_test_message ("bomb %u (%" G_GSIZE_FORMAT " bytes): exit %d, peak %ld MB\n%s", k,
                      g_bytes_get_size (all->pdata[k]), m.status, m.peak_kb / 1024, m.out);
      g_assert_cmpint (m.status, ==, 1);
      g_assert_nonnull (strstr (m.out, "\"ok\":false"));
      g_assert_cmpint (m.peak_kb, <, PEAK_LIMIT_KB);
      largest = MAX (largest, m.peak_kb);
      g_free (m.out);
    }
  /* Nothing was written for any of them. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_test_message ("largest peak RSS on the bombs: %ld MB", largest / 1024);

  /* A 32-byte lossless WebP of 5000 × 3000: at most 1920 px comes out. */
  {
    g_autoptr(GBytes) webp = sd_test_webp_vp8l (5000, 3000);
    g_autofree char *name = g_build_filename (dir, "wide.webp", NULL);
    g_autofree char *result = g_build_filename (out, "wide.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    g_autoptr(GdkPixbuf) written = NULL;
    g_autoptr(GError) error = NULL;
    Measured m;

    write_bytes (name, webp);
    m = run_prep_measured (args);
    g_test_message ("wide.webp: exit %d, peak %ld MB\n%s", m.status, m.peak_kb / 1024, m.out);
    g_assert_cmpint (m.status, ==, 0);
    g_assert_cmpint (m.peak_kb, <, PEAK_LIMIT_KB);
    g_free (m.out);
    written = gdk_pixbuf_new_from_file (result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (written), ==, 1920);
  }

  /* A small clean JPEG with GPS after its end: written without it. */
  {
    g_autoptr(GdkPixbuf) small = quadrants (320, 200);
    g_autoptr(GBytes) clean = save (small, "jpeg", "90");
    g_autoptr(GBytes) tagged = sd_test_append (clean, "GPS 37.566535 N 126.977969 E");
    g_autofree char *name = g_build_filename (dir, "tagged.jpg", NULL);
    g_autofree char *result = g_build_filename (out, "tagged.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    g_autoptr(GBytes) written = NULL;
    Measured m;

    write_bytes (name, tagged);
    m = run_prep_measured (args);
    g_assert_cmpint (m.status, ==, 0);
    g_free (m.out);
    written = read_bytes (result);
    g_assert_null (memmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written), "GPS", 3));
    g_assert_true (g_bytes_equal (written, clean));
  }

  /* Half a picture: refused, not written. */
  {
    g_autoptr(GBytes) whole = sd_test_webp_vp8l (400, 300);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
    g_autofree char *name = g_build_filename (dir, "half.webp", NULL);
    g_autofree char *result = g_build_filename (out, "half.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    Measured m;

    write_bytes (name, half);
    m = run_prep_measured (args);
    g_assert_cmpint (m.status, ==, 1);
    g_assert_nonnull (strstr (m.out, "incomplete"));
    g_free (m.out);
    g_assert_false (g_file_test (result, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/prep/cli", test_cli);
  g_test_add_func ("/prep/cli-bombs", test_cli_bombs);
  return g_test_run ();
}
