/* sd-orders.h — a customer's orders: list, look up, cancel, change memo. */
#pragma once

#include "sd-api.h"
#include "sd-local-store.h"
#include "sd-order.h"

G_BEGIN_DECLS

#define SD_TYPE_ORDERS (sd_orders_get_type ())
G_DECLARE_FINAL_TYPE (SdOrders, sd_orders, SD, ORDERS, GObject)

/* A GListModel of SdOrder: the signed-in customer's orders, oldest first. */
SdOrders  *sd_orders_new            (SdApi               *api);
/* Off by default (a list of the original's six statuses, as before).
 * On: loads list cancelled orders too, status SD_ORDER_STATUS_CANCELLED
 * (?includeCancelled=1 where the shop lists "cancelled"; on the original,
 * the ones this computer noted when it cancelled them), and a cancelled
 * order stays listed. Set before loading. */
void       sd_orders_set_keep_cancelled (SdOrders        *self,
                                         gboolean         keep);
gboolean   sd_orders_get_keep_cancelled (SdOrders        *self);
/* TRUE when the shop speaks the original HoneyTouse API only (its
 * /health lists none of our features): it finds no guest order by key,
 * keeps no receiver, links no order to its member (orders placed here
 * are kept on this computer) and deletes an order that is cancelled. */
gboolean   sd_orders_get_original   (SdOrders            *self);

/* The shop's and account's local store (NULL: none). The member's list
 * the shop sends is kept in it, and when the shop cannot be reached
 * (SD_API_ERROR_OFFLINE or _TIMEOUT) a load lists the member's orders
 * kept there instead, and from-disk is TRUE until a load reaches the
 * shop again. */
void       sd_orders_set_local_store (SdOrders           *self,
                                      SdLocalStore       *store);
/* TRUE when the list shown is what this computer kept (the last load
 * could not reach the shop). */
gboolean   sd_orders_get_from_disk  (SdOrders            *self);

void       sd_orders_load_async     (SdOrders            *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean   sd_orders_load_finish    (SdOrders            *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* Instead of the member's list: the orders this machine placed as a
 * guest at this shop, their keys from the keyring, oldest first. Orders
 * the shop no longer has are forgotten. Finishes with load_finish. */
void       sd_orders_load_guest_async (SdOrders            *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

/* One order; access_key for a guest's order (NULL for a member's). */
void       sd_orders_get_async      (SdOrders            *self,
                                     const char          *order_id,
                                     const char          *access_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* Changes the memo while the shop still allows it. */
void       sd_orders_set_memo_async (SdOrders            *self,
                                     const char          *order_id,
                                     const char          *access_key,
                                     const char          *memo,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* Both finish with the order as the shop has it now. */
SdOrder   *sd_orders_order_finish   (SdOrders            *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* Cancels while the shop still allows it (awaiting payment or paid).
 * With keep-cancelled, where the shop keeps cancelled orders ([ext]
 * "cancelled") or is the original (which deletes them; this computer
 * notes them either way), the order stays listed, its status
 * SD_ORDER_STATUS_CANCELLED; else it leaves the list (and a guest's key
 * the keyring). */
void       sd_orders_cancel_async   (SdOrders            *self,
                                     const char          *order_id,
                                     const char          *access_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean   sd_orders_cancel_finish  (SdOrders            *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* Waits until what the orders keep on this computer (the notes of orders
 * cancelled at a shop that deletes them) is written: at the app's end. */
void       sd_orders_flush          (void);

G_END_DECLS
