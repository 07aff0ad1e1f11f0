/* test-ui-orders.c — customers order: as a guest (search, a product's
 * option, the cart, checkout, My Orders), as a member (whose session runs
 * out), at a price staff just changed, and nothing ordered on the
 * original; and the staff's Orders Board at every width. */
#include "sd-test-ui.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-checkout-page.h"
#include "sd-orders-board.h"
#include "sd-orders-page.h"
#include "sd-ui.h"

/* My Orders against the original with nothing ordered (it answers 404):
 * the empty state, never an error, and no lookup by key, which the
 * original cannot do. */
static void
test_original_orders_empty (void)
{
  static const char * const no_extensions[] = { "--no-extensions", NULL };
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_start (&ui, "OriginalOrders", sd_test_server_start_with (FALSE, no_extensions));
  SdOrdersPage *orders;
  g_autoptr(GPtrArray) groups = NULL;

  sd_test_wait_until (sd_test_shows_empty, window, SD_TEST_UI_WAIT_MS);
  orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "orders"));
  sd_orders_page_reload (orders);
  sd_test_wait_until (sd_test_orders_settled, orders, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_orders_page_get_state (orders), ==, "empty");
  groups = sd_test_find_all (GTK_WIDGET (orders), ADW_TYPE_PREFERENCES_GROUP);
  for (guint i = 0; i < groups->len; i++)
    g_assert_false (gtk_widget_is_drawable (groups->pdata[i]));   /* no "Find a Guest Order" */
  sd_test_save_screenshot (GTK_WIDGET (window), "orders-empty-original");
}

/* Browse → search → a product with an option, its second value chosen →
 * add (and Undo) → cart → checkout as a guest → the order → My Orders
 * lists it. Ours gives a key, to find the order from anywhere; the
 * original gives none, and the app keeps the order on this computer. */
