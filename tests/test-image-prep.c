/* test-image-prep.c — SdImagePrep on fixtures made here, byte by byte:
 * EXIF orientations 1–8 come out upright, GPS never leaves, big noisy
 * photos fit the limit, transparency lands on white, bombs, truncated
 * and fake pictures are refused, small clean pictures pass unchanged. */
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

/* ---- fixtures -------------------------------------------------------- */

/* Four quadrants: red top-left, green top-right, blue bottom-left, white
 * bottom-right; wider than high, so a rotation shows. */
static GdkPixbuf *
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
static GdkPixbuf *
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

static GBytes *
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
static GBytes *
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

static GdkPixbuf *
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

static guint32
pixel (GdkPixbuf *p, int x, int y)
{
  const guint8 *px = gdk_pixbuf_read_pixels (p) + y * gdk_pixbuf_get_rowstride (p) + x * gdk_pixbuf_get_n_channels (p);
  return ((guint32) px[0] << 16) | ((guint32) px[1] << 8) | px[2];
}

static void
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
static void
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

static SdPrepared *
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

/* ---- tests ----------------------------------------------------------- */

static void
test_orientations (void)
{
  g_autoptr(GdkPixbuf) upright = quadrants (80, 40);

  for (int n = 1; n <= 8; n++)
    {
      g_autoptr(GdkPixbuf) stored = stored_for (upright, n);
      g_autoptr(GBytes) file = jpeg_with_exif (stored, n);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdPrepared) p = prep (file, NULL, &error);
      g_autoptr(GdkPixbuf) out = NULL;

      g_assert_no_error (error);
      g_assert_true (sd_prepared_get_reencoded (p));   /* it had EXIF */
      g_assert_cmpstr (sd_prepared_get_content_type (p), ==, "image/jpeg");
      assert_no_metadata (sd_prepared_get_bytes (p));
      out = decode (sd_prepared_get_bytes (p));
      g_test_message ("orientation %d: %dx%d", n, gdk_pixbuf_get_width (out), gdk_pixbuf_get_height (out));
      g_assert_cmpint (gdk_pixbuf_get_width (out), ==, 80);
      g_assert_cmpint (gdk_pixbuf_get_height (out), ==, 40);
      assert_color (pixel (out, 20, 10), 0xff0000);
      assert_color (pixel (out, 60, 10), 0x00ff00);
      assert_color (pixel (out, 20, 30), 0x0000ff);
      assert_color (pixel (out, 60, 30), 0xffffff);
    }
}

/* A clean small picture is sent as it is; the same with EXIF is not. */
static void
test_pass_through (void)
{
  g_autoptr(GdkPixbuf) small = quadrants (320, 200);
  g_autoptr(GBytes) clean = save (small, "jpeg", "90");
  g_autoptr(GBytes) clean_png = save (small, "png", NULL);
  g_autoptr(GBytes) tagged = jpeg_with_exif (small, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) a = prep (clean, NULL, &error);
  g_autoptr(SdPrepared) b = NULL;
  g_autoptr(SdPrepared) c = NULL;

  g_assert_no_error (error);
  g_assert_false (sd_prepared_get_reencoded (a));
  g_assert_true (g_bytes_equal (sd_prepared_get_bytes (a), clean));
  g_assert_cmpuint (sd_prepared_get_quality (a), ==, 0);

  b = prep (clean_png, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_prepared_get_reencoded (b));
  g_assert_cmpstr (sd_prepared_get_content_type (b), ==, "image/png");
  g_assert_cmpstr (sd_prepared_get_extension (b), ==, "png");

  c = prep (tagged, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_prepared_get_reencoded (c));
  assert_no_metadata (sd_prepared_get_bytes (c));
  g_assert_null (memmem (g_bytes_get_data (sd_prepared_get_bytes (c), NULL),
                         g_bytes_get_size (sd_prepared_get_bytes (c)), "GPS", 3));
}

/* Noise compresses worst: a large noisy photo from a file, with a small
 * limit, must come out under it, smaller on its longest side. */
