/* sd-server-order-link.c — [ext] --order-links, the one rule of both
 * modes (see sd-server-order-link.h). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-order-link.h"

/* [ext] --order-links: an order whose id is 96 random bits
 * (sd_server_store_new_id), never one from before such ids. */
gboolean
sd_server_order_link_readable (SdServerRequest *req, const SdServerOrderOwner *owner)
{
  return owner->random_id && sd_request_config (req)->order_links;
}

/* A link shows the order, not where it goes: the receiver (name, phone,
 * address) only to its owner, its key or staff. And no copy of it in
 * caches, nor its address in a Referer. */
void
sd_server_order_link_reply (SdServerRequest *req, JsonNode *order)
{
  if (order)
    json_object_set_null_member (json_node_get_object (order), "receiver");
  sd_reply_set_header (req, "Cache-Control", "no-store");
  sd_reply_set_header (req, "Referrer-Policy", "no-referrer");
}
