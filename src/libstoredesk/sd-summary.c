/* sd-summary.c — see sd-summary.h. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-admin.h"
#include "sd-api-private.h"
#include "sd-contract.h"
#include "sd-csv.h"
#include "sd-local-store-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"
#include "sd-summary.h"

#define MAX_DAYS   366
#define TOP        10
#define PAGE_SIZE  100

struct _SdSummary
{
  GObject       parent_instance;
  GDate         first;
  guint         n_days;
  SdSummaryDay *days;
  gint64        statuses[SD_ORDER_STATUS_N];
  gint64        items;
  GPtrArray    *by_revenue;    /* SdSummaryProduct */
  GPtrArray    *by_quantity;   /* the same products, another order */
  gboolean      computed_here;
  gboolean      from_disk;      /* from the orders kept on this computer */
};

G_DEFINE_FINAL_TYPE (SdSummary, sd_summary, G_TYPE_OBJECT)

static void
product_free (SdSummaryProduct *p)
{
  g_free (p->product_id);
  g_free (p->name);
  g_free (p);
}

static SdSummary *
summary_new (const GDate *from, const GDate *to)
{
  SdSummary *self = g_object_new (SD_TYPE_SUMMARY, NULL);

  self->first = *from;
  self->n_days = (guint) g_date_days_between (from, to) + 1;
  self->days = g_new0 (SdSummaryDay, self->n_days);
  for (guint i = 0; i < self->n_days; i++)
    {
      GDate day = *from;

      g_date_add_days (&day, i);
      g_date_strftime (self->days[i].date, sizeof self->days[i].date, "%Y-%m-%d", &day);
    }
  return self;
}

/* ---- from the shop's route ----------------------------------------------- */

static gint64
int_of (JsonObject *o, const char *member)
{
  gint64 v = 0;

  return o && sd_json_get_integer (o, member, &v) ? v : 0;
}

static JsonArray *
array_of (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static GPtrArray *
products_of (JsonArray *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);

  for (guint i = 0; list && i < json_array_get_length (list) && i < TOP; i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      SdSummaryProduct *p;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      p = g_new0 (SdSummaryProduct, 1);
      p->product_id = g_strdup (sd_json_get_string (json_node_get_object (e), "productId"));
      p->name = g_strdup (sd_json_get_string (json_node_get_object (e), "name"));
      p->quantity = int_of (json_node_get_object (e), "quantity");
      p->revenue = int_of (json_node_get_object (e), "revenue");
      g_ptr_array_add (out, p);
    }
  return out;
}

/* The shop's reply, day by day into the range asked (a day it does not
 * list stays zero). */
static SdSummary *
summary_from_json (JsonNode *data, const GDate *from, const GDate *to, GError **error)
{
  g_autoptr(SdSummary) self = NULL;
  JsonObject *o = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonNode *totals = o ? json_object_get_member (o, "totals") : NULL;
  JsonArray *days = o ? array_of (o, "days") : NULL;
  JsonArray *statuses = o ? array_of (o, "statuses") : NULL;

  if (o == NULL || days == NULL || totals == NULL || !JSON_NODE_HOLDS_OBJECT (totals))
    {
      g_propagate_error (error, sd_api_unreadable_reply ("summary: no days or totals"));
      return NULL;
    }
  self = summary_new (from, to);
  self->items = int_of (json_node_get_object (totals), "items");
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonNode *e = json_array_get_element (days, i);
      const char *date = JSON_NODE_HOLDS_OBJECT (e) ? sd_json_get_string (json_node_get_object (e), "date") : NULL;

      for (guint d = 0; date && d < self->n_days; d++)
        if (strcmp (self->days[d].date, date) == 0)
          {
            self->days[d].orders = int_of (json_node_get_object (e), "orders");
            self->days[d].paid_orders = int_of (json_node_get_object (e), "paidOrders");
            self->days[d].revenue = int_of (json_node_get_object (e), "revenue");
          }
    }
  for (guint i = 0; statuses && i < json_array_get_length (statuses); i++)
    {
      JsonNode *e = json_array_get_element (statuses, i);
      SdOrderStatus s;

      if (JSON_NODE_HOLDS_OBJECT (e) &&
          sd_order_status_from_wire (sd_json_get_string (json_node_get_object (e), "status"), &s))
        self->statuses[s] = int_of (json_node_get_object (e), "orders");
    }
  self->by_revenue = products_of (array_of (o, "topByRevenue"));
  self->by_quantity = products_of (array_of (o, "topByQuantity"));
  return g_steal_pointer (&self);
}

