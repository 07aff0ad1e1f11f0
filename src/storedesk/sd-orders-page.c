/* sd-orders-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-orders-page.h"
#include "sd-picture.h"
#include "sd-row-template.h"
#include "sd-ui.h"

struct _SdOrdersPage
{
  SdPage         parent_instance;

  GtkStack      *stack;
  char          *listed_for;   /* whose orders the list holds: an email, "" for this computer's guest */
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkListBox    *list;
  AdwPreferencesGroup *detail_group;
  AdwActionRow  *number_row;
  AdwActionRow  *key_row;
  AdwActionRow  *status_row;
  AdwActionRow  *date_row;
  AdwActionRow  *receiver_row;
  AdwActionRow  *total_row;
  GtkListBox    *lines_list;
  AdwEntryRow   *memo_row;
  GtkButton     *cancel_button;
  AdwPreferencesGroup *list_lookup;
  AdwPreferencesGroup *empty_lookup;
  AdwEntryRow   *empty_number_row;
  AdwEntryRow   *empty_key_row;
  AdwEntryRow   *list_number_row;
  AdwEntryRow   *list_key_row;

  SdApi         *api;
  SdSession     *session;
  SdOrders      *orders;
  SdOrder       *shown;
  GtkBuilderScope *row_scope;
};

G_DEFINE_FINAL_TYPE (SdOrdersPage, sd_orders_page, SD_TYPE_PAGE)

/* What a customer may still change (the shop's rule, API.md). */
static gboolean
changeable (SdOrder *order)
{
  SdOrderStatus s = sd_order_get_status (order);
  return s == SD_ORDER_STATUS_AWAITING_PAYMENT || s == SD_ORDER_STATUS_PAID;
}

/* The original lets only staff change a guest's order (its routes need
 * a member's token): no button that can only fail. */
static gboolean
staff_only (SdOrdersPage *self, SdOrder *order)
{
  return sd_orders_get_original (self->orders) && sd_order_get_is_guest (order);
}

/* ---- the list ---------------------------------------------------------- */

/* The closures of sd-order-row.ui and sd-order-line-row.ui. */

static char *
order_title (gpointer unused, const char *id, SdOrder *order)
{
  g_autofree char *number = sd_ui_order_number (order);

  /* Translators: %s is the order's number. */
  return g_strdup_printf (_("Order %s"), number);
}

static char *
order_subtitle (gpointer unused, GDateTime *created_at, SdOrder *order)
{
  g_autofree char *date = sd_ui_order_date (order);
  guint n = sd_order_get_n_items (order);

  /* Translators: an order's date, then how many items it has. */
  return g_strdup_printf (ngettext ("%s · %u item", "%s · %u items", n), date, n);
}

static char *
order_status (gpointer unused, SdOrderStatus status)
{
  return g_strdup (_(sd_order_status_label (status)));
}

/* A cancelled order stays listed, dimmed, its "Cancelled" in red where
 * other statuses are dim: bindings, as the row's text. (A handler on the
 * order that names the row, g_signal_connect_object, made GTK 4.8 warn
 * "couldn't find weak ref" as the row went with its order.) */
static char **
order_status_classes (gpointer unused, SdOrderStatus status)
{
  const char *classes[] = { status == SD_ORDER_STATUS_CANCELLED ? "error" : "dim-label", NULL };

  return g_strdupv ((char **) classes);
}

static double
order_opacity (gpointer unused, SdOrderStatus status)
{
  return status == SD_ORDER_STATUS_CANCELLED ? 0.55 : 1.0;
}

static char *
order_total (gpointer unused, gint64 total)
{
  return sd_format_price (total);
}

static char *
line_count (gpointer unused, guint count)
{
  return g_strdup_printf ("× %u", count);
}