static void
test_guest_checkout (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Guest" : "GuestOriginal", sd_test_server_start_mode (mode));
  SdCart *cart = sd_window_get_cart (window);
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  GtkWidget *orders = sd_window_get_page (window, "orders");
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  g_autoptr(GPtrArray) entries = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  g_autoptr(GPtrArray) grids = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autoptr(SdProduct) product = NULL;
  g_autofree char *term = NULL;
  g_autofree char *value = NULL;
  SdOrder *order;

  /* The grid shows the demo catalog, with pictures. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window))), >=, 40);
  sd_test_wait_until (sd_test_thumbnails_shown, window, SD_TEST_UI_WAIT_MS);
  product = g_object_ref (sd_test_product_with_option (window));

  /* Search as you type: a word of its name. */
  {
    const char *name = sd_product_get_name (product);
    const char *space = strchr (name, ' ');

    term = space ? g_strndup (name, space - name) : g_strdup (name);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_object_set_data (G_OBJECT (window), "sd-term", term);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), term);
  sd_test_wait_until (sd_test_all_match, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "search", mode);

  /* It opens with a click; its second value is chosen; add 2, take it
   * back with Undo, add 2 again. */
  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate", sd_test_catalog_position (window, sd_product_get_id (product)));
  g_assert_cmpstr (sd_window_get_section (window), ==, "product");
  g_assert_cmpstr (sd_product_get_id (sd_product_page_get_product (page)), ==, sd_product_get_id (product));
  value = g_strdup (sd_test_choose_option (page, 1));
  sd_product_page_set_count (page, 2);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_test_message ("added %s, %s (stock %" G_GINT64_FORMAT ")", sd_product_get_name (product), value,
                  sd_product_get_stock (product));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "product", mode);
  sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 0);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  {
    g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), 0);

    g_assert_cmpstr (sd_cart_line_get_option (line), ==, value);
    g_assert_cmpuint (sd_cart_line_get_count (line), ==, 2);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "cart", mode);
  sd_test_assert_buttons_named (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  g_assert_cmpstr (sd_window_get_section (window), ==, "checkout");
  /* What a guest gets: a key on ours; none on the original, where this
   * computer keeps the order. */
  g_assert_true (sd_test_label_shown (checkout, mode == SD_TEST_OURS
                              ? "Ordering as a guest. Storedesk keeps the order’s key in your keyring, so you "
                                "can find the order again under My Orders. Sign in under Account to order as a member."
                              : "Ordering as a guest. This shop gives no key to find an order again: Storedesk keeps "
                                "the order’s number in your keyring, so My Orders finds it on this computer. Sign in "
                                "under Account to order as a member."));

  /* The rules are checked as one types; nothing is sent while wrong. */
  sd_test_fill_receiver (checkout, "김하늘", "010-12", "");
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  g_assert_cmpstr (sd_checkout_page_get_state (SD_CHECKOUT_PAGE (checkout)), ==, "form");
  sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  gtk_editable_set_text (sd_test_entry_titled (checkout, "Note for the Delivery (Optional)"), "문 앞에 놓아 주세요");
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "checkout", mode);
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  order = sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout));
  g_assert_cmpuint (sd_order_get_n_items (order), ==, 2);
  g_assert_cmpstr (sd_receiver_get_name (sd_order_get_receiver (order)), ==, "김하늘");
  {
    g_autoptr(SdOrderLine) line = g_list_model_get_item (sd_order_get_lines (order), 0);

    g_assert_cmpstr (sd_order_line_get_option (line), ==, value);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 0);
  /* Ours: the key, shown on the page to copy. The original: no key, and
   * the page says this computer keeps the order. */
  if (mode == SD_TEST_OURS)
    {
      g_assert_nonnull (sd_order_get_access_key (order));
      g_assert_true (sd_test_label_shown (checkout, sd_order_get_access_key (order)));
    }
  else
    {
      g_assert_null (sd_order_get_access_key (order));
      g_assert_true (sd_order_get_kept_here (order));
      g_assert_true (sd_test_label_shown (checkout, "This shop gives no key to find an order again and does not store "
                                            "where it goes. This computer keeps the order’s number and address "
                                            "(in your keyring): My Orders finds it here."));
    }
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "ordered", mode);

  /* My Orders, as a guest: the order, from the keyring. */
  sd_test_click (sd_test_button_labelled (checkout, "_See My Orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "orders");
  {
    g_autoptr(SdOrder) listed = NULL;

    sd_test_wait_until (sd_test_orders_listed, orders, SD_TEST_UI_WAIT_MS);
    listed = g_list_model_get_item (sd_orders_page_get_orders (SD_ORDERS_PAGE (orders)), 0);
    g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
    g_assert_true (sd_order_get_kept_here (listed) == (mode == SD_TEST_ORIGINAL));
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders", mode);
    sd_orders_page_show_order (SD_ORDERS_PAGE (orders), listed);
    sd_test_wait_until (sd_test_order_detail_shown, orders, SD_TEST_UI_WAIT_MS);
    sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders-detail-guest", mode);
  }
  if (mode == SD_TEST_OURS)
    {
      /* Found again by number and key, as on another computer (from
       * the list, where the lookup is). */
      sd_orders_page_reload (SD_ORDERS_PAGE (orders));
      sd_test_wait_until (sd_test_orders_listed, orders, SD_TEST_UI_WAIT_MS);
      gtk_editable_set_text (sd_test_entry_titled (orders, "Order Number"), sd_order_get_id (order));
      gtk_editable_set_text (sd_test_entry_titled (orders, "Key"), sd_order_get_access_key (order));
      g_signal_emit_by_name (sd_test_entry_titled (orders, "Key"), "apply");
      sd_test_wait_until (sd_test_order_detail_shown, orders, SD_TEST_UI_WAIT_MS);
    }
}

static gboolean
section_is_orders (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "orders") == 0;
}

/* Sign in → checkout as a member, a product with an option (the
 * receiver prefilled) → My Orders → cancel. Then the session runs out on
 * the shop's side: the app says so, and signing in again returns to the
 * page the user was on. The original lists no member's orders: My Orders
 * shows the order from what this computer kept (the value chosen
 * included), and cancelling deletes it there, as the confirmation says:
 * this computer notes it, so it stays listed, cancelled, as on ours. */
