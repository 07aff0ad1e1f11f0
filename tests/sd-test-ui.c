/* sd-test-ui.c — the real app's window driven as a user would. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-checkout-page.h"
#include "sd-customers-admin.h"
#include "sd-orders-board.h"
#include "sd-orders-page.h"
#include "sd-product-card.h"
#include "sd-products-admin.h"

static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

GPtrArray *
sd_test_find_all (GtkWidget *root, GType type)
{
  GPtrArray *out = g_ptr_array_new ();
  collect (root, type, out);
  return out;
}

static void
shut_down_cb (GApplication *app)
{
  g_object_set_data (G_OBJECT (app), "sd-test-shut-down", GINT_TO_POINTER (TRUE));
}

/* Several applications live in this one process; on a session bus each
 * needs an id of its own to export its object path. */
SdApplication *
sd_test_new_app (const char *suffix)
{
  SdApplication *app = sd_application_new ();
  g_autofree char *id = g_strconcat ("io.github.storedesk.Storedesk.Test.", suffix, NULL);

  g_application_set_application_id (G_APPLICATION (app), id);
  g_signal_connect (app, "shutdown", G_CALLBACK (shut_down_cb), NULL);
  return app;
}

gboolean
sd_test_state_is (SdWindow *window, const char *state)
{
  return g_strcmp0 (sd_window_get_state (window), state) == 0;
}

gboolean
sd_test_shows_products (gpointer window)
{
  return sd_test_state_is (window, "products");
}

/* Enough visible cards have their thumbnails. */
gboolean
sd_test_thumbnails_shown (gpointer window)
{
  g_autoptr(GPtrArray) cards = sd_test_find_all (window, SD_TYPE_PRODUCT_CARD);
  guint with_image = 0, bound = 0;

  for (guint i = 0; i < cards->len; i++)
    if (sd_product_card_get_product (cards->pdata[i]))
      {
        bound++;
        with_image += sd_product_card_has_image (cards->pdata[i]);
      }
  return bound >= 8 && with_image == bound;
}

/* Every button on screen says what it does to a screen reader: its
 * label, or an accessible name where it shows only an icon. */
void
sd_test_assert_buttons_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) buttons = sd_test_find_all (root, GTK_TYPE_BUTTON);
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

gboolean
sd_test_shows_empty (gpointer window)
{
  return sd_test_state_is (window, "empty");
}

/* ---- driving the real widgets ---------------------------------------- */

/* The drawable button under root labelled msgid (as translated now), or,
 * by_tooltip, the icon-only one whose tooltip (and accessible name) it is. */
GtkWidget *
sd_test_find_button (GtkWidget *root, const char *msgid, gboolean by_tooltip)
{
  g_autoptr(GPtrArray) buttons = sd_test_find_all (root, GTK_TYPE_BUTTON);
  const char *text = g_dgettext (GETTEXT_PACKAGE, msgid);

  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_is_drawable (buttons->pdata[i]) &&
        g_strcmp0 (by_tooltip ? gtk_widget_get_tooltip_text (buttons->pdata[i])
                              : gtk_button_get_label (buttons->pdata[i]), text) == 0)
      return buttons->pdata[i];
  return NULL;
}

GtkWidget *
sd_test_button_labelled (GtkWidget *root, const char *msgid)
{
  GtkWidget *button = sd_test_find_button (root, msgid, FALSE);

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

  return sd_test_find_button (w->root, w->msgid, FALSE) != NULL;
}

/* Waits for a button to show (a toast's slides in). */
GtkWidget *
sd_test_wait_button (GtkWidget *root, const char *msgid)
{
  Wanted w = { root, msgid };

  sd_test_wait_until (button_shown, &w, SD_TEST_UI_WAIT_MS);
  return sd_test_button_labelled (root, msgid);
}

static gboolean
label_shown (gpointer user_data)
{
  Wanted *w = user_data;

  return sd_test_label_shown (w->root, w->msgid);
}