static GtkBuilderScope *
row_scope (void)
{
  GtkBuilderScope *scope = gtk_builder_cscope_new ();

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "order_title", G_CALLBACK (order_title),
                                           "order_subtitle", G_CALLBACK (order_subtitle),
                                           "order_status", G_CALLBACK (order_status),
                                           "order_status_classes", G_CALLBACK (order_status_classes),
                                           "order_opacity", G_CALLBACK (order_opacity),
                                           "order_total", G_CALLBACK (order_total),
                                           "line_count", G_CALLBACK (line_count),
                                           NULL);
  return scope;
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  SdOrdersPage *self = user_data;

  return sd_row_template_build ("sd-order-row.ui", item, self->row_scope, NULL);
}

static GtkWidget *
create_line_row (gpointer item, gpointer user_data)
{
  SdOrdersPage *self = user_data;
  GtkPicture *picture;
  GtkWidget *row = sd_row_template_build ("sd-order-line-row.ui", item, self->row_scope, "picture", &picture, NULL);

  sd_picture_load (picture, self->api, sd_order_line_get_image (item), 80, sd_page_get_cancellable (SD_PAGE (self)));
  return row;
}

static void
show_list (SdOrdersPage *self)
{
  gboolean member = self->session && sd_session_get_signed_in (self->session);
  /* The original finds no order by key: nothing to look up there. */
  gboolean original = sd_orders_get_original (self->orders);

  gtk_widget_set_visible (GTK_WIDGET (self->list_lookup), !member && !original);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_lookup), !member && !original);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->orders)) > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }
  if (original)
    adw_status_page_set_description (self->empty_page,
                                     member ? _("Orders you place from this computer appear here, with their "
                                                "status. This shop does not link orders to accounts, so orders "
                                                "placed elsewhere are not listed.")
                                            : _("Orders placed as a guest on this computer appear here. This "
                                                "shop gives no key to find an order again from elsewhere."));
  else
    adw_status_page_set_description (self->empty_page,
                                     member ? _("Orders you place appear here, with their status.")
                                            : _("Orders placed as a guest on this computer appear here. "
                                                "Sign in under Account to see a member’s orders."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Who the orders are loaded for: the member's email, or "" (a guest). */
static const char *
whose (SdOrdersPage *self)
{
  return sd_session_get_signed_in (self->session) ? sd_session_get_email (self->session) : "";
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_orders_load_finish (SD_ORDERS (source), result, &error))
    {
      g_autofree char *message = sd_ui_error_message (error, NULL);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Offline: the orders this run listed stay (the window says why),
       * if they are this person's: signed out offline, a member's orders
       * must not stay on a shared computer. */
      if (sd_page_offline_keeps (SD_PAGE (self), error,
                                 g_list_model_get_n_items (G_LIST_MODEL (source)) > 0 &&
                                 g_strcmp0 (self->listed_for, whose (self)) == 0))
        return;
      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_free (self->listed_for);
  self->listed_for = g_strdup (whose (self));
  sd_page_note_loaded (SD_PAGE (self));
  show_list (self);
}

void
sd_orders_page_reload (SdOrdersPage *self)
{
  GCancellable *cancellable;

  g_return_if_fail (SD_IS_ORDERS_PAGE (self));
  if (self->orders == NULL)
    return;
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->orders)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  /* The store of the account signed in now (made again when it changes):
   * the member's orders are kept there, and listed from it offline. */
  sd_orders_set_local_store (self->orders, sd_page_get_store (SD_PAGE (self)));
  if (sd_session_get_signed_in (self->session))
    sd_orders_load_async (self->orders, cancellable, loaded_cb, g_object_ref (self));
  else
    sd_orders_load_guest_async (self->orders, cancellable, loaded_cb, g_object_ref (self));
}

static void
reload_cb (SdOrdersPage *self)
{
  sd_orders_page_reload (self);
}

/* ---- one order ---------------------------------------------------------- */

static void
fill_detail (SdOrdersPage *self)
{
  SdOrder *order = self->shown;
  SdReceiver *receiver = sd_order_get_receiver (order);
  GListModel *lines = sd_order_get_lines (order);
  g_autofree char *number = sd_ui_order_number (order);
  /* Translators: %s is the order's number. */
  g_autofree char *title = g_strdup_printf (_("Order %s"), number);
  g_autofree char *date = sd_ui_order_date (order);
  g_autofree char *total = sd_format_price (sd_order_get_total (order));

  adw_preferences_group_set_title (self->detail_group, title);
  if (changeable (order) && staff_only (self, order))
    adw_preferences_group_set_description (self->detail_group,
                                           _("This shop lets only its staff change or cancel an order placed "
                                             "as a guest. Contact the shop about this order."));
  else
    adw_preferences_group_set_description (self->detail_group,
                                           sd_order_get_kept_here (order)
                                           ? _("This shop cannot find this order by account or key: this "
                                               "computer keeps its number.")
                                           : NULL);
  adw_action_row_set_subtitle (self->number_row, number);
  adw_action_row_set_subtitle (self->key_row, sd_order_get_access_key (order) ? sd_order_get_access_key (order) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), sd_order_get_access_key (order) != NULL);
  adw_action_row_set_subtitle (self->status_row, _(sd_order_status_label (sd_order_get_status (order))));
  adw_action_row_set_subtitle (self->date_row, date);
  adw_action_row_set_subtitle (self->total_row, total);
  gtk_widget_set_visible (GTK_WIDGET (self->receiver_row), receiver != NULL);
  if (receiver)
    {
      g_autofree char *phone = sd_ui_format_phone (sd_receiver_get_phone_number (receiver));
      /* The row's subtitle is markup: an address may hold an “&”. */
      g_autofree char *to = g_markup_printf_escaped ("%s · %s\n%s %s", sd_receiver_get_name (receiver), phone,
                                                     sd_receiver_get_address (receiver),
                                                     sd_receiver_get_address_detail (receiver)
                                                     ? sd_receiver_get_address_detail (receiver) : "");

      if (sd_order_get_receiver_kept_here (order))
        {
          g_autofree char *note = g_markup_printf_escaped ("%s\n<small>%s</small>", to,
                                                           _("Kept on this computer only: this shop does not "
                                                             "store where an order goes."));
          adw_action_row_set_subtitle (self->receiver_row, note);
        }
      else
        adw_action_row_set_subtitle (self->receiver_row, to);
    }
  gtk_list_box_bind_model (self->lines_list, lines, create_line_row, self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->memo_row), sd_order_get_memo (order));
  gtk_widget_set_sensitive (GTK_WIDGET (self->memo_row), changeable (order) && !staff_only (self, order));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), changeable (order) && !staff_only (self, order));
}

