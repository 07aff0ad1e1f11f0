/* test-image-prep-decoders.c — SdImagePrep through every decoder path, at
 * scale: libjpeg's and libpng's own kinds, the scaler, the bombs refused by
 * their headers, truncated pictures, outputs never larger. */
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

/* ---- hostile pictures (issue 14, findings 3 and 7a) --------------------- */

static gboolean
can_write (const char *format)
{
  gboolean found = FALSE;
  GSList *formats = gdk_pixbuf_get_formats ();

  for (GSList *f = formats; f; f = f->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (f->data);
      found |= strcmp (name, format) == 0 && gdk_pixbuf_format_is_writable (f->data);
    }
  g_slist_free (formats);
  return found;
}

/* ---- every decoder path, at scale ----------------------------------- */

/* quadrants () as JPEG through libjpeg itself: progressive, or grey. */
static GBytes *
jpeg_via_libjpeg (GdkPixbuf *p, gboolean progressive, gboolean grey)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  unsigned char *buffer = NULL;
  unsigned long size = 0;
  int w = gdk_pixbuf_get_width (p), h = gdk_pixbuf_get_height (p);
  g_autofree guint8 *row = g_malloc ((gsize) w * 3);

  c.err = jpeg_std_error (&err);
  jpeg_create_compress (&c);
  jpeg_mem_dest (&c, &buffer, &size);
  c.image_width = w, c.image_height = h;
  c.input_components = grey ? 1 : 3;
  c.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&c);
  jpeg_set_quality (&c, 92, TRUE);
  if (progressive)
    jpeg_simple_progression (&c);
  jpeg_start_compress (&c, TRUE);
  while (c.next_scanline < c.image_height)
    {
      const guint8 *src = gdk_pixbuf_read_pixels (p) + (gsize) c.next_scanline * gdk_pixbuf_get_rowstride (p);
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < w; x++)
        if (grey)
          row[x] = (guint8) ((src[3 * x] * 77 + src[3 * x + 1] * 150 + src[3 * x + 2] * 29) >> 8);
        else
          memcpy (row + 3 * x, src + 3 * x, 3);
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  return g_bytes_new_with_free_func (buffer, size, free, buffer);
}

typedef struct {
  GByteArray *out;
} PngSink;

static void
png_sink (png_structp png, png_bytep data, png_size_t n)
{
  g_byte_array_append (((PngSink *) png_get_io_ptr (png))->out, data, n);
}

static void
png_flush_nothing (png_structp png)
{
}

/* quadrants () through libpng: 16-bit RGB, interlaced RGB, a palette, or
 * RGBA whose left half is transparent. */
typedef enum { PNG_16BIT, PNG_INTERLACED, PNG_PALETTE, PNG_HALF_CLEAR } PngKind;

