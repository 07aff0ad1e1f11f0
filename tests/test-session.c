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
#include "sd-shop-identity-private.h"
#include "sd-test-http.h"
#include "sd-test-original.h"

#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static const SecretSchema *
schema (void)
{
  static const SecretSchema s = {
    "io.github.storedesk.Storedesk.Session", SECRET_SCHEMA_NONE,
    { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &s;
}

/* What the keyring holds for this shop, looked up directly. */
static char *
keyring_lookup (const char *shop)
{
  g_autoptr(GError) error = NULL;
  char *text = secret_password_lookup_sync (schema (), NULL, &error, "shop", shop, NULL);

  g_assert_no_error (error);
  return text;
}

static gboolean
need_keyring (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus with a Secret Service (run through build-aux/run test)");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
bool_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  GTask *task = G_TASK (result);

  /* All SdSession calls finish as boolean tasks. */
  r->ok = g_task_propagate_boolean (task, &r->error);
  r->done = TRUE;
}

static gboolean
sign_in (SdSession *session, const char *email, const char *password, GError **error)
{
  Result r = { 0 };

  sd_session_sign_in_async (session, email, password, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

static gboolean
is_remembered (gpointer session)
{
  return sd_session_get_remembered (session);
}

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

/* Waits (up to a second) for the keyring to hold nothing for this shop. */
static void
wait_keyring_empty (const char *shop)
{
  g_autofree char *after = NULL;

  for (guint i = 0; i < 50 && (after = keyring_lookup (shop)) != NULL; i++)
    {
      g_clear_pointer (&after, g_free);
      sd_test_settle_ms (20);
    }
  g_assert_null (after);
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
  sd_test_settle_ms (300);   /* any clear still going finishes */

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

static void
finish_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_session_finish (SD_SESSION (source), result, &r->error);
  r->done = TRUE;
}

#define WAIT_OK(r) G_STMT_START { sd_test_wait (&(r).done); g_assert_no_error ((r).error); \
                                  g_assert_true ((r).ok); (r).done = FALSE; } G_STMT_END

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
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);   /* the shop's own words */
  g_clear_error (&r.error);
  r.done = FALSE;
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

/* Profile, password, forgotten password, withdrawal. */
static void
test_account (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) session = sd_session_new (api);
  g_autoptr(SdApi) api2 = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) other = sd_session_new (api2);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Result r = { 0 };

  g_assert_true (sign_in (session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL));
  sd_session_update_profile_async (session, "김하늘별", NULL, "대구시 중구 2", "3층", NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_cmpstr (sd_session_get_name (session), ==, "김하늘별");
  sd_session_update_profile_async (session, NULL, "02-123", NULL, NULL, NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  g_clear_error (&r.error);
  r.done = FALSE;

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
  g_autoptr(SdApi) api2 = sd_api_new (server->url, NULL);
  g_autoptr(SdSession) other = sd_session_new (api2);
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
  sd_api_set_access_token (api2, "expired");
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

/* ---- a responder answering as the original's source does ----------------
 * Tokens: access "acc-N" (N counts up; those below valid_from are
 * expired), refresh "ref-1"; a token made without a user id is "noid-N". */
typedef struct {
  GMutex   lock;
  guint    next;            /* the next access token's number */
  guint    valid_from;      /* access tokens below this are expired */
  guint    refreshes;
  gboolean refresh_had_bearer;
  char    *refresh_cookie;
  guint    expired_literal; /* requests whose bearer was "expired" */
  guint    codes_sent;
  gboolean input_was_string;
  char    *shop_id;         /* /health: NULL the original's, else ours with this id */
} Original;

static void
original_clear (Original *o)
{
  g_free (o->refresh_cookie);
  g_free (o->shop_id);
  g_mutex_clear (&o->lock);
}

static char *
cookie_value (GHashTable *headers)
{
  const char *cookie = g_hash_table_lookup (headers, "cookie");
  g_auto(GStrv) parts = cookie ? g_strsplit (cookie, "; ", -1) : NULL;

  /* middleware/utils/extractToken.js:14-22: split on "; ", "refreshToken=" */
  for (guint i = 0; parts && parts[i]; i++)
    if (g_str_has_prefix (parts[i], "refreshToken="))
      return g_strdup (parts[i] + strlen ("refreshToken="));
  return NULL;
}

static char *
bearer (GHashTable *headers)
{
  const char *auth = g_hash_table_lookup (headers, "authorization");
  const char *space = auth ? strchr (auth, ' ') : NULL;

  return space ? g_strdup (space + 1) : NULL;
}

typedef enum { TOKEN_NONE, TOKEN_VALID, TOKEN_EXPIRED, TOKEN_NO_ID, TOKEN_BAD } TokenState;

static TokenState
token_state (Original *o, const char *token)
{
  if (token == NULL)
    return TOKEN_NONE;
  if (g_str_equal (token, "ref-1"))
    return TOKEN_VALID;
  if (g_str_has_prefix (token, "noid-"))
    return TOKEN_NO_ID;
  if (g_str_has_prefix (token, "acc-"))
    return g_ascii_strtoull (token + 4, NULL, 10) >= o->valid_from ? TOKEN_VALID : TOKEN_EXPIRED;
  return TOKEN_BAD;
}

static char *
error_reply (guint status, const char *message)
{
  g_autofree char *json = g_strdup_printf ("{\"data\":null,\"error\":\"%s\"}", message);
  return sd_test_raw_response (status, NULL, json);
}

static char *
original_cb (const char *method, const char *path, GHashTable *headers, const char *body, gpointer user_data)
{
  Original *o = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&o->lock);
  g_autofree char *token = bearer (headers);
  g_autofree char *cookie = cookie_value (headers);
  /* extractToken.js:4-10: a header wins over the cookie */
  const char *presented = token ? token : cookie;
  TokenState state = token_state (o, presented);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *in = *body && json_parser_load_from_data (parser, body, -1, NULL) &&
                   json_parser_get_root (parser) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
                   ? json_node_get_object (json_parser_get_root (parser)) : NULL;

  if (g_strcmp0 (token, "expired") == 0)
    o->expired_literal++;
  if (g_str_equal (path, "/health"))
    {
      g_autofree char *ours = NULL;

      /* app.js:58-62 */
      if (o->shop_id == NULL)
        return sd_test_raw_response (200, NULL, "{\"status\":\"OK! ><\"}");
      ours = g_strdup_printf ("{\"error\":null,\"data\":{\"status\":\"OK\",\"shopId\":\"%s\","
                              "\"features\":[\"paging\"]}}", o->shop_id);
      return sd_test_raw_response (200, NULL, ours);
    }
  if (g_str_equal (path, "/api/v1/auth/sign-in"))
    {
      g_autofree char *json = NULL;
      g_autofree char *cookie_line = NULL;

      /* authService.js:96-137 and userDAO.js:38 (the email as typed) */
      if (in == NULL || g_strcmp0 (json_object_get_string_member_with_default (in, "email", ""), "Kim@Example.com") != 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (in, "password", ""), "Passw0rd!") != 0)
        return error_reply (401, "인증이 실패하거나 토큰을 생성할 수 없습니다.");
      json = g_strdup_printf ("{\"data\":{\"accessToken\":\"acc-%u\"},\"error\":null}", o->next++);
      /* authController.js:45 with settings/cookieOptions.js:17-22, as
       * Express writes it (COOKIE_DOMAIN=localhost, COOKIE_SECURE set) */
      cookie_line = g_strdup ("Set-Cookie: refreshToken=ref-1; Max-Age=21600; Domain=localhost; Path=/; "
                              "Expires=Fri, 01 Jan 2100 00:00:00 GMT; HttpOnly; Secure\r\n");
      return sd_test_raw_response (201, cookie_line, json);
    }
  if (g_str_equal (path, "/api/v1/auth/refresh-access-token"))
    {
      g_autofree char *json = NULL;

      o->refreshes++;
      o->refresh_had_bearer = token != NULL;
      g_free (o->refresh_cookie);
      o->refresh_cookie = g_strdup (cookie);
      /* loginMiddleware.js:16-26, 31-54 and 57-76: an expired bearer with
       * a valid cookie passes without req.userId, and authService.js:413-416
       * then signs { id: undefined } */
      if (state == TOKEN_EXPIRED && token_state (o, cookie) == TOKEN_VALID && g_strcmp0 (cookie, "ref-1") == 0)
        json = g_strdup_printf ("{\"data\":{\"accessToken\":\"noid-%u\"},\"error\":null}", o->next++);
      else if (state == TOKEN_VALID)
        json = g_strdup_printf ("{\"data\":{\"accessToken\":\"acc-%u\"},\"error\":null}", o->next++);
      else
        return error_reply (401, "유효하지 않은 토큰입니다.");
      return sd_test_raw_response (200, NULL, json);
    }
  if (g_str_equal (path, "/api/v1/auth/send-confirmation-email"))
    {
      /* authService.js:259-296: the code in data; the second within five
       * minutes breaks emailVerification.js:9's unique index (app.js:102) */
      if (o->codes_sent++ > 0)
        return error_reply (500, "E11000 duplicate key error collection: test.EmailVerification index: email_1 "
                                 "dup key: { email: \\\"new@example.com\\\" }");
      return sd_test_raw_response (200, NULL, "{\"data\":123456,\"error\":null}");
    }
  if (g_str_equal (path, "/api/v1/auth/confirm-email"))
    {
      JsonNode *input = in ? json_object_get_member (in, "inputNumber") : NULL;

      /* authService.js:299-316: === against the stored string; any failure 500 */
      o->input_was_string = input && JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING;
      if (o->input_was_string && g_str_equal (json_node_get_string (input), "123456"))
        return sd_test_raw_response (200, NULL, "{\"data\":\"이메일이 성공적으로 인증되었습니다.\",\"error\":null}");
      return error_reply (500, "이메일 인증 중에 오류가 발생했습니다.");
    }
  if (g_str_equal (path, "/api/v1/auth/sign-up"))
    /* authService.js:29-35 */
    return error_reply (400, "이름 형식이 일치하지 않습니다.");
  if (g_str_equal (path, "/api/v1/products/not-an-id"))
    /* mongoose CastError through app.js:102 */
    return error_reply (500, "Cast to ObjectId failed for value \\\"not-an-id\\\" (type string) at path \\\"_id\\\" for model \\\"Product\\\"");
  if (g_str_equal (path, "/api/v1/orders") && g_str_equal (method, "POST"))
    return error_reply (500, "Order validation failed: status: `보류` is not a valid enum value for path `status`.");
  if (g_str_equal (path, "/api/v1/categories"))
    /* express.json () refusing a body it cannot parse, app.js:47 and :102 */
    return error_reply (500, "Unexpected token } in JSON at position 10");

  /* Everything below goes through checkAuthentication (). */
  if (state != TOKEN_VALID)
    return error_reply (401, "토큰이 만료되었습니다.");
  if (g_str_equal (path, "/api/v1/auth/me") && g_str_equal (method, "GET"))
    return sd_test_raw_response (200, NULL,
                                 "{\"data\":{\"name\":\"김하늘\",\"phoneNumber\":\"01012345678\",\"email\":\"Kim@Example.com\","
                                 "\"address\":\"서울\",\"addressDetail\":\"1층\",\"role\":\"user\",\"profileImage\":null},"
                                 "\"error\":null}");
  if (g_str_equal (path, "/api/v1/auth/withdraw"))
    /* authService.js:254 */
    return error_reply (500, "session is not defined");
  if (g_str_equal (path, "/api/v1/auth/change-password"))
    /* authService.js:340-342 */
    return error_reply (500, "비밀번호 변경 중 오류가 발생했습니다.");
  return error_reply (404, "Resource not found");
}

static Original *
original_new (void)
{
  Original *o = g_new0 (Original, 1);

  g_mutex_init (&o->lock);
  o->next = 1;
  return o;
}

static void
original_free (Original *o)
{
  original_clear (o);
  g_free (o);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Original, original_free)

static void
identify (SdApi *api)
{
  Result r = { 0 };

  sd_api_identify_async (api, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

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
  Result r = { 0 };

  identify (api);
  session = sd_session_new (api);
  sd_session_request_code_async (session, "new@example.com", NULL, finish_cb, &r);
  WAIT_OK (r);
  sd_session_request_code_async (session, "new@example.com", NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_TOO_MANY_REQUESTS);
  g_assert_cmpstr (r.error->message, ==,
                   "A code was sent a moment ago; check your mail, or wait five minutes to ask for a new one.");
  g_clear_error (&r.error);
  r.done = FALSE;

  /* The code in data (123456) is never used: only what the user types. */
  sd_session_confirm_email_async (session, "new@example.com", "000000", NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  assert_not_dump (r.error);
  g_assert_nonnull (strstr (r.error->message, "ask for a new one"));
  g_clear_error (&r.error);
  r.done = FALSE;
  sd_session_confirm_email_async (session, "new@example.com", "123456", NULL, finish_cb, &r);
  WAIT_OK (r);
  g_assert_true (o->input_was_string);

  /* A 4xx validation message is the shop's own. */
  sd_session_sign_up_async (session, "Kim", "01012345678", "new@example.com", "Passw0rd!", "서울", NULL,
                            NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  g_assert_cmpstr (r.error->message, ==, "이름 형식이 일치하지 않습니다.");
  g_clear_error (&r.error);
  r.done = FALSE;

  g_assert_true (sign_in (session, "Kim@Example.com", "Passw0rd!", NULL));
  sd_session_withdraw_async (session, NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED);
  assert_not_dump (r.error);
  g_assert_nonnull (strstr (r.error->message, "contact the shop"));
  g_assert_true (sd_session_get_signed_in (session));
  g_clear_error (&r.error);
  r.done = FALSE;

  sd_session_change_password_async (session, "Changed12!", NULL, finish_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  assert_not_dump (r.error);
  g_clear_error (&r.error);

  /* Faults on any route: a malformed id, a missing or unknown value, JSON
   * the shop could not read. */
  r = (Result) { 0 };
  sd_api_call_async (api, "GET", "/api/v1/products/not-an-id", NULL, NULL, call_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND);
  assert_not_dump (r.error);
  g_clear_error (&r.error);
  r = (Result) { 0 };
  sd_api_call_async (api, "POST", "/api/v1/orders", body, NULL, call_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT);
  assert_not_dump (r.error);
  g_clear_error (&r.error);
  r = (Result) { 0 };
  sd_api_call_async (api, "GET", "/api/v1/categories", NULL, NULL, call_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_SERVER);
  assert_not_dump (r.error);
  g_clear_error (&r.error);
}

/* ---- shop identity ---------------------------------------------------------- */

static SdProduct *
product (const char *id)
{
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"%s\",\"categoryId\":\"c1\",\"name\":\"바구니\",\"brand\":\"b\","
                                           "\"price\":12000,\"image\":\"\",\"description\":\"\"}", id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return sd_product_new_from_json (node, NULL);
}

static gboolean
cart_saved (gpointer cart)
{
  return !sd_cart_get_saving (cart);
}

static SdCart *
load_cart (SdApi *api)
{
  SdCart *cart = sd_cart_new (sd_api_get_shop_key (api));
  Result r = { 0 };

  sd_cart_load_async (cart, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  return cart;
}

static void
put_in_cart (SdApi *api, const char *product_id)
{
  g_autoptr(SdCart) cart = load_cart (api);
  g_autoptr(SdProduct) p = product (product_id);

  sd_cart_add (cart, p, NULL, 1);
  sd_test_wait_for (cart_saved, cart);
}

static gboolean
cart_has (SdCart *cart, const char *product_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cart)); i++)
    {
      g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);

      if (g_str_equal (sd_cart_line_get_product_id (line), product_id))
        return TRUE;
    }
  return FALSE;
}

static void
keep_guest_key (const char *shop, const char *order, const char *key)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (sd_guest_order_schema (), SECRET_COLLECTION_DEFAULT, "test guest order",
                                             key, NULL, &error, "shop", shop, "order", order, NULL));
  g_assert_no_error (error);
}

