/* test-ui.c — the real app window under Xvfb against a demo server.
 *
 * Runs twice (LANGUAGE=en and LANGUAGE=ko) and leaves a screenshot of the
 * window for each in $STOREDESK_SCREENSHOT_DIR. */
#include <adwaita.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-application.h"
#include "sd-categories-admin.h"
#include "sd-customers-admin.h"
#include "sd-checkout-page.h"
#include "sd-orders-board.h"
#include "sd-orders-page.h"
#include "sd-preferences.h"
#include "sd-prep-page.h"
#include "sd-product-card.h"
#include "sd-product-page.h"
#include "sd-products-admin.h"
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-ui.h"
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

/* The sidebar's list of categories (its rows carry their ids). */
static GtkListBox *
category_list (SdWindow *window)
{
  g_autoptr(GPtrArray) lists = find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);

  for (guint i = 0; i < lists->len; i++)
    {
      GtkListBoxRow *second = gtk_list_box_get_row_at_index (lists->pdata[i], 1);
      if (second && g_object_get_data (G_OBJECT (second), "sd-category-id") != NULL)
        return lists->pdata[i];
    }
  g_assert_not_reached ();
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
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  /* A widget waiting for its next layout draws nothing: wait for a frame. */
  for (guint tries = 0; node == NULL && tries < 40; tries++)
    {
      g_autoptr(GtkSnapshot) again = gtk_snapshot_new ();

      if (tries > 0)
        settle (50);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (again), w, h);
      node = gtk_snapshot_to_node (again);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  name = g_strdup_printf ("storedesk%s%s-%s.png", what ? "-" : "", what ? what : "",
                          lang && *lang ? lang : "en");
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Every button on screen says what it does to a screen reader: its
 * label, or an accessible name where it shows only an icon. */
static void
assert_buttons_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);
  guint checked = 0;

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = buttons->pdata[i];
      GtkWidget *parent = gtk_widget_get_parent (b);
      /* A menu button's or a drop-down's inner button: the outer one is named. */
      GtkAccessible *named = GTK_IS_MENU_BUTTON (parent) || GTK_IS_DROP_DOWN (parent) ? GTK_ACCESSIBLE (parent)
                                                                                       : GTK_ACCESSIBLE (b);
      const char *label = gtk_button_get_label (GTK_BUTTON (b));

      if (!gtk_widget_is_drawable (b) || (label && *label))
        continue;
      /* The window's controls, a spin button's +/− and a toast's close
       * button are GTK's and libadwaita's own (1.2 leaves the last unnamed). */
      if (gtk_widget_get_ancestor (b, GTK_TYPE_WINDOW_CONTROLS) || gtk_widget_get_ancestor (b, GTK_TYPE_SPIN_BUTTON) ||
          (g_type_from_name ("AdwToastWidget") && gtk_widget_get_ancestor (b, g_type_from_name ("AdwToastWidget"))))
        continue;
      checked++;
      if (!gtk_test_accessible_has_property (named, GTK_ACCESSIBLE_PROPERTY_LABEL))
        for (GtkWidget *w = b; w; w = gtk_widget_get_parent (w))
          g_test_message ("  in %s", G_OBJECT_TYPE_NAME (w));
      if (!gtk_test_accessible_has_property (named, GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("an icon-only %s (%s) has no accessible name", G_OBJECT_TYPE_NAME (b),
                 gtk_widget_get_tooltip_text (b) ? gtk_widget_get_tooltip_text (b) : "no tooltip");
    }
  g_test_message ("%u icon-only buttons named", checked);
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
  assert_buttons_named (GTK_WIDGET (window));

  /* Picking a category in the sidebar shows only its products. */
  lists = g_ptr_array_new ();
  g_ptr_array_add (lists, category_list (window));
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

static gboolean orders_settled (gpointer page);

/* My Orders against the original with nothing ordered (it answers 404):
 * the empty state, never an error, and no lookup by key, which the
 * original cannot do. */
static void
test_original_orders_empty (void)
{
  static const char * const no_extensions[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (FALSE, no_extensions);
  g_autoptr(SdApplication) app = new_app ("OriginalOrders");
  SdWindow *window;
  SdOrdersPage *orders;
  g_autoptr(GPtrArray) groups = NULL;

  sd_application_set_server_url (app, server->url);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  /* Pages, not the frames of a crossfade, in the screenshot. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  sd_test_wait_for (shows_empty, window);
  orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "orders"));
  sd_orders_page_reload (orders);
  sd_test_wait_for (orders_settled, orders);
  g_assert_cmpstr (sd_orders_page_get_state (orders), ==, "empty");
  groups = find_all (GTK_WIDGET (orders), ADW_TYPE_PREFERENCES_GROUP);
  for (guint i = 0; i < groups->len; i++)
    g_assert_false (gtk_widget_is_drawable (groups->pdata[i]));   /* no "Find a Guest Order" */
  settle (200);
  save_screenshot (GTK_WIDGET (window), "orders-empty-original");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- driving the real widgets ---------------------------------------- */

/* The drawable button under root labelled msgid (as translated now), or,
 * by_tooltip, the icon-only one whose tooltip (and accessible name) it is. */
static GtkWidget *
find_button (GtkWidget *root, const char *msgid, gboolean by_tooltip)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);
  const char *text = g_dgettext (GETTEXT_PACKAGE, msgid);

  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_is_drawable (buttons->pdata[i]) &&
        g_strcmp0 (by_tooltip ? gtk_widget_get_tooltip_text (buttons->pdata[i])
                              : gtk_button_get_label (buttons->pdata[i]), text) == 0)
      return buttons->pdata[i];
  return NULL;
}

static GtkWidget *
button_labelled (GtkWidget *root, const char *msgid)
{
  GtkWidget *button = find_button (root, msgid, FALSE);

  if (button == NULL)
    g_error ("no visible button “%s”", g_dgettext (GETTEXT_PACKAGE, msgid));
  return button;
}

typedef struct {
  GtkWidget  *root;
  const char *msgid;
} Wanted;

static gboolean
button_shown (gpointer user_data)
{
  Wanted *w = user_data;

  return find_button (w->root, w->msgid, FALSE) != NULL;
}

/* Waits for a button to show (a toast's slides in). */
static GtkWidget *
wait_button (GtkWidget *root, const char *msgid)
{
  Wanted w = { root, msgid };

  sd_test_wait_for (button_shown, &w);
  return button_labelled (root, msgid);
}

/* A click: what a pointer press and release on it end in. (Keyboard
 * activation animates the press for a moment before it clicks.) */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The entry row titled msgid under root. */
static GtkEditable *
entry_titled (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) rows = find_all (root, ADW_TYPE_ENTRY_ROW);
  const char *title = g_dgettext (GETTEXT_PACKAGE, msgid);

  /* The one on screen, where pages have several of a title. */
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0 &&
        gtk_widget_is_drawable (rows->pdata[i]))
      return rows->pdata[i];
  g_error ("no entry “%s”", title);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer unused)
{
  return find_dialog () != NULL;
}

static SdWindow *
open_window (SdApplication *app, SdTestServer *server)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window;

  sd_application_set_server_url (app, server->url);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  /* Pages, not the frames of a crossfade, in the screenshots. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  sd_test_wait_for (shows_products, window);
  return window;
}

static gboolean
checkout_done (gpointer page)
{
  return g_strcmp0 (sd_checkout_page_get_state (page), "done") == 0;
}

static gboolean
orders_listed (gpointer page)
{
  return g_strcmp0 (sd_orders_page_get_state (page), "list") == 0;
}

static gboolean
order_detail_shown (gpointer page)
{
  return g_strcmp0 (sd_orders_page_get_state (page), "detail") == 0;
}

static gboolean
orders_settled (gpointer page)
{
  return orders_listed (page) || g_strcmp0 (sd_orders_page_get_state (page), "empty") == 0;
}

static gboolean
signed_in (gpointer window)
{
  return sd_session_get_signed_in (sd_window_get_session (window));
}

static gboolean
signed_out (gpointer window)
{
  return !sd_session_get_signed_in (sd_window_get_session (window));
}

static gboolean
cart_saved (gpointer window)
{
  return !sd_cart_get_saving (sd_window_get_cart (window));
}

/* Opens the first product the grid shows (a click on it) and adds count
 * with its Add button. Returns the product. */
static SdProduct *
add_first_product (SdWindow *window, guint count, guint position)
{
  g_autoptr(GPtrArray) grids = find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  SdProductPage *page;

  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate", position);
  g_assert_cmpstr (sd_window_get_section (window), ==, "product");
  page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  sd_product_page_set_count (page, count);
  click (button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  return sd_product_page_get_product (page);
}

static void
fill_receiver (GtkWidget *page, const char *name, const char *phone, const char *address)
{
  gtk_editable_set_text (entry_titled (page, "Name"), name);
  gtk_editable_set_text (entry_titled (page, "Mobile Number"), phone);
  gtk_editable_set_text (entry_titled (page, "Address"), address);
}

/* The grid shows only products whose name or brand has the search term. */
static gboolean
all_match (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *term = g_object_get_data (G_OBJECT (window), "sd-term");
  guint n = g_list_model_get_n_items (catalog);

  if (!shows_products (window) || n == 0 || n >= 40)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      if (!strstr (sd_product_get_name (p), term) && !strstr (sd_product_get_brand (p), term))
        return FALSE;
    }
  return TRUE;
}

