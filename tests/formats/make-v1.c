/* make-v1.c — writes tests/formats/v1/: what Storedesk keeps for a user,
 * as the version before the redesign of issue 16 wrote it (commit
 * ebaa4e9). Not built by this tree: it is compiled against that commit's
 * core and test helpers, in its own checkout, and run once in a sandbox
 * (private keyring) — see tests/formats/README.md. Kept so that the
 * fixtures can be made again, or for the next version, the same way.
 *
 * What it does, with that version's own code against its own server:
 * signs in the demo customer (the keyring's Session item), fills the cart
 * (the cart file), places a guest order (the GuestOrder key), keeps an
 * order record (the OrderRecord item), queues two prepared pictures while
 * the shop cannot be reached (the upload queue), and learns the shop's id
 * (the shop-ids file). Then it copies $XDG_DATA_HOME/storedesk and dumps
 * the keyring items (the tokens replaced by @ACCESS@ and @REFRESH@, the
 * guest order's id and key by @ORDER@ and @KEY@: a token or a key is
 * never written to disk; the test puts live ones from its own server). */
#include "storedesk.h"
#include "sd-api-private.h"
#include "sd-order-records-private.h"
#include "sd-test-util.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

typedef struct { gboolean done; GAsyncResult *result; } Wait;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->result = g_object_ref (result);
  w->done = TRUE;
}

