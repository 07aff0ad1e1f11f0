/* sd-catalog.h — the shop's products as a GListModel of SdProduct. */
#pragma once

#include "sd-api.h"
#include "sd-local-store.h"

G_BEGIN_DECLS

#define SD_TYPE_CATALOG (sd_catalog_get_type ())
G_DECLARE_FINAL_TYPE (SdCatalog, sd_catalog, SD, CATALOG, GObject)

SdCatalog  *sd_catalog_new             (SdApi               *api);
SdApi      *sd_catalog_get_api         (SdCatalog           *self);
/* NULL: all categories. */
const char *sd_catalog_get_category_id (SdCatalog           *self);
/* The search of the list shown (NULL: none). */
const char *sd_catalog_get_query       (SdCatalog           *self);
gboolean    sd_catalog_get_loading     (SdCatalog           *self);

/* A lazy list over the whole catalog: n-items is the shop's total; an
 * item not fetched yet comes back as a placeholder
 * (sd_product_is_placeholder) and its page is fetched, after which one
 * items-changed covers that page. Only pages used lately stay in memory.
 * A shop without paging (the original API) sends everything at once;
 * then search and sort happen here.
 *
 * Replaces the contents with the products of category_id (NULL: all)
 * matching query (NULL: all) in sort order, in one items-changed. A newer
 * load cancels an older one, which then finishes with
 * G_IO_ERROR_CANCELLED. On failure the old items stay. */
void        sd_catalog_load_sorted_async (SdCatalog          *self,
                                          const char         *category_id,
                                          const char         *query,
                                          SdSortOrder         sort,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
/* The same with the sort order by its wire key (SD_SORT_*, NULL: the
 * shop's); an unknown key is a programming error (the shop's order). */
void        sd_catalog_load_query_async (SdCatalog           *self,
                                         const char          *category_id,
                                         const char          *query,
                                         const char          *sort,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The same with no query and the shop's order. */
void        sd_catalog_load_async      (SdCatalog           *self,
                                        const char          *category_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    sd_catalog_load_finish     (SdCatalog           *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Stale-while-revalidate: with a store (the shop's and account's), a
 * load shows the listing's first page from disk as soon as the disk
 * answers (the list as long as the total kept, the rest placeholders),
 * unless the shop answered first; then the shop's answer replaces it and
 * is kept for next time, as are later pages. A shop without paging is
 * not kept. A load with a query shows the store's own search at once
 * instead (the products kept, in the category asked for, best first),
 * until the shop's answer replaces it (the shop's order; a product it no
 * longer lists goes); when the shop cannot be reached they stay. NULL:
 * none. */
void        sd_catalog_set_local_store (SdCatalog           *self,
                                        SdLocalStore        *store);

/* How many products are held in memory now (for tests and benchmarks). */
guint       sd_catalog_get_n_loaded    (SdCatalog           *self);

G_END_DECLS
