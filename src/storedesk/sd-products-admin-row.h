/* sd-products-admin-row.h — the rows of the products page's list, made
 * from the sd-products-admin-row.ui template: the scope its bindings
 * find their functions in. Private to the products page. */
#pragma once

#include <gtk/gtk.h>

#include "sd-products-admin.h"

G_BEGIN_DECLS

#define SD_TYPE_PRODUCTS_ADMIN_ROW_SCOPE (sd_products_admin_row_scope_get_type ())
G_DECLARE_FINAL_TYPE (SdProductsAdminRowScope, sd_products_admin_row_scope, SD, PRODUCTS_ADMIN_ROW_SCOPE, GObject)

/* A factory of rows for page's list (the page is not held). */
GtkListItemFactory *sd_products_admin_row_factory_new (SdProductsAdmin *page);

G_END_DECLS
