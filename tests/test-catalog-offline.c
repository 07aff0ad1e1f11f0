/* test-catalog-offline.c — SdCatalog with a local store: the first page of
 * a known shop comes from disk before the shop answers, and stays when the
 * shop cannot be reached; a search shows the store's hits at once, then the
 * shop's. Real server, real SQLite files. */
#include <string.h>

#include "sd-test-http.h"

typedef struct {
  guint  total;
  char  *first_name;
} Known;

static gboolean
has_items (gpointer catalog)
{
  return g_list_model_get_n_items (catalog) > 0;
}

/* Loads the shop's catalog once with a store (of this test's shop key),
 * as a first start online would: what it showed. */
static Known
load_online (SdTestServer *server)
{
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdLocalStore) store = sd_local_store_new (g_test_get_path (), NULL);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) first = NULL;
  Known known;

  sd_catalog_set_local_store (catalog, store);
  sd_catalog_load_async (catalog, NULL, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_catalog_load_finish (catalog, sd_test_await (&r), &error));
  g_assert_no_error (error);
  known.total = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_assert_cmpuint (known.total, >, 0);
  first = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
  known.first_name = g_strdup (sd_product_get_name (first));
  sd_test_close_store (store);   /* after the page was kept: calls run in order */
  return known;
}

/* Shows what a catalog on url (a shop that never answers, or none) shows
 * from disk; checks it is the list known before. */
static void
assert_from_disk (SdCatalog *catalog, Known *known)
{
  g_autoptr(SdProduct) first = NULL;

  sd_test_wait_until (has_items, catalog, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, known->total);
  first = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
  g_assert_false (sd_product_is_placeholder (first));
  g_assert_cmpstr (sd_product_get_name (first), ==, known->first_name);
}

/* The shop takes the request and never answers: the list is there all
 * the same, while the load is still waiting for the shop. */
static void
test_before_the_shop_answers (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Known known = load_online (server);
  g_autofree char *url = NULL;
  g_autoptr(GSocket) silent = sd_test_loopback_socket (&url);
  g_autoptr(SdApi) api = NULL;
  g_autoptr(SdCatalog) catalog = NULL;
  g_autoptr(SdLocalStore) store = sd_local_store_new (g_test_get_path (), NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_listen (silent, NULL));   /* accepts, never reads */
  api = sd_api_new (url, NULL);
  catalog = sd_catalog_new (api);
  sd_catalog_set_local_store (catalog, store);
  sd_catalog_load_async (catalog, NULL, cancellable, sd_test_keep_result, &r);
  assert_from_disk (catalog, &known);
  g_assert_true (sd_catalog_get_loading (catalog));   /* no request has returned */
  g_assert_null (r);

  g_cancellable_cancel (cancellable);
  g_assert_false (sd_catalog_load_finish (catalog, sd_test_await (&r), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Still shown: a cancelled load leaves the list as it was. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, known.total);
  g_free (known.first_name);
}

/* Nothing listens: the load fails, and the list from disk stays; without
 * a store, nothing is shown (the store is what does it). */
static void
offline (gconstpointer with_store)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Known known = load_online (server);
  g_autofree char *url = sd_test_dead_url ();
  g_autoptr(SdApi) api = sd_api_new (url, NULL);
  g_autoptr(SdCatalog) catalog = sd_catalog_new (api);
  g_autoptr(SdLocalStore) store = sd_local_store_new (g_test_get_path (), NULL);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  if (with_store)
    sd_catalog_set_local_store (catalog, store);
  sd_catalog_load_async (catalog, NULL, NULL, sd_test_keep_result, &r);
  g_assert_false (sd_catalog_load_finish (catalog, sd_test_await (&r), &error));
  g_assert_nonnull (error);
  if (with_store)
    assert_from_disk (catalog, &known);
  else
    {
      sd_test_wait_until (sd_test_nothing_pending, NULL, 10000);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 0);
    }
  g_free (known.first_name);
}

/* The categories (the sidebar) of a known shop, also offline: the ones
 * the last list kept; a store that kept none says the shop's error. */
static GListModel *
list_categories (SdApi *api, SdLocalStore *store, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_category_list_kept_async (api, store, NULL, sd_test_keep_result, &r);
  return sd_category_list_finish (api, sd_test_await (&r), error);
}

static void
test_categories_kept (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, NULL);
  g_autoptr(SdLocalStore) store = sd_local_store_new (g_test_get_path (), NULL);
  g_autoptr(SdLocalStore) other = sd_local_store_new (g_test_get_path (), "someone-else");
  g_autoptr(GListModel) online = NULL;
  g_autoptr(GListModel) offline = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GError) error = NULL;

  online = list_categories (api, store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (online), >, 1);
  sd_test_server_kill (server);
  offline = list_categories (api, store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (offline), ==, g_list_model_get_n_items (online));
  for (guint i = 0; i < g_list_model_get_n_items (online); i++)
    {
      g_autoptr(SdCategory) a = g_list_model_get_item (online, i);
      g_autoptr(SdCategory) b = g_list_model_get_item (offline, i);

      g_assert_cmpstr (sd_category_get_name (a), ==, sd_category_get_name (b));
    }
  none = list_categories (api, other, &error);
  g_assert_null (none);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  sd_test_close_store (store);
  sd_test_close_store (other);
}

