/* test-ui-catalog.c — staff keep the catalog: categories, products with
 * photos (queued while the shop is down, or sent from Image
 * Preparation), unsaved changes, delete and undo, CSV out and in,
 * accounts; and Image Preparation on its own. */
#include "sd-test-ui.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-account-page.h"
#include "sd-categories-admin.h"
#include "sd-customers-admin.h"
#include "sd-prep-page.h"
#include "sd-products-admin.h"

static gboolean
prep_done (gpointer page)
{
  return sd_prep_page_get_pending (page) == 0;
}

static guint wanted_saves;

static gboolean
saves_done (gpointer page)
{
  return sd_prep_page_get_saved (page) == wanted_saves;
}

/* Image Preparation: a photo and a fake are dropped in; the photo is
 * prepared, the fake refused with its reason; saving twice into one
 * folder makes photo.jpg, then photo-2.jpg, never replacing a file. */
static void
test_photos (void)
{
  g_auto(SdTestUi) ui = { 0 };
  SdWindow *window = sd_test_ui_open (&ui, "Photos", sd_test_server_start (TRUE));
  SdPrepPage *page = SD_PREP_PAGE (sd_window_get_page (window, "photos"));
  g_autofree char *dir = g_dir_make_tmp ("storedesk-ui-prep-XXXXXX", NULL);
  g_autofree char *photo = g_build_filename (dir, "shelf.png", NULL);
  g_autofree char *fake = g_build_filename (dir, "fake.jpg", NULL);
  g_autofree char *out1 = g_build_filename (dir, "shelf.jpg", NULL);
  g_autofree char *out2 = g_build_filename (dir, "shelf-2.jpg", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 2600, 1400);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  gdk_pixbuf_fill (pixbuf, 0xcc8844ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, photo, "png", NULL, NULL));
  g_assert_true (g_file_set_contents (fake, "not a photo", -1, NULL));
  {
    g_autoptr(GFile) a = g_file_new_for_path (photo);
    g_autoptr(GFile) b = g_file_new_for_path (fake);

    g_list_store_append (files, a);
    g_list_store_append (files, b);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
  sd_prep_page_add_files (page, G_LIST_MODEL (files));
  sd_test_wait_until (prep_done, page, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (sd_prep_page_get_prepared (page), ==, 1);
  g_assert_cmpuint (sd_prep_page_get_failed (page), ==, 1);
  sd_test_save_screenshot (GTK_WIDGET (window), "photos");

  wanted_saves = 1;
  sd_prep_page_save_to (page, folder);
  sd_test_wait_until (saves_done, page, SD_TEST_UI_WAIT_MS);
  g_assert_true (g_file_test (out1, G_FILE_TEST_EXISTS));
  sd_prep_page_save_to (page, folder);
  sd_test_wait_until (saves_done, page, SD_TEST_UI_WAIT_MS);
  g_assert_true (g_file_test (out2, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GdkPixbuf) saved = gdk_pixbuf_new_from_file (out1, NULL);
    g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, 1920);
  }
  g_assert_cmpint (system (cmd), ==, 0);
}

static gboolean
categories_idle (gpointer page)
{
  return !sd_categories_admin_get_busy (page);
}

/* The photo waits in the queue (the shop is down), and the editor says so. */
static gboolean
photo_waiting (gpointer window)
{
  SdProductsAdmin *page = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  GListModel *uploads = G_LIST_MODEL (sd_window_get_uploads (window));
  g_autoptr(SdUpload) upload = g_list_model_get_n_items (uploads) == 1 ? g_list_model_get_item (uploads, 0) : NULL;

  return upload && sd_upload_get_state (upload) == SD_UPLOAD_WAITING &&
         g_strcmp0 (sd_upload_get_product_id (upload), sd_product_get_id (sd_products_admin_get_editing (page))) == 0 &&
         sd_products_admin_get_image_status (page) != NULL;
}

static gboolean
import_shown (gpointer page)
{
  return sd_products_admin_get_import (page) != NULL && sd_test_find_dialog () != NULL;
}

