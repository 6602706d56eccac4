/* sp-report-private.h: what the report's serializers share */
#pragma once

#include "sp-report.h"

G_BEGIN_DECLS

/* The order sections appear in, in every format. */
extern const char * const sp_report_section_order[];

gboolean sp_report_write_json   (SpReport              *self,
                                 const SpReportOptions *options,
                                 GOutputStream         *output,
                                 GCancellable          *cancellable,
                                 GError               **error);
gboolean sp_report_write_human  (SpReport              *self,
                                 SpReportFormat         format,
                                 const SpReportOptions *options,
                                 GOutputStream         *output,
                                 GCancellable          *cancellable,
                                 GError               **error);
guint    sp_report_strings_to_write (SpReport              *self,
                                     const SpReportOptions *options);

G_END_DECLS
