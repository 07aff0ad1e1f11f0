/* test-ui-pick.c — a pick & pack run from the orders board, on a shop
 * seeded with known orders: the pick list's sums on its rows, ticked
 * from the keyboard; the PDF (pick list first, then a slip per order)
 * read back with pdftotext; Done with lines not picked asks first, then
 * moves each order to its next status at the shop, and Undo moves them
 * back; Escape closes a run. At ours and at the original (whose lines
 * name an option set, never the value, and which keeps no receiver). */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-orders-board.h"
#include "sd-pick-pack.h"
#include "sd-ui.h"

typedef struct {
  const char *receiver;
  const char *memo;
  const char *status;   /* wire */
  const char *next;     /* wire, after Done */
  const char *lines;    /* "product name|option|count;…" */
  char       *id;
} Seeded;

static JsonObject *
product_named (JsonArray *products, const char *name)
{
  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);

      if (g_strcmp0 (json_object_get_string_member (p, "name"), name) == 0)
        return p;
    }
  g_error ("no product %s in the demo catalog", name);
}

/* The option a line of product sends: the value at ours; at the
 * original the id of the product's option set (API.md). */
static const char *
option_sent (JsonObject *product, const char *value, SdTestMode mode)
{
  JsonNode *set = json_object_get_member (product, "options");

  if (mode == SD_TEST_OURS || !*value)
    return value;
  if (JSON_NODE_HOLDS_OBJECT (set))
    return json_object_get_string_member (json_node_get_object (set), "_id");
  return json_node_get_string (set);
}

/* Places o as the staff do, with its lines, receiver, memo and status. */
static void
place (SdTestServer *server, const char *admin, JsonArray *products, Seeded *o, SdTestMode mode)
{
  g_auto(GStrv) lines = g_strsplit (o->lines, ";", -1);
  g_autoptr(GString) body = g_string_new ("{\"product\":[");
  g_autoptr(SdTestReply) made = NULL;
  gint64 items = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "|", 3);
      JsonObject *p = product_named (products, f[0]);
      gint64 count = g_ascii_strtoll (f[2], NULL, 10);

      items += json_object_get_int_member (p, "price") * count;
      g_string_append_printf (body, "%s{\"id\":\"%s\",\"name\":\"%s\",\"count\":%" G_GINT64_FORMAT
                              ",\"image\":\"uploads/none.jpg\"", i ? "," : "",
                              json_object_get_string_member (p, "_id"), f[0], count);
      if (*f[1])
        g_string_append_printf (body, ",\"options\":\"%s\"", option_sent (p, f[1], mode));
      g_string_append_c (body, '}');
    }
  g_string_append_printf (body, "],\"memo\":\"%s\",\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT
                          ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "},"
                          "\"receiver\":{\"name\":\"%s\",\"phoneNumber\":\"01012345678\",\"address\":\"부산\"},"
                          "\"status\":\"%s\"}", o->memo, items, items + 3000, o->receiver, o->status);
  made = sd_test_http (server, "POST", "/api/v1/admin/orders", admin, body->str, NULL);
  o->id = g_strdup (json_object_get_string_member (sd_test_data_object (made, 201), "_id"));
}

static const char *
status_at_shop (SdTestServer *server, const char *admin, const char *id)
{
  static char status[64];
  g_autofree char *path = g_strconcat ("/api/v1/orders/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (server, "GET", path, admin, NULL, NULL);

  g_strlcpy (status, json_object_get_string_member (sd_test_data_object (r, 200), "status"), sizeof status);
  return status;
}

static GtkWidget *
toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return w;
    }
  g_error ("no window of type %s", g_type_name (type));
}

/* Selects the orders of the board that are seeded, and only them. */
static void
select_seeded (SdOrdersBoard *board, Seeded *orders, guint n)
{
  GtkSelectionModel *selection = sd_orders_board_get_selection (board);
  GListModel *shown = G_LIST_MODEL (selection);

  gtk_selection_model_unselect_all (selection);
  for (guint at = 0; at < g_list_model_get_n_items (shown); at++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (shown, at);

      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (sd_order_get_id (o), orders[i].id) == 0)
          gtk_selection_model_select_item (selection, at, FALSE);
    }
}

