/* test-string-table.c: SpStringTable records, lazy read-back and list model */
#include "config.h"
#define G_LOG_DOMAIN "test-string-table"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sp-string-table.h"

G_STATIC_ASSERT (sizeof (SpStringRecord) == 16);

static void
test_record_size (void)
{
  SpStringRecord record = { G_MAXUINT64, G_MAXUINT32, SP_STRING_ENCODING_UTF16LE };

  g_assert_cmpuint (sizeof (SpStringRecord), ==, 16);
  g_assert_cmpuint (record.offset, ==, G_MAXUINT64);
  g_assert_cmpuint (record.byte_length, ==, G_MAXUINT32);
}

static void
test_encoding_ids (void)
{
  SpStringEncoding encoding = SP_STRING_ENCODING_UTF16LE;

  g_assert_cmpstr (sp_string_encoding_to_id (SP_STRING_ENCODING_ASCII), ==, "ascii");
  g_assert_cmpstr (sp_string_encoding_to_id (SP_STRING_ENCODING_UTF16LE), ==, "utf-16le");
  g_assert_true (sp_string_encoding_from_id ("ascii", &encoding));
  g_assert_cmpint (encoding, ==, SP_STRING_ENCODING_ASCII);
  g_assert_true (sp_string_encoding_from_id ("utf-16le", &encoding));
  g_assert_cmpint (encoding, ==, SP_STRING_ENCODING_UTF16LE);
  g_assert_false (sp_string_encoding_from_id ("utf-8", &encoding));
  g_assert_false (sp_string_encoding_from_id (NULL, &encoding));
  g_assert_cmpint (encoding, ==, SP_STRING_ENCODING_UTF16LE);
}

/* "\x01" "hello" "\x00" then "Wörld" + U+1F600 as UTF-16LE, then 8 bytes. */
static const guint8 sample_bytes[] = {
  0x01, 'h', 'e', 'l', 'l', 'o', 0x00,
  'W', 0x00, 0xF6, 0x00, 'r', 0x00, 'l', 0x00, 'd', 0x00, 0x3D, 0xD8, 0x00, 0xDE,
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
};

static SpSample *
make_sample (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (sample_bytes, sizeof sample_bytes);

  return sp_sample_new_for_bytes (bytes, "fixture");
}

static void
test_live_read_back (void)
{
  g_autoptr(SpSample) sample = make_sample ();
  g_autoptr(SpStringTable) table = sp_string_table_new (sample, 4);
  SpStringRecord ascii = { 1, 5, SP_STRING_ENCODING_ASCII };
  SpStringRecord utf16 = { 7, 14, SP_STRING_ENCODING_UTF16LE };
  SpStringRecord past_end = { 25, 10, SP_STRING_ENCODING_ASCII };
  SpStringRecord record;
  g_autofree char *text0 = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;

  sp_string_table_append_record (table, &ascii);
  sp_string_table_append_record (table, &utf16);
  sp_string_table_append_record (table, &past_end);

  g_assert_cmpuint (sp_string_table_get_count (table), ==, 3);
  g_assert_cmpuint (sp_string_table_get_min_length (table), ==, 4);
  g_assert_true (sp_string_table_get_record (table, 1, &record));
  g_assert_cmpuint (record.offset, ==, 7);
  g_assert_cmpuint (record.byte_length, ==, 14);
  g_assert_cmpuint (record.encoding, ==, SP_STRING_ENCODING_UTF16LE);
  g_assert_false (sp_string_table_get_record (table, 3, &record));

  text0 = sp_string_table_dup_text (table, 0);
  text1 = sp_string_table_dup_text (table, 1);
  g_assert_cmpstr (text0, ==, "hello");
  g_assert_cmpstr (text1, ==, "W\xc3\xb6rld\xf0\x9f\x98\x80");
  /* A record past the end of the sample cannot be read back */
  text2 = sp_string_table_dup_text (table, 2);
  g_assert_null (text2);
  g_assert_null (sp_string_table_dup_text (table, 3));
}

/* A lone surrogate in the file becomes U+FFFD, and an odd byte length reads
 * only whole units. */
