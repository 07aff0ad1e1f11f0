/* sd-server.c — the HTTP front of storedesk-server: one handler that
 * routes by method and path pattern, enforces body limits and access,
 * answers CORS, logs one line per request and drains on shutdown. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sd-server-private.h"

#define JSON_BODY_LIMIT      (1024 * 1024)
#define MULTIPART_OVERHEAD   (64 * 1024)
#define SMALL_BODY_LIMIT     (64 * 1024)
#define DRAIN_TIMEOUT_MS     5000
#define LISTEN_BACKLOG       1024

struct _SdServer
{
  GObject         parent_instance;
  SdServerDb     *db;
  char           *data_dir;
  SdServerConfig  config;
  SoupServer     *soup;
  GHashTable     *secrets;      /* name → GBytes */
  GHashTable     *page_cache;   /* see SdCachedReply */
  gint64          page_stamp;
  GPtrArray      *routes;       /* const SdRoute * */
  GMainContext   *context;      /* where this server's sources run */
  guint           in_flight;
  gboolean        draining;
  GSourceFunc     drained;
  gpointer        drained_data;
  guint           drain_timeout;
};

G_DEFINE_TYPE (SdServer, sd_server, G_TYPE_OBJECT)

/* ---- replies -------------------------------------------------------- */

void
sd_reply_error_data (SdRequest *req, guint status, const char *message, JsonNode *data)
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

  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, body, len);
}

void
sd_reply_json_text (SdRequest *req, guint status, const char *data, gsize len)
{
  GString *body = g_string_sized_new (len + 32);
  gsize size;

  g_string_append (body, "{\"" SD_ENVELOPE_ERROR "\":null,\"" SD_ENVELOPE_DATA "\":");
  g_string_append_len (body, data, (gssize) len);
  g_string_append_c (body, '}');
  size = body->len;
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_string_free (body, FALSE), size);
}

void
sd_reply (SdRequest *req, guint status, JsonNode *data)
{
  sd_reply_error_data (req, status, NULL, data);
}

void
sd_reply_error (SdRequest *req, guint status, const char *message)
{
  sd_reply_error_data (req, status, message, NULL);
}

void
sd_reply_internal (SdRequest *req, const GError *error)
{
  g_warning ("%s %s: %s", req->method, g_uri_get_path (soup_server_message_get_uri (req->msg)),
             error ? error->message : "unknown error");
  sd_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "The server failed; try again later.");
}

void
sd_reply_no_content (SdRequest *req)
{
  soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ---- request helpers ------------------------------------------------ */

const char *
sd_request_query (SdRequest *req, const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

JsonObject *
sd_body_object (SdRequest *req)
{
  return req->body && JSON_NODE_HOLDS_OBJECT (req->body) ? json_node_get_object (req->body) : NULL;
}

gboolean
sd_body_has (SdRequest *req, const char *member)
{
  JsonObject *o = sd_body_object (req);
  return o != NULL && json_object_has_member (o, member);
}

const char *
sd_body_string (SdRequest *req, const char *member, gboolean *bad)
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
      if (d != (double) (gint64) d || d > 1e15 || d < -1e15)
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

char *
sd_request_origin (SdRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "Host");

  if (req->server->config.public_url)
    return g_strdup (req->server->config.public_url);
  if (host != NULL)
    return g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), host);
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
}

/* ---- secrets -------------------------------------------------------- */

char *
sd_random_hex (gsize n_bytes)
{
  g_autofree guint8 *raw = g_malloc (n_bytes);
  GString *s = g_string_sized_new (n_bytes * 2);

  if (getrandom (raw, n_bytes, 0) != (gssize) n_bytes)
    g_error ("no randomness from the kernel");
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (s, "%02x", raw[i]);
  return g_string_free (s, FALSE);
}

GBytes *
sd_server_get_secret (SdServer *self, const char *name)
{
  GBytes *secret = g_hash_table_lookup (self->secrets, name);
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  if (secret != NULL)
    return secret;
  key = g_strconcat ("secret:", name, NULL);
  if (!sd_server_db_get_meta (self->db, key, &value, &error))
    g_error ("reading a secret: %s", error->message);
  if (value == NULL)
    {
      value = sd_random_hex (32);
      if (!sd_server_db_set_meta (self->db, key, value, &error))
        g_error ("storing a secret: %s", error->message);
    }
  secret = g_bytes_new (value, strlen (value));
  g_hash_table_insert (self->secrets, g_strdup (name), secret);
  return secret;
}

