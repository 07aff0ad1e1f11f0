/* sd-server-http.h — the HTTP layer behind SdServerRequest (libmicrohttpd). */
#pragma once

#include "sd-server-request.h"
#include "sd-server.h"

G_BEGIN_DECLS

/* One worker's daemon. */
typedef struct _SdServerHttp SdServerHttp;

/* What the layer asks of the one it serves (sd-server.c), from its own
 * threads; it never calls the server by name. */
typedef struct {
  /* A new request, before the layer fills in what it received. */
  void  (*init)       (gpointer         data,
                       SdServerRequest *req);
  /* The largest body the route for method + path takes. */
  gsize (*body_limit) (gpointer         data,
                       const char      *method,
                       const char      *path);
  /* 411 (no length) or 413 (too large), closing the connection. */
  void  (*refuse)     (gpointer         data,
                       SdServerRequest *req,
                       guint            status);
  /* Routes a request whose headers and body are in; the reply is in req. */
  void  (*dispatch)   (gpointer         data,
                       SdServerRequest *req);
} SdServerHttpHandler;

/* One worker's daemon on a listening socket (which it takes), serving
 * handler (which must outlive it). */
SdServerHttp *sd_server_http_start     (const SdServerHttpHandler *handler,
                                        gpointer                   handler_data,
                                        SdServerGate              *gate,
                                        int                        listen_fd,
                                        GError                   **error);
/* No new connections; those open go on. */
void          sd_server_http_quiesce   (SdServerHttp *http);
/* Requests between their headers and their reply. */
guint         sd_server_http_in_flight (SdServerHttp *http);
/* Closes every connection and frees http. */
void          sd_server_http_stop      (SdServerHttp *http);

G_END_DECLS
