/* sd-server-request.c — the request and reply helpers of storedesk-server:
 * replies and their headers, the request's query, body and content type,
 * its origin, and the absolute picture URLs of a reply. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-request.h"
#include "sd-server-store.h"

void
sd_server_request_init (SdServerRequest *req, SdServerContext *context)
{
  memset (req, 0, sizeof *req);
  req->context = context;
  req->reply_headers = g_ptr_array_new_with_free_func (g_free);
  req->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

void
sd_server_request_clear (SdServerRequest *req)
{
  g_clear_pointer (&req->body, json_node_unref);
  g_clear_pointer (&req->user_id, g_free);
  g_clear_pointer (&req->raw_body, g_bytes_unref);
  g_clear_pointer (&req->reply_type, g_free);
  g_clear_pointer (&req->reply_body, g_bytes_unref);
  g_clear_pointer (&req->reply_headers, g_ptr_array_unref);
}

SdServerStore *
sd_request_store (SdServerRequest *req)
{
  return sd_server_context_get_store (req->context);
}

const SdServerConfig *
sd_request_config (SdServerRequest *req)
{
  return sd_server_context_get_config (req->context);
}

SdServerSecrets *
sd_request_secrets (SdServerRequest *req)
{
  return sd_server_context_get_secrets (req->context);
}

/* ---- replies -------------------------------------------------------- */

static void
take_reply (SdServerRequest *req, guint status, const char *type, GBytes *body)
{
  req->status = status;
  g_free (req->reply_type);
  req->reply_type = g_strdup (type);
  g_clear_pointer (&req->reply_body, g_bytes_unref);
  req->reply_body = body;
}

void
sd_reply_bytes (SdServerRequest *req, guint status, const char *content_type, GBytes *bytes)
{
  take_reply (req, status, content_type, bytes ? g_bytes_ref (bytes) : NULL);
}

void
sd_reply_status (SdServerRequest *req, guint status)
{
  take_reply (req, status, NULL, NULL);
}

static int
find_header (SdServerRequest *req, const char *name, guint from)
{
  for (guint i = from; i + 1 < req->reply_headers->len; i += 2)
    if (g_ascii_strcasecmp (req->reply_headers->pdata[i], name) == 0)
      return (int) i;
  return -1;
}

void
sd_reply_add_header (SdServerRequest *req, const char *name, const char *value)
{
  g_ptr_array_add (req->reply_headers, g_strdup (name));
  g_ptr_array_add (req->reply_headers, g_strdup (value));
}

void
sd_reply_set_header (SdServerRequest *req, const char *name, const char *value)
{
  int i;

  while ((i = find_header (req, name, 0)) >= 0)
    g_ptr_array_remove_range (req->reply_headers, (guint) i, 2);
  sd_reply_add_header (req, name, value);
}

const char *
sd_reply_get_header (SdServerRequest *req, const char *name)
{
  int i = find_header (req, name, 0);
  return i >= 0 ? req->reply_headers->pdata[i + 1] : NULL;
}

void
sd_reply_error_data (SdServerRequest *req, guint status, const char *message, JsonNode *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *body;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, SD_ENVELOPE_ERROR);
  if (message)
    json_builder_add_string_value (b, message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, SD_ENVELOPE_DATA);
  if (data)
    json_builder_add_value (b, data);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, &len);
  take_reply (req, status, "application/json; charset=utf-8", g_bytes_new_take (body, len));
}

void
sd_reply_json_text (SdServerRequest *req, guint status, const char *data, gsize len)
{
  GString *body = g_string_sized_new (len + 32);
  gsize size;

  g_string_append (body, "{\"" SD_ENVELOPE_ERROR "\":null,\"" SD_ENVELOPE_DATA "\":");
  g_string_append_len (body, data, (gssize) len);
  g_string_append_c (body, '}');
  size = body->len;
  take_reply (req, status, "application/json; charset=utf-8",
              g_bytes_new_take (g_string_free (body, FALSE), size));
}

void
sd_reply (SdServerRequest *req, guint status, JsonNode *data)
{
  sd_reply_error_data (req, status, NULL, data);
}

void
sd_reply_error (SdServerRequest *req, guint status, const char *message)
{
  sd_reply_error_data (req, status, message, NULL);
}

