/* sd-image.c — safe, scaled picture decoding in a worker thread. */
#define G_LOG_DOMAIN "storedesk-image"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-api.h"
#include "sd-image-private.h"

typedef struct {
  int      size;
  gboolean too_big;
} Prepare;

static void
size_prepared_cb (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  Prepare *p = user_data;
  double scale;

  if (width <= 0 || height <= 0 || (gint64) width * height > SD_IMAGE_MAX_PIXELS)
    {
      /* A zero size makes the loader stop before it allocates anything. */
      p->too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  scale = MIN ((double) p->size / width, (double) p->size / height);
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                                MAX (1, (int) (height * scale + 0.5)));
}

static void
decode_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  Prepare p = { GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "sd-size")), FALSE };
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *decoded;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &p);
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &error) ||
      !gdk_pixbuf_loader_close (loader, &error) ||
      (decoded = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);   /* no-op when already closed */
      g_debug ("decoding failed: %s", error ? error->message : "no image");
      if (p.too_big)
        g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_TOO_LARGE,
                                 _("This picture is too large to open."));
      else
        g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                                 _("This file is not a picture Storedesk can open."));
      return;
    }
  g_task_return_pointer (task, gdk_pixbuf_apply_embedded_orientation (decoded), g_object_unref);
}

void
sd_image_decode_async (GBytes *bytes, int size, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_image_decode_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data (G_OBJECT (task), "sd-size", GINT_TO_POINTER (size));
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
}

GdkPixbuf *
sd_image_decode_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
