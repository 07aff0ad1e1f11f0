/* sd-test-http.c */
#include "sd-test-http.h"

#include <glib/gstdio.h>
#include <string.h>

void
sd_test_reply_free (SdTestReply *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->root, json_node_unref);
  g_free (r);
}

static SdTestReply *
send_message (SoupMessage *msg)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SdTestReply *r = g_new0 (SdTestReply, 1);
  SoupMessageHeaders *request = soup_message_get_request_headers (msg);
  const char *data;
  gsize len;

  /* As a polite client does with a big body: the server may refuse it
   * from its headers, and closes the connection when it does. */
  if (soup_message_headers_get_content_length (request) > 64 * 1024)
    soup_message_headers_set_expectations (request, SOUP_EXPECTATION_CONTINUE);
  r->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (r->body, &len);
  if (len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL))
    r->root = json_node_ref (json_parser_get_root (parser));
  return r;
}

static SoupMessage *
new_message (SdTestServer *server, const char *method, const char *path, const char *token)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return msg;
}

SdTestReply *
sd_test_http_url (const char *method, const char *url, const char *content_type, GBytes *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  return send_message (msg);
}

SdTestReply *
sd_test_http (SdTestServer *server, const char *method, const char *path, const char *token,
              const char *json, ...)
{
  g_autoptr(SoupMessage) msg = new_message (server, method, path, token);
  const char *name;
  va_list args;

  if (json)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  va_start (args, json);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name, va_arg (args, const char *));
  va_end (args);
  return send_message (msg);
}

SdTestReply *
sd_test_http_raw (SdTestServer *server, const char *method, const char *path, const char *token,
                  const char *content_type, GBytes *body, const char *header, const char *value)
{
  g_autoptr(SoupMessage) msg = new_message (server, method, path, token);

  soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (header)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  return send_message (msg);
}

JsonNode *
sd_test_data (SdTestReply *r, guint status)
{
  JsonObject *envelope;

  if (r->status != status)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  envelope = json_node_get_object (r->root);
  g_assert_true (json_object_has_member (envelope, "error"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (envelope, "error")));
  g_assert_true (json_object_has_member (envelope, "data"));
  return json_object_get_member (envelope, "data");
}

JsonObject *
sd_test_data_object (SdTestReply *r, guint status)
{
  JsonNode *data = sd_test_data (r, status);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  return json_node_get_object (data);
}

void
sd_test_assert_error (SdTestReply *r, guint status)
{
  JsonObject *envelope;
  const char *message;

  if (r->status != status)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  envelope = json_node_get_object (r->root);
  message = json_object_get_string_member (envelope, "error");
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 5);
  g_assert_true (json_object_has_member (envelope, "data"));
}

void
sd_test_expect_error (SdTestServer *server, const char *method, const char *path, const char *token,
                      const char *json, guint status)
{
  g_autoptr(SdTestReply) r = sd_test_http (server, method, path, token, json, NULL);

  sd_test_assert_error (r, status);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort hands over pointers to the elements */
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char *
sd_test_read_code (SdTestServer *server, const char *email)
{
  char *code = sd_test_find_code (server, email);

  g_assert_nonnull (code);
  return code;
}

char *
sd_test_find_code (SdTestServer *server, const char *email)
{
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *to = g_strdup_printf ("To: %s\r\n", email);
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);   /* names start with a timestamp */
  for (guint i = names->len; i > 0; i--)
    {
      g_autofree char *path = g_build_filename (outbox, names->pdata[i - 1], NULL);
      g_autofree char *text = NULL;
      const char *p;

      /* A mail being written may be short yet: not this one, then. */
      if (!g_file_get_contents (path, &text, NULL, NULL) || strstr (text, to) == NULL ||
          (p = strstr (text, "code is ")) == NULL || strlen (p) < strlen ("code is ") + 6)
        continue;
      return g_strndup (p + strlen ("code is "), 6);
    }
  return NULL;
}

