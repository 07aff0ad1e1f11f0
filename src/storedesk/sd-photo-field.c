/* sd-photo-field.c — the products page's photo: dropped, pasted or chosen,
 * prepared off the main thread, previewed, then sent through the upload
 * queue (offline too: it goes when the shop is back). A shop without
 * uploads takes a picture by its address only. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-photo-field.h"
#include "sd-picture.h"
#include "sd-product-editor.h"
#include "sd-ui.h"

/* ---- the picture ------------------------------------------------------- */

void
sd_photo_field_set_text (SdProductsAdmin *self, const char *text)
{
  g_free (self->image_text);
  self->image_text = g_strdup (text);
  if (text == NULL && !self->takes_uploads)
    text = _("This shop takes pictures by their web address only. Put the picture online and paste its "
             "address under “Picture address” below.");
  gtk_label_set_label (self->image_status, text ? text
                       : _("Drop a photo here, paste one (Ctrl+V) or choose one. It is made small and upright before it is sent."));
}

static void
show_error (SdProductsAdmin *self, const GError *error)
{
  g_autofree char *text = sd_ui_error_message (error, _("The photo cannot be used"));

  sd_photo_field_set_text (self, text);
}

static void
upload_changed_cb (SdProductsAdmin *self)
{
  g_autofree char *text = NULL;
  SdUpload *u = self->upload;

  if (u == NULL)
    return;
  switch (sd_upload_get_state (u))
    {
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
  sd_photo_field_set_text (self, text);
}

void
sd_photo_field_watch (SdProductsAdmin *self, SdUpload *upload)
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

SdUpload *
sd_photo_field_upload_for (SdProductsAdmin *self, const char *product_id)
{
  guint n = self->uploads ? g_list_model_get_n_items (G_LIST_MODEL (self->uploads)) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (self->uploads), i - 1);
      if (sd_upload_get_target (u) == SD_UPLOAD_TARGET_PRODUCT && g_strcmp0 (sd_upload_get_product_id (u), product_id) == 0)
        return g_steal_pointer (&u);
    }
  return NULL;
}

/* The queue changed: a photo for the product on show joined it (from
 * Image Preparation, say), or the one watched left it — sent ("uploaded"
 * follows) or dropped. */
void
sd_photo_field_queue_changed_cb (SdProductsAdmin *self)
{
  g_autoptr(SdUpload) pending = self->editing ? sd_photo_field_upload_for (self, sd_product_get_id (self->editing)) : NULL;

  if (pending == self->upload)
    return;
  sd_photo_field_watch (self, pending);
  if (pending == NULL)
    sd_photo_field_set_text (self, NULL);
}

/* Any product's photo reached the shop, whoever queued it: the list, the
 * editor (unless it has unsaved changes) and the shop grid catch up. */
void
sd_photo_field_uploaded_cb (SdUploadQueue *queue, SdUpload *upload, const char *image_url, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (sd_upload_get_target (upload) != SD_UPLOAD_TARGET_PRODUCT)
    return;
  if (self->editing && g_strcmp0 (sd_upload_get_product_id (upload), sd_product_get_id (self->editing)) == 0)
    sd_photo_field_set_text (self, _("The photo is on the shop."));
  sd_products_admin_catalog_changed (self);
  sd_products_admin_reload (self);
}

static void
queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  if (upload == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  sd_photo_field_watch (self, upload);
}

void
sd_photo_field_queue (SdProductsAdmin *self, SdPrepared *prepared, const char *product_id)
{
  sd_photo_field_set_text (self, _("Waiting to send the photo. It goes by itself as soon as the shop can be reached."));
  sd_upload_queue_add_async (self->uploads, prepared, SD_UPLOAD_TARGET_PRODUCT, product_id,
                             sd_products_admin_write_cancellable (self), queued_cb,
                             g_object_ref (self));
}

static void
use_prepared (SdProductsAdmin *self, SdPrepared *prepared)
{
  sd_picture_load_bytes (self->image_picture, sd_prepared_get_bytes (prepared), PREVIEW_SIZE, self->image_cancellable);
  if (self->editing && !self->is_new)
    {
      sd_photo_field_queue (self, prepared, sd_product_get_id (self->editing));
      return;
    }
  g_set_object (&self->prepared, prepared);
  sd_photo_field_set_text (self, _("The photo is sent when the product is saved."));
  self->dirty = TRUE;
  sd_product_editor_validate (self);
}

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
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
sd_products_admin_set_image_file (SdProductsAdmin *self, GFile *file)
{
  SdImagePrepOptions options;

  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") != 0 || !self->takes_uploads)
    return;
  sd_photo_field_watch (self, NULL);
  sd_photo_field_set_text (self, _("Preparing the photo…"));
  sd_image_prep_options_init (&options);
  sd_image_prep_file_async (&options, file, self->image_cancellable, prepared_cb, g_object_ref (self));
}

const char *
sd_products_admin_get_image_status (SdProductsAdmin *self)
{
  return self->image_text;
}

void
sd_photo_field_retry_cb (SdProductsAdmin *self)
{
  if (self->upload)
    sd_upload_queue_retry (self->uploads, self->upload);
}

static void
chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_products_admin_set_image_file (self, file);
    }
  g_object_unref (chooser);
}

void
sd_photo_field_choose_cb (SdProductsAdmin *self)
{
  GtkFileChooserNative *chooser = sd_ui_picture_chooser_new (GTK_WIDGET (self), _("Choose a Product Photo"), FALSE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
sd_photo_field_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;
  sd_products_admin_set_image_file (user_data, files->data);
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
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (source);
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
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autoptr(GTask) task = NULL;

  if (texture == NULL)
    {
      sd_photo_field_set_text (self, _("The clipboard holds no picture."));
      return;
    }
  task = g_task_new (self, self->image_cancellable, pasted_prepared_cb, NULL);
  g_task_set_task_data (task, gdk_texture_save_to_png_bytes (texture), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, prep_bytes_thread);
}

static void
files_pasted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL);
  GSList *files = value ? g_value_get_boxed (value) : NULL;

  if (files)
    sd_products_admin_set_image_file (self, files->data);
}

gboolean
sd_photo_field_paste (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") != 0 || !self->takes_uploads)
    return FALSE;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, self->image_cancellable,
                                    files_pasted_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      sd_photo_field_set_text (self, _("Preparing the photo…"));
      gdk_clipboard_read_texture_async (clipboard, self->image_cancellable, texture_pasted_cb, g_object_ref (self));
    }
  else
    return FALSE;
  return TRUE;
}

/* A shop without uploads takes a picture by its address only: no photo to
 * drop, paste or choose where the shop would never get it. */
void
sd_photo_field_follow_shop (SdProductsAdmin *self)
{
  /* The address only, and the reason (beside the picture, and read out
   * with the address's row). */
  self->takes_uploads = self->admin == NULL || sd_admin_get_takes_uploads (self->admin);
  gtk_widget_set_visible (GTK_WIDGET (self->choose_button), self->takes_uploads);
  gtk_widget_set_hexpand (self->image_box, !self->takes_uploads);   /* the reason in a few lines */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drop),
                                              self->takes_uploads ? GTK_PHASE_BUBBLE : GTK_PHASE_NONE);
  if (self->takes_uploads)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->image_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->image_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    _("This shop takes pictures by their web address only. Put the picture "
                                      "online and paste its address here."), -1);
}
