/* test-checkout-orders.c — SdOrders against a started server, in both of
 * its modes: a member's orders listed, changed and cancelled; a guest's
 * found again by the key kept in the keyring, or refused. */
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-checkout.h"

/* A member's orders, listed as My Orders does (cancelled ones kept):
 * listed, memo changed, cancelled and still listed; and refused once
 * the shop has moved an order on. On the original they come from this
 * computer (the shop does not link them to the member), the memo and the
 * cancel send the whole order back, and a cancel deletes it (this
 * computer notes it, so it stays listed). */
/* The order at position in orders is order, cancelled. */
static void
assert_cancelled (SdOrders *orders, guint position, SdOrder *order)
{
  g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), position);

  g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
  g_assert_cmpint (sd_order_get_status (listed), ==, SD_ORDER_STATUS_CANCELLED);
}

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
  OrdersResult o = { 0 };
  GError *error = NULL;

  shop_open (&shop, server);
  session = shop_sign_in (&shop);
  checkout = sd_checkout_new (shop.api, shop.cart);
  g_object_unref (add (&shop, 8, 1));
  first = submit (checkout, NULL, NULL);
  g_object_unref (add (&shop, 9, 2));
  chosen = add_with_option (&shop, 1);
  second = submit (checkout, NULL, NULL);
  g_assert_nonnull (first);
  g_assert_nonnull (second);

  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);   /* as My Orders lists them */
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 2);
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

  orders_cancel (orders, sd_order_get_id (first), NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 2);
  assert_cancelled (orders, 0, first);

  /* staff start preparing the second: no more changes */
  path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
  moved = sd_test_http (server, "PUT", path, admin, "{\"status\":\"배송 준비\"}", NULL);
  sd_test_data (moved, 200);
  orders_cancel (orders, sd_order_get_id (second), NULL, &error);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 2);
  g_assert_cmpuint (sd_test_order_count (server, mode), ==, 1);

  /* Listed again (a fresh start): the cancelled one is still there,
   * cancelled (ours keeps it; for the original, this computer noted it). */
  g_clear_object (&orders);
  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 2);
  assert_cancelled (orders, 0, first);
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

  /* What each shop says to an empty list. */
  g_assert_cmpuint (raw->status, ==, mode == SD_TEST_ORIGINAL ? 404 : 200);
  shop_open (&shop, server);
  guest = sd_orders_new (shop.api);
  g_assert_cmpuint (orders_load (guest, TRUE), ==, 0);

  session = shop_sign_in (&shop);
  orders = sd_orders_new (shop.api);
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 0);
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
  orders_cancel (orders, sd_order_get_id (order), sd_order_get_access_key (order), NULL);
  g_assert_cmpuint (sd_test_order_count (server, SD_TEST_OURS), ==, 0);
  shop_close (&shop);
}

/* The orders a guest placed from this machine come back from the keyring
 * (ours: by their keys; the original: by their ids, kept here); one the
 * shop deleted is forgotten; a cancelled one stays, cancelled, with its
 * key, where the shop keeps it (ours). */
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
  GError *error = NULL;
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
  sd_orders_set_keep_cancelled (orders, TRUE);   /* as My Orders lists them */
  g_assert_cmpuint (orders_load (orders, TRUE), ==, 2);
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
      orders_cancel (orders, sd_order_get_id (second), NULL, &error);
      g_assert_error (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN);
      g_clear_error (&error);
      g_assert_cmpuint (sd_test_order_count (server, mode), ==, 2);
      /* staff change it instead; the next listing shows it */
      path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
      deleted = sd_test_http (server, "PUT", path, admin, "{\"memo\":\"부재 시 연락\"}", NULL);
      sd_test_data (deleted, 200);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&deleted, sd_test_reply_free);
      orders_load (orders, TRUE);
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
  g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
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

  /* Cancelled, the second stays listed, cancelled, and keeps its key,
   * which still opens it (on the original, staff cancel it: a 404 on the
   * next listing forgets it). */
  if (mode == SD_TEST_OURS)
    {
      g_autofree char *key = NULL;

      orders_cancel (orders, sd_order_get_id (second), sd_order_get_access_key (second), NULL);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
      assert_cancelled (orders, 0, second);
      key = guest_key (server, second);
      g_assert_cmpstr (key, ==, sd_order_get_access_key (second));
      g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
      assert_cancelled (orders, 0, second);
    }
  else
    {
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&deleted, sd_test_reply_free);
      path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (second), NULL);
      deleted = sd_test_http (server, "DELETE", path, admin, NULL, NULL);
      g_assert_cmpuint (deleted->status, ==, 204);
    }

  /* The original's, with nothing remembered, lists nothing. */
  if (mode == SD_TEST_ORIGINAL)
    g_assert_cmpuint (orders_load (orders, TRUE), ==, 0);
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

      g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
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
  session = shop_sign_in (&shop);
  g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);

  /* 404: the shop deleted it; forgotten, for good */
  path = g_strconcat ("/api/v1/admin/orders/", sd_order_get_id (order), NULL);
  deleted = sd_test_http (server, "DELETE", path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (orders_load (orders, TRUE), ==, 0);
    }
  shop_close (&shop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add_in_both_modes ("/orders/mine", test_my_orders);
  add_in_both_modes ("/orders/none", test_no_orders);
  g_test_add_func ("/orders/guest-lookup", test_guest_lookup);
  add_in_both_modes ("/orders/guest-remembered", test_guest_remembered);
  g_test_add_func ("/orders/guest-refused", test_guest_refused);
  return g_test_run ();
}
