/* test-ui-triage.c — a clerk triages 50 orders on the order board without
 * the mouse: real key events (xdotool) move along the orders, set their
 * status, mark several and change them at once, undo; the keys stay
 * letters in a text field; "?" lists every shortcut of the app. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>

#include "sd-account-page.h"
#include "sd-orders-board.h"
#include "sd-pick-pack.h"
#include "sd-ui.h"

#define N_ORDERS 50

/* How many of the shop's orders have the wire status, as the shop counts
 * them (X-Total-Count). */
static guint
count_status (SdTestServer *server, const char *admin, const char *wire)
{
  g_autofree char *status = g_uri_escape_string (wire, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/api/v1/admin/orders?page=1&limit=1&status=", status, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (server, "GET", path, admin, NULL, NULL);
  const char *total;

  sd_test_data (r, 200);
  total = soup_message_headers_get_one (r->headers, "X-Total-Count");
  g_assert_nonnull (total);
  return (guint) g_ascii_strtoull (total, NULL, 10);
}

/* The board shows what the shop has, nothing on its way. */
static gboolean
board_settled (gpointer board)
{
  return !sd_orders_board_get_busy (board);
}

typedef struct {
  SdOrdersBoard *board;
  guint          first, n;
  SdOrderStatus  status;
} Rows;

/* Rows first … first + n - 1 of the page show status, as the shop sent them. */
static gboolean
rows_have (gpointer data)
{
  Rows *rows = data;
  GListModel *orders = sd_orders_board_get_orders (rows->board);

  if (sd_orders_board_get_busy (rows->board) || g_list_model_get_n_items (orders) < rows->first + rows->n)
    return FALSE;
  for (guint i = rows->first; i < rows->first + rows->n; i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);

      if (sd_order_get_status (o) != rows->status)
        return FALSE;
    }
  return TRUE;
}

static void
wait_rows (SdOrdersBoard *board, guint first, guint n, SdOrderStatus status)
{
  Rows rows = { board, first, n, status };

  sd_test_wait_until (rows_have, &rows, SD_TEST_UI_WAIT_MS);
}

static guint
n_selected (SdOrdersBoard *board)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (sd_orders_board_get_selection (board));

  return (guint) gtk_bitset_get_size (selected);
}

typedef struct {
  SdOrdersBoard *board;
  guint          n;
} Selected;

static gboolean
n_selected_is (gpointer data)
{
  Selected *s = data;

  return n_selected (s->board) == s->n;
}

/* The keys sent are handled: n orders are selected. */
static void
wait_selected (SdOrdersBoard *board, guint n)
{
  Selected s = { board, n };

  sd_test_wait_until (n_selected_is, &s, SD_TEST_UI_WAIT_MS);
}

static gboolean
toast_says (gpointer data)
{
  gpointer *args = data;

  return sd_test_label_shown (args[0], args[1]);
}

/* The toast of a status change: "3 orders are now Preparing shipment". */
static void
wait_toast (SdWindow *window, guint n, SdOrderStatus status)
{
  g_autofree char *text = g_strdup_printf (ngettext ("%u order is now %s", "%u orders are now %s", n), n,
                                           g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (status)));
  gpointer args[] = { window, text };

  sd_test_wait_until (toast_says, args, SD_TEST_UI_WAIT_MS);
}

static gboolean
pick_pack_shown (gpointer unused)
{
  return sd_test_shown_window (SD_TYPE_PICK_PACK) != NULL;
}

static gboolean
pick_pack_gone (gpointer unused)
{
  return sd_test_shown_window (SD_TYPE_PICK_PACK) == NULL;
}

/* What the keys typed in the search: they are letters there. */
static gboolean
typed (gpointer search)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (search)), "2?z") == 0;
}

static GtkWidget *
shortcuts_window (void)
{
  return sd_test_shown_window (GTK_TYPE_SHORTCUTS_WINDOW);
}

static gboolean
shortcuts_shown (gpointer unused)
{
  return shortcuts_window () != NULL;
}

static gboolean
shortcuts_gone (gpointer unused)
{
  return shortcuts_window () == NULL;
}

/* accel as GTK names it: "<Control>z" and "<Primary>z" alike, each
 * between spaces. */
static char *
accel_word (const char *accel)
{
  guint key;
  GdkModifierType mods;
  g_autofree char *name = NULL;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  name = gtk_accelerator_name (key, mods);
  return g_strdup_printf (" %s ", name);
}

