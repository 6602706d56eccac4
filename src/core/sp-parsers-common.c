/* sp-parsers-common.c: helpers the PE, ELF and BMP parsers share */
#include "config.h"
#define G_LOG_DOMAIN "sp-parsers"

#include <glib/gi18n.h>

#include "sp-entropy.h"
#include "sp-parsers-private.h"

void
sp_warnings_init (SpWarnings *warnings)
{
  warnings->messages = g_ptr_array_new_with_free_func (g_free);
  warnings->dropped = 0;
}

void
sp_warnings_add (SpWarnings *warnings,
                 const char *format,
                 ...)
{
  va_list args;

  if (warnings->messages->len >= SP_PARSER_MAX_WARNINGS)
    {
      warnings->dropped++;
      return;
    }
  va_start (args, format);
  g_ptr_array_add (warnings->messages, g_strdup_vprintf (format, args));
  va_end (args);
}

/**
 * sp_warnings_steal_json:
 *
 * Returns: (transfer full): the warnings as a JSON array of strings, with a
 * last line counting the ones left out; @warnings is empty afterwards.
 */
JsonArray *
sp_warnings_steal_json (SpWarnings *warnings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < warnings->messages->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (warnings->messages, i));
  if (warnings->dropped > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u further warning was left out.",
                                                            "%u further warnings were left out.",
                                                            warnings->dropped),
                                               warnings->dropped);
      json_array_add_string_element (array, text);
    }
  g_ptr_array_set_size (warnings->messages, 0);
  warnings->dropped = 0;
  return array;
}

void
sp_warnings_clear (SpWarnings *warnings)
{
  g_clear_pointer (&warnings->messages, g_ptr_array_unref);
}

/* Entropy of sections and segments may read at most twice the file plus a
 * little; a header that points many entries at the same huge range then
 * costs a bounded amount of I/O instead of size times count. */
void
sp_entropy_budget_init (SpEntropyBudget *budget,
                        SpSample        *sample,
                        GCancellable    *cancellable)
{
  guint64 size = sp_sample_get_size (sample);

  budget->sample = sample;
  budget->cancellable = cancellable;
  budget->remaining = size > G_MAXUINT64 / 4 ? G_MAXUINT64 / 2 : 2 * size + 16 * 1024 * 1024;
}

/**
 * sp_entropy_budget_measure:
 *
 * Measures the entropy of a range already clipped to the file. Returns
 * %FALSE (and leaves @bits_per_byte alone) when the budget is spent, the
 * job was cancelled or the read failed.
 */
gboolean
sp_entropy_budget_measure (SpEntropyBudget *budget,
                           guint64          offset,
                           guint64          length,
                           double          *bits_per_byte)
{
  guint64 end;

  if (g_cancellable_is_cancelled (budget->cancellable))
    return FALSE;
  if (!sp_checked_add (offset, length, &end) || end > sp_sample_get_size (budget->sample))
    return FALSE;
  if (length > budget->remaining)
    return FALSE;
  budget->remaining -= length;
  if (length == 0)
    {
      *bits_per_byte = 0.0;
      return TRUE;
    }
  return sp_entropy_of_range (budget->sample, offset, length, bits_per_byte, NULL);
}

/**
 * sp_parser_printable:
 *
 * Returns: (transfer full): @data as UTF-8 text: printable ASCII is kept,
 * every other byte is written as \xNN, so names from hostile headers are
 * always valid, visible text.
 */
char *
sp_parser_printable (const guint8 *data,
                     gsize         length)
{
  GString *text = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
        g_string_append_c (text, (char) data[i]);
      else if (data[i] == '\\')
        g_string_append (text, "\\\\");
      else
        g_string_append_printf (text, "\\x%02x", data[i]);
    }
  return g_string_free (text, FALSE);
}

/**
 * sp_parser_utf16le_to_utf8:
 * @max_units: the most UTF-16 code units to read
 * @end_offset: (out) (optional): the offset just past the terminating NUL,
 *   or past the last unit read when there was none
 *
 * Decodes a NUL-terminated UTF-16LE string; unpaired surrogates become
 * U+FFFD instead of failing.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @offset is
 * outside @span
 */
char *
sp_parser_utf16le_to_utf8 (const SpSpan *span,
                           guint64       offset,
                           gsize         max_units,
                           guint64      *end_offset)
{
  GString *text;
  guint64 pos = offset;
  guint16 unit;

  if (!sp_span_contains (span, offset, 0) || offset >= span->size)
    return NULL;

  text = g_string_new (NULL);
  for (gsize i = 0; i < max_units && sp_span_read_u16_le (span, pos, &unit); i++)
    {
      pos += 2;
      if (unit == 0)
        break;
      if (unit >= 0xd800 && unit < 0xdc00)
        {
          guint16 low;

          if (sp_span_read_u16_le (span, pos, &low) && low >= 0xdc00 && low < 0xe000)
            {
              pos += 2;
              i++;
              g_string_append_unichar (text, 0x10000 + (((gunichar) unit - 0xd800) << 10) +
                                               ((gunichar) low - 0xdc00));
              continue;
            }
          g_string_append_unichar (text, 0xfffd);
        }
      else if (unit >= 0xdc00 && unit < 0xe000)
        g_string_append_unichar (text, 0xfffd);
      else
        g_string_append_unichar (text, unit);
    }
  if (end_offset != NULL)
    *end_offset = pos;
  return g_string_free (text, FALSE);
}

/**
 * sp_parser_format_utc:
 *
 * Returns: (transfer full) (nullable): @unix_time as "2024-01-31 12:00:00 UTC"
 */
char *
sp_parser_format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  if (time == NULL)
    return NULL;
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC");
}

