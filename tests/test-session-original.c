/* test-session-original.c — SdSession against a responder answering as
 * the original's source does: its refresh cookie kept in the keyring and
 * sent alone, and its account calls' failures never shown raw. */
#include <libsecret/secret.h>
#include <locale.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-shop-identity-private.h"
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-session.h"

#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static void
expire_all (Original *o)
{
  g_mutex_lock (&o->lock);
  o->valid_from = o->next;
  g_mutex_unlock (&o->lock);
}

/* The original's refresh: its cookie (Secure, Domain=localhost) read over
 * http from 127.0.0.1, kept in the keyring, and sent alone. */
static void
test_original_refresh (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) raw = NULL;
  g_autoptr(SdApi) api = NULL, api2 = NULL;
  g_autoptr(SdSession) session = NULL, session2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  Result r = { 0 };

  if (!need_keyring ())
    return;
  raw = sd_test_raw_start (original_cb, o);
  api = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (api);
  session = sd_session_new (api);

  /* The address as typed at sign-up, capitals included. */
  g_assert_false (sign_in (session, "kim@example.com", "Passw0rd!", &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "capital and small letters"));
  g_clear_error (&error);
  g_assert_true (sign_in (session, "Kim@Example.com", "Passw0rd!", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sd_api_get_refresh_token (api), ==, "ref-1");
  sd_test_wait_for (is_remembered, session);
  stored = keyring_lookup (sd_api_get_shop_key (api));
  g_assert_nonnull (strstr (stored, "\"refreshToken\":\"ref-1\""));

  /* The access token expires: refreshed with the cookie and no bearer. */
  expire_all (o);
  sd_session_reload_user_async (session, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (o->refreshes, ==, 1);
  g_assert_false (o->refresh_had_bearer);
  g_assert_cmpstr (o->refresh_cookie, ==, "ref-1");
  g_assert_true (g_str_has_prefix (sd_api_get_access_token (api), "acc-"));

  /* A restart, the kept access token expired meanwhile: restored through
   * the kept cookie; no made-up bearer ever sent. */
  sd_test_wait_for (is_remembered, session);
  expire_all (o);
  api2 = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (api2);
  session2 = sd_session_new (api2);
  r = (Result) { 0 };
  sd_session_restore_async (session2, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (sd_session_get_signed_in (session2));
  g_assert_cmpuint (o->refreshes, ==, 2);
  g_assert_false (o->refresh_had_bearer);
  g_assert_cmpuint (o->expired_literal, ==, 0);
}

static void
assert_not_dump (const GError *error)
{
  g_assert_null (strstr (error->message, "session is not defined"));
  g_assert_null (strstr (error->message, "Cast"));
  g_assert_null (strstr (error->message, "E11000"));
  g_assert_null (strstr (error->message, "validation"));
  g_assert_null (strstr (error->message, "JSON at position"));
  g_assert_null (strstr (error->message, "오류가 발생했습니다"));
}

static void
call_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &r->error);

  r->ok = data != NULL;
  r->done = TRUE;
}

/* Calls method path (with body) on api: the shop's fault is code, said in
 * our words. */
static void
assert_call_refused (SdApi *api, const char *method, const char *path, JsonNode *body, int code)
{
  Result r = { 0 };

  sd_api_call_async (api, method, path, body, NULL, call_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, code);
  assert_not_dump (r.error);
  g_clear_error (&r.error);
}

/* Waits for the session's call that fills r, asserting it failed with
 * code: the error (r is ready for the next call). */
static GError *
wait_error (Result *r, int code)
{
  sd_test_wait (&r->done);
  g_assert_error (r->error, SD_API_ERROR, code);
  r->done = FALSE;
  return g_steal_pointer (&r->error);
}

/* What the original answers with a 500, said in our words with what to do
 * next; its 4xx validation messages as they are. */
static void
test_original_accounts (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) raw = sd_test_raw_start (original_cb, o);
  g_autoptr(SdApi) api = sd_api_new (sd_test_raw_get_url (raw), NULL);
  g_autoptr(SdSession) session = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"status\":\"보류\"}", NULL);
  GError *error = NULL;
  Result r = { 0 };

  identify (api);
  session = sd_session_new (api);
  sd_session_request_code_async (session, "new@example.com", NULL, finish_cb, &r);
  WAIT_OK (r);
  sd_session_request_code_async (session, "new@example.com", NULL, finish_cb, &r);
  error = wait_error (&r, SD_API_ERROR_TOO_MANY_REQUESTS);
  g_assert_cmpstr (error->message, ==,
                   "A code was sent a moment ago; check your mail, or wait five minutes to ask for a new one.");
  g_clear_error (&error);

  /* The code in data (123456) is never used: only what the user types. */
  sd_session_confirm_email_async (session, "new@example.com", "000000", NULL, finish_cb, &r);
  error = wait_error (&r, SD_API_ERROR_INVALID_INPUT);
  assert_not_dump (error);
  g_assert_nonnull (strstr (error->message, "ask for a new one"));
  g_clear_error (&error);
  sd_session_confirm_email_async (session, "new@example.com", "123456", NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_true (o->input_was_string);

  /* A 4xx validation message is the shop's own. */
  sd_session_sign_up_async (session, "Kim", "01012345678", "new@example.com", "Passw0rd!", "서울", NULL,
                            NULL, finish_cb, &r);
  error = wait_error (&r, SD_API_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "이름 형식이 일치하지 않습니다.");
  g_clear_error (&error);

  g_assert_true (sign_in (session, "Kim@Example.com", "Passw0rd!", NULL));
  sd_session_withdraw_async (session, NULL, finish_cb, &r);
  error = wait_error (&r, SD_API_ERROR_UNSUPPORTED);
  assert_not_dump (error);
  g_assert_nonnull (strstr (error->message, "contact the shop"));
  g_assert_true (sd_session_get_signed_in (session));
  g_clear_error (&error);

  sd_session_change_password_async (session, "Changed12!", NULL, finish_cb, &r);
  error = wait_error (&r, SD_API_ERROR_INVALID_INPUT);
  assert_not_dump (error);
  g_clear_error (&error);

  /* Faults on any route: a malformed id, a missing or unknown value, JSON
   * the shop could not read. */
  assert_call_refused (api, "GET", "/api/v1/products/not-an-id", NULL, SD_API_ERROR_NOT_FOUND);
  assert_call_refused (api, "POST", "/api/v1/orders", body, SD_API_ERROR_INVALID_INPUT);
  assert_call_refused (api, "GET", "/api/v1/categories", NULL, SD_API_ERROR_SERVER);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/original/refresh", test_original_refresh);
  g_test_add_func ("/session/original/accounts", test_original_accounts);
  return g_test_run ();
}
