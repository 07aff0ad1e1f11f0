/* sd-order.c */
#define G_LOG_DOMAIN "storedesk-models"

#include "config.h"

#include "sd-models-private.h"
#include "sd-order.h"

struct _SdOrder
{
  GObject        parent_instance;
  char          *id;
  char          *customer_id;
  SdOrderStatus  status;
  gint64         total;
  guint          n_lines;
  char          *memo;
  char          *access_key;
};

G_DEFINE_FINAL_TYPE (SdOrder, sd_order, G_TYPE_OBJECT)

static void
sd_order_finalize (GObject *object)
{
  SdOrder *self = SD_ORDER (object);

  g_free (self->id);
  g_free (self->customer_id);
  g_free (self->access_key);
  g_free (self->memo);
  G_OBJECT_CLASS (sd_order_parent_class)->finalize (object);
}

static void
sd_order_class_init (SdOrderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_order_finalize;
}

static void
sd_order_init (SdOrder *self)
{
}

SdOrder *
sd_order_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdOrder) self = NULL;
  JsonObject *o, *payment;
  JsonNode *lines;
  const char *id, *status;
  gint64 total = 0;

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
  /* An unknown status reads as the first one; the wire value is what counts. */
  if (!sd_order_status_from_wire (status, &self->status))
    self->status = SD_ORDER_STATUS_AWAITING_PAYMENT;
  payment = json_object_has_member (o, "payment") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "payment"))
            ? json_object_get_object_member (o, "payment") : NULL;
  if (payment)
    sd_json_get_integer (payment, "ttlPrice", &total);
  lines = json_object_get_member (o, "product");
  self->id = g_strdup (id);
  self->customer_id = g_strdup (sd_json_get_string (o, "customerId"));
  self->total = total;
  self->n_lines = lines && JSON_NODE_HOLDS_ARRAY (lines) ? json_array_get_length (json_node_get_array (lines)) : 0;
  self->access_key = g_strdup (sd_json_get_string (o, "accessKey"));
  self->memo = g_strdup (sd_json_get_string (o, "memo"));
  return g_steal_pointer (&self);
}

const char *sd_order_get_id (SdOrder *self) { return self->id; }
const char *sd_order_get_customer_id (SdOrder *self) { return self->customer_id; }
SdOrderStatus sd_order_get_status (SdOrder *self) { return self->status; }
gint64 sd_order_get_total (SdOrder *self) { return self->total; }
guint sd_order_get_n_lines (SdOrder *self) { return self->n_lines; }
const char *sd_order_get_access_key (SdOrder *self) { return self->access_key; }
const char *sd_order_get_memo (SdOrder *self) { return self->memo ? self->memo : ""; }
