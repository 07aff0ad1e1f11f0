/* test-ui-conflict.c — an edit made while the shop is down meets
 * someone else's change when it is back: the header bar's sync status
 * says offline and "1 change waiting", then "1 conflict"; its list
 * opens the conflict view, which shows both side by side; merging keeps
 * their price and this clerk's description, and the shop has both. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-conflict-dialog.h"
#include "sd-orders-page.h"
#include "sd-page.h"

static SdSync *
sync_of (SdWindow *window)
{
  return sd_shop_get_sync (sd_page_get_shop (SD_PAGE (sd_window_get_page (window, "shop"))));
}

static gboolean
has_conflict (gpointer window)
{
  return sd_sync_get_n_conflicts (sync_of (window)) == 1 && sd_sync_get_n_waiting (sync_of (window)) == 0;
}

static gboolean
queue_empty (gpointer window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (sync_of (window))) == 0;
}

static gboolean
text_is (gpointer window)
{
  return g_strcmp0 (sd_sync_status_get_text (sd_test_sync_status (window)),
                    g_object_get_data (G_OBJECT (window), "sd-wanted")) == 0;
}

static gboolean
text_starts (gpointer window)
{
  return g_str_has_prefix (sd_sync_status_get_text (sd_test_sync_status (window)),
                           g_object_get_data (G_OBJECT (window), "sd-wanted"));
}

static SdConflictDialog *
conflict_dialog (void)
{
  return (SdConflictDialog *) sd_test_shown_window (SD_TYPE_CONFLICT_DIALOG);
}

static gboolean
conflict_shown (gpointer unused)
{
  return conflict_dialog () != NULL;
}

static gboolean
conflict_gone (gpointer unused)
{
  return conflict_dialog () == NULL;
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  g_autoptr(GObject) record = sd_sync_finish (SD_SYNC (source), result, error);
}

static void
test_conflict (gconstpointer data)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Conflict", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  g_autoptr(SdProduct) product = g_list_model_get_item (catalog, 0);
  g_autofree char *path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (product), NULL);
  g_autofree char *one_waiting = NULL;
  g_autofree char *read_path = g_strconcat ("/api/v1/products/", sd_product_get_id (product), NULL);
  g_autoptr(SdTestReply) theirs = NULL;
  g_autoptr(SdTestReply) now = NULL;
  g_autoptr(GPtrArray) popovers = NULL;
  GError *error = NULL;
  SdProductFields fields = { 0 };
  SdConflictDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  g_assert_cmpstr (sd_sync_status_get_text (sd_test_sync_status (window)), ==, "");

  /* The cable is pulled; a clerk changes a price and a description. */
  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  fields.price = 31000;
  fields.stock = -2;
  fields.description = "포장 상자 포함";
  sd_sync_save_product_async (sync_of (window), product, &fields, NULL, saved_cb, &error);
  sd_test_wait_until (sd_test_offline_shown, window, SD_TEST_UI_WAIT_MS);
  one_waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting", "%u changes waiting", 1), 1);
  g_object_set_data (G_OBJECT (window), "sd-wanted", one_waiting);
  sd_test_wait_until ((gboolean (*) (gpointer)) sd_sync_get_n_waiting, sync_of (window), SD_TEST_UI_WAIT_MS);
  g_assert_nonnull (strstr (sd_sync_status_get_text (sd_test_sync_status (window)), one_waiting));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-waiting", GPOINTER_TO_INT (data));
  popovers = sd_test_find_all (GTK_WIDGET (sd_test_sync_status (window)), GTK_TYPE_POPOVER);
  sd_sync_status_popup (sd_test_sync_status (window));
  sd_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, popovers->pdata[0], SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (popovers->pdata[0], "sync-waiting-list", GPOINTER_TO_INT (data));

  /* Back, but someone raised the price meanwhile. */
  gtk_popover_popdown (popovers->pdata[0]);
  sd_test_server_restart (ui.server, TRUE);
  theirs = sd_test_http (ui.server, "PUT", path, admin, "{\"price\":45000}", NULL);
  sd_test_data (theirs, 200);
  sd_sync_retry (sync_of (window));
  sd_test_wait_until (has_conflict, window, SD_TEST_UI_WAIT_MS);
  g_object_set_data_full (G_OBJECT (window), "sd-wanted",
                          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", 1), 1),
                          g_free);
  sd_test_wait_until (text_is, window, SD_TEST_UI_WAIT_MS);
  g_clear_error (&error);

  /* The list, then the conflict view from it. */
  sd_sync_status_popup (sd_test_sync_status (window));
  sd_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, popovers->pdata[0], SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (popovers->pdata[0], "sync-conflict-list", GPOINTER_TO_INT (data));
  sd_test_click (sd_test_button_labelled (popovers->pdata[0], "_Compare…"));
  sd_test_wait_until (conflict_shown, NULL, SD_TEST_UI_WAIT_MS);
  dialog = conflict_dialog ();
  sd_test_assert_buttons_named (GTK_WIDGET (dialog));
  sd_test_save_mode_screenshot (GTK_WIDGET (dialog), "sync-conflict", GPOINTER_TO_INT (data));
  /* Their price (changed there) is not ticked for yours; the description is. */
  sd_conflict_dialog_set_use_mine (dialog, "price", FALSE);
  sd_conflict_dialog_set_use_mine (dialog, "description", TRUE);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (dialog), "_Merge Ticked Fields"));
  sd_test_wait_until (conflict_gone, NULL, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (queue_empty, window, SD_TEST_UI_WAIT_MS);
  g_object_set_data (G_OBJECT (window), "sd-wanted", (gpointer) "");
  sd_test_wait_until (text_starts, window, SD_TEST_UI_WAIT_MS);

  now = sd_test_http (ui.server, "GET", read_path, NULL, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (sd_test_data_object (now, 200), "price"), ==, 45000);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (now, 200), "description"), ==,
                   "포장 상자 포함");
}