/* Image Preparation offers its photo for a product (an icon-only button). */
static gboolean
use_for_product_shown (gpointer prep)
{
  return sd_test_find_button (prep, "Use for a product…", TRUE) != NULL;
}

/* Ours: a new photo while the shop is down (queued, listed in Image
 * Preparation, sent when the shop is back), then one sent to the product
 * from Image Preparation. */
static void
staff_new_photos (SdWindow *window, SdTestServer *server, const char *dir, const char *name, const char *first_image)
{
  SdProductsAdmin *products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  g_autoptr(SdTestReply) reply = NULL;
  JsonObject *made;

  sd_test_server_kill (server);
  {
    g_autofree char *other = sd_test_write_photo (dir, 800, 1200);
    g_autoptr(GFile) other_file = g_file_new_for_path (other);

    sd_products_admin_set_image_file (products, other_file);
    sd_test_wait_until (photo_waiting, window, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 1);
    /* Image Preparation lists it, with Try Again and Do Not Send. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
    {
      g_autoptr(GPtrArray) rows = sd_test_find_all (sd_window_get_page (window, "photos"), ADW_TYPE_ACTION_ROW);
      guint queued = 0;

      for (guint i = 0; i < rows->len; i++)
        queued += gtk_widget_is_drawable (rows->pdata[i]) &&
                  g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]),
                             g_dgettext (GETTEXT_PACKAGE, "Product picture")) == 0;
      g_assert_cmpuint (queued, ==, 1);
    }
    sd_test_save_screenshot (GTK_WIDGET (window), "photos-queue");
    sd_test_assert_buttons_named (GTK_WIDGET (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
    sd_test_server_restart (server, TRUE);
    sd_test_wait_until (sd_test_photo_on_shop, window, SD_TEST_UI_WAIT_MS);
  }
  made = sd_test_shop_product (server, name, &reply);
  g_assert_cmpstr (json_object_get_string_member (made, "image"), !=, first_image);
  g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);

  /* A photo from Image Preparation, sent to the product from there. */
  {
    g_autofree char *third = sd_test_write_photo (dir, 640, 640);
    g_autoptr(GFile) third_file = g_file_new_for_path (third);
    g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
    SdPrepPage *prep = SD_PREP_PAGE (sd_window_get_page (window, "photos"));
    g_autofree char *id = g_strdup (sd_product_get_id (sd_products_admin_get_editing (products)));

    g_object_set_data_full (G_OBJECT (window), "sd-old-image", g_strdup (sd_product_get_image (sd_products_admin_get_editing (products))), g_free);
    g_list_store_append (files, third_file);
    sd_prep_page_add_files (prep, G_LIST_MODEL (files));
    sd_test_wait_until (prep_done, prep, SD_TEST_UI_WAIT_MS);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "photos"));
    sd_test_wait_until (use_for_product_shown, prep, SD_TEST_UI_WAIT_MS);
    g_assert_true (sd_prep_page_send_to_product (prep, 0, id));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
    sd_test_wait_until (sd_test_photo_on_shop, window, SD_TEST_UI_WAIT_MS);
    g_unlink (third);
  }
}

/* The picture address of a product in the grid other than not (NULL: any). */
static const char *
shop_picture (SdWindow *window, const char *not)
{
  GListModel *catalog = G_LIST_MODEL (sd_window_get_catalog (window));

  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (catalog, i);
      const char *image = sd_product_get_image (p);

      if (image && *image && g_strcmp0 (image, not) != 0)
        return image;   /* the catalog keeps it */
    }
  g_error ("no other picture in the grid");
}

/* The shop's grid, searched for name, shows it at price with its picture. */
static void
search_grid (SdWindow *window, const char *name, gint64 price)
{
  g_autoptr(GPtrArray) entries = sd_test_find_all (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);

  g_object_set_data (G_OBJECT (window), "sd-name", (gpointer) name);
  g_object_set_data (G_OBJECT (window), "sd-price", GINT_TO_POINTER (price));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), name);
  sd_test_wait_until (sd_test_grid_shows, window, SD_TEST_UI_WAIT_MS);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
}

