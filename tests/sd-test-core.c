/* sd-test-core.c — what the test-core*.c programs share (sd-test-core.h). */
#include <locale.h>

#include "sd-test-core.h"
#include "sd-test-util.h"

void
result_clear (Result *r)
{
  g_clear_error (&r->error);
  g_clear_object (&r->model);
  g_clear_object (&r->pixbuf);
  r->done = r->ok = FALSE;
}

/* Waits for the call that fills r, asserting it worked. */
void
await_ok (Result *r)
{
  sd_test_wait (&r->done);
  g_assert_no_error (r->error);
}

void
health_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_api_check_health_finish (SD_API (source), res, &r->error);
  r->done = TRUE;
}

void
categories_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;
  r->model = sd_category_list_finish (SD_API (source), res, &r->error);
  r->done = TRUE;
}

void
catalog_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_catalog_load_finish (SD_CATALOG (source), res, &r->error);
  r->done = TRUE;
}

void
image_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;
  r->pixbuf = sd_api_load_image_finish (SD_API (source), res, &r->error);
  r->done = TRUE;
}

void
sd_test_core_init (int *argc, char ***argv)
{
  g_autofree char *cache_home = g_dir_make_tmp ("storedesk-cache-XXXXXX", NULL);

  /* The picture cache lives under XDG_CACHE_HOME: never the developer's. */
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, NULL);
}
