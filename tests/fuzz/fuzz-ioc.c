/* fuzz-ioc.c: libFuzzer target for the indicator-of-compromise extractor
 *
 * The scanner sees UTF-8 text, as the strings extractor hands it over: the
 * input is made valid (invalid bytes become U+FFFD) and scanned as one string;
 * the first byte picks the encoding it came from. fuzz-strings drives the
 * scanner through the extractor's overlapping windows of long runs.
 * Every indicator found must be valid UTF-8 and defang without trouble.
 */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-ioc"

#include "fuzz-common.h"
#include "sp-ioc-scanner.h"

static SpIocScanner *scanner;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  /* Compiling the regexes once, as the analysis does per run, keeps the
   * fuzzer on the matching code. */
  scanner = sp_ioc_scanner_new ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  g_autofree char *text = NULL;
  SpStringEncoding encoding;
  gsize length;
  guint n;

  if (size < 1)
    return 0;
  encoding = (data[0] & 1) ? SP_STRING_ENCODING_UTF16LE : SP_STRING_ENCODING_ASCII;
  text = g_utf8_make_valid ((const char *) data + 1, (gssize) size - 1);
  length = strlen (text);

  sp_ioc_scanner_scan (scanner, text, length, 1000, encoding, set);
  sp_ioc_scanner_flush (scanner);
  sp_ioc_set_seal (set);

  n = g_list_model_get_n_items (G_LIST_MODEL (set));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (set), i);
      g_autofree char *defanged = sp_ioc_dup_defanged (ioc);

      g_assert_true (g_utf8_validate (sp_ioc_get_value (ioc), -1, NULL));
      g_assert_nonnull (defanged);
      g_assert_true (g_utf8_validate (defanged, -1, NULL));
    }
  return 0;
}
