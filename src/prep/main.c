/* storedesk-prep — prepare photos for a shop: small, upright, anonymous.
 *
 *   storedesk-prep [--max-side N] [--max-bytes SIZE] [--quality Q]
 *                  [--jobs N] [--output DIR] [--json] FILE|DIR…
 *
 * Exit status: 0 all prepared, 1 some failed, 2 usage. */
#define G_LOG_DOMAIN "storedesk-prep"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sd-image-header.h"
#include "storedesk.h"

typedef struct {
  char       *input;     /* as given or found */
  char       *output;    /* where the result goes */
  SdPrepared *prepared;  /* NULL when it failed */
  char       *error;     /* why, translated */
  goffset     bytes_in;
} Job;

typedef struct {
  SdImagePrepOptions  options;
  char               *output_dir;
  gboolean            overwrite;
  GHashTable         *inputs;     /* "dev:ino" of every input, never written */
  GMutex              lock;       /* guards claimed */
  GHashTable         *claimed;    /* outputs this run writes */
  GAsyncQueue        *done;       /* Jobs finished by the pool */
} Run;

static void
job_free (Job *job)
{
  g_free (job->input);
  g_free (job->output);
  g_clear_object (&job->prepared);
  g_free (job->error);
  g_free (job);
}

/* ---- options --------------------------------------------------------- */

/* "1MB", "500k", "1.5 MiB", "1000000": bytes, or 0 when not a size. */
static gsize
parse_size (const char *text)
{
  static const struct { const char *suffix; double factor; } units[] = {
    { "", 1 }, { "b", 1 }, { "k", 1e3 }, { "kb", 1e3 }, { "kib", 1024 },
    { "m", 1e6 }, { "mb", 1e6 }, { "mib", 1048576 },
  };
  g_autofree char *lower = g_ascii_strdown (text, -1);
  char *end = NULL;
  double value = g_ascii_strtod (lower, &end);

  if (end == lower || value <= 0)
    return 0;
  while (*end == ' ')
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].suffix) == 0)
      return value * units[i].factor >= 1 && value * units[i].factor < 1e12
             ? (gsize) (value * units[i].factor) : 0;
  return 0;
}

/* ---- finding the files ---------------------------------------------- */

static gboolean
looks_like_picture (const char *name)
{
  static const char * const extensions[] = {
    ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".heif", ".avif", NULL,
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; extensions[i]; i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

static char *
identity (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, (guint64) st.st_dev, (guint64) st.st_ino);
}

/* relative: where under --output the result goes (extension replaced). */
static void
add_job (Run *run, GPtrArray *jobs, const char *path, const char *relative)
{
  Job *job = g_new0 (Job, 1);
  g_autofree char *id = identity (path);
  const char *dot = strrchr (relative, '.');
  const char *slash = strrchr (relative, '/');
  g_autofree char *stem = dot && (!slash || dot > slash) ? g_strndup (relative, dot - relative) : g_strdup (relative);

  job->input = g_strdup (path);
  /* The extension is set once the type is known; the stem now. */
  job->output = g_build_filename (run->output_dir, stem, NULL);
  if (id)
    g_hash_table_add (run->inputs, g_steal_pointer (&id));
  g_ptr_array_add (jobs, job);
}

/* Folders: recursively, pictures by name, hidden entries skipped, in a
 * stable order. */
static void
walk (Run *run, GPtrArray *jobs, const char *dir, const char *relative)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, n, NULL);
      g_autofree char *rel = g_build_filename (relative, n, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;   /* no loops, no escapes */
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        walk (run, jobs, path, rel);
      else if (looks_like_picture (n))
        add_job (run, jobs, path, rel);
    }
}

/* ---- the work (in the pool) ----------------------------------------- */

/* The last check before a byte is written, whatever path made the
 * result: a whole picture, no larger than --max-side, nothing after its
 * end. */
