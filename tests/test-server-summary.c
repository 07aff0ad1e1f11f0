/* test-server-summary.c — [ext] "summary": the figures of a shop seeded
 * with known orders (revenue from paid orders only, per shop-local day,
 * per status, top products), and its refusals: a bad range, a bad time
 * zone, a customer's token, a shop without the extension. */
#include <string.h>

#include "sd-test-api.h"

static char *
today_in (const char *zone)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
set_status (SdTestServer *s, const char *admin, const char *order, const char *status)
{
  g_autofree char *path = g_strconcat ("/api/v1/admin/orders/", order, NULL);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(SdTestReply) r = sd_test_http (s, "PUT", path, admin, body, NULL);

  sd_test_data (r, 200);
}

/* An order of count × product at price, as a member places it. */
static char *
order_of (SdTestServer *s, const char *token, const char *product, gint64 count, gint64 price)
{
  g_autofree char *body = order_json (product, count, price, NULL, TRUE);
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/orders", token, body, NULL);

  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 201), "_id"));
}

static JsonObject *
summary (SdTestServer *s, const char *token, const char *query, guint status)
{
  g_autofree char *path = g_strconcat ("/api/v1/admin/summary", query, NULL);
  SdTestReply *r = sd_test_http (s, "GET", path, token, NULL, NULL);
  JsonObject *o = NULL;

  if (status == 200)
    o = json_object_ref (sd_test_data_object (r, 200));
  else
    sd_test_assert_error (r, status);
  sd_test_reply_free (r);
  return o;
}

static gint64
member_int (JsonObject *o, const char *member)
{
  return json_object_get_int_member (o, member);
}

static gint64
status_count (JsonObject *sum, const char *status)
{
  JsonArray *statuses = json_object_get_array_member (sum, "statuses");

  for (guint i = 0; i < json_array_get_length (statuses); i++)
    {
      JsonObject *e = json_array_get_object_element (statuses, i);

      if (g_strcmp0 (json_object_get_string_member (e, "status"), status) == 0)
        return member_int (e, "orders");
    }
  g_assert_not_reached ();
}

static void
test_figures (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *basket = new_product (s, admin, 5000, "100");
  g_autofree char *shelf = new_product (s, admin, 8000, "100");
  g_autofree char *a = order_of (s, customer, basket, 2, 5000);    /* paid: 10,000 */
  g_autofree char *b = order_of (s, customer, shelf, 1, 8000);     /* awaiting payment: not revenue */
  g_autofree char *c = order_of (s, customer, shelf, 3, 8000);     /* preparing: 24,000 */
  g_autofree char *d = order_of (s, customer, basket, 1, 5000);    /* cancelled: not revenue */
  g_autofree char *today = today_in ("Asia/Seoul");
  g_autofree char *query = g_strdup_printf ("?from=%s&to=%s", today, today);
  g_autoptr(JsonObject) sum = NULL;
  g_autoptr(SdTestReply) cancelled = NULL;
  g_autofree char *cancel_path = g_strconcat ("/api/v1/orders/", d, NULL);
  JsonObject *totals, *day, *top;
  JsonArray *by_revenue, *by_quantity;

  set_status (s, admin, a, PAID);
  set_status (s, admin, c, PREPARING);
  cancelled = sd_test_http (s, "DELETE", cancel_path, customer, NULL, NULL);
  g_assert_cmpuint (cancelled->status, <, 300);
  (void) b;

  sum = summary (s, admin, query, 200);
  g_assert_cmpstr (json_object_get_string_member (sum, "timeZone"), ==, "Asia/Seoul");
  totals = json_object_get_object_member (sum, "totals");
  g_assert_cmpint (member_int (totals, "orders"), ==, 4);
  g_assert_cmpint (member_int (totals, "paidOrders"), ==, 2);
  g_assert_cmpint (member_int (totals, "revenue"), ==, 10000 + 24000);
  g_assert_cmpint (member_int (totals, "items"), ==, 2 + 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sum, "days")), ==, 1);
  day = json_array_get_object_element (json_object_get_array_member (sum, "days"), 0);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, today);
  g_assert_cmpint (member_int (day, "revenue"), ==, 34000);
  g_assert_cmpint (status_count (sum, "입금 대기"), ==, 1);
  g_assert_cmpint (status_count (sum, PAID), ==, 1);
  g_assert_cmpint (status_count (sum, PREPARING), ==, 1);
  g_assert_cmpint (status_count (sum, "주문 취소"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sum, "statuses")), ==, 7);
  by_revenue = json_object_get_array_member (sum, "topByRevenue");
  by_quantity = json_object_get_array_member (sum, "topByQuantity");
  g_assert_cmpuint (json_array_get_length (by_revenue), ==, 2);
  top = json_array_get_object_element (by_revenue, 0);
  g_assert_cmpstr (json_object_get_string_member (top, "productId"), ==, shelf);
  g_assert_cmpint (member_int (top, "revenue"), ==, 24000);
  g_assert_cmpint (member_int (top, "quantity"), ==, 3);
  top = json_array_get_object_element (by_quantity, 1);
  g_assert_cmpstr (json_object_get_string_member (top, "productId"), ==, basket);
  g_assert_cmpint (member_int (top, "quantity"), ==, 2);   /* the cancelled one's does not count */

  /* A week ending today: seven days listed, the orders on the last. */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
    g_autoptr(GDateTime) now = g_date_time_new_now (tz);
    g_autoptr(GDateTime) week_ago = g_date_time_add_days (now, -6);
    g_autofree char *from = g_date_time_format (week_ago, "%Y-%m-%d");
    g_autofree char *week = g_strdup_printf ("?from=%s&to=%s&top=1", from, today);
    g_autoptr(JsonObject) w = summary (s, admin, week, 200);
    JsonArray *days = json_object_get_array_member (w, "days");

    g_assert_cmpuint (json_array_get_length (days), ==, 7);
    g_assert_cmpint (member_int (json_array_get_object_element (days, 0), "orders"), ==, 0);
    g_assert_cmpint (member_int (json_array_get_object_element (days, 6), "orders"), ==, 4);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (w, "topByRevenue")), ==, 1);
  }
}

