/* sd-preferences.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-preferences.h"
#include "sd-ui.h"
#include "storedesk.h"

struct _SdPreferences
{
  AdwPreferencesWindow parent_instance;

  AdwEntryRow   *url_row;
  AdwActionRow  *ca_row;
  GtkButton     *ca_clear_button;
  AdwActionRow  *cache_row;
  GtkButton     *clear_button;
  GtkLabel      *status_label;

  AdwEntryRow   *zone_row;
  GSettings     *settings;
  SdApi         *api;            /* the shop in use, for its pictures */
  SdApi         *probe;          /* the shop being checked */
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (SdPreferences, sd_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
set_status (SdPreferences *self, const char *status, gboolean bad)
{
  gtk_label_set_label (self->status_label, status);
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

const char *
sd_preferences_get_status (SdPreferences *self)
{
  return gtk_label_get_label (self->status_label);
}

static void
reconnect (SdPreferences *self)
{
  /* The application (of the window these preferences belong to) picks
   * the shop up from the settings. */
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *app = parent ? gtk_window_get_application (parent) : NULL;

  if (app)
    g_action_group_activate_action (G_ACTION_GROUP (app), "connect", NULL);
}

static void
update_ca_row (SdPreferences *self)
{
  g_autofree char *ca = g_settings_get_string (self->settings, "ca-file");

  adw_action_row_set_subtitle (self->ca_row, *ca ? ca : _("The system’s"));
  gtk_widget_set_visible (GTK_WIDGET (self->ca_clear_button), *ca != '\0');
}

static void
checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!sd_api_check_health_finish (SD_API (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = sd_ui_error_message (error, _("No shop answered at this address, so it was not saved"));
      set_status (self, message, TRUE);
      return;
    }
  g_settings_set_string (self->settings, "server-url", sd_api_get_base_url (SD_API (source)));
  set_status (self, _("Connected. Storedesk uses this shop from now on."), FALSE);
  reconnect (self);
}

void
sd_preferences_set_shop_url (SdPreferences *self, const char *url)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url ? url : ""));
  g_autofree char *ca = g_settings_get_string (self->settings, "ca-file");
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SD_IS_PREFERENCES (self));
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->url_row)), trimmed) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), trimmed);
  if (*trimmed == '\0')
    {
      g_settings_set_string (self->settings, "server-url", "");
      set_status (self, _("Storedesk uses the demo shop."), FALSE);
      reconnect (self);
      return;
    }
  g_clear_object (&self->probe);
  self->probe = sd_api_new (trimmed, &error);
  if (self->probe == NULL || !sd_api_set_ca_file (self->probe, ca, &error))
    {
      g_autofree char *message = sd_ui_error_message (error, _("The shop address was not saved"));

      set_status (self, message, TRUE);
      return;
    }
  set_status (self, _("Checking the shop…"), FALSE);
  sd_api_check_health_async (self->probe, self->cancellable, checked_cb, g_object_ref (self));
}

static void
url_apply_cb (SdPreferences *self)
{
  sd_preferences_set_shop_url (self, gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
}

static void
ca_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdPreferences *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GTlsDatabase) database = path ? g_tls_file_database_new (path, NULL) : NULL;

      if (database == NULL)
        set_status (self, _("That file holds no certificate authority Storedesk can use. Choose a PEM file."), TRUE);
      else
        {
          g_settings_set_string (self->settings, "ca-file", path);
          set_status (self, _("The shop’s certificate is now checked against this authority."), FALSE);
          update_ca_row (self);
          reconnect (self);
        }
    }
  g_object_unref (chooser);
}

static void
ca_choose_cb (SdPreferences *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose a Certificate Authority File"),
                                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Choose"), NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (ca_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
ca_clear_cb (SdPreferences *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
  update_ca_row (self);
  set_status (self, _("The shop’s certificate is checked against the system’s authorities."), FALSE);
  reconnect (self);
}

/* ---- the pictures kept on disk ------------------------------------------ */

static void
sized_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  goffset bytes = sd_api_get_picture_cache_size_finish (SD_API (source), result, &error);
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  if (bytes < 0)
    return;
  size = g_format_size (bytes);
  /* Translators: %s is a size such as "12.3 MB". */
  text = g_strdup_printf (_("%s of product pictures; they load once and are kept, up to 50 MB per shop."), size);
  adw_action_row_set_subtitle (self->cache_row, text);
}

static void
update_cache_row (SdPreferences *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), self->api != NULL);
  if (self->api)
    sd_api_get_picture_cache_size_async (self->api, self->cancellable, sized_cb, g_object_ref (self));
}

static void
cache_cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), TRUE);
  if (!sd_api_clear_picture_cache_finish (SD_API (source), result, &error))
    {
      g_autofree char *message = sd_ui_error_message (error, _("The kept pictures were not cleared"));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        set_status (self, message, TRUE);
      return;
    }
  set_status (self, _("The kept pictures were cleared; they load again from the shop when shown."), FALSE);
  update_cache_row (self);
}

void
sd_preferences_clear_pictures (SdPreferences *self)
{
  g_return_if_fail (SD_IS_PREFERENCES (self));
  if (self->api == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), FALSE);
  sd_api_clear_picture_cache_async (self->api, self->cancellable, cache_cleared_cb, g_object_ref (self));
}

static void
clear_cache_cb (SdPreferences *self)
{
  sd_preferences_clear_pictures (self);
}

/* The days the sales dashboard counts in: an IANA name the system
 * knows, or it says so and keeps the one before. */
static void
zone_apply_cb (SdPreferences *self)
{
  const char *zone = gtk_editable_get_text (GTK_EDITABLE (self->zone_row));
  g_autoptr(GTimeZone) tz = *zone && strlen (zone) <= 64 ? g_time_zone_new_identifier (zone) : NULL;

  if (tz == NULL)
    {
      g_autofree char *kept = g_settings_get_string (self->settings, "shop-time-zone");

      gtk_label_set_label (self->status_label, _("That is not a time zone this computer knows: write it as "
                                                 "Area/City, such as Asia/Seoul."));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_editable_set_text (GTK_EDITABLE (self->zone_row), kept);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_label_set_label (self->status_label, "");
  g_settings_set_string (self->settings, "shop-time-zone", zone);
}

static void
sd_preferences_dispose (GObject *object)
{
  SdPreferences *self = SD_PREFERENCES (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->probe);
  g_clear_object (&self->settings);
  g_clear_object (&self->api);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PREFERENCES);
  G_OBJECT_CLASS (sd_preferences_parent_class)->dispose (object);
}

static void
sd_preferences_class_init (SdPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_preferences_dispose;
  sd_ui_class_set_template (widget_class, "sd-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, url_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, zone_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, ca_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, cache_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferences, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, clear_cache_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_cb);
}

static void
sd_preferences_init (SdPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

SdPreferences *
sd_preferences_new (GtkWindow *parent, GSettings *settings, SdApi *api)
{
  SdPreferences *self = g_object_new (SD_TYPE_PREFERENCES, "transient-for", parent, NULL);
  g_autofree char *url = g_settings_get_string (settings, "server-url");

  self->settings = g_object_ref (settings);
  self->api = api ? g_object_ref (api) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  {
    g_autofree char *zone = g_settings_get_string (settings, "shop-time-zone");
    gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  }
  update_ca_row (self);
  update_cache_row (self);
  return self;
}
