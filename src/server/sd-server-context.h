/* sd-server-context.h — what every route of one server reaches: its
 * store, its configuration, its secrets, its data dir, the base URLs it
 * answers at and its cache of catalog pages. SdServer makes one and
 * hands it to each request (req->context); nothing here knows routes. */
#pragma once

#include "sd-server-blobs.h"
#include "sd-server-secrets.h"
#include "sd-server-store.h"

G_BEGIN_DECLS

typedef struct {
  guint      access_ttl;       /* seconds */
  guint      refresh_ttl;
  gboolean   rotate_refresh;
  gint64     delivery_fee;     /* KRW */
  gsize      upload_limit;     /* bytes */
  char     **cors_origins;
  char      *smtp_url;
  char      *mail_from;
  char     **public_urls;     /* without a trailing slash; NULL: none given */
  gboolean   order_links;
  gboolean   no_extensions;
  SdServerBlobs *blobs;        /* where pictures live (a reference) */
} SdServerConfig;

#define SD_TYPE_SERVER_CONTEXT (sd_server_context_get_type ())
G_DECLARE_FINAL_TYPE (SdServerContext, sd_server_context, SD, SERVER_CONTEXT, GObject)

/* Takes the config's contents (config is left zeroed). */
SdServerContext      *sd_server_context_new          (SdServerStore   *store,
                                                      const char      *data_dir,
                                                      SdServerConfig  *config);
/* Creates what must exist before requests run in parallel: the secrets
 * and the shop id. */
void                  sd_server_context_prepare      (SdServerContext *self);

SdServerStore        *sd_server_context_get_store    (SdServerContext *self);
const SdServerConfig *sd_server_context_get_config   (SdServerContext *self);
const char           *sd_server_context_get_data_dir (SdServerContext *self);
SdServerSecrets      *sd_server_context_get_secrets  (SdServerContext *self);
/* The shop's UUID, made once and kept in the database: /health's shopId. */
const char           *sd_server_context_get_shop_id  (SdServerContext *self);

/* Where the server listens, once it does: "http://127.0.0.1:PORT". */
void                  sd_server_context_set_url      (SdServerContext *self,
                                                      const char      *url);
const char           *sd_server_context_get_url      (SdServerContext *self);
/* The base URLs this shop answers at: --public-url's, else where it listens. */
GPtrArray            *sd_server_context_own_bases    (SdServerContext *self);

/* Cached catalog replies: path+query → SdCachedReply, valid while the
 * database's change stamp stays the same. */
typedef struct {
  GBytes *body;      /* the whole envelope */
  char   *total;     /* X-Total-Count */
  char   *link;      /* Link, or NULL */
} SdCachedReply;
GHashTable           *sd_server_context_get_page_cache (SdServerContext *self);

G_END_DECLS
