/* sd-orders-board.h — staff: all orders, filtered, changed in bulk. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDERS_BOARD (sd_orders_board_get_type ())
G_DECLARE_FINAL_TYPE (SdOrdersBoard, sd_orders_board, SD, ORDERS_BOARD, SdPage)

/* Loads the page on show (100 orders a page) of the orders the filter and
 * search match, and the counts per status. */
void        sd_orders_board_reload       (SdOrdersBoard *self);
gboolean    sd_orders_board_get_loading  (SdOrdersBoard *self);
GListModel *sd_orders_board_get_orders   (SdOrdersBoard *self);
/* The shop's count of the orders matching (-1: not known). */
gint64      sd_orders_board_get_total    (SdOrdersBoard *self);
/* SD_ORDER_STATUS_N: every status. */
void        sd_orders_board_set_filter   (SdOrdersBoard *self,
                                          SdOrderStatus  status);
GtkSelectionModel *sd_orders_board_get_selection (SdOrdersBoard *self);
/* What Set Status does: the selected orders get status (with Undo). */
void        sd_orders_board_set_status   (SdOrdersBoard *self,
                                          SdOrderStatus  status);
/* The board's single keys while it is on show (j, k, x, 1…6, z, Ctrl+Z,
 * p, Escape, and the arrows in the list): TRUE when keyval was one; never
 * while a text field has the focus. */
gboolean    sd_orders_board_handle_key   (SdOrdersBoard  *self,
                                          guint           keyval,
                                          GdkModifierType state);
/* What z and Ctrl+Z do: the last status change undone; FALSE when there
 * is none to undo. */
gboolean    sd_orders_board_undo         (SdOrdersBoard *self);
/* Each of orders (SdOrder, of the board) to its own status, statuses[i],
 * with one Undo for all, in a toast titled title. FALSE, nothing done,
 * when there is no order or no shop. */
gboolean    sd_orders_board_set_statuses (SdOrdersBoard       *self,
                                          GPtrArray           *orders,
                                          const SdOrderStatus *statuses,
                                          const char          *title);
/* The status order shows on the board: that of its edit waiting to be
 * sent, if any, else the shop's. */
SdOrderStatus sd_orders_board_get_shown_status (SdOrdersBoard *self,
                                                SdOrder       *order);
/* Loading, counting, changing, deleting or exporting. */
gboolean    sd_orders_board_get_busy     (SdOrdersBoard *self);
/* The shop's count of orders with status (SD_ORDER_STATUS_N: all) that
 * match the search; -1 until known. */
gint64      sd_orders_board_get_count    (SdOrdersBoard *self,
                                          SdOrderStatus  status);
void        sd_orders_board_set_page     (SdOrdersBoard *self,
                                          guint          page);
guint       sd_orders_board_get_page     (SdOrdersBoard *self);
guint       sd_orders_board_get_n_pages  (SdOrdersBoard *self);
/* Deletes order (the pane asks first). */
void        sd_orders_board_delete_order (SdOrdersBoard *self,
                                          SdOrder       *order);
/* Packing slips of the selected orders, straight to a PDF. */
gboolean    sd_orders_board_print_to_pdf (SdOrdersBoard *self,
                                          const char    *path,
                                          GError       **error);
/* What Pick & Pack does: a pick & pack run (sd-pick-pack.h) over the
 * selected orders, presented; NULL without a selection. */
GtkWindow  *sd_orders_board_pick_pack    (SdOrdersBoard *self);
/* The orders the filter and search match, every page, as CSV. */
void        sd_orders_board_export_to    (SdOrdersBoard *self,
                                          GFile         *file);
/* New orders the watcher finds reload the board; what the board counts
 * (all orders, no search) is known to the watcher, no news. */
void        sd_orders_board_set_watcher  (SdOrdersBoard   *self,
                                          SdOrdersWatcher *watcher);
/* Narrow, the list and the order fold into one pane: folded, and which
 * one shows. */
gboolean    sd_orders_board_get_folded   (SdOrdersBoard *self);
gboolean    sd_orders_board_get_showing_order (SdOrdersBoard *self);
/* What Alt+Left does on the board: folded, from the order back to the
 * list (TRUE); otherwise nothing (FALSE). */
gboolean    sd_orders_board_navigate_back (SdOrdersBoard *self);
/* The columns shown are those that fit the list's width now. */
gboolean    sd_orders_board_get_columns_fit (SdOrdersBoard *self);

G_END_DECLS
