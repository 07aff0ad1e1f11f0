/* sd-search-index.h — instant local search over products and orders.
 *
 * Lives in a SQLite file it is given (the local store's), in tables of its
 * own (search_product*, search_order*). Everything is synchronous on that
 * connection: the caller runs it off the main loop, on the thread that owns
 * the connection.
 *
 * Two indexes per kind, both FTS5:
 *  - trigrams of every field (tokenize='trigram'), for terms of 3 or more
 *    characters: SQLite's trigram tokenizer matches nothing shorter;
 *  - the 1- and 2-character grams of the short fields (names, category,
 *    options; every field of an order; not a product's description),
 *    filled by us as space-separated tokens (unicode61, detail=none), for
 *    terms of 1 or 2 characters: most Korean nouns are two syllables.
 * Text is compared after NFKC (full-width letters and digits become ASCII)
 * and case folding. Phone numbers and order numbers are indexed as digits,
 * and a query term of digits and hyphens is matched without its hyphens:
 * 010-1234-5678 and 01012345678 find the same order.
 *
 * A query is split at spaces; every term must match (AND). Results: rows
 * whose name starts a word with the first term (the first of 3+ characters
 * if there is one), then rows whose name holds it, then the rest. With 3+
 * characters, only the first 500 matching rows are ranked: the time of a
 * query stays bounded, however common its text.
 * Terms of 1 or 2 characters are looked up in the short fields only (not
 * in a product's description), alone or beside longer terms; one with a
 * sign in it ("a-", which no gram holds) is checked on the text, row by
 * row (36 ms at 100,000 products beside a common long term). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct sqlite3;

#define SD_SEARCH_INDEX_ERROR (sd_search_index_error_quark ())
GQuark sd_search_index_error_quark (void);

typedef enum {
  SD_SEARCH_INDEX_ERROR_FAILED,    /* SQLite said no; its message is kept */
} SdSearchIndexError;

typedef enum {
  SD_SEARCH_PRODUCTS,
  SD_SEARCH_ORDERS,
} SdSearchKind;

/* The searchable fields of a product. Any may be NULL. */
typedef struct {
  const char         *name;
  const char         *description;
  const char         *category;     /* the category's name */
  const char * const *options;      /* option names and values, NULL-terminated */
} SdSearchProduct;

/* The searchable fields of an order. Any may be NULL. */
typedef struct {
  const char         *number;       /* order number, e.g. 20261201-0001 */
  const char         *receiver;     /* the receiver's name */
  const char         *phone;
  const char         *address;      /* address and its detail */
  const char * const *products;     /* the lines' product names, NULL-terminated */
} SdSearchOrder;

typedef struct _SdSearchIndex SdSearchIndex;

/* On db (not owned; it must outlive the index): creates the tables if they
 * are missing. */
SdSearchIndex *sd_search_index_new            (struct sqlite3        *db,
                                               GError               **error);
/* On its own connection to the SQLite file at path (created 0600). */
SdSearchIndex *sd_search_index_open           (const char            *path,
                                               GError               **error);
void           sd_search_index_free           (SdSearchIndex         *self);

/* Adds the row id, or replaces what it held (one savepoint: the old text
 * is gone when the new is in). Fields are cut at 4 KiB each. */
gboolean       sd_search_index_put_product    (SdSearchIndex         *self,
                                               const char            *id,
                                               const SdSearchProduct *product,
                                               GError               **error);
gboolean       sd_search_index_put_order      (SdSearchIndex         *self,
                                               const char            *id,
                                               const SdSearchOrder   *order,
                                               GError               **error);
/* Removes id; TRUE also when it was not there. */
gboolean       sd_search_index_remove         (SdSearchIndex         *self,
                                               SdSearchKind           kind,
                                               const char            *id,
                                               GError               **error);
/* Empties one kind (e.g. when the store is rebuilt). */
gboolean       sd_search_index_clear          (SdSearchIndex         *self,
                                               SdSearchKind           kind,
                                               GError               **error);

/* The ids of at most limit rows of kind matching query, best first (see
 * above), as a GPtrArray of strings (freed with it). A blank query matches
 * nothing. The query is cut at 256 bytes and 8 terms. */
GPtrArray     *sd_search_index_find           (SdSearchIndex         *self,
                                               SdSearchKind           kind,
                                               const char            *query,
                                               guint                  limit,
                                               GError               **error);

/* The text as the index compares it (NFKC, case folded), for callers that
 * highlight matches. */
char          *sd_search_index_normalize      (const char            *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSearchIndex, sd_search_index_free)

G_END_DECLS
