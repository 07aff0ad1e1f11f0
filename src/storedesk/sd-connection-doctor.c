/* sd-connection-doctor.c — Help → Connection: what Storedesk knows of
 * its link to the shop, for the user and for a support request: the
 * address and what the shop offers, round trips, TLS, the session, and
 * what waits to be sent; "Copy Report" copies it all as text, without a
 * token, password or key. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-connection-doctor.h"
#include "sd-ui.h"

struct _SdConnectionDoctor
{
  AdwWindow  parent_instance;
  SdShop    *shop;
  GtkBox    *groups;
  GString   *report;
};

G_DEFINE_FINAL_TYPE (SdConnectionDoctor, sd_connection_doctor, ADW_TYPE_WINDOW)

/* ---- lines ----------------------------------------------------------------- */

static GtkWidget *
group (SdConnectionDoctor *self, const char *title)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  gtk_box_append (self->groups, g);
  g_string_append_printf (self->report, "\n%s\n", title);
  return g;
}

/* A line on screen and in the report. */
static void
line (SdConnectionDoctor *self, GtkWidget *g, const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
  g_string_append_printf (self->report, "  %s: %s\n", title, value);
}

static char *
ms (gint64 us)
{
  /* Translators: a duration in milliseconds. */
  return g_strdup_printf (_("%.1f ms"), us / 1000.0);
}

static char *
local_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (unix_seconds);

  return at ? g_date_time_format (at, "%Y-%m-%d %H:%M:%S") : g_strdup ("—");
}

/* ---- the sections ------------------------------------------------------------ */

static void
add_shop (SdConnectionDoctor *self, SdApi *api)
{
  GtkWidget *g = group (self, _("Shop"));
  const char * const *features = sd_api_get_features (api);
  g_autofree char *joined = features && features[0] ? g_strjoinv (", ", (char **) features) : NULL;

  line (self, g, _("Address"), sd_api_get_base_url (api));
  line (self, g, _("API"), features == NULL ? _("Not known yet: the shop has not answered")
                          : joined ? joined : _("The original HoneyTouse API, without Storedesk’s extensions"));
  line (self, g, _("Reachable"), sd_api_get_online (api) ? _("Yes") : _("No: Storedesk tries again by itself"));
}

static void
add_latency (SdConnectionDoctor *self, SdApi *api)
{
  GtkWidget *g = group (self, _("Round Trips"));
  SdApiLatency latency;

  sd_api_get_latency (api, &latency);
  if (latency.samples == 0)
    {
      line (self, g, _("Replies"), _("None yet in this run"));
      return;
    }
  {
    g_autofree char *last = ms (latency.last_us);
    g_autofree char *median = ms (latency.median_us);
    g_autofree char *p95 = ms (latency.p95_us);
    g_autofree char *count = g_strdup_printf ("%u", latency.samples);

    line (self, g, _("Last"), last);
    line (self, g, _("Median"), median);
    line (self, g, _("95th percentile"), p95);
    line (self, g, _("Replies counted"), count);
  }
}

static void
add_tls (SdConnectionDoctor *self, SdApi *api)
{
  GtkWidget *g = group (self, _("Security"));
  GTlsCertificate *certificate = sd_api_get_peer_certificate (api);
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GDateTime) expires = NULL;
  const char *ca = sd_api_get_ca_file (api);
  g_autofree char *trust = NULL;
  g_autofree char *expiry = NULL;

  if (certificate == NULL)
    {
      line (self, g, _("Connection"), g_str_has_prefix (sd_api_get_base_url (api), "https:")
                                      ? _("Not seen yet in this run") : _("Plain HTTP, not encrypted"));
      return;
    }
  g_object_get (certificate, "subject-name", &subject, "issuer-name", &issuer, "not-valid-after", &expires, NULL);
  trust = !sd_api_get_peer_trusted (api) ? g_strdup (_("Not trusted"))
          : ca ? g_strdup_printf (_("Trusted by the authorities in %s"), ca)
          : g_strdup (_("Trusted by the system’s authorities"));
  expiry = expires ? g_date_time_format (expires, "%Y-%m-%d") : g_strdup ("—");
  line (self, g, _("Protocol"), sd_api_get_tls_protocol (api) ? sd_api_get_tls_protocol (api) : "—");
  line (self, g, _("Cipher suite"), sd_api_get_tls_ciphersuite (api) ? sd_api_get_tls_ciphersuite (api) : "—");
  line (self, g, _("Certificate for"), subject ? subject : "—");
  line (self, g, _("Issued by"), issuer ? issuer : "—");
  line (self, g, _("Valid until"), expiry);
  line (self, g, _("Trust"), trust);
}

