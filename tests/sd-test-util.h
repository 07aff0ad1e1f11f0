/* sd-test-util.h — a real storedesk-server per test, in a fresh data dir. */
#pragma once

#include "storedesk.h"
#include "sd-test-pg.h"

G_BEGIN_DECLS

/* A whole 1×1 PNG. */
extern const guint8 sd_test_png_bytes[69];

typedef struct {
  SdLocalServer *server;
  char          *data_dir;
  char          *url;
  GStrv          arguments;
  /* Under PostgreSQL (sd-test-pg.h): the server's database, else NULL. */
  SdTestPgDatabase *database;
  /* FALSE when the data dir is another server's (sd_test_server_start_sharing). */
  gboolean       owns_data_dir;
} SdTestServer;

/* Starts storedesk-server (path from $STOREDESK_SERVER) and waits for it. */
SdTestServer *sd_test_server_start  (gboolean      demo);
/* The same, with more command-line options (NULL-terminated). */
SdTestServer *sd_test_server_start_with (gboolean            demo,
                                         const char * const *arguments);
void          sd_test_server_free   (SdTestServer *server);
/* Stops the server process but keeps the data dir. */
void          sd_test_server_kill   (SdTestServer *server);

/* Starts a server on a shop seeded with n generated products (through
 * the bench-seed tool, path from $STOREDESK_BENCH_SEED). SQLite only:
 * bench-seed writes shop.db, and the server runs on it whatever the
 * engine of the run. */
SdTestServer *sd_test_server_start_seeded (guint n_products);

/* Kills the server with SIGKILL (no draining, no clean close). */
void          sd_test_server_crash  (SdTestServer *server);
/* Makes later restarts listen on the port the server has now, as a shop
 * coming back would. */
void          sd_test_server_keep_port (SdTestServer *server);
/* Stops the server and starts it again on the same data dir. */
void          sd_test_server_restart (SdTestServer *server,
                                      gboolean      demo);

/* Another server on the shop of other, as a second node behind a load
 * balancer: its own data dir on other's database under PostgreSQL, the
 * same data dir (and shop.db) under SQLite. */
SdTestServer *sd_test_server_start_sharing (SdTestServer       *other,
                                            gboolean            demo,
                                            const char * const *arguments);

/* n servers on one new shop (one database under PostgreSQL, one data
 * dir under SQLite), started at the same moment, as nodes of a fresh
 * shop behind a load balancer: returns once every one listens; a
 * NULL-terminated array (free each, then the array). */
SdTestServer **sd_test_servers_start_together (guint               n,
                                               gboolean            demo,
                                               const char * const *arguments);

/* Runs sql on the server's database (shop.db, or its PostgreSQL
 * database), as if time had passed or the data had been changed behind
 * the server's back; the rows changed. The SQL must suit both engines. */
int           sd_test_server_run_sql (SdTestServer *server,
                                      const char   *sql);
/* The first column of the first row sql returns, as text (NULL: none). */
char         *sd_test_server_query  (SdTestServer *server,
                                     const char   *sql);
/* "--database=URL" for a storedesk-server command on this server's
 * shop under PostgreSQL; NULL under SQLite (so, put last in a
 * NULL-terminated list, it ends the list there). */
const char   *sd_test_server_database_option (SdTestServer *server);

/* Adds a shop admin to the server's database (create-admin). */
void          sd_test_server_create_admin (SdTestServer *server,
                                           const char   *email,
                                           const char   *password);

/* Iterates the default main context until *done becomes TRUE (with a
 * generous deadline, so a hang fails the test instead of CI). */
void          sd_test_wait          (gboolean     *done);
/* Iterates until cond (user_data) returns TRUE. */
void          sd_test_wait_for      (gboolean    (*cond) (gpointer user_data),
                                     gpointer      user_data);
/* Iterates the default main context until condition (user_data) returns
 * TRUE; after timeout_ms the test fails, naming the condition and where
 * it was waited for. */
#define sd_test_wait_until(condition, user_data, timeout_ms) \
  sd_test_wait_until_named ((condition), (user_data), (timeout_ms), #condition, __FILE__, __LINE__, G_STRFUNC)
void          sd_test_wait_until_named (gboolean   (*condition) (gpointer user_data),
                                        gpointer     user_data,
                                        guint        timeout_ms,
                                        const char  *name,
                                        const char  *file,
                                        int          line,
                                        const char  *func);
/* An async call's result, awaited: pass sd_test_keep_result as the
 * callback and &slot (a g_autoptr(GAsyncResult) set to NULL) as its
 * data, then finish the call with sd_test_await (&slot) (the slot keeps
 * the reference: clear it before using it again). */
void          sd_test_keep_result   (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data);
GAsyncResult *sd_test_await         (GAsyncResult **slot);
/* A condition for sd_test_wait_until: the main loop has nothing more to
 * dispatch now (what a callback left behind has run). */
gboolean      sd_test_nothing_pending (gpointer   unused);
/* Removes a folder and everything in it (symbolic links not followed). */
void          sd_test_remove_tree   (const char *path);
/* Points XDG_CACHE_HOME and XDG_DATA_HOME at a fresh folder (before
 * g_test_init and anything that reads them); returns it, for
 * sd_test_remove_tree at the end. */
char         *sd_test_fresh_xdg_dirs (void);
/* A local store of shop and account, opened (awaited, asserted);
 * *notice (optional) set when its cache was rebuilt. */
SdLocalStore *sd_test_open_store    (const char   *shop,
                                     const char   *account,
                                     GError      **notice);
/* Closes a local store's files, awaited. */
void          sd_test_close_store   (SdLocalStore *store);
/* The order or product of id as the staff's list has it, through the
 * core (the first 100 orders; every product). */
SdOrder      *sd_test_admin_order   (SdAdmin      *admin,
                                     const char   *id);
SdProduct    *sd_test_admin_product (SdAdmin      *admin,
                                     const char   *id);
/* A URL on loopback where nothing listens. */
char         *sd_test_dead_url      (void);
/* A socket bound to a free port on 127.0.0.1, not listening yet; its URL. */
GSocket      *sd_test_loopback_socket (char **out_url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestServer, sd_test_server_free)

G_END_DECLS