static GAsyncResult *
await (Wait *w)
{
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

static char *guest_order_id, *guest_order_key;

static void
dump_schema (JsonBuilder *b, const char *schema_name, const char *access, const char *refresh)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  g_hash_table_insert (attributes, (gpointer) "xdg:schema", (gpointer) schema_name);
  items = secret_service_search_sync (NULL, NULL, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;
      g_autoptr(GHashTable) attrs = secret_item_get_attributes (item);
      g_autoptr(SecretValue) value = secret_item_get_secret (item);
      g_autofree char *label = secret_item_get_label (item);
      g_autoptr(GString) text = g_string_new (secret_value_get_text (value));
      GHashTableIter iter;
      gpointer k, v;

      if (access != NULL)
        g_string_replace (text, access, "@ACCESS@", 0);
      if (refresh != NULL)
        g_string_replace (text, refresh, "@REFRESH@", 0);
      g_string_replace (text, guest_order_key, "@KEY@", 0);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      {
        g_autoptr(GString) l = g_string_new (label);
        g_string_replace (l, guest_order_id, "@ORDER@", 0);
        json_builder_add_string_value (b, l->str);
      }
      json_builder_set_member_name (b, "attributes");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&iter, attrs);
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          json_builder_set_member_name (b, k);
          json_builder_add_string_value (b, g_str_equal (v, guest_order_id) ? "@ORDER@" : v);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "secret");
      json_builder_add_string_value (b, text->str);
      json_builder_end_object (b);
    }
  g_list_free_full (items, g_object_unref);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *out = argv[1];
  SdTestServer *server = sd_test_server_start (TRUE);
  g_autoptr(SdApi) api = sd_api_new (server->url, &error);
  g_autoptr(SdApi) guest_api = sd_api_new (server->url, &error);
  g_autoptr(SdSession) session = NULL;
  g_autoptr(SdCatalog) catalog = NULL;
  g_autoptr(SdCart) cart = NULL;
  g_autoptr(SdCart) guest_cart = NULL;
  g_autoptr(SdProduct) first = NULL, with_option = NULL;
  g_autofree char *access = NULL, *refresh = NULL;
  Wait w = { 0 };

  g_assert_nonnull (out);
  sd_api_identify_async (api, NULL, done_cb, &w);
  sd_api_identify_finish (api, await (&w), NULL);
  w = (Wait) { 0 };
  sd_api_identify_async (guest_api, NULL, done_cb, &w);
  sd_api_identify_finish (guest_api, await (&w), NULL);

  /* The customer, remembered. */
  session = sd_session_new (api);
  w = (Wait) { 0 };
  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, done_cb, &w);
  g_assert_true (sd_session_sign_in_finish (session, await (&w), &error));
  g_assert_no_error (error);
  while (!sd_session_get_remembered (session))
    g_main_context_iteration (NULL, TRUE);
  access = g_strdup (sd_api_get_access_token (api));
  refresh = g_strdup (sd_api_get_refresh_token (api));

  /* The catalog's first product, and the first with an option. */
  catalog = sd_catalog_new (api);
  w = (Wait) { 0 };
  sd_catalog_load_async (catalog, NULL, NULL, done_cb, &w);
  g_assert_true (sd_catalog_load_finish (catalog, await (&w), &error));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      if (first == NULL)
        first = g_object_ref (p);
      else if (with_option == NULL && sd_product_get_option (p) != NULL)
        with_option = g_object_ref (p);
    }
  g_assert_nonnull (with_option);

  /* The member's cart (their shop's cart file). */
  cart = sd_cart_new (sd_api_get_shop_key (api));
  w = (Wait) { 0 };
  sd_cart_load_async (cart, NULL, done_cb, &w);
  sd_cart_load_finish (cart, await (&w), NULL);
  sd_cart_add (cart, first, NULL, 2);
  {
    SdOption *o = sd_product_get_option (with_option);
    sd_cart_add (cart, with_option, sd_option_get_values (o)[0], 1);
  }
  while (sd_cart_get_saving (cart))
    g_main_context_iteration (NULL, TRUE);

  /* A guest's order (its key in the keyring), from a cart of its own file. */
  {
    g_autoptr(GFile) f = g_file_new_for_path ("/tmp/make-v1-guest-cart.json");
    g_autoptr(SdCheckout) checkout = NULL;
    g_autoptr(SdOrder) order = NULL;

    guest_cart = sd_cart_new_for_file (f);
    sd_cart_add (guest_cart, first, NULL, 1);
    checkout = sd_checkout_new (guest_api, guest_cart);
    sd_checkout_set_receiver (checkout, "김하늘", "010-1234-5678", "부산시 해운대구 1", "101호");
    sd_checkout_set_memo (checkout, "문 앞에 놓아 주세요");
    w = (Wait) { 0 };
    sd_checkout_submit_async (checkout, NULL, done_cb, &w);
    order = sd_checkout_submit_finish (checkout, await (&w), &error);
    g_assert_no_error (error);
    guest_order_id = g_strdup (sd_order_get_id (order));
    guest_order_key = g_strdup (sd_order_get_access_key (order));
  }

  /* An order record as kept for a shop without our extensions. */
  {
    g_autoptr(JsonNode) record = json_from_string (
      "{\"id\":\"66b0c0ffee0000000000abcd\",\"memo\":\"경비실에 맡겨 주세요\","
      "\"receiver\":{\"name\":\"이서준\",\"phoneNumber\":\"010-9876-5432\",\"address\":\"서울시 마포구 2\","
      "\"addressDetail\":\"3층\"},\"lines\":[{\"id\":\"p1\",\"name\":\"꿀 세트\",\"count\":2,"
      "\"option\":\"500g\",\"price\":12000,\"image\":\"/images/p1.jpg\"}]}", NULL);
    w = (Wait) { 0 };
    sd_order_records_store_async (api, "guest", record, NULL, done_cb, &w);
    g_assert_true (sd_order_records_store_finish (await (&w), &error));
  }

  /* Two pictures waiting: the shop is gone before they can go. */
  {
    g_autofree char *dead = sd_test_dead_url ();
    g_autoptr(SdApi) dead_api = sd_api_new (dead, NULL);
    g_autoptr(SdSession) dead_session = sd_session_new (dead_api);
    g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "storedesk", "uploads",
                                                "waiting", NULL);
    g_autoptr(GFile) dir = g_file_new_for_path (folder);
    g_autoptr(SdUploadQueue) queue = sd_upload_queue_new_in (dead_session, dir);
    g_autoptr(GFile) photo = g_file_new_for_path (argv[2]);
    g_autoptr(SdUpload) a = NULL, b = NULL;

    while (!sd_upload_queue_get_ready (queue))
      g_main_context_iteration (NULL, TRUE);
    w = (Wait) { 0 };
    sd_upload_queue_add_file_async (queue, photo, NULL, SD_UPLOAD_TARGET_PRODUCT, sd_product_get_id (first),
                                    NULL, done_cb, &w);
    a = sd_upload_queue_add_finish (queue, await (&w), &error);
    g_assert_no_error (error);
    w = (Wait) { 0 };
    sd_upload_queue_add_file_async (queue, photo, NULL, SD_UPLOAD_TARGET_PROFILE, NULL, NULL, done_cb, &w);
    b = sd_upload_queue_add_finish (queue, await (&w), &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;
    g_autofree char *path = g_build_filename (out, "keyring.json", NULL);
    g_autofree char *cmd = NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "shopId");
    json_builder_add_string_value (b, sd_api_get_shop_key (api));
    json_builder_set_member_name (b, "items");
    json_builder_begin_object (b);
    for (const char *const *s = (const char *const[]) { "io.github.storedesk.Storedesk.Session",
                                                         "io.github.storedesk.Storedesk.GuestOrder",
                                                         "io.github.storedesk.Storedesk.OrderRecord", NULL };
         *s != NULL; s++)
      {
        json_builder_set_member_name (b, *s);
        json_builder_begin_array (b);
        dump_schema (b, *s, access, refresh);
        json_builder_end_array (b);
      }
    json_builder_end_object (b);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    text = json_to_string (root, TRUE);
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    cmd = g_strdup_printf ("cp -r '%s/storedesk' '%s/data'", g_get_user_data_dir (), out);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  sd_test_server_free (server);
  return 0;
}
