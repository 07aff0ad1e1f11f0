/* sd-keyring.c — what libstoredesk keeps in the Secret Service: the
 * session's tokens (keyed by the shop's key, sd_api_get_shop_key) and
 * guests' order keys. Never in a file; without a Secret Service the
 * session works for this run and says it is not remembered. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-api-private.h"
#include "sd-keyring-private.h"
#include "sd-session-private.h"
#include "sd-shop-identity-private.h"

/* ---- the session's tokens --------------------------------------------- */

static const SecretSchema *
session_schema (void)
{
  static const SecretSchema schema = {
    "io.github.storedesk.Storedesk.Session", SECRET_SCHEMA_NONE,
    { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &schema;
}

static char *
secret_text (SdSession *self)
{
  const char *refresh = sd_api_get_refresh_token (self->api);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, self->email ? self->email : "");
  json_builder_set_member_name (b, "refreshToken");
  json_builder_add_string_value (b, refresh ? refresh : "");
  json_builder_set_member_name (b, "accessToken");
  json_builder_add_string_value (b, sd_api_get_access_token (self->api) ? sd_api_get_access_token (self->api) : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    sd_session_set_remembered (self, self->signed_in);
  else
    {
      /* Any error means no usable keyring: the session lives for this run. */
      g_message ("the keyring is not available; the session is not remembered (%s)", error->message);
      sd_session_set_remembered (self, FALSE);
    }
}

void
sd_session_keyring_store (SdSession *self)
{
  g_autoptr(GCancellable) cancellable = sd_keyring_cancellable_new ();
  g_autofree char *text = secret_text (self);
  g_autofree char *label = g_strdup_printf ("Storedesk session at %s", sd_api_get_base_url (self->api));

  secret_password_store (session_schema (), SECRET_COLLECTION_DEFAULT, label, text, cancellable,
                         stored_cb, g_object_ref (self), "shop", sd_api_get_shop_key (self->api), NULL);
  explicit_bzero (text, strlen (text));
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->clearing = FALSE;
  /* FALSE without an error: there was nothing to clear (a clear that
   * waited for another finds the item gone). */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("clearing the keyring: %s", error->message);
  if (self->clear_again && !self->remembered)
    {
      self->clear_again = FALSE;
      sd_session_keyring_clear (self);
    }
}

/* One clear at a time: a session the shop refused is often cleared twice
 * in a row (by the refresh and by the request that asked for it), and two
 * clears racing for one item made libsecret 0.20 return a task twice. */
void
sd_session_keyring_clear (SdSession *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  sd_session_set_remembered (self, FALSE);
  if (self->clearing)
    {
      self->clear_again = TRUE;
      return;
    }
  self->clearing = TRUE;
  cancellable = sd_keyring_cancellable_new ();
  secret_password_clear (session_schema (), cancellable, cleared_cb, g_object_ref (self),
                         "shop", sd_api_get_shop_key (self->api), NULL);
}

void
sd_session_keyring_lookup (SdSession *self, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GCancellable) keyring = sd_keyring_cancellable_new ();

  secret_password_lookup (session_schema (), keyring, callback, user_data,
                          "shop", sd_api_get_shop_key (self->api), NULL);
}

char *
sd_session_keyring_lookup_finish (GAsyncResult *result, GError **error)
{
  return secret_password_lookup_finish (result, error);
}

/* ---- guests' orders --------------------------------------------------- */

const SecretSchema *
sd_guest_order_schema (void)
{
  static const SecretSchema schema = {
    "io.github.storedesk.Storedesk.GuestOrder", SECRET_SCHEMA_NONE,
    { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "order", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &schema;
}
