/* test-server-transfer.c — `storedesk-server export | import` moves a
 * shop with nothing lost (issue 18): on SQLite, into another SQLite
 * file; on PostgreSQL (@pg), from the PostgreSQL shop into SQLite and
 * from there into a fresh PostgreSQL database, so both directions. The
 * moved shop exports the same lines, keeps its members' passwords,
 * tokens, guest keys, orders and pictures; a cut stream, a non-empty
 * target and an endless line are refused and leave nothing. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sd-test-api.h"
#include "sd-test-http.h"
#include "sd-test-pg.h"
#include "sd-test-s3.h"

/* storedesk-server argv, with input (a file, so that a command that
 * stops reading early does not break a pipe) on stdin; its stdout. */
static GBytes *
command (const char * const *argv, GBytes *input, int expect_status, char **out_err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *in_path = NULL;
  GBytes *out = NULL, *err = NULL;

  if (input != NULL)
    {
      int fd = g_file_open_tmp ("storedesk-stream-XXXXXX", &in_path, &error);

      g_assert_no_error (error);
      close (fd);
      g_file_set_contents (in_path, g_bytes_get_data (input, NULL), (gssize) g_bytes_get_size (input), &error);
      g_assert_no_error (error);
      g_subprocess_launcher_set_stdin_file_path (launcher, in_path);
    }
  g_ptr_array_add (args, (gpointer) g_getenv ("STOREDESK_SERVER"));
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (in_path)
    g_unlink (in_path);
  if (g_subprocess_get_exit_status (process) != expect_status)
    g_test_message ("%s: %.*s", argv[0], (int) g_bytes_get_size (err), (const char *) g_bytes_get_data (err, NULL));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expect_status);
  if (out_err)
    *out_err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_bytes_unref (err);
  return out;
}

/* A shop: its data dir, and its database option (NULL: DIR/shop.db). */
typedef struct {
  char             *data_dir;
  SdTestPgDatabase *db;
} Shop;

static void
shop_clear (Shop *shop)
{
  if (shop->data_dir)
    sd_test_remove_tree (shop->data_dir);
  g_clear_pointer (&shop->data_dir, g_free);
  g_clear_pointer (&shop->db, sd_test_pg_database_unref);
}

static Shop
new_shop (gboolean pg)
{
  Shop shop = { g_dir_make_tmp ("storedesk-transfer-XXXXXX", NULL), pg ? sd_test_pg_database_new () : NULL };

  g_assert_nonnull (shop.data_dir);
  return shop;
}

static GBytes *
export (const char *data_dir, const char *database_option)
{
  const char *argv[] = { "export", "--data-dir", data_dir, database_option, NULL };

  return command (argv, NULL, 0, NULL);
}

static void
import (Shop *shop, GBytes *stream)
{
  const char *argv[] = { "import", "--data-dir", shop->data_dir,
                         shop->db ? sd_test_pg_database_option (shop->db) : NULL, NULL };
  g_autoptr(GBytes) out = command (argv, stream, 0, NULL);
}

