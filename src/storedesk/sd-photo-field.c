/* sd-photo-field.c — a product's photo: dropped, pasted or chosen,
 * prepared off the main thread, previewed, then sent through the upload
 * queue (offline too: it goes when the shop is back). A shop without
 * uploads takes a picture by its address only. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-photo-field.h"
#include "sd-picture.h"
#include "sd-ui.h"

#define PREVIEW_SIZE 320

struct _SdPhotoField
{
  AdwBin         parent_instance;

  GtkPicture    *picture;
  GtkWidget     *image_box;
  GtkLabel      *title_label;
  GtkLabel      *status_label;
  GtkButton     *choose_button;
  GtkButton     *retry_button;
  GtkDropTarget *drop;
  GtkWidget     *drop_area;       /* weak */

  SdApi         *api;
  SdUploadQueue *queue;
  gboolean       takes_uploads;   /* else a picture by its address only */
  char          *product_id;      /* NULL: a new product (or none) */
  SdPrepared    *prepared;        /* a photo for a product not saved yet */
  SdUpload      *upload;          /* the photo on its way */
  char          *status;
  GCancellable  *cancellable;     /* loads and preparations */
  GCancellable  *write_cancellable; /* photos on their way to the queue */
};

G_DEFINE_FINAL_TYPE (SdPhotoField, sd_photo_field, ADW_TYPE_BIN)

enum { PROP_0, PROP_API, PROP_QUEUE, PROP_TAKES_UPLOADS, PROP_TITLE, PROP_PRODUCT_ID, PROP_STATUS,
       PROP_DROP_AREA, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { PHOTO_HELD, UPLOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- the state ----------------------------------------------------------- */

/* What the photo's state says (NULL: what can be done with it). */
static void
set_status (SdPhotoField *self, const char *text)
{
  g_free (self->status);
  self->status = g_strdup (text);
  if (text == NULL && !self->takes_uploads)
    text = _("This shop takes pictures by their web address only. Put the picture online and paste its "
             "address under “Picture address” below.");
  gtk_label_set_label (self->status_label, text ? text
                       : _("Drop a photo here, paste one (Ctrl+V) or choose one. It is made small and upright before it is sent."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
sd_photo_field_get_status (SdPhotoField *self)
{
  g_return_val_if_fail (SD_IS_PHOTO_FIELD (self), NULL);
  return self->status;
}

static void
show_error (SdPhotoField *self, const GError *error)
{
  g_autofree char *text = sd_ui_error_message (error, _("The photo cannot be used"));

  set_status (self, text);
}

static void
upload_changed_cb (SdPhotoField *self)
{
  g_autofree char *text = NULL;
  SdUpload *u = self->upload;

  if (u == NULL)
    return;
  switch (sd_upload_get_state (u))
    {
    case SD_UPLOAD_PREPARING:
      text = g_strdup (_("Preparing the photo…"));
      break;
    case SD_UPLOAD_SENDING:
      text = g_strdup (_("Sending the photo…"));
      break;
    case SD_UPLOAD_FAILED:
      text = g_strdup_printf (_("The photo was not sent: %s"), sd_upload_get_error (u));
      break;
    case SD_UPLOAD_WAITING:
    default:
      text = sd_upload_get_error (u)
        ? g_strdup_printf (_("Waiting to send the photo (%s). It goes by itself when it can."), sd_upload_get_error (u))
        : g_strdup (_("Waiting to send the photo. It goes by itself as soon as the shop can be reached."));
      break;
    }
  /* Trying again is no use where the shop takes no uploads at all. */
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          self->takes_uploads && sd_upload_get_state (u) == SD_UPLOAD_FAILED);
  set_status (self, text);
}

/* Follows upload's state (NULL: none). */
static void
watch (SdPhotoField *self, SdUpload *upload)
{
  if (self->upload)
    g_signal_handlers_disconnect_by_data (self->upload, self);
  g_set_object (&self->upload, upload);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  if (upload == NULL)
    return;
  g_signal_connect_swapped (upload, "notify::state", G_CALLBACK (upload_changed_cb), self);
  g_signal_connect_swapped (upload, "notify::error", G_CALLBACK (upload_changed_cb), self);
  upload_changed_cb (self);
}

/* The last queued photo for the product on show, or NULL. */
static SdUpload *
pending_upload (SdPhotoField *self)
{
  guint n = self->queue && self->product_id ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (self->queue), i - 1);
      if (sd_upload_get_target (u) == SD_UPLOAD_TARGET_PRODUCT && g_strcmp0 (sd_upload_get_product_id (u), self->product_id) == 0)
        return g_steal_pointer (&u);
    }
  return NULL;
}

/* The queue changed: a photo for the product on show joined it (from
 * Image Preparation, say), or the one watched left it — sent ("uploaded"
 * follows) or dropped. */
static void
queue_changed_cb (SdPhotoField *self)
{
  g_autoptr(SdUpload) pending = pending_upload (self);

  if (pending == self->upload)
    return;
  watch (self, pending);
  if (pending == NULL)
    set_status (self, NULL);
}

/* Any product's photo reached the shop, whoever queued it. */
static void
uploaded_cb (SdUploadQueue *queue, SdUpload *upload, const char *image_url, gpointer user_data)
{
  SdPhotoField *self = user_data;

  if (sd_upload_get_target (upload) != SD_UPLOAD_TARGET_PRODUCT)
    return;
  if (self->product_id && g_strcmp0 (sd_upload_get_product_id (upload), self->product_id) == 0)
    set_status (self, _("The photo is on the shop."));
  g_signal_emit (self, signals[UPLOADED], 0, sd_upload_get_product_id (upload), image_url);
}

/* The queue's answer to an add: the item watched, or the error said.
 * FALSE when it is not this field's photo (any more). */
static gboolean
take_queued (SdPhotoField *self, SdUpload *upload, const GError *error)
{
  if (upload == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return FALSE;
    }
  /* Another product chosen meanwhile: its field is not this photo's. */
  if (g_strcmp0 (sd_upload_get_product_id (upload), self->product_id) != 0)
    return FALSE;
  watch (self, upload);
  return TRUE;
}

static void
queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPhotoField) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  take_queued (self, upload, error);
}

