/* test-orders-cancelled.c — an order's identity and its cancelling, as
 * the client core sees them, in both modes: the number a customer is
 * shown (ours' orderNumber; on the original, what its web front end
 * shows), and a cancelled order still listed, cancelled (ours keeps it
 * and lists it with ?includeCancelled=1; the original deletes it, and
 * this computer notes it). */
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-checkout.h"

typedef struct {
  gboolean    done;
  GListModel *orders;
  GError     *error;
} Listed;

static void
admin_orders_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Listed *l = user_data;

  l->orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, NULL, &l->error);
  l->done = TRUE;
}

/* What the shop answers for order id, read with staff's token. */
static JsonObject *
raw_order (SdTestServer *server, const char *admin, const char *id, SdTestReply **out_reply)
{
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);

  *out_reply = sd_test_http (server, "GET", path, admin, NULL, NULL);
  return sd_test_data_object (*out_reply, 200);
}

/* The number shown: ours' orderNumber; on the original, its web front
 * end's createdAt.slice (0, 10) + '-' + _id.slice (0, 6). */
static void
test_order_number (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(SdTestReply) reply = NULL;
  g_autofree char *number = NULL;
  g_autofree char *property = NULL;
  g_autofree char *expected = NULL;
  JsonObject *raw;

  shop_open (&shop, server);
  session = shop_sign_in (&shop);
  checkout = sd_checkout_new (shop.api, shop.cart);
  g_object_unref (add (&shop, 8, 1));
  order = submit (checkout, NULL, NULL);
  g_assert_nonnull (order);
  raw = raw_order (server, admin, sd_order_get_id (order), &reply);
  if (mode == SD_TEST_OURS)
    expected = g_strdup (json_object_get_string_member (raw, "orderNumber"));
  else
    {
      g_assert_false (json_object_has_member (raw, "orderNumber"));
      expected = g_strdup_printf ("%.10s-%.6s", json_object_get_string_member (raw, "createdAt"),
                                  json_object_get_string_member (raw, "_id"));
    }
  g_assert_nonnull (expected);
  number = sd_order_dup_order_number (order);
  g_object_get (order, "order-number", &property, NULL);
  g_assert_cmpstr (number, ==, expected);
  g_assert_cmpstr (property, ==, expected);
  g_assert_cmpuint (strlen (number), ==, mode == SD_TEST_OURS ? 13 : 17);
  shop_close (&shop);
}

static char *
read_notes (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "storedesk", "cancelled", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name = d ? g_dir_read_name (d) : NULL;
  g_autofree char *path = name ? g_build_filename (dir, name, NULL) : NULL;
  char *text = NULL;

  if (path)
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Cancelled, the order stays in My Orders as cancelled, on a fresh
 * start too; staff see it cancelled where the shop keeps it. */
static void
test_cancelled_listed (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autofree char *number = NULL;
  g_autofree char *label = NULL;
  g_autofree char *notes = NULL;
  OrdersResult o = { 0 };

  shop_open (&shop, server);
  session = shop_sign_in (&shop);
  checkout = sd_checkout_new (shop.api, shop.cart);
  g_object_unref (add (&shop, 8, 2));
  order = submit (checkout, NULL, NULL);
  g_assert_nonnull (order);
  number = sd_order_dup_order_number (order);

  /* without keep-cancelled (the default): as before, gone */
  {
    g_autoptr(SdOrders) plain = sd_orders_new (shop.api);

    g_assert_false (sd_orders_get_keep_cancelled (plain));
    g_assert_cmpuint (orders_load (plain, FALSE), ==, 1);
  }
  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 1);
  sd_orders_cancel_async (orders, sd_order_get_id (order), NULL, NULL, orders_cancel_cb, &o);
  sd_test_wait (&o.done);
  g_assert_no_error (o.error);
  orders_clear (&o);
  g_assert_cmpuint (sd_test_order_count (server, mode), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  {
    g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
    g_assert_cmpint (sd_order_get_status (listed), ==, SD_ORDER_STATUS_CANCELLED);
  }
  {
    g_autoptr(SdOrders) plain = sd_orders_new (shop.api);
    g_assert_cmpuint (orders_load (plain, FALSE), ==, 0);
  }

  /* a fresh start: still there, cancelled, with its number and lines */
  g_clear_object (&orders);
  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 1);
  {
    g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
    g_autofree char *listed_number = sd_order_dup_order_number (listed);

    g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
    g_assert_cmpint (sd_order_get_status (listed), ==, SD_ORDER_STATUS_CANCELLED);
    g_object_get (listed, "status-label", &label, NULL);
    g_assert_cmpstr (label, ==, "Cancelled");
    g_assert_cmpstr (listed_number, ==, number);
    g_assert_cmpint (sd_order_get_total (listed), ==, sd_order_get_total (order));
    g_assert_cmpuint (sd_order_get_n_items (listed), ==, 2);
    g_assert_true (sd_order_get_kept_here (listed) == (mode == SD_TEST_ORIGINAL));
  }

  /* the note kept here (the original only) holds no token or key */
  notes = read_notes ();
  if (mode == SD_TEST_ORIGINAL)
    {
      g_assert_nonnull (notes);
      g_assert_nonnull (strstr (notes, sd_order_get_id (order)));
      g_assert_null (strstr (notes, "eyJ"));   /* a JWT's start */
      g_assert_null (strstr (notes, "key"));
      g_assert_null (strstr (notes, "token"));
    }

  /* staff: ours lists it, cancelled; the original has deleted it */
  {
    g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
    g_autoptr(SdSession) staff = sd_session_new (api);
    g_autoptr(SdAdmin) admin = sd_admin_new (api);
    Result r = { 0 };
    Listed l = { 0 };

    sd_api_check_health_async (api, NULL, health_cb, &r);
    sd_test_wait (&r.done);
    r.done = FALSE;
    sd_session_sign_in_async (staff, "admin@example.com", "Admin1234!", NULL, signed_in_cb, &r);
    sd_test_wait (&r.done);
    g_assert_no_error (r.error);
    sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 20, NULL, admin_orders_cb, &l);
    sd_test_wait (&l.done);
    g_assert_no_error (l.error);
    if (mode == SD_TEST_OURS)
      {
        g_autoptr(SdOrder) listed = NULL;

        g_assert_cmpuint (g_list_model_get_n_items (l.orders), ==, 1);
        listed = g_list_model_get_item (l.orders, 0);
        g_assert_cmpint (sd_order_get_status (listed), ==, SD_ORDER_STATUS_CANCELLED);
      }
    else
      g_assert_cmpuint (g_list_model_get_n_items (l.orders), ==, 0);
    g_clear_object (&l.orders);
  }
  shop_close (&shop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add_in_both_modes ("/orders/number", test_order_number);
  add_in_both_modes ("/orders/cancelled-listed", test_cancelled_listed);
  return g_test_run ();
}
