/* sd-window.c — the main window: sections and categories beside the page
 * they show; the shop's session, cart and checkout live here, one set per
 * shop the window is connected to. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-ui.h"
#include "sd-window-private.h"

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)


/* ---- states --------------------------------------------------------- */

static void update_subtitle (SdWindow *self);

/* The shop's grid is loading, or shows something: Reload is there for
 * the latter. */
static void
catalog_state_cb (SdWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload",
                                 g_strcmp0 (sd_window_get_state (self), "loading") != 0);
  update_subtitle (self);
}

const char *
sd_window_get_state (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return sd_catalog_page_get_state (self->catalog_page);
}

void
sd_window_show_error (SdWindow *self, const char *message)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  sd_catalog_page_show_problem (self->catalog_page, TRUE, message);
}

static void
update_subtitle (SdWindow *self)
{
  g_autofree char *subtitle = NULL;
  guint n = self->catalog ? g_list_model_get_n_items (G_LIST_MODEL (self->catalog)) : 0;
  const char *section = gtk_stack_get_visible_child_name (self->sections);

  if (self->catalog && g_strcmp0 (section, "shop") == 0 && g_strcmp0 (sd_window_get_state (self), "products") == 0)
    subtitle = g_strdup_printf (ngettext ("%u product", "%u products", n), n);
  adw_window_title_set_subtitle (self->content_title, subtitle ? subtitle : "");
}

/* ---- sections --------------------------------------------------------- */

/* The title over each section but the shop's and a product's. */
static const char * const section_titles[][2] = {
  { "cart", N_("Cart") }, { "checkout", N_("Checkout") }, { "orders", N_("My Orders") },
  { "account", N_("Account") }, { "photos", N_("Image Preparation") }, { "staff-orders", N_("Orders Board") },
  { "staff-products", N_("Products") }, { "staff-categories", N_("Categories") },
  { "staff-customers", N_("Customers") }, { "staff-dashboard", N_("Sales Dashboard") },
  { "staff-activity", N_("Activity") },
};

static const char *section_title (SdWindow *self, const char *section);

/* A section's title, over the content and on its page: a screen reader
 * names the page (and its place in the stack) by it. */
static void
name_page (SdWindow *self, const char *section, const char *title)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->sections, section);

  if (page == NULL)
    return;
  gtk_stack_page_set_title (gtk_stack_get_page (self->sections, page), title);
  if (SD_IS_PAGE (page))
    sd_page_set_title (SD_PAGE (page), title);
}

static void
show_title (SdWindow *self, const char *section)
{
  const char *title = section_title (self, section);

  adw_window_title_set_title (self->content_title, title);
  name_page (self, section, title);
}

/* Every page named before it is first shown. */
static void
name_pages (SdWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_titles); i++)
    name_page (self, section_titles[i][0], _(section_titles[i][1]));
  name_page (self, "shop", _("All Products"));
  name_page (self, "product", _("Product"));
}

static const char *
section_title (SdWindow *self, const char *section)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_titles); i++)
    if (g_strcmp0 (section, section_titles[i][0]) == 0)
      return _(section_titles[i][1]);
  if (g_strcmp0 (section, "product") == 0)
    {
      SdProduct *p = sd_product_page_get_product (self->product_page);
      return p ? sd_product_get_name (p) : "";
    }
  return self->category_name ? self->category_name : _("All Products");
}

static void
leave_then (SdProductsAdmin *page, gpointer section)
{
  SdWindow *self = SD_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  sd_window_show_section (self, section);
}

static void
leave_cancelled (SdProductsAdmin *page, gpointer section)
{
  _sd_window_select_sidebar (SD_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))), "staff-products");
}

/* ---- closing with unsaved changes ---------------------------------------- */

static gboolean
close_now (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

/* Answered (saved or discarded): closed once the dialog's answer is
 * over, not from inside it (the page goes with the window). */
static void
close_then (SdProductsAdmin *page, gpointer unused)
{
  SdWindow *self = SD_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  self->close_asked = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_now, g_object_ref (self), g_object_unref);
}

/* Closing the window (its button, Ctrl+W, Ctrl+Q) with an edited product
 * asks first, as leaving the page does: Save, Discard or Cancel. */
static gboolean
sd_window_close_request (GtkWindow *window)
{
  SdWindow *self = SD_WINDOW (window);

  if (!self->close_asked && sd_products_admin_get_dirty (self->products_admin) &&
      !sd_products_admin_leave (self->products_admin, close_then, NULL, NULL, NULL))
    {
      sd_window_show_section (self, "staff-products");
      return TRUE;
    }
  return GTK_WINDOW_CLASS (sd_window_parent_class)->close_request (window);
}

