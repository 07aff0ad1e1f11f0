/* sd-session.h — who is signed in at one shop, remembered in the keyring. */
#pragma once

#include "sd-api.h"

G_BEGIN_DECLS

#define SD_TYPE_SESSION (sd_session_get_type ())
G_DECLARE_FINAL_TYPE (SdSession, sd_session, SD, SESSION, GObject)

/* Takes over the api's authentication: tokens, and 401s (refreshed once,
 * one refresh in flight for all waiting calls, which are then replayed). */
SdSession  *sd_session_new            (SdApi               *api);
SdApi      *sd_session_get_api        (SdSession           *self);
gboolean    sd_session_get_signed_in  (SdSession           *self);
const char *sd_session_get_email      (SdSession           *self);
/* Who is signed in, for keying what is kept per account: the user's id
 * (or, where the shop gives none, the email); NULL when signed out.
 * Changes with notify::email. */
const char *sd_session_get_account    (SdSession           *self);
/* For the connection doctor: when the access token in use expires, as it
 * says itself (seconds since the epoch; 0: none or unreadable), and when
 * it was last refreshed (g_get_real_time (); 0: not in this run). */
gint64      sd_session_get_token_expiry (SdSession         *self);
gint64      sd_session_get_last_refresh (SdSession         *self);
const char *sd_session_get_name       (SdSession           *self);
gboolean    sd_session_get_is_admin   (SdSession           *self);
/* The profile as /auth/me last said ("" when not given; notify::name
 * follows every reload). */
const char *sd_session_get_phone_number   (SdSession       *self);
const char *sd_session_get_address        (SdSession       *self);
const char *sd_session_get_address_detail (SdSession       *self);
/* The profile picture as the shop sent it, or NULL. */
const char *sd_session_get_profile_image  (SdSession       *self);
/* Signed in and the shop reachable ("connected", notified): when work
 * that needs the account, such as queued uploads, can go ahead. */
gboolean    sd_session_get_connected  (SdSession           *self);
/* Whether the last sign-out was the shop's doing (it refused the session),
 * not the user's: notify::signed-in handlers tell the user only then. */
gboolean      sd_session_get_ended_by_shop (SdSession *self);
/* TRUE when the session is kept in the keyring for the next start. */
gboolean    sd_session_get_remembered (SdSession           *self);

void        sd_session_sign_in_async  (SdSession           *self,
                                       const char          *email,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    sd_session_sign_in_finish (SdSession           *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Signs in again from the keyring, if a session for this shop is kept
 * there and still valid; finishes TRUE when signed in. A missing or
 * refused session is no error: it finishes FALSE. */
void        sd_session_restore_async  (SdSession           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    sd_session_restore_finish (SdSession           *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Reads the profile again (GET /auth/me): name, email, role. */
void        sd_session_reload_user_async  (SdSession           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    sd_session_reload_user_finish (SdSession           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Forgets the session here, in the keyring and at the shop. */
void        sd_session_sign_out_async  (SdSession           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    sd_session_sign_out_finish (SdSession           *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* [ext] TRUE once signed in at a shop that lists the "sessions" feature
 * ("can-sign-out-everywhere", notified; learnt from /health). */
gboolean    sd_session_get_can_sign_out_everywhere (SdSession      *self);
/* [ext] Ends every session of this account at the shop, on every device,
 * this one included (POST /auth/sign-out-everywhere; only where the shop
 * lists the "sessions" feature), then forgets it here and in the keyring.
 * On failure nothing changes here: the shop may not have heard. */
void        sd_session_sign_out_everywhere_async  (SdSession           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean    sd_session_sign_out_everywhere_finish (SdSession           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* What this shop does with accounts, from its /health (known once the api
 * is identified, sd_api_identify_async). The forgotten-password way needs
 * the [ext] "reset-password" feature. */
gboolean    sd_session_get_can_reset_password (SdSession       *self);
/* TRUE when the signed-in admin would lose admin by saving the profile:
 * on the original (no [ext] features) PATCH /auth/me writes role "user"
 * (authService.js:160-167). Warn before saving there. */
gboolean    sd_session_get_save_profile_demotes (SdSession     *self);

/* ---- accounts ---------------------------------------------------------
 * Each finishes with sd_session_finish (TRUE, or an error whose message
 * is the shop's own words where the user can act on them). */

/* Mails a 6-digit code to email (for sign-up and reset-password). */
void        sd_session_request_code_async    (SdSession           *self,
                                              const char          *email,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void        sd_session_confirm_email_async   (SdSession           *self,
                                              const char          *email,
                                              const char          *code,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* After confirm_email; signs in too when it succeeds. */
void        sd_session_sign_up_async         (SdSession           *self,
                                              const char          *name,
                                              const char          *phone_number,
                                              const char          *email,
                                              const char          *password,
                                              const char          *address,
                                              const char          *address_detail,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* NULL leaves a field as it is. */
void        sd_session_update_profile_async  (SdSession           *self,
                                              const char          *name,
                                              const char          *phone_number,
                                              const char          *address,
                                              const char          *address_detail,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void        sd_session_change_password_async (SdSession           *self,
                                              const char          *new_password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The forgotten-password way, with a code from request_code. */
void        sd_session_reset_password_async  (SdSession           *self,
                                              const char          *email,
                                              const char          *code,
                                              const char          *new_password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Deletes the account at the shop and signs out here. */
void        sd_session_withdraw_async        (SdSession           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    sd_session_finish                (SdSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Sends a prepared picture (at most 1 MB, JPEG/PNG/WebP) as the account's
 * profile picture; finishes with its URL as the shop gives it. Normally
 * reached through SdUploadQueue, which prepares and retries. */
void        sd_session_upload_profile_picture_async  (SdSession           *self,
                                                      GBytes              *bytes,
                                                      const char          *content_type,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char       *sd_session_upload_profile_picture_finish (SdSession           *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
