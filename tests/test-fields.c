/* test-fields.c — the field rules of shared/API.md, accepted and refused,
 * in Korean and Latin. */
#include "sd-contract.h"
#include "sd-fields.h"

static void
check (gboolean (*rule) (const char *), const char * const *good, const char * const *bad)
{
  for (guint i = 0; good[i]; i++)
    {
      g_test_message ("should accept “%s”", good[i]);
      g_assert_true (rule (good[i]));
    }
  for (guint i = 0; bad[i]; i++)
    {
      g_test_message ("should refuse “%s”", bad[i]);
      g_assert_false (rule (bad[i]));
    }
}

static void
test_name (void)
{
  const char *good[] = { "김하늘", "이몽룡", "남궁 민수", "Jane Doe", "Élodie Durand", "Jo",
                         "abcdefghijklmnopqrstuvwxyzabcd", NULL };
  const char *bad[] = { "", "김", "J", " Jane", "Jane ", "Jane  Doe", "이몽룡1", "R2-D2", "Jane_Doe",
                        "abcdefghijklmnopqrstuvwxyzabcde", "\xff\xfe", NULL };

  check (sd_field_is_name, good, bad);
}

static void
test_original_name (void)
{
  const char *good[] = { "김하늘", "이몽", "남궁민수", NULL };
  const char *bad[] = { "김", "남궁 민수", "남궁민수님이", "Jane", "ㄱㄴ", NULL };

  check (sd_field_is_original_name, good, bad);
}

static void
test_phone (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "01012345678", "01012345678" }, { "010-1234-5678", "01012345678" },
    { "010 1234 5678", "01012345678" }, { "01112345678", NULL }, { "0101234567", NULL },
    { "010123456789", NULL }, { "010-1234-567a", NULL }, { "+821012345678", NULL }, { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sd_field_normalize_phone (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (sd_field_normalize_phone (NULL));
}

static gboolean
is_email (const char *s)
{
  return sd_field_is_email (s);
}

static void
test_email (void)
{
  const char *good[] = { "a@b.co", "user.name+tag@example.co.kr", "KIM@Example.COM", "x_y@sub-domain.example.org", NULL };
  const char *bad[] = { "", "a@b", "@b.com", "a@@b.com", "a b@c.com", "a@b..com", ".a@b.com", "a.@b.com",
                        "a@-b.com", "a@b.c0m", "김@example.com", "a@example.com.", NULL };

  check (is_email, good, bad);
}

static void
test_password (void)
{
  const char *good[] = { "Passw0rd!", "abcdefgh", "12345678", "A1!@#$%^&*()-_+", "<pass=word>?", NULL };
  const char *bad[] = { "", "short1!", "abcdefghijklmnopq", "pass word1", "비밀번호입니다만", "pass\"word1",
                        "password~1", "pass'word1", NULL };

  check (sd_field_is_password, good, bad);
}

static void
test_category (void)
{
  const char *good[] = { "수납", "주방", "인테리어 소품", "Kitchen", "Kitchen Tools", "Living 소품", "A", NULL };
  const char *bad[] = { "", " ", "수납/정리", "Kitchen2", "Kitchen  Tools", " 수납", "수납 ", "Кухня", "キッチン",
                        "abcdefghijklmnopqrstuvwxyzabcde", "'; DROP TABLE", NULL };

  check (sd_field_is_category_name, good, bad);
}

static void
test_code (void)
{
  const char *good[] = { "000000", "123456", NULL };
  const char *bad[] = { "", "12345", "1234567", "12345a", " 12345", NULL };

  check (sd_field_is_code, good, bad);
}

static void
test_product_text (void)
{
  g_autofree char *name_max = g_strnfill (SD_PRODUCT_NAME_MAX, 'a');
  g_autofree char *name_over = g_strnfill (SD_PRODUCT_NAME_MAX + 1, 'a');
  GString *hangul = g_string_new (NULL);

  for (guint i = 0; i < SD_BRAND_MAX; i++)
    g_string_append (hangul, "꿀");
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, "연필"));
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, name_max));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, name_over));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, ""));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, NULL));
  /* Characters, not bytes: 50 Hangul syllables are 150 bytes. */
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_BRAND, hangul->str));
  g_string_append (hangul, "꿀");
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_BRAND, hangul->str));
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_BRAND, ""));
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_DESCRIPTION, ""));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_NAME, ""));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_VALUE, ""));
  g_assert_true (sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_VALUE, "화이트"));
  g_assert_false (sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, "\xff\xfe"));
  g_string_free (hangul, TRUE);

  g_assert_true (sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, 0));
  g_assert_true (sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, SD_PRICE_MAX));
  g_assert_false (sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, SD_PRICE_MAX + 1));
  g_assert_false (sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, -1));
  g_assert_true (sd_field_is_product_number (SD_PRODUCT_FIELD_STOCK, SD_STOCK_MAX));
  g_assert_false (sd_field_is_product_number (SD_PRODUCT_FIELD_STOCK, SD_STOCK_MAX + 1));
  g_assert_false (sd_field_is_option_count (0));
  g_assert_true (sd_field_is_option_count (1));
  g_assert_true (sd_field_is_option_count (SD_OPTION_VALUES_MAX));
  g_assert_false (sd_field_is_option_count (SD_OPTION_VALUES_MAX + 1));
}

