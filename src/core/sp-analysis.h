/* sp-analysis.h: analyse one sample into an SpReport
 *
 * Opens the sample, detects its type, runs the single pass (digests,
 * entropy, strings, indicators) and the format parsers. The blocking call
 * is for the CLI and tests; the GUI uses the _async pair on a GTask thread.
 */
#pragma once

#include <gio/gio.h>

#include "sp-pass.h"
#include "sp-report.h"

G_BEGIN_DECLS

typedef struct
{
  guint    min_string_length;
  /* Also accept printable non-Latin characters in UTF-16LE runs. */
  gboolean unicode_strings;
} SpAnalysisOptions;

void      sp_analysis_options_init (SpAnalysisOptions        *options);

SpReport *sp_analyze_path          (const char               *path,
                                    const SpAnalysisOptions  *options,
                                    GCancellable             *cancellable,
                                    SpProgressFunc            progress,
                                    gpointer                  progress_data,
                                    GError                  **error);
SpReport *sp_analyze_sample        (SpSample                 *sample,
                                    const SpAnalysisOptions  *options,
                                    GCancellable             *cancellable,
                                    SpProgressFunc            progress,
                                    gpointer                  progress_data,
                                    GError                  **error);
/* @progress is called from the worker thread. */
void      sp_analyze_path_async    (const char               *path,
                                    const SpAnalysisOptions  *options,
                                    GCancellable             *cancellable,
                                    SpProgressFunc            progress,
                                    gpointer                  progress_data,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data);
SpReport *sp_analyze_path_finish   (GAsyncResult             *result,
                                    GError                  **error);

G_END_DECLS
