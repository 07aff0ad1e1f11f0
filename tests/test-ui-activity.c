/* test-ui-activity.c — the activity log in the app: an order's status
 * changed on the board and a product's price changed in the editor are
 * in the order's and the product's History, and in the Activity page,
 * filtered by kind; at the original, the page says the shop keeps no
 * log. Screenshots of each. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-activity-page.h"
#include "sd-orders-board.h"
#include "sd-products-admin.h"

static SdActivityList *
list_in (GtkWidget *root)
{
  g_autoptr(GPtrArray) lists = sd_test_find_all (root, SD_TYPE_ACTIVITY_LIST);

  g_assert_cmpuint (lists->len, >=, 1);
  return lists->pdata[0];
}

/* The list has read its first entry, of action. */
typedef struct {
  SdActivityList  *list;
  SdActivityAction action;
} Awaited;

static gboolean
newest_is (gpointer data)
{
  Awaited *a = data;
  GListModel *entries = sd_activity_list_get_entries (a->list);
  g_autoptr(SdActivity) first = NULL;

  if (sd_activity_list_get_loading (a->list) || g_list_model_get_n_items (entries) == 0)
    return FALSE;
  first = g_list_model_get_item (entries, 0);
  return sd_activity_get_action (first) == a->action;
}

static gboolean
list_read (gpointer list)
{
  return !sd_activity_list_get_loading (list);
}

/* The newest entry of list is in words on screen, and says field changed. */
static void
assert_newest (SdActivityList *list, const char *field)
{
  g_autoptr(SdActivity) first = g_list_model_get_item (sd_activity_list_get_entries (list), 0);
  g_autofree char *words = sd_activity_describe (first);

  g_assert_true (sd_activity_get_change (first, field, NULL, NULL));
  g_assert_cmpstr (sd_activity_get_actor_email (first), ==, "admin@example.com");
  sd_test_wait_label (GTK_WIDGET (list), words);
}

/* The scrolled window around widget, at its end (the History is last). */
static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  sd_test_wait_painted (widget);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  sd_test_wait_painted (widget);
}

/* A toast's own widget, from inside it; NULL outside one. */
static GtkWidget *
toast_of (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    if (g_strcmp0 (gtk_widget_get_css_name (w), "toast") == 0)
      return w;
  return NULL;
}

static gboolean
no_toast (gpointer window)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]) && toast_of (labels->pdata[i]))
      return FALSE;
  return TRUE;
}

/* The toasts closed with their own close button, so that the screenshot
 * shows what is under them. */
static void
close_toasts (SdWindow *window)
{
  g_autoptr(GPtrArray) buttons = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_is_drawable (buttons->pdata[i]) && toast_of (buttons->pdata[i]) &&
        g_strcmp0 (gtk_button_get_icon_name (buttons->pdata[i]), "window-close-symbolic") == 0)
      gtk_widget_activate (buttons->pdata[i]);
  sd_test_wait_until (no_toast, window, SD_TEST_UI_WAIT_MS);
}

static void
sign_in_staff (SdWindow *window)
{
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
}

static void
show (SdWindow *window, const char *section)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", section));
}

