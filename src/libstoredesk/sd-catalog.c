/* sd-catalog.c — the catalog as a lazy list: pages fetched as the view
 * asks for them, a bounded number kept, one items-changed per page. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-api-private.h"
#include "sd-catalog.h"
#include "sd-contract.h"
#include "sd-local-store-private.h"
#include "sd-models-private.h"

#define PAGE_SIZE      SD_PAGE_LIMIT_MAX
/* Pages kept in memory; older ones are dropped and fetched again when
 * seen again (3,000 products: a few screens either way of the view). */
#define PAGES_KEPT     30

struct _SdCatalog
{
  GObject       parent_instance;
  SdApi        *api;

  /* the query shown */
  char         *category_id;
  char         *query;
  SdSortOrder   sort;

  guint         total;
  GPtrArray    *items;            /* total slots; NULL where not fetched */
  GQueue        recent;           /* page numbers, most recently used first */
  GHashTable   *pending;          /* page number → TRUE while fetched */
  GHashTable   *wanted;           /* page number → TRUE, to fetch on idle */
  guint         wanted_idle;
  guint         generation;       /* bumped by each load: stale pages are dropped */
  GCancellable *pages_cancellable;
  GCancellable *load_cancellable; /* of the load in flight, if any */
  SdLocalStore *store;            /* pages kept on disk, or NULL */
  char         *listing;          /* the store's name of the list shown */
  gboolean      from_shop;        /* the list shown is the shop's answer */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdCatalog, sd_catalog, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { PROP_0, PROP_API, PROP_CATEGORY_ID, PROP_LOADING, PROP_N_ITEMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Slots not fetched are NULL, and GPtrArray frees those too. */
static void
unref_product (gpointer product)
{
  if (product != NULL)
    g_object_unref (product);
}

static char *
page_path (SdCatalog *self, const char *category_id, const char *query, SdSortOrder order, guint page)
{
  g_autoptr(GString) path = g_string_new (SD_PATH_PRODUCTS "?");

  g_string_append_printf (path, "page=%u&limit=%u", page + 1, PAGE_SIZE);
  if (category_id)
    {
      g_string_append (path, "&categoryId=");
      g_string_append_uri_escaped (path, category_id, NULL, FALSE);
    }
  if (query && *query)
    {
      g_string_append (path, "&q=");
      g_string_append_uri_escaped (path, query, NULL, FALSE);
    }
  if (sd_sort_order_to_wire (order))
    {
      const char *sort = sd_sort_order_to_wire (order);

      g_string_append (path, "&sort=");
      g_string_append_uri_escaped (path, sort, NULL, FALSE);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* ---- pages ---------------------------------------------------------- */

static void
touch_page (SdCatalog *self, guint page)
{
  GList *link = g_queue_find (&self->recent, GUINT_TO_POINTER (page));

  if (link != NULL)
    g_queue_unlink (&self->recent, link), g_queue_push_head_link (&self->recent, link);
  else
    g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
  /* Forget the pages least recently used. */
  while (g_queue_get_length (&self->recent) > PAGES_KEPT)
    {
      guint old = GPOINTER_TO_UINT (g_queue_pop_tail (&self->recent));
      guint start = old * PAGE_SIZE, end = MIN (self->total, start + PAGE_SIZE);

      for (guint i = start; i < end; i++)
        g_clear_object (&self->items->pdata[i]);
    }
}

/* Fills slots from a JSON array of products; FALSE with error on bad data. */
static gboolean
fill (SdCatalog *self, guint start, JsonArray *array, GError **error)
{
  for (guint i = 0; i < json_array_get_length (array) && start + i < self->total; i++)
    {
      SdProduct *p = sd_product_new_from_json (json_array_get_element (array, i), error);
      if (p == NULL)
        return FALSE;
      g_clear_object (&self->items->pdata[start + i]);
      self->items->pdata[start + i] = p;
    }
  return TRUE;
}

typedef struct {
  SdCatalog *self;
  guint      page;
  guint      generation;
} PageFetch;

static void
page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PageFetch *pf = user_data;
  g_autoptr(SdCatalog) self = pf->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, NULL, &error);
  guint start = pf->page * PAGE_SIZE;

  if (pf->generation != self->generation)
    goto out;   /* a newer load replaced this list */
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (pf->page));
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data) ||
      !fill (self, start, json_node_get_array (data), &error))
    {
      if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("page %u: %s", pf->page, error->message);
      goto out;   /* placeholders stay; the page is asked for again when seen */
    }
  touch_page (self, pf->page);
  if (self->store)
    sd_local_store_put_products_async (self->store, self->listing, start, json_node_get_array (data), -1,
                                       NULL, NULL, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), start, MIN (PAGE_SIZE, self->total - start),
                              MIN (PAGE_SIZE, self->total - start));
