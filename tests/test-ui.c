/* test-ui.c — the real app window under Xvfb against a demo server.
 *
 * Runs twice (LANGUAGE=en and LANGUAGE=ko) and leaves a screenshot of the
 * window for each in $STOREDESK_SCREENSHOT_DIR. */
#include <adwaita.h>

#include "sd-application.h"
#include "sd-product-card.h"
#include "sd-test-util.h"
#include "sd-window.h"

static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

static GPtrArray *
find_all (GtkWidget *root, GType type)
{
  GPtrArray *out = g_ptr_array_new ();
  collect (root, type, out);
  return out;
}

/* Several applications live in this one process; on a session bus each
 * needs an id of its own to export its object path. */
static SdApplication *
new_app (const char *suffix)
{
  SdApplication *app = sd_application_new ();
  g_autofree char *id = g_strconcat ("io.github.storedesk.Storedesk.Test.", suffix, NULL);

  g_application_set_application_id (G_APPLICATION (app), id);
  return app;
}

static gboolean
state_is (SdWindow *window, const char *state)
{
  return g_strcmp0 (sd_window_get_state (window), state) == 0;
}

static gboolean
shows_products (gpointer window)
{
  return state_is (window, "products");
}

static gboolean
shows_error (gpointer window)
{
  return state_is (window, "error");
}

/* Enough visible cards have their thumbnails. */
static gboolean
thumbnails_shown (gpointer window)
{
  g_autoptr(GPtrArray) cards = find_all (window, SD_TYPE_PRODUCT_CARD);
  guint with_image = 0, bound = 0;

  for (guint i = 0; i < cards->len; i++)
    if (sd_product_card_get_product (cards->pdata[i]))
      {
        bound++;
        with_image += sd_product_card_has_image (cards->pdata[i]);
      }
  return bound >= 8 && with_image == bound;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static void
save_screenshot (GtkWidget *window, const char *what)
{
  const char *dir = g_getenv ("STOREDESK_SCREENSHOT_DIR");
  const char *lang = g_getenv ("LANGUAGE");
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  name = g_strdup_printf ("storedesk%s%s-%s.png", what ? "-" : "", what ? what : "",
                          lang && *lang ? lang : "en");
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_window (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("Window");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  g_autoptr(GtkListBoxRow) row = NULL;
  g_autofree char *row_id = NULL;
  SdWindow *window;
  SdCatalog *catalog;
  guint n_all;
  gboolean korean = g_strcmp0 (g_getenv ("LANGUAGE"), "ko") == 0;

  sd_application_set_server_url (app, server->url);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);

  /* The grid shows the seeded catalog, with pictures. */
  sd_test_wait_for (shows_products, window);
  catalog = sd_window_get_catalog (window);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_all, >=, 40);
  sd_test_wait_for (thumbnails_shown, window);

  cards = find_all (GTK_WIDGET (window), SD_TYPE_PRODUCT_CARD);
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
      g_autoptr(GPtrArray) labels = find_all (cards->pdata[i], GTK_TYPE_LABEL);
      for (guint j = 0; j < labels->len; j++)
        if (gtk_widget_has_css_class (labels->pdata[j], "price"))
          g_ptr_array_add (prices, labels->pdata[j]);
    }
  g_assert_cmpuint (prices->len, >=, 8);
  if (korean)
    g_assert_true (g_str_has_suffix (gtk_label_get_label (prices->pdata[0]), "원"));
  else
    g_assert_true (g_str_has_prefix (gtk_label_get_label (prices->pdata[0]), "₩"));

  settle (300);
  save_screenshot (GTK_WIDGET (window), NULL);

  /* Picking a category in the sidebar shows only its products. */
  lists = find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  g_assert_cmpuint (lists->len, ==, 1);
  row = g_object_ref (gtk_list_box_get_row_at_index (lists->pdata[0], 2));
  g_assert_nonnull (row);
  row_id = g_strdup (g_object_get_data (G_OBJECT (row), "sd-category-id"));
  g_assert_nonnull (row_id);
  gtk_list_box_select_row (lists->pdata[0], row);
  g_assert_true (g_strcmp0 (sd_window_get_state (window), "loading") == 0);
  sd_test_wait_for (shows_products, window);
  g_assert_cmpstr (sd_catalog_get_category_id (catalog), ==, row_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), <, n_all);

  /* The shop goes away: Reload shows the unreachable state, no crash. */
  sd_test_server_kill (server);
  settle (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_for (shows_error, window);
  /* and a retry is offered; it fails the same way while the shop is down */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_for (shows_error, window);
  settle (300);
  save_screenshot (GTK_WIDGET (window), "unreachable");
  {
    /* The reconnect kept the user's place: the chosen category stays in
     * the title and the sidebar, and no stale product count is shown. */
    g_autoptr(GPtrArray) titles = find_all (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
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

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
shows_empty (gpointer window)
{
  return state_is (window, "empty");
}

static void
test_empty_shop (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (FALSE);
  g_autoptr(SdApplication) app = new_app ("Empty");
  SdWindow *window;

  sd_application_set_server_url (app, server->url);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  sd_test_wait_for (shows_empty, window);
  gtk_window_destroy (GTK_WINDOW (window));
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

  if (window == NULL || !state_is (SD_WINDOW (window), "products"))
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
  g_autoptr(SdApplication) app = new_app ("Demo");
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
      sd_test_wait_for (has_error, &error);
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE))
        break;
      g_assert_cmpuint (tries, <, 50);
      g_usleep (100 * 1000);
    }
  g_free (run.url);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("storedesk-ui-XXXXXX", NULL);
  int status;

  /* The demo shop lives under XDG_DATA_HOME: never the developer's own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  sd_i18n_init ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/window", test_window);
  g_test_add_func ("/ui/empty-shop", test_empty_shop);
  g_test_add_func ("/ui/demo", test_demo);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_home);
    (void) system (cmd);
  }
  return status;
}
