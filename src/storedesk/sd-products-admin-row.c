/* sd-products-admin-row.c — the products list's rows: the template
 * (sd-products-admin-row.ui) binds a product's name and, through
 * row_detail, its category and price; this scope gives the template that
 * function, tied to the page whose categories it names. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-products-admin-private.h"
#include "sd-products-admin-row.h"

struct _SdProductsAdminRowScope
{
  GObject          parent_instance;

  SdProductsAdmin *page;   /* weak */
};

static void sd_products_admin_row_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdProductsAdminRowScope, sd_products_admin_row_scope, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE, sd_products_admin_row_scope_iface_init))

/* A row's second line: "Kitchen · ₩12,000". Called with the list item
 * first (the template's object) and the scope last. */
static char *
row_detail (GtkListItem *item, const char *category_id, gint64 price, SdProductsAdminRowScope *self)
{
  g_autofree char *money = sd_format_price (price);

  return g_strdup_printf ("%s · %s", self->page ? sd_products_admin_category_name (self->page, category_id) : "",
                          money);
}

static GClosure *
create_closure (GtkBuilderScope *scope, GtkBuilder *builder, const char *function_name,
                GtkBuilderClosureFlags flags, GObject *object, GError **error)
{
  if (g_strcmp0 (function_name, "row_detail") != 0)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_FUNCTION, "No function named “%s”",
                   function_name);
      return NULL;
    }
  return g_cclosure_new_object (G_CALLBACK (row_detail), G_OBJECT (scope));
}

static void
sd_products_admin_row_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  iface->create_closure = create_closure;
}

static void
sd_products_admin_row_scope_dispose (GObject *object)
{
  SdProductsAdminRowScope *self = SD_PRODUCTS_ADMIN_ROW_SCOPE (object);

  g_clear_weak_pointer (&self->page);
  G_OBJECT_CLASS (sd_products_admin_row_scope_parent_class)->dispose (object);
}

static void
sd_products_admin_row_scope_class_init (SdProductsAdminRowScopeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sd_products_admin_row_scope_dispose;
}

static void
sd_products_admin_row_scope_init (SdProductsAdminRowScope *self)
{
}

GtkListItemFactory *
sd_products_admin_row_factory_new (SdProductsAdmin *page)
{
  g_autoptr(SdProductsAdminRowScope) scope = g_object_new (SD_TYPE_PRODUCTS_ADMIN_ROW_SCOPE, NULL);

  g_set_weak_pointer (&scope->page, page);
  return gtk_builder_list_item_factory_new_from_resource (GTK_BUILDER_SCOPE (scope),
                                                          "/io/github/storedesk/Storedesk/ui/sd-products-admin-row.ui");
}
