/* sd-csv.h — the catalog and orders as CSV (RFC 4180), and products back. */
#pragma once

#include "sd-admin.h"

G_BEGIN_DECLS

/* Parses RFC 4180 CSV (comma, "quoted" fields with "" inside, CRLF or LF,
 * a UTF-8 BOM allowed) into a GPtrArray of rows, each a GStrv. NULL with
 * SD_API_ERROR_INVALID_DATA (line number said) on a broken quote or bad
 * UTF-8. */
GPtrArray *sd_csv_parse            (const char  *text,
                                    gsize        length,
                                    GError     **error);
/* Appends one row, quoting where needed, with CRLF. */
void       sd_csv_append_row       (GString            *out,
                                    const char * const *fields);

/* The columns of a product CSV, in order. */
extern const char * const sd_csv_product_columns[];

/* products (SdProduct), with category names from categories (SdCategory),
 * as CSV with a header and a UTF-8 BOM (so spreadsheets read Korean). */
GBytes    *sd_csv_from_products    (GListModel  *products,
                                    GListModel  *categories);
/* orders (SdOrder) as CSV: one row per order. */
GBytes    *sd_csv_from_orders      (GListModel  *orders);

/* ---- importing products --------------------------------------------- */

typedef enum {
  SD_IMPORT_CREATE,
  SD_IMPORT_UPDATE,
  SD_IMPORT_UNCHANGED,
  SD_IMPORT_ERROR,
} SdImportAction;

#define SD_TYPE_PRODUCT_IMPORT (sd_product_import_get_type ())
G_DECLARE_FINAL_TYPE (SdProductImport, sd_product_import, SD, PRODUCT_IMPORT, GObject)

/* Reads csv (columns by header name, any order; name, category and price
 * required) and plans it against the shop as it is: categories and
 * products (every one, sd_admin_list_products). A row whose id is a
 * product of this shop updates it, any other row creates one; a category
 * named but missing is created. NULL only when the file is not a product
 * CSV at all (no header we know); row problems are kept per row. */
SdProductImport *sd_product_import_new          (GBytes           *csv,
                                                 GListModel       *categories,
                                                 GListModel       *products,
                                                 GError          **error);
guint            sd_product_import_get_n_rows   (SdProductImport  *self);
/* The row's line in the file (the header is line 1). */
guint            sd_product_import_get_line     (SdProductImport  *self,
                                                 guint             row);
SdImportAction   sd_product_import_get_action   (SdProductImport  *self,
                                                 guint             row);
const char      *sd_product_import_get_name     (SdProductImport  *self,
                                                 guint             row);
/* What is wrong with the row (translated); NULL when nothing is. */
const char      *sd_product_import_get_error    (SdProductImport  *self,
                                                 guint             row);
guint            sd_product_import_count        (SdProductImport  *self,
                                                 SdImportAction    action);
/* Categories the import would create (NULL-terminated, owned). */
const char * const *sd_product_import_get_new_categories (SdProductImport *self);

/* Creates and updates, one at a time. Refused (nothing sent) while any
 * row has an error. If the shop refuses or fails midway, what was done is
 * undone (created products and categories deleted, updated products put
 * back) before it finishes with the error: nothing is half-imported. */
void             sd_product_import_apply_async  (SdProductImport    *self,
                                                 SdAdmin            *admin,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean         sd_product_import_apply_finish (SdProductImport    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

G_END_DECLS
