/* sd-cart-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-cart-page.h"
#include "sd-picture.h"

#define THUMBNAIL_SIZE 96

struct _SdCartPage
{
  SdPage        parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  GtkLabel     *items_label;
  GtkLabel     *delivery_label;
  GtkLabel     *total_label;

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
count_changed_cb (GtkSpinButton *spin, gpointer user_data)
{
  SdCartPage *self = user_data;
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), GTK_TYPE_LIST_BOX_ROW);
  SdCartLine *line = g_object_get_data (G_OBJECT (row), "sd-line");
  guint count = (guint) gtk_spin_button_get_value_as_int (spin);

  if (line && count != sd_cart_line_get_count (line))
    sd_cart_set_count (self->cart, (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), count);
}

static void
remove_clicked_cb (GtkButton *button, gpointer user_data)
{
  SdCartPage *self = user_data;
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
}

static void
line_count_notify_cb (SdCartLine *line, GParamSpec *pspec, GtkWidget *row)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), "sd-spin");
  GtkLabel *sum = g_object_get_data (G_OBJECT (row), "sd-sum");

  if ((guint) gtk_spin_button_get_value_as_int (spin) != sd_cart_line_get_count (line))
    gtk_spin_button_set_value (spin, sd_cart_line_get_count (line));
  set_price (sum, sd_cart_line_get_price (line) * sd_cart_line_get_count (line));
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  SdCartPage *self = user_data;
  SdCartLine *line = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, SD_CART_MAX_COUNT, 1);
  GtkWidget *sum = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *unit = sd_format_price (sd_cart_line_get_price (line));
  g_autofree char *subtitle = NULL;
  g_autofree char *spin_name = NULL;
  g_autofree char *remove_name = NULL;

  if (sd_cart_line_get_option (line))
    /* Translators: a cart line's subtitle: the chosen option, then the unit price. */
    subtitle = g_strdup_printf (_("%s · %s each"), sd_cart_line_get_option (line), unit);
  else
    /* Translators: a cart line's subtitle: the unit price. */
    subtitle = g_strdup_printf (_("%s each"), unit);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_cart_line_get_name (line));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_size_request (picture, 48, 48);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_add_css_class (picture, "product-image");
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (picture, 6);
  gtk_widget_set_margin_bottom (picture, 6);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
  sd_picture_load (GTK_PICTURE (picture), self->api, sd_cart_line_get_image (line), THUMBNAIL_SIZE,
                   sd_page_get_cancellable (SD_PAGE (self)));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), sd_cart_line_get_count (line));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Translators: how a screen reader names the quantity box of a line. */
  spin_name = g_strdup_printf (_("Quantity of %s"), sd_cart_line_get_name (line));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, spin_name, -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (count_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);

  gtk_widget_add_css_class (sum, "price");
  gtk_widget_set_size_request (sum, 90, -1);
  gtk_label_set_xalign (GTK_LABEL (sum), 1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sum);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  /* Translators: the tooltip and accessible name of a cart line's trash button. */
  remove_name = g_strdup_printf (_("Remove %s"), sd_cart_line_get_name (line));
  gtk_widget_set_tooltip_text (remove, remove_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name, -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  g_object_set_data_full (G_OBJECT (row), "sd-line", g_object_ref (line), g_object_unref);
  g_object_set_data (G_OBJECT (row), "sd-spin", spin);
  g_object_set_data (G_OBJECT (row), "sd-sum", sum);
  g_signal_connect_object (line, "notify::count", G_CALLBACK (line_count_notify_cb), row, 0);
  line_count_notify_cb (line, NULL, row);
  return row;
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
  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
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
