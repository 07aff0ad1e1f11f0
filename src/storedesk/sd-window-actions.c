/* sd-window-actions.c — the main window's actions (win.*), its toasts, and
 * the cart's changes with Undo. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-connection-doctor.h"
#include "sd-ui.h"
#include "sd-window-private.h"

/* ---- toasts ----------------------------------------------------------- */

/* The newest news replaces the toast on show rather than queueing
 * behind it (an Undo for an older change is stale by then). */
void
_sd_window_show_toast (SdWindow *self, AdwToast *toast)
{
  sd_ui_show_toast (GTK_WIDGET (self->toast_overlay), toast);
}

/* ---- the cart, with Undo -------------------------------------------- */

void
_sd_window_update_cart_count (SdWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->cart));
  g_autofree char *count = n ? g_strdup_printf ("%u", n) : g_strdup ("");
  g_autofree char *name = NULL;

  gtk_label_set_label (self->cart_count_label, count);
  gtk_label_set_label (self->cart_badge, count);
  gtk_widget_set_visible (GTK_WIDGET (self->cart_badge), n > 0);
  /* Translators: the cart button's accessible name, with how many lines it has. */
  name = g_strdup_printf (ngettext ("Cart, %u product", "Cart, %u products", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->cart_badge)))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.checkout", n > 0);
}

static gint
find_line (SdCart *cart, const char *product_id, const char *option)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cart)); i++)
    {
      g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);

      if (g_strcmp0 (sd_cart_line_get_product_id (line), product_id) == 0 &&
          g_strcmp0 (sd_cart_line_get_option (line), option) == 0)
        return (gint) i;
    }
  return -1;
}

/* What undoes a change to the cart: an add (product_id, option, the
 * count before) or a removal (the line taken, where it stood). */
typedef struct {
  SdCart     *cart;
  char       *product_id;
  char       *option;
  guint       before;     /* the line's count before the add; 0: no line */
  SdCartLine *line;
  guint       position;
} CartUndo;

static void
cart_undo_free (gpointer data)
{
  CartUndo *u = data;

  g_object_unref (u->cart);
  g_free (u->product_id);
  g_free (u->option);
  g_clear_object (&u->line);
  g_free (u);
}

static void
undo_add (gpointer owner, gpointer data)
{
  CartUndo *u = data;
  gint i = find_line (u->cart, u->product_id, u->option);

  if (i >= 0)
    sd_cart_set_count (u->cart, (guint) i, u->before);
}

void
sd_window_add_to_cart (SdWindow *self, SdProduct *product, const char *option, guint count)
{
  CartUndo *u = g_new0 (CartUndo, 1);
  gint i = find_line (self->cart, sd_product_get_id (product), option);
  g_autofree char *title = NULL;

  u->cart = g_object_ref (self->cart);
  u->product_id = g_strdup (sd_product_get_id (product));
  u->option = g_strdup (option);
  if (i >= 0)
    {
      g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), (guint) i);
      u->before = sd_cart_line_get_count (line);
    }
  sd_cart_add (self->cart, product, option, count);
  /* Translators: %s is a product's name. */
  title = g_strdup_printf (_("“%s” is in the cart"), sd_product_get_name (product));
  sd_ui_show_undo_toast (GTK_WIDGET (self->toast_overlay), title, undo_add, self, u, cart_undo_free);
}

static void
product_add_cb (SdWindow *self, SdProduct *product, const char *option, guint count)
{
  sd_window_add_to_cart (self, product, option, count);
}

static void
undo_remove (gpointer owner, gpointer data)
{
  CartUndo *u = data;

  sd_cart_put_back (u->cart, u->line, u->position);
}

static void
cart_remove_cb (SdWindow *self, guint position)
{
  CartUndo *u = g_new0 (CartUndo, 1);
  g_autofree char *title = NULL;

  u->line = sd_cart_take (self->cart, position);
  if (u->line == NULL)
    {
      g_free (u);
      return;
    }
  u->cart = g_object_ref (self->cart);
  u->position = position;
  /* Translators: %s is a product's name. */
  title = g_strdup_printf (_("“%s” was removed"), sd_cart_line_get_name (u->line));
  sd_ui_show_undo_toast (GTK_WIDGET (self->toast_overlay), title, undo_remove, self, u, cart_undo_free);
}

static void
checkout_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_window_show_section (SD_WINDOW (widget), "checkout");
}

static void
order_placed_cb (SdWindow *self, SdOrder *order)
{
  /* An Undo for a cart that became an order would only confuse. */
  sd_ui_dismiss_toast (GTK_WIDGET (self->toast_overlay));
  g_debug ("order %s placed", sd_order_get_id (order));
}

static void
signed_out_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Forgotten here and in the keyring either way; the shop may not have heard. */
  if (!sd_session_sign_out_finish (SD_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("sign-out at the shop: %s", error->message);
}

static void
sign_out_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_session_sign_out_async (self->session, self->cancellable, signed_out_cb, g_object_ref (self));
}

/* ---- actions -------------------------------------------------------- */

