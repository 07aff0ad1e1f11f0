/* sd-account-page.h — sign in, or the signed-in member's profile. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_ACCOUNT_PAGE (sd_account_page_get_type ())
G_DECLARE_FINAL_TYPE (SdAccountPage, sd_account_page, SD, ACCOUNT_PAGE, SdPage)

/* The demo shop: show its accounts on the sign-in form. */
void sd_account_page_set_demo      (SdAccountPage *self,
                                    gboolean       demo);
/* What choosing a file in "Change Picture…" does. */
void sd_account_page_set_picture   (SdAccountPage *self,
                                    GFile         *file);
/* Fills the sign-in form and signs in, as the user would. */
void sd_account_page_sign_in       (SdAccountPage *self,
                                    const char    *email,
                                    const char    *password);

/* Signal "signed-in": a sign-in from this page succeeded. */

G_END_DECLS
