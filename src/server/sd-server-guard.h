/* sd-server-guard.h — what a script may try, throttled: the password
 * check of a sign-in, and confirmation codes sent and checked. The
 * policy is described in sd-server-guard.c; both modes share its
 * counters. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

#define SD_CODE_TTL 300   /* a confirmation code lives 5 minutes */

typedef enum {
  SD_AUTH_OK,
  SD_AUTH_WRONG,      /* wrong password or code; no such account or code */
  SD_AUTH_HELD,       /* a throttle holds it: *out_wait seconds */
  SD_AUTH_TAKEN,      /* a code is live already (sd_server_auth_send_code, once) */
  SD_AUTH_ERROR,
} SdAuthResult;

/* The throttled password check of a sign-in; email matched as given. */
SdAuthResult sd_server_auth_check_sign_in (SdServerRequest *req,
                                           const char      *email,
                                           const char      *password,
                                           char           **out_user_id,
                                           gint64          *out_wait,
                                           GError         **error);
/* A code mailed to email, counted by the throttles; once: not while
 * one is live (SD_AUTH_TAKEN). */
SdAuthResult sd_server_auth_send_code     (SdServerRequest *req,
                                           const char      *email,
                                           gboolean         once,
                                           gint64          *out_wait,
                                           GError         **error);
/* A code checked (consume: used up when right, else the email is
 * confirmed), counted by the throttles. */
SdAuthResult sd_server_auth_check_code    (SdServerRequest *req,
                                           const char      *email,
                                           const char      *code,
                                           gboolean         consume,
                                           gint64          *out_wait,
                                           GError         **error);
/* 429 with Retry-After: what is refused, and when to try again. */
void         sd_server_reply_throttled    (SdServerRequest *req,
                                           gint64           wait,
                                           const char      *what);

G_END_DECLS
