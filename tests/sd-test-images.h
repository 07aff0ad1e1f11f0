/* sd-test-images.h — tiny pictures written byte by byte, honest or
 * hostile: what a header says is what the test asks for. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A PNG with its IHDR, one IDAT of a few bytes and IEND, CRCs right. */
GBytes *sd_test_png         (guint32 width, guint32 height, gboolean interlaced);
/* A lossless WebP of one colour: every prefix code has a single symbol,
 * so it decodes for real at any size (up to 16384) in 32 bytes. */
GBytes *sd_test_webp_vp8l   (guint width, guint height);
/* The same inside a VP8X container declaring the same canvas. */
GBytes *sd_test_webp_vp8x   (guint width, guint height);
/* A JPEG's markers: SOI, APP0 JFIF, a 300-byte APP1, DQT, SOF (Y 2×2,
 * Cb, Cr 1×1), DHT, SOS, a few bytes of scan, EOI. Not decodable. */
GBytes *sd_test_jpeg        (guint16 width, guint16 height, gboolean progressive);
/* A GIF: its screen, one frame of frame_w × frame_h at 0,0, trailer. */
GBytes *sd_test_gif         (guint16 screen_w, guint16 screen_h, guint16 frame_w, guint16 frame_h);
/* A TIFF with ImageWidth, ImageLength and one strip inside the file. */
GBytes *sd_test_tiff        (guint32 width, guint32 height, gboolean big_endian);
/* A HEIF: ftyp (heic), meta/iprp/ipco/ispe, an mdat of 16 bytes. */
GBytes *sd_test_heif        (guint32 width, guint32 height);

/* A PNG with a chunk of type holding text inserted after IHDR. */
GBytes *sd_test_png_insert  (GBytes *png, const char *type, const char *text);
/* bytes with text appended after the picture's end. */
GBytes *sd_test_append      (GBytes *bytes, const char *text);

G_END_DECLS