out:
  g_free (pf);
}

static gboolean
fetch_wanted_cb (gpointer user_data)
{
  SdCatalog *self = user_data;
  GHashTableIter iter;
  gpointer key;

  self->wanted_idle = 0;
  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint page = GPOINTER_TO_UINT (key);
      g_autofree char *path = NULL;
      PageFetch *pf;

      if (g_hash_table_contains (self->pending, key) || page * PAGE_SIZE >= self->total ||
          self->items->pdata[page * PAGE_SIZE] != NULL)
        continue;
      g_hash_table_add (self->pending, key);
      pf = g_new0 (PageFetch, 1);
      pf->self = g_object_ref (self);
      pf->page = page;
      pf->generation = self->generation;
      path = page_path (self, self->category_id, self->query, self->sort, page);
      sd_api_call_async (self->api, "GET", path, NULL, self->pages_cancellable, page_cb, pf);
    }
  g_hash_table_remove_all (self->wanted);
  return G_SOURCE_REMOVE;
}

/* ---- GListModel ----------------------------------------------------- */

static GType
get_item_type (GListModel *model)
{
  return SD_TYPE_PRODUCT;
}

static guint
get_n_items (GListModel *model)
{
  return SD_CATALOG (model)->total;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SdCatalog *self = SD_CATALOG (model);
  guint page = position / PAGE_SIZE;

  if (position >= self->total)
    return NULL;
  if (self->items->pdata[position] != NULL)
    {
      touch_page (self, page);
      return g_object_ref (self->items->pdata[position]);
    }
  /* Not here: a stand-in now, the page soon (views ask for many rows at
   * once, so the fetches are gathered on idle). */
  g_hash_table_add (self->wanted, GUINT_TO_POINTER (page));
  if (self->wanted_idle == 0)
    self->wanted_idle = g_idle_add (fetch_wanted_cb, self);
  return sd_product_new_placeholder ();
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- object --------------------------------------------------------- */

static void
sd_catalog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdCatalog *self = SD_CATALOG (object);

  switch (prop_id)
    {
    case PROP_API: g_value_set_object (value, self->api); break;
    case PROP_CATEGORY_ID: g_value_set_string (value, self->category_id); break;
    case PROP_LOADING: g_value_set_boolean (value, self->load_cancellable != NULL); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->total); break;
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
  g_cancellable_cancel (self->pages_cancellable);
  g_clear_handle_id (&self->wanted_idle, g_source_remove);
  g_clear_object (&self->api);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_catalog_parent_class)->dispose (object);
}

static void
sd_catalog_finalize (GObject *object)
{
  SdCatalog *self = SD_CATALOG (object);

  g_ptr_array_unref (self->items);
  g_queue_clear (&self->recent);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->wanted);
  g_clear_object (&self->pages_cancellable);
  g_free (self->category_id);
  g_free (self->query);
  g_free (self->listing);
  G_OBJECT_CLASS (sd_catalog_parent_class)->finalize (object);
}

