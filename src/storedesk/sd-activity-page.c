/* sd-activity-page.c — see sd-activity-page.h; the list is
 * SdActivityList's. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-activity-page.h"

/* The filter's items, in its order. */
static const SdActivityEntity kinds[] = {
  SD_ACTIVITY_ANY, SD_ACTIVITY_ORDER, SD_ACTIVITY_PRODUCT, SD_ACTIVITY_CATEGORY,
};

struct _SdActivityPage
{
  SdPage          parent_instance;

  GtkDropDown    *kind_dropdown;
  SdActivityList *list;

  SdAdmin        *admin;
};

G_DEFINE_FINAL_TYPE (SdActivityPage, sd_activity_page, SD_TYPE_PAGE)

void
sd_activity_page_reload (SdActivityPage *self)
{
  g_return_if_fail (SD_IS_ACTIVITY_PAGE (self));
  sd_activity_list_show (self->list, self->admin, kinds[gtk_drop_down_get_selected (self->kind_dropdown)], NULL);
}

void
sd_activity_page_set_kind (SdActivityPage *self, SdActivityEntity kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == kind)
      gtk_drop_down_set_selected (self->kind_dropdown, i);
}

SdActivityList *sd_activity_page_get_list (SdActivityPage *self) { return self->list; }

static void
kind_changed_cb (SdActivityPage *self)
{
  sd_activity_page_reload (self);
}

static void
sd_activity_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdActivityPage *self = SD_ACTIVITY_PAGE (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;

  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  sd_activity_list_show (self->list, NULL, SD_ACTIVITY_ANY, NULL);
}

static void
sd_activity_page_reload_page (SdPage *page)
{
  sd_activity_page_reload (SD_ACTIVITY_PAGE (page));
}

static void
sd_activity_page_dispose (GObject *object)
{
  SdActivityPage *self = SD_ACTIVITY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ACTIVITY_PAGE);
  g_clear_object (&self->admin);
  G_OBJECT_CLASS (sd_activity_page_parent_class)->dispose (object);
}

static void
sd_activity_page_class_init (SdActivityPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (SD_TYPE_ACTIVITY_LIST);
  sd_page_class_set_up (klass, sd_activity_page_dispose, sd_activity_page_shop_changed,
                        sd_activity_page_reload_page, "sd-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdActivityPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdActivityPage, list);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
}

static void
sd_activity_page_init (SdActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
