/* sd-window-private.h — what the window's own files share: its fields, and
 * the few steps one file takes for another. */
#pragma once

#include "sd-account-page.h"
#include "sd-cart-page.h"
#include "sd-catalog-page.h"
#include "sd-categories-admin.h"
#include "sd-checkout-page.h"
#include "sd-customers-admin.h"
#include "sd-dashboard-page.h"
#include "sd-activity-page.h"
#include "sd-orders-board.h"
#include "sd-orders-page.h"
#include "sd-prep-page.h"
#include "sd-product-page.h"
#include "sd-products-admin.h"
#include "sd-sync-status.h"
#include "sd-window.h"

G_BEGIN_DECLS

struct _SdWindow
{
  AdwApplicationWindow parent_instance;

  AdwLeaflet      *leaflet;
  GtkListBox      *section_list;
  GtkListBox      *category_list;
  GtkWidget       *staff_box;
  GtkListBox      *staff_list;
  SdOrdersBoard   *orders_board;
  SdProductsAdmin *products_admin;
  SdCategoriesAdmin *categories_admin;
  SdCustomersAdmin *customers_admin;
  SdDashboardPage *dashboard_page;
  SdActivityPage  *activity_page;
  GtkLabel        *cart_count_label;
  GtkLabel        *account_label;
  GtkLabel        *cart_badge;
  AdwWindowTitle  *content_title;
  GtkWidget       *back_button;
  GtkToggleButton *search_button;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *sort_dropdown;
  SdSyncStatus    *sync_status;
  gboolean         was_offline;
  AdwToastOverlay *toast_overlay;
  GtkStack        *sections;
  SdCatalogPage   *catalog_page;
  SdProductPage   *product_page;
  SdCartPage      *cart_page;
  SdCheckoutPage  *checkout_page;
  SdOrdersPage    *orders_page;
  SdAccountPage   *account_page;

  GSettings       *settings;
  SdShop          *shop;
  /* The shop's parts the window and its pages were last given (each a
   * reference): handlers are taken off these when the shop makes new ones. */
  SdApi           *api;
  SdSession       *session;
  SdUploadQueue   *uploads;
  SdCart          *cart;
  SdCatalog       *catalog;
  GListModel      *categories;
  char            *category_name;   /* of the category the catalog page shows */
  char            *return_to;       /* the section to go back to after signing in again */
  GCancellable    *cancellable;     /* everything this window started */
  gboolean         selecting;       /* filling the sidebar, not the user */
  gboolean         leaving_search;  /* the bar hidden by a page change, not the user */
  gboolean         close_asked;     /* unsaved changes answered: the window may close */
};
/* sd-window.c */
void _sd_window_load_shop          (SdWindow *self);
/* sd-window-sidebar.c: the row of section (or of the category on show)
 * selected, and only it; the categories asked of the shop again. */
void _sd_window_select_sidebar     (SdWindow       *self,
                                    const char     *section);
void _sd_window_load_categories    (SdWindow       *self);
void _sd_window_class_init_sidebar (GtkWidgetClass *widget_class);

/* sd-window-actions.c: the window's actions, toasts and the cart's Undo. */
void _sd_window_show_toast         (SdWindow *self,
                                    AdwToast *toast);
void _sd_window_update_cart_count  (SdWindow *self);
void _sd_window_class_init_actions (GtkWidgetClass *widget_class);
void _sd_window_init_actions       (SdWindow *self);
void _sd_window_update_back        (SdWindow *self);

/* sd-window-orders.c: new orders, as a count on the Orders Board's row
 * and a toast while the window has the focus; seen once the board is. */
void _sd_window_watch_orders       (SdWindow        *self,
                                    SdOrdersWatcher *watcher);
void _sd_window_orders_seen        (SdWindow        *self);

G_END_DECLS
