/* sd-orders-board-private.h — what the orders board's own files share. */
#pragma once

#include <adwaita.h>

#include "sd-activity-list.h"
#include "sd-orders-board.h"

G_BEGIN_DECLS

#define PAGE_SIZE 100
#define N_CHIPS (SD_ORDER_STATUS_N + 1)   /* the last: all */

/* The view's columns, in the order they stand. */
typedef enum {
  COLUMN_NUMBER,
  COLUMN_DATE,
  COLUMN_CUSTOMER,
  COLUMN_RECEIVER,
  COLUMN_ITEMS,
  COLUMN_TOTAL,
  COLUMN_STATUS,
  N_COLUMNS
} SdBoardColumn;

struct _SdOrdersBoard
{
  SdPage             parent_instance;

  GtkBox            *chips_box;
  GtkSearchEntry    *search_entry;
  GtkLabel          *count_label;
  GtkBox            *status_box;   /* a button per status, its key on it */
  GtkButton         *print_button;
  GtkButton         *export_button;
  GtkColumnView     *view;
  AdwLeaflet        *leaflet;      /* the list and the order: one pane when narrow */
  GtkWidget         *list_pane;
  GtkWidget         *detail_pane;
  GtkButton         *back_button;
  GtkButton         *copy_button;
  GtkStack          *detail_stack;
  AdwStatusPage     *detail_none;
  GtkLabel          *detail_title;
  GtkLabel          *detail_meta;
  GtkLabel          *detail_lines;
  GtkLabel          *detail_receiver;
  GtkLabel          *detail_memo;
  SdActivityList    *detail_history;
  GtkButton         *delete_button;
  GtkButton         *prev_button;
  GtkButton         *next_button;
  GtkLabel          *page_label;
  GtkToggleButton   *chips[N_CHIPS];
  GtkColumnViewColumn *columns[N_COLUMNS];
  int                widths[N_COLUMNS];   /* what each needs, from its content */
  int                fitted_width;        /* the list's width the columns fit */
  guint              fit_source;
  gboolean           pointer_down;        /* a row pressed: a click, not a key */
  guint              pointer_source;

  SdAdmin           *admin;
  GListStore        *orders;       /* SdOrder, the page on show */
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  SdOrderStatus      filter;
  guint              page;         /* 1-based */
  gint64             total;
  gint64             counts[N_CHIPS];
  gboolean           loading;
  gboolean           from_disk;    /* the shop unreachable: what this computer kept */
  guint              counting;
  guint              pending;      /* status changes and deletes in flight */
  guint              exporting;
  GPtrArray         *undo;         /* UndoStatus of the last change */
  SdOrder           *detail;

  SdOrdersWatcher   *watcher;      /* the app's: new orders reload the board */

  /* Status changes go through the shop's SdSync (sd-sync-mark.h). */
  gboolean           batch_sent;   /* one of the batch reached the shop */
  gboolean           batch_told;   /* the batch's kept toast was shown */

  /* Triage by keys (sd-orders-board-keys.c). */
  char              *cursor;       /* the order's id the keys moved to */
  guint              cursor_at;    /* and where it stood */
  gboolean           marking;      /* orders marked: the keys move, the marks stay */
  gboolean           keeping;      /* the keys change the selection, not a click */
  gboolean           list_had_focus;
  guint              focus_tick;
  guint              focus_tries;
};

/* sd-orders-board.c */
const char *_sd_orders_board_status_label       (SdOrderStatus   status);
GPtrArray  *_sd_orders_board_selected_orders    (SdOrdersBoard  *self);
gboolean    _sd_orders_board_is_original        (SdOrdersBoard  *self);
void        _sd_orders_board_update_count       (SdOrdersBoard  *self);
/* The pane beside the list shows the order selected as it stands now. */
void        _sd_orders_board_show_detail        (SdOrdersBoard  *self);
/* The status order shows: the one of its edit waiting to be sent, if any. */
SdOrderStatus _sd_orders_board_shown_status     (SdOrdersBoard  *self,
                                                 SdOrder        *order);

/* sd-orders-board-columns.c: what fits the board's width: the view's
 * columns, each sortable, and the chips, in lines that wrap. */
GtkLayoutManager *_sd_orders_board_wrap_layout_new (void);
/* The board lays out its child itself, to fit the columns to the list. */
void        _sd_orders_board_class_init_layout  (GtkWidgetClass *widget_class);
void        _sd_orders_board_add_columns        (SdOrdersBoard  *self);
/* Each column as wide as its widest text on the page (Receiver takes
 * what is left); then the columns that fit the list's width, the
 * essential ones first. */
void        _sd_orders_board_measure_columns    (SdOrdersBoard  *self);
void        _sd_orders_board_fit_columns        (SdOrdersBoard  *self,
                                                 int             width);

/* sd-orders-board-status.c: status changes through the shop's queue,
 * with Undo; from init, the rows follow the edits that land. */
void        _sd_orders_board_init_status        (SdOrdersBoard  *self);

/* sd-orders-board-keys.c: the single keys of triage (j/k, x, 1…6, z),
 * and the status buttons that show them. */
void        _sd_orders_board_init_keys          (SdOrdersBoard  *self);
void        _sd_orders_board_update_keys        (SdOrdersBoard  *self,
                                                 gboolean        can_set);
/* Around a reload: the selection and the cursor kept, by order id. */
GPtrArray  *_sd_orders_board_keys_save          (SdOrdersBoard  *self);
void        _sd_orders_board_keys_restore       (SdOrdersBoard  *self,
                                                 GPtrArray      *ids);

/* sd-orders-board-export.c: printing the selected orders, and the CSV. */
void        _sd_orders_board_class_init_export  (GtkWidgetClass *widget_class);

G_END_DECLS
