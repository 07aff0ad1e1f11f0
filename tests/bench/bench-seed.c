/* bench-seed DATA_DIR N — fills a shop with N products for benchmarks,
 * through the server's own storage code, in one transaction. */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "sd-server-store.h"

static gboolean
fill (SdServerStore *store, gpointer user_data, GError **error)
{
  guint64 n = *(guint64 *) user_data;
  const char *values[] = { "내추럴", "화이트", NULL };
  g_autofree char *category = sd_server_store_create_category (store, "벤치마크", error);

  if (category == NULL)
    return FALSE;
  for (guint64 i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("벤치 상품 %05" G_GUINT64_FORMAT, i);
      g_autofree char *description = g_strdup_printf ("벤치마크용 상품 %" G_GUINT64_FORMAT "번입니다. "
                                                      "손으로 엮은 라탄이라 가볍고 튼튼합니다.", i);
      g_autofree char *image = g_strdup_printf ("uploads/product-bench-%05" G_GUINT64_FORMAT ".jpg", i);
      g_autofree char *id = NULL;
      SdServerProductInput in = {
        .category_id = category, .name = name, .brand = "꿀단집", .price = 1000 + (gint64) (i % 97) * 100,
        .image = image, .description = description, .option_name = i % 2 ? "색상" : NULL,
        .option_values = values, .stock = i % 3 ? (gint64) (i % 50) : -1,
      };

      if ((id = sd_server_store_create_product (store, &in, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uploads = NULL;
  guint64 n;

  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 10000000, &n, NULL))
    {
      g_printerr ("usage: bench-seed DATA_DIR N\n");
      return 2;
    }
  uploads = g_build_filename (argv[1], "uploads", NULL);
  g_mkdir_with_parents (uploads, 0750);
  path = g_build_filename (argv[1], "shop.db", NULL);
  store = sd_server_store_open (path, &error);
  if (store == NULL || !sd_server_store_atomically (store, fill, &n, &error))
    goto fail;
  g_print ("seeded %" G_GUINT64_FORMAT " products\n", n);
  return 0;

fail:
  g_printerr ("bench-seed: %s\n", error ? error->message : "failed");
  return 1;
}
