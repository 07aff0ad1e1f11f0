/* sd-server-auth.h — the /auth routes kept beside sd-server-auth.c, which
 * lists them all in sd_server_auth_routes (one table: the original's mode
 * falls back to it). */
#pragma once

#include "sd-server-routes.h"

G_BEGIN_DECLS

/* Joining (sd-server-auth-signup.c). */
void sd_server_auth_sign_up           (SdServerRequest *req);
void sd_server_auth_send_confirmation (SdServerRequest *req);
void sd_server_auth_confirm_email     (SdServerRequest *req);
void sd_server_auth_reset_password    (SdServerRequest *req);

/* The account (sd-server-auth-account.c). */
void sd_server_auth_get_me            (SdServerRequest *req);
void sd_server_auth_patch_me          (SdServerRequest *req);
void sd_server_auth_change_password   (SdServerRequest *req);
void sd_server_auth_withdraw          (SdServerRequest *req);
void sd_server_auth_list_users        (SdServerRequest *req);

G_END_DECLS