static void
test_product (void)
{
  const char *values[] = { "내추럴", "화이트", NULL };
  const char *empty_value[] = { "내추럴", "", NULL };
  g_autofree char *long_image = g_strnfill (SD_IMAGE_MAX + 1, 'x');
  g_autofree char *long_description = g_strnfill (SD_DESCRIPTION_MAX + 1, 'x');
  SdProductFields good = { .name = "연필 세트", .category_id = "c1", .brand = "꿀단집", .price = 3900,
                           .image = "", .description = "", .stock = -1, .option_name = "색상",
                           .option_values = values };
  SdProductFields f;

  g_assert_cmpint (sd_fields_check_product (&good, TRUE), ==, SD_PRODUCT_FIELD_NONE);
  /* On update, what is left out stays as it is; on create a name and a price are needed. */
  f = (SdProductFields) { .price = -1, .stock = -2 };
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_NONE);
  g_assert_cmpint (sd_fields_check_product (&f, TRUE), ==, SD_PRODUCT_FIELD_NAME);
  f.name = "연필";
  g_assert_cmpint (sd_fields_check_product (&f, TRUE), ==, SD_PRODUCT_FIELD_PRICE);
  f = good, f.category_id = "";
  g_assert_cmpint (sd_fields_check_product (&f, TRUE), ==, SD_PRODUCT_FIELD_CATEGORY);
  /* The first bad field is the one told. */
  f = good, f.description = long_description, f.image = long_image;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_DESCRIPTION);
  f.description = "";
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_IMAGE);
  f = good, f.price = SD_PRICE_MAX + 1;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_PRICE);
  f = good, f.stock = SD_STOCK_MAX + 1;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_STOCK);
  /* Options: "" removes them; values need a name; a name needs values. */
  f = good, f.option_name = "", f.option_values = NULL;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_NONE);
  f.option_values = values;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_OPTION_NAME);
  f = good, f.option_values = NULL;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_OPTION_VALUES);
  f = good, f.option_values = empty_value;
  g_assert_cmpint (sd_fields_check_product (&f, FALSE), ==, SD_PRODUCT_FIELD_OPTION_VALUE);
}

static void
test_sort_order (void)
{
  const struct { SdSortOrder order; const char *wire; } cases[] = {
    { SD_SORT_ORDER_SHOP, NULL }, { SD_SORT_ORDER_NEWEST, "-createdAt" }, { SD_SORT_ORDER_PRICE, "price" },
    { SD_SORT_ORDER_PRICE_DESC, "-price" }, { SD_SORT_ORDER_NAME, "name" },
  };
  SdSortOrder order;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (sd_sort_order_to_wire (cases[i].order), ==, cases[i].wire);
      g_assert_true (sd_sort_order_from_wire (cases[i].wire, &order));
      g_assert_cmpint (order, ==, cases[i].order);
      g_assert_true (sd_is_sort_key (cases[i].wire) == (cases[i].wire != NULL));
    }
  g_assert_false (sd_sort_order_from_wire ("", &order));
  g_assert_false (sd_sort_order_from_wire ("createdAt", &order));
  g_assert_false (sd_sort_order_from_wire ("Price", NULL));
}

static void
test_order_status (void)
{
  const char *wire[] = { "입금 대기", "결제 완료", "배송 준비", "배송 중", "배송 완료", "구매 확정", "주문 취소" };
  SdOrderStatus status;

  G_STATIC_ASSERT (G_N_ELEMENTS (wire) == SD_ORDER_STATUS_N);
  for (guint i = 0; i < SD_ORDER_STATUS_N; i++)
    {
      g_assert_cmpstr (sd_order_status_to_wire (i), ==, wire[i]);
      g_assert_true (sd_order_status_from_wire (wire[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_nonnull (sd_order_status_label (i));
    }
  g_assert_false (sd_order_status_from_wire ("배송중", &status));
  g_assert_false (sd_order_status_from_wire (NULL, &status));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fields/name", test_name);
  g_test_add_func ("/fields/original-name", test_original_name);
  g_test_add_func ("/fields/phone", test_phone);
  g_test_add_func ("/fields/email", test_email);
  g_test_add_func ("/fields/password", test_password);
  g_test_add_func ("/fields/category", test_category);
  g_test_add_func ("/fields/code", test_code);
  g_test_add_func ("/fields/product-text", test_product_text);
  g_test_add_func ("/fields/product", test_product);
  g_test_add_func ("/fields/sort-order", test_sort_order);
  g_test_add_func ("/fields/order-status", test_order_status);
  return g_test_run ();
}
