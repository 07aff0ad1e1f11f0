/* test-orders-cancelled.c — an order's identity and its cancelling, as
 * the client core sees them, in both modes: the number a customer is
 * shown (ours' orderNumber; on the original, what its web front end
 * shows), and a cancelled order still listed, cancelled (ours keeps it
 * and lists it with ?includeCancelled=1; the original deletes it, and
 * this computer notes it). */
#include <glib/gstdio.h>
#include <stdlib.h>
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

/* The notes file of the one shop a test cancels at; NULL: none yet (not
 * a file still being written, which g_file_set_contents names
 * "….json.XXXXXX" until it is whole). */
static char *
notes_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "storedesk", "cancelled", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static char *
read_notes (void)
{
  g_autofree char *path = notes_path ();
  char *text = NULL;

  if (path)
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static gboolean
noted (gpointer order_id)
{
  g_autofree char *notes = read_notes ();

  return notes != NULL && strstr (notes, order_id) != NULL;
}

/* The notes are written off the main loop: until the file has order's. */
static void
wait_noted (SdOrder *order)
{
  sd_test_wait_until (noted, (gpointer) sd_order_get_id (order), 10000);
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
  orders_cancel (orders, sd_order_get_id (order), NULL, NULL);
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
  if (mode == SD_TEST_ORIGINAL)
    wait_noted (order);
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

/* On the original, the notes stay small: the oldest go past
 * SD_CANCELLED_NOTES_MAX (200). A guest on ours keeps the key of a
 * cancelled order, which still opens it. */
static void
test_notes_capped (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (SD_TEST_ORIGINAL);
  Shop shop = { 0 };
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) first = NULL, second = NULL;
  g_autoptr(GString) many = g_string_new ("{\"notes\":[");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  shop_open (&shop, server);
  session = shop_sign_in (&shop);
  checkout = sd_checkout_new (shop.api, shop.cart);
  g_object_unref (add (&shop, 8, 1));
  first = submit (checkout, NULL, NULL);
  g_object_unref (add (&shop, 9, 1));
  second = submit (checkout, NULL, NULL);
  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);
  g_assert_cmpuint (orders_load (orders, FALSE), ==, 2);
  orders_cancel (orders, sd_order_get_id (first), NULL, NULL);

  /* 300 notes from before, the first of them this one */
  wait_noted (first);
  path = notes_path ();
  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (many, "%s{\"id\":\"old%03u\",\"customer\":\"x\"}", i ? "," : "", i);
  g_string_append (many, "]}");
  g_assert_true (g_file_set_contents (path, many->str, -1, NULL));

  orders_cancel (orders, sd_order_get_id (second), NULL, NULL);
  wait_noted (second);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *notes;

    g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
    notes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "notes");
    g_assert_cmpuint (json_array_get_length (notes), ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 199), "id"), ==,
                     sd_order_get_id (second));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 0), "id"), ==, "old101");
  }
  g_assert_cmpint (g_unlink (path), ==, 0);   /* the other tests find theirs */
  shop_close (&shop);
}

static void
test_guest_keeps_key (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Shop shop = { 0 };
  g_autoptr(SdCheckout) checkout = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autofree char *key = NULL;

  shop_open (&shop, server);
  checkout = sd_checkout_new (shop.api, shop.cart);
  sd_checkout_set_receiver (checkout, "김하늘", "01012345678", "부산", NULL);
  g_object_unref (add (&shop, 8, 1));
  order = submit (checkout, NULL, NULL);
  g_assert_nonnull (order);
  orders = sd_orders_new (shop.api);
  sd_orders_set_keep_cancelled (orders, TRUE);
  g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
  orders_cancel (orders, sd_order_get_id (order), sd_order_get_access_key (order), NULL);
  key = guest_key (server, order);
  g_assert_nonnull (key);
  g_assert_cmpuint (orders_load (orders, TRUE), ==, 1);
  {
    g_autoptr(SdOrder) listed = g_list_model_get_item (G_LIST_MODEL (orders), 0);
    g_assert_cmpint (sd_order_get_status (listed), ==, SD_ORDER_STATUS_CANCELLED);
  }
  shop_close (&shop);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("storedesk-notes-XXXXXX", NULL);

  /* This program's own: other tests running beside it note their
   * cancels too. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  add_in_both_modes ("/orders/number", test_order_number);
  add_in_both_modes ("/orders/cancelled-listed", test_cancelled_listed);
  g_test_add_func ("/orders/cancelled-notes-capped", test_notes_capped);
  g_test_add_func ("/orders/cancelled-guest-key", test_guest_keeps_key);
  {
    int failed = g_test_run ();
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_home);

    g_assert_cmpint (system (cmd), ==, 0);
    return failed;
  }
}
