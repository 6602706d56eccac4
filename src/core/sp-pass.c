/* sp-pass.c: one read of a sample, fed to every consumer
 *
 * The calling thread reads chunks into buffers taken from a small pool and
 * queues each chunk to every lane. A lane is a thread that feeds its
 * consumers in file order; the last lane done with a chunk returns its
 * buffer to the pool. Memory is the pool, whatever the sample's size.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-pass"

#include "sp-pass.h"

/* Chunks small enough to stay in a core's L2 cache while its lanes read
 * them; larger ones cost memory (the pool is 2 + 2 x lanes chunks) and were
 * no faster: 2 MiB, 1 MiB, 512 KiB and 256 KiB took the same CPU time on
 * 256 MiB samples, the pool 16 MiB at 2 MiB and 4 MiB here. */
#define DEFAULT_CHUNK_SIZE (512 * 1024)
#define MAX_LANES 8

typedef struct
{
  guint8  *data;
  gsize    length;
  guint64  offset;
  gint     pending_lanes;
} Chunk;

typedef struct
{
  SpPass       *pass;
  GPtrArray    *consumers;     /* SpConsumer* */
  GAsyncQueue  *queue;         /* Chunk*, or the end marker */
  GThread      *thread;
} Lane;

struct _SpPass
{
  SpSample     *sample;
  gsize         chunk_size;
  Lane          lanes[MAX_LANES];
  guint         n_lanes;
  GAsyncQueue  *free_chunks;
  gint          aborted;
  guint64       completed_bytes;  /* atomically updated by the lane that releases a chunk */
  GMutex        progress_mutex;
};

/* Queued after the last chunk; a lane that pops it finishes and exits. */
static Chunk end_marker;

SpPass *
sp_pass_new (SpSample *sample)
{
  SpPass *pass = g_new0 (SpPass, 1);

  pass->sample = g_object_ref (sample);
  pass->chunk_size = DEFAULT_CHUNK_SIZE;
  g_mutex_init (&pass->progress_mutex);
  return pass;
}

/**
 * sp_pass_set_chunk_size:
 *
 * Tests use tiny chunks to put run boundaries where they want them.
 */
void
sp_pass_set_chunk_size (SpPass *pass,
                        gsize   chunk_size)
{
  g_return_if_fail (chunk_size > 0);
  pass->chunk_size = chunk_size;
}

/**
 * sp_pass_add_consumer:
 * @lane: which thread feeds it; consumers in one lane run one after the other
 *
 * The consumer struct is copied.
 */
void
sp_pass_add_consumer (SpPass           *pass,
                      guint             lane,
                      const SpConsumer *consumer)
{
  g_return_if_fail (lane < MAX_LANES);
  g_return_if_fail (consumer != NULL && consumer->feed != NULL);

  if (lane >= pass->n_lanes)
    {
      for (guint i = pass->n_lanes; i <= lane; i++)
        pass->lanes[i].consumers = g_ptr_array_new_with_free_func (g_free);
      pass->n_lanes = lane + 1;
    }
  g_ptr_array_add (pass->lanes[lane].consumers, g_memdup2 (consumer, sizeof *consumer));
}

static void
release_chunk (SpPass *pass,
               Chunk  *chunk)
{
  if (g_atomic_int_dec_and_test (&chunk->pending_lanes))
    {
      g_mutex_lock (&pass->progress_mutex);
      pass->completed_bytes += chunk->length;
      g_mutex_unlock (&pass->progress_mutex);
      g_async_queue_push (pass->free_chunks, chunk);
    }
}

static gpointer
lane_thread (gpointer data)
{
  Lane *lane = data;
  SpPass *pass = lane->pass;

  for (;;)
    {
      Chunk *chunk = g_async_queue_pop (lane->queue);

      if (chunk == &end_marker)
        break;
      if (!g_atomic_int_get (&pass->aborted))
        {
          for (guint i = 0; i < lane->consumers->len; i++)
            {
              SpConsumer *consumer = g_ptr_array_index (lane->consumers, i);
              consumer->feed (consumer->data, chunk->data, chunk->length, chunk->offset);
            }
        }
      release_chunk (pass, chunk);
    }

  if (!g_atomic_int_get (&pass->aborted))
    {
      for (guint i = 0; i < lane->consumers->len; i++)
        {
          SpConsumer *consumer = g_ptr_array_index (lane->consumers, i);
          if (consumer->finish != NULL)
            consumer->finish (consumer->data);
        }
    }
  return NULL;
}

