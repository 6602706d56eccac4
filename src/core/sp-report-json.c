/* sp-report-json.c: the specimen-report/1 JSON format, written and read
 *
 * Small sections go through json-glib. Strings and indicators are streamed
 * item by item so that a report of ten million strings never exists as a
 * JSON tree in memory.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-report-json"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-report-private.h"

#define FLUSH_THRESHOLD (64 * 1024)

typedef struct
{
  GOutputStream *output;
  GCancellable  *cancellable;
  GString       *buffer;
  GError        *error;
} JsonSink;

static void
sink_flush (JsonSink *sink)
{
  if (sink->error == NULL && sink->buffer->len > 0)
    g_output_stream_write_all (sink->output, sink->buffer->str, sink->buffer->len, NULL,
                               sink->cancellable, &sink->error);
  g_string_truncate (sink->buffer, 0);
}

static void
sink_maybe_flush (JsonSink *sink)
{
  if (sink->buffer->len >= FLUSH_THRESHOLD)
    sink_flush (sink);
}

/* Bytes a JSON string cannot hold as they are (0x7f is escaped too). */
static const guint8 json_needs_escape[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

/* Escapes valid UTF-8 for a JSON string: the runs that need no escape are
 * copied in one go. */
static void
append_json_text (GString    *out,
                  const char *text,
                  gsize       length)
{
  gsize run = 0;

  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if (G_LIKELY (!json_needs_escape[c]))
        continue;
      g_string_append_len (out, text + run, i - run);
      run = i + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append_len (out, text + run, length - run);
  g_string_append_c (out, '"');
}

static void
append_uint64 (GString *out,
               guint64  value)
{
  char digits[24];
  guint n = sizeof digits;

  do
    {
      digits[--n] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);
  g_string_append_len (out, digits + n, sizeof digits - n);
}

/* JSON string escaping; invalid UTF-8 becomes U+FFFD so the output always parses. */
static void
append_json_string (GString    *out,
                    const char *value)
{
  const char *end;

  if (value == NULL)
    value = "";
  if (g_utf8_validate (value, -1, &end))
    append_json_text (out, value, end - value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      append_json_text (out, valid, strlen (valid));
    }
}

static void
append_member_name (GString    *out,
                    const char *name,
                    const char *indent)
{
  g_string_append (out, indent);
  append_json_string (out, name);
  g_string_append (out, ": ");
}

static void append_node (GString *out, JsonNode *node, guint depth);

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_value (GString  *out,
              JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      /* 15 significant digits: 5.8124, not json-glib's 5.8124000000000002. */
      g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.15g",
                                             json_node_get_double (node)));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_json_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

static gboolean
array_is_flat (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_VALUE (json_array_get_element (array, i)) &&
        !JSON_NODE_HOLDS_NULL (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

/* Arrays of plain values stay on one line; objects get one member a line. */
static void
append_array (GString   *out,
              JsonArray *array,
              guint      depth)
{
  guint n = json_array_get_length (array);
  gboolean flat = array_is_flat (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (flat)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
        }
      else
        {
          g_string_append_c (out, '\n');
          append_indent (out, depth + 1);
        }
      append_node (out, json_array_get_element (array, i), depth + 1);
    }
  if (!flat && n > 0)
    {
      g_string_append_c (out, '\n');
      append_indent (out, depth);
    }
  g_string_append_c (out, ']');
}

static void
append_object (GString    *out,
               JsonObject *object,
               guint       depth)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_string_append (out, first ? "\n" : ",\n");
      append_indent (out, depth + 1);
      append_json_string (out, name);
      g_string_append (out, ": ");
      append_node (out, member, depth + 1);
      first = FALSE;
    }
  if (!first)
    {
      g_string_append_c (out, '\n');
      append_indent (out, depth);
    }
  g_string_append_c (out, '}');
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), depth);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), depth);
      break;
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      append_value (out, node);
      break;
    }
}

static void
append_object_member (GString    *out,
                      const char *name,
                      JsonObject *object)
{
  append_member_name (out, name, "  ");
  append_object (out, object, 1);
}

