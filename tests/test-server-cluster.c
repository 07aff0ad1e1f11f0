/* test-server-cluster.c — storedesk-server nodes on one PostgreSQL
 * database behind nginx (issue 18), through tests/sd-test-cluster.c.
 * Registered as server-cluster@pg only: skipped when the run has no
 * cluster (STOREDESK_TEST_PG). */
#include <string.h>

#include "sd-test-api.h"
#include "sd-test-cluster.h"
#include "sd-test-http.h"
#include "sd-test-s3.h"

#define N_NODES 2

/* The node nginx's reply came from: the last of X-Upstream's addresses. */
static char *
answered_by (SdTestReply *reply)
{
  const char *upstream = soup_message_headers_get_one (reply->headers, "X-Upstream");
  const char *last;

  g_assert_nonnull (upstream);
  last = strrchr (upstream, ',');
  return g_strdup (last ? last + 2 : upstream);
}

static SdTestReply *
health (SdTestCluster *cluster)
{
  SdTestReply *reply = sd_test_http (&cluster->front, "GET", "/health", NULL, NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return reply;
}

/* nginx comes up on the sample configuration and answers /health through
 * every node in turn. */
static void
test_health_round_robin (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 2 * N_NODES; i++)
    {
      g_autoptr(SdTestReply) reply = health (cluster);

      g_hash_table_add (seen, answered_by (reply));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_NODES);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *addr = sd_test_cluster_node_addr (cluster, i);
      g_assert_true (g_hash_table_contains (seen, addr));
    }
}

/* A node killed with SIGKILL: nginx goes on to the other, every request
 * answered. */
static void
test_node_killed (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autofree char *survivor = sd_test_cluster_node_addr (cluster, 1);

  sd_test_cluster_kill_node (cluster, 0);
  for (guint i = 0; i < 2 * N_NODES; i++)
    {
      g_autoptr(SdTestReply) reply = health (cluster);
      g_autofree char *node = answered_by (reply);

      g_assert_cmpstr (node, ==, survivor);
    }
}

/* A token signed by node A works on node B, and the refresh cookie from
 * A rotates on B: the signing secrets and the sessions are the
 * database's, made once however many nodes started together. */
static void
test_token_across_nodes (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autofree char *cookie = NULL;
  g_autofree char *token = sd_test_sign_in (cluster->nodes[0], CUSTOMER_EMAIL, CUSTOMER_PASSWORD, &cookie);
  g_autoptr(SdTestReply) me = sd_test_http (cluster->nodes[1], "GET", "/api/v1/auth/me", token, NULL, NULL);
  g_autoptr(SdTestReply) refreshed = NULL;
  JsonObject *data = sd_test_data_object (me, 200);

  g_assert_cmpstr (json_object_get_string_member (data, "email"), ==, CUSTOMER_EMAIL);
  refreshed = sd_test_http (cluster->nodes[1], "POST", "/api/v1/auth/refresh-access-token", NULL, "{}",
                            "Cookie", cookie, NULL);
  data = sd_test_data_object (refreshed, 200);
  g_assert_nonnull (json_object_get_string_member (data, "accessToken"));
}

/* ---- checkouts from many threads at once ---- */

typedef struct {
  SdTestServer *front;
  const char   *body;
  char         *key;       /* Idempotency-Key */
  guint         status;    /* the last answer */
  char         *order_id;  /* from a 201 */
  guint         tries;
} Checkout;

/* POSTs the checkout through nginx; answers that are no answer of the
 * shop's (nginx's 502 when the node died mid-request) are tried again
 * with the same key, as the app does. */
static gpointer
checkout_thread (gpointer data)
{
  Checkout *c = data;

  for (c->tries = 1; c->tries <= 20; c->tries++)
    {
      g_autoptr(SdTestReply) reply = sd_test_http (c->front, "POST", "/api/v1/orders", NULL, c->body,
                                                   "Idempotency-Key", c->key, NULL);

      c->status = reply->status;
      if (reply->status == 201)
        {
          JsonObject *order = json_node_get_object (json_object_get_member (json_node_get_object (reply->root),
                                                                            "data"));
          c->order_id = g_strdup (json_object_get_string_member (order, "_id"));
          break;
        }
      if (reply->status != 502 && reply->status != 503 && reply->status != 504 && reply->status != 0)
        break;
    }
  return NULL;
}

static void
run_checkouts (Checkout *checkouts, guint n, SdTestCluster *kill_in_the_middle)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (threads, g_thread_new ("checkout", checkout_thread, &checkouts[i]));
      if (kill_in_the_middle && i == n / 2)
        sd_test_cluster_kill_node (kill_in_the_middle, 0);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads->pdata[i]);
}

/* The first product whose stock is not tracked or is, as JSON (from GET
 * /products), and its id. */
