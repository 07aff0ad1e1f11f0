/* sd-products-admin.h — staff: the catalog, a product at a time. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_PRODUCTS_ADMIN (sd_products_admin_get_type ())
G_DECLARE_FINAL_TYPE (SdProductsAdmin, sd_products_admin, SD, PRODUCTS_ADMIN, SdPage)

/* Loads every product and category again. */
void        sd_products_admin_reload       (SdProductsAdmin *self);
gboolean    sd_products_admin_get_busy     (SdProductsAdmin *self);
/* Every product of the shop (SdProduct), as last loaded. */
GListModel *sd_products_admin_get_products (SdProductsAdmin *self);

/* With unsaved changes, asks Save / Discard / Cancel and returns FALSE;
 * then calls then once saved or discarded, or cancelled (may be NULL) when
 * the user stays. Without any, returns TRUE and calls nothing. destroy
 * frees user_data in either case. */
typedef void (*SdProductsAdminThen) (SdProductsAdmin *self,
                                     gpointer         user_data);
gboolean    sd_products_admin_leave        (SdProductsAdmin     *self,
                                            SdProductsAdminThen  then,
                                            SdProductsAdminThen  cancelled,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);

/* The editor: a product to change (NULL: a new one). With unsaved
 * changes the user is asked first; FALSE when the answer is pending. */
gboolean    sd_products_admin_edit         (SdProductsAdmin *self,
                                            SdProduct       *product);
SdProduct  *sd_products_admin_get_editing  (SdProductsAdmin *self);
gboolean    sd_products_admin_get_dirty    (SdProductsAdmin *self);
/* What is wrong with the editor's fields (translated); NULL when nothing. */
const char *sd_products_admin_get_problem  (SdProductsAdmin *self);
void        sd_products_admin_save         (SdProductsAdmin *self);
/* Forgets the unsaved changes: the editor shows the product as saved. */
void        sd_products_admin_discard      (SdProductsAdmin *self);
/* What a drop, a paste or Choose Photo does with a file. */
void        sd_products_admin_set_image_file (SdProductsAdmin *self,
                                              GFile           *file);
/* The picture's state, in words ("Waiting for the shop…", "Uploaded"). */
const char *sd_products_admin_get_image_status (SdProductsAdmin *self);

/* Writes the catalog as CSV. */
void        sd_products_admin_export_to    (SdProductsAdmin *self,
                                            GFile           *file);
/* Reads a product CSV and shows what importing it would do; the dialog
 * imports (all or nothing) or not. */
void        sd_products_admin_import_from  (SdProductsAdmin *self,
                                            GFile           *file);
/* The plan the import dialog shows (NULL when none is open). */
SdProductImport *sd_products_admin_get_import (SdProductsAdmin *self);

G_END_DECLS
