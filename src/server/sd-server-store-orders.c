/* sd-server-store-orders.c — the store's orders: orders, their lines and
 * the records of Idempotency-Keys. */
#define G_LOG_DOMAIN "storedesk-server"

#include "sd-server-store-private.h"

#define prepare sd_server_db_statement

#define CANCELLED "주문 취소"   /* SD_ORDER_STATUS_CANCELLED on the wire */

#define ORDER_COLUMNS "id, customer_id, status, memo, ttl_price_item, ttl_price_delivery, ttl_price," \
                      " receiver, created_at, updated_at, user_id, order_number"

/* ---- orders as JSON ------------------------------------------------- */

static JsonNode *
parse_json_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/* A row of ORDER_COLUMNS, with its lines, as on the wire. */
static JsonNode *
order_from_row (SdStmt *row, gpointer user_data)
{
  SdServerDb *db = user_data;
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(SdStmt) lines = prepare (db,
    "SELECT product_id, name, count, price, image, options FROM order_lines"
    " WHERE order_id = ? ORDER BY position", NULL);
  const char *id = sd_stmt_text_or_null (row, 0);
  JsonNode *receiver;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "customerId");
  json_builder_add_string_value (b, sd_stmt_text_or_null (row, 1));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, sd_stmt_text_or_null (row, 2));
  if (!sd_stmt_is_null (row, 11))
    {
      /* [ext] "orderNumber" */
      json_builder_set_member_name (b, "orderNumber");
      json_builder_add_string_value (b, sd_stmt_text_or_null (row, 11));
    }
  json_builder_set_member_name (b, "memo");
  json_builder_add_string_value (b, sd_stmt_text_or_null (row, 3));

  json_builder_set_member_name (b, "product");
  json_builder_begin_array (b);
  if (lines)
    {
      sd_stmt_bind_text_copy (lines, 1, id);
      while (sd_stmt_step (lines) == SD_STMT_ROW)
        {
          JsonNode *options = parse_json_text (sd_stmt_text_or_null (lines, 5));

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, sd_stmt_text_or_null (lines, 0));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, sd_stmt_text_or_null (lines, 1));
          json_builder_set_member_name (b, "count");
          json_builder_add_int_value (b, sd_stmt_int64 (lines, 2));
          json_builder_set_member_name (b, "price");
          json_builder_add_int_value (b, sd_stmt_int64 (lines, 3));
          json_builder_set_member_name (b, "image");
          json_builder_add_string_value (b, sd_stmt_text_or_null (lines, 4));
          json_builder_set_member_name (b, "options");
          if (options)
            json_builder_add_value (b, options);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "payment");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ttlPriceItem");
  json_builder_add_int_value (b, sd_stmt_int64 (row, 4));
  json_builder_set_member_name (b, "ttlPriceDelivery");
  json_builder_add_int_value (b, sd_stmt_int64 (row, 5));
  json_builder_set_member_name (b, "ttlPrice");
  json_builder_add_int_value (b, sd_stmt_int64 (row, 6));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "receiver");
  receiver = parse_json_text (sd_stmt_text_or_null (row, 7));
  if (receiver)
    json_builder_add_value (b, receiver);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "createdAt");
  json_builder_add_string_value (b, sd_stmt_text_or_null (row, 8));
  json_builder_set_member_name (b, "updatedAt");
  json_builder_add_string_value (b, sd_stmt_text_or_null (row, 9));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sd_server_store_get_order (SdServerStore *store, const char *id, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);

  return sd_server_db_row_by_id (db, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?", id,
                                 order_from_row, db, "order", error);
}

/* ---- lines ------------------------------------------------------------ */

void
sd_server_order_line_clear (gpointer p)
{
  SdServerOrderLine *l = p;

  g_clear_pointer (&l->product_id, g_free);
  g_clear_pointer (&l->name, g_free);
  g_clear_pointer (&l->image, g_free);
  g_clear_pointer (&l->options, g_free);
}

