/* test-server-backup.c — `storedesk-server backup` against a running
 * shop that keeps taking writes, and a restore by copying the file back
 * as shop.db (issue 18). */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "sd-test-api.h"

typedef struct {
  gboolean done;
  int      status;
  char    *err;
} Run;

static void
communicated_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Starts `storedesk-server backup ARGS…` (NULL-terminated). */
static GSubprocess *
start_backup (Run *run, const char *first, ...)
{
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  va_list ap;

  g_strv_builder_add_many (args, g_getenv ("STOREDESK_SERVER"), "backup", NULL);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_strv_builder_add (args, a);
  va_end (ap);
  argv = g_strv_builder_end (args);
  proc = g_subprocess_newv ((const char * const *) argv,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicated_cb, run);
  return proc;
}

static gboolean
run_done (gpointer user_data)
{
  return ((Run *) user_data)->done;
}

static gint64
count_rows (sqlite3 *db, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
assert_sound_backup (const char *file, const char *product, const char *order)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (sqlite3_open_v2 (file, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM products WHERE id = ?", product), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders WHERE id = ?", order), ==, 1);
  sqlite3_close (db);
}

/* A second shop on a copy of the backup, read over HTTP. */
static void
assert_restores (const char *file, const char *product, const char *order)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (FALSE);
  g_autofree char *db_path = g_build_filename (s->data_dir, "shop.db", NULL);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *token = NULL;
  g_autofree char *product_path = g_strconcat ("/api/v1/products/", product, NULL);
  g_autofree char *order_path = g_strconcat ("/api/v1/orders/", order, NULL);
  g_autoptr(SdTestReply) p = NULL;
  g_autoptr(SdTestReply) o = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  sd_test_server_kill (s);
  g_unlink (wal);
  g_unlink (shm);
  g_assert_true (g_file_get_contents (file, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (db_path, contents, (gssize) len,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  g_assert_no_error (error);
  sd_test_server_restart (s, FALSE);

  p = sd_test_http (s, "GET", product_path, NULL, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (p, 200), "_id"), ==, product);
  token = customer_token (s);
  o = sd_test_http (s, "GET", order_path, token, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (o, 200), "_id"), ==, order);
}

/* The other way back: the backup file exported and imported into a new
 * shop (as into PostgreSQL: tests/test-server-transfer.c). */
static void
assert_restores_by_import (const char *file, const char *product)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-restore-XXXXXX", NULL);
  g_autofree char *database = g_strconcat ("--database=sqlite:", file, NULL);
  g_autofree char *script = g_strdup_printf ("'%s' export '%s' | '%s' import --data-dir '%s'",
                                             g_getenv ("STOREDESK_SERVER"), database,
                                             g_getenv ("STOREDESK_SERVER"), dir);
  const char *sh[] = { "/bin/sh", "-ec", script, NULL };
  g_autoptr(GSubprocess) proc = g_subprocess_newv (sh, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, NULL);
  g_autofree char *path = g_strconcat ("/api/v1/products/", product, NULL);
  SdTestServer s = { .data_dir = dir };
  g_autoptr(SdTestReply) p = NULL;

  g_assert_true (g_subprocess_wait_check (proc, NULL, NULL));
  sd_test_server_restart (&s, FALSE);
  p = sd_test_http (&s, "GET", path, NULL, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (sd_test_data_object (p, 200), "_id"), ==, product);
  sd_test_server_kill (&s);
  g_clear_object (&s.server);
  g_free (s.url);
  sd_test_remove_tree (dir);
}

static void
test_backup_while_running (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *admin = admin_token (s);
  g_autofree char *customer = customer_token (s);
  g_autofree char *product = new_product (s, admin, 12000, "null");
  g_autofree char *order = place_order (s, customer, product, 12000, NULL);
  g_autofree char *db_path = g_build_filename (s->data_dir, "shop.db", NULL);
  g_autofree char *dir = g_dir_make_tmp ("sd-backup-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "shop-backup.db", NULL);
  g_autofree char *database = g_strconcat ("sqlite:", db_path, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  Run run = { 0 };
  guint writes = 0;

  proc = start_backup (&run, "--data-dir", s->data_dir, "--database", database, file, NULL);
  /* The shop keeps taking orders while the copy is made. */
  while (!run.done || writes < 3)
    {
      g_autofree char *more = place_order (s, customer, product, 12000, NULL);
      writes++;
      g_main_context_iteration (NULL, FALSE);
    }
  sd_test_wait_until (run_done, &run, 60000);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  assert_sound_backup (file, product, order);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    /* No temporary file left next to it. */
    g_assert_cmpstr (g_dir_read_name (d), ==, "shop-backup.db");
    g_assert_null (g_dir_read_name (d));
  }
  assert_restores (file, product, order);
  assert_restores_by_import (file, product);
  g_unlink (file);
  g_rmdir (dir);
  g_free (run.err);
}

static void
test_backup_refused (void)
{
  g_autoptr(SdTestServer) s = sd_test_server_start (TRUE);
  g_autofree char *dir = g_dir_make_tmp ("sd-backup-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "shop.db", NULL);
  g_autofree char *file = g_build_filename (dir, "shop.db", NULL);
  g_autoptr(GSubprocess) bad_dir = NULL;
  g_autoptr(GSubprocess) postgres = NULL;
  g_autoptr(GDir) d = NULL;
  Run run = { 0 };

  bad_dir = start_backup (&run, "--data-dir", s->data_dir, missing, NULL);
  sd_test_wait_until (run_done, &run, 60000);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no-such-dir"));
  g_clear_pointer (&run.err, g_free);

  run = (Run) { 0 };
  postgres = start_backup (&run, "--database", "postgresql://shop@localhost/shop", file, NULL);
  sd_test_wait_until (run_done, &run, 60000);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "pg_dump"));
  g_clear_pointer (&run.err, g_free);

  /* Neither left a file, whole or partial. */
  d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  sd_test_add_sqlite_only ("/server/backup/while-running", test_backup_while_running,
                           "`backup` copies a SQLite file");
  sd_test_add_sqlite_only ("/server/backup/refused", test_backup_refused,
                           "`backup` copies a SQLite file");
  return g_test_run ();
}
