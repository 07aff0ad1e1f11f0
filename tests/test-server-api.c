/* test-server-api.c — storedesk-server's accounts, admin catalog, orders
 * and uploads, over real HTTP against a started server (fresh data dir
 * each): success shapes, failure codes, the authorization matrices,
 * token lifetimes, races, hostile input. */
#include <crypt.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"

#define ADMIN_EMAIL "admin@example.com"
#define ADMIN_PASSWORD "Admin1234!"
#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"
#define RECEIVER "{\"name\":\"김하늘\",\"phoneNumber\":\"010-1234-5678\",\"address\":\"부산시 해운대구 1\",\"addressDetail\":\"101호\"}"
#define PAID "결제 완료"
#define PREPARING "배송 준비"

#define png_bytes sd_test_png_bytes

/* ---- helpers -------------------------------------------------------- */

static char *
admin_token (SdTestServer *s)
{
  return sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
}

static char *
customer_token (SdTestServer *s)
{
  return sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
}

/* Creates a product (admin) and returns its id. */
static char *
new_product (SdTestServer *s, const char *admin, gint64 price, const char *stock)
{
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (cats, 200));
  const char *cat = json_object_get_string_member (json_array_get_object_element (list, 0), "_id");
  g_autofree char *body = g_strdup_printf ("{\"name\":\"테스트 상품\",\"categoryId\":\"%s\",\"brand\":\"꿀단집\","
                                           "\"price\":%" G_GINT64_FORMAT ",\"image\":\"\",\"description\":\"설명\","
                                           "\"stock\":%s}", cat, price, stock);
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/admin/products", admin, body, NULL);

  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 201), "_id"));
}

static char *
order_json (const char *product, gint64 count, gint64 price, const char *status, gboolean receiver)
{
  gint64 item = count * price;
  return g_strdup_printf ("{\"status\":\"%s\",\"product\":[{\"id\":\"%s\",\"name\":\"x\",\"count\":%" G_GINT64_FORMAT
                          ",\"image\":\"\"}],\"memo\":\"문 앞에 놓아 주세요\",\"payment\":{\"ttlPriceItem\":%"
                          G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "}%s%s}",
                          status ? status : "입금 대기", product, count, item, item + 3000,
                          receiver ? ",\"receiver\":" : "", receiver ? RECEIVER : "");
}

/* Places an order; returns its id, and the guest key when a guest. */
static char *
place_order (SdTestServer *s, const char *token, const char *product, gint64 price, char **out_key)
{
  g_autofree char *body = order_json (product, 1, price, NULL, TRUE);
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/orders", token, body, NULL);
  JsonObject *o = sd_test_data_object (r, 201);

  if (out_key)
    *out_key = g_strdup (json_object_get_string_member (o, "accessKey"));
  return g_strdup (json_object_get_string_member (o, "_id"));
}

static gint64
product_stock (SdTestServer *s, const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  return json_object_get_int_member (sd_test_data_object (r, 200), "stock");
}

/* ---- accounts ------------------------------------------------------- */

static void
test_sign_up (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  const char *email = "new.user@example.com";
  const char *good = "{\"name\":\"이몽룡\",\"phoneNumber\":\"010-9999-8888\",\"email\":\"New.User@Example.com\","
                     "\"password\":\"Passw0rd!\",\"address\":\"서울\",\"addressDetail\":\"\"}";
  static const char * const bad_fields[] = {
    "{\"name\":\"이\",\"phoneNumber\":\"01099998888\",\"email\":\"new.user@example.com\",\"password\":\"Passw0rd!\",\"address\":\"서울\"}",
    "{\"name\":\"이몽룡\",\"phoneNumber\":\"02-999-8888\",\"email\":\"new.user@example.com\",\"password\":\"Passw0rd!\",\"address\":\"서울\"}",
    "{\"name\":\"이몽룡\",\"phoneNumber\":\"01099998888\",\"email\":\"new.user@\",\"password\":\"Passw0rd!\",\"address\":\"서울\"}",
    "{\"name\":\"이몽룡\",\"phoneNumber\":\"01099998888\",\"email\":\"new.user@example.com\",\"password\":\"short\",\"address\":\"서울\"}",
    "{\"name\":\"이몽룡\",\"phoneNumber\":\"01099998888\",\"email\":\"new.user@example.com\",\"password\":\"Passw0rd!\",\"address\":\"\"}",
    "{\"name\":42,\"phoneNumber\":\"01099998888\",\"email\":\"new.user@example.com\",\"password\":\"Passw0rd!\",\"address\":\"서울\"}",
  };
  g_autoptr(SdTestReply) early = sd_test_http (s, "POST", "/api/v1/auth/sign-up", NULL, good, NULL);
  g_autoptr(SdTestReply) sent = NULL;
  g_autoptr(SdTestReply) wrong = NULL;
  g_autoptr(SdTestReply) right = NULL;
  g_autoptr(SdTestReply) created = NULL;
  g_autoptr(SdTestReply) again = NULL;
  g_autoptr(SdTestReply) dup = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong_body = NULL;
  g_autofree char *right_body = NULL;
  JsonObject *user;

  /* [fix] no sign-up before the address is confirmed */
  sd_test_assert_error (early, 403);

  sent = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL,
                       "{\"email\":\"new.user@example.com\"}", NULL);
  g_assert_cmpint (json_object_get_int_member (sd_test_data_object (sent, 200), "expiresIn"), ==, 300);
  code = sd_test_read_code (s, email);
  /* [fix] the code travels by mail only */
  g_assert_null (g_strstr_len (g_bytes_get_data (sent->body, NULL), g_bytes_get_size (sent->body), code));

  wrong_body = g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%06d\"}", email, (atoi (code) + 1) % 1000000);
  wrong = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, wrong_body, NULL);
  sd_test_assert_error (wrong, 400);
  right_body = g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%s\"}", email, code);
  right = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, right_body, NULL);
  sd_test_data (right, 200);

  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/auth/sign-up", NULL, bad_fields[i], NULL);
      g_test_message ("bad field %u", i);
      sd_test_assert_error (r, 400);
    }

  created = sd_test_http (s, "POST", "/api/v1/auth/sign-up", NULL, good, NULL);
  user = sd_test_data_object (created, 201);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, email);   /* lower-cased */
  g_assert_cmpstr (json_object_get_string_member (user, "phoneNumber"), ==, "01099998888");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "user");
  g_assert_false (json_object_has_member (user, "password"));
  g_assert_null (strstr (g_bytes_get_data (created->body, NULL), "$y$"));

  /* the same address again, even confirmed again: 409 */
  again = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL,
                        "{\"email\":\"new.user@example.com\"}", NULL);
  g_free (code);
  code = sd_test_read_code (s, email);
  g_free (right_body);
  right_body = g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%s\"}", email, code);
  g_clear_pointer (&right, sd_test_reply_free);
  right = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, right_body, NULL);
  sd_test_data (right, 200);
  dup = sd_test_http (s, "POST", "/api/v1/auth/sign-up", NULL, good, NULL);
  sd_test_assert_error (dup, 409);
}

static void
test_code_burns (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  g_autoptr(SdTestReply) sent = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL,
                                              "{\"email\":\"a@example.com\"}", NULL);
  g_autofree char *code = sd_test_read_code (s, "a@example.com");
  g_autofree char *right = g_strdup_printf ("{\"email\":\"a@example.com\",\"inputNumber\":\"%s\"}", code);
  g_autofree char *wrong = g_strdup_printf ("{\"email\":\"a@example.com\",\"inputNumber\":\"%06d\"}",
                                            (atoi (code) + 7) % 1000000);
  g_autoptr(SdTestReply) late = NULL;

  sd_test_data (sent, 200);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, wrong, NULL);
      sd_test_assert_error (r, 400);
    }
  late = sd_test_http (s, "POST", "/api/v1/auth/confirm-email", NULL, right, NULL);
  sd_test_assert_error (late, 400);
}

static void
test_sign_in_and_throttle (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) unknown = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL,
                                                 "{\"email\":\"nobody@example.com\",\"password\":\"Whatever1!\"}", NULL);
  g_autoptr(SdTestReply) wrong = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL,
                                               "{\"email\":\"customer@example.com\",\"password\":\"Wrong1234!\"}", NULL);
  g_autoptr(SdTestReply) throttled = NULL;
  g_autoptr(SdTestReply) missing = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL, "{}", NULL);
  g_autofree char *other = NULL;
  const char *a, *b;

  sd_test_assert_error (unknown, 401);
  sd_test_assert_error (wrong, 401);
  sd_test_assert_error (missing, 400);
  /* never say which of the two was wrong */
  a = json_object_get_string_member (json_node_get_object (unknown->root), "error");
  b = json_object_get_string_member (json_node_get_object (wrong->root), "error");
  g_assert_cmpstr (a, ==, b);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL,
                                               "{\"email\":\"CUSTOMER@example.com\",\"password\":\"Wrong1234!\"}", NULL);
      sd_test_assert_error (r, 401);
    }
  /* [fix] the sixth try is refused even with the right password */
  throttled = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL,
                            "{\"email\":\"customer@example.com\",\"password\":\"Customer1234!\"}", NULL);
  sd_test_assert_error (throttled, 429);
  g_assert_nonnull (soup_message_headers_get_one (throttled->headers, "Retry-After"));
  /* another address is not affected */
  other = admin_token (s);
  g_assert_nonnull (other);
}

