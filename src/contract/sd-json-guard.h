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

/* TRUE when no array or object in data nests deeper than max_depth (a
 * top-level array or object is depth 1). O(len), no allocation; data need
 * not be NUL-terminated and is not otherwise validated.
 *
 * The scan reads the text the way json-glib 1.6's scanner does, so that a
 * quote cannot hide brackets from one and not the other: strings in "…"
 * with backslash escapes, strings in '…', and its "/…/" comments. FALSE
 * also for a \u escape that is not four hex digits, or a surrogate escape
 * not followed by a second \u escape: on those json-glib 1.6 reads on past
 * a closing quote, so no depth could be trusted. Neither is valid JSON. */
gboolean sd_json_depth_ok (const char *data,
                           gsize       len,
                           guint       max_depth);

G_END_DECLS
