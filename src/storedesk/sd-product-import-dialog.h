/* sd-product-import-dialog.h — the products page's CSV: export, and an
 * import shown line by line before it is done (all or nothing). Private
 * to the products page. */
#pragma once

#include "sd-products-admin-private.h"

G_BEGIN_DECLS

/* products.import and products.export: a file chooser, then the rest. */
void sd_product_import_dialog_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param);

G_END_DECLS
