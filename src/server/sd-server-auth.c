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
#include <errno.h>
#include <jwt.h>
#include <string.h>
#include <sys/random.h>

#include "sd-server-private.h"

#define CODE_TTL            300         /* confirmation codes: 5 minutes */
#define CODE_MAX_TRIES      5           /* wrong tries that burn one code */
#define CONFIRMED_TTL       1800        /* sign up within 30 minutes */
#define REFRESH_GRACE       30          /* a rotated refresh token still answers */
#define REFRESH_COOKIE      "refreshToken"
#define COOKIE_PATH         "/api/v1/auth"

#define USER_COLUMNS "id, name, phone_number, email, address, address_detail, role, profile_image, created_at, updated_at"

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- users as JSON -------------------------------------------------- */

static JsonNode *
user_from_row (SdStmt *stmt)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  static const char * const members[] = {
    "_id", "name", "phoneNumber", "email", "address", "addressDetail", "role",
    "profileImage", "createdAt", "updatedAt",
  };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *v = (const char *) sqlite3_column_text (stmt, (int) i);
      json_builder_set_member_name (b, members[i]);
      json_builder_add_string_value (b, v ? v : "");
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
load_user (SdServer *self, const char *id, GError **error)
{
  SdServerDb *db = sd_server_get_db (self);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return user_from_row (stmt);
}

/* ---- passwords ------------------------------------------------------ */

static char *
hash_password (const char *password)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *hash = NULL;

  if (crypt_gensalt_rn (NULL, 0, NULL, 0, setting, sizeof setting) != NULL &&
      crypt_r (password, setting, data) != NULL && data->output[0] != '*')
    hash = g_strdup (data->output);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return hash;
}

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

/* ---- tokens --------------------------------------------------------- */

/* The jti of a family's generation: derived, so never stored. */
static char *
family_jti (SdServer *self, const char *sid, gint64 gen)
{
  g_autofree char *text = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, sid, gen);
  return sd_server_hmac (self, SD_SECRET_REFRESH, text);
}

/* An HS256 JWT. Refresh tokens (sid != NULL) also carry the family id,
 * the generation and a jti derived from both, with typ "refresh". The
 * same arguments give the same bytes: rotation relies on it. */
