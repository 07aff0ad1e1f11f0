/* sd-user.c */
#define G_LOG_DOMAIN "storedesk-models"

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
  G_OBJECT_CLASS (klass)->finalize = sd_user_finalize;
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