/* A window on show over parent (GTK's print dialog), or NULL. */
static GtkWindow *
window_over (gpointer parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (w) == parent && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
print_dialog_shown (gpointer parent)
{
  return GTK_IS_DIALOG (window_over (parent));
}

static gboolean
list_read (gpointer dialog)
{
  return sd_pick_pack_get_list (dialog) != NULL;
}

static gboolean
one_picked (gpointer dialog)
{
  return sd_pick_pack_get_n_picked (dialog) == 1;
}

static gboolean
gone (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

/* The quantity each row of the pick list shows, by "name (option)". */
static GHashTable *
rows_shown (GtkWidget *dialog)
{
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = sd_test_find_all (dialog, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) labels = sd_test_find_all (rows->pdata[i], GTK_TYPE_LABEL);
      const char *option = adw_action_row_get_subtitle (rows->pdata[i]);
      const char *title = adw_preferences_row_get_title (rows->pdata[i]);

      for (guint l = 0; l < labels->len; l++)
        if (g_str_has_prefix (gtk_label_get_label (labels->pdata[l]), "× "))
          g_hash_table_insert (shown, option && *option ? g_strdup_printf ("%s (%s)", title, option) : g_strdup (title),
                               g_strdup (gtk_label_get_label (labels->pdata[l])));
    }
  return shown;
}

/* The PDF's pages as pdftotext reads them (the layout kept). */
static char **
pdf_pages (SdPickPack *dialog)
{
  g_autofree char *dir = g_dir_make_tmp ("storedesk-pick-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "run.pdf", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftotext -layout -enc UTF-8 '%s' -", pdf);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (sd_pick_pack_print_to_pdf (dialog, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("run: %s", text);
  g_unlink (pdf);
  g_rmdir (dir);
  return g_strsplit (text, "\f", -1);
}

static char *
without_spaces (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *c = text; *c; c++)
    if (*c != ' ')
      g_string_append_c (s, *c);
  return g_string_free (s, FALSE);
}

/* A line of page has both texts, spaces aside (pdftotext reads "× 3"
 * as "×3"). */
static gboolean
line_with (const char *page, const char *a, const char *b)
{
  g_auto(GStrv) lines = g_strsplit (page, "\n", -1);
  g_autofree char *sa = without_spaces (a);
  g_autofree char *sb = without_spaces (b);

  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = without_spaces (lines[i]);

      if (strstr (line, sa) && strstr (line, sb))
        return TRUE;
    }
  return FALSE;
}

/* pages[from..to) as one text, without spaces. */
static char *
pages_text (char **pages, guint from, guint to)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint p = from; p < to; p++)
    g_string_append (all, pages[p]);
  return without_spaces (all->str);
}

/* A run longer than a page: one order of every product in stock. The pick
 * list goes on over a second page before the slip, and the slip over a
 * page of its own; every product is on both. */
static void
long_run (SdTestServer *server, const char *admin, JsonArray *products, SdOrdersBoard *board)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  Seeded big = { "최여름", "long run", "결제 완료", "배송 준비", NULL, NULL };
  g_auto(GStrv) pages = NULL;
  g_autofree char *list = NULL;
  g_autofree char *slip = NULL;
  SdPickPack *dialog;
  guint slip_at = 0, n_pages;

  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      JsonNode *stock = json_object_get_member (p, "stock");

      if (stock && !JSON_NODE_HOLDS_NULL (stock) && json_node_get_int (stock) == 0)
        continue;
      g_string_append_printf (lines, "%s%s||1", lines->len ? ";" : "", json_object_get_string_member (p, "name"));
      g_ptr_array_add (names, (gpointer) json_object_get_string_member (p, "name"));
    }
  g_assert_cmpuint (names->len, >=, 40);
  big.lines = lines->str;
  place (server, admin, products, &big, SD_TEST_OURS);
  sd_orders_board_reload (board);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  select_seeded (board, &big, 1);
  dialog = SD_PICK_PACK (sd_orders_board_pick_pack (board));
  sd_test_wait_until (list_read, dialog, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (sd_pick_list_get_n_lines (sd_pick_pack_get_list (dialog)), ==, names->len);
  pages = pdf_pages (dialog);
  n_pages = g_strv_length (pages);
  for (guint p = 0; p < n_pages && slip_at == 0; p++)
    if (strstr (pages[p], g_dgettext (GETTEXT_PACKAGE, "Ship To")))
      slip_at = p;
  g_assert_cmpuint (slip_at, >=, 2);
  /* The last of pdftotext's pages is what follows the last form feed. */
  g_assert_cmpuint (n_pages - 1 - slip_at, >=, 2);
  list = pages_text (pages, 0, slip_at);
  slip = pages_text (pages, slip_at, n_pages);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *name = without_spaces (names->pdata[i]);

      g_assert_nonnull (strstr (list, name));
      g_assert_nonnull (strstr (slip, name));
    }
  g_assert_nonnull (strstr (slip, "longrun"));   /* the memo, at the slip's end */
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_free (big.id);
}

