/* sd-server-orders-checkout.c — a checkout becomes an order (shared/API.md,
 * orders: POST /orders, and staff's POST /admin/orders).
 *
 * Totals are recomputed from our own prices [fix]; stock is taken in the
 * same transaction that creates the order [ext]; an Idempotency-Key makes
 * a retried checkout return the first order to the same caller [ext];
 * guests get a random access key, shown once and stored on the order only
 * as an HMAC [ext]. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-order-read.h"
#include "sd-server-orders.h"

#define IDEMPOTENCY_TTL  (24 * 3600)
#define ACCESS_KEY_BYTES 32
#define BOX_LABEL        "storedesk idempotency access-key box v1"   /* the box key's use */

/* ---- prices --------------------------------------------------------- */

/* ---- idempotency --------------------------------------------------- */

static const char *
idempotency_key (SdServerRequest *req)
{
  const char *key = sd_request_header (req, "Idempotency-Key");
  return key && *key && strlen (key) <= 100 ? key : NULL;
}

/* Who an Idempotency-Key belongs to. A member (and staff on the admin
 * route) by account; a guest by the body, compared through its hash:
 * only someone who already knows the whole order, receiver included, can
 * replay a guest's checkout. */
typedef struct {
  const char *key;         /* NULL: no Idempotency-Key */
  char       *caller;      /* "user:ID", "admin:ID" or "guest" */
  char       *body_hash;   /* SHA-256 of the body as sent, hex */
  gboolean    guest;
} Idempotency;

static void
idempotency_init (Idempotency *idem, SdServerRequest *req, gboolean admin)
{
  idem->key = idempotency_key (req);
  idem->guest = req->user_id == NULL;
  idem->caller = idem->guest ? g_strdup ("guest") : g_strconcat (admin ? "admin:" : "user:", req->user_id, NULL);
  idem->body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, req->raw_body);
}

static void
idempotency_clear (Idempotency *idem)
{
  g_free (idem->caller);
  g_free (idem->body_hash);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Idempotency, idempotency_clear)

/* ---- the access key, kept for a retry -------------------------------- */

/* What a box is bound to: its record (key, caller, body) and its order,
 * each length-prefixed, so that a box moved to another record does not
 * open. */
static GByteArray *
box_binding (const Idempotency *idem, const char *order_id)
{
  const char *parts[] = { idem->key, idem->caller, idem->body_hash, order_id };
  GByteArray *aad = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      guint32 len = GUINT32_TO_BE ((guint32) strlen (parts[i]));
      g_byte_array_append (aad, (const guint8 *) &len, sizeof len);
      g_byte_array_append (aad, (const guint8 *) parts[i], strlen (parts[i]));
    }
  return aad;
}

/* Sealed under the key-boxes secret (sd_server_secrets_seal). */
static GBytes *
box_seal (SdServerRequest *req, const Idempotency *idem, const char *order_id, const char *access_key)
{
  g_autoptr(GByteArray) aad = box_binding (idem, order_id);

  return sd_server_secrets_seal (sd_request_secrets (req), SD_SECRET_KEY_BOXES, BOX_LABEL, aad, access_key);
}

/* The access key in a box, or NULL when the box does not open here. */
static char *
box_open (SdServerRequest *req, const Idempotency *idem, const char *order_id, const guint8 *box, gsize size)
{
  g_autoptr(GByteArray) aad = box_binding (idem, order_id);

  return sd_server_secrets_open (sd_request_secrets (req), SD_SECRET_KEY_BOXES, BOX_LABEL, aad, box, size);
}

/* ---- replays ------------------------------------------------------------ */

typedef enum {
  REPLAY_NONE,      /* no live record under this key: make the order */
  REPLAY_FOUND,     /* the caller's own: *out_order is the first order */
  REPLAY_REFUSED,   /* someone else's, or another body: replied 422 */
} Replay;

/* What a live record under the key is to this caller: the first order
 * (with a guest's access key, when its box opens), or, when it is
 * someone else's, REPLAY_REFUSED. Anyone else learns only that the key
 * cannot be used. */
static Replay
replay_record (SdServerRequest *req, const Idempotency *idem, const SdServerIdempotencyRecord *record,
               JsonNode **out_order)
{
  g_autofree char *access_key = NULL;
  gboolean mine;

  *out_order = NULL;
  mine = g_strcmp0 (record->caller, idem->caller) == 0 &&
         (!idem->guest || sd_str_equal_secret (record->body_hash, idem->body_hash));
  if (!mine)
    {
      sd_reply_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                      "This Idempotency-Key was used for another request. Use a new key for a new order.");
      return REPLAY_REFUSED;
    }
  if (idem->guest)
    {
      gsize size = 0;
      const guint8 *box = record->access_key_box ? g_bytes_get_data (record->access_key_box, &size) : NULL;

      access_key = box_open (req, idem, record->order_id, box, size);
      if (access_key == NULL)
        g_warning ("the access key kept for order %s does not open; its retry gets the order without it",
                   record->order_id);
    }
  *out_order = sd_server_store_get_order (sd_request_store (req), record->order_id, NULL);
  if (*out_order == NULL)
    return REPLAY_NONE;
  if (access_key)
    {
      json_object_set_string_member (json_node_get_object (*out_order), "accessKey", access_key);
      explicit_bzero (access_key, strlen (access_key));
    }
  return REPLAY_FOUND;
}

