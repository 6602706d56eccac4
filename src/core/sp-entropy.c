/* sp-entropy.c: Shannon entropy of a whole stream and of its blocks */
#include "config.h"
#define G_LOG_DOMAIN "sp-entropy"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-entropy.h"

/* Below this a block's entropy says little; small files get fewer points. */
#define MIN_BLOCK_SIZE 256
#define RANGE_BUFFER_SIZE (1024 * 1024)

struct _SpEntropy
{
  guint64  histogram[256];
  guint64  total;
  guint64  block_size;
  guint64  block_histogram[256];
  guint64  block_fill;
  double  *blocks;
  guint    n_blocks;
  guint    max_blocks;
};

SpEntropy *
sp_entropy_new (guint64 total_size)
{
  SpEntropy *entropy = g_new0 (SpEntropy, 1);

  entropy->block_size = MAX ((total_size + SP_ENTROPY_TARGET_POINTS - 1) / SP_ENTROPY_TARGET_POINTS,
                             MIN_BLOCK_SIZE);
  entropy->max_blocks = (guint) ((total_size + entropy->block_size - 1) / entropy->block_size);
  entropy->blocks = g_new0 (double, MAX (entropy->max_blocks, 1));
  return entropy;
}

double
sp_entropy_of_histogram (const guint64 histogram[256],
                         guint64       total)
{
  double entropy = 0.0;

  if (total == 0)
    return 0.0;
  for (guint i = 0; i < 256; i++)
    {
      if (histogram[i] > 0)
        {
          double p = (double) histogram[i] / (double) total;
          entropy -= p * log2 (p);
        }
    }
  /* -0.0 and 8.0000000001 read badly in a report. */
  return CLAMP (entropy, 0.0, 8.0);
}

static void
close_block (SpEntropy *entropy)
{
  if (entropy->block_fill == 0)
    return;
  if (entropy->n_blocks < entropy->max_blocks)
    entropy->blocks[entropy->n_blocks++] =
      sp_entropy_of_histogram (entropy->block_histogram, entropy->block_fill);
  memset (entropy->block_histogram, 0, sizeof entropy->block_histogram);
  entropy->block_fill = 0;
}

/* Adds the bytes of @data to @histogram. Four tables, merged at the end: with
 * one, a run of one byte value (zero pages, padding) chains every increment
 * through the same counter's store and reload, and binaries are full of
 * them. */
static void
count_bytes (guint64      *histogram,
             const guint8 *data,
             gsize         length)
{
  guint32 counts[4][256];
  gsize i = 0;

  while (i < length)
    {
      /* 32-bit counters: merge before any could overflow. */
      gsize end = i + MIN (length - i, (gsize) G_MAXUINT32);

      memset (counts, 0, sizeof counts);
      for (; i + 4 <= end; i += 4)
        {
          counts[0][data[i]]++;
          counts[1][data[i + 1]]++;
          counts[2][data[i + 2]]++;
          counts[3][data[i + 3]]++;
        }
      for (; i < end; i++)
        counts[0][data[i]]++;
      for (guint b = 0; b < 256; b++)
        histogram[b] += (guint64) counts[0][b] + counts[1][b] + counts[2][b] + counts[3][b];
    }
}

void
sp_entropy_update (SpEntropy    *entropy,
                   const guint8 *data,
                   gsize         length)
{
  while (length > 0)
    {
      gsize take = (gsize) MIN ((guint64) length, entropy->block_size - entropy->block_fill);

      count_bytes (entropy->block_histogram, data, take);
      entropy->block_fill += take;
      data += take;
      length -= take;
      if (entropy->block_fill == entropy->block_size)
        {
          for (guint b = 0; b < 256; b++)
            entropy->histogram[b] += entropy->block_histogram[b];
          entropy->total += entropy->block_fill;
          close_block (entropy);
        }
    }
}

static void
entropy_feed (gpointer      data,
              const guint8 *chunk,
              gsize         length,
              guint64       offset)
{
  sp_entropy_update (data, chunk, length);
}