char *
sd_server_hmac (SdServer *self, const char *secret_name, const char *text)
{
  GBytes *key = sd_server_get_secret (self, secret_name);
  gsize len;
  const guchar *k = g_bytes_get_data (key, &len);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, k, len, text, -1);
}

gboolean
sd_str_equal_secret (const char *a, const char *b)
{
  size_t la, lb;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return FALSE;
  for (size_t i = 0; i < la; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

void
sd_server_prepare (SdServer *self)
{
  static const char * const names[] = {
    SD_SECRET_ACCESS, SD_SECRET_REFRESH, SD_SECRET_CODES, SD_SECRET_ORDER_KEYS,
    SD_SECRET_GUEST_KEYS, SD_SECRET_UPLOADS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    sd_server_get_secret (self, names[i]);
}

const SdServerConfig *
sd_server_get_config (SdServer *self)
{
  return &self->config;
}

SdServerDb *
sd_server_get_db (SdServer *self)
{
  return self->db;
}

static void
cached_reply_free (gpointer p)
{
  SdCachedReply *c = p;

  g_bytes_unref (c->body);
  g_free (c->total);
  g_free (c->link);
  g_free (c);
}

#define PAGE_CACHE_MAX 512

GHashTable *
sd_server_get_page_cache (SdServer *self)
{
  gint64 stamp = sd_server_db_change_stamp (self->db);

  /* Any write empties it (orders change stock too); so does size. */
  if (stamp != self->page_stamp || g_hash_table_size (self->page_cache) >= PAGE_CACHE_MAX)
    {
      g_hash_table_remove_all (self->page_cache);
      self->page_stamp = stamp;
    }
  return self->page_cache;
}

const char *
sd_server_get_data_dir (SdServer *self)
{
  return self->data_dir;
}

/* ---- routing -------------------------------------------------------- */

static void
health_route (SdRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  static const char * const features[] = {
    SD_FEATURE_PAGING, SD_FEATURE_SEARCH, SD_FEATURE_SORT, "uploads", "idempotency",
    "stock", "receiver", "guest-key", "reset-password", "refresh-rotation",
  };

  if (req->server->config.no_extensions)
    {
      /* The original's own shape: no envelope, no features. */
      static const char original[] = "{\"status\":\"OK :)\"}";
      soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (req->msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, original, strlen (original));
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    json_builder_add_string_value (b, features[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  sd_reply (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static const SdRoute core_routes[] = {
  { "GET", SD_HEALTH_PATH, SD_ACCESS_PUBLIC, SD_BODY_NONE, health_route },
  { NULL }
};

/* Does pattern match path? Collects the :params when it does. */
static gboolean
match_pattern (const char *pattern, const char *path, GPtrArray *params)
{
  const char *p = pattern, *s = path;

  g_ptr_array_set_size (params, 0);
  while (*p && *s)
    {
      if (*p == ':')
        {
          const char *end = strchr (s, '/');
          size_t len = end ? (size_t) (end - s) : strlen (s);

          if (len == 0)
            return FALSE;
          g_ptr_array_add (params, g_strndup (s, len));
          s += len;
          while (*p && *p != '/')
            p++;
          continue;
        }
      if (*p != *s)
        return FALSE;
      p++;
      s++;
    }
  if (*s == '/' && s[1] == '\0')   /* tolerate a trailing slash */
    s++;
  return *p == '\0' && *s == '\0';
}

/* The route for method + path; else NULL, with allow set when the path
 * exists under other methods. */
static const SdRoute *
find_route (SdServer *self, const char *method, const char *path, GPtrArray *params, GString *allow)
{
  const SdRoute *found = NULL;

  if (strcmp (method, "HEAD") == 0)
    method = "GET";
  for (guint i = 0; i < self->routes->len; i++)
    {
      const SdRoute *r = self->routes->pdata[i];

      if (!match_pattern (r->pattern, path, params))
        continue;
      if (strcmp (r->method, method) == 0)
        {
          found = r;
          break;
        }
      if (allow && !strstr (allow->str, r->method))
        g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", r->method);
    }
  if (found)
    match_pattern (found->pattern, path, params);
  else
    g_ptr_array_set_size (params, 0);
  return found;
}

static gsize
body_limit (SdServer *self, const SdRoute *route)
{
  if (route == NULL || route->body == SD_BODY_NONE)
    return SMALL_BODY_LIMIT;
  if (route->body == SD_BODY_JSON)
    return JSON_BODY_LIMIT;
  return self->config.upload_limit + MULTIPART_OVERHEAD;
}

/* Before the body is read: refuse what is too large (413) or of unknown
 * length (411), so nothing big is buffered for nothing. */
static void
early_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
          GHashTable *query, gpointer user_data)
{
  SdServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  SdRequest req = { .server = self, .msg = msg, .method = soup_server_message_get_method (msg) };
  goffset length = soup_message_headers_get_content_length (headers);
  const SdRoute *route;

  /* Most requests carry no body worth a look (and the route lookup). */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CHUNKED && length <= SMALL_BODY_LIMIT)
    return;
  route = find_route (self, soup_server_message_get_method (msg), path, params, NULL);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    sd_reply_error (&req, SOUP_STATUS_LENGTH_REQUIRED, "Send a Content-Length; chunked bodies are not accepted.");
  else if (length > 0 && (guint64) length > body_limit (self, route))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      if (route && g_str_equal (route->pattern, "/api/v1/auth/upload-profile-image"))
        sd_reply_profile_upload (&req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The picture is larger than 1 MB.", NULL);
      else
        sd_reply_error (&req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The request body is too large.");
    }
}

static gboolean
apply_cors (SdServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *origin = soup_message_headers_get_one (req, "Origin");

  if (origin == NULL || self->config.cors_origins == NULL ||
      !g_strv_contains ((const char * const *) self->config.cors_origins, origin))
    return FALSE;
  soup_message_headers_replace (resp, "Access-Control-Allow-Origin", origin);
  soup_message_headers_replace (resp, "Access-Control-Allow-Credentials", "true");
  soup_message_headers_append (resp, "Vary", "Origin");
  return TRUE;
}

static gboolean
parse_json_body (SdRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *type;
  gsize len;
  const char *data;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Send a JSON object as the body.");
      return FALSE;
    }
  if (len > JSON_BODY_LIMIT)
    {
      sd_reply_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The request body is too large.");
      return FALSE;
    }
  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (req->msg), NULL);
  if (type != NULL && g_ascii_strcasecmp (type, "application/json") != 0)
    {
      sd_reply_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error))
    {
      g_autofree char *m = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object.");
      return FALSE;
    }
  req->body = json_node_ref (json_parser_get_root (parser));
  return TRUE;
}

/* Resolves the Bearer token; FALSE (with the reply set) when the route
 * cannot go on. */
static gboolean
authorize (SdRequest *req, SdAccess access)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                     "Authorization");
  const char *token = NULL;

  if (header && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    token = header + 7;
  if (access == SD_ACCESS_PUBLIC)
    return TRUE;
  if (token == NULL || *token == '\0')
    {
      if (access == SD_ACCESS_OPTIONAL)
        return TRUE;
      sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Sign in first.");
      return FALSE;
    }
  if (!sd_server_auth_check_token (req->server, token, &req->user_id, &req->is_admin))
    {
      sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Your session has expired; sign in again.");
      return FALSE;
    }
  if (access == SD_ACCESS_ADMIN && !req->is_admin)
    {
      sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "Only shop staff may do this.");
      return FALSE;
    }
  return TRUE;
}

static void
handler_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
            GHashTable *query, gpointer user_data)
{
  SdServer *self = user_data;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) allow = g_string_new (NULL);
  SdRequest req = { .server = self, .msg = msg, .method = soup_server_message_get_method (msg),
                    .query = query };
  const SdRoute *route;
  gboolean cors;

  if (soup_server_message_get_status (msg) >= 400)
    return;   /* refused by early_cb */

  cors = apply_cors (self, msg);
  if (strcmp (req.method, "OPTIONS") == 0)
    {
      SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);

      find_route (self, "OPTIONS", path, params, allow);
      if (allow->len == 0)
        return sd_reply_error (&req, SOUP_STATUS_NOT_FOUND, "No such route.");
      if (cors)
        {
          soup_message_headers_replace (resp, "Access-Control-Allow-Methods",
                                        "GET, POST, PUT, PATCH, DELETE, OPTIONS");
          soup_message_headers_replace (resp, "Access-Control-Allow-Headers",
                                        "Content-Type, Authorization, X-Requested-With, Idempotency-Key");
          soup_message_headers_replace (resp, "Access-Control-Max-Age", "600");
        }
      soup_message_headers_replace (resp, "Allow", allow->str);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  route = find_route (self, req.method, path, params, allow);
  if (route == NULL)
    {
      if (allow->len)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
          return sd_reply_error (&req, SOUP_STATUS_METHOD_NOT_ALLOWED, "This method is not allowed here.");
        }
      return sd_reply_error (&req, SOUP_STATUS_NOT_FOUND, "No such route.");
    }
  g_ptr_array_add (params, NULL);
  req.params = (char **) params->pdata;

  if (authorize (&req, route->access) &&
      (route->body != SD_BODY_JSON || parse_json_body (&req)))
    route->func (&req);

  g_clear_pointer (&req.body, json_node_unref);
  g_free (req.user_id);
}