static void
test_activity (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Activity", sd_test_server_start (TRUE));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdActivityPage *page = SD_ACTIVITY_PAGE (sd_window_get_page (window, "staff-activity"));
  Awaited awaited = { 0 };
  g_autofree char *new_price = NULL;

  sd_test_place_guest_order (window, 0);
  sd_test_place_guest_order (window, 1);
  sign_in_staff (window);
  /* Wide: the board's order beside its list, the editor beside the products. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  sd_test_wait_painted (GTK_WIDGET (window));

  /* Both orders paid at once (a bulk change), then one's status alone,
   * on the board: its History says so. */
  show (window, "staff-orders");
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  gtk_selection_model_select_range (sd_orders_board_get_selection (board), 0, 2, TRUE);
  sd_orders_board_set_status (board, SD_ORDER_STATUS_PAID);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
  sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  /* The board read its orders again: the order opened anew. */
  gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
  awaited = (Awaited) { list_in (GTK_WIDGET (board)), SD_ACTIVITY_STATUS };
  sd_test_wait_until (newest_is, &awaited, SD_TEST_UI_WAIT_MS);
  assert_newest (awaited.list, "status");
  scroll_to_end (GTK_WIDGET (awaited.list));
  close_toasts (window);
  sd_test_save_screenshot (GTK_WIDGET (window), "activity-order");

  /* A product's price, in the editor: its History says so. */
  show (window, "staff-products");
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  {
    g_autoptr(SdProduct) p = g_list_model_get_item (sd_products_admin_get_products (products), 0);

    new_price = g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_price (p) + 1000);
    g_assert_true (sd_products_admin_edit (products, p));
  }
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), new_price);
  sd_products_admin_save (products);
  awaited = (Awaited) { list_in (GTK_WIDGET (products)), SD_ACTIVITY_UPDATE };
  sd_test_wait_until (newest_is, &awaited, SD_TEST_UI_WAIT_MS);
  assert_newest (awaited.list, "price");
  scroll_to_end (GTK_WIDGET (awaited.list));
  close_toasts (window);
  sd_test_save_screenshot (GTK_WIDGET (window), "activity-product");

  /* Both in the Activity page, newest first; then the orders alone. */
  show (window, "staff-activity");
  awaited = (Awaited) { sd_activity_page_get_list (page), SD_ACTIVITY_UPDATE };
  sd_test_wait_until (newest_is, &awaited, SD_TEST_UI_WAIT_MS);
  assert_newest (awaited.list, "price");
  {
    GListModel *entries = sd_activity_list_get_entries (awaited.list);
    g_autoptr(SdActivity) second = g_list_model_get_item (entries, 1);
    g_autoptr(SdActivity) third = g_list_model_get_item (entries, 2);
    g_autoptr(SdActivity) fourth = g_list_model_get_item (entries, 3);

    g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 4);
    g_assert_cmpint (sd_activity_get_action (second), ==, SD_ACTIVITY_STATUS);
    g_assert_cmpint (sd_activity_get_origin (second), ==, SD_ACTIVITY_ORIGIN_NONE);
    g_assert_cmpint (sd_activity_get_origin (third), ==, SD_ACTIVITY_ORIGIN_BULK);
    g_assert_cmpint (sd_activity_get_origin (fourth), ==, SD_ACTIVITY_ORIGIN_BULK);
    sd_test_wait_label (GTK_WIDGET (page), sd_activity_origin_label (SD_ACTIVITY_ORIGIN_BULK));
  }
  sd_test_assert_buttons_named (GTK_WIDGET (page));
  close_toasts (window);
  sd_test_save_screenshot (GTK_WIDGET (window), "activity");
  sd_activity_page_set_kind (page, SD_ACTIVITY_ORDER);
  awaited.action = SD_ACTIVITY_STATUS;
  sd_test_wait_until (newest_is, &awaited, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_activity_list_get_entries (awaited.list)), ==, 3);
}

/* The original keeps no log: the page says so, and what to expect. */
static void
test_original (void)
{
  static const char * const no_ext[] = { "--no-extensions", NULL };
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "ActivityOriginal", sd_test_server_start_with (TRUE, no_ext));
  SdActivityPage *page = SD_ACTIVITY_PAGE (sd_window_get_page (window, "staff-activity"));

  sign_in_staff (window);
  show (window, "staff-activity");
  sd_test_wait_until (list_read, sd_activity_page_get_list (page), SD_TEST_UI_WAIT_MS);
  sd_test_wait_label (GTK_WIDGET (page), "This shop does not keep a log of who changed what.");
  g_assert_cmpuint (g_list_model_get_n_items (sd_activity_list_get_entries (sd_activity_page_get_list (page))), ==, 0);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "activity", SD_TEST_ORIGINAL);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/activity", test_activity);
  g_test_add_func ("/ui/activity/original", test_original);
  return sd_test_ui_run ();
}
