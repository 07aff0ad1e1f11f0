/* sd-api-errors.c — the SD_API_ERROR mapping: HTTP statuses, transport
 * errors and the server's texts, in our own words. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-api-private.h"

/* ---- error mapping -------------------------------------------------- */

GError *
sd_api_map_transport_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == SD_API_ERROR)
    return g_error_copy (error);

  g_debug ("transport error: %s", error->message);
  if (error->domain == G_TLS_ERROR)
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_TLS,
                                _("The shop’s identity could not be verified, so Storedesk did not "
                                  "connect. Check that the shop address is right."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_TIMEOUT,
                                _("The shop took too long to answer. Try again in a moment."));
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_OFFLINE,
                              _("The shop is not reachable. Check your connection and try again."));
}

/* ---- the original's faults ---------------------------------------------
 * The original answers most bad input with a 500 whose "error" is the
 * exception's message (app.js:102-107). These are the ones known, each in
 * our own words with what to do next; the one place they are read. */

#define CODE_SENT_MESSAGE _("A code was sent a moment ago; check your mail, or wait five minutes to ask for a new one.")
#define NO_WITHDRAW_MESSAGE _("This shop cannot delete accounts. To close your account, contact the shop and ask them to delete it.")
#define WRONG_CODE_MESSAGE _("That code is wrong or has expired. Check the code in your mail, or ask for a new one.")
#define BAD_PASSWORD_MESSAGE _("The shop did not accept the new password. Use 8 to 16 letters, digits and ! @ # $ % ^ & * ( ) - _ + = < > ?, then try again.")

/* By the text alone, on any route. */
static GError *
error_for_known_fault (const char *text)
{
  /* authService.js:254 deletes with an undefined "session". */
  if (strstr (text, "session is not defined"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_UNSUPPORTED, NO_WITHDRAW_MESSAGE);
  /* A second code within five minutes: EmailVerification's unique email
   * (schema/emailVerification.js:9, authService.js:293). */
  if (strstr (text, "E11000") && strstr (text, "EmailVerification"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_TOO_MANY_REQUESTS, CODE_SENT_MESSAGE);
  if (strstr (text, "E11000") || strstr (text, "duplicate key"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_CONFLICT,
                                _("The shop already has this. Reload to see it, or use another name or address."));
  /* mongoose: a malformed id ("Cast to ObjectId failed for value …"). */
  if (strstr (text, "Cast to ") || strstr (text, "CastError"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_NOT_FOUND,
                                _("The shop has no such item. Reload to see what is there now."));
  /* mongoose: a required field missing, a status it does not know. */
  if (strstr (text, "validation failed") || strstr (text, "is required") || strstr (text, "not a valid enum value"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT,
                                _("The shop is missing something it needs. Check that every field is filled in, then try again."));
  /* body-parser: JSON it could not read. */
  if (strstr (text, "in JSON at position") || strstr (text, "Unexpected token") ||
      strstr (text, "Unexpected end of JSON") || strstr (text, "is not valid JSON"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_SERVER,
                                _("The shop could not read what Storedesk sent. Try again; if it keeps happening, tell the shop."));
  /* authService.js:314 and :341: every failure of these two. */
  if (strstr (text, "이메일 인증 중에 오류가 발생했습니다"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, WRONG_CODE_MESSAGE);
  if (strstr (text, "비밀번호 변경 중 오류가 발생했습니다"))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, BAD_PASSWORD_MESSAGE);
  return NULL;
}

/* By the route, at a shop that lists no [ext] feature (the original),
 * whatever its text: a 500 there is what these routes always answer. */
GError *
sd_api_error_for_original_route (const char *method, const char *path, guint status)
{
  if (status < 500 || g_strcmp0 (method, "POST") != 0)
    return NULL;
  if (g_str_equal (path, SD_PATH_WITHDRAW))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_UNSUPPORTED, NO_WITHDRAW_MESSAGE);
  if (g_str_equal (path, SD_PATH_SEND_CODE))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_TOO_MANY_REQUESTS, CODE_SENT_MESSAGE);
  if (g_str_equal (path, SD_PATH_CONFIRM_EMAIL))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, WRONG_CODE_MESSAGE);
  if (g_str_equal (path, SD_PATH_CHANGE_PASSWORD))
    return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_INVALID_INPUT, BAD_PASSWORD_MESSAGE);
  return NULL;
}

GError *
sd_api_error_for_status (guint status, const char *server_message)
{
  SdApiError code;
  const char *fallback;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      code = SD_API_ERROR_UNAUTHORIZED;
      fallback = _("You are not signed in, or your session ended. Sign in again.");
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = SD_API_ERROR_FORBIDDEN;
      fallback = _("Your account may not do this.");
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = SD_API_ERROR_NOT_FOUND;
      fallback = _("The shop has no such item any more. Reload to see what is there now.");
      break;
    case SOUP_STATUS_CONFLICT:
      code = SD_API_ERROR_CONFLICT;
      fallback = _("Something changed at the shop in the meantime. Reload and try again.");
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = SD_API_ERROR_TOO_LARGE;
      fallback = _("That is too large for the shop to accept.");
      break;
    case SOUP_STATUS_PRECONDITION_FAILED:
      code = SD_API_ERROR_CHANGED;
      fallback = _("Someone changed this at the shop since your copy was read.");
      break;
    case 429:
      code = SD_API_ERROR_TOO_MANY_REQUESTS;
      fallback = _("Too many attempts. Wait a few minutes and try again.");
      break;
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      code = SD_API_ERROR_INVALID_INPUT;
      fallback = _("The shop did not accept what was sent. Check the fields and try again.");
      break;
    default:
      code = SD_API_ERROR_SERVER;
      fallback = _("The shop had a problem answering. Try again later.");
      break;
    }

  if (server_message)
    g_debug ("HTTP %u: %s", status, server_message);
  /* A fault the original answers with a 500 and its own text (API.md,
   * "The original's behaviour"): said in our words, never its dump. */
  if (status >= 500 && server_message)
    {
      GError *known = error_for_known_fault (server_message);

      if (known)
        return known;
    }
  /* The shop's own words matter where the user can act on them: its
   * validation messages (4xx) only. */
  if (server_message && *server_message && status >= 400 && status < 500 &&
      (code == SD_API_ERROR_INVALID_INPUT || code == SD_API_ERROR_CONFLICT))
    return g_error_new_literal (SD_API_ERROR, code, server_message);
  return g_error_new_literal (SD_API_ERROR, code, fallback);
}

GError *
sd_api_unreadable_reply (const char *why)
{
  g_debug ("unreadable reply: %s", why);
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_SERVER,
                              _("The shop sent a reply Storedesk cannot read. "
                                "Check the shop address, or try again later."));
}

GError *
sd_api_too_large_reply (void)
{
  return g_error_new_literal (SD_API_ERROR, SD_API_ERROR_SERVER,
                              _("The shop sent far more data than expected, so Storedesk "
                                "stopped reading. Try again later."));
}
