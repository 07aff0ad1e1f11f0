/* sd-test-prep.h — what the test-image-prep*.c programs share: pictures
 * made with gdk-pixbuf, read back pixel by pixel, prepared; files; bombs. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "storedesk.h"

G_BEGIN_DECLS

GdkPixbuf *quadrants (int w, int h);
GdkPixbuf *stored_for (GdkPixbuf *upright, int n);
GBytes *save (GdkPixbuf *p, const char *type, const char *quality);
GBytes *jpeg_with_exif (GdkPixbuf *p, int n);
GdkPixbuf *decode (GBytes *bytes);
guint32 pixel (GdkPixbuf *p, int x, int y);
void assert_color (guint32 got, guint32 want);
void assert_no_metadata (GBytes *jpeg);
SdPrepared *prep (GBytes *bytes, const SdImagePrepOptions *options, GError **error);
void write_bytes (const char *path, GBytes *bytes);
GBytes *read_bytes (const char *path);
GPtrArray *bombs (void);

G_END_DECLS
