/* test-server-conditional.c — storedesk-server's [ext] "conditional"
 * writes over real HTTP (shared/API.md): a write names the copy it was
 * made on (If-Match: "<updatedAt>", or baseUpdatedAt in the body); a
 * stale copy is answered 412 with the record as it is, and nothing
 * changes; of two writes on the same copy, on two nodes at once, exactly
 * one lands; every change moves updatedAt forward, sales included; a
 * stock change sent as stockDelta adds up under concurrent checkouts and
 * never goes below 0. --no-extensions knows none of it. */
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-api.h"

#define FUTURE "2999-01-01T00:00:00.000Z"

/* The record at path, its updatedAt and the ETag it came with. */
static char *
updated_at_of (SdTestServer *s, const char *path, const char *token, char **out_etag)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, token, NULL, NULL);
  const char *updated = json_object_get_string_member (sd_test_data_object (r, 200), "updatedAt");

  g_assert_nonnull (updated);
  if (out_etag)
    *out_etag = g_strdup (soup_message_headers_get_one (r->headers, "ETag"));
  return g_strdup (updated);
}

static char *
quoted (const char *updated_at)
{
  return g_strdup_printf ("\"%s\"", updated_at);
}

/* A refusal that carries the record as it is: the status, an error
 * message, the record in data and its ETag. */
static JsonObject *
current_of (SdTestReply *r, guint status)
{
  JsonObject *envelope;
  JsonObject *data;
  g_autofree char *etag = NULL;

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  envelope = json_node_get_object (r->root);
  g_assert_nonnull (json_object_get_string_member (envelope, "error"));
  data = json_object_get_object_member (envelope, "data");
  g_assert_nonnull (data);
  etag = quoted (json_object_get_string_member (data, "updatedAt"));
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, etag);
  return data;
}

static gint64
price_of (SdTestServer *s, const char *path)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  return json_object_get_int_member (sd_test_data_object (r, 200), "price");
}

/* ---- one writer --------------------------------------------------------- */

static void
test_product_conditional (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *id = new_product (s, admin, 5000, "10");
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autofree char *admin_path = g_strconcat ("/api/v1/admin/products/", id, NULL);
  g_autofree char *etag0 = NULL;
  g_autofree char *u0 = updated_at_of (s, path, NULL, &etag0);
  g_autofree char *expected = quoted (u0);
  g_autofree char *by_field = g_strdup_printf ("{\"price\":6000,\"baseUpdatedAt\":\"%s\"}", u0);
  g_autoptr(SdTestReply) first = NULL;
  g_autoptr(SdTestReply) stale = NULL;
  g_autoptr(SdTestReply) stale_field = NULL;
  g_autoptr(SdTestReply) both = NULL;
  g_autoptr(SdTestReply) weak = NULL;
  g_autoptr(SdTestReply) any = NULL;
  g_autofree char *weak_tag = g_strconcat ("W/", etag0, NULL);
  JsonObject *now;
  const char *u1;

  /* GET sends the ETag: updatedAt in quotes */
  g_assert_cmpstr (etag0, ==, expected);

  /* a matching base applies, and moves updatedAt on */
  first = sd_test_http (s, "PUT", admin_path, admin, by_field, NULL);
  u1 = json_object_get_string_member (sd_test_data_object (first, 200), "updatedAt");
  g_assert_cmpstr (u1, >, u0);
  g_assert_cmpint (price_of (s, path), ==, 6000);

  /* the same base again is stale: 412 with the product as it is now,
   * by header and by field, and nothing changes */
  stale = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":7000}", "If-Match", etag0, NULL);
  now = current_of (stale, 412);
  g_assert_cmpint (json_object_get_int_member (now, "price"), ==, 6000);
  g_assert_cmpstr (json_object_get_string_member (now, "updatedAt"), ==, u1);
  stale_field = sd_test_http (s, "PUT", admin_path, admin, by_field, NULL);
  current_of (stale_field, 412);
  g_assert_cmpint (price_of (s, path), ==, 6000);
  {
    g_autofree char *u = updated_at_of (s, path, NULL, NULL);
    g_assert_cmpstr (u, ==, u1);
  }

  /* a header and a field that disagree, and a weak tag, are refused */
  both = sd_test_http (s, "PUT", admin_path, admin, by_field, "If-Match", "\"2024-01-01T00:00:00.000Z\"", NULL);
  sd_test_assert_error (both, 400);
  weak = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":7000}", "If-Match", weak_tag, NULL);
  sd_test_assert_error (weak, 400);

  /* If-Match: * and no base at all write as before */
  any = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":7000}", "If-Match", "*", NULL);
  sd_test_data (any, 200);
  g_assert_cmpint (price_of (s, path), ==, 7000);
}

