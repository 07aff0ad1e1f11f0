/* sd-server-store-activity.c — [ext] "activity": who changed what, and
 * when. A change of an order, a product or a category made while the
 * store has an actor (sd_server_store_set_actor: staff, per request) is
 * recorded in the change's own transaction: the row is read before and
 * after, and what differs goes in the row's details as
 * {"field":[old,new],…}. Texts are cut short, so a row's details stay
 * small whatever the shop's descriptions hold; the table keeps the
 * newest rows only (sd_server_store_set_activity_limit). */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#include <string.h>

/* Bytes of a text value or a label kept, then "…". */
#define VALUE_MAX 100
#define LABEL_MAX 200
/* Details longer than this are not kept (they cannot be, as cut above). */
#define DETAILS_MAX 4096

typedef struct {
  const char *column;
  const char *wire;
  gboolean    integer;
} Field;

typedef struct {
  const char  *entity;
  const char  *table;
  const char  *label;    /* SQL: what the row is called */
  const Field *fields;
} Kind;

static const Field order_fields[] = {
  { "status", "status", FALSE }, { "memo", "memo", FALSE }, { "receiver", "receiver", FALSE },
  { "customer_id", "customerId", FALSE }, { "ttl_price", "ttlPrice", TRUE }, { NULL },
};
static const Field product_fields[] = {
  { "name", "name", FALSE }, { "price", "price", TRUE }, { "stock", "stock", TRUE },
  { "brand", "brand", FALSE }, { "description", "description", FALSE }, { "image", "image", FALSE },
  { "category_id", "categoryId", FALSE }, { "option_name", "optionName", FALSE },
  { "option_values", "optionValues", FALSE }, { NULL },
};
static const Field category_fields[] = { { "name", "name", FALSE }, { NULL } };

static const Kind kinds[] = {
  { "order", "orders", "coalesce (order_number, id)", order_fields },
  { "product", "products", "name", product_fields },
  { "category", "categories", "name", category_fields },
};

struct _SdServerActivityNote {
  const Kind *kind;
  char       *label;    /* NULL: there was no row (a create) */
  JsonObject *before;
};

void
sd_server_activity_forget (SdServerActivityNote *note)
{
  g_free (note->label);
  g_clear_pointer (&note->before, json_object_unref);
  g_free (note);
}

static const Kind *
kind_of (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].entity, entity) == 0)
      return &kinds[i];
  return NULL;
}

/* text, cut to at most max bytes on a character's boundary, "…" added. */
static char *
cut (const char *text, gsize max)
{
  const char *end;

  if (strlen (text) <= max)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + max + 1);
  if (end == NULL)
    end = text;
  if (!g_utf8_validate (text, end - text, NULL))
    return g_strdup ("…");
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/* The row as it is now: its label in *out_label and its fields; FALSE
 * with no error when there is no such row. */
static gboolean
read_row (SdServerDb *db, const Kind *kind, const char *id, char **out_label, JsonObject **out_fields,
          GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(SdStmt) stmt = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  SdStmtResult rc;

  g_string_append (sql, kind->label);
  for (const Field *f = kind->fields; f->column; f++)
    g_string_append_printf (sql, ", %s", f->column);
  g_string_append_printf (sql, " FROM %s WHERE id = ?", kind->table);
  stmt = sd_server_db_statement (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, id);
  rc = sd_stmt_step (stmt);
  if (rc == SD_STMT_DONE)
    return FALSE;
  if (rc != SD_STMT_ROW)
    return sd_server_db_set_error (db, error, kind->table);
  *out_label = cut (sd_stmt_text (stmt, 0), LABEL_MAX);
  for (guint i = 0; kind->fields[i].column; i++)
    {
      const Field *f = &kind->fields[i];

      if (sd_stmt_is_null (stmt, (int) i + 1))
        json_object_set_null_member (fields, f->wire);
      else if (f->integer)
        json_object_set_int_member (fields, f->wire, sd_stmt_int64 (stmt, (int) i + 1));
      else
        json_object_set_string_member (fields, f->wire, sd_stmt_text (stmt, (int) i + 1));
    }
  *out_fields = g_steal_pointer (&fields);
  return TRUE;
}

