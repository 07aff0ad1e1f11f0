/* sd-server-original-orders.c — orders as the original answers them
 * (sd-server-original.h): router/orderRouter.js and the order half of
 * router/adminRouter.js.
 *
 * Who owns an order here. The original's POST /orders has no auth
 * middleware (orderRouter.js:9), so a member's order gets no customerId
 * (orderController.js:14-15 reads req.userId, which nothing set) and
 * never shows in GET /orders. That is reproduced on the wire. But
 * [kept fix] reading, editing and cancelling are for the owner, the
 * guest with the key, or an admin, and the original would leave a
 * member no way to their own order: so a valid bearer on POST /orders
 * records the member as the order's owner, privately (our user_id
 * column, never answered). The member then reads, edits and cancels it
 * by id with their bearer, as a client of the original does with the
 * ids it remembers. Guests get no access key (the original has none),
 * so a guest order is read by an admin only, or, with --order-links, by
 * anyone who has its id (may_touch). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-order-read.h"
#include "sd-server-original.h"

#define EMPTY_LIST "해당 주문내역이 존재하지 않습니다"
#define NO_ORDER "해당 주문이 존재하지 않습니다"
#define NO_ORDER_TO_CHANGE "수정할 주문이 존재하지 않습니다"

/* An order as the original answers it (schema/order.js): no receiver or
 * orderNumber
 * (the schema has neither), no per-line price (ours), no
 * customerId when none was set, and an _id on each line (a subdocument's
 * own id; ours: derived from the order's id and the line's place, so it
 * is stable). */
static JsonNode *
as_original (JsonNode *order)
{
  JsonObject *o;
  JsonArray *lines;
  const char *customer;

  if (order == NULL)
    return NULL;
  o = json_node_get_object (order);
  json_object_remove_member (o, "receiver");
  json_object_remove_member (o, "orderNumber");   /* ours, [ext] */
  customer = json_object_get_string_member_with_default (o, "customerId", "");
  if (*customer == '\0')
    json_object_remove_member (o, "customerId");
  lines = json_object_get_array_member (o, "product");
  for (guint i = 0; lines && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      g_autofree char *seed = g_strdup_printf ("%s:%u", json_object_get_string_member (o, "_id"), i);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

      hash[24] = '\0';
      json_object_remove_member (line, "price");
      json_object_set_string_member (line, "_id", hash);
    }
  return order;
}

static void
reply_list (SdServerRequest *req, JsonNode *list, GError *error)
{
  if (list == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  /* An empty list is a 404 (orderService.js:52,65,78). */
  if (json_array_get_length (json_node_get_array (list)) == 0)
    {
      json_node_unref (list);
      return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, EMPTY_LIST);
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    as_original (json_array_get_element (json_node_get_array (list), i));
  sd_orig_reply (req, SOUP_STATUS_OK, list);
}

/* middleware/orderMiddleware.js:4-43, on POST, PUT and DELETE /orders
 * and POST /admin/orders: `status` and `product` must be truthy (400);
 * a status that is no string fails its .trim () (a TypeError: 500). So
 * a client must send the whole order back to change a memo or cancel. */
static gboolean
check_complete_order (SdServerRequest *req)
{
  JsonNode *status = json_object_get_member (json_node_get_object (req->body), "status");

  if (!sd_orig_truthy (req, "status"))
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "status는 필수값입니다."), FALSE;
  if (!JSON_NODE_HOLDS_VALUE (status) || json_node_get_value_type (status) != G_TYPE_STRING)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "status.trim is not a function"), FALSE;
  {
    g_autofree char *trimmed = g_strstrip (g_strdup (json_node_get_string (status)));
    if (*trimmed == '\0')
      return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "status는 필수값입니다."), FALSE;
  }
  if (!sd_orig_truthy (req, "product"))
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "product는 필수값입니다."), FALSE;
  return TRUE;
}

/* ---- what mongoose checks (schema/order.js) ------------------------------ */

static void
add_failure (GString *failed, const char *path, const char *why)
{
  g_string_append_printf (failed, "%s%s: %s", failed->len ? ", " : "", path, why);
}

