/* test-local-store.c — SdLocalStore against real SQLite files in fresh XDG
 * dirs (one set per test): its files and their modes, pages put and read
 * back newest-wins, accounts kept apart and forgotten, a damaged cache
 * rebuilt beside a queue it never touches, the queue's order, and no
 * secret of a real session on disk. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "sd-local-store-private.h"
#include "sd-test-api.h"

/* Each test is a shop of its own (its path), so tests share no file. */
#define SHOP g_test_get_path ()

/* ---- helpers ------------------------------------------------------------- */

static gboolean file_has (const char *path, const char *needle);

static JsonArray *
array_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

/* The records' ids, joined by commas: one assertion per list. */
static char *
ids_of (JsonArray *array)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (array, i), "_id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static SdLocalStore *
open_store (const char *account, GError **notice)
{
  return sd_test_open_store (SHOP, account, notice);
}

/* flag: products, the listing's total (-1: not known); categories,
 * complete; orders, mine. */
static gint64
put (SdLocalStore *store, const char *what, const char *listing, guint offset, const char *json, gint64 flag)
{
  g_autoptr(JsonArray) records = array_of (json);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  gint64 written;

  if (g_str_equal (what, "products"))
    sd_local_store_put_products_async (store, listing, offset, records, flag, NULL, sd_test_keep_result, &r);
  else if (g_str_equal (what, "categories"))
    sd_local_store_put_categories_async (store, records, flag, NULL, sd_test_keep_result, &r);
  else
    sd_local_store_put_orders_async (store, records, flag, NULL, sd_test_keep_result, &r);
  written = sd_local_store_put_finish (store, sd_test_await (&r), &error);
  g_assert_no_error (error);
  return written;
}

/* Reads and returns the ids: "products" (listing, offset, limit),
 * "categories", "orders" (limit != 0: only mine). */
static char *
read_ids (SdLocalStore *store, const char *what, const char *listing, guint offset, guint limit)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  if (g_str_equal (what, "products"))
    sd_local_store_read_products_async (store, listing, offset, limit, NULL, sd_test_keep_result, &r);
  else if (g_str_equal (what, "categories"))
    sd_local_store_read_categories_async (store, NULL, sd_test_keep_result, &r);
  else
    sd_local_store_read_orders_async (store, limit != 0, NULL, sd_test_keep_result, &r);
  if (g_str_equal (what, "products"))
    rows = sd_local_store_read_products_finish (store, sd_test_await (&r), NULL, NULL, &error);
  else
    rows = sd_local_store_read_array_finish (store, sd_test_await (&r), &error);
  g_assert_no_error (error);
  return ids_of (rows);
}

static JsonObject *
read_order (SdLocalStore *store, const char *id, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_local_store_read_order_async (store, id, NULL, sd_test_keep_result, &r);
  return sd_local_store_read_order_finish (store, sd_test_await (&r), error);
}

static SdQueuedWrite *
enqueue (SdLocalStore *store, const char *target, const char *body, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_local_store_enqueue_async (store, "product", target, body, "2024-03-01T09:30:00.000Z", NULL,
                                sd_test_keep_result, &r);
  return sd_local_store_enqueue_finish (store, sd_test_await (&r), error);
}

/* The queue's targets, in order. */
static char *
queue_targets (SdLocalStore *store)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) writes = NULL;
  g_autoptr(GString) targets = g_string_new (NULL);

  sd_local_store_list_queue_async (store, NULL, sd_test_keep_result, &r);
  writes = sd_local_store_list_queue_finish (store, sd_test_await (&r), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < writes->len; i++)
    {
      SdQueuedWrite *w = g_ptr_array_index (writes, i);
      if (i > 0)
        g_assert_cmpint (w->seq, >, ((SdQueuedWrite *) g_ptr_array_index (writes, i - 1))->seq);
      g_string_append_printf (targets, "%s%s", i ? "," : "", w->target_id);
    }
  return g_string_free (g_steal_pointer (&targets), FALSE);
}

static gboolean
dequeue (SdLocalStore *store, const char *key, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_local_store_dequeue_async (store, key, NULL, sd_test_keep_result, &r);
  return sd_local_store_dequeue_finish (store, sd_test_await (&r), error);
}

