/* sd-server-seed.h — the demo shop: catalog, images and accounts. */
#pragma once

#include "sd-server-blobs.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

#define SD_DEMO_ADMIN_EMAIL       "admin@example.com"
#define SD_DEMO_ADMIN_PASSWORD    "Admin1234!"
#define SD_DEMO_CUSTOMER_EMAIL    "customer@example.com"
#define SD_DEMO_CUSTOMER_PASSWORD "Customer1234!"

/* Seeds once: a second call on the same database does nothing. */
gboolean sd_server_seed_demo (SdServerStore  *store,
                              SdServerBlobs  *blobs,
                              GError        **error);

G_END_DECLS
