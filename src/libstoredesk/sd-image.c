/* sd-image.c — the one way the client decodes a picture: its header
 * checked by the contract's rule before any decoder runs, decoded at the
 * size it is needed (never larger than asked), turned upright. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <webp/decode.h>

#include "sd-api.h"
#include "sd-image-prep.h"
#include "sd-image-private.h"

void
sd_image_fit (guint w, guint h, guint max_side, int *out_w, int *out_h)
{
  double scale = MIN (1.0, MIN ((double) max_side / w, (double) max_side / h));

  *out_w = CLAMP ((int) (w * scale + 0.5), 1, (int) MIN (w, (guint) G_MAXINT));
  *out_h = CLAMP ((int) (h * scale + 0.5), 1, (int) MIN (h, (guint) G_MAXINT));
}

GError *
sd_image_damaged (void)
{
  return g_error_new_literal (SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE,
                              _("This picture is damaged and cannot be opened. "
                                "Copy it again from the camera or phone."));
}

static GError *
cut_short (void)
{
  return g_error_new_literal (SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TRUNCATED,
                              _("This picture is incomplete: the file ends too early. "
                                "Copy it again from the camera or phone."));
}

/* ---- WebP: libwebp scales while it decodes ---------------------------------
 * gdk-pixbuf's WebP loader ignores the size it is asked for and decodes
 * the whole canvas; libwebp itself decodes a lossy picture row by row
 * into its scaler, so memory follows the output. (A lossless one is
 * decoded whole by libwebp whatever we ask: the header rule bounds it.) */

static GdkPixbuf *
load_webp (const guint8 *data, gsize len, guint max_side, GError **error)
{
  WebPDecoderConfig config;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  VP8StatusCode status;
  int w, h;

  if (!WebPInitDecoderConfig (&config))
    {
      g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  status = WebPGetFeatures (data, len, &config.input);
  if (status == VP8_STATUS_OK && config.input.has_animation)
    return NULL;   /* the caller's loader takes animations */
  if (status != VP8_STATUS_OK)
    {
      g_debug ("webp features: %d", status);
      g_propagate_error (error, status == VP8_STATUS_NOT_ENOUGH_DATA ? cut_short () : sd_image_damaged ());
      return NULL;
    }
  sd_image_fit (config.input.width, config.input.height, max_side, &w, &h);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, config.input.has_alpha, 8, w, h);
  if (pixbuf == NULL)
    {
      g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  if (w != config.input.width || h != config.input.height)
    {
      config.options.use_scaling = 1;
      config.options.scaled_width = w;
      config.options.scaled_height = h;
    }
  config.output.colorspace = config.input.has_alpha ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = gdk_pixbuf_get_pixels (pixbuf);
  config.output.u.RGBA.stride = gdk_pixbuf_get_rowstride (pixbuf);
  config.output.u.RGBA.size = gdk_pixbuf_get_byte_length (pixbuf);
  status = WebPDecode (data, len, &config);
  WebPFreeDecBuffer (&config.output);
  if (status != VP8_STATUS_OK)
    {
      g_debug ("webp decode: %d", status);
      g_propagate_error (error, status == VP8_STATUS_NOT_ENOUGH_DATA ? cut_short () : sd_image_damaged ());
      return NULL;
    }
  return g_steal_pointer (&pixbuf);
}

/* ---- the other formats: gdk-pixbuf's loaders ------------------------------ */

typedef struct {
  guint    max_side;
  guint64  max_pixels;
  int      width, height;   /* as the loader sees it */
  gboolean too_big;
} Prepare;

static void
size_prepared_cb (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  Prepare *p = user_data;
  int w, h;

  p->width = width;
  p->height = height;
  /* The header was checked; a loader that sees another size is not
   * trusted with it. (A zero size stops the JPEG loader; the flag stops
   * the others when they return.) */
  if (width <= 0 || height <= 0 || (guint64) width * (guint64) height > p->max_pixels)
    {
      p->too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  sd_image_fit (width, height, p->max_side, &w, &h);
  if (w != width || h != height)
    gdk_pixbuf_loader_set_size (loader, w, h);
}

static GdkPixbuf *
load_with_loader (const guint8 *data, gsize len, const SdImageHeader *header, guint max_side,
                  guint64 max_pixels, GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) cause = NULL;
  Prepare p = { max_side, max_pixels, 0, 0, FALSE };
  GdkPixbuf *decoded;
  gboolean ok;

  loader = gdk_pixbuf_loader_new_with_mime_type (header->mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();   /* HEIC's loader may call itself image/heif */
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &p);
  ok = gdk_pixbuf_loader_write (loader, data, len, &cause) && !p.too_big;
  /* Closed either way; a loader that kept decoding after it was told to
   * stop (WebP's does) is refused all the same. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &cause : NULL) && ok && !p.too_big;
  if (p.too_big)
    {
      SdImageHeader seen = *header;

      seen.width = (guint32) MAX (p.width, 0);
      seen.height = (guint32) MAX (p.height, 0);
      if (sd_image_header_fits (&seen, max_pixels, error))
        g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  if (!ok || (decoded = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_debug ("decoding failed: %s", cause ? cause->message : "no picture");
      if (gdk_pixbuf_loader_get_format (loader) == NULL && cause &&
          g_error_matches (cause, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        g_set_error_literal (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE,
                             _("This file is not a picture Storedesk can read. "
                               "Use a JPEG, PNG, WebP, GIF, TIFF or HEIC photo."));
      else
        g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  return g_object_ref (decoded);
}

/* ---- the whole ------------------------------------------------------------ */

GdkPixbuf *
sd_image_load (const guint8 *data, gsize len, guint max_side, guint64 max_pixels, SdImageHeader *header,
               GError **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  GError *local = NULL;

  g_return_val_if_fail (max_side > 0, NULL);
  /* The contract's rule, before any decoder sees a byte. */
  if (!sd_image_header_check (data, len, max_pixels, header, error))
    return NULL;
  /* Row by row, at the size asked for, where we can; gdk-pixbuf's
   * loaders for the rest (and for what these leave to them). */
  if (header->format == SD_IMAGE_FORMAT_WEBP)
    decoded = load_webp (data, len, max_side, &local);
  else if (header->format == SD_IMAGE_FORMAT_JPEG)
    decoded = sd_image_decode_jpeg_from (data, len, NULL, header, max_side, &local);
  else if (header->format == SD_IMAGE_FORMAT_PNG)
    decoded = sd_image_decode_png (data, len, max_side, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (decoded == NULL && (decoded = load_with_loader (data, len, header, max_side, max_pixels, error)) == NULL)
    return NULL;
  return sd_image_finish (g_steal_pointer (&decoded), max_side);
}

GdkPixbuf *
sd_image_finish (GdkPixbuf *decoded, guint max_side)
{
  g_autoptr(GdkPixbuf) upright = NULL;
  int w, h;

  /* Whatever a loader did with the size it was asked for, no picture
   * leaves here larger than max_side. */
  sd_image_fit (gdk_pixbuf_get_width (decoded), gdk_pixbuf_get_height (decoded), max_side, &w, &h);
  if (w != gdk_pixbuf_get_width (decoded) || h != gdk_pixbuf_get_height (decoded))
    {
      GdkPixbuf *smaller = gdk_pixbuf_scale_simple (decoded, w, h, GDK_INTERP_BILINEAR);

      g_debug ("a loader ignored the size it was asked for: %dx%d, scaled to %dx%d",
               gdk_pixbuf_get_width (decoded), gdk_pixbuf_get_height (decoded), w, h);
      g_object_unref (decoded);
      decoded = smaller;
    }
  upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  g_object_unref (decoded);
  return g_steal_pointer (&upright);
}

/* ---- in a worker thread: pictures from a shop ----------------------------- */

static void
decode_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "sd-size"));
  g_autoptr(GError) error = NULL;
  SdImageHeader header;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GdkPixbuf *decoded = sd_image_load (data, len, (guint) MAX (size, 1), SD_IMAGE_MAX_PIXELS, &header, &error);

  if (decoded == NULL)
    {
      g_debug ("decoding failed: %s", error->message);
      if (g_error_matches (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS))
        g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_TOO_LARGE,
                                 _("This picture is too large to open."));
      else
        g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                                 _("This file is not a picture Storedesk can open."));
      return;
    }
  g_task_return_pointer (task, decoded, g_object_unref);
}

