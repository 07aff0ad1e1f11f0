/* sd-server-http.c — the HTTP layer of storedesk-server, on libmicrohttpd.
 *
 * It owns every socket and decides when a connection dies: on the peer's
 * EOF (libmicrohttpd sees it), after --idle-timeout without a request,
 * when request headers take longer than --header-timeout, and when a body
 * is not in within the idle timeout. Connections are counted across every
 * worker: beyond --max-connections a request gets 503, and beyond what the
 * descriptors allow a connection is not even accepted. A body larger than
 * its route's limit (413) or of unknown length (chunked, 411) is refused
 * from its headers, before a byte of it is read. Routes see only
 * SdServerRequest (sd-server-request.h). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sd-server-http.h"

/* ---- the gate: connections counted across workers ------------------ */

typedef struct {
  int      fd;
  gint64   deadline;   /* monotonic µs */
  gboolean body;       /* sending a body: not a connection to evict */
} Watch;

struct _SdServerGate
{
  gint        refs;
  gint        open;             /* connections now, every worker (atomic) */
  gint        ending;           /* of which ended by us, not yet closed (atomic) */
  guint       max_connections;  /* beyond: 503 */
  guint       hard_limit;       /* beyond: not accepted */
  guint       idle_timeout;     /* s */
  guint       header_timeout;   /* s */
  GPtrArray  *proxies;          /* GInetAddressMask */

  /* The watchdog: connections waiting for headers or a body, by deadline. */
  GMutex      lock;
  GCond       wake;
  GHashTable *watched;          /* MHD_Connection * → Watch * */
  GHashTable *ended;            /* MHD_Connection *: shut down, not yet closed */
  gboolean    stopping;
  GThread    *thread;
};

/* Ends the connection under iter (gate->lock held). It stays
 * libmicrohttpd's: it sees the socket end and closes it. It cannot have
 * been closed yet: it leaves these tables (under this lock) before its
 * socket is closed. */
static void
end_watched (SdServerGate *gate, gpointer connection, Watch *w)
{
  shutdown (w->fd, SHUT_RDWR);
  g_hash_table_add (gate->ended, connection);
  g_atomic_int_inc (&gate->ending);
}

/* Makes room: ends the connection nearest its deadline among those
 * waiting for request headers (new, slow or idle between requests). A
 * slowloris fills the table with those; a request in progress is never
 * ended. FALSE when there was none. */
static gboolean
gate_evict (SdServerGate *gate)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer victim = NULL;
  gint64 earliest = G_MAXINT64;

  g_mutex_lock (&gate->lock);
  g_hash_table_iter_init (&iter, gate->watched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Watch *w = value;

      if (!w->body && w->deadline < earliest)
        {
          earliest = w->deadline;
          victim = key;
        }
    }
  if (victim != NULL)
    {
      end_watched (gate, victim, g_hash_table_lookup (gate->watched, victim));
      g_hash_table_remove (gate->watched, victim);
    }
  g_mutex_unlock (&gate->lock);
  return victim != NULL;
}

static gpointer
watchdog_thread (gpointer user_data)
{
  SdServerGate *gate = user_data;

  g_mutex_lock (&gate->lock);
  while (!gate->stopping)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 next = now + G_USEC_PER_SEC;
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, gate->watched);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Watch *w = value;

          if (w->deadline <= now)
            {
              end_watched (gate, key, w);
              g_hash_table_iter_remove (&iter);
            }
          else
            next = MIN (next, w->deadline);
        }
      g_cond_wait_until (&gate->wake, &gate->lock, next);
    }
  g_mutex_unlock (&gate->lock);
  return NULL;
}

/* Sets (deadline_s > 0) or clears the connection's deadline. */
static void
gate_watch (SdServerGate *gate, struct MHD_Connection *connection, int fd, guint deadline_s,
            gboolean body)
{
  g_mutex_lock (&gate->lock);
  if (deadline_s == 0)
    g_hash_table_remove (gate->watched, connection);
  else
    {
      Watch *w = g_hash_table_lookup (gate->watched, connection);

      if (w == NULL)
        {
          w = g_new (Watch, 1);
          w->fd = fd;
          g_hash_table_insert (gate->watched, connection, w);
        }
      w->deadline = g_get_monotonic_time () + (gint64) deadline_s * G_USEC_PER_SEC;
      w->body = body;
      g_cond_signal (&gate->wake);
    }
  g_mutex_unlock (&gate->lock);
}