static void
sd_catalog_class_init (SdCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sd_catalog_get_property;
  object_class->set_property = sd_catalog_set_property;
  object_class->dispose = sd_catalog_dispose;
  object_class->finalize = sd_catalog_finalize;
  properties[PROP_API] = g_param_spec_object ("api", NULL, NULL, SD_TYPE_API,
                                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY_ID] = g_param_spec_string ("category-id", NULL, NULL, NULL, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_catalog_init (SdCatalog *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_product);
  g_queue_init (&self->recent);
  self->pending = g_hash_table_new (NULL, NULL);
  self->wanted = g_hash_table_new (NULL, NULL);
  self->pages_cancellable = g_cancellable_new ();
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

guint
sd_catalog_get_n_loaded (SdCatalog *self)
{
  guint n = 0;

  g_return_val_if_fail (SD_IS_CATALOG (self), 0);
  for (guint i = 0; i < self->items->len; i++)
    n += self->items->pdata[i] != NULL;
  return n;
}

/* ---- loading -------------------------------------------------------- */

void
sd_catalog_set_local_store (SdCatalog *self, SdLocalStore *store)
{
  g_return_if_fail (SD_IS_CATALOG (self));
  g_set_object (&self->store, store);
}

typedef struct {
  char         *category_id;
  char         *query;
  SdSortOrder   sort;
  char         *listing;        /* the list's name in the store */
  gboolean      answered;       /* the shop's first page is shown */
  GCancellable *cancellable;    /* ours: cancelled by a newer load */
  GCancellable *caller;
  gulong        caller_handler;
} Load;

static void
load_free (Load *load)
{
  if (load->caller_handler)
    g_cancellable_disconnect (load->caller, load->caller_handler);
  g_clear_object (&load->caller);
  g_clear_object (&load->cancellable);
  g_free (load->category_id);
  g_free (load->query);
  g_free (load->listing);
  g_free (load);
}

static void
forward_cancel (GCancellable *caller, gpointer ours)
{
  g_cancellable_cancel (ours);
}

static void
end_load (SdCatalog *self, Load *load)
{
  if (self->load_cancellable == load->cancellable)
    {
      g_clear_object (&self->load_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

/* The original API's whole list: search and sort here. */
static gboolean
matches (SdProduct *p, const char *query)
{
  g_autofree char *q = g_utf8_casefold (query, -1);
  g_autofree char *name = g_utf8_casefold (sd_product_get_name (p), -1);
  g_autofree char *brand = g_utf8_casefold (sd_product_get_brand (p), -1);

  return strstr (name, q) != NULL || strstr (brand, q) != NULL;
}

static int
by_price (gconstpointer a, gconstpointer b)
{
  gint64 x = sd_product_get_price (*(SdProduct **) a), y = sd_product_get_price (*(SdProduct **) b);
  return (x > y) - (x < y);
}

static int
by_price_desc (gconstpointer a, gconstpointer b)
{
  return by_price (b, a);
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (sd_product_get_name (*(SdProduct **) a), sd_product_get_name (*(SdProduct **) b));
}

static GPtrArray *
local_list (JsonArray *array, const char *query, SdSortOrder sort, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SdProduct *p = sd_product_new_from_json (json_array_get_element (array, i), error);
      if (p == NULL)
        return NULL;
      if (query && *query && !matches (p, query))
        g_object_unref (p);
      else
        g_ptr_array_add (list, p);
    }
  /* g_ptr_array_sort is stable (a merge sort), so ties keep the shop's order. */
  if (sort == SD_SORT_ORDER_PRICE)
    g_ptr_array_sort (list, by_price);
  else if (sort == SD_SORT_ORDER_PRICE_DESC)
    g_ptr_array_sort (list, by_price_desc);
  else if (sort == SD_SORT_ORDER_NAME)
    g_ptr_array_sort (list, by_name);
  else if (sort == SD_SORT_ORDER_NEWEST)
    {
      /* the original lists oldest first */
      for (guint i = 0, j = list->len ? list->len - 1 : 0; i < j; i++, j--)
        {
          gpointer t = list->pdata[i];
          list->pdata[i] = list->pdata[j];
          list->pdata[j] = t;
        }
    }
  return g_steal_pointer (&list);
}

/* A list of total slots, none fetched yet. */
static GPtrArray *
slots_new (gint64 total)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (unref_product);

  g_ptr_array_set_size (items, (guint) MIN (total, G_MAXUINT32));
  return items;
}

/* The new list (items: its slots, first: its first page to fill, NULL when
 * items are whole) replaces the old one, in one items-changed. FALSE with
 * error (the list then empty) when first holds bad data. */
static gboolean
replace_list (SdCatalog *self, Load *load, GPtrArray *new_items, JsonArray *first, GError **error)
{
  guint removed;

  g_cancellable_cancel (self->pages_cancellable);
  g_clear_object (&self->pages_cancellable);
  self->pages_cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->wanted);
  g_queue_clear (&self->recent);
  self->generation++;
  removed = self->total;
  g_ptr_array_unref (self->items);
  self->items = new_items;
  self->total = self->items->len;
  if (first && !fill (self, 0, first, error))
    {
      g_ptr_array_set_size (self->items, 0);
      self->total = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      return FALSE;
    }
  if (first && self->total > 0)
    touch_page (self, 0);
  g_free (self->category_id);
  self->category_id = g_strdup (load->category_id);
  g_free (self->query);
  self->query = g_strdup (load->query);
  self->sort = load->sort;
  g_free (self->listing);
  self->listing = g_strdup (load->listing);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->total);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_ID]);
  return TRUE;
}

/* The list as the store kept it, unless the shop answered first (or a
 * newer load began). Shown whatever the shop answers after: a list from
 * disk is better than none when offline. */
static void
disk_page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCatalog *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonArray) rows = sd_local_store_read_products_finish (SD_LOCAL_STORE (source), result,
                                                                   &total, NULL, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (rows == NULL || total <= 0 || json_array_get_length (rows) == 0 ||
      load->answered || g_cancellable_is_cancelled (load->cancellable))
    return;
  items = slots_new (total);
  if (!replace_list (self, load, g_steal_pointer (&items), rows, &error))
    g_debug ("The catalog kept on disk was refused: %s", error->message);
  else
    self->from_shop = FALSE;
}

