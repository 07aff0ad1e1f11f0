/* sd-account-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-account-page-private.h"
#include "sd-ui.h"

G_DEFINE_FINAL_TYPE (SdAccountPage, sd_account_page, SD_TYPE_PAGE)

enum { SIGNAL_SIGNED_IN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
toast (SdAccountPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
problem (SdAccountPage *self, const char *heading, const char *message)
{
  sd_ui_show_problem (GTK_WIDGET (self), heading, message);
}

static void
avatar_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = sd_api_load_image_finish (SD_API (source), result, NULL);

  if (pixbuf)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
    }
}

static void
load_avatar (SdAccountPage *self)
{
  const char *image = sd_session_get_profile_image (self->session);

  if (self->avatar_cancellable)
    g_cancellable_cancel (self->avatar_cancellable);
  g_set_object (&self->avatar_cancellable, g_cancellable_new ());
  adw_avatar_set_custom_image (self->avatar, NULL);
  if (image)
    sd_api_load_image_async (sd_session_get_api (self->session), image, 192, self->avatar_cancellable,
                             avatar_loaded_cb, g_object_ref (self));
}

/* [ext] what only some shops do: ending sessions elsewhere. */
static void
update_features (SdAccountPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_everywhere_button),
                          self->session && sd_session_get_can_sign_out_everywhere (self->session));
}

static void
update (SdAccountPage *self)
{
  gboolean in = self->session && sd_session_get_signed_in (self->session);

  const char *shown = gtk_stack_get_visible_child_name (self->stack);

  if (in || g_strcmp0 (shown, "signed-in") == 0)
    gtk_stack_set_visible_child_name (self->stack, in ? "signed-in" : "signed-out");
  if (in)
    {
      adw_avatar_set_text (self->avatar, sd_session_get_name (self->session));
      adw_action_row_set_subtitle (self->email_info_row, sd_session_get_email (self->session));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), sd_session_get_name (self->session));
      gtk_editable_set_text (GTK_EDITABLE (self->phone_row), sd_session_get_phone_number (self->session));
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), sd_session_get_address (self->session));
      gtk_editable_set_text (GTK_EDITABLE (self->detail_row), sd_session_get_address_detail (self->session));
      load_avatar (self);
      update_features (self);
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
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Here a refusal means the email address or password is wrong (the
       * shop never says which), not an ended session. */
      message = g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED)
                ? g_strdup (_("The email address or password is wrong. Type both exactly as when you signed up, "
                              "capital letters included, then sign in again."))
                : sd_ui_error_message (error, _("You are not signed in"));
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  _sd_account_page_signed_in (self);
}

/* Signed in, here or on the code page: the page shows the member. */
void
_sd_account_page_signed_in (SdAccountPage *self)
{
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
  sd_session_sign_in_async (self->session, email, password, write_cancellable (self), signed_in_cb,
                            g_object_ref (self));
}

/* ---- the signed-in member ------------------------------------------------- */

static void
profile_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Profile Was Not Saved"), error);
      return;
    }
  toast (self, _("Profile saved"));
}

static void
save_profile (SdAccountPage *self)
{
  g_autofree char *phone = sd_field_normalize_phone (text_of (self->phone_row));

  sd_session_update_profile_async (self->session, text_of (self->name_row), phone, text_of (self->address_row),
                                   text_of (self->detail_row), write_cancellable (self), profile_saved_cb,
                                   g_object_ref (self));
}

static void
demotion_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdAccountPage *self = user_data;

  if (g_strcmp0 (response, "save") == 0)
    save_profile (self);
}

/* The original makes every account that saves its profile a customer
 * account (authService.js:166): an admin is asked first. */
static void
warn_demotion (SdAccountPage *self)
{
  sd_ui_ask_first (GTK_WIDGET (self), _("Saving Ends Your Staff Access"),
             _("This shop turns every account that saves its profile into a "
               "customer account. After saving you can no longer manage products, "
               "categories or orders here, until someone restores your staff role "
               "in the shop’s database."),
             "cancel", _("_Cancel"), "save", _("_Save and Lose Staff Access"), G_CALLBACK (demotion_response_cb), self);
}

