/* sd-server-transfer.c — `storedesk-server export` and `import`: a shop
 * moved between databases (SQLite → PostgreSQL), pictures included:
 *
 *   storedesk-server export --data-dir OLD | storedesk-server import \
 *       --data-dir NEW --database postgresql://shop@db/shop
 *
 * The rows are the store's (sd-server-store-transfer.c); the pictures
 * here are the files of DATA_DIR/uploads/, as lines
 * {"picture":NAME,"base64":…}. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sd-server-blobs.h"
#include "sd-server-store.h"
#include "sd-server-transfer.h"

/* A picture's bytes, at most: the line limit (16 MiB) less base64's third. */
#define MAX_PICTURE (12 * 1024 * 1024)

static gboolean
export_pictures (GOutputStream *out, guint64 *rows, gpointer uploads, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open (uploads, 0, NULL);
  const char *name;

  if (dir == NULL)
    return TRUE;   /* no pictures yet */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (uploads, name, NULL);
      g_autofree char *data = NULL;
      g_autofree char *b64 = NULL;
      g_autofree char *line = NULL;
      g_autoptr(JsonBuilder) b = NULL;
      g_autoptr(JsonNode) node = NULL;
      GStatBuf st;
      gsize size = 0;

      if (!sd_blob_is_name (name) || g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (st.st_size > MAX_PICTURE)
        {
          /* Never left out in silence: its product would lose it. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "%s is larger than %d bytes, more than the stream carries; make it smaller first",
                       name, MAX_PICTURE);
          return FALSE;
        }
      if (!g_file_get_contents (path, &data, &size, error))
        return FALSE;
      b64 = g_base64_encode ((const guchar *) data, size);
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "picture");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "base64");
      json_builder_add_string_value (b, b64);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      line = json_to_string (node, FALSE);
      if (!g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error) ||
          !g_output_stream_write_all (out, "\n", 1, NULL, NULL, error))
        return FALSE;
      (*rows)++;
    }
  return TRUE;
}

/* A picture line into the new shop's blobs (a folder, or an S3 bucket):
 * a name of ours, a picture by its bytes, not too large. */
static gboolean
import_picture (JsonObject *line, gpointer blobs, GError **error)
{
  const char *name = json_object_get_string_member_with_default (line, "picture", "");
  const char *b64 = json_object_get_string_member_with_default (line, "base64", "");
  g_autoptr(GBytes) bytes = NULL;
  const char *type;
  guchar *data;
  gsize size = 0;

  if (blobs == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the stream has pictures: give --data-dir DIR or --blobs URL for them");
      return FALSE;
    }
  if (!sd_blob_is_name (name) || strlen (b64) > MAX_PICTURE / 3 * 4 + 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a picture with a bad name or too large");
      return FALSE;
    }
  data = g_base64_decode (b64, &size);
  bytes = g_bytes_new_take (data, size);
  type = sd_blob_sniff_type (data, size);
  if (type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a JPEG, PNG or WebP picture", name);
      return FALSE;
    }
  return sd_server_blobs_put (blobs, name, bytes, type, error);
}

typedef struct {
  char *data_dir;
  char *database;
  char *blobs;
  char *s3_endpoint;
} Places;

static void
places_clear (Places *p)
{
  g_clear_pointer (&p->data_dir, g_free);
  g_clear_pointer (&p->database, g_free);
  g_clear_pointer (&p->blobs, g_free);
  g_clear_pointer (&p->s3_endpoint, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Places, places_clear)

/* Parses --data-dir and --database; opens the store. NULL after a
 * message on stderr, with *exit_code set. */
static SdServerStore *
open_for (const char *command, int argc, char **argv, Places *places, int *exit_code)
{
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &places->data_dir,
      "The shop's data folder: its uploads/ (and shop.db unless --database)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &places->database,
      "The shop's database: PATH, sqlite:PATH or postgresql://USER@HOST:PORT/DB", "URL" },
    { "blobs", 0, 0, G_OPTION_ARG_STRING, &places->blobs,
      "Where the shop's pictures are: file:DIR (default DATA_DIR/uploads) or s3://BUCKET", "URL" },
    { "s3-endpoint", 0, 0, G_OPTION_ARG_STRING, &places->s3_endpoint,
      "The S3 store of --blobs=s3://BUCKET", "http(s)://HOST:PORT" },
    { NULL }
  };
  g_autofree char *summary = g_strdup_printf (g_str_equal (command, "export")
                                              ? "— write the whole shop to standard output, as JSON lines"
                                              : "— read a shop from standard input into an empty database");
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *uploads = NULL;
  SdServerStore *store;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Move a shop to PostgreSQL:\n"
    "  storedesk-server export --data-dir OLD | \\\n"
    "    storedesk-server import --data-dir NEW --database postgresql://USER@HOST/DB\n"
    "Pictures go along from a folder (DATA_DIR/uploads or --blobs=file:DIR) into the new shop's\n"
    "folder or bucket (--blobs=s3://BUCKET --s3-endpoint URL); a bucket stays where it is.\n"
    "The stream holds everything, password hashes and signing keys too: keep it as secret as the database.");
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1 ||
      (places->data_dir == NULL && places->database == NULL))
    {
      g_printerr ("storedesk-server %s: %s\n", command,
                  error ? error->message : "give --data-dir DIR (and --database URL if not DIR/shop.db)");
      *exit_code = 2;
      return NULL;
    }
  if (places->data_dir != NULL)
    {
      uploads = g_build_filename (places->data_dir, "uploads", NULL);
      if (g_mkdir_with_parents (uploads, 0700) != 0)
        {
          g_printerr ("storedesk-server %s: cannot create %s: %s\n", command, uploads, g_strerror (errno));
          *exit_code = 1;
          return NULL;
        }
    }
  db_path = places->database ? g_strdup (places->database) : g_build_filename (places->data_dir, "shop.db", NULL);
  store = sd_server_store_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("storedesk-server %s: %s\n", command, error->message);
      *exit_code = 1;
    }
  return store;
}

