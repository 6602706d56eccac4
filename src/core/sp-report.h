/* sp-report.h: everything known about one sample
 *
 * The small sections ("file", "type", "hashes", "entropy", "pe", "elf",
 * "bmp", "image") are JSON objects in the documented specimen-report/1
 * schema, so a live analysis and a report read back from disk look the
 * same to every client. Strings and indicators are list models because
 * they can be huge.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-ioc.h"
#include "sp-report-writer.h"
#include "sp-string-table.h"

G_BEGIN_DECLS

#define SP_REPORT_SCHEMA "specimen-report/1"

#define SP_REPORT_ERROR (sp_report_error_quark ())

typedef enum
{
  SP_REPORT_ERROR_INVALID,
  SP_REPORT_ERROR_UNSUPPORTED_SCHEMA,
} SpReportError;

GQuark sp_report_error_quark (void);

typedef enum
{
  SP_REPORT_ORIGIN_ANALYSIS,
  SP_REPORT_ORIGIN_FILE,
  SP_REPORT_ORIGIN_ENCRYPTED_FILE,
} SpReportOrigin;

typedef struct
{
  /* -1 writes every string, 0 omits the items (counts stay), N the first N. */
  gint64 max_strings;
} SpReportOptions;

void sp_report_options_init (SpReportOptions *options);

#define SP_TYPE_REPORT (sp_report_get_type ())
G_DECLARE_FINAL_TYPE (SpReport, sp_report, SP, REPORT, GObject)

SpReport       *sp_report_new            (void);
SpReportOrigin  sp_report_get_origin     (SpReport         *self);
void            sp_report_set_origin     (SpReport         *self,
                                          SpReportOrigin    origin);
/* Takes a reference to @section; %NULL removes it. */
void            sp_report_set_section    (SpReport         *self,
                                          const char       *name,
                                          JsonObject       *section);
JsonObject     *sp_report_get_section    (SpReport         *self,
                                          const char       *name);
SpStringTable  *sp_report_get_strings    (SpReport         *self);
void            sp_report_set_strings    (SpReport         *self,
                                          SpStringTable    *strings);
SpIocSet       *sp_report_get_iocs       (SpReport         *self);
void            sp_report_set_iocs       (SpReport         *self,
                                          SpIocSet         *iocs);
const char     *sp_report_get_title      (SpReport         *self);

/* Streams the report in @format (JSON included) to @output. */
gboolean        sp_report_write          (SpReport              *self,
                                          SpReportFormat         format,
                                          const SpReportOptions *options,
                                          GOutputStream         *output,
                                          GCancellable          *cancellable,
                                          GError               **error);
/* Writes the report to @file atomically (g_file_replace). */
gboolean        sp_report_save           (SpReport              *self,
                                          SpReportFormat         format,
                                          const SpReportOptions *options,
                                          GFile                 *file,
                                          GCancellable          *cancellable,
                                          GError               **error);
SpReport       *sp_report_load_json      (const char            *data,
                                          gsize                  length,
                                          GError               **error);
SpReport       *sp_report_new_from_json  (JsonObject            *root,
                                          GError               **error);

G_END_DECLS