/* Connections open and not on their way out. */
static guint
gate_in_use (SdServerGate *gate)
{
  return (guint) MAX (g_atomic_int_get (&gate->open) - g_atomic_int_get (&gate->ending), 0);
}

/* Descriptors the server needs besides connections: per worker its SQLite
 * database, -wal and -shm, its listener and epoll; plus the process's own
 * (stdio, the log, the journal of a write, GLib's wakeups, SMTP). */
#define FDS_PER_WORKER 16
#define FDS_BASE       48

SdServerGate *
sd_server_gate_new (const SdServerGateOptions *options, GError **error)
{
  SdServerGate *gate;
  struct rlimit rl;
  guint workers = MAX (options->workers, 1);
  guint reserved = FDS_BASE + FDS_PER_WORKER * workers;
  guint available;

  /* As many descriptors as the system lets us have. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        getrlimit (RLIMIT_NOFILE, &rl);
    }
  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    rl.rlim_cur = 1024;
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1000000)
    rl.rlim_cur = 1000000;
  if (rl.rlim_cur <= reserved + 32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES,
                   "only %u file descriptors may be open; the server needs more than %u "
                   "(raise the limit, or run fewer --workers)", (guint) rl.rlim_cur, reserved + 32);
      return NULL;
    }
  available = (guint) rl.rlim_cur - reserved;

  gate = g_new0 (SdServerGate, 1);
  gate->refs = 1;
  gate->hard_limit = available;
  /* Room above the cap to say 503 rather than drop connections. */
  gate->max_connections = available - MAX (available / 8, 16);
  if (options->max_connections > 0)
    {
      if (options->max_connections > gate->max_connections)
        g_message ("--max-connections %u is more than %u descriptors allow; using %u",
                   options->max_connections, (guint) rl.rlim_cur, gate->max_connections);
      else
        gate->max_connections = options->max_connections;
    }
  gate->idle_timeout = options->idle_timeout ? options->idle_timeout : 30;
  gate->header_timeout = options->header_timeout ? options->header_timeout : 10;
  gate->proxies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; options->trusted_proxies && options->trusted_proxies[i]; i++)
    {
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (options->trusted_proxies[i], error);

      if (mask == NULL)
        {
          g_prefix_error (error, "--trusted-proxy %s: ", options->trusted_proxies[i]);
          sd_server_gate_unref (gate);
          return NULL;
        }
      g_ptr_array_add (gate->proxies, mask);
    }
  g_mutex_init (&gate->lock);
  g_cond_init (&gate->wake);
  gate->watched = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  gate->ended = g_hash_table_new (NULL, NULL);
  gate->thread = g_thread_new ("watchdog", watchdog_thread, gate);
  return gate;
}

SdServerGate *
sd_server_gate_ref (SdServerGate *gate)
{
  g_atomic_int_inc (&gate->refs);
  return gate;
}

void
sd_server_gate_unref (SdServerGate *gate)
{
  if (!g_atomic_int_dec_and_test (&gate->refs))
    return;
  if (gate->thread)
    {
      g_mutex_lock (&gate->lock);
      gate->stopping = TRUE;
      g_cond_signal (&gate->wake);
      g_mutex_unlock (&gate->lock);
      g_thread_join (gate->thread);
      g_hash_table_unref (gate->watched);
      g_hash_table_unref (gate->ended);
      g_mutex_clear (&gate->lock);
      g_cond_clear (&gate->wake);
    }
  g_ptr_array_unref (gate->proxies);
  g_free (gate);
}

guint
sd_server_gate_get_max_connections (SdServerGate *gate)
{
  return gate->max_connections;
}

/* ---- one worker's daemon ------------------------------------------- */

struct _SdServerHttp
{
  const SdServerHttpHandler *handler;
  gpointer           handler_data;   /* not a ref: it owns us */
  SdServerGate      *gate;
  struct MHD_Daemon *daemon;
  int                listen_fd;
  gint               in_flight;   /* requests between headers and reply (atomic) */
};

