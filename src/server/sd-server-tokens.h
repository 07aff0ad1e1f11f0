/* sd-server-tokens.h — the JWTs of storedesk-server: issued and verified.
 *
 * Access tokens: HS256 JWT {id, iat, exp} under the "access" secret.
 * Refresh tokens: HS256 JWT {id, sid, gen, jti, iat, exp, typ} under the
 * "refresh" secret; the jti is derived from the session family (sid) and
 * its generation, so a family's token is rebuilt, never stored. */
#pragma once

#include "sd-server-context.h"

G_BEGIN_DECLS

/* A refresh token's claims, once its signature and expiry check out. */
typedef struct {
  char   *user_id;
  char   *sid;       /* the session family */
  gint64  gen;       /* its generation */
} SdServerRefreshClaims;

void      sd_server_refresh_claims_clear (SdServerRefreshClaims *claims);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdServerRefreshClaims, sd_server_refresh_claims_clear)

/* An access token for user_id, valid for --access-ttl; NULL user_id: one
 * without `id`. NULL on failure. */
char     *sd_server_tokens_new_access    (SdServerContext       *context,
                                          const char            *user_id);
/* The refresh token of generation gen of family sid. The same arguments
 * give the same bytes: rotation relies on it. */
char     *sd_server_tokens_new_refresh   (SdServerContext       *context,
                                          const char            *user_id,
                                          const char            *sid,
                                          gint64                 gen,
                                          gint64                 iat,
                                          gint64                 exp);
/* The user behind an access token, if it is valid and the user still
 * exists (the role is read fresh each time). */
gboolean  sd_server_tokens_check_access  (SdServerContext       *context,
                                          const char            *token,
                                          char                 **out_user_id,
                                          gboolean              *out_is_admin);
/* Signed with the access (or refresh) secret and HS256, but expired? */
gboolean  sd_server_tokens_expired       (SdServerContext       *context,
                                          const char            *token,
                                          gboolean               refresh);
/* A refresh token's claims, when it is one of ours and still valid. */
gboolean  sd_server_tokens_open_refresh  (SdServerContext       *context,
                                          const char            *token,
                                          SdServerRefreshClaims *claims);

/* {"accessToken": token}: what sign-in and refresh answer, in both modes. */
JsonNode *sd_server_access_token_json    (const char            *token);

G_END_DECLS
