/* test-report-csv.c: CSV export of indicators and strings
 *
 * Expected cells are written by hand; the files are also parsed by Python's
 * csv module in strict mode, an independent RFC 4180 reader, and must give
 * back exactly those cells.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sp-report-csv.h"

static char *
write_to_string (SpReport         *report,
                 SpReportCsvTable  table,
                 gint64            max_strings)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  SpReportOptions options;
  char nul = '\0';

  sp_report_options_init (&options);
  options.max_strings = max_strings;
  g_assert_true (sp_report_csv_write (report, table, &options, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, &nul, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* Parses @csv with Python's csv module (strict) and returns its rows. */
static JsonArray *
python_parse (const char *csv)
{
  static const char script[] =
    "import csv, json, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    rows = list(csv.reader(f, strict=True))\n"
    "print(json.dumps(rows))\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "python3", "-c", script, NULL, NULL };
  int fd;
  int status = 0;

  fd = g_file_open_tmp ("specimen-csv-XXXXXX.csv", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  argv[3] = path;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 csv could not parse the export: %s", err);
  g_unlink (path);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);

  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static void
assert_rows (const char         *csv,
             guint               n_rows,
             guint               n_columns,
             const char * const *cells)
{
  g_autoptr(JsonArray) rows = python_parse (csv);
  guint r, c;

  g_assert_cmpuint (json_array_get_length (rows), ==, n_rows);
  for (r = 0; r < n_rows; r++)
    {
      JsonArray *row = json_array_get_array_element (rows, r);

      g_assert_cmpuint (json_array_get_length (row), ==, n_columns);
      for (c = 0; c < n_columns; c++)
        g_assert_cmpstr (json_array_get_string_element (row, c), ==, cells[r * n_columns + c]);
    }
}

static void
test_escape (void)
{
  static const struct
  {
    const char *in;
    gboolean    defuse;
    const char *out;
  } cases[] = {
    { "plain", TRUE, "plain" },
    { "", TRUE, "" },
    { "a,b", TRUE, "\"a,b\"" },
    { "say \"hi\"", TRUE, "\"say \"\"hi\"\"\"" },
    { "two\nlines", TRUE, "\"two\nlines\"" },
    { "cr\rhere", TRUE, "\"cr\rhere\"" },
    { "=1+1", TRUE, "'=1+1" },
    { "=1+1", FALSE, "=1+1" },
    { "+49 30 1234", TRUE, "'+49 30 1234" },
    { "-rf", TRUE, "'-rf" },
    { "@SUM(A1:A9)", TRUE, "'@SUM(A1:A9)" },
    { "\tTAB", TRUE, "'\tTAB" },
    { "=HYPERLINK(\"http://x\",\"y\")", TRUE, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
    { "\r=x", TRUE, "\"'\r=x\"" },
    { "a=b", TRUE, "a=b" },
    { " =x", TRUE, " =x" },
    { "'quoted'", TRUE, "'quoted'" },
    { "caf\xc3\xa9", TRUE, "caf\xc3\xa9" },
    { "bad\xff", TRUE, "bad\xef\xbf\xbd" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = sp_csv_escape_cell (cases[i].in, cases[i].defuse);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static SpReport *
report_with_iocs (void)
{
  static const guint64 url_offsets[] = { 4096, 16 };
  static const guint64 formula_offset[] = { 32 };
  static const guint64 path_offset[] = { 100 };
  static const char * const url_tags[] = { "http", "suspicious word", NULL };
  static const char * const no_tags[] = { NULL };
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  SpReport *report = sp_report_new ();

  sp_ioc_set_add_full (iocs, SP_IOC_URL, "http://evil.example/a,b", "http://evil.example/a,b",
                       url_offsets, 2, 5, url_tags);
  sp_ioc_set_add_full (iocs, SP_IOC_PATH, "C:\\Users\\\"me\"\\x.exe", NULL,
                       path_offset, 1, 1, no_tags);
  sp_ioc_set_add_full (iocs, SP_IOC_DOMAIN, "=cmd|' /C calc'!A0", NULL,
                       formula_offset, 1, 1, no_tags);
  sp_ioc_set_seal (iocs);
  sp_report_set_iocs (report, iocs);

  return report;
}

static void
test_iocs (void)
{
  g_autoptr(SpReport) report = report_with_iocs ();
  g_autofree char *csv = write_to_string (report, SP_REPORT_CSV_IOCS, -1);
  g_autofree char *url_defanged = sp_defang ("http://evil.example/a,b", SP_IOC_URL);
  g_autofree char *path_defanged = sp_defang ("C:\\Users\\\"me\"\\x.exe", SP_IOC_PATH);
  g_autofree char *domain_defanged = sp_defang ("=cmd|' /C calc'!A0", SP_IOC_DOMAIN);
  g_autofree char *domain_defanged_cell = g_strconcat ("'", domain_defanged, NULL);
  /* Sealed order: category (url < domain < path, as declared), then first offset. */
  const char *cells[] = {
    "category", "value", "defanged", "count", "first_offset", "offsets", "tags",
    "url", "http://evil.example/a,b", url_defanged, "5", "16", "16 4096", "http;suspicious word",
    "domain", "'=cmd|' /C calc'!A0", domain_defanged_cell, "1", "32", "32", "",
    "path", "C:\\Users\\\"me\"\\x.exe", path_defanged, "1", "100", "100", "",
  };

  g_assert_true (g_str_has_prefix (csv, "category,value,defanged,count,first_offset,offsets,"
                                        "tags\r\n"));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  /* The quote inside the path is doubled, the comma in the URL quoted. */
  g_assert_nonnull (strstr (csv, ",\"C:\\Users\\\"\"me\"\"\\x.exe\","));
  g_assert_nonnull (strstr (csv, "\r\nurl,\"http://evil.example/a,b\","));
  assert_rows (csv, 4, 7, cells);
}

static SpReport *
report_with_strings (void)
{
  g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
  SpReport *report = sp_report_new ();

  sp_string_table_append_text (strings, 0, SP_STRING_ENCODING_ASCII, "!This program");
  sp_string_table_append_text (strings, 77, SP_STRING_ENCODING_ASCII, "a,b \"c\"");
  sp_string_table_append_text (strings, 200, SP_STRING_ENCODING_UTF16LE,
                               "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c");
  sp_string_table_append_text (strings, 4096, SP_STRING_ENCODING_ASCII, "=2+3");
  sp_string_table_append_text (strings, 8192, SP_STRING_ENCODING_ASCII, "line\r\nbreak");
  sp_report_set_strings (report, strings);

  return report;
}

static void
test_strings (void)
{
  g_autoptr(SpReport) report = report_with_strings ();
  g_autofree char *all = write_to_string (report, SP_REPORT_CSV_STRINGS, -1);
  g_autofree char *none = write_to_string (report, SP_REPORT_CSV_STRINGS, 0);
  g_autofree char *two = write_to_string (report, SP_REPORT_CSV_STRINGS, 2);
  g_autofree char *many = write_to_string (report, SP_REPORT_CSV_STRINGS, 1000);
  const char *cells[] = {
    "offset", "encoding", "length", "text",
    "0", "ascii", "13", "!This program",
    "77", "ascii", "7", "a,b \"c\"",
    "200", "utf-16le", "8", "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c",
    "4096", "ascii", "4", "'=2+3",
    "8192", "ascii", "11", "line\r\nbreak",
  };

  g_assert_cmpstr (none, ==, "offset,encoding,length,text\r\n");
  g_assert_cmpstr (two, ==,
                   "offset,encoding,length,text\r\n"
                   "0,ascii,13,!This program\r\n"
                   "77,ascii,7,\"a,b \"\"c\"\"\"\r\n");
  g_assert_cmpstr (many, ==, all);
  assert_rows (all, 6, 4, cells);
}

static void
test_live_strings (void)
{
  static const guint8 data[] =
    "\x00\x01" "hello" "\x00\x02" "w\x00" "i\x00" "d\x00" "e\x00" "\x00\x00" "@cmd";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "live.bin");
  g_autoptr(SpStringTable) strings = sp_string_table_new (sample, 4);
  g_autoptr(SpReport) report = sp_report_new ();
  g_autofree char *csv = NULL;
  SpStringRecord ascii = { 2, 5, SP_STRING_ENCODING_ASCII };
  SpStringRecord wide = { 9, 8, SP_STRING_ENCODING_UTF16LE };
  SpStringRecord at = { 19, 4, SP_STRING_ENCODING_ASCII };

  sp_string_table_append_record (strings, &ascii);
  sp_string_table_append_record (strings, &wide);
  sp_string_table_append_record (strings, &at);
  sp_report_set_strings (report, strings);

  csv = write_to_string (report, SP_REPORT_CSV_STRINGS, -1);
  g_assert_cmpstr (csv, ==,
                   "offset,encoding,length,text\r\n"
                   "2,ascii,5,hello\r\n"
                   "9,utf-16le,4,wide\r\n"
                   "19,ascii,4,'@cmd\r\n");
}

static void
test_empty_report (void)
{
  g_autoptr(SpReport) report = sp_report_new ();
  g_autofree char *iocs = write_to_string (report, SP_REPORT_CSV_IOCS, -1);
  g_autofree char *strings = write_to_string (report, SP_REPORT_CSV_STRINGS, -1);
  SpReportCsvTable table;

  g_assert_cmpstr (iocs, ==, "category,value,defanged,count,first_offset,offsets,tags\r\n");
  g_assert_cmpstr (strings, ==, "offset,encoding,length,text\r\n");

  g_assert_true (sp_report_csv_table_from_string ("iocs", &table));
  g_assert_cmpint (table, ==, SP_REPORT_CSV_IOCS);
  g_assert_true (sp_report_csv_table_from_string ("strings", &table));
  g_assert_cmpint (table, ==, SP_REPORT_CSV_STRINGS);
  g_assert_false (sp_report_csv_table_from_string ("IOCs", &table));
  g_assert_cmpstr (sp_report_csv_table_to_string (SP_REPORT_CSV_STRINGS), ==, "strings");
}

/* Many rows stream through the buffer (several flushes) and all arrive in order. */
static void
test_many_rows (void)
{
  g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
  g_autoptr(SpReport) report = sp_report_new ();
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  guint i;

  for (i = 0; i < 20000; i++)
    {
      g_autofree char *text = g_strdup_printf ("string number %u", i);

      sp_string_table_append_text (strings, (guint64) i * 10, SP_STRING_ENCODING_ASCII, text);
    }
  sp_report_set_strings (report, strings);

  csv = write_to_string (report, SP_REPORT_CSV_STRINGS, -1);
  g_assert_cmpuint (strlen (csv), >, 4 * 64 * 1024);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 20002);
  g_assert_cmpstr (lines[1], ==, "0,ascii,15,string number 0");
  g_assert_cmpstr (lines[20000], ==, "199990,ascii,19,string number 19999");
  g_assert_cmpstr (lines[20001], ==, "");
}

static void
test_cancelled (void)
{
  g_autoptr(SpReport) report = report_with_strings ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (sp_report_csv_write (report, SP_REPORT_CSV_STRINGS, NULL, out, cancellable,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_save (void)
{
  g_autoptr(SpReport) report = report_with_iocs ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *expected = write_to_string (report, SP_REPORT_CSV_IOCS, -1);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) fresh_file = NULL;
  g_autoptr(GDir) listing = NULL;

  dir = g_dir_make_tmp ("specimen-csv-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "iocs.csv", NULL);
  file = g_file_new_for_path (path);

  /* An existing file is replaced. */
  g_file_set_contents (path, "old", -1, &error);
  g_assert_no_error (error);
  g_assert_true (sp_report_csv_save (report, SP_REPORT_CSV_IOCS, NULL, file, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
  g_clear_pointer (&contents, g_free);

  /* A cancelled export keeps the old file and leaves no temporary behind... */
  g_cancellable_cancel (cancellable);
  g_assert_false (sp_report_csv_save (report, SP_REPORT_CSV_IOCS, NULL, file, cancellable,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);

  /* ...and creates nothing when there was no file (checked after g_file_replace succeeded). */
  fresh = g_build_filename (dir, "fresh.csv", NULL);
  fresh_file = g_file_new_for_path (fresh);
  g_cancellable_reset (cancellable);
  {
    g_autoptr(SpStringTable) strings = sp_string_table_new_detached (4);
    g_autoptr(GBytes) gone = g_bytes_new_static ("abcdefgh", 8);
    g_autoptr(SpSample) sample = sp_sample_new_for_bytes (gone, "gone");
    g_autoptr(SpStringTable) live = sp_string_table_new (sample, 4);
    SpStringRecord beyond = { 1000, 8, SP_STRING_ENCODING_ASCII };

    /* A live record past the end of its sample cannot be read back: the export fails. */
    sp_string_table_append_record (live, &beyond);
    sp_report_set_strings (report, live);
    g_assert_false (sp_report_csv_save (report, SP_REPORT_CSV_STRINGS, NULL, fresh_file, NULL,
                                        &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "fresh.csv"));
    g_clear_error (&error);
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "iocs.csv");
  g_assert_null (g_dir_read_name (listing));

  g_unlink (path);
  g_rmdir (dir);
}

static char *
run_cli_csv (const char *table,
             const char *path,
             const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *table_arg = g_strconcat ("--table=", table, NULL);
  const char *argv[] = { g_getenv ("SPECIMEN_CLI"), "analyze", "--format=csv", table_arg, path,
                         extra, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return g_steal_pointer (&out);
}

/* End to end: specimen-cli analyze --format=csv on a hand-built file with known offsets. */
static void
test_cli (void)
{
  static const char sample[] =
    "\x01\x02" "hello, world" "\x00\x00" "=2+3" "\x00\x7f" "see http://evil.example/a now";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *strings = NULL;
  g_autofree char *limited = NULL;
  g_autofree char *iocs = NULL;
  g_autoptr(JsonArray) rows = NULL;
  gboolean found_url = FALSE;
  int fd;

  if (g_getenv ("SPECIMEN_CLI") == NULL)
    {
      g_test_skip ("SPECIMEN_CLI is not set");
      return;
    }

  fd = g_file_open_tmp ("specimen-csv-sample-XXXXXX.bin", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, sample, sizeof sample - 1, &error);
  g_assert_no_error (error);

  strings = run_cli_csv ("strings", path, NULL);
  g_assert_cmpstr (strings, ==,
                   "offset,encoding,length,text\r\n"
                   "2,ascii,12,\"hello, world\"\r\n"
                   "16,ascii,4,'=2+3\r\n"
                   "22,ascii,29,see http://evil.example/a now\r\n");
  limited = run_cli_csv ("strings", path, "--max-strings=1");
  g_assert_cmpstr (limited, ==, "offset,encoding,length,text\r\n2,ascii,12,\"hello, world\"\r\n");

  /* The indicator table parses as CSV and holds the URL at its offset. */
  iocs = run_cli_csv ("iocs", path, NULL);
  g_assert_true (g_str_has_prefix (iocs, "category,value,defanged,count,first_offset,offsets,"
                                         "tags\r\n"));
  rows = python_parse (iocs);
  for (guint r = 1; r < json_array_get_length (rows); r++)
    {
      JsonArray *row = json_array_get_array_element (rows, r);

      g_assert_cmpuint (json_array_get_length (row), ==, 7);
      if (g_strcmp0 (json_array_get_string_element (row, 0), "url") == 0)
        {
          g_assert_cmpstr (json_array_get_string_element (row, 1), ==, "http://evil.example/a");
          g_assert_cmpstr (json_array_get_string_element (row, 4), ==, "26");
          found_url = TRUE;
        }
    }
  g_assert_true (found_url);

  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/specimen/report-csv/escape", test_escape);
  g_test_add_func ("/specimen/report-csv/iocs", test_iocs);
  g_test_add_func ("/specimen/report-csv/strings", test_strings);
  g_test_add_func ("/specimen/report-csv/live-strings", test_live_strings);
  g_test_add_func ("/specimen/report-csv/empty-report", test_empty_report);
  g_test_add_func ("/specimen/report-csv/many-rows", test_many_rows);
  g_test_add_func ("/specimen/report-csv/cancelled", test_cancelled);
  g_test_add_func ("/specimen/report-csv/save", test_save);
  g_test_add_func ("/specimen/report-csv/cli", test_cli);

  return g_test_run ();
}
