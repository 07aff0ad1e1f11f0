/* test-local-search.c — the local store's instant search, on real SQLite
 * files in fresh XDG dirs: products and orders indexed as they are put
 * (Korean 1-, 2- and 3-syllable substrings, Latin, mixed, order and phone
 * numbers with and without hyphens), category names followed, best first,
 * newest-wins kept, and an index that goes with a forgotten or rebuilt
 * cache. */
#include <string.h>

#include "sd-local-store-private.h"
#include "sd-test-api.h"

#define SHOP g_test_get_path ()
#define T1 "2024-03-01T09:30:00.000Z"
#define T2 "2024-03-02T09:30:00.000Z"

static SdLocalStore *
store_open (const char *account, GError **notice)
{
  return sd_test_open_store (SHOP, account, notice);
}

/* Puts json (an array) as kind ("products", "categories" complete, or
 * "orders" seen by staff); how many were written. */
static gint64
store_put (SdLocalStore *store, const char *kind, const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *records;
  gint64 written;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  records = json_node_get_array (json_parser_get_root (parser));
  if (g_str_equal (kind, "products"))
    sd_local_store_put_products_async (store, "", 0, records, -1, NULL, sd_test_keep_result, &r);
  else if (g_str_equal (kind, "categories"))
    sd_local_store_put_categories_async (store, records, TRUE, NULL, sd_test_keep_result, &r);
  else
    sd_local_store_put_orders_async (store, records, FALSE, NULL, sd_test_keep_result, &r);
  written = sd_local_store_put_finish (store, sd_test_await (&r), &error);
  g_assert_no_error (error);
  return written;
}