/* The order made earlier under this key by this caller, if any. */
static Replay
replayed_order (SdServerRequest *req, const Idempotency *idem, JsonNode **out_order)
{
  g_auto(SdServerIdempotencyRecord) record = { 0 };

  *out_order = NULL;
  if (idem->key == NULL ||
      !sd_server_store_find_idempotency_record (sd_request_store (req), idem->key, IDEMPOTENCY_TTL,
                                                &record, NULL))
    return REPLAY_NONE;
  return replay_record (req, idem, &record, out_order);
}

/* ---- creating ------------------------------------------------------- *
 *
 * A checkout becomes an order in four steps, each replying when it
 * stops: validate what was sent (against our catalog), price it (our
 * totals, not the client's), identify it (the customer, and a guest's
 * access key), and write it: the store takes the stock and writes the
 * order in one transaction, so stock is reserved by the write, never
 * ahead of it. */

/* A checkout on its way to an order. */
typedef struct {
  gboolean     admin;        /* the staff route: any status, any customer */
  Idempotency  idem;
  char        *id;           /* the new order's */
  const char  *status;       /* wire value */
  const char  *memo;
  char        *receiver;     /* JSON text, or NULL */
  GArray      *lines;        /* SdServerOrderLine, priced from our catalog */
  gint64       item;         /* the lines' total */
  gint64       delivery;
  char        *customer;
  char        *access_key;   /* a guest's, shown once in the reply */
  char        *access_hash;  /* what the order keeps of it */
  GBytes      *box;          /* the key sealed for a retry under the same Idempotency-Key */
} Checkout;

static void
checkout_clear (Checkout *c)
{
  idempotency_clear (&c->idem);
  g_free (c->id);
  g_free (c->receiver);
  g_clear_pointer (&c->lines, g_array_unref);
  g_free (c->customer);
  if (c->access_key)
    explicit_bzero (c->access_key, strlen (c->access_key));
  g_free (c->access_key);
  g_free (c->access_hash);
  g_clear_pointer (&c->box, g_bytes_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Checkout, checkout_clear)

/* The status, memo, receiver and lines, each checked; the lines priced
 * from our catalog (a product no longer sold is a 409). */
static gboolean
checkout_validate (SdServerRequest *req, Checkout *c)
{
  JsonObject *body = sd_body_object (req);
  gboolean bad = FALSE, ok, has_receiver;
  SdOrderStatus st;

  c->status = sd_body_string (req, "status", &bad);
  if (bad)
    return FALSE;
  if (c->status == NULL)
    c->status = sd_order_status_to_wire (SD_ORDER_STATUS_AWAITING_PAYMENT);
  if (!sd_order_status_from_wire (c->status, &st))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "status is not an order status."), FALSE;
  /* A new order is never a cancelled one (it would hold no stock). */
  if (st == SD_ORDER_STATUS_CANCELLED)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "A new order cannot be cancelled already."), FALSE;
  /* [fix] customers may only create unpaid or paid orders. */
  if (!c->admin && st != SD_ORDER_STATUS_AWAITING_PAYMENT && st != SD_ORDER_STATUS_PAID)
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "A new order is either awaiting payment or paid."), FALSE;
  c->memo = sd_server_order_read_memo (req, &ok);
  if (!ok || !sd_server_order_read_receiver (req, body, &c->receiver, &has_receiver))
    return FALSE;
  /* A guest order may come without a receiver: the original web front
   * end keeps it in the browser (checkout.js:265). Staff then see that
   * no address was given. */
  c->lines = sd_server_order_read_lines (req, body);
  return c->lines != NULL;
}

/* [fix] our prices, not the client's: the payment sent must be our
 * totals, else 409 with ours, to show before ordering again. */
