/* sd-api-pictures.c — pictures down (decoded thumbnails, a few at a
 * time) and up (a PUT to a presigned URL). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-api-parts-private.h"
#include "sd-image-private.h"

/* ---- images --------------------------------------------------------- */

static void
image_decoded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = sd_image_decode_finish (result, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

/* ---- picture slots ------------------------------------------------------
 * At most this many pictures are fetched at once; the rest wait here, the
 * newest first (while a grid scrolls, those are the ones on screen), and
 * a load cancelled while waiting never reaches libsoup, whose queue is
 * scanned whole at every step. */
#define PICTURE_SLOTS 6

static void image_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
start_picture (SdApi *self, GTask *task)
{
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "sd-msg");
  GCancellable *cancellable = g_task_get_cancellable (task);

  self->pictures_in_flight++;
  g_object_set_data (G_OBJECT (msg), "sd-picture", GINT_TO_POINTER (TRUE));
  /* Thumbnails yield to the JSON that fills the page. */
  sd_api_fetch_start (self, msg, SD_API_MAX_IMAGE_BYTES, G_PRIORITY_LOW, cancellable, image_fetched_cb, task);
}

static void
pump_pictures (SdApi *self)
{
  while (self->pictures_in_flight < PICTURE_SLOTS && !g_queue_is_empty (&self->pictures))
    {
      GTask *task = g_queue_pop_head (&self->pictures);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      start_picture (self, task);
    }
}

static void
image_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sd_api_fetch_finish (result, FALSE, &error);
  GCancellable *cancellable;
  int size;

  SD_API (source)->pictures_in_flight--;
  pump_pictures (SD_API (source));
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  size = GPOINTER_TO_INT (g_task_get_task_data (task));
  cancellable = g_task_get_cancellable (task);
  sd_image_decode_async (body, size, cancellable, image_decoded_cb, g_steal_pointer (&task));
}

void
sd_api_load_image_async (SdApi *self, const char *path_or_url, int size,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (SD_IS_API (self));
  g_return_if_fail (size > 0);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_load_image_async);
  g_task_set_task_data (task, GINT_TO_POINTER (size), NULL);
  url = sd_api_resolve_url (self, path_or_url);
  if (url != NULL)
    msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                               _("This product has no picture."));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "sd-msg", g_steal_pointer (&msg), g_object_unref);
  if (self->pictures_in_flight < PICTURE_SLOTS)
    start_picture (self, g_steal_pointer (&task));
  else
    g_queue_push_head (&self->pictures, g_steal_pointer (&task));
}

GdkPixbuf *
sd_api_load_image_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- presigned uploads ---------------------------------------------- */

static void
put_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) body = sd_api_fetch_finish (result, TRUE, &error);

  if (body != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_api_put_bytes_async (SdApi *self, const char *url, const char *content_type, GBytes *bytes,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_PUT, url);

  g_task_set_source_tag (task, sd_api_put_bytes_async);
  if (msg == NULL)
    {
      g_task_return_error (task, sd_api_unreadable_reply ("upload URL"));
      return;
    }
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  sd_api_expect_continue_if_big (msg, bytes);
  soup_message_disable_feature (msg, SOUP_TYPE_CACHE);
  sd_api_fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, cancellable,
                      put_fetched_cb, g_steal_pointer (&task));
}

gboolean
sd_api_put_bytes_finish (SdApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
