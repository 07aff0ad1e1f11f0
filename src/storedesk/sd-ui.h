/* sd-ui.h — small pieces the pages share. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A message dialog over widget's window: what went wrong, and what to do
 * (message); one OK button. */
void                  sd_ui_show_problem        (GtkWidget  *widget,
                                                 const char *heading,
                                                 const char *message);
/* A file chooser for pictures (the formats gdk-pixbuf reads), modal over
 * widget's window; its "response" is the caller's. */
GtkFileChooserNative *sd_ui_picture_chooser_new (GtkWidget  *widget,
                                                 const char *title,
                                                 gboolean    multiple);

G_END_DECLS
