/* test-strings.c: SpStringScanner against GNU binutils strings as the oracle */
#include "config.h"
#define G_LOG_DOMAIN "test-strings"

#include <glib/gstdio.h>
#include <string.h>

#include "sp-pass.h"
#include "sp-string-scanner.h"

typedef struct
{
  guint64  offset;
  char    *text;
} Found;

static void
found_clear (Found *found)
{
  g_free (found->text);
}

static GArray *
found_array_new (void)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (Found));

  g_array_set_clear_func (array, (GDestroyNotify) found_clear);
  return array;
}

static gint
found_compare (gconstpointer a,
               gconstpointer b)
{
  const Found *fa = a;
  const Found *fb = b;

  return fa->offset < fb->offset ? -1 : fa->offset > fb->offset;
}

/* Runs `strings -a -t d -n N [-e l]` and parses "<offset> <text>" lines. */
static GArray *
run_gnu_strings (const char *path,
                 guint       min_length,
                 gboolean    utf16)
{
  g_autofree char *n = g_strdup_printf ("%u", min_length);
  const char *argv[] = { "strings", "-a", "-t", "d", "-n", n, "-e", utf16 ? "l" : "s", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GArray *found = found_array_new ();
  int status;
  char *line;
  char *next;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  for (line = out; *line != '\0'; line = next)
    {
      Found item;
      char *end;

      next = strchr (line, '\n');
      g_assert_nonnull (next);
      *next++ = '\0';

      while (*line == ' ')
        line++;
      item.offset = g_ascii_strtoull (line, &end, 10);
      g_assert_true (end != line && *end == ' ');
      item.text = g_strdup (end + 1);
      g_array_append_val (found, item);
    }

  g_array_sort (found, found_compare);
  return found;
}

typedef struct
{
  GString *text;        /* reassembled text of the current string */
  guint64  offset;      /* offset of the current string */
  guint64  next_offset; /* where the next window of it must start */
  SpStringEncoding encoding;
  gboolean open;
  GArray  *strings[2];  /* Found by encoding, as reassembled from windows */
  guint    windows;
} SinkLog;

static void
sink_log_close (SinkLog *log)
{
  Found item;

  if (!log->open)
    return;
  item.offset = log->offset;
  item.text = g_strdup (log->text->str);
  g_array_append_val (log->strings[log->encoding], item);
  log->open = FALSE;
}

/* Reassembles windows: a window that starts inside the open string of the
 * same encoding continues it, past the overlap. */
static void
sink_log_add (const char       *utf8,
              gsize             length,
              guint64           offset,
              SpStringEncoding  encoding,
              gpointer          user_data)
{
  SinkLog *log = user_data;
  guint width = encoding == SP_STRING_ENCODING_UTF16LE ? 2 : 1;
  gsize n_chars = g_utf8_strlen (utf8, length);

  g_assert_true (g_utf8_validate (utf8, length, NULL));
  g_assert_cmpuint (n_chars, <=, SP_STRING_SCANNER_WINDOW);
  log->windows++;

  if (log->open && log->encoding == encoding && offset < log->next_offset)
    {
      guint64 overlap = (log->next_offset - offset) / width;
      const char *rest = g_utf8_offset_to_pointer (utf8, overlap);

      /* Windows start every WINDOW - OVERLAP characters of a long string. */
      g_assert_cmpuint (overlap, ==, SP_STRING_SCANNER_OVERLAP);
      g_assert_cmpuint (offset, ==, log->next_offset - SP_STRING_SCANNER_OVERLAP * width);
      g_assert_cmpuint (n_chars, >, SP_STRING_SCANNER_OVERLAP);
      g_assert_cmpint (strncmp (log->text->str + log->text->len - (rest - utf8), utf8,
                                rest - utf8), ==, 0);
      g_string_append_len (log->text, rest, length - (rest - utf8));
    }
  else
    {
      sink_log_close (log);
      g_string_truncate (log->text, 0);
      g_string_append_len (log->text, utf8, length);
      log->offset = offset;
      log->encoding = encoding;
      log->open = TRUE;
    }
  log->next_offset = offset + (guint64) n_chars * width;
}

static void
assert_same_strings (GArray     *expected,
                     GArray     *actual,
                     const char *what)
{
  for (guint i = 0; i < MIN (expected->len, actual->len); i++)
    {
      Found *e = &g_array_index (expected, Found, i);
      Found *a = &g_array_index (actual, Found, i);

      if (e->offset != a->offset || strcmp (e->text, a->text) != 0)
        g_error ("%s: string %u differs: expected %" G_GUINT64_FORMAT " \"%s\", got %"
                 G_GUINT64_FORMAT " \"%s\"", what, i, e->offset, e->text, a->offset, a->text);
    }
  if (expected->len != actual->len)
    g_error ("%s: expected %u strings, got %u", what, expected->len, actual->len);
}

/* Scans @path through a real pass with @chunk_size and checks the table
 * (text read back lazily) and the sink against GNU strings. Returns how
 * many more sink calls there were than strings: the extra windows. */
static guint
check_file (const char *path,
            guint       min_length,
            gsize       chunk_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  g_autoptr(SpStringTable) table = NULL;
  g_autoptr(SpStringScanner) scanner = NULL;
  g_autoptr(SpPass) pass = NULL;
  GArray *expected[2];
  GArray *actual[2];
  SinkLog log = { 0 };
  guint n_strings = 0;
  guint count;

  g_assert_no_error (error);
  table = sp_string_table_new (sample, min_length);
  log.text = g_string_new (NULL);
  log.strings[0] = found_array_new ();
  log.strings[1] = found_array_new ();
  scanner = sp_string_scanner_new (table, min_length, FALSE, sink_log_add, &log);
  pass = sp_pass_new (sample);
  sp_pass_set_chunk_size (pass, chunk_size);
  sp_string_scanner_add_to_pass (scanner, pass, 0);
  sp_pass_run (pass, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sink_log_close (&log);

  actual[0] = found_array_new ();
  actual[1] = found_array_new ();
  count = sp_string_table_get_count (table);
  for (guint i = 0; i < count; i++)
    {
      SpStringRecord record;
      Found item;

      g_assert_true (sp_string_table_get_record (table, i, &record));
      item.offset = record.offset;
      item.text = sp_string_table_dup_text (table, i);
      g_assert_nonnull (item.text);
      g_assert_cmpuint (record.byte_length, ==,
                        strlen (item.text) * (record.encoding == SP_STRING_ENCODING_UTF16LE
                                              ? 2 : 1));
      g_array_append_val (actual[record.encoding], item);
    }

  for (guint e = 0; e < 2; e++)
    {
      g_autofree char *what = g_strdup_printf ("%s -n %u %s chunk %" G_GSIZE_FORMAT, path,
                                               min_length, e ? "utf-16le" : "ascii", chunk_size);
      g_autofree char *what_sink = g_strconcat (what, " (sink)", NULL);

      expected[e] = run_gnu_strings (path, min_length, e == SP_STRING_ENCODING_UTF16LE);
      g_array_sort (actual[e], found_compare);
      g_array_sort (log.strings[e], found_compare);
      assert_same_strings (expected[e], actual[e], what);
      assert_same_strings (expected[e], log.strings[e], what_sink);
      g_assert_cmpuint (sp_string_scanner_get_count (scanner, e), ==, expected[e]->len);
      n_strings += expected[e]->len;
      g_array_unref (expected[e]);
      g_array_unref (actual[e]);
      g_array_unref (log.strings[e]);
    }

  g_string_free (log.text, TRUE);
  return log.windows - n_strings;
}

static char *
write_temp (const guint8 *data,
            gsize         length)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("test-strings-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, (const char *) data, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
append_utf16 (GByteArray *array,
              const char *ascii)
{
  for (const char *p = ascii; *p != '\0'; p++)
    {
      guint8 unit[2] = { (guint8) *p, 0 };
      g_byte_array_append (array, unit, 2);
    }
}

/* Hand-built runs at both alignments, of lengths around the minimum, with
 * tabs, DEL, high bytes, odd resyncs and odd trailing bytes, scanned with
 * every tiny chunk size so each boundary falls everywhere. */
static GByteArray *
make_boundary_fixture (void)
{
  GByteArray *array = g_byte_array_new ();
  static const guint8 junk[] = { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x0D };

  g_byte_array_append (array, (const guint8 *) "ABCD", 4);
  g_byte_array_append (array, junk, 1);
  append_utf16 (array, "efgh");
  g_byte_array_append (array, (const guint8 *) "x", 1);  /* odd alignment next */
  append_utf16 (array, "IJKLM");
  g_byte_array_append (array, (const guint8 *) "\x01", 1);
  append_utf16 (array, "no");
  g_byte_array_append (array, (const guint8 *) "E\x01\0F\0G\0H\0I\0", 11);
  g_byte_array_append (array, (const guint8 *) "tab\there", 8);
  g_byte_array_append (array, junk + 2, 1);
  g_byte_array_append (array, (const guint8 *) "abc", 3);
  g_byte_array_append (array, junk + 3, 2);
  g_byte_array_append (array, (const guint8 *) "ab", 2);
  g_byte_array_append (array, junk, 1);
  append_utf16 (array, "\tq r");
  g_byte_array_append (array, (const guint8 *) "A\0B\0C\0D\0", 8);
  g_byte_array_append (array, junk + 5, 2);
  g_byte_array_append (array, (const guint8 *) "0123456789abcdefghijklmnop", 26);
  g_byte_array_append (array, (const guint8 *) "\0\0\0", 3);
  for (guint i = 0; i < 20; i++)
    {
      /* Two alignments of UTF-16 that touch, and short runs of every length */
      append_utf16 (array, "zz");
      g_byte_array_append (array, (const guint8 *) "Q", 1);
      g_byte_array_append (array, (const guint8 *) "abcdefghijk", i % 11);
      g_byte_array_append (array, junk + (i % G_N_ELEMENTS (junk)), 1);
    }
  append_utf16 (array, "tail at the end");
  g_byte_array_append (array, (const guint8 *) "Z", 1);  /* odd last byte */

  return array;
}

static void
test_boundary (void)
{
  g_autoptr(GByteArray) array = make_boundary_fixture ();
  g_autofree char *path = write_temp (array->data, array->len);
  static const guint min_lengths[] = { 1, 2, 3, 4, 5, 6, 10 };
  static const gsize chunks[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 64, 4096 };

  for (guint m = 0; m < G_N_ELEMENTS (min_lengths); m++)
    for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
      check_file (path, min_lengths[m], chunks[c]);

  /* The same file without its odd last byte */
  g_file_set_contents (path, (const char *) array->data, array->len - 1, NULL);
  check_file (path, 4, 3);
  check_file (path, 4, 4096);

  g_unlink (path);
}

/* A few MiB of random data, with printable stretches and UTF-16 runs at
 * random alignments mixed in so there are many strings, some very long. */
static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  gsize size = 3 * 1024 * 1024;
  g_autofree guint8 *data = g_malloc (size);
  g_autofree char *path = NULL;
  static const guint min_lengths[] = { 3, 4, 6, 10 };
  static const gsize chunks[] = { 7, 64, 4096, 1024 * 1024 };
  guint windows;
  gsize i = 0;

  while (i < size)
    {
      guint kind = g_rand_int_range (rand, 0, 20);
      gboolean long_run = kind >= 18;
      gsize n = g_rand_int_range (rand, 1, long_run ? 40000 : 64);

      n = MIN (n, size - i);
      for (gsize j = 0; j < n; j++, i++)
        {
          if (kind < 10)
            data[i] = g_rand_int (rand) & 0xFF;
          else if (kind < 16 || kind == 19)
            data[i] = (j & 1) ? 0 : g_rand_int_range (rand, long_run ? 0x20 : 0x1F, 0x7F);
          else
            data[i] = g_rand_int_range (rand, long_run ? 0x20 : 0x1F, 0x7F);
        }
    }

  path = write_temp (data, size);
  for (guint m = 0; m < G_N_ELEMENTS (min_lengths); m++)
    check_file (path, min_lengths[m], chunks[m]);
  /* Long runs came in several windows each and were reassembled exactly */
  windows = check_file (path, 4, 65536);
  g_assert_cmpuint (windows, >=, 10);
  g_unlink (path);
}

static void
test_binary (gconstpointer data)
{
  const char *path = data;
  static const guint min_lengths[] = { 3, 4, 6, 10 };

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("file not found");
      return;
    }

  for (guint m = 0; m < G_N_ELEMENTS (min_lengths); m++)
    check_file (path, min_lengths[m], m == 0 ? 4096 : 2 * 1024 * 1024);
  check_file (path, 4, 7);
}

/* The shared library this very test loaded, as named in /proc/self/maps. */
static char *
find_loaded_library (const char *name)
{
  g_autofree char *maps = NULL;
  char *hit;
  char *path;

  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return NULL;
  hit = strstr (maps, name);
  if (hit == NULL)
    return NULL;
  path = hit;
  while (path > maps && path[-1] != ' ')
    path--;
  return g_strndup (path, strcspn (path, "\n"));
}

static void
collect_windows (const char       *utf8,
                 gsize             length,
                 guint64           offset,
                 SpStringEncoding  encoding,
                 gpointer          user_data)
{
  GPtrArray *windows = user_data;

  g_ptr_array_add (windows, g_strdup_printf ("%" G_GUINT64_FORMAT ":%d:%.*s", offset, encoding,
                                             (int) length, utf8));
}

typedef struct
{
  guint64 offset;
  guint64 length;
  SpStringEncoding encoding;
  GString *text;
} CollectOne;

static SpStringTable *
scan_bytes (const guint8 *data,
            gsize         length,
            guint         min_length,
            gboolean      unicode,
            gsize         chunk_size,
            SpStringSink  sink,
            gpointer      sink_data)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "test");
  SpStringTable *table = sp_string_table_new (sample, min_length);
  g_autoptr(SpStringScanner) scanner = sp_string_scanner_new (table, min_length, unicode,
                                                               sink, sink_data);

  for (gsize i = 0; i < length; i += chunk_size)
    sp_string_scanner_feed (scanner, data + i, MIN (chunk_size, length - i), i);
  sp_string_scanner_finish (scanner);

  return table;
}

