/* sd-test-checkout.c — what the checkout and orders programs share
 * (sd-test-checkout.h). */
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-test-checkout.h"

void
submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->order = sd_checkout_submit_finish (SD_CHECKOUT (source), result, &r->error);
  r->done = TRUE;
}

void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_catalog_load_finish (SD_CATALOG (source), result, &r->error);
  r->done = TRUE;
}

void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_session_sign_in_finish (SD_SESSION (source), result, &r->error);
  r->done = TRUE;
}

void
health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_api_check_health_finish (SD_API (source), result, &r->error);
  r->done = TRUE;
}
void
shop_open (Shop *shop, SdTestServer *server)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  Result r = { 0 };

  shop->dir = g_dir_make_tmp ("storedesk-checkout-XXXXXX", NULL);
  path = g_build_filename (shop->dir, "cart.json", NULL);
  file = g_file_new_for_path (path);
  shop->api = sd_api_new (server->url, NULL);
  shop->catalog = sd_catalog_new (shop->api);
  shop->cart = sd_cart_new_for_file (file);
  sd_api_check_health_async (shop->api, NULL, health_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  r.done = FALSE;
  sd_catalog_load_async (shop->catalog, NULL, NULL, loaded_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
}

gboolean
cart_saved (gpointer cart)
{
  return !sd_cart_get_saving (cart);
}

/* The demo customer signed in on shop (asserted): the session. */
SdSession *
shop_sign_in (Shop *shop)
{
  SdSession *session = sd_session_new (shop->api);
  Result r = { 0 };

  sd_session_sign_in_async (session, "customer@example.com", "Customer1234!", NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  return session;
}

void
shop_close (Shop *shop)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", shop->dir);

  sd_test_wait_for (cart_saved, shop->cart);
  g_clear_object (&shop->cart);
  g_clear_object (&shop->catalog);
  g_clear_object (&shop->api);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (shop->dir);
}

/* Puts product i (a product without tracked stock limits) into the cart. */
SdProduct *
add (Shop *shop, guint i, guint count)
{
  SdProduct *p = g_list_model_get_item (G_LIST_MODEL (shop->catalog), i);

  sd_cart_add (shop->cart, p, NULL, count);
  return p;
}

SdOrder *
submit (SdCheckout *checkout, GCancellable *cancellable, GError **error)
{
  Result r = { 0 };

  sd_checkout_submit_async (checkout, cancellable, submitted_cb, &r);
  sd_test_wait (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.order;
}

/* Puts the first product with an option into the cart, with its last
 * value chosen; that value. */
const char *
add_with_option (Shop *shop, guint count)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (shop->catalog)); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (shop->catalog), i);
      SdOption *option = sd_product_get_option (p);

      if (option && sd_option_get_n_values (option) > 1 && sd_product_get_stock (p) != 0)
        {
          const char *value = sd_option_get_values (option)[sd_option_get_n_values (option) - 1];
          sd_cart_add (shop->cart, p, value, count);
          return g_intern_string (value);
        }
    }
  g_assert_not_reached ();
}

static const SecretSchema guest_schema = {
  "io.github.storedesk.Storedesk.GuestOrder", SECRET_SCHEMA_NONE,
  { { "shop", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "order", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

/* Looked up directly in the keyring, not through libstoredesk. */
char *
guest_key (SdTestServer *server, SdOrder *order)
{
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_sync (&guest_schema, NULL, &error, "shop", server->url,
                                           "order", sd_order_get_id (order), NULL);
  g_assert_no_error (error);
  return key;
}
void
orders_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->ok = sd_orders_load_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

void
orders_order_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->order = sd_orders_order_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

void
orders_cancel_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OrdersResult *r = user_data;
  r->ok = sd_orders_cancel_finish (SD_ORDERS (source), result, &r->error);
  r->done = TRUE;
}

void
orders_clear (OrdersResult *r)
{
  g_clear_object (&r->order);
  g_clear_error (&r->error);
  r->done = r->ok = FALSE;
}

/* Loads orders (when guest, the guest's orders kept here), asserting
 * it worked: how many are listed. */
guint
orders_load (SdOrders *orders, gboolean guest)
{
  OrdersResult r = { 0 };

  if (guest)
    sd_orders_load_guest_async (orders, NULL, orders_loaded_cb, &r);
  else
    sd_orders_load_async (orders, NULL, orders_loaded_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  orders_clear (&r);
  return g_list_model_get_n_items (G_LIST_MODEL (orders));
}

/* The core flows run against both servers, the same code. */
void
add_in_both_modes (const char *path, GTestDataFunc func)
{
  for (SdTestMode mode = SD_TEST_OURS; mode <= SD_TEST_ORIGINAL; mode++)
    {
      g_autofree char *p = sd_test_mode_path (path, mode);
      g_test_add_data_func (p, GINT_TO_POINTER (mode), func);
    }
}

void
orders_cancel (SdOrders *orders, const char *id, const char *key, GError **error)
{
  OrdersResult r = { 0 };

  sd_orders_cancel_async (orders, id, key, NULL, orders_cancel_cb, &r);
  sd_test_wait (&r.done);
  if (error)
    g_propagate_error (error, g_steal_pointer (&r.error));
  else
    g_assert_no_error (r.error);
  orders_clear (&r);
}
