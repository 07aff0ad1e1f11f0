/* sd-server-blobs.c — SdServerBlobs (see sd-server-blobs.h): the
 * interface, the file engine and the shop's rules on pictures. The S3
 * engine is sd-server-blobs-s3.c. */
#define G_LOG_DOMAIN "storedesk-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libsoup/soup.h>

#include "sd-image-header.h"
#include "sd-server-blobs.h"

struct _SdServerBlobs {
  gatomicrefcount      ref;
  const SdBlobsEngine *ops;
  gpointer             engine;
  char                *description;
  gboolean             remote;
};

void
sd_blob_info_clear (SdBlobInfo *info)
{
  g_clear_pointer (&info->etag, g_free);
}

/* ---- the file engine --------------------------------------------------- */

typedef struct {
  char *dir;
} FileEngine;

static void
file_free (gpointer engine)
{
  FileEngine *f = engine;

  g_free (f->dir);
  g_free (f);
}

static char *
file_path (FileEngine *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static gboolean
file_put (gpointer engine, const char *name, GBytes *bytes, const char *type, GError **error)
{
  g_autofree char *path = file_path (engine, name);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static gboolean
file_stat (gpointer engine, const char *name, SdBlobInfo *out, GError **error)
{
  g_autofree char *path = file_path (engine, name);
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no blob %s", name);
      return FALSE;
    }
  out->size = (guint64) st.st_size;
  out->modified = st.st_mtime;
  out->etag = g_strdup_printf ("\"%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x\"",
                               (gint64) st.st_size, (gint64) st.st_mtime);
  return TRUE;
}

/* Mapped, not copied; a prefix of the mapping when max is smaller. */
static GBytes *
file_read_head (gpointer engine, const char *name, gsize max, guint64 *out_size, GError **error)
{
  g_autofree char *path = file_path (engine, name);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) local = NULL;
  gsize len;

  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no blob %s", name);
      return NULL;
    }
  whole = g_mapped_file_get_bytes (mapped);
  len = g_bytes_get_size (whole);
  if (out_size)
    *out_size = len;
  return len <= max ? g_steal_pointer (&whole) : g_bytes_new_from_bytes (whole, 0, max);
}

static gboolean
file_delete (gpointer engine, const char *name, GError **error)
{
  g_autofree char *path = file_path (engine, name);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot remove %s: %s", name,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static char *
file_presign (gpointer engine, const char *method, const char *name, const char *type, guint64 size,
              guint ttl, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "files are not presigned");
  return NULL;
}

static const SdBlobsEngine file_ops = {
  file_free, file_put, file_read_head, file_stat, file_delete, file_presign,
};

/* ---- the interface ----------------------------------------------------- */

SdServerBlobs *
sd_server_blobs_new (const char *url, const char *endpoint, const char *data_dir, GError **error)
{
  g_autoptr(SdServerBlobs) self = g_new0 (SdServerBlobs, 1);

  g_atomic_ref_count_init (&self->ref);
  if (url == NULL || g_str_has_prefix (url, "file:"))
    {
      FileEngine *f = g_new0 (FileEngine, 1);

      f->dir = url ? g_strdup (url + strlen ("file:")) : g_build_filename (data_dir, "uploads", NULL);
      if (*f->dir == '\0')
        {
          file_free (f);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "--blobs=file:DIR needs a folder");
          return NULL;
        }
      /* A folder of one's own choosing is made as the data dir's is. */
      if (url != NULL && g_mkdir_with_parents (f->dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot create %s: %s", f->dir,
                       g_strerror (saved));
          file_free (f);
          return NULL;
        }
      self->ops = &file_ops;
      self->engine = f;
      self->description = g_strconcat ("file:", f->dir, NULL);
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (url, "s3://"))
    {
      self->engine = sd_blobs_s3_new (url + strlen ("s3://"), endpoint, &self->ops, &self->description, error);
      if (self->engine == NULL)
        return NULL;
      self->remote = TRUE;
      return g_steal_pointer (&self);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "--blobs wants file:DIR or s3://BUCKET (got “%s”)", url);
  return NULL;
}

