/* sd-server.c — routes of the shop API (shared/API.md) on a SoupServer. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"
#include "sd-server.h"
#include "sd-contract.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sys/stat.h>
#include <string.h>

struct _SdServer
{
  GObject     parent_instance;
  SdServerDb *db;
  char       *uploads_dir;
  SoupServer *soup;
};

G_DEFINE_TYPE (SdServer, sd_server, G_TYPE_OBJECT)

#define UPLOAD_CACHE_CONTROL "public, max-age=86400"

/* ---- replies -------------------------------------------------------- */

/* Sends {"error": error, "data": data}; takes ownership of data. */
static void
reply_envelope (SoupServerMessage *msg, guint status, const char *error, JsonNode *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *body;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, SD_ENVELOPE_ERROR);
  if (error)
    json_builder_add_string_value (b, error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, SD_ENVELOPE_DATA);
  if (data)
    json_builder_add_value (b, data);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
reply_data (SoupServerMessage *msg, JsonNode *data)
{
  reply_envelope (msg, SOUP_STATUS_OK, NULL, data);
}

static void
reply_error (SoupServerMessage *msg, guint status, const char *message)
{
  reply_envelope (msg, status, message, NULL);
}

static void
reply_internal (SoupServerMessage *msg, GError *error)
{
  g_warning ("%s %s: %s", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), error->message);
  reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
               "The server failed; try again later.");
}

static void
reply_method_not_allowed (SoupServerMessage *msg, const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "This method is not allowed here.");
}

/* ---- /health -------------------------------------------------------- */

static void
health_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
           GHashTable *query, gpointer user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (strcmp (path, SD_HEALTH_PATH) != 0)
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such route.");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, SD_FEATURE_PAGING);
  json_builder_add_string_value (b, SD_FEATURE_SEARCH);
  json_builder_add_string_value (b, SD_FEATURE_SORT);
  json_builder_end_array (b);
  json_builder_end_object (b);
  reply_data (msg, json_builder_get_root (b));
}

/* ---- catalog -------------------------------------------------------- */

static gboolean
parse_positive (const char *text, guint max, guint *out)
{
  guint64 v;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static void
add_link (GString *link, SoupServerMessage *msg, GHashTable *query, guint page, const char *rel)
{
  g_autoptr(GHashTable) q = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (q, k, g_strdup (v));
  g_hash_table_insert (q, (gpointer) "page", g_strdup_printf ("%u", page));
  encoded = soup_form_encode_hash (q);
  if (link->len)
    g_string_append (link, ", ");
  g_string_append_printf (link, "<%s?%s>; rel=\"%s\"",
                          g_uri_get_path (soup_server_message_get_uri (msg)), encoded, rel);
}

static void
list_products (SdServer *self, SoupServerMessage *msg, GHashTable *query)
{
  SdServerProductQuery pq = { 0 };
  g_autoptr(GError) error = NULL;
  const char *page_s = query ? g_hash_table_lookup (query, "page") : NULL;
  const char *limit_s = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint page = 1, limit = SD_PAGE_LIMIT_DEFAULT;
  gint64 total = 0;
  JsonNode *data;
  char total_s[32];

  if (query)
    {
      pq.category_id = g_hash_table_lookup (query, "categoryId");
      pq.q = g_hash_table_lookup (query, "q");
      pq.sort = g_hash_table_lookup (query, "sort");
    }
  if (page_s && !parse_positive (page_s, G_MAXINT32, &page))
    return reply_error (msg, SOUP_STATUS_BAD_REQUEST, "page must be a whole number from 1.");
  if (limit_s && !parse_positive (limit_s, SD_PAGE_LIMIT_MAX, &limit))
    return reply_error (msg, SOUP_STATUS_BAD_REQUEST, "limit must be a whole number from 1 to 100.");
  if (pq.sort && !sd_is_sort_key (pq.sort))
    return reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "sort must be one of price, -price, name, -createdAt.");

  if (page_s || limit_s)
    {
      pq.limit = limit;
      pq.offset = (page - 1) * limit;
      if ((guint64) (page - 1) * limit > G_MAXUINT32)
        pq.limit = 0;
    }
  else
    pq.limit = SD_UNPAGED_MAX;

  data = sd_server_db_list_products (self->db, &pq, &total, &error);
  if (data == NULL)
    return reply_internal (msg, error);

  g_snprintf (total_s, sizeof total_s, "%" G_GINT64_FORMAT, total);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                SD_HEADER_TOTAL_COUNT, total_s);
  if (page_s || limit_s)
    {
      g_autoptr(GString) link = g_string_new (NULL);

      if ((gint64) page * limit < total)
        add_link (link, msg, query, page + 1, "next");
      if (page > 1)
        add_link (link, msg, query, page - 1, "prev");
      if (link->len)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      SD_HEADER_LINK, link->str);
    }
  reply_data (msg, data);
}

