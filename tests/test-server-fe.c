/* test-server-fe.c — storedesk-server in its normal mode as a drop-in for
 * the original web front end (github.com/HoneyTouse/HoneyTouse_FE): each
 * test sends what one of its pages sends, and checks what that page reads
 * (issue 15, item 3). */
#include <gio/gio.h>
#include <string.h>

#include "sd-test-http.h"

#define ADMIN_EMAIL "admin@example.com"
#define ADMIN_PASSWORD "Admin1234!"
#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"
#define PAID "결제 완료"

/* The first demo product with (or without) options, as GET /products has it. */
static JsonObject *
demo_product (SdTestServer *s, gboolean with_options)
{
  g_autoptr(SdTestReply) list = sd_test_http (s, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonArray *products = json_node_get_array (sd_test_data (list, 200));

  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      gboolean has = json_object_has_member (p, "options") && !json_object_get_null_member (p, "options");

      if (has == with_options)
        return json_object_ref (p);
    }
  g_assert_not_reached ();
}

/* checkout.js registerOrder(): a guest's body, without a receiver; the
 * option by its _id, as the FE sends it. */
static char *
fe_order_body (JsonObject *product, gboolean receiver)
{
  gint64 price = json_object_get_int_member (product, "price");
  JsonNode *options = json_object_get_member (product, "options");
  g_autofree char *option = options && JSON_NODE_HOLDS_OBJECT (options)
    ? g_strdup_printf (",\"options\":\"%s\"", json_object_get_string_member (json_node_get_object (options), "_id"))
    : g_strdup ("");

  return g_strdup_printf ("{\"status\":\"" PAID "\",\"product\":[{\"id\":\"%s\",\"name\":\"%s\",\"count\":1,"
                          "\"image\":\"%s\"%s}],\"memo\":\"문 앞에 놓아 주세요\",\"payment\":{\"ttlPriceItem\":%"
                          G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "}%s}",
                          json_object_get_string_member (product, "_id"),
                          json_object_get_string_member (product, "name"),
                          json_object_get_string_member (product, "image"), option, price, price + 3000,
                          receiver ? ",\"receiver\":{\"name\":\"김하늘\",\"phoneNumber\":\"01012345678\","
                                     "\"address\":\"부산시 해운대구 1\"}" : "");
}

/* receiver: with one, for the tests of other scenarios than the FE's
 * checkout (so that each fails for its own reason alone). */
static char *
guest_order (SdTestServer *s, gboolean receiver, char **out_key)
{
  g_autoptr(JsonObject) product = demo_product (s, TRUE);
  g_autofree char *body = fe_order_body (product, receiver);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, NULL);
  JsonObject *order = sd_test_data_object (made, 201);

  if (out_key)
    *out_key = g_strdup (json_object_get_string_member (order, "accessKey"));
  return g_strdup (json_object_get_string_member (order, "_id"));
}

/* A GET with a Host header of our choosing, over a plain socket (an HTTP
 * library would send the URL's own): the reply's body. */
static char *
get_with_host (SdTestServer *s, const char *path, const char *host)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  guint8 buf[16384];
  gssize n;
  const char *start;

  conn = g_socket_client_connect_to_uri (client, s->url, 0, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf,
                                   NULL, &error)) > 0)
    g_byte_array_append (all, buf, (guint) n);
  g_assert_no_error (error);
  g_byte_array_append (all, (const guint8 *) "", 1);
  g_assert_true (g_str_has_prefix ((const char *) all->data, "HTTP/1.1 200"));
  start = strstr ((const char *) all->data, "\r\n\r\n");
  g_assert_nonnull (start);
  return g_strdup (start + 4);
}

