/* sd-sync-send.c — sending one queued edit (see sd-sync-private.h).
 *
 * At a shop with [ext] "conditional" the write carries If-Match with the
 * base's updatedAt and the shop checks it in the same write; its 412
 * brings the current record. Elsewhere (the original) the record is read
 * first and the edit is sent only when the record is unchanged since the
 * base: a small window remains between the read and the write there,
 * which only the shop could close. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-api-private.h"
#include "sd-admin-private.h"
#include "sd-contract.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"
#include "sd-orders.h"
#include "sd-sync-private.h"

typedef struct {
  SdSync       *sync;
  SdApi        *api;
  SdSyncItem   *item;
  GCancellable *cancellable;
  SdSyncSent    done;
  gboolean      conditional;
  gboolean      original;
} Send;

static void
send_free (Send *s)
{
  g_object_unref (s->sync);
  g_object_unref (s->api);
  g_object_unref (s->item);
  g_clear_object (&s->cancellable);
  g_free (s);
}

static void
finish (Send *s, SdSyncOutcome outcome, GObject *record, JsonObject *theirs, const GError *error)
{
  s->done (s->sync, s->item, outcome, record, theirs, error);
  send_free (s);
}

/* A transport failure, or one a later try may not meet again. */
static gboolean
is_unreachable (const GError *error)
{
  if (error->domain != SD_API_ERROR)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  switch (error->code)
    {
    case SD_API_ERROR_OFFLINE:
    case SD_API_ERROR_TIMEOUT:
    case SD_API_ERROR_TLS:
    case SD_API_ERROR_UNAUTHORIZED:
    case SD_API_ERROR_TOO_MANY_REQUESTS:
    case SD_API_ERROR_SERVER:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
fail (Send *s, const GError *error)
{
  finish (s, is_unreachable (error) ? SD_SYNC_OUTCOME_UNREACHABLE : SD_SYNC_OUTCOME_REFUSED, NULL, NULL, error);
}

static char *
path_of (SdSyncItem *item)
{
  g_autoptr(GString) path = g_string_new (NULL);

  switch (item->kind)
    {
    case SD_SYNC_PRODUCT: g_string_append (path, SD_PATH_ADMIN_PRODUCTS "/"); break;
    case SD_SYNC_CATEGORY: g_string_append (path, SD_PATH_ADMIN_CATEGORIES "/"); break;
    case SD_SYNC_ORDER_MEMO:
    case SD_SYNC_ORDER_CANCEL: g_string_append (path, SD_PATH_ORDERS "/"); break;
    case SD_SYNC_ORDER_STATUS:
    default: g_string_append (path, SD_PATH_ADMIN_ORDERS "/"); break;
    }
  g_string_append_uri_escaped (path, item->target, NULL, FALSE);
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* What goes on the wire: the changes, stock as a change where the shop
 * takes one; the original takes no stock, and options only as {} on an
 * update (see sd-admin.c). */
static JsonNode *
body_of (Send *s)
{
  SdSyncItem *item = s->item;
  JsonObject *o = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (item->changes);
  JsonNode *node;

  for (GList *l = members; l; l = l->next)
    json_object_set_member (o, l->data, json_node_copy (json_object_get_member (item->changes, l->data)));
  if (item->kind == SD_SYNC_PRODUCT && s->original)
    {
      json_object_remove_member (o, "stock");
      json_object_set_object_member (o, "options", json_object_new ());
    }
  else if (item->kind == SD_SYNC_PRODUCT && s->conditional && json_object_has_member (o, "stock"))
    {
      gint64 was, now;

      if (sd_json_get_integer (item->base, "stock", &was) && sd_json_get_integer (o, "stock", &now))
        {
          json_object_remove_member (o, "stock");
          json_object_set_int_member (o, "stockDelta", now - was);
        }
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

/* The record a reply names, as the kind compares it. */
static JsonObject *
record_of_node (SdSyncKind kind, JsonNode *node, GObject **out_model)
{
  g_autoptr(GObject) model = node ? sd_sync_model_from_json (kind, node, NULL) : NULL;

  if (model == NULL)
    return NULL;
  if (out_model)
    *out_model = g_object_ref (model);
  return sd_sync_record_of (kind, model);
}

/* ---- the write ---------------------------------------------------------- */

static void
reread_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(GObject) model = data ? sd_sync_model_from_json (s->item->kind, data, &error) : NULL;

  if (model == NULL)
    fail (s, error);
  else
    finish (s, SD_SYNC_OUTCOME_LANDED, model, NULL, NULL);
}

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(GObject) model = NULL;
  g_autoptr(JsonObject) current = NULL;
  JsonNode *options;

  if (data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CHANGED))
    {
      current = record_of_node (s->item->kind, sd_api_call_get_error_data (result), &model);
      if (current == NULL)
        fail (s, error);   /* no record: gone meanwhile, or a reply we cannot read */
      else if (sd_sync_record_has (current, s->item->changes))
        finish (s, SD_SYNC_OUTCOME_LANDED, model, NULL, NULL);   /* ours, sent before a crash */
      else
        finish (s, SD_SYNC_OUTCOME_CONFLICT, NULL, current, error);
      return;
    }
  /* A cancelled order the shop deleted, or answered with nothing. */
  if (s->item->kind == SD_SYNC_ORDER_CANCEL &&
      ((data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND)) ||
       (data != NULL && !JSON_NODE_HOLDS_OBJECT (data))))
    {
      finish (s, SD_SYNC_OUTCOME_LANDED, NULL, NULL, NULL);
      return;
    }
  if (data == NULL)
    {
      fail (s, error);
      return;
    }
  /* The original answers a product with its options as an id: read it. */
  options = JSON_NODE_HOLDS_OBJECT (data) ? json_object_get_member (json_node_get_object (data), "options") : NULL;
  if (s->item->kind == SD_SYNC_PRODUCT && options && JSON_NODE_HOLDS_VALUE (options))
    {
      g_autofree char *path = sd_admin_path_with_id (SD_PATH_PRODUCTS "/", s->item->target);

      sd_api_call_async (s->api, "GET", path, NULL, s->cancellable, reread_cb, s);
      return;
    }
  model = sd_sync_model_from_json (s->item->kind, data, &error);
  if (model == NULL)
    fail (s, error);
  else
    finish (s, SD_SYNC_OUTCOME_LANDED, model, NULL, NULL);
}

static void
send_write (Send *s, gboolean with_base)
{
  g_autofree char *path = path_of (s->item);
  gboolean cancel = s->item->kind == SD_SYNC_ORDER_CANCEL;
  g_autoptr(JsonNode) body = cancel ? NULL : body_of (s);

  sd_api_call_conditional_from_async (s->api, cancel ? "DELETE" : "PUT", path, body, s->item->key,
                                      with_base ? sd_sync_item_base_updated_at (s->item) : NULL,
                                      s->item->kept ? "replay" : sd_activity_origin_to_wire (s->item->origin),
                                      s->cancellable, written_cb, s);
}

/* ---- a shop without conditional writes: read first -------------------- */

/* TRUE when fresh is the record the edit was made on: the same version
 * where both say one, else the same values in the fields it changes. */
static gboolean
unchanged_since_base (SdSyncItem *item, JsonObject *fresh)
{
  const char *was = sd_json_get_string (item->base, "updatedAt");
  const char *now = sd_json_get_string (fresh, "updatedAt");

  if (was && *was && now && *now)
    return g_strcmp0 (was, now) == 0;
  for (guint i = 0; item->fields[i]; i++)
    {
      g_autofree char *a = sd_sync_value_text (item->base, item->fields[i]);
      g_autofree char *b = sd_sync_value_text (fresh, item->fields[i]);

      if (g_strcmp0 (a, b) != 0)
        return FALSE;
    }
  return TRUE;
}

/* A member's memo or cancellation at a shop without conditional writes
 * (the original): SdOrders knows its ways there (the whole order sent
 * back, a cancelled order noted here as the shop deletes it). */
static void
member_changed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = NULL;

  if (s->item->kind == SD_SYNC_ORDER_CANCEL)
    {
      if (sd_orders_cancel_finish (SD_ORDERS (source), result, &error))
        finish (s, SD_SYNC_OUTCOME_LANDED, NULL, NULL, NULL);
      else
        fail (s, error);
    }
  else if ((order = sd_orders_order_finish (SD_ORDERS (source), result, &error)) != NULL)
    finish (s, SD_SYNC_OUTCOME_LANDED, G_OBJECT (order), NULL, NULL);
  else
    fail (s, error);
  g_object_unref (source);
}

