/* sd-dashboard-page.c — staff: how the shop is doing over the last days
 * (revenue and orders, beside the period before; revenue per day or
 * week; orders per status; top products), as charts with a sentence for
 * screen readers and as a table, exported as CSV. Figures: SdSummary. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-bar-chart.h"
#include "sd-dashboard-page.h"
#include "sd-ui.h"

static const guint range_days[] = { 7, 30, 90, 365 };

struct _SdDashboardPage
{
  SdPage          parent_instance;

  GtkDropDown    *range_dropdown;
  GtkLabel       *range_label;
  GtkToggleButton *table_toggle;
  GtkWidget      *export_button;
  GtkProgressBar *progress;
  GtkBox         *content;

  SdApi          *api;
  SdSummary      *summary;
  SdSummary      *previous;
  gboolean        loading;
  GDate           from;
  GDate           to;
};

G_DEFINE_FINAL_TYPE (SdDashboardPage, sd_dashboard_page, SD_TYPE_PAGE)

/* The shop's days: a setting (org.gnome.Storedesk shop-time-zone). */
static char *
shop_zone (void)
{
  g_autoptr(GSettings) settings = sd_ui_lookup_settings ("shop-time-zone");
  g_autofree char *zone = NULL;
  g_autoptr(GTimeZone) tz = NULL;

  /* Without the installed schema (a bare build tree): the default. */
  if (settings == NULL)
    return g_strdup ("Asia/Seoul");
  zone = g_settings_get_string (settings, "shop-time-zone");
  tz = *zone ? g_time_zone_new_identifier (zone) : NULL;
  return tz ? g_steal_pointer (&zone) : g_strdup ("Asia/Seoul");
}

static char *
date_text (const GDate *date)
{
  char text[16];

  g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

/* ---- what is shown -------------------------------------------------------- */

static void
clear_content (SdDashboardPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))))
    gtk_box_remove (self->content, child);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
figure_row (const char *title, const char *value, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "title-4");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

/* "₩30,000 in the previous 7 days (up 12%)". */
static char *
compared (gint64 now, gint64 before, guint days, gboolean money)
{
  g_autofree char *was = money ? sd_format_price (before) : g_strdup_printf ("%" G_GINT64_FORMAT, before);

  if (before == 0)
    /* Translators: %s is a figure of the previous period, %u its days. */
    return g_strdup_printf (ngettext ("%s in the previous %u day", "%s in the previous %u days", days), was, days);
  /* Translators: a figure of the previous period, its days, and the change in percent, e.g. "+12". */
  return g_strdup_printf (ngettext ("%s in the previous %u day (%+d%%)", "%s in the previous %u days (%+d%%)", days),
                          was, days, (int) ((now - before) * 100 / before));
}

static void
add_figures (SdDashboardPage *self, guint days)
{
  GtkWidget *list = boxed_list ();
  g_autofree char *revenue = sd_format_price (sd_summary_get_revenue (self->summary));
  g_autofree char *revenue_was = compared (sd_summary_get_revenue (self->summary),
                                           sd_summary_get_revenue (self->previous), days, TRUE);
  g_autofree char *paid = g_strdup_printf ("%" G_GINT64_FORMAT, sd_summary_get_paid_orders (self->summary));
  g_autofree char *paid_was = compared (sd_summary_get_paid_orders (self->summary),
                                        sd_summary_get_paid_orders (self->previous), days, FALSE);
  g_autofree char *items = g_strdup_printf ("%" G_GINT64_FORMAT, sd_summary_get_items (self->summary));
  g_autofree char *orders = g_strdup_printf ("%" G_GINT64_FORMAT, sd_summary_get_orders (self->summary));

  gtk_list_box_append (GTK_LIST_BOX (list), figure_row (_("Revenue"), revenue, revenue_was));
  gtk_list_box_append (GTK_LIST_BOX (list), figure_row (_("Paid Orders"), paid, paid_was));
  gtk_list_box_append (GTK_LIST_BOX (list), figure_row (_("Items Sold"), items, NULL));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       figure_row (_("All Orders"), orders, _("Awaiting payment and cancelled ones included")));
  gtk_box_append (self->content, list);
}

