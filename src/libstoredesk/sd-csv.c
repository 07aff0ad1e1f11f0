/* sd-csv.c — CSV in and out, and a product import that is all or nothing. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-csv.h"
#include "sd-fields.h"
#include "sd-money.h"

/* ---- RFC 4180 ------------------------------------------------------- */

GPtrArray *
sd_csv_parse (const char *text, gsize length, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text, *end = text + length;
  guint line = 1, row_line = 1;
  gboolean quoted = FALSE, was_quoted = FALSE;

  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                   _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."));
      return NULL;
    }
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end)
    {
      char c = *p++;

      if (quoted)
        {
          if (c == '"' && p < end && *p == '"')
            g_string_append_c (field, '"'), p++;
          else if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          continue;
        }
      if (c == '"' && field->len == 0 && !was_quoted)
        quoted = was_quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && p < end && *p == '\n')
            p++;
          g_ptr_array_add (row, g_strdup (field->str));
          g_ptr_array_add (row, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          row_line = ++line;
        }
      else
        g_string_append_c (field, c);
    }
  if (quoted)
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                   _("A quoted field that starts on line %u never ends. Check the quotes on that line."), row_line);
      return NULL;
    }
  if (field->len > 0 || row->len > 0 || was_quoted)
    {
      g_ptr_array_add (row, g_strdup (field->str));
      g_ptr_array_add (row, NULL);
      g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
    }
  return g_steal_pointer (&rows);
}

void
sd_csv_append_row (GString *out, const char * const *fields)
{
  for (guint i = 0; fields[i]; i++)
    {
      const char *f = fields[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (strpbrk (f, ",\"\r\n") == NULL && f[0] != ' ' && (f[0] == '\0' || f[strlen (f) - 1] != ' '))
        {
          g_string_append (out, f);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = f; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

/* ---- out ------------------------------------------------------------ */

const char * const sd_csv_product_columns[] = {
  "id", "name", "category", "brand", "price", "stock", "option", "option_values", "description", "image", NULL
};

enum { COL_ID, COL_NAME, COL_CATEGORY, COL_BRAND, COL_PRICE, COL_STOCK, COL_OPTION, COL_VALUES,
       COL_DESCRIPTION, COL_IMAGE, N_COLS };

/* Option values are joined with " | " in one cell. */
#define VALUE_SEPARATOR "|"

static const char *
category_name (GListModel *categories, const char *id)
{
  for (guint i = 0; categories && i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (categories, i);
      if (g_strcmp0 (sd_category_get_id (c), id) == 0)
        return sd_category_get_name (c);
    }
  return "";
}

GBytes *
sd_csv_from_products (GListModel *products, GListModel *categories)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  sd_csv_append_row (out, sd_csv_product_columns);
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(SdProduct) p = g_list_model_get_item (products, i);
      SdOption *option = sd_product_get_option (p);
      g_autofree char *price = g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_price (p));
      g_autofree char *stock = sd_product_get_stock (p) >= 0
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, sd_product_get_stock (p)) : g_strdup ("");
      g_autofree char *values = option ? g_strjoinv (VALUE_SEPARATOR, (GStrv) sd_option_get_values (option))
                                       : g_strdup ("");
      const char *row[N_COLS + 1] = {
        sd_product_get_id (p), sd_product_get_name (p),
        category_name (categories, sd_product_get_category_id (p)),
        sd_product_get_brand (p) ? sd_product_get_brand (p) : "", price, stock,
        option ? sd_option_get_name (option) : "", values,
        sd_product_get_description (p) ? sd_product_get_description (p) : "",
        sd_product_get_image (p) ? sd_product_get_image (p) : "", NULL
      };

      sd_csv_append_row (out, row);
    }
  return g_string_free_to_bytes (out);
}

