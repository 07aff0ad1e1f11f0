/* sd-print.h — packing slips for orders, and a pick & pack run's pick
 * list, printed or saved as PDF. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

/* Opens the print dialog for orders (SdOrder), each slip from a new page
 * (a long one goes on over the next, cut between lines); GTK's
 * dialog also offers "Print to File" (PDF). Does not block. Each slip
 * names the shop of widget's page at its top. original:
 * the shop keeps no receivers (sd_ui_no_receiver() says so on the slip). */
void     sd_print_orders        (GtkWidget   *widget,
                                 GPtrArray   *orders,
                                 gboolean     original);

/* Writes the slips straight to a PDF file (no dialog), naming the shop
 * of widget's page at the top of each, as sd_print_orders() does. */
gboolean sd_print_orders_to_pdf (GtkWidget   *widget,
                                 GPtrArray   *orders,
                                 gboolean     original,
                                 const char  *path,
                                 GError     **error);

/* A pick & pack run: the pick list's page(s) first (per category, a box
 * to tick, each product and option and how many), then a slip per order
 * of the run, as sd_print_orders() and sd_print_orders_to_pdf() do.
 * widget's page names the shop; the print dialog (and a failure) shows
 * over over's window (NULL: widget's). */
void     sd_print_pick_list        (GtkWidget   *widget,
                                    GtkWidget   *over,
                                    SdPickList  *list,
                                    gboolean     original);
gboolean sd_print_pick_list_to_pdf (GtkWidget   *widget,
                                    SdPickList  *list,
                                    gboolean     original,
                                    const char  *path,
                                    GError     **error);
/* A pick list group's name as shown and printed ("Other" for the group
 * of products in no known category). */
const char *sd_print_pick_group_name (const SdPickGroup *group);

G_END_DECLS
