/* storedesk-server — the reference shop backend (shared/API.md). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "sd-fields.h"
#include "sd-server.h"
#include "sd-server-backup.h"
#include "sd-server-seed.h"
#include "sd-server-transfer.h"

/* One worker: an SdServer with its own store connection, answering on
 * its own libmicrohttpd thread. */
typedef struct {
  SdServerStore *store;
  SdServer      *server;
} Worker;

typedef struct {
  GPtrArray *workers;
  GMainLoop *loop;
  guint      draining;
  gboolean   stopping;
} Run;

static gboolean
drained_cb (gpointer user_data)
{
  Run *run = user_data;

  if (--run->draining == 0)
    g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Run *run = user_data;

  if (run->stopping)
    return G_SOURCE_CONTINUE;
  run->stopping = TRUE;
  g_message ("stopping: finishing the requests in flight");
  run->draining = run->workers->len;
  for (guint i = 0; i < run->workers->len; i++)
    {
      Worker *w = run->workers->pdata[i];
      sd_server_drain (w->server, drained_cb, run);
    }
  return G_SOURCE_CONTINUE;
}

static void
worker_free (Worker *w)
{
  if (w->server)
    sd_server_shutdown (w->server);
  g_clear_object (&w->server);
  g_clear_object (&w->store);   /* closes its connection */
  g_free (w);
}

/* "127.0.0.1:0", "[::1]:8080", "0.0.0.0:3000" → host and port. */
static gboolean
parse_listen (const char *spec, char **out_host, guint *out_port, GError **error)
{
  const char *colon = strrchr (spec, ':');
  guint64 port;

  if (colon == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--listen wants HOST:PORT, for example 127.0.0.1:3000 (got “%s”)", spec);
      return FALSE;
    }
  if (spec[0] == '[' && colon > spec && colon[-1] == ']')
    *out_host = g_strndup (spec + 1, colon - spec - 2);
  else
    *out_host = g_strndup (spec, colon - spec);
  *out_port = (guint) port;
  return TRUE;
}

/* The data dir holds the database, and in it the keys that sign every
 * token: it is the owner's alone. Narrows what an older server, or a
 * wider umask, left behind, in one log line. SQLite gives the files it
 * makes later (-wal, -shm, -journal) the mode of shop.db. */
static gboolean
narrow_data_dir (const char *data_dir, GError **error)
{
  static const struct { const char *name; mode_t mode; } entries[] = {
    { ".", 0700 }, { "uploads", 0700 }, { "outbox", 0700 },
    { "shop.db", 0600 }, { "shop.db-wal", 0600 }, { "shop.db-shm", 0600 }, { "shop.db-journal", 0600 },
  };
  g_autoptr(GString) changed = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *path = g_build_filename (data_dir, entries[i].name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) != 0)
        {
          if (errno == ENOENT)
            continue;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                       "cannot read %s: %s", path, g_strerror (errno));
          return FALSE;
        }
      if ((st.st_mode & 07777 & ~entries[i].mode) == 0)
        continue;
      if (g_chmod (path, entries[i].mode) != 0)
        {
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                       "cannot make %s the owner's alone: %s", path, g_strerror (errno));
          return FALSE;
        }
      g_string_append_printf (changed, "%s%s %04o->%04o", changed->len ? ", " : "",
                              i == 0 ? "the folder" : entries[i].name,
                              (guint) (st.st_mode & 07777), (guint) entries[i].mode);
    }
  if (changed->len > 0)
    g_message ("narrowed %s to its owner alone (it holds the signing keys): %s", data_dir, changed->str);
  return TRUE;
}

/* database: --database, NULL for DATA_DIR/shop.db. */
static SdServerStore *
open_data_dir (const char *data_dir, const char *database, GError **error)
{
  g_autofree char *uploads = g_build_filename (data_dir, "uploads", NULL);
  g_autofree char *db_path = database ? g_strdup (database) : g_build_filename (data_dir, "shop.db", NULL);

  if (g_mkdir_with_parents (uploads, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "cannot create %s: %s", uploads, g_strerror (errno));
      return NULL;
    }
  if (!narrow_data_dir (data_dir, error))
    return NULL;
  return sd_server_store_open (db_path, error);
}

/* Reads a password from standard input: a prompt without echo on a
 * terminal, one line otherwise. */
static char *
read_password (void)
{
  char buf[256];
  struct termios old, quiet;
  gboolean tty = isatty (STDIN_FILENO);

  if (tty)
    {
      fprintf (stderr, "Password for the admin (8–16 characters): ");
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  if (fgets (buf, sizeof buf, stdin) == NULL)
    buf[0] = '\0';
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &old);
      fprintf (stderr, "\n");
    }
  buf[strcspn (buf, "\r\n")] = '\0';
  {
    char *password = g_strdup (buf);
    explicit_bzero (buf, sizeof buf);
    return password;
  }
}

