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
