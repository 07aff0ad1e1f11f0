/* sd-server.h — storedesk-server's HTTP front: routes over SdServerStore. */
#pragma once

#include "sd-server-blobs.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

#define SD_TYPE_SERVER (sd_server_get_type ())
G_DECLARE_FINAL_TYPE (SdServer, sd_server, SD, SERVER, GObject)


/* What every worker shares: the connection count, its cap and the
 * deadlines of connections (sd-server-http.c). */
typedef struct _SdServerGate SdServerGate;

typedef struct {
  guint               workers;          /* to reserve their descriptors */
  guint               max_connections;  /* 0: what the descriptors allow */
  guint               idle_timeout;     /* s; 0: 30 */
  guint               header_timeout;   /* s; 0: 10 */
  const char * const *trusted_proxies;  /* CIDRs whose X-Forwarded-For counts */
} SdServerGateOptions;

/* Raises the soft RLIMIT_NOFILE to the hard one and sizes the cap. */
SdServerGate *sd_server_gate_new                 (const SdServerGateOptions *options,
                                                  GError                   **error);
SdServerGate *sd_server_gate_ref                 (SdServerGate *gate);
void          sd_server_gate_unref               (SdServerGate *gate);
guint         sd_server_gate_get_max_connections (SdServerGate *gate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdServerGate, sd_server_gate_unref)

/* Options from the command line; NULL/0 take the documented defaults. */
typedef struct {
  guint        access_ttl;       /* default 600 s */
  guint        refresh_ttl;      /* default 21600 s */
  gboolean     no_rotate;        /* keep refresh tokens instead of rotating them */
  gint64       delivery_fee;     /* default 3000 KRW; < 0 means default */
  gsize        upload_limit;     /* default 1 MiB */
  const char * const *cors_origins;
  const char  *smtp_url;         /* smtp://host:port; NULL: DATA_DIR/outbox */
  const char  *mail_from;
  /* Base URLs clients reach the shop at (NULL-terminated, nullable): the
   * first is the canonical one; a request whose Host names another gets
   * that one. Without any: the address the server listens on. */
  const char * const *public_urls;
  gboolean     order_links;      /* an order may be read by its id alone (--order-links) */
  gboolean     no_extensions;    /* the original's routes (sd-server-original*.c): a test double */
  SdServerGate *gate;            /* shared by the workers; NULL: one of its own */
  SdServerBlobs *blobs;          /* shared by the workers; NULL: file:DATA_DIR/uploads */
} SdServerOptions;

SdServer *sd_server_new      (SdServerStore         *store,
                              const char            *data_dir,
                              const SdServerOptions *options);
/* Creates what must exist before requests run in parallel (secrets). */
void      sd_server_prepare  (SdServer    *self);
/* host: an IP literal; port 0 picks a free one. Several servers, one per
 * thread, may listen on the same port (SO_REUSEPORT). */
gboolean  sd_server_listen   (SdServer    *self,
                              const char  *host,
                              guint        port,
                              GError     **error);
/* "http://127.0.0.1:PORT" once listening. */
char     *sd_server_get_url  (SdServer    *self);
/* Stops accepting connections; calls done once the requests in flight
 * have been answered (or after a few seconds). */
void      sd_server_drain    (SdServer    *self,
                              GSourceFunc  done,
                              gpointer     user_data);
void      sd_server_shutdown (SdServer    *self);

G_END_DECLS
