/* sd-orders-board-export.c — the orders board's printing (the selected
 * orders), its pick & pack run (sd-pick-pack.h) and its CSV export (every
 * order the chips and search pick). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-orders-board-private.h"
#include "sd-pick-pack.h"
#include "sd-print.h"
#include "sd-ui.h"

/* ---- printing ------------------------------------------------------------ */

static void
print_cb (SdOrdersBoard *self)
{
  g_autoptr(GPtrArray) selected = _sd_orders_board_selected_orders (self);

  if (selected->len > 0)
    sd_print_orders (GTK_WIDGET (self), selected, _sd_orders_board_is_original (self));
}

static gboolean
print_shortcut (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  print_cb (SD_ORDERS_BOARD (widget));
  return TRUE;
}

gboolean
sd_orders_board_print_to_pdf (SdOrdersBoard *self, const char *path, GError **error)
{
  g_autoptr(GPtrArray) selected = _sd_orders_board_selected_orders (self);

  return sd_print_orders_to_pdf (GTK_WIDGET (self), selected, _sd_orders_board_is_original (self), path, error);
}

/* ---- pick & pack ---------------------------------------------------------- */

GtkWindow *
sd_orders_board_pick_pack (SdOrdersBoard *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  SdPickPack *dialog;

  g_return_val_if_fail (SD_IS_ORDERS_BOARD (self), NULL);
  selected = _sd_orders_board_selected_orders (self);
  if (selected->len == 0 || self->admin == NULL)
    return NULL;
  dialog = sd_pick_pack_new (self, self->admin, selected, _sd_orders_board_is_original (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
pick_pack_cb (SdOrdersBoard *self)
{
  sd_orders_board_pick_pack (self);
}

/* ---- CSV ----------------------------------------------------------------- */

typedef struct {
  SdOrdersBoard *self;
  GFile         *file;
  GListStore    *orders;
  SdOrderStatus  filter;
  char          *query;
  guint          page;
} Export;

static void
export_free (Export *e)
{
  g_object_unref (e->self);
  g_object_unref (e->file);
  g_object_unref (e->orders);
  g_free (e->query);
  g_free (e);
}

static void
export_done (Export *e, GError *error)
{
  SdOrdersBoard *self = e->self;

  self->exporting--;
  _sd_orders_board_update_count (self);
  if (error)
    sd_ui_show_error (GTK_WIDGET (self), _("The Orders Were Not Exported"), error);
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (e->orders));
      g_autofree char *title = g_strdup_printf (ngettext ("%u order exported", "%u orders exported", n), n);
      sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
    }
  export_free (e);
}

static void
export_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_file_replace_contents_finish (G_FILE (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    export_free (user_data);
  else
    export_done (user_data, error);
}

static void
export_page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Export *e = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  guint n = orders ? g_list_model_get_n_items (orders) : 0;
  g_autoptr(GBytes) csv = NULL;

  if (orders == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      export_free (e);
      return;
    }
  if (orders == NULL)
    {
      export_done (e, error);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      g_list_store_append (e->orders, o);
    }
  if (total >= 0 && n > 0 && g_list_model_get_n_items (G_LIST_MODEL (e->orders)) < (guint) total)
    {
      e->page++;
      sd_admin_list_orders_async (e->self->admin, e->filter, e->query, e->page, PAGE_SIZE,
                                  sd_page_get_write_cancellable (SD_PAGE (e->self)), export_page_cb, e);
      return;
    }
  csv = sd_csv_from_orders (G_LIST_MODEL (e->orders));
  g_file_replace_contents_bytes_async (e->file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       sd_page_get_write_cancellable (SD_PAGE (e->self)), export_written_cb, e);
}

void
sd_orders_board_export_to (SdOrdersBoard *self, GFile *file)
{
  Export *e;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_return_if_fail (SD_IS_ORDERS_BOARD (self));
  if (self->admin == NULL)
    return;
  e = g_new0 (Export, 1);

  e->self = g_object_ref (self);
  e->file = g_object_ref (file);
  e->orders = g_list_store_new (SD_TYPE_ORDER);
  e->filter = self->filter;
  e->query = *query ? g_strdup (query) : NULL;
  e->page = 1;
  self->exporting++;
  _sd_orders_board_update_count (self);
  /* Asked for by the user, like a write: a reload does not cut it short. */
  sd_admin_list_orders_async (self->admin, e->filter, e->query, 1, PAGE_SIZE,
                              sd_page_get_write_cancellable (SD_PAGE (self)), export_page_cb, e);
}

static void
export_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdOrdersBoard *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_orders_board_export_to (self, file);
    }
  g_object_unref (chooser);
}

static void
export_cb (SdOrdersBoard *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Orders"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);

  /* Translators: the suggested file name of an orders export. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("orders.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_sd_orders_board_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, print_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cb);
  gtk_widget_class_bind_template_callback (widget_class, pick_pack_cb);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, print_shortcut, NULL);
}
