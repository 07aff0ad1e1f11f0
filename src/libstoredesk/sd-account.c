/* sd-account.c — the account of SdSession: the profile and what the shop
 * can do for it, codes, sign-up, passwords, withdrawal, signing out
 * everywhere and the profile picture. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-api-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-session-private.h"

/* ---- what the shop can do for the account ---------------------------- */

static void
set_everywhere (SdSession *self, gboolean everywhere)
{
  if (self->everywhere == everywhere)
    return;
  self->everywhere = everywhere;
  sd_session_notify (self, PROP_CAN_SIGN_OUT_EVERYWHERE);
}

static void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_api_check_health_finish (SD_API (source), result, &error))
    set_everywhere (self, sd_api_has_feature (self->api, "sessions"));
}

/* Once signed in: does the shop list the features the account page
 * offers? (A health check, unless one has said already.) */
static void
learn_features (SdSession *self)
{
  if (sd_api_features_known (self->api))
    set_everywhere (self, sd_api_has_feature (self->api, "sessions"));
  else
    sd_api_check_health_async (self->api, NULL, health_cb, g_object_ref (self));
}

/* ---- profile -------------------------------------------------------- */

static void
me_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  JsonObject *o;
  gboolean was;

  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data) || sd_json_get_string (json_node_get_object (data), "email") == NULL)
    {
      g_task_return_error (task, sd_json_bad_field ("me", "email"));
      return;
    }
  o = json_node_get_object (data);
  was = self->signed_in;
  g_free (self->user_id);
  self->user_id = g_strdup (sd_json_get_string (o, "_id"));
  g_free (self->email);
  self->email = g_strdup (sd_json_get_string (o, "email"));
  g_free (self->name);
  self->name = g_strdup (sd_json_get_string (o, "name"));
  g_free (self->phone_number);
  self->phone_number = g_strdup (sd_json_get_string (o, "phoneNumber"));
  g_free (self->address);
  self->address = g_strdup (sd_json_get_string (o, "address"));
  g_free (self->address_detail);
  self->address_detail = g_strdup (sd_json_get_string (o, "addressDetail"));
  g_free (self->profile_image);
  self->profile_image = g_strdup (sd_json_get_string (o, "profileImage"));
  self->is_admin = g_strcmp0 (sd_json_get_string (o, "role"), "admin") == 0;
  self->signed_in = TRUE;
  sd_session_notify (self, PROP_EMAIL);
  sd_session_notify (self, PROP_NAME);
  sd_session_notify (self, PROP_IS_ADMIN);
  if (!was)
    {
      sd_session_notify (self, PROP_SIGNED_IN);
      learn_features (self);
    }
  g_task_return_boolean (task, TRUE);
}

void
sd_session_reload_user_async (SdSession *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_session_reload_user_async);
  sd_api_call_async (self->api, "GET", SD_PATH_ME, NULL, cancellable, me_cb, task);
}

gboolean
sd_session_reload_user_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  return sd_session_finish (self, result, error);
}

/* ---- accounts ------------------------------------------------------- */

typedef void (*AfterFunc) (SdSession *self, GTask *task);

/* Builds a JSON object from name/value pairs; NULL values are left out. */
static JsonNode *
object_of (const char *first_name, ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  json_builder_begin_object (b);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          json_builder_set_member_name (b, name);
          json_builder_add_string_value (b, value);
        }
      name = va_arg (args, const char *);
    }
  json_builder_end_object (b);
  va_end (args);
  return json_builder_get_root (b);
}

static void
account_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  AfterFunc after = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (after)
    after (self, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends an account request; then after (if any) finishes the task. */
static void
account_call (SdSession *self, const char *method, const char *path, JsonNode *body, gboolean authed,
              AfterFunc after, gpointer source_tag, GCancellable *cancellable,
              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) after, NULL);
  if (authed)
    sd_api_call_async (self->api, method, path, body, cancellable, account_cb, task);
  else
    sd_api_call_noauth_async (self->api, method, path, body, cancellable, account_cb, task);
}

gboolean
sd_session_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_session_request_code_async (SdSession *self, const char *email, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = object_of ("email", email, NULL);

  account_call (self, "POST", SD_PATH_SEND_CODE, body, FALSE, NULL,
                sd_session_request_code_async, cancellable, callback, user_data);
}

void
sd_session_confirm_email_async (SdSession *self, const char *email, const char *code,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = object_of ("email", email, "inputNumber", code, NULL);

  account_call (self, "POST", SD_PATH_CONFIRM_EMAIL, body, FALSE, NULL,
                sd_session_confirm_email_async, cancellable, callback, user_data);
}

