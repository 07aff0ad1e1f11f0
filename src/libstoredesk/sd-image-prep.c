/* sd-image-prep.c — decode scaled, orient, flatten, encode to fit. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sd-image-header.h"
#include "sd-image-prep.h"
#include "sd-image-private.h"

G_DEFINE_QUARK (sd-image-prep-error-quark, sd_image_prep_error)

#define QUALITY_STEP   10
#define QUALITY_FLOOR  45
#define SHRINK         0.7
#define SMALLEST_SIDE  64

void
sd_image_prep_options_init (SdImagePrepOptions *options)
{
  options->max_side = 1920;
  options->max_bytes = 1000 * 1000;
  options->quality = 85;
  options->max_pixels = SD_IMAGE_MAX_PIXELS;
}

/* ---- SdPrepared ------------------------------------------------------ */

struct _SdPrepared
{
  GObject     parent_instance;
  GBytes     *bytes;
  const char *content_type;   /* static */
  const char *extension;      /* static */
  guint       width, height;
  guint       original_width, original_height;
  goffset     original_size;
  int         quality;
};

G_DEFINE_FINAL_TYPE (SdPrepared, sd_prepared, G_TYPE_OBJECT)

static void
sd_prepared_finalize (GObject *object)
{
  g_clear_pointer (&SD_PREPARED (object)->bytes, g_bytes_unref);
  G_OBJECT_CLASS (sd_prepared_parent_class)->finalize (object);
}

static void
sd_prepared_class_init (SdPreparedClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_prepared_finalize;
}

static void
sd_prepared_init (SdPrepared *self)
{
}

GBytes *sd_prepared_get_bytes (SdPrepared *self) { return self->bytes; }
const char *sd_prepared_get_content_type (SdPrepared *self) { return self->content_type; }
const char *sd_prepared_get_extension (SdPrepared *self) { return self->extension; }
guint sd_prepared_get_width (SdPrepared *self) { return self->width; }
guint sd_prepared_get_height (SdPrepared *self) { return self->height; }
guint sd_prepared_get_original_width (SdPrepared *self) { return self->original_width; }
guint sd_prepared_get_original_height (SdPrepared *self) { return self->original_height; }
goffset sd_prepared_get_original_size (SdPrepared *self) { return self->original_size; }
gboolean sd_prepared_get_reencoded (SdPrepared *self) { return self->quality > 0; }
int sd_prepared_get_quality (SdPrepared *self) { return self->quality; }

/* ---- encoding -------------------------------------------------------- */

/* Transparency laid on white, as a shop page shows it. */
static GdkPixbuf *
flatten (GdkPixbuf *src)
{
  int w = gdk_pixbuf_get_width (src), h = gdk_pixbuf_get_height (src);
  int sstride = gdk_pixbuf_get_rowstride (src);
  const guint8 *s = gdk_pixbuf_read_pixels (src);
  GdkPixbuf *dst;
  guint8 *d;
  int dstride;

  if (!gdk_pixbuf_get_has_alpha (src))
    return g_object_ref (src);
  dst = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  d = gdk_pixbuf_get_pixels (dst);
  dstride = gdk_pixbuf_get_rowstride (dst);
  for (int y = 0; y < h; y++)
    {
      const guint8 *sp = s + (gsize) y * sstride;
      guint8 *dp = d + (gsize) y * dstride;

      for (int x = 0; x < w; x++, sp += 4, dp += 3)
        {
          guint a = sp[3];
          for (int c = 0; c < 3; c++)
            dp[c] = (guint8) ((sp[c] * a + 255 * (255 - a) + 127) / 255);
        }
    }
  return dst;
}

