/* sd-image-header-boxes.c — the walkers of the formats that point into
 * themselves: TIFF (IFDs) and HEIF/AVIF (ISO BMFF boxes).
 *
 * Offsets are gsize and compared as "n > len - i" (never "i + n > len"),
 * so that no sum can wrap. Every loop advances by at least one byte or
 * counts against a cap (sd-image-header-private.h). */
#include "sd-image-header-private.h"

#include <string.h>

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

/* iloc's header: its field sizes and item count; *i after them. */
typedef struct {
  guint   version;
  guint64 offset_size, length_size, base_size, index_size, items;
} IlocHeader;

static gboolean
iloc_header (const guint8 *d, const Box *iloc, gsize *i, IlocHeader *hd)
{
  *i = iloc->body;
  if (!have (iloc->end, *i, 6))
    return FALSE;
  hd->version = d[*i];
  hd->offset_size = d[*i + 4] >> 4, hd->length_size = d[*i + 4] & 15;
  hd->base_size = d[*i + 5] >> 4, hd->index_size = hd->version >= 1 ? d[*i + 5] & 15 : 0;
  *i += 6;
  return hd->version <= 2 && field (d, iloc->end, i, hd->version < 2 ? 2 : 4, &hd->items) &&
         hd->items <= MAX_BOXES;
}

