/* sd-checkout.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sd-api-private.h"
#include "sd-checkout.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-money.h"
#include "sd-order-records-private.h"

struct _SdCheckout
{
  GObject   parent_instance;
  SdApi    *api;
  SdCart   *cart;
  char     *receiver[4];       /* name, phone, address, detail; all NULL: none */
  char     *memo;
  gboolean  paid;
  char     *attempt_key;       /* the Idempotency-Key of the attempt not yet answered */
};

G_DEFINE_FINAL_TYPE (SdCheckout, sd_checkout, G_TYPE_OBJECT)

static void
sd_checkout_finalize (GObject *object)
{
  SdCheckout *self = SD_CHECKOUT (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->receiver); i++)
    g_free (self->receiver[i]);
  g_free (self->memo);
  g_free (self->attempt_key);
  g_clear_object (&self->cart);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_checkout_parent_class)->finalize (object);
}

static void
sd_checkout_class_init (SdCheckoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_checkout_finalize;
}

static void
sd_checkout_init (SdCheckout *self)
{
}

SdCheckout *
sd_checkout_new (SdApi *api, SdCart *cart)
{
  SdCheckout *self = g_object_new (SD_TYPE_CHECKOUT, NULL);

  self->api = g_object_ref (api);
  self->cart = g_object_ref (cart);
  return self;
}

gboolean
sd_checkout_get_original (SdCheckout *self)
{
  g_return_val_if_fail (SD_IS_CHECKOUT (self), FALSE);
  return sd_shop_is_original (self->api);
}

void
sd_checkout_set_receiver (SdCheckout *self, const char *name, const char *phone_number,
                          const char *address, const char *address_detail)
{
  const char *values[] = { name, phone_number, address, address_detail };

  g_return_if_fail (SD_IS_CHECKOUT (self));
  for (guint i = 0; i < G_N_ELEMENTS (self->receiver); i++)
    {
      g_free (self->receiver[i]);
      self->receiver[i] = g_strdup (values[i]);
    }
  /* Hyphens and spaces typed in a phone number are not sent (API.md). */
  if (self->receiver[1])
    {
      char *w = self->receiver[1];

      for (const char *r = self->receiver[1]; *r; r++)
        if (*r != '-' && *r != ' ')
          *w++ = *r;
      *w = '\0';
    }
}

void
sd_checkout_set_memo (SdCheckout *self, const char *memo)
{
  g_return_if_fail (SD_IS_CHECKOUT (self));
  g_free (self->memo);
  self->memo = g_strdup (memo);
}

void
sd_checkout_set_paid (SdCheckout *self, gboolean paid)
{
  g_return_if_fail (SD_IS_CHECKOUT (self));
  self->paid = paid;
}

/* A line's id, name and count, as both servers read them. */
static void
add_line (JsonBuilder *b, SdCartLine *l)
{
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, sd_cart_line_get_product_id (l));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, sd_cart_line_get_name (l));
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, sd_cart_line_get_count (l));
}

/* "receiver": {…}, when there is one. */
static void
add_receiver (SdCheckout *self, JsonBuilder *b)
{
  if (self->receiver[0] != NULL)
    {
      static const char * const names[] = { "name", "phoneNumber", "address", "addressDetail" };

      json_builder_set_member_name (b, "receiver");
      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          json_builder_set_member_name (b, names[i]);
          json_builder_add_string_value (b, self->receiver[i] ? self->receiver[i] : "");
        }
      json_builder_end_object (b);
    }
}

/* option_ids: for the original, product id → the id of its option set
 * (its schema's line options is an ObjectId, schema/order.js:41: a value
 * there is a CastError, 500); NULL: our shape, the value chosen. */