/* A screenshot of a step of a flow run in mode: the original's have
 * "-original" in their names. */
static void
save_mode_screenshot (GtkWidget *window, const char *what, SdTestMode mode)
{
  g_autofree char *name = sd_test_mode_path (what, mode);

  g_strdelimit (name, "/", '-');
  save_screenshot (window, name);
}

/* A label on screen under root has msgid (as translated now) in it. */
static gboolean
label_shown (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);
  const char *text = g_dgettext (GETTEXT_PACKAGE, msgid);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]) && strstr (gtk_label_get_label (labels->pdata[i]), text))
      return TRUE;
  return FALSE;
}

/* The first product of the catalog with an option of two values or more. */
static SdProduct *
product_with_option (SdWindow *window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));

  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      SdOption *o = sd_product_get_option (p);

      if (o && sd_option_get_n_values (o) >= 2)
        return p;   /* the catalog keeps it */
    }
  g_error ("no product with an option in the catalog");
}

/* The position in the catalog of the product with id. */
static guint
catalog_position (SdWindow *window, const char *id)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));

  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      if (g_strcmp0 (sd_product_get_id (p), id) == 0)
        return i;
    }
  g_error ("product %s not in the grid", id);
}

/* Chooses the option's value at index on the product page, as the user
 * does with its drop-down (the one titled with the option's name). */
static const char *
choose_option (SdProductPage *page, guint index)
{
  SdOption *option = sd_product_get_option (sd_product_page_get_product (page));
  g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW);
  guint chosen = 0;

  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_is_drawable (rows->pdata[i]) &&
        g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), sd_option_get_name (option)) == 0)
      {
        adw_combo_row_set_selected (rows->pdata[i], index);
        chosen++;
      }
  g_assert_cmpuint (chosen, ==, 1);
  g_assert_cmpstr (sd_product_page_get_option (page), ==, sd_option_get_values (option)[index]);
  return sd_product_page_get_option (page);
}

/* Browse → search → a product with an option, its second value chosen →
 * add (and Undo) → cart → checkout as a guest → the order → My Orders
 * lists it. Ours gives a key, to find the order from anywhere; the
 * original gives none, and the app keeps the order on this computer. */
