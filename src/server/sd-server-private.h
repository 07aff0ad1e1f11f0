/* sd-server-private.h — what sd-server-original*.c include: the route
 * and helper headers they use, and the forwards they still call on
 * req->server. Our own files include the small headers they need. */
#pragma once

#include "sd-server-guard.h"
#include "sd-server-order-link.h"
#include "sd-server-routes.h"
#include "sd-server-session.h"
#include "sd-server-tokens.h"

G_BEGIN_DECLS

/* ---- for sd-server-original*.c ---------------------------------------
 *
 * The original's routes still reach the server's state through
 * req->server; these forward to req->context's (sd-server.c). Our routes
 * use the context itself. */
SdServerStore        *sd_server_get_store  (SdServer   *self);
const SdServerConfig *sd_server_get_config (SdServer   *self);
/* sd_server_secrets_hmac() under the server's secrets. */
char                 *sd_server_hmac       (SdServer   *self,
                                            const char *secret_name,
                                            const char *text);
/* sd_server_tokens_check_access(), _new_access() and _expired(). */
gboolean sd_server_auth_check_token       (SdServer        *self,
                                           const char      *token,
                                           char           **out_user_id,
                                           gboolean        *out_is_admin);
char    *sd_server_auth_make_access_token (SdServer        *self,
                                           const char      *user_id);
gboolean sd_server_auth_token_expired     (SdServer        *self,
                                           const char      *token,
                                           gboolean         refresh);
/* sd_server_session_start() (sd-server-session.h). */
char    *sd_server_auth_start_session     (SdServer        *self,
                                           const char      *user_id,
                                           char           **out_refresh,
                                           GError         **error);

G_END_DECLS
