/* sd-row-template.c — a list row from a .ui template bound to an item. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-row-template.h"

#define ITEM_KEY "sd-row-item"

GtkWidget *
sd_row_template_build (const char *ui_file, gpointer item, GtkBuilderScope *scope, ...)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autofree char *path = g_strconcat ("/io/github/storedesk/Storedesk/ui/", ui_file, NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  va_list args;

  g_return_val_if_fail (G_IS_OBJECT (item), NULL);
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  if (scope)
    gtk_builder_set_scope (builder, scope);
  gtk_builder_expose_object (builder, "item", G_OBJECT (item));
  if (!gtk_builder_add_from_resource (builder, path, &error))
    g_error ("%s: %s", ui_file, error->message);
  row = GTK_WIDGET (gtk_builder_get_object (builder, "row"));
  va_start (args, scope);
  for (const char *id = va_arg (args, const char *); id; id = va_arg (args, const char *))
    *va_arg (args, GObject **) = gtk_builder_get_object (builder, id);
  va_end (args);
  g_object_set_data_full (G_OBJECT (row), ITEM_KEY, g_object_ref (item), g_object_unref);
  /* The builder holds the one reference: hand it on as a floating one. */
  g_object_ref_sink (row);
  g_object_force_floating (G_OBJECT (row));
  return row;
}

gpointer
sd_row_template_get_item (GtkWidget *widget)
{
  for (; widget; widget = gtk_widget_get_parent (widget))
    if (g_object_get_data (G_OBJECT (widget), ITEM_KEY))
      return g_object_get_data (G_OBJECT (widget), ITEM_KEY);
  return NULL;
}
