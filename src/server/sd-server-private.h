/* sd-server-private.h — what the route modules of storedesk-server share. */
#pragma once

#include <libsoup/soup.h>

#include "sd-contract.h"
#include "sd-fields.h"
#include "sd-server.h"

G_BEGIN_DECLS

/* A request on its way through a route: the server's own request/reply
 * type. Routes see only this and the functions below, never the HTTP
 * layer behind it (sd-server-http.c). */
typedef struct {
  SdServer   *server;
  const char *method;
  const char *path;        /* decoded, without the query */
  GHashTable *query;       /* nullable */
  char      **params;      /* the :id parts of the pattern, in order */
  JsonNode   *body;        /* the parsed JSON body, or NULL */
  char       *user_id;     /* the signed-in user, or NULL */
  gboolean    is_admin;

  /* Filled by the HTTP layer. */
  gpointer    http;        /* the layer's own connection */
  GBytes     *raw_body;    /* the body as received; never NULL */
  const char *client;      /* the client's address (see --trusted-proxy) */
  gboolean    https;       /* as the client sees it */

  /* The reply, sent by the HTTP layer when the route returns. */
  guint       status;
  char       *reply_type;
  GBytes     *reply_body;
  GPtrArray  *reply_headers;   /* name, value, name, value, … */
} SdServerRequest;

typedef void (*SdRouteFunc) (SdServerRequest *req);

typedef enum {
  SD_ACCESS_PUBLIC,     /* anyone */
  SD_ACCESS_OPTIONAL,   /* anyone; a token, when sent, must be valid */
  SD_ACCESS_USER,       /* a signed-in user */
  SD_ACCESS_ADMIN,      /* a signed-in admin */
} SdAccess;

typedef enum {
  SD_BODY_NONE,         /* ignored */
  SD_BODY_JSON,         /* a JSON object, at most 1 MB */
  SD_BODY_RAW,          /* the route reads it itself (uploads) */
} SdBodyKind;

typedef struct {
  const char  *method;
  const char  *pattern;   /* "/api/v1/orders/:id"; ":x" matches one segment */
  SdAccess     access;
  SdBodyKind   body;
  SdRouteFunc  func;
} SdRoute;

/* Each module's routes, ending with a NULL method. */
extern const SdRoute sd_server_auth_routes[];
extern const SdRoute sd_server_catalog_routes[];
extern const SdRoute sd_server_order_routes[];
extern const SdRoute sd_server_upload_routes[];

/* A mode: its route tables, and what a table alone cannot say. The
 * server picks one in sd_server_new: ours, or the original's
 * (--no-extensions, sd-server-original*.c). */
typedef struct {
  const SdRoute * const *tables;            /* NULL-terminated; first match wins */
  /* Before routing (CORS, preflights): TRUE when it answered. NULL: ours. */
  gboolean (*front)     (SdServerRequest *req);
  /* No route for method + path. NULL: ours (404, or 405 with Allow). */
  void     (*not_found) (SdServerRequest *req);
} SdServerMode;

extern const SdServerMode sd_server_original_mode;

/* ---- replies -------------------------------------------------------- */

/* {"error": null, "data": data}; takes data. */
void        sd_reply              (SdServerRequest   *req,
                                   guint        status,
                                   JsonNode    *data);
/* {"error": message, "data": data (nullable)}; takes data. */
void        sd_reply_error_data   (SdServerRequest   *req,
                                   guint        status,
                                   const char  *message,
                                   JsonNode    *data);
/* The same, with data already serialized as JSON text. */
void        sd_reply_json_text    (SdServerRequest   *req,
                                   guint        status,
                                   const char  *data,
                                   gsize        len);
void        sd_reply_error        (SdServerRequest   *req,
                                   guint        status,
                                   const char  *message);
/* 500, with the cause in the log only. */
void        sd_reply_internal     (SdServerRequest   *req,
                                   const GError *error);
void        sd_reply_no_content   (SdServerRequest   *req);

/* The status alone (204, 304, …): no body. */
void        sd_reply_status       (SdServerRequest *req,
                                   guint            status);
/* Any body; takes nothing (refs bytes). */
void        sd_reply_bytes        (SdServerRequest *req,
                                   guint            status,
                                   const char      *content_type,
                                   GBytes          *bytes);
/* Reply headers: set replaces every value of name, add appends one. */
void        sd_reply_set_header   (SdServerRequest *req,
                                   const char      *name,
                                   const char      *value);
void        sd_reply_add_header   (SdServerRequest *req,
                                   const char      *name,
                                   const char      *value);
