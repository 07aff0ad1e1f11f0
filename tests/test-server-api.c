/* test-server-api.c — storedesk-server's accounts over real HTTP against
 * a started server (fresh data dir each): success shapes, failure codes,
 * token lifetimes, sessions that end when they should. */
#include <crypt.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-api.h"

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
  g_autoptr(SdTestReply) right = NULL;
  g_autoptr(SdTestReply) created = NULL;
  g_autoptr(SdTestReply) again = NULL;
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
  sd_test_expect_error (s, "POST", "/api/v1/auth/confirm-email", NULL, wrong_body, 400);
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
  sd_test_expect_error (s, "POST", "/api/v1/auth/sign-up", NULL, good, 409);
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

  sd_test_data (sent, 200);
  for (guint i = 0; i < 5; i++)
    sd_test_expect_error (s, "POST", "/api/v1/auth/confirm-email", NULL, wrong, 400);
  sd_test_expect_error (s, "POST", "/api/v1/auth/confirm-email", NULL, right, 400);
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
  sd_test_expect_error (s, "PATCH", "/api/v1/auth/me", token, "{\"phoneNumber\":\"12\"}", 400);
  new_password = sd_test_http (s, "PATCH", "/api/v1/auth/me", token, "{\"password\":\"NewPass12!\"}", NULL);
  sd_test_data (new_password, 200);
  again = sd_test_sign_in (s, CUSTOMER_EMAIL, "NewPass12!", NULL);
  g_assert_nonnull (again);
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
  g_autoptr(SdTestReply) renewed = NULL;

  sd_test_data (ok, 200);
  g_usleep (3100 * 1000);
  sd_test_expect_error (s, "GET", "/api/v1/auth/me", token, NULL, 401);

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
  g_autoptr(SdTestReply) kept = NULL;
  g_autofree char *token2 = NULL;

  sd_test_data (out, 200);
  g_assert_nonnull (strstr (soup_message_headers_get_list (out->headers, "Set-Cookie"), "Max-Age=0"));
  refresh (s, cookie, 401, NULL);

  token2 = customer_token (s);
  gone = sd_test_http (s, "POST", "/api/v1/auth/withdraw", token2, NULL, NULL);
  sd_test_data (gone, 200);
  sd_test_expect_error (s, "GET", "/api/v1/auth/me", token2, NULL, 401);
  /* orders keep their data */
  kept = sd_test_http (s, "GET", order_path, admin, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sd_test_data_object (kept, 200), "product")), ==, 1);
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
  sd_test_expect_error (s, "POST", "/api/v1/auth/sign-out-everywhere", NULL, NULL, 401);
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

/* Users imported from the original shop keep their bcrypt hashes. */
static void
test_bcrypt_import (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data data = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *sql = NULL;

  g_assert_nonnull (crypt_gensalt_rn ("$2b$", 10, NULL, 0, setting, sizeof setting));
  g_assert_nonnull (crypt_r ("Imported1!", setting, &data));
  g_assert_true (g_str_has_prefix (data.output, "$2b$"));
  /* (a hash is made of [./0-9A-Za-z$] only: nothing to quote) */
  g_assert_true (strspn (data.output, "./$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                 == strlen (data.output));
  sql = g_strdup_printf ("INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
                         " VALUES ('65e1aaaaaaaaaaaaaaaaaaaa', 'old@example.com', '옛사람', '%s',"
                         " '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')", data.output);
  g_assert_cmpint (sd_test_server_run_sql (s, sql), ==, 1);

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
  g_test_add_func ("/api/auth/password-change-revokes", test_password_change_revokes);
  g_test_add_func ("/api/auth/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/api/auth/refresh-grace", test_refresh_grace);
  g_test_add_func ("/api/auth/bcrypt-import", test_bcrypt_import);
  return g_test_run ();
}
