/* bench-ui.c — the real app window, timed from inside.
 *
 *   bench-ui first-frame URL   prints the wall-clock time (µs since the
 *                              epoch) of the first frame that shows the
 *                              shop's products (first-frame-us), then
 *                              quits; 2 s after the error page (error-
 *                              frame-us) without them, 30 s at most;
 *                              before it, when the grid got the shop's
 *                              catalog, whose load starts then
 *                              (load-start-us), and when that model
 *                              first held products (in-model-us: from
 *                              disk when the local store had them)
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
static gint64 load_start;     /* µs since the epoch, 0: not yet */
static gint64 in_model;
static gint64 error_frame;    /* the first frame of the error page */

static GtkGridView *
find_grid (GtkWidget *root)
{
  if (GTK_IS_GRID_VIEW (root))
    return GTK_GRID_VIEW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkGridView *found = find_grid (c);
      if (found)
        return found;
    }
  return NULL;
}

static GtkScrolledWindow *
grid_scroller (GtkWidget *root)
{
  return GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (find_grid (root))));
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

/* The catalog's model (the grid's, the shop's SdCatalog behind it) gets
 * products: the moment the app has them, shown or not. */
static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  if (in_model == 0 && g_list_model_get_n_items (model) > 0)
    in_model = g_get_real_time ();
}

static void
grid_model_cb (GtkGridView *grid, GParamSpec *pspec, gpointer user_data)
{
  GtkSelectionModel *model = gtk_grid_view_get_model (grid);

  if (model)
    {
      if (load_start == 0)
        load_start = g_get_real_time ();
      g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), NULL);
      items_changed_cb (G_LIST_MODEL (model), 0, 0, 0, NULL);
    }
}

/* What first-frame saw, once; shown: 0 when the products never were. */
static void
report_first_frame (gint64 shown)
{
  static gboolean reported;

  if (reported)
    return;
  reported = TRUE;
  if (load_start)
    printf ("load-start-us %" G_GINT64_FORMAT "\n", load_start);
  if (in_model)
    printf ("in-model-us %" G_GINT64_FORMAT "\n", in_model);
  if (error_frame)
    printf ("error-frame-us %" G_GINT64_FORMAT "\n", error_frame);
  if (shown)
    printf ("first-frame-us %" G_GINT64_FORMAT "\n", shown);
  fflush (stdout);
  g_application_quit (g_application_get_default ());
}

static gboolean
too_long_cb (gpointer user_data)
{
  report_first_frame (0);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  SdWindow *window = user_data;
  const char *state = sd_window_get_state (window);
  gboolean first_frame = strcmp (mode, "first-frame") == 0;

  /* The error page: the products may still come (from disk); 2 s more. */
  if (first_frame && error_frame == 0 && g_strcmp0 (state, "error") == 0)
    {
      error_frame = g_get_real_time ();
      g_timeout_add_seconds (2, too_long_cb, NULL);
    }
  if (g_strcmp0 (state, "products") != 0)
    return;
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  if (first_frame)
    {
      report_first_frame (g_get_real_time ());
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
  if (strcmp (mode, "first-frame") == 0 && in_model == 0)
    {
      GtkGridView *grid = find_grid (GTK_WIDGET (window));

      g_signal_connect (grid, "notify::model", G_CALLBACK (grid_model_cb), NULL);
      grid_model_cb (grid, NULL, NULL);
      g_timeout_add_seconds (30, too_long_cb, NULL);
    }
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
