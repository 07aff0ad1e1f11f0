/* sd-shop.c — the connected shop and its parts (see sd-shop.h).
 *
 * The parts hang on each other: the session on the api (the tokens live
 * in the api's HTTP session), the upload queue on the session, the cart
 * and the keyring items on the shop's key. So the rules are few: a
 * reconnect to the same address keeps the api and so everything; the
 * same key at another address (the demo shop on a new port) keeps the
 * cart; anything else is made new. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-shop.h"

struct _SdShop
{
  GObject        parent_instance;

  SdApi         *api;
  SdSession     *session;
  SdCart        *cart;
  SdUploadQueue *uploads;
  SdCatalog     *catalog;
  SdLocalStore  *store;
  SdSync        *sync;
  SdApi         *sync_api;          /* the api the sync sends through (not a reference) */
  gulong         account_handler;   /* on the session's notify::email */
  gulong         signed_in_handler; /* on the session's notify::signed-in */
  gboolean       ready;

  /* The key and features the parts were made for: an identity that says
   * the same again changes nothing. */
  char          *attached_key;
  char          *attached_features;
  /* This connection's work; cancelled by the next connect. */
  GCancellable  *cancellable;
  /* The parts' own first work (restoring the session, reading the cart):
   * a reconnect does not cut it short; the end of the shop does. */
  GCancellable  *parts_cancellable;
};

G_DEFINE_FINAL_TYPE (SdShop, sd_shop, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_SESSION,
  PROP_CART,
  PROP_UPLOADS,
  PROP_CATALOG,
  PROP_STORE,
  PROP_SYNC,
  PROP_READY,
  N_PROPS
};

enum {
  PARTS_CHANGED,
  RELOADED,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
features_text (SdApi *api)
{
  const char * const *features = sd_api_get_features (api);

  return features ? g_strjoinv (",", (char **) features) : NULL;
}

static void
cart_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdShop) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_cart_load_finish (SD_CART (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[PROBLEM], 0, error->message);
}

static void
restored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sd_session_restore_finish (SD_SESSION (source), result, &error) && error &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("no session restored: %s", error->message);
}

/* The store for the key and the account signed in now: kept when it is
 * already theirs, else made (and given to the catalog). */
