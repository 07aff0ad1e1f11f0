/* test-formats.c — nothing a user has is lost across versions: what the
 * version before the redesign (issue 16) kept on this computer, as it
 * wrote it (tests/formats/v1/, made by tests/formats/make-v1.c with that
 * version's own code), is found and used by this one: the cart file, the
 * upload queue, the shop-ids file, the keyring's items (a remembered
 * sign-in, a guest's order key, an order record) and the settings' keys.
 *
 * The shop is a real storedesk-server given the id the old one had, so
 * that everything is found under the key it was filed under. The keyring
 * items are stored with the schemas, attributes and secret texts the old
 * version wrote; only the tokens and the guest's key, which are never
 * written to disk, come live from this server. */
#include <locale.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "sd-order-records-private.h"
#include "sd-shop-identity-private.h"
#include "sd-test-http.h"

#define CUSTOMER_EMAIL "customer@example.com"
#define CUSTOMER_PASSWORD "Customer1234!"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "formats", "v1", name, NULL);
}

static JsonObject *
read_keyring_fixture (JsonNode **out_root)
{
  g_autofree char *path = fixture ("keyring.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  *out_root = json_node_copy (json_parser_get_root (parser));
  return json_node_get_object (*out_root);
}

/* Copies the folder from into to (created), files only, one level deep
 * below it as the old version's folders are. */
static void
copy_tree (const char *from, const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (a, G_FILE_TEST_IS_DIR))
        {
          copy_tree (a, b);
          continue;
        }
      g_assert_true (g_file_get_contents (a, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (b, contents, length, NULL));
    }
}

/* The data folder as the old version left it; its upload queue (made
 * apart, under "waiting") under the shop's key, where it would have been. */
static void
put_old_files (const char *shop_id)
{
  g_autofree char *data = fixture ("data");
  g_autofree char *ours = g_build_filename (g_get_user_data_dir (), "storedesk", NULL);
  g_autofree char *waiting = g_build_filename (ours, "uploads", "waiting", NULL);
  g_autofree char *queue = sd_shop_uploads_path (shop_id);

  copy_tree (data, ours);
  g_assert_cmpint (g_rename (waiting, queue), ==, 0);
}

