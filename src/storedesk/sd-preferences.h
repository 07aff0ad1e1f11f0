/* sd-preferences.h — the shop to use, and whom to trust for its TLS. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_PREFERENCES (sd_preferences_get_type ())
G_DECLARE_FINAL_TYPE (SdPreferences, sd_preferences, SD, PREFERENCES, AdwPreferencesWindow)

/* settings: the app's GSettings ("server-url", "ca-file"); api: the
 * shop in use (its kept pictures), or NULL. */
SdPreferences *sd_preferences_new          (GtkWindow     *parent,
                                            GSettings     *settings,
                                            SdApi         *api);
/* What Clear does: empties the pictures kept on disk for the shop. */
void           sd_preferences_clear_pictures (SdPreferences *self);
/* What Apply on the shop address does: checks that a shop answers
 * there, then saves it and reconnects. */
void           sd_preferences_set_shop_url (SdPreferences *self,
                                            const char    *url);
const char    *sd_preferences_get_status   (SdPreferences *self);

G_END_DECLS
