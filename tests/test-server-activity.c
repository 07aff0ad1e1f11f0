/* test-server-activity.c — [ext] "activity": who changed what. Staff's
 * changes of orders (status, bulk, If-Match, cancel, delete), products
 * (price and stock old → new) and categories (rename, delete) are in
 * GET /admin/activity, newest first, with the request's origin; a
 * customer's are not; paging and filters; the refusals; the bound on the
 * rows kept; a shop of the schema before is brought up to it. */
#include <string.h>

#include <glib/gstdio.h>

#include "sd-test-api.h"
#include "sd-server-db.h"
#include "sd-server-store.h"

#define ACTIVITY "/api/v1/admin/activity"

static JsonArray *
activity (SdTestServer *s, const char *token, const char *query, gint64 *out_total)
{
  g_autofree char *path = g_strconcat (ACTIVITY, query, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, token, NULL, NULL);
  JsonArray *rows = json_array_ref (json_node_get_array (sd_test_data (r, 200)));

  if (out_total)
    *out_total = g_ascii_strtoll (soup_message_headers_get_one (r->headers, "X-Total-Count"), NULL, 10);
  return rows;
}

static JsonObject *
row (JsonArray *rows, guint i)
{
  g_assert_cmpuint (i, <, json_array_get_length (rows));
  return json_array_get_object_element (rows, i);
}

static const char *
member (JsonObject *o, const char *name)
{
  return json_object_get_string_member (o, name);
}

/* The change of field in a row: its old and new value, as JSON text. */
static char *
change (JsonObject *o, const char *field)
{
  JsonObject *changes = json_object_get_object_member (o, "changes");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  if (!json_object_has_member (changes, field))
    return NULL;
  json_node_set_array (node, json_object_get_array_member (changes, field));
  return json_to_string (node, FALSE);
}

static void
assert_change (JsonObject *o, const char *field, const char *want)
{
  g_autofree char *got = change (o, field);

  g_assert_cmpstr (got, ==, want);
}

static void
send (SdTestServer *s, const char *method, const char *path, const char *token, const char *body,
      const char *header, const char *value, guint status)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, method, path, token, body, header, value, NULL);

  g_assert_cmpuint (r->status, ==, status);
}

static char *
order_path (const char *id)
{
  return g_strconcat ("/api/v1/admin/orders/", id, NULL);
}

