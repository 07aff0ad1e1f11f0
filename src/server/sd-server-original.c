/* sd-server-original.c — `storedesk-server --no-extensions`: the
 * original HoneyTouse backend's wire behaviour, as a test double for
 * clients (see sd-server-original.h; never a mode to run a shop on).
 *
 * This file: the mode (route tables, CORS, the 404 of unknown routes,
 * /health) and what every original route starts with (its middleware
 * and express.json ()). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sd-json-guard.h"
#include "sd-server-original.h"

/* ---- replies -------------------------------------------------------- */

static void
reply_object (SdServerRequest *req, guint status, const char *first, const char *message, JsonNode *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  json_builder_begin_object (b);
  for (int i = 0; i < 2; i++)
    {
      gboolean error_now = (i == 0) == (strcmp (first, "error") == 0);

      json_builder_set_member_name (b, error_now ? "error" : "data");
      if (error_now && message)
        json_builder_add_string_value (b, message);
      else if (!error_now && data)
        json_builder_add_value (b, json_node_ref (data));
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  len = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  sd_reply_bytes (req, status, "application/json; charset=utf-8", bytes);
}

void
sd_orig_fail (SdServerRequest *req, guint status, const char *message)
{
  /* app.js:102-107: the status of an AppError (500 for any other error),
   * data first; `stack` only when NODE_ENV is development, which a shop
   * does not run. */
  reply_object (req, status, "data", message, NULL);
}

void
sd_orig_reply (SdServerRequest *req, guint status, JsonNode *data)
{
  reply_object (req, status, "error", NULL, data);
  if (data)
    json_node_unref (data);
}

gboolean
sd_orig_is_object_id (const char *text)
{
  if (text == NULL || strlen (text) != 24)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

void
sd_orig_fail_cast (SdServerRequest *req, const char *value, const char *path, const char *model)
{
  /* mongoose 8's CastError, which reaches app.js:102 as a 500. */
  g_autofree char *m = model
    ? g_strdup_printf ("Cast to ObjectId failed for value \"%s\" (type string) at path \"%s\" for model \"%s\"",
                       value, path, model)
    : g_strdup_printf ("Cast to ObjectId failed for value \"%s\" (type string) at path \"%s\"", value, path);
  sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, m);
}

const char *
sd_orig_string (SdServerRequest *req, const char *member)
{
  JsonObject *o = req->body ? json_node_get_object (req->body) : NULL;
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* Number::prototype.toString () (ECMA-262, Number::toString) of a finite
 * double: the fewest digits that read back as v, laid out as JS does. */
static char *
js_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], format[8], digits[20];
  int k = 0, n;
  GString *out;

  if (v == 0)
    return g_strdup ("0");   /* -0 too */
  for (int p = 1; p <= 17; p++)
    {
      g_snprintf (format, sizeof format, "%%.%de", p - 1);
      g_ascii_formatd (buf, sizeof buf, format, fabs (v));
      if (g_ascii_strtod (buf, NULL) == fabs (v))
        break;
    }
  for (const char *c = buf; *c != 'e'; c++)
    if (g_ascii_isdigit (*c))
      digits[k++] = *c;
  digits[k] = '\0';
  n = atoi (strchr (buf, 'e') + 1) + 1;   /* v = 0.digits × 10^n */
  out = g_string_new (v < 0 ? "-" : "");
  if (k <= n && n <= 21)
    {
      g_string_append (out, digits);
      for (int i = k; i < n; i++)
        g_string_append_c (out, '0');
    }
  else if (0 < n && n <= 21)
    g_string_append_printf (out, "%.*s.%s", n, digits, digits + n);
  else if (-6 < n && n <= 0)
    {
      g_string_append (out, "0.");
      for (int i = n; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits);
    }
  else
    g_string_append_printf (out, "%c%s%s" "e%c%d", digits[0], k > 1 ? "." : "", digits + 1, n > 0 ? '+' : '-', ABS (n - 1));
  return g_string_free (out, FALSE);
}

/* String (n) in JS; n NULL is undefined. Array.prototype.join writes
 * null and undefined elements as "". */
