/* sd-account-page-private.h — what the account page's own files share. */
#pragma once

#include <adwaita.h>

#include "sd-account-page.h"

G_BEGIN_DECLS

struct _SdAccountPage
{
  SdPage         parent_instance;

  GtkStack      *stack;
  AdwEntryRow   *email_row;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *sign_in_button;
  GtkLabel      *demo_label;
  AdwAvatar     *avatar;
  GtkButton     *picture_button;
  GtkLabel      *picture_label;
  AdwActionRow  *email_info_row;
  AdwEntryRow   *name_row;
  AdwEntryRow   *phone_row;
  AdwEntryRow   *address_row;
  AdwEntryRow   *detail_row;
  AdwEntryRow   *new_password_row;
  GtkLabel      *remembered_label;
  GtkButton     *sign_out_everywhere_button;
  GtkLabel      *code_title;
  AdwEntryRow   *code_email_row;
  GtkButton     *send_code_button;
  AdwEntryRow   *code_row;
  GtkLabel      *countdown_label;
  AdwPreferencesGroup *new_account_group;
  AdwEntryRow   *new_name_row;
  AdwEntryRow   *new_phone_row;
  AdwEntryRow   *new_address_row;
  AdwEntryRow   *new_detail_row;
  AdwEntryRow   *new_password_entry;
  GtkLabel      *code_error_label;
  GtkButton     *finish_button;

  SdSession     *session;
  SdUploadQueue *queue;
  GCancellable  *avatar_cancellable;
  gboolean       busy;
  gboolean       resetting;     /* the code page sets a new password, not an account */
  gint64         code_expires;  /* monotonic µs; 0: no code sent */
  guint          countdown;
};

/* What the user asks of the shop here (a sign-in, a save, a withdrawal)
 * goes on through a reconnect: only the page's end cuts it short. */
static inline GCancellable *
write_cancellable (SdAccountPage *self)
{
  return sd_page_get_write_cancellable (SD_PAGE (self));
}

static inline const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* sd-account-page.c */
void _sd_account_page_signed_in       (SdAccountPage  *self);

/* sd-account-page-code.c: sign-up and reset, a code by email first. */
void _sd_account_page_stop_countdown  (SdAccountPage  *self);
void _sd_account_page_class_init_code (GtkWidgetClass *widget_class);

G_END_DECLS
