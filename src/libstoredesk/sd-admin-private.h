/* sd-admin-private.h — what sd-admin.c and sd-admin-orders.c share. */
#pragma once

#include "sd-admin.h"
#include "sd-models-private.h"

G_BEGIN_DECLS

struct _SdAdmin
{
  GObject       parent_instance;
  SdApi        *api;
  SdLocalStore *store;   /* orders seen, kept on disk; or NULL */
};

/* One call whose data is one object, made by from_json; an unknown id
 * (the original's 200 with data null) is SD_API_ERROR_NOT_FOUND. */
void     sd_admin_call_for_object (SdAdmin             *self,
                                   const char          *method,
                                   const char          *path,
                                   JsonNode            *body,
                                   SdFromJson           from_json,
                                   gpointer             tag,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gpointer sd_admin_object_finish   (SdAdmin             *self,
                                   GAsyncResult        *result,
                                   GError             **error);
/* prefix + id, the id escaped as a path segment. */
char    *sd_admin_path_with_id    (const char          *prefix,
                                   const char          *id);

G_END_DECLS
