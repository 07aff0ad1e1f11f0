/* sd-test-api.c — what the server API tests share (sd-test-api.h). */
#include <string.h>

#include "sd-test-api.h"

char *
admin_token (SdTestServer *s)
{
  return sd_test_sign_in (s, ADMIN_EMAIL, ADMIN_PASSWORD, NULL);
}

char *
customer_token (SdTestServer *s)
{
  return sd_test_sign_in (s, CUSTOMER_EMAIL, CUSTOMER_PASSWORD, NULL);
}

/* Creates a product (admin) and returns its id. */
char *
new_product (SdTestServer *s, const char *admin, gint64 price, const char *stock)
{
  g_autoptr(SdTestReply) cats = sd_test_http (s, "GET", "/api/v1/categories", NULL, NULL, NULL);
  JsonArray *list = json_node_get_array (sd_test_data (cats, 200));
  const char *cat = json_object_get_string_member (json_array_get_object_element (list, 0), "_id");
  g_autofree char *body = g_strdup_printf ("{\"name\":\"테스트 상품\",\"categoryId\":\"%s\",\"brand\":\"꿀단집\","
                                           "\"price\":%" G_GINT64_FORMAT ",\"image\":\"\",\"description\":\"설명\","
                                           "\"stock\":%s}", cat, price, stock);
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/admin/products", admin, body, NULL);

  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 201), "_id"));
}

char *
order_json (const char *product, gint64 count, gint64 price, const char *status, gboolean receiver)
{
  gint64 item = count * price;
  return g_strdup_printf ("{\"status\":\"%s\",\"product\":[{\"id\":\"%s\",\"name\":\"x\",\"count\":%" G_GINT64_FORMAT
                          ",\"image\":\"\"}],\"memo\":\"문 앞에 놓아 주세요\",\"payment\":{\"ttlPriceItem\":%"
                          G_GINT64_FORMAT ",\"ttlPriceDelivery\":3000,\"ttlPrice\":%" G_GINT64_FORMAT "}%s%s}",
                          status ? status : "입금 대기", product, count, item, item + 3000,
                          receiver ? ",\"receiver\":" : "", receiver ? RECEIVER : "");
}

/* Places an order; returns its id, and the guest key when a guest. */
char *
place_order (SdTestServer *s, const char *token, const char *product, gint64 price, char **out_key)
{
  g_autofree char *body = order_json (product, 1, price, NULL, TRUE);
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/orders", token, body, NULL);
  JsonObject *o = sd_test_data_object (r, 201);

  if (out_key)
    *out_key = g_strdup (json_object_get_string_member (o, "accessKey"));
  return g_strdup (json_object_get_string_member (o, "_id"));
}

gint64
product_stock (SdTestServer *s, const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (s, "GET", path, NULL, NULL, NULL);
  return json_object_get_int_member (sd_test_data_object (r, 200), "stock");
}

/* ---- accounts ------------------------------------------------------- */
char *
refresh (SdTestServer *s, const char *cookie, guint expected, char **out_cookie)
{
  g_autoptr(SdTestReply) r = sd_test_http (s, "POST", "/api/v1/auth/refresh-access-token", "expired.or.not", NULL,
                                           "Cookie", cookie, NULL);
  if (expected != 200)
    {
      sd_test_assert_error (r, expected);
      return NULL;
    }
  if (out_cookie)
    {
      const char *set = soup_message_headers_get_list (r->headers, "Set-Cookie");
      const char *start = set ? strstr (set, "refreshToken=") : NULL;
      g_assert_nonnull (start);
      *out_cookie = g_strndup (start, strcspn (start, ";"));
    }
  return g_strdup (json_object_get_string_member (sd_test_data_object (r, 200), "accessToken"));
}
char *
code_body (const char *email, const char *code)
{
  return g_strdup_printf ("{\"email\":\"%s\",\"inputNumber\":\"%s\",\"newPassword\":\"Reset1234!\","
                          "\"newPasswordConfirm\":\"Reset1234!\"}", email, code);
}