static void
test_category_conditional (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"조건부\"}", NULL);
  const char *id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");
  g_autofree char *path = g_strconcat ("/api/v1/categories/", id, NULL);
  g_autofree char *admin_path = g_strconcat ("/api/v1/admin/categories/", id, NULL);
  g_autofree char *etag0 = NULL;
  g_autofree char *u0 = updated_at_of (s, path, NULL, &etag0);
  g_autoptr(SdTestReply) renamed = NULL;
  g_autoptr(SdTestReply) stale = NULL;
  g_autoptr(SdTestReply) list = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  JsonArray *all = json_node_get_array (sd_test_data (list, 200));

  /* every category on the wire has updatedAt */
  for (guint i = 0; i < json_array_get_length (all); i++)
    g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (all, i), "updatedAt"));

  renamed = sd_test_http (s, "PUT", admin_path, admin, "{\"name\":\"조건부 둘\"}", "If-Match", etag0, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (renamed, 200), "updatedAt"), >, u0);

  stale = sd_test_http (s, "PUT", admin_path, admin, "{\"name\":\"조건부 셋\"}", "If-Match", etag0, NULL);
  g_assert_cmpstr (json_object_get_string_member (current_of (stale, 412), "name"), ==, "조건부 둘");
}

static void
test_order_conditional (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "10");
  g_autofree char *id = place_order (s, customer, product, 5000, NULL);
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autofree char *admin_path = g_strconcat ("/api/v1/admin/orders/", id, NULL);
  g_autofree char *etag0 = NULL;
  g_autofree char *u0 = updated_at_of (s, path, customer, &etag0);
  g_autofree char *memo = g_strdup_printf ("{\"memo\":\"경비실에 맡겨 주세요\",\"baseUpdatedAt\":\"%s\"}", u0);
  g_autofree char *etag1 = NULL;
  g_autofree char *u1 = NULL;
  g_autoptr(SdTestReply) edited = NULL;
  g_autoptr(SdTestReply) stale_edit = NULL;
  g_autoptr(SdTestReply) stale_status = NULL;
  g_autoptr(SdTestReply) stale_cancel = NULL;
  g_autoptr(SdTestReply) cancel = NULL;
  g_autoptr(SdTestReply) read = NULL;

  /* the owner's memo, on the copy they have */
  edited = sd_test_http (s, "PUT", path, customer, memo, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (edited, 200), "updatedAt"), >, u0);
  u1 = updated_at_of (s, path, customer, &etag1);

  /* the same copy again: 412 with the order as it is, for the owner's
   * edit, staff's status change and the cancel alike */
  stale_edit = sd_test_http (s, "PUT", path, customer, memo, NULL);
  g_assert_cmpstr (json_object_get_string_member (current_of (stale_edit, 412), "memo"), ==, "경비실에 맡겨 주세요");
  stale_status = sd_test_http (s, "PUT", admin_path, admin, "{\"status\":\"" PREPARING "\"}", "If-Match", etag0, NULL);
  g_assert_cmpstr (json_object_get_string_member (current_of (stale_status, 412), "status"), ==, "입금 대기");
  stale_cancel = sd_test_http (s, "DELETE", path, customer, NULL, "If-Match", etag0, NULL);
  current_of (stale_cancel, 412);
  g_assert_cmpint (product_stock (s, product), ==, 9);   /* nothing given back */
  {
    g_autofree char *u = updated_at_of (s, path, customer, NULL);
    g_assert_cmpstr (u, ==, u1);
  }

  /* on the current copy the cancel lands, and moves updatedAt on */
  cancel = sd_test_http (s, "DELETE", path, customer, NULL, "If-Match", etag1, NULL);
  g_assert_cmpuint (cancel->status, ==, 204);
  read = sd_test_http (s, "GET", path, customer, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (read, 200), "updatedAt"), >, u1);
  g_assert_cmpint (product_stock (s, product), ==, 10);
}

/* Sales change the product: a checkout and a cancel move its updatedAt,
 * and forward even when the clock is behind the product's own. */
