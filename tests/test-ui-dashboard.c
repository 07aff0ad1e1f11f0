/* test-ui-dashboard.c — the sales dashboard on a shop seeded with known
 * orders: the figures beside the period before, the chart's sentence for
 * screen readers, the table view, and the CSV export. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-bar-chart.h"
#include "sd-connection-doctor.h"
#include "sd-dashboard-page.h"
#include "sd-preferences.h"
#include "sd-ui.h"

static gboolean
dashboard_read (gpointer page)
{
  return !sd_dashboard_page_get_loading (page) && sd_dashboard_page_get_summary (page) != NULL &&
         sd_dashboard_page_get_previous (page) != NULL;
}

/* The export's toast: the file is whole (it may exist, empty, before). */
static gboolean
exported (gpointer window)
{
  return sd_test_label_shown (window, "Figures exported");
}

/* Places an order of one product as the customer; paid ones get their
 * status from the staff. */
static void
place (SdTestServer *server, const char *customer, const char *admin, const char *product, gint64 price,
       gboolean paid)
{
  g_autofree char *body = g_strdup_printf ("{\"product\":[{\"id\":\"%s\",\"name\":\"x\",\"count\":1,\"image\":\"\"}],"
                                           "\"memo\":\"\",\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT
                                           ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "},"
                                           "\"receiver\":{\"name\":\"김하늘\",\"phoneNumber\":\"010-1234-5678\","
                                           "\"address\":\"부산시 해운대구 1\"}}", product, price, price + 3000);
  g_autoptr(SdTestReply) made = sd_test_http (server, "POST", "/api/v1/orders", customer, body, NULL);
  const char *id = json_object_get_string_member (sd_test_data_object (made, 201), "_id");

  if (paid)
    {
      g_autofree char *path = g_strconcat ("/api/v1/admin/orders/", id, NULL);
      g_autoptr(SdTestReply) r = sd_test_http (server, "PUT", path, admin, "{\"status\":\"결제 완료\"}", NULL);

      sd_test_data (r, 200);
    }
}

static void
test_dashboard (gconstpointer data)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Dashboard", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdDashboardPage *page = SD_DASHBOARD_PAGE (sd_window_get_page (window, "staff-dashboard"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *customer = sd_test_sign_in (ui.server, "customer@example.com", "Customer1234!", NULL);
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));
  g_autoptr(SdProduct) product = g_list_model_get_item (catalog, 0);
  gint64 price = sd_product_get_price (product);
  g_autoptr(GPtrArray) charts = NULL;
  g_autofree char *revenue = sd_format_price (2 * price);
  g_autofree char *dir = g_dir_make_tmp ("storedesk-dashboard-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sales.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *csv = NULL;
  SdSummary *summary;

  for (guint i = 0; i < 3; i++)
    place (ui.server, customer, admin, sd_product_get_id (product), price, i < 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-dashboard"));
  sd_test_wait_until (dashboard_read, page, SD_TEST_UI_WAIT_MS);

  summary = sd_dashboard_page_get_summary (page);
  g_assert_cmpint (sd_summary_get_revenue (summary), ==, 2 * price);
  g_assert_cmpint (sd_summary_get_paid_orders (summary), ==, 2);
  g_assert_cmpint (sd_summary_get_orders (summary), ==, 3);
  g_assert_cmpint (sd_summary_get_revenue (sd_dashboard_page_get_previous (page)), ==, 0);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (page), "Revenue"));
  charts = sd_test_find_all (GTK_WIDGET (page), SD_TYPE_BAR_CHART);
  g_assert_cmpuint (charts->len, ==, 1);
  /* The chart's sentence gives the total and the best day, today. */
  g_assert_nonnull (strstr (sd_bar_chart_get_summary (charts->pdata[0]), revenue));
  sd_test_assert_buttons_named (GTK_WIDGET (page));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "dashboard", GPOINTER_TO_INT (data));

  /* The same figures as a table. */
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (page), "_Table"));
  g_clear_pointer (&charts, g_ptr_array_unref);
  charts = sd_test_find_all (GTK_WIDGET (page), SD_TYPE_BAR_CHART);
  g_assert_cmpuint (charts->len, ==, 0);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (page), "Date"));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "dashboard-table", GPOINTER_TO_INT (data));

  sd_dashboard_page_export_to (page, file);
  sd_test_wait_until (exported, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "date,orders,paidOrders,revenue\r\n"));
  g_assert_nonnull (strstr (csv, "결제 완료,2\r\n"));
  g_unlink (path);
  g_rmdir (dir);
}

