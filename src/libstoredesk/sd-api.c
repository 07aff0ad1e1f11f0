/* sd-api.c — the HTTP session of one shop: the SoupSession, its limits,
 * reachability, sending with a cap on the reply, and the tokens. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-parts-private.h"
#include "sd-contract.h"
#include "sd-shop-identity-private.h"

G_DEFINE_FINAL_TYPE (SdApi, sd_api, G_TYPE_OBJECT)
G_DEFINE_QUARK (sd-api-error-quark, sd_api_error)

/* Seconds of I/O inactivity before a request fails. */
#define SD_API_IO_TIMEOUT 30
/* Thumbnails come in parallel; libsoup's default of 2 per host is slow. */
#define SD_API_CONNS_PER_HOST 8

enum { PROP_0, PROP_ONLINE, PROP_SHOP_KEY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Probes back off from 1 s to this. */
#define SD_API_PROBE_MAX_DELAY 30

static void
sd_api_dispose (GObject *object)
{
  SdApi *self = SD_API (object);
  GTask *waiting;

  g_clear_handle_id (&self->probe_source, g_source_remove);
  if (self->probe_cancellable)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  /* (Waiting picture tasks hold the api, so this only runs without any.) */
  while ((waiting = g_queue_pop_head (&self->pictures)) != NULL)
    g_object_unref (waiting);
  G_OBJECT_CLASS (sd_api_parent_class)->dispose (object);
}

static void
sd_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ONLINE: g_value_set_boolean (value, SD_API (object)->online); break;
    case PROP_SHOP_KEY: g_value_set_string (value, SD_API (object)->shop_key); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_api_finalize (GObject *object)
{
  SdApi *self = SD_API (object);

  if (self->session)
    {
      SoupSessionFeature *cache = soup_session_get_feature (self->session, SOUP_TYPE_CACHE);

      soup_session_abort (self->session);
      if (cache)
        soup_cache_dump (SOUP_CACHE (cache));   /* its index, for the next start */
    }
  g_clear_pointer (&self->held, g_ptr_array_unref);
  sd_api_doctor_clear (self);
  /* The session first: it detaches the features it holds. */
  g_clear_object (&self->session);
  if (self->access_token)
    explicit_bzero (self->access_token, strlen (self->access_token));
  g_free (self->access_token);
  if (self->refresh_token)
    explicit_bzero (self->refresh_token, strlen (self->refresh_token));
  g_free (self->refresh_token);
  g_free (self->origin_key);
  g_free (self->shop_id);
  g_free (self->shop_key);
  g_strfreev (self->features);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->base_url);
  g_free (self->cache_dir);
  G_OBJECT_CLASS (sd_api_parent_class)->finalize (object);
}

static void
sd_api_init (SdApi *self)
{
  self->online = TRUE;   /* until a request finds otherwise */
}

static void
sd_api_class_init (SdApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  /* Both read only, notified when they change. */
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE, flags);
  properties[PROP_SHOP_KEY] = g_param_spec_string ("shop-key", NULL, NULL, NULL, flags);
  object_class->dispose = sd_api_dispose;
  object_class->finalize = sd_api_finalize;
  object_class->get_property = sd_api_get_property;
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* ---- reachability ---------------------------------------------------- */

static void probe_later (SdApi *self);

static void
set_online (SdApi *self, gboolean online)
{
  if (online)
    {
      g_clear_handle_id (&self->probe_source, g_source_remove);
      self->probe_delay = 0;
    }
  else if (self->probe_source == 0 && (self->probe_cancellable == NULL ||
                                       g_cancellable_is_cancelled (self->probe_cancellable)))
    probe_later (self);
  if (self->online == online)
    return;
  self->online = online;
  g_debug ("the shop is %s", online ? "reachable" : "not reachable");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

/* Request outcomes drive reachability: any HTTP answer means reachable;
 * a connection that failed or timed out means not. */
static void
note_outcome (SdApi *self, const GError *error)
{
  if (error == NULL)
    set_online (self, TRUE);
  else if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
           g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT))
    set_online (self, FALSE);
}

