/* sd-product-editor.h — the products page's editor: its fields, checked
 * as one types; save, delete (with Undo), duplicate; leaving with unsaved
 * changes. Private to the products page. */
#pragma once

#include "sd-products-admin-private.h"

G_BEGIN_DECLS

/* Shows product in the editor (NULL: a new one), as saved. */
void sd_product_editor_fill               (SdProductsAdmin *self,
                                           SdProduct       *product);
/* Checks the fields: marks the wrong ones, says what is wrong, and lets
 * Save, Delete and Duplicate be pressed or not. */
void sd_product_editor_validate           (SdProductsAdmin *self);
/* Forgets what to do after the "Save" answer of sd_products_admin_leave. */
void sd_product_editor_clear_after_save   (SdProductsAdmin *self);

/* Template callbacks. */
void sd_product_editor_changed_cb         (SdProductsAdmin *self);
void sd_product_editor_new_cb             (SdProductsAdmin *self);
void sd_product_editor_save_cb            (SdProductsAdmin *self);
void sd_product_editor_duplicate_cb       (SdProductsAdmin *self);
void sd_product_editor_delete_cb          (SdProductsAdmin *self);

G_END_DECLS