static SdConnectionDoctor *
doctor_shown (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (SD_IS_CONNECTION_DOCTOR (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
doctor_open (gpointer unused)
{
  return doctor_shown () != NULL;
}

/* Help → Connection: the address, what the shop offers, round trips, who
 * is signed in, what waits; the report copied has no token in it. */
static void
test_connection_doctor (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Doctor", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdConnectionDoctor *doctor;
  const char *report;
  g_autofree char *copied = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connection", NULL));
  sd_test_wait_until (doctor_open, NULL, SD_TEST_UI_WAIT_MS);
  doctor = doctor_shown ();
  report = sd_connection_doctor_get_report (doctor);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, ui.server->url));
  g_assert_nonnull (strstr (report, "conditional"));
  g_assert_nonnull (strstr (report, "admin@example.com"));
  g_assert_nonnull (strstr (report, g_dgettext (GETTEXT_PACKAGE, "Median")));
  g_assert_nonnull (strstr (report, g_dgettext (GETTEXT_PACKAGE, "Plain HTTP, not encrypted")));
  g_assert_null (strstr (report, "eyJ"));   /* no JWT */
  sd_test_save_mode_screenshot (GTK_WIDGET (doctor), "connection", SD_TEST_OURS);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (doctor), "_Copy Report"));
  copied = sd_test_clipboard_text (GTK_WIDGET (doctor));
  g_assert_nonnull (strstr (copied, ui.server->url));
  g_assert_null (strstr (copied, "eyJ"));
  gtk_window_destroy (GTK_WINDOW (doctor));
}

static SdPreferences *
preferences_shown (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (SD_IS_PREFERENCES (l->data))
      return l->data;
  g_assert_not_reached ();
}

/* The shop's time zone is a setting: an unknown one is refused and said
 * so; a known one moves the dashboard's days. */
static void
test_time_zone_setting (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Zone", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdDashboardPage *page = SD_DASHBOARD_PAGE (sd_window_get_page (window, "staff-dashboard"));
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storedesk.Storedesk");
  g_autofree char *zone = NULL;
  SdPreferences *preferences;
  GtkEditable *row;

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "preferences", NULL);
  preferences = preferences_shown ();
  row = sd_test_entry_titled (GTK_WIDGET (preferences), "The Shop’s Time Zone, Such as Asia/Seoul");
  gtk_editable_set_text (row, "Nowhere/Land");
  g_signal_emit_by_name (row, "apply");
  zone = g_settings_get_string (settings, "shop-time-zone");
  g_assert_cmpstr (zone, ==, "Asia/Seoul");
  g_assert_nonnull (strstr (sd_preferences_get_status (preferences), "Asia/Seoul"));
  gtk_editable_set_text (row, "Pacific/Honolulu");
  g_signal_emit_by_name (row, "apply");
  g_clear_pointer (&zone, g_free);
  zone = g_settings_get_string (settings, "shop-time-zone");
  g_assert_cmpstr (zone, ==, "Pacific/Honolulu");
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-dashboard"));
  sd_test_wait_until (dashboard_read, page, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (page), "(Pacific/Honolulu)"));
  g_settings_reset (settings, "shop-time-zone");
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_data_func ("/ui/dashboard", GINT_TO_POINTER (SD_TEST_OURS), test_dashboard);
  g_test_add_func ("/ui/connection-doctor", test_connection_doctor);
  g_test_add_func ("/ui/time-zone-setting", test_time_zone_setting);
  return sd_test_ui_run ();
}
