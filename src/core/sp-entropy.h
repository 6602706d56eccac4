/* sp-entropy.h: Shannon entropy of a whole stream and of its blocks */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-pass.h"

G_BEGIN_DECLS

#define SP_ENTROPY_TARGET_POINTS 512

typedef struct _SpEntropy SpEntropy;

SpEntropy   *sp_entropy_new              (guint64        total_size);
void         sp_entropy_update           (SpEntropy     *entropy,
                                          const guint8  *data,
                                          gsize          length);
/* Closes the last partial block; the pass consumer calls it for you. */
void         sp_entropy_finish           (SpEntropy     *entropy);
void         sp_entropy_consumer_init    (SpEntropy     *entropy,
                                          SpConsumer    *consumer);
double       sp_entropy_get_overall      (SpEntropy     *entropy);
const double *sp_entropy_get_blocks      (SpEntropy     *entropy,
                                          guint         *n_blocks);
guint64      sp_entropy_get_block_size   (SpEntropy     *entropy);
JsonObject  *sp_entropy_to_json          (SpEntropy     *entropy);
void         sp_entropy_free             (SpEntropy     *entropy);

double       sp_entropy_of_buffer        (const guint8  *data,
                                          gsize          length);
double       sp_entropy_of_histogram     (const guint64  histogram[256],
                                          guint64        total);
gboolean     sp_entropy_of_range         (SpSample      *sample,
                                          guint64        offset,
                                          guint64        length,
                                          double        *bits_per_byte,
                                          GError       **error);
const char  *sp_entropy_describe         (double         bits_per_byte);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpEntropy, sp_entropy_free)

G_END_DECLS
