/* sp-report-writer.h: the human-readable report formats
 *
 * Section renderers describe a report once, as headings, fields, paragraphs
 * and tables; the writer turns that into plain text, Markdown or HTML and
 * streams it, so a table of ten million strings is never held in memory.
 * Every value passed in is treated as untrusted text and escaped for the
 * target format. The first write error is kept and later calls do nothing.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SP_REPORT_FORMAT_TEXT,
  SP_REPORT_FORMAT_MARKDOWN,
  SP_REPORT_FORMAT_JSON,
  SP_REPORT_FORMAT_HTML,
} SpReportFormat;

gboolean    sp_report_format_from_string (const char      *name,
                                          SpReportFormat  *format);
const char *sp_report_format_to_string   (SpReportFormat   format);
const char *sp_report_format_extension   (SpReportFormat   format);

typedef struct _SpReportWriter SpReportWriter;

SpReportWriter *sp_report_writer_new          (SpReportFormat        format,
                                               GOutputStream        *output,
                                               GCancellable         *cancellable);
SpReportFormat  sp_report_writer_get_format   (SpReportWriter       *writer);
void            sp_report_writer_begin_document (SpReportWriter     *writer,
                                               const char           *title);
void            sp_report_writer_end_document (SpReportWriter       *writer);
void            sp_report_writer_begin_section (SpReportWriter      *writer,
                                               const char           *title);
void            sp_report_writer_begin_subsection (SpReportWriter   *writer,
                                               const char           *title);
void            sp_report_writer_field        (SpReportWriter       *writer,
                                               const char           *label,
                                               const char           *value);
void            sp_report_writer_paragraph    (SpReportWriter       *writer,
                                               const char           *text);
void            sp_report_writer_begin_table  (SpReportWriter       *writer,
                                               guint                 n_columns,
                                               const char * const   *headers,
                                               const guint          *text_widths);
void            sp_report_writer_row          (SpReportWriter       *writer,
                                               const char * const   *cells);
void            sp_report_writer_end_table    (SpReportWriter       *writer);
void            sp_report_writer_raw          (SpReportWriter       *writer,
                                               const char           *text,
                                               gssize                length);
gboolean        sp_report_writer_finish       (SpReportWriter       *writer,
                                               GError              **error);
void            sp_report_writer_free         (SpReportWriter       *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpReportWriter, sp_report_writer_free)

G_END_DECLS
