/* sd-sync-status.c — see sd-sync-status.h. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-conflict-dialog.h"
#include "sd-sync-status.h"
#include "sd-ui.h"

struct _SdSyncStatus
{
  AdwBin      parent_instance;

  GtkWidget  *button;        /* GtkMenuButton */
  GtkImage   *icon;
  GtkLabel   *label;
  GtkLabel   *heading;       /* the popover's first line */
  GtkLabel   *detail;
  GtkListBox *list;
  GtkWidget  *empty;

  SdApi      *api;
  SdSync     *sync;
  gulong      online_handler;
  gulong      waiting_handler;
  gulong      conflicts_handler;
  GDateTime  *offline_since; /* NULL: the shop answers */
  char       *text;
};

G_DEFINE_FINAL_TYPE (SdSyncStatus, sd_sync_status, ADW_TYPE_BIN)

/* ---- fields ---------------------------------------------------------- */

const char *
sd_sync_field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { "name", N_("Name") },
    { "price", N_("Price") },
    { "stock", N_("Stock") },
    { "description", N_("Description") },
    { "options", N_("Option") },
    { "brand", N_("Brand") },
    { "image", N_("Picture") },
    { "categoryId", N_("Category") },
    { "status", N_("Status") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].field, field) == 0)
      return _(labels[i].label);
  return field;
}

char *
sd_sync_field_value (const char *field, const char *text)
{
  gint64 n;
  SdOrderStatus status;

  if (text == NULL || *text == '\0')
    return g_strdup (g_strcmp0 (field, "stock") == 0 ? _("Not tracked") : _("(none)"));
  if (g_strcmp0 (field, "price") == 0 && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &n, NULL))
    return sd_format_price (n);
  if (g_strcmp0 (field, "status") == 0 && sd_order_status_from_wire (text, &status))
    return g_strdup (_(sd_order_status_label (status)));
  return g_strdup (text);
}

/* text (taken), cut to a line's worth for a summary. */
static char *
short_text (char *text)
{
  const char *cut;

  if (g_utf8_strlen (text, -1) <= 24)
    return text;
  cut = g_utf8_offset_to_pointer (text, 23);
  {
    char *shorter = g_strdup_printf ("%.*s…", (int) (cut - text), text);

    g_free (text);
    return shorter;
  }
}

/* "Price ₩10,000 → ₩11,111; Stock 20 → 25". */
static char *
summary (SdSyncItem *item)
{
  const char * const *fields = sd_sync_item_get_fields (item);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; fields && fields[i]; i++)
    {
      g_autofree char *was_text = sd_sync_item_dup_base_value (item, fields[i]);
      g_autofree char *now_text = sd_sync_item_dup_yours_value (item, fields[i]);
      g_autofree char *was = short_text (sd_sync_field_value (fields[i], was_text));
      g_autofree char *now = short_text (sd_sync_field_value (fields[i], now_text));

      if (text->len)
        g_string_append (text, "; ");
      /* Translators: a field changed: its name, what it was, what it is to be. */
      g_string_append_printf (text, _("%s %s → %s"), sd_sync_field_label (fields[i]), was, now);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
state_text (SdSyncItem *item)
{
  switch (sd_sync_item_get_state (item))
    {
    case SD_SYNC_SENDING: return _("Sending…");
    case SD_SYNC_CONFLICT: return _("Changed at the shop meanwhile");
    case SD_SYNC_REFUSED: return _("The shop refused it");
    case SD_SYNC_WAITING:
    default: return _("Waiting to send");
    }
}

/* ---- rows ------------------------------------------------------------- */

static void
discarded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  sd_sync_finish (SD_SYNC (source), result, &error);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_ui_show_error (widget, _("Could Not Discard the Change"), error);
}

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdSyncStatus *self = g_object_get_data (G_OBJECT (dialog), "sd-status");
  SdSyncItem *item = user_data;

  if (g_strcmp0 (response, "discard") == 0 && self->sync)
    sd_sync_resolve_async (self->sync, item, SD_SYNC_KEEP_THEIRS, NULL, NULL, discarded_cb, g_object_ref (self));
}

