/* sd-image-png.c — PNG through libpng, row by row into the scaler: only
 * the output and a row are held, whatever the picture's size. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <png.h>
#include <string.h>

#include "sd-image-private.h"

typedef struct {
  const guint8 *data;
  gsize         len, at;
} Source;

static void
read_cb (png_structp png, png_bytep out, png_size_t n)
{
  Source *s = png_get_io_ptr (png);

  if (n > s->len - s->at)
    png_error (png, "the data ends early");
  memcpy (out, s->data + s->at, n);
  s->at += n;
}

static void
error_cb (png_structp png, png_const_charp message)
{
  g_debug ("png: %s", message);
  png_longjmp (png, 1);
}

static void
warning_cb (png_structp png, png_const_charp message)
{
}

GdkPixbuf *
sd_image_decode_png (const guint8 *data, gsize len, guint max_side, GError **error)
{
  /* Text and profiles are never needed here: not even inflated. */
  static const png_byte ignored[] = "iCCP\0iTXt\0tEXt\0zTXt\0eXIf\0tIME\0sPLT\0hIST\0";
  Source source = { data, len, 0 };
  png_structp png;
  png_infop info;
  GdkPixbuf *volatile out = NULL;
  SdImageScaler *volatile scaler = NULL;
  guint8 *volatile row = NULL;
  png_uint_32 width, height;
  int depth, color, interlace, channels, w, h;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL, error_cb, warning_cb);
  if (png == NULL || (info = png_create_info_struct (png)) == NULL)
    {
      png_destroy_read_struct (&png, NULL, NULL);
      g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_read_struct (&png, &info, NULL);
      sd_image_scaler_free (scaler);
      g_free (row);
      if (out)
        g_object_unref (out);
      g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  png_set_read_fn (png, &source, read_cb);
  png_set_user_limits (png, SD_IMAGE_MAX_DIMENSION, SD_IMAGE_MAX_DIMENSION);
  png_set_chunk_malloc_max (png, 4 * 1024 * 1024);
  png_set_keep_unknown_chunks (png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
  png_set_keep_unknown_chunks (png, PNG_HANDLE_CHUNK_NEVER, ignored, (int) (sizeof ignored / 5));
  /* zlib's checksum of the pixels costs a tenth of the decode and guards
   * against nothing a decode does not notice; the chunks' CRCs stay. */
  png_set_option (png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
  png_read_info (png, info);
  png_get_IHDR (png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
  if (interlace != PNG_INTERLACE_NONE)
    {
      png_destroy_read_struct (&png, &info, NULL);
      return NULL;   /* every pass into one frame: gdk-pixbuf's loader */
    }
  png_set_expand (png);
  png_set_strip_16 (png);
  png_set_gray_to_rgb (png);
  png_read_update_info (png, info);
  channels = png_get_channels (png, info);
  if (channels != 3 && channels != 4)
    png_error (png, "unexpected channels");
  sd_image_fit (width, height, max_side, &w, &h);
  out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, channels == 4, 8, w, h);
  if (out == NULL)
    png_error (png, "no memory for the output");
  scaler = sd_image_scaler_new (width, height, channels, w, h, gdk_pixbuf_get_pixels (out),
                                gdk_pixbuf_get_rowstride (out));
  row = g_malloc ((gsize) width * channels);
  for (png_uint_32 y = 0; y < height; y++)
    {
      png_read_row (png, row, NULL);
      sd_image_scaler_push (scaler, row);
    }
  png_read_end (png, NULL);
  png_destroy_read_struct (&png, &info, NULL);
  sd_image_scaler_free (scaler);
  g_free (row);
  return out;
}
