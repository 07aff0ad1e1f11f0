/* sd-server-mail.c — confirmation mail: SMTP when --smtp is given
 * (STARTTLS when the server offers it), else one .eml file per message in
 * DATA_DIR/outbox/ (the demo mode's mailbox). Never logs a message body. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sd-server-mail.h"

typedef struct {
  char *smtp_url;
  char *from;
  char *to;
  char *message;   /* the whole RFC 5322 message, CRLF line ends */
} Mail;

static void
mail_free (Mail *m)
{
  g_free (m->smtp_url);
  g_free (m->from);
  g_free (m->to);
  if (m->message)
    explicit_bzero (m->message, strlen (m->message));
  g_free (m->message);
  g_free (m);
}

static char *
compose (const char *from, const char *to, const char *subject, const char *body)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *subject_b64 = g_base64_encode ((const guchar *) subject, strlen (subject));
  g_autofree char *id = sd_random_hex (12);

  return g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\nDate: %s\r\n"
                          "Message-ID: <%s@storedesk>\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n\r\n%s",
                          from, to, subject_b64, date, id, body);
}

/* ---- SMTP, in a worker thread with blocking GIO --------------------- */

static gboolean
smtp_expect (GDataInputStream *in, const char *code, GError **error)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, error);

      if (line == NULL)
        {
          if (error && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "SMTP server closed the connection");
          return FALSE;
        }
      g_strchomp (line);
      if (strlen (line) < 4 || strncmp (line, code, 3) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SMTP server said: %.80s", line);
          return FALSE;
        }
      if (line[3] == ' ')
        return TRUE;
    }
}

/* Reads an EHLO reply; tells whether STARTTLS was offered. */
static gboolean
smtp_ehlo (GDataInputStream *in, gboolean *starttls, GError **error)
{
  *starttls = FALSE;
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, error);

      if (line == NULL)
        return FALSE;
      g_strchomp (line);
      if (strlen (line) < 4 || strncmp (line, "250", 3) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SMTP server said: %.80s", line);
          return FALSE;
        }
      if (g_ascii_strcasecmp (line + 4, "STARTTLS") == 0)
        *starttls = TRUE;
      if (line[3] == ' ')
        return TRUE;
    }
}

static gboolean
smtp_say (GOutputStream *out, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
smtp_say (GOutputStream *out, GError **error, const char *format, ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  return g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error);
}

static void
smtp_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Mail *m = task_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GIOStream) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) data = NULL;
  g_autoptr(GUri) uri = g_uri_parse (m->smtp_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  gboolean starttls;
  const char *host;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "smtp") != 0 || g_uri_get_host (uri) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--smtp wants smtp://host:port");
      return;
    }
  host = g_uri_get_host (uri);
  g_socket_client_set_timeout (client, 30);
  conn = G_IO_STREAM (g_socket_client_connect_to_host (client, host,
                                                       g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 25,
                                                       cancellable, &error));
  if (conn == NULL)
    goto fail;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (conn));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  if (!smtp_expect (in, "220", &error) ||
      !smtp_say (g_io_stream_get_output_stream (conn), &error, "EHLO storedesk\r\n") ||
      !smtp_ehlo (in, &starttls, &error))
    goto fail;
  if (starttls)
    {
      g_autoptr(GSocketConnectable) id = g_network_address_new (host, 25);
      GIOStream *tls;

      if (!smtp_say (g_io_stream_get_output_stream (conn), &error, "STARTTLS\r\n") ||
          !smtp_expect (in, "220", &error))
        goto fail;
      /* Verified against the system's trust store, like everything else. */
      tls = g_tls_client_connection_new (conn, id, &error);
      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &error))
        {
          g_clear_object (&tls);
          goto fail;
        }
      g_clear_object (&in);
      g_object_unref (conn);
      conn = tls;
      in = g_data_input_stream_new (g_io_stream_get_input_stream (conn));
      if (!smtp_say (g_io_stream_get_output_stream (conn), &error, "EHLO storedesk\r\n") ||
          !smtp_ehlo (in, &starttls, &error))
        goto fail;
    }

  /* Dot-stuffing: a line starting with "." gets another. */
  data = g_string_new (NULL);
  for (const char *p = m->message; *p; p++)
    {
      if (*p == '.' && (p == m->message || p[-1] == '\n'))
        g_string_append_c (data, '.');
      g_string_append_c (data, *p);
    }
  g_string_append (data, "\r\n.\r\n");

  if (!smtp_say (g_io_stream_get_output_stream (conn), &error, "MAIL FROM:<%s>\r\n", m->from) ||
      !smtp_expect (in, "250", &error) ||
      !smtp_say (g_io_stream_get_output_stream (conn), &error, "RCPT TO:<%s>\r\n", m->to) ||
      !smtp_expect (in, "250", &error) ||
      !smtp_say (g_io_stream_get_output_stream (conn), &error, "DATA\r\n") ||
      !smtp_expect (in, "354", &error) ||
      !g_output_stream_write_all (g_io_stream_get_output_stream (conn), data->str, data->len, NULL, NULL, &error) ||
      !smtp_expect (in, "250", &error))
    goto fail;
  smtp_say (g_io_stream_get_output_stream (conn), NULL, "QUIT\r\n");
  explicit_bzero (data->str, data->len);
  g_task_return_boolean (task, TRUE);
  return;

fail:
  if (data)
    explicit_bzero (data->str, data->len);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
smtp_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("a confirmation mail could not be sent: %s", error->message);
  else
    g_message ("confirmation mail sent");
}

/* ---- outbox --------------------------------------------------------- */

static void
write_outbox (SdServerContext *context, const char *message)
{
  g_autofree char *dir = g_build_filename (sd_server_context_get_data_dir (context), "outbox", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *rnd = sd_random_hex (4);
  g_autofree char *name = g_strdup_printf ("%s-%06d-%s.eml", stamp, g_date_time_get_microsecond (now), rnd);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, message, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("a confirmation mail could not be written to the outbox: %s",
               error ? error->message : g_strerror (errno));
  else
    g_message ("confirmation mail written to the outbox");
}

void
sd_server_mail_send (SdServerContext *context, const char *to, const char *subject, const char *body)
{
  const SdServerConfig *config = sd_server_context_get_config (context);
  Mail *m = g_new0 (Mail, 1);

  m->from = g_strdup (config->mail_from);
  m->to = g_strdup (to);
  m->message = compose (m->from, to, subject, body);
  if (config->smtp_url == NULL)
    {
      write_outbox (context, m->message);
      mail_free (m);
      return;
    }
  {
    g_autoptr(GTask) task = g_task_new (NULL, NULL, smtp_done_cb, NULL);

    m->smtp_url = g_strdup (config->smtp_url);
    g_task_set_task_data (task, m, (GDestroyNotify) mail_free);
    g_task_run_in_thread (task, smtp_thread);
  }
}
