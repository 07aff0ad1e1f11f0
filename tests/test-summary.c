/* test-summary.c — SdSummary's figures for shops seeded with known
 * orders: from our shop's [ext] "summary" route, and computed here from
 * the order list at the original (--no-extensions), with progress; the
 * two agree on the same orders. */
#include <string.h>

#include "sd-test-original-shop.h"

typedef struct {
  GPtrArray *progress;
} Seen;

static void
progress_cb (double fraction, gpointer user_data)
{
  Seen *seen = user_data;
  double *copy = g_new (double, 1);

  *copy = fraction;
  g_ptr_array_add (seen->progress, copy);
}

static SdApi *
admin_api (SdTestServer *server, const char *email, const char *password, SdSession **out_session)
{
  SdApi *api = sd_api_new (server->url, NULL);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  *out_session = sd_session_new (api);
  sd_session_sign_in_async (*out_session, email, password, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (*out_session, sd_test_await (&r), &error));
  return api;
}

static SdSummary *
load_today (SdApi *api, SdLocalStore *store, Seen *seen)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  SdSummary *summary;
  GDate from, to;

  g_date_clear (&to, 1);
  g_date_set_dmy (&to, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  from = to;
  g_date_subtract_days (&from, 6);
  sd_summary_load_async (api, &from, &to, "Asia/Seoul", store, progress_cb, seen, NULL, sd_test_keep_result, &r);
  summary = sd_summary_load_finish (api, sd_test_await (&r), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_summary_get_n_days (summary), ==, 7);
  return summary;
}

/* Two paid orders of one product at price and one awaiting payment. */
static void
assert_figures (SdSummary *summary, const char *product_id, gint64 price)
{
  SdSummaryProduct *top;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *text = NULL;
  guint n_weeks;
  g_autofree gint64 *weeks = sd_summary_dup_weeks (summary, &n_weeks);

  g_assert_cmpint (sd_summary_get_orders (summary), ==, 3);
  g_assert_cmpint (sd_summary_get_paid_orders (summary), ==, 2);
  g_assert_cmpint (sd_summary_get_revenue (summary), ==, 2 * price);
  g_assert_cmpint (sd_summary_get_items (summary), ==, 2);
  g_assert_cmpint (sd_summary_get_day (summary, 6)->revenue, ==, 2 * price);   /* today */
  g_assert_cmpint (sd_summary_get_day (summary, 0)->orders, ==, 0);
  g_assert_cmpint (sd_summary_get_status_count (summary, SD_ORDER_STATUS_PAID), ==, 2);
  g_assert_cmpint (sd_summary_get_status_count (summary, SD_ORDER_STATUS_AWAITING_PAYMENT), ==, 1);
  g_assert_cmpuint (sd_summary_get_top_by_revenue (summary)->len, ==, 1);
  top = sd_summary_get_top_by_revenue (summary)->pdata[0];
  g_assert_cmpstr (top->product_id, ==, product_id);
  g_assert_cmpint (top->quantity, ==, 2);
  g_assert_cmpint (top->revenue, ==, 2 * price);
  g_assert_cmpuint (n_weeks, ==, 1);
  g_assert_cmpint (weeks[0], ==, 2 * price);
  csv = sd_summary_to_csv (summary);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "date,orders,paidOrders,revenue\r\n"));
  g_assert_nonnull (strstr (text, "결제 완료,2\r\n"));
}

/* The original takes an order's status from its body: orders seeded as
 * they are wanted. */
static void
test_computed_here (void)
{
  g_autoptr(Shop) shop = shop_new ();
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdApi) api = admin_api (shop->server, ADMIN_EMAIL, ADMIN_PASSWORD, &session);
  g_autoptr(SdSummary) summary = NULL;
  const char *statuses[] = { "결제 완료", "결제 완료", "입금 대기" };
  Seen seen = { g_ptr_array_new_with_free_func (g_free) };
  SdLocalStore *store = sd_test_open_store (g_test_get_path (), ADMIN_EMAIL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *body = order_body (shop, statuses[i], NULL);
      g_autoptr(SdTestReply) made = sd_test_http (shop->server, "POST", "/api/v1/orders", NULL, body, NULL);

      g_assert_cmpuint (made->status, <, 300);
    }
  summary = load_today (api, store, &seen);
  g_assert_true (sd_summary_get_computed_here (summary));
  g_assert_false (sd_summary_get_from_disk (summary));
  g_assert_cmpuint (seen.progress->len, >, 0);
  g_assert_cmpfloat (*(double *) seen.progress->pdata[seen.progress->len - 1], ==, 1.0);
  assert_figures (summary, json_object_get_string_member (shop->product, "_id"),
                  json_object_get_int_member (shop->product, "price"));
  g_ptr_array_unref (seen.progress);

  /* The orders read are kept: with the shop gone, the same figures from
   * this computer, said so. */
  sd_test_server_kill (shop->server);
  g_clear_object (&summary);
  seen.progress = g_ptr_array_new_with_free_func (g_free);
  summary = load_today (api, store, &seen);
  g_assert_true (sd_summary_get_from_disk (summary));
  assert_figures (summary, json_object_get_string_member (shop->product, "_id"),
                  json_object_get_int_member (shop->product, "price"));
  g_ptr_array_unref (seen.progress);
  sd_test_close_store (store);
}

/* Ours answers from its route: the same figures, nothing paged here. */
static void
test_from_the_route (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdApi) api = admin_api (server, "admin@example.com", "Admin1234!", &session);
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *customer = sd_test_sign_in (server, "customer@example.com", "Customer1234!", NULL);
  g_autoptr(SdTestReply) list = sd_test_http (server, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonObject *product = json_array_get_object_element (json_node_get_array (sd_test_data (list, 200)), 0);
  const char *id = json_object_get_string_member (product, "_id");
  gint64 price = json_object_get_int_member (product, "price");
  g_autoptr(SdSummary) summary = NULL;
  Seen seen = { g_ptr_array_new_with_free_func (g_free) };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"product\":[{\"id\":\"%s\",\"name\":\"x\",\"count\":1,\"image\":\"\"}],"
                                               "\"memo\":\"\",\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT
                                               ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "},"
                                               "\"receiver\":{\"name\":\"김하늘\",\"phoneNumber\":\"010-1234-5678\","
                                               "\"address\":\"부산시 해운대구 1\"}}", id, price, price + 3000);
      g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", customer, body, NULL);
      JsonObject *order = sd_test_data_object (made, 201);

      if (i < 2)
        {
          g_autofree char *path = g_strconcat ("/api/v1/admin/orders/", json_object_get_string_member (order, "_id"),
                                               NULL);
          g_autoptr(SdTestReply) paid = sd_test_http (server, "PUT", path, admin, "{\"status\":\"결제 완료\"}", NULL);

          sd_test_data (paid, 200);
        }
    }
  summary = load_today (api, NULL, &seen);
  g_assert_false (sd_summary_get_computed_here (summary));
  g_assert_cmpuint (seen.progress->len, ==, 0);
  assert_figures (summary, id, price);
  g_ptr_array_unref (seen.progress);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = sd_test_fresh_xdg_dirs ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/summary/from-the-route", test_from_the_route);
  g_test_add_func ("/summary/computed-here", test_computed_here);
  status = g_test_run ();
  sd_test_remove_tree (home);
  return status;
}
