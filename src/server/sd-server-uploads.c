/* sd-server-uploads.c — pictures in and out of the shop's blobs
 * (SdServerBlobs: DATA_DIR/uploads/ by default, or an S3 bucket).
 *
 * In: the profile photo (multipart, shared/API.md's one exception to the
 * envelope) and product pictures by presigned PUT [ext]: to this node
 * with files, straight to the bucket with S3 (vetted when a product takes
 * it, sd-server-catalog.c). The type comes from the bytes; names are
 * ours, never the client's. Out: GET with ETag, Last-Modified,
 * Cache-Control and 304s. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sd-image-header.h"
#include "sd-server-routes.h"

#define PRESIGN_TTL 300
#define CACHE_CONTROL "public, max-age=86400"
#define SERVE_MAX     (8 * 1024 * 1024)   /* bytes of one picture read from S3 to serve */

static const char *
image_type_extension (const char *type)
{
  if (g_strcmp0 (type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (type, "image/webp") == 0)
    return "webp";
  return NULL;
}

static SdServerBlobs *
blobs (SdServerRequest *req)
{
  return sd_request_config (req)->blobs;
}

static char *
new_name (const char *prefix, const char *type)
{
  g_autofree char *rnd = sd_random_hex (6);
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%s.%s", prefix, g_get_real_time () / 1000, rnd,
                          image_type_extension (type));
}

/* ---- GET /uploads/:name --------------------------------------------- */

static void
not_served (SdServerRequest *req, GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such file.");
  g_warning ("serving a picture: %s", error->message);
  sd_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "The picture store did not answer; try again later.");
}

/* A picture is served by this node, from whichever blobs hold it, and
 * not by a redirect to a presigned GET on S3: its URL stays the same
 * (/uploads/NAME, as the store keeps it), so a browser's cache, the
 * original web front end's <img src> and the app's picture cache all
 * keep working with ETag, Last-Modified, Cache-Control and 304s; a
 * presigned URL changes at every signing and dies at its expiry, which
 * a cached page or a cached redirect would outlive (broken pictures),
 * and it would need CORS on the bucket. The cost, one picture (at most
 * SERVE_MAX) through the node, is the price of one origin. */
static void
serve_upload (SdServerRequest *req)
{
  const char *name = req->params[0];
  g_auto(SdBlobInfo) info = { 0 };
  g_autofree char *modified = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *inm, *ims, *type, *etag;

  /* An incoming picture is not vetted yet: nobody gets it. */
  if (!sd_blob_is_name (name) || g_str_has_prefix (name, SD_BLOB_INCOMING))
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such file.");
  if (!sd_server_blobs_stat (blobs (req), name, &info, &error))
    return not_served (req, error);

  etag = info.etag;
  mtime = g_date_time_new_from_unix_utc (info.modified);
  modified = soup_date_time_to_string (mtime, SOUP_DATE_HTTP);
  sd_reply_set_header (req, "ETag", etag);
  sd_reply_set_header (req, "Last-Modified", modified);
  sd_reply_set_header (req, "Cache-Control", CACHE_CONTROL);
  sd_reply_set_header (req, "X-Content-Type-Options", "nosniff");

  inm = sd_request_header (req, "If-None-Match");
  ims = sd_request_header (req, "If-Modified-Since");
  if (inm != NULL ? (strcmp (inm, etag) == 0 || strcmp (inm, "*") == 0) : ims != NULL)
    {
      gboolean fresh = TRUE;

      if (inm == NULL)
        {
          g_autoptr(GDateTime) since = soup_date_time_new_from_http_string (ims);
          fresh = since != NULL && g_date_time_compare (mtime, since) <= 0;
        }
      if (fresh)
        {
          sd_reply_status (req, SOUP_STATUS_NOT_MODIFIED);
          return;
        }
    }

  bytes = sd_server_blobs_read (blobs (req), name, MAX (SERVE_MAX, sd_request_config (req)->upload_limit), &error);
  if (bytes == NULL)
    return not_served (req, error);
  type = sd_blob_sniff_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  sd_reply_bytes (req, SOUP_STATUS_OK, type ? type : "application/octet-stream", bytes);
}

/* ---- presigned product uploads [ext] -------------------------------- */

static char *
presign (SdServerRequest *req, const char *name, const char *type, guint64 size, gint64 expires)
{
  g_autofree char *text = g_strdup_printf ("%s\n%s\n%" G_GUINT64_FORMAT "\n%" G_GINT64_FORMAT,
                                           name, type, size, expires);
  return sd_server_secrets_hmac (sd_request_secrets (req), SD_SECRET_UPLOADS, text);
}

