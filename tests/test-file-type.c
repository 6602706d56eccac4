/* test-file-type.c: file type detection on hand-built fixtures and oracle-built binaries
 *
 * Every signature in the table gets a minimal fixture built here with known
 * offsets. Binaries made by real tools (gcc, mingw-w64, Python's zipfile and
 * PIL) are checked against readelf and pefile where those are installed.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sp-file-type.h"
#include "parsers-test-util.h"

/* Fixture building -------------------------------------------------------- */

static void
pad_to (GByteArray *b,
        gsize       size)
{
  guint8 zero = 0;

  if (b->len < size)
    put_bytes (b, size - 1, &zero, 1);
}

static GByteArray *
new_buffer (void)
{
  return g_byte_array_new ();
}

/* Detection helpers ------------------------------------------------------- */

static SpFileType *
detect_data (const guint8 *data,
             gsize         length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "fixture");
  g_autoptr(GError) error = NULL;
  SpFileType *type;

  type = sp_file_type_detect (sample, &error);
  g_assert_no_error (error);
  g_assert_nonnull (type);
  return type;
}

static SpFileType *
detect_string (const char *text)
{
  return detect_data ((const guint8 *) text, strlen (text));
}

static SpFileType *
detect_array (GByteArray *b)
{
  return detect_data (b->data, b->len);
}

static SpFileType *
detect_path (const char *path)
{
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  SpFileType *type;

  sample = sp_sample_open (path, &error);
  g_assert_no_error (error);
  type = sp_file_type_detect (sample, &error);
  g_assert_no_error (error);
  g_assert_nonnull (type);
  return type;
}

static void
assert_type (SpFileType *type,
             const char *name,
             const char *mime,
             const char *family)
{
  g_assert_cmpstr (sp_file_type_get_name (type), ==, name);
  if (mime != NULL)
    g_assert_cmpstr (sp_file_type_get_mime (type), ==, mime);
  if (family != NULL)
    g_assert_cmpstr (sp_file_type_get_family (type), ==, family);
  g_assert_nonnull (sp_file_type_get_description (type));
  g_assert_nonnull (sp_file_type_get_extension (type));
}

static gboolean
has_evidence (SpFileType *type,
              guint64     offset,
              const char *hex)
{
  for (guint i = 0; i < sp_file_type_get_n_evidence (type); i++)
    {
      guint64 ev_offset;
      const char *ev_hex, *what;

      g_assert_true (sp_file_type_get_evidence (type, i, &ev_offset, &ev_hex, &what));
      g_assert_nonnull (what);
      if (ev_offset == offset && g_str_has_prefix (ev_hex, hex))
        return TRUE;
    }
  return FALSE;
}

#define assert_evidence(type, offset, hex) \
  g_assert_true (has_evidence ((type), (offset), (hex)))

static void
assert_description_contains (SpFileType *type,
                             const char *needle)
{
  const char *description = sp_file_type_get_description (type);

  if (strstr (description, needle) == NULL)
    g_error ("description “%s” lacks “%s”", description, needle);
}

/* Every prefix and a few hundred single-byte mutations of @b must not crash. */
static void
assert_robust (GByteArray *b)
{
  gsize limit = MIN (b->len, 700);
  g_autofree guint8 *copy = g_memdup2 (b->data, b->len);

  for (gsize length = 0; length <= limit; length++)
    sp_file_type_free (detect_data (b->data, length));
  for (guint i = 0; i < 200; i++)
    {
      gsize at = g_test_rand_int_range (0, (gint32) MIN (b->len, 1024));
      guint8 saved = copy[at];

      copy[at] = (guint8) g_test_rand_int_range (0, 256);
      sp_file_type_free (detect_data (copy, b->len));
      copy[at] = saved;
    }
}

/* Simple signatures -------------------------------------------------------- */

typedef struct
{
  guint        offset;
  const char  *bytes;
  gsize        length;
  const char  *name;
  const char  *mime;
  const char  *family;
  const char  *hex;          /* expected evidence at @offset */
} SimpleCase;

#define FIX(s) s, sizeof (s) - 1