static void
test_guest_checkout (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "Guest" : "GuestOriginal");
  SdWindow *window = open_window (app, server);
  SdCart *cart = sd_window_get_cart (window);
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  GtkWidget *orders = sd_window_get_page (window, "orders");
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  g_autoptr(GPtrArray) grids = find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autoptr(SdProduct) product = NULL;
  g_autofree char *term = NULL;
  g_autofree char *value = NULL;
  SdOrder *order;

  /* The grid shows the demo catalog, with pictures. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_catalog (window))), >=, 40);
  sd_test_wait_for (thumbnails_shown, window);
  product = g_object_ref (product_with_option (window));

  /* Search as you type: a word of its name. */
  {
    const char *name = sd_product_get_name (product);
    const char *space = strchr (name, ' ');

    term = space ? g_strndup (name, space - name) : g_strdup (name);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_object_set_data (G_OBJECT (window), "sd-term", term);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), term);
  sd_test_wait_for (all_match, window);
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "search", mode);

  /* It opens with a click; its second value is chosen; add 2, take it
   * back with Undo, add 2 again. */
  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate", catalog_position (window, sd_product_get_id (product)));
  g_assert_cmpstr (sd_window_get_section (window), ==, "product");
  g_assert_cmpstr (sd_product_get_id (sd_product_page_get_product (page)), ==, sd_product_get_id (product));
  value = g_strdup (choose_option (page, 1));
  sd_product_page_set_count (page, 2);
  click (button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_test_message ("added %s, %s (stock %" G_GINT64_FORMAT ")", sd_product_get_name (product), value,
                  sd_product_get_stock (product));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  settle (300);
  save_mode_screenshot (GTK_WIDGET (window), "product", mode);
  click (wait_button (GTK_WIDGET (window), "_Undo"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 0);
  click (button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  {
    g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), 0);

    g_assert_cmpstr (sd_cart_line_get_option (line), ==, value);
    g_assert_cmpuint (sd_cart_line_get_count (line), ==, 2);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  settle (300);
  save_mode_screenshot (GTK_WIDGET (window), "cart", mode);
  assert_buttons_named (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  g_assert_cmpstr (sd_window_get_section (window), ==, "checkout");
  /* What a guest gets: a key on ours; none on the original, where this
   * computer keeps the order. */
  g_assert_true (label_shown (checkout, mode == SD_TEST_OURS
                              ? "Ordering as a guest. Storedesk keeps the order’s key in your keyring, so you "
                                "can find the order again under My Orders. Sign in under Account to order as a member."
                              : "Ordering as a guest. This shop gives no key to find an order again: Storedesk keeps "
                                "the order’s number in your keyring, so My Orders finds it on this computer. Sign in "
                                "under Account to order as a member."));

  /* The rules are checked as one types; nothing is sent while wrong. */
  fill_receiver (checkout, "김하늘", "010-12", "");
  click (button_labelled (checkout, "_Place Order"));
  g_assert_cmpstr (sd_checkout_page_get_state (SD_CHECKOUT_PAGE (checkout)), ==, "form");
  fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  gtk_editable_set_text (entry_titled (checkout, "Note for the Delivery (Optional)"), "문 앞에 놓아 주세요");
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "checkout", mode);
  click (button_labelled (checkout, "_Place Order"));
  sd_test_wait_for (checkout_done, checkout);
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
      g_assert_true (label_shown (checkout, sd_order_get_access_key (order)));
    }
  else
    {
      g_assert_null (sd_order_get_access_key (order));
      g_assert_true (sd_order_get_kept_here (order));
      g_assert_true (label_shown (checkout, "This shop gives no key to find an order again and does not store "
                                            "where it goes. This computer keeps the order’s number and address "
                                            "(in your keyring): My Orders finds it here."));
    }
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "ordered", mode);

  /* My Orders, as a guest: the order, from the keyring. */
  click (button_labelled (checkout, "_See My Orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "orders");
  {
    g_autoptr(SdOrder) listed = NULL;

    sd_test_wait_for (orders_listed, orders);
    listed = g_list_model_get_item (sd_orders_page_get_orders (SD_ORDERS_PAGE (orders)), 0);
    g_assert_cmpstr (sd_order_get_id (listed), ==, sd_order_get_id (order));
    g_assert_true (sd_order_get_kept_here (listed) == (mode == SD_TEST_ORIGINAL));
    settle (200);
    save_mode_screenshot (GTK_WIDGET (window), "orders", mode);
    sd_orders_page_show_order (SD_ORDERS_PAGE (orders), listed);
    sd_test_wait_for (order_detail_shown, orders);
    settle (200);
    save_mode_screenshot (GTK_WIDGET (window), "orders-detail-guest", mode);
  }
  if (mode == SD_TEST_OURS)
    {
      /* Found again by number and key, as on another computer (from
       * the list, where the lookup is). */
      sd_orders_page_reload (SD_ORDERS_PAGE (orders));
      sd_test_wait_for (orders_listed, orders);
      gtk_editable_set_text (entry_titled (orders, "Order Number"), sd_order_get_id (order));
      gtk_editable_set_text (entry_titled (orders, "Key"), sd_order_get_access_key (order));
      g_signal_emit_by_name (entry_titled (orders, "Key"), "apply");
      sd_test_wait_for (order_detail_shown, orders);
    }
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
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
 * included), and cancelling deletes it there, as the confirmation says. */
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
  g_autoptr(SdTestServer) server = sd_test_server_start_mode_with (mode, short_tokens);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "Member" : "MemberOriginal");
  SdWindow *window = open_window (app, server);
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdOrdersPage *orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  g_autoptr(GPtrArray) grids = find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  GListModel *list;
  g_autoptr(SdOrder) first = NULL;
  g_autofree char *value = NULL;
  g_autofree char *order_id = NULL;
  guint before;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "sign-in", mode);
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_for (signed_in, window);
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "account", mode);

  /* A product with an option, its second value. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate",
                         catalog_position (window, sd_product_get_id (product_with_option (window))));
  value = g_strdup (choose_option (page, 1));
  click (button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  /* Prefilled from the profile. */
  g_assert_cmpstr (gtk_editable_get_text (entry_titled (checkout, "Name")), ==,
                   sd_session_get_name (sd_window_get_session (window)));
  g_assert_cmpstr (gtk_editable_get_text (entry_titled (checkout, "Mobile Number")), !=, "");
  click (button_labelled (checkout, "_Place Order"));
  sd_test_wait_for (checkout_done, checkout);
  {
    SdOrder *order = sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout));
    g_autoptr(SdOrderLine) line = g_list_model_get_item (sd_order_get_lines (order), 0);

    g_assert_null (sd_order_get_access_key (order));
    g_assert_cmpstr (sd_order_line_get_option (line), ==, value);
    order_id = g_strdup (sd_order_get_id (order));
  }

  click (button_labelled (checkout, "_See My Orders"));
  sd_test_wait_for (orders_listed, orders);
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
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "order", mode);
  if (mode == SD_TEST_OURS)
    sd_orders_page_cancel_shown (orders);
  else
    {
      /* Cancelling deletes the order there: the confirmation says so. */
      AdwMessageDialog *dialog;

      click (button_labelled (GTK_WIDGET (orders), "_Cancel Order…"));
      sd_test_wait_for (dialog_shown, NULL);
      dialog = find_dialog ();
      g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                       g_dgettext (GETTEXT_PACKAGE, "The shop will not send it, and this shop deletes a cancelled "
                                                    "order: it will be gone from the shop and from this list. This "
                                                    "cannot be undone."));
      adw_message_dialog_response (dialog, "cancel-order");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  sd_test_wait_for (orders_settled, orders);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, before - 1);

  /* Tokens run out; the next call finds out. */
  g_usleep ((refresh_ttl + 1) * G_USEC_PER_SEC);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  sd_test_wait_for (signed_out, window);
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "session-ended", mode);
  click (wait_button (GTK_WIDGET (window), "_Sign In"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "account");
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_for (signed_in, window);
  sd_test_wait_for (section_is_orders, window);   /* back where the user was */
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
code_mailed (gpointer server)
{
  g_autofree char *code = sd_test_find_code (server, "nari@example.com");
  return code != NULL;
}

static gboolean
avatar_has_picture (gpointer window)
{
  g_autoptr(GPtrArray) avatars = find_all (window, ADW_TYPE_AVATAR);

  return avatars->len > 0 && adw_avatar_get_custom_image (avatars->pdata[0]) != NULL;
}

/* Create an Account with the code from the shop's outbox → signed in;
 * a profile picture from a file → prepared, queued, sent, shown. */
static void
test_sign_up (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("SignUp");
  SdWindow *window = open_window (app, server);
  GtkWidget *account = sd_window_get_page (window, "account");
  g_autofree char *code = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storedesk-ui-photo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "me.png", NULL);
  g_autoptr(GdkPixbuf) photo = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 1200, 900);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  click (button_labelled (account, "_Create an Account"));
  gtk_editable_set_text (entry_titled (account, "Email"), "nari@example.com");
  /* Sending anything before the code is refused right here. */
  click (button_labelled (account, "C_reate Account"));
  g_assert_false (sd_session_get_signed_in (sd_window_get_session (window)));
  click (button_labelled (account, "Send _Code"));
  sd_test_wait_for (code_mailed, server);
  code = sd_test_read_code (server, "nari@example.com");
  {
    /* The form of the code page, found by titles the user reads. */
    g_autoptr(GPtrArray) rows = find_all (account, ADW_TYPE_ENTRY_ROW);
    const char *name_title = g_dgettext (GETTEXT_PACKAGE, "Name");
    guint named = 0;

    gtk_editable_set_text (entry_titled (account, "Code from the Email"), code);
    /* Two "Name" rows exist (profile and sign-up); the sign-up one is drawn. */
    for (guint i = 0; i < rows->len; i++)
      if (gtk_widget_is_drawable (rows->pdata[i]) &&
          g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name_title) == 0)
        {
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "이나리");
          named++;
        }
    g_assert_cmpuint (named, ==, 1);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *title = adw_preferences_row_get_title (rows->pdata[i]);
        if (!gtk_widget_is_drawable (rows->pdata[i]))
          continue;
        if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Mobile Number")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "010-5555-1234");
        else if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Address")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "서울시 종로구 1");
        else if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Password")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "Nari1234!");
      }
  }
  settle (200);
  save_screenshot (GTK_WIDGET (window), "sign-up");
  click (button_labelled (account, "C_reate Account"));
  sd_test_wait_for (signed_in, window);
  g_assert_cmpstr (sd_session_get_email (sd_window_get_session (window)), ==, "nari@example.com");
  g_assert_cmpstr (sd_session_get_name (sd_window_get_session (window)), ==, "이나리");

  /* A transparent 1200×900 PNG: prepared (flattened, JPEG), queued, sent. */
  gdk_pixbuf_fill (photo, 0x3366cc80);
  g_assert_true (gdk_pixbuf_save (photo, path, "png", NULL, NULL));
  sd_account_page_set_picture (SD_ACCOUNT_PAGE (account), file);
  sd_test_wait_for (avatar_has_picture, window);
  g_assert_nonnull (sd_session_get_profile_image (sd_window_get_session (window)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
  settle (200);
  save_screenshot (GTK_WIDGET (window), "profile");
  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
prep_done (gpointer page)
{
  return sd_prep_page_get_pending (page) == 0;
}

static guint wanted_saves;

static gboolean
saves_done (gpointer page)
{
  return sd_prep_page_get_saved (page) == wanted_saves;
}

/* Image Preparation: a photo and a fake are dropped in; the photo is
 * prepared, the fake refused with its reason; saving twice into one
 * folder makes photo.jpg, then photo-2.jpg, never replacing a file. */
static void
test_photos (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("Photos");
  SdWindow *window = open_window (app, server);
  SdPrepPage *page = SD_PREP_PAGE (sd_window_get_page (window, "photos"));
  g_autofree char *dir = g_dir_make_tmp ("storedesk-ui-prep-XXXXXX", NULL);
  g_autofree char *photo = g_build_filename (dir, "shelf.png", NULL);
  g_autofree char *fake = g_build_filename (dir, "fake.jpg", NULL);
  g_autofree char *out1 = g_build_filename (dir, "shelf.jpg", NULL);
  g_autofree char *out2 = g_build_filename (dir, "shelf-2.jpg", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 2600, 1400);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  gdk_pixbuf_fill (pixbuf, 0xcc8844ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, photo, "png", NULL, NULL));
  g_assert_true (g_file_set_contents (fake, "not a photo", -1, NULL));
  {
    g_autoptr(GFile) a = g_file_new_for_path (photo);
    g_autoptr(GFile) b = g_file_new_for_path (fake);

    g_list_store_append (files, a);
    g_list_store_append (files, b);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
  sd_prep_page_add_files (page, G_LIST_MODEL (files));
  sd_test_wait_for (prep_done, page);
  g_assert_cmpuint (sd_prep_page_get_prepared (page), ==, 1);
  g_assert_cmpuint (sd_prep_page_get_failed (page), ==, 1);
  settle (200);
  save_screenshot (GTK_WIDGET (window), "photos");

  wanted_saves = 1;
  sd_prep_page_save_to (page, folder);
  sd_test_wait_for (saves_done, page);
  g_assert_true (g_file_test (out1, G_FILE_TEST_EXISTS));
  sd_prep_page_save_to (page, folder);
  sd_test_wait_for (saves_done, page);
  g_assert_true (g_file_test (out2, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GdkPixbuf) saved = gdk_pixbuf_new_from_file (out1, NULL);
    g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, 1920);
  }
  g_assert_cmpint (system (cmd), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Staff raise a price while the product sits in the cart: Place Order
 * says so with old → new, the cart follows, and placing again orders at
 * the new price. */
static void
test_prices_changed (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("Prices");
  SdWindow *window = open_window (app, server);
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL;
  g_autofree char *old_total = NULL;
  g_autofree char *new_total = NULL;
  g_autoptr(SdTestReply) raised = NULL;
  SdProduct *product;
  AdwMessageDialog *dialog;
  gint64 before;

  product = add_first_product (window, 1, 8);
  before = sd_cart_get_total (sd_window_get_cart (window));
  path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (product), NULL);
  raised = sd_test_http (server, "PUT", path, admin, "{\"price\": 99000}", NULL);
  sd_test_data (raised, 200);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  click (button_labelled (checkout, "_Place Order"));
  sd_test_wait_for (dialog_shown, NULL);
  dialog = find_dialog ();
  old_total = sd_format_price (before);
  new_total = sd_format_price (99000 + 3000);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), old_total));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), new_total));
  g_assert_cmpint (sd_cart_get_total (sd_window_get_cart (window)), ==, 99000 + 3000);
  settle (200);
  save_screenshot (GTK_WIDGET (dialog), "prices-changed");
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (sd_checkout_page_get_state (SD_CHECKOUT_PAGE (checkout)), ==, "form");

  click (button_labelled (checkout, "_Place Order"));
  sd_test_wait_for (checkout_done, checkout);
  g_assert_cmpint (sd_order_get_total (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))), ==, 99000 + 3000);
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
board_idle (gpointer board)
{
  return !sd_orders_board_get_busy (board);
}

static gboolean
new_order_found (gpointer watcher)
{
  return sd_orders_watcher_get_n_new (watcher) == 1;
}

/* How many orders with status (SD_ORDER_STATUS_N: all) the shop holds,
 * asked with a staff token: ours counts them (X-Total-Count); the
 * original lists them all (none is a 404), and they are counted here. */
