/* sd-order-records-private.h — what this computer keeps about the orders
 * it placed at a shop without our extensions (the original HoneyTouse
 * backend), because that shop cannot find them again for us: it links
 * no order to its member (POST /orders has no auth middleware there), it
 * gives guests no access key and drops the receiver. Such an order is
 * found by its id alone (GET /orders/:id is open there), which makes the
 * id a bearer of the order: it is kept in the keyring, with what was sent
 * (receiver, lines with the option values chosen, memo). */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-api.h"

G_BEGIN_DECLS

/* The key under which everything this computer keeps for a shop is filed.
 * The one place that says so: today the base URL (as the cart and the
 * guest keys), tomorrow the shop identity SdApi learns (shopId, else the
 * origin): a one-line change here. */
char       *sd_shop_key                    (SdApi               *api);

/* TRUE once /health has answered and listed none of our [ext] features:
 * the original API (which lists none). FALSE while not known. */
gboolean    sd_shop_is_original            (SdApi               *api);

/* Asks /health when the shop's features are not known yet; never fails
 * (a shop that cannot be reached is found out by the call that follows). */
void        sd_shop_learn_features_async   (SdApi               *api,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void        sd_shop_learn_features_finish  (SdApi               *api,
                                            GAsyncResult        *result);

/* The payload of a JWT (a JSON object), or NULL when it has none to
 * read; never checked: only what the token says of itself. */
JsonNode   *sd_token_payload               (const char          *token);

/* Whose orders: "guest" without a token, else "member:ID" with the id of
 * the access token's payload; NULL for a token without one. */
char       *sd_order_records_customer      (SdApi               *api);

/* record: {"id", "memo", "receiver"?, "lines": [{"id", "name", "count",
 * "option"?, "price", "image"}]}. Fails without a keyring. */
void        sd_order_records_store_async   (SdApi               *api,
                                            const char          *customer,
                                            JsonNode            *record,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    sd_order_records_store_finish  (GAsyncResult        *result,
                                            GError             **error);

/* customer's records at this shop: order id → JsonObject (a hash table
 * that owns them); empty without a keyring. */
void        sd_order_records_list_async    (SdApi               *api,
                                            const char          *customer,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GHashTable *sd_order_records_list_finish   (GAsyncResult        *result,
                                            GError             **error);

/* Forgets an order (the shop deleted it, or it was cancelled), in the
 * background. */
void        sd_order_records_forget        (SdApi               *api,
                                            const char          *order_id);

G_END_DECLS
