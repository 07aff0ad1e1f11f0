/* sd-server-db.h — the SQLite engine under the store: the connection, the
 * schema's migrations and prepared statements. Only the store's own files
 * (sd-server-store*.c) use it; routes use sd-server-store.h. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-server-store.h"

G_BEGIN_DECLS

#define SD_TYPE_SERVER_DB (sd_server_db_get_type ())
G_DECLARE_FINAL_TYPE (SdServerDb, sd_server_db, SD, SERVER_DB, GObject)

/* The two engines. The SQL the store's files write is the subset both
 * speak: "?" and "?N" parameters, LIKE meaning ASCII-case-insensitive
 * (ILIKE on PostgreSQL), and unixepoch () (a function the PostgreSQL
 * schema defines); where they differ, a file asks sd_server_db_engine. */
typedef enum {
  SD_SERVER_ENGINE_SQLITE,
  SD_SERVER_ENGINE_POSTGRESQL,
} SdServerEngine;

/* A table's next seq (its rows' order): under SQLite's one writer the
 * largest plus one; on PostgreSQL the table's own sequence, which
 * concurrent writers never share. */
#define SD_SERVER_SQLITE_NEXT_SEQ(table) "(SELECT coalesce (max (seq), 0) + 1 FROM " table ")"
#define SD_SERVER_PG_NEXT_SEQ(table) "nextval ('" table "_seq')"

/* Errors are the store's (SD_SERVER_STORE_ERROR): a UNIQUE, CHECK or
 * foreign key violation is CONFLICT, a lock held too long (or, on
 * PostgreSQL, a deadlock) BUSY, a schema too new TOO_NEW, on PostgreSQL a
 * schema too old OLD, anything else FAILED.
 * database: a SQLite file's path (or sqlite:PATH), or a
 * postgresql:// URL (libpq's; the password from PGPASSWORD or .pgpass).
 * SQLite brings its schema up to date by itself, under its write lock;
 * PostgreSQL creates a fresh schema under an advisory lock, and refuses
 * an older one until `storedesk-server migrate` (sd_server_db_migrate). */
SdServerDb *sd_server_db_open            (const char  *database,
                                          GError     **error);
SdServerEngine sd_server_db_engine       (SdServerDb  *self);
/* Does database name a PostgreSQL one? */
gboolean    sd_server_database_is_postgresql (const char *database);
/* Brings a PostgreSQL database's schema up to date, under the advisory
 * lock; the number of steps taken in *out_steps. */
gboolean    sd_server_db_migrate         (const char  *database,
                                          guint       *out_steps,
                                          GError     **error);

/* Statements are prepared once and cached by SQL text; release one (reset
 * and unbind) when done, most simply through g_autoptr(SdStmt). */
typedef struct _SdStmt SdStmt;
SdStmt     *sd_server_db_statement       (SdServerDb  *self,
                                          const char  *sql,
                                          GError     **error);
void        sd_stmt_release              (SdStmt      *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStmt, sd_stmt_release)

/* Parameters count from 1; one never bound is NULL. bind_text keeps the
 * pointer until the statement is stepped or released (NULL binds NULL);
 * bind_text_copy copies it; bind_blob copies, and with NULL data binds
 * NULL. */
void        sd_stmt_bind_text            (SdStmt *stmt, int i, const char *text);
void        sd_stmt_bind_text_copy       (SdStmt *stmt, int i, const char *text);
void        sd_stmt_bind_int64           (SdStmt *stmt, int i, gint64 value);
/* A number, or NULL when is_null (an integer NULL on PostgreSQL, where
 * one never bound is a text NULL). */
void        sd_stmt_bind_int64_or_null   (SdStmt *stmt, int i, gint64 value, gboolean is_null);
void        sd_stmt_bind_blob            (SdStmt *stmt, int i, const void *data, gsize size);

typedef enum {
  SD_STMT_ERROR = 1,
  SD_STMT_ROW = 100,    /* SQLite's own numbers */
  SD_STMT_DONE = 101,
} SdStmtResult;
/* The next row; on SD_STMT_ERROR the connection's last error says why
 * (sd_server_db_set_error). */
SdStmtResult sd_stmt_step                (SdStmt      *stmt);
/* The rows the last write changed. */
gint64      sd_server_db_changes         (SdServerDb  *self);

/* Steps once; TRUE on a row or done, else an error. */
gboolean    sd_server_db_step_done       (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          GError     **error);
/* Runs a write that takes one text parameter, to its end. */
gboolean    sd_server_db_run_text        (SdServerDb  *self,
                                          const char  *sql,
                                          const char  *text,
                                          GError     **error);
/* Steps a read once: TRUE on a row; FALSE with an error when it fails,
 * or with NOT_FOUND ("no such what") when there is no row. */
