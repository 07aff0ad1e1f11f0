/* sd-search-index.c — instant local search: FTS5 trigrams for terms of 3+
 * characters, our own 1- and 2-character grams (also FTS5) for shorter
 * ones. The layout and the ranking are described in sd-search-index.h. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sd-search-index.h"

#define FIELD_MAX   4096   /* bytes of one field indexed */
#define QUERY_MAX    256   /* bytes of a query */
#define TERMS_MAX      8

struct _SdSearchIndex {
  sqlite3 *db;
  gboolean owned;
};

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
#define NAME_MARK "zn"
#define HEAD_MARK "zh"
static const char *const kind_table[] = {
  [SD_SEARCH_PRODUCTS] = "search_product",
  [SD_SEARCH_ORDERS] = "search_order",
};

G_DEFINE_QUARK (sd-search-index-error-quark, sd_search_index_error)

static gboolean
fail (sqlite3   *db,
      GError   **error)
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
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK || fail (db, error);
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static sqlite3_stmt *
prepare (sqlite3     *db,
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
      fail (db, error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* ---- text ---------------------------------------------------------------- */

static char *
normalize_cut (const char *text,
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
  return normalize_cut (text, G_MAXSIZE);
}

/* text without its hyphens and spaces when it is only digits, hyphens and
 * spaces (a phone or order number), else text itself. Takes text. */
static char *
digits_form (char *text)
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
  g_autofree char *norm = normalize_cut (text, FIELD_MAX);

  if (number)
    norm = digits_form (g_steal_pointer (&norm));
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
      fail (db, error);
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
  bind_text (stmt, index, grams->str);
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

  find = prepare (self->db, error, "SELECT doc, name, body, extra FROM %s WHERE id = ?", t);
  if (find == NULL)
    return FALSE;
  bind_text (find, 1, id);
  rc = sqlite3_step (find);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (find);
      return rc == SQLITE_DONE || fail (self->db, error);
    }

  tri = prepare (self->db, &local,
                 "INSERT INTO %s_tri (%s_tri, rowid, name, body, extra) VALUES ('delete', ?, ?, ?, ?)",
                 t, t);
  gram = prepare (self->db, &local,
                  "INSERT INTO %s_gram (%s_gram, rowid, grams) VALUES ('delete', ?, ?)",
                  t, t);
  del = prepare (self->db, &local, "DELETE FROM %s WHERE doc = ?", t);
  if (tri && gram && del)
    {
      sqlite3_int64 doc = sqlite3_column_int64 (find, 0);
      const char *name = (const char *) sqlite3_column_text (find, 1);
      const char *body = (const char *) sqlite3_column_text (find, 2);

      sqlite3_bind_int64 (tri, 1, doc);
      for (int i = 1; i <= 3; i++)
        bind_text (tri, i + 1, (const char *) sqlite3_column_text (find, i));
      sqlite3_bind_int64 (gram, 1, doc);
      bind_grams (gram, 2, name, body);
      sqlite3_bind_int64 (del, 1, doc);
      ok = sqlite3_step (tri) == SQLITE_DONE && sqlite3_step (gram) == SQLITE_DONE &&
           sqlite3_step (del) == SQLITE_DONE;
      if (!ok)
        fail (self->db, &local);
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

  doc = prepare (self->db, error, "INSERT INTO %s (id, name, body, extra) VALUES (?, ?, ?, ?)", t);
  if (doc == NULL)
    return FALSE;
  bind_text (doc, 1, id);
  bind_text (doc, 2, name);
  bind_text (doc, 3, body);
  bind_text (doc, 4, extra);
  if (sqlite3_step (doc) != SQLITE_DONE)
    goto out;
  rowid = sqlite3_last_insert_rowid (self->db);

  tri = prepare (self->db, error, "INSERT INTO %s_tri (rowid, name, body, extra) VALUES (?, ?, ?, ?)", t);
  gram = prepare (self->db, error, "INSERT INTO %s_gram (rowid, grams) VALUES (?, ?)", t);
  if (tri == NULL || gram == NULL)
    goto out;
  sqlite3_bind_int64 (tri, 1, rowid);
  bind_text (tri, 2, name);
  bind_text (tri, 3, body);
  bind_text (tri, 4, extra);
  sqlite3_bind_int64 (gram, 1, rowid);
  bind_grams (gram, 2, name, body);
  ok = sqlite3_step (tri) == SQLITE_DONE && sqlite3_step (gram) == SQLITE_DONE;

out:
  if (!ok && (error == NULL || *error == NULL))
    fail (self->db, error);
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


/* ---- finding ------------------------------------------------------------- */

/* An FTS5 string: term in double quotes, its own doubled. */
static void
append_quoted (GString    *out,
               const char *term)
{
  g_string_append_c (out, '"');
  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
all_alnum (const char *term)
{
  for (const char *p = term; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isalnum (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* query's terms, normalised (digits_form), each once, at most TERMS_MAX. */
static GPtrArray *
split_terms (const char *query)
{
  g_autofree char *norm = normalize_cut (query, QUERY_MAX);
  g_auto(GStrv) words = g_strsplit_set (norm, " \t\r\n\f\v", -1);
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words[i] && terms->len < TERMS_MAX; i++)
    {
      char *term;

      if (*words[i] == '\0')
        continue;
      term = digits_form (g_strdup (words[i]));
      if (g_ptr_array_find_with_equal_func (terms, term, g_str_equal, NULL))
        g_free (term);
      else
        g_ptr_array_add (terms, term);
    }
  return terms;
}

typedef struct {
  GPtrArray  *ids;
  GHashTable *seen;      /* doc numbers already in ids */
  guint       limit;
} Found;

/* A stage of the search: match on the index of suffix (none: a scan of the
 * documents) and, if set, grams on the gram index (the short terms beside
 * long ones: intersected there, not read row by row, which took 50-100 ms
 * for "바구니 q" at 100,000 products), rows whose text holds every filter
 * term (short terms with signs, in no gram). With rank_by set, the first
 * CANDIDATES rows are read and ranked here: rank_by at the start of a word
 * of the name, then in the name, then the rest (in one query: as three,
 * the gram list was built three times, 25 ms at 100,000 orders; 500, not
 * 2,000: reading 2,000 rows took 10 ms). */
typedef struct {
  const char *suffix;
  const char *match;
  const char *grams;
  GPtrArray  *filters;
  const char *rank_by;
} Stage;

#define CANDIDATES 500

typedef struct {
  int    rank;
  guint  seq;
  gint64 doc;
  char  *id;
} Ranked;

static int
rank_of (const char *name,
         const char *term)
{
  const char *at = strstr (name, term);

  if (at == NULL)
    return 2;
  for (; at; at = strstr (at + 1, term))
    if (at == name || at[-1] == ' ')
      return 0;
  return 1;
}

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
add_found (Found      *found,
           gint64      doc,
           const char *id)
{
  if (found->ids->len >= found->limit || g_hash_table_contains (found->seen, &doc))
    return;
  g_hash_table_add (found->seen, g_memdup2 (&doc, sizeof doc));
  g_ptr_array_add (found->ids, g_strdup (id));
}

static sqlite3_stmt *
prepare_stage (SdSearchIndex  *self,
               const char     *t,
               const Stage    *stage,
               int             limit,
               GError        **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int n = 0;

  /* CROSS JOIN: the matches stay the outer loop, read lazily. As a plain
   * JOIN, SQLite 3.40 materializes the subquery: every match, all 100,000
   * rows of a common gram, before the first is returned. */
  if (stage->suffix)
    {
      g_string_append_printf (sql, "SELECT d.doc, d.id, d.name FROM (SELECT rowid AS r FROM %s_%s"
                              " WHERE %s_%s MATCH ?%d", t, stage->suffix, t, stage->suffix, ++n);
      /* +rowid: the gram matches are listed once and the main matches
       * checked against them; as a plain rowid SQLite would look up every
       * gram match in the main index, 17 ms for a common gram. */
      if (stage->grams)
        g_string_append_printf (sql, " AND +rowid IN (SELECT rowid FROM %s_gram WHERE %s_gram MATCH ?%d)",
                                t, t, ++n);
      g_string_append_printf (sql, ") CROSS JOIN %s d ON d.doc = r WHERE 1", t);
    }
  else
    g_string_append_printf (sql, "SELECT d.doc, d.id, d.name FROM %s d WHERE 1", t);
  for (guint i = 0; stage->filters && i < stage->filters->len; i++)
    g_string_append_printf (sql, " AND instr(d.name || ' ' || d.body || ' ' || d.extra, ?%d) > 0", ++n);
  g_string_append_printf (sql, " LIMIT %d", limit);

  stmt = prepare (self->db, error, "%s", sql->str);
  if (stmt == NULL)
    return NULL;
  n = 0;
  if (stage->suffix)
    bind_text (stmt, ++n, stage->match);
  if (stage->suffix && stage->grams)
    bind_text (stmt, ++n, stage->grams);
  for (guint i = 0; stage->filters && i < stage->filters->len; i++)
    bind_text (stmt, ++n, g_ptr_array_index (stage->filters, i));
  return stmt;
}

static void
clear_ranked (gpointer data)
{
  g_free (((Ranked *) data)->id);
}

static gboolean
run_stage (SdSearchIndex  *self,
           const char     *t,
           const Stage    *stage,
           Found          *found,
           GError        **error)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  sqlite3_stmt *stmt;
  int rc;

  if (found->ids->len >= found->limit)
    return TRUE;
  stmt = prepare_stage (self, t, stage, stage->rank_by ? CANDIDATES : (int) found->limit, error);
  if (stmt == NULL)
    return FALSE;
  g_array_set_clear_func (ranked, clear_ranked);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 doc = sqlite3_column_int64 (stmt, 0);
      const char *id = (const char *) sqlite3_column_text (stmt, 1);

      if (stage->rank_by)
        {
          Ranked r = { rank_of ((const char *) sqlite3_column_text (stmt, 2), stage->rank_by),
                       ranked->len, doc, g_strdup (id) };
          g_array_append_val (ranked, r);
        }
      else
        add_found (found, doc, id);
    }
  sqlite3_finalize (stmt);
  g_array_sort (ranked, compare_ranked);
  for (guint i = 0; i < ranked->len; i++)
    add_found (found, g_array_index (ranked, Ranked, i).doc, g_array_index (ranked, Ranked, i).id);
  return rc == SQLITE_DONE || fail (self->db, error);
}

/* "first AND rest…", quoted, with mark before the first term. */
static char *
match_expression (GPtrArray  *terms,
                  const char *mark)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < terms->len; i++)
    {
      g_autofree char *term = g_strconcat (i == 0 ? mark : "", g_ptr_array_index (terms, i), NULL);

      if (i > 0)
        g_string_append (out, " AND ");
      append_quoted (out, term);
    }
  return g_string_free (out, FALSE);
}

/* Runs stages in order until found is full. */
static gboolean
run_stages (SdSearchIndex  *self,
            const char     *t,
            const Stage    *stages,
            guint           n_stages,
            Found          *found,
            GError        **error)
{
  for (guint i = 0; i < n_stages; i++)
    if (!run_stage (self, t, &stages[i], found, error))
      return FALSE;
  return TRUE;
}

GPtrArray *
sd_search_index_find (SdSearchIndex  *self,
                      SdSearchKind    kind,
                      const char     *query,
                      guint           limit,
                      GError        **error)
{
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GPtrArray) longs = g_ptr_array_new ();
  g_autoptr(GPtrArray) shorts = g_ptr_array_new ();
  g_autoptr(GPtrArray) gram_terms = g_ptr_array_new ();
  g_autoptr(GPtrArray) signed_terms = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Found found = { ids, seen, limit };
  gboolean grams = TRUE, ok;
  const char *t;

  g_return_val_if_fail (self != NULL && kind < G_N_ELEMENTS (kind_table), NULL);

  t = kind_table[kind];
  terms = split_terms (query ? query : "");
  if (terms->len == 0 || limit == 0)
    return g_steal_pointer (&ids);
  for (guint i = 0; i < terms->len; i++)
    {
      char *term = g_ptr_array_index (terms, i);
      gboolean is_long = g_utf8_strlen (term, -1) >= 3;

      g_ptr_array_add (is_long ? longs : shorts, term);
      if (!is_long)
        g_ptr_array_add (all_alnum (term) ? gram_terms : signed_terms, term);
    }
  grams = signed_terms->len == 0;

  if (longs->len > 0)
    {
      /* Trigrams for the long terms, grams for the short ones. */
      g_autofree char *match = match_expression (longs, "");
      g_autofree char *short_match = gram_terms->len ? match_expression (gram_terms, "") : NULL;
      const char *first = g_ptr_array_index (longs, 0);
      Stage ranked = { "tri", match, short_match, signed_terms, first };

      ok = run_stage (self, t, &ranked, &found, error);
    }
  else if (grams)
    {
      g_autofree char *at_start = match_expression (shorts, HEAD_MARK);
      g_autofree char *in_name = match_expression (shorts, NAME_MARK);
      g_autofree char *anywhere = match_expression (shorts, "");
      Stage stages[] = {
        { "gram", at_start, NULL, NULL, NULL },
        { "gram", in_name, NULL, NULL, NULL },
        { "gram", anywhere, NULL, NULL, NULL },
      };

      ok = run_stages (self, t, stages, G_N_ELEMENTS (stages), &found, error);
    }
  else
    {
      /* A short term with a sign in it ("a-", "1.") is in no gram: the
       * text itself, row by row, first matches first. */
      Stage scan = { NULL, NULL, NULL, shorts, NULL };

      ok = run_stage (self, t, &scan, &found, error);
    }
  return ok ? g_steal_pointer (&ids) : NULL;
}
