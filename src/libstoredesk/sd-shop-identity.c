/* sd-shop-identity.c — shop identity: keys, where things are kept, and moving them.
 *
 * A shop is known by the id its /health gives ([ext] shopId), else by its
 * origin. Ids seen are remembered per origin in
 * $XDG_DATA_HOME/storedesk/shop-ids (a key file), so that a start without
 * the network still finds what was kept under the id. When a key is
 * settled, whatever is still kept under the shop's URLs (the origin, and
 * the base URL that keyed everything before) is moved to it: a guest's
 * order key is their only way back to the order, so every copy is made
 * before its original goes, and a clash keeps both. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "sd-local-store.h"
#include "sd-shop-identity-private.h"

#define IDS_GROUP        "shop-ids"
/* origin → the [ext] features its shop announced last time, comma
 * separated ("" for the original's none); no key: never answered. */
#define FEATURES_GROUP   "shop-features"
#define STOREDESK_SCHEMA "io.github.storedesk.Storedesk."

/* One writer of the ids file at a time within this process. */
static GMutex ids_lock;

char *
sd_shop_origin_key (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  int port = g_uri_get_port (uri);
  int standard = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  g_autofree char *lower = g_ascii_strdown (scheme, -1);
  gboolean v6 = strchr (host, ':') != NULL;

  /* An origin as browsers write it: the port only when not the scheme's. */
  if (port < 0 || port == standard)
    return g_strdup_printf ("%s://%s%s%s", lower, v6 ? "[" : "", host, v6 ? "]" : "");
  return g_strdup_printf ("%s://%s%s%s:%d", lower, v6 ? "[" : "", host, v6 ? "]" : "", port);
}

#define KEYRING_TIMEOUT 10   /* seconds */

static gboolean
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

GCancellable *
sd_keyring_cancellable_new (void)
{
  GCancellable *cancellable = g_cancellable_new ();
  GSource *timeout = g_timeout_source_new_seconds (KEYRING_TIMEOUT);

  g_source_set_callback (timeout, cancel_cb, g_object_ref (cancellable), g_object_unref);
  g_source_attach (timeout, g_main_context_get_thread_default ());
  g_source_unref (timeout);
  return cancellable;
}

static char *
ids_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "storedesk", "shop-ids", NULL);
}

char *
sd_shop_lookup_id (const char *origin_key)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = ids_path ();
  char *id = NULL;

  g_mutex_lock (&ids_lock);
  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    id = g_key_file_get_string (file, IDS_GROUP, origin_key, NULL);
  g_mutex_unlock (&ids_lock);
  if (id != NULL && *id == '\0')
    g_clear_pointer (&id, g_free);
  return id;
}

gboolean
sd_shop_recall (const char *origin_key, char **out_id, GStrv *out_features)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = ids_path ();
  g_autofree char *id = NULL, *features = NULL;

  g_mutex_lock (&ids_lock);
  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    {
      id = g_key_file_get_string (file, IDS_GROUP, origin_key, NULL);
      features = g_key_file_get_string (file, FEATURES_GROUP, origin_key, NULL);
    }
  g_mutex_unlock (&ids_lock);
  if (features == NULL)
    return FALSE;
  if (id != NULL && *id == '\0')
    g_clear_pointer (&id, g_free);
  *out_id = g_steal_pointer (&id);
  *out_features = *features ? g_strsplit (features, ",", -1) : g_new0 (char *, 1);
  return TRUE;
}

/* What the shop at origin_key answered (shop_id NULL: it gave none).
 * TRUE when that is news: never recorded before, or another id. */
