/* sd-order-records.c — orders this computer placed at a shop that cannot
 * find them again (see sd-order-records-private.h). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"

static const SecretSchema *
record_schema (void)
{
  static const SecretSchema schema = {
    "io.github.storedesk.Storedesk.OrderRecord", SECRET_SCHEMA_NONE,
    {
      { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "customer", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "order", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

char *
sd_shop_key (SdApi *api)
{
  /* The shop identity (API.md "Shop identity"): its /health shopId, else
   * its origin; what was kept under its URL moves there at start. */
  return g_strdup (sd_api_get_shop_key (api));
}

gboolean
sd_shop_is_original (SdApi *api)
{
  return sd_api_is_original (api);
}

static void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_api_check_health_finish (SD_API (source), result, &error))
    g_debug ("features not known: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
sd_shop_learn_features_async (SdApi *api, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GTask *task = g_task_new (api, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_shop_learn_features_async);
  if (sd_api_features_known (api))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  sd_api_check_health_async (api, cancellable, health_cb, task);
}

void
sd_shop_learn_features_finish (SdApi *api, GAsyncResult *result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

JsonNode *
sd_token_payload (const char *token)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree guchar *payload = NULL;
  g_autofree char *b64 = NULL;
  JsonNode *root;
  gsize len = 0;

  if (token == NULL)
    return NULL;
  parts = g_strsplit (token, ".", 3);
  if (g_strv_length (parts) != 3 || strlen (parts[1]) > 4096)
    return NULL;
  b64 = g_strdup (parts[1]);
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  while (strlen (b64) % 4 != 0)
    {
      char *padded = g_strconcat (b64, "=", NULL);
      g_free (b64);
      b64 = padded;
    }
  payload = g_base64_decode (b64, &len);
  parser = json_parser_new ();
  if (payload == NULL || len == 0 || !json_parser_load_from_data (parser, (const char *) payload, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_copy (root) : NULL;
}

char *
sd_order_records_customer (SdApi *api)
{
  const char *token = sd_api_get_access_token (api);
  g_autoptr(JsonNode) payload = NULL;
  const char *id;

  if (token == NULL || *token == '\0')
    return g_strdup ("guest");
  /* The payload of the JWT, {"id": userId, …} on both servers (API.md). */
  payload = sd_token_payload (token);
  id = payload ? sd_json_get_string (json_node_get_object (payload), "id") : NULL;
  return id && *id ? g_strconcat ("member:", id, NULL) : NULL;
}

/* ---- storing --------------------------------------------------------- */

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_order_records_store_async (SdApi *api, const char *customer, JsonNode *record, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *shop = sd_shop_key (api);
  g_autofree char *text = json_to_string (record, FALSE);
  const char *id = sd_json_get_string (json_node_get_object (record), "id");
  g_autofree char *label = g_strdup_printf ("Storedesk order %s", id);

  g_task_set_source_tag (task, sd_order_records_store_async);
  secret_password_store (record_schema (), SECRET_COLLECTION_DEFAULT, label, text, cancellable, stored_cb, task,
                         "shop", shop, "customer", customer, "order", id, NULL);
}

gboolean
sd_order_records_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- listing --------------------------------------------------------- */

/* A search that loads secrets while one of its items is being deleted
 * fails, and libsecret 0.20 then completes its task twice: searches wait
 * for the forgetting in flight. The main context's only. */
static guint  forgets_in_flight;
static GList *searches_waiting;   /* GTask */

static void searched_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
start_search (GTask *task)
{
  secret_service_search (NULL, record_schema (), g_task_get_task_data (task),
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         g_task_get_cancellable (task), searched_cb, task);
}

static void
searched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (NULL, result, &error);
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  if (error)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_hash_table_unref (records);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Without a keyring nothing was ever kept here. */
      g_message ("no keyring to list kept orders from: %s", error->message);
    }
  for (GList *l = items; l; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *text = value ? secret_value_get_text (value) : NULL;
      JsonNode *root;
      const char *id;

      if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
          (id = sd_json_get_string (json_node_get_object (root), "id")) == NULL || *id == '\0')
        continue;
      g_hash_table_replace (records, g_strdup (id), json_object_ref (json_node_get_object (root)));
    }
  g_list_free_full (items, g_object_unref);
  g_task_return_pointer (task, records, (GDestroyNotify) g_hash_table_unref);
}

void
sd_order_records_list_async (SdApi *api, const char *customer, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *shop = sd_shop_key (api);
  GHashTable *attributes = secret_attributes_build (record_schema (), "shop", shop, "customer", customer, NULL);

  g_task_set_source_tag (task, sd_order_records_list_async);
  g_task_set_task_data (task, attributes, (GDestroyNotify) g_hash_table_unref);
  if (forgets_in_flight > 0)
    searches_waiting = g_list_append (searches_waiting, task);
  else
    start_search (task);
}

GHashTable *
sd_order_records_list_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- forgetting ------------------------------------------------------ */

static void
forgotten_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("a kept order stays in the keyring: %s", error->message);
  if (--forgets_in_flight == 0)
    {
      GList *waiting = g_steal_pointer (&searches_waiting);

      for (GList *l = waiting; l; l = l->next)
        start_search (l->data);
      g_list_free (waiting);
    }
}

void
sd_order_records_forget (SdApi *api, const char *order_id)
{
  g_autofree char *shop = sd_shop_key (api);

  forgets_in_flight++;
  secret_password_clear (record_schema (), NULL, forgotten_cb, NULL, "shop", shop, "order", order_id, NULL);
}
