/* sd-sync.c — the queue of edits and its order (see sd-sync.h).
 *
 * The queue on disk is the truth; the items here mirror it. One edit is
 * on its way at a time, the oldest that may go: an edit waits behind any
 * earlier edit of the same record that has not landed (waiting, or in a
 * conflict, or refused), so the edits of a record reach the shop in the
 * order they were made; edits of other records go on. When an edit lands,
 * the later edits of its record, made on top of it, are rebased on the
 * record the shop answered with. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-sync-private.h"

#define RETRY_FIRST_S  5
#define RETRY_MAX_S    60

struct _SdSync
{
  GObject       parent_instance;
  SdApi        *api;
  SdLocalStore *store;
  GPtrArray    *items;          /* SdSyncItem, oldest first */
  gboolean      loaded;
  gboolean      busy;           /* an edit is on its way */
  gboolean      closed;         /* sd_sync_close: sends nothing more */
  guint         retry_source;
  guint         retry_s;        /* the next retry's delay */
  gulong        online_handler;
  guint         n_waiting;
  guint         n_conflicts;
  GCancellable *cancellable;    /* the sync's own work; cancelled at its end */
  SdActivityOrigin origin;      /* of the edits made now (sd_sync_set_origin) */
};

static void sd_sync_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdSync, sd_sync, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sd_sync_list_model_init))

enum { PROP_0, PROP_N_WAITING, PROP_N_CONFLICTS, PROP_LOADED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_LANDED, SIGNAL_SENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void tell_if_waiting (SdSync *self, SdSyncItem *item);

/* ---- the list ------------------------------------------------------------ */

static GType list_get_item_type (GListModel *model) { return SD_TYPE_SYNC_ITEM; }
static guint list_get_n_items (GListModel *model) { return SD_SYNC (model)->items->len; }

static gpointer
list_get_item (GListModel *model, guint position)
{
  SdSync *self = SD_SYNC (model);

  return position < self->items->len ? g_object_ref (self->items->pdata[position]) : NULL;
}

static void
sd_sync_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

void
sd_sync_count (SdSync *self)
{
  guint waiting = 0, conflicts = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      SdSyncItem *item = self->items->pdata[i];

      if (item->state == SD_SYNC_WAITING || item->state == SD_SYNC_SENDING)
        waiting++;
      else
        conflicts++;
    }
  if (waiting != self->n_waiting)
    {
      self->n_waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
    }
  if (conflicts != self->n_conflicts)
    {
      self->n_conflicts = conflicts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONFLICTS]);
    }
}

static void
append (SdSync *self, SdSyncItem *item)
{
  g_ptr_array_add (self->items, g_object_ref (item));
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  sd_sync_count (self);
}

void
sd_sync_drop (SdSync *self, SdSyncItem *item)
{
  guint i;

  if (g_ptr_array_find (self->items, item, &i))
    {
      g_ptr_array_remove_index (self->items, i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
      sd_sync_count (self);
    }
}

/* The item's task hears its first outcome: a record, or an error. */
static void
answer (SdSyncItem *item, GObject *record, const GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&item->waiter);

  if (task == NULL)
    return;
  if (error)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_pointer (task, record ? g_object_ref (record) : NULL, g_object_unref);
}

/* ---- the queue on disk ------------------------------------------------------ */

