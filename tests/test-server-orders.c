/* test-server-orders.c — who an Idempotency-Key belongs to, and what a
 * guest's access key is (shared/API.md, orders: [ext] Idempotency, Guest
 * key), against a started storedesk-server.
 *
 * A key belongs to its caller: the member, or for a guest the same body.
 * Anyone else who sends it gets 422 and learns nothing of the order. A
 * guest's access key is random, and kept for the lost-answer retry only
 * encrypted, bound to its record. */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-server-db.h"
#include "sd-test-api.h"

typedef struct {
  const char *name, *phone, *address;
} Receiver;

static const Receiver alice = { "김하늘", "010-1234-5678", "부산시 해운대구 우동 1" };
static const Receiver bruno = { "박바다", "010-8765-4321", "서울시 마포구 합정동 2" };

/* One line of product at price, to r. */
static char *
order_body (const char *product, gint64 price, const Receiver *r)
{
  return g_strdup_printf ("{\"status\":\"입금 대기\",\"product\":[{\"id\":\"%s\",\"name\":\"x\",\"count\":1,\"image\":\"\"}],"
                          "\"memo\":\"\",\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,"
                          "\"ttlPrice\":%" G_GINT64_FORMAT "},\"receiver\":{\"name\":\"%s\",\"phoneNumber\":\"%s\","
                          "\"address\":\"%s\",\"addressDetail\":\"101호\"}}",
                          product, price, price + 3000, r->name, r->phone, r->address);
}

static SdTestReply *
post (SdTestServer *s, const char *token, const char *body, const char *key)
{
  return sd_test_http (s, "POST", "/api/v1/orders", token, body, "Idempotency-Key", key, NULL);
}

static gboolean
contains (SdTestReply *r, const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (r->body, &len);

  return needle != NULL && *needle != '\0' && memmem (data, len, needle, strlen (needle)) != NULL;
}

/* 422 with a generic message, null data, and none of what the order holds. */
static void
assert_refused (SdTestReply *r, JsonObject *order)
{
  JsonObject *receiver = json_object_get_object_member (order, "receiver");

  sd_test_assert_error (r, 422);
  g_assert_false (contains (r, json_object_get_string_member (order, "_id")));
  g_assert_false (contains (r, json_object_get_string_member (order, "customerId")));
  if (json_object_has_member (order, "accessKey"))
    g_assert_false (contains (r, json_object_get_string_member (order, "accessKey")));
  if (receiver)
    {
      g_assert_false (contains (r, json_object_get_string_member (receiver, "name")));
      g_assert_false (contains (r, json_object_get_string_member (receiver, "phoneNumber")));
      g_assert_false (contains (r, json_object_get_string_member (receiver, "address")));
    }
}

static gint64
order_count (SdTestServer *s, const char *admin)
{
  g_autoptr(SdTestReply) all = sd_test_http (s, "GET", "/api/v1/admin/orders?limit=100", admin, NULL, NULL);

  g_assert_cmpuint (all->status, ==, 200);
  return g_ascii_strtoll (soup_message_headers_get_one (all->headers, "X-Total-Count"), NULL, 10);
}

static void
assert_random_key (const char *key)
{
  g_assert_nonnull (key);
  /* 32 bytes from the CSPRNG, as hex */
  g_assert_cmpuint (strlen (key), ==, 64);
  for (const char *p = key; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p));
}

/* A guest's key, replayed: by another guest with another body, refused;
 * with the same body (the lost-answer retry), the same order and key; by
 * a member, refused. */
static void
test_guest_key_scope (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *member = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_autofree char *product = new_product (s, admin, 5000, "null");
  g_autofree char *body_a = order_body (product, 5000, &alice);
  g_autofree char *body_b = order_body (product, 5000, &bruno);
  const char *key = "3f0c9a8e-6c1b-4b8e-9a55-5c0de1d2e3f4";
  g_autoptr(SdTestReply) first = post (s, NULL, body_a, key);
  g_autoptr(SdTestReply) other_body = post (s, NULL, body_b, key);
  g_autoptr(SdTestReply) same_body = post (s, NULL, body_a, key);
  g_autoptr(SdTestReply) by_member = post (s, member, body_a, key);
  g_autoptr(SdTestReply) same_again = post (s, NULL, body_a, key);
  JsonObject *order = sd_test_data_object (first, 201);
  JsonObject *replayed;

  assert_random_key (json_object_get_string_member (order, "accessKey"));
  assert_refused (other_body, order);
  replayed = sd_test_data_object (same_body, 201);
  g_assert_cmpstr (json_object_get_string_member (replayed, "_id"), ==, json_object_get_string_member (order, "_id"));
  g_assert_cmpstr (json_object_get_string_member (replayed, "accessKey"), ==, json_object_get_string_member (order, "accessKey"));
  assert_refused (by_member, order);
  /* refusals change nothing: the guest's retry still works */
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (same_again, 201), "accessKey"), ==,
                   json_object_get_string_member (order, "accessKey"));
  g_assert_cmpint (order_count (s, admin), ==, 1);
}

