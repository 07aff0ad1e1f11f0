/* test-pick-list.c — SdPickList: a pick & pack run's lines summed per
 * product and option across orders, grouped by category, in a stable
 * order; the orders' shapes as ours and the original send them; and
 * where a run takes each status. */
#include <string.h>

#include "sd-models-private.h"
#include "sd-test-util.h"

static GObject *
model (SdFromJson from_json, const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GObject *made;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  made = from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return made;
}

/* An order of status wire with lines, each "id|name|option|count"
 * (option empty: none). */
static SdOrder *
order (const char *id, const char *status, const char *first_line, ...)
{
  g_autoptr(GString) json = g_string_new (NULL);
  va_list args;

  g_string_append_printf (json, "{\"_id\":\"%s\",\"customerId\":\"c\",\"status\":\"%s\",\"product\":[", id, status);
  va_start (args, first_line);
  for (const char *l = first_line; l; l = va_arg (args, const char *))
    {
      g_auto(GStrv) f = g_strsplit (l, "|", 4);

      g_string_append_printf (json, "%s{\"id\":\"%s\",\"name\":\"%s\",\"count\":%s", l == first_line ? "" : ",",
                              f[0], f[1], f[3]);
      if (*f[2])
        g_string_append_printf (json, ",\"options\":\"%s\"", f[2]);
      g_string_append_c (json, '}');
    }
  va_end (args);
  g_string_append (json, "],\"payment\":{\"ttlPriceItem\":0,\"ttlPriceDelivery\":0,\"ttlPrice\":0}}");
  return SD_ORDER (model ((SdFromJson) sd_order_new_from_json, json->str));
}

static GListModel *
catalog (void)
{
  GListStore *products = g_list_store_new (SD_TYPE_PRODUCT);
  const char *rows[] = {
    "{\"_id\":\"p-mug\",\"categoryId\":\"c-kitchen\",\"name\":\"머그\",\"price\":5000}",
    "{\"_id\":\"p-cup\",\"categoryId\":\"c-kitchen\",\"name\":\"컵\",\"price\":3000}",
    "{\"_id\":\"p-basket\",\"categoryId\":\"c-living\",\"name\":\"바구니\",\"price\":12000,"
      "\"options\":{\"_id\":\"65e1aa000000000000000001\",\"name\":\"색상\",\"value\":[\"내추럴\",\"화이트\"]}}",
    /* A category the shop no longer lists. */
    "{\"_id\":\"p-lost\",\"categoryId\":\"c-gone\",\"name\":\"Lamp\",\"price\":9000}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GObject) p = model ((SdFromJson) sd_product_new_from_json, rows[i]);
      g_list_store_append (products, p);
    }
  return G_LIST_MODEL (products);
}

static GListModel *
categories (void)
{
  GListStore *list = g_list_store_new (SD_TYPE_CATEGORY);
  g_autoptr(GObject) living = model ((SdFromJson) sd_category_new_from_json, "{\"_id\":\"c-living\",\"name\":\"리빙\"}");
  g_autoptr(GObject) kitchen = model ((SdFromJson) sd_category_new_from_json, "{\"_id\":\"c-kitchen\",\"name\":\"Kitchen\"}");

  g_list_store_append (list, living);
  g_list_store_append (list, kitchen);
  return G_LIST_MODEL (list);
}

static const SdPickLine *
line_of (const SdPickGroup *group, guint i)
{
  g_assert_cmpuint (i, <, group->lines->len);
  return group->lines->pdata[i];
}

static void
assert_line (const SdPickLine *line, const char *name, const char *option, guint count, guint n_orders)
{
  g_assert_cmpstr (line->name, ==, name);
  g_assert_cmpstr (line->option, ==, option);
  g_assert_cmpuint (line->count, ==, count);
  g_assert_cmpuint (line->n_orders, ==, n_orders);
}

/* Summed per product and option over the orders (a product twice in one
 * order counts that order once), grouped by category name ("Kitchen"
 * before "리빙"), the unplaced last; products by name, options by name
 * with none first; a cancelled order left out. */
static void
test_sums_and_groups (void)
{
  g_autoptr(GListModel) products = catalog ();
  g_autoptr(GListModel) cats = categories ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdPickList) list = NULL;
  const SdPickGroup *g;

  g_ptr_array_add (orders, order ("o1", "결제 완료", "p-basket|바구니|화이트|2", "p-mug|머그||1",
                                  "p-basket|바구니|화이트|1", NULL));
  g_ptr_array_add (orders, order ("o2", "배송 준비", "p-basket|바구니|내추럴|1", "p-cup|컵||4",
                                  "p-unknown|Sticker||3", "p-basket|바구니||1", NULL));
  g_ptr_array_add (orders, order ("o3", "주문 취소", "p-mug|머그||7", NULL));
  g_ptr_array_add (orders, order ("o4", "입금 대기", "p-mug|머그||2", "p-lost|Lamp||1", NULL));
  list = sd_pick_list_new (orders, products, cats);

  g_assert_cmpuint (sd_pick_list_get_orders (list)->len, ==, 3);
  g_assert_cmpuint (sd_pick_list_get_n_left_out (list), ==, 1);
  g_assert_cmpuint (sd_pick_list_get_n_groups (list), ==, 3);
  g_assert_cmpuint (sd_pick_list_get_n_lines (list), ==, 7);
  g_assert_cmpuint (sd_pick_list_get_n_items (list), ==, 2 + 1 + 1 + 1 + 4 + 3 + 1 + 2 + 1);

  g = sd_pick_list_get_group (list, 0);
  g_assert_cmpstr (g->name, ==, "Kitchen");
  g_assert_cmpstr (g->category_id, ==, "c-kitchen");
  g_assert_cmpuint (g->lines->len, ==, 2);
  assert_line (line_of (g, 0), "머그", NULL, 3, 2);
  assert_line (line_of (g, 1), "컵", NULL, 4, 1);

  g = sd_pick_list_get_group (list, 1);
  g_assert_cmpstr (g->name, ==, "리빙");
  g_assert_cmpuint (g->lines->len, ==, 3);
  assert_line (line_of (g, 0), "바구니", NULL, 1, 1);
  assert_line (line_of (g, 1), "바구니", "내추럴", 1, 1);
  assert_line (line_of (g, 2), "바구니", "화이트", 3, 1);

  /* Not in the catalog, or in a category not listed: the unnamed group. */
  g = sd_pick_list_get_group (list, 2);
  g_assert_null (g->name);
  g_assert_null (g->category_id);
  g_assert_cmpuint (g->lines->len, ==, 2);
  assert_line (line_of (g, 0), "Lamp", NULL, 1, 1);
  assert_line (line_of (g, 1), "Sticker", NULL, 3, 1);
}

