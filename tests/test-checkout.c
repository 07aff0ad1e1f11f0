/* test-checkout.c — SdCheckout against a started server: guest and
 * member orders, "prices changed", and retries that never order twice:
 * after the shop was down, and after the answer was lost on the way. */
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"

typedef struct {
  gboolean  done;
  SdOrder  *order;
  GError   *error;
  gboolean  ok;
} Result;

static void
submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->order = sd_checkout_submit_finish (SD_CHECKOUT (source), result, &r->error);
  r->done = TRUE;
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_catalog_load_finish (SD_CATALOG (source), result, &r->error);
  r->done = TRUE;
}

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_session_sign_in_finish (SD_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_api_check_health_finish (SD_API (source), result, &r->error);
  r->done = TRUE;
}

typedef struct {
  char       *dir;
  SdApi      *api;
  SdCatalog  *catalog;
  SdCart     *cart;
} Shop;

static void
shop_open (Shop *shop, SdTestServer *server)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  Result r = { 0 };

  shop->dir = g_dir_make_tmp ("storedesk-checkout-XXXXXX", NULL);
  path = g_build_filename (shop->dir, "cart.json", NULL);
  file = g_file_new_for_path (path);
  shop->api = sd_api_new (server->url, NULL);
  shop->catalog = sd_catalog_new (shop->api);
  shop->cart = sd_cart_new_for_file (file);
  sd_api_check_health_async (shop->api, NULL, health_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  r.done = FALSE;
  sd_catalog_load_async (shop->catalog, NULL, NULL, loaded_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
}

static gboolean
cart_saved (gpointer cart)
{
  return !sd_cart_get_saving (cart);
}

static void
shop_close (Shop *shop)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", shop->dir);

  sd_test_wait_for (cart_saved, shop->cart);
  g_clear_object (&shop->cart);
  g_clear_object (&shop->catalog);
  g_clear_object (&shop->api);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (shop->dir);
}

/* Puts product i (a product without tracked stock limits) into the cart. */
static SdProduct *
add (Shop *shop, guint i, guint count)
{
  SdProduct *p = g_list_model_get_item (G_LIST_MODEL (shop->catalog), i);

  sd_cart_add (shop->cart, p, NULL, count);
  return p;
}

static SdOrder *
submit (SdCheckout *checkout, GCancellable *cancellable, GError **error)
{
  Result r = { 0 };

  sd_checkout_submit_async (checkout, cancellable, submitted_cb, &r);
  sd_test_wait (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.order;
}

/* Puts the first product with an option into the cart, with its last
 * value chosen; that value. */
static const char *
add_with_option (Shop *shop, guint count)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (shop->catalog)); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (shop->catalog), i);
      SdOption *option = sd_product_get_option (p);

      if (option && sd_option_get_n_values (option) > 1 && sd_product_get_stock (p) != 0)
        {
          const char *value = sd_option_get_values (option)[sd_option_get_n_values (option) - 1];
          sd_cart_add (shop->cart, p, value, count);
          return g_intern_string (value);
        }
    }
  g_assert_not_reached ();
}