static gboolean
remember (const char *origin_key, const char *shop_id, const char * const *features)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = ids_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *old = NULL, *old_features = NULL;
  g_autofree char *joined = g_strjoinv (",", (char **) features);
  g_autoptr(GError) error = NULL;
  gboolean news;

  g_mutex_lock (&ids_lock);
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  old = g_key_file_get_string (file, IDS_GROUP, origin_key, NULL);
  old_features = g_key_file_get_string (file, FEATURES_GROUP, origin_key, NULL);
  news = old_features == NULL || g_strcmp0 (old, shop_id) != 0;
  if (news || g_strcmp0 (old_features, joined) != 0)
    {
      if (shop_id)
        g_key_file_set_string (file, IDS_GROUP, origin_key, shop_id);
      else
        g_key_file_remove_key (file, IDS_GROUP, origin_key, NULL);
      g_key_file_set_string (file, FEATURES_GROUP, origin_key, joined);
      if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (file, path, &error))
        g_message ("the shop's id could not be remembered: %s", error ? error->message : g_strerror (errno));
    }
  g_mutex_unlock (&ids_lock);
  return news;
}

char *
sd_shop_cart_path (const char *shop_key)
{
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA1, shop_key, -1);
  g_autofree char *name = g_strconcat (key, ".json", NULL);

  return g_build_filename (g_get_user_data_dir (), "storedesk", "carts", name, NULL);
}

char *
sd_shop_uploads_path (const char *shop_key)
{
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, shop_key, -1);

  key[16] = '\0';
  return g_build_filename (g_get_user_data_dir (), "storedesk", "uploads", key, NULL);
}

/* ---- the cart ------------------------------------------------------- */

static JsonNode *
read_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_mapped_file (parser, path, NULL) || json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonArray *
lines_of (JsonNode *cart)
{
  JsonObject *o = json_node_get_object (cart);
  JsonNode *lines = json_object_get_member (o, "lines");

  return lines && JSON_NODE_HOLDS_ARRAY (lines) ? json_node_get_array (lines) : NULL;
}

static gboolean
same_line (JsonObject *a, JsonObject *b)
{
  JsonNode *oa = json_object_get_member (a, "option"), *ob = json_object_get_member (b, "option");
  const char *sa = oa && JSON_NODE_HOLDS_VALUE (oa) ? json_node_get_string (oa) : NULL;
  const char *sb = ob && JSON_NODE_HOLDS_VALUE (ob) ? json_node_get_string (ob) : NULL;

  return g_strcmp0 (json_object_get_string_member_with_default (a, "productId", NULL),
                    json_object_get_string_member_with_default (b, "productId", NULL)) == 0 &&
         g_strcmp0 (sa, sb) == 0;
}

/* Both carts' lines in to (the larger count where both have a line), to
 * written atomically, then from removed. A from that cannot be read stays. */
static void
migrate_cart (const char *from_key, const char *to_key)
{
  g_autofree char *from = sd_shop_cart_path (from_key);
  g_autofree char *to = sd_shop_cart_path (to_key);
  g_autofree char *dir = g_path_get_dirname (to);
  g_autoptr(JsonNode) src = NULL, dst = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *src_lines, *dst_lines;

  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_test (to, G_FILE_TEST_EXISTS))
    {
      if (g_rename (from, to) != 0)
        g_message ("the cart could not be moved to the shop's id: %s", g_strerror (errno));
      return;
    }
  src = read_json (from);
  dst = read_json (to);
  if (src == NULL || dst == NULL || (src_lines = lines_of (src)) == NULL || (dst_lines = lines_of (dst)) == NULL)
    {
      g_message ("a cart kept under the shop's address could not be merged; it stays where it is");
      return;
    }
  for (guint i = 0; i < json_array_get_length (src_lines); i++)
    {
      JsonNode *line = json_array_get_element (src_lines, i);
      gboolean merged = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (line))
        continue;
      for (guint j = 0; j < json_array_get_length (dst_lines) && !merged; j++)
        {
          JsonNode *other = json_array_get_element (dst_lines, j);

          if (JSON_NODE_HOLDS_OBJECT (other) && same_line (json_node_get_object (line), json_node_get_object (other)))
            {
              JsonObject *o = json_node_get_object (other);
              gint64 a = json_object_get_int_member_with_default (o, "count", 0);
              gint64 b = json_object_get_int_member_with_default (json_node_get_object (line), "count", 0);

              json_object_set_int_member (o, "count", MAX (a, b));
              merged = TRUE;
            }
        }
      if (!merged)
        json_array_add_element (dst_lines, json_node_copy (line));
    }
  text = json_to_string (dst, TRUE);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (to, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_message ("the carts could not be merged: %s", error ? error->message : g_strerror (errno));
      return;
    }
  g_unlink (from);
}