gboolean
sd_server_store_price_line (SdServerStore *store, SdServerOrderLine *line, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "SELECT name, price, image, stock FROM products WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text_copy (stmt, 1, line->product_id);
  if (!sd_server_db_step_row (db, stmt, "product", error))
    return FALSE;
  g_free (line->name);
  line->name = g_strdup (sd_stmt_text_or_null (stmt, 0));
  line->price = sd_stmt_int64 (stmt, 1);
  g_free (line->image);
  line->image = g_strdup (sd_stmt_text_or_null (stmt, 2));
  line->stock = sd_stmt_is_null (stmt, 3) ? -1 : sd_stmt_int64 (stmt, 3);
  return TRUE;
}

/* Writes the lines of order id, in order. */
static gboolean
insert_lines (SdServerDb *db, const char *id, GArray *lines, GError **error)
{
  for (guint i = 0; i < lines->len; i++)
    {
      SdServerOrderLine *l = &g_array_index (lines, SdServerOrderLine, i);
      g_autoptr(SdStmt) add = prepare (db,
        "INSERT INTO order_lines (order_id, position, product_id, name, count, price, image, options)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

      if (add == NULL)
        return FALSE;
      sd_stmt_bind_text (add, 1, id);
      sd_stmt_bind_int64 (add, 2, (int) i);
      sd_stmt_bind_text (add, 3, l->product_id);
      sd_stmt_bind_text (add, 4, l->name);
      sd_stmt_bind_int64 (add, 5, l->count);
      sd_stmt_bind_int64 (add, 6, l->price);
      sd_stmt_bind_text (add, 7, l->image);
      sd_stmt_bind_text (add, 8, l->options);
      if (!sd_server_db_step_done (db, add, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- who may touch an order ------------------------------------------- */

void
sd_server_order_owner_clear (SdServerOrderOwner *owner)
{
  g_clear_pointer (&owner->user_id, g_free);
  g_clear_pointer (&owner->access_key_hash, g_free);
  g_clear_pointer (&owner->status, g_free);
}

gboolean
sd_server_store_get_order_owner (SdServerStore *store, const char *id, SdServerOrderOwner *out, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db, "SELECT user_id, access_key_hash, status, random_id FROM orders WHERE id = ?",
                                     error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, id);
  if (!sd_server_db_step_row (db, stmt, "order", error))
    return FALSE;
  out->user_id = g_strdup (sd_stmt_text_or_null (stmt, 0));
  out->access_key_hash = g_strdup (sd_stmt_text_or_null (stmt, 1));
  out->status = g_strdup (sd_stmt_text_or_null (stmt, 2));
  out->random_id = sd_stmt_int64 (stmt, 3) != 0;
  return TRUE;
}

/* ---- lists ------------------------------------------------------------ */

/* The orders sql finds for key, as on the wire. */
static JsonNode *
orders_by_key (SdServerStore *store, const char *sql, const char *key, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);

  return sd_server_db_rows_by_key (db, sql, key, order_from_row, db, "orders", error);
}

JsonNode *
sd_server_store_list_user_orders (SdServerStore *store, const char *user_id, gboolean include_cancelled,
                                  GError **error)
{
  if (include_cancelled)
    return orders_by_key (store, "SELECT " ORDER_COLUMNS " FROM orders WHERE user_id = ? ORDER BY seq", user_id, error);
  return orders_by_key (store, "SELECT " ORDER_COLUMNS " FROM orders WHERE user_id = ? AND status <> '" CANCELLED "'"
                        " ORDER BY seq", user_id, error);
}

/* Without a status asked for, cancelled orders only when ?5. */
#define ORDER_FILTER \
  " WHERE (?1 IS NULL OR status = ?1) AND (?1 IS NOT NULL OR ?5 <> 0 OR status <> '" CANCELLED "')" \
  "   AND (?2 IS NULL OR id LIKE ?2 ESCAPE '\\' OR customer_id LIKE ?2 ESCAPE '\\'" \
  "        OR receiver LIKE ?2 ESCAPE '\\' OR memo LIKE ?2 ESCAPE '\\'" \
  "        OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = orders.id AND l.name LIKE ?2 ESCAPE '\\'))"

JsonNode *
sd_server_store_list_orders (SdServerStore *store, const SdServerOrderQuery *query, gint64 *out_total,
                             GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) count = NULL;
  g_autoptr(SdStmt) list = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pattern = query->q && *query->q ? sd_server_like_pattern (query->q) : NULL;
  const char *order = "seq DESC";

  switch (query->sort)
    {
    case SD_SERVER_ORDER_SORT_NEWEST:
      order = "seq DESC";
      break;
    case SD_SERVER_ORDER_SORT_OLDEST:
      order = "seq";
      break;
    case SD_SERVER_ORDER_SORT_PRICE:
      order = "ttl_price, seq";
      break;
    case SD_SERVER_ORDER_SORT_PRICE_DESC:
      order = "ttl_price DESC, seq";
      break;
    }

  count = prepare (db, "SELECT count (*) FROM orders" ORDER_FILTER, error);
  if (count == NULL)
    return NULL;
  sd_stmt_bind_text (count, 1, query->status);
  sd_stmt_bind_text (count, 2, pattern);
  sd_stmt_bind_int64 (count, 5, query->include_cancelled);
  if (sd_stmt_step (count) != SD_STMT_ROW)
    {
      sd_server_db_set_error (db, error, "orders");
      return NULL;
    }
  *out_total = sd_stmt_int64 (count, 0);

  sql = g_strdup_printf ("SELECT " ORDER_COLUMNS " FROM orders" ORDER_FILTER " ORDER BY %s LIMIT ?3 OFFSET ?4", order);
  list = prepare (db, sql, error);
  if (list == NULL)
    return NULL;
  sd_stmt_bind_text (list, 1, query->status);
  sd_stmt_bind_text (list, 2, pattern);
  sd_stmt_bind_int64 (list, 3, query->limit);
  sd_stmt_bind_int64 (list, 4, query->offset);
  sd_stmt_bind_int64 (list, 5, query->include_cancelled);
  return sd_server_db_collect_rows (db, list, order_from_row, db, "orders", error);
}

/* ---- Idempotency-Key records -------------------------------------------- */

void
sd_server_idempotency_record_clear (SdServerIdempotencyRecord *record)
{
  g_clear_pointer (&record->order_id, g_free);
  g_clear_pointer (&record->caller, g_free);
  g_clear_pointer (&record->body_hash, g_free);
  g_clear_pointer (&record->access_key_box, g_bytes_unref);
}

gboolean
sd_server_store_find_idempotency_record (SdServerStore *store, const char *key, guint ttl,
                                         SdServerIdempotencyRecord *out, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) stmt = prepare (db,
    "SELECT order_id, caller, body_hash, access_key_box FROM idempotency_records"
    " WHERE key = ? AND created_at > unixepoch () - ?", error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, key);
  sd_stmt_bind_int64 (stmt, 2, (int) ttl);
  if (!sd_server_db_step_row (db, stmt, "record", error))
    return FALSE;
  out->order_id = g_strdup (sd_stmt_text_or_null (stmt, 0));
  out->caller = g_strdup (sd_stmt_text_or_null (stmt, 1));
  out->body_hash = g_strdup (sd_stmt_text_or_null (stmt, 2));
  out->access_key_box = sd_stmt_dup_bytes (stmt, 3);
  return TRUE;
}

/* ---- creating ----------------------------------------------------------- */

static int
compare_lines_by_product (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GArray *lines = user_data;

  return g_strcmp0 (g_array_index (lines, SdServerOrderLine, *(const guint *) a).product_id,
                    g_array_index (lines, SdServerOrderLine, *(const guint *) b).product_id);
}

/* Takes count of every line's tracked stock; CONFLICT naming the line
 * that wants more than is left. Each take is one conditional UPDATE, so
 * concurrent checkouts (PostgreSQL, without the write lock) never take
 * more than there is; products are taken in the order of their ids, so
 * two checkouts of the same products never wait on each other in a
 * circle. */
static gboolean
take_stock (SdServerDb *db, GArray *lines, guint *out_short_line, GError **error)
{
  g_autofree guint *order = g_new (guint, lines->len + 1);
  g_autofree char *now = sd_server_store_now_iso ();

  for (guint i = 0; i < lines->len; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) lines->len, sizeof *order, compare_lines_by_product, lines);
  for (guint k = 0; k < lines->len; k++)
    {
      guint i = order[k];
      SdServerOrderLine *l = &g_array_index (lines, SdServerOrderLine, i);
      g_autoptr(SdStmt) take = NULL;

      if (l->stock < 0)
        continue;
      /* [ext] "conditional": a sale changes the product too. */
      take = sd_server_store_prepare_bumped (db,
        "UPDATE products SET stock = stock - ?1, updated_at = %s"
        " WHERE id = ?2 AND stock IS NOT NULL AND stock >= ?1", 3, error);
      if (take == NULL)
        return FALSE;
      sd_stmt_bind_int64 (take, 1, l->count);
      sd_stmt_bind_text (take, 2, l->product_id);
      sd_stmt_bind_text (take, 3, now);
      if (!sd_server_db_step_done (db, take, error))
        return FALSE;
      if (sd_server_db_changes (db) == 0)
        {
          *out_short_line = i;
          g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT,
                       "not enough stock of %s", l->product_id);
          return FALSE;
        }
    }
  return TRUE;
}

