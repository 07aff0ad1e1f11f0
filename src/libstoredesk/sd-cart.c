/* sd-cart.c — the cart in memory, and its atomic copy on disk.
 *
 * Every change is written with g_file_replace_contents (a temporary file
 * renamed over the old one), so a crash mid-write leaves the old cart or
 * the new one, never half. Writes are serialised: a change during a write
 * is saved right after it. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sd-cart.h"
#include "sd-list-model-private.h"
#include "sd-models-private.h"
#include "sd-shop-identity-private.h"

/* ---- lines ---------------------------------------------------------- */

struct _SdCartLine
{
  GObject  parent_instance;
  SdLine   line;
};

G_DEFINE_FINAL_TYPE (SdCartLine, sd_cart_line, G_TYPE_OBJECT)

enum { LINE_PROP_0, LINE_PROP_COUNT, LINE_N_PROPS };
static GParamSpec *line_properties[LINE_N_PROPS];

static void
sd_cart_line_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case LINE_PROP_COUNT: g_value_set_uint (value, SD_CART_LINE (object)->line.count); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_cart_line_finalize (GObject *object)
{
  sd_line_clear (&SD_CART_LINE (object)->line);
  G_OBJECT_CLASS (sd_cart_line_parent_class)->finalize (object);
}

static void
sd_cart_line_class_init (SdCartLineClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = sd_cart_line_get_property;
  G_OBJECT_CLASS (klass)->finalize = sd_cart_line_finalize;
  line_properties[LINE_PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 1, SD_CART_MAX_COUNT, 1,
                                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                        G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), LINE_N_PROPS, line_properties);
}

static void
sd_cart_line_init (SdCartLine *self)
{
}

const char *sd_cart_line_get_product_id (SdCartLine *self) { return self->line.product_id; }
const char *sd_cart_line_get_name (SdCartLine *self) { return self->line.name; }
const char *sd_cart_line_get_image (SdCartLine *self) { return self->line.image; }
const char *sd_cart_line_get_option (SdCartLine *self) { return self->line.option; }
gint64 sd_cart_line_get_price (SdCartLine *self) { return self->line.price; }
guint sd_cart_line_get_count (SdCartLine *self) { return self->line.count; }

/* ---- the cart ------------------------------------------------------- */

struct _SdCart
{
  GObject    parent_instance;
  GFile     *file;
  GPtrArray *lines;         /* SdCartLine */
  gint64     delivery_fee;
  gboolean   saving;
  gboolean   dirty;         /* changed while saving */
};

static void sd_cart_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdCart, sd_cart, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sd_cart_list_model_iface_init))

enum { PROP_0, PROP_ITEMS_TOTAL, PROP_TOTAL, PROP_N_ITEMS, PROP_SAVING, N_PROPS };
static GParamSpec *properties[N_PROPS];

SD_PTR_ARRAY_LIST_MODEL (sd_cart, SdCart, SD_CART, lines, SD_TYPE_CART_LINE)

static void
sd_cart_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdCart *self = SD_CART (object);

  switch (prop_id)
    {
    case PROP_ITEMS_TOTAL: g_value_set_int64 (value, sd_cart_get_items_total (self)); break;
    case PROP_TOTAL: g_value_set_int64 (value, sd_cart_get_total (self)); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->lines->len); break;
    case PROP_SAVING: g_value_set_boolean (value, self->saving); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_cart_finalize (GObject *object)
{
  SdCart *self = SD_CART (object);

  g_ptr_array_unref (self->lines);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (sd_cart_parent_class)->finalize (object);
}

static void
sd_cart_class_init (SdCartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_cart_get_property;
  object_class->finalize = sd_cart_finalize;
  properties[PROP_ITEMS_TOTAL] = g_param_spec_int64 ("items-total", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SAVING] = g_param_spec_boolean ("saving", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_cart_init (SdCart *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_object_unref);
  self->delivery_fee = SD_DELIVERY_FEE_DEFAULT;
}

SdCart *
sd_cart_new_for_file (GFile *file)
{
  SdCart *self = g_object_new (SD_TYPE_CART, NULL);

  self->file = g_object_ref (file);
  return self;
}

SdCart *
sd_cart_new (const char *shop_key)
{
  g_autofree char *path = sd_shop_cart_path (shop_key);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return sd_cart_new_for_file (file);
}

/* ---- saving --------------------------------------------------------- */

static GBytes *
serialize (SdCart *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->lines->len; i++)
    {
      SdCartLine *l = self->lines->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "productId");
      json_builder_add_string_value (b, l->line.product_id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, l->line.name);
      json_builder_set_member_name (b, "image");
      json_builder_add_string_value (b, l->line.image ? l->line.image : "");
      json_builder_set_member_name (b, "option");
      if (l->line.option)
        json_builder_add_string_value (b, l->line.option);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "price");
      json_builder_add_int_value (b, l->line.price);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, l->line.count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  return g_bytes_new_take (text, strlen (text));
}

