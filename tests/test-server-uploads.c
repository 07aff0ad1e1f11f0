/* test-server-uploads.c — picture bombs and cut-short pictures sent to
 * the shop: refused by their own headers before anything is stored, so
 * no client ever decodes them. */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-test-http.h"

#define ADMIN_EMAIL       "admin@example.com"
#define ADMIN_PASSWORD    "Admin1234!"
#define CUSTOMER_EMAIL    "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static void
put_le32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (a, b, 4);
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (a, b, 4);
}

/* A lossless WebP that declares w×h in a few bytes. */
static GBytes *
webp_bomb (guint32 w, guint32 h)
{
  GByteArray *a = g_byte_array_new ();
  guint32 bits = (w - 1) | ((h - 1) << 14);
  static const guint8 pixels[] = { 0x00, 0x00, 0x00, 0x00 };

  g_byte_array_append (a, (const guint8 *) "RIFF", 4);
  put_le32 (a, 4 + 8 + 5 + sizeof pixels);
  g_byte_array_append (a, (const guint8 *) "WEBPVP8L", 8);
  put_le32 (a, 5 + sizeof pixels);
  g_byte_array_append (a, (const guint8 *) "\x2f", 1);
  put_le32 (a, bits);
  g_byte_array_append (a, pixels, sizeof pixels);
  return g_byte_array_free_to_bytes (a);
}

static guint32
crc32_of (const guint8 *data, gsize len)
{
  guint32 c = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      c ^= data[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320 & -(c & 1));
    }
  return c ^ 0xffffffff;
}

/* A PNG whose IHDR declares w×h, then the whole 1×1 picture's rest. */
static GBytes *
png_declaring (guint32 w, guint32 h)
{
  GByteArray *a = g_byte_array_new ();
  guint8 ihdr[17] = { 'I', 'H', 'D', 'R' };
  guint32 crc;

  g_byte_array_append (a, sd_test_png_bytes, 8);
  put_be32 (a, 13);
  ihdr[4] = w >> 24; ihdr[5] = (w >> 16) & 0xff; ihdr[6] = (w >> 8) & 0xff; ihdr[7] = w & 0xff;
  ihdr[8] = h >> 24; ihdr[9] = (h >> 16) & 0xff; ihdr[10] = (h >> 8) & 0xff; ihdr[11] = h & 0xff;
  ihdr[12] = 8; ihdr[13] = 2;
  g_byte_array_append (a, ihdr, 17);
  crc = (guint32) crc32_of (ihdr, 17);
  put_be32 (a, crc);
  g_byte_array_append (a, sd_test_png_bytes + 33, sizeof sd_test_png_bytes - 33);
  return g_byte_array_free_to_bytes (a);
}

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
  g_autoptr(GBytes) webp = webp_bomb (9000, 9000);
  g_autoptr(GBytes) webp_huge = webp_bomb (16384, 16384);
  g_autoptr(GBytes) png_huge = png_declaring (100000, 100000);
  g_autoptr(GBytes) cut = g_bytes_new_static (sd_test_png_bytes, 33);   /* signature and IHDR only */
  guint before = count_uploads (s);
  guint status;

  /* A 34-byte WebP that a decoder would make 324 MB of, and worse. */
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