gboolean    sd_server_db_step_row        (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          const char  *what,
                                          GError     **error);
/* Steps a write once: FALSE with an error when it fails, or with
 * NOT_FOUND ("no such what") when it changed no row. */
gboolean    sd_server_db_step_changed    (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          const char  *what,
                                          GError     **error);
/* The connection's last error, as "what: message"; returns FALSE. */
gboolean    sd_server_db_set_error       (SdServerDb  *self,
                                          GError     **error,
                                          const char  *what);
/* A column of the current row: as text ("" or NULL for NULL), as a
 * number (0 for NULL), whether it is NULL, as bytes (NULL for NULL). */
const char *sd_stmt_text                 (SdStmt      *stmt,
                                          int          col);
const char *sd_stmt_text_or_null         (SdStmt      *stmt,
                                          int          col);
gsize       sd_stmt_text_length          (SdStmt      *stmt,
                                          int          col);
/* Appends a column of JSON text to out, compact on either engine
 * (PostgreSQL's json_build_object writes " : " and ", "), so the wire
 * bytes are the same on both. */
void        sd_stmt_append_json          (SdStmt      *stmt,
                                          int          col,
                                          GString     *out);
gint64      sd_stmt_int64                (SdStmt      *stmt,
                                          int          col);
gboolean    sd_stmt_is_null              (SdStmt      *stmt,
                                          int          col);
GBytes     *sd_stmt_dup_bytes            (SdStmt      *stmt,
                                          int          col);
/* The SQL that moves the schema from version `from` to from + 1, NULL
 * past the latest: steps never change once shipped, so a test builds an
 * old shop's database from them (tests/test-server-orders.c). */
const char *sd_server_db_migration       (guint        from);
/* The same for PostgreSQL's own steps (sd-server-db-pg.c). */
const char *sd_server_db_pg_migration    (guint        from);

typedef JsonNode *(*SdRowToJson) (SdStmt  *row,
                                  gpointer user_data);
/* Steps a bound statement to its end: a JSON array, one element per row. */
JsonNode   *sd_server_db_collect_rows    (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          SdRowToJson  row_to_json,
                                          gpointer     user_data,
                                          const char  *what,
                                          GError     **error);
/* Steps a bound statement once: the row as JSON, or NULL without an
 * error when there is no such row. */
JsonNode   *sd_server_db_first_row       (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          SdRowToJson  row_to_json,
                                          gpointer     user_data,
                                          const char  *what,
                                          GError     **error);

/* Those two over sql, whose one parameter is key: every row it finds,
 * or the one row it finds for an id. */
JsonNode   *sd_server_db_rows_by_key     (SdServerDb *self, const char *sql, const char *key,
                                          SdRowToJson row_to_json, gpointer user_data, const char *what,
                                          GError **error);
JsonNode   *sd_server_db_row_by_id       (SdServerDb *self, const char *sql, const char *id,
                                          SdRowToJson row_to_json, gpointer user_data, const char *what,
                                          GError **error);

/* "%q%" with LIKE's own characters escaped, for "… LIKE ? ESCAPE '\\'". */
char       *sd_server_like_pattern       (const char  *q);
/* A number that changes whenever the data may have changed. */
gint64      sd_server_db_change_stamp    (SdServerDb  *self);
/* A write transaction that holds the shop's one write lock, as SQLite
 * has it (BEGIN IMMEDIATE; on PostgreSQL a transaction-level advisory
 * lock): what it reads stays true until it commits. */
gboolean    sd_server_db_begin           (SdServerDb  *self,
                                          GError     **error);
/* A write transaction without that lock, for work whose every statement
 * is safe against concurrent writers by itself (a conditional UPDATE, a
 * unique constraint): checkouts on PostgreSQL. Same as _begin on SQLite. */
gboolean    sd_server_db_begin_concurrent (SdServerDb *self,
                                          GError    **error);
/* Inside a transaction, waits for the lock named key (PostgreSQL: a
 * transaction-level advisory lock; SQLite: already held). */
gboolean    sd_server_db_lock            (SdServerDb  *self,
                                          const char  *key,
                                          GError     **error);
/* COMMIT / ROLLBACK (a no-op outside a transaction). */
gboolean    sd_server_db_commit          (SdServerDb  *self,
                                          GError     **error);
void        sd_server_db_rollback        (SdServerDb  *self);
/* Ends what sd_server_db_begin began: commits when ok (rolling back if
 * the commit fails), rolls back otherwise. TRUE when it committed. */
gboolean    sd_server_db_end             (SdServerDb  *self,
                                          gboolean     ok,
                                          GError     **error);
gboolean    sd_server_db_exec            (SdServerDb  *self,
                                          const char  *sql,
                                          GError     **error);

G_END_DECLS
