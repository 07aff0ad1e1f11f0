/* sd-api.c — the HTTP session of one shop and the SD_API_ERROR mapping. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-contract.h"
#include "sd-image-private.h"
#include "sd-json-guard.h"
#include "sd-shop-identity-private.h"

struct _SdApi
{
  GObject            parent_instance;
  char              *base_url;     /* no trailing slash */
  GUri              *base_uri;
  SoupSession       *session;
  char              *access_token;
  /* The refresh cookie's value, read from Set-Cookie by hand (no cookie
   * jar: see sd_api_read_refresh_cookie); SdSession mirrors it to the keyring. */
  char              *refresh_token;
  /* Shop identity (see sd_api_get_shop_key): the origin, the shop's own
   * id as /health last gave it, the key in use, the picture cache's. */
  char              *origin_key;
  char              *shop_id;
  char              *shop_key;
  gboolean           identified;
  gboolean           cache_ready;  /* the picture cache is attached */
  char              *cache_dir;
  guint              in_flight;    /* requests sent and not yet finished */
  GTask             *clearing;     /* a cache clear waiting for them */
  GQueue             pictures;     /* picture loads waiting for a slot, newest first */
  guint              pictures_in_flight;
  GStrv              features;     /* from /health; NULL before the first check */
  GPtrArray         *held;         /* GTasks waiting for that (see fetch_start) */
  SdApiReauthFunc    reauth;
  SdApiReauthFinish  reauth_finish;
  gpointer           reauth_owner;
  /* Reachability: what the last request found, re-checked with /health
   * while the shop is unreachable and whenever the network changes. */
  gboolean           online;
  GNetworkMonitor   *monitor;
  gulong             monitor_handler;
  guint              probe_source;
  guint              probe_delay;  /* seconds till the next probe */
  GCancellable      *probe_cancellable;
};

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
sd_api_class_init (SdApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_api_dispose;
  object_class->finalize = sd_api_finalize;
  object_class->get_property = sd_api_get_property;
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOP_KEY] = g_param_spec_string ("shop-key", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_api_init (SdApi *self)
{
  self->online = TRUE;   /* until a request finds otherwise */
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

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  SdApi *self = user_data;

  /* The monitor cannot tell whether this shop answers (a shop on this
   * machine does without any network): it only says when to look again. */
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->probe_delay = 0;
  if (self->probe_cancellable)
    g_cancellable_cancel (self->probe_cancellable);
  probe_now (self);
}

gboolean
sd_api_get_online (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->online;
}

/* ---- the picture cache ----------------------------------------------
 * One folder per shop (SoupCache is not safe to share between processes).
 * Its index is read in a worker thread, since that is disk I/O, and
 * requests are held until it is attached: libsoup 3.2 breaks when a cache
 * joins a session with requests in flight (seen as invalid casts). */

static void send_held (SdApi *self);

/* The picture cache's folder is named after the shop's key as last
 * known (the id it gave before, else its origin), so it is read in the
 * same worker thread as the cache's index. */
typedef struct {
  char      *origin_key;
  char      *known_key;   /* out: the remembered shop id, or NULL */
  char      *dir;         /* out */
  SoupCache *cache;       /* out */
} CacheStart;

static void
cache_start_free (CacheStart *c)
{
  g_free (c->origin_key);
  g_free (c->known_key);
  g_free (c->dir);
  g_clear_object (&c->cache);
  g_free (c);
}

static void
load_cache_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CacheStart *c = task_data;
  g_autofree char *key = NULL;

  c->known_key = sd_shop_lookup_id (c->origin_key);
  key = g_compute_checksum_for_string (G_CHECKSUM_SHA1, c->known_key ? c->known_key : c->origin_key, -1);
  c->dir = g_build_filename (g_get_user_cache_dir (), "storedesk", "http", key, NULL);
  c->cache = soup_cache_new (c->dir, SOUP_CACHE_SINGLE_USER);
  soup_cache_set_max_size (c->cache, SD_API_CACHE_BYTES);
  soup_cache_load (c->cache);
  g_task_return_boolean (task, TRUE);
}