static JsonObject *
a_product (SdTestServer *front, JsonNode **out_root)
{
  g_autoptr(SdTestReply) reply = sd_test_http (front, "GET", "/api/v1/products?limit=50", NULL, NULL, NULL);
  JsonArray *products = json_node_get_array (sd_test_data (reply, 200));

  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);

      if (json_object_get_null_member (p, "options") || !json_object_has_member (p, "options"))
        {
          *out_root = json_node_ref (json_array_get_element (products, i));
          return json_node_get_object (*out_root);
        }
    }
  g_assert_not_reached ();
}

#define RACERS 50
#define STOCK 10

/* 50 checkouts at once, spread over both nodes, of a product with stock
 * 10: exactly 10 orders, stock 0, ten numbers. */
static void
test_stock_race (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *product = a_product (&cluster->front, &root);
  const char *id = json_object_get_string_member (product, "_id");
  g_autofree char *set = g_strdup_printf ("UPDATE products SET stock = %d WHERE id = '%s'", STOCK, id);
  g_autofree char *body = sd_test_order_body (product, "경쟁", "서울", "입금 대기");
  g_autofree char *stock_sql = g_strdup_printf ("SELECT stock FROM products WHERE id = '%s'", id);
  g_autofree char *stock = NULL;
  g_autofree char *orders = NULL;
  g_autofree char *numbers = NULL;
  Checkout checkouts[RACERS] = { 0 };
  guint made = 0, refused = 0;

  g_assert_cmpint (sd_test_server_run_sql (cluster->nodes[0], set), ==, 1);
  for (guint i = 0; i < RACERS; i++)
    checkouts[i] = (Checkout) { &cluster->front, body, g_uuid_string_random () };
  run_checkouts (checkouts, RACERS, NULL);
  for (guint i = 0; i < RACERS; i++)
    {
      made += checkouts[i].status == 201;
      refused += checkouts[i].status == 409;
      g_free (checkouts[i].key);
      g_free (checkouts[i].order_id);
    }
  g_assert_cmpuint (made, ==, STOCK);
  g_assert_cmpuint (refused, ==, RACERS - STOCK);
  stock = sd_test_server_query (cluster->nodes[1], stock_sql);
  g_assert_cmpstr (stock, ==, "0");
  orders = sd_test_server_query (cluster->nodes[1], "SELECT count (*) FROM orders");
  numbers = sd_test_server_query (cluster->nodes[1], "SELECT count (DISTINCT order_number) FROM orders");
  g_assert_cmpstr (orders, ==, G_STRINGIFY (STOCK));
  g_assert_cmpstr (numbers, ==, G_STRINGIFY (STOCK));
}

#define UNDER_LOAD 40

/* Node 0 killed with SIGKILL while checkouts run; each retried with its
 * key until a node answers: every checkout has exactly one order, none
 * lost, none twice. */
static void
test_kill_under_load (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *product = a_product (&cluster->front, &root);
  g_autofree char *untrack = g_strdup_printf ("UPDATE products SET stock = NULL WHERE id = '%s'",
                                              json_object_get_string_member (product, "_id"));
  g_autofree char *body = sd_test_order_body (product, "정전", "부산", "입금 대기");
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *orders = NULL;
  Checkout checkouts[UNDER_LOAD] = { 0 };
  guint retried = 0;

  sd_test_server_run_sql (cluster->nodes[1], untrack);
  for (guint i = 0; i < UNDER_LOAD; i++)
    checkouts[i] = (Checkout) { &cluster->front, body, g_uuid_string_random () };
  run_checkouts (checkouts, UNDER_LOAD, cluster);
  for (guint i = 0; i < UNDER_LOAD; i++)
    {
      g_assert_cmpuint (checkouts[i].status, ==, 201);
      g_assert_nonnull (checkouts[i].order_id);
      g_hash_table_add (ids, checkouts[i].order_id);
      retried += checkouts[i].tries > 1;
    }
  g_test_message ("%u of %u checkouts were tried again after node 0 died", retried, UNDER_LOAD);
  g_assert_cmpuint (g_hash_table_size (ids), ==, UNDER_LOAD);
  orders = sd_test_server_query (cluster->nodes[1], "SELECT count (*) FROM orders");
  g_assert_cmpstr (orders, ==, G_STRINGIFY (UNDER_LOAD));
  for (guint i = 0; i < UNDER_LOAD; i++)
    {
      g_free (checkouts[i].key);
      g_free (checkouts[i].order_id);
    }
}

/* A page cached by node A is seen changed after node B changes the
 * product: every node's cache follows the database's change counter. */