/* Revenue per day, or per week over a month; as a chart, or a table. */
static void
add_revenue (SdDashboardPage *self)
{
  guint n_days = sd_summary_get_n_days (self->summary);
  gboolean weekly = n_days > 31;
  guint n = 0;
  g_autofree gint64 *values = weekly ? sd_summary_dup_weeks (self->summary, &n) : g_new0 (gint64, n_days);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  GtkWidget *chart = sd_bar_chart_new ();
  g_autofree char *max_text = NULL;
  g_autofree char *total = sd_format_price (sd_summary_get_revenue (self->summary));
  g_autofree char *summary = NULL;
  g_autofree char *best_text = NULL;
  guint best = 0;

  if (!weekly)
    n = n_days;
  for (guint i = 0; i < n; i++)
    {
      const SdSummaryDay *day = sd_summary_get_day (self->summary, weekly ? i * 7 : i);

      if (!weekly)
        values[i] = day->revenue;
      g_strv_builder_add (labels, day->date + 5);   /* MM-DD */
      if (values[i] > values[best])
        best = i;
    }
  names = g_strv_builder_end (labels);
  max_text = sd_format_price (n ? values[best] : 0);
  best_text = g_strdup (n ? sd_summary_get_day (self->summary, weekly ? best * 7 : best)->date : "");
  summary = weekly
    /* Translators: the text a screen reader gives the weekly chart. */
    ? g_strdup_printf (_("Revenue per week, %u weeks: %s in all; the best week began on %s, with %s."),
                       n, total, best_text, max_text)
    /* Translators: the text a screen reader gives the daily chart. */
    : g_strdup_printf (_("Revenue per day, %u days: %s in all; the best day was %s, with %s."),
                       n, total, best_text, max_text);
  sd_bar_chart_set_data (SD_BAR_CHART (chart), (const char * const *) names, values, n, max_text, summary);
  gtk_box_append (self->content, heading (weekly ? _("Revenue per Week") : _("Revenue per Day")));
  if (gtk_toggle_button_get_active (self->table_toggle))
    {
      GtkWidget *grid = gtk_grid_new ();
      const char *head[] = { _("Date"), _("Orders"), _("Paid"), _("Revenue") };

      gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
      gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
      for (guint c = 0; c < G_N_ELEMENTS (head); c++)
        {
          GtkWidget *h = heading (head[c]);
          gtk_grid_attach (GTK_GRID (grid), h, c, 0, 1, 1);
        }
      for (guint i = 0; i < n_days; i++)
        {
          const SdSummaryDay *day = sd_summary_get_day (self->summary, i);
          g_autofree char *orders = g_strdup_printf ("%" G_GINT64_FORMAT, day->orders);
          g_autofree char *paid = g_strdup_printf ("%" G_GINT64_FORMAT, day->paid_orders);
          g_autofree char *revenue = sd_format_price (day->revenue);
          const char *cells[] = { day->date, orders, paid, revenue };

          for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
            {
              GtkWidget *cell = gtk_label_new (cells[c]);

              gtk_label_set_xalign (GTK_LABEL (cell), c == 0 ? 0 : 1);
              gtk_grid_attach (GTK_GRID (grid), cell, c, i + 1, 1, 1);
            }
        }
      gtk_box_append (self->content, grid);
      g_object_ref_sink (chart);
      g_object_unref (chart);
    }
  else
    gtk_box_append (self->content, chart);
}

