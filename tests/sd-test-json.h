/* sd-test-json.h — the depth of a parsed JSON tree, for the tests and the
 * fuzz targets that hold the depth scan against json-glib. */
#pragma once

#include <json-glib/json-glib.h>

/* Levels of arrays and objects: 0 for a scalar, 1 for [] or {}. */
static inline guint
sd_test_json_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          guint d = sd_test_json_depth (json_array_get_element (a, i));   /* (once: MAX evaluates twice) */
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));
      for (GList *l = members; l; l = l->next)
        {
          guint d = sd_test_json_depth (l->data);
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  return 0;
}
