/* sd-account-page.c */
#define G_LOG_DOMAIN "storedesk"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-account-page.h"

struct _SdAccountPage
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  AdwEntryRow   *email_row;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *sign_in_button;
  GtkLabel      *demo_label;
  AdwAvatar     *avatar;
  AdwActionRow  *name_row;
  AdwActionRow  *email_info_row;
  AdwActionRow  *phone_row;
  AdwActionRow  *address_row;
  GtkLabel      *remembered_label;

  SdSession     *session;
  GCancellable  *cancellable;
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (SdAccountPage, sd_account_page, GTK_TYPE_WIDGET)

enum { SIGNAL_SIGNED_IN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_subtitle (AdwActionRow *row, const char *value)
{
  adw_action_row_set_subtitle (row, value && *value ? value : "—");
}

static void
update (SdAccountPage *self)
{
  gboolean in = self->session && sd_session_get_signed_in (self->session);

  gtk_stack_set_visible_child_name (self->stack, in ? "signed-in" : "signed-out");
  if (in)
    {
      g_autofree char *address = g_strjoin (" ", sd_session_get_address (self->session),
                                            sd_session_get_address_detail (self->session), NULL);

      adw_avatar_set_text (self->avatar, sd_session_get_name (self->session));
      set_subtitle (self->name_row, sd_session_get_name (self->session));
      set_subtitle (self->email_info_row, sd_session_get_email (self->session));
      set_subtitle (self->phone_row, sd_session_get_phone_number (self->session));
      set_subtitle (self->address_row, g_strstrip (address));
      gtk_label_set_label (self->remembered_label,
                           sd_session_get_remembered (self->session)
                           ? _("You stay signed in on this computer; the keyring keeps the session.")
                           : _("You are signed in until Storedesk quits: no keyring was found to keep the session."));
    }
}

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
  if (!sd_session_sign_in_finish (SD_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update (self);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
}

static void
sign_in_cb (SdAccountPage *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->busy || self->session == NULL)
    return;
  if (!sd_field_is_email (email) || *password == '\0')
    {
      gtk_label_set_label (self->error_label, _("Enter your email address and password."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
  sd_session_sign_in_async (self->session, email, password, self->cancellable, signed_in_cb, g_object_ref (self));
}

void
sd_account_page_sign_in (SdAccountPage *self, const char *email, const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_widget_activate (GTK_WIDGET (self->sign_in_button));
}

void
sd_account_page_set_session (SdAccountPage *self, SdSession *session)
{
  g_return_if_fail (SD_IS_ACCOUNT_PAGE (self));
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_set_object (&self->session, session);
  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::name", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::remembered", G_CALLBACK (update), self);
  update (self);
}

void
sd_account_page_set_demo (SdAccountPage *self, gboolean demo)
{
  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), demo);
  /* Translators: shown on the demo shop's sign-in form; keep the addresses and passwords. */
  gtk_label_set_label (self->demo_label,
                       _("Demo shop accounts:\nstaff — admin@example.com / Admin1234!\n"
                         "customer — customer@example.com / Customer1234!"));
}

static void
sd_account_page_dispose (GObject *object)
{
  SdAccountPage *self = SD_ACCOUNT_PAGE (object);
  GtkWidget *child;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACCOUNT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_account_page_parent_class)->dispose (object);
}

static void
sd_account_page_class_init (SdAccountPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_account_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storedesk/Storedesk/ui/sd-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, email_info_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, remembered_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sd_account_page_init (SdAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
