/* test-admin.c — SdAdmin against a started server, signed in as the
 * demo admin: categories, products, a presigned picture upload, orders
 * by status; and refused for a customer. */
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"

#define png sd_test_png_bytes

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

/* Waits for the call that fills r, asserting it worked. */
static void
await_ok (Result *r)
{
  sd_test_wait (&r->done);
  g_assert_no_error (r->error);
}

/* The same, for a call whose answer is not looked at: clears r. */
static void
await_done (Result *r)
{
  await_ok (r);
  result_clear (r);
}

/* Waits for the call that fills r, asserting the shop refused it with
 * code; clears r. */
static void
await_refused (Result *r, int code)
{
  sd_test_wait (&r->done);
  g_assert_error (r->error, SD_API_ERROR, code);
  result_clear (r);
}

static SdSession *
signed_in (SdApi *api, const char *email, const char *password)
{
  SdSession *session = sd_session_new (api);
  Result r = { 0 };

  sd_session_sign_in_async (session, email, password, NULL, signed_in_cb, &r);
  await_ok (&r);
  return session;
}

/* An SdAdmin on api, signed in (the session lives as long as it). */
static SdAdmin *
signed_in_admin (SdApi *api, const char *email, const char *password)
{
  SdSession *session = signed_in (api, email, password);
  SdAdmin *admin = sd_admin_new (api);

  g_object_set_data_full (G_OBJECT (admin), "test-session", session, g_object_unref);
  return admin;
}

static void
test_catalog (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
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
  await_ok (&r);
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
  await_ok (&r);
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
  await_ok (&r);
  product_id = g_strdup (sd_product_get_id (r.value));
  g_assert_cmpint (sd_product_get_stock (r.value), ==, 20);
  g_assert_cmpstr (sd_option_get_values (sd_product_get_option (r.value))[1], ==, "파랑");
  /* the shop answers it absolute, on its own address */
  g_assert_true (g_str_has_suffix (sd_product_get_image (r.value), image));
  g_assert_true (g_str_has_prefix (sd_product_get_image (r.value), "http://127.0.0.1:"));
  result_clear (&r);

  fields = (SdProductFields) { .price = 3900, .stock = -1 };
  sd_admin_save_product_async (admin, product_id, &fields, NULL, product_cb, &r);
  await_ok (&r);
  g_assert_cmpint (sd_product_get_price (r.value), ==, 3900);
  g_assert_cmpint (sd_product_get_stock (r.value), ==, -1);
  g_assert_cmpstr (sd_product_get_name (r.value), ==, "연필 세트");   /* untouched */
  result_clear (&r);

  sd_admin_delete_async (admin, SD_ADMIN_CATEGORY, category_id, NULL, delete_cb, &r);
  await_refused (&r, SD_API_ERROR_CONFLICT);   /* still used */
  sd_admin_delete_async (admin, SD_ADMIN_PRODUCT, product_id, NULL, delete_cb, &r);
  await_done (&r);
  sd_admin_delete_async (admin, SD_ADMIN_CATEGORY, category_id, NULL, delete_cb, &r);
  await_done (&r);
}

static void
test_orders (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=3", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (products, 200));
  g_autofree char *first_id = NULL;
  Result r = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = sd_test_order_body (json_array_get_object_element (list, i), "김하늘", "부산",
                                                  i == 2 ? "입금 대기" : "결제 완료");
      g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);
      sd_test_data (made, 201);
    }

  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_PAID, NULL, 1, 50, NULL, orders_cb, &r);
  await_ok (&r);
  g_assert_cmpint (r.total, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 2);
  {
    g_autoptr(SdOrder) newest = g_list_model_get_item (r.value, 0);
    first_id = g_strdup (sd_order_get_id (newest));
  }
  result_clear (&r);

  sd_admin_set_order_status_async (admin, first_id, SD_ORDER_STATUS_PREPARING, NULL, order_cb, &r);
  await_ok (&r);
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
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
  guint admins = 0;
  Result r = { 0 };

  sd_admin_list_users_async (admin, NULL, users_cb, &r);
  await_ok (&r);
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
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "customer@example.com", "Customer1234!");
  Result r = { 0 };

  sd_admin_create_category_async (admin, "문구", NULL, category_cb, &r);
  await_refused (&r, SD_API_ERROR_FORBIDDEN);
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 10, NULL, orders_cb, &r);
  await_refused (&r, SD_API_ERROR_FORBIDDEN);
  sd_admin_list_users_async (admin, NULL, users_cb, &r);
  await_refused (&r, SD_API_ERROR_FORBIDDEN);
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
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
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