static void
signed_up_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_sign_in_finish (SD_SESSION (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
after_sign_up (SdSession *self, GTask *task)
{
  const char * const *login = g_object_get_data (G_OBJECT (task), "sd-login");
  GCancellable *cancellable = g_task_get_cancellable (task);

  sd_session_sign_in_async (self, login[0], login[1], cancellable, signed_up_in_cb, task);
}

static void
free_login (gpointer p)
{
  char **login = p;

  if (login[1])
    explicit_bzero (login[1], strlen (login[1]));
  g_strfreev (login);
}

void
sd_session_sign_up_async (SdSession *self, const char *name, const char *phone_number, const char *email,
                          const char *password, const char *address, const char *address_detail,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = object_of ("name", name, "phoneNumber", phone_number, "email", email,
                                        "password", password, "address", address,
                                        "addressDetail", address_detail ? address_detail : "", NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  char **login = g_new0 (char *, 3);

  login[0] = g_strdup (email);
  login[1] = g_strdup (password);
  g_task_set_source_tag (task, sd_session_sign_up_async);
  g_task_set_task_data (task, (gpointer) after_sign_up, NULL);
  g_object_set_data_full (G_OBJECT (task), "sd-login", login, free_login);
  sd_api_call_noauth_async (self->api, "POST", SD_PATH_SIGN_UP, body, cancellable, account_cb, task);
}

static void
reloaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_session_reload_user_finish (SD_SESSION (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
after_profile (SdSession *self, GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  sd_session_reload_user_async (self, cancellable, reloaded_cb, task);
}

void
sd_session_update_profile_async (SdSession *self, const char *name, const char *phone_number,
                                 const char *address, const char *address_detail,
                                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  /* The original finds the account by the body's email: send our own. */
  g_autoptr(JsonNode) body = object_of ("email", self->email, "name", name, "phoneNumber", phone_number,
                                        "address", address, "addressDetail", address_detail, NULL);

  account_call (self, "PATCH", SD_PATH_ME, body, TRUE, after_profile,
                sd_session_update_profile_async, cancellable, callback, user_data);
}

static void
resigned_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  const char *token = sd_session_access_token_of (data);

  /* The password changed either way; without a new session here this
   * one simply ends at its next refresh. */
  if (token != NULL && self->signed_in)
    {
      sd_api_set_access_token (self->api, token);
      if (self->remembered)
        sd_session_keyring_store (self);
    }
  else if (error)
    /* The domain and code only: a sign-in's message may carry what the
     * shop said about the credentials. */
    g_debug ("no new session after the credentials changed (%s %d)",
             g_quark_to_string (error->domain), error->code);
  g_task_return_boolean (task, TRUE);
}

/* A shop ends every session when the password changes, this one too:
 * sign in again quietly with the new password, so this device stays. */
static void
after_password_change (SdSession *self, GTask *task)
{
  const char * const *login = g_object_get_data (G_OBJECT (task), "sd-login");
  g_autoptr(JsonNode) body = object_of ("email", login[0], "password", login[1], NULL);

  sd_api_call_noauth_async (self->api, "POST", SD_PATH_SIGN_IN, body, g_task_get_cancellable (task),
                            resigned_in_cb, task);
}

void
sd_session_change_password_async (SdSession *self, const char *new_password, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = object_of ("email", self->email, "newPassword", new_password,
                                        "newPasswordConfirm", new_password, NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  char **login = g_new0 (char *, 3);

  login[0] = g_strdup (self->email);
  login[1] = g_strdup (new_password);
  g_task_set_source_tag (task, sd_session_change_password_async);
  g_task_set_task_data (task, (gpointer) after_password_change, NULL);
  g_object_set_data_full (G_OBJECT (task), "sd-login", login, free_login);
  sd_api_call_async (self->api, "POST", SD_PATH_CHANGE_PASSWORD, body, cancellable, account_cb, task);
}

void
sd_session_reset_password_async (SdSession *self, const char *email, const char *code, const char *new_password,
                                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = object_of ("email", email, "inputNumber", code, "newPassword", new_password,
                                        "newPasswordConfirm", new_password, NULL);

  account_call (self, "POST", SD_PATH_RESET_PASSWORD, body, FALSE, NULL,
                sd_session_reset_password_async, cancellable, callback, user_data);
}

static void
after_withdraw (SdSession *self, GTask *task)
{
  sd_session_keyring_clear (self);
  sd_session_forget_locally (self, FALSE);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
sd_session_withdraw_async (SdSession *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  account_call (self, "POST", SD_PATH_WITHDRAW, NULL, TRUE, after_withdraw,
                sd_session_withdraw_async, cancellable, callback, user_data);
}

static void
after_sign_out_everywhere (SdSession *self, GTask *task)
{
  sd_session_keyring_clear (self);
  sd_session_forget_locally (self, FALSE);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
sd_session_sign_out_everywhere_async (SdSession *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SD_IS_SESSION (self));
  account_call (self, "POST", SD_PATH_SIGN_OUT_EVERYWHERE, NULL, TRUE, after_sign_out_everywhere,
                sd_session_sign_out_everywhere_async, cancellable, callback, user_data);
}

gboolean
sd_session_sign_out_everywhere_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  return sd_session_finish (self, result, error);
}

/* ---- profile picture -------------------------------------------------- */

static void
profile_uploaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = sd_api_call_finish (SD_API (source), result, NULL, &error);
  const char *url;

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  url = sd_json_get_string (json_node_get_object (reply), "imageUrl");
  if (url == NULL || *url == '\0')
    {
      g_task_return_error (task, sd_json_bad_field ("profile picture", "imageUrl"));
      return;
    }
  g_task_return_pointer (task, g_strdup (url), g_free);
}

void
sd_session_upload_profile_picture_async (SdSession *self, GBytes *bytes, const char *content_type,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  GTask *task;
  const char *extension = g_str_has_suffix (content_type, "png") ? "png"
                          : g_str_has_suffix (content_type, "webp") ? "webp" : "jpg";
  g_autofree char *filename = g_strconcat ("profile.", extension, NULL);

  g_return_if_fail (SD_IS_SESSION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_session_upload_profile_picture_async);
  if (!self->signed_in)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED,
                               _("Sign in to change your profile picture."));
      g_object_unref (task);
      return;
    }
  sd_api_post_file_async (self->api, SD_PATH_PROFILE_IMAGE, "profileImage", filename,
                          content_type, bytes, cancellable, profile_uploaded_cb, task);
}

char *
sd_session_upload_profile_picture_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