static void
test_member (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  /* Whole-second tokens live between ttl - 1 and ttl seconds: the
   * refresh token here outlives any pause in the flow (>= 5 s) and is
   * surely dead after the wait below. The original renews no refresh
   * token (authService.js:413-417): the flow runs on the one from signing
   * in, so it lives longer there. */
  guint refresh_ttl = mode == SD_TEST_OURS ? 6 : 10;
  g_autofree char *refresh_arg = g_strdup_printf ("--refresh-ttl=%u", refresh_ttl);
  const char *short_tokens[] = { "--access-ttl=2", refresh_arg, NULL };
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Member" : "MemberOriginal", sd_test_server_start_mode_with (mode, short_tokens));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdOrdersPage *orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  g_autoptr(GPtrArray) grids = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  GListModel *list;
  g_autoptr(SdOrder) first = NULL;
  g_autofree char *value = NULL;
  g_autofree char *order_id = NULL;
  guint before;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sign-in", mode);
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "account", mode);

  /* A product with an option, its second value. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate",
                         sd_test_catalog_position (window, sd_product_get_id (sd_test_product_with_option (window))));
  value = g_strdup (sd_test_choose_option (page, 1));
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  /* Prefilled from the profile. */
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Name")), ==,
                   sd_session_get_name (sd_window_get_session (window)));
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Mobile Number")), !=, "");
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  {
    SdOrder *order = sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout));
    g_autoptr(SdOrderLine) line = g_list_model_get_item (sd_order_get_lines (order), 0);

    g_assert_null (sd_order_get_access_key (order));
    g_assert_cmpstr (sd_order_line_get_option (line), ==, value);
    order_id = g_strdup (sd_order_get_id (order));
  }

  sd_test_click (sd_test_button_labelled (checkout, "_See My Orders"));
  sd_test_wait_until (sd_test_orders_listed, orders, SD_TEST_UI_WAIT_MS);
  list = sd_orders_page_get_orders (orders);
  before = g_list_model_get_n_items (list);
  g_assert_cmpuint (before, >=, 1);
  /* The order, with the value chosen; on the original from this computer. */
  for (guint i = 0; i < before; i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (list, i);
      g_autoptr(SdOrderLine) line = NULL;

      if (g_strcmp0 (sd_order_get_id (o), order_id) != 0)
        continue;
      line = g_list_model_get_item (sd_order_get_lines (o), 0);
      g_assert_cmpstr (sd_order_line_get_option (line), ==, value);
      g_assert_true (sd_order_get_kept_here (o) == (mode == SD_TEST_ORIGINAL));
      g_clear_pointer (&order_id, g_free);
    }
  g_assert_null (order_id);   /* found */
  first = g_list_model_get_item (list, before - 1);
  sd_orders_page_show_order (orders, first);
  g_assert_cmpstr (sd_orders_page_get_state (orders), ==, "detail");
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "order", mode);
  if (mode == SD_TEST_OURS)
    sd_orders_page_cancel_shown (orders);
  else
    {
      /* Cancelling deletes the order there, and this computer notes it:
       * the confirmation says so. */
      AdwMessageDialog *dialog;

      sd_test_click (sd_test_button_labelled (GTK_WIDGET (orders), "_Cancel Order…"));
      sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
      dialog = sd_test_find_dialog ();
      g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                       g_dgettext (GETTEXT_PACKAGE, "The shop will not send it. This shop deletes a cancelled "
                                                    "order; this computer keeps a note of it, so it stays in this "
                                                    "list, marked cancelled. This cannot be undone."));
      adw_message_dialog_response (dialog, "cancel-order");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  sd_test_wait_until (sd_test_orders_settled, orders, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, before);
  g_assert_cmpint (sd_order_get_status (first), ==, SD_ORDER_STATUS_CANCELLED);

  /* Tokens run out; the next call finds out. */
  g_usleep ((refresh_ttl + 1) * G_USEC_PER_SEC);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_until (sd_test_signed_out, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "session-ended", mode);
  sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Sign In"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "account");
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (section_is_orders, window, SD_TEST_UI_WAIT_MS);   /* back where the user was */
}

/* Staff raise a price while the product sits in the cart: Place Order
 * says so with old → new, the cart follows, and placing again orders at
 * the new price. */
static void
test_prices_changed (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Prices", sd_test_server_start (TRUE));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL;
  g_autofree char *old_total = NULL;
  g_autofree char *new_total = NULL;
  g_autoptr(SdTestReply) raised = NULL;
  SdProduct *product;
  AdwMessageDialog *dialog;
  gint64 before;

  product = sd_test_add_first_product (window, 1, 8);
  before = sd_cart_get_total (sd_window_get_cart (window));
  path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (product), NULL);
  raised = sd_test_http (ui.server, "PUT", path, admin, "{\"price\": 99000}", NULL);
  sd_test_data (raised, 200);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  old_total = sd_format_price (before);
  new_total = sd_format_price (99000 + 3000);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), old_total));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), new_total));
  g_assert_cmpint (sd_cart_get_total (sd_window_get_cart (window)), ==, 99000 + 3000);
  sd_test_save_screenshot (GTK_WIDGET (dialog), "prices-changed");
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (sd_checkout_page_get_state (SD_CHECKOUT_PAGE (checkout)), ==, "form");

  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  g_assert_cmpint (sd_order_get_total (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))), ==, 99000 + 3000);
}

