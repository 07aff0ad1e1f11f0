/* sd-server-request.h — storedesk-server's own request/reply type: what
 * a route sees of a request, and how it answers. The HTTP layer behind
 * it (sd-server-http.c) fills one in and sends its reply. */
#pragma once

#include <libsoup/soup.h>

#include "sd-contract.h"
#include "sd-fields.h"
#include "sd-server-context.h"

G_BEGIN_DECLS

typedef struct _SdServer SdServer;   /* sd-server.h */

typedef struct {
  SdServer        *server;   /* for sd-server-original*.c only (see sd-server-private.h) */
  SdServerContext *context;  /* what the route reaches: store, config, secrets… */
  const char *method;
  const char *path;        /* decoded, without the query */
  GHashTable *query;       /* nullable */
  char      **params;      /* the :id parts of the pattern, in order */
  JsonNode   *body;        /* the parsed JSON body, or NULL */
  char       *user_id;     /* the signed-in user, or NULL */
  gboolean    is_admin;

  /* Filled by the HTTP layer. */
  gpointer    http;        /* the layer's own connection */
  const char *(*lookup_header) (gpointer http, const char *name);   /* case-insensitive */
  GBytes     *raw_body;    /* the body as received; never NULL */
  const char *client;      /* the client's address (see --trusted-proxy) */
  gboolean    https;       /* as the client sees it */

  /* The reply, sent by the HTTP layer when the route returns. */
  guint       status;
  char       *reply_type;
  GBytes     *reply_body;
  GPtrArray  *reply_headers;   /* name, value, name, value, … */
} SdServerRequest;

/* An empty request of context's, its reply a 500 until a route sets one. */
void        sd_server_request_init  (SdServerRequest *req,
                                     SdServerContext *context);
/* Frees what the request holds (not req itself). */
void        sd_server_request_clear (SdServerRequest *req);

/* The context's store, configuration and secrets, for short. */
SdServerStore        *sd_request_store   (SdServerRequest *req);
const SdServerConfig *sd_request_config  (SdServerRequest *req);
SdServerSecrets      *sd_request_secrets (SdServerRequest *req);

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
/* 500, with the cause in the log only; 503 with Retry-After when the
 * store was busy (SD_SERVER_STORE_ERROR_BUSY). */
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
/* Makes every relative "image" of a JSON reply absolute on the request's
 * origin (the body is replaced, never changed). */
void        sd_reply_absolute_images (SdServerRequest *req);

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
/* path?query with the query's pairs sorted: a key for cached replies. */
char       *sd_request_cache_key  (SdServerRequest *req);
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

G_END_DECLS
