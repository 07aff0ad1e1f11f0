/* sd-ui.h — small pieces the pages share. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

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

/* An order's number as people read it (the last 8 characters of its id,
 * upper case) and its date in local time ("—" when the shop gave none). */
char                 *sd_ui_order_number        (SdOrder    *order);
char                 *sd_ui_order_date          (SdOrder    *order);

G_END_DECLS