void
sd_orders_page_show_order (SdOrdersPage *self, SdOrder *order)
{
  g_return_if_fail (SD_IS_ORDERS_PAGE (self));
  if (self->shown)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  g_set_object (&self->shown, order);
  g_signal_connect_swapped (order, "notify", G_CALLBACK (fill_detail), self);
  fill_detail (self);
  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static void
row_activated_cb (SdOrdersPage *self, GtkListBoxRow *row)
{
  sd_orders_page_show_order (self, sd_row_template_get_item (GTK_WIDGET (row)));
}

static void
back_cb (SdOrdersPage *self)
{
  show_list (self);
}

/* The copy buttons of the number's and the key's rows. */
static void
copy_cb (SdOrdersPage *self, GtkWidget *button)
{
  sd_ui_copy_order_id (button, self->shown, gtk_widget_is_ancestor (button, GTK_WIDGET (self->key_row)));
}

static void
problem (SdOrdersPage *self, const char *heading, const char *message)
{
  sd_ui_show_problem (GTK_WIDGET (self), heading, message);
}

/* The shop could not be reached: a member's own order (a guest's key
 * never goes into a queue) takes the change through the shop's queue of
 * edits, sent when the shop answers. */
static SdSync *
queue_for (SdOrdersPage *self, const GError *error)
{
  SdShop *shop = sd_page_get_shop (SD_PAGE (self));

  if (self->shown == NULL || sd_order_get_access_key (self->shown) != NULL || shop == NULL ||
      sd_shop_get_sync (shop) == NULL || !sd_session_get_signed_in (sd_shop_get_session (shop)))
    return NULL;
  if (!g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) &&
      !g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT))
    return NULL;
  return sd_shop_get_sync (shop);
}

