/* sd-image-header.h — a picture's format and size from its own bytes,
 * before any decoder runs; and whether the file is whole.
 *
 * One rule for everyone who takes a picture: the app and storedesk-prep
 * before they decode, the server before it stores an upload. Plain C +
 * GLib. Every read is bounds-checked, nothing is allocated, and every
 * walk (JPEG segments, PNG chunks, GIF blocks, TIFF entries, HEIF boxes)
 * is capped.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Larger pictures are refused unread: a decoder would allocate about
 * 4 bytes for each of these pixels. */
#define SD_IMAGE_MAX_PIXELS    ((guint64) 100 * 1000 * 1000)
/* No side of a picture may be longer than this, whatever its area. */
#define SD_IMAGE_MAX_DIMENSION 65535
/* An animation may have at most this many frames (GIF, WebP). */
#define SD_IMAGE_MAX_FRAMES    10000
/* What a client's decoder may hold for one picture whatever the size it
 * is decoded to: a progressive JPEG's coefficients, a lossless WebP's
 * whole canvas, a TIFF's or HEIF's full frame. (A baseline JPEG, a PNG or
 * a lossy WebP is decoded row by row at the size it is shown.) */
#define SD_IMAGE_MAX_HELD_BYTES ((guint64) 192 * 1024 * 1024)
/* The longest side of a prepared picture: what the shop stores. */
#define SD_IMAGE_MAX_SIDE      1920

#define SD_IMAGE_HEADER_ERROR (sd_image_header_error_quark ())
GQuark sd_image_header_error_quark (void);

/* Messages are translated sentences that say what to do. */
typedef enum {
  SD_IMAGE_HEADER_ERROR_NOT_IMAGE,        /* no known signature, or a header that makes no sense */
  SD_IMAGE_HEADER_ERROR_TRUNCATED,        /* the data ends before the header, or the picture, does */
  SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS,  /* larger than the limit, or too many frames */
} SdImageHeaderError;

typedef enum {
  SD_IMAGE_FORMAT_UNKNOWN,
  SD_IMAGE_FORMAT_JPEG,
  SD_IMAGE_FORMAT_PNG,
  SD_IMAGE_FORMAT_WEBP,
  SD_IMAGE_FORMAT_GIF,
  SD_IMAGE_FORMAT_TIFF,
  SD_IMAGE_FORMAT_HEIF,
  SD_IMAGE_FORMAT_AVIF,
} SdImageFormat;

typedef struct {
  SdImageFormat format;
  const char   *mime_type;    /* static: "image/jpeg", "image/png", "image/webp", "image/gif",
                                 "image/tiff", "image/heic", "image/heif", "image/avif" */
  guint32       width;        /* what the header declares; for an animation, or a HEIF */
  guint32       height;       /* with several images, the largest canvas it declares */
  guint         frames;       /* 1, or an animation's frames (known after a check) */
  gboolean      progressive;  /* JPEG: progressive (every coefficient kept while decoding; so
                                 is a sequential one whose first scan lacks components) */
  gboolean      alpha;        /* WebP, PNG: declares transparency */
  gboolean      interlaced;   /* PNG: Adam7 */
  guint         orientation;  /* JPEG: EXIF orientation 1–8 from the first APP1 before the
                                 frame header; 0 when none */
  guint64       held_bytes;   /* what a decoder holds whatever the output size (see
                                 SD_IMAGE_MAX_HELD_BYTES); 0 for row-by-row formats */
  /* Known after sd_image_header_check (): */
  gsize         end;          /* the bytes that belong to the picture: [0, end); anything
                                 after it (text, GPS, a second picture) is not the picture */
  gboolean      extra;        /* TRUE unless every part before end was checked to be pixels
                                 or their description: metadata (EXIF, XMP, ICC, text,
                                 comments), unknown chunks. Always TRUE for TIFF and HEIF,
                                 which are not walked part by part. */
} SdImageHeader;

/* From the first bytes of a file (a prefix is enough): its format and
 * declared size. FALSE with TRUNCATED when the data ends before the size
 * is known (a caller reading a stream can read more and try again), or
 * NOT_IMAGE. Does not apply any limit. */
gboolean sd_image_header_read  (const guint8   *data,
                                gsize           len,
                                SdImageHeader  *out,
                                GError        **error);

/* The size rule alone: both sides at least 1 and at most
 * SD_IMAGE_MAX_DIMENSION, width × height at most max_pixels, held_bytes at
 * most SD_IMAGE_MAX_HELD_BYTES, at most SD_IMAGE_MAX_FRAMES frames. */
gboolean sd_image_header_fits  (const SdImageHeader *header,
                                guint64              max_pixels,
                                GError             **error);

/* THE rule, on a whole file: a known format, a declared size that fits
 * (sd_image_header_fits), and a file that is whole: its structure walked
 * to its end (JPEG EOI, PNG IEND, WebP RIFF length, GIF trailer, every
 * HEIF box and item, every TIFF strip or tile inside the file). Fills
 * out (including end and extra). Bytes after the end are allowed: out->end
 * says where the picture ends. This is what the server calls on an
 * upload, with SD_IMAGE_MAX_PIXELS, before it stores it. */
gboolean sd_image_header_check (const guint8   *data,
                                gsize           len,
                                guint64         max_pixels,
                                SdImageHeader  *out,
                                GError        **error);

G_END_DECLS
