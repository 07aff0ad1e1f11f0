/* test-search-index.c — SdSearchIndex on a real SQLite file: Korean
 * substrings of 1, 2 and 3 syllables, Latin in any case and width, mixed
 * queries, order and phone numbers with and without hyphens, ranking,
 * updates and removals, and hostile queries. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "sd-search-index.h"

typedef struct {
  char          *dir;
  char          *path;
  SdSearchIndex *index;
} Fixture;

static void
put_product (SdSearchIndex      *index,
             const char         *id,
             const char         *name,
             const char         *description,
             const char         *category,
             const char * const *options)
{
  g_autoptr(GError) error = NULL;
  SdSearchProduct p = { name, description, category, options };

  g_assert_true (sd_search_index_put_product (index, id, &p, &error));
  g_assert_no_error (error);
}

static void
put_order (SdSearchIndex      *index,
           const char         *id,
           const char         *number,
           const char         *receiver,
           const char         *phone,
           const char         *address,
           const char * const *products)
{
  g_autoptr(GError) error = NULL;
  SdSearchOrder o = { number, receiver, phone, address, products };

  g_assert_true (sd_search_index_put_order (index, id, &o, &error));
  g_assert_no_error (error);
}

static void
fill (SdSearchIndex *index)
{
  const char *basket_options[] = { "색상", "내추럴", NULL };
  const char *lamp_options[] = { "색상", "화이트", NULL };
  const char *first_lines[] = { "라탄 수납 바구니", NULL };
  const char *second_lines[] = { "LED 스탠드 조명", "Wooden Tray 나무 쟁반", NULL };

  put_product (index, "p1", "라탄 수납 바구니", "거실 정리에 좋은 바구니입니다", "수납", basket_options);
  put_product (index, "p2", "LED 스탠드 조명", "눈이 편한 빛", "조명", lamp_options);
  put_product (index, "p3", "Wooden Tray 나무 쟁반", NULL, "주방", NULL);
  put_product (index, "p4", "바나나 모양 쿠션", "", "침구", NULL);
  put_product (index, "p5", "대바구니", "대나무로 엮은", NULL, NULL);
  put_order (index, "o1", "20261201-0001", "홍길동", "010-1234-5678", "서울시 마포구 월드컵로 1",
             first_lines);
  put_order (index, "o2", "20261201-0002", "김영희", "01098765432", "부산시 해운대구 해변로 2",
             second_lines);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("search-index-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cache.sqlite", NULL);
  f->index = sd_search_index_open (f->path, &error);
  g_assert_no_error (error);
  fill (f->index);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  sd_search_index_free (f->index);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The ids query finds, comma-joined in their order. */
