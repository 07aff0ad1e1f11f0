/* test-server-cluster.c — storedesk-server nodes on one PostgreSQL
 * database behind nginx (issue 18), through tests/sd-test-cluster.c.
 * Registered as server-cluster@pg only: skipped when the run has no
 * cluster (STOREDESK_TEST_PG). */
#include <string.h>

#include "sd-test-cluster.h"
#include "sd-test-http.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster/health/round-robin", test_health_round_robin);
  g_test_add_func ("/cluster/node-killed", test_node_killed);
  return g_test_run ();
}