static void
assert_listed (const char *all, const char *accel, const char *what)
{
  g_autofree char *word = accel_word (accel);

  if (strstr (all, word) == NULL)
    g_error ("%s (%s) is not in the shortcuts window: %s", accel, what, all);
}

/* Every accelerator the app sets for an action is listed in the
 * shortcuts window, and so is each single key of the board. */
static void
assert_every_shortcut_listed (SdApplication *app, GtkWidget *shortcuts)
{
  g_autoptr(GPtrArray) listed = sd_test_find_all (shortcuts, GTK_TYPE_SHORTCUTS_SHORTCUT);
  g_autoptr(GString) all = g_string_new (NULL);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  const char *board_keys[] = { "j", "k", "x", "z", "<Control>z", "1", "2", "3", "4", "5", "6", "Escape",
                               "Return", "slash", "question", "<Control>p", "p", "<Alt>1", "<Control>s" };

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (listed->pdata[i], "accelerator", &accelerator, NULL);
      accels = g_strsplit (accelerator ? accelerator : "", " ", -1);
      for (guint a = 0; accels[a]; a++)
        {
          g_autofree char *word = accel_word (accels[a]);

          g_string_append (all, word);
        }
    }
  for (guint i = 0; actions[i]; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint a = 0; accels[a]; a++)
        assert_listed (all->str, accels[a], actions[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (board_keys); i++)
    assert_listed (all->str, board_keys[i], "the board");
}

