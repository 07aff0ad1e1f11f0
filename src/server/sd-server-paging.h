/* sd-server-paging.h — [ext] paged lists, for any route that lists. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

/* ?page= and ?limit=: the rows to skip and take; *out_paged when either
 * was given (else every row, up to SD_UNPAGED_MAX). FALSE with a 400
 * sent when one is not a whole number in range. */
gboolean sd_server_parse_paging       (SdServerRequest *req,
                                       guint           *out_offset,
                                       guint           *out_limit,
                                       gboolean        *out_paged);
/* X-Total-Count, and when paged, Link with the next and previous pages. */
void     sd_server_set_paging_headers (SdServerRequest *req,
                                       gint64           total,
                                       guint            offset,
                                       guint            limit,
                                       gboolean         paged);

G_END_DECLS