static void
follow_account (SdShop *self)
{
  const char *account = self->session ? sd_session_get_account (self->session) : NULL;
  const char *key = self->attached_key;

  if (key == NULL || self->api == NULL)
    return;
  if (self->store != NULL && self->sync_api == self->api && g_strcmp0 (sd_local_store_get_shop_key (self->store), key) == 0 &&
      g_strcmp0 (sd_local_store_get_account (self->store), account ? account : "guest") == 0)
    return;
  if (self->sync)
    sd_sync_close (self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  self->store = sd_local_store_new (key, account);
  self->sync = sd_sync_new (self->api, self->store);
  self->sync_api = self->api;
  if (self->catalog)
    sd_catalog_set_local_store (self->catalog, self->store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

static void
forgotten_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sd_local_store_forget_account_finish (SD_LOCAL_STORE (source), result, &error))
    g_warning ("the signed-out account's cache stays: %s", error->message);
}

static void
account_changed_cb (SdSession *session, GParamSpec *pspec, gpointer user_data)
{
  follow_account (SD_SHOP (user_data));
}

/* Signed out by the user: the account's cache goes (its orders and the
 * customers' data in them), before the guest's store takes over. */
static void
signed_in_changed_cb (SdSession *session, GParamSpec *pspec, gpointer user_data)
{
  SdShop *self = SD_SHOP (user_data);

  if (!sd_session_get_signed_in (session) && !sd_session_get_ended_by_shop (session) && self->store &&
      g_strcmp0 (sd_local_store_get_account (self->store), "guest") != 0)
    sd_local_store_forget_account_async (self->store, FALSE, NULL, forgotten_cb, NULL);
  follow_account (self);
}

static void
watch_session (SdShop *self, SdSession *session)
{
  if (self->session && self->account_handler)
    {
      g_clear_signal_handler (&self->account_handler, self->session);
      g_clear_signal_handler (&self->signed_in_handler, self->session);
    }
  if (session)
    {
      self->account_handler = g_signal_connect (session, "notify::email", G_CALLBACK (account_changed_cb), self);
      self->signed_in_handler = g_signal_connect (session, "notify::signed-in",
                                                  G_CALLBACK (signed_in_changed_cb), self);
    }
}

/* Makes the parts for api as the rules above say, and tells who follows. */
static void
attach (SdShop *self, SdApi *api)
{
  const char *key = sd_api_get_shop_key (api);
  gboolean same_api = self->api == api;
  gboolean same_shop = self->api != NULL && g_strcmp0 (self->attached_key, key) == 0;

  g_object_freeze_notify (G_OBJECT (self));
  /* The session belongs to the api (the server it talks to), whatever the
   * shop turns out to be called: a sign-in made while a recalled key was
   * being checked stays. Only a session not signed in looks again under
   * the new key. The queue is filed under the key. */
  if (!same_api || self->session == NULL)
    {
      watch_session (self, NULL);
      g_clear_object (&self->session);
      self->session = sd_session_new (api);
      watch_session (self, self->session);
      sd_session_restore_async (self->session, self->parts_cancellable, restored_cb, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
    }
  else if (!same_shop && !sd_session_get_signed_in (self->session))
    sd_session_restore_async (self->session, self->parts_cancellable, restored_cb, NULL);
  if (!same_api || !same_shop || self->uploads == NULL)
    {
      g_clear_object (&self->uploads);
      self->uploads = sd_upload_queue_new (self->session);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOADS]);
    }
  if (!same_shop || self->cart == NULL)
    {
      g_clear_object (&self->cart);
      self->cart = sd_cart_new (key);
      sd_cart_load_async (self->cart, self->parts_cancellable, cart_loaded_cb, g_object_ref (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CART]);
    }
  if (g_set_object (&self->api, api))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API]);
  g_free (self->attached_key);
  self->attached_key = g_strdup (key);
  g_free (self->attached_features);
  self->attached_features = features_text (api);
  g_clear_object (&self->catalog);
  self->catalog = sd_catalog_new (api);
  follow_account (self);
  sd_catalog_set_local_store (self->catalog, self->store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[PARTS_CHANGED], 0);
}

typedef struct {
  SdShop   *shop;
  gboolean  reconnect;
} Identify;

static void
identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Identify *data = user_data;
  g_autoptr(SdShop) self = data->shop;
  gboolean reconnect = data->reconnect;
  SdApi *api = SD_API (source);
  g_autofree char *features = NULL;

  g_free (data);
  /* FALSE only when cancelled: another connect came meanwhile. */
  if (!sd_api_identify_finish (api, result, NULL))
    return;
  features = features_text (api);
  if (self->api != api || g_strcmp0 (self->attached_key, sd_api_get_shop_key (api)) != 0 ||
      g_strcmp0 (self->attached_features, features) != 0)
    attach (self, api);
  else if (reconnect)
    g_signal_emit (self, signals[RELOADED], 0);
}

static void
identify (SdShop *self, SdApi *api, gboolean reconnect)
{
  Identify *data = g_new0 (Identify, 1);

  data->shop = g_object_ref (self);
  data->reconnect = reconnect;
  sd_api_identify_async (api, self->cancellable, identified_cb, data);
}

static void
recalled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdShop) self = user_data;
  SdApi *api = SD_API (source);
  g_autoptr(GError) error = NULL;

  if (sd_api_recall_finish (api, result, &error))
    attach (self, api);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  identify (self, api, FALSE);
}

