/* sd-image-header-private.h — what sd-image-header.c (the API, the rule,
 * sniffing) and the format walkers share: sd-image-header-jpeg.c,
 * sd-image-header-streams.c (PNG, WebP, GIF) and sd-image-header-boxes.c
 * (TIFF, HEIF/AVIF). Not installed; include only from those files. */
#pragma once

#include "sd-image-header.h"

typedef enum { OK, SHORT, BAD } Status;

/* Walks stop here: far beyond any real file, far below a slow loop. */
#define MAX_JPEG_SEGMENTS  100000
#define MAX_JPEG_SCANS     1000     /* a progressive JPEG has about 10; each costs a pass */
#define MAX_TIFF_ENTRIES   4096
#define MAX_BOXES          4096   /* HEIF boxes in one container */
#define MAX_CHUNKS         1000000

static inline guint32 be16 (const guint8 *p) { return ((guint32) p[0] << 8) | p[1]; }
static inline guint32 be32 (const guint8 *p) { return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3]; }
static inline guint64 be64 (const guint8 *p) { return ((guint64) be32 (p) << 32) | be32 (p + 4); }
static inline guint32 le16 (const guint8 *p) { return ((guint32) p[1] << 8) | p[0]; }
static inline guint32 le24 (const guint8 *p) { return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0]; }
static inline guint32 le32 (const guint8 *p) { return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0]; }
static inline guint64 le64 (const guint8 *p) { return ((guint64) le32 (p + 4) << 32) | le32 (p); }

/* n bytes at offset i lie inside len. */
static inline gboolean
have (gsize len, gsize i, gsize n)
{
  return i <= len && n <= len - i;
}

/* The format walkers, one file per family. Each reads h->format's
 * header from d; "all" walks every frame or entry, not just the first. */
G_GNUC_INTERNAL extern const guint8 png_signature[8];

G_GNUC_INTERNAL Status jpeg_walk (const guint8 *d, gsize len, SdImageHeader *h, gboolean all);
G_GNUC_INTERNAL Status png_read  (const guint8 *d, gsize len, SdImageHeader *h);
G_GNUC_INTERNAL Status png_walk  (const guint8 *d, gsize len, SdImageHeader *h);
G_GNUC_INTERNAL Status webp_read (const guint8 *d, gsize len, SdImageHeader *h);
G_GNUC_INTERNAL Status webp_walk (const guint8 *d, gsize len, SdImageHeader *h);
G_GNUC_INTERNAL Status gif_walk  (const guint8 *d, gsize len, SdImageHeader *h, gboolean all);
G_GNUC_INTERNAL Status tiff_read (const guint8 *d, gsize len, SdImageHeader *h, gboolean all);
G_GNUC_INTERNAL Status heif_read (const guint8 *d, gsize len, SdImageHeader *h, gboolean all);