typedef struct {
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read (gpointer read)
{
  return ((ClipboardRead *) read)->done;
}

char *
sd_test_clipboard_text (GtkWidget *widget)
{
  ClipboardRead read = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_read_cb, &read);
  sd_test_wait_until (clipboard_read, &read, SD_TEST_UI_WAIT_MS);
  return read.text;
}

void
sd_test_wait_label (GtkWidget *root, const char *msgid)
{
  Wanted w = { root, msgid };

  sd_test_wait_until (label_shown, &w, SD_TEST_UI_WAIT_MS);
}

/* A click: what a pointer press and release on it end in. (Keyboard
 * activation animates the press for a moment before it clicks.) */
void
sd_test_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The entry row titled msgid under root. */
GtkEditable *
sd_test_entry_titled (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (root, ADW_TYPE_ENTRY_ROW);
  const char *title = g_dgettext (GETTEXT_PACKAGE, msgid);

  /* The one on screen, where pages have several of a title. */
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0 &&
        gtk_widget_is_drawable (rows->pdata[i]))
      return rows->pdata[i];
  g_error ("no entry “%s”", title);
}

AdwMessageDialog *
sd_test_find_dialog (void)
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

gboolean
sd_test_dialog_shown (gpointer unused)
{
  return sd_test_find_dialog () != NULL;
}

static SdWindow *
start_window (SdTestUi *ui, const char *name, SdTestServer *server, gboolean wait)
{
  g_autoptr(GError) error = NULL;

  ui->server = server;
  ui->app = sd_test_new_app (name);
  sd_application_set_server_url (ui->app, server->url);
  g_assert_true (g_application_register (G_APPLICATION (ui->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (ui->app));
  ui->window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ui->app)));
  g_assert_nonnull (ui->window);
  gtk_window_set_default_size (GTK_WINDOW (ui->window), 1180, 760);
  /* Pages, not the frames of a crossfade, in the screenshots. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (wait)
    sd_test_wait_until (sd_test_shows_products, ui->window, SD_TEST_UI_WAIT_MS);
  return ui->window;
}

SdWindow *
sd_test_ui_open (SdTestUi *ui, const char *name, SdTestServer *server)
{
  return start_window (ui, name, server, TRUE);
}

SdWindow *
sd_test_ui_start (SdTestUi *ui, const char *name, SdTestServer *server)
{
  return start_window (ui, name, server, FALSE);
}

void
sd_test_ui_clear (SdTestUi *ui)
{
  ui->window = NULL;
  if (ui->app)
    sd_test_close_app (&ui->app);
  g_clear_pointer (&ui->server, sd_test_server_free);
}

static gboolean
finalized (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

static gboolean
no_window_saving (gpointer app)
{
  for (GList *l = gtk_application_get_windows (app); l; l = l->next)
    if (SD_IS_WINDOW (l->data) && !sd_test_cart_saved (l->data))
      return FALSE;
  return TRUE;
}

/* A run that ends at once, straight to its shutdown. */
static int
end_run_cb (GApplication *app, GVariantDict *options)
{
  return 0;
}