/* ---- the upload queue ------------------------------------------------ */

/* Every file moves across (names are the uploads' random ids); a name
 * that exists there already stays behind. */
static void
migrate_uploads (const char *from_key, const char *to_key)
{
  g_autofree char *from = sd_shop_uploads_path (from_key);
  g_autofree char *to = sd_shop_uploads_path (to_key);
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;
  gboolean left = FALSE;

  if (dir == NULL)
    return;
  if (g_mkdir_with_parents (to, 0700) != 0)
    {
      g_message ("the upload queue could not be moved: %s", g_strerror (errno));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);

      if (g_file_test (b, G_FILE_TEST_EXISTS) || g_rename (a, b) != 0)
        left = TRUE;
    }
  if (!left)
    g_rmdir (from);
}

/* ---- the keyring ------------------------------------------------------- */

/* A schema like the item's own (its name and attributes), to store the
 * copy under. */
static SecretSchema *
schema_like (const char *name, GHashTable *attributes)
{
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_insert (types, key, GINT_TO_POINTER (SECRET_SCHEMA_ATTRIBUTE_STRING));
  return secret_schema_newv (name, SECRET_SCHEMA_NONE, types);
}

static void
migrate_keyring (const char *from_key, const char *to_key, GCancellable *cancellable)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_hash_table_insert (query, (gpointer) "shop", (gpointer) from_key);
  items = secret_service_search_sync (NULL, NULL, query,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                      cancellable, &error);
  if (error != NULL)
    {
      g_message ("the keyring could not be searched for this shop (%s)", error->message);
      return;
    }
  for (GList *l = items; l; l = l->next)
    {
      SecretItem *item = l->data;
      /* (transfer full in libsecret 0.20) */
      g_autofree char *schema_name = secret_item_get_schema_name (item);
      g_autoptr(GHashTable) attributes = NULL;
      g_autoptr(GHashTable) wanted = NULL;
      /* (libsecret 0.20's autoptr for SecretSchema calls g_object_unref.) */
      SecretSchema *schema = NULL;
      g_autoptr(SecretValue) value = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *label = NULL;
      GList *there;

      /* Only ours: another application's "shop" is none of our business. */
      if (schema_name == NULL || !g_str_has_prefix (schema_name, STOREDESK_SCHEMA))
        continue;
      value = secret_item_get_secret (item);
      if (value == NULL)
        continue;   /* still locked: left where it is */
      attributes = secret_item_get_attributes (item);
      wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      {
        GHashTableIter iter;
        gpointer k, v;

        g_hash_table_iter_init (&iter, attributes);
        while (g_hash_table_iter_next (&iter, &k, &v))
          if (!g_str_has_prefix (k, "xdg:"))
            g_hash_table_insert (wanted, g_strdup (k), g_strdup (g_str_equal (k, "shop") ? to_key : v));
      }
      schema = schema_like (schema_name, wanted);
      there = secret_service_search_sync (NULL, schema, wanted, SECRET_SEARCH_NONE, cancellable, &local);
      if (local != NULL)
        {
          g_message ("the keyring could not be searched (%s)", local->message);
          secret_schema_unref (schema);
          continue;
        }
      if (there == NULL)
        {
          /* The same item under the new key (its label too), and only
           * then the old one goes. */
          label = secret_item_get_label (item);
          gboolean stored = secret_service_store_sync (NULL, schema, wanted, SECRET_COLLECTION_DEFAULT, label,
                                                       value, cancellable, &local);

          secret_schema_unref (schema);
          if (!stored)
            {
              g_message ("a keyring item could not be moved to the shop's id (%s); it stays", local->message);
              continue;
            }
        }
      else
        {
          /* What is there is kept: a session newer than this one, or the
           * same guest's key already moved. A different key for the same
           * order would be odd; then both stay. */
          SecretValue *other = NULL;
          gboolean same = TRUE;

          secret_schema_unref (schema);
          if (secret_item_load_secret_sync (there->data, cancellable, NULL))
            other = secret_item_get_secret (there->data);
          if (g_str_has_suffix (schema_name, ".GuestOrder"))
            same = other != NULL && g_strcmp0 (secret_value_get_text (other), secret_value_get_text (value)) == 0;
          g_clear_pointer (&other, secret_value_unref);
          g_list_free_full (there, g_object_unref);
          if (!same)
            continue;
        }
      if (!secret_item_delete_sync (item, cancellable, &local))
        g_debug ("the old keyring item stays (%s)", local->message);
    }
  g_list_free_full (items, g_object_unref);
}

