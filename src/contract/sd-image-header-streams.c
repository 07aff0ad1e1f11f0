/* sd-image-header-streams.c — the walkers of the formats that are a
 * stream of chunks or blocks: PNG, WebP (RIFF) and GIF.
 *
 * Offsets are gsize and compared as "n > len - i" (never "i + n > len"),
 * so that no sum can wrap. Every loop advances by at least one byte or
 * counts against a cap (sd-image-header-private.h). */
#include "sd-image-header-private.h"

#include <string.h>

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
