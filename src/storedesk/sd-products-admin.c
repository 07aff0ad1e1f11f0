/* sd-products-admin.c — staff: a searchable list of every product beside
 * an editor that checks as one types, guards unsaved changes, and takes a
 * photo dropped, pasted or chosen: prepared off the main thread, then
 * sent through the upload queue (offline too: it goes when the shop is
 * back, and is saved on the product there). A shop without uploads (the
 * original) takes a picture by its address only, and the editor offers
 * just that. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-picture.h"
#include "sd-products-admin.h"
#include "sd-ui.h"

#define PREVIEW_SIZE 320

struct _SdProductsAdmin
{
  SdPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkLabel           *count_label;
  GtkStack           *editor_stack;
  GtkWidget          *editor_box;
  GtkPicture         *image_picture;
  GtkLabel           *editor_title;
  GtkWidget          *image_box;
  GtkLabel           *image_status;
  GtkButton          *choose_button;
  GtkButton          *retry_button;
  GtkDropTarget      *drop;
  AdwEntryRow        *name_row;
  AdwComboRow        *category_row;
  AdwEntryRow        *brand_row;
  AdwEntryRow        *price_row;
  AdwEntryRow        *stock_row;
  AdwEntryRow        *option_row;
  AdwEntryRow        *image_row;
  AdwPreferencesGroup *option_group;
  AdwEntryRow        *values_row;
  GtkTextView        *description_view;
  GtkLabel           *problem_label;
  GtkButton          *delete_button;
  GtkButton          *duplicate_button;
  GtkButton          *save_button;

  SdApi              *api;
  SdAdmin            *admin;
  SdUploadQueue      *uploads;
  GListStore         *products;
  GListModel         *categories;      /* SdCategory */
  GtkStringList      *category_names;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint               loading;
  guint               working;         /* saves, deletes, imports, exports */

  SdProduct          *editing;         /* NULL with is_new: a new product */
  gboolean            is_new;
  gboolean            dirty;
  gboolean            filling;
  gboolean            selecting;
  char               *problem;
  char               *select_id;       /* to select after the next load */
  /* What to do once the unsaved changes are saved (the "Save" answer). */
  SdProductsAdminThen after_save;
  gpointer            after_save_data;
  GDestroyNotify      after_save_destroy;

  gboolean            takes_uploads;   /* else a picture by its address only */
  SdPrepared         *prepared;        /* a photo for a product not saved yet */
  SdUpload           *upload;          /* the photo on its way */
  char               *image_text;
  GCancellable       *image_cancellable;

  SdProductImport    *import;
};

G_DEFINE_FINAL_TYPE (SdProductsAdmin, sd_products_admin, SD_TYPE_PAGE)

enum { CATALOG_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void fill_editor (SdProductsAdmin *self, SdProduct *product);
static void validate (SdProductsAdmin *self);


static void
catalog_changed (SdProductsAdmin *self)
{
  g_signal_emit (self, signals[CATALOG_CHANGED], 0);
}

static GCancellable *
write_cancellable (SdProductsAdmin *self)
{
  return sd_page_get_write_cancellable (SD_PAGE (self));
}

static const char *
category_name (SdProductsAdmin *self, const char *id)
{
  for (guint i = 0; self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (self->categories, i);
      if (g_strcmp0 (sd_category_get_id (c), id) == 0)
        return sd_category_get_name (c);
    }
  return "";
}

/* A product's fields as they are (strings borrowed from it). */
static void
fields_of_product (SdProduct *p, SdProductFields *f)
{
  SdOption *o = sd_product_get_option (p);

  memset (f, 0, sizeof *f);
  f->name = sd_product_get_name (p);
  f->category_id = sd_product_get_category_id (p);
  f->brand = sd_product_get_brand (p) ? sd_product_get_brand (p) : "";
  f->price = sd_product_get_price (p);
  f->image = sd_product_get_image (p) ? sd_product_get_image (p) : "";
  f->description = sd_product_get_description (p) ? sd_product_get_description (p) : "";
  f->stock = MAX (sd_product_get_stock (p), -1);
  f->option_name = o ? sd_option_get_name (o) : NULL;
  f->option_values = o ? sd_option_get_values (o) : NULL;
}

/* ---- the list ------------------------------------------------------------ */

static gboolean
matches (gpointer item, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *q = NULL, *name = NULL, *brand = NULL;

  if (*query == '\0')
    return TRUE;
  q = g_utf8_casefold (query, -1);
  name = g_utf8_casefold (sd_product_get_name (item), -1);
  brand = g_utf8_casefold (sd_product_get_brand (item) ? sd_product_get_brand (item) : "", -1);
  return strstr (name, q) != NULL || strstr (brand, q) != NULL;
}

static void
update_list (SdProductsAdmin *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  g_autofree char *count = NULL;

  if (self->loading && all == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else if (shown == 0)
    {
      adw_status_page_set_title (self->empty_page, all ? _("No Matching Products") : _("No Products Yet"));
      adw_status_page_set_description (self->empty_page, all ? _("Try other words.")
                                                             : _("Make the first one with the + button, or import a CSV file."));
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  if (shown < all)
    /* Translators: "12 of 240 products" */
    count = g_strdup_printf (_("%u of %u products"), shown, all);
  else
    count = g_strdup_printf (ngettext ("%u product", "%u products", all), all);
  gtk_label_set_label (self->count_label, count);
}

static void
search_changed_cb (SdProductsAdmin *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list (self);
}

static void
select_product (SdProductsAdmin *self, const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; id && i < n; i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      if (g_strcmp0 (sd_product_get_id (p), id) == 0)
        gtk_single_selection_set_selected (self->selection, i);
    }
  self->selecting = FALSE;
}

static void
loaded (SdProductsAdmin *self)
{
  g_autofree char *id = NULL;

  if (--self->loading > 0)
    return;
  update_list (self);
  id = self->select_id ? g_steal_pointer (&self->select_id)
                       : self->editing ? g_strdup (sd_product_get_id (self->editing)) : NULL;
  /* The product being edited comes back fresh, unless the user changed it. */
  if (id && !self->dirty)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->products)); i++)
        {
          g_autoptr(SdProduct) p = g_list_model_get_item (G_LIST_MODEL (self->products), i);
          if (g_strcmp0 (sd_product_get_id (p), id) == 0)
            fill_editor (self, p);
        }
    }
  select_product (self, id);
}