/* The ids found for query, best first, joined by commas. */
static char *
found (SdLocalStore *store, SdSearchKind kind, const char *query)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  sd_local_store_search_async (store, kind, query, 50, NULL, sd_test_keep_result, &r);
  rows = sd_local_store_read_array_finish (store, sd_test_await (&r), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (rows, i), "_id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define assert_found(store, kind, query, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = found (store, kind, query); \
    if (g_strcmp0 (ids_, expected) != 0) \
      g_error ("%s: “%s” found “%s”, not “%s”", G_STRLOC, query, ids_, expected); \
  } G_STMT_END
#define PRODUCTS(store, query, expected) assert_found (store, SD_SEARCH_PRODUCTS, query, expected)
#define ORDERS(store, query, expected) assert_found (store, SD_SEARCH_ORDERS, query, expected)

/* ---- products ------------------------------------------------------------ */

#define CATEGORIES_1 "[{\"_id\":\"c1\",\"name\":\"주방용품\"}]"
#define CATEGORIES_2 "[{\"_id\":\"c1\",\"name\":\"생활용품\"},{\"_id\":\"c2\",\"name\":\"조리도구\"}]"
#define PRODUCTS_1 \
  "[{\"_id\":\"p1\",\"categoryId\":\"c1\",\"name\":\"라탄 수납 바구니\",\"brand\":\"꿀단집\",\"price\":12000," \
  "  \"description\":\"튼튼한 Rattan weave\",\"updatedAt\":\"" T1 "\"," \
  "  \"options\":{\"_id\":\"x1\",\"name\":\"색상\",\"value\":[\"내추럴\",\"화이트\"]}}," \
  " {\"_id\":\"p2\",\"categoryId\":\"c2\",\"name\":\"스테인리스 냄비\",\"price\":30000,\"updatedAt\":\"" T1 "\"}," \
  " {\"_id\":\"p3\",\"categoryId\":{\"_id\":\"c3\",\"name\":\"욕실\"},\"name\":\"Cotton Towel 수건\"," \
  "  \"price\":5000,\"options\":null,\"updatedAt\":\"" T1 "\"}]"

static void
test_products (void)
{
  g_autoptr(SdLocalStore) store = store_open ("u1", NULL);

  store_put (store, "categories", CATEGORIES_1);
  g_assert_cmpint (store_put (store, "products", PRODUCTS_1), ==, 3);

  /* Korean substrings of one, two and three syllables, and two words. */
  PRODUCTS (store, "바", "p1");
  PRODUCTS (store, "바구", "p1");
  PRODUCTS (store, "바구니", "p1");
  PRODUCTS (store, "수납 바구니", "p1");
  PRODUCTS (store, "냄", "p2");
  PRODUCTS (store, "구니바", "");
  /* Latin in the name and in the description, case folded; mixed. */
  PRODUCTS (store, "cotton", "p3");
  PRODUCTS (store, "TOWEL 수건", "p3");
  PRODUCTS (store, "rattan", "p1");
  PRODUCTS (store, "rattan 바구니", "p1");
  PRODUCTS (store, "rattan 냄비", "");
  /* Options, the brand, the category by name (cached, or in the record). */
  PRODUCTS (store, "화이트", "p1");
  PRODUCTS (store, "색상", "p1");
  PRODUCTS (store, "꿀단", "p1");
  PRODUCTS (store, "주방", "p1");
  PRODUCTS (store, "욕실", "p3");
  /* p2's category was not known when it was put: found once it is. */
  PRODUCTS (store, "조리", "");
  store_put (store, "categories", CATEGORIES_2);
  PRODUCTS (store, "조리", "p2");
  /* and a category renamed takes its products with it. */
  PRODUCTS (store, "주방", "");
  PRODUCTS (store, "생활용품", "p1");
  PRODUCTS (store, "", "");
  PRODUCTS (store, "   ", "");
}

static void
test_best_first_and_newest (void)
{
  g_autoptr(SdLocalStore) store = store_open ("u1", NULL);

  store_put (store, "products",
             "[{\"_id\":\"in-text\",\"name\":\"라탄 수납함\",\"description\":\"바구니처럼 쓰는\",\"price\":1},"
             " {\"_id\":\"in-name\",\"name\":\"대나무바구니\",\"price\":1},"
             " {\"_id\":\"at-start\",\"name\":\"바구니 세트\",\"price\":1}]");
  PRODUCTS (store, "바구니", "at-start,in-name,in-text");

  /* An older copy of a record changes neither the record nor its index. */
  g_assert_cmpint (store_put (store, "products", "[{\"_id\":\"p9\",\"name\":\"새 이름\",\"price\":1,"
                                                 "\"updatedAt\":\"" T2 "\"}]"), ==, 1);
  g_assert_cmpint (store_put (store, "products", "[{\"_id\":\"p9\",\"name\":\"옛 이름\",\"price\":1,"
                                                 "\"updatedAt\":\"" T1 "\"}]"), ==, 0);
  PRODUCTS (store, "옛", "");
  PRODUCTS (store, "새 이름", "p9");
  /* A newer one replaces what was indexed. */
  store_put (store, "products", "[{\"_id\":\"p9\",\"name\":\"고친 이름\",\"price\":1,"
                                "\"updatedAt\":\"2024-03-03T09:30:00.000Z\"}]");
  PRODUCTS (store, "새", "");
  PRODUCTS (store, "고친", "p9");
}

/* ---- orders -------------------------------------------------------------- */

#define ORDER(id, number, created, name, phone, address, detail, product) \
  "{\"_id\":\"" id "\",\"orderNumber\":\"" number "\",\"status\":\"결제 완료\",\"createdAt\":\"" created "\"," \
  "\"receiver\":{\"name\":\"" name "\",\"phoneNumber\":\"" phone "\",\"address\":\"" address "\"," \
  "\"addressDetail\":\"" detail "\"},\"payment\":{\"ttlPrice\":15000}," \
  "\"product\":[{\"id\":\"p1\",\"name\":\"" product "\",\"count\":1}]}"

static void
test_orders (void)
{
  g_autoptr(SdLocalStore) store = store_open ("staff", NULL);

  g_assert_cmpint (store_put (store, "orders",
                              "[" ORDER ("o1", "20261201-0001", T1, "김민지", "010-1234-5678",
                                         "서울시 마포구 월드컵로 1", "101동 202호", "라탄 수납 바구니") ","
                              ORDER ("o2", "20261201-0002", T2, "Jane Park", "01098765432",
                                     "부산시 해운대구", "3층", "Cotton Towel") "]"), ==, 2);
  /* The order number, with and without its hyphen, and a part of it. */
  ORDERS (store, "20261201-0001", "o1");
  ORDERS (store, "202612010002", "o2");
  ORDERS (store, "0002", "o2");
  /* Phone numbers, however they were written and are typed. */
  ORDERS (store, "010-1234-5678", "o1");
  ORDERS (store, "01012345678", "o1");
  ORDERS (store, "010-9876-5432", "o2");
  ORDERS (store, "5678", "o1");
  /* The receiver: one, two, three syllables; Latin. */
  ORDERS (store, "김", "o1");
  ORDERS (store, "민지", "o1");
  ORDERS (store, "김민지", "o1");
  ORDERS (store, "jane", "o2");
  /* The address and its detail, the products. */
  ORDERS (store, "마포구", "o1");
  ORDERS (store, "101동", "o1");
  ORDERS (store, "해운대", "o2");
  ORDERS (store, "바구니", "o1");
  ORDERS (store, "towel", "o2");
  ORDERS (store, "김민지 towel", "");
  /* Products and orders are searched apart. */
  PRODUCTS (store, "바구니", "");

  /* An order without its number: the one the client shows (createdAt's day
   * and the id's start, sd_order_dup_order_number). */
  store_put (store, "orders", "[{\"_id\":\"65e1abcdef\",\"status\":\"입금 대기\",\"createdAt\":\"" T1 "\"}]");
  ORDERS (store, "2024-03-01-65e1ab", "65e1abcdef");
}

/* ---- the index goes with the cache --------------------------------------- */

static void
test_forgotten_and_rebuilt (void)
{
  g_autoptr(SdLocalStore) store = store_open ("staff", NULL);
  g_autofree char *cache = g_strdup (sd_local_store_get_cache_path (store));
  g_autoptr(GError) notice = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *orders = "[" ORDER ("o1", "20261201-0001", T1, "김민지", "010-1234-5678", "마포구", "", "바구니") "]";

  store_put (store, "orders", orders);
  ORDERS (store, "김민지", "o1");
  /* Signing out drops the index with the file. */
  sd_local_store_forget_account_async (store, FALSE, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_local_store_forget_account_finish (store, sd_test_await (&r), &error));
  g_assert_no_error (error);
  ORDERS (store, "김민지", "");
  store_put (store, "orders", orders);
  ORDERS (store, "김민지", "o1");

  /* A damaged cache is made again, its index empty, and it indexes again. */
  sd_test_close_store (store);
  g_clear_object (&store);
  g_assert_true (g_file_set_contents (cache, "garbage, not a database\n", -1, NULL));
  store = store_open ("staff", &notice);
  g_assert_error (notice, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_REBUILT);
  ORDERS (store, "김민지", "");
  ORDERS (store, "바", "");
  store_put (store, "orders", orders);
  ORDERS (store, "바", "o1");
}

int
main (int argc, char **argv)
{
  g_autofree char *home = sd_test_fresh_xdg_dirs ();
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local-search/products", test_products);
  g_test_add_func ("/local-search/best-first-and-newest", test_best_first_and_newest);
  g_test_add_func ("/local-search/orders", test_orders);
  g_test_add_func ("/local-search/forgotten-and-rebuilt", test_forgotten_and_rebuilt);
  status = g_test_run ();
  sd_test_remove_tree (home);
  return status;
}
