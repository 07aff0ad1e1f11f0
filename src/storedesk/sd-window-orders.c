/* sd-window-orders.c — new orders, told where staff are: a count on the
 * Orders Board's sidebar row until the board is looked at, and a toast
 * while the window has the focus (the desktop notification is the
 * application's, for when it has not). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-ui.h"
#include "sd-window-private.h"

#define WATCHER_KEY "sd-orders-watcher"
#define BADGE_KEY   "sd-orders-badge"

static SdOrdersWatcher *
watcher_of (SdWindow *self)
{
  return g_object_get_data (G_OBJECT (self), WATCHER_KEY);
}

static gboolean
board_on_show (SdWindow *self)
{
  return g_strcmp0 (sd_window_get_section (self), "staff-orders") == 0;
}

static void
update_badge (SdWindow *self)
{
  SdOrdersWatcher *watcher = watcher_of (self);
  GtkWidget *badge = g_object_get_data (G_OBJECT (self), BADGE_KEY);
  guint n = watcher ? sd_orders_watcher_get_n_unseen (watcher) : 0;
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;

  if (badge == NULL)
    return;
  /* On show already: the board lists them. */
  if (n > 0 && board_on_show (self))
    {
      sd_orders_watcher_mark_seen (watcher);
      return;
    }
  count = g_strdup_printf ("%u", n);
  /* Translators: the Orders Board row's count, for screen readers. */
  name = g_strdup_printf (ngettext ("%u new order", "%u new orders", n), n);
  gtk_label_set_label (GTK_LABEL (badge), count);
  gtk_widget_set_visible (badge, n > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (badge, GTK_TYPE_LIST_BOX_ROW)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, n > 0 ? name : "", -1);
}

/* Orders came in while the window has the focus: said here, with a way
 * to the board. */
static void
new_orders_cb (SdWindow *self, guint n, SdOrdersWatcher *watcher)
{
  SdOrder *newest = sd_orders_watcher_get_newest (watcher);
  g_autofree char *number = newest && n == 1 ? sd_order_dup_order_number (newest) : NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!gtk_window_is_active (GTK_WINDOW (self)) || board_on_show (self))
    return;
  if (number)
    /* Translators: a toast; %s is the order's number. */
    title = g_strdup_printf (_("New order %s"), number);
  else
    /* Translators: a toast. */
    title = g_strdup_printf (ngettext ("%u new order", "%u new orders", n), n);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Show"));
  adw_toast_set_action_name (toast, "app.orders-board");
  _sd_window_show_toast (self, toast);
}

/* The badge sits at the end of the sidebar's Orders Board row. */
static GtkWidget *
add_badge (SdWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->staff_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), "staff-orders") == 0)
      {
        GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
        GtkWidget *badge = gtk_label_new (NULL);

        gtk_widget_set_hexpand (gtk_widget_get_last_child (box), TRUE);
        gtk_widget_add_css_class (badge, "sidebar-badge");
        gtk_widget_add_css_class (badge, "numeric");
        gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
        gtk_widget_set_visible (badge, FALSE);
        gtk_box_append (GTK_BOX (box), badge);
        return badge;
      }
  g_return_val_if_reached (NULL);
}

void
_sd_window_watch_orders (SdWindow *self, SdOrdersWatcher *watcher)
{
  SdOrdersWatcher *old = watcher_of (self);

  if (old == watcher)
    return;
  if (old)
    g_signal_handlers_disconnect_by_data (old, self);
  if (g_object_get_data (G_OBJECT (self), BADGE_KEY) == NULL)
    g_object_set_data (G_OBJECT (self), BADGE_KEY, add_badge (self));
  g_object_set_data_full (G_OBJECT (self), WATCHER_KEY, watcher ? g_object_ref (watcher) : NULL, g_object_unref);
  if (watcher)
    {
      g_signal_connect_object (watcher, "notify::n-unseen", G_CALLBACK (update_badge), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (watcher, "new-orders", G_CALLBACK (new_orders_cb), self, G_CONNECT_SWAPPED);
    }
  update_badge (self);
}

void
_sd_window_orders_seen (SdWindow *self)
{
  SdOrdersWatcher *watcher = watcher_of (self);

  if (watcher)
    sd_orders_watcher_mark_seen (watcher);
}
