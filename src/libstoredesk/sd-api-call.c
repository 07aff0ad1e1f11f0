/* sd-api-call.c — JSON calls: the request, the bearer or refresh
 * cookie, one refresh and replay on 401, and the envelope's data. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-parts-private.h"
#include "sd-contract.h"

/* ---- JSON calls ----------------------------------------------------- */

typedef struct {
  JsonNode *data;
  gint64    total;
} CallResult;

static void
call_result_free (CallResult *r)
{
  g_clear_pointer (&r->data, json_node_unref);
  g_free (r);
}

/* What a call needs to be sent again after a refresh. */
typedef struct {
  char     *method;
  char     *path;
  GBytes   *body;       /* nullable */
  char     *body_type;  /* NULL: JSON */
  gboolean  plain;      /* the reply is bare JSON, not an envelope */
  char     *idempotency_key;
  char     *if_match;   /* an ETag: [ext] "conditional" */
  char     *origin;     /* [ext] "activity": X-Storedesk-Origin */
  JsonNode *error_data; /* the data of an error reply */
  gboolean  may_reauth;
  gboolean  had_token;
  gboolean  refresh_cookie;   /* "Cookie: refreshToken=…" and no bearer */
} Call;

static void
call_free (Call *c)
{
  g_free (c->method);
  g_free (c->path);
  g_free (c->idempotency_key);
  g_free (c->if_match);
  g_free (c->origin);
  g_free (c->body_type);
  g_clear_pointer (&c->error_data, json_node_unref);
  g_clear_pointer (&c->body, g_bytes_unref);
  g_free (c);
}

static void call_send (GTask *task);

JsonNode *
sd_api_call_get_error_data (GAsyncResult *result)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  return call ? call->error_data : NULL;
}

static void
reauthed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!self->reauth_finish (self->reauth_owner, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_send (g_steal_pointer (&task));   /* once more, with the new token */
}

static void
call_fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = sd_api_fetch_get_message (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);
  SoupMessageHeaders *headers;
  const char *total;
  CallResult *r;
  JsonNode *data;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_api_read_refresh_cookie (self, msg);
  /* A 401 is handled here, once: refresh, then replay. (Without an access
   * token but with a refresh token, as when a session is restored, too.) */
  if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED &&
      call->may_reauth && (call->had_token || self->refresh_token != NULL) && self->reauth != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);   /* before the task moves */

      call->may_reauth = FALSE;
      self->reauth (self->reauth_owner, cancellable, reauthed_cb, g_steal_pointer (&task));
      return;
    }
  g_clear_pointer (&call->error_data, json_node_unref);
  data = sd_api_read_reply (soup_message_get_status (msg), body, call->plain, &call->error_data, &error);
  if (data == NULL)
    {
      GError *known = sd_api_is_original (self) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                      ? sd_api_error_for_original_route (call->method, call->path, soup_message_get_status (msg))
                      : NULL;

      g_task_return_error (task, known ? known : g_steal_pointer (&error));
      return;
    }
  r = g_new0 (CallResult, 1);
  r->data = data;
  r->total = -1;
  headers = soup_message_get_response_headers (msg);
  total = soup_message_headers_get_one (headers, SD_HEADER_TOTAL_COUNT);
  if (total != NULL)
    {
      guint64 v;
      if (g_ascii_string_to_unsigned (total, 10, 0, G_MAXINT64, &v, NULL))
        r->total = (gint64) v;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) call_result_free);
}