static void
test_pick_pack (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  gboolean ours = mode == SD_TEST_OURS;
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, ours ? "Pick" : "PickOriginal", sd_test_server_start_mode (mode));
  /* The original's lines name no option value: none to show. */
  const char *basket = ours ? "라탄 수납 바구니 (화이트)" : "라탄 수납 바구니";
  const char *board_ = ours ? "원목 도마 (대)" : "원목 도마";
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autoptr(SdTestReply) catalog = sd_test_http (ui.server, "GET", "/api/v1/products?limit=100", NULL, NULL, NULL);
  JsonArray *products = json_node_get_array (sd_test_data (catalog, 200));
  Seeded orders[] = {
    { "김하늘", "문 앞에 놓아 주세요", "결제 완료", "배송 준비", "라탄 수납 바구니|화이트|2;메모리폼 베개||1" },
    { "이가람", "Fragile, handle with care", "배송 준비", "배송 중", "라탄 수납 바구니|화이트|1;원목 도마|대|1" },
    { "박새벽", "경비실에 맡겨 주세요", "배송 완료", "배송 완료", "메모리폼 베개||2" },
  };
  GtkSelectionModel *selection = sd_orders_board_get_selection (board);
  SdPickPack *dialog;
  gpointer watch;
  g_autoptr(GHashTable) shown = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_auto(GStrv) pages = NULL;
  AdwMessageDialog *ask;

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    place (ui.server, admin, products, &orders[i], mode);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);

  /* No selection: no run. */
  gtk_selection_model_unselect_all (selection);
  g_assert_false (gtk_widget_get_sensitive (sd_test_button_labelled (GTK_WIDGET (board), "P_ick & Pack…")));
  g_assert_null (sd_orders_board_pick_pack (board));
  select_seeded (board, orders, G_N_ELEMENTS (orders));
  g_assert_true (gtk_widget_get_sensitive (sd_test_button_labelled (GTK_WIDGET (board), "P_ick & Pack…")));
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (board), "P_ick & Pack…"));
  dialog = SD_PICK_PACK (toplevel_of_type (SD_TYPE_PICK_PACK));
  sd_test_wait_until (list_read, dialog, SD_TEST_UI_WAIT_MS);

  /* Summed over the three orders, under the demo shop's categories (by
   * name), the run's orders last. */
  shown = rows_shown (GTK_WIDGET (dialog));
  g_assert_cmpuint (g_hash_table_size (shown), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (shown, basket), ==, "× 3");
  g_assert_cmpstr (g_hash_table_lookup (shown, "메모리폼 베개"), ==, "× 3");
  g_assert_cmpstr (g_hash_table_lookup (shown, board_), ==, "× 1");
  groups = sd_test_find_all (GTK_WIDGET (dialog), ADW_TYPE_PREFERENCES_GROUP);
  g_assert_cmpuint (groups->len, ==, 4);
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[0]), ==, "수납");
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[1]), ==, "주방");
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[2]), ==, "침구");
  g_assert_cmpstr (adw_preferences_group_get_title (groups->pdata[3]), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Orders in This Run"));

  /* Space ticks the line that has the focus. */
  sd_test_keys (GTK_WIDGET (dialog), "key", "space", NULL);
  sd_test_wait_until (one_picked, dialog, SD_TEST_UI_WAIT_MS);
  sd_test_save_mode_screenshot (GTK_WIDGET (dialog), "pick-pack", mode);
  sd_test_assert_buttons_named (GTK_WIDGET (dialog));

  /* The PDF: the pick list with its sums first, then a slip per order
   * with its number, receiver, items and memo. */
  pages = pdf_pages (dialog);
  g_assert_cmpuint (g_strv_length (pages), >=, 4);
  g_assert_nonnull (strstr (pages[0], g_dgettext (GETTEXT_PACKAGE, "Pick List")));
  g_assert_true (line_with (pages[0], "☐", basket));
  g_assert_true (line_with (pages[0], basket, "× 3"));
  g_assert_true (line_with (pages[0], "메모리폼 베개", "× 3"));
  g_assert_true (line_with (pages[0], board_, "× 1"));
  g_assert_null (strstr (pages[0], orders[0].memo));
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      SdOrder *o = sd_test_order_in (sd_orders_board_get_orders (board), orders[i].id);
      g_autofree char *number = NULL;
      g_autofree char *title = NULL;
      gboolean found = FALSE;

      g_assert_nonnull (o);
      number = sd_ui_order_number (o);
      title = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "Packing Slip — Order %s"), number);
      for (guint p = 1; pages[p]; p++)
        if (strstr (pages[p], title))
          {
            g_auto(GStrv) lines = g_strsplit (orders[i].lines, ";", -1);

            found = TRUE;
            g_assert_nonnull (strstr (pages[p], ours ? orders[i].receiver
                                                     : g_dgettext (GETTEXT_PACKAGE, "Address not kept")));
            g_assert_nonnull (strstr (pages[p], orders[i].memo));
            for (guint l = 0; lines[l]; l++)
              {
                g_autofree char *name = g_strndup (lines[l], strcspn (lines[l], "|"));
                g_assert_nonnull (strstr (pages[p], name));
              }
          }
      g_assert_true (found);
    }

  /* Print… opens GTK's print dialog over the run's window, not behind it. */
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (dialog), "_Print…"));
  sd_test_wait_until (print_dialog_shown, dialog, SD_TEST_UI_WAIT_MS);
  gtk_dialog_response (GTK_DIALOG (window_over (dialog)), GTK_RESPONSE_CANCEL);

  /* Done with lines not picked asks first; then each order goes to its
   * next status at the shop, the delivered one stays. */
  watch = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &watch);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (dialog), "_Done — Move to Next Status"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  ask = sd_test_find_dialog ();
  {
    g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line not picked. Move anyway?",
                                                          "%u lines not picked. Move anyway?", 2), 2);
    g_assert_cmpstr (adw_message_dialog_get_body (ask), ==, body);
  }
  sd_test_save_mode_screenshot (GTK_WIDGET (ask), "pick-pack-ask", mode);
  adw_message_dialog_response (ask, "move");
  sd_test_wait_until (gone, &watch, SD_TEST_UI_WAIT_MS);
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    g_assert_cmpstr (status_at_shop (ui.server, admin, orders[i].id), ==, orders[i].next);

  /* One Undo for the run. */
  sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    g_assert_cmpstr (status_at_shop (ui.server, admin, orders[i].id), ==, orders[i].status);

  /* Escape closes a run, nothing moved. */
  select_seeded (board, orders, G_N_ELEMENTS (orders));
  dialog = SD_PICK_PACK (sd_orders_board_pick_pack (board));
  watch = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &watch);
  sd_test_wait_until (list_read, dialog, SD_TEST_UI_WAIT_MS);
  sd_test_keys (GTK_WIDGET (dialog), "key", "Escape", NULL);
  sd_test_wait_until (gone, &watch, SD_TEST_UI_WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_assert_cmpstr (status_at_shop (ui.server, admin, orders[i].id), ==, orders[i].status);
      g_free (orders[i].id);
    }
  if (ours)
    long_run (ui.server, admin, products, board);
}

