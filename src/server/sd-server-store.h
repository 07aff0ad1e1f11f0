/* sd-server-store.h — the one interface storedesk-server's routes use for
 * their data: the store.
 *
 * Grouped by area, one file each: catalog (sd-server-store-catalog.c),
 * orders (sd-server-store-orders.c), users (sd-server-store-users.c),
 * meta (sd-server-store-meta.c).
 * Today's engine is SQLite (sd-server-db.c, underneath); the functions
 * take and return plain C and GLib values, and JSON (a JsonNode, or a
 * GString of JSON text on the hot path) shaped as on the wire, so that
 * another engine can implement the same ones. What must be atomic is one
 * function here, never a transaction spread over a route. */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sd-contract.h"

G_BEGIN_DECLS

/* ---- errors ---------------------------------------------------------- */

#define SD_SERVER_STORE_ERROR (sd_server_store_error_quark ())
GQuark sd_server_store_error_quark (void);

/* What a route maps to a status; anything else is a 500. */
typedef enum {
  SD_SERVER_STORE_ERROR_FAILED,      /* the engine failed */
  SD_SERVER_STORE_ERROR_NOT_FOUND,   /* no such row */
  SD_SERVER_STORE_ERROR_CONFLICT,    /* a rule of the data: a unique name, a reference, stock */
  SD_SERVER_STORE_ERROR_EXISTS,      /* what was to be made is there already, under its key */
  SD_SERVER_STORE_ERROR_BUSY,        /* another writer held the lock past the timeout */
  SD_SERVER_STORE_ERROR_TOO_NEW,     /* the data is of a newer schema than this server's */
  SD_SERVER_STORE_ERROR_TOO_OLD,     /* PostgreSQL: an older schema, until `storedesk-server migrate` */
  SD_SERVER_STORE_ERROR_CHANGED,     /* [ext] "conditional": the row's updatedAt is no longer the base given */
} SdServerStoreError;

/* ---- the store ------------------------------------------------------- */

#define SD_TYPE_SERVER_STORE (sd_server_store_get_type ())
G_DECLARE_FINAL_TYPE (SdServerStore, sd_server_store, SD, SERVER_STORE, GObject)

/* One connection, for one thread at a time (one per worker); opening
 * brings the schema up to date (SQLite), or creates a fresh one and
 * refuses an older one (PostgreSQL). database: see sd_server_db_open. */
SdServerStore *sd_server_store_open (const char *database, GError **error);
/* A number that changes whenever the data may have changed, by this
 * connection or another: what cached replies are valid for. */
gint64         sd_server_store_change_stamp (SdServerStore  *self);
/* `storedesk-server export` and `import` (sd-server-store-transfer.c):
 * every row of every table as JSON lines, and back in one transaction
 * into an empty store. The extras add and take lines of their own (the
 * pictures), each counted as a row. */
typedef gboolean (*SdServerExportExtra) (GOutputStream *out, guint64 *rows, gpointer user_data, GError **error);
typedef gboolean (*SdServerImportExtra) (JsonObject *line, gpointer user_data, GError **error);
gboolean       sd_server_store_export       (SdServerStore       *self,
                                             GOutputStream       *out,
                                             SdServerExportExtra  extra,
                                             gpointer             user_data,
                                             GError             **error);
/* CONFLICT when the store is not empty; FAILED naming the line that is
 * wrong, or when the stream is cut short. Nothing is kept then. */
gboolean       sd_server_store_import       (SdServerStore       *self,
                                             GInputStream        *in,
                                             SdServerImportExtra  extra,
                                             gpointer             user_data,
                                             guint64             *out_rows,
                                             GError             **error);
/* `storedesk-server migrate`: a PostgreSQL database's schema brought up
 * to date, the steps taken in *out_steps (SQLite: opened, which migrates). */
gboolean       sd_server_store_migrate      (const char     *database,
                                             guint          *out_steps,
                                             GError        **error);

typedef gboolean (*SdServerStoreFunc) (SdServerStore  *store,
                                       gpointer        user_data,
                                       GError        **error);
/* Runs func as one transaction: all of its writes, or (when it fails)
 * none. For bulk work outside the routes: seeding, benchmarks. */
