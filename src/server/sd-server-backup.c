/* sd-server-backup.c — see sd-server-backup.h. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sd-server-backup.h"

/* Pages copied per step, and the pause between steps in which the
 * server's writers get the database back. */
#define BACKUP_PAGES 256
#define BACKUP_PAUSE_MS 10
/* Pauses in a row the database may stay busy before we give up (~30 s). */
#define BACKUP_MAX_BUSY 3000

static gboolean
set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what, const char *path)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: %s", what, path,
               db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* Copies src into dest, a few pages at a time. */
static gboolean
copy_pages (sqlite3 *src, sqlite3 *dest, const char *db_path, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", src, "main");
  guint busy = 0;
  int rc;

  if (backup == NULL)
    return set_sqlite_error (error, dest, 0, "cannot start the backup of", db_path);
  for (;;)
    {
      rc = sqlite3_backup_step (backup, BACKUP_PAGES);
      if (rc == SQLITE_DONE)
        break;
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        {
          if (++busy > BACKUP_MAX_BUSY)
            break;
        }
      else if (rc == SQLITE_OK)
        busy = 0;
      else
        break;
      sqlite3_sleep (BACKUP_PAUSE_MS);
    }
  if (sqlite3_backup_finish (backup) != SQLITE_OK || rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot copy %s: %s%s", db_path,
                   sqlite3_errstr (rc == SQLITE_DONE ? sqlite3_errcode (dest) : rc),
                   rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? " (the shop kept it locked; try again)" : "");
      return FALSE;
    }
  return TRUE;
}

/* Makes what was written to path durable before it is renamed. */
static gboolean
sync_path (const char *path, int flags, GError **error)
{
  int fd = g_open (path, flags, 0);
  gboolean ok = fd >= 0 && fsync (fd) == 0;
  int saved = errno;

  if (fd >= 0)
    close (fd);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 "cannot write %s to disk: %s", path, g_strerror (saved));
  return ok;
}

static void
remove_temporary (const char *tmp)
{
  g_autofree char *journal = g_strconcat (tmp, "-journal", NULL);
  g_autofree char *wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *shm = g_strconcat (tmp, "-shm", NULL);

  g_unlink (journal);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (tmp);
}

gboolean
sd_server_backup_sqlite (const char *db_path, const char *target, GError **error)
{
  g_autofree char *tmp = g_strconcat (target, ".partial-XXXXXX", NULL);
  g_autofree char *dir = g_path_get_dirname (target);
  sqlite3 *src = NULL, *dest = NULL;
  GStatBuf src_st, target_st;
  gboolean ok = FALSE;
  int fd, rc;

  if (g_stat (db_path, &src_st) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot read the database %s: %s", db_path, g_strerror (saved));
      return FALSE;
    }
  if (g_stat (target, &target_st) == 0 &&
      target_st.st_dev == src_st.st_dev && target_st.st_ino == src_st.st_ino)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s is the database itself: name another file for the backup", target);
      return FALSE;
    }
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write the backup in %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (db_path, &src, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, src, rc, "cannot open the database", db_path);
      goto out;
    }
  sqlite3_busy_timeout (src, 5000);
  rc = sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dest, rc, "cannot write the backup", tmp);
      goto out;
    }
  if (!copy_pages (src, dest, db_path, error))
    goto out;
  /* One self-contained file, that opening it later leaves alone (the
   * server turns WAL back on when it opens a restored shop.db). */
  rc = sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dest, rc, "cannot finish the backup", tmp);
      goto out;
    }
  rc = sqlite3_close (dest);
  dest = NULL;
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, NULL, rc, "cannot finish the backup", tmp);
      goto out;
    }
  if (!sync_path (tmp, O_RDONLY, error))
    goto out;
  if (g_rename (tmp, target) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot name the backup %s: %s", target, g_strerror (saved));
      goto out;
    }
  /* The rename itself, durable; a backup is whole without it. */
  sync_path (dir, O_RDONLY | O_DIRECTORY, NULL);
  ok = TRUE;

out:
  sqlite3_close (dest);
  sqlite3_close (src);
  if (!ok)
    remove_temporary (tmp);
  return ok;
}

/* --database: a path, sqlite:PATH or sqlite://PATH → the SQLite file;
 * NULL and *out_usage set for a URL we do not back up ourselves. */
static char *
database_path (const char *database, const char **out_usage)
{
  static const char *const postgres[] = { "postgresql:", "postgres:" };

  for (guint i = 0; i < G_N_ELEMENTS (postgres); i++)
    if (g_str_has_prefix (database, postgres[i]))
      {
        *out_usage = "a PostgreSQL shop is backed up with pg_dump, for example "
                     "pg_dump --format=custom --file=shop.dump URL (see the README, Backups)";
        return NULL;
      }
  if (g_str_has_prefix (database, "sqlite://"))
    return g_strdup (database + strlen ("sqlite://"));
  if (g_str_has_prefix (database, "sqlite:"))
    return g_strdup (database + strlen ("sqlite:"));
  if (strstr (database, "://") != NULL)
    {
      *out_usage = "--database wants a SQLite file (PATH or sqlite:PATH) or a postgresql:// URL";
      return NULL;
    }
  return g_strdup (database);
}

int
sd_server_backup_main (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *db_path = NULL;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "The shop's data folder (default: $XDG_DATA_HOME/storedesk-server)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      "The shop's database: PATH or sqlite:PATH (default DIR/shop.db); "
      "postgresql:// shops are backed up with pg_dump", "URL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — copy the shop's database to FILE, while it runs");
  g_autoptr(GError) error = NULL;
  const char *usage = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "The copy is made while the server keeps running and taking orders. FILE appears only\n"
    "once the copy is whole, readable by its owner alone. To restore, stop the server and\n"
    "copy FILE back as DIR/shop.db.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("storedesk-server backup: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || argv[1][0] == '\0')
    {
      g_printerr ("storedesk-server backup: name one FILE to write the backup to\n");
      return 2;
    }
  if (database != NULL)
    db_path = database_path (database, &usage);
  else
    {
      if (data_dir == NULL)
        data_dir = g_build_filename (g_get_user_data_dir (), "storedesk-server", NULL);
      db_path = g_build_filename (data_dir, "shop.db", NULL);
    }
  if (db_path == NULL || *db_path == '\0')
    {
      g_printerr ("storedesk-server backup: %s\n", usage ? usage : "--database names no file");
      return 2;
    }
  if (!sd_server_backup_sqlite (db_path, argv[1], &error))
    {
      g_printerr ("storedesk-server backup: %s\n", error->message);
      return 1;
    }
  g_print ("backed up %s to %s\n", db_path, argv[1]);
  return 0;
}
