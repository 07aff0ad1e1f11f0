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
#include "sd-test-prep.h"

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
  return g_test_run ();
}