/* ---- logging: one line per request, path without the query ---------- */

/* A request counts as in flight from its headers: libsoup starts a
 * message for every idle keep-alive connection, which must not hold up
 * a drain. */
static void
got_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  SdServer *self = user_data;
  gint64 *t = g_new (gint64, 1);

  self->in_flight++;
  *t = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "sd-started", t, g_free);
}

static void
request_started_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data);
}

static void
maybe_drained (SdServer *self)
{
  GSourceFunc done = self->drained;

  if (!self->draining || self->in_flight > 0 || done == NULL)
    return;
  self->drained = NULL;
  if (self->drain_timeout)
    {
      GSource *timeout = g_main_context_find_source_by_id (self->context, self->drain_timeout);
      if (timeout)
        g_source_destroy (timeout);
      self->drain_timeout = 0;
    }
  done (self->drained_data);
}

static void
log_request (SdServer *self, SoupServerMessage *msg, gboolean aborted)
{
  gint64 *t = g_object_get_data (G_OBJECT (msg), "sd-started");
  GUri *uri = soup_server_message_get_uri (msg);

  char line[512];
  int len;

  if (t == NULL)
    return;   /* counted once: finished, or aborted */
  /* The access log: one line, one write; the path without its query
   * (where keys and codes could be), never a header or a body. */
  len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT " %s %.300s %s%u %.1fms\n",
                    g_get_real_time () / 1000, soup_server_message_get_method (msg),
                    uri ? g_uri_get_path (uri) : "?",
                    aborted ? "aborted by the client, not " : "", soup_server_message_get_status (msg),
                    (g_get_monotonic_time () - *t) / 1000.0);
  if (write (STDERR_FILENO, line, MIN ((size_t) len, sizeof line - 1)) < 0)
    { /* nowhere to complain to */ }
  g_object_set_data (G_OBJECT (msg), "sd-started", NULL);
  self->in_flight--;
  maybe_drained (self);
}