static void
append_utf8_as_utf16 (GByteArray *array,
                      const char *utf8)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (utf8, -1, NULL, &n, NULL);

  for (glong i = 0; i < n; i++)
    {
      guint8 unit[2] = { units[i] & 0xFF, units[i] >> 8 };
      g_byte_array_append (array, unit, 2);
    }
}

static gboolean
table_has (SpStringTable    *table,
           guint64           offset,
           SpStringEncoding  encoding,
           const char       *text)
{
  for (guint i = 0; i < sp_string_table_get_count (table); i++)
    {
      SpStringRecord record;
      g_autofree char *found = NULL;

      sp_string_table_get_record (table, i, &record);
      found = sp_string_table_dup_text (table, i);
      if (record.offset == offset && record.encoding == encoding && g_strcmp0 (found, text) == 0)
        return TRUE;
    }
  return FALSE;
}

static guint
table_count_encoding (SpStringTable    *table,
                      SpStringEncoding  encoding)
{
  guint n = 0;

  for (guint i = 0; i < sp_string_table_get_count (table); i++)
    {
      SpStringRecord record;

      sp_string_table_get_record (table, i, &record);
      n += record.encoding == encoding;
    }
  return n;
}

static void
test_unicode (void)
{
  static const char *chinese = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6\xe4\xb8\xb2"
                               "\xe6\xb5\x8b\xe8\xaf\x95";  /* 中文字符串测试 */
  static const char *cyrillic = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
                                "\xd0\xbc\xd0\xb8\xd1\x80";  /* Привет мир */
  static const char *emoji = "OK \xf0\x9f\x98\x80 done";    /* a surrogate pair */
  g_autoptr(GByteArray) array = g_byte_array_new ();
  static const gsize chunks[] = { 1, 3, 7, 4096 };
  guint64 at_chinese, at_cyrillic, at_ascii, at_emoji, at_mixed;

  g_byte_array_append (array, (const guint8 *) "\x01\x02\x03", 3);
  at_chinese = array->len;
  append_utf8_as_utf16 (array, chinese);
  g_byte_array_append (array, (const guint8 *) "\0\0\x01", 3);
  at_cyrillic = array->len;   /* odd offset */
  append_utf8_as_utf16 (array, cyrillic);
  g_byte_array_append (array, (const guint8 *) "\0\0\xff", 3);
  at_ascii = array->len;
  g_byte_array_append (array, (const guint8 *) "plain ASCII text here\0\0", 23);
  at_emoji = array->len;
  append_utf8_as_utf16 (array, emoji);
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);
  at_mixed = array->len;
  /* A script change cuts the run in two */
  append_utf8_as_utf16 (array, cyrillic);
  append_utf8_as_utf16 (array, chinese);
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(SpStringTable) on = scan_bytes (array->data, array->len, 4, TRUE, chunks[c],
                                                NULL, NULL);
      g_autoptr(SpStringTable) off = scan_bytes (array->data, array->len, 4, FALSE, chunks[c],
                                                 NULL, NULL);

      g_assert_true (table_has (on, at_chinese, SP_STRING_ENCODING_UTF16LE, chinese));
      g_assert_true (table_has (on, at_cyrillic, SP_STRING_ENCODING_UTF16LE, cyrillic));
      g_assert_true (table_has (on, at_emoji, SP_STRING_ENCODING_UTF16LE, emoji));
      g_assert_true (table_has (on, at_ascii, SP_STRING_ENCODING_ASCII, "plain ASCII text here"));
      g_assert_true (table_has (on, at_mixed, SP_STRING_ENCODING_UTF16LE, cyrillic));
      g_assert_true (table_has (on, at_mixed + 2 * g_utf8_strlen (cyrillic, -1),
                                SP_STRING_ENCODING_UTF16LE, chinese));
      /* Nothing else: the ASCII text and the misaligned decodings are not CJK */
      g_assert_cmpuint (table_count_encoding (on, SP_STRING_ENCODING_UTF16LE), ==, 5);

      /* Off by default: only ASCII runs of 4, as GNU strings -e l finds them
       * ("OK " is too short) */
      g_assert_true (table_has (off, at_emoji + 10, SP_STRING_ENCODING_UTF16LE, " done"));
      g_assert_cmpuint (table_count_encoding (off, SP_STRING_ENCODING_UTF16LE), ==, 1);
    }
}

