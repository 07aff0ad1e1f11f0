/* sd-connection-doctor.h — Help → Connection (see sd-connection-doctor.c). */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_CONNECTION_DOCTOR (sd_connection_doctor_get_type ())
G_DECLARE_FINAL_TYPE (SdConnectionDoctor, sd_connection_doctor, SD, CONNECTION_DOCTOR, AdwWindow)

SdConnectionDoctor *sd_connection_doctor_new        (GtkWindow          *parent,
                                                     SdShop             *shop);
/* The text "Copy Report" copies (as of the window's opening or the last
 * copy). */
const char         *sd_connection_doctor_get_report (SdConnectionDoctor *self);

G_END_DECLS
