/* sd-products-admin.c — staff: a searchable list of every product beside
 * an editor that checks as one types, guards unsaved changes, and takes a
 * photo dropped, pasted or chosen: prepared off the main thread, then
 * sent through the upload queue (offline too: it goes when the shop is
 * back, and is saved on the product there). A shop without uploads (the
 * original) takes a picture by its address only, and the editor offers
 * just that.
 *
 * This file: the page, its list and its actions. The editor is in
 * sd-product-editor.c, the photo is an SdPhotoField, the CSV in
 * sd-product-import-dialog.c. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-product-editor.h"
#include "sd-product-import-dialog.h"
#include "sd-products-admin-private.h"
#include "sd-products-admin-row.h"
#include "sd-sync-mark.h"
#include "sd-ui.h"

G_DEFINE_FINAL_TYPE (SdProductsAdmin, sd_products_admin, SD_TYPE_PAGE)

enum { CATALOG_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
sd_products_admin_catalog_changed (SdProductsAdmin *self)
{
  g_signal_emit (self, signals[CATALOG_CHANGED], 0);
}

GCancellable *
sd_products_admin_write_cancellable (SdProductsAdmin *self)
{
  return sd_page_get_write_cancellable (SD_PAGE (self));
}

const char *
sd_products_admin_category_name (SdProductsAdmin *self, const char *id)
{
  for (guint i = 0; self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (self->categories, i);
      if (g_strcmp0 (sd_category_get_id (c), id) == 0)
        return sd_category_get_name (c);
    }
  return "";
}

/* ---- the list ------------------------------------------------------------ */

static gboolean
matches (gpointer item, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *q = NULL, *name = NULL, *brand = NULL;

  if (*query == '\0')
    return TRUE;
  q = g_utf8_casefold (query, -1);
  name = g_utf8_casefold (sd_product_get_name (item), -1);
  brand = g_utf8_casefold (sd_product_get_brand (item) ? sd_product_get_brand (item) : "", -1);
  return strstr (name, q) != NULL || strstr (brand, q) != NULL;
}

static void
update_list (SdProductsAdmin *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  g_autofree char *count = NULL;

  if (self->loading && all == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else if (shown == 0)
    {
      adw_status_page_set_title (self->empty_page, all ? _("No Matching Products") : _("No Products Yet"));
      adw_status_page_set_description (self->empty_page, all ? _("Try other words.")
                                                             : _("Make the first one with the + button, or import a CSV file."));
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  if (shown < all)
    /* Translators: "12 of 240 products" */
    count = g_strdup_printf (_("%u of %u products"), shown, all);
  else
    count = g_strdup_printf (ngettext ("%u product", "%u products", all), all);
  gtk_label_set_label (self->count_label, count);
}

static void
search_changed_cb (SdProductsAdmin *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list (self);
}

void
sd_products_admin_select (SdProductsAdmin *self, const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; id && i < n; i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      if (g_strcmp0 (sd_product_get_id (p), id) == 0)
        gtk_single_selection_set_selected (self->selection, i);
    }
  self->selecting = FALSE;
}

static void
loaded (SdProductsAdmin *self)
{
  g_autofree char *id = NULL;

  if (--self->loading > 0)
    return;
  update_list (self);
  id = self->select_id ? g_steal_pointer (&self->select_id)
                       : self->editing ? g_strdup (sd_product_get_id (self->editing)) : NULL;
  /* The product being edited comes back fresh, unless the user changed it. */
  if (id && !self->dirty)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->products)); i++)
        {
          g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (self->products), i);
          if (g_strcmp0 (sd_product_get_id (p), id) == 0)
            sd_product_editor_fill (self, p);
        }
    }
  sd_products_admin_select (self, id);
}

