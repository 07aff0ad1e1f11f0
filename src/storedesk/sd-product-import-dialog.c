/* sd-product-import-dialog.c — the products page's CSV: the catalog
 * exported, and a file imported after a dialog says what it would do. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-product-editor.h"
#include "sd-product-import-dialog.h"
#include "sd-ui.h"

/* ---- CSV ------------------------------------------------------------------ */

static void
exported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  g_autofree char *title = NULL;

  self->working--;
  sd_product_editor_validate (self);
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      sd_ui_show_error (GTK_WIDGET (self), _("The Catalog Was Not Exported"), error);
      return;
    }
  title = g_strdup_printf (ngettext ("%u product exported", "%u products exported", n), n);
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
}

void
sd_products_admin_export_to (SdProductsAdmin *self, GFile *file)
{
  g_autoptr(GBytes) csv = sd_csv_from_products (G_LIST_MODEL (self->products), self->categories);

  self->working++;
  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       sd_products_admin_write_cancellable (self), exported_cb, g_object_ref (self));
}

static void
applied_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  SdProductImport *import = SD_PRODUCT_IMPORT (source);
  g_autofree char *title = NULL;

  self->working--;
  if (!sd_product_import_apply_finish (import, result, &error))
    sd_ui_show_error (GTK_WIDGET (self), _("The Products Were Not Imported"), error);
  else
    {
      /* Translators: after an import; "3 new, 2 changed" */
      title = g_strdup_printf (_("Imported: %u new, %u changed"), sd_product_import_count (import, SD_IMPORT_CREATE),
                               sd_product_import_count (import, SD_IMPORT_UPDATE));
      sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
    }
  g_clear_object (&self->import);
  sd_products_admin_catalog_changed (self);
  sd_products_admin_reload (self);
}

static void
import_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (g_strcmp0 (response, "import") == 0 && self->import)
    {
      self->working++;
      sd_product_editor_validate (self);
      sd_product_import_apply_async (self->import, self->admin, sd_products_admin_write_cancellable (self), applied_cb,
                                     g_object_ref (self));
      return;
    }
  g_clear_object (&self->import);
}

static const char *
action_label (SdImportAction action)
{
  switch (action)
    {
    case SD_IMPORT_CREATE: return _("New");
    case SD_IMPORT_UPDATE: return _("Changed");
    case SD_IMPORT_UNCHANGED: return _("Unchanged");
    case SD_IMPORT_ERROR:
    default: return _("Problem");
    }
}

static GtkWidget *
import_report (SdProductImport *import)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  guint n = sd_product_import_get_n_rows (import);
  gboolean problems = sd_product_import_count (import, SD_IMPORT_ERROR) > 0;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lines of the file"), -1);
  for (guint i = 0; i < n; i++)
    {
      SdImportAction action = sd_product_import_get_action (import, i);
      GtkWidget *row;
      g_autofree char *title = NULL;

      /* With problems, only the lines that have them: those are what to mend. */
      if (problems && action != SD_IMPORT_ERROR)
        continue;
      row = adw_action_row_new ();
      /* Translators: a line of an imported file: "Line 4 · 머그컵" */
      title = g_markup_printf_escaped (_("Line %u · %s"), sd_product_import_get_line (import, i),
                                       *sd_product_import_get_name (import, i) ? sd_product_import_get_name (import, i)
                                                                                : "—");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (sd_product_import_get_error (import, i))
        {
          g_autofree char *escaped = g_markup_escape_text (sd_product_import_get_error (import, i), -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (action_label (action)));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), MIN (n, 6) * 56);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  return scrolled;
}

static void
show_import (SdProductsAdmin *self)
{
  SdProductImport *import = self->import;
  guint errors = sd_product_import_count (import, SD_IMPORT_ERROR);
  guint create = sd_product_import_count (import, SD_IMPORT_CREATE);
  guint update = sd_product_import_count (import, SD_IMPORT_UPDATE);
  guint same = sd_product_import_count (import, SD_IMPORT_UNCHANGED);
  const char * const *categories = sd_product_import_get_new_categories (import);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (errors > 0)
    g_string_append_printf (body, ngettext ("%u line has a problem. Nothing is imported until the file is mended.",
                                            "%u lines have problems. Nothing is imported until the file is mended.",
                                            errors), errors);
  else
    {
      /* Translators: what an import will do; "4 new products, 2 changed, 10 unchanged." */
      g_string_append_printf (body, _("%u new products, %u changed, %u unchanged."), create, update, same);
      if (categories[0])
        {
          g_autofree char *names = g_strjoinv (", ", (GStrv) categories);
          g_string_append_c (body, ' ');
          g_string_append_printf (body, _("New categories: %s."), names);
        }
      g_string_append_c (body, ' ');
      g_string_append (body, _("If the shop refuses any of it, everything done is undone."));
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   errors ? _("The File Has Problems") : _("Import Products?"), body->str);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), import_report (import));
  if (errors)
    adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Close"), NULL);
  else
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "import", _("_Import"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import", create + update > 0);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  self->working--;
  sd_product_editor_validate (self);
  if (bytes)
    self->import = sd_product_import_new (bytes, self->categories, G_LIST_MODEL (self->products), &error);
  if (self->import == NULL)
    {
      sd_ui_show_error (GTK_WIDGET (self), _("The File Could Not Be Read"), error);
      return;
    }
  show_import (self);
}

void
sd_products_admin_import_from (SdProductsAdmin *self, GFile *file)
{
  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (self->import || self->working)
    return;
  self->working++;
  g_file_load_bytes_async (file, sd_products_admin_write_cancellable (self), import_read_cb, g_object_ref (self));
}

SdProductImport *sd_products_admin_get_import (SdProductsAdmin *self) { return self->import; }

static void
csv_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (saving)
        sd_products_admin_export_to (self, file);
      else
        sd_products_admin_import_from (self, file);
    }
  g_object_unref (chooser);
}

void
sd_product_import_dialog_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gboolean saving = g_str_equal (action_name, "products.export");
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (saving ? _("Export Catalog") : _("Import Products"),
                                 GTK_WINDOW (gtk_widget_get_root (widget)),
                                 saving ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 saving ? _("_Export") : _("_Open"), NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (saving)
    /* Translators: the suggested file name of a catalog export. */
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("catalog.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (csv_chosen_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
