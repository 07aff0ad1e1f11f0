/* sd-server-catalog.c — categories and products, public and admin. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-conditional.h"
#include "sd-server-paging.h"
#include "sd-server-routes.h"

/* ---- public reads --------------------------------------------------- */

static void
reply_one (SdServerRequest *req, JsonNode *node, GError *error, const char *missing)
{
  if (node != NULL)
    sd_reply (req, SOUP_STATUS_OK, node);
  else if (error != NULL)
    sd_reply_internal (req, error);
  else
    sd_reply_error (req, SOUP_STATUS_NOT_FOUND, missing);
}

static void
list_categories (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *list = sd_server_store_list_categories (sd_request_store (req),
                                                    sd_request_query (req, "name"), &error);

  if (list == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_OK, list);
}

static void
get_category (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *one = sd_server_store_get_category (sd_request_store (req), req->params[0], &error);

  sd_server_conditional_etag (req, one);
  reply_one (req, one, error, "No such category.");
}

static void
reply_cached (SdServerRequest *req, SdCachedReply *c)
{
  sd_reply_set_header (req, SD_HEADER_TOTAL_COUNT, c->total);
  if (c->link)
    sd_reply_set_header (req, SD_HEADER_LINK, c->link);
  sd_reply_bytes (req, SOUP_STATUS_OK, "application/json; charset=utf-8", c->body);
}

static void
list_products (SdServerRequest *req)
{
  SdServerProductQuery pq = { 0 };
  g_autoptr(GError) error = NULL;
  GHashTable *cache = sd_server_context_get_page_cache (req->context);
  g_autofree char *key = sd_request_cache_key (req);
  SdCachedReply *cached = g_hash_table_lookup (cache, key);
  gboolean paged;
  gint64 total = 0;
  GString *data;

  if (cached != NULL)
    return reply_cached (req, cached);

  pq.category_id = sd_request_query (req, "categoryId");
  if (!sd_server_parse_paging (req, &pq.offset, &pq.limit, &paged))
    return;
  pq.q = sd_request_query (req, "q");
  if (!sd_sort_order_from_wire (sd_request_query (req, "sort"), &pq.sort))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                           "sort must be one of price, -price, name, -createdAt.");
  data = sd_server_store_list_products (sd_request_store (req), &pq, &total, &error);
  if (data == NULL)
    return sd_reply_internal (req, error);
  sd_server_set_paging_headers (req, total, pq.offset, pq.limit, paged);
  sd_reply_json_text (req, SOUP_STATUS_OK, data->str, data->len);
  g_string_free (data, TRUE);

  cached = g_new0 (SdCachedReply, 1);
  cached->body = g_bytes_ref (req->reply_body);
  cached->total = g_strdup (sd_reply_get_header (req, SD_HEADER_TOTAL_COUNT));
  cached->link = g_strdup (sd_reply_get_header (req, SD_HEADER_LINK));
  g_hash_table_insert (cache, g_steal_pointer (&key), cached);
}

static void
get_product (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *one = sd_server_store_get_product (sd_request_store (req), req->params[0], &error);

  sd_server_conditional_etag (req, one);
  reply_one (req, one, error, "No such product.");
}

static void
get_option (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) product = sd_server_store_get_product (sd_request_store (req),
                                                             req->params[0], &error);
  JsonObject *object;
  JsonNode *options;

  if (product == NULL)
    return reply_one (req, NULL, error, "No such product.");
  object = json_node_get_object (product);
  options = json_object_get_member (object, "options");
  if (options == NULL || !JSON_NODE_HOLDS_OBJECT (options) ||
      g_strcmp0 (json_object_get_string_member (json_node_get_object (options), "_id"),
                 req->params[1]) != 0)
    return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such option.");
  sd_reply (req, SOUP_STATUS_OK, json_node_copy (options));
}

/* ---- admin: categories ---------------------------------------------- */

/* [ext] "conditional": 412 with the record as it is now. */
static void
reply_changed (SdServerRequest *req, JsonNode *current)
{
  sd_server_conditional_reply_current (req, SOUP_STATUS_PRECONDITION_FAILED, SD_CHANGED_MESSAGE, current);
}