static gboolean
safe_to_write (const Run *run, SdPrepared *prepared)
{
  SdImageHeader h;
  gsize n;
  const guint8 *d = g_bytes_get_data (sd_prepared_get_bytes (prepared), &n);

  return sd_image_header_check (d, n, run->options.max_pixels, &h, NULL) && h.end == n &&
         MAX (h.width, h.height) <= run->options.max_side;
}

static void
work (gpointer data, gpointer user_data)
{
  Job *job = data;
  Run *run = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (job->input);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *id = NULL;
  GStatBuf st;

  if (g_stat (job->input, &st) == 0)
    job->bytes_in = st.st_size;
  job->prepared = sd_image_prep_file (&run->options, file, NULL, &error);
  if (job->prepared == NULL)
    {
      job->error = g_strdup (error->message);
      goto out;
    }
  if (!safe_to_write (run, job->prepared))
    {
      job->error = g_strdup (_("Not written: the result failed its final check. Save the photo as a JPEG and try again."));
      g_clear_object (&job->prepared);
      goto out;
    }
  /* Two inputs with one name (photo.png, photo.heic) get photo.jpg and
   * photo-2.jpg. */
  g_mutex_lock (&run->lock);
  output = g_strconcat (job->output, ".", sd_prepared_get_extension (job->prepared), NULL);
  for (guint n = 2; g_hash_table_contains (run->claimed, output); n++)
    {
      g_free (output);
      output = g_strdup_printf ("%s-%u.%s", job->output, n, sd_prepared_get_extension (job->prepared));
    }
  g_hash_table_add (run->claimed, g_strdup (output));
  g_mutex_unlock (&run->lock);
  g_free (job->output);
  job->output = g_strdup (output);
  /* Never an original: not by path, not through a link, not by a name
   * another input has. */
  id = identity (output);
  if (id && g_hash_table_contains (run->inputs, id))
    {
      job->error = g_strdup (_("Not written: the output would replace an original. Choose another --output folder."));
      g_clear_object (&job->prepared);
      goto out;
    }
  if (id && !run->overwrite)
    {
      job->error = g_strdup (_("Not written: the output file exists already. Choose another --output folder, or add --overwrite."));
      g_clear_object (&job->prepared);
      goto out;
    }
  parent = g_path_get_dirname (output);
  if (g_mkdir_with_parents (parent, 0755) != 0 ||
      !g_file_set_contents (output, g_bytes_get_data (sd_prepared_get_bytes (job->prepared), NULL),
                            g_bytes_get_size (sd_prepared_get_bytes (job->prepared)), &error))
    {
      job->error = error ? g_strdup (error->message) : g_strdup_printf ("%s: %s", parent, g_strerror (errno));
      g_clear_object (&job->prepared);
    }
out:
  g_async_queue_push (run->done, job);
}

/* ---- reporting ------------------------------------------------------- */

