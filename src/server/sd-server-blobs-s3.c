/* sd-server-blobs-s3.c — the S3 engine of SdServerBlobs: objects in one
 * bucket, path-style (ENDPOINT/BUCKET/NAME), each request signed with
 * SigV4 (sd_sigv4_sign_headers), presigned URLs by sd_sigv4_presign.
 *
 * Requests are synchronous libsoup 3 calls, made on the server's worker
 * threads only, each with its own SoupSession per thread (a SoupSession
 * is not to be shared between threads). Every request has a timeout, and
 * what it reads back is bounded: a reply larger than its caller's limit
 * is refused before it is read. The secret is kept for signing alone and
 * is in no message; it is wiped when the engine goes. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "sd-server-blobs.h"
#include "sd-server-sigv4.h"

#define S3_TIMEOUT        20          /* seconds, each of connect, read and write */
#define S3_DEADLINE       30          /* seconds for a whole reply: a slow drip ends too */
#define ERROR_REPLY_MAX   (16 * 1024) /* an S3 error document is short */
#define EMPTY_SHA256      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct {
  char   *bucket;
  char   *endpoint;       /* scheme://host[:port], no trailing slash */
  char   *access_key_id;
  char   *secret_key;
  char   *region;
} S3Engine;

static GPrivate session_key = G_PRIVATE_INIT (g_object_unref);

/* This thread's session: one per worker thread, made on first use. */
static SoupSession *
thread_session (void)
{
  SoupSession *session = g_private_get (&session_key);

  if (session == NULL)
    {
      session = soup_session_new_with_options ("timeout", S3_TIMEOUT, "idle-timeout", 60,
                                               "user-agent", "storedesk-server", NULL);
      g_private_set (&session_key, session);
    }
  return session;
}

static void
s3_free (gpointer engine)
{
  S3Engine *s = engine;

  g_free (s->bucket);
  g_free (s->endpoint);
  g_free (s->access_key_id);
  if (s->secret_key)
    explicit_bzero (s->secret_key, strlen (s->secret_key));
  g_free (s->secret_key);
  g_free (s->region);
  g_free (s);
}

static SdSigV4Credentials
credentials (S3Engine *s)
{
  SdSigV4Credentials c = { s->access_key_id, s->secret_key, s->region, "s3" };
  return c;
}

static char *
object_url (S3Engine *s, const char *name)
{
  return g_strdup_printf ("%s/%s/%s", s->endpoint, s->bucket, name);
}

/* Reads at most max bytes of the reply, within S3_DEADLINE of start
 * (each read waits S3_TIMEOUT at most); more, or later, is an error. */
static GBytes *
read_bounded (GInputStream *stream, gsize max, gint64 start, GError **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[16384];

  for (;;)
    {
      gssize n;

      if (g_get_monotonic_time () - start > S3_DEADLINE * G_USEC_PER_SEC)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the store's reply took over %d s", S3_DEADLINE);
          return NULL;
        }
      n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buf->len + (gsize) n > max)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "the store's reply is over %" G_GSIZE_FORMAT " bytes", max);
          return NULL;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

/* The S3 error code of an error document ("NoSuchKey", …), or the status. */
static char *
error_code (guint status, GBytes *body)
{
  const char *data, *start, *end;
  gsize len;

  if (body != NULL && (data = g_bytes_get_data (body, &len)) != NULL &&
      (start = g_strstr_len (data, (gssize) len, "<Code>")) != NULL &&
      (end = g_strstr_len (start, (gssize) (data + len - start), "</Code>")) != NULL && end - start < 80)
    return g_strndup (start + 6, end - start - 6);
  return g_strdup_printf ("HTTP %u", status);
}

/* One signed request. headers: name/value pairs to sign and send (NULL-
 * terminated, nullable). The reply's status, headers and body (at most
 * max_reply bytes). FALSE on a transport error, a refused signature or
 * an oversize reply. */
