/* sd-option.h — a product's option: a name and the values a customer picks from. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_TYPE_OPTION (sd_option_get_type ())
G_DECLARE_FINAL_TYPE (SdOption, sd_option, SD, OPTION, GObject)

/* "" when the shop sent none (the original's options may lack an _id). */
const char         *sd_option_get_id       (SdOption *self);
/* e.g. "색상" */
const char         *sd_option_get_name     (SdOption *self);
/* e.g. { "내추럴", "화이트", NULL }; never NULL, may be empty. */
const char * const *sd_option_get_values   (SdOption *self);
guint               sd_option_get_n_values (SdOption *self);
gboolean            sd_option_has_value    (SdOption   *self,
                                            const char *value);

G_END_DECLS