static const SimpleCase simple_cases[] = {
  { 0, FIX ("SPECIMEN\x01"), "Specimen encrypted report", "application/x-specimen-encrypted-report",
    "other", "53 50 45 43 49 4D 45 4E" },
  { 0, FIX ("\0asm\x01\0\0\0"), "WebAssembly", "application/wasm", "bytecode", "00 61 73 6D 01" },
  { 0, FIX ("dex\n035\0"), "Android DEX", "application/vnd.android.dex", "bytecode",
    "64 65 78 0A" },
  { 0, FIX ("PK\5\6"), "ZIP archive", "application/zip", "zip", "50 4B 05 06" },
  { 0, FIX ("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "OLE2 compound file",
    "application/x-ole-storage", "document", "D0 CF 11 E0 A1 B1 1A E1" },
  { 0, FIX ("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), "PDF", "application/pdf", "document",
    "25 50 44 46 2D" },
  { 0, FIX ("{\\rtf1\\ansi\x01"), "RTF", "application/rtf", "document", "7B 5C 72 74 66" },
  { 0, FIX ("Rar!\x1A\x07\x01\0"), "RAR 5", "application/vnd.rar", "archive",
    "52 61 72 21 1A 07 01 00" },
  { 0, FIX ("Rar!\x1A\x07\0"), "RAR 4", "application/vnd.rar", "archive",
    "52 61 72 21 1A 07 00" },
  { 0, FIX ("7z\xBC\xAF\x27\x1C\0\x04"), "7-Zip", "application/x-7z-compressed", "archive",
    "37 7A BC AF 27 1C" },
  { 0, FIX ("\x1F\x8B\x08\0"), "gzip", "application/gzip", "archive", "1F 8B 08" },
  { 0, FIX ("BZh91AY&SY"), "bzip2", "application/x-bzip2", "archive", "42 5A 68" },
  { 0, FIX ("\xFD" "7zXZ\0\0\x04"), "xz", "application/x-xz", "archive", "FD 37 7A 58 5A 00" },
  { 0, FIX ("\x28\xB5\x2F\xFD\x04"), "zstd", "application/zstd", "archive", "28 B5 2F FD" },
  { 257, FIX ("ustar\0" "00"), "tar", "application/x-tar", "archive", "75 73 74 61 72" },
  { 257, FIX ("ustar  \0"), "tar", "application/x-tar", "archive", "75 73 74 61 72" },
  { 0, FIX ("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), "PNG", "image/png", "image",
    "89 50 4E 47 0D 0A 1A 0A" },
  { 0, FIX ("\xFF\xD8\xFF\xE0\0\x10JFIF\0"), "JPEG", "image/jpeg", "image", "FF D8 FF" },
  { 0, FIX ("GIF87a\x01\0\x01\0"), "GIF", "image/gif", "image", "47 49 46 38 37 61" },
  { 0, FIX ("GIF89a\x01\0\x01\0"), "GIF", "image/gif", "image", "47 49 46 38 39 61" },
  { 0, FIX ("II*\0\x08\0\0\0"), "TIFF", "image/tiff", "image", "49 49 2A 00" },
  { 0, FIX ("MM\0*\0\0\0\x08"), "TIFF", "image/tiff", "image", "4D 4D 00 2A" },
  { 0, FIX ("RIFF\x24\0\0\0WEBPVP8 "), "WebP", "image/webp", "image", "52 49 46 46" },
  { 0, FIX ("RIFF\x24\0\0\0WAVEfmt "), "WAV", "audio/x-wav", "media", "52 49 46 46" },
  { 0, FIX ("RIFF\x24\0\0\0AVI LIST"), "AVI", "video/x-msvideo", "media", "52 49 46 46" },
  { 0, FIX ("SQLite format 3\0\x10\0"), "SQLite 3", "application/vnd.sqlite3", "database",
    "53 51 4C 69 74 65" },
  { 0, FIX ("L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46\x9B\0"), "Windows shortcut",
    "application/x-ms-shortcut", "other", "4C 00 00 00 01 14 02 00" },
  { 0, FIX ("\xEF\xBB\xBFhello\n"), "UTF-8 text", "text/plain", "text", "EF BB BF" },
  { 0, FIX ("\xFF\xFEh\0i\0"), "UTF-16LE text", "text/plain", "text", "FF FE" },
  { 0, FIX ("\xFE\xFF\0h\0i"), "UTF-16BE text", "text/plain", "text", "FE FF" },
};

static void
test_simple_signatures (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (simple_cases); i++)
    {
      const SimpleCase *c = &simple_cases[i];
      g_autoptr(GByteArray) b = new_buffer ();
      g_autoptr(SpFileType) type = NULL;

      put_bytes (b, c->offset, c->bytes, c->length);
      /* Text fixtures stay short; binary ones are padded with NULs like real headers. */
      if (strcmp (c->family, "text") != 0)
        pad_to (b, 1024);
      type = detect_array (b);
      g_test_message ("case %u: %s", i, sp_file_type_get_name (type));
      assert_type (type, c->name, c->mime, c->family);
      assert_evidence (type, c->offset, c->hex);
    }
}

static void
test_specimen_report (void)
{
  g_autoptr(SpFileType) type = NULL;

  type = detect_data ((const guint8 *) "SPECIMEN\x01\x01\x01\x01\x02\0\0\0\0\0\0\0", 20);
  assert_type (type, "Specimen encrypted report", "application/x-specimen-encrypted-report",
               "other");
  g_assert_cmpstr (sp_file_type_get_description (type), ==,
                   "Specimen encrypted report (AES-256-GCM, key from a password)");
  g_assert_cmpstr (sp_file_type_get_extension (type), ==, "specimen");
  assert_evidence (type, 8, "01 01 01 01");
  sp_file_type_free (g_steal_pointer (&type));

  type = detect_data ((const guint8 *) "SPECIMEN\x01\x01\x02\x02\0\0\0\0", 16);
  g_assert_cmpstr (sp_file_type_get_description (type), ==,
                   "Specimen encrypted file (AES-256-GCM, key file)");
  sp_file_type_free (g_steal_pointer (&type));

  type = detect_data ((const guint8 *) "SPECIMEN\x07\x01\x02\x02\0\0\0\0", 16);
  assert_description_contains (type, "unknown version 7");
}

static void
test_riff_form_type (void)
{
  g_autoptr(SpFileType) type = NULL;

  type = detect_data ((const guint8 *) "RIFF\x24\0\0\0WEBPVP8 \0\0\0\0", 20);
  assert_evidence (type, 0, "52 49 46 46");
  assert_evidence (type, 8, "57 45 42 50");
  sp_file_type_free (g_steal_pointer (&type));

  /* An unknown RIFF form is not WebP, WAV or AVI. */
  type = detect_data ((const guint8 *) "RIFF\x24\0\0\0CDXA\0\0\0\0", 16);
  assert_type (type, "data", "application/octet-stream", "other");
}

static void
test_weak_signatures_rejected (void)
{
  static const char *texts[] = {
    "BMW is a car maker\n",
    "MZ is not a DOS header here\n",
    "dex\nnot a version\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SpFileType) type = detect_data ((const guint8 *) texts[i], strlen (texts[i]));

      assert_type (type, "ASCII text", "text/plain", "text");
    }

  /* "BZh" needs a block size digit. */
  {
    g_autoptr(SpFileType) type = detect_data ((const guint8 *) "BZhx\x01\x02", 6);

    assert_type (type, "data", "application/octet-stream", "other");
  }
}

/* PE ---------------------------------------------------------------------- */

typedef struct
{
  guint32  e_lfanew;
  guint16  machine;
  guint16  magic;
  guint16  characteristics;
  guint16  subsystem;
  gboolean clr;
} PeSpec;

static GByteArray *
build_pe (const PeSpec *spec)
{
  GByteArray *b = new_buffer ();
  guint32 opt = spec->e_lfanew + 24;
  gboolean plus = spec->magic == 0x20B;

  put_bytes (b, 0, "MZ", 2);
  put_u16 (b, 8, 4);                 /* header paragraphs */
  put_u32 (b, 0x3C, spec->e_lfanew);
  put_bytes (b, spec->e_lfanew, "PE\0\0", 4);
  put_u16 (b, spec->e_lfanew + 4, spec->machine);
  put_u16 (b, spec->e_lfanew + 6, 1);
  put_u16 (b, spec->e_lfanew + 20, plus ? 240 : 224);
  put_u16 (b, spec->e_lfanew + 22, spec->characteristics);
  put_u16 (b, opt, spec->magic);
  put_u16 (b, opt + 68, spec->subsystem);
  put_u32 (b, opt + (plus ? 108 : 92), 16);
  if (spec->clr)
    {
      put_u32 (b, opt + (plus ? 112 : 96) + 14 * 8, 0x2008);
      put_u32 (b, opt + (plus ? 112 : 96) + 14 * 8 + 4, 0x48);
    }
  pad_to (b, spec->e_lfanew + 24 + (plus ? 240 : 224) + 40 + 512);
  return b;
}

static void
test_pe (void)
{
  static const struct
  {
    PeSpec      spec;
    const char *name;
    const char *extension;
    const char *description;
  } cases[] = {
    { { 0x80, 0x8664, 0x20B, 0x2022, 3, FALSE }, "PE32+ DLL", "dll",
      "Windows PE32+ dynamic-link library for x86-64" },
    { { 0x80, 0x014C, 0x10B, 0x0102, 2, FALSE }, "PE32 executable", "exe",
      "Windows PE32 executable (GUI) for Intel 386" },
    { { 0xF8, 0x8664, 0x20B, 0x0022, 3, FALSE }, "PE32+ executable", "exe",
      "Windows PE32+ executable (console) for x86-64" },
    { { 0x80, 0x014C, 0x10B, 0x2102, 2, FALSE }, "PE32 DLL", "dll",
      "Windows PE32 dynamic-link library for Intel 386" },
    { { 0x80, 0x8664, 0x20B, 0x0022, 10, FALSE }, "PE32+ EFI application", "efi",
      "UEFI PE32+ application for x86-64" },
    { { 0x80, 0xAA64, 0x20B, 0x0022, 11, FALSE }, "PE32+ EFI driver", "efi",
      "UEFI PE32+ EFI boot service driver for ARM64" },
    { { 0x80, 0x8664, 0x20B, 0x0022, 1, FALSE }, "PE32+ driver", "sys",
      "Windows PE32+ native executable (driver) for x86-64" },
    { { 0x80, 0x014C, 0x10B, 0x0102, 3, TRUE }, "PE32 executable", "exe",
      "Windows PE32 executable (console) for Intel 386, .NET assembly" },
    /* A PE header past the 64 KiB head is read separately. */
    { { 0x12000, 0x8664, 0x20B, 0x2022, 2, FALSE }, "PE32+ DLL", "dll",
      "Windows PE32+ dynamic-link library for x86-64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = build_pe (&cases[i].spec);
      g_autoptr(SpFileType) type = detect_array (b);
      guint32 pe = cases[i].spec.e_lfanew;
      const char *magic_hex = cases[i].spec.magic == 0x20B ? "0B 02" : "0B 01";

      assert_type (type, cases[i].name, "application/vnd.microsoft.portable-executable", "pe");
      g_assert_cmpstr (sp_file_type_get_extension (type), ==, cases[i].extension);
      g_assert_cmpstr (sp_file_type_get_description (type), ==, cases[i].description);
      assert_evidence (type, 0, "4D 5A");
      assert_evidence (type, pe, "50 45 00 00");
      assert_evidence (type, pe + 24, magic_hex);
    }
}

static void
test_pe_broken_header (void)
{
  PeSpec spec = { 0x80, 0x8664, 0x20B, 0x2022, 3, FALSE };
  g_autoptr(GByteArray) b = build_pe (&spec);
  g_autoptr(SpFileType) type = NULL;

  /* e_lfanew past the end of the file: only the DOS header is left. */
  put_u32 (b, 0x3C, 0x7FFFFFF0);
  type = detect_array (b);
  assert_type (type, "MS-DOS executable", "application/x-dosexec", "pe");
  sp_file_type_free (g_steal_pointer (&type));

  /* An unknown optional header magic. */
  put_u32 (b, 0x3C, 0x80);
  put_u16 (b, 0x80 + 24, 0x1234);
  type = detect_array (b);
  assert_type (type, "PE image", "application/vnd.microsoft.portable-executable", "pe");

  put_u16 (b, 0x80 + 24, 0x20B);
  assert_robust (b);
}

/* ELF --------------------------------------------------------------------- */

static GByteArray *
build_elf (gboolean is_64,
           gboolean big_endian,
           guint16  e_type,
           guint16  machine,
           gboolean interp)
{
  GByteArray *b = new_buffer ();
  guint8 ident[8] = { 0x7F, 'E', 'L', 'F', is_64 ? 2 : 1, big_endian ? 2 : 1, 1, 0 };
  guint16 phentsize = is_64 ? 56 : 32;
  guint32 phoff = is_64 ? 64 : 52;

  put_bytes (b, 0, ident, sizeof ident);
  put_uint (b, 16, e_type, 2, big_endian);
  put_uint (b, 18, machine, 2, big_endian);
  if (is_64)
    {
      put_uint (b, big_endian ? 36 : 32, phoff, 4, big_endian);
      put_uint (b, 54, phentsize, 2, big_endian);
      put_uint (b, 56, 2, 2, big_endian);
    }
  else
    {
      put_uint (b, 28, phoff, 4, big_endian);
      put_uint (b, 42, phentsize, 2, big_endian);
      put_uint (b, 44, 2, 2, big_endian);
    }
  put_uint (b, phoff, 6 /* PT_PHDR */, 4, big_endian);
  put_uint (b, phoff + phentsize, interp ? 3 : 1, 4, big_endian);
  pad_to (b, 512);
  return b;
}

static void
test_elf (void)
{
  static const struct
  {
    gboolean    is_64, big_endian;
    guint16     e_type, machine;
    gboolean    interp;
    const char *name;
    const char *mime;
    const char *description;
  } cases[] = {
    { TRUE, FALSE, 2, 62, FALSE, "ELF 64-bit executable", "application/x-executable",
      "ELF 64-bit little-endian executable for x86-64" },
    { TRUE, FALSE, 3, 62, TRUE, "ELF 64-bit PIE executable", "application/x-pie-executable",
      "ELF 64-bit little-endian position-independent executable for x86-64" },
    { TRUE, FALSE, 3, 183, FALSE, "ELF 64-bit shared object", "application/x-sharedlib",
      "ELF 64-bit little-endian shared object for AArch64" },
    { FALSE, TRUE, 1, 8, FALSE, "ELF 32-bit relocatable", "application/x-object",
      "ELF 32-bit big-endian relocatable object for MIPS" },
    { TRUE, FALSE, 4, 62, FALSE, "ELF 64-bit core dump", "application/x-core",
      "ELF 64-bit little-endian core dump for x86-64" },
    { FALSE, FALSE, 3, 3, TRUE, "ELF 32-bit PIE executable", "application/x-pie-executable",
      "ELF 32-bit little-endian position-independent executable for Intel 80386" },
    { TRUE, TRUE, 2, 21, FALSE, "ELF 64-bit executable", "application/x-executable",
      "ELF 64-bit big-endian executable for 64-bit PowerPC" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = build_elf (cases[i].is_64, cases[i].big_endian, cases[i].e_type,
                                           cases[i].machine, cases[i].interp);
      g_autoptr(SpFileType) type = detect_array (b);

      assert_type (type, cases[i].name, cases[i].mime, "elf");
      g_assert_cmpstr (sp_file_type_get_description (type), ==, cases[i].description);
      assert_evidence (type, 0, "7F 45 4C 46");
      assert_evidence (type, 4, cases[i].is_64 ? "02" : "01");
      assert_evidence (type, 5, cases[i].big_endian ? "02" : "01");
      if (cases[i].interp)
        assert_evidence (type, (cases[i].is_64 ? 64 + 56 : 52 + 32), cases[i].big_endian
                                                                     ? "00 00 00 03"
                                                                     : "03 00 00 00");
      if (i == 0)
        assert_robust (b);
    }
}

/* Mach-O, Java class ------------------------------------------------------ */

static void
test_macho (void)
{
  static const struct
  {
    const char *magic;
    gboolean    big_endian;
    guint32     cpu, filetype;
    const char *name;
    const char *description;
  } cases[] = {
    { "\xFE\xED\xFA\xCE", TRUE, 18, 2, "Mach-O 32-bit executable",
      "Mach-O 32-bit big-endian executable for PowerPC" },
    { "\xCE\xFA\xED\xFE", FALSE, 7, 6, "Mach-O 32-bit dynamic library",
      "Mach-O 32-bit little-endian dynamic library for x86" },
    { "\xFE\xED\xFA\xCF", TRUE, 0x01000012, 1, "Mach-O 64-bit object",
      "Mach-O 64-bit big-endian object for PowerPC 64" },
    { "\xCF\xFA\xED\xFE", FALSE, 0x0100000C, 2, "Mach-O 64-bit executable",
      "Mach-O 64-bit little-endian executable for ARM64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = new_buffer ();
      g_autoptr(SpFileType) type = NULL;
      g_autofree char *hex = NULL;
      const guint8 *m = (const guint8 *) cases[i].magic;

      put_bytes (b, 0, cases[i].magic, 4);
      put_uint (b, 4, cases[i].cpu, 4, cases[i].big_endian);
      put_uint (b, 12, cases[i].filetype, 4, cases[i].big_endian);
      pad_to (b, 256);
      type = detect_array (b);
      assert_type (type, cases[i].name, "application/x-mach-binary", "macho");
      g_assert_cmpstr (sp_file_type_get_description (type), ==, cases[i].description);
      hex = g_strdup_printf ("%02X %02X %02X %02X", m[0], m[1], m[2], m[3]);
      assert_evidence (type, 0, hex);
    }
}

static void
test_cafebabe (void)
{
  g_autoptr(GByteArray) fat = new_buffer ();
  g_autoptr(GByteArray) java = new_buffer ();
  g_autoptr(SpFileType) type = NULL;

  put_bytes (fat, 0, "\xCA\xFE\xBA\xBE", 4);
  put_uint (fat, 4, 2, 4, TRUE);
  put_uint (fat, 8, 0x01000007, 4, TRUE);
  pad_to (fat, 256);
  type = detect_array (fat);
  assert_type (type, "Mach-O universal", "application/x-mach-binary", "macho");
  g_assert_cmpstr (sp_file_type_get_description (type), ==,
                   "Mach-O universal binary with 2 architectures");
  assert_evidence (type, 4, "00 00 00 02");
  sp_file_type_free (g_steal_pointer (&type));

  /* Java 8: minor 0, major 52. */
  put_bytes (java, 0, "\xCA\xFE\xBA\xBE\0\0\0\x34\0\x10", 10);
  pad_to (java, 64);
  type = detect_array (java);
  assert_type (type, "Java class", "application/java-vm", "bytecode");
  g_assert_cmpstr (sp_file_type_get_description (type), ==, "Java class file, version 52.0");
  assert_evidence (type, 0, "CA FE BA BE");
  assert_evidence (type, 6, "00 34");
}

/* COFF, BMP, ICO ---------------------------------------------------------- */

static void
test_coff (void)
{
  g_autoptr(GByteArray) b = new_buffer ();
  g_autoptr(SpFileType) type = NULL;

  put_u16 (b, 0, 0x8664);
  put_u16 (b, 2, 1);
  put_u32 (b, 8, 60 + 16);            /* symbol table after the section data */
  put_u16 (b, 16, 0);
  put_bytes (b, 20, ".text\0\0\0", 8);
  pad_to (b, 128);
  type = detect_array (b);
  assert_type (type, "COFF object", "application/x-coff", "coff");
  g_assert_cmpstr (sp_file_type_get_description (type), ==, "COFF object file for x86-64");
  assert_evidence (type, 0, "64 86");
  sp_file_type_free (g_steal_pointer (&type));

  /* An optional header means an image, not an object: not COFF. */
  put_u16 (b, 16, 224);
  type = detect_array (b);
  assert_type (type, "data", "application/octet-stream", "other");
}

static void
test_bmp (void)
{
  g_autoptr(GByteArray) b = new_buffer ();
  g_autoptr(SpFileType) type = NULL;

  put_bytes (b, 0, "BM", 2);
  put_u32 (b, 2, 14 + 40 + 16);
  put_u32 (b, 10, 14 + 40);
  put_u32 (b, 14, 40);
  put_u32 (b, 18, 3);
  put_u32 (b, 22, (guint32) -2);      /* top-down */
  put_u16 (b, 26, 1);
  put_u16 (b, 28, 24);
  pad_to (b, 14 + 40 + 16);
  type = detect_array (b);
  assert_type (type, "BMP", "image/bmp", "image");
  g_assert_cmpstr (sp_file_type_get_description (type), ==,
                   "Windows bitmap image, 3 × 2 pixels");
  assert_evidence (type, 0, "42 4D");
  assert_evidence (type, 14, "28 00 00 00");
  assert_robust (b);
}

static void
test_ico (void)
{
  for (guint kind = 1; kind <= 2; kind++)
    {
      g_autoptr(GByteArray) b = new_buffer ();
      g_autoptr(SpFileType) type = NULL;

      put_u16 (b, 2, kind);
      put_u16 (b, 4, 1);
      put_bytes (b, 6, "\x10\x10\0\0", 4);
      put_u32 (b, 6 + 8, 40);
      put_u32 (b, 6 + 12, 22);
      pad_to (b, 22 + 40);
      type = detect_array (b);
      if (kind == 1)
        assert_type (type, "ICO", "image/vnd.microsoft.icon", "image");
      else
        assert_type (type, "CUR", "image/x-win-bitmap", "image");
      assert_evidence (type, 0, kind == 1 ? "00 00 01 00" : "00 00 02 00");
      assert_evidence (type, 4, "01 00");
    }
}

/* OLE2 -------------------------------------------------------------------- */

static void
put_ole_entry (GByteArray *b,
               gsize       at,
               const char *name,
               guint8      kind)
{
  gsize length = strlen (name);

  for (gsize i = 0; i < length; i++)
    put_u16 (b, at + i * 2, (guchar) name[i]);
  put_u16 (b, at + 64, (length + 1) * 2);
  put_bytes (b, at + 66, &kind, 1);
}

static GByteArray *
build_ole (const char *stream,
           gboolean    msi)
{
  GByteArray *b = new_buffer ();

  put_bytes (b, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  put_u16 (b, 0x1A, 3);
  put_u16 (b, 0x1C, 0xFFFE);
  put_u16 (b, 0x1E, 9);
  put_u32 (b, 0x30, 1);              /* directory in sector 1, at 1024 */
  put_ole_entry (b, 1024, "Root Entry", 5);
  if (msi)
    put_bytes (b, 1024 + 80, "\x84\x10\x0C\0\0\0\0\0\xC0\0\0\0\0\0\0\x46", 16);
  if (stream != NULL)
    put_ole_entry (b, 1024 + 128, stream, 2);
  pad_to (b, 1536);
  return b;
}

static void
test_ole (void)
{
  static const struct
  {
    const char *stream;
    gboolean    msi;
    const char *name;
    const char *mime;
  } cases[] = {
    { "WordDocument", FALSE, "DOC", "application/msword" },
    { "Workbook", FALSE, "XLS", "application/vnd.ms-excel" },
    { "PowerPoint Document", FALSE, "PPT", "application/vnd.ms-powerpoint" },
    { NULL, TRUE, "MSI", "application/x-msi" },
    { "Contents", FALSE, "OLE2 compound file", "application/x-ole-storage" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = build_ole (cases[i].stream, cases[i].msi);
      g_autoptr(SpFileType) type = detect_array (b);

      assert_type (type, cases[i].name, cases[i].mime, "document");
      assert_evidence (type, 0, "D0 CF 11 E0");
      if (cases[i].msi)
        assert_evidence (type, 1024 + 80, "84 10 0C 00");
      else if (strcmp (cases[i].name, "OLE2 compound file") != 0)
        {
          g_autofree char *hex = g_strdup_printf ("%02X 00", (guchar) cases[i].stream[0]);

          assert_evidence (type, 1024 + 128, hex);
        }
      if (i == 0)
        assert_robust (b);
    }
}

/* Scripts and text --------------------------------------------------------- */

static void
test_scripts (void)
{
  static const struct
  {
    const char *text;
    const char *name;
    const char *mime;
  } cases[] = {
    { "#!/bin/sh\necho hi\n", "Shell script", "text/x-shellscript" },
    { "#! /bin/bash -e\r\necho hi\r\n", "Shell script", "text/x-shellscript" },
    { "#!/usr/bin/env python3\nprint(1)\n", "Python script", "text/x-python" },
    { "#!/usr/bin/env -S python3.11 -u\nprint(1)\n", "Python script", "text/x-python" },
    { "#!/usr/bin/perl -w\nprint 1;\n", "Perl script", "text/x-perl" },
    { "#!/usr/bin/ruby\nputs 1\n", "Script", "text/plain" },
    { "#!", "Script", "text/plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpFileType) type = detect_data ((const guint8 *) cases[i].text,
                                                strlen (cases[i].text));

      assert_type (type, cases[i].name, cases[i].mime, "script");
      assert_evidence (type, 0, "23 21");
    }

  {
    g_autoptr(SpFileType) type = detect_string ("#!/usr/bin/ruby -w\nputs 1\n");

    g_assert_cmpstr (sp_file_type_get_description (type), ==,
                     "Script for ruby (#!/usr/bin/ruby -w)");
  }
}

static void
test_text (void)
{
  g_autoptr(SpFileType) type = NULL;
  g_autoptr(GByteArray) big = new_buffer ();
  const char *utf8 = "h\xC3\xA9llo w\xC3\xB6rld\tand \xE2\x82\xAC\r\n";

  type = detect_string ("hello\tworld\r\n\f\x1B[0m\n");
  assert_type (type, "ASCII text", "text/plain", "text");
  assert_evidence (type, 0, "68 65 6C 6C 6F");
  sp_file_type_free (g_steal_pointer (&type));

  type = detect_data ((const guint8 *) utf8, strlen (utf8));
  assert_type (type, "UTF-8 text", "text/plain", "text");
  sp_file_type_free (g_steal_pointer (&type));

  /* Control characters, a NUL, a C1 control and broken UTF-8 are not text. */
  type = detect_data ((const guint8 *) "hello\x01world", 11);
  assert_type (type, "data", "application/octet-stream", "other");
  sp_file_type_free (g_steal_pointer (&type));
  type = detect_data ((const guint8 *) "hello\0world", 11);
  assert_type (type, "data", NULL, NULL);
  sp_file_type_free (g_steal_pointer (&type));
  type = detect_data ((const guint8 *) "hello \xC2\x85 world", 14);
  assert_type (type, "data", NULL, NULL);
  sp_file_type_free (g_steal_pointer (&type));
  type = detect_data ((const guint8 *) "hello \xC3", 7);
  assert_type (type, "data", NULL, NULL);
  sp_file_type_free (g_steal_pointer (&type));

  /* A character cut by the 64 KiB sample window is forgiven when the file goes on. */
  g_byte_array_set_size (big, SP_FILE_TYPE_HEAD_SIZE + 100);
  memset (big->data, 'a', big->len);
  put_bytes (big, SP_FILE_TYPE_HEAD_SIZE - 1, "\xE2\x82\xAC", 3);
  type = detect_array (big);
  assert_type (type, "UTF-8 text", "text/plain", "text");
  sp_file_type_free (g_steal_pointer (&type));

  /* Only the first 64 KiB are sampled. */
  put_bytes (big, SP_FILE_TYPE_HEAD_SIZE + 50, "\x01", 1);
  type = detect_array (big);
  assert_type (type, "UTF-8 text", "text/plain", "text");
}

static void
test_empty_and_data (void)
{
  g_autoptr(SpFileType) type = NULL;
  guint8 noise[512];

  type = detect_data ((const guint8 *) "", 0);
  assert_type (type, "empty", "application/x-zerosize", "other");
  g_assert_cmpuint (sp_file_type_get_n_evidence (type), ==, 0);
  sp_file_type_free (g_steal_pointer (&type));

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) (0x80 | (i * 37));
  noise[0] = 0x01;
  type = detect_data (noise, sizeof noise);
  assert_type (type, "data", "application/octet-stream", "other");
  g_assert_cmpstr (sp_file_type_get_extension (type), ==, "");
}

/* ZIP --------------------------------------------------------------------- */

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xFFFFFFFF;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));
    }
  return ~crc;
}

typedef struct
{
  const char *name;
  const char *content;
} ZipEntry;

typedef struct
{
  const char *comment;
  gboolean    zip64;
  guint64     name_offsets[16];   /* out: file offset of each name in the central directory */
  guint64     eocd_offset;        /* out */
  guint64     cd_offset;          /* out */
} ZipOptions;

/* A stored (uncompressed) ZIP archive with correct CRCs. */
static GByteArray *
build_zip (const ZipEntry *entries,
           guint           n_entries,
           ZipOptions     *options)
{
  GByteArray *b = new_buffer ();
  g_autofree guint32 *local_offsets = g_new0 (guint32, MAX (n_entries, 1));
  guint64 cd_start, cd_size, at;
  gsize comment_length = options != NULL && options->comment != NULL
                         ? strlen (options->comment) : 0;

  for (guint i = 0; i < n_entries; i++)
    {
      gsize name_length = strlen (entries[i].name);
      gsize size = strlen (entries[i].content);
      guint32 crc = crc32_of ((const guint8 *) entries[i].content, size);

      at = b->len;
      local_offsets[i] = (guint32) at;
      put_bytes (b, at, "PK\3\4", 4);
      put_u16 (b, at + 4, 10);
      put_u32 (b, at + 14, crc);
      put_u32 (b, at + 18, (guint32) size);
      put_u32 (b, at + 22, (guint32) size);
      put_u16 (b, at + 26, (guint16) name_length);
      put_bytes (b, at + 30, entries[i].name, name_length);
      put_bytes (b, at + 30 + name_length, entries[i].content, size);
    }

  cd_start = b->len;
  for (guint i = 0; i < n_entries; i++)
    {
      gsize name_length = strlen (entries[i].name);
      gsize size = strlen (entries[i].content);

      at = b->len;
      put_bytes (b, at, "PK\1\2", 4);
      put_u16 (b, at + 4, 20);
      put_u16 (b, at + 6, 10);
      put_u32 (b, at + 16, crc32_of ((const guint8 *) entries[i].content, size));
      put_u32 (b, at + 20, (guint32) size);
      put_u32 (b, at + 24, (guint32) size);
      put_u16 (b, at + 28, (guint16) name_length);
      put_u32 (b, at + 42, local_offsets[i]);
      put_bytes (b, at + 46, entries[i].name, name_length);
      if (options != NULL && i < G_N_ELEMENTS (options->name_offsets))
        options->name_offsets[i] = at + 46;
    }
  cd_size = b->len - cd_start;

  if (options != NULL && options->zip64)
    {
      guint64 record = b->len;

      put_bytes (b, record, "PK\6\6", 4);
      put_u64 (b, record + 4, 44);
      put_u16 (b, record + 12, 45);
      put_u16 (b, record + 14, 45);
      put_u64 (b, record + 24, n_entries);
      put_u64 (b, record + 32, n_entries);
      put_u64 (b, record + 40, cd_size);
      put_u64 (b, record + 48, cd_start);
      at = b->len;
      put_bytes (b, at, "PK\6\7", 4);
      put_u64 (b, at + 8, record);
      put_u32 (b, at + 16, 1);
    }

  at = b->len;
  put_bytes (b, at, "PK\5\6", 4);
  put_u16 (b, at + 8, options != NULL && options->zip64 ? 0xFFFF : n_entries);
  put_u16 (b, at + 10, options != NULL && options->zip64 ? 0xFFFF : n_entries);
  put_u32 (b, at + 12, options != NULL && options->zip64 ? 0xFFFFFFFF : (guint32) cd_size);
  put_u32 (b, at + 16, options != NULL && options->zip64 ? 0xFFFFFFFF : (guint32) cd_start);
  put_u16 (b, at + 20, (guint16) comment_length);
  if (comment_length > 0)
    put_bytes (b, at + 22, options->comment, comment_length);
  if (options != NULL)
    {
      options->eocd_offset = at;
      options->cd_offset = cd_start;
    }
  return b;
}

static char *
hex_string (const char *text)
{
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; text[i] != '\0' && i < 32; i++)
    g_string_append_printf (hex, i == 0 ? "%02X" : " %02X", (guchar) text[i]);
  return g_string_free (hex, FALSE);
}

static void
test_zip_containers (void)
{
  static const ZipEntry docx[] = {
    { "[Content_Types].xml", "<Types/>" },
    { "_rels/.rels", "<Relationships/>" },
    { "word/document.xml", "<w:document/>" },
  };
  static const ZipEntry xlsx[] = {
    { "[Content_Types].xml", "<Types/>" },
    { "xl/workbook.xml", "<workbook/>" },
  };
  static const ZipEntry pptx[] = {
    { "[Content_Types].xml", "<Types/>" },
    { "ppt/presentation.xml", "<p:presentation/>" },
  };
  static const ZipEntry jar[] = {
    { "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" },
    { "com/example/Main.class", "\xCA\xFE\xBA\xBE" },
  };
  static const ZipEntry classes_only[] = {
    { "Main.class", "\xCA\xFE\xBA\xBE" },
  };
  static const ZipEntry apk[] = {
    { "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" },
    { "classes.dex", "dex\n035" },
    { "AndroidManifest.xml", "\3\0\x08\0" },
  };
  static const ZipEntry odt[] = {
    { "mimetype", "application/vnd.oasis.opendocument.text" },
    { "content.xml", "<office:document-content/>" },
  };
  static const ZipEntry odf_other[] = {
    { "mimetype", "application/vnd.oasis.opendocument.formula" },
    { "content.xml", "<math/>" },
  };
  static const ZipEntry plain[] = {
    { "readme.txt", "hello" },
    { "data/payload.bin", "\x01\x02" },
  };
  static const struct
  {
    const ZipEntry *entries;
    guint           n_entries;
    guint           decisive;   /* index of the entry named in the evidence */
    const char     *name;
    const char     *mime;
    const char     *extension;
  } cases[] = {
    { docx, G_N_ELEMENTS (docx), 2, "DOCX",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
    { xlsx, G_N_ELEMENTS (xlsx), 1, "XLSX",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
    { pptx, G_N_ELEMENTS (pptx), 1, "PPTX",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
    { jar, G_N_ELEMENTS (jar), 0, "JAR", "application/java-archive", "jar" },
    { classes_only, G_N_ELEMENTS (classes_only), 0, "JAR", "application/java-archive", "jar" },
    { apk, G_N_ELEMENTS (apk), 2, "APK", "application/vnd.android.package-archive", "apk" },
    { odt, G_N_ELEMENTS (odt), G_MAXUINT, "ODT", "application/vnd.oasis.opendocument.text",
      "odt" },
    { odf_other, G_N_ELEMENTS (odf_other), G_MAXUINT, "ODF",
      "application/vnd.oasis.opendocument.formula", "" },
    { plain, G_N_ELEMENTS (plain), G_MAXUINT, "ZIP archive", "application/zip", "zip" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ZipOptions options = { 0, };
      g_autoptr(GByteArray) b = build_zip (cases[i].entries, cases[i].n_entries, &options);
      g_autoptr(SpFileType) type = detect_array (b);

      g_test_message ("zip case %u: %s", i, sp_file_type_get_name (type));
      assert_type (type, cases[i].name, cases[i].mime, "zip");
      g_assert_cmpstr (sp_file_type_get_extension (type), ==, cases[i].extension);
      assert_evidence (type, 0, "50 4B 03 04");
      assert_evidence (type, options.eocd_offset, "50 4B 05 06");
      if (cases[i].decisive != G_MAXUINT)
        {
          g_autofree char *hex = hex_string (cases[i].entries[cases[i].decisive].name);

          assert_evidence (type, options.name_offsets[cases[i].decisive], hex);
        }
      if (cases[i].entries[0].name[0] == 'm')
        {
          /* ODF: the name "mimetype" at 30, its content right after. */
          assert_evidence (type, 30, "6D 69 6D 65 74 79 70 65");
          assert_evidence (type, 38, "61 70 70 6C 69 63 61 74");
        }
    }

  {
    ZipOptions options = { 0, };
    g_autoptr(GByteArray) b = build_zip (plain, G_N_ELEMENTS (plain), &options);
    g_autoptr(SpFileType) type = detect_array (b);

    g_assert_cmpstr (sp_file_type_get_description (type), ==, "ZIP archive with 2 entries");
  }
}

static void
test_zip_macros (void)
{
  static const ZipEntry docm[] = {
    { "[Content_Types].xml", "<Types/>" },
    { "word/document.xml", "<w:document/>" },
    { "word/vbaProject.bin", "\xD0\xCF\x11\xE0" },
  };
  ZipOptions options = { 0, };
  g_autoptr(GByteArray) b = build_zip (docm, G_N_ELEMENTS (docm), &options);
  g_autoptr(SpFileType) type = detect_array (b);
  g_autofree char *hex = hex_string ("word/vbaProject.bin");

  assert_type (type, "DOCX", NULL, "zip");
  assert_description_contains (type, "VBA macros");
  assert_evidence (type, options.name_offsets[2], hex);
}

static void
test_zip_layouts (void)
{
  static const ZipEntry docx[] = {
    { "[Content_Types].xml", "<Types/>" },
    { "word/document.xml", "<w:document/>" },
  };
  g_autofree char *hex = hex_string ("word/document.xml");

  /* An archive comment moves the EOCD record away from the end. */
  {
    g_autofree char *comment = g_strnfill (4000, 'c');
    ZipOptions options = { .comment = comment };
    g_autoptr(GByteArray) b = build_zip (docx, G_N_ELEMENTS (docx), &options);
    g_autoptr(SpFileType) type = detect_array (b);

    assert_type (type, "DOCX", NULL, "zip");
    assert_evidence (type, options.eocd_offset, "50 4B 05 06");
    assert_evidence (type, options.name_offsets[1], hex);
  }

  /* ZIP64 end records. */
  {
    ZipOptions options = { .zip64 = TRUE };
    g_autoptr(GByteArray) b = build_zip (docx, G_N_ELEMENTS (docx), &options);
    g_autoptr(SpFileType) type = detect_array (b);

    assert_type (type, "DOCX", NULL, "zip");
    assert_evidence (type, options.eocd_offset - 20 - 56, "50 4B 06 06");
    assert_evidence (type, options.name_offsets[1], hex);
  }

  /* A wrong directory offset (as after prepended data): found right before the EOCD. */
  {
    ZipOptions options = { 0, };
    g_autoptr(GByteArray) b = build_zip (docx, G_N_ELEMENTS (docx), &options);
    g_autoptr(SpFileType) type = NULL;

    put_u32 (b, options.eocd_offset + 16, 0x10);
    type = detect_array (b);
    assert_type (type, "DOCX", NULL, "zip");
    assert_evidence (type, options.name_offsets[1], hex);
    assert_robust (b);
  }

  /* Cut before the central directory: the local headers still tell. */
  {
    ZipOptions options = { 0, };
    g_autoptr(GByteArray) b = build_zip (docx, G_N_ELEMENTS (docx), &options);
    g_autoptr(SpFileType) type = NULL;
    guint64 local_name = 30 + strlen (docx[0].name) + strlen (docx[0].content) + 30;

    g_byte_array_set_size (b, options.cd_offset);
    type = detect_array (b);
    assert_type (type, "DOCX", NULL, "zip");
    assert_evidence (type, local_name, hex);
  }

  /* A lying entry count is walked only as far as the directory really goes. */
  {
    ZipOptions options = { 0, };
    g_autoptr(GByteArray) b = build_zip (docx, G_N_ELEMENTS (docx), &options);
    g_autoptr(SpFileType) type = NULL;

    put_u16 (b, options.eocd_offset + 10, 0xFFFE);
    put_u32 (b, options.eocd_offset + 12, 0x7FFFFFFF);
    type = detect_array (b);
    assert_type (type, "DOCX", NULL, "zip");
  }
}

/* The walk stops after 10000 central directory entries. */
static void
test_zip_entry_cap (void)
{
  const guint n = 10001;
  g_autofree ZipEntry *entries = g_new0 (ZipEntry, n);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) b = NULL;
  g_autoptr(SpFileType) type = NULL;

  for (guint i = 0; i < n - 1; i++)
    {
      char *name = g_strdup_printf ("f%05u", i);

      g_ptr_array_add (names, name);
      entries[i].name = name;
      entries[i].content = "";
    }
  entries[n - 1].name = "word/document.xml";
  entries[n - 1].content = "<w:document/>";
  b = build_zip (entries, n, NULL);
  type = detect_array (b);
  assert_type (type, "ZIP archive", "application/zip", "zip");
  g_assert_cmpstr (sp_file_type_get_description (type), ==, "ZIP archive with 10001 entries");
}

/* Oracles ----------------------------------------------------------------- */

static gboolean
run (const char * const *argv,
     char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err,
                     &status, &error))
    {
      g_test_message ("%s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      return FALSE;
    }
  return TRUE;
}

static char *
write_temp_file (const char *dir,
                 const char *name,
                 const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static const char *
python_with (const char *module)
{
  static const char *candidates[] = { "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *code = g_strdup_printf ("import %s", module);
      const char *argv[] = { candidates[i], "-c", code, NULL };

      if (run (argv, NULL))
        return candidates[i];
    }
  return NULL;
}

/* The value of readelf's "Type:" line, e.g. "DYN (Shared object file)". */
static char *
readelf_type (const char *path)
{
  const char *argv[] = { "readelf", "-h", path, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  if (!run (argv, &out))
    return NULL;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *type = strstr (lines[i], "Type:");

      if (type != NULL)
        return g_strstrip (g_strdup (type + 5));
    }
  return NULL;
}

/* gcc builds a relocatable object, a shared object and an executable; readelf says which. */
static void
test_elf_readelf_oracle (void)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-ft-XXXXXX", NULL);
  g_autofree char *src = write_temp_file (dir, "t.c", "int f (void) { return 1; }\n"
                                                 "int main (void) { return f (); }\n");
  g_autofree char *obj = g_build_filename (dir, "t.o", NULL);
  g_autofree char *so = g_build_filename (dir, "t.so", NULL);
  g_autofree char *exe = g_build_filename (dir, "t", NULL);
  g_autofree char *fixed = g_build_filename (dir, "t-no-pie", NULL);
  const char *cc_obj[] = { "gcc", "-c", src, "-o", obj, NULL };
  const char *cc_so[] = { "gcc", "-shared", "-fPIC", src, "-o", so, NULL };
  const char *cc_exe[] = { "gcc", src, "-o", exe, NULL };
  const char *cc_fixed[] = { "gcc", "-no-pie", src, "-o", fixed, NULL };
  const char *paths[] = { obj, so, exe, fixed, "/proc/self/exe" };

  if (!run (cc_obj, NULL) || !run (cc_so, NULL) || !run (cc_exe, NULL) || !run (cc_fixed, NULL))
    {
      g_test_skip ("no working C compiler");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *real = g_file_read_link (paths[i], NULL);
      g_autofree char *oracle = readelf_type (real != NULL ? real : paths[i]);
      g_autoptr(SpFileType) type = NULL;
      const char *expected;

      if (oracle == NULL)
        {
          g_test_skip ("readelf is not available");
          return;
        }
      if (g_str_has_prefix (oracle, "REL"))
        expected = "relocatable";
      else if (g_str_has_prefix (oracle, "EXEC"))
        expected = "executable";
      else if (g_str_has_prefix (oracle, "DYN (Position-Independent"))
        expected = "PIE executable";
      else if (g_str_has_prefix (oracle, "DYN"))
        expected = "shared object";
      else
        g_assert_not_reached ();

      type = detect_path (real != NULL ? real : paths[i]);
      g_test_message ("%s: readelf says %s, we say %s", paths[i], oracle,
                      sp_file_type_get_name (type));
      g_assert_true (g_str_has_prefix (sp_file_type_get_name (type), "ELF "));
      g_assert_true (g_str_has_suffix (sp_file_type_get_name (type), expected));
      g_assert_cmpstr (sp_file_type_get_family (type), ==, "elf");
    }

  g_remove (obj);
  g_remove (so);
  g_remove (exe);
  g_remove (fixed);
  g_remove (src);
  g_rmdir (dir);
}

/* mingw-w64 builds PE32 and PE32+ DLLs and executables; pefile reads them back. */
static void
test_pe_pefile_oracle (void)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-ft-XXXXXX", NULL);
  g_autofree char *src = write_temp_file (dir, "t.c", "__declspec(dllexport) int f (void) "
                                                 "{ return 1; }\nint main (void) "
                                                 "{ return f (); }\n");
  g_autofree char *dll64 = g_build_filename (dir, "t64.dll", NULL);
  g_autofree char *exe32 = g_build_filename (dir, "t32.exe", NULL);
  g_autofree char *gui64 = g_build_filename (dir, "gui64.exe", NULL);
  g_autofree char *obj64 = g_build_filename (dir, "t64.o", NULL);
  const char *build_dll64[] = { "x86_64-w64-mingw32-gcc", "-shared", src, "-o", dll64, NULL };
  const char *build_exe32[] = { "i686-w64-mingw32-gcc", src, "-o", exe32, NULL };
  const char *build_gui64[] = { "x86_64-w64-mingw32-gcc", "-mwindows", src, "-o", gui64, NULL };
  const char *build_obj64[] = { "x86_64-w64-mingw32-gcc", "-c", src, "-o", obj64, NULL };
  const char *images[] = { dll64, exe32, gui64 };
  const char *python = python_with ("pefile");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  if (python == NULL)
    {
      g_test_skip ("python3-pefile is not installed");
      return;
    }
  if (!run (build_dll64, NULL) || !run (build_exe32, NULL) || !run (build_gui64, NULL) ||
      !run (build_obj64, NULL))
    {
      g_test_skip ("mingw-w64 compilers are not installed");
      return;
    }

  script = g_strdup ("import sys, pefile\n"
                     "for p in sys.argv[1:]:\n"
                     "    pe = pefile.PE(p, fast_load=True)\n"
                     "    print(int(pe.is_dll()), pe.OPTIONAL_HEADER.Magic,"
                     " pe.OPTIONAL_HEADER.Subsystem, pe.DOS_HEADER.e_lfanew)\n");
  {
    const char *argv[] = { python, "-c", script, dll64, exe32, gui64, NULL };

    g_assert_true (run (argv, &out));
  }
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, G_N_ELEMENTS (images));

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      guint is_dll, magic, subsystem, e_lfanew;
      g_autoptr(SpFileType) type = detect_path (images[i]);
      g_autofree char *expected = NULL;

      g_assert_cmpint (sscanf (lines[i], "%u %u %u %u", &is_dll, &magic, &subsystem, &e_lfanew),
                       ==, 4);
      expected = g_strdup_printf ("%s %s", magic == 0x20B ? "PE32+" : "PE32",
                                  is_dll ? "DLL" : "executable");
      g_test_message ("%s: pefile says %s (subsystem %u), we say %s", images[i], expected,
                      subsystem, sp_file_type_get_name (type));
      assert_type (type, expected, "application/vnd.microsoft.portable-executable", "pe");
      assert_evidence (type, e_lfanew, "50 45 00 00");
      if (!is_dll)
        assert_description_contains (type, subsystem == 2 ? "(GUI)" : "(console)");
    }

  {
    g_autoptr(SpFileType) type = detect_path (obj64);

    assert_type (type, "COFF object", "application/x-coff", "coff");
    assert_evidence (type, 0, "64 86");
  }

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    g_remove (images[i]);
  g_remove (obj64);
  g_remove (src);
  g_rmdir (dir);
}