static const SecretSchema guest_schema = {
  "io.github.storedesk.Storedesk.GuestOrder", SECRET_SCHEMA_NONE,
  { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "order", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

/* Looked up directly in the keyring, not through libstoredesk. */
static char *
guest_key (SdTestServer *server, SdOrder *order)
{
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_sync (&guest_schema, NULL, &error, "shop", server->url,
                                           "order", sd_order_get_id (order), NULL);
  g_assert_no_error (error);
  return key;
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  SdOrder  *order;
  GError   *error;
} OrdersResult;

static void
orders_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->ok = sd_orders_load_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

static void
orders_order_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->order = sd_orders_order_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

static void
orders_cancel_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->ok = sd_orders_cancel_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

static void
orders_clear (OrdersResult *r)
{
  g_clear_object (&r->order);
  g_clear_error (&r->error);
  r->done = r->ok = FALSE;
}

/* A guest's order, with an option chosen. Ours keeps the receiver and
 * gives a key; the original drops the receiver and gives none, and wants
 * the option by its id: the order is then kept on this computer. */
static void
test_guest (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdProduct) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;
  const char *chosen;
  gint64 total;

  shop_open (&shop, server);
  a = add (&shop, 0, 2);
  b = add (&shop, 1, 1);
  chosen = add_with_option (&shop, 1);
  total = sd_cart_get_total (shop.cart);
  checkout = sd_checkout_new (shop.api, shop.cart);

  /* A guest order without a receiver is accepted by either server (the
   * original web front end sends none); the checkout page asks for one. */
  sd_checkout_set_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1", "101호");
  sd_checkout_set_memo (checkout, "문 앞에 놓아 주세요");
  order = submit (checkout, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_order_get_total (order), ==, total);
  g_assert_cmpuint (sd_order_get_n_lines (order), ==, 3);
  g_assert_true (g_str_has_prefix (sd_order_get_customer_id (order), "guest_"));
  if (mode == SD_TEST_OURS)
    {
      g_assert_nonnull (sd_order_get_access_key (order));
      g_assert_false (sd_order_get_kept_here (order));
      g_assert_false (sd_order_get_receiver_kept_here (order));
    }
  else
    {
      /* No key, no receiver at the shop: both kept here. */
      g_assert_null (sd_order_get_access_key (order));
      g_assert_true (sd_order_get_kept_here (order));
      g_assert_true (sd_order_get_receiver_kept_here (order));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shop.cart)), ==, 0);

  /* What the shop charged, line by line, and where it ships. */
  {
    g_autoptr(SdOrderLine) first = g_list_model_get_item (sd_order_get_lines (order), 0);
    g_autoptr(SdOrderLine) third = g_list_model_get_item (sd_order_get_lines (order), 2);
    SdReceiver *receiver = sd_order_get_receiver (order);

    g_assert_cmpstr (sd_order_line_get_product_id (first), ==, sd_product_get_id (a));
    g_assert_cmpstr (sd_order_line_get_name (first), ==, sd_product_get_name (a));
    g_assert_cmpuint (sd_order_line_get_count (first), ==, 2);
    g_assert_cmpint (sd_order_line_get_price (first), ==, sd_product_get_price (a));
    g_assert_null (sd_order_line_get_option (first));
    g_assert_cmpstr (sd_order_line_get_option (third), ==, chosen);
    g_assert_cmpuint (sd_order_get_n_items (order), ==, 4);
    g_assert_cmpint (sd_order_get_items_total (order) + sd_order_get_delivery_fee (order), ==, total);
    g_assert_true (sd_order_get_is_guest (order));
    g_assert_nonnull (sd_order_get_created_at (order));
    g_assert_nonnull (receiver);
    g_assert_cmpstr (sd_receiver_get_name (receiver), ==, "김하늘");
    g_assert_cmpstr (sd_receiver_get_phone_number (receiver), ==, "01012345678");
    g_assert_cmpstr (sd_receiver_get_address_detail (receiver), ==, "101호");
    g_assert_cmpstr (sd_order_get_memo (order), ==, "문 앞에 놓아 주세요");
  }

  /* The key (ours) is in the keyring by the time the order is reported;
   * the order kept here (the original) lists again, receiver and all. */
  if (mode == SD_TEST_OURS)
    {
      g_autofree char *key = guest_key (server, order);
      g_assert_cmpstr (key, ==, sd_order_get_access_key (order));
    }
  else
    {
      g_autoptr(SdOrders) orders = sd_orders_new (shop.api);
      g_autoptr(SdOrder) listed = NULL;
      g_autoptr(SdOrderLine) third = NULL;
      OrdersResult r = { 0 };

      sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &r);
      sd_test_wait (&r.done);
      g_assert_no_error (r.error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
      listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
      g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
      g_assert_true (sd_order_get_kept_here (listed));
      g_assert_cmpstr (sd_receiver_get_name (sd_order_get_receiver (listed)), ==, "김하늘");
      third = g_list_model_get_item (sd_order_get_lines (listed), 2);
      g_assert_cmpstr (sd_order_line_get_option (third), ==, chosen);
    }
  shop_close (&shop);
}

