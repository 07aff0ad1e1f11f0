/* test-ui-order-identity.c — what identifies an order to the customer:
 * its number and key copied from where they are shown (the checkout's
 * confirmation, the order in My Orders), a cancelled order that stays in
 * My Orders marked cancelled, on ours and on the original, and the
 * packing slip that names the shop. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-checkout-page.h"
#include "sd-orders-page.h"
#include "sd-print.h"
#include "sd-ui.h"

/* The toast of the window's "sd-test-toast" has gone. */
static gboolean
toast_gone (gpointer window)
{
  return !sd_test_label_shown (window, g_object_get_data (window, "sd-test-toast"));
}

/* The copy button tooltipped msgid under page, pressed (by a click, or by
 * the keyboard: focused, then Space), puts text on the clipboard and says
 * so with a toast titled toast. */
static void
assert_copies (SdWindow *window, GtkWidget *page, const char *msgid, gboolean by_keyboard, const char *text,
               const char *toast)
{
  GtkWidget *button = sd_test_find_button (page, msgid, TRUE);
  g_autofree char *copied = NULL;

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "edit-copy-symbolic");
  gdk_clipboard_set_text (gtk_widget_get_clipboard (page), "");
  /* The same toast from before is no answer. */
  sd_ui_dismiss_toast (page);
  g_object_set_data (G_OBJECT (window), "sd-test-toast", (gpointer) toast);
  sd_test_wait_until (toast_gone, window, SD_TEST_UI_WAIT_MS);
  if (by_keyboard)
    {
      sd_test_scroll_into_view (button);
      g_assert_true (gtk_widget_grab_focus (button));
      sd_test_keys (GTK_WIDGET (window), "key", "space", NULL);
    }
  else
    sd_test_click (button);
  sd_test_wait_label (GTK_WIDGET (window), toast);
  copied = sd_test_clipboard_text (page);
  g_assert_cmpstr (copied, ==, text);
}

/* The order of id in page's list. */
static SdOrder *
listed (SdOrdersPage *page, const char *id)
{
  return sd_test_order_in (sd_orders_page_get_orders (page), id);
}

/* The page lists the order of its "sd-test-id". */
static gboolean
order_listed (gpointer page)
{
  return sd_test_orders_listed (page) && listed (page, g_object_get_data (G_OBJECT (page), "sd-test-id"));
}

static gboolean
shown_cancelled (gpointer page)
{
  SdOrder *order = listed (page, g_object_get_data (G_OBJECT (page), "sd-test-id"));

  return sd_test_orders_listed (page) && order &&
         sd_order_get_status (order) == SD_ORDER_STATUS_CANCELLED &&
         sd_test_label_shown (page, "Cancelled");
}

/* The slip of order, printed from page, has the shop's name (the host it
 * is reached at) on it. */
static void
assert_slip_names_shop (GtkWidget *page, SdOrder *order, SdTestMode mode, const char *host)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new ();
  g_autofree char *dir = g_dir_make_tmp ("storedesk-slip-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "slip.pdf", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (orders, order);
  g_assert_true (sd_print_orders_to_pdf (page, orders, mode == SD_TEST_ORIGINAL, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_test_message ("slip: %s", text);
  g_assert_true (g_str_has_prefix (text, host));
  g_unlink (pdf);
  g_rmdir (dir);
}

/* Places an order from the cart (the form filled, or prefilled for a
 * member) and opens it in My Orders; returns its id. */
static char *
order_and_open (SdWindow *window)
{
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdOrdersPage *orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  char *id;

  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  id = g_strdup (sd_order_get_id (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))));
  sd_test_click (sd_test_button_labelled (checkout, "_See My Orders"));
  g_object_set_data_full (G_OBJECT (orders), "sd-test-id", g_strdup (id), g_free);
  sd_test_wait_until (order_listed, orders, SD_TEST_UI_WAIT_MS);
  sd_orders_page_show_order (orders, listed (orders, id));
  return id;
}

/* A guest orders: the confirmation's number and (on ours) key are
 * copied; My Orders shows the order, whose number and key copy too
 * (one by the keyboard). On the original, which lets only staff cancel
 * a guest's order, it offers no Cancel and says why; a member orders
 * there instead. Cancelled after the confirmation that says what
 * happens, the order stays listed, marked cancelled, with no Cancel
 * button; its slip names the shop. */