/* Python's zipfile writes deflated OOXML, JAR and ODF archives with a comment. */
static void
test_zip_python_oracle (void)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-ft-XXXXXX", NULL);
  const char *python = python_with ("zipfile");
  static const char script[] =
    "import sys, zipfile\n"
    "d = sys.argv[1]\n"
    "def make(name, entries, comment=b''):\n"
    "    with zipfile.ZipFile(d + '/' + name, 'w', zipfile.ZIP_DEFLATED) as z:\n"
    "        for n, data in entries:\n"
    "            ct = zipfile.ZIP_STORED if n == 'mimetype' else zipfile.ZIP_DEFLATED\n"
    "            z.writestr(zipfile.ZipInfo(n), data, compress_type=ct)\n"
    "        z.comment = comment\n"
    "make('a.docx', [('[Content_Types].xml', '<Types/>' * 50),"
    " ('word/document.xml', '<w:document/>' * 50)], b'x' * 300)\n"
    "make('a.xlsx', [('[Content_Types].xml', '<Types/>'), ('xl/workbook.xml', '<wb/>')])\n"
    "make('a.jar', [('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\\n'),"
    " ('A.class', 'x' * 100)])\n"
    "make('a.apk', [('AndroidManifest.xml', 'x'), ('classes.dex', 'dex\\n035'),"
    " ('META-INF/MANIFEST.MF', 'x')])\n"
    "make('a.ods', [('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'),"
    " ('content.xml', '<c/>' * 40)])\n"
    "make('a.zip', [('a.txt', 'hello' * 100), ('b.txt', 'world')])\n";
  static const struct
  {
    const char *file;
    const char *name;
  } cases[] = {
    { "a.docx", "DOCX" },
    { "a.xlsx", "XLSX" },
    { "a.jar", "JAR" },
    { "a.apk", "APK" },
    { "a.ods", "ODS" },
    { "a.zip", "ZIP archive" },
  };

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }
  {
    const char *argv[] = { python, "-c", script, dir, NULL };

    g_assert_true (run (argv, NULL));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].file, NULL);
      g_autoptr(SpFileType) type = detect_path (path);

      g_test_message ("%s: %s", cases[i].file, sp_file_type_get_name (type));
      assert_type (type, cases[i].name, NULL, "zip");
      g_remove (path);
    }
  g_rmdir (dir);
}