static void
test_member (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdProduct) a = NULL;
  g_autoptr(GError) error = NULL;
  const char *chosen;
  Result r = { 0 };

  shop_open (&shop, server);
  session = sd_session_new (shop.api);
  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  a = add (&shop, 3, 1);
  chosen = add_with_option (&shop, 2);
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_paid (checkout, TRUE);
  order = submit (checkout, NULL, &error);   /* no receiver needed for a member */
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (sd_order_get_customer_id (order), "guest_"));
  g_assert_null (sd_order_get_access_key (order));
  g_assert_cmpint (sd_order_get_status (order), ==, SD_ORDER_STATUS_PAID);
  {
    g_autoptr(SdOrderLine) second = g_list_model_get_item (sd_order_get_lines (order), 1);
    g_assert_cmpstr (sd_order_line_get_option (second), ==, chosen);
  }
  /* The original links no order to its member: this computer keeps it. */
  g_assert_true (sd_order_get_kept_here (order) == (mode == SD_TEST_ORIGINAL));
  if (mode == SD_TEST_ORIGINAL)
    g_assert_cmpstr (sd_order_get_customer_id (order), ==, "");
  shop_close (&shop);
}

static void
test_prices_changed (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrder) stale = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdProduct) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL;
  g_autoptr(SdTestReply) put = NULL;
  g_autoptr(SdCartLine) line = NULL;

  shop_open (&shop, server);
  a = add (&shop, 0, 2);
  path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (a), NULL);
  put = sd_test_http (server, "PUT", path, admin, "{\"price\":15000}", NULL);
  sd_test_data (put, 200);

  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "김하늘", "01012345678", "부산", NULL);
  stale = submit (checkout, NULL, &error);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "₩27,000"));   /* 2 × 12,000 + 3,000 */
  g_assert_nonnull (strstr (error->message, "₩33,000"));   /* 2 × 15,000 + 3,000 */
  line = g_list_model_get_item (G_LIST_MODEL (shop.cart), 0);
  g_assert_cmpint (sd_cart_line_get_price (line), ==, 15000);
  g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 0);

  order = submit (checkout, NULL, NULL);
  g_assert_nonnull (order);
  g_assert_cmpint (sd_order_get_total (order), ==, 33000);
  shop_close (&shop);
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* The shop is down at the first try; the retry, with the same attempt,
 * makes one order. Then: answers lost on the way (the call cancelled at
 * various moments, after the shop may or may not have taken the order);
 * whatever happened, the retry ends with exactly one more order. */
static void
test_retries (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrder) offline = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  static const guint delays_ms[] = { 0, 1, 2, 5, 10, 20 };

  shop_open (&shop, server);
  g_object_unref (add (&shop, 0, 1));
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "김하늘", "01012345678", "부산", NULL);

  sd_test_server_keep_port (server);
  sd_test_server_kill (server);
  offline = submit (checkout, NULL, &error);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shop.cart)), ==, 1);   /* kept */
  g_clear_error (&error);
  sd_test_server_restart (server, TRUE);
  order = submit (checkout, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(SdOrder) maybe = NULL;
      g_autoptr(SdOrder) retried = NULL;
      g_autoptr(GError) lost = NULL;

      g_object_unref (add (&shop, i + 8, 1));   /* 8.. are in stock (6 is sold out) */
      g_timeout_add_full (G_PRIORITY_DEFAULT, delays_ms[i], cancel_soon, g_object_ref (cancellable), g_object_unref);
      maybe = submit (checkout, cancellable, &lost);
      if (maybe == NULL)
        {
          /* Not known whether the shop took it: the same attempt again. */
          g_assert_error (lost, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shop.cart)), ==, 1);
          retried = submit (checkout, NULL, &error);
          g_assert_no_error (error);
        }
      g_test_message ("cancel after %u ms: %s", delays_ms[i], maybe ? "answered first" : "retried");
      g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 2 + i);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shop.cart)), ==, 0);
    }
  shop_close (&shop);
}

/* ---- a cable that can be cut -------------------------------------------
 * A TCP relay between the client and the real server. Armed, it drops
 * the connection the moment the server starts to answer: the shop has
 * taken (and committed) the order, the client never hears of it. */

typedef struct {
  GSocketService *service;
  guint16         port;           /* where the relay listens */
  guint16         upstream_port;  /* the server */
  gint            armed;          /* atomic: cut the next answer */
  gint            cuts;           /* atomic: answers cut so far */
} Relay;

