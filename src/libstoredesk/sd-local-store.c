/* sd-local-store.c — SdLocalStore: its files (named, created 0600, opened,
 * rebuilt when damaged, forgotten) and the worker thread that owns them.
 *
 * Why one thread of its own rather than a GTask thread per call: calls
 * must run in the order they were made (a page put, then read back; a
 * write queued, then listed), which the shared GTask pool does not
 * promise, and one connection used by one thread needs no locking. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sd-local-store-private.h"
#include "sd-search-index.h"

G_DEFINE_QUARK (sd-local-store-error-quark, sd_local_store_error)

struct _SdLocalDb {
  char    *cache_path;
  char    *queue_path;
  sqlite3 *cache;
  sqlite3 *queue;
  SdSearchIndex *search;   /* on cache, made on first use, closed with it */
  GError  *notice;   /* the last rebuild, until open_async hands it over */
};

typedef struct {
  SdLocalJob      func;   /* NULL: the worker's last job */
  gpointer        data;
  GDestroyNotify  data_free;
  GTask          *task;
} Job;

typedef struct {
  GAsyncQueue *jobs;
  SdLocalDb   *db;
} Worker;

struct _SdLocalStore {
  GObject      parent_instance;
  char        *shop_key;
  char        *account;
  char        *cache_path;
  char        *queue_path;
  GAsyncQueue *jobs;
  GThread     *thread;
};

G_DEFINE_FINAL_TYPE (SdLocalStore, sd_local_store, G_TYPE_OBJECT)

static const char * const file_suffixes[] = { "", "-wal", "-shm", "-journal" };

/* ---- files ---------------------------------------------------------------- */

/* base/storedesk/folder/<sha256 (shop_key)>: a shop's files, together so
 * that they move as one when its key changes. */
static char *
shop_dir (const char *base_dir, const char *folder, const char *shop_key)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, shop_key, -1);

  return g_build_filename (base_dir, "storedesk", folder, hash, NULL);
}

static char *
store_path (const char *base_dir, const char *folder, const char *shop_key, const char *account)
{
  g_autofree char *dir = shop_dir (base_dir, folder, shop_key);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account, -1);
  g_autofree char *name = g_strconcat (hash, ".db", NULL);

  return g_build_filename (dir, name, NULL);
}

/* The file exists, is a regular file of ours, and is 0600. */
static gboolean
prepare_file (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_FAILED,
                   "cannot make %s: %s", dir, g_strerror (e));
      return FALSE;
    }
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_FAILED,
                   "cannot open %s: %s", path, g_strerror (e));
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && (st.st_mode & 0077) != 0 && fchmod (fd, 0600) != 0)
    g_message ("Could not narrow %s to 0600: %s", path, g_strerror (errno));
  close (fd);
  return TRUE;
}

static void
remove_files (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, file_suffixes[i], NULL);
      if (g_unlink (p) != 0 && errno != ENOENT)
        g_message ("Could not remove %s: %s", p, g_strerror (errno));
    }
}

