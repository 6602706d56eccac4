/* test-pe.c: the PE parser against python3-pefile, and on hostile headers
 *
 * Real EXEs and DLLs built by mingw-w64 (tests/fixtures/pe, made by
 * tests/fixtures/make-pe-fixtures.sh) are compared field by field with what
 * pefile reads from them at test time (tests/pe-oracle.py). Hand-built
 * images cover delay-load imports, the Rich header and ordinal imphash
 * terms, and one malformed header per bounds rule.
 */
#include "config.h"

#include "sp-ioc.h"
#include "sp-pe.h"
#include "parsers-test-util.h"

/* ---- real files against pefile ---------------------------------------------- */

static JsonObject *
analyze_path (const char *path,
              SpIocSet   *iocs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  JsonObject *section;

  g_assert_no_error (error);
  section = sp_pe_analyze (sample, iocs, NULL);
  g_assert_nonnull (section);
  return section;
}

static void
compare_with_pefile (const char *path)
{
  g_autoptr(JsonObject) ours = analyze_path (path, NULL);
  g_autoptr(JsonObject) oracle = run_oracle ("pe-oracle.py", path, NULL);
  JsonObject *version;

  /* Without an import table pefile's imphash is "", and so is ours. */
  if (g_strcmp0 (json_object_get_string_member (oracle, "imphash"), "") == 0)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "imports")), ==, 0);
  if (!json_object_has_member (oracle, "overlay"))
    g_assert_false (json_object_has_member (ours, "overlay"));
  if (!json_object_has_member (oracle, "exports"))
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "exports")), ==, 0);
  if (!json_object_has_member (oracle, "tls_callbacks"))
    g_assert_false (json_object_has_member (ours, "tls_callbacks"));
  /* Specimen omits an empty delay-import list. */
  if (json_array_get_length (json_object_get_array_member (oracle, "delay_imports")) == 0)
    {
      json_object_remove_member (oracle, "delay_imports");
      g_assert_false (json_object_has_member (ours, "delay_imports"));
    }
  version = json_object_get_object_member (oracle, "version_info");
  g_assert_cmpuint (json_object_get_size (version), ==,
                    json_object_get_size (json_object_get_object_member (ours, "version_info")));

  assert_json_object_subset (oracle, ours, path);
}

static void
test_fixture (gconstpointer data)
{
  g_autofree char *path = test_source_path (data);

  compare_with_pefile (path);
}

/* Checks the fixtures' known content too, so a broken oracle cannot make
 * the comparison vacuous. */
