/* sd-application.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sd-application.h"
#include "sd-preferences.h"
#include "sd-ui.h"
#include "sd-window.h"
#include "storedesk.h"

struct _SdApplication
{
  AdwApplication  parent_instance;
  char           *server_url;     /* --server; NULL: the settings' shop, or the demo shop */
  gboolean        force_demo;     /* --demo */
  GSettings      *settings;       /* NULL in a bare build tree without the schema */
  SdLocalServer  *demo_server;
  SdShop         *shop;           /* the one shop every window shows */
  SdOrdersWatcher *watcher;       /* new orders at shop, while staff are signed in */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (SdApplication, sd_application, ADW_TYPE_APPLICATION)

SdApplication *
sd_application_new (void)
{
  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/storedesk/Storedesk",
                       NULL);
}

void
sd_application_set_server_url (SdApplication *self, const char *url)
{
  g_return_if_fail (SD_IS_APPLICATION (self));
  g_free (self->server_url);
  self->server_url = g_strdup (url);
}

/* The shop to use: --server, else the one in Preferences (unless --demo);
 * NULL for the demo shop. */
static char *
shop_url (SdApplication *self)
{
  g_autofree char *saved = NULL;

  if (self->server_url)
    return g_strdup (self->server_url);
  if (self->force_demo || self->settings == NULL)
    return NULL;
  saved = g_settings_get_string (self->settings, "server-url");
  return *saved ? g_steal_pointer (&saved) : NULL;
}

/* The main window (the active one may be Preferences or a dialog). */
static SdWindow *
get_window (SdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SD_IS_WINDOW (l->data))
      return SD_WINDOW (l->data);
  return NULL;
}

static void
use_shop (SdApplication *self, const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = self->settings ? g_settings_get_string (self->settings, "ca-file") : NULL;
  g_autofree char *configured = shop_url (self);
  SdWindow *window = get_window (self);

  if (window == NULL)
    return;
  /* The demo shop's accounts are no secret: the sign-in form shows them. */
  sd_window_set_demo (window, configured == NULL);
  if (!sd_shop_connect (self->shop, url, ca, &error))
    {
      g_autofree char *message = sd_ui_error_message (error, _("Could not connect to the shop"));
      sd_window_show_error (window, message);
    }
}

static void
demo_started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = sd_local_server_start_finish (SD_LOCAL_SERVER (source), result, &error);

  if (url == NULL)
    {
      SdWindow *window = get_window (self);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (window)
        {
          g_autofree char *message = sd_ui_error_message (error, _("Could not start the demo shop"));
          sd_window_show_error (window, message);
        }
      return;
    }
  use_shop (self, url);
}

static char *
server_program (void)
{
  if (sd_is_uninstalled ())
    return g_strdup (BUILD_SERVER_PATH);
  return g_build_filename (BINDIR, "storedesk-server", NULL);
}

/* app.connect: (re)connects to the configured shop, starting the demo
 * server first when that is the shop. */
static void
connect_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  SdApplication *self = user_data;
  g_autofree char *program = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *url = shop_url (self);

  if (url != NULL)
    {
      use_shop (self, url);
      return;
    }
  if (self->demo_server != NULL && sd_local_server_get_url (self->demo_server) != NULL)
    {
      use_shop (self, sd_local_server_get_url (self->demo_server));
      return;
    }
  if (self->demo_server != NULL && sd_local_server_is_running (self->demo_server))
    return;   /* starting */

  /* First start, or the demo server died: (re)start it. */
  if (self->demo_server == NULL)
    {
      program = server_program ();
      data_dir = g_build_filename (g_get_user_data_dir (), "storedesk", "demo-shop", NULL);
      self->demo_server = sd_local_server_new (program, data_dir, TRUE);
      sd_local_server_set_quiet (self->demo_server, g_getenv ("G_MESSAGES_DEBUG") == NULL);
    }
  sd_local_server_start_async (self->demo_server, self->cancellable, demo_started_cb,
                               g_object_ref (self));
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);   /* closing one may destroy another (its dialog) */

  /* Each window closes as if its close button were pressed, so a window
   * with unsaved changes asks first; the app ends with the last one. */
  if (windows == NULL)
    g_application_quit (G_APPLICATION (user_data));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  SdApplication *self = user_data;
  SdPreferences *preferences;

  if (self->settings == NULL)
    return;
  preferences = sd_preferences_new (GTK_WINDOW (get_window (self)), self->settings,
                                    get_window (self) ? sd_window_get_api (get_window (self)) : NULL);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The watcher found new orders: a notification, unless a window of ours
 * is focused (the board shows them there). */