static void
cache_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdApi) self = g_weak_ref_get (user_data);
  CacheStart *c = g_task_get_task_data (G_TASK (result));

  g_weak_ref_clear (user_data);
  g_free (user_data);
  if (self == NULL)
    return;
  g_free (self->cache_dir);
  self->cache_dir = g_strdup (c->dir);
  /* Until /health says otherwise, the key this shop had last time. */
  if (!self->identified && c->known_key != NULL)
    {
      g_free (self->shop_key);
      self->shop_key = g_strdup (c->known_key);
    }
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (c->cache));
  self->cache_ready = TRUE;
  send_held (self);
}

/* Clearing: new requests are held, those in flight finish, the cache
 * leaves the session, is cleared in a worker thread (files), and comes
 * back; then the held requests go. */
static void
clear_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  soup_cache_clear (task_data);
  soup_cache_dump (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) caller = user_data;
  SdApi *self = g_task_get_source_object (caller);

  soup_session_add_feature (self->session, g_task_get_task_data (G_TASK (result)));
  self->cache_ready = TRUE;
  send_held (self);
  g_task_return_boolean (caller, TRUE);
}

static void
clear_when_idle (SdApi *self)
{
  GTask *caller = g_steal_pointer (&self->clearing);
  SoupSessionFeature *cache = soup_session_get_feature (self->session, SOUP_TYPE_CACHE);
  g_autoptr(GTask) task = NULL;

  if (cache == NULL)
    {
      self->cache_ready = TRUE;
      send_held (self);
      g_task_return_boolean (caller, TRUE);
      g_object_unref (caller);
      return;
    }
  task = g_task_new (NULL, NULL, cleared_cb, caller);
  g_task_set_task_data (task, g_object_ref (cache), g_object_unref);
  soup_session_remove_feature (self->session, cache);
  g_task_run_in_thread (task, clear_thread);
}

void
sd_api_clear_picture_cache_async (SdApi *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (SD_IS_API (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_clear_picture_cache_async);
  /* Not cancellable once started: a half-cleared cache is worse than a full one. */
  g_task_set_check_cancellable (task, FALSE);
  if (!self->cache_ready || self->clearing)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "the picture cache is busy");
      g_object_unref (task);
      return;
    }
  self->cache_ready = FALSE;
  self->clearing = task;
  if (self->in_flight == 0)
    clear_when_idle (self);
}

gboolean
sd_api_clear_picture_cache_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
size_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GDir) dir = task_data ? g_dir_open (task_data, 0, NULL) : NULL;
  const char *name;
  goffset total = 0;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_data, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  g_task_return_int (task, total);
}

void
sd_api_get_picture_cache_size_async (SdApi *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_API (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_get_picture_cache_size_async);
  g_task_set_task_data (task, g_strdup (self->cache_dir), g_free);
  g_task_run_in_thread (task, size_thread);
}

goffset
sd_api_get_picture_cache_size_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static void
start_cache (SdApi *self)
{
  CacheStart *c = g_new0 (CacheStart, 1);
  GWeakRef *weak = g_new0 (GWeakRef, 1);
  g_autoptr(GTask) task = NULL;

  c->origin_key = g_strdup (self->origin_key);
  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, NULL, cache_loaded_cb, weak);
  g_task_set_task_data (task, c, (GDestroyNotify) cache_start_free);
  g_task_run_in_thread (task, load_cache_thread);
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
  start_cache (self);
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

/* Every reply body from the shop is parsed through here. json-glib 1.6
 * recurses once per nesting level with no limit, so a hostile or broken
 * shop could otherwise crash the app with a reply of nested brackets, or
 * fill its memory with one of many values (see sd_json_scan). */
static gboolean
load_reply (JsonParser *parser, const char *text, gsize len, GError **error)
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
  if (!load_reply (parser, text, len, &parse_error) ||
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

/* ---- sending with a cap on the reply size --------------------------- */

typedef struct {
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         cap;
  SdApi        *sent_by;   /* set (a reference) while the request is in flight */
  GObject      *sent;      /* libsoup's own result for the send; see fetch_free () */
} Fetch;

static void clear_when_idle (SdApi *self);

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
        clear_when_idle (self);
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

      note_outcome (g_task_get_source_object (task), mapped);
      g_task_return_error (task, mapped);
      return;
    }
  /* A reply from the picture cache says nothing about the shop: counted
   * as an answer, it told the app "back online" while the shop was down. */
  if (soup_message_get_connection_id (f->msg) != 0)
    note_outcome (g_task_get_source_object (task), NULL);
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