/* A long run arrives in windows of WINDOW characters every WINDOW - OVERLAP,
 * each at its own file offset; the last one holds the rest. */
static void
check_windows (guint n_chars,
               gsize chunk_size)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) run = g_string_new (NULL);
  g_autoptr(SpStringTable) table = NULL;
  guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;
  guint w = 0;

  for (guint i = 0; i < n_chars; i++)
    g_string_append_c (run, 'a' + (i * 7 + i / 26) % 26);
  g_byte_array_append (array, (const guint8 *) "\x01", 1);
  g_byte_array_append (array, (const guint8 *) run->str, run->len);
  g_byte_array_append (array, (const guint8 *) "\x01", 1);

  table = scan_bytes (array->data, array->len, 4, FALSE, chunk_size, collect_windows, windows);
  g_assert_cmpuint (sp_string_table_get_count (table), ==, 1);

  for (guint first = 0; ; first += step, w++)
    {
      guint n = MIN (SP_STRING_SCANNER_WINDOW, n_chars - first);
      g_autofree char *expected = g_strdup_printf ("%u:0:%.*s", 1 + first, (int) n,
                                                   run->str + first);

      g_assert_cmpuint (w, <, windows->len);
      g_assert_cmpstr (g_ptr_array_index (windows, w), ==, expected);
      if (first + n == n_chars)
        break;
    }
  g_assert_cmpuint (windows->len, ==, w + 1);
}

