/* test-server-s3.c — storedesk-server with --blobs=s3://BUCKET against a
 * real S3 store that checks every signature (s3rver, sd-test-s3.h):
 * product pictures PUT by the client straight to the bucket through a
 * presigned URL, vetted when a product takes them, served back by the
 * node; profile pictures through the node into the bucket; nothing under
 * the node's data dir. */
#include <string.h>
#include <sys/wait.h>

#include "sd-server-sigv4.h"
#include "sd-test-api.h"
#include "sd-test-http.h"
#include "sd-test-images.h"
#include "sd-test-s3.h"

typedef struct {
  SdTestS3     *s3;
  SdTestServer *server;
  char         *admin;
} Shop;

static void
shop_free (Shop *shop)
{
  g_clear_pointer (&shop->server, sd_test_server_free);
  g_clear_pointer (&shop->s3, sd_test_s3_free);
  g_free (shop->admin);
  g_free (shop);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shop, shop_free)

static SdTestServer *
start_server (SdTestS3 *s3)
{
  g_autofree char *blobs = g_strdup_printf ("--blobs=s3://%s", s3->bucket);
  g_autofree char *endpoint = g_strdup_printf ("--s3-endpoint=%s", s3->endpoint);
  const char *args[] = { blobs, endpoint, NULL };

  return sd_test_server_start_with (TRUE, args);
}

/* s3rver and a demo shop on it; NULL when the test was skipped. */
static Shop *
shop_start (void)
{
  g_autoptr(Shop) shop = g_new0 (Shop, 1);

  shop->s3 = sd_test_s3_start ();
  if (shop->s3 == NULL)
    return NULL;
  shop->server = start_server (shop->s3);
  shop->admin = admin_token (shop->server);
  return g_steal_pointer (&shop);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* The node's own uploads folder holds nothing: every picture is in S3. */
static void
assert_no_local_pictures (Shop *shop)
{
  g_autofree char *uploads = g_build_filename (shop->server->data_dir, "uploads", NULL);

  g_assert_cmpuint (count_files (uploads), ==, 0);
}

/* The grant for a product picture; its presigned URL and the image path. */
static char *
grant (Shop *shop, const char *type, gsize size, char **out_image)
{
  g_autofree char *body = g_strdup_printf ("{\"contentType\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}", type, size);
  g_autoptr(SdTestReply) r = sd_test_http (shop->server, "POST", "/api/v1/admin/uploads", shop->admin, body, NULL);
  JsonObject *o = sd_test_data_object (r, 201);
  const char *url = json_object_get_string_member (o, "uploadUrl");

  /* Straight to the store, with type and length signed into the URL. */
  g_assert_true (g_str_has_prefix (url, shop->s3->endpoint));
  g_assert_nonnull (strstr (url, "X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"));
  g_assert_nonnull (strstr (url, "X-Amz-Expires=300"));
  *out_image = g_strdup (json_object_get_string_member (o, "imageUrl"));
  g_assert_true (g_str_has_prefix (*out_image, "uploads/incoming-"));
  return g_strdup (url);
}

static guint
put (const char *url, const char *type, GBytes *bytes)
{
  g_autoptr(SdTestReply) r = sd_test_http_url ("PUT", url, type, bytes);

  return r->status;
}

static SdTestReply *
product_with_image (Shop *shop, const char *method, const char *id, const char *image)
{
  g_autoptr(SdTestReply) cats = sd_test_http (shop->server, "GET", "/api/v1/categories", NULL, NULL, NULL);
  const char *cat = json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0), "_id");
  g_autofree char *body = g_strdup_printf ("{\"name\":\"사진 상품\",\"categoryId\":\"%s\",\"brand\":\"B\","
                                           "\"price\":1000,\"image\":\"%s\",\"description\":\"d\",\"stock\":3}",
                                           cat, image);
  g_autofree char *path = id ? g_strconcat ("/api/v1/admin/products/", id, NULL)
                             : g_strdup ("/api/v1/admin/products");

  return sd_test_http (shop->server, method, path, shop->admin, body, NULL);
}

/* The store checks signatures: a request signed with a wrong secret, or
 * not signed at all, is refused; so is a node started with a wrong
 * secret, which then stores nothing. */
