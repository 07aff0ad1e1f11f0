/* sd-test-ui-screen.c — what the UI tests see and do as a user would:
 * a frame painted, a screenshot once the pictures are in, a widget
 * scrolled into view, real keys typed (sd-test-ui.h). */
#include "sd-test-ui.h"

#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "sd-picture.h"

/* The window's paintable draws something: laid out (a widget waiting
 * for its next layout draws nothing). */
typedef struct {
  GdkPaintable  *paintable;
  int            w, h;
  GskRenderNode *node;
} Snapshot;

static gboolean
snapshot_drawn (gpointer user_data)
{
  Snapshot *shot = user_data;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (shot->paintable, GDK_SNAPSHOT (snapshot), shot->w, shot->h);
  shot->node = gtk_snapshot_to_node (snapshot);
  return shot->node != NULL;
}

static void
painted_cb (GdkFrameClock *clock, gpointer painted)
{
  *(gboolean *) painted = TRUE;
}

static gboolean
frame_painted (gpointer painted)
{
  return *(gboolean *) painted;
}

void
sd_test_wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (widget);
  sd_test_wait_until (frame_painted, &painted, SD_TEST_UI_WAIT_MS);
  g_signal_handler_disconnect (clock, id);
}

static gboolean
pictures_loaded (gpointer unused)
{
  return sd_picture_get_n_loading () == 0;
}

void
sd_test_save_screenshot (GtkWidget *window, const char *what)
{
  const char *dir = g_getenv ("STOREDESK_SCREENSHOT_DIR");
  const char *lang = g_getenv ("LANGUAGE");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  Snapshot shot = { paintable, 0, 0, NULL };
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  /* A frame lays the page out (and binds its cards, which start their
   * pictures); the pictures come; two frames show them (a picture given
   * its texture is laid out again first: measured, one frame left the
   * search's cards grey). */
  sd_test_wait_painted (window);
  sd_test_wait_until (pictures_loaded, NULL, SD_TEST_UI_WAIT_MS);
  sd_test_wait_painted (window);
  sd_test_wait_painted (window);
  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  shot.w = gtk_widget_get_width (window);
  shot.h = gtk_widget_get_height (window);
  sd_test_wait_until (snapshot_drawn, &shot, SD_TEST_UI_WAIT_MS);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), shot.node,
                                         &GRAPHENE_RECT_INIT (0, 0, shot.w, shot.h));
  gsk_render_node_unref (shot.node);
  name = g_strdup_printf ("storedesk%s%s-%s.png", what ? "-" : "", what ? what : "",
                          lang && *lang ? lang : "en");
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
keys_sent_cb (GObject *source, GAsyncResult *result, gpointer done)
{
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    g_error ("xdotool: %s", error->message);
  *(gboolean *) done = TRUE;
}

static void
run_xdotool (GPtrArray *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) xdotool = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (argv, NULL);
  xdotool = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (xdotool, NULL, keys_sent_cb, &done);
  sd_test_wait (&done);
}

void
sd_test_keysv (GtkWidget *window, const char * const *args)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;
  g_autoptr(GPtrArray) focus = g_ptr_array_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  /* No window manager under Xvfb: the focus is given straight. */
  g_ptr_array_add (focus, "xdotool");
  g_ptr_array_add (focus, "windowfocus");
  g_ptr_array_add (focus, "--sync");
  g_ptr_array_add (focus, xid);
  run_xdotool (focus);
  g_ptr_array_add (argv, "xdotool");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  run_xdotool (argv);
}

void
sd_test_keys (GtkWidget *window, const char *first_arg, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  sd_test_keysv (window, (const char * const *) args->pdata);
}

void
sd_test_click_at (GtkWidget *widget, guint button)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *b = g_strdup_printf ("%u", button);
  graphene_point_t at;
  double dx, dy;

  g_assert_true (gtk_widget_is_drawable (widget));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &at));
  /* The surface has the window's shadow around it. */
  gtk_native_get_surface_transform (native, &dx, &dy);
  x = g_strdup_printf ("%d", (int) (at.x + dx));
  y = g_strdup_printf ("%d", (int) (at.y + dy));
  sd_test_keys (GTK_WIDGET (native), "mousemove", "--sync", "--window", xid, x, y, "click", b, NULL);
}

/* widget lies whole inside the scrolled window around it. */
static gboolean
in_view (gpointer widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (scroller == NULL || !gtk_widget_compute_bounds (widget, scroller, &bounds))
    return FALSE;
  return bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

void
sd_test_scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double below;

  g_assert_nonnull (scroller);
  gtk_widget_grab_focus (widget);
  sd_test_wait_painted (widget);   /* laid out, so that its place is known */
  g_assert_true (gtk_widget_compute_bounds (widget, scroller, &bounds));
  /* GTK 4.8 has no scroll_to: the adjustment moves by what is out of view. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  below = bounds.origin.y + bounds.size.height - gtk_widget_get_height (scroller);
  if (bounds.origin.y < 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + bounds.origin.y);
  else if (below > 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + below);
  sd_test_wait_until (in_view, widget, SD_TEST_UI_WAIT_MS);
}

GtkWidget *
sd_test_shown_window (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}