static GBytes *
encode_jpeg (GdkPixbuf *pixbuf, int quality, GError **error)
{
  g_autofree char *q = g_strdup_printf ("%d", quality);
  gchar *buffer = NULL;
  gsize size = 0;

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", error, "quality", q, NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}

/* ---- the whole --------------------------------------------------------- */

static SdPrepared *
encode_to_fit (const SdImagePrepOptions *options, GdkPixbuf *upright, const SdImageHeader *header,
               goffset original_size, GCancellable *cancellable, GError **error)
{
  g_autoptr(GdkPixbuf) current = flatten (upright);
  int first = CLAMP (options->quality, 1, 100);

  for (;;)
    {
      for (int q = first; q >= MIN (first, QUALITY_FLOOR); q -= QUALITY_STEP)
        {
          g_autoptr(GBytes) out = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if ((out = encode_jpeg (current, q, error)) == NULL)
            return NULL;
          if (g_bytes_get_size (out) <= options->max_bytes)
            {
              SdPrepared *p = g_object_new (SD_TYPE_PREPARED, NULL);

              p->bytes = g_steal_pointer (&out);
              p->content_type = "image/jpeg";
              p->extension = "jpg";
              p->width = gdk_pixbuf_get_width (current);
              p->height = gdk_pixbuf_get_height (current);
              p->original_width = header->width;
              p->original_height = header->height;
              p->original_size = original_size;
              p->quality = q;
              return p;
            }
        }
      /* Still too large at the lowest quality: 70 % of the size, again. */
      {
        int w = (int) (gdk_pixbuf_get_width (current) * SHRINK);
        int h = (int) (gdk_pixbuf_get_height (current) * SHRINK);
        GdkPixbuf *smaller;

        if (MAX (w, h) < SMALLEST_SIDE)
          {
            g_autofree char *limit = g_format_size (options->max_bytes);

            g_set_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_CANNOT_FIT,
                         _("This picture cannot be made small enough (%s at most)."), limit);
            return NULL;
          }
        smaller = gdk_pixbuf_scale_simple (current, MAX (w, 1), MAX (h, 1), GDK_INTERP_BILINEAR);
        g_object_unref (current);
        current = smaller;
      }
    }
}

/* The types the shop takes as they are. */
static const char *
passable_type (const SdImageHeader *h, const char **extension)
{
  switch (h->format)
    {
    case SD_IMAGE_FORMAT_JPEG: return *extension = "jpg", "image/jpeg";
    case SD_IMAGE_FORMAT_PNG:  return *extension = "png", "image/png";
    case SD_IMAGE_FORMAT_WEBP: return *extension = "webp", "image/webp";
    default:                   return NULL;
    }
}

/* The last word before a result leaves: whatever path made it, it is a
 * whole picture of a known type, no larger than max_side, with nothing
 * but pixels and nothing after its end. */
static gboolean
guard (const SdImagePrepOptions *options, SdPrepared *p, GError **error)
{
  SdImageHeader h;
  gsize n;
  const guint8 *d = g_bytes_get_data (p->bytes, &n);
  g_autoptr(GError) cause = NULL;

  if (!sd_image_header_check (d, n, options->max_pixels, &h, &cause) || h.end != n || h.extra ||
      MAX (h.width, h.height) > options->max_side || h.width != p->width || h.height != p->height ||
      strcmp (h.mime_type, p->content_type) != 0)
    {
      g_critical ("prepared picture failed its own check (%ux%u, %s): %s", h.width, h.height,
                  p->content_type, cause ? cause->message : "size, type or extra bytes");
      g_set_error_literal (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE,
                           _("This picture could not be prepared safely. Save it as a JPEG and try again."));
      return FALSE;
    }
  return TRUE;
}

