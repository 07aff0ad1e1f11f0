/* sd-server-store-private.h — what the store's area files
 * (sd-server-store-*.c) share: the engines underneath (sd-server-db.h). No route
 * file includes it. */
#pragma once

#include "sd-server-db.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

SdServerDb *sd_server_store_get_db (SdServerStore *self);
/* The shop's time zone, for order numbers (sd-server-store-order-numbers.c). */
GTimeZone  *sd_server_store_get_time_zone (SdServerStore *self);

/* ---- order numbers (sd-server-store-order-numbers.c) ---- */

/* Asia/Seoul. */
GTimeZone  *sd_server_store_shop_time_zone (void);
/* Gives order id, created at created_at (ISO 8601, UTC), the next number
 * of its day in tz; inside the caller's write transaction. */
gboolean    sd_server_store_number_order    (SdServerDb  *db,
                                             GTimeZone   *tz,
                                             const char  *id,
                                             const char  *created_at,
                                             GError     **error);
/* Numbers the orders that have none yet, oldest first, in one
 * transaction (orders from before schema 6). */
gboolean    sd_server_store_number_orders   (SdServerStore *self,
                                             GError       **error);

/* Seconds since the epoch, now. */
static inline gint64
sd_server_store_now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Prepares sql, whose one "%s" becomes the value a change sets
 * updated_at to: now (parameter ?now_param, sd_server_store_now_iso), or
 * one millisecond past the row's own when that is not earlier (a change
 * in the same millisecond, a node whose clock is behind). Every change
 * moves updatedAt forward, so a base read before it never matches after
 * it ([ext] "conditional"). */
SdStmt     *sd_server_store_prepare_bumped  (SdServerDb  *db,
                                             const char  *sql,
                                             guint        now_param,
                                             GError     **error);
/* After a conditional write changed no row: NOT_FOUND when the row id of
 * table is gone, CHANGED when its updated_at is not base (NULL: none),
 * else FALSE with *error unset (the write's own condition refused it).
 * Sets *error and returns TRUE in the first two cases. */
gboolean    sd_server_store_why_unchanged   (SdServerDb  *db,
                                             const char  *table,
                                             const char  *id,
                                             const char  *base,
                                             GError     **error);

/* Ends every session of user_id (sd-server-store-sessions.c). */
gboolean    sd_server_store_end_sessions_db (SdServerDb  *db,
                                             const char  *user_id,
                                             GError     **error);

/* ---- [ext] "activity" (sd-server-store-activity.c) ---- */

/* The actor sd_server_store_set_actor set (NULL: none), and its origin. */
const char *sd_server_store_get_actor          (SdServerStore *self, const char **out_origin);
gint64      sd_server_store_get_activity_limit (SdServerStore *self);

/* What a row was before a change, to record the change by. */
typedef struct _SdServerActivityNote SdServerActivityNote;

/* Inside the caller's write transaction, before a change of entity's
 * row id (NULL: one to be created): *out_note, what it is now; NULL when
 * no actor is set, and nothing is to be recorded. */
gboolean    sd_server_activity_note    (SdServerStore *store, const char *entity, const char *id,
                                        SdServerActivityNote **out_note, GError **error);
/* After the change, in the same transaction: the row id as it is now
 * against the note, recorded (create, update, status or delete) when
 * anything changed, the oldest rows past the limit pruned. Frees note;
 * a NULL note records nothing. */
gboolean    sd_server_activity_record  (SdServerStore *store, SdServerActivityNote *note, const char *id,
                                        GError **error);
/* Frees a note when the change failed, and nothing is recorded. */
void        sd_server_activity_forget  (SdServerActivityNote *note);
/* The same for a change that is one statement of its own: begins the
 * write transaction and notes the row, when there is an actor ... */
gboolean    sd_server_activity_begin   (SdServerStore *store, const char *entity, const char *id,
                                        SdServerActivityNote **out_note, GError **error);
/* ... and after the change (ok: it succeeded, else *error is set),
 * records it and commits, or rolls back. Returns whether all went. */
gboolean    sd_server_activity_end     (SdServerStore *store, SdServerActivityNote *note, const char *id,
                                        gboolean ok, GError **error);

G_END_DECLS