/* A chosen file, prepared by the queue: the preview is what goes. */
static void
chosen_queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPhotoField) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  if (take_queued (self, upload, error))
    sd_picture_load_file (self->picture, sd_upload_get_file (upload), PREVIEW_SIZE, self->cancellable);
}

static void
queue_photo (SdPhotoField *self, SdPrepared *prepared)
{
  set_status (self, _("Waiting to send the photo. It goes by itself as soon as the shop can be reached."));
  sd_upload_queue_add_async (self->queue, prepared, SD_UPLOAD_TARGET_PRODUCT, self->product_id,
                             self->write_cancellable, queued_cb, g_object_ref (self));
}

static void
use_prepared (SdPhotoField *self, SdPrepared *prepared)
{
  sd_picture_load_bytes (self->picture, sd_prepared_get_bytes (prepared), PREVIEW_SIZE, self->cancellable);
  if (self->product_id)
    {
      queue_photo (self, prepared);
      return;
    }
  g_set_object (&self->prepared, prepared);
  set_status (self, _("The photo is sent when the product is saved."));
  g_signal_emit (self, signals[PHOTO_HELD], 0);
}

/* ---- the product --------------------------------------------------------- */

static void
set_product_id (SdPhotoField *self, const char *id)
{
  if (g_strcmp0 (self->product_id, id) == 0)
    return;
  g_free (self->product_id);
  self->product_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCT_ID]);
}

void
sd_photo_field_set_product (SdPhotoField *self, SdProduct *product)
{
  g_autoptr(SdUpload) upload = NULL;
  const char *id = product ? sd_product_get_id (product) : NULL;

  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_object (&self->prepared);
  watch (self, NULL);
  set_product_id (self, id);
  gtk_picture_set_paintable (self->picture, NULL);
  if (product && self->api)
    sd_picture_load (self->picture, self->api, sd_product_get_image (product), PREVIEW_SIZE, self->cancellable);
  set_status (self, NULL);
  if ((upload = pending_upload (self)) != NULL)
    watch (self, upload);
}

const char *
sd_photo_field_get_product_id (SdPhotoField *self)
{
  g_return_val_if_fail (SD_IS_PHOTO_FIELD (self), NULL);
  return self->product_id;
}

void
sd_photo_field_send_to (SdPhotoField *self, const char *product_id)
{
  g_autoptr(SdPrepared) prepared = NULL;

  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  prepared = g_steal_pointer (&self->prepared);
  set_product_id (self, product_id);
  if (prepared && product_id)
    queue_photo (self, prepared);
}

/* ---- a file, a drop, a paste --------------------------------------------- */

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPhotoField) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = sd_image_prep_finish (result, &error);

  if (prepared == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  use_prepared (self, prepared);
}

