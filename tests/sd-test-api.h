/* sd-test-api.h — what the server API tests (test-server-api*.c,
 * test-server-orders.c) share: the demo shop's accounts, a product, an
 * order, a refresh, a reset's body. */
#pragma once

#include "sd-test-http.h"

G_BEGIN_DECLS

#define ADMIN_EMAIL "admin@example.com"
#define ADMIN_PASSWORD "Admin1234!"
#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"
#define RECEIVER "{\"name\":\"김하늘\",\"phoneNumber\":\"010-1234-5678\",\"address\":\"부산시 해운대구 1\",\"addressDetail\":\"101호\"}"
#define PAID "결제 완료"
#define PREPARING "배송 준비"

#define png_bytes sd_test_png_bytes

char *admin_token (SdTestServer *s);
char *customer_token (SdTestServer *s);
char *new_product (SdTestServer *s, const char *admin, gint64 price, const char *stock);
char *order_json (const char *product, gint64 count, gint64 price, const char *status, gboolean receiver);
char *place_order (SdTestServer *s, const char *token, const char *product, gint64 price, char **out_key);
gint64 product_stock (SdTestServer *s, const char *id);
char *refresh (SdTestServer *s, const char *cookie, guint expected, char **out_cookie);
char *code_body (const char *email, const char *code);

G_END_DECLS
