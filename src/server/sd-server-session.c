/* sd-server-session.c — sign-in sessions (see sd-server-session.h).
 *
 * A sessions row is a family: (id, user, generation, rotated_at,
 * expires_at). The refresh token of generation g is
 * sd_server_tokens_new_refresh (sid = id, gen = g, iat = rotated_at,
 * exp = expires_at), with jti = HMAC (refresh secret, id + g): rebuilt
 * from the row whenever it is needed, byte for byte, never stored.
 *
 * A refresh with the current generation rotates the family to g + 1 (new
 * rotated_at and expires_at). One with the previous generation within
 * REFRESH_GRACE seconds of that rotation is a parallel refresh (two
 * browser tabs, or a reply lost on the way): it gets the current token,
 * the very one the winner got. Anything older, or the previous one after
 * the grace window, is a token used twice: it may have been stolen, so
 * the whole family is revoked (401). A refresh never clears the cookie: a
 * loser's reply must not wipe the winner's newer token in a browser. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-session.h"

#define REFRESH_GRACE       30          /* a rotated refresh token still answers */
#define REFRESH_COOKIE      "refreshToken"
#define COOKIE_PATH         SD_PATH_AUTH

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
sd_server_session_set_cookie (SdServerRequest *req, const char *token, guint max_age)
{
  g_autofree char *cookie = g_strdup_printf (REFRESH_COOKIE "=%s; Max-Age=%u; Path=" COOKIE_PATH
                                             "; HttpOnly; SameSite=Strict%s",
                                             token ? token : "", max_age,
                                             req->https ? "; Secure" : "");
  sd_reply_add_header (req, "Set-Cookie", cookie);
}

static char *
cookie_value (SdServerRequest *req, const char *name)
{
  const char *header = sd_request_header (req, "Cookie");
  g_autoptr(GHashTable) params = NULL;

  if (header == NULL)
    return NULL;
  params = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (params, name));
}

gboolean
sd_server_session_open_cookie (SdServerRequest *req, SdServerRefreshClaims *claims)
{
  g_autofree char *token = cookie_value (req, REFRESH_COOKIE);

  return sd_server_tokens_open_refresh (req->context, token, claims);
}

char *
sd_server_session_start (SdServerContext *context, const char *user_id, char **out_refresh, GError **error)
{
  const SdServerConfig *config = sd_server_context_get_config (context);
  g_autofree char *sid = sd_random_hex (16);
  gint64 now = now_s ();
  g_autofree char *refresh = sd_server_tokens_new_refresh (context, user_id, sid, 0, now, now + config->refresh_ttl);
  char *access;

  if (refresh == NULL ||
      !sd_server_store_create_session (sd_server_context_get_store (context), sid, user_id, now,
                                       now + config->refresh_ttl, error))
    return NULL;
  access = sd_server_tokens_new_access (context, user_id);
  if (access != NULL)
    *out_refresh = g_steal_pointer (&refresh);
  return access;
}

char *
sd_server_session_begin (SdServerRequest *req, const char *user_id, GError **error)
{
  g_autofree char *refresh = NULL;
  char *access = sd_server_session_start (req->context, user_id, &refresh, error);

  if (access != NULL)
    sd_server_session_set_cookie (req, refresh, sd_request_config (req)->refresh_ttl);
  return access;
}

SdServerSessionRefresh
sd_server_session_refresh (SdServerRequest *req, gboolean rotate, char **out_user_id, char **out_token, GError **error)
{
  const SdServerConfig *config = sd_request_config (req);
  g_auto(SdServerRefreshClaims) claims = { 0 };
  g_auto(SdServerSession) session = { 0 };
  SdServerRefresh outcome;

  *out_user_id = NULL;
  *out_token = NULL;
  if (!sd_server_session_open_cookie (req, &claims))
    return SD_SESSION_REFRESH_ENDED;
  if (!sd_server_store_refresh_session (sd_request_store (req), claims.sid, claims.user_id, claims.gen, rotate,
                                        REFRESH_GRACE, config->refresh_ttl, &outcome, &session, error))
    return SD_SESSION_REFRESH_ERROR;
  switch (outcome)
    {
    case SD_SERVER_REFRESH_ROTATED:
    case SD_SERVER_REFRESH_PARALLEL:
      /* The new token; for a parallel refresh, the winner's, rebuilt. */
      *out_token = sd_server_tokens_new_refresh (req->context, session.user_id, claims.sid, session.generation,
                                                 session.rotated_at, session.expires_at);
      G_GNUC_FALLTHROUGH;
    case SD_SERVER_REFRESH_CURRENT:
      *out_user_id = g_steal_pointer (&session.user_id);
      return SD_SESSION_REFRESH_OK;
    case SD_SERVER_REFRESH_SPENT:
      g_message ("a spent refresh token came back; that session is revoked everywhere");
      return SD_SESSION_REFRESH_ENDED;
    case SD_SERVER_REFRESH_ENDED:
    default:
      return SD_SESSION_REFRESH_ENDED;
    }
}

char *
sd_server_auth_refresh_user (SdServerRequest *req, GError **error)
{
  g_autofree char *user_id = NULL;
  g_autofree char *refresh = NULL;

  if (sd_server_session_refresh (req, FALSE, &user_id, &refresh, error) != SD_SESSION_REFRESH_OK)
    return NULL;
  return g_steal_pointer (&user_id);
}
