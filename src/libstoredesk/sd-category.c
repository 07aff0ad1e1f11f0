/* sd-category.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-api-private.h"
#include "sd-local-store-private.h"
#include "sd-models-private.h"

struct _SdCategory
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  char    *updated_at;   /* [ext]: the original keeps none */
};

G_DEFINE_FINAL_TYPE (SdCategory, sd_category, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_NAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
sd_category_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdCategory *self = SD_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_category_finalize (GObject *object)
{
  SdCategory *self = SD_CATEGORY (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->updated_at);
  G_OBJECT_CLASS (sd_category_parent_class)->finalize (object);
}

static void
sd_category_class_init (SdCategoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sd_category_get_property;
  object_class->finalize = sd_category_finalize;
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_category_init (SdCategory *self)
{
}

SdCategory *
sd_category_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdCategory) self = NULL;
  JsonObject *object;
  const char *id, *name;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("category", "(object)"));
      return NULL;
    }
  object = json_node_get_object (node);
  id = sd_json_get_string (object, "_id");
  name = sd_json_get_string (object, "name");
  if (id == NULL || *id == '\0')
    {
      g_propagate_error (error, sd_json_bad_field ("category", "_id"));
      return NULL;
    }
  if (name == NULL)
    {
      g_propagate_error (error, sd_json_bad_field ("category", "name"));
      return NULL;
    }
  self = g_object_new (SD_TYPE_CATEGORY, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->updated_at = g_strdup (sd_json_get_string (object, "updatedAt"));
  return g_steal_pointer (&self);
}

const char *
sd_category_get_id (SdCategory *self)
{
  g_return_val_if_fail (SD_IS_CATEGORY (self), NULL);
  return self->id;
}

const char *
sd_category_get_name (SdCategory *self)
{
  g_return_val_if_fail (SD_IS_CATEGORY (self), NULL);
  return self->name;
}

static void
list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GListModel *categories = data ? sd_json_to_store (data, SD_TYPE_CATEGORY, (SdFromJson) sd_category_new_from_json,
                                                    "categories", &error) : NULL;

  if (categories == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, categories, g_object_unref);
}

void
sd_category_list_async (SdApi *api, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (api, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_category_list_async);
  sd_api_call_async (api, "GET", SD_PATH_CATEGORIES, NULL, cancellable, list_cb, task);
}

/* ---- kept on this computer ----------------------------------------------- */

static void
kept_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *network = g_task_get_task_data (task);
  g_autoptr(JsonArray) rows = sd_local_store_read_array_finish (SD_LOCAL_STORE (source), result, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *categories;

  if (rows == NULL || json_array_get_length (rows) == 0)
    {
      g_task_return_error (task, g_error_copy (network));
      return;
    }
  node = json_node_init_array (json_node_alloc (), rows);
  categories = sd_json_to_store (node, SD_TYPE_CATEGORY, (SdFromJson) sd_category_new_from_json, "categories",
                                 &error);
  if (categories == NULL)
    g_task_return_error (task, g_error_copy (network));
  else
    g_task_return_pointer (task, categories, g_object_unref);
}

static void
kept_put_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (sd_local_store_put_finish (SD_LOCAL_STORE (source), result, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("the categories were not kept: %s", error->message);
}

static void
kept_list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdLocalStore *store = g_object_get_data (G_OBJECT (task), "sd-store");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GListModel *categories = data ? sd_json_to_store (data, SD_TYPE_CATEGORY, (SdFromJson) sd_category_new_from_json,
                                                    "categories", &error) : NULL;

  if (categories != NULL)
    {
      sd_local_store_put_categories_async (store, json_node_get_array (data), TRUE, NULL, kept_put_cb, NULL);
      g_task_return_pointer (task, categories, g_object_unref);
      return;
    }
  /* The shop cannot be reached: the ones kept here, if any. */
  if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
      g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_task_set_task_data (task, g_steal_pointer (&error), (GDestroyNotify) g_error_free);
      sd_local_store_read_categories_async (store, cancellable, kept_read_cb, g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
sd_category_list_kept_async (SdApi *api, SdLocalStore *store, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  if (store == NULL)
    {
      sd_category_list_async (api, cancellable, callback, user_data);
      return;
    }
  task = g_task_new (api, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_category_list_async);
  g_object_set_data_full (G_OBJECT (task), "sd-store", g_object_ref (store), g_object_unref);
  sd_api_call_async (api, "GET", SD_PATH_CATEGORIES, NULL, cancellable, kept_list_cb, task);
}

GListModel *
sd_category_list_finish (SdApi *api, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, api), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sd_category_get_updated_at (SdCategory *self)
{
  g_return_val_if_fail (SD_IS_CATEGORY (self), NULL);
  return self->updated_at;
}