static gboolean
pump (GSocket *from, GSocket *to, Relay *relay, gboolean answer)
{
  char buffer[16384];
  gssize n = g_socket_receive (from, buffer, sizeof buffer, NULL, NULL);

  if (n <= 0)
    return FALSE;
  if (answer && g_atomic_int_compare_and_exchange (&relay->armed, TRUE, FALSE))
    {
      g_atomic_int_inc (&relay->cuts);
      return FALSE;
    }
  for (gssize done = 0; done < n; )
    {
      gssize w = g_socket_send (to, buffer + done, n - done, NULL, NULL);
      if (w <= 0)
        return FALSE;
      done += w;
    }
  return TRUE;
}

static gboolean
relay_run_cb (GThreadedSocketService *service, GSocketConnection *client, GObject *source, gpointer user_data)
{
  Relay *relay = user_data;
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) server = g_socket_client_connect_to_host (connector, "127.0.0.1",
                                                                         relay->upstream_port, NULL, NULL);
  GSocket *a = g_socket_connection_get_socket (client);
  GSocket *b;
  GPollFD fds[2];

  if (server == NULL)
    return TRUE;   /* the shop is down: the client sees the door close */
  b = g_socket_connection_get_socket (server);
  fds[0] = (GPollFD) { g_socket_get_fd (a), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
  fds[1] = (GPollFD) { g_socket_get_fd (b), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
  for (;;)
    {
      if (g_poll (fds, 2, -1) < 0)
        break;
      if (fds[0].revents && !pump (a, b, relay, FALSE))
        break;
      if (fds[1].revents && !pump (b, a, relay, TRUE))
        break;
    }
  g_io_stream_close (G_IO_STREAM (client), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (server), NULL, NULL);
  return TRUE;
}

static Relay *
relay_new (SdTestServer *server)
{
  Relay *relay = g_new0 (Relay, 1);
  g_autoptr(GError) error = NULL;

  relay->upstream_port = (guint16) atoi (strrchr (server->url, ':') + 1);
  relay->service = g_threaded_socket_service_new (8);
  relay->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (relay->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (relay->service, "run", G_CALLBACK (relay_run_cb), relay);
  g_socket_service_start (relay->service);
  return relay;
}

static void
relay_free (Relay *relay)
{
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_object_unref (relay->service);
  g_free (relay);
}

/* The answer to the order is lost and the shop is killed outright right
 * after it committed; it comes back on the same port. The retry makes no
 * second order: it returns the first one. */
static void
test_killed_after_commit (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Relay *relay = relay_new (server);
  g_autofree char *via = g_strdup_printf ("http://127.0.0.1:%u", relay->port);
  g_autoptr(SdApi) api = sd_api_new (via, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autofree char *dir = g_dir_make_tmp ("storedesk-checkout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cart.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SdCart) cart = sd_cart_new_for_file (file);
  g_autoptr(SdCheckout) checkout = sd_checkout_new (api, cart);
  g_autoptr(SdProduct) product = NULL;
  g_autoptr(SdOrder) lost = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  Result r = { 0 };

  sd_catalog_load_async (catalog, NULL, NULL, loaded_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  product = g_list_model_get_item (G_LIST_MODEL (catalog), 8);
  sd_cart_add (cart, product, NULL, 2);
  /* What the app does first with a shop: learn its features. */
  r.done = FALSE;
  sd_api_check_health_async (api, NULL, health_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  sd_checkout_set_receiver (checkout, "김하늘", "01012345678", "부산", NULL);

  g_atomic_int_set (&relay->armed, TRUE);
  lost = submit (checkout, NULL, &error);
  g_assert_null (lost);
  g_assert_cmpint (g_atomic_int_get (&relay->cuts), ==, 1);
  /* The outcome is unknown to the client: not a refusal, and the cart stays. */
  g_assert_true (error->domain == SD_API_ERROR);
  g_assert_true (error->code == SD_API_ERROR_OFFLINE || error->code == SD_API_ERROR_SERVER);
  g_test_message ("lost answer reported as: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);

  sd_test_server_keep_port (server);
  sd_test_server_crash (server);
  order = submit (checkout, NULL, &error);      /* the shop is down */
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);

  sd_test_server_restart (server, TRUE);
  order = submit (checkout, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 0);
  g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 1);
  g_assert_cmpuint (sd_order_get_n_items (order), ==, 2);

  sd_test_wait_for (cart_saved, cart);
  relay_free (relay);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A member's orders: listed, memo changed, cancelled; and refused once
 * the shop has moved an order on. On the original they come from this
 * computer (the shop does not link them to the member), the memo and the
 * cancel send the whole order back, and a cancel deletes it. */
static void
test_my_orders (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) first = NULL, second = NULL;
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL;
  g_autoptr(SdTestReply) moved = NULL;
  const char *chosen;
  Result r = { 0 };
  OrdersResult o = { 0 };

  shop_open (&shop, server);
  session = sd_session_new (shop.api);
  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  checkout = sd_checkout_new (shop.api, shop.cart);
  g_object_unref (add (&shop, 8, 1));
  first = submit (checkout, NULL, NULL);
  g_object_unref (add (&shop, 9, 2));
  chosen = add_with_option (&shop, 1);
  second = submit (checkout, NULL, NULL);
  g_assert_nonnull (first);
  g_assert_nonnull (second);

  orders = sd_orders_new (shop.api);
  sd_orders_load_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 2);
  orders_clear (&o);
  {
    g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), 1);
    g_autoptr(SdOrderLine) line = g_list_model_get_item (sd_order_get_lines (listed), 1);

    g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (second));   /* oldest first */
    g_assert_cmpstr (sd_order_line_get_option (line), ==, chosen);
    g_assert_true (sd_order_get_kept_here (listed) == (mode == SD_TEST_ORIGINAL));
  }

  sd_orders_set_memo_async (orders, sd_order_get_id (first), NULL, "경비실에 맡겨 주세요", NULL, orders_order_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpstr (sd_order_get_memo (o.order), ==, "경비실에 맡겨 주세요");
  g_assert_cmpint (sd_order_get_status (o.order), ==, SD_ORDER_STATUS_AWAITING_PAYMENT);   /* unchanged */
  g_assert_cmpuint (sd_order_get_n_lines (o.order), ==, 1);
  orders_clear (&o);
  {
    g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
    g_assert_cmpstr (sd_order_get_memo (listed), ==, "경비실에 맡겨 주세요");
  }

  sd_orders_cancel_async (orders, sd_order_get_id (first), NULL, NULL, orders_cancel_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  orders_clear (&o);

  /* staff start preparing the second: no more changes */
  path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
  moved = sd_test_http (server, "PUT", path, admin, "{\"status\":\"배송 준비\"}", NULL);
  sd_test_data (moved, 200);
  sd_orders_cancel_async (orders, sd_order_get_id (second), NULL, NULL, orders_cancel_cb, &o);
  sd_test_wait (&o.done);
  g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_CONFLICT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  orders_clear (&o);
  g_assert_cmpuint (sd_test_order_count (server, mode), ==, 1);

  /* Listed again (a fresh start): the cancelled one stays gone. */
  g_clear_object (&orders);
  orders = sd_orders_new (shop.api);
  sd_orders_load_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  orders_clear (&o);
  shop_close (&shop);
}

/* No orders at all (the original answers 404): an empty list, for a
 * member and for a guest, and for staff. */
static void
test_no_orders (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrders) guest = NULL;
  g_autofree char *customer = sd_test_sign_in (server, "customer@example.com", "Customer1234!", NULL);
  g_autoptr(SdTestReply) raw = sd_test_http (server, "GET", "/api/v1/orders", customer, NULL, NULL);
  Result r = { 0 };
  OrdersResult o = { 0 };

  /* What each shop says to an empty list. */
  g_assert_cmpuint (raw->status, ==, mode == SD_TEST_ORIGINAL ? 404 : 200);
  shop_open (&shop, server);
  guest = sd_orders_new (shop.api);
  sd_orders_load_guest_async (guest, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (guest)), ==, 0);
  orders_clear (&o);

  session = sd_session_new (shop.api);
  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  orders = sd_orders_new (shop.api);
  sd_orders_load_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_true (o.ok);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 0);
  orders_clear (&o);
  shop_close (&shop);
}

