/* sd-prep-page.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sd-picture.h"
#include "sd-prep-page.h"
#include "sd-row-template.h"
#include "sd-ui.h"

struct _SdPrepPage
{
  SdPage        parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  GtkLabel     *summary_label;
  GtkButton    *save_button;
  GtkWidget    *uploads_box;
  GtkListBox   *uploads_list;

  SdUploadQueue *uploads;
  SdApi         *api;           /* staff: photos can go to a product */
  gboolean       staff;

  GPtrArray    *photos;        /* Photo */
  GtkBuilderScope *row_scope;  /* the rows' closures */
  guint         saved;
};

G_DEFINE_FINAL_TYPE (SdPrepPage, sd_prep_page, SD_TYPE_PAGE)

/* Photos are prepared and saved for as long as the page is there: a
 * reconnect does not stop that. */
static GCancellable *
work_cancellable (SdPrepPage *self)
{
  return sd_page_get_write_cancellable (SD_PAGE (self));
}

typedef struct {
  GFile        *file;
  SdPrepared   *prepared;     /* NULL while preparing or failed */
  char         *error;
  AdwActionRow *row;
  GtkSpinner   *spinner;
  GtkWidget    *use_button;
} Photo;

static void
photo_free (Photo *p)
{
  g_clear_object (&p->file);
  g_clear_object (&p->prepared);
  g_free (p->error);
  g_free (p);
}

static void
update_summary (SdPrepPage *self)
{
  guint pending = sd_prep_page_get_pending (self), done = sd_prep_page_get_prepared (self);
  guint failed = sd_prep_page_get_failed (self);
  goffset in = 0, out = 0;
  g_autofree char *a = NULL, *b = NULL, *text = NULL;

  for (guint i = 0; i < self->photos->len; i++)
    {
      Photo *p = self->photos->pdata[i];
      if (p->prepared)
        {
          in += sd_prepared_get_original_size (p->prepared);
          out += g_bytes_get_size (sd_prepared_get_bytes (p->prepared));
        }
    }
  a = g_format_size (in);
  b = g_format_size (out);
  if (pending)
    /* Translators: how many photos are still being prepared. */
    text = g_strdup_printf (ngettext ("Preparing %u photo…", "Preparing %u photos…", pending), pending);
  else
    /* Translators: "3 ready, 1 failed: 24.1 MB → 1.2 MB" */
    text = g_strdup_printf (_("%u ready, %u failed: %s → %s"), done, failed, a, b);
  gtk_label_set_label (self->summary_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), pending == 0 && done > 0);
  gtk_stack_set_visible_child_name (self->stack, self->photos->len ? "photos" : "empty");
}

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Photo *p = user_data;
  g_autoptr(GError) error = NULL;
  SdPrepared *prepared = sd_image_prep_finish (result, &error);
  SdPrepPage *self;

  if (prepared == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page is gone, and with it the photo */
  self = SD_PREP_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (p->row), SD_TYPE_PREP_PAGE));
  gtk_spinner_stop (p->spinner);
  gtk_widget_set_visible (GTK_WIDGET (p->spinner), FALSE);
  if (prepared == NULL)
    {
      p->error = sd_ui_error_message (error, NULL);
      adw_action_row_set_subtitle (p->row, p->error);
      gtk_widget_add_css_class (GTK_WIDGET (p->row), "error");
    }
  else
    {
      g_autofree char *a = g_format_size (sd_prepared_get_original_size (prepared));
      g_autofree char *b = g_format_size (g_bytes_get_size (sd_prepared_get_bytes (prepared)));
      g_autofree char *text = NULL;

      p->prepared = prepared;
      gtk_widget_set_visible (p->use_button, self && self->staff && self->uploads);
      /* Translators: "5.1 MB, 4032 × 3024 → 412.3 kB, 1920 × 1440" */
      text = g_strdup_printf (_("%s, %u × %u → %s, %u × %u"), a, sd_prepared_get_original_width (prepared),
                              sd_prepared_get_original_height (prepared), b, sd_prepared_get_width (prepared),
                              sd_prepared_get_height (prepared));
      adw_action_row_set_subtitle (p->row, text);
    }
  if (self)
    update_summary (self);
}