static guint
server_count (SdTestServer *server, SdTestMode mode, const char *token, SdOrderStatus status)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/admin/orders");
  g_autoptr(SdTestReply) r = NULL;
  JsonArray *all;
  guint n = 0;

  if (mode == SD_TEST_OURS)
    {
      g_string_append (path, "?limit=1");
      if (status < SD_ORDER_STATUS_N)
        {
          g_string_append (path, "&status=");
          g_string_append_uri_escaped (path, sd_order_status_to_wire (status), NULL, FALSE);
        }
      r = sd_test_http (server, "GET", path->str, token, NULL, NULL);
      sd_test_data (r, 200);
      return (guint) g_ascii_strtoull (soup_message_headers_get_one (r->headers, "X-Total-Count"), NULL, 10);
    }
  r = sd_test_http (server, "GET", path->str, token, NULL, NULL);
  if (r->status == 404)
    return 0;
  all = json_node_get_array (sd_test_data (r, 200));
  for (guint i = 0; i < json_array_get_length (all); i++)
    n += status == SD_ORDER_STATUS_N ||
         g_strcmp0 (json_object_get_string_member (json_array_get_object_element (all, i), "status"),
                    sd_order_status_to_wire (status)) == 0;
  return n;
}

/* The position on the board's page of the order with id. */
static guint
board_position (SdOrdersBoard *board, const char *id)
{
  GListModel *orders = sd_orders_board_get_orders (board);

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return i;
    }
  g_error ("order %s not on the board", id);
}

/* Staff: the board shows for an admin only, lists what the shop has,
 * filters by status with the shop's counts, and changes several orders'
 * status at once (with Undo); an order without a receiver says why. On
 * the original the board filters, counts and pages here, and no order
 * has a receiver (the shop keeps none). */
static void
test_orders_board (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "Board" : "BoardOriginal");
  SdWindow *window = open_window (app, server);
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  GListModel *orders;

  /* Three guest orders, placed through the app. */
  for (guint i = 0; i < 3; i++)
    {
      add_first_product (window, 1, 8 + i);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
      fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
      click (button_labelled (checkout, "_Place Order"));
      sd_test_wait_for (checkout_done, checkout);
    }

  /* Not staff: no board, and asking for it lands on Account. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "account");
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_for (signed_in, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");
  sd_test_wait_for (board_idle, board);
  orders = sd_orders_board_get_orders (board);
  g_assert_cmpint (sd_orders_board_get_total (board), ==, server_count (server, mode, admin, SD_ORDER_STATUS_N));
  g_assert_cmpuint (g_list_model_get_n_items (orders), >=, 3);

  /* Filtered by status: the shop's count. */
  sd_orders_board_set_filter (board, SD_ORDER_STATUS_AWAITING_PAYMENT);
  sd_test_wait_for (board_idle, board);
  g_assert_cmpint (sd_orders_board_get_total (board), ==,
                   server_count (server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT));
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "orders-board", mode);

  /* Two selected → Preparing shipment; the shop shows it. */
  gtk_selection_model_select_range (sd_orders_board_get_selection (board), 0, 2, TRUE);
  {
    g_autoptr(SdOrder) a = g_list_model_get_item (orders, 0);
    g_autoptr(SdOrder) b = g_list_model_get_item (orders, 1);
    g_autofree char *id_a = g_strdup (sd_order_get_id (a));
    g_autofree char *id_b = g_strdup (sd_order_get_id (b));
    guint waiting = server_count (server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT);

    sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
    sd_test_wait_for (board_idle, board);
    g_assert_cmpuint (server_count (server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT), ==, waiting - 2);
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *path = g_strconcat ("/api/v1/orders/", i ? id_b : id_a, NULL);
        g_autoptr(SdTestReply) r = sd_test_http (server, "GET", path, admin, NULL, NULL);

        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (r, 200)), "status"),
                         ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
      }
    /* Undo puts them back. */
    click (wait_button (GTK_WIDGET (window), "_Undo"));
    sd_test_wait_for (board_idle, board);
    g_assert_cmpuint (server_count (server, mode, admin, SD_ORDER_STATUS_AWAITING_PAYMENT), ==, waiting);
  }

  /* Every chip counts what the shop counts. */
  sd_orders_board_set_filter (board, SD_ORDER_STATUS_N);
  sd_test_wait_for (board_idle, board);
  for (SdOrderStatus st = 0; st <= SD_ORDER_STATUS_N; st++)
    g_assert_cmpint (sd_orders_board_get_count (board, st), ==, server_count (server, mode, admin, st));

  /* One order selected: its pane, and its packing slip as a PDF whose
   * text has the order's number and the receiver's Korean name (on the
   * original, which keeps no receiver, the words that say so). */
  gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
  {
    g_autoptr(SdOrder) first = g_list_model_get_item (orders, 0);
    g_autofree char *number = sd_ui_order_number (first);
    g_autofree char *dir = g_dir_make_tmp ("storedesk-print-XXXXXX", NULL);
    g_autofree char *pdf = g_build_filename (dir, "slip.pdf", NULL);
    g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' -", pdf);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    button_labelled (GTK_WIDGET (board), "_Delete Order…");   /* the pane is on show */
    settle (200);
    save_mode_screenshot (GTK_WIDGET (window), "orders-detail", mode);
    assert_buttons_named (GTK_WIDGET (window));
    g_assert_true (sd_orders_board_print_to_pdf (board, pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, &status, &error));
    g_assert_no_error (error);
    g_test_message ("slip: %s", text);
    g_assert_nonnull (strstr (text, number));
    g_assert_nonnull (strstr (text, mode == SD_TEST_OURS ? "김하늘" : g_dgettext (GETTEXT_PACKAGE, "Address not kept")));
    g_unlink (pdf);
    g_rmdir (dir);
  }

  /* The orders shown, every page, as CSV: a header and a row each. */
  {
    g_autofree char *dir = g_dir_make_tmp ("storedesk-csv-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GPtrArray) rows = NULL;

    sd_orders_board_export_to (board, file);
    sd_test_wait_for (board_idle, board);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    rows = sd_csv_parse (contents, length, NULL);
    g_assert_cmpuint (rows->len, ==, server_count (server, mode, admin, SD_ORDER_STATUS_N) + 1);
    if (mode == SD_TEST_OURS)
      g_assert_nonnull (strstr (contents, "김하늘"));
    g_unlink (path);
    g_rmdir (dir);
  }

  /* Past 100 orders, a second page with the rest. */
  {
    g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=100", NULL, NULL, NULL);
    JsonArray *list = json_node_get_array (sd_test_data (products, 200));
    JsonObject *p = NULL;
    g_autofree char *body = NULL;
    guint all;

    /* One whose stock is not counted, so a hundred orders of it go through
     * (the original counts none, and sends every product whatever the limit). */
    for (guint i = 0; p == NULL && i < json_array_get_length (list); i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);
        if (!json_object_has_member (o, "stock") || json_object_get_null_member (o, "stock"))
          p = o;
      }
    g_assert_nonnull (p);
    body = sd_test_order_body (p, "이가람", "대구", "배송 중");

    for (guint i = 0; i < 100; i++)
      {
        g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/admin/orders", admin, body, NULL);
        sd_test_data (made, 201);
      }
    all = server_count (server, mode, admin, SD_ORDER_STATUS_N);
    sd_orders_board_reload (board);
    sd_test_wait_for (board_idle, board);
    g_assert_cmpint (sd_orders_board_get_total (board), ==, all);
    g_assert_cmpuint (sd_orders_board_get_n_pages (board), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 100);
    sd_orders_board_set_page (board, 2);
    sd_test_wait_for (board_idle, board);
    g_assert_cmpuint (sd_orders_board_get_page (board), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (orders), ==, all - 100);
    sd_orders_board_set_page (board, 1);
    sd_test_wait_for (board_idle, board);
  }

  /* A new order comes in: found on the next look, without a restart. */
  {
    gint64 before = sd_orders_board_get_total (board);
    g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
    JsonObject *p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
    g_autofree char *body = sd_test_order_body (p, "박새벽", "서울", "결제 완료");
    g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);

    SdOrdersWatcher *watcher = sd_application_get_orders_watcher (app);

    sd_test_data (made, 201);
    sd_orders_watcher_look_now (watcher);
    sd_test_wait_for (new_order_found, watcher);
    sd_test_wait_for (board_idle, board);
    g_assert_cmpint (sd_orders_board_get_total (board), ==, before + 1);
  }

  /* Delete asks first; then the shop has one order fewer. */
  {
    guint all = server_count (server, mode, admin, SD_ORDER_STATUS_N);
    AdwMessageDialog *dialog;

    gtk_selection_model_select_item (sd_orders_board_get_selection (board), 0, TRUE);
    click (button_labelled (GTK_WIDGET (board), "_Delete Order…"));
    sd_test_wait_for (dialog_shown, NULL);
    dialog = find_dialog ();
    g_assert_cmpuint (server_count (server, mode, admin, SD_ORDER_STATUS_N), ==, all);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_test_wait_for (board_idle, board);
    g_assert_cmpuint (server_count (server, mode, admin, SD_ORDER_STATUS_N), ==, all - 1);
  }

  /* A guest order without a receiver (as the original web front end
   * places them; on the original every order): the board says so, in its
   * column and its pane, never a bare dash. */
  {
    g_autoptr(SdTestReply) products = sd_test_http (server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
    JsonObject *p = json_array_get_object_element (json_node_get_array (sd_test_data (products, 200)), 0);
    g_autofree char *full = sd_test_order_body (p, "박새벽", "서울", "입금 대기");
    g_autoptr(JsonNode) body = json_from_string (full, NULL);
    g_autofree char *json = NULL;
    g_autoptr(SdTestReply) made = NULL;
    const char *id;

    json_object_remove_member (json_node_get_object (body), "receiver");
    json = json_to_string (body, FALSE);
    made = sd_test_http (server, "POST", "/api/v1/orders", NULL, json, NULL);
    id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");
    sd_orders_board_reload (board);
    sd_test_wait_for (board_idle, board);
    gtk_selection_model_select_item (sd_orders_board_get_selection (board), board_position (board, id), TRUE);
    g_assert_true (label_shown (GTK_WIDGET (board), mode == SD_TEST_OURS ? "No address given" : "Address not kept"));
    g_assert_true (label_shown (GTK_WIDGET (board), mode == SD_TEST_OURS
                                ? "No address given. Ask the customer where to ship this order."
                                : "This shop does not keep a guest’s address. Ask the customer where to ship "
                                  "this order."));
    settle (200);
    save_mode_screenshot (GTK_WIDGET (window), "orders-no-receiver", mode);
  }
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
}


