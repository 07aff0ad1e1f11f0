/* sd-orders.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-cancelled-notes-private.h"
#include "sd-list-model-private.h"
#include "sd-local-store-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"
#include "sd-orders.h"
#include "sd-orders-private.h"


static void sd_orders_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdOrders, sd_orders, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sd_orders_list_model_iface_init))

SD_PTR_ARRAY_LIST_MODEL (sd_orders, SdOrders, SD_ORDERS, orders, SD_TYPE_ORDER)


static void
sd_orders_finalize (GObject *object)
{
  SdOrders *self = SD_ORDERS (object);

  g_ptr_array_unref (self->orders);
  g_hash_table_unref (self->records);
  g_clear_object (&self->api);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_orders_parent_class)->finalize (object);
}

static void
sd_orders_class_init (SdOrdersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_orders_finalize;
}

static void
sd_orders_init (SdOrders *self)
{
  self->orders = g_ptr_array_new_with_free_func (g_object_unref);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
}

SdOrders *
sd_orders_new (SdApi *api)
{
  SdOrders *self = g_object_new (SD_TYPE_ORDERS, NULL);

  self->api = g_object_ref (api);
  return self;
}

void
sd_orders_set_keep_cancelled (SdOrders *self, gboolean keep)
{
  g_return_if_fail (SD_IS_ORDERS (self));
  self->keep_cancelled = keep;
}

gboolean
sd_orders_get_keep_cancelled (SdOrders *self)
{
  g_return_val_if_fail (SD_IS_ORDERS (self), FALSE);
  return self->keep_cancelled;
}

gboolean
sd_orders_get_original (SdOrders *self)
{
  g_return_val_if_fail (SD_IS_ORDERS (self), FALSE);
  return sd_shop_is_original (self->api);
}

void
sd_orders_forget_guest_order (SdOrders *self, const char *order_id, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *shop = sd_shop_key (self->api);

  secret_password_clear (sd_guest_order_schema (), cancellable, callback, user_data,
                         "shop", shop, "order", order_id, NULL);
}

/* "/api/v1/orders/ID" with "?key=KEY" for a guest. */
char *
sd_orders_order_path (const char *order_id, const char *access_key)
{
  g_autoptr(GString) path = g_string_new (SD_PATH_ORDERS "/");

  g_string_append_uri_escaped (path, order_id, NULL, FALSE);
  if (access_key)
    {
      g_string_append (path, "?key=");
      g_string_append_uri_escaped (path, access_key, NULL, FALSE);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* Keeps the list in step with what the shop said about order: the
 * listed object takes the new fields (and notifies).
 * Returns the object to hand out (the listed one when there is one). */
SdOrder *
sd_orders_update_in_list (SdOrders *self, SdOrder *order)
{
  JsonObject *record = g_hash_table_lookup (self->records, sd_order_get_id (order));

  /* The original's line options are ids, its receiver is none: what was
   * sent from here says more. */
  if (record || sd_shop_is_original (self->api))
    sd_order_apply_record (order, record);
  for (guint i = 0; i < self->orders->len; i++)
    {
      SdOrder *listed = self->orders->pdata[i];

      if (g_strcmp0 (sd_order_get_id (listed), sd_order_get_id (order)) != 0)
        continue;
      sd_order_update (listed, order);
      return g_object_ref (listed);
    }
  return g_object_ref (order);
}

/* ---- the list ------------------------------------------------------- */

static void
replace_all (SdOrders *self, GPtrArray *orders)
{
  guint removed = self->orders->len;

  g_ptr_array_unref (self->orders);
  self->orders = orders;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->orders->len);
}

static gint
by_created_at (gconstpointer a, gconstpointer b)
{
  GDateTime *x = sd_order_get_created_at (*(SdOrder **) a);
  GDateTime *y = sd_order_get_created_at (*(SdOrder **) b);

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  return g_date_time_compare (x, y);
}

/* One listing: the member's list (GET /orders), a guest's keys from the
 * keyring, and the orders kept here (sd-order-records-private.h), read
 * one by one and merged. */
typedef struct {
  GPtrArray  *found;     /* SdOrder */
  GHashTable *records;   /* order id → JsonObject */
  guint       pending;
  gboolean    member;
  char       *customer;  /* sd_order_records_customer (); NULL: none */
  GError     *error;     /* the first failure */
  GError     *offline;   /* the shop could not be reached: answered from disk */
  SdLocalStore *store;   /* the store when the load began: its account's */
} Load;

static void
load_free (Load *load)
{
  g_ptr_array_unref (load->found);
  g_hash_table_unref (load->records);
  g_free (load->customer);
  g_clear_error (&load->error);
  g_clear_error (&load->offline);
  g_clear_object (&load->store);
  g_free (load);
}

static void
load_fail (Load *load, GError *error)
{
  if (load->error == NULL)
    load->error = error;
  else
    g_error_free (error);
}

static void load_list (GTask *task);
static void noted_cb  (GObject *source, GAsyncResult *result, gpointer user_data);

/* One step of the listing is over; the last one lists. */
static void
load_step_done (GTask *task)
{
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);

  if (--load->pending > 0)
    {
      g_object_unref (task);
      return;
    }
  if (load->error)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      g_object_unref (task);
      return;
    }
  /* What was cancelled here at a shop that deleted it. */
  if (self->keep_cancelled && sd_shop_is_original (self->api) && load->customer)
    {
      sd_cancelled_notes_list_async (self->api, load->customer, g_task_get_cancellable (task), noted_cb, task);
      return;
    }
  load_list (task);
}

