/* sd-test-ui.h — the real app's window under Xvfb, driven as a user
 * would, against a real storedesk-server.
 *
 * Each UI program runs twice (LANGUAGE=en and LANGUAGE=ko) and leaves
 * screenshots in $STOREDESK_SCREENSHOT_DIR. */
#pragma once

#include <adwaita.h>

#include "sd-application.h"
#include "sd-product-page.h"
#include "sd-sync-status.h"
#include "sd-test-http.h"
#include "sd-test-original.h"
#include "sd-window.h"

G_BEGIN_DECLS

/* How long a UI test waits for anything the app does. */
#define SD_TEST_UI_WAIT_MS (60 * 1000)

/* Sets up a UI test program: its own XDG_DATA_HOME, the translations,
 * GTest, and a notification server on the session bus. */
void           sd_test_ui_init        (int          *argc,
                                       char       ***argv);
/* Runs the cases added; removes what sd_test_ui_init made. */
int            sd_test_ui_run         (void);
/* Adds the case at path for ours and for the original (SdTestMode as
 * its data), as sd_test_mode_path names them. */
void           sd_test_ui_add_modes   (const char     *path,
                                       GTestDataFunc   func);

/* A case's shop, app and window. Declared g_auto(SdTestUi), it ends with
 * its case: every window destroyed, the app let go and waited for until
 * it and its new-orders watcher are gone (so that nothing of this case
 * still talks to its shop), then the shop stopped. */
typedef struct {
  SdTestServer  *server;
  SdApplication *app;
  SdWindow      *window;
} SdTestUi;

/* Opens the case's app (named name: several live in this process, each
 * with an id of its own) on server (the case's from now on): its window,
 * sized for the screenshots, without animations, returned once it shows
 * the shop's products. */
SdWindow      *sd_test_ui_open        (SdTestUi       *ui,
                                       const char     *name,
                                       SdTestServer   *server);
/* The same, returned at once. */
SdWindow      *sd_test_ui_start       (SdTestUi       *ui,
                                       const char     *name,
                                       SdTestServer   *server);
void           sd_test_ui_clear       (SdTestUi       *ui);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdTestUi, sd_test_ui_clear)

/* An app of its own, for a case that runs it itself. */
SdApplication *sd_test_new_app        (const char *suffix);
/* What a case's end does to its app (see SdTestUi). */
void           sd_test_close_app      (SdApplication **app);

/* Waits until widget has painted a frame from now: what was changed is
 * laid out and drawn. */
void           sd_test_wait_painted   (GtkWidget *widget);
/* Real key events, as a user types them: xdotool (XTEST) on the X
 * server the window is on, after giving the window the input focus;
 * args are xdotool's (e.g. "key", "ctrl+f", NULL), the main loop runs
 * meanwhile. */
