/* test-core-catalog.c — libstoredesk's catalog and pictures against a real
 * storedesk-server, in both of its modes; a foreign SoupServer plays the
 * misbehaving or original-API backends. */
#include <libsoup/soup.h>
#include <locale.h>

#include "sd-api-private.h"
#include "sd-models-private.h"
#include <glib/gstdio.h>
#include <unistd.h>
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-core.h"

/* ---- against servers ------------------------------------------------ */

static void
test_server_down (void)
{
  g_autofree char *url = sd_test_dead_url ();
  g_autoptr(SdApi) api = sd_api_new (url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  Result r = { 0 };

  sd_api_check_health_async (api, NULL, health_cb, &r);
  sd_test_wait (&r.done);
  g_assert_false (r.ok);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  result_clear (&r);

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  g_assert_true (sd_catalog_get_loading (catalog));
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_assert_false (sd_catalog_get_loading (catalog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 0);
  result_clear (&r);
}

static void
test_demo_catalog (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdCategory) category = NULL;
  Result r = { 0 };
  guint n_all, n_cat;

  g_assert_false (sd_api_has_feature (api, "paging"));   /* not known before a check */
  sd_api_check_health_async (api, NULL, health_cb, &r);
  await_ok (&r);
  g_assert_true (r.ok);
  result_clear (&r);
  /* The original's /health lists no features (app.js:58-62). */
  g_assert_true (sd_api_has_feature (api, "paging") == (mode == SD_TEST_OURS));
  g_assert_true (sd_api_has_feature (api, "idempotency") == (mode == SD_TEST_OURS));

  sd_category_list_async (api, NULL, categories_cb, &r);
  await_ok (&r);
  g_assert_cmpuint (g_list_model_get_n_items (r.model), >=, 6);
  category = g_list_model_get_item (r.model, 1);
  result_clear (&r);

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  await_ok (&r);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_all, >=, 40);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (catalog)) == SD_TYPE_PRODUCT);
  result_clear (&r);

  sd_catalog_load_async (catalog, sd_category_get_id (category), NULL, catalog_cb, &r);
  await_ok (&r);
  n_cat = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_cat, >, 0);
  g_assert_cmpuint (n_cat, <, n_all);
  g_assert_cmpstr (sd_catalog_get_category_id (catalog), ==, sd_category_get_id (category));
  for (guint i = 0; i < n_cat; i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      g_assert_cmpstr (sd_product_get_category_id (p), ==, sd_category_get_id (category));
    }
  result_clear (&r);
}

static void
test_newer_load_wins (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  Result first = { 0 }, second = { 0 };

  sd_catalog_load_async (catalog, "000000000000000000000000", NULL, catalog_cb, &first);
  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &second);
  sd_test_wait (&first.done);
  sd_test_wait (&second.done);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (second.error);
  g_assert_null (sd_catalog_get_category_id (catalog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), >=, 40);
  result_clear (&first);
  result_clear (&second);
}

static void
test_thumbnail (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdProduct) product = NULL;
  Result r = { 0 };

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  sd_test_wait (&r.done);
  result_clear (&r);
  product = g_list_model_get_item (G_LIST_MODEL (catalog), 0);

  sd_api_load_image_async (api, sd_product_get_image (product), 64, NULL, image_cb, &r);
  await_ok (&r);
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (r.pixbuf), gdk_pixbuf_get_height (r.pixbuf)), ==, 64);
  result_clear (&r);

  sd_api_load_image_async (api, "uploads/missing.png", 64, NULL, image_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND);
  result_clear (&r);
}

