/* fuzz-image-prep.c — photo preparation on any bytes.
 *
 * What it proves: our code around the decoders (src/libstoredesk's
 * SdImagePrep and sd_image_load, and the contract's header rule they run
 * first) keeps within its buffers, leaks nothing and does no undefined
 * behaviour, under ASan and UBSan, on whatever bytes reach it; the limits
 * hold before any loader runs (nothing the rule refuses gets decoded),
 * and whatever comes out fits the box, is one of our formats and passes
 * the rule itself.
 *
 * What it does not prove: anything about the decoders. gdk-pixbuf, its
 * loader modules, libjpeg-turbo, libpng, libwebp, libtiff, libheif are
 * Debian's builds, not instrumented: a bad read or write inside them goes
 * unseen unless it crashes outright (or trips one of ASan's libc
 * interceptors), and the fuzzer's coverage feedback cannot steer into
 * their code, so it does not look for their bugs. Those are Debian's
 * security updates to take; the header rule is what keeps their input
 * small. For the same reason the criticals gdk-pixbuf raises within
 * itself on broken files (a GIF frame 0 pixels wide, an animation with no
 * frame) are let through (see sd-fuzz.h): the file is refused all the
 * same. */
#include <stdint.h>
#include <stdlib.h>

#include "sd-image-private.h"
#include "storedesk.h"
#include "sd-fuzz.h"

/* Small limits: the same code paths, and fast runs. */
#define MAX_SIDE   256
#define MAX_PIXELS ((guint64) 4 * 1000 * 1000)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  SdImagePrepOptions options;
  g_autoptr(SdPrepared) prepared = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  SdImageHeader header = { 0 };

  /* The app's path: a shop picture or a local photo shown at MAX_SIDE. */
  pixbuf = sd_image_load (data, size, MAX_SIDE, MAX_PIXELS, &header, &error);
  if ((pixbuf == NULL) == (error == NULL))
    abort ();
  if (pixbuf && (gdk_pixbuf_get_width (pixbuf) > MAX_SIDE || gdk_pixbuf_get_height (pixbuf) > MAX_SIDE))
    abort ();
  g_clear_error (&error);

  /* storedesk-prep's and the upload queue's. */
  sd_image_prep_options_init (&options);
  options.max_side = MAX_SIDE;
  options.max_pixels = MAX_PIXELS;
  options.max_bytes = 64 * 1024;
  prepared = sd_image_prep_bytes (&options, bytes, NULL, &error);
  if ((prepared == NULL) == (error == NULL))
    abort ();
  if (prepared)
    {
      GBytes *out = sd_prepared_get_bytes (prepared);
      gsize len;
      const guint8 *p = g_bytes_get_data (out, &len);
      SdImageHeader result;

      if (sd_prepared_get_width (prepared) > MAX_SIDE || sd_prepared_get_height (prepared) > MAX_SIDE ||
          len > options.max_bytes ||
          !sd_image_header_check (p, len, MAX_PIXELS, &result, NULL) || result.end != len)
        abort ();
    }
  return 0;
}