static void
request_finished_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  log_request (user_data, msg, FALSE);
}

static void
request_aborted_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  log_request (user_data, msg, TRUE);
}

/* ---- object --------------------------------------------------------- */

static void
sd_server_dispose (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  sd_server_shutdown (self);
  if (self->drain_timeout)
    {
      GSource *timeout = g_main_context_find_source_by_id (self->context, self->drain_timeout);
      if (timeout)
        g_source_destroy (timeout);
      self->drain_timeout = 0;
    }
  g_clear_object (&self->soup);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (sd_server_parent_class)->dispose (object);
}

static void
sd_server_finalize (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  g_free (self->data_dir);
  g_strfreev (self->config.cors_origins);
  g_free (self->config.smtp_url);
  g_free (self->config.mail_from);
  g_free (self->config.public_url);
  g_hash_table_unref (self->secrets);
  g_hash_table_unref (self->page_cache);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_ptr_array_unref (self->routes);
  G_OBJECT_CLASS (sd_server_parent_class)->finalize (object);
}

static void
sd_server_class_init (SdServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = sd_server_finalize;
}

static void
sd_server_init (SdServer *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->page_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_reply_free);
  self->routes = g_ptr_array_new ();
}

static void
add_routes (SdServer *self, const SdRoute *routes)
{
  for (const SdRoute *r = routes; r->method; r++)
    g_ptr_array_add (self->routes, (gpointer) r);
}

