/* sd-test-images.c */
#include "sd-test-images.h"

#include <string.h>

static void
put_be16 (GByteArray *a, guint32 v)
{
  guint8 b[2] = { v >> 8, v };
  g_byte_array_append (a, b, 2);
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (a, b, 4);
}

static void
put_le16 (GByteArray *a, guint32 v)
{
  guint8 b[2] = { v, v >> 8 };
  g_byte_array_append (a, b, 2);
}

static void
put_le32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v, v >> 8, v >> 16, v >> 24 };
  g_byte_array_append (a, b, 4);
}

static void
put (GByteArray *a, const void *data, gsize n)
{
  g_byte_array_append (a, data, n);
}

/* ---- PNG ---------------------------------------------------------------- */

static guint32
crc32_of (const guint8 *d, gsize n)
{
  guint32 c = 0xffffffff;

  for (gsize i = 0; i < n; i++)
    {
      c ^= d[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320 & -(c & 1));
    }
  return c ^ 0xffffffff;
}

static void
png_chunk (GByteArray *a, const char *type, const guint8 *data, guint32 n)
{
  gsize at;

  put_be32 (a, n);
  at = a->len;
  put (a, type, 4);
  if (n)
    put (a, data, n);
  put_be32 (a, crc32_of (a->data + at, 4 + n));
}

