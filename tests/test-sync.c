/* test-sync.c — SdSync against a real storedesk-server and real queue
 * files: edits made while the shop is down land when it is back, in order
 * and once each; an edit of a record changed at the shop meanwhile waits
 * as a conflict, and each resolution does what it says; an app killed
 * while it replays loses nothing and sends nothing twice. Also against a
 * shop without conditional writes (--no-extensions: the original's
 * rules), where a fresh read stands in for If-Match. */
#include <string.h>
#include <unistd.h>

#include "sd-test-api.h"
#include "sd-test-util.h"

#define WAIT_MS 30000

static char *xdg;

typedef struct {
  SdTestServer *server;
  SdApi        *api;
  SdSession    *session;
  SdLocalStore *store;
  SdSync       *sync;
  char         *admin;       /* an admin's token, for the test's own calls */
  GPtrArray    *landed;      /* the titles of the edits landed, in order */
} Fixture;

static void
landed_cb (SdSync *sync, SdSyncItem *item, GObject *record, gpointer user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->landed, g_strdup (sd_sync_item_get_title (item)));
}

static gboolean
loaded (gpointer sync)
{
  return sd_sync_get_loaded (sync);
}

static void
open_sync (Fixture *f)
{
  f->store = sd_local_store_new (f->server->url, "admin");
  f->sync = sd_sync_new (f->api, f->store);
  g_signal_connect (f->sync, "landed", G_CALLBACK (landed_cb), f);
  sd_test_wait_until (loaded, f->sync, WAIT_MS);
}

static void
close_sync (Fixture *f)
{
  g_clear_object (&f->sync);
  sd_test_close_store (f->store);
  g_clear_object (&f->store);
}

static void
fixture_init (Fixture *f, const char * const *args)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  f->server = args ? sd_test_server_start_with (TRUE, args) : sd_test_server_start (TRUE);
  sd_test_server_keep_port (f->server);
  f->admin = admin_token (f->server);
  f->api = sd_api_new (f->server->url, NULL);
  f->session = sd_session_new (f->api);
  sd_session_sign_in_async (f->session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (f->session, sd_test_await (&r), &error));
  g_assert_no_error (error);
  f->landed = g_ptr_array_new_with_free_func (g_free);
  open_sync (f);
}

static void
fixture_clear (Fixture *f)
{
  close_sync (f);
  g_clear_object (&f->session);
  g_clear_object (&f->api);
  g_clear_pointer (&f->server, sd_test_server_free);
  g_clear_pointer (&f->admin, g_free);
  g_clear_pointer (&f->landed, g_ptr_array_unref);
}

/* ---- the shop's records, as the app would hold them ------------------- */

/* The product or order of id as the staff's list has it, through the core. */
static SdProduct *
read_product (Fixture *f, const char *id)
{
  g_autoptr(SdAdmin) admin = sd_admin_new (f->api);

  return sd_test_admin_product (admin, id);
}

static SdOrder *
read_order (Fixture *f, const char *id)
{
  g_autoptr(SdAdmin) admin = sd_admin_new (f->api);

  return sd_test_admin_order (admin, id);
}

static char *
first_product_id (Fixture *f)
{
  g_autoptr(SdTestReply) r = sd_test_http (f->server, "GET", "/api/v1/products", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (r, 200));

  return g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0), "_id"));
}

/* A member of the product as the shop has it now. */
static JsonNode *
product_member (Fixture *f, const char *id, const char *member)
{
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (f->server, "GET", path, NULL, NULL, NULL);

  return json_node_copy (json_object_get_member (sd_test_data_object (r, 200), member));
}

static gint64
product_int (Fixture *f, const char *id, const char *member)
{
  g_autoptr(JsonNode) n = product_member (f, id, member);
  return json_node_get_int (n);
}

static char *
product_text (Fixture *f, const char *id, const char *member)
{
  g_autoptr(JsonNode) n = product_member (f, id, member);
  return g_strdup (json_node_get_string (n));
}

/* ---- edits ---------------------------------------------------------------- */

static SdProductFields
unchanged (void)
{
  SdProductFields fields = { 0 };

  fields.price = -1;
  fields.stock = -2;
  return fields;
}