static void
test_me (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *token = customer_token (s);
  g_autoptr(SdTestReply) anon = sd_test_http (s, "GET", "/api/v1/auth/me", NULL, NULL, NULL);
  g_autoptr(SdTestReply) junk = sd_test_http (s, "GET", "/api/v1/auth/me", "not.a.token", NULL, NULL);
  g_autoptr(SdTestReply) me = sd_test_http (s, "GET", "/api/v1/auth/me", token, NULL, NULL);
  g_autoptr(SdTestReply) patched = NULL;
  g_autoptr(SdTestReply) steal = NULL;
  g_autoptr(SdTestReply) bad_phone = NULL;
  g_autoptr(SdTestReply) new_password = NULL;
  g_autofree char *again = NULL;
  JsonObject *o;

  sd_test_assert_error (anon, 401);
  sd_test_assert_error (junk, 401);
  o = sd_test_data_object (me, 200);
  g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, CUSTOMER_EMAIL);
  g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "user");
  g_assert_true (json_object_has_member (o, "profileImage"));
  g_assert_true (json_object_has_member (o, "addressDetail"));

  patched = sd_test_http (s, "PATCH", "/api/v1/auth/me", token,
                          "{\"email\":\"customer@example.com\",\"address\":\"대구시 중구 2\",\"addressDetail\":\"3층\"}", NULL);
  o = sd_test_data_object (patched, 200);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "대구시 중구 2");
  /* [fix] the body's email does not pick the account, and cannot change it */
  steal = sd_test_http (s, "PATCH", "/api/v1/auth/me", token,
                        "{\"email\":\"admin@example.com\",\"address\":\"x\"}", NULL);
  sd_test_assert_error (steal, 400);
  bad_phone = sd_test_http (s, "PATCH", "/api/v1/auth/me", token, "{\"phoneNumber\":\"12\"}", NULL);
  sd_test_assert_error (bad_phone, 400);
  new_password = sd_test_http (s, "PATCH", "/api/v1/auth/me", token, "{\"password\":\"NewPass12!\"}", NULL);
  sd_test_data (new_password, 200);
  again = sd_test_sign_in (s, CUSTOMER_EMAIL, "NewPass12!", NULL);
  g_assert_nonnull (again);
}

static char *
refresh (SdTestServer *s, const char *cookie, guint expected, char **out_cookie)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/auth/refresh-access-token", "expired.or.not", NULL,
                                           "Cookie", cookie, NULL);
  if (expected != 200)
    {
      sd_test_assert_error (r, expected);
      return NULL;
    }
  if (out_cookie)
    {
      const char *set = soup_message_headers_get_list (r->headers, "Set-Cookie");
      const char *start = set ? strstr (set, "refreshToken=") : NULL;
      g_assert_nonnull (start);
      *out_cookie = g_strndup (start, strcspn (start, ";"));
    }
  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 200), "accessToken"));
}

static void
test_token_lifetimes (void)
{
  /* Tokens carry whole seconds (exp = iat + ttl, iat truncated), so a
   * token lives between ttl - 1 and ttl seconds: a 1-second token can be
   * dead before the next request. 3 and 6 leave every step of this test
   * a margin of at least 1.9 s on each side. */
  const char *args[] = { "--access-ttl=3", "--refresh-ttl=6", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start_with (TRUE, args);
  g_autofree char *cookie = NULL;
  g_autofree char *cookie2 = NULL;
  g_autofree char *token = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &cookie);
  g_autofree char *fresh = NULL;
  g_autoptr(SdTestReply) ok = sd_test_http (s, "GET", "/api/v1/auth/me", token, NULL, NULL);
  g_autoptr(SdTestReply) expired = NULL;
  g_autoptr(SdTestReply) renewed = NULL;

  sd_test_data (ok, 200);
  g_usleep (3100 * 1000);
  expired = sd_test_http (s, "GET", "/api/v1/auth/me", token, NULL, NULL);
  sd_test_assert_error (expired, 401);

  fresh = refresh (s, cookie, 200, &cookie2);
  renewed = sd_test_http (s, "GET", "/api/v1/auth/me", fresh, NULL, NULL);
  sd_test_data (renewed, 200);
  /* [ext] rotation: within the grace window the spent refresh token gets
   * the very token that replaced it (parallel refreshes, two tabs) */
  {
    g_autofree char *again_cookie = NULL;
    g_autofree char *again = refresh (s, cookie, 200, &again_cookie);

    g_assert_cmpstr (again_cookie, ==, cookie2);
  }

  g_usleep (6100 * 1000);
  refresh (s, cookie2, 401, NULL);
}

static void
test_forged_tokens (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *token = customer_token (s);
  g_auto(GStrv) parts = g_strsplit (token, ".", 3);
  /* alg "none", and a payload claiming another id under the old signature */
  g_autofree char *none = g_strdup_printf ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%s.", parts[1]);
  g_autofree char *swapped = g_strdup_printf ("%s.%s.%sA", parts[0], parts[1], parts[2]);
  g_autoptr(SdTestReply) r1 = sd_test_http (s, "GET", "/api/v1/auth/me", none, NULL, NULL);
  g_autoptr(SdTestReply) r2 = sd_test_http (s, "GET", "/api/v1/auth/me", swapped, NULL, NULL);

  sd_test_assert_error (r1, 401);
  sd_test_assert_error (r2, 401);
}

static void
test_passwords (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *token = customer_token (s);
  g_autoptr(SdTestReply) other = sd_test_http (s, "POST", "/api/v1/auth/change-password", token,
    "{\"email\":\"admin@example.com\",\"newPassword\":\"Hacked123!\",\"newPasswordConfirm\":\"Hacked123!\"}", NULL);
  g_autoptr(SdTestReply) mismatch = sd_test_http (s, "POST", "/api/v1/auth/change-password", token,
    "{\"email\":\"customer@example.com\",\"newPassword\":\"Changed12!\",\"newPasswordConfirm\":\"Changed13!\"}", NULL);
  g_autoptr(SdTestReply) changed = sd_test_http (s, "POST", "/api/v1/auth/change-password", token,
    "{\"email\":\"customer@example.com\",\"newPassword\":\"Changed12!\",\"newPasswordConfirm\":\"Changed12!\"}", NULL);
  g_autoptr(SdTestReply) anon = sd_test_http (s, "POST", "/api/v1/auth/change-password", NULL,
    "{\"newPassword\":\"Changed12!\",\"newPasswordConfirm\":\"Changed12!\"}", NULL);
  g_autoptr(SdTestReply) sent = NULL;
  g_autoptr(SdTestReply) bad_code = NULL;
  g_autoptr(SdTestReply) reset = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = NULL;

  sd_test_assert_error (other, 403);
  sd_test_assert_error (mismatch, 400);
  sd_test_data (changed, 201);
  sd_test_assert_error (anon, 401);
  t2 = sd_test_sign_in (s, CUSTOMER_EMAIL, "Changed12!", NULL);

  /* [ext] forgotten password, by a mailed code */
  sent = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL, "{\"email\":\"customer@example.com\"}", NULL);
  sd_test_data (sent, 200);
  code = sd_test_read_code (s, CUSTOMER_EMAIL);
  bad_code = sd_test_http (s, "POST", "/api/v1/auth/reset-password", NULL,
    "{\"email\":\"customer@example.com\",\"inputNumber\":\"abcdef\",\"newPassword\":\"Reset1234!\",\"newPasswordConfirm\":\"Reset1234!\"}", NULL);
  sd_test_assert_error (bad_code, 400);
  body = g_strdup_printf ("{\"email\":\"customer@example.com\",\"inputNumber\":\"%s\",\"newPassword\":\"Reset1234!\","
                          "\"newPasswordConfirm\":\"Reset1234!\"}", code);
  reset = sd_test_http (s, "POST", "/api/v1/auth/reset-password", NULL, body, NULL);
  sd_test_data (reset, 201);
  t3 = sd_test_sign_in (s, CUSTOMER_EMAIL, "Reset1234!", NULL);
  g_assert_nonnull (t3);
}

static void
test_sign_out_and_withdraw (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *cookie = NULL;
  g_autofree char *token = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &cookie);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "null");
  g_autofree char *order = place_order (s, token, product, 5000, NULL);
  g_autofree char *order_path = g_strconcat ("/api/v1/orders/", order, NULL);
  g_autoptr(SdTestReply) out = sd_test_http (s, "POST", "/api/v1/auth/sign-out", NULL, NULL, "Cookie", cookie, NULL);
  g_autoptr(SdTestReply) gone = NULL;
  g_autoptr(SdTestReply) after = NULL;
  g_autoptr(SdTestReply) kept = NULL;
  g_autofree char *token2 = NULL;

  sd_test_data (out, 200);
  g_assert_nonnull (strstr (soup_message_headers_get_list (out->headers, "Set-Cookie"), "Max-Age=0"));
  refresh (s, cookie, 401, NULL);

  token2 = customer_token (s);
  gone = sd_test_http (s, "POST", "/api/v1/auth/withdraw", token2, NULL, NULL);
  sd_test_data (gone, 200);
  after = sd_test_http (s, "GET", "/api/v1/auth/me", token2, NULL, NULL);
  sd_test_assert_error (after, 401);
  /* orders keep their data */
  kept = sd_test_http (s, "GET", order_path, admin, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sd_test_data_object (kept, 200), "product")), ==, 1);
}

/* ---- finding 2: codes and sign-in cannot be brute-forced ------------- */

/* A server that believes X-Forwarded-For from loopback, so that one test
 * client can speak from many addresses. */
