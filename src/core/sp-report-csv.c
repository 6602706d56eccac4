/* sp-report-csv.c: the indicator and string tables as CSV
 *
 * Rows are built in a small buffer that is flushed every 64 KiB, so a
 * table of ten million strings streams through in constant memory.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-report-csv"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-report-csv.h"
#include "sp-save.h"

#define FLUSH_THRESHOLD (64 * 1024)
/* How often a long export looks at its GCancellable. */
#define ROWS_PER_CANCEL_CHECK 1024

typedef struct
{
  GOutputStream *output;
  GCancellable  *cancellable;
  GString       *buffer;
  GError        *error;
  guint          n_cells;
} CsvWriter;

/**
 * sp_report_csv_table_from_string:
 * @name: "iocs" or "strings"
 * @table: (out): the table
 *
 * Returns: %TRUE if @name names a table
 */
gboolean
sp_report_csv_table_from_string (const char       *name,
                                 SpReportCsvTable *table)
{
  if (g_strcmp0 (name, "iocs") == 0)
    *table = SP_REPORT_CSV_IOCS;
  else if (g_strcmp0 (name, "strings") == 0)
    *table = SP_REPORT_CSV_STRINGS;
  else
    return FALSE;

  return TRUE;
}

/**
 * sp_report_csv_table_to_string:
 * @table: a table
 *
 * Returns: "iocs" or "strings"
 */
const char *
sp_report_csv_table_to_string (SpReportCsvTable table)
{
  return table == SP_REPORT_CSV_STRINGS ? "strings" : "iocs";
}

static gboolean
needs_defusing (const char *value)
{
  /* What Excel, LibreOffice and Google Sheets start a formula (or DDE) with. */
  return value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@'
         || value[0] == '\t' || value[0] == '\r';
}

