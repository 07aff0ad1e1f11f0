/* test-ui-search.c — the catalog's search and navigation driven by real
 * keys (xdotool under Xvfb, to the focused window), never by activating
 * actions: the focus bugs of issue 17 hid behind tests that called the
 * actions. */
#include "sd-test-ui.h"

#include <string.h>

#include "sd-catalog-page.h"
#include "sd-page.h"

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

  return !gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)) && sd_catalog_page_get_query (page) == NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window))) >= 40;
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

/* Alt+Left goes back from a product to the grid, even from its quantity
 * box (a spin button, which would take the key for itself); the next
 * product opens at its top, not where the last one was scrolled to. */
static void
test_back_keys (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "BackKeys", sd_test_server_start (TRUE));
  g_autoptr(GPtrArray) grids = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autoptr(GPtrArray) spins = NULL;
  GtkAdjustment *scroll;

  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate", 0);
  g_assert_cmpstr (sd_window_get_section (window), ==, "product");
  spins = sd_test_find_all (sd_window_get_page (window, "product"), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpuint (spins->len, ==, 1);
  gtk_widget_grab_focus (spins->pdata[0]);
  /* Short enough for the page to scroll. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 420);
  scroll = product_scroll (window);
  sd_test_wait_until (scrolls, scroll, SD_TEST_UI_WAIT_MS);
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);
  sd_test_keys (GTK_WIDGET (window), "key", "alt+Left", NULL);
  sd_test_wait_until (in_shop, window, SD_TEST_UI_WAIT_MS);

  /* As a user opens the next one: from the grid, which has the focus
   * (a focus left in the hidden product page would scroll it there). */
  gtk_widget_grab_focus (grids->pdata[0]);
  g_signal_emit_by_name (grids->pdata[0], "activate", 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (product_scroll (window)), ==, 0);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/search-keys", test_search_keys);
  g_test_add_func ("/ui/back-keys", test_back_keys);
  return sd_test_ui_run ();
}
