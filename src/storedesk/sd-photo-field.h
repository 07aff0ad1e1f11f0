/* sd-photo-field.h — the products page's photo: dropped, pasted or
 * chosen, prepared off the main thread, previewed, and sent through the
 * upload queue; on a shop without uploads, the picture's address only.
 * Private to the products page. */
#pragma once

#include "sd-products-admin-private.h"

G_BEGIN_DECLS

#define PREVIEW_SIZE 320

/* What the photo's state says (NULL: what can be done with it). */
void      sd_photo_field_set_text         (SdProductsAdmin *self,
                                           const char      *text);
/* Follows upload's state (NULL: none). */
void      sd_photo_field_watch            (SdProductsAdmin *self,
                                           SdUpload        *upload);
/* The last queued photo for product_id, or NULL. */
SdUpload *sd_photo_field_upload_for       (SdProductsAdmin *self,
                                           const char      *product_id);
/* Queues a prepared photo for product_id. */
void      sd_photo_field_queue            (SdProductsAdmin *self,
                                           SdPrepared      *prepared,
                                           const char      *product_id);
/* Photos or the address only, as the shop takes them. */
void      sd_photo_field_follow_shop      (SdProductsAdmin *self);

/* The upload queue's signals. */
void      sd_photo_field_queue_changed_cb (SdProductsAdmin *self);
void      sd_photo_field_uploaded_cb      (SdUploadQueue   *queue,
                                           SdUpload        *upload,
                                           const char      *image_url,
                                           gpointer         user_data);
/* Template callbacks, the drop target and Ctrl+V. */
void      sd_photo_field_retry_cb         (SdProductsAdmin *self);
void      sd_photo_field_choose_cb        (SdProductsAdmin *self);
gboolean  sd_photo_field_drop_cb          (GtkDropTarget   *target,
                                           const GValue    *value,
                                           double           x,
                                           double           y,
                                           gpointer         user_data);
gboolean  sd_photo_field_paste            (GtkWidget       *widget,
                                           GVariant        *args,
                                           gpointer         user_data);

G_END_DECLS
