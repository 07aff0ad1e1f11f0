/* test-image-header.c — the contract's picture header parser: every
 * format read right, bombs refused by their declared size, every cut of
 * every file refused as incomplete, garbage and overflowing fields
 * refused without reading past the end (each case is copied into a
 * buffer of its exact size, so the sanitizer build sees any overread). */
#include <string.h>

#include "sd-image-header.h"
#include "sd-test-images.h"

/* Checks a copy of exactly len bytes. */
static gboolean
check (const guint8 *data, gsize len, SdImageHeader *h, GError **error)
{
  g_autofree guint8 *copy = len ? g_memdup2 (data, len) : g_malloc (1);

  return sd_image_header_check (copy, len, SD_IMAGE_MAX_PIXELS, h, error);
}

static gboolean
read_copy (const guint8 *data, gsize len, SdImageHeader *h, GError **error)
{
  g_autofree guint8 *copy = len ? g_memdup2 (data, len) : g_malloc (1);

  return sd_image_header_read (copy, len, h, error);
}

static void
assert_whole (GBytes *b, SdImageFormat format, const char *mime, guint32 w, guint32 h)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);
  SdImageHeader header;
  g_autoptr(GError) error = NULL;

  g_assert_true (read_copy (d, len, &header, &error));
  g_assert_no_error (error);
  g_assert_cmpint (header.format, ==, format);
  g_assert_cmpstr (header.mime_type, ==, mime);
  g_assert_cmpuint (header.width, ==, w);
  g_assert_cmpuint (header.height, ==, h);
  g_assert_true (check (d, len, &header, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (header.width, ==, w);
  g_assert_cmpuint (header.height, ==, h);
  g_assert_cmpuint (header.end, ==, len);
}

static void
assert_refused (GBytes *b, int code)
{
  SdImageHeader header;
  g_autoptr(GError) error = NULL;

  g_assert_false (check (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &header, &error));
  g_assert_error (error, SD_IMAGE_HEADER_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_formats (void)
{
  g_autoptr(GBytes) png = sd_test_png (640, 480, FALSE);
  g_autoptr(GBytes) vp8l = sd_test_webp_vp8l (300, 200);
  g_autoptr(GBytes) vp8x = sd_test_webp_vp8x (300, 200);
  g_autoptr(GBytes) jpeg = sd_test_jpeg (4032, 3024, FALSE);
  g_autoptr(GBytes) gif = sd_test_gif (20, 10, 20, 10);
  g_autoptr(GBytes) tiff_le = sd_test_tiff (100, 80, FALSE);
  g_autoptr(GBytes) tiff_be = sd_test_tiff (100, 80, TRUE);
  g_autoptr(GBytes) heif = sd_test_heif (4032, 3024);
  /* A real VP8 key frame header: 1×1. */
  static const guint8 vp8[] = {
    'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 14, 0, 0, 0,
    0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x34, 0x25,
  };
  g_autoptr(GBytes) vp8_bytes = g_bytes_new_static (vp8, sizeof vp8);
  SdImageHeader h;
  g_autoptr(GError) error = NULL;

  assert_whole (png, SD_IMAGE_FORMAT_PNG, "image/png", 640, 480);
  assert_whole (vp8l, SD_IMAGE_FORMAT_WEBP, "image/webp", 300, 200);
  assert_whole (vp8x, SD_IMAGE_FORMAT_WEBP, "image/webp", 300, 200);
  assert_whole (vp8_bytes, SD_IMAGE_FORMAT_WEBP, "image/webp", 1, 1);
  assert_whole (jpeg, SD_IMAGE_FORMAT_JPEG, "image/jpeg", 4032, 3024);
  assert_whole (gif, SD_IMAGE_FORMAT_GIF, "image/gif", 20, 10);
  assert_whole (tiff_le, SD_IMAGE_FORMAT_TIFF, "image/tiff", 100, 80);
  assert_whole (tiff_be, SD_IMAGE_FORMAT_TIFF, "image/tiff", 100, 80);
  assert_whole (heif, SD_IMAGE_FORMAT_HEIF, "image/heic", 4032, 3024);
  /* A GIF frame of no pixels (gdk-pixbuf complains of it; fuzz-image-prep). */
  {
    g_autoptr(GBytes) no_width = sd_test_gif (20, 10, 0, 10);
    g_autoptr(GBytes) no_height = sd_test_gif (20, 10, 20, 0);

    assert_refused (no_width, SD_IMAGE_HEADER_ERROR_NOT_IMAGE);
    assert_refused (no_height, SD_IMAGE_HEADER_ERROR_NOT_IMAGE);
  }

  /* Metadata and extras are told apart from pixels. */
  g_assert_true (check (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &h, &error));
  g_assert_true (h.extra);   /* its APP1 */
  g_assert_false (h.progressive);
  g_assert_cmpuint (h.held_bytes, ==, 0);
  g_assert_true (check (g_bytes_get_data (png, NULL), g_bytes_get_size (png), &h, &error));
  g_assert_false (h.extra);
  g_assert_true (check (g_bytes_get_data (vp8l, NULL), g_bytes_get_size (vp8l), &h, &error));
  g_assert_false (h.extra);
  g_assert_cmpuint (h.held_bytes, ==, 300 * 200 * 4);   /* lossless: the whole canvas */
  g_assert_true (check (vp8, sizeof vp8, &h, &error));
  g_assert_cmpuint (h.held_bytes, ==, 0);                /* lossy: row by row */
  g_assert_true (check (g_bytes_get_data (gif, NULL), g_bytes_get_size (gif), &h, &error));
  g_assert_false (h.extra);
  g_assert_cmpuint (h.frames, ==, 1);
  g_assert_no_error (error);
}

/* Bombs: refused by what they declare, whatever follows. */
static void
test_bombs (void)
{
  GBytes *bombs[] = {
    sd_test_png (100000, 100000, FALSE),
    sd_test_png (60000, 60000, FALSE),
    sd_test_png (1, 200000, FALSE),                  /* under 100 MP, but a side over 65535 */
    sd_test_png (9000, 9000, TRUE),                  /* interlaced: held whole, 324 MB */
    sd_test_webp_vp8x (16384, 16384),
    sd_test_webp_vp8x (1 << 24, 1 << 24),
    sd_test_webp_vp8l (16384, 16384),
    sd_test_webp_vp8l (9000, 9000),                  /* under 100 MP; lossless needs 324 MB */
    sd_test_jpeg (65500, 65500, FALSE),
    sd_test_jpeg (9000, 9000, TRUE),                 /* progressive: 243 MB of coefficients */
    sd_test_gif (65535, 65535, 1, 1),
    sd_test_gif (1, 1, 65535, 65535),                /* a frame larger than its screen */
    sd_test_gif (100, 100, 60000, 2000),
    sd_test_tiff (100000, 100000, FALSE),
    sd_test_tiff (60000, 60000, TRUE),
    sd_test_tiff (8000, 8000, FALSE),                /* 64 MP, but libtiff reads it whole */
    sd_test_heif (100000, 100000),
    sd_test_heif (8000, 6000),
  };

  for (guint k = 0; k < G_N_ELEMENTS (bombs); k++)
    {
      SdImageHeader h;

      assert_refused (bombs[k], SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS);
      /* Cut short, a bomb is still called a bomb when its size is known. */
      if (read_copy (g_bytes_get_data (bombs[k], NULL), g_bytes_get_size (bombs[k]) - 1, &h, NULL))
        {
          g_autoptr(GBytes) cut = g_bytes_new_from_bytes (bombs[k], 0, g_bytes_get_size (bombs[k]) - 1);
          assert_refused (cut, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS);
        }
      g_bytes_unref (bombs[k]);
    }
}

/* Every prefix of every file: never accepted whole, never read past. */
static void
test_truncated (void)
{
  GBytes *files[] = {
    sd_test_png (640, 480, FALSE), sd_test_webp_vp8l (300, 200), sd_test_webp_vp8x (300, 200),
    sd_test_jpeg (4032, 3024, FALSE), sd_test_jpeg (400, 300, TRUE), sd_test_gif (20, 10, 20, 10),
    sd_test_tiff (100, 80, FALSE), sd_test_tiff (100, 80, TRUE), sd_test_heif (4032, 3024),
  };

  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (files[k], &len);

      for (gsize n = 0; n < len; n++)
        {
          SdImageHeader h;
          g_autoptr(GError) error = NULL;

          if (check (d, n, &h, &error))
            g_error ("file %u accepted cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, k, n, len);
          /* Under 12 bytes a HEIF cannot be told from anything else. */
          if (n == 0 || (n < 12 && g_error_matches (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE)))
            g_assert_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE);
          else if (!g_error_matches (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TRUNCATED))
            g_error ("file %u cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": %s", k, n, len, error->message);
          g_clear_error (&error);
          /* A prefix is read, or found too short: never called garbage. */
          if (!read_copy (d, n, &h, &error) && n >= 12)
            g_assert_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TRUNCATED);
        }
      g_bytes_unref (files[k]);
    }
}

/* Bytes after the end are noticed, and where the picture ends is known. */
static void
test_trailing (void)
{
  GBytes *files[] = {
    sd_test_png (64, 64, FALSE), sd_test_webp_vp8l (64, 64), sd_test_gif (8, 8, 8, 8), sd_test_jpeg (64, 64, FALSE),
  };

  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_autoptr(GBytes) tagged = sd_test_append (files[k], "GPS 37.5665 N 126.9780 E");
      SdImageHeader h;
      g_autoptr(GError) error = NULL;

      g_assert_true (check (g_bytes_get_data (tagged, NULL), g_bytes_get_size (tagged), &h, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (h.end, ==, g_bytes_get_size (files[k]));
      g_assert_cmpuint (h.end, <, g_bytes_get_size (tagged));
      g_bytes_unref (files[k]);
    }
}

static void
test_garbage (void)
{
  static const char *const texts[] = {
    "", "h", "hello, this is not a picture\n", "RIFF", "RIFF\0\0\0\0WEBX", "\xff\xd8",
    "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDX\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
    "GIF89a\x01\0\x01\0\0\0\0!",
    "\0\0\0\x08" "ftyp", "\0\0\0\x18" "ftypisom\0\0\0\0isommp41",
    "II*\0\x04\0\0\0", "MM\0+\0\x08\0\0\0\0\0\0\0\0\0\x08",
  };

  for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
    {
      SdImageHeader h;
      g_autoptr(GError) error = NULL;
      gsize len = k == 9 ? 24 : k == 10 ? 8 : k == 11 ? 16 : k == 8 ? 8 : k == 6 ? 29 : k == 7 ? 14 : strlen (texts[k]);

      g_assert_false (check ((const guint8 *) texts[k], len, &h, &error));
      g_assert_nonnull (error);
      g_test_message ("%u: %s", k, error->message);
    }
  {
    SdImageHeader h;
    g_autoptr(GError) error = NULL;

    g_assert_false (sd_image_header_check (NULL, 0, SD_IMAGE_MAX_PIXELS, &h, &error));
    g_assert_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE);
  }
  /* Random bytes: refused, and quickly. */
  {
    GRand *rand = g_rand_new_with_seed (14);
    guint8 buf[512];

    for (guint round = 0; round < 2000; round++)
      {
        gsize n = g_rand_int_range (rand, 0, sizeof buf);
        SdImageHeader h;

        for (gsize i = 0; i < n; i++)
          buf[i] = g_rand_int (rand);
        g_assert_false (check (buf, n, &h, NULL));
      }
    g_rand_free (rand);
  }
}

/* Lengths and offsets at their largest: refused, never wrapped around. */
static void
test_overflows (void)
{
  g_autoptr(GBytes) png = sd_test_png (64, 64, FALSE);
  g_autoptr(GBytes) webp = sd_test_webp_vp8l (64, 64);
  g_autoptr(GBytes) jpeg = sd_test_jpeg (64, 64, FALSE);
  g_autoptr(GBytes) tiff = sd_test_tiff (64, 64, FALSE);
  g_autoptr(GBytes) heif = sd_test_heif (64, 64);
  g_autoptr(GBytes) gif = sd_test_gif (8, 8, 8, 8);
  struct { GBytes *file; gsize at; const char *bytes; gsize n; } cases[] = {
    { png, 33, "\xff\xff\xff\xff", 4 },    /* IDAT length 4 GB */
    { png, 33, "\x7f\xff\xff\xf0", 4 },    /* 2 GB */
    { webp, 4, "\xff\xff\xff\xff", 4 },    /* RIFF length */
    { webp, 4, "\x02\0\0\0", 4 },          /* RIFF shorter than its own header */
    { webp, 16, "\xff\xff\xff\xff", 4 },   /* chunk length */
    { jpeg, 22, "\0\0", 2 },               /* APP1 length 0 */
    { jpeg, 22, "\0\x01", 2 },             /* 1 */
    { jpeg, 22, "\xff\xff", 2 },           /* past the end */
    { jpeg, 395, "\0\x09", 2 },            /* SOF length too short for its components */
    { tiff, 4, "\xff\xff\xff\xff", 4 },    /* IFD0 far away */
    { tiff, 4, "\x01\0\0\0", 4 },          /* inside the header */
    { tiff, 8, "\xff\xff", 2 },            /* 65535 entries */
    { tiff, 10 + 5 * 12 + 8, "\xf0\xff\xff\xff", 4 },   /* strip offset near 4 GB */
    { tiff, 10 + 5 * 12 + 8, "\xff\xff\xff\xff", 4 },
    { tiff, 10 + 7 * 12 + 8, "\xff\xff\xff\xff", 4 },   /* strip length 4 GB */
    { tiff, 10 + 5 * 12 + 4, "\x40\0\0\x40", 4 },       /* 1 G strips, listed past the end */
    { heif, 0, "\0\0\0\x01", 4 },          /* a 64-bit size, reading "heic" as its size */
    { heif, 24, "\xff\xff\xff\xff", 4 },   /* meta longer than the file */
    { heif, 24, "\0\0\0\x04", 4 },         /* shorter than its header */
    { gif, 10, "\x87", 1 },                /* a 256-colour table that is not there */
    { gif, 38, "\xff", 1 },                /* a frame's sub-block past the end */
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      gsize len = g_bytes_get_size (cases[k].file);
      g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (cases[k].file, NULL), len);
      SdImageHeader h;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (cases[k].at + cases[k].n, <=, len);
      memcpy (d + cases[k].at, cases[k].bytes, cases[k].n);
      if (check (d, len, &h, &error))
        g_error ("case %u accepted", k);
      g_test_message ("%u: %s", k, error->message);
    }
}

/* JPEG scans: a sequential JPEG whose components come in separate scans
 * is buffered whole, like a progressive one; and a file of a thousand
 * scans (each a pass over every coefficient) is refused. */
static void
test_jpeg_scans (void)
{
  g_autoptr(GBytes) wide = sd_test_jpeg (20000, 5000, FALSE);   /* 100 MP, baseline: held row by row */
  gsize len;
  const guint8 *d = g_bytes_get_data (wide, &len);
  g_autofree guint8 *split = g_memdup2 (d, len);
  const guint8 *sos = memmem (d, len, "\xff\xda", 2);
  g_autoptr(GByteArray) many = g_byte_array_new ();
  SdImageHeader h;
  g_autoptr(GError) error = NULL;

  g_assert_true (check (d, len, &h, &error));
  g_assert_cmpuint (h.held_bytes, ==, 0);
  /* The first scan carries one component of three. */
  split[(sos - d) + 4] = 1;
  g_assert_false (check (split, len, &h, &error));
  g_assert_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  {
    g_autoptr(GBytes) small = sd_test_jpeg (64, 64, TRUE);
    const guint8 *sd = g_bytes_get_data (small, &len);
    static const guint8 scan[] = { 0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0, 0x12 };

    g_byte_array_append (many, sd, len - 2);   /* without its EOI */
    for (guint k = 0; k < 1000; k++)
      g_byte_array_append (many, scan, sizeof scan);
    g_byte_array_append (many, (const guint8 *) "\xff\xd9", 2);
    g_assert_false (check (many->data, many->len, &h, &error));
    g_assert_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE);
    g_clear_error (&error);
    /* Ten scans more are fine. */
    g_byte_array_set_size (many, len - 2 + 10 * sizeof scan);
    g_byte_array_append (many, (const guint8 *) "\xff\xd9", 2);
    g_assert_true (check (many->data, many->len, &h, &error));
    g_assert_no_error (error);
  }
}