static void
products_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) products = sd_admin_list_products_finish (SD_ADMIN (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (products == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      sd_ui_show_problem (GTK_WIDGET (self), _("Products Could Not Be Loaded"), error->message);
      loaded (self);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    g_ptr_array_add (items, g_list_model_get_item (products, i));
  self->selecting = TRUE;
  g_list_store_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)),
                       items->pdata, items->len);
  self->selecting = FALSE;
  loaded (self);
}

static void
categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (categories == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      loaded (self);
      return;
    }
  g_set_object (&self->categories, categories);
  self->filling = TRUE;
  gtk_string_list_splice (self->category_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->category_names)),
                          NULL);
  for (guint i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (categories, i);
      gtk_string_list_append (self->category_names, sd_category_get_name (c));
    }
  self->filling = FALSE;
  loaded (self);
}

void
sd_products_admin_reload (SdProductsAdmin *self)
{
  GCancellable *cancellable;

  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (self->admin == NULL)
    return;
  cancellable = sd_page_renew_cancellable (SD_PAGE (self));
  self->loading = 2;
  update_list (self);
  sd_admin_list_products_async (self->admin, cancellable, products_cb, g_object_ref (self));
  sd_category_list_async (self->api, cancellable, categories_cb, g_object_ref (self));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  SdProduct *p = gtk_list_item_get_item (item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  g_autofree char *price = sd_format_price (sd_product_get_price (p));
  g_autofree char *detail = g_strdup_printf ("%s · %s", category_name (self, sd_product_get_category_id (p)), price);

  gtk_label_set_label (GTK_LABEL (name), sd_product_get_name (p));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_next_sibling (name)), detail);
}

static void
selected_cb (SdProductsAdmin *self)
{
  SdProduct *p = gtk_single_selection_get_selected_item (self->selection);

  if (self->selecting || p == NULL || p == self->editing)
    return;
  sd_products_admin_edit (self, p);
}

/* ---- the picture ------------------------------------------------------- */

static void
set_image_text (SdProductsAdmin *self, const char *text)
{
  g_free (self->image_text);
  self->image_text = g_strdup (text);
  if (text == NULL && !self->takes_uploads)
    text = _("This shop takes pictures by their web address only. Put the picture online and paste its "
             "address under “Picture address” below.");
  gtk_label_set_label (self->image_status, text ? text
                       : _("Drop a photo here, paste one (Ctrl+V) or choose one. It is made small and upright before it is sent."));
}

static void
upload_changed_cb (SdProductsAdmin *self)
{
  g_autofree char *text = NULL;
  SdUpload *u = self->upload;

  if (u == NULL)
    return;
  switch (sd_upload_get_state (u))
    {
    case SD_UPLOAD_SENDING:
      text = g_strdup (_("Sending the photo…"));
      break;
    case SD_UPLOAD_FAILED:
      text = g_strdup_printf (_("The photo was not sent: %s"), sd_upload_get_error (u));
      break;
    case SD_UPLOAD_WAITING:
    default:
      text = sd_upload_get_error (u)
        ? g_strdup_printf (_("Waiting to send the photo (%s). It goes by itself when it can."), sd_upload_get_error (u))
        : g_strdup (_("Waiting to send the photo. It goes by itself as soon as the shop can be reached."));
      break;
    }
  /* Trying again is no use where the shop takes no uploads at all. */
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          self->takes_uploads && sd_upload_get_state (u) == SD_UPLOAD_FAILED);
  set_image_text (self, text);
}

static void
watch_upload (SdProductsAdmin *self, SdUpload *upload)
{
  if (self->upload)
    g_signal_handlers_disconnect_by_data (self->upload, self);
  g_set_object (&self->upload, upload);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  if (upload == NULL)
    return;
  g_signal_connect_swapped (upload, "notify::state", G_CALLBACK (upload_changed_cb), self);
  g_signal_connect_swapped (upload, "notify::error", G_CALLBACK (upload_changed_cb), self);
  upload_changed_cb (self);
}

static SdUpload *
upload_for (SdProductsAdmin *self, const char *product_id)
{
  guint n = self->uploads ? g_list_model_get_n_items (G_LIST_MODEL (self->uploads)) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (self->uploads), i - 1);
      if (sd_upload_get_target (u) == SD_UPLOAD_TARGET_PRODUCT && g_strcmp0 (sd_upload_get_product_id (u), product_id) == 0)
        return g_steal_pointer (&u);
    }
  return NULL;
}

/* The queue changed: a photo for the product on show joined it (from
 * Image Preparation, say), or the one watched left it — sent ("uploaded"
 * follows) or dropped. */
static void
queue_changed_cb (SdProductsAdmin *self)
{
  g_autoptr(SdUpload) pending = self->editing ? upload_for (self, sd_product_get_id (self->editing)) : NULL;

  if (pending == self->upload)
    return;
  watch_upload (self, pending);
  if (pending == NULL)
    set_image_text (self, NULL);
}

