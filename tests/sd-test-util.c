/* sd-test-util.c */
#include "sd-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

/* A whole 1×1 PNG (signature, IHDR, IDAT, IEND): the smallest picture
 * the shop's header rule takes. */
const guint8 sd_test_png_bytes[69] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
  0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
  0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
  0x44, 0xae, 0x42, 0x60, 0x82,
};

#define WAIT_DEADLINE_SECONDS 60

static void
started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdTestServer *server = user_data;
  g_autoptr(GError) error = NULL;

  server->url = sd_local_server_start_finish (SD_LOCAL_SERVER (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
has_url (gpointer user_data)
{
  return ((SdTestServer *) user_data)->url != NULL;
}

/* Starts it; its url is set once it listens. */
static void
launch_begin (SdTestServer *server, gboolean demo)
{
  const char *program = g_getenv ("STOREDESK_SERVER");

  g_assert_nonnull (program);
  g_clear_pointer (&server->url, g_free);
  g_clear_object (&server->server);
  server->server = sd_local_server_new (program, server->data_dir, demo);
  sd_local_server_set_arguments (server->server, (const char * const *) server->arguments);
  sd_local_server_start_async (server->server, NULL, started_cb, server);
}

static void
launch (SdTestServer *server, gboolean demo)
{
  launch_begin (server, demo);
  sd_test_wait_for (has_url, server);
}

SdTestServer *
sd_test_server_start (gboolean demo)
{
  return sd_test_server_start_with (demo, NULL);
}

/* A server not started yet: its data dir (new, or shared_dir) and
 * arguments, with --database under PostgreSQL (database: shared, or
 * NULL for a new one). */
static SdTestServer *
prepare (const char *shared_dir, SdTestPgDatabase *database, const char * const *arguments)
{
  SdTestServer *server = g_new0 (SdTestServer, 1);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;

  if (sd_test_engine_is_pg ())
    server->database = database ? sd_test_pg_database_ref (database) : sd_test_pg_database_new ();
  server->owns_data_dir = shared_dir == NULL;
  server->data_dir = shared_dir ? g_strdup (shared_dir) : g_dir_make_tmp ("storedesk-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (arguments)
    g_strv_builder_addv (args, (const char **) arguments);
  if (server->database)
    g_strv_builder_add (args, sd_test_server_database_option (server));
  server->arguments = g_strv_builder_end (args);
  return server;
}

SdTestServer *
sd_test_server_start_with (gboolean demo, const char * const *arguments)
{
  SdTestServer *server = prepare (NULL, NULL, arguments);

  launch (server, demo);
  return server;
}

SdTestServer *
sd_test_server_start_sharing (SdTestServer *other, gboolean demo, const char * const *arguments)
{
  SdTestServer *server = other->database ? prepare (NULL, other->database, arguments)
                                         : prepare (other->data_dir, NULL, arguments);

  launch (server, demo);
  return server;
}

SdTestServer **
sd_test_servers_start_together (guint n, gboolean demo, const char * const *arguments)
{
  SdTestServer **servers = g_new0 (SdTestServer *, n + 1);

  g_assert_cmpuint (n, >=, 1);
  servers[0] = prepare (NULL, NULL, arguments);
  for (guint i = 1; i < n; i++)
    servers[i] = servers[0]->database ? prepare (NULL, servers[0]->database, arguments)
                                      : prepare (servers[0]->data_dir, NULL, arguments);
  for (guint i = 0; i < n; i++)
    launch_begin (servers[i], demo);
  for (guint i = 0; i < n; i++)
    sd_test_wait_for (has_url, servers[i]);
  return servers;
}

const char *
sd_test_server_database_option (SdTestServer *server)
{
  return server->database ? sd_test_pg_database_option (server->database) : NULL;
}

SdTestServer *
sd_test_server_start_seeded (guint n_products)
{
  SdTestServer *server = g_new0 (SdTestServer, 1);
  g_autofree char *count = g_strdup_printf ("%u", n_products);
  g_autoptr(GError) error = NULL;
  const char *seed = g_getenv ("STOREDESK_BENCH_SEED");
  char *argv[] = { (char *) seed, NULL, count, NULL };
  int status = -1;

  g_assert_nonnull (seed);
  server->data_dir = g_dir_make_tmp ("storedesk-test-XXXXXX", &error);
  server->owns_data_dir = TRUE;
  g_assert_no_error (error);
  argv[1] = server->data_dir;
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  launch (server, FALSE);
  return server;
}

static void
stopped_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_local_server_stop_finish (SD_LOCAL_SERVER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Stops the server and waits for its process to exit, so that nothing
 * answers on its port any more (kept-alive connections included). */
static void
stop (SdTestServer *server)
{
  gboolean done = FALSE;

  if (server->server == NULL)   /* not started yet */
    return;
  sd_local_server_stop_async (server->server, NULL, stopped_cb, &done);
  sd_test_wait (&done);
}

void
sd_test_server_restart (SdTestServer *server, gboolean demo)
{
  stop (server);
  launch (server, demo);
}

void
sd_test_server_keep_port (SdTestServer *server)
{
  g_autofree char *listen = g_strdup_printf ("--listen=127.0.0.1:%s", strrchr (server->url, ':') + 1);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();

  if (server->arguments)
    g_strv_builder_addv (args, (const char **) server->arguments);
  g_strv_builder_add (args, listen);
  g_strfreev (server->arguments);
  server->arguments = g_strv_builder_end (args);
}

void
sd_test_server_kill (SdTestServer *server)
{
  stop (server);
}

void
sd_test_server_crash (SdTestServer *server)
{
  sd_local_server_crash (server->server);
  stop (server);
}

void
sd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        sd_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
sd_test_server_free (SdTestServer *server)
{
  stop (server);
  g_clear_object (&server->server);
  if (server->owns_data_dir)
    sd_test_remove_tree (server->data_dir);
  g_clear_pointer (&server->database, sd_test_pg_database_unref);
  g_free (server->data_dir);
  g_free (server->url);
  g_strfreev (server->arguments);
  g_free (server);
}

static gboolean
flag_set (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("timed out waiting for a condition");
  return G_SOURCE_REMOVE;
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
sd_test_wait_for (gboolean (*cond) (gpointer), gpointer user_data)
{
  guint deadline = g_timeout_add_seconds (WAIT_DEADLINE_SECONDS, deadline_cb, NULL);

  while (!cond (user_data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
}

void
sd_test_wait_until_named (gboolean (*condition) (gpointer), gpointer user_data, guint timeout_ms,
                          const char *name, const char *file, int line, const char *func)
{
  gboolean expired = FALSE;
  guint timer = g_timeout_add (timeout_ms, flag_set, &expired);

  while (!condition (user_data))
    {
      if (expired)
        {
          g_autofree char *message = g_strdup_printf ("timed out after %u ms waiting for %s", timeout_ms, name);

          g_assertion_message ("storedesk-test", file, line, func, message);
          return;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  if (!expired)
    g_source_remove (timer);
}

void
sd_test_wait (gboolean *done)
{
  sd_test_wait_for (flag_is_set, done);
}

void
sd_test_keep_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
slot_is_filled (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

GAsyncResult *
sd_test_await (GAsyncResult **slot)
{
  sd_test_wait_for (slot_is_filled, slot);
  return *slot;
}

gboolean
sd_test_nothing_pending (gpointer unused)
{
  return !g_main_context_pending (NULL);
}

GSocket *
sd_test_loopback_socket (char **out_url)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  *out_url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return socket;
}

char *
sd_test_fresh_xdg_dirs (void)
{
  char *home = g_dir_make_tmp ("storedesk-xdg-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);

  g_assert_nonnull (home);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  return home;
}

SdLocalStore *
sd_test_open_store (const char *shop, const char *account, GError **notice)
{
  SdLocalStore *store = sd_local_store_new (shop, account);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sd_local_store_open_async (store, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_local_store_open_finish (store, sd_test_await (&r), notice, &error));
  g_assert_no_error (error);
  return store;
}

void
sd_test_close_store (SdLocalStore *store)
{
  g_autoptr(GAsyncResult) r = NULL;

  sd_local_store_close_async (store, NULL, sd_test_keep_result, &r);
  g_assert_true (sd_local_store_close_finish (store, sd_test_await (&r), NULL));
}

char *
sd_test_dead_url (void)
{
  char *url = NULL;
  g_autoptr(GSocket) socket = sd_test_loopback_socket (&url);

  /* Bound to learn a free port, then closed: nothing listens there. */
  g_socket_close (socket, NULL);
  return url;
}

static sqlite3 *
open_shop_db (SdTestServer *server)
{
  g_autofree char *db_path = g_build_filename (server->data_dir, "shop.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

int
sd_test_server_run_sql (SdTestServer *server, const char *sql)
{
  sqlite3 *db;
  char *message = NULL;
  int changed;

  if (server->database)
    return sd_test_pg_run_sql (server->database, sql);
  db = open_shop_db (server);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  changed = sqlite3_changes (db);
  sqlite3_close (db);
  return changed;
}

char *
sd_test_server_query (SdTestServer *server, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char *first = NULL;

  if (server->database)
    return sd_test_pg_query (server->database, sql);
  db = open_shop_db (server);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return first;
}

void
sd_test_server_create_admin (SdTestServer *server, const char *email, const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *line = g_strconcat (password, "\n", NULL);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           g_getenv ("STOREDESK_SERVER"), "create-admin", "--data-dir", server->data_dir,
                           "--email", email, sd_test_server_database_option (server), NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, line, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
}

static gpointer
find_record (GListModel *list, const char *id, const char *(*get_id) (gpointer))
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) o = g_list_model_get_item (list, i);

      if (g_strcmp0 (get_id (o), id) == 0)
        return g_steal_pointer (&o);
    }
  g_error ("no record %s in the staff's list", id);
}

SdOrder *
sd_test_admin_order (SdAdmin *admin, const char *id)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;

  sd_admin_list_orders_async (admin, SD_ORDER_STATUS_N, NULL, 1, 100, NULL, sd_test_keep_result, &r);
  list = sd_admin_list_orders_finish (admin, sd_test_await (&r), NULL, &error);
  g_assert_no_error (error);
  return find_record (list, id, (const char *(*) (gpointer)) sd_order_get_id);
}

SdProduct *
sd_test_admin_product (SdAdmin *admin, const char *id)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;

  sd_admin_list_products_async (admin, NULL, sd_test_keep_result, &r);
  list = sd_admin_list_products_finish (admin, sd_test_await (&r), &error);
  g_assert_no_error (error);
  return find_record (list, id, (const char *(*) (gpointer)) sd_product_get_id);
}
