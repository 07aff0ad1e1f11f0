/* sd-server-auth.c — signing in and out (shared/API.md, auth): sign-in,
 * the access token's refresh, sign-out of this session or of every one;
 * and the table of every /auth route, whose other handlers live beside
 * this file: joining in sd-server-auth-signup.c, the account in
 * sd-server-auth-account.c.
 *
 * Access tokens (10 minutes) and refresh tokens (6 hours, in an HttpOnly
 * cookie) are JWTs (sd-server-tokens.c). A session is a family of
 * refresh tokens, rotated on each refresh (sd-server-session.c). Sign-out
 * ends one family; a password change, a reset, withdrawal and
 * sign-out-everywhere end all of a user's. Sign-ins are throttled
 * (sd-server-guard.c). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-auth.h"
#include "sd-server-guard.h"
#include "sd-server-session.h"

static void
sign_in (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *access = NULL;
  gboolean bad = FALSE;
  const char *email_in = sd_body_string (req, "email", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  gint64 wait;

  if (bad)
    return;
  if (email_in == NULL || password == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter your email address and password.");
  email = g_ascii_strdown (email_in, -1);
  switch (sd_server_auth_check_sign_in (req, email, password, &user_id, &wait, &error))
    {
    case SD_AUTH_ERROR:
      return sd_reply_internal (req, error);
    case SD_AUTH_HELD:
      return sd_server_reply_throttled (req, wait, "Too many failed sign-ins.");
    case SD_AUTH_OK:
      break;
    default:
      return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "The email address or password is wrong.");
    }
  access = sd_server_session_begin (req, user_id, &error);
  if (access == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, sd_server_access_token_json (access));
}

static void
refresh_access_token (SdServerRequest *req)
{
  const SdServerConfig *config = sd_request_config (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *refresh = NULL;

  /* [ext] rotation, with its grace window (sd-server-session.c). */
  switch (sd_server_session_refresh (req, config->rotate_refresh, &user_id, &refresh, &error))
    {
    case SD_SESSION_REFRESH_ERROR:
      return sd_reply_internal (req, error);
    case SD_SESSION_REFRESH_ENDED:
      return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Your session has ended; sign in again.");
    case SD_SESSION_REFRESH_OK:
      break;
    }
  if (refresh)
    sd_server_session_set_cookie (req, refresh, config->refresh_ttl);
  access = sd_server_tokens_new_access (req->context, user_id);
  if (access == NULL)
    return sd_reply_internal (req, NULL);
  sd_reply (req, SOUP_STATUS_OK, sd_server_access_token_json (access));
}

/* This session only: the family behind the cookie, whatever generation. */
static void
sign_out (SdServerRequest *req)
{
  g_auto(SdServerRefreshClaims) claims = { 0 };

  if (sd_server_session_open_cookie (req, &claims))
    sd_server_store_end_session (sd_request_store (req), claims.sid, claims.user_id, NULL);
  sd_server_session_set_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

/* [ext] every session of the signed-in user, on every device. */
static void
sign_out_everywhere (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!sd_server_store_end_sessions (sd_request_store (req), req->user_id, &error))
    return sd_reply_internal (req, error);
  sd_server_session_set_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

const SdRoute sd_server_auth_routes[] = {
  { "POST", SD_PATH_SIGN_UP, SD_ACCESS_PUBLIC, SD_BODY_JSON, sd_server_auth_sign_up },
  { "POST", SD_PATH_SIGN_IN, SD_ACCESS_PUBLIC, SD_BODY_JSON, sign_in },
  { "POST", SD_PATH_REFRESH, SD_ACCESS_PUBLIC, SD_BODY_NONE, refresh_access_token },
  { "POST", SD_PATH_SIGN_OUT, SD_ACCESS_PUBLIC, SD_BODY_NONE, sign_out },
  { "POST", SD_PATH_SIGN_OUT_EVERYWHERE, SD_ACCESS_USER, SD_BODY_NONE, sign_out_everywhere },
  { "GET", SD_PATH_ME, SD_ACCESS_USER, SD_BODY_NONE, sd_server_auth_get_me },
  { "PATCH", SD_PATH_ME, SD_ACCESS_USER, SD_BODY_JSON, sd_server_auth_patch_me },
  { "POST", SD_PATH_WITHDRAW, SD_ACCESS_USER, SD_BODY_NONE, sd_server_auth_withdraw },
  { "POST", SD_PATH_SEND_CODE, SD_ACCESS_PUBLIC, SD_BODY_JSON,
    sd_server_auth_send_confirmation },
  { "POST", SD_PATH_CONFIRM_EMAIL, SD_ACCESS_PUBLIC, SD_BODY_JSON, sd_server_auth_confirm_email },
  { "POST", SD_PATH_CHANGE_PASSWORD, SD_ACCESS_USER, SD_BODY_JSON, sd_server_auth_change_password },
  { "POST", SD_PATH_RESET_PASSWORD, SD_ACCESS_PUBLIC, SD_BODY_JSON, sd_server_auth_reset_password },
  { "GET", SD_PATH_ADMIN_USERS, SD_ACCESS_ADMIN, SD_BODY_NONE, sd_server_auth_list_users },
  { NULL }
};