static GBytes *
png_via_libpng (GdkPixbuf *p, PngKind kind)
{
  int w = gdk_pixbuf_get_width (p), h = gdk_pixbuf_get_height (p);
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  PngSink sink = { g_byte_array_new () };
  static const png_color palette[4] = { { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 } };
  int color = kind == PNG_PALETTE ? PNG_COLOR_TYPE_PALETTE : kind == PNG_HALF_CLEAR ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB;
  int depth = kind == PNG_16BIT ? 16 : kind == PNG_PALETTE ? 2 : 8;
  int passes;
  g_autofree guint8 *row = g_malloc0 ((gsize) w * 8);

  g_assert_cmpint (setjmp (png_jmpbuf (png)), ==, 0);
  png_set_write_fn (png, &sink, png_sink, png_flush_nothing);
  png_set_IHDR (png, info, w, h, depth, color, kind == PNG_INTERLACED ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (kind == PNG_PALETTE)
    png_set_PLTE (png, info, palette, 4);
  png_write_info (png, info);
  if (kind == PNG_PALETTE)
    png_set_packing (png);
  if (kind == PNG_16BIT)
    png_set_swap (png);   /* rows below are written little-endian */
  passes = png_set_interlace_handling (png);
  for (int pass = 0; pass < passes; pass++)
    for (int y = 0; y < h; y++)
      {
        const guint8 *src = gdk_pixbuf_read_pixels (p) + (gsize) y * gdk_pixbuf_get_rowstride (p);

        for (int x = 0; x < w; x++)
          {
            const guint8 *px = src + 3 * x;
            switch (kind)
              {
              case PNG_16BIT:
                for (int k = 0; k < 3; k++)
                  row[6 * x + 2 * k] = px[k], row[6 * x + 2 * k + 1] = px[k];
                break;
              case PNG_PALETTE:
                row[x] = (y >= h / 2) * 2 + (x >= w / 2);
                break;
              case PNG_HALF_CLEAR:
                memcpy (row + 4 * x, px, 3);
                row[4 * x + 3] = x < w / 2 ? 0 : 255;
                if (x < w / 2)
                  row[4 * x] = row[4 * x + 1] = row[4 * x + 2] = 0;   /* transparent black */
                break;
              case PNG_INTERLACED:
              default:
                memcpy (row + 3 * x, px, 3);
                break;
              }
          }
        png_write_row (png, row);
      }
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  return g_byte_array_free_to_bytes (sink.out);
}

/* The area scaler on numbers worked out by hand. */
static void
test_scaler (void)
{
  /* 3 × 2 RGB to 2 × 1: each output pixel covers 1.5 columns, 2 rows. */
  static const guint8 rows[2][9] = {
    { 0, 0, 0, 90, 90, 90, 180, 180, 180 },
    { 30, 30, 30, 90, 90, 90, 120, 120, 120 },
  };
  /* 2 × 1 RGBA to 1 × 1: a transparent red beside an opaque blue gives a
   * half-transparent blue, not purple. */
  static const guint8 clear[8] = { 255, 0, 0, 0, 0, 0, 255, 255 };
  guint8 out[8] = { 0 };
  SdImageScaler *scaler = sd_image_scaler_new (3, 2, 3, 2, 1, out, 6);

  sd_image_scaler_push (scaler, rows[0]);
  sd_image_scaler_push (scaler, rows[1]);
  sd_image_scaler_free (scaler);
  /* (0 + 90 / 2) / 1.5 = 30 and (30 + 90 / 2) / 1.5 = 50: 40; then 150 and 110: 130. */
  g_assert_cmpint (out[0], ==, 40);
  g_assert_cmpint (out[3], ==, 130);

  scaler = sd_image_scaler_new (2, 1, 4, 1, 1, out, 4);
  sd_image_scaler_push (scaler, clear);
  sd_image_scaler_free (scaler);
  g_assert_cmpint (out[0], ==, 0);
  g_assert_cmpint (out[2], ==, 255);
  g_assert_cmpint (out[3], ==, 128);
}

/* Large pictures through every decoder (libjpeg baseline, progressive and
 * grey; libpng 8-bit, 16-bit, palette, with alpha; gdk-pixbuf for an
 * interlaced PNG; libwebp): each comes out 1920 × 1280 with its
 * quadrants where they belong, transparency on white. */
static void
test_decoders (void)
{
  g_autoptr(GdkPixbuf) picture = quadrants (3000, 2000);
  struct { const char *name; GBytes *bytes; gboolean grey, half_clear; } cases[] = {
    { "jpeg", save (picture, "jpeg", "92") },
    { "progressive jpeg", jpeg_via_libjpeg (picture, TRUE, FALSE) },
    { "grey jpeg", jpeg_via_libjpeg (picture, FALSE, TRUE), TRUE },
    { "png", save (picture, "png", NULL) },
    { "16-bit png", png_via_libpng (picture, PNG_16BIT) },
    { "interlaced png", png_via_libpng (picture, PNG_INTERLACED) },
    { "palette png", png_via_libpng (picture, PNG_PALETTE) },
    { "png with alpha", png_via_libpng (picture, PNG_HALF_CLEAR), FALSE, TRUE },
    { "webp", can_write ("webp") ? save (picture, "webp", NULL) : NULL },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdPrepared) p = NULL;
      g_autoptr(GdkPixbuf) out = NULL;
      guint32 colors[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

      if (cases[k].bytes == NULL)
        continue;
      p = prep (cases[k].bytes, NULL, &error);
      g_assert_no_error (error);
      out = decode (sd_prepared_get_bytes (p));
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes → %dx%d", cases[k].name, g_bytes_get_size (cases[k].bytes),
                      gdk_pixbuf_get_width (out), gdk_pixbuf_get_height (out));
      g_assert_cmpint (gdk_pixbuf_get_width (out), ==, 1920);
      g_assert_cmpint (gdk_pixbuf_get_height (out), ==, 1280);
      if (cases[k].grey)
        for (int q = 0; q < 4; q++)
          colors[q] = 0x010101 * (((colors[q] >> 16) * 77 + ((colors[q] >> 8) & 0xff) * 150 + (colors[q] & 0xff) * 29) >> 8);
      if (cases[k].half_clear)
        colors[0] = colors[2] = 0xffffff;   /* the left half was clear: white now */
      assert_color (pixel (out, 480, 320), colors[0]);
      assert_color (pixel (out, 1440, 320), colors[1]);
      assert_color (pixel (out, 480, 960), colors[2]);
      assert_color (pixel (out, 1440, 960), colors[3]);
      g_bytes_unref (cases[k].bytes);
    }
}

static void
test_bombs (void)
{
  g_autoptr(GPtrArray) all = bombs ();

  for (guint k = 0; k < all->len; k++)
    {
      g_autoptr(GError) error = NULL;
      SdPrepared *p = prep (all->pdata[k], NULL, &error);

      g_assert_null (p);
      g_test_message ("bomb %u: %s", k, error->message);
      g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS);
    }
}

