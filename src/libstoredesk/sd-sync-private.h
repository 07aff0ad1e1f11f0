/* sd-sync-private.h — what the sync's files share: the item's insides
 * (sd-sync-item.c), the queue and its order (sd-sync.c), and sending one
 * edit to the shop (sd-sync-send.c).
 *
 * An edit is kept as three JSON objects over the contract's field names:
 * its base (the record it was made on, "_id" and "updatedAt" beside the
 * fields), its changes, and in a conflict theirs (the shop's record now).
 * Records are made from the models (sd_sync_record_of), so that the
 * original's variations are read once, by the models' parsers. */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-activity-private.h"
#include "sd-sync.h"

G_BEGIN_DECLS

struct _SdSyncItem
{
  GObject      parent_instance;
  SdSyncKind   kind;
  char        *target;
  char        *title;
  char        *key;              /* Idempotency-Key */
  gint64       created;
  JsonObject  *base;
  JsonObject  *changes;
  JsonObject  *theirs;           /* in a conflict */
  GStrv        fields;           /* the members of changes */
  SdSyncState  state;
  char        *message;
  GTask       *waiter;           /* the edit's or resolution's task, until its first outcome */
  SdActivityOrigin origin;       /* [ext] "activity": a bulk change's, an undo's */
  gboolean     kept;             /* kept to send later: told as sent from offline */
};

/* The queue's kind names (sd-local-store) and back. */
const char *sd_sync_kind_to_string   (SdSyncKind kind);
gboolean    sd_sync_kind_from_string (const char *text, SdSyncKind *out_kind);

SdSyncItem *sd_sync_item_new       (SdSyncKind   kind,
                                    const char  *target,
                                    const char  *title,
                                    const char  *key,
                                    gint64       created,
                                    JsonObject  *base,
                                    JsonObject  *changes);
void        sd_sync_item_set_state (SdSyncItem  *self,
                                    SdSyncState  state,
                                    const char  *message);
/* The text kept in the queue: {"title", "base", "changes", "origin"}. */
char       *sd_sync_item_body      (SdSyncItem  *self);
const char *sd_sync_item_base_updated_at (SdSyncItem *self);
/* Replaces base (and changes, when given), keeping fields in step. */
void        sd_sync_item_rebase    (SdSyncItem  *self,
                                    JsonObject  *base,
                                    JsonObject  *changes);

/* A member's value as text: numbers as integers, null or absent as "",
 * options as "Name: a, b". */
char       *sd_sync_value_text     (JsonObject  *record,
                                    const char  *field);
/* The record of a model (SdOrder, SdProduct, SdCategory) as kind edits
 * it: "_id", "updatedAt" and the kind's fields. */
JsonObject *sd_sync_record_of      (SdSyncKind   kind,
                                    GObject     *model);
/* The model of a record the shop sent for kind, or NULL with error. */
GObject    *sd_sync_model_from_json (SdSyncKind  kind,
                                     JsonNode   *node,
                                     GError    **error);
/* TRUE when every field of changes has the same value in record. */
gboolean    sd_sync_record_has     (JsonObject  *record,
                                    JsonObject  *changes);

/* ---- the queue's order (sd-sync.c), for sd-sync-resolve.c -------------- */

/* Counts again what waits and what is in conflict (notified). */
void        sd_sync_count          (SdSync       *self);
/* Takes item off the list (not off the disk). */
void        sd_sync_drop           (SdSync       *self,
                                    SdSyncItem   *item);
/* TRUE while item is on the list. */
gboolean    sd_sync_holds          (SdSync       *self,
                                    SdSyncItem   *item);
/* Sends the next edit that may go, if none is on its way. */
void        sd_sync_pump           (SdSync       *self);
/* Drops the retry waited for: the next pump sends at once. */
void        sd_sync_retry_now      (SdSync       *self);

/* ---- sending one edit (sd-sync-send.c) ---------------------------------- */

typedef enum {
  SD_SYNC_OUTCOME_LANDED,        /* record: what the shop has now */
  SD_SYNC_OUTCOME_CONFLICT,      /* theirs: the shop's record, changed since the base */
  SD_SYNC_OUTCOME_UNREACHABLE,   /* error: try again later */
  SD_SYNC_OUTCOME_REFUSED,       /* error: the shop said no */
} SdSyncOutcome;

/* What sending item came to; record (a model) for LANDED, or NULL when
 * the record is gone; theirs for CONFLICT. Frees nothing it is given. */
typedef void (*SdSyncSent) (SdSync        *sync,
                            SdSyncItem    *item,
                            SdSyncOutcome  outcome,
                            GObject       *record,
                            JsonObject    *theirs,
                            const GError  *error);

/* Sends item through api: conditionally where the shop has [ext]
 * "conditional", else after a fresh read shows the record unchanged.
 * An edit found at the shop already (its fields there as it would make
 * them) is LANDED, not sent again. */
void        sd_sync_send           (SdSync       *sync,
                                    SdApi        *api,
                                    SdSyncItem   *item,
                                    GCancellable *cancellable,
                                    SdSyncSent    done);

G_END_DECLS
