/* test-ui-search.c — the catalog's search and navigation driven by real
 * keys (xdotool under Xvfb, to the focused window), never by activating
 * actions: the focus bugs of issue 17 hid behind tests that called the
 * actions. */
#include "sd-test-ui.h"

#include <string.h>

#include "sd-account-page.h"
#include "sd-catalog-page.h"
#include "sd-page.h"
#include "sd-product-card.h"
#include "sd-products-admin.h"

static gboolean
entry_has_focus (gpointer window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *entry = g_object_get_data (G_OBJECT (window), "sd-search-entry");

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

static gboolean
searching (gpointer window)
{
  SdCatalogPage *page = SD_CATALOG_PAGE (sd_window_get_page (window, "shop"));

  return g_strcmp0 (sd_catalog_page_get_query (page), "LED") == 0 && sd_test_all_match (window);
}

/* The bar closed and the whole catalog back. */
static gboolean
search_closed (gpointer window)
{
  SdCatalogPage *page = SD_CATALOG_PAGE (sd_window_get_page (window, "shop"));
  GtkWidget *bar = g_object_get_data (G_OBJECT (window), "sd-search-bar");

  /* Not loading: the list from disk shows first, and the shop's answer
   * replacing it under the keys typed next would take their focus. */
  return !gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)) && sd_catalog_page_get_query (page) == NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window))) >= 40 &&
         !sd_catalog_get_loading (sd_window_get_catalog (window));
}

static void
find_search (SdWindow *window)
{
  g_autoptr(GPtrArray) bars = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR);
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *bar = NULL;

  /* The window's own bar, over the pages (some pages have their own). */
  for (guint i = 0; i < bars->len; i++)
    if (gtk_widget_get_ancestor (bars->pdata[i], SD_TYPE_PAGE) == NULL)
      bar = bars->pdata[i];
  g_assert_nonnull (bar);
  entries = sd_test_find_all (bar, GTK_TYPE_SEARCH_ENTRY);
  /* (the sort drop-down's popover holds a search entry of its own) */
  g_assert_cmpuint (entries->len, >=, 1);
  g_assert_null (gtk_widget_get_ancestor (entries->pdata[0], GTK_TYPE_DROP_DOWN));
  g_object_set_data (G_OBJECT (window), "sd-search-bar", bar);
  g_object_set_data (G_OBJECT (window), "sd-search-entry", entries->pdata[0]);
  g_object_set_data (G_OBJECT (window), "sd-term", (gpointer) "LED");
}

/* Ctrl+F from a staff-free page focuses the entry; typing filters;
 * Escape closes the bar and the filter goes with it; typing in the grid
 * opens the search with what was typed. */
static void
test_search_keys (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "SearchKeys", sd_test_server_start (TRUE));

  find_search (window);
  sd_test_wait_until (sd_test_shows_products, window, SD_TEST_UI_WAIT_MS);

  /* Ctrl+F from the cart page: the shop's search, the entry focused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  sd_test_keys (GTK_WIDGET (window), "key", "ctrl+f", NULL);
  sd_test_wait_until (entry_has_focus, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "shop");

  sd_test_keys (GTK_WIDGET (window), "type", "--delay", "40", "LED", NULL);
  sd_test_wait_until (searching, window, SD_TEST_UI_WAIT_MS);

  sd_test_keys (GTK_WIDGET (window), "key", "Escape", NULL);
  sd_test_wait_until (search_closed, window, SD_TEST_UI_WAIT_MS);

  /* Type-to-search: keys typed on the grid start a search. */
  gtk_widget_grab_focus (GTK_WIDGET (sd_window_get_page (window, "shop")));
  sd_test_keys (GTK_WIDGET (window), "type", "--delay", "40", "LED", NULL);
  sd_test_wait_until (searching, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (entry_has_focus (window));

  /* The search button closes it too, and the filter with it. */
  sd_test_keys (GTK_WIDGET (window), "key", "Escape", NULL);
  sd_test_wait_until (search_closed, window, SD_TEST_UI_WAIT_MS);
}

static gboolean
in_shop (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "shop") == 0;
}

static gboolean
scrolls (gpointer adjustment)
{
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 1;
}

static GtkAdjustment *
product_scroll (SdWindow *window)
{
  g_autoptr(GPtrArray) scrollers = sd_test_find_all (sd_window_get_page (window, "product"),
                                                     GTK_TYPE_SCROLLED_WINDOW);

  g_assert_cmpuint (scrollers->len, >=, 1);
  return gtk_scrolled_window_get_vadjustment (scrollers->pdata[0]);
}

