/* test-server-api-cancel.c — storedesk-server's [ext] "cancelled" and
 * "orderNumber" over real HTTP against a started server (fresh data dir
 * each): a cancelled order is kept, its stock given back once, left out
 * of lists unless asked for, and frozen; every order has a human number,
 * a per-day sequence in Asia/Seoul, given again to orders from before,
 * and it finds the order in place of its id, with the order's key. */
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-api.h"

#define CANCELLED "주문 취소"
#define INCLUDE "includeCancelled=1"

static guint
list_length (SdTestServer *s, const char *path, const char *token)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, token, NULL, NULL);

  return json_array_get_length (json_node_get_array (sd_test_data (r, 200)));
}

static const char *
status_of (SdTestReply *r)
{
  return json_object_get_string_member (sd_test_data_object (r, 200), "status");
}

static gboolean
lists_feature (SdTestServer *s, const char *feature)
{
  g_autoptr(SdTestReply) health = sd_test_http (s, "GET", "/health", NULL, NULL, NULL);
  JsonArray *features = json_object_get_array_member (sd_test_data_object (health, 200), "features");

  for (guint i = 0; features && i < json_array_get_length (features); i++)
    if (g_strcmp0 (json_array_get_string_element (features, i), feature) == 0)
      return TRUE;
  return FALSE;
}

/* ---- cancelled ------------------------------------------------------ */

static void
test_cancel_kept (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "10");
  g_autofree char *kept = place_order (s, customer, product, 5000, NULL);
  g_autofree char *id = place_order (s, customer, product, 5000, NULL);
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autofree char *admin_path = g_strconcat ("/api/v1/admin/orders/", id, NULL);
  g_autoptr(SdTestReply) cancel = NULL;
  g_autoptr(SdTestReply) again = NULL;
  g_autoptr(SdTestReply) read = NULL;
  g_autoptr(SdTestReply) admin_read = NULL;
  g_autoptr(SdTestReply) all = NULL;

  g_assert_true (lists_feature (s, "cancelled"));
  g_assert_cmpint (product_stock (s, product), ==, 8);
  cancel = sd_test_http (s, "DELETE", path, customer, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 204);
  g_assert_cmpint (product_stock (s, product), ==, 9);   /* given back */

  /* a second cancel is refused as for an order that cannot be
   * cancelled, and gives nothing back */
  again = sd_test_http (s, "DELETE", path, customer, NULL, NULL);
  sd_test_assert_error (again, 409);
  g_assert_cmpint (product_stock (s, product), ==, 9);

  /* still there, cancelled */
  read = sd_test_http (s, "GET", path, customer, NULL, NULL);
  g_assert_cmpstr (status_of (read), ==, CANCELLED);
  admin_read = sd_test_http (s, "GET", path, admin, NULL, NULL);
  g_assert_cmpstr (status_of (admin_read), ==, CANCELLED);

  /* lists leave it out unless asked */
  g_assert_cmpuint (list_length (s, "/api/v1/orders", customer), ==, 1);
  g_assert_cmpuint (list_length (s, "/api/v1/orders?" INCLUDE, customer), ==, 2);
  g_assert_cmpuint (list_length (s, "/api/v1/orders?includeCancelled=0", customer), ==, 1);
  g_assert_cmpuint (list_length (s, "/api/v1/admin/orders", admin), ==, 1);
  all = sd_test_http (s, "GET", "/api/v1/admin/orders?page=1&limit=10&" INCLUDE, admin, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (all, 200))), ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "X-Total-Count"), ==, "2");
  /* asked for by status, it is listed */
  g_assert_cmpuint (list_length (s, "/api/v1/admin/orders?status=%EC%A3%BC%EB%AC%B8%20%EC%B7%A8%EC%86%8C", admin), ==, 1);
  g_assert_cmpuint (list_length (s, "/api/v1/admin/orders/status?status=%EC%A3%BC%EB%AC%B8%20%EC%B7%A8%EC%86%8C", admin),
                    ==, 1);

  /* frozen: the customer cannot change it, staff cannot move it on */
  sd_test_expect_error (s, "PUT", path, customer, "{\"memo\":\"다시요\"}", 409);
  sd_test_expect_error (s, "PUT", path, customer, "{\"status\":\"결제 완료\"}", 400);
  sd_test_expect_error (s, "PUT", admin_path, admin, "{\"status\":\"결제 완료\"}", 409);
  sd_test_expect_error (s, "PUT", admin_path, admin, "{\"memo\":\"x\"}", 409);
  g_assert_cmpint (product_stock (s, product), ==, 9);

  /* staff cancel by cancelling, not by status; nor create one cancelled */
  {
    g_autofree char *live = g_strconcat ("/api/v1/admin/orders/", kept, NULL);
    g_autofree char *body = order_json (product, 1, 5000, CANCELLED, FALSE);

    sd_test_expect_error (s, "PUT", live, admin, "{\"status\":\"" CANCELLED "\"}", 400);
    sd_test_expect_error (s, "POST", "/api/v1/admin/orders", admin, body, 400);
    sd_test_expect_error (s, "POST", "/api/v1/orders", customer, body, 400);
  }

  /* staff's delete still deletes (API.md: DELETE /admin/orders/:id) */
  {
    g_autoptr(SdTestReply) del = sd_test_http (s, "DELETE", admin_path, admin, NULL, NULL);

    g_assert_cmpuint (del->status, ==, 204);
    sd_test_expect_error (s, "GET", path, customer, NULL, 404);
    g_assert_cmpint (product_stock (s, product), ==, 9);   /* not given back twice */
  }
}

