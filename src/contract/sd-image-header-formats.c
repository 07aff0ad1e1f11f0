/* sd-image-header-formats.c — one header walker per picture format:
 * JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF. The API, the rule and sniffing
 * live in sd-image-header.c.
 *
 * Offsets are gsize and compared as "n > len - i" (never "i + n > len"),
 * so that no sum can wrap. Every loop advances by at least one byte or
 * counts against a cap. */
#include "sd-image-header-private.h"

#include <string.h>

/* Walks stop here: far beyond any real file, far below a slow loop. */
#define MAX_JPEG_SEGMENTS  100000
#define MAX_JPEG_SCANS     1000     /* a progressive JPEG has about 10; each costs a pass */
#define MAX_TIFF_ENTRIES   4096
#define MAX_BOXES          4096   /* HEIF boxes in one container */
#define MAX_CHUNKS         1000000

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

/* ---- PNG --------------------------------------------------------------- */

const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

Status
png_read (const guint8 *d, gsize len, SdImageHeader *h)
{
  guint8 color;

  if (!have (len, 8, 8 + 13))
    return SHORT;
  if (be32 (d + 8) != 13 || memcmp (d + 12, "IHDR", 4) != 0)
    return BAD;
  h->width = be32 (d + 16);
  h->height = be32 (d + 20);
  color = d[25];
  h->alpha = color == 4 || color == 6;
  h->interlaced = d[28] != 0;
  /* PNG allows at most 2^31 - 1 on a side. */
  if (h->width == 0 || h->height == 0 || h->width > G_MAXINT32 || h->height > G_MAXINT32)
    return BAD;
  /* Rows one by one, unless interlaced: then every pass into one RGBA frame. */
  h->held_bytes = h->interlaced ? (guint64) h->width * h->height * 4 : 0;
  return OK;
}

Status
png_walk (const guint8 *d, gsize len, SdImageHeader *h)
{
  /* What drawing needs, with the lengths it may have (0: any). */
  static const struct { char type[5]; guint32 min, max; } kept[] = {
    { "IHDR", 13, 13 }, { "PLTE", 3, 768 }, { "IDAT", 0, G_MAXINT32 }, { "IEND", 0, 0 },
    { "tRNS", 1, 256 }, { "gAMA", 4, 4 }, { "cHRM", 32, 32 }, { "sRGB", 1, 1 },
    { "sBIT", 1, 4 }, { "bKGD", 1, 6 }, { "pHYs", 9, 9 },
  };
  gsize i = 8;

  for (guint n = 0; n < MAX_CHUNKS; n++)
    {
      guint32 length;
      gboolean known = FALSE;

      if (!have (len, i, 12))
        return SHORT;
      length = be32 (d + i);
      if (length > G_MAXINT32)
        return BAD;
      if (!have (len, i + 12, length))
        return SHORT;
      for (guint k = 0; k < G_N_ELEMENTS (kept); k++)
        known |= memcmp (d + i + 4, kept[k].type, 4) == 0 && length >= kept[k].min && length <= kept[k].max;
      if (!known)
        h->extra = TRUE;   /* text, eXIf, iCCP, tIME, APNG frames, private chunks, odd lengths */
      if (memcmp (d + i + 4, "tRNS", 4) == 0)
        h->alpha = TRUE;
      if (memcmp (d + i + 4, "IEND", 4) == 0)
        {
          h->end = i + 12 + (gsize) length;
          return OK;
        }
      i += 12 + (gsize) length;
    }
  return BAD;
}

/* ---- WebP -------------------------------------------------------------- */

/* What libwebp holds whatever the output size: lossy pictures are
 * decoded row by row into the scaler, but a lossless one (VP8L) into a
 * whole ARGB canvas, an alpha plane into a whole byte plane, and an
 * animation into two canvases. From the chunks at hand (all of them in a
 * whole file); unknown counts as lossless. */
static void
webp_held (const guint8 *d, gsize len, SdImageHeader *h)
{
  gsize riff = le32 (d + 4), end = have (len, 8, riff) ? 8 + riff : len, i = 12;
  guint64 pixels = (guint64) h->width * h->height;
  guint per_pixel = 4;

  for (guint n = 0; n < 64 && have (end, i, 8); n++)
    {
      const guint8 *c = d + i;
      gsize length = le32 (c + 4);

      if (memcmp (c, "ANIM", 4) == 0 || memcmp (c, "ANMF", 4) == 0)
        {
          per_pixel = 8;
          break;
        }
      if (memcmp (c, "VP8L", 4) == 0)
        break;
      if (memcmp (c, "VP8 ", 4) == 0)
        {
          per_pixel = h->alpha ? 1 : 0;
          break;
        }
      if (length > end - i - 8)
        break;
      i += 8 + length + (length & 1);
    }
  h->held_bytes = pixels * per_pixel;
}

