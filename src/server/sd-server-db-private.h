/* sd-server-db-private.h — what the two engines of sd-server-db.c share:
 * the connection and the statement, and the PostgreSQL engine's entry
 * points (sd-server-db-pg.c). Only sd-server-db*.c include it. */
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>

#include "sd-server-db.h"

G_BEGIN_DECLS

struct _SdServerDb
{
  GObject        parent_instance;
  SdServerEngine engine;
  sqlite3       *lite;
  PGconn        *pg;
  GHashTable    *statements;   /* SQL text → SdStmt, reused */
  /* PostgreSQL: the last error, its store code, the last write's rows */
  char          *pg_error;
  int            pg_code;
  gint64         pg_changes;
  guint          pg_generation;   /* bumped at each (re)connection */
  guint          pg_next_name;    /* server-side prepared statements */
};

/* A PostgreSQL parameter as bound: its type and text, or a blob. */
typedef struct {
  Oid    type;
  char  *value;    /* NULL: SQL NULL */
  int    length;
  int    format;   /* 0 text, 1 binary (bytea) */
} SdPgParam;

struct _SdStmt
{
  SdServerDb   *db;           /* not a reference: the cache belongs to it */
  sqlite3_stmt *lite;
  /* PostgreSQL: run at the first step, its rows then read one by one */
  char         *pg_sql;       /* "$N" parameters, ILIKE */
  GArray       *pg_params;    /* of SdPgParam */
  PGresult     *pg_result;
  int           pg_row;       /* the current row; -1 before the first */
  /* parameter types ("20,25,…") → the name it is prepared under on the
   * server, valid for the connection generation pg_generation */
  GHashTable   *pg_prepared;
  guint         pg_generation;
};

/* sd-server-db-sqlite.c: a SQLite file opened, its schema brought up to date. */
SdServerDb  *sd_server_db_sqlite_open  (const char *path, GError **error);

/* sd-server-db-pg.c */
gboolean     sd_server_db_pg_open      (SdServerDb *self, const char *url, GError **error);
void         sd_server_db_pg_close     (SdServerDb *self);
gboolean     sd_server_db_pg_prepare   (SdServerDb *self, SdStmt *stmt, const char *sql, GError **error);
void         sd_server_db_pg_release   (SdStmt *stmt);
void         sd_server_db_pg_free      (SdStmt *stmt);
void         sd_server_db_pg_bind      (SdStmt *stmt, int i, Oid type, const char *value, int length, int format);
SdStmtResult sd_server_db_pg_step      (SdStmt *stmt);
gboolean     sd_server_db_pg_exec      (SdServerDb *self, const char *sql, GError **error);
gint64       sd_server_db_pg_change_stamp (SdServerDb *self);
gboolean     sd_server_db_pg_in_transaction (SdServerDb *self);
const char  *sd_server_db_pg_value     (SdStmt *stmt, int col);
gboolean     sd_server_db_pg_is_null   (SdStmt *stmt, int col);
int          sd_server_db_pg_length    (SdStmt *stmt, int col);

G_END_DECLS
