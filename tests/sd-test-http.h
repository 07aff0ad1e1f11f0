/* sd-test-http.h — plain HTTP against a test server, and the account
 * chores (codes from the outbox, signing up and in) tests repeat. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sd-test-util.h"

G_BEGIN_DECLS

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *root;   /* NULL when the body is not JSON */
} SdTestReply;

void         sd_test_reply_free   (SdTestReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestReply, sd_test_reply_free)

/* METHOD path with an optional Bearer token and JSON body, then
 * header name/value pairs, NULL-terminated. */
SdTestReply *sd_test_http         (SdTestServer *server,
                                   const char   *method,
                                   const char   *path,
                                   const char   *token,
                                   const char   *json,
                                   ...) G_GNUC_NULL_TERMINATED;
/* The same with a raw body of any type. */
SdTestReply *sd_test_http_raw     (SdTestServer *server,
                                   const char   *method,
                                   const char   *path,
                                   const char   *token,
                                   const char   *content_type,
                                   GBytes       *body,
                                   const char   *header,
                                   const char   *value);

/* METHOD on an absolute URL (another server's: a presigned one), with
 * an optional body of content_type. */
SdTestReply *sd_test_http_url     (const char   *method,
                                   const char   *url,
                                   const char   *content_type,
                                   GBytes       *body);

/* A multipart/form-data body with one file part; its Content-Type. */
GBytes      *sd_test_multipart    (const char   *field,
                                   const guint8 *data,
                                   gsize         len,
                                   char        **out_type);

/* The envelope's data, asserting the error is null and the status. */
JsonNode    *sd_test_data         (SdTestReply  *reply,
                                   guint         status);
JsonObject  *sd_test_data_object  (SdTestReply  *reply,
                                   guint         status);
/* Asserts the status and an error envelope with a message and null data. */
void         sd_test_assert_error (SdTestReply  *reply,
                                   guint         status);
/* METHOD path as sd_test_http (no extra headers), answered with status
 * and an error envelope (sd_test_assert_error). */
void         sd_test_expect_error (SdTestServer *server,
                                   const char   *method,
                                   const char   *path,
                                   const char   *token,
                                   const char   *json,
                                   guint         status);

/* The newest confirmation code mailed to email (from DATA_DIR/outbox),
 * or NULL when none has arrived (yet). */
char        *sd_test_find_code    (SdTestServer *server,
                                   const char   *email);
/* The same, asserting there is one. */
char        *sd_test_read_code    (SdTestServer *server,
                                   const char   *email);
/* Confirms email, signs up with password and signs in: an access token. */
char        *sd_test_new_customer (SdTestServer *server,
                                   const char   *email,
                                   const char   *password);
/* Signs in: the access token; *out_cookie, if given, the refresh cookie. */
char        *sd_test_sign_in      (SdTestServer *server,
                                   const char   *email,
                                   const char   *password,
                                   char        **out_cookie);

/* The body of POST /orders for one of product (an element of GET
 * /products) at its price plus the 3,000 won delivery, to receiver (a
 * name; phone 01012345678, address at address) with the wire status. */
char        *sd_test_order_body   (JsonObject   *product,
                                   const char   *receiver,
                                   const char   *address,
                                   const char   *status);

/* ---- a raw HTTP responder ------------------------------------------------
 * For behaviour our server does not (yet) reproduce: a loopback socket
 * answered from a thread, one request per connection ("Connection:
 * close"), each answered by func (in that thread) with a whole response
 * (see sd_test_raw_response). headers: lower-case names to values. */
typedef char *(*SdTestRawFunc) (const char *method,
                                const char *path,
                                GHashTable *headers,
                                const char *body,
                                gpointer    user_data);

typedef struct _SdTestRaw SdTestRaw;

SdTestRaw   *sd_test_raw_start    (SdTestRawFunc func,
                                   gpointer      user_data);
/* The same on a given port of 127.0.0.1 (a shop coming back there). */
SdTestRaw   *sd_test_raw_start_on (guint16       port,
                                   SdTestRawFunc func,
                                   gpointer      user_data);
const char  *sd_test_raw_get_url  (SdTestRaw    *raw);
guint16      sd_test_raw_get_port (SdTestRaw    *raw);
void         sd_test_raw_stop     (SdTestRaw    *raw);
/* "HTTP/1.1 status …" with a JSON body and extra header lines (each
 * ending in \r\n, or NULL). */
char        *sd_test_raw_response (guint         status,
                                   const char   *extra_headers,
                                   const char   *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestRaw, sd_test_raw_stop)

G_END_DECLS
