/* sd-server-auth.c — accounts, sign-in and tokens (shared/API.md, auth).
 *
 * Access tokens: HS256 JWT {id, iat, exp}, 10 minutes, under the "access"
 * secret. Refresh tokens: HS256 JWT {id, sid, gen, jti, iat, exp, typ},
 * 6 hours, under the "refresh" secret, in an HttpOnly cookie. A row in
 * sessions is a family: each refresh rotates it to the next generation,
 * and a generation's token is derived, never stored (see "sessions").
 * Sign-out ends one family; a password change, a reset, withdrawal and
 * sign-out-everywhere end all of a user's. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <crypt.h>
#include <string.h>
#include <sys/random.h>

#include "sd-server-mail.h"
#include "sd-server-private.h"
#include "sd-server-tokens.h"

#define CONFIRMED_MESSAGE   "이메일이 성공적으로 인증되었습니다."   /* the original's success */
#define CODE_TTL            300         /* confirmation codes: 5 minutes */
#define CODE_MAX_TRIES      5           /* wrong tries that burn one code */
#define CONFIRMED_TTL       1800        /* sign up within 30 minutes */
#define REFRESH_GRACE       30          /* a rotated refresh token still answers */
#define REFRESH_COOKIE      "refreshToken"
#define COOKIE_PATH         "/api/v1/auth"

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- passwords ------------------------------------------------------ */

/* yescrypt (ours) and bcrypt $2b$ (imported from the original) alike. */
static gboolean
check_password (const char *password, const char *hash)
{
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  gboolean ok = FALSE;

  if (crypt_r (password, hash, data) != NULL && data->output[0] != '*')
    ok = sd_str_equal_secret (data->output, hash);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return ok;
}

/* ---- the refresh cookie ----------------------------------------- */

static void
set_refresh_cookie (SdServerRequest *req, const char *token, guint max_age)
{
  g_autofree char *cookie = g_strdup_printf (REFRESH_COOKIE "=%s; Max-Age=%u; Path=" COOKIE_PATH
                                             "; HttpOnly; SameSite=Strict%s",
                                             token ? token : "", max_age,
                                             req->https ? "; Secure" : "");
  sd_reply_add_header (req, "Set-Cookie", cookie);
}

/* ---- sessions ---------------------------------------------------------
 *
 * A sessions row is a family: (id, user, generation, rotated_at,
 * expires_at). The refresh token of generation g is
 * sd_server_tokens_new_refresh (sid = id, gen = g, iat = rotated_at,
 * exp = expires_at), with
 * jti = HMAC (refresh secret, id + g): rebuilt from the row whenever it
 * is needed, byte for byte, never stored.
 *
 * A refresh with the current generation rotates the family to g + 1 (new
 * rotated_at and expires_at). One with the previous generation within
 * REFRESH_GRACE seconds of that rotation is a parallel refresh (two
 * browser tabs, or a reply lost on the way): it gets the current token,
 * the very one the winner got. Anything older, or the previous one after
 * the grace window, is a token used twice: it may have been stolen, so
 * the whole family is revoked (401). A refresh never clears the cookie: a
 * loser's reply must not wipe the winner's newer token in a browser. */

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

static gboolean
open_refresh_cookie (SdServerRequest *req, SdServerRefreshClaims *claims)
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

/* A new session: the refresh cookie on the reply, the access token returned. */
static char *
start_session (SdServerRequest *req, const char *user_id, GError **error)
{
  g_autofree char *refresh = NULL;
  char *access = sd_server_session_start (req->context, user_id, &refresh, error);

  if (access != NULL)
    set_refresh_cookie (req, refresh, sd_request_config (req)->refresh_ttl);
  return access;
}

typedef enum { REFRESH_OK, REFRESH_ENDED, REFRESH_ERROR } RefreshResult;

/* Checks the cookie's token against its family and, when rotate, moves
 * the family on; *out_token: the refresh token to set (NULL: keep). */
static RefreshResult
use_refresh_token (SdServerRequest *req, gboolean rotate, char **out_user_id, char **out_token, GError **error)
{
  const SdServerConfig *config = sd_request_config (req);
  g_auto(SdServerRefreshClaims) claims = { 0 };
  g_auto(SdServerSession) session = { 0 };
  SdServerRefresh outcome;

  *out_user_id = NULL;
  *out_token = NULL;
  if (!open_refresh_cookie (req, &claims))
    return REFRESH_ENDED;
  if (!sd_server_store_refresh_session (sd_request_store (req), claims.sid, claims.user_id, claims.gen, rotate,
                                        REFRESH_GRACE, config->refresh_ttl, &outcome, &session, error))
    return REFRESH_ERROR;
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
      return REFRESH_OK;
    case SD_SERVER_REFRESH_SPENT:
      g_message ("a spent refresh token came back; that session is revoked everywhere");
      return REFRESH_ENDED;
    case SD_SERVER_REFRESH_ENDED:
    default:
      return REFRESH_ENDED;
    }
}

