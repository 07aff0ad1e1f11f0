/* fuzz-server-json.c — storedesk-server reading a JSON body from anyone.
 *
 * For now the steps of parse_json_body (src/server/sd-server.c): the
 * depth scan, json-glib, "must be an object"; then the body helpers the
 * routes read members with (sd_body_string, sd_body_has, sd_json_integer)
 * and the contract's field rules, on every member at any depth. A request
 * can now be built without a connection (sd_server_request_init, no
 * lookup_header): next, this target becomes one call of the server's
 * dispatch (its SdServerHttpHandler; method, path, headers and body from
 * the input) on a server over a throw-away data dir. */
#include <stdint.h>
#include <stdlib.h>

#include "sd-json-guard.h"
#include "sd-server-private.h"
#include "sd-fuzz.h"

#define JSON_BODY_LIMIT (1024 * 1024)   /* as in sd-server.c */

/* What parse_json_body does after the size and media type checks. */
static gboolean
parse_body (SdServerRequest *req)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const char *data = g_bytes_get_data (req->raw_body, &len);

  if (len == 0 || len > JSON_BODY_LIMIT || !sd_json_depth_ok (data, len, SD_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  req->body = json_node_ref (json_parser_get_root (parser));
  return TRUE;
}

static void
check_text (const char *text)
{
  g_autofree char *phone = sd_field_normalize_phone (text);

  sd_field_is_name (text);
  sd_field_is_original_name (text);
  sd_field_is_email (text);
  sd_field_is_password (text);
  sd_field_is_category_name (text);
  sd_field_is_code (text);
  if (phone != NULL && !g_str_has_prefix (phone, "010"))
    abort ();
}

static void walk (JsonNode *node, guint budget);

static void
walk_object (JsonObject *object, guint budget)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (budget-- > 0 && json_object_iter_next (&iter, &name, &member))
    {
      gint64 value;

      check_text (name);
      sd_json_integer (object, name, &value);
      walk (member, budget / 2);
    }
}

static void
walk (JsonNode *node, guint budget)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    walk_object (json_node_get_object (node), budget);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (items) && i < budget; i++)
        walk (json_array_get_element (items, i), budget / 2);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    check_text (json_node_get_string (node));
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SdServerRequest req;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  sd_server_request_init (&req, NULL);
  req.method = "POST";
  req.path = "/fuzz";
  req.raw_body = g_bytes_new (data, size);
  if (parse_body (&req))
    {
      /* The routes' own reading of the top level. */
      json_object_iter_init (&iter, sd_body_object (&req));
      while (json_object_iter_next (&iter, &name, &member))
        {
          gboolean bad = FALSE;

          sd_body_string (&req, name, &bad);
          if (!sd_body_has (&req, name))
            abort ();
        }
      walk (req.body, 64);
    }
  sd_server_request_clear (&req);
  return 0;
}
