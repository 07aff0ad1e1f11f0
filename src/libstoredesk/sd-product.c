/* sd-product.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-models-private.h"

struct _SdProduct
{
  GObject  parent_instance;
  char    *id;
  char    *category_id;
  char    *name;
  char    *brand;
  gint64   price;
  char    *image;
  char    *description;
  gint64   stock;
  SdOption *option;
  char    *updated_at;   /* as the shop sent it: the version of the record */
};

G_DEFINE_FINAL_TYPE (SdProduct, sd_product, G_TYPE_OBJECT)

enum {
  PROP_0, PROP_ID, PROP_CATEGORY_ID, PROP_NAME, PROP_BRAND, PROP_PRICE,
  PROP_IMAGE, PROP_DESCRIPTION, PROP_STOCK, PROP_OPTION, N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
sd_product_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdProduct *self = SD_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_CATEGORY_ID: g_value_set_string (value, self->category_id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_BRAND: g_value_set_string (value, self->brand); break;
    case PROP_PRICE: g_value_set_int64 (value, self->price); break;
    case PROP_IMAGE: g_value_set_string (value, self->image); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_STOCK: g_value_set_int64 (value, self->stock); break;
    case PROP_OPTION: g_value_set_object (value, self->option); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_product_finalize (GObject *object)
{
  SdProduct *self = SD_PRODUCT (object);

  g_free (self->id);
  g_free (self->category_id);
  g_free (self->name);
  g_free (self->brand);
  g_free (self->image);
  g_free (self->description);
  g_free (self->updated_at);
  g_clear_object (&self->option);
  G_OBJECT_CLASS (sd_product_parent_class)->finalize (object);
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
sd_product_class_init (SdProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sd_product_get_property;
  object_class->finalize = sd_product_finalize;
  properties[PROP_ID] = string_prop ("id");
  properties[PROP_CATEGORY_ID] = string_prop ("category-id");
  properties[PROP_NAME] = string_prop ("name");
  properties[PROP_BRAND] = string_prop ("brand");
  properties[PROP_PRICE] = g_param_spec_int64 ("price", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE] = string_prop ("image");
  properties[PROP_DESCRIPTION] = string_prop ("description");
  properties[PROP_STOCK] = g_param_spec_int64 ("stock", NULL, NULL, -1, G_MAXINT64, -1,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPTION] = g_param_spec_object ("option", NULL, NULL, SD_TYPE_OPTION,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_product_init (SdProduct *self)
{
  self->stock = -1;
}

SdProduct *
sd_product_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdProduct) self = NULL;
  JsonObject *object;
  const char *id, *name;
  gint64 price = 0, stock;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("product", "(object)"));
      return NULL;
    }
  object = json_node_get_object (node);
  id = sd_json_get_string (object, "_id");
  name = sd_json_get_string (object, "name");
  if (id == NULL || *id == '\0')
    {
      g_propagate_error (error, sd_json_bad_field ("product", "_id"));
      return NULL;
    }
  if (name == NULL)
    {
      g_propagate_error (error, sd_json_bad_field ("product", "name"));
      return NULL;
    }
  /* A price is what the customer pays: it must be there and make sense. */
  if (!sd_json_get_integer (object, "price", &price) || price < 0)
    {
      g_propagate_error (error, sd_json_bad_field ("product", "price"));
      return NULL;
    }

  self = g_object_new (SD_TYPE_PRODUCT, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->price = price;
  self->category_id = g_strdup (sd_json_get_string (object, "categoryId"));
  self->brand = g_strdup (sd_json_get_string (object, "brand"));
  self->image = g_strdup (sd_json_get_string (object, "image"));
  self->description = g_strdup (sd_json_get_string (object, "description"));
  self->updated_at = g_strdup (sd_json_get_string (object, "updatedAt"));
  if (sd_json_get_integer (object, "stock", &stock) && stock >= 0)
    self->stock = stock;
  self->option = sd_option_new_from_json (json_object_get_member (object, "options"));
  return g_steal_pointer (&self);
}

SdProduct *
sd_product_new_placeholder (void)
{
  SdProduct *self = g_object_new (SD_TYPE_PRODUCT, NULL);

  self->id = g_strdup ("");
  self->name = g_strdup ("");
  return self;
}

gboolean
sd_product_is_placeholder (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), FALSE);
  return self->id == NULL || self->id[0] == '\0';
}

const char *
sd_product_get_id (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->id;
}

const char *
sd_product_get_category_id (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->category_id;
}

const char *
sd_product_get_name (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->name;
}

const char *
sd_product_get_brand (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->brand ? self->brand : "";
}

gint64
sd_product_get_price (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), 0);
  return self->price;
}

const char *
sd_product_get_image (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->image;
}

const char *
sd_product_get_description (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->description ? self->description : "";
}

gint64
sd_product_get_stock (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), -1);
  return self->stock;
}

SdOption *
sd_product_get_option (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->option;
}

const char *
sd_product_get_updated_at (SdProduct *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT (self), NULL);
  return self->updated_at;
}
