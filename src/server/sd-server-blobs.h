/* sd-server-blobs.h — where the shop's pictures live: SdServerBlobs, one
 * interface, two engines.
 *
 *   file:DIR       files in DIR (the default: DATA_DIR/uploads), as the
 *                  server always kept them;
 *   s3://BUCKET    objects in an S3 bucket at an endpoint (path-style
 *                  URLs: http://HOST:PORT/BUCKET/NAME), every request
 *                  signed with SigV4 (sd-server-sigv4.h).
 *
 * Names are ours (sd-server-uploads.c makes them; [A-Za-z0-9._-], never a
 * leading dot), never a client's. One SdServerBlobs is shared by every
 * worker; its calls block, so they run on the worker threads only (the S3
 * engine bounds each request in time and in what it reads back). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SdServerBlobs SdServerBlobs;

typedef struct {
  guint64  size;
  char    *etag;        /* with its quotes: "…" */
  gint64   modified;    /* Unix seconds */
} SdBlobInfo;

void            sd_blob_info_clear        (SdBlobInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdBlobInfo, sd_blob_info_clear)

/* url: "file:DIR", "s3://BUCKET", or NULL for file:DATA_DIR/uploads.
 * endpoint: http(s)://HOST[:PORT] of the S3 store, required by s3://.
 * The S3 engine takes its credentials from the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION: default
 * us-east-1). FALSE with a sentence for the command line. */
SdServerBlobs  *sd_server_blobs_new       (const char  *url,
                                           const char  *endpoint,
                                           const char  *data_dir,
                                           GError     **error);
SdServerBlobs  *sd_server_blobs_ref       (SdServerBlobs *self);
void            sd_server_blobs_unref     (SdServerBlobs *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdServerBlobs, sd_server_blobs_unref)

/* "file:/srv/shop/uploads" or "s3://bucket at http://…": for the log. */
const char     *sd_server_blobs_describe  (SdServerBlobs *self);
/* TRUE for S3: product pictures go to the store directly, by presigned
 * URL, and are vetted when a product takes them. */
gboolean        sd_server_blobs_is_remote (SdServerBlobs *self);

/* Stores bytes as name (replacing nothing: a new name each time). */
gboolean        sd_server_blobs_put       (SdServerBlobs *self,
                                           const char    *name,
                                           GBytes        *bytes,
                                           const char    *content_type,
                                           GError       **error);
/* The blob's first bytes, at most max_bytes; *out_size (nullable): its
 * whole size. G_IO_ERROR_NOT_FOUND when there is none. */
GBytes         *sd_server_blobs_read_head (SdServerBlobs *self,
                                           const char    *name,
                                           gsize          max_bytes,
                                           guint64       *out_size,
                                           GError       **error);
/* The whole blob, when it is at most max_bytes (else an error). */
GBytes         *sd_server_blobs_read      (SdServerBlobs *self,
                                           const char    *name,
                                           gsize          max_bytes,
                                           GError       **error);
/* Size, ETag and modification time; G_IO_ERROR_NOT_FOUND when none. */
gboolean        sd_server_blobs_stat      (SdServerBlobs *self,
                                           const char    *name,
                                           SdBlobInfo    *out,
                                           GError       **error);
/* Removes the blob; one already gone is not an error. */
gboolean        sd_server_blobs_delete    (SdServerBlobs *self,
                                           const char    *name,
                                           GError       **error);
/* S3 only (NULL with G_IO_ERROR_NOT_SUPPORTED for files): a URL that lets
 * its holder PUT exactly size bytes of content_type as name within ttl
 * seconds (content-type and content-length signed into it). Pictures are
 * served by the node (sd-server-uploads.c), so nothing presigns a GET. */
char           *sd_server_blobs_presign_put (SdServerBlobs *self,
                                             const char    *name,
                                             const char    *content_type,
                                             guint64        size,
                                             guint          ttl,
                                             GError       **error);

/* ---- the shop's rules on pictures, whatever holds them ---------------- */

/* A name we make: 1–128 of [A-Za-z0-9._-], no leading dot. */
gboolean        sd_blob_is_name           (const char   *name);
/* "image/jpeg", "image/png", "image/webp" by the bytes, or NULL. */
const char     *sd_blob_sniff_type        (const guint8 *data,
                                           gsize         len);
/* NULL when the whole picture passes the contract's header rule
 * (sd_image_header_check); else the reply's sentence, and its status. */
const char     *sd_blob_refuse_picture    (GBytes       *bytes,
                                           guint        *out_status);

/* With S3, product pictures arrive in the bucket from the client as
 * "incoming-…" objects (a presigned PUT, sd-server-uploads.c), which
 * nothing serves or keeps, because the same URL could overwrite them
 * until it expires. */
#define SD_BLOB_INCOMING "incoming-"

/* What a product keeps for image ("uploads/NAME"): image itself, unless
 * it is an incoming upload. That one is read back (a Range GET of at
 * most max_bytes, the upload limit), held to the same rule as the node's
 * own uploads (type by the bytes, sd_blob_refuse_picture, the size), and
 * on success stored by the node as "uploads/product-…", out of the
 * uploader's reach; the incoming object is deleted either way. NULL when
 * refused: *out_refusal is the reply's sentence, *out_status its status. */
char           *sd_server_blobs_take      (SdServerBlobs *self,
                                           const char    *image,
                                           gsize          max_bytes,
                                           const char   **out_refusal,
                                           guint         *out_status);

/* The engine's operations (sd-server-blobs.c, sd-server-blobs-s3.c). */
typedef struct {
  void     (*free)      (gpointer engine);
  gboolean (*put)       (gpointer engine, const char *name, GBytes *bytes, const char *type, GError **error);
  GBytes  *(*read_head) (gpointer engine, const char *name, gsize max, guint64 *out_size, GError **error);
  gboolean (*stat)      (gpointer engine, const char *name, SdBlobInfo *out, GError **error);
  gboolean (*delete)    (gpointer engine, const char *name, GError **error);
  char    *(*presign)   (gpointer engine, const char *method, const char *name, const char *type,
                         guint64 size, guint ttl, GError **error);
} SdBlobsEngine;

/* The S3 engine (sd-server-blobs-s3.c); NULL with a sentence. */
gpointer        sd_blobs_s3_new           (const char            *bucket,
                                           const char            *endpoint,
                                           const SdBlobsEngine  **out_ops,
                                           char                 **out_description,
                                           GError               **error);

G_END_DECLS
