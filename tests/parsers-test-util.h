/* parsers-test-util.h: helpers shared by test-pe, test-elf, test-bmp and test-file-type
 *
 * Oracles (python3-pefile, readelf, a Python struct walk) run as child
 * processes and answer in JSON; assert_json_subset() then checks that every
 * value the oracle reported is what Specimen reported.
 */
#pragma once

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"

static inline const char *
test_python (void)
{
  static char *python;

  if (python == NULL)
    {
      const char *env = g_getenv ("SPECIMEN_PYTHON");

      /* Debian's python3-* oracles live in the system interpreter, not in a pyenv or venv. */
      if (env != NULL && *env != '\0')
        python = g_strdup (env);
      else if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
        python = g_strdup ("/usr/bin/python3");
      else
        python = g_find_program_in_path ("python3");
      g_assert_nonnull (python);
    }
  return python;
}

static inline char *
test_source_path (const char *name)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");

  return g_build_filename (dir != NULL ? dir : ".", name, NULL);
}

/* Runs an oracle script with @arg and parses its JSON answer; failing to
 * run is a test failure, never a skip: the oracles are test dependencies. */
static inline JsonObject *
run_oracle (const char *script,
            const char *arg1,
            const char *arg2)
{
  g_autofree char *script_path = test_source_path (script);
  const char *argv[] = { test_python (), script_path, arg1, arg2, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("oracle %s %s failed: %s", script, arg1, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Every member of @expected must be in @actual with an equal value (doubles
 * to 1e-9); arrays must have the same length. Extra members of @actual are
 * allowed: the report has more keys than the oracle knows. */
static inline void
assert_json_subset (JsonNode   *expected,
                    JsonNode   *actual,
                    const char *path)
{
  if (actual == NULL)
    g_error ("%s: missing in Specimen's result", path);

  if (JSON_NODE_HOLDS_OBJECT (expected))
    {
      JsonObject *e = json_node_get_object (expected);
      g_autoptr(GList) members = json_object_get_members (e);

      if (!JSON_NODE_HOLDS_OBJECT (actual))
        g_error ("%s: expected an object", path);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          assert_json_subset (json_object_get_member (e, l->data),
                              json_object_get_member (json_node_get_object (actual),
                                                      l->data), child);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (expected))
    {
      JsonArray *e = json_node_get_array (expected), *a;

      if (!JSON_NODE_HOLDS_ARRAY (actual))
        g_error ("%s: expected an array", path);
      a = json_node_get_array (actual);
      if (json_array_get_length (e) != json_array_get_length (a))
        g_error ("%s: %u elements expected, %u found", path, json_array_get_length (e),
                 json_array_get_length (a));
      for (guint i = 0; i < json_array_get_length (e); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

          assert_json_subset (json_array_get_element (e, i), json_array_get_element (a, i), child);
        }
    }
  else if (JSON_NODE_HOLDS_NULL (expected))
    {
      if (!JSON_NODE_HOLDS_NULL (actual))
        g_error ("%s: expected null", path);
    }
  else
    {
      GType type = json_node_get_value_type (expected);

      if (!JSON_NODE_HOLDS_VALUE (actual))
        g_error ("%s: expected a value", path);
      if (type == G_TYPE_DOUBLE)
        {
          double e = json_node_get_double (expected), a = json_node_get_double (actual);

          if (fabs (e - a) > 1e-9)
            g_error ("%s: expected %.12f, found %.12f", path, e, a);
        }
      else if (type == G_TYPE_INT64)
        {
          if (json_node_get_value_type (actual) != G_TYPE_INT64 ||
              json_node_get_int (expected) != json_node_get_int (actual))
            g_error ("%s: expected %" G_GINT64_FORMAT ", found %s", path,
                     json_node_get_int (expected),
                     json_to_string (actual, FALSE));
        }
      else if (type == G_TYPE_BOOLEAN)
        {
          if (json_node_get_value_type (actual) != G_TYPE_BOOLEAN ||
              json_node_get_boolean (expected) != json_node_get_boolean (actual))
            g_error ("%s: expected %s", path, json_node_get_boolean (expected) ? "true" : "false");
        }
      else
        {
          if (json_node_get_value_type (actual) != G_TYPE_STRING ||
              g_strcmp0 (json_node_get_string (expected), json_node_get_string (actual)) != 0)
            g_error ("%s: expected \"%s\", found %s", path, json_node_get_string (expected),
                     json_to_string (actual, FALSE));
        }
    }
}

static inline void
assert_json_object_subset (JsonObject *expected,
                           JsonObject *actual,
                           const char *path)
{
  g_autoptr(JsonNode) e = json_node_init_object (json_node_alloc (), expected);
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), actual);

  assert_json_subset (e, a, path);
}

/* Whether one of the section's warnings contains @needle. */
static inline gboolean
has_warning (JsonObject *section,
             const char *needle)
{
  JsonArray *warnings = json_object_get_array_member (section, "warnings");

  for (guint i = 0; i < json_array_get_length (warnings); i++)
    if (strstr (json_array_get_string_element (warnings, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static inline void
assert_warning (JsonObject *section,
                const char *needle)
{
  if (!has_warning (section, needle))
    {
      JsonArray *warnings = json_object_get_array_member (section, "warnings");
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), warnings);
      g_autofree char *all = json_to_string (node, TRUE);

      g_error ("no warning contains \"%s\"; warnings: %s", needle, all);
    }
}

static inline SpSample *
sample_from_array (GByteArray *array,
                   const char *name)
{
  g_autoptr(GBytes) bytes = g_bytes_new (array->data, array->len);

  return sp_sample_new_for_bytes (bytes, name);
}

/* Writes @array to a temporary file for an oracle; returns its path. */
static inline char *
write_temp (GByteArray *array,
            const char *template)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp (template, &path, &error);

  g_assert_no_error (error);
  g_assert_true (fd >= 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, (const char *) array->data, array->len, &error));
  g_assert_no_error (error);
  return path;
}

typedef void (*TestRenderFunc) (JsonObject *section, SpReportWriter *writer);

static inline char *
render_section (TestRenderFunc  render,
                JsonObject     *section,
                SpReportFormat  format)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(SpReportWriter) writer = sp_report_writer_new (format, output, NULL);
  g_autoptr(GError) error = NULL;

  sp_report_writer_begin_document (writer, "test");
  sp_report_writer_begin_section (writer, "Headers");
  render (section, writer);
  sp_report_writer_end_document (writer);
  g_assert_true (sp_report_writer_finish (writer, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (output, NULL, NULL));
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)));
}

