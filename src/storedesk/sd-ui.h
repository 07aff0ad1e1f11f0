/* sd-ui.h — small pieces the pages share. */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

/* A message dialog over widget's window: what went wrong, and what to do
 * (message); one OK button. */
void                  sd_ui_show_problem        (GtkWidget  *widget,
                                                 const char *heading,
                                                 const char *message);
/* Asks before something easy to regret, over widget's window: keep (the
 * safe answer) is the default and what closing means; act is shown as
 * destructive. response_cb (dialog, response, owner) while owner lives.
 * Returns the dialog, already presented. */
GtkWidget            *sd_ui_ask_first           (GtkWidget  *widget,
                                                 const char *heading,    const char *body,
                                                 const char *keep,       const char *keep_label,
                                                 const char *act,        const char *act_label,
                                                 GCallback   response_cb,
                                                 gpointer    owner);
/* What the user reads of error: what was being done (doing, a sentence
 * without its full stop: "Could not save the product"; NULL: the heading
 * above says it), what happened, and what to do next. Never the raw
 * message, except where the shop's own words are what helps (invalid
 * input, a conflict: "the email is taken"). Free with g_free(). */
char                 *sd_ui_error_message       (const GError *error,
                                                 const char   *doing);
/* sd_ui_show_problem() with the sentence of sd_ui_error_message(). */
void                  sd_ui_show_error          (GtkWidget    *widget,
                                                 const char   *heading,
                                                 const GError *error);
/* A file chooser for pictures (the formats gdk-pixbuf reads), modal over
 * widget's window; its "response" is the caller's. */
GtkFileChooserNative *sd_ui_picture_chooser_new (GtkWidget  *widget,
                                                 const char *title,
                                                 gboolean    multiple);

/* The widget class's template: ui_file among the app's resources
 * ("sd-window.ui"). */
void                  sd_ui_class_set_template  (gpointer    widget_class,
                                                 const char *ui_file);

/* An order's number as people read it (the last 8 characters of its id,
 * upper case) and its date in local time ("—" when the shop gave none). */
/* Keeps label's words whole when it wraps, whatever text it is given
 * later: Pango follows UAX #14, which lets a line break between any two
 * Hangul syllables ("수납바|구니세트"), so each space-delimited run is
 * marked unbreakable. For product names and titles. */
void                  sd_ui_label_keep_words    (GtkLabel   *label);

/* Once at start: every button whose label has a mnemonic is named once
 * to a screen reader, as it reads (see sd-ui.c). */
void                  sd_ui_name_mnemonic_buttons (void);

char                 *sd_ui_order_number        (SdOrder    *order);
char                 *sd_ui_order_date          (SdOrder    *order);

/* A Korean mobile number as people write it (010-1234-5678) when the shop
 * stores digits only; anything else as it is. */
char                 *sd_ui_format_phone        (const char *phone);

/* A flat icon-only button for a row's end, named for screen readers and
 * with the same words as its tooltip. */
GtkWidget            *sd_ui_icon_button         (const char *icon_name,
                                                 const char *name);

/* Puts what identifies order on widget's clipboard, its number or (key)
 * a guest's key, and says so with a toast, as sd_ui_show_toast() shows
 * toasts; nothing without an order or a key. */
void                  sd_ui_copy_order_id       (GtkWidget  *widget,
                                                 SdOrder    *order,
                                                 gboolean    key);

/* Shows toast in widget's nearest toast overlay (widget itself may be
 * one), replacing the toast on show there; takes the toast. */
void                  sd_ui_show_toast          (GtkWidget  *widget,
                                                 AdwToast   *toast);
/* What an Undo does: owner and data as given to sd_ui_show_undo_toast(). */
typedef void (*SdUiUndoFunc) (gpointer owner, gpointer data);
/* Every undoable change's toast: title and an Undo button that calls
 * undo (owner, data), shown as sd_ui_show_toast() does. Nothing is undone
 * once owner (a GObject) is finalized; data, freed with free_data when the
 * toast goes, holds what the Undo needs. */
void                  sd_ui_show_undo_toast     (GtkWidget      *widget,
                                                 const char     *title,
                                                 SdUiUndoFunc    undo,
                                                 gpointer        owner,
                                                 gpointer        data,
                                                 GDestroyNotify  free_data);
/* Dismisses the toast sd_ui_show_toast() put on show there, if any. */
void                  sd_ui_dismiss_toast       (GtkWidget  *widget);

/* A column of one text label per row, resizable, sorted by compare (NULL:
 * by the text, collated). text_of returns a newly allocated string. */
typedef char *(*SdUiCellText) (gpointer item);
GtkColumnViewColumn  *sd_ui_add_text_column     (GtkColumnView    *view,
                                                 const char       *title,
                                                 SdUiCellText      text_of,
                                                 GCompareDataFunc  compare,
                                                 gboolean          expand);
/* The same with text_of (item, data); data must outlive the column. */
typedef char *(*SdUiCellTextWith) (gpointer item, gpointer data);
GtkColumnViewColumn  *sd_ui_add_text_column_with_data (GtkColumnView    *view,
                                                       const char       *title,
                                                       SdUiCellTextWith  text_of,
                                                       gpointer          data,
                                                       GCompareDataFunc  compare,
                                                       gboolean          expand);

/* What an order without a receiver shows instead: brief for a cell or a
 * slip, else a sentence that says what to do. original: the shop keeps
 * no receivers at all (the original HoneyTouse). */
const char           *sd_ui_no_receiver         (SdOrder    *order,
                                                 gboolean    original,
                                                 gboolean    brief);

/* The app's settings, or NULL where its schema is not installed (a bare
 * build tree) or, key given, is an older one without that key: the
 * caller then goes on with its defaults. */
GSettings            *sd_ui_lookup_settings     (const char *key);

G_END_DECLS