gboolean
sd_server_activity_note (SdServerStore *store, const char *entity, const char *id,
                         SdServerActivityNote **out_note, GError **error)
{
  const char *origin;
  const Kind *kind = kind_of (entity);
  SdServerActivityNote *note;

  *out_note = NULL;
  if (sd_server_store_get_actor (store, &origin) == NULL || kind == NULL)
    return TRUE;
  note = g_new0 (SdServerActivityNote, 1);
  note->kind = kind;
  if (id != NULL &&
      !read_row (sd_server_store_get_db (store), kind, id, &note->label, &note->before, error) &&
      error && *error)
    {
      sd_server_activity_forget (note);
      return FALSE;
    }
  *out_note = note;
  return TRUE;
}

/* A value as kept in the details: texts cut short. */
static JsonNode *
kept_value (JsonNode *value)
{
  if (value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      g_autofree char *text = cut (json_node_get_string (value), VALUE_MAX);
      JsonNode *n = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (n, text);
      return n;
    }
  return value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL);
}

static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  if (JSON_NODE_HOLDS_NULL (a) || JSON_NODE_HOLDS_NULL (b))
    return JSON_NODE_HOLDS_NULL (a) && JSON_NODE_HOLDS_NULL (b);
  return json_node_equal (a, b);
}

/* {"field":[old,new],…} for what differs between before and after
 * (either NULL: every field the other has, that is not null or ""). */
static JsonObject *
differences (const Kind *kind, JsonObject *before, JsonObject *after)
{
  JsonObject *changes = json_object_new ();

  for (const Field *f = kind->fields; f->column; f++)
    {
      JsonNode *old = before ? json_object_get_member (before, f->wire) : NULL;
      JsonNode *now = after ? json_object_get_member (after, f->wire) : NULL;
      JsonNode *some = old ? old : now;
      JsonArray *pair;

      if (old && now && same_value (old, now))
        continue;
      if (!(old && now) && (JSON_NODE_HOLDS_NULL (some) ||
                            g_strcmp0 (json_node_get_string (some), "") == 0))
        continue;
      pair = json_array_new ();
      json_array_add_element (pair, kept_value (old));
      json_array_add_element (pair, kept_value (now));
      json_object_set_array_member (changes, f->wire, pair);
    }
  return changes;
}

static char *
details_text (JsonObject *changes)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, changes);
  text = json_to_string (node, FALSE);
  if (strlen (text) > DETAILS_MAX)
    {
      g_free (text);
      text = g_strdup ("{}");
    }
  return text;
}

static gboolean
insert (SdServerStore *store, const char *entity, const char *id, const char *label, const char *action,
        const char *details, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  const char *origin;
  const char *actor = sd_server_store_get_actor (store, &origin);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) add = sd_server_db_statement (db,
    "INSERT INTO activity (at, actor_id, actor_email, actor_name, entity, entity_id, label, action, details,"
    " origin) VALUES (?1, ?2, coalesce ((SELECT email FROM users WHERE id = ?2), ''),"
    " coalesce ((SELECT name FROM users WHERE id = ?2), ''), ?3, ?4, ?5, ?6, ?7, ?8)", error);
  g_autoptr(SdStmt) prune = NULL;

  if (add == NULL)
    return FALSE;
  sd_stmt_bind_text (add, 1, now);
  sd_stmt_bind_text (add, 2, actor);
  sd_stmt_bind_text (add, 3, entity);
  sd_stmt_bind_text (add, 4, id);
  sd_stmt_bind_text (add, 5, label);
  sd_stmt_bind_text (add, 6, action);
  sd_stmt_bind_text (add, 7, details);
  sd_stmt_bind_text (add, 8, origin);
  if (!sd_server_db_step_done (db, add, error))
    return FALSE;
  /* The newest rows are kept: ids only grow, so those more than the
   * limit below the newest go (one index range, usually empty). */
  prune = sd_server_db_statement (db, "DELETE FROM activity WHERE id <= (SELECT max (id) FROM activity) - ?1",
                                  error);
  if (prune == NULL)
    return FALSE;
  sd_stmt_bind_int64 (prune, 1, sd_server_store_get_activity_limit (store));
  return sd_server_db_step_done (db, prune, error);
}

