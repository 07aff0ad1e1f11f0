/* sd-orders.c */
#define G_LOG_DOMAIN "storedesk-orders"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-list-model-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-orders.h"

struct _SdOrders
{
  GObject    parent_instance;
  SdApi     *api;
  GPtrArray *orders;   /* SdOrder */
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
}

SdOrders *
sd_orders_new (SdApi *api)
{
  SdOrders *self = g_object_new (SD_TYPE_ORDERS, NULL);

  self->api = g_object_ref (api);
  return self;
}

const SecretSchema *
sd_guest_order_schema (void)
{
  static const SecretSchema schema = {
    "io.github.storedesk.Storedesk.GuestOrder", SECRET_SCHEMA_NONE,
    { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "order", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &schema;
}

static void
forget_guest_order (SdOrders *self, const char *order_id, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  secret_password_clear (sd_guest_order_schema (), cancellable, callback, user_data,
                         "shop", sd_api_get_base_url (self->api), "order", order_id, NULL);
}

/* "/api/v1/orders/ID" with "?key=KEY" for a guest. */
static char *
order_path (const char *order_id, const char *access_key)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/orders/");

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

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GPtrArray *orders = data ? sd_json_to_models (data, (SdFromJson) sd_order_new_from_json, "orders", &error)
                           : NULL;

  if (orders == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  replace_all (self, orders);
  g_task_return_boolean (task, TRUE);
}

void
sd_orders_load_async (SdOrders *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_orders_load_async);
  sd_api_call_async (self->api, "GET", "/api/v1/orders", NULL, cancellable, listed_cb, task);
}

gboolean
sd_orders_load_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- one order ------------------------------------------------------ */

static void
order_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(SdOrder) order = NULL;

  if (data == NULL)
    {
      /* 409 here means the shop has moved the order on. */
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_clear_error (&error);
          error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CONFLICT,
                                       _("This order is being prepared or shipped and can no longer be changed."));
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
  /* A guest's order keeps the key it was opened with, for memo and cancel. */
  if (sd_order_get_access_key (order) == NULL && g_task_get_task_data (task))
    sd_order_set_access_key (order, g_task_get_task_data (task));
  g_task_return_pointer (task, update_in_list (self, order), g_object_unref);
}

void
sd_orders_get_async (SdOrders *self, const char *order_id, const char *access_key,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = order_path (order_id, access_key);

  g_task_set_source_tag (task, sd_orders_get_async);
  g_task_set_task_data (task, g_strdup (access_key), g_free);
  sd_api_call_async (self->api, "GET", path, NULL, cancellable, order_cb, task);
}

void
sd_orders_set_memo_async (SdOrders *self, const char *order_id, const char *access_key, const char *memo,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = order_path (order_id, access_key);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_task_set_source_tag (task, sd_orders_set_memo_async);
  g_task_set_task_data (task, g_strdup (access_key), g_free);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "memo");
  json_builder_add_string_value (b, memo ? memo : "");
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  sd_api_call_async (self->api, "PUT", path, body, cancellable, order_cb, task);
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

static void
cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  if (data == NULL)
    {
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_clear_error (&error);
          error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CONFLICT,
                                       _("This order is being prepared or shipped and can no longer be cancelled."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < self->orders->len; i++)
    if (g_strcmp0 (sd_order_get_id (self->orders->pdata[i]), id) == 0)
      {
        g_ptr_array_remove_index (self->orders, i);
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
        break;
      }
  if (!GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "guest")))
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
  g_autofree char *path = order_path (order_id, access_key);

  g_task_set_source_tag (task, sd_orders_cancel_async);
  g_task_set_task_data (task, g_strdup (order_id), g_free);
  g_object_set_data (G_OBJECT (task), "guest", GINT_TO_POINTER (access_key != NULL));
  sd_api_call_async (self->api, "DELETE", path, NULL, cancellable, cancelled_cb, task);
}

gboolean
sd_orders_cancel_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- a guest's remembered orders ------------------------------------- */

typedef struct {
  GPtrArray *found;     /* SdOrder, or NULL for one the shop no longer has */
  guint      pending;
  GError    *error;     /* the first failure */
} GuestLoad;

static void
guest_load_free (GuestLoad *load)
{
  /* No free func: the slots of orders not (or no longer) there are NULL. */
  for (guint i = 0; i < load->found->len; i++)
    g_clear_object (&load->found->pdata[i]);
  g_ptr_array_unref (load->found);
  g_clear_error (&load->error);
  g_free (load);
}

typedef struct {
  GTask *task;
  guint  index;
  char  *order_id;
  char  *access_key;
} GuestFetch;

static void
guest_forgotten_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("a stale guest order key stays in the keyring: %s", error->message);
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

static void
guest_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GuestFetch *fetch = user_data;
  g_autoptr(GTask) task = fetch->task;
  SdOrders *self = g_task_get_source_object (task);
  GuestLoad *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  SdOrder *order = data ? sd_order_new_from_json (data, &error) : NULL;
  GPtrArray *orders;

  if (order)
    {
      sd_order_set_access_key (order, fetch->access_key);
      load->found->pdata[fetch->index] = order;
    }
  else if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND) ||
           g_error_matches (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN))
    {
      /* Deleted by the shop (or the key no longer fits): forget it. */
      forget_guest_order (self, fetch->order_id, g_task_get_cancellable (task), guest_forgotten_cb, NULL);
    }
  else if (load->error == NULL)
    load->error = g_steal_pointer (&error);
  g_free (fetch->order_id);
  g_free (fetch->access_key);
  g_free (fetch);

  if (--load->pending > 0)
    return;
  if (load->error)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      return;
    }
  orders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < load->found->len; i++)
    if (load->found->pdata[i])
      g_ptr_array_add (orders, g_steal_pointer (&load->found->pdata[i]));
  g_ptr_array_sort (orders, by_created_at);
  replace_all (self, orders);
  g_task_return_boolean (task, TRUE);
}

static void
guest_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  GuestLoad *load = g_new0 (GuestLoad, 1);
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (NULL, result, &error);

  g_task_set_task_data (task, load, (GDestroyNotify) guest_load_free);
  load->found = g_ptr_array_new ();
  if (error)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Without a keyring nothing was ever remembered here. */
      g_message ("no keyring to list guest orders from: %s", error->message);
    }
  for (GList *l = items; l; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *order_id = g_hash_table_lookup (attributes, "order");
      const char *key = value ? secret_value_get_text (value) : NULL;
      GuestFetch *fetch;
      g_autofree char *path = NULL;

      if (order_id == NULL || key == NULL)
        continue;
      fetch = g_new0 (GuestFetch, 1);
      fetch->task = g_object_ref (task);
      fetch->index = load->found->len;
      fetch->order_id = g_strdup (order_id);
      fetch->access_key = g_strdup (key);
      g_ptr_array_add (load->found, NULL);
      load->pending++;
      path = order_path (order_id, key);
      sd_api_call_async (self->api, "GET", path, NULL, g_task_get_cancellable (task), guest_fetched_cb, fetch);
    }
  g_list_free_full (items, g_object_unref);
  if (load->pending == 0)
    {
      replace_all (self, g_ptr_array_new_with_free_func (g_object_unref));
      g_task_return_boolean (task, TRUE);
    }
}

void
sd_orders_load_guest_async (SdOrders *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = secret_attributes_build (sd_guest_order_schema (),
                                                             "shop", sd_api_get_base_url (self->api), NULL);

  g_task_set_source_tag (task, sd_orders_load_guest_async);
  secret_service_search (NULL, sd_guest_order_schema (), attributes,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         cancellable, guest_searched_cb, task);
}
