/* sd-ui.c */
#define G_LOG_DOMAIN "storedesk-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-ui.h"

static GtkWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
sd_ui_show_problem (GtkWidget *widget, const char *heading, const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (window_of (widget), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_OK"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- errors, in words the user can act on ------------------------------ */

/* The shop's own words (or the core's, for this very case), ending in a
 * full stop so that a sentence may follow. */
static char *
shop_words (const GError *error, const char *otherwise)
{
  const char *text = error->message ? error->message : "";
  gsize n = strlen (text);

  if (n == 0)
    return g_strdup (otherwise);
  if (g_str_has_suffix (text, ".") || g_str_has_suffix (text, "!") || g_str_has_suffix (text, "?") ||
      g_str_has_suffix (text, "。"))
    return g_strdup (text);
  /* Translators: the shop's own message, given without a full stop. */
  return g_strdup_printf (_("%s."), text);
}

typedef struct {
  gint        code;
  const char *text;
} Words;

/* What happened, and what to do, by SD_API_ERROR code, for an error
 * without a message of its own. */
static const Words api_words[] = {
  { SD_API_ERROR_OFFLINE, N_("The shop is not reachable: check the connection, then try again.") },
  { SD_API_ERROR_TIMEOUT, N_("The shop took too long to answer: try again in a moment.") },
  { SD_API_ERROR_TLS, N_("The shop’s identity could not be verified: check the shop address in Preferences.") },
  { SD_API_ERROR_UNAUTHORIZED, N_("You are not signed in, or your session has ended: sign in, then try again.") },
  { SD_API_ERROR_FORBIDDEN, N_("Your account may not do this: sign in with an account that may, or ask the shop.") },
  { SD_API_ERROR_NOT_FOUND, N_("The shop no longer has it: reload to see what is there now.") },
  { SD_API_ERROR_CONFLICT, N_("Something changed at the shop in the meantime: reload, then try again.") },
  { SD_API_ERROR_INVALID_INPUT, N_("The shop did not accept it: check the fields, then try again.") },
  { SD_API_ERROR_TOO_LARGE, N_("That is too large for the shop: make it smaller, then try again.") },
  { SD_API_ERROR_TOO_MANY_REQUESTS, N_("There were too many attempts: wait a few minutes, then try again.") },
  { SD_API_ERROR_UNSUPPORTED, N_("This shop cannot do this from Storedesk: ask the shop to do it for you.") },
  { SD_API_ERROR_CHANGED, N_("Someone changed this at the shop meanwhile: compare the two in Changes to Send.") },
  { -1, N_("The shop had a problem answering: try again later, and tell the shop if it goes on.") },
};

/* By SD_IMAGE_PREP_ERROR code; the rest: not a picture. */
static const Words picture_words[] = {
  { SD_IMAGE_PREP_ERROR_TRUNCATED, N_("The picture file is incomplete: copy it again, or choose another photo.") },
  { SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS, N_("The picture has far too many pixels: choose a smaller photo.") },
  { SD_IMAGE_PREP_ERROR_FILE_TOO_LARGE, N_("The file is too big to be a photo: choose a smaller one.") },
  { SD_IMAGE_PREP_ERROR_CANNOT_FIT, N_("The picture cannot be made small enough: crop it, or choose another photo.") },
  { -1, N_("The file is not a picture Storedesk can read: choose a JPEG or PNG photo.") },
};

/* By G_IO_ERROR code; the rest: could not be read or written. */
static const Words file_words[] = {
  { G_IO_ERROR_NOT_FOUND, N_("The file is not there any more: choose it again.") },
  { G_IO_ERROR_PERMISSION_DENIED, N_("Storedesk may not use that file or folder: choose another one.") },
  { G_IO_ERROR_READ_ONLY, N_("Storedesk may not use that file or folder: choose another one.") },
  { G_IO_ERROR_NO_SPACE, N_("The disk is full: make some room, then try again.") },
  { -1, N_("The file could not be read or written: check it, then try again.") },
};

/* The entry for code, or the last one (code -1), translated. */
static const char *
words_for (const Words *words, gint code)
{
  while (words->code != -1 && words->code != code)
    words++;
  return _(words->text);
}

/* The core's own domains (SD_API_ERROR, SD_IMAGE_PREP_ERROR) carry
 * sentences written for people, translated, with what to do next and the
 * specifics (which product is no longer sold, how large a file may be),
 * or the shop's own validation words ("the email is taken"): those are
 * kept, the tables serving when a message is empty. Every other domain
 * (GIO, gdk-pixbuf) speaks to programmers: it is said in our words. */
static char *
what_happened (const GError *error)
{
  if (error->domain == SD_API_ERROR)
    return shop_words (error, words_for (api_words, error->code));
  if (error->domain == SD_IMAGE_PREP_ERROR)
    return shop_words (error, words_for (picture_words, error->code));
  if (error->domain == GDK_PIXBUF_ERROR)
    return g_strdup (words_for (picture_words, -1));
  if (error->domain == G_IO_ERROR)
    return g_strdup (words_for (file_words, error->code));
  if (error->domain == G_FILE_ERROR)
    return g_strdup (words_for (file_words, -1));
  return g_strdup (_("Something went wrong: try again."));
}

char *
sd_ui_error_message (const GError *error, const char *doing)
{
  g_autofree char *what = NULL;

  if (error == NULL)
    what = g_strdup (_("Something went wrong: try again."));
  else
    {
      what = what_happened (error);
      g_debug ("shown as a sentence: %s", error->message);
    }
  if (doing == NULL)
    return g_steal_pointer (&what);
  /* Translators: what was being done ("Could not save the product"), then
   * what happened and what to do next. */
  return g_strdup_printf (_("%s. %s"), doing, what);
}

void
sd_ui_show_error (GtkWidget *widget, const char *heading, const GError *error)
{
  g_autofree char *message = sd_ui_error_message (error, NULL);

  sd_ui_show_problem (widget, heading, message);
}

void
sd_ui_class_set_template (gpointer widget_class, const char *ui_file)
{
  g_autofree char *path = g_strconcat ("/io/github/storedesk/Storedesk/ui/", ui_file, NULL);

  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (widget_class), path);
}

GtkWidget *
sd_ui_ask_first (GtkWidget *widget, const char *heading, const char *body, const char *keep, const char *keep_label,
                 const char *act, const char *act_label, GCallback response_cb, gpointer owner)
{
  GtkWidget *dialog = adw_message_dialog_new (window_of (widget), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), keep, keep_label, act, act_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), act, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), keep);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), keep);
  g_signal_connect_object (dialog, "response", response_cb, owner, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkFileChooserNative *
sd_ui_picture_chooser_new (GtkWidget *widget, const char *title, gboolean multiple)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, window_of (widget),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Pictures"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), multiple);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

/* ---- words kept whole ---------------------------------------------------- */

static void
keep_words (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);
  PangoAttrList *attrs = pango_attr_list_new ();

  for (const char *p = text; *p != '\0';)
    {
      const char *start;

      while (*p == ' ')
        p++;
      start = p;
      while (*p != '\0' && *p != ' ')
        p++;
      /* A run longer than a line could hold (a code, a name with no
       * space) may still break, or the label could not shrink. */
      if (p > start && g_utf8_strlen (start, p - start) <= 16)
        {
          PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

          attr->start_index = start - text;
          attr->end_index = p - text;
          pango_attr_list_insert (attrs, attr);
        }
    }
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

void
sd_ui_label_keep_words (GtkLabel *label)
{
  g_signal_connect (label, "notify::label", G_CALLBACK (keep_words), NULL);
  keep_words (label);
}

/* ---- accessible names --------------------------------------------------- */

/* GTK 4.8 names a button whose label has a mnemonic twice to a screen
 * reader ("_Add to Cart Add to Cart", measured through AT-SPI): the
 * button's accessible label property keeps the raw text, and the label
 * inside, which the mnemonic ties to it, names it again. Without the
 * property the label inside names it once, as it reads. */
static void
name_once (GtkButton *button)
{
  if (gtk_button_get_use_underline (button))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* An icon with no name of its own is decoration beside a named control
 * (a row's icon, an entry row's pencil, a button's glyph): GTK 4.8 would
 * read out its type ("GtkImage"); hidden, it is not read at all. */
static void
hide_if_decoration (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget) && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                                    GTK_ACCESSIBLE_PROPERTY_LABEL))
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

/* An empty label (a count of none, a status not set yet) would be read
 * out as "GtkLabel": hidden while it says nothing. */
static void
hide_if_empty (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);

  gtk_accessible_update_state (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_STATE_HIDDEN, text == NULL || *text == '\0', -1);
}