/* Submits and awaits the first outcome: the record, or NULL and error. */
static gpointer
await_edit (Fixture *f, GAsyncResult **slot, GError **error)
{
  return sd_sync_finish (f->sync, sd_test_await (slot), error);
}

static gpointer
edit_price (Fixture *f, SdProduct *p, gint64 price, const char *description, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  SdProductFields fields = unchanged ();

  fields.price = price;
  fields.description = description;
  sd_sync_save_product_async (f->sync, p, &fields, NULL, sd_test_keep_result, &r);
  return await_edit (f, &r, error);
}

static gpointer
edit_stock (Fixture *f, SdProduct *p, gint64 stock, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  SdProductFields fields = unchanged ();

  fields.stock = stock;
  sd_sync_save_product_async (f->sync, p, &fields, NULL, sd_test_keep_result, &r);
  return await_edit (f, &r, error);
}

static gpointer
edit_status (Fixture *f, SdOrder *o, SdOrderStatus status, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_sync_set_order_status_async (f->sync, o, status, NULL, sd_test_keep_result, &r);
  return await_edit (f, &r, error);
}

/* Made while the shop is down: kept, and said so. */
static void
assert_kept (gpointer record, GError **error)
{
  g_assert_null (record);
  g_assert_error (*error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  g_clear_error (error);
}

static gboolean
all_sent (gpointer sync)
{
  return sd_sync_get_n_waiting (sync) == 0;
}

static gboolean
has_conflict (gpointer sync)
{
  return sd_sync_get_n_conflicts (sync) > 0 && sd_sync_get_n_waiting (sync) == 0;
}

static char *
new_stocked_product (Fixture *f, gint64 price)
{
  return new_product (f->server, f->admin, price, "20");
}

/* Five edits while the shop is down (two of one product on top of each
 * other, a stock change among them); back up, all five land, in the
 * order they were made, once each. */
static void
test_offline_five (void)
{
  Fixture f = { 0 };
  g_autofree char *id1 = NULL, *id2 = NULL, *order_id = NULL, *description = NULL;
  g_autoptr(SdProduct) p1 = NULL, p2 = NULL;
  g_autoptr(SdOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = NULL;
  const char *expected[5];

  fixture_init (&f, NULL);
  id1 = new_stocked_product (&f, 10000);
  id2 = new_stocked_product (&f, 20000);
  customer = customer_token (f.server);
  order_id = place_order (f.server, customer, id2, 20000, NULL);
  p1 = read_product (&f, id1);
  p2 = read_product (&f, id2);
  order = read_order (&f, order_id);

  sd_test_server_kill (f.server);
  assert_kept (edit_price (&f, p1, 11111, NULL, &error), &error);
  assert_kept (edit_stock (&f, p1, 25, &error), &error);   /* +5 on top of the first */
  assert_kept (edit_status (&f, order, SD_ORDER_STATUS_PAID, &error), &error);
  assert_kept (edit_price (&f, p2, -1, "오프라인에서 고친 설명", &error), &error);
  assert_kept (edit_price (&f, p1, 22222, NULL, &error), &error);
  g_assert_cmpuint (sd_sync_get_n_waiting (f.sync), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.sync)), ==, 5);
  {
    g_autoptr(SdSyncItem) first = g_list_model_get_item (G_LIST_MODEL (f.sync), 0);
    g_autofree char *base = sd_sync_item_dup_base_value (first, "price");
    g_autofree char *yours = sd_sync_item_dup_yours_value (first, "price");

    g_assert_cmpstr (base, ==, "10000");
    g_assert_cmpstr (yours, ==, "11111");
  }

  /* The app starts again before the shop is back: the queue is on disk. */
  close_sync (&f);
  open_sync (&f);
  g_assert_cmpuint (sd_sync_get_n_waiting (f.sync), ==, 5);

  sd_test_server_restart (f.server, TRUE);
  sd_sync_retry (f.sync);
  sd_test_wait_until (all_sent, f.sync, WAIT_MS);
  g_assert_cmpuint (sd_sync_get_n_conflicts (f.sync), ==, 0);
  g_assert_cmpuint (f.landed->len, ==, 5);
  expected[0] = expected[1] = expected[4] = sd_product_get_name (p1);
  expected[2] = NULL;
  expected[3] = sd_product_get_name (p2);
  for (guint i = 0; i < 5; i++)
    if (expected[i])
      g_assert_cmpstr (f.landed->pdata[i], ==, expected[i]);
  g_assert_cmpint (product_int (&f, id1, "price"), ==, 22222);
  g_assert_cmpint (product_int (&f, id1, "stock"), ==, 25);
  description = product_text (&f, id2, "description");
  g_assert_cmpstr (description, ==, "오프라인에서 고친 설명");
  {
    g_autoptr(SdOrder) now = read_order (&f, order_id);
    g_assert_cmpint (sd_order_get_status (now), ==, SD_ORDER_STATUS_PAID);
  }

  /* Nothing left on disk to send again. */
  close_sync (&f);
  open_sync (&f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.sync)), ==, 0);
  fixture_clear (&f);
}