/* Against a shop without our paging and filters (the original): the
 * board's filter, search, pages and counts come out the same, done here. */
static void
test_orders_original (void)
{
  const char *args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (products, 200));
  const char *names[] = { "김하늘", "박새벽", "이가람" };
  Result r = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = sd_test_order_body (json_array_get_object_element (list, i), names[i], "부산",
                                                  i == 2 ? "입금 대기" : "결제 완료");
      g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);
      sd_test_data (made, 201);
    }

  /* The shop itself ignores ?status= and sends no total… */
  {
    g_autofree char *admin_token = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
    g_autoptr(SdTestReply) raw = sd_test_http (server, "GET", "/api/v1/admin/orders?page=1&limit=1&status=%EA%B2%B0%EC%A0%9C%20%EC%99%84%EB%A3%8C",
                                               admin_token, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (raw, 200))), ==, 3);
    g_assert_null (soup_message_headers_get_one (raw->headers, "X-Total-Count"));
  }
  /* …so the filter, the count and the page are made here. */
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_PAID, NULL, 1, 50, NULL, orders_cb, &r);
  await_ok (&r);
  g_assert_cmpint (r.total, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 2);
  result_clear (&r);
  /* The original drops the receiver (its schema has none): search by
   * what it keeps, a line's product name. */
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N,
                              json_object_get_string_member (json_array_get_object_element (list, 1), "name"),
                              1, 50, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_cmpint (r.total, ==, 1);
  {
    g_autoptr(SdOrder) o = g_list_model_get_item (r.value, 0);
    g_assert_null (sd_order_get_receiver (o));
  }
  result_clear (&r);
  /* Newest first, two a page: the second page holds the oldest. */
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 2, 2, NULL, orders_cb, &r);
  sd_test_wait (&r.done);
  g_assert_cmpint (r.total, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 1);
  {
    g_autoptr(SdOrder) o = g_list_model_get_item (r.value, 0);
    g_assert_null (sd_order_get_receiver (o));   /* dropped by the original */
    g_assert_cmpint (sd_order_get_status (o), ==, SD_ORDER_STATUS_PAID);
  }
  result_clear (&r);
}

/* ---- CSV ------------------------------------------------------------- */

static void products_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_admin_list_products_finish (SD_ADMIN (s), res, &r->error); r->done = TRUE; }
static void categories_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->value = sd_category_list_finish (SD_API (s), res, &r->error); r->done = TRUE; }
static void applied_cb (GObject *s, GAsyncResult *res, gpointer d)
{ Result *r = d; r->ok = sd_product_import_apply_finish (SD_PRODUCT_IMPORT (s), res, &r->error); r->done = TRUE; }

static GListModel *
all_products (SdAdmin *admin)
{
  Result r = { 0 };

  sd_admin_list_products_async (admin, NULL, products_cb, &r);
  await_ok (&r);
  return r.value;
}

static GListModel *
all_categories (SdApi *api)
{
  Result r = { 0 };

  sd_category_list_async (api, NULL, categories_cb, &r);
  await_ok (&r);
  return r.value;
}