/* Any product's photo reached the shop, whoever queued it: the list, the
 * editor (unless it has unsaved changes) and the shop grid catch up. */
static void
uploaded_cb (SdUploadQueue *queue, SdUpload *upload, const char *image_url, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (sd_upload_get_target (upload) != SD_UPLOAD_TARGET_PRODUCT)
    return;
  if (self->editing && g_strcmp0 (sd_upload_get_product_id (upload), sd_product_get_id (self->editing)) == 0)
    set_image_text (self, _("The photo is on the shop."));
  catalog_changed (self);
  sd_products_admin_reload (self);
}

static void
queued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  if (upload == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_image_text (self, error->message);
      return;
    }
  watch_upload (self, upload);
}

static void
queue_photo (SdProductsAdmin *self, SdPrepared *prepared, const char *product_id)
{
  set_image_text (self, _("Waiting to send the photo. It goes by itself as soon as the shop can be reached."));
  sd_upload_queue_add_async (self->uploads, prepared, SD_UPLOAD_TARGET_PRODUCT, product_id,
                             write_cancellable (self), queued_cb, g_object_ref (self));
}

static void
use_prepared (SdProductsAdmin *self, SdPrepared *prepared)
{
  sd_picture_load_bytes (self->image_picture, sd_prepared_get_bytes (prepared), PREVIEW_SIZE, self->image_cancellable);
  if (self->editing && !self->is_new)
    {
      queue_photo (self, prepared, sd_product_get_id (self->editing));
      return;
    }
  g_set_object (&self->prepared, prepared);
  set_image_text (self, _("The photo is sent when the product is saved."));
  self->dirty = TRUE;
  validate (self);
}

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = sd_image_prep_finish (result, &error);

  if (prepared == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_image_text (self, error->message);
      return;
    }
  use_prepared (self, prepared);
}

void
sd_products_admin_set_image_file (SdProductsAdmin *self, GFile *file)
{
  SdImagePrepOptions options;

  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") != 0 || !self->takes_uploads)
    return;
  watch_upload (self, NULL);
  set_image_text (self, _("Preparing the photo…"));
  sd_image_prep_options_init (&options);
  sd_image_prep_file_async (&options, file, self->image_cancellable, prepared_cb, g_object_ref (self));
}

const char *
sd_products_admin_get_image_status (SdProductsAdmin *self)
{
  return self->image_text;
}

static void
retry_cb (SdProductsAdmin *self)
{
  if (self->upload)
    sd_upload_queue_retry (self->uploads, self->upload);
}

static void
chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_products_admin_set_image_file (self, file);
    }
  g_object_unref (chooser);
}

static void
choose_image_cb (SdProductsAdmin *self)
{
  GtkFileChooserNative *chooser = sd_ui_picture_chooser_new (GTK_WIDGET (self), _("Choose a Product Photo"), FALSE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;
  sd_products_admin_set_image_file (user_data, files->data);
  return TRUE;
}

/* A pasted picture is prepared in a worker thread from its PNG bytes. */
static void
prep_bytes_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  SdImagePrepOptions options;
  SdPrepared *prepared;

  sd_image_prep_options_init (&options);
  prepared = sd_image_prep_bytes (&options, data, cancellable, &error);

  if (prepared)
    g_task_return_pointer (task, prepared, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
pasted_prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrepared) prepared = g_task_propagate_pointer (G_TASK (result), &error);

  if (prepared)
    use_prepared (self, prepared);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_image_text (self, error->message);
}

static void
texture_pasted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autoptr(GTask) task = NULL;

  if (texture == NULL)
    {
      set_image_text (self, _("The clipboard holds no picture."));
      return;
    }
  task = g_task_new (self, self->image_cancellable, pasted_prepared_cb, NULL);
  g_task_set_task_data (task, gdk_texture_save_to_png_bytes (texture), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, prep_bytes_thread);
}

static void
files_pasted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL);
  GSList *files = value ? g_value_get_boxed (value) : NULL;

  if (files)
    sd_products_admin_set_image_file (self, files->data);
}

static gboolean
paste_shortcut (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") != 0 || !self->takes_uploads)
    return FALSE;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, self->image_cancellable,
                                    files_pasted_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      set_image_text (self, _("Preparing the photo…"));
      gdk_clipboard_read_texture_async (clipboard, self->image_cancellable, texture_pasted_cb, g_object_ref (self));
    }
  else
    return FALSE;
  return TRUE;
}