static SdTestServer *
start_behind_proxy (gboolean demo)
{
  const char *args[] = { "--trusted-proxy", "127.0.0.1/32", NULL };
  return sd_test_server_start_with (demo, args);
}

static SdTestReply *
post_from (SdTestServer *s, const char *address, const char *path, const char *json)
{
  return sd_test_http (s, "POST", path, NULL, json, "X-Forwarded-For", address, NULL);
}

static SdTestReply *
send_code_from (SdTestServer *s, const char *address, const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\"}", email);
  return post_from (s, address, "/api/v1/auth/send-confirmation-email", body);
}

/* 429 with a Retry-After of whole seconds. */
static void
assert_too_many (SdTestReply *r)
{
  const char *after;

  sd_test_assert_error (r, 429);
  after = soup_message_headers_get_one (r->headers, "Retry-After");
  g_assert_nonnull (after);
  g_assert_cmpint (atoi (after), >, 0);
  g_assert_cmpuint (strspn (after, "0123456789"), ==, strlen (after));
}

static void
test_code_send_limits (void)
{
  g_autoptr(SdTestServer) s = start_behind_proxy (FALSE);
  g_autoptr(SdTestReply) sixth = NULL;
  g_autoptr(SdTestReply) elsewhere = NULL;
  g_autoptr(SdTestReply) twenty_first = NULL;
  g_autoptr(SdTestReply) other_address = NULL;

  /* five codes for one address, then the mail bomb stops */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *from = g_strdup_printf ("198.51.100.%u", i + 1);
      g_autoptr(SdTestReply) r = send_code_from (s, from, "victim@example.com");
      sd_test_data (r, 200);
    }
  sixth = send_code_from (s, "198.51.100.1", "victim@example.com");
  assert_too_many (sixth);
  /* … from any client */
  elsewhere = send_code_from (s, "203.0.113.99", "victim@example.com");
  assert_too_many (elsewhere);

  /* twenty from one client address, whatever the emails */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("spray%u@example.com", i);
      g_autoptr(SdTestReply) r = send_code_from (s, "203.0.113.7", email);
      sd_test_data (r, 200);
    }
  twenty_first = send_code_from (s, "203.0.113.7", "spray-last@example.com");
  assert_too_many (twenty_first);
  g_assert_null (sd_test_find_code (s, "spray-last@example.com"));
  /* that address only */
  other_address = send_code_from (s, "203.0.113.8", "spray-last@example.com");
  sd_test_data (other_address, 200);
}

static char *
code_body (const char *email, const char *code)
{
  return g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%s\",\"newPassword\":\"Reset1234!\","
                          "\"newPasswordConfirm\":\"Reset1234!\"}", email, code);
}

/* A code that is not the one mailed. */
static char *
wrong_code (const char *code, guint n)
{
  return g_strdup_printf ("%06d", (atoi (code) + 1 + (int) n) % 1000000);
}

static void
test_code_guess_limits (void)
{
  g_autoptr(SdTestServer) s = start_behind_proxy (TRUE);
  g_autoptr(SdTestReply) sent = send_code_from (s, "198.51.100.1", "burn@example.com");
  g_autofree char *code = sd_test_read_code (s, "burn@example.com");
  g_autofree char *right = code_body ("burn@example.com", code);
  g_autoptr(SdTestReply) burnt = NULL;
  g_autoptr(SdTestReply) capped = NULL;
  g_autoptr(SdTestReply) capped_confirm = NULL;
  g_autoptr(SdTestReply) still_out = NULL;

  /* five wrong tries burn a code: the right one fails after, from anywhere */
  sd_test_data (sent, 200);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *guess = wrong_code (code, i);
      g_autofree char *body = code_body ("burn@example.com", guess);
      g_autofree char *from = g_strdup_printf ("192.0.2.%u", i + 1);
      g_autoptr(SdTestReply) r = post_from (s, from, "/api/v1/auth/confirm-email", body);
      sd_test_assert_error (r, 400);
    }
  burnt = post_from (s, "198.51.100.200", "/api/v1/auth/confirm-email", right);
  sd_test_assert_error (burnt, 400);

  /* wrong tries add up across fresh codes, across both routes and across
   * addresses: ten an hour per email, then 429 even for the right code */
  for (guint round = 0, tried = 0; tried < 10; round++)
    {
      g_autofree char *from = g_strdup_printf ("203.0.113.%u", round + 1);
      g_autoptr(SdTestReply) r = send_code_from (s, from, CUSTOMER_EMAIL);

      sd_test_data (r, 200);
      g_free (code);
      code = sd_test_read_code (s, CUSTOMER_EMAIL);
      for (guint i = 0; i < 4 && tried < 10; i++, tried++)
        {
          g_autofree char *guess = wrong_code (code, i);
          g_autofree char *body = code_body (CUSTOMER_EMAIL, guess);
          g_autoptr(SdTestReply) miss = post_from (s, from, i % 2 ? "/api/v1/auth/confirm-email"
                                                                  : "/api/v1/auth/reset-password", body);
          sd_test_assert_error (miss, 400);
        }
    }
  g_free (right);
  right = code_body (CUSTOMER_EMAIL, code);
  capped = post_from (s, "192.0.2.77", "/api/v1/auth/reset-password", right);
  assert_too_many (capped);
  capped_confirm = post_from (s, "192.0.2.78", "/api/v1/auth/confirm-email", right);
  assert_too_many (capped_confirm);
  /* the password did not change */
  still_out = post_from (s, "192.0.2.79", "/api/v1/auth/sign-in",
                         "{\"email\":\"" CUSTOMER_EMAIL "\",\"password\":\"Reset1234!\"}");
  sd_test_assert_error (still_out, 401);
}

static SdTestReply *
sign_in_from (SdTestServer *s, const char *address, const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"" CUSTOMER_EMAIL "\",\"password\":\"%s\"}", password);
  return post_from (s, address, "/api/v1/auth/sign-in", body);
}

static void
test_sign_in_no_lockout (void)
{
  g_autoptr(SdTestServer) s = start_behind_proxy (TRUE);
  g_autoptr(SdTestReply) blocked = NULL;
  g_autoptr(SdTestReply) blocked_right = NULL;
  g_autoptr(SdTestReply) first = NULL;
  g_autoptr(SdTestReply) backoff = NULL;
  g_autoptr(SdTestReply) real_user = NULL;
  g_autoptr(SdTestReply) real_user_again = NULL;

  /* an attacker guesses from one address: 5 wrong, then that pair waits */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SdTestReply) r = sign_in_from (s, "198.51.100.1", "Guess1234!");
      sd_test_assert_error (r, 401);
    }
  blocked = sign_in_from (s, "198.51.100.1", "Guess1234!");
  assert_too_many (blocked);
  blocked_right = sign_in_from (s, "198.51.100.1", CUSTOMER_PASSWORD);
  assert_too_many (blocked_right);

  /* … then from many: every address gets its first guess checked, after
   * which the email's backoff holds the rest */
  for (guint i = 2; i <= 30; i++)
    {
      g_autofree char *from = g_strdup_printf ("198.51.100.%u", i);
      g_autoptr(SdTestReply) r = sign_in_from (s, from, "Guess1234!");
      sd_test_assert_error (r, 401);
    }
  first = sign_in_from (s, "203.0.113.5", "Guess1234!");
  sd_test_assert_error (first, 401);
  backoff = sign_in_from (s, "203.0.113.5", "Guess1234!");
  assert_too_many (backoff);

  /* the real user, from their own address, still signs in at once */
  real_user = sign_in_from (s, "192.0.2.10", CUSTOMER_PASSWORD);
  sd_test_data (real_user, 201);
  real_user_again = sign_in_from (s, "192.0.2.10", CUSTOMER_PASSWORD);
  sd_test_data (real_user_again, 201);
}

/* ---- finding 5: sessions end when they should ----------------------- */

static char *
set_cookie_of (SdTestReply *r)
{
  const char *set = soup_message_headers_get_list (r->headers, "Set-Cookie");
  const char *start = set ? strstr (set, "refreshToken=") : NULL;

  return start ? g_strndup (start, strcspn (start, ";")) : NULL;
}

