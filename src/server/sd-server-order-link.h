/* sd-server-order-link.h — [ext] --order-links: an order read by its id
 * alone, as the original web front end reads orders. Both modes' order
 * routes ask the same question and answer the same way. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

/* May anyone who has this order's id read it? */
gboolean sd_server_order_link_readable (SdServerRequest          *req,
                                        const SdServerOrderOwner *owner);
/* What such a read answers: the receiver hidden, no cache, no Referer. */
void     sd_server_order_link_reply    (SdServerRequest          *req,
                                        JsonNode                 *order);

G_END_DECLS