static char *
put (char       *p,
     const char *text,
     gsize       length)
{
  memcpy (p, text, length);
  return p + length;
}

#define PUT_LITERAL(p, literal) put ((p), (literal), sizeof (literal) - 1)

/* One item of the strings array, written straight into @out's buffer: the
 * hot loop of a large report (ten million items), so no printf and no
 * GString call per piece. Same bytes as append_json_text and friends. */
static void
append_string_item (GString              *out,
                    gboolean              first,
                    const SpStringRecord *record,
                    const char           *text,
                    gsize                 length)
{
  static const char hex[] = "0123456789abcdef";
  const char *encoding = sp_string_encoding_to_id (record->encoding);
  const char *lead = first ? "\n      {\"offset\": " : ",\n      {\"offset\": ";
  char digits[24];
  guint n = sizeof digits;
  guint64 value = record->offset;
  gsize old_length = out->len;
  char *p;

  /* Escaping at most sextuples a byte ("\u001f"). */
  if (length > G_MAXSIZE / 8)
    length = 0;
  do
    {
      digits[--n] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);

  g_string_set_size (out, old_length + 96 + 6 * length);
  p = out->str + old_length;
  p = put (p, lead, strlen (lead));
  p = put (p, digits + n, sizeof digits - n);
  p = PUT_LITERAL (p, ", \"encoding\": \"");
  p = put (p, encoding, strlen (encoding));
  p = PUT_LITERAL (p, "\", \"text\": \"");
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if (G_LIKELY (!json_needs_escape[c]))
        {
          *p++ = c;
          continue;
        }
      *p++ = '\\';
      switch (c)
        {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default:
          p = PUT_LITERAL (p, "u00");
          *p++ = hex[c >> 4];
          *p++ = hex[c & 0xf];
          break;
        }
    }
  p = PUT_LITERAL (p, "\"}");
  g_string_truncate (out, p - out->str);
}

/* Items [first, last) of the strings array, into @out (flushing @sink when
 * it is the sink's buffer). */
static void
format_strings (SpStringTableReader *reader,
                guint                first,
                guint                last,
                GString             *out,
                JsonSink            *sink)
{
  sp_string_table_reader_seek (reader, first);
  for (guint i = first; i < last; i++)
    {
      SpStringRecord record;
      const char *text;
      gsize length;

      if ((sink != NULL && sink->error != NULL)
          || !sp_string_table_reader_next (reader, &record, &text, &length))
        break;
      append_string_item (out, i == 0, &record, text != NULL ? text : "",
                          text != NULL ? length : 0);
      if (sink != NULL)
        sink_maybe_flush (sink);
    }
}

/* A large strings array is formatted by two threads: batches alternate
 * between the writing thread and a helper, which may run two batches
 * ahead. The bytes are the same as from one thread, in the same order. */
#define BATCH_ITEMS 16384
#define HELPER_BUFFERS 2

typedef struct
{
  SpStringTable *strings;
  guint          n_items;
  GAsyncQueue   *free_buffers;  /* GString */
  GAsyncQueue   *done;          /* GString: the helper's batches, in order */
  gint           stop;
} Helper;

static gpointer
helper_thread (gpointer data)
{
  Helper *helper = data;
  g_autoptr(SpStringTableReader) reader = sp_string_table_reader_new (helper->strings);

  /* The odd batches. */
  for (guint first = BATCH_ITEMS; first < helper->n_items; first += 2 * BATCH_ITEMS)
    {
      GString *out = g_async_queue_pop (helper->free_buffers);

      if (g_atomic_int_get (&helper->stop))
        {
          g_string_free (out, TRUE);
          break;
        }
      g_string_truncate (out, 0);
      format_strings (reader, first, MIN (helper->n_items, first + BATCH_ITEMS), out, NULL);
      g_async_queue_push (helper->done, out);
    }
  return NULL;
}

