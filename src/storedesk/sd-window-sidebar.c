/* sd-window-sidebar.c — the window's sidebar: its rows kept in step with
 * the page on show (one row selected, the section's or the category's),
 * and the shop's categories listed under All Products. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include "sd-row-template.h"
#include "sd-window-private.h"

#define CATEGORY_ID_KEY "sd-category-id"

/* The sidebar shows where the user is, and only that: one row, the
 * section's or (in the shop, on a product) the category's on show. */
void
_sd_window_select_sidebar (SdWindow *self, const char *section)
{
  gboolean in_shop = g_strcmp0 (section, "shop") == 0 || g_strcmp0 (section, "product") == 0;
  GtkListBox *lists[] = { self->section_list, self->staff_list, self->category_list };
  const char *name = g_strcmp0 (section, "checkout") == 0 ? "cart" : section;
  const char *category = sd_catalog_page_get_category_id (self->catalog_page);

  self->selecting = TRUE;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      gboolean categories = lists[l] == self->category_list;

      gtk_list_box_unselect_all (lists[l]);
      if (categories != in_shop)
        continue;
      for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (lists[l])); c;
           c = gtk_widget_get_next_sibling (c))
        if (categories ? g_strcmp0 (g_object_get_data (G_OBJECT (c), CATEGORY_ID_KEY), category) == 0
                       : g_strcmp0 (gtk_widget_get_name (c), name) == 0)
          {
            gtk_list_box_select_row (lists[l], GTK_LIST_BOX_ROW (c));
            break;
          }
    }
  self->selecting = FALSE;
}

/* Keys move the focus through the sidebar, not the user: the selection
 * stays with the page on show until a row is activated (Enter, Space, a
 * click). */
static void
sidebar_selected_cb (GtkListBox *box, GtkListBoxRow *row, gpointer user_data)
{
  SdWindow *self = user_data;

  if (!self->selecting)
    _sd_window_select_sidebar (self, sd_window_get_section (self));
}

/* ---- categories ----------------------------------------------------- */

static void
fill_categories (SdWindow *self)
{
  GtkWidget *child;
  /* All Products, from sd-window.ui; the categories follow it. */
  GtkListBoxRow *all = gtk_list_box_get_row_at_index (self->category_list, 0);
  const char *section = sd_window_get_section (self);

  self->selecting = TRUE;
  while ((child = gtk_widget_get_next_sibling (GTK_WIDGET (all))) != NULL)
    gtk_list_box_remove (self->category_list, child);
  for (guint i = 0; self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) category = g_list_model_get_item (self->categories, i);
      GtkWidget *row = sd_row_template_build ("sd-category-row.ui", category, NULL, NULL);

      g_object_set_data_full (G_OBJECT (row), CATEGORY_ID_KEY, g_strdup (sd_category_get_id (category)), g_free);
      gtk_list_box_append (self->category_list, row);
    }
  self->selecting = FALSE;
  _sd_window_select_sidebar (self, section);
  /* The category on show is gone: All Products stands for it. */
  if ((g_strcmp0 (section, "shop") == 0 || g_strcmp0 (section, "product") == 0) &&
      gtk_list_box_get_selected_row (self->category_list) == NULL)
    {
      self->selecting = TRUE;
      gtk_list_box_select_row (self->category_list, all);
      self->selecting = FALSE;
    }
}

static gboolean
same_categories (GListModel *a, GListModel *b)
{
  guint n = a ? g_list_model_get_n_items (a) : 0;

  if (a == NULL || n != g_list_model_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdCategory) x = g_list_model_get_item (a, i);
      g_autoptr(SdCategory) y = g_list_model_get_item (b, i);

      if (g_strcmp0 (sd_category_get_id (x), sd_category_get_id (y)) != 0 ||
          g_strcmp0 (sd_category_get_name (x), sd_category_get_name (y)) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
categories_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (categories == NULL)
    {
      /* Offline, the categories (or products) already shown stay. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !sd_page_offline_keeps (SD_PAGE (self->catalog_page), error,
                                  self->categories != NULL ||
                                  g_strcmp0 (sd_window_get_state (self), "products") == 0))
        sd_catalog_page_show_error (self->catalog_page, error);
      return;
    }
  /* The same ones again (a reload, or this computer's copy): the rows,
   * their selection and the keyboard focus stay as they are. */
  if (same_categories (self->categories, categories))
    return;
  g_set_object (&self->categories, categories);
  fill_categories (self);
}

static void
choose_category (SdWindow *self, GtkListBoxRow *row)
{
  sd_catalog_page_set_category (self->catalog_page, g_object_get_data (G_OBJECT (row), CATEGORY_ID_KEY));
  g_free (self->category_name);
  self->category_name = g_strdup (gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_child (row))));
  sd_window_show_section (self, "shop");
  sd_page_reload (SD_PAGE (self->catalog_page));
}

/* A category activated (Enter, Space, a click) is shown; the one on show
 * again only from another section. */
static void
category_activated_cb (GtkListBox *box, GtkListBoxRow *row, gpointer user_data)
{
  SdWindow *self = user_data;

  if (self->catalog == NULL ||
      (g_strcmp0 (sd_window_get_section (self), "shop") == 0 &&
       g_strcmp0 (g_object_get_data (G_OBJECT (row), CATEGORY_ID_KEY),
                  sd_catalog_page_get_category_id (self->catalog_page)) == 0))
    return;
  choose_category (self, row);
}

void
_sd_window_load_categories (SdWindow *self)
{
  /* Kept on this computer too: a known shop's sidebar also offline. */
  sd_category_list_kept_async (self->api, self->shop ? sd_shop_get_store (self->shop) : NULL, self->cancellable,
                               categories_loaded_cb, g_object_ref (self));
}

/* The sidebar's categories, and the catalog page's products. */
void
_sd_window_load_shop (SdWindow *self)
{
  _sd_window_load_categories (self);
  sd_page_reload (SD_PAGE (self->catalog_page));
}

void
_sd_window_class_init_sidebar (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, sidebar_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_activated_cb);
}