static void
test_fixture_known_values (void)
{
  g_autofree char *hello = test_source_path ("fixtures/pe/hello64.exe");
  g_autofree char *hello32 = test_source_path ("fixtures/pe/hello32.exe");
  g_autofree char *demo = test_source_path ("fixtures/pe/demo64.dll");
  g_autoptr(JsonObject) h = analyze_path (hello, NULL);
  g_autoptr(JsonObject) h32 = analyze_path (hello32, NULL);
  g_autoptr(JsonObject) d = analyze_path (demo, NULL);
  JsonArray *imports, *exports;
  JsonObject *version;
  gboolean saw_ws2 = FALSE;

  g_assert_cmpint (json_object_get_int_member (h, "machine"), ==, 0x8664);
  g_assert_cmpstr (json_object_get_string_member (h, "machine_name"), ==, "AMD64 (x86-64)");
  g_assert_true (json_object_get_boolean_member (h, "pe32plus"));
  g_assert_false (json_object_get_boolean_member (h, "is_dll"));
  g_assert_cmpint (json_object_get_int_member (h32, "machine"), ==, 0x14c);
  g_assert_false (json_object_get_boolean_member (h32, "pe32plus"));
  g_assert_cmpstr (json_object_get_string_member (h, "subsystem_name"), ==, "Windows console");
  g_assert_cmpstr (json_object_get_string_member (h, "entry_section"), ==, ".text");
  /* Built with --no-insert-timestamp. */
  g_assert_cmpint (json_object_get_int_member (h, "timestamp"), ==, 0);
  g_assert_true (json_object_has_member (h, "timestamp_note"));
  g_assert_cmpint (json_object_get_int_member (h, "checksum_stored"), ==,
                   json_object_get_int_member (h, "checksum_computed"));
  g_assert_true (json_object_get_boolean_member (h, "has_tls"));

  imports = json_object_get_array_member (h, "imports");
  for (guint i = 0; i < json_array_get_length (imports); i++)
    {
      JsonObject *entry = json_array_get_object_element (imports, i);
      JsonArray *functions = json_object_get_array_member (entry, "functions");

      if (g_strcmp0 (json_object_get_string_member (entry, "dll"), "ws2_32.dll") == 0)
        {
          /* Imported by ordinal 16; pefile's imphash names it "recv". */
          g_assert_cmpuint (json_array_get_length (functions), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (functions, 0), ==, "ord:16");
          saw_ws2 = TRUE;
        }
    }
  g_assert_true (saw_ws2);

  version = json_object_get_object_member (h, "version_info");
  g_assert_cmpstr (json_object_get_string_member (version, "CompanyName"), ==,
                   "Specimen Test Fixtures");
  g_assert_cmpstr (json_object_get_string_member (version, "FileDescription"), ==,
                   "Hello fixture for the PE parser");
  g_assert_cmpstr (json_object_get_string_member (version, "OriginalFilename"), ==, "hello.exe");
  g_assert_cmpstr (json_object_get_string_member (version, "ProductName"), ==, "Specimen");
  g_assert_cmpstr (json_object_get_string_member (version, "FileVersion"), ==, "1.2.3.4");

  g_assert_true (json_object_get_boolean_member (d, "is_dll"));
  g_assert_cmpstr (json_object_get_string_member (d, "export_name"), ==, "demo64.dll");
  exports = json_object_get_array_member (d, "exports");
  g_assert_cmpuint (json_array_get_length (exports), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (exports, 0),
                                                  "name"), ==,
                   "demo_add");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (exports, 1),
                                                  "forwarder"),
                   ==, "kernel32.GetTickCount");
  g_assert_false (json_object_has_member (json_array_get_object_element (exports, 3), "name"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (exports, 3),
                                               "ordinal"), ==, 7);
}

/* Suspicious imports become api indicators with "dll!function" evidence and
 * the file offset of the name, which we check against the file itself. */
static void
test_api_indicators (void)
{
  g_autofree char *path = test_source_path ("fixtures/pe/hello64.exe");
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  g_autoptr(JsonObject) section = analyze_path (path, iocs);
  g_autofree char *contents = NULL;
  gsize length;
  guint found = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  sp_ioc_set_seal (iocs);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (iocs)); i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (G_LIST_MODEL (iocs), i);
      const char *value = sp_ioc_get_value (ioc);
      const char *raw = sp_ioc_get_raw (ioc);
      const char *function = strchr (raw, '!') + 1;
      guint64 offset = sp_ioc_get_first_offset (ioc);

      g_assert_cmpint (sp_ioc_get_category (ioc), ==, SP_IOC_API);
      g_assert_nonnull (sp_ioc_get_tags (ioc));
      g_assert_cmpuint (offset + strlen (function), <, length);
      g_assert_cmpmem (contents + offset, strlen (function), function, strlen (function));
      g_assert_true (g_str_has_prefix (function, value));
      if (g_strcmp0 (value, "CreateRemoteThread") == 0)
        {
          g_assert_cmpstr (raw, ==, "KERNEL32.dll!CreateRemoteThread");
          found++;
        }
      else if (g_strcmp0 (value, "WriteProcessMemory") == 0 ||
               g_strcmp0 (value, "VirtualAllocEx") == 0)
        found++;
    }
  g_assert_cmpuint (found, ==, 3);
}