/* Closes the store's files and drops it (its worker may end later). */
static void
close_store (SdLocalStore **store)
{
  sd_test_close_store (*store);
  g_clear_object (store);
}

static void
forget (SdLocalStore *store, gboolean with_queue)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sd_local_store_forget_account_async (store, with_queue, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_local_store_forget_account_finish (store, sd_test_await (&r), &error));
  g_assert_no_error (error);
}

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

#define P(id, cat, updated) "{\"_id\":\"" id "\",\"categoryId\":\"" cat "\",\"name\":\"" id "\"," \
                            "\"updatedAt\":\"" updated "\"}"
#define T1 "2024-03-01T09:30:00.000Z"
#define T2 "2024-03-02T09:30:00.000Z"

/* ---- files --------------------------------------------------------------- */

static void
test_files (void)
{
  const char *account = "65e1a2b3c4d5e6f708192a3b";
  g_autofree char *local = g_build_filename (g_get_user_cache_dir (), "storedesk", "local", NULL);
  g_autoptr(SdLocalStore) probe = sd_local_store_new (SHOP, account);
  g_autofree char *cache = g_strdup (sd_local_store_get_cache_path (probe));
  g_autofree char *dir = g_path_get_dirname (cache);
  g_autofree char *queue = g_strdup (sd_local_store_get_queue_path (probe));
  g_autofree char *wal = g_strconcat (cache, "-wal", NULL);
  g_autoptr(SdLocalStore) store = NULL;

  g_assert_true (g_str_has_prefix (cache, local));
  g_assert_true (g_str_has_prefix (queue, g_get_user_data_dir ()));
  g_assert_null (strstr (cache, account));
  g_assert_null (strstr (cache, SHOP));
  g_assert_cmpstr (sd_local_store_get_account (probe), ==, account);
  g_clear_object (&probe);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));   /* nothing opened yet */

  /* A file left world-readable (by an older copy, a restore) is narrowed. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (cache, "", 0, NULL));
  g_assert_cmpint (g_chmod (cache, 0644), ==, 0);

  store = open_store (account, NULL);
  g_assert_cmpint (put (store, "products", "", 0, "[" P ("p1", "c1", T1) "]", 1), ==, 1);
  g_assert_cmpuint (mode_of (cache), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (queue), ==, 0600);
  g_assert_cmpuint (mode_of (dir), ==, 0700);
  g_assert_cmpuint (mode_of (local), ==, 0700);

  /* A guest and a member of the same shop: two files. */
  {
    g_autoptr(SdLocalStore) guest = sd_local_store_new (SHOP, NULL);
    g_assert_cmpstr (sd_local_store_get_account (guest), ==, "guest");
    g_assert_cmpstr (sd_local_store_get_cache_path (guest), !=, cache);
  }
}

/* ---- products and categories ------------------------------------------- */