/* Any entry besides the index in a cache folder under XDG_CACHE_HOME. */
static gboolean
cache_has_entry (gpointer unused)
{
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "storedesk", "http", NULL);
  g_autoptr(GDir) shops = g_dir_open (root, 0, NULL);
  const char *shop;

  while (shops && (shop = g_dir_read_name (shops)) != NULL)
    {
      g_autofree char *dir = g_build_filename (root, shop, NULL);
      g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
      const char *name;

      while (entries && (name = g_dir_read_name (entries)) != NULL)
        /* Not its index, nor a file still being written (GIO's
         * .goutputstream-…, renamed when done). */
        if (!g_str_has_prefix (name, "soup.") && name[0] != '.')
          return TRUE;
    }
  g_usleep (10 * 1000);
  return FALSE;
}

/* Pictures load once: with the shop gone, they still come from the disk
 * cache, also for a new SdApi (the cache index survives). */
typedef struct {
  gboolean done;
  goffset  bytes;
} SizeResult;

static void
size_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SizeResult *r = user_data;
  g_autoptr(GError) error = NULL;

  r->bytes = sd_api_get_picture_cache_size_finish (SD_API (source), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_api_clear_picture_cache_finish (SD_API (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_picture_cache (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) later = NULL;
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdProduct) product = NULL;
  g_autoptr(SdProduct) other = NULL;
  Result r = { 0 };

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  await_ok (&r);
  g_assert_true (sd_api_is_cache_ready (api));
  result_clear (&r);
  product = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
  other = g_list_model_get_item (G_LIST_MODEL (catalog), 1);

  sd_api_load_image_async (api, sd_product_get_image (product), 64, NULL, image_cb, &r);
  await_ok (&r);
  result_clear (&r);

  /* SoupCache writes an entry to disk in the background and serves it
   * once written: wait for that, as a user's second look would. */
  sd_test_wait_for (cache_has_entry, NULL);
  sd_test_wait_until (sd_test_nothing_pending, NULL, 5000);
  sd_test_server_kill (server);
  g_usleep (300 * 1000);

  sd_api_load_image_async (api, sd_product_get_image (product), 64, NULL, image_cb, &r);
  await_ok (&r);
  g_assert_nonnull (r.pixbuf);
  result_clear (&r);
  /* one never loaded is not there, of course */
  sd_api_load_image_async (api, sd_product_get_image (other), 64, NULL, image_cb, &r);
  sd_test_wait (&r.done);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  result_clear (&r);
  g_assert_false (sd_api_get_online (api));
  /* and a picture from the cache is no sign that the shop is back */
  sd_api_load_image_async (api, sd_product_get_image (product), 64, NULL, image_cb, &r);
  await_ok (&r);
  g_assert_false (sd_api_get_online (api));
  result_clear (&r);

  g_clear_object (&catalog);
  g_clear_object (&api);   /* writes the cache index */
  later = sd_api_new (server->url, NULL);
  sd_api_load_image_async (later, sd_product_get_image (product), 64, NULL, image_cb, &r);
  await_ok (&r);
  result_clear (&r);

  /* Cleared (with a picture request in flight, which finishes first):
   * the space is given back, and the picture is not there offline. */
  {
    SizeResult size = { 0 };
    gboolean cleared = FALSE;

    sd_api_get_picture_cache_size_async (later, NULL, size_cb, &size);
    sd_test_wait (&size.done);
    g_assert_cmpint (size.bytes, >, 0);
    sd_api_load_image_async (later, sd_product_get_image (product), 64, NULL, image_cb, &r);
    sd_api_clear_picture_cache_async (later, NULL, cleared_cb, &cleared);
    sd_test_wait (&r.done);
    g_assert_no_error (r.error);   /* the one in flight was served */
    result_clear (&r);
    sd_test_wait (&cleared);
    size = (SizeResult) { 0 };
    sd_api_get_picture_cache_size_async (later, NULL, size_cb, &size);
    sd_test_wait (&size.done);
    g_test_message ("picture cache after clearing: %" G_GOFFSET_FORMAT " bytes", size.bytes);
    g_assert_cmpint (size.bytes, <, 4096);   /* at most the index */
    sd_api_load_image_async (later, sd_product_get_image (product), 64, NULL, image_cb, &r);
    sd_test_wait (&r.done);
    g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
    result_clear (&r);
  }
}

static guint changed_at = G_MAXUINT;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  changed_at = position;
}

