/* test-elf.c: the ELF parser against readelf, and on hostile headers
 *
 * Real binaries of this system (the test itself, libglib, readelf) and
 * hand-built ELF32/ELF64 files in both byte orders are compared with what
 * binutils readelf reports at test time (tests/elf-oracle.py). Malformed
 * headers, one per bounds rule, must give partial results with warnings.
 */
#include "config.h"

#include "sp-elf.h"
#include "parsers-test-util.h"

static JsonObject *
analyze_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  JsonObject *section;

  g_assert_no_error (error);
  section = sp_elf_analyze (sample, NULL);
  g_assert_nonnull (section);
  return section;
}

/* Types readelf names but our table does not (processor-specific ones) are
 * not compared; everything else must match. */
static void
drop_unnamed_types (JsonObject *oracle,
                    JsonObject *ours,
                    const char *member)
{
  JsonArray *theirs = json_object_get_array_member (oracle, member);
  JsonArray *mine = json_object_get_array_member (ours, member);

  if (theirs == NULL || mine == NULL ||
      json_array_get_length (theirs) != json_array_get_length (mine))
    return;
  for (guint i = 0; i < json_array_get_length (mine); i++)
    {
      JsonObject *m = json_array_get_object_element (mine, i);

      if (g_str_has_prefix (json_object_get_string_member (m, "type"), "0x"))
        json_object_remove_member (json_array_get_object_element (theirs, i), "type");
    }
}

static JsonObject *
compare_with_readelf (const char *path)
{
  g_autoptr(JsonObject) oracle = run_oracle ("elf-oracle.py", path, NULL);
  JsonObject *ours = analyze_path (path);

  if (!json_object_has_member (oracle, "soname"))
    g_assert_false (json_object_has_member (ours, "soname"));
  if (!json_object_has_member (oracle, "interpreter"))
    g_assert_false (json_object_has_member (ours, "interpreter"));
  if (!json_object_has_member (oracle, "needed"))
    {
      JsonArray *needed = json_object_has_member (ours, "needed") ?
                          json_object_get_array_member (ours, "needed") : NULL;
      g_assert_true (needed == NULL || json_array_get_length (needed) == 0);
    }
  drop_unnamed_types (oracle, ours, "sections");
  drop_unnamed_types (oracle, ours, "segments");
  assert_json_object_subset (oracle, ours, path);
  return ours;
}

static void
test_self (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(JsonObject) ours = NULL;

  g_assert_nonnull (self);
  ours = compare_with_readelf (self);
  /* Known independently of readelf: this test is a dynamically linked x86/ARM/… program. */
  g_assert_true (json_object_has_member (ours, "interpreter"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "warnings")), ==, 0);
}

static char *
find_loaded_library (const char *name)
{
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *path = strchr (lines[i], '/');

      if (path != NULL && strstr (path, name) != NULL)
        return g_strdup (path);
    }
  return NULL;
}

static void
test_shared_library (void)
{
  g_autofree char *glib = find_loaded_library ("libglib-2.0.so");
  g_autoptr(JsonObject) ours = NULL;

  g_assert_nonnull (glib);
  ours = compare_with_readelf (glib);
  g_assert_cmpstr (json_object_get_string_member (ours, "soname"), ==, "libglib-2.0.so.0");
  g_assert_cmpstr (json_object_get_string_member (ours, "type"), ==, "DYN");
}

static void
test_stripped_program (void)
{
  g_autofree char *readelf = g_find_program_in_path ("readelf");
  g_autofree char *real = NULL;
  g_autoptr(JsonObject) ours = NULL;

  g_assert_nonnull (readelf);
  real = g_canonicalize_filename (readelf, NULL);
  {
    g_autofree char *target = g_file_read_link (real, NULL);

    if (target != NULL)
      {
        g_autofree char *dir = g_path_get_dirname (real);
        g_free (real);
        real = g_canonicalize_filename (target, dir);
      }
  }
  ours = compare_with_readelf (real);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "needed")), >, 0);
}

