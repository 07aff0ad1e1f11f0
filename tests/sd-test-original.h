/* sd-test-original.h — running a test case against either server: ours,
 * or `storedesk-server --no-extensions`, the stand-in for the original
 * HoneyTouse backend (github.com/HoneyTouse/HoneyTouse_BE at a66b00e),
 * faithful on the wire but for the kept fixes (shared/API.md).
 *
 * The original mode runs with --order-links too. On the original, GET
 * /orders/:id is open to anyone (router/orderRouter.js:13), and a client
 * of it finds a guest order again by its id alone (there is no access
 * key there): that is how the app reads back the guest orders it keeps.
 * --no-extensions keeps the kept fix (only the owner, the key or an
 * admin); --order-links is the original's own behaviour made safe (ids
 * that cannot be guessed, no receiver, writes still the owner's). */
#pragma once

#include "sd-test-util.h"

G_BEGIN_DECLS

/* The mode a parameterised test case runs in. */
typedef enum {
  SD_TEST_OURS,       /* storedesk-server */
  SD_TEST_ORIGINAL,   /* storedesk-server --no-extensions --order-links */
} SdTestMode;

/* Starts storedesk-server (demo data) in mode. */
SdTestServer *sd_test_server_start_mode (SdTestMode mode);
/* The same, with more command-line options (NULL-terminated). */
SdTestServer *sd_test_server_start_mode_with (SdTestMode          mode,
                                              const char * const *arguments);

/* The path of a test case in mode: "/checkout/guest" or
 * "/checkout/guest/original". */
char         *sd_test_mode_path         (const char *path,
                                         SdTestMode  mode);

/* How many orders the shop holds, asked as its (demo) staff: ours counts
 * them (X-Total-Count); the original lists them all, and none is a 404. */
guint         sd_test_order_count       (SdTestServer *server,
                                         SdTestMode    mode);

G_END_DECLS
