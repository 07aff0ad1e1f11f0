/* test-upload-queue.c — SdUploadQueue against a started storedesk-server:
 * queued while the shop is down and sent once when it returns, kept
 * across a restart of the queue, profile pictures, and the refusals that
 * end an item (404 product gone, 413 too large, 403 no longer staff). */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdlib.h>
#include <string.h>

#include "sd-test-http.h"
#include "sd-test-images.h"

typedef struct {
  gboolean  done;
  gboolean  ok;
  SdUpload *upload;
  GError   *error;
} Result;

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->ok = sd_session_sign_in_finish (SD_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
added_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;
  r->upload = sd_upload_queue_add_finish (SD_UPLOAD_QUEUE (source), result, &r->error);
  r->done = TRUE;
}

typedef struct {
  char           *dir;       /* the queue's folder and the photos */
  SdApi          *api;
  SdSession      *session;
  SdUploadQueue  *queue;
  GPtrArray      *uploaded;  /* image URLs, in order */
} Fixture;

static void
on_uploaded (SdUploadQueue *queue, SdUpload *upload, const char *url, Fixture *f)
{
  g_ptr_array_add (f->uploaded, g_strdup (url));
}

static void
open_queue (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "queue", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  f->queue = sd_upload_queue_new_in (f->session, folder);
  g_signal_connect (f->queue, "uploaded", G_CALLBACK (on_uploaded), f);
}

static void
fixture_open (Fixture *f, SdTestServer *server, const char *email, const char *password)
{
  Result r = { 0 };

  f->dir = g_dir_make_tmp ("storedesk-uploads-XXXXXX", NULL);
  f->api = sd_api_new (server->url, NULL);
  f->session = sd_session_new (f->api);
  f->uploaded = g_ptr_array_new_with_free_func (g_free);
  sd_session_sign_in_async (f->session, email, password, NULL, signed_in_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  open_queue (f);
}

static void
fixture_close (Fixture *f)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->queue);
  g_clear_object (&f->session);
  g_clear_object (&f->api);
  g_ptr_array_unref (f->uploaded);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* A photo that needs preparing: 2400×1600, so it is scaled. */
static GFile *
photo (Fixture *f, const char *name, gboolean noisy)
{
  g_autoptr(GdkPixbuf) p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2400, 1600);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (p, 0x336699ff);
  if (noisy)
    {
      GRand *rand = g_rand_new_with_seed (3);
      guint8 *px = gdk_pixbuf_get_pixels (p);
      for (gsize i = 0; i < (gsize) gdk_pixbuf_get_rowstride (p) * 1600; i++)
        px[i] = (guint8) g_rand_int (rand);
      g_rand_free (rand);
    }
  gdk_pixbuf_save (p, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static SdUpload *
add (Fixture *f, GFile *file, SdUploadTarget target, const char *product_id)
{
  Result r = { 0 };

  sd_upload_queue_add_file_async (f->queue, file, NULL, target, product_id, NULL, added_cb, &r);
  sd_test_wait (&r.done);
  g_assert_no_error (r.error);
  return r.upload;
}

static char *
first_product_id (SdTestServer *server)
{
  g_autoptr(SdTestReply) r = sd_test_http (server, "GET", "/api/v1/products?limit=1", NULL, NULL, NULL);
  JsonNode *data = sd_test_data (r, 200);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (data), 0), "_id"));
}

static char *
product_image (SdTestServer *server, const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/products/", id, NULL);
  g_autoptr(SdTestReply) r = sd_test_http (server, "GET", path, NULL, NULL, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (sd_test_data (r, 200)), "image"));
}

/* Pictures the shop keeps for products: how many uploads it took. */
static guint
product_pictures (SdTestServer *server)
{
  g_autofree char *path = g_build_filename (server->data_dir, "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "product-");
  return n;
}

static guint
files_in_queue (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "queue", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;
  const char *name;

  /* Not counting a write in progress (GIO's .goutputstream-*). */
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    n += name[0] != '.';
  return n;
}

static gboolean
no_files (gpointer f)
{
  return files_in_queue (f) == 0;
}

static gboolean
one_uploaded (gpointer f)
{
  return ((Fixture *) f)->uploaded->len >= 1;
}

static gboolean
queue_empty (gpointer f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (((Fixture *) f)->queue)) == 0;
}

