/* sd-image-prep.h — photos made small, upright and anonymous for upload. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_IMAGE_PREP_ERROR (sd_image_prep_error_quark ())
GQuark sd_image_prep_error_quark (void);

/* Why a file could not be prepared. Messages are translated sentences
 * that name the problem and what to do. */
typedef enum {
  SD_IMAGE_PREP_ERROR_NOT_IMAGE,        /* not a picture, or a format without a loader */
  SD_IMAGE_PREP_ERROR_TRUNCATED,        /* the file ends before the picture does */
  SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS,  /* a decompression bomb, refused from its header */
  SD_IMAGE_PREP_ERROR_FILE_TOO_LARGE,   /* the file itself is too big to be a photo */
  SD_IMAGE_PREP_ERROR_CANNOT_FIT,       /* no quality and size fits max_bytes */
} SdImagePrepError;

/* Files larger than this are refused before any of it is read. */
#define SD_IMAGE_PREP_MAX_FILE_BYTES (256 * 1024 * 1024)

typedef struct {
  guint   max_side;     /* longest side, px (1920) */
  gsize   max_bytes;    /* the output's limit (1,000,000: the shop takes 1 MB) */
  int     quality;      /* the first JPEG quality tried (85) */
  guint64 max_pixels;   /* larger pictures are refused unread (SD_IMAGE_MAX_PIXELS: 100
                           megapixels); the contract's other limits (sides, memory a
                           decoder holds, frames) apply as well */
} SdImagePrepOptions;

/* Fills in the defaults above. */
void sd_image_prep_options_init (SdImagePrepOptions *options);

/* The result: the bytes to upload and what was done to get them. */
#define SD_TYPE_PREPARED (sd_prepared_get_type ())
G_DECLARE_FINAL_TYPE (SdPrepared, sd_prepared, SD, PREPARED, GObject)

GBytes     *sd_prepared_get_bytes           (SdPrepared *self);
/* "image/jpeg", or the original's type when it was kept as it was. */
const char *sd_prepared_get_content_type    (SdPrepared *self);
/* "jpg", "png" or "webp": for a file name. */
const char *sd_prepared_get_extension       (SdPrepared *self);
guint       sd_prepared_get_width           (SdPrepared *self);
guint       sd_prepared_get_height          (SdPrepared *self);
guint       sd_prepared_get_original_width  (SdPrepared *self);
guint       sd_prepared_get_original_height (SdPrepared *self);
goffset     sd_prepared_get_original_size   (SdPrepared *self);
/* FALSE when the original was already small, upright and free of
 * metadata, and is passed on byte for byte. */
gboolean    sd_prepared_get_reencoded       (SdPrepared *self);
/* The JPEG quality used; 0 when not re-encoded. */
int         sd_prepared_get_quality         (SdPrepared *self);

/* Blocking: for worker threads (storedesk-prep's pool, the async call).
 * First the contract's header rule (sd_image_header_check: a known
 * format, a declared size within the limits, a whole file), before any
 * decoder runs. Then decodes scaled on load (a JPEG at 1/2…1/8 straight
 * from its DCT, a WebP inside libwebp's scaler), applies the EXIF
 * orientation, fits max_side, flattens transparency onto white, and
 * encodes JPEG from quality down in steps of 10 (to 45), then at 70 % of
 * the size, until the output fits max_bytes. No metadata is written.
 * A file that is already small and upright with no metadata (JPEG, PNG
 * or WebP) is kept as it is, up to its end marker: bytes after it are
 * dropped. Every result is checked again before it is returned (no
 * larger than max_side, nothing after its end). Safe to call from
 * several threads. */
SdPrepared *sd_image_prep_file   (const SdImagePrepOptions *options,
                                  GFile                    *file,
                                  GCancellable             *cancellable,
                                  GError                  **error);
SdPrepared *sd_image_prep_bytes  (const SdImagePrepOptions *options,
                                  GBytes                   *bytes,
                                  GCancellable             *cancellable,
                                  GError                  **error);

/* The same in a worker thread; options are copied. */
void        sd_image_prep_file_async (const SdImagePrepOptions *options,
                                      GFile                    *file,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
SdPrepared *sd_image_prep_finish     (GAsyncResult             *result,
                                      GError                  **error);

/* Pictures shown on screen (previews of local photos, prepared results):
 * a file, or bytes (exactly one of them), decoded in a worker thread by
 * the same header rule, to fit a size × size box, upright. Errors are
 * SD_IMAGE_PREP_ERROR's or GIO's. */
void        sd_image_load_async      (GFile                    *file,
                                      GBytes                   *bytes,
                                      int                       size,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
GdkPixbuf  *sd_image_load_finish     (GAsyncResult             *result,
                                      GError                  **error);

G_END_DECLS
