/* sd-application.h — owns the shop connection and the demo server. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_APPLICATION (sd_application_get_type ())
G_DECLARE_FINAL_TYPE (SdApplication, sd_application, SD, APPLICATION, AdwApplication)

SdApplication *sd_application_new            (void);
/* A shop URL, or NULL for the demo shop; before activation. */
void           sd_application_set_server_url (SdApplication *self,
                                              const char    *url);
/* Looks for new orders at the shop while staff are signed in; the app
 * notifies them, the Orders Board shows them. */
SdOrdersWatcher *sd_application_get_orders_watcher (SdApplication *self);

G_END_DECLS
