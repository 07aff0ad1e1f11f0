/* sd-category.h — a product category. */
#pragma once

#include "sd-api.h"
#include "sd-local-store.h"

G_BEGIN_DECLS

#define SD_TYPE_CATEGORY (sd_category_get_type ())
G_DECLARE_FINAL_TYPE (SdCategory, sd_category, SD, CATEGORY, GObject)

const char *sd_category_get_id   (SdCategory *self);
const char *sd_category_get_name (SdCategory *self);
/* The shop's updatedAt as it sent it, or NULL (the original keeps none). */
const char *sd_category_get_updated_at (SdCategory *self);

/* GET /categories → a GListModel of SdCategory. */
void        sd_category_list_async  (SdApi               *api,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* The same, kept in store (NULL: as sd_category_list_async): when the
 * shop cannot be reached, the ones kept there from the last list (the
 * shop's error when there are none). Finishes with list_finish. */
void        sd_category_list_kept_async (SdApi           *api,
                                         SdLocalStore    *store,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
GListModel *sd_category_list_finish (SdApi               *api,
                                     GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
