/* sd-local-store.h — the local store of one shop and one account: a cache
 * (the catalog, the categories, orders; rebuilt at will) and, apart, the
 * queue of writes waiting to be sent (kept whatever happens to the cache).
 *
 * The cache is $XDG_CACHE_HOME/storedesk/local/<s>/<a>.db and the queue
 * $XDG_DATA_HOME/storedesk/queue/<s>/<a>.db, s = SHA-256 of the shop key
 * (sd_api_get_shop_key), a = SHA-256 of the account (the signed-in
 * user's id, or "guest"): another account never opens this one's files,
 * and no email or id shows in a file name. Files 0600 (narrowed if
 * wider), folders 0700. When the shop's key changes, sd_shop_migrate
 * moves the queues (sd_local_store_migrate_shop): create a store after
 * sd_api_recall_async or sd_api_identify_async, and again on
 * notify::shop-key.
 *
 * One worker thread per store owns both SQLite connections and runs the
 * calls one at a time, in the order they were made: a read asked after a
 * write sees it, and the main loop never waits on the disk. Every call is
 * GIO async with a GCancellable (a call cancelled before its turn does
 * nothing). GLib only, so the app may include it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_LOCAL_STORE_ERROR (sd_local_store_error_quark ())
typedef enum {
  /* The cache file was damaged or unreadable: it was deleted and made
   * again, empty. Nothing waiting to be sent was touched. */
  SD_LOCAL_STORE_ERROR_REBUILT,
  /* The disk refused (full, read-only, permissions) or SQLite failed. */
  SD_LOCAL_STORE_ERROR_FAILED,
  /* Input refused: not a JSON object, too large, no id. */
  SD_LOCAL_STORE_ERROR_INVALID,
  /* A file that is not one of ours (damaged, or from a newer Storedesk):
   * the store recovers from it by itself (REBUILT, or a queue set aside). */
  SD_LOCAL_STORE_ERROR_DAMAGED,
} SdLocalStoreError;
GQuark sd_local_store_error_quark (void);

#define SD_TYPE_LOCAL_STORE (sd_local_store_get_type ())
G_DECLARE_FINAL_TYPE (SdLocalStore, sd_local_store, SD, LOCAL_STORE, GObject)

/* Nothing is opened here: the first call (open_async or any other) opens
 * both files in the worker. account_id: NULL for a guest. */
SdLocalStore *sd_local_store_new             (const char          *shop_key,
                                              const char          *account_id);
const char   *sd_local_store_get_shop_key    (SdLocalStore        *self);
/* The user's id, or "guest". */
const char   *sd_local_store_get_account     (SdLocalStore        *self);
/* Where the files are (for the tests and for a "clear cache" action). */
const char   *sd_local_store_get_cache_path  (SdLocalStore        *self);
const char   *sd_local_store_get_queue_path  (SdLocalStore        *self);

/* Opens (or creates, or migrates) both files. TRUE when the store can be
 * used; *notice (optional) is then set when the cache had to be rebuilt
 * (SD_LOCAL_STORE_ERROR_REBUILT, a message to show once as a toast). */
void          sd_local_store_open_async      (SdLocalStore        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      sd_local_store_open_finish     (SdLocalStore        *self,
                                              GAsyncResult        *result,
                                              GError             **notice,
                                              GError             **error);

/* Closes both files (a later call opens them again): after this has
 * finished, nothing of the store is open, e.g. to copy or remove them.
 * Dropping the store closes them too, but as its worker ends, later. */
void          sd_local_store_close_async     (SdLocalStore        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      sd_local_store_close_finish    (SdLocalStore        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Signing out: deletes this account's cache file (its orders and the
 * customers' data in them), and with with_queue its queued writes too.
 * The store stays usable (a later call starts an empty cache). */
void          sd_local_store_forget_account_async  (SdLocalStore  *self,
                                                    gboolean       with_queue,
                                                    GCancellable  *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer       user_data);
gboolean      sd_local_store_forget_account_finish (SdLocalStore  *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

/* A shop's key changed from from to to: moves every account's queued
 * writes to the new key (merged into a queue already there, in order, none
 * lost or doubled) and drops the caches kept under from (only caches).
 * Synchronous, for a worker thread (sd_shop_migrate calls it), with no
 * store of either key open. */
void          sd_local_store_migrate_shop    (const char          *from,
                                              const char          *to);

/* ---- the queue of writes --------------------------------------------- */

typedef struct {
  gint64  seq;              /* the order they are sent in */
  char   *kind;             /* what to send: "order-status", "product", … */
  char   *target_id;        /* the record it changes */
  char   *body;             /* the JSON object to send */
  char   *base_updated_at;  /* the updatedAt the edit was made on, or NULL */
  char   *idempotency_key;  /* a UUID made at enqueue time */
  gint64  created;          /* g_get_real_time () at enqueue */
} SdQueuedWrite;

void           sd_queued_write_free (SdQueuedWrite *write);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdQueuedWrite, sd_queued_write_free)

/* Appends a write, durably (synchronous=FULL: on disk when this finishes).
 * body: a JSON object of at most 1 MiB; secrets (see the private header)
 * are left out of it. Finishes with the item, its Idempotency-Key made. */
void           sd_local_store_enqueue_async   (SdLocalStore        *self,
                                               const char          *kind,
                                               const char          *target_id,
                                               const char          *body,
                                               const char          *base_updated_at,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
SdQueuedWrite *sd_local_store_enqueue_finish  (SdLocalStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Every queued write, oldest first: a GPtrArray of SdQueuedWrite. */
void           sd_local_store_list_queue_async  (SdLocalStore      *self,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
GPtrArray     *sd_local_store_list_queue_finish (SdLocalStore      *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
/* Sent (or discarded): removes the write with this key. FALSE with
 * G_IO_ERROR_NOT_FOUND when there is none. */
void           sd_local_store_dequeue_async   (SdLocalStore        *self,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       sd_local_store_dequeue_finish  (SdLocalStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A write's new body and base, in its place in the queue (a conflict
 * resolved: the edit is now made on the shop's current record). Finishes
 * with dequeue_finish; G_IO_ERROR_NOT_FOUND when there is no such write. */
void           sd_local_store_rebase_async    (SdLocalStore        *self,
                                               const char          *idempotency_key,
                                               const char          *body,
                                               const char          *base_updated_at,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

G_END_DECLS
