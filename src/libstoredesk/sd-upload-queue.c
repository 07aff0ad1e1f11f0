/* sd-upload-queue.c — pictures kept on disk until the shop has them:
 * the queue, adding to it, and sending one at a time with a back-off
 * (the folder's files are sd-upload-store.c's). */
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
#include "sd-upload-private.h"

#define BACKOFF_FIRST_S   2
#define BACKOFF_MAX_S     300

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
  GPtrArray    *held_choices; /* the same for photos still to prepare */
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
  g_ptr_array_unref (self->held_choices);
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
  self->held_choices = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}
static void
forget (SdUploadQueue *self, SdUpload *u)
{
  guint index;

  sd_upload_store_delete (G_OBJECT (self), u);
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
      sd_upload_set_state (u, SD_UPLOAD_SENDING, 1.0);
      forget (self, u);
      g_signal_emit (self, signals[SIGNAL_UPLOADED], 0, u, image_url);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the queue is going away; the item stays on disk */
  else
    {
      sd_upload_count_attempt (u);
      sd_upload_set_error (u, error->message);
      if (is_permanent (error))
        {
          g_message ("upload %s refused: %s", u->id, error->message);
          sd_upload_set_state (u, SD_UPLOAD_FAILED, 0);
        }
      else
        {
          /* 2, 4, 8 … s, at most 5 min; sooner if the connection returns. */
          guint delay = MIN (BACKOFF_MAX_S, BACKOFF_FIRST_S << MIN (u->attempts - 1, 10u));

          g_debug ("upload %s failed (%s); again in %u s", u->id, error->message, delay);
          u->next_try = g_get_monotonic_time () + (gint64) delay * G_USEC_PER_SEC;
          sd_upload_set_state (u, SD_UPLOAD_WAITING, 0);
        }
      sd_upload_store_save (G_OBJECT (self), u, NULL, sd_upload_store_saved_cb, NULL);
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
  sd_upload_set_state (self->sending, SD_UPLOAD_SENDING, 0.8);
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
  sd_upload_set_state (u, SD_UPLOAD_SENDING, 0.2);
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
      sd_upload_set_state (u, SD_UPLOAD_SENDING, 0.05);
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
static void prepare (SdUploadQueue *self, SdUpload *u, const SdImagePrepOptions *options, GTask *task);
static void keep_choice (SdUploadQueue *self, GTask *task);

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdUploadQueue *self = SD_UPLOAD_QUEUE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  if (items == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Gone before its folder was read: what waited for it ends. */
          for (guint i = 0; i < self->held_adds->len; i++)
            g_task_return_new_error (self->held_adds->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, "the queue has stopped");
          for (guint i = 0; i < self->held_choices->len; i++)
            {
              g_task_return_new_error (self->held_choices->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "the queue has stopped");
              g_object_unref (self->held_choices->pdata[i]);
            }
          g_ptr_array_set_size (self->held_adds, 0);
          g_ptr_array_set_size (self->held_choices, 0);
          return;
        }
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
      GBytes *picture = g_object_get_data (G_OBJECT (task), "sd-picture");

      sd_upload_store_save (G_OBJECT (self), g_task_get_task_data (task), picture, added_cb, g_object_ref (task));
    }
  g_ptr_array_set_size (self->held_adds, 0);
  /* Photos chosen in an earlier run and never prepared; then this run's. */
  for (guint i = 0; i < self->items->len; i++)
    if (((SdUpload *) self->items->pdata[i])->state == SD_UPLOAD_PREPARING)
      prepare (self, self->items->pdata[i], NULL, NULL);
  for (guint i = 0; i < self->held_choices->len; i++)
    keep_choice (self, self->held_choices->pdata[i]);
  g_ptr_array_set_size (self->held_choices, 0);
  kick (self);
}

SdUploadQueue *
sd_upload_queue_new_in (SdSession *session, GFile *folder)
{
  SdUploadQueue *self = g_object_new (SD_TYPE_UPLOAD_QUEUE, NULL);

  self->session = g_object_ref (session);
  self->admin = sd_admin_new (sd_session_get_api (session));
  self->folder = g_object_ref (folder);
  g_signal_connect_swapped (session, "notify::connected", G_CALLBACK (connection_changed), self);
  g_signal_connect_swapped (session, "notify::is-admin", G_CALLBACK (connection_changed), self);
  sd_upload_store_load (G_OBJECT (self), folder, self->cancellable, loaded_cb);
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
  sd_upload_store_save (G_OBJECT (self), u, sd_prepared_get_bytes (prepared), added_cb, task);
}