static void
get_one (SoupServerMessage *msg, JsonNode *node, GError *error, const char *what)
{
  if (node != NULL)
    reply_data (msg, node);
  else if (error != NULL)
    reply_internal (msg, error);
  else
    {
      g_autofree char *m = g_strdup_printf ("No such %s.", what);
      reply_error (msg, SOUP_STATUS_NOT_FOUND, m);
    }
}

static void
get_option (SdServer *self, SoupServerMessage *msg, const char *product_id, const char *option_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) product = sd_server_db_get_product (self->db, product_id, &error);
  JsonObject *options;

  if (product == NULL)
    return get_one (msg, NULL, error, "product");
  options = json_object_get_object_member (json_node_get_object (product), "options");
  if (options == NULL || g_strcmp0 (json_object_get_string_member (options, "_id"), option_id) != 0)
    return reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such option.");
  reply_data (msg, json_node_copy (json_object_get_member (json_node_get_object (product), "options")));
}

static void
api_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
        GHashTable *query, gpointer user_data)
{
  SdServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) seg = NULL;
  guint n;
  g_autoptr(GError) error = NULL;

  if (!g_str_has_prefix (path, SD_API_PREFIX "/"))
    return reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such route.");
  seg = g_strsplit (path + strlen (SD_API_PREFIX "/"), "/", 0);
  n = g_strv_length (seg);
  if (n > 0 && *seg[n - 1] == '\0')   /* a trailing slash */
    {
      g_free (seg[--n]);
      seg[n] = NULL;
    }

  if (n >= 1 && n <= 2 && strcmp (seg[0], "categories") == 0)
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        return reply_method_not_allowed (msg, "GET, HEAD");
      if (n == 1)
        {
          JsonNode *list = sd_server_db_list_categories (self->db,
                                                         query ? g_hash_table_lookup (query, "name") : NULL,
                                                         &error);
          return list ? reply_data (msg, list) : reply_internal (msg, error);
        }
      JsonNode *one = sd_server_db_get_category (self->db, seg[1], &error);
      return get_one (msg, one, error, "category");
    }

  if (n >= 1 && strcmp (seg[0], "products") == 0 &&
      (n <= 2 || (n == 4 && strcmp (seg[2], "options") == 0)))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        return reply_method_not_allowed (msg, "GET, HEAD");
      if (n == 1)
        return list_products (self, msg, query);
      if (n == 2)
        {
          JsonNode *one = sd_server_db_get_product (self->db, seg[1], &error);
          return get_one (msg, one, error, "product");
        }
      return get_option (self, msg, seg[1], seg[3]);
    }

  reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such route.");
}

/* ---- /uploads/ ------------------------------------------------------ */

static gboolean
is_safe_upload_name (const char *name)
{
  size_t len = strlen (name);

  if (len == 0 || len > 128 || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The type comes from the bytes, never from the name. */
static const char *
sniff_image_type (GBytes *bytes)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);

  if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
    return "image/jpeg";
  if (len >= 8 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0)
    return "image/webp";
  return "application/octet-stream";
}