static void
show_section_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_window_show_section (SD_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);

  /* The application decides which shop that is (and restarts a demo
   * shop that went away); it calls sd_window_set_api() back. */
  if (self->api == NULL || g_strcmp0 (sd_window_get_state (self), "error") == 0)
    {
      sd_catalog_page_show_loading (self->catalog_page, _("Connecting to the shop…"));
      if (gtk_widget_activate_action (widget, "app.connect", NULL))
        return;
      if (self->api == NULL)
        return;
    }
  _sd_window_load_shop (self);
  if (g_strcmp0 (sd_window_get_section (self), "orders") == 0)
    sd_orders_page_reload (self->orders_page);
}

/* A way back whenever there is one, folded or not: from a product to the
 * grid, from the checkout to the cart, and (folded) from a page to the
 * sidebar. */
void
_sd_window_update_back (SdWindow *self)
{
  const char *section = sd_window_get_section (self);
  gboolean inner = g_strcmp0 (section, "product") == 0 || g_strcmp0 (section, "checkout") == 0;
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->back_button, inner || folded);
  gtk_widget_set_tooltip_text (self->back_button, inner ? _("Back") : _("Categories"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", inner || folded);
}

/* The mouse's back button (8) does what Alt+Left does. */
static void
mouse_back_cb (GtkGestureClick *click, int n_press, double x, double y, SdWindow *self)
{
  if (gtk_widget_activate_action (GTK_WIDGET (self), "win.back", NULL))
    gtk_gesture_set_state (GTK_GESTURE (click), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Ctrl+N, wherever the focus is: staff go to Products with a new one
 * (an edited one asks first, as leaving it does). */
static void
new_product_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_window_show_section (self, "staff-products");
  if (g_strcmp0 (sd_window_get_section (self), "staff-products") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->products_admin), "products.new", NULL);
}

/* The first search field shown under widget, if any. */
static GtkWidget *
shown_search_entry (GtkWidget *widget)
{
  GtkWidget *found = NULL;

  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); found == NULL && c; c = gtk_widget_get_next_sibling (c))
    found = shown_search_entry (c);
  return found;
}

/* "/": the search of the page it is pressed on (the shop's is the
 * header bar's). */
static gboolean
search_page (SdWindow *self)
{
  const char *section = sd_window_get_section (self);
  GtkWidget *entry;

  if (g_strcmp0 (section, "shop") == 0 || g_strcmp0 (section, "product") == 0)
    return gtk_widget_activate_action (GTK_WIDGET (self), "win.search", NULL);
  if ((entry = shown_search_entry (gtk_stack_get_visible_child (self->sections))) == NULL)
    return FALSE;
  gtk_widget_grab_focus (entry);
  return TRUE;
}

/* The window's single keys: "/" searches, "?" lists the shortcuts, and
 * the order board's triage keys while it is on show; only while no text
 * field has the keys (there they are what is typed). */
static gboolean
single_key_cb (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
               SdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean typing = focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus));

  if ((state & gtk_accelerator_get_default_mod_mask () & ~GDK_SHIFT_MASK) == 0 && !typing)
    {
      if (keyval == GDK_KEY_question)
        return gtk_widget_activate_action (GTK_WIDGET (self), "win.show-help-overlay", NULL);
      if (keyval == GDK_KEY_slash || keyval == GDK_KEY_KP_Divide)
        return search_page (self);
    }
  /* Ctrl+Z too: the board says which keys are its own. */
  if (g_strcmp0 (sd_window_get_section (self), "staff-orders") == 0)
    return sd_orders_board_handle_key (self->orders_board, keyval, state);
  return FALSE;
}

void
_sd_window_init_actions (SdWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (single_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 8);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (mouse_back_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (_sd_window_update_back), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-product", FALSE);
  _sd_window_update_back (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);

  /* From a product, back to the grid; otherwise to the sidebar. */
  if (g_strcmp0 (sd_window_get_section (self), "product") == 0)
    sd_window_show_section (self, "shop");
  else if (g_strcmp0 (sd_window_get_section (self), "checkout") == 0)
    sd_window_show_section (self, "cart");
  else if (g_strcmp0 (sd_window_get_section (self), "staff-orders") != 0 || !sd_orders_board_navigate_back (self->orders_board))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* win.toast("…"): a page has news for the user. */
static void
toast_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  _sd_window_show_toast (SD_WINDOW (widget), adw_toast_new (g_variant_get_string (param, NULL)));
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);
  const char *section = sd_window_get_section (self);

  /* From anywhere in the window: the search is the shop's. */
  if (g_strcmp0 (section, "shop") != 0 && g_strcmp0 (section, "product") != 0)
    {
      sd_window_show_section (self, "shop");
      /* Refused (an edited product asks first): no search over it. */
      if (g_strcmp0 (sd_window_get_section (self), "shop") != 0)
        return;
    }
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Help → Connection: the connection doctor, over this window. */
static void
connection_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->shop)
    gtk_window_present (GTK_WINDOW (sd_connection_doctor_new (GTK_WINDOW (self), self->shop)));
}

void
_sd_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, product_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, cart_remove_cb);
  gtk_widget_class_bind_template_callback (widget_class, order_placed_cb);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.connection", NULL, connection_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s", show_section_action);
  gtk_widget_class_install_action (widget_class, "win.checkout", NULL, checkout_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.new-product", NULL, new_product_action);
  /* Alt+Left, Ctrl+F and Ctrl+N are the application's accelerators (wherever
   * the focus is: a spin button or an entry takes Alt+Left for itself). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-section", "s", "shop");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-section", "s", "cart");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-section", "s", "orders");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-section", "s", "account");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-section", "s", "photos");

}