/* What the queue said of a change: kept (a toast says when it goes), or
 * refused. */
static void
queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) record = sd_sync_finish (SD_SYNC (source), result, &error);

  if (error == NULL)
    return;
  if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
      g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT))
    sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Kept on this computer: it is sent when the shop "
                                                          "answers again")));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_ui_show_error (GTK_WIDGET (self), _("The Change Was Not Sent"), error);
}

static void
memo_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = sd_orders_order_finish (SD_ORDERS (source), result, &error);
  SdSync *sync = order ? NULL : queue_for (self, error);

  if (sync)
    {
      sd_sync_set_order_memo_async (sync, self->shown, gtk_editable_get_text (GTK_EDITABLE (self->memo_row)), NULL,
                                    queued_cb, g_object_ref (self));
      return;
    }
  if (order == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_ui_show_error (GTK_WIDGET (self), _("The Note Was Not Saved"), error);
}

static void
memo_apply_cb (SdOrdersPage *self)
{
  if (self->shown == NULL)
    return;
  sd_orders_set_memo_async (self->orders, sd_order_get_id (self->shown), sd_order_get_access_key (self->shown),
                            gtk_editable_get_text (GTK_EDITABLE (self->memo_row)),
                            sd_page_get_write_cancellable (SD_PAGE (self)),
                            memo_saved_cb, g_object_ref (self));
}

static void
cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  if (!sd_orders_cancel_finish (SD_ORDERS (source), result, &error))
    {
      SdSync *sync = queue_for (self, error);

      if (sync)
        sd_sync_cancel_order_async (sync, self->shown, NULL, queued_cb, g_object_ref (self));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_ui_show_error (GTK_WIDGET (self), _("The Order Was Not Cancelled"), error);
      return;
    }
  if (self->shown)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  g_clear_object (&self->shown);
  show_list (self);
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Order cancelled")));
}

void
sd_orders_page_cancel_shown (SdOrdersPage *self)
{
  g_return_if_fail (SD_IS_ORDERS_PAGE (self));
  if (self->shown == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  sd_orders_cancel_async (self->orders, sd_order_get_id (self->shown), sd_order_get_access_key (self->shown),
                          sd_page_get_write_cancellable (SD_PAGE (self)), cancelled_cb, g_object_ref (self));
}

static void
cancel_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdOrdersPage *self = user_data;

  if (g_strcmp0 (response, "cancel-order") == 0)
    sd_orders_page_cancel_shown (self);
}

/* What cancelling does at this shop (the list keeps cancelled orders,
 * sd_orders_set_keep_cancelled): ours keeps the order, cancelled, and
 * gives its stock back; the original deletes it (orderService.js:108)
 * and tracks no stock, and this computer notes it; a shop of ours from
 * before "cancelled" deletes it. */
static const char *
cancel_consequence (SdOrdersPage *self)
{
  if (sd_orders_get_original (self->orders))
    return _("The shop will not send it. This shop deletes a cancelled order; this computer keeps a note of "
             "it, so it stays in this list, marked cancelled. This cannot be undone.");
  if (sd_api_has_feature (self->api, SD_FEATURE_CANCELLED))
    return _("The shop will not send it, and its products go back into the shop’s stock. The order stays in "
             "this list, marked cancelled. This cannot be undone.");
  return _("The shop will not send it, and it leaves this list. This cannot be undone.");
}

static void
cancel_clicked_cb (SdOrdersPage *self)
{
  sd_ui_ask_first (GTK_WIDGET (self), _("Cancel This Order?"), cancel_consequence (self),
                   "keep", _("_Keep Order"), "cancel-order", _("_Cancel Order"), G_CALLBACK (cancel_response_cb), self);
}

/* ---- a guest order by number and key -------------------------------------- */

