/* sp-string-scanner.c: finds ASCII and UTF-16LE strings in one streaming pass
 *
 * GNU strings -e l reads 2-byte units and, after a unit that is not
 * printable, steps back one byte; while in a run it steps by two. A unit at
 * p with a printable low byte has a zero byte at p + 1, so no unit at p + 1
 * can be printable: runs of the two alignments never overlap, and GNU's
 * output is exactly the maximal chains of printable units at even offsets
 * plus those at odd offsets. So each alignment gets its own counter, and
 * one loop over the bytes feeds the ASCII counter and the counter of the
 * unit that ends at the current byte, carrying one byte across chunks.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-string-scanner"

#include <string.h>

#include "sp-string-cjk-table.h"
#include "sp-string-scanner.h"

/* A run that ended long ago and a new one never share a start offset. */
#define NO_RUN G_MAXUINT64

/* UTF-8 bytes one window can need: BMP characters take at most 3, pairs 4. */
#define WINDOW_BYTES (SP_STRING_SCANNER_WINDOW * 4)

/* Group of a BMP code point in Unicode mode. */
enum {
  GROUP_NONE = 0,     /* not printable */
  GROUP_NEUTRAL = 1,  /* ASCII, punctuation, digits: goes with any script */
  /* else 2 + GUnicodeScript */
};

typedef struct
{
  SpStringEncoding encoding;
  guint            width;        /* file bytes per character in the fast path */

  /* Unicode-mode run state (the fast path keeps its counters in locals) */
  guint64          length;       /* characters */
  guint64          start;
  guint64          bytes;
  guint64          non_ascii;
  guint64          suspicious;   /* non-ASCII characters that may be misread bytes */
  guint64          echoes;       /* non-ASCII characters with the low byte of the last */
  guint64          ascii_letters;
  guint64          latin;        /* non-ASCII Latin letters */
  gunichar         last;
  guint            group;
  gunichar         high;         /* pending high surrogate, 0 if none */

  /* The current window, only with a sink */
  char            *text;
  gsize            text_len;
  guint            n_chars;
  guint8          *widths;       /* file bytes per buffered character (Unicode mode) */
  guint64          text_offset;  /* file offset of text[0] */
  guint64          run_start;    /* run the window belongs to, or NO_RUN */
  guint64          appended_to;  /* file offset after the last buffered character */
  gboolean         sent;         /* a window of this run went out already */
} SpRun;

struct _SpStringScanner
{
  SpStringTable *table;
  guint          min_length;
  gboolean       unicode;
  SpStringSink   sink;
  gpointer       sink_data;

  guint64        position;       /* bytes fed so far */
  const guint8  *chunk_data;     /* the chunk being scanned, NULL between chunks */
  guint64        chunk_offset;
  guint8         carry;          /* last byte of the previous chunk */
  guint64        counts[2];

  /* Fast path counters between chunks */
  guint64        ascii_length;
  guint64        u16_length[2];  /* by parity of the unit's offset */

  SpRun          ascii;
  SpRun          u16[2];
  gboolean       finished;
};

/* 1 for what GNU strings prints: 0x20-0x7E and TAB. */
static const guint8 printable[256] = {
  [0x09] = 1,
  [0x20] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x30] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x40] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x60] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static guint8 *bmp_groups;  /* 65536 entries, built once for Unicode mode */

/* The blocks real text is written in. Accepting every printable code point
 * would turn misaligned UTF-16 and machine code into runs of rare CJK
 * extension, Yi or Greek Extended characters; real strings in binaries come
 * from these blocks, and their ideographs and Hangul from the everyday sets
 * in sp-string-cjk-table.h. */
