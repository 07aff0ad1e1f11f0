/* sd-print.c — packing slips, each from a new page, laid out with Pango,
 * so Hangul and Latin text come out in whatever fonts the system has for
 * them; for a pick & pack run, the pick list's pages first. A slip or a
 * list longer than a page goes on over the next, cut between lines. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-page.h"
#include "sd-print.h"
#include "sd-ui.h"

/* The shop's name at the top of a slip. No shop says its name (API.md:
 * /health gives none, ours nor the original's), so it is the host the
 * app reaches it at ("shop.example.com"); NULL when widget shows none. */
static char *
shop_name (GtkWidget *widget)
{
  GtkWidget *page = widget ? gtk_widget_get_ancestor (widget, SD_TYPE_PAGE) : NULL;
  SdShop *shop = page ? sd_page_get_shop (SD_PAGE (page)) : NULL;
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;
  g_autoptr(GUri) uri = api ? g_uri_parse (sd_api_get_base_url (api), G_URI_FLAGS_NONE, NULL) : NULL;

  return uri && g_uri_get_host (uri) ? g_strdup (g_uri_get_host (uri)) : NULL;
}

static void G_GNUC_PRINTF (2, 3)
append (GString *m, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (m, text);
}

static char *
slip_markup (SdOrder *order, gboolean original, const char *shop)
{
  GString *m = g_string_new (NULL);
  g_autofree char *number = sd_ui_order_number (order);
  g_autofree char *date = sd_ui_order_date (order);
  g_autofree char *items_total = sd_format_price (sd_order_get_items_total (order));
  g_autofree char *fee = sd_format_price (sd_order_get_delivery_fee (order));
  g_autofree char *total = sd_format_price (sd_order_get_total (order));
  SdReceiver *r = sd_order_get_receiver (order);
  GListModel *lines = sd_order_get_lines (order);

  if (shop)
    append (m, "<span size='large'>%s</span>\n", shop);
  g_string_append (m, "<span size='x-large' weight='bold'>");
  /* Translators: the title of a printed packing slip; %s is the order's number. */
  append (m, _("Packing Slip — Order %s"), number);
  g_string_append (m, "</span>\n");
  append (m, "%s · %s\n\n", date, g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (sd_order_get_status (order))));

  append (m, "<b>%s</b>\n", _("Ship To"));
  if (r)
    {
      g_autofree char *phone = sd_ui_format_phone (sd_receiver_get_phone_number (r));

      append (m, "%s\n%s\n%s", sd_receiver_get_name (r), phone, sd_receiver_get_address (r));
      if (sd_receiver_get_address_detail (r) && *sd_receiver_get_address_detail (r))
        append (m, " %s", sd_receiver_get_address_detail (r));
      g_string_append (m, "\n\n");
    }
  else
    append (m, "%s\n\n", sd_ui_no_receiver (order, original, TRUE));

  append (m, "<b>%s</b>\n", _("Products"));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);
      const char *name = sd_order_line_get_name (line) ? sd_order_line_get_name (line)
                                                       : sd_order_line_get_product_id (line);

      append (m, "☐  %s", name);
      if (sd_order_line_get_option (line))
        append (m, " (%s)", sd_order_line_get_option (line));
      append (m, "\t× %u", sd_order_line_get_count (line));
      if (sd_order_line_get_price (line) >= 0)
        {
          g_autofree char *price = sd_format_price (sd_order_line_get_price (line) * sd_order_line_get_count (line));
          append (m, "\t%s", price);
        }
      g_string_append_c (m, '\n');
    }
  append (m, "\n%s\t\t%s\n", _("Items total"), items_total);
  append (m, "%s\t\t%s\n", _("Delivery"), fee);
  append (m, "<b>%s\t\t%s</b>\n", _("Total"), total);
  if (sd_order_get_memo (order) && *sd_order_get_memo (order))
    append (m, "\n<b>%s</b>\n%s\n", _("Memo"), sd_order_get_memo (order));
  return g_string_free (m, FALSE);
}

/* The pick list: per category, a box to tick, each product and option
 * and how many, then the orders of the run. */
static char *
pick_markup (SdPickList *list, const char *shop)
{
  GString *m = g_string_new (NULL);
  GPtrArray *orders = sd_pick_list_get_orders (list);
  guint n_items = sd_pick_list_get_n_items (list);
  g_autofree char *n_orders = g_strdup_printf (ngettext ("%u order", "%u orders", orders->len), orders->len);
  g_autofree char *items = g_strdup_printf (ngettext ("%u item", "%u items", n_items), n_items);

  if (shop)
    append (m, "<span size='large'>%s</span>\n", shop);
  append (m, "<span size='x-large' weight='bold'>%s</span>\n", _("Pick List"));
  /* "3 orders · 12 items", under the pick list's title */
  append (m, "%s · %s\n", n_orders, items);
  for (guint g = 0; g < sd_pick_list_get_n_groups (list); g++)
    {
      const SdPickGroup *group = sd_pick_list_get_group (list, g);

      append (m, "\n<b>%s</b>\n", sd_print_pick_group_name (group));
      for (guint l = 0; l < group->lines->len; l++)
        {
          const SdPickLine *line = group->lines->pdata[l];

          append (m, "☐  %s", line->name);
          if (line->option)
            append (m, " (%s)", line->option);
          append (m, "\t× %u\n", line->count);
        }
    }
  append (m, "\n<b>%s</b>\n", _("Orders in This Run"));
  for (guint i = 0; i < orders->len; i++)
    {
      g_autofree char *number = sd_ui_order_number (orders->pdata[i]);
      SdReceiver *r = sd_order_get_receiver (orders->pdata[i]);

      append (m, "%s\t%s\n", number, r ? sd_receiver_get_name (r) : "");
    }
  return g_string_free (m, FALSE);
}