static void
test_render (void)
{
  g_autofree char *path = test_source_path ("fixtures/pe/hello64.exe");
  g_autoptr(JsonObject) section = analyze_path (path, NULL);
  const char *imphash = json_object_get_string_member (section, "imphash");
  g_autofree char *text = render_section (sp_pe_render, section, SP_REPORT_FORMAT_TEXT);
  g_autofree char *markdown = render_section (sp_pe_render, section, SP_REPORT_FORMAT_MARKDOWN);
  g_autofree char *html = render_section (sp_pe_render, section, SP_REPORT_FORMAT_HTML);
  g_autoptr(JsonObject) hostile = json_object_new ();

  g_assert_nonnull (strstr (text, imphash));
  g_assert_nonnull (strstr (text, "KERNEL32.dll"));
  g_assert_nonnull (strstr (text, "CreateRemoteThread"));
  g_assert_nonnull (strstr (text, "Specimen Test Fixtures"));
  g_assert_nonnull (strstr (text, ".text"));
  g_assert_nonnull (strstr (markdown, imphash));
  g_assert_nonnull (strstr (html, imphash));

  /* A report read back from disk may hold anything: wrong types render as nothing. */
  json_object_set_string_member (hostile, "machine", "<script>");
  json_object_set_int_member (hostile, "sections", 5);
  json_object_set_string_member (hostile, "imports", "x");
  json_object_set_int_member (hostile, "version_info", 1);
  json_object_set_string_member (hostile, "warnings", "x");
  g_free (render_section (sp_pe_render, hostile, SP_REPORT_FORMAT_HTML));
}

/* ---- hand-built images ------------------------------------------------------- */

#define E_LFANEW   0x100
#define OPT        (E_LFANEW + 24)
#define TEXT_RAW   0x400
#define RDATA_RVA  0x2000
#define RDATA_RAW  0x600
#define IMAGE_END  0xa00

static gsize
opt_size (gboolean plus)
{
  return plus ? 0xf0 : 0xe0;
}

static void
set_dir (GByteArray *b,
         gboolean    plus,
         guint       index,
         guint32     rva,
         guint32     size)
{
  gsize base = OPT + (plus ? 112 : 96) + index * 8;

  put_u32 (b, base, rva);
  put_u32 (b, base + 4, size);
}

/* A valid two-section image: .text at RVA 0x1000, .rdata at 0x2000 (file
 * 0x600, 0x400 bytes) where the tests put their directories. */
static GByteArray *
build_pe (gboolean plus)
{
  GByteArray *b = g_byte_array_new ();
  gsize table = OPT + opt_size (plus);
  guint64 image_base = plus ? G_GUINT64_CONSTANT (0x140000000) : 0x400000;

  put_bytes (b, 0, "MZ", 2);
  put_u32 (b, 0x3c, E_LFANEW);
  put_bytes (b, E_LFANEW, "PE\0\0", 4);
  put_u16 (b, E_LFANEW + 4, plus ? 0x8664 : 0x14c);
  put_u16 (b, E_LFANEW + 6, 2);
  put_u32 (b, E_LFANEW + 8, 1600000000);
  put_u16 (b, E_LFANEW + 20, opt_size (plus));
  put_u16 (b, E_LFANEW + 22, plus ? 0x22 : 0x102);

  put_u16 (b, OPT, plus ? 0x20b : 0x10b);
  put_u8 (b, OPT + 2, 14);
  put_u32 (b, OPT + 16, 0x1000);
  if (plus)
    put_u64 (b, OPT + 24, image_base);
  else
    put_u32 (b, OPT + 28, (guint32) image_base);
  put_u32 (b, OPT + 32, 0x1000);
  put_u32 (b, OPT + 36, 0x200);
  put_u16 (b, OPT + 40, 6);
  put_u16 (b, OPT + 48, 6);
  put_u32 (b, OPT + 56, 0x3000);
  put_u32 (b, OPT + 60, 0x400);
  put_u16 (b, OPT + 68, 3);
  put_u16 (b, OPT + 70, 0x8160);
  put_u32 (b, OPT + (plus ? 108 : 92), 16);

  put_bytes (b, table, ".text", 5);
  put_u32 (b, table + 8, 0x100);
  put_u32 (b, table + 12, 0x1000);
  put_u32 (b, table + 16, 0x200);
  put_u32 (b, table + 20, TEXT_RAW);
  put_u32 (b, table + 36, 0x60000020);
  put_bytes (b, table + 40, ".rdata", 6);
  put_u32 (b, table + 48, 0x400);
  put_u32 (b, table + 52, RDATA_RVA);
  put_u32 (b, table + 56, 0x400);
  put_u32 (b, table + 60, RDATA_RAW);
  put_u32 (b, table + 76, 0x40000040);

  put_u8 (b, TEXT_RAW, 0xc3);
  put_u8 (b, IMAGE_END - 1, 0);
  return b;
}

