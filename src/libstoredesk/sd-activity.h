/* sd-activity.h — one entry of the shop's activity log ([ext]
 * "activity"): who changed what, and when. Listed by
 * sd_admin_list_activity_async (sd-admin.h). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What an entry is about; ANY: every kind (a list's filter). */
typedef enum {
  SD_ACTIVITY_ANY,
  SD_ACTIVITY_ORDER,
  SD_ACTIVITY_PRODUCT,
  SD_ACTIVITY_CATEGORY,
} SdActivityEntity;

typedef enum {
  SD_ACTIVITY_CREATE,
  SD_ACTIVITY_UPDATE,
  SD_ACTIVITY_STATUS,    /* an order's status */
  SD_ACTIVITY_DELETE,
} SdActivityAction;

/* Where a change came from, as the app that sent it said. */
typedef enum {
  SD_ACTIVITY_ORIGIN_NONE,
  SD_ACTIVITY_ORIGIN_BULK,     /* one change of many orders at once */
  SD_ACTIVITY_ORIGIN_UNDO,
  SD_ACTIVITY_ORIGIN_REPLAY,   /* made offline, sent when the shop answered again */
} SdActivityOrigin;

#define SD_TYPE_ACTIVITY (sd_activity_get_type ())
G_DECLARE_FINAL_TYPE (SdActivity, sd_activity, SD, ACTIVITY, GObject)

/* When, in UTC; NULL when the shop sent no readable time. */
GDateTime        *sd_activity_get_at          (SdActivity *self);
/* Who: the name they had then, else their email ("" when neither). */
const char       *sd_activity_get_actor       (SdActivity *self);
const char       *sd_activity_get_actor_email (SdActivity *self);
SdActivityEntity  sd_activity_get_entity      (SdActivity *self);
const char       *sd_activity_get_entity_id   (SdActivity *self);
/* The order number, product or category name as it was. */
const char       *sd_activity_get_label       (SdActivity *self);
SdActivityAction  sd_activity_get_action      (SdActivity *self);
SdActivityOrigin  sd_activity_get_origin      (SdActivity *self);

/* The fields changed, in the order the shop listed them
 * (NULL-terminated, owned by the entry), and one's old and new value as
 * text (numbers as digits; NULL for none). FALSE when it did not change. */
const char * const *sd_activity_get_fields    (SdActivity *self);
gboolean          sd_activity_get_change      (SdActivity  *self,
                                               const char  *field,
                                               const char **out_old,
                                               const char **out_new);

/* What happened, translated, for a person: "Status: Paid → Preparing
 * shipment", "Price: ₩12,000 → ₩31,000; Stock: 5 → 3", "Renamed “A” to
 * “B”", "Created", "Deleted". */
char             *sd_activity_describe        (SdActivity *self);
/* The origin as a short tag ("Bulk change", "Undo", "Sent later from
 * offline"); NULL for none. */
const char       *sd_activity_origin_label    (SdActivityOrigin origin);
/* The entry as one sentence, for a screen reader: "Kim changed order
 * 20260101-0001 at 12:30: Status: Paid → Preparing shipment (undo)". */
char             *sd_activity_dup_sentence    (SdActivity *self);

G_END_DECLS
