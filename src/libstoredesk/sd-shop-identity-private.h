/* sd-shop-identity-private.h — shop identity: the key everything kept for a shop
 * is filed under, where that is on disk and in the keyring, and moving it
 * when the key changes (API.md "Shop identity"). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "scheme://host[:port]": an origin as browsers write it (the port only
 * when not the scheme's own, scheme and host lower-case). */
char     *sd_shop_origin_key     (GUri                *uri);
/* The id the shop at origin_key gave last time, or NULL. Reads a small
 * file: call it from a worker thread. */
char     *sd_shop_lookup_id      (const char          *origin_key);
/* What the shop at origin_key answered last time: its id (or NULL) and
 * its features. FALSE when it never answered. A worker thread too. */
gboolean  sd_shop_recall         (const char          *origin_key,
                                  char               **out_id,
                                  GStrv               *out_features);

/* A cancellable that fires after 10 s: a Secret Service that hangs must
 * not hang us (PLATFORM.md §3). Harmless once the call is over. */
GCancellable *sd_keyring_cancellable_new (void);

/* Where a shop's cart and upload queue are kept, by key. */
char     *sd_shop_cart_path      (const char          *shop_key);
char     *sd_shop_uploads_path   (const char          *shop_key);

/* After a health check (answered: whether the shop answered; shop_id,
 * features: what it gave): records origin → id and features, decides the key
 * (the id; else, answered, the origin; unanswered, the id known from
 * before or the origin) and moves what was kept under the shop's URLs
 * (origin_key, and base_url as keys were before) to it, unless this
 * origin gave the same id last time: the cart (merged
 * line by line), the upload queue's files, the local store's queued
 * writes (its caches dropped), and every Storedesk keyring
 * item with a "shop" attribute (guests' order keys, the session, …).
 * Nothing is removed before its copy is made. In a worker thread; the
 * keyring part gives up when keyring_cancellable fires. Finishes with the
 * key. */
void      sd_shop_settle_async   (const char          *origin_key,
                                  const char          *base_url,
                                  gboolean             answered,
                                  const char          *shop_id,
                                  const char * const  *features,
                                  GCancellable        *keyring_cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
char     *sd_shop_settle_finish  (GAsyncResult        *result,
                                  GError             **error);

/* Moves everything kept under from to to, as above (synchronous; a
 * worker thread, or tests). */
void      sd_shop_migrate        (const char          *from,
                                  const char          *to,
                                  GCancellable        *keyring_cancellable);

G_END_DECLS
