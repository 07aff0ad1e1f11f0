/* test-server.c — storedesk-server's routes, over real HTTP, against a
 * started server with a fresh data dir. */
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sd-test-http.h"

static SdTestReply *
request (SdTestServer *server, const char *method, const char *path, const char *header, const char *value)
{
  return sd_test_http (server, method, path, NULL, NULL, header, value, NULL);
}

static SdTestReply *
get (SdTestServer *server, const char *path)
{
  return request (server, "GET", path, NULL, NULL);
}

/* The envelope's data, asserting error is null. */
static JsonNode *
data_of (SdTestReply *r)
{
  JsonObject *envelope;

  g_assert_nonnull (r->root);
  envelope = json_node_get_object (r->root);
  g_assert_true (json_object_has_member (envelope, "error"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (envelope, "error")));
  return json_object_get_member (envelope, "data");
}

/* Asserts an error envelope: a message and null data. */
static void
assert_error_envelope (SdTestReply *r, guint status)
{
  JsonObject *envelope;

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  envelope = json_node_get_object (r->root);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/json");
  g_assert_nonnull (json_object_get_string_member (envelope, "error"));
  g_assert_cmpuint (strlen (json_object_get_string_member (envelope, "error")), >, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (envelope, "data")));
}

static JsonArray *
array_of (SdTestReply *r)
{
  JsonNode *data = data_of (r);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  return json_node_get_array (data);
}

static void
test_health (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (FALSE);
  g_autoptr(SdTestReply) r = get (server, "/health");
  JsonObject *data;
  JsonArray *features;
  gboolean paging = FALSE;

  g_assert_cmpuint (r->status, ==, 200);
  data = json_node_get_object (data_of (r));
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "OK");
  g_assert_nonnull (json_object_get_string_member (data, "version"));
  features = json_object_get_array_member (data, "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    paging |= g_strcmp0 (json_array_get_string_element (features, i), "paging") == 0;
  g_assert_true (paging);
}

/* [ext] shopId: made once per shop, the same across restarts (on any
 * port), another for another shop; not in the original's /health. */
static char *
shop_id (SdTestServer *server)
{
  g_autoptr(SdTestReply) r = get (server, "/health");
  JsonObject *data = json_node_get_object (data_of (r));

  return g_strdup (json_object_get_string_member (data, "shopId"));
}

static void
test_shop_id (void)
{
  g_autoptr(SdTestServer) a = sd_test_server_start (FALSE);
  g_autoptr(SdTestServer) b = sd_test_server_start (FALSE);
  g_autofree char *first = shop_id (a);
  g_autofree char *again = NULL;
  g_autofree char *other = shop_id (b);

  g_assert_true (g_uuid_string_is_valid (first));
  g_assert_true (g_uuid_string_is_valid (other));
  g_assert_cmpstr (first, !=, other);
  sd_test_server_restart (a, FALSE);
  again = shop_id (a);
  g_assert_cmpstr (again, ==, first);
}

static void
test_empty_shop (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (FALSE);
  g_autoptr(SdTestReply) cats = get (server, "/api/v1/categories");
  g_autoptr(SdTestReply) prods = get (server, "/api/v1/products");

  g_assert_cmpuint (cats->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (cats)), ==, 0);
  g_assert_cmpuint (prods->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (prods)), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (prods->headers, "X-Total-Count"), ==, "0");
}

