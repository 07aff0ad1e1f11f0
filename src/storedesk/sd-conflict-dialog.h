/* sd-conflict-dialog.h — one edit that met someone else's change at the
 * shop: what it was, what the shop has now and what you made, field by
 * field, side by side. Keep theirs (drop yours), keep yours (sent on
 * their record), or merge: yours for the fields ticked, theirs for the
 * rest. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_CONFLICT_DIALOG (sd_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdConflictDialog, sd_conflict_dialog, SD, CONFLICT_DIALOG, AdwWindow)

SdConflictDialog *sd_conflict_dialog_new (GtkWindow  *parent,
                                          SdSync     *sync,
                                          SdSyncItem *item);
/* For tests: ticks "use mine" for field (a contract field name). */
void              sd_conflict_dialog_set_use_mine (SdConflictDialog *self,
                                                   const char       *field,
                                                   gboolean          mine);

G_END_DECLS