static gsize
rdata (guint32 rva)
{
  return RDATA_RAW + (rva - RDATA_RVA);
}

/* Entry @index of a thunk table at @table: 8 bytes each in PE32+, 4 in PE32. */
static void
put_thunk (GByteArray *b,
           gboolean    plus,
           guint32     table,
           guint       index,
           guint64     value)
{
  if (plus)
    put_u64 (b, rdata (table) + index * 8, value);
  else
    put_u32 (b, rdata (table) + index * 4, (guint32) value);
}

/* Imports by name and by ordinal from wsock32 (whose ordinals pefile
 * names), delay-load imports, a Rich header, a signature and a date. */
static GByteArray *
build_rich_image (gboolean plus)
{
  GByteArray *b = build_pe (plus);
  guint64 ordinal_flag = plus ? G_GUINT64_CONSTANT (0x8000000000000000) : 0x80000000;
  const guint32 key = 0x12345678;
  const guint32 rich_dwords[] = { 0x536e6144 ^ key, key, key, key, 0x00010001 ^ key, 3 ^ key,
                                  0x68636952, key };

  /* Delay-load descriptor (RVA-based) for USER32.dll. */
  put_u32 (b, rdata (0x2000), 1);
  put_u32 (b, rdata (0x2004), 0x2100);
  put_u32 (b, rdata (0x2008), 0x2110);
  put_u32 (b, rdata (0x200c), 0x2140);
  put_u32 (b, rdata (0x2010), 0x2180);
  put_string (b, rdata (0x2100), "USER32.dll");
  put_thunk (b, plus, 0x2140, 0, 0x2200);
  put_thunk (b, plus, 0x2140, 1, ordinal_flag | 5);
  put_thunk (b, plus, 0x2180, 0, 0x2200);
  put_thunk (b, plus, 0x2180, 1, ordinal_flag | 5);
  put_string (b, rdata (0x2202), "MessageBoxW");
  set_dir (b, plus, 13, 0x2000, 0x40);

  /* Import descriptor for WSOCK32.dll: WSAStartup by name, closesocket (3) by ordinal. */
  put_u32 (b, rdata (0x2240), 0x2280);
  put_u32 (b, rdata (0x224c), 0x2300);
  put_u32 (b, rdata (0x2250), 0x22c0);
  put_thunk (b, plus, 0x2280, 0, 0x2320);
  put_thunk (b, plus, 0x2280, 1, ordinal_flag | 3);
  put_thunk (b, plus, 0x22c0, 0, 0x2320);
  put_thunk (b, plus, 0x22c0, 1, ordinal_flag | 3);
  put_string (b, rdata (0x2300), "WSOCK32.dll");
  put_string (b, rdata (0x2322), "WSAStartup");
  set_dir (b, plus, 1, 0x2240, 0x28);

  for (guint i = 0; i < G_N_ELEMENTS (rich_dwords); i++)
    put_u32 (b, 0x80 + i * 4, rich_dwords[i]);

  /* An Authenticode blob appended after the image (WIN_CERTIFICATE header). */
  put_u32 (b, IMAGE_END, 0x10);
  put_u16 (b, IMAGE_END + 4, 0x200);
  put_u16 (b, IMAGE_END + 6, 2);
  put_u32 (b, IMAGE_END + 12, 0);
  set_dir (b, plus, 4, IMAGE_END, 0x10);
  return b;
}