static char *
replace (const char *text, const char *const *pairs)
{
  g_autoptr(GString) s = g_string_new (text);

  for (; pairs[0] != NULL; pairs += 2)
    g_string_replace (s, pairs[0], pairs[1], 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Stores every item of keyring.json as it was, placeholders filled. */
static void
put_old_keyring_items (JsonObject *items, const char *const *pairs)
{
  g_autoptr(GList) schemas = json_object_get_members (items);

  for (GList *s = schemas; s != NULL; s = s->next)
    {
      JsonArray *list = json_object_get_array_member (items, s->data);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *item = json_array_get_object_element (list, i);
          JsonObject *attrs = json_object_get_object_member (item, "attributes");
          g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
          g_autoptr(GList) names = json_object_get_members (attrs);
          g_autofree char *label = replace (json_object_get_string_member (item, "label"), pairs);
          g_autofree char *secret = replace (json_object_get_string_member (item, "secret"), pairs);
          g_autoptr(GError) error = NULL;
          SecretSchema *schema;

          for (GList *n = names; n != NULL; n = n->next)
            {
              if (g_str_equal (n->data, "xdg:schema"))
                continue;
              g_hash_table_insert (types, n->data, GINT_TO_POINTER (SECRET_SCHEMA_ATTRIBUTE_STRING));
              g_hash_table_insert (attributes, g_strdup (n->data),
                                   replace (json_object_get_string_member (attrs, n->data), pairs));
            }
          schema = secret_schema_newv (s->data, SECRET_SCHEMA_NONE, types);
          secret_password_storev_sync (schema, attributes, SECRET_COLLECTION_DEFAULT, label, secret, NULL, &error);
          g_assert_no_error (error);
          secret_schema_unref (schema);
        }
    }
}

/* A guest's order placed at the server now: its id and key. */
static void
place_guest_order (SdTestServer *server, char **out_id, char **out_key)
{
  g_autoptr(SdTestReply) list = sd_test_http (server, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonArray *array = json_node_get_array (sd_test_data (list, 200));
  g_autofree char *body = sd_test_order_body (json_array_get_object_element (array, 0), "김하늘", "부산",
                                              "결제 완료");
  g_autoptr(SdTestReply) placed = sd_test_http (server, "POST", "/api/v1/orders", NULL, body, NULL);
  JsonObject *order = sd_test_data_object (placed, 201);

  *out_id = g_strdup (json_object_get_string_member (order, "_id"));
  *out_key = g_strdup (json_object_get_string_member (order, "accessKey"));
}

static gboolean
is_ready (gpointer shop)
{
  return sd_shop_get_ready (shop);
}

static gboolean
is_signed_in (gpointer shop)
{
  return sd_session_get_signed_in (sd_shop_get_session (shop));
}

static gboolean
has_two_lines (gpointer shop)
{
  return g_list_model_get_n_items (G_LIST_MODEL (sd_shop_get_cart (shop))) == 2;
}

/* The profile picture has gone (it leaves the list); the product's waits
 * for a staff sign-in (product images are staff work). */
static gboolean
queue_settled (gpointer shop)
{
  GListModel *queue = G_LIST_MODEL (sd_shop_get_uploads (shop));
  g_autoptr(SdUpload) upload = NULL;

  if (!sd_upload_queue_get_ready (SD_UPLOAD_QUEUE (queue)) || g_list_model_get_n_items (queue) != 1)
    return FALSE;
  upload = g_list_model_get_item (queue, 0);
  return sd_upload_get_target (upload) == SD_UPLOAD_TARGET_PRODUCT;
}

static void
assert_cart (SdCart *cart)
{
  g_autoptr(SdCartLine) first = NULL;
  g_autoptr(SdCartLine) second = NULL;

  first = g_list_model_get_item (G_LIST_MODEL (cart), 0);
  second = g_list_model_get_item (G_LIST_MODEL (cart), 1);
  g_assert_cmpstr (sd_cart_line_get_product_id (first), ==, "34e84e3c1a529bf639d1356d");
  g_assert_cmpstr (sd_cart_line_get_name (first), ==, "라탄 수납 바구니");
  g_assert_null (sd_cart_line_get_option (first));
  g_assert_cmpint (sd_cart_line_get_price (first), ==, 12000);
  g_assert_cmpuint (sd_cart_line_get_count (first), ==, 2);
  g_assert_cmpstr (sd_cart_line_get_name (second), ==, "접이식 패브릭 수납함");
  g_assert_cmpstr (sd_cart_line_get_option (second), ==, "그레이");
  g_assert_cmpint (sd_cart_line_get_price (second), ==, 8900);
  g_assert_cmpuint (sd_cart_line_get_count (second), ==, 1);
  g_assert_cmpint (sd_cart_get_total (cart), ==, 2 * 12000 + 8900 + SD_DELIVERY_FEE_DEFAULT);
}

static void
assert_guest_order_found (SdApi *api, const char *order_id)
{
  g_autoptr(SdApi) guest_api = sd_api_new (sd_api_get_base_url (api), NULL);
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = NULL;

  sd_api_identify_async (guest_api, NULL, sd_test_keep_result, &result);
  sd_api_identify_finish (guest_api, sd_test_await (&result), NULL);
  g_clear_object (&result);
  orders = sd_orders_new (guest_api);
  sd_orders_load_guest_async (orders, NULL, sd_test_keep_result, &result);
  g_assert_true (sd_orders_load_finish (orders, sd_test_await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (orders)), ==, 1);
  order = g_list_model_get_item (G_LIST_MODEL (orders), 0);
  g_assert_cmpstr (sd_order_get_id (order), ==, order_id);
}

static void
assert_order_record_found (SdApi *api)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) records = NULL;
  JsonObject *record;

  sd_order_records_list_async (api, "guest", NULL, sd_test_keep_result, &result);
  records = sd_order_records_list_finish (sd_test_await (&result), &error);
  g_assert_no_error (error);
  record = g_hash_table_lookup (records, "66b0c0ffee0000000000abcd");
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "memo"), ==, "경비실에 맡겨 주세요");
}

/* A user of the old version starts this one: signed in still, the same
 * cart, the waiting pictures sent (or kept with the reason), a guest's
 * order and an order record still theirs. */
static void
test_v1_upgrade (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *fixture_object;
  const char *shop_id;
  g_autoptr(SdTestServer) server = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *cookie = NULL, *access = NULL, *order_id = NULL, *order_key = NULL;
  g_autoptr(SdShop) shop = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus with a Secret Service (run through build-aux/run test)");
      return;
    }
  fixture_object = read_keyring_fixture (&root);
  shop_id = json_object_get_string_member (fixture_object, "shopId");

  /* The same shop, come back at another address. */
  server = sd_test_server_start (TRUE);
  /* (no INSERT OR REPLACE / ON CONFLICT: SQL both engines take) */
  sql = g_strdup_printf ("UPDATE meta SET value = '%s' WHERE key = 'shop-id'", shop_id);
  if (sd_test_server_run_sql (server, sql) == 0)
    {
      g_free (sql);
      sql = g_strdup_printf ("INSERT INTO meta (key, value) VALUES ('shop-id', '%s')", shop_id);
      g_assert_cmpint (sd_test_server_run_sql (server, sql), ==, 1);
    }
  sd_test_server_keep_port (server);
  sd_test_server_restart (server, TRUE);

  access = sd_test_sign_in (server, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &cookie);
  place_guest_order (server, &order_id, &order_key);
  put_old_files (shop_id);
  put_old_keyring_items (json_object_get_object_member (fixture_object, "items"),
                         (const char *const[]) { "@ACCESS@", access,
                                                 "@REFRESH@", cookie + strlen ("refreshToken="),
                                                 "@ORDER@", order_id, "@KEY@", order_key, NULL });

  shop = sd_shop_new ();
  g_assert_true (sd_shop_connect (shop, server->url, NULL, &error));
  g_assert_no_error (error);
  sd_test_wait_for (is_ready, shop);
  g_assert_cmpstr (sd_api_get_shop_key (sd_shop_get_api (shop)), ==, shop_id);

  sd_test_wait_for (is_signed_in, shop);
  g_assert_cmpstr (sd_session_get_email (sd_shop_get_session (shop)), ==, CUSTOMER_EMAIL);

  sd_test_wait_for (has_two_lines, shop);
  assert_cart (sd_shop_get_cart (shop));

  sd_test_wait_for (queue_settled, shop);
  {
    g_autoptr(SdUpload) waiting = g_list_model_get_item (G_LIST_MODEL (sd_shop_get_uploads (shop)), 0);
    g_autoptr(SdTestReply) me = sd_test_http (server, "GET", "/api/v1/auth/me", access, NULL, NULL);
    JsonObject *user = sd_test_data_object (me, 200);

    g_assert_cmpint (sd_upload_get_state (waiting), ==, SD_UPLOAD_WAITING);
    g_assert_cmpstr (sd_upload_get_product_id (waiting), ==, "34e84e3c1a529bf639d1356d");
    g_assert_cmpstr (sd_upload_get_content_type (waiting), ==, "image/jpeg");
    g_assert_cmpuint (sd_upload_get_size (waiting), ==, 312);
    g_assert_cmpstr (json_object_get_string_member (user, "profileImage"), !=, "");
  }

  /* The record first: a guest's orders, listed, forget the records of
   * orders the shop no longer has (this one was made up by make-v1.c). */
  assert_order_record_found (sd_shop_get_api (shop));
  assert_guest_order_found (sd_shop_get_api (shop), order_id);
}

