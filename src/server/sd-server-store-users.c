/* sd-server-store-users.c — the store's users: accounts and their
 * changes. Their sessions are in sd-server-store-sessions.c, the
 * throttles' counters and confirmation codes in
 * sd-server-store-throttles.c. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <crypt.h>
#include <string.h>

#define prepare sd_server_db_statement

#define USER_COLUMNS "id, name, phone_number, email, address, address_detail, role, profile_image, created_at, updated_at"

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
      const char *v = sd_stmt_text_or_null (stmt, (int) i);
      json_builder_set_member_name (b, members[i]);
      json_builder_add_string_value (b, v ? v : "");
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sd_server_store_get_user (SdServerStore *store, const char *id, GError **error)
{
  return sd_server_db_row_by_id (sd_server_store_get_db (store), "SELECT " USER_COLUMNS " FROM users WHERE id = ?",
                                 id, user_from_row, NULL, "user", error);
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
  sd_stmt_bind_text_copy (stmt, 1, value);
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
  sd_stmt_bind_text (stmt, 1, email);
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
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, in->email);
  sd_stmt_bind_text (stmt, 3, in->name);
  sd_stmt_bind_text (stmt, 4, in->phone_number ? in->phone_number : "");
  sd_stmt_bind_text (stmt, 5, hash);
  sd_stmt_bind_text (stmt, 6, in->address ? in->address : "");
  sd_stmt_bind_text (stmt, 7, in->address_detail ? in->address_detail : "");
  sd_stmt_bind_text (stmt, 8, in->role);
  sd_stmt_bind_text (stmt, 9, now);
  if (sd_stmt_step (stmt) != SD_STMT_DONE)
    {
      sd_server_db_set_error (self, error, "insert user");
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* Deletes the email's code (and its confirmation); keep_code: only the
 * confirmation goes, the code lives on until it expires. */
static gboolean
forget_code (SdServerDb *db, const char *email, gboolean keep_code, GError **error)
{
  return sd_server_db_run_text (db, keep_code ? "UPDATE email_codes SET confirmed_at = NULL WHERE email = ?"
                                              : "DELETE FROM email_codes WHERE email = ?", email, error);
}

char *
sd_server_store_sign_up (SdServerStore *store, const SdServerUserInput *in, guint confirmed_within,
                         gboolean keep_code, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) confirmed = prepare (db,
    "SELECT 1 FROM email_codes WHERE email = ? AND confirmed_at >= unixepoch () - ?", error);
  char *id;

  if (confirmed == NULL)
    return NULL;
  sd_stmt_bind_text (confirmed, 1, in->email);
  sd_stmt_bind_int64 (confirmed, 2, (int) confirmed_within);
  if (!sd_server_db_step_row (db, confirmed, "confirmation", error))
    return NULL;
  sd_stmt_release (confirmed);

  id = sd_server_store_create_user (store, in, error);
  if (id != NULL)
    forget_code (db, in->email, keep_code, NULL);
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
  sd_stmt_bind_text (find, 1, in->email);
  if (sd_stmt_step (find) == SD_STMT_ROW)
    id = g_strdup (sd_stmt_text_or_null (find, 0));
  sd_stmt_release (find);
  if (id == NULL)
    return sd_server_store_create_user (store, in, error);

  hash = sd_server_hash_password (in->password, error);
  if (hash == NULL)
    return NULL;
  update = prepare (self, "UPDATE users SET role = 'admin', password_hash = ?, updated_at = ? WHERE id = ?", error);
  if (update == NULL)
    return NULL;
  sd_stmt_bind_text (update, 1, hash);
  sd_stmt_bind_text (update, 2, now);
  sd_stmt_bind_text (update, 3, id);
  if (!sd_server_db_step_done (self, update, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- changing accounts -------------------------------------------------- */

/* sql, "UPDATE users SET column = ?, updated_at = ? WHERE id = ?", bound
 * to value, now and id; NULL on error. */
static SdStmt *
user_update (SdServerDb *db, const char *sql, const char *value, const char *id, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
  SdStmt *stmt = prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  sd_stmt_bind_text (stmt, 1, value);
  sd_stmt_bind_text_copy (stmt, 2, now);
  sd_stmt_bind_text (stmt, 3, id);
  return stmt;
}

static gboolean
set_password_hash (SdServerDb *db, const char *user_id, const char *hash, GError **error)
{
  g_autoptr(SdStmt) stmt = user_update (db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                                        hash, user_id, error);

  return stmt != NULL && sd_server_db_step_done (db, stmt, error);
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
  sd_stmt_bind_text (stmt, 1, c->name);
  sd_stmt_bind_text (stmt, 2, c->phone_number);
  sd_stmt_bind_text (stmt, 3, c->address);
  sd_stmt_bind_text (stmt, 4, c->address_detail);
  sd_stmt_bind_text (stmt, 5, now);
  sd_stmt_bind_text (stmt, 6, id);
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
  return sd_server_db_end (db,
                           (!profile || update_profile (db, id, c, error)) &&
                           (hash == NULL || (set_password_hash (db, id, hash, error) &&
                                             sd_server_store_end_sessions_db (db, id, error))),
                           error);
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
      sd_stmt_bind_text (get, 1, id);
      if (sd_stmt_step (get) == SD_STMT_ROW)
        *out_old = g_strdup (sd_stmt_text_or_null (get, 0));
    }
  set = prepare (db, "UPDATE users SET profile_image = ?, updated_at = ? WHERE id = ?", error);
  if (set == NULL)
    return FALSE;
  sd_stmt_bind_text (set, 1, image);
  sd_stmt_bind_text (set, 2, now);
  sd_stmt_bind_text (set, 3, id);
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
  sd_stmt_bind_text (stmt, 1, id);
  return sd_server_db_step_changed (db, stmt, "user", error);
}

/* ---- the original's ways (storedesk-server --no-extensions) ------------- */


gboolean
sd_server_store_set_user_role (SdServerStore *store, const char *id, const char *role, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = user_update (db, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?", role, id, error);

  return stmt != NULL && sd_server_db_step_changed (db, stmt, "user", error);
}