static void
test_hand_built (gconstpointer data)
{
  gboolean plus = GPOINTER_TO_INT (data);
  g_autoptr(GByteArray) b = build_rich_image (plus);
  g_autofree char *path = write_temp (b, "specimen-pe-XXXXXX.exe");
  g_autoptr(JsonObject) ours = NULL;
  JsonArray *delay, *functions;
  JsonObject *overlay;
  g_autofree char *expected_imphash = NULL;
  const char *terms = "wsock32.wsastartup,wsock32.closesocket";

  compare_with_pefile (path);
  ours = analyze_path (path, NULL);

  delay = json_object_get_array_member (ours, "delay_imports");
  g_assert_cmpuint (json_array_get_length (delay), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (delay, 0), "dll"),
                   ==,
                   "USER32.dll");
  functions = json_object_get_array_member (json_array_get_object_element (delay, 0), "functions");
  g_assert_cmpuint (json_array_get_length (functions), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (functions, 0), ==, "MessageBoxW");
  g_assert_cmpstr (json_array_get_string_element (functions, 1), ==, "ord:5");

  /* The imphash is the MD5 of the documented terms, computed here by GLib. */
  expected_imphash = g_compute_checksum_for_string (G_CHECKSUM_MD5, terms, -1);
  g_assert_cmpstr (json_object_get_string_member (ours, "imphash"), ==, expected_imphash);

  g_assert_true (json_object_get_boolean_member (ours, "has_rich_header"));
  g_assert_cmpint (json_object_get_int_member (ours, "rich_header_offset"), ==, 0x80);
  g_assert_true (json_object_get_boolean_member (ours, "has_signature"));
  g_assert_cmpstr (json_object_get_string_member (ours, "timestamp_utc"), ==,
                   "2020-09-13 12:26:40 UTC");
  g_assert_false (json_object_has_member (ours, "timestamp_note"));
  overlay = json_object_get_object_member (ours, "overlay");
  g_assert_cmpint (json_object_get_int_member (overlay, "offset"), ==, IMAGE_END);
  g_assert_cmpint (json_object_get_int_member (overlay, "size"), ==, 0x10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "warnings")), ==, 0);
  g_unlink (path);
}

static JsonObject *
analyze_array (GByteArray *b)
{
  g_autoptr(SpSample) sample = sample_from_array (b, "hostile.exe");
  JsonObject *section = sp_pe_analyze (sample, NULL, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (section);
  g_assert_true (json_object_has_member (section, "warnings"));
  /* Whatever was read must render. */
  text = render_section (sp_pe_render, section, SP_REPORT_FORMAT_TEXT);
  g_assert_nonnull (text);
  return section;
}

static void
test_not_pe (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(SpSample) sample = NULL;

  put_bytes (b, 0, "\177ELF and not MZ", 16);
  sample = sample_from_array (b, "x");
  g_assert_null (sp_pe_analyze (sample, NULL, NULL));
}

static void
test_dos_truncated (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(JsonObject) s = NULL;

  put_bytes (b, 0, "MZ", 2);
  put_u8 (b, 0x20, 0);
  s = analyze_array (b);
  assert_warning (s, "DOS header is truncated");
  g_assert_false (json_object_has_member (s, "machine"));
}

static void
test_lfanew_past_end (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 0x3c, 0xfffffff0);
  s = analyze_array (b);
  assert_warning (s, "e_lfanew points to 0xfffffff0, past the end of the file (0xa00 bytes)");
  g_assert_cmpint (json_object_get_int_member (s, "e_lfanew"), ==, 0xfffffff0);
  g_assert_false (json_object_has_member (s, "machine"));
}

