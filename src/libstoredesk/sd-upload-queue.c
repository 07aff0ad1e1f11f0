/* sd-upload-queue.c — pictures kept on disk until the shop has them. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-admin.h"
#include "sd-api-private.h"
#include "sd-list-model-private.h"
#include "sd-models-private.h"
#include "sd-image-header.h"
#include "sd-shop-identity-private.h"
#include "sd-upload-queue.h"

#define SIDECAR_VERSION   1
#define BACKOFF_FIRST_S   2
#define BACKOFF_MAX_S     300

/* ---- SdUpload ---------------------------------------------------------- */

struct _SdUpload
{
  GObject         parent_instance;
  char           *id;
  SdUploadTarget  target;
  char           *product_id;
  GFile          *file;
  GFile          *sidecar;
  char           *content_type;
  gsize           size;
  gint64          created;     /* wall clock, µs: the order of the list */
  SdUploadState   state;
  double          progress;
  char           *error;
  guint           attempts;
  gint64          next_try;    /* monotonic µs; not kept on disk */
};

G_DEFINE_FINAL_TYPE (SdUpload, sd_upload, G_TYPE_OBJECT)

enum { UPROP_0, UPROP_STATE, UPROP_PROGRESS, UPROP_ERROR, UPROP_ATTEMPTS, UN_PROPS };
static GParamSpec *upload_props[UN_PROPS];

static void
sd_upload_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdUpload *self = SD_UPLOAD (object);

  switch (prop_id)
    {
    case UPROP_STATE: g_value_set_uint (value, self->state); break;
    case UPROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case UPROP_ERROR: g_value_set_string (value, self->error); break;
    case UPROP_ATTEMPTS: g_value_set_uint (value, self->attempts); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_upload_finalize (GObject *object)
{
  SdUpload *self = SD_UPLOAD (object);

  g_free (self->id);
  g_free (self->product_id);
  g_clear_object (&self->file);
  g_clear_object (&self->sidecar);
  g_free (self->content_type);
  g_free (self->error);
  G_OBJECT_CLASS (sd_upload_parent_class)->finalize (object);
}

static void
sd_upload_class_init (SdUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = sd_upload_get_property;
  object_class->finalize = sd_upload_finalize;
  /* An SdUploadState. */
  upload_props[UPROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, SD_UPLOAD_FAILED, 0, flags);
  upload_props[UPROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  upload_props[UPROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  upload_props[UPROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, UN_PROPS, upload_props);
}

static void
sd_upload_init (SdUpload *self)
{
}

const char *sd_upload_get_id (SdUpload *self) { return self->id; }
SdUploadTarget sd_upload_get_target (SdUpload *self) { return self->target; }
const char *sd_upload_get_product_id (SdUpload *self) { return self->product_id; }
GFile *sd_upload_get_file (SdUpload *self) { return self->file; }
const char *sd_upload_get_content_type (SdUpload *self) { return self->content_type; }
gsize sd_upload_get_size (SdUpload *self) { return self->size; }
SdUploadState sd_upload_get_state (SdUpload *self) { return self->state; }
double sd_upload_get_progress (SdUpload *self) { return self->progress; }
const char *sd_upload_get_error (SdUpload *self) { return self->error; }
guint sd_upload_get_attempts (SdUpload *self) { return self->attempts; }

static void
set_state (SdUpload *self, SdUploadState state, double progress)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_STATE]);
    }
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_error (SdUpload *self, const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_ERROR]);
}

/* ---- the sidecar --------------------------------------------------------- */