/* The store's own search, shown at once unless the shop answered first:
 * the hits of the products kept, in the category asked for, best first
 * (or in the price or name order asked for). The shop's answer replaces
 * them when it comes (its order, and only what it still lists); offline,
 * they stay. */
static void
local_hits_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCatalog *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = sd_local_store_read_array_finish (SD_LOCAL_STORE (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  if (rows == NULL || load->answered || g_cancellable_is_cancelled (load->cancellable))
    return;
  /* The shop's answer to this very search is on show: it stays while the
   * shop is asked again. */
  if (self->from_shop && g_strcmp0 (self->query, load->query) == 0 &&
      g_strcmp0 (self->category_id, load->category_id) == 0 && self->sort == load->sort)
    return;
  /* The shop's order (SHOP, NEWEST) is its own; here, best first. */
  hits = local_list (rows, NULL, load->sort == SD_SORT_ORDER_NEWEST ? SD_SORT_ORDER_SHOP : load->sort, &error);
  if (hits == NULL)
    {
      g_debug ("The products kept on disk were refused: %s", error->message);
      return;
    }
  items = g_ptr_array_new_with_free_func (unref_product);
  for (guint i = 0; i < hits->len; i++)
    if (load->category_id == NULL ||
        g_strcmp0 (sd_product_get_category_id (hits->pdata[i]), load->category_id) == 0)
      g_ptr_array_add (items, g_object_ref (hits->pdata[i]));
  if (items->len > 0 && replace_list (self, load, g_steal_pointer (&items), NULL, NULL))
    self->from_shop = FALSE;
}

static void
first_page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SdCatalog *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, &total, &error);
  g_autoptr(GPtrArray) items = NULL;

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

  if (total >= 0)
    {
      /* The shop pages: a list of the size it says, the first page filled. */
      items = slots_new (total);
    }
  else
    {
      /* The original API sent everything: filter and sort it here. */
      items = local_list (json_node_get_array (data), load->query, load->sort, &error);
      if (items == NULL)
        {
          end_load (self, load);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  end_load (self, load);
  if (!replace_list (self, load, g_steal_pointer (&items), total >= 0 ? json_node_get_array (data) : NULL,
                     &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  load->answered = TRUE;
  self->from_shop = TRUE;
  if (self->store && total >= 0)
    sd_local_store_put_products_async (self->store, load->listing, 0, json_node_get_array (data), total,
                                       NULL, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

void
sd_catalog_load_query_async (SdCatalog *self, const char *category_id, const char *query, const char *sort,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  SdSortOrder order = SD_SORT_ORDER_SHOP;

  if (!sd_sort_order_from_wire (sort, &order))
    g_critical ("%s: “%s” is no sort key; the shop's order is used", G_STRFUNC, sort);
  sd_catalog_load_sorted_async (self, category_id, query, order, cancellable, callback, user_data);
}

void
sd_catalog_load_sorted_async (SdCatalog *self, const char *category_id, const char *query, SdSortOrder sort,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Load *load;
  g_autofree char *path = NULL;

  g_return_if_fail (SD_IS_CATALOG (self));

  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);

  load = g_new0 (Load, 1);
  load->category_id = g_strdup (category_id);
  load->query = g_strdup (query);
  load->sort = sort;
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
  path = page_path (self, category_id, query, sort, 0);
  load->listing = g_strdup (path);
  if (self->store && query && *query)
    sd_local_store_search_async (self->store, SD_SEARCH_PRODUCTS, query, PAGE_SIZE, load->cancellable,
                                 local_hits_cb, g_object_ref (task));
  else if (self->store)
    sd_local_store_read_products_async (self->store, load->listing, 0, PAGE_SIZE, load->cancellable,
                                        disk_page_cb, g_object_ref (task));
  sd_api_call_async (self->api, "GET", path, NULL, load->cancellable, first_page_cb, task);
}

void
sd_catalog_load_async (SdCatalog *self, const char *category_id, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  sd_catalog_load_sorted_async (self, category_id, NULL, SD_SORT_ORDER_SHOP, cancellable, callback, user_data);
}

gboolean
sd_catalog_load_finish (SdCatalog *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
sd_catalog_get_query (SdCatalog *self)
{
  g_return_val_if_fail (SD_IS_CATALOG (self), NULL);
  return self->query && *self->query ? self->query : NULL;
}
