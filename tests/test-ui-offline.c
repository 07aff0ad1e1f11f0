/* test-ui-offline.c — the shop going away and coming back, as a user
 * sees it: the pages already shown stay while the header bar says offline, that
 * goes by itself when the shop answers, staff stay signed in, and
 * a restarted demo shop keeps the cart, the sign-in and the guest keys.
 * Driven with real pointer clicks (xdotool). */
#include <gdk/x11/gdkx.h>

#include "sd-account-page.h"
#include "sd-checkout-page.h"
#include "sd-orders-board.h"
#include "sd-orders-page.h"
#include "sd-products-admin.h"
#include "sd-test-ui.h"
#include "sd-test-util.h"

/* ---- a user's pointer ---------------------------------------------------- */

/* A real click (XTEST) in the middle of widget. */
static void
real_click (GtkWidget *widget)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_point_t middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                 gtk_widget_get_height (widget) / 2.f);
  graphene_point_t at;
  double dx, dy;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  g_assert_true (gtk_widget_is_drawable (widget));
  /* Where it settles: a window just shown is still being laid out. */
  for (graphene_point_t before = GRAPHENE_POINT_INIT (-1.f, -1.f);; before = at)
    {
      sd_test_wait_painted (window);
      middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f, gtk_widget_get_height (widget) / 2.f);
      g_assert_true (gtk_widget_compute_point (widget, window, &middle, &at));
      if (graphene_point_equal (&at, &before))
        break;
    }
  /* Widget coordinates start inside the window's shadow. */
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  x = g_strdup_printf ("%d", (int) (at.x + dx));
  y = g_strdup_printf ("%d", (int) (at.y + dy));
  /* The pointer is over the widget (and GTK knows it) before the press. */
  sd_test_keys (window, "mousemove", "--window", xid, x, y, NULL);
  sd_test_wait_painted (window);
  sd_test_keys (window, "click", "1", NULL);
  sd_test_wait_painted (window);
}

/* The sidebar's row for section ("orders", "staff-orders", …). */
static GtkWidget *
section_row (SdWindow *window, const char *section)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (rows->pdata[i]), section) == 0)
      return rows->pdata[i];
  g_error ("no row for %s", section);
}

/* The sidebar's row of the category with that id; NULL: All Products. */
static GtkWidget *
category_row (SdWindow *window, const char *id)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);
  GtkWidget *all = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *row_id = g_object_get_data (rows->pdata[i], "sd-category-id");

      if (id != NULL && g_strcmp0 (row_id, id) == 0)
        return rows->pdata[i];
      /* All Products heads the categories' list. */
      if (id == NULL && all == NULL && row_id == NULL &&
          gtk_widget_get_next_sibling (rows->pdata[i]) &&
          g_object_get_data (G_OBJECT (gtk_widget_get_next_sibling (rows->pdata[i])), "sd-category-id"))
        all = rows->pdata[i];
    }
  g_assert_nonnull (all);
  return all;
}

/* The id of the nth category in the sidebar. */
static const char *
nth_category (SdWindow *window, guint n)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *id = g_object_get_data (rows->pdata[i], "sd-category-id");

      if (id != NULL && n-- == 0)
        return id;
    }
  g_error ("not that many categories");
}

static gboolean
categories_listed (gpointer window)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_object_get_data (rows->pdata[i], "sd-category-id"))
      return TRUE;
  return FALSE;
}

/* ---- conditions -------------------------------------------------------- */

static gboolean
offline_shown (gpointer window)
{
  return sd_test_offline_shown (window);
}

static gboolean
offline_gone (gpointer window)
{
  return sd_test_offline_gone (window);
}

/* The grid finished loading (or failing), whatever it shows. */
static gboolean
grid_settled (gpointer window)
{
  return !sd_catalog_get_loading (sd_window_get_catalog (window)) && !sd_test_state_is (window, "loading");
}

/* The grid settled on the category wanted, or on a problem. */
static gboolean
grid_done (gpointer window)
{
  return grid_settled (window) &&
         (sd_test_state_is (window, "error") ||
          g_strcmp0 (sd_catalog_get_category_id (sd_window_get_catalog (window)),
                     g_object_get_data (window, "sd-wanted")) == 0);
}

static gboolean
grid_shows_wanted (gpointer window)
{
  return grid_done (window) && sd_test_shows_products (window);
}

static void
show_category (SdWindow *window, const char *id)
{
  g_object_set_data_full (G_OBJECT (window), "sd-wanted", g_strdup (id), g_free);
  real_click (category_row (window, id));
  sd_test_wait_until (grid_done, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_state (window), ==, "products");
}