static const struct
{
  gunichar first;
  gunichar last;
} text_blocks[] = {
  { 0x00A0, 0x024F },   /* Latin-1 Supplement, Latin Extended-A and -B */
  { 0x0370, 0x03FF },   /* Greek */
  { 0x0400, 0x052F },   /* Cyrillic and its supplement */
  { 0x0530, 0x058F },   /* Armenian */
  { 0x0590, 0x05FF },   /* Hebrew */
  { 0x0600, 0x06FF },   /* Arabic */
  { 0x0900, 0x097F },   /* Devanagari */
  { 0x0E00, 0x0E7F },   /* Thai */
  { 0x1E00, 0x1EFF },   /* Latin Extended Additional */
  { 0x2000, 0x206F },   /* General Punctuation */
  { 0x20A0, 0x20CF },   /* Currency Symbols */
  { 0x2100, 0x214F },   /* Letterlike Symbols */
  { 0x3000, 0x301C },   /* CJK punctuation */
  { 0x3041, 0x3093 },   /* Hiragana */
  { 0x30A1, 0x30F6 },   /* Katakana */
  { 0x30FB, 0x30FC },   /* Katakana middle dot and prolonged sound mark */
  { 0x4E00, 0x9FFF },   /* CJK Unified Ideographs (common ones only) */
  { 0xAC00, 0xD7A3 },   /* Hangul Syllables (common ones only) */
  { 0xFF01, 0xFF5E },   /* Fullwidth ASCII variants */
  { 0xFFE0, 0xFFE6 },   /* Fullwidth signs */
  { 0x1F300, 0x1FAFF }, /* Emoji */
};

static gboolean
is_common_cjk (gunichar c)
{
  if (c >= SP_COMMON_HAN_FIRST && c <= SP_COMMON_HAN_LAST)
    {
      c -= SP_COMMON_HAN_FIRST;
      return (sp_common_han[c >> 3] >> (c & 7)) & 1;
    }
  if (c >= SP_COMMON_HANGUL_FIRST && c <= SP_COMMON_HANGUL_LAST)
    {
      c -= SP_COMMON_HANGUL_FIRST;
      return (sp_common_hangul[c >> 3] >> (c & 7)) & 1;
    }
  return TRUE;
}

static guint
script_group (gunichar c)
{
  GUnicodeScript script;
  gboolean in_block = FALSE;

  if (c < 0x80)
    return printable[c] ? GROUP_NEUTRAL : GROUP_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (text_blocks) && !in_block; i++)
    in_block = c >= text_blocks[i].first && c <= text_blocks[i].last;
  if (!in_block || !is_common_cjk (c) || !g_unichar_isprint (c))
    return GROUP_NONE;

  script = g_unichar_get_script (c);
  switch (script)
    {
    case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_INHERITED:
    case G_UNICODE_SCRIPT_UNKNOWN:
      return GROUP_NEUTRAL;
    /* Chinese and Japanese text mixes these freely. */
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
      script = G_UNICODE_SCRIPT_HAN;
      break;
    default:
      break;
    }

  return 2 + MIN ((guint) script, 253);
}

static void
build_bmp_groups (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      guint8 *groups = g_malloc0 (0x10000);

      for (gunichar c = 0; c < 0x10000; c++)
        {
          if (c >= 0xD800 && c <= 0xDFFF)
            continue;
          groups[c] = script_group (c);
        }
      bmp_groups = groups;
      g_once_init_leave (&initialized, 1);
    }
}

/* A non-ASCII character that may be bytes misread as UTF-16: two printable
 * ASCII bytes (ASCII text), or a zero low byte (misaligned ASCII UTF-16).
 * Real CJK text has about one in four of the first kind. */
static inline gboolean
is_suspicious (gunichar c)
{
  guint lo = c & 0xFF;
  guint hi = (c >> 8) & 0xFF;

  if (c < 0x80 || c > 0xFFFF)
    return FALSE;
  return lo == 0 || (printable[lo] && printable[hi]);
}

/* Windows */

