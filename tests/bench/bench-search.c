/* bench-search.c — SdSearchIndex against LIKE '%q%' on the same rows, as
 * the clerk types: generated products (Korean and Latin words) and orders,
 * queries of 1, 2, 3 and 5 characters taken from the rows themselves
 * (prefixes starting at a word, as typed), each run both ways.
 *
 *   bench-search DIR PRODUCTS ORDERS QUERIES
 *
 * Prints one line per kind and query length, in ms, then the mean number
 * of ids the index returned:
 *   kind rows length index-median index-p99 like50-median like50-p99
 *   like-all-median like-all-p99 hits
 * (like50: LIKE … LIMIT 50, the index's limit; like-all: every match
 * counted, the full scan a ranked search by LIKE needs)
 * and, first, "build ROWS ms BYTES" for the file built in DIR. */
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "sd-search-index.h"

static const char *const korean[] = {
  "라탄", "수납", "바구니", "스탠드", "조명", "나무", "쟁반", "머그컵", "유리", "화병", "쿠션", "담요",
  "원목", "선반", "거울", "시계", "캔들", "디퓨저", "접시", "그릇", "수저", "도마", "앞치마", "행주",
  "러그", "커튼", "이불", "베개", "방석", "의자", "테이블", "서랍", "옷걸이", "우산", "화분", "식물",
  "가방", "지갑", "모자", "양말", "수건", "비누", "향초", "액자", "엽서", "노트", "연필", "필통",
};
static const char *const latin[] = {
  "LED", "USB", "Wooden", "Tray", "Mini", "Classic", "Vintage", "Linen", "Cotton", "Glass", "Ceramic",
  "Nordic", "Basic", "Pro", "Slim", "Soft", "Ivory", "Black", "White", "Oak", "Walnut", "Stone",
};
static const char *const adjectives[] = {
  "예쁜", "튼튼한", "가벼운", "따뜻한", "심플한", "고급", "대형", "소형", "미니", "북유럽풍", "내추럴",
  "화이트", "블랙", "베이지", "그레이", "핸드메이드",
};
static const char *const surnames[] = { "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임" };
static const char *const syllables[] = {
  "민", "서", "지", "현", "준", "영", "수", "하", "윤", "우", "은", "도", "연", "진", "희", "호",
};
static const char *const cities[] = { "서울시", "부산시", "대구시", "인천시", "광주시", "대전시", "수원시" };
static const char *const districts[] = { "마포구", "강남구", "해운대구", "수성구", "연수구", "서구", "팔달구" };
static const char *const roads[] = { "월드컵로", "테헤란로", "해변로", "동대구로", "센트럴로", "중앙로" };

#define PICK(rand, list) ((list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))])

static char *
product_name (GRand *r)
{
  GString *s = g_string_new (NULL);
  int words = g_rand_int_range (r, 2, 5);

  if (g_rand_boolean (r))
    g_string_append_printf (s, "%s ", PICK (r, adjectives));
  for (int i = 0; i < words; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "",
                            g_rand_int_range (r, 0, 4) == 0 ? PICK (r, latin) : PICK (r, korean));
  return g_string_free (s, FALSE);
}

static char *
description (GRand *r)
{
  GString *s = g_string_new (NULL);
  int words = g_rand_int_range (r, 8, 25);

  for (int i = 0; i < words; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "",
                            g_rand_boolean (r) ? PICK (r, adjectives) : PICK (r, korean));
  g_string_append (s, " 제품입니다.");
  return g_string_free (s, FALSE);
}

static char *
receiver (GRand *r)
{
  return g_strconcat (PICK (r, surnames), PICK (r, syllables), PICK (r, syllables), NULL);
}

/* ---- building ------------------------------------------------------------ */

static sqlite3 *db;

static void
check (int rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("sqlite: %s", sqlite3_errmsg (db));
}