static void
test_cache_across_nodes (void)
{
  g_autoptr(SdTestCluster) cluster = sd_test_cluster_start (N_NODES, TRUE, NULL);
  g_autofree char *admin = sd_test_sign_in (cluster->nodes[1], ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *product = NULL;
  g_autofree char *path = NULL;
  g_autofree char *edit = NULL;
  g_autoptr(SdTestReply) changed = NULL;

  for (guint i = 0; i < 2; i++)   /* cached on node 0 */
    {
      g_autoptr(SdTestReply) page = sd_test_http (cluster->nodes[0], "GET", "/api/v1/products?limit=50", NULL,
                                                  NULL, NULL);
      g_assert_cmpuint (page->status, ==, 200);
    }
  product = a_product (cluster->nodes[0], &root);
  path = g_strdup_printf ("/api/v1/admin/products/%s", json_object_get_string_member (product, "_id"));
  json_object_set_int_member (product, "price", 777);
  edit = json_to_string (root, FALSE);
  changed = sd_test_http (cluster->nodes[1], "PUT", path, admin, edit, NULL);
  g_assert_cmpuint (changed->status, ==, 200);
  {
    g_autoptr(JsonNode) again = NULL;
    JsonObject *seen = a_product (cluster->nodes[0], &again);

    g_assert_cmpstr (json_object_get_string_member (seen, "_id"), ==, json_object_get_string_member (product, "_id"));
    g_assert_cmpint (json_object_get_int_member (seen, "price"), ==, 777);
  }
}

static guint
files_in (const char *data_dir)
{
  g_autofree char *uploads = g_build_filename (data_dir, "uploads", NULL);
  g_autoptr(GDir) d = g_dir_open (uploads, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* Both nodes on one S3 bucket: a picture uploaded through node A (its
 * grant, the presigned PUT, the product that takes it) is served by node
 * B, and is in the bucket, on neither node's disk. */
static void
test_picture_across_nodes (void)
{
  g_autoptr(SdTestS3) s3 = sd_test_s3_start ();
  g_autofree char *blobs = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(SdTestCluster) cluster = NULL;
  g_autofree char *admin = NULL;
  g_autoptr(SdTestReply) cats = NULL;
  g_autoptr(SdTestReply) granted = NULL;
  g_autoptr(SdTestReply) put = NULL;
  g_autoptr(SdTestReply) made = NULL;
  g_autoptr(SdTestReply) served = NULL;
  g_autoptr(GBytes) png = g_bytes_new_static (sd_test_png_bytes, sizeof sd_test_png_bytes);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  JsonObject *grant;
  const char *image;

  if (s3 == NULL)
    return;   /* skipped: no s3rver */
  blobs = g_strdup_printf ("--blobs=s3://%s", s3->bucket);
  endpoint = g_strdup_printf ("--s3-endpoint=%s", s3->endpoint);
  {
    const char *args[] = { blobs, endpoint, NULL };
    cluster = sd_test_cluster_start (N_NODES, TRUE, args);
  }
  admin = sd_test_sign_in (cluster->nodes[0], ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  granted = sd_test_http (cluster->nodes[0], "POST", "/api/v1/admin/uploads", admin,
                          "{\"contentType\":\"image/png\",\"size\":69}", NULL);
  grant = sd_test_data_object (granted, 201);
  put = sd_test_http_url ("PUT", json_object_get_string_member (grant, "uploadUrl"), "image/png", png);
  g_assert_cmpuint (put->status, ==, 200);
  cats = sd_test_http (cluster->nodes[0], "GET", "/api/v1/categories", NULL, NULL, NULL);
  body = g_strdup_printf ("{\"name\":\"두 노드 사진\",\"categoryId\":\"%s\",\"brand\":\"B\",\"price\":1000,"
                          "\"image\":\"%s\",\"description\":\"d\"}",
                          json_object_get_string_member (json_array_get_object_element (
                            json_node_get_array (sd_test_data (cats, 200)), 0), "_id"),
                          json_object_get_string_member (grant, "imageUrl"));
  made = sd_test_http (cluster->nodes[0], "POST", "/api/v1/admin/products", admin, body, NULL);
  image = json_object_get_string_member (sd_test_data_object (made, 201), "image");
  path = g_strdup (strstr (image, "/uploads/"));
  g_assert_nonnull (path);

  served = sd_test_http (cluster->nodes[1], "GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (served->status, ==, 200);
  g_assert_true (g_bytes_equal (served->body, png));
  g_assert_true (sd_test_s3_has (s3, path + strlen ("/uploads/")));
  for (guint i = 0; i < N_NODES; i++)
    g_assert_cmpuint (files_in (cluster->nodes[i]->data_dir), ==, 0);
}

int
main (int argc, char **argv)
{
  sd_test_s3_init_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster/picture-across-nodes", test_picture_across_nodes);
  g_test_add_func ("/cluster/token-across-nodes", test_token_across_nodes);
  g_test_add_func ("/cluster/stock-race", test_stock_race);
  g_test_add_func ("/cluster/kill-under-load", test_kill_under_load);
  g_test_add_func ("/cluster/cache-across-nodes", test_cache_across_nodes);
  g_test_add_func ("/cluster/health/round-robin", test_health_round_robin);
  g_test_add_func ("/cluster/node-killed", test_node_killed);
  return g_test_run ();
}
