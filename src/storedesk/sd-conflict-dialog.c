/* sd-conflict-dialog.c — see sd-conflict-dialog.h. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-conflict-dialog.h"
#include "sd-sync-status.h"
#include "sd-ui.h"

struct _SdConflictDialog
{
  AdwWindow   parent_instance;
  SdSync     *sync;
  SdSyncItem *item;
  GHashTable *mine;        /* field → its "use mine" GtkCheckButton */
  GtkWidget  *buttons;     /* sensitive while no resolution is on its way */
  GtkLabel   *problem;
};

G_DEFINE_FINAL_TYPE (SdConflictDialog, sd_conflict_dialog, ADW_TYPE_WINDOW)

static void
resolved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdConflictDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) record = sd_sync_finish (SD_SYNC (source), result, &error);

  if (error == NULL || g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE))
    {
      /* Sent, or kept to be sent when the shop answers: done here. */
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  {
    g_autofree char *text = sd_ui_error_message (error, _("Could not send your change"));

    gtk_label_set_label (self->problem, text);
    gtk_widget_set_visible (GTK_WIDGET (self->problem), TRUE);
    gtk_widget_set_sensitive (self->buttons, TRUE);
  }
}

static void
resolve (SdConflictDialog *self, SdSyncResolution how)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer field, check;

  g_hash_table_iter_init (&iter, self->mine);
  while (g_hash_table_iter_next (&iter, &field, &check))
    if (gtk_check_button_get_active (check))
      g_ptr_array_add (fields, field);
  g_ptr_array_add (fields, NULL);
  gtk_widget_set_sensitive (self->buttons, FALSE);
  sd_sync_resolve_async (self->sync, self->item, how, (const char * const *) fields->pdata, NULL, resolved_cb,
                         g_object_ref (self));
}

static void keep_theirs_cb (SdConflictDialog *self) { resolve (self, SD_SYNC_KEEP_THEIRS); }
static void keep_yours_cb (SdConflictDialog *self) { resolve (self, SD_SYNC_KEEP_YOURS); }
static void merge_cb (SdConflictDialog *self) { resolve (self, SD_SYNC_MERGE); }

void
sd_conflict_dialog_set_use_mine (SdConflictDialog *self, const char *field, gboolean mine)
{
  GtkCheckButton *check = g_hash_table_lookup (self->mine, field);

  g_return_if_fail (check != NULL);
  gtk_check_button_set_active (check, mine);
}

static GtkWidget *
cell (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* One line per field: its name, what it was, theirs, yours. */
static GtkWidget *
field_grid (SdConflictDialog *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  const char * const *fields = sd_sync_item_get_fields (self->item);
  const char *heads[] = { N_("Field"), N_("Was"), N_("At the shop now"), N_("Yours"), N_("Use yours") };

  gtk_grid_set_row_spacing (grid, 10);
  gtk_grid_set_column_spacing (grid, 18);
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    gtk_grid_attach (grid, cell (_(heads[c]), "heading"), c, 0, 1, 1);
  for (guint i = 0; fields && fields[i]; i++)
    {
      const char *f = fields[i];
      g_autofree char *was_text = sd_sync_item_dup_base_value (self->item, f);
      g_autofree char *theirs_text = sd_sync_item_dup_theirs_value (self->item, f);
      g_autofree char *yours_text = sd_sync_item_dup_yours_value (self->item, f);
      g_autofree char *was = sd_sync_field_value (f, was_text);
      g_autofree char *theirs = sd_sync_field_value (f, theirs_text);
      g_autofree char *yours = sd_sync_field_value (f, yours_text);
      gboolean changed = sd_sync_item_field_changed_there (self->item, f);
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *check_name = g_strdup_printf (_("Use yours for %s"), sd_sync_field_label (f));
      g_autofree char *theirs_shown = changed ? g_strdup_printf (_("%s (changed)"), theirs) : g_strdup (theirs);

      gtk_grid_attach (grid, cell (sd_sync_field_label (f), "heading"), 0, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (was, "dim-label"), 1, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (theirs_shown, changed ? "warning" : NULL), 2, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (yours, "accent"), 3, i + 1, 1, 1);
      /* Where they changed nothing, yours goes without a question. */
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), !changed);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_name, -1);
      gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
      gtk_grid_attach (grid, check, 4, i + 1, 1, 1);
      g_hash_table_insert (self->mine, g_strdup (f), check);
    }
  return GTK_WIDGET (grid);
}

static GtkWidget *
action_button (SdConflictDialog *self, const char *label, const char *css, GCallback clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  if (css)
    gtk_widget_add_css_class (button, css);
  g_signal_connect_swapped (button, "clicked", clicked, self);
  return button;
}

SdConflictDialog *
sd_conflict_dialog_new (GtkWindow *parent, SdSync *sync, SdSyncItem *item)
{
  SdConflictDialog *self = g_object_new (SD_TYPE_CONFLICT_DIALOG, "transient-for", parent, "modal", TRUE,
                                         "title", _("Changed at the Shop"), "default-width", 640, NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *intro, *merge;
  g_autofree char *text = NULL;

  self->sync = g_object_ref (sync);
  self->item = g_object_ref (item);
  text = g_strdup_printf (_("Someone changed “%s” at the shop after you began your change. Nothing was "
                            "written over theirs: choose what the shop should keep."),
                          sd_sync_item_get_title (item));
  intro = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  self->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (self->buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (self->buttons), action_button (self, _("Keep _Theirs"), NULL, G_CALLBACK (keep_theirs_cb)));
  gtk_box_append (GTK_BOX (self->buttons), action_button (self, _("Keep _Yours"), NULL, G_CALLBACK (keep_yours_cb)));
  merge = action_button (self, _("_Merge Ticked Fields"), "suggested-action", G_CALLBACK (merge_cb));
  gtk_box_append (GTK_BOX (self->buttons), merge);
  gtk_window_set_default_widget (GTK_WINDOW (self), merge);
  gtk_window_set_focus (GTK_WINDOW (self), merge);
  gtk_widget_set_margin_top (body, 18);
  gtk_widget_set_margin_bottom (body, 18);
  gtk_widget_set_margin_start (body, 18);
  gtk_widget_set_margin_end (body, 18);
  gtk_box_append (GTK_BOX (body), intro);
  gtk_box_append (GTK_BOX (body), field_grid (self));
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->problem));
  gtk_box_append (GTK_BOX (body), self->buttons);
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);
  return self;
}

static void
sd_conflict_dialog_dispose (GObject *object)
{
  SdConflictDialog *self = SD_CONFLICT_DIALOG (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (sd_conflict_dialog_parent_class)->dispose (object);
}

static void
sd_conflict_dialog_finalize (GObject *object)
{
  g_hash_table_unref (SD_CONFLICT_DIALOG (object)->mine);
  G_OBJECT_CLASS (sd_conflict_dialog_parent_class)->finalize (object);
}

static void
sd_conflict_dialog_class_init (SdConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_conflict_dialog_dispose;
  object_class->finalize = sd_conflict_dialog_finalize;
}

static void
sd_conflict_dialog_init (SdConflictDialog *self)
{
  self->mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
