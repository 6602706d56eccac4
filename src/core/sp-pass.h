/* sp-pass.h: one read of a sample, fed to every consumer
 *
 * The pass reads the sample once in large chunks and hands each chunk, in
 * order, to every registered consumer. Consumers are grouped in lanes; each
 * lane runs in its own thread so the digests and scanners share both cores.
 * Memory stays bounded: a small pool of chunk buffers is recycled.
 */
#pragma once

#include <gio/gio.h>

#include "sp-sample.h"

G_BEGIN_DECLS

/**
 * SpProgressFunc:
 * @done: bytes processed so far
 * @total: bytes in the sample
 *
 * Called from a worker thread; forward to the main loop, do not touch
 * widgets here.
 */
typedef void (*SpProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

typedef struct
{
  const char *name;
  gpointer    data;
  /* Called for every chunk in file order, from the lane's thread. */
  void      (*feed)   (gpointer      data,
                       const guint8 *chunk,
                       gsize         length,
                       guint64       offset);
  /* Called once after the last chunk (optional), from the lane's thread. */
  void      (*finish) (gpointer      data);
} SpConsumer;

typedef struct _SpPass SpPass;

SpPass   *sp_pass_new            (SpSample        *sample);
void      sp_pass_set_chunk_size (SpPass          *pass,
                                  gsize            chunk_size);
void      sp_pass_add_consumer   (SpPass          *pass,
                                  guint            lane,
                                  const SpConsumer *consumer);
gboolean  sp_pass_run            (SpPass          *pass,
                                  GCancellable    *cancellable,
                                  SpProgressFunc   progress,
                                  gpointer         progress_data,
                                  GError         **error);
void      sp_pass_free           (SpPass          *pass);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPass, sp_pass_free)

G_END_DECLS