static int
compare_lines (const void *a, const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The stream's lines, sorted: the same shop whatever order its rows came in. */
static char *
sorted_lines (GBytes *stream)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

static void
assert_same_shop (GBytes *a, GBytes *b)
{
  g_autofree char *sa = sorted_lines (a);
  g_autofree char *sb = sorted_lines (b);

  g_assert_cmpuint (strlen (sa), >, 10000);   /* rows and pictures, not a header alone */
  if (!g_str_equal (sa, sb))
    {
      g_auto(GStrv) la = g_strsplit (sa, "\n", -1);
      g_auto(GStrv) lb = g_strsplit (sb, "\n", -1);

      for (guint i = 0; la[i] && lb[i]; i++)
        if (!g_str_equal (la[i], lb[i]))
          {
            g_test_message ("first difference: %.300s\n                  %.300s", la[i], lb[i]);
            break;
          }
    }
  g_assert_true (g_str_equal (sa, sb));
}

/* A server on a moved shop. */
static SdTestServer *
serve (Shop *shop)
{
  const char *args[] = { shop->db ? sd_test_pg_database_option (shop->db) : NULL, NULL };
  SdTestServer *server = g_new0 (SdTestServer, 1);

  server->data_dir = g_strdup (shop->data_dir);
  server->owns_data_dir = FALSE;
  server->arguments = g_strdupv ((char **) args);
  sd_test_server_restart (server, FALSE);
  return server;
}

static void
test_round_trip (void)
{
  SdTestServer *source = sd_test_server_start (TRUE);
  g_autofree char *token = sd_test_sign_in (source, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_autoptr(SdTestReply) products = sd_test_http (source, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
  JsonObject *product = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
  g_autofree char *body = sd_test_order_body (product, "이사", "서울", "입금 대기");
  g_autoptr(SdTestReply) guest = sd_test_http (source, "POST", "/api/v1/orders", NULL, body, NULL);
  JsonObject *order = sd_test_data_object (guest, 201);
  g_autofree char *guest_path = g_strdup_printf ("/api/v1/orders/%s?key=%s",
                                                 json_object_get_string_member (order, "_id"),
                                                 json_object_get_string_member (order, "accessKey"));
  g_autofree char *picture = g_strdup (json_object_get_string_member (product, "image"));
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) last = NULL;
  g_auto(GStrv) hops = NULL;
  Shop shops[2] = { { 0 } };
  guint n_shops = sd_test_engine_is_pg () ? 2 : 1;
  SdTestServer *moved;

  /* [ext] "activity": a staff change, whose record moves too */
  {
    g_autofree char *admin = sd_test_sign_in (source, "admin@example.com", "Admin1234!", NULL);
    g_autofree char *path = g_strconcat ("/api/v1/admin/orders/", json_object_get_string_member (order, "_id"), NULL);
    g_autoptr(SdTestReply) paid = sd_test_http (source, "PUT", path, admin, "{\"status\":\"결제 완료\"}", NULL);

    g_assert_cmpuint (paid->status, ==, 200);
  }
  first = export (source->data_dir, sd_test_server_database_option (source));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "\"table\":\"activity\""));
  last = g_bytes_ref (first);
  /* SQLite: → SQLite. PostgreSQL: → SQLite → PostgreSQL. */
  for (guint i = 0; i < n_shops; i++)
    {
      g_autoptr(GBytes) again = NULL;

      shops[i] = new_shop (i == 1);
      import (&shops[i], last);
      again = export (shops[i].data_dir, shops[i].db ? sd_test_pg_database_option (shops[i].db) : NULL);
      assert_same_shop (first, again);
      g_bytes_unref (last);
      last = g_steal_pointer (&again);
    }
  sd_test_server_free (source);

  moved = serve (&shops[n_shops - 1]);
  {
    /* the token signed before the move, the guest's key, the password,
     * the picture */
    g_autoptr(SdTestReply) me = sd_test_http (moved, "GET", "/api/v1/auth/me", token, NULL, NULL);
    g_autoptr(SdTestReply) by_key = sd_test_http (moved, "GET", guest_path, NULL, NULL, NULL);
    g_autofree char *again = sd_test_sign_in (moved, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
    g_autofree char *picture_path = g_strdup (strstr (picture, "/uploads/"));
    g_autoptr(SdTestReply) image = sd_test_http (moved, "GET", picture_path, NULL, NULL, NULL);

    g_assert_cmpuint (me->status, ==, 200);
    g_assert_cmpuint (by_key->status, ==, 200);
    g_assert_nonnull (again);
    g_assert_cmpuint (image->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (image->body), >, 0);
  }
  {
    /* the record moved, and the next one follows it */
    g_autofree char *admin = sd_test_sign_in (moved, "admin@example.com", "Admin1234!", NULL);
    g_autoptr(SdTestReply) renamed = sd_test_http (moved, "POST", "/api/v1/admin/categories", admin,
                                                   "{\"name\":\"옮긴 뒤\"}", NULL);
    g_autoptr(SdTestReply) log = NULL;
    JsonArray *rows;

    g_assert_cmpuint (renamed->status, ==, 201);
    log = sd_test_http (moved, "GET", "/api/v1/admin/activity", admin, NULL, NULL);
    rows = json_node_get_array (sd_test_data (log, 200));
    g_assert_cmpuint (json_array_get_length (rows), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1), "action"), ==, "status");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "_id"), !=,
                     json_object_get_string_member (json_array_get_object_element (rows, 1), "_id"));
  }
  sd_test_server_free (moved);
  for (guint i = 0; i < n_shops; i++)
    shop_clear (&shops[i]);
}

/* A stream cut short keeps nothing; a shop with data is not a target;
 * a line past the limit is refused before it is read whole. */
