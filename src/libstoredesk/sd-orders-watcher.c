/* sd-orders-watcher.c — new orders, for staff, whatever is on show.
 *
 * One order per page is asked for: the count of all orders is in
 * X-Total-Count. The count seen last is kept; more at the next look are
 * the new orders. Signing out, another session or another shop forgets
 * it, so a shop's old orders are never news. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-admin.h"
#include "sd-orders-watcher.h"

#define POLL_SECONDS 30

struct _SdOrdersWatcher
{
  GObject       parent_instance;

  SdShop       *shop;
  SdSession    *session;
  SdAdmin      *admin;
  GCancellable *cancellable;   /* the look on its way */
  guint         poll_id;
  gboolean      watching;
  gint64        known;         /* all orders at the last look; -1: not yet */
  guint         n_new;
  guint         n_unseen;      /* news since staff last looked */
  SdOrder      *newest;        /* the newest order at the last look */
};

G_DEFINE_FINAL_TYPE (SdOrdersWatcher, sd_orders_watcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOP,
  PROP_WATCHING,
  PROP_N_NEW,
  PROP_N_UNSEEN,
  N_PROPS
};

enum {
  NEW_ORDERS,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* Whatever look is on its way answers for what was before. */
static void
cancel_look (SdOrdersWatcher *self)
{
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
}

static void
set_n_new (SdOrdersWatcher *self, guint n)
{
  if (self->n_new == n)
    return;
  self->n_new = n;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_NEW]);
}

static void
set_n_unseen (SdOrdersWatcher *self, guint n)
{
  if (self->n_unseen == n)
    return;
  self->n_unseen = n;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_UNSEEN]);
}

static void
looked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersWatcher) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  guint n;

  if (orders == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Unreachable shop, or no longer staff: the next look tries again. */
  if (orders == NULL || total < 0)
    {
      g_debug ("no look at the new orders: %s", error ? error->message : "no count");
      return;
    }
  n = self->known >= 0 && total > self->known ? (guint) MIN (total - self->known, G_MAXUINT) : 0;
  self->known = total;
  if (g_list_model_get_n_items (orders) > 0)
    {
      g_clear_object (&self->newest);
      self->newest = g_list_model_get_item (orders, 0);
    }
  set_n_new (self, n);
  if (n > 0)
    {
      set_n_unseen (self, self->n_unseen > G_MAXUINT - n ? G_MAXUINT : self->n_unseen + n);
      g_signal_emit (self, signals[NEW_ORDERS], 0, n);
    }
}

void
sd_orders_watcher_look_now (SdOrdersWatcher *self)
{
  g_return_if_fail (SD_IS_ORDERS_WATCHER (self));
  if (!self->watching || self->admin == NULL)
    return;
  cancel_look (self);
  sd_admin_list_orders_async (self->admin, SD_ORDER_STATUS_N, NULL, 1, 1, self->cancellable, looked_cb,
                              g_object_ref (self));
}

static gboolean
poll_cb (gpointer user_data)
{
  sd_orders_watcher_look_now (user_data);
  return G_SOURCE_CONTINUE;
}

/* Staff signed in: watching from the start, with what the shop has now as
 * the known count. Anything else: nothing is known any more. */
static void
update_watching (SdOrdersWatcher *self, gboolean restart)
{
  gboolean watching = self->session && self->admin && sd_session_get_signed_in (self->session)
                      && sd_session_get_is_admin (self->session);

  if (watching == self->watching && !restart)
    return;
  cancel_look (self);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->known = -1;
  g_clear_object (&self->newest);
  set_n_new (self, 0);
  set_n_unseen (self, 0);
  if (watching != self->watching)
    {
      self->watching = watching;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WATCHING]);
    }
  if (!watching)
    return;
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  sd_orders_watcher_look_now (self);
}

static void
session_changed_cb (SdOrdersWatcher *self)
{
  update_watching (self, FALSE);
}

