/* sd-search-index.c — instant local search: FTS5 trigrams for terms of 3+
 * characters, our own 1- and 2-character grams (also FTS5) for shorter
 * ones: the tables, the text, and keeping them up to date (the queries are
 * in sd-search-query.c). Described in sd-search-index.h. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sd-search-index-private.h"

#define FIELD_MAX   4096   /* bytes of one field indexed */

/* Per kind: the documents table (doc, id, name, body, extra), its trigram
 * index (external content: the documents) and its gram index (contentless,
 * detail=none: one column of tokens, no positions). A gram of a name is
 * also there with a marker before it (NAME_MARK, and HEAD_MARK if it starts
 * a word), so a stage "in the name" reads only that token's rows instead of
 * walking every row of the bare gram: the markers make tokens of 3+
 * characters, which no gram (1 or 2) can be. A row's grams are made again
 * from its text to delete them; doc numbers are never reused
 * (AUTOINCREMENT), so should that ever differ (another GLib's Unicode
 * tables), a stale gram points at no row and is dropped by the join.
 * columnsize=0: no bm25, no sizes to keep. */
static const char *const kind_table[] = {
  [SD_SEARCH_PRODUCTS] = "search_product",
  [SD_SEARCH_ORDERS] = "search_order",
};

const char *
sd_search_table (SdSearchKind kind)
{
  return kind_table[kind];
}

G_DEFINE_QUARK (sd-search-index-error-quark, sd_search_index_error)

gboolean
sd_search_fail (sqlite3  *db,
                GError  **error)
{
  g_set_error (error, SD_SEARCH_INDEX_ERROR, SD_SEARCH_INDEX_ERROR_FAILED,
               "Search index: %s", sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK || sd_search_fail (db, error);
}

sqlite3_stmt *
sd_search_prepare (sqlite3     *db,
                   GError     **error,
                   const char  *format,
                   ...)
{
  va_list args;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_search_fail (db, error);
      return NULL;
    }
  return stmt;
}

void
sd_search_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* ---- text ---------------------------------------------------------------- */

char *
sd_search_normalize_cut (const char *text,
                         gsize       max)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  gsize length;

  if (text == NULL)
    return g_strdup ("");
  length = strnlen (text, max);
  valid = g_utf8_make_valid (text, length);
  /* A character cut in half at max: make_valid turned it into U+FFFD. */
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  return g_utf8_casefold (nfkc ? nfkc : "", -1);
}

char *
sd_search_index_normalize (const char *text)
{
  return sd_search_normalize_cut (text, G_MAXSIZE);
}

/* text without its hyphens and spaces when it is only digits, hyphens and
 * spaces (a phone or order number), else text itself. Takes text. */
char *
sd_search_digits_form (char *text)
{
  GString *digits;
  gboolean any = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        any = TRUE;
      else if (*p != '-' && *p != ' ')
        return text;
    }
  if (!any)
    return text;
  digits = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  g_free (text);
  return g_string_free (digits, FALSE);
}

static void
append_field (GString    *out,
              const char *text,
              gboolean    number)
{
  g_autofree char *norm = sd_search_normalize_cut (text, FIELD_MAX);

  if (number)
    norm = sd_search_digits_form (g_steal_pointer (&norm));
  if (*norm == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, norm);
}

static void
append_fields (GString            *out,
               const char * const *fields)
{
  for (guint i = 0; fields && fields[i] && i < 256; i++)
    append_field (out, fields[i], FALSE);
}

/* The 1- and 2-character grams of text's words (runs of letters and
 * digits), each once, space-separated onto out after mark; word_starts:
 * only those that begin a word. */
static void
append_grams (GString    *out,
              const char *text,
              const char *mark,
              gboolean    word_starts)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text;
  gboolean at_start = TRUE;

  for (; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      gboolean pair;

      if (!g_unichar_isalnum (g_utf8_get_char (p)))
        {
          at_start = TRUE;
          continue;
        }
      pair = *next && g_unichar_isalnum (g_utf8_get_char (next));
      if (!word_starts || at_start)
        {
          char *one = g_strndup (p, next - p);
          char *two = pair ? g_strndup (p, g_utf8_next_char (next) - p) : NULL;

          for (guint i = 0; i < 2; i++)
            {
              char *g = i == 0 ? one : two;
              if (g == NULL)
                continue;
              if (!g_hash_table_add (seen, g))
                continue;
              if (out->len > 0)
                g_string_append_c (out, ' ');
              g_string_append (out, mark);
              g_string_append (out, g);
            }
        }
      at_start = FALSE;
    }
}

/* ---- the tables ---------------------------------------------------------- */

