/* sd-user.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-models-private.h"
#include "sd-user.h"

struct _SdUser
{
  GObject   parent_instance;
  char     *id;
  char     *name;
  char     *email;
  char     *phone_number;
  char     *created_at;
  gboolean  is_admin;
};

G_DEFINE_FINAL_TYPE (SdUser, sd_user, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_NAME, PROP_EMAIL, PROP_PHONE_NUMBER, PROP_IS_ADMIN, PROP_CREATED_AT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
sd_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdUser *self = SD_USER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, sd_user_get_id (self)); break;
    case PROP_NAME: g_value_set_string (value, sd_user_get_name (self)); break;
    case PROP_EMAIL: g_value_set_string (value, sd_user_get_email (self)); break;
    case PROP_PHONE_NUMBER: g_value_set_string (value, sd_user_get_phone_number (self)); break;
    case PROP_IS_ADMIN: g_value_set_boolean (value, self->is_admin); break;
    case PROP_CREATED_AT: g_value_set_string (value, sd_user_get_created_at (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_user_finalize (GObject *object)
{
  SdUser *self = SD_USER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->email);
  g_free (self->phone_number);
  g_free (self->created_at);
  G_OBJECT_CLASS (sd_user_parent_class)->finalize (object);
}

static void
sd_user_class_init (SdUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_user_get_property;
  object_class->finalize = sd_user_finalize;
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_PHONE_NUMBER] = g_param_spec_string ("phone-number", NULL, NULL, NULL, flags);
  properties[PROP_IS_ADMIN] = g_param_spec_boolean ("is-admin", NULL, NULL, FALSE, flags);
  /* ISO 8601, as the shop sent it. */
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_user_init (SdUser *self)
{
}

SdUser *
sd_user_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdUser) self = NULL;
  JsonObject *o;
  const char *email;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("user", "(object)"));
      return NULL;
    }
  o = json_node_get_object (node);
  email = sd_json_get_string (o, "email");
  if (email == NULL || *email == '\0')
    {
      g_propagate_error (error, sd_json_bad_field ("user", "email"));
      return NULL;
    }
  self = g_object_new (SD_TYPE_USER, NULL);
  self->id = g_strdup (sd_json_get_string (o, "_id"));
  self->email = g_strdup (email);
  self->name = g_strdup (sd_json_get_string (o, "name"));
  self->phone_number = g_strdup (sd_json_get_string (o, "phoneNumber"));
  self->created_at = g_strdup (sd_json_get_string (o, "createdAt"));
  self->is_admin = g_strcmp0 (sd_json_get_string (o, "role"), "admin") == 0;
  return g_steal_pointer (&self);
}

const char *sd_user_get_id (SdUser *self) { return self->id ? self->id : ""; }
const char *sd_user_get_name (SdUser *self) { return self->name ? self->name : ""; }
const char *sd_user_get_email (SdUser *self) { return self->email; }
const char *sd_user_get_phone_number (SdUser *self) { return self->phone_number ? self->phone_number : ""; }
gboolean sd_user_get_is_admin (SdUser *self) { return self->is_admin; }
const char *sd_user_get_created_at (SdUser *self) { return self->created_at ? self->created_at : ""; }
