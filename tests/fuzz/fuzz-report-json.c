/* fuzz-report-json.c: libFuzzer target for the JSON report loader
 *
 * A report read back from a file is as hostile as a sample: whatever it
 * holds must either be refused with an SP_REPORT_ERROR or load and then
 * render in every format (the section renderers see the file's values).
 */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-report-json"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = sp_report_load_json ((const char *) data, size, &error);
  if (report == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  (void) sp_report_get_title (report);
  fuzz_write_report_all_formats (report);
  return 0;
}
