/* sd-server-original-catalog.c — categories, products and options as the
 * original answers them (sd-server-original.h). Its routers:
 * router/categoryRouter.js, router/productRouter.js and the catalog half
 * of router/adminRouter.js. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-original.h"

#define CATEGORY_MISSING "해당 카테고리가 존재하지 않습니다"

/* A product as the original answers it: no `stock` (ours); after a
 * write, `options` is the option set's id, not the object: the write
 * answers the saved document, never populated (productDAO.js:26,37). */
static JsonNode *
as_original (JsonNode *product, gboolean written)
{
  JsonObject *o = json_node_get_object (product);
  JsonNode *options = json_object_get_member (o, "options");

  json_object_remove_member (o, "stock");
  if (written && options && JSON_NODE_HOLDS_OBJECT (options))
    json_object_set_string_member (o, "options",
                                   json_object_get_string_member (json_node_get_object (options), "_id"));
  return product;
}

/* GET by id: an unknown id is 200 with data null (the controllers pass
 * the DAO's null on, categoryController.js:15-23,
 * productController.js:23-31,90-98); an id that is no ObjectId a 500
 * CastError. */
static gboolean
check_id (SdServerRequest *req, const char *id, const char *model)
{
  if (sd_orig_is_object_id (id))
    return TRUE;
  sd_orig_fail_cast (req, id, "_id", model);
  return FALSE;
}

/* ---- categories ------------------------------------------------------ */

static void
list_categories (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *list;

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC))
    return;
  /* ?name= is read and never used (categoryController.js:27,
   * categoryService.js:22). */
  list = sd_server_store_list_categories (sd_server_context_get_store (req->context), NULL, &error);
  if (list == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, list);
}

static void
get_category (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *one;

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC) || !check_id (req, req->params[0], "Category"))
    return;
  one = sd_server_store_get_category (sd_server_context_get_store (req->context), req->params[0], &error);
  if (one == NULL && error)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, one);
}

/* The name rule (middleware/categoryMiddleware.js) is never mounted: any
 * string will do; only a missing one fails mongoose's required. */
static void
create_category (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *name;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN))
    return;
  name = sd_orig_string (req, "name");
  if (name == NULL || *name == '\0')
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "Category validation failed: name: Path `name` is required.");
  id = sd_server_store_create_category (store, name, &error);
  /* Ours keeps category names unique; the original does not. */
  if (id == NULL && g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
    return sd_orig_fail (req, SOUP_STATUS_CONFLICT, "A category of that name exists.");
  if (id == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_CREATED, sd_server_store_get_category (store, id, NULL));
}

/* PUT and DELETE of an unknown id are 404 (categoryService.js:30,43),
 * not the GET's null. */
static void
rename_category (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) old = NULL;
  const char *name;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN) || !check_id (req, req->params[0], "Category"))
    return;
  if ((old = sd_server_store_get_category (store, req->params[0], NULL)) == NULL)
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, CATEGORY_MISSING);
  name = sd_orig_string (req, "name");
  if (name && *name == '\0')
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "Validation failed: name: Path `name` is required.");
  /* An absent name changes nothing (mongoose drops undefined). */
  if (name && !sd_server_store_rename_category (store, req->params[0], name, NULL, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_orig_fail (req, SOUP_STATUS_CONFLICT, "A category of that name exists.");
      return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
    }
  sd_orig_reply (req, SOUP_STATUS_OK, sd_server_store_get_category (store, req->params[0], NULL));
}

static void
delete_category (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN) || !check_id (req, req->params[0], "Category"))
    return;
  if (sd_server_store_delete_category (sd_server_context_get_store (req->context), req->params[0], &n, &error))
    return sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
  if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, CATEGORY_MISSING);
  /* [kept fix] a category in use is not deleted (the original deletes
   * it and leaves its products pointing nowhere). */
  if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
    return sd_orig_fail (req, SOUP_STATUS_CONFLICT, "Products are still in this category; move or delete them first.");
  sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
}

/* ---- products -------------------------------------------------------- */

/* Everything, whatever the query but categoryId (productController.js:
 * 33-47): no paging, search, sort or their headers. */
static void
list_products (SdServerRequest *req)
{
  SdServerProductQuery pq = { .limit = G_MAXUINT32 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *all;
  gint64 total;

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC))
    return;
  pq.category_id = sd_request_query (req, "categoryId");
  if (pq.category_id && *pq.category_id == '\0')
    pq.category_id = NULL;   /* falsy: every product */
  if (pq.category_id && !sd_orig_is_object_id (pq.category_id))
    return sd_orig_fail_cast (req, pq.category_id, "categoryId", "Product");
  text = sd_server_store_list_products (sd_server_context_get_store (req->context), &pq, &total, &error);
  if (text == NULL || !json_parser_load_from_data (parser, text->str, (gssize) text->len, &error))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  all = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (all); i++)
    as_original (json_array_get_element (all, i), FALSE);
  sd_orig_reply (req, SOUP_STATUS_OK, json_node_ref (json_parser_get_root (parser)));
}