/* ---- a chosen photo: on disk first, then prepared ------------------------ */

typedef struct {
  SdUpload           *upload;
  SdImagePrepOptions  options;
} Choice;

static void
choice_free (Choice *c)
{
  g_object_unref (c->upload);
  g_free (c);
}

static gboolean
listed (SdUploadQueue *self, SdUpload *u)
{
  return g_ptr_array_find (self->items, u, NULL);
}

/* The picture and its sidecar are on disk. */
static void
picture_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdUploadQueue *self = SD_UPLOAD_QUEUE (source);
  SdUpload *u = g_object_get_data (G_OBJECT (task), "sd-upload");
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("the upload queue could not keep a prepared photo: %s", error->message);
      sd_upload_set_error (u, _("The prepared photo could not be written to disk. Free some space, then add the "
                                "photo again."));
      sd_upload_set_state (u, SD_UPLOAD_FAILED, 0);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Sendable only now: its picture is on disk. */
  sd_upload_set_state (u, SD_UPLOAD_WAITING, 0);
  g_task_return_pointer (task, g_object_ref (u), g_object_unref);
  kick (self);
}

static void
choice_prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdUploadQueue *self = g_task_get_source_object (task);
  SdUpload *u = g_object_get_data (G_OBJECT (task), "sd-upload");
  gboolean resumed = g_task_get_source_tag (task) == prepare;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = sd_image_prep_finish (result, &error);
  g_autofree char *name = NULL;

  /* The queue went away (the app quits): the choice stays on disk, still
   * PREPARING, for the next run. Withdrawn (cancelled from the list):
   * nothing more to do. */
  if (g_cancellable_is_cancelled (self->cancellable) || !listed (self, u))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the queue has stopped");
      return;
    }
  if (prepared == NULL)
    {
      g_autofree char *path = g_file_get_path (u->original);

      if (!resumed)
        {
          /* Whoever chose it hears why; the queue keeps nothing. */
          forget (self, u);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          error = g_error_new (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("The photo chosen (%s) is no longer there. Choose the photo again."), path);
        }
      g_message ("a photo chosen earlier could not be prepared: %s", error->message);
      sd_upload_set_error (u, error->message);
      sd_upload_set_state (u, SD_UPLOAD_FAILED, 0);
      sd_upload_store_save (G_OBJECT (self), u, NULL, sd_upload_store_saved_cb, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  name = g_strconcat (u->id, ".", sd_prepared_get_extension (prepared), NULL);
  g_set_object (&u->file, g_file_get_child (self->folder, name));
  g_clear_object (&u->original);
  g_free (u->content_type);
  u->content_type = g_strdup (sd_prepared_get_content_type (prepared));
  u->size = g_bytes_get_size (sd_prepared_get_bytes (prepared));
  sd_upload_set_error (u, NULL);
  /* Still PREPARING until its picture is written (picture_saved_cb): a
   * kick meanwhile must not send a file that is not there yet. */
  sd_upload_store_save (G_OBJECT (self), u, sd_prepared_get_bytes (prepared), picture_saved_cb,
                        g_steal_pointer (&task));
}

/* u (PREPARING, its original named) is prepared, for task or, task NULL,
 * for the queue itself (a choice an earlier run left). */
static void
prepare (SdUploadQueue *self, SdUpload *u, const SdImagePrepOptions *options, GTask *task)
{
  SdImagePrepOptions defaults;

  if (task == NULL)
    {
      task = g_task_new (self, NULL, NULL, NULL);
      g_task_set_source_tag (task, prepare);
    }
  if (options == NULL)
    {
      sd_image_prep_options_init (&defaults);
      options = &defaults;
    }
  g_object_set_data_full (G_OBJECT (task), "sd-upload", g_object_ref (u), g_object_unref);
  sd_image_prep_file_async (options, u->original, self->cancellable, choice_prepared_cb, task);
}

/* The choice is on disk: now it is prepared. */
static void
choice_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdUploadQueue *self = SD_UPLOAD_QUEUE (source);
  Choice *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      forget (self, c->upload);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the queue has stopped");
      g_object_unref (task);
      return;
    }
  prepare (self, c->upload, &c->options, task);
}

