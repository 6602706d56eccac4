/* test-pass.c: one read, every consumer sees every byte in order */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sp-pass.h"

typedef struct
{
  guint64  expected_offset;
  guint64  sum;          /* a position-weighted checksum of what was fed */
  guint    n_chunks;
  gboolean finished;
  GThread *thread;
} Recorder;

static void
recorder_feed (gpointer      data,
               const guint8 *chunk,
               gsize         length,
               guint64       offset)
{
  Recorder *recorder = data;

  g_assert_cmpuint (offset, ==, recorder->expected_offset);
  for (gsize i = 0; i < length; i++)
    recorder->sum += (offset + i + 1) * chunk[i];
  recorder->expected_offset += length;
  recorder->n_chunks++;
  recorder->thread = g_thread_self ();
}

static void
recorder_finish (gpointer data)
{
  ((Recorder *) data)->finished = TRUE;
}

static GBytes *
make_pattern (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + 7);
  return g_bytes_new_take (data, size);
}

static guint64
expected_sum (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint64 sum = 0;

  for (gsize i = 0; i < size; i++)
    sum += (i + 1) * data[i];
  return sum;
}

static void
test_every_lane_sees_everything (void)
{
  g_autoptr(GBytes) bytes = make_pattern (1000003);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "pattern");
  g_autoptr(SpPass) pass = sp_pass_new (sample);
  g_autoptr(GError) error = NULL;
  Recorder recorders[4] = { { 0 } };

  sp_pass_set_chunk_size (pass, 4093);
  for (guint i = 0; i < G_N_ELEMENTS (recorders); i++)
    {
      SpConsumer consumer = { "recorder", &recorders[i], recorder_feed, recorder_finish };
      /* Two consumers share lane 0, the others get lanes of their own. */
      sp_pass_add_consumer (pass, i == 0 ? 0 : i - 1, &consumer);
    }
  g_assert_true (sp_pass_run (pass, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (recorders); i++)
    {
      g_assert_cmpuint (recorders[i].expected_offset, ==, 1000003);
      g_assert_cmpuint (recorders[i].sum, ==, expected_sum (bytes));
      g_assert_cmpuint (recorders[i].n_chunks, ==, (1000003 + 4092) / 4093);
      g_assert_true (recorders[i].finished);
    }
  g_assert_true (recorders[0].thread == recorders[1].thread);
  g_assert_true (recorders[1].thread != recorders[2].thread);
}

static void
record_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, >=, *last);
  g_assert_cmpuint (done, <=, total);
  *last = done;
}

static void
test_progress_reaches_total (void)
{
  g_autoptr(GBytes) bytes = make_pattern (300000);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "pattern");
  g_autoptr(SpPass) pass = sp_pass_new (sample);
  Recorder recorder = { 0 };
  SpConsumer consumer = { "recorder", &recorder, recorder_feed, recorder_finish };
  guint64 last = 0;

  sp_pass_set_chunk_size (pass, 1000);
  sp_pass_add_consumer (pass, 0, &consumer);
  g_assert_true (sp_pass_run (pass, NULL, record_progress, &last, NULL));
  g_assert_cmpuint (last, ==, 300000);
}

static void
cancel_after_first_chunk (gpointer      data,
                          const guint8 *chunk,
                          gsize         length,
                          guint64       offset)
{
  g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  g_autoptr(GBytes) bytes = make_pattern (1 << 20);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "pattern");
  g_autoptr(SpPass) pass = sp_pass_new (sample);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Recorder recorder = { 0 };
  SpConsumer canceller = { "canceller", cancellable, cancel_after_first_chunk, NULL };
  SpConsumer consumer = { "recorder", &recorder, recorder_feed, recorder_finish };

  sp_pass_set_chunk_size (pass, 1024);
  sp_pass_add_consumer (pass, 0, &canceller);
  sp_pass_add_consumer (pass, 1, &consumer);
  g_assert_false (sp_pass_run (pass, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (recorder.finished);
  g_assert_cmpuint (recorder.expected_offset, <, 1 << 20);
}

static void
test_empty_sample (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new (NULL, 0);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "empty");
  g_autoptr(SpPass) pass = sp_pass_new (sample);
  Recorder recorder = { 0 };
  SpConsumer consumer = { "recorder", &recorder, recorder_feed, recorder_finish };

  sp_pass_add_consumer (pass, 0, &consumer);
  g_assert_true (sp_pass_run (pass, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (recorder.n_chunks, ==, 0);
  g_assert_true (recorder.finished);
}

static void
test_file_shrinks_during_pass (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpPass) pass = NULL;
  g_autoptr(GBytes) bytes = make_pattern (1 << 20);
  Recorder recorder = { 0 };
  SpConsumer consumer = { "recorder", &recorder, recorder_feed, recorder_finish };
  int fd = g_file_open_tmp ("specimen-shrink-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), 1 << 20, &error));
  sample = sp_sample_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 1000), ==, 0);

  pass = sp_pass_new (sample);
  sp_pass_add_consumer (pass, 0, &consumer);
  g_assert_false (sp_pass_run (pass, NULL, NULL, NULL, &error));
  g_assert_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_CHANGED);
  g_assert_false (recorder.finished);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/pass/every-lane-sees-everything", test_every_lane_sees_everything);
  g_test_add_func ("/specimen/pass/progress", test_progress_reaches_total);
  g_test_add_func ("/specimen/pass/cancel", test_cancel);
  g_test_add_func ("/specimen/pass/empty", test_empty_sample);
  g_test_add_func ("/specimen/pass/file-shrinks", test_file_shrinks_during_pass);
  return g_test_run ();
}
