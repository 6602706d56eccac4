/* sp-span.h: the one bounds-checked reader for sample bytes
 *
 * Every read of attacker-controlled data goes through these helpers: they
 * return FALSE instead of reading past the end, and offset arithmetic is
 * overflow-checked, so parsers never do raw pointer arithmetic on input.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;
  gsize         size;
} SpSpan;

static inline SpSpan
sp_span_init (const guint8 *data,
              gsize         size)
{
  SpSpan span = { data, data != NULL ? size : 0 };
  return span;
}

gboolean sp_checked_add       (guint64        a,
                               guint64        b,
                               guint64       *sum);
gboolean sp_checked_mul       (guint64        a,
                               guint64        b,
                               guint64       *product);
gboolean sp_span_contains     (const SpSpan  *span,
                               guint64        offset,
                               guint64        length);
gboolean sp_span_sub          (const SpSpan  *span,
                               guint64        offset,
                               guint64        length,
                               SpSpan        *sub);
gboolean sp_span_read_u8      (const SpSpan  *span,
                               guint64        offset,
                               guint8        *value);
gboolean sp_span_read_u16_le  (const SpSpan  *span,
                               guint64        offset,
                               guint16       *value);
gboolean sp_span_read_u32_le  (const SpSpan  *span,
                               guint64        offset,
                               guint32       *value);
gboolean sp_span_read_u64_le  (const SpSpan  *span,
                               guint64        offset,
                               guint64       *value);
gboolean sp_span_read_u16_be  (const SpSpan  *span,
                               guint64        offset,
                               guint16       *value);
gboolean sp_span_read_u32_be  (const SpSpan  *span,
                               guint64        offset,
                               guint32       *value);
gboolean sp_span_read_u64_be  (const SpSpan  *span,
                               guint64        offset,
                               guint64       *value);
gboolean sp_span_read_u16     (const SpSpan  *span,
                               guint64        offset,
                               gboolean       big_endian,
                               guint16       *value);
gboolean sp_span_read_u32     (const SpSpan  *span,
                               guint64        offset,
                               gboolean       big_endian,
                               guint32       *value);
gboolean sp_span_read_u64     (const SpSpan  *span,
                               guint64        offset,
                               gboolean       big_endian,
                               guint64       *value);
gboolean sp_span_read_bytes   (const SpSpan  *span,
                               guint64        offset,
                               gsize          length,
                               guint8        *out);
gboolean sp_span_has_prefix   (const SpSpan  *span,
                               guint64        offset,
                               const void    *prefix,
                               gsize          length);
char    *sp_span_dup_cstring  (const SpSpan  *span,
                               guint64        offset,
                               gsize          max_length,
                               gboolean      *terminated);

G_END_DECLS