SdPrepared *
sd_image_prep_bytes (const SdImagePrepOptions *options, GBytes *bytes, GCancellable *cancellable, GError **error)
{
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(SdPrepared) p = NULL;
  GError *cause = NULL;
  SdImageHeader h;
  const char *type, *extension = NULL;
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  /* The header's rule, then a decode at the size the result needs. */
  upright = sd_image_load (data, n, options->max_side, options->max_pixels, &h, &cause);
  if (upright == NULL)
    {
      sd_image_error_to_prep (cause);
      g_propagate_error (error, cause);
      return NULL;
    }
  type = passable_type (&h, &extension);
  /* Already small and upright with nothing but pixels: sent as it is, up
   * to its end and not a byte further (text after a JPEG's EOI, a PNG's
   * IEND or a WebP's RIFF length is left behind). The decode above proved
   * it whole; the header walk proved every segment or chunk before its
   * end is one that drawing needs. */
  if (type && !h.extra && !h.alpha && h.frames == 1 && !gdk_pixbuf_get_has_alpha (upright) &&
      h.end <= options->max_bytes && MAX (h.width, h.height) <= options->max_side &&
      (guint) gdk_pixbuf_get_width (upright) == h.width && (guint) gdk_pixbuf_get_height (upright) == h.height)
    {
      p = g_object_new (SD_TYPE_PREPARED, NULL);
      p->bytes = h.end == n ? g_bytes_ref (bytes) : g_bytes_new_from_bytes (bytes, 0, h.end);
      p->content_type = type;
      p->extension = extension;
      p->width = p->original_width = h.width;
      p->height = p->original_height = h.height;
      p->original_size = n;
    }
  else if ((p = encode_to_fit (options, upright, &h, n, cancellable, error)) == NULL)
    return NULL;
  return guard (options, p, error) ? g_steal_pointer (&p) : NULL;
}

SdPrepared *
sd_image_prep_file (const SdImagePrepOptions *options, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GBytes) bytes = sd_image_read_file (file, cancellable, error);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(SdPrepared) p = NULL;
  GError *cause = NULL;
  SdImageHeader h;
  gsize n;

  if (bytes == NULL)
    return NULL;
  n = g_bytes_get_size (bytes);
  /* A JPEG too large to be kept as it is is checked whole, let go, and
   * read again 64 kB at a time while it decodes: the file is never held
   * beside a progressive JPEG's coefficients. */
  if (n <= options->max_bytes ||
      !sd_image_header_check (g_bytes_get_data (bytes, NULL), n, options->max_pixels, &h, NULL) ||
      h.format != SD_IMAGE_FORMAT_JPEG)
    return sd_image_prep_bytes (options, bytes, cancellable, error);
  g_clear_pointer (&bytes, g_bytes_unref);
#ifdef __GLIBC__
  malloc_trim (0);   /* and given back, not kept in this thread's arena */
#endif
  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  upright = sd_image_decode_jpeg_from (NULL, 0, G_INPUT_STREAM (stream), &h, options->max_side, &cause);
  if (upright == NULL)
    {
      if (cause == NULL)   /* CMYK: gdk-pixbuf's loader, from the bytes */
        {
          g_clear_object (&stream);
          bytes = sd_image_read_file (file, cancellable, error);
          return bytes ? sd_image_prep_bytes (options, bytes, cancellable, error) : NULL;
        }
      sd_image_error_to_prep (cause);
      g_propagate_error (error, cause);
      return NULL;
    }
  upright = sd_image_finish (g_steal_pointer (&upright), options->max_side);
  if ((p = encode_to_fit (options, upright, &h, n, cancellable, error)) == NULL)
    return NULL;
  return guard (options, p, error) ? g_steal_pointer (&p) : NULL;
}

/* ---- async ------------------------------------------------------------ */

static void
prep_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "sd-file");
  GError *error = NULL;
  SdPrepared *p = sd_image_prep_file (task_data, file, cancellable, &error);

  if (p)
    g_task_return_pointer (task, p, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sd_image_prep_file_async (const SdImagePrepOptions *options, GFile *file, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_image_prep_file_async);
  g_task_set_task_data (task, g_memdup2 (options, sizeof *options), g_free);
  g_object_set_data_full (G_OBJECT (task), "sd-file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, prep_thread);
}

SdPrepared *
sd_image_prep_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
