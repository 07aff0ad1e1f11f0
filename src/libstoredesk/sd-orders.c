/* sd-orders.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-cancelled-notes-private.h"
#include "sd-list-model-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"
#include "sd-orders.h"

struct _SdOrders
{
  GObject    parent_instance;
  SdApi      *api;
  GPtrArray  *orders;    /* SdOrder */
  GHashTable *records;   /* order id → JsonObject: what this computer kept */
  gboolean    keep_cancelled;
};

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

static void
forget_guest_order (SdOrders *self, const char *order_id, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *shop = sd_shop_key (self->api);

  secret_password_clear (sd_guest_order_schema (), cancellable, callback, user_data,
                         "shop", shop, "order", order_id, NULL);
}

/* "/api/v1/orders/ID" with "?key=KEY" for a guest. */
static char *
order_path (const char *order_id, const char *access_key)
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
static SdOrder *
update_in_list (SdOrders *self, SdOrder *order)
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
} Load;

static void
load_free (Load *load)
{
  g_ptr_array_unref (load->found);
  g_hash_table_unref (load->records);
  g_free (load->customer);
  g_clear_error (&load->error);
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

/* One step of the listing is over; the last one lists. */
static void
load_step_done (GTask *task)
{
  SdOrders *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *orders;

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
      g_autoptr(GPtrArray) noted = sd_cancelled_notes_list (self->api, load->customer);

      for (guint i = 0; i < noted->len; i++)
        g_ptr_array_add (load->found, g_object_ref (noted->pdata[i]));
    }
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

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(GPtrArray) orders = NULL;

  /* No orders at all is a 404 on the original (orderService.js:65). */
  if (data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
    g_clear_error (&error);
  else if (data != NULL)
    orders = sd_json_to_models (data, (SdFromJson) sd_order_new_from_json, "orders", &error);
  if (error)
    load_fail (load, error);
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
        forget_guest_order (self, fetch->order_id, NULL, guest_forgotten_cb, NULL);
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
  g_autofree char *path = order_path (order_id, access_key);

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

gboolean
sd_orders_load_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- one order ------------------------------------------------------ */

/* What a change is about. */
typedef struct {
  char     *order_id;
  char     *access_key;
  char     *memo;        /* the memo to set; NULL: cancel (or just read) */
} Change;

static void
change_free (Change *c)
{
  g_free (c->order_id);
  g_free (c->access_key);
  g_free (c->memo);
  g_free (c);
}

static Change *
change_new (const char *order_id, const char *access_key, const char *memo)
{
  Change *c = g_new0 (Change, 1);

  c->order_id = g_strdup (order_id);
  c->access_key = g_strdup (access_key);
  c->memo = g_strdup (memo);
  return c;
}

static GError *
moved_on (gboolean cancel)
{
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CONFLICT,
                              cancel ? _("This order is being prepared or shipped and can no longer be cancelled.")
                                     : _("This order is being prepared or shipped and can no longer be changed."));
}

/* A change to a guest's order kept here (no key: the original's way),
 * refused (401, 403) by a shop that lets only the owner, a key or staff
 * change an order: say who can, not "sign in again". */
static GError *
refused_change (SdOrders *self, Change *change, GError *error)
{
  g_autofree char *customer = sd_order_records_customer (self->api);

  if (change->access_key == NULL && g_strcmp0 (customer, "guest") == 0 &&
      (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED) ||
       g_error_matches (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN)))
    {
      g_error_free (error);
      return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_FORBIDDEN,
                                  _("This shop lets only its staff change or cancel an order placed as a guest. "
                                    "Contact the shop about this order."));
    }
  return error;
}

static void
order_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(SdOrder) order = NULL;

  if (data == NULL)
    {
      /* 409 here means the shop has moved the order on. */
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_task_return_error (task, moved_on (FALSE));
          return;
        }
      g_task_return_error (task, change->memo ? refused_change (self, change, g_steal_pointer (&error))
                                              : g_steal_pointer (&error));
      return;
    }
  order = sd_order_new_from_json (data, &error);
  if (order == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A guest's order keeps the key it was opened with, for memo and cancel. */
  if (sd_order_get_access_key (order) == NULL && change->access_key)
    sd_order_set_access_key (order, change->access_key);
  g_task_return_pointer (task, update_in_list (self, order), g_object_unref);
}

void
sd_orders_get_async (SdOrders *self, const char *order_id, const char *access_key,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = order_path (order_id, access_key);

  g_task_set_source_tag (task, sd_orders_get_async);
  g_task_set_task_data (task, change_new (order_id, access_key, NULL), (GDestroyNotify) change_free);
  sd_api_call_async (self->api, "GET", path, NULL, cancellable, order_cb, task);
}

static void cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* The original's PUT and DELETE need status and product in the body
 * (middleware/orderMiddleware.js:8,32, else 400) and its PUT writes every
 * field it is given (orderDAO.js:37): the whole order goes back, as the
 * shop has it now, with the one change. It also lets anyone change an
 * order in any status: our rule (awaiting payment or paid) is kept here. */