static void
test_triage (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Triage", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autofree char *customer = sd_test_sign_in (ui.server, "customer@example.com", "Customer1234!", NULL);
  const char *paid = sd_order_status_to_wire (SD_ORDER_STATUS_PAID);
  const char *preparing = sd_order_status_to_wire (SD_ORDER_STATUS_PREPARING);
  const char *shipping = sd_order_status_to_wire (SD_ORDER_STATUS_SHIPPING);
  guint paid_before, preparing_before;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GtkWidget *search, *shortcuts;

  /* 50 new orders, awaiting payment: the first 50 rows (newest first). */
  {
    g_autoptr(SdTestReply) products = sd_test_http (ui.server, "GET", "/api/v1/products", NULL, NULL, NULL);
    JsonArray *all = json_node_get_array (sd_test_data (products, 200));
    g_autoptr(GPtrArray) plenty = g_ptr_array_new ();

    const char *family[] = { "김", "이", "박", "최", "정" };
    const char *given[] = { "하늘", "민준", "서연", "지호", "수아", "도윤", "하은", "시우", "지유", "예준" };

    /* Products with stock to spare (or none counted), each in turn. */
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *p = json_array_get_object_element (all, i);

        if (!json_object_has_member (p, "stock") || json_object_get_int_member (p, "stock") >= N_ORDERS)
          g_ptr_array_add (plenty, p);
      }
    g_assert_cmpuint (plenty->len, >, 0);
    for (guint i = 0; i < N_ORDERS; i++)
      {
        g_autofree char *receiver = g_strconcat (family[i % 5], given[i / 5], NULL);
        JsonObject *product = plenty->pdata[i % plenty->len];
        g_autofree char *body = sd_test_order_body (product, receiver, "서울시 1",
                                                    sd_order_status_to_wire (SD_ORDER_STATUS_AWAITING_PAYMENT));
        g_autoptr(SdTestReply) made = sd_test_http (ui.server, "POST", "/api/v1/orders", customer, body, NULL);

        sd_test_data (made, 201);
      }
  }
  paid_before = count_status (ui.server, admin, paid);
  preparing_before = count_status (ui.server, admin, preparing);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  sd_test_wait_until (board_settled, board, SD_TEST_UI_WAIT_MS);
  wait_rows (board, 0, N_ORDERS, SD_ORDER_STATUS_AWAITING_PAYMENT);
  sd_test_save_screenshot (GTK_WIDGET (window), "triage");

  /* j: the first order, selected; 2: Paid, said in a toast with Undo. */
  sd_test_keys (GTK_WIDGET (window), "key", "j", "2", NULL);
  wait_toast (window, 1, SD_ORDER_STATUS_PAID);
  g_assert_nonnull (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));

  /* The other 49, each: j, 2 — in one go, as fast as xdotool types. */
  g_ptr_array_add (keys, "key");
  g_ptr_array_add (keys, "--delay");
  g_ptr_array_add (keys, "20");
  for (guint i = 1; i < N_ORDERS; i++)
    {
      g_ptr_array_add (keys, "j");
      g_ptr_array_add (keys, "2");
    }
  g_ptr_array_add (keys, NULL);
  sd_test_keysv (GTK_WIDGET (window), (const char * const *) keys->pdata);
  wait_rows (board, 0, N_ORDERS, SD_ORDER_STATUS_PAID);
  g_assert_cmpuint (count_status (ui.server, admin, paid), ==, paid_before + N_ORDERS);

  /* Three marked with x (the cursor on the 50th: it, the 49th, the 48th),
   * then 3: the three are Preparing, one toast. */
  sd_test_keys (GTK_WIDGET (window), "key", "x", "k", "x", "k", "x", NULL);
  wait_selected (board, 3);
  sd_test_keys (GTK_WIDGET (window), "key", "3", NULL);
  wait_toast (window, 3, SD_ORDER_STATUS_PREPARING);
  wait_rows (board, N_ORDERS - 3, 3, SD_ORDER_STATUS_PREPARING);
  g_assert_cmpuint (count_status (ui.server, admin, preparing), ==, preparing_before + 3);
  /* The marks stay through the reload. */
  g_assert_cmpuint (n_selected (board), ==, 3);
  sd_test_save_screenshot (GTK_WIDGET (window), "triage-marked");

  /* z: undone, all three back to Paid. */
  sd_test_keys (GTK_WIDGET (window), "key", "z", NULL);
  wait_rows (board, N_ORDERS - 3, 3, SD_ORDER_STATUS_PAID);
  g_assert_cmpuint (count_status (ui.server, admin, preparing), ==, preparing_before);

  /* Escape forgets the marks: the order at the cursor alone; 4 ships it,
   * Ctrl+Z undoes it. */
  sd_test_keys (GTK_WIDGET (window), "key", "Escape", NULL);
  wait_selected (board, 1);
  sd_test_keys (GTK_WIDGET (window), "key", "4", NULL);
  wait_toast (window, 1, SD_ORDER_STATUS_SHIPPING);
  wait_rows (board, N_ORDERS - 3, 1, SD_ORDER_STATUS_SHIPPING);
  g_assert_cmpuint (count_status (ui.server, admin, shipping), ==, 1);
  sd_test_keys (GTK_WIDGET (window), "key", "ctrl+z", NULL);
  wait_rows (board, N_ORDERS - 3, 1, SD_ORDER_STATUS_PAID);
  g_assert_cmpuint (count_status (ui.server, admin, shipping), ==, 0);

  /* p: a pick & pack run of the selection, from the keyboard; Escape
   * closes it, nothing moved. */
  sd_test_keys (GTK_WIDGET (window), "key", "p", NULL);
  sd_test_wait_until (pick_pack_shown, NULL, SD_TEST_UI_WAIT_MS);
  sd_test_keys (sd_test_shown_window (SD_TYPE_PICK_PACK), "key", "Escape", NULL);
  sd_test_wait_until (pick_pack_gone, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (count_status (ui.server, admin, paid), ==, paid_before + N_ORDERS);

  /* "/": the board's own search; there the keys are letters: "2" and "?"
   * are typed, no status set, no shortcuts shown. */
  {
    g_autoptr(GPtrArray) entries = sd_test_find_all (GTK_WIDGET (board), GTK_TYPE_SEARCH_ENTRY);

    search = entries->pdata[0];
  }
  sd_test_keys (GTK_WIDGET (window), "key", "slash", NULL);
  g_assert_true (gtk_widget_has_focus (search) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), search));
  sd_test_keys (GTK_WIDGET (window), "key", "2", "question", "z", NULL);
  sd_test_wait_until (typed, search, SD_TEST_UI_WAIT_MS);
  g_assert_null (shortcuts_window ());
  sd_test_wait_until (board_settled, board, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (count_status (ui.server, admin, paid), ==, paid_before + N_ORDERS);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  sd_test_wait_until (board_settled, board, SD_TEST_UI_WAIT_MS);

  /* Tab out of the search, j back in the list; "?" outside a text field:
   * every shortcut of the app, listed. */
  sd_test_keys (GTK_WIDGET (window), "key", "Tab", "j", "question", NULL);
  sd_test_wait_until (shortcuts_shown, NULL, SD_TEST_UI_WAIT_MS);
  shortcuts = shortcuts_window ();
  assert_every_shortcut_listed (ui.app, shortcuts);
  sd_test_save_screenshot (shortcuts, "shortcuts");
  sd_test_keys (shortcuts, "key", "Escape", NULL);
  sd_test_wait_until (shortcuts_gone, NULL, SD_TEST_UI_WAIT_MS);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/triage", test_triage);
  return sd_test_ui_run ();
}