static void
test_csv_parse (void)
{
  const char text[] = "\xEF\xBB\xBF" "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast,\"\",y";
  g_autoptr(GPtrArray) rows = sd_csv_parse (text, sizeof text - 1, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((GStrv) rows->pdata[0])[1], ==, "b,c");
  g_assert_cmpstr (((GStrv) rows->pdata[0])[2], ==, "say \"hi\"");
  g_assert_cmpstr (((GStrv) rows->pdata[1])[0], ==, "two\nlines");
  g_assert_cmpuint (g_strv_length (rows->pdata[1]), ==, 3);
  g_assert_cmpstr (((GStrv) rows->pdata[2])[2], ==, "y");
  /* Written back, it reads the same. */
  for (guint i = 0; i < rows->len; i++)
    sd_csv_append_row (out, (const char * const *) rows->pdata[i]);
  again = sd_csv_parse (out->str, out->len, NULL);
  g_assert_cmpuint (again->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_strv_equal (rows->pdata[i], again->pdata[i]));
  /* A quote that never ends, and text that is not UTF-8: said, with the line. */
  g_assert_null (sd_csv_parse ("a,b\nc,\"d\ne,f\n", 12, &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);
  g_assert_null (sd_csv_parse ("a,\xff\n", 4, &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
}

/* A product as text, to compare catalogs across shops (ids differ). */
static char *
describe (SdProduct *p, GListModel *categories)
{
  SdOption *o = sd_product_get_option (p);
  g_autofree char *values = o ? g_strjoinv ("|", (GStrv) sd_option_get_values (o)) : g_strdup ("");
  const char *category = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (categories, i);
      if (g_strcmp0 (sd_category_get_id (c), sd_product_get_category_id (p)) == 0)
        category = sd_category_get_name (c);
    }
  return g_strdup_printf ("%s/%s/%s/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s/%s/%s/%s", sd_product_get_name (p),
                          category, sd_product_get_brand (p), sd_product_get_price (p), sd_product_get_stock (p),
                          o ? sd_option_get_name (o) : "", values, sd_product_get_description (p),
                          sd_product_get_image (p));
}

static GPtrArray *
describe_all (GListModel *products, GListModel *categories)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (products, i);
      g_ptr_array_add (out, describe (p, categories));
    }
  return out;
}

static gint
cmp_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* The demo catalog exported, imported into an empty shop: the same catalog
 * there; imported again: nothing to change. */
static void
test_csv_round_trip (void)
{
  g_autoptr(SdTestServer) demo = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) empty = sd_test_server_start (FALSE);
  g_autoptr(SdApi) api = sd_api_new (demo->url, NULL);
  g_autoptr(SdApi) api2 = sd_api_new (empty->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdSession) session2 = NULL;
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(SdAdmin) admin2 = sd_admin_new (api2);
  g_autoptr(GListModel) products = all_products (admin);
  g_autoptr(GListModel) categories = all_categories (api);
  g_autoptr(GBytes) csv = sd_csv_from_products (products, categories);
  g_autoptr(GListModel) products2 = NULL, categories2 = NULL, empty_products = NULL, empty_categories = NULL;
  g_autoptr(SdProductImport) import = NULL, again = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (products), >, 10);
  sd_test_server_create_admin (empty, "staff@example.com", "Staff1234!");
  session2 = signed_in (api2, "staff@example.com", "Staff1234!");
  empty_products = all_products (admin2);
  empty_categories = all_categories (api2);
  g_assert_cmpuint (g_list_model_get_n_items (empty_products), ==, 0);

  import = sd_product_import_new (csv, empty_categories, empty_products, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_CREATE), ==, g_list_model_get_n_items (products));
  g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_ERROR), ==, 0);
  g_assert_cmpuint (g_strv_length ((GStrv) sd_product_import_get_new_categories (import)), >, 0);
  sd_product_import_apply_async (import, admin2, NULL, applied_cb, &r);
  await_ok (&r);
  g_assert_true (r.ok);

  products2 = all_products (admin2);
  categories2 = all_categories (api2);
  before = describe_all (products, categories);
  after = describe_all (products2, categories2);
  g_ptr_array_sort (before, cmp_strings);
  g_ptr_array_sort (after, cmp_strings);
  g_assert_cmpuint (before->len, ==, after->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (before->pdata[i], ==, after->pdata[i]);

  /* The new shop's own export, imported there: every row unchanged. */
  {
    g_autoptr(GBytes) csv2 = sd_csv_from_products (products2, categories2);

    again = sd_product_import_new (csv2, categories2, products2, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sd_product_import_count (again, SD_IMPORT_UNCHANGED), ==, before->len);
  }
}

static guint
n_products (SdAdmin *admin)
{
  g_autoptr(GListModel) products = all_products (admin);
  return g_list_model_get_n_items (products);
}

/* Bad rows: each reported with its line, and nothing sent. A shop that
 * refuses midway: what was done is undone. */