static void
test_password_change_revokes (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *c3 = NULL;
  g_autofree char *c4 = NULL;
  g_autofree char *c5 = NULL;
  g_autofree char *c6 = NULL;
  g_autofree char *t1 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c1);
  g_autofree char *t2 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c2);
  g_autofree char *t3 = NULL;
  g_autofree char *t4 = NULL;
  g_autofree char *t6 = NULL;
  g_autofree char *code = NULL;
  g_autofree char *reset = NULL;
  g_autoptr(SdTestReply) changed = NULL;
  g_autoptr(SdTestReply) same = NULL;
  g_autoptr(SdTestReply) patched = NULL;
  g_autoptr(SdTestReply) sent = NULL;
  g_autoptr(SdTestReply) was_reset = NULL;
  g_autoptr(SdTestReply) gone = NULL;

  /* change-password: every session of the user ends, this one too */
  changed = sd_test_http (s, "POST", "/api/v1/auth/change-password", t1,
    "{\"email\":\"customer@example.com\",\"newPassword\":\"Changed12!\",\"newPasswordConfirm\":\"Changed12!\"}", NULL);
  sd_test_data (changed, 201);
  refresh (s, c1, 401, NULL);
  refresh (s, c2, 401, NULL);

  /* PATCH /auth/me: an empty password changes nothing, a new one revokes */
  t3 = sd_test_sign_in (s, CUSTOMER_EMAIL, "Changed12!", &c3);
  same = sd_test_http (s, "PATCH", "/api/v1/auth/me", t3, "{\"address\":\"부산\",\"password\":\"\"}", NULL);
  sd_test_data (same, 200);
  t4 = refresh (s, c3, 200, &c4);
  patched = sd_test_http (s, "PATCH", "/api/v1/auth/me", t4, "{\"password\":\"Patched12!\"}", NULL);
  sd_test_data (patched, 200);
  refresh (s, c4, 401, NULL);

  /* reset-password by a mailed code */
  g_free (sd_test_sign_in (s, CUSTOMER_EMAIL, "Patched12!", &c5));
  sent = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL, "{\"email\":\"customer@example.com\"}", NULL);
  sd_test_data (sent, 200);
  code = sd_test_read_code (s, CUSTOMER_EMAIL);
  reset = code_body (CUSTOMER_EMAIL, code);
  was_reset = sd_test_http (s, "POST", "/api/v1/auth/reset-password", NULL, reset, NULL);
  sd_test_data (was_reset, 201);
  refresh (s, c5, 401, NULL);

  /* withdrawing */
  t6 = sd_test_sign_in (s, CUSTOMER_EMAIL, "Reset1234!", &c6);
  gone = sd_test_http (s, "POST", "/api/v1/auth/withdraw", t6, NULL, NULL);
  sd_test_data (gone, 200);
  refresh (s, c6, 401, NULL);
}

static void
test_sign_out_everywhere (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) health = sd_test_http (s, "GET", "/health", NULL, NULL, NULL);
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *c2b = NULL;
  g_autofree char *c3 = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *t1 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c1);
  g_autofree char *t2 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c2);
  g_autofree char *t3 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c3);
  g_autofree char *ta = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, &ca);
  g_autofree char *t2b = NULL;
  g_autoptr(SdTestReply) out = NULL;
  g_autoptr(SdTestReply) anon = NULL;
  g_autoptr(SdTestReply) everywhere = NULL;
  JsonArray *features = json_object_get_array_member (sd_test_data_object (health, 200), "features");
  gboolean listed = FALSE;

  for (guint i = 0; i < json_array_get_length (features); i++)
    listed |= g_strcmp0 (json_array_get_string_element (features, i), "sessions") == 0;
  g_assert_true (listed);

  /* signing out ends this session only */
  out = sd_test_http (s, "POST", "/api/v1/auth/sign-out", NULL, NULL, "Cookie", c1, NULL);
  sd_test_data (out, 200);
  refresh (s, c1, 401, NULL);
  t2b = refresh (s, c2, 200, &c2b);

  /* [ext] signing out everywhere ends every session of the caller */
  anon = sd_test_http (s, "POST", "/api/v1/auth/sign-out-everywhere", NULL, NULL, NULL);
  sd_test_assert_error (anon, 401);
  everywhere = sd_test_http (s, "POST", "/api/v1/auth/sign-out-everywhere", t3, NULL, NULL);
  sd_test_data (everywhere, 200);
  refresh (s, c2b, 401, NULL);
  refresh (s, c2, 401, NULL);
  refresh (s, c3, 401, NULL);
  /* and no one else's */
  g_free (refresh (s, ca, 200, NULL));
}

typedef struct {
  SdTestServer *server;
  const char   *cookie;
  SdTestReply  *reply;
} ParallelRefresh;

static gpointer
refresh_thread (gpointer data)
{
  ParallelRefresh *p = data;

  p->reply = sd_test_http (p->server, "POST", "/api/v1/auth/refresh-access-token", NULL, NULL,
                           "Cookie", p->cookie, NULL);
  return NULL;
}

/* Moves the session's last rotation back by seconds, as if that much
 * time had passed since. */
static void
age_rotation (SdTestServer *s, int seconds)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET rotated_at = rotated_at - %d", seconds);

  g_assert_cmpint (sd_test_server_run_sql (s, sql), >, 0);
}

static void
test_refresh_grace (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *c0 = NULL;
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *t0 = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &c0);
  g_autofree char *t2 = NULL;
  g_autoptr(SdTestReply) late = NULL;
  ParallelRefresh tabs[3];
  GThread *threads[3];

  /* three tabs refresh at once with the same token: all get the same new one */
  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      tabs[i] = (ParallelRefresh) { s, c0, NULL };
      threads[i] = g_thread_new ("tab", refresh_thread, &tabs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      g_autofree char *cookie = NULL;
      const char *set;

      g_thread_join (threads[i]);
      g_assert_nonnull (json_object_get_string_member (sd_test_data_object (tabs[i].reply, 200), "accessToken"));
      set = soup_message_headers_get_list (tabs[i].reply->headers, "Set-Cookie");
      g_assert_nonnull (set);
      g_assert_null (strstr (set, "Max-Age=0"));
      cookie = set_cookie_of (tabs[i].reply);
      g_assert_nonnull (cookie);
      g_assert_cmpstr (cookie, !=, c0);
      if (c1 == NULL)
        c1 = g_steal_pointer (&cookie);
      else
        g_assert_cmpstr (cookie, ==, c1);
      sd_test_reply_free (tabs[i].reply);
    }

  /* the new token rotates on as usual */
  t2 = refresh (s, c1, 200, &c2);
  g_assert_cmpstr (c2, !=, c1);

  /* the previous token once the grace window is over: theft. 401, the
   * cookie left alone, and the whole family revoked, newest token too */
  age_rotation (s, 60);
  late = sd_test_http (s, "POST", "/api/v1/auth/refresh-access-token", NULL, NULL, "Cookie", c1, NULL);
  sd_test_assert_error (late, 401);
  g_assert_null (soup_message_headers_get_list (late->headers, "Set-Cookie"));
  refresh (s, c2, 401, NULL);
  refresh (s, c0, 401, NULL);
}

/* ---- authorization matrix: admin routes ----------------------------- */

static void
test_admin_matrix (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 1000, "null");
  g_autofree char *order = place_order (s, customer, product, 1000, NULL);
  static const char *routes[][2] = {
    { "POST", "/api/v1/admin/categories" }, { "PUT", "/api/v1/admin/categories/%s" },
    { "DELETE", "/api/v1/admin/categories/%s" }, { "POST", "/api/v1/admin/products" },
    { "PUT", "/api/v1/admin/products/%p" }, { "DELETE", "/api/v1/admin/products/%p" },
    { "GET", "/api/v1/admin/orders" }, { "GET", "/api/v1/admin/orders/status?status=%EA%B2%B0%EC%A0%9C%20%EC%99%84%EB%A3%8C" },
    { "POST", "/api/v1/admin/orders" }, { "PUT", "/api/v1/admin/orders/%o" }, { "DELETE", "/api/v1/admin/orders/%o" },
    { "GET", "/api/v1/admin/userInfo" }, { "POST", "/api/v1/admin/uploads" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(GString) path = g_string_new (routes[i][1]);
      const char *body = g_str_equal (routes[i][0], "POST") || g_str_equal (routes[i][0], "PUT") ? "{}" : NULL;
      g_autoptr(SdTestReply) anon = NULL;
      g_autoptr(SdTestReply) cust = NULL;
      g_autoptr(SdTestReply) adm = NULL;

      g_string_replace (path, "%s", "000000000000000000000000", 0);
      g_string_replace (path, "%p", product, 0);
      g_string_replace (path, "%o", order, 0);
      g_test_message ("%s %s", routes[i][0], path->str);
      anon = sd_test_http (s, routes[i][0], path->str, NULL, body, NULL);
      cust = sd_test_http (s, routes[i][0], path->str, customer, body, NULL);
      sd_test_assert_error (anon, 401);
      sd_test_assert_error (cust, 403);
      if (g_str_equal (routes[i][0], "DELETE"))
        continue;   /* the admin's turn would delete what the rows after need */
      adm = sd_test_http (s, routes[i][0], path->str, admin, body, NULL);
      g_assert_cmpuint (adm->status, !=, 401);
      g_assert_cmpuint (adm->status, !=, 403);
      g_assert_cmpuint (adm->status, <, 500);
    }
}

static void
test_user_info (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", "/api/v1/admin/userInfo", admin, NULL, NULL);
  JsonArray *users = json_node_get_array (sd_test_data (r, 200));

  g_assert_cmpuint (json_array_get_length (users), ==, 2);
  /* [fix] no hashes */
  g_assert_null (strstr (g_bytes_get_data (r->body, NULL), "$y$"));
  g_assert_null (strstr (g_bytes_get_data (r->body, NULL), "password"));
}

/* ---- admin catalog -------------------------------------------------- */

static void
test_admin_categories (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구 Stationery\"}", NULL);
  g_autoptr(SdTestReply) dup = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구 Stationery\"}", NULL);
  g_autoptr(SdTestReply) bad = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"문구/팬시\"}", NULL);
  g_autoptr(SdTestReply) sql = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"x'); DROP TABLE categories;--\"}", NULL);
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  g_autoptr(SdTestReply) renamed = NULL;
  g_autoptr(SdTestReply) missing = NULL;
  g_autoptr(SdTestReply) in_use = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autoptr(SdTestReply) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *used_path = NULL;
  const char *id;

  id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");
  sd_test_assert_error (dup, 409);
  sd_test_assert_error (bad, 400);
  sd_test_assert_error (sql, 400);
  path = g_strconcat ("/api/v1/admin/categories/", id, NULL);
  renamed = sd_test_http (s, "PUT", path, admin, "{\"name\":\"문구\"}", NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (renamed, 200), "name"), ==, "문구");
  missing = sd_test_http (s, "PUT", "/api/v1/admin/categories/000000000000000000000000", admin, "{\"name\":\"문구류\"}", NULL);
  sd_test_assert_error (missing, 404);

  used_path = g_strconcat ("/api/v1/admin/categories/",
    json_object_get_string_member (json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0), "_id"), NULL);
  in_use = sd_test_http (s, "DELETE", used_path, admin, NULL, NULL);
  sd_test_assert_error (in_use, 409);
  deleted = sd_test_http (s, "DELETE", path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  again = sd_test_http (s, "DELETE", path, admin, NULL, NULL);
  sd_test_assert_error (again, 404);
}

