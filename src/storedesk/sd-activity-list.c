/* sd-activity-list.c — see sd-activity-list.h. Built in code: a stack of
 * the list (with "Load More") and one status page whose words say which
 * state it is in. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-activity-list.h"
#include "sd-ui.h"

#define PER_PAGE 20

struct _SdActivityList
{
  GtkWidget         parent_instance;

  GtkStack         *stack;
  GtkListBox       *rows;
  GtkWidget        *more_button;
  AdwStatusPage    *status;
  GtkSpinner       *spinner;

  SdAdmin          *admin;
  SdActivityEntity  entity;
  char             *id;
  GListStore       *entries;
  GCancellable     *cancellable;
  guint             page;       /* the last page read */
  gint64            total;
  gboolean          loading;
  gboolean          compact;
};

G_DEFINE_FINAL_TYPE (SdActivityList, sd_activity_list, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_COMPACT, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- a row ------------------------------------------------------------------- */

static const char *
entity_label (SdActivityEntity entity)
{
  switch (entity)
    {
    case SD_ACTIVITY_ORDER: return _("Order");
    case SD_ACTIVITY_PRODUCT: return _("Product");
    case SD_ACTIVITY_CATEGORY: return _("Category");
    case SD_ACTIVITY_ANY: default: return "";
    }
}

static GtkWidget *
row_of (SdActivityList *self, SdActivity *a)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *what = sd_activity_describe (a);
  g_autofree char *sentence = sd_activity_dup_sentence (a);
  g_autoptr(GDateTime) local = sd_activity_get_at (a) ? g_date_time_to_local (sd_activity_get_at (a)) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("—");
  const char *who = *sd_activity_get_actor (a) ? sd_activity_get_actor (a) : _("Someone");
  const char *origin = sd_activity_origin_label (sd_activity_get_origin (a));
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (self->compact)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  else
    {
      /* Translators: what a change was made to, and the change: "Order 20260101-0001: Status: Paid → Shipping". */
      g_autofree char *title = g_strdup_printf (_("%s %s: %s"), entity_label (sd_activity_get_entity (a)),
                                                sd_activity_get_label (a), what);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    }
  subtitle = g_strdup_printf ("%s · %s", who, when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  if (origin)
    {
      GtkWidget *tag = gtk_label_new (origin);

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_add_css_class (tag, "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* A screen reader hears one sentence: who changed what, when, from where. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence, -1);
  return row;
}

/* ---- states -------------------------------------------------------------------- */

static void
show_status (SdActivityList *self, const char *icon, const char *title, const char *description)
{
  adw_status_page_set_icon_name (self->status, self->compact ? NULL : icon);
  adw_status_page_set_title (self->status, title);
  adw_status_page_set_description (self->status, description);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
show_rows (SdActivityList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  if (n == 0)
    {
      show_status (self, "document-edit-symbolic", _("No Changes Yet"),
                   self->compact ? NULL : _("Changes staff make to orders, products and categories are listed here."));
      return;
    }
  gtk_widget_set_visible (self->more_button, (gint64) n < self->total);
  gtk_widget_set_sensitive (self->more_button, !self->loading);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

/* The original HoneyTouse API keeps no log. */
static void
show_not_kept (SdActivityList *self)
{
  show_status (self, "action-unavailable-symbolic", _("No Log of Changes"),
               _("This shop does not keep a log of who changed what."));
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdActivityList) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  g_autoptr(GListModel) page = sd_admin_list_activity_finish (SD_ADMIN (source), result, &total, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);
  if (page == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED))
    {
      show_not_kept (self);
      return;
    }
  if (page == NULL)
    {
      g_autofree char *why = sd_ui_error_message (error, NULL);

      show_status (self, "dialog-warning-symbolic", _("The Log Could Not Be Read"), why);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (page); i++)
    {
      g_autoptr(SdActivity) a = g_list_model_get_item (page, i);

      g_list_store_append (self->entries, a);
      gtk_list_box_append (self->rows, row_of (self, a));
    }
  self->total = total;
  show_rows (self);
}

static void
read_page (SdActivityList *self, guint page)
{
  self->page = page;
  self->loading = TRUE;
  if (page == 1)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  else
    gtk_widget_set_sensitive (self->more_button, FALSE);
  sd_admin_list_activity_async (self->admin, self->entity, self->id, page, PER_PAGE, self->cancellable, listed_cb,
                                g_object_ref (self));
}

void
sd_activity_list_reload (SdActivityList *self)
{
  GtkWidget *row;

  g_return_if_fail (SD_IS_ACTIVITY_LIST (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->entries);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->rows))))
    gtk_list_box_remove (self->rows, row);
  self->loading = FALSE;
  self->total = 0;
  if (self->admin == NULL)
    {
      show_status (self, NULL, "", NULL);
      return;
    }
  if (sd_admin_get_original (self->admin))
    {
      show_not_kept (self);
      return;
    }
  read_page (self, 1);
}

