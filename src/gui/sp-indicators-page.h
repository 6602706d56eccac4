/* sp-indicators-page.h: indicators of compromise as a table grouped by category */
#pragma once

#include <gtk/gtk.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_INDICATORS_PAGE (sp_indicators_page_get_type ())
G_DECLARE_FINAL_TYPE (SpIndicatorsPage, sp_indicators_page, SP, INDICATORS_PAGE, GtkWidget)

GtkWidget  *sp_indicators_page_new               (void);
void        sp_indicators_page_set_report        (SpIndicatorsPage *self,
                                                  SpReport         *report);
/* The rows shown after the category filter. */
GListModel *sp_indicators_page_get_visible_model (SpIndicatorsPage *self);
/* -1 shows every category. */
void        sp_indicators_page_set_category      (SpIndicatorsPage *self,
                                                  int               category);
char       *sp_indicators_page_dup_csv           (SpIndicatorsPage *self);
char       *sp_indicators_page_dup_json          (SpIndicatorsPage *self);
/* Saves the visible rows as CSV or JSON; a failure leaves no partial file. */
void        sp_indicators_page_export_async      (SpIndicatorsPage    *self,
                                                  GFile               *file,
                                                  gboolean             json,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean    sp_indicators_page_export_finish     (SpIndicatorsPage    *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
