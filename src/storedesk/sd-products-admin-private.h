/* sd-products-admin-private.h — what the parts of the products page
 * share: the page's widgets and state (sd-products-admin.c, the list and
 * the actions; sd-products-admin-row.c, the list's rows;
 * sd-product-editor.c; sd-product-import-dialog.c). Not for the rest of
 * the app. */
#pragma once

#include <adwaita.h>

#include "sd-activity-list.h"
#include "sd-photo-field.h"
#include "sd-products-admin.h"

G_BEGIN_DECLS

struct _SdProductsAdmin
{
  SdPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkLabel           *count_label;
  GtkStack           *editor_stack;
  SdPhotoField       *photo_field;
  AdwEntryRow        *name_row;
  AdwComboRow        *category_row;
  AdwEntryRow        *brand_row;
  AdwEntryRow        *price_row;
  AdwEntryRow        *stock_row;
  AdwEntryRow        *option_row;
  AdwEntryRow        *image_row;
  AdwPreferencesGroup *option_group;
  AdwEntryRow        *values_row;
  GtkTextView        *description_view;
  GtkWidget          *history_group;
  SdActivityList     *history;
  GtkLabel           *problem_label;
  GtkButton          *delete_button;
  GtkButton          *duplicate_button;
  GtkButton          *save_button;

  SdApi              *api;
  SdAdmin            *admin;
  GListStore         *products;
  GListModel         *categories;      /* SdCategory */
  GtkStringList      *category_names;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint               loading;
  guint               working;         /* saves, deletes, imports, exports */

  SdProduct          *editing;         /* NULL with is_new: a new product */
  gboolean            is_new;
  gboolean            dirty;
  gboolean            filling;
  gboolean            selecting;
  char               *problem;
  char               *select_id;       /* to select after the next load */
  /* What to do once the unsaved changes are saved (the "Save" answer). */
  SdProductsAdminThen after_save;
  gpointer            after_save_data;
  GDestroyNotify      after_save_destroy;

  SdProductImport    *import;
};

/* The catalog changed here: the shop's pages should load again. */
void          sd_products_admin_catalog_changed   (SdProductsAdmin *self);
/* The page's writes: a save, a delete, an import, an upload. */
GCancellable *sd_products_admin_write_cancellable (SdProductsAdmin *self);
/* The name of the category with id ("" when unknown). */
const char   *sd_products_admin_category_name     (SdProductsAdmin *self,
                                                   const char      *id);
/* Selects the product with id in the list (none: NULL), quietly. */
void          sd_products_admin_select            (SdProductsAdmin *self,
                                                   const char      *id);

G_END_DECLS
