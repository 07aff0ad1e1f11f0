/* test-ui-shop.c — a shop in the window: its catalog, an empty shop,
 * another shop chosen in Preferences, the shop going away and coming
 * back, and storedesk --demo. */
#include "sd-test-ui.h"
#include "sd-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-preferences.h"
#include "sd-product-card.h"

/* The sidebar's list of categories (its rows carry their ids). */
static GtkListBox *
category_list (SdWindow *window)
{
  g_autoptr(GPtrArray) lists = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);

  for (guint i = 0; i < lists->len; i++)
    {
      GtkListBoxRow *second = gtk_list_box_get_row_at_index (lists->pdata[i], 1);
      if (second && g_object_get_data (G_OBJECT (second), "sd-category-id") != NULL)
        return lists->pdata[i];
    }
  g_assert_not_reached ();
}

/* The grid shows the category in the window's "sd-category-id". */
static gboolean
shows_category (gpointer window)
{
  return sd_test_shows_products (window) &&
         g_strcmp0 (sd_catalog_get_category_id (sd_window_get_catalog (window)),
                    g_object_get_data (G_OBJECT (window), "sd-category-id")) == 0;
}

static gboolean
shows_error (gpointer window)
{
  return sd_test_state_is (window, "error");
}

static gboolean
catalog_idle (gpointer catalog)
{
  return !sd_catalog_get_loading (catalog);
}

static void
test_window (void)
{
  g_auto(SdTestUi) ui = { 0 };
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  g_autoptr(GtkListBoxRow) row = NULL;
  g_autofree char *row_id = NULL;
  SdWindow *window;
  SdCatalog *catalog;
  guint n_all;
  gboolean korean = g_strcmp0 (g_getenv ("LANGUAGE"), "ko") == 0;

  window = sd_test_ui_open (&ui, "Window", sd_test_server_start (TRUE));

  /* The grid shows the seeded catalog, with pictures. */
  catalog = sd_window_get_catalog (window);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_all, >=, 40);
  sd_test_wait_until (sd_test_thumbnails_shown, window, SD_TEST_UI_WAIT_MS);

  cards = sd_test_find_all (GTK_WIDGET (window), SD_TYPE_PRODUCT_CARD);
  g_assert_cmpuint (cards->len, >=, 8);
  {
    g_autoptr(SdProduct) first = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
    gboolean found = FALSE;

    for (guint i = 0; i < cards->len; i++)
      found |= sd_product_card_get_product (cards->pdata[i]) == first;
    g_assert_true (found);
  }

  /* Prices read the local way. */
  prices = g_ptr_array_new ();
  for (guint i = 0; i < cards->len; i++)
    {
      g_autoptr(GPtrArray) labels = sd_test_find_all (cards->pdata[i], GTK_TYPE_LABEL);
      for (guint j = 0; j < labels->len; j++)
        if (gtk_widget_has_css_class (labels->pdata[j], "price"))
          g_ptr_array_add (prices, labels->pdata[j]);
    }
  g_assert_cmpuint (prices->len, >=, 8);
  if (korean)
    g_assert_true (g_str_has_suffix (gtk_label_get_label (prices->pdata[0]), "원"));
  else
    g_assert_true (g_str_has_prefix (gtk_label_get_label (prices->pdata[0]), "₩"));

  sd_test_save_screenshot (GTK_WIDGET (window), NULL);
  sd_test_assert_buttons_named (GTK_WIDGET (window));

  /* Picking a category in the sidebar shows only its products. */
  lists = g_ptr_array_new ();
  g_ptr_array_add (lists, category_list (window));
  row = g_object_ref (gtk_list_box_get_row_at_index (lists->pdata[0], 2));
  g_assert_nonnull (row);
  row_id = g_strdup (g_object_get_data (G_OBJECT (row), "sd-category-id"));
  g_assert_nonnull (row_id);
  g_object_set_data (G_OBJECT (window), "sd-category-id", row_id);
  sd_test_click_at (GTK_WIDGET (row), 1);
  sd_test_wait_until (shows_category, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), <, n_all);

  /* The shop goes away: Reload keeps the products read (the offline
   * banner says why); a category never read shows the unreachable
   * state, no crash. */
  sd_test_server_kill (ui.server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_until (catalog_idle, catalog, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_shows_products (window));
  g_clear_object (&row);
  row = g_object_ref (gtk_list_box_get_row_at_index (lists->pdata[0], 3));
  sd_test_click_at (GTK_WIDGET (row), 1);
  sd_test_wait_until (shows_error, window, SD_TEST_UI_WAIT_MS);
  /* and a retry is offered; it fails the same way while the shop is down */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_until (shows_error, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_screenshot (GTK_WIDGET (window), "unreachable");
  {
    /* The reconnect kept the user's place: the chosen category stays in
     * the title and the sidebar, and no stale product count is shown. */
    g_autoptr(GPtrArray) titles = sd_test_find_all (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
    const char *row_label = gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_child (row)));
    gboolean titled = FALSE;

    g_assert_true (gtk_list_box_get_selected_row (lists->pdata[0]) == row);
    for (guint i = 0; i < titles->len; i++)
      if (g_strcmp0 (adw_window_title_get_title (titles->pdata[i]), row_label) == 0)
        {
          titled = TRUE;
          g_assert_cmpstr (adw_window_title_get_subtitle (titles->pdata[i]), ==, "");
        }
    g_assert_true (titled);
  }
}