/* A request from its headers to its reply. */
typedef struct {
  SdServerRequest req;
  GByteArray     *body;
  gsize           limit;
  gint64          started;
  char           *method;
  char           *path;
  char            client[INET6_ADDRSTRLEN];
  gboolean        counted;
} Exchange;

static void
exchange_free (Exchange *x)
{
  sd_server_request_clear (&x->req);
  if (x->body)
    g_byte_array_unref (x->body);
  g_free (x->method);
  g_free (x->path);
  g_free (x);
}

static const char *
lookup_header (gpointer connection, const char *name)
{
  return MHD_lookup_connection_value (connection, MHD_HEADER_KIND, name);
}

static gboolean
is_trusted_proxy (SdServerGate *gate, GInetAddress *addr)
{
  for (guint i = 0; i < gate->proxies->len; i++)
    if (g_inet_address_mask_matches (gate->proxies->pdata[i], addr))
      return TRUE;
  return FALSE;
}

/* The peer, or behind trusted proxies the address the first untrusted hop
 * saw: X-Forwarded-For read from the right. */
static void
client_address (SdServerGate *gate, struct MHD_Connection *connection, char *out, gsize size,
                gboolean *out_https)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = info ? info->client_addr : NULL;
  g_autoptr(GInetAddress) peer = NULL;
  const char *forwarded, *proto;

  *out_https = FALSE;
  g_strlcpy (out, "?", size);
  if (sa == NULL)
    return;
  if (sa->sa_family == AF_INET)
    peer = g_inet_address_new_from_bytes ((const guint8 *) &((const struct sockaddr_in *) sa)->sin_addr,
                                          G_SOCKET_FAMILY_IPV4);
  else if (sa->sa_family == AF_INET6)
    peer = g_inet_address_new_from_bytes ((const guint8 *) &((const struct sockaddr_in6 *) sa)->sin6_addr,
                                          G_SOCKET_FAMILY_IPV6);
  if (peer == NULL)
    return;
  {
    g_autofree char *s = g_inet_address_to_string (peer);
    g_strlcpy (out, s, size);
  }
  if (gate->proxies->len == 0 || !is_trusted_proxy (gate, peer))
    return;
  proto = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "X-Forwarded-Proto");
  *out_https = proto != NULL && g_ascii_strcasecmp (proto, "https") == 0;
  forwarded = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "X-Forwarded-For");
  if (forwarded != NULL && strlen (forwarded) < 4096)
    {
      g_auto(GStrv) hops = g_strsplit (forwarded, ",", 64);

      for (int i = (int) g_strv_length (hops) - 1; i >= 0; i--)
        {
          g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i]));

          if (hop == NULL)
            return;   /* not an address: keep the last good one */
          {
            g_autofree char *s = g_inet_address_to_string (hop);
            g_strlcpy (out, s, size);
          }
          if (!is_trusted_proxy (gate, hop))
            return;
        }
    }
}

static int
collect_query (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  GHashTable *query = cls;

  if (g_hash_table_size (query) < 64 && key != NULL)
    g_hash_table_replace (query, g_strdup (key), g_strdup (value ? value : ""));
  return MHD_YES;
}

static void
free_bytes (void *cls)
{
  g_bytes_unref (cls);
}

static enum MHD_Result
send_reply (struct MHD_Connection *connection, SdServerRequest *req)
{
  struct MHD_Response *response;
  enum MHD_Result ret;

  if (req->reply_body != NULL && g_bytes_get_size (req->reply_body) > 0)
    {
      gsize len;
      const void *data = g_bytes_get_data (req->reply_body, &len);

      response = MHD_create_response_from_buffer_with_free_callback_cls (len, (void *) data, free_bytes,
                                                                         g_bytes_ref (req->reply_body));
    }
  else
    response = MHD_create_response_from_buffer (0, NULL, MHD_RESPMEM_PERSISTENT);
  if (response == NULL)
    return MHD_NO;
  MHD_add_response_header (response, "Server", "storedesk-server/" PACKAGE_VERSION);
  if (req->reply_type)
    MHD_add_response_header (response, "Content-Type", req->reply_type);
  for (guint i = 0; i + 1 < req->reply_headers->len; i += 2)
    MHD_add_response_header (response, req->reply_headers->pdata[i], req->reply_headers->pdata[i + 1]);
  ret = MHD_queue_response (connection, req->status, response);
  MHD_destroy_response (response);
  return ret;
}