GBytes *
sd_csv_from_orders (GListModel *orders)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  static const char * const header[] = {
    "id", "created_at", "customer", "status", "items", "items_total", "delivery_fee", "total",
    "receiver", "phone", "address", "address_detail", "memo", "lines", NULL
  };

  sd_csv_append_row (out, header);
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(SdOrder) o = g_list_model_get_item (orders, i);
      SdReceiver *r = sd_order_get_receiver (o);
      GListModel *lines = sd_order_get_lines (o);
      g_autoptr(GString) line_text = g_string_new (NULL);
      g_autofree char *created = sd_order_get_created_at (o) ? g_date_time_format_iso8601 (sd_order_get_created_at (o))
                                                             : g_strdup ("");
      g_autofree char *items = g_strdup_printf ("%u", sd_order_get_n_items (o));
      g_autofree char *items_total = g_strdup_printf ("%" G_GINT64_FORMAT, sd_order_get_items_total (o));
      g_autofree char *fee = g_strdup_printf ("%" G_GINT64_FORMAT, sd_order_get_delivery_fee (o));
      g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, sd_order_get_total (o));
      const char *row[15];

      for (guint l = 0; l < g_list_model_get_n_items (lines); l++)
        {
          g_autoptr(SdOrderLine) line = g_list_model_get_item (lines, l);

          if (l > 0)
            g_string_append (line_text, "; ");
          g_string_append_printf (line_text, "%s", sd_order_line_get_name (line) ? sd_order_line_get_name (line)
                                                                                 : sd_order_line_get_product_id (line));
          if (sd_order_line_get_option (line))
            g_string_append_printf (line_text, " (%s)", sd_order_line_get_option (line));
          g_string_append_printf (line_text, " ×%u", sd_order_line_get_count (line));
        }
      row[0] = sd_order_get_id (o);
      row[1] = created;
      row[2] = sd_order_get_is_guest (o) ? "guest" : (sd_order_get_customer_id (o) ? sd_order_get_customer_id (o) : "");
      row[3] = sd_order_get_status_wire (o) ? sd_order_get_status_wire (o) : "";
      row[4] = items;
      row[5] = items_total;
      row[6] = fee;
      row[7] = total;
      row[8] = r ? sd_receiver_get_name (r) : "";
      row[9] = r ? sd_receiver_get_phone_number (r) : "";
      row[10] = r ? sd_receiver_get_address (r) : "";
      row[11] = r && sd_receiver_get_address_detail (r) ? sd_receiver_get_address_detail (r) : "";
      row[12] = sd_order_get_memo (o) ? sd_order_get_memo (o) : "";
      row[13] = line_text->str;
      row[14] = NULL;
      sd_csv_append_row (out, row);
    }
  return g_string_free_to_bytes (out);
}

/* ---- in -------------------------------------------------------------- */

typedef struct {
  guint           line;
  SdImportAction  action;
  char           *error;
  char           *id;            /* UPDATE: the product's */
  char           *name;
  char           *category;      /* by name */
  char           *brand;
  gint64          price;
  gint64          stock;         /* -1: not tracked */
  char           *option;
  GStrv           values;
  char           *description;
  char           *image;
  SdProduct      *before;        /* UPDATE: as it was, to put back */
} Row;

static void
row_free (Row *r)
{
  g_free (r->error);
  g_free (r->id);
  g_free (r->name);
  g_free (r->category);
  g_free (r->brand);
  g_free (r->option);
  g_strfreev (r->values);
  g_free (r->description);
  g_free (r->image);
  g_clear_object (&r->before);
  g_free (r);
}

struct _SdProductImport
{
  GObject     parent_instance;
  GPtrArray  *rows;              /* Row */
  GHashTable *category_ids;      /* name → id, the shop's and (while applying) new ones */
  GStrv       new_categories;

  /* while applying */
  SdAdmin    *admin;
  guint       next;
  guint       next_category;
  GPtrArray  *created_products;  /* ids */
  GPtrArray  *created_categories;
  GPtrArray  *updated;           /* Row *, borrowed */
  GError     *failure;
};

G_DEFINE_FINAL_TYPE (SdProductImport, sd_product_import, G_TYPE_OBJECT)

static void
sd_product_import_finalize (GObject *object)
{
  SdProductImport *self = SD_PRODUCT_IMPORT (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->category_ids, g_hash_table_unref);
  g_clear_pointer (&self->new_categories, g_strfreev);
  g_clear_pointer (&self->created_products, g_ptr_array_unref);
  g_clear_pointer (&self->created_categories, g_ptr_array_unref);
  g_clear_pointer (&self->updated, g_ptr_array_unref);
  g_clear_error (&self->failure);
  g_clear_object (&self->admin);
  G_OBJECT_CLASS (sd_product_import_parent_class)->finalize (object);
}