/* Every "image" of the JSON text starts with prefix; and there is one. */
static void
assert_images (const char *json, const char *prefix)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) needle = g_string_new ("\"image\":\"");
  const char *p = json;
  guint n = 0;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  while ((p = strstr (p, needle->str)) != NULL)
    {
      p += needle->len;
      if (!g_str_has_prefix (p, prefix))
        g_test_message ("image %.80s does not start with %s", p, prefix);
      g_assert_true (g_str_has_prefix (p, prefix));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* ---- 1. confirm-email (join.js:162) ---------------------------------- */

static void
test_confirm_email (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  g_autoptr(SdTestReply) sent = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL,
                                              "{\"email\":\"new@example.com\"}", NULL);
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SdTestReply) confirmed = NULL;
  JsonNode *data;

  sd_test_data (sent, 200);
  code = sd_test_read_code (s, "new@example.com");
  body = g_strdup_printf ("{\"email\":\"new@example.com\",\"inputNumber\":\"%s\"}", code);
  confirmed = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, body, NULL);
  data = sd_test_data (confirmed, 200);
  g_assert_true (JSON_NODE_HOLDS_VALUE (data));
  g_assert_cmpstr (json_node_get_string (data), ==, "이메일이 성공적으로 인증되었습니다.");
}

/* ---- 2. a guest order without a receiver (checkout.js:265) ------------ */

static void
test_guest_order_without_receiver (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *key = NULL;
  g_autofree char *id = guest_order (s, FALSE, &key);
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%s", id);
  g_autofree char *keyed = g_strdup_printf ("/api/v1/orders/%s?key=%s", id, key);
  g_autoptr(SdTestReply) staff = sd_test_http (s, "GET", path, admin, NULL, NULL);
  g_autoptr(SdTestReply) guest = sd_test_http (s, "GET", keyed, NULL, NULL, NULL);
  JsonObject *order = sd_test_data_object (staff, 200);

  /* stored without one: staff see none, and the guest keeps their key */
  g_assert_true (json_object_get_null_member (order, "receiver"));
  g_assert_cmpstr (json_object_get_string_member (order, "memo"), ==, "문 앞에 놓아 주세요");
  g_assert_true (json_object_get_null_member (sd_test_data_object (guest, 200), "receiver"));
}

/* ---- 3. product images are absolute, never from an unlisted Host ------- */

static void
test_images_absolute (void)
{
  const char * const args[] = { "--public-url=http://shop.example:8080", "--public-url=https://alias.example/", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start_with (TRUE, args);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *evil = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *again = NULL;
  g_autofree char *one = NULL;
  g_autofree char *order_id = guest_order (s, TRUE, NULL);
  g_autofree char *order_path = g_strdup_printf ("/api/v1/orders/%s", order_id);
  g_autoptr(SdTestReply) order = sd_test_http (s, "GET", order_path, admin, NULL, NULL);
  g_autoptr(JsonObject) product = NULL;
  g_autofree char *product_path = NULL;

  /* an unlisted Host first, to fill the list's cache: the canonical URL */
  evil = get_with_host (s, "/api/v1/products?page=1&limit=20", "evil.example");
  g_assert_null (strstr (evil, "evil.example"));
  assert_images (evil, "http://shop.example:8080/uploads/");
  /* a listed one: its own URL, from the same cached page */
  alias = get_with_host (s, "/api/v1/products?page=1&limit=20", "ALIAS.example");
  assert_images (alias, "https://alias.example/uploads/");
  /* and the cache holds no one's origin */
  again = get_with_host (s, "/api/v1/products?limit=20&page=1", "shop.example:8080");
  assert_images (again, "http://shop.example:8080/uploads/");

  /* one product, and the lines of an order */
  product = demo_product (s, TRUE);
  product_path = g_strdup_printf ("/api/v1/products/%s", json_object_get_string_member (product, "_id"));
  one = get_with_host (s, product_path, "evil.example:80");
  assert_images (one, "http://shop.example:8080/uploads/");
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (order->body, NULL), g_bytes_get_size (order->body));
    assert_images (text, "http://shop.example:8080/uploads/");
  }
}

/* Without --public-url: the address the server listens on, which the
 * pictures can be fetched from; an edit sending one back stores it as ours. */