static int
connection_fd (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  return info ? info->connect_fd : -1;
}

static enum MHD_Result
access_cb (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
  SdServerHttp *http = cls;
  SdServerGate *gate = http->gate;
  Exchange *x = *req_cls;

  if (x == NULL)
    {
      /* The headers are in. */
      const char *length_s = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Length");
      const char *encoding = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Transfer-Encoding");
      guint64 length = 0;

      x = g_new0 (Exchange, 1);
      *req_cls = x;
      x->started = g_get_monotonic_time ();
      x->method = g_strdup (method);
      x->path = g_strdup (url);
      http->handler->init (http->handler_data, &x->req);
      x->req.http = connection;
      x->req.lookup_header = lookup_header;
      x->req.method = x->method;
      x->req.path = x->path;
      client_address (gate, connection, x->client, sizeof x->client, &x->req.https);
      x->req.client = x->client;
      g_atomic_int_inc (&http->in_flight);
      x->counted = TRUE;

      /* Its headers are in: no longer a connection to end for room. Over
       * the cap, one that still waits for its request makes room (an
       * accept may have found none); 503 only when every other is busy. */
      gate_watch (gate, connection, -1, 0, FALSE);
      if (gate_in_use (gate) > gate->max_connections && !gate_evict (gate))
        {
          sd_reply_set_header (&x->req, "Connection", "close");
          sd_reply_set_header (&x->req, "Retry-After", "1");
          sd_reply_error (&x->req, 503, "The shop is very busy; try again in a moment.");
          return send_reply (connection, &x->req);
        }
      x->limit = http->handler->body_limit (http->handler_data, method, url);
      if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
        {
          gate_watch (gate, connection, -1, 0, FALSE);
          http->handler->refuse (http->handler_data, &x->req, 411);
          return send_reply (connection, &x->req);
        }
      if (length_s != NULL && (!g_ascii_string_to_unsigned (length_s, 10, 0, G_MAXUINT64, &length, NULL) ||
                               length > x->limit))
        {
          gate_watch (gate, connection, -1, 0, FALSE);
          http->handler->refuse (http->handler_data, &x->req, 413);
          return send_reply (connection, &x->req);
        }
      /* A body has the idle timeout to come in, whole. */
      gate_watch (gate, connection, connection_fd (connection), length > 0 ? gate->idle_timeout : 0, TRUE);
      x->body = g_byte_array_sized_new ((guint) MIN (length, 64 * 1024));
      return MHD_YES;
    }

  if (*upload_data_size > 0)
    {
      if (x->body->len + *upload_data_size <= x->limit)
        g_byte_array_append (x->body, (const guint8 *) upload_data, (guint) *upload_data_size);
      else
        x->limit = 0;   /* more than announced: refused below */
      *upload_data_size = 0;
      return MHD_YES;
    }

  /* The body is in: answer. */
  gate_watch (gate, connection, -1, 0, FALSE);
  if (x->limit == 0 && x->body->len > 0)
    {
      http->handler->refuse (http->handler_data, &x->req, 413);
      return send_reply (connection, &x->req);
    }
  x->req.raw_body = g_byte_array_free_to_bytes (g_steal_pointer (&x->body));
  x->req.query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, (MHD_KeyValueIterator) collect_query, x->req.query);
  http->handler->dispatch (http->handler_data, &x->req);
  return send_reply (connection, &x->req);
}

static void
completed_cb (void *cls, struct MHD_Connection *connection, void **req_cls,
              enum MHD_RequestTerminationCode toe)
{
  SdServerHttp *http = cls;
  Exchange *x = *req_cls;
  char line[512];
  int len;

