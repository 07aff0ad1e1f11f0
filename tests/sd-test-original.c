/* sd-test-original.c — the original's routes that `storedesk-server
 * --no-extensions` does not reproduce yet (see sd-test-original.h).
 *
 * Paths in comments are in HoneyTouse_BE's src/ at a66b00e. Every route
 * answered here should move to the real server once --no-extensions is
 * faithful for it (issue 15, "Deliver" 1); the front then shrinks to a
 * plain forwarder and goes. What is answered here:
 *   - orders, all of them (option ids, no customerId for members, no
 *     accessKey, receiver dropped, 404 empty lists, the memo/cancel body
 *     rule, DELETE deletes);
 *   - product writes (options required, options answered as an id,
 *     values never changed by PUT, image required on create);
 *   - unknown product and category ids (200, data null);
 *   - GET /categories ignores ?name=. */
#include "sd-test-original.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

typedef struct {
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupSession  *session;    /* the front's thread only */
  char         *upstream;
  char         *url;
  GMutex        lock;
  GCond         cond;
  GPtrArray    *orders;     /* JsonObject, under lock */
} Front;

static GHashTable *fronts;   /* SdTestServer → Front */

/* ---- replies ----------------------------------------------------------- */

static void
reply (SoupServerMessage *msg, guint status, JsonNode *data, const char *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  /* app.js:102: {data, error}; AppError's message (misc/AppError.js). */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  if (error)
    json_builder_add_string_value (b, error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "data");
  if (data)
    json_builder_add_value (b, json_node_copy (data));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY, text, strlen (text));
}

static JsonObject *
body_object (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : json_object_new ();
}

/* ---- forwarding -------------------------------------------------------- */

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *root;
} Upstream;

static void
upstream_free (Upstream *u)
{
  g_clear_pointer (&u->headers, soup_message_headers_unref);
  g_clear_pointer (&u->body, g_bytes_unref);
  g_clear_pointer (&u->root, json_node_unref);
  g_free (u);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Upstream, upstream_free)

/* Sends method path_and_query upstream with msg's headers and body (or
 * json instead, when given). */
static Upstream *
send_upstream (Front *front, SoupServerMessage *msg, const char *method, const char *path_and_query,
               JsonNode *json)
{
  g_autofree char *url = g_strconcat (front->upstream, path_and_query, NULL);
  g_autoptr(SoupMessage) out = soup_message_new (method, url);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Upstream *u = g_new0 (Upstream, 1);

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Host") != 0 && g_ascii_strcasecmp (name, "Content-Length") != 0 &&
        g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Accept-Encoding") != 0)
      soup_message_headers_append (soup_message_get_request_headers (out), name, value);
  if (json)
    {
      g_autofree char *text = json_to_string (json, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      soup_message_set_request_body_from_bytes (out, "application/json", bytes);
    }
  else if (g_strcmp0 (method, soup_server_message_get_method (msg)) == 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      if (g_bytes_get_size (bytes) > 0)
        soup_message_set_request_body_from_bytes (out, soup_message_headers_get_content_type (
                                                    soup_server_message_get_request_headers (msg), NULL), bytes);
    }
  u->body = soup_session_send_and_read (front->session, out, NULL, &error);
  if (u->body == NULL)
    u->body = g_bytes_new (NULL, 0);
  u->status = error ? SOUP_STATUS_BAD_GATEWAY : soup_message_get_status (out);
  u->headers = soup_message_headers_ref (soup_message_get_response_headers (out));
  if (g_bytes_get_size (u->body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (u->body, NULL), g_bytes_get_size (u->body), NULL))
    u->root = json_node_ref (json_parser_get_root (parser));
  return u;
}

static void
pass_back (SoupServerMessage *msg, Upstream *u)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, u->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
        g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Content-Encoding") != 0 &&
        g_ascii_strcasecmp (name, "Content-Type") != 0 && g_ascii_strcasecmp (name, "Date") != 0)
      soup_message_headers_append (soup_server_message_get_response_headers (msg), name, value);
  soup_server_message_set_status (msg, u->status, NULL);
  if (g_bytes_get_size (u->body) > 0)
    soup_server_message_set_response (msg, soup_message_headers_get_content_type (u->headers, NULL),
                                      SOUP_MEMORY_COPY, g_bytes_get_data (u->body, NULL),
                                      g_bytes_get_size (u->body));
}