/* Little-endian and big-endian stores into a growing buffer. */
static inline void
put_bytes (GByteArray   *array,
           gsize         offset,
           const void   *data,
           gsize         length)
{
  if (array->len < offset + length)
    {
      gsize old = array->len;

      g_byte_array_set_size (array, offset + length);
      memset (array->data + old, 0, offset + length - old);
    }
  memcpy (array->data + offset, data, length);
}

static inline void
put_uint (GByteArray *array,
          gsize       offset,
          guint64     value,
          guint       width,
          gboolean    big_endian)
{
  guint8 bytes[8];

  for (guint i = 0; i < width; i++)
    bytes[big_endian ? width - 1 - i : i] = (guint8) (value >> (8 * i));
  put_bytes (array, offset, bytes, width);
}

#define put_u8(a, o, v)  put_uint ((a), (o), (v), 1, FALSE)
#define put_u16(a, o, v) put_uint ((a), (o), (v), 2, FALSE)
#define put_u32(a, o, v) put_uint ((a), (o), (v), 4, FALSE)
#define put_u64(a, o, v) put_uint ((a), (o), (v), 8, FALSE)

static inline void
put_string (GByteArray *array,
            gsize       offset,
            const char *text)
{
  put_bytes (array, offset, text, strlen (text) + 1);
}
