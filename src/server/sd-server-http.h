/* sd-server-http.h — the HTTP layer behind SdServerRequest (libmicrohttpd). */
#pragma once

#include "sd-server-private.h"

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

G_END_DECLS
