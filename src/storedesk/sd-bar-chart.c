/* sd-bar-chart.c — see sd-bar-chart.h. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-bar-chart.h"

#define BAR_AREA_HEIGHT 160
#define LABEL_SPACE     22
#define TOP_SPACE       22

struct _SdBarChart
{
  GtkWidget  parent_instance;
  GStrv      labels;
  gint64    *values;
  guint      n;
  char      *max_text;
  char      *summary;
};

G_DEFINE_FINAL_TYPE (SdBarChart, sd_bar_chart, GTK_TYPE_WIDGET)

static void
draw_text (GtkWidget *widget, GtkSnapshot *snapshot, const char *text, float x, float y, gboolean center,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (center ? x - w / 2.f : x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
sd_bar_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SdBarChart *self = SD_BAR_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float base = TOP_SPACE + BAR_AREA_HEIGHT;
  gint64 max = 0;
  guint max_at = 0;
  GdkRGBA fg, bar, axis;
  float slot, bar_w;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  bar = (GdkRGBA) { 0.21f, 0.52f, 0.89f, 1.f };   /* the accent blue */
  axis = fg;
  axis.alpha = 0.3f;
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (0, base, width, 1));
  if (self->n == 0)
    return;
  for (guint i = 0; i < self->n; i++)
    if (self->values[i] > max)
      {
        max = self->values[i];
        max_at = i;
      }
  slot = width / self->n;
  bar_w = MAX (2.f, slot * 0.7f);
  for (guint i = 0; i < self->n; i++)
    {
      float h = max > 0 ? (float) self->values[i] / (float) max * BAR_AREA_HEIGHT : 0;

      if (self->values[i] > 0 && h < 2)
        h = 2;
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (i * slot + (slot - bar_w) / 2, base - h, bar_w, h));
    }
  if (max > 0 && self->max_text)
    draw_text (widget, snapshot, self->max_text,
               CLAMP (max_at * slot + slot / 2, 40.f, width - 40.f), 0, TRUE, &fg);
  draw_text (widget, snapshot, self->labels[0], 0, base + 4, FALSE, &fg);
  if (self->n > 1)
    {
      g_autoptr(PangoLayout) last = gtk_widget_create_pango_layout (widget, self->labels[self->n - 1]);
      int w, h;

      pango_layout_get_pixel_size (last, &w, &h);
      draw_text (widget, snapshot, self->labels[self->n - 1], width - w, base + 4, FALSE, &fg);
    }
}

static void
sd_bar_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                      int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else
    *minimum = *natural = TOP_SPACE + BAR_AREA_HEIGHT + LABEL_SPACE;
}

void
sd_bar_chart_set_data (SdBarChart *self, const char * const *labels, const gint64 *values, guint n,
                       const char *max_text, const char *summary)
{
  g_return_if_fail (SD_IS_BAR_CHART (self));
  g_strfreev (self->labels);
  self->labels = g_strdupv ((char **) labels);
  g_free (self->values);
  self->values = g_memdup2 (values, sizeof (gint64) * MAX (n, 1));
  self->n = n;
  g_free (self->max_text);
  self->max_text = g_strdup (max_text);
  g_free (self->summary);
  self->summary = g_strdup (summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary ? summary : "", -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), summary);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
sd_bar_chart_get_summary (SdBarChart *self)
{
  g_return_val_if_fail (SD_IS_BAR_CHART (self), NULL);
  return self->summary;
}

GtkWidget *
sd_bar_chart_new (void)
{
  return g_object_new (SD_TYPE_BAR_CHART, NULL);
}

static void
sd_bar_chart_finalize (GObject *object)
{
  SdBarChart *self = SD_BAR_CHART (object);

  g_strfreev (self->labels);
  g_free (self->values);
  g_free (self->max_text);
  g_free (self->summary);
  G_OBJECT_CLASS (sd_bar_chart_parent_class)->finalize (object);
}

static void
sd_bar_chart_class_init (SdBarChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sd_bar_chart_finalize;
  widget_class->snapshot = sd_bar_chart_snapshot;
  widget_class->measure = sd_bar_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sd_bar_chart_init (SdBarChart *self)
{
}