void
sd_shop_migrate (const char *from, const char *to, GCancellable *keyring_cancellable)
{
  if (g_strcmp0 (from, to) == 0)
    return;
  migrate_cart (from, to);
  migrate_uploads (from, to);
  sd_local_store_migrate_shop (from, to);
  migrate_keyring (from, to, keyring_cancellable);
}

/* ---- settling the key -------------------------------------------------- */

typedef struct {
  char         *origin_key;
  char         *base_url;
  gboolean      answered;
  char         *shop_id;
  GStrv         features;
  GCancellable *keyring;
} Settle;

static void
settle_free (Settle *s)
{
  g_free (s->origin_key);
  g_free (s->base_url);
  g_free (s->shop_id);
  g_strfreev (s->features);
  g_clear_object (&s->keyring);
  g_free (s);
}

static void
settle_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Settle *s = task_data;
  g_autofree char *key = NULL;
  gboolean news = TRUE;

  if (s->answered)
    {
      news = remember (s->origin_key, s->shop_id, (const char * const *) s->features);
      key = g_strdup (s->shop_id ? s->shop_id : s->origin_key);
    }
  else
    {
      key = sd_shop_lookup_id (s->origin_key);
      news = key == NULL;
      if (key == NULL)
        key = g_strdup (s->origin_key);
    }
  /* The same shop as last time at this origin: everything is under its
   * key already (a start does not search the keyring for nothing). */
  if (!news)
    {
      g_task_return_pointer (task, g_steal_pointer (&key), g_free);
      return;
    }
  sd_shop_migrate (s->origin_key, key, s->keyring);
  if (g_strcmp0 (s->base_url, s->origin_key) != 0)
    sd_shop_migrate (s->base_url, key, s->keyring);
  g_task_return_pointer (task, g_steal_pointer (&key), g_free);
}

void
sd_shop_settle_async (const char *origin_key, const char *base_url, gboolean answered, const char *shop_id,
                      const char * const *features, GCancellable *keyring_cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Settle *s = g_new0 (Settle, 1);

  s->origin_key = g_strdup (origin_key);
  s->base_url = g_strdup (base_url);
  s->answered = answered;
  s->shop_id = g_strdup (shop_id);
  s->features = features ? g_strdupv ((char **) features) : g_new0 (char *, 1);
  s->keyring = keyring_cancellable ? g_object_ref (keyring_cancellable) : NULL;
  g_task_set_source_tag (task, sd_shop_settle_async);
  g_task_set_task_data (task, s, (GDestroyNotify) settle_free);
  g_task_run_in_thread (task, settle_thread);
}

char *
sd_shop_settle_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
