/* sd-pick-list.c — see sd-pick-list.h. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-admin-private.h"
#include "sd-category.h"
#include "sd-option.h"
#include "sd-pick-list.h"
#include "sd-product.h"

struct _SdPickList
{
  GObject    parent_instance;

  GPtrArray *orders;     /* SdOrder of the run */
  guint      left_out;
  GPtrArray *groups;     /* SdPickGroup */
  guint      n_lines;
  guint      n_items;
};

G_DEFINE_FINAL_TYPE (SdPickList, sd_pick_list, G_TYPE_OBJECT)

static void
pick_line_free (SdPickLine *line)
{
  g_free (line->product_id);
  g_free (line->name);
  g_free (line->option);
  g_free (line);
}

static void
pick_group_free (SdPickGroup *group)
{
  g_free (group->category_id);
  g_free (group->name);
  g_ptr_array_unref (group->lines);
  g_free (group);
}

static void
sd_pick_list_finalize (GObject *object)
{
  SdPickList *self = SD_PICK_LIST (object);

  g_ptr_array_unref (self->orders);
  g_ptr_array_unref (self->groups);
  G_OBJECT_CLASS (sd_pick_list_parent_class)->finalize (object);
}

static void
sd_pick_list_class_init (SdPickListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_pick_list_finalize;
}

static void
sd_pick_list_init (SdPickList *self)
{
  self->orders = g_ptr_array_new_with_free_func (g_object_unref);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) pick_group_free);
}

/* The original names a line's option by the id of the product's whole
 * option set (API.md), never the value: that is no option to pick. */
static gboolean
is_option_id (const char *option, SdProduct *product)
{
  SdOption *set = product ? sd_product_get_option (product) : NULL;
  gsize n = strlen (option);

  if (set && *sd_option_get_id (set) && g_strcmp0 (sd_option_get_id (set), option) == 0)
    return TRUE;
  /* A MongoDB ObjectId: 24 hex digits, never a value a customer picked. */
  for (gsize i = 0; n == 24 && i < n; i++)
    if (!g_ascii_isxdigit (option[i]))
      return FALSE;
  return n == 24;
}

static int
compare_text (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);   /* none first */
  return g_utf8_collate (a, b);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  const SdPickLine *x = *(SdPickLine * const *) a, *y = *(SdPickLine * const *) b;
  int c = compare_text (x->name, y->name);

  if (c == 0)
    c = compare_text (x->option, y->option);
  return c ? c : g_strcmp0 (x->product_id, y->product_id);
}

/* Named groups by name; the unnamed one last. */
static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const SdPickGroup *x = *(SdPickGroup * const *) a, *y = *(SdPickGroup * const *) b;
  int c;

  if (x->name == NULL || y->name == NULL)
    return (x->name == NULL) - (y->name == NULL);
  c = g_utf8_collate (x->name, y->name);
  return c ? c : g_strcmp0 (x->category_id, y->category_id);
}

/* Every model's item by its id (id_of), in a table of borrowed pointers. */
static GHashTable *
index_by_id (GListModel *model, const char *(*id_of) (gpointer))
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++)
    {
      gpointer item = g_list_model_get_item (model, i);

      /* A catalog's placeholders (pages not read yet) have no id. */
      if (id_of (item) && *id_of (item))
        g_hash_table_replace (index, (gpointer) id_of (item), item);
      else
        g_object_unref (item);
    }
  return index;
}

static SdPickGroup *
group_for (GHashTable *groups, SdProduct *product, GHashTable *categories)
{
  const char *category_id = product ? sd_product_get_category_id (product) : NULL;
  SdCategory *category = category_id ? g_hash_table_lookup (categories, category_id) : NULL;
  const char *key = category ? sd_category_get_id (category) : "";
  SdPickGroup *group = g_hash_table_lookup (groups, key);

  if (group == NULL)
    {
      group = g_new0 (SdPickGroup, 1);
      group->category_id = category ? g_strdup (key) : NULL;
      group->name = category ? g_strdup (sd_category_get_name (category)) : NULL;
      group->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pick_line_free);
      g_hash_table_insert (groups, group->category_id ? group->category_id : "", group);
    }
  return group;
}

static void
add_line (SdPickList *self, SdOrderLine *line, GHashTable *products, GHashTable *categories,
          GHashTable *groups, GHashTable *lines, GHashTable *seen)
{
  const char *id = sd_order_line_get_product_id (line);
  SdProduct *product = g_hash_table_lookup (products, id);
  const char *option = sd_order_line_get_option (line);
  g_autofree char *key = NULL;
  SdPickLine *pick;

  if (option && (*option == '\0' || is_option_id (option, product)))
    option = NULL;
  /* The product's id, then the option: "\n" is in neither. */
  key = g_strconcat (id, "\n", option, NULL);
  if ((pick = g_hash_table_lookup (lines, key)) == NULL)
    {
      SdPickGroup *group = group_for (groups, product, categories);
      const char *name = sd_order_line_get_name (line);

      pick = g_new0 (SdPickLine, 1);
      pick->product_id = g_strdup (id);
      pick->name = g_strdup (name && *name ? name : product ? sd_product_get_name (product) : id);
      pick->option = g_strdup (option);
      g_ptr_array_add (group->lines, pick);
      g_hash_table_insert (lines, g_steal_pointer (&key), pick);
      self->n_lines++;
    }
  pick->count += sd_order_line_get_count (line);
  self->n_items += sd_order_line_get_count (line);
  /* Counted once per order, however many of its lines it is on. */
  if (g_hash_table_add (seen, pick))
    pick->n_orders++;
}