static char *
make_jwt (SdServer *self, const char *secret_name, const char *user_id, gint64 iat, gint64 exp,
          const char *sid, gint64 gen)
{
  GBytes *key = sd_server_get_secret (self, secret_name);
  jwt_t *jwt = NULL;
  char *raw, *token;

  if (jwt_new (&jwt) != 0)
    return NULL;
  jwt_add_grant (jwt, "id", user_id);
  jwt_add_grant_int (jwt, "iat", (long) iat);
  jwt_add_grant_int (jwt, "exp", (long) exp);
  if (sid)
    {
      g_autofree char *jti = family_jti (self, sid, gen);

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

static char *
make_access_token (SdServer *self, const char *user_id)
{
  gint64 now = now_s ();

  return make_jwt (self, SD_SECRET_ACCESS, user_id, now, now + sd_server_get_config (self)->access_ttl, NULL, 0);
}

/* Verifies signature, algorithm and expiry; returns the decoded token.
 * libjwt 1.10 checks neither the algorithm nor exp by itself. */
static jwt_t *
open_token (SdServer *self, const char *secret_name, const char *token)
{
  GBytes *key = sd_server_get_secret (self, secret_name);
  jwt_t *jwt = NULL;

  if (token == NULL || strlen (token) > 4096 ||
      jwt_decode (&jwt, token, g_bytes_get_data (key, NULL), (int) g_bytes_get_size (key)) != 0)
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
sd_server_auth_check_token (SdServer *self, const char *token, char **out_user_id, gboolean *out_is_admin)
{
  jwt_t *jwt = open_token (self, SD_SECRET_ACCESS, token);
  SdServerDb *db = sd_server_get_db (self);
  g_autoptr(SdStmt) stmt = NULL;
  gboolean ok = FALSE;

  if (jwt == NULL)
    return FALSE;
  if (jwt_get_grant (jwt, "typ") == NULL)
    {
      /* The user must still exist; the role is read fresh each time. */
      stmt = sd_server_db_statement (db, "SELECT role FROM users WHERE id = ?", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, jwt_get_grant (jwt, "id"), -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              *out_user_id = g_strdup (jwt_get_grant (jwt, "id"));
              *out_is_admin = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "admin") == 0;
              ok = TRUE;
            }
        }
    }
  jwt_free (jwt);
  return ok;
}

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
 * make_jwt (sid = id, gen = g, iat = rotated_at, exp = expires_at) with
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

/* A refresh token's claims, once its signature and expiry check out. */
typedef struct {
  char   *user_id;
  char   *sid;
  gint64  gen;
} RefreshClaims;

static void
refresh_claims_clear (RefreshClaims *claims)
{
  g_clear_pointer (&claims->user_id, g_free);
  g_clear_pointer (&claims->sid, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RefreshClaims, refresh_claims_clear)

static gboolean
open_refresh_cookie (SdServerRequest *req, RefreshClaims *claims)
{
  g_autofree char *token = cookie_value (req, REFRESH_COOKIE);
  jwt_t *jwt = token ? open_token (req->server, SD_SECRET_REFRESH, token) : NULL;
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
            expected = family_jti (req->server, sid, gen);

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

static char *
family_token (SdServer *self, const char *user_id, const char *sid, gint64 gen, gint64 rotated_at,
              gint64 expires_at)
{
  return make_jwt (self, SD_SECRET_REFRESH, user_id, rotated_at, expires_at, sid, gen);
}

/* A new session: the refresh cookie on the reply, the access token returned. */
static char *
start_session (SdServerRequest *req, const char *user_id, GError **error)
{
  SdServer *self = req->server;
  const SdServerConfig *config = sd_server_get_config (self);
  SdServerDb *db = sd_server_get_db (self);
  g_autofree char *sid = sd_random_hex (16);
  gint64 now = now_s ();
  g_autofree char *refresh = family_token (self, user_id, sid, 0, now, now + config->refresh_ttl);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "INSERT INTO sessions (id, user_id, generation, rotated_at, expires_at) VALUES (?, ?, 0, ?, ?)", error);

  if (stmt == NULL || refresh == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + config->refresh_ttl);
  if (!sd_server_db_step_done (db, stmt, error))
    return NULL;
  set_refresh_cookie (req, refresh, config->refresh_ttl);
  return make_access_token (self, user_id);
}

/* Ends every session of a user: a new password, a reset, sign out
 * everywhere (withdrawal cascades). */
static gboolean
revoke_sessions (SdServerDb *db, const char *user_id, GError **error)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "DELETE FROM sessions WHERE user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  return sd_server_db_step_done (db, stmt, error);
}

static void
revoke_family (SdServerDb *db, const char *sid)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "DELETE FROM sessions WHERE id = ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, sid, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
}

typedef enum { REFRESH_OK, REFRESH_ENDED, REFRESH_ERROR } RefreshResult;

/* Checks the cookie's token against its family and, when rotate, moves
 * the family on; *out_token: the refresh token to set (NULL: keep). */
