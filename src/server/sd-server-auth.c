/* sd-server-auth.c — accounts, sign-in and tokens (shared/API.md, auth).
 *
 * Access tokens: HS256 JWT {id, iat, exp}, 10 minutes, under the "access"
 * secret. Refresh tokens: HS256 JWT {id, jti, iat, exp, typ}, 6 hours,
 * under the "refresh" secret, in an HttpOnly cookie, backed by a row in
 * sessions so sign-out, rotation and withdrawal revoke them. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <crypt.h>
#include <jwt.h>
#include <string.h>
#include <sys/random.h>

#include "sd-server-private.h"

#define CODE_TTL            300         /* confirmation codes: 5 minutes */
#define CODE_MAX_TRIES      5
#define CONFIRMED_TTL       1800        /* sign up within 30 minutes */
#define THROTTLE_WINDOW     900         /* 5 failures per 15 minutes */
#define THROTTLE_FAILURES   5
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

static char *
make_token (SdServer *self, const char *secret_name, const char *user_id, guint ttl,
            const char *jti)
{
  GBytes *key = sd_server_get_secret (self, secret_name);
  jwt_t *jwt = NULL;
  char *raw, *token;
  gint64 now = now_s ();

  if (jwt_new (&jwt) != 0)
    return NULL;
  jwt_add_grant (jwt, "id", user_id);
  jwt_add_grant_int (jwt, "iat", (long) now);
  jwt_add_grant_int (jwt, "exp", (long) (now + ttl));
  if (jti)
    {
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

/* A new session: the refresh cookie on the reply, the access token returned. */
static char *
start_session (SdServerRequest *req, const char *user_id, GError **error)
{
  SdServer *self = req->server;
  const SdServerConfig *config = sd_server_get_config (self);
  SdServerDb *db = sd_server_get_db (self);
  g_autofree char *jti = sd_random_hex (16);
  g_autofree char *refresh = make_token (self, SD_SECRET_REFRESH, user_id, config->refresh_ttl, jti);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)", error);

  if (stmt == NULL || refresh == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, jti, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_s () + config->refresh_ttl);
  if (!sd_server_db_step_done (db, stmt, error))
    return NULL;
  set_refresh_cookie (req, refresh, config->refresh_ttl);
  return make_token (self, SD_SECRET_ACCESS, user_id, config->access_ttl, NULL);
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

/* ---- confirmation codes --------------------------------------------- */

static char *
code_hash (SdServer *self, const char *email, const char *code)
{
  g_autofree char *text = g_strconcat (email, "\n", code, NULL);
  return sd_server_hmac (self, SD_SECRET_CODES, text);
}

typedef enum { CODE_OK, CODE_WRONG, CODE_ERROR } CodeCheck;

/* Checks a code; 5 wrong tries burn it. consume: delete it when right. */
static CodeCheck
check_code (SdServer *self, const char *email, const char *code, gboolean consume, GError **error)
{
  SdServerDb *db = sd_server_get_db (self);
  g_autoptr(SdStmt) get = sd_server_db_statement (db,
    "SELECT code_hash, expires_at, tries FROM email_codes WHERE email = ?", error);
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  gint64 expires, tries;

  if (get == NULL)
    return CODE_ERROR;
  sqlite3_bind_text (get, 1, email, -1, SQLITE_STATIC);
  if (sqlite3_step (get) != SQLITE_ROW)
    return CODE_WRONG;
  stored = g_strdup ((const char *) sqlite3_column_text (get, 0));
  expires = sqlite3_column_int64 (get, 1);
  tries = sqlite3_column_int64 (get, 2);
  sd_stmt_release (get);

  hash = sd_field_is_code (code) ? code_hash (self, email, code) : NULL;
  if (expires > now_s () && tries < CODE_MAX_TRIES && sd_str_equal_secret (hash, stored))
    {
      g_autoptr(SdStmt) done = sd_server_db_statement (db, consume
        ? "DELETE FROM email_codes WHERE email = ?"
        : "UPDATE email_codes SET confirmed_at = unixepoch () WHERE email = ?", error);
      if (done == NULL)
        return CODE_ERROR;
      sqlite3_bind_text (done, 1, email, -1, SQLITE_STATIC);
      return sd_server_db_step_done (db, done, error) ? CODE_OK : CODE_ERROR;
    }
  {
    g_autoptr(SdStmt) miss = sd_server_db_statement (db, tries + 1 >= CODE_MAX_TRIES
      ? "DELETE FROM email_codes WHERE email = ?"
      : "UPDATE email_codes SET tries = tries + 1 WHERE email = ?", error);
    if (miss == NULL)
      return CODE_ERROR;
    sqlite3_bind_text (miss, 1, email, -1, SQLITE_STATIC);
    return sd_server_db_step_done (db, miss, error) ? CODE_WRONG : CODE_ERROR;
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
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = body_email (req);
  g_autofree char *phone = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = sd_server_db_new_id ();
  g_autofree char *now = sd_server_db_now_iso ();
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
      if (g_error_matches (error, SD_SERVER_DB_ERROR, SD_SERVER_DB_ERROR_CONSTRAINT))
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

static gboolean
throttled (SdServerDb *db, const char *email)
{
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db,
    "SELECT count(*) FROM sign_in_failures WHERE email = ? AND at > unixepoch () - ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, THROTTLE_WINDOW);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) >= THROTTLE_FAILURES;
}

static void
note_failure (SdServerDb *db, const char *email)
{
  g_autoptr(SdStmt) prune = sd_server_db_statement (db,
    "DELETE FROM sign_in_failures WHERE at <= unixepoch () - ?", NULL);
  g_autoptr(SdStmt) add = sd_server_db_statement (db,
    "INSERT INTO sign_in_failures (email, at) VALUES (?, unixepoch ())", NULL);

  if (prune)
    {
      sqlite3_bind_int (prune, 1, THROTTLE_WINDOW);
      sqlite3_step (prune);
    }
  if (add)
    {
      sqlite3_bind_text (add, 1, email, -1, SQLITE_STATIC);
      sqlite3_step (add);
    }
}

static void
sign_in (SdServerRequest *req)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStmt) stmt = NULL;
  g_autofree char *email = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *access = NULL;
  gboolean bad = FALSE;
  const char *email_in = sd_body_string (req, "email", &bad);
  const char *password = sd_body_string (req, "password", &bad);

  if (bad)
    return;
  if (email_in == NULL || password == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter your email address and password.");
  email = g_ascii_strdown (email_in, -1);
  if (throttled (db, email))
    {
      sd_reply_set_header (req, "Retry-After", G_STRINGIFY (THROTTLE_WINDOW));
      return sd_reply_error (req, 429, "Too many failed sign-ins. Wait 15 minutes and try again.");
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
    {
      note_failure (db, email);
      return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "The email address or password is wrong.");
    }
  {
    g_autoptr(SdStmt) clear = sd_server_db_statement (db, "DELETE FROM sign_in_failures WHERE email = ?", NULL);
    if (clear)
      {
        sqlite3_bind_text (clear, 1, email, -1, SQLITE_STATIC);
        sqlite3_step (clear);
      }
  }
  access = start_session (req, user_id, &error);
  if (access == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, access_token_json (access));
}

/* Removes the session behind the refresh cookie; returns its user. */
static char *
end_session (SdServerRequest *req, gboolean *out_valid)
{
  SdServerDb *db = sd_server_get_db (req->server);
  g_autofree char *token = cookie_value (req, REFRESH_COOKIE);
  jwt_t *jwt = token ? open_token (req->server, SD_SECRET_REFRESH, token) : NULL;
  g_autoptr(SdStmt) del = NULL;
  char *user_id = NULL;

  *out_valid = FALSE;
  if (jwt == NULL)
    return NULL;
  if (g_strcmp0 (jwt_get_grant (jwt, "typ"), "refresh") == 0 && jwt_get_grant (jwt, "jti"))
    {
      del = sd_server_db_statement (db,
        "DELETE FROM sessions WHERE id = ? AND user_id = ? AND expires_at > unixepoch ()", NULL);
      if (del)
        {
          sqlite3_bind_text (del, 1, jwt_get_grant (jwt, "jti"), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (del, 2, jwt_get_grant (jwt, "id"), -1, SQLITE_TRANSIENT);
          if (sqlite3_step (del) == SQLITE_DONE && sqlite3_changes (sd_server_db_handle (db)) == 1)
            {
              *out_valid = TRUE;
              user_id = g_strdup (jwt_get_grant (jwt, "id"));
            }
        }
    }
  jwt_free (jwt);
  return user_id;
}

static void
refresh_access_token (SdServerRequest *req)
{
  const SdServerConfig *config = sd_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  g_autofree char *user_id = NULL;
  gboolean valid;

  if (config->rotate_refresh)
    {
      /* [ext] rotation: the old refresh token is spent, a new one set. */
      user_id = end_session (req, &valid);
      if (!valid)
        {
          set_refresh_cookie (req, NULL, 0);
          return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Your session has ended; sign in again.");
        }
      access = start_session (req, user_id, &error);
    }
  else
    {
      g_autofree char *token = cookie_value (req, REFRESH_COOKIE);
      jwt_t *jwt = open_token (req->server, SD_SECRET_REFRESH, token);
      g_autoptr(SdStmt) alive = NULL;

      if (jwt != NULL && jwt_get_grant (jwt, "jti") &&
          (alive = sd_server_db_statement (sd_server_get_db (req->server),
             "SELECT 1 FROM sessions WHERE id = ? AND expires_at > unixepoch ()", NULL)) != NULL)
        {
          sqlite3_bind_text (alive, 1, jwt_get_grant (jwt, "jti"), -1, SQLITE_TRANSIENT);
          if (sqlite3_step (alive) == SQLITE_ROW)
            user_id = g_strdup (jwt_get_grant (jwt, "id"));
        }
      if (jwt)
        jwt_free (jwt);
      if (user_id == NULL)
        return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Your session has ended; sign in again.");
      access = make_token (req->server, SD_SECRET_ACCESS, user_id, config->access_ttl, NULL);
    }
  if (access == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, access_token_json (access));
}

static void
sign_out (SdServerRequest *req)
{
  gboolean valid;
  g_autofree char *user_id = end_session (req, &valid);

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
  g_autofree char *now = sd_server_db_now_iso ();
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
  g_autofree char *now = sd_server_db_now_iso ();
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
  char code[7];
  guint32 r;

  if (email == NULL)
    return;
  do
    {
      if (getrandom (&r, sizeof r, 0) != sizeof r)
        return sd_reply_internal (req, NULL);
    }
  while (r >= 4294000000u);   /* uniform over 000000..999999 */
  g_snprintf (code, sizeof code, "%06u", r % 1000000);
  hash = code_hash (req->server, email, code);

  stmt = sd_server_db_statement (db,
    "INSERT INTO email_codes (email, code_hash, expires_at, tries, confirmed_at)"
    " VALUES (?1, ?2, unixepoch () + ?3, 0, NULL)"
    " ON CONFLICT (email) DO UPDATE SET code_hash = ?2, expires_at = unixepoch () + ?3,"
    " tries = 0, confirmed_at = NULL", &error);
  if (stmt == NULL)
    return sd_reply_internal (req, error);
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, CODE_TTL);
  if (!sd_server_db_step_done (db, stmt, &error))
    return sd_reply_internal (req, error);

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

  if (email == NULL || bad)
    return;
  switch (check_code (req->server, email, code, FALSE, &error))
    {
    case CODE_OK:
      sd_reply (req, SOUP_STATUS_OK, NULL);
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
  if (!set_password (req->server, req->user_id, password, &error))
    return sd_reply_internal (req, error);
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
  g_autoptr(SdStmt) revoke = NULL;
  gboolean bad = FALSE;
  const char *code = sd_body_string (req, "inputNumber", &bad);
  const char *password = sd_body_string (req, "newPassword", &bad);
  const char *confirm = sd_body_string (req, "newPasswordConfirm", &bad);

  if (email == NULL || bad || !check_new_password (req, password, confirm ? confirm : ""))
    return;
  switch (check_code (req->server, email, code, TRUE, &error))
    {
    case CODE_ERROR:
      return sd_reply_internal (req, error);
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
  if (!set_password (req->server, user_id, password, &error))
    return sd_reply_internal (req, error);
  /* Whoever knew the old password is signed out everywhere. */
  revoke = sd_server_db_statement (db, "DELETE FROM sessions WHERE user_id = ?", NULL);
  if (revoke)
    {
      sqlite3_bind_text (revoke, 1, user_id, -1, SQLITE_STATIC);
      sqlite3_step (revoke);
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