/* ---- staff: catalog, categories, customers ------------------------------ */

static gboolean
products_idle (gpointer page)
{
  return !sd_products_admin_get_busy (page);
}

static gboolean
categories_idle (gpointer page)
{
  return !sd_categories_admin_get_busy (page);
}

static gboolean
customers_idle (gpointer page)
{
  return !sd_customers_admin_get_loading (page);
}

/* Preferences → Enter, a new CA file and Try Again all reconnect through
 * app.connect. Signed in as staff, a reconnect to the same shop keeps the
 * session's tokens for every page: the staff pages still load (they used
 * to get a new api without the token, and said "not signed in"). */
static void
test_reconnect_staff (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "Reconnect" : "ReconnectOriginal");
  SdWindow *window = open_window (app, server);
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  SdCustomersAdmin *customers = SD_CUSTOMERS_ADMIN (sd_window_get_page (window, "staff-customers"));
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  SdApi *api;

  add_first_product (window, 1, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  click (button_labelled (checkout, "_Place Order"));
  sd_test_wait_for (checkout_done, checkout);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_for (signed_in, window);
  api = sd_window_get_api (window);

  /* The same shop again, as Try Again does. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "connect", NULL);
  sd_test_wait_for (shows_products, window);
  g_assert_true (sd_window_get_api (window) == api);
  g_assert_true (sd_session_get_signed_in (sd_window_get_session (window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-orders");
  sd_test_wait_for (board_idle, board);
  g_assert_cmpint (sd_orders_board_get_total (board), ==, server_count (server, mode, admin, SD_ORDER_STATUS_N));
  g_assert_cmpint (sd_orders_board_get_total (board), >=, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-customers"));
  sd_test_wait_for (customers_idle, customers);
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), >=, 2);
  g_assert_null (find_dialog ());
}

/* The photo reached the shop: nothing waits in the queue, and the
 * product being edited came back with a new picture. */
static gboolean
photo_on_shop (gpointer window)
{
  SdProductsAdmin *page = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdProduct *p = sd_products_admin_get_editing (page);
  const char *old = g_object_get_data (window, "sd-old-image");

  return !sd_products_admin_get_busy (page) && g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))) == 0 &&
         p && strstr (sd_product_get_image (p), "/uploads/") && g_strcmp0 (sd_product_get_image (p), old) != 0;
}

/* The photo waits in the queue (the shop is down), and the editor says so. */
static gboolean
photo_waiting (gpointer window)
{
  SdProductsAdmin *page = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  GListModel *uploads = G_LIST_MODEL (sd_window_get_uploads (window));
  g_autoptr(SdUpload) upload = g_list_model_get_n_items (uploads) == 1 ? g_list_model_get_item (uploads, 0) : NULL;

  return upload && sd_upload_get_state (upload) == SD_UPLOAD_WAITING &&
         g_strcmp0 (sd_upload_get_product_id (upload), sd_product_get_id (sd_products_admin_get_editing (page))) == 0 &&
         sd_products_admin_get_image_status (page) != NULL;
}

static gboolean
import_shown (gpointer page)
{
  return sd_products_admin_get_import (page) != NULL && find_dialog () != NULL;
}

/* A JPEG photo of w×h in a temporary folder. */
static char *
write_photo (const char *dir, int w, int h)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  char *path = g_build_filename (dir, "photo.jpg", NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", NULL, "quality", "90", NULL));
  return path;
}

/* The shop's product with that name, as the shop has it now. */
static JsonObject *
shop_product (SdTestServer *server, const char *name, SdTestReply **reply)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/api/v1/products?limit=100&q=", escaped, NULL);
  JsonArray *list;

  *reply = sd_test_http (server, "GET", path, NULL, NULL, NULL);
  list = json_node_get_array (sd_test_data (*reply, 200));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      if (g_strcmp0 (json_object_get_string_member (p, "name"), name) == 0)
        return p;
    }
  return NULL;
}

static gboolean
grid_shows (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *name = g_object_get_data (window, "sd-name");
  gint64 price = GPOINTER_TO_INT (g_object_get_data (window, "sd-price"));

  if (!shows_products (window))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      if (g_strcmp0 (sd_product_get_name (p), name) == 0 && sd_product_get_price (p) == price &&
          *sd_product_get_image (p))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
combo_titled (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) rows = find_all (root, ADW_TYPE_COMBO_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), g_dgettext (GETTEXT_PACKAGE, msgid)) == 0)
      return rows->pdata[i];
  g_error ("no combo “%s”", msgid);
}

/* Ours: a new photo while the shop is down (queued, listed in Image
 * Preparation, sent when the shop is back), then one sent to the product
 * from Image Preparation. */
static void
staff_new_photos (SdWindow *window, SdTestServer *server, const char *dir, const char *name, const char *first_image)
{
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  g_autoptr(SdTestReply) reply = NULL;
  JsonObject *made;

  sd_test_server_kill (server);
  {
    g_autofree char *other = write_photo (dir, 800, 1200);
    g_autoptr(GFile) other_file = g_file_new_for_path (other);

    sd_products_admin_set_image_file (products, other_file);
    sd_test_wait_for (photo_waiting, window);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 1);
    /* Image Preparation lists it, with Try Again and Do Not Send. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
    {
      g_autoptr(GPtrArray) rows = find_all (sd_window_get_page (window, "photos"), ADW_TYPE_ACTION_ROW);
      guint queued = 0;

      for (guint i = 0; i < rows->len; i++)
        queued += gtk_widget_is_drawable (rows->pdata[i]) &&
                  g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]),
                             g_dgettext (GETTEXT_PACKAGE, "Product picture")) == 0;
      g_assert_cmpuint (queued, ==, 1);
    }
    settle (200);
    save_screenshot (GTK_WIDGET (window), "photos-queue");
    assert_buttons_named (GTK_WIDGET (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
    sd_test_server_restart (server, TRUE);
    sd_test_wait_for (photo_on_shop, window);
  }
  made = shop_product (server, name, &reply);
  g_assert_cmpstr (json_object_get_string_member (made, "image"), !=, first_image);
  g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);

  /* A photo from Image Preparation, sent to the product from there. */
  {
    g_autofree char *third = write_photo (dir, 640, 640);
    g_autoptr(GFile) third_file = g_file_new_for_path (third);
    g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
    SdPrepPage *prep = SD_PREP_PAGE (sd_window_get_page (window, "photos"));
    g_autofree char *id = g_strdup (sd_product_get_id (sd_products_admin_get_editing (products)));

    g_object_set_data_full (G_OBJECT (window), "sd-old-image", g_strdup (sd_product_get_image (sd_products_admin_get_editing (products))), g_free);
    g_list_store_append (files, third_file);
    sd_prep_page_add_files (prep, G_LIST_MODEL (files));
    sd_test_wait_for (prep_done, prep);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
    settle (100);
    g_assert_nonnull (find_button (GTK_WIDGET (prep), "Use for a product…", TRUE));
    g_assert_true (sd_prep_page_send_to_product (prep, 0, id));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
    sd_test_wait_for (photo_on_shop, window);
    g_unlink (third);
  }
}

/* Saves the new product in the editor; back once the shop has it (on
 * ours with its photo), and not refused. */
static void
save_new_product (SdWindow *window, SdTestMode mode)
{
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));

  click (button_labelled (GTK_WIDGET (products), "_Save"));
  if (mode == SD_TEST_OURS)
    sd_test_wait_for (photo_on_shop, window);
  else
    sd_test_wait_for (products_idle, products);
  if (find_dialog ())
    g_error ("not saved: %s", adw_message_dialog_get_body (find_dialog ()));
}

/* The picture address of a product in the grid other than not (NULL: any). */
static const char *
shop_picture (SdWindow *window, const char *not)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));

  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      const char *image = sd_product_get_image (p);

      if (image && *image && g_strcmp0 (image, not) != 0)
        return image;   /* the catalog keeps it */
    }
  g_error ("no other picture in the grid");
}