static void
get_product (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *one;

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC) || !check_id (req, req->params[0], "Product"))
    return;
  one = sd_server_store_get_product (sd_server_context_get_store (req->context), req->params[0], &error);
  if (one == NULL && error)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, one ? as_original (one, FALSE) : NULL);
}

/* /products/:id/options/:id (productRouter.js:25): both parameters are
 * named id and Express keeps the last, so the product's id is never
 * read: the option is found by its own id alone. */
static void
get_option (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *one;

  if (!sd_orig_begin (req, SD_ORIG_PUBLIC) || !check_id (req, req->params[1], "Option"))
    return;
  one = sd_server_store_get_option (sd_server_context_get_store (req->context), req->params[1], &error);
  if (one == NULL && error)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK, one);
}

/* The message of a TypeError reading .name of a missing `options`
 * (productService.js:20,104): a 500. */
static gboolean
options_object (SdServerRequest *req, JsonObject **out)
{
  JsonNode *n = json_object_get_member (json_node_get_object (req->body), "options");

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                    n ? "Cannot read properties of null (reading 'name')"
                      : "Cannot read properties of undefined (reading 'name')");
      return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (n))
    *out = json_node_get_object (n);
  return TRUE;
}

/* An option set's `value` as mongoose casts it to [String]: an array's
 * members, or one string as one value; a comma-separated string is NOT
 * split (schema/option.js:9-12). */
static GStrv
option_values (JsonObject *options)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonNode *v = options ? json_object_get_member (options, "value") : NULL;

  if (v && JSON_NODE_HOLDS_ARRAY (v))
    {
      JsonArray *a = json_node_get_array (v);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_strv_builder_add (b, json_node_get_string (e));
        }
    }
  else if (v && JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
    g_strv_builder_add (b, json_node_get_string (v));
  return g_strv_builder_end (b);
}

/* A product's fields as mongoose validates them (schema/product.js):
 * each is required, a string "" too; price is cast to a Number. NULL
 * fields are left as they are (an update). */
typedef struct {
  const char *category_id, *name, *brand, *image, *description;
  gint64      price;
  gboolean    has_price;
} Fields;

static gboolean
read_fields (SdServerRequest *req, Fields *f, gboolean create)
{
  JsonObject *body = json_node_get_object (req->body);
  g_autoptr(GString) failed = g_string_new (NULL);
  const char *names[] = { "name", "brand", "image", "description" };
  const char **slots[] = { &f->name, &f->brand, &f->image, &f->description };

#define FAIL(path, why) g_string_append_printf (failed, "%s%s: %s", failed->len ? ", " : "", path, why)
  f->category_id = sd_orig_string (req, "categoryId");
  if (f->category_id && !sd_orig_is_object_id (f->category_id))
    FAIL ("categoryId", "Cast to ObjectId failed");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      *slots[i] = sd_orig_string (req, names[i]);
      if ((create && *slots[i] == NULL) || (*slots[i] && **slots[i] == '\0'))
        {
          g_autofree char *m = g_strdup_printf ("Path `%s` is required.", names[i]);
          FAIL (names[i], m);
        }
    }
  f->has_price = json_object_has_member (body, "price");
  if (f->has_price && !sd_json_integer (body, "price", &f->price))
    FAIL ("price", "Cast to Number failed");
  else if (create && !f->has_price)
    FAIL ("price", "Path `price` is required.");
#undef FAIL
  if (failed->len == 0)
    return TRUE;
  g_string_prepend (failed, create ? "Product validation failed: " : "Validation failed: ");
  sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, failed->str);
  return FALSE;
}

static void
create_product (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) values = NULL;
  JsonObject *options;
  JsonNode *option_name;
  Fields f = { 0 };
  SdServerProductInput in;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN))
    return;
  /* middleware/productMiddleware.js:19-31 (adminRouter.js:81). */
  if (!sd_orig_truthy (req, "categoryId"))
    return sd_orig_fail (req, SOUP_STATUS_BAD_REQUEST, "category는 필수값입니다.");
  /* The option set is made first (productService.js:18-24): options is
   * required, and its name. */
  if (!options_object (req, &options))
    return;
  option_name = options ? json_object_get_member (options, "name") : NULL;
  if (option_name == NULL || !JSON_NODE_HOLDS_VALUE (option_name) ||
      json_node_get_value_type (option_name) != G_TYPE_STRING || *json_node_get_string (option_name) == '\0')
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "Option validation failed: name: Path `name` is required.");
  if (!read_fields (req, &f, TRUE))
    return;
  values = option_values (options);
  in = (SdServerProductInput) {
    .category_id = f.category_id, .name = f.name, .brand = f.brand, .price = f.price, .image = f.image,
    .description = f.description, .option_name = json_node_get_string (option_name),
    .option_values = (const char * const *) values, .stock = -1,
  };
  id = sd_server_store_create_product (store, &in, &error);
  if (id == NULL)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_CREATED, as_original (sd_server_store_get_product (store, id, NULL), TRUE));
}

