/* sd-catalog-page.h — the shop's products in a grid: loading, empty, an
 * error with Try Again, or the products of a category, searched and
 * sorted. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_CATALOG_PAGE (sd_catalog_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCatalogPage, sd_catalog_page, SD, CATALOG_PAGE, SdPage)

/* What the grid shows; sd_page_reload() loads it. The category's id (NULL:
 * all), the search text (NULL or "": none) and the sort order. */
void        sd_catalog_page_set_category    (SdCatalogPage *self,
                                             const char    *category_id);
const char *sd_catalog_page_get_category_id (SdCatalogPage *self);
/* FALSE when that is the search already shown. */
gboolean    sd_catalog_page_set_query       (SdCatalogPage *self,
                                             const char    *query);
const char *sd_catalog_page_get_query       (SdCatalogPage *self);
void        sd_catalog_page_set_sort        (SdCatalogPage *self,
                                             SdSortOrder    sort);

/* "loading", "products", "empty" or "error". */
const char *sd_catalog_page_get_state       (SdCatalogPage *self);
void        sd_catalog_page_show_loading    (SdCatalogPage *self,
                                             const char    *message);
/* The error page for error, with Try Again (win.reload). */
/* The same with what to say (unreachable: the shop could not be reached). */
void        sd_catalog_page_show_problem    (SdCatalogPage *self,
                                             gboolean       unreachable,
                                             const char    *message);
void        sd_catalog_page_show_error      (SdCatalogPage *self,
                                             const GError  *error);

/* Signal "show-product" (SdProduct *product): the user opened a product. */

G_END_DECLS
