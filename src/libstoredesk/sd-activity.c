/* sd-activity.c — an entry of the shop's activity log, from the wire
 * ([ext] "activity"), and what it says to a person. The shop's reply is
 * read with limits: texts cut short, a bounded number of changes, and
 * anything of another shape ignored rather than trusted. */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-activity-private.h"
#include "sd-contract.h"
#include "sd-models-private.h"
#include "sd-money.h"

/* Characters of a text kept from the shop, and changes of one entry. */
#define TEXT_MAX 200
#define CHANGES_MAX 16

typedef struct {
  char *field;
  char *old_value;   /* NULL: none */
  char *new_value;
} Change;

struct _SdActivity
{
  GObject           parent_instance;
  GDateTime        *at;
  char             *actor;
  char             *actor_email;
  SdActivityEntity  entity;
  char             *entity_id;
  char             *label;
  SdActivityAction  action;
  SdActivityOrigin  origin;
  GArray           *changes;   /* of Change */
  GStrv             fields;
};

G_DEFINE_FINAL_TYPE (SdActivity, sd_activity, G_TYPE_OBJECT)

static void
change_clear (gpointer p)
{
  Change *c = p;

  g_free (c->field);
  g_free (c->old_value);
  g_free (c->new_value);
}

static void
sd_activity_finalize (GObject *object)
{
  SdActivity *self = SD_ACTIVITY (object);

  g_clear_pointer (&self->at, g_date_time_unref);
  g_free (self->actor);
  g_free (self->actor_email);
  g_free (self->entity_id);
  g_free (self->label);
  g_array_unref (self->changes);
  g_strfreev (self->fields);
  G_OBJECT_CLASS (sd_activity_parent_class)->finalize (object);
}

static void
sd_activity_class_init (SdActivityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_activity_finalize;
}

static void
sd_activity_init (SdActivity *self)
{
  self->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_array_set_clear_func (self->changes, change_clear);
}

/* A text of the shop's, valid UTF-8 and at most TEXT_MAX characters. */
static char *
kept_text (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, MIN (strlen (text), (gsize) TEXT_MAX * 4));
  if (g_utf8_strlen (valid, -1) <= TEXT_MAX)
    return g_steal_pointer (&valid);
  return g_utf8_substring (valid, 0, TEXT_MAX);
}

/* A value of a change as text: a string, a whole number, or NULL. */
static char *
value_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return kept_text (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

static void
read_changes (SdActivity *self, JsonObject *changes)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  /* In the shop's order (json_object_iter's is the hash table's). */
  g_autoptr(GList) names = json_object_get_members (changes);

  for (GList *l = names; l && self->changes->len < CHANGES_MAX; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (changes, name);
      JsonArray *pair;
      Change c = { 0 };

      if (!JSON_NODE_HOLDS_ARRAY (value) || json_array_get_length ((pair = json_node_get_array (value))) != 2 ||
          strlen (name) > 64)
        continue;
      c.field = g_strdup (name);
      c.old_value = value_text (json_array_get_element (pair, 0));
      c.new_value = value_text (json_array_get_element (pair, 1));
      g_array_append_val (self->changes, c);
      g_strv_builder_add (fields, name);
    }
  self->fields = g_strv_builder_end (fields);
}

