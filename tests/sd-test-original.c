/* sd-test-original.c — see sd-test-original.h. */
#include "sd-test-original.h"

#include "sd-test-http.h"

SdTestServer *
sd_test_server_start_mode (SdTestMode mode)
{
  return sd_test_server_start_mode_with (mode, NULL);
}

SdTestServer *
sd_test_server_start_mode_with (SdTestMode mode, const char * const *arguments)
{
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  if (mode == SD_TEST_ORIGINAL)
    {
      g_strv_builder_add (all, "--no-extensions");
      g_strv_builder_add (all, "--order-links");
    }
  if (arguments)
    g_strv_builder_addv (all, (const char **) arguments);
  argv = g_strv_builder_end (all);
  return sd_test_server_start_with (TRUE, (const char * const *) argv);
}

char *
sd_test_mode_path (const char *path, SdTestMode mode)
{
  return mode == SD_TEST_OURS ? g_strdup (path) : g_strconcat (path, "/original", NULL);
}

guint
sd_test_order_count (SdTestServer *server, SdTestMode mode)
{
  g_autofree char *admin = sd_test_sign_in (server, "admin@example.com", "Admin1234!", NULL);
  g_autoptr(SdTestReply) r = NULL;
  JsonNode *data;

  if (mode == SD_TEST_OURS)
    {
      r = sd_test_http (server, "GET", "/api/v1/admin/orders?limit=1", admin, NULL, NULL);
      sd_test_data (r, 200);
      return (guint) g_ascii_strtoull (soup_message_headers_get_one (r->headers, "X-Total-Count"), NULL, 10);
    }
  /* orderService.js:52: no orders at all is a 404. */
  r = sd_test_http (server, "GET", "/api/v1/admin/orders", admin, NULL, NULL);
  if (r->status == 404)
    return 0;
  data = sd_test_data (r, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  return json_array_get_length (json_node_get_array (data));
}
