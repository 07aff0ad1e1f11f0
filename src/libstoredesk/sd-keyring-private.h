/* sd-keyring-private.h — what libstoredesk keeps in the Secret Service
 * (sd-keyring.c): the session's tokens and guests' order keys. */
#pragma once

#include <libsecret/secret.h>

#include "sd-session.h"

G_BEGIN_DECLS

/* Mirrors the session's tokens into the keyring. */
void  sd_session_keyring_store         (SdSession           *self);
/* Removes them from the keyring. */
void  sd_session_keyring_clear         (SdSession           *self);
/* Looks them up (a Secret Service that hangs is given up on); finish
 * gives the stored text, or NULL when there is none or no keyring. */
void  sd_session_keyring_lookup        (SdSession           *self,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char *sd_session_keyring_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

/* A guest's access key, under attributes shop (the base URL) and order
 * (the order's id), so the guest can find the order again. */
const SecretSchema *sd_guest_order_schema (void);

G_END_DECLS
