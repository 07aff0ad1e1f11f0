/* fuzz-image-header.c — the contract's picture header rule on any bytes.
 *
 * sd_image_header_read and sd_image_header_check (src/contract/) run on
 * every picture before a decoder does: uploads on the server, shop
 * pictures and local photos in the app and storedesk-prep. Whatever the
 * bytes, they must stay inside them and agree with each other: a picture
 * the rule accepts has a known format, a size within the limits, an end
 * inside the data, and the format sd_image_header_read reports, at
 * least as large. */
#include <stdint.h>
#include <stdlib.h>

#include "sd-image-header.h"
#include "sd-fuzz.h"

/* Smaller than the shop's 100 MP, so the fuzzer meets the limit often. */
#define MAX_PIXELS ((guint64) 4 * 1000 * 1000)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SdImageHeader read = { 0 }, checked = { 0 };
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GError) check_error = NULL;
  gboolean read_ok = sd_image_header_read (data, size, &read, &read_error);
  gboolean check_ok = sd_image_header_check (data, size, MAX_PIXELS, &checked, &check_error);

  if (read_ok == (read_error != NULL) || check_ok == (check_error != NULL))
    abort ();
  if ((read_error && read_error->domain != SD_IMAGE_HEADER_ERROR) ||
      (check_error && check_error->domain != SD_IMAGE_HEADER_ERROR))
    abort ();
  if (read_ok && (read.format == SD_IMAGE_FORMAT_UNKNOWN || read.mime_type == NULL))
    abort ();
  if (!check_ok)
    return 0;
  /* (The whole walk may find a larger canvas: a GIF frame or a HEIF
   * image beyond the first one's size.) */
  if (!read_ok || checked.format != read.format || checked.width < read.width ||
      checked.height < read.height)
    abort ();
  if (checked.end == 0 || checked.end > size || checked.width == 0 || checked.height == 0 ||
      checked.width > SD_IMAGE_MAX_DIMENSION || checked.height > SD_IMAGE_MAX_DIMENSION ||
      (guint64) checked.width * checked.height > MAX_PIXELS ||
      checked.held_bytes > SD_IMAGE_MAX_HELD_BYTES || checked.frames == 0 ||
      checked.frames > SD_IMAGE_MAX_FRAMES || !sd_image_header_fits (&checked, MAX_PIXELS, NULL))
    abort ();
  return 0;
}