static void save (SdCart *self);

static void
set_saving (SdCart *self, gboolean saving)
{
  self->saving = saving;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SdCart *self = source;
  GBytes *bytes = task_data;
  g_autoptr(GFile) dir = g_file_get_parent (self->file);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!g_file_make_directory_with_parents (dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);
  /* A temporary file renamed over the old one: all or nothing. */
  if (!g_file_replace_contents (self->file, data, len, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SdCart *self = SD_CART (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("the cart could not be saved: %s", error->message);
  if (self->dirty)
    {
      self->dirty = FALSE;
      self->saving = FALSE;
      save (self);
      return;
    }
  set_saving (self, FALSE);
}

static void
save (SdCart *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->saving)
    {
      self->dirty = TRUE;   /* saved again when this write is done */
      return;
    }
  set_saving (self, TRUE);
  task = g_task_new (self, NULL, saved_cb, NULL);
  g_task_set_task_data (task, serialize (self), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, save_thread);
}

static void
changed (SdCart *self, guint position, guint removed, guint added)
{
  if (removed || added)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  save (self);
}

/* ---- loading -------------------------------------------------------- */

static SdCartLine *
line_from_json (JsonObject *o)
{
  SdCartLine *l;
  const char *id = json_object_get_string_member_with_default (o, "productId", NULL);
  const char *name = json_object_get_string_member_with_default (o, "name", NULL);
  gint64 price = json_object_get_int_member_with_default (o, "price", -1);
  gint64 count = json_object_get_int_member_with_default (o, "count", 0);

  if (id == NULL || *id == '\0' || name == NULL || price < 0 || count < 1 || count > SD_CART_MAX_COUNT)
    return NULL;
  l = g_object_new (SD_TYPE_CART_LINE, NULL);
  l->line.product_id = g_strdup (id);
  l->line.name = g_strdup (name);
  l->line.image = g_strdup (json_object_get_string_member_with_default (o, "image", ""));
  if (json_object_has_member (o, "option") && !json_object_get_null_member (o, "option"))
    l->line.option = g_strdup (json_object_get_string_member_with_default (o, "option", NULL));
  l->line.price = price;
  l->line.count = (guint) count;
  return l;
}

static GPtrArray *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *root, *node;
  JsonArray *array;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (node = json_object_get_member (json_node_get_object (root), "lines")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      SdCartLine *l = JSON_NODE_HOLDS_OBJECT (e) ? line_from_json (json_node_get_object (e)) : NULL;

      if (l == NULL)
        return NULL;
      g_ptr_array_add (lines, l);
    }
  return g_steal_pointer (&lines);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCart *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autoptr(GPtrArray) lines = NULL;
  guint removed;

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_boolean (task, TRUE);   /* no cart yet */
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  lines = parse (bytes);
  if (lines == NULL)
    {
      /* Keep what was there for a person to look at; start empty. */
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *path = g_file_get_path (self->file);
      g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);
      g_autoptr(GFile) aside_file = g_file_new_for_path (aside);

      g_file_move (self->file, aside_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
      g_message ("the saved cart could not be read; it was kept as %s", aside);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The saved cart could not be read, so the cart starts empty. "
                                 "The old file was kept as %s."), aside);
      return;
    }
  removed = self->lines->len;
  g_ptr_array_unref (self->lines);
  self->lines = g_steal_pointer (&lines);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->lines->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_task_return_boolean (task, TRUE);
}

void
sd_cart_load_async (SdCart *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_cart_load_async);
  g_file_load_bytes_async (self->file, cancellable, loaded_cb, task);
}

