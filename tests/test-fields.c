/* test-fields.c — the field rules of shared/API.md, accepted and refused,
 * in Korean and Latin. */
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
  return g_test_run ();
}
