/* sd-cart-row.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-cart-row.h"
#include "sd-picture.h"
#include "sd-ui.h"

#define THUMBNAIL_SIZE 96

struct _SdCartRow
{
  AdwActionRow  parent_instance;

  GtkPicture   *picture;
  GtkSpinButton *spin;
  GtkWidget    *remove_button;
  GtkLabel     *sum_label;

  SdCartLine   *line;
};

G_DEFINE_FINAL_TYPE (SdCartRow, sd_cart_row, ADW_TYPE_ACTION_ROW)

enum { PROP_0, PROP_LINE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_COUNT_SET, SIGNAL_REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

SdCartLine *
sd_cart_row_get_line (SdCartRow *self)
{
  g_return_val_if_fail (SD_IS_CART_ROW (self), NULL);
  return self->line;
}

/* ---- the line's count, bound to the quantity box and the sum ------------- */

static gboolean
count_to_sum (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  SdCartLine *line = SD_CART_LINE (g_binding_dup_source (binding));

  g_value_take_string (to, sd_format_price (sd_cart_line_get_price (line) * g_value_get_uint (from)));
  g_object_unref (line);
  return TRUE;
}

static char *
subtitle_of (SdCartLine *line)
{
  g_autofree char *unit = sd_format_price (sd_cart_line_get_price (line));

  if (sd_cart_line_get_option (line))
    /* Translators: a cart line's subtitle: the chosen option, then the unit price. */
    return g_strdup_printf (_("%s · %s each"), sd_cart_line_get_option (line), unit);
  /* Translators: a cart line's subtitle: the unit price. */
  return g_strdup_printf (_("%s each"), unit);
}

static void
count_changed_cb (SdCartRow *self)
{
  guint count = (guint) gtk_spin_button_get_value_as_int (self->spin);

  if (self->line && count != sd_cart_line_get_count (self->line))
    g_signal_emit (self, signals[SIGNAL_COUNT_SET], 0, count);
}

static void
remove_clicked_cb (SdCartRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

/* ---- the type ------------------------------------------------------------ */

/* What a screen reader calls the row's controls: the template cannot bind
 * accessible properties. */
static void
name_controls (SdCartRow *self)
{
  const char *name = sd_cart_line_get_name (self->line);
  /* Translators: how a screen reader names the quantity box of a line. */
  g_autofree char *spin_name = g_strdup_printf (_("Quantity of %s"), name);
  /* Translators: the tooltip and accessible name of a cart line's trash button. */
  g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), name);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin), GTK_ACCESSIBLE_PROPERTY_LABEL, spin_name, -1);
  gtk_widget_set_tooltip_text (self->remove_button, remove_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_name, -1);
}

GtkWidget *
sd_cart_row_new (SdCartLine *line, SdApi *api, GCancellable *cancellable)
{
  SdCartRow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (SD_IS_CART_LINE (line), NULL);
  self = g_object_new (SD_TYPE_CART_ROW, "line", line, NULL);
  subtitle = subtitle_of (line);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), sd_cart_line_get_name (line));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  /* Only the count of a line changes; the rest is set once. */
  g_object_bind_property (line, "count", self->spin, "value", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (line, "count", self->sum_label, "label", G_BINDING_SYNC_CREATE,
                               count_to_sum, NULL, NULL, NULL);
  name_controls (self);
  sd_picture_load (self->picture, api, sd_cart_line_get_image (line), THUMBNAIL_SIZE, cancellable);
  return GTK_WIDGET (self);
}

static void
sd_cart_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdCartRow *self = SD_CART_ROW (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_value_set_object (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_cart_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdCartRow *self = SD_CART_ROW (object);

  switch (prop_id)
    {
    case PROP_LINE:
      self->line = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_cart_row_dispose (GObject *object)
{
  SdCartRow *self = SD_CART_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CART_ROW);
  g_clear_object (&self->line);
  G_OBJECT_CLASS (sd_cart_row_parent_class)->dispose (object);
}

static void
sd_cart_row_class_init (SdCartRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sd_cart_row_get_property;
  object_class->set_property = sd_cart_row_set_property;
  object_class->dispose = sd_cart_row_dispose;
  properties[PROP_LINE] = g_param_spec_object ("line", NULL, NULL, SD_TYPE_CART_LINE,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_COUNT_SET] = g_signal_new ("count-set", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                            NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 0);

  sd_ui_class_set_template (widget_class, "sd-cart-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCartRow, picture);
  gtk_widget_class_bind_template_child (widget_class, SdCartRow, spin);
  gtk_widget_class_bind_template_child (widget_class, SdCartRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SdCartRow, sum_label);
  gtk_widget_class_bind_template_callback (widget_class, count_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
sd_cart_row_init (SdCartRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_spin_button_set_range (self->spin, 1, SD_CART_MAX_COUNT);
  gtk_spin_button_set_increments (self->spin, 1, 10);
}