static void
run_init (SpRun            *run,
          SpStringEncoding  encoding,
          guint             width,
          gboolean          with_text,
          gboolean          unicode)
{
  memset (run, 0, sizeof *run);
  run->encoding = encoding;
  run->width = width;
  run->run_start = NO_RUN;
  if (with_text)
    {
      run->text = g_malloc (WINDOW_BYTES);
      if (unicode)
        run->widths = g_malloc (SP_STRING_SCANNER_WINDOW);
    }
}

static void
run_clear (SpRun *run)
{
  g_clear_pointer (&run->text, g_free);
  g_clear_pointer (&run->widths, g_free);
}

static void
window_begin (SpRun   *run,
              guint64  run_start)
{
  if (run->run_start == run_start)
    return;

  run->run_start = run_start;
  run->text_offset = run_start;
  run->appended_to = run_start;
  run->text_len = 0;
  run->n_chars = 0;
  run->sent = FALSE;
}

static void
window_send_full (SpStringScanner *self,
                  SpRun           *run)
{
  guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;
  gsize cut;
  guint64 advance = 0;

  self->sink (run->text, run->text_len, run->text_offset, run->encoding, self->sink_data);

  if (run->widths != NULL)
    {
      cut = g_utf8_offset_to_pointer (run->text, step) - run->text;
      for (guint i = 0; i < step; i++)
        advance += run->widths[i];
      memmove (run->widths, run->widths + step, SP_STRING_SCANNER_OVERLAP);
    }
  else
    {
      cut = step;
      advance = (guint64) step * run->width;
    }

  memmove (run->text, run->text + cut, run->text_len - cut);
  run->text_len -= cut;
  run->n_chars -= step;
  run->text_offset += advance;
  run->sent = TRUE;
}

/* Appends @n single-byte characters read every @stride bytes from @src. */
static void
window_push_bytes (SpStringScanner *self,
                   SpRun           *run,
                   const guint8    *src,
                   gsize            n,
                   gsize            stride)
{
  run->appended_to += (guint64) n * run->width;

  while (n > 0)
    {
      gsize take = MIN (n, (gsize) (SP_STRING_SCANNER_WINDOW - run->n_chars));
      char *dest = run->text + run->text_len;

      if (stride == 1)
        memcpy (dest, src, take);
      else
        for (gsize i = 0; i < take; i++)
          dest[i] = src[i * stride];

      run->text_len += take;
      run->n_chars += take;
      src += take * stride;
      n -= take;

      if (run->n_chars == SP_STRING_SCANNER_WINDOW)
        window_send_full (self, run);
    }
}

static void
window_push_char (SpStringScanner *self,
                  SpRun           *run,
                  gunichar         c,
                  guint            width)
{
  run->text_len += g_unichar_to_utf8 (c, run->text + run->text_len);
  run->widths[run->n_chars++] = width;
  run->appended_to += width;

  if (run->n_chars == SP_STRING_SCANNER_WINDOW)
    window_send_full (self, run);
}

/* The run is over and long enough: send what no window has sent yet. */
static void
window_end (SpStringScanner *self,
            SpRun           *run)
{
  if (run->n_chars > (run->sent ? SP_STRING_SCANNER_OVERLAP : 0))
    self->sink (run->text, run->text_len, run->text_offset, run->encoding, self->sink_data);

  run->run_start = NO_RUN;
  run->text_len = 0;
  run->n_chars = 0;
  run->sent = FALSE;
}

static void
add_record (SpStringScanner  *self,
            guint64           start,
            guint64           bytes,
            SpStringEncoding  encoding)
{
  SpStringRecord record;
  guint64 max = encoding == SP_STRING_ENCODING_UTF16LE ? G_MAXUINT32 - 1 : G_MAXUINT32;

  self->counts[encoding]++;
  if (self->table == NULL)
    return;

  /* Runs of 4 GiB and more keep their offset; the length saturates. */
  record.offset = start;
  record.byte_length = (guint32) MIN (bytes, max);
  record.encoding = encoding;
  sp_string_table_append_record (self->table, &record);
}