static RefreshResult
use_refresh_token (SdServerRequest *req, gboolean rotate, char **out_user_id, char **out_token, GError **error)
{
  SdServer *self = req->server;
  SdServerDb *db = sd_server_get_db (self);
  const SdServerConfig *config = sd_server_get_config (self);
  g_auto(RefreshClaims) claims = { 0 };
  g_autoptr(SdStmt) get = NULL;
  g_autofree char *owner = NULL;
  gint64 gen = 0, rotated_at = 0, expires_at = 0, now = now_s ();
  gboolean found = FALSE;

  *out_user_id = NULL;
  *out_token = NULL;
  if (!open_refresh_cookie (req, &claims))
    return REFRESH_ENDED;
  if (!sd_server_db_begin (db, error))
    return REFRESH_ERROR;
  get = sd_server_db_statement (db,
    "SELECT user_id, generation, rotated_at, expires_at FROM sessions WHERE id = ?", error);
  if (get == NULL)
    goto failed;
  sqlite3_bind_text (get, 1, claims.sid, -1, SQLITE_STATIC);
  if (sqlite3_step (get) == SQLITE_ROW)
    {
      found = TRUE;
      owner = g_strdup ((const char *) sqlite3_column_text (get, 0));
      gen = sqlite3_column_int64 (get, 1);
      rotated_at = sqlite3_column_int64 (get, 2);
      expires_at = sqlite3_column_int64 (get, 3);
    }
  sd_stmt_release (get);

  if (!found || g_strcmp0 (owner, claims.user_id) != 0 || expires_at <= now)
    {
      if (found && expires_at <= now)
        revoke_family (db, claims.sid);
    }
  else if (claims.gen == gen)
    {
      if (rotate)
        {
          g_autoptr(SdStmt) move = sd_server_db_statement (db,
            "UPDATE sessions SET generation = ?, rotated_at = ?, expires_at = ? WHERE id = ?", error);

          if (move == NULL)
            goto failed;
          gen++;
          rotated_at = now;
          expires_at = now + config->refresh_ttl;
          sqlite3_bind_int64 (move, 1, gen);
          sqlite3_bind_int64 (move, 2, rotated_at);
          sqlite3_bind_int64 (move, 3, expires_at);
          sqlite3_bind_text (move, 4, claims.sid, -1, SQLITE_STATIC);
          if (!sd_server_db_step_done (db, move, error))
            goto failed;
          *out_token = family_token (self, owner, claims.sid, gen, rotated_at, expires_at);
        }
      *out_user_id = g_steal_pointer (&owner);
    }
  else if (rotate && claims.gen == gen - 1 && now <= rotated_at + REFRESH_GRACE)
    {
      /* A parallel refresh: the winner's token, rebuilt. */
      *out_token = family_token (self, owner, claims.sid, gen, rotated_at, expires_at);
      *out_user_id = g_steal_pointer (&owner);
    }
  else
    {
      /* Spent, and past the grace window: someone kept a copy. */
      g_message ("a spent refresh token came back; that session is revoked everywhere");
      revoke_family (db, claims.sid);
    }
  if (!sd_server_db_commit (db, error))
    goto failed;
  return *out_user_id ? REFRESH_OK : REFRESH_ENDED;

failed:
  sd_server_db_rollback (db);
  g_clear_pointer (out_token, g_free);
  g_clear_pointer (out_user_id, g_free);
  return REFRESH_ERROR;
}

static JsonNode *
access_token_json (const char *token)
{
  JsonObject *o = json_object_new ();
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "accessToken", token);
  json_node_take_object (n, o);
  return n;
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
#define LONGEST_WINDOW       3600

#define KIND_SEND_EMAIL      "send-email"
#define KIND_SEND_CLIENT     "send-client"
#define KIND_SIGN_IN_PAIR    "sign-in-pair"
#define KIND_SIGN_IN_EMAIL   "sign-in-email"
#define KIND_CODE_PAIR       "code-pair"
#define KIND_CODE_EMAIL      "code-email"

/* The key of a counter: one or two identities, as an HMAC. */
static char *
throttle_key (SdServer *self, const char *what, const char *a, const char *b)
{
  g_autofree char *text = g_strconcat ("throttle\n", what, "\n", a, "\n", b ? b : "", NULL);
  return sd_server_hmac (self, SD_SECRET_CODES, text);
}

/* Seconds until kind/key is under limit again within window; 0 when it
 * is under it now. */
static gint64
throttle_wait (SdServerDb *db, const char *kind, const char *key, guint window, guint limit)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "SELECT at FROM throttle_events WHERE kind = ? AND key = ? AND at > unixepoch () - ?"
    " ORDER BY at DESC LIMIT 1 OFFSET ?", NULL);
  gint64 at;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) window);
  sqlite3_bind_int (stmt, 4, (int) limit - 1);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  /* The limit-th newest event: once it ages out, one more may go. */
  at = sqlite3_column_int64 (stmt, 0);
  return MAX (1, at + window - now_s ());
}