static gboolean
all_sent (gpointer board)
{
  SdSync *sync = sd_shop_get_sync (sd_page_get_shop (SD_PAGE (board)));

  return sd_sync_get_n_waiting (sync) == 0 && sd_sync_get_n_conflicts (sync) == 0 && sd_test_board_idle (board);
}

/* The board's order with id "sd-id" shows the status in "sd-status". */
static gboolean
order_shows (gpointer board)
{
  SdOrder *o = sd_test_board_idle (board)
               ? sd_test_order_in (sd_orders_board_get_orders (board), g_object_get_data (board, "sd-id")) : NULL;

  return o && sd_orders_board_get_shown_status (board, o) ==
              (SdOrderStatus) GPOINTER_TO_INT (g_object_get_data (board, "sd-status"));
}

/* The shop unreachable: the run reads the products the app has shown and
 * the categories it kept, and starts from the status the board shows (a
 * change waiting to be sent); Done waits in the queue too, and lands
 * when the shop is back. */
static void
test_pick_pack_offline (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "PickOffline", sd_test_server_start (TRUE));
  SdAccountPage *account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  SdOrdersBoard *board = SD_ORDERS_BOARD (sd_window_get_page (window, "staff-orders"));
  g_autofree char *admin = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_autoptr(SdTestReply) catalog = sd_test_http (ui.server, "GET", "/api/v1/products?limit=100", NULL, NULL, NULL);
  Seeded order = { "김하늘", "문 앞에 놓아 주세요", "결제 완료", "배송 중", "라탄 수납 바구니|화이트|2", NULL };
  g_autofree char *move = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *token = NULL;
  SdPickPack *dialog;
  gpointer watch;

  place (ui.server, admin, json_node_get_array (sd_test_data (catalog, 200)), &order, SD_TEST_OURS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-orders"));
  sd_test_wait_until (sd_test_board_idle, board, SD_TEST_UI_WAIT_MS);

  /* A run read online keeps the categories for the staff's account (the
   * sidebar kept them for the guest the app started as). */
  select_seeded (board, &order, 1);
  dialog = SD_PICK_PACK (sd_orders_board_pick_pack (board));
  sd_test_wait_until (list_read, dialog, SD_TEST_UI_WAIT_MS);
  gtk_window_destroy (GTK_WINDOW (dialog));

  sd_test_server_keep_port (ui.server);
  sd_test_server_kill (ui.server);
  g_object_set_data (G_OBJECT (board), "sd-id", order.id);
  select_seeded (board, &order, 1);
  sd_orders_board_set_status (board, SD_ORDER_STATUS_PREPARING);
  g_object_set_data (G_OBJECT (board), "sd-status", GINT_TO_POINTER (SD_ORDER_STATUS_PREPARING));
  sd_test_wait_until (order_shows, board, SD_TEST_UI_WAIT_MS);

  select_seeded (board, &order, 1);
  dialog = SD_PICK_PACK (sd_orders_board_pick_pack (board));
  sd_test_wait_until (list_read, dialog, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_pick_list_get_group (sd_pick_pack_get_list (dialog), 0)->name, ==, "수납");
  move = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s → %s"),
                          g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (SD_ORDER_STATUS_PREPARING)),
                          g_dgettext (GETTEXT_PACKAGE, sd_order_status_label (SD_ORDER_STATUS_SHIPPING)));
  g_assert_true (sd_test_label_shown (GTK_WIDGET (dialog), move));
  /* Everything ticked: Done asks nothing. */
  checks = sd_test_find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  for (guint i = 0; i < checks->len; i++)
    gtk_check_button_set_active (checks->pdata[i], TRUE);
  g_assert_cmpuint (sd_pick_pack_get_n_picked (dialog), ==, 1);
  watch = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &watch);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (dialog), "_Done — Move to Next Status"));
  sd_test_wait_until (gone, &watch, SD_TEST_UI_WAIT_MS);
  g_object_set_data (G_OBJECT (board), "sd-status", GINT_TO_POINTER (SD_ORDER_STATUS_SHIPPING));
  sd_test_wait_until (order_shows, board, SD_TEST_UI_WAIT_MS);

  sd_test_server_restart (ui.server, TRUE);
  sd_test_wait_until (all_sent, board, SD_TEST_UI_WAIT_MS);
  token = sd_test_sign_in (ui.server, "admin@example.com", "Admin1234!", NULL);
  g_assert_cmpstr (status_at_shop (ui.server, token, order.id), ==, order.next);
  g_free (order.id);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  sd_test_ui_add_modes ("/ui/pick-pack", test_pick_pack);
  g_test_add_func ("/ui/pick-pack/offline", test_pick_pack_offline);
  return sd_test_ui_run ();
}