static void
found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOrder) order = sd_orders_order_finish (SD_ORDERS (source), result, &error);

  if (order == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND) ||
          g_error_matches (error, SD_API_ERROR, SD_API_ERROR_FORBIDDEN) ||
          g_error_matches (error, SD_API_ERROR, SD_API_ERROR_UNAUTHORIZED))
        problem (self, _("No Such Order"), _("No order has this number and key. Check both and try again."));
      else
        sd_ui_show_error (GTK_WIDGET (self), _("The Order Could Not Be Found"), error);
      return;
    }
  sd_orders_page_show_order (self, order);
}

void
sd_orders_page_find (SdOrdersPage *self, const char *number, const char *key)
{
  g_autofree char *n = g_strstrip (g_strdup (number));
  g_autofree char *k = g_strstrip (g_strdup (key));

  g_return_if_fail (SD_IS_ORDERS_PAGE (self));
  if (*n == '\0' || *k == '\0' || self->orders == NULL)
    {
      problem (self, _("No Such Order"), _("Enter the order number and its key."));
      return;
    }
  sd_orders_get_async (self->orders, n, k, sd_page_get_cancellable (SD_PAGE (self)), found_cb,
                       g_object_ref (self));
}

static void
empty_find_cb (SdOrdersPage *self)
{
  sd_orders_page_find (self, gtk_editable_get_text (GTK_EDITABLE (self->empty_number_row)),
                       gtk_editable_get_text (GTK_EDITABLE (self->empty_key_row)));
}

static void
list_find_cb (SdOrdersPage *self)
{
  sd_orders_page_find (self, gtk_editable_get_text (GTK_EDITABLE (self->list_number_row)),
                       gtk_editable_get_text (GTK_EDITABLE (self->list_key_row)));
}

/* ---- public ------------------------------------------------------------- */

/* The shop's orders, for its session. A memo or a cancel being sent goes
 * on (on the write cancellable). */
static void
sd_orders_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdOrdersPage *self = SD_ORDERS_PAGE (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;
  SdSession *session = shop ? sd_shop_get_session (shop) : NULL;

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->shown)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  g_clear_object (&self->shown);
  g_set_object (&self->api, api);
  g_set_object (&self->session, session);
  g_clear_object (&self->orders);
  g_clear_pointer (&self->listed_for, g_free);
  self->orders = api ? sd_orders_new (api) : NULL;
  /* A cancelled order stays listed, marked (API.md "cancelled"). */
  if (self->orders)
    sd_orders_set_keep_cancelled (self->orders, TRUE);
  gtk_list_box_bind_model (self->list, self->orders ? G_LIST_MODEL (self->orders) : NULL,
                           self->orders ? create_row : NULL, self, NULL);
  /* A member signing in or out sees other orders. */
  if (session)
    g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (sd_orders_page_reload), self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

const char *
sd_orders_page_get_state (SdOrdersPage *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
sd_orders_page_get_orders (SdOrdersPage *self)
{
  g_return_val_if_fail (SD_IS_ORDERS_PAGE (self), NULL);
  return G_LIST_MODEL (self->orders);
}

static void
sd_orders_page_dispose (GObject *object)
{
  SdOrdersPage *self = SD_ORDERS_PAGE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->shown)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  if (self->list)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->lines_list)
    gtk_list_box_bind_model (self->lines_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->row_scope);
  g_clear_object (&self->shown);
  g_clear_object (&self->orders);
  g_clear_pointer (&self->listed_for, g_free);
  g_clear_object (&self->session);
  g_clear_object (&self->api);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ORDERS_PAGE);
  G_OBJECT_CLASS (sd_orders_page_parent_class)->dispose (object);
}

static void
sd_orders_page_class_init (SdOrdersPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_orders_page_dispose, sd_orders_page_shop_changed, NULL, "sd-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, list);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, detail_group);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, key_row);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, date_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, receiver_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, total_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, lines_list);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, memo_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, list_lookup);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, empty_lookup);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, empty_number_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, empty_key_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, list_number_row);
  gtk_widget_class_bind_template_child (widget_class, SdOrdersPage, list_key_row);
  gtk_widget_class_bind_template_callback (widget_class, empty_find_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_find_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, memo_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
sd_orders_page_init (SdOrdersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->row_scope = row_scope ();
}
