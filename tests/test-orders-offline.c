/* test-orders-offline.c — the orders board's list (SdAdmin) and a
 * member's own orders (SdOrders) with a local store: what the shop lists
 * is kept, and when the shop is gone (its server stopped) the lists come
 * from disk, filtered, searched and paged, and say so. Real server, real
 * SQLite files. */
#include <string.h>

#include "sd-test-http.h"

#define STORE(account) sd_local_store_new (g_test_get_path (), account)

static SdSession *
signed_in (SdApi *api, const char *email, const char *password)
{
  SdSession *session = sd_session_new (api);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sd_session_sign_in_async (session, email, password, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (session, sd_test_await (&r), &error));
  g_assert_no_error (error);
  return session;
}

/* Places an order of the shop's product i for receiver, with status. */
static void
order (SdTestServer *server, const char *token, guint i, const char *receiver, const char *status)
{
  g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=5", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (products, 200));
  g_autofree char *body = sd_test_order_body (json_array_get_object_element (list, i), receiver, "서울시 마포구",
                                              status);
  g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", token, body, NULL);

  sd_test_data (made, 201);
}

typedef struct {
  GListModel *orders;
  gint64      total;
  gboolean    from_disk;
  GError     *error;
} Listed;

static void
listed_clear (Listed *l)
{
  g_clear_object (&l->orders);
  g_clear_error (&l->error);
}

/* The board's list: its receivers' names, in order, joined by commas. */
static char *
list_orders (SdAdmin *admin, SdOrderStatus status, const char *query, guint page, guint limit, Listed *l)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  listed_clear (l);
  sd_admin_list_orders_async (admin, status, query, page, limit, NULL, sd_test_keep_result, &r);
  sd_test_await (&r);
  l->from_disk = sd_admin_list_orders_from_disk (admin, r);
  l->orders = sd_admin_list_orders_finish (admin, r, &l->total, &l->error);
  for (guint i = 0; l->orders && i < g_list_model_get_n_items (l->orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (l->orders, i);
      g_string_append_printf (names, "%s%s", i ? "," : "", sd_receiver_get_name (sd_order_get_receiver (o)));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define ASSERT_LIST(admin, status, query, page, limit, l, expected) \
  G_STMT_START { \
    g_autofree char *names_ = list_orders (admin, status, query, page, limit, l); \
    g_assert_no_error ((l)->error); \
    g_assert_cmpstr (names_, ==, expected); \
  } G_STMT_END

static void
test_board (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "admin@example.com", "Admin1234!");
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(SdAdmin) without = sd_admin_new (api);
  g_autoptr(SdLocalStore) store = STORE ("admin");
  Listed l = { 0 };

  /* Oldest first: 김하늘, Jane Park, 이바다 (newest). */
  order (server, NULL, 0, "김하늘", "결제 완료");
  order (server, NULL, 1, "Jane Park", "입금 대기");
  order (server, NULL, 2, "이바다", "결제 완료");
  sd_admin_set_local_store (admin, store);
  ASSERT_LIST (admin, SD_ORDER_STATUS_N, NULL, 1, 50, &l, "이바다,Jane Park,김하늘");
  g_assert_false (l.from_disk);

  sd_test_server_kill (server);
  /* Gone: the same list from disk, said so. */
  ASSERT_LIST (admin, SD_ORDER_STATUS_N, NULL, 1, 50, &l, "이바다,Jane Park,김하늘");
  g_assert_true (l.from_disk);
  g_assert_cmpint (l.total, ==, 3);
  /* Filtered by status, paged, searched (Korean of two syllables, Latin,
   * a phone number written with its hyphens), the total the matches'. */
  ASSERT_LIST (admin, SD_ORDER_STATUS_PAID, NULL, 1, 50, &l, "이바다,김하늘");
  g_assert_cmpint (l.total, ==, 2);
  ASSERT_LIST (admin, SD_ORDER_STATUS_N, NULL, 2, 1, &l, "Jane Park");
  g_assert_cmpint (l.total, ==, 3);
  ASSERT_LIST (admin, SD_ORDER_STATUS_N, "하늘", 1, 50, &l, "김하늘");
  ASSERT_LIST (admin, SD_ORDER_STATUS_N, "jane", 1, 50, &l, "Jane Park");
  ASSERT_LIST (admin, SD_ORDER_STATUS_PAID, "010-1234-5678", 1, 50, &l, "이바다,김하늘");
  g_assert_cmpint (l.total, ==, 2);
  ASSERT_LIST (admin, SD_ORDER_STATUS_AWAITING_PAYMENT, "하늘", 1, 50, &l, "");
  g_assert_true (l.from_disk);

  /* Without a store, the shop's error, as before. */
  g_free (list_orders (without, SD_ORDER_STATUS_N, NULL, 1, 50, &l));
  g_assert_error (l.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_assert_false (l.from_disk);
  listed_clear (&l);
}

static char *
load_mine (SdOrders *orders, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  sd_orders_load_async (orders, NULL, sd_test_keep_result, &r);
  if (!sd_orders_load_finish (orders, sd_test_await (&r), error))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (orders)); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (G_LIST_MODEL (orders), i);
      g_string_append_printf (names, "%s%s", i ? "," : "", sd_receiver_get_name (sd_order_get_receiver (o)));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
test_mine (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = signed_in (api, "customer@example.com", "Customer1234!");
  g_autofree char *token = sd_test_sign_in (server, "customer@example.com", "Customer1234!", NULL);
  g_autoptr(SdOrders) orders = sd_orders_new (api);
  g_autoptr(SdOrders) other = sd_orders_new (api);
  g_autoptr(SdLocalStore) store = STORE ("customer");
  g_autoptr(SdLocalStore) others = STORE ("someone-else");
  g_autoptr(GError) error = NULL;
  g_autofree char *online = NULL, *offline = NULL, *not_kept = NULL;

  order (server, token, 0, "김하늘", "결제 완료");
  order (server, token, 1, "이바다", "입금 대기");
  order (server, NULL, 2, "손님", "결제 완료");   /* a guest's: not hers */
  sd_orders_set_local_store (orders, store);
  sd_orders_set_local_store (other, others);
  online = load_mine (orders, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (online, ==, "김하늘,이바다");
  g_assert_false (sd_orders_get_from_disk (orders));

  sd_test_server_kill (server);
  offline = load_mine (orders, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline, ==, "김하늘,이바다");   /* oldest first, as the shop lists them */
  g_assert_true (sd_orders_get_from_disk (orders));
  /* Another account's store holds none of hers: the shop's error. */
  not_kept = load_mine (other, &error);
  g_assert_null (not_kept);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_assert_false (sd_orders_get_from_disk (other));
}

int
main (int argc, char **argv)
{
  g_autofree char *home = sd_test_fresh_xdg_dirs ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/orders-offline/board", test_board);
  g_test_add_func ("/orders-offline/mine", test_mine);
  status = g_test_run ();
  sd_test_remove_tree (home);
  return status;
}
