/* fuzz-envelope.c — the client reading a reply from a shop it cannot trust.
 *
 * The first byte picks the status, the second whether the route answers
 * bare JSON (the original's uploads) or the {"error","data"} envelope;
 * the rest is the body. Whatever data comes out goes through the model
 * parsers, as the core would turn it into products, orders, users and
 * categories. Nothing may crash, leak or trip the sanitizers; every
 * failure must be an SD_API_ERROR. */
#include <stdint.h>
#include <stdlib.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-fuzz.h"

static const guint statuses[] = {
  200, 201, 204, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 302, 0,
};

static void
try_models (JsonNode *node)
{
  static const SdFromJson parsers[] = {
    (SdFromJson) sd_product_new_from_json, (SdFromJson) sd_order_new_from_json,
    (SdFromJson) sd_user_new_from_json, (SdFromJson) sd_category_new_from_json,
  };

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) model = parsers[i] (node, &error);

      if ((model == NULL) == (error == NULL))
        abort ();
    }
  {
    SdOption *option = sd_option_new_from_json (node);
    g_clear_object (&option);
  }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) error_data = NULL;
  g_autoptr(GError) error = NULL;
  guint status;
  gboolean plain;

  if (size < 2)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  plain = data[1] & 1;
  body = g_bytes_new (data + 2, size - 2);
  reply = sd_api_read_reply (status, body, plain, &error_data, &error);
  if ((reply == NULL) == (error == NULL) || (error && error->domain != SD_API_ERROR))
    abort ();
  if (reply == NULL)
    return 0;
  try_models (reply);
  if (JSON_NODE_HOLDS_ARRAY (reply))
    {
      JsonArray *items = json_node_get_array (reply);

      for (guint i = 0; i < json_array_get_length (items) && i < 8; i++)
        try_models (json_array_get_element (items, i));
    }
  return 0;
}