/* The checkout form is someone's: a guest's address is not offered to
 * the member who signs in next (the member's own is), nor the member's
 * to the guest after them. */
static void
test_member_address (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "MemberAddress", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdSession *session;

  sd_test_add_first_product (window, 1, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  sd_test_fill_receiver (checkout, "손님", "01099998888", "게스트시 손님구 1");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  session = sd_window_get_session (window);
  g_assert_cmpstr (sd_session_get_address (session), !=, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Name")), ==, sd_session_get_name (session));
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Address")), ==,
                   sd_session_get_address (session));

  /* Signed out: a guest again, with an empty form. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  sd_test_wait_until (sd_test_signed_out, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Name")), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (sd_test_entry_titled (checkout, "Address")), ==, "");
}

/* ---- the Orders Board, wide and narrow ------------------------------- */

/* The window is as wide as asked, and the board's columns fit its list. */
static gboolean
board_fitted (gpointer board)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (board));

  return gtk_widget_get_width (window) == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "sd-width"))
         && !sd_orders_board_get_busy (board) && sd_orders_board_get_columns_fit (board);
}

/* The window width (frame included) as a user sets it. */
static void
board_set_width (SdWindow *window, SdOrdersBoard *board, int width)
{
  int frame = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (window), &frame, &height);
  frame -= gtk_widget_get_width (GTK_WIDGET (window));   /* the shadow */
  g_object_set_data (G_OBJECT (window), "sd-width", GINT_TO_POINTER (width - frame));
  gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
  sd_test_wait_until (board_fitted, board, SD_TEST_UI_WAIT_MS);
  sd_test_wait_painted (GTK_WIDGET (window));
}

static GtkWidget *
board_list (SdOrdersBoard *board)
{
  g_autoptr(GPtrArray) views = sd_test_find_all (GTK_WIDGET (board), GTK_TYPE_COLUMN_VIEW);

  g_assert_cmpuint (views->len, ==, 1);
  return views->pdata[0];
}

/* No text in the board's list is cut short: every column shown is as
 * wide as what it says. */
static void
assert_nothing_ellipsized (SdOrdersBoard *board)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (board_list (board), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]))
      {
        if (pango_layout_is_ellipsized (gtk_label_get_layout (labels->pdata[i])))
          g_error ("“%s” is cut short", gtk_label_get_label (labels->pdata[i]));
      }
}

/* Every chip lies whole inside the row of chips. */
static void
assert_chips_inside (SdOrdersBoard *board)
{
  g_autoptr(GPtrArray) chips = sd_test_find_all (GTK_WIDGET (board), GTK_TYPE_TOGGLE_BUTTON);
  GtkWidget *row = NULL;
  guint shown = 0;

  for (guint i = 0; i < chips->len; i++)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_is_drawable (chips->pdata[i]) || gtk_widget_get_ancestor (chips->pdata[i], GTK_TYPE_DROP_DOWN))
        continue;
      /* All in one row. */
      g_assert_true (row == NULL || row == gtk_widget_get_parent (chips->pdata[i]));
      row = gtk_widget_get_parent (chips->pdata[i]);
      shown++;
      g_assert_true (gtk_widget_compute_bounds (chips->pdata[i], row, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (row));
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (row));
    }
  g_assert_cmpuint (shown, >=, 7);
}

static gboolean
board_shows_order (gpointer board)
{
  return sd_orders_board_get_showing_order (board);
}

static gboolean
board_shows_list (gpointer board)
{
  return !sd_orders_board_get_showing_order (board);
}

/* The number of the order the board shows, as its pane says it. */
static char *
shown_number (SdOrdersBoard *board)
{
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (sd_orders_board_get_selection (board));

  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  order = g_list_model_get_item (sd_orders_board_get_orders (board), gtk_bitset_get_nth (selected, 0));
  return sd_ui_order_number (order);
}

/* Opens the order the list's focus is on, with Enter. */
static void
open_focused_order (SdWindow *window, SdOrdersBoard *board)
{
  gtk_widget_grab_focus (board_list (board));
  sd_test_keys (GTK_WIDGET (window), "key", "Return", NULL);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
}

/* A real click (xdotool) in the middle of widget. */
static void
click_on (SdWindow *window, GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  graphene_point_t at;
  double dx = 0, dy = 0;
  g_autofree char *xid = NULL, *x = NULL, *y = NULL;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                                 gtk_widget_get_height (widget) / 2.f), &at));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);   /* the shadow */
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  x = g_strdup_printf ("%d", (int) (at.x + dx));
  y = g_strdup_printf ("%d", (int) (at.y + dy));
  sd_test_keys (GTK_WIDGET (window), "mousemove", "--window", xid, "--sync", x, y, "click", "1", NULL);
}

