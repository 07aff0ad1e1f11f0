/* sd-server-db.h — the reference server's SQLite store. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_SERVER_DB_ERROR (sd_server_db_error_quark ())
GQuark sd_server_db_error_quark (void);

typedef enum {
  SD_SERVER_DB_ERROR_SQLITE,
  SD_SERVER_DB_ERROR_TOO_NEW,
  SD_SERVER_DB_ERROR_CONSTRAINT,
} SdServerDbError;

#define SD_TYPE_SERVER_DB (sd_server_db_get_type ())
G_DECLARE_FINAL_TYPE (SdServerDb, sd_server_db, SD, SERVER_DB, GObject)

typedef struct {
  const char *category_id;  /* nullable */
  const char *q;            /* nullable: name/brand contains */
  const char *sort;         /* nullable: one of SD_SORT_* */
  guint       offset;
  guint       limit;
} SdServerProductQuery;

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
/* Steps once; TRUE on a row or done, else an error (CONSTRAINT for
 * UNIQUE/CHECK/foreign key violations). */
gboolean    sd_server_db_step_done       (SdServerDb  *self,
                                          SdStmt      *stmt,
                                          GError     **error);
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
gboolean    sd_server_db_exec            (SdServerDb  *self,
                                          const char  *sql,
                                          GError     **error);
char       *sd_server_db_new_id          (void);
char       *sd_server_db_now_iso         (void);

gboolean    sd_server_db_get_meta        (SdServerDb  *self,
                                          const char  *key,
                                          char       **out_value,
                                          GError     **error);
gboolean    sd_server_db_set_meta        (SdServerDb  *self,
                                          const char  *key,
                                          const char  *value,
                                          GError     **error);

/* Reads return JSON shaped as on the wire (shared/API.md). */
JsonNode   *sd_server_db_list_categories (SdServerDb  *self,
                                          const char  *name,
                                          GError     **error);
JsonNode   *sd_server_db_get_category    (SdServerDb  *self,
                                          const char  *id,
                                          GError     **error);
/* The page as a JSON array text (the hot path skips json-glib). */
GString    *sd_server_db_list_products   (SdServerDb  *self,
                                          const SdServerProductQuery *query,
                                          gint64      *out_total,
                                          GError     **error);
JsonNode   *sd_server_db_get_product     (SdServerDb  *self,
                                          const char  *id,
                                          GError     **error);

/* Writes used by seeding (the admin routes come with the server issue). */
char       *sd_server_db_insert_category (SdServerDb  *self,
                                          const char  *name,
                                          GError     **error);
typedef struct {
  const char  *category_id;
  const char  *name;
  const char  *brand;
  gint64       price;
  const char  *image;
  const char  *description;
  const char  *option_name;     /* nullable */
  const char * const *option_values;
  gint64       stock;           /* < 0: not tracked */
} SdServerProductInput;
char       *sd_server_db_insert_product  (SdServerDb  *self,
                                          const SdServerProductInput *input,
                                          GError     **error);
typedef struct {
  const char *email;
  const char *password;
  const char *name;
  const char *phone_number;
  const char *address;
  const char *address_detail;
  const char *role;             /* "user" or "admin" */
} SdServerUserInput;
char       *sd_server_db_insert_user     (SdServerDb  *self,
                                          const SdServerUserInput *input,
                                          GError     **error);
char       *sd_server_hash_password      (const char  *password,
                                          GError     **error);
char       *sd_server_db_upsert_admin    (SdServerDb  *self,
                                          const SdServerUserInput *input,
                                          GError     **error);

G_END_DECLS