static gboolean
is_string (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

/* The lines as schema/order.js:23-46 takes them: name, count and image
 * required (a missing or empty one fails the whole order: 500), id and
 * options cast to ObjectIds; `options` is the option SET's id
 * (product.options._id), never a value. Prices from our catalog
 * [kept fix: server-side totals]; NULL with failures noted or a reply. */
static GArray *
read_lines (SdServerRequest *req, JsonArray *array, GString *failed, gboolean priced)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (SdServerOrderLine));

  g_array_set_clear_func (lines, sd_server_order_line_clear);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : json_object_new ();
      JsonNode *id = json_object_get_member (o, "id"), *options = json_object_get_member (o, "options");
      JsonNode *name = json_object_get_member (o, "name"), *image = json_object_get_member (o, "image");
      g_autofree char *at = NULL;
      SdServerOrderLine line = { 0 };
      gint64 count = 0;

#define PATH(m) (g_free (at), at = g_strdup_printf ("product.%u.%s", i, m))
      if (!is_string (name) || *json_node_get_string (name) == '\0')
        add_failure (failed, PATH ("name"), "Path `name` is required.");
      if (!json_object_has_member (o, "count"))
        add_failure (failed, PATH ("count"), "Path `count` is required.");
      else if (!sd_json_integer (o, "count", &count) || count < 1)
        add_failure (failed, PATH ("count"), "Cast to Number failed");   /* [kept fix] at least one */
      if (!is_string (image) || *json_node_get_string (image) == '\0')
        add_failure (failed, PATH ("image"), "Path `image` is required.");
      if (id && !JSON_NODE_HOLDS_NULL (id) && (!is_string (id) || !sd_orig_is_object_id (json_node_get_string (id))))
        add_failure (failed, PATH ("id"), "Cast to ObjectId failed");
      if (options && !JSON_NODE_HOLDS_NULL (options) &&
          (!is_string (options) || !sd_orig_is_object_id (json_node_get_string (options))))
        {
          g_autofree char *m = g_strdup_printf ("Cast to ObjectId failed for value \"%s\" (type %s) at path \"options\"",
                                                is_string (options) ? json_node_get_string (options) : "…",
                                                is_string (options) ? "string" : "object");
          add_failure (failed, PATH ("options"), m);
        }
#undef PATH
      if (!JSON_NODE_HOLDS_OBJECT (e))
        json_object_unref (o);
      if (failed->len)
        continue;

      line.product_id = g_strdup (is_string (id) ? json_node_get_string (id) : "");
      if (priced || *line.product_id)
        {
          g_autoptr(GError) error = NULL;

          if (!sd_server_store_price_line (store, &line, &error) && priced)
            {
              sd_server_order_line_clear (&line);
              if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
                sd_orig_fail (req, SOUP_STATUS_CONFLICT, "A product of this order is no longer sold.");
              else
                sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
              return NULL;
            }
        }
      /* The line as the client wrote it, our price beside it. */
      g_free (line.name);
      line.name = g_strdup (json_node_get_string (name));
      g_free (line.image);
      line.image = g_strdup (json_node_get_string (image));
      line.count = count;
      line.stock = -1;
      if (is_string (options))
        line.options = json_to_string (options, FALSE);
      g_array_append_val (lines, line);
    }
  if (failed->len)
    return NULL;
  return g_steal_pointer (&lines);
}

static gboolean
valid_status (const char *status)
{
  SdOrderStatus st;

  /* The schema's six (schema/order.js:9-16); not ours, 주문 취소. */
  return status && sd_order_status_from_wire (status, &st) && st <= SD_ORDER_STATUS_CONFIRMED;
}

/* ---- creating ------------------------------------------------------- */