/* Days end where the time zone says: far from Seoul, today's orders may
 * fall on another date, but the totals of a range around them agree. */
static void
test_time_zone (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 3000, "100");
  g_autofree char *order = order_of (s, customer, product, 1, 3000);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Pacific/Honolulu");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) after = g_date_time_add_days (now, 1);
  g_autofree char *from = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (after, "%Y-%m-%d");
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *query = g_strdup_printf ("?from=%s&to=%s&timeZone=Pacific/Honolulu", from, to);
  g_autoptr(JsonObject) sum = NULL;
  JsonArray *days;

  set_status (s, admin, order, PAID);
  sum = summary (s, admin, query, 200);
  days = json_object_get_array_member (sum, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (days, 1), "date"), ==, today);
  g_assert_cmpint (member_int (json_array_get_object_element (days, 1), "revenue"), ==, 3000);
  g_assert_cmpint (member_int (json_object_get_object_member (sum, "totals"), "revenue"), ==, 3000);
}

static void
test_refused (void)
{
  static const char * const no_ext[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) original = sd_test_server_start_with (TRUE, no_ext);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *big_zone = g_strnfill (100, 'A');
  g_autofree char *zone_query = g_strdup_printf ("?from=2026-01-01&to=2026-01-02&timeZone=%s", big_zone);
  const char *bad[] = {
    "", "?from=2026-01-01", "?from=2026-1-01&to=2026-01-02", "?from=2026-02-30&to=2026-03-01",
    "?from=2026-03-02&to=2026-03-01", "?from=2025-01-01&to=2026-01-02", "?from=+026-01-01&to=2026-01-02",
    "?from=2026-01-01&to=2026-01-02&timeZone=Nowhere/Land", "?from=2026-01-01&to=2026-01-02&timeZone=../etc",
    "?from=2026-01-01&to=2026-01-02&top=0", "?from=2026-01-01&to=2026-01-02&top=51", zone_query,
  };
  g_autoptr(SdTestReply) anonymous = sd_test_http (s, "GET", "/api/v1/admin/summary?from=2026-01-01&to=2026-01-01",
                                                   NULL, NULL, NULL);
  g_autoptr(SdTestReply) none = sd_test_http (original, "GET",
                                              "/api/v1/admin/summary?from=2026-01-01&to=2026-01-01", NULL, NULL, NULL);
  g_autoptr(JsonObject) year = summary (s, admin, "?from=2024-01-01&to=2024-12-31", 200);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) refused = summary (s, admin, bad[i], 400);
    }
  g_assert_null (summary (s, customer, "?from=2026-01-01&to=2026-01-01", 403));
  sd_test_assert_error (anonymous, 401);
  g_assert_cmpuint (none->status, ==, 404);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (year, "days")), ==, 366);   /* a leap year */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/summary/figures", test_figures);
  g_test_add_func ("/server/summary/time-zone", test_time_zone);
  g_test_add_func ("/server/summary/refused", test_refused);
  return g_test_run ();
}