  if (x == NULL)
    return;
  *req_cls = NULL;
  /* The access log: one line, one write; the path without its query
   * (where keys and codes could be), never a header or a body. */
  len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT " %s %.300s %s%u %.1fms\n",
                    g_get_real_time () / 1000, x->method, x->path,
                    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : "aborted by the client, not ",
                    x->req.status, (g_get_monotonic_time () - x->started) / 1000.0);
  if (write (STDERR_FILENO, line, MIN ((size_t) len, sizeof line - 1)) < 0)
    { /* nowhere to complain to */ }
  /* Kept alive: the next request's headers within the idle timeout. */
  if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
    gate_watch (http->gate, connection, connection_fd (connection), http->gate->idle_timeout, FALSE);
  if (x->counted)
    g_atomic_int_add (&http->in_flight, -1);
  exchange_free (x);
}

static void
connection_cb (void *cls, struct MHD_Connection *connection, void **socket_context,
               enum MHD_ConnectionNotificationCode code)
{
  SdServerHttp *http = cls;
  SdServerGate *gate = http->gate;

  if (code == MHD_CONNECTION_NOTIFY_STARTED)
    {
      g_atomic_int_inc (&gate->open);
      *socket_context = GINT_TO_POINTER (1);
      gate_watch (gate, connection, connection_fd (connection), gate->header_timeout, FALSE);
    }
  else if (*socket_context != NULL)
    {
      /* Called before libmicrohttpd closes the socket. */
      g_mutex_lock (&gate->lock);
      g_hash_table_remove (gate->watched, connection);
      if (g_hash_table_remove (gate->ended, connection))
        g_atomic_int_add (&gate->ending, -1);
      g_mutex_unlock (&gate->lock);
      g_atomic_int_add (&gate->open, -1);
      *socket_context = NULL;
    }
}

static enum MHD_Result
accept_cb (void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
  SdServerGate *gate = ((SdServerHttp *) cls)->gate;

  /* At the cap, a connection still waiting for its request makes room
   * for this one; past what the descriptors allow, not even a 503. */
  if (gate_in_use (gate) >= gate->max_connections)
    gate_evict (gate);
  return (guint) g_atomic_int_get (&gate->open) < gate->hard_limit ? MHD_YES : MHD_NO;
}

static void
log_cb (void *cls, const char *format, va_list ap)
{
  g_autofree char *m = g_strdup_vprintf (format, ap);

  g_debug ("libmicrohttpd: %s", g_strchomp (m));
}

SdServerHttp *
sd_server_http_start (const SdServerHttpHandler *handler, gpointer handler_data, SdServerGate *gate,
                      int listen_fd, GError **error)
{
  SdServerHttp *http = g_new0 (SdServerHttp, 1);

  http->handler = handler;
  http->handler_data = handler_data;
  http->gate = sd_server_gate_ref (gate);
  http->listen_fd = listen_fd;
  http->daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
                                   0, accept_cb, http, access_cb, http,
                                   MHD_OPTION_LISTEN_SOCKET, listen_fd,
                                   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) gate->idle_timeout,
                                   MHD_OPTION_CONNECTION_LIMIT, (unsigned int) gate->hard_limit,
                                   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) 64 * 1024,
                                   MHD_OPTION_NOTIFY_COMPLETED, completed_cb, http,
                                   MHD_OPTION_NOTIFY_CONNECTION, connection_cb, http,
                                   MHD_OPTION_EXTERNAL_LOGGER, log_cb, http,
                                   MHD_OPTION_END);
  if (http->daemon == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the HTTP layer did not start");
      sd_server_gate_unref (http->gate);
      g_free (http);
      return NULL;
    }
  return http;
}

void
sd_server_http_quiesce (SdServerHttp *http)
{
  int fd;

  if (http->daemon == NULL || http->listen_fd < 0)
    return;
  fd = MHD_quiesce_daemon (http->daemon);
  if (fd >= 0)
    close (fd);
  http->listen_fd = -1;
}

guint
sd_server_http_in_flight (SdServerHttp *http)
{
  return (guint) g_atomic_int_get (&http->in_flight);
}

void
sd_server_http_stop (SdServerHttp *http)
{
  if (http == NULL)
    return;
  if (http->daemon)
    MHD_stop_daemon (http->daemon);
  if (http->listen_fd >= 0)
    close (http->listen_fd);
  sd_server_gate_unref (http->gate);
  g_free (http);
}