static void
create_order (SdServerRequest *req, gboolean admin)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  JsonObject *body = json_node_get_object (req->body), *payment;
  JsonNode *product = json_object_get_member (body, "product");
  g_autoptr(GString) failed = g_string_new (NULL);
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sd_server_store_new_id ();
  g_autofree char *customer = NULL;
  g_auto(SdServerIdempotencyRecord) record = { 0 };
  const char *status = sd_orig_string (req, "status");
  gint64 item = 0, delivery = sd_server_context_get_config (req->context)->delivery_fee, sent;
  guint short_line = 0;
  SdServerNewOrder new_order;
  SdOrderStatus st;

  if (!check_complete_order (req))
    return;
  /* orderService.js:11-17. */
  if (JSON_NODE_HOLDS_ARRAY (product) && json_array_get_length (json_node_get_array (product)) == 0)
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "상품 정보가 누락되었습니다.");
  if (!valid_status (status))
    {
      g_autofree char *m = g_strdup_printf ("`%s` is not a valid enum value for path `status`.", status);
      add_failure (failed, "status", m);
    }
  if (!JSON_NODE_HOLDS_ARRAY (product))
    add_failure (failed, "product", "Cast to Array failed");
  else
    lines = read_lines (req, json_node_get_array (product), failed, TRUE);
  payment = JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "payment"))
            ? json_object_get_object_member (body, "payment") : NULL;
  if (payment == NULL || !json_object_has_member (payment, "ttlPriceItem"))
    add_failure (failed, "payment.ttlPriceItem", "Path `ttlPriceItem` is required.");
  if (payment == NULL || !json_object_has_member (payment, "ttlPrice"))
    add_failure (failed, "payment.ttlPrice", "Path `ttlPrice` is required.");
  if (failed->len)
    {
      g_string_prepend (failed, "Order validation failed: ");
      return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, failed->str);
    }
  if (lines == NULL)
    return;   /* replied */

  /* [kept fix] a customer's order starts unpaid or paid. */
  sd_order_status_from_wire (status, &st);
  if (!admin && st != SD_ORDER_STATUS_AWAITING_PAYMENT && st != SD_ORDER_STATUS_PAID)
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "A new order is either awaiting payment or paid.");
  /* [kept fix] our totals, not the client's (the original stores its
   * payment as sent): 409 with the right figures. */
  for (guint i = 0; i < lines->len; i++)
    item += g_array_index (lines, SdServerOrderLine, i).price * g_array_index (lines, SdServerOrderLine, i).count;
  if (!sd_json_integer (payment, "ttlPriceItem", &sent) || sent != item ||
      !sd_json_integer (payment, "ttlPriceDelivery", &sent) || sent != delivery ||
      !sd_json_integer (payment, "ttlPrice", &sent) || sent != item + delivery)
    return sd_reply_error_data (req, SOUP_STATUS_CONFLICT,
                                "The prices have changed. Check the new total and order again.",
                                sd_server_order_payment_json (item, delivery, NULL));

  /* orderController.js:13-22: with an Authorization header the customer
   * is req.userId: the admin's on POST /admin/orders (its middleware
   * sets it), nothing on POST /orders (none does). Without one, a guest
   * id from the time and Math.random () (0-9999, not padded). */
  if (admin)
    customer = g_strdup (req->user_id);
  else if (sd_request_header (req, "Authorization"))
    customer = g_strdup ("");
  else
    customer = g_strdup_printf ("guest_%" G_GINT64_FORMAT "_%d", g_get_real_time () / 1000,
                                g_random_int_range (0, 10000));

  new_order = (SdServerNewOrder) {
    .id = id, .customer_id = customer, .user_id = admin ? NULL : req->user_id,
    .status = status, .memo = sd_orig_string (req, "memo"),
    .ttl_price_item = item, .ttl_price_delivery = delivery, .lines = lines,
  };
  if (!sd_server_store_create_order (store, &new_order, &record, &short_line, &error))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_CREATED, as_original (sd_server_store_get_order (store, id, NULL)));
}

static void
create_order_route (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_OPTIONAL))
    create_order (req, FALSE);
}

static void
admin_create_order_route (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_ADMIN))
    create_order (req, TRUE);
}

/* ---- one order ------------------------------------------------------- */

/* [kept fix] the owner (see the top), the guest with the key, or an
 * admin; the original lets anyone. To read (by_link given), with
 * --order-links, anyone who has the id of an order made with a random
 * id, as in the normal mode (sd_server_order_link_readable): that is
 * the original's open GET /orders/:id (orderRouter.js:13), made safe;
 * *by_link says so. */
static gboolean
may_touch (SdServerRequest *req, const char *id, SdOrderStatus *out_status, gboolean *by_link)
{
  g_auto(SdServerOrderOwner) owner = { 0 };
  const char *key = sd_request_query (req, "key");

  if (!sd_server_store_get_order_owner (sd_server_context_get_store (req->context), id, &owner, NULL))
    return FALSE;
  if (out_status)
    sd_order_status_from_wire (owner.status, out_status);
  if (req->is_admin || (req->user_id && g_strcmp0 (req->user_id, owner.user_id) == 0))
    return TRUE;
  if (key && owner.access_key_hash)
    {
      g_autofree char *hash = sd_server_secrets_hmac (sd_server_context_get_secrets (req->context), SD_SECRET_ORDER_KEYS, key);
      if (sd_str_equal_secret (hash, owner.access_key_hash))
        return TRUE;
    }
  if (by_link && sd_server_order_link_readable (req, &owner))
    return *by_link = TRUE;
  if (req->user_id == NULL)
    sd_orig_fail (req, SOUP_STATUS_UNAUTHORIZED, "Sign in as the customer of this order.");
  else
    sd_orig_fail (req, SOUP_STATUS_FORBIDDEN, "This order is not yours.");
  return FALSE;
}