gboolean sd_server_store_atomically (SdServerStore *self, SdServerStoreFunc func, gpointer user_data,
    GError **error);

/* 24 hex digits like a MongoDB ObjectId: 96 bits from the CSPRNG. */
char          *sd_server_store_new_id       (void);
/* Now, as the wire's timestamps: 2024-05-01T12:00:00.000Z. */
char          *sd_server_store_now_iso      (void);

/* ---- catalog: categories, products, options ---------------------------- */

/* Categories, oldest first; only the one called name when given. */
JsonNode *sd_server_store_list_categories (SdServerStore *self, const char *name, GError **error);
/* NULL without an error: no such category. */
JsonNode *sd_server_store_get_category (SdServerStore *self, const char *id, GError **error);
/* The new category's id; CONFLICT when the name is taken. */
char *sd_server_store_create_category (SdServerStore *self, const char *name, GError **error);
/* NOT_FOUND; CONFLICT when the name is taken; CHANGED when base (an
 * updatedAt; NULL: none) is no longer the category's. */
gboolean sd_server_store_rename_category (SdServerStore *self, const char *id, const char *name, const char *base,
    GError **error);
/* NOT_FOUND; CONFLICT while products are in it, their number then in
 * *out_products (0 when the engine's own reference check refused). */
gboolean sd_server_store_delete_category (SdServerStore *self, const char *id, gint64 *out_products,
    GError **error);

typedef struct {
  const char *category_id;  /* nullable */
  const char *q;            /* nullable: name/brand contains */
  SdSortOrder sort;         /* SD_SORT_ORDER_SHOP: the store's order */
  guint       offset;
  guint       limit;
} SdServerProductQuery;

/* The page as a JSON array text (the hot path skips json-glib), and the
 * number of products the query matches in all. */
GString *sd_server_store_list_products (SdServerStore *self, const SdServerProductQuery *query, gint64 *out_total,
    GError **error);
/* NULL without an error: no such product. */
JsonNode *sd_server_store_get_product (SdServerStore *self, const char *id, GError **error);

typedef struct {
  const char  *category_id;
  const char  *name;
  const char  *brand;           /* NULL: "" */
  gint64       price;
  const char  *image;           /* NULL: "" */
  const char  *description;     /* NULL: "" */
  const char  *option_name;     /* NULL: no options */
  const char * const *option_values;
  const char  *option_id;       /* update: the option's id to keep; NULL: a new one */
  gboolean     keep_options;    /* update: the options as they are (option_* ignored) */
  gint64       stock;           /* < 0: not tracked */
  /* update, [ext] "conditional": */
  const char  *base;            /* the updatedAt the change was based on; NULL: none */
  gboolean     add_stock;       /* stock + stock_delta, in the same statement, instead of stock */
  gint64       stock_delta;
} SdServerProductInput;

/* The new product's id. */
char *sd_server_store_create_product (SdServerStore *self, const SdServerProductInput *input, GError **error);
/* Every field from input, and a new updatedAt, in one statement;
 * NOT_FOUND; CHANGED when input->base is not the product's updatedAt;
 * CONFLICT when add_stock would take stock below 0 or it is not tracked.
 * Nothing is changed on an error. */
gboolean sd_server_store_update_product (SdServerStore *self, const char *id, const SdServerProductInput *input,
    GError **error);
/* NOT_FOUND. Orders keep their own copy of name, price and image. */
gboolean sd_server_store_delete_product (SdServerStore *self, const char *id, GError **error);

/* An option set by its own id, {_id, name, value, createdAt, updatedAt};
 * NULL without an error: no product has it. */
JsonNode *sd_server_store_get_option (SdServerStore *self, const char *option_id, GError **error);

/* ---- orders: orders, their lines, Idempotency-Key records -------------- */

/* A line of an order, as ordered. */
typedef struct {
  char   *product_id;
  char   *name;
  gint64  count;
  gint64  price;      /* the shop's, per item */
  char   *image;
  char   *options;    /* JSON text as the client sent it, or NULL */
  gint64  stock;      /* the product's when priced; -1: not tracked (none is taken) */
} SdServerOrderLine;