static void
test_signatures (void)
{
  g_autoptr(SdTestS3) s3 = sd_test_s3_start ();
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *url = NULL;
  const char *headers[] = { "content-type", "text/plain", NULL };

  if (s3 == NULL)
    return;
  url = g_strdup_printf ("%s/%s/probe.txt", s3->endpoint, s3->bucket);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(SdSigV4Signed) sig = { 0 };
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
      SdSigV4Credentials creds = { s3->access_key, i == 0 ? "not-the-secret" : s3->secret_key, "us-east-1", "s3" };
      SoupMessageHeaders *h = soup_message_get_request_headers (msg);

      g_assert_true (sd_sigv4_sign_headers (&creds, "PUT", url, now, headers, sha, &sig, &error));
      g_assert_no_error (error);
      soup_message_set_request_body_from_bytes (msg, "text/plain", body);
      if (i != 1)   /* 1: no signature at all */
        {
          soup_message_headers_replace (h, "Authorization", sig.authorization);
          soup_message_headers_replace (h, "x-amz-date", sig.amz_date);
          soup_message_headers_replace (h, "x-amz-content-sha256", sig.content_sha256);
        }
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("PUT %s: %u", i == 0 ? "wrong secret" : i == 1 ? "unsigned" : "signed",
                      soup_message_get_status (msg));
      g_assert_cmpuint (soup_message_get_status (msg), ==, i < 2 ? 403 : 200);
      g_assert_true (sd_test_s3_has (s3, "probe.txt") == (i == 2));
      if (i == 0)
        g_assert_nonnull (g_strstr_len (g_bytes_get_data (reply, NULL), (gssize) g_bytes_get_size (reply),
                                        "SignatureDoesNotMatch"));
    }

  /* A node with a wrong secret: its demo pictures are refused, so its
   * seeding fails and it does not start; nothing new in the bucket. */
  {
    g_autofree char *blobs = g_strdup_printf ("--blobs=s3://%s", s3->bucket);
    g_autofree char *endpoint = g_strdup_printf ("--s3-endpoint=%s", s3->endpoint);
    g_autofree char *data_dir = g_dir_make_tmp ("storedesk-test-XXXXXX", NULL);
    g_autofree char *data_arg = g_strconcat ("--data-dir=", data_dir, NULL);
    const char *argv[] = { g_getenv ("STOREDESK_SERVER"), blobs, endpoint, data_arg, "--demo",
                           "--listen=127.0.0.1:0", NULL };
    g_autofree char *err = NULL;
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "AWS_SECRET_ACCESS_KEY", "not-the-secret", TRUE);
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "refused"));
    g_assert_null (strstr (err, "not-the-secret"));   /* the secret is in no message */
    g_assert_cmpuint (sd_test_s3_count (s3), ==, 1);  /* probe.txt alone */
    sd_test_remove_tree (data_dir);
  }
}

/* A product picture: presigned PUT to the bucket, taken by a product
 * (vetted, kept by the node as product-…, the incoming object gone),
 * served by the node with its ETag; in the bucket, not on the node. */
