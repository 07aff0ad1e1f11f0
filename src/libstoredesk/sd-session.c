/* sd-session.c — sign-in, tokens and their refresh.
 *
 * The access token lives in memory only; the refresh token arrives as a
 * cookie that SdApi reads from Set-Cookie itself (no cookie jar: the
 * original's is Secure with Domain=localhost, which a jar drops over http
 * and for 127.0.0.1). Both are mirrored into the keyring (libsecret,
 * keyed by the shop's key, sd_api_get_shop_key; see sd-keyring.c) so the
 * next start can sign in again; never into a file. The refresh sends the
 * cookie alone. Without a Secret Service the session works for this run
 * and says it is not remembered. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"
#include "sd-session.h"
#include "sd-keyring-private.h"
#include "sd-session-private.h"
#include "sd-shop-identity-private.h"

G_DEFINE_FINAL_TYPE (SdSession, sd_session, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

void
sd_session_notify (SdSession *self, guint prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
sd_session_set_remembered (SdSession *self, gboolean remembered)
{
  if (self->remembered == remembered)
    return;
  self->remembered = remembered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMEMBERED]);
}

const char *
sd_session_access_token_of (JsonNode *data)
{
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  return sd_json_get_string (json_node_get_object (data), "accessToken");
}

/* ---- state ---------------------------------------------------------- */

/* by_shop: the shop ended the session (a refresh it refused), rather
 * than this app (signing out or in, withdrawing, out everywhere). */
void
sd_session_forget_locally (SdSession *self, gboolean by_shop)
{
  gboolean was = self->signed_in;

  self->ended_by_shop = by_shop;
  sd_api_set_access_token (self->api, NULL);
  sd_api_set_refresh_token (self->api, NULL);
  self->signed_in = FALSE;
  self->is_admin = FALSE;
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->phone_number, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->address_detail, g_free);
  g_clear_pointer (&self->profile_image, g_free);
  if (was)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ADMIN]);
    }
}

/* ---- refresh: one in flight, everyone waiting replayed -------------- */