/* A written record, with its new ETag. */
static void
reply_written (SdServerRequest *req, JsonNode *record)
{
  sd_server_conditional_etag (req, record);
  sd_reply (req, SOUP_STATUS_OK, record);
}

static const char *
category_name_from_body (SdServerRequest *req)
{
  gboolean bad = FALSE;
  const char *name = sd_body_string (req, "name", &bad);

  if (bad)
    return NULL;
  if (!sd_field_is_category_name (name))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                      "A category name is 1 to 30 Hangul or Latin letters, with single spaces between words.");
      return NULL;
    }
  return name;
}

static void
create_category (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *name = category_name_from_body (req);
  g_autofree char *id = NULL;

  if (name == NULL)
    return;
  id = sd_server_store_create_category (sd_request_store (req), name, &error);
  if (id == NULL)
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "A category with this name exists already.");
      return sd_reply_internal (req, error);
    }
  sd_reply (req, SOUP_STATUS_CREATED, sd_server_store_get_category (sd_request_store (req), id, NULL));
}

static void
rename_category (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  const char *name = category_name_from_body (req);

  if (name == NULL || !sd_server_conditional_base (req, &base))
    return;
  if (!sd_server_store_rename_category (store, req->params[0], name, base, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CHANGED))
        return reply_changed (req, sd_server_store_get_category (store, req->params[0], NULL));
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "A category with this name exists already.");
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such category.");
      return sd_reply_internal (req, error);
    }
  reply_written (req, sd_server_store_get_category (store, req->params[0], NULL));
}

static void
delete_category (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 n;

  if (!sd_server_store_delete_category (sd_request_store (req), req->params[0], &n, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT) && n > 0)
        {
          /* [fix] the original deletes it and leaves its products dangling. */
          g_autofree char *m = g_strdup_printf ("%" G_GINT64_FORMAT " products are still in this category; "
                                                "move or delete them first.", n);
          return sd_reply_error (req, SOUP_STATUS_CONFLICT, m);
        }
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_reply_error (req, SOUP_STATUS_CONFLICT, "Products are still in this category.");
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such category.");
      return sd_reply_internal (req, error);
    }
  sd_reply_no_content (req);
}

/* ---- admin: products ------------------------------------------------ */

/* The fields as read, over the strings they own. */
typedef struct {
  SdProductFields f;
  GPtrArray      *owned;
  gboolean        has_options;
} ProductFields;

static void
product_fields_clear (ProductFields *pf)
{
  g_clear_pointer (&pf->owned, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProductFields, product_fields_clear)

static const char *
keep (ProductFields *pf, char *text)
{
  if (pf->owned == NULL)
    pf->owned = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pf->owned, text);
  return text;
}

/* What the server answers when a field breaks the contract's rule. */
static const char *
field_message (SdProductField field)
{
  switch (field)
    {
    case SD_PRODUCT_FIELD_NAME: return "A product name is 1 to 100 characters.";
    case SD_PRODUCT_FIELD_CATEGORY: return "Choose a category.";
    case SD_PRODUCT_FIELD_BRAND: return "A brand is at most 50 characters.";
    case SD_PRODUCT_FIELD_IMAGE: return "An image path is at most 500 characters.";
    case SD_PRODUCT_FIELD_DESCRIPTION: return "A description is at most 5,000 characters.";
    case SD_PRODUCT_FIELD_PRICE: return "A price is a whole number of won from 0 to 100,000,000.";
    case SD_PRODUCT_FIELD_STOCK: return "Stock is a whole number from 0 to 1,000,000, or null when not tracked.";
    case SD_PRODUCT_FIELD_OPTION_NAME: return "An option name is 1 to 30 characters.";
    case SD_PRODUCT_FIELD_OPTION_VALUES: return "An option has 1 to 50 values.";
    case SD_PRODUCT_FIELD_OPTION_VALUE: return "Each option value is text of 1 to 50 characters.";
    case SD_PRODUCT_FIELD_NONE:
    default: return NULL;
    }
}

static gboolean
bad_field (SdServerRequest *req, const char *message)
{
  sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, message);
  return FALSE;
}