/* The rows as LIKE sees them: every field, as given, in one text. */
static void
put_plain (sqlite3_stmt *stmt,
           const char   *id,
           const char   *text)
{
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  check (sqlite3_step (stmt));
  sqlite3_reset (stmt);
}

static void
build (SdSearchIndex *index,
       GPtrArray     *product_texts,
       GPtrArray     *order_texts,
       int            products,
       int            orders)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (19);
  sqlite3_stmt *plain_p, *plain_o;
  g_autoptr(GError) error = NULL;

  check (sqlite3_exec (db, "CREATE TABLE plain_product (id TEXT, text TEXT);"
                           "CREATE TABLE plain_order (id TEXT, text TEXT);"
                           "BEGIN", NULL, NULL, NULL));
  check (sqlite3_prepare_v2 (db, "INSERT INTO plain_product VALUES (?, ?)", -1, &plain_p, NULL));
  check (sqlite3_prepare_v2 (db, "INSERT INTO plain_order VALUES (?, ?)", -1, &plain_o, NULL));
  for (int i = 0; i < products; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%06d", i);
      g_autofree char *name = product_name (r);
      g_autofree char *desc = description (r);
      const char *options[] = { "색상", PICK (r, adjectives), "크기", PICK (r, latin), NULL };
      const char *category = PICK (r, korean);
      SdSearchProduct p = { name, desc, category, options };
      g_autofree char *text = g_strjoin (" ", name, desc, category, options[0], options[1],
                                         options[2], options[3], NULL);

      if (!sd_search_index_put_product (index, id, &p, &error))
        g_error ("%s", error->message);
      put_plain (plain_p, id, text);
      g_ptr_array_add (product_texts, g_steal_pointer (&name));
    }
  for (int i = 0; i < orders; i++)
    {
      g_autofree char *id = g_strdup_printf ("o%06d", i);
      g_autofree char *number = g_strdup_printf ("2026%02d%02d-%04d", 1 + i / 28000 % 12,
                                                 1 + i / 1000 % 28, i % 1000 + 1);
      g_autofree char *who = receiver (r);
      g_autofree char *phone = g_strdup_printf ("010-%04d-%04d", g_rand_int_range (r, 0, 10000),
                                                g_rand_int_range (r, 0, 10000));
      g_autofree char *address = g_strdup_printf ("%s %s %s %d, %d동 %d호", PICK (r, cities),
                                                  PICK (r, districts), PICK (r, roads),
                                                  g_rand_int_range (r, 1, 300), g_rand_int_range (r, 101, 120),
                                                  g_rand_int_range (r, 101, 2000));
      g_autofree char *first = product_name (r);
      g_autofree char *second = product_name (r);
      const char *lines[] = { first, g_rand_boolean (r) ? second : NULL, NULL };
      SdSearchOrder o = { number, who, phone, address, lines };
      g_autofree char *text = g_strjoin (" ", number, who, phone, address, first, lines[1] ? second : "",
                                         NULL);

      if (!sd_search_index_put_order (index, id, &o, &error))
        g_error ("%s", error->message);
      put_plain (plain_o, id, text);
      /* What a clerk types: the receiver, the number, the phone. */
      g_ptr_array_add (order_texts, g_strjoin (" ", who, number, phone, NULL));
    }
  sqlite3_finalize (plain_p);
  sqlite3_finalize (plain_o);
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
}

/* ---- querying ------------------------------------------------------------ */