static void
sd_product_import_class_init (SdProductImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_product_import_finalize;
}

static void
sd_product_import_init (SdProductImport *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
parse_whole (const char *text, gint64 min, gint64 max, gint64 *out)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  guint64 v;

  /* "12,000" and " 12000 " as a spreadsheet writes them. */
  for (const char *p = text; *p; p++)
    if (*p != ',' && *p != ' ')
      g_string_append_c (digits, *p);
  if (digits->len == 0 || !g_ascii_string_to_unsigned (digits->str, 10, min, max, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static char *
check_row (Row *r)
{
  SdProductFields f = {
    .name = r->name, .brand = r->brand, .description = r->description, .image = r->image,
    .price = -1, .stock = -1, .option_name = r->option, .option_values = (const char * const *) r->values,
  };
  SdProductField bad = sd_fields_check_product (&f, FALSE);

  if (bad == SD_PRODUCT_FIELD_NAME)
    return g_strdup_printf (_("A name is 1 to %u characters."), SD_PRODUCT_NAME_MAX);
  if (!sd_field_is_category_name (r->category))
    return g_strdup (_("A category is named with 1 to 30 letters, digits or spaces."));
  switch (bad)
    {
    case SD_PRODUCT_FIELD_BRAND:
      return g_strdup_printf (_("A brand is at most %u characters."), SD_BRAND_MAX);
    case SD_PRODUCT_FIELD_DESCRIPTION:
      return g_strdup_printf (_("A description is at most %u characters."), SD_DESCRIPTION_MAX);
    case SD_PRODUCT_FIELD_IMAGE:
      return g_strdup_printf (_("An image path is at most %u characters."), SD_IMAGE_MAX);
    case SD_PRODUCT_FIELD_OPTION_NAME:
      if (!*r->option)
        return g_strdup (_("Option values need an option name."));
      return g_strdup (_("An option needs a name of at most 30 characters and its values, separated by “|”."));
    case SD_PRODUCT_FIELD_OPTION_VALUES:
      if (r->values == NULL)
        return g_strdup (_("An option needs a name of at most 30 characters and its values, separated by “|”."));
      return g_strdup_printf (_("An option has at most %u values."), SD_OPTION_VALUES_MAX);
    case SD_PRODUCT_FIELD_OPTION_VALUE:
      return g_strdup (_("Each option value is 1 to 50 characters."));
    default:
      return NULL;
    }
}

static gboolean
same_as (Row *r, SdProduct *p, const char *category_id)
{
  SdOption *o = sd_product_get_option (p);

  return g_strcmp0 (r->name, sd_product_get_name (p)) == 0 &&
         g_strcmp0 (category_id, sd_product_get_category_id (p)) == 0 &&
         g_strcmp0 (r->brand, sd_product_get_brand (p) ? sd_product_get_brand (p) : "") == 0 &&
         r->price == sd_product_get_price (p) && r->stock == MAX (sd_product_get_stock (p), -1) &&
         g_strcmp0 (r->description, sd_product_get_description (p) ? sd_product_get_description (p) : "") == 0 &&
         g_strcmp0 (r->image, sd_product_get_image (p) ? sd_product_get_image (p) : "") == 0 &&
         (o ? (g_strcmp0 (r->option, sd_option_get_name (o)) == 0 && r->values &&
               g_strv_equal ((const char * const *) r->values, sd_option_get_values (o)))
            : !*r->option);
}

static GStrv
split_values (const char *cell)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  parts = g_strsplit (cell ? cell : "", VALUE_SEPARATOR, -1);
  for (guint i = 0; parts[i]; i++)
    {
      char *v = g_strstrip (g_strdup (parts[i]));
      /* An empty cell is no values; an empty value among others is an error. */
      if (*v || g_strv_length (parts) > 1)
        g_ptr_array_add (out, v);
      else
        g_free (v);
    }
  if (out->len == 0)
    return NULL;
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_steal (out, NULL);
}

SdProductImport *
sd_product_import_new (GBytes *csv, GListModel *categories, GListModel *products, GError **error)
{
  g_autoptr(SdProductImport) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) new_categories = g_ptr_array_new ();
  int col[N_COLS];
  gsize size;
  const char *data = g_bytes_get_data (csv, &size);
  GStrv header;
  guint n_header;

  rows = sd_csv_parse (data ? data : "", size, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, _("The file is empty."));
      return NULL;
    }
  header = rows->pdata[0];
  n_header = g_strv_length (header);
  for (guint c = 0; c < N_COLS; c++)
    {
      col[c] = -1;
      for (guint h = 0; h < n_header; h++)
        if (g_ascii_strcasecmp (g_strstrip (header[h]), sd_csv_product_columns[c]) == 0)
          col[c] = (int) h;
    }
  if (col[COL_NAME] < 0 || col[COL_CATEGORY] < 0 || col[COL_PRICE] < 0)
    {
      g_set_error (error, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                   _("This is not a product list: its first line needs the columns name, category and price "
                     "(a catalog exported from Storedesk has them)."));
      return NULL;
    }

  self = g_object_new (SD_TYPE_PRODUCT_IMPORT, NULL);
  for (guint i = 0; categories && i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(SdCategory) c = g_list_model_get_item (categories, i);
      g_hash_table_insert (self->category_ids, g_strdup (sd_category_get_name (c)),
                           g_strdup (sd_category_get_id (c)));
    }
  for (guint i = 0; products && i < g_list_model_get_n_items (products); i++)
    {
      SdProduct *p = g_list_model_get_item (products, i);
      g_hash_table_insert (by_id, (gpointer) sd_product_get_id (p), p);
      g_object_unref (p);   /* the model keeps it */
    }

  for (guint i = 1; i < rows->len; i++)
    {
      GStrv cells = rows->pdata[i];
      guint n = g_strv_length (cells);
      Row *r = g_new0 (Row, 1);
      const char *cell[N_COLS];
      gboolean blank = TRUE;
      const char *id;

      for (guint c = 0; c < n; c++)
        blank = blank && *g_strstrip (cells[c]) == '\0';
      if (blank)
        {
          g_free (r);
          continue;
        }
      r->line = i + 1;
      g_ptr_array_add (self->rows, r);
      for (guint c = 0; c < N_COLS; c++)
        cell[c] = col[c] >= 0 && (guint) col[c] < n ? cells[col[c]] : "";
      r->name = g_strdup (cell[COL_NAME]);
      r->category = g_strdup (cell[COL_CATEGORY]);
      r->brand = g_strdup (cell[COL_BRAND]);
      r->option = g_strdup (cell[COL_OPTION]);
      r->values = split_values (cell[COL_VALUES]);
      r->description = g_strdup (cell[COL_DESCRIPTION]);
      r->image = g_strdup (cell[COL_IMAGE]);
      if (n != n_header)
        r->error = g_strdup_printf (_("This line has %u fields; the first line has %u."), n, n_header);
      else if (!parse_whole (cell[COL_PRICE], 0, SD_PRICE_MAX, &r->price))
        r->error = g_strdup_printf (_("The price “%s” is not a whole number of won from 0 to 100,000,000."),
                                    cell[COL_PRICE]);
      else if (*cell[COL_STOCK] && !parse_whole (cell[COL_STOCK], 0, SD_STOCK_MAX, &r->stock))
        r->error = g_strdup_printf (_("The stock “%s” is not a whole number from 0 to 1,000,000 (leave it empty when not counted)."),
                                    cell[COL_STOCK]);
      else
        r->error = check_row (r);
      if (!*cell[COL_STOCK])
        r->stock = -1;

      id = cell[COL_ID];
      if (r->error == NULL && *id && g_hash_table_contains (seen, id))
        r->error = g_strdup_printf (_("The product id %s is on an earlier line too."), id);
      if (*id)
        g_hash_table_add (seen, (gpointer) id);
      if (r->error)
        {
          r->action = SD_IMPORT_ERROR;
          continue;
        }
      if (!g_hash_table_contains (self->category_ids, r->category) &&
          !g_ptr_array_find_with_equal_func (new_categories, r->category, g_str_equal, NULL))
        g_ptr_array_add (new_categories, r->category);
      if (*id && g_hash_table_contains (by_id, id))
        {
          SdProduct *p = g_hash_table_lookup (by_id, id);

          r->id = g_strdup (id);
          r->before = g_object_ref (p);
          r->action = same_as (r, p, g_hash_table_lookup (self->category_ids, r->category))
                      ? SD_IMPORT_UNCHANGED : SD_IMPORT_UPDATE;
        }
      else
        r->action = SD_IMPORT_CREATE;
    }
  g_ptr_array_add (new_categories, NULL);
  self->new_categories = g_strdupv ((GStrv) new_categories->pdata);
  return g_steal_pointer (&self);
}