static char *
sidecar_text (SdUpload *u)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = g_file_get_basename (u->file);

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
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "contentType");
  json_builder_add_string_value (b, u->content_type);
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
  const char *id, *target, *file, *type, *error;
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
  sd_json_get_integer (o, "size", &size);
  sd_json_get_integer (o, "created", &created);
  sd_json_get_integer (o, "attempts", &attempts);
  if (id == NULL || target == NULL || file == NULL || type == NULL || strchr (file, '/') != NULL ||
      (strcmp (target, "product") == 0 && sd_json_get_string (o, "productId") == NULL))
    return NULL;
  u = g_object_new (SD_TYPE_UPLOAD, NULL);
  u->id = g_strdup (id);
  u->target = strcmp (target, "product") == 0 ? SD_UPLOAD_TARGET_PRODUCT : SD_UPLOAD_TARGET_PROFILE;
  u->product_id = g_strdup (sd_json_get_string (o, "productId"));
  u->file = g_file_get_child (folder, file);
  u->sidecar = g_object_ref (sidecar);
  u->content_type = g_strdup (type);
  u->size = (gsize) MAX (size, 0);
  u->created = created;
  u->attempts = (guint) CLAMP (attempts, 0, G_MAXUINT);
  u->error = g_strdup (error);
  if (json_object_has_member (o, "failed") && json_object_get_boolean_member (o, "failed"))
    u->state = SD_UPLOAD_FAILED;
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
          if (u && g_file_query_exists (u->file, cancellable))
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

static void
disk_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("the upload queue could not save its state: %s", error->message);
}

/* ---- SdUploadQueue -------------------------------------------------------- */

struct _SdUploadQueue
{
  GObject       parent_instance;
  SdSession    *session;
  SdAdmin      *admin;
  GFile        *folder;
  GPtrArray    *items;        /* SdUpload */
  gboolean      ready;
  SdUpload     *sending;      /* one at a time */
  GPtrArray    *held_adds;    /* GTasks of adds made before ready: the
                               * folder is being tidied until then */
  GCancellable *cancellable;  /* everything this queue started */
  guint         timer;
};

static void sd_upload_queue_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdUploadQueue, sd_upload_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sd_upload_queue_list_model_iface_init))

enum { PROP_0, PROP_READY, N_PROPS };
static GParamSpec *properties[N_PROPS];
enum { SIGNAL_UPLOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

SD_PTR_ARRAY_LIST_MODEL (sd_upload_queue, SdUploadQueue, SD_UPLOAD_QUEUE, items, SD_TYPE_UPLOAD)

static void
sd_upload_queue_dispose (GObject *object)
{
  SdUploadQueue *self = SD_UPLOAD_QUEUE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->admin);
  G_OBJECT_CLASS (sd_upload_queue_parent_class)->dispose (object);
}

static void
sd_upload_queue_finalize (GObject *object)
{
  SdUploadQueue *self = SD_UPLOAD_QUEUE (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->held_adds);
  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sd_upload_queue_parent_class)->finalize (object);
}

