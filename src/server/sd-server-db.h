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

/* Errors are the store's (SD_SERVER_STORE_ERROR): a UNIQUE, CHECK or
 * foreign key violation is CONFLICT, a lock held too long BUSY, a schema
 * too new TOO_NEW, anything else FAILED. */
SdServerDb *sd_server_db_open            (const char  *path,
                                          GError     **error);

/* Statements are prepared once and cached by SQL text; release one (reset
 * and unbind) when done, most simply through g_autoptr(SdStmt). */
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt SdStmt;
sqlite3    *sd_server_db_handle          (SdServerDb  *self);
SdStmt     *sd_server_db_statement       (SdServerDb  *self,
                                          const char  *sql,
                                          GError     **error);
void        sd_stmt_release              (SdStmt      *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStmt, sd_stmt_release)
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
/* A column as text; "" for NULL. */
const char *sd_stmt_text                 (SdStmt      *stmt,
                                          int          col);
/* The SQL that moves the schema from version `from` to from + 1, NULL
 * past the latest: steps never change once shipped, so a test builds an
 * old shop's database from them (tests/test-server-orders.c). */
const char *sd_server_db_migration       (guint        from);

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
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (a no-op outside a transaction). */
gboolean    sd_server_db_begin           (SdServerDb  *self,
                                          GError     **error);
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
