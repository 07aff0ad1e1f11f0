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

#define SD_ENVELOPE_ERROR    "error"
#define SD_ENVELOPE_DATA     "data"

#define SD_HEADER_TOTAL_COUNT "X-Total-Count"
#define SD_HEADER_LINK        "Link"

/* [ext] paging: 1-based page, limit at most 100; unpaged lists hold at most 1,000. */
#define SD_PAGE_LIMIT_DEFAULT 50
#define SD_PAGE_LIMIT_MAX     100
#define SD_UNPAGED_MAX        1000

/* [ext] features advertised by GET /health. */
#define SD_FEATURE_PAGING    "paging"
#define SD_FEATURE_SEARCH    "search"
#define SD_FEATURE_SORT      "sort"

/* [ext] sort keys for GET /products. */
#define SD_SORT_PRICE        "price"
#define SD_SORT_PRICE_DESC   "-price"
#define SD_SORT_NAME         "name"
#define SD_SORT_NEWEST       "-createdAt"

typedef enum {
  SD_ORDER_STATUS_AWAITING_PAYMENT,
  SD_ORDER_STATUS_PAID,
  SD_ORDER_STATUS_PREPARING,
  SD_ORDER_STATUS_SHIPPING,
  SD_ORDER_STATUS_DELIVERED,
  SD_ORDER_STATUS_CONFIRMED,
  SD_ORDER_STATUS_N
} SdOrderStatus;

const char *sd_order_status_to_wire   (SdOrderStatus status);
gboolean    sd_order_status_from_wire (const char    *wire,
                                       SdOrderStatus *out_status);
/* The untranslated English label; callers translate it in their domain. */
const char *sd_order_status_label     (SdOrderStatus status);

gboolean    sd_is_sort_key            (const char    *key);
gboolean    sd_is_object_id           (const char    *id);

G_END_DECLS
