/* sd-server-orders.c — orders once made (shared/API.md, orders): read,
 * changed and cancelled by their owner, a guest with the order's key, or
 * staff; the lists; and the table of every order route, whose checkout
 * lives in sd-server-orders-checkout.c. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-conditional.h"
#include "sd-server-order-link.h"
#include "sd-server-order-read.h"
#include "sd-server-orders.h"
#include "sd-server-paging.h"
#include "sd-server-routes.h"

/* ---- reading and changing one order --------------------------------- */

typedef struct {
  char          *user_id;
  char          *key_hash;
  SdOrderStatus  status;
  gboolean       by_link;   /* read by its id alone (--order-links) */
} OrderAccess;

static void
order_access_clear (OrderAccess *a)
{
  g_free (a->user_id);
  g_free (a->key_hash);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrderAccess, order_access_clear)

/* [ext] "orderNumber": the order's number stands for its id in
 * /orders/:id, as the customer has it (a guest finds the order by the
 * number and the key the checkout showed). Rewrites the route's :id to
 * the order's id; FALSE, answered, when no order has that number. */
static gboolean
resolve_order_number (SdServerRequest *req, gboolean *by_number)
{
  g_autoptr(GError) error = NULL;
  char *id;

  if (!sd_server_is_order_number (req->params[0]))
    return TRUE;
  id = sd_server_store_find_order_number (sd_request_store (req), req->params[0], &error);
  if (id == NULL)
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such order."), FALSE;
      return sd_reply_internal (req, error), FALSE;
    }
  g_free (req->params[0]);
  req->params[0] = id;
  *by_number = TRUE;
  return TRUE;
}

/* [fix] the owner, an admin, or a guest with the order's key; anyone else
 * is refused (401 without credentials, 403 with the wrong ones).
 * [ext] --order-links: to read (link), anyone with the id of an order
 * whose id is 96 random bits (sd_server_store_new_id), as the original
 * web front end reads orders (order-detail.js:23, checkout-result.js:88);
 * a.by_link says so. Orders from before such ids never are, nor an
 * order named by its number: numbers follow each other. Refused by its
 * number, an order is answered as one that does not exist, so nobody
 * counts a shop's orders by trying numbers. */
