/* sd-server-auth-signup.c — joining the shop: a confirmation code by
 * mail, the email confirmed with it, the sign-up, and a new password by
 * code (shared/API.md, auth). Listed in sd_server_auth_routes. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-auth.h"
#include "sd-server-checks.h"
#include "sd-server-guard.h"

#define CONFIRMED_MESSAGE   "이메일이 성공적으로 인증되었습니다."   /* the original's success */
#define CONFIRMED_TTL       1800        /* sign up within 30 minutes */

void
sd_server_auth_sign_up (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = sd_server_check_body_email (req);
  g_autofree char *phone = NULL;
  g_autofree char *id = NULL;
  gboolean bad = FALSE;
  const char *name = sd_body_string (req, "name", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);
  SdServerUserInput in;

  if (email == NULL || bad || !sd_server_check_name (req, name) ||
      (phone = sd_server_check_phone (req, phone_in)) == NULL ||
      !sd_server_check_new_password (req, password, NULL) ||
      !sd_server_check_text (req, address, "an address", 200, TRUE) ||
      !sd_server_check_text (req, detail, "the address details", 200, FALSE))
    return;

  in = (SdServerUserInput) {
    .email = email, .password = password, .name = name, .phone_number = phone,
    .address = address, .address_detail = detail, .role = "user",
  };
  /* [fix] only a confirmed address may sign up. */
  id = sd_server_store_sign_up (store, &in, CONFIRMED_TTL, FALSE, &error);
  if (id == NULL)
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "Confirm your email address first.");
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "This email address is already registered.");
      return sd_reply_internal (req, error);
    }
  sd_reply (req, SOUP_STATUS_CREATED, sd_server_store_get_user (store, id, NULL));
}

void
sd_server_auth_send_confirmation (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = sd_server_check_body_email (req);
  gint64 wait;

  if (email == NULL)
    return;
  switch (sd_server_auth_send_code (req, email, FALSE, &wait, &error))
    {
    case SD_AUTH_OK:
      break;
    case SD_AUTH_HELD:
      return sd_server_reply_throttled (req, wait, "Too many codes were asked for.");
    default:
      return sd_reply_internal (req, error);
    }

  {
    JsonObject *o = json_object_new ();
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);

    json_object_set_int_member (o, "expiresIn", SD_CODE_TTL);
    json_node_take_object (n, o);
    sd_reply (req, SOUP_STATUS_OK, n);
  }
}

void
sd_server_auth_confirm_email (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = sd_server_check_body_email (req);
  gboolean bad = FALSE;
  const char *code = sd_body_string (req, "inputNumber", &bad);
  gint64 wait;

  if (email == NULL || bad)
    return;
  switch (sd_server_auth_check_code (req, email, code, FALSE, &wait, &error))
    {
    case SD_AUTH_OK:
      /* The original's words: its web front end compares them (join.js:162). */
      sd_reply (req, SOUP_STATUS_OK, json_node_init_string (json_node_alloc (), CONFIRMED_MESSAGE));
      break;
    case SD_AUTH_HELD:
      sd_server_reply_throttled (req, wait, "Too many wrong codes for this email address.");
      break;
    case SD_AUTH_WRONG:
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
      break;
    case SD_AUTH_ERROR:
    default:
      sd_reply_internal (req, error);
      break;
    }
}

void
sd_server_auth_reset_password (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = sd_server_check_body_email (req);
  g_autofree char *user_id = NULL;
  gboolean bad = FALSE;
  gint64 wait;
  const char *code = sd_body_string (req, "inputNumber", &bad);
  const char *password = sd_body_string (req, "newPassword", &bad);
  const char *confirm = sd_body_string (req, "newPasswordConfirm", &bad);

  if (email == NULL || bad || !sd_server_check_new_password (req, password, confirm ? confirm : ""))
    return;
  switch (sd_server_auth_check_code (req, email, code, TRUE, &wait, &error))
    {
    case SD_AUTH_ERROR:
    default:
      return sd_reply_internal (req, error);
    case SD_AUTH_HELD:
      return sd_server_reply_throttled (req, wait, "Too many wrong codes for this email address.");
    case SD_AUTH_WRONG:
      return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
    case SD_AUTH_OK:
      break;
    }
  if (!sd_server_store_find_user (store, email, &user_id, NULL, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The code is wrong or has expired. Ask for a new one.");
      return sd_reply_internal (req, error);
    }
  /* Whoever knew the old password is signed out everywhere. */
  if (!sd_server_store_set_password (store, user_id, password, &error))
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}