/* PIL writes real images; each must be recognised by its own signature. */
static void
test_images_pil_oracle (void)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-ft-XXXXXX", NULL);
  const char *python = python_with ("PIL.Image");
  static const char script[] =
    "import sys\n"
    "from PIL import Image\n"
    "d = sys.argv[1]\n"
    "im = Image.new('RGB', (17, 9), (200, 30, 40))\n"
    "for ext in ('png', 'jpg', 'gif', 'bmp', 'tif'):\n"
    "    im.save(d + '/i.' + ext)\n"
    "Image.new('RGB', (32, 32)).save(d + '/i.ico', sizes=[(16, 16), (32, 32)])\n";
  static const struct
  {
    const char *file;
    const char *name;
    const char *mime;
  } cases[] = {
    { "i.png", "PNG", "image/png" },
    { "i.jpg", "JPEG", "image/jpeg" },
    { "i.gif", "GIF", "image/gif" },
    { "i.bmp", "BMP", "image/bmp" },
    { "i.tif", "TIFF", "image/tiff" },
    { "i.ico", "ICO", "image/vnd.microsoft.icon" },
  };

  if (python == NULL)
    {
      g_test_skip ("python3-pil is not installed");
      return;
    }
  {
    const char *argv[] = { python, "-c", script, dir, NULL };

    g_assert_true (run (argv, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].file, NULL);
      g_autoptr(SpFileType) type = detect_path (path);

      assert_type (type, cases[i].name, cases[i].mime, "image");
      if (strcmp (cases[i].name, "BMP") == 0)
        g_assert_cmpstr (sp_file_type_get_description (type), ==,
                         "Windows bitmap image, 17 × 9 pixels");
      g_remove (path);
    }
  g_rmdir (dir);
}

