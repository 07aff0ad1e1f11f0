/* sd-shop.h — the one shop the app is connected to, and everything that
 * belongs to it: the api (its address and its HTTP session, the tokens
 * included), the session on it, the cart, the upload queue and the
 * catalog. Owned by the application; every page follows its properties,
 * so a reconnect reaches them all at once. */
#pragma once

#include "sd-api.h"
#include "sd-cart.h"
#include "sd-catalog.h"
#include "sd-local-store.h"
#include "sd-session.h"
#include "sd-sync.h"
#include "sd-upload-queue.h"

G_BEGIN_DECLS

#define SD_TYPE_SHOP (sd_shop_get_type ())
G_DECLARE_FINAL_TYPE (SdShop, sd_shop, SD, SHOP, GObject)

SdShop        *sd_shop_new          (void);

/* Connects to the shop at base_url, trusting ca_file (NULL or "": the
 * system's authorities).
 *
 * The same address again is a reconnect (Preferences, a new CA file, Try
 * Again): the api, and with it the session's tokens, the cart and the
 * queue stay; the shop is identified again and "reloaded" is emitted.
 *
 * Another address makes new parts. A shop seen here before gets them at
 * once, keyed as it was then (sd_api_recall_async), and is identified
 * beside the first loads; a new shop is identified first. When the
 * identity says something new (another key, other features), the parts
 * it decides are made again. Every change is notified on the properties
 * below, which are NULL until the first parts exist.
 *
 * FALSE, with the api unchanged, when base_url or ca_file cannot be used. */
gboolean       sd_shop_connect      (SdShop      *self,
                                     const char  *base_url,
                                     const char  *ca_file,
                                     GError     **error);

SdApi         *sd_shop_get_api      (SdShop      *self);
SdSession     *sd_shop_get_session  (SdShop      *self);
SdCart        *sd_shop_get_cart     (SdShop      *self);
SdUploadQueue *sd_shop_get_uploads  (SdShop      *self);
SdCatalog     *sd_shop_get_catalog  (SdShop      *self);
/* The local store of this shop and the account signed in (a guest's when
 * none is): made again, and notified, when either changes. The catalog
 * reads from it first. When the user signs out (not when the shop ends
 * the session), that account's cache is deleted; its queued writes stay
 * for its next sign-in. */
SdLocalStore  *sd_shop_get_store    (SdShop      *self);
/* The edits of that account waiting to be sent, sent through the api
 * (sd-sync.h): made again with the store, and notified. */
SdSync        *sd_shop_get_sync     (SdShop      *self);
/* TRUE once the parts exist and the shop's features are known (from this
 * start's health check, or recalled from the last); notified. */
gboolean       sd_shop_get_ready    (SdShop      *self);

G_END_DECLS