static JsonNode *
upstream_data (Upstream *u)
{
  if (u->root && JSON_NODE_HOLDS_OBJECT (u->root))
    return json_object_get_member (json_node_get_object (u->root), "data");
  return NULL;
}

/* checkAuthentication (middleware/loginMiddleware.js): 401 without a
 * token, 403 for a customer on an admin route; the user's id. The
 * token's user is asked of the server wrapped. */
static char *
authenticate (Front *front, SoupServerMessage *msg, gboolean admin)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(Upstream) me = NULL;
  JsonNode *data;
  g_auto(GStrv) parts = NULL;
  g_autofree guchar *payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *b64 = NULL;
  gsize len = 0;
  const char *role;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    {
      reply (msg, 401, NULL, "엑세스 토큰이 없습니다.");
      return NULL;
    }
  me = send_upstream (front, msg, "GET", "/api/v1/auth/me", NULL);
  data = upstream_data (me);
  if (me->status != 200 || data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      reply (msg, 401, NULL, "유효하지 않은 토큰입니다.");
      return NULL;
    }
  role = json_object_get_string_member_with_default (json_node_get_object (data), "role", "user");
  if (admin && g_strcmp0 (role, "admin") != 0)
    {
      reply (msg, 403, NULL, "관리자 권한이 없습니다.");
      return NULL;
    }
  parts = g_strsplit (auth + strlen ("Bearer "), ".", 3);
  b64 = g_strdup (g_strv_length (parts) == 3 ? parts[1] : "");
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  while (strlen (b64) % 4)
    {
      char *padded = g_strconcat (b64, "=", NULL);
      g_free (b64);
      b64 = padded;
    }
  payload = g_base64_decode (b64, &len);
  if (len == 0 || !json_parser_load_from_data (parser, (const char *) payload, len, NULL))
    return g_strdup ("");
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                               "id", ""));
}

/* ---- orders ------------------------------------------------------------ */