static void
test_empty_shop (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_start (&ui, "Empty", sd_test_server_start (FALSE));

  sd_test_wait_until (sd_test_shows_empty, window, SD_TEST_UI_WAIT_MS);
}

static SdPreferences *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (SD_IS_PREFERENCES (w))
        return SD_PREFERENCES (w);
    }
  g_assert_not_reached ();
}

static gboolean
status_settled (gpointer preferences)
{
  const char *status = sd_preferences_get_status (preferences);
  return *status && g_strcmp0 (status, g_dgettext (GETTEXT_PACKAGE, "Checking the shop…")) != 0;
}

static gboolean
pictures_cleared (gpointer preferences)
{
  return g_strcmp0 (sd_preferences_get_status (preferences),
                    g_dgettext (GETTEXT_PACKAGE, "The kept pictures were cleared; they load again from the shop when shown.")) == 0;
}

static gboolean
on_second_shop (gpointer user_data)
{
  SdWindow *window = g_object_get_data (user_data, "sd-window");
  const char *url = g_object_get_data (user_data, "sd-url");

  /* The second shop is an empty one: its grid says so. */
  return sd_window_get_api (window) && g_strcmp0 (sd_api_get_base_url (sd_window_get_api (window)), url) == 0 &&
         sd_test_state_is (window, "empty");
}

/* Preferences: an address where no shop answers is refused and not
 * saved; another shop is checked, saved, and the window moves to it. */
static void
test_preferences (void)
{
  g_autoptr(SdTestServer) second = sd_test_server_start (FALSE);
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Preferences", sd_test_server_start (TRUE));
  g_autofree char *dead = sd_test_dead_url ();
  g_autofree char *saved = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storedesk.Storedesk");
  SdPreferences *preferences;

  /* As if started without --server: Preferences decide. */
  sd_application_set_server_url (ui.app, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "preferences", NULL);
  preferences = find_preferences ();

  sd_preferences_set_shop_url (preferences, dead);
  sd_test_wait_until (status_settled, preferences, SD_TEST_UI_WAIT_MS);
  g_test_message ("%s", sd_preferences_get_status (preferences));
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, "");
  sd_test_save_screenshot (GTK_WIDGET (preferences), "preferences");

  /* Clear the pictures kept for the first shop. */
  sd_preferences_clear_pictures (preferences);
  sd_test_wait_until (pictures_cleared, preferences, SD_TEST_UI_WAIT_MS);

  g_object_set_data (G_OBJECT (ui.app), "sd-window", window);
  g_object_set_data (G_OBJECT (ui.app), "sd-url", second->url);
  sd_preferences_set_shop_url (preferences, second->url);
  sd_test_wait_until (status_settled, preferences, SD_TEST_UI_WAIT_MS);
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, second->url);
  sd_test_wait_until (on_second_shop, ui.app, SD_TEST_UI_WAIT_MS);
  g_settings_reset (settings, "server-url");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The shop stops mid-session: the header bar says offline, the cart and
 * loaded pages still work; the shop returns: that goes by itself. */