static JsonNode *
order_body (SdCheckout *self, GHashTable *option_ids)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GListModel *lines = G_LIST_MODEL (self->cart);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, sd_order_status_to_wire (self->paid ? SD_ORDER_STATUS_PAID
                                                                        : SD_ORDER_STATUS_AWAITING_PAYMENT));
  json_builder_set_member_name (b, "product");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdCartLine) l = g_list_model_get_item (lines, i);

      json_builder_begin_object (b);
      add_line (b, l);
      json_builder_set_member_name (b, "image");
      json_builder_add_string_value (b, sd_cart_line_get_image (l) ? sd_cart_line_get_image (l) : "");
      if (option_ids)
        {
          const char *option_id = sd_cart_line_get_option (l)
                                  ? g_hash_table_lookup (option_ids, sd_cart_line_get_product_id (l)) : NULL;

          /* The original's own web shop sends item.options._id (checkout.js:238). */
          if (option_id)
            {
              json_builder_set_member_name (b, "options");
              json_builder_add_string_value (b, option_id);
            }
        }
      else
        {
          json_builder_set_member_name (b, "options");
          if (sd_cart_line_get_option (l))
            json_builder_add_string_value (b, sd_cart_line_get_option (l));
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "memo");
  json_builder_add_string_value (b, self->memo ? self->memo : "");
  json_builder_set_member_name (b, "payment");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ttlPriceItem");
  json_builder_add_int_value (b, sd_cart_get_items_total (self->cart));
  json_builder_set_member_name (b, "ttlPriceDelivery");
  json_builder_add_int_value (b, sd_cart_get_delivery_fee (self->cart));
  json_builder_set_member_name (b, "ttlPrice");
  json_builder_add_int_value (b, sd_cart_get_total (self->cart));
  json_builder_end_object (b);
  add_receiver (self, b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* 409 "prices changed": take the shop's prices into the cart, and say
 * what the total was and is. */
static GError *
prices_changed (SdCheckout *self, JsonNode *data, GError *original)
{
  JsonObject *o = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonNode *prices = o ? json_object_get_member (o, "prices") : NULL;
  gint64 before = sd_cart_get_total (self->cart);
  g_autofree char *was = NULL;
  g_autofree char *now = NULL;
  gint64 fee;

  if (prices == NULL || !JSON_NODE_HOLDS_ARRAY (prices))
    return g_error_copy (original);   /* another conflict (stock): the shop's own words */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (prices)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (prices), i);
      gint64 price;

      if (JSON_NODE_HOLDS_OBJECT (e) && sd_json_get_integer (json_node_get_object (e), "price", &price))
        sd_cart_update_price (self->cart, sd_json_get_string (json_node_get_object (e), "id"), price);
    }
  if (sd_json_get_integer (o, "ttlPriceDelivery", &fee))
    sd_cart_set_delivery_fee (self->cart, fee);
  was = sd_format_price (before);
  now = sd_format_price (sd_cart_get_total (self->cart));
  return g_error_new (SD_API_ERROR, SD_API_ERROR_CONFLICT,
                      /* Translators: both are prices, e.g. "₩27,000 → ₩29,000". */
                      _("The prices have changed: the total was %s and is now %s. "
                        "Check the cart and place the order again."), was, now);
}

/* What this computer keeps of an order the shop cannot find again for
 * us (sd-order-records-private.h): what was sent, with the values chosen. */
static JsonNode *
order_record (SdCheckout *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GListModel *lines = G_LIST_MODEL (self->cart);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "memo");
  json_builder_add_string_value (b, self->memo ? self->memo : "");
  add_receiver (self, b);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdCartLine) l = g_list_model_get_item (lines, i);

      json_builder_begin_object (b);
      add_line (b, l);
      json_builder_set_member_name (b, "price");
      json_builder_add_int_value (b, sd_cart_line_get_price (l));
      if (sd_cart_line_get_option (l))
        {
          json_builder_set_member_name (b, "option");
          json_builder_add_string_value (b, sd_cart_line_get_option (l));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

typedef struct {
  JsonNode   *record;       /* what to keep if the shop cannot find the order again */
  GHashTable *option_ids;   /* the original: product id → its option set's id */
  guint       pending;
  GError     *error;
  SdOrder    *order;        /* confirmed, being kept */
} Submit;

static void
submit_free (Submit *s)
{
  g_clear_pointer (&s->record, json_node_unref);
  g_clear_pointer (&s->option_ids, g_hash_table_unref);
  g_clear_error (&s->error);
  g_clear_object (&s->order);
  g_free (s);
}

static void
key_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Submit *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The order stands either way; without the keyring its key is only
   * on the order, for the UI to show once. */
  if (!secret_password_store_finish (result, &error))
    g_message ("the guest order's key is not in the keyring (%s); it is shown once", error->message);
  g_task_return_pointer (task, g_object_ref (s->order), g_object_unref);
}

static void
record_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Submit *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The order stands either way; without the keyring only its number,
   * shown now, finds it again. */
  if (!sd_order_records_store_finish (result, &error))
    g_message ("the order is not kept in the keyring (%s); its number is shown once", error->message);
  g_task_return_pointer (task, g_object_ref (s->order), g_object_unref);
}