const char *sd_reply_get_header   (SdServerRequest *req,
                                   const char      *name);

/* ---- request helpers ------------------------------------------------ */

/* A request header (case-insensitive), or NULL. */
const char *sd_request_header     (SdServerRequest *req,
                                   const char      *name);
/* The body's media type, lower-case, without parameters (NULL when
 * absent); its parameters go to *out_params when asked for. */
char       *sd_request_content_type (SdServerRequest *req,
                                     GHashTable     **out_params);
/* The client's address: the peer, or the X-Forwarded-For entry that a
 * --trusted-proxy peer added. */
const char *sd_request_client     (SdServerRequest *req);

const char *sd_request_query      (SdServerRequest   *req,
                                   const char  *name);
/* The body's string member: NULL when absent or null; sets *bad (and
 * replies 400) when present with another type. */
const char *sd_body_string        (SdServerRequest   *req,
                                   const char  *member,
                                   gboolean    *bad);
JsonObject *sd_body_object        (SdServerRequest   *req);
gboolean    sd_body_has           (SdServerRequest   *req,
                                   const char  *member);
/* Integer members accept numbers and numeric strings (as the original's
 * clients send them); FALSE when absent or not an integer. */
gboolean    sd_json_integer       (JsonObject  *object,
                                   const char  *member,
                                   gint64      *out_value);
/* Base URL of this server as the client sees it, without a trailing
 * slash: the --public-url the Host header names, else the first one,
 * else the address the server listens on. Never an unlisted Host. */
char       *sd_request_origin     (SdServerRequest   *req);
/* A picture for the store: an absolute URL on one of this shop's own
 * base URLs becomes the path under it ("uploads/…"); anything else is
 * kept as sent. Takes image. */
char       *sd_request_store_image (SdServerRequest  *req,
                                    char             *image);

/* ---- what the HTTP layer calls ---------------------------------------- */

void  sd_server_request_init  (SdServerRequest *req,
                               SdServer        *server);
void  sd_server_request_clear (SdServerRequest *req);
/* The largest body the route for method + path takes. */
gsize sd_server_body_limit    (SdServer        *self,
                               const char      *method,
                               const char      *path);
/* 411 (no length) or 413 (too large), closing the connection. */
void  sd_server_refuse_body   (SdServer        *self,
                               SdServerRequest *req,
                               guint            status);
/* Routes a request whose headers and body are in; the reply is in req. */
void  sd_server_dispatch      (SdServer        *self,
                               SdServerRequest *req);
/* path?query with the query's pairs sorted: a key for cached replies. */
char *sd_request_cache_key    (SdServerRequest *req);
/* Makes every relative "image" of a JSON reply absolute on the request's
 * origin (the body is replaced, never changed). */
void  sd_reply_absolute_images (SdServerRequest *req);
/* The base URLs this shop answers at: --public-url's, else where it listens. */
GPtrArray *sd_server_own_bases (SdServer       *self);

/* ---- shared state --------------------------------------------------- */

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
} SdServerConfig;

const SdServerConfig *sd_server_get_config   (SdServer   *self);
/* The store (sd-server-store.h): the routes' one way to their data. */
SdServerStore        *sd_server_get_store    (SdServer   *self);
const char           *sd_server_get_data_dir (SdServer   *self);
/* The secrets, kept in the database; sd_server_prepare() creates them all
 * before any request so that parallel workers agree on them. */
#define SD_SECRET_ACCESS      "access"
#define SD_SECRET_REFRESH     "refresh"
#define SD_SECRET_CODES       "codes"
#define SD_SECRET_ORDER_KEYS  "order-keys"
#define SD_SECRET_GUEST_KEYS  "guest-keys"
#define SD_SECRET_UPLOADS     "uploads"
#define SD_SECRET_KEY_BOXES   "key-boxes"   /* guests' access keys kept for a retry */

/* The shop's UUID, made once and kept in the database: /health's shopId. */
const char           *sd_server_get_shop_id  (SdServer   *self);
/* A secret kept in the database, for HMACs and JWTs. */
GBytes               *sd_server_get_secret   (SdServer   *self,
                                              const char *name);
/* Random bytes as lower-case hex. */
char                 *sd_random_hex          (gsize       n_bytes);
/* HMAC-SHA256 of text under the named secret, as hex. */
char                 *sd_server_hmac         (SdServer   *self,
                                              const char *secret_name,
                                              const char *text);
/* Constant-time string comparison. */
gboolean              sd_str_equal_secret    (const char *a,
                                              const char *b);