void
sd_reply_internal (SdServerRequest *req, const GError *error)
{
  g_warning ("%s %s: %s", req->method, req->path,
             error ? error->message : "unknown error");
  /* A lock held past its timeout (another writer, or on PostgreSQL
   * another node): nothing was done, and the same request soon will. */
  if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_BUSY))
    {
      sd_reply_set_header (req, "Retry-After", "1");
      sd_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "The shop is busy; try again in a moment.");
      return;
    }
  sd_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "The server failed; try again later.");
}

void
sd_reply_no_content (SdServerRequest *req)
{
  sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
}

/* ---- request helpers ------------------------------------------------ */

const char *
sd_request_header (SdServerRequest *req, const char *name)
{
  return req->lookup_header ? req->lookup_header (req->http, name) : NULL;
}

const char *
sd_request_client (SdServerRequest *req)
{
  return req->client ? req->client : "";
}

char *
sd_request_content_type (SdServerRequest *req, GHashTable **out_params)
{
  const char *value = sd_request_header (req, "Content-Type");
  const char *semi;
  g_autofree char *type = NULL;

  if (out_params)
    *out_params = NULL;
  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  type = g_strstrip (g_ascii_strdown (value, semi ? semi - value : -1));
  if (*type == '\0')
    return NULL;
  if (out_params && semi)
    *out_params = soup_header_parse_semi_param_list (semi + 1);
  return g_steal_pointer (&type);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
sd_request_cache_key (SdServerRequest *req)
{
  GString *key = g_string_new (req->path);
  g_autofree gpointer *names = NULL;
  guint n = 0;

  /* The query's pairs in one order, whatever order they came in. */
  if (req->query)
    names = g_hash_table_get_keys_as_array (req->query, &n);
  if (n)
    qsort (names, n, sizeof *names, compare_strings);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (key, "%c%s=%s", i ? '&' : '?', (char *) names[i],
                            (char *) g_hash_table_lookup (req->query, names[i]));
  return g_string_free (key, FALSE);
}

const char *
sd_request_query (SdServerRequest *req, const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

JsonObject *
sd_body_object (SdServerRequest *req)
{
  return req->body && JSON_NODE_HOLDS_OBJECT (req->body) ? json_node_get_object (req->body) : NULL;
}

gboolean
sd_body_has (SdServerRequest *req, const char *member)
{
  JsonObject *o = sd_body_object (req);
  return o != NULL && json_object_has_member (o, member);
}

const char *
sd_body_string (SdServerRequest *req, const char *member, gboolean *bad)
{
  JsonObject *o = sd_body_object (req);
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  if (!*bad)
    {
      g_autofree char *m = g_strdup_printf ("%s must be text.", member);
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
    }
  *bad = TRUE;
  return NULL;
}

gboolean
sd_json_integer (JsonObject *object, const char *member, gint64 *out_value)
{
  JsonNode *n = object ? json_object_get_member (object, member) : NULL;
  GType type;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  type = json_node_get_value_type (n);
  if (type == G_TYPE_INT64)
    *out_value = json_node_get_int (n);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (n);
      /* The range first: casting 1e300 to an integer is undefined. */
      if (!(d >= -1e15 && d <= 1e15) || d != (double) (gint64) d)
        return FALSE;
      *out_value = (gint64) d;
    }
  else if (type == G_TYPE_STRING)
    return g_ascii_string_to_signed (json_node_get_string (n), 10, -1000000000000000LL,
                                     1000000000000000LL, out_value, NULL);
  else
    return FALSE;
  return TRUE;
}

/* Does the Host header name url's host and port? */
static gboolean
host_names (const char *host, const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *name = NULL;
  const char *uri_host, *colon, *end;
  gint64 port = -1, uri_port;

  if (uri == NULL || (uri_host = g_uri_get_host (uri)) == NULL)
    return FALSE;
  uri_port = g_uri_get_port (uri);
  if (uri_port < 0)
    uri_port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  /* "name", "name:port", "[v6]", "[v6]:port" */
  end = host[0] == '[' ? strchr (host, ']') : NULL;
  colon = strrchr (end ? end : host, ':');
  if (host[0] == '[' && end == NULL)
    return FALSE;
  name = host[0] == '[' ? g_strndup (host + 1, end - host - 1)
                        : g_strndup (host, colon ? (gsize) (colon - host) : strlen (host));
  if (colon && !g_ascii_string_to_signed (colon + 1, 10, 0, 65535, &port, NULL))
    return FALSE;
  if (port < 0)
    port = uri_port;
  return g_ascii_strcasecmp (name, uri_host) == 0 && port == uri_port;
}

/* Never from an unlisted Host: the product pages are cached by path and
 * query alone, and a Host of evil.example must not become every client's
 * picture address (nor a signed upload URL). */
char *
sd_request_origin (SdServerRequest *req)
{
  g_autoptr(GPtrArray) bases = sd_server_context_own_bases (req->context);
  const char *host = sd_request_header (req, "Host");

  for (guint i = 0; host && i < bases->len; i++)
    if (host_names (host, bases->pdata[i]))
      return g_strdup (bases->pdata[i]);
  return g_strdup (bases->len ? bases->pdata[0] : "http://localhost");
}

char *
sd_request_store_image (SdServerRequest *req, char *image)
{
  g_autoptr(GPtrArray) bases = NULL;

  if (image == NULL || sd_request_config (req)->no_extensions)
    return image;
  bases = sd_server_context_own_bases (req->context);
  for (guint i = 0; i < bases->len; i++)
    {
      const char *b = bases->pdata[i];
      size_t len = strlen (b);

      if (g_ascii_strncasecmp (image, b, len) == 0 && image[len] == '/' && image[len + 1] != '\0')
        {
          char *path = g_strdup (image + len + 1);
          g_free (image);
          return path;
        }
    }
  return image;
}

/* The end of the JSON string whose opening quote is at p (the closing
 * quote), or NULL. */
static const char *
json_string_end (const char *p, const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p;
    }
  return NULL;
}