static void
json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; p && *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
print_json (GPtrArray *jobs, guint failed, goffset in, goffset out_bytes)
{
  g_autoptr(GString) out = g_string_new ("{\"files\":[");

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *j = jobs->pdata[i];

      g_string_append (out, i ? ",\n  {" : "\n  {");
      g_string_append (out, "\"input\":");
      json_string (out, j->input);
      g_string_append_printf (out, ",\"ok\":%s,\"bytes_in\":%" G_GOFFSET_FORMAT, j->prepared ? "true" : "false",
                              j->bytes_in);
      if (j->prepared)
        {
          SdPrepared *p = j->prepared;

          g_string_append (out, ",\"output\":");
          json_string (out, j->output);
          g_string_append_printf (out, ",\"bytes_out\":%" G_GSIZE_FORMAT ",\"width\":%u,\"height\":%u,"
                                  "\"original_width\":%u,\"original_height\":%u,\"reencoded\":%s,"
                                  "\"quality\":%d,\"content_type\":",
                                  g_bytes_get_size (sd_prepared_get_bytes (p)), sd_prepared_get_width (p),
                                  sd_prepared_get_height (p), sd_prepared_get_original_width (p),
                                  sd_prepared_get_original_height (p),
                                  sd_prepared_get_reencoded (p) ? "true" : "false", sd_prepared_get_quality (p));
          json_string (out, sd_prepared_get_content_type (p));
        }
      else
        {
          g_string_append (out, ",\"error\":");
          json_string (out, j->error);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_printf (out, "\n],\n\"summary\":{\"files\":%u,\"prepared\":%u,\"failed\":%u,"
                          "\"bytes_in\":%" G_GOFFSET_FORMAT ",\"bytes_out\":%" G_GOFFSET_FORMAT "}}\n",
                          jobs->len, jobs->len - failed, failed, in, out_bytes);
  fputs (out->str, stdout);
}

static void
print_bar (guint done, guint total, goffset in, goffset out)
{
  const int width = 30;
  int filled = total ? (int) ((gint64) width * done / total) : width;
  g_autofree char *a = g_format_size (in);
  g_autofree char *b = g_format_size (out);

  fprintf (stderr, "\r\033[K  [");
  for (int i = 0; i < width; i++)
    fputs (i < filled ? "#" : "-", stderr);
  fprintf (stderr, "] %u/%u  %s → %s", done, total, a, b);
  fflush (stderr);
}

static void
print_line (Job *j)
{
  if (j->prepared)
    {
      SdPrepared *p = j->prepared;
      g_autofree char *a = g_format_size (j->bytes_in);
      g_autofree char *b = g_format_size (g_bytes_get_size (sd_prepared_get_bytes (p)));

      /* Translators: "ok  photo.jpg → prepared/photo.jpg (5.1 MB → 412 kB, 4032×3024 → 1920×1440)" */
      printf (_("ok  %s → %s (%s → %s, %u×%u → %u×%u)\n"), j->input, j->output, a, b,
              sd_prepared_get_original_width (p), sd_prepared_get_original_height (p),
              sd_prepared_get_width (p), sd_prepared_get_height (p));
    }
  else
    /* Translators: "failed  photo.jpg: why" */
    printf (_("failed  %s: %s\n"), j->input, j->error);
  fflush (stdout);
}

/* ---- main -------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  Run run = { 0 };
  int max_side = 0, quality = 0, jobs_n = 0;
  g_autofree char *max_bytes = NULL;
  g_autofree char *output_dir = NULL;
  gboolean json = FALSE, overwrite = FALSE, version = FALSE;
  g_auto(GStrv) files = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GThreadPool *pool;
  gboolean bar;
  guint failed = 0;
  goffset in = 0, out = 0;
  GOptionEntry entries[] = {
    { "max-side", 's', 0, G_OPTION_ARG_INT, &max_side, N_("Longest side in pixels (1920)"), "N" },
    { "max-bytes", 'b', 0, G_OPTION_ARG_STRING, &max_bytes, N_("Largest output, e.g. 1MB or 500kB (1MB)"), "SIZE" },
    { "quality", 'q', 0, G_OPTION_ARG_INT, &quality, N_("First JPEG quality to try, 1–100 (85)"), "Q" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs_n, N_("Pictures prepared at once (one per CPU)"), "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir, N_("Folder for the results (./prepared)"), "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, N_("Replace earlier results (never an original)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Report as JSON on standard output"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE|DIR…") },
    { NULL }
  };

  sd_i18n_init ();
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Prepares photos for a shop: at most 1920 pixels on the longest side and 1 MB, turned upright, "
      "transparency on white, every piece of metadata (GPS included) removed. Folders are searched "
      "for pictures. Originals are never changed."));
  g_option_context_set_description (context,
    _("Exit status: 0 when every file was prepared, 1 when some failed, 2 for a usage error."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "storedesk-prep: %s\n", error->message);
      fprintf (stderr, _("Try “storedesk-prep --help”.\n"));
      return 2;
    }
  if (version)
    {
      printf ("storedesk-prep %s\n", PACKAGE_VERSION);
      return 0;
    }
  sd_image_prep_options_init (&run.options);
  if (max_side)
    run.options.max_side = (guint) max_side;
  if (quality)
    run.options.quality = quality;
  if (max_bytes && (run.options.max_bytes = parse_size (max_bytes)) == 0)
    {
      fprintf (stderr, _("storedesk-prep: “%s” is not a size; use one like 1MB or 500kB.\n"), max_bytes);
      return 2;
    }
  if (max_side < 0 || (max_side > 0 && max_side < 16) || quality < 0 || quality > 100 || jobs_n < 0 ||
      run.options.max_bytes < 10000)
    {
      fprintf (stderr, _("storedesk-prep: --max-side needs 16 or more, --quality 1 to 100, "
                         "--jobs 1 or more and --max-bytes 10kB or more.\n"));
      return 2;
    }
  if (files == NULL || files[0] == NULL)
    {
      fprintf (stderr, _("storedesk-prep: name the photos or folders to prepare.\n"));
      fprintf (stderr, _("Try “storedesk-prep --help”.\n"));
      return 2;
    }

  run.output_dir = output_dir ? g_strdup (output_dir) : g_strdup ("prepared");
  run.overwrite = overwrite;
  run.inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.done = g_async_queue_new ();
  run.claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  for (guint i = 0; files[i]; i++)
    {
      g_autofree char *base = g_path_get_basename (files[i]);

      if (g_file_test (files[i], G_FILE_TEST_IS_DIR))
        walk (&run, jobs, files[i], base);
      else
        add_job (&run, jobs, files[i], base);   /* tried even when it does not exist: reported */
    }

  pool = g_thread_pool_new (work, &run, jobs_n ? jobs_n : (int) g_get_num_processors (), FALSE, NULL);
  for (guint i = 0; i < jobs->len; i++)
    g_thread_pool_push (pool, jobs->pdata[i], NULL);

  /* A bar on a terminal; lines a script can read otherwise. */
  bar = !json && isatty (STDERR_FILENO);
  for (guint done = 0; done < jobs->len; done++)
    {
      Job *j = g_async_queue_pop (run.done);

      in += j->bytes_in;
      if (j->prepared)
        out += g_bytes_get_size (sd_prepared_get_bytes (j->prepared));
      else
        failed++;
      if (json)
        continue;
      if (bar)
        {
          if (j->prepared == NULL)
            {
              fprintf (stderr, "\r\033[K");
              print_line (j);
            }
          print_bar (done + 1, jobs->len, in, out);
        }
      else
        print_line (j);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  if (json)
    print_json (jobs, failed, in, out);
  else
    {
      g_autofree char *a = g_format_size (in);
      g_autofree char *b = g_format_size (out);

      if (bar)
        fprintf (stderr, "\r\033[K");
      /* Translators: "Prepared 38 of 40 files: 210.5 MB → 18.3 MB." */
      printf (g_dngettext (GETTEXT_PACKAGE, "Prepared %u of %u file: %s → %s.\n",
                           "Prepared %u of %u files: %s → %s.\n", jobs->len),
              jobs->len - failed, jobs->len, a, b);
      if (failed)
        {
          printf (g_dngettext (GETTEXT_PACKAGE, "%u failed:\n", "%u failed:\n", failed), failed);
          for (guint i = 0; i < jobs->len; i++)
            {
              Job *j = jobs->pdata[i];
              if (j->prepared == NULL)
                printf ("  %s: %s\n", j->input, j->error);
            }
        }
    }
  g_async_queue_unref (run.done);
  g_hash_table_unref (run.inputs);
  g_hash_table_unref (run.claimed);
  g_free (run.output_dir);
  return failed ? 1 : 0;
}
