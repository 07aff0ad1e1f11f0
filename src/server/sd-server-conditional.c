/* sd-server-conditional.c — [ext] "conditional" (see the header). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-conditional.h"

/* An updatedAt is 24 characters; anything much longer is not one. */
#define BASE_MAX 64

static gboolean
base_is_sane (const char *base, gsize len)
{
  if (len == 0 || len > BASE_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (base[i] <= 0x20 || base[i] >= 0x7f || base[i] == '"')
      return FALSE;
  return TRUE;
}

gboolean
sd_server_conditional_base (SdServerRequest *req, char **out_base)
{
  const char *if_match = sd_request_header (req, "If-Match");
  JsonObject *body = sd_body_object (req);
  JsonNode *field = body ? json_object_get_member (body, SD_BASE_MEMBER) : NULL;
  const char *from_body = NULL;

  *out_base = NULL;
  if (field != NULL && !JSON_NODE_HOLDS_NULL (field))
    {
      if (!JSON_NODE_HOLDS_VALUE (field) || json_node_get_value_type (field) != G_TYPE_STRING ||
          !base_is_sane (json_node_get_string (field), strlen (json_node_get_string (field))))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                               SD_BASE_MEMBER " is the updatedAt of the copy the change was made on."), FALSE;
      from_body = json_node_get_string (field);
    }
  if (if_match != NULL && strcmp (if_match, "*") != 0)
    {
      gsize len = strlen (if_match);

      /* One strong tag, as this server sends them: weak ones never match
       * for If-Match (RFC 9110, 13.1.1), lists are no base of one copy. */
      if (len < 2 || if_match[0] != '"' || if_match[len - 1] != '"' || !base_is_sane (if_match + 1, len - 2))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                               "If-Match takes one ETag, as GET sent it: \"<updatedAt>\"."), FALSE;
      if (from_body != NULL && (strlen (from_body) != len - 2 || strncmp (from_body, if_match + 1, len - 2) != 0))
        return sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                               "If-Match and " SD_BASE_MEMBER " name different copies."), FALSE;
      if (from_body == NULL)
        return *out_base = g_strndup (if_match + 1, len - 2), TRUE;
    }
  *out_base = g_strdup (from_body);
  return TRUE;
}

void
sd_server_conditional_etag (SdServerRequest *req, JsonNode *record)
{
  const char *updated;
  g_autofree char *etag = NULL;

  if (record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
    return;
  updated = json_object_get_string_member_with_default (json_node_get_object (record), "updatedAt", NULL);
  if (updated == NULL)
    return;
  etag = g_strdup_printf ("\"%s\"", updated);
  sd_reply_set_header (req, "ETag", etag);
}

void
sd_server_conditional_reply_current (SdServerRequest *req, guint status, const char *message, JsonNode *record)
{
  sd_server_conditional_etag (req, record);
  sd_reply_error_data (req, status, message, record);
}

gboolean
sd_server_conditional_stale (SdServerRequest *req, const char *base, JsonNode *record)
{
  if (base == NULL || record == NULL || !JSON_NODE_HOLDS_OBJECT (record) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (record), "updatedAt", NULL),
                 base) == 0)
    return FALSE;
  sd_server_conditional_reply_current (req, SOUP_STATUS_PRECONDITION_FAILED, SD_CHANGED_MESSAGE,
                                       json_node_copy (record));
  return TRUE;
}