void
sp_entropy_finish (SpEntropy *entropy)
{
  for (guint b = 0; b < 256; b++)
    entropy->histogram[b] += entropy->block_histogram[b];
  entropy->total += entropy->block_fill;
  close_block (entropy);
}

static void
entropy_finish (gpointer data)
{
  sp_entropy_finish (data);
}

void
sp_entropy_consumer_init (SpEntropy  *entropy,
                          SpConsumer *consumer)
{
  *consumer = (SpConsumer) {
    .name = "entropy",
    .data = entropy,
    .feed = entropy_feed,
    .finish = entropy_finish,
  };
}

double
sp_entropy_get_overall (SpEntropy *entropy)
{
  return sp_entropy_of_histogram (entropy->histogram, entropy->total);
}

const double *
sp_entropy_get_blocks (SpEntropy *entropy,
                       guint     *n_blocks)
{
  *n_blocks = entropy->n_blocks;
  return entropy->blocks;
}

guint64
sp_entropy_get_block_size (SpEntropy *entropy)
{
  return entropy->block_size;
}

static double
round_to_4 (double value)
{
  return round (value * 10000.0) / 10000.0;
}

/**
 * sp_entropy_to_json:
 *
 * Returns: (transfer full): the report's "entropy" section
 */
JsonObject *
sp_entropy_to_json (SpEntropy *entropy)
{
  JsonObject *object = json_object_new ();
  JsonArray *blocks = json_array_sized_new (entropy->n_blocks);
  double overall = sp_entropy_get_overall (entropy);

  json_object_set_double_member (object, "overall", round_to_4 (overall));
  json_object_set_string_member (object, "reading", sp_entropy_describe (overall));
  json_object_set_int_member (object, "block_size", (gint64) entropy->block_size);
  for (guint i = 0; i < entropy->n_blocks; i++)
    json_array_add_double_element (blocks, round_to_4 (entropy->blocks[i]));
  json_object_set_array_member (object, "blocks", blocks);
  return object;
}

void
sp_entropy_free (SpEntropy *entropy)
{
  if (entropy == NULL)
    return;
  g_free (entropy->blocks);
  g_free (entropy);
}

double
sp_entropy_of_buffer (const guint8 *data,
                      gsize         length)
{
  guint64 histogram[256] = { 0 };

  for (gsize i = 0; i < length; i++)
    histogram[data[i]]++;
  return sp_entropy_of_histogram (histogram, length);
}

/**
 * sp_entropy_of_range:
 *
 * Streams [@offset, @offset + @length) of @sample through a bounded
 * buffer, for the entropy of a section without loading it whole.
 */
gboolean
sp_entropy_of_range (SpSample  *sample,
                     guint64    offset,
                     guint64    length,
                     double    *bits_per_byte,
                     GError   **error)
{
  guint64 histogram[256] = { 0 };
  g_autofree guint8 *buffer = NULL;
  guint64 done = 0;

  buffer = g_malloc (RANGE_BUFFER_SIZE);
  while (done < length)
    {
      gsize piece = (gsize) MIN ((guint64) RANGE_BUFFER_SIZE, length - done);

      if (!sp_sample_read_at (sample, offset + done, buffer, piece, error))
        return FALSE;
      for (gsize i = 0; i < piece; i++)
        histogram[buffer[i]]++;
      done += piece;
    }
  *bits_per_byte = sp_entropy_of_histogram (histogram, length);
  return TRUE;
}

/**
 * sp_entropy_describe:
 *
 * Returns: a plain-language reading of an entropy value, translated
 */
const char *
sp_entropy_describe (double bits_per_byte)
{
  if (bits_per_byte >= 7.2)
    return _("Very high: likely compressed or encrypted data");
  if (bits_per_byte >= 6.0)
    return _("High: machine code, packed data or mixed content");
  if (bits_per_byte >= 4.0)
    return _("Medium: typical of text, code and structured data");
  if (bits_per_byte >= 1.0)
    return _("Low: repetitive or sparse data");
  return _("Very low: mostly padding or a single repeated byte");
}
