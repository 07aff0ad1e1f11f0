/* sd-test-original-shop.c — what the test-server-original*.c programs
 * share (sd-test-original-shop.h). */
#include "sd-test-original-shop.h"

Shop *
shop_new_with (const char * const *args)
{
  Shop *shop = g_new0 (Shop, 1);
  g_autoptr(SdTestReply) list = NULL;
  JsonArray *all;

  shop->server = sd_test_server_start_with (TRUE, args);
  sd_test_server_create_admin (shop->server, ADMIN_EMAIL, ADMIN_PASSWORD);
  shop->admin = sd_test_sign_in (shop->server, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
  list = sd_test_http (shop->server, "GET", "/api/v1/products", NULL, NULL, NULL);
  all = json_node_get_array (sd_test_data (list, 200));
  for (guint i = 0; i < json_array_get_length (all) && shop->product == NULL; i++)
    {
      JsonObject *p = json_array_get_object_element (all, i);
      if (JSON_NODE_HOLDS_OBJECT (json_object_get_member (p, "options")))
        shop->product = json_object_ref (p);
    }
  g_assert_nonnull (shop->product);
  return shop;
}

Shop *
shop_new (void)
{
  static const char * const args[] = { "--no-extensions", "--cors-origin", "http://localhost:8080", NULL };
  return shop_new_with (args);
}

void
shop_free (Shop *shop)
{
  json_object_unref (shop->product);
  g_free (shop->admin);
  sd_test_server_free (shop->server);
  g_free (shop);
}
/* An order of one of shop->product, in the original's shape: the line
 * refers to the option SET by its id (product.options._id). */
char *
order_body (Shop *shop, const char *status, const char *options)
{
  JsonObject *p = shop->product;
  gint64 price = json_object_get_int_member (p, "price");
  const char *set = json_object_get_string_member (json_object_get_object_member (p, "options"), "_id");

  return g_strdup_printf ("{\"status\":\"%s\",\"product\":[{\"id\":\"%s\",\"name\":\"%s\",\"count\":1,"
                          "\"image\":\"uploads/x.jpg\",\"options\":\"%s\"}],\"memo\":\"문 앞\","
                          "\"payment\":{\"ttlPriceItem\":%" G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,"
                          "\"ttlPrice\":%" G_GINT64_FORMAT "}}",
                          status, json_object_get_string_member (p, "_id"), json_object_get_string_member (p, "name"),
                          options ? options : set, price, price + 3000);
}

const char *
error_of (SdTestReply *r)
{
  g_assert_nonnull (r->root);
  return json_object_get_string_member (json_node_get_object (r->root), "error");
}
