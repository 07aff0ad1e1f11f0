/* sd-fields.c */
#include "sd-fields.h"

#include <string.h>

/* Words of characters accepted by is_char, separated by single spaces,
 * min_chars..max_chars characters in all. */
static gboolean
is_words (const char *text, guint min_chars, guint max_chars, gboolean (*is_char) (gunichar))
{
  guint n = 0;
  gboolean last_space = TRUE;   /* no leading space */

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ')
        {
          if (last_space)
            return FALSE;
          last_space = TRUE;
        }
      else if (is_char (c))
        last_space = FALSE;
      else
        return FALSE;
      if (++n > max_chars)
        return FALSE;
    }
  return n >= min_chars && !last_space;
}

static gboolean
is_any_letter (gunichar c)
{
  return g_unichar_isalpha (c);
}

static gboolean
is_hangul_syllable (gunichar c)
{
  return c >= 0xAC00 && c <= 0xD7A3;
}

static gboolean
is_hangul_or_latin (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return g_unichar_isalpha (c) &&
         (script == G_UNICODE_SCRIPT_HANGUL || script == G_UNICODE_SCRIPT_LATIN);
}

gboolean
sd_field_is_name (const char *name)
{
  return is_words (name, 2, SD_NAME_MAX, is_any_letter);
}

gboolean
sd_field_is_original_name (const char *name)
{
  guint n = 0;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p), n++)
    if (!is_hangul_syllable (g_utf8_get_char (p)))
      return FALSE;
  return n >= 2 && n <= 4;
}

char *
sd_field_normalize_phone (const char *phone)
{
  GString *digits;

  if (phone == NULL)
    return NULL;
  digits = g_string_new (NULL);
  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != '-' && *p != ' ')
        return (g_string_free (digits, TRUE), NULL);
    }
  if (digits->len != 11 || !g_str_has_prefix (digits->str, "010"))
    return (g_string_free (digits, TRUE), NULL);
  return g_string_free (digits, FALSE);
}

gboolean
sd_field_is_email (const char *email)
{
  const char *at, *dot;
  size_t len;

  if (email == NULL || (len = strlen (email)) < 3 || len > SD_EMAIL_MAX)
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL || at - email > 64)
    return FALSE;
  for (const char *p = email; p < at; p++)
    if (!(g_ascii_isalnum (*p) || strchr (".!#$%&'*+/=?^_`{|}~-", *p)) ||
        (*p == '.' && (p == email || p + 1 == at || p[1] == '.')))
      return FALSE;
  dot = strrchr (at + 1, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0')
    return FALSE;
  for (const char *p = at + 1; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '.') ||
        (*p == '.' && (p[1] == '.' || p[1] == '\0' || p[-1] == '@')) ||
        (*p == '-' && (p[-1] == '.' || p[-1] == '@' || p[1] == '.' || p[1] == '\0')))
      return FALSE;
  for (const char *p = dot + 1; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  return TRUE;
}

gboolean
sd_field_is_password (const char *password)
{
  size_t len;

  if (password == NULL)
    return FALSE;
  len = strlen (password);
  if (len < SD_PASSWORD_MIN || len > SD_PASSWORD_MAX)
    return FALSE;
  for (const char *p = password; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!@#$%^&*()-_+=<>?", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
sd_field_is_category_name (const char *name)
{
  return is_words (name, 1, SD_CATEGORY_NAME_MAX, is_hangul_or_latin);
}

gboolean
sd_field_is_code (const char *code)
{
  if (code == NULL || strlen (code) != 6)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

gboolean
sd_field_is_product_text (SdProductField field, const char *text)
{
  static const struct { SdProductField field; glong min, max; } rules[] = {
    { SD_PRODUCT_FIELD_NAME, 1, SD_PRODUCT_NAME_MAX },
    { SD_PRODUCT_FIELD_CATEGORY, 1, 64 },
    { SD_PRODUCT_FIELD_BRAND, 0, SD_BRAND_MAX },
    { SD_PRODUCT_FIELD_IMAGE, 0, SD_IMAGE_MAX },
    { SD_PRODUCT_FIELD_DESCRIPTION, 0, SD_DESCRIPTION_MAX },
    { SD_PRODUCT_FIELD_OPTION_NAME, 1, SD_OPTION_NAME_MAX },
    { SD_PRODUCT_FIELD_OPTION_VALUE, 1, SD_OPTION_VALUE_MAX },
  };
  glong n;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (rules[i].field == field)
      return n >= rules[i].min && n <= rules[i].max;
  g_return_val_if_reached (FALSE);
}

gboolean
sd_field_is_product_number (SdProductField field, gint64 value)
{
  g_return_val_if_fail (field == SD_PRODUCT_FIELD_PRICE || field == SD_PRODUCT_FIELD_STOCK, FALSE);
  return value >= 0 && value <= (field == SD_PRODUCT_FIELD_PRICE ? SD_PRICE_MAX : SD_STOCK_MAX);
}

gboolean
sd_field_is_option_count (guint n_values)
{
  return n_values >= 1 && n_values <= SD_OPTION_VALUES_MAX;
}

SdProductField
sd_fields_check_product (const SdProductFields *f, gboolean create)
{
  const SdProductField texts[] = { SD_PRODUCT_FIELD_NAME, SD_PRODUCT_FIELD_CATEGORY, SD_PRODUCT_FIELD_BRAND,
                                   SD_PRODUCT_FIELD_DESCRIPTION, SD_PRODUCT_FIELD_IMAGE };
  const char *values[] = { f->name, f->category_id, f->brand, f->description, f->image };
  guint n = f->option_values ? g_strv_length ((GStrv) f->option_values) : 0;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if ((values[i] != NULL || (create && texts[i] == SD_PRODUCT_FIELD_NAME)) &&
        !sd_field_is_product_text (texts[i], values[i]))
      return texts[i];
  if ((f->price >= 0 || create) && !sd_field_is_product_number (SD_PRODUCT_FIELD_PRICE, f->price))
    return SD_PRODUCT_FIELD_PRICE;
  if (f->stock >= 0 && !sd_field_is_product_number (SD_PRODUCT_FIELD_STOCK, f->stock))
    return SD_PRODUCT_FIELD_STOCK;
  if (f->option_name == NULL || *f->option_name == '\0')
    return n > 0 ? SD_PRODUCT_FIELD_OPTION_NAME : SD_PRODUCT_FIELD_NONE;
  if (!sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_NAME, f->option_name))
    return SD_PRODUCT_FIELD_OPTION_NAME;
  if (!sd_field_is_option_count (n))
    return SD_PRODUCT_FIELD_OPTION_VALUES;
  for (guint i = 0; i < n; i++)
    if (!sd_field_is_product_text (SD_PRODUCT_FIELD_OPTION_VALUE, f->option_values[i]))
      return SD_PRODUCT_FIELD_OPTION_VALUE;
  return SD_PRODUCT_FIELD_NONE;
}
