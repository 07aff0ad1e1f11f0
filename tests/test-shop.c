/* test-shop.c — SdShop: one connected shop and its parts, across
 * reconnects, against a real storedesk-server (both modes). */
#include <locale.h>

#include "sd-shop-identity-private.h"
#include "sd-test-http.h"
#include "sd-test-original.h"

#define ADMIN_EMAIL "boss@example.com"
#define ADMIN_PASSWORD "Admin-pass1"

static gboolean
is_ready (gpointer shop)
{
  return sd_shop_get_ready (shop);
}

static void
flag_cb (gpointer instance, gpointer flag)
{
  *(gboolean *) flag = TRUE;
}

/* shop connected to server, which has a staff account; FALSE (the test
 * skipped) without a Secret Service to keep a session in. */
static gboolean
connect_with_staff (SdTestServer *server, SdShop *shop)
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus with a Secret Service (run through build-aux/run test)");
      return FALSE;
    }
  sd_test_server_create_admin (server, ADMIN_EMAIL, ADMIN_PASSWORD);
  g_assert_true (sd_shop_connect (shop, server->url, NULL, &error));
  g_assert_no_error (error);
  sd_test_wait_for (is_ready, shop);
  return TRUE;
}

/* What a staff page does: list the shop's orders with the shop's api. */
static void
assert_staff_can_list (SdShop *shop)
{
  g_autoptr(SdAdmin) admin = sd_admin_new (sd_shop_get_api (shop));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) orders = NULL;
  g_autoptr(GError) error = NULL;

  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 20, NULL, sd_test_keep_result, &result);
  orders = sd_admin_list_orders_finish (admin, sd_test_await (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (orders);
}

/* Preferences → Enter, a new CA file, the offline banner's Try Again: a
 * reconnect to the same shop while staff are signed in keeps the one api
 * that holds their tokens, so every staff page still loads. */
static void
test_reconnect_staff (gconstpointer data)
{
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (GPOINTER_TO_INT (data));
  g_autoptr(SdShop) shop = sd_shop_new ();
  g_autoptr(GError) error = NULL;
  SdApi *api;
  SdSession *session;
  SdCart *cart;
  gboolean reloaded = FALSE, parts_changed = FALSE;
  g_autoptr(GAsyncResult) result = NULL;

  if (!connect_with_staff (server, shop))
    return;
  api = sd_shop_get_api (shop);
  session = sd_shop_get_session (shop);
  cart = sd_shop_get_cart (shop);
  g_assert_true (sd_session_get_api (session) == api);
  sd_session_sign_in_async (session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &result);
  g_assert_true (sd_session_sign_in_finish (session, sd_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_true (sd_session_get_is_admin (session));
  assert_staff_can_list (shop);

  g_signal_connect (shop, "reloaded", G_CALLBACK (flag_cb), &reloaded);
  g_signal_connect (shop, "parts-changed", G_CALLBACK (flag_cb), &parts_changed);
  g_assert_true (sd_shop_connect (shop, server->url, "", &error));
  g_assert_no_error (error);
  sd_test_wait (&reloaded);
  g_assert_false (parts_changed);
  g_assert_true (sd_shop_get_api (shop) == api);
  g_assert_true (sd_shop_get_session (shop) == session);
  g_assert_true (sd_shop_get_cart (shop) == cart);
  g_assert_true (sd_session_get_signed_in (session));
  assert_staff_can_list (shop);

  /* A CA file Storedesk cannot use changes nothing. */
  g_assert_false (sd_shop_connect (shop, server->url, "/nonexistent/ca.pem", &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_TLS);
  g_assert_true (sd_shop_get_api (shop) == api);
  assert_staff_can_list (shop);
}

/* Another address is another api and session; the same shop (its key)
 * keeps its cart. */
static void
test_other_address (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdShop) shop = sd_shop_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdApi) first = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *dead = sd_test_dead_url ();
  gboolean parts_changed = FALSE;

  g_assert_true (sd_shop_connect (shop, server->url, NULL, &error));
  sd_test_wait_for (is_ready, shop);
  first = g_object_ref (sd_shop_get_api (shop));
  cart = g_object_ref (sd_shop_get_cart (shop));

  g_signal_connect (shop, "parts-changed", G_CALLBACK (flag_cb), &parts_changed);
  g_assert_true (sd_shop_connect (shop, dead, NULL, &error));
  sd_test_wait (&parts_changed);
  g_assert_true (sd_shop_get_api (shop) != first);
  g_assert_cmpstr (sd_api_get_base_url (sd_shop_get_api (shop)), ==, dead);
  g_assert_true (sd_session_get_api (sd_shop_get_session (shop)) == sd_shop_get_api (shop));
  g_assert_true (sd_shop_get_cart (shop) != cart);

  g_assert_false (sd_shop_connect (shop, "not a url", NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (sd_api_get_base_url (sd_shop_get_api (shop)), ==, dead);
}

static gboolean
count_known (gpointer watcher)
{
  return sd_orders_watcher_get_known (watcher) >= 0;
}

/* An order placed by a guest through the HTTP API, behind the app's back. */
static void
place_order (SdTestServer *server)
{
  g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
  JsonObject *p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
  g_autofree char *body = sd_test_order_body (p, "박새벽", "서울", "결제 완료");
  g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);

  sd_test_data (made, 201);
}

static void
notified_cb (GObject *object, GParamSpec *pspec, gpointer flag)
{
  *(gboolean *) flag = TRUE;
}

static void
count_new_cb (SdOrdersWatcher *watcher, guint n, gpointer user_data)
{
  *(guint *) user_data += n;
}

static gboolean
n_unseen_is_one (gpointer watcher)
{
  return sd_orders_watcher_get_n_unseen (watcher) == 1;
}

static gboolean
found_two (gpointer found)
{
  return *(guint *) found == 2;
}

/* The app's watcher of new orders: it looks only while staff are signed
 * in; its first look learns the count, the next finds what came since. */
static void
test_orders_watcher (gconstpointer data)
{
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (GPOINTER_TO_INT (data));
  g_autoptr(SdShop) shop = sd_shop_new ();
  g_autoptr(SdOrdersWatcher) watcher = sd_orders_watcher_new (shop);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) out = NULL;
  SdSession *session;
  gboolean n_new_notified = FALSE;
  guint found = 0;
  gint64 before;

  if (!connect_with_staff (server, shop))
    return;
  g_assert_false (sd_orders_watcher_get_watching (watcher));

  session = sd_shop_get_session (shop);
  sd_session_sign_in_async (session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &result);
  g_assert_true (sd_session_sign_in_finish (session, sd_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_true (sd_orders_watcher_get_watching (watcher));
  sd_test_wait_for (count_known, watcher);
  g_assert_cmpuint (sd_orders_watcher_get_n_new (watcher), ==, 0);
  before = sd_orders_watcher_get_known (watcher);

  g_signal_connect (watcher, "notify::n-new", G_CALLBACK (notified_cb), &n_new_notified);
  g_signal_connect (watcher, "new-orders", G_CALLBACK (count_new_cb), &found);
  place_order (server);
  sd_orders_watcher_look_now (watcher);
  sd_test_wait (&n_new_notified);
  g_assert_cmpuint (sd_orders_watcher_get_n_new (watcher), ==, 1);
  g_assert_cmpuint (found, ==, 1);
  g_assert_cmpint (sd_orders_watcher_get_known (watcher), ==, before + 1);
  /* Unseen orders add up until staff look at them; the newest is named. */
  g_assert_cmpuint (sd_orders_watcher_get_n_unseen (watcher), ==, 1);
  g_assert_nonnull (sd_orders_watcher_get_newest (watcher));
  place_order (server);
  sd_orders_watcher_look_now (watcher);
  sd_test_wait_for (found_two, &found);
  g_assert_cmpuint (sd_orders_watcher_get_n_unseen (watcher), ==, 2);
  sd_orders_watcher_mark_seen (watcher);
  g_assert_cmpuint (sd_orders_watcher_get_n_unseen (watcher), ==, 0);
  place_order (server);
  sd_orders_watcher_look_now (watcher);
  sd_test_wait_for (n_unseen_is_one, watcher);

  /* Signed out: no more looks, and nothing known of the shop's orders. */
  sd_session_sign_out_async (session, NULL, sd_test_keep_result, &out);
  g_assert_true (sd_session_sign_out_finish (session, sd_test_await (&out), &error));
  g_assert_no_error (error);
  g_assert_false (sd_orders_watcher_get_watching (watcher));
  g_assert_cmpuint (sd_orders_watcher_get_n_new (watcher), ==, 0);
  g_assert_cmpint (sd_orders_watcher_get_known (watcher), ==, -1);
  g_assert_cmpuint (sd_orders_watcher_get_n_unseen (watcher), ==, 0);
  g_assert_null (sd_orders_watcher_get_newest (watcher));
  place_order (server);
  sd_orders_watcher_look_now (watcher);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (sd_orders_watcher_get_known (watcher), ==, -1);
  g_assert_cmpuint (found, ==, 3);
}

typedef struct {
  SdSession    *session;
  GAsyncResult *result;
} EarlySignIn;

/* Signs in on the first parts, before the shop has been identified. */
static void
sign_in_early_cb (SdShop *shop, EarlySignIn *early)
{
  if (early->session != NULL)
    return;
  early->session = g_object_ref (sd_shop_get_session (shop));
  sd_session_sign_in_async (early->session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result,
                            &early->result);
}

static gboolean
key_is (gpointer shop)
{
  return g_strcmp0 (sd_api_get_shop_key (sd_shop_get_api (shop)), g_object_get_data (shop, "want")) == 0;
}

/* Another shop now answers at an address seen before (a port reused): it
 * is shown at once under the key recalled for the address, and the health
 * check then says its real key. A sign-in made meanwhile talked to this
 * shop: it stays, on the same session, instead of being dropped with the
 * wrong key's parts. */
static void
test_recalled_key_wrong (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdShop) shop = sd_shop_new ();
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = sd_shop_origin_key (uri);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "storedesk", "shop-ids", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *stale = NULL, *real = NULL;
  g_autoptr(GError) error = NULL;
  EarlySignIn early = { 0 };

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus with a Secret Service (run through build-aux/run test)");
      return;
    }
  sd_test_server_create_admin (server, ADMIN_EMAIL, ADMIN_PASSWORD);
  stale = g_strdup_printf ("[shop-ids]\n%s=00000000-0000-4000-8000-000000000000\n"
                           "[shop-features]\n%s=paging,search,sort\n", origin, origin);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, stale, -1, NULL));

  g_signal_connect (shop, "parts-changed", G_CALLBACK (sign_in_early_cb), &early);
  g_assert_true (sd_shop_connect (shop, server->url, NULL, &error));
  g_assert_no_error (error);
  sd_test_wait_for (is_ready, shop);
  g_assert_nonnull (early.session);
  g_assert_true (sd_session_sign_in_finish (early.session, sd_test_await (&early.result), &error));
  g_assert_no_error (error);

  /* The shop's own key, once the health check is in: the same session,
   * still signed in. */
  {
    g_autoptr(SdTestReply) health = sd_test_http (server, "GET", "/health", NULL, NULL, NULL);

    real = g_strdup (json_object_get_string_member (json_node_get_object (sd_test_data (health, 200)), "shopId"));
  }
  g_object_set_data_full (G_OBJECT (shop), "want", g_strdup (real), g_free);
  sd_test_wait_for (key_is, shop);
  g_assert_true (sd_shop_get_session (shop) == early.session);
  g_assert_true (sd_session_get_signed_in (early.session));
  g_assert_true (sd_session_get_is_admin (early.session));
  g_clear_object (&early.result);
  g_object_unref (early.session);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/shop/reconnect-staff", GINT_TO_POINTER (SD_TEST_OURS), test_reconnect_staff);
  g_test_add_data_func ("/shop/reconnect-staff/original", GINT_TO_POINTER (SD_TEST_ORIGINAL), test_reconnect_staff);
  g_test_add_func ("/shop/other-address", test_other_address);
  g_test_add_func ("/shop/recalled-key-wrong", test_recalled_key_wrong);
  g_test_add_data_func ("/shop/orders-watcher", GINT_TO_POINTER (SD_TEST_OURS), test_orders_watcher);
  g_test_add_data_func ("/shop/orders-watcher/original", GINT_TO_POINTER (SD_TEST_ORIGINAL), test_orders_watcher);
  return g_test_run ();
}