static void
refreshed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdSession) self = user_data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  const char *token = sd_session_access_token_of (data);

  if (token != NULL)
    {
      sd_api_set_access_token (self->api, token);
      self->last_refresh = g_get_real_time ();
      if (self->remembered)
        sd_session_keyring_store (self);   /* the rotated refresh token too */
    }
  else
    {
      if (error == NULL)
        error = sd_api_unreadable_reply ("refresh without accessToken");
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED))
        {
          /* The session is over: sign in again. */
          g_clear_error (&error);
          error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED,
                                       _("Your session has ended. Sign in again; what you were doing is kept."));
          sd_session_forget_locally (self, TRUE);
          sd_session_keyring_clear (self);
        }
    }
  for (guint i = 0; waiters && i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (token)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

static void
reauth_start (gpointer owner, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  SdSession *self = owner;
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (self->refresh_waiters != NULL)
    {
      g_ptr_array_add (self->refresh_waiters, task);
      return;
    }
  self->refresh_waiters = g_ptr_array_new ();
  g_ptr_array_add (self->refresh_waiters, task);
  /* The cookie alone, no bearer: on the original an expired bearer beside
   * it yields a token without a user id (API.md). Without a refresh token
   * the shop says 401, and the session is over as it should be. */
  sd_api_call_with_refresh_cookie_async (self->api, "POST", SD_PATH_REFRESH, NULL,
                                         refreshed_cb, g_object_ref (self));
}

static gboolean
reauth_finish (gpointer owner, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sign in -------------------------------------------------------- */

static void
signed_in_me_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!sd_session_reload_user_finish (self, result, &error))
    {
      sd_session_forget_locally (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_session_keyring_store (self);
  g_task_return_boolean (task, TRUE);
}

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  const char *token = sd_session_access_token_of (data);
  GCancellable *cancellable;

  if (data == NULL)
    {
      /* The shop never says which of the two was wrong; neither do we. */
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          /* The original matches the address exactly as typed at sign-up
           * (userDAO.js:38), capitals included. */
          error = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED,
                                       sd_api_is_original (self->api)
                                       ? _("The email address or password is wrong. On this shop capital and "
                                           "small letters in the email address count: type it exactly as when "
                                           "you signed up.")
                                       : _("The email address or password is wrong."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token == NULL)
    {
      g_task_return_error (task, sd_json_bad_field ("sign-in", "accessToken"));
      return;
    }
  sd_api_set_access_token (self->api, token);
  cancellable = g_task_get_cancellable (task);   /* before the task is handed on */
  sd_session_reload_user_async (self, cancellable, signed_in_me_cb, g_steal_pointer (&task));
}

void
sd_session_sign_in_async (SdSession *self, const char *email, const char *password,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_task_set_source_tag (task, sd_session_sign_in_async);
  sd_session_forget_locally (self, FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  sd_api_call_noauth_async (self->api, "POST", SD_PATH_SIGN_IN, body, cancellable, signed_in_cb, task);
}

gboolean
sd_session_sign_in_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  return sd_session_finish (self, result, error);
}

/* ---- restore -------------------------------------------------------- */

static void
restored_me_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!sd_session_reload_user_finish (self, result, &error))
    {
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED))
        {
          sd_session_forget_locally (self, FALSE);
          sd_session_keyring_clear (self);
          g_task_return_boolean (task, FALSE);   /* refused: simply not signed in */
          return;
        }
      sd_session_forget_locally (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));   /* offline: keep it for later */
      return;
    }
  sd_session_set_remembered (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sd_session_keyring_lookup_finish (result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *refresh, *access;
  GCancellable *cancellable;

  if (text == NULL)
    {
      if (error)
        g_message ("the keyring is not available (%s)", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      explicit_bzero (text, strlen (text));
      sd_session_keyring_clear (self);
      g_task_return_boolean (task, FALSE);
      return;
    }
  explicit_bzero (text, strlen (text));
  o = json_node_get_object (json_parser_get_root (parser));
  refresh = sd_json_get_string (o, "refreshToken");
  access = sd_json_get_string (o, "accessToken");
  sd_api_set_refresh_token (self->api, refresh && *refresh ? refresh : NULL);
  /* No access token kept: /auth/me gets a 401 and the refresh follows
   * (SdApi refreshes whenever it holds a refresh token). */
  sd_api_set_access_token (self->api, access && *access ? access : NULL);
  cancellable = g_task_get_cancellable (task);
  sd_session_reload_user_async (self, cancellable, restored_me_cb, g_steal_pointer (&task));
}

void
sd_session_restore_async (SdSession *self, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_session_restore_async);
  sd_session_keyring_lookup (self, looked_up_cb, task);
}

gboolean
sd_session_restore_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  return sd_session_finish (self, result, error);
}

/* ---- sign out ------------------------------------------------------- */

static void
signed_out_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, NULL);

  /* Signed out here whatever the shop said (it may be offline). */
  g_task_return_boolean (task, TRUE);
}

void
sd_session_sign_out_async (SdSession *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_session_sign_out_async);
  sd_session_keyring_clear (self);
  /* The shop revokes the refresh token the cookie carries: the one other
   * call that sends it, as it retires it (the original only clears it,
   * authController.js:54-76). */
  sd_api_call_with_refresh_cookie_async (self->api, "POST", SD_PATH_SIGN_OUT, cancellable,
                                         signed_out_cb, task);
  sd_session_forget_locally (self, FALSE);
}

gboolean
sd_session_sign_out_finish (SdSession *self, GAsyncResult *result, GError **error)
{
  return sd_session_finish (self, result, error);
}

/* ---- object --------------------------------------------------------- */