static void
fresh_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autofree char *path = order_path (change->order_id, change->access_key);
  g_autoptr(JsonNode) body = NULL;
  JsonObject *fresh, *o;
  GCancellable *cancellable;
  const char *status;
  SdOrderStatus st;
  static const char * const members[] = { "status", "customerId", "product", "payment" };

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_task_return_error (task, error ? refused_change (self, change, g_steal_pointer (&error))
                                       : g_error_new_literal (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                                              _("The shop no longer has this order.")));
      return;
    }
  fresh = json_node_get_object (data);
  status = sd_json_get_string (fresh, "status");
  if (!sd_order_status_from_wire (status, &st) ||
      (st != SD_ORDER_STATUS_AWAITING_PAYMENT && st != SD_ORDER_STATUS_PAID))
    {
      g_task_return_error (task, moved_on (change->memo == NULL));
      return;
    }
  o = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (json_object_has_member (fresh, members[i]))
      json_object_set_member (o, members[i], json_node_copy (json_object_get_member (fresh, members[i])));
  if (change->memo)
    json_object_set_string_member (o, "memo", change->memo);
  else if (sd_json_get_string (fresh, "memo"))
    json_object_set_string_member (o, "memo", sd_json_get_string (fresh, "memo"));
  body = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  cancellable = g_task_get_cancellable (task);
  if (change->memo)
    sd_api_call_async (self->api, "PUT", path, body, cancellable, order_cb, g_steal_pointer (&task));
  else
    sd_api_call_async (self->api, "DELETE", path, body, cancellable, cancelled_cb, g_steal_pointer (&task));
}

static void
change_features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autofree char *path = order_path (change->order_id, change->access_key);
  g_autoptr(JsonNode) body = NULL;

  sd_shop_learn_features_finish (SD_API (source), result);
  if (sd_shop_is_original (self->api))
    {
      sd_api_call_async (self->api, "GET", path, NULL, g_task_get_cancellable (task), fresh_cb, task);
      return;
    }
  if (change->memo == NULL)
    {
      sd_api_call_async (self->api, "DELETE", path, NULL, g_task_get_cancellable (task), cancelled_cb, task);
      return;
    }
  /* Ours: the memo alone. */
  body = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_string_member (json_node_get_object (body), "memo", change->memo);
  sd_api_call_async (self->api, "PUT", path, body, g_task_get_cancellable (task), order_cb, task);
}

void
sd_orders_set_memo_async (SdOrders *self, const char *order_id, const char *access_key, const char *memo,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_orders_set_memo_async);
  g_task_set_task_data (task, change_new (order_id, access_key, memo ? memo : ""), (GDestroyNotify) change_free);
  sd_shop_learn_features_async (self->api, cancellable, change_features_cb, task);
}

SdOrder *
sd_orders_order_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- cancelling ----------------------------------------------------- */

static void
key_forgotten_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("a guest order key stays in the keyring: %s", error->message);
  /* The shop's answer is what the caller asked about. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_return_boolean (task, TRUE);
}

/* Whether a cancelled order stays listed, as cancelled: the shop keeps
 * it ([ext] "cancelled"), or this computer notes it (the original). */
static gboolean
keeps_cancelled (SdOrders *self)
{
  return self->keep_cancelled &&
         (sd_api_has_feature (self->api, SD_FEATURE_CANCELLED) || sd_shop_is_original (self->api));
}

static void
cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  const char *id = change->order_id;
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  if (data == NULL)
    {
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_task_return_error (task, moved_on (TRUE));
          return;
        }
      g_task_return_error (task, refused_change (self, change, g_steal_pointer (&error)));
      return;
    }
  for (guint i = 0; i < self->orders->len; i++)
    if (g_strcmp0 (sd_order_get_id (self->orders->pdata[i]), id) == 0)
      {
        SdOrder *listed = self->orders->pdata[i];

        /* [ext] "cancelled": the shop keeps it, cancelled; the original
         * deletes it, and this computer notes it. Else it is gone. */
        if (sd_shop_is_original (self->api))
          {
            g_autofree char *customer = change->access_key ? g_strdup ("guest")
                                                           : sd_order_records_customer (self->api);
            if (customer)
              sd_cancelled_notes_add (self->api, customer, listed);
          }
        if (keeps_cancelled (self))
          sd_order_mark_cancelled (listed);
        else
          {
            g_ptr_array_remove_index (self->orders, i);
            g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          }
        break;
      }
  /* Gone from the shop (the original deletes it): nothing left to find. */
  if (g_hash_table_remove (self->records, id) || sd_shop_is_original (self->api))
    sd_order_records_forget (self->api, id);
  /* A guest's key still opens a cancelled order the shop keeps. */
  if (change->access_key == NULL || (self->keep_cancelled && sd_api_has_feature (self->api, SD_FEATURE_CANCELLED)))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* A cancelled guest order's key opens nothing any more. */
  cancellable = g_task_get_cancellable (task);
  forget_guest_order (self, id, cancellable, key_forgotten_cb, g_steal_pointer (&task));
}

void
sd_orders_cancel_async (SdOrders *self, const char *order_id, const char *access_key,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_orders_cancel_async);
  g_task_set_task_data (task, change_new (order_id, access_key, NULL), (GDestroyNotify) change_free);
  sd_shop_learn_features_async (self->api, cancellable, change_features_cb, task);
}

gboolean
sd_orders_cancel_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
