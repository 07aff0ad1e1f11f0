/* sd-product-editor.c — the products page's editor: fields checked as one
 * types, save, delete with Undo, duplicate, and leaving with unsaved
 * changes. */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sd-picture.h"
#include "sd-product-editor.h"
#include "sd-sync-mark.h"
#include "sd-ui.h"

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

void
sd_product_editor_validate (SdProductsAdmin *self)
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

  bad_name = is_blank (name) || !sd_field_is_product_text (SD_PRODUCT_FIELD_NAME, name);
  bad_category = adw_combo_row_get_selected (self->category_row) == GTK_INVALID_LIST_POSITION;
  bad_brand = !sd_field_is_product_text (SD_PRODUCT_FIELD_BRAND, text_of (self->brand_row));
  bad_price = !parse_number (text_of (self->price_row), SD_PRICE_MAX, &v);
  bad_stock = *text_of (self->stock_row) && !parse_number (text_of (self->stock_row), SD_STOCK_MAX, &v);
  bad_option = (*text_of (self->option_row) &&
                !sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_NAME, text_of (self->option_row))) ||
               (!has_option && g_strv_length (values) > 0);
  bad_values = has_option && !sd_field_is_option_count (g_strv_length (values));
  for (guint i = 0; values[i]; i++)
    bad_values = bad_values || !sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_VALUE, values[i]);

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
  else if (!sd_field_is_product_text (SD_PRODUCT_FIELD_DESCRIPTION, description))
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

void
sd_product_editor_changed_cb (SdProductsAdmin *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  sd_product_editor_validate (self);
}

/* What the original shop allows (productService.js): a picture given by
 * its address (it has no uploads), an option on every new product, and
 * options that never change afterwards. */
static void
fill_original (SdProductsAdmin *self, SdProduct *product)
{
  gboolean original = self->admin && sd_admin_get_original (self->admin);
  gboolean takes_uploads = self->admin == NULL || sd_admin_get_takes_uploads (self->admin);

  /* A shop without uploads takes a picture by its address only; the
   * reason is beside the picture, and read out with the address's row. */
  sd_photo_field_set_takes_uploads (self->photo_field, takes_uploads);
  if (takes_uploads)
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

/* What the editor shows of product's field: the value of its edit waiting
 * to be sent, if any, else the product's (fallback). */
static char *
shown (SdProductsAdmin *self, SdProduct *product, const char *field, const char *fallback)
{
  char *yours = product ? sd_sync_mark_dup_value (sd_sync_mark_page_sync (SD_PAGE (self)),
                                                  sd_product_get_id (product), field) : NULL;

  return yours ? yours : g_strdup (fallback ? fallback : "");
}

void
sd_product_editor_fill (SdProductsAdmin *self, SdProduct *product)
{
  SdOption *o = product ? sd_product_get_option (product) : NULL;
  g_autofree char *price_text = product ? g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_price (product)) : NULL;
  g_autofree char *stock_text = product && sd_product_get_stock (product) >= 0
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_stock (product)) : NULL;
  g_autofree char *name = shown (self, product, "name", product ? sd_product_get_name (product) : NULL);
  g_autofree char *brand = shown (self, product, "brand", product ? sd_product_get_brand (product) : NULL);
  g_autofree char *price = shown (self, product, "price", price_text);
  g_autofree char *stock = shown (self, product, "stock", stock_text);
  g_autofree char *description = shown (self, product, "description",
                                        product ? sd_product_get_description (product) : NULL);
  g_autofree char *category_id = shown (self, product, "categoryId",
                                        product ? sd_product_get_category_id (product) : NULL);
  g_autofree char *values = o ? g_strjoinv (", ", (GStrv) sd_option_get_values (o)) : NULL;
  guint category = GTK_INVALID_LIST_POSITION;

  g_set_object (&self->editing, product);
  self->is_new = product == NULL;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->brand_row), brand);
  gtk_editable_set_text (GTK_EDITABLE (self->price_row), price);
  gtk_editable_set_text (GTK_EDITABLE (self->stock_row), stock);
  gtk_editable_set_text (GTK_EDITABLE (self->option_row), o ? sd_option_get_name (o) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->values_row), values ? values : "");
  fill_original (self, product);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), description, -1);
  for (guint i = 0; product && self->categories && i < g_list_model_get_n_items (self->categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (self->categories, i);
      if (g_strcmp0 (sd_category_get_id (c), category_id) == 0)
        category = i;
    }
  adw_combo_row_set_selected (self->category_row, category);
  self->filling = FALSE;
  self->dirty = FALSE;
  sd_photo_field_set_title (self->photo_field, product ? name : _("New Product"));
  sd_photo_field_set_product (self->photo_field, product);
  /* [ext] "activity": who changed it before, for a product the shop has. */
  gtk_widget_set_visible (self->history_group, product != NULL);
  sd_activity_list_show (self->history, product ? self->admin : NULL, SD_ACTIVITY_PRODUCT,
                         product ? sd_product_get_id (product) : NULL);
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  sd_product_editor_validate (self);
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

void
sd_product_editor_clear_after_save (SdProductsAdmin *self)
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
      sd_product_editor_clear_after_save (self);
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
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
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
  sd_products_admin_select (self, self->editing ? sd_product_get_id (self->editing) : NULL);
}

