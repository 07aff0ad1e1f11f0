/* sd-upload.c — one picture in the upload queue and its state. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include "sd-upload-private.h"

G_DEFINE_FINAL_TYPE (SdUpload, sd_upload, G_TYPE_OBJECT)

enum { UPROP_0, UPROP_STATE, UPROP_PROGRESS, UPROP_ERROR, UPROP_ATTEMPTS, UN_PROPS };
static GParamSpec *upload_props[UN_PROPS];

static void
sd_upload_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SdUpload *self = SD_UPLOAD (object);

  switch (prop_id)
    {
    case UPROP_STATE: g_value_set_uint (value, self->state); break;
    case UPROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case UPROP_ERROR: g_value_set_string (value, self->error); break;
    case UPROP_ATTEMPTS: g_value_set_uint (value, self->attempts); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_upload_finalize (GObject *object)
{
  SdUpload *self = SD_UPLOAD (object);

  g_free (self->id);
  g_free (self->product_id);
  g_clear_object (&self->file);
  g_clear_object (&self->original);
  g_clear_object (&self->sidecar);
  g_free (self->content_type);
  g_free (self->error);
  G_OBJECT_CLASS (sd_upload_parent_class)->finalize (object);
}

static void
sd_upload_class_init (SdUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = sd_upload_get_property;
  object_class->finalize = sd_upload_finalize;
  /* An SdUploadState. */
  upload_props[UPROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, SD_UPLOAD_PREPARING, 0, flags);
  upload_props[UPROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  upload_props[UPROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  upload_props[UPROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, UN_PROPS, upload_props);
}

static void
sd_upload_init (SdUpload *self)
{
}

const char *sd_upload_get_id (SdUpload *self) { return self->id; }
SdUploadTarget sd_upload_get_target (SdUpload *self) { return self->target; }
const char *sd_upload_get_product_id (SdUpload *self) { return self->product_id; }
GFile *sd_upload_get_file (SdUpload *self) { return self->file; }
const char *sd_upload_get_content_type (SdUpload *self) { return self->content_type; }
gsize sd_upload_get_size (SdUpload *self) { return self->size; }
SdUploadState sd_upload_get_state (SdUpload *self) { return self->state; }
double sd_upload_get_progress (SdUpload *self) { return self->progress; }
const char *sd_upload_get_error (SdUpload *self) { return self->error; }
guint sd_upload_get_attempts (SdUpload *self) { return self->attempts; }

void
sd_upload_set_state (SdUpload *self, SdUploadState state, double progress)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_STATE]);
    }
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
sd_upload_set_error (SdUpload *self, const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_ERROR]);
}

void
sd_upload_count_attempt (SdUpload *self)
{
  self->attempts++;
  g_object_notify_by_pspec (G_OBJECT (self), upload_props[UPROP_ATTEMPTS]);
}
