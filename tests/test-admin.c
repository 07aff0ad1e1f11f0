/* test-admin.c — SdAdmin against a started server, signed in as the
 * demo admin: categories, products, a presigned picture upload, orders
 * by status; and refused for a customer. */
#include <string.h>

#include "sd-test-http.h"

static const guint8 png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
};

typedef struct {
  gboolean  done;
  gpointer  value;   /* a GObject */
  char     *text;    /* a string result */
  gboolean  ok;
  gint64    total;
  GError   *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_object (&r->value);
  g_clear_pointer (&r->text, g_free);
  g_clear_error (&r->error);
  r->done = r->ok = FALSE;
}

static void category_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_admin_category_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void product_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_admin_product_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void delete_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->ok = sd_admin_delete_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void upload_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->text = sd_admin_upload_picture_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void orders_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_admin_list_orders_finish (SD_ADMIN (s), res, &r->total, &r->error); r->done = TRUE; }
static void order_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_admin_order_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void signed_in_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->ok = sd_session_sign_in_finish (SD_SESSION (s), res, &r->error); r->done = TRUE; }

static SdSession *
signed_in (SdApi *api, const char *email, const char *password)
{
  SdSession *session = sd_session_new (api);
  Result r = { 0 };

  sd_session_sign_in_async (session, email, password, NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  return session;
}

static void
test_catalog (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(GBytes) picture = g_bytes_new_static (png, sizeof png);
  g_autofree char *category_id = NULL;
  g_autofree char *product_id = NULL;
  g_autofree char *image = NULL;
  g_autofree char *image_path = NULL;
  g_autoptr(SdTestReply) served = NULL;
  const char *values[] = { "빨강", "파랑", NULL };
  SdProductFields fields = { .price = -1, .stock = -2 };
  Result r = { 0 };

  sd_admin_create_category_async (admin, "문구", NULL, category_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  category_id = g_strdup (sd_category_get_id (r.value));
  result_clear (&r);
  sd_admin_create_category_async (admin, "문구/팬시", NULL, category_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);   /* the shop's words */
  g_assert_nonnull (strstr (r.error->message, "letters"));
  result_clear (&r);
  sd_admin_rename_category_async (admin, category_id, "문구류", NULL, category_cb, &r);
  sd_test_wait (&r.done);
  g_assert_cmpstr (sd_category_get_name (r.value), ==, "문구류");
  result_clear (&r);

  sd_admin_upload_picture_async (admin, picture, "image/png", NULL, upload_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  image = g_strdup (r.text);
  result_clear (&r);
  g_assert_true (g_str_has_prefix (image, "uploads/product-"));
  image_path = g_strconcat ("/", image, NULL);
  served = sd_test_http (server, "GET", image_path, NULL, NULL, NULL);
  g_assert_cmpuint (served->status, ==, 200);

  fields = (SdProductFields) { .name = "연필 세트", .category_id = category_id, .brand = "꿀단집",
                               .price = 3500, .image = image, .description = "12색", .stock = 20,
                               .option_name = "색상", .option_values = values };
  sd_admin_save_product_async (admin, NULL, &fields, NULL, product_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  product_id = g_strdup (sd_product_get_id (r.value));
  g_assert_cmpint (sd_product_get_stock (r.value), ==, 20);
  g_assert_cmpstr (sd_option_get_values (sd_product_get_option (r.value))[1], ==, "파랑");
  g_assert_cmpstr (sd_product_get_image (r.value), ==, image);
  result_clear (&r);

  fields = (SdProductFields) { .price = 3900, .stock = -1 };
  sd_admin_save_product_async (admin, product_id, &fields, NULL, product_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpint (sd_product_get_price (r.value), ==, 3900);
  g_assert_cmpint (sd_product_get_stock (r.value), ==, -1);
  g_assert_cmpstr (sd_product_get_name (r.value), ==, "연필 세트");   /* untouched */
  result_clear (&r);

  sd_admin_delete_async (admin, "categories", category_id, NULL, delete_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_CONFLICT);   /* still used */
  result_clear (&r);
  sd_admin_delete_async (admin, "products", product_id, NULL, delete_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);
  sd_admin_delete_async (admin, "categories", category_id, NULL, delete_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);
}

static void
test_orders (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=3", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (products, 200));
  g_autofree char *first_id = NULL;
  Result r = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      gint64 price = json_object_get_int_member (p, "price");
      g_autofree char *body = g_strdup_printf (
        "{\"product\":[{\"id\":\"%s\",\"count\":1}],\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT
        ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "},\"receiver\":{\"name\":\"김하늘\","
        "\"phoneNumber\":\"01012345678\",\"address\":\"부산\"},\"status\":\"%s\"}",
        json_object_get_string_member (p, "_id"), price, price + 3000, i == 2 ? "입금 대기" : "결제 완료");
      g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);
      sd_test_data (made, 201);
    }

  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_PAID, NULL, 1, 50, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.total, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 2);
  {
    g_autoptr(SdOrder) newest = g_list_model_get_item (r.value, 0);
    first_id = g_strdup (sd_order_get_id (newest));
  }
  result_clear (&r);

  sd_admin_set_order_status_async (admin, first_id, SD_ORDER_STATUS_PREPARING, NULL, order_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpint (sd_order_get_status (r.value), ==, SD_ORDER_STATUS_PREPARING);
  result_clear (&r);

  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 2, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_cmpint (r.total, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 2);   /* a page of 2 */
  result_clear (&r);
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_PREPARING, NULL, 1, 50, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_cmpint (r.total, ==, 1);
  result_clear (&r);
}

static void
users_cb (GObject *s, GAsyncResult *res, gpointer d)
{
  Result *r = d;
  r->value = sd_admin_list_users_finish (SD_ADMIN (s), res, &r->error);
  r->done = TRUE;
}

static void
test_users (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  guint admins = 0;
  Result r = { 0 };

  sd_admin_list_users_async (admin, NULL, users_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdUser) user = g_list_model_get_item (r.value, i);

      admins += sd_user_get_is_admin (user);
      g_assert_true (g_str_has_suffix (sd_user_get_email (user), "@example.com"));
      g_assert_cmpuint (strlen (sd_user_get_created_at (user)), >, 0);
      /* The same through properties, as a column view binds them. */
      {
        g_autofree char *email = NULL;
        gboolean is_admin = FALSE;

        g_object_get (user, "email", &email, "is-admin", &is_admin, NULL);
        g_assert_cmpstr (email, ==, sd_user_get_email (user));
        g_assert_cmpint (is_admin, ==, sd_user_get_is_admin (user));
      }
    }
  g_assert_cmpuint (admins, ==, 1);
  result_clear (&r);
}

static void
test_customer_refused (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "customer@example.com", "Customer1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  Result r = { 0 };

  sd_admin_create_category_async (admin, "문구", NULL, category_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
  result_clear (&r);
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 10, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
  result_clear (&r);
  sd_admin_list_users_async (admin, NULL, users_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
  result_clear (&r);
}

static void
health_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->ok = sd_api_check_health_finish (SD_API (s), res, &r->error); r->done = TRUE; }

/* A shop without our upload route (the original): a clear "not supported",
 * both when it is only found out by asking and when /health said so. */
static void
test_no_uploads (void)
{
  const char *args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(GBytes) picture = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  Result r = { 0 };

  sd_admin_upload_picture_async (admin, picture, "image/png", NULL, upload_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED);
  g_clear_error (&r.error);

  r = (Result) { 0 };
  sd_api_check_health_async (api, NULL, health_cb, &r);
  sd_test_wait (&r.done);
  g_assert_true (r.ok);
  g_assert_false (sd_api_has_feature (api, "uploads"));
  r = (Result) { 0 };
  sd_admin_upload_picture_async (admin, picture, "image/png", NULL, upload_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED);
  g_clear_error (&r.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/admin/catalog", test_catalog);
  g_test_add_func ("/admin/no-uploads", test_no_uploads);
  g_test_add_func ("/admin/orders", test_orders);
  g_test_add_func ("/admin/users", test_users);
  g_test_add_func ("/admin/customer-refused", test_customer_refused);
  return g_test_run ();
}
