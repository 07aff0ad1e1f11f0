/* sd-server-store-users.c — the store's users: accounts, sessions, the
 * throttles' counters and confirmation codes. What the limits are, and
 * why, is the routes' (sd-server-auth.c, "throttles"); here they are
 * counted and kept. */
#define G_LOG_DOMAIN "storedesk-server-db"

#include "sd-server-store-private.h"

#include <crypt.h>
#include <nettle/memops.h>
#include <string.h>

#define prepare sd_server_db_statement

#define USER_COLUMNS "id, name, phone_number, email, address, address_detail, role, profile_image, created_at, updated_at"

/* Rows of throttle_events older than this go whenever one is added. */
#define LONGEST_WINDOW 3600

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- accounts ----------------------------------------------------------- */

static JsonNode *
user_from_row (SdStmt *stmt, gpointer user_data)
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

JsonNode *
sd_server_store_get_user (SdServerStore *store, const char *id, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return sd_server_db_first_row (db, stmt, user_from_row, NULL, "user", error);
}

JsonNode *
sd_server_store_list_users (SdServerStore *store, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "SELECT " USER_COLUMNS " FROM users ORDER BY created_at, id", error);

  if (stmt == NULL)
    return NULL;
  return sd_server_db_collect_rows (db, stmt, user_from_row, NULL, "users", error);
}

/* One text column of the user where column = value; NOT_FOUND. */
static char *
user_text (SdServerStore *store, const char *sql, const char *value, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (!sd_server_db_step_row (db, stmt, "user", error))
    return NULL;
  return g_strdup (sd_stmt_text (stmt, 0));
}

char *
sd_server_store_get_user_role (SdServerStore *store, const char *id, GError **error)
{
  return user_text (store, "SELECT role FROM users WHERE id = ?", id, error);
}

char *
sd_server_store_get_user_email (SdServerStore *store, const char *id, GError **error)
{
  return user_text (store, "SELECT email FROM users WHERE id = ?", id, error);
}

gboolean
sd_server_store_find_user (SdServerStore *store, const char *email, char **out_id, char **out_password_hash,
                           GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "SELECT id, password_hash FROM users WHERE email = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  if (!sd_server_db_step_row (db, stmt, "user", error))
    return FALSE;
  *out_id = g_strdup (sd_stmt_text (stmt, 0));
  if (out_password_hash)
    *out_password_hash = g_strdup (sd_stmt_text (stmt, 1));
  return TRUE;
}

char *
sd_server_hash_password (const char *password, GError **error)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *hash = NULL;

  /* NULL prefix: libxcrypt's default method (yescrypt on Debian 12). */
  if (crypt_gensalt_rn (NULL, 0, NULL, 0, setting, sizeof setting) != NULL &&
      crypt_r (password, setting, data) != NULL && data->output[0] != '*')
    hash = g_strdup (data->output);
  else
    g_set_error_literal (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_FAILED,
                         "could not hash the password");
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return hash;
}