char *
sd_server_auth_refresh_user (SdServerRequest *req, GError **error)
{
  g_autofree char *user_id = NULL;
  g_autofree char *refresh = NULL;

  if (use_refresh_token (req, FALSE, &user_id, &refresh, error) != REFRESH_OK)
    return NULL;
  return g_steal_pointer (&user_id);
}

/* ---- throttles -------------------------------------------------------
 *
 * What a script may try, counted in SQLite (throttle_events) so that every
 * worker thread and every node on the database sees the same counts. A row
 * is one event: a code sent, a failed sign-in, a wrong code. Its key is an
 * HMAC (under the codes secret) of the email, the client address
 * (sd_request_client: the peer, or what a --trusted-proxy put in
 * X-Forwarded-For) or both, so the table keeps no list of who tried from
 * where. Windows slide; rows older than the longest (1 hour) are pruned
 * whenever one is added. Refusals are 429 with Retry-After in seconds:
 * when the oldest event that makes the limit ages out.
 *
 * Codes sent (send-confirmation-email): 5 per email and 20 per client
 * address an hour. Stops the mail bomb and caps fresh codes to guess at.
 *
 * Sign-in: no one can lock the real user out.
 * - Per (email, client address) pair: 5 failures in 15 minutes, then 429
 *   for that pair only. The attacker's address waits; the user's doesn't.
 * - Per email, from any address: after 10 failures in the last hour, an
 *   exponential backoff: 2^(failures - 10) seconds after the latest
 *   failure, at most 5 minutes. It holds only pairs that have failed in
 *   the last 15 minutes: a correct password from an address with no recent
 *   failure is always checked, so an attacker spraying from many addresses
 *   stops nobody from signing in from their own; a user who mistyped
 *   waits at most 5 minutes. Each fresh address gets the attacker one
 *   checked guess per 15 minutes, the backoff one more per 5 minutes: a
 *   botnet still needs a reverse proxy in front (docs).
 * - Parallel tries cannot slip past a count: an attempt is counted as a
 *   failure before the password is checked (in the same transaction as
 *   the check of the counts), and uncounted when it was right.
 *
 * Codes (confirm-email and reset-password share these counters):
 * - a code is burned after 5 wrong tries;
 * - per email, across codes, routes and addresses: 10 wrong tries an hour,
 *   then 429, the right code included. A new code resets nothing. This one
 *   is hard on purpose: a 6-digit code falls to enough guesses, wherever
 *   they come from. Its worst case for the real user is an hour without
 *   the code flows; signing in with the password is never held by it.
 * - per (email, client address) pair: 5 wrong tries in 15 minutes.
 * - a guess is counted in the same transaction that compares it, so
 *   parallel guesses at one code cannot each find it untried.
 * - compared in constant time (an HMAC of email and code). */

#define SEND_WINDOW          3600
#define SEND_PER_EMAIL       5
#define SEND_PER_CLIENT      20
#define PAIR_WINDOW          900
#define PAIR_FAILURES        5
#define EMAIL_WINDOW         3600
#define EMAIL_FREE_FAILURES  10
#define EMAIL_MAX_DELAY      300
#define CODE_WINDOW          3600
#define CODE_WRONG_PER_EMAIL 10

#define KIND_SEND_EMAIL      "send-email"
#define KIND_SEND_CLIENT     "send-client"
#define KIND_SIGN_IN_PAIR    "sign-in-pair"
#define KIND_SIGN_IN_EMAIL   "sign-in-email"
#define KIND_CODE_PAIR       "code-pair"
#define KIND_CODE_EMAIL      "code-email"

/* The key of a counter: one or two identities, as an HMAC. */
static char *
throttle_key (SdServerContext *context, const char *what, const char *a, const char *b)
{
  g_autofree char *text = g_strconcat ("throttle\n", what, "\n", a, "\n", b ? b : "", NULL);
  return sd_server_secrets_hmac (sd_server_context_get_secrets (context), SD_SECRET_CODES, text);
}

