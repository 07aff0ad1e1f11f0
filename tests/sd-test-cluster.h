/* sd-test-cluster.h — storedesk-server nodes on one shop behind nginx
 * (issue 18): the two-node harness.
 *
 * nginx runs unprivileged (as storedesk-test when the tests run as root)
 * from a temp prefix of its own, `daemon off`, one worker, on a free
 * loopback port, with docs/nginx-storedesk.conf as its configuration
 * (the upstream's server lines and the listen line replaced): round
 * robin over the nodes, each started with --trusted-proxy=127.0.0.1/32.
 * Every reply carries X-Upstream: the node(s) nginx asked ($upstream_addr,
 * "127.0.0.1:PORT", comma-separated when it went on to the next one). */
#pragma once

#include "sd-test-util.h"

G_BEGIN_DECLS

typedef struct {
  /* nginx's address as a test server: sd_test_http (&cluster->front, …);
   * its database (and data dir) are node 0's. Not to be freed. */
  SdTestServer   front;
  SdTestServer **nodes;
  guint          n_nodes;
  /* private */
  GSubprocess   *nginx;
  char          *prefix;
  gboolean       nginx_exited;
} SdTestCluster;

/* n_nodes servers on one shop (one PostgreSQL database; under SQLite one
 * data dir), demo or not, with more options (NULL-terminated), and nginx
 * in front; returns once nginx listens. */
SdTestCluster *sd_test_cluster_start     (guint               n_nodes,
                                          gboolean            demo,
                                          const char * const *arguments);
/* Kills node i with SIGKILL (no draining), as a machine dying would. */
void           sd_test_cluster_kill_node (SdTestCluster      *cluster,
                                          guint               i);
/* "127.0.0.1:PORT" of node i, as X-Upstream names it. */
char          *sd_test_cluster_node_addr (SdTestCluster      *cluster,
                                          guint               i);
void           sd_test_cluster_free      (SdTestCluster      *cluster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTestCluster, sd_test_cluster_free)

G_END_DECLS