/* The page shown takes the focus: itself (the grid, a product) or the
 * first thing in it, else its row in the sidebar (an empty cart). Never
 * left in a hidden page: the window would give it to the first widget it
 * finds, an Undo toast's button among them (measured: that button,
 * dismissed with the focus, left GTK 4.8 a dangling focus). */
static void
focus_page (SdWindow *self, GtkWidget *page)
{
  GtkListBox *lists[] = { self->section_list, self->staff_list, self->category_list };

  if (gtk_widget_grab_focus (page) || gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    return;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    if (gtk_list_box_get_selected_row (lists[l]))
      {
        gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (lists[l])));
        return;
      }
}

void
sd_window_show_section (SdWindow *self, const char *section)
{
  GtkWidget *focus;
  gboolean from_product;

  g_return_if_fail (SD_IS_WINDOW (self));
  if (g_strcmp0 (section, "checkout") == 0)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->cart)) == 0)
        section = "cart";
      else
        sd_checkout_page_start (self->checkout_page);
    }
  if (g_strcmp0 (section, "orders") == 0)
    sd_orders_page_reload (self->orders_page);
  /* Staff pages only for staff; the shop refuses the rest anyway. */
  if (g_str_has_prefix (section, "staff-") && !(self->session && sd_session_get_is_admin (self->session)))
    section = "account";
  /* Unsaved changes to a product: asked first. */
  if (g_strcmp0 (sd_window_get_section (self), "staff-products") == 0 && g_strcmp0 (section, "staff-products") != 0 &&
      !sd_products_admin_leave (self->products_admin, leave_then, leave_cancelled, g_strdup (section), g_free))
    return;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  /* (its Back button, clicked, counts as the product's) */
  from_product = focus && (focus == GTK_WIDGET (self->product_page) || focus == self->back_button ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->product_page)));
  /* Leaving a product with the focus in it: none is left behind in the
   * page (the stack would give it back to the next product, scrolled
   * down to it). */
  if (from_product && g_strcmp0 (section, "product") != 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->product_page));
  if (g_strcmp0 (section, "staff-orders") == 0)
    {
      sd_orders_board_reload (self->orders_board);
      _sd_window_orders_seen (self);
    }
  else if (g_strcmp0 (section, "staff-products") == 0 && g_strcmp0 (sd_window_get_section (self), section) != 0)
    sd_products_admin_reload (self->products_admin);
  else if (g_strcmp0 (section, "staff-categories") == 0)
    sd_categories_admin_reload (self->categories_admin);
  else if (g_strcmp0 (section, "staff-customers") == 0)
    sd_customers_admin_reload (self->customers_admin);
  else if (g_strcmp0 (section, "staff-dashboard") == 0 && g_strcmp0 (sd_window_get_section (self), section) != 0)
    sd_dashboard_page_reload (self->dashboard_page);
  else if (g_strcmp0 (section, "staff-activity") == 0)
    sd_activity_page_reload (self->activity_page);
  gtk_stack_set_visible_child_name (self->sections, section);
  show_title (self, section);
  /* The search belongs to the shop; it is there again with its words
   * when the shop is. Typing starts a search on the catalog's pages only
   * (elsewhere letters are left to the page). */
  self->leaving_search = TRUE;
  if (g_strcmp0 (section, "shop") == 0)
    gtk_search_bar_set_search_mode (self->search_bar, sd_catalog_page_get_query (self->catalog_page) != NULL);
  else if (g_strcmp0 (section, "product") != 0)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  self->leaving_search = FALSE;
  gtk_search_bar_set_key_capture_widget (self->search_bar,
                                         g_strcmp0 (section, "shop") == 0 || g_strcmp0 (section, "product") == 0
                                         ? GTK_WIDGET (self) : NULL);
  update_subtitle (self);
  _sd_window_select_sidebar (self, section);
  _sd_window_update_back (self);
  /* A product opened: the focus goes into it (at its top), not to
   * whatever the window finds first (the sidebar's Cart row, selected
   * with it). Back from it, or its Back button gone with the focus: to
   * the page shown (the grid's card that was opened). */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (g_strcmp0 (section, "product") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->product_page));
  else if (from_product || focus == NULL || !gtk_widget_is_drawable (focus))
    focus_page (self, gtk_stack_get_visible_child (self->sections));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

