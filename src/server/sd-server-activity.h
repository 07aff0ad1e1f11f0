/* sd-server-activity.h — [ext] "activity": the request's side of the
 * record (sd-server-activity.c), around every route. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

/* Before a route: a signed-in admin's changes are recorded as theirs,
 * with the request's X-Storedesk-Origin when it is one of ours. */
void sd_server_activity_begin_request (SdServerRequest *req);
/* After it: nobody's, until the next. */
void sd_server_activity_end_request   (SdServerRequest *req);

G_END_DECLS
