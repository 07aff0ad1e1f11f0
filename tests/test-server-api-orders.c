/* test-server-api-orders.c — storedesk-server's admin catalog and orders
 * over real HTTP against a started server (fresh data dir each): the
 * authorization matrices, the order rules, races, idempotency. */
#include <crypt.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-api.h"

/* ---- authorization matrix: admin routes ----------------------------- */

static void
test_admin_matrix (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 1000, "null");
  g_autofree char *order = place_order (s, customer, product, 1000, NULL);
  static const char *routes[][2] = {
    { "POST", "/api/v1/admin/categories" }, { "PUT", "/api/v1/admin/categories/%s" },
    { "DELETE", "/api/v1/admin/categories/%s" }, { "POST", "/api/v1/admin/products" },
    { "PUT", "/api/v1/admin/products/%p" }, { "DELETE", "/api/v1/admin/products/%p" },
    { "GET", "/api/v1/admin/orders" }, { "GET", "/api/v1/admin/orders/status?status=%EA%B2%B0%EC%A0%9C%20%EC%99%84%EB%A3%8C" },
    { "POST", "/api/v1/admin/orders" }, { "PUT", "/api/v1/admin/orders/%o" }, { "DELETE", "/api/v1/admin/orders/%o" },
    { "GET", "/api/v1/admin/userInfo" }, { "POST", "/api/v1/admin/uploads" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(GString) path = g_string_new (routes[i][1]);
      const char *body = g_str_equal (routes[i][0], "POST") || g_str_equal (routes[i][0], "PUT") ? "{}" : NULL;
      g_autoptr(SdTestReply) anon = NULL;
      g_autoptr(SdTestReply) cust = NULL;
      g_autoptr(SdTestReply) adm = NULL;

      g_string_replace (path, "%s", "000000000000000000000000", 0);
      g_string_replace (path, "%p", product, 0);
      g_string_replace (path, "%o", order, 0);
      g_test_message ("%s %s", routes[i][0], path->str);
      anon = sd_test_http (s, routes[i][0], path->str, NULL, body, NULL);
      cust = sd_test_http (s, routes[i][0], path->str, customer, body, NULL);
      sd_test_assert_error (anon, 401);
      sd_test_assert_error (cust, 403);
      if (g_str_equal (routes[i][0], "DELETE"))
        continue;   /* the admin's turn would delete what the rows after need */
      adm = sd_test_http (s, routes[i][0], path->str, admin, body, NULL);
      g_assert_cmpuint (adm->status, !=, 401);
      g_assert_cmpuint (adm->status, !=, 403);
      g_assert_cmpuint (adm->status, <, 500);
    }
}

static void
test_user_info (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", "/api/v1/admin/userInfo", admin, NULL, NULL);
  JsonArray *users = json_node_get_array (sd_test_data (r, 200));

  g_assert_cmpuint (json_array_get_length (users), ==, 2);
  /* [fix] no hashes */
  g_assert_null (strstr (g_bytes_get_data (r->body, NULL), "$y$"));
  g_assert_null (strstr (g_bytes_get_data (r->body, NULL), "password"));
}

/* ---- admin catalog -------------------------------------------------- */

static void
test_admin_categories (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구 Stationery\"}", NULL);
  g_autoptr(SdTestReply) dup = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구 Stationery\"}", NULL);
  g_autoptr(SdTestReply) bad = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구/팬시\"}", NULL);
  g_autoptr(SdTestReply) sql = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"x'); DROP TABLE categories;--\"}", NULL);
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  g_autoptr(SdTestReply) renamed = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *used_path = NULL;
  const char *id;

  id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");
  sd_test_assert_error (dup, 409);
  sd_test_assert_error (bad, 400);
  sd_test_assert_error (sql, 400);
  path = g_strconcat ("/api/v1/admin/categories/", id, NULL);
  renamed = sd_test_http (s, "PUT", path, admin, "{\"name\":\"문구\"}", NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (renamed, 200), "name"), ==, "문구");
  sd_test_expect_error (s, "PUT", "/api/v1/admin/categories/000000000000000000000000", admin, "{\"name\":\"문구류\"}", 404);

  used_path = g_strconcat ("/api/v1/admin/categories/",
    json_object_get_string_member (json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0), "_id"), NULL);
  sd_test_expect_error (s, "DELETE", used_path, admin, NULL, 409);
  deleted = sd_test_http (s, "DELETE", path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  sd_test_expect_error (s, "DELETE", path, admin, NULL, 404);
}