static void
test_orders (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 5000, "100");
  g_autofree char *a = place_order (s, customer, product, 5000, NULL);
  g_autofree char *b = place_order (s, customer, product, 5000, NULL);
  g_autofree char *c = place_order (s, customer, product, 5000, NULL);
  g_autofree char *d = place_order (s, customer, product, 5000, NULL);
  g_autofree char *pa = order_path (a);
  g_autofree char *pb = order_path (b);
  g_autofree char *pc = order_path (c);
  g_autofree char *pd = order_path (d);
  g_autofree char *cancel_a = g_strconcat ("/api/v1/orders/", a, NULL);
  g_autofree char *cancel_c = g_strconcat ("/api/v1/orders/", c, NULL);
  g_autofree char *cancel_d = g_strconcat ("/api/v1/orders/", d, NULL);
  g_autofree char *filter = g_strconcat ("?entity=order&id=", a, NULL);
  g_autofree char *etag = NULL;
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(JsonArray) of_a = NULL;
  g_autofree char *number = NULL;
  gint64 total = 0;

  /* status, then bulk (two orders), then a conditional undo */
  send (s, "PUT", pa, admin, "{\"status\":\"" PAID "\"}", NULL, NULL, 200);
  send (s, "PUT", pa, admin, "{\"status\":\"" PREPARING "\"}", "X-Storedesk-Origin", "bulk", 200);
  send (s, "PUT", pb, admin, "{\"status\":\"" PREPARING "\"}", "X-Storedesk-Origin", "bulk", 200);
  {
    g_autoptr(SdTestReply) r = sd_test_http (s, "GET", cancel_a, admin, NULL, NULL);

    etag = g_strdup (soup_message_headers_get_one (r->headers, "ETag"));
    number = g_strdup (member (sd_test_data_object (r, 200), "orderNumber"));
  }
  send (s, "PUT", pa, admin, "{\"status\":\"" PAID "\"}", "If-Match", etag, 200);
  /* a stale one is refused, and nothing is recorded */
  send (s, "PUT", pa, admin, "{\"status\":\"" PREPARING "\"}", "If-Match", etag, 412);
  /* an origin not ours is none; the same status again is no change */
  send (s, "PUT", pb, admin, "{\"memo\":\"빨리\"}", "X-Storedesk-Origin", "evil", 200);
  send (s, "PUT", pb, admin, "{\"status\":\"" PREPARING "\"}", NULL, NULL, 200);
  /* a customer's cancel is theirs, staff's is recorded; a delete too */
  send (s, "DELETE", cancel_d, customer, NULL, NULL, NULL, 204);
  send (s, "DELETE", cancel_c, admin, NULL, "X-Storedesk-Origin", "replay", 204);
  send (s, "DELETE", pd, admin, NULL, NULL, NULL, 204);
  (void) pc;

  all = activity (s, admin, "?entity=order", &total);
  g_assert_cmpint (total, ==, 7);
  g_assert_cmpstr (member (row (all, 0), "action"), ==, "delete");
  g_assert_cmpstr (member (row (all, 0), "entityId"), ==, d);
  g_assert_cmpstr (member (row (all, 1), "action"), ==, "status");
  g_assert_cmpstr (member (row (all, 1), "origin"), ==, "replay");
  assert_change (row (all, 1), "status", "[\"입금 대기\",\"주문 취소\"]");
  g_assert_cmpstr (member (row (all, 2), "action"), ==, "update");
  assert_change (row (all, 2), "memo", "[\"문 앞에 놓아 주세요\",\"빨리\"]");
  g_assert_true (json_object_get_null_member (row (all, 2), "origin"));
  g_assert_cmpstr (member (row (all, 4), "origin"), ==, "bulk");
  g_assert_cmpstr (member (row (all, 5), "origin"), ==, "bulk");
  g_assert_cmpstr (member (json_object_get_object_member (row (all, 0), "actor"), "email"), ==, ADMIN_EMAIL);

  of_a = activity (s, admin, filter, &total);
  g_assert_cmpint (total, ==, 3);
  g_assert_cmpuint (json_array_get_length (of_a), ==, 3);
  g_assert_cmpstr (member (row (of_a, 0), "label"), ==, number);
  assert_change (row (of_a, 0), "status", "[\"" PREPARING "\",\"" PAID "\"]");
  assert_change (row (of_a, 2), "status", "[\"입금 대기\",\"" PAID "\"]");
}