/* ---- the editor ---------------------------------------------------------- */

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
description_text (SdProductsAdmin *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
parse_number (const char *text, gint64 max, gint64 *out)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  guint64 v;

  for (const char *p = text; *p; p++)
    if (*p != ',' && *p != ' ')
      g_string_append_c (digits, *p);
  if (digits->len == 0 || !g_ascii_string_to_unsigned (digits->str, 10, 0, (guint64) max, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static GStrv
option_values (SdProductsAdmin *self)
{
  g_auto(GStrv) parts = g_strsplit (text_of (self->values_row), ",", -1);
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_strv_builder_add (out, parts[i]);
    }
  return g_strv_builder_end (out);
}

static void
mark (GtkWidget *row, gboolean bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
validate (SdProductsAdmin *self)
{
  const char *name = text_of (self->name_row);
  g_autofree char *description = description_text (self);
  g_auto(GStrv) values = option_values (self);
  gboolean has_option = !is_blank (text_of (self->option_row));
  /* The original makes no product without an option and a picture
   * (productService.js:20): said here, before Save, not after. */
  gboolean original_new = self->is_new && gtk_widget_get_visible (GTK_WIDGET (self->image_row));
  gboolean needs_option = original_new && !has_option;
  gboolean needs_picture = original_new && is_blank (text_of (self->image_row));
  /* …nor one without a brand or a description, "" included (schema/product.js). */
  gboolean needs_text = gtk_widget_get_visible (GTK_WIDGET (self->image_row)) &&
                        (is_blank (text_of (self->brand_row)) || is_blank (description));
  gint64 v;
  char *problem = NULL;
  gboolean bad_name, bad_category, bad_brand, bad_price, bad_stock, bad_option, bad_values;

  bad_name = is_blank (name) || g_utf8_strlen (name, -1) > SD_PRODUCT_NAME_MAX;
  bad_category = adw_combo_row_get_selected (self->category_row) == GTK_INVALID_LIST_POSITION;
  bad_brand = g_utf8_strlen (text_of (self->brand_row), -1) > SD_BRAND_MAX;
  bad_price = !parse_number (text_of (self->price_row), SD_PRICE_MAX, &v);
  bad_stock = *text_of (self->stock_row) && !parse_number (text_of (self->stock_row), SD_STOCK_MAX, &v);
  bad_option = g_utf8_strlen (text_of (self->option_row), -1) > SD_OPTION_NAME_MAX ||
               (!has_option && g_strv_length (values) > 0);
  bad_values = has_option && (g_strv_length (values) == 0 || g_strv_length (values) > SD_OPTION_VALUES_MAX);
  for (guint i = 0; values[i]; i++)
    bad_values = bad_values || g_utf8_strlen (values[i], -1) > SD_OPTION_VALUE_MAX;

  if (bad_name)
    problem = g_strdup_printf (_("Give the product a name of 1 to %u characters."), SD_PRODUCT_NAME_MAX);
  else if (bad_category)
    problem = g_strdup (_("Choose a category. New ones are made on the Categories page."));
  else if (bad_brand)
    problem = g_strdup_printf (_("A brand is at most %u characters."), SD_BRAND_MAX);
  else if (bad_price)
    problem = g_strdup (_("The price is a whole number of won from 0 to 100,000,000."));
  else if (bad_stock)
    problem = g_strdup (_("Stock is a whole number from 0 to 1,000,000, or empty when it is not counted."));
  else if (bad_option)
    problem = g_strdup (_("An option name is at most 30 characters, and values need one."));
  else if (bad_values)
    problem = g_strdup (_("Give the option 1 to 50 values, separated by commas, each at most 50 characters."));
  else if (needs_option)
    problem = g_strdup (_("This shop needs an option on every new product: give it a name "
                          "and at least one value (for example Size: One size)."));
  else if (needs_picture)
    problem = g_strdup (_("This shop needs a picture on every new product: enter the address "
                          "of a picture the shop already has."));
  else if (needs_text)
    problem = g_strdup (_("This shop needs a brand and a description on every product."));
  else if (g_utf8_strlen (description, -1) > SD_DESCRIPTION_MAX)
    problem = g_strdup_printf (_("A description is at most %u characters."), SD_DESCRIPTION_MAX);

  /* A field is marked once it has been typed into, or the form was tried. */
  mark (GTK_WIDGET (self->name_row), bad_name && (self->dirty || !self->is_new));
  mark (GTK_WIDGET (self->brand_row), bad_brand || (needs_text && self->dirty && is_blank (text_of (self->brand_row))));
  mark (GTK_WIDGET (self->price_row), bad_price && (self->dirty || !self->is_new));
  mark (GTK_WIDGET (self->stock_row), bad_stock);
  mark (GTK_WIDGET (self->option_row), bad_option || (needs_option && self->dirty));
  mark (GTK_WIDGET (self->image_row), needs_picture && self->dirty);
  mark (GTK_WIDGET (self->values_row), bad_values);

  g_free (self->problem);
  self->problem = problem;
  gtk_label_set_label (self->problem_label, problem && self->dirty ? problem : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), problem == NULL && (self->dirty || self->is_new) &&
                                                            self->working == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), !self->is_new && self->working == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->duplicate_button), !self->is_new && self->working == 0);
}

static void
changed_cb (SdProductsAdmin *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  validate (self);
}

/* What the original shop allows (productService.js): a picture given by
 * its address (it has no uploads), an option on every new product, and
 * options that never change afterwards. */
static void
fill_original (SdProductsAdmin *self, SdProduct *product)
{
  gboolean original = self->admin && sd_admin_get_original (self->admin);

  /* No photo to drop, paste or choose where the shop would never get it:
   * the address only, and the reason (beside the picture, and read out
   * with the address's row). */
  self->takes_uploads = self->admin == NULL || sd_admin_get_takes_uploads (self->admin);
  gtk_widget_set_visible (GTK_WIDGET (self->choose_button), self->takes_uploads);
  gtk_widget_set_hexpand (self->image_box, !self->takes_uploads);   /* the reason in a few lines */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drop),
                                              self->takes_uploads ? GTK_PHASE_BUBBLE : GTK_PHASE_NONE);
  if (self->takes_uploads)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->image_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->image_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    _("This shop takes pictures by their web address only. Put the picture "
                                      "online and paste its address here."), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->image_row), original);
  /* Nor does it count stock (schema/product.js has none): nothing to edit. */
  gtk_widget_set_visible (GTK_WIDGET (self->stock_row), !original);
  gtk_editable_set_text (GTK_EDITABLE (self->image_row),
                         product && sd_product_get_image (product) ? sd_product_get_image (product) : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->option_row), !(original && product));
  gtk_widget_set_sensitive (GTK_WIDGET (self->values_row), !(original && product));
  if (original && product)
    adw_preferences_group_set_description (self->option_group,
                                           _("This shop cannot change a product’s options after it is made: "
                                             "they are shown as they are."));
  else if (original)
    adw_preferences_group_set_description (self->option_group,
                                           _("This shop needs an option on every new product, for example Size "
                                             "with the value One size."));
  else
    adw_preferences_group_set_description (self->option_group,
                                           _("For example Color, with the values Red, Blue. Leave both empty "
                                             "for none."));
}