/* The key's record; a record, and the access key sealed in it, lives its
 * ttl: older ones go first. */
static gboolean
remember_key (SdServerDb *db, const SdServerNewOrder *o, GError **error)
{
  g_autoptr(SdStmt) expire = prepare (db, "DELETE FROM idempotency_records WHERE created_at <= unixepoch () - ?",
                                      error);
  g_autoptr(SdStmt) remember = NULL;

  if (expire == NULL)
    return FALSE;
  sd_stmt_bind_int64 (expire, 1, (int) o->idempotency_ttl);
  if (!sd_server_db_step_done (db, expire, error))
    return FALSE;
  remember = prepare (db,
    "INSERT INTO idempotency_records (key, caller, body_hash, order_id, access_key_box, created_at)"
    " VALUES (?, ?, ?, ?, ?, unixepoch ())", error);
  if (remember == NULL)
    return FALSE;
  sd_stmt_bind_text (remember, 1, o->idempotency_key);
  sd_stmt_bind_text (remember, 2, o->caller);
  sd_stmt_bind_text (remember, 3, o->body_hash);
  sd_stmt_bind_text (remember, 4, o->id);
  sd_stmt_bind_blob (remember, 5, o->access_key_box ? g_bytes_get_data (o->access_key_box, NULL) : NULL,
                     o->access_key_box ? g_bytes_get_size (o->access_key_box) : 0);
  return sd_server_db_step_done (db, remember, error);
}

