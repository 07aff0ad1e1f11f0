/* sd-categories-admin.c — staff: add, rename and delete categories, with
 * the number of products in each (from the whole catalog). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-categories-admin.h"
#include "sd-row-template.h"
#include "sd-sync-mark.h"
#include "sd-ui.h"

struct _SdCategoriesAdmin
{
  SdPage        parent_instance;

  AdwEntryRow  *new_row;
  GtkWidget    *add_button;
  GtkStack     *stack;
  GtkListBox   *list;

  SdApi        *api;
  SdAdmin      *admin;
  GListModel   *categories;
  GHashTable   *counts;       /* category id → guint */
  guint         loading;
  guint         working;
};

G_DEFINE_FINAL_TYPE (SdCategoriesAdmin, sd_categories_admin, SD_TYPE_PAGE)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];


guint
sd_categories_admin_count (SdCategoriesAdmin *self, const char *category_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, category_id));
}

/* ---- rows -------------------------------------------------------------- */

static void rename_clicked_cb (GtkButton *button, SdCategoriesAdmin *self);
static void delete_clicked_cb (GtkButton *button, SdCategoriesAdmin *self);

/* What the tooltip shows and a screen reader says of an icon button. */
static void
name_button (GtkWidget *button, const char *name)
{
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* A row's title: the category's name, or that of its rename waiting to
 * be sent. */
static void
row_title_cb (SdSyncMark *mark, GParamSpec *pspec, AdwPreferencesRow *row)
{
  SdCategory *c = sd_row_template_get_item (GTK_WIDGET (row));
  g_autofree char *yours = NULL;
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (row), SD_TYPE_CATEGORIES_ADMIN);

  if (page)
    yours = sd_sync_mark_dup_value (sd_sync_mark_page_sync (SD_PAGE (page)), sd_category_get_id (c), "name");
  adw_preferences_row_set_title (row, yours ? yours : sd_category_get_name (c));
}

static GtkWidget *
category_row (SdCategoriesAdmin *self, SdCategory *c)
{
  guint count = sd_categories_admin_count (self, sd_category_get_id (c));
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%u product", "%u products", count), count);
  g_autofree char *rename = g_strdup_printf (_("Rename “%s”"), sd_category_get_name (c));
  g_autofree char *delete = g_strdup_printf (_("Delete “%s”"), sd_category_get_name (c));
  GtkWidget *rename_button;
  GtkWidget *delete_button;
  GtkWidget *mark;
  GtkWidget *row = sd_row_template_build ("sd-categories-admin-row.ui", c, NULL, "rename_button", &rename_button,
                                          "delete_button", &delete_button, "mark", &mark, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_category_get_name (c));
  g_signal_connect_object (mark, "notify::serial", G_CALLBACK (row_title_cb), row, 0);
  g_object_set_data (G_OBJECT (row), "sd-mark", mark);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  name_button (rename_button, rename);
  name_button (delete_button, delete);
  g_signal_connect (rename_button, "clicked", G_CALLBACK (rename_clicked_cb), self);
  g_signal_connect (delete_button, "clicked", G_CALLBACK (delete_clicked_cb), self);
  return row;
}

static void
fill (SdCategoriesAdmin *self)
{
  GtkWidget *child;
  guint n = self->categories ? g_list_model_get_n_items (self->categories) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (self->categories, i);
      GtkWidget *row = category_row (self, c);
      GtkWidget *mark = g_object_get_data (G_OBJECT (row), "sd-mark");

      gtk_list_box_append (self->list, row);
      /* In the page now: its title follows the page's sync. */
      sd_sync_mark_set (SD_SYNC_MARK (mark), sd_sync_mark_page_sync (SD_PAGE (self)), sd_category_get_id (c));
    }
  gtk_stack_set_visible_child_name (self->stack, self->loading && n == 0 ? "loading" : n ? "list" : "empty");
}

/* ---- loading ------------------------------------------------------------ */

static void
loaded (SdCategoriesAdmin *self)
{
  if (--self->loading == 0)
    fill (self);
}

