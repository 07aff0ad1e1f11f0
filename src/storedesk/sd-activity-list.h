/* sd-activity-list.h — the shop's log of changes for one record, one
 * kind or all (SdActivity): a row per change, newest first, "Load More"
 * for older ones, and its loading, empty, error and "not kept" states. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_ACTIVITY_LIST (sd_activity_list_get_type ())
G_DECLARE_FINAL_TYPE (SdActivityList, sd_activity_list, SD, ACTIVITY_LIST, GtkWidget)

GtkWidget *sd_activity_list_new        (void);
/* Reads the log of id (with its entity; NULL: every record of entity)
 * from the shop admin reaches, page by page; NULL admin: shows nothing.
 * Whatever it showed before is dropped. */
void       sd_activity_list_show       (SdActivityList   *self,
                                        SdAdmin          *admin,
                                        SdActivityEntity  entity,
                                        const char       *id);
/* Reads the first page again (a change was just made). */
void       sd_activity_list_reload     (SdActivityList   *self);
/* "compact": in a record's pane (its states said in a line, each row
 * without the record's name), not a page of its own. */
void       sd_activity_list_set_compact (SdActivityList  *self,
                                         gboolean         compact);
/* For tests: a page is being read; the entries shown. */
gboolean   sd_activity_list_get_loading (SdActivityList  *self);
GListModel *sd_activity_list_get_entries (SdActivityList *self);

G_END_DECLS