gboolean
sd_cart_load_finish (SdCart *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- changes -------------------------------------------------------- */

void
sd_cart_add (SdCart *self, SdProduct *product, const char *option, guint count)
{
  SdCartLine *l;

  g_return_if_fail (SD_IS_CART (self));
  g_return_if_fail (SD_IS_PRODUCT (product));
  if (count == 0)
    return;
  for (guint i = 0; i < self->lines->len; i++)
    {
      l = self->lines->pdata[i];
      if (g_strcmp0 (l->line.product_id, sd_product_get_id (product)) == 0 && g_strcmp0 (l->line.option, option) == 0)
        {
          l->line.count = MIN (SD_CART_MAX_COUNT, l->line.count + count);
          l->line.price = sd_product_get_price (product);   /* the newest price we saw */
          g_object_notify_by_pspec (G_OBJECT (l), line_properties[LINE_PROP_COUNT]);
          changed (self, i, 0, 0);
          return;
        }
    }
  l = g_object_new (SD_TYPE_CART_LINE, NULL);
  l->line.product_id = g_strdup (sd_product_get_id (product));
  l->line.name = g_strdup (sd_product_get_name (product));
  l->line.image = g_strdup (sd_product_get_image (product));
  l->line.option = g_strdup (option);
  l->line.price = sd_product_get_price (product);
  l->line.count = MIN (SD_CART_MAX_COUNT, count);
  g_ptr_array_add (self->lines, l);
  changed (self, self->lines->len - 1, 0, 1);
}

void
sd_cart_set_count (SdCart *self, guint position, guint count)
{
  SdCartLine *l;

  g_return_if_fail (SD_IS_CART (self));
  g_return_if_fail (position < self->lines->len);
  if (count == 0)
    {
      g_ptr_array_remove_index (self->lines, position);
      changed (self, position, 1, 0);
      return;
    }
  l = self->lines->pdata[position];
  l->line.count = MIN (SD_CART_MAX_COUNT, count);
  g_object_notify_by_pspec (G_OBJECT (l), line_properties[LINE_PROP_COUNT]);
  changed (self, position, 0, 0);
}

SdCartLine *
sd_cart_take (SdCart *self, guint position)
{
  SdCartLine *l;

  g_return_val_if_fail (SD_IS_CART (self), NULL);
  g_return_val_if_fail (position < self->lines->len, NULL);
  l = g_ptr_array_steal_index (self->lines, position);
  changed (self, position, 1, 0);
  return l;
}

void
sd_cart_put_back (SdCart *self, SdCartLine *line, guint position)
{
  g_return_if_fail (SD_IS_CART (self));
  g_return_if_fail (SD_IS_CART_LINE (line));
  position = MIN (position, self->lines->len);
  g_ptr_array_insert (self->lines, (gint) position, g_object_ref (line));
  changed (self, position, 0, 1);
}

void
sd_cart_clear (SdCart *self)
{
  guint removed;

  g_return_if_fail (SD_IS_CART (self));
  removed = self->lines->len;
  g_ptr_array_set_size (self->lines, 0);
  changed (self, 0, removed, 0);
}

gboolean
sd_cart_update_price (SdCart *self, const char *product_id, gint64 price)
{
  gboolean any = FALSE;

  g_return_val_if_fail (SD_IS_CART (self), FALSE);
  for (guint i = 0; i < self->lines->len; i++)
    {
      SdCartLine *l = self->lines->pdata[i];

      if (g_strcmp0 (l->line.product_id, product_id) == 0 && l->line.price != price && price >= 0)
        {
          l->line.price = price;
          any = TRUE;
        }
    }
  if (any)
    changed (self, 0, 0, 0);
  return any;
}

gint64
sd_cart_get_items_total (SdCart *self)
{
  gint64 total = 0;

  g_return_val_if_fail (SD_IS_CART (self), 0);
  for (guint i = 0; i < self->lines->len; i++)
    {
      SdCartLine *l = self->lines->pdata[i];
      total += l->line.price * l->line.count;
    }
  return total;
}

gint64
sd_cart_get_delivery_fee (SdCart *self)
{
  g_return_val_if_fail (SD_IS_CART (self), 0);
  return self->delivery_fee;
}

void
sd_cart_set_delivery_fee (SdCart *self, gint64 fee)
{
  g_return_if_fail (SD_IS_CART (self));
  self->delivery_fee = MAX (0, fee);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

gint64
sd_cart_get_total (SdCart *self)
{
  g_return_val_if_fail (SD_IS_CART (self), 0);
  return self->lines->len ? sd_cart_get_items_total (self) + self->delivery_fee : 0;
}

gboolean
sd_cart_get_saving (SdCart *self)
{
  g_return_val_if_fail (SD_IS_CART (self), FALSE);
  return self->saving;
}
