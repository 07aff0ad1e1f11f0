/* sd-server-original.h — what the original's route modules share
 * (sd-server-original*.c: `storedesk-server --no-extensions`).
 *
 * The original is github.com/HoneyTouse/HoneyTouse_BE at a66b00e;
 * "file:line" in these files is in its src/. Each quirk is described
 * once, where it is emulated. The kept fixes (shared/API.md, "The
 * original's behaviour") are marked [kept fix]. */
#pragma once

#include "sd-server-private.h"

G_BEGIN_DECLS

/* A route of the original's: each checks the caller itself (sd_orig_begin,
 * as its middleware would) and reads its own body, so the server lets
 * every request through to it. */
#define SD_ORIG_ROUTE(method, pattern, func) \
  { method, pattern, SD_ACCESS_PUBLIC, SD_BODY_RAW, func, NULL }

/* What the original's middleware asks of the caller. */
typedef enum {
  SD_ORIG_PUBLIC,     /* no middleware: the token is not read */
  SD_ORIG_OPTIONAL,   /* no middleware, but the owner rules [kept fix] read a valid bearer */
  SD_ORIG_USER,       /* checkAuthentication () */
  SD_ORIG_ADMIN,      /* checkAuthentication (true) */
} SdOrigAuth;

/* A route's start: the caller (as the middleware would answer) and the
 * body (as express.json () would); FALSE when it has replied. */
gboolean    sd_orig_begin            (SdServerRequest *req,
                                      SdOrigAuth       auth);
/* The error handler's answer (app.js:102): {"data": null, "error": …}. */
void        sd_orig_fail             (SdServerRequest *req,
                                      guint            status,
                                      const char      *message);
/* A mongoose CastError for a value that is no ObjectId: 500. */
void        sd_orig_fail_cast        (SdServerRequest *req,
                                      const char      *value,
                                      const char      *path,
                                      const char      *model);
/* Is it a 24-hex ObjectId (what mongoose can cast)? */
gboolean    sd_orig_is_object_id     (const char      *text);
/* A body member as JS would see it: the string, or NULL when absent,
 * null or of another type. */
const char *sd_orig_string           (SdServerRequest *req,
                                      const char      *member);
/* A body member as JS's String () writes it, as a RegExp's test () reads
 * it: "undefined" when absent, "null", "[object Object]", an array's
 * elements joined with commas. */
char       *sd_orig_js_string        (SdServerRequest *req,
                                      const char      *member);
/* mongoose 8's cast of a value to a String path (lib/cast/string.js,
 * within SchemaString's cast): null stays null (*out NULL); a string is
 * itself; a number or boolean as JS's String () writes it; an object
 * whose `_id` is a non-empty string, that _id. Anything else cannot be
 * cast: FALSE, *out the CastError's message. Free *out. */
gboolean    sd_orig_cast_string      (JsonNode        *value,
                                      const char      *path,
                                      char           **out);
/* A copy of a body value to answer as JSON.stringify () would write it,
 * where json-glib 1.6 would not: an integral double as an integer (it
 * writes 1e21 as "1e+21.0", no JSON); beyond int64, JS's text as a
 * string. */
JsonNode   *sd_orig_echo             (JsonNode        *value);
/* JS truthiness of a body member. */
gboolean    sd_orig_truthy           (SdServerRequest *req,
                                      const char      *member);
/* buildResponse () (misc/utils.js:17): {"error": null, "data": data}. */
void        sd_orig_reply            (SdServerRequest *req,
                                      guint            status,
                                      JsonNode        *data);

extern const SdRoute sd_server_original_catalog_routes[];
extern const SdRoute sd_server_original_order_routes[];
extern const SdRoute sd_server_original_auth_routes[];

G_END_DECLS
