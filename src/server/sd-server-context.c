/* sd-server-context.c — what every route of one server reaches (see
 * sd-server-context.h). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sd-server-context.h"

#define PAGE_CACHE_MAX 512

struct _SdServerContext
{
  GObject          parent_instance;
  SdServerStore   *store;
  char            *data_dir;
  SdServerConfig   config;
  SdServerSecrets *secrets;
  GHashTable      *page_cache;   /* see SdCachedReply */
  gint64           page_stamp;
  char            *url;
  char            *shop_id;
};

G_DEFINE_FINAL_TYPE (SdServerContext, sd_server_context, G_TYPE_OBJECT)

static void
cached_reply_free (gpointer p)
{
  SdCachedReply *c = p;

  g_bytes_unref (c->body);
  g_free (c->total);
  g_free (c->link);
  g_free (c);
}

static void
sd_server_context_finalize (GObject *object)
{
  SdServerContext *self = SD_SERVER_CONTEXT (object);

  g_clear_pointer (&self->secrets, sd_server_secrets_free);
  g_clear_object (&self->store);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self->shop_id);
  g_strfreev (self->config.cors_origins);
  g_free (self->config.smtp_url);
  g_free (self->config.mail_from);
  g_strfreev (self->config.public_urls);
  g_clear_pointer (&self->config.blobs, sd_server_blobs_unref);
  g_hash_table_unref (self->page_cache);
  G_OBJECT_CLASS (sd_server_context_parent_class)->finalize (object);
}

static void
sd_server_context_class_init (SdServerContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_server_context_finalize;
}

static void
sd_server_context_init (SdServerContext *self)
{
  self->page_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_reply_free);
}

SdServerContext *
sd_server_context_new (SdServerStore *store, const char *data_dir, SdServerConfig *config)
{
  SdServerContext *self = g_object_new (SD_TYPE_SERVER_CONTEXT, NULL);

  self->store = g_object_ref (store);
  self->data_dir = g_strdup (data_dir);
  self->config = *config;
  memset (config, 0, sizeof *config);
  self->secrets = sd_server_secrets_new (store);
  return self;
}

void
sd_server_context_prepare (SdServerContext *self)
{
  sd_server_secrets_prepare (self->secrets);
  sd_server_context_get_shop_id (self);
}

SdServerStore *
sd_server_context_get_store (SdServerContext *self)
{
  return self->store;
}

const SdServerConfig *
sd_server_context_get_config (SdServerContext *self)
{
  return &self->config;
}

const char *
sd_server_context_get_data_dir (SdServerContext *self)
{
  return self->data_dir;
}

SdServerSecrets *
sd_server_context_get_secrets (SdServerContext *self)
{
  return self->secrets;
}

/* The shop's identity (API.md "Shop identity"): a UUID made once, kept in
 * the database every worker and node shares. */
const char *
sd_server_context_get_shop_id (SdServerContext *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (self->shop_id != NULL)
    return self->shop_id;
  if (!sd_server_store_get_meta (self->store, "shop-id", &value, &error))
    g_error ("reading the shop id: %s", error->message);
  if (value == NULL)
    {
      value = g_uuid_string_random ();
      if (!sd_server_store_set_meta (self->store, "shop-id", value, &error))
        g_error ("storing the shop id: %s", error->message);
    }
  self->shop_id = g_steal_pointer (&value);
  return self->shop_id;
}

void
sd_server_context_set_url (SdServerContext *self, const char *url)
{
  g_free (self->url);
  self->url = g_strdup (url);
}

const char *
sd_server_context_get_url (SdServerContext *self)
{
  return self->url;
}

/* The base URLs this shop answers at: --public-url's, in order, else the
 * address it listens on (and, on loopback, localhost at that port). */
GPtrArray *
sd_server_context_own_bases (SdServerContext *self)
{
  GPtrArray *bases = g_ptr_array_new_with_free_func (g_free);

  for (char **u = self->config.public_urls; u && *u; u++)
    g_ptr_array_add (bases, g_strdup (*u));
  if (bases->len == 0 && self->url)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GInetAddress) addr = uri ? g_inet_address_new_from_string (g_uri_get_host (uri)) : NULL;

      g_ptr_array_add (bases, g_strdup (self->url));
      if (addr && g_inet_address_get_is_loopback (addr))
        g_ptr_array_add (bases, g_strdup_printf ("http://localhost:%d", g_uri_get_port (uri)));
    }
  return bases;
}

GHashTable *
sd_server_context_get_page_cache (SdServerContext *self)
{
  gint64 stamp = sd_server_store_change_stamp (self->store);

  /* Any write empties it (orders change stock too); so does size. */
  if (stamp != self->page_stamp || g_hash_table_size (self->page_cache) >= PAGE_CACHE_MAX)
    {
      g_hash_table_remove_all (self->page_cache);
      self->page_stamp = stamp;
    }
  return self->page_cache;
}