static void
test_fits_limit (void)
{
  g_autoptr(GdkPixbuf) noise = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4000, 3000);
  g_autoptr(GBytes) jpeg = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) p = NULL;
  SdImagePrepOptions options;
  int fd;
  guint8 *px = gdk_pixbuf_get_pixels (noise);
  gsize len = (gsize) gdk_pixbuf_get_rowstride (noise) * 3000;
  GRand *rand = g_rand_new_with_seed (7);

  for (gsize i = 0; i < len; i++)
    px[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  jpeg = save (noise, "jpeg", "92");
  fd = g_file_open_tmp ("storedesk-prep-XXXXXX.jpg", &path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error));
  close (fd);
  file = g_file_new_for_path (path);

  sd_image_prep_options_init (&options);
  options.max_bytes = 300 * 1000;
  p = sd_image_prep_file (&options, file, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%" G_GSIZE_FORMAT " bytes → %" G_GSIZE_FORMAT " bytes, %ux%u at q%d",
                  g_bytes_get_size (jpeg), g_bytes_get_size (sd_prepared_get_bytes (p)),
                  sd_prepared_get_width (p), sd_prepared_get_height (p), sd_prepared_get_quality (p));
  g_assert_cmpuint (g_bytes_get_size (sd_prepared_get_bytes (p)), <=, options.max_bytes);
  g_assert_cmpuint (sd_prepared_get_original_width (p), ==, 4000);
  g_assert_cmpuint (MAX (sd_prepared_get_width (p), sd_prepared_get_height (p)), <, 1920);   /* shrunk to fit */
  g_assert_cmpfloat_with_epsilon ((double) sd_prepared_get_width (p) / sd_prepared_get_height (p), 4.0 / 3, 0.01);
  g_clear_object (&p);

  /* The default limit is met at 1920 px. */
  sd_image_prep_options_init (&options);
  p = sd_image_prep_file (&options, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (sd_prepared_get_bytes (p)), <=, options.max_bytes);
  g_assert_cmpuint (sd_prepared_get_width (p), <=, 1920);
  g_unlink (path);
}

static void
test_alpha_flattened (void)
{
  g_autoptr(GdkPixbuf) p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 64, 64);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) out = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;

  gdk_pixbuf_fill (p, 0x00000000);   /* transparent black */
  for (int y = 16; y < 48; y++)
    for (int x = 16; x < 48; x++)
      {
        guint8 *px = gdk_pixbuf_get_pixels (p) + y * gdk_pixbuf_get_rowstride (p) + x * 4;
        px[0] = 0, px[1] = 0, px[2] = 0x80, px[3] = 0xff;   /* opaque navy */
      }
  png = save (p, "png", NULL);
  out = prep (png, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_prepared_get_content_type (out), ==, "image/jpeg");
  decoded = decode (sd_prepared_get_bytes (out));
  g_assert_false (gdk_pixbuf_get_has_alpha (decoded));
  assert_color (pixel (decoded, 3, 3), 0xffffff);    /* not black */
  assert_color (pixel (decoded, 32, 32), 0x000080);
}

static void
test_formats (void)
{
  /* A 1×1 red GIF, as written by hand. */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0, 0, 0, 0, 0,
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
  };
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(GdkPixbuf) picture = quadrants (100, 80);
  g_autoptr(GBytes) tiff = save (picture, "tiff", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) a = prep (gif_bytes, NULL, &error);
  g_autoptr(SdPrepared) b = NULL;
  g_autoptr(GdkPixbuf) out = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sd_prepared_get_content_type (a), ==, "image/jpeg");   /* GIF is re-encoded */
  out = decode (sd_prepared_get_bytes (a));
  assert_color (pixel (out, 0, 0), 0xff0000);
  g_clear_object (&out);

  b = prep (tiff, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_prepared_get_content_type (b), ==, "image/jpeg");
  g_assert_cmpuint (sd_prepared_get_width (b), ==, 100);

  /* WebP, when its loader can write (webp-pixbuf-loader can). */
  for (GSList *l = gdk_pixbuf_get_formats (), *f = l; f; f = f->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (f->data);

      if (strcmp (name, "webp") == 0 && gdk_pixbuf_format_is_writable (f->data))
        {
          g_autoptr(GBytes) webp = save (picture, "webp", NULL);
          g_autoptr(SdPrepared) c = prep (webp, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (sd_prepared_get_content_type (c), ==, "image/webp");
          g_assert_false (sd_prepared_get_reencoded (c));
        }
      if (f->next == NULL)
        g_slist_free (l);
    }
}

static void
test_refusals (void)
{
  g_autoptr(GdkPixbuf) picture = quadrants (400, 300);
  g_autoptr(GBytes) jpeg = save (picture, "jpeg", "90");
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) * 6 / 10);
  g_autoptr(GBytes) png = save (picture, "png", NULL);
  g_autoptr(GBytes) cut_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, this is not a picture\n", 29);
  g_autoptr(GBytes) bomb = sd_test_png (60000, 60000, FALSE);   /* 10.8 GB decoded, in 57 bytes */
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  SdPrepared *p;

  p = prep (cut, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TRUNCATED);
  g_clear_error (&error);
  p = prep (cut_png, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TRUNCATED);
  g_clear_error (&error);
  p = prep (text, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE);
  g_clear_error (&error);
  p = prep (empty, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE);
  g_clear_error (&error);
  /* Refused from the header: the loader is told to stop at size 0 before
   * it allocates (10.8 GB here; the sanitizer run would notice). */
  p = prep (bomb, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
}

