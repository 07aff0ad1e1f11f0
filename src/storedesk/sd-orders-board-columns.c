/* sd-orders-board-columns.c — what fits the orders board's width: its
 * columns (what each cell shows, how each sorts, which show when the list
 * is narrow) and its chips, which wrap. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-orders-board-private.h"
#include "sd-sync-mark.h"
#include "sd-ui.h"

/* ---- columns ------------------------------------------------------------ */

static char *
cell_customer (SdOrder *o)
{
  return g_strdup (sd_order_get_is_guest (o) ? _("Guest") : _("Member"));
}

static char *
cell_receiver (SdOrder *o, gpointer self)
{
  return g_strdup (sd_order_get_receiver (o) ? sd_receiver_get_name (sd_order_get_receiver (o))
                                             : sd_ui_no_receiver (o, _sd_orders_board_is_original (self), TRUE));
}

static char *
cell_items (SdOrder *o)
{
  return g_strdup_printf ("%u", sd_order_get_n_items (o));
}

static char *
cell_total (SdOrder *o)
{
  return sd_format_price (sd_order_get_total (o));
}

SdOrderStatus
_sd_orders_board_shown_status (SdOrdersBoard *self, SdOrder *o)
{
  g_autofree char *yours = sd_sync_mark_dup_value (sd_sync_mark_page_sync (SD_PAGE (self)), sd_order_get_id (o),
                                                   "status");
  SdOrderStatus status;

  return yours && sd_order_status_from_wire (yours, &status) ? status : sd_order_get_status (o);
}

static int
compare_date (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GDateTime *x = sd_order_get_created_at ((SdOrder *) a), *y = sd_order_get_created_at ((SdOrder *) b);

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  return g_date_time_compare (x, y);
}

static int
compare_items (gconstpointer a, gconstpointer b, gpointer user_data)
{
  guint x = sd_order_get_n_items ((SdOrder *) a), y = sd_order_get_n_items ((SdOrder *) b);
  return (x > y) - (x < y);
}

static int
compare_total (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint64 x = sd_order_get_total ((SdOrder *) a), y = sd_order_get_total ((SdOrder *) b);
  return (x > y) - (x < y);
}

static int
compare_status (gconstpointer a, gconstpointer b, gpointer user_data)
{
  SdOrderStatus x = sd_order_get_status ((SdOrder *) a), y = sd_order_get_status ((SdOrder *) b);
  return (x > y) - (x < y);
}

/* ---- the status column: the status, and the mark of a change waiting ---- */

static void
status_cell_update (SdSyncMark *mark, GParamSpec *pspec, GtkListItem *item)
{
  SdOrder *o = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  SdOrdersBoard *self = g_object_get_data (G_OBJECT (item), "sd-board");

  if (o && self)
    gtk_label_set_label (GTK_LABEL (label), _sd_orders_board_status_label (_sd_orders_board_shown_status (self, o)));
}

static void
status_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, SdOrdersBoard *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *mark = sd_sync_mark_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), mark);
  gtk_list_item_set_child (item, box);
  g_object_set_data (G_OBJECT (item), "sd-board", self);
  /* Where a row is, for the keys that move along them (sd-orders-board-keys.c). */
  g_object_set_data (G_OBJECT (box), "sd-list-item", item);
  g_signal_connect (mark, "notify::serial", G_CALLBACK (status_cell_update), item);
}

static void
status_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, SdOrdersBoard *self)
{
  SdSyncMark *mark = SD_SYNC_MARK (gtk_widget_get_last_child (gtk_list_item_get_child (item)));

  sd_sync_mark_set (mark, sd_sync_mark_page_sync (SD_PAGE (self)), sd_order_get_id (gtk_list_item_get_item (item)));
  status_cell_update (mark, NULL, item);
}

static void
status_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, SdOrdersBoard *self)
{
  sd_sync_mark_set (SD_SYNC_MARK (gtk_widget_get_last_child (gtk_list_item_get_child (item))), NULL, NULL);
}

