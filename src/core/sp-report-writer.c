/* sp-report-writer.c: plain text, Markdown and HTML from one description
 *
 * Values come from the sample and are hostile: text output escapes control
 * characters (no terminal escape sequences reach a console), Markdown
 * escapes its syntax, HTML escapes everything and carries no script.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-report-writer"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-report-writer.h"

#define FLUSH_THRESHOLD (64 * 1024)
#define TEXT_LABEL_WIDTH 22
#define MAX_COLUMNS 16

struct _SpReportWriter
{
  SpReportFormat  format;
  GOutputStream  *output;
  GCancellable   *cancellable;
  GString        *buffer;
  GError         *error;
  guint           n_columns;
  guint           widths[MAX_COLUMNS];
  gboolean        in_fields;      /* HTML: inside a <table class="fields"> */
  gboolean        in_section;     /* HTML: inside a <section> */
};

static const struct
{
  const char     *name;
  const char     *extension;
  SpReportFormat  format;
} formats[] = {
  { "text", "txt", SP_REPORT_FORMAT_TEXT },
  { "markdown", "md", SP_REPORT_FORMAT_MARKDOWN },
  { "json", "json", SP_REPORT_FORMAT_JSON },
  { "html", "html", SP_REPORT_FORMAT_HTML },
};

gboolean
sp_report_format_from_string (const char     *name,
                              SpReportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (g_ascii_strcasecmp (name, formats[i].name) == 0 ||
          g_ascii_strcasecmp (name, formats[i].extension) == 0)
        {
          *format = formats[i].format;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
sp_report_format_to_string (SpReportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].name;
  g_return_val_if_reached (NULL);
}

const char *
sp_report_format_extension (SpReportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].extension;
  g_return_val_if_reached (NULL);
}

SpReportWriter *
sp_report_writer_new (SpReportFormat  format,
                      GOutputStream  *output,
                      GCancellable   *cancellable)
{
  SpReportWriter *writer;

  g_return_val_if_fail (format != SP_REPORT_FORMAT_JSON, NULL);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), NULL);

  writer = g_new0 (SpReportWriter, 1);
  writer->format = format;
  writer->output = g_object_ref (output);
  writer->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  writer->buffer = g_string_sized_new (FLUSH_THRESHOLD + 4096);
  return writer;
}

SpReportFormat
sp_report_writer_get_format (SpReportWriter *writer)
{
  return writer->format;
}

static void
flush (SpReportWriter *writer)
{
  if (writer->error == NULL && writer->buffer->len > 0)
    g_output_stream_write_all (writer->output, writer->buffer->str, writer->buffer->len,
                               NULL, writer->cancellable, &writer->error);
  g_string_truncate (writer->buffer, 0);
}

static void
maybe_flush (SpReportWriter *writer)
{
  if (writer->buffer->len >= FLUSH_THRESHOLD)
    flush (writer);
}

static void
append (SpReportWriter *writer,
        const char     *text)
{
  g_string_append (writer->buffer, text);
}

/* Replaces invalid UTF-8 with U+FFFD so that every output format stays valid text. */
static char *
make_valid (const char *value)
{
  return g_utf8_make_valid (value != NULL ? value : "", -1);
}

static void
append_text_escaped (GString    *out,
                     const char *value)
{
  g_autofree char *valid = make_valid (value);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }
}

static void
append_markdown_escaped (GString    *out,
                         const char *value)
{
  g_autofree char *valid = make_valid (value);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c == '&')
        g_string_append (out, "&amp;");
      else if (c < 0x80 && strchr ("\\`*_{}[]()<>#+-!|~", (int) c) != NULL)
        g_string_append_printf (out, "\\%c", (char) c);
      else
        g_string_append_unichar (out, c);
    }
}

static void
append_html_escaped (GString    *out,
                     const char *value)
{
  g_autofree char *valid = make_valid (value);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default:
          if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0))
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_unichar (out, c);
        }
    }
}

static void
append_escaped (SpReportWriter *writer,
                const char     *value)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_MARKDOWN:
      append_markdown_escaped (writer->buffer, value);
      break;
    case SP_REPORT_FORMAT_HTML:
      append_html_escaped (writer->buffer, value);
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      append_text_escaped (writer->buffer, value);
      break;
    }
}

static void
close_html_fields (SpReportWriter *writer)
{
  if (writer->in_fields)
    {
      append (writer, "</table>\n");
      writer->in_fields = FALSE;
    }
}