static void
submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCheckout *self = g_task_get_source_object (task);
  Submit *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(SdOrder) order = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *shop = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (data == NULL)
    {
      /* A definite answer from the shop ends this attempt; a failure on
       * the way (offline, timeout, server fault) keeps its key for the retry. */
      if (error->domain == SD_API_ERROR &&
          error->code != SD_API_ERROR_OFFLINE && error->code != SD_API_ERROR_TIMEOUT &&
          error->code != SD_API_ERROR_SERVER)
        g_clear_pointer (&self->attempt_key, g_free);
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_task_return_error (task, prices_changed (self, sd_api_call_get_error_data (result), error));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  order = sd_order_new_from_json (data, &error);
  if (order == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Confirmed: only now does the cart empty. */
  g_clear_pointer (&self->attempt_key, g_free);
  sd_cart_clear (self->cart);
  /* Confirmed orders are returned even if cancelled from here on. */
  g_task_set_check_cancellable (task, FALSE);
  s->order = g_object_ref (order);
  if (sd_order_get_access_key (order))
    {
      g_autofree char *label = g_strdup_printf ("Storedesk guest order %s", sd_order_get_id (order));

      shop = sd_shop_key (self->api);
      secret_password_store (sd_guest_order_schema (), SECRET_COLLECTION_DEFAULT, label,
                             sd_order_get_access_key (order), cancellable, key_stored_cb, g_steal_pointer (&task),
                             "shop", shop, "order", sd_order_get_id (order), NULL);
      return;
    }
  customer = sd_order_records_customer (self->api);
  /* The original links no order to its member and gives a guest no key:
   * only this computer can find the order again, by its id. */
  if (customer && (s->option_ids != NULL || g_str_equal (customer, "guest")))
    {
      json_object_set_string_member (json_node_get_object (s->record), "id", sd_order_get_id (order));
      /* The shop's answer too: what to show if it ever will not. */
      json_object_set_member (json_node_get_object (s->record), "order", json_node_copy (data));
      sd_order_apply_record (order, json_node_get_object (s->record));
      sd_order_records_store_async (self->api, customer, s->record, cancellable, record_stored_cb,
                                    g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&order), g_object_unref);
}

static void
send_order (GTask *task)
{
  SdCheckout *self = g_task_get_source_object (task);
  Submit *s = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->cart)) == 0)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("The cart is empty. Add something to order first."));
      g_object_unref (task);
      return;
    }
  if (self->attempt_key == NULL)
    self->attempt_key = g_uuid_string_random ();
  s->record = order_record (self);
  body = order_body (self, s->option_ids);
  sd_api_call_idempotent_async (self->api, "POST", SD_PATH_ORDERS, body, self->attempt_key,
                                g_task_get_cancellable (task), submitted_cb, task);
}

typedef struct {
  GTask *task;
  char  *product_id;
} OptionRead;

static void
option_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OptionRead *read = user_data;
  GTask *task = read->task;
  g_autofree char *product_id = read->product_id;
  SdCheckout *self = g_task_get_source_object (task);
  Submit *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  g_free (read);
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonNode *options = json_object_get_member (json_node_get_object (data), "options");
      const char *id = options && JSON_NODE_HOLDS_OBJECT (options)
                       ? sd_json_get_string (json_node_get_object (options), "_id") : NULL;

      if (id && *id)
        g_hash_table_replace (s->option_ids, g_strdup (product_id), g_strdup (id));
    }
  else if (s->error == NULL)
    {
      /* An unknown id is 200 with data null there (productService.js:83). */
      if (data != NULL || g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
        {
          GListModel *lines = G_LIST_MODEL (self->cart);
          const char *name = product_id;

          for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
            {
              g_autoptr(SdCartLine) l = g_list_model_get_item (lines, i);
              if (g_strcmp0 (sd_cart_line_get_product_id (l), product_id) == 0)
                name = g_intern_string (sd_cart_line_get_name (l));
            }
          s->error = g_error_new (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                  /* Translators: %s is a product's name. */
                                  _("“%s” is no longer sold by this shop. Remove it from the cart and "
                                    "place the order again."), name);
        }
      else
        s->error = g_steal_pointer (&error);
    }
  if (--s->pending > 0)
    return;
  if (s->error)
    {
      g_task_return_error (task, g_steal_pointer (&s->error));
      g_object_unref (task);
      return;
    }
  send_order (task);
}

static void
features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdCheckout *self = g_task_get_source_object (task);
  Submit *s = g_task_get_task_data (task);
  GListModel *lines = G_LIST_MODEL (self->cart);

  sd_shop_learn_features_finish (SD_API (source), result);
  if (!sd_shop_is_original (self->api))
    {
      send_order (task);
      return;
    }
  /* The original wants each option by the id of its product's option
   * set: read from the product as the shop has it now. */
  s->option_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->pending = 1;
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdCartLine) l = g_list_model_get_item (lines, i);
      g_autoptr(GString) path = g_string_new (SD_PATH_PRODUCTS "/");
      const char *id = sd_cart_line_get_product_id (l);
      gboolean seen = FALSE;
      OptionRead *read;

      if (sd_cart_line_get_option (l) == NULL)
        continue;
      for (guint j = 0; j < i && !seen; j++)
        {
          g_autoptr(SdCartLine) earlier = g_list_model_get_item (lines, j);
          seen = sd_cart_line_get_option (earlier) && g_strcmp0 (sd_cart_line_get_product_id (earlier), id) == 0;
        }
      if (seen)
        continue;
      g_string_append_uri_escaped (path, id, NULL, FALSE);
      read = g_new0 (OptionRead, 1);
      read->task = task;
      read->product_id = g_strdup (id);
      s->pending++;
      sd_api_call_async (self->api, "GET", path->str, NULL, g_task_get_cancellable (task), option_read_cb, read);
    }
  if (--s->pending == 0)
    send_order (task);
}

void
sd_checkout_submit_async (SdCheckout *self, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (SD_IS_CHECKOUT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_checkout_submit_async);
  g_task_set_task_data (task, g_new0 (Submit, 1), (GDestroyNotify) submit_free);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->cart)) == 0)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("The cart is empty. Add something to order first."));
      g_object_unref (task);
      return;
    }
  sd_shop_learn_features_async (self->api, cancellable, features_cb, task);
}

SdOrder *
sd_checkout_submit_finish (SdCheckout *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
