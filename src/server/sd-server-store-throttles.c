/* sd-server-store-throttles.c — the store's throttles' counters and
 * confirmation codes. What the limits are, and why, is the guard's
 * (sd-server-guard.c); here they are counted and kept. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <nettle/memops.h>
#include <string.h>

#define prepare sd_server_db_statement

/* Rows of throttle_events older than this go whenever one is added. */
#define LONGEST_WINDOW 3600

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
  sd_stmt_bind_text (stmt, 1, t->kind);
  sd_stmt_bind_text (stmt, 2, t->key);
  sd_stmt_bind_int64 (stmt, 3, (int) t->window);
  sd_stmt_bind_int64 (stmt, 4, (int) t->limit - 1);
  if (sd_stmt_step (stmt) != SD_STMT_ROW)
    return 0;
  /* The limit-th newest event: once it ages out, one more may go. */
  at = sd_stmt_int64 (stmt, 0);
  return MAX (1, at + t->window - sd_server_store_now_s ());
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
  sd_stmt_bind_text (stmt, 1, t->kind);
  sd_stmt_bind_text (stmt, 2, t->key);
  sd_stmt_bind_int64 (stmt, 3, (int) t->window);
  if (sd_stmt_step (stmt) != SD_STMT_ROW)
    return 0;
  *out_newest = sd_stmt_int64 (stmt, 1);
  return sd_stmt_int64 (stmt, 0);
}

/* Adds an event; returns its rowid (0 on failure), to take it back. */
static gint64
throttle_note (SdServerDb *db, const SdServerThrottle *t)
{
  g_autoptr(SdStmt) prune = prepare (db, "DELETE FROM throttle_events WHERE at <= unixepoch () - ?", NULL);
  g_autoptr(SdStmt) add = prepare (db, "INSERT INTO throttle_events (kind, key, at) VALUES (?, ?, unixepoch ())"
                                     " RETURNING rowid", NULL);

  if (prune)
    {
      sd_stmt_bind_int64 (prune, 1, LONGEST_WINDOW);
      sd_stmt_step (prune);
    }
  if (add == NULL)
    return 0;
  sd_stmt_bind_text (add, 1, t->kind);
  sd_stmt_bind_text (add, 2, t->key);
  if (sd_stmt_step (add) != SD_STMT_ROW)
    return 0;
  return sd_stmt_int64 (add, 0);
}

/* An event for each of limits; FALSE when one could not be added. */
static gboolean
throttles_note (SdServerDb *db, const SdServerThrottle *limits, guint n_limits)
{
  gboolean all = TRUE;

  for (guint i = 0; i < n_limits; i++)
    all = throttle_note (db, &limits[i]) != 0 && all;
  return all;
}

static void
throttle_forget_row (SdServerDb *db, gint64 rowid)
{
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM throttle_events WHERE rowid = ?", NULL);

  if (stmt == NULL || rowid == 0)
    return;
  sd_stmt_bind_int64 (stmt, 1, rowid);
  sd_stmt_step (stmt);
}

static void
throttle_forget (SdServerDb *db, const SdServerThrottle *t)
{
  g_autoptr(SdStmt) stmt = prepare (db, "DELETE FROM throttle_events WHERE kind = ? AND key = ?", NULL);

  if (stmt == NULL)
    return;
  sd_stmt_bind_text (stmt, 1, t->kind);
  sd_stmt_bind_text (stmt, 2, t->key);
  sd_stmt_step (stmt);
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
  left = newest + delay - sd_server_store_now_s ();
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
  return sd_server_db_end (db, TRUE, error);
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
      sd_stmt_bind_text (live, 1, email);
      *out_taken = sd_stmt_step (live) == SD_STMT_ROW;
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
  sd_stmt_bind_text (stmt, 1, email);
  sd_stmt_bind_text (stmt, 2, code_hash);
  sd_stmt_bind_int64 (stmt, 3, (int) ttl);
  if (!sd_server_db_step_done (db, stmt, error))
    goto failed;
  return sd_server_db_end (db, throttles_note (db, limits, n_limits), error);

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
  sd_stmt_bind_text (get, 1, email);
  if (sd_stmt_step (get) == SD_STMT_ROW)
    {
      found = TRUE;
      stored = g_strdup (sd_stmt_text_or_null (get, 0));
      expires = sd_stmt_int64 (get, 1);
      tries = sd_stmt_int64 (get, 2);
    }
  sd_stmt_release (get);

  /* No live code: nothing to guess at, nothing to count. */
  if (!found || expires <= sd_server_store_now_s () || tries >= max_tries)
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

  /* A burned code stays, dead and unconfirmed, until it expires: to
   * issue_code_once the email is no freer than had it not burned. */
  right = same_hash (code_hash, stored);
  done = prepare (db,
    right ? (consume ? "DELETE FROM email_codes WHERE email = ?"
                     : "UPDATE email_codes SET confirmed_at = unixepoch () WHERE email = ?")
          : (tries + 1 >= max_tries ? "UPDATE email_codes SET tries = tries + 1, confirmed_at = NULL WHERE email = ?"
                                    : "UPDATE email_codes SET tries = tries + 1 WHERE email = ?"), error);
  if (done == NULL)
    goto failed;
  sd_stmt_bind_text (done, 1, email);
  if (!sd_server_db_step_done (db, done, error))
    goto failed;
  if (!right)
    throttles_note (db, limits, n_limits);
  if (!sd_server_db_end (db, TRUE, error))
    return FALSE;
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
