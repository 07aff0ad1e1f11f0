/* sd-upload-queue.h — prepared pictures waiting to reach the shop. */
#pragma once

#include "sd-image-prep.h"
#include "sd-session.h"

G_BEGIN_DECLS

typedef enum {
  SD_UPLOAD_TARGET_PROFILE,   /* the signed-in account's picture */
  SD_UPLOAD_TARGET_PRODUCT,   /* a product's image (staff) */
} SdUploadTarget;

typedef enum {
  SD_UPLOAD_WAITING,   /* for the shop, the right account, or the next retry */
  SD_UPLOAD_SENDING,
  SD_UPLOAD_FAILED,    /* refused for good: see the error; retry or cancel */
  SD_UPLOAD_PREPARING, /* a chosen photo, being made small: no picture yet */
} SdUploadState;

/* One queued picture. */
#define SD_TYPE_UPLOAD (sd_upload_get_type ())
G_DECLARE_FINAL_TYPE (SdUpload, sd_upload, SD, UPLOAD, GObject)

const char     *sd_upload_get_id           (SdUpload *self);
SdUploadTarget  sd_upload_get_target       (SdUpload *self);
/* For SD_UPLOAD_TARGET_PRODUCT; NULL otherwise. */
const char     *sd_upload_get_product_id   (SdUpload *self);
/* The prepared file on disk (a JPEG, PNG or WebP); NULL while PREPARING. */
GFile          *sd_upload_get_file         (SdUpload *self);
const char     *sd_upload_get_content_type (SdUpload *self);
gsize           sd_upload_get_size         (SdUpload *self);
/* "state", "progress" (0…1), "error" and "attempts" are notified. */
SdUploadState   sd_upload_get_state        (SdUpload *self);
double          sd_upload_get_progress     (SdUpload *self);
/* Why it failed or last went wrong (translated); NULL when nothing did. */
const char     *sd_upload_get_error        (SdUpload *self);
guint           sd_upload_get_attempts     (SdUpload *self);

/* A GListModel of SdUpload, oldest first, kept on disk under
 * $XDG_DATA_HOME/storedesk/uploads/<shop>/ (a picture and a JSON sidecar
 * per item, each written atomically) so it survives restarts. Items go
 * one at a time while the session is connected (signed in, shop
 * reachable; staff for product images), retried with backoff (2 s up to
 * 5 min, at once when the connection returns) after network and server
 * failures, and kept as FAILED with the reason on refusals (403, 404 for
 * a product gone, 413, 415). A sent item leaves the list ("uploaded"). */
#define SD_TYPE_UPLOAD_QUEUE (sd_upload_queue_get_type ())
G_DECLARE_FINAL_TYPE (SdUploadQueue, sd_upload_queue, SD, UPLOAD_QUEUE, GObject)

/* Reads what an earlier run left (in a worker thread) and starts. */
SdUploadQueue *sd_upload_queue_new      (SdSession           *session);
/* The same with another folder (tests, or a second profile). */
SdUploadQueue *sd_upload_queue_new_in   (SdSession           *session,
                                         GFile               *folder);
/* TRUE once the items of earlier runs are listed. */
gboolean       sd_upload_queue_get_ready (SdUploadQueue      *self);

/* Queues photo, then prepares it (SdImagePrep, in a worker thread):
 * the choice is on disk (a PREPARING item with the original's path)
 * before preparing starts, so a run that ends meanwhile loses nothing —
 * the next queue on the folder prepares it again, or keeps it FAILED
 * when the original is gone. Finishes with the item once its picture is
 * queued; a photo that cannot be prepared leaves the queue and finishes
 * with the error. A photo with no local path (nothing to read again
 * after a crash) is prepared first and queued when ready. product_id
 * for SD_UPLOAD_TARGET_PRODUCT. */
void           sd_upload_queue_add_file_async  (SdUploadQueue            *self,
                                                GFile                    *photo,
                                                const SdImagePrepOptions *options,
                                                SdUploadTarget            target,
                                                const char               *product_id,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
/* Queues a picture prepared already. */
void           sd_upload_queue_add_async       (SdUploadQueue            *self,
                                                SdPrepared               *prepared,
                                                SdUploadTarget            target,
                                                const char               *product_id,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
SdUpload      *sd_upload_queue_add_finish      (SdUploadQueue            *self,
                                                GAsyncResult             *result,
                                                GError                  **error);

/* A FAILED (or waiting) item is tried again now. */
void           sd_upload_queue_retry           (SdUploadQueue *self,
                                                SdUpload      *upload);
/* Removes an item that is not being sent, and its files. */
void           sd_upload_queue_cancel          (SdUploadQueue *self,
                                                SdUpload      *upload);

G_END_DECLS
