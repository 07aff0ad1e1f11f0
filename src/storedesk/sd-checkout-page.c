/* sd-checkout-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-checkout-page.h"
#include "sd-ui.h"

struct _SdCheckoutPage
{
  SdPage         parent_instance;

  GtkStack      *stack;
  GtkLabel      *who_label;
  AdwEntryRow   *name_row;
  AdwEntryRow   *phone_row;
  AdwEntryRow   *address_row;
  AdwEntryRow   *detail_row;
  AdwEntryRow   *memo_row;
  GtkLabel      *hint_label;
  GtkLabel      *total_label;
  GtkButton     *place_button;
  AdwStatusPage *done_page;
  GtkLabel      *key_label;
  AdwActionRow  *number_row;
  AdwActionRow  *key_row;

  SdApi         *api;
  SdSession     *session;
  SdCart        *cart;
  SdCheckout    *checkout;
  SdOrder       *order;
  gboolean       placing;
  char          *form_for;   /* whose receiver the form holds: a member's email, "" a guest's */
};

G_DEFINE_FINAL_TYPE (SdCheckoutPage, sd_checkout_page, SD_TYPE_PAGE)

enum { SIGNAL_PLACED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
mark (AdwEntryRow *row, gboolean bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* The contract's rules, as the user types; a field not touched yet is
 * not scolded. Returns the first problem, or NULL. */
static const char *
check_fields (SdCheckoutPage *self, gboolean all)
{
  const char *name = text_of (self->name_row), *phone = text_of (self->phone_row);
  const char *address = text_of (self->address_row);
  g_autofree char *normal = sd_field_normalize_phone (phone);
  g_autofree char *trimmed = g_strstrip (g_strdup (address));
  gboolean bad_name = !sd_field_is_name (name), bad_phone = normal == NULL;
  gboolean bad_address = trimmed[0] == '\0';
  const char *problem = NULL;

  mark (self->name_row, bad_name && (all || *name));
  mark (self->phone_row, bad_phone && (all || *phone));
  mark (self->address_row, bad_address && all);
  if (bad_name && (all || *name))
    problem = _("Enter the receiver’s name: 2 to 30 letters.");
  else if (bad_phone && (all || *phone))
    problem = _("Enter a mobile number: 010 and 8 more digits, such as 010-1234-5678.");
  else if (bad_address && all)
    problem = _("Enter the address to ship to.");
  return problem;
}

static void
field_changed_cb (SdCheckoutPage *self)
{
  const char *problem = check_fields (self, FALSE);

  gtk_label_set_label (self->hint_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), problem != NULL);
}

static void
update_total (SdCheckoutPage *self)
{
  g_autofree char *total = sd_format_price (self->cart ? sd_cart_get_total (self->cart) : 0);

  gtk_label_set_label (self->total_label, total);
  gtk_widget_set_sensitive (GTK_WIDGET (self->place_button),
                            !self->placing && self->cart && g_list_model_get_n_items (G_LIST_MODEL (self->cart)) > 0);
}

static void
update_who (SdCheckoutPage *self)
{
  g_autofree char *who = NULL;

  if (self->session && sd_session_get_signed_in (self->session))
    /* Translators: %s is the member's name, %s their email address. */
    who = g_strdup_printf (_("Ordering as %s (%s)."), sd_session_get_name (self->session),
                           sd_session_get_email (self->session));
  else if (self->checkout && sd_checkout_get_original (self->checkout))
    /* The original gives a guest no key to the order. */
    who = g_strdup (_("Ordering as a guest. This shop gives no key to find an order again: Storedesk keeps "
                      "the order’s number in your keyring, so My Orders finds it on this computer. Sign in "
                      "under Account to order as a member."));
  else
    who = g_strdup (_("Ordering as a guest. Storedesk keeps the order’s key in your keyring, so you "
                      "can find the order again under My Orders. Sign in under Account to order as a member."));
  gtk_label_set_label (self->who_label, who);
}

static void
prefill (AdwEntryRow *row, const char *value)
{
  if (*text_of (row) == '\0' && value && *value)
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/* The form is someone's: a guest's address is not shown to the member
 * who signs in next, nor one member's to another. */
static void
form_for (SdCheckoutPage *self, const char *who)
{
  AdwEntryRow *rows[] = { self->name_row, self->phone_row, self->address_row, self->detail_row, self->memo_row };

  if (g_strcmp0 (self->form_for, who) == 0)
    return;
  g_free (self->form_for);
  self->form_for = g_strdup (who);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
}

/* Signed in or out while the form is on screen: whose it is changes too. */
static void
signed_in_changed_cb (SdCheckoutPage *self)
{
  gboolean member = self->session && sd_session_get_signed_in (self->session);

  update_who (self);
  if (!self->placing)
    form_for (self, member ? sd_session_get_email (self->session) : "");
}

void
sd_checkout_page_start (SdCheckoutPage *self)
{
  gboolean member;

  g_return_if_fail (SD_IS_CHECKOUT_PAGE (self));
  if (!self->placing)
    gtk_stack_set_visible_child_name (self->stack, "form");
  update_who (self);
  member = self->session && sd_session_get_signed_in (self->session);
  if (!self->placing)
    form_for (self, member ? sd_session_get_email (self->session) : "");
  if (member)
    {
      prefill (self->name_row, sd_session_get_name (self->session));
      prefill (self->phone_row, sd_session_get_phone_number (self->session));
      prefill (self->address_row, sd_session_get_address (self->session));
      prefill (self->detail_row, sd_session_get_address_detail (self->session));
    }
  update_total (self);
  field_changed_cb (self);
}

const char *
sd_checkout_page_get_state (SdCheckoutPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKOUT_PAGE (self), NULL);
  return self->placing ? "placing" : gtk_stack_get_visible_child_name (self->stack);
}

SdOrder *
sd_checkout_page_get_order (SdCheckoutPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKOUT_PAGE (self), NULL);
  return self->order;
}