/* Fast path */

/* Buffers ASCII run text from this chunk, from where it was left up to @end. */
static void
ascii_append (SpStringScanner *self,
              const guint8    *data,
              guint64          offset,
              guint64          start,
              guint64          end)
{
  SpRun *run = &self->ascii;
  guint64 from;

  window_begin (run, start);
  from = MAX (run->appended_to, offset);
  if (end > from)
    window_push_bytes (self, run, data + (from - offset), end - from, 1);
}

/* Buffers UTF-16 run text (the low bytes) through the unit at @last. The
 * unit at offset - 1 has its low byte in the previous chunk: the carry. */
static void
u16_append (SpStringScanner *self,
            SpRun           *run,
            const guint8    *data,
            guint64          offset,
            guint64          start,
            guint64          last)
{
  guint64 from;

  window_begin (run, start);
  from = run->appended_to;
  if (from > last)
    return;

  if (from + 1 == offset)
    {
      window_push_bytes (self, run, &self->carry, 1, 1);
      from += 2;
      if (from > last)
        return;
    }

  window_push_bytes (self, run, data + (from - offset), (last - from) / 2 + 1, 2);
}

/* The run ended at byte @i of the current chunk (data NULL at the end). */
static G_GNUC_NO_INLINE void
emit_ascii (SpStringScanner *self,
            gsize            i,
            guint64          length)
{
  guint64 end = self->chunk_offset + i;
  guint64 start = end - length;

  add_record (self, start, length, SP_STRING_ENCODING_ASCII);
  if (self->sink != NULL)
    {
      if (self->chunk_data != NULL)
        ascii_append (self, self->chunk_data, self->chunk_offset, start, end);
      window_end (self, &self->ascii);
    }
}

/* The run was ended by the unit that ends at byte @i of the current chunk,
 * i.e. starts at chunk_offset + i - 1. */
static G_GNUC_NO_INLINE void
emit_u16 (SpStringScanner *self,
          gsize            i,
          guint64          length)
{
  guint64 next = self->chunk_offset + i - 1;
  SpRun *run = &self->u16[next & 1];
  guint64 start = next - 2 * length;

  add_record (self, start, 2 * length, SP_STRING_ENCODING_UTF16LE);
  if (self->sink != NULL)
    {
      if (self->chunk_data != NULL)
        u16_append (self, run, self->chunk_data, self->chunk_offset, start, next - 2);
      window_end (self, run);
    }
}

/* One byte: the ASCII run, and the UTF-16 run of the unit ending here.
 * Counting is branch-free; the only branch is taken when a run ends long
 * enough, so random data costs no mispredictions. */
#define SCAN_STEP(I, UCOUNT)                                    \
  G_STMT_START {                                                \
    guint b_ = data[I];                                         \
    guint p_ = printable[b_];                                   \
    guint u_ = prev & (b_ == 0);                                \
                                                                \
    if (G_UNLIKELY ((alen >= min) & (p_ ^ 1)))                  \
      emit_ascii (self, (I), alen);                             \
    alen = (alen + 1) & -(guint64) p_;                          \
    if (G_UNLIKELY ((UCOUNT >= min) & (u_ ^ 1)))                \
      emit_u16 (self, (I), UCOUNT);                             \
    UCOUNT = (UCOUNT + 1) & -(guint64) u_;                      \
    prev = p_;                                                  \
  } G_STMT_END

