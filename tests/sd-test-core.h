/* sd-test-core.h — what the test-core*.c programs share: the results of
 * the catalog's and SdApi's calls, awaited. */
#pragma once

#include "storedesk.h"

G_BEGIN_DECLS

typedef struct {
  gboolean      done;
  gboolean      ok;
  GError       *error;
  GListModel   *model;
  GdkPixbuf    *pixbuf;
} Result;

void result_clear (Result *r);
void await_ok (Result *r);
void health_cb (GObject *source, GAsyncResult *res, gpointer user_data);
void categories_cb (GObject *source, GAsyncResult *res, gpointer user_data);
void catalog_cb (GObject *source, GAsyncResult *res, gpointer user_data);
void image_cb (GObject *source, GAsyncResult *res, gpointer user_data);
/* g_test_init () in a fresh picture cache, the C locale and English. */
void sd_test_core_init (int *argc, char ***argv);

G_END_DECLS