static void
fill_editor (SdProductsAdmin *self, SdProduct *product)
{
  SdOption *o = product ? sd_product_get_option (product) : NULL;
  g_autofree char *price = product ? g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_price (product)) : NULL;
  g_autofree char *stock = product && sd_product_get_stock (product) >= 0
                           ? g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_stock (product)) : NULL;
  g_autofree char *values = o ? g_strjoinv (", ", (GStrv) sd_option_get_values (o)) : NULL;
  guint category = GTK_INVALID_LIST_POSITION;
  g_autoptr(SdUpload) upload = NULL;

  g_cancellable_cancel (self->image_cancellable);
  g_set_object (&self->image_cancellable, g_cancellable_new ());
  g_clear_object (&self->prepared);
  watch_upload (self, NULL);
  g_set_object (&self->editing, product);
  self->is_new = product == NULL;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), product ? sd_product_get_name (product) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->brand_row), product && sd_product_get_brand (product)
                                                         ? sd_product_get_brand (product) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->price_row), price ? price : "");
  gtk_editable_set_text (GTK_EDITABLE (self->stock_row), stock ? stock : "");
  gtk_editable_set_text (GTK_EDITABLE (self->option_row), o ? sd_option_get_name (o) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->values_row), values ? values : "");
  fill_original (self, product);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            product && sd_product_get_description (product) ? sd_product_get_description (product) : "",
                            -1);
  for (guint i = 0; product && self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (self->categories, i);
      if (g_strcmp0 (sd_category_get_id (c), sd_product_get_category_id (product)) == 0)
        category = i;
    }
  adw_combo_row_set_selected (self->category_row, category);
  self->filling = FALSE;
  self->dirty = FALSE;
  gtk_label_set_label (self->editor_title, product ? sd_product_get_name (product) : _("New Product"));
  gtk_picture_set_paintable (self->image_picture, NULL);
  if (product && self->api)
    sd_picture_load (self->image_picture, self->api, sd_product_get_image (product), PREVIEW_SIZE,
                     self->image_cancellable);
  set_image_text (self, NULL);
  if (product && (upload = upload_for (self, sd_product_get_id (product))) != NULL)
    watch_upload (self, upload);
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  validate (self);
}

typedef struct {
  SdProductsAdminThen then;
  SdProductsAdminThen cancelled;
  gpointer            data;
  GDestroyNotify      destroy;
} Then;

static void
then_free (Then *t)
{
  if (t->destroy)
    t->destroy (t->data);
  g_free (t);
}

static void
clear_after_save (SdProductsAdmin *self)
{
  if (self->after_save_destroy)
    self->after_save_destroy (self->after_save_data);
  self->after_save = NULL;
  self->after_save_data = NULL;
  self->after_save_destroy = NULL;
}

static void
leave_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  Then *t = g_object_get_data (G_OBJECT (dialog), "sd-then");

  if (g_strcmp0 (response, "discard") == 0)
    {
      sd_products_admin_discard (self);
      t->then (self, t->data);
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      /* Once saved, not before: a refused save keeps the user here. */
      clear_after_save (self);
      self->after_save = t->then;
      self->after_save_data = g_steal_pointer (&t->data);
      self->after_save_destroy = t->destroy;
      t->destroy = NULL;
      sd_products_admin_save (self);
    }
  else if (t->cancelled)
    t->cancelled (self, t->data);
}

gboolean
sd_products_admin_leave (SdProductsAdmin *self, SdProductsAdminThen then, SdProductsAdminThen cancelled,
                         gpointer user_data, GDestroyNotify destroy)
{
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  Then *t;

  g_return_val_if_fail (SD_IS_PRODUCTS_ADMIN (self), FALSE);
  if (!self->dirty)
    {
      if (destroy)
        destroy (user_data);
      return TRUE;
    }
  body = g_strdup_printf (_("Changes to “%s” are not saved yet."),
                          self->editing ? sd_product_get_name (self->editing) : _("New Product"));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", self->problem == NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  t = g_new0 (Then, 1);
  t->then = then;
  t->cancelled = cancelled;
  t->data = user_data;
  t->destroy = destroy;
  g_object_set_data_full (G_OBJECT (dialog), "sd-then", t, (GDestroyNotify) then_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static void
edit_then (SdProductsAdmin *self, gpointer product)
{
  sd_products_admin_edit (self, product);
}

static void
edit_cancelled (SdProductsAdmin *self, gpointer product)
{
  select_product (self, self->editing ? sd_product_get_id (self->editing) : NULL);
}

gboolean
sd_products_admin_edit (SdProductsAdmin *self, SdProduct *product)
{
  g_return_val_if_fail (SD_IS_PRODUCTS_ADMIN (self), FALSE);
  if (!sd_products_admin_leave (self, edit_then, edit_cancelled, product ? g_object_ref (product) : NULL,
                                product ? g_object_unref : NULL))
    return FALSE;
  fill_editor (self, product);
  select_product (self, product ? sd_product_get_id (product) : NULL);
  if (product == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return TRUE;
}

SdProduct *sd_products_admin_get_editing (SdProductsAdmin *self) { return self->editing; }
gboolean sd_products_admin_get_dirty (SdProductsAdmin *self) { return self->dirty; }
const char *sd_products_admin_get_problem (SdProductsAdmin *self) { return self->problem; }
gboolean sd_products_admin_get_busy (SdProductsAdmin *self) { return self->loading > 0 || self->working > 0; }
GListModel *sd_products_admin_get_products (SdProductsAdmin *self) { return G_LIST_MODEL (self->products); }

static void
new_cb (SdProductsAdmin *self)
{
  sd_products_admin_edit (self, NULL);
}

/* ---- saving ---------------------------------------------------------------- */

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = sd_admin_product_finish (SD_ADMIN (source), result, &error);
  g_autoptr(SdPrepared) prepared = NULL;
  SdProductsAdminThen then = self->after_save;
  gpointer then_data = self->after_save_data;
  GDestroyNotify then_destroy = self->after_save_destroy;

  self->working--;
  self->after_save = NULL;
  self->after_save_data = NULL;
  self->after_save_destroy = NULL;
  if (product == NULL)
    {
      if (then_destroy)
        then_destroy (then_data);
      validate (self);
      sd_ui_show_problem (GTK_WIDGET (self), _("The Product Was Not Saved"), error->message);
      return;
    }
  prepared = g_steal_pointer (&self->prepared);
  g_set_object (&self->editing, product);
  self->is_new = FALSE;
  self->dirty = FALSE;
  gtk_label_set_label (self->editor_title, sd_product_get_name (product));
  validate (self);
  if (prepared)
    queue_photo (self, prepared, sd_product_get_id (product));
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("Saved")));
  catalog_changed (self);
  /* What the user went on to (another product, another page), if anything. */
  if (then)
    then (self, then_data);
  if (then_destroy)
    then_destroy (then_data);
  g_free (self->select_id);
  self->select_id = g_strdup (sd_product_get_id (self->editing ? self->editing : product));
  sd_products_admin_reload (self);
}