static void
discard_clicked_cb (GtkButton *button, SdSyncItem *item)
{
  SdSyncStatus *self = g_object_get_data (G_OBJECT (button), "sd-status");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *changes = summary (item);
  AdwMessageDialog *dialog;

  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), _("Discard This Change?"), NULL));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” stays as the shop has it: %s is not sent."),
                                  sd_sync_item_get_title (item), changes);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep It"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "sd-status", self);
  g_signal_connect_data (dialog, "response", G_CALLBACK (discard_response_cb), g_object_ref (item),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
compare_clicked_cb (GtkButton *button, SdSyncItem *item)
{
  SdSyncStatus *self = g_object_get_data (G_OBJECT (button), "sd-status");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  gtk_window_present (GTK_WINDOW (sd_conflict_dialog_new (GTK_WINDOW (root), self->sync, item)));
}

static GtkWidget *
small_button (SdSyncStatus *self, const char *label, SdSyncItem *item, GCallback clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "sd-status", self);
  g_signal_connect_data (button, "clicked", clicked, g_object_ref (item),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  return button;
}

static GtkWidget *
make_row (gpointer item_ptr, gpointer user_data)
{
  SdSyncStatus *self = user_data;
  SdSyncItem *item = item_ptr;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (sd_sync_item_get_title (item));
  g_autofree char *changes = summary (item);
  GtkWidget *what = gtk_label_new (changes);
  const char *message = sd_sync_item_get_message (item);
  SdSyncState state = sd_sync_item_get_state (item);
  g_autofree char *state_line = state == SD_SYNC_REFUSED && message
                                  ? g_strdup_printf ("%s: %s", state_text (item), message)
                                  : g_strdup (state_text (item));
  GtkWidget *state_label = gtk_label_new (state_line);

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_widget_set_hexpand (texts, TRUE);
  for (GtkWidget *l = title; l; l = l == title ? what : l == what ? state_label : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 40);
      gtk_box_append (GTK_BOX (texts), l);
    }
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (state_label, "caption");
  gtk_widget_add_css_class (state_label, state == SD_SYNC_CONFLICT || state == SD_SYNC_REFUSED ? "warning" : "dim-label");
  gtk_box_append (GTK_BOX (row), texts);
  gtk_widget_set_halign (actions, GTK_ALIGN_END);
  if (state != SD_SYNC_SENDING)
    gtk_box_append (GTK_BOX (actions), small_button (self, _("_Discard…"), item, G_CALLBACK (discard_clicked_cb)));
  if (state == SD_SYNC_CONFLICT)
    gtk_box_append (GTK_BOX (actions), small_button (self, _("_Compare…"), item, G_CALLBACK (compare_clicked_cb)));
  gtk_box_append (GTK_BOX (row), actions);
  return row;
}

/* ---- the button --------------------------------------------------------- */

static void
update (SdSyncStatus *self)
{
  guint waiting = self->sync ? sd_sync_get_n_waiting (self->sync) : 0;
  guint conflicts = self->sync ? sd_sync_get_n_conflicts (self->sync) : 0;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *icon;

  if (self->offline_since)
    {
      g_autofree char *time = g_date_time_format (self->offline_since, "%H:%M");
      /* Translators: %s is a time of day, e.g. 14:02. */
      g_ptr_array_add (parts, g_strdup_printf (_("Offline since %s"), time));
    }
  if (waiting)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting",
                                                          "%u changes waiting", waiting), waiting));
  if (conflicts)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts",
                                                          conflicts), conflicts));
  g_ptr_array_add (parts, NULL);
  g_free (self->text);
  self->text = g_strjoinv (" · ", (char **) parts->pdata);
  icon = conflicts ? "dialog-warning-symbolic"
         : self->offline_since ? "network-offline-symbolic"
         : waiting ? "emblem-synchronizing-symbolic" : "emblem-ok-symbolic";
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->label, self->text);
  gtk_widget_set_visible (GTK_WIDGET (self->label), *self->text != '\0');
  gtk_widget_set_tooltip_text (self->button, *self->text ? self->text : _("Online: every change is sent"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  *self->text ? self->text : _("Online: every change is sent"), -1);
  gtk_label_set_label (self->heading, self->offline_since || conflicts ? self->text
                                      : waiting ? _("Sending the changes made here")
                                      : _("Online: every change is sent"));
  gtk_label_set_label (self->detail, self->offline_since
                                     ? _("The shop is not reachable. Pages already shown, your cart and the "
                                         "changes you make stay on this computer; Storedesk tries again by "
                                         "itself and sends them in order.")
                                     : conflicts ? _("Someone changed these at the shop meanwhile: compare, "
                                                     "then keep theirs, yours, or some of each.")
                                     : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), *gtk_label_get_label (self->detail) != '\0');
  gtk_widget_set_visible (self->empty, waiting + conflicts == 0);
  /* Rows say their item's state: made again as it changes. */
  gtk_list_box_bind_model (self->list, self->sync ? G_LIST_MODEL (self->sync) : NULL, make_row, self, NULL);
  if (conflicts)
    gtk_widget_add_css_class (self->button, "warning");
  else
    gtk_widget_remove_css_class (self->button, "warning");
}

