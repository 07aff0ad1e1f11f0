/* sd-contract.c — the shared wire vocabulary. */
#include "sd-contract.h"

#include <string.h>

#ifndef N_
# define N_(s) (s)
#endif

static const struct {
  const char *wire;
  const char *label;
} statuses[SD_ORDER_STATUS_N] = {
  { "입금 대기", N_("Awaiting payment") },
  { "결제 완료", N_("Paid") },
  { "배송 준비", N_("Preparing shipment") },
  { "배송 중", N_("Shipping") },
  { "배송 완료", N_("Delivered") },
  { "구매 확정", N_("Purchase confirmed") },
  { "주문 취소", N_("Cancelled") },
};

const char *
sd_order_status_to_wire (SdOrderStatus status)
{
  g_return_val_if_fail (status < SD_ORDER_STATUS_N, NULL);
  return statuses[status].wire;
}

gboolean
sd_order_status_from_wire (const char    *wire,
                           SdOrderStatus *out_status)
{
  if (wire == NULL)
    return FALSE;
  for (guint i = 0; i < SD_ORDER_STATUS_N; i++)
    if (strcmp (wire, statuses[i].wire) == 0)
      {
        if (out_status)
          *out_status = (SdOrderStatus) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_order_status_label (SdOrderStatus status)
{
  g_return_val_if_fail (status < SD_ORDER_STATUS_N, NULL);
  return statuses[status].label;
}

static const char * const sort_keys[] = {
  [SD_SORT_ORDER_SHOP] = NULL,
  [SD_SORT_ORDER_NEWEST] = SD_SORT_NEWEST,
  [SD_SORT_ORDER_PRICE] = SD_SORT_PRICE,
  [SD_SORT_ORDER_PRICE_DESC] = SD_SORT_PRICE_DESC,
  [SD_SORT_ORDER_NAME] = SD_SORT_NAME,
};

const char *
sd_sort_order_to_wire (SdSortOrder order)
{
  g_return_val_if_fail ((guint) order < G_N_ELEMENTS (sort_keys), NULL);
  return sort_keys[order];
}

gboolean
sd_sort_order_from_wire (const char *wire, SdSortOrder *out_order)
{
  for (guint i = 0; i < G_N_ELEMENTS (sort_keys); i++)
    if (g_strcmp0 (wire, sort_keys[i]) == 0)
      {
        if (out_order)
          *out_order = (SdSortOrder) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sd_is_sort_key (const char *key)
{
  return key != NULL && sd_sort_order_from_wire (key, NULL);
}

/* Ids are opaque to clients; the server issues 24 lower-case hex digits
 * (the shape of a MongoDB ObjectId) and uses this to reject junk early. */
gboolean
sd_is_object_id (const char *id)
{
  if (id == NULL || strlen (id) != 24)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}
