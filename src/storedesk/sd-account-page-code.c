/* sd-account-page-code.c — the account page's sign-up and password reset:
 * a code by email first, then the new account or the new password. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-account-page-private.h"
#include "sd-ui.h"

static void
show_code_error (SdAccountPage *self, const char *message)
{
  gtk_label_set_label (self->code_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->code_error_label), message != NULL);
}

void
_sd_account_page_stop_countdown (SdAccountPage *self)
{
  g_clear_handle_id (&self->countdown, g_source_remove);
}

static gboolean
countdown_cb (gpointer user_data)
{
  SdAccountPage *self = user_data;
  gint64 left = (self->code_expires - g_get_monotonic_time ()) / G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      gtk_label_set_label (self->countdown_label, _("The code has expired. Send a new one."));
      self->countdown = 0;
      return G_SOURCE_REMOVE;
    }
  /* Translators: minutes and seconds, e.g. "4:59". */
  text = g_strdup_printf (_("A code is on its way. It is valid for %d:%02d; send it again if it does not arrive."),
                          (int) (left / 60), (int) (left % 60));
  gtk_label_set_label (self->countdown_label, text);
  return G_SOURCE_CONTINUE;
}

static void
configure_code_page (SdAccountPage *self, gboolean resetting)
{
  self->resetting = resetting;
  gtk_label_set_label (self->code_title, resetting ? _("Set a New Password") : _("Create an Account"));
  gtk_widget_set_visible (GTK_WIDGET (self->new_account_group), !resetting);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_password_entry),
                                 resetting ? _("New Password") : _("Password"));
  gtk_button_set_label (self->finish_button, resetting ? _("Set _New Password") : _("C_reate Account"));
  if (*text_of (self->code_email_row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->code_email_row), text_of (self->email_row));
  show_code_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "sign-up");
}

static void
show_sign_up_cb (SdAccountPage *self)
{
  configure_code_page (self, FALSE);
}

static void
show_reset_cb (SdAccountPage *self)
{
  /* The original has no such route: say so rather than fail later. */
  if (self->session && !sd_session_get_can_reset_password (self->session))
    {
      sd_ui_show_problem (GTK_WIDGET (self), _("This Shop Cannot Reset Passwords"),
               _("Storedesk cannot set a new password for you at this shop. If you forgot yours, "
                 "contact the shop and ask them to help you back into your account."));
      return;
    }
  configure_code_page (self, TRUE);
}

static void
show_sign_in_cb (SdAccountPage *self)
{
  _sd_account_page_stop_countdown (self);
  gtk_stack_set_visible_child_name (self->stack, "signed-out");
}

static void
code_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->send_code_button), TRUE);
  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      g_autofree char *message = sd_ui_error_message (error, _("The code was not sent"));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_code_error (self, message);
      return;
    }
  show_code_error (self, NULL);
  gtk_button_set_label (self->send_code_button, _("Send _Again"));
  self->code_expires = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;   /* the shop's 5 minutes */
  _sd_account_page_stop_countdown (self);
  self->countdown = g_timeout_add_seconds (1, countdown_cb, self);
  countdown_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
send_code_cb (SdAccountPage *self)
{
  if (!sd_field_is_email (text_of (self->code_email_row)))
    {
      show_code_error (self, _("Enter your email address."));
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_code_button), FALSE);
  sd_session_request_code_async (self->session, text_of (self->code_email_row), write_cancellable (self),
                                 code_sent_cb, g_object_ref (self));
}

static void
finished_cb (SdAccountPage *self, GError *error)
{
  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->finish_button), TRUE);
  if (error)
    {
      g_autofree char *message = sd_ui_error_message (error, NULL);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_code_error (self, message);
      return;
    }
  _sd_account_page_stop_countdown (self);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_entry), "");
  _sd_account_page_signed_in (self);
}

static void
code_signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  sd_session_sign_in_finish (SD_SESSION (source), result, &error);
  finished_cb (self, error);
}

static void
reset_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      finished_cb (self, error);
      return;
    }
  /* The new password works at once: sign in with it. */
  sd_session_sign_in_async (self->session, text_of (self->code_email_row), text_of (self->new_password_entry),
                            write_cancellable (self), code_signed_in_cb, g_object_ref (self));
}

static void
signed_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  sd_session_finish (SD_SESSION (source), result, &error);
  finished_cb (self, error);
}

static void
confirmed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;

  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      finished_cb (self, error);
      return;
    }
  phone = sd_field_normalize_phone (text_of (self->new_phone_row));
  sd_session_sign_up_async (self->session, text_of (self->new_name_row), phone, text_of (self->code_email_row),
                            text_of (self->new_password_entry), text_of (self->new_address_row),
                            text_of (self->new_detail_row), write_cancellable (self), signed_up_cb,
                            g_object_ref (self));
}

/* The contract's rules, before anything is sent; NULL when all is well. */
static const char *
code_page_problem (SdAccountPage *self)
{
  g_autofree char *phone = sd_field_normalize_phone (text_of (self->new_phone_row));

  if (!sd_field_is_email (text_of (self->code_email_row)))
    return _("Enter your email address.");
  if (!sd_field_is_code (text_of (self->code_row)))
    return _("Enter the 6-digit code from the email.");
  if (!self->resetting && !sd_field_is_name (text_of (self->new_name_row)))
    return _("Enter your name: 2 to 30 letters.");
  if (!self->resetting && phone == NULL)
    return _("Enter a mobile number: 010 and 8 more digits, such as 010-1234-5678.");
  if (!self->resetting && *text_of (self->new_address_row) == '\0')
    return _("Enter your address, for deliveries.");
  if (!sd_field_is_password (text_of (self->new_password_entry)))
    return _("Choose a password of 8 to 16 letters, digits and ! @ # $ % ^ & * ( ) - _ + = < > ?");
  return NULL;
}

static void
finish_code_cb (SdAccountPage *self)
{
  const char *why = code_page_problem (self);

  if (self->busy)
    return;
  show_code_error (self, why);
  if (why)
    return;
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->finish_button), FALSE);
  if (self->resetting)
    sd_session_reset_password_async (self->session, text_of (self->code_email_row), text_of (self->code_row),
                                     text_of (self->new_password_entry), write_cancellable (self), reset_done_cb,
                                     g_object_ref (self));
  else
    sd_session_confirm_email_async (self->session, text_of (self->code_email_row), text_of (self->code_row),
                                    write_cancellable (self), confirmed_cb, g_object_ref (self));
}

void
_sd_account_page_class_init_code (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, show_sign_up_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_code_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_code_cb);
}