SdServer *
sd_server_new (SdServerDb *db, const char *data_dir, const SdServerOptions *options)
{
  SdServer *self = g_object_new (SD_TYPE_SERVER, NULL);
  const SdServerOptions defaults = { 0 };

  if (options == NULL)
    options = &defaults;
  self->db = g_object_ref (db);
  self->data_dir = g_strdup (data_dir);
  self->config.access_ttl = options->access_ttl ? options->access_ttl : 600;
  self->config.refresh_ttl = options->refresh_ttl ? options->refresh_ttl : 21600;
  self->config.rotate_refresh = !options->no_rotate;
  self->config.delivery_fee = options->delivery_fee >= 0 && options != &defaults ? options->delivery_fee : 3000;
  self->config.upload_limit = options->upload_limit ? options->upload_limit : 1024 * 1024;
  self->config.cors_origins = g_strdupv ((char **) options->cors_origins);
  self->config.smtp_url = g_strdup (options->smtp_url);
  self->config.mail_from = g_strdup (options->mail_from ? options->mail_from : "storedesk@localhost");
  self->config.public_url = g_strdup (options->public_url);
  self->config.no_extensions = options->no_extensions;

  add_routes (self, core_routes);
  add_routes (self, sd_server_auth_routes);
  add_routes (self, sd_server_catalog_routes);
  add_routes (self, sd_server_order_routes);
  add_routes (self, sd_server_upload_routes);

  self->soup = soup_server_new ("server-header", "storedesk-server/" PACKAGE_VERSION, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

gboolean
sd_server_listen (SdServer *self, const char *host, guint port, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GSocket) socket = NULL;

  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return FALSE;
    }
  sa = g_inet_socket_address_new (addr, port);
  /* GIO's default backlog of 10 resets connections in a burst (seen
   * with 50 simultaneous checkouts); listen on our own socket instead. */
  socket = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  /* Workers in other threads listen on the same port; the kernel spreads
   * the connections between them. */
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error))
    return FALSE;
  /* Not g_socket_bind(): it turns SO_REUSEPORT off again for unicast. */
  {
    struct sockaddr_storage native;
    gsize len = g_socket_address_get_native_size (sa);

    if (!g_socket_address_to_native (sa, &native, sizeof native, error))
      return FALSE;
    if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) len) != 0)
      {
        int saved = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "cannot bind: %s", g_strerror (saved));
        return FALSE;
      }
  }
  if (!g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (self->soup, socket, 0, error);
}

char *
sd_server_get_url (SdServer *self)
{
  GSList *listeners = soup_server_get_listeners (self->soup);
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;
  GInetAddress *addr;

  if (listeners == NULL)
    return NULL;
  local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (local == NULL)
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (local);
  addr = g_inet_socket_address_get_address (inet);
  host = g_inet_address_to_string (addr);
  if (g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u", host, g_inet_socket_address_get_port (inet));
  return g_strdup_printf ("http://%s:%u", host, g_inet_socket_address_get_port (inet));
}

static gboolean
drain_timeout_cb (gpointer user_data)
{
  SdServer *self = user_data;

  self->drain_timeout = 0;
  g_warning ("%u requests still open after %d ms; stopping anyway", self->in_flight, DRAIN_TIMEOUT_MS);
  self->in_flight = 0;
  maybe_drained (self);
  return G_SOURCE_REMOVE;
}

void
sd_server_drain (SdServer *self, GSourceFunc done, gpointer user_data)
{
  GSList *listeners = soup_server_get_listeners (self->soup);

  /* No new connections; those open finish what they started. */
  for (GSList *l = listeners; l; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);
  self->draining = TRUE;
  self->drained = done;
  self->drained_data = user_data;
  {
    /* On this server's own context: a worker thread's, not the default. */
    GSource *timeout = g_timeout_source_new (DRAIN_TIMEOUT_MS);

    g_source_set_callback (timeout, drain_timeout_cb, self, NULL);
    self->drain_timeout = g_source_attach (timeout, self->context);
    g_source_unref (timeout);
  }
  maybe_drained (self);
}

void
sd_server_shutdown (SdServer *self)
{
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
