/* sd-option.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-models-private.h"

struct _SdOption
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  GStrv    values;
};

G_DEFINE_FINAL_TYPE (SdOption, sd_option, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_NAME, PROP_VALUES, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
sd_option_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdOption *self = SD_OPTION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_VALUES: g_value_set_boxed (value, self->values); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_option_finalize (GObject *object)
{
  SdOption *self = SD_OPTION (object);

  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->values);
  G_OBJECT_CLASS (sd_option_parent_class)->finalize (object);
}

static void
sd_option_class_init (SdOptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_option_get_property;
  object_class->finalize = sd_option_finalize;
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_VALUES] = g_param_spec_boxed ("values", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_option_init (SdOption *self)
{
}

SdOption *
sd_option_new_from_json (JsonNode *node)
{
  SdOption *self;
  JsonObject *o;
  JsonNode *value;
  const char *name;
  GPtrArray *list;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;   /* null or absent: no option */
  o = json_node_get_object (node);
  name = sd_json_get_string (o, "name");
  value = json_object_get_member (o, "value");
  if (name == NULL || *name == '\0' || value == NULL)
    return NULL;
  list = g_ptr_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *values = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *v = json_array_get_element (values, i);
          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            g_ptr_array_add (list, g_strdup (json_node_get_string (v)));
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      /* Some of the original's products carry one value as a plain string. */
      g_ptr_array_add (list, g_strdup (json_node_get_string (value)));
    }
  g_ptr_array_add (list, NULL);
  self = g_object_new (SD_TYPE_OPTION, NULL);
  self->id = g_strdup (sd_json_get_string (o, "_id"));
  self->name = g_strdup (name);
  self->values = (GStrv) g_ptr_array_free (list, FALSE);
  return self;
}

const char *
sd_option_get_id (SdOption *self)
{
  g_return_val_if_fail (SD_IS_OPTION (self), NULL);
  return self->id ? self->id : "";
}

const char *
sd_option_get_name (SdOption *self)
{
  g_return_val_if_fail (SD_IS_OPTION (self), NULL);
  return self->name;
}

const char * const *
sd_option_get_values (SdOption *self)
{
  g_return_val_if_fail (SD_IS_OPTION (self), NULL);
  return (const char * const *) self->values;
}

guint
sd_option_get_n_values (SdOption *self)
{
  g_return_val_if_fail (SD_IS_OPTION (self), 0);
  return g_strv_length (self->values);
}

gboolean
sd_option_has_value (SdOption *self, const char *value)
{
  g_return_val_if_fail (SD_IS_OPTION (self), FALSE);
  return value != NULL && g_strv_contains ((const char * const *) self->values, value);
}
