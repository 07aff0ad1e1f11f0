/* sd-admin-orders.c — staff calls for the orders board (list, filter and
 * page — here when the shop does not — and status) and the accounts. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-admin-private.h"
#include "sd-api-private.h"
#include "sd-local-store-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"

/* ---- orders --------------------------------------------------------- */

/* Orders read from the store when offline, at most: a board pages through
 * them, and a query matching more is narrowed by typing more. */
#define DISK_ORDERS_MAX 5000

typedef struct {
  GListModel *orders;
  gint64      total;
} OrderList;

static void
order_list_free (OrderList *l)
{
  g_clear_object (&l->orders);
  g_free (l);
}

/* What was asked, for a shop that ignores it. */
typedef struct {
  SdOrderStatus  status;
  char          *query;   /* casefolded; NULL: none */
  guint          page;
  guint          limit;
  SdLocalStore  *store;       /* the admin's when asked: a later account's is not this one's */
  gboolean       from_disk;   /* answered from the local store */
  GError        *offline;     /* why, kept should the store fail too */
} OrderQuery;

static void
order_query_free (OrderQuery *q)
{
  g_clear_object (&q->store);
  g_free (q->query);
  g_clear_error (&q->offline);
  g_free (q);
}

static gboolean
has_text (const char *haystack, const char *folded)
{
  g_autofree char *h = haystack ? g_utf8_casefold (haystack, -1) : NULL;
  return h && strstr (h, folded) != NULL;
}

/* What our shop searches: the id, the customer, the receiver, the memo
 * and the products' names. */
static gboolean
order_matches (SdOrder *o, const char *folded)
{
  SdReceiver *r = sd_order_get_receiver (o);
  GListModel *lines = sd_order_get_lines (o);

  if (has_text (sd_order_get_id (o), folded) || has_text (sd_order_get_customer_id (o), folded) ||
      has_text (sd_order_get_memo (o), folded) ||
      (r && (has_text (sd_receiver_get_name (r), folded) || has_text (sd_receiver_get_phone_number (r), folded) ||
             has_text (sd_receiver_get_address (r), folded) || has_text (sd_receiver_get_address_detail (r), folded))))
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);
      if (has_text (sd_order_line_get_name (line), folded))
        return TRUE;
    }
  return FALSE;
}

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  GDateTime *x = sd_order_get_created_at (*(SdOrder **) a), *y = sd_order_get_created_at (*(SdOrder **) b);

  return x && y ? g_date_time_compare (y, x) : 0;
}

/* The original sends every order (oldest first), whatever was asked and
 * without a total: filtered, ordered newest first and paged here instead. */
static GListModel *
page_locally (GListModel *all, const OrderQuery *q, gint64 *out_total)
{
  GListStore *page = g_list_store_new (SD_TYPE_ORDER);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  guint first = (q->page - 1) * q->limit;

  for (guint i = g_list_model_get_n_items (all); i > 0; i--)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (all, i - 1);

      if ((q->status == SD_ORDER_STATUS_N || sd_order_get_status (o) == q->status) &&
          (q->query == NULL || order_matches (o, q->query)))
        g_ptr_array_add (kept, g_steal_pointer (&o));
    }
  /* Stable: orders without a time keep the (reversed) order they came in. */
  g_ptr_array_sort (kept, newest_first);
  for (guint i = first; i < kept->len && i < first + q->limit; i++)
    g_list_store_append (page, kept->pdata[i]);
  *out_total = kept->len;
  return G_LIST_MODEL (page);
}

/* data (a JSON array of orders) as a GListModel of SdOrder. */
static GListModel *
orders_from_json (SdApi *api, JsonNode *data, GError **error)
{
  GListModel *orders = sd_json_to_store (data, SD_TYPE_ORDER, (SdFromJson) sd_order_new_from_json, "orders", error);

  /* The original's line options are its option sets' ids, not values. */
  if (orders && sd_shop_is_original (api))
    for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
      {
        g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
        sd_order_apply_record (o, NULL);
      }
  return orders;
}

static void
return_list (GTask *task, GListModel *orders, gint64 total)
{
  OrderList *list = g_new0 (OrderList, 1);

  list->orders = orders;
  list->total = total;
  g_task_return_pointer (task, list, (GDestroyNotify) order_list_free);
}

/* The orders the store found (the query's, or all it keeps), filtered by
 * status and paged as the shop would; the shop's error when the store
 * fails too. */
