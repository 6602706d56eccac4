/* fuzz-strings.c: libFuzzer target for the streaming strings extractor
 *
 * The first bytes choose the minimum length, the Unicode mode and a seed for
 * chunk sizes; the rest is fed in random chunks (1 byte up to a few windows),
 * so that runs, UTF-16 pairs and the window overlap straddle every boundary.
 * Every string handed to the sink must be valid UTF-8 of the length given;
 * with bit 1 of the second byte set the sink also feeds the indicator
 * scanner, as the analysis does, windows of long runs included.
 */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-strings"

#include "fuzz-common.h"
#include "sp-ioc-scanner.h"
#include "sp-string-scanner.h"

typedef struct
{
  guint64       n_calls;
  SpIocScanner *iocs;
  SpIocSet     *set;
} SinkState;

static SpIocScanner *ioc_scanner;

static void
check_sink (const char       *utf8,
            gsize             length,
            guint64           offset,
            SpStringEncoding  encoding,
            gpointer          user_data)
{
  SinkState *state = user_data;

  g_assert_true (g_utf8_validate (utf8, (gssize) length, NULL));
  g_assert_true (encoding == SP_STRING_ENCODING_ASCII || encoding == SP_STRING_ENCODING_UTF16LE);
  state->n_calls++;
  if (state->iocs != NULL)
    sp_ioc_scanner_scan (state->iocs, utf8, length, offset, encoding, state->set);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  /* Compiled once: the regexes are not what is being fuzzed. */
  ioc_scanner = sp_ioc_scanner_new ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpStringTable) table = NULL;
  g_autoptr(SpStringScanner) scanner = NULL;
  g_autoptr(SpIocSet) set = NULL;
  SinkState state = { 0 };
  guint min_length;
  gboolean unicode;
  guint32 seed;
  GRand *rand;
  gsize fed = 0;
  guint count;

  if (size < 4)
    return 0;
  min_length = 1 + data[0] % 16;
  unicode = (data[1] & 1) != 0;
  if ((data[1] & 2) != 0)
    {
      set = sp_ioc_set_new ();
      state.iocs = ioc_scanner;
      state.set = set;
    }
  seed = data[2] | (guint32) data[3] << 8;
  data += 4;
  size -= 4;

  /* A live table reads its texts back from the sample. */
  bytes = g_bytes_new (data, size);
  sample = sp_sample_new_for_bytes (bytes, "fuzz.bin");
  table = sp_string_table_new (sample, min_length);
  scanner = sp_string_scanner_new (table, min_length, unicode, check_sink, &state);
  rand = g_rand_new_with_seed (seed);
  while (fed < size)
    {
      /* Mostly small chunks, sometimes larger than a window. */
      gsize chunk = g_rand_boolean (rand)
        ? (gsize) g_rand_int_range (rand, 1, 17)
        : (gsize) g_rand_int_range (rand, 1, 3 * SP_STRING_SCANNER_WINDOW);

      chunk = MIN (chunk, size - fed);
      sp_string_scanner_feed (scanner, data + fed, chunk, fed);
      fed += chunk;
    }
  g_rand_free (rand);
  sp_string_scanner_finish (scanner);
  if (set != NULL)
    {
      sp_ioc_scanner_flush (ioc_scanner);
      sp_ioc_set_seal (set);
    }

  count = sp_string_table_get_count (table);
  g_assert_cmpuint (sp_string_scanner_get_count (scanner, SP_STRING_ENCODING_ASCII) +
                    sp_string_scanner_get_count (scanner, SP_STRING_ENCODING_UTF16LE), >=, count);
  for (guint i = 0; i < count; i++)
    {
      SpStringRecord record;
      g_autofree char *text = NULL;

      g_assert_true (sp_string_table_get_record (table, i, &record));
      text = sp_string_table_dup_text (table, i);
      g_assert_nonnull (text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
  return 0;
}