static void
scan_fast (SpStringScanner *self,
           const guint8    *data,
           gsize            length,
           guint64          offset)
{
  const guint64 min = self->min_length;
  guint64 alen = self->ascii_length;
  /* The unit ending at byte i starts at offset + i - 1: at even i it has
   * the alignment of offset + 1, at odd i that of offset. Unrolling by two
   * keeps each counter in its own register. */
  guint64 ueven = self->u16_length[(offset + 1) & 1];
  guint64 uodd = self->u16_length[offset & 1];
  guint prev = offset > 0 ? printable[self->carry] : 0;
  gsize i = 0;

  self->chunk_data = data;
  self->chunk_offset = offset;

  for (; i + 2 <= length; i += 2)
    {
      SCAN_STEP (i, ueven);
      SCAN_STEP (i + 1, uodd);
    }
  if (i < length)
    SCAN_STEP (i, ueven);

  self->ascii_length = alen;
  self->u16_length[(offset + 1) & 1] = ueven;
  self->u16_length[offset & 1] = uodd;

  if (self->sink != NULL)
    {
      guint64 end = offset + length;

      if (alen > 0)
        ascii_append (self, data, offset, end - alen, end);

      /* The last unit read of each alignment starts at end - 2 and end - 3. */
      for (guint k = 2; k <= 3; k++)
        {
          guint64 last = end - k;
          guint64 n;

          if (end < k)
            continue;
          n = self->u16_length[last & 1];
          if (n > 0)
            u16_append (self, &self->u16[last & 1], data, offset, last + 2 - 2 * n, last);
        }
    }

  self->chunk_data = NULL;
}

#undef SCAN_STEP

/* Unicode mode */

/* Whether a finished Unicode-mode run reads like text rather than bytes. */
static gboolean
unicode_run_is_text (SpRun *run)
{
  /* Nearly all misread bytes: ASCII text or misaligned UTF-16 */
  if (run->suspicious * 4 > run->non_ascii * 3)
    return FALSE;
  /* Repeating low bytes: padding, NOP sleds (U+9090), tables */
  if (run->non_ascii >= 2 && run->echoes * 2 >= run->non_ascii)
    return FALSE;
  /* Accented Latin letters come with plain ones in real words (even in
   * "Zażółć gęślą jaźń" they are only 9 to 6) */
  if (run->latin > 2 * run->ascii_letters)
    return FALSE;
  return TRUE;
}

static void
unicode_end_run (SpStringScanner *self,
                 SpRun           *run)
{
  if (run->length >= self->min_length && unicode_run_is_text (run))
    {
      add_record (self, run->start, run->bytes, SP_STRING_ENCODING_UTF16LE);
      if (self->sink != NULL)
        window_end (self, run);
    }
  else if (self->sink != NULL)
    run->run_start = NO_RUN;

  run->length = 0;
}

static inline void
unicode_accept (SpStringScanner *self,
                SpRun           *run,
                gunichar         c,
                guint            group,
                guint64          position,
                guint            width)
{
  if (group > GROUP_NEUTRAL && run->group > GROUP_NEUTRAL && group != run->group)
    unicode_end_run (self, run);

  if (run->length == 0)
    {
      run->start = position;
      run->bytes = 0;
      run->non_ascii = 0;
      run->suspicious = 0;
      run->echoes = 0;
      run->ascii_letters = 0;
      run->latin = 0;
      run->last = 0;
      run->group = GROUP_NEUTRAL;
      if (self->sink != NULL)
        window_begin (run, position);
    }

  if (group > GROUP_NEUTRAL)
    run->group = group;
  if (c >= 0x80)
    {
      run->non_ascii++;
      run->suspicious += is_suspicious (c);
      run->echoes += run->last >= 0x80 && (run->last & 0xFF) == (c & 0xFF);
      run->latin += group == 2 + G_UNICODE_SCRIPT_LATIN;
    }
  else
    run->ascii_letters += g_ascii_isalpha (c);
  run->last = c;
  run->length++;
  run->bytes += width;

  if (self->sink != NULL)
    window_push_char (self, run, c, width);
}

