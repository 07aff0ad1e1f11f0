/* sd-i18n.h — translations for the programs built on libstoredesk. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when this program runs from the build tree (tests, build-aux/run). */
gboolean sd_is_uninstalled (void);
/* The user's locale, and the catalog from the build tree or the system. */
void     sd_i18n_init      (void);

G_END_DECLS
