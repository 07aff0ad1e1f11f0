/* sd-image-jpeg.c — JPEG through libjpeg-turbo, scaled in the IDCT and
 * then by area, row by row: only the output and a row are held (and, for
 * a progressive JPEG, the coefficients libjpeg must keep). The EXIF
 * orientation comes from the checked header. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

#include "sd-image-private.h"

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
} Errors;

static void
error_exit (j_common_ptr cinfo)
{
  longjmp (((Errors *) cinfo->err)->jump, 1);
}

static void
quiet (j_common_ptr cinfo, int level)
{
  /* Warnings (corrupt data libjpeg works around) are counted, not printed. */
  if (level < 0)
    cinfo->err->num_warnings++;
}

/* ---- a JPEG read from a stream, 64 kB at a time ------------------------- */

typedef struct {
  struct jpeg_source_mgr pub;
  GInputStream          *in;
  gboolean               ended;   /* the stream ended before EOI */
  JOCTET                 buffer[64 * 1024];
} StreamSource;

static void
stream_init (j_decompress_ptr cinfo)
{
}

static boolean
stream_fill (j_decompress_ptr cinfo)
{
  static const JOCTET eoi[2] = { 0xFF, JPEG_EOI };
  StreamSource *s = (StreamSource *) cinfo->src;
  gssize got = g_input_stream_read (s->in, s->buffer, sizeof s->buffer, NULL, NULL);

  if (got <= 0)
    {
      /* As libjpeg's own sources do: a fake end, noted. */
      s->ended = TRUE;
      s->pub.next_input_byte = eoi;
      s->pub.bytes_in_buffer = 2;
      return TRUE;
    }
  s->pub.next_input_byte = s->buffer;
  s->pub.bytes_in_buffer = (gsize) got;
  return TRUE;
}

static void
stream_skip (j_decompress_ptr cinfo, long n)
{
  StreamSource *s = (StreamSource *) cinfo->src;

  while (n > (long) s->pub.bytes_in_buffer)
    {
      n -= (long) s->pub.bytes_in_buffer;
      stream_fill (cinfo);
      if (s->ended)
        return;
    }
  if (n > 0)
    {
      s->pub.next_input_byte += n;
      s->pub.bytes_in_buffer -= (gsize) n;
    }
}

static void
stream_term (j_decompress_ptr cinfo)
{
}

GdkPixbuf *
sd_image_decode_jpeg_from (const guint8 *data, gsize len, GInputStream *stream, const SdImageHeader *expected,
                           guint max_side, GError **error)
{
  StreamSource *volatile source = NULL;
  struct jpeg_decompress_struct cinfo;
  Errors errors;
  GdkPixbuf *volatile out = NULL;
  SdImageScaler *volatile scaler = NULL;
  JSAMPLE *volatile row = NULL;
  int w, h, m;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&errors.pub);
  errors.pub.error_exit = error_exit;
  errors.pub.emit_message = quiet;
  if (setjmp (errors.jump))
    {
      char message[JMSG_LENGTH_MAX];

      cinfo.err->format_message ((j_common_ptr) &cinfo, message);
      g_debug ("jpeg: %s", message);
      jpeg_destroy_decompress (&cinfo);
      sd_image_scaler_free (scaler);
      g_free (row);
      g_free (source);
      if (out)
        g_object_unref (out);
      g_propagate_error (error, sd_image_damaged ());
      return NULL;
    }
  jpeg_create_decompress (&cinfo);
  if (stream)
    {
      source = g_new0 (StreamSource, 1);
      source->in = stream;
      source->pub.init_source = stream_init;
      source->pub.fill_input_buffer = stream_fill;
      source->pub.skip_input_data = stream_skip;
      source->pub.resync_to_restart = jpeg_resync_to_restart;
      source->pub.term_source = stream_term;
      cinfo.src = &source->pub;
    }
  else
    jpeg_mem_src (&cinfo, data, len);
  /* No markers kept: the header told us the orientation, and a file may
   * carry a hundred 64 kB APP1 segments of XMP. */
  jpeg_read_header (&cinfo, TRUE);
  /* A file read twice (checked, then decoded) must not have changed. */
  if (expected && (cinfo.image_width != expected->width || cinfo.image_height != expected->height ||
                   (gboolean) cinfo.progressive_mode != expected->progressive))
    error_exit ((j_common_ptr) &cinfo);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK)
    {
      jpeg_destroy_decompress (&cinfo);
      return NULL;   /* Adobe's inverted CMYK: gdk-pixbuf's loader knows it */
    }
  sd_image_fit (cinfo.image_width, cinfo.image_height, max_side, &w, &h);
  /* The smallest M/8 whose result still covers w × h: the IDCT does the
   * coarse work, area averaging the rest. */
  for (m = 1; m < 8; m++)
    if ((cinfo.image_width * (guint) m + 7) / 8 >= (guint) w && (cinfo.image_height * (guint) m + 7) / 8 >= (guint) h)
      break;
  cinfo.scale_num = m;
  cinfo.scale_denom = 8;
  cinfo.out_color_space = JCS_RGB;
  cinfo.dct_method = JDCT_ISLOW;
  jpeg_start_decompress (&cinfo);
  if (cinfo.output_components != 3)
    error_exit ((j_common_ptr) &cinfo);
  w = MIN (w, (int) cinfo.output_width);
  h = MIN (h, (int) cinfo.output_height);
  out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  if (out == NULL)
    error_exit ((j_common_ptr) &cinfo);
  scaler = sd_image_scaler_new (cinfo.output_width, cinfo.output_height, 3, w, h, gdk_pixbuf_get_pixels (out),
                                gdk_pixbuf_get_rowstride (out));
  row = g_malloc ((gsize) cinfo.output_width * 3);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW rows[1] = { row };

      jpeg_read_scanlines (&cinfo, rows, 1);
      sd_image_scaler_push (scaler, row);
    }
  jpeg_finish_decompress (&cinfo);
  if (source && source->ended)
    error_exit ((j_common_ptr) &cinfo);   /* cut short since it was checked */
  if (errors.pub.num_warnings)
    g_debug ("jpeg: %ld warnings (corrupt data worked around)", errors.pub.num_warnings);
  jpeg_destroy_decompress (&cinfo);
  sd_image_scaler_free (scaler);
  g_free (row);
  g_free (source);
  if (expected && expected->orientation > 1)
    {
      char value[2] = { '0' + expected->orientation, 0 };
      gdk_pixbuf_set_option (out, "orientation", value);
    }
  return out;
}
