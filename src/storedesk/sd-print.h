/* sd-print.h — packing slips for orders, printed or saved as PDF. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

/* Opens the print dialog for orders (SdOrder), one slip per page; GTK's
 * dialog also offers "Print to File" (PDF). Does not block. */
void     sd_print_orders        (GtkWidget   *widget,
                                 GPtrArray   *orders);

/* Writes the slips straight to a PDF file (no dialog). */
gboolean sd_print_orders_to_pdf (GPtrArray   *orders,
                                 const char  *path,
                                 GError     **error);

G_END_DECLS