static void
add_statuses (SdDashboardPage *self)
{
  GtkWidget *list = boxed_list ();
  gint64 most = 1;

  for (guint s = 0; s < SD_ORDER_STATUS_N; s++)
    most = MAX (most, sd_summary_get_status_count (self->summary, s));
  for (guint s = 0; s < SD_ORDER_STATUS_N; s++)
    {
      gint64 count = sd_summary_get_status_count (self->summary, s);
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
      GtkWidget *row = figure_row (_(sd_order_status_label (s)), text, NULL);
      GtkWidget *level = gtk_level_bar_new_for_interval (0, (double) most);

      gtk_level_bar_set_value (GTK_LEVEL_BAR (level), (double) count);
      gtk_widget_set_size_request (level, 160, -1);
      gtk_widget_set_valign (level, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(sd_order_status_label (s)), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), level);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (self->content, heading (_("Orders per Status")));
  gtk_box_append (self->content, list);
}

static void
add_top (SdDashboardPage *self, const char *title, GPtrArray *products)
{
  GtkWidget *list = boxed_list ();

  for (guint i = 0; products && i < products->len; i++)
    {
      SdSummaryProduct *p = products->pdata[i];
      g_autofree char *revenue = sd_format_price (p->revenue);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, p->quantity);
      /* Translators: a product's revenue and the units sold, e.g. "₩24,000 · 3 sold". */
      g_autofree char *text = g_strdup_printf (ngettext ("%s · %s sold", "%s · %s sold", (gulong) MIN (p->quantity, G_MAXLONG)),
                                               revenue, count);

      gtk_list_box_append (GTK_LIST_BOX (list), figure_row (p->name ? p->name : p->product_id, text, NULL));
    }
  if (products == NULL || products->len == 0)
    gtk_list_box_append (GTK_LIST_BOX (list), figure_row (_("Nothing sold in this period"), "", NULL));
  gtk_box_append (self->content, heading (title));
  gtk_box_append (self->content, list);
}

static void
render (SdDashboardPage *self)
{
  guint days = range_days[gtk_drop_down_get_selected (self->range_dropdown)];

  clear_content (self);
  if (self->summary == NULL || self->previous == NULL)
    return;
  add_figures (self, days);
  add_revenue (self);
  add_statuses (self);
  add_top (self, _("Top Products by Revenue"), sd_summary_get_top_by_revenue (self->summary));
  add_top (self, _("Top Products by Quantity"), sd_summary_get_top_by_quantity (self->summary));
  if (sd_summary_get_computed_here (self->summary))
    {
      GtkWidget *note = gtk_label_new (_("This shop has no summary of its own: the figures were computed on this "
                                         "computer from its order list."));

      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (self->content, note);
    }
}

/* ---- loading ------------------------------------------------------------ */

static void
progress_cb (double fraction, gpointer user_data)
{
  SdDashboardPage *self = user_data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
}

static void
finished (SdDashboardPage *self, const GError *error)
{
  self->loading = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_widget_set_sensitive (self->export_button, self->summary != NULL && error == NULL);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_ui_show_error (GTK_WIDGET (self), _("The Figures Could Not Be Read"), error);
  /* The shop did not answer: the figures are those of the orders kept. */
  if (self->summary && sd_summary_get_from_disk (self->summary))
    {
      g_autofree char *range = g_strdup_printf ("%s · %s", gtk_label_get_label (self->range_label),
                                                _("Kept on this computer: the shop is not reachable"));

      gtk_label_set_label (self->range_label, range);
    }
  render (self);
}

static void
previous_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->previous);
  self->previous = sd_summary_load_finish (SD_API (source), result, &error);
  finished (self, error);
}

static void
current_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *zone = shop_zone ();
  guint days = range_days[gtk_drop_down_get_selected (self->range_dropdown)];
  GDate prev_from, prev_to;

  g_clear_object (&self->summary);
  self->summary = sd_summary_load_finish (SD_API (source), result, &error);
  if (self->summary == NULL)
    {
      finished (self, error);
      return;
    }
  prev_to = self->from;
  g_date_subtract_days (&prev_to, 1);
  prev_from = prev_to;
  g_date_subtract_days (&prev_from, days - 1);
  gtk_progress_bar_set_text (self->progress, _("Reading the period before…"));
  sd_summary_load_async (SD_API (source), &prev_from, &prev_to, zone, sd_page_get_store (SD_PAGE (self)),
                         progress_cb, self,
                         sd_page_get_cancellable (SD_PAGE (self)), previous_cb, g_object_ref (self));
}