/* Files: a 2 GB "image" (sparse: no disk used) is refused unread; a text
 * file named .jpg and a folder are not pictures. */
static void
test_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "big.jpg", NULL);
  g_autofree char *fake = g_build_filename (dir, "fake.jpg", NULL);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFile) fake_file = g_file_new_for_path (fake);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  SdImagePrepOptions options;
  FILE *f = fopen (big, "w");

  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), (off_t) 2 * 1024 * 1024 * 1024), ==, 0);
  fclose (f);
  g_assert_true (g_file_set_contents (fake, "not a photo\n", -1, NULL));
  sd_image_prep_options_init (&options);

  g_assert_null (sd_image_prep_file (&options, big_file, NULL, &error));
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_FILE_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (sd_image_prep_file (&options, fake_file, NULL, &error));
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE);
  g_clear_error (&error);
  g_assert_null (sd_image_prep_file (&options, dir_file, NULL, &error));
  g_assert_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE);
  g_clear_error (&error);
  g_unlink (big);
  g_unlink (fake);
  g_rmdir (dir);
}

typedef struct {
  guint      pending;
  GPtrArray *results;
} Batch;

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Batch *b = user_data;
  g_autoptr(GError) error = NULL;
  SdPrepared *p = sd_image_prep_finish (result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (b->results, p);
  b->pending--;
}

static gboolean
batch_done (gpointer b)
{
  return ((Batch *) b)->pending == 0;
}

/* Several at once, off the main thread; and a cancelled one says so. */
static void
test_async_parallel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-XXXXXX", NULL);
  Batch b = { 8, g_ptr_array_new_with_free_func (g_object_unref) };
  SdImagePrepOptions options;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  sd_image_prep_options_init (&options);
  options.max_side = 100;
  for (int i = 0; i < 8; i++)
    {
      g_autoptr(GdkPixbuf) picture = quadrants (400 + i * 10, 300);
      g_autoptr(GBytes) jpeg = save (picture, "jpeg", "90");
      g_autofree char *name = g_strdup_printf ("%s/%d.jpg", dir, i);
      g_autoptr(GFile) file = g_file_new_for_path (name);

      g_assert_true (g_file_set_contents (name, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), NULL));
      sd_image_prep_file_async (&options, file, NULL, prepared_cb, &b);
    }
  sd_test_wait_for (batch_done, &b);
  for (guint i = 0; i < b.results->len; i++)
    g_assert_cmpuint (sd_prepared_get_width (b.results->pdata[i]), ==, 100);

  g_cancellable_cancel (cancelled);
  {
    g_autofree char *name = g_strdup_printf ("%s/0.jpg", dir);
    g_autoptr(GFile) file = g_file_new_for_path (name);
    g_assert_null (sd_image_prep_file (&options, file, cancelled, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_ptr_array_unref (b.results);
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%d.jpg", dir, i);
      g_unlink (name);
    }
  g_rmdir (dir);
}

/* ---- storedesk-prep ---------------------------------------------------- */

typedef struct {
  int    status;
  char  *out;
  char  *err;
} Ran;

static void
ran_clear (Ran *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Ran
run_prep (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Ran r = { -1 };
  const char *program = g_getenv ("STOREDESK_PREP");
  va_list ap;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &r.status, &error));
  g_assert_no_error (error);
  r.status = WIFEXITED (r.status) ? WEXITSTATUS (r.status) : -1;
  g_test_message ("exit %d\n%s%s", r.status, r.out, r.err);
  return r;
}