static gboolean
enum_of (const char *text, const char * const *names, guint n, guint *out)
{
  for (guint i = 0; text && i < n; i++)
    if (names[i] && strcmp (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static const char * const entities[] = { NULL, "order", "product", "category" };
static const char * const actions[] = { "create", "update", "status", "delete" };
static const char * const origins[] = { NULL, "bulk", "undo", "replay" };

const char *
sd_activity_entity_to_wire (SdActivityEntity entity)
{
  return (guint) entity < G_N_ELEMENTS (entities) ? entities[entity] : NULL;
}

const char *
sd_activity_origin_to_wire (SdActivityOrigin origin)
{
  return (guint) origin < G_N_ELEMENTS (origins) ? origins[origin] : NULL;
}

SdActivityOrigin
sd_activity_origin_from_wire (const char *text)
{
  guint origin = SD_ACTIVITY_ORIGIN_NONE;

  enum_of (text, origins, G_N_ELEMENTS (origins), &origin);
  return origin;
}

GObject *
sd_activity_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SdActivity) self = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  JsonObject *o, *actor = NULL;
  JsonNode *changes;
  const char *at, *name = NULL, *email = NULL;
  guint entity = 0, action = SD_ACTIVITY_UPDATE, origin = SD_ACTIVITY_ORIGIN_NONE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, sd_json_bad_field ("activity", "(object)"));
      return NULL;
    }
  o = json_node_get_object (node);
  if (!enum_of (sd_json_get_string (o, "entity"), entities, G_N_ELEMENTS (entities), &entity) ||
      sd_json_get_string (o, "entityId") == NULL)
    {
      g_propagate_error (error, sd_json_bad_field ("activity", "entity"));
      return NULL;
    }
  self = g_object_new (SD_TYPE_ACTIVITY, NULL);
  self->entity = entity;
  self->entity_id = kept_text (sd_json_get_string (o, "entityId"));
  self->label = kept_text (sd_json_get_string (o, "label"));
  /* An action of a newer shop's is a change like any. */
  enum_of (sd_json_get_string (o, "action"), actions, G_N_ELEMENTS (actions), &action);
  enum_of (sd_json_get_string (o, "origin"), origins, G_N_ELEMENTS (origins), &origin);
  self->action = action;
  self->origin = origin;
  at = sd_json_get_string (o, "at");
  self->at = at && strlen (at) < 64 ? g_date_time_new_from_iso8601 (at, utc) : NULL;
  if (json_object_get_member (o, "actor") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "actor")))
    actor = json_object_get_object_member (o, "actor");
  if (actor)
    {
      name = sd_json_get_string (actor, "name");
      email = sd_json_get_string (actor, "email");
    }
  self->actor_email = kept_text (email ? email : "");
  self->actor = kept_text (name && *name ? name : self->actor_email);
  changes = json_object_get_member (o, "changes");
  if (changes && JSON_NODE_HOLDS_OBJECT (changes))
    read_changes (self, json_node_get_object (changes));
  else
    self->fields = g_new0 (char *, 1);
  return G_OBJECT (g_steal_pointer (&self));
}

GDateTime *sd_activity_get_at (SdActivity *self) { return self->at; }
const char *sd_activity_get_actor (SdActivity *self) { return self->actor; }
const char *sd_activity_get_actor_email (SdActivity *self) { return self->actor_email; }
SdActivityEntity sd_activity_get_entity (SdActivity *self) { return self->entity; }
const char *sd_activity_get_entity_id (SdActivity *self) { return self->entity_id; }
const char *sd_activity_get_label (SdActivity *self) { return self->label ? self->label : ""; }
SdActivityAction sd_activity_get_action (SdActivity *self) { return self->action; }
SdActivityOrigin sd_activity_get_origin (SdActivity *self) { return self->origin; }
const char * const *sd_activity_get_fields (SdActivity *self) { return (const char * const *) self->fields; }

gboolean
sd_activity_get_change (SdActivity *self, const char *field, const char **out_old, const char **out_new)
{
  g_return_val_if_fail (SD_IS_ACTIVITY (self), FALSE);
  for (guint i = 0; i < self->changes->len; i++)
    {
      Change *c = &g_array_index (self->changes, Change, i);

      if (g_strcmp0 (c->field, field) != 0)
        continue;
      if (out_old)
        *out_old = c->old_value;
      if (out_new)
        *out_new = c->new_value;
      return TRUE;
    }
  return FALSE;
}

/* ---- in words ------------------------------------------------------------- */

static char *
status_text (const char *wire)
{
  SdOrderStatus status;

  if (wire && sd_order_status_from_wire (wire, &status))
    return g_strdup (_(sd_order_status_label (status)));
  return g_strdup (wire ? wire : "—");
}

static char *
price_text (const char *digits)
{
  return digits ? sd_format_price (g_ascii_strtoll (digits, NULL, 10)) : g_strdup ("—");
}

static char *
stock_text (const char *digits)
{
  return g_strdup (digits ? digits : _("not tracked"));
}