static char *
guest_key (const char *shop, const char *order)
{
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_sync (sd_guest_order_schema (), NULL, &error, "shop", shop, "order", order, NULL);

  g_assert_no_error (error);
  return key;
}

/* A shop first known by its address shows an id: the cart, the guests'
 * keys, the session and the upload queue move to the id, merged with
 * what the id had; a clash keeps both. */
static void
test_shop_migration (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) raw = NULL;
  g_autoptr(SdApi) before = NULL, after = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *url_key = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *uploads = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k3_old = NULL, *session_text = NULL;

  if (!need_keyring ())
    return;
  raw = sd_test_raw_start (original_cb, o);
  before = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (before);
  url_key = g_strdup (sd_api_get_shop_key (before));
  g_assert_cmpstr (url_key, ==, sd_test_raw_get_url (raw));

  /* Kept under the address. */
  put_in_cart (before, "p-address");
  keep_guest_key (url_key, "o1", "key-1");
  keep_guest_key (url_key, "o3", "key-3-address");
  g_assert_true (secret_password_store_sync (schema (), SECRET_COLLECTION_DEFAULT, "test session",
                                             "{\"email\":\"x\",\"refreshToken\":\"r\",\"accessToken\":\"\"}",
                                             NULL, NULL, "shop", url_key, NULL));
  uploads = sd_shop_uploads_path (url_key);
  g_assert_cmpint (g_mkdir_with_parents (uploads, 0700), ==, 0);
  {
    g_autofree char *f = g_build_filename (uploads, "u1.json", NULL);
    g_assert_true (g_file_set_contents (f, "{}", -1, NULL));
  }
  /* And already under the id (another computer's start, say). */
  {
    g_autoptr(SdCart) id_cart = sd_cart_new (id);
    g_autoptr(SdProduct) p = product ("p-id");
    Result r = { 0 };

    sd_cart_load_async (id_cart, NULL, bool_cb, &r);
    sd_test_wait (&r.done);
    sd_cart_add (id_cart, p, NULL, 1);
    sd_test_wait_for (cart_saved, id_cart);
  }
  keep_guest_key (id, "o2", "key-2");
  keep_guest_key (id, "o3", "key-3-id");

  /* Now the shop gives its id. */
  g_mutex_lock (&o->lock);
  o->shop_id = g_strdup (id);
  g_mutex_unlock (&o->lock);
  after = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (after);
  g_assert_cmpstr (sd_api_get_shop_key (after), ==, id);

  cart = load_cart (after);
  g_assert_true (cart_has (cart, "p-address"));
  g_assert_true (cart_has (cart, "p-id"));
  {
    g_autofree char *old_cart = sd_shop_cart_path (url_key);
    g_assert_false (g_file_test (old_cart, G_FILE_TEST_EXISTS));
  }
  k1 = guest_key (id, "o1");
  k2 = guest_key (id, "o2");
  k3 = guest_key (id, "o3");
  k3_old = guest_key (url_key, "o3");
  g_assert_cmpstr (k1, ==, "key-1");
  g_assert_cmpstr (k2, ==, "key-2");
  /* Two keys for one order: neither is lost. */
  g_assert_cmpstr (k3, ==, "key-3-id");
  g_assert_cmpstr (k3_old, ==, "key-3-address");
  g_free (k1);
  k1 = guest_key (url_key, "o1");
  g_assert_null (k1);
  session_text = keyring_lookup (id);
  g_assert_nonnull (session_text);
  g_clear_pointer (&session_text, g_free);
  session_text = keyring_lookup (url_key);
  g_assert_null (session_text);
  {
    g_autofree char *new_uploads = sd_shop_uploads_path (id);
    moved = g_build_filename (new_uploads, "u1.json", NULL);
  }
  g_assert_true (g_file_test (moved, G_FILE_TEST_EXISTS));
}