/* Staff make a category and a product with a dropped photo (seen in the
 * shop's grid), change its price (the shop has it), change its photo
 * while the shop is down (sent when it is back), are asked before
 * unsaved changes are lost, delete and undo, export and import CSV (a
 * file with bad lines is reported and nothing is made), and look up
 * accounts. On the original, which takes no photos, the product is made
 * with what that shop needs (an option, a description, a picture given
 * by its address) and its picture changes by its address. */
static void
test_staff_catalog (gconstpointer data)
{
  SdTestMode mode = GPOINTER_TO_INT (data);
  g_auto(SdTestUi) ui = { .server = sd_test_server_start_mode (mode) };
  SdTestServer *server = ui.server;
  SdWindow *window = NULL;
  SdAccountPage *account;
  SdProductsAdmin *products;
  SdCategoriesAdmin *categories;
  SdCustomersAdmin *customers;
  g_autofree char *dir = g_dir_make_tmp ("storedesk-staff-XXXXXX", NULL);
  g_autofree char *photo = sd_test_write_photo (dir, 2400, 1600);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autoptr(SdTestReply) reply = NULL;
  g_autofree char *category_id = NULL;
  g_autofree char *first_image = NULL;
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  const char *name = "테스트 머그컵";
  const char *picture_row = "Picture address on the shop (uploads/… or https://…)";
  g_autofree char *picture = NULL;
  g_autofree char *other_picture = NULL;
  JsonObject *made;
  guint n_categories;

  sd_test_server_keep_port (server);
  window = sd_test_ui_open (&ui, mode == SD_TEST_OURS ? "Staff" : "StaffOriginal", server);
  /* Two pictures the shop has, for the original's picture address. */
  picture = g_strdup (shop_picture (window, NULL));
  other_picture = g_strdup (shop_picture (window, picture));
  account = SD_ACCOUNT_PAGE (sd_window_get_page (window, "account"));
  products = SD_PRODUCTS_ADMIN (sd_window_get_page (window, "staff-products"));
  categories = SD_CATEGORIES_ADMIN (sd_window_get_page (window, "staff-categories"));
  customers = SD_CUSTOMERS_ADMIN (sd_window_get_page (window, "staff-customers"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "account"));
  sd_account_page_sign_in (account, "admin@example.com", "Admin1234!");
  sd_test_wait_until (sd_test_signed_in, window, SD_TEST_UI_WAIT_MS);

  /* A category, added from its page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-categories"));
  sd_test_wait_until (categories_idle, categories, SD_TEST_UI_WAIT_MS);
  n_categories = g_list_model_get_n_items (sd_categories_admin_get_categories (categories));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (categories), "Name of the new category"), "머그와 컵");
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (categories), "_Add"));
  sd_test_wait_until (categories_idle, categories, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_categories_admin_get_categories (categories)), ==, n_categories + 1);
  for (guint i = 0; i < n_categories + 1; i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (sd_categories_admin_get_categories (categories), i);
      if (g_strcmp0 (sd_category_get_name (c), "머그와 컵") == 0)
        category_id = g_strdup (sd_category_get_id (c));
    }
  g_assert_nonnull (category_id);
  g_assert_cmpuint (sd_categories_admin_count (categories, category_id), ==, 0);
  /* One in use cannot go: the shop's reason is shown, and it stays. */
  {
    g_autoptr(SdCategory) used = g_list_model_get_item (sd_categories_admin_get_categories (categories), 0);
    AdwMessageDialog *dialog;

    g_assert_cmpuint (sd_categories_admin_count (categories, sd_category_get_id (used)), >, 0);
    sd_categories_admin_delete (categories, used);
    sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
    dialog = sd_test_find_dialog ();
    g_test_message ("refused: %s", adw_message_dialog_get_body (dialog));
    adw_message_dialog_response (dialog, "close");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_test_wait_until (categories_idle, categories, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (g_list_model_get_n_items (sd_categories_admin_get_categories (categories)), ==, n_categories + 1);
  }
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-categories", mode);
  sd_test_assert_buttons_named (GTK_WIDGET (window));

  /* A new product: checked as one types, then saved with its photo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (products), "products.new", NULL));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Name"), name);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), "열두 원");
  g_assert_nonnull (sd_products_admin_get_problem (products));
  {
    GtkWidget *combo = sd_test_combo_titled (GTK_WIDGET (products), "Category");
    GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "머그와 컵") == 0)
        adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
  }
  g_assert_false (gtk_widget_is_sensitive (sd_test_button_labelled (GTK_WIDGET (products), "_Save")));
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), "12,000");
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Brand"), "하늘공방");
  if (mode == SD_TEST_ORIGINAL)
    {
      /* The original makes none without an option, a description and a
       * picture address. */
      g_assert_nonnull (sd_products_admin_get_problem (products));
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Option name"), "크기");
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Values, separated by commas"), "보통");
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), picture_row), picture);
      {
        g_autoptr(GPtrArray) views = sd_test_find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

        gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "머그컵.", -1);
      }
    }
  g_assert_null (sd_products_admin_get_problem (products));
  if (mode == SD_TEST_OURS)
    {
      sd_products_admin_set_image_file (products, photo_file);   /* what a drop does */
      sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
    }
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-product", mode);
  sd_test_assert_buttons_named (GTK_WIDGET (window));
  sd_test_save_new_product (window, mode);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = sd_test_shop_product (server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpstr (json_object_get_string_member (made, "categoryId"), ==, category_id);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 12000);
  if (mode == SD_TEST_OURS)
    g_assert_nonnull (strstr (json_object_get_string_member (made, "image"), "/uploads/"));
  else
    g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, picture);
  first_image = g_strdup (json_object_get_string_member (made, "image"));
  g_object_set_data (G_OBJECT (window), "sd-old-image", first_image);
  /* …and in the shop's grid, with its picture. */
  search_grid (window, name, 12000);

  /* A new price: the shop has it, and so does the grid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_product_get_name (sd_products_admin_get_editing (products)), ==, name);
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Price (won)"), "15000");
  g_assert_true (sd_products_admin_get_dirty (products));
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (products), "_Save"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = sd_test_shop_product (server, name, &reply);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 15000);
  search_grid (window, name, 15000);

  /* A new picture: on ours a photo, also while the shop is down. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  if (mode == SD_TEST_ORIGINAL)
    {
      /* The original takes no photo, offline or not: nothing to choose,
       * and a new picture is another address, which the shop then has. */
      g_assert_null (sd_test_find_button (GTK_WIDGET (products), "C_hoose Photo…", FALSE));
      gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), picture_row), other_picture);
      sd_test_click (sd_test_button_labelled (GTK_WIDGET (products), "_Save"));
      sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
      g_clear_pointer (&reply, sd_test_reply_free);
      made = sd_test_shop_product (server, name, &reply);
      g_assert_cmpstr (json_object_get_string_member (made, "image"), ==, other_picture);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sd_window_get_uploads (window))), ==, 0);
    }
  else
    staff_new_photos (window, server, dir, name, first_image);

  /* Unsaved changes: leaving asks first; Cancel stays, Discard goes. */
  gtk_editable_set_text (sd_test_entry_titled (GTK_WIDGET (products), "Brand"), "다른 공방");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "staff-products");
  adw_message_dialog_response (sd_test_find_dialog (), "cancel");
  gtk_window_destroy (GTK_WINDOW (sd_test_find_dialog ()));
  g_assert_true (sd_products_admin_get_dirty (products));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  adw_message_dialog_response (sd_test_find_dialog (), "discard");
  gtk_window_destroy (GTK_WINDOW (sd_test_find_dialog ()));
  g_assert_cmpstr (sd_window_get_section (window), ==, "shop");
  g_assert_false (sd_products_admin_get_dirty (products));
  /* …and Save saves, then goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  {
    g_autoptr(GPtrArray) views = sd_test_find_all (GTK_WIDGET (products), GTK_TYPE_TEXT_VIEW);

    g_assert_cmpuint (views->len, ==, 1);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), "손잡이가 큰 머그컵.", -1);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "shop"));
  sd_test_wait_until (sd_test_dialog_shown, NULL, SD_TEST_UI_WAIT_MS);
  adw_message_dialog_response (sd_test_find_dialog (), "save");
  gtk_window_destroy (GTK_WINDOW (sd_test_find_dialog ()));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_assert_cmpstr (sd_window_get_section (window), ==, "shop");
  g_clear_pointer (&reply, sd_test_reply_free);
  made = sd_test_shop_product (server, name, &reply);
  g_assert_cmpstr (json_object_get_string_member (made, "description"), ==, "손잡이가 큰 머그컵.");

  /* Delete, then Undo: the product is back with its fields. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-products"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  sd_test_click (sd_test_button_labelled (GTK_WIDGET (products), "_Delete"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_clear_pointer (&reply, sd_test_reply_free);
  g_assert_null (sd_test_shop_product (server, name, &reply));
  sd_test_click (sd_test_wait_button (GTK_WIDGET (window), "_Undo"));
  sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
  g_clear_pointer (&reply, sd_test_reply_free);
  made = sd_test_shop_product (server, name, &reply);
  g_assert_nonnull (made);
  g_assert_cmpint (json_object_get_int_member (made, "price"), ==, 15000);
  g_assert_cmpstr (json_object_get_string_member (made, "brand"), ==, "하늘공방");

  /* The catalog as CSV: a row per product. */
  {
    g_autofree char *path = g_build_filename (dir, "catalog.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GPtrArray) rows = NULL;

    sd_products_admin_export_to (products, file);
    sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    rows = sd_csv_parse (contents, length, NULL);
    g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (sd_products_admin_get_products (products)) + 1);
    g_assert_nonnull (strstr (contents, name));
    g_unlink (path);
  }

  /* A CSV with bad lines: each reported, nothing made. */
  {
    g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    guint before = g_list_model_get_n_items (sd_products_admin_get_products (products));
    const char bad[] = "name,category,price\n좋은 상품,머그와 컵,1000\n,머그와 컵,1000\n나쁜 가격,머그와 컵,비쌈\n";
    AdwMessageDialog *dialog;
    SdProductImport *import;

    g_assert_true (g_file_set_contents (path, bad, -1, NULL));
    sd_products_admin_import_from (products, file);
    sd_test_wait_until (import_shown, products, SD_TEST_UI_WAIT_MS);
    import = sd_products_admin_get_import (products);
    g_assert_cmpuint (sd_product_import_count (import, SD_IMPORT_ERROR), ==, 2);
    dialog = sd_test_find_dialog ();
    g_assert_false (adw_message_dialog_has_response (dialog, "import"));
    sd_test_save_mode_screenshot (GTK_WIDGET (dialog), "staff-import", mode);
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    sd_products_admin_reload (products);
    sd_test_wait_until (sd_test_products_idle, products, SD_TEST_UI_WAIT_MS);
    g_assert_cmpuint (g_list_model_get_n_items (sd_products_admin_get_products (products)), ==, before);
    g_clear_pointer (&reply, sd_test_reply_free);
    g_assert_null (sd_test_shop_product (server, "좋은 상품", &reply));
    g_unlink (path);
  }

  /* Accounts, searched. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "staff-customers"));
  sd_test_wait_until (sd_test_customers_idle, customers, SD_TEST_UI_WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), >=, 2);
  sd_test_save_mode_screenshot (GTK_WIDGET (window), "staff-customers", mode);
  sd_test_assert_buttons_named (GTK_WIDGET (window));
  sd_customers_admin_set_query (customers, "customer@");
  g_assert_cmpuint (g_list_model_get_n_items (sd_customers_admin_get_shown (customers)), ==, 1);

  g_unlink (photo);
  {
    g_autofree char *other = g_build_filename (dir, "photo.jpg", NULL);
    g_unlink (other);
  }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  sd_test_ui_init (&argc, &argv);
  sd_test_ui_add_modes ("/ui/staff-catalog", test_staff_catalog);
  g_test_add_func ("/ui/photos", test_photos);
  return sd_test_ui_run ();
}