static void
online_cb (SdSyncStatus *self)
{
  gboolean online = self->api == NULL || sd_api_get_online (self->api);

  if (online)
    g_clear_pointer (&self->offline_since, g_date_time_unref);
  else if (self->offline_since == NULL)
    self->offline_since = g_date_time_new_now_local ();
  update (self);
}

static void
try_again_cb (SdSyncStatus *self)
{
  if (self->api)
    sd_api_probe_now (self->api);
  if (self->sync)
    sd_sync_retry (self->sync);
}

void
sd_sync_status_set_api (SdSyncStatus *self, SdApi *api)
{
  g_return_if_fail (SD_IS_SYNC_STATUS (self));
  if (self->api == api)
    return;
  if (self->api)
    g_clear_signal_handler (&self->online_handler, self->api);
  g_set_object (&self->api, api);
  if (api)
    self->online_handler = g_signal_connect_swapped (api, "notify::online", G_CALLBACK (online_cb), self);
  online_cb (self);
}

void
sd_sync_status_set_sync (SdSyncStatus *self, SdSync *sync)
{
  g_return_if_fail (SD_IS_SYNC_STATUS (self));
  if (self->sync == sync)
    return;
  if (self->sync)
    {
      g_clear_signal_handler (&self->waiting_handler, self->sync);
      g_clear_signal_handler (&self->conflicts_handler, self->sync);
    }
  g_set_object (&self->sync, sync);
  if (sync)
    {
      /* A row is made again when its item changes state. */
      self->waiting_handler = g_signal_connect_swapped (sync, "notify::n-waiting", G_CALLBACK (update), self);
      self->conflicts_handler = g_signal_connect_swapped (sync, "notify::n-conflicts", G_CALLBACK (update), self);
    }
  update (self);
}

gboolean sd_sync_status_get_offline (SdSyncStatus *self) { g_return_val_if_fail (SD_IS_SYNC_STATUS (self), FALSE); return self->offline_since != NULL; }
const char *sd_sync_status_get_text (SdSyncStatus *self) { g_return_val_if_fail (SD_IS_SYNC_STATUS (self), NULL); return self->text; }
void sd_sync_status_popup (SdSyncStatus *self) { g_return_if_fail (SD_IS_SYNC_STATUS (self)); gtk_menu_button_popup (GTK_MENU_BUTTON (self->button)); }

GtkWidget *
sd_sync_status_new (void)
{
  return g_object_new (SD_TYPE_SYNC_STATUS, NULL);
}

static void
sd_sync_status_dispose (GObject *object)
{
  SdSyncStatus *self = SD_SYNC_STATUS (object);

  sd_sync_status_set_api (self, NULL);
  sd_sync_status_set_sync (self, NULL);
  G_OBJECT_CLASS (sd_sync_status_parent_class)->dispose (object);
}

static void
sd_sync_status_finalize (GObject *object)
{
  SdSyncStatus *self = SD_SYNC_STATUS (object);

  g_clear_pointer (&self->offline_since, g_date_time_unref);
  g_free (self->text);
  G_OBJECT_CLASS (sd_sync_status_parent_class)->finalize (object);
}

static void
sd_sync_status_class_init (SdSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_sync_status_dispose;
  object_class->finalize = sd_sync_status_finalize;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_sync_status_init (SdSyncStatus *self)
{
  GtkWidget *face = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *try_again = gtk_button_new_with_mnemonic (_("_Try Again"));

  self->icon = GTK_IMAGE (gtk_image_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (face), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (face), GTK_WIDGET (self->label));
  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), face);
  gtk_widget_add_css_class (self->button, "flat");

  self->heading = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->heading), "heading");
  self->detail = GTK_LABEL (gtk_label_new (NULL));
  self->empty = gtk_label_new (_("Nothing waits to be sent."));
  gtk_widget_add_css_class (self->empty, "dim-label");
  for (GtkWidget *l = GTK_WIDGET (self->heading); l;
       l = l == GTK_WIDGET (self->heading) ? GTK_WIDGET (self->detail) : NULL)
    {
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 44);
      gtk_label_set_xalign (GTK_LABEL (l), 0);
    }
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes to send"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_widget_set_halign (try_again, GTK_ALIGN_END);
  g_signal_connect_swapped (try_again, "clicked", G_CALLBACK (try_again_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->heading));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->detail));
  gtk_box_append (GTK_BOX (box), self->empty);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), try_again);
  gtk_widget_set_size_request (box, 360, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  adw_bin_set_child (ADW_BIN (self), self->button);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connection and changes to send"), -1);
  update (self);
}