static void
write_bytes (const char *path, GBytes *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-cli-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (dir, "photos", NULL);
  g_autofree char *sub = g_build_filename (in, "shelf", NULL);
  g_autofree char *a = g_build_filename (in, "a.jpg", NULL);
  g_autofree char *b = g_build_filename (sub, "b.jpg", NULL);
  g_autofree char *fake = g_build_filename (sub, "fake.jpg", NULL);
  g_autofree char *notes = g_build_filename (in, "notes.txt", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out_a = g_build_filename (out, "photos", "a.jpg", NULL);
  g_autofree char *out_b = g_build_filename (out, "photos", "shelf", "b.jpg", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GdkPixbuf) picture = quadrants (2400, 1600);
  g_autoptr(GdkPixbuf) turned = stored_for (picture, 6);   /* as a phone held upright stores it */
  g_autoptr(GBytes) tagged = jpeg_with_exif (turned, 6);
  g_autoptr(GBytes) plain = save (picture, "jpeg", "90");
  g_autoptr(GBytes) after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *summary;
  JsonArray *files;
  Ran r;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  write_bytes (a, tagged);
  write_bytes (b, plain);
  g_assert_true (g_file_set_contents (fake, "not a photo\n", -1, NULL));
  g_assert_true (g_file_set_contents (notes, "ignored: not named like a picture\n", -1, NULL));

  /* A folder, recursively, in parallel, as JSON: 2 prepared, 1 failed. */
  r = run_prep ("--json", "--jobs", "2", "--output", out, in, NULL);
  g_assert_cmpint (r.status, ==, 1);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  summary = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "summary");
  files = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "files");
  g_assert_cmpint (json_object_get_int_member (summary, "files"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "prepared"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 1);
  g_assert_cmpuint (json_array_get_length (files), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      if (!json_object_get_boolean_member (f, "ok"))
        {
          g_assert_true (g_str_has_suffix (json_object_get_string_member (f, "input"), "fake.jpg"));
          g_assert_nonnull (json_object_get_string_member (f, "error"));
        }
      else
        g_assert_cmpint (json_object_get_int_member (f, "width"), ==, 1920);
    }
  ran_clear (&r);
  g_assert_true (g_file_test (out_a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (out_b, G_FILE_TEST_EXISTS));
  after = read_bytes (a);
  g_assert_true (g_bytes_equal (after, tagged));   /* the original is untouched */
  g_clear_pointer (&after, g_bytes_unref);
  {
    g_autoptr(GBytes) prepared = read_bytes (out_a);
    g_autoptr(GdkPixbuf) p = decode (prepared);

    assert_no_metadata (prepared);
    g_assert_cmpint (gdk_pixbuf_get_width (p), ==, 1920);   /* turned upright: landscape again */
    assert_color (pixel (p, 100, 100), 0xff0000);
  }

  /* One file goes straight under --output; plain lines, as stdout is not
   * a terminal. Run again, the result exists: not replaced without
   * --overwrite. */
  r = run_prep ("--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "b.jpg"));
  ran_clear (&r);
  r = run_prep ("--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "--overwrite"));
  ran_clear (&r);
  r = run_prep ("--overwrite", "--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  ran_clear (&r);

  /* Never an original, --overwrite or not. */
  r = run_prep ("--overwrite", "--output", in, a, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "original"));
  ran_clear (&r);
  after = read_bytes (a);
  g_assert_true (g_bytes_equal (after, tagged));

  /* Usage errors: 2. */
  r = run_prep ("--quality", "500", a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--max-bytes", "lots", a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--output", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ran_clear (&r);
  r = run_prep ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--max-bytes"));
  ran_clear (&r);
  /* A smaller limit, in kB. */
  r = run_prep ("--json", "--overwrite", "--max-bytes", "60kB", "--output", out, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  files = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "files");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (files, 0), "bytes_out"), <=, 60000);
  ran_clear (&r);

  g_assert_cmpint (system (cmd), ==, 0);
}

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

/* The bombs, each a few dozen bytes: refused by what their header
 * declares, through the API. */
static GPtrArray *
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

/* The bombs and the tricks again, through storedesk-prep itself: refused,
 * nothing written, and the process never grows with the declared size. */
typedef struct {
  int    status;
  char  *out;
  glong  peak_kb;
} Measured;

static Measured
run_prep_measured (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  Measured m = { -1, NULL, 0 };
  struct rusage usage;
  GPid pid;
  int out_fd, status;
  char buf[4096];
  gssize got;

  g_ptr_array_add (argv, (char *) g_getenv ("STOREDESK_PREP"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint k = 0; args[k]; k++)
    g_ptr_array_add (argv, (char *) args[k]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                           &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  while ((got = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, got);
  close (out_fd);
  /* This child's own peak, not the largest of all children so far. */
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_spawn_close_pid (pid);
  m.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  m.peak_kb = usage.ru_maxrss;
  m.out = g_string_free (g_steal_pointer (&out), FALSE);
  return m;
}

/* Generous: a behaviour check (the declared size does not drive memory),
 * not a benchmark. The sanitizer build's own shadow memory and quarantine
 * make its figures meaningless: there it is only reported. */
#ifdef __SANITIZE_ADDRESS__
#define PEAK_LIMIT_KB G_MAXLONG
#else
#define PEAK_LIMIT_KB (150 * 1024)
#endif

static void
test_cli_bombs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-prep-bombs-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GPtrArray) all = bombs ();
  glong largest = 0;

  for (guint k = 0; k < all->len; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s/bomb-%02u.%s", dir, k, k < 3 ? "webp" : "jpg");
      const char *args[] = { "--json", "--jobs", "1", "--output", out, name, NULL };
      Measured m;

      write_bytes (name, all->pdata[k]);
      m = run_prep_measured (args);
      g_test_message ("bomb %u (%" G_GSIZE_FORMAT " bytes): exit %d, peak %ld MB\n%s", k,
                      g_bytes_get_size (all->pdata[k]), m.status, m.peak_kb / 1024, m.out);
      g_assert_cmpint (m.status, ==, 1);
      g_assert_nonnull (strstr (m.out, "\"ok\":false"));
      g_assert_cmpint (m.peak_kb, <, PEAK_LIMIT_KB);
      largest = MAX (largest, m.peak_kb);
      g_free (m.out);
    }
  /* Nothing was written for any of them. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_test_message ("largest peak RSS on the bombs: %ld MB", largest / 1024);

  /* A 32-byte lossless WebP of 5000 × 3000: at most 1920 px comes out. */
  {
    g_autoptr(GBytes) webp = sd_test_webp_vp8l (5000, 3000);
    g_autofree char *name = g_build_filename (dir, "wide.webp", NULL);
    g_autofree char *result = g_build_filename (out, "wide.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    g_autoptr(GdkPixbuf) written = NULL;
    g_autoptr(GError) error = NULL;
    Measured m;

    write_bytes (name, webp);
    m = run_prep_measured (args);
    g_test_message ("wide.webp: exit %d, peak %ld MB\n%s", m.status, m.peak_kb / 1024, m.out);
    g_assert_cmpint (m.status, ==, 0);
    g_assert_cmpint (m.peak_kb, <, PEAK_LIMIT_KB);
    g_free (m.out);
    written = gdk_pixbuf_new_from_file (result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (written), ==, 1920);
  }

  /* A small clean JPEG with GPS after its end: written without it. */
  {
    g_autoptr(GdkPixbuf) small = quadrants (320, 200);
    g_autoptr(GBytes) clean = save (small, "jpeg", "90");
    g_autoptr(GBytes) tagged = sd_test_append (clean, "GPS 37.566535 N 126.977969 E");
    g_autofree char *name = g_build_filename (dir, "tagged.jpg", NULL);
    g_autofree char *result = g_build_filename (out, "tagged.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    g_autoptr(GBytes) written = NULL;
    Measured m;

    write_bytes (name, tagged);
    m = run_prep_measured (args);
    g_assert_cmpint (m.status, ==, 0);
    g_free (m.out);
    written = read_bytes (result);
    g_assert_null (memmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written), "GPS", 3));
    g_assert_true (g_bytes_equal (written, clean));
  }

  /* Half a picture: refused, not written. */
  {
    g_autoptr(GBytes) whole = sd_test_webp_vp8l (400, 300);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
    g_autofree char *name = g_build_filename (dir, "half.webp", NULL);
    g_autofree char *result = g_build_filename (out, "half.jpg", NULL);
    const char *args[] = { "--output", out, name, NULL };
    Measured m;

    write_bytes (name, half);
    m = run_prep_measured (args);
    g_assert_cmpint (m.status, ==, 1);
    g_assert_nonnull (strstr (m.out, "incomplete"));
    g_free (m.out);
    g_assert_false (g_file_test (result, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/prep/orientations", test_orientations);
  g_test_add_func ("/prep/pass-through", test_pass_through);
  g_test_add_func ("/prep/fits-limit", test_fits_limit);
  g_test_add_func ("/prep/alpha-flattened", test_alpha_flattened);
  g_test_add_func ("/prep/formats", test_formats);
  g_test_add_func ("/prep/refusals", test_refusals);
  g_test_add_func ("/prep/files", test_files);
  g_test_add_func ("/prep/async-parallel", test_async_parallel);
  g_test_add_func ("/prep/cli", test_cli);
  g_test_add_func ("/prep/scaler", test_scaler);
  g_test_add_func ("/prep/decoders", test_decoders);
  g_test_add_func ("/prep/bombs", test_bombs);
  g_test_add_func ("/prep/never-larger", test_never_larger);
  g_test_add_func ("/prep/truncated", test_truncated);
  g_test_add_func ("/prep/no-trailing-bytes", test_no_trailing_bytes);
  g_test_add_func ("/prep/cli-bombs", test_cli_bombs);
  return g_test_run ();
}