static gboolean
tried_once (gpointer upload)
{
  return sd_upload_get_attempts (upload) >= 1 && sd_upload_get_state (upload) != SD_UPLOAD_SENDING;
}

static gboolean
has_failed (gpointer upload)
{
  return sd_upload_get_state (upload) == SD_UPLOAD_FAILED;
}

/* The sidecar says what the item learned (it is written in a worker). */
static gboolean
attempt_on_disk (gpointer upload)
{
  g_autofree char *id = g_strconcat (sd_upload_get_id (upload), ".json", NULL);
  g_autoptr(GFile) folder = g_file_get_parent (sd_upload_get_file (upload));
  g_autoptr(GFile) sidecar = g_file_get_child (folder, id);
  g_autofree char *text = NULL;

  return g_file_load_contents (sidecar, NULL, &text, NULL, NULL, NULL) &&
         strstr (text, "\"attempts\" : 1") != NULL;
}

static gboolean
queue_ready (gpointer queue)
{
  return sd_upload_queue_get_ready (queue);
}

/* Offline → queued → the shop comes back → sent once, by itself. */
static void
test_offline_then_online (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *product_id = first_product_id (server);
  g_autofree char *image = NULL;
  g_autoptr(SdUpload) upload = NULL;
  g_autoptr(GFile) file = NULL;
  Fixture f = { 0 };
  guint before = product_pictures (server);

  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  file = photo (&f, "shelf.jpg", FALSE);
  sd_test_server_keep_port (server);
  sd_test_server_kill (server);

  upload = add (&f, file, SD_UPLOAD_TARGET_PRODUCT, product_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 1);
  g_assert_cmpstr (sd_upload_get_content_type (upload), ==, "image/jpeg");
  g_assert_cmpuint (sd_upload_get_size (upload), <=, 1000 * 1000);
  sd_test_wait_for (tried_once, upload);   /* and found the shop down */
  g_assert_cmpint (sd_upload_get_state (upload), ==, SD_UPLOAD_WAITING);
  g_assert_nonnull (sd_upload_get_error (upload));
  g_assert_false (sd_session_get_connected (f.session));
  g_assert_cmpuint (files_in_queue (&f), ==, 2);   /* picture + sidecar */

  sd_test_server_restart (server, TRUE);
  sd_test_wait_for (queue_empty, &f);
  g_assert_cmpuint (f.uploaded->len, ==, 1);
  image = product_image (server, product_id);
  g_assert_cmpstr (image, ==, f.uploaded->pdata[0]);
  g_assert_cmpuint (product_pictures (server), ==, before + 1);   /* exactly once */
  sd_test_wait_for (no_files, &f);   /* removed in a worker */
  fixture_close (&f);
}

/* The queue object (the app) goes away with an item waiting; a new one
 * finds it on disk and sends it. */
static void
test_restart (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *product_id = first_product_id (server);
  g_autofree char *id = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SdUpload) first = NULL;
  g_autoptr(SdUpload) found = NULL;
  Fixture f = { 0 };
  guint before = product_pictures (server);

  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  file = photo (&f, "box.jpg", FALSE);
  sd_test_server_keep_port (server);
  sd_test_server_kill (server);
  first = add (&f, file, SD_UPLOAD_TARGET_PRODUCT, product_id);
  sd_test_wait_for (tried_once, first);
  sd_test_wait_for (attempt_on_disk, first);
  id = g_strdup (sd_upload_get_id (first));
  g_clear_object (&first);
  g_clear_object (&f.queue);

  open_queue (&f);
  sd_test_wait_for (queue_ready, f.queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 1);
  found = g_list_model_get_item (G_LIST_MODEL (f.queue), 0);
  g_assert_cmpstr (sd_upload_get_id (found), ==, id);
  g_assert_cmpstr (sd_upload_get_product_id (found), ==, product_id);
  g_assert_cmpuint (sd_upload_get_attempts (found), >=, 1);

  sd_test_server_restart (server, TRUE);
  sd_test_wait_for (queue_empty, &f);
  g_assert_cmpuint (product_pictures (server), ==, before + 1);
  fixture_close (&f);
}

