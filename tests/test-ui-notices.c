/* test-ui-notices.c — what tells staff something happened or asks them
 * first: new orders (the Orders Board row's count and the toast while
 * the window has the focus) and the message dialogs' buttons (the HIG:
 * Cancel first, the destructive response in red); and what a screen
 * reader says of a product's options in their popup. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-orders-board.h"
#include "sd-products-admin.h"

/* The count on the sidebar's Orders Board row. */
static GtkLabel *
orders_badge (SdWindow *window)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "sidebar-badge"))
      return labels->pdata[i];
  g_error ("no count on the Orders Board row");
}

static gboolean
badge_reads_one (gpointer window)
{
  GtkLabel *badge = orders_badge (window);

  return gtk_widget_is_drawable (GTK_WIDGET (badge)) && g_strcmp0 (gtk_label_get_label (badge), "1") == 0;
}

static gboolean
window_active (gpointer window)
{
  return gtk_window_is_active (window);
}

static gboolean
watching (gpointer watcher)
{
  return sd_orders_watcher_get_watching (watcher) && sd_orders_watcher_get_known (watcher) >= 0;
}

static gboolean
board_shown (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "staff-orders") == 0;
}

/* An order placed while staff work on another page, the window focused:
 * the Orders Board row counts it and a toast names it, with a Show that
 * opens the board; there the count goes. */
static void
test_new_orders (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "NewOrders", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersWatcher *watcher = sd_application_get_orders_watcher (ui.app);
  g_autoptr(SdTestReply) products = NULL;
  g_autoptr(SdTestReply) made = NULL;
  g_autofree char *body = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  GtkLabel *badge;
  JsonObject *p, *order;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (watching, watcher, SD_TEST_UI_WAIT_MS);
  badge = orders_badge (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (badge)));
  /* The window gets the focus as a user gives it: a key pressed in it. */
  sd_test_keys (GTK_WIDGET (window), "key", "shift", NULL);
  sd_test_wait_until (window_active, window, SD_TEST_UI_WAIT_MS);

  /* A customer orders, through the shop's API. */
  products = sd_test_http (ui.server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
  p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
  body = sd_test_order_body (p, "박새벽", "서울", "결제 완료");
  made = sd_test_http (ui.server, "POST", "/api/v1/orders", NULL, body, NULL);
  order = json_node_get_object (sd_test_data (made, 201));
  number = g_strdup (json_object_get_string_member_with_default (order, "orderNumber", ""));
  /* The watcher's next look (every 30 s, and when the window gets the
   * focus) is made now. */
  sd_orders_watcher_look_now (watcher);
  sd_test_wait_until (badge_reads_one, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "account");
  sd_test_wait_button (GTK_WIDGET (window), "_Show");
  title = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "New order %s"), number);
  g_assert_true (*number != '\0');
  g_assert_true (sd_test_label_shown (GTK_WIDGET (window), title));
  sd_test_save_screenshot (GTK_WIDGET (window), "new-order");

  sd_test_click (sd_test_button_labelled (GTK_WIDGET (window), "_Show"));
  sd_test_wait_until (board_shown, window, SD_TEST_UI_WAIT_MS);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (badge)));
  g_assert_cmpuint (sd_orders_watcher_get_n_unseen (watcher), ==, 0);
}

static gboolean
no_dialog (gpointer unused)
{
  return sd_test_find_dialog () == NULL;
}

/* As the GNOME HIG has it: the response that keeps things as they are
 * comes first (on the left), is the default and what Escape gives; the
 * destructive one is red, the suggested one blue. suggested may be NULL. */
static void
assert_dialog_hig (AdwMessageDialog *dialog, const char *keep, const char *keep_label,
                   const char *destructive, const char *suggested)
{
  g_autoptr(GPtrArray) buttons = sd_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_BUTTON);
  GtkWidget *first = NULL;

  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, keep);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, keep);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, keep), ==, ADW_RESPONSE_DEFAULT);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, destructive), ==, ADW_RESPONSE_DESTRUCTIVE);
  if (suggested)
    g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, suggested), ==, ADW_RESPONSE_SUGGESTED);
  for (guint i = 0; i < buttons->len && first == NULL; i++)
    if (gtk_widget_is_drawable (buttons->pdata[i]))
      first = buttons->pdata[i];
  g_assert_nonnull (first);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (first)), ==, g_dgettext (GETTEXT_PACKAGE, keep_label));
}

/* The body's words are kept whole (Korean would break between any two
 * syllables): a no-break attribute over each. */
