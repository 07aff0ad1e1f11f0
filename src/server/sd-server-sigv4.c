/* sd-server-sigv4.c — AWS Signature Version 4 (see sd-server-sigv4.h),
 * over GLib's GHmac and GChecksum.
 *
 * The canonical request: method, the path encoded once ('/' kept), the
 * query sorted by encoded name then value, the headers lower-cased,
 * trimmed, inner spaces collapsed and sorted, the signed header names,
 * the payload's hash. It is hashed into the string to sign, which is
 * signed under the key derived from the secret, the day, the region
 * and the service. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sd-server-sigv4.h"

#define ALGORITHM        "AWS4-HMAC-SHA256"
#define UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define MAX_EXPIRES      (7 * 24 * 3600)

typedef struct {
  char *name;
  char *value;
} Pair;

/* One request on its way to being signed. */
typedef struct {
  GArray *query;            /* of Pair, both encoded */
  GArray *headers;          /* of Pair, canonical */
  char   *origin;           /* scheme://host[:port] */
  char   *path;             /* canonical */
  char   *amz_date;         /* 20130524T000000Z */
  char   *scope;            /* 20130524/us-east-1/s3/aws4_request */
  char   *signed_headers;   /* host;range;... */
} Request;

static void
pair_clear (gpointer data)
{
  Pair *pair = data;

  g_free (pair->name);
  g_free (pair->value);
}

static void
request_clear (Request *req)
{
  g_clear_pointer (&req->query, g_array_unref);
  g_clear_pointer (&req->headers, g_array_unref);
  g_free (req->origin);
  g_free (req->path);
  g_free (req->amz_date);
  g_free (req->scope);
  g_free (req->signed_headers);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

static void
add_pair (GArray *array, char *name, char *value)
{
  Pair pair = { name, value };

  g_array_append_val (array, pair);
}

static int
compare_pairs (gconstpointer a, gconstpointer b)
{
  const Pair *x = a, *y = b;
  int by_name = strcmp (x->name, y->name);

  return by_name != 0 ? by_name : strcmp (x->value, y->value);
}

/* SigV4's URI encoding: RFC 3986 unreserved characters as they are,
 * every other byte as %XX (upper-case); '/' kept when keep_slash. */
static void
append_encoded (GString *out, const char *text, gboolean keep_slash)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.~", *p) != NULL || (keep_slash && *p == '/'))
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

static char *
encode (const char *text, gboolean keep_slash)
{
  GString *out = g_string_new (NULL);

  append_encoded (out, text, keep_slash);
  return g_string_free (out, FALSE);
}

static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError **error, const char *what, const char *which)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Cannot sign %s “%s”", what, which);
  return FALSE;
}

/* Decodes text once (NULL when its escapes are broken) and encodes it
 * the SigV4 way. */
static char *
reencode (const char *text, gboolean keep_slash)
{
  g_autofree char *plain = g_uri_unescape_string (text, NULL);

  return plain != NULL ? encode (plain, keep_slash) : NULL;
}

static gboolean
parse_path (Request *req, const char *path, GError **error)
{
  g_auto(GStrv) segments = g_strsplit (*path != '\0' ? path : "/", "/", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *segment = reencode (segments[i], FALSE);

      if (segment == NULL)
        return invalid (error, "the path", path);
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, segment);
    }
  req->path = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

static gboolean
parse_query (Request *req, const char *query, GError **error)
{
  g_auto(GStrv) params = g_strsplit (query != NULL ? query : "", "&", -1);

  for (guint i = 0; params[i] != NULL; i++)
    {
      char *eq = strchr (params[i], '=');
      char *name, *value;

      if (*params[i] == '\0')
        continue;
      if (eq != NULL)
        *eq = '\0';
      name = reencode (params[i], FALSE);
      value = reencode (eq != NULL ? eq + 1 : "", FALSE);
      add_pair (req->query, name, value);
      if (name == NULL || value == NULL)
        return invalid (error, "the query", query);
    }
  return TRUE;
}