static gboolean
in_cart (gpointer window) { return g_strcmp0 (sd_window_get_section (window), "cart") == 0; }
static gboolean
in_account (gpointer window) { return g_strcmp0 (sd_window_get_section (window), "account") == 0; }

/* How many rows the sidebar's lists have selected, together. */
static guint
n_selected (SdWindow *window)
{
  g_autoptr(GPtrArray) lists = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  guint n = 0;

  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (lists->pdata[i], "navigation-sidebar"))
      {
        GList *rows = gtk_list_box_get_selected_rows (lists->pdata[i]);
        n += g_list_length (rows);
        g_list_free (rows);
      }
  return n;
}

/* The focus is on widget or inside it. */
static gboolean
focus_in (gpointer widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The focus is on a widget inside widget. */
static gboolean
focus_inside (gpointer widget)
{
  return focus_in (widget) && gtk_root_get_focus (gtk_widget_get_root (widget)) != widget;
}

static gboolean
in_product (gpointer window)
{
  return g_strcmp0 (sd_window_get_section (window), "product") == 0 &&
         focus_in (sd_window_get_page (window, "product"));
}

/* Back in the shop, the focus on the grid. */
static gboolean
in_grid (gpointer window)
{
  return in_shop (window) && focus_in (sd_window_get_page (window, "shop"));
}

/* The card on screen showing the catalog's product at position. */
static GtkWidget *
card_at (SdWindow *window, guint position)
{
  g_autoptr(SdProduct) product = g_list_model_get_item (G_LIST_MODEL (sd_window_get_catalog (window)), position);
  g_autoptr(GPtrArray) cards = sd_test_find_all (sd_window_get_page (window, "shop"), SD_TYPE_PRODUCT_CARD);

  for (guint i = 0; i < cards->len; i++)
    if (sd_product_card_get_product (cards->pdata[i]) == product && gtk_widget_is_drawable (cards->pdata[i]))
      return cards->pdata[i];
  g_error ("no card for product %u", position);
}

/* Opens the product at position with a real click on its card: the
 * product page has the focus, and the sidebar one selected row. */
static void
click_open (SdWindow *window, guint position)
{
  GtkWidget *card;

  sd_test_wait_painted (GTK_WIDGET (window));
  card = card_at (window, position);
  sd_test_scroll_into_view (card);
  sd_test_click_at (card, 1);
  sd_test_wait_until (in_product, window, SD_TEST_UI_WAIT_MS);
  /* and it stays there */
  sd_test_wait_painted (GTK_WIDGET (window));
  g_assert_true (in_product (window));
  g_assert_cmpuint (n_selected (window), ==, 1);
}

/* The window's own leaflet (pages have their own). */
static AdwLeaflet *
leaflet (SdWindow *window)
{
  g_autoptr(GPtrArray) leaflets = sd_test_find_all (GTK_WIDGET (window), ADW_TYPE_LEAFLET);

  for (guint i = 0; i < leaflets->len; i++)
    if (gtk_widget_get_ancestor (leaflets->pdata[i], SD_TYPE_PAGE) == NULL)
      return leaflets->pdata[i];
  g_assert_not_reached ();
}

static gboolean
folded (gpointer window)
{
  return adw_leaflet_get_folded (leaflet (window));
}

/* Folded, the sidebar shown instead of the page. */
static gboolean
sidebar_shown (gpointer window)
{
  GtkWidget *shown = adw_leaflet_get_visible_child (leaflet (window));

  return !gtk_widget_is_ancestor (sd_window_get_page (window, "shop"), shown);
}

static GtkWidget *
back_button (SdWindow *window)
{
  return sd_test_find_button (GTK_WIDGET (window), "Back", TRUE);
}

/* A product opened with a click (the focus in it, one sidebar row
 * selected) has a Back button in the header, wide or folded; it, the
 * mouse's back button and Alt+Left (even from the quantity box, a spin
 * button that would take the key for itself) go back to the grid, the
 * focus on it; the next product opens at its top. */
static void
test_back (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Back", sd_test_server_start (TRUE));
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  g_autoptr(GPtrArray) spins = sd_test_find_all (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON);
  GtkAdjustment *scroll = product_scroll (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  sd_test_wait_until (sd_test_thumbnails_shown, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_painted (GTK_WIDGET (window));
  g_assert_null (back_button (window));   /* nowhere to go back to */
  g_assert_cmpuint (n_selected (window), ==, 1);

  click_open (window, 0);
  g_assert_nonnull (back_button (window));
  sd_test_save_screenshot (GTK_WIDGET (window), "product-1100");
  /* Tab goes on from the page into its controls. */
  sd_test_keys (GTK_WIDGET (window), "key", "Tab", NULL);
  sd_test_wait_until (focus_inside, page, SD_TEST_UI_WAIT_MS);
  sd_test_click_at (back_button (window), 1);
  sd_test_wait_until (in_grid, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (n_selected (window), ==, 1);
  g_assert_null (back_button (window));

  /* Left scrolled down with the focus in the quantity box. */
  click_open (window, 0);
  g_assert_cmpuint (spins->len, ==, 1);
  gtk_widget_grab_focus (spins->pdata[0]);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 420);
  sd_test_wait_until (scrolls, scroll, SD_TEST_UI_WAIT_MS);
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);
  sd_test_keys (GTK_WIDGET (window), "key", "alt+Left", NULL);
  sd_test_wait_until (in_grid, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (n_selected (window), ==, 1);
  click_open (window, 1);
  sd_test_wait_painted (GTK_WIDGET (window));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);

  /* The mouse's back button. */
  sd_test_click_at (GTK_WIDGET (page), 8);
  sd_test_wait_until (in_grid, window, SD_TEST_UI_WAIT_MS);

  /* Wider. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 760);
  click_open (window, 2);
  g_assert_nonnull (back_button (window));
  sd_test_save_screenshot (GTK_WIDGET (window), "product-1400");
  sd_test_keys (GTK_WIDGET (window), "key", "alt+Left", NULL);
  sd_test_wait_until (in_grid, window, SD_TEST_UI_WAIT_MS);

  /* Folded: back from a product to the grid, then from the grid to the
   * sidebar. */
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 760);
  sd_test_wait_until (folded, window, SD_TEST_UI_WAIT_MS);
  click_open (window, 0);
  g_assert_nonnull (back_button (window));
  sd_test_save_screenshot (GTK_WIDGET (window), "product-folded");
  sd_test_click_at (back_button (window), 1);
  sd_test_wait_until (in_grid, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_painted (GTK_WIDGET (window));
  sd_test_click_at (sd_test_find_button (GTK_WIDGET (window), "Categories", TRUE), 1);
  sd_test_wait_until (sidebar_shown, window, SD_TEST_UI_WAIT_MS);
}

/* The sidebar's row for the section name; NULL: a category's. */
static GtkWidget *
sidebar_row (SdWindow *window, const char *name)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (name ? g_strcmp0 (gtk_widget_get_name (rows->pdata[i]), name) == 0
             : g_object_get_data (rows->pdata[i], "sd-category-id") != NULL)
      return rows->pdata[i];
  g_error ("no sidebar row %s", name ? name : "for a category");
}

/* The index of the category row with the focus, or -1. */
static int
focused_category (SdWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  if (focus == NULL || !GTK_IS_LIST_BOX_ROW (focus) ||
      gtk_widget_get_parent (focus) != g_object_get_data (G_OBJECT (window), "sd-categories"))
    return -1;
  return gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus));
}