static void
test_categories (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) all = get (server, "/api/v1/categories");
  JsonArray *list = array_of (all);
  JsonObject *first;
  g_autofree char *one_path = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *by_name = NULL;
  g_autoptr(SdTestReply) one = NULL;
  g_autoptr(SdTestReply) named = NULL;
  g_autoptr(SdTestReply) missing = NULL;

  g_assert_cmpuint (json_array_get_length (list), >=, 6);
  g_assert_cmpuint (json_array_get_length (list), <=, 8);
  first = json_array_get_object_element (list, 0);
  g_assert_cmpuint (strlen (json_object_get_string_member (first, "_id")), ==, 24);

  one_path = g_strconcat ("/api/v1/categories/", json_object_get_string_member (first, "_id"), NULL);
  one = get (server, one_path);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data_of (one)), "name"), ==,
                   json_object_get_string_member (first, "name"));

  escaped = g_uri_escape_string (json_object_get_string_member (first, "name"), NULL, FALSE);
  by_name = g_strconcat ("/api/v1/categories?name=", escaped, NULL);
  named = get (server, by_name);
  g_assert_cmpuint (json_array_get_length (array_of (named)), ==, 1);

  missing = get (server, "/api/v1/categories/000000000000000000000000");
  assert_error_envelope (missing, 404);
}

static void
test_products (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) all = get (server, "/api/v1/products");
  g_autoptr(SdTestReply) cats = get (server, "/api/v1/categories");
  JsonArray *products = array_of (all);
  JsonArray *categories = array_of (cats);
  g_autoptr(GHashTable) images = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = json_array_get_length (products), sum = 0;

  g_assert_cmpuint (n, >=, 40);
  g_assert_cmpuint (g_ascii_strtoull (soup_message_headers_get_one (all->headers, "X-Total-Count"),
                                       NULL, 10), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);

      g_assert_cmpuint (strlen (json_object_get_string_member (p, "_id")), ==, 24);
      g_assert_cmpint (json_object_get_int_member (p, "price"), >, 0);
      /* absolute, on the address the server listens on (no --public-url) */
      g_assert_true (g_str_has_prefix (json_object_get_string_member (p, "image"), server->url));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (p, "image") + strlen (server->url), "/uploads/"));
      g_assert_cmpuint (strlen (json_object_get_string_member (p, "description")), >, 0);
      g_assert_true (json_object_has_member (p, "createdAt"));
      /* Every product has an image of its own. */
      g_assert_true (g_hash_table_add (images, (gpointer) json_object_get_string_member (p, "image")));
    }

  /* ?categoryId= partitions the catalog. */
  for (guint c = 0; c < json_array_get_length (categories); c++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (categories, c), "_id");
      g_autofree char *path = g_strconcat ("/api/v1/products?categoryId=", id, NULL);
      g_autoptr(SdTestReply) r = get (server, path);
      JsonArray *in = array_of (r);

      g_assert_cmpuint (json_array_get_length (in), >, 0);
      for (guint i = 0; i < json_array_get_length (in); i++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (in, i), "categoryId"), ==, id);
      sum += json_array_get_length (in);
    }
  g_assert_cmpuint (sum, ==, n);
}

static void
test_product_and_option (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) all = get (server, "/api/v1/products");
  JsonArray *products = array_of (all);
  JsonObject *with_option = NULL;
  g_autofree char *path = NULL;
  g_autofree char *option_path = NULL;
  g_autoptr(SdTestReply) one = NULL;
  g_autoptr(SdTestReply) option = NULL;
  g_autoptr(SdTestReply) missing = NULL;
  g_autoptr(SdTestReply) bad_option = NULL;

  for (guint i = 0; i < json_array_get_length (products) && !with_option; i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      if (!json_object_get_null_member (p, "options"))
        with_option = p;
    }
  g_assert_nonnull (with_option);

  path = g_strconcat ("/api/v1/products/", json_object_get_string_member (with_option, "_id"), NULL);
  one = get (server, path);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data_of (one)), "name"), ==,
                   json_object_get_string_member (with_option, "name"));

  option_path = g_strconcat (path, "/options/",
                             json_object_get_string_member (json_object_get_object_member (with_option, "options"), "_id"),
                             NULL);
  option = get (server, option_path);
  g_assert_cmpuint (option->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (data_of (option)), "value")), >=, 2);

  missing = get (server, "/api/v1/products/ffffffffffffffffffffffff");
  assert_error_envelope (missing, 404);
  g_free (option_path);
  option_path = g_strconcat (path, "/options/ffffffffffffffffffffffff", NULL);
  bad_option = get (server, option_path);
  assert_error_envelope (bad_option, 404);
}

