/* sd-server-store.h — the one interface storedesk-server's routes use for
 * their data: the store.
 *
 * Grouped by area, one file each: catalog (sd-server-store-catalog.c).
 * Today's engine is SQLite (sd-server-db.c, underneath); the functions
 * take and return plain C and GLib values, and JSON (a JsonNode, or a
 * GString of JSON text on the hot path) shaped as on the wire, so that
 * another engine can implement the same ones. What must be atomic is one
 * function here, never a transaction spread over a route. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- errors ---------------------------------------------------------- */

#define SD_SERVER_STORE_ERROR (sd_server_store_error_quark ())
GQuark sd_server_store_error_quark (void);

/* What a route maps to a status; anything else is a 500. */
typedef enum {
  SD_SERVER_STORE_ERROR_FAILED,      /* the engine failed */
  SD_SERVER_STORE_ERROR_NOT_FOUND,   /* no such row */
  SD_SERVER_STORE_ERROR_CONFLICT,    /* a rule of the data: a unique name, a reference */
  SD_SERVER_STORE_ERROR_BUSY,        /* another writer held the lock past the timeout */
  SD_SERVER_STORE_ERROR_TOO_NEW,     /* the data is of a newer schema than this server's */
} SdServerStoreError;

/* ---- the store ------------------------------------------------------- */

#define SD_TYPE_SERVER_STORE (sd_server_store_get_type ())
G_DECLARE_FINAL_TYPE (SdServerStore, sd_server_store, SD, SERVER_STORE, GObject)

/* One connection, for one thread at a time (one per worker); opening
 * brings the schema up to date. */
SdServerStore *sd_server_store_open         (const char     *path,
                                             GError        **error);
/* A number that changes whenever the data may have changed, by this
 * connection or another: what cached replies are valid for. */
gint64         sd_server_store_change_stamp (SdServerStore  *self);

typedef gboolean (*SdServerStoreFunc) (SdServerStore  *store,
                                       gpointer        user_data,
                                       GError        **error);
/* Runs func as one transaction: all of its writes, or (when it fails)
 * none. For bulk work outside the routes: seeding, benchmarks. */
gboolean       sd_server_store_atomically   (SdServerStore     *self,
                                             SdServerStoreFunc  func,
                                             gpointer           user_data,
                                             GError           **error);

/* 24 hex digits like a MongoDB ObjectId. */
char          *sd_server_store_new_id       (void);
/* Now, as the wire's timestamps: 2024-05-01T12:00:00.000Z. */
char          *sd_server_store_now_iso      (void);

/* ---- catalog: categories, products, options ---------------------------- */

/* Categories, oldest first; only the one called name when given. */
JsonNode   *sd_server_store_list_categories  (SdServerStore  *self,
                                              const char     *name,
                                              GError        **error);
/* NULL without an error: no such category. */
JsonNode   *sd_server_store_get_category     (SdServerStore  *self,
                                              const char     *id,
                                              GError        **error);
/* The new category's id; CONFLICT when the name is taken. */
char       *sd_server_store_create_category  (SdServerStore  *self,
                                              const char     *name,
                                              GError        **error);
/* NOT_FOUND; CONFLICT when the name is taken. */
gboolean    sd_server_store_rename_category  (SdServerStore  *self,
                                              const char     *id,
                                              const char     *name,
                                              GError        **error);
/* NOT_FOUND; CONFLICT while products are in it, their number then in
 * *out_products (0 when the engine's own reference check refused). */
gboolean    sd_server_store_delete_category  (SdServerStore  *self,
                                              const char     *id,
                                              gint64         *out_products,
                                              GError        **error);

typedef struct {
  const char *category_id;  /* nullable */
  const char *q;            /* nullable: name/brand contains */
  const char *sort;         /* nullable: one of SD_SORT_* */
  guint       offset;
  guint       limit;
} SdServerProductQuery;

/* The page as a JSON array text (the hot path skips json-glib), and the
 * number of products the query matches in all. */
GString    *sd_server_store_list_products    (SdServerStore              *self,
                                              const SdServerProductQuery *query,
                                              gint64                     *out_total,
                                              GError                    **error);
/* NULL without an error: no such product. */
JsonNode   *sd_server_store_get_product      (SdServerStore  *self,
                                              const char     *id,
                                              GError        **error);

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
} SdServerProductInput;

/* The new product's id. */
char       *sd_server_store_create_product   (SdServerStore              *self,
                                              const SdServerProductInput *input,
                                              GError                    **error);
/* Every field from input; NOT_FOUND. */
gboolean    sd_server_store_update_product   (SdServerStore              *self,
                                              const char                 *id,
                                              const SdServerProductInput *input,
                                              GError                    **error);
/* NOT_FOUND. Orders keep their own copy of name, price and image. */
gboolean    sd_server_store_delete_product   (SdServerStore  *self,
                                              const char     *id,
                                              GError        **error);

G_END_DECLS