/* ---- hand-built files -------------------------------------------------------- */

typedef struct
{
  gboolean is64;
  gboolean big;
  guint16  machine;
} ElfSpec;

#define PHOFF     0x40
#define INTERP    0x200
#define TEXT      0x240
#define DYNSTR    0x280
#define DYNAMIC   0x300
#define SYMTAB    0x400
#define STRTAB    0x480
#define SHSTRTAB  0x4c0
#define SHOFF     0x600
#define VBASE     0x10000
#define N_SECTIONS 9

static const char dynstr[] = "\0libfoo.so.1\0libbar.so.2\0libtest.so.7";
static const char shstrtab[] = "\0.interp\0.text\0.dynstr\0.dynamic\0.symtab\0.strtab"
                               "\0.shstrtab\0.bss";

static guint
shstr (const char *name)
{
  for (guint i = 1; i < sizeof shstrtab; i++)
    if (strcmp (shstrtab + i, name) == 0)
      return i;
  g_assert_not_reached ();
}

static void
put_word (GByteArray    *b,
          const ElfSpec *spec,
          gsize          offset,
          guint64        value,
          guint          width)
{
  put_uint (b, offset, value, width, spec->big);
}

/* An address-sized value: 4 bytes in ELF32, 8 in ELF64. */
static void
put_addr (GByteArray    *b,
          const ElfSpec *spec,
          gsize          offset,
          guint64        value)
{
  put_word (b, spec, offset, value, spec->is64 ? 8 : 4);
}

static gsize
shentsize (const ElfSpec *spec)
{
  return spec->is64 ? 64 : 40;
}

static void
put_section (GByteArray    *b,
             const ElfSpec *spec,
             guint          index,
             const char    *name,
             guint32        type,
             guint64        flags,
             guint64        offset,
             guint64        size,
             guint32        link,
             guint64        entsize)
{
  gsize base = SHOFF + index * shentsize (spec);
  guint64 address = (flags & 2) ? VBASE + offset : 0;

  put_word (b, spec, base, name != NULL ? shstr (name) : 0, 4);
  put_word (b, spec, base + 4, type, 4);
  if (spec->is64)
    {
      put_addr (b, spec, base + 8, flags);
      put_addr (b, spec, base + 16, address);
      put_addr (b, spec, base + 24, offset);
      put_addr (b, spec, base + 32, size);
      put_word (b, spec, base + 40, link, 4);
      put_addr (b, spec, base + 48, 1);
      put_addr (b, spec, base + 56, entsize);
    }
  else
    {
      put_addr (b, spec, base + 8, flags);
      put_addr (b, spec, base + 12, address);
      put_addr (b, spec, base + 16, offset);
      put_addr (b, spec, base + 20, size);
      put_word (b, spec, base + 24, link, 4);
      put_addr (b, spec, base + 32, 1);
      put_addr (b, spec, base + 36, entsize);
    }
}

static void
put_segment (GByteArray    *b,
             const ElfSpec *spec,
             guint          index,
             guint32        type,
             guint32        flags,
             guint64        offset,
             guint64        file_size,
             guint64        memory_size)
{
  gsize base = PHOFF + index * (spec->is64 ? 56 : 32);

  put_word (b, spec, base, type, 4);
  if (spec->is64)
    {
      put_word (b, spec, base + 4, flags, 4);
      put_addr (b, spec, base + 8, offset);
      put_addr (b, spec, base + 16, VBASE + offset);
      put_addr (b, spec, base + 24, VBASE + offset);
      put_addr (b, spec, base + 32, file_size);
      put_addr (b, spec, base + 40, memory_size);
      put_addr (b, spec, base + 48, type == 1 ? 0x1000 : 1);
    }
  else
    {
      put_addr (b, spec, base + 4, offset);
      put_addr (b, spec, base + 8, VBASE + offset);
      put_addr (b, spec, base + 12, VBASE + offset);
      put_addr (b, spec, base + 16, file_size);
      put_addr (b, spec, base + 20, memory_size);
      put_word (b, spec, base + 24, flags, 4);
      put_addr (b, spec, base + 28, type == 1 ? 0x1000 : 1);
    }
}