static gboolean
shows_product (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "product") == 0;
}

/* Opens the first card of the grid with a click. */
static SdProduct *
open_first_card (SdWindow *window)
{
  g_autoptr(GPtrArray) cards = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  GtkWidget *cell;

  g_assert_cmpuint (cards->len, ==, 1);
  cell = gtk_widget_get_first_child (cards->pdata[0]);
  while (cell && !gtk_widget_get_visible (cell))
    cell = gtk_widget_get_next_sibling (cell);
  g_assert_nonnull (cell);
  real_click (cell);
  sd_test_wait_until (shows_product, window, SD_TEST_UI_WAIT_MS);
  return sd_product_page_get_product (SD_PRODUCT_PAGE (sd_window_get_page (window, "product")));
}

static gboolean
in_section (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), g_object_get_data (window, "sd-section")) == 0;
}

static void
go_to (SdWindow *window, const char *section)
{
  g_object_set_data_full (G_OBJECT (window), "sd-section", g_strdup (section), g_free);
  real_click (section_row (window, section));
  sd_test_wait_until (in_section, window, SD_TEST_UI_WAIT_MS);
}

/* ---- the shop goes away and comes back ----------------------------------- */

/* What was read stays on screen while offline; only what never
 * loaded says it cannot be shown; the shop back, the offline state goes by
 * itself (no Try Again pressed) and the page shows the shop's again. */
static void
test_kept_pages (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OfflineKept", sd_test_server_start (TRUE));
  g_autofree char *first = NULL;
  g_autofree char *never = NULL;
  g_autofree char *name = NULL;
  SdProduct *product;

  sd_test_wait_until (categories_listed, window, SD_TEST_UI_WAIT_MS);
  first = g_strdup (nth_category (window, 0));
  never = g_strdup (nth_category (window, 1));
  show_category (window, first);
  show_category (window, NULL);
  product = open_first_card (window);
  name = g_strdup (sd_product_get_name (product));
  go_to (window, "orders");
  g_assert_false (offline_shown (window));

  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  /* Back to the grid already read: it stays, while offline. */
  show_category (window, NULL);
  sd_test_wait_until (offline_shown, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_shows_products (window));
  g_assert_false (sd_test_dialog_shown (NULL));
  sd_test_save_screenshot (GTK_WIDGET (window), "offline-kept");
  /* The product read before opens as it was. */
  product = open_first_card (window);
  g_assert_cmpstr (sd_product_get_name (product), ==, name);
  /* A category never read here: a problem, with Try Again. */
  real_click (category_row (window, never));
  sd_test_wait_until (grid_settled, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_state_is (window, "error"));
  g_assert_nonnull (sd_test_find_button (GTK_WIDGET (window), "_Try Again", FALSE));
  sd_test_save_screenshot (GTK_WIDGET (window), "offline-never-loaded");
  /* The grid already read is there again. */
  show_category (window, NULL);
  g_assert_true (offline_shown (window));
  real_click (category_row (window, never));
  sd_test_wait_until (grid_settled, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_state_is (window, "error"));

  /* The shop comes back at the same address: nothing pressed, the offline state
   * goes and the page on show loads what it could not. */
  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (offline_gone, window, SD_TEST_UI_WAIT_MS);
  g_object_set_data_full (G_OBJECT (window), "sd-wanted", g_strdup (never), g_free);
  sd_test_wait_until (grid_shows_wanted, window, SD_TEST_UI_WAIT_MS);
}

/* Try Again, in the list the header bar's sync status opens, asks the
 * shop at once: nothing while it is down, the offline state gone once
 * it is back. */
static void
try_again (SdWindow *window)
{
  SdSyncStatus *status = sd_test_sync_status (window);
  g_autoptr(GPtrArray) popovers = NULL;

  sd_sync_status_popup (status);   /* opens the list */
  popovers = sd_test_find_all (GTK_WIDGET (status), GTK_TYPE_POPOVER);
  g_assert_cmpuint (popovers->len, ==, 1);
  sd_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, popovers->pdata[0], SD_TEST_UI_WAIT_MS);
  sd_test_click (sd_test_button_labelled (popovers->pdata[0], "_Try Again"));
  gtk_popover_popdown (popovers->pdata[0]);
}