/* Surrogates, and the unit after a high surrogate. */
static G_GNUC_NO_INLINE void
unicode_step_slow (SpStringScanner *self,
                   SpRun           *run,
                   gunichar         unit,
                   guint64          position)
{
  guint group;

  if (run->high != 0)
    {
      gunichar high = run->high;

      run->high = 0;
      if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
          gunichar c = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00);

          group = script_group (c);
          if (group != GROUP_NONE)
            {
              unicode_accept (self, run, c, group, position - 2, 4);
              return;
            }
        }
      /* An unpaired or unprintable high surrogate ends the run. */
      unicode_end_run (self, run);
    }

  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      run->high = unit;
      return;
    }

  group = unit >= 0xD800 && unit <= 0xDFFF ? GROUP_NONE : bmp_groups[unit];
  if (group == GROUP_NONE)
    unicode_end_run (self, run);
  else
    unicode_accept (self, run, unit, group, position, 2);
}

/* Feeds the unit at @position to the run of its alignment. */
static inline void
unicode_step (SpStringScanner *self,
              gunichar         unit,
              guint64          position)
{
  SpRun *run = &self->u16[position & 1];
  guint group;

  if (G_UNLIKELY (run->high != 0 || (unit >= 0xD800 && unit <= 0xDFFF)))
    {
      unicode_step_slow (self, run, unit, position);
      return;
    }

  group = bmp_groups[unit];
  if (group == GROUP_NONE)
    {
      if (run->length > 0)
        unicode_end_run (self, run);
    }
  else
    unicode_accept (self, run, unit, group, position, 2);
}

static void
scan_unicode (SpStringScanner *self,
              const guint8    *data,
              gsize            length,
              guint64          offset)
{
  const guint64 min = self->min_length;
  guint64 alen = self->ascii_length;
  guint prev = self->carry;

  self->chunk_data = data;
  self->chunk_offset = offset;

  for (gsize i = 0; i < length; i++)
    {
      guint8 b = data[i];

      if (printable[b])
        alen++;
      else
        {
          if (alen >= min)
            emit_ascii (self, i, alen);
          alen = 0;
        }

      if (offset + i > 0)
        unicode_step (self, prev | (b << 8), offset + i - 1);
      prev = b;
    }

  self->ascii_length = alen;
  if (self->sink != NULL && alen > 0)
    ascii_append (self, data, offset, offset + length - alen, offset + length);
  self->chunk_data = NULL;
}

/* Public API */

/**
 * sp_string_scanner_new:
 * @table: (nullable): where to append a record per string found
 * @min_length: the fewest characters a string has, clamped to
 *   1 ... %SP_STRING_SCANNER_MAX_MIN_LENGTH
 * @unicode: also accept printable non-ASCII characters in UTF-16LE runs
 * @sink: (nullable): receives the text of each string (see the header)
 * @sink_data: data for @sink
 *
 * Returns: (transfer full): a scanner; feed it the sample's bytes in order
 */
SpStringScanner *
sp_string_scanner_new (SpStringTable *table,
                       guint          min_length,
                       gboolean       unicode,
                       SpStringSink   sink,
                       gpointer       sink_data)
{
  SpStringScanner *self = g_new0 (SpStringScanner, 1);

  if (table != NULL)
    self->table = g_object_ref (table);
  self->min_length = CLAMP (min_length, 1, SP_STRING_SCANNER_MAX_MIN_LENGTH);
  self->unicode = !!unicode;
  self->sink = sink;
  self->sink_data = sink_data;

  run_init (&self->ascii, SP_STRING_ENCODING_ASCII, 1, sink != NULL, FALSE);
  for (guint k = 0; k < 2; k++)
    run_init (&self->u16[k], SP_STRING_ENCODING_UTF16LE, 2, sink != NULL, self->unicode);

  if (self->unicode)
    build_bmp_groups ();

  return self;
}

/**
 * sp_string_scanner_feed:
 * @scanner: a scanner
 * @data: the next bytes of the sample
 * @length: how many
 * @offset: their file offset: the number of bytes fed before
 *
 * Scans one chunk. Chunks must come in order without gaps.
 */