static gboolean
parse_url (Request *req, const char *url, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme, *host;
  g_autofree char *bracketed = NULL;
  g_autofree char *host_port = NULL;
  int port;

  if (uri == NULL)
    return invalid (error, "the URL", url);
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);
  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || host == NULL || *host == '\0'
      || g_uri_get_userinfo (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return invalid (error, "the URL", url);

  if (strchr (host, ':') != NULL)
    host = bracketed = g_strdup_printf ("[%s]", host);
  if (port == -1 || port == (strcmp (scheme, "https") == 0 ? 443 : 80))
    host_port = g_strdup (host);
  else
    host_port = g_strdup_printf ("%s:%d", host, port);
  req->origin = g_strdup_printf ("%s://%s", scheme, host_port);
  add_pair (req->headers, g_strdup ("host"), g_steal_pointer (&host_port));

  return parse_path (req, g_uri_get_path (uri), error)
         && parse_query (req, g_uri_get_query (uri), error);
}

/* A header's value as SigV4 signs it: trimmed, inner spaces collapsed. */
static char *
canonical_value (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }
      g_string_append_c (out, *p);
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static gboolean
add_headers (Request *req, const char * const *kv, GError **error)
{
  for (guint i = 0; kv != NULL && kv[i] != NULL; i += 2)
    {
      if (!is_token (kv[i]))
        return invalid (error, "the header", kv[i]);
      if (kv[i + 1] == NULL || strpbrk (kv[i + 1], "\r\n") != NULL)
        return invalid (error, "the value of header", kv[i]);
      add_pair (req->headers, g_ascii_strdown (kv[i], -1), canonical_value (kv[i + 1]));
    }
  return TRUE;
}

/* Parses the URL, takes the headers (with host), sorts them, and dates
 * the request. */
static gboolean
request_init (Request                  *req,
              const SdSigV4Credentials *creds,
              const char               *method,
              const char               *url,
              GDateTime                *now,
              const char * const       *headers,
              const char * const       *more_headers,
              GError                  **error)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *day = g_date_time_format (utc, "%Y%m%d");

  req->query = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_array_set_clear_func (req->query, pair_clear);
  req->headers = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_array_set_clear_func (req->headers, pair_clear);
  req->amz_date = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  req->scope = g_strdup_printf ("%s/%s/%s/aws4_request", day, creds->region, creds->service);

  if (!is_token (method))
    return invalid (error, "the method", method != NULL ? method : "");
  if (!parse_url (req, url, error)
      || !add_headers (req, headers, error)
      || !add_headers (req, more_headers, error))
    return FALSE;

  g_array_sort (req->headers, compare_pairs);
  for (guint i = 0; i < req->headers->len; i++)
    {
      const char *name = g_array_index (req->headers, Pair, i).name;

      if (i > 0 && strcmp (name, g_array_index (req->headers, Pair, i - 1).name) == 0)
        return invalid (error, "a second header", name);
      g_string_append_printf (names, "%s%s", i > 0 ? ";" : "", name);
    }
  req->signed_headers = g_string_free (g_steal_pointer (&names), FALSE);
  return TRUE;
}

