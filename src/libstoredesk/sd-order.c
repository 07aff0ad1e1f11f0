/* sd-order.c — SdOrder, its SdOrderLines and its SdReceiver. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-models-private.h"
#include "sd-order.h"
#include "sd-core-enums.h"

#define READABLE (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

/* ---- SdReceiver ------------------------------------------------------ */

struct _SdReceiver
{
  GObject  parent_instance;
  char    *name;
  char    *phone_number;
  char    *address;
  char    *address_detail;
};

G_DEFINE_FINAL_TYPE (SdReceiver, sd_receiver, G_TYPE_OBJECT)

enum { RPROP_0, RPROP_NAME, RPROP_PHONE_NUMBER, RPROP_ADDRESS, RPROP_ADDRESS_DETAIL, RN_PROPS };

static void
sd_receiver_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdReceiver *self = SD_RECEIVER (object);

  switch (prop_id)
    {
    case RPROP_NAME: g_value_set_string (value, sd_receiver_get_name (self)); break;
    case RPROP_PHONE_NUMBER: g_value_set_string (value, sd_receiver_get_phone_number (self)); break;
    case RPROP_ADDRESS: g_value_set_string (value, sd_receiver_get_address (self)); break;
    case RPROP_ADDRESS_DETAIL: g_value_set_string (value, sd_receiver_get_address_detail (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_receiver_finalize (GObject *object)
{
  SdReceiver *self = SD_RECEIVER (object);

  g_free (self->name);
  g_free (self->phone_number);
  g_free (self->address);
  g_free (self->address_detail);
  G_OBJECT_CLASS (sd_receiver_parent_class)->finalize (object);
}

static void
sd_receiver_class_init (SdReceiverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec *props[RN_PROPS] = { NULL, };

  object_class->get_property = sd_receiver_get_property;
  object_class->finalize = sd_receiver_finalize;
  props[RPROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, READABLE);
  props[RPROP_PHONE_NUMBER] = g_param_spec_string ("phone-number", NULL, NULL, NULL, READABLE);
  props[RPROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, READABLE);
  props[RPROP_ADDRESS_DETAIL] = g_param_spec_string ("address-detail", NULL, NULL, NULL, READABLE);
  g_object_class_install_properties (object_class, RN_PROPS, props);
}

static void
sd_receiver_init (SdReceiver *self)
{
}

/* NULL for null, absent or nameless receivers. */
static SdReceiver *
receiver_new_from_json (JsonNode *node)
{
  SdReceiver *self;
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  if (sd_json_get_string (o, "name") == NULL)
    return NULL;
  self = g_object_new (SD_TYPE_RECEIVER, NULL);
  self->name = g_strdup (sd_json_get_string (o, "name"));
  self->phone_number = g_strdup (sd_json_get_string (o, "phoneNumber"));
  self->address = g_strdup (sd_json_get_string (o, "address"));
  self->address_detail = g_strdup (sd_json_get_string (o, "addressDetail"));
  return self;
}

const char *sd_receiver_get_name (SdReceiver *self) { return self->name; }
const char *sd_receiver_get_phone_number (SdReceiver *self) { return self->phone_number ? self->phone_number : ""; }
const char *sd_receiver_get_address (SdReceiver *self) { return self->address ? self->address : ""; }
const char *sd_receiver_get_address_detail (SdReceiver *self) { return self->address_detail ? self->address_detail : ""; }

static gboolean
receiver_equal (SdReceiver *a, SdReceiver *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->name, b->name) == 0 && g_strcmp0 (a->phone_number, b->phone_number) == 0 &&
         g_strcmp0 (a->address, b->address) == 0 && g_strcmp0 (a->address_detail, b->address_detail) == 0;
}

/* ---- SdOrderLine ----------------------------------------------------- */

struct _SdOrderLine
{
  GObject  parent_instance;
  SdLine   line;
};

void
sd_line_clear (SdLine *line)
{
  g_free (line->product_id);
  g_free (line->name);
  g_free (line->image);
  g_free (line->option);
}

G_DEFINE_FINAL_TYPE (SdOrderLine, sd_order_line, G_TYPE_OBJECT)

enum { LPROP_0, LPROP_PRODUCT_ID, LPROP_NAME, LPROP_COUNT, LPROP_PRICE, LPROP_IMAGE, LPROP_OPTION, LN_PROPS };

static void
sd_order_line_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdOrderLine *self = SD_ORDER_LINE (object);

  switch (prop_id)
    {
    case LPROP_PRODUCT_ID: g_value_set_string (value, self->line.product_id); break;
    case LPROP_NAME: g_value_set_string (value, self->line.name); break;
    case LPROP_COUNT: g_value_set_uint (value, self->line.count); break;
    case LPROP_PRICE: g_value_set_int64 (value, self->line.price); break;
    case LPROP_IMAGE: g_value_set_string (value, self->line.image); break;
    case LPROP_OPTION: g_value_set_string (value, self->line.option); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_order_line_finalize (GObject *object)
{
  sd_line_clear (&SD_ORDER_LINE (object)->line);
  G_OBJECT_CLASS (sd_order_line_parent_class)->finalize (object);
}

static void
sd_order_line_class_init (SdOrderLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec *props[LN_PROPS] = { NULL, };

  object_class->get_property = sd_order_line_get_property;
  object_class->finalize = sd_order_line_finalize;
  props[LPROP_PRODUCT_ID] = g_param_spec_string ("product-id", NULL, NULL, NULL, READABLE);
  props[LPROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, READABLE);
  props[LPROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  props[LPROP_PRICE] = g_param_spec_int64 ("price", NULL, NULL, -1, G_MAXINT64, -1, READABLE);
  props[LPROP_IMAGE] = g_param_spec_string ("image", NULL, NULL, NULL, READABLE);
  props[LPROP_OPTION] = g_param_spec_string ("option", NULL, NULL, NULL, READABLE);
  g_object_class_install_properties (object_class, LN_PROPS, props);
}

static void
sd_order_line_init (SdOrderLine *self)
{
  self->line.price = -1;
}

/* The chosen option as one string: ours sends "화이트"; other clients of
 * the original sent an array of values or an object of name → value. */
static char *
option_text (JsonNode *node)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (text, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *v = json_array_get_element (a, i);
          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            g_string_append_printf (text, "%s%s", text->len ? ", " : "", json_node_get_string (v));
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *v;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &v))
        if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING &&
            g_strcmp0 (member, "_id") != 0)
          g_string_append_printf (text, "%s%s", text->len ? ", " : "", json_node_get_string (v));
    }
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static SdOrderLine *
line_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdOrderLine) self = NULL;
  JsonObject *o;
  gint64 count = 0, price;
  const char *id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("order line", "(object)"));
      return NULL;
    }
  o = json_node_get_object (node);
  id = sd_json_get_string (o, "id");
  if (id == NULL)
    id = sd_json_get_string (o, "_id");
  /* What matters in a line: which product, and how many. */
  if (id == NULL || *id == '\0')
    {
      g_propagate_error (error, sd_json_bad_field ("order line", "id"));
      return NULL;
    }
  if (!sd_json_get_integer (o, "count", &count) || count < 1 || count > G_MAXUINT)
    {
      g_propagate_error (error, sd_json_bad_field ("order line", "count"));
      return NULL;
    }
  self = g_object_new (SD_TYPE_ORDER_LINE, NULL);
  self->line.product_id = g_strdup (id);
  self->line.name = g_strdup (sd_json_get_string (o, "name"));
  self->line.image = g_strdup (sd_json_get_string (o, "image"));
  self->line.option = option_text (json_object_get_member (o, "options"));
  self->line.count = (guint) count;
  if (sd_json_get_integer (o, "price", &price) && price >= 0)
    self->line.price = price;
  return g_steal_pointer (&self);
}

