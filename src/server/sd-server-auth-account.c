/* sd-server-auth-account.c — the signed-in user's own account: read it,
 * change it, change its password, withdraw; and staff's list of users
 * (shared/API.md, auth). Listed in sd_server_auth_routes. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-auth.h"
#include "sd-server-checks.h"
#include "sd-server-session.h"

void
sd_server_auth_get_me (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *user = sd_server_store_get_user (sd_request_store (req), req->user_id, &error);

  if (user == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, user);
}

void
sd_server_auth_patch_me (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = sd_server_store_get_user_email (store, req->user_id, NULL);
  g_autofree char *phone = NULL;
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);
  const char *address = sd_body_string (req, "address", &bad);
  const char *detail = sd_body_string (req, "addressDetail", &bad);
  const char *password = sd_body_string (req, "password", &bad);
  const char *name = sd_body_string (req, "name", &bad);
  const char *phone_in = sd_body_string (req, "phoneNumber", &bad);
  SdServerUserChanges changes;

  if (bad)
    return;
  if (password && *password == '\0')
    password = NULL;   /* "" means no change, as on the original */
  /* [fix] always the token's user; the email is not an identifier here. */
  if (email && g_ascii_strcasecmp (email, own ? own : "") != 0)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The email address cannot be changed.");
  if ((name && !sd_server_check_name (req, name)) ||
      (phone_in && (phone = sd_server_check_phone (req, phone_in)) == NULL) ||
      (address && !sd_server_check_text (req, address, "an address", 200, TRUE)) ||
      !sd_server_check_text (req, detail, "the address details", 200, FALSE) ||
      (password && !sd_server_check_new_password (req, password, NULL)))
    return;

  /* A new password signs whoever knew the old one out everywhere. */
  changes = (SdServerUserChanges) {
    .name = name, .phone_number = phone, .address = address, .address_detail = detail, .password = password,
  };
  if (!sd_server_store_update_user (store, req->user_id, &changes, &error))
    return sd_reply_internal (req, error);
  sd_server_auth_get_me (req);
}

void
sd_server_auth_change_password (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *own = sd_server_store_get_user_email (store, req->user_id, NULL);
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);
  const char *password = sd_body_string (req, "newPassword", &bad);
  const char *confirm = sd_body_string (req, "newPasswordConfirm", &bad);

  if (bad)
    return;
  /* [fix] the token's user only. */
  if (email && g_ascii_strcasecmp (email, own ? own : "") != 0)
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "You can only change your own password.");
  if (!sd_server_check_new_password (req, password, confirm ? confirm : ""))
    return;
  /* Whoever knew the old password is signed out everywhere, this session too. */
  if (!sd_server_store_set_password (store, req->user_id, password, &error))
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, NULL);
}

void
sd_server_auth_withdraw (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  /* Sessions go with the user; orders keep their data. */
  if (!sd_server_store_delete_user (sd_request_store (req), req->user_id, &error) &&
      !g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_reply_internal (req, error);
  sd_server_session_set_cookie (req, NULL, 0);
  sd_reply (req, SOUP_STATUS_OK, NULL);
}

void
sd_server_auth_list_users (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  /* [fix] never a password hash. */
  JsonNode *users = sd_server_store_list_users (sd_request_store (req), &error);

  if (users == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, users);
}