/* Staff make a category and a product with a dropped photo (seen in the
 * shop's grid), change its price (the shop has it), change its photo
 * while the shop is down (sent when it is back), are asked before
 * unsaved changes are lost, delete and undo, export and import CSV (a
 * file with bad lines is reported and nothing is made), and look up
 * accounts. On the original, which takes no photos, the product is made
 * with what that shop needs (an option, a description, a picture given
 * by its address) and its picture changes by its address. */
static void
test_staff_catalog (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "Staff" : "StaffOriginal");
  SdWindow *window = NULL;
  SdAccountPage *account;
  SdProductsAdmin *products;
  SdCategoriesAdmin *categories;
  SdCustomersAdmin *customers;
  g_autofree char *dir = g_dir_make_tmp ("storedesk-staff-XXXXXX", NULL);
  g_autofree char *photo = write_photo (dir, 2400, 1600);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autoptr(SdTestReply) reply = NULL;
  g_autofree char *category_id = NULL;
  g_autofree char *first_image = NULL;
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  const char *name = "테스트 머그컵";
  const char *picture_row = "Picture address on the shop (uploads/… or https://…)";
  g_autofree char *picture = NULL;
  g_autofree char *other_picture = NULL;
  JsonObject *made;
  guint n_categories;

  sd_test_server_keep_port (server);
  window = open_window (app, server);
  /* Two pictures the shop has, for the original's picture address. */
  picture = g_strdup (shop_picture (window, NULL));
  other_picture = g_strdup (shop_picture (window, picture));
  account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  categories = SD_CATEGORIES_ADMIN (sd_window_get_page (window, "staff-categories"));
  customers = SD_CUSTOMERS_ADMIN (sd_window_get_page (window, "staff-customers"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_for (signed_in, window);

  /* A category, added from its page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-categories"));
  sd_test_wait_for (categories_idle, categories);
  n_categories = g_list_model_get_n_items (sd_categories_admin_get_categories (categories));
  gtk_editable_set_text (entry_titled (GTK_WIDGET (categories), "Name of the new category"), "머그와 컵");
  click (button_labelled (GTK_WIDGET (categories), "_Add"));
  sd_test_wait_for (categories_idle, categories);
  g_assert_cmpuint (g_list_model_get_n_items (sd_categories_admin_get_categories (categories)), ==, n_categories + 1);
  for (guint i = 0; i < n_categories + 1; i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (sd_categories_admin_get_categories (categories), i);
      if (g_strcmp0 (sd_category_get_name (c), "머그와 컵") == 0)
        category_id = g_strdup (sd_category_get_id (c));
    }
  g_assert_nonnull (category_id);
  g_assert_cmpuint (sd_categories_admin_count (categories, category_id), ==, 0);
  /* One in use cannot go: the shop's reason is shown, and it stays. */
  {
    g_autoptr(SdCategory) used = g_list_model_get_item (sd_categories_admin_get_categories (categories), 0);
    AdwMessageDialog *dialog;

    g_assert_cmpuint (sd_categories_admin_count (categories, sd_category_get_id (used)), >, 0);
    sd_categories_admin_delete (categories, used);
    sd_test_wait_for (dialog_shown, NULL);
    dialog = find_dialog ();
    g_test_message ("refused: %s", adw_message_dialog_get_body (dialog));
    adw_message_dialog_response (dialog, "close");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_test_wait_for (categories_idle, categories);
    g_assert_cmpuint (g_list_model_get_n_items (sd_categories_admin_get_categories (categories)), ==, n_categories + 1);
  }
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "staff-categories", mode);
  assert_buttons_named (GTK_WIDGET (window));

  /* A new product: checked as one types, then saved with its photo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Name"), name);
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Price (won)"), "열두 원");
  g_assert_nonnull (sd_products_admin_get_problem (products));
  {
    GtkWidget *combo = combo_titled (GTK_WIDGET (products), "Category");
    GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "머그와 컵") == 0)
        adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
  }
  g_assert_false (gtk_widget_is_sensitive (button_labelled (GTK_WIDGET (products), "_Save")));
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Price (won)"), "12,000");
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Brand"), "하늘공방");
  if (mode == SD_TEST_ORIGINAL)
    {
      /* The original makes none without an option, a description and a
       * picture address. */
      g_assert_nonnull (sd_products_admin_get_problem (products));
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Option name"), "크기");
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "보통");
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), picture_row), picture);
      {
        g_autoptr(GPtrArray) views = find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

        gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "머그컵.", -1);
      }
    }
  g_assert_null (sd_products_admin_get_problem (products));
  if (mode == SD_TEST_OURS)
    {
      sd_products_admin_set_image_file (products, photo_file);   /* what a drop does */
      sd_test_wait_for (products_idle, products);
    }
  settle (300);
  save_mode_screenshot (GTK_WIDGET (window), "staff-product", mode);
  assert_buttons_named (GTK_WIDGET (window));
  save_new_product (window, mode);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = shop_product (server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpstr (json_object_get_string_member (made, "categoryId"), ==, category_id);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 12000);
  if (mode == SD_TEST_OURS)
    g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  else
    g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, picture);
  first_image = g_strdup (json_object_get_string_member (made, "image"));
  g_object_set_data (G_OBJECT (window), "sd-old-image", first_image);
  /* …and in the shop's grid, with its picture. */
  g_object_set_data (G_OBJECT (window), "sd-name", (gpointer) name);
  g_object_set_data (G_OBJECT (window), "sd-price", GINT_TO_POINTER (12000));
  {
    g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), name);
    sd_test_wait_for (grid_shows, window);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
  }

  /* A new price: the shop has it, and so does the grid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  g_assert_cmpstr (sd_product_get_name (sd_products_admin_get_editing (products)), ==, name);
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Price (won)"), "15000");
  g_assert_true (sd_products_admin_get_dirty (products));
  click (button_labelled (GTK_WIDGET (products), "_Save"));
  sd_test_wait_for (products_idle, products);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = shop_product (server, name, &reply);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 15000);
  g_object_set_data (G_OBJECT (window), "sd-price", GINT_TO_POINTER (15000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  {
    g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), name);
    sd_test_wait_for (grid_shows, window);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
  }

  /* A new picture: on ours a photo, also while the shop is down. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  if (mode == SD_TEST_ORIGINAL)
    {
      /* The original takes no photo, offline or not: nothing to choose,
       * and a new picture is another address, which the shop then has. */
      g_assert_null (find_button (GTK_WIDGET (products), "C_hoose Photo…", FALSE));
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), picture_row), other_picture);
      click (button_labelled (GTK_WIDGET (products), "_Save"));
      sd_test_wait_for (products_idle, products);
      g_clear_pointer (&reply, sd_test_reply_free);
      made = shop_product (server, name, &reply);
      g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, other_picture);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
    }
  else
    staff_new_photos (window, server, dir, name, first_image);

  /* Unsaved changes: leaving asks first; Cancel stays, Discard goes. */
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Brand"), "다른 공방");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_for (dialog_shown, NULL);
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-products");
  adw_message_dialog_response (find_dialog (), "cancel");
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  g_assert_true (sd_products_admin_get_dirty (products));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_for (dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "discard");
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  g_assert_cmpstr (sd_window_get_section (window), ==, "shop");
  g_assert_false (sd_products_admin_get_dirty (products));
  /* …and Save saves, then goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  {
    g_autoptr(GPtrArray) views = find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

    g_assert_cmpuint (views->len, ==, 1);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "손잡이가 큰 머그컵.", -1);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_for (dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "save");
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  sd_test_wait_for (products_idle, products);
  g_assert_cmpstr (sd_window_get_section (window), ==, "shop");
  g_clear_pointer (&reply, sd_test_reply_free);
  made = shop_product (server, name, &reply);
  g_assert_cmpstr (json_object_get_string_member (made, "description"), ==, "손잡이가 큰 머그컵.");

  /* Delete, then Undo: the product is back with its fields. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  click (button_labelled (GTK_WIDGET (products), "_Delete"));
  sd_test_wait_for (products_idle, products);
  g_clear_pointer (&reply, sd_test_reply_free);
  g_assert_null (shop_product (server, name, &reply));
  click (wait_button (GTK_WIDGET (window), "_Undo"));
  sd_test_wait_for (products_idle, products);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = shop_product (server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 15000);
  g_assert_cmpstr (json_object_get_string_member (made, "brand"), ==, "하늘공방");

  /* The catalog as CSV: a row per product. */
  {
    g_autofree char *path = g_build_filename (dir, "catalog.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GPtrArray) rows = NULL;

    sd_products_admin_export_to (products, file);
    sd_test_wait_for (products_idle, products);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    rows = sd_csv_parse (contents, length, NULL);
    g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (sd_products_admin_get_products (products)) + 1);
    g_assert_nonnull (strstr (contents, name));
    g_unlink (path);
  }

  /* A CSV with bad lines: each reported, nothing made. */
  {
    g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    guint before = g_list_model_get_n_items (sd_products_admin_get_products (products));
    const char bad[] = "name,category,price\n좋은 상품,머그와 컵,1000\n,머그와 컵,1000\n나쁜 가격,머그와 컵,비쌈\n";
    AdwMessageDialog *dialog;
    SdProductImport *import;

    g_assert_true (g_file_set_contents (path, bad, -1, NULL));
    sd_products_admin_import_from (products, file);
    sd_test_wait_for (import_shown, products);
    import = sd_products_admin_get_import (products);
    g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_ERROR), ==, 2);
    dialog = find_dialog ();
    g_assert_false (adw_message_dialog_has_response (dialog, "import"));
    settle (200);
    save_mode_screenshot (GTK_WIDGET (dialog), "staff-import", mode);
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_products_admin_reload (products);
    sd_test_wait_for (products_idle, products);
    g_assert_cmpuint (g_list_model_get_n_items (sd_products_admin_get_products (products)), ==, before);
    g_clear_pointer (&reply, sd_test_reply_free);
    g_assert_null (shop_product (server, "좋은 상품", &reply));
    g_unlink (path);
  }

  /* Accounts, searched. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-customers"));
  sd_test_wait_for (customers_idle, customers);
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), >=, 2);
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "staff-customers", mode);
  assert_buttons_named (GTK_WIDGET (window));
  sd_customers_admin_set_query (customers, "customer@");
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), ==, 1);

  g_unlink (photo);
  {
    g_autofree char *other = g_build_filename (dir, "photo.jpg", NULL);
    g_unlink (other);
  }
  g_rmdir (dir);
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The product the grid shows with the name in "sd-name" has the option
 * the staff gave it (the shop's copy, read again). */
