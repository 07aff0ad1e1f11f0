/* sd-test-pg.h — the database a test server runs on, when that is
 * PostgreSQL (issue 18).
 *
 * A program registered a second time as NAME@pg (tests/meson.build) runs
 * with STOREDESK_TEST_ENGINE=pg; the cluster it uses is the one in
 * STOREDESK_TEST_PG (a libpq conninfo, its password in PGPASSFILE; both
 * set by build-aux/pg-cluster start, that is by build-aux/run test). Each
 * test server gets a database of its own, made from the template the
 * runner made (storedesk_template) and dropped with the server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when this run's servers use PostgreSQL. */
gboolean sd_test_engine_is_pg (void);
/* Under PostgreSQL: skips the running test case (g_test_skip, with
 * "SQLite only: " and why) and returns TRUE; else FALSE. */
gboolean sd_test_sqlite_only  (const char *why);
/* g_test_add_func for a case about SQLite's own files: under PostgreSQL
 * it is added as a case that skips, saying why. */
void     sd_test_add_sqlite_only (const char *path,
                                  GTestFunc   func,
                                  const char *why);

typedef struct _SdTestPgDatabase SdTestPgDatabase;

/* A new database made from the template; when the run has no cluster
 * (no STOREDESK_TEST_PG), the whole program is skipped (exit 77). */
SdTestPgDatabase *sd_test_pg_database_new   (void);
SdTestPgDatabase *sd_test_pg_database_ref   (SdTestPgDatabase *db);
/* The last reference drops the database (its sessions ended first). */
void              sd_test_pg_database_unref (SdTestPgDatabase *db);
const char       *sd_test_pg_database_name  (SdTestPgDatabase *db);
/* postgresql://USER@HOST:PORT/NAME, no password (libpq finds that in
 * PGPASSFILE or PGPASSWORD): what storedesk-server's --database takes. */
const char       *sd_test_pg_database_url   (SdTestPgDatabase *db);
/* "--database=" and that URL. */
const char       *sd_test_pg_database_option (SdTestPgDatabase *db);
/* Runs sql (one or more statements); the rows the last one changed. */
int               sd_test_pg_run_sql        (SdTestPgDatabase *db,
                                             const char       *sql);
/* The first column of the first row sql returns, as text; NULL when
 * there is no row or the value is NULL. */
char             *sd_test_pg_query          (SdTestPgDatabase *db,
                                             const char       *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestPgDatabase, sd_test_pg_database_unref)

G_END_DECLS
