/* sd-catalog.c — products fetched page by page (server paging when the
 * shop has it; one request otherwise), published in one items-changed. */
#define G_LOG_DOMAIN "storedesk-catalog"

#include "config.h"

#include "sd-api-private.h"
#include "sd-catalog.h"
#include "sd-contract.h"
#include "sd-models-private.h"

struct _SdCatalog
{
  GObject       parent_instance;
  SdApi        *api;
  char         *category_id;
  GPtrArray    *items;
  GCancellable *load_cancellable;   /* of the load in flight, if any */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SdCatalog, sd_catalog, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { PROP_0, PROP_API, PROP_CATEGORY_ID, PROP_LOADING, PROP_N_ITEMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return SD_TYPE_PRODUCT;
}

static guint
get_n_items (GListModel *model)
{
  return SD_CATALOG (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SdCatalog *self = SD_CATALOG (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
sd_catalog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdCatalog *self = SD_CATALOG (object);

  switch (prop_id)
    {
    case PROP_API: g_value_set_object (value, self->api); break;
    case PROP_CATEGORY_ID: g_value_set_string (value, self->category_id); break;
    case PROP_LOADING: g_value_set_boolean (value, self->load_cancellable != NULL); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->items->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_catalog_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SdCatalog *self = SD_CATALOG (object);

  switch (prop_id)
    {
    case PROP_API: self->api = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_catalog_dispose (GObject *object)
{
  SdCatalog *self = SD_CATALOG (object);

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->api);
  G_OBJECT_CLASS (sd_catalog_parent_class)->dispose (object);
}

static void
sd_catalog_finalize (GObject *object)
{
  SdCatalog *self = SD_CATALOG (object);

  g_ptr_array_unref (self->items);
  g_free (self->category_id);
  G_OBJECT_CLASS (sd_catalog_parent_class)->finalize (object);
}

static void
sd_catalog_class_init (SdCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sd_catalog_get_property;
  object_class->set_property = sd_catalog_set_property;
  object_class->dispose = sd_catalog_dispose;
  object_class->finalize = sd_catalog_finalize;

  properties[PROP_API] = g_param_spec_object ("api", NULL, NULL, SD_TYPE_API,
                                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                              G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY_ID] = g_param_spec_string ("category-id", NULL, NULL, NULL,
                                                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                      G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_catalog_init (SdCatalog *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

SdCatalog *
sd_catalog_new (SdApi *api)
{
  g_return_val_if_fail (SD_IS_API (api), NULL);
  return g_object_new (SD_TYPE_CATALOG, "api", api, NULL);
}

SdApi *
sd_catalog_get_api (SdCatalog *self)
{
  g_return_val_if_fail (SD_IS_CATALOG (self), NULL);
  return self->api;
}

const char *
sd_catalog_get_category_id (SdCatalog *self)
{
  g_return_val_if_fail (SD_IS_CATALOG (self), NULL);
  return self->category_id;
}

gboolean
sd_catalog_get_loading (SdCatalog *self)
{
  g_return_val_if_fail (SD_IS_CATALOG (self), FALSE);
  return self->load_cancellable != NULL;
}

/* ---- loading -------------------------------------------------------- */

#define PAGE_SIZE SD_PAGE_LIMIT_MAX

typedef struct {
  char         *category_id;
  GPtrArray    *items;
  guint         page;
  GCancellable *cancellable;    /* ours: cancelled by a newer load */
  GCancellable *caller;         /* the caller's, forwarded to ours */
  gulong        caller_handler;
} Load;

static void
load_free (Load *load)
{
  if (load->caller_handler)
    g_cancellable_disconnect (load->caller, load->caller_handler);
  g_clear_object (&load->caller);
  g_clear_object (&load->cancellable);
  g_clear_pointer (&load->items, g_ptr_array_unref);
  g_free (load->category_id);
  g_free (load);
}

static void
forward_cancel (GCancellable *caller, gpointer ours)
{
  g_cancellable_cancel (ours);
}

static void request_page (GTask *task);

/* The load in flight is over, one way or another. */
static void
end_load (SdCatalog *self, Load *load)
{
  if (self->load_cancellable == load->cancellable)
    {
      g_clear_object (&self->load_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCatalog *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, &total, &error);
  JsonArray *array;
  guint removed, got;

  if (data == NULL || g_cancellable_is_cancelled (load->cancellable))
    {
      end_load (self, load);
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "superseded");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      end_load (self, load);
      g_task_return_error (task, sd_json_bad_field ("products", "data"));
      return;
    }
  array = json_node_get_array (data);
  got = json_array_get_length (array);
  for (guint i = 0; i < got; i++)
    {
      SdProduct *product = sd_product_new_from_json (json_array_get_element (array, i), &error);
      if (product == NULL)
        {
          end_load (self, load);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (load->items, product);
    }

  /* Without X-Total-Count the shop ignored paging and sent everything. */
  if (total >= 0 && got == PAGE_SIZE && load->items->len < total)
    {
      load->page++;
      request_page (g_steal_pointer (&task));
      return;
    }

  removed = self->items->len;
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&load->items);
  g_free (self->category_id);
  self->category_id = g_strdup (load->category_id);
  end_load (self, load);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_ID]);
  g_task_return_boolean (task, TRUE);
}

static void
request_page (GTask *task)
{
  SdCatalog *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GString) path = g_string_new ("/api/v1/products?");

  g_string_append_printf (path, "page=%u&limit=%u", load->page, PAGE_SIZE);
  if (load->category_id)
    {
      g_string_append (path, "&categoryId=");
      g_string_append_uri_escaped (path, load->category_id, NULL, FALSE);
    }
  sd_api_call_async (self->api, "GET", path->str, NULL, load->cancellable, page_cb, task);
}

void
sd_catalog_load_async (SdCatalog *self, const char *category_id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Load *load;

  g_return_if_fail (SD_IS_CATALOG (self));

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);

  load = g_new0 (Load, 1);
  load->category_id = g_strdup (category_id);
  load->items = g_ptr_array_new_with_free_func (g_object_unref);
  load->page = 1;
  load->cancellable = g_cancellable_new ();
  if (cancellable)
    {
      load->caller = g_object_ref (cancellable);
      load->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                                                    load->cancellable, NULL);
    }
  g_set_object (&self->load_cancellable, load->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_catalog_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  request_page (task);
}

gboolean
sd_catalog_load_finish (SdCatalog *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