static gboolean
insert_order (SdServerDb *db, const SdServerNewOrder *o, char **out_created_at, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
#define INSERT_ORDER(SEQ) \
  "INSERT INTO orders (id, seq, customer_id, user_id, access_key_hash, status, memo," \
  " ttl_price_item, ttl_price_delivery, ttl_price, receiver, created_at, updated_at, random_id)" \
  " VALUES (?1, " SEQ ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, 1)"
  g_autoptr(SdStmt) insert = prepare (db, sd_server_db_engine (db) == SD_SERVER_ENGINE_POSTGRESQL
                                          ? INSERT_ORDER (SD_SERVER_PG_NEXT_SEQ ("orders"))
                                          : INSERT_ORDER (SD_SERVER_SQLITE_NEXT_SEQ ("orders")), error);

  if (insert == NULL)
    return FALSE;
  sd_stmt_bind_text (insert, 1, o->id);
  sd_stmt_bind_text (insert, 2, o->customer_id);
  sd_stmt_bind_text (insert, 3, o->user_id);
  sd_stmt_bind_text (insert, 4, o->access_key_hash);
  sd_stmt_bind_text (insert, 5, o->status);
  sd_stmt_bind_text (insert, 6, o->memo ? o->memo : "");
  sd_stmt_bind_int64 (insert, 7, o->ttl_price_item);
  sd_stmt_bind_int64 (insert, 8, o->ttl_price_delivery);
  sd_stmt_bind_int64 (insert, 9, o->ttl_price_item + o->ttl_price_delivery);
  sd_stmt_bind_text (insert, 10, o->receiver);
  sd_stmt_bind_text (insert, 11, now);
  *out_created_at = g_steal_pointer (&now);
  return sd_server_db_step_done (db, insert, error);
}