const char *
sd_window_get_section (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->sections);
}

static void
section_activated_cb (GtkListBox *box, GtkListBoxRow *row, gpointer user_data)
{
  sd_window_show_section (SD_WINDOW (user_data), gtk_widget_get_name (GTK_WIDGET (row)));
}

/* ---- products ------------------------------------------------------- */

static SdSortOrder
chosen_sort (SdWindow *self)
{
  /* The drop-down lists the orders as the enum does. */
  guint i = gtk_drop_down_get_selected (self->sort_dropdown);

  return i <= SD_SORT_ORDER_NAME ? (SdSortOrder) i : SD_SORT_ORDER_SHOP;
}

/* The user closed the search (Escape, the button): the filter goes with
 * it, and the whole catalog is back. */
static void
search_mode_cb (SdWindow *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar) || self->leaving_search)
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_changed_cb (SdWindow *self)
{
  if (self->catalog == NULL ||
      !sd_catalog_page_set_query (self->catalog_page, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))))
    return;
  if (sd_catalog_page_get_query (self->catalog_page) && g_strcmp0 (sd_window_get_section (self), "shop") != 0)
    sd_window_show_section (self, "shop");
  sd_page_reload (SD_PAGE (self->catalog_page));
}

static void
sort_changed_cb (SdWindow *self)
{
  sd_catalog_page_set_sort (self->catalog_page, chosen_sort (self));
  if (self->catalog)
    sd_page_reload (SD_PAGE (self->catalog_page));
}

void
sd_window_show_product (SdWindow *self, SdProduct *product)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  if (product == NULL || sd_product_is_placeholder (product))
    return;
  sd_product_page_set_product (self->product_page, product);
  sd_window_show_section (self, "product");
}

static void
show_product_cb (SdWindow *self, SdProduct *product)
{
  sd_window_show_product (self, product);
}

/* ---- the session ------------------------------------------------------ */

