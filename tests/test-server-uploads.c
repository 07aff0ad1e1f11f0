/* test-server-uploads.c — picture bombs and cut-short pictures sent to
 * the shop: refused by their own headers before anything is stored, so
 * no client ever decodes them. */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-images.h"

#define ADMIN_EMAIL       "admin@example.com"
#define ADMIN_PASSWORD    "Admin1234!"
#define CUSTOMER_EMAIL    "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static guint
count_uploads (SdTestServer *s)
{
  g_autofree char *path = g_build_filename (s->data_dir, "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static guint
profile_upload (SdTestServer *s, const char *token, GBytes *picture)
{
  g_autofree char *type = NULL;
  g_autoptr(GBytes) body = sd_test_multipart ("profileImage", g_bytes_get_data (picture, NULL),
                                              g_bytes_get_size (picture), &type);
  g_autoptr(SdTestReply) r = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", token,
                                               type, body, NULL, NULL);
  JsonObject *o;

  g_assert_nonnull (r->root);
  o = json_node_get_object (r->root);
  if (r->status == 200)
    g_assert_true (json_object_get_boolean_member (o, "success"));
  else
    {
      g_assert_false (json_object_get_boolean_member (o, "success"));
      g_test_message ("%u: %s", r->status, json_object_get_string_member (o, "message"));
    }
  return r->status;
}

/* The presigned route: a grant for the picture, then PUT. */
static guint
product_upload (SdTestServer *s, const char *admin, const char *type, GBytes *picture)
{
  g_autofree char *grant_body = g_strdup_printf ("{\"contentType\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}",
                                                 type, g_bytes_get_size (picture));
  g_autoptr(SdTestReply) grant = sd_test_http (s, "POST", "/api/v1/admin/uploads", admin, grant_body, NULL);
  JsonObject *o = sd_test_data_object (grant, 201);
  const char *url = json_object_get_string_member (o, "uploadUrl");
  const char *path = strstr (url, "/uploads/");
  g_autoptr(SdTestReply) put = sd_test_http_raw (s, "PUT", path, NULL, type, picture, NULL, NULL);

  return put->status;
}

static void
test_bombs (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *customer = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autoptr(GBytes) good = g_bytes_new_static (sd_test_png_bytes, sizeof sd_test_png_bytes);
  g_autoptr(GBytes) webp = sd_test_webp_vp8l (9000, 9000);
  g_autoptr(GBytes) webp_huge = sd_test_webp_vp8x (16384, 16384);
  g_autoptr(GBytes) png_huge = sd_test_png (100000, 100000, FALSE);
  g_autoptr(GBytes) cut = g_bytes_new_static (sd_test_png_bytes, 33);   /* signature and IHDR only */
  guint before = count_uploads (s);
  guint status;

  /* A 32-byte WebP that a decoder would make 324 MB of, and worse. */
  status = profile_upload (s, customer, webp);
  g_assert_true (status == 413 || status == 400);
  status = profile_upload (s, customer, webp_huge);
  g_assert_true (status == 413 || status == 400);
  /* 10 gigapixels declared. */
  g_assert_cmpuint (profile_upload (s, customer, png_huge), ==, 413);
  /* Cut short after its header. */
  g_assert_cmpuint (profile_upload (s, customer, cut), ==, 400);

  status = product_upload (s, admin, "image/webp", webp);
  g_assert_true (status == 413 || status == 400);
  g_assert_cmpuint (product_upload (s, admin, "image/png", png_huge), ==, 413);
  g_assert_cmpuint (product_upload (s, admin, "image/png", cut), ==, 400);

  /* Nothing of them was stored; a whole picture still is. */
  g_assert_cmpuint (count_uploads (s), ==, before);
  g_assert_cmpuint (profile_upload (s, customer, good), ==, 200);
  g_assert_cmpuint (product_upload (s, admin, "image/png", good), ==, 201);
  g_assert_cmpuint (count_uploads (s), ==, before + 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uploads/bombs", test_bombs);
  return g_test_run ();
}