char *
sd_test_sign_in (SdTestServer *server, const char *email, const char *password, char **out_cookie)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
  g_autoptr(SdTestReply) r = sd_test_http (server, "POST", "/api/v1/auth/sign-in", NULL, body, NULL);
  JsonObject *data = sd_test_data_object (r, 201);

  if (out_cookie)
    {
      const char *set = soup_message_headers_get_list (r->headers, "Set-Cookie");
      const char *start = set ? strstr (set, "refreshToken=") : NULL;

      g_assert_nonnull (start);
      *out_cookie = g_strndup (start, strcspn (start, ";"));
    }
  return g_strdup (json_object_get_string_member (data, "accessToken"));
}

char *
sd_test_new_customer (SdTestServer *server, const char *email, const char *password)
{
  g_autofree char *send = g_strdup_printf ("{\"email\":\"%s\"}", email);
  g_autoptr(SdTestReply) sent = sd_test_http (server, "POST", "/api/v1/auth/send-confirmation-email", NULL, send, NULL);
  g_autofree char *code = NULL;
  g_autofree char *confirm = NULL;
  g_autofree char *signup = NULL;
  g_autoptr(SdTestReply) confirmed = NULL;
  g_autoptr(SdTestReply) created = NULL;

  sd_test_data (sent, 200);
  code = sd_test_read_code (server, email);
  confirm = g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%s\"}", email, code);
  confirmed = sd_test_http (server, "POST", "/api/v1/auth/confirm-email", NULL, confirm, NULL);
  sd_test_data (confirmed, 200);
  signup = g_strdup_printf ("{\"name\":\"홍길동\",\"phoneNumber\":\"01022223333\",\"email\":\"%s\","
                            "\"password\":\"%s\",\"address\":\"서울시 종로구 1\",\"addressDetail\":\"2층\"}",
                            email, password);
  created = sd_test_http (server, "POST", "/api/v1/auth/sign-up", NULL, signup, NULL);
  sd_test_data (created, 201);
  return sd_test_sign_in (server, email, password, NULL);
}

char *
sd_test_order_body (JsonObject *product, const char *receiver, const char *address, const char *status)
{
  gint64 price = json_object_get_int_member (product, "price");
  g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), json_object_get_string_member (product, "name"));
  g_autofree char *name_json = json_to_string (name, FALSE);
  const char *image = json_object_get_string_member_with_default (product, "image", "");

  /* name, count and a non-empty image on each line, as the original's
   * schema requires (HoneyTouse_BE schema/order.js:29-40). */
  return g_strdup_printf ("{\"product\":[{\"id\":\"%s\",\"name\":%s,\"count\":1,\"image\":\"%s\"}],"
                          "\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT
                          ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "},\"receiver\":{\"name\":\"%s\","
                          "\"phoneNumber\":\"01012345678\",\"address\":\"%s\"},\"status\":\"%s\"}",
                          json_object_get_string_member (product, "_id"), name_json, *image ? image : "uploads/none.jpg",
                          price, price + 3000, receiver, address, status);
}

GBytes *
sd_test_multipart (const char *field, const guint8 *data, gsize len, char **out_type)
{
  GByteArray *a = g_byte_array_new ();
  g_autofree char *head = NULL;

  head = g_strdup_printf ("--XyZb0undary\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"photo.jpg\"\r\n"
                          "Content-Type: image/jpeg\r\n\r\n", field);
  g_byte_array_append (a, (const guint8 *) head, strlen (head));
  g_byte_array_append (a, data, len);
  g_byte_array_append (a, (const guint8 *) "\r\n--XyZb0undary--\r\n", 19);
  *out_type = g_strdup ("multipart/form-data; boundary=XyZb0undary");
  return g_byte_array_free_to_bytes (a);
}

/* ---- a raw HTTP responder ------------------------------------------------ */

struct _SdTestRaw
{
  GSocket       *listener;
  GCancellable  *cancellable;
  GThread       *thread;
  SdTestRawFunc  func;
  gpointer       user_data;
  char          *url;
  guint16        port;
};

