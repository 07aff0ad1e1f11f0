/* sd-orders-board.c */
#define G_LOG_DOMAIN "storedesk"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-orders-board.h"
#include "sd-ui.h"

#define PAGE_SIZE 100

struct _SdOrdersBoard
{
  GtkWidget          parent_instance;

  GtkDropDown       *filter_dropdown;
  GtkSearchEntry    *search_entry;
  GtkLabel          *count_label;
  GtkDropDown       *status_dropdown;
  GtkButton         *apply_button;
  GtkColumnView     *view;

  SdApi             *api;
  SdAdmin           *admin;
  GListStore        *orders;       /* SdOrder, the page on show */
  GtkMultiSelection *selection;
  gint64             total;
  GCancellable      *cancellable;
  gboolean           loading;
  guint              pending;      /* status changes in flight */
  GPtrArray         *undo;         /* UndoStatus of the last bulk change */
};

G_DEFINE_FINAL_TYPE (SdOrdersBoard, sd_orders_board, GTK_TYPE_WIDGET)

typedef struct {
  char          *id;
  SdOrderStatus  before;
} UndoStatus;

static void
undo_status_free (UndoStatus *u)
{
  g_free (u->id);
  g_free (u);
}

/* ---- loading --------------------------------------------------------- */

static void
update_count (SdOrdersBoard *self)
{
  g_autofree char *text = NULL;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->orders));

  if (self->loading)
    text = g_strdup (_("Loading…"));
  else if (self->total > shown)
    /* Translators: "100 of 1,234 orders" */
    text = g_strdup_printf (_("%u of %lu orders"), shown, (gulong) self->total);
  else
    text = g_strdup_printf (ngettext ("%u order", "%u orders", shown), shown);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !self->loading && self->pending == 0);
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (orders == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      update_count (self);
      sd_ui_show_problem (GTK_WIDGET (self), _("Orders Could Not Be Loaded"), error->message);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    g_ptr_array_add (items, g_list_model_get_item (orders, i));
  g_list_store_splice (self->orders, 0, g_list_model_get_n_items (G_LIST_MODEL (self->orders)),
                       items->pdata, items->len);
  self->total = total;
  self->loading = FALSE;
  update_count (self);
}

static SdOrderStatus
chosen_filter (SdOrdersBoard *self)
{
  guint i = gtk_drop_down_get_selected (self->filter_dropdown);
  return i == 0 || i == GTK_INVALID_LIST_POSITION ? SD_ORDER_STATUS_N : (SdOrderStatus) (i - 1);
}

void
sd_orders_board_reload (SdOrdersBoard *self)
{
  const char *query;

  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  if (self->admin == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  self->loading = TRUE;
  update_count (self);
  query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  sd_admin_list_orders_async (self->admin, chosen_filter (self), *query ? query : NULL, 1, PAGE_SIZE,
                              self->cancellable, listed_cb, g_object_ref (self));
}

static void
reload_cb (SdOrdersBoard *self)
{
  sd_orders_board_reload (self);
}

void
sd_orders_board_set_filter (SdOrdersBoard *self, SdOrderStatus status)
{
  gtk_drop_down_set_selected (self->filter_dropdown, status == SD_ORDER_STATUS_N ? 0 : status + 1);
}

/* ---- bulk status change, with Undo -------------------------------------- */

static void
status_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = sd_admin_order_finish (SD_ADMIN (source), result, &error);

  if (order == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_ui_show_problem (GTK_WIDGET (self), _("A Status Was Not Changed"), error->message);
  if (--self->pending == 0)
    sd_orders_board_reload (self);
  else
    update_count (self);
}

static void
undo_cb (AdwToast *toast, gpointer user_data)
{
  SdOrdersBoard *self = user_data;
  g_autoptr(GPtrArray) undo = g_steal_pointer (&self->undo);

  for (guint i = 0; undo && i < undo->len; i++)
    {
      UndoStatus *u = undo->pdata[i];

      self->pending++;
      sd_admin_set_order_status_async (self->admin, u->id, u->before, NULL, status_set_cb, g_object_ref (self));
    }
  update_count (self);
}

void
sd_orders_board_set_status (SdOrdersBoard *self, SdOrderStatus status)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint n = 0;

  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  if (self->pending || gtk_bitset_is_empty (selected))
    return;
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_status_free);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(SdOrder) order = g_list_model_get_item (G_LIST_MODEL (self->orders), position);
      UndoStatus *u = g_new0 (UndoStatus, 1);

      u->id = g_strdup (sd_order_get_id (order));
      u->before = sd_order_get_status (order);
      g_ptr_array_add (self->undo, u);
      self->pending++;
      n++;
      /* Not cancelled with a reload: a change the user asked for goes through. */
      sd_admin_set_order_status_async (self->admin, u->id, status, NULL, status_set_cb, g_object_ref (self));
    }
  update_count (self);
  /* Translators: "3 orders are now Preparing shipment" */
  title = g_strdup_printf (ngettext ("%u order is now %s", "%u orders are now %s", n), n,
                           sd_order_status_label (status));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_cb), self, 0);
  {
    GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
    if (overlay)
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    else
      g_object_unref (toast);
  }
}

