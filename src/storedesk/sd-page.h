/* sd-page.c — what every page of the window is: a title, the shop it
 * shows, the state it is in, and the work it started, which dies with it.
 * Pages follow the shop: its new parts and its reconnects reach them
 * through their class's shop_changed and reload. */
#pragma once

#include <gtk/gtk.h>

#include "storedesk.h"

G_BEGIN_DECLS

typedef enum {
  SD_PAGE_STATE_LOADING,
  SD_PAGE_STATE_EMPTY,
  SD_PAGE_STATE_ERROR,
  SD_PAGE_STATE_CONTENT,
} SdPageState;

#define SD_TYPE_PAGE (sd_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (SdPage, sd_page, SD, PAGE, GtkWidget)

struct _SdPageClass
{
  GtkWidgetClass parent_class;

  /* The shop made new parts, or another shop came (shop may be NULL): drop
   * what came from the old ones. The page's cancellable is new by then. */
  void (*shop_changed) (SdPage *self,
                        SdShop *shop);
  /* Show what the shop has now (Reload; the same shop connected again). */
  void (*reload)       (SdPage *self);

  gpointer padding[6];
};

SdShop       *sd_page_get_shop        (SdPage      *self);
/* The shop's local store (of the account signed in now), or NULL. */
SdLocalStore *sd_page_get_store       (SdPage      *self);
void          sd_page_set_shop        (SdPage      *self,
                                       SdShop      *shop);
const char   *sd_page_get_title       (SdPage      *self);
void          sd_page_set_title       (SdPage      *self,
                                       const char  *title);
SdPageState   sd_page_get_state       (SdPage      *self);
void          sd_page_set_state       (SdPage      *self,
                                       SdPageState  state);
/* The work the page started: cancelled when the shop changes, when the
 * page reloads (sd_page_renew_cancellable) and when the page goes. */
GCancellable *sd_page_get_cancellable (SdPage      *self);
/* For the page's writes (a save, a delete): not cut short by a reload or
 * a reconnect, only when the page goes. */
GCancellable *sd_page_get_write_cancellable (SdPage *self);
/* Cancels what the page was doing; the new cancellable for what comes. */
GCancellable *sd_page_renew_cancellable (SdPage    *self);
void          sd_page_reload          (SdPage      *self);
/* A load of the page succeeded: it shows what the shop has. */
void          sd_page_note_loaded     (SdPage      *self);
/* A load failed: TRUE when the page should keep what it shows, because
 * it loaded in this run (sd_page_note_loaded, since the shop's parts
 * came), still has that to show (has_content), and the shop is only not
 * reachable (the window's banner says so, and reloads the page when the
 * shop answers again). FALSE: the page shows the error as before. */
gboolean      sd_page_offline_keeps   (SdPage       *self,
                                       const GError *error,
                                       gboolean      has_content);

/* What each page's class_init sets first: its dispose, how it follows the
 * shop (reload NULL: SdPage's own), and its template, ui_file among the
 * app's resources ("sd-cart-page.ui"). */
void          sd_page_class_set_up    (gpointer      klass,
                                       void        (*dispose)      (GObject *object),
                                       void        (*shop_changed) (SdPage  *self,
                                                                    SdShop  *shop),
                                       void        (*reload)       (SdPage  *self),
                                       const char   *ui_file);
/* A signal without arguments that says something changed on the page. */
guint         sd_page_class_new_signal (gpointer    klass,
                                        const char *name);

G_END_DECLS