static void
sd_upload_queue_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READY: g_value_set_boolean (value, SD_UPLOAD_QUEUE (object)->ready); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_upload_queue_class_init (SdUploadQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_upload_queue_dispose;
  object_class->finalize = sd_upload_queue_finalize;
  object_class->get_property = sd_upload_queue_get_property;
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* (SdUpload *upload, const char *image_url): the shop has it; the item
   * has left the list. */
  signals[SIGNAL_UPLOADED] = g_signal_new ("uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2, SD_TYPE_UPLOAD, G_TYPE_STRING);
}

static void
sd_upload_queue_init (SdUploadQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->held_adds = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* Not cancelled with the queue: what it learned must reach the disk. */
static void
save (SdUploadQueue *self, SdUpload *u, GBytes *picture, GAsyncReadyCallback callback, gpointer user_data)
{
  DiskJob *j = g_new0 (DiskJob, 1);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  j->sidecar = g_object_ref (u->sidecar);
  j->text = sidecar_text (u);
  if (picture)
    {
      j->picture = g_object_ref (u->file);
      j->bytes = g_bytes_ref (picture);
    }
  g_task_set_task_data (task, j, (GDestroyNotify) disk_job_free);
  g_task_run_in_thread (task, disk_thread);
}

static void
forget (SdUploadQueue *self, SdUpload *u)
{
  DiskJob *j = g_new0 (DiskJob, 1);
  g_autoptr(GTask) task = g_task_new (self, NULL, disk_done_cb, NULL);   /* removal runs to its end */
  guint index;

  j->sidecar = g_object_ref (u->sidecar);
  j->picture = g_object_ref (u->file);
  g_task_set_task_data (task, j, (GDestroyNotify) disk_job_free);
  g_task_run_in_thread (task, disk_thread);
  if (g_ptr_array_find (self->items, u, &index))
    {
      g_ptr_array_remove_index (self->items, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }
}

/* ---- sending ------------------------------------------------------------ */

static void kick (SdUploadQueue *self);

static gboolean
timer_cb (gpointer user_data)
{
  SdUploadQueue *self = user_data;

  self->timer = 0;
  kick (self);
  return G_SOURCE_REMOVE;
}

static gboolean
may_send (SdUploadQueue *self, SdUpload *u)
{
  return u->state == SD_UPLOAD_WAITING &&
         (u->target == SD_UPLOAD_TARGET_PROFILE || sd_session_get_is_admin (self->session));
}

/* Refusals that trying again cannot change. */
static gboolean
is_permanent (const GError *error)
{
  if (error->domain != SD_API_ERROR)
    return FALSE;
  switch (error->code)
    {
    case SD_API_ERROR_FORBIDDEN:
    case SD_API_ERROR_NOT_FOUND:
    case SD_API_ERROR_TOO_LARGE:
    case SD_API_ERROR_INVALID_INPUT:
    case SD_API_ERROR_CONFLICT:
    case SD_API_ERROR_UNSUPPORTED:
    case SD_API_ERROR_TLS:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
finish_sending (SdUploadQueue *self, SdUpload *u, const char *image_url, const GError *error)
{
  g_autoptr(SdUpload) keep = g_object_ref (u);

  self->sending = NULL;
  if (error == NULL)
    {
      g_debug ("uploaded %s: %s", u->id, image_url);
      set_state (u, SD_UPLOAD_SENDING, 1.0);
      forget (self, u);
      g_signal_emit (self, signals[SIGNAL_UPLOADED], 0, u, image_url);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the queue is going away; the item stays on disk */
  else
    {
      u->attempts++;
      g_object_notify_by_pspec (G_OBJECT (u), upload_props[UPROP_ATTEMPTS]);
      set_error (u, error->message);
      if (is_permanent (error))
        {
          g_message ("upload %s refused: %s", u->id, error->message);
          set_state (u, SD_UPLOAD_FAILED, 0);
        }
      else
        {
          /* 2, 4, 8 … s, at most 5 min; sooner if the connection returns. */
          guint delay = MIN (BACKOFF_MAX_S, BACKOFF_FIRST_S << MIN (u->attempts - 1, 10u));

          g_debug ("upload %s failed (%s); again in %u s", u->id, error->message, delay);
          u->next_try = g_get_monotonic_time () + (gint64) delay * G_USEC_PER_SEC;
          set_state (u, SD_UPLOAD_WAITING, 0);
        }
      save (self, u, NULL, disk_done_cb, NULL);
    }
  kick (self);
}

static void
product_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = sd_admin_product_finish (SD_ADMIN (source), result, &error);

  if (product == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                   _("The product no longer exists in the shop, so its new picture was not saved."));
    }
  if (self->sending)
    finish_sending (self, self->sending, product ? sd_product_get_image (product) : NULL, error);
  g_object_unref (self);
}

static void
picture_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sd_admin_upload_picture_finish (SD_ADMIN (source), result, &error);
  SdProductFields fields = { .price = -1, .stock = -2 };

  if (path == NULL || self->sending == NULL)
    {
      if (self->sending)
        finish_sending (self, self->sending, NULL, error);
      g_object_unref (self);
      return;
    }
  set_state (self->sending, SD_UPLOAD_SENDING, 0.8);
  fields.image = path;
  sd_admin_save_product_async (self->admin, self->sending->product_id, &fields, self->cancellable,
                               product_saved_cb, self);
}

static void
profile_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = sd_session_upload_profile_picture_finish (SD_SESSION (source), result, &error);

  if (self->sending)
    finish_sending (self, self->sending, url, error);
  g_object_unref (self);
}

/* What prep would have made: the type it says, whole, within the
 * contract's limits, nothing but pixels and nothing after the end. */
static gboolean
sendable (SdUpload *u, GBytes *bytes, GError **error)
{
  SdImageHeader h;
  gsize n;
  const guint8 *d = g_bytes_get_data (bytes, &n);

  if (!sd_image_header_check (d, n, SD_IMAGE_MAX_PIXELS, &h, error))
    return FALSE;
  if (h.end != n || h.extra || g_strcmp0 (h.mime_type, u->content_type) != 0)
    {
      g_set_error_literal (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_NOT_IMAGE,
                           _("it is not the picture that was prepared"));
      return FALSE;
    }
  return TRUE;
}

static void
picture_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  SdUpload *u = self->sending;

  if (u == NULL)
    {
      g_object_unref (self);
      return;
    }
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) lost = g_error_new (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                                                _("The prepared picture is missing from the queue (%s)."),
                                                error->message);
          finish_sending (self, u, NULL, lost);
        }
      g_object_unref (self);
      return;
    }
  /* What lies in the queue's folder is checked again by the contract's
   * rule before it leaves: a file changed on disk (a bomb, a picture with
   * more than pixels in it, or after its end) is not sent. A few
   * microseconds for a prepared picture: headers, then a byte scan. */
  if (!sendable (u, bytes, &error))
    {
      g_autoptr(GError) bad = g_error_new (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                                           _("The prepared picture in the queue was changed or damaged (%s). "
                                             "Add the photo again."), error->message);
      g_message ("upload %s: the queued picture fails the header check", u->id);
      finish_sending (self, u, NULL, bad);
      g_object_unref (self);
      return;
    }
  set_state (u, SD_UPLOAD_SENDING, 0.2);
  if (u->target == SD_UPLOAD_TARGET_PRODUCT)
    sd_admin_upload_picture_async (self->admin, bytes, u->content_type, self->cancellable, picture_sent_cb, self);
  else
    sd_session_upload_profile_picture_async (self->session, bytes, u->content_type, self->cancellable,
                                             profile_sent_cb, self);
}