static void use_clicked_cb (GtkButton *button, SdPrepPage *self);

/* ---- a prepared photo for a product (staff) ----------------------------- */

static void
queued_for_product_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SdPrepPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUpload) upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &error);

  if (upload == NULL)
    sd_ui_show_error (GTK_WIDGET (self), _("The Photo Was Not Queued"), error);
  else
    sd_ui_show_toast (GTK_WIDGET (self), adw_toast_new (_("The photo goes to the product as soon as the shop can be reached.")));
}

gboolean
sd_prep_page_send_to_product (SdPrepPage *self, guint photo, const char *product_id)
{
  Photo *p;

  g_return_val_if_fail (SD_IS_PREP_PAGE (self), FALSE);
  if (photo >= self->photos->len || self->uploads == NULL || product_id == NULL)
    return FALSE;
  p = self->photos->pdata[photo];
  if (p->prepared == NULL)
    return FALSE;
  sd_upload_queue_add_async (self->uploads, p->prepared, SD_UPLOAD_TARGET_PRODUCT, product_id, NULL,
                             queued_for_product_cb, g_object_ref (self));
  return TRUE;
}

static void
use_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SdPrepPage *self = user_data;
  Photo *p = g_object_get_data (G_OBJECT (dialog), "sd-photo");
  GtkDropDown *choice = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  SdProduct *product = gtk_drop_down_get_selected_item (choice);
  guint index;

  if (g_strcmp0 (response, "use") != 0 || product == NULL || !g_ptr_array_find (self->photos, p, &index))
    return;
  sd_prep_page_send_to_product (self, index, sd_product_get_id (product));
}

static void
products_for_use_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GtkWidget *dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) products = sd_admin_list_products_finish (SD_ADMIN (source), result, &error);
  GtkDropDown *choice = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)));

  if (products == NULL)
    {
      g_autofree char *message = sd_ui_error_message (error, _("The shop’s products could not be listed"));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), message);
      g_object_unref (dialog);
      return;
    }
  gtk_drop_down_set_model (choice, products);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use",
                                           g_list_model_get_n_items (products) > 0);
  g_object_unref (dialog);
}

static void
use_clicked_cb (GtkButton *button, SdPrepPage *self)
{
  Photo *p = g_object_get_data (G_OBJECT (button), "sd-photo");
  g_autoptr(SdAdmin) admin = NULL;
  g_autoptr(GtkExpression) name = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                               G_CALLBACK (sd_product_get_name), NULL, NULL);
  GtkWidget *choice = gtk_drop_down_new (NULL, NULL);
  GtkWidget *dialog;

  if (self->api == NULL || p->prepared == NULL)
    return;
  gtk_drop_down_set_expression (GTK_DROP_DOWN (choice), name);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (choice), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Product"), -1);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Use for Which Product?"),
                                   _("The photo replaces the product’s picture once it is sent."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), choice);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "use", _("_Use"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "use");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "sd-photo", p);
  g_signal_connect_object (dialog, "response", G_CALLBACK (use_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  admin = sd_admin_new (self->api);
  sd_admin_list_products_async (admin, sd_page_get_cancellable (SD_PAGE (self)), products_for_use_cb,
                                g_object_ref (dialog));
}

static void
update_use_buttons (SdPrepPage *self)
{
  for (guint i = 0; i < self->photos->len; i++)
    {
      Photo *p = self->photos->pdata[i];
      gtk_widget_set_visible (p->use_button, self->staff && p->prepared && self->uploads);
    }
}

void
sd_prep_page_set_staff (SdPrepPage *self, gboolean staff)
{
  g_return_if_fail (SD_IS_PREP_PAGE (self));
  self->staff = staff;
  update_use_buttons (self);
}

void
sd_prep_page_add_files (SdPrepPage *self, GListModel *files)
{
  SdImagePrepOptions options;

  g_return_if_fail (SD_IS_PREP_PAGE (self));
  sd_image_prep_options_init (&options);
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      Photo *p = g_new0 (Photo, 1);

      p->file = g_list_model_get_item (files, i);
      p->row = ADW_ACTION_ROW (sd_row_template_build ("sd-photo-row.ui", p->file, self->row_scope,
                                                      "spinner", &p->spinner, "use_button", &p->use_button, NULL));
      g_object_set_data (G_OBJECT (p->use_button), "sd-photo", p);
      g_signal_connect (p->use_button, "clicked", G_CALLBACK (use_clicked_cb), self);
      gtk_list_box_append (self->list, GTK_WIDGET (p->row));
      g_ptr_array_add (self->photos, p);
      sd_image_prep_file_async (&options, p->file, work_cancellable (self), prepared_cb, p);
    }
  update_summary (self);
}

