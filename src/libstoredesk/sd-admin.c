/* sd-admin.c — staff calls for the catalog (categories, products,
 * pictures, deleting); each maps the shop's JSON to our models. The orders
 * board's and the accounts' calls are in sd-admin-orders.c. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-admin-private.h"
#include "sd-api-private.h"
#include "sd-models-private.h"
#include "sd-order-records-private.h"

G_DEFINE_FINAL_TYPE (SdAdmin, sd_admin, G_TYPE_OBJECT)

static void
sd_admin_finalize (GObject *object)
{
  g_clear_object (&SD_ADMIN (object)->api);
  g_clear_object (&SD_ADMIN (object)->store);
  G_OBJECT_CLASS (sd_admin_parent_class)->finalize (object);
}

static void
sd_admin_class_init (SdAdminClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_admin_finalize;
}

static void
sd_admin_init (SdAdmin *self)
{
}

SdAdmin *
sd_admin_new (SdApi *api)
{
  SdAdmin *self = g_object_new (SD_TYPE_ADMIN, NULL);

  self->api = g_object_ref (api);
  return self;
}

gboolean
sd_admin_get_original (SdAdmin *self)
{
  g_return_val_if_fail (SD_IS_ADMIN (self), FALSE);
  return sd_shop_is_original (self->api);
}

gboolean
sd_admin_get_keeps_cancelled (SdAdmin *self)
{
  g_return_val_if_fail (SD_IS_ADMIN (self), FALSE);
  return sd_api_has_feature (self->api, SD_FEATURE_CANCELLED);
}

gboolean
sd_admin_get_takes_uploads (SdAdmin *self)
{
  g_return_val_if_fail (SD_IS_ADMIN (self), TRUE);
  return !sd_api_features_known (self->api) || sd_api_has_feature (self->api, "uploads");
}

/* ---- one object back ------------------------------------------------ */

static void
object_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdFromJson from_json = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  GObject *object;

  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An unknown id: 200 with data null on the original
   * (productService.js:83, categoryService.js:16). */
  if (JSON_NODE_HOLDS_NULL (data))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                               _("The shop no longer has this. Reload the list."));
      return;
    }
  object = from_json (data, &error);
  if (object == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, object, g_object_unref);
}

void
sd_admin_call_for_object (SdAdmin *self, const char *method, const char *path, JsonNode *body, SdFromJson from_json,
                 gpointer tag, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, (gpointer) from_json, NULL);
  sd_api_call_async (self->api, method, path, body, cancellable, object_cb, task);
}

gpointer
sd_admin_object_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
sd_admin_path_with_id (const char *prefix, const char *id)
{
  g_autoptr(GString) path = g_string_new (prefix);

  g_string_append_uri_escaped (path, id, NULL, FALSE);
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* ---- categories ----------------------------------------------------- */

static JsonNode *
name_body (const char *name)
{
  JsonObject *o = json_object_new ();
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "name", name);
  json_node_take_object (n, o);
  return n;
}

void
sd_admin_create_category_async (SdAdmin *self, const char *name, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = name_body (name);

  sd_admin_call_for_object (self, "POST", SD_PATH_ADMIN_CATEGORIES, body, (SdFromJson) sd_category_new_from_json,
                   sd_admin_create_category_async, cancellable, callback, user_data);
}

void
sd_admin_rename_category_async (SdAdmin *self, const char *category_id, const char *name,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonNode) body = name_body (name);
  g_autofree char *path = sd_admin_path_with_id (SD_PATH_ADMIN_CATEGORIES "/", category_id);

  sd_admin_call_for_object (self, "PUT", path, body, (SdFromJson) sd_category_new_from_json,
                   sd_admin_rename_category_async, cancellable, callback, user_data);
}

SdCategory *
sd_admin_category_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  return sd_admin_object_finish (self, result, error);
}

/* ---- products ------------------------------------------------------- */

/* original: the original's rules (productService.js): options always
 * sent, an object {name, value: [...]} on create (its absence is a 500:
 * "options.name" of undefined, :20); on update an empty object, as its
 * PUT never changes the values (it passes "values", optionDAO.js:24 reads
 * "value", productService.js:104) and a product without its option
 * cannot be updated there at all (404, :108); no stock. */
