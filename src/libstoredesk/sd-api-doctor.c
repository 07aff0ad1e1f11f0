/* sd-api-doctor.c — what the connection doctor reads of SdApi: the round
 * trips of the shop's replies and its TLS, as last seen. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-api-parts-private.h"

void
sd_api_note_reply (SdApi *self, SoupMessage *msg, gint64 started)
{
  GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (msg);
  gint64 took = g_get_monotonic_time () - started;

  if (started <= 0)
    return;
  if (self->round_trips == NULL)
    self->round_trips = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (self->round_trips->len == SD_API_ROUND_TRIPS)
    g_array_remove_index (self->round_trips, 0);
  g_array_append_val (self->round_trips, took);
  self->last_round_trip = took;
  g_set_object (&self->peer_certificate, certificate);
  self->peer_errors = certificate ? soup_message_get_tls_peer_certificate_errors (msg) : 0;
  self->tls_protocol = certificate ? soup_message_get_tls_protocol_version (msg) : G_TLS_PROTOCOL_VERSION_UNKNOWN;
  g_free (self->tls_ciphersuite);
  self->tls_ciphersuite = certificate ? g_strdup (soup_message_get_tls_ciphersuite_name (msg)) : NULL;
}

void
sd_api_doctor_clear (SdApi *self)
{
  g_clear_pointer (&self->round_trips, g_array_unref);
  g_clear_object (&self->peer_certificate);
  g_clear_pointer (&self->tls_ciphersuite, g_free);
  g_clear_pointer (&self->ca_file, g_free);
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
sd_api_get_latency (SdApi *self, SdApiLatency *out)
{
  g_autoptr(GArray) sorted = NULL;
  guint n;

  g_return_if_fail (SD_IS_API (self));
  memset (out, 0, sizeof *out);
  n = self->round_trips ? self->round_trips->len : 0;
  if (n == 0)
    return;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (sorted, self->round_trips->data, n);
  g_array_sort (sorted, compare_int64);
  out->samples = n;
  out->last_us = self->last_round_trip;
  out->median_us = g_array_index (sorted, gint64, n / 2);
  out->p95_us = g_array_index (sorted, gint64, MIN (n - 1, (n * 95 + 99) / 100 - 1));
}

GTlsCertificate *
sd_api_get_peer_certificate (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->peer_certificate;
}

gboolean
sd_api_get_peer_trusted (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), FALSE);
  return self->peer_certificate != NULL && self->peer_errors == 0;
}

const char *
sd_api_get_tls_protocol (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  switch (self->tls_protocol)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    default: return NULL;
    }
}

const char *
sd_api_get_tls_ciphersuite (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->tls_ciphersuite;
}

const char *
sd_api_get_ca_file (SdApi *self)
{
  g_return_val_if_fail (SD_IS_API (self), NULL);
  return self->ca_file;
}