static void
append_cell (GString    *out,
             const char *value,
             gboolean    defuse)
{
  g_autofree char *valid = NULL;
  const char *p;

  if (value == NULL)
    value = "";
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      if (defuse && needs_defusing (value))
        g_string_append_c (out, '\'');
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  if (defuse && needs_defusing (value))
    g_string_append_c (out, '\'');
  for (p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * sp_csv_escape_cell:
 * @value: (nullable): cell text (invalid UTF-8 is repaired)
 * @defuse: prefix an apostrophe if the text could start a spreadsheet formula
 *
 * Returns: (transfer full): @value as one RFC 4180 field
 */
char *
sp_csv_escape_cell (const char *value,
                    gboolean    defuse)
{
  GString *out = g_string_new (NULL);

  append_cell (out, value, defuse);

  return g_string_free (out, FALSE);
}

static void
csv_flush (CsvWriter *writer)
{
  if (writer->error != NULL || writer->buffer->len == 0)
    return;

  g_output_stream_write_all (writer->output, writer->buffer->str, writer->buffer->len, NULL,
                             writer->cancellable, &writer->error);
  g_string_truncate (writer->buffer, 0);
}

static void
csv_cell (CsvWriter  *writer,
          const char *value,
          gboolean    defuse)
{
  if (writer->n_cells++ > 0)
    g_string_append_c (writer->buffer, ',');
  append_cell (writer->buffer, value, defuse);
}

static void
csv_number (CsvWriter *writer,
            guint64    value)
{
  if (writer->n_cells++ > 0)
    g_string_append_c (writer->buffer, ',');
  g_string_append_printf (writer->buffer, "%" G_GUINT64_FORMAT, value);
}

static void
csv_end_row (CsvWriter *writer)
{
  g_string_append (writer->buffer, "\r\n");
  writer->n_cells = 0;
  if (writer->buffer->len >= FLUSH_THRESHOLD)
    csv_flush (writer);
}

static void
csv_header (CsvWriter          *writer,
            const char * const *names)
{
  guint i;

  for (i = 0; names[i] != NULL; i++)
    csv_cell (writer, names[i], FALSE);
  csv_end_row (writer);
}

static gboolean
csv_should_stop (CsvWriter *writer,
                 guint      row)
{
  if (writer->error != NULL)
    return TRUE;
  if (row % ROWS_PER_CANCEL_CHECK == 0)
    g_cancellable_set_error_if_cancelled (writer->cancellable, &writer->error);

  return writer->error != NULL;
}

static gboolean
csv_finish (CsvWriter  *writer,
            GError    **error)
{
  if (writer->error == NULL)
    g_cancellable_set_error_if_cancelled (writer->cancellable, &writer->error);
  csv_flush (writer);
  g_string_free (writer->buffer, TRUE);
  writer->buffer = NULL;

  if (writer->error != NULL)
    {
      g_propagate_error (error, writer->error);
      writer->error = NULL;
      return FALSE;
    }

  return TRUE;
}

static void
csv_init (CsvWriter     *writer,
          GOutputStream *output,
          GCancellable  *cancellable)
{
  memset (writer, 0, sizeof *writer);
  writer->output = output;
  writer->cancellable = cancellable;
  writer->buffer = g_string_sized_new (FLUSH_THRESHOLD + 4096);
}

/**
 * sp_report_csv_write_iocs:
 * @iocs: (nullable): the indicators (%NULL writes only the header)
 * @output: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Columns: category (id such as "url"), value, defanged, count,
 * first_offset (decimal), offsets (the kept offsets, decimal, separated by
 * spaces), tags (separated by ";").
 *
 * Returns: %TRUE on success
 */
gboolean
sp_report_csv_write_iocs (SpIocSet       *iocs,
                          GOutputStream  *output,
                          GCancellable   *cancellable,
                          GError        **error)
{
  static const char * const columns[] = {
    "category", "value", "defanged", "count", "first_offset", "offsets", "tags", NULL
  };
  g_autoptr(GString) offsets = g_string_new (NULL);
  CsvWriter writer;
  guint n_items;
  guint i;

  g_return_val_if_fail (iocs == NULL || SP_IS_IOC_SET (iocs), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  csv_init (&writer, output, cancellable);
  csv_header (&writer, columns);

  n_items = iocs != NULL ? g_list_model_get_n_items (G_LIST_MODEL (iocs)) : 0;
  for (i = 0; i < n_items && !csv_should_stop (&writer, i); i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (iocs), i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);
      g_autofree char *tags = NULL;
      const guint64 *kept;
      guint n_kept = 0;
      guint k;

      kept = sp_ioc_get_offsets (ioc, &n_kept);
      g_string_truncate (offsets, 0);
      for (k = 0; k < n_kept; k++)
        g_string_append_printf (offsets, k > 0 ? " %" G_GUINT64_FORMAT : "%" G_GUINT64_FORMAT,
                                kept[k]);
      tags = g_strjoinv (";", (char **) sp_ioc_get_tags (ioc));

      csv_cell (&writer, sp_ioc_category_to_id (sp_ioc_get_category (ioc)), FALSE);
      csv_cell (&writer, sp_ioc_get_value (ioc), TRUE);
      csv_cell (&writer, defanged, TRUE);
      csv_number (&writer, sp_ioc_get_count (ioc));
      csv_number (&writer, sp_ioc_get_first_offset (ioc));
      csv_cell (&writer, offsets->str, FALSE);
      csv_cell (&writer, tags, TRUE);
      csv_end_row (&writer);
    }

  return csv_finish (&writer, error);
}

/**
 * sp_report_csv_write_strings:
 * @strings: (nullable): the strings (%NULL writes only the header)
 * @max_strings: -1 for all rows, 0 for none, N for the first N
 * @output: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Columns: offset (decimal), encoding ("ascii" or "utf-16le"), length (in
 * characters), text (UTF-8). A live table reads each text back from its
 * sample; if that fails (the file changed), the export fails rather than
 * write a silently incomplete table.
 *
 * Returns: %TRUE on success
 */
gboolean
sp_report_csv_write_strings (SpStringTable  *strings,
                             gint64          max_strings,
                             GOutputStream  *output,
                             GCancellable   *cancellable,
                             GError        **error)
{
  static const char * const columns[] = { "offset", "encoding", "length", "text", NULL };
  g_autoptr(SpStringTableReader) reader = NULL;
  CsvWriter writer;
  guint n_rows;
  guint i;

  g_return_val_if_fail (strings == NULL || SP_IS_STRING_TABLE (strings), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  csv_init (&writer, output, cancellable);
  csv_header (&writer, columns);

  n_rows = strings != NULL ? sp_string_table_get_count (strings) : 0;
  if (max_strings >= 0 && (guint64) max_strings < n_rows)
    n_rows = (guint) max_strings;

  if (n_rows > 0)
    reader = sp_string_table_reader_new (strings);
  for (i = 0; i < n_rows && !csv_should_stop (&writer, i); i++)
    {
      const char *text = NULL;
      SpStringRecord record;

      if (!sp_string_table_reader_next (reader, &record, &text, NULL) || text == NULL)
        {
          g_set_error (&writer.error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("String %u (of %u) could not be read back from the sample; it may "
                         "have changed since the analysis."), i + 1, n_rows);
          break;
        }

      csv_number (&writer, record.offset);
      csv_cell (&writer, sp_string_encoding_to_id (record.encoding), FALSE);
      csv_number (&writer, (guint64) g_utf8_strlen (text, -1));
      csv_cell (&writer, text, TRUE);
      csv_end_row (&writer);
    }

  return csv_finish (&writer, error);
}

/**
 * sp_report_csv_write:
 * @report: a report
 * @table: which table
 * @options: (nullable): report options (max_strings applies to the string table)
 * @output: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
sp_report_csv_write (SpReport               *report,
                     SpReportCsvTable        table,
                     const SpReportOptions  *options,
                     GOutputStream          *output,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_return_val_if_fail (SP_IS_REPORT (report), FALSE);

  if (table == SP_REPORT_CSV_STRINGS)
    return sp_report_csv_write_strings (sp_report_get_strings (report),
                                        options != NULL ? options->max_strings : -1,
                                        output, cancellable, error);

  return sp_report_csv_write_iocs (sp_report_get_iocs (report), output, cancellable, error);
}

typedef struct
{
  SpReport              *report;
  SpReportCsvTable       table;
  const SpReportOptions *options;
} CsvSaveData;

static gboolean
write_csv (GOutputStream  *output,
           gpointer        user_data,
           GCancellable   *cancellable,
           GError        **error)
{
  CsvSaveData *data = user_data;

  return sp_report_csv_write (data->report, data->table, data->options, output, cancellable,
                              error);
}

/**
 * sp_report_csv_save:
 * @report: a report
 * @table: which table
 * @options: (nullable): report options
 * @file: destination
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the table to @file atomically: an existing file is only replaced
 * once the whole table is written, and a failed or cancelled export leaves
 * no file behind.
 *
 * Returns: %TRUE on success
 */
gboolean
sp_report_csv_save (SpReport               *report,
                    SpReportCsvTable        table,
                    const SpReportOptions  *options,
                    GFile                  *file,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  CsvSaveData data = { report, table, options };

  g_return_val_if_fail (SP_IS_REPORT (report), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (sp_save_file (file, SP_SAVE_REPLACE, write_csv, &data, cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  name = g_file_get_parse_name (file);
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                              _("Cannot write the CSV file “%s”: "), name);

  return FALSE;
}