/* {"accessToken": token}: what sign-in and refresh answer, in both modes. */
JsonNode *sd_server_access_token_json (const char *token);
/* Auth (sd-server-auth.c): the user behind a Bearer token, if valid. */
gboolean sd_server_auth_check_token (SdServer   *self,
                                     const char *token,
                                     char      **out_user_id,
                                     gboolean   *out_is_admin);

/* What the original's mode (sd-server-original-auth.c) shares with
 * ours: the same tokens, sessions, codes and throttles. */
typedef enum {
  SD_AUTH_OK,
  SD_AUTH_WRONG,      /* wrong password or code; no such account or code */
  SD_AUTH_HELD,       /* a throttle holds it: *out_wait seconds */
  SD_AUTH_TAKEN,      /* a code is live already (sd_server_auth_send_code, once) */
  SD_AUTH_ERROR,
} SdAuthResult;

/* An access token for user_id; NULL user_id: one without `id`. */
char        *sd_server_auth_make_access_token (SdServer        *self,
                                               const char      *user_id);
/* Signed with the access (or refresh) secret and HS256, but expired? */
gboolean     sd_server_auth_token_expired     (SdServer        *self,
                                               const char      *token,
                                               gboolean         refresh);
/* The throttled password check of a sign-in; email matched as given. */
SdAuthResult sd_server_auth_check_sign_in     (SdServerRequest *req,
                                               const char      *email,
                                               const char      *password,
                                               char           **out_user_id,
                                               gint64          *out_wait,
                                               GError         **error);
/* A new session: *out_refresh its refresh token; the access token. */
char        *sd_server_auth_start_session     (SdServer        *self,
                                               const char      *user_id,
                                               char           **out_refresh,
                                               GError         **error);
/* The user of the request's refresh cookie, never rotated; NULL: none,
 * or it is over (*error set only for a fault). */
char        *sd_server_auth_refresh_user      (SdServerRequest *req,
                                               GError         **error);
/* A code mailed to email, counted by the throttles; once: not while
 * one is live (SD_AUTH_TAKEN). */
SdAuthResult sd_server_auth_send_code         (SdServerRequest *req,
                                               const char      *email,
                                               gboolean         once,
                                               gint64          *out_wait,
                                               GError         **error);
/* A code checked (consume: used up when right, else the email is
 * confirmed), counted by the throttles. */
SdAuthResult sd_server_auth_check_code        (SdServerRequest *req,
                                               const char      *email,
                                               const char      *code,
                                               gboolean         consume,
                                               gint64          *out_wait,
                                               GError         **error);

/* Mail (sd-server-mail.c): sends a message, or drops it in the outbox. */
void     sd_server_mail_send        (SdServer   *self,
                                     const char *to,
                                     const char *subject,
                                     const char *body);

/* Cached catalog replies: path+query → SdCachedReply, valid while the
 * database's change stamp stays the same. */
typedef struct {
  GBytes *body;      /* the whole envelope */
  char   *total;     /* X-Total-Count */
  char   *link;      /* Link, or NULL */
} SdCachedReply;
GHashTable *sd_server_get_page_cache (SdServer *self);

/* Catalog (sd-server-catalog.c): paging parameters shared with orders. */
gboolean sd_server_parse_paging     (SdServerRequest  *req,
                                     guint      *out_offset,
                                     guint      *out_limit,
                                     gboolean   *out_paged);
void     sd_server_set_paging_headers (SdServerRequest *req,
                                       gint64     total,
                                       guint      offset,
                                       guint      limit,
                                       gboolean   paged);

/* Uploads (sd-server-uploads.c) */
const char *sd_sniff_image_type     (const guint8 *data,
                                     gsize         len);
gboolean    sd_server_write_upload  (SdServer     *self,
                                     const char   *name,
                                     GBytes       *bytes,
                                     GError      **error);
const char *sd_image_type_extension (const char   *type);
/* {"success", "message", "imageUrl"}: the profile photo route's own shape. */
void        sd_reply_profile_upload (SdServerRequest    *req,
                                     guint         status,
                                     const char   *message,
                                     const char   *url);

/* Orders (sd-server-orders.c), [ext] --order-links, in both modes: may
 * anyone who has this order's id read it? And what such a read answers
 * (the receiver hidden, no cache, no Referer). */
gboolean    sd_server_order_link_readable (SdServerRequest          *req,
                                           const SdServerOrderOwner *owner);
void        sd_server_order_link_reply    (SdServerRequest          *req,
                                           JsonNode                 *order);

G_END_DECLS