static void
test_csv_errors (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
  g_autoptr(GListModel) products = all_products (admin);
  g_autoptr(GListModel) categories = all_categories (api);
  g_autoptr(GListModel) categories_after = NULL;
  guint before = g_list_model_get_n_items (products);
  g_autoptr(SdProduct) victim = g_list_model_get_item (products, 0);
  g_autofree char *victim_text = describe (victim, categories);
  const char bad[] =
    "name,category,price,stock,option,option_values\n"
    "좋은 상품,새 분류,12000,3,색상,빨강|파랑\n"
    ",새 분류,1000,,,\n"
    "비싼 상품,새 분류,열두 원,,,\n"
    "재고,새 분류,100,-4,,\n"
    "옵션,새 분류,100,,,빨강\n"
    "짧은 줄,새 분류\n";
  g_autoptr(GBytes) csv = g_bytes_new_static (bad, sizeof bad - 1);
  g_autoptr(SdProductImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("id,name,category,price\n");
  g_autoptr(GBytes) midway = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autofree char *path = NULL;
  Result r = { 0 };

  import = sd_product_import_new (csv, categories, products, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_product_import_get_n_rows (import), ==, 6);
  g_assert_cmpuint (sd_product_import_get_action (import, 0), ==, SD_IMPORT_CREATE);
  for (guint i = 1; i < 6; i++)
    {
      g_assert_cmpuint (sd_product_import_get_action (import, i), ==, SD_IMPORT_ERROR);
      g_assert_cmpuint (sd_product_import_get_line (import, i), ==, i + 2);
      g_assert_nonnull (sd_product_import_get_error (import, i));
    }
  sd_product_import_apply_async (import, admin, NULL, applied_cb, &r);
  await_refused (&r, SD_API_ERROR_INVALID_INPUT);
  g_assert_cmpuint (n_products (admin), ==, before);

  /* Not a product list at all. */
  {
    g_autoptr(GBytes) other = g_bytes_new_static ("a,b\n1,2\n", 8);
    g_assert_null (sd_product_import_new (other, categories, products, &error));
    g_assert_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  /* Two new products in a new category, an update of the first product,
   * then an update of a product deleted after the preview: the shop says
   * 404 at the last line, and everything before is undone. */
  g_string_append (text, ",첫 상품,가져온 분류,1000\n,둘째 상품,가져온 분류,2000\n");
  g_string_append_printf (text, "%s,바뀐 이름,가져온 분류,5\n", sd_product_get_id (victim));
  {
    g_autoptr(SdProduct) gone = g_list_model_get_item (products, 1);

    g_string_append_printf (text, "%s,사라진 상품,가져온 분류,7\n", sd_product_get_id (gone));
    path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (gone), NULL);
  }
  midway = g_string_free_to_bytes (g_steal_pointer (&text));
  g_clear_object (&import);
  import = sd_product_import_new (midway, categories, products, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_CREATE), ==, 2);
  g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_UPDATE), ==, 2);
  {
    g_autofree char *admin_token = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
    deleted = sd_test_http (server, "DELETE", path, admin_token, NULL, NULL);
    g_assert_cmpuint (deleted->status, ==, 204);
  }
  sd_product_import_apply_async (import, admin, NULL, applied_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (r.error->message, "5"));   /* the line */
  result_clear (&r);
  g_clear_object (&products);
  products = all_products (admin);
  g_assert_cmpuint (g_list_model_get_n_items (products), ==, before - 1);
  categories_after = all_categories (api);
  g_assert_cmpuint (g_list_model_get_n_items (categories_after), ==, g_list_model_get_n_items (categories));
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (products, i);
      if (g_strcmp0 (sd_product_get_id (p), sd_product_get_id (victim)) == 0)
        {
          g_autofree char *now = describe (p, categories);
          g_assert_cmpstr (now, ==, victim_text);
        }
      g_assert_cmpstr (sd_product_get_name (p), !=, "첫 상품");
    }
}

/* Staff's products, categories and an empty order board, the same code
 * against both servers. The original requires an option and a picture on
 * every new product (productService.js:20, schema/product.js:21): the
 * app says so before sending; its PUT wants options too and never changes
 * their values; its answers carry options as an id, so the product is
 * read again. Its empty order board is a 404: an empty list. */
