/* test-cli.c: specimen-cli's exit statuses, JSON shape and digests */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_argv (Run         *run,
          const char **argv)
{
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  /* A child killed by a signal (a sanitizer report, a fatal warning) says why on stderr. */
  if (!WIFEXITED (wait_status))
    g_test_message ("%s was killed; its stderr:\n%s", argv[0], run->err);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

/* Runs specimen-cli with the arguments after the first NULL-terminated list. */
#define RUN_CLI(run, ...) \
  G_STMT_START { \
    const char *argv_[] = { g_getenv ("SPECIMEN_CLI"), __VA_ARGS__, NULL }; \
    run_argv (run, argv_); \
  } G_STMT_END

static char *
oracle_digest (const char *tool,
               const char *path)
{
  g_auto(Run) run = { 0 };
  const char *argv[] = { tool, path, NULL };

  run_argv (&run, argv);
  g_assert_cmpint (run.status, ==, 0);
  return g_strndup (run.out, strcspn (run.out, " "));
}

static char *
make_fixture (const char *name,
              gsize       size)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-cli-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (MAX (size, 1));
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return path;
}

static JsonArray *
parse_array (JsonParser *parser,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_usage_errors (void)
{
  g_auto(Run) none = { 0 };
  g_auto(Run) format = { 0 };
  g_auto(Run) option = { 0 };
  g_auto(Run) help = { 0 };

  RUN_CLI (&none, "analyze");
  g_assert_cmpint (none.status, ==, 2);
  RUN_CLI (&format, "-f", "yaml", "/etc/hostname");
  g_assert_cmpint (format.status, ==, 2);
  g_assert_nonnull (strstr (format.err, "yaml"));
  RUN_CLI (&option, "--no-such-option", "/etc/hostname");
  g_assert_cmpint (option.status, ==, 2);
  RUN_CLI (&help, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--format"));
}

/* Digests of a multi-chunk file equal coreutils' on the same file. */
static void
test_json_digests_match_coreutils (void)
{
  g_autofree char *path = make_fixture ("random.bin", 5 * 1024 * 1024 + 17);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  static const char * const tools[][2] = {
    { "md5", "md5sum" }, { "sha1", "sha1sum" }, { "sha256", "sha256sum" }, { "sha512", "sha512sum" },
  };
  JsonArray *reports;
  JsonObject *hashes;

  RUN_CLI (&run, "-f", "json", "--no-strings", path);
  g_assert_cmpint (run.status, ==, 0);
  reports = parse_array (parser, run.out);
  g_assert_cmpuint (json_array_get_length (reports), ==, 1);
  hashes = json_object_get_object_member (json_array_get_object_element (reports, 0), "hashes");
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *expected = oracle_digest (tools[i][1], path);
      g_assert_cmpstr (json_object_get_string_member (hashes, tools[i][0]), ==, expected);
    }
}

static void
test_refused_inputs_keep_the_others (void)
{
  g_autofree char *good = make_fixture ("good.bin", 100);
  g_autofree char *dir = g_path_get_dirname (good);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  gint64 start;
  JsonArray *reports;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  start = g_get_monotonic_time ();
  RUN_CLI (&run, "-f", "json", fifo, "/dev/zero", good, dir);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "named pipe"));
  g_assert_nonnull (strstr (run.err, "character device"));
  g_assert_nonnull (strstr (run.err, "folder"));
  reports = parse_array (parser, run.out);
  g_assert_cmpuint (json_array_get_length (reports), ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_array_get_object_element (reports, 0),
                                                    "file"), "size"), ==, 100);
}

static void
test_several_files_in_order (void)
{
  g_autofree char *a = make_fixture ("a.bin", 10);
  g_autofree char *b = make_fixture ("b.bin", 20000);
  g_autofree char *c = make_fixture ("c.bin", 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonArray *reports;
  const char *names[] = { "a.bin", "b.bin", "c.bin" };

  RUN_CLI (&run, "analyze", "--format=json", a, b, c);
  g_assert_cmpint (run.status, ==, 0);
  reports = parse_array (parser, run.out);
  g_assert_cmpuint (json_array_get_length (reports), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *report = json_array_get_object_element (reports, i);
      g_assert_cmpstr (json_object_get_string_member (report, "schema"), ==, "specimen-report/1");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "file"),
                                                      "name"), ==, names[i]);
    }
}

static void
test_output_file (void)
{
  g_autofree char *sample = make_fixture ("out.bin", 64);
  g_autofree char *dir = g_path_get_dirname (sample);
  g_autofree char *output = g_build_filename (dir, "report.md", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) run = { 0 };

  RUN_CLI (&run, "-f", "markdown", "-o", output, sample);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "# Specimen report: out"));
  g_assert_nonnull (strstr (contents, "## Hashes"));
}

static void
test_text_report_sections (void)
{
  g_autofree char *sample = make_fixture ("text.bin", 64);
  g_auto(Run) run = { 0 };

  RUN_CLI (&run, sample);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "[ Basic information ]"));
  g_assert_nonnull (strstr (run.out, "[ Hashes ]"));
  g_assert_nonnull (strstr (run.out, "[ Entropy ]"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/specimen/cli/json-digests-match-coreutils", test_json_digests_match_coreutils);
  g_test_add_func ("/specimen/cli/refused-inputs-keep-the-others", test_refused_inputs_keep_the_others);
  g_test_add_func ("/specimen/cli/several-files-in-order", test_several_files_in_order);
  g_test_add_func ("/specimen/cli/output-file", test_output_file);
  g_test_add_func ("/specimen/cli/text-report-sections", test_text_report_sections);
  return g_test_run ();
}