static void
test_no_pe_signature (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  put_bytes (b, E_LFANEW, "NE", 2);
  s = analyze_array (b);
  assert_warning (s, "No PE signature at offset 0x100");
}

static void
test_section_count_65535 (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  gsize table = OPT + opt_size (TRUE);
  guint complete = (IMAGE_END - table) / 40;
  g_autofree char *expected = g_strdup_printf ("Section table truncated at offset 0x%zx: "
                                               "%u of 65535", table + complete * 40, complete);
  gint64 start = g_get_monotonic_time ();

  put_u16 (b, E_LFANEW + 6, 65535);
  s = analyze_array (b);
  assert_warning (s, "65535 sections; Windows loads at most 96");
  assert_warning (s, "Only the first 1024 of 65535 sections");
  assert_warning (s, expected);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "sections")), ==,
                    complete);
  /* Bounded work, not a long loop. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_optional_header_truncated (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  g_autofree char *expected = g_strdup_printf ("Optional header truncated at offset 0x%x: "
                                               "65535 bytes declared, %d present",
                                               OPT, IMAGE_END - OPT);

  put_u16 (b, E_LFANEW + 20, 0xffff);
  s = analyze_array (b);
  assert_warning (s, expected);
  assert_warning (s, "Section table truncated at offset 0x10117: 0 of 2 entries read");
  /* The fields that were there are still reported. */
  g_assert_cmpint (json_object_get_int_member (s, "entry_point"), ==, 0x1000);
  g_assert_cmpint (json_object_get_int_member (s, "machine"), ==, 0x8664);
}

static void
test_bad_magic (void)
{
  g_autoptr(GByteArray) b = build_pe (FALSE);
  g_autoptr(JsonObject) s = NULL;

  put_u16 (b, OPT, 0x1234);
  s = analyze_array (b);
  assert_warning (s, "Unknown optional header magic 0x1234 at offset 0x118");
  g_assert_false (json_object_has_member (s, "entry_point"));
  /* The section table is still found through SizeOfOptionalHeader. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "sections")), ==, 2);
}

static void
test_too_many_directories (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, OPT + 108, 0xffffffff);
  s = analyze_array (b);
  assert_warning (s, "NumberOfRvaAndSizes is 4294967295");
}

static void
test_raw_data_past_end (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  gsize table = OPT + opt_size (TRUE);
  JsonObject *text;

  /* Offset + size would overflow 32 bits; it must not wrap around. */
  put_u32 (b, table + 16, 0xffffffff);
  put_u32 (b, table + 20, 0xfffffe00);
  s = analyze_array (b);
  assert_warning (s, "Section .text declares raw data at 0xfffffe00+0xffffffff, past the end");
  text = json_array_get_object_element (json_object_get_array_member (s, "sections"), 0);
  g_assert_false (json_object_has_member (text, "entropy"));
  g_assert_cmpint (json_object_get_int_member (text, "raw_offset"), ==, 0xfffffe00);
}

static void
test_writable_executable (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  gsize table = OPT + opt_size (TRUE);
  g_autofree char *anomalies = NULL;
  JsonObject *upx;

  put_bytes (b, table, "UPX0\0\0\0\0", 8);
  put_u32 (b, table + 8, 0x100000);
  put_u32 (b, table + 16, 0);
  put_u32 (b, table + 36, 0xe0000080);
  s = analyze_array (b);
  assert_warning (s, "Section UPX0 is both writable and executable");
  upx = json_array_get_object_element (json_object_get_array_member (s, "sections"), 0);
  anomalies = json_to_string (json_object_get_member (upx, "anomalies"), FALSE);
  g_assert_nonnull (strstr (anomalies, "writable-executable"));
  g_assert_nonnull (strstr (anomalies, "packer-name"));
  g_assert_nonnull (strstr (anomalies, "zero-raw-size"));
  g_assert_cmpstr (json_object_get_string_member (s, "packer_hint"), ==, "UPX");
}

