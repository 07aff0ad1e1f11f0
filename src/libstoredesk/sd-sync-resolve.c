/* sd-sync-resolve.c — what the user decides about an edit waiting in the
 * queue (see sd_sync_resolve_async): drop it, or send it again on the
 * shop's record, whole or some fields of it. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-sync-private.h"

typedef struct {
  SdSync     *sync;
  SdSyncItem *item;
  GTask      *task;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_object_unref (r->sync);
  g_object_unref (r->item);
  g_clear_object (&r->task);
  g_free (r);
}

static void
discarded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Resolve *r = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_local_store_dequeue_finish (SD_LOCAL_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_task_return_error (r->task, g_steal_pointer (&error));
  else
    {
      sd_sync_drop (r->sync, r->item);
      g_task_return_pointer (r->task, NULL, NULL);
      sd_sync_pump (r->sync);
    }
  resolve_free (r);
}

static void
resolved_rebased_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Resolve *r = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_local_store_dequeue_finish (SD_LOCAL_STORE (source), result, &error))
    g_task_return_error (r->task, g_steal_pointer (&error));
  else
    {
      sd_sync_item_set_state (r->item, SD_SYNC_WAITING, NULL);
      sd_sync_count (r->sync);
      r->item->waiter = g_steal_pointer (&r->task);
      sd_sync_retry_now (r->sync);
      sd_sync_pump (r->sync);
    }
  resolve_free (r);
}

void
sd_sync_resolve_async (SdSync *self, SdSyncItem *item, SdSyncResolution resolution, const char * const *fields,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Resolve *r = g_new0 (Resolve, 1);
  g_autoptr(JsonObject) changes = NULL;

  g_return_if_fail (SD_IS_SYNC (self));
  g_return_if_fail (SD_IS_SYNC_ITEM (item));
  r->sync = g_object_ref (self);
  r->item = g_object_ref (item);
  r->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (r->task, sd_sync_resolve_async);
  if (item->state == SD_SYNC_SENDING || item->waiter != NULL || !sd_sync_holds (self, item))
    {
      g_task_return_new_error (r->task, G_IO_ERROR, G_IO_ERROR_BUSY, _("This change is being sent now."));
      resolve_free (r);
      return;
    }
  if (resolution == SD_SYNC_MERGE)
    {
      changes = json_object_new ();
      for (guint i = 0; fields && fields[i]; i++)
        if (json_object_has_member (item->changes, fields[i]))
          json_object_set_member (changes, fields[i], json_node_copy (json_object_get_member (item->changes, fields[i])));
      if (json_object_get_size (changes) == 0)
        resolution = SD_SYNC_KEEP_THEIRS;
    }
  if (resolution == SD_SYNC_KEEP_THEIRS)
    {
      sd_local_store_dequeue_async (sd_sync_get_store (self), item->key, cancellable, discarded_cb, r);
      return;
    }
  /* Yours (or the chosen fields of it), made now on the shop's record. */
  if (item->theirs)
    sd_sync_item_rebase (item, item->theirs, changes);
  else if (changes)
    sd_sync_item_rebase (item, item->base, changes);
  {
    g_autofree char *body = sd_sync_item_body (item);

    sd_local_store_rebase_async (sd_sync_get_store (self), item->key, body, sd_sync_item_base_updated_at (item), cancellable,
                                 resolved_rebased_cb, r);
  }
}