static void
put_dyn (GByteArray    *b,
         const ElfSpec *spec,
         guint          index,
         guint64        tag,
         guint64        value)
{
  guint entry = spec->is64 ? 16 : 8;

  put_addr (b, spec, DYNAMIC + index * entry, tag);
  put_addr (b, spec, DYNAMIC + index * entry + entry / 2, value);
}

static GByteArray *
build_elf (const ElfSpec *spec)
{
  GByteArray *b = g_byte_array_new ();
  gsize end = SHOFF + N_SECTIONS * shentsize (spec);
  guint sym_size = spec->is64 ? 24 : 16;
  gsize dynamic_size = 6 * (spec->is64 ? 16 : 8);

  put_bytes (b, 0, "\177ELF", 4);
  put_u8 (b, 4, spec->is64 ? 2 : 1);
  put_u8 (b, 5, spec->big ? 2 : 1);
  put_u8 (b, 6, 1);
  put_word (b, spec, 16, 3, 2);                 /* ET_DYN */
  put_word (b, spec, 18, spec->machine, 2);
  put_word (b, spec, 20, 1, 4);
  if (spec->is64)
    {
      put_addr (b, spec, 24, VBASE + TEXT);
      put_addr (b, spec, 32, PHOFF);
      put_addr (b, spec, 40, SHOFF);
      put_word (b, spec, 52, 64, 2);
      put_word (b, spec, 54, 56, 2);
      put_word (b, spec, 56, 3, 2);
      put_word (b, spec, 58, 64, 2);
      put_word (b, spec, 60, N_SECTIONS, 2);
      put_word (b, spec, 62, 7, 2);
    }
  else
    {
      put_addr (b, spec, 24, VBASE + TEXT);
      put_addr (b, spec, 28, PHOFF);
      put_addr (b, spec, 32, SHOFF);
      put_word (b, spec, 40, 52, 2);
      put_word (b, spec, 42, 32, 2);
      put_word (b, spec, 44, 3, 2);
      put_word (b, spec, 46, 40, 2);
      put_word (b, spec, 48, N_SECTIONS, 2);
      put_word (b, spec, 50, 7, 2);
    }

  put_segment (b, spec, 0, 3, 4, INTERP, 18, 18);
  put_segment (b, spec, 1, 1, 5, 0, end, end + 0x100);
  put_segment (b, spec, 2, 2, 6, DYNAMIC, dynamic_size, dynamic_size);

  put_string (b, INTERP, "/lib/ld-test.so.1");
  for (guint i = 0; i < 16; i++)
    put_u8 (b, TEXT + i, 0x90 + i);
  put_bytes (b, DYNSTR, dynstr, sizeof dynstr);
  put_dyn (b, spec, 0, 1, 1);
  put_dyn (b, spec, 1, 1, 13);
  put_dyn (b, spec, 2, 14, 25);
  put_dyn (b, spec, 3, 5, VBASE + DYNSTR);
  put_dyn (b, spec, 4, 10, sizeof dynstr);
  put_dyn (b, spec, 5, 0, 0);
  /* Three symbols: the null one and two named. */
  put_word (b, spec, SYMTAB + sym_size, 1, 4);
  put_word (b, spec, SYMTAB + 2 * sym_size, 5, 4);
  put_bytes (b, STRTAB, "\0main\0helper", 13);
  put_bytes (b, SHSTRTAB, shstrtab, sizeof shstrtab);

  put_section (b, spec, 0, NULL, 0, 0, 0, 0, 0, 0);
  put_section (b, spec, 1, ".interp", 1, 2, INTERP, 18, 0, 0);
  put_section (b, spec, 2, ".text", 1, 6, TEXT, 16, 0, 0);
  put_section (b, spec, 3, ".dynstr", 3, 2, DYNSTR, sizeof dynstr, 0, 0);
  put_section (b, spec, 4, ".dynamic", 6, 3, DYNAMIC, dynamic_size, 3, spec->is64 ? 16 : 8);
  put_section (b, spec, 5, ".symtab", 2, 0, SYMTAB, 3 * sym_size, 6, sym_size);
  put_section (b, spec, 6, ".strtab", 3, 0, STRTAB, 13, 0, 0);
  put_section (b, spec, 7, ".shstrtab", 3, 0, SHSTRTAB, sizeof shstrtab, 0, 0);
  put_section (b, spec, 8, ".bss", 8, 3, end, 0x100, 0, 0);
  g_assert_cmpuint (b->len, ==, end);
  return b;
}

