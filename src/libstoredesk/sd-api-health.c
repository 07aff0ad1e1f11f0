/* sd-api-health.c — what the shop says of itself: /health, its
 * [ext] features, and its id (the key its things are kept under). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-api-parts-private.h"
#include "sd-contract.h"
#include "sd-shop-identity-private.h"

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
  if (sd_api_load_json (parser, text, len, NULL) &&
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
  g_autoptr(GError) error = NULL;
  /* The original answers {"status": "OK"} bare; ours wraps it in the
   * envelope and lists its [ext] features. Either way a 2xx means up. */
  g_autoptr(GBytes) body = sd_api_fetch_finish (result, FALSE, &error);

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
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
  sd_api_fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, cancellable,
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
      sd_api_take_shop_key (self, g_steal_pointer (&key));
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
      sd_api_take_shop_key (self, g_steal_pointer (&r->id));
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
sd_api_check_health_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