/* A member's key: another member, or a guest with the very same body, is
 * refused; the member gets the order back. */
static void
test_member_key_scope (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *member = sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
  g_autofree char *other = sd_test_new_customer (s, "other@example.com", "Other1234!");
  g_autofree char *product = new_product (s, admin, 8000, "null");
  g_autofree char *body = order_body (product, 8000, &alice);
  const char *key = "member-key-1";
  g_autoptr(SdTestReply) first = post (s, member, body, key);
  g_autoptr(SdTestReply) by_other = post (s, other, body, key);
  g_autoptr(SdTestReply) by_guest = post (s, NULL, body, key);
  g_autoptr(SdTestReply) by_admin = post (s, admin, body, key);
  g_autoptr(SdTestReply) again = post (s, member, body, key);
  JsonObject *order = sd_test_data_object (first, 201);

  g_assert_false (json_object_has_member (order, "accessKey"));
  assert_refused (by_other, order);
  assert_refused (by_guest, order);
  assert_refused (by_admin, order);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (again, 201), "_id"), ==,
                   json_object_get_string_member (order, "_id"));
  g_assert_false (json_object_has_member (sd_test_data_object (again, 201), "accessKey"));
  g_assert_cmpint (order_count (s, admin), ==, 1);
}

/* Nothing the client sends makes the access key: keys one character apart
 * give unrelated access keys, and a key used again once its order is gone
 * gives a new one. */
static void
test_access_key_random (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *product = new_product (s, admin, 3000, "null");
  g_autofree char *body = order_body (product, 3000, &alice);
  g_autoptr(SdTestReply) one = post (s, NULL, body, "key-aaaa");
  g_autoptr(SdTestReply) two = post (s, NULL, body, "key-aaab");
  g_autoptr(SdTestReply) plain = sd_test_http (s, "POST", "/api/v1/orders", NULL, body, NULL);
  g_autoptr(SdTestReply) cancelled = NULL;
  g_autoptr(SdTestReply) reused = NULL;
  const char *k1 = json_object_get_string_member (sd_test_data_object (one, 201), "accessKey");
  const char *k2 = json_object_get_string_member (sd_test_data_object (two, 201), "accessKey");
  g_autofree char *path = NULL;
  const char *k3;

  assert_random_key (k1);
  assert_random_key (k2);
  assert_random_key (json_object_get_string_member (sd_test_data_object (plain, 201), "accessKey"));
  g_assert_false (strncmp (k1, k2, 16) == 0);

  /* the guest cancels; the record goes with the order; the same key
   * then makes a new order with a new access key */
  path = g_strdup_printf ("/api/v1/orders/%s?key=%s",
                          json_object_get_string_member (sd_test_data_object (one, 201), "_id"), k1);
  cancelled = sd_test_http (s, "DELETE", path, NULL, NULL, NULL);
  g_assert_cmpuint (cancelled->status, ==, 204);
  reused = post (s, NULL, body, "key-aaaa");
  k3 = json_object_get_string_member (sd_test_data_object (reused, 201), "accessKey");
  assert_random_key (k3);
  g_assert_cmpstr (k3, !=, k1);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (reused, 201), "_id"), !=,
                   json_object_get_string_member (sd_test_data_object (one, 201), "_id"));
}

static gboolean
file_contains (const char *path, const guint8 *needle, gsize len)
{
  g_autofree char *data = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &data, &size, NULL))
    return FALSE;
  return memmem (data, size, needle, len) != NULL;
}

/* PostgreSQL: no row of any table holds the key as text, in any case,
 * or as its raw bytes (a row as text shows bytea as hex, lower case). */
static void
assert_key_in_no_row (SdTestServer *s, const char *key)
{
  g_autofree char *tables = sd_test_server_query (s, "SELECT string_agg (tablename, ' ') FROM pg_tables"
                                                     " WHERE schemaname = current_schema ()");
  g_auto(GStrv) names = NULL;

  g_assert_nonnull (tables);
  names = g_strsplit (tables, " ", -1);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" t WHERE t::text ILIKE '%%%s%%'",
                                              names[i], key);
      g_autofree char *n = sd_test_server_query (s, sql);

      g_test_message ("%s", names[i]);
      g_assert_cmpstr (n, ==, "0");
    }
}

/* The access key is in none of the database's files, as text or as its
 * raw bytes (the order keeps an HMAC, the record an encryption). */
static void
test_access_key_not_stored (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *product = new_product (s, admin, 4000, "null");
  g_autofree char *body = order_body (product, 4000, &alice);
  g_autoptr(SdTestReply) made = post (s, NULL, body, "stored-key-1");
  const char *key = json_object_get_string_member (sd_test_data_object (made, 201), "accessKey");
  static const char * const files[] = { "shop.db", "shop.db-wal", "shop.db-journal" };
  guint8 raw[32];

  assert_random_key (key);
  if (sd_test_engine_is_pg ())
    {
      assert_key_in_no_row (s, key);
      return;
    }
  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = (guint8) (g_ascii_xdigit_value (key[2 * i]) << 4 | g_ascii_xdigit_value (key[2 * i + 1]));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (s->data_dir, files[i], NULL);
      g_autofree char *upper = g_ascii_strup (key, -1);

      g_test_message ("%s", files[i]);
      g_assert_false (file_contains (path, (const guint8 *) key, strlen (key)));
      g_assert_false (file_contains (path, (const guint8 *) upper, strlen (upper)));
      g_assert_false (file_contains (path, raw, sizeof raw));
    }
}