static gboolean
may_touch_order (SdServerRequest *req, OrderAccess *a, gboolean link)
{
  g_auto(SdServerOrderOwner) owner = { 0 };
  g_autoptr(GError) error = NULL;
  const char *key = sd_request_query (req, "key");
  gboolean by_number = FALSE;

  if (!resolve_order_number (req, &by_number))
    return FALSE;
  if (!sd_server_store_get_order_owner (sd_request_store (req), req->params[0], &owner, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such order."), FALSE;
      return sd_reply_internal (req, error), FALSE;
    }
  a->user_id = g_steal_pointer (&owner.user_id);
  a->key_hash = g_steal_pointer (&owner.access_key_hash);
  sd_order_status_from_wire (owner.status, &a->status);

  if (req->is_admin)
    return TRUE;
  if (req->user_id && a->user_id && strcmp (req->user_id, a->user_id) == 0)
    return TRUE;
  if (key && a->key_hash)
    {
      g_autofree char *hash = sd_server_secrets_hmac (sd_request_secrets (req), SD_SECRET_ORDER_KEYS, key);
      if (sd_str_equal_secret (hash, a->key_hash))
        return TRUE;
    }
  if (link && !by_number && sd_server_order_link_readable (req, &owner))
    {
      a->by_link = TRUE;
      return TRUE;
    }
  if (by_number)
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such order."), FALSE;
  if (req->user_id == NULL && key == NULL)
    return sd_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Sign in, or give the order's access key."), FALSE;
  return sd_reply_error (req, SOUP_STATUS_FORBIDDEN, "This order is not yours."), FALSE;
}

#define CANCELLED_MESSAGE "This order is cancelled and can no longer be changed."
#define SHIPPED_MESSAGE "This order is being prepared or shipped and can no longer be changed."

static gboolean
still_changeable (SdServerRequest *req, const OrderAccess *a)
{
  if (a->status == SD_ORDER_STATUS_AWAITING_PAYMENT || a->status == SD_ORDER_STATUS_PAID)
    return TRUE;
  sd_reply_error (req, SOUP_STATUS_CONFLICT,
                  a->status == SD_ORDER_STATUS_CANCELLED ? CANCELLED_MESSAGE : SHIPPED_MESSAGE);
  return FALSE;
}

/* ?includeCancelled=1 [ext] "cancelled": lists leave cancelled orders out
 * otherwise, so clients that know the original's six statuses see what
 * the original shows. */
static gboolean
include_cancelled (SdServerRequest *req)
{
  const char *v = sd_request_query (req, SD_QUERY_INCLUDE_CANCELLED);

  return v && (strcmp (v, "1") == 0 || strcmp (v, "true") == 0);
}

static void
get_order (SdServerRequest *req)
{
  g_auto(OrderAccess) a = { 0 };
  JsonNode *order;

  if (!may_touch_order (req, &a, TRUE))
    return;
  order = sd_server_store_get_order (sd_request_store (req), req->params[0], NULL);
  if (order && a.by_link)
    sd_server_order_link_reply (req, order);
  sd_server_conditional_etag (req, order);
  sd_reply (req, SOUP_STATUS_OK, order);
}

/* [ext] "conditional": the base of the request, and a 412 when the order
 * is no longer that copy; FALSE when answered. Before the route's own
 * refusals, so that a stale copy is told as such. */
static gboolean
read_base (SdServerRequest *req, char **out_base)
{
  g_autoptr(JsonNode) current = NULL;

  if (!sd_server_conditional_base (req, out_base))
    return FALSE;
  if (*out_base == NULL)
    return TRUE;
  current = sd_server_store_get_order (sd_request_store (req), req->params[0], NULL);
  return !sd_server_conditional_stale (req, *out_base, current);
}

/* The store refused the write: 412 with the order as it is now when it
 * changed since base; else FALSE, not answered. */
static gboolean
reply_if_changed (SdServerRequest *req, const GError *error)
{
  if (!g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CHANGED))
    return FALSE;
  sd_server_conditional_reply_current (req, SOUP_STATUS_PRECONDITION_FAILED, SD_CHANGED_MESSAGE,
                                       sd_server_store_get_order (sd_request_store (req), req->params[0], NULL));
  return TRUE;
}

/* Applies the body to the order (memo, receiver and, for staff, the
 * other fields it carries) in one step, and answers with it; only while
 * it is still the copy base names, when given. */
static void
change_order (SdServerRequest *req, gboolean admin, const char *base)
{
  JsonNode *order;
  SdServerStore *store = sd_request_store (req);
  JsonObject *body = sd_body_object (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *receiver = NULL;
  g_autoptr(GArray) lines = NULL;
  const char *memo, *status = NULL, *customer = NULL;
  gboolean ok, has_receiver, bad = FALSE;
  gint64 item = -1, delivery = -1, total = -1;
  JsonObject *payment = NULL;
  SdServerOrderChanges changes;

  memo = sd_server_order_read_memo (req, &ok);
  if (!ok || !sd_server_order_read_receiver (req, body, &receiver, &has_receiver))
    return;
  if (admin)
    {
      SdOrderStatus st;

      status = sd_body_string (req, "status", &bad);
      customer = sd_body_string (req, "customerId", &bad);
      if (bad)
        return;
      if (status && !sd_order_status_from_wire (status, &st))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "status is not an order status.");
      /* An order is cancelled by DELETE /orders/:id, which gives its
       * stock back; staff delete with DELETE /admin/orders/:id. */
      if (status && st == SD_ORDER_STATUS_CANCELLED)
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                               "An order is cancelled with DELETE /orders/:id, not by its status.");
      if (json_object_has_member (body, "product") && (lines = sd_server_order_read_lines (req, body)) == NULL)
        return;
      if (json_object_has_member (body, "payment"))
        {
          if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "payment")) ||
              !sd_json_integer ((payment = json_object_get_object_member (body, "payment")), "ttlPriceItem", &item) ||
              !sd_json_integer (payment, "ttlPriceDelivery", &delivery) ||
              !sd_json_integer (payment, "ttlPrice", &total) || item < 0 || delivery < 0 || total < 0)
            return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                                   "payment is {ttlPriceItem, ttlPriceDelivery, ttlPrice} in whole won.");
        }
    }

  changes = (SdServerOrderChanges) {
    .memo = memo, .set_receiver = json_object_has_member (body, "receiver"), .receiver = receiver,
    .status = status, .customer_id = customer,
    .ttl_price_item = item, .ttl_price_delivery = delivery, .ttl_price = total, .lines = lines,
    .base = base,
  };
  /* Gone in between (deleted by another request): the reply's data is
   * null, as it always was; a 404 would be truer. */
  if (!sd_server_store_update_order (store, req->params[0], &changes, &error) &&
      !g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    {
      if (!reply_if_changed (req, error))
        sd_reply_internal (req, error);
      return;
    }
  order = sd_server_store_get_order (store, req->params[0], NULL);
  sd_server_conditional_etag (req, order);
  sd_reply (req, SOUP_STATUS_OK, order);
}

