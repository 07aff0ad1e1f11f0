/* sd-upload-store.c — the upload queue's folder: a picture and a JSON
 * sidecar per item (the sidecar's format is the queue file's). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-models-private.h"
#include "sd-upload-private.h"

#define SIDECAR_VERSION   1

/* ---- the sidecar --------------------------------------------------------- */

static char *
sidecar_text (SdUpload *u)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = u->file ? g_file_get_basename (u->file) : NULL;
  g_autofree char *original = u->original ? g_file_get_path (u->original) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SIDECAR_VERSION);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, u->id);
  json_builder_set_member_name (b, "target");
  json_builder_add_string_value (b, u->target == SD_UPLOAD_TARGET_PRODUCT ? "product" : "profile");
  if (u->product_id)
    {
      json_builder_set_member_name (b, "productId");
      json_builder_add_string_value (b, u->product_id);
    }
  if (name)
    {
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "contentType");
      json_builder_add_string_value (b, u->content_type);
    }
  /* Chosen, not prepared (yet, or it failed): the photo's own path, to
   * prepare it again. */
  if (u->file == NULL && original)
    {
      json_builder_set_member_name (b, "preparing");
      json_builder_add_string_value (b, original);
    }
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) u->size);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, u->created);
  json_builder_set_member_name (b, "failed");
  json_builder_add_boolean_value (b, u->state == SD_UPLOAD_FAILED);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, u->attempts);
  if (u->error)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, u->error);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