/* ---- computed here ----------------------------------------------------- */

typedef struct {
  SdSummary         *summary;
  GTimeZone         *tz;
  GDate              from;
  GDate              to;
  char              *zone;
  SdAdmin           *admin;
  SdLocalStore      *store;      /* the orders read are kept there */
  guint              page;
  GHashTable        *products;   /* id → SdSummaryProduct */
  SdSummaryProgress  progress;
  gpointer           progress_data;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->summary);
  g_clear_pointer (&load->tz, g_time_zone_unref);
  g_clear_object (&load->admin);
  g_clear_object (&load->store);
  g_clear_pointer (&load->products, g_hash_table_unref);
  g_free (load->zone);
  g_free (load);
}

static gboolean
is_paid (SdOrderStatus status)
{
  return status != SD_ORDER_STATUS_AWAITING_PAYMENT && status != SD_ORDER_STATUS_CANCELLED;
}

/* Adds order; FALSE when it was made before the range (the list is newest
 * first: the rest is older still). */
static gboolean
add_order (Load *load, SdOrder *order)
{
  SdSummary *self = load->summary;
  GDateTime *created = sd_order_get_created_at (order);
  g_autoptr(GDateTime) local = created ? g_date_time_to_timezone (created, load->tz) : NULL;
  SdOrderStatus status = sd_order_get_status (order);
  GListModel *lines = sd_order_get_lines (order);
  gint64 known = 0, unpriced = 0;
  GDate day;
  int index;

  if (local == NULL)
    return TRUE;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  index = g_date_days_between (&load->from, &day);
  if (index < 0)
    return FALSE;
  if ((guint) index >= self->n_days)
    return TRUE;
  self->days[index].orders++;
  self->statuses[status]++;
  if (!is_paid (status))
    return TRUE;
  self->days[index].paid_orders++;
  self->days[index].revenue += sd_order_get_items_total (order);
  /* The original keeps no price on a line: what the order's goods cost
   * beyond the priced lines is shared by the others, by count. */
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);

      if (sd_order_line_get_price (line) >= 0)
        known += sd_order_line_get_count (line) * sd_order_line_get_price (line);
      else
        unpriced += sd_order_line_get_count (line);
    }
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, i);
      const char *id = sd_order_line_get_product_id (line);
      SdSummaryProduct *p = g_hash_table_lookup (load->products, id ? id : "");
      gint64 count = sd_order_line_get_count (line), price = sd_order_line_get_price (line);

      if (p == NULL)
        {
          p = g_new0 (SdSummaryProduct, 1);
          p->product_id = g_strdup (id ? id : "");
          p->name = g_strdup (sd_order_line_get_name (line));
          g_hash_table_insert (load->products, p->product_id, p);
        }
      p->quantity += count;
      p->revenue += price >= 0 ? count * price
                                : MAX (0, sd_order_get_items_total (order) - known) * count / MAX (unpriced, 1);
      self->items += count;
    }
  return TRUE;
}

static int
by_revenue (gconstpointer a, gconstpointer b)
{
  const SdSummaryProduct *x = *(SdSummaryProduct **) a, *y = *(SdSummaryProduct **) b;

  if (x->revenue != y->revenue)
    return x->revenue > y->revenue ? -1 : 1;
  if (x->quantity != y->quantity)
    return x->quantity > y->quantity ? -1 : 1;
  return g_strcmp0 (x->product_id, y->product_id);
}

static int
by_quantity (gconstpointer a, gconstpointer b)
{
  const SdSummaryProduct *x = *(SdSummaryProduct **) a, *y = *(SdSummaryProduct **) b;

  if (x->quantity != y->quantity)
    return x->quantity > y->quantity ? -1 : 1;
  return by_revenue (a, b);
}

static GPtrArray *
top_of (GHashTable *products, GCompareFunc order)
{
  GPtrArray *all = g_ptr_array_new ();
  GPtrArray *top = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, products);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);
  g_ptr_array_sort (all, order);
  for (guint i = 0; i < all->len && i < TOP; i++)
    {
      SdSummaryProduct *p = all->pdata[i], *copy = g_new0 (SdSummaryProduct, 1);

      copy->product_id = g_strdup (p->product_id);
      copy->name = g_strdup (p->name);
      copy->quantity = p->quantity;
      copy->revenue = p->revenue;
      g_ptr_array_add (top, copy);
    }
  g_ptr_array_unref (all);
  return top;
}