char *
sd_server_store_create_user (SdServerStore *store, const SdServerUserInput *in, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt =
    prepare (self, "INSERT INTO users (id, email, name, phone_number, password_hash,"
                   " address, address_detail, role, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", error);
  g_autofree char *id = sd_server_store_new_id ();
  g_autofree char *now = sd_server_store_now_iso ();
  g_autofree char *hash = NULL;

  if (stmt == NULL)
    return NULL;
  hash = sd_server_hash_password (in->password, error);
  if (hash == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, in->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, in->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, in->phone_number ? in->phone_number : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, in->address ? in->address : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, in->address_detail ? in->address_detail : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, in->role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sd_server_db_set_error (self, error, "insert user");
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* Deletes the email's code (and its confirmation). */
static gboolean
forget_code (SdServerDb *db, const char *email, GError **error)
{
  return sd_server_db_run_text (db, "DELETE FROM email_codes WHERE email = ?", email, error);
}

char *
sd_server_store_sign_up (SdServerStore *store, const SdServerUserInput *in, guint confirmed_within,
                         GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) confirmed = prepare (db,
    "SELECT 1 FROM email_codes WHERE email = ? AND confirmed_at >= unixepoch () - ?", error);
  char *id;

  if (confirmed == NULL)
    return NULL;
  sqlite3_bind_text (confirmed, 1, in->email, -1, SQLITE_STATIC);
  sqlite3_bind_int (confirmed, 2, (int) confirmed_within);
  if (!sd_server_db_step_row (db, confirmed, "confirmation", error))
    return NULL;
  sd_stmt_release (confirmed);

  id = sd_server_store_create_user (store, in, error);
  if (id != NULL)
    forget_code (db, in->email, NULL);
  return id;
}

char *
sd_server_store_upsert_admin (SdServerStore *store, const SdServerUserInput *in, GError **error)
{
  SdServerDb *self = sd_server_store_get_db (store);
  g_autoptr(SdStmt) find = prepare (self, "SELECT id FROM users WHERE email = ?", error);
  g_autofree char *id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) update = NULL;

  if (find == NULL)
    return NULL;
  sqlite3_bind_text (find, 1, in->email, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (find, 0));
  sd_stmt_release (find);
  if (id == NULL)
    return sd_server_store_create_user (store, in, error);

  hash = sd_server_hash_password (in->password, error);
  if (hash == NULL)
    return NULL;
  update = prepare (self, "UPDATE users SET role = 'admin', password_hash = ?, updated_at = ? WHERE id = ?", error);
  if (update == NULL)
    return NULL;
  sqlite3_bind_text (update, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, id, -1, SQLITE_STATIC);
  if (!sd_server_db_step_done (self, update, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- sessions ----------------------------------------------------------- */

void
sd_server_session_clear (SdServerSession *session)
{
  g_clear_pointer (&session->user_id, g_free);
}

gboolean
sd_server_store_create_session (SdServerStore *store, const char *id, const char *user_id, gint64 rotated_at,
                                gint64 expires_at, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db,
    "INSERT INTO sessions (id, user_id, generation, rotated_at, expires_at) VALUES (?, ?, 0, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rotated_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return sd_server_db_step_done (db, stmt, error);
}

gboolean
sd_server_store_end_session (SdServerStore *store, const char *id, const char *user_id, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM sessions WHERE id = ? AND user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
  return sd_server_db_step_done (db, stmt, error);
}

static gboolean
end_sessions (SdServerDb *db, const char *user_id, GError **error)
{
  return sd_server_db_run_text (db, "DELETE FROM sessions WHERE user_id = ?", user_id, error);
}

gboolean
sd_server_store_end_sessions (SdServerStore *store, const char *user_id, GError **error)
{
  return end_sessions (sd_server_store_get_db (store), user_id, error);
}

static void
end_family (SdServerDb *db, const char *id)
{
  sd_server_db_run_text (db, "DELETE FROM sessions WHERE id = ?", id, NULL);
}

gboolean
sd_server_store_refresh_session (SdServerStore *store, const char *id, const char *user_id, gint64 generation,
                                 gboolean rotate, guint grace, guint ttl, SdServerRefresh *out_outcome,
                                 SdServerSession *out, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) get = NULL;
  gint64 now = now_s ();
  gboolean found = FALSE;

  *out_outcome = SD_SERVER_REFRESH_ENDED;
  if (!sd_server_db_begin (db, error))
    return FALSE;
  get = prepare (db, "SELECT user_id, generation, rotated_at, expires_at FROM sessions WHERE id = ?", error);
  if (get == NULL)
    goto failed;
  sqlite3_bind_text (get, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (get) == SQLITE_ROW)
    {
      found = TRUE;
      out->user_id = g_strdup ((const char *) sqlite3_column_text (get, 0));
      out->generation = sqlite3_column_int64 (get, 1);
      out->rotated_at = sqlite3_column_int64 (get, 2);
      out->expires_at = sqlite3_column_int64 (get, 3);
    }
  sd_stmt_release (get);

  if (!found || g_strcmp0 (out->user_id, user_id) != 0 || out->expires_at <= now)
    {
      if (found && out->expires_at <= now)
        end_family (db, id);
    }
  else if (generation == out->generation)
    {
      *out_outcome = SD_SERVER_REFRESH_CURRENT;
      if (rotate)
        {
          g_autoptr(SdStmt) move = prepare (db,
            "UPDATE sessions SET generation = ?, rotated_at = ?, expires_at = ? WHERE id = ?", error);

          if (move == NULL)
            goto failed;
          out->generation++;
          out->rotated_at = now;
          out->expires_at = now + ttl;
          sqlite3_bind_int64 (move, 1, out->generation);
          sqlite3_bind_int64 (move, 2, out->rotated_at);
          sqlite3_bind_int64 (move, 3, out->expires_at);
          sqlite3_bind_text (move, 4, id, -1, SQLITE_STATIC);
          if (!sd_server_db_step_done (db, move, error))
            goto failed;
          *out_outcome = SD_SERVER_REFRESH_ROTATED;
        }
    }
  else if (rotate && generation == out->generation - 1 && now <= out->rotated_at + grace)
    *out_outcome = SD_SERVER_REFRESH_PARALLEL;
  else
    {
      /* Spent, and past the grace window: someone kept a copy. */
      end_family (db, id);
      *out_outcome = SD_SERVER_REFRESH_SPENT;
    }
  if (!sd_server_db_commit (db, error))
    goto failed;
  if (*out_outcome == SD_SERVER_REFRESH_ENDED || *out_outcome == SD_SERVER_REFRESH_SPENT)
    sd_server_session_clear (out);
  return TRUE;

failed:
  sd_server_db_rollback (db);
  sd_server_session_clear (out);
  return FALSE;
}

/* ---- changing accounts -------------------------------------------------- */

static gboolean
set_password_hash (SdServerDb *db, const char *user_id, const char *hash, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = prepare (db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, user_id, -1, SQLITE_STATIC);
  return sd_server_db_step_done (db, stmt, error);
}

static gboolean
update_profile (SdServerDb *db, const char *id, const SdServerUserChanges *c, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = prepare (db,
    "UPDATE users SET name = coalesce (?1, name), phone_number = coalesce (?2, phone_number),"
    " address = coalesce (?3, address), address_detail = coalesce (?4, address_detail),"
    " updated_at = ?5 WHERE id = ?6", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, c->phone_number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, c->address_detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, id, -1, SQLITE_STATIC);
  return sd_server_db_step_done (db, stmt, error);
}

/* The profile (when asked) and a new password (when given), which ends
 * every session of the user, in one transaction. */
static gboolean
change_user (SdServerStore *store, const char *id, gboolean profile, const SdServerUserChanges *c,
             GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autofree char *hash = NULL;

  if (c->password != NULL && (hash = sd_server_hash_password (c->password, error)) == NULL)
    return FALSE;
  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (profile && !update_profile (db, id, c, error))
    goto failed;
  if (hash != NULL && (!set_password_hash (db, id, hash, error) || !end_sessions (db, id, error)))
    goto failed;
  if (!sd_server_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  sd_server_db_rollback (db);
  return FALSE;
}

gboolean
sd_server_store_update_user (SdServerStore *store, const char *id, const SdServerUserChanges *changes,
                             GError **error)
{
  return change_user (store, id, TRUE, changes, error);
}

gboolean
sd_server_store_set_password (SdServerStore *store, const char *id, const char *password, GError **error)
{
  const SdServerUserChanges changes = { .password = password };

  return change_user (store, id, FALSE, &changes, error);
}

gboolean
sd_server_store_set_profile_image (SdServerStore *store, const char *id, const char *image, char **out_old,
                                   GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) get = prepare (db, "SELECT profile_image FROM users WHERE id = ?", NULL);
  g_autoptr(SdStmt) set = NULL;

  *out_old = NULL;
  if (get)
    {
      sqlite3_bind_text (get, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (get) == SQLITE_ROW)
        *out_old = g_strdup ((const char *) sqlite3_column_text (get, 0));
    }
  set = prepare (db, "UPDATE users SET profile_image = ?, updated_at = ? WHERE id = ?", error);
  if (set == NULL)
    return FALSE;
  sqlite3_bind_text (set, 1, image, -1, SQLITE_STATIC);
  sqlite3_bind_text (set, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (set, 3, id, -1, SQLITE_STATIC);
  if (!sd_server_db_step_done (db, set, error))
    {
      g_clear_pointer (out_old, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_server_store_delete_user (SdServerStore *store, const char *id, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM users WHERE id = ?", error);

  /* Sessions go with the user; orders keep their data (user_id → NULL). */
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return sd_server_db_step_changed (db, stmt, "user", error);
}

/* ---- throttles ---------------------------------------------------------- */

/* Seconds until t is under its limit again; 0 when it is under it now. */
static gint64
throttle_wait (SdServerDb *db, const SdServerThrottle *t)
{
  g_autoptr(SdStmt) stmt = prepare (db,
    "SELECT at FROM throttle_events WHERE kind = ? AND key = ? AND at > unixepoch () - ?"
    " ORDER BY at DESC LIMIT 1 OFFSET ?", NULL);
  gint64 at;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, t->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) t->window);
  sqlite3_bind_int (stmt, 4, (int) t->limit - 1);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  /* The limit-th newest event: once it ages out, one more may go. */
  at = sqlite3_column_int64 (stmt, 0);
  return MAX (1, at + t->window - now_s ());
}

/* The longest wait of several limits. */
static gint64
throttles_wait (SdServerDb *db, const SdServerThrottle *limits, guint n_limits)
{
  gint64 wait = 0;

  for (guint i = 0; i < n_limits; i++)
    wait = MAX (wait, throttle_wait (db, &limits[i]));
  return wait;
}

/* How many of t's events in its window, and the newest one's time. */
static gint64
throttle_count (SdServerDb *db, const SdServerThrottle *t, gint64 *out_newest)
{
  g_autoptr(SdStmt) stmt = prepare (db,
    "SELECT count (*), max (at) FROM throttle_events WHERE kind = ? AND key = ? AND at > unixepoch () - ?", NULL);

  *out_newest = 0;
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, t->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) t->window);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  *out_newest = sqlite3_column_int64 (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

/* Adds an event; returns its rowid (0 on failure), to take it back. */
static gint64
throttle_note (SdServerDb *db, const SdServerThrottle *t)
{
  g_autoptr(SdStmt) prune = prepare (db, "DELETE FROM throttle_events WHERE at <= unixepoch () - ?", NULL);
  g_autoptr(SdStmt) add = prepare (db, "INSERT INTO throttle_events (kind, key, at) VALUES (?, ?, unixepoch ())", NULL);

  if (prune)
    {
      sqlite3_bind_int (prune, 1, LONGEST_WINDOW);
      sqlite3_step (prune);
    }
  if (add == NULL)
    return 0;
  sqlite3_bind_text (add, 1, t->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, t->key, -1, SQLITE_STATIC);
  if (sqlite3_step (add) != SQLITE_DONE)
    return 0;
  return sqlite3_last_insert_rowid (sd_server_db_handle (db));
}

static void
throttle_forget_row (SdServerDb *db, gint64 rowid)
{
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM throttle_events WHERE rowid = ?", NULL);

  if (stmt == NULL || rowid == 0)
    return;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_step (stmt);
}

static void
throttle_forget (SdServerDb *db, const SdServerThrottle *t)
{
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM throttle_events WHERE kind = ? AND key = ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, t->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->key, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
}

/* The email's backoff on sign-in: seconds to wait, or 0. */
static gint64
sign_in_backoff (SdServerDb *db, const SdServerThrottle *email, guint max_delay)
{
  gint64 newest;
  gint64 failures = throttle_count (db, email, &newest);
  gint64 delay, left;

  if (failures < email->limit)
    return 0;
  delay = failures - email->limit >= 9 ? max_delay
          : MIN ((gint64) 1 << (failures - email->limit), (gint64) max_delay);
  left = newest + delay - now_s ();
  return left > 0 ? left : 0;
}

gboolean
sd_server_store_begin_sign_in (SdServerStore *store, const SdServerThrottle *pair, const SdServerThrottle *email,
                               guint max_delay, gint64 *out_wait, SdServerSignInAttempt *out_attempt,
                               GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  gint64 newest;

  *out_attempt = (SdServerSignInAttempt) { 0 };
  if (!sd_server_db_begin (db, error))
    return FALSE;
  *out_wait = throttle_wait (db, pair);
  if (*out_wait == 0 && throttle_count (db, pair, &newest) > 0)
    *out_wait = sign_in_backoff (db, email, max_delay);
  if (*out_wait > 0)
    {
      sd_server_db_rollback (db);
      return TRUE;
    }
  out_attempt->pair_event = throttle_note (db, pair);
  out_attempt->email_event = throttle_note (db, email);
  if (!sd_server_db_commit (db, error))
    {
      sd_server_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
sd_server_store_sign_in_succeeded (SdServerStore *store, const SdServerThrottle *pair,
                                   const SdServerSignInAttempt *attempt)
{
  SdServerDb *db = sd_server_store_get_db (store);

  throttle_forget_row (db, attempt->email_event);
  throttle_forget_row (db, attempt->pair_event);
  throttle_forget (db, pair);
}

/* ---- confirmation codes ------------------------------------------------- */

/* Both ways of issuing a code; out_taken (the original's way): not while
 * the email has a live one, then *out_taken and nothing stored. */
static gboolean
issue_code (SdServerStore *store, const char *email, const char *code_hash, guint ttl,
            const SdServerThrottle *limits, guint n_limits, gint64 *out_wait, gboolean *out_taken, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = NULL;

  if (!sd_server_db_begin (db, error))
    return FALSE;
  *out_wait = throttles_wait (db, limits, n_limits);
  if (*out_wait > 0)
    {
      sd_server_db_rollback (db);
      return TRUE;
    }
  if (out_taken)
    {
      g_autoptr(SdStmt) live = prepare (db, "SELECT 1 FROM email_codes WHERE email = ? AND expires_at > unixepoch ()",
                                        error);

      if (live == NULL)
        goto failed;
      sqlite3_bind_text (live, 1, email, -1, SQLITE_STATIC);
      *out_taken = sqlite3_step (live) == SQLITE_ROW;
      if (*out_taken)
        {
          sd_stmt_release (live);
          sd_server_db_rollback (db);
          return TRUE;
        }
    }
  stmt = prepare (db,
    "INSERT INTO email_codes (email, code_hash, expires_at, tries, confirmed_at)"
    " VALUES (?1, ?2, unixepoch () + ?3, 0, NULL)"
    " ON CONFLICT (email) DO UPDATE SET code_hash = ?2, expires_at = unixepoch () + ?3,"
    " tries = 0, confirmed_at = NULL", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) ttl);
  if (!sd_server_db_step_done (db, stmt, error))
    goto failed;
  for (guint i = 0; i < n_limits; i++)
    if (throttle_note (db, &limits[i]) == 0)
      goto failed;
  if (!sd_server_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  sd_server_db_rollback (db);
  return FALSE;
}

gboolean
sd_server_store_issue_code (SdServerStore *store, const char *email, const char *code_hash, guint ttl,
                            const SdServerThrottle *limits, guint n_limits, gint64 *out_wait, GError **error)
{
  return issue_code (store, email, code_hash, ttl, limits, n_limits, out_wait, NULL, error);
}

/* Two hashes compared in constant time. */
static gboolean
same_hash (const char *a, const char *b)
{
  return a != NULL && b != NULL && strlen (a) == strlen (b) &&
         memeql_sec (a, b, strlen (a));
}

gboolean
sd_server_store_check_code (SdServerStore *store, const char *email, const char *code_hash, gboolean consume,
                            guint max_tries, const SdServerThrottle *limits, guint n_limits,
                            SdServerCodeCheck *out_check, gint64 *out_wait, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autofree char *stored = NULL;
  g_autoptr(SdStmt) get = NULL;
  g_autoptr(SdStmt) done = NULL;
  gint64 expires = 0, tries = 0;
  gboolean found = FALSE, right;

  *out_check = SD_SERVER_CODE_WRONG;
  *out_wait = 0;
  if (!sd_server_db_begin (db, error))
    return FALSE;
  get = prepare (db, "SELECT code_hash, expires_at, tries FROM email_codes WHERE email = ?", error);
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
  if (!found || expires <= now_s () || tries >= max_tries)
    {
      sd_server_db_rollback (db);
      return TRUE;
    }
  *out_wait = throttles_wait (db, limits, n_limits);
  if (*out_wait > 0)
    {
      sd_server_db_rollback (db);
      *out_check = SD_SERVER_CODE_HELD;
      return TRUE;
    }

  right = same_hash (code_hash, stored);
  done = prepare (db,
    right ? (consume ? "DELETE FROM email_codes WHERE email = ?"
                     : "UPDATE email_codes SET confirmed_at = unixepoch () WHERE email = ?")
          : (tries + 1 >= max_tries ? "DELETE FROM email_codes WHERE email = ?"
                                    : "UPDATE email_codes SET tries = tries + 1 WHERE email = ?"), error);
  if (done == NULL)
    goto failed;
  sqlite3_bind_text (done, 1, email, -1, SQLITE_STATIC);
  if (!sd_server_db_step_done (db, done, error))
    goto failed;
  if (!right)
    for (guint i = 0; i < n_limits; i++)
      throttle_note (db, &limits[i]);
  if (!sd_server_db_commit (db, error))
    goto failed;
  *out_check = right ? SD_SERVER_CODE_RIGHT : SD_SERVER_CODE_WRONG;
  return TRUE;

failed:
  sd_server_db_rollback (db);
  return FALSE;
}

/* ---- the original's ways (storedesk-server --no-extensions) ------------- */

gboolean
sd_server_store_issue_code_once (SdServerStore *store, const char *email, const char *code_hash, guint ttl,
                                 const SdServerThrottle *limits, guint n_limits, gint64 *out_wait,
                                 gboolean *out_taken, GError **error)
{
  *out_taken = FALSE;
  return issue_code (store, email, code_hash, ttl, limits, n_limits, out_wait, out_taken, error);
}

gboolean
sd_server_store_set_user_role (SdServerStore *store, const char *id, const char *role, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt = prepare (db, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return sd_server_db_step_changed (db, stmt, "user", error);
}
