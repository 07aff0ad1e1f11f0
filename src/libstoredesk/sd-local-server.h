/* sd-local-server.h — a storedesk-server child process on loopback, for
 * --demo and for tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_LOCAL_SERVER (sd_local_server_get_type ())
G_DECLARE_FINAL_TYPE (SdLocalServer, sd_local_server, SD, LOCAL_SERVER, GObject)

/* program: path of storedesk-server; data_dir: its --data-dir. */
SdLocalServer *sd_local_server_new          (const char          *program,
                                             const char          *data_dir,
                                             gboolean             demo);
/* More command-line options for the server, such as "--delivery-fee=0". */
void           sd_local_server_set_arguments (SdLocalServer      *self,
                                              const char * const *arguments);
/* Silences the server's request log (on by default). */
void           sd_local_server_set_quiet    (SdLocalServer       *self,
                                             gboolean             quiet);
/* Starts it on 127.0.0.1 with a free port; finishes with its URL. */
void           sd_local_server_start_async  (SdLocalServer       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char          *sd_local_server_start_finish (SdLocalServer       *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* NULL until started, and again once the process has exited. */
const char    *sd_local_server_get_url      (SdLocalServer       *self);
/* TRUE from start until the process exits or is stopped; a server that
 * is not running may be started again. */
gboolean       sd_local_server_is_running   (SdLocalServer       *self);
/* Sends SIGTERM; the server finishes its requests and exits. Also done
 * when the object is disposed, and by the kernel if this process dies. */
void           sd_local_server_stop         (SdLocalServer       *self);
/* SIGKILL, as a power cut would: for recovery tests. stop_async then
 * waits for it as usual. */
void           sd_local_server_crash        (SdLocalServer       *self);
/* The same as stop, finishing once the process has exited (killed if it takes
 * more than 10 s), so its port and database are free for a new one. */
void           sd_local_server_stop_async   (SdLocalServer       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       sd_local_server_stop_finish  (SdLocalServer       *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
