/* sd-sync-item.c — one edit in the queue (see sd-sync.h), and the records
 * the edits are compared on. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-models-private.h"
#include "sd-sync-private.h"

G_DEFINE_FINAL_TYPE (SdSyncItem, sd_sync_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [SD_SYNC_ORDER_STATUS] = "order-status",
  [SD_SYNC_PRODUCT] = "product",
  [SD_SYNC_CATEGORY] = "category",
  [SD_SYNC_ORDER_MEMO] = "order-memo",
  [SD_SYNC_ORDER_CANCEL] = "order-cancel",
};

const char *
sd_sync_kind_to_string (SdSyncKind kind)
{
  return kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : NULL;
}

gboolean
sd_sync_kind_from_string (const char *text, SdSyncKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i], text) == 0)
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
sd_sync_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdSyncItem *self = SD_SYNC_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_int (value, self->state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_item_finalize (GObject *object)
{
  SdSyncItem *self = SD_SYNC_ITEM (object);

  g_free (self->target);
  g_free (self->title);
  g_free (self->key);
  g_clear_pointer (&self->base, json_object_unref);
  g_clear_pointer (&self->changes, json_object_unref);
  g_clear_pointer (&self->theirs, json_object_unref);
  g_strfreev (self->fields);
  g_free (self->message);
  g_warn_if_fail (self->waiter == NULL);
  G_OBJECT_CLASS (sd_sync_item_parent_class)->finalize (object);
}

static void
sd_sync_item_class_init (SdSyncItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sd_sync_item_get_property;
  object_class->finalize = sd_sync_item_finalize;
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, SD_SYNC_WAITING, SD_SYNC_REFUSED,
                                             SD_SYNC_WAITING,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_sync_item_init (SdSyncItem *self)
{
}

static GStrv
members_of (JsonObject *o)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l; l = l->next)
    g_strv_builder_add (b, l->data);
  return g_strv_builder_end (b);
}

SdSyncItem *
sd_sync_item_new (SdSyncKind kind, const char *target, const char *title, const char *key, gint64 created,
                  JsonObject *base, JsonObject *changes)
{
  SdSyncItem *self = g_object_new (SD_TYPE_SYNC_ITEM, NULL);

  self->kind = kind;
  self->target = g_strdup (target);
  self->title = g_strdup (title ? title : "");
  self->key = g_strdup (key);
  self->created = created;
  self->base = json_object_ref (base);
  self->changes = json_object_ref (changes);
  self->fields = members_of (changes);
  return self;
}

void
sd_sync_item_rebase (SdSyncItem *self, JsonObject *base, JsonObject *changes)
{
  json_object_ref (base);
  g_clear_pointer (&self->base, json_object_unref);
  self->base = base;
  if (changes)
    {
      json_object_ref (changes);
      g_clear_pointer (&self->changes, json_object_unref);
      self->changes = changes;
      g_strfreev (self->fields);
      self->fields = members_of (changes);
    }
}

void
sd_sync_item_set_state (SdSyncItem *self, SdSyncState state, const char *message)
{
  gboolean changed = self->state != state;

  g_free (self->message);
  self->message = g_strdup (message);
  self->state = state;
  if (state != SD_SYNC_CONFLICT)
    g_clear_pointer (&self->theirs, json_object_unref);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

char *
sd_sync_item_body (SdSyncItem *self)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "title", self->title);
  json_object_set_object_member (o, "base", json_object_ref (self->base));
  json_object_set_object_member (o, "changes", json_object_ref (self->changes));
  if (self->origin != SD_ACTIVITY_ORIGIN_NONE)
    json_object_set_string_member (o, "origin", sd_activity_origin_to_wire (self->origin));
  json_node_set_object (node, o);
  return json_to_string (node, FALSE);
}

const char *
sd_sync_item_base_updated_at (SdSyncItem *self)
{
  return sd_json_get_string (self->base, "updatedAt");
}

SdSyncKind sd_sync_item_get_kind (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), 0); return self->kind; }
const char *sd_sync_item_get_target (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL); return self->target; }
const char *sd_sync_item_get_title (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL); return self->title; }
SdSyncState sd_sync_item_get_state (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), 0); return self->state; }
const char *sd_sync_item_get_message (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL); return self->message; }
gint64 sd_sync_item_get_created (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), 0); return self->created; }
const char *sd_sync_item_get_idempotency_key (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL); return self->key; }
const char * const *sd_sync_item_get_fields (SdSyncItem *self) { g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL); return (const char * const *) self->fields; }

char *
sd_sync_item_dup_base_value (SdSyncItem *self, const char *field)
{
  g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL);
  return sd_sync_value_text (self->base, field);
}

char *
sd_sync_item_dup_yours_value (SdSyncItem *self, const char *field)
{
  g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL);
  return sd_sync_value_text (self->changes, field);
}

char *
sd_sync_item_dup_theirs_value (SdSyncItem *self, const char *field)
{
  g_return_val_if_fail (SD_IS_SYNC_ITEM (self), NULL);
  return self->theirs ? sd_sync_value_text (self->theirs, field) : g_strdup ("");
}

gboolean
sd_sync_item_field_changed_there (SdSyncItem *self, const char *field)
{
  g_autofree char *base = NULL;
  g_autofree char *theirs = NULL;

  g_return_val_if_fail (SD_IS_SYNC_ITEM (self), FALSE);
  if (self->theirs == NULL)
    return FALSE;
  base = sd_sync_value_text (self->base, field);
  theirs = sd_sync_value_text (self->theirs, field);
  return g_strcmp0 (base, theirs) != 0;
}

/* ---- records ---------------------------------------------------------- */

