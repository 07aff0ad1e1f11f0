/* test-server-http.c — storedesk-server's connections under attack: many
 * short connections closed every way, slow headers (slowloris), idle
 * sockets, huge and chunked bodies, a connection cap. The server runs
 * under `prlimit --nofile=256`, as a small shop's box would, and must
 * keep answering /health. Raw sockets: a polite client library would
 * hide what an attacker does. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sd-test-pg.h"

typedef struct {
  GSubprocess *process;
  char        *data_dir;
  SdTestPgDatabase *database;   /* under PostgreSQL */
  guint16      port;
  GPid         pid;
} Server;

static void
server_free (Server *s)
{
  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, NULL);
  g_object_unref (s->process);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", s->data_dir);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
  g_free (s->data_dir);
  g_clear_pointer (&s->database, sd_test_pg_database_unref);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

/* storedesk-server under prlimit --nofile=N, with more options. */
static Server *
server_start (guint nofile, ...)
{
  Server *s = g_new0 (Server, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *arg;
  va_list args;

  s->data_dir = g_dir_make_tmp ("sd-http-XXXXXX", &error);
  g_assert_no_error (error);
  g_ptr_array_add (argv, g_strdup ("prlimit"));
  g_ptr_array_add (argv, g_strdup_printf ("--nofile=%u", nofile));
  g_ptr_array_add (argv, g_strdup (g_getenv ("STOREDESK_SERVER")));
  g_ptr_array_add (argv, g_strdup ("--listen=127.0.0.1:0"));
  g_ptr_array_add (argv, g_strconcat ("--data-dir=", s->data_dir, NULL));
  g_ptr_array_add (argv, g_strdup ("--workers=2"));
  if (sd_test_engine_is_pg ())
    {
      s->database = sd_test_pg_database_new ();
      g_ptr_array_add (argv, g_strdup (sd_test_pg_database_option (s->database)));
    }
  va_start (args, nofile);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  /* prlimit execs the server: one process, one pid. Its log goes to a
   * file, not a pipe nobody reads. */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autofree char *log = g_build_filename (s->data_dir, "server.log", NULL);

    g_subprocess_launcher_set_stderr_file_path (launcher, log);
    s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);
  s->pid = atoi (g_subprocess_get_identifier (s->process));
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  s->port = (guint16) atoi (strrchr (line, ':') + 1);
  return s;
}

