/* sd-orders.c */
#define G_LOG_DOMAIN "storedesk-orders"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-orders.h"

struct _SdOrders
{
  GObject    parent_instance;
  SdApi     *api;
  GPtrArray *orders;   /* SdOrder */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdOrders, sd_orders, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return SD_TYPE_ORDER;
}

static guint
get_n_items (GListModel *model)
{
  return SD_ORDERS (model)->orders->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SdOrders *self = SD_ORDERS (model);
  return position < self->orders->len ? g_object_ref (self->orders->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

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

static void
replace_in_list (SdOrders *self, SdOrder *order, gboolean remove)
{
  for (guint i = 0; i < self->orders->len; i++)
    if (g_strcmp0 (sd_order_get_id (self->orders->pdata[i]), sd_order_get_id (order)) == 0)
      {
        if (remove)
          g_ptr_array_remove_index (self->orders, i);
        else
          {
            g_object_unref (self->orders->pdata[i]);
            self->orders->pdata[i] = g_object_ref (order);
          }
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, remove ? 0 : 1);
        return;
      }
}

/* ---- the list ------------------------------------------------------- */

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GPtrArray *orders = data ? sd_json_to_models (data, (SdFromJson) sd_order_new_from_json, "orders", &error)
                           : NULL;
  guint removed;

  if (orders == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  removed = self->orders->len;
  g_ptr_array_unref (self->orders);
  self->orders = orders;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->orders->len);
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
  replace_in_list (self, order, FALSE);
  g_task_return_pointer (task, g_steal_pointer (&order), g_object_unref);
}

void
sd_orders_get_async (SdOrders *self, const char *order_id, const char *access_key,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = order_path (order_id, access_key);

  g_task_set_source_tag (task, sd_orders_get_async);
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
cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdOrders *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
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
  g_task_return_boolean (task, TRUE);
}

void
sd_orders_cancel_async (SdOrders *self, const char *order_id, const char *access_key,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = order_path (order_id, access_key);

  g_task_set_source_tag (task, sd_orders_cancel_async);
  g_task_set_task_data (task, g_strdup (order_id), g_free);
  sd_api_call_async (self->api, "DELETE", path, NULL, cancellable, cancelled_cb, task);
}

gboolean
sd_orders_cancel_finish (SdOrders *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
