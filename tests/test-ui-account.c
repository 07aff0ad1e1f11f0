/* test-ui-account.c — the Account page: creating an account with a
 * profile picture, Sign Out Everywhere, and what a shop without our
 * extensions cannot do. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"

static gboolean
code_mailed (gpointer server)
{
  g_autofree char *code = sd_test_find_code (server, "nari@example.com");
  return code != NULL;
}

static gboolean
avatar_has_picture (gpointer window)
{
  g_autoptr(GPtrArray) avatars = sd_test_find_all (window, ADW_TYPE_AVATAR);

  return avatars->len > 0 && adw_avatar_get_custom_image (avatars->pdata[0]) != NULL;
}

/* Create an Account with the code from the shop's outbox → signed in;
 * a profile picture from a file → prepared, queued, sent, shown. */
static void
test_sign_up (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "SignUp", sd_test_server_start (TRUE));
  GtkWidget *account = sd_window_get_page (window, "account");
  g_autofree char *code = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storedesk-ui-photo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "me.png", NULL);
  g_autoptr(GdkPixbuf) photo = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 1200, 900);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_test_click (sd_test_button_labelled (account, "_Create an Account"));
  gtk_editable_set_text (sd_test_entry_titled (account, "Email"), "nari@example.com");
  /* Sending anything before the code is refused right here. */
  sd_test_click (sd_test_button_labelled (account, "C_reate Account"));
  g_assert_false (sd_session_get_signed_in (sd_window_get_session (window)));
  sd_test_click (sd_test_button_labelled (account, "Send _Code"));
  sd_test_wait_until (code_mailed, ui.server, SD_TEST_UI_WAIT_MS);
  code = sd_test_read_code (ui.server, "nari@example.com");
  {
    /* The form of the code page, found by titles the user reads. */
    g_autoptr(GPtrArray) rows = sd_test_find_all (account, ADW_TYPE_ENTRY_ROW);
    const char *name_title = g_dgettext (GETTEXT_PACKAGE, "Name");
    guint named = 0;

    gtk_editable_set_text (sd_test_entry_titled (account, "Code from the Email"), code);
    /* Two "Name" rows exist (profile and sign-up); the sign-up one is drawn. */
    for (guint i = 0; i < rows->len; i++)
      if (gtk_widget_is_drawable (rows->pdata[i]) &&
          g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name_title) == 0)
        {
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "이나리");
          named++;
        }
    g_assert_cmpuint (named, ==, 1);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *title = adw_preferences_row_get_title (rows->pdata[i]);
        if (!gtk_widget_is_drawable (rows->pdata[i]))
          continue;
        if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Mobile Number")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "010-5555-1234");
        else if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Address")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "서울시 종로구 1");
        else if (g_strcmp0 (title, g_dgettext (GETTEXT_PACKAGE, "Password")) == 0)
          gtk_editable_set_text (GTK_EDITABLE (rows->pdata[i]), "Nari1234!");
      }
  }
  sd_test_save_screenshot (GTK_WIDGET (window), "sign-up");
  sd_test_click (sd_test_button_labelled (account, "C_reate Account"));
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_session_get_email (sd_window_get_session (window)), ==, "nari@example.com");
  g_assert_cmpstr (sd_session_get_name (sd_window_get_session (window)), ==, "이나리");

  /* A transparent 1200×900 PNG: prepared (flattened, JPEG), queued, sent. */
  gdk_pixbuf_fill (photo, 0x3366cc80);
  g_assert_true (gdk_pixbuf_save (photo, path, "png", NULL, NULL));
  sd_account_page_set_picture (SD_ACCOUNT_PAGE (account), file);
  sd_test_wait_until (avatar_has_picture, window, SD_TEST_UI_WAIT_MS);
  g_assert_nonnull (sd_session_get_profile_image (sd_window_get_session (window)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
  sd_test_save_screenshot (GTK_WIDGET (window), "profile");
  g_unlink (path);
  g_rmdir (dir);
}

/* [ext] "sessions": Sign Out Everywhere shows where the shop can do it,
 * asks first (Cancel keeps everything), then signs out here too. */
static void
test_sign_out_everywhere (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Everywhere", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  GtkWidget *button;
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  button = sd_test_wait_button (GTK_WIDGET (account), "Sign Out _Everywhere…");
  sd_test_scroll_into_view (button);   /* for the screenshot */
  sd_test_save_screenshot (GTK_WIDGET (window), "account-sessions");

  sd_test_click (button);
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  sd_test_save_screenshot (GTK_WIDGET (dialog), "sign-out-everywhere");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_test_wait_painted (GTK_WIDGET (window));   /* the answer handled */
  g_assert_true (sd_session_get_signed_in (sd_window_get_session (window)));

  sd_test_click (button);
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  adw_message_dialog_response (dialog, "sign-out");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_test_wait_until (sd_test_signed_out, window, SD_TEST_UI_WAIT_MS);
  sd_test_save_screenshot (GTK_WIDGET (window), "signed-out-everywhere");
}

/* A shop without our extensions (storedesk-server --no-extensions stands
 * in for the original): the forgotten-password way is said to be missing,
 * and an admin is warned before saving the profile, which there makes the
 * account a customer's (authService.js:166); Cancel sends nothing. */
static void
test_original_account (void)
{
  const char *args[] = { "--no-extensions", NULL };
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "OriginalAccount", sd_test_server_start_with (TRUE, args));
  GtkWidget *account = sd_window_get_page (window, "account");
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_test_click (sd_test_wait_button (account, "_Forgot Your Password?"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("This Shop Cannot Reset Passwords"));
  sd_test_save_screenshot (GTK_WIDGET (dialog), "no-reset-password");
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  sd_account_page_sign_in (SD_ACCOUNT_PAGE (account), "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));
  sd_test_click (sd_test_wait_button (account, "_Save Profile"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = sd_test_find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Saving Ends Your Staff Access"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  sd_test_save_screenshot (GTK_WIDGET (dialog), "admin-demotion");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_test_wait_painted (GTK_WIDGET (window));   /* the answer handled */
  g_assert_true (sd_session_get_is_admin (sd_window_get_session (window)));
  {
    /* …and nothing was sent: the shop still has an admin there. */
    g_autofree char *token = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
    g_autoptr(SdTestReply) me = sd_test_http (ui.server, "GET", "/api/v1/auth/me", token, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (me, 200), "role"), ==, "admin");
  }
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/sign-up", test_sign_up);
  g_test_add_func ("/ui/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/ui/original-account", test_original_account);
  return sd_test_ui_run ();
}