/* Pictures [ext]: the store keeps paths ("uploads/…"); every "image" of a
 * reply (products, the lines of orders) goes out absolute, on this
 * request's own base URL, as the original web front end needs. The
 * reply's body is replaced, never changed: a cached page keeps its
 * paths, and each request gets its own URLs. Profile pictures
 * ("profileImage", "imageUrl") stay paths, as API.md has them. */
void
sd_reply_absolute_images (SdServerRequest *req)
{
  static const char key[] = "\"image\"";
  g_autofree char *origin = NULL;
  const char *data, *end, *p, *copied;
  GString *out = NULL;
  gsize len, size;

  if (req->reply_body == NULL || req->reply_type == NULL ||
      !g_str_has_prefix (req->reply_type, "application/json"))
    return;
  data = g_bytes_get_data (req->reply_body, &len);
  if (data == NULL || memmem (data, len, key, sizeof key - 1) == NULL)
    return;
  end = data + len;
  copied = data;
  for (p = data; p < end; p++)
    {
      const char *close, *v, *v_end;

      if (*p != '"')
        continue;
      close = json_string_end (p, end);
      if (close == NULL)
        break;
      v = close + 1;
      while (v < end && g_ascii_isspace (*v))
        v++;
      if (close - p + 1 == sizeof key - 1 && memcmp (p, key, sizeof key - 1) == 0 && v < end && *v == ':')
        {
          for (v++; v < end && g_ascii_isspace (*v); v++)
            ;
          if (v < end && *v == '"' && (v_end = json_string_end (v, end)) != NULL)
            {
              g_autofree char *value = g_strndup (v + 1, v_end - v - 1);

              if (*value != '\0' && g_uri_peek_scheme (value) == NULL && !g_str_has_prefix (value, "//"))
                {
                  if (out == NULL)
                    {
                      out = g_string_sized_new (len + 1024);
                      origin = sd_request_origin (req);
                    }
                  g_string_append_len (out, copied, v + 1 - copied);
                  g_string_append (out, origin);
                  if (*value != '/')
                    g_string_append_c (out, '/');
                  copied = v + 1;
                }
              close = v_end;
            }
        }
      p = close;
    }
  if (out == NULL)
    return;
  g_string_append_len (out, copied, end - copied);
  size = out->len;
  g_bytes_unref (req->reply_body);
  req->reply_body = g_bytes_new_take (g_string_free (out, FALSE), size);
}
