/* sd-server-guard.c — what a script may try (see sd-server-guard.h).
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
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <crypt.h>
#include <string.h>
#include <sys/random.h>

#include "sd-server-guard.h"
#include "sd-server-mail.h"

#define CODE_MAX_TRIES       5           /* wrong tries that burn one code */

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

/* ---- counters ------------------------------------------------------- */

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

void
sd_server_reply_throttled (SdServerRequest *req, gint64 wait, const char *what)
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

/* ---- sign-in -------------------------------------------------------- */

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

/* ---- confirmation codes --------------------------------------------- */

static char *
code_hash (SdServerContext *context, const char *email, const char *code)
{
  g_autofree char *text = g_strconcat (email, "\n", code, NULL);
  return sd_server_secrets_hmac (sd_server_context_get_secrets (context), SD_SECRET_CODES, text);
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
  ok = once ? sd_server_store_issue_code_once (store, email, hash, SD_CODE_TTL, limits, G_N_ELEMENTS (limits),
                                               out_wait, &taken, error)
            : sd_server_store_issue_code (store, email, hash, SD_CODE_TTL, limits, G_N_ELEMENTS (limits),
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

SdAuthResult
sd_server_auth_check_code (SdServerRequest *req, const char *email, const char *code, gboolean consume,
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
    return SD_AUTH_ERROR;
  switch (check)
    {
    case SD_SERVER_CODE_RIGHT:
      return SD_AUTH_OK;
    case SD_SERVER_CODE_HELD:
      return SD_AUTH_HELD;
    case SD_SERVER_CODE_WRONG:
    default:
      return SD_AUTH_WRONG;
    }
}