static void
test_sales_bump (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "10");
  g_autofree char *path = g_strconcat ("/api/v1/products/", product, NULL);
  g_autofree char *u0 = updated_at_of (s, path, NULL, NULL);
  g_autofree char *u1 = NULL;
  g_autofree char *u2 = NULL;
  g_autofree char *u3 = NULL;
  g_autofree char *id = place_order (s, customer, product, 5000, NULL);
  g_autofree char *order = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE products SET updated_at = '" FUTURE "' WHERE id = '%s'", product);
  g_autoptr(SdTestReply) cancel = NULL;

  u1 = updated_at_of (s, path, NULL, NULL);
  g_assert_cmpstr (u1, >, u0);
  g_assert_cmpint (product_stock (s, product), ==, 9);

  /* a node whose clock is behind still moves it forward */
  g_assert_cmpint (sd_test_server_run_sql (s, sql), ==, 1);
  cancel = sd_test_http (s, "DELETE", order, customer, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 204);
  u2 = updated_at_of (s, path, NULL, NULL);
  g_assert_cmpstr (u2, ==, "2999-01-01T00:00:00.001Z");
  g_assert_cmpint (product_stock (s, product), ==, 10);
  g_free (place_order (s, customer, product, 5000, NULL));
  u3 = updated_at_of (s, path, NULL, NULL);
  g_assert_cmpstr (u3, ==, "2999-01-01T00:00:00.002Z");
}

/* ---- writers at once, on two nodes -------------------------------------- */

typedef struct {
  SdTestServer *server;
  const char   *token;
  const char   *method;
  char         *path;
  char         *body;
  SdTestReply  *reply;
} Write;

static gpointer
write_thread (gpointer data)
{
  Write *w = data;

  w->reply = sd_test_http (w->server, w->method, w->path, w->token, w->body, NULL);
  return NULL;
}

/* Sends every write at once, each from its own thread; waits for all. */
static void
write_all (Write *writes, guint n)
{
  g_autofree GThread **threads = g_new (GThread *, n);

  for (guint i = 0; i < n; i++)
    threads[i] = g_thread_new ("writer", write_thread, &writes[i]);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

static void
writes_clear (Write *writes, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (writes[i].path);
      g_free (writes[i].body);
      sd_test_reply_free (writes[i].reply);
    }
}

#define N_SAME_BASE 8

static void
test_same_base_once (void)
{
  g_autoptr(SdTestServer) a = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) b = sd_test_server_start_sharing (a, TRUE, NULL);
  g_autofree char *admin = admin_token (a);
  g_autofree char *id = new_product (a, admin, 5000, "10");
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autofree char *u0 = updated_at_of (a, path, NULL, NULL);
  Write writes[N_SAME_BASE];
  gint64 winner = -1;
  guint won = 0;

  for (guint i = 0; i < N_SAME_BASE; i++)
    writes[i] = (Write) {
      i % 2 ? b : a, admin, "PUT", g_strconcat ("/api/v1/admin/products/", id, NULL),
      g_strdup_printf ("{\"price\":%u,\"baseUpdatedAt\":\"%s\"}", 6000 + i, u0), NULL,
    };
  write_all (writes, N_SAME_BASE);
  for (guint i = 0; i < N_SAME_BASE; i++)
    if (writes[i].reply->status == 200)
      {
        won++;
        winner = 6000 + i;
      }
    else
      current_of (writes[i].reply, 412);
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpint (price_of (a, path), ==, winner);
  writes_clear (writes, N_SAME_BASE);
}

static void
test_stock_delta (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *id = new_product (s, admin, 5000, "10");
  g_autofree char *untracked = new_product (s, admin, 5000, "null");
  g_autofree char *path = g_strconcat ("/api/v1/admin/products/", id, NULL);
  g_autofree char *untracked_path = g_strconcat ("/api/v1/admin/products/", untracked, NULL);
  g_autoptr(SdTestReply) added = sd_test_http (s, "PUT", path, admin, "{\"stockDelta\":5}", NULL);
  g_autoptr(SdTestReply) too_much = NULL;
  g_autoptr(SdTestReply) both = NULL;
  g_autoptr(SdTestReply) not_tracked = NULL;

  g_assert_cmpint (json_object_get_int_member (sd_test_data_object (added, 200), "stock"), ==, 15);
  too_much = sd_test_http (s, "PUT", path, admin, "{\"stockDelta\":-16,\"price\":1}", NULL);
  g_assert_cmpint (json_object_get_int_member (current_of (too_much, 409), "stock"), ==, 15);
  g_assert_cmpint (product_stock (s, id), ==, 15);
  both = sd_test_http (s, "PUT", path, admin, "{\"stockDelta\":1,\"stock\":3}", NULL);
  sd_test_assert_error (both, 400);
  not_tracked = sd_test_http (s, "PUT", untracked_path, admin, "{\"stockDelta\":1}", NULL);
  current_of (not_tracked, 409);
}

#define N_CHECKOUTS 8
#define N_TAKES 6
#define N_PUTS 2
#define N_STOCK_WRITES (N_CHECKOUTS + N_TAKES + N_PUTS)
#define START_STOCK 6

