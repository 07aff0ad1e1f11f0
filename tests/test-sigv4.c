/* test-sigv4.c — AWS Signature Version 4 for the S3 blob store, against
 * AWS's published examples (S3 docs: "Authenticating Requests: Using
 * Query Parameters" and "Signature Calculations for the Authorization
 * Header": Example GET Object, Example PUT Object), and against botocore
 * 1.43 for a path-style loopback endpoint with a port. */
#include <string.h>

#include <gio/gio.h>

#include "sd-server-sigv4.h"

#define EXAMPLE_SCOPE "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"
#define EXAMPLE_QUERY_SCOPE "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const SdSigV4Credentials example = {
  .access_key_id = "AKIAIOSFODNN7EXAMPLE",
  .secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  .region = "us-east-1",
  .service = "s3",
};

static GDateTime *
example_now (void)
{
  return g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
}

static char *
presign (const SdSigV4Credentials *creds, const char *method, const char *url,
         guint expires, const char * const *headers)
{
  g_autoptr(GDateTime) now = example_now ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (sd_sigv4_presign (creds, method, url, now, expires, headers, &out, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_presigned_get (void)
{
  g_autofree char *url = presign (&example, "GET", "https://examplebucket.s3.amazonaws.com/test.txt",
                                  86400, NULL);
  /* The port https has anyway is not part of the host. */
  g_autofree char *with_port = presign (&example, "GET",
                                        "https://examplebucket.s3.amazonaws.com:443/test.txt",
                                        86400, NULL);

  g_assert_cmpstr (url, ==,
                   "https://examplebucket.s3.amazonaws.com/test.txt"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=" EXAMPLE_QUERY_SCOPE
                   "&X-Amz-Date=20130524T000000Z"
                   "&X-Amz-Expires=86400"
                   "&X-Amz-SignedHeaders=host"
                   "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  g_assert_cmpstr (with_port, ==, url);
}

static void
assert_signed (const char *method, const char *url, const char * const *headers,
               const char *payload, const char *expected_authorization)
{
  g_autoptr(GDateTime) now = example_now ();
  g_autoptr(GError) error = NULL;
  g_auto(SdSigV4Signed) out = { 0 };

  g_assert_true (sd_sigv4_sign_headers (&example, method, url, now, headers, payload, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out.authorization, ==, expected_authorization);
  g_assert_cmpstr (out.amz_date, ==, "20130524T000000Z");
  g_assert_cmpstr (out.content_sha256, ==, payload != NULL ? payload : "UNSIGNED-PAYLOAD");
}

static void
test_get_object (void)
{
  const char *headers[] = { "Range", "bytes=0-9", NULL };

  assert_signed ("GET", "https://examplebucket.s3.amazonaws.com/test.txt", headers, EMPTY_SHA256,
                 "AWS4-HMAC-SHA256 Credential=" EXAMPLE_SCOPE
                 ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date"
                 ",Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void
test_put_object (void)
{
  const char *body = "Welcome to Amazon S3.";
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  /* Untrimmed, in mixed case: signed as SigV4 says all the same. */
  const char *headers[] = {
    "Date", "Fri, 24 May 2013 00:00:00 GMT",
    "X-Amz-Storage-Class", "  REDUCED_REDUNDANCY ",
    NULL,
  };

  g_assert_cmpstr (sha256, ==, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  assert_signed ("PUT", "https://examplebucket.s3.amazonaws.com/test$file.text", headers, sha256,
                 "AWS4-HMAC-SHA256 Credential=" EXAMPLE_SCOPE
                 ",SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"
                 ",Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

/* Path-style on a loopback endpoint: the host header has the port, the
 * key is encoded once (expected values from botocore 1.43). */
static void
test_loopback (void)
{
  const char *range[] = { "range", "bytes=0-9", NULL };
  const char *jpeg[] = { "Content-Type", "image/jpeg", "Content-Length", "1234", NULL };
  const char *png[] = { "content-length", "99", "content-type", "image/png", NULL };
  SdSigV4Credentials other = example;
  g_autofree char *put = presign (&example, "PUT", "http://127.0.0.1:9000/bucket/a%20b.jpg", 300, jpeg);
  g_autofree char *unicode = presign (&example, "PUT",
                                      "http://127.0.0.1:9000/bucket/photos/caf%C3%A9%20%2B1.jpg",
                                      300, png);
  g_autofree char *other_put = NULL;

  /* botocore signs the (empty) payload over http. */
  assert_signed ("GET", "http://127.0.0.1:9000/bucket/a%20b.jpg", range, EMPTY_SHA256,
                 "AWS4-HMAC-SHA256 Credential=" EXAMPLE_SCOPE
                 ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date"
                 ",Signature=46fff527d380368674a79d10c439d132c4e607436cb2586f0e3cff8b37e08710");

  /* UNSIGNED-PAYLOAD; a key in UTF-8 as it is or escaped, signed alike. */
  assert_signed ("DELETE", "https://127.0.0.1:9000/bucket/photos/caf%C3%A9.jpg", NULL, NULL,
                 "AWS4-HMAC-SHA256 Credential=" EXAMPLE_SCOPE
                 ",SignedHeaders=host;x-amz-content-sha256;x-amz-date"
                 ",Signature=aca49a1b12519b0c1a979845cc4160b28cba8523629d428666e28d52fb631721");
  assert_signed ("DELETE", "https://127.0.0.1:9000/bucket/photos/caf\u00e9.jpg", NULL, NULL,
                 "AWS4-HMAC-SHA256 Credential=" EXAMPLE_SCOPE
                 ",SignedHeaders=host;x-amz-content-sha256;x-amz-date"
                 ",Signature=aca49a1b12519b0c1a979845cc4160b28cba8523629d428666e28d52fb631721");

  g_assert_cmpstr (put, ==,
                   "http://127.0.0.1:9000/bucket/a%20b.jpg"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=" EXAMPLE_QUERY_SCOPE
                   "&X-Amz-Date=20130524T000000Z"
                   "&X-Amz-Expires=300"
                   "&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"
                   "&X-Amz-Signature=888145831c7210396f7b20c624a5208e0c7393a14f81ad79112699ab09bc5886");
  g_assert_cmpstr (unicode, ==,
                   "http://127.0.0.1:9000/bucket/photos/caf%C3%A9%20%2B1.jpg"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=" EXAMPLE_QUERY_SCOPE
                   "&X-Amz-Date=20130524T000000Z"
                   "&X-Amz-Expires=300"
                   "&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"
                   "&X-Amz-Signature=14bf46645dadcea417e34ae4b8cad0afd94d442c3fc58e2a13cd31f11e9a4801");

  /* Another secret: the same URL but its signature. */
  other.secret_key = "another-secret";
  other_put = presign (&other, "PUT", "http://127.0.0.1:9000/bucket/a%20b.jpg", 300, jpeg);
  g_assert_cmpuint (strlen (other_put), ==, strlen (put));
  g_assert_true (strncmp (other_put, put, strlen (put) - 64) == 0);
  g_assert_cmpstr (other_put, !=, put);
}

static void
assert_refused (const char *url, guint expires, const char * const *headers)
{
  g_autoptr(GDateTime) now = example_now ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_false (sd_sigv4_presign (&example, "PUT", url, now, expires, headers, &out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (out);
  /* The secret is in no message. */
  g_assert_null (strstr (error->message, example.secret_key));
}

static void
test_refused (void)
{
  const char *split[] = { "content-type", "image/jpeg\r\nx-evil: 1", NULL };
  const char *twice[] = { "Host", "example.com", NULL };
  const char *unnamed[] = { "", "x", NULL };
  const char *good = "http://127.0.0.1:9000/bucket/key";

  assert_refused ("not a url", 300, NULL);
  assert_refused ("ftp://127.0.0.1/bucket/key", 300, NULL);
  assert_refused ("http://user:pw@127.0.0.1:9000/bucket/key", 300, NULL);
  assert_refused (good, 0, NULL);
  assert_refused (good, 7 * 24 * 3600 + 1, NULL);
  assert_refused (good, 300, split);
  assert_refused (good, 300, twice);
  assert_refused (good, 300, unnamed);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sigv4/presigned-get", test_presigned_get);
  g_test_add_func ("/sigv4/get-object", test_get_object);
  g_test_add_func ("/sigv4/put-object", test_put_object);
  g_test_add_func ("/sigv4/loopback", test_loopback);
  g_test_add_func ("/sigv4/refused", test_refused);
  return g_test_run ();
}