static char *
find (SdSearchIndex *index,
      SdSearchKind   kind,
      const char    *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = sd_search_index_find (index, kind, query, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

#define assert_finds(index, kind, query, expected) \
  G_STMT_START { \
    g_autofree char *found_ = find ((index), (kind), (query)); \
    g_assert_cmpstr (found_, ==, (expected)); \
  } G_STMT_END
#define assert_products(f, query, expected) assert_finds ((f)->index, SD_SEARCH_PRODUCTS, query, expected)
#define assert_orders(f, query, expected) assert_finds ((f)->index, SD_SEARCH_ORDERS, query, expected)

static void
test_korean (Fixture *f, gconstpointer data)
{
  /* 1, 2 and 3 syllables; a name starting a word with them comes first. */
  assert_products (f, "바", "p1,p4,p5");
  assert_products (f, "바구", "p1,p5");
  assert_products (f, "바구니", "p1,p5");
  assert_products (f, "구니", "p1,p5");
  assert_products (f, "대바", "p5");
  assert_products (f, "라탄 수납 바구니", "p1");
  /* Category, options and the description. */
  assert_products (f, "내추럴", "p1");
  assert_products (f, "화이", "p2");
  assert_products (f, "침구", "p4");
  assert_products (f, "정리에", "p1");
  assert_products (f, "대나무로", "p5");
  assert_products (f, "없는말", "");
  assert_products (f, "뷁", "");
  /* Products and orders apart. */
  assert_products (f, "홍길동", "");
  assert_orders (f, "바구니", "o1");

  /* Ranked: a word of the name starting with it, in the name, elsewhere
   * (whatever the order rows came in). 1-2 characters: names and the
   * short fields only, not descriptions. */
  put_product (f->index, "p8", "원목 상자", "바구니 대신 쓰는 상자", NULL, NULL);
  put_product (f->index, "p9", "장바구니", NULL, NULL, NULL);
  put_product (f->index, "p10", "플라스틱 바구니", NULL, NULL, NULL);
  assert_products (f, "바구니", "p1,p10,p5,p9,p8");
  assert_products (f, "바구", "p1,p10,p5,p9");
}

static void
test_latin_and_mixed (Fixture *f, gconstpointer data)
{
  assert_products (f, "led", "p2");
  assert_products (f, "Led", "p2");
  assert_products (f, "ＬＥＤ", "p2");       /* full width */
  assert_products (f, "W", "p3");
  assert_products (f, "tr", "p3");
  assert_products (f, "TRAY", "p3");
  assert_products (f, "wood", "p3");
  assert_products (f, "LED 스탠드", "p2");
  assert_products (f, "스탠드 led", "p2");
  assert_products (f, "led 조", "p2");
  assert_products (f, "나무 tray", "p3");
  assert_products (f, "LED 바구니", "");
  assert_products (f, "led 바", "");
  assert_orders (f, "led 스탠드", "o2");
  /* A sign in a short term: no gram holds it, the text is read. */
  put_product (f->index, "p6", "K-POP 머그컵", NULL, NULL, NULL);
  assert_products (f, "k-", "p6");
  assert_products (f, "-p", "p6");
  assert_products (f, "K-POP", "p6");
  assert_products (f, "k-pop 머그", "p6");
}

static void
test_numbers (Fixture *f, gconstpointer data)
{
  assert_orders (f, "20261201-0001", "o1");
  assert_orders (f, "202612010001", "o1");
  assert_orders (f, "0002", "o2");
  assert_orders (f, "20261201", "o1,o2");
  assert_orders (f, "20261201-", "o1,o2");
  assert_orders (f, "010-1234-5678", "o1");
  assert_orders (f, "01012345678", "o1");
  assert_orders (f, "010-9876-5432", "o2");
  assert_orders (f, "010 9876 5432", "o2");
  assert_orders (f, "5678", "o1");
  assert_orders (f, "1234-56", "o1");
  assert_orders (f, "010-1111-2222", "");
  /* The receiver, the address. */
  assert_orders (f, "홍", "o1");
  assert_orders (f, "길동", "o1");
  assert_orders (f, "해운대", "o2");
  assert_orders (f, "마포", "o1");
}

static void
test_update_and_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *lines[] = { "USB 책상 램프", NULL };

  put_product (f->index, "p2", "USB 책상 램프", "밝은 빛", "조명", NULL);
  assert_products (f, "led", "");
  assert_products (f, "스탠드", "");
  assert_products (f, "스탠", "");
  assert_products (f, "램프", "p2");
  assert_products (f, "램", "p2");
  assert_products (f, "usb", "p2");

  put_order (f->index, "o1", "20261201-0001", "홍길순", "010-5555-6666", "서울시", lines);
  assert_orders (f, "01012345678", "");
  assert_orders (f, "010-5555-6666", "o1");
  assert_orders (f, "길순", "o1");
  assert_orders (f, "길동", "");

  g_assert_true (sd_search_index_remove (f->index, SD_SEARCH_PRODUCTS, "p1", &error));
  g_assert_no_error (error);
  assert_products (f, "바구니", "p5");
  assert_products (f, "바구", "p5");
  assert_products (f, "라", "");
  assert_products (f, "내추럴", "");
  /* Removing what is not there is fine, and touches nothing else. */
  g_assert_true (sd_search_index_remove (f->index, SD_SEARCH_PRODUCTS, "p1", &error));
  g_assert_true (sd_search_index_remove (f->index, SD_SEARCH_ORDERS, "p5", &error));
  g_assert_no_error (error);
  assert_products (f, "바구니", "p5");

  g_assert_true (sd_search_index_clear (f->index, SD_SEARCH_ORDERS, &error));
  g_assert_no_error (error);
  assert_orders (f, "0001", "");
  assert_orders (f, "홍", "");
  assert_products (f, "바", "p4,p5");
}

static void
test_limit_and_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) one = sd_search_index_find (f->index, SD_SEARCH_PRODUCTS, "바", 1, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (one, 0), ==, "p1");

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Closed and opened again: it is all still there. */
  sd_search_index_free (f->index);
  f->index = sd_search_index_open (f->path, &error);
  g_assert_no_error (error);
  assert_products (f, "바구", "p1,p5");
  assert_orders (f, "010-1234-5678", "o1");
}

