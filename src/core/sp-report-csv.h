/* sp-report-csv.h: the indicator and string tables as CSV
 *
 * RFC 4180 (comma, CRLF, quotes doubled, fields with , " CR LF quoted), and
 * defused for spreadsheets: a text cell starting with = + - @ (or a tab or
 * carriage return) gets a leading apostrophe, so a sample's strings can
 * never become formulas when an analyst opens the file. Rows are streamed.
 */
#pragma once

#include <gio/gio.h>

#include "sp-ioc.h"
#include "sp-report.h"
#include "sp-string-table.h"

G_BEGIN_DECLS

typedef enum
{
  SP_REPORT_CSV_IOCS,
  SP_REPORT_CSV_STRINGS,
} SpReportCsvTable;

gboolean     sp_report_csv_table_from_string (const char             *name,
                                              SpReportCsvTable       *table);
const char  *sp_report_csv_table_to_string   (SpReportCsvTable        table);

char        *sp_csv_escape_cell              (const char             *value,
                                              gboolean                defuse);

gboolean     sp_report_csv_write_iocs        (SpIocSet               *iocs,
                                              GOutputStream          *output,
                                              GCancellable           *cancellable,
                                              GError                **error);
gboolean     sp_report_csv_write_strings     (SpStringTable          *strings,
                                              gint64                  max_strings,
                                              GOutputStream          *output,
                                              GCancellable           *cancellable,
                                              GError                **error);
gboolean     sp_report_csv_write             (SpReport               *report,
                                              SpReportCsvTable        table,
                                              const SpReportOptions  *options,
                                              GOutputStream          *output,
                                              GCancellable           *cancellable,
                                              GError                **error);
gboolean     sp_report_csv_save              (SpReport               *report,
                                              SpReportCsvTable        table,
                                              const SpReportOptions  *options,
                                              GFile                  *file,
                                              GCancellable           *cancellable,
                                              GError                **error);

G_END_DECLS