static void
test_paging (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) p2 = get (server, "/api/v1/products?page=2&limit=5&sort=price");
  g_autoptr(SdTestReply) last = get (server, "/api/v1/products?page=10&limit=5");
  g_autoptr(SdTestReply) beyond = get (server, "/api/v1/products?page=1000&limit=100");
  g_autoptr(SdTestReply) too_many = get (server, "/api/v1/products?limit=101");
  g_autoptr(SdTestReply) bad_page = get (server, "/api/v1/products?page=0");
  g_autoptr(SdTestReply) bad_sort = get (server, "/api/v1/products?sort=DROP");
  JsonArray *items = array_of (p2);
  const char *link = soup_message_headers_get_one (p2->headers, "Link");
  gint64 prev_price = -1;

  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      gint64 price = json_object_get_int_member (json_array_get_object_element (items, i), "price");
      g_assert_cmpint (price, >=, prev_price);
      prev_price = price;
    }
  g_assert_nonnull (link);
  g_assert_nonnull (strstr (link, "rel=\"next\""));
  g_assert_nonnull (strstr (link, "rel=\"prev\""));
  g_assert_nonnull (strstr (link, "page=3"));
  g_assert_nonnull (strstr (link, "sort=price"));

  /* 49 products: page 10 of 5 has 4 and no next. */
  g_assert_cmpuint (json_array_get_length (array_of (last)), ==,
                    g_ascii_strtoull (soup_message_headers_get_one (last->headers, "X-Total-Count"), NULL, 10) - 45);
  g_assert_null (strstr (soup_message_headers_get_one (last->headers, "Link"), "next"));
  g_assert_cmpuint (json_array_get_length (array_of (beyond)), ==, 0);

  assert_error_envelope (too_many, 400);
  assert_error_envelope (bad_page, 400);
  assert_error_envelope (bad_sort, 400);
}

static void
test_search (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) r = get (server, "/api/v1/products?q=%EB%B0%94%EA%B5%AC%EB%8B%88");   /* 바구니 */
  g_autoptr(SdTestReply) brand = get (server, "/api/v1/products?q=%EA%BF%80%EB%8B%A8%EC%A7%91"); /* 꿀단집 */
  g_autoptr(SdTestReply) pct = get (server, "/api/v1/products?q=%25");
  JsonArray *items = array_of (r);

  g_assert_cmpuint (json_array_get_length (items), >=, 1);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (items, i), "name"), "바구니"));
  g_assert_cmpuint (json_array_get_length (array_of (brand)), >=, 5);
  /* A LIKE wildcard typed by a user is a literal. */
  g_assert_cmpuint (json_array_get_length (array_of (pct)), ==, 0);
}

static void
test_uploads (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) all = get (server, "/api/v1/products?limit=1");
  const char *image = json_object_get_string_member (json_array_get_object_element (array_of (all), 0), "image");
  const char *path = image + strlen (server->url);   /* absolute: "/uploads/…" on this server */
  g_autoptr(SdTestReply) file = get (server, path);
  const char *etag = soup_message_headers_get_one (file->headers, "ETag");
  const char *modified = soup_message_headers_get_one (file->headers, "Last-Modified");
  g_autoptr(SdTestReply) again = request (server, "GET", path, "If-None-Match", etag);
  g_autoptr(SdTestReply) since = request (server, "GET", path, "If-Modified-Since", modified);
  g_autoptr(SdTestReply) stale = request (server, "GET", path, "If-None-Match", "\"nope\"");
  g_autoptr(SdTestReply) traversal = get (server, "/uploads/..%2Fshop.db");
  g_autoptr(SdTestReply) dotfile = get (server, "/uploads/.hidden");
  g_autoptr(SdTestReply) none = get (server, "/uploads/nothing.png");

  g_assert_cmpuint (file->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (file->headers, NULL), ==, "image/png");
  g_assert_nonnull (etag);
  g_assert_nonnull (modified);
  g_assert_nonnull (strstr (soup_message_headers_get_one (file->headers, "Cache-Control"), "max-age"));
  g_assert_cmpuint (g_bytes_get_size (file->body), >, 100);
  g_assert_cmpuint (again->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (again->body), ==, 0);
  g_assert_cmpuint (since->status, ==, 304);
  g_assert_cmpuint (stale->status, ==, 200);
  /* libsoup itself answers 400 to an encoded slash; either way nothing is served. */
  g_assert_true (traversal->status == 400 || traversal->status == 404);
  g_assert_cmpuint (dotfile->status, ==, 404);
  g_assert_cmpuint (none->status, ==, 404);
}