/* ---- search ---------------------------------------------------------- */

/* The catalog's product ids, in order, joined by commas. */
static char *
ids_shown (SdCatalog *catalog)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      g_string_append_printf (ids, "%s%s", i ? "," : "", sd_product_get_id (p));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The ids the shop finds for query, in its order. */
static char *
ids_found_by_shop (SdTestServer *server, const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/products?page=1&limit=100&q=%s", escaped);
  g_autoptr(SdTestReply) reply = sd_test_http (server, "GET", path, NULL, NULL, NULL);
  JsonArray *found = json_node_get_array (sd_test_data (reply, 200));
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (found); i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (found, i), "_id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static gboolean
shows_id (SdCatalog *catalog, const char *id)
{
  g_autofree char *shown = ids_shown (catalog);
  g_auto(GStrv) ids = g_strsplit (shown, ",", -1);

  return g_strv_contains ((const char * const *) ids, id);
}

/* A catalog on url, with this test's store, loading query. */
static SdCatalog *
search (const char *url, const char *query, GCancellable *cancellable, GAsyncResult **slot)
{
  g_autoptr(SdApi) api = sd_api_new (url, NULL);
  g_autoptr(SdLocalStore) store = sd_local_store_new (g_test_get_path (), NULL);
  SdCatalog *catalog = sd_catalog_new (api);

  sd_catalog_set_local_store (catalog, store);
  sd_catalog_load_sorted_async (catalog, NULL, query, SD_SORT_ORDER_SHOP, cancellable, sd_test_keep_result, slot);
  return catalog;
}

/* The store's hits show while the shop has not answered; the shop's
 * answer replaces them (its order, and a product it no longer has gone);
 * offline, the store's hits stay. */
static void
test_search (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  Known known = load_online (server);
  /* The first word of a name the store holds: several products have it. */
  g_auto(GStrv) words = g_strsplit (known.first_name, " ", 2);
  const char *query = words[0];
  g_autofree char *before = ids_found_by_shop (server, query);
  g_auto(GStrv) found = g_strsplit (before, ",", -1);
  g_autofree char *token = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *gone_path = g_strdup_printf ("/api/v1/admin/products/%s", found[0]);
  g_autofree char *silent_url = NULL, *dead_url = sd_test_dead_url ();
  g_autofree char *after = NULL, *shown = NULL;
  g_autoptr(GSocket) silent = sd_test_loopback_socket (&silent_url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SdCatalog) waiting = NULL, online = NULL, offline = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (found[0], !=, "");
  /* Before the shop answers: the store's hits, the product among them. */
  g_assert_true (g_socket_listen (silent, NULL));
  waiting = search (silent_url, query, cancellable, &r1);
  sd_test_wait_until (has_items, waiting, 10000);
  g_assert_true (sd_catalog_get_loading (waiting));
  g_assert_true (shows_id (waiting, found[0]));
  g_cancellable_cancel (cancellable);
  g_assert_false (sd_catalog_load_finish (waiting, sd_test_await (&r1), &error));
  g_clear_error (&error);

  /* The shop deletes it: its answer wins, in its order, without it. */
  {
    g_autoptr(SdTestReply) deleted = sd_test_http (server, "DELETE", gone_path, token, NULL, NULL);
    g_assert_cmpuint (deleted->status, ==, 204);
  }
  after = ids_found_by_shop (server, query);
  g_test_message ("“%s”: the shop found %s, then %s", query, before, after);
  online = search (server->url, query, NULL, &r2);
  g_assert_true (sd_catalog_load_finish (online, sd_test_await (&r2), &error));
  g_assert_no_error (error);
  shown = ids_shown (online);
  g_assert_cmpstr (shown, ==, after);
  g_assert_false (shows_id (online, found[0]));

  /* Offline: the store's hits (what the shop listed since among them). */
  offline = search (dead_url, query, NULL, &r3);
  g_assert_false (sd_catalog_load_finish (offline, sd_test_await (&r3), &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  sd_test_wait_until (has_items, offline, 10000);
  if (found[1])
    g_assert_true (shows_id (offline, found[1]));
  g_free (known.first_name);
}

int
main (int argc, char **argv)
{
  /* Fresh XDG dirs (not G_TEST_OPTION_ISOLATE_DIRS: it hides the system's
   * GSettings schemas, which libsoup's proxy resolver needs). */
  g_autofree char *home = sd_test_fresh_xdg_dirs ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog-offline/before-the-shop-answers", test_before_the_shop_answers);
  g_test_add_data_func ("/catalog-offline/offline", GINT_TO_POINTER (TRUE), offline);
  g_test_add_data_func ("/catalog-offline/without-store", NULL, offline);
  g_test_add_func ("/catalog-offline/categories-kept", test_categories_kept);
  g_test_add_func ("/catalog-offline/search", test_search);
  status = g_test_run ();
  sd_test_remove_tree (home);
  return status;
}
