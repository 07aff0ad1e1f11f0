/* sd-server-backup.h — `storedesk-server backup`: a copy of the live
 * SQLite database, made with SQLite's online backup API while the shop
 * keeps running (issue 18). PostgreSQL shops use pg_dump (README). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies the SQLite database at db_path to target: into a temporary file
 * next to target (mode 0600: the database holds password hashes and the
 * signing keys), renamed into place only once whole, so target is never
 * a half backup. Other connections keep writing while it runs. */
gboolean sd_server_backup_sqlite (const char  *db_path,
                                  const char  *target,
                                  GError     **error);

/* The `backup` command: argv[0] is "backup". Exit code: 0 done,
 * 1 failure, 2 usage (a PostgreSQL URL included). */
int      sd_server_backup_main   (int          argc,
                                  char       **argv);

G_END_DECLS