const char *sd_order_line_get_product_id (SdOrderLine *self) { return self->line.product_id; }
const char *sd_order_line_get_name (SdOrderLine *self) { return self->line.name ? self->line.name : ""; }
guint sd_order_line_get_count (SdOrderLine *self) { return self->line.count; }
gint64 sd_order_line_get_price (SdOrderLine *self) { return self->line.price; }
const char *sd_order_line_get_image (SdOrderLine *self) { return self->line.image; }
const char *sd_order_line_get_option (SdOrderLine *self) { return self->line.option; }

/* ---- SdOrder --------------------------------------------------------- */

struct _SdOrder
{
  GObject        parent_instance;
  char          *id;
  char          *customer_id;
  char          *status_wire;
  SdOrderStatus  status;
  gint64         total;
  gint64         items_total;
  gint64         delivery_fee;
  GListStore    *lines;
  SdReceiver    *receiver;
  char          *memo;
  GDateTime     *created_at;
  char          *access_key;
  char          *order_number;         /* the shop's [ext] orderNumber, or NULL */
  char          *updated_at;           /* the shop's updatedAt, as sent */
  gboolean       kept_here;            /* known to the shop by its id only */
  gboolean       receiver_kept_here;   /* the receiver is ours, not the shop's */
};

G_DEFINE_FINAL_TYPE (SdOrder, sd_order, G_TYPE_OBJECT)

