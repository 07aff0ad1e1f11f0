/* sd-api-parts-private.h — what the files of SdApi share among
 * themselves: the object's fields and sending with a cap on the reply.
 * Only sd-api*.c include it; the rest of libstoredesk uses
 * sd-api-private.h. */
#pragma once

#include "sd-api-private.h"

G_BEGIN_DECLS

struct _SdApi
{
  GObject            parent_instance;
  char              *base_url;     /* no trailing slash */
  GUri              *base_uri;
  SoupSession       *session;
  char              *access_token;
  /* The refresh cookie's value, read from Set-Cookie by hand (no cookie
   * jar: see sd_api_read_refresh_cookie); SdSession mirrors it to the keyring. */
  char              *refresh_token;
  /* Shop identity (see sd_api_get_shop_key): the origin, the shop's own
   * id as /health last gave it, the key in use, the picture cache's. */
  char              *origin_key;
  char              *shop_id;
  char              *shop_key;
  gboolean           identified;
  gboolean           cache_ready;  /* the picture cache is attached */
  char              *cache_dir;
  guint              in_flight;    /* requests sent and not yet finished */
  GTask             *clearing;     /* a cache clear waiting for them */
  GQueue             pictures;     /* picture loads waiting for a slot, newest first */
  guint              pictures_in_flight;
  GStrv              features;     /* from /health; NULL before the first check */
  GPtrArray         *held;         /* GTasks waiting for that (see sd_api_fetch_start) */
  SdApiReauthFunc    reauth;
  SdApiReauthFinish  reauth_finish;
  gpointer           reauth_owner;
  /* Reachability: what the last request found, re-checked with /health
   * while the shop is unreachable and whenever the network changes. */
  gboolean           online;
  GNetworkMonitor   *monitor;
  gulong             monitor_handler;
  guint              probe_source;
  guint              probe_delay;  /* seconds till the next probe */
  GCancellable      *probe_cancellable;
  /* The connection doctor's notes (sd-api-doctor.c): the round trips of
   * the shop's JSON replies, newest last, and its TLS as last seen. */
  GArray            *round_trips;  /* gint64 µs, at most SD_API_ROUND_TRIPS */
  gint64             last_round_trip;
  GTlsCertificate   *peer_certificate;
  GTlsCertificateFlags peer_errors;
  GTlsProtocolVersion tls_protocol;
  char              *tls_ciphersuite;
  char              *ca_file;      /* the custom authorities' file, or NULL: the system's */
};

/* sd-api-doctor.c: notes a reply of the shop's (not a picture) that came
 * back started µs after it was sent. */
#define SD_API_ROUND_TRIPS 500
void sd_api_note_reply (SdApi *self, SoupMessage *msg, gint64 started);
void sd_api_doctor_clear (SdApi *self);

/* sd-api.c: sends msg and reads its whole body, at most cap bytes. The
 * task's result is the body (GBytes); the message stays with the task
 * (sd_api_fetch_get_message). Held while the picture cache is not
 * attached. */
void sd_api_fetch_start (SdApi *self, SoupMessage *msg, gsize cap, int priority, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
SoupMessage *sd_api_fetch_get_message (GAsyncResult *result);
/* The body of a fetch answered with a 2xx; else NULL with the transport's
 * error or the status's (read from the reply's envelope when envelope is
 * TRUE, see sd_api_parse_reply). */
GBytes *sd_api_fetch_finish (GAsyncResult *result, gboolean envelope, GError **error);
/* Sends the requests held while the picture cache was away. */
void sd_api_send_held (SdApi *self);
/* A picture of some size is sent with "Expect: 100-continue". */
void sd_api_expect_continue_if_big (SoupMessage *msg, GBytes *body);
/* Sets the shop key (taking key) and notifies "shop-key". */
void sd_api_take_shop_key (SdApi *self, char *key);

/* sd-api-cache.c: the picture cache. */
void sd_api_start_cache (SdApi *self);
void sd_api_clear_cache_when_idle (SdApi *self);

/* sd-api-envelope.c: every reply body from the shop is parsed through
 * here (see sd_json_scan). */
gboolean sd_api_load_json (JsonParser *parser, const char *text, gsize len, GError **error);

G_END_DECLS
