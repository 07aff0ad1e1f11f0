/* sd-api.h — one shop backend: its URL, its HTTP session, its errors. */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "sd-contract.h"

G_BEGIN_DECLS

#define SD_API_ERROR (sd_api_error_quark ())
GQuark sd_api_error_quark (void);

/* Every failure from the core is one of these (or G_IO_ERROR_CANCELLED).
 * The GError message is a translated sentence a user can read: what
 * happened and what to do next; for INVALID_INPUT and CONFLICT it carries
 * the shop's own message. */
typedef enum {
  SD_API_ERROR_OFFLINE,
  SD_API_ERROR_TIMEOUT,
  SD_API_ERROR_TLS,
  SD_API_ERROR_UNAUTHORIZED,
  SD_API_ERROR_FORBIDDEN,
  SD_API_ERROR_NOT_FOUND,
  SD_API_ERROR_CONFLICT,
  SD_API_ERROR_INVALID_INPUT,
  SD_API_ERROR_TOO_LARGE,
  SD_API_ERROR_TOO_MANY_REQUESTS,
  SD_API_ERROR_SERVER,
  /* The shop lacks what was asked of it (an [ext] route of ours). */
  SD_API_ERROR_UNSUPPORTED,
  /* [ext] "conditional": the record changed at the shop since the version
   * a write was made on (412); the current record is the error's data. */
  SD_API_ERROR_CHANGED,
} SdApiError;

#define SD_TYPE_API (sd_api_get_type ())
G_DECLARE_FINAL_TYPE (SdApi, sd_api, SD, API, GObject)

/* base_url: "https://shop.example.com" or "http://127.0.0.1:3000". */
SdApi      *sd_api_new              (const char          *base_url,
                                     GError             **error);
const char *sd_api_get_base_url     (SdApi               *self);
/* Trusts the certificate authorities of a PEM file instead of the
 * system's (a shop with a private CA); NULL or "" goes back to the
 * system's. Certificates are verified either way. */
gboolean    sd_api_set_ca_file      (SdApi               *self,
                                     const char          *path,
                                     GError             **error);
/* Resolves a product image ("uploads/x.jpg", "/uploads/x.jpg" or an
 * absolute URL) against the shop's origin; NULL for an empty path. */
char       *sd_api_resolve_url      (SdApi               *self,
                                     const char          *path_or_url);

/* Whether the shop answered the last request ("online", notified). It
 * turns FALSE when a request cannot reach the shop, and back to TRUE on
 * the next answer: while FALSE, /health is asked again with backoff (1 s
 * up to 30 s), and at once when the system's network changes. */
gboolean    sd_api_get_online          (SdApi               *self);
/* Asks /health now (a Retry button; the backoff starts again from 1 s),
 * cancelling a probe on its way. Without waiting: "online" follows. */
void        sd_api_probe_now           (SdApi               *self);

/* The pictures kept on disk for this shop (the HTTP cache): their size,
 * counted in a worker thread, and emptying it. A clear waits for the
 * requests in flight and holds new ones meanwhile; it runs in a worker
 * thread and cannot be cancelled once started. */
void        sd_api_get_picture_cache_size_async  (SdApi               *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
goffset     sd_api_get_picture_cache_size_finish (SdApi               *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void        sd_api_clear_picture_cache_async     (SdApi               *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean    sd_api_clear_picture_cache_finish    (SdApi               *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* GET /health: TRUE when the shop answers; also learns its features. */
void        sd_api_check_health_async  (SdApi               *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    sd_api_check_health_finish (SdApi               *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* [ext] features the shop announced in its last health check ("paging",
 * "uploads", …); FALSE for all before one, and for the original API. */
gboolean    sd_api_has_feature         (SdApi               *self,
                                        const char          *feature);

/* ---- shop identity (API.md "Shop identity") ---------------------------
 * Everything kept for a shop (cart, guests' order keys, remembered order
 * ids, the upload queue, caches) is keyed by this: the shop's own id
 * (/health's [ext] "shopId") where it gives one, else its origin
 * ("scheme://host:port", the port left out when it is the scheme's own). Before sd_api_identify_async has finished it
 * is the id the shop gave last time at this origin, or the origin. */
const char *sd_api_get_shop_key       (SdApi               *self);
/* The first thing to do with a new api, before anything is kept or
 * fetched: one health check (features, so fallbacks are known before the
 * first call; and the shop's id). When a shop shows an id for the first
 * time, what was kept under its URL moves to the id, merged with what
 * the id had, losing nothing. Offline, the key stays as above; this
 * finishes TRUE either way, FALSE only when cancelled. notify::shop-key
 * follows a change. */
void        sd_api_identify_async     (SdApi               *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    sd_api_identify_finish    (SdApi               *self,
                                       GAsyncResult        *result,
                                       GError             **error);
/* Without a request: what this origin's shop was when it last answered
 * (its key and features, read from a small file). FALSE when it never
 * answered here; TRUE, and from then on get_shop_key and has_feature say
 * what they said then, until a health check says otherwise. A start shows
 * a known shop at once and identifies it beside the first load. */
void        sd_api_recall_async       (SdApi               *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    sd_api_recall_finish      (SdApi               *self,
                                       GAsyncResult        *result,
                                       GError             **error);
/* The [ext] features known (NULL before a health check or a recall). */
const char * const *sd_api_get_features (SdApi             *self);

/* Downloads and decodes an image off the main thread, scaled on load so
 * it fits a size×size box, EXIF orientation applied. */
void        sd_api_load_image_async    (SdApi               *self,
                                        const char          *path_or_url,
                                        int                  size,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GdkPixbuf  *sd_api_load_image_finish   (SdApi               *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* ---- the connection doctor ------------------------------------------------ */

/* The round trips of the shop's last replies (pictures left out), in µs:
 * the last, the median and the 95th percentile of up to 500. */
typedef struct {
  guint  samples;
  gint64 last_us;
  gint64 median_us;
  gint64 p95_us;
} SdApiLatency;
void             sd_api_get_latency          (SdApi *self,
                                              SdApiLatency *out);
/* The shop's certificate as its last reply came (NULL over plain HTTP or
 * before any reply), whether it was trusted (no verification error),
 * the protocol ("TLS 1.3") and cipher suite, and the authorities' file
 * trusted instead of the system's (NULL: the system's). */
GTlsCertificate *sd_api_get_peer_certificate (SdApi *self);
gboolean         sd_api_get_peer_trusted     (SdApi *self);
const char      *sd_api_get_tls_protocol     (SdApi *self);
const char      *sd_api_get_tls_ciphersuite  (SdApi *self);
const char      *sd_api_get_ca_file          (SdApi *self);

G_END_DECLS