/* What a resolution finishes with, awaited. */
static gpointer
resolve (Fixture *f, SdSyncResolution how, const char * const *fields, GError **error)
{
  g_autoptr(SdSyncItem) item = g_list_model_get_item (G_LIST_MODEL (f->sync), 0);
  g_autoptr(GAsyncResult) r = NULL;

  sd_sync_resolve_async (f->sync, item, how, fields, NULL, sd_test_keep_result, &r);
  return sd_sync_finish (f->sync, sd_test_await (&r), error);
}

/* The shop changed the price meanwhile: the edit waits, showing both;
 * merging keeps their price and our description. A stale edit is then
 * kept ours on demand, and another dropped. */
static void
check_conflicts (const char * const *args)
{
  Fixture f = { 0 };
  g_autofree char *id = NULL, *path = NULL, *description = NULL;
  g_autoptr(SdProduct) p = NULL;
  g_autoptr(SdProduct) merged = NULL;
  g_autoptr(SdProduct) yours = NULL;
  g_autoptr(SdTestReply) theirs = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const description_only[] = { "description", NULL };

  fixture_init (&f, args);
  id = first_product_id (&f);   /* the original makes none without a picture and an option */
  p = read_product (&f, id);
  path = g_strconcat ("/api/v1/admin/products/", id, NULL);

  sd_test_server_kill (f.server);
  assert_kept (edit_price (&f, p, 30000, "우리 설명", &error), &error);
  sd_test_server_restart (f.server, TRUE);
  /* The original writes a product only with its options (as {}). */
  theirs = sd_test_http (f.server, "PUT", path, f.admin,
                         args ? "{\"price\":40000,\"options\":{}}" : "{\"price\":40000}", NULL);
  sd_test_data (theirs, 200);
  sd_sync_retry (f.sync);
  sd_test_wait_until (has_conflict, f.sync, WAIT_MS);
  {
    g_autoptr(SdSyncItem) item = g_list_model_get_item (G_LIST_MODEL (f.sync), 0);
    g_autofree char *their_price = sd_sync_item_dup_theirs_value (item, "price");
    g_autofree char *your_price = sd_sync_item_dup_yours_value (item, "price");

    g_assert_cmpint (sd_sync_item_get_state (item), ==, SD_SYNC_CONFLICT);
    g_assert_cmpstr (their_price, ==, "40000");
    g_assert_cmpstr (your_price, ==, "30000");
    g_assert_true (sd_sync_item_field_changed_there (item, "price"));
    g_assert_false (sd_sync_item_field_changed_there (item, "description"));
  }
  g_assert_cmpint (product_int (&f, id, "price"), ==, 40000);   /* nothing applied over theirs */

  merged = resolve (&f, SD_SYNC_MERGE, description_only, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_product_get_price (merged), ==, 40000);
  g_assert_cmpint (product_int (&f, id, "price"), ==, 40000);
  description = product_text (&f, id, "description");
  g_assert_cmpstr (description, ==, "우리 설명");

  /* Made on the first copy, now stale: a conflict at once. Keep yours. */
  g_assert_null (edit_price (&f, p, 50000, NULL, &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_CHANGED);
  g_clear_error (&error);
  yours = resolve (&f, SD_SYNC_KEEP_YOURS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_product_get_price (yours), ==, 50000);
  g_assert_cmpint (product_int (&f, id, "price"), ==, 50000);

  /* And again: keep theirs drops it. */
  g_assert_null (edit_price (&f, p, 60000, NULL, &error));
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_CHANGED);
  g_clear_error (&error);
  g_assert_null (resolve (&f, SD_SYNC_KEEP_THEIRS, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.sync)), ==, 0);
  g_assert_cmpint (product_int (&f, id, "price"), ==, 50000);
  fixture_clear (&f);
}