static void
test_import_directory_outside (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  set_dir (b, TRUE, 1, 0x7fff0000, 0x28);
  s = analyze_array (b);
  assert_warning (s, "The import directory at RVA 0x7fff0000 is not in the file");
  g_assert_cmpstr (json_object_get_string_member (s, "imphash"), ==, "");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "imports")), ==, 0);
}

static void
test_import_descriptors_unterminated (void)
{
  g_autoptr(GByteArray) b = build_pe (FALSE);
  g_autoptr(JsonObject) s = NULL;

  memset (b->data + RDATA_RAW, 0x41, 0x400);
  set_dir (b, FALSE, 1, RDATA_RVA, 0x14);
  s = analyze_array (b);
  /* 0x400 bytes hold 51 whole descriptors; their names point nowhere. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "imports")), ==, 51);
  assert_warning (s, "Import descriptor 0 names RVA 0x41414141, which is not in the file");
  assert_warning (s, "further warnings were left out");
}

static void
test_thunks_unterminated (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  JsonArray *functions;

  put_u32 (b, rdata (0x2000), 0x2100);
  put_u32 (b, rdata (0x200c), 0x2040);
  put_u32 (b, rdata (0x2010), 0x2100);
  put_string (b, rdata (0x2040), "evil.dll");
  /* Ordinal thunks up to the end of the section, never a zero. */
  for (guint32 rva = 0x2100; rva < 0x2400; rva += 8)
    put_u64 (b, rdata (rva), G_GUINT64_CONSTANT (0x8000000000000001));
  set_dir (b, TRUE, 1, RDATA_RVA, 0x28);
  s = analyze_array (b);
  assert_warning (s, "The import lookup table of evil.dll is truncated after 96 entries");
  functions = json_object_get_array_member (json_array_get_object_element (
                                              json_object_get_array_member (s, "imports"), 0),
                                            "functions");
  g_assert_cmpuint (json_array_get_length (functions), ==, 96);
}

static void
test_exports_huge_counts (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;
  gint64 start = g_get_monotonic_time ();

  put_u32 (b, rdata (0x2014), 0xffffffff);
  put_u32 (b, rdata (0x2018), 0xffffffff);
  put_u32 (b, rdata (0x201c), 0x2100);
  put_u32 (b, rdata (0x2020), 0x2100);
  put_u32 (b, rdata (0x2024), 0x2100);
  set_dir (b, TRUE, 0, RDATA_RVA, 0x28);
  s = analyze_array (b);
  assert_warning (s, "declares 4294967295 functions; only 65536 are read");
  assert_warning (s, "declares 4294967295 names; only 65536 are read");
  assert_warning (s, "The export name tables are truncated after 192 entries");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_resource_cycle (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  /* Root directory with one RT_VERSION entry whose subdirectory is the root. */
  put_u16 (b, rdata (0x200e), 1);
  put_u32 (b, rdata (0x2010), 16);
  put_u32 (b, rdata (0x2014), 0x80000000);
  set_dir (b, TRUE, 2, RDATA_RVA, 0x100);
  s = analyze_array (b);
  assert_warning (s, "The resource tree loops back to offset 0x0");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (s, "version_info")), ==, 0);
}

static void
test_tls_unterminated (void)
{
  g_autoptr(GByteArray) b = build_pe (TRUE);
  g_autoptr(JsonObject) s = NULL;

  put_u64 (b, rdata (0x2018), G_GUINT64_CONSTANT (0x140000000) + 0x2100);
  for (guint32 rva = 0x2100; rva < 0x2400; rva += 8)
    put_u64 (b, rdata (rva), G_GUINT64_CONSTANT (0x140001000));
  set_dir (b, TRUE, 9, RDATA_RVA, 0x28);
  s = analyze_array (b);
  assert_warning (s, "The TLS callback table at 0x140002100 is not terminated");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "tls_callbacks")), ==,
                    96);
}