void
sd_photo_field_take_file (SdPhotoField *self, GFile *file)
{
  SdImagePrepOptions options;

  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  if (!self->takes_uploads)
    return;
  watch (self, NULL);
  set_status (self, _("Preparing the photo…"));
  /* A product the shop has: the choice goes to the queue before it is
   * prepared, so a crash meanwhile does not lose it. */
  if (self->product_id && self->queue && g_file_peek_path (file))
    {
      sd_upload_queue_add_file_async (self->queue, file, NULL, SD_UPLOAD_TARGET_PRODUCT, self->product_id,
                                      self->write_cancellable, chosen_queued_cb, g_object_ref (self));
      return;
    }
  sd_image_prep_options_init (&options);
  sd_image_prep_file_async (&options, file, self->cancellable, prepared_cb, g_object_ref (self));
}

static void
retry_cb (SdPhotoField *self)
{
  if (self->upload)
    sd_upload_queue_retry (self->queue, self->upload);
}

static void
chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdPhotoField *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_photo_field_take_file (self, file);
    }
  g_object_unref (chooser);
}

static void
choose_cb (SdPhotoField *self)
{
  GtkFileChooserNative *chooser = sd_ui_picture_chooser_new (GTK_WIDGET (self), _("Choose a Product Photo"), FALSE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;
  sd_photo_field_take_file (user_data, files->data);
  return TRUE;
}

/* A pasted picture is prepared in a worker thread from its PNG bytes. */
static void
prep_bytes_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  SdImagePrepOptions options;
  SdPrepared *prepared;

  sd_image_prep_options_init (&options);
  prepared = sd_image_prep_bytes (&options, data, cancellable, &error);

  if (prepared)
    g_task_return_pointer (task, prepared, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
pasted_prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdPhotoField *self = SD_PHOTO_FIELD (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = g_task_propagate_pointer (G_TASK (result), &error);

  if (prepared)
    use_prepared (self, prepared);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

static void
texture_pasted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPhotoField) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autoptr(GTask) task = NULL;

  if (texture == NULL)
    {
      set_status (self, _("The clipboard holds no picture."));
      return;
    }
  task = g_task_new (self, self->cancellable, pasted_prepared_cb, NULL);
  g_task_set_task_data (task, gdk_texture_save_to_png_bytes (texture), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, prep_bytes_thread);
}

static void
files_pasted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPhotoField) self = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL);
  GSList *files = value ? g_value_get_boxed (value) : NULL;

  if (files)
    sd_photo_field_take_file (self, files->data);
}

gboolean
sd_photo_field_paste (SdPhotoField *self)
{
  GdkClipboard *clipboard;
  GdkContentFormats *formats;

  g_return_val_if_fail (SD_IS_PHOTO_FIELD (self), FALSE);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  formats = gdk_clipboard_get_formats (clipboard);
  if (!self->takes_uploads)
    return FALSE;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, self->cancellable,
                                    files_pasted_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      set_status (self, _("Preparing the photo…"));
      gdk_clipboard_read_texture_async (clipboard, self->cancellable, texture_pasted_cb, g_object_ref (self));
    }
  else
    return FALSE;
  return TRUE;
}

/* ---- the shop ------------------------------------------------------------- */

void
sd_photo_field_set_api (SdPhotoField *self, SdApi *api)
{
  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  if (g_set_object (&self->api, api))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API]);
}

void
sd_photo_field_set_queue (SdPhotoField *self, SdUploadQueue *queue)
{
  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  if (self->queue == queue)
    return;
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_set_object (&self->queue, queue);
  if (queue)
    {
      g_signal_connect_swapped (queue, "items-changed", G_CALLBACK (queue_changed_cb), self);
      g_signal_connect (queue, "uploaded", G_CALLBACK (uploaded_cb), self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
}

/* A shop without uploads takes a picture by its address only: no photo to
 * drop, paste or choose where the shop would never get it. */
void
sd_photo_field_set_takes_uploads (SdPhotoField *self, gboolean takes_uploads)
{
  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  self->takes_uploads = takes_uploads = !!takes_uploads;
  gtk_widget_set_visible (GTK_WIDGET (self->choose_button), takes_uploads);
  gtk_widget_set_hexpand (self->image_box, !takes_uploads);   /* the reason in a few lines */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drop),
                                              takes_uploads ? GTK_PHASE_BUBBLE : GTK_PHASE_NONE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAKES_UPLOADS]);
}

gboolean
sd_photo_field_get_takes_uploads (SdPhotoField *self)
{
  g_return_val_if_fail (SD_IS_PHOTO_FIELD (self), FALSE);
  return self->takes_uploads;
}

