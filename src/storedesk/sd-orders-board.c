/* sd-orders-board.c — staff: every order, by status, a page at a time.
 *
 * The chips count the shop's orders per status (X-Total-Count) and wrap
 * when the board is narrow; the view shows one page of 100 sorted by any
 * column, as many columns as fit; the pane beside it one order. A narrow
 * board folds the two into one: the order slides over the list, with a
 * way back. New orders come from the app's SdOrdersWatcher: the board shows
 * them, and tells it what it has counted already. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-orders-board-private.h"
#include "sd-ui.h"

G_DEFINE_FINAL_TYPE (SdOrdersBoard, sd_orders_board, SD_TYPE_PAGE)

const char *
_sd_orders_board_status_label (SdOrderStatus s)
{
  return g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (s));
}

GPtrArray *
_sd_orders_board_selected_orders (SdOrdersBoard *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (out, g_list_model_get_item (G_LIST_MODEL (self->sorted), position));
  return out;
}


/* ---- what is on show ----------------------------------------------------- */

static guint
n_pages (SdOrdersBoard *self)
{
  return self->total > 0 ? (guint) ((self->total + PAGE_SIZE - 1) / PAGE_SIZE) : 1;
}

void
_sd_orders_board_update_count (SdOrdersBoard *self)
{
  g_autofree char *text = NULL;
  g_autofree char *page = NULL;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  g_autoptr(GPtrArray) selected = _sd_orders_board_selected_orders (self);

  if (self->loading)
    text = g_strdup (_("Loading…"));
  else if (selected->len > 0)
    text = g_strdup_printf (ngettext ("%u order selected", "%u orders selected", selected->len), selected->len);
  else if (self->total > shown)
    /* Translators: "100 of 1,234 orders" */
    text = g_strdup_printf (_("%u of %lu orders"), shown, (gulong) self->total);
  else
    text = g_strdup_printf (ngettext ("%u order", "%u orders", shown), shown);
  if (self->from_disk && !self->loading)
    {
      char *kept = g_strdup_printf ("%s · %s", text, _("Kept on this computer: the shop is not reachable"));
      g_free (text);
      text = kept;
    }
  gtk_label_set_label (self->count_label, text);
  /* Translators: "Page 2 of 7" */
  page = g_strdup_printf (_("Page %u of %u"), self->page, n_pages (self));
  gtk_label_set_label (self->page_label, page);
  gtk_widget_set_sensitive (GTK_WIDGET (self->prev_button), !self->loading && self->page > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !self->loading && self->page < n_pages (self));
  _sd_orders_board_update_keys (self, !self->loading && selected->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), selected->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->exporting == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), self->pending == 0);
}

