/* sd-local-queue.c — the local store's queue of writes waiting to be sent:
 * a file of its own (synchronous=FULL, so an enqueue that finished is on
 * disk), in order, each with its Idempotency-Key. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-local-store-private.h"

#define KIND_MAX    64
#define TARGET_MAX  200

/* steps[v] brings version v to v + 1; append, never edit one.
 * AUTOINCREMENT: a seq is never given twice, so the order holds even
 * after the newest write was removed. */
static const char * const queue_steps[] = {
  "CREATE TABLE writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
  "  target_id TEXT NOT NULL, body TEXT NOT NULL, base_updated_at TEXT,"
  "  idempotency_key TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);",
};

gboolean
sd_local_queue_migrate (sqlite3 *conn, GError **error)
{
  return sd_local_migrate (conn, queue_steps, G_N_ELEMENTS (queue_steps), error);
}

void
sd_queued_write_free (SdQueuedWrite *write)
{
  if (write == NULL)
    return;
  g_free (write->kind);
  g_free (write->target_id);
  g_free (write->body);
  g_free (write->base_updated_at);
  g_free (write->idempotency_key);
  g_free (write);
}

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

#define WRITE_COLUMNS "seq, kind, target_id, body, base_updated_at, idempotency_key, created"

static SdQueuedWrite *
write_from_row (sqlite3_stmt *stmt)
{
  SdQueuedWrite *write = g_new0 (SdQueuedWrite, 1);

  write->seq = sqlite3_column_int64 (stmt, 0);
  write->kind = column_dup (stmt, 1);
  write->target_id = column_dup (stmt, 2);
  write->body = column_dup (stmt, 3);
  write->base_updated_at = column_dup (stmt, 4);
  write->idempotency_key = column_dup (stmt, 5);
  write->created = sqlite3_column_int64 (stmt, 6);
  return write;
}

/* Runs sql (parameters ?1.. bound from texts, NULL as NULL, then ?n an
 * integer when with_int) on the queue; rows (optional) collects
 * SdQueuedWrites. The number of rows changed, or -1 with error. */
static gint64
queue_exec (SdLocalDb *db, const char *sql, const char * const *texts, guint n_texts,
            gboolean with_int, gint64 value, GPtrArray *rows, GError **error)
{
  sqlite3 *conn = sd_local_db_queue (db, error);
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_ERROR;
  gint64 changed = -1;

  if (conn == NULL)
    return -1;
  if (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      for (guint i = 0; i < n_texts; i++)
        if (texts[i])
          sqlite3_bind_text (stmt, i + 1, texts[i], -1, SQLITE_TRANSIENT);
      if (with_int)
        sqlite3_bind_int64 (stmt, n_texts + 1, value);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (rows)
          g_ptr_array_add (rows, write_from_row (stmt));
    }
  if (rc == SQLITE_DONE)
    changed = sqlite3_changes (conn);
  else
    sd_local_db_failed (db, conn, error);
  sqlite3_finalize (stmt);
  return changed;
}

/* ---- enqueue ------------------------------------------------------------ */

typedef struct {
  char *kind;
  char *target_id;
  char *body;
  char *base_updated_at;
} Enqueue;

static void
enqueue_free (Enqueue *e)
{
  g_free (e->kind);
  g_free (e->target_id);
  g_free (e->body);
  g_free (e->base_updated_at);
  g_free (e);
}

static gboolean
valid_kind (const char *kind)
{
  if (kind == NULL || *kind == '\0' || strlen (kind) > KIND_MAX)
    return FALSE;
  for (const char *p = kind; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* The body as it will be kept: a JSON object, less its secrets. */
static char *
checked_body (Enqueue *e, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!valid_kind (e->kind) || e->target_id == NULL || *e->target_id == '\0' ||
      strlen (e->target_id) > TARGET_MAX || (e->base_updated_at && strlen (e->base_updated_at) > 64) ||
      e->body == NULL || strlen (e->body) > SD_LOCAL_RECORD_MAX)
    {
      g_set_error_literal (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                           "a queued write needs a kind (a-z, 0-9, -), a target id and a body of at most 1 MiB");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, e->body, -1, error))
    return NULL;
  return sd_local_scrubbed_text (json_parser_get_root (parser), error);
}

