/* sd-sync-status.h — the header bar's word on the connection and the
 * edits waiting to be sent: "Offline since 14:02 · 3 waiting · 1
 * conflict". A button: its popover lists the edits, tries again, discards
 * one, or opens the conflict view of one. It replaces an offline banner:
 * the same state is shown once. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_SYNC_STATUS (sd_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncStatus, sd_sync_status, SD, SYNC_STATUS, AdwBin)

GtkWidget  *sd_sync_status_new       (void);
/* Follows the api's "online" (NULL: none) and the sync's queue (NULL:
 * none). */
void        sd_sync_status_set_api   (SdSyncStatus *self,
                                      SdApi        *api);
void        sd_sync_status_set_sync  (SdSyncStatus *self,
                                      SdSync       *sync);
/* TRUE while the shop does not answer. */
gboolean    sd_sync_status_get_offline (SdSyncStatus *self);
/* What the button says ("" when all is sent and the shop answers). */
const char *sd_sync_status_get_text  (SdSyncStatus *self);
/* Opens the list (the popover). */
void        sd_sync_status_popup     (SdSyncStatus *self);

/* A field of the contract as a person calls it ("price" → "Price"), and
 * a value of it as text as the sync gives it, shown ("10000" → "₩10,000").
 * For the conflict view too. */
const char *sd_sync_field_label      (const char   *field);
char       *sd_sync_field_value      (const char   *field,
                                      const char   *text);

G_END_DECLS