static gboolean
position_loaded (gpointer pos_and_catalog)
{
  gpointer *pc = pos_and_catalog;
  g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (pc[1]), GPOINTER_TO_UINT (pc[0]));
  return !sd_product_is_placeholder (p);
}

/* 10,000 products: the first page at once, the rest as asked for, and
 * only recently used pages kept. */
static void
test_catalog_lazy (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start_seeded (10000);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdProduct) first = NULL;
  g_autoptr(SdProduct) far = NULL;
  g_autoptr(SdProduct) loaded = NULL;
  Result r = { 0 };

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  await_ok (&r);
  result_clear (&r);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 10000);
  g_assert_cmpuint (sd_catalog_get_n_loaded (catalog), ==, 100);
  first = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
  g_assert_false (sd_product_is_placeholder (first));

  g_signal_connect (catalog, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  far = g_list_model_get_item (G_LIST_MODEL (catalog), 5000);
  g_assert_true (sd_product_is_placeholder (far));
  {
    gpointer pc[] = { GUINT_TO_POINTER (5000), catalog };
    sd_test_wait_for (position_loaded, pc);
  }
  g_assert_cmpuint (changed_at, ==, 5000);   /* one items-changed for that page */
  loaded = g_list_model_get_item (G_LIST_MODEL (catalog), 5000);
  g_assert_cmpstr (sd_product_get_name (loaded), ==, "벤치 상품 05000");

  /* Scroll through 60 pages: memory stays bounded. */
  for (guint page = 0; page < 60; page++)
    {
      gpointer pc[] = { GUINT_TO_POINTER (page * 150), catalog };
      g_autoptr(SdProduct) seen = g_list_model_get_item (G_LIST_MODEL (catalog), page * 150);
      sd_test_wait_for (position_loaded, pc);
    }
  g_assert_cmpuint (sd_catalog_get_n_loaded (catalog), <=, 30 * 100);
  g_signal_handlers_disconnect_by_func (catalog, items_changed_cb, NULL);

  /* Search and sort on the shop's side. */
  sd_catalog_load_query_async (catalog, NULL, "05000", NULL, NULL, catalog_cb, &r);
  await_ok (&r);
  result_clear (&r);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 1);
  sd_catalog_load_query_async (catalog, NULL, NULL, SD_SORT_PRICE_DESC, NULL, catalog_cb, &r);
  sd_test_wait (&r.done);
  result_clear (&r);
  {
    g_autoptr(SdProduct) a = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
    g_autoptr(SdProduct) b = g_list_model_get_item (G_LIST_MODEL (catalog), 99);
    g_assert_cmpint (sd_product_get_price (a), >=, sd_product_get_price (b));
  }
}

/* Against a server answering like the original API: health in its bare
 * shape, no features, and the catalog still complete (no paging). */
/* Search and sort: the shop's where it can ([ext] paging), done here
 * where it cannot (the original ignores the query), the same results. */
static void
test_search (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdTestReply) raw = sd_test_http (server, "GET", "/api/v1/products?q=%EB%B0%94%EA%B5%AC%EB%8B%88",
                                             NULL, NULL, NULL);
  JsonNode *listed = sd_test_data (raw, 200);
  guint n_all, n_found;
  Result r = { 0 };

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, &r);
  await_ok (&r);
  result_clear (&r);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_all, >=, 40);
  /* what each shop does with the query itself */
  if (mode == SD_TEST_ORIGINAL)
    g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, n_all);
  else
    g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), <, n_all);

  sd_catalog_load_query_async (catalog, NULL, "바구니", SD_SORT_PRICE, NULL, catalog_cb, &r);
  await_ok (&r);
  result_clear (&r);
  n_found = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (n_found, >=, 1);
  g_assert_cmpuint (n_found, <, n_all);
  for (guint i = 0; i < n_found; i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      g_assert_nonnull (strstr (sd_product_get_name (p), "바구니"));
    }
  sd_catalog_load_query_async (catalog, NULL, NULL, SD_SORT_PRICE, NULL, catalog_cb, &r);
  await_ok (&r);
  result_clear (&r);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, n_all);
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(SdProduct) a = g_list_model_get_item (G_LIST_MODEL (catalog), i - 1);
      g_autoptr(SdProduct) b = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      g_assert_cmpint (sd_product_get_price (a), <=, sd_product_get_price (b));
    }
}

