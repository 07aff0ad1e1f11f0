/* test-ui-sync.c — staff keep working while the shop is away: order
 * statuses changed on the board, a product's price saved in the editor
 * and a category renamed are kept on this computer, their rows show the new values with
 * a "Waiting to send" mark, and when the shop is back everything lands:
 * the marks go and the shop has the new values. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-categories-admin.h"
#include "sd-orders-board.h"
#include "sd-products-admin.h"
#include "sd-sync-mark.h"
#include "sd-test-util.h"

/* The marks under root that show, saying label (as translated now). */
static guint
n_marks (GtkWidget *root, const char *label)
{
  g_autoptr(GPtrArray) marks = sd_test_find_all (root, SD_TYPE_SYNC_MARK);
  guint n = 0;

  for (guint i = 0; i < marks->len; i++)
    n += gtk_widget_is_drawable (marks->pdata[i]) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (marks->pdata[i]), label) == 0;
  return n;
}

/* The text beside each drawable mark under root (the status cell's label
 * before it), in a row. */
static gboolean
marked_labels_say (GtkWidget *root, const char *text)
{
  g_autoptr(GPtrArray) marks = sd_test_find_all (root, SD_TYPE_SYNC_MARK);
  guint n = 0;

  for (guint i = 0; i < marks->len; i++)
    {
      GtkWidget *before = gtk_widget_get_prev_sibling (marks->pdata[i]);

      if (!gtk_widget_is_drawable (marks->pdata[i]))
        continue;
      if (!GTK_IS_LABEL (before) || g_strcmp0 (gtk_label_get_label (GTK_LABEL (before)), text) != 0)
        return FALSE;
      n++;
    }
  return n > 0;
}

static gboolean
two_orders_waiting (gpointer board)
{
  return sd_test_board_idle (board) && n_marks (board, _("Waiting to send")) == 2;
}

/* Both orders waiting, their rows saying the board's "sd-says". */
static gboolean
two_orders_say (gpointer board)
{
  return two_orders_waiting (board) && marked_labels_say (board, g_object_get_data (board, "sd-says"));
}

static gboolean
product_waiting (gpointer page)
{
  return sd_test_products_idle (page) && n_marks (page, _("Waiting to send")) == 1;
}

static gboolean
products_loaded (gpointer page)
{
  return sd_test_products_idle (page) &&
         g_list_model_get_n_items (sd_products_admin_get_products (SD_PRODUCTS_ADMIN (page))) > 0;
}

static gboolean
categories_loaded (gpointer page)
{
  GListModel *categories = sd_categories_admin_get_categories (page);

  return !sd_categories_admin_get_busy (page) && categories && g_list_model_get_n_items (categories) > 0;
}

static gboolean
category_waiting (gpointer page)
{
  return !sd_categories_admin_get_busy (page) && n_marks (page, _("Waiting to send")) == 1;
}

/* Everything sent: nothing waits in the queue, no mark shows. */
static gboolean
all_landed (gpointer window)
{
  SdPage *board = SD_PAGE (sd_window_get_page (window, "staff-orders"));
  SdSync *sync = sd_shop_get_sync (sd_page_get_shop (board));

  return sd_sync_get_n_waiting (sync) == 0 && sd_sync_get_n_conflicts (sync) == 0 &&
         n_marks (window, _("Waiting to send")) == 0 && sd_test_board_idle (board);
}

static const char *
shop_status (SdTestServer *server, const char *token, const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (server, "GET", path, token, NULL, NULL);
  const char *wire = json_object_get_string_member (json_node_get_object (sd_test_data (r, 200)), "status");
  SdOrderStatus status = SD_ORDER_STATUS_N;

  g_assert_true (sd_order_status_from_wire (wire, &status));
  return sd_order_status_to_wire (status);   /* static: outlives the reply */
}

static void
show (SdWindow *window, const char *section)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", section));
}