enum {
  PROP_0, PROP_ID, PROP_CUSTOMER_ID, PROP_STATUS, PROP_STATUS_LABEL, PROP_TOTAL, PROP_ITEMS_TOTAL,
  PROP_DELIVERY_FEE, PROP_LINES, PROP_RECEIVER, PROP_MEMO, PROP_CREATED_AT, PROP_ACCESS_KEY, PROP_KEPT_HERE,
  PROP_ORDER_NUMBER, N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
sd_order_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdOrder *self = SD_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_CUSTOMER_ID: g_value_set_string (value, self->customer_id); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_STATUS_LABEL: g_value_set_string (value, sd_order_status_label (self->status)); break;
    case PROP_TOTAL: g_value_set_int64 (value, self->total); break;
    case PROP_ITEMS_TOTAL: g_value_set_int64 (value, self->items_total); break;
    case PROP_DELIVERY_FEE: g_value_set_int64 (value, self->delivery_fee); break;
    case PROP_LINES: g_value_set_object (value, self->lines); break;
    case PROP_RECEIVER: g_value_set_object (value, self->receiver); break;
    case PROP_MEMO: g_value_set_string (value, sd_order_get_memo (self)); break;
    case PROP_CREATED_AT: g_value_set_boxed (value, self->created_at); break;
    case PROP_ACCESS_KEY: g_value_set_string (value, self->access_key); break;
    case PROP_KEPT_HERE: g_value_set_boolean (value, self->kept_here); break;
    case PROP_ORDER_NUMBER: g_value_take_string (value, sd_order_dup_order_number (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_order_finalize (GObject *object)
{
  SdOrder *self = SD_ORDER (object);

  g_free (self->id);
  g_free (self->customer_id);
  g_free (self->status_wire);
  g_clear_object (&self->lines);
  g_clear_object (&self->receiver);
  g_free (self->memo);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->access_key);
  g_free (self->order_number);
  g_free (self->updated_at);
  G_OBJECT_CLASS (sd_order_parent_class)->finalize (object);
}

static void
sd_order_class_init (SdOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sd_order_get_property;
  object_class->finalize = sd_order_finalize;
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, READABLE);
  properties[PROP_CUSTOMER_ID] = g_param_spec_string ("customer-id", NULL, NULL, NULL, READABLE);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, SD_TYPE_ORDER_STATUS,
                                               SD_ORDER_STATUS_AWAITING_PAYMENT, READABLE);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, READABLE);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_ITEMS_TOTAL] = g_param_spec_int64 ("items-total", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_DELIVERY_FEE] = g_param_spec_int64 ("delivery-fee", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_LINES] = g_param_spec_object ("lines", NULL, NULL, G_TYPE_LIST_MODEL, READABLE);
  properties[PROP_RECEIVER] = g_param_spec_object ("receiver", NULL, NULL, SD_TYPE_RECEIVER, READABLE);
  properties[PROP_MEMO] = g_param_spec_string ("memo", NULL, NULL, NULL, READABLE);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_ACCESS_KEY] = g_param_spec_string ("access-key", NULL, NULL, NULL, READABLE);
  properties[PROP_KEPT_HERE] = g_param_spec_boolean ("kept-here", NULL, NULL, FALSE, READABLE);
  properties[PROP_ORDER_NUMBER] = g_param_spec_string ("order-number", NULL, NULL, NULL, READABLE);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_order_init (SdOrder *self)
{
  self->lines = g_list_store_new (SD_TYPE_ORDER_LINE);
}