static void
test_live_bad_utf16 (void)
{
  static const guint8 data[] = { 'a', 0, 0x00, 0xD8, 'b', 0, 0x00, 0xDC, 'c' };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "bad");
  g_autoptr(SpStringTable) table = sp_string_table_new (sample, 1);
  SpStringRecord record = { 0, 9, SP_STRING_ENCODING_UTF16LE };
  g_autofree char *text = NULL;

  sp_string_table_append_record (table, &record);
  text = sp_string_table_dup_text (table, 0);
  g_assert_cmpstr (text, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}

/* Lazy read-back from a real file: the text comes from the file when it is
 * asked for, not when the record is stored. */
static void
test_live_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpStringTable) table = NULL;
  g_autoptr(SpStringTable) unread = NULL;
  SpStringRecord record = { 3, 6, SP_STRING_ENCODING_ASCII };
  g_autofree char *text = NULL;
  int fd = g_file_open_tmp ("test-string-table-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "\x01\x02\x03" "abcdef" "\x04", 10, &error);
  g_assert_no_error (error);
  sample = sp_sample_open (path, &error);
  g_assert_no_error (error);

  table = sp_string_table_new (sample, 4);
  sp_string_table_append_record (table, &record);
  unread = sp_string_table_new (sample, 4);
  sp_string_table_append_record (unread, &record);

  text = sp_string_table_dup_text (table, 0);
  g_assert_cmpstr (text, ==, "abcdef");

  /* The file shrinks: a table that never read its text has nothing to give */
  g_assert_cmpint (truncate (path, 5), ==, 0);
  g_assert_null (sp_string_table_dup_text (unread, 0));

  g_unlink (path);
}

/* Strings far apart, near the end, and longer than a cached block all read
 * back exactly, in any order. */
static void
test_live_cache (void)
{
  gsize size = 3 * 1024 * 1024 + 5;
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpStringTable) table = NULL;
  static const guint64 offsets[] = { 0, 1000, 300000, 262143, 5, 3 * 1024 * 1024 - 100, 77 };
  static const guint32 lengths[] = { 10, 70000, 4, 2, 200000, 105, 1 };

  for (gsize i = 0; i < size; i++)
    data[i] = 'a' + (i * 31 + i / 7) % 26;
  bytes = g_bytes_new_static (data, size);
  sample = sp_sample_new_for_bytes (bytes, "cache");
  table = sp_string_table_new (sample, 1);

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      SpStringRecord record = { offsets[i], lengths[i], SP_STRING_ENCODING_ASCII };
      sp_string_table_append_record (table, &record);
    }

  for (guint round = 0; round < 2; round++)
    for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
      {
        guint i = round == 0 ? k : G_N_ELEMENTS (offsets) - 1 - k;
        g_autofree char *text = sp_string_table_dup_text (table, i);

        g_assert_nonnull (text);
        g_assert_cmpuint (strlen (text), ==, lengths[i]);
        g_assert_cmpmem (text, lengths[i], data + offsets[i], lengths[i]);
      }
}

/* The sequential reader gives exactly the bytes of the sample (checked
 * against the data, not against dup_text): ASCII and UTF-16LE strings,
 * offsets that go back, strings longer than its window, one past the end. */
