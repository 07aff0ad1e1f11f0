/* test-ui-staff.c — staff at work: the Orders Board (filters, counts,
 * several orders' status at once, the packing slip, CSV, pages, new
 * orders, orders without a receiver), a reconnect that keeps the staff
 * session, and the main staff flow from a guest's order to its new
 * status. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-checkout-page.h"
#include "sd-customers-admin.h"
#include "sd-orders-board.h"
#include "sd-products-admin.h"
#include "sd-ui.h"

static gboolean
new_order_found (gpointer watcher)
{
  return sd_orders_watcher_get_n_new (watcher) == 1;
}

/* How many orders with status (SD_ORDER_STATUS_N: all) the shop holds,
 * asked with a staff token: ours counts them (X-Total-Count); the
 * original lists them all (none is a 404), and they are counted here. */
static guint
server_count (SdTestServer *server, SdTestMode mode, const char *token, SdOrderStatus status)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/admin/orders");
  g_autoptr(SdTestReply) r = NULL;
  JsonArray *all;
  guint n = 0;

  if (mode == SD_TEST_OURS)
    {
      g_string_append (path, "?limit=1");
      if (status < SD_ORDER_STATUS_N)
        {
          g_string_append (path, "&status=");
          g_string_append_uri_escaped (path, sd_order_status_to_wire (status), NULL, FALSE);
        }
      r = sd_test_http (server, "GET", path->str, token, NULL, NULL);
      sd_test_data (r, 200);
      return (guint) g_ascii_strtoull (soup_message_headers_get_one (r->headers, "X-Total-Count"), NULL, 10);
    }
  r = sd_test_http (server, "GET", path->str, token, NULL, NULL);
  if (r->status == 404)
    return 0;
  all = json_node_get_array (sd_test_data (r, 200));
  for (guint i = 0; i < json_array_get_length (all); i++)
    n += status == SD_ORDER_STATUS_N ||
         g_strcmp0 (json_object_get_string_member (json_array_get_object_element (all, i), "status"),
                    sd_order_status_to_wire (status)) == 0;
  return n;
}

/* The position on the board's page of the order with id. */
static guint
board_position (SdOrdersBoard *board, const char *id)
{
  GListModel *orders = sd_orders_board_get_orders (board);

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return i;
    }
  g_error ("order %s not on the board", id);
}

/* Staff: the board shows for an admin only, lists what the shop has,
 * filters by status with the shop's counts, and changes several orders'
 * status at once (with Undo); an order without a receiver says why. On
 * the original the board filters, counts and pages here, and no order
 * has a receiver (the shop keeps none). */