static void
test_hand_built (gconstpointer data)
{
  const ElfSpec *spec = data;
  g_autoptr(GByteArray) b = build_elf (spec);
  g_autofree char *path = write_temp (b, "specimen-elf-XXXXXX");
  g_autoptr(JsonObject) ours = compare_with_readelf (path);
  JsonArray *needed = json_object_get_array_member (ours, "needed");
  JsonObject *text;

  g_assert_cmpstr (json_object_get_string_member (ours, "class"), ==,
                   spec->is64 ? "ELF64" : "ELF32");
  g_assert_cmpstr (json_object_get_string_member (ours, "endianness"), ==,
                   spec->big ? "big" : "little");
  g_assert_cmpint (json_object_get_int_member (ours, "machine"), ==, spec->machine);
  g_assert_cmpint (json_object_get_int_member (ours, "entry"), ==, VBASE + TEXT);
  g_assert_cmpstr (json_object_get_string_member (ours, "interpreter"), ==, "/lib/ld-test.so.1");
  g_assert_cmpstr (json_object_get_string_member (ours, "soname"), ==, "libtest.so.7");
  g_assert_cmpuint (json_array_get_length (needed), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (needed, 0), ==, "libfoo.so.1");
  g_assert_cmpstr (json_array_get_string_element (needed, 1), ==, "libbar.so.2");
  g_assert_false (json_object_get_boolean_member (ours, "stripped"));
  g_assert_cmpint (json_object_get_int_member (ours, "symbols"), ==, 3);
  /* .text holds 16 distinct bytes: exactly 4 bits per byte. */
  text = json_array_get_object_element (json_object_get_array_member (ours, "sections"), 2);
  g_assert_cmpstr (json_object_get_string_member (text, "flags"), ==, "AX");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (text, "entropy"), 4.0, 1e-12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "warnings")), ==, 0);
  g_unlink (path);
}

static const ElfSpec spec32le = { FALSE, FALSE, 3 };
static const ElfSpec spec32be = { FALSE, TRUE, 20 };
static const ElfSpec spec64le = { TRUE, FALSE, 62 };
static const ElfSpec spec64be = { TRUE, TRUE, 22 };

/* e_shnum = 0 and e_shstrndx = SHN_XINDEX: the real values live in section 0. */
static void
test_extended_numbering (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ours = NULL;

  put_uint (b, 60, 0, 2, FALSE);
  put_uint (b, 62, 0xffff, 2, FALSE);
  put_u64 (b, SHOFF + 32, N_SECTIONS);
  put_u32 (b, SHOFF + 40, 7);
  path = write_temp (b, "specimen-elf-XXXXXX");
  ours = compare_with_readelf (path);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "sections")), ==,
                    N_SECTIONS);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (ours, "sections"), 7), "name"), ==, ".shstrtab");
  g_unlink (path);
}