static void
create_upload (SdServerRequest *req)
{
  const SdServerConfig *config = sd_request_config (req);
  g_autofree char *name = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *image = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *at_s = NULL;
  gboolean bad = FALSE;
  const char *type = sd_body_string (req, "contentType", &bad);
  gint64 size, expires = g_get_real_time () / G_USEC_PER_SEC + PRESIGN_TTL;
  JsonObject *o;
  JsonNode *n;

  if (bad)
    return;
  if (image_type_extension (type) == NULL)
    return sd_reply_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Upload a JPEG, PNG or WebP picture.");
  if (!sd_json_integer (sd_body_object (req), "size", &size) || size < 1)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Give the picture's size in bytes.");
  if ((guint64) size > config->upload_limit)
    return sd_reply_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The picture is larger than the shop accepts.");

  /* (With S3, "incoming-": a product takes it as "product-", vetted.) */
  name = new_name (sd_server_blobs_is_remote (blobs (req)) ? "incoming" : "product", type);
  if (sd_server_blobs_is_remote (blobs (req)))
    {
      g_autoptr(GError) error = NULL;

      /* Straight to the bucket: the store itself refuses another type
       * or size (both signed), and the product vets it (catalog). */
      url = sd_server_blobs_presign_put (blobs (req), name, type, (guint64) size, PRESIGN_TTL, &error);
      if (url == NULL)
        return sd_reply_internal (req, error);
    }
  else
    {
      sig = presign (req, name, type, (guint64) size, expires);
      origin = sd_request_origin (req);
      url = g_strdup_printf ("%s/uploads/%s?expires=%" G_GINT64_FORMAT "&size=%" G_GINT64_FORMAT "&sig=%s",
                             origin, name, expires, size, sig);
    }
  image = g_strconcat ("uploads/", name, NULL);
  at = g_date_time_new_from_unix_utc (expires);
  at_s = g_date_time_format (at, "%Y-%m-%dT%H:%M:%S.000Z");

  o = json_object_new ();
  json_object_set_string_member (o, "uploadUrl", url);
  json_object_set_string_member (o, "imageUrl", image);
  json_object_set_string_member (o, "expiresAt", at_s);
  n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  sd_reply (req, SOUP_STATUS_CREATED, n);
}

static void
put_upload (SdServerRequest *req)
{
  const SdServerConfig *config = sd_request_config (req);
  const char *name = req->params[0];
  g_autofree char *type = sd_request_content_type (req, NULL);
  const char *sig = sd_request_query (req, "sig");
  g_autofree char *expected = NULL;
  g_auto(SdBlobInfo) info = { 0 };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *sniffed;
  guint64 size;
  gint64 expires;
  JsonObject *o;
  JsonNode *n;

  if (!sd_blob_is_name (name) || sig == NULL || type == NULL ||
      !g_ascii_string_to_signed (sd_request_query (req, "expires") ? sd_request_query (req, "expires") : "",
                                 10, 0, G_MAXINT64, &expires, NULL) ||
      !g_ascii_string_to_unsigned (sd_request_query (req, "size") ? sd_request_query (req, "size") : "",
                                   10, 1, config->upload_limit, &size, NULL))
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "This upload URL is not valid.");
  /* The signature covers name, type, size and expiry: nothing can be swapped. */
  expected = presign (req, name, type, size, expires);
  if (!sd_str_equal_secret (expected, sig))
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "This upload URL is not valid for this picture.");
  if (expires < g_get_real_time () / G_USEC_PER_SEC)
    return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "This upload URL has expired; ask for a new one.");

  body = g_bytes_ref (req->raw_body);
  if (g_bytes_get_size (body) != size)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The picture is not the size announced.");
  sniffed = sd_blob_sniff_type (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (sniffed == NULL || g_ascii_strcasecmp (sniffed, type) != 0)
    return sd_reply_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "The file is not the picture type announced.");
  {
    guint status;
    const char *refusal = sd_blob_refuse_picture (body, &status);

    if (refusal)
      return sd_reply_error (req, status, refusal);
  }
  if (sd_server_blobs_stat (blobs (req), name, &info, NULL))
    return sd_reply_error (req, SOUP_STATUS_CONFLICT, "This picture was uploaded already.");
  if (!sd_server_blobs_put (blobs (req), name, body, sniffed, &error))
    return sd_reply_internal (req, error);

  o = json_object_new ();
  {
    g_autofree char *image = g_strconcat ("uploads/", name, NULL);
    json_object_set_string_member (o, "imageUrl", image);
  }
  n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  sd_reply (req, SOUP_STATUS_CREATED, n);
}

/* ---- profile photo (multipart/form-data) ---------------------------- */

/* {"success", "message", "imageUrl"}: the profile photo route's own shape. */
static void
reply_profile_upload (SdServerRequest *req, guint status, const char *message, const char *url)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, status < 300);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "imageUrl");
  json_builder_add_string_value (b, url ? url : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
    sd_reply_bytes (req, status, "application/json; charset=utf-8", bytes);
  }
}

