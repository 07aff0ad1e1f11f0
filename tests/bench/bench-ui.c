/* bench-ui.c — the real app window, timed from inside.
 *
 *   bench-ui first-frame URL   prints the wall-clock time (µs since the
 *                              epoch) of the first frame that shows the
 *                              shop's products, then quits
 *   bench-ui scroll URL [S]    scrolls the product grid down S screens
 *                              per frame (1.5), 600 frames at most, and
 *                              prints frame times
 */
#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "sd-application.h"
#include "sd-window.h"

static const char *mode;
static GArray *intervals;   /* frame-to-frame, µs */
static gint64 last_frame;
static guint settle_frames;
static double step = 1.5;     /* screens per frame */

static GtkScrolledWindow *
grid_scroller (GtkWidget *root)
{
  if (GTK_IS_GRID_VIEW (root))
    return GTK_SCROLLED_WINDOW (gtk_widget_get_parent (root));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkScrolledWindow *found = grid_scroller (c);
      if (found)
        return found;
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static void
report_scroll (void)
{
  guint n = intervals->len, slow = 0;
  gint64 sum = 0;

  g_array_sort (intervals, compare_gint64);
  for (guint i = 0; i < n; i++)
    {
      gint64 v = g_array_index (intervals, gint64, i);
      sum += v;
      slow += v > 16700;
    }
  printf ("frames %u mean-ms %.1f p95-ms %.1f max-ms %.1f over-16.7ms %.1f%%\n", n,
          sum / 1000.0 / n, g_array_index (intervals, gint64, n * 95 / 100) / 1000.0,
          g_array_index (intervals, gint64, n - 1) / 1000.0, 100.0 * slow / n);
}

static gboolean
scroll_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  GtkScrolledWindow *scroller = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value = gtk_adjustment_get_value (adj);
  double end = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (settle_frames < 30)
    {
      settle_frames++;
      last_frame = now;
      return G_SOURCE_CONTINUE;
    }
  g_array_append_val (intervals, (gint64) { now - last_frame });
  last_frame = now;
  gtk_adjustment_set_value (adj, MIN (end, value + gtk_adjustment_get_page_size (adj) * step));
  if (value >= end || intervals->len >= 600)
    {
      report_scroll ();
      g_application_quit (g_application_get_default ());
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  SdWindow *window = user_data;

  if (g_strcmp0 (sd_window_get_state (window), "products") != 0)
    return;
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  if (strcmp (mode, "first-frame") == 0)
    {
      printf ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_real_time ());
      fflush (stdout);
      g_application_quit (g_application_get_default ());
      return;
    }
  intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), scroll_tick, grid_scroller (GTK_WIDGET (window)), NULL);
}

static void
realized_cb (GtkWidget *window, gpointer user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GApplication *app, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  gtk_window_set_default_size (window, 1180, 760);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    realized_cb (GTK_WIDGET (window), NULL);
  else
    g_signal_connect (window, "realize", G_CALLBACK (realized_cb), NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr(SdApplication) app = NULL;
  char *args[] = { argv[0], NULL };

  if (argc < 3 || argc > 4 || (strcmp (argv[1], "first-frame") != 0 && strcmp (argv[1], "scroll") != 0))
    {
      fprintf (stderr, "usage: bench-ui first-frame URL | scroll URL [SCREENS-PER-FRAME]\n");
      return 2;
    }
  mode = argv[1];
  if (argc == 4)
    step = g_ascii_strtod (argv[3], NULL);
  app = sd_application_new ();
  sd_application_set_server_url (app, argv[2]);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, args);
}