static void
test_admin_products (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  const char *cat = json_object_get_string_member (json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0), "_id");
  g_autofree char *good = g_strdup_printf ("{\"name\":\"O'Brien \\\"따옴표\\\" ; DROP TABLE products;--\",\"categoryId\":\"%s\","
                                           "\"brand\":\"B\",\"price\":\"15000\",\"image\":\"uploads/x.png\",\"description\":\"d\","
                                           "\"options\":{\"name\":\"색상\",\"value\":[\"빨강\",\"파랑\"]},\"stock\":5}", cat);
  g_autofree char *bad_price = g_strdup_printf ("{\"name\":\"n\",\"categoryId\":\"%s\",\"price\":-1}", cat);
  g_autofree char *bad_options = g_strdup_printf ("{\"name\":\"n\",\"categoryId\":\"%s\",\"price\":1,\"options\":{\"name\":\"\",\"value\":[]}}", cat);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/admin/products", admin, good, NULL);
  g_autoptr(SdTestReply) r1 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, bad_price, NULL);
  g_autoptr(SdTestReply) r2 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, bad_options, NULL);
  g_autoptr(SdTestReply) r3 = sd_test_http (s, "POST", "/api/v1/admin/products", admin,
                                            "{\"name\":\"n\",\"categoryId\":\"000000000000000000000000\",\"price\":1}", NULL);
  g_autoptr(SdTestReply) r4 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, "{\"categoryId\":\"x\",\"price\":1}", NULL);
  g_autoptr(SdTestReply) updated = NULL;
  g_autoptr(SdTestReply) cleared = NULL;
  g_autoptr(SdTestReply) shop = NULL;
  g_autoptr(SdTestReply) search = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autofree char *admin_path = NULL;
  g_autofree char *public_path = NULL;
  JsonObject *p;

  p = sd_test_data_object (made, 201);
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "O'Brien \"따옴표\" ; DROP TABLE products;--");
  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 15000);
  g_assert_cmpint (json_object_get_int_member (p, "stock"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "options"), "name"), ==, "색상");
  sd_test_assert_error (r1, 400);
  sd_test_assert_error (r2, 400);
  sd_test_assert_error (r3, 400);
  sd_test_assert_error (r4, 400);

  admin_path = g_strconcat ("/api/v1/admin/products/", json_object_get_string_member (p, "_id"), NULL);
  public_path = g_strconcat ("/api/v1/products/", json_object_get_string_member (p, "_id"), NULL);
  updated = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":17000,\"stock\":null}", NULL);
  p = sd_test_data_object (updated, 200);
  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 17000);
  g_assert_true (json_object_get_null_member (p, "stock"));
  g_assert_false (json_object_get_null_member (p, "options"));   /* untouched */
  cleared = sd_test_http (s, "PUT", admin_path, admin, "{\"options\":null}", NULL);
  g_assert_true (json_object_get_null_member (sd_test_data_object (cleared, 200), "options"));
  shop = sd_test_http (s, "GET", public_path, NULL, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (sd_test_data_object (shop, 200), "price"), ==, 17000);

  search = sd_test_http (s, "GET", "/api/v1/products?q=%22%20%3B%20DROP%20TABLE%20products%3B--", NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (search, 200))), ==, 1);

  deleted = sd_test_http (s, "DELETE", admin_path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  sd_test_expect_error (s, "GET", public_path, NULL, NULL, 404);
  sd_test_expect_error (s, "PUT", admin_path, admin, "{\"price\":1}", 404);
}

/* ---- orders --------------------------------------------------------- */