#define DATABASE_HELP \
  "The shop's database: a SQLite file (PATH or sqlite:PATH; default DATA_DIR/shop.db) or " \
  "postgresql://USER@HOST:PORT/DB (the password from PGPASSWORD or ~/.pgpass, never in the URL)"

/* `migrate --database=URL`: PostgreSQL's schema brought up to date, with
 * every node stopped (SQLite's migrates by itself at start). */
static int
migrate (int argc, char **argv)
{
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_STRING, &database, DATABASE_HELP, "URL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— bring the database's schema up to date");
  g_autoptr(GError) error = NULL;
  guint steps = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || database == NULL || argc > 1)
    {
      g_printerr ("storedesk-server migrate: %s\n", error ? error->message : "give --database=URL");
      return 2;
    }
  if (!sd_server_store_migrate (database, &steps, &error))
    {
      g_printerr ("storedesk-server migrate: %s\n", error->message);
      return 1;
    }
  g_print (steps ? "the schema is up to date (%u step(s) taken)\n" : "the schema was up to date already\n", steps);
  return 0;
}

static int
create_admin (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *email = NULL;
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "The shop's data folder (required)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database, DATABASE_HELP, "URL" },
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email, "The admin's email address (required)", "EMAIL" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "The admin's name (default 관리자)", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— create a shop admin, or make an account one");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerStore) store = NULL;
  g_autofree char *password = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *id = NULL;
  SdServerUserInput in = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "The password is read from standard input (a prompt without echo on a terminal).\n"
    "An existing account with that email becomes an admin and gets the new password.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("storedesk-server create-admin: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL || email == NULL || !sd_field_is_email (email))
    {
      g_printerr ("storedesk-server create-admin: give --data-dir DIR and a valid --email\n");
      return 2;
    }
  password = read_password ();
  if (!sd_field_is_password (password))
    {
      g_printerr ("storedesk-server create-admin: the password must be 8–16 characters "
                  "from A-Z a-z 0-9 ! @ # $ %% ^ & * ( ) - _ + = < > ?\n");
      explicit_bzero (password, strlen (password));
      return 2;
    }
  store = open_data_dir (data_dir, database, &error);
  if (store == NULL)
    {
      g_printerr ("storedesk-server create-admin: %s\n", error->message);
      return 1;
    }
  lower = g_ascii_strdown (email, -1);
  in = (SdServerUserInput) { .email = lower, .password = password, .name = name ? name : "관리자",
                             .role = "admin" };
  id = sd_server_store_upsert_admin (store, &in, &error);
  explicit_bzero (password, strlen (password));
  if (id == NULL)
    {
      g_printerr ("storedesk-server create-admin: %s\n", error->message);
      return 1;
    }
  g_print ("admin %s is ready\n", lower);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  g_auto(GStrv) cors = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *mail_from = NULL;
  g_auto(GStrv) public_urls = NULL;
  gboolean demo = FALSE, version = FALSE, no_rotate = FALSE, no_extensions = FALSE, order_links = FALSE;
  int access_ttl = 0, refresh_ttl = 0, upload_limit = 0, workers = 0;
  int max_connections = 0, idle_timeout = 0, header_timeout = 0;
  g_auto(GStrv) trusted_proxies = NULL;
  gint64 delivery_fee = -1;
  g_autofree char *blobs_url = NULL;
  g_autofree char *s3_endpoint = NULL;
  g_autoptr(SdServerBlobs) blobs = NULL;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address to listen on (default 127.0.0.1:3000; port 0 picks a free one)", "HOST:PORT" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Folder for shop.db, uploads/ and outbox/ (default: $XDG_DATA_HOME/storedesk-server)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database, DATABASE_HELP, "URL" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Seed a demo catalog and the demo accounts once", NULL },
    { "cors-origin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cors,
      "Allow this browser origin, with credentials (repeatable)", "ORIGIN" },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp,
      "Send confirmation codes through this SMTP server (STARTTLS when offered); "
      "without it they go to DATA_DIR/outbox/", "smtp://HOST:PORT" },
    { "mail-from", 0, 0, G_OPTION_ARG_STRING, &mail_from,
      "Sender address of confirmation mail (default storedesk@localhost)", "EMAIL" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &public_urls,
      "Base URL clients reach this server at, for picture and upload URLs (repeatable: the first is "
      "the canonical one; a request whose Host names another gets that one; any other Host gets the "
      "first). Default: the address it listens on", "URL" },
    { "delivery-fee", 0, 0, G_OPTION_ARG_INT64, &delivery_fee,
      "Delivery fee per order in won (default 3000)", "WON" },
    { "upload-limit", 0, 0, G_OPTION_ARG_INT, &upload_limit,
      "Largest picture accepted, in bytes (default 1048576)", "BYTES" },
    { "access-ttl", 0, 0, G_OPTION_ARG_INT, &access_ttl,
      "Lifetime of access tokens in seconds (default 600)", "SECONDS" },
    { "refresh-ttl", 0, 0, G_OPTION_ARG_INT, &refresh_ttl,
      "Lifetime of refresh tokens in seconds (default 21600)", "SECONDS" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers,
      "Threads answering requests, each with its own database connection (default: one per CPU, at most 16)", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      "Connections open at once, across workers; beyond, requests get 503 "
      "(default: what the file descriptor limit allows, which is raised to its maximum)", "N" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Close a connection that sends no request (or no body) for this long (default 30)", "SECONDS" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      "Close a new connection whose request headers are not in after this long (default 10)", "SECONDS" },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &trusted_proxies,
      "A reverse proxy in front of this server, whose X-Forwarded-For and X-Forwarded-Proto "
      "are believed (repeatable; for example 127.0.0.1/32)", "CIDR" },
    { "order-links", 0, 0, G_OPTION_ARG_NONE, &order_links,
      "Let anyone who has an order's id read that order, without signing in or its key, as the "
      "original web front end does (a private link). The trade: the id becomes the password, so "
      "whoever sees a link (shared, in browser history, in a log) sees the order, its lines, memo "
      "and total (the receiver stays hidden); changing or cancelling still needs the owner or the "
      "key. Only orders whose id is 96 random bits are read that way, never those made before "
      "this server version. Off by default", NULL },
    { "no-rotate-refresh", 0, 0, G_OPTION_ARG_NONE, &no_rotate,
      "Keep a refresh token for its whole life instead of replacing it at each refresh", NULL },
    { "no-extensions", 0, 0, G_OPTION_ARG_NONE, &no_extensions,
      "Answer like the original HoneyTouse backend, quirks and all (404 empty lists, 500s, "
      "no extensions), keeping only its safety fixes: a test double for clients, "
      "NOT a mode to run a shop on", NULL },
    { "blobs", 0, 0, G_OPTION_ARG_STRING, &blobs_url,
      "Where pictures are kept: file:DIR, or s3://BUCKET at --s3-endpoint with AWS_ACCESS_KEY_ID, "
      "AWS_SECRET_ACCESS_KEY and AWS_REGION (default us-east-1) from the environment "
      "(default: file:DATA_DIR/uploads)", "URL" },
    { "s3-endpoint", 0, 0, G_OPTION_ARG_STRING, &s3_endpoint,
      "The S3 store of --blobs=s3://BUCKET (path-style requests)", "http(s)://HOST:PORT" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[create-admin|backup|migrate|export|import] — the Storedesk reference shop server");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerStore) store = NULL;
  g_autoptr(SdServerGate) gate = NULL;
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  SdServerOptions options = { 0 };
  guint port;

  umask (077);   /* everything we write is the owner's alone (see narrow_data_dir) */
  setlocale (LC_ALL, "");
  if (argc > 1 && strcmp (argv[1], "create-admin") == 0)
    return create_admin (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "backup") == 0)
    return sd_server_backup_main (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "migrate") == 0)
    return migrate (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "export") == 0)
    return sd_server_export_main (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "import") == 0)
    return sd_server_import_main (argc - 1, argv + 1);

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Commands:\n"
    "  create-admin --data-dir DIR --email EMAIL   create a shop admin (password on stdin)\n"
    "  backup --data-dir DIR FILE                  copy the database to FILE while the shop runs\n"
    "  migrate --database URL                      bring a PostgreSQL schema up to date\n"
    "  export --data-dir DIR [--database URL]      write the whole shop to stdout (JSON lines)\n"
    "  import --data-dir DIR [--database URL]      read a shop from stdin into an empty database\n\n"
    "Prints “listening on http://HOST:PORT” as its first line on standard output.\n"
    "Logs one line per request on standard error; never tokens, passwords or codes.\n"
    "On SIGTERM or SIGINT it finishes the requests in flight and closes the database.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("storedesk-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("storedesk-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!parse_listen (listen ? listen : "127.0.0.1:3000", &host, &port, &error))
    {
      g_printerr ("storedesk-server: %s\n", error->message);
      return 2;
    }
  for (char **u = public_urls; u && *u; u++)
    {
      g_autoptr(GUri) uri = g_uri_parse (*u, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
          g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
        {
          g_printerr ("storedesk-server: --public-url wants an http or https base URL, "
                      "for example https://shop.example.com (got “%s”)\n", *u);
          return 2;
        }
    }
  if (workers <= 0)
    workers = (int) CLAMP (g_get_num_processors (), 1, 16);
  if (access_ttl < 0 || refresh_ttl < 0 || upload_limit < 0 || workers > 64 ||
      max_connections < 0 || idle_timeout < 0 || header_timeout < 0)
    {
      g_printerr ("storedesk-server: lifetimes and limits are positive numbers\n");
      return 2;
    }
  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "storedesk-server", NULL);
  blobs = sd_server_blobs_new (blobs_url, s3_endpoint, data_dir, &error);
  if (blobs == NULL)
    {
      g_printerr ("storedesk-server: %s\n", error->message);
      return 2;
    }
  options.blobs = blobs;
  if (blobs_url != NULL)
    g_message ("pictures in %s", sd_server_blobs_describe (blobs));

  store = open_data_dir (data_dir, database, &error);
  if (store == NULL)
    {
      g_printerr ("storedesk-server: %s\n", error->message);
      return 1;
    }
  if (demo && !sd_server_seed_demo (store, blobs, &error))
    {
      g_printerr ("storedesk-server: seeding the demo shop: %s\n", error->message);
      return 1;
    }

  options.access_ttl = (guint) access_ttl;
  options.refresh_ttl = (guint) refresh_ttl;
  options.no_rotate = no_rotate;
  options.delivery_fee = delivery_fee;
  options.upload_limit = (gsize) upload_limit;
  options.cors_origins = (const char * const *) cors;
  options.smtp_url = smtp;
  options.mail_from = mail_from;
  options.public_urls = (const char * const *) public_urls;
  options.order_links = order_links;
  options.no_extensions = no_extensions;
  {
    SdServerGateOptions gate_options = {
      .workers = (guint) workers, .max_connections = (guint) max_connections,
      .idle_timeout = (guint) idle_timeout, .header_timeout = (guint) header_timeout,
      .trusted_proxies = (const char * const *) trusted_proxies,
    };

    gate = sd_server_gate_new (&gate_options, &error);
    if (gate == NULL)
      {
        g_printerr ("storedesk-server: %s\n", error->message);
        return 2;
      }
    options.gate = gate;
    g_message ("up to %u connections at once; headers within %u s, idle connections closed after %u s",
               sd_server_gate_get_max_connections (gate), header_timeout ? header_timeout : 10,
               idle_timeout ? idle_timeout : 30);
  }
  for (int i = 0; i < workers; i++)
    {
      Worker *w = g_new0 (Worker, 1);

      w->store = i == 0 ? g_object_ref (store) : open_data_dir (data_dir, database, &error);
      g_ptr_array_add (pool, w);
      if (w->store == NULL)
        {
          g_printerr ("storedesk-server: %s\n", error->message);
          return 1;
        }
      w->server = sd_server_new (w->store, data_dir, &options);
      if (i == 0)
        sd_server_prepare (w->server);   /* secrets, before anything runs in parallel */
      if (!sd_server_listen (w->server, host, port, &error))
        {
          g_printerr ("storedesk-server: cannot listen on %s:%u: %s\n", host, port, error->message);
          return 1;
        }
      if (i == 0)
        {
          /* The others share the port the first one got. */
          url = sd_server_get_url (w->server);
          port = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
        }
    }
  printf ("listening on %s\n", url);
  fflush (stdout);
  if (public_urls == NULL)
    {
      g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);

      if (addr && !g_inet_address_get_is_loopback (addr))
        g_message ("pictures are linked at %s, whatever Host a request names: give --public-url "
                   "with the address clients reach the shop at", url);
    }
  if (order_links)
    g_message ("--order-links: an order made by this version can be read by its id alone");

  {
    Run run = { .workers = pool, .loop = g_main_loop_new (NULL, FALSE) };

    g_unix_signal_add (SIGTERM, stop_cb, &run);
    g_unix_signal_add (SIGINT, stop_cb, &run);
    g_main_loop_run (run.loop);
    g_main_loop_unref (run.loop);
  }
  g_clear_pointer (&pool, g_ptr_array_unref);
  g_clear_object (&store);   /* the last connection: SQLite checkpoints the WAL */
  g_message ("stopped");
  return 0;
}