/* Quotes, FTS5 operators, signs, blanks and a huge query: no error, no
 * match where nothing holds them. */
static void
test_hostile_queries (Fixture *f, gconstpointer data)
{
  const char *queries[] = { "\"", "a\"b", "*", "NEAR(led", "led*", "-", "a-", "^바", "OR",
                            "name:led", "(", "'", "%", "_", "\\", "\xff\xfe", "", "   " };
  g_autofree char *huge = g_strnfill (100000, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_products (f, queries[i], "");
  assert_products (f, huge, "");
  assert_products (f, "바\"구", "");
}

/* On a connection the caller owns (the local store's), beside its tables. */
static void
test_given_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchIndex) index = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE product (id TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  index = sd_search_index_new (db, &error);
  g_assert_no_error (error);
  fill (index);
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구", "p1,p5");
  /* A put inside the caller's transaction is undone with it. */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  put_product (index, "p9", "바구미 퇴치제", NULL, NULL, NULL);
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구미", "p9");
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구미", "");
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구", "p1,p5");
  g_clear_pointer (&index, sd_search_index_free);
  sqlite3_close (db);
}

/* A short term held by thousands of rows beside a long one is checked on
 * the text rather than listed from the gram index: the same results. */
static void
test_common_short_term (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchIndex) index = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  index = sd_search_index_new (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 30500; i++)   /* over sd-search-query.c's RARE */
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_autofree char *name = g_strdup_printf ("라탄 바구니 %u호", i);

      put_product (index, id, name, i % 2 ? NULL : "설명 없음", NULL, NULL);
    }
  put_product (index, "last", "대나무 바구니", NULL, NULL, NULL);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  ids = sd_search_index_find (index, SD_SEARCH_PRODUCTS, "바구니 라", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 50);
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구니 뷁", "");
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구니 대", "last");
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구니 24321호", "p24321");
  assert_finds (index, SD_SEARCH_PRODUCTS, "라 24321호", "p24321");
  /* Short terms look at names and the short fields, common or not. */
  assert_finds (index, SD_SEARCH_PRODUCTS, "바구니 설명", "");
  g_clear_pointer (&index, sd_search_index_free);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/search-index/korean", Fixture, NULL, setup, test_korean, teardown);
  g_test_add ("/search-index/latin-and-mixed", Fixture, NULL, setup, test_latin_and_mixed, teardown);
  g_test_add ("/search-index/numbers", Fixture, NULL, setup, test_numbers, teardown);
  g_test_add ("/search-index/update-and-remove", Fixture, NULL, setup, test_update_and_remove, teardown);
  g_test_add ("/search-index/limit-and-file", Fixture, NULL, setup, test_limit_and_file, teardown);
  g_test_add ("/search-index/hostile-queries", Fixture, NULL, setup, test_hostile_queries, teardown);
  g_test_add_func ("/search-index/given-connection", test_given_connection);
  g_test_add_func ("/search-index/common-short-term", test_common_short_term);
  return g_test_run ();
}