static JsonNode *
get_node (JsonObject *object,
          const char *member)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, member);
}

gboolean
sp_json_get_int (JsonObject *object,
                 const char *member,
                 gint64     *value)
{
  JsonNode *node = get_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
sp_json_get_double (JsonObject *object,
                    const char *member,
                    double     *value)
{
  JsonNode *node = get_node (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

const char *
sp_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
sp_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = get_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

JsonObject *
sp_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

char *
sp_render_hex (JsonObject *object,
               const char *member)
{
  gint64 value;

  if (!sp_json_get_int (object, member, &value))
    return NULL;
  return g_strdup_printf ("0x%" PRIx64, (guint64) value);
}

char *
sp_render_int (JsonObject *object,
               const char *member)
{
  gint64 value;

  if (!sp_json_get_int (object, member, &value))
    return NULL;
  return g_strdup_printf ("%" PRId64, value);
}

char *
sp_render_string (JsonObject *object,
                  const char *member)
{
  return g_strdup (sp_json_get_string (object, member));
}

char *
sp_render_entropy (JsonObject *object,
                   const char *member)
{
  double value;

  if (!sp_json_get_double (object, member, &value))
    return NULL;
  return g_strdup_printf ("%.3f", value);
}

/* A string array joined by ", ". */
char *
sp_render_list (JsonObject *object,
                const char *member)
{
  return sp_render_string_list (object, member, ", ");
}

/**
 * sp_render_string_list:
 *
 * Returns: (transfer full) (nullable): the string elements of the array
 * @member joined by @separator, or %NULL if there is no such array
 */
char *
sp_render_string_list (JsonObject *object,
                       const char *member,
                       const char *separator)
{
  JsonArray *array = sp_json_get_array (object, member);
  GString *text;

  if (array == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      g_string_append (text, json_node_get_string (node));
    }
  return g_string_free (text, FALSE);
}

void
sp_render_field_hex (SpReportWriter *writer,
                     const char     *label,
                     JsonObject     *object,
                     const char     *member)
{
  g_autofree char *value = sp_render_hex (object, member);

  if (value != NULL)
    sp_report_writer_field (writer, label, value);
}

void
sp_render_field_int (SpReportWriter *writer,
                     const char     *label,
                     JsonObject     *object,
                     const char     *member)
{
  g_autofree char *value = sp_render_int (object, member);

  if (value != NULL)
    sp_report_writer_field (writer, label, value);
}

void
sp_render_field_string (SpReportWriter *writer,
                        const char     *label,
                        JsonObject     *object,
                        const char     *member)
{
  const char *value = sp_json_get_string (object, member);

  if (value != NULL)
    sp_report_writer_field (writer, label, value);
}

/* "3 (EXEC)": a number and its name from @name_member, "unknown" if the
 * name is missing. */
void
sp_render_field_named_int (SpReportWriter *writer,
                           const char     *label,
                           JsonObject     *object,
                           const char     *member,
                           const char     *name_member)
{
  g_autofree char *value = NULL;
  const char *name;
  gint64 number;

  if (!sp_json_get_int (object, member, &number))
    return;
  name = sp_json_get_string (object, name_member);
  value = g_strdup_printf ("%" PRId64 " (%s)", number, name != NULL ? name : "unknown");
  sp_report_writer_field (writer, label, value);
}

void
sp_render_field_bool (SpReportWriter *writer,
                      const char     *label,
                      JsonObject     *object,
                      const char     *member)
{
  JsonNode *node = get_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return;
  sp_report_writer_field (writer, label, json_node_get_boolean (node) ? _("Yes") : _("No"));
}

/**
 * sp_render_warnings:
 *
 * Writes the "warnings" array of a parser section as a subsection.
 */
void
sp_render_warnings (SpReportWriter *writer,
                    JsonObject     *section)
{
  JsonArray *warnings = sp_json_get_array (section, "warnings");

  if (warnings == NULL || json_array_get_length (warnings) == 0)
    return;
  sp_report_writer_begin_subsection (writer, _("Warnings"));
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    {
      JsonNode *node = json_array_get_element (warnings, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        sp_report_writer_paragraph (writer, json_node_get_string (node));
    }
}

/**
 * sp_render_json_table:
 * @title: (nullable): the subsection to open before the table, if any
 *
 * Writes one row per object of @array; elements that are not objects are
 * skipped. Writes nothing, not even @title, when @array is missing or empty.
 */
void
sp_render_json_table (SpReportWriter       *writer,
                      const char           *title,
                      JsonArray            *array,
                      const SpRenderColumn *columns,
                      guint                 n_columns)
{
  g_autofree const char **headers = NULL;
  g_autofree const char **cells = NULL;
  g_autofree guint *widths = NULL;
  g_autofree char **texts = NULL;

  if (array == NULL || json_array_get_length (array) == 0)
    return;
  headers = g_new (const char *, n_columns);
  widths = g_new (guint, n_columns);
  cells = g_new (const char *, n_columns);
  texts = g_new0 (char *, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      headers[c] = _(columns[c].header);
      widths[c] = columns[c].text_width;
    }
  if (title != NULL)
    sp_report_writer_begin_subsection (writer, title);
  sp_report_writer_begin_table (writer, n_columns, headers, widths);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      for (guint c = 0; c < n_columns; c++)
        {
          texts[c] = columns[c].format (object, columns[c].member);
          cells[c] = texts[c] != NULL ? texts[c] : "";
        }
      sp_report_writer_row (writer, cells);
      for (guint c = 0; c < n_columns; c++)
        g_clear_pointer (&texts[c], g_free);
    }
  sp_report_writer_end_table (writer);
}
