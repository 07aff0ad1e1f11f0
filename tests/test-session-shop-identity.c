/* test-session-shop-identity.c — a shop is known by its identity, not its
 * URL: the keyring's copies, the cart and the guests' keys follow a shop
 * that moved to a new port, restarted, or is recalled (issue 12). */
#include <libsecret/secret.h>
#include <locale.h>
#include <string.h>

#include "sd-api-private.h"
#include "sd-keyring-private.h"
#include "sd-models-private.h"
#include "sd-shop-identity-private.h"
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-session.h"

#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

/* ---- shop identity ---------------------------------------------------------- */

static SdProduct *
product (const char *id)
{
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"%s\",\"categoryId\":\"c1\",\"name\":\"바구니\",\"brand\":\"b\","
                                           "\"price\":12000,\"image\":\"\",\"description\":\"\"}", id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return sd_product_new_from_json (node, NULL);
}

static gboolean
cart_saved (gpointer cart)
{
  return !sd_cart_get_saving (cart);
}

static SdCart *
load_cart (SdApi *api)
{
  SdCart *cart = sd_cart_new (sd_api_get_shop_key (api));
  Result r = { 0 };

  sd_cart_load_async (cart, NULL, bool_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  return cart;
}

static void
put_in_cart (SdApi *api, const char *product_id)
{
  g_autoptr(SdCart) cart = load_cart (api);
  g_autoptr(SdProduct) p = product (product_id);

  sd_cart_add (cart, p, NULL, 1);
  sd_test_wait_for (cart_saved, cart);
}

static gboolean
cart_has (SdCart *cart, const char *product_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cart)); i++)
    {
      g_autoptr(SdCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);

      if (g_str_equal (sd_cart_line_get_product_id (line), product_id))
        return TRUE;
    }
  return FALSE;
}

static void
keep_guest_key (const char *shop, const char *order, const char *key)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (sd_guest_order_schema (), SECRET_COLLECTION_DEFAULT, "test guest order",
                                             key, NULL, &error, "shop", shop, "order", order, NULL));
  g_assert_no_error (error);
}

static char *
guest_key (const char *shop, const char *order)
{
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_sync (sd_guest_order_schema (), NULL, &error, "shop", shop, "order", order, NULL);

  g_assert_no_error (error);
  return key;
}

/* A shop first known by its address shows an id: the cart, the guests'
 * keys, the session and the upload queue move to the id, merged with
 * what the id had; a clash keeps both. */
