/* sd-server-secrets.h — the shop's secrets: named keys kept in the store,
 * HMACs under them, and small values sealed under them. */
#pragma once

#include "sd-server-store.h"

G_BEGIN_DECLS

/* The names of the secrets; sd_server_secrets_prepare() creates them all
 * before any request, so that parallel workers agree on them. */
#define SD_SECRET_ACCESS      "access"
#define SD_SECRET_REFRESH     "refresh"
#define SD_SECRET_CODES       "codes"
#define SD_SECRET_ORDER_KEYS  "order-keys"
#define SD_SECRET_GUEST_KEYS  "guest-keys"
#define SD_SECRET_UPLOADS     "uploads"
#define SD_SECRET_KEY_BOXES   "key-boxes"   /* guests' access keys kept for a retry */

/* One worker's view of the secrets: read from the store once, then kept. */
typedef struct _SdServerSecrets SdServerSecrets;

SdServerSecrets *sd_server_secrets_new     (SdServerStore   *store);
void             sd_server_secrets_free    (SdServerSecrets *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdServerSecrets, sd_server_secrets_free)

/* Creates every named secret that does not exist yet. */
void             sd_server_secrets_prepare (SdServerSecrets *self);
/* The named secret (made and stored the first time it is asked for). */
GBytes          *sd_server_secrets_get     (SdServerSecrets *self,
                                            const char      *name);
/* HMAC-SHA256 of text under the named secret, as hex. */
char            *sd_server_secrets_hmac    (SdServerSecrets *self,
                                            const char      *name,
                                            const char      *text);
/* ChaCha20-Poly1305 under a key derived from the named secret for label
 * alone, with a fresh random nonce: nonce ‖ ciphertext ‖ tag. The box
 * opens only with the same aad (what it is bound to). */
GBytes          *sd_server_secrets_seal    (SdServerSecrets *self,
                                            const char      *name,
                                            const char      *label,
                                            GByteArray      *aad,
                                            const char      *text);
/* The text in a box, or NULL when the box does not open here. */
char            *sd_server_secrets_open    (SdServerSecrets *self,
                                            const char      *name,
                                            const char      *label,
                                            GByteArray      *aad,
                                            const guint8    *box,
                                            gsize            size);

/* Random bytes as lower-case hex. */
char            *sd_random_hex             (gsize            n_bytes);
/* Constant-time string comparison. */
gboolean         sd_str_equal_secret       (const char      *a,
                                            const char      *b);

G_END_DECLS
