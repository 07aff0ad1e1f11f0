/* sd-catalog.h — the shop's products as a GListModel of SdProduct. */
#pragma once

#include "sd-api.h"

G_BEGIN_DECLS

#define SD_TYPE_CATALOG (sd_catalog_get_type ())
G_DECLARE_FINAL_TYPE (SdCatalog, sd_catalog, SD, CATALOG, GObject)

SdCatalog  *sd_catalog_new             (SdApi               *api);
SdApi      *sd_catalog_get_api         (SdCatalog           *self);
/* NULL: all categories. */
const char *sd_catalog_get_category_id (SdCatalog           *self);
gboolean    sd_catalog_get_loading     (SdCatalog           *self);

/* Replaces the contents with the products of category_id (NULL: all), in
 * one items-changed. A newer load cancels an older one, which then
 * finishes with G_IO_ERROR_CANCELLED. On failure the old items stay. */
void        sd_catalog_load_async      (SdCatalog           *self,
                                        const char          *category_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    sd_catalog_load_finish     (SdCatalog           *self,
                                        GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
