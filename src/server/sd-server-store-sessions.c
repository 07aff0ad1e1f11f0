/* sd-server-store-sessions.c — the store's sessions: refresh token
 * families, their rotation and their end. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <string.h>

#define prepare sd_server_db_statement

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
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, user_id);
  sd_stmt_bind_int64 (stmt, 3, rotated_at);
  sd_stmt_bind_int64 (stmt, 4, expires_at);
  return sd_server_db_step_done (db, stmt, error);
}

gboolean
sd_server_store_end_session (SdServerStore *store, const char *id, const char *user_id, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM sessions WHERE id = ? AND user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, user_id);
  return sd_server_db_step_done (db, stmt, error);
}

gboolean
sd_server_store_end_sessions_db (SdServerDb *db, const char *user_id, GError **error)
{
  return sd_server_db_run_text (db, "DELETE FROM sessions WHERE user_id = ?", user_id, error);
}

gboolean
sd_server_store_end_sessions (SdServerStore *store, const char *user_id, GError **error)
{
  return sd_server_store_end_sessions_db (sd_server_store_get_db (store), user_id, error);
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
  gint64 now = sd_server_store_now_s ();
  gboolean found = FALSE;

  *out_outcome = SD_SERVER_REFRESH_ENDED;
  if (!sd_server_db_begin (db, error))
    return FALSE;
  get = prepare (db, "SELECT user_id, generation, rotated_at, expires_at FROM sessions WHERE id = ?", error);
  if (get == NULL)
    goto failed;
  sd_stmt_bind_text (get, 1, id);
  if (sd_stmt_step (get) == SD_STMT_ROW)
    {
      found = TRUE;
      out->user_id = g_strdup (sd_stmt_text_or_null (get, 0));
      out->generation = sd_stmt_int64 (get, 1);
      out->rotated_at = sd_stmt_int64 (get, 2);
      out->expires_at = sd_stmt_int64 (get, 3);
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
          sd_stmt_bind_int64 (move, 1, out->generation);
          sd_stmt_bind_int64 (move, 2, out->rotated_at);
          sd_stmt_bind_int64 (move, 3, out->expires_at);
          sd_stmt_bind_text (move, 4, id);
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
