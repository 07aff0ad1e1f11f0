/* sd-local-server.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sd-api.h"
#include "sd-local-server.h"

#define START_TIMEOUT_SECONDS 20
#define STOP_TIMEOUT_SECONDS 10
#define LISTENING_PREFIX "listening on "

struct _SdLocalServer
{
  GObject      parent_instance;
  char        *program;
  char        *data_dir;
  gboolean     demo;
  gboolean     quiet;
  GStrv        arguments;
  GSubprocess *process;
  char        *url;
};

G_DEFINE_FINAL_TYPE (SdLocalServer, sd_local_server, G_TYPE_OBJECT)

static void
sd_local_server_dispose (GObject *object)
{
  SdLocalServer *self = SD_LOCAL_SERVER (object);

  sd_local_server_stop (self);
  G_OBJECT_CLASS (sd_local_server_parent_class)->dispose (object);
}

static void
sd_local_server_finalize (GObject *object)
{
  SdLocalServer *self = SD_LOCAL_SERVER (object);

  g_free (self->program);
  g_free (self->data_dir);
  g_free (self->url);
  g_strfreev (self->arguments);
  G_OBJECT_CLASS (sd_local_server_parent_class)->finalize (object);
}

static void
sd_local_server_class_init (SdLocalServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_local_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = sd_local_server_finalize;
}

static void
sd_local_server_init (SdLocalServer *self)
{
}

SdLocalServer *
sd_local_server_new (const char *program, const char *data_dir, gboolean demo)
{
  SdLocalServer *self = g_object_new (SD_TYPE_LOCAL_SERVER, NULL);

  self->program = g_strdup (program);
  self->data_dir = g_strdup (data_dir);
  self->demo = demo;
  return self;
}

void
sd_local_server_set_arguments (SdLocalServer *self, const char * const *arguments)
{
  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  g_strfreev (self->arguments);
  self->arguments = g_strdupv ((char **) arguments);
}

void
sd_local_server_set_quiet (SdLocalServer *self, gboolean quiet)
{
  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  self->quiet = quiet;
}

const char *
sd_local_server_get_url (SdLocalServer *self)
{
  g_return_val_if_fail (SD_IS_LOCAL_SERVER (self), NULL);
  return self->url;
}

/* In the child: die with the parent, so a crashed app leaves no server. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

typedef struct {
  GDataInputStream *lines;
  GCancellable     *cancellable;   /* cancelled by the timeout or the caller */
  guint             timeout_id;
  gulong            caller_handler;
  GCancellable     *caller;
} Start;

static void
start_free (Start *s)
{
  if (s->timeout_id)
    g_source_remove (s->timeout_id);
  if (s->caller_handler)
    g_cancellable_disconnect (s->caller, s->caller_handler);
  g_clear_object (&s->caller);
  g_clear_object (&s->lines);
  g_clear_object (&s->cancellable);
  g_free (s);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  Start *s = user_data;

  s->timeout_id = 0;
  g_cancellable_cancel (s->cancellable);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel (GCancellable *caller, gpointer ours)
{
  g_cancellable_cancel (ours);
}

static GError *
not_started (const char *why)
{
  g_debug ("local server did not start: %s", why);
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_OFFLINE,
                              _("The demo shop did not start. Run “storedesk-server --demo” "
                                "in a terminal to see why."));
}

/* The process is gone (stopped, killed or crashed): no URL any more. */
static void
exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdLocalServer) self = g_weak_ref_get (user_data);

  g_weak_ref_clear (user_data);
  g_free (user_data);
  if (self == NULL || self->process != G_SUBPROCESS (source))
    return;
  g_debug ("local server exited");
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}

static void
line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                      result, NULL, &error);

  if (line == NULL || !g_str_has_prefix (line, LISTENING_PREFIX))
    {
      sd_local_server_stop (self);
      if (g_task_return_error_if_cancelled (task))
        return;
      g_task_return_error (task, not_started (error ? error->message : line ? line : "no output"));
      return;
    }
  g_free (self->url);
  self->url = g_strdup (line + strlen (LISTENING_PREFIX));
  g_debug ("local server at %s", self->url);
  g_task_return_pointer (task, g_strdup (self->url), g_free);
}

void
sd_local_server_start_async (SdLocalServer *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Start *s;

  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  g_return_if_fail (self->process == NULL);

  g_clear_pointer (&self->url, g_free);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_local_server_start_async);

  g_ptr_array_add (argv, self->program);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, self->data_dir);
  if (self->demo)
    g_ptr_array_add (argv, (gpointer) "--demo");
  for (guint i = 0; self->arguments && self->arguments[i]; i++)
    g_ptr_array_add (argv, self->arguments[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (self->quiet ? G_SUBPROCESS_FLAGS_STDERR_SILENCE : 0));
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    {
      g_task_return_error (task, not_started (error->message));
      return;
    }

  {
    GWeakRef *weak = g_new0 (GWeakRef, 1);

    g_weak_ref_init (weak, self);
    g_subprocess_wait_async (self->process, NULL, exited_cb, weak);
  }

  s = g_new0 (Start, 1);
  s->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  s->cancellable = g_cancellable_new ();
  s->timeout_id = g_timeout_add_seconds (START_TIMEOUT_SECONDS, start_timeout_cb, s);
  if (cancellable)
    {
      s->caller = g_object_ref (cancellable);
      s->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                                                 s->cancellable, NULL);
    }
  g_task_set_task_data (task, s, (GDestroyNotify) start_free);
  g_data_input_stream_read_line_async (s->lines, G_PRIORITY_DEFAULT, s->cancellable,
                                       line_cb, g_steal_pointer (&task));
}

char *
sd_local_server_start_finish (SdLocalServer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_local_server_stop (SdLocalServer *self)
{
  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}

static gboolean
kill_late (gpointer process)
{
  g_message ("the local shop did not stop within %d s; killing it", STOP_TIMEOUT_SECONDS);
  g_subprocess_force_exit (process);
  return G_SOURCE_REMOVE;
}

static void
stop_exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *kill_source = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (kill_source, g_source_remove);
  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sd_local_server_stop_async (SdLocalServer *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GSubprocess) process = NULL;
  GTask *task;
  guint *kill_source;

  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_local_server_stop_async);
  if (self->process == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  process = g_object_ref (self->process);
  sd_local_server_stop (self);
  /* A server that does not finish in time is killed (its database is
   * safe either way: SQLite's journal). */
  kill_source = g_new0 (guint, 1);
  *kill_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, STOP_TIMEOUT_SECONDS, kill_late,
                                             g_object_ref (process), g_object_unref);
  g_task_set_task_data (task, kill_source, g_free);
  g_subprocess_wait_async (process, cancellable, stop_exited_cb, task);
}

gboolean
sd_local_server_stop_finish (SdLocalServer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_local_server_crash (SdLocalServer *self)
{
  g_return_if_fail (SD_IS_LOCAL_SERVER (self));
  if (self->process)
    g_subprocess_force_exit (self->process);
}

gboolean
sd_local_server_is_running (SdLocalServer *self)
{
  g_return_val_if_fail (SD_IS_LOCAL_SERVER (self), FALSE);
  return self->process != NULL;
}
