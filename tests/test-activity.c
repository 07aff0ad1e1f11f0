/* test-activity.c — the activity log through the client core, against a
 * real storedesk-server: staff's edits sent through SdSync are listed by
 * sd_admin_list_activity_async with who, what (in words) and where they
 * came from: a bulk change, an undo, an edit kept offline and sent when
 * the shop was back. The original keeps no log; a hostile entry is read
 * within bounds. */
#include <string.h>

#include "sd-activity-private.h"
#include "sd-test-api.h"

#define WAIT_MS 30000

static char *xdg;

typedef struct {
  SdTestServer *server;
  SdApi        *api;
  SdSession    *session;
  SdAdmin      *admin;
  SdLocalStore *store;
  SdSync       *sync;
} Shop;

static gboolean
sync_loaded (gpointer sync)
{
  return sd_sync_get_loaded (sync);
}

static gboolean
nothing_waits (gpointer sync)
{
  return sd_sync_get_n_waiting (sync) == 0;
}

static void
shop_open (Shop *s)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  s->server = sd_test_server_start (TRUE);
  sd_test_server_keep_port (s->server);
  s->api = sd_api_new (s->server->url, NULL);
  s->session = sd_session_new (s->api);
  sd_session_sign_in_async (s->session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (s->session, sd_test_await (&r), &error));
  s->admin = sd_admin_new (s->api);
  s->store = sd_local_store_new (s->server->url, "admin");
  s->sync = sd_sync_new (s->api, s->store);
  sd_test_wait_until (sync_loaded, s->sync, WAIT_MS);
}

static void
shop_close (Shop *s)
{
  g_clear_object (&s->sync);
  sd_test_close_store (s->store);
  g_clear_object (&s->store);
  g_clear_object (&s->admin);
  g_clear_object (&s->session);
  g_clear_object (&s->api);
  g_clear_pointer (&s->server, sd_test_server_free);
}

/* An order's status through the queue, from origin; awaited when the
 * shop is up (kept: its first outcome is an error, and it waits). */
static void
set_status (Shop *s, const char *id, SdOrderStatus status, SdActivityOrigin origin, gboolean kept)
{
  g_autoptr(SdOrder) order = sd_test_admin_order (s->admin, id);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) record = NULL;

  sd_sync_set_origin (s->sync, origin);
  sd_sync_set_order_status_async (s->sync, order, status, NULL, sd_test_keep_result, &r);
  sd_sync_set_origin (s->sync, SD_ACTIVITY_ORIGIN_NONE);
  record = sd_sync_finish (s->sync, sd_test_await (&r), &error);
  if (kept)
    g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
  else
    g_assert_no_error (error);
}

static GListModel *
list (Shop *s, SdActivityEntity entity, const char *id, guint page, guint per_page, gint64 *out_total,
      GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_admin_list_activity_async (s->admin, entity, id, page, per_page, NULL, sd_test_keep_result, &r);
  return sd_admin_list_activity_finish (s->admin, sd_test_await (&r), out_total, error);
}

static SdActivity *
entry (GListModel *entries, guint i)
{
  SdActivity *a;

  g_assert_cmpuint (i, <, g_list_model_get_n_items (entries));
  a = g_list_model_get_item (entries, i);
  g_object_unref (a);   /* the list holds it */
  return a;
}

