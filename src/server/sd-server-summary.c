/* sd-server-summary.c — [ext] "summary": the shop's sales over a range of
 * days, for the staff's dashboard (README, "API notes").
 *
 *   GET /api/v1/admin/summary?from=YYYY-MM-DD&to=YYYY-MM-DD
 *       [&timeZone=Area/City][&top=N]
 *
 * Days are whole days in timeZone (an IANA name; the shop's, Asia/Seoul,
 * by default), from and to included, at most 366 of them. Revenue counts
 * the goods (ttlPriceItem, without delivery) of orders paid or further on
 * (결제 완료, 배송 준비, 배송 중, 배송 완료, 구매 확정), never one awaiting
 * payment or cancelled; a product's revenue is its lines' price × count in
 * those orders. Every day of the range is listed, and every status of the
 * contract, zeros included; the top lists hold N products (10; 1–50). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-contract.h"
#include "sd-server-routes.h"

#define MAX_DAYS     366
#define TOP_DEFAULT  10
#define TOP_MAX      50
#define ZONE_MAX     64

typedef struct {
  char   *name;
  gint64  quantity;
  gint64  revenue;
} ProductSum;

typedef struct {
  GTimeZone  *tz;
  GDate       first;
  guint       n_days;
  gint64     *day_orders;
  gint64     *day_paid;
  gint64     *day_revenue;
  gint64      statuses[SD_ORDER_STATUS_N];
  GHashTable *products;     /* product id → ProductSum */
} Summary;

static void
product_sum_free (ProductSum *p)
{
  g_free (p->name);
  g_free (p);
}

static gboolean
paid (const char *status)
{
  SdOrderStatus s;

  return sd_order_status_from_wire (status, &s) && s != SD_ORDER_STATUS_AWAITING_PAYMENT &&
         s != SD_ORDER_STATUS_CANCELLED;
}

/* The day of created_at in the summary's zone, as an index into the
 * range; -1 outside it (or unreadable). */
static int
day_index (Summary *sum, const char *created_at)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (created_at, utc);
  g_autoptr(GDateTime) local = at ? g_date_time_to_timezone (at, sum->tz) : NULL;
  GDate day;
  int index;

  if (local == NULL)
    return -1;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  index = g_date_days_between (&sum->first, &day);
  return index >= 0 && (guint) index < sum->n_days ? index : -1;
}

static void
order_cb (const char *created_at, const char *status, gint64 items_total, gpointer user_data)
{
  Summary *sum = user_data;
  int day = day_index (sum, created_at);
  SdOrderStatus s;

  if (day < 0)
    return;
  sum->day_orders[day]++;
  if (paid (status))
    {
      sum->day_paid[day]++;
      sum->day_revenue[day] += items_total;
    }
  if (sd_order_status_from_wire (status, &s))
    sum->statuses[s]++;
}

static void
line_cb (const char *status, const char *product_id, const char *name, gint64 count, gint64 price,
         gpointer user_data)
{
  Summary *sum = user_data;
  ProductSum *p;

  if (!paid (status))
    return;
  p = g_hash_table_lookup (sum->products, product_id);
  if (p == NULL)
    {
      p = g_new0 (ProductSum, 1);
      p->name = g_strdup (name);
      g_hash_table_insert (sum->products, g_strdup (product_id), p);
    }
  p->quantity += count;
  p->revenue += count * price;
}

/* ---- the request ---------------------------------------------------------- */

static gboolean
parse_day (const char *text, GDate *out)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

/* The UTC instant a local day begins, as created_at is kept. */
static char *
day_start_utc (GTimeZone *tz, const GDate *day)
{
  g_autoptr(GDateTime) local = g_date_time_new (tz, g_date_get_year (day), g_date_get_month (day),
                                                g_date_get_day (day), 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
}

typedef struct {
  const char *id;
  ProductSum *sum;
} Ranked;

static int
by_revenue (gconstpointer a, gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->sum->revenue != y->sum->revenue)
    return x->sum->revenue > y->sum->revenue ? -1 : 1;
  if (x->sum->quantity != y->sum->quantity)
    return x->sum->quantity > y->sum->quantity ? -1 : 1;
  return strcmp (x->id, y->id);
}

static int
by_quantity (gconstpointer a, gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->sum->quantity != y->sum->quantity)
    return x->sum->quantity > y->sum->quantity ? -1 : 1;
  return by_revenue (a, b);
}

