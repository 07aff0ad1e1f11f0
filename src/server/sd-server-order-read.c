/* sd-server-order-read.c — an order's parts read from a request body and
 * checked (see sd-server-order-read.h). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-order-read.h"

#define MAX_LINES        100
#define MAX_COUNT        999
#define MEMO_MAX         500

GArray *
sd_server_order_read_lines (SdServerRequest *req, JsonObject *body)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (SdServerOrderLine));
  JsonNode *node = json_object_get_member (body, "product");
  JsonArray *array;

  g_array_set_clear_func (lines, sd_server_order_line_clear);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) == 0)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "An order lists at least one product in product: [...].");
      return NULL;
    }
  if (json_array_get_length (array) > MAX_LINES)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "An order has at most 100 lines.");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      JsonNode *idn = o ? json_object_get_member (o, "id") : NULL;
      JsonNode *opt = o ? json_object_get_member (o, "options") : NULL;
      g_autoptr(GError) error = NULL;
      SdServerOrderLine line = { 0 };
      gint64 count;

      if (idn == NULL || !JSON_NODE_HOLDS_VALUE (idn) || json_node_get_value_type (idn) != G_TYPE_STRING)
        {
          sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Each order line names a product id.");
          return NULL;
        }
      if (!sd_json_integer (o, "count", &count) || count < 1 || count > MAX_COUNT)
        {
          sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Each order line has a count from 1 to 999.");
          return NULL;
        }
      line.product_id = g_strdup (json_node_get_string (idn));
      if (!sd_server_store_price_line (store, &line, &error))
        {
          sd_server_order_line_clear (&line);
          if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
            {
              g_autofree char *m = g_strdup_printf ("Product %.40s is no longer sold.", json_node_get_string (idn));
              sd_reply_error (req, SOUP_STATUS_CONFLICT, m);
            }
          else
            sd_reply_internal (req, error);
          return NULL;
        }
      line.count = count;
      if (opt && !JSON_NODE_HOLDS_NULL (opt))
        {
          line.options = json_to_string (opt, FALSE);
          if (strlen (line.options) > 1000)
            {
              sd_server_order_line_clear (&line);
              sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The chosen options are too long.");
              return NULL;
            }
        }
      g_array_append_val (lines, line);
    }
  return g_steal_pointer (&lines);
}

gboolean
sd_server_order_read_receiver (SdServerRequest *req, JsonObject *body, char **out_json, gboolean *present)
{
  JsonNode *node = json_object_get_member (body, "receiver");
  JsonObject *r;
  g_autofree char *phone = NULL;
  const char *name, *address, *detail;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;

  *out_json = NULL;
  *present = node != NULL && !JSON_NODE_HOLDS_NULL (node);
  if (!*present)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "receiver is an object {name, phoneNumber, address, addressDetail}.");
      return FALSE;
    }
  r = json_node_get_object (node);
#define STR(m) (json_object_has_member (r, m) && JSON_NODE_HOLDS_VALUE (json_object_get_member (r, m)) && \
                json_node_get_value_type (json_object_get_member (r, m)) == G_TYPE_STRING \
                ? json_object_get_string_member (r, m) : NULL)
  name = STR ("name");
  address = STR ("address");
  detail = STR ("addressDetail");
  phone = sd_field_normalize_phone (STR ("phoneNumber"));
#undef STR
  if (!sd_field_is_name (name))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter the receiver's name: 2 to 30 letters."), FALSE;
  if (phone == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter the receiver's mobile number: 010 and 8 digits."), FALSE;
  if (address == NULL || *address == '\0' || g_utf8_strlen (address, -1) > 200 ||
      (detail && g_utf8_strlen (detail, -1) > 200))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter the delivery address (at most 200 characters)."), FALSE;

  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "phoneNumber");
  json_builder_add_string_value (b, phone);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, address);
  json_builder_set_member_name (b, "addressDetail");
  json_builder_add_string_value (b, detail ? detail : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  *out_json = json_to_string (root, FALSE);
  return TRUE;
}

const char *
sd_server_order_read_memo (SdServerRequest *req, gboolean *ok)
{
  gboolean bad = FALSE;
  const char *memo = sd_body_string (req, "memo", &bad);

  *ok = !bad;
  if (bad)
    return NULL;
  if (memo && g_utf8_strlen (memo, -1) > MEMO_MAX)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "A memo is at most 500 characters.");
      *ok = FALSE;
    }
  return memo;
}

JsonNode *
sd_server_order_payment_json (gint64 item, gint64 delivery, GArray *lines)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ttlPriceItem");
  json_builder_add_int_value (b, item);
  json_builder_set_member_name (b, "ttlPriceDelivery");
  json_builder_add_int_value (b, delivery);
  json_builder_set_member_name (b, "ttlPrice");
  json_builder_add_int_value (b, item + delivery);
  if (lines != NULL)
    {
      json_builder_set_member_name (b, "prices");
      json_builder_begin_array (b);
      for (guint i = 0; i < lines->len; i++)
        {
          SdServerOrderLine *l = &g_array_index (lines, SdServerOrderLine, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, l->product_id);
          json_builder_set_member_name (b, "price");
          json_builder_add_int_value (b, l->price);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