static void
enqueue_job (SdLocalDb *db, GTask *task, gpointer data)
{
  Enqueue *e = data;
  GError *error = NULL;
  g_autofree char *body = checked_body (e, &error);
  g_autofree char *key = g_uuid_string_random ();
  const char *texts[] = { e->kind, e->target_id, body, e->base_updated_at, key };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_queued_write_free);

  if (body == NULL ||
      queue_exec (db, "INSERT INTO writes (kind, target_id, body, base_updated_at, idempotency_key, created)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING " WRITE_COLUMNS,
                  texts, G_N_ELEMENTS (texts), TRUE, g_get_real_time (), rows, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_ptr_array_steal_index (rows, 0), (GDestroyNotify) sd_queued_write_free);
}

void
sd_local_store_enqueue_async (SdLocalStore        *self,
                              const char          *kind,
                              const char          *target_id,
                              const char          *body,
                              const char          *base_updated_at,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Enqueue *e = g_new0 (Enqueue, 1);

  e->kind = g_strdup (kind);
  e->target_id = g_strdup (target_id);
  e->body = g_strdup (body);
  e->base_updated_at = g_strdup (base_updated_at);
  sd_local_store_run (self, sd_local_store_enqueue_async, enqueue_job, e, (GDestroyNotify) enqueue_free,
                      cancellable, callback, user_data);
}

SdQueuedWrite *
sd_local_store_enqueue_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- list and dequeue ---------------------------------------------------- */

static void
list_job (SdLocalDb *db, GTask *task, gpointer data)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_queued_write_free);

  if (queue_exec (db, "SELECT " WRITE_COLUMNS " FROM writes ORDER BY seq", NULL, 0, FALSE, 0,
                  rows, &error) < 0)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

void
sd_local_store_list_queue_async (SdLocalStore        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  sd_local_store_run (self, sd_local_store_list_queue_async, list_job, NULL, NULL,
                      cancellable, callback, user_data);
}

GPtrArray *
sd_local_store_list_queue_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A change of the write with one key: TRUE, or NOT_FOUND when none has it. */
static void
return_one_row (GTask *task, gint64 changed, GError *error)
{
  if (changed < 0)
    g_task_return_error (task, error);
  else if (changed == 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no queued write has this key");
  else
    g_task_return_boolean (task, TRUE);
}

static void
dequeue_job (SdLocalDb *db, GTask *task, gpointer data)
{
  GError *error = NULL;
  const char *texts[] = { data };
  gint64 removed = queue_exec (db, "DELETE FROM writes WHERE idempotency_key = ?1", texts, 1,
                               FALSE, 0, NULL, &error);

  return_one_row (task, removed, error);
}

void
sd_local_store_dequeue_async (SdLocalStore        *self,
                              const char          *idempotency_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  sd_local_store_run (self, sd_local_store_dequeue_async, dequeue_job, g_strdup (idempotency_key), g_free,
                      cancellable, callback, user_data);
}

gboolean
sd_local_store_dequeue_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- rebase --------------------------------------------------------------- */

/* Enqueue's fields reused: kind holds the Idempotency-Key. */
static void
rebase_job (SdLocalDb *db, GTask *task, gpointer data)
{
  Enqueue *e = data;
  GError *error = NULL;
  g_autofree char *body = checked_body (e, &error);
  const char *texts[] = { body, e->base_updated_at, e->target_id };
  gint64 changed;

  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  changed = queue_exec (db, "UPDATE writes SET body = ?1, base_updated_at = ?2 WHERE idempotency_key = ?3",
                        texts, G_N_ELEMENTS (texts), FALSE, 0, NULL, &error);
  return_one_row (task, changed, error);
}

void
sd_local_store_rebase_async (SdLocalStore        *self,
                             const char          *idempotency_key,
                             const char          *body,
                             const char          *base_updated_at,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Enqueue *e = g_new0 (Enqueue, 1);

  e->kind = g_strdup ("rebase");
  e->target_id = g_strdup (idempotency_key);
  e->body = g_strdup (body);
  e->base_updated_at = g_strdup (base_updated_at);
  sd_local_store_run (self, sd_local_store_rebase_async, rebase_job, e, (GDestroyNotify) enqueue_free,
                      cancellable, callback, user_data);
}