/* PUT (productService.js:89-131): 404 for an unknown product (:95) and
 * for one without an option set (:108, the option update finds none);
 * the option set's name changes, its values never (:103-106 pass
 * `values`, optionDAO.js:24-35 reads `value`); then the fields given. */
static void
update_product (SdServerRequest *req)
{
  SdServerStore *store = sd_server_context_get_store (req->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  JsonObject *options, *o, *old_options;
  JsonNode *n;
  JsonArray *old_values;
  const char *option_name;
  Fields f = { 0 };
  SdServerProductInput in;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN) || !check_id (req, req->params[0], "Product"))
    return;
  old = sd_server_store_get_product (store, req->params[0], &error);
  if (old == NULL && error)
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  if (old == NULL)
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, "해당 상품이 존재하지 않습니다.");
  if (!options_object (req, &options))
    return;
  o = json_node_get_object (old);
  n = json_object_get_member (o, "options");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, "해당 상품 또는 옵션이 존재하지 않습니다.");
  old_options = json_node_get_object (n);
  if (!read_fields (req, &f, FALSE))
    return;

  option_name = options && json_object_has_member (options, "name") &&
                JSON_NODE_HOLDS_VALUE (json_object_get_member (options, "name")) &&
                json_node_get_value_type (json_object_get_member (options, "name")) == G_TYPE_STRING
                ? json_object_get_string_member (options, "name") : NULL;
  if (option_name == NULL || *option_name == '\0')
    option_name = json_object_get_string_member (old_options, "name");
  old_values = json_object_get_array_member (old_options, "value");
  for (guint i = 0; old_values && i < json_array_get_length (old_values); i++)
    g_ptr_array_add (values, (gpointer) json_array_get_string_element (old_values, i));
  g_ptr_array_add (values, NULL);

  in = (SdServerProductInput) {
    .category_id = f.category_id ? f.category_id : json_object_get_string_member (o, "categoryId"),
    .name = f.name ? f.name : json_object_get_string_member (o, "name"),
    .brand = f.brand ? f.brand : json_object_get_string_member (o, "brand"),
    .price = f.has_price ? f.price : json_object_get_int_member (o, "price"),
    .image = f.image ? f.image : json_object_get_string_member (o, "image"),
    .description = f.description ? f.description : json_object_get_string_member (o, "description"),
    .option_name = option_name, .option_values = (const char * const *) values->pdata,
    .option_id = json_object_get_string_member (old_options, "_id"),
    .stock = JSON_NODE_HOLDS_NULL (json_object_get_member (o, "stock")) ? -1 : json_object_get_int_member (o, "stock"),
  };
  if (!sd_server_store_update_product (store, req->params[0], &in, &error))
    return sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
  sd_orig_reply (req, SOUP_STATUS_OK,
                 as_original (sd_server_store_get_product (store, req->params[0], NULL), TRUE));
}

static void
delete_product (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!sd_orig_begin (req, SD_ORIG_ADMIN) || !check_id (req, req->params[0], "Product"))
    return;
  if (sd_server_store_delete_product (sd_server_context_get_store (req->context), req->params[0], &error))
    return sd_reply_status (req, SOUP_STATUS_NO_CONTENT);
  if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    return sd_orig_fail (req, SOUP_STATUS_NOT_FOUND, "Product not found");   /* productService.js:45-50 */
  sd_orig_fail (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
}

/* Not mounted: POST /products without any auth (productRouter.js:9-13),
 * a hole no client needs; it stays unknown here (404). */
const SdRoute sd_server_original_catalog_routes[] = {
  SD_ORIG_ROUTE ("GET", SD_PATH_CATEGORIES, list_categories),
  SD_ORIG_ROUTE ("GET", SD_PATH_CATEGORIES "/:id", get_category),
  SD_ORIG_ROUTE ("POST", SD_PATH_ADMIN_CATEGORIES, create_category),
  SD_ORIG_ROUTE ("PUT", SD_PATH_ADMIN_CATEGORIES "/:id", rename_category),
  SD_ORIG_ROUTE ("DELETE", SD_PATH_ADMIN_CATEGORIES "/:id", delete_category),
  SD_ORIG_ROUTE ("GET", SD_PATH_PRODUCTS, list_products),
  SD_ORIG_ROUTE ("GET", SD_PATH_PRODUCTS "/:id", get_product),
  SD_ORIG_ROUTE ("GET", SD_PATH_PRODUCTS "/:id/options/:optionId", get_option),
  SD_ORIG_ROUTE ("POST", SD_PATH_ADMIN_PRODUCTS, create_product),
  SD_ORIG_ROUTE ("PUT", SD_PATH_ADMIN_PRODUCTS "/:id", update_product),
  SD_ORIG_ROUTE ("DELETE", SD_PATH_ADMIN_PRODUCTS "/:id", delete_product),
  { NULL }
};