void
sd_photo_field_set_title (SdPhotoField *self, const char *title)
{
  g_return_if_fail (SD_IS_PHOTO_FIELD (self));
  gtk_label_set_label (self->title_label, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* Drops land on area (NULL: the field itself). */
static void
set_drop_area (SdPhotoField *self, GtkWidget *area)
{
  GtkWidget *old = self->drop_area ? self->drop_area : GTK_WIDGET (self);

  if (area == NULL)
    area = GTK_WIDGET (self);
  if (area == old)
    return;
  g_object_ref (self->drop);
  gtk_widget_remove_controller (old, GTK_EVENT_CONTROLLER (self->drop));
  gtk_widget_add_controller (area, GTK_EVENT_CONTROLLER (self->drop));
  g_set_weak_pointer (&self->drop_area, area == GTK_WIDGET (self) ? NULL : area);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_AREA]);
}

/* ---- setup ------------------------------------------------------------------ */

static void
sd_photo_field_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdPhotoField *self = SD_PHOTO_FIELD (object);

  switch (prop_id)
    {
    case PROP_API: g_value_set_object (value, self->api); break;
    case PROP_QUEUE: g_value_set_object (value, self->queue); break;
    case PROP_TAKES_UPLOADS: g_value_set_boolean (value, self->takes_uploads); break;
    case PROP_TITLE: g_value_set_string (value, gtk_label_get_label (self->title_label)); break;
    case PROP_PRODUCT_ID: g_value_set_string (value, self->product_id); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_DROP_AREA: g_value_set_object (value, self->drop_area ? self->drop_area : GTK_WIDGET (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_photo_field_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdPhotoField *self = SD_PHOTO_FIELD (object);

  switch (prop_id)
    {
    case PROP_API: sd_photo_field_set_api (self, g_value_get_object (value)); break;
    case PROP_QUEUE: sd_photo_field_set_queue (self, g_value_get_object (value)); break;
    case PROP_TAKES_UPLOADS: sd_photo_field_set_takes_uploads (self, g_value_get_boolean (value)); break;
    case PROP_TITLE: sd_photo_field_set_title (self, g_value_get_string (value)); break;
    case PROP_DROP_AREA: set_drop_area (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_photo_field_dispose (GObject *object)
{
  SdPhotoField *self = SD_PHOTO_FIELD (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->write_cancellable);
  watch (self, NULL);
  sd_photo_field_set_queue (self, NULL);
  if (self->drop)
    {
      /* Not a drop on the area once the field is gone. */
      g_signal_handlers_disconnect_by_data (self->drop, self);
      if (self->drop_area && gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (self->drop)) == self->drop_area)
        gtk_widget_remove_controller (self->drop_area, GTK_EVENT_CONTROLLER (self->drop));
    }
  g_clear_weak_pointer (&self->drop_area);
  g_clear_object (&self->drop);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PHOTO_FIELD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->write_cancellable);
  g_clear_object (&self->prepared);
  g_clear_object (&self->api);
  g_clear_pointer (&self->product_id, g_free);
  g_clear_pointer (&self->status, g_free);
  G_OBJECT_CLASS (sd_photo_field_parent_class)->dispose (object);
}

static void
sd_photo_field_class_init (SdPhotoFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_photo_field_get_property;
  object_class->set_property = sd_photo_field_set_property;
  object_class->dispose = sd_photo_field_dispose;
  properties[PROP_API] = g_param_spec_object ("api", NULL, NULL, SD_TYPE_API, rw);
  properties[PROP_QUEUE] = g_param_spec_object ("queue", NULL, NULL, SD_TYPE_UPLOAD_QUEUE, rw);
  properties[PROP_TAKES_UPLOADS] = g_param_spec_boolean ("takes-uploads", NULL, NULL, TRUE, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_PRODUCT_ID] = g_param_spec_string ("product-id", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_DROP_AREA] = g_param_spec_object ("drop-area", NULL, NULL, GTK_TYPE_WIDGET, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* A photo waits for the new product to be saved (sd_photo_field_send_to). */
  signals[PHOTO_HELD] = g_signal_new ("photo-held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Any product's photo reached the shop: its id and the picture's address. */
  signals[UPLOADED] = g_signal_new ("uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  sd_ui_class_set_template (widget_class, "sd-photo-field.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, picture);
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, image_box);
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, title_label);
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, choose_button);
  gtk_widget_class_bind_template_child (widget_class, SdPhotoField, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
}

static void
sd_photo_field_init (SdPhotoField *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->takes_uploads = TRUE;
  self->cancellable = g_cancellable_new ();
  self->write_cancellable = g_cancellable_new ();
  self->drop = g_object_ref (gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY));
  g_signal_connect (self->drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop));
}