static gboolean
s3_request (S3Engine *s, const char *method, const char *name, const char * const *headers, GBytes *body,
            const char *content_type, gsize max_reply, guint *out_status, SoupMessageHeaders **out_headers,
            GBytes **out_body, GError **error)
{
  g_autofree char *url = object_url (s, name);
  g_autofree char *payload_sha256 = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(SdSigV4Signed) sig = { 0 };
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) reply = NULL;
  SdSigV4Credentials creds = credentials (s);
  SoupMessageHeaders *request_headers;
  gint64 start = g_get_monotonic_time ();
  goffset length;
  guint status;

  payload_sha256 = body ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body) : g_strdup (EMPTY_SHA256);
  if (!sd_sigv4_sign_headers (&creds, method, url, now, headers, payload_sha256, &sig, error))
    return FALSE;
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "cannot make a request to %s", url);
      return FALSE;
    }
  request_headers = soup_message_get_request_headers (msg);
  for (const char * const *h = headers; h && h[0]; h += 2)
    if (g_ascii_strcasecmp (h[0], "content-type") != 0)
      soup_message_headers_replace (request_headers, h[0], h[1]);
  soup_message_headers_replace (request_headers, "Authorization", sig.authorization);
  soup_message_headers_replace (request_headers, "x-amz-date", sig.amz_date);
  soup_message_headers_replace (request_headers, "x-amz-content-sha256", sig.content_sha256);
  if (body)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  /* The store's answer is not a page to cache or a place to follow. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  stream = soup_session_send (thread_session (), msg, NULL, error);
  if (stream == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  if (status >= 300)
    max_reply = MIN (max_reply, ERROR_REPLY_MAX);
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  /* (A HEAD's Content-Length is the object's, with no body.) */
  if (strcmp (method, "HEAD") != 0 && length > 0 && (guint64) length > max_reply)
    {
      g_input_stream_close (stream, NULL, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "the store's reply to %s %s is %" G_GOFFSET_FORMAT " bytes, over %" G_GSIZE_FORMAT,
                   method, name, length, max_reply);
      return FALSE;
    }
  reply = read_bounded (stream, max_reply, start, error);
  g_input_stream_close (stream, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  if (status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_BAD_REQUEST)
    {
      g_autofree char *code = error_code (status, reply);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "the store refused %s %s: %s",
                   method, name, code);
      return FALSE;
    }
  *out_status = status;
  if (out_headers)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (out_body)
    *out_body = g_steal_pointer (&reply);
  return TRUE;
}

static gboolean
unexpected (guint status, const char *method, const char *name, GBytes *body, GError **error)
{
  g_autofree char *code = error_code (status, body);

  if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no blob %s", name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the store answered %s %s with %s", method, name, code);
  return FALSE;
}

static gboolean
s3_put (gpointer engine, const char *name, GBytes *bytes, const char *type, GError **error)
{
  const char *headers[] = { "content-type", type, NULL };
  g_autoptr(GBytes) reply = NULL;
  guint status;

  if (!s3_request (engine, "PUT", name, headers, bytes, type, ERROR_REPLY_MAX, &status, NULL, &reply, error))
    return FALSE;
  return status == SOUP_STATUS_OK ? TRUE : unexpected (status, "PUT", name, reply, error);
}

static GBytes *
s3_read_head (gpointer engine, const char *name, gsize max, guint64 *out_size, GError **error)
{
  g_autofree char *range = g_strdup_printf ("bytes=0-%" G_GSIZE_FORMAT, max > 0 ? max - 1 : 0);
  const char *headers[] = { "range", range, NULL };
  g_autoptr(SoupMessageHeaders) reply_headers = NULL;
  g_autoptr(GBytes) body = NULL;
  goffset start, end, total = -1;
  guint status;

  if (!s3_request (engine, "GET", name, headers, NULL, NULL, max, &status, &reply_headers, &body, error))
    return NULL;
  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (!soup_message_headers_get_content_range (reply_headers, &start, &end, &total) || total < 0)
        {
          unexpected (status, "GET", name, NULL, error);
          return NULL;
        }
    }
  else if (status == SOUP_STATUS_OK)
    total = (goffset) g_bytes_get_size (body);   /* the whole of it, within max */
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    {
      total = 0;   /* an empty object */
      g_bytes_unref (body);
      body = g_bytes_new (NULL, 0);
    }
  else
    {
      unexpected (status, "GET", name, body, error);
      return NULL;
    }
  if (out_size)
    *out_size = (guint64) total;
  return g_steal_pointer (&body);
}