static guint64
get_completed_bytes (SpPass *pass)
{
  guint64 done;

  g_mutex_lock (&pass->progress_mutex);
  done = pass->completed_bytes;
  g_mutex_unlock (&pass->progress_mutex);
  return done;
}

static void
free_chunk (gpointer data)
{
  Chunk *chunk = data;

  g_free (chunk->data);
  g_free (chunk);
}

static void
start_lanes (SpPass *pass,
             guint   n_lanes)
{
  guint n_buffers = 2 + 2 * n_lanes;

  pass->free_chunks = g_async_queue_new_full (free_chunk);
  for (guint i = 0; i < n_buffers; i++)
    {
      Chunk *chunk = g_new0 (Chunk, 1);
      chunk->data = g_malloc (pass->chunk_size);
      g_async_queue_push (pass->free_chunks, chunk);
    }

  for (guint i = 0; i < n_lanes; i++)
    {
      Lane *lane = &pass->lanes[i];
      g_autofree char *name = g_strdup_printf ("sp-pass-%u", i);

      lane->pass = pass;
      lane->queue = g_async_queue_new ();
      lane->thread = g_thread_new (name, lane_thread, lane);
    }
}

static void
stop_lanes (SpPass *pass,
            guint   n_lanes)
{
  for (guint i = 0; i < n_lanes; i++)
    g_async_queue_push (pass->lanes[i].queue, &end_marker);
  for (guint i = 0; i < n_lanes; i++)
    {
      g_thread_join (pass->lanes[i].thread);
      pass->lanes[i].thread = NULL;
      g_clear_pointer (&pass->lanes[i].queue, g_async_queue_unref);
    }
}

/**
 * sp_pass_run:
 * @progress: (nullable): called from this thread after chunks complete
 *
 * Reads the whole sample once and feeds every consumer. On error or
 * cancellation the consumers' finish functions are not called.
 *
 * Returns: %TRUE when every byte was fed and every consumer finished
 */
gboolean
sp_pass_run (SpPass          *pass,
             GCancellable    *cancellable,
             SpProgressFunc   progress,
             gpointer         progress_data,
             GError         **error)
{
  /* With no consumer the bytes are still read, so unreadable files fail alike. */
  guint n_lanes = MAX (pass->n_lanes, 1);
  guint64 size = sp_sample_get_size (pass->sample);
  guint64 offset = 0;
  gboolean ok = TRUE;

  if (pass->n_lanes == 0)
    {
      pass->lanes[0].consumers = g_ptr_array_new_with_free_func (g_free);
      pass->n_lanes = 1;
    }

  start_lanes (pass, n_lanes);

  while (offset < size)
    {
      Chunk *chunk = g_async_queue_pop (pass->free_chunks);

      if (progress != NULL)
        progress (get_completed_bytes (pass), size, progress_data);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_async_queue_push (pass->free_chunks, chunk);
          ok = FALSE;
          break;
        }

      chunk->offset = offset;
      chunk->length = (gsize) MIN ((guint64) pass->chunk_size, size - offset);
      if (!sp_sample_read_at (pass->sample, offset, chunk->data, chunk->length, error))
        {
          g_async_queue_push (pass->free_chunks, chunk);
          ok = FALSE;
          break;
        }
      offset += chunk->length;

      g_atomic_int_set (&chunk->pending_lanes, (gint) n_lanes);
      for (guint i = 0; i < n_lanes; i++)
        g_async_queue_push (pass->lanes[i].queue, chunk);
    }

  if (!ok)
    g_atomic_int_set (&pass->aborted, TRUE);
  stop_lanes (pass, n_lanes);

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (ok && progress != NULL)
    progress (size, size, progress_data);

  g_clear_pointer (&pass->free_chunks, g_async_queue_unref);
  return ok;
}

void
sp_pass_free (SpPass *pass)
{
  if (pass == NULL)
    return;
  for (guint i = 0; i < pass->n_lanes; i++)
    g_clear_pointer (&pass->lanes[i].consumers, g_ptr_array_unref);
  g_mutex_clear (&pass->progress_mutex);
  g_clear_object (&pass->sample);
  g_free (pass);
}