static void
append_js_string (GString *out, JsonNode *n)
{
  g_autofree char *number = NULL;
  JsonArray *a;

  if (n == NULL)
    return (void) g_string_append (out, "undefined");
  switch (JSON_NODE_TYPE (n))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_OBJECT:
      g_string_append (out, "[object Object]");
      break;
    case JSON_NODE_ARRAY:
      a = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);

          if (i > 0)
            g_string_append_c (out, ',');
          if (!JSON_NODE_HOLDS_NULL (e))
            append_js_string (out, e);
        }
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (n))
        {
        case G_TYPE_STRING:
          g_string_append (out, json_node_get_string (n));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (n) ? "true" : "false");
          break;
        default:
          number = js_number (json_node_get_value_type (n) == G_TYPE_DOUBLE ? json_node_get_double (n)
                                                                             : (double) json_node_get_int (n));
          g_string_append (out, number);
          break;
        }
      break;
    }
}

char *
sd_orig_js_string (SdServerRequest *req, const char *member)
{
  JsonObject *o = req->body ? json_node_get_object (req->body) : NULL;
  GString *text = g_string_new (NULL);

  append_js_string (text, o ? json_object_get_member (o, member) : NULL);
  return g_string_free (text, FALSE);
}

gboolean
sd_orig_cast_string (JsonNode *value, const char *path, char **out)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;
  JsonNode *id = o ? json_object_get_member (o, "_id") : NULL;
  g_autofree char *text = NULL;

  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GString *cast = g_string_new (NULL);

      append_js_string (cast, value);
      *out = g_string_free (cast, FALSE);
      return TRUE;
    }
  /* A document's string _id; else castString throws, and SchemaString's
   * cast makes that a CastError. The value is as JSON, not util.inspect. */
  if (id && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING &&
      *json_node_get_string (id) != '\0')
    {
      *out = g_strdup (json_node_get_string (id));
      return TRUE;
    }
  text = json_to_string (value, FALSE);
  *out = g_strdup_printf ("Cast to string failed for value \"%s\" (type %s) at path \"%s\"",
                          text, o ? "Object" : "Array", path);
  return FALSE;
}

JsonNode *
sd_orig_echo (JsonNode *value)
{
  g_autofree char *text = NULL;
  double v;

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_DOUBLE)
    return json_node_copy (value);
  v = json_node_get_double (value);
  if (v != floor (v))
    return json_node_copy (value);
  if (fabs (v) < 0x1p63)
    return json_node_init_int (json_node_alloc (), (gint64) v);
  text = js_number (v);
  return json_node_init_string (json_node_alloc (), text);
}

gboolean
sd_orig_truthy (SdServerRequest *req, const char *member)
{
  JsonObject *o = req->body ? json_node_get_object (req->body) : NULL;
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (n))
    return TRUE;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (n) != '\0';
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (n);
    case G_TYPE_DOUBLE:
      return json_node_get_double (n) != 0;
    default:
      return json_node_get_int (n) != 0;
    }
}

/* ---- what every route starts with ------------------------------------ */

/* express.json () (app.js:47): a JSON body is parsed when the type says
 * so, anything else leaves req.body {}; a syntax error is a 500, as the
 * error handler turns body-parser's 400 into (it reads httpCode, which
 * body-parser does not set). */
static gboolean
read_body (SdServerRequest *req)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *type = sd_request_content_type (req, NULL);
  gsize len;
  const char *data = g_bytes_get_data (req->raw_body, &len);
  JsonNode *root;

  if (len == 0 || type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    {
      req->body = json_node_init_object (json_node_alloc (), json_object_new ());
      return TRUE;
    }
  /* [kept fix] the hardening's depth and shape guard (sd-json-guard.h). */
  if (sd_json_scan (data, len, SD_JSON_MAX_DEPTH) != SD_JSON_SCAN_OK ||
      !json_parser_load_from_data (parser, data, (gssize) len, &error))
    {
      sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                    error ? error->message : "Unexpected token in JSON");
      return FALSE;
    }
  root = json_parser_get_root (parser);
  /* body-parser's strict mode takes only objects and arrays; an array's
   * members are all undefined to the routes. */
  if (root == NULL || (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root)))
    {
      sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unexpected token in JSON at position 0");
      return FALSE;
    }
  req->body = JSON_NODE_HOLDS_OBJECT (root) ? json_node_ref (root)
              : json_node_init_object (json_node_alloc (), json_object_new ());
  return TRUE;
}

/* The bearer, as extractToken () (middleware/utils/extractToken.js:4-10)
 * reads it: the second word of Authorization. [kept fix] Its fallback,
 * the refreshToken cookie (extractToken.js:13-24), is not read: the
 * refresh cookie authenticates nothing but a refresh. */
static const char *
bearer (SdServerRequest *req)
{
  const char *header = sd_request_header (req, "Authorization");
  const char *space = header ? strchr (header, ' ') : NULL;

  if (space == NULL || space[1] == '\0')
    return NULL;
  return space + 1;
}