/* How many kind/key events in window, and the newest one's time. */
static gint64
throttle_count (SdServerDb *db, const char *kind, const char *key, guint window, gint64 *out_newest)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "SELECT count (*), max (at) FROM throttle_events WHERE kind = ? AND key = ? AND at > unixepoch () - ?", NULL);

  *out_newest = 0;
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) window);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  *out_newest = sqlite3_column_int64 (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

/* Adds an event; returns its rowid (0 on failure), to take it back. */
static gint64
throttle_note (SdServerDb *db, const char *kind, const char *key)
{
  g_autoptr(SdStmt) prune = sd_server_db_statement (db,
    "DELETE FROM throttle_events WHERE at <= unixepoch () - ?", NULL);
  g_autoptr(SdStmt) add = sd_server_db_statement (db,
    "INSERT INTO throttle_events (kind, key, at) VALUES (?, ?, unixepoch ())", NULL);

  if (prune)
    {
      sqlite3_bind_int (prune, 1, LONGEST_WINDOW);
      sqlite3_step (prune);
    }
  if (add == NULL)
    return 0;
  sqlite3_bind_text (add, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (add) != SQLITE_DONE)
    return 0;
  return sqlite3_last_insert_rowid (sd_server_db_handle (db));
}

static void
throttle_forget_row (SdServerDb *db, gint64 rowid)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "DELETE FROM throttle_events WHERE rowid = ?", NULL);

  if (stmt == NULL || rowid == 0)
    return;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_step (stmt);
}

static void
throttle_forget (SdServerDb *db, const char *kind, const char *key)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "DELETE FROM throttle_events WHERE kind = ? AND key = ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
}

/* The per-email backoff on sign-in: seconds to wait, or 0. */
static gint64
sign_in_backoff (SdServerDb *db, const char *email_key)
{
  gint64 newest;
  gint64 failures = throttle_count (db, KIND_SIGN_IN_EMAIL, email_key, EMAIL_WINDOW, &newest);
  gint64 delay, left;

  if (failures < EMAIL_FREE_FAILURES)
    return 0;
  delay = failures - EMAIL_FREE_FAILURES >= 9 ? EMAIL_MAX_DELAY
          : MIN ((gint64) 1 << (failures - EMAIL_FREE_FAILURES), EMAIL_MAX_DELAY);
  left = newest + delay - now_s ();
  return left > 0 ? left : 0;
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
code_hash (SdServer *self, const char *email, const char *code)
{
  g_autofree char *text = g_strconcat (email, "\n", code, NULL);
  return sd_server_hmac (self, SD_SECRET_CODES, text);
}

typedef enum { CODE_OK, CODE_WRONG, CODE_THROTTLED, CODE_ERROR } CodeCheck;

/* Checks a code (see "throttles"); consume: delete it when right, else
 * mark the email confirmed. *out_wait: seconds, when CODE_THROTTLED. */
static CodeCheck
check_code (SdServerRequest *req, const char *email, const char *code, gboolean consume,
            gint64 *out_wait, GError **error)
{
  SdServer *self = req->server;
  SdServerDb *db = sd_server_get_db (self);
  g_autofree char *email_key = throttle_key (self, "email", email, NULL);
  g_autofree char *pair_key = throttle_key (self, "pair", email, sd_request_client (req));
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(SdStmt) get = NULL;
  gint64 expires = 0, tries = 0, wait;
  gboolean found = FALSE, right;
  CodeCheck result;

  *out_wait = 0;
  hash = sd_field_is_code (code) ? code_hash (self, email, code) : NULL;
  if (!sd_server_db_begin (db, error))
    return CODE_ERROR;
  get = sd_server_db_statement (db, "SELECT code_hash, expires_at, tries FROM email_codes WHERE email = ?", error);
  if (get == NULL)
    goto failed;
  sqlite3_bind_text (get, 1, email, -1, SQLITE_STATIC);
  if (sqlite3_step (get) == SQLITE_ROW)
    {
      found = TRUE;
      stored = g_strdup ((const char *) sqlite3_column_text (get, 0));
      expires = sqlite3_column_int64 (get, 1);
      tries = sqlite3_column_int64 (get, 2);
    }
  sd_stmt_release (get);

  /* No live code: nothing to guess at, nothing to count. */
  if (!found || expires <= now_s () || tries >= CODE_MAX_TRIES)
    {
      sd_server_db_rollback (db);
      return CODE_WRONG;
    }
  wait = MAX (throttle_wait (db, KIND_CODE_EMAIL, email_key, CODE_WINDOW, CODE_WRONG_PER_EMAIL),
              throttle_wait (db, KIND_CODE_PAIR, pair_key, PAIR_WINDOW, PAIR_FAILURES));
  if (wait > 0)
    {
      sd_server_db_rollback (db);
      *out_wait = wait;
      return CODE_THROTTLED;
    }

  right = sd_str_equal_secret (hash, stored);
  {
    g_autoptr(SdStmt) done = sd_server_db_statement (db,
      right ? (consume ? "DELETE FROM email_codes WHERE email = ?"
                       : "UPDATE email_codes SET confirmed_at = unixepoch () WHERE email = ?")
            : (tries + 1 >= CODE_MAX_TRIES ? "DELETE FROM email_codes WHERE email = ?"
                                           : "UPDATE email_codes SET tries = tries + 1 WHERE email = ?"), error);
    if (done == NULL)
      goto failed;
    sqlite3_bind_text (done, 1, email, -1, SQLITE_STATIC);
    if (!sd_server_db_step_done (db, done, error))
      goto failed;
  }
  if (!right)
    {
      throttle_note (db, KIND_CODE_EMAIL, email_key);
      throttle_note (db, KIND_CODE_PAIR, pair_key);
    }
  result = right ? CODE_OK : CODE_WRONG;
  if (!sd_server_db_commit (db, error))
    goto failed;
  return result;

failed:
  sd_server_db_rollback (db);
  return CODE_ERROR;
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
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *phone = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = sd_server_store_new_id ();
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) confirmed = NULL;
  g_autoptr(SdStmt) insert = NULL;
  gboolean bad = FALSE;
  const char *name = sd_body_string (req, "name", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);

  if (email == NULL || bad || !check_name (req, name) ||
      (phone = check_phone (req, phone_in)) == NULL ||
      !check_new_password (req, password, NULL) ||
      !check_text (req, address, "an address", 200, TRUE) ||
      !check_text (req, detail, "the address details", 200, FALSE))
    return;

  /* [fix] only a confirmed address may sign up. */
  confirmed = sd_server_db_statement (db,
    "SELECT 1 FROM email_codes WHERE email = ? AND confirmed_at >= unixepoch () - ?", &error);
  if (confirmed == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (confirmed, 1, email, -1, SQLITE_STATIC);
  sqlite3_bind_int (confirmed, 2, CONFIRMED_TTL);
  if (sqlite3_step (confirmed) != SQLITE_ROW)
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "Confirm your email address first.");
  sd_stmt_release (confirmed);

  hash = hash_password (password);
  insert = sd_server_db_statement (db,
    "INSERT INTO users (id, email, name, phone_number, password_hash, address, address_detail,"
    " role, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'user', ?8, ?8)", &error);
  if (insert == NULL || hash == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, address, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, detail ? detail : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, now, -1, SQLITE_STATIC);
  if (!sd_server_db_step_done (db, insert, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "This email address is already registered.");
      return sd_reply_internal (req, error);
    }
  {
    g_autoptr(SdStmt) used = sd_server_db_statement (db, "DELETE FROM email_codes WHERE email = ?", NULL);
    if (used)
      {
        sqlite3_bind_text (used, 1, email, -1, SQLITE_STATIC);
        sqlite3_step (used);
      }
  }
  sd_reply (req, SOUP_STATUS_CREATED, load_user (req->server, id, NULL));
}