static void
test_render (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autoptr(SpSample) sample = sample_from_array (b, "x.so");
  g_autoptr(JsonObject) section = sp_elf_analyze (sample, NULL);
  g_autofree char *text = render_section (sp_elf_render, section, SP_REPORT_FORMAT_TEXT);
  g_autofree char *html = render_section (sp_elf_render, section, SP_REPORT_FORMAT_HTML);
  g_autoptr(JsonObject) hostile = json_object_new ();

  g_assert_nonnull (strstr (text, "libfoo.so.1"));
  g_assert_nonnull (strstr (text, "/lib/ld-test.so.1"));
  g_assert_nonnull (strstr (text, ".shstrtab"));
  g_assert_nonnull (strstr (html, "libtest.so.7"));

  json_object_set_int_member (hostile, "needed", 1);
  json_object_set_string_member (hostile, "sections", "<b>");
  json_object_set_int_member (hostile, "class", 5);
  g_free (render_section (sp_elf_render, hostile, SP_REPORT_FORMAT_MARKDOWN));
}

/* ---- malformed headers ---------------------------------------------------------- */

static JsonObject *
analyze_array (GByteArray *b)
{
  g_autoptr(SpSample) sample = sample_from_array (b, "hostile");
  JsonObject *section = sp_elf_analyze (sample, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (section);
  g_assert_true (json_object_has_member (section, "warnings"));
  text = render_section (sp_elf_render, section, SP_REPORT_FORMAT_TEXT);
  return section;
}

static void
test_not_elf (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(SpSample) sample = NULL;

  put_bytes (b, 0, "\177ELG", 4);
  put_u8 (b, 100, 0);
  sample = sample_from_array (b, "x");
  g_assert_null (sp_elf_analyze (sample, NULL));
}

static void
test_header_truncated (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autoptr(JsonObject) s = NULL;

  g_byte_array_set_size (b, 20);
  s = analyze_array (b);
  assert_warning (s, "The ELF header is truncated: the file has 20 bytes, the header needs 64");
  g_assert_cmpstr (json_object_get_string_member (s, "class"), ==, "ELF64");
}

static void
test_bad_class (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec32le);
  g_autoptr(JsonObject) s = NULL;

  put_u8 (b, 4, 7);
  s = analyze_array (b);
  assert_warning (s, "Unknown ELF class 7 at offset 0x4");
}

static void
test_shoff_past_end (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64be);
  g_autoptr(JsonObject) s = NULL;

  put_uint (b, 40, G_GUINT64_CONSTANT (0xfffffffffffff000), 8, TRUE);
  s = analyze_array (b);
  assert_warning (s, "section header table at offset 0xfffffffffffff000 lies past the end");
  /* The program headers still give the interpreter and libraries. */
  g_assert_cmpstr (json_object_get_string_member (s, "interpreter"), ==, "/lib/ld-test.so.1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "needed")), ==, 2);
}

static void
test_section_count_65535 (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec32be);
  g_autoptr(JsonObject) s = NULL;
  guint complete = (b->len - SHOFF) / 40;
  g_autofree char *expected = g_strdup_printf ("section header table is truncated at offset 0x%x: "
                                               "%u of 1024",
                                               SHOFF + complete * 40, complete);
  gint64 start = g_get_monotonic_time ();

  put_uint (b, 48, 0xffff, 2, TRUE);
  s = analyze_array (b);
  assert_warning (s, "declares 65535 sections; only the first 1024 are read");
  assert_warning (s, expected);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "sections")), ==,
                    complete);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_small_entry_size (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autoptr(JsonObject) s = NULL;

  put_uint (b, 58, 4, 2, FALSE);
  put_uint (b, 54, 8, 2, FALSE);
  s = analyze_array (b);
  assert_warning (s, "e_shentsize is 4, smaller than a section header (64 bytes)");
  assert_warning (s, "e_phentsize is 8, smaller than a program header (56 bytes)");
}

static void
test_shstrndx_out_of_range (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec32le);
  g_autoptr(JsonObject) s = NULL;

  put_uint (b, 50, 200, 2, FALSE);
  s = analyze_array (b);
  assert_warning (s, "The section name table index 200 is not a section (there are 9)");
}

