/* sd-window.h — the main window: categories beside a product grid. */
#pragma once

#include <adwaita.h>

#include "sd-application.h"
#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())
G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow   *sd_window_new              (SdApplication *application);
/* Connects the window to a shop and loads it. */
void        sd_window_set_api          (SdWindow      *self,
                                        SdApi         *api);
/* Shows the "shop unreachable" page with this message and a retry. */
void        sd_window_show_error       (SdWindow      *self,
                                        const char    *message);
SdApi      *sd_window_get_api          (SdWindow      *self);
SdCatalog  *sd_window_get_catalog      (SdWindow      *self);
/* "loading", "products", "empty" or "error". */
const char *sd_window_get_state        (SdWindow      *self);

G_END_DECLS