/* A guest with the key cancels; an order being prepared cannot be. */
static void
test_cancel_guest (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 3000, "5");
  g_autofree char *key = NULL;
  g_autofree char *id = place_order (s, NULL, product, 3000, &key);
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%s?key=%s", id, key);
  g_autofree char *bare = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autoptr(SdTestReply) cancel = NULL;
  g_autoptr(SdTestReply) read = NULL;

  sd_test_expect_error (s, "DELETE", bare, NULL, NULL, 401);
  cancel = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 204);
  read = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  g_assert_cmpstr (status_of (read), ==, CANCELLED);
  sd_test_expect_error (s, "DELETE", path, NULL, NULL, 409);
  g_assert_cmpint (product_stock (s, product), ==, 5);
}

/* ---- order numbers --------------------------------------------------- */

static char *
seoul_today (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
  g_autoptr(GTimeZone) fixed = g_time_zone_new_offset (9 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz ? tz : fixed);

  return g_date_time_format (now, "%Y%m%d");
}

static char *
number_of (SdTestServer *s, const char *token, const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, token, NULL, NULL);

  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 200), "orderNumber"));
}

static void
test_order_number (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 1000, "null");
  g_autofree char *today = seoul_today ();
  g_autofree char *body = order_json (product, 1, 1000, NULL, TRUE);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/orders", customer, body, NULL);
  g_autoptr(SdTestReply) mine = NULL;
  g_autoptr(SdTestReply) staff = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *first;
  guint n_first;

  g_assert_true (lists_feature (s, "orderNumber"));
  first = json_object_get_string_member (sd_test_data_object (made, 201), "orderNumber");
  g_assert_nonnull (first);
  g_assert_cmpuint (strlen (first), ==, 13);
  g_assert_true (g_str_has_prefix (first, today));
  g_assert_cmpint (first[8], ==, '-');
  n_first = (guint) g_ascii_strtoull (first + 9, NULL, 10);
  g_assert_cmpuint (n_first, >=, 1);
  g_hash_table_add (seen, g_strdup (first));

  /* the next ones follow, for members, guests and staff alike */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = place_order (s, i == 1 ? NULL : customer, product, 1000, NULL);
      g_autofree char *number = number_of (s, admin, id);
      g_autofree char *expected = g_strdup_printf ("%s-%04u", today, n_first + i + 1);

      g_assert_cmpstr (number, ==, expected);
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&number)));
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }

  /* on every list */
  mine = sd_test_http (s, "GET", "/api/v1/orders", customer, NULL, NULL);
  {
    JsonArray *list = json_node_get_array (sd_test_data (mine, 200));
    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_true (g_hash_table_contains (seen, json_object_get_string_member (json_array_get_object_element (list, i),
                                                                                 "orderNumber")));
  }
  staff = sd_test_http (s, "GET", "/api/v1/admin/orders?page=1&limit=10", admin, NULL, NULL);
  {
    JsonArray *list = json_node_get_array (sd_test_data (staff, 200));
    g_assert_cmpuint (json_array_get_length (list), ==, 4);
    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_true (g_hash_table_contains (seen, json_object_get_string_member (json_array_get_object_element (list, i),
                                                                                 "orderNumber")));
  }

  /* a shop from before numbers: its orders get them, oldest first */
  if (sd_test_sqlite_only ("a shop from before order numbers (schema 5) is a SQLite file"))
    return;
  sd_test_server_kill (s);
  g_assert_cmpint (sd_test_server_run_sql (s, "DROP TABLE activity; DROP TABLE order_days;"
                                              " DROP INDEX orders_by_number;"
                                              " ALTER TABLE orders DROP COLUMN order_number;"
                                              " PRAGMA user_version = 5;"), >=, 0);
  sd_test_server_restart (s, TRUE);
  {
    g_autofree char *again_admin = admin_token (s);
    g_autofree char *expected = g_strdup_printf ("%s-%04u", today, n_first + 1);
    g_autofree char *number = number_of (s, again_admin, ids->pdata[0]);

    /* the same number again: given in creation order */
    g_assert_cmpstr (number, ==, expected);
  }
}