gboolean
sd_shop_connect (SdShop *self, const char *base_url, const char *ca_file, GError **error)
{
  g_autoptr(SdApi) api = NULL;

  g_return_val_if_fail (SD_IS_SHOP (self), FALSE);
  g_return_val_if_fail (base_url != NULL, FALSE);

  api = sd_api_new (base_url, error);
  if (api == NULL)
    return FALSE;
  if (self->api != NULL && g_strcmp0 (sd_api_get_base_url (self->api), sd_api_get_base_url (api)) == 0)
    {
      /* A reconnect: the api stays, with the tokens in it. */
      if (!sd_api_set_ca_file (self->api, ca_file, error))
        return FALSE;
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      identify (self, self->api, TRUE);
      return TRUE;
    }
  if (!sd_api_set_ca_file (api, ca_file, error))
    return FALSE;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  sd_api_recall_async (api, self->cancellable, recalled_cb, g_object_ref (self));
  return TRUE;
}

SdApi *sd_shop_get_api (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->api; }
SdSession *sd_shop_get_session (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->session; }
SdCart *sd_shop_get_cart (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->cart; }
SdUploadQueue *sd_shop_get_uploads (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->uploads; }
SdCatalog *sd_shop_get_catalog (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->catalog; }
SdLocalStore *sd_shop_get_store (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->store; }
SdSync *sd_shop_get_sync (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), NULL); return self->sync; }
gboolean sd_shop_get_ready (SdShop *self) { g_return_val_if_fail (SD_IS_SHOP (self), FALSE); return self->ready; }

SdShop *
sd_shop_new (void)
{
  return g_object_new (SD_TYPE_SHOP, NULL);
}

static void
sd_shop_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdShop *self = SD_SHOP (object);

  switch (prop_id)
    {
    case PROP_API: g_value_set_object (value, self->api); break;
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_CART: g_value_set_object (value, self->cart); break;
    case PROP_UPLOADS: g_value_set_object (value, self->uploads); break;
    case PROP_CATALOG: g_value_set_object (value, self->catalog); break;
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_SYNC: g_value_set_object (value, self->sync); break;
    case PROP_READY: g_value_set_boolean (value, self->ready); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_shop_dispose (GObject *object)
{
  SdShop *self = SD_SHOP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->parts_cancellable);
  g_clear_object (&self->parts_cancellable);
  g_clear_object (&self->catalog);
  if (self->sync)
    sd_sync_close (self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_object (&self->uploads);
  watch_session (self, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->cart);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_shop_parent_class)->dispose (object);
}

static void
sd_shop_finalize (GObject *object)
{
  SdShop *self = SD_SHOP (object);

  g_free (self->attached_key);
  g_free (self->attached_features);
  G_OBJECT_CLASS (sd_shop_parent_class)->finalize (object);
}

static void
sd_shop_class_init (SdShopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_shop_get_property;
  object_class->dispose = sd_shop_dispose;
  object_class->finalize = sd_shop_finalize;

  properties[PROP_API] = g_param_spec_object ("api", NULL, NULL, SD_TYPE_API, flags);
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SD_TYPE_SESSION, flags);
  properties[PROP_CART] = g_param_spec_object ("cart", NULL, NULL, SD_TYPE_CART, flags);
  properties[PROP_UPLOADS] = g_param_spec_object ("uploads", NULL, NULL, SD_TYPE_UPLOAD_QUEUE, flags);
  properties[PROP_CATALOG] = g_param_spec_object ("catalog", NULL, NULL, SD_TYPE_CATALOG, flags);
  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, SD_TYPE_LOCAL_STORE, flags);
  properties[PROP_SYNC] = g_param_spec_object ("sync", NULL, NULL, SD_TYPE_SYNC, flags);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* New parts were made (after their notify::): for whoever takes them
   * all at once. */
  signals[PARTS_CHANGED] = g_signal_new ("parts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The same shop was connected again: show what it has now. */
  signals[RELOADED] = g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something kept for the shop could not be read (a sentence to show). */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sd_shop_init (SdShop *self)
{
  self->cancellable = g_cancellable_new ();
  self->parts_cancellable = g_cancellable_new ();
}