/* A customer's profile picture goes the same way; a product picture
 * queued in a customer's session waits for staff and is never tried. */
static void
test_profile (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *token = NULL;
  g_autofree char *product_id = first_product_id (server);
  g_autoptr(GFile) face = NULL;
  g_autoptr(SdUpload) mine = NULL;
  g_autoptr(SdUpload) staff_only = NULL;
  g_autoptr(SdTestReply) me = NULL;
  Fixture f = { 0 };

  fixture_open (&f, server, "customer@example.com", "Customer1234!");
  face = photo (&f, "face.jpg", FALSE);
  staff_only = add (&f, face, SD_UPLOAD_TARGET_PRODUCT, product_id);
  mine = add (&f, face, SD_UPLOAD_TARGET_PROFILE, NULL);
  sd_test_wait_for (one_uploaded, &f);
  g_assert_true (g_str_has_prefix (f.uploaded->pdata[0], "uploads/") ||
                 strstr (f.uploaded->pdata[0], "/uploads/") != NULL);
  token = sd_test_sign_in (server, "customer@example.com", "Customer1234!", NULL);
  me = sd_test_http (server, "GET", "/api/v1/auth/me", token, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sd_test_data (me, 200)), "profileImage"),
                   ==, f.uploaded->pdata[0]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 1);
  g_assert_cmpuint (sd_upload_get_attempts (staff_only), ==, 0);
  g_assert_cmpint (sd_upload_get_state (staff_only), ==, SD_UPLOAD_WAITING);

  /* Cancelled: gone from the list and from the disk. */
  sd_upload_queue_cancel (f.queue, staff_only);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 0);
  sd_test_wait_for (no_files, &f);
  fixture_close (&f);
}

static void
demote_admin (SdTestServer *server)
{
  g_assert_cmpint (sd_test_server_run_sql (server, "UPDATE users SET role = 'user' WHERE email = 'admin@example.com'"),
                   ==, 1);
}