void
sd_test_close_app (SdApplication **app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  gpointer application = *app;
  gpointer watcher = sd_application_get_orders_watcher (*app);

  /* The cart is written before its window goes. */
  sd_test_wait_until (no_window_saving, *app, SD_TEST_UI_WAIT_MS);
  g_object_add_weak_pointer (application, &application);
  g_object_add_weak_pointer (watcher, &watcher);
  /* Dialogs and Preferences too: every window this case opened. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  /* What the end of g_application_run does: shutdown, then off the bus.
   * (Until its shutdown, GtkApplication's action muxer holds the app.) */
  if (g_application_get_is_registered (application) && !g_object_get_data (application, "sd-test-shut-down"))
    {
      char *argv[] = { (char *) "test-ui", NULL };

      g_signal_connect (application, "handle-local-options", G_CALLBACK (end_run_cb), NULL);
      g_assert_cmpint (g_application_run (application, 1, argv), ==, 0);
    }
  g_clear_object (app);
  /* What the window's pages still had on their way lets go of them. */
  sd_test_wait_until (finalized, &application, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (finalized, &watcher, SD_TEST_UI_WAIT_MS);
}

gboolean
sd_test_checkout_done (gpointer page)
{
  return g_strcmp0 (sd_checkout_page_get_state (page), "done") == 0;
}

gboolean
sd_test_orders_listed (gpointer page)
{
  return g_strcmp0 (sd_orders_page_get_state (page), "list") == 0;
}

gboolean
sd_test_order_detail_shown (gpointer page)
{
  return g_strcmp0 (sd_orders_page_get_state (page), "detail") == 0;
}

gboolean
sd_test_orders_settled (gpointer page)
{
  return sd_test_orders_listed (page) || g_strcmp0 (sd_orders_page_get_state (page), "empty") == 0;
}

gboolean
sd_test_signed_in (gpointer window)
{
  return sd_session_get_signed_in (sd_window_get_session (window));
}

gboolean
sd_test_signed_out (gpointer window)
{
  return !sd_session_get_signed_in (sd_window_get_session (window));
}

gboolean
sd_test_cart_saved (gpointer window)
{
  return !sd_cart_get_saving (sd_window_get_cart (window));
}

/* Opens the first product the grid shows (a click on it) and adds count
 * with its Add button. Returns the product. */
SdProduct *
sd_test_add_first_product (SdWindow *window, guint count, guint position)
{
  g_autoptr(GPtrArray) grids = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  SdProductPage *page;

  g_assert_cmpuint (grids->len, ==, 1);
  g_signal_emit_by_name (grids->pdata[0], "activate", position);
  g_assert_cmpstr (sd_window_get_section (window), ==, "product");
  page = SD_PRODUCT_PAGE (sd_window_get_page (window, "product"));
  sd_product_page_set_count (page, count);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Add to Cart"));
  return sd_product_page_get_product (page);
}

void
sd_test_fill_receiver (GtkWidget *page, const char *name, const char *phone, const char *address)
{
  gtk_editable_set_text (sd_test_entry_titled (page, "Name"), name);
  gtk_editable_set_text (sd_test_entry_titled (page, "Mobile Number"), phone);
  gtk_editable_set_text (sd_test_entry_titled (page, "Address"), address);
}

SdOrder *
sd_test_place_guest_order (SdWindow *window, guint position)
{
  GtkWidget *checkout = sd_window_get_page (window, "checkout");

  sd_test_add_first_product (window, 1, position);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.checkout", NULL));
  sd_test_fill_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1");
  sd_test_click (sd_test_button_labelled (checkout, "_Place Order"));
  sd_test_wait_until (sd_test_checkout_done, checkout, SD_TEST_UI_WAIT_MS);
  return sd_checkout_page_get_order (SD_CHECKOUT_PAGE (checkout));
}

/* The grid shows only products whose name or brand has the search term. */
gboolean
sd_test_all_match (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *term = g_object_get_data (G_OBJECT (window), "sd-term");
  guint n = g_list_model_get_n_items (catalog);

  if (!sd_test_shows_products (window) || n == 0 || n >= 40)
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
void
sd_test_save_mode_screenshot (GtkWidget *window, const char *what, SdTestMode mode)
{
  g_autofree char *name = sd_test_mode_path (what, mode);

  g_strdelimit (name, "/", '-');
  sd_test_save_screenshot (window, name);
}

/* A label on screen under root has msgid (as translated now) in it. */
gboolean
sd_test_label_shown (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) labels = sd_test_find_all (root, GTK_TYPE_LABEL);
  const char *text = g_dgettext (GETTEXT_PACKAGE, msgid);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]) && strstr (gtk_label_get_label (labels->pdata[i]), text))
      return TRUE;
  return FALSE;
}

/* The first product of the catalog with an option of two values or more. */
SdProduct *
sd_test_product_with_option (SdWindow *window)
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
guint
sd_test_catalog_position (SdWindow *window, const char *id)
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

/* The order with id in orders (SdOrder; the list keeps it), or NULL. */
SdOrder *
sd_test_order_in (GListModel *orders, const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        return o;
    }
  return NULL;
}

/* Chooses the option's value at index on the product page, as the user
 * does with its drop-down (the one titled with the option's name). */
