/* sd-page.c — the base of every page (see sd-page.h). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-page.h"
#include "sd-app-enums.h"
#include "sd-ui.h"

typedef struct
{
  SdShop       *shop;
  GSignalGroup *shop_signals;
  char         *title;
  SdPageState   state;
  gboolean      loaded;         /* a load of this page succeeded since the shop's parts came */
  GCancellable *cancellable;
  GCancellable *write_cancellable;
} SdPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SdPage, sd_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOP,
  PROP_TITLE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PRIV(self) ((SdPagePrivate *) sd_page_get_instance_private (SD_PAGE (self)))

GCancellable *
sd_page_renew_cancellable (SdPage *self)
{
  SdPagePrivate *priv;

  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  priv = PRIV (self);
  g_cancellable_cancel (priv->cancellable);
  g_set_object (&priv->cancellable, g_cancellable_new ());
  return priv->cancellable;
}

GCancellable *
sd_page_get_cancellable (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  return PRIV (self)->cancellable;
}

GCancellable *
sd_page_get_write_cancellable (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  return PRIV (self)->write_cancellable;
}

static void
parts_changed_cb (SdPage *self)
{
  sd_page_renew_cancellable (self);
  PRIV (self)->loaded = FALSE;
  if (SD_PAGE_GET_CLASS (self)->shop_changed)
    SD_PAGE_GET_CLASS (self)->shop_changed (self, PRIV (self)->shop);
}

void
sd_page_note_loaded (SdPage *self)
{
  g_return_if_fail (SD_IS_PAGE (self));
  PRIV (self)->loaded = TRUE;
}

gboolean
sd_page_offline_keeps (SdPage *self, const GError *error, gboolean has_content)
{
  gboolean unreachable = g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
                         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT);

  g_return_val_if_fail (SD_IS_PAGE (self), FALSE);
  if (!PRIV (self)->loaded || !has_content || !unreachable)
    return FALSE;
  g_debug ("%s: the shop is not reachable; what it shows stays", G_OBJECT_TYPE_NAME (self));
  return TRUE;
}

void
sd_page_reload (SdPage *self)
{
  g_return_if_fail (SD_IS_PAGE (self));
  if (SD_PAGE_GET_CLASS (self)->reload)
    SD_PAGE_GET_CLASS (self)->reload (self);
}

SdShop *
sd_page_get_shop (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  return PRIV (self)->shop;
}

SdLocalStore *
sd_page_get_store (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  return PRIV (self)->shop ? sd_shop_get_store (PRIV (self)->shop) : NULL;
}

void
sd_page_set_shop (SdPage *self, SdShop *shop)
{
  SdPagePrivate *priv;

  g_return_if_fail (SD_IS_PAGE (self));
  g_return_if_fail (shop == NULL || SD_IS_SHOP (shop));
  priv = PRIV (self);
  if (!g_set_object (&priv->shop, shop))
    return;
  g_signal_group_set_target (priv->shop_signals, shop);
  parts_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP]);
}

const char *
sd_page_get_title (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), NULL);
  return PRIV (self)->title;
}

void
sd_page_set_title (SdPage *self, const char *title)
{
  g_return_if_fail (SD_IS_PAGE (self));
  if (g_strcmp0 (PRIV (self)->title, title) == 0)
    return;
  g_free (PRIV (self)->title);
  PRIV (self)->title = g_strdup (title);
  /* Its name for a screen reader, instead of its type's. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

SdPageState
sd_page_get_state (SdPage *self)
{
  g_return_val_if_fail (SD_IS_PAGE (self), SD_PAGE_STATE_LOADING);
  return PRIV (self)->state;
}

void
sd_page_set_state (SdPage *self, SdPageState state)
{
  g_return_if_fail (SD_IS_PAGE (self));
  if (PRIV (self)->state == state)
    return;
  PRIV (self)->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
sd_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdPage *self = SD_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOP: g_value_set_object (value, sd_page_get_shop (self)); break;
    case PROP_TITLE: g_value_set_string (value, sd_page_get_title (self)); break;
    case PROP_STATE: g_value_set_enum (value, sd_page_get_state (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdPage *self = SD_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOP: sd_page_set_shop (self, g_value_get_object (value)); break;
    case PROP_TITLE: sd_page_set_title (self, g_value_get_string (value)); break;
    case PROP_STATE: sd_page_set_state (self, g_value_get_enum (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_page_dispose (GObject *object)
{
  SdPagePrivate *priv = PRIV (object);
  GtkWidget *child;

  g_cancellable_cancel (priv->cancellable);
  g_cancellable_cancel (priv->write_cancellable);
  if (priv->shop_signals)
    g_signal_group_set_target (priv->shop_signals, NULL);
  g_clear_object (&priv->shop_signals);
  g_clear_object (&priv->shop);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_page_parent_class)->dispose (object);
}

static void
sd_page_finalize (GObject *object)
{
  SdPagePrivate *priv = PRIV (object);

  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->write_cancellable);
  g_free (priv->title);
  G_OBJECT_CLASS (sd_page_parent_class)->finalize (object);
}

static void
sd_page_class_init (SdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_page_get_property;
  object_class->set_property = sd_page_set_property;
  object_class->dispose = sd_page_dispose;
  object_class->finalize = sd_page_finalize;

  properties[PROP_SHOP] = g_param_spec_object ("shop", NULL, NULL, SD_TYPE_SHOP, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SD_TYPE_PAGE_STATE, SD_PAGE_STATE_LOADING,
                                              flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sd_page_init (SdPage *self)
{
  SdPagePrivate *priv = PRIV (self);

  priv->cancellable = g_cancellable_new ();
  priv->write_cancellable = g_cancellable_new ();
  priv->shop_signals = g_signal_group_new (SD_TYPE_SHOP);
  g_signal_group_connect_swapped (priv->shop_signals, "parts-changed", G_CALLBACK (parts_changed_cb), self);
  g_signal_group_connect_swapped (priv->shop_signals, "reloaded", G_CALLBACK (sd_page_reload), self);
}

void
sd_page_class_set_up (gpointer klass, void (*dispose) (GObject *object),
                      void (*shop_changed) (SdPage *self, SdShop *shop), void (*reload) (SdPage *self),
                      const char *ui_file)
{
  G_OBJECT_CLASS (klass)->dispose = dispose;
  SD_PAGE_CLASS (klass)->shop_changed = shop_changed;
  if (reload)
    SD_PAGE_CLASS (klass)->reload = reload;
  sd_ui_class_set_template (klass, ui_file);
}

guint
sd_page_class_new_signal (gpointer klass, const char *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