static JsonNode *
product_body (const SdProductFields *f, gboolean original, gboolean create)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *names[] = { "name", "categoryId", "brand", "image", "description" };
  const char *values[] = { f->name, f->category_id, f->brand, f->image, f->description };

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      {
        json_builder_set_member_name (b, names[i]);
        json_builder_add_string_value (b, values[i]);
      }
  if (f->price >= 0)
    {
      json_builder_set_member_name (b, "price");
      json_builder_add_int_value (b, f->price);
    }
  if (f->stock >= -1 && !original)
    {
      json_builder_set_member_name (b, "stock");
      if (f->stock < 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, f->stock);
    }
  if (original && !create)
    {
      json_builder_set_member_name (b, "options");
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  else if (f->option_name != NULL)
    {
      json_builder_set_member_name (b, "options");
      if (*f->option_name == '\0')
        json_builder_add_null_value (b);   /* "" removes the option */
      else
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, f->option_name);
          json_builder_set_member_name (b, "value");
          json_builder_begin_array (b);
          for (guint i = 0; f->option_values && f->option_values[i]; i++)
            json_builder_add_string_value (b, f->option_values[i]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

typedef struct {
  char            *product_id;     /* NULL: create */
  JsonNode        *body;
} ProductSave;

static void
product_save_free (ProductSave *save)
{
  g_free (save->product_id);
  g_clear_pointer (&save->body, json_node_unref);
  g_free (save);
}

static void
return_product (GTask *task, JsonNode *data)
{
  GError *error = NULL;
  SdProduct *product = sd_product_new_from_json (data, &error);

  if (product == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, product, g_object_unref);
}

static void
product_reread_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    {
      g_task_return_error (task, error ? g_steal_pointer (&error)
                                       : g_error_new_literal (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                                              _("The shop no longer has this. Reload the list.")));
      return;
    }
  return_product (task, data);
}

static void
product_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  JsonNode *options;
  const char *id;
  g_autofree char *path = NULL;

  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                               _("The shop no longer has this. Reload the list."));
      return;
    }
  /* The original answers with options as an id, not the object
   * (productDAO.js:26,37): read the product again, as the shop lists it. */
  options = json_object_get_member (json_node_get_object (data), "options");
  id = sd_json_get_string (json_node_get_object (data), "_id");
  if (options && JSON_NODE_HOLDS_VALUE (options) && id && *id)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      path = sd_admin_path_with_id (SD_PATH_PRODUCTS "/", id);
      sd_api_call_async (SD_API (source), "GET", path, NULL, cancellable, product_reread_cb, g_steal_pointer (&task));
      return;
    }
  return_product (task, data);
}

static void
product_features_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SdAdmin *self = g_task_get_source_object (task);
  const SdProductFields *f = g_object_get_data (G_OBJECT (task), "sd-fields");
  ProductSave *save = g_task_get_task_data (task);
  gboolean original, create = save->product_id == NULL;
  g_autofree char *path = save->product_id ? sd_admin_path_with_id (SD_PATH_ADMIN_PRODUCTS "/", save->product_id)
                                           : g_strdup (SD_PATH_ADMIN_PRODUCTS);

  sd_shop_learn_features_finish (SD_API (source), result);
  original = sd_shop_is_original (self->api);
  if (original && create && (f->option_name == NULL || *f->option_name == '\0' ||
                             f->option_values == NULL || f->option_values[0] == NULL))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("This shop needs an option on every new product: give it a name "
                                 "and at least one value (for example Size: One size)."));
      g_object_unref (task);
      return;
    }
  if (original && create && (f->image == NULL || *f->image == '\0'))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                               _("This shop needs a picture on every new product: enter the address "
                                 "of a picture the shop already has."));
      g_object_unref (task);
      return;
    }
  save->body = product_body (f, original, create);
  g_object_set_data (G_OBJECT (task), "sd-fields", NULL);
  sd_api_call_async (self->api, create ? "POST" : "PUT", path, save->body, g_task_get_cancellable (task),
                     product_saved_cb, task);
}

/* The fields, copied for the time the features take to learn. */
typedef struct {
  SdProductFields  fields;
  char            *strings[6];   /* may hold NULLs */
} FieldsCopy;

static void
fields_copy_free (FieldsCopy *c)
{
  for (guint i = 0; i < G_N_ELEMENTS (c->strings); i++)
    g_free (c->strings[i]);
  g_strfreev ((GStrv) c->fields.option_values);
  g_free (c);
}

static FieldsCopy *
fields_copy (const SdProductFields *f)
{
  FieldsCopy *c = g_new0 (FieldsCopy, 1);
  const char *in[] = { f->name, f->category_id, f->brand, f->image, f->description, f->option_name };

  G_STATIC_ASSERT (G_N_ELEMENTS (in) == G_N_ELEMENTS (c->strings));
  c->fields = *f;
  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    c->strings[i] = g_strdup (in[i]);
  c->fields.name = c->strings[0];
  c->fields.category_id = c->strings[1];
  c->fields.brand = c->strings[2];
  c->fields.image = c->strings[3];
  c->fields.description = c->strings[4];
  c->fields.option_name = c->strings[5];
  c->fields.option_values = f->option_values ? (const char * const *) g_strdupv ((GStrv) f->option_values) : NULL;
  return c;
}

void
sd_admin_save_product_async (SdAdmin *self, const char *product_id, const SdProductFields *fields,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ProductSave *save = g_new0 (ProductSave, 1);

  g_task_set_source_tag (task, sd_admin_save_product_async);
  save->product_id = g_strdup (product_id);
  g_task_set_task_data (task, save, (GDestroyNotify) product_save_free);
  g_object_set_data_full (G_OBJECT (task), "sd-fields", fields_copy (fields), (GDestroyNotify) fields_copy_free);
  sd_shop_learn_features_async (self->api, cancellable, product_features_cb, task);
}