/* For g_array_set_clear_func (). */
void        sd_server_order_line_clear       (gpointer        line);
/* Fills name, price, image and stock of line from its product_id;
 * NOT_FOUND when the product is no longer sold. */
gboolean sd_server_store_price_line (SdServerStore *self, SdServerOrderLine *line, GError **error);

/* The order as on the wire; NULL without an error: no such order. */
JsonNode *sd_server_store_get_order (SdServerStore *self, const char *id, GError **error);

/* [ext] "orderNumber": is s shaped like one (YYYYMMDD-NNNN)? */
gboolean  sd_server_is_order_number          (const char *s);
/* The id of the order numbered number; NOT_FOUND when none is. */
char     *sd_server_store_find_order_number  (SdServerStore *self, const char *number, GError **error);

/* Who may touch an order. */
typedef struct {
  char *user_id;           /* the member's; NULL for a guest's or staff's order */
  char *access_key_hash;   /* a guest's key, as an HMAC; NULL: none */
  char *status;            /* wire value */
  gboolean random_id;      /* its id is 96 random bits (made by sd_server_store_new_id since schema 5) */
} SdServerOrderOwner;

void        sd_server_order_owner_clear      (SdServerOrderOwner *owner);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdServerOrderOwner, sd_server_order_owner_clear)
/* NOT_FOUND. */
gboolean sd_server_store_get_order_owner (SdServerStore *self, const char *id, SdServerOrderOwner *out_owner,
    GError **error);

/* A member's orders, oldest first; cancelled ones only with
 * include_cancelled. */
JsonNode *sd_server_store_list_user_orders (SdServerStore *self, const char *user_id, gboolean include_cancelled,
    GError **error);

/* The orders whose customerId is customer_id, oldest first (not the
 * member's own: see sd_server_store_list_user_orders). */
JsonNode *sd_server_store_list_customer_orders (SdServerStore *self, const char *customer_id, GError **error);

typedef enum {
  SD_SERVER_ORDER_SORT_NEWEST,
  SD_SERVER_ORDER_SORT_OLDEST,
  SD_SERVER_ORDER_SORT_PRICE,        /* total, lowest first */
  SD_SERVER_ORDER_SORT_PRICE_DESC,
} SdServerOrderSort;

typedef struct {
  const char        *status;   /* nullable: only orders in this status */
  const char        *q;        /* nullable: id, customer, receiver, memo or a line's name contains */
  SdServerOrderSort  sort;
  guint              offset;
  guint              limit;
  gboolean           include_cancelled;   /* without a status: cancelled ones too */
} SdServerOrderQuery;

/* Every order the query matches (a page of them), and how many in all. */
JsonNode *sd_server_store_list_orders (SdServerStore *self, const SdServerOrderQuery *query, gint64 *out_total,
    GError **error);

/* [ext] "summary": the orders created in [from, to) (ISO 8601 UTC, as
 * created_at is kept), each handed to order_func, then each of their
 * lines to line_func, with its order's status. */
typedef void (*SdServerSummaryOrderFunc) (const char *created_at, const char *status, gint64 items_total,
                                          gpointer user_data);
typedef void (*SdServerSummaryLineFunc) (const char *status, const char *product_id, const char *name,
                                         gint64 count, gint64 price, gpointer user_data);
gboolean sd_server_store_summarize (SdServerStore *self, const char *from, const char *to,
                                    SdServerSummaryOrderFunc order_func, SdServerSummaryLineFunc line_func,
                                    gpointer user_data, GError **error);

/* What an Idempotency-Key stands for. */
typedef struct {
  char   *order_id;
  char   *caller;          /* "user:ID", "admin:ID" or "guest" */
  char   *body_hash;       /* SHA-256 hex of the body; "" when carried over */
  GBytes *access_key_box;  /* a guest's access key, sealed; NULL: none */
} SdServerIdempotencyRecord;

void        sd_server_idempotency_record_clear (SdServerIdempotencyRecord *record);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdServerIdempotencyRecord, sd_server_idempotency_record_clear)
/* The record under key made within ttl seconds; NOT_FOUND. */
gboolean sd_server_store_find_idempotency_record (SdServerStore *self, const char *key, guint ttl,
    SdServerIdempotencyRecord *out_record, GError **error);

