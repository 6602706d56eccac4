/* test-report.c: the report model, its formats and the analysis behind it */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sp-analysis.h"
#include "sp-report.h"
#include "sp-save.h"

#define HOSTILE "<span foreground=\"red\">*bold* | `x` & \x1b[31m</span>"

/* Each file gets a folder of its own, so that looking for leftovers sees only this test's. */
static char *
write_temp (const char *contents,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("specimen-report-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sample", NULL);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, &error));
  g_assert_no_error (error);
  return path;
}

static char *
render (SpReport       *report,
        SpReportFormat  format,
        gint64          max_strings)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  SpReportOptions options;

  sp_report_options_init (&options);
  options.max_strings = max_strings;
  g_assert_true (sp_report_write (report, format, &options, output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (output, "", 1, NULL, NULL, NULL));
  g_output_stream_close (output, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (output));
}

/* A report built by hand, with hostile text in every kind of field. */
static SpReport *
make_hostile_report (void)
{
  SpReport *report = sp_report_new ();
  g_autoptr(JsonObject) file = json_object_new ();
  g_autoptr(JsonObject) hashes = json_object_new ();
  g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  const char *tags[] = { "defanged", NULL };

  json_object_set_string_member (file, "name", HOSTILE);
  json_object_set_string_member (file, "path", "/tmp/" HOSTILE);
  json_object_set_int_member (file, "size", 1234);
  json_object_set_string_member (hashes, "md5", "900150983cd24fb0d6963f7d28e17f72");
  sp_report_set_section (report, "file", file);
  sp_report_set_section (report, "hashes", hashes);
  sp_string_table_append_text (strings, 16, SP_STRING_ENCODING_ASCII, HOSTILE);
  sp_string_table_append_text (strings, 0x40, SP_STRING_ENCODING_UTF16LE, "Wide \"quoted\"\n");
  sp_report_set_strings (report, strings);
  sp_ioc_set_add (iocs, SP_IOC_URL, "http://evil.example/<x>", "hxxp://evil[.]example/<x>", 99, tags);
  sp_ioc_set_seal (iocs);
  sp_report_set_iocs (report, iocs);
  return report;
}

static void
test_json_shape (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *json = render (report, SP_REPORT_FORMAT_JSON, -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *strings, *item, *ioc;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "specimen-report/1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "file"),
                                                  "name"), ==, HOSTILE);
  strings = json_object_get_object_member (root, "strings");
  g_assert_cmpint (json_object_get_int_member (strings, "count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (strings, "min_length"), ==, 4);
  item = json_array_get_object_element (json_object_get_array_member (strings, "items"), 1);
  g_assert_cmpint (json_object_get_int_member (item, "offset"), ==, 0x40);
  g_assert_cmpstr (json_object_get_string_member (item, "encoding"), ==, "utf-16le");
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "Wide \"quoted\"\n");
  ioc = json_array_get_object_element (json_object_get_array_member (root, "iocs"), 0);
  g_assert_cmpstr (json_object_get_string_member (ioc, "category"), ==, "url");
  g_assert_cmpstr (json_object_get_string_member (ioc, "value"), ==, "http://evil.example/<x>");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (ioc, "offsets"), 0),
                   ==, 99);
  g_assert_cmpint (json_object_get_int_member (ioc, "count"), ==, 1);
}

static void
test_json_without_string_items (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *json = render (report, SP_REPORT_FORMAT_JSON, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *strings;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  strings = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "strings");
  g_assert_cmpint (json_object_get_int_member (strings, "count"), ==, 2);
  g_assert_false (json_object_has_member (strings, "items"));
}

static void
test_json_round_trip (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *first = render (report, SP_REPORT_FORMAT_JSON, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpReport) loaded = sp_report_load_json (first, strlen (first), &error);
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sp_report_get_origin (loaded), ==, SP_REPORT_ORIGIN_FILE);
  second = render (loaded, SP_REPORT_FORMAT_JSON, -1);
  g_assert_cmpstr (first, ==, second);
}

