/* sd-sync.h — writes that survive a lost connection.
 *
 * Staff's edits (an order's status, a product's fields, a category's
 * name) and a member's (the memo of an own order, its cancellation) are
 * put in the local store's queue first, on disk, and sent from there, in the order
 * they were made, each with its Idempotency-Key. Sent at once when the
 * shop answers; kept ("waiting to send") when it does not, and sent when
 * it is back.
 *
 * Nothing is applied over someone else's change. Each edit remembers the
 * record it was made on (its base, with the shop's updatedAt):
 *  - at a shop with the [ext] "conditional" feature, it is sent with
 *    If-Match: "<updatedAt of the base>", which the shop checks in the same
 *    write, answering 412 and its current record on a difference;
 *  - at a shop without it (the original), the record is read first and
 *    the edit is sent only when it is unchanged since the base.
 * On a difference the edit waits as a conflict: the user keeps theirs
 * (drops the edit), keeps yours (sent again on the current record), or
 * merges field by field.
 *
 * An edit that reached the shop before the app could note it (the app
 * killed between the two) is sent again at the next start: the shop's
 * 412 then holds what the edit made, and it is dropped as done, not sent
 * twice. Stock is sent as a change (stockDelta) where the shop takes one,
 * so that sales made meanwhile are not overwritten.
 *
 * A GListModel of SdSyncItem, oldest first: what is waiting, sending, in
 * conflict or refused. GLib only, so the app may include it. */
#pragma once

#include <gio/gio.h>

#include "sd-activity.h"
#include "sd-api.h"
#include "sd-category.h"
#include "sd-fields.h"
#include "sd-local-store.h"
#include "sd-order.h"
#include "sd-product.h"

G_BEGIN_DECLS

typedef enum {
  SD_SYNC_ORDER_STATUS,    /* staff: {"status": "<contract status>"} */
  SD_SYNC_PRODUCT,         /* staff: contract fields (price, stock, description, options, …) */
  SD_SYNC_CATEGORY,        /* staff: {"name": "…"} */
  SD_SYNC_ORDER_MEMO,      /* a member's own order: {"memo": "…"} */
  SD_SYNC_ORDER_CANCEL,    /* a member's own order: {"status": the cancelled status} */
} SdSyncKind;

typedef enum {
  SD_SYNC_WAITING,         /* on disk, to be sent when the shop answers */
  SD_SYNC_SENDING,         /* on its way */
  SD_SYNC_CONFLICT,        /* the record changed at the shop since the base */
  SD_SYNC_REFUSED,         /* the shop said no (a rule, a record gone): see the message */
} SdSyncState;

#define SD_TYPE_SYNC_ITEM (sd_sync_item_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncItem, sd_sync_item, SD, SYNC_ITEM, GObject)

SdSyncKind   sd_sync_item_get_kind       (SdSyncItem *self);
/* The record it changes (an order's, product's or category's id). */
const char  *sd_sync_item_get_target     (SdSyncItem *self);
/* What a person calls the record: the order number, the product's name. */
const char  *sd_sync_item_get_title      (SdSyncItem *self);
/* "state", notified. */
SdSyncState  sd_sync_item_get_state      (SdSyncItem *self);
/* Why it was refused, in the shop's words where they help; NULL else. */
const char  *sd_sync_item_get_message    (SdSyncItem *self);
/* When it was made (g_get_real_time ()). */
gint64       sd_sync_item_get_created    (SdSyncItem *self);
const char  *sd_sync_item_get_idempotency_key (SdSyncItem *self);

/* The fields this edit changes, for the rows and the conflict view: each
 * a field name of the contract ("price", "stock", "status",
 * "name", …). NULL-terminated, owned by the item. */
const char * const *sd_sync_item_get_fields (SdSyncItem *self);
/* A field's value as text ("" when absent): in the base the edit was made
 * on, in the edit, and (in a conflict) in the shop's current record.
 * Prices and stock as plain integers; options as one line. */
char        *sd_sync_item_dup_base_value   (SdSyncItem *self, const char *field);
char        *sd_sync_item_dup_yours_value  (SdSyncItem *self, const char *field);
char        *sd_sync_item_dup_theirs_value (SdSyncItem *self, const char *field);
/* TRUE in a conflict when the shop's record differs from the base in this
 * field: "what changed" at the shop. */
gboolean     sd_sync_item_field_changed_there (SdSyncItem *self, const char *field);

#define SD_TYPE_SYNC (sd_sync_get_type ())
G_DECLARE_FINAL_TYPE (SdSync, sd_sync, SD, SYNC, GObject)

/* Sends through api (its session's tokens) the queue kept in store. The
 * queue is read at once; sending starts when the api is online. */