/* The same shop (its id) on another port keeps the cart and the guests'
 * keys; and when it does not answer, the id it gave last time there. */
static void
test_shop_new_port (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) first = NULL, second = NULL;
  g_autoptr(SdApi) a = NULL, b = NULL, c = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *key = NULL;
  g_autofree char *second_url = NULL;

  if (!need_keyring ())
    return;
  o->shop_id = g_strdup (id);
  first = sd_test_raw_start (original_cb, o);
  a = sd_api_new (sd_test_raw_get_url (first), NULL);
  identify (a);
  g_assert_cmpstr (sd_api_get_shop_key (a), ==, id);
  put_in_cart (a, "p1");
  keep_guest_key (sd_api_get_shop_key (a), "o1", "key-1");
  sd_test_raw_stop (g_steal_pointer (&first));

  second = sd_test_raw_start (original_cb, o);
  second_url = g_strdup (sd_test_raw_get_url (second));
  b = sd_api_new (second_url, NULL);
  identify (b);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, id);
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p1"));
  key = guest_key (sd_api_get_shop_key (b), "o1");
  g_assert_cmpstr (key, ==, "key-1");

  /* Not answering there: still the id. */
  sd_test_raw_stop (g_steal_pointer (&second));
  c = sd_api_new (second_url, NULL);
  identify (c);
  g_assert_cmpstr (sd_api_get_shop_key (c), ==, id);
}