/* Sends msg and reads its whole body, at most cap bytes. The task's
 * result is the body (GBytes); the message stays in the task data. */
static void
fetch_start (SdApi *self, SoupMessage *msg, gsize cap, int priority, GCancellable *cancellable,
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
  self->in_flight++;
  soup_session_send_async (self->session, msg, priority, cancellable, fetch_sent_cb, task);
}

static void
send_held (SdApi *self)
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
      self->in_flight++;
      soup_session_send_async (self->session, f->msg, g_task_get_priority (task),
                               g_task_get_cancellable (task), fetch_sent_cb, task);
    }
  g_ptr_array_unref (held);
}

/* ---- JSON calls ----------------------------------------------------- */

typedef struct {
  JsonNode *data;
  gint64    total;
} CallResult;

static void
call_result_free (CallResult *r)
{
  g_clear_pointer (&r->data, json_node_unref);
  g_free (r);
}

/* What a call needs to be sent again after a refresh. */
typedef struct {
  char     *method;
  char     *path;
  GBytes   *body;       /* nullable */
  char     *body_type;  /* NULL: JSON */
  gboolean  plain;      /* the reply is bare JSON, not an envelope */
  char     *idempotency_key;
  JsonNode *error_data; /* the data of an error reply */
  gboolean  may_reauth;
  gboolean  had_token;
  gboolean  refresh_cookie;   /* "Cookie: refreshToken=…" and no bearer */
} Call;

static void
call_free (Call *c)
{
  g_free (c->method);
  g_free (c->path);
  g_free (c->idempotency_key);
  g_free (c->body_type);
  g_clear_pointer (&c->error_data, json_node_unref);
  g_clear_pointer (&c->body, g_bytes_unref);
  g_free (c);
}

static void call_send (GTask *task);

static JsonNode *
error_data_of (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  JsonObject *envelope;
  JsonNode *data;

  if (len == 0 || !load_reply (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  envelope = json_node_get_object (json_parser_get_root (parser));
  data = json_object_get_member (envelope, SD_ENVELOPE_DATA);
  return data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_copy (data) : NULL;
}

JsonNode *
sd_api_call_get_error_data (GAsyncResult *result)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  return call ? call->error_data : NULL;
}

static void
reauthed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!self->reauth_finish (self->reauth_owner, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_send (g_steal_pointer (&task));   /* once more, with the new token */
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
  gboolean parsed = text && len && load_reply (parser, text, len, NULL) &&
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

static void
call_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  Fetch *f = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);
  SoupMessageHeaders *headers;
  const char *total;
  CallResult *r;
  JsonNode *data;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_api_read_refresh_cookie (self, f->msg);
  /* A 401 is handled here, once: refresh, then replay. (Without an access
   * token but with a refresh token, as when a session is restored, too.) */
  if (soup_message_get_status (f->msg) == SOUP_STATUS_UNAUTHORIZED &&
      call->may_reauth && (call->had_token || self->refresh_token != NULL) && self->reauth != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);   /* before the task moves */

      call->may_reauth = FALSE;
      self->reauth (self->reauth_owner, cancellable, reauthed_cb, g_steal_pointer (&task));
      return;
    }
  g_clear_pointer (&call->error_data, json_node_unref);
  data = sd_api_read_reply (soup_message_get_status (f->msg), body, call->plain, &call->error_data, &error);
  if (data == NULL)
    {
      GError *known = sd_api_is_original (self) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? sd_api_error_for_original_route (call->method, call->path, soup_message_get_status (f->msg))
                      : NULL;

      g_task_return_error (task, known ? known : g_steal_pointer (&error));
      return;
    }
  r = g_new0 (CallResult, 1);
  r->data = data;
  r->total = -1;
  headers = soup_message_get_response_headers (f->msg);
  total = soup_message_headers_get_one (headers, SD_HEADER_TOTAL_COUNT);
  if (total != NULL)
    {
      guint64 v;
      if (g_ascii_string_to_unsigned (total, 10, 0, G_MAXINT64, &v, NULL))
        r->total = (gint64) v;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) call_result_free);
}