static void next_page (GTask *task);

static void
page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  g_autoptr(GListModel) orders = sd_admin_list_orders_finish (SD_ADMIN (source), result, &total, &error);
  gboolean more;
  guint n;

  if (orders == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (sd_admin_list_orders_from_disk (SD_ADMIN (source), result))
    load->summary->from_disk = TRUE;
  n = g_list_model_get_n_items (orders);
  more = n == PAGE_SIZE && (gint64) load->page * PAGE_SIZE < total;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdOrder) order = g_list_model_get_item (orders, i);

      if (!add_order (load, order))
        more = FALSE;
    }
  if (load->progress && total > 0)
    load->progress (MIN (1.0, (double) load->page * PAGE_SIZE / (double) total), load->progress_data);
  if (more)
    {
      load->page++;
      next_page (task);
      return;
    }
  load->summary->by_revenue = top_of (load->products, by_revenue);
  load->summary->by_quantity = top_of (load->products, by_quantity);
  load->summary->computed_here = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&load->summary), g_object_unref);
  g_object_unref (task);
}

static void
next_page (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  sd_admin_list_orders_async (load->admin, SD_ORDER_STATUS_N, NULL, load->page, PAGE_SIZE,
                              g_task_get_cancellable (task), page_cb, task);
}

/* ---- loading ------------------------------------------------------------ */

/* Computed here from the staff's order list, page by page (kept in the
 * store, and read from it when the shop does not answer). */
static void
compute_here (GTask *task, SdApi *api)
{
  Load *load = g_task_get_task_data (task);

  load->summary = summary_new (&load->from, &load->to);
  load->admin = sd_admin_new (api);
  sd_admin_set_local_store (load->admin, load->store);
  load->products = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) product_free);
  load->page = 1;
  next_page (task);
}

static void
route_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  SdSummary *summary = data ? summary_from_json (data, &load->from, &load->to, &error) : NULL;

  /* The shop unreachable: the orders this computer kept. */
  if (data == NULL && load->store && sd_local_store_stands_in_for (error))
    {
      compute_here (task, SD_API (source));
      return;
    }
  if (summary == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, summary, g_object_unref);
  g_object_unref (task);
}

static void
features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Load *load = g_task_get_task_data (task);
  SdApi *api = SD_API (source);

  sd_shop_learn_features_finish (api, result);
  if (sd_api_has_feature (api, "summary"))
    {
      char from[16], to[16];
      g_autoptr(GString) path = g_string_new (SD_PATH_ADMIN "/summary?from=");

      g_date_strftime (from, sizeof from, "%Y-%m-%d", &load->from);
      g_date_strftime (to, sizeof to, "%Y-%m-%d", &load->to);
      g_string_append_printf (path, "%s&to=%s&top=%d&timeZone=", from, to, TOP);
      g_string_append_uri_escaped (path, load->zone, NULL, FALSE);
      sd_api_call_async (api, "GET", path->str, NULL, g_task_get_cancellable (task), route_cb, task);
      return;
    }
  compute_here (task, api);
}

void
sd_summary_load_async (SdApi *api, const GDate *from, const GDate *to, const char *zone, SdLocalStore *store,
                       SdSummaryProgress progress, gpointer progress_data, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  GTask *task = g_task_new (api, cancellable, callback, user_data);
  Load *load = g_new0 (Load, 1);
  int span;

  g_task_set_source_tag (task, sd_summary_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  load->from = *from;
  load->to = *to;
  load->zone = g_strdup (zone ? zone : "Asia/Seoul");
  load->store = store ? g_object_ref (store) : NULL;
  load->tz = g_time_zone_new_identifier (load->zone);
  load->progress = progress;
  load->progress_data = progress_data;
  span = g_date_days_between (from, to);
  if (load->tz == NULL || span < 0 || span >= MAX_DAYS)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("Choose a range of at most a year, its end after its start, in a known time "
                                 "zone."));
      g_object_unref (task);
      return;
    }
  sd_shop_learn_features_async (api, cancellable, features_cb, task);
}

SdSummary *
sd_summary_load_finish (SdApi *api, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, api), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reading ----------------------------------------------------------------- */

guint sd_summary_get_n_days (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), 0); return self->n_days; }
gint64 sd_summary_get_items (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), 0); return self->items; }
GPtrArray *sd_summary_get_top_by_revenue (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), NULL); return self->by_revenue; }
GPtrArray *sd_summary_get_top_by_quantity (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), NULL); return self->by_quantity; }
gboolean sd_summary_get_computed_here (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), FALSE); return self->computed_here; }
gboolean sd_summary_get_from_disk (SdSummary *self) { g_return_val_if_fail (SD_IS_SUMMARY (self), FALSE); return self->from_disk; }