static void
test_load_rejects_bad_reports (void)
{
  static const char * const bad[] = {
    "", "[]", "42", "{}", "{\"schema\": \"specimen-report/9\"}",
    "{\"schema\": \"specimen-report/1\", \"file\": []}",
    "{\"schema\": \"specimen-report/1\", \"strings\": {\"items\": [{\"offset\": -1}]}}",
    "{\"schema\": \"specimen-report/1\", \"iocs\": [{\"category\": \"nope\", \"value\": \"x\"}]}",
    "{\"schema\": \"specimen-report/1\", \"iocs\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpReport) report = sp_report_load_json (bad[i], strlen (bad[i]), &error);

      g_assert_null (report);
      g_assert_true (error != NULL && error->domain == SP_REPORT_ERROR);
    }
}

static void
test_text_escapes_controls (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *text = render (report, SP_REPORT_FORMAT_TEXT, -1);

  /* No raw escape character reaches a terminal; the text itself is kept. */
  g_assert_null (strchr (text, '\x1b'));
  g_assert_nonnull (strstr (text, "\\x1b[31m"));
  g_assert_nonnull (strstr (text, "<span foreground=\"red\">"));
  g_assert_nonnull (strstr (text, "Wide \"quoted\"\\n"));
  g_assert_nonnull (strstr (text, "hxxp://evil[.]example/<x>"));
  g_assert_nonnull (strstr (text, "\n  10        ascii     "));
}

static void
test_html_escapes_everything (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *html = render (report, SP_REPORT_FORMAT_HTML, -1);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_null (strstr (html, "<span"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<x>"));
  g_assert_nonnull (strstr (html, "&lt;span foreground=&quot;red&quot;&gt;"));
  g_assert_nonnull (strstr (html, "</html>"));
}

/* Every '<' in @text is escaped with a backslash, so no HTML tag gets through. */
static gboolean
all_angles_escaped (const char *text)
{
  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p + 1, '<'))
    if (p == text || p[-1] != '\\')
      return FALSE;
  return TRUE;
}

static void
test_markdown_escapes_syntax (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *markdown = render (report, SP_REPORT_FORMAT_MARKDOWN, -1);

  g_assert_true (g_str_has_prefix (markdown, "# Specimen report: "));
  g_assert_true (all_angles_escaped (markdown));
  g_assert_null (strstr (markdown, "*bold*"));
  g_assert_nonnull (strstr (markdown, "\\<span foreground=\"red\"\\>"));
  g_assert_nonnull (strstr (markdown, "\\| \\`x\\` &amp;"));
}

static void
test_first_n_strings (void)
{
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autofree char *text = render (report, SP_REPORT_FORMAT_TEXT, 1);

  g_assert_nonnull (strstr (text, "Showing the first 1 strings."));
  g_assert_null (strstr (text, "Wide"));
}

static void
test_analysis_of_abc (void)
{
  g_autofree char *path = write_temp ("abc", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpReport) report = sp_analyze_path (path, NULL, NULL, NULL, NULL, &error);
  JsonObject *hashes, *file, *entropy;

  g_assert_no_error (error);
  hashes = sp_report_get_section (report, "hashes");
  g_assert_cmpstr (json_object_get_string_member (hashes, "sha256"), ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (json_object_get_string_member (hashes, "md5"), ==,
                   "900150983cd24fb0d6963f7d28e17f72");
  file = sp_report_get_section (report, "file");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 3);
  entropy = sp_report_get_section (report, "entropy");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entropy, "overall"),
                                  1.585, 0.0001);
  g_unlink (path);
}

static void
on_analyzed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  SpReport *report = sp_analyze_path_finish (result, error);

  g_assert_null (report);
}