static void
test_try_again (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OfflineTryAgain", sd_test_server_start (TRUE));

  sd_test_wait_until (categories_listed, window, SD_TEST_UI_WAIT_MS);
  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  show_category (window, NULL);
  sd_test_wait_until (offline_shown, window, SD_TEST_UI_WAIT_MS);
  try_again (window);
  g_assert_true (offline_shown (window));
  g_assert_true (sd_test_shows_products (window));
  sd_test_server_restart (ui.server, TRUE);
  try_again (window);
  sd_test_wait_until (offline_gone, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_shows_products (window));
}

/* ---- staff across a reconnect ---------------------------------------------- */

static gboolean
board_loaded (gpointer window)
{
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));

  return sd_test_board_idle (board) && sd_page_get_shop (SD_PAGE (board)) != NULL;
}

/* The board says it shows what this computer kept. */
static gboolean
board_from_disk (gpointer window)
{
  return sd_test_label_shown (GTK_WIDGET (window), "Kept on this computer: the shop is not reachable");
}

static gboolean
board_from_shop (gpointer window)
{
  return !board_from_disk (window);
}

static gboolean
products_loaded (gpointer window)
{
  GtkWidget *page = sd_window_get_page (window, "staff-products");

  GListModel *products = sd_products_admin_get_products (SD_PRODUCTS_ADMIN (page));

  return sd_test_products_idle (page) && g_list_model_get_n_items (products) > 0;
}

/* Staff signed in; the shop restarts; staff pages still work, signed in,
 * and nobody is asked to sign in again. */
