/* sd-test-cluster.c */
#include "sd-test-cluster.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The tests' unprivileged user when they run as root (build-aux/run deps
 * makes it; build-aux/pg-cluster runs PostgreSQL as it too). */
#define TEST_USER "storedesk-test"

/* Around the shop's own file: what a throwaway nginx needs (everything
 * in its prefix, in the foreground) and the X-Upstream header. */
static const char main_conf[] =
  "daemon off;\n"
  "master_process on;\n"
  "worker_processes 1;\n"
  "pid %1$s/nginx.pid;\n"
  "error_log %1$s/error.log warn;\n"
  "events { worker_connections 1024; }\n"
  "http {\n"
  "    access_log off;\n"
  "    client_body_temp_path %1$s/body;\n"
  "    proxy_temp_path %1$s/proxy;\n"
  "    fastcgi_temp_path %1$s/fastcgi;\n"
  "    uwsgi_temp_path %1$s/uwsgi;\n"
  "    scgi_temp_path %1$s/scgi;\n"
  "    add_header X-Upstream $upstream_addr always;\n"
  "    include %1$s/storedesk.conf;\n"
  "}\n";

char *
sd_test_cluster_node_addr (SdTestCluster *cluster, guint i)
{
  g_assert_cmpuint (i, <, cluster->n_nodes);
  g_assert_true (g_str_has_prefix (cluster->nodes[i]->url, "http://"));
  return g_strdup (cluster->nodes[i]->url + strlen ("http://"));
}

/* docs/nginx-storedesk.conf with the nodes as its upstream's servers and
 * port as its listen line. */
static char *
shop_conf (SdTestCluster *cluster, guint port)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "nginx-storedesk.conf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  guint servers = 0, listens = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i] + strspn (lines[i], " ");

      if (g_str_has_prefix (line, "server 127.0.0.1:"))
        {
          /* the first of the sample's servers stands for all the nodes */
          for (guint n = 0; servers == 0 && n < cluster->n_nodes; n++)
            {
              g_autofree char *addr = sd_test_cluster_node_addr (cluster, n);
              g_string_append_printf (out, "    server %s max_fails=1 fail_timeout=5s;\n", addr);
            }
          servers++;
          continue;
        }
      if (g_str_equal (line, "listen 80;"))
        {
          listens++;
          g_string_append_printf (out, "    listen 127.0.0.1:%u;\n", port);
          continue;
        }
      g_string_append_printf (out, "%s\n", lines[i]);
    }
  /* the sample and this harness must not drift apart unnoticed */
  g_assert_cmpuint (servers, >=, 1);
  g_assert_cmpuint (listens, ==, 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
  uid_t uid;
  gid_t gid;
  gboolean drop;
} Identity;

/* In the child, before exec: the test user's identity (as root), then
 * death with the test (set after the identity changes, which clears it). */
static void
child_setup (gpointer user_data)
{
  const Identity *id = user_data;

  if (id->drop && (setgroups (1, &id->gid) != 0 || setresgid (id->gid, id->gid, id->gid) != 0 ||
                   setresuid (id->uid, id->uid, id->uid) != 0))
    _exit (127);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
nginx_exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((SdTestCluster *) user_data)->nginx_exited = TRUE;
}

typedef struct {
  SdTestCluster *cluster;
  char          *pid_file;
} Starting;

static gboolean
nginx_ready_or_gone (gpointer user_data)
{
  Starting *s = user_data;

  return s->cluster->nginx_exited || g_file_test (s->pid_file, G_FILE_TEST_EXISTS);
}