/* uri is on the shop's own host and port. */
static gboolean
same_host (SdApi *self, GUri *uri)
{
  return g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (self->base_uri)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (self->base_uri) &&
         g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (self->base_uri)) == 0;
}

static void
probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  /* check_health notes the outcome itself; a cancelled probe is gone. */
  if (!sd_api_check_health_finish (SD_API (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !SD_API (source)->online)
    probe_later (SD_API (source));
}

static gboolean
probe_now (gpointer user_data)
{
  SdApi *self = user_data;

  self->probe_source = 0;
  g_clear_object (&self->probe_cancellable);
  self->probe_cancellable = g_cancellable_new ();
  sd_api_check_health_async (self, self->probe_cancellable, probed_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
probe_later (SdApi *self)
{
  self->probe_delay = CLAMP (self->probe_delay * 2, 1, SD_API_PROBE_MAX_DELAY);
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_source = g_timeout_add_seconds (self->probe_delay, probe_now, self);
}

void
sd_api_probe_now (SdApi *self)
{
  g_return_if_fail (SD_IS_API (self));
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_delay = 0;
  if (self->probe_cancellable)
    g_cancellable_cancel (self->probe_cancellable);
  probe_now (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  /* The monitor cannot tell whether this shop answers (a shop on this
   * machine does without any network): it only says when to look again. */
  sd_api_probe_now (user_data);
}

gboolean
sd_api_get_online (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->online;
}

SdApi *
sd_api_new (const char *base_url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SdApi) self = NULL;
  const char *scheme;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  trimmed = g_strstrip (g_strdup (base_url));
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                   _("“%s” is not a shop address. Use one like https://shop.example.com."),
                   base_url);
      return NULL;
    }

  self = g_object_new (SD_TYPE_API, NULL);
  self->base_url = g_steal_pointer (&trimmed);
  self->base_uri = g_steal_pointer (&uri);
  /* TLS is verified against the system trust store, always. */
  self->session = soup_session_new_with_options ("max-conns-per-host", SD_API_CONNS_PER_HOST,
                                                 "timeout", SD_API_IO_TIMEOUT,
                                                 "user-agent", "Storedesk/" PACKAGE_VERSION " ",
                                                 NULL);
  /* No cookie jar: it would drop the original's refresh cookie (Secure,
   * Domain=localhost) over http and for 127.0.0.1, and overwrite the
   * Cookie header set by hand (PLATFORM.md §1). */
  self->origin_key = sd_shop_origin_key (self->base_uri);
  self->shop_key = g_strdup (self->origin_key);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  sd_api_start_cache (self);
  return g_steal_pointer (&self);
}

gboolean
sd_api_set_ca_file (SdApi *self, const char *path, GError **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (SD_IS_API (self), FALSE);
  if (path == NULL || *path == '\0')
    {
      /* The system's again. (Not NULL: libsoup would then verify against
       * nothing, and refuse every certificate.) */
      g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      soup_session_set_tls_database (self->session, system);
      g_clear_pointer (&self->ca_file, g_free);
      return TRUE;
    }
  database = g_tls_file_database_new (path, &local);
  if (database == NULL)
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_TLS,
                   _("“%s” is not a certificate authority file Storedesk can use (%s). Choose a PEM file."),
                   path, local->message);
      return FALSE;
    }
  /* Verification stays on: only whom it trusts changes. */
  soup_session_set_tls_database (self->session, database);
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  return TRUE;
}

const char *
sd_api_get_base_url (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->base_url;
}

char *
sd_api_resolve_url (SdApi *self, const char *path_or_url)
{
  g_autoptr(GUri) resolved = NULL;

  g_return_val_if_fail (SD_IS_API (self), NULL);
  if (path_or_url == NULL || *path_or_url == '\0')
    return NULL;
  /* "uploads/x.jpg" is relative to the origin, not to the base path. */
  if (!g_str_has_prefix (path_or_url, "/") && g_uri_peek_scheme (path_or_url) == NULL)
    {
      g_autofree char *rooted = g_strconcat ("/", path_or_url, NULL);
      resolved = g_uri_parse_relative (self->base_uri, rooted, G_URI_FLAGS_NONE, NULL);
    }
  else
    resolved = g_uri_parse_relative (self->base_uri, path_or_url, G_URI_FLAGS_NONE, NULL);
  return resolved ? g_uri_to_string (resolved) : NULL;
}