static void
sign_in_staff (SdWindow *window)
{
  show (window, "account");
  sd_account_page_sign_in (SD_ACCOUNT_PAGE (sd_window_get_page (window, "account")), "admin@example.com",
                           "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
}

static void
test_waiting_rows (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "SyncWaiting", sd_test_server_start (TRUE));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  SdCategoriesAdmin *categories = SD_CATEGORIES_ADMIN (sd_window_get_page (window, "staff-categories"));
  const char *renamed = "Offline Renamed";
  g_autofree char *category_id = NULL;
  g_autofree char *id_a = NULL, *id_b = NULL, *product_id = NULL, *name = NULL, *admin = NULL;
  g_autofree char *new_price = NULL, *shown_price = NULL;
  gint64 price;
  SdOrderStatus before;

  /* Two guest orders, then staff, with both pages read once. */
  sd_test_place_guest_order (window, 0);
  sd_test_place_guest_order (window, 1);
  sign_in_staff (window);
  show (window, "staff-categories");
  sd_test_wait_until (categories_loaded, categories, SD_TEST_UI_WAIT_MS);
  show (window, "staff-products");
  sd_test_wait_until (products_loaded, products, SD_TEST_UI_WAIT_MS);
  show (window, "staff-orders");
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_orders_board_get_orders (board)), >=, 2);
  g_assert_cmpuint (n_marks (GTK_WIDGET (window), _("Waiting to send")), ==, 0);

  /* The shop goes away. */
  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);

  /* Both new orders → Preparing shipment: kept, said once, no dialog;
   * their rows show the new status, marked. */
  gtk_selection_model_select_range (sd_orders_board_get_selection (board), 0, 2, TRUE);
  {
    g_autoptr(SdOrder) a = g_list_model_get_item (sd_orders_board_get_orders (board), 0);
    g_autoptr(SdOrder) b = g_list_model_get_item (sd_orders_board_get_orders (board), 1);

    before = sd_order_get_status (a);
    g_assert_cmpint (before, !=, SD_ORDER_STATUS_PREPARING);
    g_assert_cmpint (sd_order_get_status (b), ==, before);
    id_a = g_strdup (sd_order_get_id (a));
    id_b = g_strdup (sd_order_get_id (b));
  }
  sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
  sd_test_wait_until (two_orders_waiting, board, SD_TEST_UI_WAIT_MS);
  sd_test_wait_label (GTK_WIDGET (window), "Saved on this computer; it will be sent when the shop answers.");
  g_assert_false (sd_test_dialog_shown (NULL));
  g_assert_true (marked_labels_say (GTK_WIDGET (board), g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (SD_ORDER_STATUS_PREPARING))));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-board-waiting", SD_TEST_OURS);

  /* Undo works offline too: the rows show what they were, still marked;
   * then Preparing shipment again. The three edits of each order land in
   * the order they were made: the shop ends on Preparing shipment. */
  g_object_set_data (G_OBJECT (board), "sd-says", (gpointer) g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (before)));
  sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));
  sd_test_wait_until (two_orders_say, board, SD_TEST_UI_WAIT_MS);
  g_object_set_data (G_OBJECT (board), "sd-says",
                     (gpointer) g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (SD_ORDER_STATUS_PREPARING)));
  sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
  sd_test_wait_until (two_orders_say, board, SD_TEST_UI_WAIT_MS);

  /* A product's price, saved in the editor: kept, its row shows the new
   * price, marked; nothing is left unsaved. */
  show (window, "staff-products");
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  {
    g_autoptr(SdProduct) p = g_list_model_get_item (sd_products_admin_get_products (products), 0);

    product_id = g_strdup (sd_product_get_id (p));
    name = g_strdup (sd_product_get_name (p));
    price = sd_product_get_price (p) + 1000;
    g_assert_true (sd_products_admin_edit (products, p));
  }
  new_price = g_strdup_printf ("%" G_GINT64_FORMAT, price);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), new_price);
  sd_products_admin_save (products);
  sd_test_wait_until (product_waiting, products, SD_TEST_UI_WAIT_MS);
  g_assert_false (sd_products_admin_get_dirty (products));
  g_assert_false (sd_test_dialog_shown (NULL));
  shown_price = sd_format_price (price);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (products), shown_price));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-products-waiting", SD_TEST_OURS);

  /* A category renamed: kept, its row shows the new name, marked. */
  show (window, "staff-categories");
  sd_test_wait_until (categories_loaded, categories, SD_TEST_UI_WAIT_MS);
  {
    g_autoptr(SdCategory) c = g_list_model_get_item (sd_categories_admin_get_categories (categories), 0);

    category_id = g_strdup (sd_category_get_id (c));
    sd_categories_admin_rename (categories, c, renamed);
  }
  sd_test_wait_until (category_waiting, categories, SD_TEST_UI_WAIT_MS);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (categories), renamed));
  g_assert_false (sd_test_dialog_shown (NULL));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-categories-waiting", SD_TEST_OURS);

  /* The shop is back: everything lands, the marks go, and the shop has
   * the new values. */
  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (all_landed, window, SD_TEST_UI_WAIT_MS);
  /* The rows hold the shop's records now. */
  for (guint i = 0; i < g_list_model_get_n_items (sd_orders_board_get_orders (board)); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (sd_orders_board_get_orders (board), i);

      if (g_strcmp0 (sd_order_get_id (o), id_a) == 0 || g_strcmp0 (sd_order_get_id (o), id_b) == 0)
        g_assert_cmpint (sd_order_get_status (o), ==, SD_ORDER_STATUS_PREPARING);
    }
  admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_assert_cmpstr (shop_status (ui.server, admin, id_a), ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
  g_assert_cmpstr (shop_status (ui.server, admin, id_b), ==, sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING));
  {
    g_autoptr(SdTestReply) reply = NULL;
    JsonObject *now = sd_test_shop_product (ui.server, name, &reply);

    g_assert_nonnull (now);
    g_assert_cmpstr (json_object_get_string_member (now, "_id"), ==, product_id);
    g_assert_cmpint (json_object_get_int_member (now, "price"), ==, price);
  }
  {
    g_autofree char *path = g_strconcat ("/api/v1/categories/", category_id, NULL);
    g_autoptr(SdTestReply) r = sd_test_http (ui.server, "GET", path, NULL, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (r, 200)), "name"), ==,
                     renamed);
  }
  g_assert_false (sd_test_dialog_shown (NULL));
}