static void
kick (SdUploadQueue *self)
{
  gint64 now = g_get_monotonic_time (), soonest = G_MAXINT64;

  if (!self->ready || self->sending != NULL || !sd_session_get_connected (self->session))
    return;
  g_clear_handle_id (&self->timer, g_source_remove);
  for (guint i = 0; i < self->items->len; i++)
    {
      SdUpload *u = self->items->pdata[i];

      if (!may_send (self, u))
        continue;
      if (u->next_try > now)
        {
          soonest = MIN (soonest, u->next_try);
          continue;
        }
      self->sending = u;
      set_state (u, SD_UPLOAD_SENDING, 0.05);
      g_file_load_bytes_async (u->file, self->cancellable, picture_read_cb, g_object_ref (self));
      return;
    }
  if (soonest != G_MAXINT64)
    self->timer = g_timeout_add_seconds (MAX (1, (guint) ((soonest - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC)),
                                         timer_cb, self);
}

static void
connection_changed (SdUploadQueue *self)
{
  /* Back online (or signed in, or now staff): waiting items go at once. */
  if (sd_session_get_connected (self->session))
    for (guint i = 0; i < self->items->len; i++)
      ((SdUpload *) self->items->pdata[i])->next_try = 0;
  kick (self);
}

static void added_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = SD_UPLOAD_QUEUE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  if (items == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("the upload queue could not be read: %s", error->message);
      items = g_ptr_array_new_with_free_func (g_object_unref);
    }
  /* Items added while the folder was read come after the earlier ones. */
  g_ptr_array_extend_and_steal (items, g_steal_pointer (&self->items));
  self->items = g_steal_pointer (&items);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->items->len);
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  for (guint i = 0; i < self->held_adds->len; i++)
    {
      GTask *task = self->held_adds->pdata[i];
      save (self, g_task_get_task_data (task), g_object_get_data (G_OBJECT (task), "sd-picture"),
            added_cb, g_object_ref (task));
    }
  g_ptr_array_set_size (self->held_adds, 0);
  kick (self);
}

SdUploadQueue *
sd_upload_queue_new_in (SdSession *session, GFile *folder)
{
  SdUploadQueue *self = g_object_new (SD_TYPE_UPLOAD_QUEUE, NULL);
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, loaded_cb, NULL);

  self->session = g_object_ref (session);
  self->admin = sd_admin_new (sd_session_get_api (session));
  self->folder = g_object_ref (folder);
  g_signal_connect_swapped (session, "notify::connected", G_CALLBACK (connection_changed), self);
  g_signal_connect_swapped (session, "notify::is-admin", G_CALLBACK (connection_changed), self);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  g_task_run_in_thread (task, load_thread);
  return self;
}

