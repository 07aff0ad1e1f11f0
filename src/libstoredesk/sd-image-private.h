/* sd-image-private.h — decoding pictures by one rule, in worker threads. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "sd-image-header.h"

G_BEGIN_DECLS

/* Blocking. The contract's rule first (sd_image_header_check with
 * max_pixels: known format, declared size within the limits, file
 * whole), then decoded to fit a max_side × max_side box — JPEG at
 * 1/2…1/8 from its DCT, WebP inside libwebp's scaler — and never returned
 * larger than that box whatever a loader did; EXIF orientation applied.
 * header is filled in. Errors are SD_IMAGE_HEADER_ERROR's. */
GdkPixbuf *sd_image_load          (const guint8        *data,
                                   gsize                len,
                                   guint                max_side,
                                   guint64              max_pixels,
                                   SdImageHeader       *header,
                                   GError             **error);

/* Rows in, a smaller picture out (exact area averaging, alpha
 * premultiplied), holding one row whatever the input size: out is
 * out_w × out_h × channels (3 or 4) at out_stride, written as rows
 * complete. Only shrinks (out_w ≤ in_w, out_h ≤ in_h). */
typedef struct _SdImageScaler SdImageScaler;

SdImageScaler *sd_image_scaler_new  (guint           in_w,
                                     guint           in_h,
                                     guint           channels,
                                     guint           out_w,
                                     guint           out_h,
                                     guint8         *out,
                                     gsize           out_stride);
void           sd_image_scaler_push (SdImageScaler  *scaler,
                                     const guint8   *row);
void           sd_image_scaler_free (SdImageScaler  *scaler);

/* The box that keeps w × h's shape inside max_side × max_side; never
 * larger than w × h. */
void       sd_image_fit           (guint                w,
                                   guint                h,
                                   guint                max_side,
                                   int                 *out_w,
                                   int                 *out_h);

/* Decoded straight into the scaler, row by row, to fit max_side: a
 * JPEG through libjpeg at the smallest M/8 scale still at least that
 * size (EXIF orientation kept as the pixbuf's "orientation" option), a
 * non-interlaced PNG through libpng. NULL without an error for what they
 * leave to gdk-pixbuf (CMYK JPEGs, interlaced PNGs). The header was
 * checked already. */
/* A JPEG from data or, when stream is set, read from it 64 kB at a
 * time so the file is never held (a progressive JPEG's coefficients are
 * then all that is); refused as damaged if its size or kind is not the
 * expected header's (a file changed since it was checked). */
GdkPixbuf *sd_image_decode_jpeg_from (const guint8        *data,
                                      gsize                len,
                                      GInputStream        *stream,
                                      const SdImageHeader *expected,
                                      guint                max_side,
                                      GError             **error);
GdkPixbuf *sd_image_decode_png    (const guint8        *data,
                                   gsize                len,
                                   guint                max_side,
                                   GError             **error);

/* "This picture is damaged", as SD_IMAGE_HEADER_ERROR_NOT_IMAGE. */
GError    *sd_image_damaged       (void);

/* What every decode ends with: no larger than max_side, whatever the
 * decoder did with the size it was asked for, and upright. Takes
 * decoded. */
GdkPixbuf *sd_image_finish        (GdkPixbuf           *decoded,
                                   guint                max_side);

/* Blocking: a file's bytes, refused (SD_IMAGE_PREP_ERROR) when it is not
 * a regular file or larger than SD_IMAGE_PREP_MAX_FILE_BYTES. */
GBytes    *sd_image_read_file     (GFile               *file,
                                   GCancellable        *cancellable,
                                   GError             **error);

/* The contract's SD_IMAGE_HEADER_ERROR as SD_IMAGE_PREP_ERROR, in place,
 * message kept; other errors are left alone. */
void       sd_image_error_to_prep (GError              *error);

/* Decodes bytes from a shop in a worker thread, as sd_image_load does
 * with size for max_side; SD_API_ERROR on failure. */
void       sd_image_decode_async  (GBytes              *bytes,
                                   int                  size,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
GdkPixbuf *sd_image_decode_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