static gboolean
create_tables (sqlite3  *db,
               GError  **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (kind_table); k++)
    {
      const char *t = kind_table[k];
      g_autofree char *sql = g_strdup_printf (
        "CREATE TABLE IF NOT EXISTS %s ("
        "  doc INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
        "  name TEXT NOT NULL, body TEXT NOT NULL, extra TEXT NOT NULL);"
        "CREATE VIRTUAL TABLE IF NOT EXISTS %s_tri USING fts5 ("
        "  name, body, extra, content='%s', content_rowid='doc', tokenize='trigram',"
        "  columnsize=0);"
        "CREATE VIRTUAL TABLE IF NOT EXISTS %s_gram USING fts5 ("
        "  grams, content='', detail='none', columnsize=0,"
        "  tokenize='unicode61 remove_diacritics 0');",
        t, t, t, t);

      if (!exec (db, sql, error))
        return FALSE;
    }
  return TRUE;
}

SdSearchIndex *
sd_search_index_new (struct sqlite3  *db,
                     GError         **error)
{
  SdSearchIndex *self;

  g_return_val_if_fail (db != NULL, NULL);

  if (!create_tables (db, error))
    return NULL;
  self = g_new0 (SdSearchIndex, 1);
  self->db = db;
  return self;
}

SdSearchIndex *
sd_search_index_open (const char  *path,
                      GError     **error)
{
  sqlite3 *db = NULL;
  SdSearchIndex *self;
  int fd;

  /* Created 0600 before SQLite opens it; its journals take its mode. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Search index %s: %s", path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sd_search_fail (db, error);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  self = sd_search_index_new (db, error);
  if (self == NULL)
    {
      sqlite3_close (db);
      return NULL;
    }
  self->owned = TRUE;
  return self;
}

void
sd_search_index_free (SdSearchIndex *self)
{
  if (self == NULL)
    return;
  if (self->owned)
    sqlite3_close (self->db);
  g_free (self);
}

/* The gram tokens of a document (see NAME_MARK). */
static void
bind_grams (sqlite3_stmt *stmt,
            int           index,
            const char   *name,
            const char   *body)
{
  g_autoptr(GString) grams = g_string_new (NULL);
  g_autofree char *text = g_strconcat (name, " ", body, NULL);

  append_grams (grams, name, HEAD_MARK, TRUE);
  append_grams (grams, name, NAME_MARK, FALSE);
  append_grams (grams, text, "", FALSE);
  sd_search_bind_text (stmt, index, grams->str);
}

/* Takes id's document out of both indexes and the documents table. */
static gboolean
delete_doc (SdSearchIndex  *self,
            const char     *t,
            const char     *id,
            GError        **error)
{
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *find, *tri, *gram, *del;
  gboolean ok = TRUE;
  int rc;

  find = sd_search_prepare (self->db, error, "SELECT doc, name, body, extra FROM %s WHERE id = ?", t);
  if (find == NULL)
    return FALSE;
  sd_search_bind_text (find, 1, id);
  rc = sqlite3_step (find);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (find);
      return rc == SQLITE_DONE || sd_search_fail (self->db, error);
    }

  tri = sd_search_prepare (self->db, &local,
                           "INSERT INTO %s_tri (%s_tri, rowid, name, body, extra)"
                           " VALUES ('delete', ?, ?, ?, ?)", t, t);
  gram = tri ? sd_search_prepare (self->db, &local,
                                  "INSERT INTO %s_gram (%s_gram, rowid, grams) VALUES ('delete', ?, ?)",
                                  t, t) : NULL;
  del = gram ? sd_search_prepare (self->db, &local, "DELETE FROM %s WHERE doc = ?", t) : NULL;
  if (tri && gram && del)
    {
      sqlite3_int64 doc = sqlite3_column_int64 (find, 0);
      const char *name = (const char *) sqlite3_column_text (find, 1);
      const char *body = (const char *) sqlite3_column_text (find, 2);

      sqlite3_bind_int64 (tri, 1, doc);
      for (int i = 1; i <= 3; i++)
        sd_search_bind_text (tri, i + 1, (const char *) sqlite3_column_text (find, i));
      sqlite3_bind_int64 (gram, 1, doc);
      bind_grams (gram, 2, name, body);
      sqlite3_bind_int64 (del, 1, doc);
      ok = sqlite3_step (tri) == SQLITE_DONE && sqlite3_step (gram) == SQLITE_DONE &&
           sqlite3_step (del) == SQLITE_DONE;
      if (!ok)
        sd_search_fail (self->db, &local);
    }
  else
    ok = FALSE;
  sqlite3_finalize (tri);
  sqlite3_finalize (gram);
  sqlite3_finalize (del);
  sqlite3_finalize (find);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

static gboolean
insert_doc (SdSearchIndex  *self,
            const char     *t,
            const char     *id,
            const char     *name,
            const char     *body,
            const char     *extra,
            GError        **error)
{
  sqlite3_stmt *doc, *tri = NULL, *gram = NULL;
  gboolean ok = FALSE;
  sqlite3_int64 rowid;

  doc = sd_search_prepare (self->db, error, "INSERT INTO %s (id, name, body, extra) VALUES (?, ?, ?, ?)", t);
  if (doc == NULL)
    return FALSE;
  sd_search_bind_text (doc, 1, id);
  sd_search_bind_text (doc, 2, name);
  sd_search_bind_text (doc, 3, body);
  sd_search_bind_text (doc, 4, extra);
  if (sqlite3_step (doc) != SQLITE_DONE)
    goto out;
  rowid = sqlite3_last_insert_rowid (self->db);

  tri = sd_search_prepare (self->db, error,
                           "INSERT INTO %s_tri (rowid, name, body, extra) VALUES (?, ?, ?, ?)", t);
  if (tri == NULL)
    goto out;
  gram = sd_search_prepare (self->db, error, "INSERT INTO %s_gram (rowid, grams) VALUES (?, ?)", t);
  if (gram == NULL)
    goto out;
  sqlite3_bind_int64 (tri, 1, rowid);
  sd_search_bind_text (tri, 2, name);
  sd_search_bind_text (tri, 3, body);
  sd_search_bind_text (tri, 4, extra);
  sqlite3_bind_int64 (gram, 1, rowid);
  bind_grams (gram, 2, name, body);
  ok = sqlite3_step (tri) == SQLITE_DONE && sqlite3_step (gram) == SQLITE_DONE;

out:
  if (!ok && (error == NULL || *error == NULL))
    sd_search_fail (self->db, error);
  sqlite3_finalize (doc);
  sqlite3_finalize (tri);
  sqlite3_finalize (gram);
  return ok;
}

/* Replaces id's document in one savepoint. */
static gboolean
put (SdSearchIndex  *self,
     SdSearchKind    kind,
     const char     *id,
     const char     *name,
     const char     *body,
     const char     *extra,
     GError        **error)
{
  const char *t = kind_table[kind];

  if (!exec (self->db, "SAVEPOINT search_put", error))
    return FALSE;
  if (delete_doc (self, t, id, error) && insert_doc (self, t, id, name, body, extra, error))
    return exec (self->db, "RELEASE search_put", error);
  sqlite3_exec (self->db, "ROLLBACK TO search_put; RELEASE search_put", NULL, NULL, NULL);
  return FALSE;
}

gboolean
sd_search_index_put_product (SdSearchIndex          *self,
                             const char             *id,
                             const SdSearchProduct  *product,
                             GError                **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) extra = g_string_new (NULL);

  g_return_val_if_fail (self != NULL && id != NULL && product != NULL, FALSE);

  append_field (name, product->name, FALSE);
  append_field (body, product->category, FALSE);
  append_fields (body, product->options);
  append_field (extra, product->description, FALSE);
  return put (self, SD_SEARCH_PRODUCTS, id, name->str, body->str, extra->str, error);
}

