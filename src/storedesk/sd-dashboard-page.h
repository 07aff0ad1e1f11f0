/* sd-dashboard-page.h — staff: the sales dashboard (admins). */
#pragma once

#include <gtk/gtk.h>

#include "sd-page.h"

G_BEGIN_DECLS

#define SD_TYPE_DASHBOARD_PAGE (sd_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (SdDashboardPage, sd_dashboard_page, SD, DASHBOARD_PAGE, SdPage)

/* Reads the figures of the period chosen again. */
void        sd_dashboard_page_reload       (SdDashboardPage *self);
gboolean    sd_dashboard_page_get_loading  (SdDashboardPage *self);
/* The period's figures and the period before's, once read (else NULL). */
SdSummary  *sd_dashboard_page_get_summary  (SdDashboardPage *self);
SdSummary  *sd_dashboard_page_get_previous (SdDashboardPage *self);
/* Chooses the last 7, 30, 90 or 365 days (reads them). */
void        sd_dashboard_page_set_days     (SdDashboardPage *self,
                                            guint            days);
/* Writes the figures as CSV to file (Export CSV… asks where). */
void        sd_dashboard_page_export_to    (SdDashboardPage *self,
                                            GFile           *file);

G_END_DECLS