#define ROW(self, i) ((Row *) g_ptr_array_index ((self)->rows, (i)))

guint sd_product_import_get_n_rows (SdProductImport *self) { return self->rows->len; }
guint sd_product_import_get_line (SdProductImport *self, guint row) { return ROW (self, row)->line; }
SdImportAction sd_product_import_get_action (SdProductImport *self, guint row) { return ROW (self, row)->action; }
const char *sd_product_import_get_name (SdProductImport *self, guint row) { return ROW (self, row)->name; }
const char *sd_product_import_get_error (SdProductImport *self, guint row) { return ROW (self, row)->error; }
const char * const *sd_product_import_get_new_categories (SdProductImport *self)
{
  return (const char * const *) self->new_categories;
}

guint
sd_product_import_count (SdProductImport *self, SdImportAction action)
{
  guint n = 0;

  for (guint i = 0; i < self->rows->len; i++)
    n += ROW (self, i)->action == action;
  return n;
}

/* ---- applying, and undoing ------------------------------------------- */

static void apply_next (GTask *task);
static void undo_next (GTask *task);

static void
fields_of_row (SdProductImport *self, Row *r, SdProductFields *f)
{
  memset (f, 0, sizeof *f);
  f->name = r->name;
  f->category_id = g_hash_table_lookup (self->category_ids, r->category);
  f->brand = r->brand;
  f->price = r->price;
  f->image = r->image;
  f->description = r->description;
  f->stock = r->stock;
  f->option_name = *r->option ? r->option : NULL;
  f->option_values = (const char * const *) r->values;
}