const char *
sd_test_choose_option (SdProductPage *page, guint index)
{
  SdOption *option = sd_product_get_option (sd_product_page_get_product (page));
  g_autoptr(GPtrArray) rows = sd_test_find_all (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW);
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

gboolean
sd_test_board_idle (gpointer board)
{
  return !sd_orders_board_get_busy (board);
}


/* ---- staff: catalog, categories, customers ------------------------------ */

gboolean
sd_test_products_idle (gpointer page)
{
  return !sd_products_admin_get_busy (page);
}

gboolean
sd_test_customers_idle (gpointer page)
{
  return !sd_customers_admin_get_loading (page);
}

/* The photo reached the shop: nothing waits in the queue, and the
 * product being edited came back with a new picture. */
gboolean
sd_test_photo_on_shop (gpointer window)
{
  SdProductsAdmin *page = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdProduct *p = sd_products_admin_get_editing (page);
  const char *old = g_object_get_data (window, "sd-old-image");

  return !sd_products_admin_get_busy (page) && g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))) == 0 &&
         p && strstr (sd_product_get_image (p), "/uploads/") && g_strcmp0 (sd_product_get_image (p), old) != 0;
}

/* A JPEG photo of w×h in a temporary folder. */
char *
sd_test_write_photo (const char *dir, int w, int h)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  char *path = g_build_filename (dir, "photo.jpg", NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", NULL, "quality", "90", NULL));
  return path;
}

/* The shop's product with that name, as the shop has it now. */
JsonObject *
sd_test_shop_product (SdTestServer *server, const char *name, SdTestReply **reply)
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

gboolean
sd_test_grid_shows (gpointer window)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  const char *name = g_object_get_data (window, "sd-name");
  gint64 price = GPOINTER_TO_INT (g_object_get_data (window, "sd-price"));

  if (!sd_test_shows_products (window))
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

GtkWidget *
sd_test_combo_titled (GtkWidget *root, const char *msgid)
{
  g_autoptr(GPtrArray) rows = sd_test_find_all (root, ADW_TYPE_COMBO_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), g_dgettext (GETTEXT_PACKAGE, msgid)) == 0)
      return rows->pdata[i];
  g_error ("no combo “%s”", msgid);
}

/* Saves the new product in the editor; back once the shop has it (on
 * ours with its photo), and not refused. */
void
sd_test_save_new_product (SdWindow *window, SdTestMode mode)
{
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));

  sd_test_click (sd_test_button_labelled (GTK_WIDGET (products), "_Save"));
  if (mode == SD_TEST_OURS)
    sd_test_wait_until (sd_test_photo_on_shop, window, SD_TEST_UI_WAIT_MS);
  else
    sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  if (sd_test_find_dialog ())
    g_error ("not saved: %s", adw_message_dialog_get_body (sd_test_find_dialog ()));
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

static char *data_home;

void
sd_test_ui_init (int *argc, char ***argv)
{
  data_home = g_dir_make_tmp ("storedesk-ui-XXXXXX", NULL);
  /* The demo shop lives under XDG_DATA_HOME: never the developer's own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  sd_i18n_init ();
  g_test_init (argc, argv, NULL);
  serve_notifications ();
}

int
sd_test_ui_run (void)
{
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_home);

  (void) system (cmd);
  g_clear_pointer (&data_home, g_free);
  return status;
}

void
sd_test_ui_add_modes (const char *path, GTestDataFunc func)
{
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      g_autofree char *moded = sd_test_mode_path (path, mode);

      g_test_add_data_func (moded, GINT_TO_POINTER (mode), func);
    }
}

SdSyncStatus *
sd_test_sync_status (gpointer window)
{
  g_autoptr(GPtrArray) found = sd_test_find_all (window, SD_TYPE_SYNC_STATUS);

  g_assert_cmpuint (found->len, ==, 1);
  return found->pdata[0];
}

gboolean
sd_test_offline_shown (gpointer window)
{
  return sd_sync_status_get_offline (sd_test_sync_status (window));
}

gboolean
sd_test_offline_gone (gpointer window)
{
  return !sd_test_offline_shown (window);
}