/* A guest finds the order again by its number and key, and only so. */
static void
test_guest_lookup (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) order = NULL;
  OrdersResult o = { 0 };

  shop_open (&shop, server);
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "김하늘", "01012345678", "부산", NULL);
  g_object_unref (add (&shop, 8, 1));
  order = submit (checkout, NULL, NULL);
  orders = sd_orders_new (shop.api);

  sd_orders_get_async (orders, sd_order_get_id (order), NULL, NULL, orders_order_cb, &o);
  sd_test_wait (&o.done);
  g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
  orders_clear (&o);
  sd_orders_get_async (orders, sd_order_get_id (order), "0123456789abcdef0123456789abcdef", NULL, orders_order_cb, &o);
  sd_test_wait (&o.done);
  g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
  orders_clear (&o);
  sd_orders_get_async (orders, sd_order_get_id (order), sd_order_get_access_key (order), NULL, orders_order_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpstr (sd_order_get_id (o.order), ==, sd_order_get_id (order));
  orders_clear (&o);
  sd_orders_cancel_async (orders, sd_order_get_id (order), sd_order_get_access_key (order), NULL, orders_cancel_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  orders_clear (&o);
  g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 0);
  shop_close (&shop);
}

/* The orders a guest placed from this machine come back from the keyring
 * (ours: by their keys; the original: by their ids, kept here); one the
 * shop deleted is forgotten, a cancelled one too. */