static gboolean
text_field (SdServerRequest *req, const char *member, SdProductField field, ProductFields *pf, const char **inout)
{
  gboolean bad = FALSE;
  const char *v;

  if (!sd_body_has (req, member))
    return TRUE;
  v = sd_body_string (req, member, &bad);
  if (bad)
    return FALSE;
  if (v == NULL)
    v = "";
  if (!sd_field_is_product_text (field, v))
    return bad_field (req, field_message (field));
  *inout = keep (pf, g_strdup (v));
  return TRUE;
}

/* options.value as one text, "내추럴, 화이트" (the original admin page
 * sends what was typed in a prompt): the values between its commas,
 * trimmed, empty ones left out. NULL when value is not a text. */
static JsonArray *
option_values_from_text (JsonObject *options)
{
  JsonNode *node = json_object_get_member (options, "value");
  g_auto(GStrv) parts = NULL;
  JsonArray *values;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  values = json_array_new ();
  parts = g_strsplit (json_node_get_string (node), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        json_array_add_string_element (values, parts[i]);
    }
  return values;
}

/* A picture the body names that the client put straight into the
 * bucket: vetted and kept by the node (sd_server_blobs_take) once every
 * other field passed, just before the product is written, so a refusal
 * of another field leaves the upload for the next try. */
static gboolean
take_picture (SdServerRequest *req, ProductFields *pf)
{
  const char *refusal = NULL;
  guint status = 0;
  char *kept;

  if (pf->f.image == NULL || !json_object_has_member (sd_body_object (req), "image"))
    return TRUE;
  kept = sd_server_blobs_take (sd_request_config (req)->blobs, pf->f.image, sd_request_config (req)->upload_limit,
                               &refusal, &status);
  if (kept == NULL)
    {
      sd_reply_error (req, status, refusal);
      return FALSE;
    }
  pf->f.image = keep (pf, kept);
  return TRUE;
}

/* Overlays the body on pf (the product as it is, or empty on create),
 * field by field in the contract's order. */
static gboolean
read_product_fields (SdServerRequest *req, ProductFields *pf)
{
  JsonObject *body = sd_body_object (req);
  SdProductFields *f = &pf->f;
  gint64 v;

  if (!text_field (req, "name", SD_PRODUCT_FIELD_NAME, pf, &f->name) ||
      !text_field (req, "categoryId", SD_PRODUCT_FIELD_CATEGORY, pf, &f->category_id) ||
      !text_field (req, "brand", SD_PRODUCT_FIELD_BRAND, pf, &f->brand) ||
      !text_field (req, "image", SD_PRODUCT_FIELD_IMAGE, pf, &f->image) ||
      !text_field (req, "description", SD_PRODUCT_FIELD_DESCRIPTION, pf, &f->description))
    return FALSE;
  /* Our own picture sent back as it was read (absolute): kept as its path. */
  if (f->image != NULL)
    f->image = keep (pf, sd_request_store_image (req, g_strdup (f->image)));
  if (json_object_has_member (body, "price"))
    {
      if (!sd_json_integer (body, "price", &v) || !sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, v))
        return bad_field (req, field_message (SD_PRODUCT_FIELD_PRICE));
      f->price = v;
    }
  if (json_object_has_member (body, "stock"))
    {
      if (json_object_get_null_member (body, "stock"))
        f->stock = -1;
      else if (!sd_json_integer (body, "stock", &v) || !sd_field_is_product_number (SD_PRODUCT_FIELD_STOCK, v))
        return bad_field (req, field_message (SD_PRODUCT_FIELD_STOCK));
      else
        f->stock = v;
    }
  if (json_object_has_member (body, "options"))
    {
      JsonNode *node = json_object_get_member (body, "options");
      JsonObject *o;
      JsonArray *values;
      g_autoptr(JsonArray) split = NULL;
      const char *oname;
      g_autoptr(GPtrArray) list = g_ptr_array_new ();

      f->option_name = NULL;
      f->option_values = NULL;
      pf->has_options = TRUE;
      if (JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_field (req, "options is an object {name, value: [...]} or null.");
      o = json_node_get_object (node);
      oname = json_object_has_member (o, "name") && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "name"))
              ? json_object_get_string_member (o, "name") : NULL;
      split = option_values_from_text (o);
      /* The original admin page asks for both in prompts, and sends them
       * empty for a product without options (adminProduct.js:54-77). */
      if (oname != NULL && *oname == '\0' && split != NULL && json_array_get_length (split) == 0)
        return TRUE;
      if (!sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_NAME, oname))
        return bad_field (req, field_message (SD_PRODUCT_FIELD_OPTION_NAME));
      if (split == NULL &&
          (!json_object_has_member (o, "value") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "value"))))
        return bad_field (req, "An option lists its values in value: [...], or as one text with commas between them.");
      values = split ? split : json_object_get_array_member (o, "value");
      if (!sd_field_is_option_count (json_array_get_length (values)))
        return bad_field (req, field_message (SD_PRODUCT_FIELD_OPTION_VALUES));
      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *e = json_array_get_element (values, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
              !sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_VALUE, json_node_get_string (e)))
            return bad_field (req, field_message (SD_PRODUCT_FIELD_OPTION_VALUE));
          g_ptr_array_add (list, (gpointer) keep (pf, g_strdup (json_node_get_string (e))));
        }
      g_ptr_array_add (list, NULL);
      f->option_name = keep (pf, g_strdup (oname));
      f->option_values = (const char * const *) keep (pf, (char *) g_ptr_array_steal (list, NULL));
    }
  return TRUE;
}