static void
dequeued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  /* Left on disk, it is sent again at the next start, found landed and
   * dropped then: nothing is sent twice. */
  if (!sd_local_store_dequeue_finish (SD_LOCAL_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("a sent edit stays in the queue on disk: %s", error->message);
}

static void
rebased_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sd_local_store_dequeue_finish (SD_LOCAL_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("an edit's new base was not written to the queue on disk: %s", error->message);
}

static void
persist_base (SdSync *self, SdSyncItem *item)
{
  g_autofree char *body = sd_sync_item_body (item);

  sd_local_store_rebase_async (self->store, item->key, body, sd_sync_item_base_updated_at (item),
                               self->cancellable, rebased_cb, NULL);
}

/* ---- sending ---------------------------------------------------------------- */

static gboolean
retry_cb (gpointer user_data)
{
  SdSync *self = user_data;

  self->retry_source = 0;
  sd_sync_pump (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (SdSync *self)
{
  if (self->retry_source)
    return;
  self->retry_source = g_timeout_add_seconds (self->retry_s, retry_cb, self);
  self->retry_s = MIN (self->retry_s * 2, RETRY_MAX_S);
}

/* Later edits of item's record were made on top of it: they are now made
 * on record, as the shop has it. */
static void
rebase_followers (SdSync *self, SdSyncItem *item, GObject *record)
{
  g_autoptr(JsonObject) base = record ? sd_sync_record_of (item->kind, record) : NULL;

  if (base == NULL)
    return;
  for (guint i = 0; i < self->items->len; i++)
    {
      SdSyncItem *later = self->items->pdata[i];

      if (later != item && g_strcmp0 (later->target, item->target) == 0 && later->kind == item->kind &&
          g_strcmp0 (sd_sync_item_base_updated_at (later), sd_sync_item_base_updated_at (item)) == 0)
        {
          sd_sync_item_rebase (later, base, NULL);
          persist_base (self, later);
        }
    }
}

static void
sent_cb (SdSync *self, SdSyncItem *item, SdSyncOutcome outcome, GObject *record, JsonObject *theirs,
         const GError *error)
{
  g_autoptr(SdSyncItem) keep = g_object_ref (item);

  self->busy = FALSE;
  if (error && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sd_sync_item_set_state (item, SD_SYNC_WAITING, NULL);
      answer (item, NULL, error);
      return;   /* the sync is ending */
    }
  switch (outcome)
    {
    case SD_SYNC_OUTCOME_LANDED:
      g_signal_emit (self, signals[SIGNAL_SENT], 0, item);
      sd_local_store_dequeue_async (self->store, item->key, NULL, dequeued_cb, NULL);
      self->retry_s = RETRY_FIRST_S;
      rebase_followers (self, item, record);
      sd_sync_drop (self, item);
      answer (item, record, NULL);
      g_signal_emit (self, signals[SIGNAL_LANDED], 0, item, record);
      break;
    case SD_SYNC_OUTCOME_CONFLICT:
      sd_sync_item_set_state (item, SD_SYNC_CONFLICT, error ? error->message : NULL);
      item->theirs = json_object_ref (theirs);
      sd_sync_count (self);
      answer (item, NULL, error);
      break;
    case SD_SYNC_OUTCOME_UNREACHABLE:
      item->kept = TRUE;
      sd_sync_item_set_state (item, SD_SYNC_WAITING, error->message);
      sd_sync_count (self);
      answer (item, NULL, error);
      schedule_retry (self);
      /* The rest waits too, and is told so (made while this one was on its way). */
      for (guint i = 0; i < self->items->len; i++)
        tell_if_waiting (self, self->items->pdata[i]);
      return;
    case SD_SYNC_OUTCOME_REFUSED:
    default:
      sd_sync_item_set_state (item, SD_SYNC_REFUSED, error ? error->message : NULL);
      sd_sync_count (self);
      answer (item, NULL, error);
      break;
    }
  sd_sync_pump (self);
}

/* The oldest waiting edit whose record has no earlier edit pending. */
static SdSyncItem *
next_item (SdSync *self)
{
  g_autoptr(GHashTable) blocked = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->items->len; i++)
    {
      SdSyncItem *item = self->items->pdata[i];

      if (item->state == SD_SYNC_WAITING && !g_hash_table_contains (blocked, item->target))
        return item;
      g_hash_table_add (blocked, item->target);
    }
  return NULL;
}

void
sd_sync_pump (SdSync *self)
{
  SdSyncItem *item;

  if (!self->loaded || self->busy || self->retry_source || self->closed)
    return;
  item = next_item (self);
  if (item == NULL)
    return;
  self->busy = TRUE;
  sd_sync_item_set_state (item, SD_SYNC_SENDING, NULL);
  sd_sync_send (self, self->api, item, self->cancellable, sent_cb);
}

static void
online_cb (SdApi *api, GParamSpec *pspec, gpointer user_data)
{
  SdSync *self = user_data;

  if (!sd_api_get_online (api))
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_s = RETRY_FIRST_S;
  sd_sync_pump (self);
}

void
sd_sync_retry (SdSync *self)
{
  g_return_if_fail (SD_IS_SYNC (self));
  for (guint i = 0; i < self->items->len; i++)
    {
      SdSyncItem *item = self->items->pdata[i];

      if (item->state == SD_SYNC_REFUSED)
        sd_sync_item_set_state (item, SD_SYNC_WAITING, NULL);
    }
  sd_sync_count (self);
  sd_sync_retry_now (self);
  self->retry_s = RETRY_FIRST_S;
  sd_sync_pump (self);
}

/* ---- loading --------------------------------------------------------------- */

static JsonObject *
member_object (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static SdSyncItem *
item_from_write (SdQueuedWrite *w)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *o, *base, *changes;
  SdSyncKind kind;
  SdSyncItem *item;

  if (!sd_sync_kind_from_string (w->kind, &kind) || !json_parser_load_from_data (parser, w->body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  base = member_object (o, "base");
  changes = member_object (o, "changes");
  if (base == NULL || changes == NULL)
    return NULL;
  item = sd_sync_item_new (kind, w->target_id, sd_json_get_string (o, "title"), w->idempotency_key, w->created,
                           base, changes);
  item->origin = sd_activity_origin_from_wire (sd_json_get_string (o, "origin"));
  item->kept = TRUE;   /* made before this start: sent later */
  return item;
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) writes = sd_local_store_list_queue_finish (SD_LOCAL_STORE (source), result, &error);
  guint before = self->items->len;

  if (writes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("the edits waiting to be sent could not be read: %s", error->message);
    }
  /* Before any edit made since: those were queued after this read. */
  for (guint i = 0; writes && i < writes->len; i++)
    {
      g_autoptr(SdSyncItem) item = item_from_write (writes->pdata[i]);

      if (item)
        g_ptr_array_insert (self->items, i, g_object_ref (item));
      else
        g_warning ("a queued edit of a kind this Storedesk does not know stays on disk");
    }
  if (self->items->len != before)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->items->len - before);
  self->loaded = TRUE;
  sd_sync_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  sd_sync_pump (self);
}

SdSync *
sd_sync_new (SdApi *api, SdLocalStore *store)
{
  SdSync *self;

  g_return_val_if_fail (SD_IS_API (api), NULL);
  g_return_val_if_fail (SD_IS_LOCAL_STORE (store), NULL);
  self = g_object_new (SD_TYPE_SYNC, NULL);
  self->api = g_object_ref (api);
  self->store = g_object_ref (store);
  self->online_handler = g_signal_connect (api, "notify::online", G_CALLBACK (online_cb), self);
  sd_local_store_list_queue_async (store, self->cancellable, listed_cb, g_object_ref (self));
  return self;
}

/* ---- edits ----------------------------------------------------------------- */

typedef struct {
  SdSyncKind  kind;
  char       *target;
  char       *title;
  JsonObject *base;
  JsonObject *changes;
  SdActivityOrigin origin;
} Submit;

static void
submit_free (Submit *s)
{
  g_free (s->target);
  g_free (s->title);
  json_object_unref (s->base);
  json_object_unref (s->changes);
  g_free (s);
}

static void
enqueued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdSync *self = g_task_get_source_object (task);
  Submit *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdQueuedWrite) w = sd_local_store_enqueue_finish (SD_LOCAL_STORE (source), result, &error);
  g_autoptr(SdSyncItem) item = NULL;

  if (w == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  item = sd_sync_item_new (s->kind, s->target, s->title, w->idempotency_key, w->created, s->base, s->changes);
  item->origin = s->origin;
  item->waiter = task;
  append (self, item);
  sd_sync_pump (self);
  tell_if_waiting (self, item);
}

/* An edit that cannot go now is told so at once: the shop is not
 * answering (a retry is due), or an earlier edit of its record waits for
 * the user. */
static void
tell_if_waiting (SdSync *self, SdSyncItem *item)
{
  g_autoptr(GError) error = NULL;

  if (item->waiter == NULL || item->state != SD_SYNC_WAITING)
    return;
  for (guint i = 0; i < self->items->len && self->items->pdata[i] != item; i++)
    {
      SdSyncItem *earlier = self->items->pdata[i];

      if (g_strcmp0 (earlier->target, item->target) == 0 &&
          (earlier->state == SD_SYNC_CONFLICT || earlier->state == SD_SYNC_REFUSED))
        error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CHANGED,
                                     _("An earlier change of this waits for you in Changes to Send; "
                                       "this one is kept and goes after it."));
    }
  if (error == NULL && self->retry_source)
    error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_OFFLINE,
                                 _("The shop is not reachable. The change is kept on this computer "
                                   "and sent when the shop answers again."));
  if (error)
    answer (item, NULL, error);
}

