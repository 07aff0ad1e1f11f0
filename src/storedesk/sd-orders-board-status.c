/* sd-orders-board-status.c — the board's status changes, with Undo: each
 * goes through the shop's queue (SdSync), sent at once when the shop
 * answers, kept on disk when it does not (its row marked "Waiting to
 * send", sd-orders-board-columns.c), and its row follows when it lands. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-orders-board-private.h"
#include "sd-sync-mark.h"
#include "sd-ui.h"

typedef struct {
  SdOrder       *order;    /* as the shop last answered */
  SdOrderStatus  before;
} UndoStatus;

static void
undo_status_free (UndoStatus *u)
{
  g_object_unref (u->order);
  g_free (u);
}

static void undo_status (gpointer owner, gpointer data);

/* An order of the page, by id, and where it is. */
static SdOrder *
find_order (GListModel *orders, const char *id, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);

      if (g_strcmp0 (sd_order_get_id (o), id) == 0)
        {
          *position = i;
          return o;
        }
    }
  return NULL;
}

/* An edit reached the shop (now, or later from the queue): its row shows
 * the order as the shop has it, still selected, and an Undo starts from it. */
static void
order_landed_cb (SdOrdersBoard *self, SdSyncItem *item, GObject *record)
{
  const char *id = sd_sync_item_get_target (item);
  SdOrder *old;
  guint i, at;
  gboolean selected;

  if (sd_sync_item_get_kind (item) != SD_SYNC_ORDER_STATUS || !SD_IS_ORDER (record))
    return;
  for (guint u = 0; self->undo && u < self->undo->len; u++)
    {
      UndoStatus *undo = self->undo->pdata[u];

      if (g_strcmp0 (sd_order_get_id (undo->order), id) == 0)
        g_set_object (&undo->order, SD_ORDER (record));
    }
  if ((old = find_order (G_LIST_MODEL (self->orders), id, &i)) == NULL)
    return;
  selected = find_order (G_LIST_MODEL (self->sorted), id, &at) &&
             gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), at);
  g_list_store_splice (self->orders, i, 1, (gpointer *) &record, 1);
  if (selected && find_order (G_LIST_MODEL (self->sorted), id, &at))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), at, FALSE);
}

static void
status_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) order = sd_sync_finish (SD_SYNC (source), result, &error);
  g_autofree char *kept = NULL;

  /* The write cancellable is cancelled only when the board goes. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error == NULL)
    self->batch_sent = TRUE;   /* its row followed ("landed") */
  else if ((kept = sd_sync_mark_kept (error)) != NULL)
    {
      /* Kept on disk, its row marked: said once for the batch, with the
       * Undo still there. */
      if (!self->batch_told && self->undo)
        sd_ui_show_undo_toast (GTK_WIDGET (self), kept, undo_status, self, NULL, NULL);
      else if (!self->batch_told)
        sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (kept));
      self->batch_told = TRUE;
    }
  else
    sd_ui_show_error (GTK_WIDGET (self), _("A Status Was Not Changed"), error);
  /* Kept or not, the order's pane says where it stands now. */
  _sd_orders_board_show_detail (self);
  /* The chips count what the shop has now. */
  if (--self->pending == 0 && self->batch_sent)
    sd_orders_board_reload (self);
  else
    _sd_orders_board_update_count (self);
}

/* Sends status for each order through the shop's queue, telling the
 * shop's log where they come from (an undo; a change of many orders). */
static void
send_statuses (SdOrdersBoard *self, GPtrArray *orders, const SdOrderStatus *statuses, SdActivityOrigin origin)
{
  SdSync *sync = sd_sync_mark_page_sync (SD_PAGE (self));

  self->batch_sent = self->batch_told = FALSE;
  if (sync)
    sd_sync_set_origin (sync, origin != SD_ACTIVITY_ORIGIN_NONE || orders->len < 2 ? origin
                                                                                   : SD_ACTIVITY_ORIGIN_BULK);
  for (guint i = 0; sync && i < orders->len; i++)
    {
      self->pending++;
      /* A write: not cancelled with a reload, a change the user asked for goes through. */
      sd_sync_set_order_status_async (sync, orders->pdata[i], statuses[i],
                                      sd_page_get_write_cancellable (SD_PAGE (self)), status_set_cb,
                                      g_object_ref (self));
    }
  if (sync)
    sd_sync_set_origin (sync, SD_ACTIVITY_ORIGIN_NONE);
  _sd_orders_board_update_count (self);
}

