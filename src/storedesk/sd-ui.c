/* sd-ui.c */
#define G_LOG_DOMAIN "storedesk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-ui.h"

static GtkWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
sd_ui_show_problem (GtkWidget *widget, const char *heading, const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (window_of (widget), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_OK"));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkFileChooserNative *
sd_ui_picture_chooser_new (GtkWidget *widget, const char *title, gboolean multiple)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, window_of (widget),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Pictures"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), multiple);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

char *
sd_ui_order_number (SdOrder *order)
{
  const char *id = sd_order_get_id (order);
  gsize n = strlen (id);

  return g_ascii_strup (n > 8 ? id + n - 8 : id, -1);
}

char *
sd_ui_order_date (SdOrder *order)
{
  g_autoptr(GDateTime) local = NULL;

  if (sd_order_get_created_at (order) == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (sd_order_get_created_at (order));
  /* Translators: an order's date and time; see g_date_time_format(). */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}
