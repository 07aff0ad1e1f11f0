/* sd-server-checks.c — the account fields of a body against the
 * contract's rules (see sd-server-checks.h). */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <string.h>

#include "sd-server-checks.h"

char *
sd_server_check_body_email (SdServerRequest *req)
{
  gboolean bad = FALSE;
  const char *email = sd_body_string (req, "email", &bad);

  if (bad)
    return NULL;
  if (!sd_field_is_email (email))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a valid email address.");
      return NULL;
    }
  return g_ascii_strdown (email, -1);
}

gboolean
sd_server_check_new_password (SdServerRequest *req, const char *password, const char *confirm)
{
  if (!sd_field_is_password (password))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST,
                      "The password must be 8 to 16 characters: letters, digits and ! @ # $ % ^ & * ( ) - _ + = < > ?");
      return FALSE;
    }
  if (confirm != NULL && strcmp (password, confirm) != 0)
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "The two passwords differ.");
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_server_check_text (SdServerRequest *req, const char *value, const char *what, gsize max, gboolean required)
{
  if ((required && (value == NULL || *value == '\0')) ||
      (value && (g_utf8_strlen (value, -1) > (glong) max || !g_utf8_validate (value, -1, NULL))))
    {
      g_autofree char *m = g_strdup_printf ("Enter %s (at most %" G_GSIZE_FORMAT " characters).", what, max);
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, m);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_server_check_name (SdServerRequest *req, const char *name)
{
  if (!sd_field_is_name (name))
    {
      sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a name of 2 to 30 letters.");
      return FALSE;
    }
  return TRUE;
}

char *
sd_server_check_phone (SdServerRequest *req, const char *phone)
{
  char *normal = sd_field_normalize_phone (phone);

  if (normal == NULL)
    sd_reply_error (req, SOUP_STATUS_BAD_REQUEST, "Enter a mobile number: 010 and 8 digits.");
  return normal;
}