static void
categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCategoriesAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (categories == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (categories == NULL)
    {
      if (!sd_page_offline_keeps (SD_PAGE (self), error, TRUE))
        sd_ui_show_error (GTK_WIDGET (self), _("Categories Could Not Be Loaded"), error);
    }
  else
    {
      g_set_object (&self->categories, categories);
      sd_page_note_loaded (SD_PAGE (self));
    }
  loaded (self);
}

static void
products_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCategoriesAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) products = sd_admin_list_products_finish (SD_ADMIN (source), result, &error);

  if (products == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not read (the shop away): the counts shown stay. */
  if (products)
    g_hash_table_remove_all (self->counts);
  for (guint i = 0; products && i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (products, i);
      const char *id = sd_product_get_category_id (p);

      g_hash_table_insert (self->counts, g_strdup (id),
                           GUINT_TO_POINTER (sd_categories_admin_count (self, id) + 1));
    }
  loaded (self);
}

void
sd_categories_admin_reload (SdCategoriesAdmin *self)
{
  g_return_if_fail (SD_IS_CATEGORIES_ADMIN (self));
  GCancellable *cancellable;

  if (self->admin == NULL)
    return;
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  self->loading = 2;
  fill (self);
  sd_category_list_async (self->api, cancellable, categories_cb, g_object_ref (self));
  sd_admin_list_products_async (self->admin, cancellable, products_cb, g_object_ref (self));
}

/* ---- changes ------------------------------------------------------------ */

static void
changed (SdCategoriesAdmin *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
  sd_categories_admin_reload (self);
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCategoriesAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCategory) category = sd_admin_category_finish (SD_ADMIN (source), result, &error);

  self->working--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page went */
  if (category == NULL)
    {
      sd_ui_show_error (GTK_WIDGET (self), _("The Category Was Not Saved"), error);
      return;
    }
  changed (self);
}

void
sd_categories_admin_add (SdCategoriesAdmin *self, const char *name)
{
  self->working++;
  sd_admin_create_category_async (self->admin, name, sd_page_get_write_cancellable (SD_PAGE (self)), saved_cb,
                                  g_object_ref (self));
}

/* A rename, through the shop's queue: sent, or kept to be sent later (its
 * row says so), or refused. */
static void
renamed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCategoriesAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) category = sd_sync_finish (SD_SYNC (source), result, &error);
  g_autofree char *kept = NULL;

  self->working--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page went */
  if (error == NULL)
    return;   /* landed: category_landed_cb */
  if ((kept = sd_sync_mark_kept (error)) != NULL)
    sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (kept));
  else
    sd_ui_show_error (GTK_WIDGET (self), _("The Category Was Not Saved"), error);
}

void
sd_categories_admin_rename (SdCategoriesAdmin *self, SdCategory *category, const char *name)
{
  SdSync *sync = sd_sync_mark_page_sync (SD_PAGE (self));

  if (sync == NULL)
    return;
  self->working++;
  sd_sync_rename_category_async (sync, category, name, sd_page_get_write_cancellable (SD_PAGE (self)), renamed_cb,
                                 g_object_ref (self));
}

/* A rename reached the shop (now, or later from the queue). */
static void
category_landed_cb (SdCategoriesAdmin *self, SdSyncItem *item, GObject *record)
{
  if (sd_sync_item_get_kind (item) == SD_SYNC_CATEGORY)
    changed (self);
}

static void
new_changed_cb (SdCategoriesAdmin *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_row))));

  gtk_widget_set_sensitive (self->add_button, sd_field_is_category_name (name));
  if (*name && !sd_field_is_category_name (name))
    gtk_widget_add_css_class (GTK_WIDGET (self->new_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->new_row), "error");
}

static void
add_cb (SdCategoriesAdmin *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_row))));

  if (!sd_field_is_category_name (name))
    {
      sd_ui_show_problem (GTK_WIDGET (self), _("That Name Cannot Be Used"),
                          _("A category is named with 1 to 30 letters, digits or spaces."));
      return;
    }
  sd_categories_admin_add (self, name);
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
}

static void
rename_entry_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  adw_message_dialog_set_response_enabled (dialog, "rename", sd_field_is_category_name (name));
}

