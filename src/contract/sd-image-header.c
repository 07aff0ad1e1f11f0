/* sd-image-header.c — picture headers read by hand, every byte in bounds.
 *
 * Offsets are gsize and compared as "n > len - i" (never "i + n > len"),
 * so that no sum can wrap. Every loop advances by at least one byte or
 * counts against a cap. */
#include "sd-image-header.h"
#include "sd-image-header-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (sd-image-header-error-quark, sd_image_header_error)

/* ---- errors ------------------------------------------------------------ */

static gboolean
fail (GError **error, Status status)
{
  if (status == SHORT)
    g_set_error_literal (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TRUNCATED,
                         _("This picture is incomplete: the file ends too early. "
                           "Copy it again from the camera or phone."));
  else
    g_set_error_literal (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE,
                         _("This file is not a picture Storedesk can read. "
                           "Use a JPEG, PNG, WebP, GIF, TIFF or HEIC photo."));
  return FALSE;
}

/* ---- sniffing ------------------------------------------------------------ */

/* Whether d starts like magic (all of d, when it is shorter). */
static Status
starts (const guint8 *d, gsize len, gsize at, const char *magic, gsize n)
{
  gsize m = len > at ? MIN (len - at, n) : 0;

  if (len > at && memcmp (d + at, magic, m) != 0)
    return BAD;
  return len >= at + n ? OK : SHORT;
}