/* An icon-only button named by nothing but its tooltip (libadwaita's
 * "Show Text" in a password row): the tooltip names it. */
static void
name_by_tooltip (GtkWidget *button)
{
  const char *tip = gtk_widget_get_tooltip_text (button);
  const char *label = gtk_button_get_label (GTK_BUTTON (button));

  if (tip && *tip && (label == NULL || *label == '\0') &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL))
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
}

static void
follow_button (GtkWidget *widget)
{
  hide_if_decoration (widget);
  if (GTK_IS_LABEL (widget) && g_object_get_data (G_OBJECT (widget), "sd-named-once") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "sd-named-once", GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::label", G_CALLBACK (hide_if_empty), NULL);
      hide_if_empty (GTK_LABEL (widget));
    }
  if (!GTK_IS_BUTTON (widget) || g_object_get_data (G_OBJECT (widget), "sd-named-once") != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), "sd-named-once", GINT_TO_POINTER (TRUE));
  /* GtkButton sets the property again with each new label. */
  g_signal_connect (widget, "notify::label", G_CALLBACK (name_once), NULL);
  g_signal_connect (widget, "notify::use-underline", G_CALLBACK (name_once), NULL);
  name_once (GTK_BUTTON (widget));
  name_by_tooltip (widget);
}

