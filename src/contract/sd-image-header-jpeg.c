/* sd-image-header-jpeg.c — the JPEG header walker: its segments, the
 * frame, the scans and the EXIF orientation. The API, the rule and
 * sniffing live in sd-image-header.c.
 *
 * Offsets are gsize and compared as "n > len - i" (never "i + n > len"),
 * so that no sum can wrap. Every loop advances by at least one byte or
 * counts against a cap (sd-image-header-private.h). */
#include "sd-image-header-private.h"

#include <string.h>

/* ---- JPEG -------------------------------------------------------------- */

static gboolean
is_sof (guint8 m)
{
  /* SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static gboolean
is_standalone (guint8 m)
{
  return m == 0x01 || (m >= 0xD0 && m <= 0xD7);
}

/* The segment at i (fill bytes skipped, i moved to its marker): its
 * code, and the length after the marker (0 for SOI, EOI, RSTn, TEM). */
static Status
jpeg_segment (const guint8 *d, gsize len, gsize *i, guint8 *marker, gsize *length)
{
  if (!have (len, *i, 2))
    return SHORT;
  if (d[*i] != 0xFF)
    return BAD;
  while (d[*i + 1] == 0xFF)
    {
      (*i)++;
      if (!have (len, *i, 2))
        return SHORT;
    }
  *marker = d[*i + 1];
  *length = 0;
  if (is_standalone (*marker) || *marker == 0xD8 || *marker == 0xD9)
    return OK;
  if (!have (len, *i, 4))
    return SHORT;
  *length = be16 (d + *i + 2);
  return *length < 2 ? BAD : OK;
}

/* A progressive JPEG is decoded scan by scan into every DCT coefficient
 * of every component (2 bytes each), whatever the output size: from the
 * frame header at i, what that buffer takes. */
static Status
jpeg_coefficients (const guint8 *d, gsize len, gsize i, SdImageHeader *h)
{
  guint n, hmax = 1, vmax = 1;
  guint64 bytes = 0;

  if (!have (len, i, 10))
    return SHORT;
  n = d[i + 9];
  if (n == 0 || n > 4)
    return BAD;
  if (!have (len, i + 10, 3 * n))
    return SHORT;
  for (guint c = 0; c < n; c++)
    {
      guint hs = d[i + 11 + 3 * c] >> 4, vs = d[i + 11 + 3 * c] & 15;

      if (hs < 1 || hs > 4 || vs < 1 || vs > 4)
        return BAD;
      hmax = MAX (hmax, hs);
      vmax = MAX (vmax, vs);
    }
  for (guint c = 0; c < n; c++)
    {
      guint hs = d[i + 11 + 3 * c] >> 4, vs = d[i + 11 + 3 * c] & 15;
      /* Blocks across and down, as libjpeg pads them to whole MCUs. */
      guint64 across = ((guint64) h->width * hs + 8 * hmax - 1) / (8 * hmax);
      guint64 down = ((guint64) h->height * vs + 8 * vmax - 1) / (8 * vmax);

      across = (across + hs - 1) / hs * hs;
      down = (down + vs - 1) / vs * vs;
      bytes += across * down * 64 * 2;
    }
  h->held_bytes = bytes;
  return OK;
}

/* The frame header (SOF) at i: the size, and what a progressive decode
 * holds. */
static Status
jpeg_frame (const guint8 *d, gsize len, gsize i, gsize length, guint8 m, SdImageHeader *h)
{
  if (length < 8)
    return BAD;
  if (!have (len, i + 4, 6))
    return SHORT;
  h->height = be16 (d + i + 5);
  h->width = be16 (d + i + 7);
  h->progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE;
  /* A height of 0 is defined later by a DNL marker, which no decoder we
   * use supports: not a picture we can read. */
  if (h->width == 0 || h->height == 0)
    return BAD;
  return h->progressive ? jpeg_coefficients (d, len, i, h) : OK;
}

/* APP0 as every JFIF writer puts it: the version, density, no thumbnail. */
static gboolean
plain_jfif (const guint8 *d, gsize len, gsize i, gsize length)
{
  return length == 16 && have (len, i, 18) && memcmp (d + i + 4, "JFIF\0", 5) == 0 &&
         d[i + 16] == 0 && d[i + 17] == 0;
}

/* EXIF orientation (1–8) from an APP1 segment's contents, or 0. */
static guint
exif_orientation (const guint8 *d, gsize n)
{
  gboolean le;
  gsize ifd;
  guint count;

  if (n < 6 + 8 || memcmp (d, "Exif\0\0", 6) != 0)
    return 0;
  d += 6, n -= 6;
  if (memcmp (d, "II*\0", 4) != 0 && memcmp (d, "MM\0*", 4) != 0)
    return 0;
  le = d[0] == 'I';
  ifd = le ? le32 (d + 4) : be32 (d + 4);
  if (ifd < 8 || !have (n, ifd, 2))
    return 0;
  count = le ? le16 (d + ifd) : be16 (d + ifd);
  for (guint k = 0; k < count && k < MAX_TIFF_ENTRIES; k++)
    {
      gsize e = ifd + 2 + (gsize) k * 12;
      guint tag, type, value;

      if (!have (n, e, 12))
        return 0;
      tag = le ? le16 (d + e) : be16 (d + e);
      type = le ? le16 (d + e + 2) : be16 (d + e + 2);
      value = le ? le16 (d + e + 8) : be16 (d + e + 8);
      if (tag == 0x0112)
        return type == 3 && value >= 1 && value <= 8 ? value : 0;
    }
  return 0;
}

/* To the frame header when all is FALSE; else to EOI, noting whatever
 * drawing does not need. */
Status
jpeg_walk (const guint8 *d, gsize len, SdImageHeader *h, gboolean all)
{
  gsize i = 2, frame_at = 0;
  gboolean framed = FALSE;
  guint scans = 0;

  for (guint n = 0; n < MAX_JPEG_SEGMENTS; n++)
    {
      guint8 m;
      gsize length;
      Status s = jpeg_segment (d, len, &i, &m, &length);

      if (s != OK)
        return s;
      if (m == 0xD9 && scans > 0)
        {
          h->end = i + 2;
          return OK;
        }
      /* A second start, an end before any scan, a scan before the frame. */
      if (m == 0xD8 || m == 0xD9 || (m == 0xDA && !framed))
        return BAD;
      if (length == 0)
        {
          i += 2;
          continue;
        }
      if (m == 0xE1 && !framed && h->orientation == 0 && have (len, i + 4, length - 2))
        h->orientation = exif_orientation (d + i + 4, length - 2);
      if (is_sof (m))
        {
          if (framed)
            return BAD;   /* hierarchical: not for us */
          if ((s = jpeg_frame (d, len, i, length, m, h)) != OK)
            return s;
          framed = TRUE;
          frame_at = i;
          if (!all)
            return OK;
        }
      if (!have (len, i + 2, length))
        return SHORT;
      /* What drawing needs: tables, frame, restart interval, scans. */
      if (!(m == 0xDB || m == 0xC4 || m == 0xCC || m == 0xDD || m == 0xDA || is_sof (m) ||
            (m == 0xE0 && plain_jfif (d, len, i, length))))
        h->extra = TRUE;   /* APPn, COM, anything else */
      if (m == 0xDA)
        {
          if (length < 3 || ++scans > MAX_JPEG_SCANS)
            return BAD;
          /* A sequential JPEG whose first scan leaves components for later
           * ones is buffered whole, coefficient by coefficient, as a
           * progressive one is. */
          if (scans == 1 && !h->progressive && d[i + 4] < d[frame_at + 9] &&
              (s = jpeg_coefficients (d, len, frame_at, h)) != OK)
            return s;
        }
      i += 2 + length;
      if (m != 0xDA)
        continue;
      /* Entropy-coded data runs to the next marker that is not a
       * stuffed zero, a restart or a fill byte. */
      for (;;)
        {
          const guint8 *p = i < len ? memchr (d + i, 0xFF, len - i) : NULL;
          gsize k;

          if (p == NULL)
            return SHORT;
          k = (gsize) (p - d);
          if (!have (len, k, 2))
            return SHORT;
          if (d[k + 1] == 0x00 || (d[k + 1] >= 0xD0 && d[k + 1] <= 0xD7))
            i = k + 2;
          else if (d[k + 1] == 0xFF)
            i = k + 1;
          else
            {
              i = k;
              break;
            }
        }
    }
  return BAD;
}