static void
test_catalog (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *product = new_product (s, admin, 12000, "5");
  g_autofree char *ppath = g_strconcat ("/api/v1/admin/products/", product, NULL);
  g_autofree char *cpath = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(JsonArray) cats = NULL;
  gint64 total = 0;

  send (s, "PUT", ppath, admin, "{\"price\":31000,\"stock\":3}", NULL, NULL, 200);
  send (s, "PUT", ppath, admin, "{\"stockDelta\":-1}", "X-Storedesk-Origin", "undo", 200);
  /* a long description is kept short in the record */
  long_text = g_strnfill (5000, 'x');
  body = g_strdup_printf ("{\"description\":\"%s\"}", long_text);
  send (s, "PUT", ppath, admin, body, NULL, NULL, 200);
  {
    g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/admin/categories", admin, "{\"name\":\"봄\"}", NULL);

    cpath = g_strconcat ("/api/v1/admin/categories/", member (sd_test_data_object (r, 201), "_id"), NULL);
  }
  send (s, "PUT", cpath, admin, "{\"name\":\"여름\"}", NULL, NULL, 200);
  send (s, "DELETE", cpath, admin, NULL, NULL, NULL, 204);
  send (s, "DELETE", ppath, admin, NULL, NULL, NULL, 204);

  rows = activity (s, admin, "?entity=product", &total);
  g_assert_cmpint (total, ==, 5);
  g_assert_cmpstr (member (row (rows, 0), "action"), ==, "delete");
  g_assert_cmpstr (member (row (rows, 0), "label"), ==, "테스트 상품");
  {
    g_autofree char *description = change (row (rows, 1), "description");

    g_assert_cmpuint (strlen (description), <, 300);
  }
  assert_change (row (rows, 2), "stock", "[3,2]");
  g_assert_cmpstr (member (row (rows, 2), "origin"), ==, "undo");
  assert_change (row (rows, 3), "price", "[12000,31000]");
  assert_change (row (rows, 3), "stock", "[5,3]");
  assert_change (row (rows, 3), "name", NULL);
  g_assert_cmpstr (member (row (rows, 4), "action"), ==, "create");
  assert_change (row (rows, 4), "price", "[null,12000]");

  cats = activity (s, admin, "?entity=category", NULL);
  g_assert_cmpuint (json_array_get_length (cats), ==, 3);
  g_assert_cmpstr (member (row (cats, 0), "action"), ==, "delete");
  g_assert_cmpstr (member (row (cats, 0), "label"), ==, "여름");
  assert_change (row (cats, 1), "name", "[\"봄\",\"여름\"]");
  g_assert_cmpstr (member (row (cats, 2), "action"), ==, "create");

  /* everything, a page at a time, newest first */
  page = activity (s, admin, "?page=2&perPage=3", &total);
  g_assert_cmpint (total, ==, 8);
  g_assert_cmpuint (json_array_get_length (page), ==, 3);
  g_assert_cmpstr (member (row (page, 0), "entity"), ==, "category");
  g_assert_cmpstr (member (row (page, 0), "action"), ==, "create");
}

static void
test_refused (void)
{
  static const char * const no_ext[] = { "--no-extensions", NULL };
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autoptr(SdTestServer) original = sd_test_server_start_with (TRUE, no_ext);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *long_query = g_strconcat (ACTIVITY "?entity=order&id=", long_id, NULL);
  const char *bad[] = {
    "?page=0", "?page=x", "?perPage=0", "?perPage=101", "?limit=1000", "?entity=user", "?id=abc",
    "?entity=order&id=",
  };
  g_autoptr(SdTestReply) health = sd_test_http (s, "GET", "/health", NULL, NULL, NULL);
  g_autoptr(SdTestReply) none = sd_test_http (original, "GET", ACTIVITY, NULL, NULL, NULL);
  g_autoptr(JsonArray) empty = activity (s, admin, "", NULL);
  JsonArray *features = json_object_get_array_member (sd_test_data_object (health, 200), "features");
  gboolean listed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat (ACTIVITY, bad[i], NULL);
      sd_test_expect_error (s, "GET", path, admin, NULL, 400);
    }
  sd_test_expect_error (s, "GET", long_query, admin, NULL, 400);
  sd_test_expect_error (s, "GET", ACTIVITY, customer, NULL, 403);
  sd_test_expect_error (s, "GET", ACTIVITY, NULL, NULL, 401);
  g_assert_cmpuint (none->status, ==, 404);
  g_assert_cmpuint (json_array_get_length (empty), ==, 0);
  for (guint i = 0; i < json_array_get_length (features); i++)
    listed |= g_strcmp0 (json_array_get_string_element (features, i), "activity") == 0;
  g_assert_true (listed);
}

/* The store keeps the newest rows only: with a bound of 3, five changes
 * leave the last three. */