/* The record an edit of target is made on: the last pending edit's
 * result when there is one, else model. */
static JsonObject *
base_for (SdSync *self, SdSyncKind kind, const char *target, GObject *model)
{
  for (guint i = self->items->len; i > 0; i--)
    {
      SdSyncItem *item = self->items->pdata[i - 1];

      if (item->kind == kind && g_strcmp0 (item->target, target) == 0)
        {
          JsonObject *base = json_object_new ();
          g_autoptr(GList) members = json_object_get_members (item->base);
          g_autoptr(GList) changed = json_object_get_members (item->changes);

          for (GList *l = members; l; l = l->next)
            json_object_set_member (base, l->data, json_node_copy (json_object_get_member (item->base, l->data)));
          for (GList *l = changed; l; l = l->next)
            json_object_set_member (base, l->data, json_node_copy (json_object_get_member (item->changes, l->data)));
          return base;
        }
    }
  return sd_sync_record_of (kind, model);
}

/* Queues changes (taken) to model, less those it already has. */
static void
submit (SdSync *self, SdSyncKind kind, GObject *model, const char *target, char *title, JsonObject *changes,
        gpointer tag, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Submit *s = g_new0 (Submit, 1);
  g_autoptr(GList) members = json_object_get_members (changes);
  g_autofree char *body = NULL;

  g_task_set_source_tag (task, tag);
  s->kind = kind;
  s->target = g_strdup (target);
  s->title = title;
  s->base = base_for (self, kind, target, model);
  s->changes = changes;
  s->origin = self->origin;
  g_task_set_task_data (task, s, (GDestroyNotify) submit_free);
  for (GList *l = members; l; l = l->next)
    {
      g_autofree char *was = sd_sync_value_text (s->base, l->data);
      g_autofree char *now = sd_sync_value_text (changes, l->data);

      if (g_strcmp0 (was, now) == 0)
        json_object_remove_member (changes, l->data);
    }
  if (json_object_get_size (changes) == 0)
    {
      g_task_return_pointer (task, g_object_ref (model), g_object_unref);   /* nothing to change */
      g_object_unref (task);
      return;
    }
  {
    g_autoptr(SdSyncItem) draft = sd_sync_item_new (kind, target, title, "", 0, s->base, changes);

    draft->origin = s->origin;
    body = sd_sync_item_body (draft);
  }
  sd_local_store_enqueue_async (self->store, sd_sync_kind_to_string (kind), target, body,
                                sd_json_get_string (s->base, "updatedAt"), NULL, enqueued_cb, task);
}