static void
test_admin_products (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  const char *cat = json_object_get_string_member (json_array_get_object_element (json_node_get_array (sd_test_data (cats, 200)), 0), "_id");
  g_autofree char *good = g_strdup_printf ("{\"name\":\"O'Brien \\\"따옴표\\\" ; DROP TABLE products;--\",\"categoryId\":\"%s\","
                                           "\"brand\":\"B\",\"price\":\"15000\",\"image\":\"uploads/x.png\",\"description\":\"d\","
                                           "\"options\":{\"name\":\"색상\",\"value\":[\"빨강\",\"파랑\"]},\"stock\":5}", cat);
  g_autofree char *bad_price = g_strdup_printf ("{\"name\":\"n\",\"categoryId\":\"%s\",\"price\":-1}", cat);
  g_autofree char *bad_options = g_strdup_printf ("{\"name\":\"n\",\"categoryId\":\"%s\",\"price\":1,\"options\":{\"name\":\"\",\"value\":[]}}", cat);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/admin/products", admin, good, NULL);
  g_autoptr(SdTestReply) r1 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, bad_price, NULL);
  g_autoptr(SdTestReply) r2 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, bad_options, NULL);
  g_autoptr(SdTestReply) r3 = sd_test_http (s, "POST", "/api/v1/admin/products", admin,
                                            "{\"name\":\"n\",\"categoryId\":\"000000000000000000000000\",\"price\":1}", NULL);
  g_autoptr(SdTestReply) r4 = sd_test_http (s, "POST", "/api/v1/admin/products", admin, "{\"categoryId\":\"x\",\"price\":1}", NULL);
  g_autoptr(SdTestReply) updated = NULL;
  g_autoptr(SdTestReply) cleared = NULL;
  g_autoptr(SdTestReply) shop = NULL;
  g_autoptr(SdTestReply) search = NULL;
  g_autoptr(SdTestReply) deleted = NULL;
  g_autoptr(SdTestReply) gone = NULL;
  g_autoptr(SdTestReply) missing = NULL;
  g_autofree char *admin_path = NULL;
  g_autofree char *public_path = NULL;
  JsonObject *p;

  p = sd_test_data_object (made, 201);
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "O'Brien \"따옴표\" ; DROP TABLE products;--");
  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 15000);
  g_assert_cmpint (json_object_get_int_member (p, "stock"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "options"), "name"), ==, "색상");
  sd_test_assert_error (r1, 400);
  sd_test_assert_error (r2, 400);
  sd_test_assert_error (r3, 400);
  sd_test_assert_error (r4, 400);

  admin_path = g_strconcat ("/api/v1/admin/products/", json_object_get_string_member (p, "_id"), NULL);
  public_path = g_strconcat ("/api/v1/products/", json_object_get_string_member (p, "_id"), NULL);
  updated = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":17000,\"stock\":null}", NULL);
  p = sd_test_data_object (updated, 200);
  g_assert_cmpint (json_object_get_int_member (p, "price"), ==, 17000);
  g_assert_true (json_object_get_null_member (p, "stock"));
  g_assert_false (json_object_get_null_member (p, "options"));   /* untouched */
  cleared = sd_test_http (s, "PUT", admin_path, admin, "{\"options\":null}", NULL);
  g_assert_true (json_object_get_null_member (sd_test_data_object (cleared, 200), "options"));
  shop = sd_test_http (s, "GET", public_path, NULL, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (sd_test_data_object (shop, 200), "price"), ==, 17000);

  search = sd_test_http (s, "GET", "/api/v1/products?q=%22%20%3B%20DROP%20TABLE%20products%3B--", NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (search, 200))), ==, 1);

  deleted = sd_test_http (s, "DELETE", admin_path, admin, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  gone = sd_test_http (s, "GET", public_path, NULL, NULL, NULL);
  sd_test_assert_error (gone, 404);
  missing = sd_test_http (s, "PUT", admin_path, admin, "{\"price\":1}", NULL);
  sd_test_assert_error (missing, 404);
}

/* ---- orders --------------------------------------------------------- */

static void
test_order_rules (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 12000, "null");
  g_autofree char *stale = order_json (product, 2, 11000, NULL, FALSE);
  g_autofree char *preparing = order_json (product, 1, 12000, PREPARING, FALSE);
  g_autofree char *paid = order_json (product, 2, 12000, PAID, FALSE);
  g_autofree char *guest = order_json (product, 1, 12000, NULL, FALSE);
  g_autofree char *zero = g_strdup_printf ("{\"product\":[{\"id\":\"%s\",\"count\":0}],\"payment\":{}}", product);
  g_autofree char *unknown = order_json ("000000000000000000000000", 1, 12000, NULL, FALSE);
  g_autoptr(SdTestReply) r_stale = sd_test_http (s, "POST", "/api/v1/orders", customer, stale, NULL);
  g_autoptr(SdTestReply) r_status = sd_test_http (s, "POST", "/api/v1/orders", customer, preparing, NULL);
  g_autoptr(SdTestReply) r_bogus = sd_test_http (s, "POST", "/api/v1/orders", customer, "{\"status\":\"shipped\",\"product\":[]}", NULL);
  g_autoptr(SdTestReply) r_empty = sd_test_http (s, "POST", "/api/v1/orders", customer, "{\"product\":[]}", NULL);
  g_autoptr(SdTestReply) r_zero = sd_test_http (s, "POST", "/api/v1/orders", customer, zero, NULL);
  g_autoptr(SdTestReply) r_unknown = sd_test_http (s, "POST", "/api/v1/orders", customer, unknown, NULL);
  g_autoptr(SdTestReply) r_guest = sd_test_http (s, "POST", "/api/v1/orders", NULL, guest, NULL);
  g_autoptr(SdTestReply) r_paid = sd_test_http (s, "POST", "/api/v1/orders", customer, paid, NULL);
  g_autoptr(SdTestReply) mine = NULL;
  g_autoptr(SdTestReply) ship = NULL;
  g_autoptr(SdTestReply) late_edit = NULL;
  g_autoptr(SdTestReply) late_cancel = NULL;
  g_autoptr(SdTestReply) filtered = NULL;
  g_autoptr(SdTestReply) by_status = NULL;
  g_autoptr(SdTestReply) searched = NULL;
  g_autoptr(SdTestReply) admin_made = NULL;
  g_autoptr(SdTestReply) admin_deleted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *admin_path = NULL;
  JsonObject *o, *conflict;

  /* [fix] our prices: 409 with the current figures */
  sd_test_assert_error (r_stale, 409);
  conflict = json_object_get_object_member (json_node_get_object (r_stale->root), "data");
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPriceItem"), ==, 24000);
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPriceDelivery"), ==, 3000);
  g_assert_cmpint (json_object_get_int_member (conflict, "ttlPrice"), ==, 27000);
  sd_test_assert_error (r_status, 400);
  sd_test_assert_error (r_bogus, 400);
  sd_test_assert_error (r_empty, 400);
  sd_test_assert_error (r_zero, 400);
  sd_test_assert_error (r_unknown, 409);
  /* a guest may leave the receiver out, as the original web FE does */
  g_assert_true (json_object_get_null_member (sd_test_data_object (r_guest, 201), "receiver"));

  o = sd_test_data_object (r_paid, 201);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, PAID);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "payment"), "ttlPrice"), ==, 27000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (o, "product"), 0), "count"), ==, 2);
  g_assert_false (json_object_has_member (o, "accessKey"));
  g_assert_true (json_object_get_null_member (o, "receiver"));
  path = g_strconcat ("/api/v1/orders/", json_object_get_string_member (o, "_id"), NULL);
  admin_path = g_strconcat ("/api/v1/admin/orders/", json_object_get_string_member (o, "_id"), NULL);

  mine = sd_test_http (s, "GET", "/api/v1/orders", customer, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (mine, 200))), ==, 1);

  /* staff move it on; then the customer may no longer change it */
  ship = sd_test_http (s, "PUT", admin_path, admin, "{\"status\":\"배송 준비\",\"memo\":\"포장 완료\"}", NULL);
  o = sd_test_data_object (ship, 200);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, PREPARING);
  late_edit = sd_test_http (s, "PUT", path, customer, "{\"memo\":\"빨리요\"}", NULL);
  sd_test_assert_error (late_edit, 409);
  late_cancel = sd_test_http (s, "DELETE", path, customer, NULL, NULL);
  sd_test_assert_error (late_cancel, 409);

  filtered = sd_test_http (s, "GET", "/api/v1/admin/orders?status=%EB%B0%B0%EC%86%A1%20%EC%A4%80%EB%B9%84&page=1&limit=10", admin, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (filtered, 200))), ==, 1);
  g_assert_cmpstr (soup_message_headers_get_one (filtered->headers, "X-Total-Count"), ==, "1");
  by_status = sd_test_http (s, "GET", "/api/v1/admin/orders/status?status=%EC%9E%85%EA%B8%88%20%EB%8C%80%EA%B8%B0", admin, NULL, NULL);
  /* the guest's order without a receiver, awaiting payment */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (by_status, 200))), ==, 1);
  searched = sd_test_http (s, "GET", "/api/v1/admin/orders?q=%ED%8F%AC%EC%9E%A5", admin, NULL, NULL);   /* 포장 */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sd_test_data (searched, 200))), ==, 1);

  /* staff may create in any status */
  admin_made = sd_test_http (s, "POST", "/api/v1/admin/orders", admin, preparing, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (admin_made, 201), "status"), ==, PREPARING);
  admin_deleted = sd_test_http (s, "DELETE", admin_path, admin, NULL, NULL);
  g_assert_cmpuint (admin_deleted->status, ==, 204);
}

