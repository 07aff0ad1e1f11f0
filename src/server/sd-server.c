/* sd-server.c — storedesk-server's front, one SdServer per worker: it
 * holds the mode's route tables and dispatches each request to its route
 * (body limits, access, CORS, the JSON body), listens, and drains on
 * shutdown. The HTTP layer (sd-server-http.c) calls it back only through
 * the SdServerHttpHandler it is given.
 *
 * The arrows of src/server point one way, down: a file calls only files
 * on the levels below its own, or the sibling an arrow names:
 *
 *   main.c
 *     │
 *   sd-server.c ──────────────────────────▶ sd-server-http.c
 *     │  route tables (sd-server-routes.h)
 *     ▼
 *   routes    sd-server-auth.c ──▶ -auth-signup.c, -auth-account.c
 *             sd-server-orders.c ──▶ -orders-checkout.c
 *             sd-server-catalog.c, sd-server-uploads.c
 *             sd-server-original*.c (--no-extensions; list our auth
 *               and upload tables)
 *     │
 *     ▼
 *   helpers   sd-server-session.c ──▶ sd-server-tokens.c
 *             sd-server-guard.c ──▶ sd-server-mail.c
 *             sd-server-checks.c, -order-read.c, -order-link.c,
 *             -paging.c
 *             sd-server-request.c (SdServerRequest: the request and its
 *               reply; what every route and helper works on)
 *     │
 *     ▼
 *   shop      sd-server-context.c (store, config, data dir, base URLs,
 *               page cache; req->context) ──▶ sd-server-secrets.c
 *     │
 *     ▼
 *   store     sd-server-store*.c (SdServerStore) ──▶ sd-server-db.c
 *
 * Routes of both modes reach the shop only through req->context. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sd-json-guard.h"
#include "sd-server-activity.h"
#include "sd-server-http.h"
#include "sd-server-private.h"
#include "sd-server-routes.h"
#include "sd-server-session.h"
#include "sd-server-tokens.h"

#define JSON_BODY_LIMIT      (1024 * 1024)
#define MULTIPART_OVERHEAD   (64 * 1024)
#define SMALL_BODY_LIMIT     (64 * 1024)
#define DRAIN_TIMEOUT_MS     5000
#define LISTEN_BACKLOG       1024

struct _SdServer
{
  GObject               parent_instance;
  SdServerContext      *context;        /* what the routes reach */
  const SdServerConfig *config;         /* the context's */
  SdServerGate         *gate;
  SdServerHttp         *http;
  GPtrArray            *routes;         /* const SdRoute * */
  const SdServerMode   *mode;
  GMainContext         *main_context;   /* where this server's sources run */
  gboolean              draining;
  GSourceFunc           drained;
  gpointer              drained_data;
  guint                 drain_timeout;
  gint64                drain_deadline;
};

G_DEFINE_FINAL_TYPE (SdServer, sd_server, G_TYPE_OBJECT)

void
sd_server_prepare (SdServer *self)
{
  sd_server_context_prepare (self->context);
}

/* ---- routing -------------------------------------------------------- */

static void
health_route (SdServerRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  static const char * const features[] = {
    SD_FEATURE_PAGING, SD_FEATURE_SEARCH, SD_FEATURE_SORT, "uploads", "idempotency",
    "stock", "receiver", "guest-key", "reset-password", "refresh-rotation",
    "sessions", SD_FEATURE_CANCELLED, SD_FEATURE_ORDER_NUMBER, "conditional", "summary",
    SD_FEATURE_ACTIVITY,
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "shopId");
  json_builder_add_string_value (b, sd_server_context_get_shop_id (req->context));
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

static const SdRoute * const our_tables[] = {
  core_routes, sd_server_auth_routes, sd_server_catalog_routes, sd_server_order_routes,
  sd_server_upload_routes, sd_server_summary_routes, sd_server_activity_routes, NULL
};

static const SdServerMode our_mode = { our_tables, NULL, NULL };

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
  return self->config->upload_limit + MULTIPART_OVERHEAD;
}

/* ---- what the HTTP layer asks (SdServerHttpHandler) ------------------- */