void
sd_products_admin_save (SdProductsAdmin *self)
{
  g_autofree char *description = NULL;
  g_auto(GStrv) values = NULL;
  g_autofree char *name = NULL, *option = NULL, *image = NULL;
  g_autoptr(SdCategory) category = NULL;
  SdProductFields f = { 0 };
  gint64 price = 0, stock = -1;

  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  validate (self);
  if (self->problem || self->working > 0)
    return;
  category = g_list_model_get_item (self->categories, adw_combo_row_get_selected (self->category_row));
  description = description_text (self);
  values = option_values (self);
  name = g_strstrip (g_strdup (text_of (self->name_row)));
  option = g_strstrip (g_strdup (text_of (self->option_row)));
  parse_number (text_of (self->price_row), SD_PRICE_MAX, &price);
  if (*text_of (self->stock_row))
    parse_number (text_of (self->stock_row), SD_STOCK_MAX, &stock);
  f.name = name;
  f.category_id = sd_category_get_id (category);
  f.brand = text_of (self->brand_row);
  f.price = price;
  f.image = self->is_new ? "" : NULL;
  f.description = description;
  f.stock = stock;
  f.option_name = *option ? option : NULL;
  f.option_values = (const char * const *) values;
  if (!self->is_new && !*option && sd_product_get_option (self->editing))
    f.option_name = "";   /* removes the option */
  if (gtk_widget_get_visible (GTK_WIDGET (self->image_row)))
    {
      /* The original: the picture by its address; the options stay. */
      image = g_strstrip (g_strdup (text_of (self->image_row)));
      if (self->is_new || g_strcmp0 (image, sd_product_get_image (self->editing)) != 0)
        f.image = image;
      if (!self->is_new)
        f.option_name = NULL;
    }
  self->working++;
  validate (self);
  sd_admin_save_product_async (self->admin, self->is_new ? NULL : sd_product_get_id (self->editing), &f,
                               write_cancellable (self), saved_cb, g_object_ref (self));
}

void
sd_products_admin_discard (SdProductsAdmin *self)
{
  g_autoptr(SdProduct) editing = self->editing ? g_object_ref (self->editing) : NULL;

  self->dirty = FALSE;
  if (editing)
    fill_editor (self, editing);
  else
    gtk_stack_set_visible_child_name (self->editor_stack, "none");
}

static void
save_cb (SdProductsAdmin *self)
{
  sd_products_admin_save (self);
}

/* ---- duplicate, delete with Undo ----------------------------------------- */

static void
created_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = sd_admin_product_finish (SD_ADMIN (source), result, &error);

  self->working--;
  if (product == NULL)
    {
      validate (self);
      sd_ui_show_problem (GTK_WIDGET (self), _("The Product Was Not Made"), error->message);
      return;
    }
  catalog_changed (self);
  fill_editor (self, product);
  g_free (self->select_id);
  self->select_id = g_strdup (sd_product_get_id (product));
  sd_products_admin_reload (self);
}

static void
duplicate_cb (SdProductsAdmin *self)
{
  SdProductFields f;
  g_autofree char *name = NULL;

  if (self->editing == NULL || self->is_new || self->working)
    return;
  fields_of_product (self->editing, &f);
  /* Translators: the name of a duplicated product. */
  name = g_strdup_printf (_("%s (copy)"), sd_product_get_name (self->editing));
  if (g_utf8_strlen (name, -1) <= SD_PRODUCT_NAME_MAX)
    f.name = name;
  self->working++;
  validate (self);
  sd_admin_save_product_async (self->admin, NULL, &f, write_cancellable (self), created_cb,
                               g_object_ref (self));
}