static void
write_strings_parallel (SpStringTable *strings,
                        guint          n_items,
                        JsonSink      *sink)
{
  g_autoptr(SpStringTableReader) reader = sp_string_table_reader_new (strings);
  Helper helper = { strings, n_items, g_async_queue_new (), g_async_queue_new (), 0 };
  GThread *thread;
  GString *out;

  for (guint i = 0; i < HELPER_BUFFERS; i++)
    g_async_queue_push (helper.free_buffers, g_string_sized_new (BATCH_ITEMS * 64));
  thread = g_thread_new ("sp-json-strings", helper_thread, &helper);

  for (guint first = 0; first < n_items && sink->error == NULL; first += BATCH_ITEMS)
    {
      if ((first / BATCH_ITEMS) % 2 == 0)
        {
          format_strings (reader, first, MIN (n_items, first + BATCH_ITEMS), sink->buffer, sink);
          continue;
        }
      out = g_async_queue_pop (helper.done);
      sink_flush (sink);
      if (sink->error == NULL)
        g_output_stream_write_all (sink->output, out->str, out->len, NULL, sink->cancellable,
                                   &sink->error);
      g_async_queue_push (helper.free_buffers, out);
    }

  /* On an error the helper may wait for a buffer: wake it to see the stop. */
  g_atomic_int_set (&helper.stop, 1);
  g_async_queue_push (helper.free_buffers, g_string_new (NULL));
  g_thread_join (thread);
  while ((out = g_async_queue_try_pop (helper.free_buffers)) != NULL)
    g_string_free (out, TRUE);
  while ((out = g_async_queue_try_pop (helper.done)) != NULL)
    g_string_free (out, TRUE);
  g_async_queue_unref (helper.free_buffers);
  g_async_queue_unref (helper.done);
}

static void
write_strings (SpReport              *self,
               const SpReportOptions *options,
               JsonSink              *sink)
{
  SpStringTable *strings = sp_report_get_strings (self);
  guint count = sp_string_table_get_count (strings);
  guint n_items = sp_report_strings_to_write (self, options);

  g_string_append_printf (sink->buffer,
                          ",\n  \"strings\": {\n    \"count\": %u,\n    \"min_length\": %u",
                          count, sp_string_table_get_min_length (strings));
  if (options->max_strings != 0)
    {
      g_string_append (sink->buffer, ",\n    \"items\": [");
      if (n_items > 2 * BATCH_ITEMS)
        write_strings_parallel (strings, n_items, sink);
      else
        {
          g_autoptr(SpStringTableReader) reader = sp_string_table_reader_new (strings);

          format_strings (reader, 0, n_items, sink->buffer, sink);
        }
      g_string_append (sink->buffer, n_items > 0 ? "\n    ]" : "]");
    }
  g_string_append (sink->buffer, "\n  }");
}

static void
append_string_array (GString            *out,
                     const char * const *values)
{
  g_string_append_c (out, '[');
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_json_string (out, values[i]);
    }
  g_string_append_c (out, ']');
}

static void
write_iocs (SpReport *self,
            JsonSink *sink)
{
  SpIocSet *iocs = sp_report_get_iocs (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (iocs));

  g_string_append (sink->buffer, ",\n  \"iocs\": [");
  for (guint i = 0; i < n && sink->error == NULL; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (iocs), i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);
      const guint64 *offsets;
      guint n_offsets;

      g_string_append (sink->buffer, i == 0 ? "\n    {" : ",\n    {");
      g_string_append (sink->buffer, "\"category\": \"");
      g_string_append (sink->buffer, sp_ioc_category_to_id (sp_ioc_get_category (ioc)));
      g_string_append (sink->buffer, "\", \"value\": ");
      append_json_string (sink->buffer, sp_ioc_get_value (ioc));
      g_string_append (sink->buffer, ", \"raw\": ");
      append_json_string (sink->buffer, sp_ioc_get_raw (ioc));
      g_string_append (sink->buffer, ", \"defanged\": ");
      append_json_string (sink->buffer, defanged);
      g_string_append (sink->buffer, ", \"offsets\": [");
      offsets = sp_ioc_get_offsets (ioc, &n_offsets);
      for (guint j = 0; j < n_offsets; j++)
        {
          if (j > 0)
            g_string_append (sink->buffer, ", ");
          append_uint64 (sink->buffer, offsets[j]);
        }
      g_string_append (sink->buffer, "], \"count\": ");
      append_uint64 (sink->buffer, sp_ioc_get_count (ioc));
      g_string_append (sink->buffer, ", \"tags\": ");
      append_string_array (sink->buffer, sp_ioc_get_tags (ioc));
      g_string_append_c (sink->buffer, '}');
      sink_maybe_flush (sink);
    }
  g_string_append (sink->buffer, n > 0 ? "\n  ]" : "]");
}