static void
test_order_rules (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 12000, "null");
  g_autofree char *stale = order_json (product, 2, 11000, NULL, FALSE);
  g_autofree char *preparing = order_json (product, 1, 12000, PREPARING, FALSE);
  g_autofree char *paid = order_json (product, 2, 12000, PAID, FALSE);
  g_autofree char *guest = order_json (product, 1, 12000, NULL, FALSE);
  g_autofree char *zero = g_strdup_printf ("{\"product\":[{\"id\":\"%s\",\"count\":0}],\"payment\":{}}", product);
  g_autofree char *unknown = order_json ("000000000000000000000000", 1, 12000, NULL, FALSE);
  g_autoptr(SdTestReply) r_stale = sd_test_http (s, "POST", "/api/v1/orders", customer, stale, NULL);
  g_autoptr(SdTestReply) r_status = sd_test_http (s, "POST", "/api/v1/orders", customer, preparing, NULL);
  g_autoptr(SdTestReply) r_bogus = sd_test_http (s, "POST", "/api/v1/orders", customer, "{\"status\":\"shipped\",\"product\":[]}", NULL);
  g_autoptr(SdTestReply) r_empty = sd_test_http (s, "POST", "/api/v1/orders", customer, "{\"product\":[]}", NULL);
  g_autoptr(SdTestReply) r_zero = sd_test_http (s, "POST", "/api/v1/orders", customer, zero, NULL);
  g_autoptr(SdTestReply) r_unknown = sd_test_http (s, "POST", "/api/v1/orders", customer, unknown, NULL);
  g_autoptr(SdTestReply) r_guest = sd_test_http (s, "POST", "/api/v1/orders", NULL, guest, NULL);
  g_autoptr(SdTestReply) r_paid = sd_test_http (s, "POST", "/api/v1/orders", customer, paid, NULL);
  g_autoptr(SdTestReply) mine = NULL;
  g_autoptr(SdTestReply) ship = NULL;
  g_autoptr(SdTestReply) filtered = NULL;
  g_autoptr(SdTestReply) by_status = NULL;
  g_autoptr(SdTestReply) searched = NULL;
  g_autoptr(SdTestReply) admin_made = NULL;
  g_autoptr(SdTestReply) admin_deleted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *admin_path = NULL;
  JsonObject *o, *conflict;

  /* [fix] our prices: 409 with the current figures */
  sd_test_assert_error (r_stale, 409);
  conflict = json_object_get_object_member (json_node_get_object (r_stale->root), "data");
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPriceItem"), ==, 24000);
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPriceDelivery"), ==, 3000);
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPrice"), ==, 27000);
  sd_test_assert_error (r_status, 400);
  sd_test_assert_error (r_bogus, 400);
  sd_test_assert_error (r_empty, 400);
  sd_test_assert_error (r_zero, 400);
  sd_test_assert_error (r_unknown, 409);
  /* a guest may leave the receiver out, as the original web FE does */
  g_assert_true (json_object_get_null_member (sd_test_data_object (r_guest, 201), "receiver"));

  o = sd_test_data_object (r_paid, 201);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, PAID);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "payment"), "ttlPrice"), ==, 27000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (o, "product"), 0), "count"), ==, 2);
  g_assert_false (json_object_has_member (o, "accessKey"));
  g_assert_true (json_object_get_null_member (o, "receiver"));
  path = g_strconcat ("/api/v1/orders/", json_object_get_string_member (o, "_id"), NULL);
  admin_path = g_strconcat ("/api/v1/admin/orders/", json_object_get_string_member (o, "_id"), NULL);

  mine = sd_test_http (s, "GET", "/api/v1/orders", customer, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (mine, 200))), ==, 1);

  /* staff move it on; then the customer may no longer change it */
  ship = sd_test_http (s, "PUT", admin_path, admin, "{\"status\":\"배송 준비\",\"memo\":\"포장 완료\"}", NULL);
  o = sd_test_data_object (ship, 200);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, PREPARING);
  sd_test_expect_error (s, "PUT", path, customer, "{\"memo\":\"빨리요\"}", 409);
  sd_test_expect_error (s, "DELETE", path, customer, NULL, 409);

  filtered = sd_test_http (s, "GET", "/api/v1/admin/orders?status=%EB%B0%B0%EC%86%A1%20%EC%A4%80%EB%B9%84&page=1&limit=10", admin, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (filtered, 200))), ==, 1);
  g_assert_cmpstr (soup_message_headers_get_one (filtered->headers, "X-Total-Count"), ==, "1");
  by_status = sd_test_http (s, "GET", "/api/v1/admin/orders/status?status=%EC%9E%85%EA%B8%88%20%EB%8C%80%EA%B8%B0", admin, NULL, NULL);
  /* the guest's order without a receiver, awaiting payment */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (by_status, 200))), ==, 1);
  searched = sd_test_http (s, "GET", "/api/v1/admin/orders?q=%ED%8F%AC%EC%9E%A5", admin, NULL, NULL);   /* 포장 */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (searched, 200))), ==, 1);

  /* staff may create in any status */
  admin_made = sd_test_http (s, "POST", "/api/v1/admin/orders", admin, preparing, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (admin_made, 201), "status"), ==, PREPARING);
  admin_deleted = sd_test_http (s, "DELETE", admin_path, admin, NULL, NULL);
  g_assert_cmpuint (admin_deleted->status, ==, 204);
}

