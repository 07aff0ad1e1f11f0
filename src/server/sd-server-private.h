/* sd-server-private.h — what sd-server-original*.c include: the route
 * and helper headers they use. Our own files include the small headers
 * they need. */
#pragma once

#include "sd-server-guard.h"
#include "sd-server-order-link.h"
#include "sd-server-routes.h"
#include "sd-server-session.h"
#include "sd-server-tokens.h"

G_BEGIN_DECLS

G_END_DECLS
