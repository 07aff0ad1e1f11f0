/* sd-local-store-private.h — the local store's cache as the core objects
 * fill and read it (JSON records as the shop sends them), and what its
 * three files (sd-local-store.c: the worker and the files; sd-local-cache.c;
 * sd-local-queue.c) share. */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sd-local-store.h"
#include "sd-search-index.h"

G_BEGIN_DECLS

/* ---- the cache ----------------------------------------------------------
 * Records are kept as the shop sent them (JSON objects with "_id" and,
 * where the shop gives one, "updatedAt"), less any member that could be a
 * secret: accessToken, refreshToken, token, password, newPassword,
 * newPasswordConfirm, inputNumber, code, accessKey (a guest's order key).
 * A record replaces the one kept only when it is not older (updatedAt;
 * one without updatedAt always replaces). Each put takes the array as it
 * is: do not change it until the call has finished. */

/* A page of a product listing: listing names the list as the shop sorted
 * it (the caller's choice, e.g. "" for the whole catalog or
 * "category=<id>&sort=newest"); products[i] is at position offset + i.
 * total: the listing's length as the shop said (X-Total-Count; for a shop
 * without paging, the length of its whole list), kept with the time;
 * positions from total on are dropped. -1: not known (kept as it was). */
void       sd_local_store_put_products_async  (SdLocalStore        *self,
                                               const char          *listing,
                                               guint                offset,
                                               JsonArray           *products,
                                               gint64               total,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The same page read back, in the listing's order (fewer than limit at its
 * end; empty when never stored). */
void       sd_local_store_read_products_async (SdLocalStore        *self,
                                               const char          *listing,
                                               guint                offset,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The page, and (optional) the listing's total and when it was stored
 * (g_get_real_time ()), both -1 when never said. */
JsonArray *sd_local_store_read_products_finish (SdLocalStore       *self,
                                                GAsyncResult       *result,
                                                gint64             *out_total,
                                                gint64             *out_stored,
                                                GError            **error);
/* The categories in the shop's order; complete: this is all of them, so
 * the ones not in it are dropped. */
void       sd_local_store_put_categories_async  (SdLocalStore      *self,
                                                 JsonArray         *categories,
                                                 gboolean           complete,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void       sd_local_store_read_categories_async (SdLocalStore      *self,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
/* Orders: mine, the member's own (GET /orders); else ones a staff member
 * has seen (admin lists). An order once kept as mine stays mine. */
void       sd_local_store_put_orders_async    (SdLocalStore        *self,
                                               JsonArray           *orders,
                                               gboolean             mine,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* All orders kept (only_mine: the member's own), newest createdAt first. */
void       sd_local_store_read_orders_async   (SdLocalStore        *self,
                                               gboolean             only_mine,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* One order; G_IO_ERROR_NOT_FOUND when it is not kept. */
void       sd_local_store_read_order_async    (SdLocalStore        *self,
                                               const char          *id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

/* Finishes the puts: how many records were written (older ones skipped
 * are not counted), or -1 with error. */
gint64     sd_local_store_put_finish          (SdLocalStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Finishes the array reads of categories and orders. */
JsonArray *sd_local_store_read_array_finish   (SdLocalStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
JsonObject *sd_local_store_read_order_finish  (SdLocalStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* ---- instant search (sd-local-search.c) ---------------------------------
 * Every product and order put is indexed as it is written, on the worker
 * (products: name, description, brand, category name, option name and
 * values; orders: number, receiver, phone, address and detail, the lines'
 * product names), in the cache file: a rebuilt or forgotten cache starts
 * with an empty index. */

/* At most limit records of kind (products or orders, as kept) matching
 * query, best first (sd-search-index.h); an empty array for a blank
 * query. Finishes with read_array_finish. */
void       sd_local_store_search_async        (SdLocalStore        *self,
                                               SdSearchKind         kind,
                                               const char          *query,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

/* TRUE when error says the shop could not be reached (SD_API_ERROR_OFFLINE
 * or _TIMEOUT): when a list answers from the store instead. */
gboolean   sd_local_store_stands_in_for (const GError *error);

/* ---- shared by the store's files ---------------------------------------- */

#define SD_LOCAL_RECORD_MAX  (1024 * 1024)   /* bytes of JSON per record or body */

/* The worker's side: the two connections, opened on first use. */
typedef struct _SdLocalDb SdLocalDb;
sqlite3   *sd_local_db_cache  (SdLocalDb *db, GError **error);
sqlite3   *sd_local_db_queue  (SdLocalDb *db, GError **error);
/* After a failed statement: when the cache turns out damaged, rebuilds
 * it and returns TRUE (conn is then closed). Sets error from the
 * connection's last error either way. */
gboolean   sd_local_db_failed (SdLocalDb *db, sqlite3 *conn, GError **error);
/* The search index on the cache connection (made with it, closed with it). */
SdSearchIndex *sd_local_db_search (SdLocalDb *db, GError **error);

/* Index one record just written (node: the shop's JSON object) on conn,
 * the cache, inside the caller's transaction. */
gboolean   sd_local_search_put_product (SdLocalDb *db, sqlite3 *conn, const char *id,
                                        JsonNode *node, GError **error);
gboolean   sd_local_search_put_order   (SdLocalDb *db, const char *id, JsonNode *node,
                                        GError **error);
/* A category's name as kept (NULL: none), before it is written; after,
 * sd_local_search_category_renamed indexes its products again when the
 * name is not the same. */
char      *sd_local_search_category_name    (sqlite3 *conn, const char *id);
gboolean   sd_local_search_category_renamed (SdLocalDb *db, sqlite3 *conn, const char *id,
                                             const char *old_name, GError **error);

/* Runs func (db, task, data) on the store's worker, in call order, unless
 * the task is cancelled by then. func returns the task's result. */
typedef void (*SdLocalJob) (SdLocalDb *db, GTask *task, gpointer data);
void       sd_local_store_run (SdLocalStore        *self,
                               gpointer             source_tag,
                               SdLocalJob           func,
                               gpointer             data,
                               GDestroyNotify       data_free,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);

/* Column col of stmt's row as a JSON object (a copy of parser's root), or
 * NULL when it is not one or is over SD_LOCAL_RECORD_MAX: our own file,
 * but a file, checked as any input. */
JsonNode  *sd_local_row_object    (JsonParser *parser, sqlite3_stmt *stmt, int col);

/* A copy of node's text, less the members that could be secrets; NULL
 * (and error) when it is not an object or is over SD_LOCAL_RECORD_MAX. */
char      *sd_local_scrubbed_text (JsonNode *node, GError **error);

/* error from conn's last failure: SD_LOCAL_STORE_ERROR_DAMAGED when the
 * file is not a database (or a damaged one), else FAILED. */
void       sd_local_sqlite_error  (sqlite3 *conn, const char *what, GError **error);

/* Brings a file to schema version n_steps: runs steps[v] (SQL) for each
 * version v from its user_version up, each in its own transaction.
 * FALSE (DAMAGED) when the file is newer than n_steps, or damaged. */
gboolean   sd_local_migrate       (sqlite3 *conn, const char * const *steps, guint n_steps,
                                   GError **error);
/* The two schemas, by sd_local_migrate. */
gboolean   sd_local_cache_migrate (sqlite3 *conn, GError **error);
gboolean   sd_local_queue_migrate (sqlite3 *conn, GError **error);

G_END_DECLS
