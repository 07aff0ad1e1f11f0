/* sd-session-private.h — SdSession's insides, shared by sd-session.c and
 * sd-session-account.c. */
#pragma once

#include "sd-api.h"
#include "sd-session.h"

G_BEGIN_DECLS


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
  char      *email;
  char      *name;
  char      *phone_number;
  char      *address;
  char      *address_detail;
  char      *profile_image;
  GPtrArray *refresh_waiters;   /* GTasks waiting for the refresh in flight; NULL: none */
};

/* Mirrors the tokens into the keyring (sd-session.c). */
void sd_session_keyring_store  (SdSession *self);
/* Removes them from the keyring (sd-session.c). */
void sd_session_keyring_clear  (SdSession *self);
/* Drops the signed-in state; by_shop: the shop ended the session (a
 * refresh it refused), rather than this app (sd-session.c). */
void sd_session_forget_locally (SdSession *self,
                                gboolean   by_shop);

G_END_DECLS