int
sd_server_export_main (int argc, char **argv)
{
  g_auto(Places) places = { 0 };
  int code = 0;
  g_autoptr(SdServerStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uploads = NULL;

  if (isatty (STDOUT_FILENO))
    {
      g_printerr ("storedesk-server export: standard output is a terminal; pipe it into "
                  "`storedesk-server import` or redirect it to a file only you can read\n");
      return 2;
    }
  store = open_for ("export", argc, argv, &places, &code);
  if (store == NULL)
    return code;
  if (places.blobs != NULL && g_str_has_prefix (places.blobs, "file:"))
    uploads = g_strdup (places.blobs + strlen ("file:"));
  else if (places.blobs != NULL)
    g_printerr ("storedesk-server export: the pictures stay in %s; give the new shop the same --blobs\n",
                places.blobs);
  else if (places.data_dir != NULL)
    uploads = g_build_filename (places.data_dir, "uploads", NULL);
  out = g_buffered_output_stream_new (g_unix_output_stream_new (STDOUT_FILENO, FALSE));
  g_object_unref (g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (out)));
  if (!sd_server_store_export (store, out, uploads ? export_pictures : NULL, uploads, &error))
    {
      g_printerr ("storedesk-server export: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
sd_server_import_main (int argc, char **argv)
{
  g_auto(Places) places = { 0 };
  int code = 0;
  g_autoptr(SdServerStore) store = open_for ("import", argc, argv, &places, &code);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerBlobs) blobs = NULL;
  guint64 rows = 0;

  if (store == NULL)
    return code;
  if (places.data_dir != NULL || places.blobs != NULL)
    {
      blobs = sd_server_blobs_new (places.blobs, places.s3_endpoint, places.data_dir, &error);
      if (blobs == NULL)
        {
          g_printerr ("storedesk-server import: %s\n", error->message);
          return 2;
        }
    }
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  if (!sd_server_store_import (store, in, import_picture, blobs, &rows, &error))
    {
      g_printerr ("storedesk-server import: %s\n", error->message);
      return 1;
    }
  g_print ("imported %" G_GUINT64_FORMAT " rows and pictures\n", rows);
  return 0;
}