/* NULL (and the sidecar is not ours to trust) when it does not parse. */
static SdUpload *
upload_from_sidecar (GFile *folder, GFile *sidecar, const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *id, *target, *file, *type, *error, *original;
  gint64 size = 0, created = 0, attempts = 0;
  SdUpload *u;

  if (!json_parser_load_from_data (parser, text, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  id = sd_json_get_string (o, "id");
  target = sd_json_get_string (o, "target");
  file = sd_json_get_string (o, "file");
  type = sd_json_get_string (o, "contentType");
  error = sd_json_get_string (o, "error");
  original = sd_json_get_string (o, "preparing");
  sd_json_get_integer (o, "size", &size);
  sd_json_get_integer (o, "created", &created);
  sd_json_get_integer (o, "attempts", &attempts);
  if (original && (file != NULL || !g_path_is_absolute (original)))
    return NULL;
  if (id == NULL || target == NULL || (original == NULL && (file == NULL || type == NULL)) ||
      (file && strchr (file, '/') != NULL) || strchr (id, '/') != NULL ||
      (strcmp (target, "product") == 0 && sd_json_get_string (o, "productId") == NULL))
    return NULL;
  u = g_object_new (SD_TYPE_UPLOAD, NULL);
  u->id = g_strdup (id);
  u->target = strcmp (target, "product") == 0 ? SD_UPLOAD_TARGET_PRODUCT : SD_UPLOAD_TARGET_PROFILE;
  u->product_id = g_strdup (sd_json_get_string (o, "productId"));
  u->file = file ? g_file_get_child (folder, file) : NULL;
  u->original = original ? g_file_new_for_path (original) : NULL;
  u->sidecar = g_object_ref (sidecar);
  u->content_type = g_strdup (type);
  u->size = (gsize) MAX (size, 0);
  u->created = created;
  u->attempts = (guint) CLAMP (attempts, 0, G_MAXUINT);
  u->error = g_strdup (error);
  if (json_object_has_member (o, "failed") && json_object_get_boolean_member (o, "failed"))
    u->state = SD_UPLOAD_FAILED;
  else if (original)
    u->state = SD_UPLOAD_PREPARING;
  return u;
}

/* ---- disk work, in worker threads --------------------------------------- */

static gint
by_created (gconstpointer a, gconstpointer b)
{
  gint64 x = (*(SdUpload **) a)->created, y = (*(SdUpload **) b)->created;
  return (x > y) - (x < y);
}

/* One reader or writer of queue folders at a time in this process, so a
 * new queue never reads a folder while an old one still writes to it. */
static GMutex disk_lock;

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GFile *folder = task_data;
  g_autoptr(GMutexLocker) locked = g_mutex_locker_new (&disk_lock);
  g_autoptr(GFileEnumerator) e = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) pictures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  if (!g_file_make_directory_with_parents (folder, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  e = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                 cancellable, &error);
  if (e == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while ((info = g_file_enumerator_next_file (e, cancellable, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);
      g_autoptr(GFile) child = g_file_get_child (folder, name);

      if (g_str_has_suffix (name, ".json"))
        {
          g_autofree char *text = NULL;
          SdUpload *u = NULL;

          if (g_file_load_contents (child, cancellable, &text, NULL, NULL, NULL))
            u = upload_from_sidecar (folder, child, text);
          if (u && u->file == NULL && u->original)
            g_ptr_array_add (items, u);   /* chosen, never prepared */
          else if (u && u->file && g_file_query_exists (u->file, cancellable))
            {
              g_hash_table_add (pictures, g_file_get_basename (u->file));
              g_ptr_array_add (items, u);
            }
          else
            {
              /* Half-written or foreign: the picture never made it. */
              g_message ("dropping the unusable queue entry %s", name);
              g_clear_object (&u);
              g_file_delete (child, cancellable, NULL);
            }
        }
      g_object_unref (info);
    }
  /* Pictures whose sidecar was never written (a crash in between). */
  g_file_enumerator_close (e, cancellable, NULL);
  g_clear_object (&e);
  e = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                 cancellable, NULL);
  while (e && (info = g_file_enumerator_next_file (e, cancellable, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (!g_str_has_suffix (name, ".json") && !g_hash_table_contains (pictures, name))
        {
          g_autoptr(GFile) orphan = g_file_get_child (folder, name);
          g_file_delete (orphan, cancellable, NULL);
        }
      g_object_unref (info);
    }
  g_ptr_array_sort (items, by_created);
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct {
  GFile  *picture;      /* NULL: only the sidecar */
  GBytes *bytes;
  GFile  *sidecar;
  char   *text;         /* NULL: delete both */
} DiskJob;

static void
disk_job_free (DiskJob *j)
{
  g_clear_object (&j->picture);
  g_clear_pointer (&j->bytes, g_bytes_unref);
  g_clear_object (&j->sidecar);
  g_free (j->text);
  g_free (j);
}

/* Picture first, then the sidecar that points at it: each replaced
 * atomically, so a crash leaves a complete old state or a complete new one. */
static void
disk_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DiskJob *j = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locked = g_mutex_locker_new (&disk_lock);

  if (j->text == NULL)
    {
      g_file_delete (j->sidecar, NULL, NULL);
      if (j->picture)
        g_file_delete (j->picture, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (j->picture)
    {
      g_autoptr(GFile) folder = g_file_get_parent (j->picture);

      /* The first item may come before the folder was read (and made). */
      g_file_make_directory_with_parents (folder, NULL, NULL);
    }
  if (j->picture &&
      !g_file_replace_contents (j->picture, g_bytes_get_data (j->bytes, NULL), g_bytes_get_size (j->bytes),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_file_replace_contents (j->sidecar, j->text, strlen (j->text), NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                NULL, cancellable, &error))
    {
      if (j->picture)
        g_file_delete (j->picture, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

typedef struct {
  GTask           *task;
  GTaskThreadFunc  func;
} Ordered;

static void
ordered_run (gpointer data, gpointer unused)
{
  Ordered *o = data;

  o->func (o->task, g_task_get_source_object (o->task), g_task_get_task_data (o->task),
           g_task_get_cancellable (o->task));
  g_object_unref (o->task);
  g_free (o);
}

/* Reads, saves and deletes of queue folders run one after another, in
 * the order they were asked for, on one worker thread: a delete never
 * overtakes the save of the same item (which would bring its sidecar
 * back), nor a new queue's read the last saves of the one before. */
static void
run_in_order (GTask *task, GTaskThreadFunc func)
{
  static GThreadPool *pool;
  Ordered *o = g_new (Ordered, 1);

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (ordered_run, NULL, 1, FALSE, NULL));
  o->task = g_object_ref (task);
  o->func = func;
  g_thread_pool_push (pool, o, NULL);
}

void
sd_upload_store_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("the upload queue could not save its state: %s", error->message);
}

void
sd_upload_store_load (GObject *owner, GFile *folder, GCancellable *cancellable, GAsyncReadyCallback callback)
{
  g_autoptr(GTask) task = g_task_new (owner, cancellable, callback, NULL);

  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  run_in_order (task, load_thread);
}

/* Not cancelled with the queue: what it learned must reach the disk. */
void
sd_upload_store_save (GObject *owner, SdUpload *u, GBytes *picture, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  DiskJob *j = g_new0 (DiskJob, 1);
  g_autoptr(GTask) task = g_task_new (owner, NULL, callback, user_data);

  j->sidecar = g_object_ref (u->sidecar);
  j->text = sidecar_text (u);
  if (picture)
    {
      j->picture = g_object_ref (u->file);
      j->bytes = g_bytes_ref (picture);
    }
  g_task_set_task_data (task, j, (GDestroyNotify) disk_job_free);
  run_in_order (task, disk_thread);
}

void
sd_upload_store_delete (GObject *owner, SdUpload *u)
{
  DiskJob *j = g_new0 (DiskJob, 1);
  g_autoptr(GTask) task = g_task_new (owner, NULL, sd_upload_store_saved_cb, NULL);   /* removal runs to its end */

  j->sidecar = g_object_ref (u->sidecar);
  j->picture = u->file ? g_object_ref (u->file) : NULL;
  g_task_set_task_data (task, j, (GDestroyNotify) disk_job_free);
  run_in_order (task, disk_thread);
}
