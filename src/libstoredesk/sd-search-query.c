/* sd-search-query.c — finding rows in the search index: a query split into
 * terms, long ones (3+ characters) on the trigrams, short ones on the grams,
 * and the results ranked (sd-search-index.h). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-search-index-private.h"

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
  g_autofree char *norm = sd_search_normalize_cut (query, QUERY_MAX);
  g_auto(GStrv) words = g_strsplit_set (norm, " \t\r\n\f\v", -1);
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words[i] && terms->len < TERMS_MAX; i++)
    {
      char *term;

      if (*words[i] == '\0')
        continue;
      term = sd_search_digits_form (g_strdup (words[i]));
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
 * for "바구니 q" at 100,000 products), rows whose short fields hold every
 * filter term (short terms with signs, in no gram, or common ones: see
 * gram_is_common). With rank_by set, the first
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
    g_string_append_printf (sql, " AND instr(d.name || ' ' || d.body, ?%d) > 0", ++n);
  g_string_append_printf (sql, " LIMIT %d", limit);

  stmt = sd_search_prepare (self->db, error, "%s", sql->str);
  if (stmt == NULL)
    return NULL;
  n = 0;
  if (stage->suffix)
    sd_search_bind_text (stmt, ++n, stage->match);
  if (stage->suffix && stage->grams)
    sd_search_bind_text (stmt, ++n, stage->grams);
  for (guint i = 0; stage->filters && i < stage->filters->len; i++)
    sd_search_bind_text (stmt, ++n, g_ptr_array_index (stage->filters, i));
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
  return rc == SQLITE_DONE || sd_search_fail (self->db, error);
}

/* Whether more than RARE rows hold the gram term. A rare gram is
 * intersected on the gram index (its list is short); a common one is
 * checked on the text of the long term's matches, most of which hold it:
 * listing "2" (in every order number) took 20-80 ms at 100,000 orders,
 * and checking 바 on the text of every "led" row 17 ms (so not 4,000). */
#define RARE 30000

static gboolean
gram_is_common (SdSearchIndex  *self,
                const char     *t,
                const char     *term,
                gboolean       *common,
                GError        **error)
{
  g_autoptr(GString) match = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  append_quoted (match, term);
  stmt = sd_search_prepare (self->db, error, "SELECT count(*) FROM (SELECT rowid FROM %s_gram"
                            " WHERE %s_gram MATCH ? LIMIT %d)", t, t, RARE + 1);
  if (stmt == NULL)
    return FALSE;
  sd_search_bind_text (stmt, 1, match->str);
  rc = sqlite3_step (stmt);
  *common = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) > RARE;
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || sd_search_fail (self->db, error);
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
  g_autoptr(GPtrArray) text_terms = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Found found = { ids, seen, limit };
  gboolean grams = TRUE, ok;
  const char *t;

  g_return_val_if_fail (self != NULL && kind <= SD_SEARCH_ORDERS, NULL);

  t = sd_search_table (kind);
  terms = split_terms (query ? query : "");
  if (terms->len == 0 || limit == 0)
    return g_steal_pointer (&ids);
  for (guint i = 0; i < terms->len; i++)
    {
      char *term = g_ptr_array_index (terms, i);
      gboolean is_long = g_utf8_strlen (term, -1) >= 3;

      g_ptr_array_add (is_long ? longs : shorts, term);
      if (!is_long)
        g_ptr_array_add (all_alnum (term) ? gram_terms : text_terms, term);
    }
  grams = text_terms->len == 0;
  for (guint i = 0; longs->len > 0 && i < gram_terms->len; i++)
    {
      gboolean common;

      if (!gram_is_common (self, t, g_ptr_array_index (gram_terms, i), &common, error))
        return NULL;
      if (common)
        g_ptr_array_add (text_terms, g_ptr_array_steal_index (gram_terms, i--));
    }

  if (longs->len > 0)
    {
      /* Trigrams for the long terms, grams for the short ones. */
      g_autofree char *match = match_expression (longs, "");
      g_autofree char *short_match = gram_terms->len ? match_expression (gram_terms, "") : NULL;
      const char *first = g_ptr_array_index (longs, 0);
      Stage ranked = { "tri", match, short_match, text_terms, first };

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
