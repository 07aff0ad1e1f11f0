/* sd-test-prep.c — what the test-image-prep*.c programs share (sd-test-prep.h). */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "sd-image-private.h"
#include "sd-test-images.h"
#include "sd-test-util.h"
#include "sd-test-prep.h"

/* ---- fixtures -------------------------------------------------------- */

/* Four quadrants: red top-left, green top-right, blue bottom-left, white
 * bottom-right; wider than high, so a rotation shows. */
GdkPixbuf *
quadrants (int w, int h)
{
  GdkPixbuf *p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  static const guint32 colors[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *px = gdk_pixbuf_get_pixels (p) + y * gdk_pixbuf_get_rowstride (p) + x * 3;
        guint32 c = colors[(y >= h / 2) * 2 + (x >= w / 2)];
        px[0] = c >> 16, px[1] = (c >> 8) & 0xff, px[2] = c & 0xff;
      }
  return p;
}

/* The stored picture that, shown with EXIF orientation n, is upright:
 * the inverse of what the orientation asks a viewer to do. */
GdkPixbuf *
stored_for (GdkPixbuf *upright, int n)
{
  g_autoptr(GdkPixbuf) t = NULL;

  switch (n)
    {
    case 1: return g_object_ref (upright);
    case 2: return gdk_pixbuf_flip (upright, TRUE);
    case 3: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_UPSIDEDOWN);
    case 4: return gdk_pixbuf_flip (upright, FALSE);
    case 5: t = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);          /* transpose */
            return gdk_pixbuf_flip (t, TRUE);
    case 6: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE); /* viewer turns it clockwise */
    case 7: t = gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);   /* transverse */
            return gdk_pixbuf_flip (t, TRUE);
    case 8: return gdk_pixbuf_rotate_simple (upright, GDK_PIXBUF_ROTATE_CLOCKWISE);
    default: g_assert_not_reached ();
    }
}

GBytes *
save (GdkPixbuf *p, const char *type, const char *quality)
{
  gchar *buffer = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;

  if (quality)
    gdk_pixbuf_save_to_buffer (p, &buffer, &size, type, &error, "quality", quality, NULL);
  else
    gdk_pixbuf_save_to_buffer (p, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* A JPEG with an EXIF block right after SOI: orientation n, and a GPS
 * directory saying "N" (latitude reference), little-endian TIFF. */
GBytes *
jpeg_with_exif (GdkPixbuf *p, int n)
{
  g_autoptr(GBytes) plain = save (p, "jpeg", "95");
  gsize len;
  const guint8 *d = g_bytes_get_data (plain, &len);
  guint8 tiff[56] = {
    'I', 'I', 0x2a, 0, 8, 0, 0, 0,
    2, 0,                                                      /* IFD0: 2 entries */
    0x12, 0x01, 3, 0, 1, 0, 0, 0, (guint8) n, 0, 0, 0,          /* Orientation SHORT n */
    0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0,                 /* GPS IFD at 38 */
    0, 0, 0, 0,                                                /* no next IFD */
    1, 0,                                                      /* GPS IFD: 1 entry */
    0x01, 0x00, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0,                /* GPSLatitudeRef "N" */
    0, 0, 0, 0,
  };
  GByteArray *out = g_byte_array_new ();
  guint8 head[4] = { 0xFF, 0xE1, 0, 6 + sizeof tiff + 2 };

  g_byte_array_append (out, d, 2);   /* SOI */
  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, tiff, sizeof tiff);
  g_byte_array_append (out, d + 2, len - 2);
  return g_byte_array_free_to_bytes (out);
}

GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

guint32
pixel (GdkPixbuf *p, int x, int y)
{
  const guint8 *px = gdk_pixbuf_read_pixels (p) + y * gdk_pixbuf_get_rowstride (p) + x * gdk_pixbuf_get_n_channels (p);
  return ((guint32) px[0] << 16) | ((guint32) px[1] << 8) | px[2];
}

void
assert_color (guint32 got, guint32 want)
{
  for (int shift = 0; shift <= 16; shift += 8)
    {
      int g = (got >> shift) & 0xff, w = (want >> shift) & 0xff;
      if (ABS (g - w) > 60)
        g_error ("colour %06x, expected about %06x", got, want);
    }
}

/* No EXIF, XMP, comment or GPS anywhere in a JPEG's headers. */
void
assert_no_metadata (GBytes *jpeg)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (jpeg, &n);
  gsize i = 2;

  g_assert_true (d[0] == 0xFF && d[1] == 0xD8);
  while (i + 4 <= n && d[i + 1] != 0xDA)
    {
      g_assert_cmpint (d[i], ==, 0xFF);
      g_assert_false (d[i + 1] >= 0xE1 && d[i + 1] <= 0xEF);   /* APP1–APP15 */
      g_assert_cmpint (d[i + 1], !=, 0xFE);                     /* COM */
      i += 2 + (((gsize) d[i + 2] << 8) | d[i + 3]);
    }
  g_assert_null (memmem (d, n, "Exif", 4));
}

SdPrepared *
prep (GBytes *bytes, const SdImagePrepOptions *options, GError **error)
{
  SdImagePrepOptions defaults;

  if (options == NULL)
    {
      sd_image_prep_options_init (&defaults);
      options = &defaults;
    }
  return sd_image_prep_bytes (options, bytes, NULL, error);
}
void
write_bytes (const char *path, GBytes *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

GBytes *
read_bytes (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}
/* The bombs, each a few dozen bytes: refused by what their header
 * declares, through the API. */
GPtrArray *
bombs (void)
{
  GPtrArray *a = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (a, sd_test_webp_vp8x (16384, 16384));   /* the 59-byte kind: 268 MP */
  g_ptr_array_add (a, sd_test_webp_vp8l (16384, 16384));
  g_ptr_array_add (a, sd_test_webp_vp8l (9000, 9000));     /* 81 MP, but lossless: 324 MB held */
  g_ptr_array_add (a, sd_test_png (100000, 100000, FALSE));
  g_ptr_array_add (a, sd_test_png (9000, 9000, TRUE));     /* interlaced: held whole */
  g_ptr_array_add (a, sd_test_jpeg (65500, 65500, FALSE));
  g_ptr_array_add (a, sd_test_jpeg (9000, 9000, TRUE));    /* progressive: 243 MB of coefficients */
  g_ptr_array_add (a, sd_test_gif (65535, 65535, 65535, 65535));
  g_ptr_array_add (a, sd_test_gif (16, 16, 60000, 30000)); /* a frame far outside its screen */
  g_ptr_array_add (a, sd_test_tiff (100000, 100000, FALSE));
  g_ptr_array_add (a, sd_test_tiff (60000, 60000, TRUE));
  g_ptr_array_add (a, sd_test_heif (100000, 100000));
  return a;
}