static void
noted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) noted = sd_cancelled_notes_list_finish (result, &error);

  if (noted == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < noted->len; i++)
    g_ptr_array_add (load->found, g_object_ref (noted->pdata[i]));
  load_list (task);
}

/* Everything found, merged with what this computer kept, in the list. */
static void
load_list (GTask *task)
{
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *orders;

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  orders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < load->found->len; i++)
    {
      SdOrder *order = load->found->pdata[i];
      JsonObject *record = g_hash_table_lookup (load->records, sd_order_get_id (order));

      if (!g_hash_table_add (seen, (gpointer) sd_order_get_id (order)))
        continue;
      if (record || sd_shop_is_original (self->api))
        sd_order_apply_record (order, record);
      g_ptr_array_add (orders, g_object_ref (order));
    }
  g_ptr_array_sort (orders, by_created_at);
  g_hash_table_remove_all (self->records);
  {
    GHashTableIter iter;
    gpointer id, record;

    g_hash_table_iter_init (&iter, load->records);
    while (g_hash_table_iter_next (&iter, &id, &record))
      g_hash_table_replace (self->records, g_strdup (id), json_object_ref (record));
  }
  replace_all (self, orders);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The member's orders as kept, or the shop's error when there are none
 * (nothing to show: the page says it is offline). */
static void
kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = sd_local_store_read_array_finish (SD_LOCAL_STORE (source), result, &error);
  g_autoptr(JsonNode) data = rows ? json_node_init_array (json_node_alloc (), rows) : NULL;
  g_autoptr(GPtrArray) orders = data ? sd_json_to_models (data, (SdFromJson) sd_order_new_from_json,
                                                          "orders", &error) : NULL;

  if (orders == NULL || orders->len == 0)
    load_fail (load, g_steal_pointer (&load->offline));
  else
    self->from_disk = TRUE;
  for (guint i = 0; orders && i < orders->len; i++)
    g_ptr_array_add (load->found, g_object_ref (orders->pdata[i]));
  load_step_done (task);
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(GPtrArray) orders = NULL;

  /* Unreachable: the member's orders this computer kept, if any. */
  if (data == NULL && load->store && sd_local_store_stands_in_for (error))
    {
      load->offline = error;
      sd_local_store_read_orders_async (load->store, TRUE, g_task_get_cancellable (task), kept_cb, task);
      return;
    }
  /* No orders at all is a 404 on the original (orderService.js:65). */
  if (data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
    g_clear_error (&error);
  else if (data != NULL)
    orders = sd_json_to_models (data, (SdFromJson) sd_order_new_from_json, "orders", &error);
  if (error)
    load_fail (load, error);
  else if (load->store && data)
    sd_local_store_put_orders_async (load->store, json_node_get_array (data), TRUE, NULL, NULL, NULL);
  for (guint i = 0; orders && i < orders->len; i++)
    g_ptr_array_add (load->found, g_object_ref (orders->pdata[i]));
  load_step_done (task);
}

typedef struct {
  GTask *task;
  char  *order_id;
  char  *access_key;   /* a guest key; NULL for an order kept here */
} Fetch;

static void
guest_forgotten_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("a stale guest order key stays in the keyring: %s", error->message);
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;
  GTask *task = fetch->task;
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  SdOrder *order = data && !JSON_NODE_HOLDS_NULL (data) ? sd_order_new_from_json (data, &error) : NULL;

  if (order)
    {
      if (fetch->access_key)
        sd_order_set_access_key (order, fetch->access_key);
      g_ptr_array_add (load->found, order);
    }
  else if (fetch->access_key == NULL &&
           (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED) ||
            g_error_matches (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN)) &&
           g_hash_table_contains (load->records, fetch->order_id) &&
           (order = sd_order_new_from_record (g_hash_table_lookup (load->records, fetch->order_id))) != NULL)
    {
      /* Kept here, and the shop will not show it to us (a shop that
       * lets only the owner, the key or staff read it, where the
       * original lets anyone): the copy kept here, never forgotten. A
       * guest's record is their only way back to the order. */
      g_clear_error (&error);
      g_ptr_array_add (load->found, order);
    }
  else if (error == NULL || g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND) ||
           (fetch->access_key && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN)))
    {
      /* Deleted by the shop (or the key no longer fits): forget it. */
      g_clear_error (&error);
      if (fetch->access_key)
        sd_orders_forget_guest_order (self, fetch->order_id, NULL, guest_forgotten_cb, NULL);
      else
        {
          sd_order_records_forget (self->api, fetch->order_id);
          g_hash_table_remove (load->records, fetch->order_id);
        }
    }
  else
    load_fail (load, error);
  g_free (fetch->order_id);
  g_free (fetch->access_key);
  g_free (fetch);
  load_step_done (task);
}