gboolean
sd_search_index_put_order (SdSearchIndex        *self,
                           const char           *id,
                           const SdSearchOrder  *order,
                           GError              **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  g_return_val_if_fail (self != NULL && id != NULL && order != NULL, FALSE);

  append_field (name, order->receiver, FALSE);
  append_field (name, order->number, TRUE);
  append_field (body, order->phone, TRUE);
  append_field (body, order->address, FALSE);
  append_fields (body, order->products);
  return put (self, SD_SEARCH_ORDERS, id, name->str, body->str, "", error);
}

gboolean
sd_search_index_remove (SdSearchIndex  *self,
                        SdSearchKind    kind,
                        const char     *id,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL && id != NULL, FALSE);
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_table), FALSE);

  if (!exec (self->db, "SAVEPOINT search_remove", error))
    return FALSE;
  if (delete_doc (self, kind_table[kind], id, error))
    return exec (self->db, "RELEASE search_remove", error);
  sqlite3_exec (self->db, "ROLLBACK TO search_remove; RELEASE search_remove", NULL, NULL, NULL);
  return FALSE;
}

gboolean
sd_search_index_clear (SdSearchIndex  *self,
                       SdSearchKind    kind,
                       GError        **error)
{
  const char *t;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self != NULL && kind < G_N_ELEMENTS (kind_table), FALSE);

  t = kind_table[kind];
  sql = g_strdup_printf ("SAVEPOINT search_clear;"
                         "INSERT INTO %s_tri (%s_tri) VALUES ('delete-all');"
                         "INSERT INTO %s_gram (%s_gram) VALUES ('delete-all');"
                         "DELETE FROM %s;"
                         "RELEASE search_clear;", t, t, t, t, t);
  if (exec (self->db, sql, error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK TO search_clear; RELEASE search_clear", NULL, NULL, NULL);
  return FALSE;
}