typedef struct {
  const char *id;                /* sd_server_store_new_id (): stored as a random id */
  const char *customer_id;
  const char *user_id;           /* nullable: the member it belongs to */
  const char *access_key_hash;   /* nullable */
  const char *status;
  const char *memo;              /* NULL: "" */
  gint64      ttl_price_item;
  gint64      ttl_price_delivery;
  const char *receiver;          /* JSON text, or NULL */
  GArray     *lines;             /* of SdServerOrderLine */
  /* With an Idempotency-Key, its record (see SdServerIdempotencyRecord),
   * kept for idempotency_ttl seconds. */
  const char *idempotency_key;   /* NULL: none */
  const char *caller;
  const char *body_hash;
  GBytes     *access_key_box;    /* nullable */
  guint       idempotency_ttl;
} SdServerNewOrder;

/* In one transaction: the tracked stock of every line taken, the order
 * and its lines stored, and the key's record (records older than the ttl
 * expired). EXISTS when a live record holds the key already: it is in
 * *out_record, and nothing is written. CONFLICT when line *out_short_line
 * wants more than the stock left. */
gboolean sd_server_store_create_order (SdServerStore *self, const SdServerNewOrder *order,
    SdServerIdempotencyRecord *out_record, guint *out_short_line, GError **error);

/* What a change of an order sets; NULL or < 0: as it is. */
typedef struct {
  const char *memo;
  gboolean    set_receiver;      /* receiver replaces it, NULL too */
  const char *receiver;          /* JSON text */
  const char *status;
  const char *customer_id;
  gint64      ttl_price_item;
  gint64      ttl_price_delivery;
  gint64      ttl_price;
  GArray     *lines;             /* of SdServerOrderLine: the new lines */
  const char *base;              /* [ext] the updatedAt the change was based on; NULL: none */
} SdServerOrderChanges;

/* In one transaction; NOT_FOUND; CHANGED when changes->base is not the
 * order's updatedAt (nothing is changed). */
gboolean sd_server_store_update_order (SdServerStore *self, const char *id, const SdServerOrderChanges *changes,
    GError **error);
/* In one transaction; restock: its counts go back to tracked stock.
 * NOT_FOUND. */
gboolean sd_server_store_delete_order (SdServerStore *self, const char *id, gboolean restock, GError **error);
/* [ext] "cancelled": in one transaction, an order awaiting payment or
 * paid becomes cancelled (주문 취소), its counts go back to tracked
 * stock and its Idempotency-Key records are forgotten. CONFLICT when it is gone or in any other status (cancelled
 * already among them); CHANGED when base (NULL: none) is not its
 * updatedAt: nothing is changed. */
gboolean sd_server_store_cancel_order (SdServerStore *self, const char *id, const char *base, GError **error);

/* ---- users: accounts, sessions, throttles, confirmation codes ---------- */

typedef struct {
  const char *email;            /* as matched: ours lower-cases it, the original's mode keeps it as typed */
  const char *password;         /* stored only as its hash */
  const char *name;
  const char *phone_number;     /* NULL: "" */
  const char *address;          /* NULL: "" */
  const char *address_detail;   /* NULL: "" */
  const char *role;             /* "user" or "admin" */
} SdServerUserInput;

/* A password's hash as stored: libxcrypt's default method. */
char *sd_server_hash_password (const char *password, GError **error);
/* The new user's id; CONFLICT when the email is registered. */
char *sd_server_store_create_user (SdServerStore *self, const SdServerUserInput *input, GError **error);
/* Signing up: NOT_FOUND when the email was not confirmed within the
 * last confirmed_within seconds; CONFLICT when it is registered. The
 * confirmation is used up, and the code with it unless keep_code (the
 * original's way: its code lives out its time whatever happens). */
char *sd_server_store_sign_up (SdServerStore *self, const SdServerUserInput *input, guint confirmed_within,
    gboolean keep_code, GError **error);
/* create-admin: a new admin, or the account with that email made admin
 * with the new password; its id. */
char *sd_server_store_upsert_admin (SdServerStore *self, const SdServerUserInput *input, GError **error);
/* The user as on the wire (never the password's hash); NULL without an
 * error: no such user. */