static void
update_chips (SdOrdersBoard *self)
{
  for (guint i = 0; i < N_CHIPS; i++)
    {
      const char *name = i == SD_ORDER_STATUS_N ? _("All") : _sd_orders_board_status_label (i);
      g_autofree char *label = self->counts[i] >= 0 ? g_strdup_printf ("%s · %ld", name, (long) self->counts[i])
                                                    : g_strdup (name);

      gtk_button_set_label (GTK_BUTTON (self->chips[i]), label);
    }
  /* A shop that deletes cancelled orders never has one to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->chips[SD_ORDER_STATUS_CANCELLED]),
                          self->admin != NULL && sd_admin_get_keeps_cancelled (self->admin));
}

/* The original HoneyTouse: it keeps no receivers. */
gboolean
_sd_orders_board_is_original (SdOrdersBoard *self)
{
  return self->admin && sd_admin_get_original (self->admin);
}

static void
show_detail (SdOrdersBoard *self)
{
  g_autoptr(GPtrArray) selected = _sd_orders_board_selected_orders (self);
  SdOrder *o;
  SdReceiver *r;
  GListModel *lines;
  g_autoptr(GString) text = NULL;
  g_autofree char *number = NULL, *date = NULL, *title = NULL, *meta = NULL, *total = NULL;

  g_clear_object (&self->detail);
  if (selected->len != 1)
    {
      g_autofree char *what = selected->len
        ? g_strdup_printf (ngettext ("%u order selected", "%u orders selected", selected->len), selected->len)
        : g_strdup (_("No Order Selected"));

      adw_status_page_set_title (self->detail_none, what);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  o = self->detail = g_object_ref (selected->pdata[0]);
  number = sd_ui_order_number (o);
  date = sd_ui_order_date (o);
  total = sd_format_price (sd_order_get_total (o));
  /* Translators: the heading of an order's pane, with its number. */
  title = g_strdup_printf (_("Order %s"), number);
  gtk_label_set_label (self->detail_title, title);
  meta = g_strdup_printf ("%s · %s · %s · %s", date,
                          sd_order_get_is_guest (o) ? _("Guest") : _("Member"),
                          _sd_orders_board_status_label (_sd_orders_board_shown_status (self, o)), total);
  gtk_label_set_label (self->detail_meta, meta);

  text = g_string_new (NULL);
  lines = sd_order_get_lines (o);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, sd_order_line_get_name (line) ? sd_order_line_get_name (line)
                                                           : sd_order_line_get_product_id (line));
      if (sd_order_line_get_option (line))
        g_string_append_printf (text, " (%s)", sd_order_line_get_option (line));
      g_string_append_printf (text, " × %u", sd_order_line_get_count (line));
    }
  gtk_label_set_label (self->detail_lines, text->str);

  r = sd_order_get_receiver (o);
  g_string_truncate (text, 0);
  if (r)
    {
      g_autofree char *phone = sd_ui_format_phone (sd_receiver_get_phone_number (r));

      g_string_append_printf (text, "%s\n%s\n%s %s", sd_receiver_get_name (r), phone, sd_receiver_get_address (r),
                              sd_receiver_get_address_detail (r) ? sd_receiver_get_address_detail (r) : "");
    }
  else
    g_string_append (text, sd_ui_no_receiver (o, _sd_orders_board_is_original (self), FALSE));
  gtk_label_set_label (self->detail_receiver, text->str);
  gtk_label_set_label (self->detail_memo, sd_order_get_memo (o) && *sd_order_get_memo (o) ? sd_order_get_memo (o)
                                                                                           : _("No memo."));
  sd_activity_list_show (self->detail_history, self->admin, SD_ACTIVITY_ORDER, sd_order_get_id (o));
  gtk_stack_set_visible_child_name (self->detail_stack, "order");
}

void
_sd_orders_board_show_detail (SdOrdersBoard *self)
{
  show_detail (self);
}

/* ---- one pane or two ------------------------------------------------- */

static void
show_pane (SdOrdersBoard *self, GtkWidget *pane)
{
  adw_leaflet_set_visible_child (self->leaflet, pane);
  /* The focus goes with the pane on show: to the list, or to the way back. */
  gtk_widget_grab_focus (pane == self->list_pane ? GTK_WIDGET (self->view) : GTK_WIDGET (self->back_button));
}

static void
selection_changed_cb (SdOrdersBoard *self)
{
  show_detail (self);
  _sd_orders_board_update_count (self);
  /* Folded, an order clicked opens it (keys move along the list: Enter
   * opens). */
  if (self->pointer_down && self->detail && adw_leaflet_get_folded (self->leaflet))
    show_pane (self, self->detail_pane);
  self->pointer_down = FALSE;
}

static void
row_pressed_cb (SdOrdersBoard *self)
{
  self->pointer_down = TRUE;
}

static gboolean
pointer_up_cb (gpointer user_data)
{
  SdOrdersBoard *self = user_data;

  self->pointer_source = 0;
  self->pointer_down = FALSE;
  return G_SOURCE_REMOVE;
}

/* Once the row has had the click (it may select on release), a pointer
 * did nothing more: the next selection may come from a key. */
static void
row_released_cb (SdOrdersBoard *self)
{
  if (self->pointer_source == 0)
    self->pointer_source = g_idle_add (pointer_up_cb, self);
}

/* Enter or a double click: that order alone, shown. */
static void
row_activated_cb (SdOrdersBoard *self, guint position)
{
  self->pointer_down = FALSE;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  if (adw_leaflet_get_folded (self->leaflet))
    show_pane (self, self->detail_pane);
}

static void
back_cb (SdOrdersBoard *self)
{
  show_pane (self, self->list_pane);
}

/* Alt+Left (win.back asks the page on show first): from the order back to
 * the list when folded. */
gboolean
sd_orders_board_navigate_back (SdOrdersBoard *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_BOARD (self), FALSE);
  if (!adw_leaflet_get_folded (self->leaflet) || adw_leaflet_get_visible_child (self->leaflet) == self->list_pane)
    return FALSE;
  show_pane (self, self->list_pane);
  return TRUE;
}

