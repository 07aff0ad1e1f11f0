/* sd-server-store.c — the store: one engine connection (SQLite today,
 * sd-server-db.c), and what every area of it shares. The areas are
 * sd-server-store-catalog.c, -orders.c, -users.c and -meta.c. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

struct _SdServerStore
{
  GObject     parent_instance;
  SdServerDb *db;
  GTimeZone  *time_zone;   /* order numbers' days */
  /* [ext] "activity": whose changes are recorded, from where, and how
   * many rows are kept (sd-server-store-activity.c). */
  char       *actor_id;
  char       *origin;
  gint64      activity_limit;
};

G_DEFINE_FINAL_TYPE (SdServerStore, sd_server_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (sd-server-store-error-quark, sd_server_store_error)

static void
sd_server_store_finalize (GObject *object)
{
  SdServerStore *self = SD_SERVER_STORE (object);

  g_clear_object (&self->db);   /* closes the connection */
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_free (self->actor_id);
  g_free (self->origin);
  G_OBJECT_CLASS (sd_server_store_parent_class)->finalize (object);
}

static void
sd_server_store_class_init (SdServerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_server_store_finalize;
}

static void
sd_server_store_init (SdServerStore *self)
{
  self->time_zone = sd_server_store_shop_time_zone ();
  self->activity_limit = SD_SERVER_ACTIVITY_LIMIT;
}

SdServerStore *
sd_server_store_open (const char *path, GError **error)
{
  g_autoptr(SdServerDb) db = sd_server_db_open (path, error);
  SdServerStore *self;

  if (db == NULL)
    return NULL;
  self = g_object_new (SD_TYPE_SERVER_STORE, NULL);
  self->db = g_steal_pointer (&db);
  if (!sd_server_store_number_orders (self, error))
    return g_object_unref (self), NULL;
  return self;
}

GTimeZone *
sd_server_store_get_time_zone (SdServerStore *self)
{
  return self->time_zone;
}

SdServerDb *
sd_server_store_get_db (SdServerStore *self)
{
  return self->db;
}

void
sd_server_store_set_actor (SdServerStore *self, const char *user_id, const char *origin)
{
  g_free (self->actor_id);
  g_free (self->origin);
  self->actor_id = g_strdup (user_id);
  self->origin = user_id ? g_strdup (origin) : NULL;
}

const char *
sd_server_store_get_actor (SdServerStore *self, const char **out_origin)
{
  *out_origin = self->origin;
  return self->actor_id;
}

void
sd_server_store_set_activity_limit (SdServerStore *self, gint64 limit)
{
  self->activity_limit = MAX (limit, 1);
}

gint64
sd_server_store_get_activity_limit (SdServerStore *self)
{
  return self->activity_limit;
}

gboolean
sd_server_store_migrate (const char *database, guint *out_steps, GError **error)
{
  return sd_server_db_migrate (database, out_steps, error);
}

gint64
sd_server_store_change_stamp (SdServerStore *self)
{
  return sd_server_db_change_stamp (self->db);
}

gboolean
sd_server_store_atomically (SdServerStore *self, SdServerStoreFunc func, gpointer user_data, GError **error)
{
  if (!sd_server_db_begin (self->db, error))
    return FALSE;
  if (!func (self, user_data, error))
    {
      sd_server_db_rollback (self->db);
      return FALSE;
    }
  if (!sd_server_db_commit (self->db, error))
    {
      sd_server_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/* 24 hex digits, the shape of a MongoDB ObjectId, all of them 12 bytes
 * from the kernel's CSPRNG: no clock, no counter, and no weaker fallback
 * (the server stops instead). --order-links relies on it: an order made
 * with such an id may be read by its id alone (sd-server-order-link.c). */
char *
sd_server_store_new_id (void)
{
  guint8 rnd[12];
  gsize got = 0;
  GString *s = g_string_sized_new (25);

  while (got < sizeof rnd)
    {
      gssize n = getrandom (rnd + got, sizeof rnd - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("no randomness from the kernel for a new id: %s", g_strerror (errno));
      got += (gsize) n;
    }
  for (guint i = 0; i < sizeof rnd; i++)
    g_string_append_printf (s, "%02x", rnd[i]);
  explicit_bzero (rnd, sizeof rnd);
  return g_string_free (s, FALSE);
}

char *
sd_server_store_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}


/* ---- [ext] "conditional": updatedAt always moves forward ------------------ */

SdStmt *
sd_server_store_prepare_bumped (SdServerDb *db, const char *sql, guint now_param, GError **error)
{
  g_autofree char *bump = NULL;
  g_autofree char *full = NULL;

  /* The timestamps are all 'YYYY-MM-DDTHH:MM:SS.mmmZ', so they compare
   * as text; only the millisecond added is the engine's own. */
  if (sd_server_db_engine (db) == SD_SERVER_ENGINE_POSTGRESQL)
    bump = g_strdup_printf ("CASE WHEN ?%u > updated_at THEN ?%u ELSE to_char (updated_at::timestamp"
                            " + interval '1 millisecond', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') END",
                            now_param, now_param);
  else
    bump = g_strdup_printf ("CASE WHEN ?%u > updated_at THEN ?%u"
                            " ELSE strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', updated_at, '+0.001 seconds') END",
                            now_param, now_param);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  full = g_strdup_printf (sql, bump);
#pragma GCC diagnostic pop
  return sd_server_db_statement (db, full, error);
}

gboolean
sd_server_store_why_unchanged (SdServerDb *db, const char *table, const char *id, const char *base,
                               GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT updated_at FROM %s WHERE id = ?", table);
  g_autoptr(SdStmt) stmt = sd_server_db_statement (db, sql, error);
  int rc;

  if (stmt == NULL)
    return TRUE;
  sd_stmt_bind_text (stmt, 1, id);
  rc = sd_stmt_step (stmt);
  if (rc == SD_STMT_DONE)
    g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND, "no such row of %s", table);
  else if (rc != SD_STMT_ROW)
    sd_server_db_set_error (db, error, table);
  else if (base != NULL && g_strcmp0 (sd_stmt_text (stmt, 0), base) != 0)
    g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CHANGED,
                 "%s %s changed since its base", table, id);
  else
    return FALSE;
  return TRUE;
}
