/* sd-bar-chart.h — a simple, legible bar chart (GtkSnapshot): one bar per
 * value, the largest value written over its bar, the first and last
 * labels under the axis. For screen readers it is an image whose name is
 * a sentence saying what it shows (set with the data); the same figures
 * are also shown as a table by its page. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_BAR_CHART (sd_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (SdBarChart, sd_bar_chart, SD, BAR_CHART, GtkWidget)

GtkWidget  *sd_bar_chart_new      (void);
/* n values, each with a label (e.g. "11-28"); value_text formats the
 * largest one over its bar (a price, a count). summary: the accessible
 * name, a sentence. */
void        sd_bar_chart_set_data (SdBarChart         *self,
                                   const char * const *labels,
                                   const gint64       *values,
                                   guint               n,
                                   const char         *max_text,
                                   const char         *summary);
const char *sd_bar_chart_get_summary (SdBarChart      *self);

G_END_DECLS
