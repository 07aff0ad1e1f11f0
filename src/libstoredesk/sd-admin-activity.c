/* sd-admin-activity.c — the shop's activity log for staff ([ext]
 * "activity"): who changed what, newest first, a page at a time. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-activity-private.h"
#include "sd-admin-private.h"
#include "sd-api-private.h"

/* An entry's id is the shop's id of a record: never longer than this. */
#define ID_MAX 64

typedef struct {
  GListModel *entries;
  gint64      total;
} ActivityPage;

static void
activity_page_free (ActivityPage *p)
{
  g_clear_object (&p->entries);
  g_free (p);
}

gboolean
sd_admin_get_keeps_activity (SdAdmin *self)
{
  g_return_val_if_fail (SD_IS_ADMIN (self), FALSE);
  return sd_api_has_feature (self->api, SD_FEATURE_ACTIVITY);
}

static void
activity_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;
  g_autoptr(JsonNode) data = sd_api_call_finish (SD_API (source), result, &total, &error);
  GListModel *entries = NULL;
  ActivityPage *page;

  /* A shop without the log (the original) has no such route. */
  if (data == NULL && g_error_matches (error, SD_API_ERROR, SD_API_ERROR_NOT_FOUND))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_UNSUPPORTED, "%s",
                               _("This shop does not keep a log of changes."));
      return;
    }
  if (data)
    entries = sd_json_to_store (data, SD_TYPE_ACTIVITY, sd_activity_new_from_json, "activity", &error);
  if (entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  page = g_new0 (ActivityPage, 1);
  page->entries = entries;
  page->total = total >= 0 ? total : g_list_model_get_n_items (entries);
  g_task_return_pointer (task, page, (GDestroyNotify) activity_page_free);
}

void
sd_admin_list_activity_async (SdAdmin *self, SdActivityEntity entity, const char *id, guint page, guint per_page,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GString) path = g_string_new (SD_PATH_ADMIN_ACTIVITY "?");

  g_return_if_fail (SD_IS_ADMIN (self));
  g_return_if_fail (id == NULL || entity != SD_ACTIVITY_ANY);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_admin_list_activity_async);
  if (id != NULL && (*id == '\0' || strlen (id) > ID_MAX))
    {
      g_task_return_new_error (task, SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, "%s", _("No such record."));
      g_object_unref (task);
      return;
    }
  g_string_append_printf (path, "page=%u&perPage=%u", MAX (page, 1), CLAMP (per_page, 1, SD_PAGE_LIMIT_MAX));
  if (entity != SD_ACTIVITY_ANY)
    g_string_append_printf (path, "&entity=%s", sd_activity_entity_to_wire (entity));
  if (id != NULL)
    {
      g_string_append (path, "&id=");
      g_string_append_uri_escaped (path, id, NULL, FALSE);
    }
  sd_api_call_async (self->api, "GET", path->str, NULL, cancellable, activity_cb, task);
}

GListModel *
sd_admin_list_activity_finish (SdAdmin *self, GAsyncResult *result, gint64 *out_total, GError **error)
{
  ActivityPage *page;
  GListModel *entries;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;
  entries = g_steal_pointer (&page->entries);
  if (out_total)
    *out_total = page->total;
  activity_page_free (page);
  return entries;
}