static void
test_offline (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Offline", sd_test_server_start (TRUE));
  SdCart *cart = sd_window_get_cart (window);

  sd_test_add_first_product (window, 3, 1);
  g_assert_false (sd_test_offline_shown (window));
  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "orders"));
  sd_test_wait_until (sd_test_offline_shown, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  /* Checkout is never queued: the cart says why not now. */
  g_assert_true (sd_test_label_shown (GTK_WIDGET (window), "The shop is not reachable. An order needs the shop’s "
                                      "stock and prices as they are now, so it is never kept to be sent later: "
                                      "your cart stays here, and you can check out when the shop answers again."));
  sd_test_save_screenshot (GTK_WIDGET (window), "offline");
  /* A picture from the cache while the shop is down is no sign of it. */
  g_assert_true (sd_test_offline_shown (window));
  /* Browsing what was loaded still works. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_add_first_product (window, 1, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 2);

  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (sd_test_offline_gone, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  g_assert_false (sd_test_label_shown (GTK_WIDGET (window), "The shop is not reachable. An order needs the "
                                       "shop’s stock and prices as they are now, so it is never kept to be sent "
                                       "later: your cart stays here, and you can check out when the shop answers "
                                       "again."));
}

typedef struct {
  char    *url;
  guint    n_items;
} DemoRun;

static gboolean
poll_demo_cb (gpointer user_data)
{
  GApplication *app = user_data;
  DemoRun *run = g_object_get_data (G_OBJECT (app), "demo-run");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL || !sd_test_state_is (SD_WINDOW (window), "products"))
    return G_SOURCE_CONTINUE;
  run->url = g_strdup (sd_api_get_base_url (sd_window_get_api (SD_WINDOW (window))));
  run->n_items = g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (SD_WINDOW (window))));
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
demo_activate_cb (GApplication *app, gpointer user_data)
{
  g_timeout_add (50, poll_demo_cb, app);
}

static void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **out = user_data;

  if (sd_api_check_health_finish (SD_API (source), result, out))
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "still up");
}

static gboolean
has_error (gpointer user_data)
{
  return *(GError **) user_data != NULL;
}

/* storedesk --demo: starts storedesk-server from the build tree, shows
 * its catalog, and stops it when the app quits. */
static void
test_demo (void)
{
  g_autoptr(SdApplication) app = sd_test_new_app ("Demo");
  char *argv[] = { (char *) "storedesk", (char *) "--demo", NULL };
  DemoRun run = { 0 };
  g_autoptr(SdApi) api = NULL;
  int status;

  g_object_set_data (G_OBJECT (app), "demo-run", &run);
  g_signal_connect_after (app, "activate", G_CALLBACK (demo_activate_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (run.url);
  g_assert_true (g_str_has_prefix (run.url, "http://127.0.0.1:"));
  g_assert_cmpuint (run.n_items, >=, 40);

  /* After quitting, nothing answers there any more. */
  api = sd_api_new (run.url, NULL);
  for (guint tries = 0; ; tries++)
    {
      g_autoptr(GError) error = NULL;

      sd_api_check_health_async (api, NULL, health_cb, &error);
      sd_test_wait_until (has_error, &error, SD_TEST_UI_WAIT_MS);
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE))
        break;
      g_assert_cmpuint (tries, <, 50);
      g_usleep (100 * 1000);
    }
  g_free (run.url);
  sd_test_close_app (&app);
}

/* A product name wraps between its words, never inside one: Pango alone
 * broke "라탄 수납바구니세트 대형" as 수납바|구니세트 대|형 (UAX #14 lets a
 * line break between any two Hangul syllables). */
static void
test_keep_words (void)
{
  const char *name = "라탄 수납바구니세트 대형";
  GtkWidget *label;
  g_autoptr(PangoLayout) layout = NULL;
  int width;

  gtk_init ();   /* no window here: the display for the fonts */
  label = g_object_ref_sink (gtk_label_new (NULL));
  sd_ui_label_keep_words (GTK_LABEL (label));
  gtk_label_set_label (GTK_LABEL (label), name);
  layout = gtk_widget_create_pango_layout (label, name);
  pango_layout_set_attributes (layout, gtk_label_get_attributes (GTK_LABEL (label)));
  pango_layout_get_size (layout, &width, NULL);
  /* Room for about two thirds of it: it has to wrap. */
  pango_layout_set_width (layout, width * 2 / 3);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;

      g_test_message ("line: %.*s", line->length, name + line->start_index);
      g_assert_true (line->start_index == 0 || name[line->start_index - 1] == ' ');
    }
  g_object_unref (label);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/window", test_window);
  g_test_add_func ("/ui/keep-words", test_keep_words);
  g_test_add_func ("/ui/empty-shop", test_empty_shop);
  g_test_add_func ("/ui/preferences", test_preferences);
  g_test_add_func ("/ui/offline", test_offline);
  g_test_add_func ("/ui/demo", test_demo);
  return sd_test_ui_run ();
}
