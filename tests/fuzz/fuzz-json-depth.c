/* fuzz-json-depth.c — sd_json_depth_ok against json-glib itself.
 *
 * The scan must see every level json-glib builds, whatever the text: a
 * body it passes at max levels never parses into a deeper tree (else
 * there is a way past it: a quote, comment or escape the two read
 * differently). And it must not refuse what is fine: the tree written
 * back out as JSON passes at exactly its depth. (Not the input itself:
 * json-glib 1.6 goes on parsing values after the first and keeps only
 * that one, so the input may hold more levels than the tree.) Only what
 * passed the scan reaches json-glib, so a miss shows as a wrong depth,
 * never as a stack overflow in the harness. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sd-json-guard.h"
#include "../sd-test-json.h"
#include "sd-fuzz.h"

#define MAX_LEVELS 16

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *written = NULL;
  guint depth;

  if (!sd_json_depth_ok (text, size, MAX_LEVELS))
    {
      /* Refused at a bound means refused at every lower one. */
      if (sd_json_depth_ok (text, size, MAX_LEVELS / 2))
        abort ();
      return 0;
    }
  if (!sd_json_depth_ok (text, size, MAX_LEVELS * 2))
    abort ();
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, NULL) ||
      json_parser_get_root (parser) == NULL)
    return 0;
  depth = sd_test_json_depth (json_parser_get_root (parser));
  if (depth > MAX_LEVELS)
    abort ();   /* json-glib went deeper than the scan saw */
  written = json_to_string (json_parser_get_root (parser), FALSE);
  if (!sd_json_depth_ok (written, strlen (written), depth) ||
      (depth > 0 && sd_json_depth_ok (written, strlen (written), depth - 1)))
    abort ();   /* the scan misjudged plain JSON */
  return 0;
}
