/* sd-server-secrets.c — the shop's secrets (see sd-server-secrets.h).
 *
 * Each is 32 random bytes as hex, kept in the store's meta table under
 * "secret:NAME", so that every worker and every node on the database
 * signs and checks with the same keys. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <nettle/chacha-poly1305.h>
#include <nettle/memops.h>

#include "sd-server-secrets.h"

#define BOX_NONCE_SIZE   CHACHA_POLY1305_NONCE_SIZE
#define BOX_TAG_SIZE     CHACHA_POLY1305_DIGEST_SIZE

struct _SdServerSecrets
{
  SdServerStore *store;
  GHashTable    *cache;   /* name → GBytes */
};

SdServerSecrets *
sd_server_secrets_new (SdServerStore *store)
{
  SdServerSecrets *self = g_new0 (SdServerSecrets, 1);

  self->store = g_object_ref (store);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  return self;
}

void
sd_server_secrets_free (SdServerSecrets *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_hash_table_unref (self->cache);
  g_free (self);
}

char *
sd_random_hex (gsize n_bytes)
{
  g_autofree guint8 *raw = g_malloc (n_bytes);
  GString *s = g_string_sized_new (n_bytes * 2);

  if (getrandom (raw, n_bytes, 0) != (gssize) n_bytes)
    g_error ("no randomness from the kernel");
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (s, "%02x", raw[i]);
  return g_string_free (s, FALSE);
}

GBytes *
sd_server_secrets_get (SdServerSecrets *self, const char *name)
{
  GBytes *secret = g_hash_table_lookup (self->cache, name);
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  if (secret != NULL)
    return secret;
  key = g_strconcat ("secret:", name, NULL);
  if (!sd_server_store_get_meta (self->store, key, &value, &error))
    g_error ("reading a secret: %s", error->message);
  if (value == NULL)
    {
      /* Made once: nodes starting together on one fresh database each
       * offer theirs, the first one stored wins, and all read it back. */
      g_autofree char *offer = sd_random_hex (32);

      if (!sd_server_store_add_meta (self->store, key, offer, &error) ||
          !sd_server_store_get_meta (self->store, key, &value, &error))
        g_error ("storing a secret: %s", error->message);
      if (value == NULL)
        g_error ("storing a secret: it is not there after it was stored");
    }
  secret = g_bytes_new (value, strlen (value));
  g_hash_table_insert (self->cache, g_strdup (name), secret);
  return secret;
}

void
sd_server_secrets_prepare (SdServerSecrets *self)
{
  static const char * const names[] = {
    SD_SECRET_ACCESS, SD_SECRET_REFRESH, SD_SECRET_CODES, SD_SECRET_ORDER_KEYS,
    SD_SECRET_GUEST_KEYS, SD_SECRET_UPLOADS, SD_SECRET_KEY_BOXES,
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    sd_server_secrets_get (self, names[i]);
}

char *
sd_server_secrets_hmac (SdServerSecrets *self, const char *name, const char *text)
{
  GBytes *key = sd_server_secrets_get (self, name);
  gsize len;
  const guchar *k = g_bytes_get_data (key, &len);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, k, len, text, -1);
}

gboolean
sd_str_equal_secret (const char *a, const char *b)
{
  size_t la, lb;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return FALSE;
  for (size_t i = 0; i < la; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

/* ---- sealed values --------------------------------------------------- */

/* The box key: from the named secret, for this label's use only. */
static void
box_key (SdServerSecrets *self, const char *name, const char *label, guint8 out[CHACHA_POLY1305_KEY_SIZE])
{
  GBytes *secret = sd_server_secrets_get (self, name);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (secret, NULL), g_bytes_get_size (secret));
  gsize len = CHACHA_POLY1305_KEY_SIZE;

  G_STATIC_ASSERT (CHACHA_POLY1305_KEY_SIZE == 32);
  g_hmac_update (hmac, (const guchar *) label, strlen (label));
  g_hmac_get_digest (hmac, out, &len);
}

GBytes *
sd_server_secrets_seal (SdServerSecrets *self, const char *name, const char *label, GByteArray *aad,
                        const char *text)
{
  struct chacha_poly1305_ctx ctx;
  guint8 key[CHACHA_POLY1305_KEY_SIZE];
  gsize len = strlen (text);
  guint8 *out = g_malloc (BOX_NONCE_SIZE + len + BOX_TAG_SIZE);

  if (getrandom (out, BOX_NONCE_SIZE, 0) != BOX_NONCE_SIZE)
    g_error ("no randomness from the kernel");
  box_key (self, name, label, key);
  chacha_poly1305_set_key (&ctx, key);
  chacha_poly1305_set_nonce (&ctx, out);
  chacha_poly1305_update (&ctx, aad->len, aad->data);
  chacha_poly1305_encrypt (&ctx, len, out + BOX_NONCE_SIZE, (const guint8 *) text);
  chacha_poly1305_digest (&ctx, BOX_TAG_SIZE, out + BOX_NONCE_SIZE + len);
  explicit_bzero (key, sizeof key);
  explicit_bzero (&ctx, sizeof ctx);
  return g_bytes_new_take (out, BOX_NONCE_SIZE + len + BOX_TAG_SIZE);
}

char *
sd_server_secrets_open (SdServerSecrets *self, const char *name, const char *label, GByteArray *aad,
                        const guint8 *box, gsize size)
{
  struct chacha_poly1305_ctx ctx;
  guint8 key[CHACHA_POLY1305_KEY_SIZE];
  guint8 tag[BOX_TAG_SIZE];
  g_autofree char *plain = NULL;
  gsize len;
  gboolean ok;

  if (box == NULL || size < BOX_NONCE_SIZE + BOX_TAG_SIZE + 1)
    return NULL;
  len = size - BOX_NONCE_SIZE - BOX_TAG_SIZE;
  plain = g_malloc0 (len + 1);
  box_key (self, name, label, key);
  chacha_poly1305_set_key (&ctx, key);
  chacha_poly1305_set_nonce (&ctx, box);
  chacha_poly1305_update (&ctx, aad->len, aad->data);
  chacha_poly1305_decrypt (&ctx, len, (guint8 *) plain, box + BOX_NONCE_SIZE);
  chacha_poly1305_digest (&ctx, BOX_TAG_SIZE, tag);
  ok = memeql_sec (tag, box + BOX_NONCE_SIZE + len, BOX_TAG_SIZE);
  explicit_bzero (key, sizeof key);
  explicit_bzero (&ctx, sizeof ctx);
  if (!ok)
    {
      explicit_bzero (plain, len);
      return NULL;
    }
  return g_steal_pointer (&plain);
}