/* specimen-cli encrypt writes the container that docs/encrypted-report.md describes. */
static void
test_specimen_cli_oracle (void)
{
  const char *cli = g_getenv ("SPECIMEN_CLI");
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *report = NULL;
  g_autofree char *other = NULL;

  if (cli == NULL)
    {
      g_test_skip ("SPECIMEN_CLI is not set");
      return;
    }
  dir = g_dir_make_tmp ("specimen-ft-XXXXXX", NULL);
  key = g_build_filename (dir, "k", NULL);
  plain = write_temp_file (dir, "plain.txt", "hello\n");
  report = g_build_filename (dir, "report.specimen", NULL);
  other = g_build_filename (dir, "other.specimen", NULL);
  {
    const char *keygen[] = { cli, "keygen", "-o", key, NULL };
    const char *encrypt[] = { cli, "encrypt", "--key-file", key, "-o", other, plain, NULL };
    const char *analyze[] = { cli, "analyze", "--format=json", "--no-strings", "--encrypt",
                              "--key-file", key, "-o", report, plain, NULL };
    g_autoptr(SpFileType) report_type = NULL;
    g_autoptr(SpFileType) other_type = NULL;

    g_assert_true (run (keygen, NULL));
    g_assert_true (run (encrypt, NULL));
    g_assert_true (run (analyze, NULL));
    report_type = detect_path (report);
    other_type = detect_path (other);
    assert_type (report_type, "Specimen encrypted report",
                 "application/x-specimen-encrypted-report", "other");
    g_assert_cmpstr (sp_file_type_get_description (report_type), ==,
                     "Specimen encrypted report (AES-256-GCM, key file)");
    g_assert_cmpstr (sp_file_type_get_description (other_type), ==,
                     "Specimen encrypted file (AES-256-GCM, key file)");
  }
  g_remove (key);
  g_remove (plain);
  g_remove (report);
  g_remove (other);
  g_rmdir (dir);
}