static gboolean
checkout_price (SdServerRequest *req, Checkout *c)
{
  JsonObject *body = sd_body_object (req);
  JsonObject *payment;
  gint64 sent;

  c->item = 0;
  c->delivery = sd_request_config (req)->delivery_fee;
  for (guint i = 0; i < c->lines->len; i++)
    {
      SdServerOrderLine *l = &g_array_index (c->lines, SdServerOrderLine, i);
      c->item += l->price * l->count;
    }
  payment = json_object_has_member (body, "payment") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "payment"))
            ? json_object_get_object_member (body, "payment") : NULL;
  if (payment == NULL ||
      !sd_json_integer (payment, "ttlPriceItem", &sent) || sent != c->item ||
      !sd_json_integer (payment, "ttlPriceDelivery", &sent) || sent != c->delivery ||
      !sd_json_integer (payment, "ttlPrice", &sent) || sent != c->item + c->delivery)
    {
      sd_reply_error_data (req, SOUP_STATUS_CONFLICT, "The prices have changed. Check the new total and order again.",
                           sd_server_order_payment_json (c->item, c->delivery, c->lines));
      return FALSE;
    }
  return TRUE;
}

/* Whose order it is: staff may name the customer, a member is one, a
 * guest gets a made-up id and a random access key. */
static void
checkout_identify (SdServerRequest *req, Checkout *c)
{
  gboolean bad = FALSE;

  if (c->admin && sd_body_has (req, "customerId"))
    c->customer = g_strdup (sd_body_string (req, "customerId", &bad));
  if (c->customer == NULL && req->user_id && !c->admin)
    c->customer = g_strdup (req->user_id);
  if (c->customer == NULL)
    {
      guint32 r = g_random_int_range (0, 10000);
      c->customer = g_strdup_printf ("guest_%" G_GINT64_FORMAT "_%04u", g_get_real_time () / 1000, r);
    }
  if (req->user_id == NULL)
    {
      /* Random, never from anything the client sent; kept for a retry
       * only sealed, bound to this record and order. */
      c->access_key = sd_random_hex (ACCESS_KEY_BYTES);
      c->access_hash = sd_server_secrets_hmac (sd_request_secrets (req), SD_SECRET_ORDER_KEYS, c->access_key);
      if (c->idem.key != NULL)
        c->box = box_seal (req, &c->idem, c->id, c->access_key);
    }
}

/* The stock taken and the order written, in one store transaction; the
 * reply is the order (with a guest's access key), the first order when
 * another worker just stored the same Idempotency-Key, or why not. */
static void
checkout_write (SdServerRequest *req, Checkout *c)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_auto(SdServerIdempotencyRecord) record = { 0 };
  SdServerNewOrder new_order = {
    .id = c->id, .customer_id = c->customer, .user_id = c->admin ? NULL : req->user_id,
    .access_key_hash = c->access_hash, .status = c->status, .memo = c->memo,
    .ttl_price_item = c->item, .ttl_price_delivery = c->delivery, .receiver = c->receiver, .lines = c->lines,
    .idempotency_key = c->idem.key, .caller = c->idem.caller, .body_hash = c->idem.body_hash,
    .access_key_box = c->box, .idempotency_ttl = IDEMPOTENCY_TTL,
  };
  guint short_line = 0;
  JsonNode *order;

  if (!sd_server_store_create_order (store, &new_order, &record, &short_line, &error))
    {
      /* A worker in another thread may have just stored the same key. */
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_EXISTS))
        {
          Replay replay = replay_record (req, &c->idem, &record, &order);

          if (replay == REPLAY_FOUND)
            sd_reply (req, SOUP_STATUS_CREATED, order);
          else if (replay == REPLAY_NONE)
            sd_reply_internal (req, error);
          return;
        }
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        {
          g_autofree char *m = g_strdup_printf ("Not enough stock of %s. Lower the count or remove it.",
                                                g_array_index (c->lines, SdServerOrderLine, short_line).name);
          return sd_reply_error (req, SOUP_STATUS_CONFLICT, m);
        }
      return sd_reply_internal (req, error);
    }

  order = sd_server_store_get_order (store, c->id, NULL);
  if (c->access_key)
    json_object_set_string_member (json_node_get_object (order), "accessKey", c->access_key);
  sd_reply (req, SOUP_STATUS_CREATED, order);
}

static void
create_order (SdServerRequest *req, gboolean admin)
{
  g_auto(Checkout) c = { .admin = admin, .id = sd_server_store_new_id () };
  JsonNode *order;
  Replay replay;

  /* A retry gets the first order, even if prices moved since. */
  idempotency_init (&c.idem, req, admin);
  if ((replay = replayed_order (req, &c.idem, &order)) == REPLAY_FOUND)
    return sd_reply (req, SOUP_STATUS_CREATED, order);
  if (replay == REPLAY_REFUSED)
    return;
  if (!checkout_validate (req, &c) || !checkout_price (req, &c))
    return;
  checkout_identify (req, &c);
  checkout_write (req, &c);
}

void
sd_server_orders_checkout (SdServerRequest *req)
{
  create_order (req, FALSE);
}

void
sd_server_orders_admin_checkout (SdServerRequest *req)
{
  create_order (req, TRUE);
}
