/* sd-catalog-page.c — the shop's product grid (see sd-catalog-page.h). */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-catalog-page.h"
#include "sd-product-card.h"
#include "sd-ui.h"

struct _SdCatalogPage
{
  SdPage         parent_instance;

  GtkStack      *stack;
  GtkGridView   *grid;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkLabel      *loading_label;

  SdApi         *api;
  SdCatalog     *catalog;
  char          *category_id;     /* shown category; NULL: all */
  char          *query;           /* search text; NULL: none */
  SdSortOrder    sort;
  char          *held;            /* category and search of the products last loaded */
};

G_DEFINE_FINAL_TYPE (SdCatalogPage, sd_catalog_page, SD_TYPE_PAGE)

enum { SIGNAL_SHOW_PRODUCT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- states --------------------------------------------------------- */

static void
show_page (SdCatalogPage *self, const char *name, SdPageState state)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  sd_page_set_state (SD_PAGE (self), state);
}

const char *
sd_catalog_page_get_state (SdCatalogPage *self)
{
  g_return_val_if_fail (SD_IS_CATALOG_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
sd_catalog_page_show_loading (SdCatalogPage *self, const char *message)
{
  g_return_if_fail (SD_IS_CATALOG_PAGE (self));
  gtk_label_set_label (self->loading_label, message);
  show_page (self, "loading", SD_PAGE_STATE_LOADING);
}

void
sd_catalog_page_show_error (SdCatalogPage *self, const GError *error)
{
  gboolean unreachable = g_error_matches (error, SD_API_ERROR, SD_API_ERROR_OFFLINE) ||
                         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TIMEOUT) ||
                         g_error_matches (error, SD_API_ERROR, SD_API_ERROR_TLS);
  g_autofree char *message = sd_ui_error_message (error, NULL);

  g_return_if_fail (SD_IS_CATALOG_PAGE (self));
  sd_catalog_page_show_problem (self, unreachable, message);
}

void
sd_catalog_page_show_problem (SdCatalogPage *self, gboolean unreachable, const char *message)
{
  g_return_if_fail (SD_IS_CATALOG_PAGE (self));
  adw_status_page_set_icon_name (self->error_page, unreachable ? "network-offline-symbolic"
                                                               : "dialog-warning-symbolic");
  /* The message says what happened and what to do; the title names the kind. */
  adw_status_page_set_title (self->error_page, unreachable ? _("Connection Problem")
                                                           : _("Something Went Wrong"));
  adw_status_page_set_description (self->error_page, message);
  show_page (self, "error", SD_PAGE_STATE_ERROR);
}

/* ---- what is shown ---------------------------------------------------- */

void
sd_catalog_page_set_category (SdCatalogPage *self, const char *category_id)
{
  g_return_if_fail (SD_IS_CATALOG_PAGE (self));
  g_free (self->category_id);
  self->category_id = g_strdup (category_id);
}

const char *
sd_catalog_page_get_category_id (SdCatalogPage *self)
{
  g_return_val_if_fail (SD_IS_CATALOG_PAGE (self), NULL);
  return self->category_id;
}

gboolean
sd_catalog_page_set_query (SdCatalogPage *self, const char *text)
{
  g_autofree char *query = g_strstrip (g_strdup (text ? text : ""));

  g_return_val_if_fail (SD_IS_CATALOG_PAGE (self), FALSE);
  if (g_strcmp0 (self->query ? self->query : "", query) == 0 || self->catalog == NULL)
    return FALSE;
  g_free (self->query);
  self->query = *query ? g_steal_pointer (&query) : NULL;
  return TRUE;
}

const char *
sd_catalog_page_get_query (SdCatalogPage *self)
{
  g_return_val_if_fail (SD_IS_CATALOG_PAGE (self), NULL);
  return self->query;
}

void
sd_catalog_page_set_sort (SdCatalogPage *self, SdSortOrder sort)
{
  g_return_if_fail (SD_IS_CATALOG_PAGE (self));
  self->sort = sort;
}

/* ---- products ------------------------------------------------------- */

static char *
held_key (SdCatalogPage *self)
{
  return g_strconcat (self->category_id ? self->category_id : "", "\n", self->query ? self->query : "", NULL);
}

static void
products_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdCatalogPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_catalog_load_finish (SD_CATALOG (source), result, &error))
    {
      g_autofree char *wanted = held_key (self);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Offline: the products this run loaded for the very same view stay. */
      if (sd_page_offline_keeps (SD_PAGE (self), error, g_strcmp0 (self->held, wanted) == 0 &&
                                 g_list_model_get_n_items (G_LIST_MODEL (source)) > 0))
        show_page (self, "products", SD_PAGE_STATE_CONTENT);
      else
        sd_catalog_page_show_error (self, error);
      return;
    }
  g_free (self->held);
  self->held = held_key (self);
  sd_page_note_loaded (SD_PAGE (self));
  if (g_list_model_get_n_items (G_LIST_MODEL (source)) == 0)
    {
      if (self->query)
        {
          /* Translators: %s is what the user searched for. */
          g_autofree char *title = g_strdup_printf (_("No Products Match “%s”"), self->query);
          adw_status_page_set_title (self->empty_page, title);
          adw_status_page_set_description (self->empty_page, _("Try other words, or another category."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Products Here Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("This category has no products. Pick another category on the left."));
        }
      show_page (self, "empty", SD_PAGE_STATE_EMPTY);
      return;
    }
  show_page (self, "products", SD_PAGE_STATE_CONTENT);
}