/* GIO, JSON and rendering -------------------------------------------------- */

static void
test_gio_second_opinion (void)
{
  static const guint8 png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
  g_autoptr(GBytes) bytes = g_bytes_new (png, sizeof png - 1);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "picture.png");
  g_autoptr(SpFileType) type = sp_file_type_detect (sample, NULL);

  g_assert_nonnull (type);
  assert_type (type, "PNG", "image/png", "image");
  g_assert_nonnull (sp_file_type_get_gio_content_type (type));
  g_assert_cmpstr (sp_file_type_get_gio_mime (type), ==, "image/png");
  g_assert_nonnull (sp_file_type_get_gio_description (type));
}

static void
test_json (void)
{
  PeSpec spec = { 0x80, 0x8664, 0x20B, 0x2022, 3, FALSE };
  g_autoptr(GByteArray) b = build_pe (&spec);
  g_autoptr(SpFileType) type = detect_array (b);
  g_autoptr(JsonObject) json = sp_file_type_to_json (type);
  JsonArray *evidence;
  JsonObject *gio, *second;

  g_assert_cmpstr (json_object_get_string_member (json, "name"), ==, "PE32+ DLL");
  g_assert_cmpstr (json_object_get_string_member (json, "description"), ==,
                   "Windows PE32+ dynamic-link library for x86-64");
  g_assert_cmpstr (json_object_get_string_member (json, "mime"), ==,
                   "application/vnd.microsoft.portable-executable");
  g_assert_cmpstr (json_object_get_string_member (json, "family"), ==, "pe");
  g_assert_cmpstr (json_object_get_string_member (json, "extension"), ==, "dll");

  evidence = json_object_get_array_member (json, "evidence");
  g_assert_cmpuint (json_array_get_length (evidence), ==, sp_file_type_get_n_evidence (type));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (evidence, 0),
                                               "offset"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (evidence, 0),
                                                  "bytes"), ==, "4D 5A");
  /* e_lfanew at 0x3C, then the PE signature it points to. */
  second = json_array_get_object_element (evidence, 2);
  g_assert_cmpint (json_object_get_int_member (second, "offset"), ==, 0x80);
  g_assert_cmpstr (json_object_get_string_member (second, "bytes"), ==, "50 45 00 00");
  g_assert_nonnull (json_object_get_string_member (second, "what"));

  gio = json_object_get_object_member (json, "gio");
  g_assert_nonnull (gio);
  g_assert_true (json_object_has_member (gio, "content_type"));
  g_assert_true (json_object_has_member (gio, "mime"));
  g_assert_true (json_object_has_member (gio, "description"));
}