/* A foreign backend in this process: the original API's quirks and a
 * few broken servers. */
static void
foreign_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
            GHashTable *query, gpointer user_data)
{
  if (g_str_equal (path, "/broken/api/v1/products"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":null,\"data\":[{\"_id\":", 29);
    }
  else if (g_str_equal (path, "/huge/api/v1/products"))
    {
      gsize size = SD_API_MAX_JSON_BYTES + 1024;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_equal (path, "/original/api/v1/products"))
    {
      /* No paging: the whole catalog, no X-Total-Count, whatever the query. */
      g_autoptr(GString) s = g_string_new ("{\"error\":null,\"data\":[");

      for (guint i = 0; i < 150; i++)
        g_string_append_printf (s, "%s{\"_id\":\"%024x\",\"name\":\"상품 %u\",\"price\":\"%u\"}",
                                i ? "," : "", i + 1, i, 1000 + i);
      g_string_append (s, "]}");
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, s->str, s->len);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static char *
start_foreign (SoupServer **out)
{
  g_autoptr(GError) error = NULL;
  SoupServer *soup = soup_server_new (NULL, NULL);
  GSList *uris;
  char *url;

  soup_server_add_handler (soup, NULL, foreign_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  *out = soup;
  return url;
}

static void
load_from (const char *base, const char *prefix, Result *r, SdCatalog **out_catalog)
{
  g_autofree char *url = g_strconcat (base, prefix, NULL);
  g_autoptr(SdApi) api = sd_api_new (url, NULL);
  SdCatalog *catalog = sd_catalog_new (api);

  sd_catalog_load_async (catalog, NULL, NULL, catalog_cb, r);
  sd_test_wait (&r->done);
  *out_catalog = catalog;
}

static void
test_foreign_servers (void)
{
  g_autoptr(SoupServer) soup = NULL;
  g_autofree char *base = start_foreign (&soup);
  g_autoptr(SdCatalog) broken = NULL, huge = NULL, original = NULL;
  Result r = { 0 };

  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  load_from (base, "/broken", &r, &broken);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_SERVER);
  result_clear (&r);

  load_from (base, "/huge", &r, &huge);
  g_assert_error (r.error, SD_API_ERROR, SD_API_ERROR_SERVER);
  result_clear (&r);

  /* The original API ignores ?page: everything arrives in one reply. */
  load_from (base, "/original", &r, &original);
  g_assert_no_error (r.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (original)), ==, 150);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  sd_test_core_init (&argc, &argv);
  g_test_add_func ("/core/server-down", test_server_down);
  /* The flows a shop without our extensions supports, against both
   * servers; the rest (catalog-lazy: server paging) are ours alone. */
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      static const struct { const char *path; GTestDataFunc func; } both[] = {
        { "/core/demo-catalog", test_demo_catalog },
        { "/core/search", test_search },
        { "/core/newer-load-wins", test_newer_load_wins },
        { "/core/thumbnail", test_thumbnail },
        { "/core/picture-cache", test_picture_cache },
      };

      for (guint i = 0; i < G_N_ELEMENTS (both); i++)
        {
          g_autofree char *path = sd_test_mode_path (both[i].path, mode);
          g_test_add_data_func (path, GINT_TO_POINTER (mode), both[i].func);
        }
    }
  g_test_add_func ("/core/catalog-lazy", test_catalog_lazy);
  g_test_add_func ("/core/foreign-servers", test_foreign_servers);
  return g_test_run ();
}