static gboolean
category_exists (SdServerStore *store, const char *id)
{
  g_autoptr(JsonNode) c = id ? sd_server_store_get_category (store, id, NULL) : NULL;
  return c != NULL;
}

/* The product's fields as the store takes them. */
static SdServerProductInput
product_input (const SdProductFields *f)
{
  return (SdServerProductInput) {
    .category_id = f->category_id, .name = f->name, .brand = f->brand, .price = f->price,
    .image = f->image, .description = f->description, .option_name = f->option_name,
    .option_values = f->option_values, .stock = f->stock,
  };
}

static void
create_product (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_auto(ProductFields) pf = { .f = { .stock = -1, .price = -1 } };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  SdServerProductInput in;
  SdProductField bad;

  if (!read_product_fields (req, &pf))
    return;
  /* What read_product_fields let pass but a new product needs: a name, a price. */
  if ((bad = sd_fields_check_product (&pf.f, TRUE)) != SD_PRODUCT_FIELD_NONE)
    return (void) bad_field (req, field_message (bad));
  if (!category_exists (store, pf.f.category_id))
    return (void) bad_field (req, "Choose an existing category.");
  if (!take_picture (req, &pf))
    return;

  in = product_input (&pf.f);
  id = sd_server_store_create_product (store, &in, &error);
  if (id == NULL)
    return sd_reply_internal (req, error);
  sd_reply (req, SOUP_STATUS_CREATED, sd_server_store_get_product (store, id, NULL));
}

/* [ext] "conditional": stockDelta moves the stock by that much in the
 * write itself, never below 0, instead of setting what another node's
 * checkout may have changed meanwhile. */
static gboolean
read_stock_delta (SdServerRequest *req, SdServerProductInput *in)
{
  JsonObject *body = sd_body_object (req);
  gint64 delta;

  if (!json_object_has_member (body, "stockDelta"))
    return TRUE;
  if (json_object_has_member (body, "stock"))
    return bad_field (req, "Send stock or stockDelta, not both.");
  if (!sd_json_integer (body, "stockDelta", &delta) || delta == G_MININT64 ||
      !sd_field_is_product_number (SD_PRODUCT_FIELD_STOCK, ABS (delta)))
    return bad_field (req, "stockDelta is a whole number, what to add to the stock (below 0: to take).");
  in->add_stock = TRUE;
  in->stock_delta = delta;
  return TRUE;
}