static void
test_render (void)
{
  PeSpec spec = { 0x80, 0x8664, 0x20B, 0x2022, 3, FALSE };
  g_autoptr(GByteArray) b = build_pe (&spec);
  g_autoptr(SpFileType) type = detect_array (b);
  g_autoptr(JsonObject) json = sp_file_type_to_json (type);
  g_autoptr(JsonObject) hostile = json_object_new ();
  g_autoptr(JsonArray) evidence = json_array_new ();
  g_autoptr(JsonObject) item = json_object_new ();
  g_autofree char *text = render_section (sp_file_type_render, json, SP_REPORT_FORMAT_TEXT);
  g_autofree char *hostile_text = NULL;

  g_assert_nonnull (strstr (text, "PE32+ DLL"));
  g_assert_nonnull (strstr (text, "Windows PE32+ dynamic-link library for x86-64"));
  g_assert_nonnull (strstr (text, "application/vnd.microsoft.portable-executable"));
  g_assert_nonnull (strstr (text, "0x80"));
  g_assert_nonnull (strstr (text, "50 45 00 00"));
  g_assert_nonnull (strstr (text, "4D 5A"));

  /* A section read from a report file may have members of the wrong type. */
  json_object_set_int_member (hostile, "name", 5);
  json_object_set_string_member (hostile, "gio", "nope");
  json_object_set_string_member (item, "offset", "0x10");
  json_object_set_int_member (item, "bytes", 7);
  json_array_add_object_element (evidence, g_steal_pointer (&item));
  json_array_add_int_element (evidence, 3);
  json_object_set_array_member (hostile, "evidence", g_steal_pointer (&evidence));
  json_object_set_string_member (hostile, "description", "<b>bold</b>");
  hostile_text = render_section (sp_file_type_render, hostile, SP_REPORT_FORMAT_TEXT);
  g_assert_nonnull (strstr (hostile_text, "<b>bold</b>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/specimen/file-type/simple-signatures", test_simple_signatures);
  g_test_add_func ("/specimen/file-type/specimen-report", test_specimen_report);
  g_test_add_func ("/specimen/file-type/riff-form-type", test_riff_form_type);
  g_test_add_func ("/specimen/file-type/weak-signatures-rejected", test_weak_signatures_rejected);
  g_test_add_func ("/specimen/file-type/pe", test_pe);
  g_test_add_func ("/specimen/file-type/pe-broken-header", test_pe_broken_header);
  g_test_add_func ("/specimen/file-type/elf", test_elf);
  g_test_add_func ("/specimen/file-type/macho", test_macho);
  g_test_add_func ("/specimen/file-type/cafebabe", test_cafebabe);
  g_test_add_func ("/specimen/file-type/coff", test_coff);
  g_test_add_func ("/specimen/file-type/bmp", test_bmp);
  g_test_add_func ("/specimen/file-type/ico", test_ico);
  g_test_add_func ("/specimen/file-type/ole", test_ole);
  g_test_add_func ("/specimen/file-type/scripts", test_scripts);
  g_test_add_func ("/specimen/file-type/text", test_text);
  g_test_add_func ("/specimen/file-type/empty-and-data", test_empty_and_data);
  g_test_add_func ("/specimen/file-type/zip-containers", test_zip_containers);
  g_test_add_func ("/specimen/file-type/zip-macros", test_zip_macros);
  g_test_add_func ("/specimen/file-type/zip-layouts", test_zip_layouts);
  g_test_add_func ("/specimen/file-type/zip-entry-cap", test_zip_entry_cap);
  g_test_add_func ("/specimen/file-type/elf-readelf-oracle", test_elf_readelf_oracle);
  g_test_add_func ("/specimen/file-type/pe-pefile-oracle", test_pe_pefile_oracle);
  g_test_add_func ("/specimen/file-type/zip-python-oracle", test_zip_python_oracle);
  g_test_add_func ("/specimen/file-type/images-pil-oracle", test_images_pil_oracle);
  g_test_add_func ("/specimen/file-type/specimen-cli-oracle", test_specimen_cli_oracle);
  g_test_add_func ("/specimen/file-type/gio-second-opinion", test_gio_second_opinion);
  g_test_add_func ("/specimen/file-type/json", test_json);
  g_test_add_func ("/specimen/file-type/render", test_render);

  return g_test_run ();
}