/* Refusals end an item, with the reason, and are not retried on their own. */
static void
test_refusals (void)
{
  const char *small[] = { "--upload-limit=100000", NULL };
  g_autoptr(SdTestServer) server = sd_test_server_start_with (TRUE, small);
  g_autofree char *product_id = first_product_id (server);
  g_autoptr(GFile) plain = NULL;
  g_autoptr(GFile) noisy = NULL;
  g_autoptr(SdUpload) gone = NULL;
  g_autoptr(SdUpload) large = NULL;
  g_autoptr(SdUpload) forbidden = NULL;
  Fixture f = { 0 };

  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  plain = photo (&f, "plain.jpg", FALSE);
  noisy = photo (&f, "noisy.jpg", TRUE);

  /* 404: the product was deleted meanwhile. */
  gone = add (&f, plain, SD_UPLOAD_TARGET_PRODUCT, "0123456789abcdef01234567");
  sd_test_wait_for (has_failed, gone);
  g_test_message ("404: %s", sd_upload_get_error (gone));
  g_assert_nonnull (strstr (sd_upload_get_error (gone), "no longer exists"));

  /* 413: larger than this shop takes (100 kB here). */
  large = add (&f, noisy, SD_UPLOAD_TARGET_PRODUCT, product_id);
  sd_test_wait_for (has_failed, large);
  g_test_message ("413: %s", sd_upload_get_error (large));
  g_assert_cmpuint (sd_upload_get_attempts (large), ==, 1);

  /* 403: no longer staff at the shop, though this session still says so. */
  demote_admin (server);
  forbidden = add (&f, plain, SD_UPLOAD_TARGET_PRODUCT, product_id);
  sd_test_wait_for (has_failed, forbidden);
  g_test_message ("403: %s", sd_upload_get_error (forbidden));

  /* They stay listed for the user to see, and stay failed on disk. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 3);
  g_clear_object (&gone);
  g_clear_object (&large);
  g_clear_object (&forbidden);
  g_clear_object (&f.queue);
  open_queue (&f);
  sd_test_wait_for (queue_ready, f.queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (f.queue), i);
      g_assert_cmpint (sd_upload_get_state (u), ==, SD_UPLOAD_FAILED);
      g_assert_nonnull (sd_upload_get_error (u));
    }
  fixture_close (&f);
}

/* Half-written entries (a crash between the picture and its sidecar, or a
 * garbage sidecar) are dropped on start, not sent. */
static void
test_broken_entries (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *queue_dir = NULL;
  g_autofree char *orphan = NULL;
  g_autofree char *garbage = NULL;
  Fixture f = { 0 };

  fixture_open (&f, server, "customer@example.com", "Customer1234!");
  /* The first queue has finished reading (and tidying) its folder before
   * the broken entries are written: its worker would otherwise take the
   * test's half-written temporary files for leftovers of a crash. */
  sd_test_wait_for (queue_ready, f.queue);
  g_clear_object (&f.queue);
  queue_dir = g_build_filename (f.dir, "queue", NULL);
  g_assert_cmpint (g_mkdir_with_parents (queue_dir, 0700), ==, 0);
  orphan = g_build_filename (queue_dir, "0000.jpg", NULL);
  garbage = g_build_filename (queue_dir, "0001.json", NULL);
  g_assert_true (g_file_set_contents (orphan, "\xff\xd8 half", -1, NULL));
  g_assert_true (g_file_set_contents (garbage, "{\"id\": ", -1, NULL));
  open_queue (&f);
  sd_test_wait_for (queue_ready, f.queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 0);
  /* each choice was kept, then let go when its photo was refused */
  sd_test_wait_for (no_files, &f);
  fixture_close (&f);
}

/* Hostile photos never enter the queue: refused by their header before
 * any decoder runs (each of these made prep allocate hundreds of MB and
 * succeed before), or as incomplete. Nothing stays on disk. */
static void
test_hostile_photos (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *product_id = first_product_id (server);
  struct { GBytes *bytes; const char *name; int code; } photos[] = {
    { sd_test_webp_vp8l (9000, 9000), "lossless.webp", SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS },
    { sd_test_webp_vp8x (16384, 16384), "canvas.webp", SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS },
    { sd_test_png (9000, 9000, TRUE), "interlaced.png", SD_IMAGE_PREP_ERROR_TOO_MANY_PIXELS },
    { NULL, "half.webp", SD_IMAGE_PREP_ERROR_TRUNCATED },
  };
  Fixture f = { 0 };

  {
    g_autoptr(GBytes) whole = sd_test_webp_vp8l (400, 300);
    photos[3].bytes = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
  }
  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  sd_test_wait_for (queue_ready, f.queue);
  for (guint k = 0; k < G_N_ELEMENTS (photos); k++)
    {
      g_autofree char *path = g_build_filename (f.dir, photos[k].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      Result r = { 0 };

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (photos[k].bytes, NULL),
                                          g_bytes_get_size (photos[k].bytes), NULL));
      sd_upload_queue_add_file_async (f.queue, file, NULL, SD_UPLOAD_TARGET_PRODUCT, product_id, NULL, added_cb, &r);
      sd_test_wait (&r.done);
      g_assert_null (r.upload);
      g_test_message ("%s: %s", photos[k].name, r.error->message);
      g_assert_error (r.error, SD_IMAGE_PREP_ERROR, photos[k].code);
      g_clear_error (&r.error);
      g_bytes_unref (photos[k].bytes);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 0);
  /* each choice was kept, then let go when its photo was refused */
  sd_test_wait_for (no_files, &f);
  fixture_close (&f);
}

static gboolean
failed_or_gone (gpointer f)
{
  g_autoptr(SdUpload) u = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (((Fixture *) f)->queue)) == 0)
    return TRUE;
  u = g_list_model_get_item (G_LIST_MODEL (((Fixture *) f)->queue), 0);
  return sd_upload_get_state (u) == SD_UPLOAD_FAILED;
}