static void
fail (GTask *task, GError *error)
{
  SdProductImport *self = g_task_get_source_object (task);

  if (self->failure == NULL)
    self->failure = error;
  else
    g_error_free (error);
  undo_next (task);
}

static void
category_created_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdProductImport *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(SdCategory) c = sd_admin_category_finish (SD_ADMIN (source), result, &error);

  if (c == NULL)
    {
      g_prefix_error (&error, _("The category “%s” could not be created: "), self->new_categories[self->next_category]);
      fail (g_steal_pointer (&task), error);
      return;
    }
  g_ptr_array_add (self->created_categories, g_strdup (sd_category_get_id (c)));
  g_hash_table_insert (self->category_ids, g_strdup (self->new_categories[self->next_category]),
                       g_strdup (sd_category_get_id (c)));
  self->next_category++;
  apply_next (g_steal_pointer (&task));
}

static void
product_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdProductImport *self = g_task_get_source_object (task);
  Row *r = ROW (self, self->next);
  GError *error = NULL;
  g_autoptr(SdProduct) p = sd_admin_product_finish (SD_ADMIN (source), result, &error);

  if (p == NULL)
    {
      g_prefix_error (&error, _("Line %u (%s): "), r->line, r->name);
      fail (g_steal_pointer (&task), error);
      return;
    }
  if (r->action == SD_IMPORT_CREATE)
    g_ptr_array_add (self->created_products, g_strdup (sd_product_get_id (p)));
  else
    g_ptr_array_add (self->updated, r);
  self->next++;
  apply_next (g_steal_pointer (&task));
}