/* A picture is refused from its headers when the shop finds it too large
 * (413) and the connection closed: ask first, so the refusal is read
 * rather than lost in a reset while the bytes are still going out. */
static void
expect_continue_if_big (SoupMessage *msg, GBytes *body)
{
  if (g_bytes_get_size (body) > 64 * 1024)
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);
}

static void
call_send (GTask *task)
{
  SdApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, call->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (call->method, url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("Storedesk could not build a request for “%s”."), call->path);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Shop data is always fetched fresh, and a reply to a Bearer request
   * must never land in the disk cache. */
  soup_message_disable_feature (msg, SOUP_TYPE_CACHE);
  call->had_token = self->access_token != NULL && !call->refresh_cookie;
  if (call->refresh_cookie)
    {
      /* Only the cookie: on the original an expired bearer beside it wins
       * and yields a token without an id (extractToken.js:4-10,
       * loginMiddleware.js:57-76). */
      if (self->refresh_token)
        {
          g_autofree char *cookie = g_strconcat (SD_REFRESH_COOKIE "=", self->refresh_token, NULL);
          soup_message_headers_replace (headers, "Cookie", cookie);
          explicit_bzero (cookie, strlen (cookie));
        }
    }
  else if (self->access_token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->access_token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
      explicit_bzero (auth, strlen (auth));
    }
  if (call->body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, call->body_type ? call->body_type : "application/json",
                                                call->body);
      expect_continue_if_big (msg, call->body);
    }
  if (call->idempotency_key != NULL)
    {
      soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);
      /* Safe to repeat, so libsoup may reuse a connection for it. */
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
    }
  fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
               call_fetched_cb, task);
}

static void
call_start_full (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                 const char *idempotency_key, gboolean may_reauth, gboolean refresh_cookie,
                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (SD_IS_API (self));
  g_return_if_fail (path_and_query && path_and_query[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_call_async);
  call = g_new0 (Call, 1);
  call->method = g_strdup (method);
  call->path = g_strdup (path_and_query);
  call->may_reauth = may_reauth;
  call->refresh_cookie = refresh_cookie;
  call->idempotency_key = g_strdup (idempotency_key);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      call->body = g_bytes_new_take (text, len);
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_send (task);
}

static void
call_start (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
            const char *idempotency_key, gboolean may_reauth, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  call_start_full (self, method, path_and_query, body, idempotency_key, may_reauth, FALSE,
                   cancellable, callback, user_data);
}

void
sd_api_call_with_refresh_cookie_async (SdApi *self, const char *method, const char *path,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  call_start_full (self, method, path, NULL, NULL, FALSE, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, NULL, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_idempotent_async (SdApi *self, const char *method, const char *path_and_query,
                              JsonNode *body, const char *idempotency_key, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, idempotency_key, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_noauth_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, NULL, FALSE, cancellable, callback, user_data);
}

void
sd_api_post_file_async (SdApi *self, const char *path, const char *field, const char *filename,
                        const char *content_type, GBytes *bytes, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, sd_api_call_async);
  soup_multipart_append_form_file (multipart, field, filename, content_type, bytes);
  soup_multipart_to_message (multipart, headers, &call->body);
  call->body_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  call->method = g_strdup (SOUP_METHOD_POST);
  call->path = g_strdup (path);
  call->may_reauth = TRUE;
  call->plain = TRUE;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_send (task);
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

JsonNode *
sd_api_call_finish (SdApi *self, GAsyncResult *result, gint64 *out_total, GError **error)
{
  CallResult *r;
  JsonNode *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;
  data = g_steal_pointer (&r->data);
  if (out_total)
    *out_total = r->total;
  call_result_free (r);
  return data;
}

/* ---- health --------------------------------------------------------- */

static SdApi *
self_of (GTask *task)
{
  return g_task_get_source_object (task);
}

/* A shop id worth keying by: 1–128 of [A-Za-z0-9._-] (a UUID fits). */
static gboolean
plausible_shop_id (const char *id)
{
  gsize n = id ? strlen (id) : 0;

  if (n == 0 || n > 128)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.')
      return FALSE;
  return TRUE;
}

/* data.features of our envelope (empty for anything else) and data.shopId
 * (NULL when not given or not plausible). */
static GStrv
parse_features (GBytes *body, char **out_shop_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) list = g_strv_builder_new ();
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  JsonObject *root, *data;
  JsonArray *features;

  *out_shop_id = NULL;
  if (load_reply (parser, text, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) &&
      (root = json_node_get_object (json_parser_get_root (parser))) &&
      json_object_has_member (root, SD_ENVELOPE_DATA) &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, SD_ENVELOPE_DATA)) &&
      (data = json_object_get_object_member (root, SD_ENVELOPE_DATA)))
    {
      JsonNode *id = json_object_get_member (data, "shopId");

      if (id && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING &&
          plausible_shop_id (json_node_get_string (id)))
        *out_shop_id = g_strdup (json_node_get_string (id));
      if (json_object_has_member (data, "features") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "features")))
        {
          features = json_object_get_array_member (data, "features");
          for (guint i = 0; i < json_array_get_length (features); i++)
            {
              JsonNode *e = json_array_get_element (features, i);
              if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
                g_strv_builder_add (list, json_node_get_string (e));
            }
        }
    }
  return g_strv_builder_end (list);
}