/* Payment figures are never negative; a bad one reads as 0. */
static gint64
payment_figure (JsonObject *payment, const char *member)
{
  gint64 value = 0;

  if (payment == NULL || !sd_json_get_integer (payment, member, &value) || value < 0)
    return 0;
  return value;
}

SdOrder *
sd_order_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdOrder) self = NULL;
  JsonObject *o, *payment;
  JsonNode *lines, *member;
  const char *id, *status, *created;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("order", "(object)"));
      return NULL;
    }
  o = json_node_get_object (node);
  id = sd_json_get_string (o, "_id");
  status = sd_json_get_string (o, "status");
  if (id == NULL || *id == '\0')
    {
      g_propagate_error (error, sd_json_bad_field ("order", "_id"));
      return NULL;
    }
  self = g_object_new (SD_TYPE_ORDER, NULL);
  lines = json_object_get_member (o, "product");
  if (lines && JSON_NODE_HOLDS_ARRAY (lines))
    {
      JsonArray *a = json_node_get_array (lines);
      g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          SdOrderLine *line = line_new_from_json (json_array_get_element (a, i), error);
          if (line == NULL)
            return NULL;
          g_ptr_array_add (parsed, line);
        }
      g_list_store_splice (self->lines, 0, 0, parsed->pdata, parsed->len);
    }
  /* An unknown status reads as the first one; the wire value is kept. */
  if (!sd_order_status_from_wire (status, &self->status))
    self->status = SD_ORDER_STATUS_AWAITING_PAYMENT;
  self->status_wire = g_strdup (status ? status : "");
  member = json_object_get_member (o, "payment");
  payment = member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
  self->items_total = payment_figure (payment, "ttlPriceItem");
  self->delivery_fee = payment_figure (payment, "ttlPriceDelivery");
  self->total = payment_figure (payment, "ttlPrice");
  self->id = g_strdup (id);
  self->customer_id = g_strdup (sd_json_get_string (o, "customerId"));
  self->receiver = receiver_new_from_json (json_object_get_member (o, "receiver"));
  self->access_key = g_strdup (sd_json_get_string (o, "accessKey"));
  self->memo = g_strdup (sd_json_get_string (o, "memo"));
  self->order_number = g_strdup (sd_json_get_string (o, "orderNumber"));
  self->updated_at = g_strdup (sd_json_get_string (o, "updatedAt"));
  created = sd_json_get_string (o, "createdAt");
  if (created)
    self->created_at = g_date_time_new_from_iso8601 (created, NULL);
  return g_steal_pointer (&self);
}

