/* test-enums.c — the contract's enums as GTypes (glib-mkenums in
 * libstoredesk): every value registered, the wire tables beside them,
 * and the properties that hold them typed as enums. */
#include "storedesk.h"

static void
test_sort_order (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SD_TYPE_SORT_ORDER);

  g_assert_true (G_TYPE_IS_ENUM (SD_TYPE_SORT_ORDER));
  g_assert_cmpuint (klass->n_values, ==, SD_SORT_ORDER_NAME + 1);
  for (guint i = 0; i < klass->n_values; i++)
    {
      SdSortOrder order = (SdSortOrder) klass->values[i].value;
      SdSortOrder back;

      g_assert_true (sd_sort_order_from_wire (sd_sort_order_to_wire (order), &back));
      g_assert_cmpint (back, ==, order);
    }
  g_assert_cmpstr (g_enum_get_value (klass, SD_SORT_ORDER_PRICE_DESC)->value_nick, ==, "price-desc");
}

static void
test_order_status (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SD_TYPE_ORDER_STATUS);
  GObjectClass *order_class = g_type_class_ref (SD_TYPE_ORDER);
  GParamSpec *status = g_object_class_find_property (order_class, "status");

  /* SD_ORDER_STATUS_N is a count, not a status. */
  g_assert_cmpuint (klass->n_values, ==, SD_ORDER_STATUS_N);
  for (guint i = 0; i < SD_ORDER_STATUS_N; i++)
    g_assert_nonnull (g_enum_get_value (klass, (int) i));
  g_assert_true (G_IS_PARAM_SPEC_ENUM (status));
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (status) == SD_TYPE_ORDER_STATUS);
  g_type_class_unref (order_class);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/enums/sort-order", test_sort_order);
  g_test_add_func ("/enums/order-status", test_order_status);
  return g_test_run ();
}