static void
test_images_default (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *prefix = g_strconcat (s->url, "/uploads/", NULL);
  g_autoptr(SdTestReply) list = sd_test_http (s, "GET", "/api/v1/products", NULL, NULL, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (list->body, NULL), g_bytes_get_size (list->body));
  g_autofree char *evil = get_with_host (s, "/api/v1/products", "evil.example");
  JsonObject *first = json_array_get_object_element (json_node_get_array (sd_test_data (list, 200)), 0);
  const char *image = json_object_get_string_member (first, "image");
  g_autofree char *path = g_strdup_printf ("/api/v1/admin/products/%s", json_object_get_string_member (first, "_id"));
  g_autofree char *body = g_strdup_printf ("{\"image\":\"%s\"}", image);
  g_autoptr(SdTestReply) put = sd_test_http (s, "PUT", path, admin, body, NULL);
  g_autoptr(SdTestReply) pic = NULL;

  assert_images (text, prefix);
  assert_images (evil, prefix);
  pic = sd_test_http (s, "GET", image + strlen (s->url), NULL, NULL, NULL);
  g_assert_cmpuint (pic->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (put, 200), "image"), ==, image);
}

/* ---- 5. an admin product edit (adminProduct.js:54-77) ---------------- */

static void
test_admin_product_edit (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autoptr(JsonObject) with = demo_product (s, TRUE);
  g_autoptr(JsonObject) without = demo_product (s, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/admin/products/%s", json_object_get_string_member (with, "_id"));
  g_autofree char *path2 = g_strdup_printf ("/api/v1/admin/products/%s", json_object_get_string_member (without, "_id"));
  g_autoptr(SdTestReply) edited = sd_test_http (s, "PUT", path, admin,
    "{\"name\":\"라탄 바구니\",\"price\":\"12000\",\"brand\":\"꿀단집\","
    "\"options\":{\"name\":\"색상\",\"value\":\" 내추럴, 화이트 ,\"}}", NULL);
  g_autoptr(SdTestReply) plain = sd_test_http (s, "PUT", path2, admin,
    "{\"name\":\"무지 컵\",\"price\":\"8000\",\"brand\":\"꿀단집\",\"options\":{\"name\":\"\",\"value\":\"\"}}", NULL);
  g_autoptr(SdTestReply) bad = sd_test_http (s, "PUT", path, admin, "{\"price\":\"12,000\"}", NULL);
  JsonObject *p = sd_test_data_object (edited, 200);
  JsonObject *options = json_object_get_object_member (p, "options");
  JsonArray *values = json_object_get_array_member (options, "value");

  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 12000);
  g_assert_cmpstr (json_object_get_string_member (options, "name"), ==, "색상");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (values, 0), ==, "내추럴");
  g_assert_cmpstr (json_array_get_string_element (values, 1), ==, "화이트");
  /* a product without options: the FE sends both prompts empty */
  p = sd_test_data_object (plain, 200);
  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 8000);
  g_assert_true (json_object_get_null_member (p, "options"));
  sd_test_assert_error (bad, 400);
}

/* ---- 6. PATCH /auth/me as mypage.js:224 sends it --------------------- */

static void
test_profile_empty_password (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *token = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_autoptr(SdTestReply) patched = sd_test_http (s, "PATCH", "/api/v1/auth/me", token,
    "{\"email\":\"" CUSTOMER_EMAIL "\",\"password\":\"\",\"address\":\"부산시 해운대구 1\",\"addressDetail\":\"101호\"}",
    NULL);
  g_autofree char *again = NULL;

  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (patched, 200), "address"), ==,
                   "부산시 해운대구 1");
  /* the password is as it was, and the session goes on */
  again = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_assert_nonnull (again);
  {
    g_autoptr(SdTestReply) me = sd_test_http (s, "GET", "/api/v1/auth/me", token, NULL, NULL);
    sd_test_data (me, 200);
  }
}

/* ---- 7. order links (order-detail.js:23, checkout-result.js:88) ------- */