static void
follow_buttons_in (GtkWidget *widget)
{
  follow_button (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    follow_buttons_in (child);
}

/* GTK 4.8 gives a list's items no name of their own, and a screen
 * reader meets a drop-down's or combo row's popup entries as list items:
 * each is named by the label in it, again when the item is bound to
 * another entry. (Rows of a GtkListBox are named where they are made.) */
static void
name_list_item (GtkLabel *label)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (label));

  for (guint up = 0; item && up < 3; up++, item = gtk_widget_get_parent (item))
    if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
      {
        if (!GTK_IS_LIST_BOX_ROW (item) && gtk_widget_get_ancestor (item, GTK_TYPE_POPOVER))
          gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (label), -1);
        return;
      }
}

static void
follow_list_label (GtkWidget *widget)
{
  if (!GTK_IS_LABEL (widget) || g_object_get_data (G_OBJECT (widget), "sd-names-item"))
    return;
  g_object_set_data (G_OBJECT (widget), "sd-names-item", GINT_TO_POINTER (TRUE));
  g_signal_connect (widget, "notify::label", G_CALLBACK (name_list_item), NULL);
  name_list_item (GTK_LABEL (widget));
}

/* A window (or dialog) as it is realized: every button and icon in it,
 * on its hidden pages too, which a screen reader lists all the same; one
 * realized later (a row's, a dialog's response): itself. */
static gboolean
widget_realized (GSignalInvocationHint *hint, guint n_values, const GValue *values, gpointer unused)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  if (GTK_IS_ROOT (widget))
    follow_buttons_in (widget);
  else
    {
      follow_button (widget);
      follow_list_label (widget);
      /* Every wrapping label's Korean words whole (a dialog's body
       * too), unless it styles its text itself. */
      if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
          gtk_label_get_attributes (GTK_LABEL (widget)) == NULL)
        sd_ui_label_keep_words (GTK_LABEL (widget));
    }
  return TRUE;
}

void
sd_ui_name_mnemonic_buttons (void)
{
  static gsize done;

  /* Every button as it is realized, libadwaita's dialogs' included, and
   * every popup list's entry. */
  if (g_once_init_enter (&done))
    {
      /* The signal exists once the class does (kept for good). */
      g_type_class_ref (GTK_TYPE_BUTTON);
      g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0, widget_realized, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

/* One number per order, everywhere: the shop's [ext] orderNumber, else
 * what the original web front end shows (sd_order_dup_order_number). */
char *
sd_ui_order_number (SdOrder *order)
{
  return sd_order_dup_order_number (order);
}

char *
sd_ui_order_date (SdOrder *order)
{
  g_autoptr(GDateTime) local = NULL;

  if (sd_order_get_created_at (order) == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (sd_order_get_created_at (order));
  /* Translators: an order's date and time; see g_date_time_format(). */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The toast on show in overlay, kept weakly on the overlay itself. */
static GWeakRef *
shown_toast (GtkWidget *overlay)
{
  GWeakRef *ref = g_object_get_data (G_OBJECT (overlay), "sd-shown-toast");

  if (ref == NULL)
    {
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, NULL);
      g_object_set_data_full (G_OBJECT (overlay), "sd-shown-toast", ref, (GDestroyNotify) weak_ref_free);
    }
  return ref;
}

void
sd_ui_dismiss_toast (GtkWidget *widget)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autoptr(AdwToast) shown = overlay ? g_weak_ref_get (shown_toast (overlay)) : NULL;

  if (shown)
    adw_toast_dismiss (shown);
}

void
sd_ui_show_toast (GtkWidget *widget, AdwToast *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_object_unref (toast);
      return;
    }
  /* The newest replaces the one on show instead of waiting behind it, so
   * an Undo is there at once. (libadwaita 1.2 also asserts when a
   * high-priority toast arrives while another is shown.) */
  sd_ui_dismiss_toast (overlay);
  g_weak_ref_set (shown_toast (overlay), toast);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
undo_clicked_cb (AdwToast *toast, gpointer owner)
{
  SdUiUndoFunc undo = (SdUiUndoFunc) g_object_get_data (G_OBJECT (toast), "sd-undo-func");

  undo (owner, g_object_get_data (G_OBJECT (toast), "sd-undo-data"));
}

void
sd_ui_show_undo_toast (GtkWidget *widget, const char *title, SdUiUndoFunc undo, gpointer owner, gpointer data,
                       GDestroyNotify free_data)
{
  AdwToast *toast = adw_toast_new (title);

  g_return_if_fail (G_IS_OBJECT (owner));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "sd-undo-func", (gpointer) undo);
  g_object_set_data_full (G_OBJECT (toast), "sd-undo-data", data, free_data);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), owner, 0);
  sd_ui_show_toast (widget, toast);
}