static void
uploads_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
            GHashTable *query, gpointer user_data)
{
  SdServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *name = path + strlen (SD_UPLOADS_PREFIX);
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *file = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  const char *inm, *ims;
  GStatBuf st;

  if (!g_str_has_prefix (path, SD_UPLOADS_PREFIX) || !is_safe_upload_name (name))
    return reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such file.");
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    return reply_method_not_allowed (msg, "GET, HEAD");

  file = g_build_filename (self->uploads_dir, name, NULL);
  if (g_stat (file, &st) != 0 || !S_ISREG (st.st_mode))
    return reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such file.");

  etag = g_strdup_printf ("\"%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x\"",
                          (gint64) st.st_size, (gint64) st.st_mtime);
  mtime = g_date_time_new_from_unix_utc (st.st_mtime);
  last_modified = soup_date_time_to_string (mtime, SOUP_DATE_HTTP);
  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Last-Modified", last_modified);
  soup_message_headers_replace (resp, "Cache-Control", UPLOAD_CACHE_CONTROL);
  soup_message_headers_replace (resp, "X-Content-Type-Options", "nosniff");

  inm = soup_message_headers_get_one (req, "If-None-Match");
  ims = soup_message_headers_get_one (req, "If-Modified-Since");
  if (inm != NULL ? (strcmp (inm, etag) == 0 || strcmp (inm, "*") == 0)
                  : ims != NULL)
    {
      gboolean fresh = TRUE;

      if (inm == NULL)
        {
          g_autoptr(GDateTime) since = soup_date_time_new_from_http_string (ims);
          fresh = since != NULL && g_date_time_compare (mtime, since) <= 0;
        }
      if (fresh)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
          return;
        }
    }

  mapped = g_mapped_file_new (file, FALSE, NULL);
  if (mapped == NULL)
    return reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such file.");
  bytes = g_mapped_file_get_bytes (mapped);
  soup_message_headers_replace (resp, "Content-Type", sniff_image_type (bytes));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
fallback_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
             GHashTable *query, gpointer user_data)
{
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "No such route.");
}

/* ---- logging: one line per request, path without the query ---------- */

static void
request_started_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  gint64 *t = g_new (gint64, 1);
  *t = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "sd-started", t, g_free);
}

static void
request_finished_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  gint64 *t = g_object_get_data (G_OBJECT (msg), "sd-started");
  GUri *uri = soup_server_message_get_uri (msg);

  g_message ("%s %s %u %.1fms", soup_server_message_get_method (msg),
             uri ? g_uri_get_path (uri) : "?", soup_server_message_get_status (msg),
             t ? (g_get_monotonic_time () - *t) / 1000.0 : 0.0);
}

/* ---- object --------------------------------------------------------- */

static void
sd_server_dispose (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  sd_server_shutdown (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (sd_server_parent_class)->dispose (object);
}

static void
sd_server_finalize (GObject *object)
{
  g_free (SD_SERVER (object)->uploads_dir);
  G_OBJECT_CLASS (sd_server_parent_class)->finalize (object);
}

static void
sd_server_class_init (SdServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = sd_server_finalize;
}

static void
sd_server_init (SdServer *self)
{
}

SdServer *
sd_server_new (SdServerDb *db, const char *data_dir)
{
  SdServer *self = g_object_new (SD_TYPE_SERVER, NULL);

  self->db = g_object_ref (db);
  self->uploads_dir = g_build_filename (data_dir, "uploads", NULL);
  self->soup = soup_server_new ("server-header", "storedesk-server/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->soup, SD_HEALTH_PATH, health_cb, self, NULL);
  soup_server_add_handler (self->soup, SD_API_PREFIX, api_cb, self, NULL);
  soup_server_add_handler (self->soup, "/uploads", uploads_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, fallback_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  return self;
}

gboolean
sd_server_listen (SdServer *self, const char *host, guint port, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) sa = NULL;

  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return FALSE;
    }
  sa = g_inet_socket_address_new (addr, port);
  return soup_server_listen (self->soup, sa, 0, error);
}

char *
sd_server_get_url (SdServer *self)
{
  GSList *listeners = soup_server_get_listeners (self->soup);
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;
  GInetAddress *addr;
  char *url;

  if (listeners == NULL)
    return NULL;
  local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (local == NULL)
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (local);
  addr = g_inet_socket_address_get_address (inet);
  host = g_inet_address_to_string (addr);
  if (g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
    url = g_strdup_printf ("http://[%s]:%u", host, g_inet_socket_address_get_port (inet));
  else
    url = g_strdup_printf ("http://%s:%u", host, g_inet_socket_address_get_port (inet));
  return url;
}

void
sd_server_shutdown (SdServer *self)
{
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
