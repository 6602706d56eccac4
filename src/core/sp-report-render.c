/* sp-report-render.c: a report as text, Markdown or HTML
 *
 * Each JSON section has a title and a render function; modules that own a
 * section (file type, PE, ELF, BMP, image) render it themselves.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-report-render"

#include <glib/gi18n.h>

#include "sp-bmp.h"
#include "sp-digests.h"
#include "sp-elf.h"
#include "sp-file-type.h"
#include "sp-image.h"
#include "sp-parsers-private.h"
#include "sp-pe.h"
#include "sp-report-private.h"

typedef void (*SectionRenderFunc) (JsonObject     *section,
                                   SpReportWriter *writer);

static void render_file_section    (JsonObject *section, SpReportWriter *writer);
static void render_hashes_section  (JsonObject *section, SpReportWriter *writer);
static void render_entropy_section (JsonObject *section, SpReportWriter *writer);

static const struct
{
  const char        *name;
  const char        *title;
  SectionRenderFunc  render;
} section_renderers[] = {
  { "file", N_("Basic information"), render_file_section },
  { "type", N_("File type"), sp_file_type_render },
  { "hashes", N_("Hashes"), render_hashes_section },
  { "entropy", N_("Entropy"), render_entropy_section },
  { "pe", N_("PE headers"), sp_pe_render },
  { "elf", N_("ELF headers"), sp_elf_render },
  { "bmp", N_("BMP headers"), sp_bmp_render },
  { "image", N_("Image"), sp_image_render },
};

static void
render_file_section (JsonObject     *section,
                     SpReportWriter *writer)
{
  JsonNode *size = json_object_get_member (section, "size");
  const char *permissions = sp_json_get_string (section, "permissions");
  const char *owner = sp_json_get_string (section, "owner");

  sp_render_field_string (writer, _("Name"), section, "name");
  sp_render_field_string (writer, _("Path"), section, "path");
  if (size != NULL && json_node_get_value_type (size) == G_TYPE_INT64)
    {
      g_autofree char *text = sp_format_size ((guint64) json_node_get_int (size));
      sp_report_writer_field (writer, _("Size"), text);
    }
  sp_render_field_string (writer, _("Modified"), section, "modified");
  sp_render_field_string (writer, _("Accessed"), section, "accessed");
  sp_render_field_string (writer, _("Changed"), section, "changed");
  if (permissions != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", permissions,
                                               sp_json_get_string (section, "mode") ?: "?");
      sp_report_writer_field (writer, _("Permissions"), text);
    }
  if (owner != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s:%s", owner,
                                               sp_json_get_string (section, "group") ?: "?");
      sp_report_writer_field (writer, _("Owner"), text);
    }
}

static void
render_hashes_section (JsonObject     *section,
                       SpReportWriter *writer)
{
  static const char * const labels[SP_N_DIGESTS] = { "MD5", "SHA-1", "SHA-256", "SHA-512" };

  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    sp_render_field_string (writer, labels[kind], section, sp_digest_kind_get_id (kind));
}

/* A block entropy as the plots use it: a report read back from a file may hold
 * anything there (an object, inf, NaN; converting the last two to int is
 * undefined), found by tests/fuzz/fuzz-report-json. */
static double
block_entropy (JsonArray *blocks,
               guint      index)
{
  JsonNode *node = json_array_get_element (blocks, index);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0.0;
  value = json_node_get_double (node);
  return value > 0.0 ? MIN (value, 8.0) : 0.0;
}

/* A one-line plot of the block entropies, for text and Markdown. */
static char *
make_sparkline (JsonArray *blocks,
                guint      width)
{
  static const char * const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
  guint n = json_array_get_length (blocks);
  GString *line = g_string_new (NULL);

  width = MIN (width, n);
  for (guint column = 0; column < width; column++)
    {
      guint first = (guint) ((guint64) column * n / width);
      guint last = (guint) ((guint64) (column + 1) * n / width);
      double peak = 0.0;

      for (guint i = first; i < last; i++)
        peak = MAX (peak, block_entropy (blocks, i));
      g_string_append (line, bars[CLAMP ((int) (peak / 8.0 * 7.999), 0, 7)]);
    }
  return g_string_free (line, FALSE);
}

/* An inline SVG polyline for HTML: numbers we computed, no sample text. */
static void
write_entropy_svg (SpReportWriter *writer,
                   JsonArray      *blocks)
{
  guint n = json_array_get_length (blocks);
  g_autoptr(GString) svg = g_string_new (NULL);

  if (n == 0)
    return;
  g_string_append (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 128\" "
                        "width=\"100%\" height=\"128\" preserveAspectRatio=\"none\" role=\"img\">"
                        "<rect width=\"512\" height=\"128\" fill=\"none\" stroke=\"#888\"/>"
                        "<polyline fill=\"none\" stroke=\"#3584e4\" stroke-width=\"1.5\" points=\"");
  for (guint i = 0; i < n; i++)
    {
      double x = n > 1 ? (double) i * 512.0 / (double) (n - 1) : 256.0;
      double y = 128.0 - block_entropy (blocks, i) / 8.0 * 124.0 - 2.0;
      char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (svg, "%s%s,%s", i == 0 ? "" : " ",
                              g_ascii_formatd (xs, sizeof xs, "%.1f", x),
                              g_ascii_formatd (ys, sizeof ys, "%.1f", y));
    }
  g_string_append (svg, "\"/></svg>\n");
  sp_report_writer_raw (writer, svg->str, (gssize) svg->len);
}

