/* sd-product-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-picture.h"
#include "sd-ui.h"
#include "sd-product-page.h"

#define PICTURE_SIZE 720

struct _SdProductPage
{
  SdPage          parent_instance;

  GtkScrolledWindow *scroller;
  GtkPicture     *picture;
  GtkLabel       *brand_label;
  GtkLabel       *name_label;
  GtkLabel       *price_label;
  GtkLabel       *stock_label;
  GtkLabel       *description_label;
  AdwComboRow    *option_row;
  GtkAdjustment  *count_adjustment;
  GtkButton      *add_button;

  SdApi          *api;
  SdProduct      *product;
};

G_DEFINE_FINAL_TYPE (SdProductPage, sd_product_page, SD_TYPE_PAGE)

enum { SIGNAL_ADD, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The product's picture comes through the shop's api. */
static void
sd_product_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdProductPage *self = SD_PRODUCT_PAGE (page);

  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
}

void
sd_product_page_set_product (SdProductPage *self, SdProduct *product)
{
  g_autofree char *price = NULL;
  GCancellable *cancellable;
  SdOption *option;
  gint64 stock;

  g_return_if_fail (SD_IS_PRODUCT_PAGE (self));
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  g_set_object (&self->product, product);
  if (product == NULL)
    return;
  /* Each product from its top, not where the last one was left. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  price = sd_format_price (sd_product_get_price (product));
  gtk_label_set_label (self->brand_label, sd_product_get_brand (product));
  gtk_widget_set_visible (GTK_WIDGET (self->brand_label), *sd_product_get_brand (product) != '\0');
  gtk_label_set_label (self->name_label, sd_product_get_name (product));
  gtk_label_set_label (self->price_label, price);
  gtk_label_set_label (self->description_label, sd_product_get_description (product));
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), *sd_product_get_description (product) != '\0');

  stock = sd_product_get_stock (product);
  gtk_widget_set_visible (GTK_WIDGET (self->stock_label), stock >= 0);
  gtk_widget_remove_css_class (GTK_WIDGET (self->stock_label), "error");
  if (stock == 0)
    {
      gtk_label_set_label (self->stock_label, _("Sold out"));
      gtk_widget_add_css_class (GTK_WIDGET (self->stock_label), "error");
    }
  else if (stock > 0 && stock < 10)
    {
      g_autofree char *few = g_strdup_printf (ngettext ("Only %u left", "Only %u left", (gulong) stock),
                                              (guint) stock);
      gtk_label_set_label (self->stock_label, few);
    }
  else if (stock >= 10)
    gtk_label_set_label (self->stock_label, _("In stock"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), stock != 0);
  gtk_adjustment_set_upper (self->count_adjustment, stock > 0 ? MIN (stock, SD_CART_MAX_COUNT) : SD_CART_MAX_COUNT);
  gtk_adjustment_set_value (self->count_adjustment, 1);

  option = sd_product_get_option (product);
  gtk_widget_set_visible (GTK_WIDGET (self->option_row), option != NULL && sd_option_get_n_values (option) > 0);
  if (option && sd_option_get_n_values (option) > 0)
    {
      g_autoptr(GtkStringList) values = gtk_string_list_new (sd_option_get_values (option));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->option_row), sd_option_get_name (option));
      adw_combo_row_set_model (self->option_row, G_LIST_MODEL (values));
      adw_combo_row_set_selected (self->option_row, 0);
    }

  if (self->api)
    sd_picture_load (self->picture, self->api, sd_product_get_image (product), PICTURE_SIZE, cancellable);
}

SdProduct *
sd_product_page_get_product (SdProductPage *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT_PAGE (self), NULL);
  return self->product;
}

const char *
sd_product_page_get_option (SdProductPage *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (SD_IS_PRODUCT_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->option_row)))
    return NULL;
  item = adw_combo_row_get_selected_item (self->option_row);
  return item ? gtk_string_object_get_string (item) : NULL;
}

void
sd_product_page_set_count (SdProductPage *self, guint count)
{
  gtk_adjustment_set_value (self->count_adjustment, count);
}

static void
add_clicked_cb (SdProductPage *self)
{
  if (self->product == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_ADD], 0, self->product, sd_product_page_get_option (self),
                 (guint) gtk_adjustment_get_value (self->count_adjustment));
}

static void
sd_product_page_dispose (GObject *object)
{
  SdProductPage *self = SD_PRODUCT_PAGE (object);

  g_clear_object (&self->product);
  g_clear_object (&self->api);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PRODUCT_PAGE);
  G_OBJECT_CLASS (sd_product_page_parent_class)->dispose (object);
}

/* From the page itself (the focus a product opens with), Tab goes on
 * into the details' controls. Straight there: GTK 4.8's flow box claims
 * a Tab towards a child that cannot take the focus (the picture's) and
 * moves nothing (measured: the focus stayed on the page). */
static gboolean
sd_product_page_focus (GtkWidget *widget, GtkDirectionType direction)
{
  SdProductPage *self = SD_PRODUCT_PAGE (widget);

  if (gtk_widget_is_focus (widget) && (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_DOWN))
    return gtk_widget_child_focus (gtk_widget_get_parent (GTK_WIDGET (self->name_label)), direction);
  return GTK_WIDGET_CLASS (sd_product_page_parent_class)->focus (widget, direction);
}

static void
sd_product_page_class_init (SdProductPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_product_page_dispose, sd_product_page_shop_changed, NULL, "sd-product-page.ui");
  widget_class->focus = sd_product_page_focus;
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, picture);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, brand_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, price_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, stock_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, option_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, count_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SdProductPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  signals[SIGNAL_ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 3, SD_TYPE_PRODUCT, G_TYPE_STRING, G_TYPE_UINT);
}

static void
sd_product_page_init (SdProductPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sd_ui_label_keep_words (self->name_label);
  /* The focus a product opens with: the page itself, at its top (a
   * control inside would scroll the page down to it); Tab goes on into
   * it. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}