static GtkColumnViewColumn *
add_status_column (SdOrdersBoard *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_status, NULL, NULL));
  GtkColumnViewColumn *column = gtk_column_view_column_new (_("Status"), factory);

  g_signal_connect (factory, "setup", G_CALLBACK (status_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (status_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (status_unbind_cb), self);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_append_column (self->view, column);
  g_object_unref (column);   /* the view keeps it */
  return column;
}

/* What each column's cells say (Receiver's needs the board: NULL). */
static const SdUiCellText cell_text[N_COLUMNS] = {
  [COLUMN_NUMBER] = (SdUiCellText) sd_ui_order_number,
  [COLUMN_DATE] = (SdUiCellText) sd_ui_order_date,
  [COLUMN_CUSTOMER] = (SdUiCellText) cell_customer,
  [COLUMN_ITEMS] = (SdUiCellText) cell_items,
  [COLUMN_TOTAL] = (SdUiCellText) cell_total,
};

/* Which columns go first when the list is narrow: the number, where the
 * order stands and what it is worth; then who gets it, when, and the rest
 * (also in the order's pane). */
static const SdBoardColumn priority[N_COLUMNS] = {
  COLUMN_NUMBER, COLUMN_STATUS, COLUMN_TOTAL, COLUMN_RECEIVER, COLUMN_DATE, COLUMN_CUSTOMER, COLUMN_ITEMS,
};

/* The receiver's name gets room for the longest on the page within
 * these, ellipsized past it. */
#define RECEIVER_MIN 110
#define RECEIVER_MAX 200
/* A cell's padding and a heading's sort arrow, around their text
 * (Adwaita's columnview: 6 px each side; the arrow 16 px and a gap). */
#define CELL_EXTRA 16
/* The mark of a change waiting, beside a status: an icon and a gap. */
#define MARK_EXTRA 22
#define TITLE_EXTRA 28

static int
text_width (GtkWidget *widget, const char *text, gboolean bold)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width = 0;

  if (bold)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
    }
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

void
_sd_orders_board_measure_columns (SdOrdersBoard *self)
{
  GListModel *orders = G_LIST_MODEL (self->orders);
  GtkWidget *view = GTK_WIDGET (self->view);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      int width = text_width (view, gtk_column_view_column_get_title (self->columns[c]), TRUE) + TITLE_EXTRA;

      if (c == COLUMN_STATUS)
        /* A status changes in place: room for the longest. */
        for (SdOrderStatus s = 0; s < SD_ORDER_STATUS_N; s++)
          width = MAX (width, text_width (view, _sd_orders_board_status_label (s), FALSE) + CELL_EXTRA + MARK_EXTRA);
      else
        for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
          {
            g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
            g_autofree char *text = cell_text[c] ? cell_text[c] (o) : cell_receiver (o, self);

            width = MAX (width, text_width (view, text, FALSE) + CELL_EXTRA);
          }
      self->widths[c] = c == COLUMN_RECEIVER ? CLAMP (width, RECEIVER_MIN, RECEIVER_MAX) : width;
    }
  self->fitted_width = -1;
}

void
_sd_orders_board_fit_columns (SdOrdersBoard *self, int width)
{
  /* Folded, the list is on its own: what tells orders apart; the rest is
   * in the order's pane. */
  guint n = adw_leaflet_get_folded (self->leaflet) ? 4 : N_COLUMNS;
  int used = 0;
  SdBoardColumn filler = COLUMN_RECEIVER;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      SdBoardColumn c = priority[i];
      /* The first three always show (the list scrolls sideways if even
       * they do not fit); past the first that does not fit, none: the
       * order is what matters. */
      gboolean fits = i < 3 || (i < n && used >= 0 && used + self->widths[c] <= width);

      if (fits && c != COLUMN_RECEIVER)
        gtk_column_view_column_set_fixed_width (self->columns[c], self->widths[c]);
      used = fits && used >= 0 ? used + self->widths[c] : -1;
      gtk_column_view_column_set_visible (self->columns[c], fits);
    }
  /* The columns fill the list (GTK 4.8 gives an expanding column no more
   * than its text): Receiver takes what is left, or else Status. */
  if (!gtk_column_view_column_get_visible (self->columns[COLUMN_RECEIVER]))
    filler = COLUMN_STATUS;
  used = 0;
  for (guint c = 0; c < N_COLUMNS; c++)
    if (c != filler && gtk_column_view_column_get_visible (self->columns[c]))
      used += self->widths[c];
  gtk_column_view_column_set_fixed_width (self->columns[filler], MAX (self->widths[filler], width - used));
  self->fitted_width = width;
}