static void
disk_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdAdmin *self = g_task_get_source_object (task);
  OrderQuery *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = sd_local_store_read_array_finish (SD_LOCAL_STORE (source), result, &error);
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GListModel) kept = NULL;
  OrderQuery matched = *q;
  GListModel *page;
  gint64 total = 0;

  if (rows)
    {
      data = json_node_init_array (json_node_alloc (), rows);
      kept = orders_from_json (self->api, data, &error);
    }
  if (kept == NULL)
    {
      g_debug ("Orders kept on disk not read: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&q->offline));
      return;
    }
  q->from_disk = TRUE;
  matched.query = NULL;   /* the store's search has matched them */
  page = page_locally (kept, &matched, &total);
  return_list (task, page, total);
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  OrderQuery *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, &total, &error);
  GListModel *orders = NULL;

  if (data == NULL && q->store && sd_local_store_stands_in_for (error))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      q->offline = g_steal_pointer (&error);
      if (q->query)
        sd_local_store_search_async (q->store, SD_SEARCH_ORDERS, q->query, DISK_ORDERS_MAX, cancellable,
                                     disk_listed_cb, g_steal_pointer (&task));
      else
        sd_local_store_read_orders_async (q->store, FALSE, cancellable, disk_listed_cb,
                                          g_steal_pointer (&task));
      return;
    }
  /* No orders at all is a 404 on the original (orderService.js:52,78). */
  if (data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      orders = G_LIST_MODEL (g_list_store_new (SD_TYPE_ORDER));
      total = 0;
    }
  else if (data)
    orders = orders_from_json (SD_API (source), data, &error);

  if (orders == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (q->store && data)
    sd_local_store_put_orders_async (q->store, json_node_get_array (data), FALSE, NULL, NULL, NULL);
  if (total < 0)
    {
      GListModel *all = orders;

      orders = page_locally (all, q, &total);
      g_object_unref (all);
    }
  return_list (task, orders, total);
}

void
sd_admin_list_orders_async (SdAdmin *self, SdOrderStatus status, const char *query, guint page, guint limit,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GString) path = g_string_new (SD_PATH_ADMIN_ORDERS "?");
  OrderQuery *q = g_new0 (OrderQuery, 1);

  g_task_set_source_tag (task, sd_admin_list_orders_async);
  q->status = status;
  q->query = query && *query ? g_utf8_casefold (query, -1) : NULL;
  q->page = MAX (page, 1);
  q->limit = CLAMP (limit, 1, SD_PAGE_LIMIT_MAX);
  q->store = self->store ? g_object_ref (self->store) : NULL;
  g_task_set_task_data (task, q, (GDestroyNotify) order_query_free);
  g_string_append_printf (path, "page=%u&limit=%u", q->page, q->limit);
  /* [ext] "cancelled": staff see cancelled orders too, marked so. */
  if (sd_api_has_feature (self->api, SD_FEATURE_CANCELLED))
    g_string_append (path, "&" SD_QUERY_INCLUDE_CANCELLED "=1");
  if (status < SD_ORDER_STATUS_N)
    {
      g_string_append (path, "&status=");
      g_string_append_uri_escaped (path, sd_order_status_to_wire (status), NULL, FALSE);
    }
  if (query && *query)
    {
      g_string_append (path, "&q=");
      g_string_append_uri_escaped (path, query, NULL, FALSE);
    }
  sd_api_call_async (self->api, "GET", path->str, NULL, cancellable, listed_cb, task);
}

GListModel *
sd_admin_list_orders_finish (SdAdmin *self, GAsyncResult *result, gint64 *out_total, GError **error)
{
  OrderList *list;
  GListModel *orders;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  list = g_task_propagate_pointer (G_TASK (result), error);
  if (list == NULL)
    return NULL;
  orders = g_steal_pointer (&list->orders);
  if (out_total)
    *out_total = list->total;
  order_list_free (list);
  return orders;
}

void
sd_admin_set_local_store (SdAdmin *self, SdLocalStore *store)
{
  g_return_if_fail (SD_IS_ADMIN (self));
  g_return_if_fail (store == NULL || SD_IS_LOCAL_STORE (store));
  g_set_object (&self->store, store);
}

gboolean
sd_admin_list_orders_from_disk (SdAdmin *self, GAsyncResult *result)
{
  const OrderQuery *q;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  q = g_task_get_task_data (G_TASK (result));
  return q && q->from_disk;
}

void
sd_admin_set_order_status_async (SdAdmin *self, const char *order_id, SdOrderStatus status,
                                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = sd_admin_path_with_id (SD_PATH_ADMIN_ORDERS "/", order_id);
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  /* Sent by wire value, never by label. */
  json_object_set_string_member (o, "status", sd_order_status_to_wire (status));
  json_node_take_object (body, o);
  sd_admin_call_for_object (self, "PUT", path, body, (SdFromJson) sd_order_new_from_json,
                   sd_admin_set_order_status_async, cancellable, callback, user_data);
}

SdOrder *
sd_admin_order_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  return sd_admin_object_finish (self, result, error);
}

/* ---- users ---------------------------------------------------------- */

static void
users_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GListModel *users = data ? sd_json_to_store (data, SD_TYPE_USER, (SdFromJson) sd_user_new_from_json,
                                               "users", &error) : NULL;

  if (users == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, users, g_object_unref);
}

void
sd_admin_list_users_async (SdAdmin *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_admin_list_users_async);
  sd_api_call_async (self->api, "GET", SD_PATH_ADMIN_USERS, NULL, cancellable, users_cb, task);
}

GListModel *
sd_admin_list_users_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