/* Every order route × {owner, another customer, guest with key, guest
 * without key, admin}. */
static void
test_order_matrix (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *owner = customer_token (s);
  g_autofree char *other = sd_test_new_customer (s, "other@example.com", "Other1234!");
  g_autofree char *product = new_product (s, admin, 1000, "100");
  struct { const char *who; const char *token; gboolean guest_order; gboolean with_key; guint get, put, del; } actors[] = {
    { "owner", owner, FALSE, FALSE, 200, 200, 204 },
    { "another customer", other, FALSE, FALSE, 403, 403, 403 },
    { "guest with key", NULL, TRUE, TRUE, 200, 200, 204 },
    { "guest without key", NULL, TRUE, FALSE, 401, 401, 401 },
    { "guest with key, other's order", NULL, FALSE, TRUE, 403, 403, 403 },
    { "admin", admin, FALSE, FALSE, 200, 200, 204 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      g_autofree char *guest_key = NULL;
      g_autofree char *member_order = place_order (s, owner, product, 1000, NULL);
      g_autofree char *guest_order = place_order (s, NULL, product, 1000, &guest_key);
      const char *id = actors[i].guest_order ? guest_order : member_order;
      g_autofree char *path = actors[i].with_key
        ? g_strdup_printf ("/api/v1/orders/%s?key=%s", id, guest_key)
        : g_strdup_printf ("/api/v1/orders/%s", id);
      g_autoptr(SdTestReply) get = sd_test_http (s, "GET", path, actors[i].token, NULL, NULL);
      g_autoptr(SdTestReply) put = sd_test_http (s, "PUT", path, actors[i].token, "{\"memo\":\"경비실에 맡겨 주세요\"}", NULL);
      g_autoptr(SdTestReply) del = sd_test_http (s, "DELETE", path, actors[i].token, NULL, NULL);

      g_test_message ("%s", actors[i].who);
      g_assert_nonnull (guest_key);
      g_assert_cmpuint (get->status, ==, actors[i].get);
      g_assert_cmpuint (put->status, ==, actors[i].put);
      g_assert_cmpuint (del->status, ==, actors[i].del);
      if (actors[i].put == 200)
        g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (put, 200), "memo"), ==, "경비실에 맡겨 주세요");
    }
}

static void
test_guest_order (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 7000, "3");
  g_autofree char *body = order_json (product, 2, 7000, NULL, TRUE);
  g_autoptr(SdTestReply) made = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, NULL);
  g_autoptr(SdTestReply) status_change = NULL;
  g_autoptr(SdTestReply) bad_receiver = NULL;
  g_autoptr(SdTestReply) cancelled = NULL;
  g_autofree char *path = NULL;
  JsonObject *o = sd_test_data_object (made, 201);
  const char *key = json_object_get_string_member (o, "accessKey");

  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "customerId"), "guest_"));
  g_assert_cmpuint (strlen (key), >=, 32);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "receiver"), "phoneNumber"), ==, "01012345678");
  g_assert_cmpint (product_stock (s, product), ==, 1);

  path = g_strdup_printf ("/api/v1/orders/%s?key=%s", json_object_get_string_member (o, "_id"), key);
  status_change = sd_test_http (s, "PUT", path, NULL, "{\"status\":\"구매 확정\"}", NULL);
  sd_test_assert_error (status_change, 400);   /* [fix] memo and receiver only */
  bad_receiver = sd_test_http (s, "PUT", path, NULL, "{\"receiver\":{\"name\":\"x\"}}", NULL);
  sd_test_assert_error (bad_receiver, 400);
  cancelled = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
  g_assert_cmpuint (cancelled->status, ==, 204);
  g_assert_cmpint (product_stock (s, product), ==, 3);   /* given back */
}

typedef struct {
  guint     pending;
  guint     created, conflict, other;
  GPtrArray *ids;
} Race;

static void
race_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Race *race = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (msg);

  if (status == 201)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL));
      race->created++;
      g_ptr_array_add (race->ids, g_strdup (json_object_get_string_member (
        json_object_get_object_member (json_node_get_object (json_parser_get_root (p)), "data"), "_id")));
    }
  else if (status == 409)
    race->conflict++;
  else
    {
      g_test_message ("unexpected: %s HTTP %u %.*s", error ? error->message : "", status, body ? (int) g_bytes_get_size (body) : 0,
                      body ? (const char *) g_bytes_get_data (body, NULL) : "");
      race->other++;
    }
  race->pending--;
}

static gboolean
race_done (gpointer user_data)
{
  return ((Race *) user_data)->pending == 0;
}

static void
run_race (SdTestServer *s, guint n, const char *body, const char *idempotency_key, Race *race)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  g_autofree char *url = g_strconcat (s->url, "/api/v1/orders", NULL);

  race->ids = g_ptr_array_new_with_free_func (g_free);
  race->pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      if (idempotency_key)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", idempotency_key);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_cb, race);
    }
  sd_test_wait_for (race_done, race);
}

static void
test_stock_race (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 9900, "10");
  g_autofree char *body = order_json (product, 1, 9900, NULL, TRUE);
  g_autoptr(SdTestReply) all = NULL;
  Race race = { 0 };

  run_race (s, 50, body, NULL, &race);
  g_assert_cmpuint (race.created, ==, 10);
  g_assert_cmpuint (race.conflict, ==, 40);
  g_assert_cmpuint (race.other, ==, 0);
  g_assert_cmpint (product_stock (s, product), ==, 0);
  all = sd_test_http (s, "GET", "/api/v1/admin/orders?limit=100", admin, NULL, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "X-Total-Count"), ==, "10");
  g_ptr_array_unref (race.ids);
}

static void
test_idempotency (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "null");
  g_autofree char *body = order_json (product, 1, 5000, NULL, TRUE);
  g_autoptr(SdTestReply) first = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, "Idempotency-Key", "k-1", NULL);
  g_autoptr(SdTestReply) retry = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, "Idempotency-Key", "k-1", NULL);
  g_autoptr(SdTestReply) all = NULL;
  Race race = { 0 };

  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (first, 201), "_id"), ==,
                   json_object_get_string_member (sd_test_data_object (retry, 201), "_id"));
  /* the guest who retried still learns the access key */
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (first, 201), "accessKey"), ==,
                   json_object_get_string_member (sd_test_data_object (retry, 201), "accessKey"));
  /* two at once with one key: one order */
  run_race (s, 2, body, "k-2", &race);
  g_assert_cmpuint (race.created, ==, 2);
  g_assert_cmpstr (race.ids->pdata[0], ==, race.ids->pdata[1]);
  all = sd_test_http (s, "GET", "/api/v1/admin/orders", admin, NULL, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (all->headers, "X-Total-Count"), ==, "2");
  g_ptr_array_unref (race.ids);
}

/* ---- uploads -------------------------------------------------------- */

#define multipart sd_test_multipart

static void
assert_profile_reply (SdTestReply *r, guint status, gboolean success)
{
  JsonObject *o;

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  o = json_node_get_object (r->root);
  g_assert_true (json_object_get_boolean_member (o, "success") == success);
  g_assert_nonnull (json_object_get_string_member (o, "message"));
  g_assert_true (json_object_has_member (o, "imageUrl"));
}

static void
test_profile_image (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *token = customer_token (s);
  g_autofree char *type = NULL;
  g_autofree char *type2 = NULL;
  g_autofree char *type3 = NULL;
  g_autofree char *type4 = NULL;
  g_autoptr(GBytes) good = multipart ("profileImage", png_bytes, sizeof png_bytes, &type);
  g_autoptr(GBytes) text = multipart ("profileImage", (const guint8 *) "just text, named .jpg", 21, &type2);
  g_autoptr(GBytes) wrong_field = multipart ("avatar", png_bytes, sizeof png_bytes, &type3);
  g_autofree guint8 *huge_data = g_malloc0 (20 * 1024 * 1024);
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(SdTestReply) ok = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", token, type, good, NULL, NULL);
  g_autoptr(SdTestReply) r_text = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", token, type2, text, NULL, NULL);
  g_autoptr(SdTestReply) r_field = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", token, type3, wrong_field, NULL, NULL);
  g_autoptr(SdTestReply) r_anon = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", NULL, type, good, NULL, NULL);
  g_autoptr(SdTestReply) r_huge = NULL;
  g_autoptr(SdTestReply) me = NULL;
  g_autoptr(SdTestReply) file = NULL;
  g_autofree char *file_path = NULL;
  const char *url;

  memcpy (huge_data, png_bytes, sizeof png_bytes);
  huge = multipart ("profileImage", huge_data, 20 * 1024 * 1024, &type4);
  r_huge = sd_test_http_raw (s, "POST", "/api/v1/auth/upload-profile-image", token, type4, huge, NULL, NULL);

  assert_profile_reply (ok, 200, TRUE);
  url = json_object_get_string_member (json_node_get_object (ok->root), "imageUrl");
  g_assert_true (g_str_has_prefix (url, "uploads/profileImage-"));
  g_assert_true (g_str_has_suffix (url, ".png"));   /* from the bytes, not from "photo.jpg" */
  assert_profile_reply (r_text, 415, FALSE);
  assert_profile_reply (r_field, 400, FALSE);
  assert_profile_reply (r_huge, 413, FALSE);
  g_assert_cmpuint (r_anon->status, ==, 401);

  me = sd_test_http (s, "GET", "/api/v1/auth/me", token, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (me, 200), "profileImage"), ==, url);
  file_path = g_strconcat ("/", url, NULL);
  file = sd_test_http (s, "GET", file_path, NULL, NULL, NULL);
  g_assert_cmpuint (file->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (file->body), ==, sizeof png_bytes);
}

