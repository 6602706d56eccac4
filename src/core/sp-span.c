/* sp-span.c: the one bounds-checked reader for sample bytes */
#include "config.h"
#define G_LOG_DOMAIN "sp-span"

#include <string.h>

#include "sp-span.h"

gboolean
sp_checked_add (guint64  a,
                guint64  b,
                guint64 *sum)
{
  if (a > G_MAXUINT64 - b)
    return FALSE;
  *sum = a + b;
  return TRUE;
}

gboolean
sp_checked_mul (guint64  a,
                guint64  b,
                guint64 *product)
{
  if (a != 0 && b > G_MAXUINT64 / a)
    return FALSE;
  *product = a * b;
  return TRUE;
}

/**
 * sp_span_contains:
 *
 * Returns: %TRUE if [@offset, @offset + @length) lies inside @span, with the
 * addition checked for overflow.
 */
gboolean
sp_span_contains (const SpSpan *span,
                  guint64       offset,
                  guint64       length)
{
  guint64 end;

  if (!sp_checked_add (offset, length, &end))
    return FALSE;
  return end <= span->size;
}

gboolean
sp_span_sub (const SpSpan *span,
             guint64       offset,
             guint64       length,
             SpSpan       *sub)
{
  if (!sp_span_contains (span, offset, length))
    return FALSE;
  sub->data = span->data + offset;
  sub->size = length;
  return TRUE;
}

gboolean
sp_span_read_bytes (const SpSpan *span,
                    guint64       offset,
                    gsize         length,
                    guint8       *out)
{
  if (!sp_span_contains (span, offset, length))
    return FALSE;
  if (length > 0)
    memcpy (out, span->data + offset, length);
  return TRUE;
}

gboolean
sp_span_has_prefix (const SpSpan *span,
                    guint64       offset,
                    const void   *prefix,
                    gsize         length)
{
  return sp_span_contains (span, offset, length) &&
         memcmp (span->data + offset, prefix, length) == 0;
}

gboolean
sp_span_read_u8 (const SpSpan *span,
                 guint64       offset,
                 guint8       *value)
{
  return sp_span_read_bytes (span, offset, 1, value);
}

static guint64
decode_unsigned (const guint8 *bytes,
                 guint         width,
                 gboolean      big_endian)
{
  guint64 value = 0;

  for (guint i = 0; i < width; i++)
    {
      guint shift = big_endian ? (width - 1 - i) * 8 : i * 8;
      value |= (guint64) bytes[i] << shift;
    }
  return value;
}

static gboolean
read_unsigned (const SpSpan *span,
               guint64       offset,
               guint         width,
               gboolean      big_endian,
               guint64      *value)
{
  guint8 bytes[8];

  if (!sp_span_read_bytes (span, offset, width, bytes))
    return FALSE;
  *value = decode_unsigned (bytes, width, big_endian);
  return TRUE;
}

gboolean
sp_span_read_u16 (const SpSpan *span,
                  guint64       offset,
                  gboolean      big_endian,
                  guint16      *value)
{
  guint64 v;

  if (!read_unsigned (span, offset, 2, big_endian, &v))
    return FALSE;
  *value = (guint16) v;
  return TRUE;
}

gboolean
sp_span_read_u32 (const SpSpan *span,
                  guint64       offset,
                  gboolean      big_endian,
                  guint32      *value)
{
  guint64 v;

  if (!read_unsigned (span, offset, 4, big_endian, &v))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

gboolean
sp_span_read_u64 (const SpSpan *span,
                  guint64       offset,
                  gboolean      big_endian,
                  guint64      *value)
{
  return read_unsigned (span, offset, 8, big_endian, value);
}

gboolean
sp_span_read_u16_le (const SpSpan *span, guint64 offset, guint16 *value)
{
  return sp_span_read_u16 (span, offset, FALSE, value);
}

gboolean
sp_span_read_u32_le (const SpSpan *span, guint64 offset, guint32 *value)
{
  return sp_span_read_u32 (span, offset, FALSE, value);
}

gboolean
sp_span_read_u64_le (const SpSpan *span, guint64 offset, guint64 *value)
{
  return sp_span_read_u64 (span, offset, FALSE, value);
}

gboolean
sp_span_read_u16_be (const SpSpan *span, guint64 offset, guint16 *value)
{
  return sp_span_read_u16 (span, offset, TRUE, value);
}

gboolean
sp_span_read_u32_be (const SpSpan *span, guint64 offset, guint32 *value)
{
  return sp_span_read_u32 (span, offset, TRUE, value);
}

gboolean
sp_span_read_u64_be (const SpSpan *span, guint64 offset, guint64 *value)
{
  return sp_span_read_u64 (span, offset, TRUE, value);
}

/**
 * sp_span_dup_cstring:
 * @max_length: the longest string accepted, not counting the terminator
 * @terminated: (out) (optional): whether a NUL ended the string inside the
 *   bounds; a string cut by the end of the span or by @max_length is FALSE
 *
 * Returns: (transfer full) (nullable): a copy of the bytes up to the first
 * NUL, or %NULL if @offset is outside the span. Not validated as UTF-8.
 */
char *
sp_span_dup_cstring (const SpSpan *span,
                     guint64       offset,
                     gsize         max_length,
                     gboolean     *terminated)
{
  gsize available, limit, searched;
  const guint8 *start, *nul;

  if (terminated != NULL)
    *terminated = FALSE;
  if (offset >= span->size)
    return NULL;

  start = span->data + offset;
  available = span->size - offset;
  limit = MIN (available, max_length);
  /* Look one byte past max_length so that a string of exactly that length still counts as terminated. */
  searched = max_length < available ? max_length + 1 : available;
  nul = memchr (start, 0, searched);
  if (nul != NULL && (gsize) (nul - start) <= limit)
    {
      if (terminated != NULL)
        *terminated = TRUE;
      return g_strndup ((const char *) start, nul - start);
    }
  return g_strndup ((const char *) start, limit);
}