static gboolean
is_hex24 (const char *id)
{
  if (strlen (id) != 24)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static void
test_order_links_off (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *id = guest_order (s, TRUE, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%s", id);
  g_autoptr(SdTestReply) read = sd_test_http (s, "GET", path, NULL, NULL, "Content-Type", "application/json", NULL);

  /* by default an id alone reads nothing */
  sd_test_assert_error (read, 401);
}

static void
test_order_links (void)
{
  const char * const args[] = { "--order-links", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start_with (TRUE, args);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *key = NULL;
  g_autofree char *old = guest_order (s, TRUE, NULL);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *old_path = g_strdup_printf ("/api/v1/orders/%s", old);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  /* an order made before ids were all random: stop, take the schema back
   * to before the step that marks them, and start again (SQLite only: a
   * shop of schema 4 is a SQLite file; PostgreSQL has no such orders) */
  sd_test_server_kill (s);
  if (!sd_test_engine_is_pg ())
    sd_test_server_run_sql (s, "DROP TABLE activity; DROP TABLE order_days; DROP INDEX orders_by_number;"
                               " ALTER TABLE orders DROP COLUMN order_number;"
                               " ALTER TABLE orders DROP COLUMN random_id; PRAGMA user_version = 4;");
  sd_test_server_restart (s, FALSE);
  g_free (admin);
  admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);

  id = guest_order (s, TRUE, &key);
  path = g_strdup_printf ("/api/v1/orders/%s", id);
  g_assert_true (is_hex24 (id));
  {
    /* what order-detail.js reads, with neither token nor key */
    g_autoptr(SdTestReply) read = sd_test_http (s, "GET", path, NULL, NULL, NULL);
    JsonObject *order = sd_test_data_object (read, 200);

    g_assert_cmpstr (json_object_get_string_member (order, "_id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, PAID);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "product")), ==, 1);
    g_assert_nonnull (json_object_get_object_member (order, "payment"));
  }
  {
    /* writes still need the owner or the key */
    g_autoptr(SdTestReply) put = sd_test_http (s, "PUT", path, NULL, "{\"memo\":\"바꿈\"}", NULL);
    g_autoptr(SdTestReply) del = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
    g_autofree char *keyed = g_strdup_printf ("%s?key=%s", path, key);
    g_autoptr(SdTestReply) put_keyed = sd_test_http (s, "PUT", keyed, NULL, "{\"memo\":\"바꿈\"}", NULL);

    sd_test_assert_error (put, 401);
    sd_test_assert_error (del, 401);
    sd_test_data (put_keyed, 200);
  }
  if (!sd_test_engine_is_pg ())
    {
      /* the order from before: not by its id alone, still by staff */
      g_autoptr(SdTestReply) refused = sd_test_http (s, "GET", old_path, NULL, NULL, NULL);
      g_autoptr(SdTestReply) staff = sd_test_http (s, "GET", old_path, admin, NULL, NULL);

      sd_test_assert_error (refused, 401);
      sd_test_data (staff, 200);
    }

  /* ids made in the same second share nothing: no clock in them */
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (ids, guest_order (s, TRUE, NULL));
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_true (is_hex24 (ids->pdata[i]));
      for (guint j = i + 1; j < ids->len; j++)
        g_assert_false (strncmp (ids->pdata[i], ids->pdata[j], 8) == 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fe/confirm-email", test_confirm_email);
  g_test_add_func ("/fe/guest-order-without-receiver", test_guest_order_without_receiver);
  g_test_add_func ("/fe/images/absolute", test_images_absolute);
  g_test_add_func ("/fe/images/default", test_images_default);
  g_test_add_func ("/fe/admin-product-edit", test_admin_product_edit);
  g_test_add_func ("/fe/profile-empty-password", test_profile_empty_password);
  g_test_add_func ("/fe/order-links/off", test_order_links_off);
  g_test_add_func ("/fe/order-links/on", test_order_links);
  return g_test_run ();
}