static void
member_change (Send *s, gboolean cancel)
{
  SdOrders *orders = sd_orders_new (s->api);
  g_autofree char *memo = sd_sync_value_text (s->item->changes, "memo");

  sd_orders_set_keep_cancelled (orders, TRUE);
  if (cancel)
    sd_orders_cancel_async (orders, s->item->target, NULL, s->cancellable, member_changed_cb, s);
  else
    sd_orders_set_memo_async (orders, s->item->target, NULL, memo, s->cancellable, member_changed_cb, s);
}

/* The element of a list whose _id is id. */
static JsonNode *
find_in_list (JsonNode *data, const char *id)
{
  JsonArray *a = data && JSON_NODE_HOLDS_ARRAY (data) ? json_node_get_array (data) : NULL;

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_OBJECT (e) && g_strcmp0 (sd_json_get_string (json_node_get_object (e), "_id"), id) == 0)
        return e;
    }
  return NULL;
}

static void
fresh_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  g_autoptr(GObject) model = NULL;
  g_autoptr(JsonObject) fresh = NULL;
  JsonNode *node = data;

  if (data == NULL)
    {
      fail (s, error);
      return;
    }
  if (s->item->kind == SD_SYNC_CATEGORY || s->item->kind == SD_SYNC_ORDER_STATUS)
    node = find_in_list (data, s->item->target);
  fresh = record_of_node (s->item->kind, node, &model);
  if (fresh == NULL)
    {
      g_autoptr(GError) gone = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                                    _("The shop no longer has this."));
      fail (s, gone);
    }
  else if (sd_sync_record_has (fresh, s->item->changes))
    finish (s, SD_SYNC_OUTCOME_LANDED, model, NULL, NULL);
  else if (!unchanged_since_base (s->item, fresh))
    {
      /* The same words as a 412 from a shop that checks itself. */
      g_autoptr(GError) changed = sd_api_error_for_status (SOUP_STATUS_PRECONDITION_FAILED, NULL);
      finish (s, SD_SYNC_OUTCOME_CONFLICT, NULL, fresh, changed);
    }
  else if (s->item->kind == SD_SYNC_ORDER_MEMO || s->item->kind == SD_SYNC_ORDER_CANCEL)
    member_change (s, s->item->kind == SD_SYNC_ORDER_CANCEL);
  else
    send_write (s, FALSE);
}

