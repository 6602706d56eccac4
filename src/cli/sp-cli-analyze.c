/* sp-cli-analyze.c: specimen-cli [analyze] [OPTIONS] FILE...
 *
 * Files are analysed concurrently (two at a time, each pass already using
 * both cores) and reported in the order given. A file that fails is
 * reported on stderr and the others still are.
 */
#include "config.h"
#define G_LOG_DOMAIN "specimen-cli"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "sp-analysis.h"
#include "sp-cli-analyze.h"
#include "sp-cli-crypt.h"
#include "sp-report-csv.h"
#include "sp-save.h"

#define MAX_CONCURRENT_FILES 2
#define PROGRESS_MIN_SIZE (64 * 1024 * 1024)
#define PROGRESS_INTERVAL_USEC (200 * 1000)

typedef struct
{
  char     *path;
  char     *display_name;   /* UTF-8, for messages */
  SpReport *report;
  GError   *error;
  gboolean  done;
  gint64    last_progress;
} FileJob;

typedef struct
{
  SpAnalysisOptions  options;
  FileJob           *jobs;
  guint              n_jobs;
  GMutex             mutex;
  GCond              cond;
  gboolean           show_progress;
  gint               next_job;     /* the next job a worker takes, atomically */
  /* --format=csv writes one table of one file instead of a report. */
  gboolean           csv;
  SpReportCsvTable   csv_table;
  /* --encrypt: the output is collected in memory and encrypted once complete. */
  SpCryptoKey       *key;
} Batch;

void
sp_cli_print_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", g_get_prgname (), message);
}

static void
print_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  FileJob *job = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;

  if (now - job->last_progress < PROGRESS_INTERVAL_USEC && done < total)
    return;
  job->last_progress = now;
  done_text = g_format_size (done);
  total_text = g_format_size (total);
  g_printerr ("\r\033[K%s: %3u%% (%s / %s)", job->display_name,
              (guint) (total > 0 ? done * 100 / total : 100), done_text, total_text);
  if (done >= total)
    g_printerr ("\r\033[K");
}

static gboolean
is_big_file (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && st.st_size >= PROGRESS_MIN_SIZE;
}

static void
analyze_job (Batch   *batch,
             FileJob *job)
{
  gboolean progress = batch->show_progress && is_big_file (job->path);
  GError *error = NULL;
  SpReport *report;

  report = sp_analyze_path (job->path, &batch->options, NULL,
                            progress ? print_progress : NULL, job, &error);

  g_mutex_lock (&batch->mutex);
  job->report = report;
  job->error = error;
  job->done = TRUE;
  g_cond_broadcast (&batch->cond);
  g_mutex_unlock (&batch->mutex);
}

/* Workers are plain threads joined before exit, not a GThreadPool, whose idle
 * threads outlive the batch: a thread that ends runs its libraries'
 * thread-exit cleanup (OpenSSL's per-thread state) before the process exits. */
static gpointer
analyze_worker (gpointer data)
{
  Batch *batch = data;
  gint index;

  while ((index = g_atomic_int_add (&batch->next_job, 1)) < (gint) batch->n_jobs)
    analyze_job (batch, &batch->jobs[index]);
  return NULL;
}

static void
wait_for_job (Batch   *batch,
              FileJob *job)
{
  g_mutex_lock (&batch->mutex);
  while (!job->done)
    g_cond_wait (&batch->cond, &batch->mutex);
  g_mutex_unlock (&batch->mutex);
}

static gboolean
write_separator (GOutputStream  *output,
                 SpReportFormat  format,
                 guint           n_written,
                 GError        **error)
{
  const char *text;

  if (format == SP_REPORT_FORMAT_JSON)
    text = n_written == 0 ? "[\n" : ",\n";
  else
    text = n_written == 0 ? "" : "\n";
  return g_output_stream_write_all (output, text, strlen (text), NULL, NULL, error);
}

typedef struct
{
  Batch                 *batch;
  SpReportFormat         format;
  const SpReportOptions *report_options;
  guint                  n_written;
  guint                  n_failed;
} BatchOutput;

static gboolean
write_one_report (BatchOutput    *out,
                  SpReport       *report,
                  GOutputStream  *output,
                  GError        **error)
{
  if (out->batch->csv)
    return sp_report_csv_write (report, out->batch->csv_table, out->report_options, output, NULL,
                                error);
  return write_separator (output, out->format, out->n_written, error) &&
         sp_report_write (report, out->format, out->report_options, output, NULL, error);
}