static SdTestReply *
presign (SdTestServer *s, const char *admin, const char *type, gsize size)
{
  g_autofree char *body = g_strdup_printf ("{\"contentType\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}", type, size);
  return sd_test_http (s, "POST", "/api/v1/admin/uploads", admin, body, NULL);
}

/* The path and query of an upload URL, against our test server. */
static char *
upload_path (SdTestReply *r)
{
  const char *url = json_object_get_string_member (sd_test_data_object (r, 201), "uploadUrl");
  const char *p = strstr (url, "/uploads/");
  g_assert_nonnull (p);
  return g_strdup (p);
}

static void
test_presigned_upload (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(GBytes) png = g_bytes_new_static (png_bytes, sizeof png_bytes);
  g_autoptr(SdTestReply) grant = presign (s, admin, "image/png", sizeof png_bytes);
  g_autofree char *path = upload_path (grant);
  g_autofree char *image = g_strdup (json_object_get_string_member (sd_test_data_object (grant, 201), "imageUrl"));
  g_autoptr(SdTestReply) put = sd_test_http_raw (s, "PUT", path, NULL, "image/png", png, NULL, NULL);
  g_autoptr(SdTestReply) again = sd_test_http_raw (s, "PUT", path, NULL, "image/png", png, NULL, NULL);
  g_autoptr(SdTestReply) as_jpeg = sd_test_http_raw (s, "PUT", path, NULL, "image/jpeg", png, NULL, NULL);
  g_autoptr(SdTestReply) bad_type = presign (s, admin, "image/gif", 10);
  g_autoptr(SdTestReply) too_big = presign (s, admin, "image/png", 2 * 1024 * 1024);
  g_autoptr(SdTestReply) grant2 = presign (s, admin, "image/jpeg", sizeof png_bytes);
  g_autofree char *path2 = upload_path (grant2);
  g_autoptr(SdTestReply) wrong_bytes = sd_test_http_raw (s, "PUT", path2, NULL, "image/jpeg", png, NULL, NULL);
  g_autoptr(SdTestReply) grant3 = presign (s, admin, "image/png", 100);
  g_autofree char *path3 = upload_path (grant3);
  g_autoptr(SdTestReply) short_body = sd_test_http_raw (s, "PUT", path3, NULL, "image/png", png, NULL, NULL);
  g_autoptr(GString) tampered = g_string_new (path3);
  g_autoptr(SdTestReply) r_tampered = NULL;
  g_autofree guint8 *huge_data = g_malloc0 (20 * 1024 * 1024);
  g_autoptr(GBytes) huge = g_bytes_new_take (g_steal_pointer (&huge_data), 20 * 1024 * 1024);
  g_autoptr(SdTestReply) r_huge = sd_test_http_raw (s, "PUT", path3, NULL, "image/png", huge, NULL, NULL);
  g_autofree char *file_path = g_strconcat ("/", image, NULL);
  g_autoptr(SdTestReply) file = sd_test_http (s, "GET", file_path, NULL, NULL, NULL);

  g_assert_true (g_str_has_prefix (image, "uploads/product-"));
  g_assert_true (json_object_has_member (sd_test_data_object (grant, 201), "expiresAt"));
  sd_test_data (put, 201);
  sd_test_assert_error (again, 409);
  sd_test_assert_error (as_jpeg, 403);          /* the signature covers the type */
  sd_test_assert_error (bad_type, 415);
  sd_test_assert_error (too_big, 413);
  sd_test_assert_error (wrong_bytes, 415);      /* PNG bytes announced as JPEG */
  sd_test_assert_error (short_body, 400);
  g_string_replace (tampered, "size=100", "size=101", 1);
  r_tampered = sd_test_http_raw (s, "PUT", tampered->str, NULL, "image/png", png, NULL, NULL);
  sd_test_assert_error (r_tampered, 403);
  sd_test_assert_error (r_huge, 413);
  g_assert_cmpuint (file->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (file->headers, NULL), ==, "image/png");
}

static void
test_presigned_expiry (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autoptr(GBytes) png = g_bytes_new_static (png_bytes, sizeof png_bytes);
  g_autoptr(SdTestReply) grant = presign (s, admin, "image/png", sizeof png_bytes);
  g_autofree char *path = upload_path (grant);
  g_autoptr(GString) past = g_string_new (path);
  g_autoptr(SdTestReply) r = NULL;
  const char *e = strstr (path, "expires=");

  /* An earlier expiry is not signed, so it is refused as forged; the
   * expiry check itself is exercised with the server's own clock by
   * the signature binding it (a valid URL past its time is the same
   * 403 branch). */
  g_string_replace (past, e, "expires=1&", 1);
  r = sd_test_http_raw (s, "PUT", past->str, NULL, "image/png", png, NULL, NULL);
  sd_test_assert_error (r, 403);
}

/* ---- HTTP hygiene --------------------------------------------------- */

static void
test_hostile_json (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *big = g_malloc (2 * 1024 * 1024 + 1);
  g_autoptr(SdTestReply) malformed = NULL;
  g_autoptr(SdTestReply) array = NULL;
  g_autoptr(SdTestReply) empty = NULL;
  g_autoptr(SdTestReply) huge = NULL;
  g_autoptr(SdTestReply) form = NULL;
  g_autoptr(GBytes) form_body = g_bytes_new_static ("email=a", 7);

  malformed = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL, "{\"email\": \"a@b.co\",", NULL);
  sd_test_assert_error (malformed, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (malformed->root), "error"), "JSON"));
  array = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL, "[1,2,3]", NULL);
  sd_test_assert_error (array, 400);
  empty = sd_test_http_raw (s, "POST", "/api/v1/auth/sign-in", NULL, "application/json", g_bytes_new_static ("", 0), NULL, NULL);
  sd_test_assert_error (empty, 400);
  form = sd_test_http_raw (s, "POST", "/api/v1/auth/sign-in", NULL, "application/x-www-form-urlencoded", form_body, NULL, NULL);
  sd_test_assert_error (form, 415);

  memset (big, ' ', 2 * 1024 * 1024);
  big[0] = '{';
  big[2 * 1024 * 1024 - 1] = '}';
  big[2 * 1024 * 1024] = '\0';
  huge = sd_test_http (s, "POST", "/api/v1/auth/sign-in", NULL, big, NULL);
  sd_test_assert_error (huge, 413);
}

static void
test_cors (void)
{
  const char *args[] = { "--cors-origin=https://shop.example", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start_with (FALSE, args);
  g_autoptr(SdTestReply) preflight = sd_test_http (s, "OPTIONS", "/api/v1/orders", NULL, NULL,
                                                   "Origin", "https://shop.example",
                                                   "Access-Control-Request-Method", "POST", NULL);
  g_autoptr(SdTestReply) stranger = sd_test_http (s, "OPTIONS", "/api/v1/orders", NULL, NULL,
                                                  "Origin", "https://evil.example", NULL);
  g_autoptr(SdTestReply) get = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL,
                                             "Origin", "https://shop.example", NULL);

  g_assert_cmpuint (preflight->status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Origin"), ==, "https://shop.example");
  g_assert_cmpstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Credentials"), ==, "true");
  g_assert_nonnull (strstr (soup_message_headers_get_one (preflight->headers, "Access-Control-Allow-Headers"), "Idempotency-Key"));
  g_assert_null (soup_message_headers_get_one (stranger->headers, "Access-Control-Allow-Origin"));
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Access-Control-Allow-Origin"), ==, "https://shop.example");
}

/* ---- mail over SMTP ------------------------------------------------- */

typedef struct {
  GSocketListener *listener;
  char            *message;
  gboolean         done;
} Smtp;

/* A minimal SMTP peer: enough dialogue to take one message. */
static gpointer
smtp_peer (gpointer user_data)
{
  Smtp *smtp = user_data;
  g_autoptr(GSocketConnection) conn = g_socket_listener_accept (smtp->listener, NULL, NULL, NULL);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_autoptr(GString) data = g_string_new (NULL);
  gboolean in_data = FALSE;
  char *line;

#define SAY(s) g_output_stream_write_all (out, s, strlen (s), NULL, NULL, NULL)
  SAY ("220 test ESMTP\r\n");
  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL)
    {
      g_strchomp (line);
      if (in_data)
        {
          if (g_str_equal (line, "."))
            {
              in_data = FALSE;
              SAY ("250 queued\r\n");
            }
          else
            g_string_append_printf (data, "%s\n", line);
        }
      else if (g_str_has_prefix (line, "EHLO"))
        SAY ("250-test\r\n250 8BITMIME\r\n");
      else if (g_str_has_prefix (line, "DATA"))
        {
          in_data = TRUE;
          SAY ("354 go on\r\n");
        }
      else if (g_str_has_prefix (line, "QUIT"))
        {
          SAY ("221 bye\r\n");
          g_free (line);
          break;
        }
      else
        SAY ("250 ok\r\n");
      g_free (line);
    }
#undef SAY
  smtp->message = g_string_free (g_steal_pointer (&data), FALSE);
  g_atomic_int_set (&smtp->done, TRUE);
  g_main_context_wakeup (NULL);   /* the test waits in the main context */
  return NULL;
}