/* length characters of a random text, from the start of a random word. */
static char *
query (GRand     *r,
       GPtrArray *texts,
       int        length)
{
  for (;;)
    {
      const char *text = g_ptr_array_index (texts, g_rand_int_range (r, 0, texts->len));
      g_auto(GStrv) words = g_strsplit (text, " ", -1);
      guint n = g_strv_length (words);
      const char *start = strstr (text, words[g_rand_int_range (r, 0, n)]);
      const char *end = start;

      for (int i = 0; i < length && *end; i++)
        end = g_utf8_next_char (end);
      if (g_utf8_strlen (start, end - start) == length && start[0] != ' ' && end[-1] != ' ')
        return g_strndup (start, end - start);
    }
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
quantiles (GArray *ms,
           double *median,
           double *p99)
{
  g_array_sort (ms, compare);
  *median = g_array_index (ms, double, ms->len / 2);
  *p99 = g_array_index (ms, double, MIN (ms->len - 1, ms->len * 99 / 100));
}

static void
measure (SdSearchIndex *index,
         SdSearchKind   kind,
         GPtrArray     *texts,
         int            rows,
         int            queries)
{
  static const int lengths[] = { 1, 2, 3, 5 };
  const char *table = kind == SD_SEARCH_PRODUCTS ? "plain_product" : "plain_order";
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE text LIKE '%%' || ? || '%%' LIMIT 50",
                                          table);
  g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s WHERE text LIKE '%%' || ? || '%%'",
                                            table);
  g_autoptr(GRand) r = g_rand_new_with_seed (7);
  sqlite3_stmt *like, *every;

  check (sqlite3_prepare_v2 (db, sql, -1, &like, NULL));
  check (sqlite3_prepare_v2 (db, count, -1, &every, NULL));
  for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
    {
      g_autoptr(GArray) fts = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) scan = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) full = g_array_new (FALSE, FALSE, sizeof (double));
      double fm, fp, sm, sp, am, ap;
      guint hits = 0;

      for (int q = 0; q < queries; q++)
        {
          g_autofree char *text = query (r, texts, lengths[l]);
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) ids = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double ms;

          ids = sd_search_index_find (index, kind, text, 50, &error);
          if (ids == NULL)
            g_error ("%s", error->message);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (fts, ms);
          hits += ids->len;

          t0 = g_get_monotonic_time ();
          sqlite3_bind_text (like, 1, text, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (like) == SQLITE_ROW)
            ;
          sqlite3_reset (like);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (scan, ms);

          t0 = g_get_monotonic_time ();
          sqlite3_bind_text (every, 1, text, -1, SQLITE_TRANSIENT);
          check (sqlite3_step (every));
          sqlite3_reset (every);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (full, ms);
        }
      quantiles (fts, &fm, &fp);
      quantiles (scan, &sm, &sp);
      quantiles (full, &am, &ap);
      g_print ("%s %d %d %.2f %.2f %.2f %.2f %.2f %.2f %.1f\n", kind == SD_SEARCH_PRODUCTS ? "products" : "orders",
               rows, lengths[l], fm, fp, sm, sp, am, ap, (double) hits / queries);
    }
  sqlite3_finalize (like);
  sqlite3_finalize (every);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSearchIndex) index = NULL;
  g_autoptr(GPtrArray) product_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) order_texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  int products, orders, queries;
  GStatBuf st;
  gint64 t0;

  if (argc != 5)
    {
      g_printerr ("usage: bench-search DIR PRODUCTS ORDERS QUERIES\n");
      return 2;
    }
  products = atoi (argv[2]);
  orders = atoi (argv[3]);
  queries = atoi (argv[4]);
  path = g_build_filename (argv[1], "search.sqlite", NULL);
  g_unlink (path);
  check (sqlite3_open (path, &db));
  check (sqlite3_exec (db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL));
  index = sd_search_index_new (db, &error);
  if (index == NULL)
    g_error ("%s", error->message);

  t0 = g_get_monotonic_time ();
  build (index, product_texts, order_texts, products, orders);
  check (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL));
  g_assert (g_stat (path, &st) == 0);
  g_print ("build %d %.0f %lld\n", products + orders, (g_get_monotonic_time () - t0) / 1000.0,
           (long long) st.st_size);

  if (products > 0)
    measure (index, SD_SEARCH_PRODUCTS, product_texts, products, queries);
  if (orders > 0)
    measure (index, SD_SEARCH_ORDERS, order_texts, orders, queries);
  g_clear_pointer (&index, sd_search_index_free);
  sqlite3_close (db);
  g_unlink (path);
  return 0;
}