static void
apply_cb (SdOrdersBoard *self)
{
  guint i = gtk_drop_down_get_selected (self->status_dropdown);

  if (i != GTK_INVALID_LIST_POSITION)
    sd_orders_board_set_status (self, (SdOrderStatus) i);
}

/* ---- columns ------------------------------------------------------------ */

typedef char *(*CellText) (SdOrder *order);

static char *
cell_number (SdOrder *o)
{
  const char *id = sd_order_get_id (o);
  gsize n = strlen (id);
  return g_ascii_strup (n > 8 ? id + n - 8 : id, -1);
}

static char *
cell_date (SdOrder *o)
{
  g_autoptr(GDateTime) local = sd_order_get_created_at (o) ? g_date_time_to_local (sd_order_get_created_at (o)) : NULL;
  return local ? g_date_time_format (local, _("%Y-%m-%d %H:%M")) : g_strdup ("—");
}

static char *
cell_customer (SdOrder *o)
{
  return g_strdup (sd_order_get_is_guest (o) ? _("Guest") : _("Member"));
}

static char *
cell_receiver (SdOrder *o)
{
  return g_strdup (sd_order_get_receiver (o) ? sd_receiver_get_name (sd_order_get_receiver (o)) : "—");
}

static char *
cell_items (SdOrder *o)
{
  return g_strdup_printf ("%u", sd_order_get_n_items (o));
}

static char *
cell_total (SdOrder *o)
{
  return sd_format_price (sd_order_get_total (o));
}

static char *
cell_status (SdOrder *o)
{
  return g_strdup (sd_order_status_label (sd_order_get_status (o)));
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  CellText text_of = user_data;
  g_autofree char *text = text_of (gtk_list_item_get_item (item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_column (SdOrdersBoard *self, const char *title, CellText text_of, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), text_of);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->view, column);
  g_object_unref (column);
}

/* ---- public ------------------------------------------------------------- */

void
sd_orders_board_set_api (SdOrdersBoard *self, SdApi *api)
{
  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  g_set_object (&self->api, api);
  g_clear_object (&self->admin);
  self->admin = sd_admin_new (api);
  g_list_store_remove_all (self->orders);
  self->total = -1;
}

gboolean sd_orders_board_get_loading (SdOrdersBoard *self) { return self->loading; }
gboolean sd_orders_board_get_busy (SdOrdersBoard *self) { return self->loading || self->pending > 0; }
GListModel *sd_orders_board_get_orders (SdOrdersBoard *self) { return G_LIST_MODEL (self->orders); }
gint64 sd_orders_board_get_total (SdOrdersBoard *self) { return self->total; }
GtkSelectionModel *sd_orders_board_get_selection (SdOrdersBoard *self) { return GTK_SELECTION_MODEL (self->selection); }

static void
sd_orders_board_dispose (GObject *object)
{
  SdOrdersBoard *self = SD_ORDERS_BOARD (object);
  GtkWidget *child;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ORDERS_BOARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->orders);
  g_clear_object (&self->admin);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_orders_board_parent_class)->dispose (object);
}

static void
sd_orders_board_class_init (SdOrdersBoardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_orders_board_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storedesk/Storedesk/ui/sd-orders-board.ui");
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, apply_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, view);
  gtk_widget_class_bind_template_callback (widget_class, reload_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_orders_board_init (SdOrdersBoard *self)
{
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->total = -1;
  gtk_string_list_append (filters, _("All Statuses"));
  for (SdOrderStatus s = 0; s < SD_ORDER_STATUS_N; s++)
    {
      gtk_string_list_append (filters, sd_order_status_label (s));
      gtk_string_list_append (statuses, sd_order_status_label (s));
    }
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (filters));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  gtk_drop_down_set_selected (self->status_dropdown, SD_ORDER_STATUS_PREPARING);

  self->orders = g_list_store_new (SD_TYPE_ORDER);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->orders)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  add_column (self, _("Number"), cell_number, FALSE);
  add_column (self, _("Date"), cell_date, FALSE);
  add_column (self, _("Customer"), cell_customer, FALSE);
  add_column (self, _("Receiver"), cell_receiver, TRUE);
  add_column (self, _("Items"), cell_items, FALSE);
  add_column (self, _("Total"), cell_total, FALSE);
  add_column (self, _("Status"), cell_status, FALSE);
  update_count (self);
}
