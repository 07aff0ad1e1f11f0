/* sd-server-transfer.h — `storedesk-server export` and `import`: a whole
 * shop as JSON lines, pictures included, from one database into another
 * (sd-server-transfer.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] is the command's name. Exit code: 0 done, 1 failure, 2 usage. */
int sd_server_export_main (int argc, char **argv);
int sd_server_import_main (int argc, char **argv);

G_END_DECLS
