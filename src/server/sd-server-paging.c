/* sd-server-paging.c — [ext] paged lists: ?page= and ?limit= in, and
 * X-Total-Count and Link (next, prev) out. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include "sd-server-paging.h"

static gboolean
parse_positive (const char *text, guint max, guint *out)
{
  guint64 v;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

gboolean
sd_server_parse_paging (SdServerRequest *req, guint *out_offset, guint *out_limit, gboolean *out_paged)
{
  const char *page_s = sd_request_query (req, "page");
  const char *limit_s = sd_request_query (req, "limit");
  guint page = 1, limit = SD_PAGE_LIMIT_DEFAULT;

  if (page_s && !parse_positive (page_s, 10000000, &page))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "page must be a whole number from 1.");
      return FALSE;
    }
  if (limit_s && !parse_positive (limit_s, SD_PAGE_LIMIT_MAX, &limit))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "limit must be a whole number from 1 to 100.");
      return FALSE;
    }
  *out_paged = page_s != NULL || limit_s != NULL;
  *out_offset = *out_paged ? (page - 1) * limit : 0;
  *out_limit = *out_paged ? limit : SD_UNPAGED_MAX;
  return TRUE;
}

static void
add_link (GString *link, SdServerRequest *req, guint page, const char *rel)
{
  g_autoptr(GHashTable) q = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  if (req->query)
    {
      g_hash_table_iter_init (&iter, req->query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (q, k, g_strdup (v));
    }
  g_hash_table_insert (q, (gpointer) "page", g_strdup_printf ("%u", page));
  encoded = soup_form_encode_hash (q);
  if (link->len)
    g_string_append (link, ", ");
  g_string_append_printf (link, "<%s?%s>; rel=\"%s\"",
                          req->path, encoded, rel);
}

void
sd_server_set_paging_headers (SdServerRequest *req, gint64 total, guint offset, guint limit, gboolean paged)
{
  char total_s[32];

  g_snprintf (total_s, sizeof total_s, "%" G_GINT64_FORMAT, total);
  sd_reply_set_header (req, SD_HEADER_TOTAL_COUNT, total_s);
  if (paged)
    {
      g_autoptr(GString) link = g_string_new (NULL);
      guint page = offset / limit + 1;

      if ((gint64) offset + limit < total)
        add_link (link, req, page + 1, "next");
      if (page > 1)
        add_link (link, req, page - 1, "prev");
      if (link->len)
        sd_reply_set_header (req, SD_HEADER_LINK, link->str);
    }
}
