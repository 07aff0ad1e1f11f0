/* sd-window.c */
#define G_LOG_DOMAIN "storedesk"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-product-card.h"
#include "sd-window.h"

struct _SdWindow
{
  AdwApplicationWindow parent_instance;

  AdwLeaflet      *leaflet;
  GtkListBox      *category_list;
  AdwWindowTitle  *content_title;
  GtkStack        *stack;
  GtkGridView     *grid;
  AdwStatusPage   *error_page;
  GtkLabel        *loading_label;

  GSettings       *settings;
  SdApi           *api;
  SdCatalog       *catalog;
  GListModel      *categories;
  char            *category_id;     /* shown category; NULL: all */
  GCancellable    *cancellable;     /* everything this window started */
  gboolean         selecting;       /* filling the sidebar, not the user */
};

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

static void load_products (SdWindow *self);

/* ---- states --------------------------------------------------------- */

static void update_subtitle (SdWindow *self);

static void
show_page (SdWindow *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload",
                                 g_strcmp0 (name, "loading") != 0);
  update_subtitle (self);
}

const char *
sd_window_get_state (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
show_loading (SdWindow *self, const char *message)
{
  gtk_label_set_label (self->loading_label, message);
  show_page (self, "loading");
}

static void
show_gerror (SdWindow *self, const GError *error)
{
  gboolean unreachable = g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
                         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT) ||
                         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TLS);

  adw_status_page_set_icon_name (self->error_page, unreachable ? "network-offline-symbolic"
                                                               : "dialog-warning-symbolic");
  /* The message says what happened and what to do; the title names the kind. */
  adw_status_page_set_title (self->error_page, unreachable ? _("Connection Problem")
                                                           : _("Something Went Wrong"));
  /* Only SD_API_ERROR messages are written for people; others stay in the log. */
  if (error->domain == SD_API_ERROR)
    adw_status_page_set_description (self->error_page, error->message);
  else
    {
      g_warning ("unexpected error: %s", error->message);
      adw_status_page_set_description (self->error_page, _("Try again in a moment."));
    }
  show_page (self, "error");
}

void
sd_window_show_error (SdWindow *self, const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_OFFLINE, message);

  g_return_if_fail (SD_IS_WINDOW (self));
  show_gerror (self, error);
}

static void
update_subtitle (SdWindow *self)
{
  g_autofree char *subtitle = NULL;
  guint n = self->catalog ? g_list_model_get_n_items (G_LIST_MODEL (self->catalog)) : 0;

  if (self->catalog && g_strcmp0 (sd_window_get_state (self), "products") == 0)
    subtitle = g_strdup_printf (ngettext ("%u product", "%u products", n), n);
  adw_window_title_set_subtitle (self->content_title, subtitle ? subtitle : "");
}

/* ---- products ------------------------------------------------------- */

static void
products_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_catalog_load_finish (SD_CATALOG (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_gerror (self, error);
      return;
    }
  show_page (self, g_list_model_get_n_items (G_LIST_MODEL (source)) > 0 ? "products" : "empty");
}

static void
load_products (SdWindow *self)
{
  const char *category_id = self->category_id;
  gboolean same = g_strcmp0 (category_id, sd_catalog_get_category_id (self->catalog)) == 0;

  /* A reload of what is on screen keeps it there; anything else shows progress. */
  if (!same || g_list_model_get_n_items (G_LIST_MODEL (self->catalog)) == 0 ||
      g_strcmp0 (sd_window_get_state (self), "products") != 0)
    show_loading (self, _("Loading products…"));
  sd_catalog_load_async (self->catalog, category_id, self->cancellable,
                         products_loaded_cb, g_object_ref (self));
}

static void
setup_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SdWindow *self = user_data;

  gtk_list_item_set_child (item, sd_product_card_new (self->api));
}