void
sd_activity_list_show (SdActivityList *self, SdAdmin *admin, SdActivityEntity entity, const char *id)
{
  g_return_if_fail (SD_IS_ACTIVITY_LIST (self));
  g_set_object (&self->admin, admin);
  self->entity = entity;
  g_free (self->id);
  self->id = g_strdup (id);
  sd_activity_list_reload (self);
}

static void
more_cb (SdActivityList *self)
{
  if (!self->loading && self->admin)
    read_page (self, self->page + 1);
}

void
sd_activity_list_set_compact (SdActivityList *self, gboolean compact)
{
  g_return_if_fail (SD_IS_ACTIVITY_LIST (self));
  if (self->compact == !!compact)
    return;
  self->compact = !!compact;
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "compact");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

static void
sd_activity_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_COMPACT)
    g_value_set_boolean (value, SD_ACTIVITY_LIST (object)->compact);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sd_activity_list_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_COMPACT)
    sd_activity_list_set_compact (SD_ACTIVITY_LIST (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

gboolean sd_activity_list_get_loading (SdActivityList *self) { return self->loading; }
GListModel *sd_activity_list_get_entries (SdActivityList *self) { return G_LIST_MODEL (self->entries); }

/* ---- the object ------------------------------------------------------------------ */

static void
sd_activity_list_dispose (GObject *object)
{
  SdActivityList *self = SD_ACTIVITY_LIST (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->admin);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->id, g_free);
  G_OBJECT_CLASS (sd_activity_list_parent_class)->dispose (object);
}

static void
sd_activity_list_class_init (SdActivityListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_activity_list_dispose;
  G_OBJECT_CLASS (klass)->get_property = sd_activity_list_get_property;
  G_OBJECT_CLASS (klass)->set_property = sd_activity_list_set_property;
  properties[PROP_COMPACT] = g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "activitylist");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_activity_list_init (SdActivityList *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *loading_label = gtk_label_new (_("Reading the log…"));

  self->entries = g_list_store_new (SD_TYPE_ACTIVITY);
  self->cancellable = g_cancellable_new ();
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  self->rows = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->rows, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->rows), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Changes"), -1);
  self->more_button = gtk_button_new_with_mnemonic (_("_Load More"));
  gtk_widget_set_halign (self->more_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->more_button, "clicked", G_CALLBACK (more_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->rows));
  gtk_box_append (GTK_BOX (box), self->more_button);
  gtk_stack_add_named (self->stack, box, "list");

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (loading), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (loading), loading_label);
  gtk_widget_set_halign (loading, GTK_ALIGN_CENTER);
  gtk_stack_add_named (self->stack, loading, "loading");

  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->status), "status");
  gtk_stack_set_visible_child_name (self->stack, "status");
}

GtkWidget *
sd_activity_list_new (void)
{
  return g_object_new (SD_TYPE_ACTIVITY_LIST, NULL);
}