static void
sign_in (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStmt) stmt = NULL;
  g_autofree char *email = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *pair_key = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *access = NULL;
  gboolean bad = FALSE;
  const char *email_in = sd_body_string (req, "email", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  gint64 wait, newest, pair_row, email_row;

  if (bad)
    return;
  if (email_in == NULL || password == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter your email address and password.");
  email = g_ascii_strdown (email_in, -1);
  email_key = throttle_key (req->server, "email", email, NULL);
  pair_key = throttle_key (req->server, "pair", email, sd_request_client (req));

  /* The counts, and this attempt counted as a failure, in one step. */
  if (!sd_server_db_begin (db, &error))
    return sd_reply_internal (req, error);
  wait = throttle_wait (db, KIND_SIGN_IN_PAIR, pair_key, PAIR_WINDOW, PAIR_FAILURES);
  if (wait == 0 && throttle_count (db, KIND_SIGN_IN_PAIR, pair_key, PAIR_WINDOW, &newest) > 0)
    wait = sign_in_backoff (db, email_key);
  if (wait > 0)
    {
      sd_server_db_rollback (db);
      return reply_throttled (req, wait, "Too many failed sign-ins.");
    }
  pair_row = throttle_note (db, KIND_SIGN_IN_PAIR, pair_key);
  email_row = throttle_note (db, KIND_SIGN_IN_EMAIL, email_key);
  if (!sd_server_db_commit (db, &error))
    {
      sd_server_db_rollback (db);
      return sd_reply_internal (req, error);
    }

  stmt = sd_server_db_statement (db, "SELECT id, password_hash FROM users WHERE email = ?", &error);
  if (stmt == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sd_stmt_release (stmt);

  /* The same work whether or not the address exists (hashing costs what
   * checking does), and the same answer too. */
  if (hash == NULL)
    g_free (hash_password (password));
  if (hash == NULL || !check_password (password, hash))
    return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "The email address or password is wrong.");

  /* Right: this attempt was no failure, and the pair starts afresh. The
   * email's count keeps others' failures: they were real. */
  throttle_forget_row (db, email_row);
  throttle_forget_row (db, pair_row);
  throttle_forget (db, KIND_SIGN_IN_PAIR, pair_key);
  access = start_session (req, user_id, &error);
  if (access == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, access_token_json (access));
}

static void
refresh_access_token (SdServerRequest *req)
{
  const SdServerConfig *config = sd_server_get_config (req->server);
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
  access = make_access_token (req->server, user_id);
  if (access == NULL)
    return sd_reply_internal (req, NULL);
  sd_reply (req, SOUP_STATUS_OK, access_token_json (access));
}

/* This session only: the family behind the cookie, whatever generation. */
static void
sign_out (SdServerRequest *req)
{
  g_auto(RefreshClaims) claims = { 0 };

  if (open_refresh_cookie (req, &claims))
    {
      g_autoptr(SdStmt) del = sd_server_db_statement (sd_server_get_db (req->server),
                                                      "DELETE FROM sessions WHERE id = ? AND user_id = ?", NULL);
      if (del)
        {
          sqlite3_bind_text (del, 1, claims.sid, -1, SQLITE_STATIC);
          sqlite3_bind_text (del, 2, claims.user_id, -1, SQLITE_STATIC);
          sqlite3_step (del);
        }
    }
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

/* [ext] every session of the signed-in user, on every device. */
static void
sign_out_everywhere (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!revoke_sessions (sd_server_get_db (req->server), req->user_id, &error))
    return sd_reply_internal (req, error);
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

static void
get_me (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *user = load_user (req->server, req->user_id, &error);

  if (user == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, user);
}

static char *
user_email (SdServer *self, const char *user_id)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (sd_server_get_db (self),
                                                   "SELECT email FROM users WHERE id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;
}

static gboolean
set_password (SdServer *self, const char *user_id, const char *password, GError **error)
{
  SdServerDb *db = sd_server_get_db (self);
  g_autofree char *hash = hash_password (password);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL || hash == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, user_id, -1, SQLITE_STATIC);
  return sd_server_db_step_done (db, stmt, error);
}

static void
patch_me (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = user_email (req->server, req->user_id);
  g_autofree char *phone = NULL;
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = NULL;
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *name = sd_body_string (req, "name", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);

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

  if (!sd_server_db_begin (db, &error))
    return sd_reply_internal (req, error);
  stmt = sd_server_db_statement (db,
    "UPDATE users SET name = coalesce (?1, name), phone_number = coalesce (?2, phone_number),"
    " address = coalesce (?3, address), address_detail = coalesce (?4, address_detail),"
    " updated_at = ?5 WHERE id = ?6", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, phone, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, address, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, req->user_id, -1, SQLITE_STATIC);
    }
  if (stmt == NULL || !sd_server_db_step_done (db, stmt, &error) ||
      (password && !set_password (req->server, req->user_id, password, &error)) ||
      (password && !revoke_sessions (db, req->user_id, &error)) ||
      !sd_server_db_commit (db, &error))
    {
      sd_server_db_rollback (db);
      return sd_reply_internal (req, error);
    }
  get_me (req);
}

