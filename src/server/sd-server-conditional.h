/* sd-server-conditional.h — [ext] "conditional": writes made against the
 * version of a record they were based on (shared/API.md). The version is
 * the record's updatedAt; its ETag is that text in quotes. A route reads
 * the base here, hands it to the store (which checks it in the same
 * statement as the write), and answers a mismatch with 412 and the
 * current record. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

#define SD_BASE_MEMBER "baseUpdatedAt"

/* The base of the request: If-Match: "<updatedAt>" (the primary form, the
 * only one on DELETE) or the body's baseUpdatedAt; NULL in *out_base when
 * there is neither (or If-Match: *). FALSE, answered 400, when either is
 * malformed or the two disagree. */
gboolean sd_server_conditional_base          (SdServerRequest *req,
                                              char           **out_base);
/* Sets ETag from record's updatedAt (a JSON object; nothing when NULL). */
void     sd_server_conditional_etag          (SdServerRequest *req,
                                              JsonNode        *record);
/* Answers status (412: changed; 409: a rule refused it) with message and
 * the current record as data (null when it is gone), and its ETag; takes
 * record. */
void     sd_server_conditional_reply_current (SdServerRequest *req,
                                              guint            status,
                                              const char      *message,
                                              JsonNode        *record);
/* TRUE, answered 412 with record, when base is given and is not record's
 * updatedAt: a check a route makes before its own refusals (a status that
 * no longer allows the change), so that a stale base is told as such.
 * The store checks the base again in its write. Takes nothing. */
gboolean sd_server_conditional_stale         (SdServerRequest *req,
                                              const char      *base,
                                              JsonNode        *record);

#define SD_CHANGED_MESSAGE "This was changed since your copy; the current one is in data."

G_END_DECLS