static gboolean
toast_kept_shown (gpointer window)
{
  return sd_test_label_shown (window, "Kept on this computer: it is sent when the shop answers again");
}

static gboolean
memo_landed (gpointer ui_ptr)
{
  SdTestUi *ui = ui_ptr;
  const char *path = g_object_get_data (G_OBJECT (ui->window), "sd-order-path");
  const char *token = g_object_get_data (G_OBJECT (ui->window), "sd-token");
  g_autoptr(SdTestReply) r = sd_test_http (ui->server, "GET", path, token, NULL, NULL);

  return r->status == 200 && g_strcmp0 (json_object_get_string_member (sd_test_data_object (r, 200), "memo"),
                                        "경비실에 맡겨 주세요") == 0;
}

/* A member changes the note of an own order while the shop is down: it
 * is kept (a toast says so, the header bar counts it) and reaches the
 * shop when it is back, with nothing pressed. */
static void
test_member_memo_offline (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "MemberMemo", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersPage *orders = SD_ORDERS_PAGE (sd_window_get_page (window, "orders"));
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  g_autoptr(SdProduct) product = g_list_model_get_item (catalog, 0);
  g_autofree char *token = sd_test_sign_in (ui.server, "customer@example.com", "Customer1234!", NULL);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"입금 대기\",\"product\":[{\"id\":\"%s\",\"name\":\"x\","
                                           "\"count\":1,\"image\":\"\"}],\"memo\":\"\",\"payment\":{"
                                           "\"ttlPriceItem\":%" G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,"
                                           "\"ttlPrice\":%" G_GINT64_FORMAT "},\"receiver\":{\"name\":\"김하늘\","
                                           "\"phoneNumber\":\"010-1234-5678\",\"address\":\"부산시 해운대구 1\"}}",
                                           sd_product_get_id (product), sd_product_get_price (product),
                                           sd_product_get_price (product) + 3000);
  g_autoptr(SdTestReply) placed = sd_test_http (ui.server, "POST", "/api/v1/orders", token, body, NULL);
  const char *order_id = json_object_get_string_member (sd_test_data_object (placed, 201), "_id");
  GListModel *list;
  g_autoptr(SdOrder) shown = NULL;

  g_object_set_data_full (G_OBJECT (window), "sd-order-path", g_strconcat ("/api/v1/orders/", order_id, NULL),
                          g_free);
  g_object_set_data (G_OBJECT (window), "sd-token", token);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "customer@example.com", "Customer1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "orders"));
  sd_test_wait_until (sd_test_orders_listed, orders, SD_TEST_UI_WAIT_MS);
  list = sd_orders_page_get_orders (orders);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (list, i);

      if (g_strcmp0 (sd_order_get_id (o), order_id) == 0)
        g_set_object (&shown, o);
    }
  g_assert_nonnull (shown);
  sd_orders_page_show_order (orders, shown);

  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (orders), "Note for the Delivery"), "경비실에 맡겨 주세요");
  g_signal_emit_by_name (sd_test_entry_titled (GTK_WIDGET (orders), "Note for the Delivery"), "apply");
  sd_test_wait_until (toast_kept_shown, window, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (sd_sync_get_n_waiting (sync_of (window)), ==, 1);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-member-kept", SD_TEST_OURS);

  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (queue_empty, window, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (memo_landed, &ui, SD_TEST_UI_WAIT_MS);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_data_func ("/ui/sync/conflict", GINT_TO_POINTER (SD_TEST_OURS), test_conflict);
  g_test_add_func ("/ui/sync/member-memo-offline", test_member_memo_offline);
  return sd_test_ui_run ();
}
