/* test-entropy.c: Shannon entropy of streams, blocks and ranges */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-entropy.h"

static void
test_extremes (void)
{
  guint8 zeros[4096] = { 0 };
  guint8 all_values[256 * 16];

  for (guint i = 0; i < sizeof all_values; i++)
    all_values[i] = (guint8) i;
  g_assert_cmpfloat (sp_entropy_of_buffer (zeros, sizeof zeros), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (sp_entropy_of_buffer (all_values, sizeof all_values), 8.0, 1e-9);
  g_assert_cmpfloat (sp_entropy_of_buffer (NULL, 0), ==, 0.0);
}

static void
test_two_symbols (void)
{
  /* Half 'a', half 'b': exactly one bit per byte. */
  guint8 data[1000];

  for (guint i = 0; i < sizeof data; i++)
    data[i] = i % 2 ? 'a' : 'b';
  g_assert_cmpfloat_with_epsilon (sp_entropy_of_buffer (data, sizeof data), 1.0, 1e-12);
}

static void
test_blocks (void)
{
  /* 512 KiB: first half zeros, second half a counting pattern. */
  gsize size = 512 * 1024;
  g_autofree guint8 *data = g_malloc0 (size);
  g_autoptr(SpEntropy) entropy = sp_entropy_new (size);
  const double *blocks;
  guint n_blocks;

  for (gsize i = size / 2; i < size; i++)
    data[i] = (guint8) i;
  /* Feed in uneven pieces to cross block boundaries. */
  for (gsize done = 0; done < size;)
    {
      gsize piece = MIN (size - done, 3001);
      sp_entropy_update (entropy, data + done, piece);
      done += piece;
    }
  sp_entropy_finish (entropy);

  blocks = sp_entropy_get_blocks (entropy, &n_blocks);
  g_assert_cmpuint (sp_entropy_get_block_size (entropy), ==, 1024);
  g_assert_cmpuint (n_blocks, ==, 512);
  g_assert_cmpfloat (blocks[0], ==, 0.0);
  g_assert_cmpfloat (blocks[255], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (blocks[256], 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (blocks[511], 8.0, 1e-9);
  /* Half zeros, half uniform: H = 0.5*log2(2/(1+1/256)... computed from the histogram. */
  {
    guint64 histogram[256] = { 0 };
    for (gsize i = 0; i < size; i++)
      histogram[data[i]]++;
    g_assert_cmpfloat_with_epsilon (sp_entropy_get_overall (entropy),
                                    sp_entropy_of_histogram (histogram, size), 1e-12);
  }
}

static void
test_small_file_has_few_points (void)
{
  g_autoptr(SpEntropy) entropy = sp_entropy_new (1000);
  guint8 data[1000];
  guint n_blocks;

  memset (data, 'x', sizeof data);
  sp_entropy_update (entropy, data, sizeof data);
  sp_entropy_finish (entropy);
  sp_entropy_get_blocks (entropy, &n_blocks);
  /* Blocks are at least 256 bytes: 1000 bytes give 4 points. */
  g_assert_cmpuint (n_blocks, ==, 4);
}

static void
test_range (void)
{
  guint8 data[8192];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  double value = -1;

  memset (data, 0, 4096);
  for (guint i = 4096; i < sizeof data; i++)
    data[i] = (guint8) i;
  bytes = g_bytes_new (data, sizeof data);
  sample = sp_sample_new_for_bytes (bytes, "range");

  g_assert_true (sp_entropy_of_range (sample, 0, 4096, &value, &error));
  g_assert_cmpfloat (value, ==, 0.0);
  g_assert_true (sp_entropy_of_range (sample, 4096, 4096, &value, &error));
  g_assert_cmpfloat_with_epsilon (value, 8.0, 1e-9);
  g_assert_false (sp_entropy_of_range (sample, 4096, 4097, &value, &error));
  g_assert_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_READ_FAILED);
}

static void
test_readings (void)
{
  g_assert_true (strstr (sp_entropy_describe (7.9), "compressed") != NULL);
  g_assert_true (strstr (sp_entropy_describe (0.2), "padding") != NULL);
  g_assert_cmpstr (sp_entropy_describe (7.2), !=, sp_entropy_describe (7.19));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/entropy/extremes", test_extremes);
  g_test_add_func ("/specimen/entropy/two-symbols", test_two_symbols);
  g_test_add_func ("/specimen/entropy/blocks", test_blocks);
  g_test_add_func ("/specimen/entropy/small-file", test_small_file_has_few_points);
  g_test_add_func ("/specimen/entropy/range", test_range);
  g_test_add_func ("/specimen/entropy/readings", test_readings);
  return g_test_run ();
}