void           sd_test_keys           (GtkWidget  *window,
                                       const char *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
/* The same, args a NULL-terminated array. */
void           sd_test_keysv          (GtkWidget  *window,
                                       const char * const *args);
/* A real pointer click (xdotool) with button (1: the primary, 8: back)
 * at the middle of widget, which is on screen. */
void           sd_test_click_at       (GtkWidget  *widget,
                                       guint       button);
/* Focuses widget, scrolls its scrolled window to it and waits until it
 * shows whole. */
void           sd_test_scroll_into_view (GtkWidget *widget);
/* A PNG of window (a frame painted first) in $STOREDESK_SCREENSHOT_DIR:
 * storedesk-WHAT-LANG.png (storedesk-LANG.png without what). */
void           sd_test_save_screenshot      (GtkWidget  *window,
                                             const char *what);
/* The same for a step of a flow run in mode: "-original" in its name. */
void           sd_test_save_mode_screenshot (GtkWidget  *window,
                                             const char *what,
                                             SdTestMode  mode);
/* Every drawable icon-only button has an accessible name. */
/* A window of type on show (a dialog, the shortcuts), or NULL. */
GtkWidget     *sd_test_shown_window   (GType       type);
void           sd_test_assert_buttons_named (GtkWidget  *root);

/* The widgets of type under root (itself included), depth first. */
/* The header bar's sync status of window, and whether it says the shop
 * does not answer (sd-sync-status.h). */
SdSyncStatus  *sd_test_sync_status    (gpointer    window);
gboolean       sd_test_offline_shown  (gpointer    window);
gboolean       sd_test_offline_gone   (gpointer    window);
GPtrArray     *sd_test_find_all       (GtkWidget  *root,
                                       GType       type);
/* The drawable button under root labelled msgid (as translated now),
 * or, by_tooltip, the icon-only one with that tooltip; NULL if none. */
GtkWidget     *sd_test_find_button    (GtkWidget  *root,
                                       const char *msgid,
                                       gboolean    by_tooltip);
/* The same, failing the test if there is none. */
GtkWidget     *sd_test_button_labelled (GtkWidget  *root,
                                        const char *msgid);
/* Waits until that button shows (a toast's slides in), then returns it. */
GtkWidget     *sd_test_wait_button    (GtkWidget  *root,
                                       const char *msgid);
/* What the clipboard of widget's display holds, read as another program
 * would (waits for the read). Free it. */
char          *sd_test_clipboard_text (GtkWidget  *widget);
/* Waits until a label under root shows msgid (a toast's title). */
void           sd_test_wait_label     (GtkWidget  *root,
                                       const char *msgid);
/* What a pointer press and release on a sensitive button end in. */
void           sd_test_click          (GtkWidget  *button);
GtkEditable   *sd_test_entry_titled   (GtkWidget  *root,
                                       const char *msgid);
GtkWidget     *sd_test_combo_titled   (GtkWidget  *root,
                                       const char *msgid);
/* A label on screen under root has msgid (as translated now) in it. */
gboolean       sd_test_label_shown    (GtkWidget  *root,
                                       const char *msgid);
/* The visible message dialog, or NULL. */
AdwMessageDialog *sd_test_find_dialog (void);

/* Conditions for sd_test_wait_until. */
gboolean sd_test_state_is           (SdWindow   *window,
                                     const char *state);
gboolean sd_test_shows_products     (gpointer window);
gboolean sd_test_shows_empty        (gpointer window);
gboolean sd_test_thumbnails_shown   (gpointer window);
gboolean sd_test_signed_in          (gpointer window);
gboolean sd_test_signed_out         (gpointer window);
gboolean sd_test_cart_saved         (gpointer window);
/* The grid shows only products whose name or brand has the term in the
 * window's "sd-term". */
gboolean sd_test_all_match          (gpointer window);
/* The grid shows the product named in the window's "sd-name" at the
 * price in "sd-price", with a picture. */
gboolean sd_test_grid_shows         (gpointer window);
/* The photo reached the shop: nothing queued, and the product being
 * edited has a new picture (not the window's "sd-old-image"). */
gboolean sd_test_photo_on_shop      (gpointer window);
gboolean sd_test_dialog_shown       (gpointer unused);
gboolean sd_test_checkout_done      (gpointer page);
gboolean sd_test_orders_listed      (gpointer page);
gboolean sd_test_order_detail_shown (gpointer page);
gboolean sd_test_orders_settled     (gpointer page);
gboolean sd_test_board_idle         (gpointer board);
gboolean sd_test_products_idle      (gpointer page);
gboolean sd_test_customers_idle     (gpointer page);

/* Shopping as a user does. */
/* Opens the product at position in the grid and adds count of it. */
SdProduct  *sd_test_add_first_product   (SdWindow      *window,
                                         guint          count,
                                         guint          position);
void        sd_test_fill_receiver       (GtkWidget     *page,
                                         const char    *name,
                                         const char    *phone,
                                         const char    *address);
/* Adds the product at position, checks out as a guest, and waits for the
 * order; returns it (the checkout page keeps it). */
SdOrder    *sd_test_place_guest_order   (SdWindow      *window,
                                         guint          position);
SdProduct  *sd_test_product_with_option (SdWindow      *window);
guint       sd_test_catalog_position    (SdWindow      *window,
                                         const char    *id);
const char *sd_test_choose_option       (SdProductPage *page,
                                         guint          index);
/* The order with id in orders (SdOrder; the list keeps it), or NULL. */
SdOrder    *sd_test_order_in            (GListModel    *orders,
                                         const char    *id);

/* Staff. */
char       *sd_test_write_photo         (const char    *dir,
                                         int            w,
                                         int            h);
/* The shop's product with that name, as the shop has it now (reply
 * keeps it). */
JsonObject *sd_test_shop_product        (SdTestServer  *server,
                                         const char    *name,
                                         SdTestReply  **reply);
/* Saves the new product in the editor; back once the shop has it (on
 * ours with its photo), and not refused. */
void        sd_test_save_new_product    (SdWindow      *window,
                                         SdTestMode     mode);

G_END_DECLS