gboolean
sd_orders_board_get_folded (SdOrdersBoard *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

gboolean
sd_orders_board_get_showing_order (SdOrdersBoard *self)
{
  return adw_leaflet_get_visible_child (self->leaflet) == self->detail_pane;
}

/* The order's number, to paste in a message to its customer. */
static void
copy_number_cb (SdOrdersBoard *self)
{
  sd_ui_copy_order_id (GTK_WIDGET (self), self->detail, FALSE);
}

/* ---- loading --------------------------------------------------------- */

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) kept = NULL;

  if (orders == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      _sd_orders_board_update_count (self);
      if (!sd_page_offline_keeps (SD_PAGE (self), error, TRUE))
        sd_ui_show_error (GTK_WIDGET (self), _("Orders Could Not Be Loaded"), error);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    g_ptr_array_add (items, g_list_model_get_item (orders, i));
  kept = _sd_orders_board_keys_save (self);
  g_list_store_splice (self->orders, 0, g_list_model_get_n_items (G_LIST_MODEL (self->orders)),
                       items->pdata, items->len);
  _sd_orders_board_keys_restore (self, kept);
  self->from_disk = sd_admin_list_orders_from_disk (SD_ADMIN (source), result);
  self->total = total >= 0 ? total : (gint64) items->len;
  self->loading = FALSE;
  _sd_orders_board_measure_columns (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  sd_page_note_loaded (SD_PAGE (self));
  _sd_orders_board_update_count (self);
  show_detail (self);
}

typedef struct {
  SdOrdersBoard *self;
  guint          chip;
} CountCall;

static void
count_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CountCall *call = user_data;
  g_autoptr(SdOrdersBoard) self = call->self;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  guint chip = call->chip;

  g_free (call);
  if (orders == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->counting--;
  self->counts[chip] = orders ? (total >= 0 ? total : (gint64) g_list_model_get_n_items (orders)) : -1;
  /* Orders the board has counted are not news at the watcher's next look. */
  if (chip == SD_ORDER_STATUS_N && orders && self->watcher
      && *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    sd_orders_watcher_set_known (self->watcher, self->counts[chip]);
  update_chips (self);
}

static void
load_counts (SdOrdersBoard *self, const char *query, GCancellable *cancellable)
{
  for (guint i = 0; i < N_CHIPS; i++)
    {
      CountCall *call = g_new0 (CountCall, 1);

      call->self = g_object_ref (self);
      call->chip = i;
      self->counting++;
      /* One order per status is enough: the count is in X-Total-Count. */
      sd_admin_list_orders_async (self->admin, (SdOrderStatus) i, query, 1, 1, cancellable, count_cb, call);
    }
}

void
sd_orders_board_reload (SdOrdersBoard *self)
{
  const char *query;
  GCancellable *cancellable;

  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  if (self->admin == NULL)
    return;
  /* What the board was reading is stale; a status change or a delete
   * being sent goes on (the write cancellable). */
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  self->loading = TRUE;
  self->counting = 0;
  _sd_orders_board_update_count (self);
  query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query = *query ? query : NULL;
  /* The store of the account signed in now (the shop makes a new one when
   * it changes): orders are kept there, and read back when offline. */
  sd_admin_set_local_store (self->admin, sd_page_get_store (SD_PAGE (self)));
  sd_admin_list_orders_async (self->admin, self->filter, query, self->page, PAGE_SIZE, cancellable, listed_cb,
                              g_object_ref (self));
  load_counts (self, query, cancellable);
}

static void
search_changed_cb (SdOrdersBoard *self)
{
  self->page = 1;
  sd_orders_board_reload (self);
}

static void
prev_cb (SdOrdersBoard *self)
{
  if (self->page > 1)
    self->page--;
  sd_orders_board_reload (self);
}

static void
next_cb (SdOrdersBoard *self)
{
  if (self->page < n_pages (self))
    self->page++;
  sd_orders_board_reload (self);
}

static void
chip_toggled_cb (GtkToggleButton *chip, SdOrdersBoard *self)
{
  if (!gtk_toggle_button_get_active (chip))
    return;
  for (guint i = 0; i < N_CHIPS; i++)
    if (self->chips[i] == chip)
      self->filter = (SdOrderStatus) i;
  self->page = 1;
  sd_orders_board_reload (self);
}

void
sd_orders_board_set_filter (SdOrdersBoard *self, SdOrderStatus status)
{
  g_return_if_fail (status <= SD_ORDER_STATUS_N);
  if (gtk_toggle_button_get_active (self->chips[status]))
    sd_orders_board_reload (self);
  else
    gtk_toggle_button_set_active (self->chips[status], TRUE);
}

gint64
sd_orders_board_get_count (SdOrdersBoard *self, SdOrderStatus status)
{
  g_return_val_if_fail (status <= SD_ORDER_STATUS_N, -1);
  return self->counts[status];
}

void
sd_orders_board_set_page (SdOrdersBoard *self, guint page)
{
  self->page = CLAMP (page, 1, n_pages (self));
  sd_orders_board_reload (self);
}

guint sd_orders_board_get_page (SdOrdersBoard *self) { return self->page; }
guint sd_orders_board_get_n_pages (SdOrdersBoard *self) { return n_pages (self); }

/* ---- deleting ------------------------------------------------------------ */

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean deleted = sd_admin_delete_finish (SD_ADMIN (source), result, &error);

  /* The write cancellable is cancelled only when the board goes. */
  if (!deleted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (!deleted)
    sd_ui_show_error (GTK_WIDGET (self), _("The Order Was Not Deleted"), error);
  else
    sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("The order was deleted.")));
  sd_orders_board_reload (self);
}