static gboolean
is_object_id (const char *s)
{
  if (s == NULL || strlen (s) != 24)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static char *
new_object_id (void)
{
  return g_strdup_printf ("%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *s = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", s, g_date_time_get_microsecond (now) / 1000);
}

static gboolean
is_status (const char *s)
{
  static const char * const statuses[] = { "입금 대기", "결제 완료", "배송 준비", "배송 중", "배송 완료", "구매 확정" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (s, statuses[i]) == 0)
      return TRUE;
  return FALSE;
}

/* schema/order.js, as mongoose casts and validates it on save or on an
 * update with runValidators: the error text of a 500, or NULL. Builds
 * the stored lines (each with its own _id) into *out_lines. */
static char *
check_lines (JsonNode *product, JsonArray **out_lines)
{
  JsonArray *in;
  g_autoptr(JsonArray) lines = json_array_new ();

  if (!JSON_NODE_HOLDS_ARRAY (product))
    return g_strdup ("Order validation failed: product: Cast to Array failed");
  in = json_node_get_array (product);
  for (guint i = 0; i < json_array_get_length (in); i++)
    {
      JsonNode *e = json_array_get_element (in, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      JsonObject *line;
      JsonNode *opt, *id;
      g_autofree char *line_id = NULL;

      if (o == NULL)
        return g_strdup_printf ("Order validation failed: product.%u: Cast to Embedded failed", i);
      id = json_object_get_member (o, "id");
      opt = json_object_get_member (o, "options");
      /* options: ObjectId ref Option (schema/order.js:41): a value is a CastError. */
      if (opt && !JSON_NODE_HOLDS_NULL (opt) &&
          (!JSON_NODE_HOLDS_VALUE (opt) || !is_object_id (json_node_get_string (opt))))
        return g_strdup_printf ("Order validation failed: product.%u.options: Cast to ObjectId failed for value "
                                "\"%s\" (type string) at path \"options\"", i,
                                JSON_NODE_HOLDS_VALUE (opt) ? json_node_get_string (opt) : "[object]");
      if (id && !JSON_NODE_HOLDS_NULL (id) && (!JSON_NODE_HOLDS_VALUE (id) || !is_object_id (json_node_get_string (id))))
        return g_strdup_printf ("Order validation failed: product.%u.id: Cast to ObjectId failed", i);
      /* name, count and image are required (schema/order.js:29-40). */
      if (!json_object_has_member (o, "name") || !*json_object_get_string_member_with_default (o, "name", ""))
        return g_strdup_printf ("Order validation failed: product.%u.name: Path `name` is required.", i);
      if (!json_object_has_member (o, "count"))
        return g_strdup_printf ("Order validation failed: product.%u.count: Path `count` is required.", i);
      if (!*json_object_get_string_member_with_default (o, "image", ""))
        return g_strdup_printf ("Order validation failed: product.%u.image: Path `image` is required.", i);
      line = json_object_new ();
      if (id && !JSON_NODE_HOLDS_NULL (id))
        json_object_set_string_member (line, "id", json_node_get_string (id));
      json_object_set_string_member (line, "name", json_object_get_string_member (o, "name"));
      json_object_set_int_member (line, "count", json_object_get_int_member (o, "count"));
      json_object_set_string_member (line, "image", json_object_get_string_member (o, "image"));
      if (opt && !JSON_NODE_HOLDS_NULL (opt))
        json_object_set_string_member (line, "options", json_node_get_string (opt));
      line_id = new_object_id ();
      json_object_set_string_member (line, "_id", line_id);
      json_array_add_object_element (lines, line);
    }
  *out_lines = json_array_ref (lines);
  return NULL;
}

/* The lookups below hold front->lock. */
static guint
find_order (Front *front, const char *id)
{
  for (guint i = 0; i < front->orders->len; i++)
    if (g_strcmp0 (json_object_get_string_member (front->orders->pdata[i], "_id"), id) == 0)
      return i;
  return G_MAXUINT;
}

/* A node holding (a reference to) o. */
static JsonNode *
object_node (JsonObject *o)
{
  return json_node_init_object (json_node_alloc (), o);
}

/* POST /orders: no auth middleware (router/orderRouter.js:9), so a
 * member's order gets no customerId (controller/orderController.js:14-15:
 * req.userId is undefined there); a guest's is guest_<ms>_<n> (:18-21).
 * Only status, product, customerId, memo and payment are kept (:10,
 * orderDAO.js:4-5): the receiver is dropped, no accessKey. */
static void
create_order (Front *front, SoupServerMessage *msg, gboolean admin)
{
  g_autoptr(JsonObject) body = body_object (msg);
  g_autoptr(JsonArray) lines = NULL;
  g_autofree char *error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *id = new_object_id ();
  g_autofree char *now = now_iso ();
  const char *status = json_object_get_string_member_with_default (body, "status", "");
  JsonNode *product = json_object_get_member (body, "product");
  JsonNode *payment = json_object_get_member (body, "payment");
  JsonObject *order, *pay;
  g_autoptr(JsonNode) node = NULL;

  if (admin && (user = authenticate (front, msg, TRUE)) == NULL)
    return;
  /* middleware/orderMiddleware.js:8,32 */
  if (!*status || strspn (status, " \t\n") == strlen (status))
    return reply (msg, 400, NULL, "status는 필수값입니다.");
  if (product == NULL || JSON_NODE_HOLDS_NULL (product))
    return reply (msg, 400, NULL, "product는 필수값입니다.");
  /* service/orderService.js:11 */
  if (JSON_NODE_HOLDS_ARRAY (product) && json_array_get_length (json_node_get_array (product)) == 0)
    return reply (msg, 400, NULL, "상품 정보가 누락되었습니다.");
  if (!is_status (status))
    return reply (msg, 500, NULL, "Order validation failed: status: `status` is not a valid enum value for path `status`.");
  if ((error = check_lines (product, &lines)) != NULL)
    return reply (msg, 500, NULL, error);
  if (payment == NULL || !JSON_NODE_HOLDS_OBJECT (payment) ||
      !json_object_has_member (json_node_get_object (payment), "ttlPriceItem") ||
      !json_object_has_member (json_node_get_object (payment), "ttlPrice"))
    return reply (msg, 500, NULL, "Order validation failed: payment.ttlPrice: Path `payment.ttlPrice` is required.");

  order = json_object_new ();
  json_object_set_string_member (order, "status", status);
  if (admin)
    json_object_set_string_member (order, "customerId", user);
  else if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization") == NULL)
    {
      g_autofree char *guest = g_strdup_printf ("guest_%" G_GINT64_FORMAT "_%u", g_get_real_time () / 1000,
                                                g_random_int_range (0, 10000));
      json_object_set_string_member (order, "customerId", guest);
    }
  json_object_set_array_member (order, "product", g_steal_pointer (&lines));
  if (json_object_has_member (body, "memo"))
    json_object_set_string_member (order, "memo", json_object_get_string_member (body, "memo"));
  pay = json_object_new ();
  json_object_set_int_member (pay, "ttlPriceItem", json_object_get_int_member (json_node_get_object (payment), "ttlPriceItem"));
  json_object_set_int_member (pay, "ttlPriceDelivery",
                              json_object_get_int_member_with_default (json_node_get_object (payment), "ttlPriceDelivery", 0));
  json_object_set_int_member (pay, "ttlPrice", json_object_get_int_member (json_node_get_object (payment), "ttlPrice"));
  json_object_set_object_member (order, "payment", pay);
  json_object_set_string_member (order, "_id", id);
  json_object_set_string_member (order, "createdAt", now);
  json_object_set_string_member (order, "updatedAt", now);
  node = object_node (order);
  g_mutex_lock (&front->lock);
  g_ptr_array_add (front->orders, order);   /* the store's; node holds its own */
  g_mutex_unlock (&front->lock);
  reply (msg, 201, node, NULL);
}

/* GET /orders/:id: open to anyone (router/orderRouter.js:13); a malformed
 * id is 400, an unknown one 404 (service/orderService.js:31-45). */
static void
get_order (Front *front, SoupServerMessage *msg, const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  guint i;

  if (!is_object_id (id))
    return reply (msg, 400, NULL, "유효하지 않은 주문 ID입니다.");
  g_mutex_lock (&front->lock);
  i = find_order (front, id);
  if (i != G_MAXUINT)
    node = object_node (front->orders->pdata[i]);
  g_mutex_unlock (&front->lock);
  if (node == NULL)
    return reply (msg, 404, NULL, "해당 주문이 존재하지 않습니다");
  reply (msg, 200, node, NULL);
}

/* middleware/orderMiddleware.js:8,32, on the customers' PUT and DELETE. */
static gboolean
has_status_and_product (SoupServerMessage *msg, JsonObject *body)
{
  if (!*json_object_get_string_member_with_default (body, "status", ""))
    return reply (msg, 400, NULL, "status는 필수값입니다."), FALSE;
  if (!json_object_has_member (body, "product"))
    return reply (msg, 400, NULL, "product는 필수값입니다."), FALSE;
  return TRUE;
}

/* PUT /orders/:id and /admin/orders/:id: the customers' route has the
 * middleware that wants status and product (orderRouter.js:21,
 * orderMiddleware.js:8,32), the admin's has it commented out
 * (adminRouter.js:43). Whatever of status, customerId, product, memo and
 * payment is given is written (orderController.js:90, orderDAO.js:37). */
static void
put_order (Front *front, SoupServerMessage *msg, const char *id, gboolean admin)
{
  g_autoptr(JsonObject) body = body_object (msg);
  g_autoptr(JsonArray) lines = NULL;
  g_autofree char *error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *now = now_iso ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *order;
  guint i;

  if (admin && (user = authenticate (front, msg, TRUE)) == NULL)
    return;
  if (!admin && !has_status_and_product (msg, body))
    return;
  if (json_object_has_member (body, "status") && !is_status (json_object_get_string_member (body, "status")))
    return reply (msg, 500, NULL, "Validation failed: status: `status` is not a valid enum value for path `status`.");
  if (json_object_has_member (body, "product") &&
      (error = check_lines (json_object_get_member (body, "product"), &lines)) != NULL)
    return reply (msg, 500, NULL, error);
  g_mutex_lock (&front->lock);
  i = find_order (front, id);
  if (i != G_MAXUINT)
    {
      static const char * const members[] = { "status", "customerId", "memo", "payment" };

      order = front->orders->pdata[i];
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        if (json_object_has_member (body, members[m]))
          json_object_set_member (order, members[m], json_node_copy (json_object_get_member (body, members[m])));
      if (lines)
        json_object_set_array_member (order, "product", json_array_ref (lines));
      json_object_set_string_member (order, "updatedAt", now);
      node = object_node (order);
    }
  g_mutex_unlock (&front->lock);
  if (node == NULL)
    return reply (msg, 404, NULL, "수정할 주문이 존재하지 않습니다");
  reply (msg, 200, node, NULL);
}

/* DELETE /orders/:id deletes it (orderService.js:108, orderDAO.js:56),
 * after the same middleware as PUT (orderRouter.js:25); 204, no body. */
static void
delete_order (Front *front, SoupServerMessage *msg, const char *id, gboolean admin)
{
  g_autoptr(JsonObject) body = body_object (msg);
  g_autofree char *user = NULL;
  guint i;

  if (admin && (user = authenticate (front, msg, TRUE)) == NULL)
    return;
  if (!admin && !has_status_and_product (msg, body))
    return;
  g_mutex_lock (&front->lock);
  i = find_order (front, id);
  if (i != G_MAXUINT)
    g_ptr_array_remove_index (front->orders, i);
  g_mutex_unlock (&front->lock);
  if (i == G_MAXUINT)
    return reply (msg, 404, NULL, "해당 주문이 존재하지 않습니다");
  soup_server_message_set_status (msg, 204, NULL);
}

/* GET /orders (the caller's: customerId is the token's id), GET
 * /admin/orders (all; any query ignored, orderController.js:62) and
 * /admin/orders/status?status= : oldest first; none at all is 404
 * (orderService.js:52,65,78). */
static void
list_orders (Front *front, SoupServerMessage *msg, const char *customer, const char *status)
{
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  g_mutex_lock (&front->lock);
  for (guint i = 0; i < front->orders->len; i++)
    {
      JsonObject *o = front->orders->pdata[i];

      if (customer && g_strcmp0 (json_object_get_string_member_with_default (o, "customerId", ""), customer) != 0)
        continue;
      if (status && g_strcmp0 (json_object_get_string_member (o, "status"), status) != 0)
        continue;
      json_array_add_object_element (list, json_object_ref (o));
    }
  g_mutex_unlock (&front->lock);
  if (json_array_get_length (list) == 0)
    return reply (msg, 404, NULL, "해당 주문내역이 존재하지 않습니다");
  node = json_node_init_array (json_node_alloc (), list);
  reply (msg, 200, node, NULL);
}

/* ---- catalog ----------------------------------------------------------- */

/* GET /products/:id, /categories/:id: an unknown id is 200 with data null
 * (productService.js:83, categoryService.js:16). */
static void
get_or_null (Front *front, SoupServerMessage *msg, const char *path)
{
  g_autoptr(Upstream) u = send_upstream (front, msg, "GET", path, NULL);

  if (u->status == 404)
    return reply (msg, 200, NULL, NULL);
  pass_back (msg, u);
}

/* ---- routing ----------------------------------------------------------- */

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  Front *front = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);   /* "", "api", "v1", … */
  guint n = g_strv_length (parts);
  gboolean get = g_str_equal (method, "GET"), put = g_str_equal (method, "PUT");
  gboolean post = g_str_equal (method, "POST"), del = g_str_equal (method, "DELETE");
  g_autofree char *path_and_query = NULL;
  g_autoptr(Upstream) u = NULL;

  if (n >= 4 && g_str_equal (parts[1], "api") && g_str_equal (parts[2], "v1"))
    {
      const char *area = parts[3];

      if (g_str_equal (area, "orders"))
        {
          g_autofree char *user = NULL;

          if (n == 4 && post)
            return create_order (front, msg, FALSE);
          if (n == 4 && get)
            {
              /* orderRouter.js:17: checkAuthentication() first. */
              if ((user = authenticate (front, msg, FALSE)) == NULL)
                return;
              return list_orders (front, msg, user, NULL);
            }
          if (n == 5 && get)
            return get_order (front, msg, parts[4]);
          if (n == 5 && put)
            return put_order (front, msg, parts[4], FALSE);
          if (n == 5 && del)
            return delete_order (front, msg, parts[4], FALSE);
        }
      if (g_str_equal (area, "admin") && n >= 5 && g_str_equal (parts[4], "orders"))
        {
          g_autofree char *user = NULL;

          if (n == 5 && post)
            return create_order (front, msg, TRUE);
          if (n == 5 && get)
            {
              if ((user = authenticate (front, msg, TRUE)) == NULL)
                return;
              return list_orders (front, msg, NULL, NULL);
            }
          if (n == 6 && get && g_str_equal (parts[5], "status"))
            {
              if ((user = authenticate (front, msg, TRUE)) == NULL)
                return;
              return list_orders (front, msg, NULL, query ? g_hash_table_lookup (query, "status") : NULL);
            }
          if (n == 6 && put)
            return put_order (front, msg, parts[5], TRUE);
          if (n == 6 && del)
            return delete_order (front, msg, parts[5], TRUE);
        }
      /* POST and PUT /admin/products: --no-extensions is faithful there
       * (sd-server-original-catalog.c), so they go straight through. */
      if ((g_str_equal (area, "products") || g_str_equal (area, "categories")) && n == 5 && get)
        return get_or_null (front, msg, path);
      /* categoryController.js:27: ?name= is read and never used. */
      if (g_str_equal (area, "categories") && n == 4 && get)
        raw_query = NULL;
    }
  path_and_query = raw_query ? g_strconcat (path, "?", raw_query, NULL) : g_strdup (path);
  u = send_upstream (front, msg, method, path_and_query, NULL);
  pass_back (msg, u);
}