/* Every order route × {owner, another customer, guest with key, guest
 * without key, admin}. */
static void
test_order_matrix (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *owner = customer_token (s);
  g_autofree char *other = sd_test_new_customer (s, "other@example.com", "Other1234!");
  g_autofree char *product = new_product (s, admin, 1000, "100");
  struct { const char *who; const char *token; gboolean guest_order; gboolean with_key; guint get, put, del; } actors[] = {
    { "owner", owner, FALSE, FALSE, 200, 200, 204 },
    { "another customer", other, FALSE, FALSE, 403, 403, 403 },
    { "guest with key", NULL, TRUE, TRUE, 200, 200, 204 },
    { "guest without key", NULL, TRUE, FALSE, 401, 401, 401 },
    { "guest with key, other's order", NULL, FALSE, TRUE, 403, 403, 403 },
    { "admin", admin, FALSE, FALSE, 200, 200, 204 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      g_autofree char *guest_key = NULL;
      g_autofree char *member_order = place_order (s, owner, product, 1000, NULL);
      g_autofree char *guest_order = place_order (s, NULL, product, 1000, &guest_key);
      const char *id = actors[i].guest_order ? guest_order : member_order;
      g_autofree char *path = actors[i].with_key
        ? g_strdup_printf ("/api/v1/orders/%s?key=%s", id, guest_key)
        : g_strdup_printf ("/api/v1/orders/%s", id);
      g_autoptr(SdTestReply) get = sd_test_http (s, "GET", path, actors[i].token, NULL, NULL);
      g_autoptr(SdTestReply) put = sd_test_http (s, "PUT", path, actors[i].token, "{\"memo\":\"경비실에 맡겨 주세요\"}", NULL);
      g_autoptr(SdTestReply) del = sd_test_http (s, "DELETE", path, actors[i].token, NULL, NULL);

      g_test_message ("%s", actors[i].who);
      g_assert_nonnull (guest_key);
      g_assert_cmpuint (get->status, ==, actors[i].get);
      g_assert_cmpuint (put->status, ==, actors[i].put);
      g_assert_cmpuint (del->status, ==, actors[i].del);
      if (actors[i].put == 200)
        g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (put, 200), "memo"), ==, "경비실에 맡겨 주세요");
    }
}

static void
test_guest_order (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 7000, "3");
  g_autofree char *body = order_json (product, 2, 7000, NULL, TRUE);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, NULL);
  g_autoptr(SdTestReply) status_change = NULL;
  g_autoptr(SdTestReply) cancelled = NULL;
  g_autofree char *path = NULL;
  JsonObject *o = sd_test_data_object (made, 201);
  const char *key = json_object_get_string_member (o, "accessKey");

  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "customerId"), "guest_"));
  g_assert_cmpuint (strlen (key), >=, 32);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "receiver"), "phoneNumber"), ==, "01012345678");
  g_assert_cmpint (product_stock (s, product), ==, 1);

  path = g_strdup_printf ("/api/v1/orders/%s?key=%s", json_object_get_string_member (o, "_id"), key);
  status_change = sd_test_http (s, "PUT", path, NULL, "{\"status\":\"구매 확정\"}", NULL);
  sd_test_assert_error (status_change, 400);   /* [fix] memo and receiver only */
  sd_test_expect_error (s, "PUT", path, NULL, "{\"receiver\":{\"name\":\"x\"}}", 400);
  cancelled = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
  g_assert_cmpuint (cancelled->status, ==, 204);
  g_assert_cmpint (product_stock (s, product), ==, 3);   /* given back */
}

