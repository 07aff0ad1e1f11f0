/* bench-catalog URL MODE — drives SdCatalog against a running shop:
 *   first    time to the first page (ms)
 *   all      time to fetch and parse every product, page by page (ms)
 *   scroll   walk every item of the list as a view scrolling to the end
 *            would, then print the peak resident memory (KiB)
 *   csv FILE the staff export: every product (SdAdmin) and the
 *            categories, written as CSV to FILE (ms, file written) */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "storedesk.h"

typedef struct {
  gboolean done;
  GError  *error;
} Result;

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  sd_catalog_load_finish (SD_CATALOG (source), result, &r->error);
  r->done = TRUE;
}

static void
wait (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

static void
products_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  g_object_set_data_full (source, "bench-products",
                          sd_admin_list_products_finish (SD_ADMIN (source), result, &r->error), g_object_unref);
  r->done = TRUE;
}

static void
categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  g_object_set_data_full (source, "bench-categories", sd_category_list_finish (SD_API (source), result, &r->error),
                          g_object_unref);
  r->done = TRUE;
}

static void wait (gboolean *flag);

static int
export_csv (SdApi *api, const char *path)
{
  g_autoptr(SdAdmin) admin = sd_admin_new (api);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  Result a = { 0 }, b = { 0 };
  gint64 start = g_get_monotonic_time ();

  sd_admin_list_products_async (admin, NULL, products_cb, &a);
  sd_category_list_async (api, NULL, categories_cb, &b);
  wait (&a.done);
  wait (&b.done);
  if (a.error || b.error)
    {
      g_printerr ("bench-catalog: %s\n", (a.error ? a.error : b.error)->message);
      return 1;
    }
  csv = sd_csv_from_products (g_object_get_data (G_OBJECT (admin), "bench-products"),
                              g_object_get_data (G_OBJECT (api), "bench-categories"));
  if (!g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &error))
    {
      g_printerr ("bench-catalog: %s\n", error->message);
      return 1;
    }
  printf ("%.1f\n", (g_get_monotonic_time () - start) / 1000.0);
  return 0;
}

static gboolean
is_loaded (SdCatalog *catalog, guint position)
{
  g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (catalog), position);
  return !sd_product_is_placeholder (p);
}

int
main (int argc, char **argv)
{
  g_autoptr(SdApi) api = NULL;
  g_autoptr(SdCatalog) catalog = NULL;
  Result r = { 0 };
  gint64 start;
  guint n;

  if (argc == 4 && strcmp (argv[2], "csv") == 0)
    {
      api = sd_api_new (argv[1], NULL);
      return export_csv (api, argv[3]);
    }
  if (argc != 3)
    {
      g_printerr ("usage: bench-catalog URL first|all|scroll|csv FILE\n");
      return 2;
    }
  api = sd_api_new (argv[1], NULL);
  catalog = sd_catalog_new (api);
  start = g_get_monotonic_time ();
  sd_catalog_load_async (catalog, NULL, NULL, loaded_cb, &r);
  wait (&r.done);
  if (r.error)
    {
      g_printerr ("bench-catalog: %s\n", r.error->message);
      return 1;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  if (strcmp (argv[2], "first") == 0)
    {
      printf ("%.1f\n", (g_get_monotonic_time () - start) / 1000.0);
      return 0;
    }
  /* Each page asked for in turn, as a view moving down would. */
  for (guint pos = 0; pos < n; pos += 100)
    while (!is_loaded (catalog, pos))
      g_main_context_iteration (NULL, TRUE);
  if (strcmp (argv[2], "all") == 0)
    printf ("%.1f\n", (g_get_monotonic_time () - start) / 1000.0);
  else
    {
      struct rusage usage;
      getrusage (RUSAGE_SELF, &usage);
      printf ("%ld %u %u\n", usage.ru_maxrss, n, sd_catalog_get_n_loaded (catalog));
    }
  return 0;
}