static void
test_staff_reconnect (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OfflineStaff", sd_test_server_start (TRUE));

  go_to (window, "account");
  sd_account_page_sign_in (SD_ACCOUNT_PAGE (sd_window_get_page (window, "account")), "admin@example.com",
                           "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  go_to (window, "staff-orders");
  sd_test_wait_until (board_loaded, window, SD_TEST_UI_WAIT_MS);

  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  /* What staff had read stays, without a dialog over it. */
  go_to (window, "orders");
  go_to (window, "staff-orders");
  sd_test_wait_until (offline_shown, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (board_loaded, window, SD_TEST_UI_WAIT_MS);
  g_assert_false (sd_test_dialog_shown (NULL));
  /* The orders it shows come from this computer's store, and it says so. */
  sd_test_wait_until (board_from_disk, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_screenshot (GTK_WIDGET (window), "offline-staff");

  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (offline_gone, window, SD_TEST_UI_WAIT_MS);
  /* Still staff, still signed in: the pages answer. */
  go_to (window, "staff-products");
  sd_test_wait_until (products_loaded, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_signed_in (window));
  g_assert_null (sd_test_find_button (GTK_WIDGET (window), "_Sign In", FALSE));
  go_to (window, "staff-orders");
  sd_test_wait_until (board_loaded, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (board_from_shop, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");
  g_assert_true (sd_test_signed_in (window));
  g_assert_false (sd_test_dialog_shown (NULL));
}

/* ---- the demo shop restarted --------------------------------------------- */

/* The app's own demo path (no shop named: SdLocalServer on a free port,
 * its data under XDG_DATA_HOME), returned once its window shows the
 * catalog. */
static SdWindow *
start_demo (SdApplication **app, const char *name)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window;

  *app = sd_test_new_app (name);
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (*app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (*app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  sd_test_wait_until (sd_test_shows_products, window, SD_TEST_UI_WAIT_MS);
  return window;
}

static gboolean
in_section_checkout (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "checkout") == 0;
}

static gboolean
cart_has_one (gpointer window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_cart (window))) == 1;
}

static gboolean
orders_list_has (gpointer page)
{
  GListModel *orders = sd_orders_page_get_orders (page);

  if (!sd_test_orders_listed (page))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) order = g_list_model_get_item (orders, i);

      if (g_strcmp0 (sd_order_get_id (order), g_object_get_data (page, "sd-order-id")) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A guest's order, placed with clicks; its id. */
static char *
place_guest_order (SdWindow *window)
{
  GtkWidget *checkout = sd_window_get_page (window, "checkout");

  sd_test_add_first_product (window, 1, 0);
  go_to (window, "cart");
  real_click (sd_test_button_labelled (sd_window_get_page (window, "cart"), "_Check Out"));
  sd_test_wait_until (in_section_checkout, window, SD_TEST_UI_WAIT_MS);
  sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  real_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  return g_strdup (sd_order_get_id (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))));
}

/* storedesk --demo twice: the second demo shop listens elsewhere, yet
 * the cart, the sign-in and the guest's order keys are all back. */
static void
test_demo_restart (void)
{
  g_autoptr(SdApplication) app = NULL;
  SdWindow *window = start_demo (&app, "DemoFirst");
  g_autofree char *first_url = g_strdup (sd_api_get_base_url (sd_window_get_api (window)));
  g_autofree char *order_id = NULL;
  GtkWidget *orders, *sign_out;

  order_id = place_guest_order (window);
  show_category (window, NULL);
  sd_test_add_first_product (window, 2, 1);
  go_to (window, "account");
  sd_account_page_sign_in (SD_ACCOUNT_PAGE (sd_window_get_page (window, "account")), "customer@example.com",
                           "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  sd_test_close_app (&app);

  window = start_demo (&app, "DemoSecond");
  g_test_message ("first demo at %s, second at %s", first_url, sd_api_get_base_url (sd_window_get_api (window)));
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (cart_has_one, window, SD_TEST_UI_WAIT_MS);
  /* The guest's order, found again with its kept key once signed out. */
  go_to (window, "account");
  sign_out = sd_test_button_labelled (sd_window_get_page (window, "account"), "Sign _Out");
  sd_test_scroll_into_view (sign_out);
  real_click (sign_out);
  sd_test_wait_until (sd_test_signed_out, window, SD_TEST_UI_WAIT_MS);
  orders = sd_window_get_page (window, "orders");
  g_object_set_data_full (G_OBJECT (orders), "sd-order-id", g_strdup (order_id), g_free);
  go_to (window, "orders");
  sd_test_wait_until (orders_list_has, orders, SD_TEST_UI_WAIT_MS);
  sd_test_close_app (&app);
}

static gboolean
error_page_shown (gpointer window)
{
  return g_strcmp0 (sd_window_get_state (window), "error") == 0;
}

/* A shop seen here before, started while it is away: its products show
 * from this computer's copy with its categories, and no error page. */
static void
test_known_shop_from_disk (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "KnownFirst", sd_test_server_start (TRUE));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window)));

  sd_test_wait_until (categories_listed, window, SD_TEST_UI_WAIT_MS);
  sd_test_close_app (&ui.app);
  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);

  window = sd_test_ui_start (&ui, "KnownSecond", ui.server);
  sd_test_wait_until (sd_test_shows_products, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window))), ==, shown);
  sd_test_wait_until (offline_shown, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (categories_listed, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (sd_test_nothing_pending, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_false (error_page_shown (window));
  g_assert_true (sd_test_shows_products (window));
  sd_test_save_screenshot (GTK_WIDGET (window), "offline-start");
}

static gboolean
orders_error_shown (gpointer page)
{
  return g_strcmp0 (sd_orders_page_get_state (page), "error") == 0;
}

/* Signed out while the shop is away, on a shared counter PC: My Orders
 * does not keep showing the member's orders as if they were the guest's;
 * it says the guest's orders cannot be loaded now. */
static void
test_signed_out_offline (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OfflineSignOut", sd_test_server_start (TRUE));
  GtkWidget *orders = sd_window_get_page (window, "orders");
  g_autofree char *guest_id = place_guest_order (window);   /* a guest key kept here */
  g_autofree char *member_id = NULL;
  GtkWidget *sign_out;

  go_to (window, "account");
  sd_account_page_sign_in (SD_ACCOUNT_PAGE (sd_window_get_page (window, "account")), "customer@example.com",
                           "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  member_id = place_guest_order (window);
  g_object_set_data_full (G_OBJECT (orders), "sd-order-id", g_strdup (member_id), g_free);
  go_to (window, "orders");
  sd_test_wait_until (orders_list_has, orders, SD_TEST_UI_WAIT_MS);

  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  go_to (window, "account");
  sign_out = sd_test_button_labelled (sd_window_get_page (window, "account"), "Sign _Out");
  sd_test_scroll_into_view (sign_out);
  real_click (sign_out);
  sd_test_wait_until (sd_test_signed_out, window, SD_TEST_UI_WAIT_MS);
  go_to (window, "orders");
  sd_test_wait_until (orders_error_shown, orders, SD_TEST_UI_WAIT_MS);
  g_assert_false (orders_list_has (orders));
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/offline/kept-pages", test_kept_pages);
  g_test_add_func ("/ui/offline/try-again", test_try_again);
  g_test_add_func ("/ui/offline/staff-reconnect", test_staff_reconnect);
  g_test_add_func ("/ui/offline/demo-restart", test_demo_restart);
  g_test_add_func ("/ui/offline/signed-out", test_signed_out_offline);
  g_test_add_func ("/ui/offline/known-shop-from-disk", test_known_shop_from_disk);
  return sd_test_ui_run ();
}
