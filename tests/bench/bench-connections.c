/* bench-connections — many short connections to a server, closed every
 * way an attacker or a flaky network closes them, in turn: a request
 * answered then closed, closed in the request line, closed in the
 * headers (half with RST, half with FIN). Prints how many were answered,
 * how long it took, and where the server stopped answering if it did.
 *
 *   bench-connections PORT N
 *
 * Source addresses rotate over 127.0.0.2–127.0.0.250 so the client does
 * not run out of ports itself. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
connect_from (unsigned i, unsigned short port, int reset)
{
  struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = 0 };
  struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  if (fd < 0)
    return -1;
  src.sin_addr.s_addr = htonl ((127u << 24) | (2 + i % 249));
  dst.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reset)
    {
      struct linger lg = { 1, 0 };
      setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
  if (bind (fd, (struct sockaddr *) &src, sizeof src) != 0 ||
      connect (fd, (struct sockaddr *) &dst, sizeof dst) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
main (int argc, char **argv)
{
  static const char full[] = "GET /health HTTP/1.1\r\nHost: shop\r\n\r\n";
  static const char line[] = "GET /heal";
  static const char headers[] = "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: shop\r\nContent-Le";
  unsigned short port;
  unsigned n, answered = 0, asked = 0, unanswered = 0, failed_connect = 0;
  double t0, t;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-connections PORT N\n");
      return 2;
    }
  port = (unsigned short) atoi (argv[1]);
  n = (unsigned) strtoul (argv[2], NULL, 10);
  t0 = now_s ();
  for (unsigned i = 0; i < n; i++)
    {
      int fd = connect_from (i, port, i % 2 == 0);
      char buf[512];

      if (fd < 0)
        {
          failed_connect++;
          continue;
        }
      switch (i % 4)
        {
        case 0:
        case 1:
          {
            struct pollfd p = { .fd = fd, .events = POLLIN };

            asked++;
            if (send (fd, full, sizeof full - 1, MSG_NOSIGNAL) > 0 && poll (&p, 1, 2000) == 1 &&
                recv (fd, buf, sizeof buf, 0) > 0)
              answered++;
            else if (++unanswered >= 20)
              {
                close (fd);
                printf ("stopped answering: 20 requests unanswered, after %u connections\n", i + 1);
                n = i + 1;
                goto done;
              }
            break;
          }
        case 2:
          send (fd, line, sizeof line - 1, MSG_NOSIGNAL);
          break;
        case 3:
          send (fd, headers, sizeof headers - 1, MSG_NOSIGNAL);
          break;
        }
      close (fd);
    }
done:
  t = now_s () - t0;
  printf ("%u connections in %.1f s (%.0f/s): %u of %u requests answered, %u connects refused\n",
          n, t, n / t, answered, asked, failed_connect);
  return unanswered >= 20 ? 1 : 0;
}
