/* sd-user.h — a shop account as staff see it (never a password). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_TYPE_USER (sd_user_get_type ())
G_DECLARE_FINAL_TYPE (SdUser, sd_user, SD, USER, GObject)

const char *sd_user_get_id           (SdUser *self);
const char *sd_user_get_name         (SdUser *self);
const char *sd_user_get_email        (SdUser *self);
const char *sd_user_get_phone_number (SdUser *self);
gboolean    sd_user_get_is_admin     (SdUser *self);
/* ISO 8601, as the shop sent it; "" when it did not. */
const char *sd_user_get_created_at   (SdUser *self);

G_END_DECLS