void
sp_string_scanner_feed (SpStringScanner *scanner,
                        const guint8    *data,
                        gsize            length,
                        guint64          offset)
{
  g_return_if_fail (scanner != NULL);
  g_return_if_fail (!scanner->finished);
  g_return_if_fail (offset == scanner->position);
  g_return_if_fail (data != NULL || length == 0);

  if (length == 0)
    return;

  if (scanner->unicode)
    scan_unicode (scanner, data, length, offset);
  else
    scan_fast (scanner, data, length, offset);

  scanner->position = offset + length;
  scanner->carry = data[length - 1];
}

/**
 * sp_string_scanner_finish:
 * @scanner: a scanner
 *
 * Ends the runs still open at the end of the sample. Call once, after the
 * last chunk; sp_pass_run() does it for a scanner added to the pass.
 */
void
sp_string_scanner_finish (SpStringScanner *scanner)
{
  guint64 end;

  g_return_if_fail (scanner != NULL);

  if (scanner->finished)
    return;
  scanner->finished = TRUE;
  end = scanner->position;

  /* Emitting with no chunk: every run's text is buffered already. */
  scanner->chunk_data = NULL;
  scanner->chunk_offset = end;
  if (scanner->ascii_length >= scanner->min_length)
    emit_ascii (scanner, 0, scanner->ascii_length);

  if (scanner->unicode)
    {
      for (guint k = 0; k < 2; k++)
        {
          /* A pending high surrogate has nothing to pair with: it ends the run. */
          scanner->u16[k].high = 0;
          unicode_end_run (scanner, &scanner->u16[k]);
        }
      return;
    }

  /* The next unit of one alignment would start at end (nothing left), of
   * the other at end - 1 (one byte left, not a unit): both runs end. */
  for (guint64 next = end > 0 ? end - 1 : 0; next <= end; next++)
    {
      guint64 n = scanner->u16_length[next & 1];

      if (n >= scanner->min_length)
        emit_u16 (scanner, next + 1 - end, n);
      scanner->u16_length[next & 1] = 0;
    }
}

static void
consumer_feed (gpointer      data,
               const guint8 *chunk,
               gsize         length,
               guint64       offset)
{
  sp_string_scanner_feed (data, chunk, length, offset);
}

static void
consumer_finish (gpointer data)
{
  sp_string_scanner_finish (data);
}

/**
 * sp_string_scanner_add_to_pass:
 * @scanner: a scanner, which must outlive the pass run
 * @pass: the pass
 * @lane: the lane (thread) to scan in
 *
 * Registers the scanner as one consumer of @pass; the table and the sink
 * are then used from that lane's thread until sp_pass_run() returns.
 */
void
sp_string_scanner_add_to_pass (SpStringScanner *scanner,
                               SpPass          *pass,
                               guint            lane)
{
  SpConsumer consumer = {
    .name = "strings",
    .data = scanner,
    .feed = consumer_feed,
    .finish = consumer_finish,
  };

  g_return_if_fail (scanner != NULL);
  g_return_if_fail (pass != NULL);

  sp_pass_add_consumer (pass, lane, &consumer);
}

/**
 * sp_string_scanner_get_count:
 * @scanner: a scanner
 * @encoding: which strings to count
 *
 * Returns: how many strings of @encoding were found so far (the table may
 *   hold fewer if it overflowed)
 */
guint64
sp_string_scanner_get_count (SpStringScanner  *scanner,
                             SpStringEncoding  encoding)
{
  g_return_val_if_fail (scanner != NULL, 0);
  g_return_val_if_fail (encoding <= SP_STRING_ENCODING_UTF16LE, 0);

  return scanner->counts[encoding];
}

void
sp_string_scanner_free (SpStringScanner *scanner)
{
  if (scanner == NULL)
    return;

  g_clear_object (&scanner->table);
  run_clear (&scanner->ascii);
  run_clear (&scanner->u16[0]);
  run_clear (&scanner->u16[1]);
  g_free (scanner);
}
