/* sd-picture.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-picture.h"

/* Loads started and not finished (main thread only). */
static guint n_loading;

guint
sd_picture_get_n_loading (void)
{
  return n_loading;
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(GtkPicture) picture = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = sd_api_load_image_finish (SD_API (source), result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  n_loading--;
  if (pixbuf == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("picture: %s", error->message);
      return;
    }
  if (picture)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
    }
}

void
sd_picture_load (GtkPicture *picture, SdApi *api, const char *path, int size, GCancellable *cancellable)
{
  GWeakRef *ref;

  gtk_picture_set_paintable (picture, NULL);
  if (path == NULL || *path == '\0')
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, picture);
  n_loading++;
  sd_api_load_image_async (api, path, size, cancellable, loaded_cb, ref);
}

/* ---- a local file --------------------------------------------------- */

typedef struct {
  GWeakRef      picture;
  int           size;
  GCancellable *cancellable;
} FileLoad;

static void
file_load_free (FileLoad *l)
{
  g_weak_ref_clear (&l->picture);
  g_clear_object (&l->cancellable);
  g_free (l);
}

/* Decoded in a worker by the core's one rule (header checked first,
 * scaled while decoding, upright). */
static void
file_decoded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FileLoad *l = user_data;
  g_autoptr(GtkPicture) picture = g_weak_ref_get (&l->picture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = sd_image_load_finish (result, &error);

  if (pixbuf && picture)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
    }
  else if (pixbuf == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("picture: %s", error->message);
  file_load_free (l);
  n_loading--;
}

static FileLoad *
file_load_new (GtkPicture *picture, int size, GCancellable *cancellable)
{
  FileLoad *l = g_new0 (FileLoad, 1);

  n_loading++;
  g_weak_ref_init (&l->picture, picture);
  l->size = size;
  l->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  return l;
}

void
sd_picture_load_file (GtkPicture *picture, GFile *file, int size, GCancellable *cancellable)
{
  sd_image_load_async (file, NULL, size, cancellable, file_decoded_cb, file_load_new (picture, size, cancellable));
}

void
sd_picture_load_bytes (GtkPicture *picture, GBytes *bytes, int size, GCancellable *cancellable)
{
  sd_image_load_async (NULL, bytes, size, cancellable, file_decoded_cb, file_load_new (picture, size, cancellable));
}
