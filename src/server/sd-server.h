/* sd-server.h — storedesk-server's HTTP front: routes over SdServerDb. */
#pragma once

#include "sd-server-db.h"

G_BEGIN_DECLS

#define SD_TYPE_SERVER (sd_server_get_type ())
G_DECLARE_FINAL_TYPE (SdServer, sd_server, SD, SERVER, GObject)

SdServer *sd_server_new      (SdServerDb  *db,
                              const char  *data_dir);
/* host: an IP literal; port 0 picks a free one. */
gboolean  sd_server_listen   (SdServer    *self,
                              const char  *host,
                              guint        port,
                              GError     **error);
/* "http://127.0.0.1:PORT" once listening. */
char     *sd_server_get_url  (SdServer    *self);
void      sd_server_shutdown (SdServer    *self);

G_END_DECLS