static void
test_orders_board (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Board" : "BoardOriginal", sd_test_server_start_mode (mode));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  GListModel *orders;

  /* Three guest orders, placed through the app. */
  for (guint i = 0; i < 3; i++)
    sd_test_place_guest_order (window, 8 + i);

  /* Not staff: no board, and asking for it lands on Account. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "account");
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  orders = sd_orders_board_get_orders (board);
  g_assert_cmpint (sd_orders_board_get_total (board), ==, server_count (ui.server, mode, admin, SD_ORDER_STATUS_N));
  g_assert_cmpuint (g_list_model_get_n_items (orders), >=, 3);

  /* Filtered by status: the shop's count. */
  sd_orders_board_set_filter (board, SD_ORDER_STATUS_AWAITING_PAYMENT);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  g_assert_cmpint (sd_orders_board_get_total (board), ==,
                   server_count (ui.server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders-board", mode);

  /* Two selected → Preparing shipment; the shop shows it. */
  gtk_selection_model_select_range (sd_orders_board_get_selection (board), 0, 2, TRUE);
  {
    g_autoptr(SdOrder) a = g_list_model_get_item (orders, 0);
    g_autoptr(SdOrder) b = g_list_model_get_item (orders, 1);
    g_autofree char *id_a = g_strdup (sd_order_get_id (a));
    g_autofree char *id_b = g_strdup (sd_order_get_id (b));
    guint waiting = server_count (ui.server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT);

    sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (server_count (ui.server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT), ==, waiting - 2);
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *path = g_strconcat ("/api/v1/orders/", i ? id_b : id_a, NULL);
        g_autoptr(SdTestReply) r = sd_test_http (ui.server, "GET", path, admin, NULL, NULL);

        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (r, 200)), "status"),
                         ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
      }
    /* Undo puts them back. */
    sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (server_count (ui.server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT), ==, waiting);
  }

  /* Every chip counts what the shop counts. */
  sd_orders_board_set_filter (board, SD_ORDER_STATUS_N);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  for (SdOrderStatus st = 0; st <= SD_ORDER_STATUS_N; st++)
    g_assert_cmpint (sd_orders_board_get_count (board, st), ==, server_count (ui.server, mode, admin, st));
  /* The Cancelled chip only where the shop keeps cancelled orders. */
  {
    g_autoptr(GPtrArray) chips = sd_test_find_all (GTK_WIDGET (board), GTK_TYPE_TOGGLE_BUTTON);
    const char *cancelled = g_dgettext (GETTEXT_PACKAGE, "Cancelled");
    guint shown = 0;

    for (guint i = 0; i < chips->len; i++)
      {
        const char *label = gtk_button_get_label (chips->pdata[i]);

        if (label && g_str_has_prefix (label, cancelled) && gtk_widget_get_visible (chips->pdata[i]))
          shown++;
      }
    g_assert_cmpuint (shown, ==, mode == SD_TEST_OURS ? 1 : 0);
  }

  /* One order selected: its pane, and its packing slip as a PDF whose
   * text has the order's number and the receiver's Korean name (on the
   * original, which keeps no receiver, the words that say so). */
  gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
  {
    g_autoptr(SdOrder) first = g_list_model_get_item (orders, 0);
    g_autofree char *number = sd_ui_order_number (first);
    g_autofree char *dir = g_dir_make_tmp ("storedesk-print-XXXXXX", NULL);
    g_autofree char *pdf = g_build_filename (dir, "slip.pdf", NULL);
    g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    sd_test_button_labelled (GTK_WIDGET (board), "_Delete Order…");   /* the pane is on show */
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders-detail", mode);
    sd_test_assert_buttons_named (GTK_WIDGET (window));
    g_assert_true (sd_orders_board_print_to_pdf (board, pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, &status, &error));
    g_assert_no_error (error);
    g_test_message ("slip: %s", text);
    g_assert_nonnull (strstr (text, number));
    g_assert_true (g_str_has_prefix (text, "127.0.0.1"));   /* the shop's name heads the slip */
    g_assert_nonnull (strstr (text, mode == SD_TEST_OURS ? "김하늘" : g_dgettext (GETTEXT_PACKAGE, "Address not kept")));
    g_unlink (pdf);
    g_rmdir (dir);
  }

  /* The orders shown, every page, as CSV: a header and a row each. */
  {
    g_autofree char *dir = g_dir_make_tmp ("storedesk-csv-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GPtrArray) rows = NULL;

    sd_orders_board_export_to (board, file);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    rows = sd_csv_parse (contents, length, NULL);
    g_assert_cmpuint (rows->len, ==, server_count (ui.server, mode, admin, SD_ORDER_STATUS_N) + 1);
    if (mode == SD_TEST_OURS)
      g_assert_nonnull (strstr (contents, "김하늘"));
    g_unlink (path);
    g_rmdir (dir);
  }

  /* Past 100 orders, a second page with the rest. */
  {
    g_autoptr(SdTestReply) products = sd_test_http (ui.server, "GET", "/api/v1/products?limit=100", NULL, NULL, NULL);
    JsonArray *list = json_node_get_array (sd_test_data (products, 200));
    JsonObject *p = NULL;
    g_autofree char *body = NULL;
    guint all;

    /* One whose stock is not counted, so a hundred orders of it go through
     * (the original counts none, and sends every product whatever the limit). */
    for (guint i = 0; p == NULL && i < json_array_get_length (list); i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);
        if (!json_object_has_member (o, "stock") || json_object_get_null_member (o, "stock"))
          p = o;
      }
    g_assert_nonnull (p);
    body = sd_test_order_body (p, "이가람", "대구", "배송 중");

    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(SdTestReply) made = sd_test_http (ui.server, "POST", "/api/v1/admin/orders", admin, body, NULL);
        sd_test_data (made, 201);
      }
    all = server_count (ui.server, mode, admin, SD_ORDER_STATUS_N);
    sd_orders_board_reload (board);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpint (sd_orders_board_get_total (board), ==, all);
    g_assert_cmpuint (sd_orders_board_get_n_pages (board), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 100);
    sd_orders_board_set_page (board, 2);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (sd_orders_board_get_page (board), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (orders), ==, all - 100);
    sd_orders_board_set_page (board, 1);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  }

  /* A new order comes in: found on the next look, without a restart. */
  {
    gint64 before = sd_orders_board_get_total (board);
    g_autoptr(SdTestReply) products = sd_test_http (ui.server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
    JsonObject *p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
    g_autofree char *body = sd_test_order_body (p, "박새벽", "서울", "결제 완료");
    g_autoptr(SdTestReply) made = sd_test_http (ui.server, "POST", "/api/v1/orders", NULL, body, NULL);

    SdOrdersWatcher *watcher = sd_application_get_orders_watcher (ui.app);

    sd_test_data (made, 201);
    sd_orders_watcher_look_now (watcher);
    sd_test_wait_until (new_order_found, watcher, SD_TEST_UI_WAIT_MS);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpint (sd_orders_board_get_total (board), ==, before + 1);
  }

  /* Delete asks first; then the shop has one order fewer. */
  {
    guint all = server_count (ui.server, mode, admin, SD_ORDER_STATUS_N);
    AdwMessageDialog *dialog;

    gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
    sd_test_click (sd_test_button_labelled (GTK_WIDGET (board), "_Delete Order…"));
    sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
    dialog = sd_test_find_dialog ();
    g_assert_cmpuint (server_count (ui.server, mode, admin, SD_ORDER_STATUS_N), ==, all);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (server_count (ui.server, mode, admin, SD_ORDER_STATUS_N), ==, all - 1);
  }

  /* A guest order without a receiver (as the original web front end
   * places them; on the original every order): the board says so, in its
   * column and its pane, never a bare dash. */
  {
    g_autoptr(SdTestReply) products = sd_test_http (ui.server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
    JsonObject *p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
    g_autofree char *full = sd_test_order_body (p, "박새벽", "서울", "입금 대기");
    g_autoptr(JsonNode) body = json_from_string (full, NULL);
    g_autofree char *json = NULL;
    g_autoptr(SdTestReply) made = NULL;
    const char *id;

    json_object_remove_member (json_node_get_object (body), "receiver");
    json = json_to_string (body, FALSE);
    made = sd_test_http (ui.server, "POST", "/api/v1/orders", NULL, json, NULL);
    id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");
    sd_orders_board_reload (board);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    gtk_selection_model_select_item (sd_orders_board_get_selection (board), board_position (board, id), TRUE);
    g_assert_true (sd_test_label_shown (GTK_WIDGET (board), mode == SD_TEST_OURS ? "No address given" : "Address not kept"));
    g_assert_true (sd_test_label_shown (GTK_WIDGET (board), mode == SD_TEST_OURS
                                ? "No address given. Ask the customer where to ship this order."
                                : "This shop does not keep a guest’s address. Ask the customer where to ship "
                                  "this order."));
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders-no-receiver", mode);
  }
}

/* Preferences → Enter, a new CA file and Try Again all reconnect through
 * app.connect. Signed in as staff, a reconnect to the same shop keeps the
 * session's tokens for every page: the staff pages still load (they used
 * to get a new api without the token, and said "not signed in"). */
static void
test_reconnect_staff (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Reconnect" : "ReconnectOriginal", sd_test_server_start_mode (mode));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  SdCustomersAdmin *customers = SD_CUSTOMERS_ADMIN (sd_window_get_page (window, "staff-customers"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  SdApi *api;

  sd_test_place_guest_order (window, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  api = sd_window_get_api (window);

  /* The same shop again, as Try Again does. */
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "connect", NULL);
  sd_test_wait_until (sd_test_shows_products, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_window_get_api (window) == api);
  g_assert_true (sd_session_get_signed_in (sd_window_get_session (window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  g_assert_cmpint (sd_orders_board_get_total (board), ==, server_count (ui.server, mode, admin, SD_ORDER_STATUS_N));
  g_assert_cmpint (sd_orders_board_get_total (board), >=, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-customers"));
  sd_test_wait_until (sd_test_customers_idle, customers, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), >=, 2);
  g_assert_null (sd_test_find_dialog ());
}

/* The product the grid shows with the name in "sd-name" has the option
 * the staff gave it (the shop's copy, read again). */
static gboolean
grid_shows_option (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *name = g_object_get_data (window, "sd-name");

  if (!sd_test_grid_shows (window))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      SdOption *o = sd_product_get_option (p);

      if (g_strcmp0 (sd_product_get_name (p), name) == 0)
        return o && g_strcmp0 (sd_option_get_name (o), "색상") == 0 && sd_option_get_n_values (o) == 2 &&
               g_strcmp0 (sd_option_get_values (o)[1], "파랑") == 0;
    }
  return FALSE;
}

/* The board lists the order whose id is in "sd-order-id". */
static gboolean
board_lists_order (gpointer board)
{
  GListModel *orders = sd_orders_board_get_orders (board);
  const char *id = g_object_get_data (board, "sd-order-id");

  if (sd_orders_board_get_busy (board))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The main staff flow, on ours and on the original: a guest orders (a
 * product with an option, through the app); staff sign in on the Account
 * page, make a product with an option and a picture (a photo on ours; on
 * the original, which has no uploads, a picture address, and the editor
 * needs an option and says options stay as they are), see it in the
 * shop's grid, find the guest's order on the Orders Board and change its
 * status; the shop has the new status. */
static void
test_staff_flow (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "StaffFlow" : "StaffFlowOriginal", sd_test_server_start_mode (mode));
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autoptr(GPtrArray) grids = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autofree char *dir = g_dir_make_tmp ("storedesk-staff-flow-XXXXXX", NULL);
  g_autofree char *photo = sd_test_write_photo (dir, 1600, 1200);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *order_id = NULL;
  g_autofree char *picture = NULL;
  g_autoptr(SdTestReply) reply = NULL;
  const char *name = "테스트 머그컵";
  JsonObject *made;

  /* A guest's order: a product with an option, its second value. */
  {
    SdProduct *product = sd_test_product_with_option (window);

    picture = g_strdup (sd_product_get_image (product));   /* a picture the shop has */
    g_assert_cmpstr (picture, !=, "");
    g_assert_cmpuint (grids->len, ==, 1);
    g_signal_emit_by_name (grids->pdata[0], "activate", sd_test_catalog_position (window, sd_product_get_id (product)));
    sd_test_choose_option (page, 1);
    sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Add to Cart"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
    sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
    sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
    sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
    order_id = g_strdup (sd_order_get_id (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))));
  }

  /* Staff sign in on the Account page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-sign-in", mode);
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));

  /* A new product with an option and a picture. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-products", mode);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Name"), name);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), "12,000");
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Brand"), "하늘공방");
  adw_combo_row_set_selected (ADW_COMBO_ROW (sd_test_combo_titled (GTK_WIDGET (products), "Category")), 0);
  {
    /* Stock is ours: the original keeps none, so its editor has no row for it. */
    g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (products), ADW_TYPE_ENTRY_ROW);
    guint stock_rows = 0;

    for (guint i = 0; i < rows->len; i++)
      stock_rows += gtk_widget_is_drawable (rows->pdata[i]) &&
                    g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]),
                               g_dgettext (GETTEXT_PACKAGE, "Stock (empty: not counted)")) == 0;
    g_assert_cmpuint (stock_rows, ==, mode == SD_TEST_OURS ? 1 : 0);
  }
  /* A photo is offered where the shop takes uploads; the original takes a
   * picture by its address only, and the editor says so instead. */
  g_assert_true ((sd_test_find_button (GTK_WIDGET (products), "C_hoose Photo…", FALSE) != NULL) == (mode == SD_TEST_OURS));
  if (mode == SD_TEST_ORIGINAL)
    {
      g_assert_true (sd_test_label_shown (GTK_WIDGET (products), "This shop takes pictures by their web address only. Put the "
                                                         "picture online and paste its address under “Picture "
                                                         "address” below."));
      sd_products_admin_set_image_file (products, photo_file);   /* a drop there: nothing is queued */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
      /* …and no option or no picture address, no Save. */
      g_assert_nonnull (sd_products_admin_get_problem (products));
      g_assert_false (gtk_widget_is_sensitive (sd_test_button_labelled (GTK_WIDGET (products), "_Save")));
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Option name"), "색상");
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "빨강, 파랑");
      g_assert_nonnull (sd_products_admin_get_problem (products));
      g_assert_false (gtk_widget_is_sensitive (sd_test_button_labelled (GTK_WIDGET (products), "_Save")));
      sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-product-no-picture", mode);
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Picture address on the shop (uploads/… or https://…)"),
                             picture);
      /* …nor without a description (its schema requires one). */
      g_assert_cmpstr (sd_products_admin_get_problem (products), ==,
                       _("This shop needs a brand and a description on every product."));
      g_assert_false (gtk_widget_is_sensitive (sd_test_button_labelled (GTK_WIDGET (products), "_Save")));
    }
  else
    {
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Option name"), "색상");
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "빨강, 파랑");
      sd_products_admin_set_image_file (products, photo_file);   /* what a drop does */
      sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
    }
  {
    g_autoptr(GPtrArray) views = sd_test_find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

    g_assert_cmpuint (views->len, ==, 1);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "손잡이가 큰 머그컵.", -1);
  }
  g_assert_null (sd_products_admin_get_problem (products));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-product-new", mode);
  sd_test_save_new_product (window, mode);
  g_assert_nonnull (sd_products_admin_get_editing (products));
  g_assert_cmpstr (sd_product_get_name (sd_products_admin_get_editing (products)), ==, name);
  g_assert_false (sd_products_admin_get_dirty (products));
  if (mode == SD_TEST_ORIGINAL)
    {
      /* Its options stay as they are there: not editable, and said so. */
      g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (sd_test_entry_titled (GTK_WIDGET (products), "Option name"))));
      g_assert_true (sd_test_label_shown (GTK_WIDGET (products), "This shop cannot change a product’s options after it is "
                                                         "made: they are shown as they are."));
    }
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-product-saved", mode);

  /* The shop has it, with its option and picture. */
  made = sd_test_shop_product (ui.server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 12000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (made, "options"), "name"), ==, "색상");
  if (mode == SD_TEST_OURS)
    g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  else
    g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, picture);   /* the address given */

  /* …and in the shop's grid, with its option. */
  g_object_set_data (G_OBJECT (window), "sd-name", (gpointer) name);
  g_object_set_data (G_OBJECT (window), "sd-price", GINT_TO_POINTER (12000));
  {
    g_autoptr(GPtrArray) entries = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    g_object_set_data (G_OBJECT (window), "sd-term", (gpointer) name);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), name);
    sd_test_wait_until (sd_test_all_match, window, SD_TEST_UI_WAIT_MS);   /* the search's answer, not the whole catalog */
    sd_test_wait_until (grid_shows_option, window, SD_TEST_UI_WAIT_MS);
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-product-in-shop", mode);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
  }

  /* The Orders Board lists the guest's order; its status changes, and
   * the shop has the new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_object_set_data (G_OBJECT (board), "sd-order-id", order_id);
  sd_test_wait_until (board_lists_order, board, SD_TEST_UI_WAIT_MS);
  {
    GListModel *orders = sd_orders_board_get_orders (board);
    g_autofree char *path = g_strconcat ("/api/v1/orders/", order_id, NULL);
    g_autoptr(SdTestReply) after = NULL;
    guint position = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
      {
        g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
        if (g_strcmp0 (sd_order_get_id (o), order_id) == 0)
          {
            position = i;
            g_assert_cmpint (sd_order_get_status (o), ==, SD_ORDER_STATUS_AWAITING_PAYMENT);
          }
      }
    gtk_selection_model_select_item (sd_orders_board_get_selection (board), position, TRUE);
    if (mode == SD_TEST_ORIGINAL)
      {
        /* The original keeps no receiver: the board says so, not a bare dash. */
        sd_test_wait_label (GTK_WIDGET (board), "Address not kept");
        sd_test_wait_label (GTK_WIDGET (board), "This shop does not keep a guest’s address. Ask the customer "
                                                "where to ship this order.");
      }
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-board", mode);
    sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
    sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
    after = sd_test_http (ui.server, "GET", path, admin, NULL, NULL);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (after, 200)), "status"),
                     ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-board-changed", mode);
  }

  g_unlink (photo);
  g_rmdir (dir);
}