void
_sd_orders_board_add_columns (SdOrdersBoard *self)
{
  GtkColumnView *view = self->view;

  self->columns[COLUMN_NUMBER] = sd_ui_add_text_column (view, _("Number"), cell_text[COLUMN_NUMBER], NULL, FALSE);
  self->columns[COLUMN_DATE] = sd_ui_add_text_column (view, _("Date"), cell_text[COLUMN_DATE], compare_date, FALSE);
  self->columns[COLUMN_CUSTOMER] = sd_ui_add_text_column (view, _("Customer"), cell_text[COLUMN_CUSTOMER], NULL,
                                                          FALSE);
  self->columns[COLUMN_RECEIVER] = sd_ui_add_text_column_with_data (view, _("Receiver"),
                                                                    (SdUiCellTextWith) cell_receiver, self, NULL,
                                                                    TRUE);
  self->columns[COLUMN_ITEMS] = sd_ui_add_text_column (view, _("Items"), cell_text[COLUMN_ITEMS], compare_items,
                                                       FALSE);
  self->columns[COLUMN_TOTAL] = sd_ui_add_text_column (view, _("Total"), cell_text[COLUMN_TOTAL], compare_total,
                                                       FALSE);
  self->columns[COLUMN_STATUS] = add_status_column (self);
  _sd_orders_board_measure_columns (self);
  /* Newest first, as the shop sends them, until a heading is clicked. */
  gtk_column_view_sort_by_column (view, self->columns[COLUMN_DATE], GTK_SORT_DESCENDING);
}

/* ---- following the board's width ------------------------------------------ */

gboolean
sd_orders_board_get_columns_fit (SdOrdersBoard *self)
{
  return self->fit_source == 0 && self->fitted_width == gtk_widget_get_width (self->list_pane);
}

static gboolean
fit_columns_cb (gpointer user_data)
{
  SdOrdersBoard *self = user_data;

  self->fit_source = 0;
  _sd_orders_board_fit_columns (self, gtk_widget_get_width (self->list_pane));
  return G_SOURCE_REMOVE;
}

/* The board lays out its one child itself (GTK 4.8 never calls the
 * size_allocate of a widget with a layout manager). */
static void
board_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
               int *minimum_baseline, int *natural_baseline)
{
  gtk_widget_measure (gtk_widget_get_first_child (widget), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

/* The columns follow the list's width: once laid out, a column shown or
 * hidden would lay it out again, so it waits for the next turn of the
 * loop (before the next frame). */
static void
board_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  SdOrdersBoard *self = SD_ORDERS_BOARD (widget);

  gtk_widget_allocate (gtk_widget_get_first_child (widget), width, height, baseline, NULL);
  if (gtk_widget_get_width (self->list_pane) != self->fitted_width && self->fit_source == 0)
    self->fit_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_columns_cb, self, NULL);
}

void
_sd_orders_board_class_init_layout (GtkWidgetClass *widget_class)
{
  widget_class->measure = board_measure;
  widget_class->size_allocate = board_size_allocate;
}

/* ---- chips that wrap ------------------------------------------------------ */

#define CHIP_SPACING 6

/* Lays the children out in lines as wide as width, each at its natural
 * width; returns the height that takes (and allocates it, with allocate). */
static int
wrap_children (GtkWidget *widget, int width, gboolean allocate)
{
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, w = 0, h = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &w, NULL, NULL);
      w = MAX (min, MIN (w, width));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      if (x > 0 && x + w > width)
        {
          x = 0;
          y += line_height + CHIP_SPACING;
          line_height = 0;
        }
      if (allocate)
        gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, h }, -1);
      x += w + CHIP_SPACING;
      line_height = MAX (line_height, h);
    }
  return y + line_height;
}

static GtkSizeRequestMode
wrap_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
wrap_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
              int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = wrap_children (widget, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE);
      return;
    }
  /* As narrow as the widest chip; naturally, all on one line. */
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      *minimum = MAX (*minimum, min);
      *natural += (*natural ? CHIP_SPACING : 0) + nat;
    }
}

static void
wrap_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  wrap_children (widget, width, TRUE);
}

GtkLayoutManager *
_sd_orders_board_wrap_layout_new (void)
{
  return gtk_custom_layout_new (wrap_request_mode, wrap_measure, wrap_allocate);
}