static void
products_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) products = sd_admin_list_products_finish (SD_ADMIN (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (products == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!sd_page_offline_keeps (SD_PAGE (self), error, TRUE))
        sd_ui_show_error (GTK_WIDGET (self), _("Products Could Not Be Loaded"), error);
      loaded (self);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    g_ptr_array_add (items, g_list_model_get_item (products, i));
  self->selecting = TRUE;
  g_list_store_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)),
                       items->pdata, items->len);
  self->selecting = FALSE;
  sd_page_note_loaded (SD_PAGE (self));
  loaded (self);
}

static void
categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (categories == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      loaded (self);
      return;
    }
  g_set_object (&self->categories, categories);
  self->filling = TRUE;
  gtk_string_list_splice (self->category_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->category_names)),
                          NULL);
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (categories, i);
      gtk_string_list_append (self->category_names, sd_category_get_name (c));
    }
  self->filling = FALSE;
  /* Rows bound before the categories came say none: bound again, they
   * name theirs (the factory set anew rebinds every row on screen). */
  {
    g_autoptr(GtkListItemFactory) factory = g_object_ref (gtk_list_view_get_factory (self->list_view));

    gtk_list_view_set_factory (self->list_view, NULL);
    gtk_list_view_set_factory (self->list_view, factory);
  }
  loaded (self);
}

void
sd_products_admin_reload (SdProductsAdmin *self)
{
  GCancellable *cancellable;

  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (self->admin == NULL)
    return;
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  self->loading = 2;
  update_list (self);
  sd_admin_list_products_async (self->admin, cancellable, products_cb, g_object_ref (self));
  sd_category_list_async (self->api, cancellable, categories_cb, g_object_ref (self));
}

static void
selected_cb (SdProductsAdmin *self)
{
  SdProduct *p = gtk_single_selection_get_selected_item (self->selection);

  if (self->selecting || p == NULL || p == self->editing)
    return;
  sd_products_admin_edit (self, p);
}
/* An edit of a product reached the shop (now, or later from the queue):
 * its row shows the product as the shop has it, and so does the editor
 * unless the user is changing it; the shop's pages load again. */
static void
product_landed_cb (SdProductsAdmin *self, SdSyncItem *item, GObject *record)
{
  const char *id = sd_sync_item_get_target (item);
  GListModel *products = G_LIST_MODEL (self->products);

  if (sd_sync_item_get_kind (item) != SD_SYNC_PRODUCT || !SD_IS_PRODUCT (record))
    return;
  self->selecting = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (products, i);

      if (g_strcmp0 (sd_product_get_id (p), id) == 0)
        g_list_store_splice (self->products, i, 1, (gpointer *) &record, 1);
    }
  self->selecting = FALSE;
  if (self->editing && g_strcmp0 (sd_product_get_id (self->editing), id) == 0)
    {
      if (self->dirty)
        g_set_object (&self->editing, SD_PRODUCT (record));
      else
        sd_product_editor_fill (self, SD_PRODUCT (record));
      sd_products_admin_select (self, id);
    }
  sd_products_admin_catalog_changed (self);
}

/* A photo waits for the new product to be saved: a change to save. */
static void
photo_held_cb (SdProductsAdmin *self)
{
  self->dirty = TRUE;
  sd_product_editor_validate (self);
}

/* Any product's photo reached the shop, whoever queued it: the list, the
 * editor (unless it has unsaved changes) and the shop grid catch up. */
static void
photo_uploaded_cb (SdProductsAdmin *self)
{
  sd_products_admin_catalog_changed (self);
  sd_products_admin_reload (self);
}

/* What a drop, a paste or Choose Photo does with a file: only in the
 * editor. */
void
sd_products_admin_set_image_file (SdProductsAdmin *self, GFile *file)
{
  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") == 0)
    sd_photo_field_take_file (self->photo_field, file);
}

const char *
sd_products_admin_get_image_status (SdProductsAdmin *self)
{
  g_return_val_if_fail (SD_IS_PRODUCTS_ADMIN (self), NULL);
  return sd_photo_field_get_status (self->photo_field);
}