SdServerBlobs *
sd_server_blobs_ref (SdServerBlobs *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
sd_server_blobs_unref (SdServerBlobs *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  if (self->engine)
    self->ops->free (self->engine);
  g_free (self->description);
  g_free (self);
}

const char *
sd_server_blobs_describe (SdServerBlobs *self)
{
  return self->description;
}

gboolean
sd_server_blobs_is_remote (SdServerBlobs *self)
{
  return self->remote;
}

gboolean
sd_server_blobs_put (SdServerBlobs *self, const char *name, GBytes *bytes, const char *content_type,
                     GError **error)
{
  return self->ops->put (self->engine, name, bytes, content_type, error);
}

GBytes *
sd_server_blobs_read_head (SdServerBlobs *self, const char *name, gsize max_bytes, guint64 *out_size,
                           GError **error)
{
  return self->ops->read_head (self->engine, name, max_bytes, out_size, error);
}

GBytes *
sd_server_blobs_read (SdServerBlobs *self, const char *name, gsize max_bytes, GError **error)
{
  guint64 size = 0;
  g_autoptr(GBytes) bytes = self->ops->read_head (self->engine, name, max_bytes, &size, error);

  if (bytes != NULL && size > g_bytes_get_size (bytes))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "blob %s has %" G_GUINT64_FORMAT " bytes, over %" G_GSIZE_FORMAT, name, size, max_bytes);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

gboolean
sd_server_blobs_stat (SdServerBlobs *self, const char *name, SdBlobInfo *out, GError **error)
{
  return self->ops->stat (self->engine, name, out, error);
}

gboolean
sd_server_blobs_delete (SdServerBlobs *self, const char *name, GError **error)
{
  return self->ops->delete (self->engine, name, error);
}

char *
sd_server_blobs_presign_put (SdServerBlobs *self, const char *name, const char *content_type, guint64 size,
                             guint ttl, GError **error)
{
  return self->ops->presign (self->engine, "PUT", name, content_type, size, ttl, error);
}

/* ---- the rules ----------------------------------------------------------- */

gboolean
sd_blob_is_name (const char *name)
{
  size_t len = strlen (name);

  if (len == 0 || len > 128 || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

const char *
sd_blob_sniff_type (const guint8 *d, gsize len)
{
  if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
    return "image/jpeg";
  if (len >= 8 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

/* Every client decodes what the shop stores: refuse what storedesk-prep
 * would, by the picture's own header, before it is stored or attached. */
const char *
sd_blob_refuse_picture (GBytes *bytes, guint *out_status)
{
  g_autoptr(GError) error = NULL;
  SdImageHeader header;

  if (sd_image_header_check (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                             SD_IMAGE_MAX_PIXELS, &header, &error))
    return NULL;
  if (g_error_matches (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TOO_MANY_PIXELS))
    {
      *out_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      return "The picture declares more pixels than the shop takes; send a smaller one.";
    }
  if (g_error_matches (error, SD_IMAGE_HEADER_ERROR, SD_IMAGE_HEADER_ERROR_TRUNCATED))
    {
      *out_status = SOUP_STATUS_BAD_REQUEST;
      return "The picture is cut short; send the whole file again.";
    }
  *out_status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
  return "The file is not a picture the shop can read.";
}

/* Reads an incoming picture and holds it to the rule; its bytes, or
 * NULL with the reply's sentence and status. */
static GBytes *
vet (SdServerBlobs *self, const char *name, gsize max_bytes, const char **out_refusal, guint *out_status)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 0;
  guint ignored;

  *out_status = SOUP_STATUS_BAD_REQUEST;
  bytes = sd_server_blobs_read_head (self, name, max_bytes, &size, &error);
  if (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    *out_refusal = "The picture was not uploaded (or was taken already); upload it again.";
  else if (bytes == NULL)
    {
      g_warning ("vetting %s: %s", name, error->message);
      *out_status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      *out_refusal = "The picture store did not answer; try again later.";
    }
  else if (size > g_bytes_get_size (bytes))
    *out_refusal = "The picture is larger than the shop accepts.";
  else if (sd_blob_sniff_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) == NULL)
    *out_refusal = "The file is not a JPEG, PNG or WebP picture.";
  else if ((*out_refusal = sd_blob_refuse_picture (bytes, &ignored)) == NULL)
    return g_steal_pointer (&bytes);
  return NULL;
}

char *
sd_server_blobs_take (SdServerBlobs *self, const char *image, gsize max_bytes, const char **out_refusal,
                      guint *out_status)
{
  const char *name = image + strlen ("uploads/");
  g_autofree char *kept = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->remote || !g_str_has_prefix (image, "uploads/" SD_BLOB_INCOMING) || !sd_blob_is_name (name))
    return g_strdup (image);
  bytes = vet (self, name, max_bytes, out_refusal, out_status);
  if (bytes != NULL)
    {
      kept = g_strconcat ("product-", name + strlen (SD_BLOB_INCOMING), NULL);
      if (!sd_server_blobs_put (self, kept, bytes,
                                sd_blob_sniff_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)),
                                &error))
        {
          g_warning ("keeping %s: %s", name, error->message);
          *out_status = SOUP_STATUS_SERVICE_UNAVAILABLE;
          *out_refusal = "The picture store did not answer; try again later.";
          g_clear_pointer (&kept, g_free);
          return NULL;   /* the incoming one stays, for another try */
        }
    }
  else if (*out_status != SOUP_STATUS_BAD_REQUEST)
    return NULL;
  else
    g_message ("refused %s from the bucket: %s", name, *out_refusal);
  g_clear_error (&error);
  if (!sd_server_blobs_delete (self, name, &error))
    g_warning ("removing %s: %s", name, error->message);
  return kept ? g_strconcat ("uploads/", kept, NULL) : NULL;
}
