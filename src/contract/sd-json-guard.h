/* sd-json-guard.h — a bound on JSON nesting, checked before any parser runs.
 *
 * json-glib 1.6 (Debian 12) parses arrays and objects by recursion with no
 * limit of its own (one arrived only in 1.10): about 75,000 nested "[" in a
 * 150 KB body overflow the stack. Client and server both run this scan on
 * every JSON body from the other side before json-glib sees it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper than anything the API sends (a product is 3 levels deep in its
 * envelope), far below what overflows a thread's stack. */
#define SD_JSON_MAX_DEPTH 64

typedef enum {
  SD_JSON_SCAN_OK,
  SD_JSON_SCAN_TOO_DEEP,     /* an array or object deeper than max_depth */
  SD_JSON_SCAN_BAD_ESCAPE,   /* a \u escape json-glib 1.6 misreads (see below) */
  SD_JSON_SCAN_TRAILING,     /* more than one value at the top level */
} SdJsonScan;

/* Whether any array or object in data nests deeper than max_depth (a
 * top-level array or object is depth 1). O(len), no allocation; data need
 * not be NUL-terminated and is not otherwise validated.
 *
 * The scan reads the text the way json-glib 1.6's scanner does, so that a
 * quote cannot hide brackets from one and not the other: strings in "…"
 * with backslash escapes, strings in '…', and its "/…/" comments. It
 * also refuses, as BAD_ESCAPE, the \u escapes json-glib 1.6 gets wrong:
 * fewer than four hex digits, or a surrogate not followed by a second \u
 * escape (on those it reads on past the closing quote, so no depth could
 * be trusted), and a surrogate pair that is not high then low (on which it
 * leaks memory). None of them is valid JSON.
 *
 * And TRAILING for anything but one value at the top level (blanks and
 * json-glib's comments aside): json-glib 1.6 parses every value it finds
 * there, and keeps only one: a 1 MB body of "{}{}{}…" is accepted and
 * leaks about 150 MB. */
SdJsonScan sd_json_scan    (const char *data,
                            gsize       len,
                            guint       max_depth);
/* sd_json_scan () == SD_JSON_SCAN_OK. */
gboolean sd_json_depth_ok  (const char *data,
                            gsize       len,
                            guint       max_depth);

G_END_DECLS