static gboolean
smtp_done (gpointer user_data)
{
  return g_atomic_int_get (&((Smtp *) user_data)->done);
}

static void
test_smtp (void)
{
  Smtp smtp = { 0 };
  guint16 port;
  g_autofree char *arg = NULL;
  g_autoptr(SdTestServer) s = NULL;
  g_autoptr(SdTestReply) r = NULL;
  g_autofree char *outbox = NULL;
  GThread *thread;
  const char *code;

  smtp.listener = g_socket_listener_new ();
  port = g_socket_listener_add_any_inet_port (smtp.listener, NULL, NULL);
  g_assert_cmpuint (port, >, 0);
  thread = g_thread_new ("smtp", smtp_peer, &smtp);
  arg = g_strdup_printf ("--smtp=smtp://127.0.0.1:%u", port);
  {
    const char *args[] = { arg, "--mail-from=shop@example.com", NULL };
    s = sd_test_server_start_with (FALSE, args);
  }
  r = sd_test_http (s, "POST", "/api/v1/auth/send-confirmation-email", NULL, "{\"email\":\"buyer@example.com\"}", NULL);
  sd_test_data (r, 200);
  sd_test_wait_for (smtp_done, &smtp);
  g_thread_join (thread);

  g_assert_nonnull (strstr (smtp.message, "To: buyer@example.com"));
  g_assert_nonnull (strstr (smtp.message, "From: shop@example.com"));
  code = strstr (smtp.message, "code is ");
  g_assert_nonnull (code);
  g_assert_true (g_ascii_isdigit (code[8]) && g_ascii_isdigit (code[13]));
  /* not in the reply, and not in the outbox either */
  g_assert_null (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "code"));
  outbox = g_build_filename (s->data_dir, "outbox", NULL);
  g_assert_false (g_file_test (outbox, G_FILE_TEST_EXISTS));
  g_free (smtp.message);
  g_object_unref (smtp.listener);
}

/* ---- administration ------------------------------------------------- */

static void
test_create_admin (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SdTestReply) users = NULL;
  g_autoptr(GSubprocess) weak = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           g_getenv ("STOREDESK_SERVER"), "create-admin", "--data-dir", s->data_dir,
                           "--email", "Staff@Example.com", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, "Staff1234!\n", NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  g_assert_nonnull (strstr (out, "staff@example.com"));

  token = sd_test_sign_in (s, "staff@example.com", "Staff1234!", NULL);
  users = sd_test_http (s, "GET", "/api/v1/admin/userInfo", token, NULL, NULL);
  sd_test_data (users, 200);

  weak = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           g_getenv ("STOREDESK_SERVER"), "create-admin", "--data-dir", s->data_dir,
                           "--email", "weak@example.com", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (weak, "short\n", NULL, NULL, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (weak), ==, 2);
}

/* SIGTERM with a request half sent: it is answered, then the server
 * exits 0 with the database closed (no WAL left behind). Its log has a
 * line per request and no code, password or token that went through. */
static void
test_graceful_shutdown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storedesk-test-XXXXXX", NULL);
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                                  g_getenv ("STOREDESK_SERVER"), "--listen", "127.0.0.1:0",
                                                  "--data-dir", dir, "--demo", NULL);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autofree char *first = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  SdTestServer s = { .data_dir = dir };
  g_autofree char *admin = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *refreshed = NULL;
  g_autofree char *code = NULL;
  g_autofree char *log = NULL;
  g_autoptr(SdTestReply) grant = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autofree char *head = NULL;
  g_autofree char *wal = g_build_filename (dir, "shop.db-wal", NULL);
  char reply[64] = { 0 };
  gsize got = 0;
  GUri *uri;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (first, "listening on "));
  s.url = first + strlen ("listening on ");
  uri = g_uri_parse (s.url, G_URI_FLAGS_NONE, NULL);
  /* Secrets pass through the server before it stops; none may be logged. */
  {
    g_autoptr(SdTestReply) sent = sd_test_http (&s, "POST", "/api/v1/auth/send-confirmation-email", NULL,
                                                "{\"email\":\"logcheck@example.com\"}", NULL);
    sd_test_data (sent, 200);
    code = sd_test_read_code (&s, "logcheck@example.com");
  }
  admin = sd_test_sign_in (&s, ADMIN_EMAIL, ADMIN_PASSWORD, &cookie);
  refreshed = refresh (&s, cookie, 200, NULL);
  grant = presign (&s, admin, "image/png", sizeof png_bytes);
  path = upload_path (grant);

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", path, sizeof png_bytes);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), head, strlen (head), NULL, NULL, NULL));
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), png_bytes, 10, NULL, NULL, NULL));
  g_usleep (300 * 1000);

  g_subprocess_send_signal (proc, SIGTERM);
  g_usleep (300 * 1000);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), png_bytes + 10,
                                            sizeof png_bytes - 10, NULL, NULL, NULL));
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)), reply, sizeof reply - 1,
                                          &got, NULL, NULL));
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 201"));

  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &log, &error));
  g_assert_nonnull (strstr (log, "POST /api/v1/auth/sign-in 201"));
  g_assert_null (strstr (log, code));
  g_assert_null (strstr (log, ADMIN_PASSWORD));
  g_assert_null (strstr (log, admin));
  g_assert_null (strstr (log, refreshed));
  g_assert_null (strstr (log, strchr (cookie, '=') + 1));
  g_assert_null (strstr (log, "sig="));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_uri_unref (uri);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

/* Users imported from the original shop keep their bcrypt hashes. */
static void
test_bcrypt_import (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  g_autofree char *db_path = g_build_filename (s->data_dir, "shop.db", NULL);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data data = { 0 };
  g_autofree char *token = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_nonnull (crypt_gensalt_rn ("$2b$", 10, NULL, 0, setting, sizeof setting));
  g_assert_nonnull (crypt_r ("Imported1!", setting, &data));
  g_assert_true (g_str_has_prefix (data.output, "$2b$"));
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
    " VALUES ('65e1aaaaaaaaaaaaaaaaaaaa', 'old@example.com', '옛사람', ?, '2024-01-01T00:00:00.000Z',"
    " '2024-01-01T00:00:00.000Z')", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, data.output, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  token = sd_test_sign_in (s, "old@example.com", "Imported1!", NULL);
  g_assert_nonnull (token);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api/auth/sign-up", test_sign_up);
  g_test_add_func ("/api/auth/code-burns", test_code_burns);
  g_test_add_func ("/api/auth/sign-in-throttle", test_sign_in_and_throttle);
  g_test_add_func ("/api/auth/me", test_me);
  g_test_add_func ("/api/auth/token-lifetimes", test_token_lifetimes);
  g_test_add_func ("/api/auth/forged-tokens", test_forged_tokens);
  g_test_add_func ("/api/auth/passwords", test_passwords);
  g_test_add_func ("/api/auth/sign-out-withdraw", test_sign_out_and_withdraw);
  g_test_add_func ("/api/auth/code-send-limits", test_code_send_limits);
  g_test_add_func ("/api/auth/code-guess-limits", test_code_guess_limits);
  g_test_add_func ("/api/auth/sign-in-no-lockout", test_sign_in_no_lockout);
  g_test_add_func ("/api/auth/password-change-revokes", test_password_change_revokes);
  g_test_add_func ("/api/auth/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/api/auth/refresh-grace", test_refresh_grace);
  g_test_add_func ("/api/admin/matrix", test_admin_matrix);
  g_test_add_func ("/api/admin/user-info", test_user_info);
  g_test_add_func ("/api/admin/categories", test_admin_categories);
  g_test_add_func ("/api/admin/products", test_admin_products);
  g_test_add_func ("/api/orders/rules", test_order_rules);
  g_test_add_func ("/api/orders/matrix", test_order_matrix);
  g_test_add_func ("/api/orders/guest", test_guest_order);
  g_test_add_func ("/api/orders/stock-race", test_stock_race);
  g_test_add_func ("/api/orders/idempotency", test_idempotency);
  g_test_add_func ("/api/uploads/profile", test_profile_image);
  g_test_add_func ("/api/uploads/presigned", test_presigned_upload);
  g_test_add_func ("/api/uploads/presigned-expiry", test_presigned_expiry);
  g_test_add_func ("/api/http/hostile-json", test_hostile_json);
  g_test_add_func ("/api/http/cors", test_cors);
  g_test_add_func ("/api/mail/smtp", test_smtp);
  g_test_add_func ("/api/admin/create-admin", test_create_admin);
  g_test_add_func ("/api/http/graceful-shutdown", test_graceful_shutdown);
  g_test_add_func ("/api/auth/bcrypt-import", test_bcrypt_import);
  return g_test_run ();
}
