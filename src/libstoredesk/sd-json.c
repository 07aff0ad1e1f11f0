/* sd-json.c — lenient field readers shared by the model parsers. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-api-private.h"
#include "sd-models-private.h"

/* A string member, or NULL when absent, null or not a string. */
const char *
sd_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* 2^53: every whole double up to this is exactly an integer. */
#define SD_JSON_EXACT_DOUBLE 9007199254740992.0

/* Integers also arrive as strings ("12000") or whole doubles. */
gboolean
sd_json_get_integer (JsonObject *object, const char *member, gint64 *out_value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out_value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Range first: casting a double beyond gint64 (1e300 from a shop)
       * is undefined behaviour. Past 2^53 a double is no exact integer. */
      if (!(d >= -SD_JSON_EXACT_DOUBLE && d <= SD_JSON_EXACT_DOUBLE) || d != (double) (gint64) d)
        return FALSE;
      *out_value = (gint64) d;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));
      return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out_value, NULL);
    }
  return FALSE;
}

GError *
sd_json_bad_field (const char *what, const char *member)
{
  g_autofree char *why = g_strdup_printf ("%s: missing or malformed “%s”", what, member);
  return sd_api_unreadable_reply (why);
}

GPtrArray *
sd_json_to_models (JsonNode *data, SdFromJson from_json, const char *what, GError **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_propagate_error (error, sd_json_bad_field (what, "data"));
      return NULL;
    }
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GObject *model = from_json (json_array_get_element (array, i), error);

      if (model == NULL)
        return NULL;
      g_ptr_array_add (models, model);
    }
  return g_steal_pointer (&models);
}

GListModel *
sd_json_to_store (JsonNode *data, GType type, SdFromJson from_json, const char *what, GError **error)
{
  g_autoptr(GPtrArray) models = sd_json_to_models (data, from_json, what, error);
  GListStore *store;

  if (models == NULL)
    return NULL;
  store = g_list_store_new (type);
  g_list_store_splice (store, 0, 0, models->pdata, models->len);
  return G_LIST_MODEL (store);
}
