/* test-cart.c — SdCart: merging, totals, undo, and its file: restored by
 * a new cart, written whole after a burst of changes, and set aside when
 * it is garbage or cut short. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd-models-private.h"
#include "sd-test-util.h"

static SdProduct *
product (const char *id, const char *name, gint64 price)
{
  g_autofree char *text = g_strdup_printf ("{\"_id\":\"%s\",\"name\":\"%s\",\"price\":%" G_GINT64_FORMAT
                                           ",\"image\":\"uploads/%s.png\"}", id, name, price, id);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SdProduct *p;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  p = sd_product_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return p;
}

static SdCartLine *
line_at (SdCart *cart, guint i)
{
  SdCartLine *l = g_list_model_get_item (G_LIST_MODEL (cart), i);
  g_object_unref (l);   /* the cart keeps it alive */
  return l;
}

static gboolean
not_saving (gpointer cart)
{
  return !sd_cart_get_saving (cart);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_cart_load_finish (SD_CART (source), result, &r->error);
  r->done = TRUE;
}

static SdCart *
load (GFile *file, GError **error)
{
  SdCart *cart = sd_cart_new_for_file (file);
  Result r = { 0 };

  sd_cart_load_async (cart, NULL, loaded_cb, &r);
  sd_test_wait (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return cart;
}

static GFile *
temp_file (char **out_dir)
{
  *out_dir = g_dir_make_tmp ("storedesk-cart-XXXXXX", NULL);
  {
    g_autofree char *path = g_build_filename (*out_dir, "carts", "shop.json", NULL);
    return g_file_new_for_path (path);
  }
}

static void
remove_dir (const char *path)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", path);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_merge_and_totals (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) file = temp_file (&dir);
  g_autoptr(SdCart) cart = sd_cart_new_for_file (file);
  g_autoptr(SdProduct) basket = product ("p1", "라탄 바구니", 12000);
  g_autoptr(SdProduct) cup = product ("p2", "컵", 5000);
  g_autoptr(SdCartLine) taken = NULL;

  g_assert_cmpint (sd_cart_get_total (cart), ==, 0);   /* no delivery on nothing */
  sd_cart_add (cart, basket, "화이트", 2);
  sd_cart_add (cart, basket, "화이트", 1);
  sd_cart_add (cart, basket, "내추럴", 1);
  sd_cart_add (cart, cup, NULL, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 3);
  g_assert_cmpuint (sd_cart_line_get_count (line_at (cart, 0)), ==, 3);
  g_assert_cmpstr (sd_cart_line_get_option (line_at (cart, 1)), ==, "내추럴");
  g_assert_null (sd_cart_line_get_option (line_at (cart, 2)));
  g_assert_cmpint (sd_cart_get_items_total (cart), ==, 12000 * 4 + 5000);
  g_assert_cmpint (sd_cart_get_total (cart), ==, 12000 * 4 + 5000 + 3000);

  sd_cart_add (cart, cup, NULL, 5000);
  g_assert_cmpuint (sd_cart_line_get_count (line_at (cart, 2)), ==, SD_CART_MAX_COUNT);

  /* remove with undo */
  taken = sd_cart_take (cart, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 2);
  sd_cart_put_back (cart, taken, 1);
  g_assert_cmpstr (sd_cart_line_get_option (line_at (cart, 1)), ==, "내추럴");
  sd_cart_set_count (cart, 2, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 2);
  sd_test_wait_for (not_saving, cart);
  remove_dir (dir);
}

static void
test_persistence (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) file = temp_file (&dir);
  g_autoptr(SdCart) cart = sd_cart_new_for_file (file);
  g_autoptr(SdCart) again = NULL;
  g_autoptr(SdCart) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autofree char *carts = g_build_filename (dir, "carts", NULL);
  const char *name;
  guint files = 0;

  /* no file yet: an empty cart, no error */
  fresh = load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 0);

  /* a burst of changes while writes are in flight: the last state wins */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i % 7);
      g_autoptr(SdProduct) p = product (id, "상품", 1000 + i);
      sd_cart_add (cart, p, i % 2 ? "A" : NULL, 1);
    }
  sd_cart_set_count (cart, 0, 42);
  sd_test_wait_for (not_saving, cart);

  again = load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (cart)));
  g_assert_cmpint (sd_cart_get_items_total (again), ==, sd_cart_get_items_total (cart));
  g_assert_cmpuint (sd_cart_line_get_count (line_at (again, 0)), ==, 42);

  /* written by rename: nothing half-written left beside it */
  listing = g_dir_open (carts, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    files++;
  g_assert_cmpuint (files, ==, 1);
  remove_dir (dir);
}

static void
check_set_aside (const char *content)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) file = temp_file (&dir);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *carts = g_build_filename (dir, "carts", NULL);
  g_autoptr(SdCart) cart = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean kept = FALSE;

  g_mkdir_with_parents (carts, 0700);
  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  cart = load (file, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, ".broken-"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  listing = g_dir_open (carts, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "shop.json.broken-"))
      {
        g_autofree char *aside = g_build_filename (carts, name, NULL);
        g_autofree char *text = NULL;

        g_assert_true (g_file_get_contents (aside, &text, NULL, NULL));
        g_assert_cmpstr (text, ==, content);   /* kept as it was */
        kept = TRUE;
      }
  g_assert_true (kept);
  remove_dir (dir);
}

static void
test_garbage_file (void)
{
  check_set_aside ("this is not a cart \xff\xfe");
}

static void
test_truncated_file (void)
{
  check_set_aside ("{\"version\":1,\"lines\":[{\"productId\":\"p1\",\"name\":\"컵\",\"price\":50");
}

static void
test_wrong_shape (void)
{
  check_set_aside ("{\"version\":1,\"lines\":[{\"productId\":\"p1\",\"name\":\"컵\",\"price\":5000,\"count\":0}]}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cart/merge-and-totals", test_merge_and_totals);
  g_test_add_func ("/cart/persistence", test_persistence);
  g_test_add_func ("/cart/garbage-file", test_garbage_file);
  g_test_add_func ("/cart/truncated-file", test_truncated_file);
  g_test_add_func ("/cart/wrong-shape", test_wrong_shape);
  return g_test_run ();
}