static int
open_socket (Server *s, gboolean reset_on_close)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (s->port),
                            .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  if (reset_on_close)
    {
      /* Closing sends RST and leaves no TIME_WAIT: the test itself does
       * not run out of ports. */
      struct linger lg = { .l_onoff = 1, .l_linger = 0 };
      g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), ==, 0);
    }
  g_assert_cmpint (connect (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  return fd;
}

static gboolean
send_text (int fd, const char *text, gsize len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, text, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      text += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reads until the peer closes or timeout_s passes with nothing; returns
 * what came. */
static GString *
read_all (int fd, guint timeout_s)
{
  GString *in = g_string_new (NULL);
  char buf[4096];

  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      ssize_t n;

      if (poll (&p, 1, (int) timeout_s * 1000) <= 0)
        break;
      n = recv (fd, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      g_string_append_len (in, buf, n);
    }
  return in;
}

/* The status of the first reply read on fd (0 when none). */
static guint
reply_status (GString *reply)
{
  if (!g_str_has_prefix (reply->str, "HTTP/1.1 "))
    return 0;
  return (guint) atoi (reply->str + 9);
}

/* GET /health on a new connection; the status, 0 when no answer came. */
static guint
health (Server *s)
{
  static const char req[] = "GET /health HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n";
  int fd = open_socket (s, TRUE);
  g_autoptr(GString) reply = NULL;

  if (!send_text (fd, req, strlen (req)))
    {
      close (fd);
      return 0;
    }
  reply = read_all (fd, 30);
  close (fd);
  return reply_status (reply);
}

/* Has the server closed fd? Waits for its EOF or reset, up to limit_s
 * (a bound on a hang, not a timing assertion). */
static gboolean
closed_by_server (int fd, guint limit_s)
{
  g_autoptr(GString) rest = read_all (fd, limit_s);
  struct pollfd p = { .fd = fd, .events = POLLIN };
  char c;

  if (poll (&p, 1, 0) <= 0)
    return FALSE;
  return recv (fd, &c, 1, MSG_DONTWAIT) <= 0;
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  return n;
}

/* A field of /proc/PID/status in kB: VmRSS, or VmPeak (the most address
 * space held: a block asked for and never touched shows there only). */
static guint64
status_kb (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, key);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* Waits (a bounded number of tries) for the server's descriptors to come
 * back to at most limit; returns the last count. */
static guint
settle_fds (GPid pid, guint limit)
{
  guint n = count_fds (pid);

  for (int i = 0; i < 300 && n > limit; i++)
    {
      g_usleep (100 * 1000);
      n = count_fds (pid);
    }
  return n;
}

/* ---- 2,000 connections, closed every way ---------------------------- */

static void
test_closed_connections (void)
{
  /* Timeouts far away: only noticing the peer's close may free these. */
  g_autoptr(Server) s = server_start (256, "--header-timeout=300", "--idle-timeout=300", NULL);
  guint baseline, after;
  guint answered = 0;

  g_assert_cmpuint (health (s), ==, 200);
  baseline = settle_fds (s->pid, 0);

  for (guint i = 0; i < 2000; i++)
    {
      int fd = open_socket (s, i % 2 == 0);

      switch (i % 4)
        {
        case 0:   /* a whole request, answered, then closed by the client */
        case 1:
          {
            static const char req[] = "GET /health HTTP/1.1\r\nHost: shop\r\n\r\n";
            char buf[1024];

            struct pollfd p = { .fd = fd, .events = POLLIN };

            /* A server out of descriptors accepts and never answers:
             * that is a failure, not a hang. */
            if (send_text (fd, req, strlen (req)) && poll (&p, 1, 10000) == 1 &&
                recv (fd, buf, sizeof buf, 0) > 0)
              answered++;
            break;
          }
        case 2:   /* closed in the middle of the request line */
          send_text (fd, "GET /heal", 9);
          break;
        case 3:   /* closed in the middle of the headers */
          send_text (fd, "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\nContent-Le", 58);
          break;
        }
      close (fd);
    }
  g_assert_cmpuint (answered, ==, 1000);
  /* libsoup 3.2.3 kept ~10 % of these in CLOSE-WAIT, each holding a
   * descriptor, until none was left. */
  after = settle_fds (s->pid, baseline + 4);
  g_test_message ("descriptors: %u before, %u after 2,000 connections", baseline, after);
  g_assert_cmpuint (after, <=, baseline + 4);
  g_assert_cmpuint (health (s), ==, 200);
}

/* ---- slowloris ------------------------------------------------------ */

static void
test_slowloris (void)
{
  /* Header timeout far away: only the cap's eviction can save /health. */
  g_autoptr(Server) s = server_start (256, "--header-timeout=300", "--idle-timeout=300", NULL);
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  guint still_open = 0;

  for (guint i = 0; i < 500; i++)
    {
      static const char part[] = "GET /health HTTP/1.1\r\nHost: shop\r\nX-Slow: a";
      int fd = open_socket (s, TRUE);

      send_text (fd, part, strlen (part));
      g_array_append_val (fds, fd);
    }
  /* Feed them a byte each, as a slowloris does to stay alive. */
  for (guint i = 0; i < fds->len; i++)
    send_text (g_array_index (fds, int, i), "b", 1);

  /* Wait until the server has taken every one of them in (ending older
   * ones to make room): the attack is in place, not still in the queue. */
  for (int tries = 0; tries < 600; tries++)
    {
      guint ended = 0;

      for (guint i = 0; i < fds->len; i++)
        {
          struct pollfd p = { .fd = g_array_index (fds, int, i), .events = POLLIN };
          if (poll (&p, 1, 0) > 0)
            ended++;
        }
      if (ended >= fds->len - 200)
        break;
      g_usleep (100 * 1000);
    }

  /* With 500 slow sockets at the door, the shop answers. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (health (s), ==, 200);
  g_assert_cmpuint (count_fds (s->pid), <=, 256);

  for (guint i = 0; i < fds->len; i++)
    {
      int fd = g_array_index (fds, int, i);
      struct pollfd p = { .fd = fd, .events = POLLIN };

      if (poll (&p, 1, 0) == 0)
        still_open++;
      close (fd);
    }
  g_test_message ("%u of 500 slow connections still open", still_open);
  g_assert_cmpuint (still_open, <, 256);
}

/* ---- timeouts ------------------------------------------------------- */

static void
test_timeouts (void)
{
  g_autoptr(Server) s = server_start (256, "--header-timeout=1", "--idle-timeout=2", NULL);
  int silent = open_socket (s, TRUE);
  int slow, kept, body;
  static const char req[] = "GET /health HTTP/1.1\r\nHost: shop\r\n\r\n";
  static const char post[] = "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\n"
                             "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":";
  static const char slow_text[] = "GET /health HTTP/1.1\r\nHost: shop\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  gboolean slow_closed = FALSE;
  char buf[1024];

  /* Connected, never a byte: closed. */
  g_assert_true (closed_by_server (silent, 60));

  /* Headers one byte at a time, each well within the idle timeout: closed
   * by the header timeout before they are done. */
  slow = open_socket (s, TRUE);
  for (gsize i = 0; i < strlen (slow_text); i++)
    {
      if (!send_text (slow, slow_text + i, 1))
        {
          slow_closed = TRUE;
          break;
        }
      g_usleep (250 * 1000);
      {
        struct pollfd p = { .fd = slow, .events = POLLIN };
        if (poll (&p, 1, 0) > 0 && recv (slow, buf, sizeof buf, MSG_DONTWAIT) <= 0)
          {
            slow_closed = TRUE;
            break;
          }
      }
    }
  g_assert_true (slow_closed);

  /* Answered, then idle on keep-alive: closed. */
  kept = open_socket (s, TRUE);
  g_assert_true (send_text (kept, req, strlen (req)));
  g_assert_cmpint (recv (kept, buf, sizeof buf, 0), >, 0);
  g_assert_true (closed_by_server (kept, 60));

  /* A body announced and never finished: closed. */
  body = open_socket (s, TRUE);
  g_assert_true (send_text (body, post, strlen (post)));
  g_assert_true (closed_by_server (body, 60));

  close (silent);
  close (slow);
  close (kept);
  close (body);
  g_assert_cmpuint (health (s), ==, 200);
}

/* ---- the cap -------------------------------------------------------- */

static void
test_max_connections (void)
{
  g_autoptr(Server) s = server_start (256, "--max-connections=4", NULL);
  static const char post[] = "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\n"
                             "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":";
  int busy[4];
  int fd;
  g_autoptr(GString) reply = NULL;

  /* Four requests in progress (bodies coming): the cap is reached, and
   * none of them may be ended to make room. */
  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    {
      busy[i] = open_socket (s, TRUE);
      g_assert_true (send_text (busy[i], post, strlen (post)));
    }
  g_usleep (200 * 1000);   /* let the server read their headers */
  fd = open_socket (s, TRUE);
  g_assert_true (send_text (fd, "GET /health HTTP/1.1\r\nHost: shop\r\n\r\n", 36));
  reply = read_all (fd, 30);
  close (fd);
  g_assert_cmpuint (reply_status (reply), ==, 503);
  g_assert_nonnull (strstr (reply->str, "Retry-After:"));

  close (busy[0]);
  {
    guint status = 0;
    /* Once the server has seen that close, there is room again. */
    for (int i = 0; i < 100 && status != 200; i++)
      {
        status = health (s);
        if (status != 200)
          g_usleep (50 * 1000);
      }
    g_assert_cmpuint (status, ==, 200);
  }
  for (guint i = 1; i < G_N_ELEMENTS (busy); i++)
    close (busy[i]);
}

/* ---- bodies refused from their headers ------------------------------ */

static void
test_huge_bodies (void)
{
  g_autoptr(Server) s = server_start (256, NULL);
  g_autofree char *junk = g_malloc0 (1024 * 1024);
  static const char * const requests[] = {
    "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n"
    "Content-Length: 2000000000\r\n\r\n",
    "POST /api/v1/auth/upload-profile-image HTTP/1.1\r\nHost: shop\r\n"
    "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 2000000000\r\n\r\n",
    "PUT /uploads/product-1-aa.jpg?sig=x HTTP/1.1\r\nHost: shop\r\nContent-Type: image/jpeg\r\n"
    "Content-Length: 2000000000\r\n\r\n",
    "GET /health HTTP/1.1\r\nHost: shop\r\nContent-Length: 2000000000\r\n\r\n",
  };
  guint64 idle;

  g_assert_cmpuint (health (s), ==, 200);
  idle = status_kb (s->pid, "VmRSS");

  for (guint round = 0; round < 5; round++)
    for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
      {
        int fd = open_socket (s, TRUE);
        g_autoptr(GString) reply = NULL;
        guint sent = 0;

        g_assert_true (send_text (fd, requests[i], strlen (requests[i])));
        /* The answer comes from the headers alone… */
        {
          struct pollfd p = { .fd = fd, .events = POLLIN };
          g_assert_cmpint (poll (&p, 1, 30000), ==, 1);
        }
        reply = read_all (fd, 0);
        g_assert_cmpuint (reply_status (reply), ==, 413);
        g_assert_nonnull (strstr (reply->str, "Connection: close"));
        /* …and the bytes that follow are not taken in: the connection ends
         * long before 2 GB. */
        while (sent < 200 && send_text (fd, junk, 1024 * 1024))
          sent++;
        g_assert_cmpuint (sent, <, 200);
        close (fd);
      }
  g_test_message ("server RSS: %" G_GUINT64_FORMAT " kB idle, %" G_GUINT64_FORMAT " kB after",
                  idle, status_kb (s->pid, "VmRSS"));
  g_assert_cmpuint (status_kb (s->pid, "VmRSS"), <, idle + 50 * 1024);
  g_assert_cmpuint (health (s), ==, 200);
}

static void
test_chunked_bodies (void)
{
  g_autoptr(Server) s = server_start (256, NULL);
  static const char head[] = "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
  int fd = open_socket (s, TRUE);
  g_autoptr(GString) reply = NULL;

  /* Only the headers: the 411 cannot wait for a body that never ends. */
  g_assert_true (send_text (fd, head, strlen (head)));
  reply = read_all (fd, 30);
  g_assert_cmpuint (reply_status (reply), ==, 411);
  g_assert_nonnull (strstr (reply->str, "Connection: close"));
  close (fd);
  g_assert_cmpuint (health (s), ==, 200);
}

/* A list that the original answers whole (--no-extensions: no paging)
 * took a buffer sized for 2^32 rows: 2 GB of address space per request
 * (found when MALLOC_PERTURB_ made every such block be written). */
static void
test_list_memory (void)
{
  g_autoptr(Server) s = server_start (256, "--demo", "--no-extensions", NULL);
  static const char req[] = "GET /api/v1/products HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n";
  guint64 before;

  g_assert_cmpuint (health (s), ==, 200);
  before = status_kb (s->pid, "VmPeak");
  for (guint i = 0; i < 3; i++)
    {
      int fd = open_socket (s, TRUE);
      g_autoptr(GString) reply = NULL;

      g_assert_true (send_text (fd, req, strlen (req)));
      reply = read_all (fd, 30);
      close (fd);
      g_assert_cmpuint (reply_status (reply), ==, 200);
    }
  /* Thread arenas reserve 64–128 MB as they appear: far below 2 GB. */
  g_assert_cmpuint (status_kb (s->pid, "VmPeak") - before, <, 512 * 1024);
}

int
main (int argc, char **argv)
{
  struct rlimit rl;

  /* 500 slow sockets of our own, and the server's children. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 && rl.rlim_max >= 4096)
    {
      rl.rlim_cur = 4096;
      setrlimit (RLIMIT_NOFILE, &rl);
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http/closed-connections", test_closed_connections);
  g_test_add_func ("/http/slowloris", test_slowloris);
  g_test_add_func ("/http/timeouts", test_timeouts);
  g_test_add_func ("/http/max-connections", test_max_connections);
  g_test_add_func ("/http/huge-bodies", test_huge_bodies);
  g_test_add_func ("/http/chunked-bodies", test_chunked_bodies);
  g_test_add_func ("/http/list-memory", test_list_memory);
  return g_test_run ();
}