/* Headers, then Content-Length bytes of body; FALSE when the client went. */
static gboolean
raw_read (GSocket *conn, GString *request, gsize *out_head)
{
  char buf[8192];
  const char *end = NULL;
  gsize want = 0;

  for (;;)
    {
      gssize n;

      if (end == NULL && (end = strstr (request->str, "\r\n\r\n")) != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (request->str, end - request->str);
          const char *cl = strstr (lower, "\r\ncontent-length:");

          *out_head = (gsize) (end - request->str) + 4;
          want = *out_head + (cl ? g_ascii_strtoull (cl + strlen ("\r\ncontent-length:"), NULL, 10) : 0);
        }
      if (end != NULL && request->len >= want)
        return TRUE;
      n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        return FALSE;
      g_string_append_len (request, buf, n);
    }
}

static void
raw_serve (SdTestRaw *raw, GSocket *conn)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  g_autofree char *head = NULL;
  g_autofree char *reply = NULL;
  gsize head_len = 0, sent = 0;

  if (!raw_read (conn, request, &head_len))
    return;
  head = g_strndup (request->str, head_len - 4);
  lines = g_strsplit (head, "\r\n", -1);
  first = g_strsplit (lines[0], " ", 3);
  for (guint i = 1; lines[i]; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon)
        g_hash_table_replace (headers, g_ascii_strdown (lines[i], colon - lines[i]),
                              g_strstrip (g_strdup (colon + 1)));
    }
  reply = raw->func (first[0], first[1] ? first[1] : "/", headers, request->str + head_len, raw->user_data);
  while (reply && sent < strlen (reply))
    {
      gssize n = g_socket_send (conn, reply + sent, strlen (reply) - sent, NULL, NULL);

      if (n <= 0)
        break;
      sent += (gsize) n;
    }
}

static gpointer
raw_thread (gpointer data)
{
  SdTestRaw *raw = data;

  for (;;)
    {
      g_autoptr(GSocket) conn = g_socket_accept (raw->listener, raw->cancellable, NULL);

      if (conn == NULL)
        return NULL;
      g_socket_set_blocking (conn, TRUE);
      raw_serve (raw, conn);
      g_socket_shutdown (conn, FALSE, TRUE, NULL);
      g_socket_close (conn, NULL);
    }
}

SdTestRaw *
sd_test_raw_start_on (guint16 port, SdTestRawFunc func, gpointer user_data)
{
  SdTestRaw *raw = g_new0 (SdTestRaw, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) want = g_inet_socket_address_new (lo, port);
  g_autoptr(GSocketAddress) bound = NULL;

  raw->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (raw->listener, want, TRUE, NULL));
  g_assert_true (g_socket_listen (raw->listener, NULL));
  bound = g_socket_get_local_address (raw->listener, NULL);
  raw->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  raw->url = g_strdup_printf ("http://127.0.0.1:%u", raw->port);
  raw->cancellable = g_cancellable_new ();
  raw->func = func;
  raw->user_data = user_data;
  raw->thread = g_thread_new ("raw-shop", raw_thread, raw);
  return raw;
}

SdTestRaw *
sd_test_raw_start (SdTestRawFunc func, gpointer user_data)
{
  return sd_test_raw_start_on (0, func, user_data);
}

const char *
sd_test_raw_get_url (SdTestRaw *raw)
{
  return raw->url;
}

guint16
sd_test_raw_get_port (SdTestRaw *raw)
{
  return raw->port;
}

void
sd_test_raw_stop (SdTestRaw *raw)
{
  g_cancellable_cancel (raw->cancellable);
  g_thread_join (raw->thread);
  g_socket_close (raw->listener, NULL);
  g_object_unref (raw->listener);
  g_object_unref (raw->cancellable);
  g_free (raw->url);
  g_free (raw);
}

char *
sd_test_raw_response (guint status, const char *extra_headers, const char *json)
{
  return g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
                          status, soup_status_get_phrase (status), strlen (json),
                          extra_headers ? extra_headers : "", json);
}