static gboolean
changeable (SdServerRequest *req, SdOrderStatus status)
{
  /* [kept fix] a customer changes or cancels an order only before it
   * is prepared. */
  if (req->is_admin || status == SD_ORDER_STATUS_AWAITING_PAYMENT || status == SD_ORDER_STATUS_PAID)
    return TRUE;
  sd_orig_fail (req, SOUP_STATUS_CONFLICT, "This order is being prepared or shipped and can no longer be changed.");
  return FALSE;
}

/* orderService.js:30-46: an id that is no ObjectId is a 400 here (the
 * one route that checks), an unknown one 404. */
static void
get_order (SdServerRequest *req)
{
  g_autoptr(JsonNode) order = NULL;
  gboolean by_link = FALSE;

  if (!sd_orig_begin (req, SD_ORIG_OPTIONAL))
    return;
  if (!sd_orig_is_object_id (req->params[0]))
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "유효하지 않은 주문 ID입니다.");
  order = sd_server_store_get_order (sd_server_context_get_store (req->context), req->params[0], NULL);
  if (order == NULL)
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, NO_ORDER);
  if (!may_touch (req, req->params[0], NULL, &by_link))
    return;
  if (by_link)
    sd_server_order_link_reply (req, order);
  sd_orig_reply (req, SOUP_STATUS_OK, as_original (g_steal_pointer (&order)));
}

/* The order's id on PUT and DELETE: no ObjectId is a CastError (500),
 * unknown 404 with the route's own text. */
static gboolean
find_order (SdServerRequest *req, const char *missing)
{
  g_autoptr(JsonNode) order = NULL;

  if (!sd_orig_is_object_id (req->params[0]))
    return sd_orig_fail_cast (req, req->params[0], "_id", "Order"), FALSE;
  order = sd_server_store_get_order (sd_server_context_get_store (req->context), req->params[0], NULL);
  if (order == NULL)
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, missing), FALSE;
  return TRUE;
}

/* PUT /orders/:id (orderController.js:87-102) writes status,
 * customerId, product, memo and payment as sent. [kept fix] the owner's
 * PUT writes the memo only; the rest, sent back as the middleware
 * demands, is ignored. */
static void
edit_order (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GError) error = NULL;
  SdServerOrderChanges changes = { .ttl_price_item = -1, .ttl_price_delivery = -1, .ttl_price = -1 };
  SdOrderStatus status;

  if (!sd_orig_begin (req, SD_ORIG_OPTIONAL) || !check_complete_order (req) ||
      !find_order (req, NO_ORDER_TO_CHANGE) || !may_touch (req, req->params[0], &status, NULL) ||
      !changeable (req, status))
    return;
  changes.memo = sd_orig_string (req, "memo");
  if (!sd_server_store_update_order (store, req->params[0], &changes, &error))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, as_original (sd_server_store_get_order (store, req->params[0], NULL)));
}

/* DELETE /orders/:id deletes the order (orderService.js:108-118); 204. */
static void
delete_order (SdServerRequest *req, gboolean admin)
{
  g_autoptr(GError) error = NULL;
  SdOrderStatus status;

  if (!find_order (req, NO_ORDER))
    return;
  if (!admin && (!may_touch (req, req->params[0], &status, NULL) || !changeable (req, status)))
    return;
  if (!sd_server_store_delete_order (sd_server_context_get_store (req->context), req->params[0], !admin, &error) &&
      !g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
}

static void
cancel_order_route (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_OPTIONAL) && check_complete_order (req))
    delete_order (req, FALSE);
}

static void
admin_delete_order_route (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_ADMIN))
    delete_order (req, TRUE);
}

/* PUT /admin/orders/:id (adminRouter.js:40-45, no order middleware):
 * what is sent is written, with the schema's validators (500). */