static void
undo_status (gpointer owner, gpointer data)
{
  SdOrdersBoard *self = owner;
  g_autoptr(GPtrArray) undo = g_steal_pointer (&self->undo);
  g_autoptr(GPtrArray) orders = g_ptr_array_new ();
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (SdOrderStatus));

  for (guint i = 0; undo && i < undo->len; i++)
    {
      UndoStatus *u = undo->pdata[i];

      g_ptr_array_add (orders, u->order);
      g_array_append_val (statuses, u->before);
    }
  send_statuses (self, orders, (const SdOrderStatus *) (gpointer) statuses->data, SD_ACTIVITY_ORIGIN_UNDO);
}

gboolean
sd_orders_board_set_statuses (SdOrdersBoard *self, GPtrArray *orders, const SdOrderStatus *statuses,
                              const char *title)
{
  g_return_val_if_fail (SD_IS_ORDERS_BOARD (self), FALSE);
  g_return_val_if_fail (orders != NULL && statuses != NULL && title != NULL, FALSE);
  /* While an earlier change is on its way: the queue sends them in turn,
   * and the Undo is this one's. */
  if (orders->len == 0 || sd_sync_mark_page_sync (SD_PAGE (self)) == NULL)
    return FALSE;
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_status_free);
  for (guint i = 0; i < orders->len; i++)
    {
      UndoStatus *u = g_new0 (UndoStatus, 1);

      u->order = g_object_ref (orders->pdata[i]);
      /* What the row showed: a change still waiting included. */
      u->before = _sd_orders_board_shown_status (self, u->order);
      g_ptr_array_add (self->undo, u);
    }
  sd_ui_show_undo_toast (GTK_WIDGET (self), title, undo_status, self, NULL, NULL);
  send_statuses (self, orders, statuses, SD_ACTIVITY_ORIGIN_NONE);
  return TRUE;
}

void
sd_orders_board_set_status (SdOrdersBoard *self, SdOrderStatus status)
{
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (SdOrderStatus));
  g_autofree char *title = NULL;

  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  selected = _sd_orders_board_selected_orders (self);
  for (guint i = 0; i < selected->len; i++)
    g_array_append_val (statuses, status);
  /* Translators: "3 orders are now Preparing shipment" */
  title = g_strdup_printf (ngettext ("%u order is now %s", "%u orders are now %s", selected->len), selected->len,
                           _sd_orders_board_status_label (status));
  sd_orders_board_set_statuses (self, selected, (const SdOrderStatus *) (gpointer) statuses->data, title);
}

gboolean
sd_orders_board_undo (SdOrdersBoard *self)
{
  guint n;
  g_autofree char *title = NULL;

  g_return_val_if_fail (SD_IS_ORDERS_BOARD (self), FALSE);
  if (self->undo == NULL || self->undo->len == 0)
    return FALSE;
  n = self->undo->len;
  undo_status (self, NULL);
  /* Translators: the toast after z or Ctrl+Z on the order board. */
  title = g_strdup_printf (ngettext ("Undone: %u order is back to its status", "Undone: %u orders are back to their status", n), n);
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
  return TRUE;
}

SdOrderStatus
sd_orders_board_get_shown_status (SdOrdersBoard *self, SdOrder *order)
{
  g_return_val_if_fail (SD_IS_ORDERS_BOARD (self), SD_ORDER_STATUS_N);
  g_return_val_if_fail (SD_IS_ORDER (order), SD_ORDER_STATUS_N);
  return _sd_orders_board_shown_status (self, order);
}

void
_sd_orders_board_init_status (SdOrdersBoard *self)
{
  sd_sync_mark_follow_landed (SD_PAGE (self), G_CALLBACK (order_landed_cb));
}