/* ---- the thread -------------------------------------------------------- */

static gpointer
front_thread (gpointer user_data)
{
  Front *front = user_data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (front->context);
  front->session = soup_session_new_with_options ("timeout", 60, NULL);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handle, front, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&front->lock);
  front->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&front->cond);
  g_mutex_unlock (&front->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (front->loop);
  soup_server_disconnect (server);
  g_clear_object (&front->session);
  g_main_context_pop_thread_default (front->context);
  return NULL;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
is_front (gpointer key, gpointer value, gpointer front)
{
  return value == front;
}

static void
front_stop (gpointer user_data, GObject *where_the_server_was)
{
  Front *front = user_data;

  g_main_context_invoke (front->context, quit_cb, front->loop);
  g_thread_join (front->thread);
  g_main_loop_unref (front->loop);
  g_main_context_unref (front->context);
  g_ptr_array_unref (front->orders);
  g_free (front->upstream);
  g_free (front->url);
  g_mutex_clear (&front->lock);
  g_cond_clear (&front->cond);
  g_hash_table_foreach_remove (fronts, is_front, front);
  g_free (front);
}

SdTestServer *
sd_test_server_start_mode (SdTestMode mode)
{
  static const char * const no_extensions[] = { "--no-extensions", NULL };
  SdTestServer *server;
  Front *front;

  if (mode == SD_TEST_OURS)
    return sd_test_server_start (TRUE);
  server = sd_test_server_start_with (TRUE, no_extensions);
  front = g_new0 (Front, 1);
  front->upstream = g_strdup (server->url);
  front->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  front->context = g_main_context_new ();
  front->loop = g_main_loop_new (front->context, FALSE);
  g_mutex_init (&front->lock);
  g_cond_init (&front->cond);
  g_mutex_lock (&front->lock);
  front->thread = g_thread_new ("original-front", front_thread, front);
  while (front->url == NULL)
    g_cond_wait (&front->cond, &front->lock);
  g_mutex_unlock (&front->lock);
  g_free (server->url);
  server->url = g_strdup (front->url);
  if (fronts == NULL)
    fronts = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_hash_table_insert (fronts, server, front);
  /* Stops with the server (SdTestServer owns its SdLocalServer). */
  g_object_weak_ref (G_OBJECT (server->server), front_stop, front);
  return server;
}

char *
sd_test_mode_path (const char *path, SdTestMode mode)
{
  return mode == SD_TEST_OURS ? g_strdup (path) : g_strconcat (path, "/original", NULL);
}

guint
sd_test_original_n_orders (SdTestServer *server)
{
  Front *front = fronts ? g_hash_table_lookup (fronts, server) : NULL;
  guint n;

  g_assert_nonnull (front);
  g_mutex_lock (&front->lock);
  n = front->orders->len;
  g_mutex_unlock (&front->lock);
  return n;
}
