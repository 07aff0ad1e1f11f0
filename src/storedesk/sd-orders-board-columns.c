/* sd-orders-board-columns.c — the orders board's columns: what each cell
 * shows and how each column sorts. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-orders-board-private.h"
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

static char *
cell_status (SdOrder *o)
{
  return g_strdup (_sd_orders_board_status_label (sd_order_get_status (o)));
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

void
_sd_orders_board_add_columns (SdOrdersBoard *self)
{
  GtkColumnViewColumn *date;

  sd_ui_add_text_column (self->view, _("Number"), (SdUiCellText) sd_ui_order_number, NULL, FALSE);
  date = sd_ui_add_text_column (self->view, _("Date"), (SdUiCellText) sd_ui_order_date, compare_date, FALSE);
  sd_ui_add_text_column (self->view, _("Customer"), (SdUiCellText) cell_customer, NULL, FALSE);
  sd_ui_add_text_column_with_data (self->view, _("Receiver"), (SdUiCellTextWith) cell_receiver, self, NULL, TRUE);
  sd_ui_add_text_column (self->view, _("Items"), (SdUiCellText) cell_items, compare_items, FALSE);
  sd_ui_add_text_column (self->view, _("Total"), (SdUiCellText) cell_total, compare_total, FALSE);
  sd_ui_add_text_column (self->view, _("Status"), (SdUiCellText) cell_status, compare_status, FALSE);
  /* Newest first, as the shop sends them, until a heading is clicked. */
  gtk_column_view_sort_by_column (self->view, date, GTK_SORT_DESCENDING);
}