/* ---- sending with a cap on the reply size --------------------------- */

typedef struct {
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         cap;
  SdApi        *sent_by;   /* set (a reference) while the request is in flight */
  gint64        started;   /* g_get_monotonic_time () when it was sent */
  GObject      *sent;      /* libsoup's own result for the send; see fetch_free () */
} Fetch;

/* libsoup 3.2.3 can run a stale callback of a request after freeing its
 * state: when the shop goes away mid-request on a reused connection,
 * libsoup restarts the request, and if the new connection is refused
 * (the shop is down) the request fails and its state is freed while the
 * first attempt's read callback still waits in the main loop — at the
 * request's priority, so thumbnails (G_PRIORITY_LOW) lose that race
 * often. Seen as a use-after-free in run_until_read_done () under ASan
 * and as the assertion on item->context in soup_session_process_queue_item
 * without it. libsoup's result owns that state, so it is held until
 * every callback of higher priority than this one has run. */
#define SD_API_RELEASE_PRIORITY (G_PRIORITY_LOW + 100)

static gboolean
release_sent (gpointer sent)
{
  return G_SOURCE_REMOVE;   /* the destroy notify drops it */
}

static void
fetch_free (Fetch *f)
{
  if (f->sent)
    g_idle_add_full (SD_API_RELEASE_PRIORITY, release_sent, g_steal_pointer (&f->sent), g_object_unref);
  if (f->sent_by)
    {
      SdApi *self = f->sent_by;

      if (--self->in_flight == 0 && self->clearing)
        sd_api_clear_cache_when_idle (self);
      g_object_unref (self);
    }
  g_clear_object (&f->msg);
  g_clear_object (&f->stream);
  g_clear_pointer (&f->buffer, g_byte_array_unref);
  g_free (f);
}

static void fetch_read_next (GTask *task);

static void
fetch_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, sd_api_map_transport_error (error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&f->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (f->buffer->len + g_bytes_get_size (chunk) > f->cap)
    {
      g_task_return_error (task, sd_api_too_large_reply ());
      return;
    }
  g_byte_array_append (f->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  fetch_read_next (g_steal_pointer (&task));
}

static void
fetch_read_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (f->stream, 64 * 1024, g_task_get_priority (task),
                                   g_task_get_cancellable (task), fetch_read_cb, task);
}

static void
fetch_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  f->sent = g_object_ref (G_OBJECT (result));
  f->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->stream == NULL)
    {
      GError *mapped = sd_api_map_transport_error (error);

      /* A picture from elsewhere (presigned storage) failing says
       * nothing about the shop; one from the shop's own host does. */
      if (g_object_get_data (G_OBJECT (f->msg), "sd-picture") == NULL ||
          same_host (g_task_get_source_object (task), soup_message_get_uri (f->msg)))
        note_outcome (g_task_get_source_object (task), mapped);
      g_task_return_error (task, mapped);
      return;
    }
  /* A reply from the picture cache says nothing about the shop: counted
   * as an answer, it told the app "back online" while the shop was down.
   * Nor does a picture's reply at all: when the cache's check with the
   * shop fails, libsoup hands out the stale copy as a 200 on the
   * connection it tried (measured: the offline banner went while the
   * shop was down). The shop's JSON and /health tell. */
  if (soup_message_get_connection_id (f->msg) != 0 && g_object_get_data (G_OBJECT (f->msg), "sd-picture") == NULL)
    {
      note_outcome (g_task_get_source_object (task), NULL);
      sd_api_note_reply (g_task_get_source_object (task), f->msg, f->started);
    }
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (f->msg));
  if (length > 0 && (guint64) length > f->cap)
    {
      g_task_return_error (task, sd_api_too_large_reply ());
      return;
    }
  /* The declared length is a promise, not bytes: room grows as they come. */
  f->buffer = g_byte_array_sized_new (length > 0 ? (guint) MIN (length, 256 * 1024) : 4096);
  fetch_read_next (g_steal_pointer (&task));
}