/* A limit of the policy above on one counter. */
static SdServerThrottle
throttle (const char *kind, const char *key, guint window, guint limit)
{
  return (SdServerThrottle) { .kind = kind, .key = key, .window = window, .limit = limit };
}

/* 429 with Retry-After: what is refused, and when to try again. */
static void
reply_throttled (SdServerRequest *req, gint64 wait, const char *what)
{
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
  g_autofree char *message = NULL;
  gint64 minutes = (wait + 59) / 60;

  if (wait < 60)
    message = g_strdup_printf ("%s Try again in %" G_GINT64_FORMAT " seconds.", what, wait);
  else
    message = g_strdup_printf ("%s Try again in %" G_GINT64_FORMAT " minute%s.", what, minutes,
                               minutes == 1 ? "" : "s");
  sd_reply_set_header (req, "Retry-After", after);
  sd_reply_error (req, 429, message);
}

/* ---- confirmation codes --------------------------------------------- */

static char *
code_hash (SdServerContext *context, const char *email, const char *code)
{
  g_autofree char *text = g_strconcat (email, "\n", code, NULL);
  return sd_server_secrets_hmac (sd_server_context_get_secrets (context), SD_SECRET_CODES, text);
}

typedef enum { CODE_OK, CODE_WRONG, CODE_THROTTLED, CODE_ERROR } CodeCheck;

/* Checks a code (see "throttles"); consume: delete it when right, else
 * mark the email confirmed. *out_wait: seconds, when CODE_THROTTLED. */
static CodeCheck
check_code (SdServerRequest *req, const char *email, const char *code, gboolean consume,
            gint64 *out_wait, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (email, -1);   /* one count whatever the case */
  g_autofree char *email_key = throttle_key (req->context, "email", lower, NULL);
  g_autofree char *pair_key = throttle_key (req->context, "pair", lower, sd_request_client (req));
  g_autofree char *hash = sd_field_is_code (code) ? code_hash (req->context, email, code) : NULL;
  const SdServerThrottle limits[] = {
    throttle (KIND_CODE_EMAIL, email_key, CODE_WINDOW, CODE_WRONG_PER_EMAIL),
    throttle (KIND_CODE_PAIR, pair_key, PAIR_WINDOW, PAIR_FAILURES),
  };
  SdServerCodeCheck check;

  if (!sd_server_store_check_code (sd_request_store (req), email, hash, consume, CODE_MAX_TRIES,
                                   limits, G_N_ELEMENTS (limits), &check, out_wait, error))
    return CODE_ERROR;
  switch (check)
    {
    case SD_SERVER_CODE_RIGHT:
      return CODE_OK;
    case SD_SERVER_CODE_HELD:
      return CODE_THROTTLED;
    case SD_SERVER_CODE_WRONG:
    default:
      return CODE_WRONG;
    }
}

SdAuthResult
sd_server_auth_check_code (SdServerRequest *req, const char *email, const char *code, gboolean consume,
                           gint64 *out_wait, GError **error)
{
  switch (check_code (req, email, code, consume, out_wait, error))
    {
    case CODE_OK:
      return SD_AUTH_OK;
    case CODE_THROTTLED:
      return SD_AUTH_HELD;
    case CODE_WRONG:
      return SD_AUTH_WRONG;
    case CODE_ERROR:
    default:
      return SD_AUTH_ERROR;
    }
}

/* ---- field checks --------------------------------------------------- */

/* A lower-cased, valid email from the body, or NULL with a 400 sent. */
static char *
body_email (SdServerRequest *req)
{
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);

  if (bad)
    return NULL;
  if (!sd_field_is_email (email))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a valid email address.");
      return NULL;
    }
  return g_ascii_strdown (email, -1);
}