const SdSummaryDay *
sd_summary_get_day (SdSummary *self, guint index)
{
  g_return_val_if_fail (SD_IS_SUMMARY (self), NULL);
  return index < self->n_days ? &self->days[index] : NULL;
}

gint64
sd_summary_get_status_count (SdSummary *self, SdOrderStatus status)
{
  g_return_val_if_fail (SD_IS_SUMMARY (self), 0);
  return status < SD_ORDER_STATUS_N ? self->statuses[status] : 0;
}

#define SUM_OF(field)                                  \
  gint64 total = 0;                                    \
  g_return_val_if_fail (SD_IS_SUMMARY (self), 0);      \
  for (guint i = 0; i < self->n_days; i++)             \
    total += self->days[i].field;                      \
  return total

gint64 sd_summary_get_orders (SdSummary *self) { SUM_OF (orders); }
gint64 sd_summary_get_paid_orders (SdSummary *self) { SUM_OF (paid_orders); }
gint64 sd_summary_get_revenue (SdSummary *self) { SUM_OF (revenue); }

gint64 *
sd_summary_dup_weeks (SdSummary *self, guint *n_weeks)
{
  gint64 *weeks;

  g_return_val_if_fail (SD_IS_SUMMARY (self), NULL);
  *n_weeks = (self->n_days + 6) / 7;
  weeks = g_new0 (gint64, MAX (*n_weeks, 1));
  for (guint i = 0; i < self->n_days; i++)
    weeks[i / 7] += self->days[i].revenue;
  return weeks;
}

static void
csv_numbers (GString *out, const char *first, gint64 a, gint64 b, gint64 c, int n)
{
  char x[32], y[32], z[32];
  const char *fields[] = { first, x, y, z, NULL };

  g_snprintf (x, sizeof x, "%" G_GINT64_FORMAT, a);
  g_snprintf (y, sizeof y, "%" G_GINT64_FORMAT, b);
  g_snprintf (z, sizeof z, "%" G_GINT64_FORMAT, c);
  fields[n] = NULL;
  sd_csv_append_row (out, fields);
}

GBytes *
sd_summary_to_csv (SdSummary *self)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  const char *day_head[] = { "date", "orders", "paidOrders", "revenue", NULL };
  const char *status_head[] = { "status", "orders", NULL };
  const char *product_head[] = { "top", "productId", "name", "quantity", "revenue", NULL };

  g_return_val_if_fail (SD_IS_SUMMARY (self), NULL);
  sd_csv_append_row (out, day_head);
  for (guint i = 0; i < self->n_days; i++)
    csv_numbers (out, self->days[i].date, self->days[i].orders, self->days[i].paid_orders, self->days[i].revenue, 4);
  g_string_append (out, "\r\n");
  sd_csv_append_row (out, status_head);
  for (guint s = 0; s < SD_ORDER_STATUS_N; s++)
    csv_numbers (out, sd_order_status_to_wire (s), self->statuses[s], 0, 0, 2);
  g_string_append (out, "\r\n");
  sd_csv_append_row (out, product_head);
  for (guint t = 0; t < 2; t++)
    {
      GPtrArray *list = t == 0 ? self->by_revenue : self->by_quantity;

      for (guint i = 0; list && i < list->len; i++)
        {
          SdSummaryProduct *p = list->pdata[i];
          char q[32], r[32];
          const char *fields[] = { t == 0 ? "revenue" : "quantity", p->product_id, p->name, q, r, NULL };

          g_snprintf (q, sizeof q, "%" G_GINT64_FORMAT, p->quantity);
          g_snprintf (r, sizeof r, "%" G_GINT64_FORMAT, p->revenue);
          sd_csv_append_row (out, fields);
        }
    }
  return g_string_free_to_bytes (out);
}

static void
sd_summary_finalize (GObject *object)
{
  SdSummary *self = SD_SUMMARY (object);

  g_free (self->days);
  g_clear_pointer (&self->by_revenue, g_ptr_array_unref);
  g_clear_pointer (&self->by_quantity, g_ptr_array_unref);
  G_OBJECT_CLASS (sd_summary_parent_class)->finalize (object);
}

static void
sd_summary_class_init (SdSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_summary_finalize;
}

static void
sd_summary_init (SdSummary *self)
{
}