static void
handle_init (gpointer data, SdServerRequest *req)
{
  SdServer *self = data;

  sd_server_request_init (req, self->context);
  req->server = self;
}

static gsize
handle_body_limit (gpointer data, const char *method, const char *path)
{
  SdServer *self = data;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);

  return body_limit (self, find_route (self, method, path, params, NULL));
}

static void
handle_refuse (gpointer data, SdServerRequest *req, guint status)
{
  SdServer *self = data;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  const SdRoute *route = find_route (self, req->method, req->path, params, NULL);

  sd_reply_set_header (req, "Connection", "close");
  if (status == SOUP_STATUS_LENGTH_REQUIRED)
    sd_reply_error (req, status, "Send a Content-Length; chunked bodies are not accepted.");
  else if (route && route->refuse)
    route->refuse (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  else
    sd_reply_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The request body is too large.");
}

static gboolean
apply_cors (SdServerRequest *req)
{
  SdServer *self = req->server;
  const char *origin = sd_request_header (req, "Origin");

  if (origin == NULL || self->config->cors_origins == NULL ||
      !g_strv_contains ((const char * const *) self->config->cors_origins, origin))
    return FALSE;
  sd_reply_set_header (req, "Access-Control-Allow-Origin", origin);
  sd_reply_set_header (req, "Access-Control-Allow-Credentials", "true");
  /* What a page may read of a reply: the version of a record (for its
   * If-Match, [ext] "conditional"), the count of a paged list, and when
   * to come back. */
  sd_reply_set_header (req, "Access-Control-Expose-Headers", "ETag, X-Total-Count, Retry-After");
  sd_reply_add_header (req, "Vary", "Origin");
  return TRUE;
}

static gboolean
parse_json_body (SdServerRequest *req)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  gsize len;
  const char *data;

  data = g_bytes_get_data (req->raw_body, &len);
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
  type = sd_request_content_type (req, NULL);
  if (type != NULL && g_ascii_strcasecmp (type, "application/json") != 0)
    {
      sd_reply_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
      return FALSE;
    }
  /* json-glib 1.6 recurses per level without a limit: 75,000 "[" would
   * overflow the stack and take the whole shop down. And it leaks on
   * bodies of several values and on some malformed \u escapes (see
   * sd_json_scan): 1 MB of "{}{}…" would cost 150 MB a request. */
  switch (sd_json_scan (data, len, SD_JSON_MAX_DEPTH))
    {
    case SD_JSON_SCAN_OK:
      break;
    case SD_JSON_SCAN_TOO_DEEP:
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The body is nested too deeply.");
      return FALSE;
    case SD_JSON_SCAN_TRAILING:
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object.");
      return FALSE;
    case SD_JSON_SCAN_BAD_ESCAPE:
    default:
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The body is not valid JSON: a \\u escape is malformed.");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error))
    {
      g_autofree char *m = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
      return FALSE;
    }
  /* Blanks alone load as no value (a NULL root). */
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
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
authorize (SdServerRequest *req, SdAccess access)
{
  const char *header = sd_request_header (req, "Authorization");
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
  if (!sd_server_tokens_check_access (req->context, token, &req->user_id, &req->is_admin))
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

/* Routes a request whose headers and body are in: the reply is in req
 * when it returns. */
static void
handle_dispatch (gpointer data, SdServerRequest *req)
{
  SdServer *self = data;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) allow = g_string_new (NULL);
  const SdRoute *route;
  gboolean cors;

  if (req->raw_body == NULL)
    req->raw_body = g_bytes_new (NULL, 0);
  if (self->mode->front && self->mode->front (req))
    return;
  cors = !self->mode->front && apply_cors (req);
  if (strcmp (req->method, "OPTIONS") == 0)
    {
      find_route (self, "OPTIONS", req->path, params, allow);
      if (allow->len == 0)
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such route.");
      if (cors)
        {
          sd_reply_set_header (req, "Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
          sd_reply_set_header (req, "Access-Control-Allow-Headers",
                               "Content-Type, Authorization, X-Requested-With, Idempotency-Key, If-Match, "
                               SD_HEADER_ORIGIN);
          sd_reply_set_header (req, "Access-Control-Max-Age", "600");
        }
      sd_reply_set_header (req, "Allow", allow->str);
      return sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
    }

  route = find_route (self, req->method, req->path, params, allow);
  if (route == NULL && self->mode->not_found)
    return self->mode->not_found (req);
  if (route == NULL)
    {
      if (allow->len)
        {
          sd_reply_set_header (req, "Allow", allow->str);
          return sd_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "This method is not allowed here.");
        }
      return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such route.");
    }
  if (g_bytes_get_size (req->raw_body) > body_limit (self, route))
    return handle_refuse (self, req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_ptr_array_add (params, NULL);
  req->params = (char **) params->pdata;

  if (authorize (req, route->access) &&
      (route->body != SD_BODY_JSON || parse_json_body (req)))
    {
      sd_server_activity_begin_request (req);
      route->func (req);
      sd_server_activity_end_request (req);
    }
  req->params = NULL;
  if (!self->config->no_extensions)
    sd_reply_absolute_images (req);
}

static const SdServerHttpHandler http_handler = {
  handle_init, handle_body_limit, handle_refuse, handle_dispatch,
};

/* ---- object --------------------------------------------------------- */

static void
stop_drain_timer (SdServer *self)
{
  if (self->drain_timeout)
    {
      GSource *timeout = g_main_context_find_source_by_id (self->main_context, self->drain_timeout);
      if (timeout)
        g_source_destroy (timeout);
      self->drain_timeout = 0;
    }
}

static void
sd_server_dispose (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  sd_server_shutdown (self);
  stop_drain_timer (self);
  g_clear_pointer (&self->gate, sd_server_gate_unref);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (sd_server_parent_class)->dispose (object);
}

static void
sd_server_finalize (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  g_clear_pointer (&self->main_context, g_main_context_unref);
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
  self->routes = g_ptr_array_new ();
}

static void
add_routes (SdServer *self, const SdRoute *routes)
{
  for (const SdRoute *r = routes; r->method; r++)
    g_ptr_array_add (self->routes, (gpointer) r);
}

/* The configuration the options ask for, with the documented defaults. */
static void
read_options (SdServerConfig *config, const SdServerOptions *options, gboolean defaults)
{
  g_autoptr(GStrvBuilder) urls = g_strv_builder_new ();

  config->access_ttl = options->access_ttl ? options->access_ttl : 600;
  config->refresh_ttl = options->refresh_ttl ? options->refresh_ttl : 21600;
  config->rotate_refresh = !options->no_rotate;
  config->delivery_fee = options->delivery_fee >= 0 && !defaults ? options->delivery_fee : 3000;
  config->upload_limit = options->upload_limit ? options->upload_limit : 1024 * 1024;
  config->cors_origins = g_strdupv ((char **) options->cors_origins);
  config->smtp_url = g_strdup (options->smtp_url);
  config->mail_from = g_strdup (options->mail_from ? options->mail_from : "storedesk@localhost");
  for (const char * const *u = options->public_urls; u && *u; u++)
    {
      g_autofree char *url = g_strdup (*u);
      size_t len = strlen (url);

      while (len > 0 && url[len - 1] == '/')
        url[--len] = '\0';
      g_strv_builder_add (urls, url);
    }
  config->public_urls = g_strv_builder_end (urls);
  if (config->public_urls[0] == NULL)
    g_clear_pointer (&config->public_urls, g_strfreev);
  config->order_links = options->order_links;
  config->no_extensions = options->no_extensions;
}

SdServer *
sd_server_new (SdServerStore *store, const char *data_dir, const SdServerOptions *options)
{
  SdServer *self = g_object_new (SD_TYPE_SERVER, NULL);
  const SdServerOptions defaults = { 0 };
  SdServerConfig config = { 0 };

  if (options == NULL)
    options = &defaults;
  read_options (&config, options, options == &defaults);
  config.blobs = options->blobs ? sd_server_blobs_ref (options->blobs)
                                : sd_server_blobs_new (NULL, NULL, data_dir, NULL);
  self->context = sd_server_context_new (store, data_dir, &config);
  self->config = sd_server_context_get_config (self->context);
  if (options->gate)
    self->gate = sd_server_gate_ref (options->gate);
  else
    {
      const SdServerGateOptions gate_defaults = { .workers = 1 };
      g_autoptr(GError) error = NULL;

      self->gate = sd_server_gate_new (&gate_defaults, &error);
      if (self->gate == NULL)
        g_error ("%s", error->message);
    }

  /* The original's routes are a test double for clients (main.c --help). */
  self->mode = options->no_extensions ? &sd_server_original_mode : &our_mode;
  for (const SdRoute * const *t = self->mode->tables; *t; t++)
    add_routes (self, *t);
  self->main_context = g_main_context_ref_thread_default ();
  return self;
}

gboolean
sd_server_listen (SdServer *self, const char *host, guint port, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) sa = NULL;
  g_autoptr(GSocket) socket = NULL;
  int fd;

  g_return_val_if_fail (self->http == NULL, FALSE);
  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return FALSE;
    }
  sa = g_inet_socket_address_new (addr, port);
  socket = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  /* Workers listen on the same port, each on its own socket; the kernel
   * spreads the connections between them. */
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
  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, error);
    g_autofree char *host_s = NULL;
    g_autofree char *url = NULL;
    GInetSocketAddress *inet;

    if (local == NULL)
      return FALSE;
    inet = G_INET_SOCKET_ADDRESS (local);
    host_s = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
    if (g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
      url = g_strdup_printf ("http://[%s]:%u", host_s, g_inet_socket_address_get_port (inet));
    else
      url = g_strdup_printf ("http://%s:%u", host_s, g_inet_socket_address_get_port (inet));
    sd_server_context_set_url (self->context, url);
  }
  /* The HTTP layer takes the descriptor. */
  fd = dup (g_socket_get_fd (socket));
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }
  self->http = sd_server_http_start (&http_handler, self, self->gate, fd, error);
  if (self->http == NULL)
    {
      close (fd);
      return FALSE;
    }
  return TRUE;
}

