/* sd-activity-page.h — staff: the shop's whole log of changes, newest
 * first, of every kind or of one (orders, products, categories). */
#pragma once

#include "sd-activity-list.h"
#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_ACTIVITY_PAGE (sd_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (SdActivityPage, sd_activity_page, SD, ACTIVITY_PAGE, SdPage)

/* Reads the log again, from its newest change. */
void            sd_activity_page_reload   (SdActivityPage   *self);
/* The kind listed (SD_ACTIVITY_ANY: all), as the filter sets it. */
void            sd_activity_page_set_kind (SdActivityPage   *self,
                                           SdActivityEntity  kind);
SdActivityList *sd_activity_page_get_list (SdActivityPage   *self);

G_END_DECLS