/* ---- text columns ------------------------------------------------------ */

/* How a column finds a row's text; shared by its factory and its sorter. */
typedef struct {
  SdUiCellText     text_of;
  SdUiCellTextWith text_with;
  gpointer         data;
} Cell;

static char *
cell_text (const Cell *cell, gpointer item)
{
  return cell->text_with ? cell->text_with (item, cell->data) : cell->text_of (item);
}

static void
cell_closure_notify (gpointer cell, GClosure *closure)
{
  g_rc_box_release (cell);
}

static int
compare_text (gconstpointer a, gconstpointer b, gpointer user_data)
{
  g_autofree char *x = cell_text (user_data, (gpointer) a);
  g_autofree char *y = cell_text (user_data, (gpointer) b);

  return g_utf8_collate (x, y);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  g_autofree char *text = cell_text (user_data, gtk_list_item_get_item (item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static GtkColumnViewColumn *
add_text_column (GtkColumnView *view, const char *title, Cell *cell, GCompareDataFunc compare, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter *sorter = GTK_SORTER (compare ? gtk_custom_sorter_new (compare, NULL, NULL)
                                          : gtk_custom_sorter_new (compare_text, g_rc_box_acquire (cell),
                                                                   g_rc_box_release));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect_data (factory, "bind", G_CALLBACK (bind_cell_cb), g_rc_box_acquire (cell), cell_closure_notify, 0);
  g_rc_box_release (cell);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (sorter);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);   /* the view keeps it */
  return column;
}

GtkColumnViewColumn *
sd_ui_add_text_column (GtkColumnView *view, const char *title, SdUiCellText text_of, GCompareDataFunc compare,
                       gboolean expand)
{
  Cell *cell = g_rc_box_new0 (Cell);

  cell->text_of = text_of;
  return add_text_column (view, title, cell, compare, expand);
}

GtkColumnViewColumn *
sd_ui_add_text_column_with_data (GtkColumnView *view, const char *title, SdUiCellTextWith text_of, gpointer data,
                                 GCompareDataFunc compare, gboolean expand)
{
  Cell *cell = g_rc_box_new0 (Cell);

  cell->text_with = text_of;
  cell->data = data;
  return add_text_column (view, title, cell, compare, expand);
}

/* What stands where an order's receiver would be. */
const char *
sd_ui_no_receiver (SdOrder *order, gboolean original, gboolean brief)
{
  if (!original)
    /* A guest of the original web front end orders without one. */
    return brief ? _("No address given") : _("No address given. Ask the customer where to ship this order.");
  if (brief)
    /* Translators: in the Receiver column, for a shop that keeps no receivers. */
    return _("Address not kept");
  return sd_order_get_is_guest (order)
         ? _("This shop does not keep a guest’s address. Ask the customer where to ship this order.")
         : _("This shop does not keep where an order goes. Ask the customer where to ship this order.");
}

GtkWidget *
sd_ui_icon_button (const char *icon_name, const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return button;
}

char *
sd_ui_format_phone (const char *phone)
{
  gsize n = phone ? strlen (phone) : 0;

  if ((n != 10 && n != 11) || !g_str_has_prefix (phone, "01"))
    return g_strdup (phone ? phone : "");
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (phone[i]))
      return g_strdup (phone);
  /* 010-1234-5678, or 011-123-4567 for the older ten-digit numbers. */
  return g_strdup_printf ("%.3s-%.*s-%s", phone, (int) (n - 7), phone + 3, phone + n - 4);
}

void
sd_ui_copy_order_id (GtkWidget *widget, SdOrder *order, gboolean key)
{
  g_autofree char *number = order == NULL || key ? NULL : sd_ui_order_number (order);
  const char *text = order == NULL ? NULL : key ? sd_order_get_access_key (order) : number;

  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  sd_ui_show_toast (widget, adw_toast_new (key ? _("Key copied") : _("Order number copied")));
}

GSettings *
sd_ui_lookup_settings (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL || (key && !g_settings_schema_has_key (schema, key)))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}
