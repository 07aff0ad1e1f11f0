/* sd-server-checks.h — the account fields of a body, checked against the
 * contract's rules (sd-fields.h). Each sends the 400 when it fails. */
#pragma once

#include "sd-server-request.h"

G_BEGIN_DECLS

/* The body's "email", valid and lower-cased; NULL when not. */
char    *sd_server_check_body_email   (SdServerRequest *req);
/* confirm: NULL when there is none to compare. */
gboolean sd_server_check_new_password (SdServerRequest *req,
                                       const char      *password,
                                       const char      *confirm);
/* At most max characters of valid UTF-8; required: present and not empty. */
gboolean sd_server_check_text         (SdServerRequest *req,
                                       const char      *value,
                                       const char      *what,
                                       gsize            max,
                                       gboolean         required);
gboolean sd_server_check_name         (SdServerRequest *req,
                                       const char      *name);
/* The mobile number normalized (010…), or NULL. */
char    *sd_server_check_phone        (SdServerRequest *req,
                                       const char      *phone);

G_END_DECLS
