/* sd-activity-private.h — what the core's files share of SdActivity: its
 * parser and its wire names. */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-activity.h"

G_BEGIN_DECLS

/* An entry from the shop's JSON (an SdFromJson); NOT a trusted shape. */
GObject    *sd_activity_new_from_json  (JsonNode         *node,
                                        GError          **error);
/* "order", "product", "category"; NULL for ANY. */
const char *sd_activity_entity_to_wire (SdActivityEntity  entity);
/* "bulk", "undo", "replay"; NULL for none. */
const char *sd_activity_origin_to_wire (SdActivityOrigin  origin);
/* And back; NONE for anything else. */
SdActivityOrigin sd_activity_origin_from_wire (const char *text);

G_END_DECLS
