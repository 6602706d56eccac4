/* test-span.c: the bounds-checked reader */
#include "config.h"

#include "sp-span.h"

static const guint8 bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 'h', 'i', 0, 'x' };

static void
test_reads_in_bounds (void)
{
  SpSpan span = sp_span_init (bytes, sizeof bytes);
  guint16 u16;
  guint32 u32;
  guint64 u64;
  guint8 u8;

  g_assert_true (sp_span_read_u8 (&span, 11, &u8));
  g_assert_cmpuint (u8, ==, 'x');
  g_assert_true (sp_span_read_u16_le (&span, 0, &u16));
  g_assert_cmphex (u16, ==, 0x0201);
  g_assert_true (sp_span_read_u16_be (&span, 0, &u16));
  g_assert_cmphex (u16, ==, 0x0102);
  g_assert_true (sp_span_read_u32_le (&span, 1, &u32));
  g_assert_cmphex (u32, ==, 0x05040302);
  g_assert_true (sp_span_read_u32_be (&span, 1, &u32));
  g_assert_cmphex (u32, ==, 0x02030405);
  g_assert_true (sp_span_read_u64_le (&span, 0, &u64));
  g_assert_cmphex (u64, ==, G_GUINT64_CONSTANT (0x0807060504030201));
  g_assert_true (sp_span_read_u64_be (&span, 0, &u64));
  g_assert_cmphex (u64, ==, G_GUINT64_CONSTANT (0x0102030405060708));
}

static void
test_refuses_out_of_bounds (void)
{
  SpSpan span = sp_span_init (bytes, sizeof bytes);
  SpSpan sub;
  guint32 u32 = 0xdeadbeef;
  guint64 u64;
  guint8 u8;

  g_assert_false (sp_span_read_u8 (&span, 12, &u8));
  g_assert_false (sp_span_read_u32_le (&span, 9, &u32));
  g_assert_cmphex (u32, ==, 0xdeadbeef);
  g_assert_false (sp_span_read_u64_le (&span, G_MAXUINT64 - 3, &u64));
  g_assert_false (sp_span_contains (&span, 4, G_MAXUINT64));
  g_assert_false (sp_span_sub (&span, 13, 0, &sub));
  g_assert_true (sp_span_sub (&span, 12, 0, &sub));
  g_assert_cmpuint (sub.size, ==, 0);
  g_assert_true (sp_span_sub (&span, 8, 3, &sub));
  g_assert_true (sp_span_has_prefix (&sub, 0, "hi", 3));
  g_assert_false (sp_span_has_prefix (&sub, 1, "i\0x", 3));
}

static void
test_checked_arithmetic (void)
{
  guint64 result;

  g_assert_true (sp_checked_add (1, 2, &result));
  g_assert_cmpuint (result, ==, 3);
  g_assert_false (sp_checked_add (G_MAXUINT64, 1, &result));
  g_assert_true (sp_checked_mul (G_MAXUINT32, G_MAXUINT32, &result));
  g_assert_false (sp_checked_mul (G_MAXUINT64 / 2 + 1, 2, &result));
}

static void
test_cstring (void)
{
  SpSpan span = sp_span_init (bytes, sizeof bytes);
  gboolean terminated;
  g_autofree char *hi = sp_span_dup_cstring (&span, 8, 16, &terminated);
  g_autofree char *cut = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *unterminated = NULL;

  g_assert_cmpstr (hi, ==, "hi");
  g_assert_true (terminated);
  cut = sp_span_dup_cstring (&span, 8, 1, &terminated);
  g_assert_cmpstr (cut, ==, "h");
  g_assert_false (terminated);
  exact = sp_span_dup_cstring (&span, 8, 2, &terminated);
  g_assert_cmpstr (exact, ==, "hi");
  g_assert_true (terminated);
  unterminated = sp_span_dup_cstring (&span, 11, 16, &terminated);
  g_assert_cmpstr (unterminated, ==, "x");
  g_assert_false (terminated);
  g_assert_null (sp_span_dup_cstring (&span, 12, 16, &terminated));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/specimen/span/in-bounds", test_reads_in_bounds);
  g_test_add_func ("/specimen/span/out-of-bounds", test_refuses_out_of_bounds);
  g_test_add_func ("/specimen/span/checked-arithmetic", test_checked_arithmetic);
  g_test_add_func ("/specimen/span/cstring", test_cstring);
  return g_test_run ();
}