/* Inside a transaction: TRUE, with the transaction rolled back and
 * *error set (EXISTS, with the record in *out_record, or what failed),
 * when the order must not be made; FALSE when the key is free. */
static gboolean
key_taken (SdServerStore *store, const SdServerNewOrder *o, SdServerIdempotencyRecord *out_record,
           GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  GError *local = NULL;

  if (sd_server_store_find_idempotency_record (store, o->idempotency_key, o->idempotency_ttl,
                                               out_record, &local))
    g_set_error (&local, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_EXISTS,
                 "the Idempotency-Key has a record already");
  else if (g_error_matches (local, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&local);
      return FALSE;
    }
  sd_server_db_rollback (db);
  g_propagate_error (error, local);
  return TRUE;
}

gboolean
sd_server_store_create_order (SdServerStore *store, const SdServerNewOrder *o,
                              SdServerIdempotencyRecord *out_record, guint *out_short_line, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  GError *local = NULL;
  g_autofree char *created_at = NULL;

  /* Every statement below is safe against concurrent checkouts by
   * itself (see take_stock; seq from a sequence; the number from its
   * day's row; the key by its primary key), so on PostgreSQL they run
   * side by side; SQLite has its one writer anyway. */
  if (!sd_server_db_begin_concurrent (db, error))
    return FALSE;
  /* Again inside the transaction: a worker may have just stored the
   * same key. */
  if (o->idempotency_key != NULL && key_taken (store, o, out_record, error))
    return FALSE;
  /* [ext] stock, taken in the same transaction. */
  if (!take_stock (db, o->lines, out_short_line, error) ||
      !insert_order (db, o, &created_at, error) ||
      !insert_lines (db, o->id, o->lines, error))
    goto fail;
  if (o->idempotency_key != NULL && !remember_key (db, o, &local))
    {
      /* A checkout with the same key committed while this one ran (the
       * key's unique index waited for it): this one is undone, and the
       * caller gets that one's record. */
      sd_server_db_rollback (db);
      if (g_error_matches (local, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT))
        {
          g_clear_error (&local);
          if (!sd_server_db_begin_concurrent (db, error))
            return FALSE;
          if (key_taken (store, o, out_record, error))
            return FALSE;
          sd_server_db_rollback (db);
          g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_BUSY,
                       "the Idempotency-Key was taken and let go while this checkout ran");
          return FALSE;
        }
      g_propagate_error (error, local);
      return FALSE;
    }
  /* [ext] its number, last: the day's row stays locked only until the
   * commit that follows. */
  if (!sd_server_store_number_order (db, sd_server_store_get_time_zone (store), o->id, created_at, error) ||
      !sd_server_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  sd_server_db_rollback (db);
  return FALSE;
}