/* A stored access key cannot be moved to another record: swapped between
 * two records, neither replay answers the other's key. */
static void
test_access_key_bound_to_record (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autofree char *product = new_product (s, admin, 6000, "null");
  g_autofree char *body_a = order_body (product, 6000, &alice);
  g_autofree char *body_b = order_body (product, 6000, &bruno);
  g_autoptr(SdTestReply) a = post (s, NULL, body_a, "bound-a");
  g_autoptr(SdTestReply) b = post (s, NULL, body_b, "bound-b");
  g_autoptr(SdTestReply) a_again = NULL;
  const char *key_a = json_object_get_string_member (sd_test_data_object (a, 201), "accessKey");
  const char *key_b = json_object_get_string_member (sd_test_data_object (b, 201), "accessKey");
  JsonObject *o;

  /* every column but the key, the caller and the order: what an attacker
   * with write access to the database could swap */
  g_assert_cmpint (sd_test_server_run_sql (s,
    "UPDATE idempotency_records SET access_key_box = (SELECT access_key_box FROM idempotency_records"
    " WHERE key = 'bound-b') WHERE key = 'bound-a'"), ==, 1);

  a_again = post (s, NULL, body_a, "bound-a");
  o = sd_test_data_object (a_again, 201);
  g_assert_cmpstr (json_object_get_string_member (o, "_id"), ==, json_object_get_string_member (sd_test_data_object (a, 201), "_id"));
  if (json_object_has_member (o, "accessKey"))
    {
      g_assert_cmpstr (json_object_get_string_member (o, "accessKey"), !=, key_b);
      g_assert_cmpstr (json_object_get_string_member (o, "accessKey"), ==, key_a);
    }
  g_assert_false (contains (a_again, key_b));
}

static gint64
query_int (SdTestServer *s, const char *sql)
{
  g_autofree char *v = sd_test_server_query (s, sql);

  g_assert_nonnull (v);
  return g_ascii_strtoll (v, NULL, 10);
}

/* A shop upgraded from schema 2: members' records carry over; guests'
 * and staff's (whose access keys were derived from the key) are dropped. */
static void
test_migration (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  static const char * const old_files[] = { "shop.db", "shop.db-wal", "shop.db-shm" };

  sd_test_server_kill (s);
  for (guint i = 0; i < G_N_ELEMENTS (old_files); i++)
    {
      g_autofree char *path = g_build_filename (s->data_dir, old_files[i], NULL);
      g_unlink (path);
    }
  /* The schema as a server of schema version 2 left it. */
  sd_test_server_run_sql (s, sd_server_db_migration (0));
  sd_test_server_run_sql (s, sd_server_db_migration (1));
  sd_test_server_run_sql (s,
            "PRAGMA user_version = 2;"
            "INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
            " VALUES ('u1', 'm@example.com', '회원', 'x', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');"
            "INSERT INTO orders (id, seq, customer_id, user_id, access_key_hash, status, ttl_price_item,"
            " ttl_price_delivery, ttl_price, created_at, updated_at) VALUES"
            " ('o-guest', 1, 'guest_1', NULL, 'h', '입금 대기', 1, 0, 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),"
            " ('o-member', 2, 'u1', 'u1', NULL, '입금 대기', 1, 0, 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');"
            "INSERT INTO idempotency_keys (key, order_id, created_at) VALUES"
            " ('old-guest', 'o-guest', unixepoch ()), ('old-member', 'o-member', unixepoch ());");

  sd_test_server_restart (s, FALSE);
  g_assert_cmpint (query_int (s, "PRAGMA user_version"), >=, 3);
  g_assert_cmpint (query_int (s, "SELECT count (*) FROM idempotency_records WHERE key = 'old-guest'"), ==, 0);
  g_assert_cmpint (query_int (s, "SELECT count (*) FROM idempotency_records WHERE key = 'old-member'"
                                       " AND caller = 'user:u1' AND order_id = 'o-member'"), ==, 1);
  g_assert_cmpint (query_int (s, "SELECT count (*) FROM orders"), ==, 2);   /* orders stay */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/orders/idempotency/guest-scope", test_guest_key_scope);
  g_test_add_func ("/orders/idempotency/member-scope", test_member_key_scope);
  g_test_add_func ("/orders/access-key/random", test_access_key_random);
  g_test_add_func ("/orders/access-key/not-stored", test_access_key_not_stored);
  g_test_add_func ("/orders/access-key/bound-to-record", test_access_key_bound_to_record);
  sd_test_add_sqlite_only ("/orders/idempotency/migration", test_migration,
                           "a shop of schema version 2 is a SQLite file");
  return g_test_run ();
}