static Status
sniff (const guint8 *d, gsize len, SdImageHeader *h)
{
  static const struct {
    SdImageFormat format;
    const char   *mime;
    gsize         at;
    const char   *magic;
    gsize         n;
  } signatures[] = {
    { SD_IMAGE_FORMAT_JPEG, "image/jpeg", 0, "\xff\xd8\xff", 3 },
    { SD_IMAGE_FORMAT_PNG, "image/png", 0, (const char *) png_signature, 8 },
    { SD_IMAGE_FORMAT_GIF, "image/gif", 0, "GIF87a", 6 },
    { SD_IMAGE_FORMAT_GIF, "image/gif", 0, "GIF89a", 6 },
    { SD_IMAGE_FORMAT_TIFF, "image/tiff", 0, "II*\0", 4 },
    { SD_IMAGE_FORMAT_TIFF, "image/tiff", 0, "MM\0*", 4 },
    { SD_IMAGE_FORMAT_TIFF, "image/tiff", 0, "II+\0", 4 },
    { SD_IMAGE_FORMAT_TIFF, "image/tiff", 0, "MM\0+", 4 },
    { SD_IMAGE_FORMAT_HEIF, NULL, 4, "ftyp", 4 },
  };
  gboolean short_match = FALSE;

  if (len == 0)
    return BAD;
  /* RIFF, 4 bytes of length, WEBP. */
  if (starts (d, len, 0, "RIFF", 4) != BAD && starts (d, len, 8, "WEBP", 4) != BAD)
    {
      if (len < 12)
        short_match = TRUE;
      else
        {
          h->format = SD_IMAGE_FORMAT_WEBP, h->mime_type = "image/webp";
          return OK;
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (signatures); k++)
    {
      Status s = starts (d, len, signatures[k].at, signatures[k].magic, signatures[k].n);

      /* Too short to say anything about bytes further on. */
      if (s == SHORT && len <= signatures[k].at)
        s = BAD;
      /* "ftyp" says nothing when the size before it is absurd. */
      if (s == OK && signatures[k].at == 4 && be32 (d) != 1 && be32 (d) < 16)
        s = BAD;
      if (s == OK)
        {
          h->format = signatures[k].format;
          h->mime_type = signatures[k].mime;
          return OK;
        }
      short_match |= s == SHORT;
    }
  return short_match ? SHORT : BAD;
}

/* ---- the API ----------------------------------------------------------- */

static Status
read_header (const guint8 *d, gsize len, SdImageHeader *h, gboolean all)
{
  Status s;

  memset (h, 0, sizeof *h);
  h->frames = 1;
  if (d == NULL || (s = sniff (d, len, h)) != OK)
    return d == NULL ? BAD : s;
  switch (h->format)
    {
    case SD_IMAGE_FORMAT_JPEG: return jpeg_walk (d, len, h, FALSE);
    case SD_IMAGE_FORMAT_PNG:  return png_read (d, len, h);
    case SD_IMAGE_FORMAT_WEBP: return webp_read (d, len, h);
    case SD_IMAGE_FORMAT_GIF:  return gif_walk (d, len, h, all);
    case SD_IMAGE_FORMAT_TIFF: return tiff_read (d, len, h, all);
    case SD_IMAGE_FORMAT_HEIF:
    case SD_IMAGE_FORMAT_AVIF: return heif_read (d, len, h, all);
    case SD_IMAGE_FORMAT_UNKNOWN:
    default:                   return BAD;
    }
}

gboolean
sd_image_header_read (const guint8 *data, gsize len, SdImageHeader *out, GError **error)
{
  Status s = read_header (data, len, out, FALSE);

  return s == OK ? TRUE : fail (error, s);
}

gboolean
sd_image_header_fits (const SdImageHeader *h, guint64 max_pixels, GError **error)
{
  guint64 pixels = (guint64) h->width * h->height;

  if (h->width == 0 || h->height == 0)
    return fail (error, BAD);
  if (h->frames > SD_IMAGE_MAX_FRAMES)
    {
      g_set_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS,
                   _("This animation has too many frames to open safely (at most %u)."),
                   (guint) SD_IMAGE_MAX_FRAMES);
      return FALSE;
    }
  if (h->width <= SD_IMAGE_MAX_DIMENSION && h->height <= SD_IMAGE_MAX_DIMENSION && pixels <= max_pixels &&
      h->held_bytes > SD_IMAGE_MAX_HELD_BYTES)
    {
      g_autofree char *need = g_format_size (h->held_bytes);
      g_autofree char *limit = g_format_size (SD_IMAGE_MAX_HELD_BYTES);

      /* Translators: "9000 × 9000", then memory sizes, e.g. "324.0 MB" and "201.3 MB". */
      g_set_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS,
                   _("This picture is too large to open safely (%u × %u pixels: opening a picture "
                     "of this kind takes %s of memory; at most %s is allowed)."),
                   h->width, h->height, need, limit);
      return FALSE;
    }
  if (h->width > SD_IMAGE_MAX_DIMENSION || h->height > SD_IMAGE_MAX_DIMENSION || pixels > max_pixels)
    {
      /* Translators: a picture's size in pixels, e.g. "60000 × 60000". */
      g_set_error (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS,
                   _("This picture is too large to open safely (%u × %u pixels; "
                     "at most %u megapixels and %u pixels on a side)."),
                   h->width, h->height, (guint) MIN (max_pixels / 1000000, G_MAXUINT),
                   (guint) SD_IMAGE_MAX_DIMENSION);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_image_header_check (const guint8 *data, gsize len, guint64 max_pixels, SdImageHeader *out, GError **error)
{
  Status s;

  /* The declared size first: a bomb is called a bomb even when cut short. */
  if ((s = read_header (data, len, out, FALSE)) != OK)
    return fail (error, s);
  if (!sd_image_header_fits (out, max_pixels, error))
    return FALSE;
  switch (out->format)
    {
    case SD_IMAGE_FORMAT_JPEG: s = jpeg_walk (data, len, out, TRUE); break;
    case SD_IMAGE_FORMAT_PNG:  s = png_walk (data, len, out); break;
    case SD_IMAGE_FORMAT_WEBP: s = webp_walk (data, len, out); break;
    default:                   s = read_header (data, len, out, TRUE); break;
    }
  if (s != OK)
    return fail (error, s);
  return sd_image_header_fits (out, max_pixels, error);
}