void
sd_api_fetch_start (SdApi *self, SoupMessage *msg, gsize cap, int priority, GCancellable *cancellable,
             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);

  f->msg = g_object_ref (msg);
  f->cap = cap;
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  g_task_set_priority (task, priority);
  if (!self->cache_ready)
    {
      g_ptr_array_add (self->held, task);
      return;
    }
  f->sent_by = g_object_ref (self);
  f->started = g_get_monotonic_time ();
  self->in_flight++;
  soup_session_send_async (self->session, msg, priority, cancellable, fetch_sent_cb, task);
}

void
sd_api_send_held (SdApi *self)
{
  GPtrArray *held = g_steal_pointer (&self->held);

  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  /* Each task's reference moves to its send. */
  g_ptr_array_set_free_func (held, NULL);
  for (guint i = 0; i < held->len; i++)
    {
      GTask *task = held->pdata[i];
      Fetch *f = g_task_get_task_data (task);

      f->sent_by = g_object_ref (self);
      f->started = g_get_monotonic_time ();
      self->in_flight++;
      soup_session_send_async (self->session, f->msg, g_task_get_priority (task),
                               g_task_get_cancellable (task), fetch_sent_cb, task);
    }
  g_ptr_array_unref (held);
}

/* A picture is refused from its headers when the shop finds it too large
 * (413) and the connection closed: ask first, so the refusal is read
 * rather than lost in a reset while the bytes are still going out. */
void
sd_api_expect_continue_if_big (SoupMessage *msg, GBytes *body)
{
  if (g_bytes_get_size (body) > 64 * 1024)
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);
}

/* ---- authentication ------------------------------------------------- */

void
sd_api_set_access_token (SdApi *self, const char *token)
{
  g_return_if_fail (SD_IS_API (self));
  if (self->access_token)
    explicit_bzero (self->access_token, strlen (self->access_token));
  g_free (self->access_token);
  self->access_token = g_strdup (token);
}

const char *
sd_api_get_access_token (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->access_token;
}

void
sd_api_set_reauth (SdApi *self, SdApiReauthFunc start, SdApiReauthFinish finish, gpointer owner)
{
  g_return_if_fail (SD_IS_API (self));
  self->reauth = start;
  self->reauth_finish = finish;
  self->reauth_owner = owner;
}

const char *
sd_api_get_refresh_token (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->refresh_token;
}

void
sd_api_set_refresh_token (SdApi *self, const char *token)
{
  g_return_if_fail (SD_IS_API (self));
  if (self->refresh_token)
    explicit_bzero (self->refresh_token, strlen (self->refresh_token));
  g_free (self->refresh_token);
  self->refresh_token = token && *token ? g_strdup (token) : NULL;
}

gboolean
sd_api_is_cache_ready (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->cache_ready;
}

SoupSession *
sd_api_get_soup_session (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->session;
}

void
sd_api_take_shop_key (SdApi *self, char *key)
{
  g_free (self->shop_key);
  self->shop_key = key;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP_KEY]);
}

SoupMessage *
sd_api_fetch_get_message (GAsyncResult *result)
{
  Fetch *f = g_task_get_task_data (G_TASK (result));

  return f->msg;
}

GBytes *
sd_api_fetch_finish (GAsyncResult *result, gboolean envelope, GError **error)
{
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), error);
  guint status;

  if (body == NULL)
    return NULL;
  status = soup_message_get_status (sd_api_fetch_get_message (result));
  if (status >= 200 && status < 300)
    return g_steal_pointer (&body);
  if (envelope)
    {
      g_autoptr(JsonNode) none = sd_api_parse_reply (status, body, error);
    }
  else
    g_propagate_error (error, sd_api_error_for_status (status, NULL));
  return NULL;
}
