/* sd-server-session.h — sign-in sessions: a family of refresh tokens in an
 * HttpOnly cookie, rotated on each refresh (see sd-server-session.c).
 * Both modes' auth routes use them. */
#pragma once

#include "sd-server-request.h"
#include "sd-server-tokens.h"

G_BEGIN_DECLS

typedef enum {
  SD_SESSION_REFRESH_OK,
  SD_SESSION_REFRESH_ENDED,   /* no valid cookie, or its session is over */
  SD_SESSION_REFRESH_ERROR,
} SdServerSessionRefresh;

/* A new session for user_id: *out_refresh its refresh token; returns the
 * access token. */
char                  *sd_server_session_start       (SdServerContext       *context,
                                                      const char            *user_id,
                                                      char                 **out_refresh,
                                                      GError               **error);
/* The same, with the refresh cookie set on the reply. */
char                  *sd_server_session_begin       (SdServerRequest       *req,
                                                      const char            *user_id,
                                                      GError               **error);
/* Checks the cookie's token against its family and, when rotate, moves
 * the family on; *out_token: the refresh token to set (NULL: keep). */
SdServerSessionRefresh sd_server_session_refresh     (SdServerRequest       *req,
                                                      gboolean               rotate,
                                                      char                 **out_user_id,
                                                      char                 **out_token,
                                                      GError               **error);
/* The claims of the request's refresh cookie, when it holds a valid token. */
gboolean               sd_server_session_open_cookie (SdServerRequest       *req,
                                                      SdServerRefreshClaims *claims);
/* Sets the refresh cookie on the reply; NULL and 0 clear it. */
void                   sd_server_session_set_cookie  (SdServerRequest       *req,
                                                      const char            *token,
                                                      guint                  max_age);
/* The user of the request's refresh cookie, never rotated; NULL: none,
 * or it is over (*error set only for a fault). */
char                  *sd_server_auth_refresh_user   (SdServerRequest       *req,
                                                      GError               **error);

G_END_DECLS