/* A guest finds, changes and cancels the order by the number and the key
 * the checkout showed; the number alone opens nothing, even where an id
 * alone reads an order (--order-links): numbers follow each other. A
 * refusal by number looks like a number that was never given. */
static void
test_order_number_lookup (gconstpointer data)
{
  const char * const links[] = { "--order-links", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start_with (TRUE, data ? links : NULL);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 2000, "4");
  g_autofree char *key = NULL;
  g_autofree char *id = place_order (s, NULL, product, 2000, &key);
  g_autofree char *number = number_of (s, admin, id);
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%s?key=%s", number, key);
  g_autofree char *bare = g_strconcat ("/api/v1/orders/", number, NULL);
  g_autofree char *wrong = g_strconcat (bare, "?key=0123456789abcdef0123456789abcdef", NULL);
  g_autoptr(SdTestReply) read = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  g_autoptr(SdTestReply) memo = NULL;
  g_autoptr(SdTestReply) cancel = NULL;
  g_autoptr(SdTestReply) again = NULL;

  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (read, 200), "_id"), ==, id);
  /* refused by number: as if there were none, or the numbers would
   * count the shop's orders */
  sd_test_expect_error (s, "GET", bare, NULL, NULL, 404);
  sd_test_expect_error (s, "GET", wrong, NULL, NULL, 404);
  sd_test_expect_error (s, "GET", "/api/v1/orders/20000101-0001?key=00", NULL, NULL, 404);
  memo = sd_test_http (s, "PUT", path, NULL, "{\"memo\": \"by number\"}", NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (memo, 200), "memo"), ==, "by number");
  cancel = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 204);
  again = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  g_assert_cmpstr (status_of (again), ==, CANCELLED);
  g_assert_cmpint (product_stock (s, product), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api/orders/cancel/kept", test_cancel_kept);
  g_test_add_func ("/api/orders/cancel/guest", test_cancel_guest);
  g_test_add_func ("/api/orders/number", test_order_number);
  g_test_add_data_func ("/api/orders/number/lookup", NULL, test_order_number_lookup);
  g_test_add_data_func ("/api/orders/number/lookup-links", "links", test_order_number_lookup);
  return g_test_run ();
}
