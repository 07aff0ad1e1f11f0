/* sd-orders-board.h — staff: all orders, filtered, changed in bulk. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDERS_BOARD (sd_orders_board_get_type ())
G_DECLARE_FINAL_TYPE (SdOrdersBoard, sd_orders_board, SD, ORDERS_BOARD, GtkWidget)

void        sd_orders_board_set_api      (SdOrdersBoard *self,
                                          SdApi         *api);
/* Loads the first page (100) of the orders the filter and search match. */
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
gboolean    sd_orders_board_get_busy     (SdOrdersBoard *self);

G_END_DECLS
