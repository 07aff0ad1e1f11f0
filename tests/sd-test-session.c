/* sd-test-session.c — what the test-session*.c programs share (sd-test-session.h). */
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

const SecretSchema *
schema (void)
{
  static const SecretSchema s = {
    "io.github.storedesk.Storedesk.Session", SECRET_SCHEMA_NONE,
    { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &s;
}

/* What the keyring holds for this shop, looked up directly. */
char *
keyring_lookup (const char *shop)
{
  g_autoptr(GError) error = NULL;
  char *text = secret_password_lookup_sync (schema (), NULL, &error, "shop", shop, NULL);

  g_assert_no_error (error);
  return text;
}

gboolean
need_keyring (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus with a Secret Service (run through build-aux/run test)");
      return FALSE;
    }
  return TRUE;
}
void
bool_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  GTask *task = G_TASK (result);

  /* All SdSession calls finish as boolean tasks. */
  r->ok = g_task_propagate_boolean (task, &r->error);
  r->done = TRUE;
}

gboolean
sign_in (SdSession *session, const char *email, const char *password, GError **error)
{
  Result r = { 0 };

  sd_session_sign_in_async (session, email, password, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

gboolean
is_remembered (gpointer session)
{
  return sd_session_get_remembered (session);
}
void
finish_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_session_finish (SD_SESSION (source), result, &r->error);
  r->done = TRUE;
}
void
identify (SdApi *api)
{
  Result r = { 0 };

  sd_api_identify_async (api, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}
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

char *
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

Original *
original_new (void)
{
  Original *o = g_new0 (Original, 1);

  g_mutex_init (&o->lock);
  o->next = 1;
  return o;
}

void
original_free (Original *o)
{
  original_clear (o);
  g_free (o);
}