static void
keep_choice (SdUploadQueue *self, GTask *task)
{
  Choice *c = g_task_get_task_data (task);

  g_ptr_array_add (self->items, g_object_ref (c->upload));
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  sd_upload_store_save (G_OBJECT (self), c->upload, NULL, choice_saved_cb, task);
}

/* A photo with no path of its own (a remote file, a portal's stream):
 * nothing to prepare it again from after a crash, so it is prepared in
 * memory first and queued when ready, as a prepared photo is. */
static void
added_unkept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
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
prepared_unkept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdUploadQueue *self = g_task_get_source_object (task);
  const char *product_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = sd_image_prep_finish (result, &error);

  if (prepared == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_upload_queue_add_async (self, prepared, product_id ? SD_UPLOAD_TARGET_PRODUCT : SD_UPLOAD_TARGET_PROFILE,
                             product_id, g_task_get_cancellable (task), added_unkept_cb, g_steal_pointer (&task));
}

void
sd_upload_queue_add_file_async (SdUploadQueue *self, GFile *photo, const SdImagePrepOptions *options,
                                SdUploadTarget target, const char *product_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Choice *c;
  g_autofree char *sidecar = NULL;

  g_return_if_fail (SD_IS_UPLOAD_QUEUE (self));
  g_return_if_fail (G_IS_FILE (photo));
  g_return_if_fail (target != SD_UPLOAD_TARGET_PRODUCT || (product_id && *product_id));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_upload_queue_add_file_async);
  /* Kept before it is prepared only with its own path, so that a
   * preparation started again reads the same file. */
  if (g_file_peek_path (photo) == NULL)
    {
      SdImagePrepOptions defaults;

      g_task_set_task_data (task, target == SD_UPLOAD_TARGET_PRODUCT ? g_strdup (product_id) : NULL, g_free);
      if (options == NULL)
        sd_image_prep_options_init (&defaults);
      sd_image_prep_file_async (options ? options : &defaults, photo, cancellable, prepared_unkept_cb, task);
      return;
    }
  c = g_new0 (Choice, 1);
  if (options)
    c->options = *options;
  else
    sd_image_prep_options_init (&c->options);
  c->upload = g_object_new (SD_TYPE_UPLOAD, NULL);
  c->upload->id = g_uuid_string_random ();
  c->upload->target = target;
  c->upload->product_id = target == SD_UPLOAD_TARGET_PRODUCT ? g_strdup (product_id) : NULL;
  sidecar = g_strconcat (c->upload->id, ".json", NULL);
  c->upload->sidecar = g_file_get_child (self->folder, sidecar);
  c->upload->created = g_get_real_time ();
  c->upload->state = SD_UPLOAD_PREPARING;
  c->upload->original = g_file_new_for_path (g_file_peek_path (photo));
  g_task_set_task_data (task, c, (GDestroyNotify) choice_free);
  if (!self->ready)
    {
      g_ptr_array_add (self->held_choices, task);
      return;
    }
  keep_choice (self, task);
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
  if (upload == self->sending || upload->state == SD_UPLOAD_PREPARING)
    return;
  /* Chosen but never prepared (its original was missing): again. */
  if (upload->file == NULL && upload->original)
    {
      sd_upload_set_error (upload, NULL);
      sd_upload_set_state (upload, SD_UPLOAD_PREPARING, 0);
      sd_upload_store_save (G_OBJECT (self), upload, NULL, sd_upload_store_saved_cb, NULL);
      prepare (self, upload, NULL, NULL);
      return;
    }
  upload->next_try = 0;
  sd_upload_set_error (upload, NULL);
  sd_upload_set_state (upload, SD_UPLOAD_WAITING, 0);
  sd_upload_store_save (G_OBJECT (self), upload, NULL, sd_upload_store_saved_cb, NULL);
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