static void
test_reader (void)
{
  gsize size = 3 * 1024 * 1024 + 5;
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpStringTable) table = NULL;
  g_autoptr(SpStringTableReader) reader = NULL;
  g_autoptr(SpStringTable) detached = sp_string_table_new_detached (4);
  g_autoptr(SpStringTableReader) detached_reader = NULL;
  static const guint64 offsets[] = {
    0, 1000, 300000, 262143, 5, 3 * 1024 * 1024 - 100, 77, 2 * 1024 * 1024 - 3, 3 * 1024 * 1024
  };
  static const guint32 lengths[] = { 10, 70000, 4, 2, 600000, 105, 1, 64, 100 };
  SpStringRecord utf16 = { 2 * 1024 * 1024 + 500001, 8, SP_STRING_ENCODING_UTF16LE };
  SpStringRecord record;
  const char *text;
  gsize length;
  guint n = 0;

  for (gsize i = 0; i < size; i++)
    data[i] = 'a' + (i * 31 + i / 7) % 26;
  /* "AB" + U+1F600 as UTF-16LE at an odd offset */
  memcpy (data + utf16.offset, "A\0B\0\x3d\xd8\x00\xde", 8);
  bytes = g_bytes_new_static (data, size);
  sample = sp_sample_new_for_bytes (bytes, "reader");
  table = sp_string_table_new (sample, 1);

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      SpStringRecord ascii = { offsets[i], lengths[i], SP_STRING_ENCODING_ASCII };
      sp_string_table_append_record (table, &ascii);
      if (i == 4)
        sp_string_table_append_record (table, &utf16);
    }

  reader = sp_string_table_reader_new (table);
  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_assert_true (sp_string_table_reader_next (reader, &record, &text, &length));
      g_assert_cmpuint (record.offset, ==, offsets[i]);
      g_assert_cmpuint (record.encoding, ==, SP_STRING_ENCODING_ASCII);
      if (offsets[i] + lengths[i] > size)
        {
          g_assert_null (text);
          continue;
        }
      g_assert_nonnull (text);
      g_assert_cmpuint (length, ==, lengths[i]);
      g_assert_cmpuint (strlen (text), ==, lengths[i]);
      g_assert_cmpmem (text, length, data + offsets[i], lengths[i]);
      if (i == 4)
        {
          g_assert_true (sp_string_table_reader_next (reader, &record, &text, &length));
          g_assert_cmpuint (record.offset, ==, utf16.offset);
          g_assert_cmpstr (text, ==, "AB\xf0\x9f\x98\x80");
          g_assert_cmpuint (length, ==, 6);
        }
    }
  g_assert_false (sp_string_table_reader_next (reader, &record, &text, &length));

  /* Seeking back reads from there again. */
  sp_string_table_reader_seek (reader, 2);
  g_assert_true (sp_string_table_reader_next (reader, &record, &text, &length));
  g_assert_cmpuint (record.offset, ==, offsets[2]);
  g_assert_cmpmem (text, length, data + offsets[2], lengths[2]);

  /* A detached table hands out its own texts. */
  sp_string_table_append_text (detached, 40, SP_STRING_ENCODING_ASCII, "first");
  sp_string_table_append_text (detached, 10, SP_STRING_ENCODING_UTF16LE, "zw\xc3\xb6lf");
  detached_reader = sp_string_table_reader_new (detached);
  while (sp_string_table_reader_next (detached_reader, &record, &text, &length))
    {
      g_assert_cmpstr (text, ==, n == 0 ? "first" : "zw\xc3\xb6lf");
      g_assert_cmpuint (length, ==, n == 0 ? 5 : 6);
      g_assert_cmpuint (record.offset, ==, n == 0 ? 40 : 10);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
}

/* More records than one block holds, all read back exactly. */
static void
test_many_records (void)
{
  g_autoptr(SpSample) sample = make_sample ();
  g_autoptr(SpStringTable) table = sp_string_table_new (sample, 4);
  guint n = 3 * 65536 + 17;

  for (guint i = 0; i < n; i++)
    {
      SpStringRecord record = { (guint64) i * 7 + G_MAXUINT32, i, i & 1 };
      sp_string_table_append_record (table, &record);
    }

  g_assert_cmpuint (sp_string_table_get_count (table), ==, n);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      SpStringRecord record;

      g_assert_true (sp_string_table_get_record (table, i, &record));
      g_assert_cmpuint (record.offset, ==, (guint64) i * 7 + G_MAXUINT32);
      g_assert_cmpuint (record.byte_length, ==, i);
      g_assert_cmpuint (record.encoding, ==, i & 1);
    }
}

