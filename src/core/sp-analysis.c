/* sp-analysis.c: analyse one sample into an SpReport */
#include "config.h"
#define G_LOG_DOMAIN "sp-analysis"

#include <glib/gi18n.h>

#include "sp-analysis.h"
#include "sp-bmp.h"
#include "sp-digests.h"
#include "sp-elf.h"
#include "sp-entropy.h"
#include "sp-file-type.h"
#include "sp-image.h"
#include "sp-ioc-scanner.h"
#include "sp-pe.h"
#include "sp-string-scanner.h"

/* Consumers are spread over lanes (threads) so that both cores work. */
enum
{
  LANE_DIGESTS_A,
  LANE_DIGESTS_B,
  LANE_SCANNERS,
};

typedef struct
{
  char              *path;
  SpAnalysisOptions  options;
  SpProgressFunc     progress;
  gpointer           progress_data;
} AnalysisTaskData;

void
sp_analysis_options_init (SpAnalysisOptions *options)
{
  options->min_string_length = 4;
  options->unicode_strings = FALSE;
}

typedef struct
{
  SpIocScanner *scanner;
  SpIocSet     *set;
} IocSink;

/* Every extracted string (or window of a long one) goes to the indicator
 * scanner, in the strings lane. */
static void
ioc_sink (const char       *utf8,
          gsize             length,
          guint64           offset,
          SpStringEncoding  encoding,
          gpointer          user_data)
{
  IocSink *sink = user_data;

  sp_ioc_scanner_scan (sink->scanner, utf8, length, offset, encoding, sink->set);
}

static JsonObject *
digests_to_json (SpDigest **digests)
{
  JsonObject *hashes = json_object_new ();

  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    json_object_set_string_member (hashes, sp_digest_kind_get_id (kind),
                                   sp_digest_get_hex (digests[kind]));
  return hashes;
}

/**
 * sp_analyze_sample:
 *
 * Runs every analysis on an open sample. Blocking: call it from a worker
 * thread or the CLI.
 *
 * Returns: (transfer full): the report, or %NULL with @error set (including
 * %G_IO_ERROR_CANCELLED)
 */