static gboolean
s3_stat (gpointer engine, const char *name, SdBlobInfo *out, GError **error)
{
  g_autoptr(SoupMessageHeaders) h = NULL;
  g_autoptr(GDateTime) modified = NULL;
  const char *etag, *last;
  guint status;

  if (!s3_request (engine, "HEAD", name, NULL, NULL, NULL, 0, &status, &h, NULL, error))
    return FALSE;
  if (status != SOUP_STATUS_OK)
    return unexpected (status, "HEAD", name, NULL, error);
  etag = soup_message_headers_get_one (h, "ETag");
  last = soup_message_headers_get_one (h, "Last-Modified");
  modified = last ? soup_date_time_new_from_http_string (last) : NULL;
  out->size = (guint64) MAX (soup_message_headers_get_content_length (h), 0);
  out->etag = etag && etag[0] == '"' ? g_strdup (etag) : g_strdup_printf ("\"%s\"", etag ? etag : "");
  out->modified = modified ? g_date_time_to_unix (modified) : 0;
  return TRUE;
}

static gboolean
s3_delete (gpointer engine, const char *name, GError **error)
{
  g_autoptr(GBytes) reply = NULL;
  guint status;

  if (!s3_request (engine, "DELETE", name, NULL, NULL, NULL, ERROR_REPLY_MAX, &status, NULL, &reply, error))
    return FALSE;
  return status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_OK || status == SOUP_STATUS_NOT_FOUND
         ? TRUE : unexpected (status, "DELETE", name, reply, error);
}

static char *
s3_presign (gpointer engine, const char *method, const char *name, const char *type, guint64 size, guint ttl,
            GError **error)
{
  S3Engine *s = engine;
  g_autofree char *url = object_url (s, name);
  g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *put_headers[] = { "content-type", type, "content-length", length, NULL };
  SdSigV4Credentials creds = credentials (s);
  char *out = NULL;

  if (!sd_sigv4_presign (&creds, method, url, now, ttl, strcmp (method, "PUT") == 0 ? put_headers : NULL,
                         &out, error))
    return NULL;
  return out;
}

static const SdBlobsEngine s3_ops = {
  s3_free, s3_put, s3_read_head, s3_stat, s3_delete, s3_presign,
};

static gboolean
is_bucket_name (const char *name)
{
  size_t len = strlen (name);

  if (len < 3 || len > 63)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

gpointer
sd_blobs_s3_new (const char *bucket, const char *endpoint, const SdBlobsEngine **out_ops,
                 char **out_description, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *key = g_getenv ("AWS_ACCESS_KEY_ID");
  const char *secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
  const char *region = g_getenv ("AWS_REGION");
  S3Engine *s;

  if (!is_bucket_name (bucket))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "s3://BUCKET wants a bucket name of 3 to 63 lower-case letters, digits, '-' or '.' "
                   "(got “%s”)", bucket);
      return NULL;
    }
  if (endpoint != NULL)
    uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      (*g_uri_get_path (uri) != '\0' && strcmp (g_uri_get_path (uri), "/") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "--blobs=s3://BUCKET needs --s3-endpoint=http(s)://HOST:PORT, the S3 store's address");
      return NULL;
    }
  if (key == NULL || *key == '\0' || secret == NULL || *secret == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "--blobs=s3://BUCKET needs the store's credentials in the environment: "
                           "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION, default us-east-1)");
      return NULL;
    }
  s = g_new0 (S3Engine, 1);
  s->bucket = g_strdup (bucket);
  s->endpoint = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  if (g_str_has_suffix (s->endpoint, "/"))
    s->endpoint[strlen (s->endpoint) - 1] = '\0';
  s->access_key_id = g_strdup (key);
  s->secret_key = g_strdup (secret);
  s->region = g_strdup (region && *region ? region : "us-east-1");
  *out_ops = &s3_ops;
  *out_description = g_strdup_printf ("s3://%s at %s (%s)", s->bucket, s->endpoint, s->region);
  return s;
}