static void
assert_body_words_whole (AdwMessageDialog *dialog)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), adw_message_dialog_get_body (dialog)) == 0)
      {
        PangoAttrList *attrs = gtk_label_get_attributes (labels->pdata[i]);
        PangoAttrIterator *it;
        PangoAttribute *no_break;

        g_assert_nonnull (attrs);
        it = pango_attr_list_get_iterator (attrs);
        no_break = pango_attr_iterator_get (it, PANGO_ATTR_ALLOW_BREAKS);
        g_assert_nonnull (no_break);
        g_assert_false (((PangoAttrInt *) no_break)->value);
        pango_attr_iterator_destroy (it);
        return;
      }
  g_error ("no label says the dialog's body");
}

/* The dialogs staff meet most: Sign Out Everywhere on the account page,
 * Save Changes when leaving an edited product. Each says Cancel first and
 * goes away on a real Escape, with nothing done. */
static void
test_dialogs (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Dialogs", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);

  sd_test_click (sd_test_wait_button (GTK_WIDGET (account), "Sign Out _Everywhere…"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  sd_test_wait_painted (GTK_WIDGET (dialog));
  assert_dialog_hig (dialog, "cancel", "_Cancel", "sign-out", NULL);
  assert_body_words_whole (dialog);
  sd_test_save_screenshot (GTK_WIDGET (dialog), "dialog-sign-out-everywhere");
  sd_test_keys (GTK_WIDGET (dialog), "key", "Escape", NULL);
  sd_test_wait_until (no_dialog, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_signed_in (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Name"), "아직 저장 안 한 상품");
  sd_test_keys (GTK_WIDGET (window), "key", "ctrl+q", NULL);
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  sd_test_wait_painted (GTK_WIDGET (dialog));
  assert_dialog_hig (dialog, "cancel", "_Cancel", "discard", "save");
  sd_test_keys (GTK_WIDGET (dialog), "key", "Escape", NULL);
  sd_test_wait_until (no_dialog, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_products_admin_get_dirty (products));
  sd_products_admin_discard (products);
}

static gboolean
popover_mapped (gpointer row)
{
  g_autoptr(GPtrArray) popovers = sd_test_find_all (row, GTK_TYPE_POPOVER);

  return popovers->len > 0 && gtk_widget_get_mapped (popovers->pdata[0]);
}

static gboolean
product_shown (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "product") == 0;
}

/* A product's options, opened from the keyboard: each entry of the popup
 * is named by its value (GTK 4.8 leaves list items unnamed). */
static void
test_option_names (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OptionNames", sd_test_server_start (TRUE));
  SdProduct *product = sd_test_product_with_option (window);
  SdOption *option = sd_product_get_option (product);
  GtkWidget *page = sd_window_get_page (window, "product");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) popovers = NULL;
  g_autoptr(GPtrArray) widgets = NULL;
  GtkWidget *row = NULL;
  guint named = 0;

  sd_window_show_product (window, product);
  sd_test_wait_until (product_shown, window, SD_TEST_UI_WAIT_MS);
  rows = sd_test_find_all (page, ADW_TYPE_COMBO_ROW);
  for (guint i = 0; i < rows->len && row == NULL; i++)
    if (gtk_widget_is_drawable (rows->pdata[i]))
      row = rows->pdata[i];
  g_assert_nonnull (row);
  gtk_widget_grab_focus (row);
  sd_test_keys (GTK_WIDGET (window), "key", "Return", NULL);
  sd_test_wait_until (popover_mapped, row, SD_TEST_UI_WAIT_MS);
  popovers = sd_test_find_all (row, GTK_TYPE_POPOVER);
  sd_test_wait_painted (popovers->pdata[0]);
  widgets = sd_test_find_all (popovers->pdata[0], GTK_TYPE_WIDGET);
  for (guint i = 0; i < widgets->len; i++)
    if (gtk_accessible_get_accessible_role (widgets->pdata[i]) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
      {
        const char *value = sd_option_get_values (option)[named];
        g_autofree char *wrong = gtk_test_accessible_check_property (widgets->pdata[i],
                                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, value);

        if (wrong)
          g_error ("option %u is named “%s”, not “%s”", named, wrong, value);
        named++;
      }
  g_assert_cmpuint (named, ==, sd_option_get_n_values (option));
  sd_test_keys (GTK_WIDGET (window), "key", "Escape", NULL);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/new-orders", test_new_orders);
  g_test_add_func ("/ui/dialogs", test_dialogs);
  g_test_add_func ("/ui/option-names", test_option_names);
  return sd_test_ui_run ();
}