static void
save_profile_cb (SdAccountPage *self)
{
  g_autofree char *phone = sd_field_normalize_phone (text_of (self->phone_row));

  if (!sd_field_is_name (text_of (self->name_row)))
    {
      problem (self, _("The Profile Was Not Saved"), _("Enter your name: 2 to 30 letters."));
      return;
    }
  if (phone == NULL)
    {
      problem (self, _("The Profile Was Not Saved"),
               _("Enter a mobile number: 010 and 8 more digits, such as 010-1234-5678."));
      return;
    }
  if (sd_session_get_save_profile_demotes (self->session))
    {
      warn_demotion (self);
      return;
    }
  save_profile (self);
}

static void
password_changed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Password Was Not Changed"), error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  toast (self, _("Password changed"));
}

static void
change_password_cb (SdAccountPage *self)
{
  if (!sd_field_is_password (text_of (self->new_password_row)))
    {
      problem (self, _("The Password Was Not Changed"),
               _("Choose a password of 8 to 16 letters, digits and ! @ # $ % ^ & * ( ) - _ + = < > ?"));
      return;
    }
  sd_session_change_password_async (self->session, text_of (self->new_password_row), write_cancellable (self),
                                    password_changed_cb, g_object_ref (self));
}

static void
withdrawn_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_finish (SD_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Account Was Not Deleted"), error);
      return;
    }
  toast (self, _("Your account was deleted. Orders you placed stay with the shop."));
}

static void
withdraw_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdAccountPage *self = user_data;

  if (g_strcmp0 (response, "delete") == 0)
    sd_session_withdraw_async (self->session, write_cancellable (self), withdrawn_cb, g_object_ref (self));
}

static void
withdraw_clicked_cb (SdAccountPage *self)
{
  sd_ui_ask_first (GTK_WIDGET (self), _("Delete Your Account?"),
             _("You are signed out and cannot sign in with this account again. "
               "Orders you placed stay with the shop."),
             "keep", _("_Keep Account"), "delete", _("_Delete Account"), G_CALLBACK (withdraw_response_cb), self);
}

static void
signed_out_everywhere_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_everywhere_button), TRUE);
  if (!sd_session_sign_out_everywhere_finish (SD_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("Not Signed Out Everywhere"), error);
      return;
    }
  /* The session here ended too: the page now shows the sign-in form. */
  toast (self, _("Signed out on every device. Sign in again here to go on."));
}

static void
sign_out_everywhere_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdAccountPage *self = user_data;

  if (g_strcmp0 (response, "sign-out") != 0 || self->session == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_everywhere_button), FALSE);
  sd_session_sign_out_everywhere_async (self->session, write_cancellable (self), signed_out_everywhere_cb,
                                        g_object_ref (self));
}

/* Easy to regret (every device needs the password again): ask first. */
static void
sign_out_everywhere_clicked_cb (SdAccountPage *self)
{
  sd_ui_ask_first (GTK_WIDGET (self), _("Sign Out Everywhere?"),
             _("Every computer, phone and browser signed in to this account "
               "is signed out, this one too. Each needs the password to sign "
               "in again. Do this if you think someone else is using your "
               "account, then change your password."),
             "cancel", _("_Cancel"), "sign-out", _("_Sign Out Everywhere"),
             G_CALLBACK (sign_out_everywhere_response_cb), self);
}

/* ---- the profile picture: prepared, queued, sent ------------------------ */

static void
set_picture_note (SdAccountPage *self, const char *note)
{
  gtk_label_set_label (self->picture_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->picture_label), note != NULL);
}

