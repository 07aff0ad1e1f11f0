/* sd-api-cookies.c — the refresh cookie, read from a reply's Set-Cookie by
 * hand (no cookie jar). */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <string.h>

#include "sd-api-private.h"

/* A Set-Cookie header without its Domain attributes. libsoup 3.2's
 * soup_cookie_parse refuses "Domain=localhost" even without an origin
 * (a domain without a dot is a public suffix to it), and the domain means
 * nothing here: the cookie only ever goes back to this shop, by hand. */
static char *
without_domain (const char *header)
{
  g_auto(GStrv) parts = g_strsplit (header, ";", -1);
  g_autoptr(GString) kept = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      const char *attr = parts[i];

      while (*attr == ' ' || *attr == '\t')
        attr++;
      if (i > 0 && g_ascii_strncasecmp (attr, "domain", 6) == 0 &&
          (attr[6] == '=' || attr[6] == ' ' || attr[6] == '\0'))
        continue;
      if (kept->len)
        g_string_append_c (kept, ';');
      g_string_append (kept, parts[i]);
    }
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

/* The refresh cookie, read from the reply by hand (no origin check, so
 * Secure over http is no obstacle): the original sends "refreshToken=…;
 * Max-Age=21600; Domain=localhost; Path=/; Expires=…; HttpOnly; Secure"
 * (settings/cookieOptions.js, COOKIE_DOMAIN and COOKIE_SECURE set), which
 * a jar drops over http and for 127.0.0.1. The newest wins (ours rotates
 * it on every refresh); an empty or expired one (a sign-out) forgets it. */
void
sd_api_read_refresh_cookie (SdApi *self, SoupMessage *msg)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      SoupCookie *cookie;

      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      {
        g_autofree char *header = without_domain (value);

        cookie = soup_cookie_parse (header, NULL);
        explicit_bzero (header, strlen (header));
      }
      if (cookie == NULL)
        continue;
      if (g_strcmp0 (soup_cookie_get_name (cookie), SD_REFRESH_COOKIE) == 0)
        {
          GDateTime *expires = soup_cookie_get_expires (cookie);
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          const char *token = soup_cookie_get_value (cookie);

          if (token == NULL || *token == '\0' || (expires && g_date_time_compare (expires, now) <= 0))
            sd_api_set_refresh_token (self, NULL);
          else
            sd_api_set_refresh_token (self, token);
        }
      soup_cookie_free (cookie);
    }
}
