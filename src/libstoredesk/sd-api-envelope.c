/* sd-api-envelope.c — reading the shop's replies: the {"error","data"}
 * envelope, the original's bare replies, and JSON within safe bounds. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-api-parts-private.h"
#include "sd-contract.h"
#include "sd-json-guard.h"

/* Every reply body from the shop is parsed through here. json-glib 1.6
 * recurses once per nesting level with no limit, so a hostile or broken
 * shop could otherwise crash the app with a reply of nested brackets, or
 * fill its memory with one of many values (see sd_json_scan). */
gboolean
sd_api_load_json (JsonParser *parser, const char *text, gsize len, GError **error)
{
  switch (sd_json_scan (text, len, SD_JSON_MAX_DEPTH))
    {
    case SD_JSON_SCAN_OK:
      break;
    case SD_JSON_SCAN_TOO_DEEP:
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "nested deeper than %u levels", SD_JSON_MAX_DEPTH);
      return FALSE;
    case SD_JSON_SCAN_TRAILING:
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "more than one value");
      return FALSE;
    case SD_JSON_SCAN_BAD_ESCAPE:
    default:
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "a malformed \\u escape");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) len, error))
    return FALSE;
  /* Only blanks (or json-glib's comments) load as no value at all. */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "no JSON value");
      return FALSE;
    }
  return TRUE;
}

JsonNode *
sd_api_parse_reply (guint status, GBytes *body, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  gboolean ok_status = status >= 200 && status < 300;
  JsonObject *envelope = NULL;
  JsonNode *root, *err_node, *data;
  gsize len = 0;
  const char *text = body ? g_bytes_get_data (body, &len) : NULL;

  if (len == 0 || text == NULL)
    {
      if (ok_status)   /* 204 and friends */
        return json_node_init_null (json_node_alloc ());
      g_propagate_error (error, sd_api_error_for_status (status, NULL));
      return NULL;
    }
  if (!sd_api_load_json (parser, text, len, &parse_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (ok_status)
        g_propagate_error (error, sd_api_unreadable_reply (parse_error ? parse_error->message : "not an object"));
      else
        g_propagate_error (error, sd_api_error_for_status (status, NULL));
      return NULL;
    }

  root = json_parser_get_root (parser);
  envelope = json_node_get_object (root);
  err_node = json_object_get_member (envelope, SD_ENVELOPE_ERROR);
  if (!ok_status || (err_node && !JSON_NODE_HOLDS_NULL (err_node)))
    {
      const char *message = NULL;

      if (err_node && JSON_NODE_HOLDS_VALUE (err_node) &&
          json_node_get_value_type (err_node) == G_TYPE_STRING)
        message = json_node_get_string (err_node);
      if (ok_status)   /* a 200 carrying an error is still an error */
        status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      g_propagate_error (error, sd_api_error_for_status (status, message));
      return NULL;
    }
  if (!json_object_has_member (envelope, SD_ENVELOPE_DATA))
    {
      g_propagate_error (error, sd_api_unreadable_reply ("no data member"));
      return NULL;
    }
  data = json_object_get_member (envelope, SD_ENVELOPE_DATA);
  return json_node_copy (data);
}

static JsonNode *
error_data_of (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  JsonObject *envelope;
  JsonNode *data;

  if (len == 0 || !sd_api_load_json (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  envelope = json_node_get_object (json_parser_get_root (parser));
  data = json_object_get_member (envelope, SD_ENVELOPE_DATA);
  return data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_copy (data) : NULL;
}

/* A reply outside the envelope (the original's profile-image route:
 * {success, message, imageUrl}): the JSON object, or the status's error
 * with its "message". */
static JsonNode *
parse_plain_reply (guint status, GBytes *body, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *text = body ? g_bytes_get_data (body, &len) : NULL;
  gboolean parsed = text && len && sd_api_load_json (parser, text, len, NULL) &&
                    JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
  JsonNode *message = parsed ? json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "message")
                             : NULL;

  if (status >= 200 && status < 300)
    {
      if (!parsed)
        {
          g_propagate_error (error, sd_api_unreadable_reply ("not a JSON object"));
          return NULL;
        }
      return json_node_ref (json_parser_get_root (parser));
    }
  g_propagate_error (error, sd_api_error_for_status (status, message && JSON_NODE_HOLDS_VALUE (message) &&
                                                     json_node_get_value_type (message) == G_TYPE_STRING
                                                     ? json_node_get_string (message) : NULL));
  return NULL;
}

JsonNode *
sd_api_read_reply (guint status, GBytes *body, gboolean plain, JsonNode **out_error_data, GError **error)
{
  JsonNode *data = plain ? parse_plain_reply (status, body, error) : sd_api_parse_reply (status, body, error);

  if (data == NULL && !plain && body != NULL && out_error_data != NULL)
    *out_error_data = error_data_of (body);
  return data;
}
