/* test-session.c — SdSession against a started server and a real
 * gnome-keyring (build-aux/run test provides one in a private D-Bus
 * session): sign-in, one refresh for many waiting calls, the keyring copy
 * surviving a new session object and gone after sign-out, and life
 * without a Secret Service. */
#include <libsecret/secret.h>
#include <locale.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-session-private.h"
#include "sd-shop-identity-private.h"
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-session.h"

#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static void
test_sign_in (void)
{
  const char *args[] = { "--access-ttl=2", NULL };
  g_autoptr(SdTestServer) server = NULL;
  g_autoptr(SdApi) api = NULL;
  g_autoptr(SdSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  if (!need_keyring ())
    return;
  server = sd_test_server_start_with (TRUE, args);
  api = sd_api_new (server->url, NULL);
  session = sd_session_new (api);

  g_assert_false (sign_in (session, CUSTOMER_EMAIL, "Wrong1234!", &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
  g_assert_false (sd_session_get_signed_in (session));
  g_clear_error (&error);

  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (sd_session_get_signed_in (session));
  g_assert_cmpstr (sd_session_get_email (session), ==, CUSTOMER_EMAIL);
  g_assert_cmpstr (sd_session_get_name (session), ==, "김하늘");
  g_assert_false (sd_session_get_is_admin (session));
  sd_test_wait_for (is_remembered, session);

  stored = keyring_lookup (server->url);
  g_assert_nonnull (stored);
  g_assert_nonnull (strstr (stored, "\"refreshToken\":\"ey"));
}

/* 20 calls with an expired token: one refresh, all replayed, and the
 * session still signed in after (a refresh with the spent cookie gets the
 * same new token within the shop's 30 s grace window; after it, it would
 * end the session). */
static void
test_one_refresh (void)
{
  /* Long enough that the refreshed token outlives the replays, even in
   * the slow sanitizer build; short enough to wait out. */
  const char *args[] = { "--access-ttl=3", NULL };
  g_autoptr(SdTestServer) server = NULL;
  g_autoptr(SdApi) api = NULL;
  g_autoptr(SdSession) session = NULL;
  Result results[20] = { { 0 } };

  if (!need_keyring ())
    return;
  server = sd_test_server_start_with (TRUE, args);
  api = sd_api_new (server->url, NULL);
  session = sd_session_new (api);
  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  g_usleep (3200 * 1000);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    sd_session_reload_user_async (session, NULL, bool_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      sd_test_wait (&results[i].done);
      g_assert_no_error (results[i].error);
      g_assert_true (results[i].ok);
    }
  g_assert_true (sd_session_get_signed_in (session));
}

/* The customer signed in at this shop, the session in the keyring. */
static SdSession *
remembered_customer (SdTestServer *server, SdApi **out_api)
{
  SdSession *session;

  *out_api = sd_api_new (server->url, NULL);
  session = sd_session_new (*out_api);
  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  sd_test_wait_for (is_remembered, session);
  return session;
}

static gboolean
keyring_empty (gpointer shop)
{
  g_autofree char *kept = keyring_lookup (shop);

  return kept == NULL;
}

/* Waits (up to five seconds) for the keyring to hold nothing for this shop. */
static void
wait_keyring_empty (const char *shop)
{
  sd_test_wait_until (keyring_empty, (gpointer) shop, 5000);
}

/* No keyring clear of session's in flight, nor asked for again. */
static gboolean
keyring_idle (gpointer session)
{
  SdSession *s = session;

  return !s->clearing && !s->clear_again;
}

static void
test_restore_and_sign_out (void)
{
  g_autoptr(SdTestServer) server = NULL;
  g_autoptr(SdApi) api_a = NULL, api_b = NULL, api_c = NULL;
  g_autoptr(SdSession) a = NULL, b = NULL, c = NULL;
  Result restored = { 0 }, out = { 0 }, again = { 0 };

  if (!need_keyring ())
    return;
  server = sd_test_server_start (TRUE);
  a = remembered_customer (server, &api_a);

  /* As after a restart: a new api and session, no password. */
  api_b = sd_api_new (server->url, NULL);
  b = sd_session_new (api_b);
  sd_session_restore_async (b, NULL, bool_cb, &restored);
  sd_test_wait (&restored.done);
  g_assert_no_error (restored.error);
  g_assert_true (restored.ok);
  g_assert_true (sd_session_get_signed_in (b));
  g_assert_cmpstr (sd_session_get_email (b), ==, CUSTOMER_EMAIL);

  sd_session_sign_out_async (b, NULL, bool_cb, &out);
  sd_test_wait (&out.done);
  g_assert_true (out.ok);
  g_assert_false (sd_session_get_signed_in (b));
  wait_keyring_empty (server->url);

  api_c = sd_api_new (server->url, NULL);
  c = sd_session_new (api_c);
  sd_session_restore_async (c, NULL, bool_cb, &again);
  sd_test_wait (&again.done);
  g_assert_no_error (again.error);
  g_assert_false (again.ok);
  g_assert_false (sd_session_get_signed_in (c));
}

/* The shop lost its data (a new server at the same address): the stored
 * session is refused when restored. It is forgotten — signed out, the
 * keyring entry cleared, however many calls found out at once — and a
 * new sign-in is remembered again. */
static void
test_forgotten (void)
{
  g_autoptr(SdTestServer) first = NULL, second = NULL;
  g_autoptr(SdApi) api_a = NULL, api_b = NULL;
  g_autoptr(SdSession) a = NULL, b = NULL;
  g_autofree char *listen = NULL;
  const char *args[] = { NULL, NULL };
  Result restored = { 0 }, reloads[3] = { { 0 } };

  if (!need_keyring ())
    return;
  first = sd_test_server_start (TRUE);
  a = remembered_customer (first, &api_a);
  listen = g_strdup_printf ("--listen=127.0.0.1:%s", strrchr (first->url, ':') + 1);
  args[0] = listen;
  sd_test_server_kill (first);
  second = sd_test_server_start_with (TRUE, args);
  g_assert_cmpstr (second->url, ==, first->url);

  api_b = sd_api_new (second->url, NULL);
  b = sd_session_new (api_b);
  sd_session_restore_async (b, NULL, bool_cb, &restored);
  /* Other pages asking at the same time, as at start-up. */
  for (guint i = 0; i < G_N_ELEMENTS (reloads); i++)
    sd_session_reload_user_async (b, NULL, bool_cb, &reloads[i]);
  sd_test_wait (&restored.done);
  g_assert_false (restored.ok);
  for (guint i = 0; i < G_N_ELEMENTS (reloads); i++)
    {
      sd_test_wait (&reloads[i].done);
      g_assert_false (reloads[i].ok);
      g_clear_error (&reloads[i].error);
    }
  g_clear_error (&restored.error);
  g_assert_false (sd_session_get_signed_in (b));
  g_assert_false (sd_session_get_remembered (b));
  wait_keyring_empty (second->url);
  sd_test_wait_until (keyring_idle, b, 5000);

  g_assert_true (sign_in (b, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  sd_test_wait_for (is_remembered, b);
}

/* Without a Secret Service: signed in for this run, not remembered. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SdTestServer) server = NULL;
      g_autoptr(SdApi) api = NULL;
      g_autoptr(SdSession) session = NULL;
      Result restored = { 0 };

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      server = sd_test_server_start (TRUE);
      api = sd_api_new (server->url, NULL);
      session = sd_session_new (api);
      g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
      for (guint i = 0; i < 50; i++)   /* let the failed store finish */
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10 * 1000);
        }
      g_assert_true (sd_session_get_signed_in (session));
      g_assert_false (sd_session_get_remembered (session));

      sd_session_restore_async (session, NULL, bool_cb, &restored);
      sd_test_wait (&restored.done);
      g_assert_no_error (restored.error);
      g_assert_false (restored.ok);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Sign-up with the mailed code, then signed in; in both of the server's
 * modes (the original compares inputNumber as a string, authService.js:308). */
static void
test_sign_up (gconstpointer mode)
{
  const char *args[] = { mode, NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = sd_session_new (api);
  g_autofree char *code = NULL;
  Result r = { 0 };

  sd_session_request_code_async (session, "new@example.com", NULL, finish_cb, &r);
  WAIT_OK (r);
  code = sd_test_read_code (server, "new@example.com");
  sd_session_confirm_email_async (session, "new@example.com", "000000", NULL, finish_cb, &r);
  WAIT_REFUSED (r, SD_API_ERROR_INVALID_INPUT);   /* the shop's own words */
  sd_session_confirm_email_async (session, "new@example.com", code, NULL, finish_cb, &r);
  WAIT_OK (r);
  /* Digits only, as the app sends them (API.md, field rules): the
   * original refuses hyphens (settings/formValidator.js:20-23). */
  sd_session_sign_up_async (session, "이몽룡", "01099998888", "new@example.com", "Passw0rd!",
                            "서울시 종로구 1", NULL, NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_true (sd_session_get_signed_in (session));
  g_assert_cmpstr (sd_session_get_name (session), ==, "이몽룡");
}

/* The customer's other device: a session on an SdApi of its own. */
static SdSession *
other_device (SdTestServer *server)
{
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);

  return sd_session_new (api);
}

/* Profile, password, forgotten password, withdrawal. */
static void
test_account (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = sd_session_new (api);
  g_autoptr(SdSession) other = other_device (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Result r = { 0 };

  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  sd_session_update_profile_async (session, "김하늘별", NULL, "대구시 중구 2", "3층", NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_cmpstr (sd_session_get_name (session), ==, "김하늘별");
  sd_session_update_profile_async (session, NULL, "02-123", NULL, NULL, NULL, finish_cb, &r);
  WAIT_REFUSED (r, SD_API_ERROR_INVALID_INPUT);

  sd_session_change_password_async (session, "Changed12!", NULL, finish_cb, &r);
  WAIT_OK (r);
  /* the shop ended every session; this device signed in again by itself */
  sd_api_set_access_token (api, "expired");
  sd_session_reload_user_async (session, NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_true (sd_session_get_signed_in (session));
  g_assert_true (sign_in (other, CUSTOMER_EMAIL, "Changed12!", &error));
  g_assert_no_error (error);

  sd_session_request_code_async (session, CUSTOMER_EMAIL, NULL, finish_cb, &r);
  WAIT_OK (r);
  code = sd_test_read_code (server, CUSTOMER_EMAIL);
  sd_session_reset_password_async (session, CUSTOMER_EMAIL, code, "Reset1234!", NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_true (sign_in (other, CUSTOMER_EMAIL, "Reset1234!", &error));
  g_assert_no_error (error);

  sd_session_withdraw_async (other, NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_false (sd_session_get_signed_in (other));
  g_assert_false (sign_in (other, CUSTOMER_EMAIL, "Reset1234!", &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
}

static gboolean
can_sign_out_everywhere (gpointer session)
{
  return sd_session_get_can_sign_out_everywhere (session);
}

static gboolean
keyring_is_empty (gpointer shop)
{
  g_autofree char *text = keyring_lookup (shop);

  return text == NULL;
}

/* [ext] "sessions": signing out everywhere ends the other device's
 * session too, and this one here. */
static void
test_sign_out_everywhere (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = sd_session_new (api);
  g_autoptr(SdSession) other = other_device (server);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  Result o = { 0 };

  if (!need_keyring ())
    return;
  g_assert_false (sd_session_get_can_sign_out_everywhere (session));
  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  /* learnt from the shop's /health once signed in */
  sd_test_wait_for (can_sign_out_everywhere, session);
  g_assert_true (sign_in (other, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  /* Both keep the shop's one keyring item: one write at a time. */
  sd_test_wait_for (is_remembered, other);

  sd_session_sign_out_everywhere_async (session, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_false (sd_session_get_signed_in (session));
  /* This device's doing: the window does not say the shop ended it. */
  g_assert_false (sd_session_get_ended_by_shop (session));
  sd_test_wait_for (keyring_is_empty, server->url);

  /* The other device finds out at its next refresh. */
  sd_api_set_access_token (sd_session_get_api (other), "expired");
  sd_session_reload_user_async (other, NULL, bool_cb, &o);
  sd_test_wait (&o.done);
  g_assert_error (o.error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
  g_clear_error (&o.error);
  g_assert_false (sd_session_get_signed_in (other));
  g_assert_true (sd_session_get_ended_by_shop (other));
  g_assert_true (sign_in (other, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &error));
  g_assert_no_error (error);
}

static gboolean
is_connected (gpointer session)
{
  return sd_session_get_connected (session);
}

static gboolean
is_offline (gpointer session)
{
  return !sd_api_get_online (sd_session_get_api (session));
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* "connected" (signed in and the shop reachable) follows a shop that goes
 * away and comes back by itself, with nobody making requests: that is
 * what queued uploads wait for. */
static void
test_connected (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = sd_session_new (api);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  Result r = { 0 };
  guint changes = 0;

  g_assert_true (sd_api_get_online (api));
  g_assert_false (sd_session_get_connected (session));
  g_signal_connect (session, "notify::connected", G_CALLBACK (count_notify), &changes);
  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  g_assert_true (sd_session_get_connected (session));
  g_assert_cmpuint (changes, ==, 1);

  sd_test_server_keep_port (server);
  sd_test_server_kill (server);
  sd_catalog_load_async (catalog, NULL, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_clear_error (&r.error);
  g_assert_true (is_offline (session));
  g_assert_false (sd_session_get_connected (session));
  g_assert_cmpuint (changes, ==, 2);

  /* Back on the same port: the api's own probes notice. */
  sd_test_server_restart (server, TRUE);
  sd_test_wait_for (is_connected, session);
  g_assert_true (sd_api_get_online (api));
  g_assert_cmpuint (changes, ==, 3);

  r = (Result) { 0 };
  sd_session_sign_out_async (session, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_false (sd_session_get_connected (session));
  g_assert_cmpuint (changes, ==, 4);
}

/* ---- against storedesk-server --no-extensions ----------------------------
 * No [ext] features: a wrong sign-in carries the email-case hint, and a
 * session whose access token the shop refuses is refreshed with the
 * cookie alone (never a bearer beside it). */
static void
test_no_extensions (gconstpointer mode)
{
  const char *args[] = { mode, NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  sd_api_identify_async (api, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_true (r.ok);
  g_assert_true (sd_api_is_original (api));
  /* no shopId from the original's /health: keyed by origin */
  g_assert_cmpstr (sd_api_get_shop_key (api), ==, server->url);
  session = sd_session_new (api);

  g_assert_false (sign_in (session, CUSTOMER_EMAIL, "Wrong1234!", &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "capital and small letters"));
  g_clear_error (&error);

  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sd_api_get_refresh_token (api));
  /* The original's "" for no picture (GET /auth/me) is no picture, not a
   * picture at "". */
  {
    Result me = { 0 };

    sd_session_reload_user_async (session, NULL, bool_cb, &me);
    sd_test_wait (&me.done);
    g_assert_no_error (me.error);
    g_assert_null (sd_session_get_profile_image (session));
  }
  /* A token the shop refuses: one refresh with the cookie, then replayed. */
  sd_api_set_access_token (api, "not-a-token");
  r = (Result) { 0 };
  sd_session_reload_user_async (session, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpstr (sd_api_get_access_token (api), !=, "not-a-token");
  g_assert_true (sd_session_get_signed_in (session));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/sign-in", test_sign_in);
  g_test_add_func ("/session/one-refresh", test_one_refresh);
  g_test_add_func ("/session/restore-and-sign-out", test_restore_and_sign_out);
  g_test_add_func ("/session/forgotten", test_forgotten);
  g_test_add_func ("/session/no-keyring", test_no_keyring);
  g_test_add_data_func ("/session/sign-up", NULL, test_sign_up);
  g_test_add_data_func ("/session/sign-up/no-extensions", "--no-extensions", test_sign_up);
  g_test_add_data_func ("/session/no-extensions", "--no-extensions", test_no_extensions);
  g_test_add_func ("/session/account", test_account);
  g_test_add_func ("/session/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/session/connected", test_connected);
  return g_test_run ();
}