static Status
webp_size (const guint8 *d, gsize len, SdImageHeader *h)
{
  const guint8 *c = d + 12;

  if (!have (len, 12, 8))
    return SHORT;
  if (memcmp (c, "VP8X", 4) == 0)
    {
      if (!have (len, 20, 10))
        return SHORT;
      h->alpha = (c[8] & 0x10) != 0;
      h->width = 1 + le24 (c + 12);
      h->height = 1 + le24 (c + 15);
      return OK;
    }
  if (memcmp (c, "VP8L", 4) == 0)
    {
      guint32 bits;

      if (!have (len, 20, 5))
        return SHORT;
      if (c[8] != 0x2f)
        return BAD;
      bits = le32 (c + 9);
      h->width = 1 + (bits & 0x3fff);
      h->height = 1 + ((bits >> 14) & 0x3fff);
      h->alpha = (bits >> 28) & 1;
      return OK;
    }
  if (memcmp (c, "VP8 ", 4) == 0)
    {
      if (!have (len, 20, 10))
        return SHORT;
      /* A key frame (bit 0 clear), its start code, then 14-bit sizes. */
      if ((c[8] & 1) != 0 || c[11] != 0x9d || c[12] != 0x01 || c[13] != 0x2a)
        return BAD;
      h->width = le16 (c + 14) & 0x3fff;
      h->height = le16 (c + 16) & 0x3fff;
      return h->width && h->height ? OK : BAD;
    }
  return BAD;
}

Status
webp_read (const guint8 *d, gsize len, SdImageHeader *h)
{
  Status s = webp_size (d, len, h);

  if (s == OK)
    webp_held (d, len, h);
  return s;
}

Status
webp_walk (const guint8 *d, gsize len, SdImageHeader *h)
{
  gsize riff = le32 (d + 4), end, i = 12;
  guint frames = 0;

  if (riff < 4)
    return BAD;
  if (!have (len, 8, riff))
    return SHORT;
  end = 8 + riff;
  for (guint n = 0; i < end; n++)
    {
      gsize length;
      const guint8 *c = d + i;

      if (n >= MAX_CHUNKS || !have (end, i, 8))
        return BAD;
      length = le32 (c + 4);
      if (!have (end, i + 8, length + (length & 1)))
        return BAD;   /* a chunk longer than the RIFF that holds it */
      if (memcmp (c, "ANMF", 4) == 0)
        frames++;
      else if (!(memcmp (c, "VP8 ", 4) == 0 || memcmp (c, "VP8L", 4) == 0 || memcmp (c, "ALPH", 4) == 0 ||
                 (memcmp (c, "VP8X", 4) == 0 && length == 10) || (memcmp (c, "ANIM", 4) == 0 && length == 6)))
        h->extra = TRUE;   /* EXIF, XMP, ICCP, unknown */
      if (memcmp (c, "ALPH", 4) == 0)
        h->alpha = TRUE;
      i += 8 + length + (length & 1);
    }
  h->frames = MAX (frames, 1);
  h->end = end;
  webp_held (d, len, h);
  return OK;
}

/* ---- GIF --------------------------------------------------------------- */

/* Sub-blocks from i to their terminator; i after it. */
static Status
gif_skip_blocks (const guint8 *d, gsize len, gsize *i)
{
  for (;;)
    {
      guint8 n;

      if (*i >= len)
        return SHORT;
      n = d[(*i)++];
      if (n == 0)
        return OK;
      if (!have (len, *i, n))
        return SHORT;
      *i += n;
    }
}