/* Finds the part named field in a multipart body; a bounded, copy-free
 * parser of our own (libsoup 3.2's has CVE-2025-32914). */
static GBytes *
multipart_field (GBytes *body, const char *boundary, const char *field)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *end = data + len;
  g_autofree char *delim = g_strconcat ("--", boundary, NULL);
  g_autofree char *want = g_strdup_printf ("name=\"%s\"", field);
  size_t dlen = strlen (delim);
  const char *p = memmem (data, len, delim, dlen);

  while (p != NULL)
    {
      const char *headers = p + dlen, *headers_end, *next;

      if (headers + 2 > end || memcmp (headers, "--", 2) == 0)
        return NULL;   /* closing delimiter */
      if (memcmp (headers, "\r\n", 2) != 0)
        return NULL;
      headers += 2;
      headers_end = memmem (headers, end - headers, "\r\n\r\n", 4);
      if (headers_end == NULL)
        return NULL;
      next = memmem (headers_end + 4, end - (headers_end + 4), delim, dlen);
      if (next == NULL || next < headers_end + 6)
        return NULL;
      if (memmem (headers, headers_end - headers, want, strlen (want)) != NULL)
        {
          gsize offset = (headers_end + 4) - data;
          gsize size = (next - 2) - (headers_end + 4);   /* minus the CRLF before the delimiter */
          return g_bytes_new_from_bytes (body, offset, size);
        }
      p = next;
    }
  return NULL;
}

static void
upload_profile_image (SdServerRequest *req)
{
  const SdServerConfig *config = sd_request_config (req);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *old = NULL;
  g_autofree char *ctype = NULL;
  const char *boundary, *type;

  ctype = sd_request_content_type (req, &params);
  boundary = params ? g_hash_table_lookup (params, "boundary") : NULL;
  if (g_strcmp0 (ctype, "multipart/form-data") != 0 || boundary == NULL || strlen (boundary) > 70)
    return reply_profile_upload (req, SOUP_STATUS_BAD_REQUEST,
                                    "Send the picture as multipart/form-data in the field profileImage.", NULL);
  body = g_bytes_ref (req->raw_body);
  file = multipart_field (body, boundary, "profileImage");
  if (file == NULL || g_bytes_get_size (file) == 0)
    return reply_profile_upload (req, SOUP_STATUS_BAD_REQUEST, "No picture in the field profileImage.", NULL);
  if (g_bytes_get_size (file) > config->upload_limit)
    return reply_profile_upload (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                    "The picture is larger than 1 MB.", NULL);
  type = sd_blob_sniff_type (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  if (type == NULL)
    return reply_profile_upload (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                    "The file is not a JPEG, PNG or WebP picture.", NULL);
  {
    guint status;
    const char *refusal = sd_blob_refuse_picture (file, &status);

    if (refusal)
      return reply_profile_upload (req, status, refusal, NULL);
  }

  name = new_name ("profileImage", type);
  if (!sd_server_blobs_put (blobs (req), name, file, type, &error))
    {
      g_warning ("writing a profile picture: %s", error->message);
      return reply_profile_upload (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "The server failed; try again later.", NULL);
    }
  url = g_strconcat ("uploads/", name, NULL);

  if (!sd_server_store_set_profile_image (sd_request_store (req), req->user_id, url, &old, &error))
    {
      sd_server_blobs_delete (blobs (req), name, NULL);
      g_warning ("saving a profile picture: %s", error ? error->message : "?");
      return reply_profile_upload (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "The server failed; try again later.", NULL);
    }
  /* The previous picture is ours to remove. */
  if (old && g_str_has_prefix (old, "uploads/profileImage-") && sd_blob_is_name (old + strlen ("uploads/")))
    {
      g_autoptr(GError) gone = NULL;

      if (!sd_server_blobs_delete (blobs (req), old + strlen ("uploads/"), &gone))
        g_warning ("removing the previous profile picture: %s", gone->message);
    }
  reply_profile_upload (req, SOUP_STATUS_OK, "The profile picture was uploaded.", url);
}

/* A picture over the body limit, refused before the route runs. */
static void
refuse_profile_upload (SdServerRequest *req, guint status)
{
  reply_profile_upload (req, status, "The picture is larger than 1 MB.", NULL);
}

const SdRoute sd_server_upload_routes[] = {
  { "GET", "/uploads/:name", SD_ACCESS_PUBLIC, SD_BODY_NONE, serve_upload },
  { "PUT", "/uploads/:name", SD_ACCESS_PUBLIC, SD_BODY_RAW, put_upload },
  { "POST", SD_PATH_ADMIN_UPLOADS, SD_ACCESS_ADMIN, SD_BODY_JSON, create_upload },
  { "POST", SD_PATH_PROFILE_IMAGE, SD_ACCESS_USER, SD_BODY_RAW, upload_profile_image,
    refuse_profile_upload },
  { NULL }
};