static const char html_style[] =
  "body{font-family:system-ui,'Cantarell','Noto Sans',sans-serif;max-width:72rem;margin:2rem auto;"
  "padding:0 1rem;color:#1e1e1e;background:#fafafa;line-height:1.45}"
  "h1{font-size:1.6rem;border-bottom:2px solid #3584e4;padding-bottom:.3rem}"
  "h2{font-size:1.25rem;margin-top:2rem;color:#1a5fb4}h3{font-size:1.05rem}"
  "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}"
  "td,th{border:1px solid #d0d0d0;padding:.25rem .5rem;text-align:left;vertical-align:top}"
  "th{background:#ebebeb}table.fields td:first-child{font-weight:600;white-space:nowrap}"
  "td{font-family:'Source Code Pro',monospace;word-break:break-all}"
  "table.fields td:first-child{font-family:inherit}"
  "footer{margin-top:3rem;color:#6e6e6e;font-size:.85rem}"
  "@media (prefers-color-scheme:dark){body{background:#242424;color:#eee}th{background:#363636}"
  "td,th{border-color:#4a4a4a}h2{color:#78aeed}}";

void
sp_report_writer_begin_document (SpReportWriter *writer,
                                 const char     *title)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      append (writer, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'\">\n<title>");
      append_escaped (writer, title);
      append (writer, "</title>\n<style>");
      append (writer, html_style);
      append (writer, "</style>\n</head>\n<body>\n<h1>");
      append_escaped (writer, title);
      append (writer, "</h1>\n");
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, "# ");
      append_escaped (writer, title);
      append (writer, "\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      {
        g_autoptr(GString) line = g_string_new (NULL);
        append_text_escaped (line, title);
        append (writer, line->str);
        append (writer, "\n");
        for (glong i = g_utf8_strlen (line->str, -1); i > 0; i--)
          append (writer, "=");
        append (writer, "\n");
      }
      break;
    }
  maybe_flush (writer);
}

void
sp_report_writer_end_document (SpReportWriter *writer)
{
  if (writer->format == SP_REPORT_FORMAT_HTML)
    {
      g_autofree char *footer = g_strdup_printf (_("Generated by Specimen %s"), PACKAGE_VERSION);

      close_html_fields (writer);
      if (writer->in_section)
        append (writer, "</section>\n");
      writer->in_section = FALSE;
      append (writer, "<footer>");
      append_escaped (writer, footer);
      append (writer, "</footer>\n</body>\n</html>\n");
    }
  flush (writer);
}

static void
heading (SpReportWriter *writer,
         const char     *title,
         guint           level)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      close_html_fields (writer);
      if (level == 2)
        {
          if (writer->in_section)
            append (writer, "</section>\n");
          append (writer, "<section>\n");
          writer->in_section = TRUE;
        }
      g_string_append_printf (writer->buffer, "<h%u>", level);
      append_escaped (writer, title);
      g_string_append_printf (writer->buffer, "</h%u>\n", level);
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, level == 2 ? "\n## " : "\n### ");
      append_escaped (writer, title);
      append (writer, "\n\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      append (writer, level == 2 ? "\n[ " : "\n  -- ");
      append_escaped (writer, title);
      append (writer, level == 2 ? " ]\n" : " --\n");
      break;
    }
  maybe_flush (writer);
}

void
sp_report_writer_begin_section (SpReportWriter *writer,
                                const char     *title)
{
  heading (writer, title, 2);
}

void
sp_report_writer_begin_subsection (SpReportWriter *writer,
                                   const char     *title)
{
  heading (writer, title, 3);
}

void
sp_report_writer_field (SpReportWriter *writer,
                        const char     *label,
                        const char     *value)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      if (!writer->in_fields)
        {
          append (writer, "<table class=\"fields\">\n");
          writer->in_fields = TRUE;
        }
      append (writer, "<tr><td>");
      append_escaped (writer, label);
      append (writer, "</td><td>");
      append_escaped (writer, value);
      append (writer, "</td></tr>\n");
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, "- **");
      append_escaped (writer, label);
      append (writer, ":** ");
      append_escaped (writer, value);
      append (writer, "\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      {
        g_autoptr(GString) text = g_string_new ("  ");
        append_text_escaped (text, label);
        g_string_append_c (text, ':');
        for (glong pad = TEXT_LABEL_WIDTH - g_utf8_strlen (text->str, -1); pad > 0; pad--)
          g_string_append_c (text, ' ');
        g_string_append_c (text, ' ');
        append_text_escaped (text, value);
        append (writer, text->str);
        append (writer, "\n");
      }
      break;
    }
  maybe_flush (writer);
}

void
sp_report_writer_paragraph (SpReportWriter *writer,
                            const char     *text)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      close_html_fields (writer);
      append (writer, "<p>");
      append_escaped (writer, text);
      append (writer, "</p>\n");
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, "\n");
      append_escaped (writer, text);
      append (writer, "\n\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      append (writer, "  ");
      append_escaped (writer, text);
      append (writer, "\n");
      break;
    }
  maybe_flush (writer);
}