void
sd_orders_board_delete_order (SdOrdersBoard *self, SdOrder *order)
{
  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  if (self->admin == NULL)
    return;
  self->pending++;
  _sd_orders_board_update_count (self);
  sd_admin_delete_async (self->admin, SD_ADMIN_ORDER, sd_order_get_id (order),
                         sd_page_get_write_cancellable (SD_PAGE (self)), deleted_cb, g_object_ref (self));
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdOrdersBoard *self = user_data;
  SdOrder *order = g_object_get_data (G_OBJECT (dialog), "sd-order");

  if (g_strcmp0 (response, "delete") == 0 && order)
    sd_orders_board_delete_order (self, order);
}

static void
delete_cb (SdOrdersBoard *self)
{
  g_autofree char *number = NULL, *heading = NULL;
  GtkWidget *dialog;

  if (self->detail == NULL)
    return;
  number = sd_ui_order_number (self->detail);
  heading = g_strdup_printf (_("Delete Order %s?"), number);
  dialog = sd_ui_ask_first (GTK_WIDGET (self), heading,
                            _("The order is removed from the shop for good, and its customer no longer sees it. "
                              "To stop an order, a customer can cancel it instead."),
                            "cancel", _("_Cancel"), "delete", _("_Delete"), G_CALLBACK (delete_response_cb), self);
  g_object_set_data_full (G_OBJECT (dialog), "sd-order", g_object_ref (self->detail), g_object_unref);
}

/* ---- new orders ---------------------------------------------------------- */

/* The watcher found orders the board has not shown: the board shows them
 * (a reload only renews what it reads; changes being sent go on). */
static void
new_orders_cb (SdOrdersBoard *self, guint n)
{
  sd_orders_board_reload (self);
}

void
sd_orders_board_set_watcher (SdOrdersBoard *self, SdOrdersWatcher *watcher)
{
  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  g_return_if_fail (watcher == NULL || SD_IS_ORDERS_WATCHER (watcher));
  if (self->watcher == watcher)
    return;
  if (self->watcher)
    g_signal_handlers_disconnect_by_data (self->watcher, self);
  g_set_object (&self->watcher, watcher);
  if (watcher)
    g_signal_connect_swapped (watcher, "new-orders", G_CALLBACK (new_orders_cb), self);
}

/* ---- public ------------------------------------------------------------- */

/* The shop's api, for its staff: what the old one showed goes. A status
 * change or a delete being sent goes on (the write cancellable). */