static void
admin_edit_order (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  JsonObject *body;
  JsonNode *product, *payment_node;
  g_autoptr(GString) failed = g_string_new (NULL);
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  SdServerOrderChanges changes = { .ttl_price_item = -1, .ttl_price_delivery = -1, .ttl_price = -1 };

  if (!sd_orig_begin (req, SD_ORIG_ADMIN) || !find_order (req, NO_ORDER_TO_CHANGE))
    return;
  body = json_node_get_object (req->body);
  changes.status = sd_orig_string (req, "status");
  if (json_object_has_member (body, "status") && !valid_status (changes.status))
    {
      g_autofree char *m = g_strdup_printf ("`%s` is not a valid enum value for path `status`.",
                                            changes.status ? changes.status : "");
      add_failure (failed, "status", m);
    }
  changes.customer_id = sd_orig_string (req, "customerId");
  changes.memo = sd_orig_string (req, "memo");
  product = json_object_get_member (body, "product");
  if (product && JSON_NODE_HOLDS_ARRAY (product))
    lines = read_lines (req, json_node_get_array (product), failed, FALSE);
  else if (product && !JSON_NODE_HOLDS_NULL (product))
    add_failure (failed, "product", "Cast to Array failed");
  payment_node = json_object_get_member (body, "payment");
  if (payment_node && JSON_NODE_HOLDS_OBJECT (payment_node))
    {
      JsonObject *p = json_node_get_object (payment_node);

      if (!sd_json_integer (p, "ttlPriceItem", &changes.ttl_price_item))
        add_failure (failed, "payment.ttlPriceItem", "Path `ttlPriceItem` is required.");
      if (!sd_json_integer (p, "ttlPrice", &changes.ttl_price))
        add_failure (failed, "payment.ttlPrice", "Path `ttlPrice` is required.");
      if (!sd_json_integer (p, "ttlPriceDelivery", &changes.ttl_price_delivery))
        changes.ttl_price_delivery = 0;   /* the schema's default */
    }
  if (failed->len)
    {
      g_string_prepend (failed, "Validation failed: ");
      return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, failed->str);
    }
  changes.lines = lines;
  if (!sd_server_store_update_order (store, req->params[0], &changes, &error))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, as_original (sd_server_store_get_order (store, req->params[0], NULL)));
}

/* ---- lists ---------------------------------------------------------- */

/* GET /orders: the orders whose customerId is the caller's
 * (orderDAO.js:22-27), which a member's own checkout never sets. */
static void
my_orders (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *list;

  if (!sd_orig_begin (req, SD_ORIG_USER))
    return;
  list = sd_server_store_list_customer_orders (sd_server_context_get_store (req->context), req->user_id, &error);
  reply_list (req, list, error);
}

/* Every order, oldest first, whatever the query (orderDAO.js:16-19);
 * /status filters by ?status=, and without one it is every order too
 * (mongoose drops the undefined filter, orderController.js:79). */
static void
admin_list (SdServerRequest *req, const char *status)
{
  SdServerOrderQuery query = { .status = status, .sort = SD_SERVER_ORDER_SORT_OLDEST, .limit = G_MAXINT32 };
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  reply_list (req, sd_server_store_list_orders (sd_server_context_get_store (req->context), &query, &total, &error), error);
}

static void
admin_orders (SdServerRequest *req)
{
  if (sd_orig_begin (req, SD_ORIG_ADMIN))
    admin_list (req, NULL);
}

static void
admin_orders_by_status (SdServerRequest *req)
{
  const char *status;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN))
    return;
  status = sd_request_query (req, "status");
  admin_list (req, status && *status ? status : NULL);
}

const SdRoute sd_server_original_order_routes[] = {
  SD_ORIG_ROUTE ("POST", SD_PATH_ORDERS, create_order_route),
  SD_ORIG_ROUTE ("GET", SD_PATH_ORDERS, my_orders),
  SD_ORIG_ROUTE ("GET", SD_PATH_ORDERS "/:id", get_order),
  SD_ORIG_ROUTE ("PUT", SD_PATH_ORDERS "/:id", edit_order),
  SD_ORIG_ROUTE ("DELETE", SD_PATH_ORDERS "/:id", cancel_order_route),
  SD_ORIG_ROUTE ("GET", SD_PATH_ADMIN_ORDERS, admin_orders),
  SD_ORIG_ROUTE ("GET", SD_PATH_ADMIN_ORDERS_STATUS, admin_orders_by_status),
  SD_ORIG_ROUTE ("POST", SD_PATH_ADMIN_ORDERS, admin_create_order_route),
  SD_ORIG_ROUTE ("PUT", SD_PATH_ADMIN_ORDERS "/:id", admin_edit_order),
  SD_ORIG_ROUTE ("DELETE", SD_PATH_ADMIN_ORDERS "/:id", admin_delete_order_route),
  { NULL }
};