static void
render_entropy_section (JsonObject     *section,
                        SpReportWriter *writer)
{
  JsonNode *overall = json_object_get_member (section, "overall");
  JsonNode *blocks = json_object_get_member (section, "blocks");
  JsonNode *block_size = json_object_get_member (section, "block_size");

  if (overall != NULL && JSON_NODE_HOLDS_VALUE (overall))
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *value = NULL;

      g_ascii_formatd (text, sizeof text, "%.4f", json_node_get_double (overall));
      value = g_strdup_printf (_("%s bits per byte"), text);
      sp_report_writer_field (writer, _("Overall"), value);
    }
  sp_render_field_string (writer, _("Reading"), section, "reading");
  if (block_size != NULL && json_node_get_value_type (block_size) == G_TYPE_INT64)
    {
      g_autofree char *value = g_format_size_full ((guint64) json_node_get_int (block_size),
                                                   G_FORMAT_SIZE_IEC_UNITS);
      sp_report_writer_field (writer, _("Block size"), value);
    }
  if (blocks == NULL || !JSON_NODE_HOLDS_ARRAY (blocks) ||
      json_array_get_length (json_node_get_array (blocks)) == 0)
    return;

  if (sp_report_writer_get_format (writer) == SP_REPORT_FORMAT_HTML)
    write_entropy_svg (writer, json_node_get_array (blocks));
  else
    {
      g_autofree char *line = make_sparkline (json_node_get_array (blocks), 64);
      sp_report_writer_field (writer, _("Profile"), line);
    }
}

static void
render_iocs (SpIocSet       *iocs,
             SpReportWriter *writer)
{
  const char *headers[] = { _("Category"), _("Indicator (defanged)"), _("Count"),
                            _("First offset"), _("Tags") };
  const guint widths[] = { 9, 40, 5, 12, 0 };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (iocs));

  if (n == 0)
    {
      sp_report_writer_paragraph (writer, _("No indicators found."));
      return;
    }
  sp_report_writer_paragraph (writer, _("Indicators are defanged for safe sharing; the JSON "
                                        "report also has their original values."));
  sp_report_writer_begin_table (writer, G_N_ELEMENTS (headers), headers, widths);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (iocs), i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, sp_ioc_get_count (ioc));
      g_autofree char *offset = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x",
                                                 sp_ioc_get_first_offset (ioc));
      g_autofree char *tags = g_strjoinv (", ", (char **) sp_ioc_get_tags (ioc));
      const char *cells[] = { sp_ioc_category_to_id (sp_ioc_get_category (ioc)), defanged,
                              count, offset, tags };

      sp_report_writer_row (writer, cells);
    }
  sp_report_writer_end_table (writer);
}

static void
render_strings (SpReport              *report,
                const SpReportOptions *options,
                SpReportWriter        *writer)
{
  SpStringTable *strings = sp_report_get_strings (report);
  guint count = sp_string_table_get_count (strings);
  guint n_items = sp_report_strings_to_write (report, options);
  const char *headers[] = { _("Offset"), _("Encoding"), _("Text") };
  const guint widths[] = { 8, 8, 0 };
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autofree char *min_text = g_strdup_printf ("%u", sp_string_table_get_min_length (strings));
  g_autoptr(SpStringTableReader) reader = NULL;

  sp_report_writer_field (writer, _("Count"), count_text);
  sp_report_writer_field (writer, _("Minimum length"), min_text);
  if (n_items == 0)
    return;
  if (n_items < count)
    {
      g_autofree char *note = g_strdup_printf (_("Showing the first %u strings."), n_items);
      sp_report_writer_paragraph (writer, note);
    }
  reader = sp_string_table_reader_new (strings);
  sp_report_writer_begin_table (writer, G_N_ELEMENTS (headers), headers, widths);
  for (guint i = 0; i < n_items; i++)
    {
      SpStringRecord record;
      char offset[24];
      const char *text;
      const char *cells[3];

      if (!sp_string_table_reader_next (reader, &record, &text, NULL))
        break;
      g_snprintf (offset, sizeof offset, "%" G_GINT64_MODIFIER "x", record.offset);
      cells[0] = offset;
      cells[1] = sp_string_encoding_to_id (record.encoding);
      cells[2] = text != NULL ? text : "";
      sp_report_writer_row (writer, cells);
    }
  sp_report_writer_end_table (writer);
}

static void
render_section (SpReport       *report,
                const char     *name,
                SpReportWriter *writer)
{
  JsonObject *section = sp_report_get_section (report, name);

  if (section == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (section_renderers); i++)
    {
      if (g_strcmp0 (section_renderers[i].name, name) == 0)
        {
          sp_report_writer_begin_section (writer, _(section_renderers[i].title));
          section_renderers[i].render (section, writer);
          return;
        }
    }
}

gboolean
sp_report_write_human (SpReport              *self,
                       SpReportFormat         format,
                       const SpReportOptions *options,
                       GOutputStream         *output,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(SpReportWriter) writer = sp_report_writer_new (format, output, cancellable);
  g_autofree char *title = g_strdup_printf (_("Specimen report: %s"), sp_report_get_title (self));

  sp_report_writer_begin_document (writer, title);
  for (guint i = 0; sp_report_section_order[i] != NULL; i++)
    render_section (self, sp_report_section_order[i], writer);
  if (sp_report_get_iocs (self) != NULL)
    {
      sp_report_writer_begin_section (writer, _("Indicators of compromise"));
      render_iocs (sp_report_get_iocs (self), writer);
    }
  if (sp_report_get_strings (self) != NULL)
    {
      sp_report_writer_begin_section (writer, _("Strings"));
      render_strings (self, options, writer);
    }
  sp_report_writer_end_document (writer);

  if (!sp_report_writer_finish (writer, error))
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
