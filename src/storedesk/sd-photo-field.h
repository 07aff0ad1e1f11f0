/* sd-photo-field.h — a product's photo: dropped, pasted or chosen,
 * prepared off the main thread, previewed, and sent through the shop's
 * upload queue; on a shop without uploads, the reason only (the picture
 * goes by its address). Beside it, a heading (the product's name). */
#pragma once

#include <adwaita.h>

#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_PHOTO_FIELD (sd_photo_field_get_type ())
G_DECLARE_FINAL_TYPE (SdPhotoField, sd_photo_field, SD, PHOTO_FIELD, AdwBin)

/* The shop: where pictures load from ("api") and photos go ("queue"). */
void        sd_photo_field_set_api           (SdPhotoField  *self,
                                              SdApi         *api);
void        sd_photo_field_set_queue         (SdPhotoField  *self,
                                              SdUploadQueue *queue);
/* FALSE: the shop takes a picture by its address only ("takes-uploads"). */
void        sd_photo_field_set_takes_uploads (SdPhotoField  *self,
                                              gboolean       takes_uploads);
gboolean    sd_photo_field_get_takes_uploads (SdPhotoField  *self);
/* The heading beside the photo ("title"). The "drop-area" property: the
 * widget a file may be dropped on (by default the field itself).
 * Signals: "photo-held" (a photo waits for the new product to be saved)
 * and "uploaded" (product id, picture address: any product's photo
 * reached the shop, whoever queued it). */
void        sd_photo_field_set_title         (SdPhotoField  *self,
                                              const char    *title);

/* Shows product's picture and any photo of it still in the queue (NULL:
 * a new product); forgets a photo not sent yet. */
void        sd_photo_field_set_product       (SdPhotoField  *self,
                                              SdProduct     *product);
/* The product on show ("product-id"; NULL: none, or a new one). */
const char *sd_photo_field_get_product_id    (SdPhotoField  *self);
/* The new product was saved as product_id: the photo held for it (the
 * "photo-held" signal) goes to the queue. */
void        sd_photo_field_send_to           (SdPhotoField  *self,
                                              const char    *product_id);

/* What a drop, a paste or Choose Photo does with a file. */
void        sd_photo_field_take_file         (SdPhotoField  *self,
                                              GFile         *file);
/* A picture or a file from the clipboard; FALSE when it holds neither
 * (or the shop takes no photos). */
gboolean    sd_photo_field_paste             (SdPhotoField  *self);
/* The photo's state, in words ("status"; NULL: what can be done). */
const char *sd_photo_field_get_status        (SdPhotoField  *self);

G_END_DECLS