static void
test_list_model (void)
{
  g_autoptr(SpSample) sample = make_sample ();
  g_autoptr(SpStringTable) table = sp_string_table_new (sample, 4);
  SpStringRecord ascii = { 1, 5, SP_STRING_ENCODING_ASCII };
  SpStringRecord utf16 = { 7, 14, SP_STRING_ENCODING_UTF16LE };
  g_autoptr(SpStringItem) item = NULL;
  g_autoptr(SpStringItem) item1 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoding_id = NULL;
  guint64 offset = 0;
  guint length = 0;

  sp_string_table_append_record (table, &ascii);
  sp_string_table_append_record (table, &utf16);

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (table)) == SP_TYPE_STRING_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (table), 2));

  item = g_list_model_get_item (G_LIST_MODEL (table), 0);
  g_assert_cmpuint (sp_string_item_get_offset (item), ==, 1);
  g_assert_cmpint (sp_string_item_get_encoding (item), ==, SP_STRING_ENCODING_ASCII);
  g_assert_cmpuint (sp_string_item_get_length (item), ==, 5);
  g_assert_cmpstr (sp_string_item_get_text (item), ==, "hello");

  /* Length counts characters: W ö r l d U+1F600 */
  item1 = g_list_model_get_item (G_LIST_MODEL (table), 1);
  g_assert_cmpuint (sp_string_item_get_length (item1), ==, 6);
  g_object_get (item1, "offset", &offset, "length", &length, "text", &text,
                "encoding-id", &encoding_id, NULL);
  g_assert_cmpuint (offset, ==, 7);
  g_assert_cmpuint (length, ==, 6);
  g_assert_cmpstr (text, ==, "W\xc3\xb6rld\xf0\x9f\x98\x80");
  g_assert_cmpstr (encoding_id, ==, "utf-16le");
}

static void
test_detached (void)
{
  g_autoptr(SpStringTable) table = sp_string_table_new_detached (6);
  g_autoptr(SpStringItem) item = NULL;
  SpStringRecord record;
  g_autofree char *text0 = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;

  sp_string_table_append_text (table, 100, SP_STRING_ENCODING_ASCII, "kernel32.dll");
  sp_string_table_append_text (table, 200, SP_STRING_ENCODING_UTF16LE,
                               "\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80");  /* 中文😀 */
  sp_string_table_append_text (table, 300, SP_STRING_ENCODING_ASCII, "bad \xff byte");

  g_assert_cmpuint (sp_string_table_get_count (table), ==, 3);
  g_assert_cmpuint (sp_string_table_get_min_length (table), ==, 6);

  g_assert_true (sp_string_table_get_record (table, 0, &record));
  g_assert_cmpuint (record.offset, ==, 100);
  g_assert_cmpuint (record.byte_length, ==, 12);
  g_assert_true (sp_string_table_get_record (table, 1, &record));
  g_assert_cmpuint (record.offset, ==, 200);
  /* Two BMP units and one surrogate pair */
  g_assert_cmpuint (record.byte_length, ==, 8);
  g_assert_cmpuint (record.encoding, ==, SP_STRING_ENCODING_UTF16LE);

  text0 = sp_string_table_dup_text (table, 0);
  text1 = sp_string_table_dup_text (table, 1);
  text2 = sp_string_table_dup_text (table, 2);
  g_assert_cmpstr (text0, ==, "kernel32.dll");
  g_assert_cmpstr (text1, ==, "\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x98\x80");
  /* Invalid UTF-8 from a hostile report is replaced, never passed on */
  g_assert_true (g_utf8_validate (text2, -1, NULL));
  g_assert_cmpstr (text2, ==, "bad \xef\xbf\xbd byte");
  g_assert_null (sp_string_table_dup_text (table, 3));

  item = g_list_model_get_item (G_LIST_MODEL (table), 1);
  g_assert_cmpuint (sp_string_item_get_offset (item), ==, 200);
  g_assert_cmpuint (sp_string_item_get_length (item), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/specimen/string-table/record-size", test_record_size);
  g_test_add_func ("/specimen/string-table/encoding-ids", test_encoding_ids);
  g_test_add_func ("/specimen/string-table/live-read-back", test_live_read_back);
  g_test_add_func ("/specimen/string-table/live-bad-utf16", test_live_bad_utf16);
  g_test_add_func ("/specimen/string-table/live-file", test_live_file);
  g_test_add_func ("/specimen/string-table/live-cache", test_live_cache);
  g_test_add_func ("/specimen/string-table/reader", test_reader);
  g_test_add_func ("/specimen/string-table/many-records", test_many_records);
  g_test_add_func ("/specimen/string-table/list-model", test_list_model);
  g_test_add_func ("/specimen/string-table/detached", test_detached);

  return g_test_run ();
}