static void
update_account (SdWindow *self)
{
  gboolean in = sd_session_get_signed_in (self->session);
  gboolean staff = in && sd_session_get_is_admin (self->session);

  gtk_widget_set_visible (self->staff_box, staff);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-product", staff);
  sd_prep_page_set_staff (SD_PREP_PAGE (sd_window_get_page (self, "photos")), staff);
  if (!staff && g_str_has_prefix (sd_window_get_section (self), "staff-"))
    sd_window_show_section (self, "shop");

  gtk_label_set_label (self->account_label, in ? sd_session_get_name (self->session) : _("Account"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", in);
}

static void
sign_in_again_cb (AdwToast *toast, gpointer user_data)
{
  sd_window_show_section (SD_WINDOW (user_data), "account");
}

static void
signed_in_changed_cb (SdWindow *self)
{
  update_account (self);
  /* Signed out here (the menu, the account page): the page says so. */
  if (sd_session_get_signed_in (self->session) || !sd_session_get_ended_by_shop (self->session))
    return;
  /* Signed out by the shop (the session ran out): say so, and come back
   * to this very page after signing in again. */
  {
    AdwToast *toast = adw_toast_new (_("Your session has ended. Sign in again to go on."));

    g_free (self->return_to);
    self->return_to = g_strdup (sd_window_get_section (self));
    adw_toast_set_button_label (toast, _("_Sign In"));
    adw_toast_set_timeout (toast, 0);
    g_signal_connect_object (toast, "button-clicked", G_CALLBACK (sign_in_again_cb), self, 0);
    _sd_window_show_toast (self, toast);
  }
}

static void
signed_in_cb (SdWindow *self)
{
  g_autofree char *back = g_steal_pointer (&self->return_to);

  if (back && g_strcmp0 (back, "account") != 0)
    sd_window_show_section (self, back);
}

/* The shop answers again: the page on show (and the grid under a
 * product, if it never loaded) shows what the shop has now. */
static void
reload_shown (SdWindow *self)
{
  const char *section = sd_window_get_section (self);
  GtkWidget *page = sd_window_get_page (self, section);

  _sd_window_load_categories (self);
  if (g_strcmp0 (section, "orders") == 0)
    sd_orders_page_reload (self->orders_page);
  else if (SD_IS_PAGE (page))
    sd_page_reload (SD_PAGE (page));
  if (page != GTK_WIDGET (self->catalog_page) && g_strcmp0 (sd_window_get_state (self), "error") == 0)
    sd_page_reload (SD_PAGE (self->catalog_page));
}

/* The header bar's sync status says so while the shop does not answer;
 * when it answers again (the api asks /health meanwhile, with backoff),
 * the page on show is read again. */
static void
online_changed_cb (SdWindow *self)
{
  gboolean online = sd_api_get_online (self->api);
  gboolean was_offline = self->was_offline;

  self->was_offline = !online;
  if (online && was_offline)
    reload_shown (self);
}

static void
sync_changed_cb (SdWindow *self)
{
  sd_sync_status_set_sync (self->sync_status, self->shop ? sd_shop_get_sync (self->shop) : NULL);
}

/* Staff changed the catalog or its categories: the shop's pages follow. */
static void
shop_changed_cb (SdWindow *self)
{
  if (self->api)
    _sd_window_load_shop (self);
}

/* ---- public --------------------------------------------------------- */


static void parts_changed_cb (SdWindow *self);

/* The same shop again: the catalog page reloads itself (SdPage). */
static void
reloaded_cb (SdWindow *self)
{
  _sd_window_load_categories (self);
  if (g_strcmp0 (sd_window_get_section (self), "orders") == 0)
    sd_orders_page_reload (self->orders_page);
}

static void
problem_cb (SdWindow *self, const char *message)
{
  _sd_window_show_toast (self, adw_toast_new (message));
}

/* The window follows shop: every part it makes, on every connect. Until
 * the first parts exist it says it is connecting. */
void
sd_window_set_shop (SdWindow *self, SdShop *shop)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  g_return_if_fail (SD_IS_SHOP (shop));

  if (self->shop)
    g_signal_handlers_disconnect_by_data (self->shop, self);
  g_set_object (&self->shop, shop);
  g_signal_connect_swapped (shop, "parts-changed", G_CALLBACK (parts_changed_cb), self);
  g_signal_connect_swapped (shop, "notify::sync", G_CALLBACK (sync_changed_cb), self);
  g_signal_connect_swapped (shop, "reloaded", G_CALLBACK (reloaded_cb), self);
  g_signal_connect_swapped (shop, "problem", G_CALLBACK (problem_cb), self);
  /* The pages that are SdPages follow the shop themselves. */
  {
    SdPage *pages[] = { SD_PAGE (self->catalog_page), SD_PAGE (self->product_page), SD_PAGE (self->cart_page),
                        SD_PAGE (self->checkout_page), SD_PAGE (self->orders_page), SD_PAGE (self->account_page),
                        SD_PAGE (sd_window_get_page (self, "photos")),
                        SD_PAGE (self->orders_board), SD_PAGE (self->categories_admin),
                        SD_PAGE (self->customers_admin), SD_PAGE (self->products_admin),
                        SD_PAGE (self->dashboard_page), SD_PAGE (self->activity_page) };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      sd_page_set_shop (pages[i], shop);
  }
  if (sd_shop_get_ready (shop))
    parts_changed_cb (self);
  else
    sd_catalog_page_show_loading (self->catalog_page, _("Connecting to the shop…"));
}

/* Takes the window's handlers off the shop's parts it was last given. */
static void
disconnect_parts (SdWindow *self)
{
  gpointer parts[] = { self->api, self->session, self->cart, self->catalog };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i])
      g_signal_handlers_disconnect_by_data (parts[i], self);
}

static void
parts_changed_cb (SdWindow *self)
{
  SdApi *api = sd_shop_get_api (self->shop);

  disconnect_parts (self);
  g_set_object (&self->api, api);
  g_set_object (&self->session, sd_shop_get_session (self->shop));
  g_set_object (&self->uploads, sd_shop_get_uploads (self->shop));
  g_set_object (&self->cart, sd_shop_get_cart (self->shop));
  g_set_object (&self->catalog, sd_shop_get_catalog (self->shop));
  _sd_window_select_sidebar (self, sd_window_get_section (self));

  g_signal_connect_swapped (api, "notify::online", G_CALLBACK (online_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::signed-in", G_CALLBACK (signed_in_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::name", G_CALLBACK (update_account), self);
  g_signal_connect_swapped (self->session, "notify::is-admin", G_CALLBACK (update_account), self);
  g_signal_connect_swapped (self->cart, "notify::n-items", G_CALLBACK (_sd_window_update_cart_count), self);
  /* The subtitle counts the products shown. */
  g_signal_connect_swapped (self->catalog, "items-changed", G_CALLBACK (update_subtitle), self);
  sd_sync_status_set_api (self->sync_status, api);
  sync_changed_cb (self);
  online_changed_cb (self);
  update_account (self);
  _sd_window_update_cart_count (self);


  /* The catalog page loads its products itself, keeping the category
   * the user was looking at. */
  _sd_window_load_categories (self);
}

/* The app's watcher of new orders: the board shows what it finds. */
void
sd_window_set_orders_watcher (SdWindow *self, SdOrdersWatcher *watcher)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  sd_orders_board_set_watcher (self->orders_board, watcher);
  _sd_window_watch_orders (self, watcher);
}