/* To the trailer when all is TRUE, else to the first image. */
Status
gif_walk (const guint8 *d, gsize len, SdImageHeader *h, gboolean all)
{
  gsize i = 13;
  guint frames = 0;

  if (!have (len, 0, 13))
    return SHORT;
  h->width = le16 (d + 6);
  h->height = le16 (d + 8);
  if (d[10] & 0x80)
    i += 3 * ((gsize) 1 << ((d[10] & 7) + 1));
  for (;;)
    {
      Status s;

      if (i >= len)
        return SHORT;
      if (d[i] == 0x3B)
        {
          if (frames == 0)
            return BAD;
          h->end = i + 1;
          break;
        }
      if (d[i] == 0x21)
        {
          if (!have (len, i, 2))
            return SHORT;
          if (d[i + 1] != 0xF9)
            h->extra = TRUE;   /* comments, application data, plain text */
          i += 2;
          if ((s = gif_skip_blocks (d, len, &i)) != OK)
            return s;
          continue;
        }
      if (d[i] != 0x2C)
        return BAD;
      if (!have (len, i, 11))
        return SHORT;
      /* A frame of no pixels is no picture (decoders complain of it). */
      if (le16 (d + i + 5) == 0 || le16 (d + i + 7) == 0)
        return BAD;
      /* A frame reaching outside the screen makes the picture larger. */
      h->width = MAX (h->width, le16 (d + i + 1) + le16 (d + i + 5));
      h->height = MAX (h->height, le16 (d + i + 3) + le16 (d + i + 7));
      if (++frames > SD_IMAGE_MAX_FRAMES)
        break;   /* refused by the size rule */
      if (!all)
        break;
      if (d[i + 9] & 0x80)
        i += 3 * ((gsize) 1 << ((d[i + 9] & 7) + 1));
      i += 11;   /* descriptor and LZW code size */
      if ((s = gif_skip_blocks (d, len, &i)) != OK)
        return s;
    }
  h->frames = frames;
  h->held_bytes = (guint64) h->width * h->height * 4;   /* the composed canvas */
  return h->width && h->height ? OK : BAD;
}

/* ---- TIFF -------------------------------------------------------------- */

typedef struct {
  const guint8 *d;
  gsize         len;
  gboolean      le, big;
} Tiff;

static guint32 t16 (const Tiff *t, gsize i) { return t->le ? le16 (t->d + i) : be16 (t->d + i); }
static guint32 t32 (const Tiff *t, gsize i) { return t->le ? le32 (t->d + i) : be32 (t->d + i); }
static guint64 t64 (const Tiff *t, gsize i) { return t->le ? le64 (t->d + i) : be64 (t->d + i); }

/* IFD0: where its entries start and how many there are. */
static Status
tiff_ifd0 (Tiff *t, gsize *entries, gsize *count)
{
  guint64 offset;

  t->le = t->d[0] == 'I';
  if (!have (t->len, 0, 16))
    return SHORT;
  t->big = t16 (t, 2) == 43;
  if (t->big)
    {
      if (t16 (t, 4) != 8 || t16 (t, 6) != 0)
        return BAD;
      offset = t64 (t, 8);
    }
  else
    offset = t32 (t, 4);
  if (offset < 8)
    return BAD;
  if (offset > t->len || !have (t->len, offset, t->big ? 8 : 2))
    return SHORT;
  *count = t->big ? t64 (t, offset) : t16 (t, offset);
  if (*count == 0 || *count > MAX_TIFF_ENTRIES)
    return BAD;
  *entries = offset + (t->big ? 8 : 2);
  if (!have (t->len, *entries, *count * (t->big ? 20 : 12)))
    return SHORT;
  return OK;
}

/* Element k of an entry's values (SHORT, LONG or LONG8), inline or at
 * an offset. */
static Status
tiff_value (const Tiff *t, gsize entry, guint64 k, guint64 *value)
{
  guint32 type = t16 (t, entry + 2);
  guint64 count = t->big ? t64 (t, entry + 4) : t32 (t, entry + 4);
  gsize size = type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0;
  gsize field = entry + (t->big ? 12 : 8);
  gsize at;

  if (size == 0 || k >= count || count > G_MAXSIZE / size)
    return BAD;
  if (count * size <= (t->big ? 8u : 4u))
    at = field + k * size;
  else
    {
      guint64 offset = t->big ? t64 (t, field) : t32 (t, field);

      if (offset > t->len || !have (t->len, offset, count * size))
        return SHORT;
      at = offset + k * size;
    }
  *value = size == 2 ? t16 (t, at) : size == 4 ? t32 (t, at) : t64 (t, at);
  return OK;
}

static guint64
tiff_count (const Tiff *t, gsize entry)
{
  return t->big ? t64 (t, entry + 4) : t32 (t, entry + 4);
}