static void
picture_queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->picture_button), TRUE);
  if (upload == NULL)
    {
      set_picture_note (self, NULL);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Picture Cannot Be Used"), error);
      return;
    }
  /* Sent when the shop is reachable; "uploaded" reloads the profile. */
  set_picture_note (self, sd_session_get_connected (self->session)
                          ? _("Uploading the picture…")
                          : _("The picture is ready and goes up when the shop is reachable."));
}

void
sd_account_page_set_picture (SdAccountPage *self, GFile *file)
{
  g_return_if_fail (SD_IS_ACCOUNT_PAGE (self));
  if (self->queue == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->picture_button), FALSE);
  set_picture_note (self, _("Preparing the picture…"));
  sd_upload_queue_add_file_async (self->queue, file, NULL, SD_UPLOAD_TARGET_PROFILE, NULL, write_cancellable (self),
                                  picture_queued_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdAccountPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_account_page_set_picture (self, file);
    }
  g_object_unref (chooser);
}

static void
pick_picture_cb (SdAccountPage *self)
{
  GtkFileChooserNative *chooser = sd_ui_picture_chooser_new (GTK_WIDGET (self), _("Choose a Profile Picture"), FALSE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
reloaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sd_session_reload_user_finish (SD_SESSION (source), result, &error))
    g_debug ("profile not reloaded: %s", error->message);
}

static void
uploaded_cb (SdUploadQueue *queue, SdUpload *upload, const char *url, gpointer user_data)
{
  SdAccountPage *self = user_data;

  if (sd_upload_get_target (upload) != SD_UPLOAD_TARGET_PROFILE)
    return;
  set_picture_note (self, NULL);
  sd_session_reload_user_async (self->session, sd_page_get_cancellable (SD_PAGE (self)), reloaded_cb, NULL);
}

void
sd_account_page_sign_in (SdAccountPage *self, const char *email, const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_widget_activate (GTK_WIDGET (self->sign_in_button));
}

/* The shop's session, and its upload queue for profile pictures. */
static void
sd_account_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdAccountPage *self = SD_ACCOUNT_PAGE (page);
  SdSession *session = shop ? sd_shop_get_session (shop) : NULL;
  SdUploadQueue *queue = shop ? sd_shop_get_uploads (shop) : NULL;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  if (self->avatar_cancellable)
    g_cancellable_cancel (self->avatar_cancellable);
  g_set_object (&self->session, session);
  g_set_object (&self->queue, queue);
  if (queue)
    g_signal_connect (queue, "uploaded", G_CALLBACK (uploaded_cb), self);
  if (session == NULL)
    return;
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::name", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::remembered", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::can-sign-out-everywhere", G_CALLBACK (update_features), self);
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

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  _sd_account_page_stop_countdown (self);
  if (self->avatar_cancellable)
    g_cancellable_cancel (self->avatar_cancellable);
  g_clear_object (&self->avatar_cancellable);
  g_clear_object (&self->queue);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACCOUNT_PAGE);
  G_OBJECT_CLASS (sd_account_page_parent_class)->dispose (object);
}

static void
sd_account_page_class_init (SdAccountPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_account_page_dispose, sd_account_page_shop_changed, NULL, "sd-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, picture_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, picture_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, email_info_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, detail_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, remembered_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, sign_out_everywhere_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, code_title);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, code_email_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, send_code_button);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_account_group);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_name_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_phone_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_address_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_detail_row);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, new_password_entry);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, SdAccountPage, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  _sd_account_page_class_init_code (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, save_profile_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_password_cb);
  gtk_widget_class_bind_template_callback (widget_class, withdraw_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_everywhere_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pick_picture_cb);
  signals[SIGNAL_SIGNED_IN] = sd_page_class_new_signal (klass, "signed-in");
}

/* A photo dropped on the page becomes the profile picture. */
static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  SdAccountPage *self = user_data;
  GSList *files = g_value_get_boxed (value);

  if (files == NULL || self->session == NULL || !sd_session_get_signed_in (self->session))
    return FALSE;
  sd_account_page_set_picture (self, files->data);
  return TRUE;
}

static void
sd_account_page_init (SdAccountPage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
