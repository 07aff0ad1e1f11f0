/* sd-image-private.h — decoding pictures off the main thread. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Above this many pixels a picture is refused before it is decoded. */
#define SD_IMAGE_MAX_PIXELS (100 * 1000 * 1000)

/* Decodes bytes in a worker thread, scaled on load to fit a size×size
 * box (JPEG decodes at 1/2…1/8 directly), EXIF orientation applied. */
void       sd_image_decode_async  (GBytes              *bytes,
                                   int                  size,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
GdkPixbuf *sd_image_decode_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