gboolean
sp_report_write_json (SpReport              *self,
                      const SpReportOptions *options,
                      GOutputStream         *output,
                      GCancellable          *cancellable,
                      GError               **error)
{
  JsonSink sink = { output, cancellable, g_string_sized_new (FLUSH_THRESHOLD + 4096), NULL };

  g_string_append (sink.buffer, "{\n  \"schema\": \"" SP_REPORT_SCHEMA "\",\n"
                                "  \"generator\": \"Specimen " PACKAGE_VERSION "\"");
  for (guint i = 0; sp_report_section_order[i] != NULL; i++)
    {
      JsonObject *section = sp_report_get_section (self, sp_report_section_order[i]);

      if (section == NULL)
        continue;
      g_string_append (sink.buffer, ",\n");
      append_object_member (sink.buffer, sp_report_section_order[i], section);
    }
  if (sp_report_get_strings (self) != NULL)
    write_strings (self, options, &sink);
  if (sp_report_get_iocs (self) != NULL)
    write_iocs (self, &sink);
  g_string_append (sink.buffer, "\n}\n");
  sink_flush (&sink);
  g_string_free (sink.buffer, TRUE);

  if (sink.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &sink.error);
  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  return TRUE;
}

/* Reading back */

static gboolean
set_invalid (GError     **error,
             const char  *what)
{
  g_set_error (error, SP_REPORT_ERROR, SP_REPORT_ERROR_INVALID,
               _("This is not a valid Specimen report: %s."), what);
  return FALSE;
}

static const char *
get_string_or_null (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_uint64 (JsonObject *object,
            const char *name,
            guint64    *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *value = (guint64) json_node_get_int (node);
  return TRUE;
}

static gboolean
load_strings (SpReport   *report,
              JsonObject *object,
              GError    **error)
{
  g_autoptr(SpStringTable) table = NULL;
  JsonNode *items_node = json_object_get_member (object, "items");
  guint64 min_length = 4;
  JsonArray *items;

  get_uint64 (object, "min_length", &min_length);
  table = sp_string_table_new_detached ((guint) MIN (min_length, G_MAXUINT));

  if (items_node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (items_node))
        return set_invalid (error, _("“strings.items” is not a list"));
      items = json_node_get_array (items_node);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *item;
          SpStringEncoding encoding;
          const char *text;
          guint64 offset;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return set_invalid (error, _("a string item is not an object"));
          item = json_node_get_object (node);
          text = get_string_or_null (item, "text");
          if (text == NULL || !get_uint64 (item, "offset", &offset) ||
              get_string_or_null (item, "encoding") == NULL ||
              !sp_string_encoding_from_id (get_string_or_null (item, "encoding"), &encoding))
            return set_invalid (error, _("a string item lacks its offset, encoding or text"));
          sp_string_table_append_text (table, offset, encoding, text);
        }
    }
  sp_report_set_strings (report, table);
  return TRUE;
}