Status
tiff_read (const guint8 *d, gsize len, SdImageHeader *h, gboolean all)
{
  Tiff t = { d, len };
  gsize entries = 0, count = 0, esize;
  gsize offsets[2] = { 0 }, counts[2] = { 0 };   /* strips, tiles */
  guint64 w = 0, hh = 0;
  Status s;

  if ((s = tiff_ifd0 (&t, &entries, &count)) != OK)
    return s;
  esize = t.big ? 20 : 12;
  for (gsize k = 0; k < count; k++)
    {
      gsize e = entries + k * esize;
      guint32 tag = t16 (&t, e);

      if (tag == 256 && (s = tiff_value (&t, e, 0, &w)) != OK)
        return s;
      if (tag == 257 && (s = tiff_value (&t, e, 0, &hh)) != OK)
        return s;
      if (tag == 273 || tag == 279 || tag == 324 || tag == 325)
        (tag == 273 || tag == 324 ? offsets : counts)[tag >= 324] = e;
    }
  if (w == 0 || hh == 0)
    return BAD;
  h->width = (guint32) MIN (w, G_MAXUINT32);
  h->height = (guint32) MIN (hh, G_MAXUINT32);
  h->held_bytes = (guint64) h->width * h->height * 4;   /* libtiff reads it whole, RGBA */
  h->extra = TRUE;
  if (!all)
    return OK;
  /* Whole when every strip (or tile) lies inside the file. */
  for (guint k = 0; k < 2; k++)
    {
      guint64 n;

      if (offsets[k] == 0)
        continue;
      if (counts[k] == 0 || (n = tiff_count (&t, offsets[k])) != tiff_count (&t, counts[k]) || n == 0)
        return BAD;
      for (guint64 j = 0; j < n; j++)
        {
          guint64 at, size;

          if ((s = tiff_value (&t, offsets[k], j, &at)) != OK || (s = tiff_value (&t, counts[k], j, &size)) != OK)
            return s;
          if (at > len || size > len - at)
            return SHORT;
        }
      h->end = len;
      return OK;
    }
  return BAD;   /* neither strips nor tiles */
}

/* ---- HEIF / AVIF --------------------------------------------------------- */

typedef struct {
  gsize   start, end;   /* the box, header included */
  gsize   body;         /* its contents */
  char    type[5];
} Box;

/* The box at i inside [.., limit): SHORT when it runs past limit. */
static Status
box_at (const guint8 *d, gsize limit, gsize i, Box *b)
{
  guint64 size;

  if (!have (limit, i, 8))
    return SHORT;
  size = be32 (d + i);
  memcpy (b->type, d + i + 4, 4);
  b->type[4] = 0;
  b->start = i;
  b->body = i + 8;
  if (size == 1)
    {
      if (!have (limit, i, 16))
        return SHORT;
      size = be64 (d + i + 8);
      b->body = i + 16;
    }
  else if (size == 0)
    size = limit - i;   /* to the end */
  if (size < b->body - i)
    return BAD;
  if (!have (limit, i, size))
    return SHORT;
  b->end = i + size;
  return OK;
}

/* The first child of type inside [from, to). */
static Status
box_find (const guint8 *d, gsize from, gsize to, const char *type, Box *found)
{
  gsize i = from;

  for (guint n = 0; n < MAX_BOXES && i < to; n++)
    {
      Status s = box_at (d, to, i, found);

      if (s != OK)
        return s;
      if (memcmp (found->type, type, 4) == 0)
        return OK;
      i = found->end;
    }
  return i >= to ? SHORT : BAD;   /* not there (yet, at the top level) */
}

/* n bytes (0, 4 or 8; 2 as well) big-endian at *i inside [.., end). */
static gboolean
field (const guint8 *d, gsize end, gsize *i, guint n, guint64 *value)
{
  if (!have (end, *i, n))
    return FALSE;
  *value = n == 0 ? 0 : n == 2 ? be16 (d + *i) : n == 4 ? be32 (d + *i) : n == 8 ? be64 (d + *i) : G_MAXUINT64;
  *i += n;
  return *value != G_MAXUINT64 || n == 8;
}