/* ---- settings --------------------------------------------------------- */

typedef struct {
  GHashTable *types;     /* key name → type string */
  GHashTable *defaults;  /* key name → default text */
  char       *key;
  gboolean    in_default;
} SchemaFile;

static void
schema_start (GMarkupParseContext *context, const char *element, const char **names, const char **values,
              gpointer user_data, GError **error)
{
  SchemaFile *f = user_data;

  if (g_str_equal (element, "key"))
    {
      const char *name = NULL, *type = NULL;

      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "name"))
          name = values[i];
        else if (g_str_equal (names[i], "type"))
          type = values[i];
      g_assert_nonnull (name);
      g_assert_nonnull (type);
      g_free (f->key);
      f->key = g_strdup (name);
      g_hash_table_insert (f->types, g_strdup (name), g_strdup (type));
    }
  f->in_default = g_str_equal (element, "default");
}

static void
schema_text (GMarkupParseContext *context, const char *text, gsize length, gpointer user_data, GError **error)
{
  SchemaFile *f = user_data;

  if (f->in_default && f->key != NULL)
    g_hash_table_insert (f->defaults, g_strdup (f->key), g_strndup (text, length));
}

static void
schema_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  ((SchemaFile *) user_data)->in_default = FALSE;
}

/* Every setting the old version kept is still a key of the same type,
 * and the value it may hold (its old default at least) is still in range:
 * GSettings keeps a user's value only under those conditions. */
static void
test_v1_settings (void)
{
  static const GMarkupParser parser = { schema_start, schema_end, schema_text, NULL, NULL };
  g_autofree char *path = fixture ("io.github.storedesk.Storedesk.gschema.xml");
  g_autofree char *text = NULL;
  SchemaFile f = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                   g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), NULL, FALSE };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GHashTableIter iter;
  gpointer name, type;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_markup_parse_context_parse (context, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (f.types), >, 0);

  source = g_settings_schema_source_new_from_directory (g_getenv ("GSETTINGS_SCHEMA_DIR"), NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "io.github.storedesk.Storedesk", FALSE);
  g_assert_nonnull (schema);

  g_hash_table_iter_init (&iter, f.types);
  while (g_hash_table_iter_next (&iter, &name, &type))
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) old_default = NULL;

      if (!g_settings_schema_has_key (schema, name))
        g_error ("the setting “%s” the old version kept is gone", (char *) name);
      key = g_settings_schema_get_key (schema, name);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)), ==, type);
      old_default = g_variant_parse (G_VARIANT_TYPE (type), g_hash_table_lookup (f.defaults, name), NULL, NULL,
                                     &error);
      g_assert_no_error (error);
      if (!g_settings_schema_key_range_check (key, old_default))
        g_error ("the setting “%s” no longer takes the old default", (char *) name);
    }
  g_hash_table_unref (f.types);
  g_hash_table_unref (f.defaults);
  g_free (f.key);
}

int
main (int argc, char **argv)
{
  /* A data folder of its own: the old files go there, and the shop-ids
   * file is shared by every test program of a run otherwise. */
  g_autofree char *data = g_dir_make_tmp ("storedesk-formats-XXXXXX", NULL);
  g_autofree char *remove = g_strdup_printf ("rm -rf '%s'", data);
  int rc;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/v1/upgrade", test_v1_upgrade);
  g_test_add_func ("/formats/v1/settings", test_v1_settings);
  rc = g_test_run ();
  g_assert_cmpint (system (remove), ==, 0);
  return rc;
}