static void
assert_describes (SdActivity *a, const char *expected)
{
  g_autofree char *text = sd_activity_describe (a);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_log (void)
{
  Shop s = { 0 };
  g_autofree char *admin = NULL, *customer = NULL, *product_id = NULL, *order_id = NULL;
  g_autofree char *was = NULL, *now = NULL, *price_change = NULL, *sentence = NULL;
  g_autoptr(SdProduct) product = NULL;
  g_autoptr(GListModel) of_order = NULL, of_product = NULL, page = NULL;
  g_autoptr(GError) error = NULL;
  SdProductFields fields = { 0 };
  gint64 total = 0;

  shop_open (&s);
  admin = admin_token (s.server);
  customer = customer_token (s.server);
  product_id = new_product (s.server, admin, 12000, "5");
  order_id = place_order (s.server, customer, product_id, 12000, NULL);

  /* a product's price and stock in one edit */
  product = sd_test_admin_product (s.admin, product_id);
  fields.price = 31000;
  fields.stock = 3;
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GObject) saved = NULL;

    sd_sync_save_product_async (s.sync, product, &fields, NULL, sd_test_keep_result, &r);
    saved = sd_sync_finish (s.sync, sd_test_await (&r), &error);
    g_assert_no_error (error);
  }
  /* a bulk change, its undo, and one made offline, sent when the shop is back */
  set_status (&s, order_id, SD_ORDER_STATUS_PAID, SD_ACTIVITY_ORIGIN_BULK, FALSE);
  set_status (&s, order_id, SD_ORDER_STATUS_AWAITING_PAYMENT, SD_ACTIVITY_ORIGIN_UNDO, FALSE);
  {
    g_autoptr(SdOrder) order = sd_test_admin_order (s.admin, order_id);
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GObject) record = NULL;

    sd_test_server_kill (s.server);
    sd_sync_set_order_status_async (s.sync, order, SD_ORDER_STATUS_PREPARING, NULL, sd_test_keep_result, &r);
    record = sd_sync_finish (s.sync, sd_test_await (&r), &error);
    g_assert_error (error, SD_API_ERROR, SD_API_ERROR_OFFLINE);
    g_clear_error (&error);
    sd_test_server_restart (s.server, TRUE);
    sd_sync_retry (s.sync);
    sd_test_wait_until (nothing_waits, s.sync, WAIT_MS);
  }

  of_order = list (&s, SD_ACTIVITY_ORDER, order_id, 1, 20, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 3);
  g_assert_cmpint (sd_activity_get_origin (entry (of_order, 0)), ==, SD_ACTIVITY_ORIGIN_REPLAY);
  g_assert_cmpint (sd_activity_get_origin (entry (of_order, 1)), ==, SD_ACTIVITY_ORIGIN_UNDO);
  g_assert_cmpint (sd_activity_get_origin (entry (of_order, 2)), ==, SD_ACTIVITY_ORIGIN_BULK);
  g_assert_cmpint (sd_activity_get_action (entry (of_order, 0)), ==, SD_ACTIVITY_STATUS);
  assert_describes (entry (of_order, 0), "Status: Awaiting payment → Preparing shipment");
  assert_describes (entry (of_order, 2), "Status: Awaiting payment → Paid");
  g_assert_cmpstr (sd_activity_get_actor_email (entry (of_order, 0)), ==, ADMIN_EMAIL);
  g_assert_nonnull (sd_activity_get_at (entry (of_order, 0)));
  sentence = sd_activity_dup_sentence (entry (of_order, 0));
  g_assert_nonnull (strstr (sentence, sd_activity_get_label (entry (of_order, 0))));
  g_assert_nonnull (strstr (sentence, "(Sent later from offline)"));

  of_product = list (&s, SD_ACTIVITY_PRODUCT, product_id, 1, 20, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 2);
  was = sd_format_price (12000);
  now = sd_format_price (31000);
  /* the order took one of the five */
  price_change = g_strdup_printf ("Price: %s → %s; Stock: 4 → 3", was, now);
  assert_describes (entry (of_product, 0), price_change);
  assert_describes (entry (of_product, 1), "Created");
  g_assert_cmpstr (sd_activity_get_label (entry (of_product, 0)), ==, "테스트 상품");

  /* everything, two at a time, newest first */
  page = list (&s, SD_ACTIVITY_ANY, NULL, 2, 2, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 2);
  g_assert_cmpint (sd_activity_get_entity (entry (page, 0)), ==, SD_ACTIVITY_ORDER);
  g_assert_cmpint (sd_activity_get_entity (entry (page, 1)), ==, SD_ACTIVITY_PRODUCT);
  /* The shop says it keeps the log, once its /health has answered. */
  {
    g_autoptr(GAsyncResult) r = NULL;

    sd_api_check_health_async (s.api, NULL, sd_test_keep_result, &r);
    g_assert_true (sd_api_check_health_finish (s.api, sd_test_await (&r), NULL));
    g_assert_true (sd_admin_get_keeps_activity (s.admin));
  }
  shop_close (&s);
}