/* Bit flips in every kind of file: whatever the verdict, no overread
 * (the sanitizer build) and no hang. */
static void
test_mutations (void)
{
  GBytes *files[] = {
    sd_test_png (640, 480, FALSE), sd_test_webp_vp8l (300, 200), sd_test_webp_vp8x (300, 200),
    sd_test_jpeg (4032, 3024, TRUE), sd_test_gif (20, 10, 20, 10), sd_test_tiff (100, 80, FALSE),
    sd_test_tiff (100, 80, TRUE), sd_test_heif (4032, 3024),
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (files[k], &len);

      for (guint round = 0; round < 3000; round++)
        {
          g_autofree guint8 *m = g_memdup2 (d, len);
          gsize n = len - g_rand_int_range (rand, 0, 3);
          SdImageHeader h;

          for (guint flips = g_rand_int_range (rand, 1, 4); flips > 0; flips--)
            m[g_rand_int_range (rand, 0, len)] ^= 1 << g_rand_int_range (rand, 0, 8);
          if (check (m, n, &h, NULL))
            {
              g_assert_cmpuint (h.end, <=, n);
              g_assert_cmpuint ((guint64) h.width * h.height, <=, SD_IMAGE_MAX_PIXELS);
            }
          read_copy (m, n, &h, NULL);
        }
      g_bytes_unref (files[k]);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image-header/formats", test_formats);
  g_test_add_func ("/image-header/bombs", test_bombs);
  g_test_add_func ("/image-header/truncated", test_truncated);
  g_test_add_func ("/image-header/trailing", test_trailing);
  g_test_add_func ("/image-header/garbage", test_garbage);
  g_test_add_func ("/image-header/overflows", test_overflows);
  g_test_add_func ("/image-header/jpeg-scans", test_jpeg_scans);
  g_test_add_func ("/image-header/mutations", test_mutations);
  return g_test_run ();
}
