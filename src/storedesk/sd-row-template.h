/* sd-row-template.h — a list row from a .ui template whose properties are
 * bound to one model item, the way GtkBuilderListItemFactory builds the
 * children of a list view. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Builds the object "row" of the template ui_file (in the app's resources,
 * "sd-order-row.ui"), with item exposed as "item" to its <lookup>s and
 * <closure>s, and the functions of scope (may be NULL) as its closures and
 * signal handlers. After scope, NULL or pairs of an object's id and where
 * to put that object (owned by the row), ending in NULL. Returns the row
 * (floating, as a new widget is). */
GtkWidget *sd_row_template_build (const char      *ui_file,
                                  gpointer         item,
                                  GtkBuilderScope *scope,
                                  ...) G_GNUC_NULL_TERMINATED;
/* The item a row built so shows, from the row or any widget inside it. */
gpointer   sd_row_template_get_item (GtkWidget       *widget);

G_END_DECLS
