/* sd-server-mail.h — confirmation mail: SMTP (--smtp) or the outbox. */
#pragma once

#include "sd-server-context.h"

G_BEGIN_DECLS

/* Sends a message (in a worker thread), or drops it in DATA_DIR/outbox/. */
void sd_server_mail_send (SdServerContext *context,
                          const char      *to,
                          const char      *subject,
                          const char      *body);

G_END_DECLS
