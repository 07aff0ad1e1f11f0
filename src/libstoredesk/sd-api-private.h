/* sd-api-private.h — JSON calls, for the other files of libstoredesk. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sd-api.h"

G_BEGIN_DECLS

/* Caps on what one reply may hold, so a hostile server cannot fill memory. */
#define SD_API_MAX_JSON_BYTES  (16 * 1024 * 1024)
#define SD_API_MAX_IMAGE_BYTES (20 * 1024 * 1024)
/* The picture cache on disk, per shop. */
#define SD_API_CACHE_BYTES     (50 * 1024 * 1024)

/* TRUE once the picture cache is in use (its index is read in a thread;
 * requests wait for it). */
gboolean sd_api_is_cache_ready (SdApi *self);
/* TRUE once a health check said which features the shop has (none, for
 * the original), so that sd_api_has_feature's FALSE means "lacks it". */
gboolean sd_api_features_known (SdApi *self);
/* The libsoup session, for tests that watch what libsoup does with a
 * request (no one else may send through it). */
SoupSession *sd_api_get_soup_session (SdApi *self);

/* Sends METHOD path_and_query (relative to the base URL) with an optional
 * JSON body; checks the status and the {"error","data"} envelope. */
void sd_api_call_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* Returns the envelope's data (never NULL on success: JSON null becomes a
 * null node). out_total: X-Total-Count, or -1 when the shop sent none. */
JsonNode *sd_api_call_finish (SdApi *self, GAsyncResult *result, gint64 *out_total, GError **error);

/* POSTs one file as multipart/form-data (field, filename, type), with
 * the session's token; the reply is bare JSON, not an envelope (the
 * original's upload routes). Finishes with sd_api_call_finish. */
void sd_api_post_file_async (SdApi *self, const char *path, const char *field, const char *filename,
                             const char *content_type, GBytes *bytes, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);

/* Parses an envelope the way sd_api_call_finish does; for tests of the
 * mapping and for callers holding a body already. */
JsonNode *sd_api_parse_reply (guint status, GBytes *body, GError **error);

/* What a call makes of a reply body: the envelope's data, or for a plain
 * reply (see sd_api_post_file_async) the bare JSON object; else NULL with
 * the error and, for an envelope, the data the shop sent with its error
 * in *out_error_data (see sd_api_call_get_error_data). The whole of the
 * client's reading of a reply, for tests and tests/fuzz/. */
JsonNode *sd_api_read_reply (guint status, GBytes *body, gboolean plain, JsonNode **out_error_data,
                             GError **error);

/* Authentication (SdSession sets these). The token goes out as
 * "Authorization: Bearer …" on every call; NULL stops that. */
void sd_api_set_access_token (SdApi *self, const char *token);
const char *sd_api_get_access_token (SdApi *self);

/* Called once when a call that carried a token gets 401: it should get a
 * new access token (and set it); the call is then sent once more. */
typedef void     (*SdApiReauthFunc)   (gpointer             owner,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
typedef gboolean (*SdApiReauthFinish) (gpointer             owner,
                                       GAsyncResult        *result,
                                       GError             **error);
void sd_api_set_reauth (SdApi *self, SdApiReauthFunc start, SdApiReauthFinish finish, gpointer owner);

/* The refresh token: the value of the "refreshToken" cookie, which the
 * api reads from any reply's Set-Cookie itself (there is no cookie jar),
 * keeping the newest; NULL when none. SdSession keeps it in the keyring
 * and restores it with set. */
#define SD_REFRESH_COOKIE "refreshToken"
const char *sd_api_get_refresh_token (SdApi *self);
void sd_api_set_refresh_token (SdApi *self, const char *token);
/* Sends METHOD path (no body) with "Cookie: refreshToken=…" set by hand
 * and no Authorization header: the refresh call (and sign-out, which
 * retires that token). A 401 is returned as it is. */
void sd_api_call_with_refresh_cookie_async (SdApi *self, const char *method, const char *path,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
/* Reads the refresh cookie from msg's Set-Cookie headers into
 * sd_api_set_refresh_token (sd-api-cookies.c). */
void sd_api_read_refresh_cookie (SdApi *self, SoupMessage *msg);

/* TRUE when the last health check listed no [ext] feature at all: the
 * original API (its known faults are then read as such). */
gboolean sd_api_is_original (SdApi *self);

/* Like sd_api_call_async, but a 401 is returned as it is (for the refresh
 * call itself). */
void sd_api_call_noauth_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);

/* Like sd_api_call_async, with an Idempotency-Key: the shop answers a
 * repeat with the first result, so the call is safe to send again. */
void sd_api_call_idempotent_async (SdApi *self, const char *method, const char *path_and_query,
                                   JsonNode *body, const char *idempotency_key, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* [ext] "conditional": like sd_api_call_idempotent_async, sent with
 * If-Match: "<updated_at>" (none when NULL): the shop writes only when the
 * record is still at that version, else answers SD_API_ERROR_CHANGED with
 * the current record as the error data. */
void sd_api_call_conditional_async (SdApi *self, const char *method, const char *path_and_query,
                                    JsonNode *body, const char *idempotency_key, const char *updated_at,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
/* The same, telling the shop where the change comes from ([ext]
 * "activity": X-Storedesk-Origin: bulk, undo or replay; NULL: not said). */
void sd_api_call_conditional_from_async (SdApi *self, const char *method, const char *path_and_query,
                                         JsonNode *body, const char *idempotency_key, const char *updated_at,
                                         const char *origin, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
/* After a failed call: the envelope's data the shop sent with its error
 * (409 "prices changed" carries the current figures), or NULL. */
JsonNode *sd_api_call_get_error_data (GAsyncResult *result);

/* PUT bytes to an absolute URL (a presigned upload: the URL's signature,
 * not a token, authorises it). Finishes TRUE on 2xx. */
void sd_api_put_bytes_async (SdApi *self, const char *url, const char *content_type, GBytes *bytes,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean sd_api_put_bytes_finish (SdApi *self, GAsyncResult *result, GError **error);

/* The SD_API_ERROR_SERVER a reply gets when it is not what the contract
 * says; why goes to the debug log only. */
GError *sd_api_unreadable_reply (const char *why);

/* The SD_API_ERROR mapping (sd-api-errors.c). */
/* A libsoup/GIO transport error as SD_API_ERROR (cancelled and ours kept). */
GError *sd_api_map_transport_error (const GError *error);
/* The error for an HTTP status, with the shop's text where it helps. */
GError *sd_api_error_for_status (guint status, const char *server_message);
/* At the original, the error a route's 500 always means, or NULL. */
GError *sd_api_error_for_original_route (const char *method, const char *path, guint status);
/* A reply over its cap. */
GError *sd_api_too_large_reply (void);

G_END_DECLS