static void
undo_delete_cb (AdwToast *toast, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  SdProduct *gone = g_object_get_data (G_OBJECT (toast), "sd-product");
  SdProductFields f;

  /* Made again from what it was: the same fields, a new id. */
  fields_of_product (gone, &f);
  self->working++;
  sd_admin_save_product_async (self->admin, NULL, &f, write_cancellable (self), created_cb,
                               g_object_ref (self));
}

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = g_object_steal_data (G_OBJECT (self), "sd-deleting");
  g_autofree char *title = NULL;
  AdwToast *toast;

  self->working--;
  if (!sd_admin_delete_finish (SD_ADMIN (source), result, &error))
    {
      validate (self);
      sd_ui_show_problem (GTK_WIDGET (self), _("The Product Was Not Deleted"), error->message);
      return;
    }
  title = g_strdup_printf (_("“%s” was deleted"), sd_product_get_name (product));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "sd-product", g_object_ref (product), g_object_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete_cb), self, 0);
  sd_ui_show_toast (GTK_WIDGET (self), toast);
  if (self->editing == product)
    {
      g_clear_object (&self->editing);
      self->dirty = FALSE;
      gtk_stack_set_visible_child_name (self->editor_stack, "none");
    }
  catalog_changed (self);
  sd_products_admin_reload (self);
}

static void
delete_cb (SdProductsAdmin *self)
{
  if (self->editing == NULL || self->is_new || self->working)
    return;
  g_object_set_data_full (G_OBJECT (self), "sd-deleting", g_object_ref (self->editing), g_object_unref);
  self->working++;
  validate (self);
  sd_admin_delete_async (self->admin, SD_ADMIN_PRODUCT, sd_product_get_id (self->editing),
                         write_cancellable (self), deleted_cb, g_object_ref (self));
}

/* ---- CSV ------------------------------------------------------------------ */

static void
exported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  g_autofree char *title = NULL;

  self->working--;
  validate (self);
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      sd_ui_show_problem (GTK_WIDGET (self), _("The Catalog Was Not Exported"), error->message);
      return;
    }
  title = g_strdup_printf (ngettext ("%u product exported", "%u products exported", n), n);
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
}

void
sd_products_admin_export_to (SdProductsAdmin *self, GFile *file)
{
  g_autoptr(GBytes) csv = sd_csv_from_products (G_LIST_MODEL (self->products), self->categories);

  self->working++;
  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       write_cancellable (self), exported_cb, g_object_ref (self));
}

static void
applied_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  SdProductImport *import = SD_PRODUCT_IMPORT (source);
  g_autofree char *title = NULL;

  self->working--;
  if (!sd_product_import_apply_finish (import, result, &error))
    sd_ui_show_problem (GTK_WIDGET (self), _("The Products Were Not Imported"), error->message);
  else
    {
      /* Translators: after an import; "3 new, 2 changed" */
      title = g_strdup_printf (_("Imported: %u new, %u changed"), sd_product_import_count (import, SD_IMPORT_CREATE),
                               sd_product_import_count (import, SD_IMPORT_UPDATE));
      sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (title));
    }
  g_clear_object (&self->import);
  catalog_changed (self);
  sd_products_admin_reload (self);
}

static void
import_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;

  if (g_strcmp0 (response, "import") == 0 && self->import)
    {
      self->working++;
      validate (self);
      sd_product_import_apply_async (self->import, self->admin, write_cancellable (self), applied_cb,
                                     g_object_ref (self));
      return;
    }
  g_clear_object (&self->import);
}

static const char *
action_label (SdImportAction action)
{
  switch (action)
    {
    case SD_IMPORT_CREATE: return _("New");
    case SD_IMPORT_UPDATE: return _("Changed");
    case SD_IMPORT_UNCHANGED: return _("Unchanged");
    case SD_IMPORT_ERROR:
    default: return _("Problem");
    }
}

static GtkWidget *
import_report (SdProductImport *import)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  guint n = sd_product_import_get_n_rows (import);
  gboolean problems = sd_product_import_count (import, SD_IMPORT_ERROR) > 0;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lines of the file"), -1);
  for (guint i = 0; i < n; i++)
    {
      SdImportAction action = sd_product_import_get_action (import, i);
      GtkWidget *row;
      g_autofree char *title = NULL;

      /* With problems, only the lines that have them: those are what to mend. */
      if (problems && action != SD_IMPORT_ERROR)
        continue;
      row = adw_action_row_new ();
      /* Translators: a line of an imported file: "Line 4 · 머그컵" */
      title = g_markup_printf_escaped (_("Line %u · %s"), sd_product_import_get_line (import, i),
                                       *sd_product_import_get_name (import, i) ? sd_product_import_get_name (import, i)
                                                                                : "—");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (sd_product_import_get_error (import, i))
        {
          g_autofree char *escaped = g_markup_escape_text (sd_product_import_get_error (import, i), -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (action_label (action)));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), MIN (n, 6) * 56);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  return scrolled;
}

static void
show_import (SdProductsAdmin *self)
{
  SdProductImport *import = self->import;
  guint errors = sd_product_import_count (import, SD_IMPORT_ERROR);
  guint create = sd_product_import_count (import, SD_IMPORT_CREATE);
  guint update = sd_product_import_count (import, SD_IMPORT_UPDATE);
  guint same = sd_product_import_count (import, SD_IMPORT_UNCHANGED);
  const char * const *categories = sd_product_import_get_new_categories (import);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (errors > 0)
    g_string_append_printf (body, ngettext ("%u line has a problem. Nothing is imported until the file is mended.",
                                            "%u lines have problems. Nothing is imported until the file is mended.",
                                            errors), errors);
  else
    {
      /* Translators: what an import will do; "4 new products, 2 changed, 10 unchanged." */
      g_string_append_printf (body, _("%u new products, %u changed, %u unchanged."), create, update, same);
      if (categories[0])
        {
          g_autofree char *names = g_strjoinv (", ", (GStrv) categories);
          g_string_append_c (body, ' ');
          g_string_append_printf (body, _("New categories: %s."), names);
        }
      g_string_append_c (body, ' ');
      g_string_append (body, _("If the shop refuses any of it, everything done is undone."));
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   errors ? _("The File Has Problems") : _("Import Products?"), body->str);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), import_report (import));
  if (errors)
    adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Close"), NULL);
  else
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "import", _("_Import"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import", create + update > 0);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  self->working--;
  validate (self);
  if (bytes)
    self->import = sd_product_import_new (bytes, self->categories, G_LIST_MODEL (self->products), &error);
  if (self->import == NULL)
    {
      sd_ui_show_problem (GTK_WIDGET (self), _("The File Could Not Be Read"), error->message);
      return;
    }
  show_import (self);
}