static void
test_products (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autofree char *page1 = NULL, *page2 = NULL, *c1 = NULL, *after_last = NULL;
  g_autoptr(GError) error = NULL;

  /* Two pages of the whole catalog, then one of a category's listing. */
  g_assert_cmpint (put (store, "products", "", 0, "[" P ("p3", "c1", T1) "," P ("p1", "c2", T1) "]", -1), ==, 2);
  g_assert_cmpint (put (store, "products", "", 2, "[" P ("p2", "c1", T1) "]", -1), ==, 1);
  g_assert_cmpint (put (store, "products", "category=c1", 0, "[" P ("p3", "c1", T1) "," P ("p2", "c1", T1) "]", 2), ==, 2);
  page1 = read_ids (store, "products", "", 0, 2);
  page2 = read_ids (store, "products", "", 2, 2);
  c1 = read_ids (store, "products", "category=c1", 0, 20);
  g_assert_cmpstr (page1, ==, "p3,p1");   /* the shop's order, not the ids' */
  g_assert_cmpstr (page2, ==, "p2");
  g_assert_cmpstr (c1, ==, "p3,p2");
  g_clear_pointer (&page1, g_free);
  page1 = read_ids (store, "products", "never-loaded", 0, 20);
  g_assert_cmpstr (page1, ==, "");

  /* Newest wins: an older copy is not kept, a newer one is. */
  g_assert_cmpint (put (store, "products", "", 0, "[{\"_id\":\"p3\",\"name\":\"old\",\"updatedAt\":\"2024-02-01T00:00:00.000Z\"}]",
                        -1), ==, 0);
  g_assert_cmpint (put (store, "products", "", 0, "[{\"_id\":\"p3\",\"name\":\"new\",\"categoryId\":\"c1\","
                        "\"updatedAt\":\"" T2 "\"}]", -1), ==, 1);
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(JsonArray) rows = NULL;
    sd_local_store_read_products_async (store, "category=c1", 0, 1, NULL, sd_test_keep_result, &r);
    rows = sd_local_store_read_products_finish (store, sd_test_await (&r), NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "name"), ==, "new");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "updatedAt"), ==, T2);
  }

  /* The listing is shorter now: the places after its total go. */
  g_assert_cmpint (put (store, "products", "", 0, "[" P ("p1", "c2", T2) "]", 1), ==, 1);
  after_last = read_ids (store, "products", "", 0, 20);
  g_assert_cmpstr (after_last, ==, "p1");

  /* Records without an id, and not objects, are left out. */
  g_assert_cmpint (put (store, "products", "x", 0, "[{\"name\":\"no id\"}, 3, \"s\"]", -1), ==, 0);
}