static void
show_problem (SdCheckoutPage *self, const char *heading, const char *body)
{
  sd_ui_show_problem (GTK_WIDGET (self), heading, body);
}

static void
placed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCheckoutPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = sd_checkout_submit_finish (SD_CHECKOUT (source), result, &error);

  self->placing = FALSE;
  gtk_button_set_label (self->place_button, _("_Place Order"));
  update_total (self);
  if (order == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_CONFLICT))
        {
          g_autofree char *message = sd_ui_error_message (error, NULL);
          show_problem (self, _("Prices Have Changed"), message);
        }
      else if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
               g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT) ||
               g_error_matches (error, SD_API_ERROR, SD_API_ERROR_SERVER))
        show_problem (self, _("The Order Is Not Confirmed Yet"),
                      _("Storedesk could not hear back from the shop. Your cart is kept. Place the order "
                        "again when the shop is reachable: it will not be ordered twice."));
      else
        {
          g_autofree char *message = sd_ui_error_message (error, NULL);
          show_problem (self, _("The Order Was Not Placed"), message);
        }
      return;
    }
  g_set_object (&self->order, order);
  {
    g_autofree char *number = sd_ui_order_number (order);
    adw_action_row_set_subtitle (self->number_row, number);
  }
  adw_action_row_set_subtitle (self->key_row, sd_order_get_access_key (order) ? sd_order_get_access_key (order) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), sd_order_get_access_key (order) != NULL);
  if (sd_order_get_access_key (order))
    gtk_label_set_label (self->key_label, _("Keep the number and the key: with both, My Orders finds this order "
                                            "from any computer. This computer keeps them in your keyring."));
  else if (sd_order_get_kept_here (order))
    gtk_label_set_label (self->key_label,
                         _("This shop gives no key to find an order again and does not store where it goes. "
                           "This computer keeps the order’s number and address (in your keyring): My Orders "
                           "finds it here."));
  gtk_widget_set_visible (GTK_WIDGET (self->key_label),
                          sd_order_get_access_key (order) != NULL || sd_order_get_kept_here (order));
  gtk_editable_set_text (GTK_EDITABLE (self->memo_row), "");
  gtk_stack_set_visible_child_name (self->stack, "done");
  g_signal_emit (self, signals[SIGNAL_PLACED], 0, order);
}

/* The copy buttons of the number's and the key's rows. */
static void
copy_cb (SdCheckoutPage *self, GtkWidget *button)
{
  sd_ui_copy_order_id (button, self->order, gtk_widget_is_ancestor (button, GTK_WIDGET (self->key_row)));
}

static void
place_clicked_cb (SdCheckoutPage *self)
{
  const char *problem;
  g_autofree char *phone = NULL;

  if (self->placing || self->checkout == NULL)
    return;
  problem = check_fields (self, TRUE);
  gtk_label_set_label (self->hint_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), problem != NULL);
  if (problem)
    return;
  phone = sd_field_normalize_phone (text_of (self->phone_row));
  sd_checkout_set_receiver (self->checkout, text_of (self->name_row), phone, text_of (self->address_row),
                            text_of (self->detail_row));
  sd_checkout_set_memo (self->checkout, text_of (self->memo_row));
  self->placing = TRUE;
  gtk_button_set_label (self->place_button, _("Placing the Order…"));
  update_total (self);
  /* A write: a reconnect does not cut it short (placed_cb says how it went). */
  sd_checkout_submit_async (self->checkout, sd_page_get_write_cancellable (SD_PAGE (self)), placed_cb,
                            g_object_ref (self));
}

/* The shop's session and cart, and a checkout of that cart. An order
 * being placed goes on (on the write cancellable): placed_cb ends it. */
static void
sd_checkout_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdCheckoutPage *self = SD_CHECKOUT_PAGE (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;
  SdCart *cart = shop ? sd_shop_get_cart (shop) : NULL;
  SdSession *session = shop ? sd_shop_get_session (shop) : NULL;

  if (self->cart)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->api, api);
  g_set_object (&self->session, session);
  g_set_object (&self->cart, cart);
  g_clear_object (&self->checkout);
  self->checkout = api && cart ? sd_checkout_new (api, cart) : NULL;
  if (cart)
    g_signal_connect_swapped (cart, "notify::total", G_CALLBACK (update_total), self);
  if (session)
    g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (signed_in_changed_cb), self);
  sd_checkout_page_start (self);
}

static void
sd_checkout_page_dispose (GObject *object)
{
  SdCheckoutPage *self = SD_CHECKOUT_PAGE (object);

  if (self->cart)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->checkout);
  g_clear_object (&self->order);
  g_clear_object (&self->cart);
  g_clear_object (&self->session);
  g_clear_object (&self->api);
  g_clear_pointer (&self->form_for, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CHECKOUT_PAGE);
  G_OBJECT_CLASS (sd_checkout_page_parent_class)->dispose (object);
}

static void
sd_checkout_page_class_init (SdCheckoutPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_checkout_page_dispose, sd_checkout_page_shop_changed, NULL, "sd-checkout-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, who_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, detail_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, memo_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, place_button);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, done_page);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, key_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, SdCheckoutPage, key_row);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, place_clicked_cb);
  signals[SIGNAL_PLACED] = g_signal_new ("placed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, SD_TYPE_ORDER);
}

static void
sd_checkout_page_init (SdCheckoutPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
  sd_ui_label_keep_words (self->key_label);
}