static void
test_identity (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Identity" : "IdentityOriginal",
                                      sd_test_server_start_mode (mode));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdOrdersPage *orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  g_autoptr(GUri) uri = g_uri_parse (ui.server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *number = NULL;
  AdwMessageDialog *dialog;
  SdOrder *order;
  guint before;

  /* The confirmation. */
  sd_test_add_first_product (window, 1, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  order = sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout));
  id = g_strdup (sd_order_get_id (order));
  key = g_strdup (sd_order_get_access_key (order));
  number = sd_order_dup_order_number (order);
  g_assert_true ((key != NULL) == (mode == SD_TEST_OURS));
  /* One number: ours YYYYMMDD-NNNN, the original's as its web shop shows
   * it (the UTC day, then the id's first six characters). */
  g_assert_true (g_regex_match_simple (mode == SD_TEST_OURS ? "^[0-9]{8}-[0-9]{4}$"
                                                            : "^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f]{6}$",
                                       number, 0, 0));
  g_assert_true (sd_test_label_shown (checkout, number));
  assert_copies (window, checkout, "Copy Order Number", FALSE, number, "Order number copied");
  if (key)
    assert_copies (window, checkout, "Copy Key", FALSE, key, "Key copied");
  else
    g_assert_null (sd_test_find_button (checkout, "Copy Key", TRUE));
  sd_test_assert_buttons_named (GTK_WIDGET (window));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "order-placed", mode);

  /* My Orders: the order's number and key. */
  sd_test_click (sd_test_button_labelled (checkout, "_See My Orders"));
  g_object_set_data_full (G_OBJECT (orders), "sd-test-id", g_strdup (id), g_free);
  sd_test_wait_until (order_listed, orders, SD_TEST_UI_WAIT_MS);
  sd_orders_page_show_order (orders, listed (orders, id));
  assert_copies (window, GTK_WIDGET (orders), "Copy Order Number", TRUE, number, "Order number copied");
  if (key)
    assert_copies (window, GTK_WIDGET (orders), "Copy Key", FALSE, key, "Key copied");
  else
    g_assert_null (sd_test_find_button (GTK_WIDGET (orders), "Copy Key", TRUE));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "order-detail", mode);

  if (mode == SD_TEST_ORIGINAL)
    {
      SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));

      g_assert_null (sd_test_find_button (GTK_WIDGET (orders), "_Cancel Order…", FALSE));
      g_assert_true (sd_test_label_shown (GTK_WIDGET (orders), "This shop lets only its staff change or cancel "
                                                                 "an order placed as a guest. Contact the shop "
                                                                 "about this order."));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
      sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
      sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
      sd_test_add_first_product (window, 1, 4);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
      g_clear_pointer (&id, g_free);
      g_clear_pointer (&number, g_free);
      id = order_and_open (window);
      number = sd_order_dup_order_number (listed (orders, id));
    }
  before = g_list_model_get_n_items (sd_orders_page_get_orders (orders));

  /* Cancelled: the confirmation says what happens at this shop. */
  sd_test_scroll_into_view (sd_test_button_labelled (GTK_WIDGET (orders), "_Cancel Order…"));
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (orders), "_Cancel Order…"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   mode == SD_TEST_OURS
                   ? g_dgettext (GETTEXT_PACKAGE, "The shop will not send it, and its products go back into the "
                                                  "shop’s stock. The order stays in this list, marked cancelled. "
                                                  "This cannot be undone.")
                   : g_dgettext (GETTEXT_PACKAGE, "The shop will not send it. This shop deletes a cancelled order; "
                                                  "this computer keeps a note of it, so it stays in this list, "
                                                  "marked cancelled. This cannot be undone."));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "cancel-order"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  sd_test_save_mode_screenshot (GTK_WIDGET (dialog), "cancel-order", mode);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (dialog), "_Cancel Order"));

  /* Still listed, marked cancelled, dimmed. */
  sd_test_wait_until (shown_cancelled, orders, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_orders_page_get_orders (orders)), ==, before);
  {
    g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (orders), ADW_TYPE_ACTION_ROW);
    guint dimmed = 0;

    for (guint i = 0; i < rows->len; i++)
      if (gtk_widget_is_drawable (rows->pdata[i]) && gtk_widget_get_opacity (rows->pdata[i]) < 1.0)
        dimmed++;
    g_assert_cmpuint (dimmed, ==, 1);
  }
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "orders-cancelled", mode);

  /* Opened, it can no longer be cancelled; its number still copies. */
  order = listed (orders, id);
  sd_orders_page_show_order (orders, order);
  sd_test_wait_until (sd_test_order_detail_shown, orders, SD_TEST_UI_WAIT_MS);
  g_assert_null (sd_test_find_button (GTK_WIDGET (orders), "_Cancel Order…", FALSE));
  assert_copies (window, GTK_WIDGET (orders), "Copy Order Number", FALSE, number, "Order number copied");
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "order-cancelled", mode);

  /* Its packing slip names the shop. */
  assert_slip_names_shop (GTK_WIDGET (orders), order, mode, g_uri_get_host (uri));

  /* Ours finds a guest's order again by the number and the key copied,
   * typed into Find a Guest Order. */
  if (mode == SD_TEST_OURS)
    {
      sd_orders_page_reload (orders);
      sd_test_wait_until (sd_test_orders_listed, orders, SD_TEST_UI_WAIT_MS);
      sd_test_scroll_into_view (GTK_WIDGET (sd_test_entry_titled (GTK_WIDGET (orders), "Order Number")));
      sd_test_keys (GTK_WIDGET (window), "type", number, NULL);
      sd_test_scroll_into_view (GTK_WIDGET (sd_test_entry_titled (GTK_WIDGET (orders), "Key")));
      sd_test_keys (GTK_WIDGET (window), "type", key, NULL);
      sd_test_keys (GTK_WIDGET (window), "key", "Return", NULL);
      sd_test_wait_until (sd_test_order_detail_shown, orders, SD_TEST_UI_WAIT_MS);
      g_assert_true (sd_test_label_shown (GTK_WIDGET (orders), number));
      g_assert_true (sd_test_label_shown (GTK_WIDGET (orders), key));
    }
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  sd_test_ui_add_modes ("/ui/order-identity", test_identity);
  return sd_test_ui_run ();
}
