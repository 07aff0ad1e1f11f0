/* sd-categories-admin.h — staff: categories with their product counts. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_CATEGORIES_ADMIN (sd_categories_admin_get_type ())
G_DECLARE_FINAL_TYPE (SdCategoriesAdmin, sd_categories_admin, SD, CATEGORIES_ADMIN, SdPage)

void        sd_categories_admin_reload    (SdCategoriesAdmin *self);
gboolean    sd_categories_admin_get_busy  (SdCategoriesAdmin *self);
/* The categories on show (SdCategory) and how many products use one. */
GListModel *sd_categories_admin_get_categories (SdCategoriesAdmin *self);
guint       sd_categories_admin_count     (SdCategoriesAdmin *self,
                                           const char        *category_id);
void        sd_categories_admin_add       (SdCategoriesAdmin *self,
                                           const char        *name);
void        sd_categories_admin_rename    (SdCategoriesAdmin *self,
                                           SdCategory        *category,
                                           const char        *name);
/* Refused by the shop while products use it: the shop's reason is shown. */
void        sd_categories_admin_delete    (SdCategoriesAdmin *self,
                                           SdCategory        *category);

G_END_DECLS
