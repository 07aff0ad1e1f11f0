/* sd-image-prep.c — decode scaled, orient, flatten, encode to fit. */
#define G_LOG_DOMAIN "storedesk-prep"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-image-prep.h"

G_DEFINE_QUARK (sd-image-prep-error-quark, sd_image_prep_error)

#define READ_CHUNK     (256 * 1024)
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
  options->max_pixels = 100 * 1000 * 1000;
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

/* ---- metadata -------------------------------------------------------
 * A file passes unchanged only when it carries nothing but pixels. */

static gboolean
jpeg_has_metadata (const guint8 *d, gsize n)
{
  gsize i = 2;

  if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return TRUE;
  while (i + 4 <= n)
    {
      guint8 marker;
      gsize length;

      if (d[i] != 0xFF)
        return TRUE;   /* not where a marker should be: do not trust it */
      marker = d[i + 1];
      if (marker == 0xFF)
        {
          i++;   /* fill byte */
          continue;
        }
      if (marker == 0xDA || marker == 0xD9)
        return FALSE;   /* start of scan: no more headers */
      /* APP1…APP15 (EXIF, XMP, ICC, IPTC, maker notes) and comments. */
      if ((marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE)
        return TRUE;
      length = ((gsize) d[i + 2] << 8) | d[i + 3];
      if (length < 2)
        return TRUE;
      i += 2 + length;
    }
  return TRUE;
}

static gboolean
png_has_metadata (const guint8 *d, gsize n)
{
  static const char * const kept[] = { "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
                                        "sRGB", "sBIT", "bKGD", "pHYs", NULL };
  gsize i = 8;

  while (i + 12 <= n)
    {
      guint32 length = ((guint32) d[i] << 24) | ((guint32) d[i + 1] << 16) | ((guint32) d[i + 2] << 8) | d[i + 3];
      char type[5] = { d[i + 4], d[i + 5], d[i + 6], d[i + 7], 0 };
      gboolean known = FALSE;

      for (guint k = 0; kept[k]; k++)
        known |= strcmp (type, kept[k]) == 0;
      if (!known)
        return TRUE;   /* text, eXIf, tIME, iCCP, private chunks… */
      if (strcmp (type, "IEND") == 0)
        return FALSE;
      if (length > n - i - 12)
        return TRUE;
      i += 12 + (gsize) length;
    }
  return TRUE;
}

static gboolean
webp_has_metadata (const guint8 *d, gsize n)
{
  gsize i = 12;

  if (n < 12 || memcmp (d, "RIFF", 4) != 0 || memcmp (d + 8, "WEBP", 4) != 0)
    return TRUE;
  while (i + 8 <= n)
    {
      guint32 length = d[i + 4] | ((guint32) d[i + 5] << 8) | ((guint32) d[i + 6] << 16) | ((guint32) d[i + 7] << 24);

      if (memcmp (d + i, "EXIF", 4) == 0 || memcmp (d + i, "XMP ", 4) == 0 || memcmp (d + i, "ICCP", 4) == 0)
        return TRUE;
      if (length > n - i - 8)
        return TRUE;
      i += 8 + length + (length & 1);
    }
  return FALSE;
}

/* ---- decoding -------------------------------------------------------- */

typedef struct {
  const SdImagePrepOptions *options;
  int      width, height;     /* as the header says */
  gboolean too_many_pixels;
} Header;

static void
size_prepared_cb (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  Header *h = user_data;
  double scale;

  h->width = width;
  h->height = height;
  if (width <= 0 || height <= 0 || (guint64) width * (guint64) height > h->options->max_pixels)
    {
      /* A zero size makes the loader stop before it allocates anything. */
      h->too_many_pixels = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  scale = MIN ((double) h->options->max_side / width, (double) h->options->max_side / height);
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                                MAX (1, (int) (height * scale + 0.5)));
}

static GError *
not_an_image (void)
{
  return g_error_new_literal (SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE,
                              _("This file is not a picture Storedesk can read. "
                                "Use a JPEG, PNG, WebP, GIF, TIFF or HEIC photo."));
}

static GError *
truncated (void)
{
  return g_error_new_literal (SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TRUNCATED,
                              _("This picture is incomplete: the file ends too early. "
                                "Copy it again from the camera or phone."));
}

static GError *
too_many_pixels (const Header *h)
{
  /* Translators: a picture's size in pixels, e.g. "60000 × 60000". */
  return g_error_new (SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS,
                      _("This picture is too large to open safely (%d × %d pixels; "
                        "at most %u megapixels)."),
                      h->width, h->height, (guint) MIN (h->options->max_pixels / 1000000, G_MAXUINT));
}

/* The error for a loader that failed, from what the header told us. */
static GError *
decode_error (const Header *h, GdkPixbufLoader *loader, const GError *cause)
{
  if (h->too_many_pixels)
    return too_many_pixels (h);
  g_debug ("decoding failed: %s", cause ? cause->message : "no picture");
  /* A known format whose header was read, then the data ran out. */
  if (h->width > 0 && gdk_pixbuf_loader_get_format (loader) != NULL)
    return truncated ();
  return not_an_image ();
}

/* The file's last bytes say whether it was cut short: libjpeg only warns
 * and pads a truncated JPEG with grey, and gdk-pixbuf's PNG loader takes
 * a PNG without its end. Trailing bytes after the end are allowed (some
 * cameras append their own). */
static gboolean
complete (const char *format, const guint8 *tail, gsize n)
{
  if (strcmp (format, "jpeg") == 0)
    {
      for (gsize i = n; i >= 2; i--)
        if (tail[i - 2] == 0xFF && tail[i - 1] == 0xD9)
          return TRUE;
      return FALSE;
    }
  if (strcmp (format, "png") == 0)
    return memmem (tail, n, "IEND", 4) != NULL;
  return TRUE;   /* the other loaders refuse a short file themselves */
}

#define TAIL_BYTES 4096

typedef struct {
  GdkPixbufLoader *loader;
  Header           header;
  guint8           tail[TAIL_BYTES];
  gsize            tail_len;
} Decoder;

static void
decoder_feed_tail (Decoder *d, const guint8 *data, gsize n)
{
  if (n >= TAIL_BYTES)
    {
      memcpy (d->tail, data + n - TAIL_BYTES, TAIL_BYTES);
      d->tail_len = TAIL_BYTES;
      return;
    }
  if (d->tail_len + n > TAIL_BYTES)
    {
      gsize drop = d->tail_len + n - TAIL_BYTES;
      memmove (d->tail, d->tail + drop, d->tail_len - drop);
      d->tail_len -= drop;
    }
  memcpy (d->tail + d->tail_len, data, n);
  d->tail_len += n;
}

static gboolean
decoder_write (Decoder *d, const guint8 *data, gsize n, GError **error)
{
  g_autoptr(GError) cause = NULL;

  decoder_feed_tail (d, data, n);
  if (!gdk_pixbuf_loader_write (d->loader, data, n, &cause) || d->header.too_many_pixels)
    {
      g_propagate_error (error, decode_error (&d->header, d->loader, cause));
      return FALSE;
    }
  return TRUE;
}

/* Closes the loader: the decoded picture, upright, or NULL. */
static GdkPixbuf *
decoder_finish (Decoder *d, GError **error)
{
  g_autoptr(GError) cause = NULL;
  g_autofree char *name = NULL;
  GdkPixbufFormat *format;
  GdkPixbuf *decoded;

  if (!gdk_pixbuf_loader_close (d->loader, &cause) || (decoded = gdk_pixbuf_loader_get_pixbuf (d->loader)) == NULL)
    {
      g_propagate_error (error, decode_error (&d->header, d->loader, cause));
      return NULL;
    }
  format = gdk_pixbuf_loader_get_format (d->loader);
  name = format ? gdk_pixbuf_format_get_name (format) : NULL;
  if (name && !complete (name, d->tail, d->tail_len))
    {
      g_propagate_error (error, truncated ());
      return NULL;
    }
  return gdk_pixbuf_apply_embedded_orientation (decoded);
}

static void
decoder_init (Decoder *d, const SdImagePrepOptions *options)
{
  memset (d, 0, sizeof *d);
  d->header.options = options;
  d->loader = gdk_pixbuf_loader_new ();
  g_signal_connect (d->loader, "size-prepared", G_CALLBACK (size_prepared_cb), &d->header);
}

static void
decoder_clear (Decoder *d)
{
  if (d->loader)
    gdk_pixbuf_loader_close (d->loader, NULL);   /* no-op when closed already */
  g_clear_object (&d->loader);
}

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
encode_to_fit (const SdImagePrepOptions *options, GdkPixbuf *upright, const Header *header,
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
passable_type (GdkPixbufFormat *format, const char **extension)
{
  g_autofree char *name = format ? gdk_pixbuf_format_get_name (format) : g_strdup ("");

  if (strcmp (name, "jpeg") == 0)
    return *extension = "jpg", "image/jpeg";
  if (strcmp (name, "png") == 0)
    return *extension = "png", "image/png";
  if (strcmp (name, "webp") == 0)
    return *extension = "webp", "image/webp";
  return NULL;
}

static gboolean
has_metadata (const char *content_type, GBytes *bytes)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (bytes, &n);

  if (strcmp (content_type, "image/jpeg") == 0)
    return jpeg_has_metadata (d, n);
  if (strcmp (content_type, "image/png") == 0)
    return png_has_metadata (d, n);
  return webp_has_metadata (d, n);
}

SdPrepared *
sd_image_prep_bytes (const SdImagePrepOptions *options, GBytes *bytes, GCancellable *cancellable, GError **error)
{
  Decoder d;
  g_autoptr(GdkPixbuf) upright = NULL;
  const char *type, *extension = NULL;
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);
  SdPrepared *p;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  decoder_init (&d, options);
  if (n == 0 || !decoder_write (&d, data, n, error) || (upright = decoder_finish (&d, error)) == NULL)
    {
      if (n == 0)
        g_propagate_error (error, not_an_image ());
      decoder_clear (&d);
      return NULL;
    }
  type = passable_type (gdk_pixbuf_loader_get_format (d.loader), &extension);
  /* Already small and upright with nothing but pixels: sent as it is. The
   * decode above still proved it whole. */
  if (type && !gdk_pixbuf_get_has_alpha (upright) && n <= options->max_bytes && (guint) MAX (d.header.width, d.header.height) <= options->max_side &&
      gdk_pixbuf_get_width (upright) == d.header.width && !has_metadata (type, bytes))
    {
      p = g_object_new (SD_TYPE_PREPARED, NULL);
      p->bytes = g_bytes_ref (bytes);
      p->content_type = type;
      p->extension = extension;
      p->width = p->original_width = d.header.width;
      p->height = p->original_height = d.header.height;
      p->original_size = n;
      decoder_clear (&d);
      return p;
    }
  p = encode_to_fit (options, upright, &d.header, n, cancellable, error);
  decoder_clear (&d);
  return p;
}

