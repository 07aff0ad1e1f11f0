/* sd-server-activity.c — [ext] "activity": who changed what, and when,
 * for the staff (README, "API notes").
 *
 *   GET /api/v1/admin/activity[?page=N][&perPage=N][&entity=order|product|category][&id=ID]
 *
 * Newest first, 20 a page (at most 100; limit= is the same as perPage=),
 * X-Total-Count and Link as every paged list. id names one row of the
 * entity given. What is recorded: the changes staff make (an order's
 * status and its other fields, a cancel or a delete; a product or a
 * category made, changed or deleted), each in the change's own
 * transaction, with the request's X-Storedesk-Origin (bulk, undo,
 * replay; any other value is none). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-contract.h"
#include "sd-server-activity.h"
#include "sd-server-paging.h"
#include "sd-server-routes.h"

#define PER_PAGE_DEFAULT 20
#define PAGE_MAX 10000000
#define ID_MAX 64

static const char * const origins[] = { "bulk", "undo", "replay" };
static const char * const entities[] = { "order", "product", "category" };

void
sd_server_activity_begin_request (SdServerRequest *req)
{
  const char *origin = sd_request_header (req, SD_HEADER_ORIGIN);
  const char *kept = NULL;

  if (!req->is_admin || sd_request_config (req)->no_extensions)
    return;
  for (guint i = 0; origin && i < G_N_ELEMENTS (origins); i++)
    if (g_ascii_strcasecmp (origin, origins[i]) == 0)
      kept = origins[i];
  sd_server_store_set_actor (sd_request_store (req), req->user_id, kept);
}

void
sd_server_activity_end_request (SdServerRequest *req)
{
  sd_server_store_set_actor (sd_request_store (req), NULL, NULL);
}

static gboolean
parse_count (const char *text, guint max, guint *out)
{
  guint64 v;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static void
activity_route (SdServerRequest *req)
{
  const char *per_page = sd_request_query (req, "perPage");
  const char *entity = sd_request_query (req, "entity");
  const char *id = sd_request_query (req, "id");
  g_autoptr(GError) error = NULL;
  SdServerActivityQuery query = { 0 };
  guint page = 1, limit = PER_PAGE_DEFAULT;
  gint64 total = 0;
  JsonNode *rows;

  if (!parse_count (sd_request_query (req, "page"), PAGE_MAX, &page))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "page must be a whole number from 1.");
  if (!parse_count (per_page ? per_page : sd_request_query (req, "limit"), SD_PAGE_LIMIT_MAX, &limit))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "perPage must be a whole number from 1 to 100.");
  if (entity && !g_strv_contains ((const char * const *) entities, entity))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "entity must be order, product or category.");
  if (id && (entity == NULL || *id == '\0' || strlen (id) > ID_MAX))
    return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "id needs an entity, and is at most 64 characters.");
  query = (SdServerActivityQuery) {
    .entity = entity, .entity_id = id, .offset = (page - 1) * limit, .limit = limit,
  };
  rows = sd_server_store_list_activity (sd_request_store (req), &query, &total, &error);
  if (rows == NULL)
    return sd_reply_internal (req, error);
  sd_server_set_paging_headers (req, total, query.offset, query.limit, TRUE);
  sd_reply (req, SOUP_STATUS_OK, rows);
}

const SdRoute sd_server_activity_routes[] = {
  { "GET", SD_PATH_ADMIN_ACTIVITY, SD_ACCESS_ADMIN, SD_BODY_NONE, activity_route },
  { NULL }
};
