/* sd-sync-mark.h — what the staff pages share about their edits going
 * through the shop's SdSync (sd-sync.h): a row's "Waiting to send" mark,
 * the value a row shows meanwhile (the edit's, not the record's), what the
 * page says when an edit is kept, and the landed edits it follows. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

typedef enum {
  SD_SYNC_MARK_NONE,       /* nothing of the record waits */
  SD_SYNC_MARK_WAITING,    /* an edit waits to be sent (or is on its way) */
  SD_SYNC_MARK_CONFLICT,   /* an edit waits: the record changed at the shop */
  SD_SYNC_MARK_REFUSED,    /* an edit waits: the shop did not take it */
} SdSyncMarkState;

/* A small icon at a row's end, shown while the record (target) has an
 * edit in sync's queue: its tooltip and accessible name say which of the
 * states above. It follows the queue by itself; "serial" is notified
 * each time the queue changed, for what the row shows beside it. */
#define SD_TYPE_SYNC_MARK (sd_sync_mark_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncMark, sd_sync_mark, SD, SYNC_MARK, GtkWidget)

GtkWidget       *sd_sync_mark_new        (void);
/* sync and target may be NULL (nothing to show). */
void             sd_sync_mark_set        (SdSyncMark *self,
                                          SdSync     *sync,
                                          const char *target);
SdSyncMarkState  sd_sync_mark_get_state  (SdSyncMark *self);
guint            sd_sync_mark_get_serial (SdSyncMark *self);
/* What the mark says (translated), NULL with SD_SYNC_MARK_NONE. */
const char      *sd_sync_mark_label      (SdSyncMarkState state);

/* The value of field ("status", "price", "name", …) as the latest edit
 * of target in sync's queue makes it (text, as sd_sync_item_dup_yours_value
 * gives it), or NULL when no edit there changes that field: what the row
 * shows while the edit waits. sync may be NULL. */
char            *sd_sync_mark_dup_value  (SdSync     *sync,
                                          const char *target,
                                          const char *field);

/* The page's shop's sync now, or NULL. */
SdSync          *sd_sync_mark_page_sync  (SdPage     *page);

/* An edit finished with error: when it is kept in the queue (the shop not
 * reachable, or a conflict), what to tell the user once, translated (free
 * it), and the page shows no error; NULL: another error, for the page to
 * show as it does. */
char            *sd_sync_mark_kept       (const GError  *error);

/* Calls landed (page, item, record) whenever an edit of the sync of
 * page's shop lands, whichever sync the shop has at the time (it is made
 * again when the account changes). record: the shop's record now, or
 * NULL. While page lives. */
void             sd_sync_mark_follow_landed (SdPage   *page,
                                             GCallback landed);

G_END_DECLS