SdPrepared *
sd_image_prep_file (const SdImagePrepOptions *options, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *chunk = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  Decoder d;
  goffset size;
  SdPrepared *p;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_propagate_error (error, not_an_image ());
      return NULL;
    }
  size = g_file_info_get_size (info);
  if (size > SD_IMAGE_PREP_MAX_FILE_BYTES)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *limit = g_format_size (SD_IMAGE_PREP_MAX_FILE_BYTES);

      /* Translators: both are file sizes, e.g. "2.1 GB" and "268.4 MB". */
      g_set_error (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_FILE_TOO_LARGE,
                   _("This file is too large to be a photo (%s; at most %s)."), have, limit);
      return NULL;
    }
  /* Small enough to be kept as it is: read whole. */
  if (size <= (goffset) options->max_bytes)
    {
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, cancellable, NULL, error);
      return bytes ? sd_image_prep_bytes (options, bytes, cancellable, error) : NULL;
    }
  /* Larger: streamed into the loader, which learns the size from the
   * header and decodes only at the scale it needs. */
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  chunk = g_malloc (READ_CHUNK);
  decoder_init (&d, options);
  for (;;)
    {
      gssize got = g_input_stream_read (G_INPUT_STREAM (stream), chunk, READ_CHUNK, cancellable, error);

      if (got < 0 || (got > 0 && !decoder_write (&d, chunk, (gsize) got, error)))
        {
          decoder_clear (&d);
          return NULL;
        }
      if (got == 0)
        break;
    }
  upright = decoder_finish (&d, error);
  if (upright == NULL)
    {
      decoder_clear (&d);
      return NULL;
    }
  p = encode_to_fit (options, upright, &d.header, size, cancellable, error);
  decoder_clear (&d);
  return p;
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
