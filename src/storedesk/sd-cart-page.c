/* sd-cart-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-cart-page.h"
#include "sd-cart-row.h"

struct _SdCartPage
{
  SdPage        parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  GtkLabel     *items_label;
  GtkLabel     *delivery_label;
  GtkLabel     *total_label;
  GtkWidget    *offline_note;

  SdApi        *api;
  SdCart       *cart;
};

G_DEFINE_FINAL_TYPE (SdCartPage, sd_cart_page, SD_TYPE_PAGE)

enum { SIGNAL_REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_price (GtkLabel *label, gint64 won)
{
  g_autofree char *text = sd_format_price (won);
  gtk_label_set_label (label, text);
}

static void
update_totals (SdCartPage *self)
{
  guint n;

  if (self->cart == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->cart));
  set_price (self->items_label, sd_cart_get_items_total (self->cart));
  set_price (self->delivery_label, sd_cart_get_delivery_fee (self->cart));
  set_price (self->total_label, sd_cart_get_total (self->cart));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "lines" : "empty");
}

/* ---- rows ------------------------------------------------------------ */

static void
count_set_cb (SdCartRow *row, guint count, SdCartPage *self)
{
  sd_cart_set_count (self->cart, (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), count);
}

static void
remove_cb (SdCartRow *row, SdCartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  SdCartPage *self = user_data;
  GtkWidget *row = sd_cart_row_new (item, self->api, sd_page_get_cancellable (SD_PAGE (self)));

  g_signal_connect_object (row, "count-set", G_CALLBACK (count_set_cb), self, 0);
  g_signal_connect_object (row, "remove", G_CALLBACK (remove_cb), self, 0);
  return row;
}

/* Checkout is never queued: ordering needs the shop's live stock and
 * prices. While the shop does not answer, the cart says so. */
static void
online_cb (SdCartPage *self)
{
  gtk_widget_set_visible (self->offline_note, self->api != NULL && !sd_api_get_online (self->api));
}

/* The shop's cart (none until the shop has one); the pictures of the old
 * one were cancelled with the page's cancellable. */
static void
sd_cart_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdCartPage *self = SD_CART_PAGE (page);
  SdCart *cart = shop ? sd_shop_get_cart (shop) : NULL;

  if (self->cart)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  if (self->api)
    g_signal_handlers_disconnect_by_data (self->api, self);
  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
  if (self->api)
    g_signal_connect_swapped (self->api, "notify::online", G_CALLBACK (online_cb), self);
  online_cb (self);
  g_set_object (&self->cart, cart);
  gtk_list_box_bind_model (self->list, cart ? G_LIST_MODEL (cart) : NULL, cart ? create_row : NULL, self, NULL);
  if (cart)
    {
      g_signal_connect_swapped (cart, "notify::total", G_CALLBACK (update_totals), self);
      g_signal_connect_swapped (cart, "notify::n-items", G_CALLBACK (update_totals), self);
    }
  update_totals (self);
}

static void
sd_cart_page_dispose (GObject *object)
{
  SdCartPage *self = SD_CART_PAGE (object);

  if (self->cart)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  if (self->api)
    g_signal_handlers_disconnect_by_data (self->api, self);
  if (self->list)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->cart);
  g_clear_object (&self->api);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CART_PAGE);
  G_OBJECT_CLASS (sd_cart_page_parent_class)->dispose (object);
}

static void
sd_cart_page_class_init (SdCartPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_cart_page_dispose, sd_cart_page_shop_changed, NULL, "sd-cart-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, list);
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, items_label);
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, offline_note);
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, delivery_label);
  gtk_widget_class_bind_template_child (widget_class, SdCartPage, total_label);
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sd_cart_page_init (SdCartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