static gboolean
check_new_password (SdServerRequest *req, const char *password, const char *confirm)
{
  if (!sd_field_is_password (password))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                      "The password must be 8 to 16 characters: letters, digits and ! @ # $ % ^ & * ( ) - _ + = < > ?");
      return FALSE;
    }
  if (confirm != NULL && strcmp (password, confirm) != 0)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The two passwords differ.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_text (SdServerRequest *req, const char *value, const char *what, gsize max, gboolean required)
{
  if ((required && (value == NULL || *value == '\0')) ||
      (value && (g_utf8_strlen (value, -1) > (glong) max || !g_utf8_validate (value, -1, NULL))))
    {
      g_autofree char *m = g_strdup_printf ("Enter %s (at most %" G_GSIZE_FORMAT " characters).", what, max);
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name (SdServerRequest *req, const char *name)
{
  if (!sd_field_is_name (name))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a name of 2 to 30 letters.");
      return FALSE;
    }
  return TRUE;
}

static char *
check_phone (SdServerRequest *req, const char *phone)
{
  char *normal = sd_field_normalize_phone (phone);

  if (normal == NULL)
    sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a mobile number: 010 and 8 digits.");
  return normal;
}

/* ---- routes --------------------------------------------------------- */

static void
sign_up (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *phone = NULL;
  g_autofree char *id = NULL;
  gboolean bad = FALSE;
  const char *name = sd_body_string (req, "name", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);
  SdServerUserInput in;

  if (email == NULL || bad || !check_name (req, name) ||
      (phone = check_phone (req, phone_in)) == NULL ||
      !check_new_password (req, password, NULL) ||
      !check_text (req, address, "an address", 200, TRUE) ||
      !check_text (req, detail, "the address details", 200, FALSE))
    return;

  in = (SdServerUserInput) {
    .email = email, .password = password, .name = name, .phone_number = phone,
    .address = address, .address_detail = detail, .role = "user",
  };
  /* [fix] only a confirmed address may sign up. */
  id = sd_server_store_sign_up (store, &in, CONFIRMED_TTL, FALSE, &error);
  if (id == NULL)
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "Confirm your email address first.");
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "This email address is already registered.");
      return sd_reply_internal (req, error);
    }
  sd_reply (req, SOUP_STATUS_CREATED, sd_server_store_get_user (store, id, NULL));
}

SdAuthResult
sd_server_auth_check_sign_in (SdServerRequest *req, const char *email, const char *password, char **out_user_id,
                              gint64 *out_wait, GError **error)
{
  SdServerStore *store = sd_request_store (req);
  g_autofree char *lower = g_ascii_strdown (email, -1);
  g_autofree char *email_key = throttle_key (req->context, "email", lower, NULL);
  g_autofree char *pair_key = throttle_key (req->context, "pair", lower, sd_request_client (req));
  g_autofree char *user_id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) local = NULL;
  SdServerThrottle pair, by_email;
  SdServerSignInAttempt attempt;

  pair = throttle (KIND_SIGN_IN_PAIR, pair_key, PAIR_WINDOW, PAIR_FAILURES);
  by_email = throttle (KIND_SIGN_IN_EMAIL, email_key, EMAIL_WINDOW, EMAIL_FREE_FAILURES);

  /* The counts, and this attempt counted as a failure, in one step. */
  if (!sd_server_store_begin_sign_in (store, &pair, &by_email, EMAIL_MAX_DELAY, out_wait, &attempt, error))
    return SD_AUTH_ERROR;
  if (*out_wait > 0)
    return SD_AUTH_HELD;

  if (!sd_server_store_find_user (store, email, &user_id, &hash, &local) &&
      !g_error_matches (local, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return SD_AUTH_ERROR;
    }

  /* The same work whether or not the address exists (hashing costs what
   * checking does), and the same answer too. */
  if (hash == NULL)
    g_free (sd_server_hash_password (password, NULL));
  if (hash == NULL || !check_password (password, hash))
    return SD_AUTH_WRONG;

  /* Right: this attempt was no failure, and the pair starts afresh. The
   * email's count keeps others' failures: they were real. */
  sd_server_store_sign_in_succeeded (store, &pair, &attempt);
  *out_user_id = g_steal_pointer (&user_id);
  return SD_AUTH_OK;
}

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
      return reply_throttled (req, wait, "Too many failed sign-ins.");
    case SD_AUTH_OK:
      break;
    default:
      return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "The email address or password is wrong.");
    }
  access = start_session (req, user_id, &error);
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

  /* [ext] rotation, with its grace window (see "sessions"). */
  switch (use_refresh_token (req, config->rotate_refresh, &user_id, &refresh, &error))
    {
    case REFRESH_ERROR:
      return sd_reply_internal (req, error);
    case REFRESH_ENDED:
      return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Your session has ended; sign in again.");
    case REFRESH_OK:
      break;
    }
  if (refresh)
    set_refresh_cookie (req, refresh, config->refresh_ttl);
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

  if (open_refresh_cookie (req, &claims))
    sd_server_store_end_session (sd_request_store (req), claims.sid, claims.user_id, NULL);
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

/* [ext] every session of the signed-in user, on every device. */
static void
sign_out_everywhere (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!sd_server_store_end_sessions (sd_request_store (req), req->user_id, &error))
    return sd_reply_internal (req, error);
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

