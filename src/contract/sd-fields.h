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