void
sd_sync_set_order_status_async (SdSync *self, SdOrder *order, SdOrderStatus status, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  JsonObject *changes = json_object_new ();

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_ORDER (order));
  json_object_set_string_member (changes, "status", sd_order_status_to_wire (status));
  submit (self, SD_SYNC_ORDER_STATUS, G_OBJECT (order), sd_order_get_id (order), sd_order_dup_order_number (order),
          changes, sd_sync_set_order_status_async, cancellable, callback, user_data);
}

void
sd_sync_set_order_memo_async (SdSync *self, SdOrder *order, const char *memo, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  JsonObject *changes = json_object_new ();

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_ORDER (order));
  json_object_set_string_member (changes, "memo", memo ? memo : "");
  submit (self, SD_SYNC_ORDER_MEMO, G_OBJECT (order), sd_order_get_id (order), sd_order_dup_order_number (order),
          changes, sd_sync_set_order_memo_async, cancellable, callback, user_data);
}

void
sd_sync_cancel_order_async (SdSync *self, SdOrder *order, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  JsonObject *changes = json_object_new ();

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_ORDER (order));
  json_object_set_string_member (changes, "status", sd_order_status_to_wire (SD_ORDER_STATUS_CANCELLED));
  submit (self, SD_SYNC_ORDER_CANCEL, G_OBJECT (order), sd_order_get_id (order), sd_order_dup_order_number (order),
          changes, sd_sync_cancel_order_async, cancellable, callback, user_data);
}

static void
set_text (JsonObject *o, const char *member, const char *value)
{
  if (value)
    json_object_set_string_member (o, member, value);
}