static void
start_nginx (SdTestCluster *cluster)
{
  const char *program = g_getenv ("STOREDESK_NGINX") ? g_getenv ("STOREDESK_NGINX") : "/usr/sbin/nginx";
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *conf_path = g_build_filename (cluster->prefix, "nginx.conf", NULL);
  g_autofree char *shop_path = g_build_filename (cluster->prefix, "storedesk.conf", NULL);
  g_autofree char *conf = g_strdup_printf (main_conf, cluster->prefix);
  g_autofree char *shop = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GFile) dir = g_file_new_for_path (cluster->prefix);
  g_autoptr(GFileMonitor) monitor = NULL;
  Identity id = { .drop = geteuid () == 0 };
  Starting starting = { cluster, g_build_filename (cluster->prefix, "nginx.pid", NULL) };
  guint port;

  /* a free port: bound to learn it, then closed for nginx to take */
  {
    g_autoptr(GSocket) socket = sd_test_loopback_socket (&url);
    port = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
    g_socket_close (socket, NULL);
  }
  shop = shop_conf (cluster, port);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, &error));
  g_assert_true (g_file_set_contents (shop_path, shop, -1, &error));
  g_assert_no_error (error);
  if (id.drop)
    {
      struct passwd *pw = getpwnam (TEST_USER);

      if (pw == NULL)
        g_error ("the tests run as root and there is no user " TEST_USER " for nginx (build-aux/run deps)");
      id.uid = pw->pw_uid;
      id.gid = pw->pw_gid;
      g_assert_cmpint (chown (cluster->prefix, id.uid, id.gid), ==, 0);
    }

  monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &id, NULL);
  cluster->nginx = g_subprocess_launcher_spawn (launcher, &error, program, "-p", cluster->prefix,
                                                "-c", conf_path, "-e", "stderr", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (cluster->nginx, NULL, nginx_exited_cb, cluster);
  /* nginx writes its pid file once its listening socket is open */
  sd_test_wait_until (nginx_ready_or_gone, &starting, 30000);
  g_assert_false (cluster->nginx_exited);
  g_free (starting.pid_file);
  cluster->front.url = g_strdup_printf ("http://127.0.0.1:%u", port);
}

SdTestCluster *
sd_test_cluster_start (guint n_nodes, gboolean demo, const char * const *arguments)
{
  SdTestCluster *cluster = g_new0 (SdTestCluster, 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_nodes, >=, 1);
  if (arguments)
    g_strv_builder_addv (builder, (const char **) arguments);
  g_strv_builder_add (builder, "--trusted-proxy=127.0.0.1/32");
  args = g_strv_builder_end (builder);
  cluster->n_nodes = n_nodes;
  /* At the same moment, on a fresh database: none may die of another's
   * schema setup or seeding (issue 18). */
  cluster->nodes = sd_test_servers_start_together (n_nodes, demo, (const char * const *) args);

  cluster->prefix = g_dir_make_tmp ("sd-nginx-XXXXXX", &error);
  g_assert_no_error (error);
  cluster->front.data_dir = cluster->nodes[0]->data_dir;
  cluster->front.database = cluster->nodes[0]->database;
  start_nginx (cluster);
  return cluster;
}

void
sd_test_cluster_kill_node (SdTestCluster *cluster, guint i)
{
  g_assert_cmpuint (i, <, cluster->n_nodes);
  sd_test_server_crash (cluster->nodes[i]);
}

static gboolean
nginx_gone (gpointer user_data)
{
  return ((SdTestCluster *) user_data)->nginx_exited;
}

void
sd_test_cluster_free (SdTestCluster *cluster)
{
  const char *argv[] = { "rm", "-rf", cluster->prefix, NULL };

  if (cluster->nginx)
    {
      /* fast shutdown: the master ends its worker, then itself */
      g_subprocess_send_signal (cluster->nginx, SIGTERM);
      sd_test_wait_until (nginx_gone, cluster, 30000);
      g_object_unref (cluster->nginx);
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
  /* the others first: node 0 owns the data dir (SQLite) they share */
  for (guint i = cluster->n_nodes; i-- > 0;)
    sd_test_server_free (cluster->nodes[i]);
  g_free (cluster->nodes);
  g_free (cluster->front.url);
  g_free (cluster->prefix);
  g_free (cluster);
}