static void
test_staff (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdAdmin) admin = signed_in_admin (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdTestReply) listed = sd_test_http (server, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonNode *products = sd_test_data (listed, 200);
  const char *image = json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (products), 0), "image");
  g_autofree char *category_id = NULL;
  g_autofree char *product_id = NULL;
  const char *values[] = { "빨강", "파랑", NULL };
  const char *other[] = { "초록", NULL };
  SdProductFields fields;
  Result r = { 0 };

  sd_admin_create_category_async (admin, "문구", NULL, category_cb, &r);
  await_ok (&r);
  category_id = g_strdup (sd_category_get_id (r.value));
  result_clear (&r);

  if (mode == SD_TEST_ORIGINAL)
    {
      /* Refused here, before a 500 there. */
      fields = (SdProductFields) { .name = "연필 세트", .category_id = category_id, .brand = "꿀단집",
                                   .price = 3500, .image = image, .description = "12색", .stock = -2 };
      sd_admin_save_product_async (admin, NULL, &fields, NULL, product_cb, &r);
      await_refused (&r, SD_API_ERROR_INVALID_INPUT);
      fields.option_name = "색상";
      fields.option_values = values;
      fields.image = NULL;
      sd_admin_save_product_async (admin, NULL, &fields, NULL, product_cb, &r);
      await_refused (&r, SD_API_ERROR_INVALID_INPUT);
    }

  fields = (SdProductFields) { .name = "연필 세트", .category_id = category_id, .brand = "꿀단집",
                               .price = 3500, .image = image, .description = "12색", .stock = -2,
                               .option_name = "색상", .option_values = values };
  sd_admin_save_product_async (admin, NULL, &fields, NULL, product_cb, &r);
  await_ok (&r);
  product_id = g_strdup (sd_product_get_id (r.value));
  g_assert_nonnull (sd_product_get_option (r.value));   /* read again on the original */
  g_assert_cmpstr (sd_option_get_values (sd_product_get_option (r.value))[1], ==, "파랑");
  result_clear (&r);

  /* A price change; the values, where they can change (ours), too. */
  fields = (SdProductFields) { .price = 3900, .stock = -2,
                               .option_name = mode == SD_TEST_OURS ? "색상" : NULL, .option_values = other };
  sd_admin_save_product_async (admin, product_id, &fields, NULL, product_cb, &r);
  await_ok (&r);
  g_assert_cmpint (sd_product_get_price (r.value), ==, 3900);
  g_assert_cmpstr (sd_product_get_name (r.value), ==, "연필 세트");   /* untouched */
  g_assert_nonnull (sd_product_get_option (r.value));
  g_assert_cmpstr (sd_option_get_values (sd_product_get_option (r.value))[0], ==,
                   mode == SD_TEST_OURS ? "초록" : "빨강");
  result_clear (&r);

  /* An order board with nothing on it. */
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 20, NULL, orders_cb, &r);
  await_ok (&r);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 0);
  g_assert_cmpint (r.total, ==, 0);
  result_clear (&r);
  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_PAID, NULL, 1, 20, NULL, orders_cb, &r);
  await_ok (&r);
  g_assert_cmpuint (g_list_model_get_n_items (r.value), ==, 0);
  result_clear (&r);

  sd_admin_delete_async (admin, SD_ADMIN_PRODUCT, product_id, NULL, delete_cb, &r);
  await_done (&r);
  sd_admin_delete_async (admin, SD_ADMIN_CATEGORY, category_id, NULL, delete_cb, &r);
  await_done (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/admin/catalog", test_catalog);
  g_test_add_func ("/admin/no-uploads", test_no_uploads);
  g_test_add_func ("/admin/orders", test_orders);
  g_test_add_func ("/admin/orders-original", test_orders_original);
  g_test_add_func ("/admin/users", test_users);
  g_test_add_func ("/admin/customer-refused", test_customer_refused);
  g_test_add_func ("/admin/csv-parse", test_csv_parse);
  g_test_add_func ("/admin/csv-round-trip", test_csv_round_trip);
  g_test_add_func ("/admin/csv-errors", test_csv_errors);
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      g_autofree char *path = sd_test_mode_path ("/admin/staff", mode);
      g_test_add_data_func (path, GINT_TO_POINTER (mode), test_staff);
    }
  return g_test_run ();
}