static const char *product_id_of (gpointer p) { return sd_product_get_id (p); }
static const char *category_id_of (gpointer c) { return sd_category_get_id (c); }

SdPickList *
sd_pick_list_new (GPtrArray *orders, GListModel *products, GListModel *categories)
{
  SdPickList *self = g_object_new (SD_TYPE_PICK_LIST, NULL);
  g_autoptr(GHashTable) by_id = index_by_id (products, product_id_of);
  g_autoptr(GHashTable) category_by_id = index_by_id (categories, category_id_of);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer group;

  g_return_val_if_fail (orders != NULL, NULL);
  for (guint i = 0; i < orders->len; i++)
    {
      SdOrder *order = orders->pdata[i];
      GListModel *order_lines = sd_order_get_lines (order);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      if (sd_order_get_status (order) == SD_ORDER_STATUS_CANCELLED)
        {
          self->left_out++;
          continue;
        }
      g_ptr_array_add (self->orders, g_object_ref (order));
      for (guint l = 0; l < g_list_model_get_n_items (order_lines); l++)
        {
          g_autoptr(SdOrderLine) line = g_list_model_get_item (order_lines, l);

          add_line (self, line, by_id, category_by_id, groups, lines, seen);
        }
    }
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &group))
    {
      g_ptr_array_sort (((SdPickGroup *) group)->lines, compare_lines);
      g_ptr_array_add (self->groups, group);
    }
  g_ptr_array_sort (self->groups, compare_groups);
  return self;
}

/* ---- loading what places the lines --------------------------------------- */

typedef struct {
  SdAdmin    *admin;
  GListModel *known;
  GPtrArray  *orders;
  GListModel *products;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->admin);
  g_clear_object (&load->known);
  g_ptr_array_unref (load->orders);
  g_clear_object (&load->products);
  g_free (load);
}

static void
categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = sd_category_list_finish (SD_API (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (categories == NULL)
    g_debug ("Pick list without the categories: %s", error->message);
  g_task_return_pointer (task, sd_pick_list_new (load->orders, load->products, categories), g_object_unref);
}

static void
products_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  load->products = sd_admin_list_products_finish (SD_ADMIN (source), result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (load->products == NULL)
    {
      g_debug ("Pick list with the products shown: %s", error->message);
      load->products = load->known ? g_object_ref (load->known) : NULL;
    }
  sd_category_list_kept_async (load->admin->api, load->admin->store, g_task_get_cancellable (task), categories_cb,
                               g_object_ref (task));
}

void
sd_pick_list_load_async (SdAdmin *admin, GListModel *known, GPtrArray *orders, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (SD_IS_ADMIN (admin));
  g_return_if_fail (orders != NULL);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_pick_list_load_async);
  load = g_new0 (Load, 1);
  load->admin = g_object_ref (admin);
  load->known = known ? g_object_ref (known) : NULL;
  load->orders = g_ptr_array_ref (orders);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  sd_admin_list_products_async (admin, cancellable, products_cb, g_steal_pointer (&task));
}

SdPickList *
sd_pick_list_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reading ------------------------------------------------------------- */

GPtrArray *
sd_pick_list_get_orders (SdPickList *self)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), NULL);
  return self->orders;
}

guint
sd_pick_list_get_n_left_out (SdPickList *self)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), 0);
  return self->left_out;
}

guint
sd_pick_list_get_n_groups (SdPickList *self)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), 0);
  return self->groups->len;
}

const SdPickGroup *
sd_pick_list_get_group (SdPickList *self, guint index)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), NULL);
  g_return_val_if_fail (index < self->groups->len, NULL);
  return self->groups->pdata[index];
}

guint
sd_pick_list_get_n_lines (SdPickList *self)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), 0);
  return self->n_lines;
}

guint
sd_pick_list_get_n_items (SdPickList *self)
{
  g_return_val_if_fail (SD_IS_PICK_LIST (self), 0);
  return self->n_items;
}

gboolean
sd_pick_list_next_status (SdOrderStatus status, SdOrderStatus *out_next)
{
  switch (status)
    {
    case SD_ORDER_STATUS_PAID:
    case SD_ORDER_STATUS_PREPARING:
    case SD_ORDER_STATUS_SHIPPING:
      *out_next = status + 1;
      return TRUE;
    case SD_ORDER_STATUS_AWAITING_PAYMENT:
    case SD_ORDER_STATUS_DELIVERED:
    case SD_ORDER_STATUS_CONFIRMED:
    case SD_ORDER_STATUS_CANCELLED:
    case SD_ORDER_STATUS_N:
    default:
      return FALSE;
    }
}