const char *
sd_print_pick_group_name (const SdPickGroup *group)
{
  /* Translators: the pick list's group of products in no known category. */
  return group->name ? group->name : _("Other");
}

static PangoLayout *
layout_new (GtkPrintContext *context, const char *markup)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 11");
  g_autoptr(PangoTabArray) tabs = pango_tab_array_new_with_positions (2, TRUE, PANGO_TAB_LEFT, 300,
                                                                      PANGO_TAB_LEFT, 380);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_tabs (layout, tabs);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

/* What an operation prints: its documents (the pick list's markup, if
 * any, then a slip per order), each cut into pages between its lines. */
typedef struct {
  guint  doc;
  double start, end;   /* the part of its layout on the page (points) */
} Page;

typedef struct {
  GPtrArray *docs;     /* markup */
  GArray    *pages;    /* Page */
} Job;

static void
job_free (Job *job)
{
  g_ptr_array_unref (job->docs);
  g_array_unref (job->pages);
  g_free (job);
}

static void
paginate (Job *job, guint doc, GtkPrintContext *context)
{
  g_autoptr(PangoLayout) layout = layout_new (context, job->docs->pdata[doc]);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double height = gtk_print_context_get_height (context);
  Page page = { doc, 0, 0 };

  do
    {
      PangoRectangle logical;
      double top, bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      bottom = (double) (logical.y + logical.height) / PANGO_SCALE;
      /* A line that does not fit begins the next page (one taller than
       * a page is cut, but never loops). */
      if (bottom - page.start > height && top > page.start)
        {
          page.end = top;
          g_array_append_val (job->pages, page);
          page.start = top;
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  page.end = page.start + height;
  g_array_append_val (job->pages, page);
}

static void
begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, gpointer user_data)
{
  Job *job = user_data;

  g_array_set_size (job->pages, 0);
  for (guint d = 0; d < job->docs->len; d++)
    paginate (job, d, context);
  gtk_print_operation_set_n_pages (op, MAX (job->pages->len, 1));
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page_nr, gpointer user_data)
{
  Job *job = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = NULL;
  Page *page;

  if ((guint) page_nr >= job->pages->len)
    return;
  page = &g_array_index (job->pages, Page, page_nr);
  layout = layout_new (context, job->docs->pdata[page->doc]);
  cairo_rectangle (cr, 0, 0, gtk_print_context_get_width (context), page->end - page->start);
  cairo_clip (cr);
  cairo_move_to (cr, 0, -page->start);
  pango_cairo_show_layout (cr, layout);
}

static GtkPrintOperation *
operation_new (GtkWidget *widget, GPtrArray *orders, gboolean original, SdPickList *pick)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  Job *job = g_new0 (Job, 1);
  g_autofree char *shop = shop_name (widget);

  job->docs = g_ptr_array_new_with_free_func (g_free);
  job->pages = g_array_new (FALSE, FALSE, sizeof (Page));
  if (pick)
    g_ptr_array_add (job->docs, pick_markup (pick, shop));
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (job->docs, slip_markup (orders->pdata[i], original, shop));
  gtk_print_operation_set_job_name (op, pick ? _("Pick List and Packing Slips") : _("Packing Slips"));
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  g_object_set_data_full (G_OBJECT (op), "sd-job", job, (GDestroyNotify) job_free);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print_cb), job);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), job);
  return op;
}

static void
done_cb (GtkPrintOperation *op, GtkPrintOperationResult result, gpointer user_data)
{
  GtkWidget *widget = user_data;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      sd_ui_show_error (widget, _("Could Not Print"), error);
    }
  g_object_unref (widget);
}

static void
run_dialog (GtkWidget *widget, GtkPrintOperation *op)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect (op, "done", G_CALLBACK (done_cb), g_object_ref (widget));
  gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           NULL);
}

static gboolean
export_pdf (GtkPrintOperation *op, const char *path, GError **error)
{
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error) !=
         GTK_PRINT_OPERATION_RESULT_ERROR;
}

void
sd_print_orders (GtkWidget *widget, GPtrArray *orders, gboolean original)
{
  g_autoptr(GtkPrintOperation) op = operation_new (widget, orders, original, NULL);

  run_dialog (widget, op);
}

gboolean
sd_print_orders_to_pdf (GtkWidget *widget, GPtrArray *orders, gboolean original, const char *path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = operation_new (widget, orders, original, NULL);

  return export_pdf (op, path, error);
}

void
sd_print_pick_list (GtkWidget *widget, GtkWidget *over, SdPickList *list, gboolean original)
{
  g_autoptr(GtkPrintOperation) op = operation_new (widget, sd_pick_list_get_orders (list), original, list);

  run_dialog (over ? over : widget, op);
}

gboolean
sd_print_pick_list_to_pdf (GtkWidget *widget, SdPickList *list, gboolean original, const char *path,
                           GError **error)
{
  g_autoptr(GtkPrintOperation) op = operation_new (widget, sd_pick_list_get_orders (list), original, list);

  return export_pdf (op, path, error);
}