static void
fetch_one (GTask *task, const char *order_id, const char *access_key)
{
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  Fetch *fetch = g_new0 (Fetch, 1);
  g_autofree char *path = sd_orders_order_path (order_id, access_key);

  fetch->task = g_object_ref (task);
  fetch->order_id = g_strdup (order_id);
  fetch->access_key = g_strdup (access_key);
  load->pending++;
  sd_api_call_async (self->api, "GET", path, NULL, g_task_get_cancellable (task), fetched_cb, fetch);
}

static void
records_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GHashTable) records = sd_order_records_list_finish (result, &error);
  GHashTableIter iter;
  gpointer id, record;

  if (records == NULL)
    {
      load_fail (load, error);
      load_step_done (task);
      return;
    }
  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, &id, &record))
    {
      g_hash_table_replace (load->records, g_strdup (id), json_object_ref (record));
      fetch_one (task, id, NULL);
    }
  load_step_done (task);
}

static void
guest_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items = secret_service_search_finish (NULL, result, &error);

  if (error)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        load_fail (load, g_steal_pointer (&error));
      else
        {
          /* Without a keyring nothing was ever remembered here. */
          g_message ("no keyring to list guest orders from: %s", error->message);
          g_clear_error (&error);
        }
    }
  for (GList *l = items; l; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *order_id = g_hash_table_lookup (attributes, "order");
      const char *key = value ? secret_value_get_text (value) : NULL;

      if (order_id != NULL && key != NULL)
        fetch_one (task, order_id, key);
    }
  g_list_free_full (items, g_object_unref);
  load_step_done (task);
}

static void
load_features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autofree char *customer = NULL;
  g_autofree char *shop = NULL;

  sd_shop_learn_features_finish (SD_API (source), result);
  customer = load->member ? sd_order_records_customer (self->api) : g_strdup ("guest");
  load->customer = g_strdup (customer);
  load->pending = 1;   /* this step */
  if (load->member)
    {
      load->pending++;
      /* [ext] "cancelled": the cancelled ones too, marked so. */
      sd_api_call_async (self->api, "GET",
                         self->keep_cancelled && sd_api_has_feature (self->api, SD_FEATURE_CANCELLED)
                         ? SD_PATH_ORDERS "?" SD_QUERY_INCLUDE_CANCELLED "=1" : SD_PATH_ORDERS,
                         NULL, g_task_get_cancellable (task), listed_cb, g_object_ref (task));
    }
  else
    {
      g_autoptr(GHashTable) attributes = NULL;

      shop = sd_shop_key (self->api);
      attributes = secret_attributes_build (sd_guest_order_schema (), "shop", shop, NULL);
      load->pending++;
      secret_service_search (NULL, sd_guest_order_schema (), attributes,
                             SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                             g_task_get_cancellable (task), guest_searched_cb, g_object_ref (task));
    }
  /* The orders only this computer can find again (the original). */
  if (customer)
    {
      load->pending++;
      sd_order_records_list_async (self->api, customer, g_task_get_cancellable (task), records_cb,
                                   g_object_ref (task));
    }
  load_step_done (task);
}

static void
load_start (SdOrders *self, gboolean member, gpointer tag, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Load *load = g_new0 (Load, 1);

  g_task_set_source_tag (task, tag);
  self->from_disk = FALSE;
  load->store = self->store ? g_object_ref (self->store) : NULL;
  load->found = g_ptr_array_new_with_free_func (g_object_unref);
  load->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  load->member = member;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  sd_shop_learn_features_async (self->api, cancellable, load_features_cb, task);
}

void
sd_orders_load_async (SdOrders *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  load_start (self, TRUE, sd_orders_load_async, cancellable, callback, user_data);
}

void
sd_orders_load_guest_async (SdOrders *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  load_start (self, FALSE, sd_orders_load_guest_async, cancellable, callback, user_data);
}

void
sd_orders_set_local_store (SdOrders *self, SdLocalStore *store)
{
  g_return_if_fail (SD_IS_ORDERS (self));
  g_return_if_fail (store == NULL || SD_IS_LOCAL_STORE (store));
  g_set_object (&self->store, store);
}

gboolean
sd_orders_get_from_disk (SdOrders *self)
{
  g_return_val_if_fail (SD_IS_ORDERS (self), FALSE);
  return self->from_disk;
}

gboolean
sd_orders_load_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_orders_flush (void)
{
  sd_cancelled_notes_flush ();
}