static void
sd_orders_board_shop_changed (SdPage *page, SdShop *shop)
{
  SdOrdersBoard *self = SD_ORDERS_BOARD (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;

  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  self->loading = FALSE;
  self->counting = 0;
  g_list_store_remove_all (self->orders);
  self->total = -1;
  self->page = 1;
  for (guint i = 0; i < N_CHIPS; i++)
    self->counts[i] = -1;
  update_chips (self);
  _sd_orders_board_update_count (self);
}

/* The same shop connected again: only staff see the board. */
static void
sd_orders_board_reload_page (SdPage *page)
{
  SdShop *shop = sd_page_get_shop (page);
  SdSession *session = shop ? sd_shop_get_session (shop) : NULL;

  if (session && sd_session_get_is_admin (session))
    sd_orders_board_reload (SD_ORDERS_BOARD (page));
}

gboolean sd_orders_board_get_loading (SdOrdersBoard *self) { return self->loading; }
gboolean sd_orders_board_get_busy (SdOrdersBoard *self)
{
  return self->loading || self->counting > 0 || self->pending > 0 || self->exporting > 0;
}
GListModel *sd_orders_board_get_orders (SdOrdersBoard *self) { return G_LIST_MODEL (self->sorted); }
gint64 sd_orders_board_get_total (SdOrdersBoard *self) { return self->total; }
GtkSelectionModel *sd_orders_board_get_selection (SdOrdersBoard *self) { return GTK_SELECTION_MODEL (self->selection); }

static void
sd_orders_board_dispose (GObject *object)
{
  SdOrdersBoard *self = SD_ORDERS_BOARD (object);

  if (self->watcher)
    g_signal_handlers_disconnect_by_data (self->watcher, self);
  g_clear_object (&self->watcher);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_handle_id (&self->pointer_source, g_source_remove);
  if (self->focus_tick)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->focus_tick);
  self->focus_tick = 0;
  g_clear_pointer (&self->cursor, g_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_object (&self->detail);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ORDERS_BOARD);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->orders);
  g_clear_object (&self->admin);
  G_OBJECT_CLASS (sd_orders_board_parent_class)->dispose (object);
}

static void
sd_orders_board_class_init (SdOrdersBoardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (SD_TYPE_ACTIVITY_LIST);
  sd_page_class_set_up (klass, sd_orders_board_dispose, sd_orders_board_shop_changed, sd_orders_board_reload_page,
                        "sd-orders-board.ui");
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, chips_box);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, status_box);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, print_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, export_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, view);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, list_pane);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, back_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_none);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_title);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_meta);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_lines);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_receiver);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_memo);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, detail_history);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, prev_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, next_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersBoard, page_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_cb);
  gtk_widget_class_bind_template_callback (widget_class, prev_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_number_cb);
  _sd_orders_board_class_init_layout (widget_class);
  _sd_orders_board_class_init_export (widget_class);
}

static void
sd_orders_board_init (SdOrdersBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its own measure and size_allocate (sd-orders-board-columns.c). */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  self->total = -1;
  self->page = 1;
  self->filter = SD_ORDER_STATUS_N;
  /* The chips: All first, then each status in the order orders go; as
   * many on a line as fit. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self->chips_box), _sd_orders_board_wrap_layout_new ());
  for (guint n = 0; n < N_CHIPS; n++)
    {
      guint i = n == 0 ? SD_ORDER_STATUS_N : n - 1;
      GtkWidget *chip = gtk_toggle_button_new ();

      self->chips[i] = GTK_TOGGLE_BUTTON (chip);
      self->counts[i] = -1;
      if (n > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (chip), self->chips[SD_ORDER_STATUS_N]);
      gtk_box_append (self->chips_box, chip);
    }
  update_chips (self);
  gtk_toggle_button_set_active (self->chips[SD_ORDER_STATUS_N], TRUE);
  for (guint i = 0; i < N_CHIPS; i++)
    g_signal_connect (self->chips[i], "toggled", G_CALLBACK (chip_toggled_cb), self);

  self->orders = g_list_store_new (SD_TYPE_ORDER);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->orders)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  _sd_orders_board_add_columns (self);
  _sd_orders_board_init_keys (self);
  _sd_orders_board_update_count (self);
  _sd_orders_board_init_status (self);

  /* Before the row's own gesture selects it: a pointer did it. */
  {
    GtkGesture *press = gtk_gesture_click_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
    g_signal_connect_swapped (press, "pressed", G_CALLBACK (row_pressed_cb), self);
    g_signal_connect_swapped (press, "released", G_CALLBACK (row_released_cb), self);
    g_signal_connect_swapped (press, "cancel", G_CALLBACK (row_released_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (press));
  }
}