static void
test_unknown_routes (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (FALSE);
  g_autoptr(SdTestReply) nothing = get (server, "/api/v1/nothing");
  g_autoptr(SdTestReply) root = get (server, "/");
  g_autoptr(SdTestReply) post = request (server, "POST", "/api/v1/products", NULL, NULL);

  assert_error_envelope (nothing, 404);
  assert_error_envelope (root, 404);
  assert_error_envelope (post, 405);
  g_assert_nonnull (soup_message_headers_get_one (post->headers, "Allow"));
}

static void
test_storage_and_seed_once (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdTestReply) before = get (server, "/api/v1/products");
  g_autoptr(SdTestReply) after = NULL;
  g_autofree char *users = NULL;
  g_autofree char *not_yescrypt = NULL;

  /* A second start with --demo on the same data does not seed twice. */
  sd_test_server_restart (server, TRUE);
  after = get (server, "/api/v1/products");
  g_assert_cmpuint (json_array_get_length (array_of (after)), ==,
                    json_array_get_length (array_of (before)));

  users = sd_test_server_query (server, "SELECT count(*) FROM users");
  g_assert_cmpstr (users, ==, "2");
  /* yescrypt hashes, never the password itself */
  not_yescrypt = sd_test_server_query (server, "SELECT count(*) FROM users WHERE password_hash NOT LIKE '$y$%'");
  g_assert_cmpstr (not_yescrypt, ==, "0");

  /* the file: migrated (later steps add to the version), written ahead */
  if (!sd_test_engine_is_pg ())
    {
      g_autofree char *version = sd_test_server_query (server, "PRAGMA user_version");
      g_autofree char *journal = sd_test_server_query (server, "PRAGMA journal_mode");

      g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), >=, 3);
      g_assert_cmpstr (journal, ==, "wal");
    }
}

/* --no-extensions answers like the original: whole lists, no paging
 * headers, a bare health reply without features. */
static void
test_no_extensions (void)
{
  const char *args[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, args);
  g_autoptr(SdTestReply) page = get (server, "/api/v1/products?page=1&limit=5&sort=bogus");
  g_autoptr(SdTestReply) health = get (server, "/health");
  JsonObject *h;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (page)), >=, 40);
  g_assert_null (soup_message_headers_get_one (page->headers, "X-Total-Count"));
  g_assert_null (soup_message_headers_get_one (page->headers, "Link"));
  g_assert_cmpuint (health->status, ==, 200);
  h = json_node_get_object (health->root);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (h, "status"), "OK"));
  g_assert_false (json_object_has_member (h, "data"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/shop-id", test_shop_id);
  g_test_add_func ("/server/empty-shop", test_empty_shop);
  g_test_add_func ("/server/categories", test_categories);
  g_test_add_func ("/server/products", test_products);
  g_test_add_func ("/server/product-and-option", test_product_and_option);
  g_test_add_func ("/server/paging", test_paging);
  g_test_add_func ("/server/search", test_search);
  g_test_add_func ("/server/uploads", test_uploads);
  g_test_add_func ("/server/unknown-routes", test_unknown_routes);
  g_test_add_func ("/server/storage-and-seed-once", test_storage_and_seed_once);
  g_test_add_func ("/server/no-extensions", test_no_extensions);
  return g_test_run ();
}
