/* sd-search-index-private.h — what the search index's two files share. */
#pragma once

#include <sqlite3.h>

#include "sd-search-index.h"

G_BEGIN_DECLS

#define QUERY_MAX    256   /* bytes of a query */
#define TERMS_MAX      8
/* Before a gram of a name (and one starting a word of it): see
 * sd-search-index.c. */
#define NAME_MARK "zn"
#define HEAD_MARK "zh"

struct _SdSearchIndex {
  sqlite3 *db;
  gboolean owned;
};

/* The kind's documents table; its indexes are TABLE_tri and TABLE_gram. */
const char   *sd_search_table          (SdSearchKind  kind);
/* Sets error from db's last message; FALSE. */
gboolean      sd_search_fail           (sqlite3      *db,
                                        GError      **error);
sqlite3_stmt *sd_search_prepare        (sqlite3      *db,
                                        GError      **error,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (3, 4);
void          sd_search_bind_text      (sqlite3_stmt *stmt,
                                        int           index,
                                        const char   *text);
/* text cut at max bytes, made valid UTF-8, NFKC, case folded. */
char         *sd_search_normalize_cut  (const char   *text,
                                        gsize         max);
/* text without its hyphens and spaces if that is all it has beside
 * digits (a phone or order number); takes text. */
char         *sd_search_digits_form    (char         *text);

G_END_DECLS
