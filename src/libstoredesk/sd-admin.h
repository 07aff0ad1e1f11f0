/* sd-admin.h — what shop staff do: catalog, pictures, orders. */
#pragma once

#include "sd-activity.h"
#include "sd-api.h"
#include "sd-category.h"
#include "sd-fields.h"
#include "sd-local-store.h"
#include "sd-order.h"
#include "sd-product.h"
#include "sd-user.h"

G_BEGIN_DECLS

#define SD_TYPE_ADMIN (sd_admin_get_type ())
G_DECLARE_FINAL_TYPE (SdAdmin, sd_admin, SD, ADMIN, GObject)

/* SdProductFields: the contract's (sd-fields.h). */

SdAdmin    *sd_admin_new                   (SdApi               *api);
/* TRUE when the shop speaks the original HoneyTouse API only: a new
 * product needs an option and a picture address there, and a product's
 * options cannot change after it is made. */
gboolean    sd_admin_get_original          (SdAdmin             *self);
/* TRUE when the shop keeps cancelled orders ([ext] "cancelled"); the
 * original deletes them. */
gboolean    sd_admin_get_keeps_cancelled   (SdAdmin             *self);
/* FALSE when the shop told its features and "uploads" is not among them
 * (the original): a product's picture is then given by its address only.
 * TRUE before the shop has said. */
gboolean    sd_admin_get_takes_uploads     (SdAdmin             *self);

void        sd_admin_create_category_async (SdAdmin             *self,
                                            const char          *name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void        sd_admin_rename_category_async (SdAdmin             *self,
                                            const char          *category_id,
                                            const char          *name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
SdCategory *sd_admin_category_finish       (SdAdmin             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* product_id NULL creates. */
void        sd_admin_save_product_async    (SdAdmin             *self,
                                            const char          *product_id,
                                            const SdProductFields *fields,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
SdProduct  *sd_admin_product_finish        (SdAdmin             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* What staff delete. */
typedef enum {
  SD_ADMIN_CATEGORY,   /* refused while products use it */
  SD_ADMIN_PRODUCT,
  SD_ADMIN_ORDER,
} SdAdminKind;

/* Deletes a category, a product or an order. */
void        sd_admin_delete_async          (SdAdmin             *self,
                                            SdAdminKind          kind,
                                            const char          *id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    sd_admin_delete_finish         (SdAdmin             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Uploads a prepared picture through the shop's presigned route; finishes
 * with the path to save on the product ("uploads/…"). NOT_FOUND when the
 * shop has no such route (the original). */
void        sd_admin_upload_picture_async  (SdAdmin             *self,
                                            GBytes              *bytes,
                                            const char          *content_type,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char       *sd_admin_upload_picture_finish (SdAdmin             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* All orders, newest first: a page, filtered by status (SD_ORDER_STATUS_N:
 * any) and text. Finishes with a GListModel of SdOrder; *out_total is the
 * count of all matching orders. A shop without our paging (the original)
 * sends everything: filtered and paged here then, the same way. Where
 * the shop keeps cancelled orders ([ext] "cancelled", once its /health
 * has answered), they are among them, SD_ORDER_STATUS_CANCELLED. */
void        sd_admin_list_orders_async     (SdAdmin             *self,
                                            SdOrderStatus        status,
                                            const char          *query,
                                            guint                page,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GListModel *sd_admin_list_orders_finish    (SdAdmin             *self,
                                            GAsyncResult        *result,
                                            gint64              *out_total,
                                            GError             **error);

/* The shop's and account's local store (NULL: none). Every page of
 * orders the shop lists is kept in it (as orders staff have seen), and
 * when the shop cannot be reached (SD_API_ERROR_OFFLINE or _TIMEOUT),
 * list_orders answers from it instead: the same status filter, the
 * query through the store's search (sd_local_store_search_async), newest
 * first, paged. sd_admin_list_orders_from_disk then says so. */
void        sd_admin_set_local_store       (SdAdmin             *self,
                                            SdLocalStore        *store);
/* TRUE when result (of list_orders, before or after its finish) came
 * from the local store: what this computer kept, maybe not what the
 * shop has now. */
gboolean    sd_admin_list_orders_from_disk (SdAdmin             *self,
                                            GAsyncResult        *result);

void        sd_admin_set_order_status_async (SdAdmin            *self,
                                             const char         *order_id,
                                             SdOrderStatus       status,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
SdOrder    *sd_admin_order_finish           (SdAdmin            *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Every account of the shop: a GListModel of SdUser. */
void        sd_admin_list_users_async       (SdAdmin            *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GListModel *sd_admin_list_users_finish      (SdAdmin            *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Every product of the shop, walked page by page (staff lists, CSV,
 * counts per category): a GListModel of SdProduct in the shop's order. */
void        sd_admin_list_products_async    (SdAdmin            *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GListModel *sd_admin_list_products_finish   (SdAdmin            *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* [ext] "activity": TRUE when the shop keeps a log of changes (once its
 * /health has answered); the original does not. */
gboolean    sd_admin_get_keeps_activity     (SdAdmin            *self);
/* The log, newest first: a page of per_page entries (at most 100), of
 * every kind or of one entity's, or of one record (id, with its
 * entity). Finishes with a GListModel of SdActivity and in *out_total
 * how many there are in all; SD_API_ERROR_UNSUPPORTED at a shop that
 * keeps none. */
void        sd_admin_list_activity_async    (SdAdmin            *self,
                                             SdActivityEntity    entity,
                                             const char         *id,
                                             guint               page,
                                             guint               per_page,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GListModel *sd_admin_list_activity_finish   (SdAdmin            *self,
                                             GAsyncResult       *result,
                                             gint64             *out_total,
                                             GError            **error);

G_END_DECLS