static void
call_send (GTask *task)
{
  SdApi *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, call->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (call->method, url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("Storedesk could not build a request for “%s”."), call->path);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Shop data is always fetched fresh, and a reply to a Bearer request
   * must never land in the disk cache. */
  soup_message_disable_feature (msg, SOUP_TYPE_CACHE);
  call->had_token = self->access_token != NULL && !call->refresh_cookie;
  if (call->refresh_cookie)
    {
      /* Only the cookie: on the original an expired bearer beside it wins
       * and yields a token without an id (extractToken.js:4-10,
       * loginMiddleware.js:57-76). */
      if (self->refresh_token)
        {
          g_autofree char *cookie = g_strconcat (SD_REFRESH_COOKIE "=", self->refresh_token, NULL);
          soup_message_headers_replace (headers, "Cookie", cookie);
          explicit_bzero (cookie, strlen (cookie));
        }
    }
  else if (self->access_token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->access_token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
      explicit_bzero (auth, strlen (auth));
    }
  if (call->body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, call->body_type ? call->body_type : "application/json",
                                                call->body);
      sd_api_expect_continue_if_big (msg, call->body);
    }
  if (call->idempotency_key != NULL)
    {
      soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);
      /* Safe to repeat, so libsoup may reuse a connection for it. */
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
    }
  if (call->if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", call->if_match);
  if (call->origin != NULL)
    soup_message_headers_replace (headers, SD_HEADER_ORIGIN, call->origin);
  sd_api_fetch_start (self, msg, SD_API_MAX_JSON_BYTES, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                      call_fetched_cb, task);
}

static void
call_start_full (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                 const char *idempotency_key, const char *if_match, const char *origin, gboolean may_reauth,
                 gboolean refresh_cookie, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
  GTask *task;
  Call *call;

  g_return_if_fail (SD_IS_API (self));
  g_return_if_fail (path_and_query && path_and_query[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_api_call_async);
  call = g_new0 (Call, 1);
  call->method = g_strdup (method);
  call->path = g_strdup (path_and_query);
  call->may_reauth = may_reauth;
  call->refresh_cookie = refresh_cookie;
  call->idempotency_key = g_strdup (idempotency_key);
  call->if_match = g_strdup (if_match);
  call->origin = g_strdup (origin);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      call->body = g_bytes_new_take (text, len);
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_send (task);
}

static void
call_start (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
            const char *idempotency_key, gboolean may_reauth, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  call_start_full (self, method, path_and_query, body, idempotency_key, NULL, NULL, may_reauth, FALSE,
                   cancellable, callback, user_data);
}

void
sd_api_call_with_refresh_cookie_async (SdApi *self, const char *method, const char *path,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  call_start_full (self, method, path, NULL, NULL, NULL, NULL, FALSE, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, NULL, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_idempotent_async (SdApi *self, const char *method, const char *path_and_query,
                              JsonNode *body, const char *idempotency_key, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, idempotency_key, TRUE, cancellable, callback, user_data);
}

void
sd_api_call_conditional_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                               const char *idempotency_key, const char *updated_at, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  sd_api_call_conditional_from_async (self, method, path_and_query, body, idempotency_key, updated_at, NULL,
                                      cancellable, callback, user_data);
}

void
sd_api_call_conditional_from_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                                    const char *idempotency_key, const char *updated_at, const char *origin,
                                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *etag = updated_at ? g_strdup_printf ("\"%s\"", updated_at) : NULL;

  call_start_full (self, method, path_and_query, body, idempotency_key, etag, origin, TRUE, FALSE,
                   cancellable, callback, user_data);
}

void
sd_api_call_noauth_async (SdApi *self, const char *method, const char *path_and_query, JsonNode *body,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  call_start (self, method, path_and_query, body, NULL, FALSE, cancellable, callback, user_data);
}

void
sd_api_post_file_async (SdApi *self, const char *path, const char *field, const char *filename,
                        const char *content_type, GBytes *bytes, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, sd_api_call_async);
  soup_multipart_append_form_file (multipart, field, filename, content_type, bytes);
  soup_multipart_to_message (multipart, headers, &call->body);
  call->body_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  call->method = g_strdup (SOUP_METHOD_POST);
  call->path = g_strdup (path);
  call->may_reauth = TRUE;
  call->plain = TRUE;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_send (task);
}

JsonNode *
sd_api_call_finish (SdApi *self, GAsyncResult *result, gint64 *out_total, GError **error)
{
  CallResult *r;
  JsonNode *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;
  data = g_steal_pointer (&r->data);
  if (out_total)
    *out_total = r->total;
  call_result_free (r);
  return data;
}