static gboolean
product_in_conflict (gpointer page)
{
  return sd_test_products_idle (page) && n_marks (page, _("Changed at the shop meanwhile")) == 1;
}

/* Someone else changes a product at the shop after the app read it; the
 * app's edit of it is not applied over theirs: it waits as a conflict,
 * said with a toast (no dialog) and on its row, which shows the edit. */
static void
test_conflict_row (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "SyncConflict", sd_test_server_start (TRUE));
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *path = NULL, *name = NULL, *mine = NULL, *shown_price = NULL;
  g_autoptr(SdTestReply) theirs = NULL;
  gint64 price;

  sign_in_staff (window);
  show (window, "staff-products");
  sd_test_wait_until (products_loaded, products, SD_TEST_UI_WAIT_MS);
  {
    g_autoptr(SdProduct) p = g_list_model_get_item (sd_products_admin_get_products (products), 0);

    path = g_strconcat ("/api/v1/admin/products/", sd_product_get_id (p), NULL);
    name = g_strdup (sd_product_get_name (p));
    price = sd_product_get_price (p) + 2000;
    g_assert_true (sd_products_admin_edit (products, p));
  }
  /* Theirs: another price, at the shop, after the app read it. */
  theirs = sd_test_http (ui.server, "PUT", path, admin, "{\"price\":777}", NULL);
  sd_test_data (theirs, 200);

  mine = g_strdup_printf ("%" G_GINT64_FORMAT, price);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), mine);
  sd_products_admin_save (products);
  sd_test_wait_until (product_in_conflict, products, SD_TEST_UI_WAIT_MS);
  sd_test_wait_label (GTK_WIDGET (window), "Someone changed this at the shop meanwhile: compare the two in Changes to Send.");
  g_assert_false (sd_test_dialog_shown (NULL));
  shown_price = sd_format_price (price);
  g_assert_true (sd_test_label_shown (GTK_WIDGET (products), shown_price));
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "sync-products-conflict", SD_TEST_OURS);
  /* Theirs stands at the shop. */
  {
    g_autoptr(SdTestReply) reply = NULL;
    JsonObject *now = sd_test_shop_product (ui.server, name, &reply);

    g_assert_cmpint (json_object_get_int_member (now, "price"), ==, 777);
  }
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/sync/waiting-rows", test_waiting_rows);
  g_test_add_func ("/ui/sync/conflict-row", test_conflict_row);
  return sd_test_ui_run ();
}
