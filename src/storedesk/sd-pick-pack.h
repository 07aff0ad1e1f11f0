/* sd-pick-pack.h — a pick & pack run over orders of the board: the pick
 * list by category, a box to tick per product and option, the orders of
 * the run; printed (pick list, then a packing slip per order); then each
 * order moved to its next status, with one Undo for all (on the board). */
#pragma once

#include <adwaita.h>

#include "sd-orders-board.h"
#include "storedesk.h"

G_BEGIN_DECLS

#define SD_TYPE_PICK_PACK (sd_pick_pack_get_type ())
G_DECLARE_FINAL_TYPE (SdPickPack, sd_pick_pack, SD, PICK_PACK, AdwWindow)

/* Reads the products and categories through admin, then shows the list
 * of orders (SdOrder of board's page). original: the shop is the
 * original (no receivers, sd-print.h). */
SdPickPack *sd_pick_pack_new           (SdOrdersBoard *board,
                                        SdAdmin       *admin,
                                        GPtrArray     *orders,
                                        gboolean       original);
/* NULL while it reads. */
SdPickList *sd_pick_pack_get_list      (SdPickPack    *self);
/* Lines ticked. */
guint       sd_pick_pack_get_n_picked  (SdPickPack    *self);
/* What Print… prints, straight to a PDF file (no dialog). */
gboolean    sd_pick_pack_print_to_pdf  (SdPickPack    *self,
                                        const char    *path,
                                        GError       **error);

G_END_DECLS
