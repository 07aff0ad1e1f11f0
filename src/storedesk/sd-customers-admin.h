/* sd-customers-admin.h — staff: the shop's accounts, searchable. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_CUSTOMERS_ADMIN (sd_customers_admin_get_type ())
G_DECLARE_FINAL_TYPE (SdCustomersAdmin, sd_customers_admin, SD, CUSTOMERS_ADMIN, SdPage)

void        sd_customers_admin_reload     (SdCustomersAdmin *self);
gboolean    sd_customers_admin_get_loading (SdCustomersAdmin *self);
void        sd_customers_admin_set_query  (SdCustomersAdmin *self,
                                           const char       *query);
/* The accounts the search matches (SdUser). */
GListModel *sd_customers_admin_get_shown  (SdCustomersAdmin *self);

G_END_DECLS