static gboolean
is_damage (sqlite3 *conn)
{
  int code = conn ? sqlite3_errcode (conn) & 0xff : SQLITE_NOMEM;

  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

void
sd_local_sqlite_error (sqlite3 *conn, const char *what, GError **error)
{
  g_set_error (error, SD_LOCAL_STORE_ERROR,
               is_damage (conn) ? SD_LOCAL_STORE_ERROR_DAMAGED : SD_LOCAL_STORE_ERROR_FAILED,
               "%s: %s", what, conn ? sqlite3_errmsg (conn) : "out of memory");
}

/* Opens path as one of our databases, migrated; NULL and error when the
 * file cannot be one (damaged, newer, unreadable) or the disk refuses. */
static sqlite3 *
open_conn (const char *path, gboolean durable, GError **error)
{
  sqlite3 *conn = NULL;
  const char *pragmas = durable
    ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

  if (!prepare_file (path, error))
    return NULL;
  if (sqlite3_open_v2 (path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (conn, 5000) != SQLITE_OK ||
      sqlite3_exec (conn, pragmas, NULL, NULL, NULL) != SQLITE_OK)
    {
      sd_local_sqlite_error (conn, path, error);
      sqlite3_close_v2 (conn);
      return NULL;
    }
  if (!(durable ? sd_local_queue_migrate (conn, error) : sd_local_cache_migrate (conn, error)))
    {
      sqlite3_close_v2 (conn);
      return NULL;
    }
  return conn;
}

static void
set_rebuilt (SdLocalDb *db, const char *reason)
{
  g_message ("The local cache %s was damaged (%s); deleted and made again", db->cache_path, reason);
  g_clear_error (&db->notice);
  g_set_error_literal (&db->notice, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_REBUILT,
                       _("The copy of this shop kept on this computer could not be read, so it "
                         "was deleted and started again; it fills up again as you browse. "
                         "Changes waiting to be sent were kept."));
}

/* The search index lives in the cache file: it goes with the connection. */
static void
close_cache (SdLocalDb *db)
{
  g_clear_pointer (&db->search, sd_search_index_free);
  g_clear_pointer (&db->cache, sqlite3_close_v2);
}

sqlite3 *
sd_local_db_cache (SdLocalDb *db, GError **error)
{
  g_autoptr(GError) first = NULL;

  if (db->cache)
    return db->cache;
  db->cache = open_conn (db->cache_path, FALSE, &first);
  if (db->cache == NULL)
    {
      /* Only a cache: whatever it held comes again from the shop. */
      remove_files (db->cache_path);
      db->cache = open_conn (db->cache_path, FALSE, error);
      if (db->cache)
        set_rebuilt (db, first->message);
    }
  return db->cache;
}

sqlite3 *
sd_local_db_queue (SdLocalDb *db, GError **error)
{
  g_autoptr(GError) first = NULL;
  g_autofree char *aside = NULL;

  if (db->queue)
    return db->queue;
  db->queue = open_conn (db->queue_path, TRUE, &first);
  if (db->queue || !g_error_matches (first, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_DAMAGED))
    {
      if (first)
        g_propagate_error (error, g_steal_pointer (&first));
      return db->queue;
    }
  /* Not a queue we can read: kept aside for a person to look at, never
   * deleted, and a new one started. */
  aside = g_strdup_printf ("%s.unreadable-%" G_GINT64_FORMAT, db->queue_path, g_get_real_time ());
  if (g_rename (db->queue_path, aside) != 0)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return NULL;
    }
  g_message ("The write queue %s could not be read (%s); moved to %s", db->queue_path, first->message, aside);
  for (guint i = 1; i < G_N_ELEMENTS (file_suffixes); i++)
    {
      g_autofree char *p = g_strconcat (db->queue_path, file_suffixes[i], NULL);
      g_unlink (p);
    }
  db->queue = open_conn (db->queue_path, TRUE, error);
  return db->queue;
}

gboolean
sd_local_db_failed (SdLocalDb *db, sqlite3 *conn, GError **error)
{
  if (conn == db->cache && is_damage (conn))
    {
      g_autofree char *reason = g_strdup (sqlite3_errmsg (conn));
      close_cache (db);
      remove_files (db->cache_path);
      set_rebuilt (db, reason);
      g_set_error_literal (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_REBUILT, db->notice->message);
      return TRUE;
    }
  sd_local_sqlite_error (conn, conn == db->cache ? db->cache_path : db->queue_path, error);
  return FALSE;
}

SdSearchIndex *
sd_local_db_search (SdLocalDb *db, GError **error)
{
  sqlite3 *conn;
  g_autoptr(GError) local = NULL;

  if (db->search)
    return db->search;
  if ((conn = sd_local_db_cache (db, error)) == NULL)
    return NULL;
  db->search = sd_search_index_new (conn, &local);
  if (db->search == NULL)
    sd_local_db_failed (db, conn, error);
  return db->search;
}

static void
db_close (SdLocalDb *db)
{
  close_cache (db);
  g_clear_pointer (&db->queue, sqlite3_close_v2);
}

/* ---- a shop's key changes --------------------------------------------- */

/* Appends the writes of the queue file src to dst's (made if missing),
 * then removes src. */
static void
merge_queue (const char *src, const char *dst)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *conn = open_conn (dst, TRUE, &error);
  sqlite3_stmt *attach = NULL;
  gboolean ok;

  if (conn == NULL)
    {
      g_message ("Queued writes not moved from %s: %s", src, error->message);
      return;
    }
  ok = sqlite3_prepare_v2 (conn, "ATTACH DATABASE ?1 AS old", -1, &attach, NULL) == SQLITE_OK &&
    sqlite3_bind_text (attach, 1, src, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
    sqlite3_step (attach) == SQLITE_DONE;
  sqlite3_finalize (attach);
  /* Idempotency keys are unique: a write merged twice is kept once. */
  ok = ok && sqlite3_exec (conn, "BEGIN IMMEDIATE;"
                           " INSERT OR IGNORE INTO writes (kind, target_id, body, base_updated_at,"
                           "   idempotency_key, created)"
                           " SELECT kind, target_id, body, base_updated_at, idempotency_key, created"
                           " FROM old.writes ORDER BY seq;"
                           " COMMIT;", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    {
      g_message ("Queued writes not moved from %s: %s", src, sqlite3_errmsg (conn));
      sqlite3_exec (conn, "ROLLBACK", NULL, NULL, NULL);
    }
  sqlite3_exec (conn, "DETACH DATABASE old", NULL, NULL, NULL);
  sqlite3_close_v2 (conn);
  if (ok)
    remove_files (src);
}

/* Each account's database in a shop's folder (by its name), or the
 * folder's files and the folder removed. */
static void
each_store (const char *dir, const char *to_dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (listing && (name = g_dir_read_name (listing)))
    g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (to_dir && g_str_has_suffix (path, ".db"))
        {
          g_autofree char *dst = g_build_filename (to_dir, g_ptr_array_index (names, i), NULL);
          merge_queue (path, dst);
        }
      else if (to_dir == NULL)
        g_unlink (path);
    }
  g_rmdir (dir);   /* only when nothing is left in it */
}

void
sd_local_store_migrate_shop (const char *from, const char *to)
{
  g_autofree char *old_cache = shop_dir (g_get_user_cache_dir (), "local", from);
  g_autofree char *old_queue = shop_dir (g_get_user_data_dir (), "queue", from);
  g_autofree char *new_queue = shop_dir (g_get_user_data_dir (), "queue", to);

  if (g_strcmp0 (from, to) == 0)
    return;
  each_store (old_cache, NULL);
  each_store (old_queue, new_queue);
}

/* ---- the worker ----------------------------------------------------------- */

static void
job_free (Job *job)
{
  if (job->data_free)
    job->data_free (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

static gpointer
worker_main (gpointer user_data)
{
  Worker *w = user_data;

  for (;;)
    {
      Job *job = g_async_queue_pop (w->jobs);
      SdLocalJob func = job->func;

      if (func && !g_task_return_error_if_cancelled (job->task))
        func (w->db, job->task, job->data);
      /* May drop the store's last reference, which then posts the last job. */
      job_free (job);
      if (func == NULL)
        break;
    }
  db_close (w->db);
  g_clear_error (&w->db->notice);
  g_free (w->db->cache_path);
  g_free (w->db->queue_path);
  g_free (w->db);
  g_async_queue_unref (w->jobs);
  g_free (w);
  return NULL;
}

void
sd_local_store_run (SdLocalStore        *self,
                    gpointer             source_tag,
                    SdLocalJob           func,
                    gpointer             data,
                    GDestroyNotify       data_free,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  g_async_queue_push (self->jobs, job);
}

/* ---- the object --------------------------------------------------------- */

static void
sd_local_store_finalize (GObject *object)
{
  SdLocalStore *self = SD_LOCAL_STORE (object);

  /* Every job holds the store, so this one is the last: the worker closes
   * the files and ends. Joined unless this is the worker itself. */
  g_async_queue_push (self->jobs, g_new0 (Job, 1));
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  g_async_queue_unref (self->jobs);
  g_free (self->shop_key);
  g_free (self->account);
  g_free (self->cache_path);
  g_free (self->queue_path);
  G_OBJECT_CLASS (sd_local_store_parent_class)->finalize (object);
}

static void
sd_local_store_class_init (SdLocalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_local_store_finalize;
}

static void
sd_local_store_init (SdLocalStore *self)
{
}

SdLocalStore *
sd_local_store_new (const char *shop_key, const char *account_id)
{
  SdLocalStore *self;
  Worker *w;

  g_return_val_if_fail (shop_key != NULL && *shop_key, NULL);
  self = g_object_new (SD_TYPE_LOCAL_STORE, NULL);
  w = g_new0 (Worker, 1);
  self->shop_key = g_strdup (shop_key);
  self->account = g_strdup (account_id && *account_id ? account_id : "guest");
  self->cache_path = store_path (g_get_user_cache_dir (), "local", self->shop_key, self->account);
  self->queue_path = store_path (g_get_user_data_dir (), "queue", self->shop_key, self->account);
  self->jobs = g_async_queue_new_full ((GDestroyNotify) job_free);
  w->jobs = g_async_queue_ref (self->jobs);
  w->db = g_new0 (SdLocalDb, 1);
  w->db->cache_path = g_strdup (self->cache_path);
  w->db->queue_path = g_strdup (self->queue_path);
  self->thread = g_thread_new ("sd-local-store", worker_main, w);
  return self;
}

const char *
sd_local_store_get_shop_key (SdLocalStore *self)
{
  return self->shop_key;
}

const char *
sd_local_store_get_account (SdLocalStore *self)
{
  return self->account;
}

const char *
sd_local_store_get_cache_path (SdLocalStore *self)
{
  return self->cache_path;
}

const char *
sd_local_store_get_queue_path (SdLocalStore *self)
{
  return self->queue_path;
}

/* ---- open and forget ---------------------------------------------------- */

static void
open_job (SdLocalDb *db, GTask *task, gpointer data)
{
  GError *error = NULL;

  if (sd_local_db_queue (db, &error) == NULL || sd_local_db_cache (db, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&db->notice), (GDestroyNotify) g_error_free);
}

void
sd_local_store_open_async (SdLocalStore        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  sd_local_store_run (self, sd_local_store_open_async, open_job, NULL, NULL,
                      cancellable, callback, user_data);
}

gboolean
sd_local_store_open_finish (SdLocalStore  *self,
                            GAsyncResult  *result,
                            GError       **notice,
                            GError       **error)
{
  g_autoptr(GError) local = NULL;
  GError *rebuilt;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  rebuilt = g_task_propagate_pointer (G_TASK (result), &local);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (rebuilt)
    g_propagate_error (notice, rebuilt);
  return TRUE;
}

static void
close_job (SdLocalDb *db, GTask *task, gpointer data)
{
  db_close (db);
  g_task_return_boolean (task, TRUE);
}

void
sd_local_store_close_async (SdLocalStore        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  sd_local_store_run (self, sd_local_store_close_async, close_job, NULL, NULL,
                      cancellable, callback, user_data);
}

/* Finishes close and forget_account. */
static gboolean
boolean_finish (SdLocalStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sd_local_store_close_finish (SdLocalStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return boolean_finish (self, result, error);
}

static void
forget_job (SdLocalDb *db, GTask *task, gpointer data)
{
  close_cache (db);
  remove_files (db->cache_path);
  if (GPOINTER_TO_INT (data))
    {
      g_clear_pointer (&db->queue, sqlite3_close_v2);
      remove_files (db->queue_path);
    }
  g_task_return_boolean (task, TRUE);
}

void
sd_local_store_forget_account_async (SdLocalStore        *self,
                                     gboolean             with_queue,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  sd_local_store_run (self, sd_local_store_forget_account_async, forget_job,
                      GINT_TO_POINTER (with_queue), NULL, cancellable, callback, user_data);
}

gboolean
sd_local_store_forget_account_finish (SdLocalStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return boolean_finish (self, result, error);
}