static void
test_guest_remembered (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = NULL;
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) first = NULL, second = NULL, listed = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  OrdersResult o = { 0 };
  guint notified = 0;

  server = sd_test_server_start_mode (mode);
  admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  shop_open (&shop, server);
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "박서준", "01099998888", "대구", NULL);
  g_object_unref (add (&shop, 8, 1));
  first = submit (checkout, NULL, NULL);
  g_object_unref (add (&shop, 9, 3));
  second = submit (checkout, NULL, NULL);
  g_assert_nonnull (first);
  g_assert_nonnull (second);

  orders = sd_orders_new (shop.api);
  sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 2);
  orders_clear (&o);
  listed = g_list_model_get_item (G_LIST_MODEL (orders), 1);
  g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (second));   /* oldest first */
  g_assert_cmpstr (sd_order_get_access_key (listed), ==, sd_order_get_access_key (second));
  g_assert_cmpuint (sd_order_get_n_items (listed), ==, 3);
  g_assert_cmpstr (sd_receiver_get_name (sd_order_get_receiver (listed)), ==, "박서준");

  /* A change made through the list reaches the listed object, with notify.
   * The original lets anyone change an order; here only the owner, a key
   * or staff (a kept fix, --order-links or not): the app says who can. */
  g_signal_connect_swapped (listed, "notify::memo", G_CALLBACK (g_atomic_int_inc), &notified);
  sd_orders_set_memo_async (orders, sd_order_get_id (second), sd_order_get_access_key (second), "부재 시 연락",
                            NULL, orders_order_cb, &o);
  sd_test_wait (&o.done);
  if (mode == SD_TEST_ORIGINAL)
    {
      g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
      g_assert_nonnull (strstr (o.error->message, "staff"));
      g_assert_cmpuint (notified, ==, 0);
      orders_clear (&o);
      sd_orders_cancel_async (orders, sd_order_get_id (second), NULL, NULL, orders_cancel_cb, &o);
      sd_test_wait (&o.done);
      g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
      orders_clear (&o);
      g_assert_cmpuint (sd_test_order_count (server, mode), ==, 2);
      /* staff change it instead; the next listing shows it */
      path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
      deleted = sd_test_http (server, "PUT", path, admin, "{\"memo\":\"부재 시 연락\"}", NULL);
      sd_test_data (deleted, 200);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&deleted, sd_test_reply_free);
      sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
      sd_test_wait (&o.done);
      g_assert_no_error (o.error);
      g_clear_object (&listed);
      listed = g_list_model_get_item (G_LIST_MODEL (orders), 1);
    }
  else
    {
      g_assert_no_error (o.error);
      g_assert_true (o.order == listed);
      g_assert_cmpuint (notified, ==, 1);
    }
  g_assert_cmpstr (sd_order_get_memo (listed), ==, "부재 시 연락");
  /* The receiver only this computer knows stays after the shop's answer. */
  g_assert_cmpstr (sd_receiver_get_name (sd_order_get_receiver (listed)), ==, "박서준");
  orders_clear (&o);

  /* Staff delete the first: the next listing drops it, and its key. */
  path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (first), NULL);
  deleted = sd_test_http (server, "DELETE", path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  orders_clear (&o);
  if (mode == SD_TEST_OURS)
    {
      for (guint i = 0; i < 100 && (gone = guest_key (server, first)) != NULL; i++)
        {
          g_clear_pointer (&gone, g_free);
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10 * 1000);
        }
      g_assert_null (gone);
    }

  /* Cancelling the second forgets its key too (on the original, staff
   * cancel it: a 404 on the next listing forgets it). */
  if (mode == SD_TEST_OURS)
    {
      sd_orders_cancel_async (orders, sd_order_get_id (second), sd_order_get_access_key (second), NULL,
                              orders_cancel_cb, &o);
      sd_test_wait (&o.done);
      g_assert_no_error (o.error);
      orders_clear (&o);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 0);
      g_assert_null (guest_key (server, second));
    }
  else
    {
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&deleted, sd_test_reply_free);
      path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
      deleted = sd_test_http (server, "DELETE", path, admin, NULL, NULL);
      g_assert_cmpuint (deleted->status, ==, 204);
    }

  /* A shop with nothing remembered lists nothing. */
  sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 0);
  orders_clear (&o);
  g_clear_object (&listed);
  shop_close (&shop);
}