/* The label in the board's list that says text. */
static GtkWidget *
list_label (SdOrdersBoard *board, const char *text)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (board_list (board), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]) && g_strcmp0 (gtk_label_get_label (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  g_error ("no “%s” in the list", text);
}

/* The board at 1100 px: its chips wrap, its columns show whole; the
 * order's number copies with a click. At 1280 px (as wide as the test
 * screen goes), more columns. Narrow,
 * the list and the order are one pane: Enter opens an order, Alt+Left and
 * the Back button return to the list. */
static void
test_board_widths (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "BoardWidths", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *number = NULL;

  for (guint i = 0; i < 2; i++)
    sd_test_place_guest_order (window, 8 + i);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);

  /* 1100 px: two panes, the chips inside their row, nothing cut short. */
  board_set_width (window, board, 1100);
  g_assert_false (sd_orders_board_get_folded (board));
  assert_chips_inside (board);
  assert_nothing_ellipsized (board);
  sd_test_save_screenshot (GTK_WIDGET (window), "board-1100");

  /* The order's number, copied with a click: on the clipboard, and said. */
  open_focused_order (window, board);
  number = shown_number (board);
  {
    GtkWidget *copy = sd_test_find_button (GTK_WIDGET (board), "Copy the order number", TRUE);

    g_assert_nonnull (copy);
    sd_test_click (copy);
  }
  g_assert_true (sd_test_label_shown (GTK_WIDGET (window), "Order number copied"));
  {
    g_autofree char *copied = sd_test_clipboard_text (GTK_WIDGET (board));

    g_assert_cmpstr (copied, ==, number);
  }
  sd_test_save_screenshot (GTK_WIDGET (window), "board-1100-order");

  board_set_width (window, board, 1280);
  assert_chips_inside (board);
  assert_nothing_ellipsized (board);
  sd_test_save_screenshot (GTK_WIDGET (window), "board-1280");

  /* Narrow: one pane, the list, with the essential columns whole. */
  board_set_width (window, board, 800);
  g_assert_true (sd_orders_board_get_folded (board));
  sd_test_wait_until (board_shows_list, board, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_get_mapped (board_list (board)));
  assert_chips_inside (board);
  assert_nothing_ellipsized (board);
  g_assert_false (sd_test_label_shown (GTK_WIDGET (board), "No Order Selected"));
  sd_test_save_screenshot (GTK_WIDGET (window), "board-narrow");

  /* Enter opens the order in the one pane; Alt+Left goes back. */
  open_focused_order (window, board);
  sd_test_wait_until (board_shows_order, board, SD_TEST_UI_WAIT_MS);
  sd_test_wait_painted (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_mapped (board_list (board)));   /* the list is gone */
  sd_test_save_screenshot (GTK_WIDGET (window), "board-narrow-order");
  sd_test_keys (GTK_WIDGET (window), "key", "alt+Left", NULL);
  sd_test_wait_until (board_shows_list, board, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");

  /* Again, and the Back button. */
  open_focused_order (window, board);
  sd_test_wait_until (board_shows_order, board, SD_TEST_UI_WAIT_MS);
  {
    GtkWidget *back = sd_test_find_button (GTK_WIDGET (board), "Back to the orders (Alt+Left)", TRUE);

    g_assert_nonnull (back);
    sd_test_click (back);
  }
  sd_test_wait_until (board_shows_list, board, SD_TEST_UI_WAIT_MS);

  /* A click on the other order opens it. */
  {
    g_autoptr(SdOrder) other = g_list_model_get_item (sd_orders_board_get_orders (board), 1);
    g_autofree char *other_number = sd_ui_order_number (other);
    g_autofree char *now = NULL;

    g_assert_cmpstr (other_number, !=, number);
    click_on (window, list_label (board, other_number));
    sd_test_wait_until (board_shows_order, board, SD_TEST_UI_WAIT_MS);
    now = shown_number (board);
    g_assert_cmpstr (now, ==, other_number);
  }
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/original-orders-empty", test_original_orders_empty);
  sd_test_ui_add_modes ("/ui/guest-checkout", test_guest_checkout);
  sd_test_ui_add_modes ("/ui/member", test_member);
  g_test_add_func ("/ui/member-address", test_member_address);
  g_test_add_func ("/ui/prices-changed", test_prices_changed);
  g_test_add_func ("/ui/board-widths", test_board_widths);
  return sd_test_ui_run ();
}