static void
test_section_overflow (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autoptr(JsonObject) s = NULL;
  JsonObject *text;

  /* .text at offset 2^64 - 0x100, 0x1000 bytes: offset + size wraps. */
  put_u64 (b, SHOFF + 2 * 64 + 24, G_GUINT64_CONSTANT (0xffffffffffffff00));
  put_u64 (b, SHOFF + 2 * 64 + 32, 0x1000);
  s = analyze_array (b);
  assert_warning (s, "Section .text at 0xffffffffffffff00+0x1000 extends past the end of the file");
  text = json_array_get_object_element (json_object_get_array_member (s, "sections"), 2);
  g_assert_false (json_object_has_member (text, "entropy"));
}

static void
test_dynamic_unterminated (void)
{
  g_autoptr(GByteArray) b = build_elf (&spec64le);
  g_autoptr(JsonObject) s = NULL;

  /* No DT_NULL, a DT_STRTAB outside every segment and no .dynamic section link. */
  for (guint i = 0; i < 16; i++)
    put_dyn (b, &spec64le, i, 1, 0x7777);
  put_dyn (b, &spec64le, 3, 5, 0xdeadbeef);
  put_u32 (b, SHOFF + 4 * 64 + 40, 99);
  s = analyze_array (b);
  assert_warning (s, "The dynamic string table is not in the file");
}

static void
test_truncations (void)
{
  g_autoptr(GByteArray) full = build_elf (&spec32le);

  for (guint cut = 4; cut < full->len; cut += 13)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(JsonObject) s = NULL;

      g_byte_array_append (b, full->data, cut);
      s = analyze_array (b);
      if (cut < 52)
        assert_warning (s, "The ELF header is truncated");
      else
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "warnings")), >,
                          0);
    }
}

static void
test_mutations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint round = 0; round < 400; round++)
    {
      const ElfSpec *specs[] = { &spec32le, &spec32be, &spec64le, &spec64be };
      g_autoptr(GByteArray) b = build_elf (specs[round % 4]);
      g_autoptr(JsonObject) s = NULL;

      for (guint i = 0; i < 8; i++)
        {
          gsize at = g_rand_int_range (rand, 4, (gint32) b->len);
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

  g_test_add_func ("/specimen/elf/readelf/self", test_self);
  g_test_add_func ("/specimen/elf/readelf/shared-library", test_shared_library);
  g_test_add_func ("/specimen/elf/readelf/stripped-program", test_stripped_program);
  g_test_add_data_func ("/specimen/elf/readelf/hand-built-32le", &spec32le, test_hand_built);
  g_test_add_data_func ("/specimen/elf/readelf/hand-built-32be", &spec32be, test_hand_built);
  g_test_add_data_func ("/specimen/elf/readelf/hand-built-64le", &spec64le, test_hand_built);
  g_test_add_data_func ("/specimen/elf/readelf/hand-built-64be", &spec64be, test_hand_built);
  g_test_add_func ("/specimen/elf/readelf/extended-numbering", test_extended_numbering);
  g_test_add_func ("/specimen/elf/render", test_render);
  g_test_add_func ("/specimen/elf/malformed/not-elf", test_not_elf);
  g_test_add_func ("/specimen/elf/malformed/header-truncated", test_header_truncated);
  g_test_add_func ("/specimen/elf/malformed/bad-class", test_bad_class);
  g_test_add_func ("/specimen/elf/malformed/shoff-past-end", test_shoff_past_end);
  g_test_add_func ("/specimen/elf/malformed/section-count-65535", test_section_count_65535);
  g_test_add_func ("/specimen/elf/malformed/small-entry-size", test_small_entry_size);
  g_test_add_func ("/specimen/elf/malformed/shstrndx-out-of-range", test_shstrndx_out_of_range);
  g_test_add_func ("/specimen/elf/malformed/section-overflow", test_section_overflow);
  g_test_add_func ("/specimen/elf/malformed/dynamic-unterminated", test_dynamic_unterminated);
  g_test_add_func ("/specimen/elf/malformed/truncations", test_truncations);
  g_test_add_func ("/specimen/elf/malformed/mutations", test_mutations);

  return g_test_run ();
}