static char **
dup_string_array (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
load_one_ioc (SpIocSet   *set,
              JsonNode   *node,
              GError    **error)
{
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_auto(GStrv) tags = NULL;
  SpIocCategory category;
  JsonObject *object;
  JsonNode *offsets_node;
  const char *value, *raw, *category_id;
  guint64 count = 1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, _("an indicator is not an object"));
  object = json_node_get_object (node);
  category_id = get_string_or_null (object, "category");
  value = get_string_or_null (object, "value");
  raw = get_string_or_null (object, "raw");
  if (category_id == NULL || value == NULL || !sp_ioc_category_from_id (category_id, &category))
    return set_invalid (error, _("an indicator lacks its category or value"));

  offsets_node = json_object_get_member (object, "offsets");
  if (offsets_node != NULL && JSON_NODE_HOLDS_ARRAY (offsets_node))
    {
      JsonArray *array = json_node_get_array (offsets_node);

      for (guint i = 0; i < json_array_get_length (array) && i < SP_IOC_MAX_OFFSETS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          guint64 offset;

          if (json_node_get_value_type (element) != G_TYPE_INT64 || json_node_get_int (element) < 0)
            return set_invalid (error, _("an indicator offset is not a number"));
          offset = (guint64) json_node_get_int (element);
          g_array_append_val (offsets, offset);
        }
    }
  get_uint64 (object, "count", &count);
  tags = dup_string_array (json_object_get_member (object, "tags"));
  sp_ioc_set_add_full (set, category, value, raw != NULL ? raw : value,
                       (const guint64 *) offsets->data, offsets->len, count,
                       (const char * const *) tags);
  return TRUE;
}

static gboolean
load_iocs (SpReport  *report,
           JsonNode  *node,
           GError   **error)
{
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, _("“iocs” is not a list"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!load_one_ioc (set, json_array_get_element (array, i), error))
      return FALSE;
  sp_ioc_set_seal (set);
  sp_report_set_iocs (report, set);
  return TRUE;
}

/**
 * sp_report_new_from_json:
 * @root: a report object in the specimen-report/1 schema
 *
 * Returns: (transfer full): the report, with origin %SP_REPORT_ORIGIN_FILE
 */
SpReport *
sp_report_new_from_json (JsonObject  *root,
                         GError     **error)
{
  g_autoptr(SpReport) report = sp_report_new ();
  const char *schema = get_string_or_null (root, "schema");
  JsonNode *node;

  if (schema == NULL)
    {
      set_invalid (error, _("it has no “schema” member"));
      return NULL;
    }
  if (g_strcmp0 (schema, SP_REPORT_SCHEMA) != 0)
    {
      g_set_error (error, SP_REPORT_ERROR, SP_REPORT_ERROR_UNSUPPORTED_SCHEMA,
                   _("This report uses the schema “%s”, which this version of Specimen cannot "
                     "read (it reads “%s”)."), schema, SP_REPORT_SCHEMA);
      return NULL;
    }

  for (guint i = 0; sp_report_section_order[i] != NULL; i++)
    {
      node = json_object_get_member (root, sp_report_section_order[i]);
      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *what = g_strdup_printf (_("“%s” is not an object"),
                                                   sp_report_section_order[i]);
          set_invalid (error, what);
          return NULL;
        }
      sp_report_set_section (report, sp_report_section_order[i], json_node_get_object (node));
    }

  node = json_object_get_member (root, "strings");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, _("“strings” is not an object"));
          return NULL;
        }
      if (!load_strings (report, json_node_get_object (node), error))
        return NULL;
    }

  node = json_object_get_member (root, "iocs");
  if (node != NULL && !load_iocs (report, node, error))
    return NULL;

  sp_report_set_origin (report, SP_REPORT_ORIGIN_FILE);
  return g_steal_pointer (&report);
}

/* json-glib's parser recurses once per nesting level, so a few hundred
 * kilobytes of '[' overflow the stack (found by tests/test-hostile.c).
 * Reports nest a few levels; anything deeper is refused before parsing. */
#define MAX_JSON_DEPTH 128

static gboolean
json_depth_allowed (const char *data,
                    gsize       length)
{
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > MAX_JSON_DEPTH)
        return FALSE;
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * sp_report_load_json:
 *
 * Parses a report written by sp_report_write() in JSON. A CLI output of
 * several files is an array; its first report is loaded.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SpReport *
sp_report_load_json (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (!json_depth_allowed (data, length))
    {
      g_autofree char *reason = g_strdup_printf (_("it is nested more than %u levels deep"),
                                                 MAX_JSON_DEPTH);

      set_invalid (error, reason);
      return NULL;
    }
  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      set_invalid (error, parse_error != NULL ? parse_error->message : _("it is too large"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    root = json_array_get_element (json_node_get_array (root), 0);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_invalid (error, _("its top level is not an object"));
      return NULL;
    }
  return sp_report_new_from_json (json_node_get_object (root), error);
}
