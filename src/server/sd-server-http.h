/* sd-server-http.h — the HTTP layer behind SdServerRequest (libmicrohttpd). */
#pragma once

#include "sd-server-routes.h"

G_BEGIN_DECLS

/* One worker's daemon on a listening socket (which it takes). */
typedef struct _SdServerHttp SdServerHttp;

SdServerHttp *sd_server_http_start     (SdServer     *server,
                                        SdServerGate *gate,
                                        int           listen_fd,
                                        GError      **error);
/* No new connections; those open go on. */
void          sd_server_http_quiesce   (SdServerHttp *http);
/* Requests between their headers and their reply. */
guint         sd_server_http_in_flight (SdServerHttp *http);
/* Closes every connection and frees http. */
void          sd_server_http_stop      (SdServerHttp *http);

/* ---- what the HTTP layer calls on the server (sd-server.c) ------------ */

void  sd_server_request_init  (SdServerRequest *req,
                               SdServer        *server);
/* The largest body the route for method + path takes. */
gsize sd_server_body_limit    (SdServer        *self,
                               const char      *method,
                               const char      *path);
/* 411 (no length) or 413 (too large), closing the connection. */
void  sd_server_refuse_body   (SdServer        *self,
                               SdServerRequest *req,
                               guint            status);
/* Routes a request whose headers and body are in; the reply is in req. */
void  sd_server_dispatch      (SdServer        *self,
                               SdServerRequest *req);

G_END_DECLS
