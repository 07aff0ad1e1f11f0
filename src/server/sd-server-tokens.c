/* sd-server-tokens.c — the JWTs of storedesk-server (see
 * sd-server-tokens.h). libjwt 1.10 checks neither the algorithm nor exp
 * by itself: open_token() does. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <jwt.h>
#include <string.h>

#include "sd-server-tokens.h"

#define TOKEN_MAX 4096

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
sd_server_refresh_claims_clear (SdServerRefreshClaims *claims)
{
  g_clear_pointer (&claims->user_id, g_free);
  g_clear_pointer (&claims->sid, g_free);
}

/* The jti of a family's generation: derived, so never stored. */
static char *
family_jti (SdServerContext *context, const char *sid, gint64 gen)
{
  g_autofree char *text = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, sid, gen);
  return sd_server_secrets_hmac (sd_server_context_get_secrets (context), SD_SECRET_REFRESH, text);
}

/* An HS256 JWT. Refresh tokens (sid != NULL) also carry the family id,
 * the generation and a jti derived from both, with typ "refresh". */
static char *
make_jwt (SdServerContext *context, const char *secret_name, const char *user_id, gint64 iat, gint64 exp,
          const char *sid, gint64 gen)
{
  GBytes *key = sd_server_secrets_get (sd_server_context_get_secrets (context), secret_name);
  jwt_t *jwt = NULL;
  char *raw, *token;

  if (jwt_new (&jwt) != 0)
    return NULL;
  if (user_id)
    jwt_add_grant (jwt, "id", user_id);
  jwt_add_grant_int (jwt, "iat", (long) iat);
  jwt_add_grant_int (jwt, "exp", (long) exp);
  if (sid)
    {
      g_autofree char *jti = family_jti (context, sid, gen);

      jwt_add_grant (jwt, "sid", sid);
      jwt_add_grant_int (jwt, "gen", (long) gen);
      jwt_add_grant (jwt, "jti", jti);
      jwt_add_grant (jwt, "typ", "refresh");
    }
  jwt_set_alg (jwt, JWT_ALG_HS256, g_bytes_get_data (key, NULL), (int) g_bytes_get_size (key));
  raw = jwt_encode_str (jwt);
  jwt_free (jwt);
  token = g_strdup (raw);
  free (raw);
  return token;
}

char *
sd_server_tokens_new_access (SdServerContext *context, const char *user_id)
{
  gint64 now = now_s ();

  return make_jwt (context, SD_SECRET_ACCESS, user_id, now, now + sd_server_context_get_config (context)->access_ttl,
                   NULL, 0);
}

char *
sd_server_tokens_new_refresh (SdServerContext *context, const char *user_id, const char *sid, gint64 gen,
                              gint64 iat, gint64 exp)
{
  return make_jwt (context, SD_SECRET_REFRESH, user_id, iat, exp, sid, gen);
}

/* The token decoded under the named secret, whatever its claims; NULL
 * when the signature does not check out. */
static jwt_t *
decode_token (SdServerContext *context, const char *secret_name, const char *token)
{
  GBytes *key = sd_server_secrets_get (sd_server_context_get_secrets (context), secret_name);
  jwt_t *jwt = NULL;

  if (token == NULL || strlen (token) > TOKEN_MAX ||
      jwt_decode (&jwt, token, g_bytes_get_data (key, NULL), (int) g_bytes_get_size (key)) != 0)
    return NULL;
  return jwt;
}

gboolean
sd_server_tokens_expired (SdServerContext *context, const char *token, gboolean refresh)
{
  jwt_t *jwt = decode_token (context, refresh ? SD_SECRET_REFRESH : SD_SECRET_ACCESS, token);
  gboolean expired;

  if (jwt == NULL)
    return FALSE;
  expired = jwt_get_alg (jwt) == JWT_ALG_HS256 && jwt_get_grant_int (jwt, "exp") <= now_s ();
  jwt_free (jwt);
  return expired;
}

/* Verifies signature, algorithm and expiry; returns the decoded token. */
static jwt_t *
open_token (SdServerContext *context, const char *secret_name, const char *token)
{
  jwt_t *jwt = decode_token (context, secret_name, token);

  if (jwt == NULL)
    return NULL;
  if (jwt_get_alg (jwt) != JWT_ALG_HS256 || jwt_get_grant_int (jwt, "exp") <= now_s () ||
      jwt_get_grant (jwt, "id") == NULL)
    {
      jwt_free (jwt);
      return NULL;
    }
  return jwt;
}

gboolean
sd_server_tokens_check_access (SdServerContext *context, const char *token, char **out_user_id,
                               gboolean *out_is_admin)
{
  jwt_t *jwt = open_token (context, SD_SECRET_ACCESS, token);
  gboolean ok = FALSE;

  if (jwt == NULL)
    return FALSE;
  if (jwt_get_grant (jwt, "typ") == NULL)
    {
      /* The user must still exist; the role is read fresh each time. */
      g_autofree char *role = sd_server_store_get_user_role (sd_server_context_get_store (context),
                                                             jwt_get_grant (jwt, "id"), NULL);
      if (role != NULL)
        {
          *out_user_id = g_strdup (jwt_get_grant (jwt, "id"));
          *out_is_admin = g_strcmp0 (role, "admin") == 0;
          ok = TRUE;
        }
    }
  jwt_free (jwt);
  return ok;
}

gboolean
sd_server_tokens_open_refresh (SdServerContext *context, const char *token, SdServerRefreshClaims *claims)
{
  jwt_t *jwt = token ? open_token (context, SD_SECRET_REFRESH, token) : NULL;
  const char *sid, *jti;
  gboolean ok = FALSE;

  if (jwt == NULL)
    return FALSE;
  sid = jwt_get_grant (jwt, "sid");
  jti = jwt_get_grant (jwt, "jti");
  if (g_strcmp0 (jwt_get_grant (jwt, "typ"), "refresh") == 0 && jti != NULL)
    {
      if (sid != NULL)
        {
          long gen;
          g_autofree char *expected = NULL;

          errno = 0;
          gen = jwt_get_grant_int (jwt, "gen");
          if (errno == 0)
            expected = family_jti (context, sid, gen);

          if (gen >= 0 && sd_str_equal_secret (jti, expected))
            {
              claims->sid = g_strdup (sid);
              claims->gen = gen;
              ok = TRUE;
            }
        }
      else
        {
          /* Issued before families: the jti was the row's id. */
          claims->sid = g_strdup (jti);
          claims->gen = 0;
          ok = TRUE;
        }
    }
  if (ok)
    claims->user_id = g_strdup (jwt_get_grant (jwt, "id"));
  jwt_free (jwt);
  return ok;
}

JsonNode *
sd_server_access_token_json (const char *token)
{
  JsonObject *o = json_object_new ();
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "accessToken", token);
  json_node_take_object (n, o);
  return n;
}