static Status
heif_items_inside (const guint8 *d, gsize len, const Box *meta)
{
  Box iloc;
  gsize i;
  IlocHeader hd;
  guint version;
  guint64 offset_size, length_size, base_size, index_size, v;

  if (box_find (d, meta->body + 4, meta->end, "iloc", &iloc) != OK)
    return OK;   /* no items stored by location */
  if (!iloc_header (d, &iloc, &i, &hd))
    return BAD;
  version = hd.version;
  offset_size = hd.offset_size, length_size = hd.length_size, base_size = hd.base_size, index_size = hd.index_size;
  for (guint64 k = 0; k < hd.items; k++)
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

/* ---- derived images: a grid of tiles, an overlay ----------------------
 * libheif decodes such an image at the size its own data says, not its
 * ispe's: a 519-byte file whose grid said 3 GB of planes was decoded
 * that far (fuzz-image-prep). Their sizes count as the ispes do. */

#define MAX_DERIVED 16
#define OVERLAY_BIT ((guint64) 1 << 63)   /* on an id: the item is an overlay */

/* The ids of the grid and overlay items (iinf's infe, version 2 or 3). */
static Status
derived_items (const guint8 *d, const Box *meta, guint64 *ids, guint *n_ids)
{
  Box iinf;
  gsize i;
  guint64 count;

  *n_ids = 0;
  if (box_find (d, meta->body + 4, meta->end, "iinf", &iinf) != OK)
    return OK;   /* no item list: no derived item */
  i = iinf.body;
  if (!have (iinf.end, i, 4))
    return BAD;
  i += 4;
  if (!field (d, iinf.end, &i, d[iinf.body] == 0 ? 2 : 4, &count) || count > MAX_BOXES)
    return BAD;
  for (guint64 k = 0; k < count && i < iinf.end; k++)
    {
      Box infe;
      gsize j;
      guint64 id, protection;

      if (box_at (d, iinf.end, i, &infe) != OK)
        return BAD;
      i = infe.end;
      j = infe.body;
      if (memcmp (infe.type, "infe", 4) != 0 || !have (infe.end, j, 4) || d[j] < 2)
        continue;   /* versions 0 and 1 name no item type */
      j += 4;
      if (!field (d, infe.end, &j, d[infe.body] == 2 ? 2 : 4, &id) || !field (d, infe.end, &j, 2, &protection) ||
          !have (infe.end, j, 4))
        return BAD;
      if (memcmp (d + j, "grid", 4) == 0 || memcmp (d + j, "iovl", 4) == 0)
        {
          if (*n_ids == MAX_DERIVED)
            return BAD;
          ids[(*n_ids)++] = id | (memcmp (d + j, "iovl", 4) == 0 ? OVERLAY_BIT : 0);
        }
    }
  return OK;
}

/* The output size in a grid's or an overlay's data (ImageGrid,
 * ImageOverlay: version 0, flags, then rows and columns or the fill
 * colour, then width and height, 32-bit when flags say so). */
static Status
derived_size (const guint8 *p, gsize n, gboolean overlay, SdImageHeader *h)
{
  gsize i = overlay ? 10 : 4;
  guint size;
  guint64 w, hh;

  if (n < 2 || p[0] != 0)
    return BAD;
  size = p[1] & 1 ? 4 : 2;
  if (!field (p, n, &i, size, &w) || !field (p, n, &i, size, &hh))
    return BAD;
  h->width = MAX (h->width, (guint32) MIN (w, G_MAXUINT32));
  h->height = MAX (h->height, (guint32) MIN (hh, G_MAXUINT32));
  return OK;
}

static Status
heif_derived_sizes (const guint8 *d, gsize len, const Box *meta, SdImageHeader *h)
{
  guint64 ids[MAX_DERIVED], items, v;
  guint n_ids;
  Box iloc, idat;
  gboolean have_idat;
  gsize i;
  IlocHeader hd;
  guint version;
  guint64 offset_size, length_size, base_size, index_size;
  Status s;

  if ((s = derived_items (d, meta, ids, &n_ids)) != OK || n_ids == 0)
    return s;
  if (box_find (d, meta->body + 4, meta->end, "iloc", &iloc) != OK)
    return BAD;   /* a derived item with no data */
  have_idat = box_find (d, meta->body + 4, meta->end, "idat", &idat) == OK;
  if (!iloc_header (d, &iloc, &i, &hd))
    return BAD;
  version = hd.version;
  offset_size = hd.offset_size, length_size = hd.length_size, base_size = hd.base_size, index_size = hd.index_size;
  items = hd.items;
  for (guint64 k = 0; k < items; k++)
    {
      guint64 id, method = 0, base, extents, offset = 0, length = 0;
      gboolean derived = FALSE;

      if (!field (d, iloc.end, &i, version < 2 ? 2 : 4, &id) ||
          (version >= 1 && !field (d, iloc.end, &i, 2, &method)) ||
          !field (d, iloc.end, &i, 2, &v) || !field (d, iloc.end, &i, base_size, &base) ||
          !field (d, iloc.end, &i, 2, &extents) || extents > MAX_BOXES)
        return BAD;
      for (guint64 e = 0; e < extents; e++)
        if ((index_size && !field (d, iloc.end, &i, index_size, &v)) ||
            !field (d, iloc.end, &i, offset_size, e == 0 ? &offset : &v) ||
            !field (d, iloc.end, &i, length_size, e == 0 ? &length : &v))
          return BAD;
      for (guint m = 0; m < n_ids; m++)
        derived |= (ids[m] & ~OVERLAY_BIT) == id;
      if (!derived)
        continue;
      /* Its data: in this file (method 0) or in meta's idat (1). */
      {
        const guint8 *from = (method & 15) == 0 ? d : have_idat && (method & 15) == 1 ? d + idat.body : NULL;
        gsize room = (method & 15) == 0 ? len : have_idat ? idat.end - idat.body : 0;
        gboolean overlay = FALSE;

        if (from == NULL || base > room || offset > room - base)
          return (method & 15) == 0 ? SHORT : BAD;
        if (length == 0 || length > room - base - offset)
          length = room - base - offset;
        for (guint m = 0; m < n_ids; m++)
          if ((ids[m] & ~OVERLAY_BIT) == id)
            overlay = (ids[m] & OVERLAY_BIT) != 0;
        if ((s = derived_size (from + base + offset, length, overlay, h)) != OK)
          return s;
      }
    }
  return OK;
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
  if ((s = heif_derived_sizes (d, len, &meta, h)) != OK)
    return s;
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