SdUploadQueue *
sd_upload_queue_new (SdSession *session)
{
  /* Kept by the shop's key (sd_api_get_shop_key). */
  g_autofree char *path = sd_shop_uploads_path (sd_api_get_shop_key (sd_session_get_api (session)));
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  return sd_upload_queue_new_in (session, folder);
}

gboolean
sd_upload_queue_get_ready (SdUploadQueue *self)
{
  g_return_val_if_fail (SD_IS_UPLOAD_QUEUE (self), FALSE);
  return self->ready;
}

/* ---- adding -------------------------------------------------------------- */

static void
added_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdUploadQueue *self = g_task_get_source_object (task);
  SdUpload *u = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (self->items, g_object_ref (u));
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_task_return_pointer (task, g_object_ref (u), g_object_unref);
  kick (self);
}

void
sd_upload_queue_add_async (SdUploadQueue *self, SdPrepared *prepared, SdUploadTarget target,
                           const char *product_id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  SdUpload *u;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *sidecar = NULL;

  g_return_if_fail (SD_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (target != SD_UPLOAD_TARGET_PRODUCT || (product_id && *product_id));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_upload_queue_add_async);
  u = g_object_new (SD_TYPE_UPLOAD, NULL);
  u->id = g_steal_pointer (&uuid);
  u->target = target;
  u->product_id = target == SD_UPLOAD_TARGET_PRODUCT ? g_strdup (product_id) : NULL;
  name = g_strconcat (u->id, ".", sd_prepared_get_extension (prepared), NULL);
  sidecar = g_strconcat (u->id, ".json", NULL);
  u->file = g_file_get_child (self->folder, name);
  u->sidecar = g_file_get_child (self->folder, sidecar);
  u->content_type = g_strdup (sd_prepared_get_content_type (prepared));
  u->size = g_bytes_get_size (sd_prepared_get_bytes (prepared));
  u->created = g_get_real_time ();
  g_task_set_task_data (task, u, g_object_unref);
  if (!self->ready)
    {
      g_object_set_data_full (G_OBJECT (task), "sd-picture", g_bytes_ref (sd_prepared_get_bytes (prepared)),
                              (GDestroyNotify) g_bytes_unref);
      g_ptr_array_add (self->held_adds, task);
      return;
    }
  save (self, u, sd_prepared_get_bytes (prepared), added_cb, task);
}

static void
added_for_file_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SdUpload *u = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  if (u == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, u, g_object_unref);
}

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdUploadQueue *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = sd_image_prep_finish (result, &error);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *product_id = g_task_get_task_data (task);

  if (prepared == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_upload_queue_add_async (self, prepared,
                             product_id ? SD_UPLOAD_TARGET_PRODUCT : SD_UPLOAD_TARGET_PROFILE,
                             product_id, cancellable, added_for_file_cb, g_steal_pointer (&task));
}

void
sd_upload_queue_add_file_async (SdUploadQueue *self, GFile *photo, const SdImagePrepOptions *options,
                                SdUploadTarget target, const char *product_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  SdImagePrepOptions defaults;

  g_return_if_fail (SD_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (target != SD_UPLOAD_TARGET_PRODUCT || (product_id && *product_id));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_upload_queue_add_file_async);
  g_task_set_task_data (task, target == SD_UPLOAD_TARGET_PRODUCT ? g_strdup (product_id) : NULL, g_free);
  if (options == NULL)
    {
      sd_image_prep_options_init (&defaults);
      options = &defaults;
    }
  sd_image_prep_file_async (options, photo, cancellable, prepared_cb, task);
}

SdUpload *
sd_upload_queue_add_finish (SdUploadQueue *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- retry and cancel ------------------------------------------------------ */

void
sd_upload_queue_retry (SdUploadQueue *self, SdUpload *upload)
{
  g_return_if_fail (SD_IS_UPLOAD_QUEUE (self));
  if (upload == self->sending)
    return;
  upload->next_try = 0;
  set_error (upload, NULL);
  set_state (upload, SD_UPLOAD_WAITING, 0);
  save (self, upload, NULL, disk_done_cb, NULL);
  kick (self);
}

void
sd_upload_queue_cancel (SdUploadQueue *self, SdUpload *upload)
{
  g_return_if_fail (SD_IS_UPLOAD_QUEUE (self));
  if (upload == self->sending)
    return;
  forget (self, upload);
}