static Status
heif_items_inside (const guint8 *d, gsize len, const Box *meta)
{
  Box iloc;
  gsize i;
  guint version;
  guint64 offset_size, length_size, base_size, index_size, items, v;

  if (box_find (d, meta->body + 4, meta->end, "iloc", &iloc) != OK)
    return OK;   /* no items stored by location */
  i = iloc.body;
  if (!have (iloc.end, i, 6))
    return BAD;
  version = d[i];
  offset_size = d[i + 4] >> 4, length_size = d[i + 4] & 15;
  base_size = d[i + 5] >> 4, index_size = version >= 1 ? d[i + 5] & 15 : 0;
  i += 6;
  if (version > 2 || !field (d, iloc.end, &i, version < 2 ? 2 : 4, &items) || items > MAX_BOXES)
    return BAD;
  for (guint64 k = 0; k < items; k++)
    {
      guint64 method = 0, base, extents;

      if (!field (d, iloc.end, &i, version < 2 ? 2 : 4, &v) ||
          (version >= 1 && !field (d, iloc.end, &i, 2, &method)) ||
          !field (d, iloc.end, &i, 2, &v) || !field (d, iloc.end, &i, base_size, &base) ||
          !field (d, iloc.end, &i, 2, &extents) || extents > MAX_BOXES)
        return BAD;
      for (guint64 e = 0; e < extents; e++)
        {
          guint64 offset, length;

          if ((index_size && !field (d, iloc.end, &i, index_size, &v)) ||
              !field (d, iloc.end, &i, offset_size, &offset) || !field (d, iloc.end, &i, length_size, &length))
            return BAD;
          /* Method 0: offsets in this file (1 and 2 point inside meta). */
          if ((method & 15) == 0 && (base > len || offset > len - base || length > len - base - offset))
            return SHORT;
        }
    }
  return OK;
}

static gboolean
brand_is (const guint8 *b, const char *const *brands)
{
  for (guint k = 0; brands[k]; k++)
    if (memcmp (b, brands[k], 4) == 0)
      return TRUE;
  return FALSE;
}

Status
heif_read (const guint8 *d, gsize len, SdImageHeader *h, gboolean all)
{
  static const char *const heic[] = { "heic", "heix", "heim", "heis", "hevc", "hevx", NULL };
  static const char *const avif[] = { "avif", "avis", NULL };
  static const char *const heif[] = { "mif1", "msf1", "mif2", NULL };
  gboolean is_heic = FALSE, is_avif = FALSE, is_heif = FALSE;
  Box ftyp, meta, iprp, ipco;
  gsize i;
  Status s;

  if ((s = box_at (d, len, 0, &ftyp)) != OK)
    return s;
  if (ftyp.end - ftyp.body < 8)
    return BAD;
  /* The major brand, then the compatible ones. */
  for (i = ftyp.body; i + 4 <= ftyp.end; i += i == ftyp.body ? 8 : 4)
    {
      is_heic |= brand_is (d + i, heic);
      is_avif |= brand_is (d + i, avif);
      is_heif |= brand_is (d + i, heif);
    }
  if (brand_is (d + ftyp.body, avif) || (is_avif && !is_heic))
    h->format = SD_IMAGE_FORMAT_AVIF, h->mime_type = "image/avif";
  else if (is_heic)
    h->format = SD_IMAGE_FORMAT_HEIF, h->mime_type = "image/heic";
  else if (is_heif)
    h->format = SD_IMAGE_FORMAT_HEIF, h->mime_type = "image/heif";
  else
    return BAD;
  if ((s = box_find (d, ftyp.end, len, "meta", &meta)) != OK)
    return s;
  /* meta is a full box: version and flags first. */
  if ((s = box_find (d, meta.body + 4, meta.end, "iprp", &iprp)) != OK ||
      (s = box_find (d, iprp.body, iprp.end, "ipco", &ipco)) != OK)
    return s == SHORT ? BAD : s;   /* inside a whole meta box: broken, not short */
  /* Every image's spatial extent; the largest counts. */
  i = ipco.body;
  for (guint n = 0; n < MAX_BOXES && i < ipco.end; n++)
    {
      Box p;

      if (box_at (d, ipco.end, i, &p) != OK)
        return BAD;
      if (memcmp (p.type, "ispe", 4) == 0)
        {
          if (p.end - p.body < 12)
            return BAD;
          h->width = MAX (h->width, be32 (d + p.body + 4));
          h->height = MAX (h->height, be32 (d + p.body + 8));
        }
      i = p.end;
    }
  if (h->width == 0 || h->height == 0)
    return BAD;
  /* libheif decodes whole: planes of YCbCr (up to 16 bits), then RGBA. */
  h->held_bytes = (guint64) h->width * h->height * 6;
  h->extra = TRUE;
  if (!all)
    return OK;
  /* Whole when every top-level box is, and every item's data (iloc)
   * lies inside the file. */
  if ((s = heif_items_inside (d, len, &meta)) != OK)
    return s;

  i = 0;
  for (guint n = 0; i < len; n++)
    {
      Box b;

      if (n >= MAX_BOXES)
        return BAD;
      if ((s = box_at (d, len, i, &b)) != OK)
        return s;
      i = b.end;
    }
  h->end = len;
  return OK;
}