guint
sd_prep_page_get_pending (SdPrepPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->photos->len; i++)
    n += ((Photo *) self->photos->pdata[i])->prepared == NULL && ((Photo *) self->photos->pdata[i])->error == NULL;
  return n;
}

guint
sd_prep_page_get_prepared (SdPrepPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->photos->len; i++)
    n += ((Photo *) self->photos->pdata[i])->prepared != NULL;
  return n;
}

guint
sd_prep_page_get_failed (SdPrepPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->photos->len; i++)
    n += ((Photo *) self->photos->pdata[i])->error != NULL;
  return n;
}

guint
sd_prep_page_get_saved (SdPrepPage *self)
{
  return self->saved;
}

/* ---- saving: one file after another, never over an existing one ------ */

typedef struct {
  SdPrepPage    *self;
  GFile         *folder;
  GOutputStream *stream;
  guint          next;
  guint          suffix;
} Save;

static void save_next (Save *save);

static void
save_failed (Save *save, const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = sd_ui_error_message (error, _("The photos were not all saved"));
      gtk_widget_activate_action (GTK_WIDGET (save->self), "win.toast", "s", message);
    }
  save->next = G_MAXUINT;
  save_next (save);
}

static void
closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Save *save = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&save->stream);
  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      save_failed (save, error);
      return;
    }
  save->self->saved++;
  save->next++;
  save->suffix = 1;
  save_next (save);
}

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Save *save = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_clear_object (&save->stream);
      save_failed (save, error);
      return;
    }
  g_output_stream_close_async (save->stream, G_PRIORITY_DEFAULT, work_cancellable (save->self), closed_cb, save);
}

static void
created_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Save *save = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  save->stream = G_OUTPUT_STREAM (g_file_create_finish (G_FILE (source), result, &error));
  if (save->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) && save->suffix < 100)
        {
          save->suffix++;   /* photo.jpg exists: photo-2.jpg */
          save_next (save);
          return;
        }
      save_failed (save, error);
      return;
    }
  bytes = sd_prepared_get_bytes (((Photo *) save->self->photos->pdata[save->next])->prepared);
  g_output_stream_write_all_async (save->stream, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, work_cancellable (save->self), written_cb, save);
}