static void
test_windows (void)
{
  guint window = SP_STRING_SCANNER_WINDOW;
  guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;

  /* One window: exactly full, and one character more (two windows) */
  check_windows (window, 7);
  check_windows (window + 1, 4096);
  /* 2.5 windows, the last holding the rest, fed in chunks that do not
   * line up with the windows */
  check_windows (2 * step + window / 2, 1000);
  check_windows (2 * step + window, 65536);
}

/* The indicator engine sees UTF-16 text as UTF-8, at the string's offset. */
static void
test_sink_utf16 (void)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SpStringTable) table = NULL;

  g_byte_array_append (array, (const guint8 *) "zz\x01", 3);
  append_utf16 (array, "http://example.org/x");
  g_byte_array_append (array, (const guint8 *) "\x01", 1);
  table = scan_bytes (array->data, array->len, 4, FALSE, 5, collect_windows, windows);

  g_assert_cmpuint (windows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (windows, 0), ==, "3:1:http://example.org/x");
}

static void
append_units (GByteArray    *array,
              const guint16 *units,
              gsize          n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 unit[2] = { units[i] & 0xFF, units[i] >> 8 };
      g_byte_array_append (array, unit, 2);
    }
}

/* What machine code and tables look like as UTF-16 is not text: NOP sleds
 * (U+9090), int3 padding (U+CCCC), rare ideographs, accented Latin letters
 * with no plain ones, ASCII text read two bytes at a time. Real text in the
 * same blocks is. */
