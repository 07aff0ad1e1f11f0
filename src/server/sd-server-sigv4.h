/* sd-server-sigv4.h — AWS Signature Version 4 for the S3 blob store:
 * presigned URLs (query signing) for the clients' uploads, and signed
 * Authorization headers for the node's own requests to S3.
 *
 * URLs are path-style (http://127.0.0.1:9000/bucket/key); their path and
 * query may come percent-encoded or not, they are signed (and given back)
 * encoded once, as SigV4 wants it. Header lists are name/value pairs,
 * NULL-terminated: { "content-type", "image/jpeg", NULL }. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *access_key_id;
  const char *secret_key;     /* never logged */
  const char *region;         /* "us-east-1" */
  const char *service;        /* "s3" */
} SdSigV4Credentials;

/* What the node adds to its own request to S3. */
typedef struct {
  char *authorization;        /* the Authorization header's value */
  char *amz_date;             /* x-amz-date: 20130524T000000Z */
  char *content_sha256;       /* x-amz-content-sha256 */
} SdSigV4Signed;

void      sd_sigv4_signed_clear (SdSigV4Signed *signed_);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdSigV4Signed, sd_sigv4_signed_clear)

/* The URL that lets its holder make this one request (method, url, the
 * signed headers with exactly these values) until now + expires_seconds
 * (1 s to 7 days); host is always signed, the payload is not
 * (UNSIGNED-PAYLOAD). FALSE with error on a URL or header it cannot sign. */
gboolean  sd_sigv4_presign      (const SdSigV4Credentials *creds,
                                 const char               *method,
                                 const char               *url,
                                 GDateTime                *now,
                                 guint                     expires_seconds,
                                 const char * const       *signed_headers,
                                 char                    **out_url,
                                 GError                  **error);

/* Signs a request by its headers (host, x-amz-date and
 * x-amz-content-sha256 added and signed with the given ones).
 * payload_sha256: the body's SHA-256 as lower-case hex, or NULL for
 * UNSIGNED-PAYLOAD. */
gboolean  sd_sigv4_sign_headers (const SdSigV4Credentials *creds,
                                 const char               *method,
                                 const char               *url,
                                 GDateTime                *now,
                                 const char * const       *headers,
                                 const char               *payload_sha256,
                                 SdSigV4Signed            *out,
                                 GError                  **error);

G_END_DECLS
