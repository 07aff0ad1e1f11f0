/* sd-contract.h — what client and server agree on, written once.
 *
 * Plain C + GLib: the wire's envelope keys, paths, headers, the order
 * statuses and the features a server may advertise.  See shared/API.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_API_PREFIX        "/api/v1"
#define SD_HEALTH_PATH       "/health"
#define SD_UPLOADS_PREFIX    "/uploads/"

/* The routes, said once: the client calls them, the server's route tables
 * match them (with "/:id" appended where a route takes one). */
#define SD_PATH_AUTH                  SD_API_PREFIX "/auth"
#define SD_PATH_SIGN_UP               SD_PATH_AUTH "/sign-up"
#define SD_PATH_SIGN_IN               SD_PATH_AUTH "/sign-in"
#define SD_PATH_REFRESH               SD_PATH_AUTH "/refresh-access-token"
#define SD_PATH_SIGN_OUT              SD_PATH_AUTH "/sign-out"
#define SD_PATH_SIGN_OUT_EVERYWHERE   SD_PATH_AUTH "/sign-out-everywhere"   /* [ext] */
#define SD_PATH_ME                    SD_PATH_AUTH "/me"
#define SD_PATH_WITHDRAW              SD_PATH_AUTH "/withdraw"
#define SD_PATH_SEND_CODE             SD_PATH_AUTH "/send-confirmation-email"
#define SD_PATH_CONFIRM_EMAIL         SD_PATH_AUTH "/confirm-email"
#define SD_PATH_CHANGE_PASSWORD       SD_PATH_AUTH "/change-password"
#define SD_PATH_RESET_PASSWORD        SD_PATH_AUTH "/reset-password"        /* [ext] */
#define SD_PATH_PROFILE_IMAGE         SD_PATH_AUTH "/upload-profile-image"
#define SD_PATH_CATEGORIES            SD_API_PREFIX "/categories"
#define SD_PATH_PRODUCTS              SD_API_PREFIX "/products"
#define SD_PATH_ORDERS                SD_API_PREFIX "/orders"
#define SD_PATH_ADMIN                 SD_API_PREFIX "/admin"
#define SD_PATH_ADMIN_CATEGORIES      SD_PATH_ADMIN "/categories"
#define SD_PATH_ADMIN_PRODUCTS        SD_PATH_ADMIN "/products"
#define SD_PATH_ADMIN_ORDERS          SD_PATH_ADMIN "/orders"
#define SD_PATH_ADMIN_ORDERS_STATUS   SD_PATH_ADMIN_ORDERS "/status"
#define SD_PATH_ADMIN_USERS           SD_PATH_ADMIN "/userInfo"
#define SD_PATH_ADMIN_UPLOADS         SD_PATH_ADMIN "/uploads"               /* [ext] */
#define SD_PATH_ADMIN_ACTIVITY        SD_PATH_ADMIN "/activity"              /* [ext] "activity" */

#define SD_ENVELOPE_ERROR    "error"
#define SD_ENVELOPE_DATA     "data"

#define SD_HEADER_TOTAL_COUNT "X-Total-Count"
#define SD_HEADER_LINK        "Link"
/* [ext] "activity": where a change comes from: bulk, undo or replay. */
#define SD_HEADER_ORIGIN      "X-Storedesk-Origin"

/* [ext] paging: 1-based page, limit at most 100; unpaged lists hold at most 1,000. */
#define SD_PAGE_LIMIT_DEFAULT 50
#define SD_PAGE_LIMIT_MAX     100
#define SD_UNPAGED_MAX        1000

/* [ext] features advertised by GET /health. */
#define SD_FEATURE_PAGING    "paging"
#define SD_FEATURE_SEARCH    "search"
#define SD_FEATURE_SORT      "sort"
#define SD_FEATURE_CANCELLED     "cancelled"     /* cancelled orders kept, ?includeCancelled=1 */
#define SD_FEATURE_ORDER_NUMBER  "orderNumber"   /* "orderNumber" on every order */
#define SD_FEATURE_ACTIVITY      "activity"      /* GET /admin/activity: who changed what */
#define SD_QUERY_INCLUDE_CANCELLED "includeCancelled"

/* [ext] sort keys for GET /products: the wire strings of SdSortOrder. */
#define SD_SORT_PRICE        "price"
#define SD_SORT_PRICE_DESC   "-price"
#define SD_SORT_NAME         "name"
#define SD_SORT_NEWEST       "-createdAt"

/* The catalog's orders; the GType (SD_TYPE_SORT_ORDER) is registered by
 * glib-mkenums in libstoredesk. */
typedef enum {
  SD_SORT_ORDER_SHOP,         /* the shop's own: no sort key sent */
  SD_SORT_ORDER_NEWEST,       /* SD_SORT_NEWEST */
  SD_SORT_ORDER_PRICE,        /* SD_SORT_PRICE */
  SD_SORT_ORDER_PRICE_DESC,   /* SD_SORT_PRICE_DESC */
  SD_SORT_ORDER_NAME,         /* SD_SORT_NAME */
} SdSortOrder;

typedef enum {
  SD_ORDER_STATUS_AWAITING_PAYMENT,
  SD_ORDER_STATUS_PAID,
  SD_ORDER_STATUS_PREPARING,
  SD_ORDER_STATUS_SHIPPING,
  SD_ORDER_STATUS_DELIVERED,
  SD_ORDER_STATUS_CONFIRMED,
  SD_ORDER_STATUS_CANCELLED,   /* [ext] "cancelled": ours keeps a cancelled order */
  SD_ORDER_STATUS_N /*< skip >*/
} SdOrderStatus;

const char *sd_order_status_to_wire   (SdOrderStatus status);
gboolean    sd_order_status_from_wire (const char    *wire,
                                       SdOrderStatus *out_status);
/* The untranslated English label; callers translate it in their domain. */
const char *sd_order_status_label     (SdOrderStatus status);

/* NULL for SD_SORT_ORDER_SHOP. */
const char *sd_sort_order_to_wire     (SdSortOrder    order);
/* NULL is SD_SORT_ORDER_SHOP; FALSE for a key that is no sort order. */
gboolean    sd_sort_order_from_wire   (const char    *wire,
                                       SdSortOrder   *out_order);
/* One of the SD_SORT_* keys (not NULL). */
gboolean    sd_is_sort_key            (const char    *key);
gboolean    sd_is_object_id           (const char    *id);

G_END_DECLS