gboolean
sd_products_admin_edit (SdProductsAdmin *self, SdProduct *product)
{
  g_return_val_if_fail (SD_IS_PRODUCTS_ADMIN (self), FALSE);
  if (!sd_products_admin_leave (self, edit_then, edit_cancelled, product ? g_object_ref (product) : NULL,
                                product ? g_object_unref : NULL))
    return FALSE;
  sd_product_editor_fill (self, product);
  sd_products_admin_select (self, product ? sd_product_get_id (product) : NULL);
  if (product == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return TRUE;
}

SdProduct *sd_products_admin_get_editing (SdProductsAdmin *self) { return self->editing; }
gboolean sd_products_admin_get_dirty (SdProductsAdmin *self) { return self->dirty; }
const char *sd_products_admin_get_problem (SdProductsAdmin *self) { return self->problem; }
gboolean sd_products_admin_get_busy (SdProductsAdmin *self) { return self->loading > 0 || self->working > 0; }
GListModel *sd_products_admin_get_products (SdProductsAdmin *self) { return G_LIST_MODEL (self->products); }

void
sd_product_editor_new_cb (SdProductsAdmin *self)
{
  sd_products_admin_edit (self, NULL);
}

/* ---- saving ---------------------------------------------------------------- */

/* A save came back: product, as the shop has it now, or error. */
static void
save_done (SdProductsAdmin *self, SdProduct *product, const GError *error)
{
  SdProductsAdminThen then = self->after_save;
  gpointer then_data = self->after_save_data;
  GDestroyNotify then_destroy = self->after_save_destroy;
  g_autofree char *kept = product ? NULL : sd_sync_mark_kept (error);
  gboolean made = self->is_new;

  self->working--;
  self->after_save = NULL;
  self->after_save_data = NULL;
  self->after_save_destroy = NULL;
  if (product == NULL && kept == NULL)
    {
      if (then_destroy)
        then_destroy (then_data);
      sd_product_editor_validate (self);
      sd_ui_show_error (GTK_WIDGET (self), _("The Product Was Not Saved"), error);
      return;
    }
  /* Saved, or kept on this computer to be sent (its row says so): the
   * editor keeps what was typed, nothing left unsaved. */
  if (product)
    g_set_object (&self->editing, product);
  self->is_new = FALSE;
  self->dirty = FALSE;
  sd_photo_field_set_title (self->photo_field, sd_product_get_name (self->editing));
  sd_product_editor_validate (self);
  /* A photo held for a new product goes now. */
  sd_photo_field_send_to (self->photo_field, sd_product_get_id (self->editing));
  sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (kept ? kept : _("Saved")));
  /* (An edit's landing says so itself: sd-products-admin.c.) */
  if (made)
    sd_products_admin_catalog_changed (self);
  /* What the user went on to (another product, another page), if anything. */
  if (then)
    then (self, then_data);
  if (then_destroy)
    then_destroy (then_data);
  if (product == NULL)
    return;   /* the shop did not answer: the list stays as it is */
  g_free (self->select_id);
  self->select_id = g_strdup (sd_product_get_id (self->editing ? self->editing : product));
  sd_products_admin_reload (self);
}