static void
withdraw (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, "DELETE FROM users WHERE id = ?", &error);

  /* Sessions go with the user; orders keep their data (user_id → NULL). */
  if (stmt == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (stmt, 1, req->user_id, -1, SQLITE_STATIC);
  if (!sd_server_db_step_done (db, stmt, &error))
    return sd_reply_internal (req, error);
  set_refresh_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

static void
send_confirmation_email (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *hash = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SdStmt) stmt = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *client_key = NULL;
  char code[7];
  guint32 r;
  gint64 wait;

  if (email == NULL)
    return;
  email_key = throttle_key (req->server, "email", email, NULL);
  client_key = throttle_key (req->server, "client", sd_request_client (req), NULL);
  do
    {
      if (getrandom (&r, sizeof r, 0) != sizeof r)
        return sd_reply_internal (req, NULL);
    }
  while (r >= 4294000000u);   /* uniform over 000000..999999 */
  g_snprintf (code, sizeof code, "%06u", r % 1000000);
  hash = code_hash (req->server, email, code);

  /* The counts and the new code in one step (see "throttles"). */
  if (!sd_server_db_begin (db, &error))
    return sd_reply_internal (req, error);
  wait = MAX (throttle_wait (db, KIND_SEND_EMAIL, email_key, SEND_WINDOW, SEND_PER_EMAIL),
              throttle_wait (db, KIND_SEND_CLIENT, client_key, SEND_WINDOW, SEND_PER_CLIENT));
  if (wait > 0)
    {
      sd_server_db_rollback (db);
      explicit_bzero (code, sizeof code);
      return reply_throttled (req, wait, "Too many codes were asked for.");
    }
  stmt = sd_server_db_statement (db,
    "INSERT INTO email_codes (email, code_hash, expires_at, tries, confirmed_at)"
    " VALUES (?1, ?2, unixepoch () + ?3, 0, NULL)"
    " ON CONFLICT (email) DO UPDATE SET code_hash = ?2, expires_at = unixepoch () + ?3,"
    " tries = 0, confirmed_at = NULL", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, CODE_TTL);
    }
  if (stmt == NULL || !sd_server_db_step_done (db, stmt, &error) ||
      throttle_note (db, KIND_SEND_EMAIL, email_key) == 0 ||
      throttle_note (db, KIND_SEND_CLIENT, client_key) == 0 ||
      !sd_server_db_commit (db, &error))
    {
      sd_server_db_rollback (db);
      explicit_bzero (code, sizeof code);
      return sd_reply_internal (req, error);
    }

  body = g_strdup_printf ("Your Storedesk confirmation code is %s.\r\n"
                          "It is valid for 5 minutes.\r\n\r\n"
                          "Storedesk 확인 코드는 %s입니다. 5분 동안 쓸 수 있습니다.\r\n", code, code);
  sd_server_mail_send (req->server, email, "Storedesk confirmation code", body);
  explicit_bzero (code, sizeof code);
  explicit_bzero (body, strlen (body));

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
      sd_reply (req, SOUP_STATUS_OK, NULL);
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
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = user_email (req->server, req->user_id);
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
  if (!sd_server_db_begin (db, &error) ||
      !set_password (req->server, req->user_id, password, &error) ||
      !revoke_sessions (db, req->user_id, &error) ||
      !sd_server_db_commit (db, &error))
    {
      sd_server_db_rollback (db);
      return sd_reply_internal (req, error);
    }
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}

static void
reset_password (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *user_id = NULL;
  g_autoptr(SdStmt) find = NULL;
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
  find = sd_server_db_statement (db, "SELECT id FROM users WHERE email = ?", &error);
  if (find == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (find, 1, email, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    user_id = g_strdup ((const char *) sqlite3_column_text (find, 0));
  sd_stmt_release (find);
  if (user_id == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
  /* Whoever knew the old password is signed out everywhere. */
  if (!sd_server_db_begin (db, &error) ||
      !set_password (req->server, user_id, password, &error) ||
      !revoke_sessions (db, user_id, &error) ||
      !sd_server_db_commit (db, &error))
    {
      sd_server_db_rollback (db);
      return sd_reply_internal (req, error);
    }
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}

static void
list_users (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "SELECT " USER_COLUMNS " FROM users ORDER BY created_at, id", &error);
  g_autoptr(JsonArray) users = json_array_new ();
  JsonNode *node;

  if (stmt == NULL)
    return sd_reply_internal (req, error);
  /* [fix] never a password hash. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_array_add_element (users, user_from_row (stmt));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, users);
  sd_reply (req, SOUP_STATUS_OK, node);
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
