/* sd-json-guard.c — a bound on JSON nesting, checked before any parser runs. */
#include "sd-json-guard.h"

/* The four hex digits of a \u escape at p, or FALSE. */
static gboolean
read_hex4 (const guchar *p, gsize left, guint *out_unit)
{
  guint unit = 0;

  if (left < 4)
    return FALSE;
  for (guint k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return FALSE;
      unit = unit << 4 | (guint) g_ascii_xdigit_value (p[k]);
    }
  *out_unit = unit;
  return TRUE;
}

/* Moves *i past the "…" string whose opening quote is just before it.
 * FALSE for a \u escape json-glib 1.6 would read differently: it takes
 * "up to four" hex digits plus the character that stops them, and after
 * any surrogate the next two characters, whatever they are (a quote
 * included), so the string's end would not be where this scan sees it;
 * and on a pair that is not high then low it drops its buffer unfreed. */
static gboolean
skip_string (const guchar *p, gsize len, gsize *i)
{
  while (*i < len)
    {
      guchar c = p[(*i)++];
      guint unit;

      if (c == '"')
        return TRUE;
      if (c != '\\' || *i >= len)
        continue;
      if (p[(*i)++] != 'u')
        continue;   /* \" \\ \n …: one character, as json-glib reads them */
      if (!read_hex4 (p + *i, len - *i, &unit))
        return FALSE;
      *i += 4;
      if (unit >= 0xd800 && unit <= 0xdfff)
        {
          guint low;

          if (unit > 0xdbff || len - *i < 6 || p[*i] != '\\' || p[*i + 1] != 'u' ||
              !read_hex4 (p + *i + 2, len - *i - 2, &low) || low < 0xdc00 || low > 0xdfff)
            return FALSE;
          *i += 6;
        }
    }
  return TRUE;   /* unterminated: the parser refuses it */
}

SdJsonScan
sd_json_scan (const char *data, gsize len, guint max_depth)
{
  const guchar *p = (const guchar *) data;
  guint depth = 0;
  gboolean in_scalar = FALSE;   /* a number or word at the top level, under way */
  gboolean done = FALSE;        /* the top-level value is complete */
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, SD_JSON_SCAN_TOO_DEEP);

  /* json-glib skips a UTF-8 byte order mark. */
  if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
    i = 3;
  while (i < len)
    {
      guchar c = p[i++];

      switch (c)
        {
        case '[':
        case '{':
          if (depth == 0 && (done || in_scalar))
            return SD_JSON_SCAN_TRAILING;
          if (++depth > max_depth)
            return SD_JSON_SCAN_TOO_DEEP;
          break;
        case ']':
        case '}':
          /* A stray closer is a parse error; the parser stops there. */
          if (depth > 0 && --depth == 0)
            done = TRUE;
          break;
        case '"':
          if (depth == 0 && (done || in_scalar))
            return SD_JSON_SCAN_TRAILING;
          if (!skip_string (p, len, &i))
            return SD_JSON_SCAN_BAD_ESCAPE;
          done |= depth == 0;
          break;
        case '\'':   /* json-glib 1.6's '…' strings: no escapes */
          if (depth == 0 && (done || in_scalar))
            return SD_JSON_SCAN_TRAILING;
          done |= depth == 0;
          G_GNUC_FALLTHROUGH;
        case '/':    /* its comments: from one '/' to the next */
          while (i < len && p[i] != c)
            i++;
          if (i < len)
            i++;
          if (in_scalar)
            in_scalar = FALSE, done = TRUE;
          break;
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          if (in_scalar)
            in_scalar = FALSE, done = TRUE;
          break;
        case ',':
        case ':':
          if (depth == 0)
            return SD_JSON_SCAN_TRAILING;
          break;
        default:
          if (depth == 0)
            {
              if (done)
                return SD_JSON_SCAN_TRAILING;
              in_scalar = TRUE;
            }
          break;
        }
    }
  return SD_JSON_SCAN_OK;
}

gboolean
sd_json_depth_ok (const char *data, gsize len, guint max_depth)
{
  return sd_json_scan (data, len, max_depth) == SD_JSON_SCAN_OK;
}
