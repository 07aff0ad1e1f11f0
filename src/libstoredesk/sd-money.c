/* sd-money.c */
#define G_LOG_DOMAIN "storedesk-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sd-money.h"

char *
sd_format_price (gint64 won)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             won < 0 ? -(guint64) won : (guint64) won);
  g_autoptr(GString) grouped = g_string_new (won < 0 ? "-" : "");
  size_t len = strlen (digits);

  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (grouped, ',');
      g_string_append_c (grouped, digits[i]);
    }
  /* Translators: a price in Korean won; %s is the amount with digit
   * grouping, e.g. "12,000". Korean writes it as "%s원". */
  return g_strdup_printf (_("₩%s"), grouped->str);
}
