/* sd-orders-board-private.h — what the orders board's own files share. */
#pragma once

#include <adwaita.h>

#include "sd-orders-board.h"

G_BEGIN_DECLS

#define PAGE_SIZE 100
#define N_CHIPS (SD_ORDER_STATUS_N + 1)   /* the last: all */

struct _SdOrdersBoard
{
  SdPage             parent_instance;

  GtkBox            *chips_box;
  GtkSearchEntry    *search_entry;
  GtkLabel          *count_label;
  GtkDropDown       *status_dropdown;
  GtkButton         *apply_button;
  GtkButton         *print_button;
  GtkButton         *export_button;
  GtkColumnView     *view;
  GtkStack          *detail_stack;
  AdwStatusPage     *detail_none;
  GtkLabel          *detail_title;
  GtkLabel          *detail_meta;
  GtkLabel          *detail_lines;
  GtkLabel          *detail_receiver;
  GtkLabel          *detail_memo;
  GtkButton         *delete_button;
  GtkButton         *prev_button;
  GtkButton         *next_button;
  GtkLabel          *page_label;
  GtkToggleButton   *chips[N_CHIPS];

  SdAdmin           *admin;
  GListStore        *orders;       /* SdOrder, the page on show */
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  SdOrderStatus      filter;
  guint              page;         /* 1-based */
  gint64             total;
  gint64             counts[N_CHIPS];
  gboolean           loading;
  guint              counting;
  guint              pending;      /* status changes and deletes in flight */
  guint              exporting;
  GPtrArray         *undo;         /* UndoStatus of the last change */
  SdOrder           *detail;

  SdOrdersWatcher   *watcher;      /* the app's: new orders reload the board */
};

/* sd-orders-board.c */
const char *_sd_orders_board_status_label       (SdOrderStatus   status);
GPtrArray  *_sd_orders_board_selected_orders    (SdOrdersBoard  *self);
gboolean    _sd_orders_board_is_original        (SdOrdersBoard  *self);
void        _sd_orders_board_update_count       (SdOrdersBoard  *self);

/* sd-orders-board-columns.c: the view's columns, each sortable. */
void        _sd_orders_board_add_columns        (SdOrdersBoard  *self);

/* sd-orders-board-export.c: printing the selected orders, and the CSV. */
void        _sd_orders_board_class_init_export  (GtkWidgetClass *widget_class);

G_END_DECLS
