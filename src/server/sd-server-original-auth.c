/* sd-server-original-auth.c — the account routes as the original
 * answers them (sd-server-original.h): router/authRouter.js and
 * GET /admin/userInfo. Sign-up, sign-in, refresh, PATCH /auth/me, the
 * confirmation codes and the profile photo are still ours
 * (sd-server-auth.c, sd-server-uploads.c) in this mode. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-original.h"

/* POST /auth/sign-out (authController.js:54-76): no envelope, and the
 * cookie cleared only when one was sent (clearCookieOptions,
 * settings/cookieOptions.js:24-28: Max-Age -9999 ms, which Express
 * writes as -10 s beside an Expires in the past). */
static void
sign_out (SdServerRequest *req)
{
  static const char body[] = "{\"message\":\"로그아웃 되었습니다.\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  const char *cookies = sd_request_header (req, "Cookie");

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC))
    return;
  if (cookies && strstr (cookies, "refreshToken=") != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -9.999);
      g_autofree char *expires = g_date_time_format (past, "%a, %d %b %Y %H:%M:%S GMT");
      const char *domain = g_getenv ("COOKIE_DOMAIN"), *secure = g_getenv ("COOKIE_SECURE");
      g_autoptr(GString) cookie = g_string_new ("refreshToken=; Max-Age=-10");

      if (domain && *domain)
        g_string_append_printf (cookie, "; Domain=%s", domain);
      g_string_append_printf (cookie, "; Path=/; Expires=%s; HttpOnly", expires);
      if (secure && *secure)
        g_string_append (cookie, "; Secure");
      sd_reply_add_header (req, "Set-Cookie", cookie->str);
    }
  sd_reply_bytes (req, SOUP_STATUS_OK, "application/json; charset=utf-8", bytes);
}

/* GET /auth/me (authService.js:207-241): every failure past the token
 * is a 500; no `profileImage` becomes null. */
static void
get_me (SdServerRequest *req)
{
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  static const char * const keys[] = { "name", "phoneNumber", "email", "address", "addressDetail", "role", "profileImage" };
  JsonObject *o;

  if (!sd_orig_begin (req, SD_ORIG_USER))
    return;
  user = sd_server_store_get_user (sd_server_get_store (req->server), req->user_id, NULL);
  if (user == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "개인정보 조회 중에 오류가 발생했습니다.");
  o = json_node_get_object (user);
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *n = json_object_get_member (o, keys[i]);

      json_builder_set_member_name (b, keys[i]);
      if (n && !(JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING &&
                 *json_node_get_string (n) == '\0' && i >= 6))
        json_builder_add_value (b, json_node_copy (n));
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  sd_orig_reply (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* POST /auth/withdraw (authService.js:254): `session` is not defined
 * in deleteProfile, so for any existing user it throws a ReferenceError
 * after finding them: 500, and nothing is deleted. */
static void
withdraw (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_USER))
    sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "session is not defined");
}

/* POST /auth/change-password (authService.js:319-343): every failure is
 * one 500 text; success 201. [kept fix] it changes the token's user
 * only: an email other than theirs is "no such user" (the original
 * changes that account's password). */
static void
change_password (SdServerRequest *req)
{
  static const char failed[] = "비밀번호 변경 중 오류가 발생했습니다.";
  SdServerStore *store = sd_server_get_store (req->server);
  g_autofree char *email = NULL;
  const char *password, *confirm, *given;

  if (!sd_orig_begin (req, SD_ORIG_USER))
    return;
  password = sd_orig_string (req, "newPassword");
  confirm = sd_orig_string (req, "newPasswordConfirm");
  given = sd_orig_string (req, "email");
  email = sd_server_store_get_user_email (store, req->user_id, NULL);
  if (!sd_field_is_password (password) || g_strcmp0 (password, confirm) != 0 ||
      email == NULL || g_strcmp0 (given, email) != 0 ||
      !sd_server_store_set_password (store, req->user_id, password, NULL))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, failed);
  sd_orig_reply (req, SOUP_STATUS_CREATED, json_node_init_string (json_node_alloc (), "비밀번호 변경을 완료하였습니다."));
}

/* GET /admin/userInfo (authService.js:186-204): every user; a failure
 * is 500. [kept fix] never a password hash (the original answers the
 * whole documents). */
static void
list_users (SdServerRequest *req)
{
  JsonNode *users;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN))
    return;
  users = sd_server_store_list_users (sd_server_get_store (req->server), NULL);
  if (users == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "개인정보 조회 중에 오류가 발생했습니다.");
  sd_orig_reply (req, SOUP_STATUS_OK, users);
}

const SdRoute sd_server_original_auth_routes[] = {
  { "POST", "/api/v1/auth/sign-out", SD_ACCESS_PUBLIC, SD_BODY_RAW, sign_out },
  { "GET", "/api/v1/auth/me", SD_ACCESS_PUBLIC, SD_BODY_RAW, get_me },
  { "POST", "/api/v1/auth/withdraw", SD_ACCESS_PUBLIC, SD_BODY_RAW, withdraw },
  { "POST", "/api/v1/auth/change-password", SD_ACCESS_PUBLIC, SD_BODY_RAW, change_password },
  { "GET", "/api/v1/admin/userInfo", SD_ACCESS_PUBLIC, SD_BODY_RAW, list_users },
  { NULL }
};
