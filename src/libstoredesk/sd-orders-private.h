/* sd-orders-private.h — SdOrders' insides, shared by sd-orders.c (the
 * list) and sd-orders-change.c (one order: read, memo, cancel). */
#pragma once

#include "sd-orders.h"

G_BEGIN_DECLS

struct _SdOrders
{
  GObject    parent_instance;
  SdApi      *api;
  GPtrArray  *orders;    /* SdOrder */
  GHashTable *records;   /* order id → JsonObject: what this computer kept */
  gboolean    keep_cancelled;
  SdLocalStore *store;   /* the member's orders kept on disk; or NULL */
  gboolean    from_disk;
};

/* Takes a guest's order key out of the keyring. */
void     sd_orders_forget_guest_order (SdOrders            *self,
                                       const char          *order_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* "/api/v1/orders/ID" with "?key=KEY" for a guest. */
char    *sd_orders_order_path         (const char          *order_id,
                                       const char          *access_key);
/* Keeps the list in step with what the shop said about order: the
 * listed object takes the new fields (and notifies). Returns the object
 * to hand out (the listed one when there is one). */
SdOrder *sd_orders_update_in_list     (SdOrders            *self,
                                       SdOrder             *order);

G_END_DECLS