static gboolean
grid_shows_option (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *name = g_object_get_data (window, "sd-name");

  if (!grid_shows (window))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      SdOption *o = sd_product_get_option (p);

      if (g_strcmp0 (sd_product_get_name (p), name) == 0)
        return o && g_strcmp0 (sd_option_get_name (o), "색상") == 0 && sd_option_get_n_values (o) == 2 &&
               g_strcmp0 (sd_option_get_values (o)[1], "파랑") == 0;
    }
  return FALSE;
}

/* The board lists the order whose id is in "sd-order-id". */
static gboolean
board_lists_order (gpointer board)
{
  GListModel *orders = sd_orders_board_get_orders (board);
  const char *id = g_object_get_data (board, "sd-order-id");

  if (sd_orders_board_get_busy (board))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The main staff flow, on ours and on the original: a guest orders (a
 * product with an option, through the app); staff sign in on the Account
 * page, make a product with an option and a picture (a photo on ours; on
 * the original, which has no uploads, a picture address, and the editor
 * needs an option and says options stay as they are), see it in the
 * shop's grid, find the guest's order on the Orders Board and change its
 * status; the shop has the new status. */
static void
test_staff_flow (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApplication) app = new_app (mode == SD_TEST_OURS ? "StaffFlow" : "StaffFlowOriginal");
  SdWindow *window = open_window (app, server);
  SdProductPage *page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  GtkWidget *checkout = sd_window_get_page (window, "checkout");
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autoptr(GPtrArray) grids = find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autofree char *dir = g_dir_make_tmp ("storedesk-staff-flow-XXXXXX", NULL);
  g_autofree char *photo = write_photo (dir, 1600, 1200);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *order_id = NULL;
  g_autofree char *picture = NULL;
  g_autoptr(SdTestReply) reply = NULL;
  const char *name = "테스트 머그컵";
  JsonObject *made;

  /* A guest's order: a product with an option, its second value. */
  {
    SdProduct *product = product_with_option (window);

    picture = g_strdup (sd_product_get_image (product));   /* a picture the shop has */
    g_assert_cmpstr (picture, !=, "");
    g_assert_cmpuint (grids->len, ==, 1);
    g_signal_emit_by_name (grids->pdata[0], "activate", catalog_position (window, sd_product_get_id (product)));
    choose_option (page, 1);
    click (button_labelled (GTK_WIDGET (page), "_Add to Cart"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
    fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
    click (button_labelled (checkout, "_Place Order"));
    sd_test_wait_for (checkout_done, checkout);
    order_id = g_strdup (sd_order_get_id (sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout))));
  }

  /* Staff sign in on the Account page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "staff-sign-in", mode);
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_for (signed_in, window);
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));

  /* A new product with an option and a picture. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_for (products_idle, products);
  settle (200);
  save_mode_screenshot (GTK_WIDGET (window), "staff-products", mode);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Name"), name);
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Price (won)"), "12,000");
  gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Brand"), "하늘공방");
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo_titled (GTK_WIDGET (products), "Category")), 0);
  {
    /* Stock is ours: the original keeps none, so its editor has no row for it. */
    g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (products), ADW_TYPE_ENTRY_ROW);
    guint stock_rows = 0;

    for (guint i = 0; i < rows->len; i++)
      stock_rows += gtk_widget_is_drawable (rows->pdata[i]) &&
                    g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]),
                               g_dgettext (GETTEXT_PACKAGE, "Stock (empty: not counted)")) == 0;
    g_assert_cmpuint (stock_rows, ==, mode == SD_TEST_OURS ? 1 : 0);
  }
  /* A photo is offered where the shop takes uploads; the original takes a
   * picture by its address only, and the editor says so instead. */
  g_assert_true ((find_button (GTK_WIDGET (products), "C_hoose Photo…", FALSE) != NULL) == (mode == SD_TEST_OURS));
  if (mode == SD_TEST_ORIGINAL)
    {
      g_assert_true (label_shown (GTK_WIDGET (products), "This shop takes pictures by their web address only. Put the "
                                                         "picture online and paste its address under “Picture "
                                                         "address” below."));
      sd_products_admin_set_image_file (products, photo_file);   /* a drop there: nothing is queued */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
      /* …and no option or no picture address, no Save. */
      g_assert_nonnull (sd_products_admin_get_problem (products));
      g_assert_false (gtk_widget_is_sensitive (button_labelled (GTK_WIDGET (products), "_Save")));
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Option name"), "색상");
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "빨강, 파랑");
      g_assert_nonnull (sd_products_admin_get_problem (products));
      g_assert_false (gtk_widget_is_sensitive (button_labelled (GTK_WIDGET (products), "_Save")));
      settle (200);
      save_mode_screenshot (GTK_WIDGET (window), "staff-product-no-picture", mode);
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Picture address on the shop (uploads/… or https://…)"),
                             picture);
      /* …nor without a description (its schema requires one). */
      g_assert_cmpstr (sd_products_admin_get_problem (products), ==,
                       _("This shop needs a brand and a description on every product."));
      g_assert_false (gtk_widget_is_sensitive (button_labelled (GTK_WIDGET (products), "_Save")));
    }
  else
    {
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Option name"), "색상");
      gtk_editable_set_text (entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "빨강, 파랑");
      sd_products_admin_set_image_file (products, photo_file);   /* what a drop does */
      sd_test_wait_for (products_idle, products);
    }
  {
    g_autoptr(GPtrArray) views = find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

    g_assert_cmpuint (views->len, ==, 1);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "손잡이가 큰 머그컵.", -1);
  }
  g_assert_null (sd_products_admin_get_problem (products));
  settle (300);
  save_mode_screenshot (GTK_WIDGET (window), "staff-product-new", mode);
  save_new_product (window, mode);
  g_assert_nonnull (sd_products_admin_get_editing (products));
  g_assert_cmpstr (sd_product_get_name (sd_products_admin_get_editing (products)), ==, name);
  g_assert_false (sd_products_admin_get_dirty (products));
  if (mode == SD_TEST_ORIGINAL)
    {
      /* Its options stay as they are there: not editable, and said so. */
      g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (entry_titled (GTK_WIDGET (products), "Option name"))));
      g_assert_true (label_shown (GTK_WIDGET (products), "This shop cannot change a product’s options after it is "
                                                         "made: they are shown as they are."));
    }
  settle (300);
  save_mode_screenshot (GTK_WIDGET (window), "staff-product-saved", mode);

  /* The shop has it, with its option and picture. */
  made = shop_product (server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 12000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (made, "options"), "name"), ==, "색상");
  if (mode == SD_TEST_OURS)
    g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  else
    g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, picture);   /* the address given */

  /* …and in the shop's grid, with its option. */
  g_object_set_data (G_OBJECT (window), "sd-name", (gpointer) name);
  g_object_set_data (G_OBJECT (window), "sd-price", GINT_TO_POINTER (12000));
  {
    g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    g_object_set_data (G_OBJECT (window), "sd-term", (gpointer) name);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), name);
    sd_test_wait_for (all_match, window);   /* the search's answer, not the whole catalog */
    sd_test_wait_for (grid_shows_option, window);
    settle (300);
    save_mode_screenshot (GTK_WIDGET (window), "staff-product-in-shop", mode);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
  }

  /* The Orders Board lists the guest's order; its status changes, and
   * the shop has the new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  g_object_set_data (G_OBJECT (board), "sd-order-id", order_id);
  sd_test_wait_for (board_lists_order, board);
  {
    GListModel *orders = sd_orders_board_get_orders (board);
    g_autofree char *path = g_strconcat ("/api/v1/orders/", order_id, NULL);
    g_autoptr(SdTestReply) after = NULL;
    guint position = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
      {
        g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
        if (g_strcmp0 (sd_order_get_id (o), order_id) == 0)
          {
            position = i;
            g_assert_cmpint (sd_order_get_status (o), ==, SD_ORDER_STATUS_AWAITING_PAYMENT);
          }
      }
    gtk_selection_model_select_item (sd_orders_board_get_selection (board), position, TRUE);
    if (mode == SD_TEST_ORIGINAL)
      {
        /* The original keeps no receiver: the board says so, not a bare dash. */
        g_assert_true (label_shown (GTK_WIDGET (board), "Address not kept"));
        g_assert_true (label_shown (GTK_WIDGET (board), "This shop does not keep a guest’s address. Ask the customer "
                                                        "where to ship this order."));
      }
    settle (300);
    save_mode_screenshot (GTK_WIDGET (window), "staff-board", mode);
    sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
    sd_test_wait_for (board_idle, board);
    after = sd_test_http (server, "GET", path, admin, NULL, NULL);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (after, 200)), "status"),
                     ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
    settle (300);
    save_mode_screenshot (GTK_WIDGET (window), "staff-board-changed", mode);
  }

  g_unlink (photo);
  g_rmdir (dir);
  sd_test_wait_for (cart_saved, window);
  gtk_window_destroy (GTK_WINDOW (window));
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
         state_is (window, "empty");
}