static gboolean
paste_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (widget);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") == 0
         && sd_photo_field_paste (self->photo_field);
}

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_products_admin_edit (SD_PRODUCTS_ADMIN (widget), NULL);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_products_admin_save (SD_PRODUCTS_ADMIN (widget));
}

/* ---- setup ------------------------------------------------------------------ */

static void
sd_products_admin_shop_changed (SdPage *page, SdShop *shop)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;

  g_set_object (&self->api, api);
  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  self->loading = 0;
  g_list_store_remove_all (self->products);
  g_clear_object (&self->editing);
  sd_photo_field_set_product (self->photo_field, NULL);
  sd_photo_field_set_api (self->photo_field, api);
  sd_photo_field_set_queue (self->photo_field, shop ? sd_shop_get_uploads (shop) : NULL);
  self->dirty = FALSE;
  gtk_stack_set_visible_child_name (self->editor_stack, "none");
}

/* The same shop connected again: what is on show comes back fresh (the
 * window loads the page when it is shown otherwise). */
static void
sd_products_admin_reload_page (SdPage *page)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (page)))
    sd_products_admin_reload (SD_PRODUCTS_ADMIN (page));
}

static void
sd_products_admin_dispose (GObject *object)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PRODUCTS_ADMIN);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->products);
  g_clear_object (&self->categories);
  g_clear_object (&self->category_names);
  g_clear_object (&self->editing);
  sd_product_editor_clear_after_save (self);
  g_clear_object (&self->import);
  g_clear_object (&self->admin);
  g_clear_object (&self->api);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->select_id, g_free);
  G_OBJECT_CLASS (sd_products_admin_parent_class)->dispose (object);
}

static void
sd_products_admin_class_init (SdProductsAdminClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_products_admin_dispose, sd_products_admin_shop_changed, sd_products_admin_reload_page,
                        "sd-products-admin.ui");
  /* The catalog changed here: the shop's pages should load again. */
  signals[CATALOG_CHANGED] = sd_page_class_new_signal (klass, "catalog-changed");
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, list_view);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, photo_field);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, category_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, brand_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, price_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, stock_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, option_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, image_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, option_group);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, values_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, description_view);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, history_group);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, history);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, save_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "new_cb", G_CALLBACK (sd_product_editor_new_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "changed_cb", G_CALLBACK (sd_product_editor_changed_cb));
  gtk_widget_class_bind_template_callback (widget_class, photo_held_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_uploaded_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "save_cb", G_CALLBACK (sd_product_editor_save_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "duplicate_cb", G_CALLBACK (sd_product_editor_duplicate_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "delete_cb", G_CALLBACK (sd_product_editor_delete_cb));
  gtk_widget_class_install_action (widget_class, "products.import", NULL, sd_product_import_dialog_action);
  gtk_widget_class_install_action (widget_class, "products.export", NULL, sd_product_import_dialog_action);
  gtk_widget_class_install_action (widget_class, "products.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "products.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "products.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "products.save", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, paste_cb, NULL);
}

static void
sd_products_admin_init (SdProductsAdmin *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkExpression) name = NULL;

  g_type_ensure (SD_TYPE_PHOTO_FIELD);
  g_type_ensure (SD_TYPE_ACTIVITY_LIST);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->products = g_list_store_new (SD_TYPE_PRODUCT);
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->products)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selected_cb), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_list), self);
  factory = sd_products_admin_row_factory_new (self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->category_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (self->category_names));
  name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  adw_combo_row_set_expression (self->category_row, name);
  adw_combo_row_set_selected (self->category_row, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (sd_product_editor_changed_cb), self);
  gtk_stack_set_visible_child_name (self->editor_stack, "none");
  update_list (self);
  sd_sync_mark_follow_landed (SD_PAGE (self), G_CALLBACK (product_landed_cb));
}
