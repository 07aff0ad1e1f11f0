/* sd-cancelled-notes-private.h — what this computer notes about the
 * orders it cancelled at a shop that deletes a cancelled order (the
 * original HoneyTouse API, without our [ext] "cancelled"), so that My
 * Orders can still show them as cancelled. One small JSON file per shop
 * key under $XDG_DATA_HOME/storedesk/cancelled/, written atomically,
 * capped at SD_CANCELLED_NOTES_MAX notes (the oldest go first). A note
 * holds the order's id, number, when it was made and cancelled, its
 * total and its lines' product ids, names and counts: never a token or a key. */
#pragma once

#include "sd-api.h"
#include "sd-order.h"

G_BEGIN_DECLS

#define SD_CANCELLED_NOTES_MAX 200

/* The file the notes of shop_key are kept in. */
char      *sd_cancelled_notes_path (const char *shop_key);

/* Notes that customer (sd_order_records_customer ()) cancelled order at
 * api's shop, written off the main loop (reads and writes of the notes
 * run in one worker, in the order asked). Failing to write is logged,
 * not fatal. */
void       sd_cancelled_notes_add  (SdApi      *api,
                                    const char *customer,
                                    SdOrder    *order);

/* customer's notes at api's shop as SdOrders in status
 * SD_ORDER_STATUS_CANCELLED, kept-here, oldest first; read in the
 * notes' worker, after every note asked for before. */
void       sd_cancelled_notes_list_async  (SdApi               *api,
                                           const char          *customer,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *sd_cancelled_notes_list_finish (GAsyncResult        *result,
                                           GError             **error);

/* Waits for every note asked for to be written (at the app's end, so a
 * cancel just before quitting is not lost). */
void       sd_cancelled_notes_flush       (void);

G_END_DECLS