void
sd_dashboard_page_reload (SdDashboardPage *self)
{
  g_autofree char *zone = shop_zone ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  guint days = range_days[gtk_drop_down_get_selected (self->range_dropdown)];
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *range = NULL;

  g_return_if_fail (SD_IS_DASHBOARD_PAGE (self));
  if (self->api == NULL)
    return;
  g_date_clear (&self->to, 1);
  g_date_set_dmy (&self->to, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  self->from = self->to;
  g_date_subtract_days (&self->from, days - 1);
  from = date_text (&self->from);
  to = date_text (&self->to);
  /* Translators: a period of days, and the time zone its days are in. */
  range = g_strdup_printf (_("%s to %s (%s)"), from, to, zone);
  gtk_label_set_label (self->range_label, range);
  self->loading = TRUE;
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, _("Reading the orders…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  sd_summary_load_async (self->api, &self->from, &self->to, zone, sd_page_get_store (SD_PAGE (self)),
                         progress_cb, self,
                         sd_page_renew_cancellable (SD_PAGE (self)), current_cb, g_object_ref (self));
}

static void
range_changed_cb (SdDashboardPage *self)
{
  sd_dashboard_page_reload (self);
}

static void
table_toggled_cb (SdDashboardPage *self)
{
  render (self);
}

/* ---- export --------------------------------------------------------------- */

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Figures Were Not Exported"), error);
      return;
    }
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Figures exported")));
}

void
sd_dashboard_page_export_to (SdDashboardPage *self, GFile *file)
{
  g_autoptr(GBytes) csv = NULL;

  g_return_if_fail (SD_IS_DASHBOARD_PAGE (self));
  if (self->summary == NULL)
    return;
  csv = sd_summary_to_csv (self->summary);
  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       sd_page_get_write_cancellable (SD_PAGE (self)), written_cb, g_object_ref (self));
}

static void
export_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdDashboardPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_dashboard_page_export_to (self, file);
    }
  g_object_unref (chooser);
}

static void
export_cb (SdDashboardPage *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Figures"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);

  /* Translators: the suggested file name of the dashboard's export. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("sales.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the object ----------------------------------------------------------- */

SdSummary *sd_dashboard_page_get_summary (SdDashboardPage *self) { return self->summary; }
SdSummary *sd_dashboard_page_get_previous (SdDashboardPage *self) { return self->previous; }
gboolean sd_dashboard_page_get_loading (SdDashboardPage *self) { return self->loading; }

void
sd_dashboard_page_set_days (SdDashboardPage *self, guint days)
{
  for (guint i = 0; i < G_N_ELEMENTS (range_days); i++)
    if (range_days[i] == days)
      gtk_drop_down_set_selected (self->range_dropdown, i);
}

static void
sd_dashboard_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdDashboardPage *self = SD_DASHBOARD_PAGE (page);

  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
  g_clear_object (&self->summary);
  g_clear_object (&self->previous);
  self->loading = FALSE;
  render (self);
}

static void
sd_dashboard_page_reload_page (SdPage *page)
{
  sd_dashboard_page_reload (SD_DASHBOARD_PAGE (page));
}

static void
sd_dashboard_page_dispose (GObject *object)
{
  SdDashboardPage *self = SD_DASHBOARD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_DASHBOARD_PAGE);
  g_clear_object (&self->summary);
  g_clear_object (&self->previous);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_dashboard_page_parent_class)->dispose (object);
}

static void
sd_dashboard_page_class_init (SdDashboardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_dashboard_page_dispose, sd_dashboard_page_shop_changed,
                        sd_dashboard_page_reload_page, "sd-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, table_toggle);
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, progress);
  gtk_widget_class_bind_template_child (widget_class, SdDashboardPage, content);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, table_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cb);
}

static void
sd_dashboard_page_init (SdDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_sensitive (self->export_button, FALSE);
}