/* A change of a field in words; NULL for a field said elsewhere. */
static char *
describe_change (const Change *c)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (strcmp (c->field, "status") == 0)
    {
      from = status_text (c->old_value);
      to = status_text (c->new_value);
      return g_strdup_printf (_("Status: %s → %s"), from, to);
    }
  if (strcmp (c->field, "price") == 0 || strcmp (c->field, "ttlPrice") == 0)
    {
      from = price_text (c->old_value);
      to = price_text (c->new_value);
      return g_strdup_printf (strcmp (c->field, "price") == 0 ? _("Price: %s → %s") : _("Total: %s → %s"),
                              from, to);
    }
  if (strcmp (c->field, "stock") == 0)
    {
      from = stock_text (c->old_value);
      to = stock_text (c->new_value);
      return g_strdup_printf (_("Stock: %s → %s"), from, to);
    }
  if (strcmp (c->field, "name") == 0)
    return g_strdup_printf (_("Renamed “%s” to “%s”"), c->old_value ? c->old_value : "",
                            c->new_value ? c->new_value : "");
  if (strcmp (c->field, "description") == 0)
    return g_strdup (_("Description changed"));
  if (strcmp (c->field, "image") == 0)
    return g_strdup (_("Picture changed"));
  if (strcmp (c->field, "brand") == 0)
    return g_strdup (_("Brand changed"));
  if (strcmp (c->field, "categoryId") == 0)
    return g_strdup (_("Category changed"));
  if (strcmp (c->field, "optionName") == 0)
    return g_strdup (_("Options changed"));
  if (strcmp (c->field, "memo") == 0)
    return g_strdup (_("Memo changed"));
  if (strcmp (c->field, "receiver") == 0)
    return g_strdup (_("Delivery address changed"));
  if (strcmp (c->field, "customerId") == 0)
    return g_strdup (_("Customer changed"));
  return NULL;   /* optionValues: with optionName, or said as "Changed" */
}

char *
sd_activity_describe (SdActivity *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (SD_IS_ACTIVITY (self), NULL);
  if (self->action == SD_ACTIVITY_CREATE)
    return g_strdup (_("Created"));
  if (self->action == SD_ACTIVITY_DELETE)
    return g_strdup (_("Deleted"));
  for (guint i = 0; i < self->changes->len; i++)
    {
      g_autofree char *part = describe_change (&g_array_index (self->changes, Change, i));

      if (part == NULL)
        continue;
      if (text->len)
        g_string_append (text, "; ");
      g_string_append (text, part);
    }
  if (text->len == 0)
    return g_strdup (_("Changed"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

const char *
sd_activity_origin_label (SdActivityOrigin origin)
{
  switch (origin)
    {
    case SD_ACTIVITY_ORIGIN_BULK: return _("Bulk change");
    case SD_ACTIVITY_ORIGIN_UNDO: return _("Undo");
    case SD_ACTIVITY_ORIGIN_REPLAY: return _("Sent later from offline");
    case SD_ACTIVITY_ORIGIN_NONE: default: return NULL;
    }
}

char *
sd_activity_dup_sentence (SdActivity *self)
{
  g_autofree char *what = sd_activity_describe (self);
  g_autoptr(GDateTime) local = self->at ? g_date_time_to_local (self->at) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("—");
  const char *who = *self->actor ? self->actor : _("Someone");
  const char *origin = sd_activity_origin_label (self->origin);
  char *sentence;

  switch (self->entity)
    {
    case SD_ACTIVITY_ORDER:
      sentence = g_strdup_printf (_("%s changed order %s at %s: %s"), who, sd_activity_get_label (self), when, what);
      break;
    case SD_ACTIVITY_PRODUCT:
      sentence = g_strdup_printf (_("%s changed product “%s” at %s: %s"), who, sd_activity_get_label (self), when,
                                  what);
      break;
    case SD_ACTIVITY_CATEGORY:
    case SD_ACTIVITY_ANY:
    default:
      sentence = g_strdup_printf (_("%s changed category “%s” at %s: %s"), who, sd_activity_get_label (self), when,
                                  what);
      break;
    }
  if (origin != NULL)
    {
      char *with = g_strdup_printf ("%s (%s)", sentence, origin);

      g_free (sentence);
      sentence = with;
    }
  return sentence;
}
