/* fuzz-common.h: what the libFuzzer targets share
 *
 * Each target is built twice: with -Dfuzzing=true as a libFuzzer binary (clang,
 * -fsanitize=fuzzer,address,undefined), and otherwise linked with replay-main.c,
 * which feeds it every file of its committed corpus in the normal suite.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <gio/gio.h>

#include "sp-report.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

/* Parsers only log through g_warning for programming errors, which must not be
 * hidden; everything else (debug, info, message) is noise at millions of runs. */
static inline void
fuzz_quiet_logs (void)
{
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
}

/* Renders @report in every format into memory: the section renderers run on
 * whatever the parser (or a hostile JSON file) put into the sections. */
static inline void
fuzz_write_report_all_formats (SpReport *report)
{
  static const SpReportFormat formats[] = {
    SP_REPORT_FORMAT_TEXT, SP_REPORT_FORMAT_MARKDOWN, SP_REPORT_FORMAT_JSON,
    SP_REPORT_FORMAT_HTML,
  };
  SpReportOptions options;

  sp_report_options_init (&options);
  options.max_strings = 64;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;

      if (!sp_report_write (report, formats[i], &options, out, NULL, &error))
        g_assert_nonnull (error);
    }
}

/* Puts @section into a fresh report under @name and renders it. */
static inline void
fuzz_render_section (const char *name,
                     JsonObject *section)
{
  g_autoptr(SpReport) report = sp_report_new ();

  if (section == NULL)
    return;
  sp_report_set_section (report, name, section);
  fuzz_write_report_all_formats (report);
}