SdSync      *sd_sync_new              (SdApi        *api,
                                       SdLocalStore *store);
SdLocalStore *sd_sync_get_store       (SdSync       *self);
/* Sends nothing more, whoever still holds the sync (the shop closes the
 * sync of an account that signed out, before another signs in: its
 * edits must never go with another's session). What waits stays on
 * disk for the account's next sync. */
void         sd_sync_close            (SdSync       *self);

/* "n-waiting": edits not yet sent (waiting or sending); "n-conflicts":
 * conflicts and refusals, which wait for the user; both notified. */
guint        sd_sync_get_n_waiting    (SdSync       *self);
guint        sd_sync_get_n_conflicts  (SdSync       *self);
/* "loaded": the queue on disk has been read (notified). */
gboolean     sd_sync_get_loaded       (SdSync       *self);
/* [ext] "activity": where the edits made from now on come from (one
 * change of many orders, an undo), told to the shop with each; an edit
 * kept and sent later is told as sent from offline, whatever it was.
 * SD_ACTIVITY_ORIGIN_NONE again after them. */
void         sd_sync_set_origin       (SdSync           *self,
                                       SdActivityOrigin  origin);
/* The first waiting edit of target, or NULL: for a row's "waiting to
 * send" mark. */
SdSyncItem  *sd_sync_find             (SdSync       *self,
                                       const char   *target);

/* The edits. Each is made on the record as the app shows it (its
 * updatedAt is the base), queued on disk, then sent; an edit of a record
 * that already has edits waiting is made on top of them.
 *
 * Each finishes (sd_sync_finish) when the edit is sent, with the record
 * as the shop has it now (an SdOrder, SdProduct or SdCategory; NULL for a
 * cancelled order the shop deleted), or with an error, the edit then
 * kept: SD_API_ERROR_OFFLINE (or another transport error) when it waits
 * to be sent, SD_API_ERROR_CHANGED when it waits as a conflict (also when
 * it queues behind one), the shop's refusal otherwise (the item is then
 * "refused"). Only SD_LOCAL_STORE_ERROR_FAILED (the disk refused) means
 * the edit is lost. */
void         sd_sync_set_order_status_async (SdSync             *self,
                                             SdOrder            *order,
                                             SdOrderStatus       status,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* A member's own order (never a guest's: its key is a secret, kept in
 * the keyring, not in a queue): its memo, or its cancellation. Where
 * the shop deletes a cancelled order (the original), it finishes with
 * NULL. */
void         sd_sync_set_order_memo_async   (SdSync             *self,
                                             SdOrder            *order,
                                             const char         *memo,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
void         sd_sync_cancel_order_async     (SdSync             *self,
                                             SdOrder            *order,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* fields: as sd_admin_save_product_async takes them for an update; only
 * what differs from product is sent. Stock goes as a change where the
 * shop takes one ([ext] "conditional"), so sales meanwhile still count. */
void         sd_sync_save_product_async     (SdSync             *self,
                                             SdProduct          *product,
                                             const SdProductFields *fields,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
void         sd_sync_rename_category_async  (SdSync             *self,
                                             SdCategory         *category,
                                             const char         *name,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gpointer     sd_sync_finish                 (SdSync             *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Sends what is waiting now (a "Retry" button; also done by itself when
 * the shop answers again, and every so often while it does not). Refused
 * items are tried again too. */
void         sd_sync_retry            (SdSync       *self);

typedef enum {
  SD_SYNC_KEEP_THEIRS,     /* drop the edit: the shop's record stands */
  SD_SYNC_KEEP_YOURS,      /* send the edit again, on the shop's current record */
  SD_SYNC_MERGE,           /* send only the fields chosen, on the current record */
} SdSyncResolution;

/* Resolves a conflict (or, for KEEP_THEIRS, drops a refused or waiting
 * edit: "Discard"). fields: for SD_SYNC_MERGE, the fields whose value is
 * to be yours (NULL-terminated); the rest stay theirs. Finishes with
 * sd_sync_finish, as the edits do; NULL without error when the edit was
 * dropped. */
void         sd_sync_resolve_async    (SdSync             *self,
                                       SdSyncItem         *item,
                                       SdSyncResolution    resolution,
                                       const char * const *fields,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);

/* Signals:
 *  "landed" (SdSyncItem *item, GObject *record): an edit reached the
 *    shop (or was found there already); record: the shop's record now (an
 *    SdOrder, SdProduct or SdCategory), or NULL (a cancelled order the
 *    shop deleted). Pages update their rows from it.
 *  "sent" (SdSyncItem *item): the shop took an edit, just before it leaves
 *    the queue on disk (for tests of a crash between the two). */

G_END_DECLS
