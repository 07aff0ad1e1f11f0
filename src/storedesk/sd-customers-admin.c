/* sd-customers-admin.c — staff: every account (name, email, phone, role,
 * joined), searched here as one types. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-customers-admin.h"
#include "sd-ui.h"

struct _SdCustomersAdmin
{
  SdPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkLabel           *count_label;
  GtkColumnView      *view;

  SdAdmin            *admin;
  GListStore         *users;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (SdCustomersAdmin, sd_customers_admin, SD_TYPE_PAGE)

static void
update_count (SdCustomersAdmin *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->users));
  g_autofree char *text = NULL;

  if (self->loading)
    text = g_strdup (_("Loading…"));
  else if (shown < all)
    /* Translators: "3 of 120 accounts" */
    text = g_strdup_printf (_("%u of %u accounts"), shown, all);
  else
    text = g_strdup_printf (ngettext ("%u account", "%u accounts", all), all);
  gtk_label_set_label (self->count_label, text);
}

static gboolean
contains (const char *text, const char *folded_query)
{
  g_autofree char *folded = g_utf8_casefold (text ? text : "", -1);
  return strstr (folded, folded_query) != NULL;
}

static gboolean
matches (gpointer item, gpointer user_data)
{
  SdCustomersAdmin *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *q = NULL;
  g_autofree char *digits = NULL;

  if (*query == '\0')
    return TRUE;
  q = g_utf8_casefold (query, -1);
  /* 01012345678 finds 010-1234-5678. */
  digits = sd_field_normalize_phone (query);
  return contains (sd_user_get_name (item), q) || contains (sd_user_get_email (item), q) ||
         contains (sd_user_get_phone_number (item), q) ||
         (digits && g_strcmp0 (digits, sd_user_get_phone_number (item)) == 0);
}

static void
search_changed_cb (SdCustomersAdmin *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

void
sd_customers_admin_set_query (SdCustomersAdmin *self, const char *query)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  search_changed_cb (self);
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCustomersAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) users = sd_admin_list_users_finish (SD_ADMIN (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (users == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (users == NULL)
    {
      update_count (self);
      if (!sd_page_offline_keeps (SD_PAGE (self), error, TRUE))
        sd_ui_show_error (GTK_WIDGET (self), _("Accounts Could Not Be Loaded"), error);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    g_ptr_array_add (items, g_list_model_get_item (users, i));
  g_list_store_splice (self->users, 0, g_list_model_get_n_items (G_LIST_MODEL (self->users)), items->pdata, items->len);
  sd_page_note_loaded (SD_PAGE (self));
  update_count (self);
}

void
sd_customers_admin_reload (SdCustomersAdmin *self)
{
  g_return_if_fail (SD_IS_CUSTOMERS_ADMIN (self));
  if (self->admin == NULL)
    return;
  self->loading = TRUE;
  update_count (self);
  sd_admin_list_users_async (self->admin, sd_page_renew_cancellable (SD_PAGE (self)), listed_cb,
                             g_object_ref (self));
}

/* ---- columns ------------------------------------------------------------ */

static char *cell_name (SdUser *u) { return g_strdup (sd_user_get_name (u)); }
static char *cell_email (SdUser *u) { return g_strdup (sd_user_get_email (u)); }
static char *cell_phone (SdUser *u) { return sd_user_get_phone_number (u) ? sd_ui_format_phone (sd_user_get_phone_number (u)) : g_strdup ("—"); }
static char *cell_role (SdUser *u) { return g_strdup (sd_user_get_is_admin (u) ? _("Staff") : _("Customer")); }

static char *
cell_joined (SdUser *u)
{
  g_autoptr(GDateTime) when = sd_user_get_created_at (u) ? g_date_time_new_from_iso8601 (sd_user_get_created_at (u), NULL)
                                                         : NULL;
  g_autoptr(GDateTime) local = when ? g_date_time_to_local (when) : NULL;

  /* Translators: the day an account was made; see g_date_time_format(). */
  return local ? g_date_time_format (local, _("%Y-%m-%d")) : g_strdup ("—");
}

/* ---- setup -------------------------------------------------------------- */

static void
sd_customers_admin_shop_changed (SdPage *page, SdShop *shop)
{
  SdCustomersAdmin *self = SD_CUSTOMERS_ADMIN (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;

  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  self->loading = FALSE;
  g_list_store_remove_all (self->users);
  update_count (self);
}

static void
sd_customers_admin_reload_page (SdPage *page)
{
  sd_customers_admin_reload (SD_CUSTOMERS_ADMIN (page));
}

gboolean sd_customers_admin_get_loading (SdCustomersAdmin *self) { return self->loading; }
GListModel *sd_customers_admin_get_shown (SdCustomersAdmin *self) { return G_LIST_MODEL (self->filtered); }

static void
sd_customers_admin_dispose (GObject *object)
{
  SdCustomersAdmin *self = SD_CUSTOMERS_ADMIN (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CUSTOMERS_ADMIN);
  g_clear_object (&self->filtered);
  g_clear_object (&self->users);
  g_clear_object (&self->admin);
  G_OBJECT_CLASS (sd_customers_admin_parent_class)->dispose (object);
}

static void
sd_customers_admin_class_init (SdCustomersAdminClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_customers_admin_dispose, sd_customers_admin_shop_changed, sd_customers_admin_reload_page,
                        "sd-customers-admin.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCustomersAdmin, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdCustomersAdmin, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdCustomersAdmin, view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
sd_customers_admin_init (SdCustomersAdmin *self)
{
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->users = g_list_store_new (SD_TYPE_USER);
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->users)), GTK_FILTER (self->filter));
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->view)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (sorted))));
  sd_ui_add_text_column (self->view, _("Name"), (SdUiCellText) cell_name, NULL, TRUE);
  sd_ui_add_text_column (self->view, _("Email"), (SdUiCellText) cell_email, NULL, TRUE);
  sd_ui_add_text_column (self->view, _("Phone"), (SdUiCellText) cell_phone, NULL, FALSE);
  sd_ui_add_text_column (self->view, _("Role"), (SdUiCellText) cell_role, NULL, FALSE);
  sd_ui_add_text_column (self->view, _("Joined"), (SdUiCellText) cell_joined, NULL, FALSE);
  update_count (self);
}