/* New parts: another api, another session; the old count says nothing. */
static void
parts_changed_cb (SdOrdersWatcher *self)
{
  SdApi *api = sd_shop_get_api (self->shop);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, sd_shop_get_session (self->shop));
  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  if (self->session)
    {
      g_signal_connect_swapped (self->session, "notify::signed-in", G_CALLBACK (session_changed_cb), self);
      g_signal_connect_swapped (self->session, "notify::is-admin", G_CALLBACK (session_changed_cb), self);
    }
  update_watching (self, TRUE);
}

SdOrdersWatcher *
sd_orders_watcher_new (SdShop *shop)
{
  g_return_val_if_fail (SD_IS_SHOP (shop), NULL);
  return g_object_new (SD_TYPE_ORDERS_WATCHER, "shop", shop, NULL);
}

SdShop *
sd_orders_watcher_get_shop (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), NULL);
  return self->shop;
}

gboolean
sd_orders_watcher_get_watching (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), FALSE);
  return self->watching;
}

guint
sd_orders_watcher_get_n_new (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), 0);
  return self->n_new;
}

guint
sd_orders_watcher_get_n_unseen (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), 0);
  return self->n_unseen;
}

void
sd_orders_watcher_mark_seen (SdOrdersWatcher *self)
{
  g_return_if_fail (SD_IS_ORDERS_WATCHER (self));
  set_n_unseen (self, 0);
}

SdOrder *
sd_orders_watcher_get_newest (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), NULL);
  return self->newest;
}

gint64
sd_orders_watcher_get_known (SdOrdersWatcher *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_WATCHER (self), -1);
  return self->known;
}

void
sd_orders_watcher_set_known (SdOrdersWatcher *self, gint64 total)
{
  g_return_if_fail (SD_IS_ORDERS_WATCHER (self));
  if (self->watching && total >= 0)
    self->known = total;
}

static void
sd_orders_watcher_constructed (GObject *object)
{
  SdOrdersWatcher *self = SD_ORDERS_WATCHER (object);

  G_OBJECT_CLASS (sd_orders_watcher_parent_class)->constructed (object);
  g_signal_connect_swapped (self->shop, "parts-changed", G_CALLBACK (parts_changed_cb), self);
  parts_changed_cb (self);
}

static void
sd_orders_watcher_dispose (GObject *object)
{
  SdOrdersWatcher *self = SD_ORDERS_WATCHER (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->shop)
    g_signal_handlers_disconnect_by_data (self->shop, self);
  g_clear_object (&self->session);
  g_clear_object (&self->admin);
  g_clear_object (&self->newest);
  g_clear_object (&self->shop);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sd_orders_watcher_parent_class)->dispose (object);
}

static void
sd_orders_watcher_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdOrdersWatcher *self = SD_ORDERS_WATCHER (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      g_value_set_object (value, self->shop);
      break;
    case PROP_WATCHING:
      g_value_set_boolean (value, self->watching);
      break;
    case PROP_N_NEW:
      g_value_set_uint (value, self->n_new);
      break;
    case PROP_N_UNSEEN:
      g_value_set_uint (value, self->n_unseen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_orders_watcher_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdOrdersWatcher *self = SD_ORDERS_WATCHER (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      self->shop = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_orders_watcher_class_init (SdOrdersWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sd_orders_watcher_constructed;
  object_class->dispose = sd_orders_watcher_dispose;
  object_class->get_property = sd_orders_watcher_get_property;
  object_class->set_property = sd_orders_watcher_set_property;

  props[PROP_SHOP] = g_param_spec_object ("shop", NULL, NULL, SD_TYPE_SHOP,
                                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_WATCHING] = g_param_spec_boolean ("watching", NULL, NULL, FALSE,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_N_NEW] = g_param_spec_uint ("n-new", NULL, NULL, 0, G_MAXUINT, 0,
                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_N_UNSEEN] = g_param_spec_uint ("n-unseen", NULL, NULL, 0, G_MAXUINT, 0,
                                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* A look found n orders more than the count known before. */
  signals[NEW_ORDERS] = g_signal_new ("new-orders", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sd_orders_watcher_init (SdOrdersWatcher *self)
{
  self->cancellable = g_cancellable_new ();
  self->known = -1;
}