static void
test_unicode_junk (void)
{
  static const guint16 rare_han[] = { 0x7004, 0x5003, 0x8B4C, 0x8348, 0x8B4C };
  static const guint16 latin_junk[] = { 0x0230, 0x0160, 0x0170, 0x0104, 0x0230 };
  static const char *polish = "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl"
                              "\xc4\x85 ja\xc5\xba\xc5\x84";  /* Zażółć gęślą jaźń */
  static const char *korean = "\xed\x8c\x8c\xec\x9d\xbc \xec\x97\xb4\xea\xb8\xb0";
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(SpStringTable) table = NULL;
  guint8 filler[64];
  guint64 at_polish, at_korean;

  memset (filler, 0x90, sizeof filler);
  g_byte_array_append (array, filler, sizeof filler);
  memset (filler, 0xCC, sizeof filler);
  g_byte_array_append (array, filler, sizeof filler);
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);
  append_units (array, rare_han, G_N_ELEMENTS (rare_han));
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);
  append_units (array, latin_junk, G_N_ELEMENTS (latin_junk));
  g_byte_array_append (array, (const guint8 *) "\0\0GetProcAddress\0\0", 18);
  at_polish = array->len;
  append_utf8_as_utf16 (array, polish);
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);
  at_korean = array->len;
  append_utf8_as_utf16 (array, korean);   /* 파일 열기 */
  g_byte_array_append (array, (const guint8 *) "\0\0", 2);

  table = scan_bytes (array->data, array->len, 4, TRUE, 5, NULL, NULL);
  g_assert_true (table_has (table, at_polish, SP_STRING_ENCODING_UTF16LE, polish));
  g_assert_true (table_has (table, at_korean, SP_STRING_ENCODING_UTF16LE, korean));
  g_assert_cmpuint (table_count_encoding (table, SP_STRING_ENCODING_UTF16LE), ==, 2);
  g_assert_cmpuint (table_count_encoding (table, SP_STRING_ENCODING_ASCII), ==, 1);
}