static void
bind_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  sd_product_card_set_product (SD_PRODUCT_CARD (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  sd_product_card_set_product (SD_PRODUCT_CARD (gtk_list_item_get_child (item)), NULL);
}

/* ---- categories ----------------------------------------------------- */

#define CATEGORY_ID_KEY "sd-category-id"

static GtkWidget *
category_row (const char *name, const char *id)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), CATEGORY_ID_KEY, g_strdup (id), g_free);
  return row;
}

static void
fill_categories (SdWindow *self)
{
  GtkWidget *child;
  GtkWidget *all;

  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list))) != NULL)
    gtk_list_box_remove (self->category_list, child);
  all = category_row (_("All Products"), NULL);
  gtk_list_box_append (self->category_list, all);
  for (guint i = 0; self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) category = g_list_model_get_item (self->categories, i);
      GtkWidget *row = category_row (sd_category_get_name (category), sd_category_get_id (category));

      gtk_list_box_append (self->category_list, row);
      if (g_strcmp0 (sd_category_get_id (category), self->category_id) == 0)
        gtk_list_box_select_row (self->category_list, GTK_LIST_BOX_ROW (row));
    }
  if (gtk_list_box_get_selected_row (self->category_list) == NULL)
    gtk_list_box_select_row (self->category_list, GTK_LIST_BOX_ROW (all));
  self->selecting = FALSE;
}

static void
categories_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (categories == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_gerror (self, error);
      return;
    }
  g_set_object (&self->categories, categories);
  fill_categories (self);
}

static void
category_selected_cb (GtkListBox *box, GtkListBoxRow *row, gpointer user_data)
{
  SdWindow *self = user_data;
  const char *id;

  if (row == NULL || self->selecting || self->catalog == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), CATEGORY_ID_KEY);
  g_free (self->category_id);
  self->category_id = g_strdup (id);
  adw_window_title_set_title (self->content_title,
                              gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_child (row))));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  load_products (self);
}

static void
load_shop (SdWindow *self)
{
  sd_category_list_async (self->api, self->cancellable, categories_loaded_cb, g_object_ref (self));
  load_products (self);
}

/* ---- actions -------------------------------------------------------- */

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  SdWindow *self = SD_WINDOW (widget);

  /* The application decides which shop that is (and restarts a demo
   * shop that went away); it calls sd_window_set_api() back. */
  if (self->api == NULL || g_strcmp0 (sd_window_get_state (self), "error") == 0)
    {
      show_loading (self, _("Connecting to the shop…"));
      if (gtk_widget_activate_action (widget, "app.connect", NULL))
        return;
      if (self->api == NULL)
        return;
    }
  load_shop (self);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  adw_leaflet_navigate (SD_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---- public --------------------------------------------------------- */

void
sd_window_set_api (SdWindow *self, SdApi *api)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (SD_IS_WINDOW (self));
  g_return_if_fail (SD_IS_API (api));

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_set_object (&self->api, api);
  g_clear_object (&self->catalog);
  self->catalog = sd_catalog_new (api);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->catalog)));
  gtk_grid_view_set_factory (self->grid, factory);
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (selection));

  /* A reconnect keeps the category the user was looking at. */
  load_shop (self);
}

SdApi *
sd_window_get_api (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return self->api;
}

SdCatalog *
sd_window_get_catalog (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return self->catalog;
}

/* ---- object --------------------------------------------------------- */

static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                             : NULL;

  /* Without the installed schema (a bare build tree) sizes are not kept. */
  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->catalog);
  g_clear_object (&self->categories);
  g_clear_object (&self->api);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->category_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);
  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storedesk/Storedesk/ui/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, category_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, loading_label);
  gtk_widget_class_bind_template_callback (widget_class, category_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
sd_window_init (SdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  adw_window_title_set_title (self->content_title, _("All Products"));
  show_loading (self, _("Connecting to the shop…"));

  self->settings = lookup_settings ();
  if (self->settings)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }
}

SdWindow *
sd_window_new (SdApplication *application)
{
  return g_object_new (SD_TYPE_WINDOW, "application", application, NULL);
}