static void
test_shop_migration (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) raw = NULL;
  g_autoptr(SdApi) before = NULL, after = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *url_key = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *uploads = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k3_old = NULL, *session_text = NULL;

  if (!need_keyring ())
    return;
  raw = sd_test_raw_start (original_cb, o);
  before = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (before);
  url_key = g_strdup (sd_api_get_shop_key (before));
  g_assert_cmpstr (url_key, ==, sd_test_raw_get_url (raw));

  /* Kept under the address. */
  put_in_cart (before, "p-address");
  keep_guest_key (url_key, "o1", "key-1");
  keep_guest_key (url_key, "o3", "key-3-address");
  g_assert_true (secret_password_store_sync (schema (), SECRET_COLLECTION_DEFAULT, "test session",
                                             "{\"email\":\"x\",\"refreshToken\":\"r\",\"accessToken\":\"\"}",
                                             NULL, NULL, "shop", url_key, NULL));
  uploads = sd_shop_uploads_path (url_key);
  g_assert_cmpint (g_mkdir_with_parents (uploads, 0700), ==, 0);
  {
    g_autofree char *f = g_build_filename (uploads, "u1.json", NULL);
    g_assert_true (g_file_set_contents (f, "{}", -1, NULL));
  }
  /* And already under the id (another computer's start, say). */
  {
    g_autoptr(SdCart) id_cart = sd_cart_new (id);
    g_autoptr(SdProduct) p = product ("p-id");
    Result r = { 0 };

    sd_cart_load_async (id_cart, NULL, bool_cb, &r);
    sd_test_wait (&r.done);
    sd_cart_add (id_cart, p, NULL, 1);
    sd_test_wait_for (cart_saved, id_cart);
  }
  keep_guest_key (id, "o2", "key-2");
  keep_guest_key (id, "o3", "key-3-id");

  /* Now the shop gives its id. */
  g_mutex_lock (&o->lock);
  o->shop_id = g_strdup (id);
  g_mutex_unlock (&o->lock);
  after = sd_api_new (sd_test_raw_get_url (raw), NULL);
  identify (after);
  g_assert_cmpstr (sd_api_get_shop_key (after), ==, id);

  cart = load_cart (after);
  g_assert_true (cart_has (cart, "p-address"));
  g_assert_true (cart_has (cart, "p-id"));
  {
    g_autofree char *old_cart = sd_shop_cart_path (url_key);
    g_assert_false (g_file_test (old_cart, G_FILE_TEST_EXISTS));
  }
  k1 = guest_key (id, "o1");
  k2 = guest_key (id, "o2");
  k3 = guest_key (id, "o3");
  k3_old = guest_key (url_key, "o3");
  g_assert_cmpstr (k1, ==, "key-1");
  g_assert_cmpstr (k2, ==, "key-2");
  /* Two keys for one order: neither is lost. */
  g_assert_cmpstr (k3, ==, "key-3-id");
  g_assert_cmpstr (k3_old, ==, "key-3-address");
  g_free (k1);
  k1 = guest_key (url_key, "o1");
  g_assert_null (k1);
  session_text = keyring_lookup (id);
  g_assert_nonnull (session_text);
  g_clear_pointer (&session_text, g_free);
  session_text = keyring_lookup (url_key);
  g_assert_null (session_text);
  {
    g_autofree char *new_uploads = sd_shop_uploads_path (id);
    moved = g_build_filename (new_uploads, "u1.json", NULL);
  }
  g_assert_true (g_file_test (moved, G_FILE_TEST_EXISTS));
}

/* The same shop (its id) on another port keeps the cart and the guests'
 * keys; and when it does not answer, the id it gave last time there. */
static void
test_shop_new_port (void)
{
  g_autoptr(Original) o = original_new ();
  g_autoptr(SdTestRaw) first = NULL, second = NULL;
  g_autoptr(SdApi) a = NULL, b = NULL, c = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *key = NULL;
  g_autofree char *second_url = NULL;

  if (!need_keyring ())
    return;
  o->shop_id = g_strdup (id);
  first = sd_test_raw_start (original_cb, o);
  a = sd_api_new (sd_test_raw_get_url (first), NULL);
  identify (a);
  g_assert_cmpstr (sd_api_get_shop_key (a), ==, id);
  put_in_cart (a, "p1");
  keep_guest_key (sd_api_get_shop_key (a), "o1", "key-1");
  sd_test_raw_stop (g_steal_pointer (&first));

  second = sd_test_raw_start (original_cb, o);
  second_url = g_strdup (sd_test_raw_get_url (second));
  b = sd_api_new (second_url, NULL);
  identify (b);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, id);
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p1"));
  key = guest_key (sd_api_get_shop_key (b), "o1");
  g_assert_cmpstr (key, ==, "key-1");

  /* Not answering there: still the id. */
  sd_test_raw_stop (g_steal_pointer (&second));
  c = sd_api_new (second_url, NULL);
  identify (c);
  g_assert_cmpstr (sd_api_get_shop_key (c), ==, id);
}

/* The demo shop restarted on another port with the same data: keyed by
 * its id when it gives one (the same id: the cart is kept); until it
 * does, by its address. */
static void
test_shop_demo_restart (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) a = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) b = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *first_key = NULL;
  g_autofree char *first_url = g_strdup (server->url);

  identify (a);
  first_key = g_strdup (sd_api_get_shop_key (a));
  put_in_cart (a, "p-demo");
  sd_test_server_kill (server);
  sd_test_server_restart (server, TRUE);   /* a new port */
  b = sd_api_new (server->url, NULL);
  identify (b);
  /* storedesk-server says its shopId: the key is the shop, not the port. */
  g_assert_cmpstr (first_key, !=, first_url);
  g_assert_cmpstr (server->url, !=, first_url);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, first_key);
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p-demo"));
}