static gboolean
on_category_1 (gpointer window) { return focused_category (window) == 1; }
static gboolean
on_category_2 (gpointer window) { return focused_category (window) == 2; }
static gboolean
on_any_category (gpointer window) { return focused_category (window) >= 0; }

/* The shop shows the category in the window's "sd-category-id". */
static gboolean
shows_category (gpointer window)
{
  SdCatalogPage *page = SD_CATALOG_PAGE (sd_window_get_page (window, "shop"));

  return in_shop (window) && sd_test_shows_products (window) &&
         g_strcmp0 (sd_catalog_page_get_category_id (page),
                    g_object_get_data (G_OBJECT (window), "sd-category-id")) == 0;
}

/* Tab and the arrows move the focus through the categories without
 * showing them (the page stays, one sidebar row selected); Enter and
 * Space show the one with the focus. */
static void
test_category_keys (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "CategoryKeys", sd_test_server_start (TRUE));
  SdCatalogPage *shop = SD_CATALOG_PAGE (sd_window_get_page (window, "shop"));
  GtkWidget *account = sidebar_row (window, "account");
  GtkListBox *categories = GTK_LIST_BOX (gtk_widget_get_parent (sidebar_row (window, NULL)));

  g_object_set_data (G_OBJECT (window), "sd-categories", categories);

  sd_test_keys (GTK_WIDGET (window), "key", "alt+2", NULL);
  sd_test_wait_until (in_cart, window, SD_TEST_UI_WAIT_MS);
  gtk_widget_grab_focus (account);
  sd_test_keys (GTK_WIDGET (window), "key", "Tab", NULL);
  sd_test_wait_until (on_any_category, window, SD_TEST_UI_WAIT_MS);
  sd_test_keys (GTK_WIDGET (window), "key", "Down", NULL);
  sd_test_wait_until (on_category_1, window, SD_TEST_UI_WAIT_MS);
  sd_test_keys (GTK_WIDGET (window), "key", "Down", NULL);
  sd_test_wait_until (on_category_2, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "cart");
  g_assert_null (sd_catalog_page_get_category_id (shop));
  g_assert_cmpuint (n_selected (window), ==, 1);

  g_object_set_data (G_OBJECT (window), "sd-category-id",
                     g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (categories, 2)), "sd-category-id"));
  sd_test_keys (GTK_WIDGET (window), "key", "Return", NULL);
  sd_test_wait_until (shows_category, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (n_selected (window), ==, 1);

  /* In the shop: Up moves the focus, not the category; Space shows it. */
  sd_test_keys (GTK_WIDGET (window), "key", "Up", NULL);
  sd_test_wait_until (on_category_1, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (shows_category (window));
  g_assert_true (gtk_list_box_get_selected_row (categories) == gtk_list_box_get_row_at_index (categories, 2));
  g_object_set_data (G_OBJECT (window), "sd-category-id",
                     g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (categories, 1)), "sd-category-id"));
  sd_test_keys (GTK_WIDGET (window), "key", "space", NULL);
  sd_test_wait_until (shows_category, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (n_selected (window), ==, 1);
}