static void
test_refused (void)
{
  SdTestServer *source = sd_test_server_start (TRUE);
  g_autoptr(GBytes) stream = export (source->data_dir, sd_test_server_database_option (source));
  gsize size = g_bytes_get_size (stream);
  const char *data = g_bytes_get_data (stream, NULL);
  const char *last_line = g_strrstr_len (data, (gssize) size - 1, "\n");
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (stream, 0, (gsize) (last_line - data) + 1);
  Shop shop = new_shop (sd_test_engine_is_pg ());
  const char *argv[] = { "import", "--data-dir", shop.data_dir,
                         shop.db ? sd_test_pg_database_option (shop.db) : NULL, NULL };
  g_autoptr(GString) endless = g_string_new ("{\"storedesk-export\":1}\n{\"table\":\"meta\",\"row\":{\"key\":\"");
  g_autoptr(GBytes) endless_bytes = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) empty = NULL;

  out = command (argv, cut, 1, &err);
  g_assert_nonnull (strstr (err, "cut short"));
  g_clear_pointer (&err, g_free);
  empty = export (shop.data_dir, shop.db ? sd_test_pg_database_option (shop.db) : NULL);
  g_assert_null (strstr (g_bytes_get_data (empty, NULL), "\"table\""));   /* nothing kept */

  g_string_append_len (endless, "", 0);
  while (endless->len < 17 * 1024 * 1024)
    g_string_append (endless, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  endless_bytes = g_bytes_new (endless->str, endless->len);
  g_clear_pointer (&out, g_bytes_unref);
  out = command (argv, endless_bytes, 1, &err);
  g_assert_nonnull (strstr (err, "longer than"));
  g_clear_pointer (&err, g_free);

  import (&shop, stream);
  g_clear_pointer (&out, g_bytes_unref);
  out = command (argv, stream, 1, &err);
  g_assert_nonnull (strstr (err, "not empty"));
  sd_test_server_free (source);
  shop_clear (&shop);
}

/* From a shop's folder into a new shop whose pictures are in S3: every
 * picture lands in the bucket, none in the folder, and is served. */
static void
test_into_s3 (void)
{
  g_autoptr(SdTestS3) s3 = sd_test_s3_start ();
  SdTestServer *source = NULL;
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(SdTestReply) products = NULL;
  g_autofree char *blobs = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *uploads = NULL;
  g_autofree char *path = NULL;
  Shop shop = { 0 };
  SdTestServer *moved;
  guint pictures = 0;

  if (s3 == NULL)
    return;   /* skipped: no s3rver */
  source = sd_test_server_start (TRUE);
  stream = export (source->data_dir, sd_test_server_database_option (source));
  for (const char *p = g_bytes_get_data (stream, NULL); (p = strstr (p, "{\"picture\":")); p++)
    pictures++;
  g_assert_cmpuint (pictures, ==, 49);
  sd_test_server_free (source);

  shop = new_shop (sd_test_engine_is_pg ());
  blobs = g_strdup_printf ("--blobs=s3://%s", s3->bucket);
  endpoint = g_strdup_printf ("--s3-endpoint=%s", s3->endpoint);
  {
    const char *argv[] = { "import", "--data-dir", shop.data_dir, blobs, endpoint,
                           shop.db ? sd_test_pg_database_option (shop.db) : NULL, NULL };
    out = command (argv, stream, 0, NULL);
  }
  g_assert_cmpuint (sd_test_s3_count (s3), ==, pictures);
  uploads = g_build_filename (shop.data_dir, "uploads", NULL);
  {
    g_autoptr(GDir) d = g_dir_open (uploads, 0, NULL);
    g_assert_true (d == NULL || g_dir_read_name (d) == NULL);
  }
  {
    const char *args[] = { blobs, endpoint, shop.db ? sd_test_pg_database_option (shop.db) : NULL, NULL };

    moved = g_new0 (SdTestServer, 1);
    moved->data_dir = g_strdup (shop.data_dir);
    moved->arguments = g_strdupv ((char **) args);
    sd_test_server_restart (moved, FALSE);
  }
  products = sd_test_http (moved, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
  path = g_strdup (strstr (json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0), "image"), "/uploads/"));
  {
    g_autoptr(SdTestReply) image = sd_test_http (moved, "GET", path, NULL, NULL, NULL);

    g_assert_cmpuint (image->status, ==, 200);
    g_assert_true (sd_test_s3_has (s3, path + strlen ("/uploads/")));
  }
  sd_test_server_free (moved);
  shop_clear (&shop);
}

int
main (int argc, char **argv)
{
  sd_test_s3_init_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transfer/into-s3", test_into_s3);
  g_test_add_func ("/transfer/round-trip", test_round_trip);
  g_test_add_func ("/transfer/refused", test_refused);
  return g_test_run ();
}