gboolean
sd_api_features_known (SdApi *self)
{
  return self->features != NULL;
}

gboolean
sd_api_is_original (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->features != NULL && self->features[0] == NULL;
}

gboolean
sd_api_has_feature (SdApi *self, const char *feature)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->features != NULL && g_strv_contains ((const char * const *) self->features, feature);
}

static void
health_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);
  guint status;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The original answers {"status": "OK"} bare; ours wraps it in the
   * envelope and lists its [ext] features. Either way a 2xx means up. */
  status = soup_message_get_status (f->msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, sd_api_error_for_status (status, NULL));
      return;
    }
  g_strfreev (self_of (task)->features);
  g_clear_pointer (&self_of (task)->shop_id, g_free);
  self_of (task)->features = parse_features (body, &self_of (task)->shop_id);
  g_task_return_boolean (task, TRUE);
}

void
sd_api_check_health_async (SdApi *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (SD_IS_API (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_check_health_async);
  url = g_strconcat (self->base_url, SD_HEALTH_PATH, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, cancellable,
               health_fetched_cb, g_steal_pointer (&task));
}

/* ---- shop identity ---------------------------------------------------- */

const char *
sd_api_get_shop_key (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->shop_key;
}

static void
settled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = g_task_get_source_object (task);
  g_autofree char *key = sd_shop_settle_finish (result, NULL);

  self->identified = TRUE;
  if (key != NULL && g_strcmp0 (key, self->shop_key) != 0)
    {
      g_debug ("this shop's things are kept under its %s", g_strcmp0 (key, self->origin_key) == 0 ? "address" : "id");
      g_free (self->shop_key);
      self->shop_key = g_steal_pointer (&key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP_KEY]);
    }
  g_task_return_boolean (task, TRUE);
}

static void
identify_health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = SD_API (source);
  g_autoptr(GError) error = NULL;
  gboolean answered = sd_api_check_health_finish (self, result, &error);
  g_autoptr(GCancellable) keyring = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A Secret Service that hangs must not hang the start. */
  keyring = sd_keyring_cancellable_new ();
  /* Whatever happens now finishes: moving what is kept is not cut short. */
  g_task_set_check_cancellable (task, FALSE);
  sd_shop_settle_async (self->origin_key, self->base_url, answered, answered ? self->shop_id : NULL,
                        answered ? (const char * const *) self->features : NULL, keyring,
                        settled_cb, g_steal_pointer (&task));
}

void
sd_api_identify_async (SdApi *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (SD_IS_API (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_identify_async);
  sd_api_check_health_async (self, cancellable, identify_health_cb, task);
}

gboolean
sd_api_identify_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  char  *id;
  GStrv  features;
} Recalled;

static void
recalled_free (Recalled *r)
{
  g_free (r->id);
  g_strfreev (r->features);
  g_free (r);
}

