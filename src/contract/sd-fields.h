/* sd-fields.h — the field rules of shared/API.md, for the server to enforce
 * and the client to check as the user types. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_PASSWORD_MIN 8
#define SD_PASSWORD_MAX 16
#define SD_NAME_MAX 30
#define SD_CATEGORY_NAME_MAX 30
#define SD_EMAIL_MAX 254

/* A product's fields, as the shop checks them. */
#define SD_PRODUCT_NAME_MAX    100
#define SD_BRAND_MAX           50
#define SD_IMAGE_MAX           500
#define SD_DESCRIPTION_MAX     5000
#define SD_PRICE_MAX           100000000
#define SD_STOCK_MAX           1000000
#define SD_OPTION_NAME_MAX     30
#define SD_OPTION_VALUES_MAX   50
#define SD_OPTION_VALUE_MAX    50

/* A product as staff edit it and the shop stores it; NULL strings and
 * negative numbers mean "leave as it is" on update. */
typedef struct {
  const char         *name;
  const char         *category_id;
  const char         *brand;
  gint64              price;          /* < 0: unchanged */
  const char         *image;
  const char         *description;
  gint64              stock;          /* -1: not tracked; < -1: unchanged */
  const char         *option_name;    /* with option_values; NULL: unchanged */
  const char * const *option_values;
} SdProductFields;

/* A product's fields, in the order they are checked. */
typedef enum {
  SD_PRODUCT_FIELD_NONE,            /* no field: all are good */
  SD_PRODUCT_FIELD_NAME,            /* 1–100 characters */
  SD_PRODUCT_FIELD_CATEGORY,        /* a category id, 1–64 characters */
  SD_PRODUCT_FIELD_BRAND,           /* at most 50 */
  SD_PRODUCT_FIELD_DESCRIPTION,     /* at most 5,000 */
  SD_PRODUCT_FIELD_IMAGE,           /* at most 500 */
  SD_PRODUCT_FIELD_PRICE,           /* 0–100,000,000 won */
  SD_PRODUCT_FIELD_STOCK,           /* 0–1,000,000, or -1: not tracked */
  SD_PRODUCT_FIELD_OPTION_NAME,     /* 1–30 characters */
  SD_PRODUCT_FIELD_OPTION_VALUES,   /* 1–50 values */
  SD_PRODUCT_FIELD_OPTION_VALUE,    /* each 1–50 characters */
} SdProductField;

/* A text field's length rule (NAME, CATEGORY, BRAND, IMAGE, DESCRIPTION,
 * OPTION_NAME, OPTION_VALUE), in characters; NULL is never good. */
gboolean sd_field_is_product_text     (SdProductField field,
                                       const char    *text);
/* PRICE: 0–SD_PRICE_MAX; STOCK: 0–SD_STOCK_MAX (-1, not tracked, is the
 * caller's to allow). */
gboolean sd_field_is_product_number   (SdProductField field,
                                       gint64         value);
/* 1–SD_OPTION_VALUES_MAX values. */
gboolean sd_field_is_option_count     (guint          n_values);
/* The first field of f that breaks its rule, SD_PRODUCT_FIELD_NONE when
 * none does. Fields left unchanged are not checked; on create a name and
 * a price are required. An option name "" removes the option; values
 * without an option name are the option name's fault. */
SdProductField sd_fields_check_product (const SdProductFields *f,
                                        gboolean               create);

/* Ours: 2–30 letters of any script, with single spaces between words. */
gboolean sd_field_is_name             (const char *name);
/* The original shop's: 2–4 Hangul syllables. */
gboolean sd_field_is_original_name    (const char *name);
/* "010-1234-5678" → "01012345678"; NULL unless 010 and 8 more digits. */
char    *sd_field_normalize_phone     (const char *phone);
/* An ordinary address; compare and store lower-case. */
gboolean sd_field_is_email            (const char *email);
/* 8–16 characters from A-Z a-z 0-9 ! @ # $ % ^ & * ( ) - _ + = < > ? */
gboolean sd_field_is_password         (const char *password);
/* Hangul or Latin letters, single inner spaces, at most 30. */
gboolean sd_field_is_category_name    (const char *name);
/* Six digits. */
gboolean sd_field_is_code             (const char *code);

G_END_DECLS