/* Unicode mode on hostile input: random bytes mixed with UTF-16LE CJK,
 * Cyrillic, surrogate pairs (paired and lone) and ASCII. Whatever the chunk
 * size, the same records and the same sink calls come out, every text reads
 * back as valid UTF-8, and each short string reached the sink whole. */
static void
test_unicode_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GByteArray) array = g_byte_array_new ();
  static const gsize chunks[] = { 1, 3, 7, 4096, 1024 * 1024 };
  g_autoptr(SpStringTable) reference = NULL;
  g_autoptr(GPtrArray) reference_calls = NULL;

  while (array->len < 512 * 1024)
    {
      guint kind = g_rand_int_range (rand, 0, 6);
      guint n = g_rand_int_range (rand, 1, 40);

      for (guint j = 0; j < n; j++)
        {
          guint16 unit;

          switch (kind)
            {
            case 0:
              unit = g_rand_int_range (rand, 0x4E00, 0xA000);
              break;
            case 1:
              unit = g_rand_int_range (rand, 0x0410, 0x0450);
              break;
            case 2:
              unit = g_rand_int_range (rand, 0xD800, 0xE000);
              break;
            case 3:
              unit = g_rand_int_range (rand, 0x20, 0x7F);
              break;
            default:
              unit = g_rand_int (rand) & 0xFFFF;
              break;
            }
          if (kind == 4 && j == 0 && (g_rand_int (rand) & 1))
            g_byte_array_append (array, (const guint8 *) "\x01", 1);  /* change alignment */
          g_byte_array_append (array, (const guint8 *) &(guint8[2]) { unit & 0xFF, unit >> 8 }, 2);
        }
    }

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(SpStringTable) table = scan_bytes (array->data, array->len, 4, TRUE, chunks[c],
                                                   collect_windows, calls);
      guint count = sp_string_table_get_count (table);

      g_assert_cmpuint (count, >, 1000);
      if (reference == NULL)
        {
          guint next_call = 0;

          for (guint i = 0; i < count; i++)
            {
              SpStringRecord record;
              g_autofree char *text = sp_string_table_dup_text (table, i);
              g_autofree char *call = NULL;

              g_assert_true (sp_string_table_get_record (table, i, &record));
              g_assert_nonnull (text);
              g_assert_true (g_utf8_validate (text, -1, NULL));
              g_assert_cmpuint (g_utf8_strlen (text, -1), >=, 4);
              if (g_utf8_strlen (text, -1) > SP_STRING_SCANNER_WINDOW)
                continue;
              /* Calls come in the order the records were appended */
              call = g_strdup_printf ("%" G_GUINT64_FORMAT ":%u:%s", record.offset,
                                      record.encoding, text);
              while (next_call < calls->len
                     && strcmp (g_ptr_array_index (calls, next_call), call) != 0)
                next_call++;
              g_assert_cmpuint (next_call, <, calls->len);
            }
          reference = g_steal_pointer (&table);
          reference_calls = g_steal_pointer (&calls);
          continue;
        }

      g_assert_cmpuint (count, ==, sp_string_table_get_count (reference));
      for (guint i = 0; i < count; i++)
        {
          SpStringRecord a, b;

          sp_string_table_get_record (reference, i, &a);
          sp_string_table_get_record (table, i, &b);
          g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
        }
      g_assert_cmpuint (calls->len, ==, reference_calls->len);
      for (guint i = 0; i < calls->len; i++)
        g_assert_cmpstr (g_ptr_array_index (calls, i), ==, g_ptr_array_index (reference_calls, i));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *library = NULL;

  g_test_init (&argc, &argv, NULL);

  library = find_loaded_library ("libglib-2.0.so");

  g_test_add_func ("/specimen/strings/boundary", test_boundary);
  g_test_add_func ("/specimen/strings/random", test_random);
  g_test_add_data_func ("/specimen/strings/ls", "/usr/bin/ls", test_binary);
  g_test_add_data_func ("/specimen/strings/shared-library",
                        library != NULL ? library : "/nonexistent", test_binary);
  g_test_add_func ("/specimen/strings/unicode", test_unicode);
  g_test_add_func ("/specimen/strings/unicode-junk", test_unicode_junk);
  g_test_add_func ("/specimen/strings/unicode-random", test_unicode_random);
  g_test_add_func ("/specimen/strings/windows", test_windows);
  g_test_add_func ("/specimen/strings/sink-utf16", test_sink_utf16);

  return g_test_run ();
}