/* Preferences: an address where no shop answers is refused and not
 * saved; another shop is checked, saved, and the window moves to it. */
static void
test_preferences (void)
{
  g_autoptr(SdTestServer) first = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) second = sd_test_server_start (FALSE);
  g_autoptr(SdApplication) app = new_app ("Preferences");
  SdWindow *window = open_window (app, first);
  g_autofree char *dead = sd_test_dead_url ();
  g_autofree char *saved = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storedesk.Storedesk");
  SdPreferences *preferences;

  /* As if started without --server: Preferences decide. */
  sd_application_set_server_url (app, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences ();

  sd_preferences_set_shop_url (preferences, dead);
  sd_test_wait_for (status_settled, preferences);
  g_test_message ("%s", sd_preferences_get_status (preferences));
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, "");
  settle (200);
  save_screenshot (GTK_WIDGET (preferences), "preferences");

  /* Clear the pictures kept for the first shop. */
  sd_preferences_clear_pictures (preferences);
  sd_test_wait_for (pictures_cleared, preferences);

  g_object_set_data (G_OBJECT (app), "sd-window", window);
  g_object_set_data (G_OBJECT (app), "sd-url", second->url);
  sd_preferences_set_shop_url (preferences, second->url);
  sd_test_wait_for (status_settled, preferences);
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, second->url);
  sd_test_wait_for (on_second_shop, app);
  g_settings_reset (settings, "server-url");
  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
banner_shown (gpointer window)
{
  g_autoptr(GPtrArray) revealers = find_all (window, GTK_TYPE_REVEALER);

  for (guint i = 0; i < revealers->len; i++)
    if (gtk_widget_has_css_class (gtk_revealer_get_child (revealers->pdata[i]), "offline-banner"))
      return gtk_revealer_get_reveal_child (revealers->pdata[i]);
  g_assert_not_reached ();
}

static gboolean
banner_hidden (gpointer window)
{
  return !banner_shown (window);
}

/* The shop stops mid-session: a banner, the cart and loaded pages still
 * work; the shop returns: the banner goes by itself. */
static void
test_offline (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("Offline");
  SdWindow *window = open_window (app, server);
  SdCart *cart = sd_window_get_cart (window);

  add_first_product (window, 3, 1);
  g_assert_false (banner_shown (window));
  sd_test_server_keep_port (server);
  sd_test_server_kill (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "orders"));
  sd_test_wait_for (banner_shown, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "cart"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 1);
  settle (300);
  save_screenshot (GTK_WIDGET (window), "offline");
  /* Browsing what was loaded still works. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  add_first_product (window, 1, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 2);

  sd_test_server_restart (server, TRUE);
  sd_test_wait_for (banner_hidden, window);
  sd_test_wait_for (cart_saved, window);
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

/* The test session has no notification server, so this process serves
 * org.freedesktop.Notifications itself: when a window is not focused (the
 * other language's test process may have the display's focus), the
 * board's "new orders" notification is taken here, as a desktop would. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_call (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                    const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer user_data)
{
  static guint32 last;

  if (g_strcmp0 (method, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_test_message ("notification: %s", summary);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++last));
    }
  else if (g_strcmp0 (method, "GetCapabilities") == 0)
    {
      const char *caps[] = { "body", "actions", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_strcmp0 (method, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test-ui", "storedesk", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) node = NULL;

  if (bus == NULL)
    return;   /* no session bus: GIO sends nothing either */
  node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", node->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  /* Queued behind the other test process when it owns the name first. */
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                NULL, NULL, NULL, NULL);
}

/* [ext] "sessions": Sign Out Everywhere shows where the shop can do it,
 * asks first (Cancel keeps everything), then signs out here too. */
static void
test_sign_out_everywhere (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApplication) app = new_app ("Everywhere");
  SdWindow *window = open_window (app, server);
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *button;
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_for (signed_in, window);
  settle (200);
  button = button_labelled (GTK_WIDGET (account), "Sign Out _Everywhere…");
  gtk_widget_grab_focus (button);   /* scrolled into view for the screenshot */
  settle (200);
  save_screenshot (GTK_WIDGET (window), "account-sessions");

  click (button);
  sd_test_wait_for (dialog_shown, NULL);
  dialog = find_dialog ();
  settle (200);
  save_screenshot (GTK_WIDGET (dialog), "sign-out-everywhere");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle (100);
  g_assert_true (sd_session_get_signed_in (sd_window_get_session (window)));

  click (button);
  sd_test_wait_for (dialog_shown, NULL);
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, "sign-out");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_test_wait_for (signed_out, window);
  settle (300);
  save_screenshot (GTK_WIDGET (window), "signed-out-everywhere");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A shop without our extensions (storedesk-server --no-extensions stands
 * in for the original): the forgotten-password way is said to be missing,
 * and an admin is warned before saving the profile, which there makes the
 * account a customer's (authService.js:166); Cancel sends nothing. */
static void
test_original_account (void)
{
  const char *args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdApplication) app = new_app ("OriginalAccount");
  SdWindow *window = open_window (app, server);
  GtkWidget *account = sd_window_get_page (window, "account");
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  settle (200);
  click (wait_button (account, "_Forgot Your Password?"));
  sd_test_wait_for (dialog_shown, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("This Shop Cannot Reset Passwords"));
  settle (200);
  save_screenshot (GTK_WIDGET (dialog), "no-reset-password");
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  sd_account_page_sign_in (SD_ACCOUNT_PAGE (account), "admin@example.com", "Admin1234!");
  sd_test_wait_for (signed_in, window);
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));
  settle (200);
  click (wait_button (account, "_Save Profile"));
  sd_test_wait_for (dialog_shown, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Saving Ends Your Staff Access"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  settle (200);
  save_screenshot (GTK_WIDGET (dialog), "admin-demotion");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle (200);
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));
  gtk_window_destroy (GTK_WINDOW (window));
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
  serve_notifications ();
  g_test_add_func ("/ui/window", test_window);
  g_test_add_func ("/ui/empty-shop", test_empty_shop);
  g_test_add_func ("/ui/original-orders-empty", test_original_orders_empty);
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      g_autofree char *guest = sd_test_mode_path ("/ui/guest-checkout", mode);
      g_autofree char *staff = sd_test_mode_path ("/ui/staff-flow", mode);
      g_autofree char *member = sd_test_mode_path ("/ui/member", mode);
      g_autofree char *board = sd_test_mode_path ("/ui/orders-board", mode);
      g_autofree char *catalog = sd_test_mode_path ("/ui/staff-catalog", mode);
      g_autofree char *reconnect = sd_test_mode_path ("/ui/reconnect-staff", mode);

      g_test_add_data_func (guest, GINT_TO_POINTER (mode), test_guest_checkout);
      g_test_add_data_func (staff, GINT_TO_POINTER (mode), test_staff_flow);
      g_test_add_data_func (member, GINT_TO_POINTER (mode), test_member);
      g_test_add_data_func (board, GINT_TO_POINTER (mode), test_orders_board);
      g_test_add_data_func (catalog, GINT_TO_POINTER (mode), test_staff_catalog);
      g_test_add_data_func (reconnect, GINT_TO_POINTER (mode), test_reconnect_staff);
    }
  g_test_add_func ("/ui/sign-up", test_sign_up);
  g_test_add_func ("/ui/preferences", test_preferences);
  g_test_add_func ("/ui/photos", test_photos);
  g_test_add_func ("/ui/prices-changed", test_prices_changed);
  g_test_add_func ("/ui/offline", test_offline);
  g_test_add_func ("/ui/demo", test_demo);
  g_test_add_func ("/ui/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/ui/original-account", test_original_account);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_home);
    (void) system (cmd);
  }
  return status;
}