static void
add_top (JsonBuilder *b, const char *member, GArray *ranked, GCompareFunc order, guint top)
{
  g_array_sort (ranked, order);
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < ranked->len && i < top; i++)
    {
      Ranked *r = &g_array_index (ranked, Ranked, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "productId");
      json_builder_add_string_value (b, r->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->sum->name);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, r->sum->quantity);
      json_builder_set_member_name (b, "revenue");
      json_builder_add_int_value (b, r->sum->revenue);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static JsonNode *
reply_of (Summary *sum, const char *from, const char *to, const char *zone, guint top)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  gint64 orders = 0, paid_orders = 0, revenue = 0, items = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < sum->n_days; i++)
    {
      orders += sum->day_orders[i];
      paid_orders += sum->day_paid[i];
      revenue += sum->day_revenue[i];
    }
  g_hash_table_iter_init (&iter, sum->products);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Ranked r = { key, value };

      items += r.sum->quantity;
      g_array_append_val (ranked, r);
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, from);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, to);
  json_builder_set_member_name (b, "timeZone");
  json_builder_add_string_value (b, zone);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  add_int (b, "orders", orders);
  add_int (b, "paidOrders", paid_orders);
  add_int (b, "revenue", revenue);
  add_int (b, "items", items);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "days");
  json_builder_begin_array (b);
  for (guint i = 0; i < sum->n_days; i++)
    {
      GDate day = sum->first;
      char text[16];

      g_date_add_days (&day, i);
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &day);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, text);
      add_int (b, "orders", sum->day_orders[i]);
      add_int (b, "paidOrders", sum->day_paid[i]);
      add_int (b, "revenue", sum->day_revenue[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "statuses");
  json_builder_begin_array (b);
  for (guint s = 0; s < SD_ORDER_STATUS_N; s++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, sd_order_status_to_wire (s));
      add_int (b, "orders", sum->statuses[s]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_top (b, "topByRevenue", ranked, by_revenue, top);
  add_top (b, "topByQuantity", ranked, by_quantity, top);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
summary_route (SdServerRequest *req)
{
  const char *from = sd_request_query (req, "from");
  const char *to = sd_request_query (req, "to");
  const char *zone = sd_request_query (req, "timeZone");
  const char *top_text = sd_request_query (req, "top");
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GError) error = NULL;
  Summary sum = { 0 };
  GDate last, after;
  guint64 top = TOP_DEFAULT;
  int span;

  if (!parse_day (from, &sum.first) || !parse_day (to, &last))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "from and to must be dates, YYYY-MM-DD.");
  span = g_date_days_between (&sum.first, &last);
  if (span < 0 || span >= MAX_DAYS)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "to must be on or after from, at most 366 days on.");
  if (top_text && !g_ascii_string_to_unsigned (top_text, 10, 1, TOP_MAX, &top, NULL))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "top must be a number from 1 to 50.");
  if (zone == NULL)
    zone = "Asia/Seoul";
  if (strlen (zone) > ZONE_MAX || strchr (zone, '.') || (tz = g_time_zone_new_identifier (zone)) == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "timeZone must be a time zone name such as Asia/Seoul.");
  sum.tz = tz;
  sum.n_days = (guint) span + 1;
  after = last;
  g_date_add_days (&after, 1);
  start = day_start_utc (tz, &sum.first);
  end = day_start_utc (tz, &after);
  sum.day_orders = g_new0 (gint64, sum.n_days);
  sum.day_paid = g_new0 (gint64, sum.n_days);
  sum.day_revenue = g_new0 (gint64, sum.n_days);
  sum.products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) product_sum_free);
  if (sd_server_store_summarize (sd_request_store (req), start, end, order_cb, line_cb, &sum, &error))
    sd_reply (req, SOUP_STATUS_OK, reply_of (&sum, from, to, zone, (guint) top));
  else
    sd_reply_internal (req, error);
  g_free (sum.day_orders);
  g_free (sum.day_paid);
  g_free (sum.day_revenue);
  g_hash_table_unref (sum.products);
}

const SdRoute sd_server_summary_routes[] = {
  { "GET", SD_PATH_ADMIN "/summary", SD_ACCESS_ADMIN, SD_BODY_NONE, summary_route },
  { NULL }
};
