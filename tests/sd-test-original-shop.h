/* sd-test-original-shop.h — what the test-server-original*.c programs
 * share: a `--no-extensions` shop with an admin and a product with
 * options, an order of it in the original's shape, an error's text. */
#pragma once

#include "sd-test-http.h"

G_BEGIN_DECLS

#define ADMIN_EMAIL "boss@example.com"
#define ADMIN_PASSWORD "Admin-pass1"

typedef struct {
  SdTestServer *server;
  char         *admin;      /* an admin's access token */
  JsonObject   *product;    /* one with an option set */
} Shop;

Shop *shop_new_with (const char * const *args);
Shop *shop_new (void);
void shop_free (Shop *shop);
char *order_body (Shop *shop, const char *status, const char *options);
const char *error_of (SdTestReply *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shop, shop_free)

G_END_DECLS