/* Writes each report as soon as it and those before it are done, in the order given. */
static gboolean
write_reports (GOutputStream  *output,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  BatchOutput *out = user_data;
  Batch *batch = out->batch;
  gboolean ok = TRUE;

  for (guint i = 0; i < batch->n_jobs; i++)
    {
      FileJob *job = &batch->jobs[i];

      wait_for_job (batch, job);
      if (job->report == NULL)
        {
          sp_cli_print_error ("%s", job->error->message);
          out->n_failed++;
          continue;
        }
      /* After a write error the other files are still waited for, not written. */
      if (ok)
        ok = write_one_report (out, job->report, output, error);
      out->n_written++;
      g_clear_object (&job->report);
    }

  if (ok && !batch->csv && out->format == SP_REPORT_FORMAT_JSON)
    {
      const char *end = out->n_written == 0 ? "[]\n" : "\n]\n";
      ok = g_output_stream_write_all (output, end, strlen (end), NULL, NULL, error);
    }
  return ok;
}

static gboolean
write_encrypted (BatchOutput  *out,
                 const char   *output_path,
                 GError      **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) plaintext = NULL;
  SpPayloadType type = !out->batch->csv && out->format == SP_REPORT_FORMAT_JSON
                       ? SP_PAYLOAD_JSON_REPORT : SP_PAYLOAD_OTHER;

  if (!write_reports (memory, out, NULL, error) || !g_output_stream_close (memory, NULL, error))
    return FALSE;
  /* Nothing was analysed: there is no report worth encrypting, so write nothing. */
  if (out->n_written == 0)
    return TRUE;
  plaintext = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  return sp_cli_write_encrypted (plaintext, type, out->batch->key, output_path, error);
}

static gboolean
write_output (BatchOutput  *out,
              const char   *output_path,
              GError      **error)
{
  g_autoptr(GOutputStream) standard_output = NULL;
  g_autoptr(GFile) file = NULL;

  if (out->batch->key != NULL)
    return write_encrypted (out, output_path, error);
  if (output_path == NULL || g_strcmp0 (output_path, "-") == 0)
    {
      standard_output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      return write_reports (standard_output, out, NULL, error);
    }
  file = g_file_new_for_commandline_arg (output_path);
  return sp_save_file (file, SP_SAVE_REPLACE, write_reports, out, NULL, error);
}

static int
run_batch (Batch                 *batch,
           SpReportFormat         format,
           const SpReportOptions *report_options,
           const char            *output_path)
{
  g_autoptr(GError) error = NULL;
  BatchOutput out = { batch, format, report_options, 0, 0 };
  GThread *workers[MAX_CONCURRENT_FILES];
  guint n_workers = MIN (batch->n_jobs, MAX_CONCURRENT_FILES);
  gboolean ok;

  for (guint i = 0; i < n_workers; i++)
    workers[i] = g_thread_new ("sp-cli-analyze", analyze_worker, batch);

  ok = write_output (&out, output_path, &error);
  /* Whatever happened to the output, every analysis has ended before the batch is freed. */
  for (guint i = 0; i < n_workers; i++)
    g_thread_join (workers[i]);

  if (!ok)
    {
      sp_cli_print_error (_("Cannot write the report: %s"), error->message);
      return SP_CLI_EXIT_FAILED;
    }
  return out.n_failed > 0 ? SP_CLI_EXIT_FAILED : SP_CLI_EXIT_OK;
}

static void
free_batch (Batch *batch)
{
  for (guint i = 0; i < batch->n_jobs; i++)
    {
      g_free (batch->jobs[i].path);
      g_free (batch->jobs[i].display_name);
      g_clear_object (&batch->jobs[i].report);
      g_clear_error (&batch->jobs[i].error);
    }
  g_free (batch->jobs);
  g_clear_pointer (&batch->key, sp_crypto_key_free);
  g_mutex_clear (&batch->mutex);
  g_cond_clear (&batch->cond);
}

