/* sd-picture.h — a shop picture shown in a GtkPicture, loaded off the
 * main thread (through SdApi's cache) and dropped if the widget goes. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

/* Shows path (as the shop gave it) in picture, decoded to fit size px.
 * The load stops with cancellable; a picture destroyed meanwhile is left alone.
 * An empty path or a failure leaves the picture empty. */
void sd_picture_load (GtkPicture   *picture,
                      SdApi        *api,
                      const char   *path,
                      int           size,
                      GCancellable *cancellable);

/* Shows a picture file from this computer (a photo being prepared or
 * queued), read and decoded off the main thread, upright, fit to size px. */
void sd_picture_load_file (GtkPicture   *picture,
                           GFile        *file,
                           int           size,
                           GCancellable *cancellable);
/* The same for a picture in memory (a prepared one). */
void sd_picture_load_bytes (GtkPicture   *picture,
                            GBytes       *bytes,
                            int           size,
                            GCancellable *cancellable);

/* How many of the loads above are still on their way (the UI tests wait
 * for none before a screenshot). */
guint sd_picture_get_n_loading (void);

G_END_DECLS