/* The products kept on this computer came in before the shop answered
 * (a known shop: SdCatalog reads its local store first): shown at once,
 * and kept if the shop turns out unreachable. */
static void
catalog_items_cb (SdCatalogPage *self, guint position, guint removed, guint added)
{
  /* Only a whole new list of the view asked for: not a page of the list
   * shown before coming in late. */
  if (position != 0 || added == 0 || added != g_list_model_get_n_items (G_LIST_MODEL (self->catalog)) ||
      g_strcmp0 (sd_catalog_page_get_state (self), "loading") != 0 ||
      g_strcmp0 (sd_catalog_get_category_id (self->catalog), self->category_id) != 0 ||
      g_strcmp0 (sd_catalog_get_query (self->catalog), self->query) != 0)
    return;
  g_free (self->held);
  self->held = held_key (self);
  sd_page_note_loaded (SD_PAGE (self));
  show_page (self, "products", SD_PAGE_STATE_CONTENT);
}

/* Loads what the page is set to show (Reload, another category, search
 * or sort). */
static void
sd_catalog_page_reload (SdPage *page)
{
  SdCatalogPage *self = SD_CATALOG_PAGE (page);
  gboolean same;

  if (self->catalog == NULL)
    return;
  same = g_strcmp0 (self->category_id, sd_catalog_get_category_id (self->catalog)) == 0;
  /* A reload of what is on screen keeps it there; anything else shows progress. */
  if (!same || g_list_model_get_n_items (G_LIST_MODEL (self->catalog)) == 0 ||
      g_strcmp0 (sd_catalog_page_get_state (self), "products") != 0)
    sd_catalog_page_show_loading (self, _("Loading products…"));
  sd_catalog_load_sorted_async (self->catalog, self->category_id, self->query, self->sort,
                                sd_page_get_cancellable (page), products_loaded_cb, g_object_ref (self));
}

static void
setup_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SdCatalogPage *self = user_data;

  gtk_list_item_set_child (item, sd_product_card_new (self->api));
}

static void
bind_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  sd_product_card_set_product (SD_PRODUCT_CARD (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  sd_product_card_set_product (SD_PRODUCT_CARD (gtk_list_item_get_child (item)), NULL);
}

static void
activated_cb (SdCatalogPage *self, guint position)
{
  g_autoptr(SdProduct) product = g_list_model_get_item (G_LIST_MODEL (self->catalog), position);

  g_signal_emit (self, signals[SIGNAL_SHOW_PRODUCT], 0, product);
}

/* The shop's catalog in the grid, its cards from the shop's api; the
 * category, search and sort shown stay. */
static void
sd_catalog_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdCatalogPage *self = SD_CATALOG_PAGE (page);
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
  if (self->catalog)
    g_signal_handlers_disconnect_by_func (self->catalog, catalog_items_cb, self);
  g_set_object (&self->catalog, (shop ? sd_shop_get_catalog (shop) : NULL));
  g_clear_pointer (&self->held, g_free);
  if (self->catalog == NULL)
    return;
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->catalog)));
  gtk_grid_view_set_factory (self->grid, factory);
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (self->catalog, "items-changed", G_CALLBACK (catalog_items_cb), self, G_CONNECT_SWAPPED);
  sd_catalog_page_reload (page);
}

/* ---- object --------------------------------------------------------- */

/* Keyboard users start in the grid. */
static gboolean
sd_catalog_page_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (SD_CATALOG_PAGE (widget)->grid));
}

static void
sd_catalog_page_dispose (GObject *object)
{
  SdCatalogPage *self = SD_CATALOG_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CATALOG_PAGE);
  if (self->catalog)
    g_signal_handlers_disconnect_by_func (self->catalog, catalog_items_cb, self);
  g_clear_object (&self->catalog);
  g_clear_object (&self->api);
  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->held, g_free);
  G_OBJECT_CLASS (sd_catalog_page_parent_class)->dispose (object);
}

static void
sd_catalog_page_class_init (SdCatalogPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_catalog_page_dispose, sd_catalog_page_shop_changed, sd_catalog_page_reload,
                        "sd-catalog-page.ui");
  widget_class->grab_focus = sd_catalog_page_grab_focus;
  gtk_widget_class_bind_template_child (widget_class, SdCatalogPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdCatalogPage, grid);
  gtk_widget_class_bind_template_child (widget_class, SdCatalogPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdCatalogPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdCatalogPage, loading_label);
  gtk_widget_class_bind_template_callback (widget_class, activated_cb);
  signals[SIGNAL_SHOW_PRODUCT] = g_signal_new ("show-product", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_PRODUCT);
}

static void
sd_catalog_page_init (SdCatalogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
