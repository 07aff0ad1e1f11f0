/* sd-sync-mark.c — the staff pages' edits through the shop's queue: a
 * row's mark, the value it shows while an edit waits, and what a page
 * says of an edit kept (see sd-sync-mark.h). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-sync-mark.h"
#include "sd-ui.h"

struct _SdSyncMark
{
  GtkWidget        parent_instance;

  GtkWidget       *image;
  SdSync          *sync;        /* weak: a sync the shop let go must end */
  char            *target;
  GSignalGroup    *signals;     /* on sync */
  SdSyncMarkState  state;
  guint            serial;
};

G_DEFINE_FINAL_TYPE (SdSyncMark, sd_sync_mark, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SYNC, PROP_TARGET, PROP_STATE, PROP_SERIAL, N_PROPS };
static GParamSpec *properties[N_PROPS];

const char *
sd_sync_mark_label (SdSyncMarkState state)
{
  switch (state)
    {
    case SD_SYNC_MARK_WAITING:
      return _("Waiting to send");
    case SD_SYNC_MARK_CONFLICT:
      return _("Changed at the shop meanwhile");
    case SD_SYNC_MARK_REFUSED:
      return _("The shop refused it");
    case SD_SYNC_MARK_NONE:
    default:
      return NULL;
    }
}

/* What waits for the record: the state that needs the user most. */
static SdSyncMarkState
state_of (SdSync *sync, const char *target)
{
  SdSyncMarkState state = SD_SYNC_MARK_NONE;
  guint n = sync && target ? g_list_model_get_n_items (G_LIST_MODEL (sync)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdSyncItem) item = g_list_model_get_item (G_LIST_MODEL (sync), i);

      if (g_strcmp0 (sd_sync_item_get_target (item), target) != 0)
        continue;
      switch (sd_sync_item_get_state (item))
        {
        case SD_SYNC_CONFLICT:
          state = SD_SYNC_MARK_CONFLICT;
          break;
        case SD_SYNC_REFUSED:
          state = state == SD_SYNC_MARK_CONFLICT ? state : SD_SYNC_MARK_REFUSED;
          break;
        case SD_SYNC_WAITING:
        case SD_SYNC_SENDING:
        default:
          state = state == SD_SYNC_MARK_NONE ? SD_SYNC_MARK_WAITING : state;
          break;
        }
    }
  return state;
}

