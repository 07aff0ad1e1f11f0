/* sd-checkout.h — placing the order for what is in the cart. */
#pragma once

#include "sd-api.h"
#include "sd-cart.h"
#include "sd-order.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKOUT (sd_checkout_get_type ())
G_DECLARE_FINAL_TYPE (SdCheckout, sd_checkout, SD, CHECKOUT, GObject)

/* A member checks out when the api carries a session; a guest otherwise
 * (and must give a receiver). */
SdCheckout *sd_checkout_new           (SdApi               *api,
                                       SdCart              *cart);
/* The shop speaks only the original API: it gives a guest no key, and
 * what is ordered here is kept on this computer. */
gboolean    sd_checkout_get_original  (SdCheckout          *self);
void        sd_checkout_set_receiver  (SdCheckout          *self,
                                       const char          *name,
                                       const char          *phone_number,
                                       const char          *address,
                                       const char          *address_detail);
void        sd_checkout_set_memo      (SdCheckout          *self,
                                       const char          *memo);
/* Paid already (결제 완료) rather than awaiting payment (입금 대기). */
void        sd_checkout_set_paid      (SdCheckout          *self,
                                       gboolean             paid);

/* Sends the order. One Idempotency-Key is made per attempt and reused
 * when the attempt is retried after a network or server failure, so a
 * retry never orders twice. The cart empties only once the shop has
 * confirmed. "Prices changed" (CONFLICT) updates the cart's prices and
 * says old → new; submitting again then orders at the new prices.
 * A guest's access key is kept in the keyring. */
void        sd_checkout_submit_async  (SdCheckout          *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
SdOrder    *sd_checkout_submit_finish (SdCheckout          *self,
                                       GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
