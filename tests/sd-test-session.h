/* sd-test-session.h — what the test-session*.c programs share: the
 * keyring as the app fills it, SdSession's and SdApi's calls awaited, and
 * a responder answering as the original's source does. */
#pragma once

#include <libsecret/secret.h>

#include "storedesk.h"

G_BEGIN_DECLS

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

#define WAIT_OK(r) G_STMT_START { sd_test_wait (&(r).done); g_assert_no_error ((r).error); \
                                  g_assert_true ((r).ok); (r).done = FALSE; } G_STMT_END
/* The same for a call the shop refuses with code. */
#define WAIT_REFUSED(r, code) G_STMT_START { sd_test_wait (&(r).done); \
                                             g_assert_error ((r).error, SD_API_ERROR, (code)); \
                                             g_clear_error (&(r).error); (r).done = FALSE; } G_STMT_END

/* ---- a responder answering as the original's source does ----------------
 * Tokens: access "acc-N" (N counts up; those below valid_from are
 * expired), refresh "ref-1"; a token made without a user id is "noid-N". */
typedef struct {
  GMutex   lock;
  guint    next;            /* the next access token's number */
  guint    valid_from;      /* access tokens below this are expired */
  guint    refreshes;
  gboolean refresh_had_bearer;
  char    *refresh_cookie;
  guint    expired_literal; /* requests whose bearer was "expired" */
  guint    codes_sent;
  gboolean input_was_string;
  char    *shop_id;         /* /health: NULL the original's, else ours with this id */
} Original;

const SecretSchema *schema (void);
char *keyring_lookup (const char *shop);
gboolean need_keyring (void);
void bool_cb (GObject *source, GAsyncResult *result, gpointer user_data);
gboolean sign_in (SdSession *session, const char *email, const char *password, GError **error);
gboolean is_remembered (gpointer session);
void finish_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void identify (SdApi *api);
char *original_cb (const char *method, const char *path, GHashTable *headers, const char *body, gpointer user_data);
Original *original_new (void);
void original_free (Original *o);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Original, original_free)

G_END_DECLS