static void
add_session (SdConnectionDoctor *self, SdSession *session)
{
  GtkWidget *g = group (self, _("Session"));
  gint64 expiry = sd_session_get_token_expiry (session);
  gint64 refreshed = sd_session_get_last_refresh (session);

  if (!sd_session_get_signed_in (session))
    {
      line (self, g, _("Signed in"), _("No"));
      return;
    }
  {
    /* Translators: who is signed in, and as what, e.g. "admin@example.com (staff)". */
    g_autofree char *who = g_strdup_printf (_("%s (%s)"), sd_session_get_email (session),
                                            sd_session_get_is_admin (session) ? _("staff") : _("customer"));
    g_autofree char *expires = expiry ? local_time (expiry) : g_strdup (_("Not said by the token"));
    g_autofree char *last = refreshed ? local_time (refreshed / G_USEC_PER_SEC) : g_strdup (_("Not in this run"));

    line (self, g, _("Signed in as"), who);
    line (self, g, _("Access token expires"), expires);
    line (self, g, _("Last refreshed"), last);
    line (self, g, _("Kept in the keyring"), sd_session_get_remembered (session) ? _("Yes") : _("No"));
  }
}

static void
add_queues (SdConnectionDoctor *self, SdShop *shop)
{
  GtkWidget *g = group (self, _("Waiting to Be Sent"));
  SdUploadQueue *uploads = sd_shop_get_uploads (shop);
  SdSync *sync = sd_shop_get_sync (shop);
  g_autofree char *photos = g_strdup_printf ("%u", uploads ? g_list_model_get_n_items (G_LIST_MODEL (uploads)) : 0);
  g_autofree char *changes = g_strdup_printf ("%u", sync ? sd_sync_get_n_waiting (sync) : 0);
  g_autofree char *conflicts = g_strdup_printf ("%u", sync ? sd_sync_get_n_conflicts (sync) : 0);

  line (self, g, _("Photos"), photos);
  line (self, g, _("Changes"), changes);
  line (self, g, _("Conflicts and refusals"), conflicts);
}

/* ---- the window -------------------------------------------------------------- */

static void
fill (SdConnectionDoctor *self)
{
  SdApi *api = sd_shop_get_api (self->shop);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups))))
    gtk_box_remove (self->groups, child);
  g_string_truncate (self->report, 0);
  /* Translators: the first line of the connection report. */
  g_string_append_printf (self->report, _("Storedesk %s, connection report"), PACKAGE_VERSION);
  g_string_append_c (self->report, '\n');
  if (api == NULL)
    {
      line (self, group (self, _("Shop")), _("Address"), _("Not connected yet"));
      return;
    }
  add_shop (self, api);
  add_latency (self, api);
  add_tls (self, api);
  if (sd_shop_get_session (self->shop))
    add_session (self, sd_shop_get_session (self->shop));
  add_queues (self, self->shop);
}

static void
copy_cb (SdConnectionDoctor *self)
{
  fill (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->report->str);
  sd_ui_show_toast (GTK_WIDGET (self->groups), adw_toast_new (_("Report copied")));
}

const char *
sd_connection_doctor_get_report (SdConnectionDoctor *self)
{
  g_return_val_if_fail (SD_IS_CONNECTION_DOCTOR (self), NULL);
  return self->report->str;
}

SdConnectionDoctor *
sd_connection_doctor_new (GtkWindow *parent, SdShop *shop)
{
  SdConnectionDoctor *self = g_object_new (SD_TYPE_CONNECTION_DOCTOR, "transient-for", parent, "modal", TRUE,
                                           "title", _("Connection"), "default-width", 560, "default-height", 640,
                                           NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Report"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  self->shop = g_object_ref (shop);
  self->groups = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_top (GTK_WIDGET (self->groups), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->groups), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->groups), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->groups), 12);
  gtk_widget_add_css_class (copy, "suggested-action");
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (copy_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), copy);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->groups));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), scroller);
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), overlay);
  adw_window_set_content (ADW_WINDOW (self), content);
  fill (self);
  return self;
}

static void
sd_connection_doctor_finalize (GObject *object)
{
  SdConnectionDoctor *self = SD_CONNECTION_DOCTOR (object);

  g_clear_object (&self->shop);
  g_string_free (self->report, TRUE);
  G_OBJECT_CLASS (sd_connection_doctor_parent_class)->finalize (object);
}

static void
sd_connection_doctor_class_init (SdConnectionDoctorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_connection_doctor_finalize;
}

static void
sd_connection_doctor_init (SdConnectionDoctor *self)
{
  self->report = g_string_new (NULL);
}