char *
sd_sync_value_text (JsonObject *record, const char *field)
{
  JsonNode *n = record ? json_object_get_member (record, field) : NULL;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *o = json_node_get_object (n);
      JsonNode *values = json_object_get_member (o, "value");
      g_autoptr(GString) text = g_string_new (sd_json_get_string (o, "name"));

      g_string_append (text, ": ");
      for (guint i = 0; values && JSON_NODE_HOLDS_ARRAY (values) &&
                        i < json_array_get_length (json_node_get_array (values)); i++)
        {
          const char *v = json_array_get_string_element (json_node_get_array (values), i);
          g_string_append_printf (text, "%s%s", i ? ", " : "", v ? v : "");
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_node_get_double (n));
  return g_strdup ("");
}

gboolean
sd_sync_record_has (JsonObject *record, JsonObject *changes)
{
  g_autoptr(GList) members = json_object_get_members (changes);

  for (GList *l = members; l; l = l->next)
    {
      g_autofree char *there = sd_sync_value_text (record, l->data);
      g_autofree char *ours = sd_sync_value_text (changes, l->data);

      if (g_strcmp0 (there, ours) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
set_string_or_null (JsonObject *o, const char *member, const char *value)
{
  if (value)
    json_object_set_string_member (o, member, value);
  else
    json_object_set_null_member (o, member);
}

static JsonObject *
product_record (SdProduct *p)
{
  JsonObject *o = json_object_new ();
  SdOption *option = sd_product_get_option (p);
  gint64 stock = sd_product_get_stock (p);

  json_object_set_string_member (o, "name", sd_product_get_name (p));
  set_string_or_null (o, "categoryId", sd_product_get_category_id (p));
  set_string_or_null (o, "brand", sd_product_get_brand (p));
  json_object_set_int_member (o, "price", sd_product_get_price (p));
  set_string_or_null (o, "image", sd_product_get_image (p));
  set_string_or_null (o, "description", sd_product_get_description (p));
  if (stock >= 0)
    json_object_set_int_member (o, "stock", stock);
  else
    json_object_set_null_member (o, "stock");
  if (option && sd_option_get_name (option))
    {
      JsonObject *opt = json_object_new ();
      JsonArray *values = json_array_new ();
      const char * const *v = sd_option_get_values (option);

      for (guint i = 0; v && v[i]; i++)
        json_array_add_string_element (values, v[i]);
      json_object_set_string_member (opt, "name", sd_option_get_name (option));
      json_object_set_array_member (opt, "value", values);
      json_object_set_object_member (o, "options", opt);
    }
  else
    json_object_set_null_member (o, "options");
  return o;
}

JsonObject *
sd_sync_record_of (SdSyncKind kind, GObject *model)
{
  JsonObject *o;
  const char *id = NULL, *updated_at = NULL;

  switch (kind)
    {
    case SD_SYNC_PRODUCT:
      o = product_record (SD_PRODUCT (model));
      id = sd_product_get_id (SD_PRODUCT (model));
      updated_at = sd_product_get_updated_at (SD_PRODUCT (model));
      break;
    case SD_SYNC_CATEGORY:
      o = json_object_new ();
      json_object_set_string_member (o, "name", sd_category_get_name (SD_CATEGORY (model)));
      id = sd_category_get_id (SD_CATEGORY (model));
      updated_at = sd_category_get_updated_at (SD_CATEGORY (model));
      break;
    case SD_SYNC_ORDER_STATUS:
    default:
      o = json_object_new ();
      json_object_set_string_member (o, "status", sd_order_get_status_wire (SD_ORDER (model)));
      if (kind == SD_SYNC_ORDER_MEMO)
        set_string_or_null (o, "memo", sd_order_get_memo (SD_ORDER (model)));
      id = sd_order_get_id (SD_ORDER (model));
      updated_at = sd_order_get_updated_at (SD_ORDER (model));
      break;
    }
  json_object_set_string_member (o, "_id", id);
  set_string_or_null (o, "updatedAt", updated_at);
  return o;
}

GObject *
sd_sync_model_from_json (SdSyncKind kind, JsonNode *node, GError **error)
{
  switch (kind)
    {
    case SD_SYNC_PRODUCT: return G_OBJECT (sd_product_new_from_json (node, error));
    case SD_SYNC_CATEGORY: return G_OBJECT (sd_category_new_from_json (node, error));
    case SD_SYNC_ORDER_STATUS:
    default: return G_OBJECT (sd_order_new_from_json (node, error));
    }
}