gboolean
sd_orig_begin (SdServerRequest *req, SdOrigAuth auth)
{
  const char *token = bearer (req);

  if (auth == SD_ORIG_OPTIONAL && token)
    {
      if (!sd_server_tokens_check_access (req->context, token, &req->user_id, &req->is_admin))
        g_clear_pointer (&req->user_id, g_free);
    }
  else if (auth == SD_ORIG_USER || auth == SD_ORIG_ADMIN)
    {
      /* middleware/loginMiddleware.js: 401 without a token (:18-26) or
       * with a bad one (:89-90, utils/tokenHandling.js), 403 for a
       * member on an admin route (:44-52). An expired token beside a
       * refresh cookie passes there without a user (:57-76); [kept fix]
       * here it is 401. */
      if (token == NULL)
        return sd_orig_fail (req, SOUP_STATUS_UNAUTHORIZED, "엑세스 토큰이 없습니다."), FALSE;
      if (!sd_server_tokens_check_access (req->context, token, &req->user_id, &req->is_admin))
        return sd_orig_fail (req, SOUP_STATUS_UNAUTHORIZED, "유효하지 않은 토큰입니다."), FALSE;
      if (auth == SD_ORIG_ADMIN && !req->is_admin)
        return sd_orig_fail (req, SOUP_STATUS_FORBIDDEN, "관리자 권한이 없습니다."), FALSE;
    }
  return read_body (req);
}

/* ---- the mode ------------------------------------------------------- */

/* cors () as app.js:25-46 sets it up: the allowed origins (ours: the
 * --cors-origin list) get the origin back with credentials; a request
 * without Origin passes; any other origin is an error, which the error
 * handler answers 500 for every method. Every OPTIONS is a preflight
 * answered 204, whatever the path; no PATCH and no Idempotency-Key in
 * what it allows. */
static gboolean
original_front (SdServerRequest *req)
{
  const char *origin = sd_request_header (req, "Origin");
  char **allowed = sd_server_context_get_config (req->context)->cors_origins;

  sd_reply_add_header (req, "Vary", "Origin");
  if (origin)
    {
      if (allowed == NULL || !g_strv_contains ((const char * const *) allowed, origin))
        {
          sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Request Not allowed by CORS");
          return TRUE;
        }
      sd_reply_set_header (req, "Access-Control-Allow-Origin", origin);
      sd_reply_set_header (req, "Access-Control-Allow-Credentials", "true");
    }
  if (strcmp (req->method, "OPTIONS") != 0)
    return FALSE;
  sd_reply_set_header (req, "Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,OPTIONS");
  sd_reply_set_header (req, "Access-Control-Allow-Headers", "Content-Type,Authorization,X-Requested-With");
  sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
  return TRUE;
}

/* app.js:78-86: any other method or path. */
static void
original_not_found (SdServerRequest *req)
{
  sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, "Resource not found");
}

static void
not_found_route (SdServerRequest *req)
{
  original_not_found (req);
}

/* app.js:58-62: no envelope, no version, no features. */
static void
health_route (SdServerRequest *req)
{
  static const char body[] = "{\"status\":\"OK! ><\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

  sd_reply_bytes (req, SOUP_STATUS_OK, "application/json; charset=utf-8", bytes);
}

/* Our routes the original lacks: they are unknown there. */
static const SdRoute missing_routes[] = {
  { "GET", SD_HEALTH_PATH, SD_ACCESS_PUBLIC, SD_BODY_NONE, health_route },
  { "POST", SD_PATH_RESET_PASSWORD, SD_ACCESS_PUBLIC, SD_BODY_NONE, not_found_route },
  { "POST", SD_PATH_SIGN_OUT_EVERYWHERE, SD_ACCESS_PUBLIC, SD_BODY_NONE, not_found_route },
  { "POST", SD_PATH_ADMIN_UPLOADS, SD_ACCESS_PUBLIC, SD_BODY_NONE, not_found_route },
  { "PUT", "/uploads/:name", SD_ACCESS_PUBLIC, SD_BODY_NONE, not_found_route },
  { NULL }
};

/* First match wins: the original's own routes, then ours where the
 * original's wire shape is the same (the profile photo, the files). */
static const SdRoute * const original_tables[] = {
  missing_routes,
  sd_server_original_auth_routes,
  sd_server_original_catalog_routes,
  sd_server_original_order_routes,
  sd_server_auth_routes,
  sd_server_upload_routes,
  NULL
};

const SdServerMode sd_server_original_mode = { original_tables, original_front, original_not_found };