/* ---- changing ----------------------------------------------------------- */

static gboolean
apply_changes (SdServerDb *db, const char *id, const SdServerOrderChanges *c, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
  const char *sql =
    "UPDATE orders SET memo = coalesce (?1, memo), receiver = CASE WHEN ?2 <> 0 THEN ?3 ELSE receiver END,"
    " status = coalesce (?4, status), customer_id = coalesce (?5, customer_id),"
    " ttl_price_item = CASE WHEN ?6 >= 0 THEN ?6 ELSE ttl_price_item END,"
    " ttl_price_delivery = CASE WHEN ?7 >= 0 THEN ?7 ELSE ttl_price_delivery END,"
    " ttl_price = CASE WHEN ?8 >= 0 THEN ?8 ELSE ttl_price END,"
    " updated_at = %s WHERE id = ?10 AND (?11 IS NULL OR updated_at = ?11)";
  g_autoptr(SdStmt) stmt = sd_server_store_prepare_bumped (db, sql, 9, error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, c->memo);
  sd_stmt_bind_int64 (stmt, 2, c->set_receiver);
  sd_stmt_bind_text (stmt, 3, c->receiver);
  sd_stmt_bind_text (stmt, 4, c->status);
  sd_stmt_bind_text (stmt, 5, c->customer_id);
  sd_stmt_bind_int64 (stmt, 6, c->ttl_price_item);
  sd_stmt_bind_int64 (stmt, 7, c->ttl_price_delivery);
  sd_stmt_bind_int64 (stmt, 8, c->ttl_price);
  sd_stmt_bind_text (stmt, 9, now);
  sd_stmt_bind_text (stmt, 10, id);
  sd_stmt_bind_text (stmt, 11, c->base);
  if (!sd_server_db_step_done (db, stmt, error))
    return FALSE;
  if (sd_server_db_changes (db) == 0)
    {
      if (!sd_server_store_why_unchanged (db, "orders", id, c->base, error))
        g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_NOT_FOUND, "no such order");
      return FALSE;
    }

  if (c->lines != NULL)
    {
      g_autoptr(SdStmt) clear = prepare (db, "DELETE FROM order_lines WHERE order_id = ?", error);

      if (clear == NULL)
        return FALSE;
      sd_stmt_bind_text (clear, 1, id);
      if (!sd_server_db_step_done (db, clear, error) || !insert_lines (db, id, c->lines, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sd_server_store_update_order (SdServerStore *store, const char *id, const SdServerOrderChanges *changes,
                              GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);

  SdServerActivityNote *note = NULL;

  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (!sd_server_activity_note (store, "order", id, &note, error) ||
      !apply_changes (db, id, changes, error) ||
      !sd_server_activity_record (store, g_steal_pointer (&note), id, error) ||
      !sd_server_db_commit (db, error))
    {
      g_clear_pointer (&note, sd_server_activity_forget);
      sd_server_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

#define RESTOCK \
  "UPDATE products SET updated_at = %s, stock = stock + (SELECT sum (count) FROM order_lines l" \
  "  WHERE l.order_id = ?1 AND l.product_id = products.id)" \
  " WHERE stock IS NOT NULL AND id IN (SELECT product_id FROM order_lines WHERE order_id = ?1)"

/* Gives the counts of order id's lines back to tracked stock; for a
 * deleted order, only when it is not cancelled (its stock went back
 * then). Under the write lock, so a cancel and a delete of one order
 * never both give it back. */
static gboolean
restock (SdServerDb *db, const char *id, gboolean deleting, GError **error)
{
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) stmt =
    sd_server_store_prepare_bumped (db, deleting ? RESTOCK " AND EXISTS (SELECT 1 FROM orders"
                                                   " WHERE id = ?1 AND status <> '" CANCELLED "')"
                                                 : RESTOCK, 2, error);

  if (stmt == NULL)
    return FALSE;
  sd_stmt_bind_text (stmt, 1, id);
  sd_stmt_bind_text (stmt, 2, now);
  return sd_server_db_step_done (db, stmt, error);
}

gboolean
sd_server_store_delete_order (SdServerStore *store, const char *id, gboolean give_back, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autoptr(SdStmt) del = NULL;
  SdServerActivityNote *note = NULL;
  gboolean ok;

  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (!sd_server_activity_note (store, "order", id, &note, error) ||
      (give_back && !restock (db, id, TRUE, error)))
    goto fail;
  del = prepare (db, "DELETE FROM orders WHERE id = ?", error);
  if (del == NULL)
    goto fail;
  sd_stmt_bind_text (del, 1, id);
  ok = sd_server_db_step_changed (db, del, "order", error) &&
       sd_server_activity_record (store, g_steal_pointer (&note), id, error);
  g_clear_pointer (&note, sd_server_activity_forget);
  return sd_server_db_end (db, ok, error);

fail:
  g_clear_pointer (&note, sd_server_activity_forget);
  sd_server_db_rollback (db);
  return FALSE;
}

gboolean
sd_server_store_cancel_order (SdServerStore *store, const char *id, const char *base, GError **error)
{
  SdServerDb *db = sd_server_store_get_db (store);
  g_autofree char *now = sd_server_store_now_iso ();
  g_autoptr(SdStmt) cancel = NULL;
  SdServerActivityNote *note = NULL;
  gboolean ok;

  if (!sd_server_db_begin (db, error))
    return FALSE;
  if (!sd_server_activity_note (store, "order", id, &note, error))
    goto fail;
  /* The status is checked again here, under the write lock: of two
   * cancels at once, one cancels and gives the stock back, the other
   * finds it cancelled. */
  cancel = sd_server_store_prepare_bumped (db,
    "UPDATE orders SET status = '" CANCELLED "', updated_at = %s"
    " WHERE id = ?1 AND status IN ('입금 대기', '결제 완료') AND (?3 IS NULL OR updated_at = ?3)", 2, error);
  if (cancel == NULL)
    goto fail;
  sd_stmt_bind_text (cancel, 1, id);
  sd_stmt_bind_text (cancel, 2, now);
  sd_stmt_bind_text (cancel, 3, base);
  if (!sd_server_db_step_done (db, cancel, error))
    goto fail;
  if (sd_server_db_changes (db) == 0)
    {
      g_autoptr(GError) why = NULL;

      /* [ext] "conditional": changed since the base, whatever else. */
      if (base != NULL && sd_server_store_why_unchanged (db, "orders", id, base, &why) &&
          g_error_matches (why, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CHANGED))
        {
          g_propagate_error (error, g_steal_pointer (&why));
          goto fail;
        }
      g_set_error (error, SD_SERVER_STORE_ERROR, SD_SERVER_STORE_ERROR_CONFLICT,
                   "the order is gone or can no longer be cancelled");
      goto fail;
    }
  /* Its Idempotency-Key records go, as they went with a deleted order:
   * the same key then makes a new order. */
  ok = sd_server_db_run_text (db, "DELETE FROM idempotency_records WHERE order_id = ?", id, error) &&
       restock (db, id, FALSE, error) &&
       sd_server_activity_record (store, g_steal_pointer (&note), id, error);
  g_clear_pointer (&note, sd_server_activity_forget);
  return sd_server_db_end (db, ok, error);

fail:
  g_clear_pointer (&note, sd_server_activity_forget);
  sd_server_db_rollback (db);
  return FALSE;
}

/* ---- orders by customerId (the original's "my orders") ---------------- */

JsonNode *
sd_server_store_list_customer_orders (SdServerStore *store, const char *customer_id, GError **error)
{
  return orders_by_key (store, "SELECT " ORDER_COLUMNS " FROM orders WHERE customer_id = ? ORDER BY seq",
                        customer_id, error);
}
