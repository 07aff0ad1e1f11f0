/* sd-money.h — prices as people read them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 12000 → "₩12,000" (en) / "12,000원" (ko). */
char *sd_format_price (gint64 won);

G_END_DECLS