static gboolean
window_gone (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

/* An edited product is not lost to the window's close button or Ctrl+Q:
 * they ask first, as leaving the page does; Cancel keeps the window and
 * the edit, Discard closes it. Ctrl+Q is typed for real (an app
 * accelerator, wherever the focus is). */
static void
test_quit_unsaved (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "QuitUnsaved", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  gpointer alive = window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Name"), "아직 저장 안 한 상품");
  g_assert_true (sd_products_admin_get_dirty (products));

  g_object_add_weak_pointer (alive, &alive);
  sd_test_keys (GTK_WIDGET (window), "key", "ctrl+q", NULL);
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  adw_message_dialog_response (sd_test_find_dialog (), "cancel");
  g_assert_nonnull (alive);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (sd_products_admin_get_dirty (products));

  gtk_window_close (GTK_WINDOW (window));   /* its close button */
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_nonnull (alive);
  adw_message_dialog_response (sd_test_find_dialog (), "discard");
  sd_test_wait_until (window_gone, &alive, SD_TEST_UI_WAIT_MS);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  sd_test_ui_add_modes ("/ui/staff-flow", test_staff_flow);
  sd_test_ui_add_modes ("/ui/orders-board", test_orders_board);
  sd_test_ui_add_modes ("/ui/reconnect-staff", test_reconnect_staff);
  g_test_add_func ("/ui/quit-unsaved", test_quit_unsaved);
  return sd_test_ui_run ();
}
