/* sd-session-private.h — SdSession's insides, shared by sd-session.c,
 * sd-account.c and sd-keyring.c. */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-api.h"
#include "sd-session.h"

G_BEGIN_DECLS

enum { PROP_0, PROP_SIGNED_IN, PROP_EMAIL, PROP_NAME, PROP_IS_ADMIN, PROP_REMEMBERED, PROP_CONNECTED,
       PROP_CAN_SIGN_OUT_EVERYWHERE, N_PROPS };

struct _SdSession
{
  GObject    parent_instance;
  SdApi     *api;
  gboolean   signed_in;
  gboolean   is_admin;
  gboolean   remembered;
  gboolean   connected;    /* signed in and the shop reachable */
  gboolean   everywhere;   /* the shop lists "sessions" */
  gboolean   ended_by_shop;
  gboolean   clearing;     /* a keyring clear is in flight */
  gboolean   clear_again;  /* asked for again meanwhile (after a store, say) */
  gint64     last_refresh;  /* g_get_real_time () of the last refresh, or 0 */
  char      *user_id;     /* "_id" of /auth/me, or NULL */
  char      *email;
  char      *name;
  char      *phone_number;
  char      *address;
  char      *address_detail;
  char      *profile_image;
  GPtrArray *refresh_waiters;   /* GTasks waiting for the refresh in flight; NULL: none */
};

/* Notifies one of the PROP_ above (sd-session.c). */
void sd_session_notify         (SdSession *self,
                                guint      prop_id);
/* The "accessToken" of a sign-in's or refresh's reply data, or NULL. */
const char *sd_session_access_token_of (JsonNode *data);
/* Sets "remembered": the keyring holds the session (sd-session.c). */
void sd_session_set_remembered (SdSession *self,
                                gboolean   remembered);
/* Drops the signed-in state; by_shop: the shop ended the session (a
 * refresh it refused), rather than this app (sd-session.c). */
void sd_session_forget_locally (SdSession *self,
                                gboolean   by_shop);

G_END_DECLS