void
sd_image_decode_async (GBytes *bytes, int size, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_image_decode_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data (G_OBJECT (task), "sd-size", GINT_TO_POINTER (size));
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
}

GdkPixbuf *
sd_image_decode_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- in a worker thread: pictures on this computer -------------------------- */

void
sd_image_error_to_prep (GError *error)
{
  if (error->domain != SD_IMAGE_HEADER_ERROR)
    return;
  error->domain = SD_IMAGE_PREP_ERROR;
  switch (error->code)
    {
    case SD_IMAGE_HEADER_ERROR_TRUNCATED:       error->code = SD_IMAGE_PREP_ERROR_TRUNCATED; break;
    case SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS: error->code = SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS; break;
    case SD_IMAGE_HEADER_ERROR_NOT_IMAGE:
    default:                                    error->code = SD_IMAGE_PREP_ERROR_NOT_IMAGE; break;
    }
}

GBytes *
sd_image_read_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *data = NULL;
  gsize got = 0;
  goffset size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, SD_IMAGE_PREP_ERROR, SD_IMAGE_PREP_ERROR_NOT_IMAGE,
                           _("This file is not a picture Storedesk can read. "
                             "Use a JPEG, PNG, WebP, GIF, TIFF or HEIC photo."));
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
  /* Read, not mapped (a file cut short while mapped would crash us), in
   * one allocation of its size: no doubling buffer left behind. */
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  data = g_malloc (MAX (size, 1));
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, (gsize) size, &got, cancellable, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), got);   /* shorter if it shrank meanwhile */
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "sd-file");
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "sd-size"));
  g_autoptr(GBytes) bytes = task_data ? g_bytes_ref (task_data) : NULL;
  GError *error = NULL;
  SdImageHeader header;
  GdkPixbuf *decoded = NULL;

  if (bytes == NULL)
    bytes = sd_image_read_file (file, cancellable, &error);
  if (bytes)
    decoded = sd_image_load (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), (guint) MAX (size, 1),
                             SD_IMAGE_MAX_PIXELS, &header, &error);
  if (decoded)
    g_task_return_pointer (task, decoded, g_object_unref);
  else
    {
      sd_image_error_to_prep (error);
      g_task_return_error (task, error);
    }
}

void
sd_image_load_async (GFile *file, GBytes *bytes, int size, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail ((file == NULL) != (bytes == NULL));
  g_task_set_source_tag (task, sd_image_load_async);
  if (bytes)
    g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  if (file)
    g_object_set_data_full (G_OBJECT (task), "sd-file", g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (task), "sd-size", GINT_TO_POINTER (size));
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

GdkPixbuf *
sd_image_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
