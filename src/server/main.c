/* storedesk-server — the reference shop backend (shared/API.md). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"
#include "sd-server.h"
#include "sd-server-seed.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static gboolean
quit_cb (gpointer loop)
{
  g_message ("stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
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

int
main (int argc, char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *data_dir = NULL;
  gboolean demo = FALSE, version = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address to listen on (default 127.0.0.1:3000; port 0 picks a free one)", "HOST:PORT" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Folder for shop.db and uploads/ (default: $XDG_DATA_HOME/storedesk-server)", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Seed a demo catalog and the demo accounts once", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the Storedesk reference shop server");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdServerDb) db = NULL;
  g_autoptr(SdServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *uploads = NULL;
  g_autofree char *url = NULL;
  guint port;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints “listening on http://HOST:PORT” as its first line on standard output.\n"
    "Logs one line per request on standard error; never tokens or passwords.\n"
    "Stops cleanly on SIGTERM or SIGINT.");
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
  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "storedesk-server", NULL);

  uploads = g_build_filename (data_dir, "uploads", NULL);
  if (g_mkdir_with_parents (uploads, 0750) != 0)
    {
      g_printerr ("storedesk-server: cannot create %s: %s\n", uploads, g_strerror (errno));
      return 1;
    }
  db_path = g_build_filename (data_dir, "shop.db", NULL);
  db = sd_server_db_open (db_path, &error);
  if (db == NULL)
    {
      g_printerr ("storedesk-server: %s\n", error->message);
      return 1;
    }
  if (demo && !sd_server_seed_demo (db, uploads, &error))
    {
      g_printerr ("storedesk-server: seeding the demo shop: %s\n", error->message);
      return 1;
    }

  server = sd_server_new (db, data_dir);
  if (!sd_server_listen (server, host, port, &error))
    {
      g_printerr ("storedesk-server: cannot listen on %s:%u: %s\n", host, port, error->message);
      return 1;
    }
  url = sd_server_get_url (server);
  printf ("listening on %s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  sd_server_shutdown (server);
  return 0;
}