static void
edit_order (SdServerRequest *req)
{
  g_auto(OrderAccess) a = { 0 };
  g_autofree char *base = NULL;
  JsonObjectIter iter;
  const char *member;

  if (!may_touch_order (req, &a, FALSE))
    return;
  /* [fix] a customer changes the memo and where it goes, nothing else. */
  json_object_iter_init (&iter, sd_body_object (req));
  while (json_object_iter_next (&iter, &member, NULL))
    if (strcmp (member, "memo") != 0 && strcmp (member, "receiver") != 0 && strcmp (member, SD_BASE_MEMBER) != 0)
      {
        g_autofree char *m = g_strdup_printf ("%s cannot be changed; only memo and receiver can.", member);
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
      }
  if (!read_base (req, &base) || !still_changeable (req, &a))
    return;
  change_order (req, FALSE, base);
}

/* [ext] "cancelled": kept as 주문 취소, its stock given back, in one
 * transaction that checks the status again (of two cancels, the second
 * is refused like any order that can no longer be cancelled). */
static void
cancel_order (SdServerRequest *req)
{
  g_auto(OrderAccess) a = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  if (!may_touch_order (req, &a, FALSE) || !read_base (req, &base) || !still_changeable (req, &a))
    return;
  if (!sd_server_store_cancel_order (sd_request_store (req), req->params[0], base, &error))
    {
      if (reply_if_changed (req, error))
        return;
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, SHIPPED_MESSAGE);
      return sd_reply_internal (req, error);
    }
  sd_reply_no_content (req);
}

/* ---- lists ---------------------------------------------------------- */

static void
my_orders (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *orders = sd_server_store_list_user_orders (sd_request_store (req), req->user_id,
                                                      include_cancelled (req), &error);

  if (orders == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, orders);
}

static void
admin_list (SdServerRequest *req, const char *status)
{
  g_autoptr(GError) error = NULL;
  const char *sort = sd_request_query (req, "sort");
  SdServerOrderQuery query = {
    .status = status, .q = sd_request_query (req, "q"),
    .sort = SD_SERVER_ORDER_SORT_NEWEST, .offset = 0, .limit = G_MAXINT32,
    .include_cancelled = include_cancelled (req),
  };
  gboolean paged = FALSE;
  gint64 total = 0;
  JsonNode *orders;

  if (!sd_server_parse_paging (req, &query.offset, &query.limit, &paged))
    return;
  if (status && !sd_order_status_from_wire (status, NULL))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "status is not an order status.");
  if (g_strcmp0 (sort, "createdAt") == 0)
    query.sort = SD_SERVER_ORDER_SORT_OLDEST;
  else if (g_strcmp0 (sort, SD_SORT_PRICE) == 0)
    query.sort = SD_SERVER_ORDER_SORT_PRICE;
  else if (g_strcmp0 (sort, SD_SORT_PRICE_DESC) == 0)
    query.sort = SD_SERVER_ORDER_SORT_PRICE_DESC;
  else if (sort && g_strcmp0 (sort, SD_SORT_NEWEST) != 0)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "sort must be one of -createdAt, createdAt, price, -price.");

  orders = sd_server_store_list_orders (sd_request_store (req), &query, &total, &error);
  if (orders == NULL)
    return sd_reply_internal (req, error);
  sd_server_set_paging_headers (req, total, query.offset, query.limit, paged);
  sd_reply (req, SOUP_STATUS_OK, orders);
}