static void
update_product (SdServerRequest *req)
{
  SdServerStore *store = sd_request_store (req);
  g_auto(ProductFields) pf = { .f = { .stock = -1 } };
  SdProductFields *f = &pf.f;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) current = sd_server_store_get_product (store, req->params[0], &error);
  g_autofree char *base = NULL;
  SdServerProductInput in;
  JsonObject *c;
  JsonObject *opts;

  if (current == NULL)
    return reply_one (req, NULL, error, "No such product.");
  if (!sd_server_conditional_base (req, &base) || sd_server_conditional_stale (req, base, current))
    return;
  c = json_node_get_object (current);
  f->category_id = json_object_get_string_member (c, "categoryId");
  f->name = json_object_get_string_member (c, "name");
  f->brand = json_object_get_string_member (c, "brand");
  f->price = json_object_get_int_member (c, "price");
  f->image = json_object_get_string_member (c, "image");
  f->description = json_object_get_string_member (c, "description");
  f->stock = json_object_get_null_member (c, "stock") ? -1 : json_object_get_int_member (c, "stock");
  opts = json_object_get_null_member (c, "options") ? NULL : json_object_get_object_member (c, "options");

  if (!read_product_fields (req, &pf))
    return;
  if (!category_exists (store, f->category_id))
    return (void) bad_field (req, "Choose an existing category.");
  if (!take_picture (req, &pf))
    return;

  in = product_input (f);
  /* Options sent replace them (keeping their id); none sent keeps them. */
  in.keep_options = !pf.has_options && opts != NULL;
  in.option_name = pf.has_options ? f->option_name : NULL;
  in.option_values = pf.has_options ? f->option_values : NULL;
  in.option_id = opts ? json_object_get_string_member (opts, "_id") : NULL;
  in.base = base;
  if (!read_stock_delta (req, &in))
    return;
  /* Gone in between (deleted by another request): the reply's data is
   * null, as it always was; a 404 would be truer. */
  if (!sd_server_store_update_product (store, req->params[0], &in, &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CHANGED))
        return reply_changed (req, sd_server_store_get_product (store, req->params[0], NULL));
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        return sd_server_conditional_reply_current (req, SOUP_STATUS_CONFLICT,
          "The stock is not tracked, or this change would take it below 0; the current product is in data.",
          sd_server_store_get_product (store, req->params[0], NULL));
      if (!g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_internal (req, error);
    }
  reply_written (req, sd_server_store_get_product (store, req->params[0], NULL));
}

static void
delete_product (SdServerRequest *req)
{
  g_autoptr(GError) error = NULL;

  /* Orders keep their own copy of name, price and image. */
  if (!sd_server_store_delete_product (sd_request_store (req), req->params[0], &error))
    {
      if (g_error_matches (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
        return sd_reply_error (req, SOUP_STATUS_NOT_FOUND, "No such product.");
      return sd_reply_internal (req, error);
    }
  sd_reply_no_content (req);
}

const SdRoute sd_server_catalog_routes[] = {
  { "GET", SD_PATH_CATEGORIES, SD_ACCESS_PUBLIC, SD_BODY_NONE, list_categories },
  { "GET", SD_PATH_CATEGORIES "/:id", SD_ACCESS_PUBLIC, SD_BODY_NONE, get_category },
  { "POST", SD_PATH_ADMIN_CATEGORIES, SD_ACCESS_ADMIN, SD_BODY_JSON, create_category },
  { "PUT", SD_PATH_ADMIN_CATEGORIES "/:id", SD_ACCESS_ADMIN, SD_BODY_JSON, rename_category },
  { "DELETE", SD_PATH_ADMIN_CATEGORIES "/:id", SD_ACCESS_ADMIN, SD_BODY_NONE, delete_category },
  { "GET", SD_PATH_PRODUCTS, SD_ACCESS_PUBLIC, SD_BODY_NONE, list_products },
  { "GET", SD_PATH_PRODUCTS "/:id", SD_ACCESS_PUBLIC, SD_BODY_NONE, get_product },
  { "GET", SD_PATH_PRODUCTS "/:id/options/:optionId", SD_ACCESS_PUBLIC, SD_BODY_NONE, get_option },
  { "POST", SD_PATH_ADMIN_PRODUCTS, SD_ACCESS_ADMIN, SD_BODY_JSON, create_product },
  { "PUT", SD_PATH_ADMIN_PRODUCTS "/:id", SD_ACCESS_ADMIN, SD_BODY_JSON, update_product },
  { "DELETE", SD_PATH_ADMIN_PRODUCTS "/:id", SD_ACCESS_ADMIN, SD_BODY_NONE, delete_product },
  { NULL }
};
