/* test-ui-search.c — the catalog's search driven by real keys (xdotool
 * under Xvfb, to the focused window), never by activating actions: the
 * focus bugs of issue 17 hid behind tests that called the actions. */
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

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/search-keys", test_search_keys);
  return sd_test_ui_run ();
}