static void
append_text_cells (SpReportWriter     *writer,
                   const char * const *cells)
{
  g_autoptr(GString) line = g_string_new ("  ");

  for (guint i = 0; i < writer->n_columns; i++)
    {
      gsize start = line->len;
      glong width;

      append_text_escaped (line, cells[i] != NULL ? cells[i] : "");
      if (i + 1 == writer->n_columns)
        break;
      width = g_utf8_strlen (line->str + start, -1);
      for (glong pad = (glong) writer->widths[i] - width; pad > 0; pad--)
        g_string_append_c (line, ' ');
      g_string_append (line, "  ");
    }
  append (writer, line->str);
  append (writer, "\n");
}

static void
append_row_cells (SpReportWriter     *writer,
                  const char * const *cells,
                  const char         *open_cell,
                  const char         *close_cell)
{
  for (guint i = 0; i < writer->n_columns; i++)
    {
      append (writer, open_cell);
      append_escaped (writer, cells[i] != NULL ? cells[i] : "");
      append (writer, close_cell);
    }
}

/**
 * sp_report_writer_begin_table:
 * @text_widths: (nullable): minimum column widths for plain text; the
 *   headers' widths otherwise. Rows are streamed, so wider cells are not
 *   measured ahead.
 */
void
sp_report_writer_begin_table (SpReportWriter     *writer,
                              guint               n_columns,
                              const char * const *headers,
                              const guint        *text_widths)
{
  g_return_if_fail (n_columns > 0 && n_columns <= MAX_COLUMNS);

  writer->n_columns = n_columns;
  for (guint i = 0; i < n_columns; i++)
    {
      guint header_width = (guint) g_utf8_strlen (headers[i], -1);
      writer->widths[i] = MAX (header_width, text_widths != NULL ? text_widths[i] : 0);
    }

  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      close_html_fields (writer);
      append (writer, "<table>\n<thead><tr>");
      append_row_cells (writer, headers, "<th>", "</th>");
      append (writer, "</tr></thead>\n<tbody>\n");
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, "\n|");
      append_row_cells (writer, headers, " ", " |");
      append (writer, "\n|");
      for (guint i = 0; i < n_columns; i++)
        append (writer, "---|");
      append (writer, "\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      append_text_cells (writer, headers);
      {
        g_autoptr(GString) rule = g_string_new ("  ");
        for (guint i = 0; i < n_columns; i++)
          {
            for (guint w = 0; w < writer->widths[i]; w++)
              g_string_append_c (rule, '-');
            if (i + 1 < n_columns)
              g_string_append (rule, "  ");
          }
        append (writer, rule->str);
        append (writer, "\n");
      }
      break;
    }
  maybe_flush (writer);
}

void
sp_report_writer_row (SpReportWriter     *writer,
                      const char * const *cells)
{
  switch (writer->format)
    {
    case SP_REPORT_FORMAT_HTML:
      append (writer, "<tr>");
      append_row_cells (writer, cells, "<td>", "</td>");
      append (writer, "</tr>\n");
      break;
    case SP_REPORT_FORMAT_MARKDOWN:
      append (writer, "|");
      append_row_cells (writer, cells, " ", " |");
      append (writer, "\n");
      break;
    case SP_REPORT_FORMAT_TEXT:
    case SP_REPORT_FORMAT_JSON:
    default:
      append_text_cells (writer, cells);
      break;
    }
  maybe_flush (writer);
}

void
sp_report_writer_end_table (SpReportWriter *writer)
{
  if (writer->format == SP_REPORT_FORMAT_HTML)
    append (writer, "</tbody>\n</table>\n");
  else if (writer->format == SP_REPORT_FORMAT_MARKDOWN)
    append (writer, "\n");
  writer->n_columns = 0;
  maybe_flush (writer);
}

/**
 * sp_report_writer_raw:
 *
 * Appends @text unescaped: only for text the caller made, never for values.
 */
void
sp_report_writer_raw (SpReportWriter *writer,
                      const char     *text,
                      gssize          length)
{
  g_string_append_len (writer->buffer, text, length);
  maybe_flush (writer);
}

/**
 * sp_report_writer_finish:
 *
 * Flushes what is buffered.
 *
 * Returns: %FALSE with the first write error if any write failed
 */
gboolean
sp_report_writer_finish (SpReportWriter  *writer,
                         GError         **error)
{
  flush (writer);
  if (writer->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&writer->error));
      return FALSE;
    }
  return TRUE;
}

void
sp_report_writer_free (SpReportWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_error (&writer->error);
  g_string_free (writer->buffer, TRUE);
  g_clear_object (&writer->output);
  g_clear_object (&writer->cancellable);
  g_free (writer);
}