static void
rename_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdCategoriesAdmin *self = user_data;
  SdCategory *category = g_object_get_data (G_OBJECT (dialog), "sd-category");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "rename") == 0 && g_strcmp0 (name, sd_category_get_name (category)) != 0)
    sd_categories_admin_rename (self, category, name);
}

static void
rename_clicked_cb (GtkButton *button, SdCategoriesAdmin *self)
{
  SdCategory *category = sd_row_template_get_item (GTK_WIDGET (button));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Rename Category"), NULL);

  gtk_editable_set_text (GTK_EDITABLE (entry), sd_category_get_name (category));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sd-category", g_object_ref (category), g_object_unref);
  g_signal_connect (entry, "changed", G_CALLBACK (rename_entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_delete (gpointer owner, gpointer name)
{
  sd_categories_admin_add (SD_CATEGORIES_ADMIN (owner), name);
}

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCategoriesAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_object_steal_data (G_OBJECT (self), "sd-deleting");
  g_autofree char *title = NULL;

  self->working--;
  if (!sd_admin_delete_finish (SD_ADMIN (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* the page went */
      /* In use: the shop's own reason says which and what to do. */
      sd_ui_show_error (GTK_WIDGET (self), _("The Category Was Not Deleted"), error);
      return;
    }
  title = g_strdup_printf (_("“%s” was deleted"), name);
  sd_ui_show_undo_toast (GTK_WIDGET (self), title, undo_delete, self, g_steal_pointer (&name), g_free);
  changed (self);
}

void
sd_categories_admin_delete (SdCategoriesAdmin *self, SdCategory *category)
{
  g_object_set_data_full (G_OBJECT (self), "sd-deleting", g_strdup (sd_category_get_name (category)), g_free);
  self->working++;
  sd_admin_delete_async (self->admin, SD_ADMIN_CATEGORY, sd_category_get_id (category),
                         sd_page_get_write_cancellable (SD_PAGE (self)), deleted_cb,
                         g_object_ref (self));
}

static void
delete_clicked_cb (GtkButton *button, SdCategoriesAdmin *self)
{
  sd_categories_admin_delete (self, sd_row_template_get_item (GTK_WIDGET (button)));
}

/* ---- setup ---------------------------------------------------------------- */

static void
sd_categories_admin_shop_changed (SdPage *page, SdShop *shop)
{
  SdCategoriesAdmin *self = SD_CATEGORIES_ADMIN (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;

  self->loading = 0;
  g_set_object (&self->api, api);
  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  g_clear_object (&self->categories);
  g_hash_table_remove_all (self->counts);
  fill (self);
}

static void
sd_categories_admin_reload_page (SdPage *page)
{
  sd_categories_admin_reload (SD_CATEGORIES_ADMIN (page));
}

gboolean sd_categories_admin_get_busy (SdCategoriesAdmin *self) { return self->loading > 0 || self->working > 0; }
GListModel *sd_categories_admin_get_categories (SdCategoriesAdmin *self) { return self->categories; }

static void
sd_categories_admin_dispose (GObject *object)
{
  SdCategoriesAdmin *self = SD_CATEGORIES_ADMIN (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CATEGORIES_ADMIN);
  g_clear_object (&self->categories);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_object (&self->admin);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_categories_admin_parent_class)->dispose (object);
}

static void
sd_categories_admin_class_init (SdCategoriesAdminClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_categories_admin_dispose, sd_categories_admin_shop_changed, sd_categories_admin_reload_page,
                        "sd-categories-admin.ui");
  /* Categories were added, renamed or deleted: the sidebar should follow. */
  signals[CHANGED] = sd_page_class_new_signal (klass, "changed");
  gtk_widget_class_bind_template_child (widget_class, SdCategoriesAdmin, new_row);
  gtk_widget_class_bind_template_child (widget_class, SdCategoriesAdmin, add_button);
  gtk_widget_class_bind_template_child (widget_class, SdCategoriesAdmin, stack);
  gtk_widget_class_bind_template_child (widget_class, SdCategoriesAdmin, list);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_changed_cb);
  g_type_ensure (SD_TYPE_SYNC_MARK);
}

static void
sd_categories_admin_init (SdCategoriesAdmin *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fill (self);
  sd_sync_mark_follow_landed (SD_PAGE (self), G_CALLBACK (category_landed_cb));
}