static void
new_orders_cb (SdApplication *self, guint n)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (gtk_window_is_active (l->data))
      return;
  notification = g_notification_new (_("New Orders"));
  body = g_strdup_printf (ngettext ("%ld new order came in.", "%ld new orders came in.", n), (long) n);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.orders-board");
  g_application_send_notification (G_APPLICATION (self), "storedesk-new-orders", notification);
}

/* The window got focus: new orders are looked for at once. */
static void
window_active_cb (GtkWindow *window, GParamSpec *pspec, SdApplication *self)
{
  if (gtk_window_is_active (window))
    sd_orders_watcher_look_now (self->watcher);
}

SdOrdersWatcher *
sd_application_get_orders_watcher (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);
  return self->watcher;
}

/* From the "new orders" notification. */
static void
orders_board_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  SdWindow *window = get_window (user_data);

  if (window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (window));
  sd_window_show_section (window, "staff-orders");
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  SdApplication *self = user_data;
  const char *developers[] = { "Storedesk developers", NULL };

  adw_show_about_window (GTK_WINDOW (get_window (self)),
                         "application-name", _("Storedesk"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Run a small online shop from your desktop"),
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
sd_application_startup (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  const GActionEntry entries[] = {
    { "connect", connect_action },
    { "quit", quit_action },
    { "about", about_action },
    { "preferences", preferences_action },
    { "orders-board", orders_board_action },
  };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *reload_accels[] = { "<Control>r", "F5", NULL };
  /* Wherever the focus is in the window. */
  const char *search_accels[] = { "<Control>f", NULL };
  const char *back_accels[] = { "<Alt>Left", "Back", NULL };
  const char *new_product_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (sd_application_parent_class)->startup (app);
  sd_ui_name_mnemonic_buttons ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.reload", reload_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.back", back_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-product", new_product_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

static void
sd_application_activate (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  SdWindow *window = get_window (self);

  if (window == NULL)
    {
      window = sd_window_new (self);
      sd_window_set_shop (window, self->shop);
      sd_window_set_orders_watcher (window, self->watcher);
      g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_cb), self, 0);
      g_action_group_activate_action (G_ACTION_GROUP (self), "connect", NULL);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
sd_application_shutdown (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  /* A cancel just before quitting keeps its note. */
  sd_orders_flush ();
  if (self->demo_server)
    sd_local_server_stop (self->demo_server);
  G_APPLICATION_CLASS (sd_application_parent_class)->shutdown (app);
}

static int
sd_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  SdApplication *self = SD_APPLICATION (app);
  const char *server = NULL;
  gboolean demo = FALSE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("storedesk %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "demo", "b", &demo);
  self->force_demo = demo;
  g_variant_dict_lookup (options, "server", "&s", &server);
  if (demo && server)
    {
      g_printerr ("%s\n", _("Use either --demo or --server, not both."));
      return 2;
    }
  if (server)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdApi) api = sd_api_new (server, &error);

      if (api == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      sd_application_set_server_url (self, server);
    }
  /* No --server: the demo shop, until Preferences can name another one. */
  return -1;
}

static void
sd_application_finalize (GObject *object)
{
  SdApplication *self = SD_APPLICATION (object);

  g_clear_object (&self->demo_server);
  if (self->watcher)
    g_signal_handlers_disconnect_by_data (self->watcher, self);
  g_clear_object (&self->watcher);
  g_clear_object (&self->shop);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_free (self->server_url);
  G_OBJECT_CLASS (sd_application_parent_class)->finalize (object);
}

static void
sd_application_class_init (SdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sd_application_finalize;
  app_class->startup = sd_application_startup;
  app_class->activate = sd_application_activate;
  app_class->shutdown = sd_application_shutdown;
  app_class->handle_local_options = sd_application_handle_local_options;
}

static void
sd_application_init (SdApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start the bundled demo shop and connect to it"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Connect to the shop at URL"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version"), NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  self->shop = sd_shop_new ();
  self->watcher = sd_orders_watcher_new (self->shop);
  g_signal_connect_swapped (self->watcher, "new-orders", G_CALLBACK (new_orders_cb), self);
  /* Without the installed schema (a bare build tree) nothing is kept. */
  self->settings = sd_ui_lookup_settings (NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