void
sd_sync_save_product_async (SdSync *self, SdProduct *product, const SdProductFields *f,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  JsonObject *changes = json_object_new ();

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_PRODUCT (product));
  set_text (changes, "name", f->name);
  set_text (changes, "categoryId", f->category_id);
  set_text (changes, "brand", f->brand);
  set_text (changes, "image", f->image);
  set_text (changes, "description", f->description);
  if (f->price >= 0)
    json_object_set_int_member (changes, "price", f->price);
  if (f->stock >= 0)
    json_object_set_int_member (changes, "stock", f->stock);
  else if (f->stock == -1)
    json_object_set_null_member (changes, "stock");
  if (f->option_name && *f->option_name)
    {
      JsonObject *opt = json_object_new ();
      JsonArray *values = json_array_new ();

      for (guint i = 0; f->option_values && f->option_values[i]; i++)
        json_array_add_string_element (values, f->option_values[i]);
      json_object_set_string_member (opt, "name", f->option_name);
      json_object_set_array_member (opt, "value", values);
      json_object_set_object_member (changes, "options", opt);
    }
  else if (f->option_name)
    json_object_set_null_member (changes, "options");
  submit (self, SD_SYNC_PRODUCT, G_OBJECT (product), sd_product_get_id (product),
          g_strdup (sd_product_get_name (product)), changes, sd_sync_save_product_async, cancellable, callback,
          user_data);
}

void
sd_sync_rename_category_async (SdSync *self, SdCategory *category, const char *name, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  JsonObject *changes = json_object_new ();

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_CATEGORY (category));
  json_object_set_string_member (changes, "name", name);
  submit (self, SD_SYNC_CATEGORY, G_OBJECT (category), sd_category_get_id (category),
          g_strdup (sd_category_get_name (category)), changes, sd_sync_rename_category_async, cancellable,
          callback, user_data);
}

gpointer
sd_sync_finish (SdSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the object ----------------------------------------------------------- */

void
sd_sync_set_origin (SdSync *self, SdActivityOrigin origin)
{
  g_return_if_fail (SD_IS_SYNC (self));
  self->origin = origin;
}

void
sd_sync_retry_now (SdSync *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
}

SdLocalStore *sd_sync_get_store (SdSync *self) { g_return_val_if_fail (SD_IS_SYNC (self), NULL); return self->store; }
guint sd_sync_get_n_waiting (SdSync *self) { g_return_val_if_fail (SD_IS_SYNC (self), 0); return self->n_waiting; }
guint sd_sync_get_n_conflicts (SdSync *self) { g_return_val_if_fail (SD_IS_SYNC (self), 0); return self->n_conflicts; }
gboolean sd_sync_get_loaded (SdSync *self) { g_return_val_if_fail (SD_IS_SYNC (self), FALSE); return self->loaded; }

void
sd_sync_close (SdSync *self)
{
  g_return_if_fail (SD_IS_SYNC (self));
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->api)
    g_clear_signal_handler (&self->online_handler, self->api);
}

gboolean
sd_sync_holds (SdSync *self, SdSyncItem *item)
{
  return g_ptr_array_find (self->items, item, NULL);
}

SdSyncItem *
sd_sync_find (SdSync *self, const char *target)
{
  g_return_val_if_fail (SD_IS_SYNC (self), NULL);
  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (((SdSyncItem *) self->items->pdata[i])->target, target) == 0)
      return self->items->pdata[i];
  return NULL;
}

static void
sd_sync_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdSync *self = SD_SYNC (object);

  switch (prop_id)
    {
    case PROP_N_WAITING: g_value_set_uint (value, self->n_waiting); break;
    case PROP_N_CONFLICTS: g_value_set_uint (value, self->n_conflicts); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_dispose (GObject *object)
{
  SdSync *self = SD_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  /* Edits waiting for their turn are on disk; their callers hear that the
   * sync ended (the one on its way hears it from its call). */
  for (guint i = 0; i < self->items->len; i++)
    {
      SdSyncItem *item = self->items->pdata[i];

      if (item->waiter && item->state != SD_SYNC_SENDING)
        {
          g_autoptr(GError) ended = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the sync ended");
          answer (item, NULL, ended);
        }
    }
  if (self->api)
    g_clear_signal_handler (&self->online_handler, self->api);
  g_clear_object (&self->api);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_sync_parent_class)->dispose (object);
}

static void
sd_sync_finalize (GObject *object)
{
  SdSync *self = SD_SYNC (object);

  g_ptr_array_unref (self->items);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sd_sync_parent_class)->finalize (object);
}

static void
sd_sync_class_init (SdSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_sync_get_property;
  object_class->dispose = sd_sync_dispose;
  object_class->finalize = sd_sync_finalize;
  properties[PROP_N_WAITING] = g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_CONFLICTS] = g_param_spec_uint ("n-conflicts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_LANDED] = g_signal_new ("landed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 2, SD_TYPE_SYNC_ITEM, G_TYPE_OBJECT);
  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 1, SD_TYPE_SYNC_ITEM);
}

static void
sd_sync_init (SdSync *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->retry_s = RETRY_FIRST_S;
}