static void
sd_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdSession *self = SD_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN: g_value_set_boolean (value, self->signed_in); break;
    case PROP_EMAIL: g_value_set_string (value, self->email); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_IS_ADMIN: g_value_set_boolean (value, self->is_admin); break;
    case PROP_REMEMBERED: g_value_set_boolean (value, self->remembered); break;
    case PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    case PROP_CAN_SIGN_OUT_EVERYWHERE: g_value_set_boolean (value, self->everywhere); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_session_dispose (GObject *object)
{
  SdSession *self = SD_SESSION (object);

  if (self->api)
    sd_api_set_reauth (self->api, NULL, NULL, NULL);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_session_parent_class)->dispose (object);
}

static void
sd_session_finalize (GObject *object)
{
  SdSession *self = SD_SESSION (object);

  g_free (self->user_id);
  g_free (self->email);
  g_free (self->name);
  g_free (self->phone_number);
  g_free (self->address);
  g_free (self->address_detail);
  g_free (self->profile_image);
  G_OBJECT_CLASS (sd_session_parent_class)->finalize (object);
}

static void
sd_session_class_init (SdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_session_get_property;
  object_class->dispose = sd_session_dispose;
  object_class->finalize = sd_session_finalize;
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_IS_ADMIN] = g_param_spec_boolean ("is-admin", NULL, NULL, FALSE, flags);
  properties[PROP_REMEMBERED] = g_param_spec_boolean ("remembered", NULL, NULL, FALSE, flags);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_SIGN_OUT_EVERYWHERE] = g_param_spec_boolean ("can-sign-out-everywhere", NULL, NULL,
                                                                   FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_session_init (SdSession *self)
{
}

static void
update_connected (SdSession *self)
{
  gboolean connected = self->signed_in && sd_api_get_online (self->api);

  if (connected == self->connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

SdSession *
sd_session_new (SdApi *api)
{
  SdSession *self = g_object_new (SD_TYPE_SESSION, NULL);

  self->api = g_object_ref (api);
  sd_api_set_reauth (api, reauth_start, reauth_finish, self);
  g_signal_connect (self, "notify::signed-in", G_CALLBACK (update_connected), NULL);
  g_signal_connect_object (api, "notify::online", G_CALLBACK (update_connected), self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
sd_session_get_connected (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->connected;
}

SdApi *
sd_session_get_api (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->api;
}

gboolean
sd_session_get_signed_in (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->signed_in;
}

gint64
sd_session_get_token_expiry (SdSession *self)
{
  g_autoptr(JsonNode) payload = NULL;
  gint64 exp = 0;

  g_return_val_if_fail (SD_IS_SESSION (self), 0);
  payload = sd_token_payload (sd_api_get_access_token (self->api));
  return payload && sd_json_get_integer (json_node_get_object (payload), "exp", &exp) ? exp : 0;
}

gint64
sd_session_get_last_refresh (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), 0);
  return self->last_refresh;
}

const char *
sd_session_get_account (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  if (!self->signed_in)
    return NULL;
  return self->user_id && *self->user_id ? self->user_id : self->email;
}

const char *
sd_session_get_email (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->email;
}

const char *
sd_session_get_name (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->name;
}

const char *
sd_session_get_phone_number (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->phone_number ? self->phone_number : "";
}

const char *
sd_session_get_address (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->address ? self->address : "";
}

const char *
sd_session_get_address_detail (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->address_detail ? self->address_detail : "";
}

const char *
sd_session_get_profile_image (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), NULL);
  return self->profile_image && *self->profile_image ? self->profile_image : NULL;
}

gboolean
sd_session_get_is_admin (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->is_admin;
}

gboolean
sd_session_get_can_sign_out_everywhere (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->everywhere;
}

gboolean
sd_session_get_can_reset_password (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return sd_api_has_feature (self->api, "reset-password");
}

gboolean
sd_session_get_save_profile_demotes (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->signed_in && self->is_admin && sd_api_is_original (self->api);
}

gboolean
sd_session_get_ended_by_shop (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->ended_by_shop;
}

gboolean
sd_session_get_remembered (SdSession *self)
{
  g_return_val_if_fail (SD_IS_SESSION (self), FALSE);
  return self->remembered;
}