static void
test_product_picture (void)
{
  g_autoptr(Shop) shop = shop_start ();
  g_autoptr(GBytes) png = NULL;
  g_autofree char *url = NULL;
  g_autofree char *image = NULL;
  g_autofree char *served = NULL;
  g_autofree char *kept = NULL;
  const char *etag;

  if (shop == NULL)
    return;
  assert_no_local_pictures (shop);   /* the demo's pictures too */
  g_assert_cmpuint (sd_test_s3_count (shop->s3), >, 0);

  png = g_bytes_new_static (sd_test_png_bytes, sizeof sd_test_png_bytes);
  url = grant (shop, "image/png", g_bytes_get_size (png), &image);
  g_assert_cmpuint (put (url, "image/png", png), ==, 200);
  g_assert_true (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
  assert_no_local_pictures (shop);
  /* Not vetted yet: not served. */
  {
    g_autofree char *path = g_strconcat ("/", image, NULL);
    g_autoptr(SdTestReply) early = sd_test_http (shop->server, "GET", path, NULL, NULL, NULL);

    g_assert_cmpuint (early->status, ==, 404);
  }

  /* A product refused for another field leaves the picture for the next try. */
  {
    g_autofree char *body = g_strdup_printf ("{\"name\":\"n\",\"categoryId\":\"none\",\"price\":1,"
                                             "\"image\":\"%s\"}", image);
    g_autoptr(SdTestReply) refused = sd_test_http (shop->server, "POST", "/api/v1/admin/products", shop->admin,
                                                   body, NULL);

    sd_test_assert_error (refused, 400);
    g_assert_true (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
  }

  kept = g_strconcat ("product-", image + strlen ("uploads/incoming-"), NULL);
  {
    g_autoptr(SdTestReply) made = product_with_image (shop, "POST", NULL, image);
    JsonObject *p = sd_test_data_object (made, 201);

    served = g_strdup (json_object_get_string_member (p, "image"));
    g_assert_true (g_str_has_prefix (served, shop->server->url));
    g_assert_true (g_str_has_suffix (served, kept));
  }
  g_assert_true (sd_test_s3_has (shop->s3, kept));
  g_assert_false (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
  /* Taken once: what the grant's URL (valid a while yet) could put
   * there again reaches no product. */
  {
    g_autoptr(SdTestReply) again = product_with_image (shop, "POST", NULL, image);

    sd_test_assert_error (again, 400);
  }
  {
    g_autoptr(SdTestReply) got = sd_test_http (shop->server, "GET", served + strlen (shop->server->url),
                                               NULL, NULL, NULL);
    g_autoptr(SdTestReply) again = NULL;

    g_assert_cmpuint (got->status, ==, 200);
    g_assert_true (g_bytes_equal (got->body, png));
    g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "image/png");
    etag = soup_message_headers_get_one (got->headers, "ETag");
    g_assert_nonnull (etag);
    g_assert_nonnull (soup_message_headers_get_one (got->headers, "Cache-Control"));
    again = sd_test_http (shop->server, "GET", served + strlen (shop->server->url), NULL, NULL,
                          "If-None-Match", etag, NULL);
    g_assert_cmpuint (again->status, ==, 304);
  }
}

/* A WebP of a few dozen bytes declaring 268 megapixels, put into the
 * bucket through a good presigned URL: no product takes it (created or
 * updated), and it is gone from the bucket. */
static void
test_bomb (void)
{
  g_autoptr(Shop) shop = shop_start ();
  /* The 34 bytes: a lossy WebP whose frame header declares
   * 16383 × 16383 (268 million pixels), and four bytes of frame; then
   * an extended one (VP8X) declaring 16384 × 16384. */
  static const guint8 bomb34[34] = {
    'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', ' ', 14, 0, 0, 0,
    0x10, 0x02, 0x00,              /* key frame, version 0, shown */
    0x9d, 0x01, 0x2a,              /* start code */
    0xff, 0x3f, 0xff, 0x3f,        /* 16383 × 16383, no scaling */
    0, 0, 0, 0,
  };
  g_autoptr(GBytes) lossy = g_bytes_new_static (bomb34, sizeof bomb34);
  g_autoptr(GBytes) extended = sd_test_webp_vp8x (16384, 16384);
  GBytes *bombs[2] = { lossy, extended };
  g_autofree char *id = NULL;

  if (shop == NULL)
    return;
  id = new_product (shop->server, shop->admin, 1000, "3");
  for (guint i = 0; i < 2; i++)
    {
      GBytes *bomb = bombs[i];
      g_autofree char *image = NULL;
      g_autofree char *url = grant (shop, "image/webp", g_bytes_get_size (bomb), &image);
      g_autoptr(SdTestReply) r = NULL;

      g_assert_cmpuint (put (url, "image/webp", bomb), ==, 200);   /* the store cannot tell */
      g_assert_true (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
      r = product_with_image (shop, i == 0 ? "POST" : "PUT", i == 0 ? NULL : id, image);
      sd_test_assert_error (r, 400);
      g_test_message ("%.*s", (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
      g_assert_false (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
      {
        g_autofree char *kept = g_strconcat ("product-", image + strlen ("uploads/incoming-"), NULL);
        g_assert_false (sd_test_s3_has (shop->s3, kept));
      }
    }
  {
    g_autoptr(SdTestReply) p = sd_test_http (shop->server, "GET", "/api/v1/products?limit=100", NULL, NULL, NULL);
    g_assert_null (strstr (g_bytes_get_data (p->body, NULL), ".webp"));
  }
}

/* The store refuses a PUT whose type or length is not the one signed. */
static void
test_signed_type_and_length (void)
{
  g_autoptr(Shop) shop = shop_start ();
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) longer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *image = NULL;
  guint before;

  if (shop == NULL)
    return;
  png = g_bytes_new_static (sd_test_png_bytes, sizeof sd_test_png_bytes);
  longer = sd_test_append (png, "x");
  url = grant (shop, "image/png", g_bytes_get_size (png), &image);
  before = sd_test_s3_count (shop->s3);
  g_assert_cmpuint (put (url, "image/jpeg", png), ==, 403);
  g_assert_cmpuint (put (url, "image/png", longer), ==, 403);
  g_assert_cmpuint (sd_test_s3_count (shop->s3), ==, before);
  g_assert_false (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
  /* The URL itself was good. */
  g_assert_cmpuint (put (url, "image/png", png), ==, 200);
  g_assert_true (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));
}

/* A profile picture goes through the node, into the bucket. */
static void
test_profile_picture (void)
{
  g_autoptr(Shop) shop = shop_start ();
  g_autofree char *customer = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SdTestReply) r = NULL;
  const char *url;

  if (shop == NULL)
    return;
  customer = customer_token (shop->server);
  body = sd_test_multipart ("profileImage", sd_test_png_bytes, sizeof sd_test_png_bytes, &type);
  r = sd_test_http_raw (shop->server, "POST", "/api/v1/auth/upload-profile-image", customer, type, body, NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  url = json_object_get_string_member (json_node_get_object (r->root), "imageUrl");
  g_assert_true (g_str_has_prefix (url, "uploads/profileImage-"));
  g_assert_true (sd_test_s3_has (shop->s3, url + strlen ("uploads/")));
  assert_no_local_pictures (shop);
  {
    g_autofree char *path = g_strconcat ("/", url, NULL);
    g_autoptr(SdTestReply) got = sd_test_http (shop->server, "GET", path, NULL, NULL, NULL);

    g_assert_cmpuint (got->status, ==, 200);
    g_assert_cmpmem (g_bytes_get_data (got->body, NULL), g_bytes_get_size (got->body),
                     sd_test_png_bytes, sizeof sd_test_png_bytes);
  }
}

/* The client core, unchanged: SdAdmin's picture upload (the grant, then
 * its PUT to the presigned URL, now the bucket's), a product saved with
 * it, and the picture loaded back as the app loads it. */
static void
test_client_core (void)
{
  g_autoptr(Shop) shop = shop_start ();
  g_autoptr(SdApi) api = NULL;
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdAdmin) admin = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) picture = g_bytes_new_static (sd_test_png_bytes, sizeof sd_test_png_bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *image = NULL;
  SdProductFields fields = { .price = -1, .stock = -2 };

  if (shop == NULL)
    return;
  api = sd_api_new (shop->server->url, NULL);
  session = sd_session_new (api);
  sd_session_sign_in_async (session, "admin@example.com", "Admin1234!", NULL, sd_test_keep_result, &slot);
  g_assert_true (sd_session_sign_in_finish (session, sd_test_await (&slot), &error));
  g_assert_no_error (error);
  g_clear_object (&slot);
  admin = sd_admin_new (api);

  sd_admin_upload_picture_async (admin, picture, "image/png", NULL, sd_test_keep_result, &slot);
  image = sd_admin_upload_picture_finish (admin, sd_test_await (&slot), &error);
  g_assert_no_error (error);
  g_clear_object (&slot);
  g_assert_true (sd_test_s3_has (shop->s3, image + strlen ("uploads/")));

  {
    g_autoptr(SdTestReply) cats = sd_test_http (shop->server, "GET", "/api/v1/categories", NULL, NULL, NULL);
    JsonArray *list = json_node_get_array (sd_test_data (cats, 200));

    fields = (SdProductFields) { .name = "연필", .category_id = json_object_get_string_member (
                                   json_array_get_object_element (list, 0), "_id"),
                                 .brand = "꿀단집", .price = 3500, .image = image, .description = "12색",
                                 .stock = 20 };
    sd_admin_save_product_async (admin, NULL, &fields, NULL, sd_test_keep_result, &slot);
    product = sd_admin_product_finish (admin, sd_test_await (&slot), &error);
    g_assert_no_error (error);
    g_clear_object (&slot);
  }
  sd_api_load_image_async (api, sd_product_get_image (product), 64, NULL, sd_test_keep_result, &slot);
  pixbuf = sd_api_load_image_finish (api, sd_test_await (&slot), &error);
  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  assert_no_local_pictures (shop);
}

/* s3:// without an endpoint or without credentials: a sentence, exit 2. */
static void
test_options (void)
{
  struct { const char *endpoint; gboolean credentials; const char *says; } cases[] = {
    { NULL, TRUE, "--s3-endpoint" },
    { "--s3-endpoint=ftp://127.0.0.1:1", TRUE, "--s3-endpoint" },
    { "--s3-endpoint=http://127.0.0.1:1", FALSE, "AWS_SECRET_ACCESS_KEY" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { g_getenv ("STOREDESK_SERVER"), "--blobs=s3://shop", "--listen=127.0.0.1:0",
                             cases[i].endpoint, NULL };
      g_auto(GStrv) env = g_get_environ ();
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (!cases[i].credentials)
        env = g_environ_unsetenv (env, "AWS_SECRET_ACCESS_KEY");
      g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                   &status, &error));
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].says));
    }
}

int
main (int argc, char **argv)
{
  sd_test_s3_init_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/s3/signatures", test_signatures);
  g_test_add_func ("/s3/product-picture", test_product_picture);
  g_test_add_func ("/s3/bomb", test_bomb);
  g_test_add_func ("/s3/signed-type-and-length", test_signed_type_and_length);
  g_test_add_func ("/s3/profile-picture", test_profile_picture);
  g_test_add_func ("/s3/client-core", test_client_core);
  g_test_add_func ("/s3/options", test_options);
  return g_test_run ();
}