/* A shop that will not show a guest's order kept here (401, 403: here
 * --no-extensions without --order-links, where the original lets anyone
 * read it): the copy kept on this computer is shown, and never
 * forgotten; a 404 (the shop deleted it) still forgets it. */
static void
test_guest_refused (void)
{
  static const char * const args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL;
  const char *chosen;
  Result r = { 0 };
  OrdersResult o = { 0 };

  shop_open (&shop, server);
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "박서준", "01099998888", "대구", NULL);
  g_object_unref (add (&shop, 8, 2));
  chosen = add_with_option (&shop, 1);
  order = submit (checkout, NULL, NULL);
  g_assert_nonnull (order);
  g_assert_true (sd_order_get_kept_here (order));
  orders = sd_orders_new (shop.api);

  /* 401 (no one signed in), twice: still there, as it was placed */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdOrder) listed = NULL;
      g_autoptr(SdOrderLine) second = NULL;

      sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
      sd_test_wait (&o.done);
      g_assert_no_error (o.error);
      orders_clear (&o);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
      listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
      g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
      g_assert_true (sd_order_get_kept_here (listed));
      g_assert_cmpint (sd_order_get_total (listed), ==, sd_order_get_total (order));
      g_assert_cmpint (sd_order_get_status (listed), ==, sd_order_get_status (order));
      g_assert_cmpuint (sd_order_get_n_items (listed), ==, 3);
      g_assert_cmpstr (sd_receiver_get_name (sd_order_get_receiver (listed)), ==, "박서준");
      second = g_list_model_get_item (sd_order_get_lines (listed), 1);
      g_assert_cmpstr (sd_order_line_get_option (second), ==, chosen);
    }

  /* 403 (someone else signed in on this computer): still there */
  session = sd_session_new (shop.api);
  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  orders_clear (&o);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);

  /* 404: the shop deleted it; forgotten, for good */
  path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (order), NULL);
  deleted = sd_test_http (server, "DELETE", path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  for (guint i = 0; i < 2; i++)
    {
      sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &o);
      sd_test_wait (&o.done);
      g_assert_no_error (o.error);
      orders_clear (&o);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 0);
    }
  shop_close (&shop);
}

/* The core flows run against both servers, the same code. */
static void
add_in_both_modes (const char *path, GTestDataFunc func)
{
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      g_autofree char *p = sd_test_mode_path (path, mode);
      g_test_add_data_func (p, GINT_TO_POINTER (mode), func);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add_in_both_modes ("/checkout/guest", test_guest);
  add_in_both_modes ("/checkout/member", test_member);
  g_test_add_func ("/checkout/prices-changed", test_prices_changed);
  g_test_add_func ("/checkout/retries", test_retries);
  g_test_add_func ("/checkout/killed-after-commit", test_killed_after_commit);
  add_in_both_modes ("/orders/mine", test_my_orders);
  add_in_both_modes ("/orders/none", test_no_orders);
  g_test_add_func ("/orders/guest-lookup", test_guest_lookup);
  add_in_both_modes ("/orders/guest-remembered", test_guest_remembered);
  g_test_add_func ("/orders/guest-refused", test_guest_refused);
  return g_test_run ();
}
