/* test-checkout.c — SdCheckout against a started server: guest and
 * member orders, "prices changed", and retries that never order twice:
 * after the shop was down, and after the answer was lost on the way. */
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-checkout.h"

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

      g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
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

  shop_open (&shop, server);
  session = shop_sign_in (&shop);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add_in_both_modes ("/checkout/guest", test_guest);
  add_in_both_modes ("/checkout/member", test_member);
  g_test_add_func ("/checkout/prices-changed", test_prices_changed);
  g_test_add_func ("/checkout/retries", test_retries);
  g_test_add_func ("/checkout/killed-after-commit", test_killed_after_commit);
  return g_test_run ();
}