static void
get_me (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *user = sd_server_store_get_user (sd_request_store (req), req->user_id, &error);

  if (user == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, user);
}

static void
patch_me (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = sd_server_store_get_user_email (store, req->user_id, NULL);
  g_autofree char *phone = NULL;
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *name = sd_body_string (req, "name", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);
  SdServerUserChanges changes;

  if (bad)
    return;
  if (password && *password == '\0')
    password = NULL;   /* "" means no change, as on the original */
  /* [fix] always the token's user; the email is not an identifier here. */
  if (email && g_ascii_strcasecmp (email, own ? own : "") != 0)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The email address cannot be changed.");
  if ((name && !check_name (req, name)) ||
      (phone_in && (phone = check_phone (req, phone_in)) == NULL) ||
      (address && !check_text (req, address, "an address", 200, TRUE)) ||
      !check_text (req, detail, "the address details", 200, FALSE) ||
      (password && !check_new_password (req, password, NULL)))
    return;

  /* A new password signs whoever knew the old one out everywhere. */
  changes = (SdServerUserChanges) {
    .name = name, .phone_number = phone, .address = address, .address_detail = detail, .password = password,
  };
  if (!sd_server_store_update_user (store, req->user_id, &changes, &error))
    return sd_reply_internal (req, error);
  get_me (req);
}

static void
withdraw (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  /* Sessions go with the user; orders keep their data. */
  if (!sd_server_store_delete_user (sd_request_store (req), req->user_id, &error) &&
      !g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_reply_internal (req, error);
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

SdAuthResult
sd_server_auth_send_code (SdServerRequest *req, const char *email, gboolean once, gint64 *out_wait, GError **error)
{
  SdServerStore *store = sd_request_store (req);
  g_autofree char *hash = NULL;
  g_autofree char *body = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *client_key = NULL;
  g_autofree char *lower = g_ascii_strdown (email, -1);   /* one count whatever the case */
  SdServerThrottle limits[2];
  char code[7];
  guint32 r;
  gboolean ok, taken = FALSE;

  email_key = throttle_key (req->context, "email", lower, NULL);
  client_key = throttle_key (req->context, "client", sd_request_client (req), NULL);
  limits[0] = throttle (KIND_SEND_EMAIL, email_key, SEND_WINDOW, SEND_PER_EMAIL);
  limits[1] = throttle (KIND_SEND_CLIENT, client_key, SEND_WINDOW, SEND_PER_CLIENT);
  do
    {
      if (getrandom (&r, sizeof r, 0) != sizeof r)
        return SD_AUTH_ERROR;
    }
  while (r >= 4294000000u);   /* uniform over 000000..999999 */
  g_snprintf (code, sizeof code, "%06u", r % 1000000);
  hash = code_hash (req->context, email, code);

  /* The counts and the new code in one step (see "throttles"). */
  ok = once ? sd_server_store_issue_code_once (store, email, hash, CODE_TTL, limits, G_N_ELEMENTS (limits),
                                               out_wait, &taken, error)
            : sd_server_store_issue_code (store, email, hash, CODE_TTL, limits, G_N_ELEMENTS (limits),
                                          out_wait, error);
  if (!ok || *out_wait > 0 || taken)
    {
      explicit_bzero (code, sizeof code);
      return !ok ? SD_AUTH_ERROR : taken ? SD_AUTH_TAKEN : SD_AUTH_HELD;
    }

  body = g_strdup_printf ("Your Storedesk confirmation code is %s.\r\n"
                          "It is valid for 5 minutes.\r\n\r\n"
                          "Storedesk 확인 코드는 %s입니다. 5분 동안 쓸 수 있습니다.\r\n", code, code);
  sd_server_mail_send (req->context, email, "Storedesk confirmation code", body);
  explicit_bzero (code, sizeof code);
  explicit_bzero (body, strlen (body));
  return SD_AUTH_OK;
}

static void
send_confirmation_email (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  gint64 wait;

  if (email == NULL)
    return;
  switch (sd_server_auth_send_code (req, email, FALSE, &wait, &error))
    {
    case SD_AUTH_OK:
      break;
    case SD_AUTH_HELD:
      return reply_throttled (req, wait, "Too many codes were asked for.");
    default:
      return sd_reply_internal (req, error);
    }

  {
    JsonObject *o = json_object_new ();
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);

    json_object_set_int_member (o, "expiresIn", CODE_TTL);
    json_node_take_object (n, o);
    sd_reply (req, SOUP_STATUS_OK, n);
  }
}

static void
confirm_email (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  gboolean bad = FALSE;
  const char *code = sd_body_string (req, "inputNumber", &bad);
  gint64 wait;

  if (email == NULL || bad)
    return;
  switch (check_code (req, email, code, FALSE, &wait, &error))
    {
    case CODE_OK:
      /* The original's words: its web front end compares them (join.js:162). */
      sd_reply (req, SOUP_STATUS_OK, json_node_init_string (json_node_alloc (), CONFIRMED_MESSAGE));
      break;
    case CODE_THROTTLED:
      reply_throttled (req, wait, "Too many wrong codes for this email address.");
      break;
    case CODE_WRONG:
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
      break;
    case CODE_ERROR:
      sd_reply_internal (req, error);
      break;
    }
}

static void
change_password (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = sd_server_store_get_user_email (store, req->user_id, NULL);
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);
  const char *password = sd_body_string (req, "newPassword", &bad);
  const char *confirm = sd_body_string (req, "newPasswordConfirm", &bad);

  if (bad)
    return;
  /* [fix] the token's user only. */
  if (email && g_ascii_strcasecmp (email, own ? own : "") != 0)
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "You can only change your own password.");
  if (!check_new_password (req, password, confirm ? confirm : ""))
    return;
  /* Whoever knew the old password is signed out everywhere, this session too. */
  if (!sd_server_store_set_password (store, req->user_id, password, &error))
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}