static void
test_conflicts (void)
{
  check_conflicts (NULL);
}

/* The original's rules: no If-Match; a fresh read stands in for it. */
static void
test_conflicts_without_extension (void)
{
  static const char * const args[] = { "--no-extensions", NULL };
  check_conflicts (args);
}

/* A member's memo and cancellation made while the shop is down: kept,
 * then sent when it is back; the shop keeps the cancelled order. */
static void
test_member_edits (void)
{
  Fixture f = { 0 };
  g_autofree char *customer = NULL, *product = NULL, *first = NULL, *second = NULL;
  g_autoptr(SdOrders) orders = NULL;
  g_autoptr(SdOrder) a = NULL, b = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, NULL);
  product = new_stocked_product (&f, 7000);
  customer = customer_token (f.server);
  first = place_order (f.server, customer, product, 7000, NULL);
  second = place_order (f.server, customer, product, 7000, NULL);
  /* The member's own session, and store (another account's queue). */
  close_sync (&f);
  g_clear_object (&f.session);
  f.session = sd_session_new (f.api);
  sd_session_sign_in_async (f.session, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (f.session, sd_test_await (&r), &error));
  g_clear_object (&r);
  f.store = sd_local_store_new (f.server->url, "customer");
  f.sync = sd_sync_new (f.api, f.store);
  g_signal_connect (f.sync, "landed", G_CALLBACK (landed_cb), &f);
  sd_test_wait_until (loaded, f.sync, WAIT_MS);
  orders = sd_orders_new (f.api);
  sd_orders_load_async (orders, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_orders_load_finish (orders, sd_test_await (&r), &error));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (orders)); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (G_LIST_MODEL (orders), i);

      if (g_strcmp0 (sd_order_get_id (o), first) == 0)
        g_set_object (&a, o);
      else if (g_strcmp0 (sd_order_get_id (o), second) == 0)
        g_set_object (&b, o);
    }
  g_assert_nonnull (a);
  g_assert_nonnull (b);

  sd_test_server_kill (f.server);
  g_clear_object (&r);
  sd_sync_set_order_memo_async (f.sync, a, "초인종 누르지 마세요", NULL, sd_test_keep_result, &r);
  assert_kept (sd_sync_finish (f.sync, sd_test_await (&r), &error), &error);
  g_clear_object (&r);
  sd_sync_cancel_order_async (f.sync, b, NULL, sd_test_keep_result, &r);
  assert_kept (sd_sync_finish (f.sync, sd_test_await (&r), &error), &error);
  g_assert_cmpuint (sd_sync_get_n_waiting (f.sync), ==, 2);

  sd_test_server_restart (f.server, TRUE);
  sd_sync_retry (f.sync);
  sd_test_wait_until (all_sent, f.sync, WAIT_MS);
  g_assert_cmpuint (sd_sync_get_n_conflicts (f.sync), ==, 0);
  g_assert_cmpuint (f.landed->len, ==, 2);
  {
    g_autofree char *path_a = g_strconcat ("/api/v1/orders/", first, NULL);
    g_autofree char *path_b = g_strconcat ("/api/v1/orders/", second, NULL);
    g_autoptr(SdTestReply) ra = sd_test_http (f.server, "GET", path_a, customer, NULL, NULL);
    g_autoptr(SdTestReply) rb = sd_test_http (f.server, "GET", path_b, customer, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (ra, 200), "memo"), ==, "초인종 누르지 마세요");
    g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (rb, 200), "status"), ==,
                     sd_order_status_to_wire (SD_ORDER_STATUS_CANCELLED));
  }
  fixture_clear (&f);
}

/* ---- killed while replaying ----------------------------------------------- */

static void
exit_on_third (SdSync *sync, SdSyncItem *item, gpointer user_data)
{
  guint *sent = user_data;

  if (++*sent == 3)
    _exit (3);   /* the shop has it; the queue on disk does not know yet */
}

