/* sd-server-private.h — what the route modules of storedesk-server share
 * that has no header of its own yet, and what sd-server-original*.c still
 * reach through req->server. */
#pragma once

#include "sd-server-mail.h"
#include "sd-server-routes.h"
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
/* sd_server_session_start(). */
char    *sd_server_auth_start_session     (SdServer        *self,
                                           const char      *user_id,
                                           char           **out_refresh,
                                           GError         **error);

/* What the original's mode (sd-server-original-auth.c) shares with
 * ours: the same tokens, sessions, codes and throttles. */
typedef enum {
  SD_AUTH_OK,
  SD_AUTH_WRONG,      /* wrong password or code; no such account or code */
  SD_AUTH_HELD,       /* a throttle holds it: *out_wait seconds */
  SD_AUTH_TAKEN,      /* a code is live already (sd_server_auth_send_code, once) */
  SD_AUTH_ERROR,
} SdAuthResult;

/* The throttled password check of a sign-in; email matched as given. */
SdAuthResult sd_server_auth_check_sign_in     (SdServerRequest *req,
                                               const char      *email,
                                               const char      *password,
                                               char           **out_user_id,
                                               gint64          *out_wait,
                                               GError         **error);
/* A new session: *out_refresh its refresh token; the access token. */
char        *sd_server_session_start          (SdServerContext *context,
                                               const char      *user_id,
                                               char           **out_refresh,
                                               GError         **error);
/* The user of the request's refresh cookie, never rotated; NULL: none,
 * or it is over (*error set only for a fault). */
char        *sd_server_auth_refresh_user      (SdServerRequest *req,
                                               GError         **error);
/* A code mailed to email, counted by the throttles; once: not while
 * one is live (SD_AUTH_TAKEN). */
SdAuthResult sd_server_auth_send_code         (SdServerRequest *req,
                                               const char      *email,
                                               gboolean         once,
                                               gint64          *out_wait,
                                               GError         **error);
/* A code checked (consume: used up when right, else the email is
 * confirmed), counted by the throttles. */
SdAuthResult sd_server_auth_check_code        (SdServerRequest *req,
                                               const char      *email,
                                               const char      *code,
                                               gboolean         consume,
                                               gint64          *out_wait,
                                               GError         **error);

/* Orders (sd-server-orders.c), [ext] --order-links, in both modes: may
 * anyone who has this order's id read it? And what such a read answers
 * (the receiver hidden, no cache, no Referer). */
gboolean    sd_server_order_link_readable (SdServerRequest          *req,
                                           const SdServerOrderOwner *owner);
void        sd_server_order_link_reply    (SdServerRequest          *req,
                                           JsonNode                 *order);

G_END_DECLS
