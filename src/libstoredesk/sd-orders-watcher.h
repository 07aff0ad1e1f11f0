/* sd-orders-watcher.h — staff: new orders, looked for while the shop's
 * session is signed in as staff. Owned by the application beside the
 * shop, so it watches whatever page is on show. */
#pragma once

#include "sd-order.h"
#include "sd-shop.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDERS_WATCHER (sd_orders_watcher_get_type ())
G_DECLARE_FINAL_TYPE (SdOrdersWatcher, sd_orders_watcher, SD, ORDERS_WATCHER, GObject)

/* Follows shop: its parts, and on them the session. While the session is
 * signed in as staff ("watching"), the shop's count of all its orders is
 * looked at every 30 s and at sd_orders_watcher_look_now(). The first
 * look only learns the count; a later one that finds more emits
 * "new-orders" (guint n) after notifying "n-new". */
SdOrdersWatcher *sd_orders_watcher_new          (SdShop          *shop);
SdShop          *sd_orders_watcher_get_shop     (SdOrdersWatcher *self);
/* Notified. */
gboolean         sd_orders_watcher_get_watching (SdOrdersWatcher *self);
/* Looks at once (the window got focus, a test); a look still on its way
 * is cancelled, so the answer is the shop's count now. Nothing when not
 * watching. */
void             sd_orders_watcher_look_now     (SdOrdersWatcher *self);
/* How many new orders the last look found (0 when none); notified. */
guint            sd_orders_watcher_get_n_new    (SdOrdersWatcher *self);
/* Orders that came in since staff last looked at them (the sum of the
 * looks' news since sd_orders_watcher_mark_seen); notified. Signing out
 * or another shop makes it 0. */
guint            sd_orders_watcher_get_n_unseen (SdOrdersWatcher *self);
void             sd_orders_watcher_mark_seen    (SdOrdersWatcher *self);
/* The newest order the last look saw (NULL: none yet). */
SdOrder         *sd_orders_watcher_get_newest   (SdOrdersWatcher *self);
/* The count of all orders the watcher knows of (-1: not yet). */
gint64           sd_orders_watcher_get_known    (SdOrdersWatcher *self);
/* Someone showed total orders in all (the Orders Board counting): they
 * are no news to the next look. */
void             sd_orders_watcher_set_known    (SdOrdersWatcher *self,
                                                 gint64           total);

G_END_DECLS