static gboolean
set_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
sd_order_update (SdOrder *self, SdOrder *newer)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (set_string (&self->customer_id, newer->customer_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
  if (set_string (&self->status_wire, newer->status_wire) || self->status != newer->status)
    {
      self->status = newer->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
    }
  if (set_string (&self->memo, newer->memo))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMO]);
  if (newer->order_number && set_string (&self->order_number, newer->order_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_NUMBER]);
#define FIGURE(field, prop) \
  if (self->field != newer->field) \
    { \
      self->field = newer->field; \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
    }
  FIGURE (total, PROP_TOTAL)
  FIGURE (items_total, PROP_ITEMS_TOTAL)
  FIGURE (delivery_fee, PROP_DELIVERY_FEE)
#undef FIGURE
  /* A receiver only this computer knows stays, unless the shop has one. */
  if (!(newer->receiver == NULL && self->receiver_kept_here) && !receiver_equal (self->receiver, newer->receiver))
    {
      self->receiver_kept_here = newer->receiver_kept_here;
      g_set_object (&self->receiver, newer->receiver);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVER]);
    }
  /* Lines rarely change (staff edits); the store says so itself. */
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (newer->lines));
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (newer->lines), i));
    g_list_store_splice (self->lines, 0, g_list_model_get_n_items (G_LIST_MODEL (self->lines)),
                         items->pdata, items->len);
  }
  if (newer->created_at && (self->created_at == NULL || !g_date_time_equal (self->created_at, newer->created_at)))
    {
      g_clear_pointer (&self->created_at, g_date_time_unref);
      self->created_at = g_date_time_ref (newer->created_at);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
    }
  if (newer->updated_at)
    set_string (&self->updated_at, newer->updated_at);
  if (newer->access_key && set_string (&self->access_key, newer->access_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_KEY]);
  if (newer->kept_here && !self->kept_here)
    {
      self->kept_here = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEPT_HERE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
sd_order_set_access_key (SdOrder *self, const char *access_key)
{
  if (set_string (&self->access_key, access_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_KEY]);
}

const char *sd_order_get_id (SdOrder *self) { return self->id; }
const char *sd_order_get_customer_id (SdOrder *self) { return self->customer_id ? self->customer_id : ""; }
gboolean sd_order_get_is_guest (SdOrder *self) { return g_str_has_prefix (sd_order_get_customer_id (self), "guest_"); }
SdOrderStatus sd_order_get_status (SdOrder *self) { return self->status; }
const char *sd_order_get_status_wire (SdOrder *self) { return self->status_wire; }
gint64 sd_order_get_total (SdOrder *self) { return self->total; }
gint64 sd_order_get_items_total (SdOrder *self) { return self->items_total; }
gint64 sd_order_get_delivery_fee (SdOrder *self) { return self->delivery_fee; }
GListModel *sd_order_get_lines (SdOrder *self) { return G_LIST_MODEL (self->lines); }
guint sd_order_get_n_lines (SdOrder *self) { return g_list_model_get_n_items (G_LIST_MODEL (self->lines)); }
SdReceiver *sd_order_get_receiver (SdOrder *self) { return self->receiver; }
const char *sd_order_get_memo (SdOrder *self) { return self->memo ? self->memo : ""; }
GDateTime *sd_order_get_created_at (SdOrder *self) { return self->created_at; }
const char *sd_order_get_updated_at (SdOrder *self) { return self->updated_at; }
const char *sd_order_get_access_key (SdOrder *self) { return self->access_key; }
gboolean sd_order_get_kept_here (SdOrder *self) { return self->kept_here; }

char *
sd_order_dup_order_number (SdOrder *self)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (SD_IS_ORDER (self), NULL);
  if (self->order_number && *self->order_number)
    return g_strdup (self->order_number);
  /* The original web front end's: createdAt.slice (0, 10) + '-' +
   * _id.slice (0, 6) (checkout-result.js:69), createdAt in UTC as the
   * shop writes it. */
  if (self->created_at)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (self->created_at);
      day = g_date_time_format (utc, "%Y-%m-%d");
    }
  return g_strdup_printf ("%s%s%.6s", day ? day : "", day ? "-" : "", self->id);
}