SpReport *
sp_analyze_sample (SpSample                 *sample,
                   const SpAnalysisOptions  *options,
                   GCancellable             *cancellable,
                   SpProgressFunc            progress,
                   gpointer                  progress_data,
                   GError                  **error)
{
  g_autoptr(SpReport) report = sp_report_new ();
  g_autoptr(SpPass) pass = sp_pass_new (sample);
  g_autoptr(SpEntropy) entropy = sp_entropy_new (sp_sample_get_size (sample));
  g_autoptr(JsonObject) file_info = sp_sample_info_to_json (sample);
  g_autoptr(SpFileType) file_type = NULL;
  g_autoptr(JsonObject) file_type_json = NULL;
  g_autoptr(JsonObject) hashes = NULL;
  g_autoptr(JsonObject) entropy_json = NULL;
  SpDigest *digests[SP_N_DIGESTS];
  g_autoptr(SpStringTable) strings = NULL;
  g_autoptr(SpStringScanner) string_scanner = NULL;
  g_autoptr(SpIocScanner) ioc_scanner = NULL;
  g_autoptr(SpIocSet) iocs = NULL;
  IocSink ioc_sink_data;
  guint min_length;
  SpAnalysisOptions defaults;
  SpConsumer consumer;
  gboolean ok;

  if (options == NULL)
    {
      sp_analysis_options_init (&defaults);
      options = &defaults;
    }

  sp_report_set_section (report, "file", file_info);

  /* file type */
  file_type = sp_file_type_detect (sample, error);
  if (file_type == NULL)
    return NULL;
  file_type_json = sp_file_type_to_json (file_type);
  sp_report_set_section (report, "type", file_type_json);

  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    {
      digests[kind] = sp_digest_new (kind);
      sp_digest_consumer_init (digests[kind], &consumer);
      sp_pass_add_consumer (pass,
                            kind == SP_DIGEST_MD5 || kind == SP_DIGEST_SHA256 ? LANE_DIGESTS_A
                                                                              : LANE_DIGESTS_B,
                            &consumer);
    }
  sp_entropy_consumer_init (entropy, &consumer);
  sp_pass_add_consumer (pass, LANE_DIGESTS_B, &consumer);

  /* strings and indicators */
  min_length = CLAMP (options->min_string_length, 1, SP_STRING_SCANNER_MAX_MIN_LENGTH);
  strings = sp_string_table_new (sample, min_length);
  ioc_scanner = sp_ioc_scanner_new ();
  iocs = sp_ioc_set_new ();
  ioc_sink_data.scanner = ioc_scanner;
  ioc_sink_data.set = iocs;
  string_scanner = sp_string_scanner_new (strings, min_length, options->unicode_strings,
                                          ioc_sink, &ioc_sink_data);
  sp_string_scanner_add_to_pass (string_scanner, pass, LANE_SCANNERS);

  ok = sp_pass_run (pass, cancellable, progress, progress_data, error);
  if (ok)
    {
      hashes = digests_to_json (digests);
      entropy_json = sp_entropy_to_json (entropy);
      sp_report_set_section (report, "hashes", hashes);
      sp_report_set_section (report, "entropy", entropy_json);
      sp_report_set_strings (report, strings);
      sp_report_set_iocs (report, iocs);
    }
  for (guint kind = 0; kind < SP_N_DIGESTS; kind++)
    sp_digest_free (digests[kind]);
  if (!ok)
    return NULL;

  /* format parsers: each returns NULL unless the sample is its format */
  {
    g_autoptr(JsonObject) pe = sp_pe_analyze (sample, iocs, cancellable);
    g_autoptr(JsonObject) elf = sp_elf_analyze (sample, cancellable);
    g_autoptr(JsonObject) bmp = sp_bmp_analyze (sample);

    if (pe != NULL)
      sp_report_set_section (report, "pe", pe);
    if (elf != NULL)
      sp_report_set_section (report, "elf", elf);
    if (bmp != NULL)
      sp_report_set_section (report, "bmp", bmp);
  }

  /* Every indicator is in (the PE imports came last): settle the scanner's
   * held-back matches, then sort the list once before anyone shows it. */
  sp_ioc_scanner_flush (ioc_scanner);
  sp_ioc_set_seal (iocs);

  /* The image probe runs in the sandboxed loader; NULL when not an image. */
  {
    g_autoptr(JsonObject) image = sp_image_analyze (sample, cancellable);

    if (image != NULL)
      sp_report_set_section (report, "image", image);
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&report);
}

/**
 * sp_analyze_path:
 *
 * Opens @path (refusing anything but a regular file) and analyses it.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SpReport *
sp_analyze_path (const char               *path,
                 const SpAnalysisOptions  *options,
                 GCancellable             *cancellable,
                 SpProgressFunc            progress,
                 gpointer                  progress_data,
                 GError                  **error)
{
  g_autoptr(SpSample) sample = sp_sample_open (path, error);

  if (sample == NULL)
    return NULL;
  return sp_analyze_sample (sample, options, cancellable, progress, progress_data, error);
}

static void
analysis_task_data_free (gpointer data)
{
  AnalysisTaskData *task_data = data;

  g_free (task_data->path);
  g_free (task_data);
}

static void
analyze_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      data,
                   GCancellable *cancellable)
{
  AnalysisTaskData *task_data = data;
  GError *error = NULL;
  SpReport *report;

  report = sp_analyze_path (task_data->path, &task_data->options, cancellable,
                            task_data->progress, task_data->progress_data, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

void
sp_analyze_path_async (const char               *path,
                       const SpAnalysisOptions  *options,
                       GCancellable             *cancellable,
                       SpProgressFunc            progress,
                       gpointer                  progress_data,
                       GAsyncReadyCallback       callback,
                       gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AnalysisTaskData *task_data = g_new0 (AnalysisTaskData, 1);

  task_data->path = g_strdup (path);
  if (options != NULL)
    task_data->options = *options;
  else
    sp_analysis_options_init (&task_data->options);
  task_data->progress = progress;
  task_data->progress_data = progress_data;

  g_task_set_source_tag (task, sp_analyze_path_async);
  g_task_set_task_data (task, task_data, analysis_task_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, analyze_in_thread);
}

SpReport *
sp_analyze_path_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sp_analyze_path_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
