/* sd-prep-page.h — Image Preparation: photos in, shop-ready files out. */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_PREP_PAGE (sd_prep_page_get_type ())
G_DECLARE_FINAL_TYPE (SdPrepPage, sd_prep_page, SD, PREP_PAGE, SdPage)

/* Prepares files (off the main thread, all at once), as dropping them
 * or choosing them does. */
void   sd_prep_page_add_files    (SdPrepPage *self,
                                  GListModel *files);
/* How many are still being prepared, done, and failed. */
guint  sd_prep_page_get_pending  (SdPrepPage *self);
guint  sd_prep_page_get_prepared (SdPrepPage *self);
guint  sd_prep_page_get_failed   (SdPrepPage *self);
/* Writes every prepared photo into folder (never over an existing file);
 * what Save to Folder does. */
void   sd_prep_page_save_to      (SdPrepPage *self,
                                  GFile      *folder);
guint  sd_prep_page_get_saved    (SdPrepPage *self);

/* The shop's upload queue is listed below, each picture with Try Again
 * and Do Not Send. For staff, each prepared photo can be sent to a
 * product (it joins the queue; the shop lists the products to choose
 * from). */
void   sd_prep_page_set_staff        (SdPrepPage    *self,
                                      gboolean       staff);
/* What choosing a product for the photo'th photo does. */
gboolean sd_prep_page_send_to_product (SdPrepPage   *self,
                                       guint         photo,
                                       const char   *product_id);

G_END_DECLS