void
sd_products_admin_import_from (SdProductsAdmin *self, GFile *file)
{
  g_return_if_fail (SD_IS_PRODUCTS_ADMIN (self));
  if (self->import || self->working)
    return;
  self->working++;
  g_file_load_bytes_async (file, write_cancellable (self), import_read_cb, g_object_ref (self));
}

SdProductImport *sd_products_admin_get_import (SdProductsAdmin *self) { return self->import; }

static void
csv_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdProductsAdmin *self = user_data;
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (saving)
        sd_products_admin_export_to (self, file);
      else
        sd_products_admin_import_from (self, file);
    }
  g_object_unref (chooser);
}

static void
csv_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gboolean saving = g_str_equal (action_name, "products.export");
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (saving ? _("Export Catalog") : _("Import Products"),
                                 GTK_WINDOW (gtk_widget_get_root (widget)),
                                 saving ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 saving ? _("_Export") : _("_Open"), NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (saving)
    /* Translators: the suggested file name of a catalog export. */
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("catalog.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (csv_chosen_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_products_admin_edit (SD_PRODUCTS_ADMIN (widget), NULL);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  sd_products_admin_save (SD_PRODUCTS_ADMIN (widget));
}

/* ---- setup ------------------------------------------------------------------ */

static void
sd_products_admin_shop_changed (SdPage *page, SdShop *shop)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (page);
  SdApi *api = shop ? sd_shop_get_api (shop) : NULL;
  SdUploadQueue *uploads = shop ? sd_shop_get_uploads (shop) : NULL;

  g_set_object (&self->api, api);
  g_clear_object (&self->admin);
  self->admin = api ? sd_admin_new (api) : NULL;
  if (self->uploads)
    g_signal_handlers_disconnect_by_data (self->uploads, self);
  g_set_object (&self->uploads, uploads);
  if (uploads)
    {
      g_signal_connect_swapped (uploads, "items-changed", G_CALLBACK (queue_changed_cb), self);
      g_signal_connect (uploads, "uploaded", G_CALLBACK (uploaded_cb), self);
    }
  self->loading = 0;
  g_list_store_remove_all (self->products);
  g_clear_object (&self->editing);
  self->dirty = FALSE;
  gtk_stack_set_visible_child_name (self->editor_stack, "none");
}

/* The same shop connected again: what is on show comes back fresh (the
 * window loads the page when it is shown otherwise). */
static void
sd_products_admin_reload_page (SdPage *page)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (page)))
    sd_products_admin_reload (SD_PRODUCTS_ADMIN (page));
}

static void
sd_products_admin_dispose (GObject *object)
{
  SdProductsAdmin *self = SD_PRODUCTS_ADMIN (object);

  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  watch_upload (self, NULL);
  if (self->uploads)
    g_signal_handlers_disconnect_by_data (self->uploads, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PRODUCTS_ADMIN);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->products);
  g_clear_object (&self->categories);
  g_clear_object (&self->category_names);
  g_clear_object (&self->editing);
  clear_after_save (self);
  g_clear_object (&self->prepared);
  g_clear_object (&self->import);
  g_clear_object (&self->uploads);
  g_clear_object (&self->admin);
  g_clear_object (&self->api);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->select_id, g_free);
  g_clear_pointer (&self->image_text, g_free);
  G_OBJECT_CLASS (sd_products_admin_parent_class)->dispose (object);
}

static void
sd_products_admin_class_init (SdProductsAdminClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_products_admin_dispose;
  SD_PAGE_CLASS (klass)->shop_changed = sd_products_admin_shop_changed;
  SD_PAGE_CLASS (klass)->reload = sd_products_admin_reload_page;
  /* The catalog changed here: the shop's pages should load again. */
  signals[CATALOG_CHANGED] = g_signal_new ("catalog-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storedesk/Storedesk/ui/sd-products-admin.ui");
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, list_view);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, editor_box);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, image_picture);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, editor_title);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, image_box);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, image_status);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, choose_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, category_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, brand_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, price_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, stock_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, option_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, image_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, option_group);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, values_row);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, description_view);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, SdProductsAdmin, save_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_cb);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_image_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, duplicate_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_cb);
  gtk_widget_class_install_action (widget_class, "products.import", NULL, csv_action);
  gtk_widget_class_install_action (widget_class, "products.export", NULL, csv_action);
  gtk_widget_class_install_action (widget_class, "products.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "products.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "products.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "products.save", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, paste_shortcut, NULL);
}

static void
sd_products_admin_init (SdProductsAdmin *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkExpression) name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->takes_uploads = TRUE;
  self->image_cancellable = g_cancellable_new ();
  self->products = g_list_store_new (SD_TYPE_PRODUCT);
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->products)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selected_cb), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_list), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->category_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (self->category_names));
  name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  adw_combo_row_set_expression (self->category_row, name);
  adw_combo_row_set_selected (self->category_row, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (changed_cb), self);

  self->drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (self->editor_box, GTK_EVENT_CONTROLLER (self->drop));
  gtk_stack_set_visible_child_name (self->editor_stack, "none");
  update_list (self);
}