static void
reset_password (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *user_id = NULL;
  gboolean bad = FALSE;
  gint64 wait;
  const char *code = sd_body_string (req, "inputNumber", &bad);
  const char *password = sd_body_string (req, "newPassword", &bad);
  const char *confirm = sd_body_string (req, "newPasswordConfirm", &bad);

  if (email == NULL || bad || !check_new_password (req, password, confirm ? confirm : ""))
    return;
  switch (check_code (req, email, code, TRUE, &wait, &error))
    {
    case CODE_ERROR:
      return sd_reply_internal (req, error);
    case CODE_THROTTLED:
      return reply_throttled (req, wait, "Too many wrong codes for this email address.");
    case CODE_WRONG:
      return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
    case CODE_OK:
      break;
    }
  if (!sd_server_store_find_user (store, email, &user_id, NULL, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
      return sd_reply_internal (req, error);
    }
  /* Whoever knew the old password is signed out everywhere. */
  if (!sd_server_store_set_password (store, user_id, password, &error))
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}

static void
list_users (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  /* [fix] never a password hash. */
  JsonNode *users = sd_server_store_list_users (sd_request_store (req), &error);

  if (users == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, users);
}

const SdRoute sd_server_auth_routes[] = {
  { "POST", "/api/v1/auth/sign-up", SD_ACCESS_PUBLIC, SD_BODY_JSON, sign_up },
  { "POST", "/api/v1/auth/sign-in", SD_ACCESS_PUBLIC, SD_BODY_JSON, sign_in },
  { "POST", "/api/v1/auth/refresh-access-token", SD_ACCESS_PUBLIC, SD_BODY_NONE, refresh_access_token },
  { "POST", "/api/v1/auth/sign-out", SD_ACCESS_PUBLIC, SD_BODY_NONE, sign_out },
  { "POST", "/api/v1/auth/sign-out-everywhere", SD_ACCESS_USER, SD_BODY_NONE, sign_out_everywhere },
  { "GET", "/api/v1/auth/me", SD_ACCESS_USER, SD_BODY_NONE, get_me },
  { "PATCH", "/api/v1/auth/me", SD_ACCESS_USER, SD_BODY_JSON, patch_me },
  { "POST", "/api/v1/auth/withdraw", SD_ACCESS_USER, SD_BODY_NONE, withdraw },
  { "POST", "/api/v1/auth/send-confirmation-email", SD_ACCESS_PUBLIC, SD_BODY_JSON, send_confirmation_email },
  { "POST", "/api/v1/auth/confirm-email", SD_ACCESS_PUBLIC, SD_BODY_JSON, confirm_email },
  { "POST", "/api/v1/auth/change-password", SD_ACCESS_USER, SD_BODY_JSON, change_password },
  { "POST", "/api/v1/auth/reset-password", SD_ACCESS_PUBLIC, SD_BODY_JSON, reset_password },
  { "GET", "/api/v1/admin/userInfo", SD_ACCESS_ADMIN, SD_BODY_NONE, list_users },
  { NULL }
};