void
sd_order_mark_cancelled (SdOrder *self)
{
  if (self->status == SD_ORDER_STATUS_CANCELLED)
    return;
  self->status = SD_ORDER_STATUS_CANCELLED;
  set_string (&self->status_wire, sd_order_status_to_wire (SD_ORDER_STATUS_CANCELLED));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
}
gboolean sd_order_get_receiver_kept_here (SdOrder *self) { return self->receiver_kept_here; }

/* A line's option as the original keeps it is the id of the product's
 * whole option set, never the value chosen: the value comes from what
 * this computer sent (record's lines, by position and product), or none. */
void
sd_order_apply_record (SdOrder *self, JsonObject *record)
{
  JsonNode *sent = record ? json_object_get_member (record, "lines") : NULL;
  JsonArray *sent_lines = sent && JSON_NODE_HOLDS_ARRAY (sent) ? json_node_get_array (sent) : NULL;
  JsonNode *receiver = record ? json_object_get_member (record, "receiver") : NULL;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < sd_order_get_n_lines (self); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);
      JsonNode *e = sent_lines && i < json_array_get_length (sent_lines)
                    ? json_array_get_element (sent_lines, i) : NULL;
      JsonObject *o = e && JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *option = o && g_strcmp0 (sd_json_get_string (o, "id"), line->line.product_id) == 0
                           ? sd_json_get_string (o, "option") : NULL;
      gint64 price;

      set_string (&line->line.option, option);
      if (o && line->line.price < 0 && sd_json_get_integer (o, "price", &price) && price >= 0 &&
          g_strcmp0 (sd_json_get_string (o, "id"), line->line.product_id) == 0)
        line->line.price = price;
    }
  if (record && self->receiver == NULL && (self->receiver = receiver_new_from_json (receiver)) != NULL)
    {
      self->receiver_kept_here = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVER]);
    }
  if (record && !self->kept_here)
    {
      self->kept_here = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEPT_HERE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

SdOrder *
sd_order_new_from_record (JsonObject *record)
{
  JsonNode *answer = json_object_get_member (record, "order");
  g_autoptr(JsonNode) made = NULL;
  SdOrder *self;

  /* Records from before the shop's answer was kept: the lines sent. */
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonNode *sent = json_object_get_member (record, "lines");
      JsonArray *lines = json_array_new ();
      JsonObject *o = json_object_new (), *payment = json_object_new ();
      gint64 items = 0, price, count;

      for (guint i = 0; sent && JSON_NODE_HOLDS_ARRAY (sent) && i < json_array_get_length (json_node_get_array (sent)); i++)
        {
          JsonNode *e = json_array_get_element (json_node_get_array (sent), i);

          if (!JSON_NODE_HOLDS_OBJECT (e))
            continue;
          if (sd_json_get_integer (json_node_get_object (e), "price", &price) &&
              sd_json_get_integer (json_node_get_object (e), "count", &count))
            items += price * count;
          json_array_add_element (lines, json_node_copy (e));
        }
      json_object_set_string_member (o, "_id", sd_json_get_string (record, "id"));
      json_object_set_array_member (o, "product", lines);
      json_object_set_string_member (o, "memo", sd_json_get_string (record, "memo"));
      json_object_set_int_member (payment, "ttlPriceItem", items);
      json_object_set_object_member (o, "payment", payment);
      made = json_node_init_object (json_node_alloc (), o);
      json_object_unref (o);
      answer = made;
    }
  self = sd_order_new_from_json (answer, NULL);
  if (self)
    sd_order_apply_record (self, record);
  return self;
}

guint
sd_order_get_n_items (SdOrder *self)
{
  guint n = 0;

  for (guint i = 0; i < sd_order_get_n_lines (self); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);
      n += line->line.count;
    }
  return n;
}
