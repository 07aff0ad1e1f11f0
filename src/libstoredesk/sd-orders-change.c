/* sd-orders-change.c — one order of SdOrders: read, its memo set, or
 * cancelled, the list kept in step (sd-orders.h). */
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
#include "sd-orders-private.h"

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
  g_task_return_pointer (task, sd_orders_update_in_list (self, order), g_object_unref);
}

void
sd_orders_get_async (SdOrders *self, const char *order_id, const char *access_key,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = sd_orders_order_path (order_id, access_key);

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
  g_autofree char *path = sd_orders_order_path (change->order_id, change->access_key);
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
  g_autofree char *path = sd_orders_order_path (change->order_id, change->access_key);
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
  sd_orders_forget_guest_order (self, id, cancellable, key_forgotten_cb, g_steal_pointer (&task));
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