static void
read_fresh (Send *s)
{
  g_autofree char *path = NULL;

  switch (s->item->kind)
    {
    case SD_SYNC_PRODUCT: path = sd_admin_path_with_id (SD_PATH_PRODUCTS "/", s->item->target); break;
    case SD_SYNC_CATEGORY: path = g_strdup (SD_PATH_CATEGORIES); break;
    case SD_SYNC_ORDER_MEMO:
    case SD_SYNC_ORDER_CANCEL: path = sd_admin_path_with_id (SD_PATH_ORDERS "/", s->item->target); break;
    case SD_SYNC_ORDER_STATUS:
    default: path = g_strdup (SD_PATH_ADMIN_ORDERS); break;
    }
  sd_api_call_async (s->api, "GET", path, NULL, s->cancellable, fresh_cb, s);
}

static void
features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *s = user_data;

  sd_shop_learn_features_finish (SD_API (source), result);
  if (!sd_api_features_known (s->api))
    {
      g_autoptr(GError) error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_OFFLINE,
                                                     _("The shop is not reachable."));
      fail (s, error);
      return;
    }
  s->conditional = sd_api_has_feature (s->api, "conditional");
  s->original = sd_shop_is_original (s->api);
  if (s->conditional)
    send_write (s, TRUE);
  else
    read_fresh (s);
}

void
sd_sync_send (SdSync *sync, SdApi *api, SdSyncItem *item, GCancellable *cancellable, SdSyncSent done)
{
  Send *s = g_new0 (Send, 1);

  s->sync = g_object_ref (sync);
  s->api = g_object_ref (api);
  s->item = g_object_ref (item);
  s->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  s->done = done;
  sd_shop_learn_features_async (api, cancellable, features_cb, s);
}