static void
recall_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Recalled *r = g_new0 (Recalled, 1);

  if (!sd_shop_recall (task_data, &r->id, &r->features))
    {
      recalled_free (r);
      r = NULL;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) recalled_free);
}

void
sd_api_recall_async (SdApi *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_API (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_recall_async);
  g_task_set_task_data (task, g_strdup (self->origin_key), g_free);
  g_task_run_in_thread (task, recall_thread);
}

gboolean
sd_api_recall_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  Recalled *r;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  /* What a health check has said since wins. */
  if (self->features == NULL)
    self->features = g_steal_pointer (&r->features);
  if (!self->identified && r->id != NULL && g_strcmp0 (r->id, self->shop_key) != 0)
    {
      g_free (self->shop_key);
      self->shop_key = g_steal_pointer (&r->id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP_KEY]);
    }
  recalled_free (r);
  return TRUE;
}

const char * const *
sd_api_get_features (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return (const char * const *) self->features;
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

gboolean
sd_api_check_health_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- images --------------------------------------------------------- */

static void
image_decoded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = sd_image_decode_finish (result, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

/* ---- picture slots ------------------------------------------------------
 * At most this many pictures are fetched at once; the rest wait here, the
 * newest first (while a grid scrolls, those are the ones on screen), and
 * a load cancelled while waiting never reaches libsoup, whose queue is
 * scanned whole at every step. */
#define PICTURE_SLOTS 6

static void image_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
start_picture (SdApi *self, GTask *task)
{
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "sd-msg");
  GCancellable *cancellable = g_task_get_cancellable (task);

  self->pictures_in_flight++;
  /* Thumbnails yield to the JSON that fills the page. */
  fetch_start (self, msg, SD_API_MAX_IMAGE_BYTES, G_PRIORITY_LOW, cancellable, image_fetched_cb, task);
}

static void
pump_pictures (SdApi *self)
{
  while (self->pictures_in_flight < PICTURE_SLOTS && !g_queue_is_empty (&self->pictures))
    {
      GTask *task = g_queue_pop_head (&self->pictures);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      start_picture (self, task);
    }
}

static void
image_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);
  GCancellable *cancellable;
  guint status;
  int size;

  SD_API (source)->pictures_in_flight--;
  pump_pictures (SD_API (source));

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (f->msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, sd_api_error_for_status (status, NULL));
      return;
    }
  size = GPOINTER_TO_INT (g_task_get_task_data (task));
  cancellable = g_task_get_cancellable (task);
  sd_image_decode_async (body, size, cancellable, image_decoded_cb, g_steal_pointer (&task));
}

void
sd_api_load_image_async (SdApi *self, const char *path_or_url, int size,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (SD_IS_API (self));
  g_return_if_fail (size > 0);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_load_image_async);
  g_task_set_task_data (task, GINT_TO_POINTER (size), NULL);
  url = sd_api_resolve_url (self, path_or_url);
  if (url != NULL)
    msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                               _("This product has no picture."));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "sd-msg", g_steal_pointer (&msg), g_object_unref);
  if (self->pictures_in_flight < PICTURE_SLOTS)
    start_picture (self, g_steal_pointer (&task));
  else
    g_queue_push_head (&self->pictures, g_steal_pointer (&task));
}

GdkPixbuf *
sd_api_load_image_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- presigned uploads ---------------------------------------------- */

static void
put_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);
  guint status;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (f->msg);
  if (status >= 200 && status < 300)
    g_task_return_boolean (task, TRUE);
  else
    {
      g_autoptr(JsonNode) none = sd_api_parse_reply (status, body, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

void
sd_api_put_bytes_async (SdApi *self, const char *url, const char *content_type, GBytes *bytes,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_PUT, url);

  g_task_set_source_tag (task, sd_api_put_bytes_async);
  if (msg == NULL)
    {
      g_task_return_error (task, sd_api_unreadable_reply ("upload URL"));
      return;
    }
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  expect_continue_if_big (msg, bytes);
  soup_message_disable_feature (msg, SOUP_TYPE_CACHE);
  fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, cancellable,
               put_fetched_cb, g_steal_pointer (&task));
}

gboolean
sd_api_put_bytes_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