typedef struct {
  guint     pending;
  guint     created, conflict, other;
  GPtrArray *ids;
} Race;

static void
race_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Race *race = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (msg);

  if (status == 201)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL));
      race->created++;
      g_ptr_array_add (race->ids, g_strdup (json_object_get_string_member (
        json_object_get_object_member (json_node_get_object (json_parser_get_root (p)), "data"), "_id")));
    }
  else if (status == 409)
    race->conflict++;
  else
    {
      g_test_message ("unexpected: %s HTTP %u %.*s", error ? error->message : "", status, body ? (int) g_bytes_get_size (body) : 0,
                      body ? (const char *) g_bytes_get_data (body, NULL) : "");
      race->other++;
    }
  race->pending--;
}

static gboolean
race_done (gpointer user_data)
{
  return ((Race *) user_data)->pending == 0;
}

static void
run_race (SdTestServer *s, guint n, const char *body, const char *idempotency_key, Race *race)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  g_autofree char *url = g_strconcat (s->url, "/api/v1/orders", NULL);

  race->ids = g_ptr_array_new_with_free_func (g_free);
  race->pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      if (idempotency_key)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", idempotency_key);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_cb, race);
    }
  sd_test_wait_for (race_done, race);
}

static void
test_stock_race (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 9900, "10");
  g_autofree char *body = order_json (product, 1, 9900, NULL, TRUE);
  g_autoptr(SdTestReply) all = NULL;
  Race race = { 0 };

  run_race (s, 50, body, NULL, &race);
  g_assert_cmpuint (race.created, ==, 10);
  g_assert_cmpuint (race.conflict, ==, 40);
  g_assert_cmpuint (race.other, ==, 0);
  g_assert_cmpint (product_stock (s, product), ==, 0);
  all = sd_test_http (s, "GET", "/api/v1/admin/orders?limit=100", admin, NULL, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "X-Total-Count"), ==, "10");
  {
    /* [ext] orders made at once never share a number */
    g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
    JsonArray *list = json_node_get_array (sd_test_data (all, 200));

    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_true (g_hash_table_add (numbers, (gpointer) json_object_get_string_member (
                                         json_array_get_object_element (list, i), "orderNumber")));
    g_assert_cmpuint (g_hash_table_size (numbers), ==, 10);
  }
  g_ptr_array_unref (race.ids);
}

static void
test_idempotency (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "null");
  g_autofree char *body = order_json (product, 1, 5000, NULL, TRUE);
  g_autoptr(SdTestReply) first = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, "Idempotency-Key", "k-1", NULL);
  g_autoptr(SdTestReply) retry = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, "Idempotency-Key", "k-1", NULL);
  g_autoptr(SdTestReply) all = NULL;
  Race race = { 0 };

  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (first, 201), "_id"), ==,
                   json_object_get_string_member (sd_test_data_object (retry, 201), "_id"));
  /* the guest who retried still learns the access key */
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (first, 201), "accessKey"), ==,
                   json_object_get_string_member (sd_test_data_object (retry, 201), "accessKey"));
  /* two at once with one key: one order */
  run_race (s, 2, body, "k-2", &race);
  g_assert_cmpuint (race.created, ==, 2);
  g_assert_cmpstr (race.ids->pdata[0], ==, race.ids->pdata[1]);
  all = sd_test_http (s, "GET", "/api/v1/admin/orders", admin, NULL, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "X-Total-Count"), ==, "2");
  g_ptr_array_unref (race.ids);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api/admin/matrix", test_admin_matrix);
  g_test_add_func ("/api/admin/user-info", test_user_info);
  g_test_add_func ("/api/admin/categories", test_admin_categories);
  g_test_add_func ("/api/admin/products", test_admin_products);
  g_test_add_func ("/api/orders/rules", test_order_rules);
  g_test_add_func ("/api/orders/matrix", test_order_matrix);
  g_test_add_func ("/api/orders/guest", test_guest_order);
  g_test_add_func ("/api/orders/stock-race", test_stock_race);
  g_test_add_func ("/api/orders/idempotency", test_idempotency);
  return g_test_run ();
}
