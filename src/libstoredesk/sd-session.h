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
const char *sd_session_get_name       (SdSession           *self);
gboolean    sd_session_get_is_admin   (SdSession           *self);
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

G_END_DECLS