static void
admin_orders (SdServerRequest *req)
{
  /* ?status= on this route is ours; the original has /admin/orders/status. */
  admin_list (req, sd_request_query (req, "status"));
}

static void
admin_orders_by_status (SdServerRequest *req)
{
  const char *status = sd_request_query (req, "status");

  if (status == NULL)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Give ?status=.");
  admin_list (req, status);
}

static void
admin_edit_order (SdServerRequest *req)
{
  g_autoptr(JsonNode) exists = sd_server_store_get_order (sd_request_store (req), req->params[0], NULL);
  g_autofree char *base = NULL;
  SdOrderStatus st = SD_ORDER_STATUS_N;

  if (exists == NULL)
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such order.");
  if (!sd_server_conditional_base (req, &base) || sd_server_conditional_stale (req, base, exists))
    return;
  /* [ext] a cancelled order stays as it was cancelled: its stock is
   * back on the shelf. */
  sd_order_status_from_wire (json_object_get_string_member (json_node_get_object (exists), "status"), &st);
  if (st == SD_ORDER_STATUS_CANCELLED)
    return sd_reply_error (req, SOUP_STATUS_CONFLICT, CANCELLED_MESSAGE);
  change_order (req, TRUE, base);
}

static void
admin_delete_order (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) exists = sd_server_store_get_order (sd_request_store (req), req->params[0], NULL);

  if (exists == NULL)
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such order.");
  /* One deleted in between is deleted all the same. */
  if (!sd_server_store_delete_order (sd_request_store (req), req->params[0], FALSE, &error) &&
      !g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_reply_internal (req, error);
  sd_reply_no_content (req);
}

const SdRoute sd_server_order_routes[] = {
  { "POST", SD_PATH_ORDERS, SD_ACCESS_OPTIONAL, SD_BODY_JSON, sd_server_orders_checkout },
  { "GET", SD_PATH_ORDERS, SD_ACCESS_USER, SD_BODY_NONE, my_orders },
  { "GET", SD_PATH_ORDERS "/:id", SD_ACCESS_OPTIONAL, SD_BODY_NONE, get_order },
  { "PUT", SD_PATH_ORDERS "/:id", SD_ACCESS_OPTIONAL, SD_BODY_JSON, edit_order },
  { "DELETE", SD_PATH_ORDERS "/:id", SD_ACCESS_OPTIONAL, SD_BODY_NONE, cancel_order },
  { "GET", SD_PATH_ADMIN_ORDERS, SD_ACCESS_ADMIN, SD_BODY_NONE, admin_orders },
  { "GET", SD_PATH_ADMIN_ORDERS_STATUS, SD_ACCESS_ADMIN, SD_BODY_NONE, admin_orders_by_status },
  { "POST", SD_PATH_ADMIN_ORDERS, SD_ACCESS_ADMIN, SD_BODY_JSON, sd_server_orders_admin_checkout },
  { "PUT", SD_PATH_ADMIN_ORDERS "/:id", SD_ACCESS_ADMIN, SD_BODY_JSON, admin_edit_order },
  { "DELETE", SD_PATH_ADMIN_ORDERS "/:id", SD_ACCESS_ADMIN, SD_BODY_NONE, admin_delete_order },
  { NULL }
};