static void
test_bound (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *path = g_build_filename (s->data_dir, "shop.db", NULL);
  const char *option = sd_test_server_database_option (s);
  g_autofree char *admin_id = sd_test_server_query (s, "SELECT id FROM users WHERE email = '" ADMIN_EMAIL "'");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerStore) store = sd_server_store_open (option ? option + strlen ("--database=") : path, &error);
  SdServerActivityQuery query = { .offset = 0, .limit = 10 };
  g_autoptr(JsonNode) rows = NULL;
  gint64 total = 0;

  g_assert_no_error (error);
  sd_server_store_set_activity_limit (store, 3);
  sd_server_store_set_actor (store, admin_id, "bulk");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("묶음 %u", i);
      g_autofree char *id = sd_server_store_create_category (store, name, &error);

      g_assert_no_error (error);
    }
  sd_server_store_set_actor (store, NULL, NULL);
  rows = sd_server_store_list_activity (store, &query, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 3);
  g_assert_cmpstr (member (json_array_get_object_element (json_node_get_array (rows), 0), "label"), ==, "묶음 4");
  g_assert_cmpstr (member (json_array_get_object_element (json_node_get_array (rows), 2), "label"), ==, "묶음 2");
}

/* A shop of SQLite schema 7 is brought up to 8 when the server starts,
 * its orders kept, and records from then on. */
static void
test_migration (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  static const char * const old_files[] = { "shop.db", "shop.db-wal", "shop.db-shm" };
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;

  sd_test_server_kill (s);
  for (guint i = 0; i < G_N_ELEMENTS (old_files); i++)
    {
      g_autofree char *file = g_build_filename (s->data_dir, old_files[i], NULL);
      g_unlink (file);
    }
  for (guint i = 0; i < 7; i++)
    sd_test_server_run_sql (s, sd_server_db_migration (i));
  sd_test_server_run_sql (s, "PRAGMA user_version = 7;"
                             "INSERT INTO categories (id, name, created_at, updated_at)"
                             " VALUES ('c1', '옛 분류', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');");
  g_assert_nonnull (sd_server_db_migration (7));
  g_assert_null (sd_server_db_migration (8));
  sd_test_server_restart (s, FALSE);
  version = sd_test_server_query (s, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "8");
  rows = sd_test_server_query (s, "SELECT count (*) FROM activity");
  g_assert_cmpstr (rows, ==, "0");
  g_free (rows);
  rows = sd_test_server_query (s, "SELECT name FROM categories WHERE id = 'c1'");
  g_assert_cmpstr (rows, ==, "옛 분류");
}

/* PostgreSQL: a database of schema 3 gets the table from `migrate`. */
static void
test_pg_migration (void)
{
  g_autoptr(SdTestPgDatabase) db = sd_test_pg_database_new ();
  g_autoptr(GString) old = g_string_new ("CREATE TABLE storedesk_schema (version bigint NOT NULL);"
                                         "INSERT INTO storedesk_schema VALUES (3);");
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;
  guint steps = 0;

  for (guint i = 0; i < 3; i++)
    g_string_append (old, sd_server_db_pg_migration (i));
  g_assert_null (sd_server_db_pg_migration (4));
  sd_test_pg_run_sql (db, old->str);
  g_assert_true (sd_server_store_migrate (sd_test_pg_database_url (db), &steps, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps, ==, 1);
  version = sd_test_pg_query (db, "SELECT version FROM storedesk_schema");
  g_assert_cmpstr (version, ==, "4");
  rows = sd_test_pg_query (db, "SELECT count (*) FROM activity");
  g_assert_cmpstr (rows, ==, "0");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/activity/orders", test_orders);
  g_test_add_func ("/server/activity/catalog", test_catalog);
  g_test_add_func ("/server/activity/refused", test_refused);
  g_test_add_func ("/server/activity/bound", test_bound);
  sd_test_add_sqlite_only ("/server/activity/migration", test_migration, "a shop of schema 7 is a SQLite file");
  if (sd_test_engine_is_pg ())
    g_test_add_func ("/server/activity/pg-migration", test_pg_migration);
  return g_test_run ();
}
