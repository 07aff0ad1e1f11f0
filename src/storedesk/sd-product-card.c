/* sd-product-card.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-picture.h"
#include "sd-product-card.h"
#include "sd-ui.h"

/* Thumbnails are decoded at the size shown, in device pixels: no
 * scaling at every frame while the grid scrolls. */
#define THUMBNAIL_SIZE 180

struct _SdProductCard
{
  GtkWidget     parent_instance;

  GtkPicture   *picture;
  GtkLabel     *name_label;
  GtkLabel     *brand_label;
  GtkLabel     *price_label;
  GtkLabel     *stock_label;

  SdApi        *api;
  SdProduct    *product;
  GCancellable *image_cancellable;
};

G_DEFINE_FINAL_TYPE (SdProductCard, sd_product_card, GTK_TYPE_WIDGET)

void
sd_product_card_set_product (SdProductCard *self, SdProduct *product)
{
  g_autofree char *price = NULL;
  g_autofree char *accessible = NULL;
  gint64 stock;

  g_return_if_fail (SD_IS_PRODUCT_CARD (self));

  if (self->image_cancellable)
    g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  gtk_picture_set_paintable (self->picture, NULL);
  if (!g_set_object (&self->product, product) || product == NULL)
    return;
  if (sd_product_is_placeholder (product))
    {
      /* Its page is on the way: an empty card until then. */
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->brand_label, "");
      gtk_label_set_label (self->price_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->stock_label), FALSE);
      return;
    }

  price = sd_format_price (sd_product_get_price (product));
  gtk_label_set_label (self->name_label, sd_product_get_name (product));
  gtk_label_set_label (self->brand_label, sd_product_get_brand (product));
  gtk_label_set_label (self->price_label, price);
  stock = sd_product_get_stock (product);
  gtk_widget_set_visible (GTK_WIDGET (self->stock_label), stock == 0);

  /* Translators: how a screen reader names a product: name, brand, price. */
  accessible = g_strdup_printf (_("%s, %s, %s"), sd_product_get_name (product),
                                sd_product_get_brand (product), price);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  /* The picture by the product's name, and the grid's cell around the
   * card as the card (GTK 4.8 gives list items no name of their own). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sd_product_get_name (product), -1);
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  self->image_cancellable = g_cancellable_new ();
  sd_picture_load (self->picture, self->api, sd_product_get_image (product),
                   THUMBNAIL_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self)), self->image_cancellable);
}

SdProduct *
sd_product_card_get_product (SdProductCard *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT_CARD (self), NULL);
  return self->product;
}

gboolean
sd_product_card_has_image (SdProductCard *self)
{
  g_return_val_if_fail (SD_IS_PRODUCT_CARD (self), FALSE);
  return gtk_picture_get_paintable (self->picture) != NULL;
}

static void
sd_product_card_dispose (GObject *object)
{
  SdProductCard *self = SD_PRODUCT_CARD (object);
  GtkWidget *child;

  if (self->image_cancellable)
    g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  g_clear_object (&self->product);
  g_clear_object (&self->api);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PRODUCT_CARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_product_card_parent_class)->dispose (object);
}

static void
sd_product_card_class_init (SdProductCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_product_card_dispose;
  sd_ui_class_set_template (widget_class, "sd-product-card.ui");
  gtk_widget_class_bind_template_child (widget_class, SdProductCard, picture);
  gtk_widget_class_bind_template_child (widget_class, SdProductCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductCard, brand_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductCard, price_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductCard, stock_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "productcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_product_card_init (SdProductCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sd_ui_label_keep_words (self->name_label);
}

GtkWidget *
sd_product_card_new (SdApi *api)
{
  SdProductCard *self = g_object_new (SD_TYPE_PRODUCT_CARD, NULL);

  self->api = g_object_ref (api);
  return GTK_WIDGET (self);
}