/* The demo shop restarted on another port with the same data: keyed by
 * its id when it gives one (the same id: the cart is kept); until it
 * does, by its address. */
static void
test_shop_demo_restart (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) a = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) b = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *first_key = NULL;
  g_autofree char *first_url = g_strdup (server->url);

  identify (a);
  first_key = g_strdup (sd_api_get_shop_key (a));
  put_in_cart (a, "p-demo");
  sd_test_server_kill (server);
  sd_test_server_restart (server, TRUE);   /* a new port */
  b = sd_api_new (server->url, NULL);
  identify (b);
  /* storedesk-server says its shopId: the key is the shop, not the port. */
  g_assert_cmpstr (first_key, !=, first_url);
  g_assert_cmpstr (server->url, !=, first_url);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, first_key);
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p-demo"));
}

typedef struct {
  gboolean done;
  gboolean known;
} Recall;

static void
recall_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Recall *r = user_data;
  g_autoptr(GError) error = NULL;

  r->known = sd_api_recall_finish (SD_API (source), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

static gboolean
recall (SdApi *api)
{
  Recall r = { 0 };

  sd_api_recall_async (api, NULL, recall_cb, &r);
  sd_test_wait (&r.done);
  return r.known;
}

/* A start remembers, with no request, what a shop seen here before was:
 * its key (so the cart and keys are found while the shop does not answer)
 * and its features (so the fallbacks are right before the first call); a
 * shop never seen is not made up. */
static void
test_shop_recall (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) a = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) b = NULL, fresh = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *key = NULL, *dead = sd_test_dead_url ();

  if (!need_keyring ())
    return;
  fresh = sd_api_new (dead, NULL);
  g_assert_false (recall (fresh));
  g_assert_null (sd_api_get_features (fresh));

  identify (a);
  key = g_strdup (sd_api_get_shop_key (a));
  put_in_cart (a, "p-known");
  /* The shop stops answering; the app starts again. */
  sd_test_server_kill (server);
  b = sd_api_new (server->url, NULL);
  g_assert_true (recall (b));
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, key);
  g_assert_nonnull (sd_api_get_features (b));
  if (mode == SD_TEST_OURS)
    {
      g_assert_cmpstr (key, !=, server->url);
      g_assert_true (sd_api_has_feature (b, "paging"));
      g_assert_false (sd_api_is_original (b));
    }
  else
    g_assert_true (sd_api_is_original (b));
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p-known"));
  /* Not answering: identifying keeps what was recalled. */
  identify (b);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, key);
  g_assert_nonnull (sd_api_get_features (b));
}