JsonNode *sd_server_store_get_user (SdServerStore *self, const char *id, GError **error);
/* Every user, oldest first. */
JsonNode *sd_server_store_list_users (SdServerStore *self, GError **error);
/* "user" or "admin"; NOT_FOUND. */
char *sd_server_store_get_user_role (SdServerStore *self, const char *id, GError **error);
/* NOT_FOUND. */
char *sd_server_store_get_user_email (SdServerStore *self, const char *id, GError **error);
/* The account behind an email; NOT_FOUND. */
gboolean sd_server_store_find_user (SdServerStore *self, const char *email, char **out_id,
    char **out_password_hash, GError **error);

/* What a change of a profile sets; NULL: as it is. */
typedef struct {
  const char *name;
  const char *phone_number;
  const char *address;
  const char *address_detail;
  const char *password;         /* a new one ends every session of the user */
} SdServerUserChanges;

/* In one transaction. */
gboolean sd_server_store_update_user (SdServerStore *self, const char *id, const SdServerUserChanges *changes,
    GError **error);
/* A new password, and every session of the user ended, in one step. */
gboolean sd_server_store_set_password (SdServerStore *self, const char *id, const char *password, GError **error);
/* A new profile picture (an uploads/ path); the one it replaces, if any,
 * in *out_old. */
gboolean sd_server_store_set_profile_image (SdServerStore *self, const char *id, const char *image, char **out_old,
    GError **error);
/* The user and their sessions; their orders stay, without them. NOT_FOUND. */
gboolean sd_server_store_delete_user (SdServerStore *self, const char *id, GError **error);

/* A session is a family of rotated refresh tokens: its id, user, the
 * current generation, when it was rotated to it and when it ends. */
typedef struct {
  char   *user_id;
  gint64  generation;
  gint64  rotated_at;   /* s since the epoch */
  gint64  expires_at;
} SdServerSession;

void        sd_server_session_clear          (SdServerSession *session);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdServerSession, sd_server_session_clear)

gboolean sd_server_store_create_session (SdServerStore *self, const char *id, const char *user_id,
    gint64 rotated_at, gint64 expires_at, GError **error);
/* That session of that user (sign-out). */
gboolean sd_server_store_end_session (SdServerStore *self, const char *id, const char *user_id, GError **error);
/* Every session of a user (sign out everywhere). */
gboolean sd_server_store_end_sessions (SdServerStore *self, const char *user_id, GError **error);

typedef enum {
  SD_SERVER_REFRESH_CURRENT,    /* the current generation, kept */
  SD_SERVER_REFRESH_ROTATED,    /* the current generation, moved on to the next */
  SD_SERVER_REFRESH_PARALLEL,   /* the previous one, within the grace window */
  SD_SERVER_REFRESH_ENDED,      /* no such session, another user's, or expired (then ended) */
  SD_SERVER_REFRESH_SPENT,      /* an older one, or the previous one too late: the session is ended */
} SdServerRefresh;

/* A refresh with generation of session id for user_id, in one
 * transaction: rotate moves the current generation on (a new expiry
 * ttl seconds from now), and then the previous one still counts for
 * grace seconds. *out_session: the session after, unless ENDED or SPENT. */
gboolean sd_server_store_refresh_session (SdServerStore *self, const char *id, const char *user_id,
    gint64 generation, gboolean rotate, guint grace, guint ttl, SdServerRefresh *out_outcome,
    SdServerSession *out_session, GError **error);

/* A limit on a counter of events: at most limit within the last window
 * seconds. key is an HMAC, never an email or an address in clear. */
typedef struct {
  const char *kind;
  const char *key;
  guint       window;
  guint       limit;
} SdServerThrottle;

/* Events of a sign-in counted as failures before its password is
 * checked; to take back when it was right. */
typedef struct {
  gint64 pair_event;
  gint64 email_event;
} SdServerSignInAttempt;

/* In one transaction: the wait before this sign-in may be checked, by
 * pair (this email from this client) and, when the pair has failed
 * recently, by the email's exponential backoff (2^(failures - limit) s
 * after its latest failure, at most max_delay); with no wait, the
 * attempt counted as a failure of both. *out_wait: 0, or the seconds. */