static gboolean
failed_on_disk (gpointer upload)
{
  g_autofree char *id = g_strconcat (sd_upload_get_id (upload), ".json", NULL);
  g_autoptr(GFile) folder = g_file_get_parent (sd_upload_get_file (upload));
  g_autoptr(GFile) sidecar = g_file_get_child (folder, id);
  g_autofree char *text = NULL;

  return g_file_load_contents (sidecar, NULL, &text, NULL, NULL, NULL) &&
         strstr (text, "\"failed\" : true") != NULL;
}

/* A bomb put in the queue's folder behind the app's back (or a prepared
 * picture changed there) is checked again before it is sent, and is not. */
static void
test_planted_bomb (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *product_id = first_product_id (server);
  g_autoptr(GBytes) bomb = sd_test_webp_vp8x (16384, 16384);
  g_autofree char *queue_dir = NULL;
  g_autofree char *picture = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *json = NULL;
  g_autoptr(SdUpload) u = NULL;
  Fixture f = { 0 };
  guint before = product_pictures (server);

  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  sd_test_wait_for (queue_ready, f.queue);
  g_clear_object (&f.queue);
  queue_dir = g_build_filename (f.dir, "queue", NULL);
  picture = g_build_filename (queue_dir, "planted.webp", NULL);
  sidecar = g_build_filename (queue_dir, "planted.json", NULL);
  json = g_strdup_printf ("{\"version\": 1, \"id\": \"planted\", \"target\": \"product\", \"productId\": \"%s\", "
                          "\"file\": \"planted.webp\", \"contentType\": \"image/webp\", \"size\": %" G_GSIZE_FORMAT ", "
                          "\"created\": 1, \"failed\": false, \"attempts\": 0}",
                          product_id, g_bytes_get_size (bomb));
  g_assert_true (g_file_set_contents (picture, g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), NULL));
  g_assert_true (g_file_set_contents (sidecar, json, -1, NULL));
  open_queue (&f);
  sd_test_wait_for (queue_ready, f.queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 1);
  sd_test_wait_for (failed_or_gone, &f);
  g_assert_cmpuint (f.uploaded->len, ==, 0);
  u = g_list_model_get_item (G_LIST_MODEL (f.queue), 0);
  g_test_message ("planted: %s", sd_upload_get_error (u));
  g_assert_cmpint (sd_upload_get_state (u), ==, SD_UPLOAD_FAILED);
  g_assert_cmpuint (product_pictures (server), ==, before);   /* the shop never saw it */
  /* The refusal is written down (in a worker) before the folder goes. */
  sd_test_wait_for (failed_on_disk, u);
  g_clear_object (&u);
  fixture_close (&f);
}

/* The members a queue's sidecar may have: what the item is, never who
 * sent it (no token, no password). */
static void
assert_sidecar_preparing (Fixture *f, SdUpload *u, GFile *original)
{
  g_autofree char *name = g_strconcat (sd_upload_get_id (u), ".json", NULL);
  g_autofree char *path = g_build_filename (f->dir, "queue", name, NULL);
  const char *allowed[] = { "version", "id", "target", "productId", "size", "created", "failed", "attempts",
                            "preparing", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *o;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "preparing"), ==, g_file_peek_path (original));
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      g_error ("the sidecar has “%s”", (char *) l->data);
}

/* Chooses file for product_id and ends the queue (the app) at once, while
 * the photo is being prepared: the add ends cancelled; the choice is on
 * disk. Returns its id. */
static char *
choose_then_quit (Fixture *f, GFile *file, const char *product_id)
{
  Result r = { 0 };
  g_autoptr(SdUpload) u = NULL;
  char *id;

  sd_test_wait_for (queue_ready, f->queue);
  sd_upload_queue_add_file_async (f->queue, file, NULL, SD_UPLOAD_TARGET_PRODUCT, product_id, NULL, added_cb, &r);
  /* Listed at once, being prepared, with no picture yet. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 1);
  u = g_list_model_get_item (G_LIST_MODEL (f->queue), 0);
  g_assert_cmpint (sd_upload_get_state (u), ==, SD_UPLOAD_PREPARING);
  g_assert_null (sd_upload_get_file (u));
  g_object_run_dispose (G_OBJECT (f->queue));
  sd_test_wait (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_clear_object (&f->queue);
  g_assert_cmpuint (files_in_queue (f), ==, 1);   /* the sidecar alone */
  assert_sidecar_preparing (f, u, file);
  id = g_strdup (sd_upload_get_id (u));
  return id;
}