static void
refresh (SdSyncMark *self)
{
  SdSyncMarkState state = state_of (self->sync, self->target);
  const char *label = sd_sync_mark_label (state);

  if (state != self->state)
    {
      self->state = state;
      gtk_image_set_from_icon_name (GTK_IMAGE (self->image), state == SD_SYNC_MARK_WAITING
                                                               ? "preferences-system-time-symbolic"
                                                               : "dialog-warning-symbolic");
      if (state == SD_SYNC_MARK_WAITING)
        gtk_widget_remove_css_class (self->image, "warning");
      else
        gtk_widget_add_css_class (self->image, "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), label);
      if (label)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_widget_set_visible (GTK_WIDGET (self), state != SD_SYNC_MARK_NONE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  /* The value beside it may have changed without the state (an edit
   * more of the same record). */
  self->serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL]);
}

void
sd_sync_mark_set (SdSyncMark *self, SdSync *sync, const char *target)
{
  g_return_if_fail (SD_IS_SYNC_MARK (self));
  g_return_if_fail (sync == NULL || SD_IS_SYNC (sync));
  if (self->sync == sync && g_strcmp0 (self->target, target) == 0)
    return;
  g_set_weak_pointer (&self->sync, sync);
  g_free (self->target);
  self->target = g_strdup (target);
  g_signal_group_set_target (self->signals, sync);
  refresh (self);
}

GtkWidget *sd_sync_mark_new (void) { return g_object_new (SD_TYPE_SYNC_MARK, NULL); }
SdSyncMarkState sd_sync_mark_get_state (SdSyncMark *self) { return self->state; }
guint sd_sync_mark_get_serial (SdSyncMark *self) { return self->serial; }

static void
sd_sync_mark_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdSyncMark *self = SD_SYNC_MARK (object);

  switch (prop_id)
    {
    case PROP_SYNC: g_value_set_object (value, self->sync); break;
    case PROP_TARGET: g_value_set_string (value, self->target); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_SERIAL: g_value_set_uint (value, self->serial); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_mark_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdSyncMark *self = SD_SYNC_MARK (object);

  switch (prop_id)
    {
    case PROP_SYNC: sd_sync_mark_set (self, g_value_get_object (value), self->target); break;
    case PROP_TARGET: sd_sync_mark_set (self, self->sync, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_mark_dispose (GObject *object)
{
  SdSyncMark *self = SD_SYNC_MARK (object);

  g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_weak_pointer (&self->sync);
  g_clear_pointer (&self->image, gtk_widget_unparent);
  G_OBJECT_CLASS (sd_sync_mark_parent_class)->dispose (object);
}

static void
sd_sync_mark_finalize (GObject *object)
{
  g_free (SD_SYNC_MARK (object)->target);
  G_OBJECT_CLASS (sd_sync_mark_parent_class)->finalize (object);
}

static void
sd_sync_mark_class_init (SdSyncMarkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_sync_mark_get_property;
  object_class->set_property = sd_sync_mark_set_property;
  object_class->dispose = sd_sync_mark_dispose;
  object_class->finalize = sd_sync_mark_finalize;
  properties[PROP_SYNC] = g_param_spec_object ("sync", NULL, NULL, SD_TYPE_SYNC, rw);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, rw);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, SD_SYNC_MARK_NONE, SD_SYNC_MARK_REFUSED,
                                             SD_SYNC_MARK_NONE, ro);
  properties[PROP_SERIAL] = g_param_spec_uint ("serial", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "syncmark");
}

static void
sd_sync_mark_init (SdSyncMark *self)
{
  /* Its name is the mark's: the icon itself says nothing more. */
  self->image = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                              "icon-name", "preferences-system-time-symbolic", NULL);
  gtk_widget_set_parent (self->image, GTK_WIDGET (self));
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->signals = g_signal_group_new (SD_TYPE_SYNC);
  /* Items come and go; their state changes show in the counts. */
  g_signal_group_connect_swapped (self->signals, "items-changed", G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->signals, "notify::n-conflicts", G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->signals, "notify::n-waiting", G_CALLBACK (refresh), self);
}

/* ---- without a mark ---------------------------------------------------------- */

char *
sd_sync_mark_dup_value (SdSync *sync, const char *target, const char *field)
{
  guint n = sync && target ? g_list_model_get_n_items (G_LIST_MODEL (sync)) : 0;

  /* The latest edit that changes it: edits of a record are made on top
   * of each other. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SdSyncItem) item = g_list_model_get_item (G_LIST_MODEL (sync), i - 1);

      if (g_strcmp0 (sd_sync_item_get_target (item), target) == 0 &&
          g_strv_contains (sd_sync_item_get_fields (item), field))
        return sd_sync_item_dup_yours_value (item, field);
    }
  return NULL;
}

SdSync *
sd_sync_mark_page_sync (SdPage *page)
{
  SdShop *shop = sd_page_get_shop (page);

  return shop ? sd_shop_get_sync (shop) : NULL;
}

char *
sd_sync_mark_kept (const GError *error)
{
  if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
      g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT) ||
      g_error_matches (error, SD_API_ERROR, SD_API_ERROR_SERVER))
    return g_strdup (_("Saved on this computer; it will be sent when the shop answers."));
  /* A conflict: in the words every page has for it (which say where to
   * compare), not the sync's own (which do not). */
  if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CHANGED))
    {
      g_autoptr(GError) plain = g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CHANGED, "");

      return sd_ui_error_message (plain, NULL);
    }
  return NULL;
}

/* ---- following the landed edits ------------------------------------------------ */

typedef struct {
  GSignalGroup *shop;   /* notify::sync */
  GSignalGroup *sync;   /* landed */
} Follow;

static void
follow_free (Follow *f)
{
  g_object_unref (f->shop);
  g_object_unref (f->sync);
  g_free (f);
}

static void
shop_sync_cb (Follow *f, GParamSpec *pspec, SdShop *shop)
{
  g_signal_group_set_target (f->sync, sd_shop_get_sync (shop));
}

static void
page_shop_cb (SdPage *page, GParamSpec *pspec, Follow *f)
{
  SdShop *shop = sd_page_get_shop (page);

  g_signal_group_set_target (f->shop, shop);
  g_signal_group_set_target (f->sync, shop ? sd_shop_get_sync (shop) : NULL);
}

void
sd_sync_mark_follow_landed (SdPage *page, GCallback landed)
{
  Follow *f = g_new0 (Follow, 1);

  f->shop = g_signal_group_new (SD_TYPE_SHOP);
  f->sync = g_signal_group_new (SD_TYPE_SYNC);
  g_signal_group_connect_swapped (f->shop, "notify::sync", G_CALLBACK (shop_sync_cb), f);
  g_signal_group_connect_object (f->sync, "landed", landed, page, G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (page), "sd-sync-follow", f, (GDestroyNotify) follow_free);
  g_signal_connect (page, "notify::shop", G_CALLBACK (page_shop_cb), f);
  page_shop_cb (page, NULL, f);
}