static void
apply_next (GTask *task)
{
  SdProductImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      fail (task, error);
      return;
    }
  if (self->new_categories[self->next_category])
    {
      sd_admin_create_category_async (self->admin, self->new_categories[self->next_category], cancellable,
                                      category_created_cb, task);
      return;
    }
  while (self->next < self->rows->len && ROW (self, self->next)->action == SD_IMPORT_UNCHANGED)
    self->next++;
  if (self->next < self->rows->len)
    {
      Row *r = ROW (self, self->next);
      SdProductFields f;

      fields_of_row (self, r, &f);
      sd_admin_save_product_async (self->admin, r->action == SD_IMPORT_UPDATE ? r->id : NULL, &f, cancellable,
                                   product_saved_cb, task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Undoing runs without the caller's cancellable: it must finish. A step
 * that fails is counted and the rest still tried. */
static void
undone_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_object_get_data (G_OBJECT (task), "sd-undo-restore"))
    {
      g_autoptr(SdProduct) p = sd_admin_product_finish (SD_ADMIN (source), result, &error);
      ok = p != NULL;
    }
  else
    ok = sd_admin_delete_finish (SD_ADMIN (source), result, &error);
  if (!ok)
    {
      guint left = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "sd-undo-left")) + 1;

      g_object_set_data (G_OBJECT (task), "sd-undo-left", GUINT_TO_POINTER (left));
      g_warning ("undoing an import step failed: %s", error->message);
    }
  undo_next (g_steal_pointer (&task));
}

static void
undo_next (GTask *task)
{
  SdProductImport *self = g_task_get_source_object (task);
  guint left;

  g_object_set_data (G_OBJECT (task), "sd-undo-restore", NULL);
  if (self->created_products->len > 0)
    {
      g_autofree char *id = g_ptr_array_steal_index (self->created_products, self->created_products->len - 1);
      sd_admin_delete_async (self->admin, SD_ADMIN_PRODUCT, id, NULL, undone_cb, task);
      return;
    }
  if (self->updated->len > 0)
    {
      Row *r = g_ptr_array_steal_index (self->updated, self->updated->len - 1);
      SdProduct *p = r->before;
      SdOption *o = sd_product_get_option (p);
      SdProductFields f = {
        .name = sd_product_get_name (p), .category_id = sd_product_get_category_id (p),
        .brand = sd_product_get_brand (p) ? sd_product_get_brand (p) : "", .price = sd_product_get_price (p),
        .image = sd_product_get_image (p) ? sd_product_get_image (p) : "",
        .description = sd_product_get_description (p) ? sd_product_get_description (p) : "",
        .stock = MAX (sd_product_get_stock (p), -1),
        .option_name = o ? sd_option_get_name (o) : NULL, .option_values = o ? sd_option_get_values (o) : NULL,
      };

      g_object_set_data (G_OBJECT (task), "sd-undo-restore", GINT_TO_POINTER (TRUE));
      sd_admin_save_product_async (self->admin, r->id, &f, NULL, undone_cb, task);
      return;
    }
  if (self->created_categories->len > 0)
    {
      g_autofree char *id = g_ptr_array_steal_index (self->created_categories, self->created_categories->len - 1);
      sd_admin_delete_async (self->admin, SD_ADMIN_CATEGORY, id, NULL, undone_cb, task);
      return;
    }
  left = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "sd-undo-left"));
  if (g_error_matches (self->failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (left == 0)
    g_prefix_error (&self->failure, "%s ", _("Nothing was imported: what had been done is undone."));
  else
    g_prefix_error (&self->failure, "%s ",
                    _("The import stopped, and undoing it did not finish: check the catalog before importing again."));
  g_task_return_error (task, g_steal_pointer (&self->failure));
  g_object_unref (task);
}

void
sd_product_import_apply_async (SdProductImport *self, SdAdmin *admin, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_product_import_apply_async);
  if (sd_product_import_count (self, SD_IMPORT_ERROR) > 0)
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("Some lines have problems; mend them in the file and import it again."));
      g_object_unref (task);
      return;
    }
  if (self->admin != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "an import is applied once");
      g_object_unref (task);
      return;
    }
  self->admin = g_object_ref (admin);
  self->created_products = g_ptr_array_new_with_free_func (g_free);
  self->created_categories = g_ptr_array_new_with_free_func (g_free);
  self->updated = g_ptr_array_new ();
  apply_next (task);
}

gboolean
sd_product_import_apply_finish (SdProductImport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