/* Every prefix of a real file parses to a partial result. */
static void
test_truncations (void)
{
  g_autofree char *path = test_source_path ("fixtures/pe/hello64.exe");
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 2; cut < length; cut += (cut < 0x400 ? 7 : 331))
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(JsonObject) s = NULL;

      g_byte_array_append (b, (const guint8 *) contents, cut);
      s = analyze_array (b);
      if (cut < 0x40)
        assert_warning (s, "DOS header is truncated");
      else if (cut < 0x400)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "warnings")), >,
                          0);
    }
}

/* Random corruption of a real file never crashes or hangs. */
static void
test_mutations (void)
{
  g_autofree char *path = test_source_path ("fixtures/pe/hello32.exe");
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240531);
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(JsonObject) s = NULL;

      g_byte_array_append (b, (const guint8 *) contents, length);
      for (guint i = 0; i < 12; i++)
        {
          /* Mostly the headers, where the offsets and counts live. */
          gsize at = g_rand_boolean (rand) ? g_rand_int_range (rand, 2, 0x400)
                                           : g_rand_int_range (rand, 2, (gint32) length);
          b->data[at] = g_rand_boolean (rand) ? 0xff : (guint8) g_rand_int (rand);
        }
      s = analyze_array (b);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/specimen/pe/pefile/hello64", "fixtures/pe/hello64.exe", test_fixture);
  g_test_add_data_func ("/specimen/pe/pefile/hello32", "fixtures/pe/hello32.exe", test_fixture);
  g_test_add_data_func ("/specimen/pe/pefile/demo64", "fixtures/pe/demo64.dll", test_fixture);
  g_test_add_data_func ("/specimen/pe/pefile/demo32", "fixtures/pe/demo32.dll", test_fixture);
  g_test_add_func ("/specimen/pe/known-values", test_fixture_known_values);
  g_test_add_func ("/specimen/pe/api-indicators", test_api_indicators);
  g_test_add_func ("/specimen/pe/render", test_render);
  g_test_add_data_func ("/specimen/pe/hand-built/pe32plus", GINT_TO_POINTER (TRUE),
                        test_hand_built);
  g_test_add_data_func ("/specimen/pe/hand-built/pe32", GINT_TO_POINTER (FALSE), test_hand_built);
  g_test_add_func ("/specimen/pe/malformed/not-pe", test_not_pe);
  g_test_add_func ("/specimen/pe/malformed/dos-truncated", test_dos_truncated);
  g_test_add_func ("/specimen/pe/malformed/lfanew-past-end", test_lfanew_past_end);
  g_test_add_func ("/specimen/pe/malformed/no-pe-signature", test_no_pe_signature);
  g_test_add_func ("/specimen/pe/malformed/section-count-65535", test_section_count_65535);
  g_test_add_func ("/specimen/pe/malformed/optional-header-truncated",
                   test_optional_header_truncated);
  g_test_add_func ("/specimen/pe/malformed/bad-magic", test_bad_magic);
  g_test_add_func ("/specimen/pe/malformed/too-many-directories", test_too_many_directories);
  g_test_add_func ("/specimen/pe/malformed/raw-data-past-end", test_raw_data_past_end);
  g_test_add_func ("/specimen/pe/malformed/writable-executable", test_writable_executable);
  g_test_add_func ("/specimen/pe/malformed/import-directory-outside",
                   test_import_directory_outside);
  g_test_add_func ("/specimen/pe/malformed/import-descriptors-unterminated",
                   test_import_descriptors_unterminated);
  g_test_add_func ("/specimen/pe/malformed/thunks-unterminated", test_thunks_unterminated);
  g_test_add_func ("/specimen/pe/malformed/exports-huge-counts", test_exports_huge_counts);
  g_test_add_func ("/specimen/pe/malformed/resource-cycle", test_resource_cycle);
  g_test_add_func ("/specimen/pe/malformed/tls-unterminated", test_tls_unterminated);
  g_test_add_func ("/specimen/pe/malformed/truncations", test_truncations);
  g_test_add_func ("/specimen/pe/malformed/mutations", test_mutations);

  return g_test_run ();
}
