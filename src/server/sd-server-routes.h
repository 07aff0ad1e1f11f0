/* sd-server-routes.h — what a route file gives the server: tables of
 * routes, and the modes that list them. sd-server.c reads these; a route
 * file only fills them in. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

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

/* A route's own answer to a body the server refuses for it before the
 * route runs (413: too large), for a route whose wire shape is not the
 * envelope. */
typedef void (*SdRouteRefuseFunc) (SdServerRequest *req,
                                   guint            status);

typedef struct {
  const char  *method;
  const char  *pattern;   /* "/api/v1/orders/:id"; ":x" matches one segment */
  SdAccess     access;
  SdBodyKind   body;
  SdRouteFunc  func;
  SdRouteRefuseFunc refuse;  /* NULL: the envelope's error */
} SdRoute;

/* Each module's routes, ending with a NULL method. */
extern const SdRoute sd_server_auth_routes[];
extern const SdRoute sd_server_catalog_routes[];
extern const SdRoute sd_server_order_routes[];
extern const SdRoute sd_server_upload_routes[];
extern const SdRoute sd_server_summary_routes[];   /* [ext] "summary" */
extern const SdRoute sd_server_activity_routes[];  /* [ext] "activity" */

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

G_END_DECLS