gboolean
sd_server_activity_record (SdServerStore *store, SdServerActivityNote *note, const char *id, GError **error)
{
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *label = NULL;
  g_autofree char *details = NULL;
  const char *action;
  gboolean ok = TRUE;

  if (note == NULL)
    return TRUE;
  if (!read_row (sd_server_store_get_db (store), note->kind, id, &label, &after, error) && error && *error)
    {
      sd_server_activity_forget (note);
      return FALSE;
    }
  changes = differences (note->kind, note->before, after);
  if (note->before == NULL)
    action = "create";
  else if (after == NULL)
    action = "delete";
  else if (json_object_get_size (changes) == 0)
    action = NULL;   /* nothing changed: nothing to say */
  else if (json_object_has_member (changes, "status"))
    action = "status";
  else
    action = "update";
  if (note->before == NULL && after == NULL)
    action = NULL;
  if (action != NULL)
    {
      /* A deleted row's fields are not told: its label says which it was. */
      if (g_strcmp0 (action, "delete") == 0)
        {
          json_object_unref (changes);
          changes = json_object_new ();
        }
      details = details_text (changes);
      ok = insert (store, note->kind->entity, id, label ? label : note->label, action, details, error);
    }
  sd_server_activity_forget (note);
  return ok;
}

gboolean
sd_server_activity_begin (SdServerStore *store, const char *entity, const char *id,
                          SdServerActivityNote **out_note, GError **error)
{
  const char *origin;
  SdServerDb *db = sd_server_store_get_db (store);

  *out_note = NULL;
  if (sd_server_store_get_actor (store, &origin) == NULL)
    return TRUE;
  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (!sd_server_activity_note (store, entity, id, out_note, error))
    {
      sd_server_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_server_activity_end (SdServerStore *store, SdServerActivityNote *note, const char *id, gboolean ok,
                        GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);

  if (note == NULL)
    return ok;
  if (!ok)
    {
      sd_server_activity_forget (note);
      sd_server_db_rollback (db);
      return FALSE;
    }
  return sd_server_db_end (db, sd_server_activity_record (store, note, id, error), error);
}

/* ---- the list ------------------------------------------------------------- */

static JsonNode *
activity_from_row (SdStmt *stmt, gpointer user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, sd_stmt_int64 (stmt, 0));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 1));
  json_builder_set_member_name (b, "actor");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_id");
  json_builder_add_string_value (b, sd_stmt_text_or_null (stmt, 2));
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 3));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 4));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 5));
  json_builder_set_member_name (b, "entityId");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 6));
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 7));
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, sd_stmt_text (stmt, 8));
  json_builder_set_member_name (b, "changes");
  if (json_parser_load_from_data (parser, sd_stmt_text (stmt, 9), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "origin");
  json_builder_add_string_value (b, sd_stmt_text_or_null (stmt, 10));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
bind_filter (SdStmt *stmt, const SdServerActivityQuery *query)
{
  if (query->entity)
    sd_stmt_bind_text (stmt, 1, query->entity);
  if (query->entity && query->entity_id)
    sd_stmt_bind_text (stmt, 2, query->entity_id);
}

JsonNode *
sd_server_store_list_activity (SdServerStore *store, const SdServerActivityQuery *query, gint64 *out_total,
                               GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  /* Only the filters given go into the SQL (so the index serves them),
   * and every parameter is used (PostgreSQL types each one). */
  const char *where = query->entity && query->entity_id ? " WHERE entity = ?1 AND entity_id = ?2"
                    : query->entity ? " WHERE entity = ?1" : "";
  int n = query->entity && query->entity_id ? 2 : query->entity ? 1 : 0;
  g_autofree char *count_sql = g_strconcat ("SELECT count (*) FROM activity", where, NULL);
  g_autofree char *list_sql = g_strdup_printf ("SELECT id, at, actor_id, actor_email, actor_name, entity,"
                                               " entity_id, label, action, details, origin FROM activity%s"
                                               " ORDER BY id DESC LIMIT ?%d OFFSET ?%d", where, n + 1, n + 2);
  g_autoptr(SdStmt) count = sd_server_db_statement (db, count_sql, error);
  g_autoptr(SdStmt) list = NULL;

  if (count == NULL)
    return NULL;
  bind_filter (count, query);
  if (sd_stmt_step (count) != SD_STMT_ROW)
    {
      sd_server_db_set_error (db, error, "activity");
      return NULL;
    }
  *out_total = sd_stmt_int64 (count, 0);
  list = sd_server_db_statement (db, list_sql, error);
  if (list == NULL)
    return NULL;
  bind_filter (list, query);
  sd_stmt_bind_int64 (list, n + 1, query->limit);
  sd_stmt_bind_int64 (list, n + 2, query->offset);
  return sd_server_db_collect_rows (db, list, activity_from_row, NULL, "activity", error);
}