static gboolean
first_failed (gpointer f)
{
  g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (((Fixture *) f)->queue), 0);
  return u && sd_upload_get_state (u) == SD_UPLOAD_FAILED;
}

/* The first item's sidecar says it failed. */
static gboolean
sidecar_failed (gpointer data)
{
  Fixture *f = data;
  g_autoptr(SdUpload) u = g_list_model_get_item (G_LIST_MODEL (f->queue), 0);
  g_autofree char *name = g_strconcat (sd_upload_get_id (u), ".json", NULL);
  g_autofree char *path = g_build_filename (f->dir, "queue", name, NULL);
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) &&
         g_regex_match_simple ("\"failed\"\\s*:\\s*true", text, 0, 0);
}

/* A photo chosen is kept before it is prepared (0.3–0.7 s for a big
 * one): the app ends meanwhile, and the next run prepares it from the
 * original and sends it. If the original is gone by then, the item
 * stays, failed, saying to choose the photo again. */
static void
test_choice_kept (void)
{
  g_autoptr(SdTestServer) server = sd_test_server_start (TRUE);
  g_autofree char *product_id = first_product_id (server);
  g_autofree char *id = NULL;
  g_autofree char *image = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) gone = NULL;
  g_autoptr(SdUpload) found = NULL;
  Fixture f = { 0 };

  fixture_open (&f, server, "admin@example.com", "Admin1234!");
  file = photo (&f, "crate.jpg", TRUE);
  id = choose_then_quit (&f, file, product_id);

  open_queue (&f);
  sd_test_wait_for (queue_ready, f.queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.queue)), ==, 1);
  found = g_list_model_get_item (G_LIST_MODEL (f.queue), 0);
  g_assert_cmpstr (sd_upload_get_id (found), ==, id);
  g_assert_cmpstr (sd_upload_get_product_id (found), ==, product_id);
  sd_test_wait_for (queue_empty, &f);   /* prepared, then sent */
  g_assert_cmpuint (f.uploaded->len, ==, 1);
  image = product_image (server, product_id);
  g_assert_cmpstr (image, ==, f.uploaded->pdata[0]);
  sd_test_wait_for (no_files, &f);

  gone = photo (&f, "gone.jpg", FALSE);
  g_clear_pointer (&id, g_free);
  id = choose_then_quit (&f, gone, product_id);
  g_assert_true (g_file_delete (gone, NULL, NULL));
  open_queue (&f);
  sd_test_wait_for (first_failed, &f);
  g_clear_object (&found);
  found = g_list_model_get_item (G_LIST_MODEL (f.queue), 0);
  g_assert_cmpstr (sd_upload_get_id (found), ==, id);
  g_assert_nonnull (strstr (sd_upload_get_error (found), g_file_peek_path (gone)));
  g_clear_object (&found);

  /* and so it stays, with what to do, in the run after */
  sd_test_wait_for (sidecar_failed, &f);
  g_clear_object (&f.queue);
  open_queue (&f);
  sd_test_wait_for (first_failed, &f);
  found = g_list_model_get_item (G_LIST_MODEL (f.queue), 0);
  g_assert_cmpstr (sd_upload_get_id (found), ==, id);
  g_assert_nonnull (strstr (sd_upload_get_error (found), g_file_peek_path (gone)));
  g_clear_object (&found);
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uploads/offline-then-online", test_offline_then_online);
  g_test_add_func ("/uploads/restart", test_restart);
  g_test_add_func ("/uploads/profile", test_profile);
  g_test_add_func ("/uploads/refusals", test_refusals);
  g_test_add_func ("/uploads/broken-entries", test_broken_entries);
  g_test_add_func ("/uploads/hostile-photos", test_hostile_photos);
  g_test_add_func ("/uploads/planted-bomb", test_planted_bomb);
  g_test_add_func ("/uploads/choice-kept", test_choice_kept);
  return g_test_run ();
}