static void
save_next (Save *save)
{
  SdPrepPage *self = save->self;
  Photo *p = NULL;
  g_autofree char *base = NULL, *stem = NULL, *name = NULL;
  g_autoptr(GFile) target = NULL;
  char *dot;

  while (save->next < self->photos->len && (p = self->photos->pdata[save->next])->prepared == NULL)
    save->next++;
  if (save->next >= self->photos->len)
    {
      g_autofree char *done = NULL;

      if (save->next != G_MAXUINT)
        {
          /* Translators: how many photos were saved. */
          done = g_strdup_printf (ngettext ("%u photo saved", "%u photos saved", self->saved), self->saved);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", done);
        }
      g_object_unref (save->folder);
      g_object_unref (save->self);
      g_free (save);
      return;
    }
  base = g_file_get_basename (p->file);
  stem = g_strdup (base);
  if ((dot = strrchr (stem, '.')) != NULL)
    *dot = '\0';
  name = save->suffix > 1 ? g_strdup_printf ("%s-%u.%s", stem, save->suffix, sd_prepared_get_extension (p->prepared))
                          : g_strdup_printf ("%s.%s", stem, sd_prepared_get_extension (p->prepared));
  target = g_file_get_child (save->folder, name);
  /* A new file only: nothing that exists, an original least of all, is replaced. */
  g_file_create_async (target, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, work_cancellable (self),
                       created_cb, save);
}

void
sd_prep_page_save_to (SdPrepPage *self, GFile *folder)
{
  Save *save = g_new0 (Save, 1);

  g_return_if_fail (SD_IS_PREP_PAGE (self));
  save->self = g_object_ref (self);
  save->folder = g_object_ref (folder);
  save->suffix = 1;
  self->saved = 0;
  save_next (save);
}

/* ---- choosing and dropping --------------------------------------------- */

static void
chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdPrepPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      sd_prep_page_add_files (self, files);
    }
  g_object_unref (chooser);
}

static void
choose_cb (SdPrepPage *self)
{
  GtkFileChooserNative *chooser = sd_ui_picture_chooser_new (GTK_WIDGET (self), _("Choose Photos"), TRUE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
folder_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SdPrepPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      sd_prep_page_save_to (self, folder);
    }
  g_object_unref (chooser);
}

static void
save_cb (SdPrepPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save the Prepared Photos"),
                                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                               _("_Save Here"), NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  SdPrepPage *self = user_data;
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = files; l; l = l->next)
    g_list_store_append (store, l->data);
  sd_prep_page_add_files (self, G_LIST_MODEL (store));
  return TRUE;
}

/* ---- the upload queue ------------------------------------------------- */

/* The closures of sd-upload-row.ui and sd-photo-row.ui. */

static char *
photo_title (gpointer unused, GFile *file)
{
  return g_file_get_basename (file);
}

static char *
upload_title (gpointer unused, SdUpload *u)
{
  return g_strdup (sd_upload_get_target (u) == SD_UPLOAD_TARGET_PRODUCT ? _("Product picture")
                                                                         : _("Profile picture"));
}

static char *
upload_subtitle (gpointer unused, guint state, const char *error, SdUpload *u)
{
  g_autofree char *size = g_format_size (sd_upload_get_size (u));
  const char *said;

  switch (state)
    {
    case SD_UPLOAD_PREPARING:
      return g_strdup (_("Preparing…"));
    case SD_UPLOAD_SENDING:
      said = _("Sending…");
      break;
    case SD_UPLOAD_FAILED:
      said = _("Not sent");
      break;
    case SD_UPLOAD_WAITING:
    default:
      said = _("Waiting");
      break;
    }
  return error ? g_strdup_printf ("%s · %s · %s", said, size, error) : g_strdup_printf ("%s · %s", said, size);
}

static gboolean
upload_idle (gpointer unused, guint state)
{
  return state != SD_UPLOAD_SENDING;
}

static void
retry_clicked_cb (GtkButton *button, SdPrepPage *self)
{
  sd_upload_queue_retry (self->uploads, sd_row_template_get_item (GTK_WIDGET (button)));
}

static void
cancel_clicked_cb (GtkButton *button, SdPrepPage *self)
{
  sd_upload_queue_cancel (self->uploads, sd_row_template_get_item (GTK_WIDGET (button)));
}

/* The row's picture, once the item has one (a photo chosen is queued
 * before it is prepared). */