/* The child: an app started with the queue, killed as the third edit
 * reaches the shop. */
static void
test_killed_child (void)
{
  Fixture f = { 0 };
  g_autoptr(GAsyncResult) r = NULL;
  guint sent = 0;

  if (!g_test_subprocess ())
    {
      g_test_skip ("the killed app's process, which /sync/killed-during-replay runs");
      return;
    }
  f.api = sd_api_new (g_getenv ("SD_TEST_SYNC_URL"), NULL);
  f.session = sd_session_new (f.api);
  sd_session_sign_in_async (f.session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (f.session, sd_test_await (&r), NULL));
  f.landed = g_ptr_array_new_with_free_func (g_free);
  f.store = sd_local_store_new (g_getenv ("SD_TEST_SYNC_URL"), "admin");
  f.sync = sd_sync_new (f.api, f.store);
  g_signal_connect (f.sync, "sent", G_CALLBACK (exit_on_third), &sent);
  sd_test_wait_until (loaded, f.sync, WAIT_MS);
  g_assert_cmpuint (sd_sync_get_n_waiting (f.sync), ==, 5);
  sd_test_wait_until (all_sent, f.sync, WAIT_MS);
  g_assert_not_reached ();
}

static void
test_killed_during_replay (void)
{
  Fixture f = { 0 };
  char *ids[5] = { NULL };
  SdProduct *products[5] = { NULL };
  g_autoptr(GError) error = NULL;
  gint64 stock_before;

  fixture_init (&f, NULL);
  for (guint i = 0; i < 5; i++)
    {
      ids[i] = new_stocked_product (&f, 1000 * (i + 1));
      products[i] = read_product (&f, ids[i]);
    }
  stock_before = product_int (&f, ids[2], "stock");
  sd_test_server_kill (f.server);
  for (guint i = 0; i < 5; i++)
    if (i == 2)
      assert_kept (edit_stock (&f, products[i], stock_before + 7, &error), &error);
    else
      assert_kept (edit_price (&f, products[i], 5000 + i, NULL, &error), &error);
  close_sync (&f);
  sd_test_server_restart (f.server, TRUE);

  g_setenv ("SD_TEST_SYNC_URL", f.server->url, TRUE);
  g_test_trap_subprocess ("/sync/killed-during-replay/child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
  /* Two landed and left the queue; the third landed and did not. */
  g_assert_cmpint (product_int (&f, ids[0], "price"), ==, 5000);
  g_assert_cmpint (product_int (&f, ids[2], "stock"), ==, stock_before + 7);
  g_assert_cmpint (product_int (&f, ids[3], "price"), ==, 4000);

  open_sync (&f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.sync)), >=, 3);
  sd_sync_retry (f.sync);
  sd_test_wait_until (all_sent, f.sync, WAIT_MS);
  g_assert_cmpuint (sd_sync_get_n_conflicts (f.sync), ==, 0);
  g_assert_cmpint (product_int (&f, ids[2], "stock"), ==, stock_before + 7);   /* not twice */
  for (guint i = 0; i < 5; i++)
    {
      if (i != 2)
        g_assert_cmpint (product_int (&f, ids[i], "price"), ==, 5000 + i);
      g_free (ids[i]);
      g_object_unref (products[i]);
    }
  close_sync (&f);
  open_sync (&f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.sync)), ==, 0);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  /* The killed app's process (a subprocess of this test) uses the
   * parent's files, which SD_TEST_SYNC_URL in its environment tells. */
  if (g_getenv ("SD_TEST_SYNC_URL") == NULL)
    xdg = sd_test_fresh_xdg_dirs ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/offline-five", test_offline_five);
  g_test_add_func ("/sync/conflicts", test_conflicts);
  g_test_add_func ("/sync/conflicts-without-extension", test_conflicts_without_extension);
  g_test_add_func ("/sync/member-edits", test_member_edits);
  g_test_add_func ("/sync/killed-during-replay", test_killed_during_replay);
  g_test_add_func ("/sync/killed-during-replay/child", test_killed_child);
  {
    int status = g_test_run ();

    if (xdg)
      sd_test_remove_tree (xdg);
    return status;
  }
}