gboolean sd_server_store_begin_sign_in (SdServerStore *self, const SdServerThrottle *pair,
    const SdServerThrottle *email, guint max_delay, gint64 *out_wait, SdServerSignInAttempt *out_attempt,
    GError **error);
/* The password was right: the attempt was no failure, and the pair's
 * count starts afresh. */
void sd_server_store_sign_in_succeeded (SdServerStore *self, const SdServerThrottle *pair,
    const SdServerSignInAttempt *attempt);

/* In one transaction: code_hash as the email's code for ttl seconds
 * (tries and confirmation reset), counted against each limit; unless a
 * limit is reached: then *out_wait (the longest) and nothing stored. */
gboolean sd_server_store_issue_code (SdServerStore *self, const char *email, const char *code_hash, guint ttl,
    const SdServerThrottle *limits, guint n_limits, gint64 *out_wait, GError **error);

typedef enum {
  SD_SERVER_CODE_RIGHT,
  SD_SERVER_CODE_WRONG,     /* wrong, expired, burned, or none */
  SD_SERVER_CODE_HELD,      /* a limit is reached: *out_wait */
} SdServerCodeCheck;

/* In one transaction: code_hash (NULL: not a code) against the email's
 * live code, in constant time; unless a limit holds it. Right: consume
 * ends the code, else the email is confirmed. Wrong: a try of the code
 * and an event of each limit; max_tries burn it: no longer right, not
 * confirmed, but live until it expires (sd_server_store_issue_code_once). */
gboolean sd_server_store_check_code (SdServerStore *self, const char *email, const char *code_hash,
    gboolean consume, guint max_tries, const SdServerThrottle *limits, guint n_limits, SdServerCodeCheck *out_check,
    gint64 *out_wait, GError **error);

/* ---- users, the original's ways (storedesk-server --no-extensions) ----- */

/* sd_server_store_issue_code, except while the email has a live code:
 * then *out_taken, and nothing stored or counted (the original's unique
 * index on EmailVerification.email). */
gboolean sd_server_store_issue_code_once (SdServerStore *self, const char *email, const char *code_hash, guint ttl,
    const SdServerThrottle *limits, guint n_limits, gint64 *out_wait, gboolean *out_taken, GError **error);
/* "user" or "admin" (the original's PATCH /auth/me writes "user"). NOT_FOUND. */
gboolean sd_server_store_set_user_role (SdServerStore *self, const char *id, const char *role, GError **error);

/* ---- meta: the server's own values (secrets, the demo's seeding) -------- */

/* *out_value: NULL when there is none. */
gboolean sd_server_store_get_meta (SdServerStore *self, const char *key, char **out_value, GError **error);
gboolean sd_server_store_set_meta (SdServerStore *self, const char *key, const char *value, GError **error);
/* Stores value under key only when key has none yet (the first writer
 * wins, whichever node it is). */
gboolean sd_server_store_add_meta (SdServerStore *self, const char *key, const char *value, GError **error);

/* ---- [ext] "activity": who changed what (sd-server-store-activity.c) ---- */

/* The newest rows kept by default; older ones are pruned as new ones come. */
#define SD_SERVER_ACTIVITY_LIMIT 200000

/* The changes this store makes from now on (of orders, products and
 * categories) are recorded as user_id's, each in the change's own
 * transaction, with origin ("bulk", "undo", "replay"; NULL: none).
 * NULL user_id: none are (customers, seeding, imports). */
void      sd_server_store_set_actor          (SdServerStore *self, const char *user_id, const char *origin);
/* How many of the newest rows are kept (at least 1). */
void      sd_server_store_set_activity_limit (SdServerStore *self, gint64 limit);

typedef struct {
  const char *entity;      /* nullable: "order", "product" or "category" */
  const char *entity_id;   /* nullable; with an entity */
  guint       offset;
  guint       limit;
} SdServerActivityQuery;

/* The rows the query matches, newest first, as on the wire (a JSON
 * array), and how many there are in all. */
JsonNode *sd_server_store_list_activity      (SdServerStore *self, const SdServerActivityQuery *query,
                                              gint64 *out_total, GError **error);

G_END_DECLS
