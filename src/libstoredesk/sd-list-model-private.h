/* sd-list-model-private.h — the GListModel of an object that keeps its
 * items in a GPtrArray of GObjects (SdCart, SdOrders, SdUploadQueue).
 *
 *   SD_PTR_ARRAY_LIST_MODEL (sd_cart, SdCart, SD_CART, lines, SD_TYPE_CART_LINE)
 *
 * defines sd_cart_list_model_iface_init(), to be named in
 * G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, …). The owner still emits
 * items-changed itself. */
#pragma once

#include <gio/gio.h>

#define SD_PTR_ARRAY_LIST_MODEL(prefix, Type, CAST, field, item_type)                     \
  static GType                                                                             \
  prefix##_get_item_type (GListModel *model)                                               \
  {                                                                                        \
    return item_type;                                                                      \
  }                                                                                        \
                                                                                           \
  static guint                                                                             \
  prefix##_get_n_items (GListModel *model)                                                 \
  {                                                                                        \
    return CAST (model)->field->len;                                                       \
  }                                                                                        \
                                                                                           \
  static gpointer                                                                          \
  prefix##_get_item (GListModel *model, guint position)                                    \
  {                                                                                        \
    Type *self = CAST (model);                                                             \
    return position < self->field->len ? g_object_ref (self->field->pdata[position]) : NULL; \
  }                                                                                        \
                                                                                           \
  static void                                                                              \
  prefix##_list_model_iface_init (GListModelInterface *iface)                              \
  {                                                                                        \
    iface->get_item_type = prefix##_get_item_type;                                         \
    iface->get_n_items = prefix##_get_n_items;                                             \
    iface->get_item = prefix##_get_item;                                                   \
  }
