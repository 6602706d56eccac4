/* sp-string-scanner.h: finds ASCII and UTF-16LE strings in one streaming pass
 *
 * By default the scanner finds exactly what GNU binutils finds with
 * `strings -a -n N` (ASCII) and `strings -a -n N -e l` (UTF-16LE): runs of
 * at least N characters drawn from 0x20-0x7E and TAB, the UTF-16LE ones as
 * 16-bit little-endian units with a zero high byte, at the same offsets. A
 * run that crosses a chunk boundary is found once, whatever the chunk size.
 *
 * With @unicode, UTF-16LE runs may also hold printable non-ASCII characters
 * from the blocks real text uses (Latin, Greek, Cyrillic, Hebrew, Arabic,
 * Thai, Devanagari, kana, fullwidth forms, emoji, and the CJK ideographs and
 * Hangul of the everyday national character sets). A run is cut where the
 * script changes (ASCII and punctuation go with any script), and dropped
 * when it reads like bytes rather than text: more than three quarters of
 * its non-ASCII characters could be misread bytes (two printable ASCII
 * bytes, or a zero low byte), half of them repeat the low byte of the one
 * before (padding, NOP sleds, tables), or accented Latin letters outnumber
 * plain ones two to one. In this mode the UTF-16LE strings are no longer GNU's; the
 * ASCII ones still are.
 *
 * Every string found is appended to the table as a 16-byte record, in the
 * order the runs end (at the same byte, ASCII first), so the order never
 * depends on the chunk size; a run of 4 GiB or more keeps its offset and its
 * byte length saturates. If a sink is given it also receives each string's
 * text as UTF-8:
 *
 * - a run of at most %SP_STRING_SCANNER_WINDOW characters arrives in one
 *   call, with the offset of the run;
 * - a longer run arrives in windows of %SP_STRING_SCANNER_WINDOW characters,
 *   each starting %SP_STRING_SCANNER_WINDOW - %SP_STRING_SCANNER_OVERLAP
 *   characters after the previous one, the last window holding what is left
 *   (more than %SP_STRING_SCANNER_OVERLAP characters). Each call gets the
 *   file offset of its window's first character, so any substring of up to
 *   %SP_STRING_SCANNER_OVERLAP + 1 characters is whole in some window, and
 *   the scanner never buffers more than one window per run.
 *
 * The sink is called from the thread that feeds the scanner (a pass lane).
 */
#pragma once

#include <glib.h>

#include "sp-pass.h"
#include "sp-string-table.h"

G_BEGIN_DECLS

/* The overlap matches the indicator scanner's own (its longest match, a
 * URL, is 2 KiB), so no indicator is ever cut by a window edge alone. */
#define SP_STRING_SCANNER_WINDOW  16384
#define SP_STRING_SCANNER_OVERLAP 4096
/* Minimum lengths are clamped to 1 ... this. */
#define SP_STRING_SCANNER_MAX_MIN_LENGTH 4096
#define SP_STRING_SCANNER_DEFAULT_MIN_LENGTH 4

/**
 * SpStringSink:
 * @utf8: the text (or one window of it), not nul-terminated
 * @length: bytes in @utf8
 * @offset: file offset of the first character of @utf8
 * @encoding: how the text is encoded in the file
 * @user_data: the sink data given to sp_string_scanner_new()
 */
typedef void (*SpStringSink) (const char       *utf8,
                              gsize             length,
                              guint64           offset,
                              SpStringEncoding  encoding,
                              gpointer          user_data);

typedef struct _SpStringScanner SpStringScanner;

SpStringScanner *sp_string_scanner_new         (SpStringTable    *table,
                                                guint             min_length,
                                                gboolean          unicode,
                                                SpStringSink      sink,
                                                gpointer          sink_data);
void             sp_string_scanner_add_to_pass (SpStringScanner  *scanner,
                                                SpPass           *pass,
                                                guint             lane);
void             sp_string_scanner_feed        (SpStringScanner  *scanner,
                                                const guint8     *data,
                                                gsize             length,
                                                guint64           offset);
void             sp_string_scanner_finish      (SpStringScanner  *scanner);
guint64          sp_string_scanner_get_count   (SpStringScanner  *scanner,
                                                SpStringEncoding  encoding);
void             sp_string_scanner_free        (SpStringScanner  *scanner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStringScanner, sp_string_scanner_free)

G_END_DECLS