/* A listing's total, as the shop said it, comes back with its pages. */
static void
test_listing_total (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0, stored = 0, before = g_get_real_time ();

  sd_local_store_read_products_async (store, "", 0, 20, NULL, sd_test_keep_result, &r);
  rows = sd_local_store_read_products_finish (store, sd_test_await (&r), &total, &stored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, -1);
  g_assert_cmpint (stored, ==, -1);
  g_clear_pointer (&rows, json_array_unref);
  g_clear_object (&r);

  put (store, "products", "", 0, "[" P ("p1", "c1", T1) "," P ("p2", "c1", T1) "]", 1234);
  put (store, "products", "", 2, "[" P ("p3", "c1", T1) "]", -1);   /* not said: kept */
  sd_local_store_read_products_async (store, "", 0, 20, NULL, sd_test_keep_result, &r);
  rows = sd_local_store_read_products_finish (store, sd_test_await (&r), &total, &stored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_cmpint (total, ==, 1234);
  g_assert_cmpint (stored, >=, before);
}

/* A cache of schema version 1 (before listing totals) is migrated, its
 * records kept. */
static void
test_migration (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autofree char *cache = g_strdup (sd_local_store_get_cache_path (store));
  g_autoptr(GError) notice = NULL;
  g_autofree char *kept = NULL, *version = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  put (store, "products", "", 0, "[" P ("p1", "c1", T1) "]", 1);
  close_store (&store);
  g_assert_cmpint (sqlite3_open (cache, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE listing_totals; PRAGMA user_version = 1;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store ("u1", &notice);
  g_assert_no_error (notice);
  kept = read_ids (store, "products", "", 0, 20);
  g_assert_cmpstr (kept, ==, "p1");
  put (store, "products", "", 0, "[" P ("p1", "c1", T1) "]", 1);
  close_store (&store);
  g_assert_cmpint (sqlite3_open (cache, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_categories (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autofree char *all = NULL, *complete = NULL;

  g_assert_cmpint (put (store, "categories", NULL, 0,
                        "[{\"_id\":\"c2\",\"name\":\"B\"},{\"_id\":\"c1\",\"name\":\"A\"},{\"_id\":\"c3\",\"name\":\"C\"}]",
                        TRUE), ==, 3);
  all = read_ids (store, "categories", NULL, 0, 0);
  g_assert_cmpstr (all, ==, "c2,c1,c3");
  /* The complete list without c1, reordered; c3 older than kept (kept, moved). */
  put (store, "categories", NULL, 0, "[{\"_id\":\"c3\",\"name\":\"C\",\"updatedAt\":\"" T2 "\"},{\"_id\":\"c2\"}]", TRUE);
  g_assert_cmpint (put (store, "categories", NULL, 0,
                        "[{\"_id\":\"c2\"},{\"_id\":\"c3\",\"name\":\"stale\",\"updatedAt\":\"" T1 "\"}]",
                        TRUE), ==, 1);
  complete = read_ids (store, "categories", NULL, 0, 0);
  g_assert_cmpstr (complete, ==, "c2,c3");
}

/* ---- orders ----------------------------------------------------------- */

#define O(id, created, updated) "{\"_id\":\"" id "\",\"createdAt\":\"" created "\",\"updatedAt\":\"" updated "\"," \
                                "\"status\":\"결제 완료\",\"accessKey\":\"SECRET-KEY-" id "\"}"

static void
test_orders (void)
{
  g_autoptr(SdLocalStore) store = open_store ("staff", NULL);
  g_autofree char *all = NULL, *mine = NULL;
  g_autoptr(JsonObject) o2 = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (put (store, "orders", NULL, 0, "[" O ("o1", T1, T1) "]", TRUE), ==, 1);
  g_assert_cmpint (put (store, "orders", NULL, 0, "[" O ("o2", T2, T2) "," O ("o1", T1, T1) "]", FALSE), ==, 2);
  all = read_ids (store, "orders", NULL, 0, 0);
  mine = read_ids (store, "orders", NULL, 0, 1);
  g_assert_cmpstr (all, ==, "o2,o1");   /* newest first */
  g_assert_cmpstr (mine, ==, "o1");     /* seen as staff after: still mine */

  o2 = read_order (store, "o2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o2, "status"), ==, "결제 완료");
  g_assert_false (json_object_has_member (o2, "accessKey"));   /* a guest's code */
  none = read_order (store, "o9", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (none);
}

/* ---- accounts ----------------------------------------------------------- */

static void
test_accounts (void)
{
  g_autoptr(SdLocalStore) alice = open_store ("alice", NULL);
  g_autoptr(SdLocalStore) bob = NULL;
  g_autoptr(SdLocalStore) again = NULL;
  g_autofree char *seen_by_bob = NULL, *after = NULL, *queue_after = NULL, *queue_gone = NULL;
  g_autoptr(SdQueuedWrite) w = NULL;
  g_autofree char *cache = g_strdup (sd_local_store_get_cache_path (alice));

  put (alice, "orders", NULL, 0, "[" O ("alice-order", T1, T1) "]", TRUE);
  w = enqueue (alice, "p1", "{\"price\":1000}", NULL);
  g_assert_nonnull (w);

  /* Another account on the same PC: its own files, none of alice's orders. */
  bob = open_store ("bob", NULL);
  seen_by_bob = read_ids (bob, "orders", NULL, 0, 0);
  g_assert_cmpstr (seen_by_bob, ==, "");
  g_assert_cmpstr (sd_local_store_get_cache_path (bob), !=, cache);

  /* Alice signs out: her cache file is gone; her queue stays unless asked. */
  forget (alice, FALSE);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_clear_object (&alice);
  again = open_store ("alice", NULL);
  after = read_ids (again, "orders", NULL, 0, 0);
  g_assert_cmpstr (after, ==, "");
  queue_after = queue_targets (again);
  g_assert_cmpstr (queue_after, ==, "p1");
  forget (again, TRUE);
  g_assert_false (g_file_test (sd_local_store_get_queue_path (again), G_FILE_TEST_EXISTS));
  queue_gone = queue_targets (again);
  g_assert_cmpstr (queue_gone, ==, "");
}

/* ---- a damaged cache ---------------------------------------------------- */

static void
damage_and_reopen (const char *garbage_or_sql)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autoptr(GError) notice = NULL;
  g_autofree char *cache = g_strdup (sd_local_store_get_cache_path (store));
  g_autofree char *left = NULL, *queued = NULL, *usable = NULL;
  g_autoptr(SdQueuedWrite) w = NULL;

  put (store, "products", "", 0, "[" P ("p1", "c1", T1) "]", 1);
  w = enqueue (store, "p1", "{\"stock\":{\"delta\":-1}}", NULL);
  close_store (&store);

  if (g_str_has_prefix (garbage_or_sql, "PRAGMA"))
    {
      sqlite3 *db = NULL;
      g_assert_cmpint (sqlite3_open (cache, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, garbage_or_sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
  else
    g_assert_true (g_file_set_contents (cache, garbage_or_sql, -1, NULL));

  store = open_store ("u1", &notice);
  g_assert_error (notice, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_REBUILT);
  g_assert_nonnull (strstr (notice->message, "started again"));
  g_test_message ("notice: %s", notice->message);
  left = read_ids (store, "products", "", 0, 20);
  g_assert_cmpstr (left, ==, "");   /* empty: it fills again from the shop */
  queued = queue_targets (store);
  g_assert_cmpstr (queued, ==, "p1");   /* never touched */
  put (store, "products", "", 0, "[" P ("p2", "c1", T1) "]", 1);
  usable = read_ids (store, "products", "", 0, 20);
  g_assert_cmpstr (usable, ==, "p2");
  g_assert_cmpuint (mode_of (cache), ==, 0600);
}

static void
test_garbage (void)
{
  damage_and_reopen ("this is not a database, just garbage written over it\n");
}

static void
test_newer_schema (void)
{
  damage_and_reopen ("PRAGMA user_version = 99");
}

/* ---- the queue --------------------------------------------------------- */

static void
test_queue (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autoptr(SdQueuedWrite) a = enqueue (store, "a", "{\"price\":1}", NULL);
  g_autoptr(SdQueuedWrite) b = enqueue (store, "b", "{\"price\":2}", NULL);
  g_autoptr(SdQueuedWrite) c = enqueue (store, "c", "{\"price\":3}", NULL);
  g_autoptr(SdQueuedWrite) d = NULL;
  g_autoptr(SdQueuedWrite) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *three = NULL, *two = NULL, *reopened = NULL;

  g_assert_cmpstr (a->kind, ==, "product");
  g_assert_cmpstr (a->base_updated_at, ==, "2024-03-01T09:30:00.000Z");
  g_assert_true (g_uuid_string_is_valid (a->idempotency_key));
  g_assert_cmpstr (a->idempotency_key, !=, b->idempotency_key);
  three = queue_targets (store);
  g_assert_cmpstr (three, ==, "a,b,c");

  /* Removing the newest, then adding: the order still holds. */
  g_assert_true (dequeue (store, c->idempotency_key, &error));
  g_assert_no_error (error);
  g_assert_false (dequeue (store, c->idempotency_key, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  d = enqueue (store, "d", "{\"price\":4}", NULL);
  g_assert_cmpint (d->seq, >, c->seq);
  g_assert_true (dequeue (store, a->idempotency_key, NULL));
  two = queue_targets (store);
  g_assert_cmpstr (two, ==, "b,d");

  /* Not a JSON object, or no kind: refused, nothing queued. */
  refused = enqueue (store, "e", "[1,2]", &error);
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = enqueue (store, "e", "{\"price\":", &error);
  g_assert_nonnull (error);
  g_assert_null (refused);
  g_clear_error (&error);

  /* On disk: a new store (as after a restart) finds the same queue. */
  close_store (&store);
  store = open_store ("u1", NULL);
  reopened = queue_targets (store);
  g_assert_cmpstr (reopened, ==, "b,d");
}

/* A queue that cannot be read is set aside, never deleted, and a new one
 * started. */
static void
test_queue_garbage (void)
{
  g_autoptr(SdLocalStore) store = open_store ("u1", NULL);
  g_autoptr(SdQueuedWrite) a = enqueue (store, "a", "{\"price\":1}", NULL);
  g_autofree char *queue = g_strdup (sd_local_store_get_queue_path (store));
  g_autofree char *dir = g_path_get_dirname (queue);
  g_autofree char *base = g_path_get_basename (queue);
  g_autofree char *empty = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint aside = 0;

  close_store (&store);
  g_assert_true (g_file_set_contents (queue, "garbage, not a queue", -1, NULL));
  store = open_store ("u1", NULL);
  empty = queue_targets (store);
  g_assert_cmpstr (empty, ==, "");
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)))
    if (g_str_has_prefix (name, base) && strstr (name, ".unreadable-"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_assert_true (file_has (path, "garbage, not a queue"));
        aside++;
      }
  g_assert_cmpuint (aside, ==, 1);
}

/* A shop shows its id for the first time: every account's queue moves to
 * the new key, merged after what is there, and the old caches go. */
static void
queue_under (const char *shop, const char *account, const char * const *targets)
{
  g_autoptr(SdLocalStore) store = sd_local_store_new (shop, account);

  for (; *targets; targets++)
    {
      g_autoptr(SdQueuedWrite) w = enqueue (store, *targets, "{\"price\":1}", NULL);
      g_assert_nonnull (w);
    }
  put (store, "products", "", 0, "[" P ("p1", "c1", T1) "]", 1);
  close_store (&store);
}

static char *
queued_under (const char *shop, const char *account)
{
  g_autoptr(SdLocalStore) store = sd_local_store_new (shop, account);
  char *targets = queue_targets (store);

  close_store (&store);
  return targets;
}

static void
test_shop_key_changes (void)
{
  g_autofree char *origin = g_strconcat ("http://127.0.0.1:1", SHOP, NULL);
  g_autofree char *id = g_strconcat ("shop-id-", SHOP, NULL);
  g_autoptr(SdLocalStore) old = sd_local_store_new (origin, "u1");
  g_autofree char *old_cache = g_strdup (sd_local_store_get_cache_path (old));
  g_autofree char *u1 = NULL, *guest = NULL, *left = NULL, *again = NULL;

  g_clear_object (&old);
  queue_under (origin, "u1", (const char *[]) { "a", "b", NULL });
  queue_under (origin, NULL, (const char *[]) { "g", NULL });
  queue_under (id, "u1", (const char *[]) { "c", NULL });
  g_assert_true (g_file_test (old_cache, G_FILE_TEST_EXISTS));

  sd_local_store_migrate_shop (origin, id);
  u1 = queued_under (id, "u1");
  guest = queued_under (id, NULL);
  g_assert_cmpstr (u1, ==, "c,a,b");
  g_assert_cmpstr (guest, ==, "g");
  g_assert_false (g_file_test (old_cache, G_FILE_TEST_EXISTS));
  left = queued_under (origin, "u1");
  g_assert_cmpstr (left, ==, "");

  /* Moved once: migrating again doubles nothing. */
  sd_local_store_migrate_shop (origin, id);
  again = queued_under (id, "u1");
  g_assert_cmpstr (again, ==, "c,a,b");
}

/* Calls run in the order they were made, and a call cancelled before its
 * turn does nothing. */
static void
test_order_and_cancel (void)
{
  g_autoptr(SdLocalStore) store = sd_local_store_new (SHOP, "u1");
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(JsonArray) first = array_of ("[" P ("p1", "c1", T1) "]");
  g_autoptr(JsonArray) second = array_of ("[" P ("p2", "c1", T1) "]");
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

  /* No open_async: the first call opens. None awaited before the read. */
  sd_local_store_put_products_async (store, "", 0, first, -1, NULL, sd_test_keep_result, &r1);
  sd_local_store_put_products_async (store, "", 1, second, 2, cancelled, sd_test_keep_result, &r2);
  g_cancellable_cancel (cancelled);
  sd_local_store_read_products_async (store, "", 0, 10, NULL, sd_test_keep_result, &r3);
  rows = sd_local_store_read_products_finish (store, sd_test_await (&r3), NULL, NULL, &error);
  g_assert_no_error (error);
  ids = ids_of (rows);
  g_assert_cmpstr (ids, ==, "p1");
  g_assert_cmpint (sd_local_store_put_finish (store, sd_test_await (&r1), NULL), ==, 1);
  g_assert_cmpint (sd_local_store_put_finish (store, sd_test_await (&r2), &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- no secrets --------------------------------------------------------- */

static gboolean
file_has (const char *path, const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &bytes, &len, NULL))
    return FALSE;
  return memmem (bytes, len, needle, strlen (needle)) != NULL;
}

static gboolean
store_files_have (SdLocalStore *store, const char *needle)
{
  const char *paths[] = { sd_local_store_get_cache_path (store), sd_local_store_get_queue_path (store) };
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
      {
        g_autofree char *p = g_strconcat (paths[i], suffixes[j], NULL);
        if (file_has (p, needle))
          return TRUE;
      }
  return FALSE;
}

/* A real session's token, password and a guest's order key: what the shop
 * answers goes in, they never do. */
static void
test_no_secrets (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *token = customer_token (s);
  g_autofree char *product = new_product (s, admin, 12000, "5");
  const char *guest_key;
  g_autofree char *mine = place_order (s, token, product, 12000, NULL);
  g_autofree char *guest_body = order_json (product, 1, 12000, NULL, TRUE);
  g_autoptr(SdTestReply) guest_order = sd_test_http (s, "POST", "/api/v1/orders", NULL, guest_body, NULL);
  JsonObject *guest_object = sd_test_data_object (guest_order, 201);
  const char *guest = json_object_get_string_member (guest_object, "_id");
  g_autoptr(SdTestReply) orders = sd_test_http (s, "GET", "/api/v1/orders", token, NULL, NULL);
  g_autoptr(JsonArray) seen = json_array_new ();
  g_autoptr(SdLocalStore) store = open_store ("customer", NULL);
  g_autofree char *body = g_strdup_printf ("{\"memo\":\"문 앞\",\"accessToken\":\"%s\",\"password\":\"%s\"}",
                                           token, CUSTOMER_PASSWORD);
  g_autoptr(SdQueuedWrite) w = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  guest_key = json_object_get_string_member (guest_object, "accessKey");
  g_assert_nonnull (guest_key);
  json_array_add_element (seen, json_node_init_object (json_node_alloc (), guest_object));
  sd_local_store_put_orders_async (store, json_node_get_array (sd_test_data (orders, 200)), TRUE, NULL,
                                   sd_test_keep_result, &r);
  g_assert_cmpint (sd_local_store_put_finish (store, sd_test_await (&r), &error), >=, 1);
  g_assert_no_error (error);
  g_clear_object (&r);
  sd_local_store_put_orders_async (store, seen, FALSE, NULL, sd_test_keep_result, &r);
  g_assert_cmpint (sd_local_store_put_finish (store, sd_test_await (&r), &error), ==, 1);
  g_assert_no_error (error);
  w = enqueue (store, mine, body, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (w->body, token));
  g_assert_nonnull (strstr (w->body, "memo"));

  close_store (&store);   /* what is on disk is all there is */
  store = sd_local_store_new (SHOP, "customer");
  /* The search can find what is there (the orders' ids) ... */
  g_assert_true (store_files_have (store, mine));
  g_assert_true (store_files_have (store, guest));
  /* ... and finds none of the secrets. */
  g_assert_false (store_files_have (store, token));
  g_assert_false (store_files_have (store, CUSTOMER_PASSWORD));
  g_assert_false (store_files_have (store, guest_key));
}

int
main (int argc, char **argv)
{
  /* Fresh XDG dirs (not G_TEST_OPTION_ISOLATE_DIRS: it hides the system's
   * GSettings schemas, which libsoup's proxy resolver needs). */
  g_autofree char *home = sd_test_fresh_xdg_dirs ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local-store/files", test_files);
  g_test_add_func ("/local-store/products", test_products);
  g_test_add_func ("/local-store/listing-total", test_listing_total);
  g_test_add_func ("/local-store/migration", test_migration);
  g_test_add_func ("/local-store/categories", test_categories);
  g_test_add_func ("/local-store/orders", test_orders);
  g_test_add_func ("/local-store/accounts", test_accounts);
  g_test_add_func ("/local-store/garbage", test_garbage);
  g_test_add_func ("/local-store/newer-schema", test_newer_schema);
  g_test_add_func ("/local-store/queue", test_queue);
  g_test_add_func ("/local-store/queue-garbage", test_queue_garbage);
  g_test_add_func ("/local-store/shop-key-changes", test_shop_key_changes);
  g_test_add_func ("/local-store/order-and-cancel", test_order_and_cancel);
  g_test_add_func ("/local-store/no-secrets", test_no_secrets);
  status = g_test_run ();
  sd_test_remove_tree (home);
  return status;
}
