/* sd-summary.h — how the shop is doing over a range of days, for the
 * staff's dashboard: revenue and orders per shop-local day, orders per
 * status, top products by revenue and by quantity.
 *
 * Revenue counts the goods of orders paid or further on (결제 완료 and
 * after), never ones awaiting payment or cancelled (README, "API notes").
 * From the shop's [ext] "summary" route where it has one; else computed
 * here from the staff's order list, read page by page (with progress). */
#pragma once

#include "sd-api.h"
#include "sd-local-store.h"
#include "sd-order.h"

G_BEGIN_DECLS

typedef struct {
  char   date[11];        /* YYYY-MM-DD, shop-local */
  gint64 orders;          /* made that day, any status */
  gint64 paid_orders;     /* of those, paid or further on */
  gint64 revenue;         /* their goods, in won */
} SdSummaryDay;

typedef struct {
  char   *product_id;
  char   *name;
  gint64  quantity;
  gint64  revenue;
} SdSummaryProduct;

#define SD_TYPE_SUMMARY (sd_summary_get_type ())
G_DECLARE_FINAL_TYPE (SdSummary, sd_summary, SD, SUMMARY, GObject)

/* Reads the summary of from..to (both included; at most 366 days) in the
 * time zone zone (an IANA name; NULL: Asia/Seoul). progress (may be NULL)
 * is called with the share read so far (0–1) while it is computed here.
 * store (may be NULL) keeps the orders read, and stands in for the shop
 * when it does not answer (sd_summary_get_from_disk). */
typedef void (*SdSummaryProgress) (double fraction, gpointer user_data);
void          sd_summary_load_async      (SdApi              *api,
                                          const GDate        *from,
                                          const GDate        *to,
                                          const char         *zone,
                                          SdLocalStore       *store,
                                          SdSummaryProgress   progress,
                                          gpointer            progress_data,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
SdSummary    *sd_summary_load_finish     (SdApi              *api,
                                          GAsyncResult       *result,
                                          GError            **error);

guint         sd_summary_get_n_days      (SdSummary          *self);
const SdSummaryDay *sd_summary_get_day   (SdSummary          *self,
                                          guint               index);
gint64        sd_summary_get_orders      (SdSummary          *self);
gint64        sd_summary_get_paid_orders (SdSummary          *self);
gint64        sd_summary_get_revenue     (SdSummary          *self);
/* Units sold in paid orders. */
gint64        sd_summary_get_items       (SdSummary          *self);
/* Orders made in the range now in status. */
gint64        sd_summary_get_status_count (SdSummary         *self,
                                           SdOrderStatus      status);
/* SdSummaryProduct, best first; at most 10. */
GPtrArray    *sd_summary_get_top_by_revenue  (SdSummary      *self);
GPtrArray    *sd_summary_get_top_by_quantity (SdSummary      *self);
/* TRUE when computed here from the order list (the shop has no summary). */
gboolean      sd_summary_get_computed_here (SdSummary        *self);
/* Computed from the orders this computer kept: the shop did not answer. */
gboolean      sd_summary_get_from_disk   (SdSummary          *self);
/* Revenue of the 7-day weeks of the range, from its first day (the last
 * week may be shorter): n_weeks values. */
gint64       *sd_summary_dup_weeks       (SdSummary          *self,
                                          guint              *n_weeks);
/* The figures as CSV (days, then statuses, then top products), with a
 * UTF-8 BOM so that spreadsheets read Korean. */
GBytes       *sd_summary_to_csv          (SdSummary          *self);

G_END_DECLS
