/* sd-api-cache.c — the picture cache of one shop, on disk. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sd-api-parts-private.h"
#include "sd-shop-identity-private.h"

/* ---- the picture cache ----------------------------------------------
 * One folder per shop (SoupCache is not safe to share between processes).
 * Its index is read in a worker thread, since that is disk I/O, and
 * requests are held until it is attached: libsoup 3.2 breaks when a cache
 * joins a session with requests in flight (seen as invalid casts). */


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
  sd_api_send_held (self);
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
  sd_api_send_held (self);
  g_task_return_boolean (caller, TRUE);
}

void
sd_api_clear_cache_when_idle (SdApi *self)
{
  GTask *caller = g_steal_pointer (&self->clearing);
  SoupSessionFeature *cache = soup_session_get_feature (self->session, SOUP_TYPE_CACHE);
  g_autoptr(GTask) task = NULL;

  if (cache == NULL)
    {
      self->cache_ready = TRUE;
      sd_api_send_held (self);
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
    sd_api_clear_cache_when_idle (self);
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

void
sd_api_start_cache (SdApi *self)
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