/* A picture whose loader ignores the size it is asked for (WebP's): the
 * result is still at most max_side, and decoded inside libwebp's scaler. */
static void
test_never_larger (void)
{
  g_autoptr(GBytes) webp = sd_test_webp_vp8l (5000, 3000);   /* 32 bytes, 15 MP of one colour */
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) p = prep (webp, NULL, &error);
  g_autoptr(GdkPixbuf) out = NULL;
  SdImagePrepOptions options;

  g_assert_no_error (error);
  g_test_message ("%ux%u → %ux%u", sd_prepared_get_original_width (p), sd_prepared_get_original_height (p),
                  sd_prepared_get_width (p), sd_prepared_get_height (p));
  g_assert_cmpuint (sd_prepared_get_original_width (p), ==, 5000);
  g_assert_cmpuint (sd_prepared_get_width (p), ==, 1920);
  g_assert_cmpuint (sd_prepared_get_height (p), ==, 1152);
  out = decode (sd_prepared_get_bytes (p));
  g_assert_cmpint (gdk_pixbuf_get_width (out), ==, 1920);
  assert_color (pixel (out, 10, 10), 0xc02020);
  g_clear_object (&p);
  g_clear_object (&out);

  /* A smaller box is kept too. */
  sd_image_prep_options_init (&options);
  options.max_side = 300;
  p = prep (webp, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (MAX (sd_prepared_get_width (p), sd_prepared_get_height (p)), ==, 300);
}

/* Cut in half: refused as incomplete, whatever the format. */
static void
test_truncated (void)
{
  g_autoptr(GdkPixbuf) picture = quadrants (400, 300);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (files, save (picture, "jpeg", "90"));
  g_ptr_array_add (files, save (picture, "png", NULL));
  g_ptr_array_add (files, sd_test_webp_vp8l (400, 300));
  if (can_write ("webp"))
    g_ptr_array_add (files, save (picture, "webp", NULL));
  for (guint k = 0; k < files->len; k++)
    {
      gsize n = g_bytes_get_size (files->pdata[k]);
      g_autoptr(GBytes) half = g_bytes_new_from_bytes (files->pdata[k], 0, n / 2);
      g_autoptr(GError) error = NULL;
      SdPrepared *p = prep (half, NULL, &error);

      g_assert_null (p);
      g_test_message ("file %u cut to %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": %s", k, n / 2, n, error->message);
      g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TRUNCATED);
    }
}

/* 7a: what follows a picture's end never leaves with it, and a chunk that
 * drawing needs but that carries more than it should is not kept. */
static void
test_no_trailing_bytes (void)
{
  static const char gps[] = "GPS 37.566535 N 126.977969 E";
  g_autoptr(GdkPixbuf) small = quadrants (320, 200);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) png = save (small, "png", NULL);

  g_ptr_array_add (files, save (small, "jpeg", "90"));
  g_ptr_array_add (files, g_bytes_ref (png));
  g_ptr_array_add (files, sd_test_webp_vp8l (320, 200));
  if (can_write ("webp"))
    g_ptr_array_add (files, save (small, "webp", NULL));
  for (guint k = 0; k < files->len; k++)
    {
      g_autoptr(GBytes) tagged = sd_test_append (files->pdata[k], gps);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdPrepared) p = prep (tagged, NULL, &error);
      GBytes *out;

      g_assert_no_error (error);
      out = sd_prepared_get_bytes (p);
      g_test_message ("file %u: %" G_GSIZE_FORMAT " → %" G_GSIZE_FORMAT " bytes, %s", k,
                      g_bytes_get_size (tagged), g_bytes_get_size (out), sd_prepared_get_content_type (p));
      g_assert_null (memmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "GPS", 3));
      /* Still passed on as it was, up to its end. */
      g_assert_false (sd_prepared_get_reencoded (p));
      g_assert_true (g_bytes_equal (out, files->pdata[k]));
    }
  /* A pHYs chunk (kept when clean) that carries 30 bytes of text. */
  {
    g_autoptr(GBytes) stuffed = sd_test_png_insert (png, "pHYs", gps);
    g_autoptr(GError) error = NULL;
    g_autoptr(SdPrepared) p = prep (stuffed, NULL, &error);
    GBytes *out;

    g_assert_no_error (error);
    out = sd_prepared_get_bytes (p);
    g_assert_null (memmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "GPS", 3));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/prep/scaler", test_scaler);
  g_test_add_func ("/prep/decoders", test_decoders);
  g_test_add_func ("/prep/bombs", test_bombs);
  g_test_add_func ("/prep/never-larger", test_never_larger);
  g_test_add_func ("/prep/truncated", test_truncated);
  g_test_add_func ("/prep/no-trailing-bytes", test_no_trailing_bytes);
  return g_test_run ();
}