static void
show_upload_picture (SdUpload *upload, GParamSpec *pspec, GtkPicture *picture)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (picture), SD_TYPE_PAGE);

  if (sd_upload_get_file (upload) == NULL || page == NULL || g_object_get_data (G_OBJECT (picture), "sd-shown"))
    return;
  g_object_set_data (G_OBJECT (picture), "sd-shown", GINT_TO_POINTER (TRUE));
  sd_picture_load_file (picture, sd_upload_get_file (upload), 96, sd_page_get_cancellable (SD_PAGE (page)));
}

static GtkWidget *
upload_row (gpointer item, gpointer user_data)
{
  SdPrepPage *self = user_data;
  GtkPicture *picture;
  GtkWidget *retry;
  GtkWidget *cancel;
  GtkWidget *row = sd_row_template_build ("sd-upload-row.ui", item, self->row_scope, "picture", &picture,
                                          "retry_button", &retry, "cancel_button", &cancel, NULL);

  if (sd_upload_get_file (item))
    sd_picture_load_file (picture, sd_upload_get_file (item), 96, sd_page_get_cancellable (SD_PAGE (self)));
  else
    g_signal_connect_object (item, "notify::state", G_CALLBACK (show_upload_picture), picture, 0);
  g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  return row;
}

static void
uploads_changed_cb (SdPrepPage *self)
{
  gtk_widget_set_visible (self->uploads_box, g_list_model_get_n_items (G_LIST_MODEL (self->uploads)) > 0);
}

/* The shop's api (for staff: the products a photo can go to) and its
 * upload queue. */
static void
sd_prep_page_shop_changed (SdPage *page, SdShop *shop)
{
  SdPrepPage *self = SD_PREP_PAGE (page);
  SdUploadQueue *uploads = shop ? sd_shop_get_uploads (shop) : NULL;

  g_set_object (&self->api, (shop ? sd_shop_get_api (shop) : NULL));
  if (self->uploads)
    g_signal_handlers_disconnect_by_data (self->uploads, self);
  g_set_object (&self->uploads, uploads);
  gtk_list_box_bind_model (self->uploads_list, uploads ? G_LIST_MODEL (uploads) : NULL, uploads ? upload_row : NULL,
                           self, NULL);
  if (uploads)
    {
      g_signal_connect_swapped (uploads, "items-changed", G_CALLBACK (uploads_changed_cb), self);
      uploads_changed_cb (self);
    }
  else
    gtk_widget_set_visible (self->uploads_box, FALSE);
  update_use_buttons (self);
}

static void
sd_prep_page_dispose (GObject *object)
{
  SdPrepPage *self = SD_PREP_PAGE (object);

  /* What is being prepared or saved stops before its photos go. */
  g_cancellable_cancel (work_cancellable (self));
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  if (self->uploads)
    {
      g_signal_handlers_disconnect_by_data (self->uploads, self);
      gtk_list_box_bind_model (self->uploads_list, NULL, NULL, NULL, NULL);
    }
  g_clear_object (&self->uploads);
  g_clear_object (&self->api);
  g_clear_object (&self->row_scope);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PREP_PAGE);
  G_OBJECT_CLASS (sd_prep_page_parent_class)->dispose (object);
}

static void
sd_prep_page_class_init (SdPrepPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  sd_page_class_set_up (klass, sd_prep_page_dispose, sd_prep_page_shop_changed, NULL, "sd-prep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, list);
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, uploads_box);
  gtk_widget_class_bind_template_child (widget_class, SdPrepPage, uploads_list);
  gtk_widget_class_bind_template_callback (widget_class, choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
sd_prep_page_init (SdPrepPage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) photo_free);
  self->row_scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (self->row_scope),
                                           "upload_title", G_CALLBACK (upload_title),
                                           "upload_subtitle", G_CALLBACK (upload_subtitle),
                                           "upload_idle", G_CALLBACK (upload_idle),
                                           "photo_title", G_CALLBACK (photo_title),
                                           NULL);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_summary (self);
}
