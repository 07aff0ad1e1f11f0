/* sd-test-original.h — the original HoneyTouse backend, where
 * `storedesk-server --no-extensions` does not reproduce it yet.
 *
 * A small HTTP front in its own thread: it answers the routes listed in
 * sd-test-original.c itself, exactly as the original's source does
 * (github.com/HoneyTouse/HoneyTouse_BE at a66b00e; each route cites its
 * file:line), and forwards everything else to the server it wraps. Once
 * --no-extensions is faithful for a route, that route moves out of here
 * (the comment at each says which). */
#pragma once

#include "sd-test-util.h"

G_BEGIN_DECLS

/* The mode a parameterised test case runs in. */
typedef enum {
  SD_TEST_OURS,       /* storedesk-server */
  SD_TEST_ORIGINAL,   /* storedesk-server --no-extensions behind the front */
} SdTestMode;

/* Starts storedesk-server (demo data) in mode; for SD_TEST_ORIGINAL with
 * --no-extensions and the front before it: server->url is then the
 * front's, and the front stops when the server is freed. */
SdTestServer *sd_test_server_start_mode (SdTestMode mode);

/* The path of a test case in mode: "/checkout/guest" or
 * "/checkout/guest/original". */
char         *sd_test_mode_path         (const char *path,
                                         SdTestMode  mode);

/* How many orders the original's front holds (its own store). */
guint         sd_test_original_n_orders (SdTestServer *server);

G_END_DECLS