/* Checkouts on two nodes and staff's stock deltas, all at once, on a
 * product with less stock than they want: the stock ends as its start
 * less what was sold and taken plus what was put back, never below 0,
 * and each refusal is a 409. */
static void
test_stock_delta_concurrent (void)
{
  g_autoptr(SdTestServer) a = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) b = sd_test_server_start_sharing (a, TRUE, NULL);
  g_autofree char *admin = admin_token (a);
  g_autofree char *customer = customer_token (a);
  g_autofree char *id = new_product (a, admin, 5000, G_STRINGIFY (START_STOCK));
  Write writes[N_STOCK_WRITES];
  gint64 expected = START_STOCK;

  for (guint i = 0; i < N_STOCK_WRITES; i++)
    {
      gboolean checkout = i < N_CHECKOUTS;
      gboolean put = i >= N_CHECKOUTS + N_TAKES;

      writes[i] = (Write) {
        i % 2 ? b : a, checkout ? customer : admin, checkout ? "POST" : "PUT",
        checkout ? g_strdup ("/api/v1/orders") : g_strconcat ("/api/v1/admin/products/", id, NULL),
        checkout ? order_json (id, 1, 5000, NULL, TRUE) : g_strdup (put ? "{\"stockDelta\":1}" : "{\"stockDelta\":-1}"),
        NULL,
      };
    }
  write_all (writes, N_STOCK_WRITES);
  for (guint i = 0; i < N_STOCK_WRITES; i++)
    {
      guint status = writes[i].reply->status;

      if (status == 409)
        continue;
      g_assert_cmpuint (status, ==, i < N_CHECKOUTS ? 201 : 200);
      expected += i >= N_CHECKOUTS + N_TAKES ? 1 : -1;
    }
  g_assert_cmpint (expected, >=, 0);
  g_assert_cmpint (product_stock (a, id), ==, expected);
  writes_clear (writes, N_STOCK_WRITES);
}

/* ---- the original's mode ------------------------------------------------- */

/* Does /health name feature? Read as text: the original's answer is no
 * envelope. */
static gboolean
health_names (SdTestServer *s, const char *feature)
{
  g_autoptr(SdTestReply) health = sd_test_http (s, "GET", "/health", NULL, NULL, NULL);
  g_autofree char *quoted_feature = g_strdup_printf ("\"%s\"", feature);
  gsize len = 0;
  const char *text = g_bytes_get_data (health->body, &len);

  g_assert_cmpuint (health->status, ==, 200);
  return g_strstr_len (text, (gssize) len, quoted_feature) != NULL;
}

static void
test_original_unconditional (void)
{
  const char * const args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) ours = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) s = sd_test_server_start_with (TRUE, args);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  JsonObject *cat = json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0);
  g_autofree char *path = g_strconcat ("/api/v1/categories/", json_object_get_string_member (cat, "_id"), NULL);
  g_autofree char *admin_path = g_strconcat ("/api/v1/admin/categories/", json_object_get_string_member (cat, "_id"),
                                             NULL);
  g_autoptr(SdTestReply) read = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  g_autoptr(SdTestReply) renamed = NULL;
  g_autoptr(SdTestReply) again = NULL;

  g_assert_true (health_names (ours, "conditional"));
  g_assert_false (health_names (s, "conditional"));
  g_assert_null (soup_message_headers_get_one (read->headers, "ETag"));

  /* a stale base is no condition there: both writes land */
  renamed = sd_test_http (s, "PUT", admin_path, admin,
                          "{\"name\":\"조건 하나\",\"baseUpdatedAt\":\"2000-01-01T00:00:00.000Z\"}",
                          "If-Match", "\"2000-01-01T00:00:00.000Z\"", NULL);
  g_assert_cmpuint (renamed->status, ==, 200);
  again = sd_test_http (s, "PUT", admin_path, admin, "{\"name\":\"조건 둘\"}",
                        "If-Match", "\"2000-01-01T00:00:00.000Z\"", NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (again->headers, "ETag"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/conditional/product", test_product_conditional);
  g_test_add_func ("/server/conditional/category", test_category_conditional);
  g_test_add_func ("/server/conditional/order", test_order_conditional);
  g_test_add_func ("/server/conditional/sales-bump", test_sales_bump);
  g_test_add_func ("/server/conditional/same-base-once", test_same_base_once);
  g_test_add_func ("/server/conditional/stock-delta", test_stock_delta);
  g_test_add_func ("/server/conditional/stock-delta-concurrent", test_stock_delta_concurrent);
  g_test_add_func ("/server/conditional/original", test_original_unconditional);
  return g_test_run ();
}