char *
sd_server_get_url (SdServer *self)
{
  return g_strdup (sd_server_context_get_url (self->context));
}

static void
maybe_drained (SdServer *self)
{
  GSourceFunc done = self->drained;

  if (!self->draining || done == NULL || (self->http && sd_server_http_in_flight (self->http) > 0))
    return;
  self->drained = NULL;
  stop_drain_timer (self);
  done (self->drained_data);
}

static gboolean
drain_poll_cb (gpointer user_data)
{
  SdServer *self = user_data;

  if (g_get_monotonic_time () >= self->drain_deadline)
    {
      g_warning ("%u requests still open after %d ms; stopping anyway",
                 self->http ? sd_server_http_in_flight (self->http) : 0, DRAIN_TIMEOUT_MS);
      self->drain_timeout = 0;
      {
        GSourceFunc done = self->drained;
        self->drained = NULL;
        if (done)
          done (self->drained_data);
      }
      return G_SOURCE_REMOVE;
    }
  if (self->http && sd_server_http_in_flight (self->http) > 0)
    return G_SOURCE_CONTINUE;
  self->drain_timeout = 0;
  maybe_drained (self);
  return G_SOURCE_REMOVE;
}

void
sd_server_drain (SdServer *self, GSourceFunc done, gpointer user_data)
{
  /* No new connections; those open finish what they started. */
  if (self->http)
    sd_server_http_quiesce (self->http);
  self->draining = TRUE;
  self->drained = done;
  self->drained_data = user_data;
  self->drain_deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_MS * 1000;
  {
    /* The requests run on the HTTP layer's threads: look every 20 ms. */
    GSource *poll = g_timeout_source_new (20);

    g_source_set_callback (poll, drain_poll_cb, self, NULL);
    self->drain_timeout = g_source_attach (poll, self->main_context);
    g_source_unref (poll);
  }
}

void
sd_server_shutdown (SdServer *self)
{
  g_clear_pointer (&self->http, sd_server_http_stop);
}