typedef struct {
  gboolean done;
  gboolean known;
} Recall;

static void
recall_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Recall *r = user_data;
  g_autoptr(GError) error = NULL;

  r->known = sd_api_recall_finish (SD_API (source), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

static gboolean
recall (SdApi *api)
{
  Recall r = { 0 };

  sd_api_recall_async (api, NULL, recall_cb, &r);
  sd_test_wait (&r.done);
  return r.known;
}

/* A start remembers, with no request, what a shop seen here before was:
 * its key (so the cart and keys are found while the shop does not answer)
 * and its features (so the fallbacks are right before the first call); a
 * shop never seen is not made up. */
static void
test_shop_recall (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_autoptr(SdTestServer) server = sd_test_server_start_mode (mode);
  g_autoptr(SdApi) a = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) b = NULL, fresh = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autofree char *key = NULL, *dead = sd_test_dead_url ();

  if (!need_keyring ())
    return;
  fresh = sd_api_new (dead, NULL);
  g_assert_false (recall (fresh));
  g_assert_null (sd_api_get_features (fresh));

  identify (a);
  key = g_strdup (sd_api_get_shop_key (a));
  put_in_cart (a, "p-known");
  /* The shop stops answering; the app starts again. */
  sd_test_server_kill (server);
  b = sd_api_new (server->url, NULL);
  g_assert_true (recall (b));
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, key);
  g_assert_nonnull (sd_api_get_features (b));
  if (mode == SD_TEST_OURS)
    {
      g_assert_cmpstr (key, !=, server->url);
      g_assert_true (sd_api_has_feature (b, "paging"));
      g_assert_false (sd_api_is_original (b));
    }
  else
    g_assert_true (sd_api_is_original (b));
  cart = load_cart (b);
  g_assert_true (cart_has (cart, "p-known"));
  /* Not answering: identifying keeps what was recalled. */
  identify (b);
  g_assert_cmpstr (sd_api_get_shop_key (b), ==, key);
  g_assert_nonnull (sd_api_get_features (b));
}

/* A shop-ids file as the previous version wrote it (ids only, no
 * features): still read; the shop is identified first, then recalled. */
static void
test_shop_ids_old_file (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) first = sd_api_new (server->url, NULL);
  g_autoptr(SdApi) later = NULL, again = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "storedesk", "shop-ids", NULL);
  g_autofree char *old = NULL, *key = NULL;
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = sd_shop_origin_key (uri);

  if (!need_keyring ())
    return;
  identify (first);
  key = g_strdup (sd_api_get_shop_key (first));
  old = g_strdup_printf ("[shop-ids]\n%s=%s\n", origin, key);
  g_assert_true (g_file_set_contents (path, old, -1, NULL));

  later = sd_api_new (server->url, NULL);
  g_assert_false (recall (later));
  identify (later);
  g_assert_cmpstr (sd_api_get_shop_key (later), ==, key);
  again = sd_api_new (server->url, NULL);
  g_assert_true (recall (again));
  g_assert_cmpstr (sd_api_get_shop_key (again), ==, key);
  g_assert_true (sd_api_has_feature (again, "paging"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/shop-identity/migration", test_shop_migration);
  g_test_add_func ("/session/shop-identity/new-port", test_shop_new_port);
  g_test_add_func ("/session/shop-identity/demo-restart", test_shop_demo_restart);
  g_test_add_data_func ("/session/shop-identity/recall", GINT_TO_POINTER (SD_TEST_OURS), test_shop_recall);
  g_test_add_data_func ("/session/shop-identity/recall/original", GINT_TO_POINTER (SD_TEST_ORIGINAL), test_shop_recall);
  g_test_add_func ("/session/shop-identity/old-ids-file", test_shop_ids_old_file);
  return g_test_run ();
}
