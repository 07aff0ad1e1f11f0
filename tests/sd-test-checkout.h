/* sd-test-checkout.h — what the checkout and orders programs share: a
 * shop opened with a cart, items added, a checkout submitted, the orders'
 * calls awaited, a guest's key looked up in the keyring. */
#pragma once

#include "storedesk.h"
#include "sd-test-util.h"

G_BEGIN_DECLS

typedef struct {
  gboolean  done;
  SdOrder  *order;
  GError   *error;
  gboolean  ok;
} Result;

typedef struct {
  char       *dir;
  SdApi      *api;
  SdCatalog  *catalog;
  SdCart     *cart;
} Shop;

typedef struct {
  gboolean  done;
  gboolean  ok;
  SdOrder  *order;
  GError   *error;
} OrdersResult;

void submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void health_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void shop_open (Shop *shop, SdTestServer *server);
gboolean cart_saved (gpointer cart);
void shop_close (Shop *shop);
SdSession *shop_sign_in (Shop *shop);
SdProduct *add (Shop *shop, guint i, guint count);
SdOrder *submit (SdCheckout *checkout, GCancellable *cancellable, GError **error);
const char *add_with_option (Shop *shop, guint count);
char *guest_key (SdTestServer *server, SdOrder *order);
void orders_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void orders_order_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void orders_cancel_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void orders_clear (OrdersResult *r);
/* Cancels the order id (key: a guest's, else NULL) and waits for it;
 * error NULL: asserts it worked. */
void orders_cancel (SdOrders *orders, const char *id, const char *key, GError **error);
guint orders_load (SdOrders *orders, gboolean guest);
void add_in_both_modes (const char *path, GTestDataFunc func);

G_END_DECLS
