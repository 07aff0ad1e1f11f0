/* sd-upload-private.h — SdUpload's insides and the queue folder's files,
 * shared by sd-upload.c, sd-upload-store.c and sd-upload-queue.c. */
#pragma once

#include "sd-upload-queue.h"

G_BEGIN_DECLS

struct _SdUpload
{
  GObject         parent_instance;
  char           *id;
  SdUploadTarget  target;
  char           *product_id;
  GFile          *file;        /* NULL while PREPARING */
  GFile          *original;    /* the photo chosen, while PREPARING */
  GFile          *sidecar;
  char           *content_type;
  gsize           size;
  gint64          created;     /* wall clock, µs: the order of the list */
  SdUploadState   state;
  double          progress;
  char           *error;
  guint           attempts;
  gint64          next_try;    /* monotonic µs; not kept on disk */
};

/* sd-upload.c: set and notify. */
void sd_upload_set_state (SdUpload *self, SdUploadState state, double progress);
void sd_upload_set_error (SdUpload *self, const char *error);
/* One attempt more ("attempts"). */
void sd_upload_count_attempt (SdUpload *self);

/* sd-upload-store.c: the queue's folder, a picture and a JSON sidecar per
 * item, read and written in worker threads (one at a time in this
 * process), each file replaced atomically. The tasks' source is owner. */
/* Reads (and makes) folder: a GPtrArray of SdUpload, oldest first, from
 * g_task_propagate_pointer; unusable entries and orphans are deleted. */
void sd_upload_store_load (GObject *owner, GFile *folder, GCancellable *cancellable,
                           GAsyncReadyCallback callback);
/* Writes u's sidecar, and picture first when not NULL; not cancelled. */
void sd_upload_store_save (GObject *owner, SdUpload *u, GBytes *picture, GAsyncReadyCallback callback,
                           gpointer user_data);
/* A callback for sd_upload_store_save that only logs a failure. */
void sd_upload_store_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data);
/* Deletes u's sidecar and picture; runs to its end. */
void sd_upload_store_delete (GObject *owner, SdUpload *u);

G_END_DECLS
