/* test-server-api-limits.c — storedesk-server's codes and sign-in cannot
 * be brute-forced: the per-address and per-account limits, over real HTTP
 * against a started server (fresh data dir each). */
#include <crypt.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-api.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api/auth/code-send-limits", test_code_send_limits);
  g_test_add_func ("/api/auth/code-guess-limits", test_code_guess_limits);
  g_test_add_func ("/api/auth/sign-in-no-lockout", test_sign_in_no_lockout);
  return g_test_run ();
}