static void
test_async_cancel (void)
{
  g_autofree char *path = write_temp ("abc", 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  g_cancellable_cancel (cancellable);
  sp_analyze_path_async (path, NULL, cancellable, NULL, NULL, on_analyzed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_unlink (path);
}

static void
test_save_is_atomic (void)
{
  g_autofree char *path = write_temp ("previous contents", 17);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SpReport) report = make_hostile_report ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = NULL;
  const char *name;

  /* A save that fails leaves the old file as it was, and no temporary file. */
  g_cancellable_cancel (cancellable);
  g_assert_false (sp_report_save (report, SP_REPORT_FORMAT_TEXT, NULL, file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous contents");
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".goutputstream"));

  /* Nor does it leave a partial file where there was none. */
  g_clear_error (&error);
  {
    g_autofree char *new_path = g_strconcat (path, ".new", NULL);
    g_autoptr(GFile) new_file = g_file_new_for_path (new_path);

    g_assert_false (sp_report_save (report, SP_REPORT_FORMAT_HTML, NULL, new_file, cancellable,
                                    &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }

  g_clear_pointer (&contents, g_free);
  g_assert_true (sp_report_save (report, SP_REPORT_FORMAT_JSON, NULL, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\n  \"schema\": \"specimen-report/1\""));
  g_unlink (path);
}

static gboolean
write_half_then_fail (GOutputStream  *output,
                      gpointer        user_data,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_assert_true (g_output_stream_write_all (output, "half a report", 13, NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (output, NULL, NULL));
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
  return FALSE;
}

/* A write that fails half-way leaves neither a partial new file nor a damaged old one. */
static void
test_failed_save_leaves_nothing (void)
{
  g_autofree char *path = write_temp ("old", 3);
  g_autofree char *new_path = g_strconcat (path, ".new", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) new_file = g_file_new_for_path (new_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (sp_save_file (new_file, SP_SAVE_REPLACE, write_half_then_fail, NULL, NULL,
                                &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (sp_save_file (file, SP_SAVE_REPLACE, write_half_then_fail, NULL, NULL, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_clear_error (&error);

  g_assert_false (sp_save_file (file, SP_SAVE_NO_CLOBBER, write_half_then_fail, NULL, NULL,
                                &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_unlink (path);
}

/* A strings array long enough to be written by two threads comes out whole
 * and in order: every item is checked against the table it came from. */
static void
test_json_many_strings (void)
{
  g_autoptr(SpReport) report = sp_report_new ();
  g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *items;
  const guint n = 100003;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("string \"%u\"\t%s", i, i % 7 == 0 ? "\xc3\xa9" : "");

      sp_string_table_append_text (strings, (guint64) i * 3, i % 2, text);
    }
  sp_report_set_strings (report, strings);
  json = render (report, SP_REPORT_FORMAT_JSON, -1);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  items = json_object_get_array_member (json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "strings"), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *text = g_strdup_printf ("string \"%u\"\t%s", i, i % 7 == 0 ? "\xc3\xa9" : "");

      g_assert_cmpint (json_object_get_int_member (item, "offset"), ==, (gint64) i * 3);
      g_assert_cmpstr (json_object_get_string_member (item, "encoding"), ==,
                       i % 2 ? "utf-16le" : "ascii");
      g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/report/json-shape", test_json_shape);
  g_test_add_func ("/specimen/report/json-without-string-items", test_json_without_string_items);
  g_test_add_func ("/specimen/report/json-round-trip", test_json_round_trip);
  g_test_add_func ("/specimen/report/json-many-strings", test_json_many_strings);
  g_test_add_func ("/specimen/report/load-rejects-bad-reports", test_load_rejects_bad_reports);
  g_test_add_func ("/specimen/report/text-escapes-controls", test_text_escapes_controls);
  g_test_add_func ("/specimen/report/html-escapes-everything", test_html_escapes_everything);
  g_test_add_func ("/specimen/report/markdown-escapes-syntax", test_markdown_escapes_syntax);
  g_test_add_func ("/specimen/report/first-n-strings", test_first_n_strings);
  g_test_add_func ("/specimen/report/analysis-of-abc", test_analysis_of_abc);
  g_test_add_func ("/specimen/report/async-cancel", test_async_cancel);
  g_test_add_func ("/specimen/report/save-is-atomic", test_save_is_atomic);
  g_test_add_func ("/specimen/report/failed-save-leaves-nothing", test_failed_save_leaves_nothing);
  return g_test_run ();
}