/* The original keeps no log: said as such, not as a failure. */
static void
test_original (void)
{
  static const char * const no_ext[] = { "--no-extensions", NULL };
  Shop s = { 0 };
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = NULL;

  s.server = sd_test_server_start_with (TRUE, no_ext);
  s.api = sd_api_new (s.server->url, NULL);
  s.session = sd_session_new (s.api);
  sd_session_sign_in_async (s.session, ADMIN_EMAIL, ADMIN_PASSWORD, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_session_sign_in_finish (s.session, sd_test_await (&r), &error));
  s.admin = sd_admin_new (s.api);
  {
    g_autoptr(GAsyncResult) health = NULL;

    sd_api_check_health_async (s.api, NULL, sd_test_keep_result, &health);
    g_assert_true (sd_api_check_health_finish (s.api, sd_test_await (&health), NULL));
  }
  entries = list (&s, SD_ACTIVITY_ANY, NULL, 1, 20, NULL, &error);
  g_assert_null (entries);
  g_assert_error (error, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED);
  g_assert_false (sd_admin_get_keeps_activity (s.admin));
  g_clear_object (&s.admin);
  g_clear_object (&s.session);
  g_clear_object (&s.api);
  g_clear_pointer (&s.server, sd_test_server_free);
}

static SdActivity *
parse (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return SD_ACTIVITY (sd_activity_new_from_json (json_parser_get_root (parser), error));
}

/* Entries in words, and hostile ones read within bounds. */
static void
test_words (void)
{
  g_autoptr(SdActivity) renamed = parse ("{\"entity\":\"category\",\"entityId\":\"c\",\"action\":\"update\","
                                         "\"changes\":{\"name\":[\"봄\",\"여름\"]},\"origin\":\"evil\"}", NULL);
  g_autoptr(SdActivity) gone = parse ("{\"entity\":\"product\",\"entityId\":\"p\",\"action\":\"delete\","
                                      "\"label\":\"바구니\",\"changes\":{}}", NULL);
  g_autoptr(SdActivity) untracked = parse ("{\"entity\":\"product\",\"entityId\":\"p\",\"action\":\"update\","
                                           "\"changes\":{\"stock\":[2,null],\"image\":[\"a\",\"b\"]}}", NULL);
  g_autoptr(GString) hostile = g_string_new ("{\"entity\":\"order\",\"entityId\":\"o\",\"action\":\"what\","
                                             "\"actor\":[1],\"at\":12,\"label\":\"");
  g_autoptr(SdActivity) big = NULL;
  g_autoptr(SdActivity) bad = NULL;
  g_autoptr(GError) error = NULL;

  assert_describes (renamed, "Renamed “봄” to “여름”");
  g_assert_cmpint (sd_activity_get_origin (renamed), ==, SD_ACTIVITY_ORIGIN_NONE);
  assert_describes (gone, "Deleted");
  assert_describes (untracked, "Stock: 2 → not tracked; Picture changed");

  for (guint i = 0; i < 100000; i++)
    g_string_append (hostile, "가");
  g_string_append (hostile, "\",\"changes\":{");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (hostile, "%s\"f%u\":[%u,{\"x\":1}]", i ? "," : "", i, i);
  g_string_append (hostile, ",\"memo\":[\"a\"]}}");
  big = parse (hostile->str, NULL);
  g_assert_cmpint (sd_activity_get_action (big), ==, SD_ACTIVITY_UPDATE);
  g_assert_cmpuint (g_utf8_strlen (sd_activity_get_label (big), -1), <=, 200);
  g_assert_cmpuint (g_strv_length ((char **) sd_activity_get_fields (big)), <=, 16);
  g_assert_cmpstr (sd_activity_get_actor (big), ==, "");
  g_assert_null (sd_activity_get_at (big));
  assert_describes (big, "Changed");

  bad = parse ("{\"entity\":\"user\",\"entityId\":\"u\"}", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  xdg = sd_test_fresh_xdg_dirs ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/activity/log", test_log);
  g_test_add_func ("/activity/original", test_original);
  g_test_add_func ("/activity/words", test_words);
  {
    int status = g_test_run ();

    sd_test_remove_tree (xdg);
    return status;
  }
}
