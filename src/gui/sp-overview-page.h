/* sp-overview-page.h: the first page of a sample: info, type, entropy, findings */
#pragma once

#include <gtk/gtk.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_OVERVIEW_PAGE (sp_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (SpOverviewPage, sp_overview_page, SP, OVERVIEW_PAGE, GtkWidget)

GtkWidget  *sp_overview_page_new               (void);
void        sp_overview_page_set_report        (SpOverviewPage *self,
                                                SpReport       *report);
const char *sp_overview_page_get_findings_text (SpOverviewPage *self);
GtkWidget  *sp_overview_page_get_entropy_plot  (SpOverviewPage *self);

char       *sp_overview_summarize_iocs         (SpIocSet       *iocs);

G_END_DECLS