static gboolean
new_product_open (gpointer window)
{
  GtkWidget *products = sd_window_get_page (window, "staff-products");

  return g_strcmp0 (sd_window_get_section (window), "staff-products") == 0 &&
         sd_test_products_idle (products) && sd_products_admin_get_editing (SD_PRODUCTS_ADMIN (products)) == NULL &&
         focus_in (sd_test_entry_titled (products, "Name"));
}

/* Ctrl+N starts a new product wherever the focus is, for staff; for a
 * customer it does nothing. */
static void
test_new_product_keys (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "NewProductKeys", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *orders_row = sidebar_row (window, "orders");

  find_search (window);

  gtk_widget_grab_focus (sd_window_get_page (window, "shop"));
  sd_test_keys (GTK_WIDGET (window), "key", "ctrl+n", NULL);
  sd_test_keys (GTK_WIDGET (window), "key", "alt+2", NULL);
  /* the keys come in order: Ctrl+N did nothing, Alt+2 showed the cart */
  sd_test_wait_until (in_cart, window, SD_TEST_UI_WAIT_MS);

  sd_test_keys (GTK_WIDGET (window), "key", "alt+4", NULL);
  sd_test_wait_until (in_account, window, SD_TEST_UI_WAIT_MS);
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);

  /* From the grid, the sidebar, and the search entry. */
  for (guint i = 0; i < 3; i++)
    {
      sd_test_keys (GTK_WIDGET (window), "key", "alt+1", NULL);
      sd_test_wait_until (in_shop, window, SD_TEST_UI_WAIT_MS);
      if (i == 0)
        gtk_widget_grab_focus (sd_window_get_page (window, "shop"));
      else if (i == 1)
        gtk_widget_grab_focus (orders_row);
      else
        {
          sd_test_keys (GTK_WIDGET (window), "key", "ctrl+f", NULL);
          sd_test_wait_until (entry_has_focus, window, SD_TEST_UI_WAIT_MS);
        }
      sd_test_keys (GTK_WIDGET (window), "key", "ctrl+n", NULL);
      sd_test_wait_until (new_product_open, window, SD_TEST_UI_WAIT_MS);
    }
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/search-keys", test_search_keys);
  g_test_add_func ("/ui/back", test_back);
  g_test_add_func ("/ui/category-keys", test_category_keys);
  g_test_add_func ("/ui/new-product-keys", test_new_product_keys);
  return sd_test_ui_run ();
}
