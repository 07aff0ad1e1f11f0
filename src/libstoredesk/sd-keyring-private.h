/* sd-keyring-private.h — what libstoredesk keeps in the Secret Service,
 * besides the session (sd-session.c): guests' order keys. */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* A guest's access key, under attributes shop (the base URL) and order
 * (the order's id), so the guest can find the order again. */
const SecretSchema *sd_guest_order_schema (void);

G_END_DECLS