void
sd_window_set_demo (SdWindow *self, gboolean demo)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  sd_account_page_set_demo (self->account_page, demo);
}

SdApi *sd_window_get_api (SdWindow *self) { return self->api; }
SdCatalog *sd_window_get_catalog (SdWindow *self) { return self->catalog; }
SdCart *sd_window_get_cart (SdWindow *self) { return self->cart; }
SdSession *sd_window_get_session (SdWindow *self) { return self->session; }
SdUploadQueue *sd_window_get_uploads (SdWindow *self) { return self->uploads; }
GtkWidget *sd_window_get_page (SdWindow *self, const char *section)
{
  return gtk_stack_get_child_by_name (self->sections, section);
}

/* ---- object --------------------------------------------------------- */


static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  disconnect_parts (self);
  if (self->leaflet)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  self->selecting = TRUE;   /* the sidebar's rows go with it */
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->catalog);
  g_clear_object (&self->categories);
  g_clear_object (&self->cart);
  g_clear_object (&self->uploads);
  g_clear_object (&self->session);
  g_clear_object (&self->api);
  if (self->shop)
    g_signal_handlers_disconnect_by_data (self->shop, self);
  g_clear_object (&self->shop);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->category_name, g_free);
  g_clear_pointer (&self->return_to, g_free);
  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = sd_window_close_request;
  g_type_ensure (SD_TYPE_SYNC_STATUS);
  g_type_ensure (SD_TYPE_DASHBOARD_PAGE);
  g_type_ensure (SD_TYPE_ACTIVITY_PAGE);
  g_type_ensure (SD_TYPE_CATALOG_PAGE);
  g_type_ensure (SD_TYPE_PRODUCT_PAGE);
  g_type_ensure (SD_TYPE_CART_PAGE);
  g_type_ensure (SD_TYPE_CHECKOUT_PAGE);
  g_type_ensure (SD_TYPE_ORDERS_PAGE);
  g_type_ensure (SD_TYPE_ACCOUNT_PAGE);
  g_type_ensure (SD_TYPE_PREP_PAGE);
  g_type_ensure (SD_TYPE_ORDERS_BOARD);
  g_type_ensure (SD_TYPE_PRODUCTS_ADMIN);
  g_type_ensure (SD_TYPE_CATEGORIES_ADMIN);
  g_type_ensure (SD_TYPE_CUSTOMERS_ADMIN);
  sd_ui_class_set_template (widget_class, "sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, section_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, category_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, staff_box);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, staff_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, orders_board);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, products_admin);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, categories_admin);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, customers_admin);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, activity_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cart_count_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cart_badge);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sections);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, catalog_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, product_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cart_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, checkout_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, account_page);
  gtk_widget_class_bind_template_callback (widget_class, section_activated_cb);
  _sd_window_class_init_sidebar (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_product_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, shop_changed_cb);

  _sd_window_class_init_actions (widget_class);
}

static void
sd_window_init (SdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  adw_window_title_set_title (self->content_title, _("All Products"));
  name_pages (self);
  g_signal_connect_swapped (self->catalog_page, "notify::state", G_CALLBACK (catalog_state_cb), self);
  sd_catalog_page_show_loading (self->catalog_page, _("Connecting to the shop…"));
  catalog_state_cb (self);
  /* The bar knows its entry: it focuses it when opened, closes on
   * Escape and takes the keys typed elsewhere (GtkSearchBar connects
   * only to an entry that is its direct child, and this one sits in a
   * box beside the sort order). */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (search_mode_cb), self);
  /* Keyboard users start in the grid, not on the first sidebar row. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->catalog_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.checkout", FALSE);
  _sd_window_init_actions (self);

  /* Without the installed schema (a bare build tree) sizes are not kept. */
  self->settings = sd_ui_lookup_settings (NULL);
  if (self->settings)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }
}

SdWindow *
sd_window_new (SdApplication *application)
{
  return g_object_new (SD_TYPE_WINDOW, "application", application, NULL);
}