SdProduct *
sd_admin_product_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  return sd_admin_object_finish (self, result, error);
}

/* ---- deleting ------------------------------------------------------- */

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);

  if (data == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
sd_admin_delete_async (SdAdmin *self, SdAdminKind kind, const char *id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  static const char * const prefixes[] = {
    [SD_ADMIN_CATEGORY] = SD_PATH_ADMIN_CATEGORIES "/",
    [SD_ADMIN_PRODUCT] = SD_PATH_ADMIN_PRODUCTS "/",
    [SD_ADMIN_ORDER] = SD_PATH_ADMIN_ORDERS "/",
  };
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail ((guint) kind < G_N_ELEMENTS (prefixes));
  task = g_task_new (self, cancellable, callback, user_data);
  path = sd_admin_path_with_id (prefixes[kind], id);
  g_task_set_source_tag (task, sd_admin_delete_async);
  sd_api_call_async (self->api, "DELETE", path, NULL, cancellable, deleted_cb, task);
}

gboolean
sd_admin_delete_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- pictures ------------------------------------------------------- */

static void
put_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_api_put_bytes_finish (SD_API (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup (g_object_get_data (G_OBJECT (task), "sd-image")), g_free);
}

static GError *
no_uploads (void)
{
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_UNSUPPORTED,
                              _("This shop does not accept product pictures from Storedesk. "
                                "Add the picture on the shop’s own website."));
}

static void
granted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GBytes *bytes = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  const char *upload, *image, *type;
  GCancellable *cancellable;

  if (data == NULL)
    {
      if (g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, no_uploads ());
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  upload = JSON_NODE_HOLDS_OBJECT (data) ? sd_json_get_string (json_node_get_object (data), "uploadUrl") : NULL;
  image = JSON_NODE_HOLDS_OBJECT (data) ? sd_json_get_string (json_node_get_object (data), "imageUrl") : NULL;
  if (upload == NULL || image == NULL)
    {
      g_task_return_error (task, sd_json_bad_field ("uploads", "uploadUrl"));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "sd-image", g_strdup (image), g_free);
  type = g_object_get_data (G_OBJECT (task), "sd-type");
  cancellable = g_task_get_cancellable (task);
  sd_api_put_bytes_async (SD_API (source), upload, type, bytes, cancellable, put_done_cb, g_steal_pointer (&task));
}

void
sd_admin_upload_picture_async (SdAdmin *self, GBytes *bytes, const char *content_type,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_task_set_source_tag (task, sd_admin_upload_picture_async);
  /* A shop that told us its features and left this one out. */
  if (!sd_admin_get_takes_uploads (self))
    {
      g_task_return_error (task, no_uploads ());
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "sd-type", g_strdup (content_type), g_free);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "contentType");
  json_builder_add_string_value (b, content_type);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) g_bytes_get_size (bytes));
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  sd_api_call_async (self->api, "POST", SD_PATH_ADMIN_UPLOADS, body, cancellable, granted_cb, task);
}

char *
sd_admin_upload_picture_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the whole catalog ---------------------------------------------- */

typedef struct {
  GListStore *products;
  guint       page;
} ProductWalk;

static void
product_walk_free (ProductWalk *w)
{
  g_clear_object (&w->products);
  g_free (w);
}

static void fetch_product_page (GTask *task);

static void
product_page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ProductWalk *walk = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, &total, &error);
  g_autoptr(GPtrArray) page = data ? sd_json_to_models (data, (SdFromJson) sd_product_new_from_json,
                                                        "products", &error) : NULL;
  guint have;

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_list_store_splice (walk->products, g_list_model_get_n_items (G_LIST_MODEL (walk->products)), 0,
                       page->pdata, page->len);
  have = g_list_model_get_n_items (G_LIST_MODEL (walk->products));
  /* A shop without paging (no total) sent everything at once. */
  if (total < 0 || page->len == 0 || have >= total)
    {
      g_task_return_pointer (task, g_object_ref (walk->products), g_object_unref);
      return;
    }
  walk->page++;
  fetch_product_page (g_steal_pointer (&task));
}

static void
fetch_product_page (GTask *task)
{
  SdAdmin *self = g_task_get_source_object (task);
  ProductWalk *walk = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf (SD_PATH_PRODUCTS "?page=%u&limit=%u", walk->page, SD_PAGE_LIMIT_MAX);

  sd_api_call_async (self->api, "GET", path, NULL, g_task_get_cancellable (task), product_page_cb, task);
}

void
sd_admin_list_products_async (SdAdmin *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ProductWalk *walk = g_new0 (ProductWalk, 1);

  g_task_set_source_tag (task, sd_admin_list_products_async);
  walk->products = g_list_store_new (SD_TYPE_PRODUCT);
  walk->page = 1;
  g_task_set_task_data (task, walk, (GDestroyNotify) product_walk_free);
  fetch_product_page (task);
}

GListModel *
sd_admin_list_products_finish (SdAdmin *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