GBytes *
sd_test_png (guint32 width, guint32 height, gboolean interlaced)
{
  static const guint8 zlib[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
  GByteArray *a = g_byte_array_new ();
  guint8 ihdr[13] = { width >> 24, width >> 16, width >> 8, width, height >> 24, height >> 16, height >> 8, height,
                      8, 2, 0, 0, interlaced ? 1 : 0 };

  put (a, "\x89PNG\r\n\x1a\n", 8);
  png_chunk (a, "IHDR", ihdr, sizeof ihdr);
  png_chunk (a, "IDAT", zlib, sizeof zlib);
  png_chunk (a, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (a);
}

/* ---- WebP ----------------------------------------------------------------- */

typedef struct {
  guint8 b[32];
  guint  n;   /* bits */
} Bits;

static void
bits (Bits *s, guint32 v, guint count)
{
  for (guint i = 0; i < count; i++, s->n++)
    if ((v >> i) & 1)
      s->b[s->n / 8] |= 1 << (s->n % 8);
}

/* The VP8L bitstream: no transform, no colour cache, no meta codes; then
 * five simple prefix codes of one 8-bit symbol each (green, red, blue,
 * alpha) and one 1-bit symbol (distance). Every pixel then costs 0 bits. */
static void
vp8l_chunk (GByteArray *a, guint width, guint height)
{
  static const guint8 argb[4] = { 0x20, 0xc0, 0x20, 0xff };   /* green, red, blue, alpha */
  Bits s = { { 0 }, 0 };
  guint n;

  bits (&s, 0x2f, 8);
  bits (&s, width - 1, 14);
  bits (&s, height - 1, 14);
  bits (&s, 0, 1);   /* no alpha used */
  bits (&s, 0, 3);   /* version */
  bits (&s, 0, 3);   /* transform, colour cache, meta codes: none */
  for (guint k = 0; k < 4; k++)
    {
      bits (&s, 1, 1);   /* simple */
      bits (&s, 0, 1);   /* one symbol */
      bits (&s, 1, 1);   /* of 8 bits */
      bits (&s, argb[k], 8);
    }
  bits (&s, 1, 1), bits (&s, 0, 1), bits (&s, 0, 1), bits (&s, 0, 1);
  n = (s.n + 7) / 8;
  put (a, "VP8L", 4);
  put_le32 (a, n);
  put (a, s.b, n + (n & 1));
}

static GBytes *
riff (GByteArray *a)
{
  a->data[4] = (a->len - 8), a->data[5] = (a->len - 8) >> 8;
  a->data[6] = (a->len - 8) >> 16, a->data[7] = (a->len - 8) >> 24;
  return g_byte_array_free_to_bytes (a);
}

GBytes *
sd_test_webp_vp8l (guint width, guint height)
{
  GByteArray *a = g_byte_array_new ();

  put (a, "RIFF\0\0\0\0WEBP", 12);
  vp8l_chunk (a, width, height);
  return riff (a);
}

GBytes *
sd_test_webp_vp8x (guint width, guint height)
{
  GByteArray *a = g_byte_array_new ();
  guint8 vp8x[10] = { 0, 0, 0, 0, (width - 1), (width - 1) >> 8, (width - 1) >> 16,
                      (height - 1), (height - 1) >> 8, (height - 1) >> 16 };

  put (a, "RIFF\0\0\0\0WEBPVP8X", 16);
  put_le32 (a, sizeof vp8x);
  put (a, vp8x, sizeof vp8x);
  vp8l_chunk (a, MIN (width, 16384), MIN (height, 16384));
  return riff (a);
}

/* ---- JPEG ------------------------------------------------------------------ */

GBytes *
sd_test_jpeg (guint16 width, guint16 height, gboolean progressive)
{
  GByteArray *a = g_byte_array_new ();
  guint8 filler[300];
  guint8 dqt[65] = { 0 };
  guint8 sof[15] = { 8, height >> 8, height, width >> 8, width, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0 };
  static const guint8 dht[] = { 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 sos[] = { 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0 };
  static const guint8 scan[] = { 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56 };

  memset (filler, 'x', sizeof filler);
  put (a, "\xff\xd8", 2);
  put (a, "\xff\xe0\x00\x10JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  put (a, "\xff\xe1", 2);
  put_be16 (a, 2 + sizeof filler);
  put (a, filler, sizeof filler);
  put (a, "\xff\xdb", 2);
  put_be16 (a, 2 + sizeof dqt);
  put (a, dqt, sizeof dqt);
  put (a, progressive ? "\xff\xc2" : "\xff\xc0", 2);
  put_be16 (a, 2 + sizeof sof);
  put (a, sof, sizeof sof);
  put (a, "\xff\xc4", 2);
  put_be16 (a, 2 + sizeof dht);
  put (a, dht, sizeof dht);
  put (a, "\xff\xda", 2);
  put_be16 (a, 2 + sizeof sos);
  put (a, sos, sizeof sos);
  put (a, scan, sizeof scan);
  put (a, "\xff\xd9", 2);
  return g_byte_array_free_to_bytes (a);
}

/* ---- GIF ------------------------------------------------------------------- */

GBytes *
sd_test_gif (guint16 screen_w, guint16 screen_h, guint16 frame_w, guint16 frame_h)
{
  GByteArray *a = g_byte_array_new ();
  static const guint8 palette[6] = { 0xff, 0, 0, 0, 0, 0 };
  static const guint8 data[] = { 2, 2, 0x44, 1, 0 };   /* LZW size 2, one block, terminator */

  put (a, "GIF89a", 6);
  put_le16 (a, screen_w);
  put_le16 (a, screen_h);
  put (a, "\x80\x00\x00", 3);   /* a global table of 2 colours */
  put (a, palette, sizeof palette);
  put (a, "\x21\xf9\x04\x00\x00\x00\x00\x00", 8);   /* graphic control */
  put (a, "\x2c\x00\x00\x00\x00", 5);
  put_le16 (a, frame_w);
  put_le16 (a, frame_h);
  put (a, "\x00", 1);
  put (a, data, sizeof data);
  put (a, ";", 1);
  return g_byte_array_free_to_bytes (a);
}

/* ---- TIFF ------------------------------------------------------------------ */

GBytes *
sd_test_tiff (guint32 width, guint32 height, gboolean big_endian)
{
  GByteArray *a = g_byte_array_new ();
  void (*p16) (GByteArray *, guint32) = big_endian ? put_be16 : put_le16;
  void (*p32) (GByteArray *, guint32) = big_endian ? put_be32 : put_le32;
  const struct { guint16 tag, type; guint32 value; } entries[] = {
    { 256, 4, width }, { 257, 4, height }, { 258, 3, 8 }, { 259, 3, 1 }, { 262, 3, 1 },
    { 273, 4, 8 + 2 + 8 * 12 + 4 }, { 278, 4, height }, { 279, 4, 16 },
  };

  put (a, big_endian ? "MM\0*" : "II*\0", 4);
  p32 (a, 8);
  p16 (a, G_N_ELEMENTS (entries));
  for (guint k = 0; k < G_N_ELEMENTS (entries); k++)
    {
      p16 (a, entries[k].tag);
      p16 (a, entries[k].type);
      p32 (a, 1);
      if (entries[k].type == 3)
        p16 (a, entries[k].value), p16 (a, 0);
      else
        p32 (a, entries[k].value);
    }
  p32 (a, 0);   /* no next IFD */
  /* The strip: offset 8 + 2 + 8 entries × 12 + 4. */
  g_assert (a->len == 8 + 2 + 8 * 12 + 4);
  for (guint k = 0; k < 16; k++)
    put (a, "\x80", 1);
  return g_byte_array_free_to_bytes (a);
}

/* ---- HEIF ------------------------------------------------------------------ */

/* A box: size, type, contents. */
static void
box (GByteArray *a, const char *type, const guint8 *contents, guint32 n)
{
  put_be32 (a, 8 + n);
  put (a, type, 4);
  if (n)
    put (a, contents, n);
}

GBytes *
sd_test_heif (guint32 width, guint32 height)
{
  g_autoptr(GByteArray) ispe = g_byte_array_new ();
  g_autoptr(GByteArray) ipco = g_byte_array_new ();
  g_autoptr(GByteArray) iprp = g_byte_array_new ();
  g_autoptr(GByteArray) meta = g_byte_array_new ();
  GByteArray *a = g_byte_array_new ();
  static const guint8 mdat[16] = { 0 };

  put_be32 (ispe, 0);   /* version, flags */
  put_be32 (ispe, width);
  put_be32 (ispe, height);
  box (ipco, "ispe", ispe->data, ispe->len);
  box (iprp, "ipco", ipco->data, ipco->len);
  g_autoptr(GByteArray) iloc = g_byte_array_new ();

  put_be32 (meta, 0);
  box (meta, "hdlr", (const guint8 *) "\0\0\0\0\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0", 25);
  box (meta, "iprp", iprp->data, iprp->len);
  /* iloc v0, 4-byte offsets and lengths: item 1 is the mdat's 16 bytes,
   * which follow meta (24 bytes of ftyp, meta, 8 of mdat's header). */
  put_be32 (iloc, 0);
  put (iloc, "\x44\x00", 2);
  put_be16 (iloc, 1);     /* items */
  put_be16 (iloc, 1);     /* item ID */
  put_be16 (iloc, 0);     /* data reference */
  put_be16 (iloc, 1);     /* extents */
  put_be32 (iloc, 24 + 8 + meta->len + (8 + 22) + 8);
  put_be32 (iloc, sizeof mdat);
  box (meta, "iloc", iloc->data, iloc->len);
  box (a, "ftyp", (const guint8 *) "heic\0\0\0\0mif1heic", 16);
  box (a, "meta", meta->data, meta->len);
  box (a, "mdat", mdat, sizeof mdat);
  return g_byte_array_free_to_bytes (a);
}

GBytes *
sd_test_append (GBytes *bytes, const char *text)
{
  GByteArray *a = g_byte_array_new ();

  put (a, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  put (a, text, strlen (text));
  return g_byte_array_free_to_bytes (a);
}

GBytes *
sd_test_png_insert (GBytes *png, const char *type, const char *text)
{
  GByteArray *a = g_byte_array_new ();
  const guint8 *d = g_bytes_get_data (png, NULL);

  put (a, d, 33);   /* signature and IHDR */
  png_chunk (a, type, (const guint8 *) text, strlen (text));
  put (a, d + 33, g_bytes_get_size (png) - 33);
  return g_byte_array_free_to_bytes (a);
}
