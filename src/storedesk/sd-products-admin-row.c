/* sd-products-admin-row.c — the products list's rows: the template
 * (sd-products-admin-row.ui) binds, through row_name and row_detail, a
 * product's name, category and price (an edit's waiting to be sent, if
 * any) and, through row_sync, its mark of that edit; this scope gives the
 * template those functions, tied to the page whose categories and sync
 * they use. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-products-admin-private.h"
#include "sd-products-admin-row.h"
#include "sd-sync-mark.h"

struct _SdProductsAdminRowScope
{
  GObject          parent_instance;

  SdProductsAdmin *page;   /* weak */
};

static void sd_products_admin_row_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdProductsAdminRowScope, sd_products_admin_row_scope, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE, sd_products_admin_row_scope_iface_init))

static SdSync *
page_sync (SdProductsAdminRowScope *self)
{
  return self->page ? sd_sync_mark_page_sync (SD_PAGE (self->page)) : NULL;
}

/* A row's name: the product's, or that of its edit waiting to be sent.
 * Called with the template's object first and the scope last; serial
 * (the mark's) changes when the queue does. */
static char *
row_name (gpointer this, const char *id, const char *name, guint serial, SdProductsAdminRowScope *self)
{
  char *yours = sd_sync_mark_dup_value (page_sync (self), id, "name");

  return yours ? yours : g_strdup (name);
}

/* A row's second line: "Kitchen · ₩12,000", an edit's values first. */
static char *
row_detail (gpointer this, const char *id, const char *category_id, gint64 price, guint serial,
            SdProductsAdminRowScope *self)
{
  g_autofree char *your_category = sd_sync_mark_dup_value (page_sync (self), id, "categoryId");
  g_autofree char *your_price = sd_sync_mark_dup_value (page_sync (self), id, "price");
  g_autofree char *money = sd_format_price (your_price ? g_ascii_strtoll (your_price, NULL, 10) : price);
  const char *category = your_category ? your_category : category_id;

  return g_strdup_printf ("%s · %s", self->page ? sd_products_admin_category_name (self->page, category) : "",
                          money);
}

/* The mark's sync: the page's (a new reference, as closures return). */
static SdSync *
row_sync (gpointer this, gpointer item, SdProductsAdminRowScope *self)
{
  SdSync *sync = page_sync (self);

  return sync ? g_object_ref (sync) : NULL;
}

static GClosure *
create_closure (GtkBuilderScope *scope, GtkBuilder *builder, const char *function_name,
                GtkBuilderClosureFlags flags, GObject *object, GError **error)
{
  GCallback callback = g_strcmp0 (function_name, "row_detail") == 0 ? G_CALLBACK (row_detail)
                       : g_strcmp0 (function_name, "row_name") == 0 ? G_CALLBACK (row_name)
                       : g_strcmp0 (function_name, "row_sync") == 0 ? G_CALLBACK (row_sync) : NULL;

  if (callback == NULL)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_FUNCTION, "No function named “%s”",
                   function_name);
      return NULL;
    }
  return g_cclosure_new_object (callback, G_OBJECT (scope));
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

  g_type_ensure (SD_TYPE_SYNC);
  g_type_ensure (SD_TYPE_SYNC_MARK);
  g_set_weak_pointer (&scope->page, page);
  return gtk_builder_list_item_factory_new_from_resource (GTK_BUILDER_SCOPE (scope),
                                                          "/io/github/storedesk/Storedesk/ui/sd-products-admin-row.ui");
}