static char *
canonical_query (Request *req)
{
  GString *out = g_string_new (NULL);

  g_array_sort (req->query, compare_pairs);
  for (guint i = 0; i < req->query->len; i++)
    {
      const Pair *pair = &g_array_index (req->query, Pair, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

/* HMAC-SHA256 of text under key, into digest (32 bytes). */
static void
hmac (const guint8 *key, gsize key_len, const char *text, guint8 digest[32])
{
  g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (mac, (const guchar *) text, -1);
  g_hmac_get_digest (mac, digest, &len);
}

/* The signature (hex) of the request: method, its canonical form with
 * payload_hash, under creds. */
static char *
request_sign (Request *req, const SdSigV4Credentials *creds, const char *method,
              const char *payload_hash)
{
  g_autoptr(GString) canonical = g_string_new (NULL);
  g_autofree char *query = canonical_query (req);
  g_autofree char *canonical_hash = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *secret = g_strconcat ("AWS4", creds->secret_key, NULL);
  g_auto(GStrv) scope = g_strsplit (req->scope, "/", -1);
  guint8 key[32];

  g_string_append_printf (canonical, "%s\n%s\n%s\n", method, req->path, query);
  for (guint i = 0; i < req->headers->len; i++)
    {
      const Pair *pair = &g_array_index (req->headers, Pair, i);

      g_string_append_printf (canonical, "%s:%s\n", pair->name, pair->value);
    }
  g_string_append_printf (canonical, "\n%s\n%s", req->signed_headers, payload_hash);
  canonical_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical->str, canonical->len);
  to_sign = g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", req->amz_date, req->scope, canonical_hash);

  /* kDate, kRegion, kService, kSigning: the scope's parts in turn. */
  hmac ((const guint8 *) secret, strlen (secret), scope[0], key);
  for (guint i = 1; scope[i] != NULL; i++)
    hmac (key, sizeof key, scope[i], key);
  explicit_bzero (secret, strlen (secret));

  {
    g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);

    explicit_bzero (key, sizeof key);
    g_hmac_update (mac, (const guchar *) to_sign, -1);
    return g_strdup (g_hmac_get_string (mac));
  }
}

gboolean
sd_sigv4_presign (const SdSigV4Credentials *creds,
                  const char               *method,
                  const char               *url,
                  GDateTime                *now,
                  guint                     expires_seconds,
                  const char * const       *signed_headers,
                  char                    **out_url,
                  GError                  **error)
{
  g_auto(Request) req = { 0 };
  g_autofree char *credential = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *query = NULL;

  g_return_val_if_fail (creds != NULL && now != NULL && out_url != NULL, FALSE);

  if (expires_seconds == 0 || expires_seconds > MAX_EXPIRES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot sign an expiry of %u s (1 s to 7 days)", expires_seconds);
      return FALSE;
    }
  if (!request_init (&req, creds, method, url, now, signed_headers, NULL, error))
    return FALSE;

  credential = g_strdup_printf ("%s/%s", creds->access_key_id, req.scope);
  add_pair (req.query, g_strdup ("X-Amz-Algorithm"), g_strdup (ALGORITHM));
  add_pair (req.query, g_strdup ("X-Amz-Credential"), encode (credential, FALSE));
  add_pair (req.query, g_strdup ("X-Amz-Date"), g_strdup (req.amz_date));
  add_pair (req.query, g_strdup ("X-Amz-Expires"), g_strdup_printf ("%u", expires_seconds));
  add_pair (req.query, g_strdup ("X-Amz-SignedHeaders"), encode (req.signed_headers, FALSE));

  signature = request_sign (&req, creds, method, UNSIGNED_PAYLOAD);
  query = canonical_query (&req);
  *out_url = g_strdup_printf ("%s%s?%s&X-Amz-Signature=%s", req.origin, req.path, query, signature);
  return TRUE;
}

gboolean
sd_sigv4_sign_headers (const SdSigV4Credentials *creds,
                       const char               *method,
                       const char               *url,
                       GDateTime                *now,
                       const char * const       *headers,
                       const char               *payload_sha256,
                       SdSigV4Signed            *out,
                       GError                  **error)
{
  g_auto(Request) req = { 0 };
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *amz_date = NULL;
  g_autofree char *signature = NULL;
  const char *payload = payload_sha256 != NULL ? payload_sha256 : UNSIGNED_PAYLOAD;

  g_return_val_if_fail (creds != NULL && now != NULL && out != NULL, FALSE);

  utc = g_date_time_to_utc (now);
  amz_date = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  {
    const char *ours[] = { "x-amz-date", amz_date, "x-amz-content-sha256", payload, NULL };

    if (!request_init (&req, creds, method, url, now, headers, ours, error))
      return FALSE;
  }

  signature = request_sign (&req, creds, method, payload);
  out->authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s,SignedHeaders=%s,Signature=%s",
                                        creds->access_key_id, req.scope, req.signed_headers, signature);
  out->amz_date = g_steal_pointer (&amz_date);
  out->content_sha256 = g_strdup (payload);
  return TRUE;
}

void
sd_sigv4_signed_clear (SdSigV4Signed *signed_)
{
  g_clear_pointer (&signed_->authorization, g_free);
  g_clear_pointer (&signed_->amz_date, g_free);
  g_clear_pointer (&signed_->content_sha256, g_free);
}