int
sp_cli_analyze_main (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output_path = NULL;
  g_auto(GStrv) files = NULL;
  gint min_length = 4;
  gint64 max_strings = -1;
  gboolean no_strings = FALSE;
  gboolean unicode_strings = FALSE;
  gboolean encrypt = FALSE;
  g_autofree char *table_name = NULL;
  g_auto(SpCliKeyOptions) key_options = { 0 };
  SpReportOptions report_options;
  SpReportFormat format = SP_REPORT_FORMAT_TEXT;
  Batch batch = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Report format: text, json, markdown, html or csv (default: text)"), N_("FORMAT") },
    { "table", 0, 0, G_OPTION_ARG_STRING, &table_name,
      N_("With --format=csv, the table to write: iocs or strings (default: iocs)"), N_("TABLE") },
    { "encrypt", 0, 0, G_OPTION_ARG_NONE, &encrypt,
      N_("Encrypt the report (JSON unless --format says otherwise) with --password-file or "
         "--key-file; needs -o"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Write the report to FILE (atomically) instead of standard output"), N_("FILE") },
    { "min-length", 'n', 0, G_OPTION_ARG_INT, &min_length,
      N_("Shortest string to extract, in characters (default: 4)"), N_("N") },
    { "no-strings", 0, 0, G_OPTION_ARG_NONE, &no_strings,
      N_("Leave the list of strings out of the report (counts stay)"), NULL },
    { "max-strings", 0, 0, G_OPTION_ARG_INT64, &max_strings,
      N_("Write at most N strings into the report"), N_("N") },
    { "unicode-strings", 'u', 0, G_OPTION_ARG_NONE, &unicode_strings,
      N_("Also accept non-Latin printable characters in UTF-16LE strings"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (_("— analyse suspicious files"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  sp_cli_add_key_options (context, &key_options);
  g_option_context_set_summary (context,
    _("Reports size, dates, type, hashes, entropy, strings, indicators of compromise and\n"
      "format headers of each FILE, without ever running it."));
  g_option_context_set_description (context,
    _("Commands:\n"
      "  analyze    analyse files (the default)\n"
      "  image      decode an image safely; save grayscale or thumbnail copies\n"
      "  encrypt    encrypt a file or report with a password or key file\n"
      "  decrypt    decrypt an encrypted report\n"
      "  keygen     create a random key file\n"
      "\n"
      "Exit status: 0 when every file was analysed, 1 when some failed, 2 on usage errors."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sp_cli_print_error ("%s", error->message);
      return SP_CLI_EXIT_USAGE;
    }
  if (files == NULL || files[0] == NULL)
    {
      sp_cli_print_error (_("No file given. Try “%s --help”."), g_get_prgname ());
      return SP_CLI_EXIT_USAGE;
    }
  if (g_strcmp0 (format_name, "csv") == 0)
    batch.csv = TRUE;
  else if (format_name != NULL && !sp_report_format_from_string (format_name, &format))
    {
      sp_cli_print_error (_("Unknown format “%s”: use text, json, markdown, html or csv."),
                          format_name);
      return SP_CLI_EXIT_USAGE;
    }
  else if (format_name == NULL && encrypt)
    format = SP_REPORT_FORMAT_JSON;
  if (table_name != NULL && !batch.csv)
    {
      sp_cli_print_error (_("--table only applies to --format=csv."));
      return SP_CLI_EXIT_USAGE;
    }
  if (table_name != NULL && !sp_report_csv_table_from_string (table_name, &batch.csv_table))
    {
      sp_cli_print_error (_("Unknown table “%s”: use iocs or strings."), table_name);
      return SP_CLI_EXIT_USAGE;
    }
  if (batch.csv && g_strv_length (files) > 1)
    {
      sp_cli_print_error (_("A CSV table holds one file; give one FILE or another format."));
      return SP_CLI_EXIT_USAGE;
    }
  if (!sp_cli_key_options_check (&key_options, encrypt))
    return SP_CLI_EXIT_USAGE;
  if (!encrypt && (key_options.password_file != NULL || key_options.key_file != NULL))
    {
      sp_cli_print_error (_("--password-file and --key-file are used with --encrypt."));
      return SP_CLI_EXIT_USAGE;
    }
  if (encrypt && (output_path == NULL || g_strcmp0 (output_path, "-") == 0))
    {
      sp_cli_print_error (_("--encrypt writes a file: give it with -o FILE."));
      return SP_CLI_EXIT_USAGE;
    }
  if (format == SP_REPORT_FORMAT_HTML && g_strv_length (files) > 1)
    {
      sp_cli_print_error (_("An HTML report holds one file; give one FILE or another format."));
      return SP_CLI_EXIT_USAGE;
    }
  if (min_length < 1 || min_length > 4096)
    {
      sp_cli_print_error (_("The minimum string length must be between 1 and 4096."));
      return SP_CLI_EXIT_USAGE;
    }

  sp_report_options_init (&report_options);
  report_options.max_strings = no_strings ? 0 : MAX (max_strings, -1);

  sp_analysis_options_init (&batch.options);
  batch.options.min_string_length = (guint) min_length;
  batch.options.unicode_strings = unicode_strings;
  batch.n_jobs = g_strv_length (files);
  batch.jobs = g_new0 (FileJob, batch.n_jobs);
  batch.show_progress = isatty (STDERR_FILENO);
  g_mutex_init (&batch.mutex);
  g_cond_init (&batch.cond);
  for (guint i = 0; i < batch.n_jobs; i++)
    {
      batch.jobs[i].path = g_strdup (files[i]);
      batch.jobs[i].display_name = g_filename_display_name (files[i]);
    }

  if (encrypt)
    {
      /* Before analysing, so a bad password file fails fast. */
      batch.key = sp_cli_load_key (&key_options, &error);
      if (batch.key == NULL)
        {
          sp_cli_print_error ("%s", error->message);
          free_batch (&batch);
          return SP_CLI_EXIT_FAILED;
        }
    }
  status = run_batch (&batch, format, &report_options, output_path);
  free_batch (&batch);
  return status;
}