/* The original: a line without a name takes the product's; its option is
 * the id of the product's option set, which is no value to pick. With
 * nothing known of the shop, one unnamed group, still summed. */
static void
test_original_lines (void)
{
  g_autoptr(GListModel) products = catalog ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdPickList) list = NULL;
  g_autoptr(SdPickList) bare = NULL;
  const SdPickGroup *g;

  g_ptr_array_add (orders, order ("o1", "결제 완료", "p-basket||65e1aa000000000000000001|2", NULL));
  g_ptr_array_add (orders, order ("o2", "결제 완료", "p-basket||ffffffffffffffffffffffff|1", "p-mug|||1", NULL));
  list = sd_pick_list_new (orders, products, NULL);
  g_assert_cmpuint (sd_pick_list_get_n_groups (list), ==, 1);
  g = sd_pick_list_get_group (list, 0);
  g_assert_null (g->name);
  assert_line (line_of (g, 0), "머그", NULL, 1, 1);
  assert_line (line_of (g, 1), "바구니", NULL, 3, 2);

  bare = sd_pick_list_new (orders, NULL, NULL);
  g = sd_pick_list_get_group (bare, 0);
  g_assert_cmpuint (g->lines->len, ==, 2);
  assert_line (line_of (g, 0), "p-basket", NULL, 3, 2);
  assert_line (line_of (g, 1), "p-mug", NULL, 1, 1);
}

/* The same orders in another order give the same list. */
static void
test_stable (void)
{
  g_autoptr(GListModel) products = catalog ();
  g_autoptr(GListModel) cats = categories ();
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdPickList) la = NULL;
  g_autoptr(SdPickList) lb = NULL;

  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *to = i ? b : a;
      g_ptr_array_add (to, order (i ? "o2" : "o1", "결제 완료", "p-cup|컵||1", "p-basket|바구니|화이트|1", NULL));
      g_ptr_array_add (to, order (i ? "o1" : "o2", "결제 완료", "p-basket|바구니|내추럴|2", "p-mug|머그||5", NULL));
    }
  la = sd_pick_list_new (a, products, cats);
  lb = sd_pick_list_new (b, products, cats);
  g_assert_cmpuint (sd_pick_list_get_n_groups (la), ==, sd_pick_list_get_n_groups (lb));
  for (guint i = 0; i < sd_pick_list_get_n_groups (la); i++)
    {
      const SdPickGroup *ga = sd_pick_list_get_group (la, i), *gb = sd_pick_list_get_group (lb, i);

      g_assert_cmpstr (ga->name, ==, gb->name);
      g_assert_cmpuint (ga->lines->len, ==, gb->lines->len);
      for (guint l = 0; l < ga->lines->len; l++)
        assert_line (line_of (gb, l), line_of (ga, l)->name, line_of (ga, l)->option, line_of (ga, l)->count,
                     line_of (ga, l)->n_orders);
    }
}

/* Paid → preparing → shipping → delivered; the rest stay. */
static void
test_next_status (void)
{
  const struct { SdOrderStatus from; gboolean has; SdOrderStatus to; } cases[] = {
    { SD_ORDER_STATUS_AWAITING_PAYMENT, FALSE, 0 },
    { SD_ORDER_STATUS_PAID, TRUE, SD_ORDER_STATUS_PREPARING },
    { SD_ORDER_STATUS_PREPARING, TRUE, SD_ORDER_STATUS_SHIPPING },
    { SD_ORDER_STATUS_SHIPPING, TRUE, SD_ORDER_STATUS_DELIVERED },
    { SD_ORDER_STATUS_DELIVERED, FALSE, 0 },
    { SD_ORDER_STATUS_CONFIRMED, FALSE, 0 },
    { SD_ORDER_STATUS_CANCELLED, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SdOrderStatus next = SD_ORDER_STATUS_N;

      g_assert_cmpint (sd_pick_list_next_status (cases[i].from, &next), ==, cases[i].has);
      if (cases[i].has)
        g_assert_cmpint (next, ==, cases[i].to);
      else
        g_assert_cmpint (next, ==, SD_ORDER_STATUS_N);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pick-list/sums-and-groups", test_sums_and_groups);
  g_test_add_func ("/pick-list/original-lines", test_original_lines);
  g_test_add_func ("/pick-list/stable", test_stable);
  g_test_add_func ("/pick-list/next-status", test_next_status);
  return g_test_run ();
}