/* A new product: made at the shop, never queued. */
static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = sd_admin_product_finish (SD_ADMIN (source), result, &error);

  save_done (self, product, error);
}

/* A product's edit, through the shop's queue. */
static void
synced_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) product = sd_sync_finish (SD_SYNC (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page went */
  save_done (self, SD_IS_PRODUCT (product) ? SD_PRODUCT (product) : NULL, error);
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
  sd_product_editor_validate (self);
  if (self->problem || self->working > 0 || (!self->is_new && sd_sync_mark_page_sync (SD_PAGE (self)) == NULL))
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
  sd_product_editor_validate (self);
  if (self->is_new)
    sd_admin_save_product_async (self->admin, NULL, &f, sd_products_admin_write_cancellable (self), saved_cb,
                                 g_object_ref (self));
  else
    sd_sync_save_product_async (sd_sync_mark_page_sync (SD_PAGE (self)), self->editing, &f,
                                sd_products_admin_write_cancellable (self), synced_cb, g_object_ref (self));
}

void
sd_products_admin_discard (SdProductsAdmin *self)
{
  g_autoptr(SdProduct) editing = self->editing ? g_object_ref (self->editing) : NULL;

  self->dirty = FALSE;
  if (editing)
    sd_product_editor_fill (self, editing);
  else
    gtk_stack_set_visible_child_name (self->editor_stack, "none");
}

void
sd_product_editor_save_cb (SdProductsAdmin *self)
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
      sd_product_editor_validate (self);
      sd_ui_show_error (GTK_WIDGET (self), _("The Product Was Not Made"), error);
      return;
    }
  sd_products_admin_catalog_changed (self);
  sd_product_editor_fill (self, product);
  g_free (self->select_id);
  self->select_id = g_strdup (sd_product_get_id (product));
  sd_products_admin_reload (self);
}

void
sd_product_editor_duplicate_cb (SdProductsAdmin *self)
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
  sd_product_editor_validate (self);
  sd_admin_save_product_async (self->admin, NULL, &f, sd_products_admin_write_cancellable (self), created_cb,
                               g_object_ref (self));
}

static void
undo_delete (gpointer owner, gpointer gone)
{
  SdProductsAdmin *self = owner;
  SdProductFields f;

  /* Made again from what it was: the same fields, a new id. */
  fields_of_product (gone, &f);
  self->working++;
  sd_admin_save_product_async (self->admin, NULL, &f, sd_products_admin_write_cancellable (self), created_cb,
                               g_object_ref (self));
}

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdProductsAdmin) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdProduct) product = g_object_steal_data (G_OBJECT (self), "sd-deleting");
  g_autofree char *title = NULL;

  self->working--;
  if (!sd_admin_delete_finish (SD_ADMIN (source), result, &error))
    {
      sd_product_editor_validate (self);
      sd_ui_show_error (GTK_WIDGET (self), _("The Product Was Not Deleted"), error);
      return;
    }
  title = g_strdup_printf (_("“%s” was deleted"), sd_product_get_name (product));
  sd_ui_show_undo_toast (GTK_WIDGET (self), title, undo_delete, self, g_object_ref (product), g_object_unref);
  if (self->editing == product)
    {
      g_clear_object (&self->editing);
      self->dirty = FALSE;
      gtk_stack_set_visible_child_name (self->editor_stack, "none");
    }
  sd_products_admin_catalog_changed (self);
  sd_products_admin_reload (self);
}

void
sd_product_editor_delete_cb (SdProductsAdmin *self)
{
  if (self->editing == NULL || self->is_new || self->working)
    return;
  g_object_set_data_full (G_OBJECT (self), "sd-deleting", g_object_ref (self->editing), g_object_unref);
  self->working++;
  sd_product_editor_validate (self);
  sd_admin_delete_async (self->admin, SD_ADMIN_PRODUCT, sd_product_get_id (self->editing),
                         sd_products_admin_write_cancellable (self), deleted_cb, g_object_ref (self));
}
