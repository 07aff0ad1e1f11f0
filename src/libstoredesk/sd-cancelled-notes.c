/* sd-cancelled-notes.c — the orders this computer cancelled at a shop
 * that deletes them (sd-cancelled-notes-private.h). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>

#include "sd-cancelled-notes-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"

char *
sd_cancelled_notes_path (const char *shop_key)
{
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, shop_key, -1);
  g_autofree char *name = NULL;

  key[32] = '\0';
  name = g_strconcat (key, ".json", NULL);
  return g_build_filename (g_get_user_data_dir (), "storedesk", "cancelled", name, NULL);
}

/* The notes of api's shop ({"notes": [...]}'s array), empty when none. */
static JsonArray *
read_notes (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *notes;

  if (!json_parser_load_from_mapped_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))) ||
      (notes = json_object_get_member (json_node_get_object (root), "notes")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (notes))
    return json_array_new ();
  return json_array_ref (json_node_get_array (notes));
}

/* A note: its lines are in the shop's shape ({id, name, count}). */
static JsonNode *
note_new (const char *customer, SdOrder *order)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *cancelled_at = g_date_time_format_iso8601 (now);
  g_autofree char *number = sd_order_dup_order_number (order);
  GDateTime *created = sd_order_get_created_at (order);
  g_autofree char *created_at = created ? g_date_time_format_iso8601 (created) : NULL;
  GListModel *lines = sd_order_get_lines (order);
  JsonObject *note = json_object_new ();
  JsonArray *names = json_array_new ();

  json_object_set_string_member (note, "id", sd_order_get_id (order));
  json_object_set_string_member (note, "customer", customer);
  json_object_set_string_member (note, "number", number);
  if (created_at)
    json_object_set_string_member (note, "createdAt", created_at);
  json_object_set_string_member (note, "cancelledAt", cancelled_at);
  json_object_set_int_member (note, "total", sd_order_get_total (order));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);
      JsonObject *l = json_object_new ();

      json_object_set_string_member (l, "id", sd_order_line_get_product_id (line));
      json_object_set_string_member (l, "name", sd_order_line_get_name (line));
      json_object_set_int_member (l, "count", sd_order_line_get_count (line));
      json_array_add_object_element (names, l);
    }
  json_object_set_array_member (note, "lines", names);
  return json_node_init_object (json_node_alloc (), note);
}

/* ---- the notes' own worker ----------------------------------------------
 * Reading and writing the file happen off the main loop, in one thread of
 * their own that takes the jobs in the order they came: a list asked for
 * after a cancel sees its note. */

typedef struct {
  char     *path;
  JsonNode *note;     /* to add; NULL: a list (task) */
  char     *customer;
  GTask    *task;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_clear_pointer (&job->note, json_node_unref);
  g_free (job->customer);
  g_clear_object (&job->task);
  g_free (job);
}

static void
write_note (const char *path, JsonNode *note)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(JsonArray) old = read_notes (path);
  g_autoptr(JsonArray) notes = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  const char *id = sd_json_get_string (json_node_get_object (note), "id");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint n = json_array_get_length (old);

  /* The newest SD_CANCELLED_NOTES_MAX - 1 that are not this order, then it. */
  for (guint i = n > SD_CANCELLED_NOTES_MAX - 1 ? n - (SD_CANCELLED_NOTES_MAX - 1) : 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (old, i);

      if (JSON_NODE_HOLDS_OBJECT (e) && g_strcmp0 (sd_json_get_string (json_node_get_object (e), "id"), id) != 0)
        json_array_add_element (notes, json_node_copy (e));
    }
  json_array_add_element (notes, json_node_copy (note));
  json_object_set_array_member (root, "notes", json_array_ref (notes));
  json_node_set_object (node, root);
  text = json_to_string (node, FALSE);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_message ("the cancelled order is not noted on this computer: %s",
               error ? error->message : g_strerror (errno));
}

static GPtrArray *list_notes (const char *path, const char *customer);

static void
run_job (gpointer data, gpointer unused)
{
  Job *job = data;

  if (job->note != NULL)
    write_note (job->path, job->note);
  else if (!g_task_return_error_if_cancelled (job->task))
    g_task_return_pointer (job->task, list_notes (job->path, job->customer), (GDestroyNotify) g_ptr_array_unref);
  job_free (job);
}

static GMutex pool_lock;
static GThreadPool *pool;

static void
push_job (Job *job)
{
  g_mutex_lock (&pool_lock);
  if (pool == NULL)
    pool = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
  g_thread_pool_push (pool, job, NULL);
  g_mutex_unlock (&pool_lock);
}

void
sd_cancelled_notes_flush (void)
{
  GThreadPool *done;

  g_mutex_lock (&pool_lock);
  done = g_steal_pointer (&pool);
  g_mutex_unlock (&pool_lock);
  /* Every job asked for is run before this returns. */
  if (done != NULL)
    g_thread_pool_free (done, FALSE, TRUE);
}

void
sd_cancelled_notes_add (SdApi *api, const char *customer, SdOrder *order)
{
  g_autofree char *shop = sd_shop_key (api);
  Job *job = g_new0 (Job, 1);

  job->path = sd_cancelled_notes_path (shop);
  job->note = note_new (customer, order);
  push_job (job);
}

/* A note as the order it stands for, as the shop would answer it. */
static SdOrder *
order_from_note (JsonObject *note)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) made = NULL;
  JsonObject *payment = json_object_new ();
  JsonNode *lines = json_object_get_member (note, "lines");
  const char *created = sd_json_get_string (note, "createdAt");
  gint64 total = 0;
  SdOrder *order;

  sd_json_get_integer (note, "total", &total);
  json_object_set_string_member (o, "_id", sd_json_get_string (note, "id"));
  json_object_set_string_member (o, "orderNumber", sd_json_get_string (note, "number"));
  json_object_set_string_member (o, "status", sd_order_status_to_wire (SD_ORDER_STATUS_CANCELLED));
  if (created)
    json_object_set_string_member (o, "createdAt", created);
  json_object_set_int_member (payment, "ttlPrice", total);
  json_object_set_object_member (o, "payment", payment);
  if (lines && JSON_NODE_HOLDS_ARRAY (lines))
    json_object_set_member (o, "product", json_node_copy (lines));
  made = json_node_init_object (json_node_alloc (), o);
  order = sd_order_new_from_json (made, NULL);
  if (order)
    {
      /* kept here: only this computer knows it */
      g_autoptr(JsonObject) nothing_sent = json_object_new ();
      sd_order_apply_record (order, nothing_sent);
    }
  return order;
}

static GPtrArray *
list_notes (const char *path, const char *customer)
{
  g_autoptr(JsonArray) notes = read_notes (path);
  GPtrArray *orders = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (notes); i++)
    {
      JsonNode *e = json_array_get_element (notes, i);
      JsonObject *note = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      SdOrder *order;

      if (note == NULL || g_strcmp0 (sd_json_get_string (note, "customer"), customer) != 0 ||
          sd_json_get_string (note, "id") == NULL)
        continue;
      if ((order = order_from_note (note)) != NULL)
        g_ptr_array_add (orders, order);
    }
  return orders;
}

void
sd_cancelled_notes_list_async (SdApi *api, const char *customer, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *shop = sd_shop_key (api);
  Job *job = g_new0 (Job, 1);

  job->path = sd_cancelled_notes_path (shop);
  job->customer = g_strdup (customer);
  job->task = g_task_new (api, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, sd_cancelled_notes_list_async);
  push_job (job);
}

GPtrArray *
sd_cancelled_notes_list_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