/* A shop-ids file as the previous version wrote it (ids only, no
 * features): still read; the shop is identified first, then recalled. */
static void
test_shop_ids_old_file (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) first = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) later = NULL, again = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "storedesk", "shop-ids", NULL);
  g_autofree char *old = NULL, *key = NULL;
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = sd_shop_origin_key (uri);

  if (!need_keyring ())
    return;
  identify (first);
  key = g_strdup (sd_api_get_shop_key (first));
  old = g_strdup_printf ("[shop-ids]\n%s=%s\n", origin, key);
  g_assert_true (g_file_set_contents (path, old, -1, NULL));

  later = sd_api_new (server->url, NULL);
  g_assert_false (recall (later));
  identify (later);
  g_assert_cmpstr (sd_api_get_shop_key (later), ==, key);
  again = sd_api_new (server->url, NULL);
  g_assert_true (recall (again));
  g_assert_cmpstr (sd_api_get_shop_key (again), ==, key);
  g_assert_true (sd_api_has_feature (again, "paging"));
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
  g_test_add_func ("/session/original/refresh", test_original_refresh);
  g_test_add_func ("/session/original/accounts", test_original_accounts);
  g_test_add_func ("/session/shop-identity/migration", test_shop_migration);
  g_test_add_func ("/session/shop-identity/new-port", test_shop_new_port);
  g_test_add_func ("/session/shop-identity/demo-restart", test_shop_demo_restart);
  g_test_add_data_func ("/session/shop-identity/recall", GINT_TO_POINTER (SD_TEST_OURS), test_shop_recall);
  g_test_add_data_func ("/session/shop-identity/recall/original", GINT_TO_POINTER (SD_TEST_ORIGINAL), test_shop_recall);
  g_test_add_func ("/session/shop-identity/old-ids-file", test_shop_ids_old_file);
  g_test_add_func ("/session/account", test_account);
  g_test_add_func ("/session/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/session/connected", test_connected);
  return g_test_run ();
}
