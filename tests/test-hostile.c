/* test-hostile.c: a catalogue of hostile inputs, each with its exact outcome
 *
 * Every case builds one input (a file, or something that is not a regular
 * file), runs it end to end (sp_analyze_path, or the image, decryption or
 * report-loading entry point it targets) and asserts what must come out:
 * either a refusal with an exact GError domain and code, or a report whose
 * named section carries a warning containing a given text (or that has no
 * such section). Every case also has a time bound.
 *
 * The PE, ELF and BMP headers are built here field by field, so the offset
 * of every field is known; each header is then truncated at every field
 * boundary. Run with --slow (the 'slow' suite) to add the 8 GiB sparse file.
 */
#include "config.h"
#define G_LOG_DOMAIN "test-hostile"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sp-analysis.h"
#include "sp-crypto.h"
#include "sp-image.h"
#include "sp-report.h"
#include "sp-sample.h"

typedef enum
{
  ACT_ANALYZE,
  ACT_DECODE_IMAGE,
  ACT_DECRYPT_KEY,
  ACT_DECRYPT_PASSWORD,
  ACT_LOAD_JSON,
} Action;

typedef struct _HostileCase HostileCase;

/* Creates the input at @path. */
typedef void (*MakeFunc)  (const HostileCase *c,
                           const char        *path);
/* Further assertions on a successful analysis. */
typedef void (*CheckFunc) (const HostileCase *c,
                           SpReport          *report);

struct _HostileCase
{
  char       *name;
  Action      action;
  MakeFunc    make;
  guint64     param;
  /* A refusal: the error's domain (NULL for success) and code. */
  GQuark    (*domain) (void);
  int         code;
  /* On success: this section must exist ("!name": must not), and, unless NULL, one of
   * its "warnings" must contain this text. */
  const char *section;
  char       *warning;
  CheckFunc   check;
  double      max_seconds;
  /* The sample's file name, when it matters (default: from the case name). */
  const char *file_name;
};

static char *tmp_dir;

/* The bounds are for an optimised build; ASan and UBSan make the extractors'
 * validation code about 20 times slower. */
#if defined(__SANITIZE_ADDRESS__)
# define TIME_SCALE 20
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define TIME_SCALE 20
# endif
#endif
#ifndef TIME_SCALE
# define TIME_SCALE 1
#endif

/* --- byte builders ------------------------------------------------------ */

static void
put_u16 (GByteArray *b,
         gsize       offset,
         guint16     value)
{
  b->data[offset] = value & 0xff;
  b->data[offset + 1] = value >> 8;
}

static void
put_u32 (GByteArray *b,
         gsize       offset,
         guint32     value)
{
  for (guint i = 0; i < 4; i++)
    b->data[offset + i] = (value >> (8 * i)) & 0xff;
}

static void
put_u64 (GByteArray *b,
         gsize       offset,
         guint64     value)
{
  for (guint i = 0; i < 8; i++)
    b->data[offset + i] = (value >> (8 * i)) & 0xff;
}

static void
put_bytes (GByteArray *b,
           gsize       offset,
           const void *data,
           gsize       length)
{
  memcpy (b->data + offset, data, length);
}

static GByteArray *
zeros (gsize size)
{
  GByteArray *b = g_byte_array_sized_new (size);

  g_byte_array_set_size (b, size);
  memset (b->data, 0, size);
  return b;
}

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, length, &error);
  g_assert_no_error (error);
}

static void
write_array (const char *path,
             GByteArray *b,
             gsize       length)
{
  write_file (path, b->data, MIN (length, b->len));
}

/* --- a PE32 or PE32+ built field by field ------------------------------
 *
 *   0x000 DOS header, e_lfanew = 0x80       0x080 "PE\0\0"
 *   0x084 COFF header (20 bytes)            0x098 optional header (PE32 0xe0 bytes,
 *   then the section table: .text, .rdata         PE32+ 0xf0 bytes)
 *   0x200 .text (RVA 0x1000)                0x400 .rdata (RVA 0x2000), rdata_size bytes
 */
#define PE_LFANEW      0x80
#define PE_COFF        0x84
#define PE_OPT         0x98
#define PE_TEXT        0x200
#define PE_RDATA       0x400
#define PE_RDATA_RVA   0x2000

static guint
pe_opt_size (gboolean plus)
{
  return plus ? 0xf0 : 0xe0;
}

static guint
pe_sections (gboolean plus)
{
  return PE_OPT + pe_opt_size (plus);
}

/* Where the data directories start in the optional header. */
static guint
pe_dirs (gboolean plus)
{
  return plus ? 112 : 96;
}

static gboolean
pe_is_plus (GByteArray *b)
{
  return b->data[PE_OPT] == 0x0b && b->data[PE_OPT + 1] == 0x02;
}

static void
pe_section (GByteArray *b,
            guint       index,
            const char *name,
            guint32     vsize,
            guint32     rva,
            guint32     raw_size,
            guint32     raw_offset,
            guint32     characteristics)
{
  gsize s = pe_sections (pe_is_plus (b)) + index * 40;

  put_bytes (b, s, name, strlen (name));
  put_u32 (b, s + 8, vsize);
  put_u32 (b, s + 12, rva);
  put_u32 (b, s + 16, raw_size);
  put_u32 (b, s + 20, raw_offset);
  put_u32 (b, s + 36, characteristics);
}

static GByteArray *
pe_build_kind (guint32  rdata_size,
               gboolean plus)
{
  GByteArray *b = zeros (PE_RDATA + rdata_size);
  guint o = PE_OPT;

  put_bytes (b, 0, "MZ", 2);
  put_u32 (b, 0x3c, PE_LFANEW);
  put_bytes (b, PE_LFANEW, "PE\0\0", 4);
  put_u16 (b, PE_COFF, plus ? 0x8664 : 0x14c);
  put_u16 (b, PE_COFF + 2, 2);
  put_u32 (b, PE_COFF + 4, 0x5f000000);
  put_u16 (b, PE_COFF + 16, pe_opt_size (plus));
  put_u16 (b, PE_COFF + 18, plus ? 0x0022 : 0x0102);
  put_u16 (b, o, plus ? 0x20b : 0x10b);
  b->data[o + 2] = 14;
  put_u32 (b, o + 4, 0x200);
  put_u32 (b, o + 8, rdata_size);
  put_u32 (b, o + 16, 0x1000);
  put_u32 (b, o + 20, 0x1000);
  if (plus)
    put_u64 (b, o + 24, G_GUINT64_CONSTANT (0x140000000));
  else
    {
      put_u32 (b, o + 24, PE_RDATA_RVA);
      put_u32 (b, o + 28, 0x400000);
    }
  put_u32 (b, o + 32, 0x1000);
  put_u32 (b, o + 36, 0x200);
  put_u16 (b, o + 40, 6);
  put_u16 (b, o + 48, 6);
  put_u32 (b, o + 56, PE_RDATA_RVA + ((rdata_size + 0xfff) & ~0xfffu));
  put_u32 (b, o + 60, 0x200);
  put_u16 (b, o + 68, 3);
  put_u16 (b, o + 70, 0x8160);
  if (plus)
    {
      put_u64 (b, o + 72, 0x100000);
      put_u64 (b, o + 80, 0x1000);
      put_u64 (b, o + 88, 0x100000);
      put_u64 (b, o + 96, 0x1000);
      put_u32 (b, o + 108, 16);
    }
  else
    {
      put_u32 (b, o + 72, 0x100000);
      put_u32 (b, o + 76, 0x1000);
      put_u32 (b, o + 80, 0x100000);
      put_u32 (b, o + 84, 0x1000);
      put_u32 (b, o + 92, 16);
    }
  pe_section (b, 0, ".text", 0x200, 0x1000, 0x200, PE_TEXT, 0x60000020);
  pe_section (b, 1, ".rdata", rdata_size, PE_RDATA_RVA, rdata_size, PE_RDATA, 0x40000040);
  b->data[PE_TEXT] = 0xc3;
  return b;
}

static GByteArray *
pe_build (guint32 rdata_size)
{
  return pe_build_kind (rdata_size, FALSE);
}

static void
pe_set_directory (GByteArray *b,
                  guint       index,
                  guint32     rva,
                  guint32     size)
{
  guint dirs = PE_OPT + pe_dirs (pe_is_plus (b));

  put_u32 (b, dirs + index * 8, rva);
  put_u32 (b, dirs + index * 8 + 4, size);
}

/* Every field boundary of the headers above, as file offsets. */
static GArray *
pe_field_boundaries (gboolean plus)
{
  static const guint16 opt32_fields[] = {
    2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 42, 44, 46, 48, 50, 52, 56, 60, 64, 68, 70,
    72, 76, 80, 84, 88, 92,
  };
  static const guint16 opt64_fields[] = {
    2, 3, 4, 8, 12, 16, 20, 24, 32, 36, 40, 42, 44, 46, 48, 50, 52, 56, 60, 64, 68, 70,
    72, 80, 88, 96, 104, 108,
  };
  static const guint8 section_fields[] = { 8, 12, 16, 20, 24, 28, 32, 34, 36 };
  static const guint8 coff_fields[] = { 0, 2, 4, 8, 12, 16, 18, 20 };
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (guint32));
  const guint16 *opt_fields = plus ? opt64_fields : opt32_fields;
  guint n_opt_fields = plus ? G_N_ELEMENTS (opt64_fields) : G_N_ELEMENTS (opt32_fields);
  guint sections = pe_sections (plus);
  guint32 cut;

#define ADD(value) G_STMT_START { cut = (value); g_array_append_val (cuts, cut); } G_STMT_END
  ADD (1);
  ADD (2);
  ADD (0x3c);
  ADD (0x3e);
  ADD (0x40);
  ADD (PE_LFANEW);
  ADD (PE_LFANEW + 2);
  for (guint i = 0; i < G_N_ELEMENTS (coff_fields); i++)
    ADD (PE_COFF + coff_fields[i]);
  for (guint i = 0; i < n_opt_fields; i++)
    ADD (PE_OPT + opt_fields[i]);
  for (guint i = 0; i < 16; i++)
    {
      ADD (PE_OPT + pe_dirs (plus) + i * 8);
      ADD (PE_OPT + pe_dirs (plus) + i * 8 + 4);
    }
  for (guint s = 0; s < 2; s++)
    {
      ADD (sections + s * 40);
      for (guint i = 0; i < G_N_ELEMENTS (section_fields); i++)
        ADD (sections + s * 40 + section_fields[i]);
    }
  ADD (sections + 80);
  ADD (PE_TEXT + 0x100);
  ADD (PE_RDATA + 0x100);
#undef ADD
  return cuts;
}

/* The warning a cut at @cut must carry; NULL when it is no PE at all. */
static char *
pe_cut_warning (gboolean plus,
                guint32  cut)
{
  guint sections = pe_sections (plus);
  guint32 table_end = sections + 2 * 40;

  if (cut < 2)
    return NULL;
  if (cut < 0x40)
    return g_strdup_printf ("The DOS header is truncated: the file has %u bytes, e_lfanew "
                            "needs 64.", cut);
  if (cut < 0x84)
    return g_strdup_printf ("e_lfanew points to 0x80, past the end of the file (0x%x bytes).", cut);
  if (cut < PE_OPT)
    return g_strdup ("COFF file header truncated at offset 0x84.");
  if (cut < sections)
    return g_strdup_printf ("Optional header truncated at offset 0x98: %u bytes declared, "
                            "%u present.", pe_opt_size (plus), cut - PE_OPT);
  if (cut < table_end)
    {
      guint entry = (cut - sections) / 40;

      return g_strdup_printf ("Section table truncated at offset 0x%x: %u of 2 entries read.",
                              sections + entry * 40, entry);
    }
  if (cut <= PE_TEXT + 0x200)
    return g_strdup_printf ("Section .text declares raw data at 0x200+0x200, past the end of "
                            "the file (0x%x bytes).", cut);
  return g_strdup_printf ("Section .rdata declares raw data at 0x400+0x200, past the end of "
                          "the file (0x%x bytes).", cut);
}

static void
make_pe_cut (const HostileCase *c,
             const char        *path)
{
  g_autoptr(GByteArray) b = pe_build_kind (0x200, g_str_has_prefix (c->name, "pe32+"));

  write_array (path, b, c->param);
}

/* --- ELF built field by field -------------------------------------------
 *
 * ELF64: header 0..64, one program header 64..120, .text 120..136,
 *   .shstrtab 136..153, section headers (null, .text, .shstrtab) 160..352.
 * ELF32: header 0..52, program header 52..84, .text 84..100,
 *   .shstrtab 100..117, section headers 120..240.
 */
typedef struct
{
  gboolean is64;
  guint    ehsize, phoff, phentsize, text, shstrtab, shoff, shentsize, size;
} ElfLayout;

static const ElfLayout elf64 = { TRUE, 64, 64, 56, 120, 136, 160, 64, 352 };
static const ElfLayout elf32 = { FALSE, 52, 52, 32, 84, 100, 120, 40, 240 };
static const char elf_shstrtab[] = "\0.text\0.shstrtab";

static void
put_addr (GByteArray      *b,
          const ElfLayout *l,
          gsize            offset,
          guint64          value)
{
  if (l->is64)
    put_u64 (b, offset, value);
  else
    put_u32 (b, offset, (guint32) value);
}

static void
elf_section (GByteArray      *b,
             const ElfLayout *l,
             guint            index,
             guint32          name,
             guint32          type,
             guint64          flags,
             guint64          offset,
             guint64          size)
{
  gsize s = l->shoff + index * l->shentsize;

  put_u32 (b, s, name);
  put_u32 (b, s + 4, type);
  if (l->is64)
    {
      put_u64 (b, s + 8, flags);
      put_u64 (b, s + 16, flags ? 0x400000 + offset : 0);
      put_u64 (b, s + 24, offset);
      put_u64 (b, s + 32, size);
      put_u64 (b, s + 48, 1);
    }
  else
    {
      put_u32 (b, s + 8, (guint32) flags);
      put_u32 (b, s + 12, flags ? 0x400000 + (guint32) offset : 0);
      put_u32 (b, s + 16, (guint32) offset);
      put_u32 (b, s + 20, (guint32) size);
      put_u32 (b, s + 32, 1);
    }
}

static GByteArray *
elf_build (const ElfLayout *l)
{
  GByteArray *b = zeros (l->size);
  gsize a = l->is64 ? 8 : 4;

  put_bytes (b, 0, "\177ELF", 4);
  b->data[4] = l->is64 ? 2 : 1;
  b->data[5] = 1;
  b->data[6] = 1;
  put_u16 (b, 16, 2);
  put_u16 (b, 18, l->is64 ? 62 : 3);
  put_u32 (b, 20, 1);
  put_addr (b, l, 24, 0x400000 + l->text);
  put_addr (b, l, 24 + a, l->phoff);
  put_addr (b, l, 24 + 2 * a, l->shoff);
  put_u16 (b, 28 + 3 * a, l->ehsize);
  put_u16 (b, 30 + 3 * a, l->phentsize);
  put_u16 (b, 32 + 3 * a, 1);
  put_u16 (b, 34 + 3 * a, l->shentsize);
  put_u16 (b, 36 + 3 * a, 3);
  put_u16 (b, 38 + 3 * a, 2);
  /* PT_LOAD of the whole file, R+X */
  put_u32 (b, l->phoff, 1);
  if (l->is64)
    {
      put_u32 (b, l->phoff + 4, 5);
      put_u64 (b, l->phoff + 16, 0x400000);
      put_u64 (b, l->phoff + 24, 0x400000);
      put_u64 (b, l->phoff + 32, l->size);
      put_u64 (b, l->phoff + 40, l->size);
      put_u64 (b, l->phoff + 48, 0x1000);
    }
  else
    {
      put_u32 (b, l->phoff + 8, 0x400000);
      put_u32 (b, l->phoff + 12, 0x400000);
      put_u32 (b, l->phoff + 16, l->size);
      put_u32 (b, l->phoff + 20, l->size);
      put_u32 (b, l->phoff + 24, 5);
      put_u32 (b, l->phoff + 28, 0x1000);
    }
  memset (b->data + l->text, 0x90, 16);
  put_bytes (b, l->shstrtab, elf_shstrtab, sizeof elf_shstrtab);
  elf_section (b, l, 1, 1, 1, 6, l->text, 16);
  elf_section (b, l, 2, 7, 3, 0, l->shstrtab, sizeof elf_shstrtab);
  return b;
}

static gsize
elf_field (const ElfLayout *l,
           const char      *field)
{
  gsize a = l->is64 ? 8 : 4;

  if (g_str_equal (field, "e_shoff"))
    return 24 + 2 * a;
  if (g_str_equal (field, "e_phnum"))
    return 32 + 3 * a;
  if (g_str_equal (field, "e_shentsize"))
    return 34 + 3 * a;
  if (g_str_equal (field, "e_shnum"))
    return 36 + 3 * a;
  if (g_str_equal (field, "e_shstrndx"))
    return 38 + 3 * a;
  g_assert_not_reached ();
}

static GArray *
elf_field_boundaries (const ElfLayout *l)
{
  static const guint8 ph64[] = { 0, 4, 8, 16, 24, 32, 40, 48 };
  static const guint8 ph32[] = { 0, 4, 8, 12, 16, 20, 24, 28 };
  static const guint8 sh64[] = { 0, 4, 8, 16, 24, 32, 40, 44, 48, 56 };
  static const guint8 sh32[] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, 36 };
  static const guint8 ident_fields[] = { 3, 4, 5, 6, 7, 8, 16, 18, 20 };
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (guint32));
  gsize a = l->is64 ? 8 : 4;
  guint32 cut;

#define ADD(value) G_STMT_START { cut = (value); g_array_append_val (cuts, cut); } G_STMT_END
  for (guint i = 0; i < G_N_ELEMENTS (ident_fields); i++)
    ADD (ident_fields[i]);
  ADD (24);
  ADD (24 + a);
  ADD (24 + 2 * a);
  for (guint i = 0; i <= 6; i++)
    ADD (24 + 3 * a + 4 + 2 * i);
  for (guint i = 0; i < 8; i++)
    ADD (l->phoff + (l->is64 ? ph64 : ph32)[i]);
  ADD (l->text);
  ADD (l->shstrtab);
  for (guint s = 0; s < 3; s++)
    for (guint i = 0; i < 10; i++)
      ADD (l->shoff + s * l->shentsize + (l->is64 ? sh64 : sh32)[i]);
#undef ADD
  return cuts;
}

/* The warning an ELF cut at @cut must carry; NULL when it is no ELF at all. */
static char *
elf_cut_warning (const ElfLayout *l,
                 guint32          cut)
{
  if (cut < 4)
    return NULL;
  /* Without the class byte the smallest header (ELF32) is what is missing. */
  if (cut < l->ehsize)
    return g_strdup_printf ("The ELF header is truncated: the file has %u bytes, the header "
                            "needs %u.", cut, cut < 6 ? 52 : l->ehsize);
  if (cut <= l->phoff)
    return g_strdup_printf ("The program header table at offset 0x%x lies past the end of the "
                            "file (0x%x bytes).", l->phoff, cut);
  if (cut < l->phoff + l->phentsize)
    return g_strdup_printf ("The program header table is truncated at offset 0x%x: 0 of 1 "
                            "entries read.", l->phoff);
  if (cut <= l->shoff)
    return g_strdup_printf ("The section header table at offset 0x%x lies past the end of the "
                            "file (0x%x bytes).", l->shoff, cut);
  return g_strdup_printf ("The section header table is truncated at offset 0x%x: %u of 3 "
                          "entries read.", l->shoff + (cut - l->shoff) / l->shentsize *
                          l->shentsize, (cut - l->shoff) / l->shentsize);
}

static void
make_elf64_cut (const HostileCase *c,
                const char        *path)
{
  g_autoptr(GByteArray) b = elf_build (&elf64);

  write_array (path, b, c->param);
}

static void
make_elf32_cut (const HostileCase *c,
                const char        *path)
{
  g_autoptr(GByteArray) b = elf_build (&elf32);

  write_array (path, b, c->param);
}

/* --- BMP built field by field: 14-byte file header, 40-byte info header,
 * 2×2 pixels of 24 bits (rows padded to 8 bytes) at offset 54. --------- */

static GByteArray *
bmp_build (gint32  width,
           gint32  height,
           guint16 bpp)
{
  GByteArray *b = zeros (54 + 16);

  put_bytes (b, 0, "BM", 2);
  put_u32 (b, 2, 54 + 16);
  put_u32 (b, 10, 54);
  put_u32 (b, 14, 40);
  put_u32 (b, 18, (guint32) width);
  put_u32 (b, 22, (guint32) height);
  put_u16 (b, 26, 1);
  put_u16 (b, 28, bpp);
  put_u32 (b, 34, 16);
  put_u32 (b, 38, 2835);
  put_u32 (b, 42, 2835);
  memset (b->data + 54, 0x7f, 16);
  return b;
}

/* Every field boundary of the file and info headers. */
static GArray *
bmp_field_boundaries (void)
{
  static const guint32 cuts[] = { 1, 2, 6, 8, 10, 14, 18, 22, 26, 28, 30, 34, 38, 42, 46, 50 };
  GArray *array = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_array_append_vals (array, cuts, G_N_ELEMENTS (cuts));
  return array;
}

/* "BM" alone is a weak magic: without a known info header size, or a file
 * header whose size matches the file, the sample is not taken for a BMP. */
static char *
bmp_cut_warning (guint32 cut)
{
  if (cut < 18)
    return NULL;
  return g_strdup_printf ("The info header is truncated at offset 0x%x", cut);
}

/* 14 bytes whose file header declares exactly 14: a BMP without an info header. */
static void
make_bmp_file_header_only (const HostileCase *c,
                           const char        *path)
{
  g_autoptr(GByteArray) b = bmp_build (2, 2, 24);

  put_u32 (b, 2, 14);
  write_array (path, b, 14);
}

static void
make_bmp_cut (const HostileCase *c,
              const char        *path)
{
  g_autoptr(GByteArray) b = bmp_build (2, 2, 24);

  write_array (path, b, c->param);
}

/* --- filesystem objects ------------------------------------------------- */

static void
make_directory (const HostileCase *c,
                const char        *path)
{
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
}

static void
make_fifo (const HostileCase *c,
           const char        *path)
{
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
}

static void
make_socket (const HostileCase *c,
             const char        *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (fd, 1), ==, 0);
  /* The socket file stays after close; nobody answers on it. */
  close (fd);
}

static void
make_symlink_to (const char *target,
                 const char *path)
{
  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
make_dev_zero (const HostileCase *c,
               const char        *path)
{
  make_symlink_to ("/dev/zero", path);
}

static void
make_dev_urandom (const HostileCase *c,
                  const char        *path)
{
  make_symlink_to ("/dev/urandom", path);
}

static void
make_symlink_loop (const HostileCase *c,
                   const char        *path)
{
  g_autofree char *other = g_strconcat (path, ".other", NULL);

  make_symlink_to (other, path);
  make_symlink_to (path, other);
}

static void
make_dangling_symlink (const HostileCase *c,
                       const char        *path)
{
  make_symlink_to ("/nonexistent/specimen/target", path);
}

static void
make_symlink_to_fifo (const HostileCase *c,
                      const char        *path)
{
  g_autofree char *fifo = g_strconcat (path, ".fifo", NULL);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  make_symlink_to (fifo, path);
}

static void
make_nothing (const HostileCase *c,
              const char        *path)
{
}

static void
make_bytes (const HostileCase *c,
            const char        *path)
{
  /* param: length in the low 32 bits, byte value in the high ones */
  gsize length = c->param & 0xffffffff;
  g_autofree guint8 *data = g_malloc (MAX (length, 1));

  memset (data, (int) (c->param >> 32), length);
  write_file (path, data, length);
}

#define BYTES(length, value) (((guint64) (value) << 32) | (length))

/* --- PE cases ----------------------------------------------------------- */

static void
make_pe_lfanew (const HostileCase *c,
                const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u32 (b, 0x3c, (guint32) c->param);
  write_array (path, b, b->len);
}

static void
make_pe_many_sections (const HostileCase *c,
                       const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u16 (b, PE_COFF + 2, (guint16) c->param);
  write_array (path, b, b->len);
}

static void
make_pe_section_overflow (const HostileCase *c,
                          const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  /* raw offset + raw size and RVA + virtual size both wrap around 32 bits */
  pe_section (b, 1, ".rdata", 0xfffff000, 0xfffff000, 0xffffff00, 0xffffff00, 0x40000040);
  pe_set_directory (b, 1, 0xfffffff0, 0x100);
  write_array (path, b, b->len);
}

static void
make_pe_no_terminator_name (const HostileCase *c,
                            const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  /* An 8-byte section name uses every byte: no NUL. */
  pe_section (b, 0, "ABCDEFGH", 0x200, 0x1000, 0x200, PE_TEXT, 0x60000020);
  /* An import names a DLL whose name runs to the end of the file without a NUL. */
  put_u32 (b, PE_RDATA + 12, PE_RDATA_RVA + 0x100);
  put_u32 (b, PE_RDATA + 16, PE_RDATA_RVA + 0x40);
  pe_set_directory (b, 1, PE_RDATA_RVA, 40);
  memset (b->data + PE_RDATA + 0x100, 'A', 0x100);
  write_array (path, b, b->len);
}

static void
check_pe_section_name (const HostileCase *c,
                       SpReport          *report)
{
  JsonObject *pe = sp_report_get_section (report, "pe");
  JsonArray *sections = json_object_get_array_member (pe, "sections");
  JsonObject *first = json_array_get_object_element (sections, 0);

  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "ABCDEFGH");
}

/* Import descriptors that all share one lookup table, with no terminating
 * descriptor: the table repeats until the section ends. */
static void
make_pe_imports_shared_loop (const HostileCase *c,
                             const char        *path)
{
  const guint32 n_descriptors = 600, ilt = n_descriptors * 20 + 0x40, n_thunks = 9000;
  const guint32 hint_name = ilt + (n_thunks + 1) * 4;
  g_autoptr(GByteArray) b = pe_build (hint_name + 0x40);

  for (guint32 i = 0; i < n_descriptors; i++)
    {
      put_u32 (b, PE_RDATA + i * 20, PE_RDATA_RVA + ilt);
      put_u32 (b, PE_RDATA + i * 20 + 12, PE_RDATA_RVA + hint_name + 2);
      put_u32 (b, PE_RDATA + i * 20 + 16, PE_RDATA_RVA + ilt);
    }
  for (guint32 i = 0; i < n_thunks; i++)
    put_u32 (b, PE_RDATA + ilt + i * 4, PE_RDATA_RVA + hint_name);
  put_bytes (b, PE_RDATA + hint_name + 2, "LoadLibraryA", 13);
  pe_set_directory (b, 1, PE_RDATA_RVA, n_descriptors * 20);
  write_array (path, b, b->len);
}

/* One descriptor whose lookup table, name and thunks all point back at the
 * descriptor itself. */
static void
make_pe_imports_self_cycle (const HostileCase *c,
                            const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u32 (b, PE_RDATA, PE_RDATA_RVA);
  put_u32 (b, PE_RDATA + 12, PE_RDATA_RVA);
  put_u32 (b, PE_RDATA + 16, PE_RDATA_RVA);
  pe_set_directory (b, 1, PE_RDATA_RVA, 40);
  write_array (path, b, b->len);
}

/* Descriptors up to the last byte of the file, none of them the terminator. */
static void
make_pe_imports_unterminated (const HostileCase *c,
                              const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  for (guint32 i = 0; i + 20 <= 0x200; i += 20)
    {
      put_u32 (b, PE_RDATA + i, PE_RDATA_RVA + 0x1f8);
      put_u32 (b, PE_RDATA + i + 12, PE_RDATA_RVA + 0x1f0);
    }
  pe_set_directory (b, 1, PE_RDATA_RVA, 0x200);
  write_array (path, b, b->len);
}

static void
make_pe_resource_loop (const HostileCase *c,
                       const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  /* A resource directory with one named entry whose subdirectory is itself. */
  put_u16 (b, PE_RDATA + 14, 1);
  put_u32 (b, PE_RDATA + 16, 16);
  put_u32 (b, PE_RDATA + 20, 0x80000000u);
  pe_set_directory (b, 2, PE_RDATA_RVA, 0x200);
  write_array (path, b, b->len);
}

static void
make_pe_exports_huge (const HostileCase *c,
                      const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u32 (b, PE_RDATA + 20, 0xffffffffu);
  put_u32 (b, PE_RDATA + 24, 0xffffffffu);
  put_u32 (b, PE_RDATA + 28, PE_RDATA_RVA + 0x40);
  put_u32 (b, PE_RDATA + 32, PE_RDATA_RVA + 0x80);
  put_u32 (b, PE_RDATA + 36, PE_RDATA_RVA + 0xc0);
  pe_set_directory (b, 0, PE_RDATA_RVA, 40);
  write_array (path, b, b->len);
}

static void
make_pe_rva_count (const HostileCase *c,
                   const char        *path)
{
  /* param: PE32+ */
  g_autoptr(GByteArray) b = pe_build_kind (0x200, c->param != 0);

  put_u32 (b, PE_OPT + pe_dirs (c->param != 0) - 4, 0xffffffffu);
  write_array (path, b, b->len);
}

static void
make_pe_optional_magic (const HostileCase *c,
                        const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u16 (b, PE_OPT, 0x1234);
  write_array (path, b, b->len);
}

static void
make_pe_no_optional (const HostileCase *c,
                     const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u16 (b, PE_COFF + 16, 0);
  write_array (path, b, b->len);
}

static void
make_pe_signature_past_end (const HostileCase *c,
                            const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  pe_set_directory (b, 4, 0x7ffffff0, 0x1000);
  write_array (path, b, b->len);
}

static void
make_pe_entry_outside (const HostileCase *c,
                       const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x200);

  put_u32 (b, PE_OPT + 16, 0xdeadbeef);
  write_array (path, b, b->len);
}

static void
make_pe_tls_callbacks (const HostileCase *c,
                       const char        *path)
{
  g_autoptr(GByteArray) b = pe_build (0x800);

  /* TLS directory (PE32: 24 bytes) whose callback table, at VA 0x402040, never ends. */
  put_u32 (b, PE_RDATA + 12, 0x400000 + PE_RDATA_RVA + 0x40);
  for (guint32 i = 0x40; i + 4 <= 0x800; i += 4)
    put_u32 (b, PE_RDATA + i, 0x401000);
  pe_set_directory (b, 9, PE_RDATA_RVA, 24);
  write_array (path, b, b->len);
}

/* --- ELF cases ---------------------------------------------------------- */

static void
make_elf_field (const HostileCase *c,
                const char        *path)
{
  /* param: ELF64 field value, field chosen by the case name */
  g_autoptr(GByteArray) b = elf_build (&elf64);

  if (g_str_has_suffix (c->name, "shoff-past-end"))
    put_u64 (b, elf_field (&elf64, "e_shoff"), c->param);
  else if (g_str_has_suffix (c->name, "shstrndx-out-of-range"))
    put_u16 (b, elf_field (&elf64, "e_shstrndx"), (guint16) c->param);
  else if (g_str_has_suffix (c->name, "shnum-65535"))
    put_u16 (b, elf_field (&elf64, "e_shnum"), (guint16) c->param);
  else if (g_str_has_suffix (c->name, "shentsize-small"))
    put_u16 (b, elf_field (&elf64, "e_shentsize"), (guint16) c->param);
  else if (g_str_has_suffix (c->name, "class-unknown"))
    b->data[4] = (guint8) c->param;
  else if (g_str_has_suffix (c->name, "encoding-unknown"))
    b->data[5] = (guint8) c->param;
  else if (g_str_has_suffix (c->name, "section-name-past-table"))
    put_u32 (b, elf64.shoff + 64, (guint32) c->param);
  else if (g_str_has_suffix (c->name, "section-offset-overflow"))
    {
      put_u64 (b, elf64.shoff + 64 + 24, c->param);
      put_u64 (b, elf64.shoff + 64 + 32, 0x100);
    }
  else
    g_assert_not_reached ();
  write_array (path, b, b->len);
}

/* --- BMP and image cases ------------------------------------------------ */

static void
make_bmp_dimensions (const HostileCase *c,
                     const char        *path)
{
  /* param: width in the low 32 bits, height in the high ones */
  g_autoptr(GByteArray) b = bmp_build ((gint32) (guint32) c->param,
                                       (gint32) (guint32) (c->param >> 32), 24);

  write_array (path, b, b->len);
}

#define DIMS(w, h) (((guint64) (guint32) (h) << 32) | (guint32) (w))

static void
make_bmp_bpp (const HostileCase *c,
              const char        *path)
{
  g_autoptr(GByteArray) b = bmp_build (2, 2, (guint16) c->param);

  write_array (path, b, b->len);
}

static void
make_bmp_palette (const HostileCase *c,
                  const char        *path)
{
  g_autoptr(GByteArray) b = bmp_build (2, 2, 8);

  put_u32 (b, 46, (guint32) c->param);
  write_array (path, b, b->len);
}

static void
make_bmp_pixel_offset (const HostileCase *c,
                       const char        *path)
{
  g_autoptr(GByteArray) b = bmp_build (2, 2, 24);

  put_u32 (b, 10, (guint32) c->param);
  write_array (path, b, b->len);
}

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return crc ^ 0xffffffffu;
}

static void
make_png_dimensions (const HostileCase *c,
                     const char        *path)
{
  static const guint8 head[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  };
  g_autoptr(GByteArray) b = zeros (sizeof head + 13 + 4 + 12);
  guint32 crc;

  put_bytes (b, 0, head, sizeof head);
  /* big-endian width and height */
  for (guint i = 0; i < 4; i++)
    {
      b->data[16 + i] = (guint8) ((guint32) c->param >> (24 - 8 * i));
      b->data[20 + i] = (guint8) ((guint32) (c->param >> 32) >> (24 - 8 * i));
    }
  b->data[24] = 8;
  b->data[25] = 6;
  crc = crc32_of (b->data + 12, 17);
  for (guint i = 0; i < 4; i++)
    b->data[29 + i] = (guint8) (crc >> (24 - 8 * i));
  put_bytes (b, 33, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
  write_array (path, b, b->len);
}

static void
make_gif_dimensions (const HostileCase *c,
                     const char        *path)
{
  g_autoptr(GByteArray) b = zeros (13 + 10 + 4);

  put_bytes (b, 0, "GIF89a", 6);
  put_u16 (b, 6, (guint16) c->param);
  put_u16 (b, 8, (guint16) (c->param >> 32));
  b->data[13] = 0x2c;
  put_u16 (b, 18, (guint16) c->param);
  put_u16 (b, 20, (guint16) (c->param >> 32));
  b->data[23] = 2;
  b->data[26] = 0x3b;
  write_array (path, b, b->len);
}

static void
make_jpeg_dimensions (const HostileCase *c,
                      const char        *path)
{
  static const guint8 sof[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03,
    0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00, 0xff, 0xd9,
  };
  g_autoptr(GByteArray) b = zeros (sizeof sof);

  put_bytes (b, 0, sof, sizeof sof);
  b->data[7] = (guint8) (c->param >> 40);
  b->data[8] = (guint8) (c->param >> 32);
  b->data[9] = (guint8) (c->param >> 8);
  b->data[10] = (guint8) c->param;
  write_array (path, b, b->len);
}

/* A DHT segment whose 16 code counts add up to 16 × 255 (stb_image 2.27 overflowed). */
static void
make_jpeg_dht_overflow (const HostileCase *c,
                        const char        *path)
{
  g_autoptr(GByteArray) b = zeros (2 + 4 + 17 + 4080 + 2);

  put_bytes (b, 0, "\xff\xd8\xff\xc4", 4);
  b->data[4] = (17 + 4080 + 2) >> 8;
  b->data[5] = (17 + 4080 + 2) & 0xff;
  b->data[6] = 0x00;
  memset (b->data + 7, 0xff, 16);
  put_bytes (b, b->len - 2, "\xff\xd9", 2);
  write_array (path, b, b->len);
}

/* --- text for the extractors ------------------------------------------- */

#define TEN_MB (10 * 1024 * 1024)

static void
make_repeated_line (const HostileCase *c,
                    const char        *path)
{
  const char *unit = (const char *) GSIZE_TO_POINTER (c->param);
  gsize unit_length = strlen (unit);
  g_autoptr(GByteArray) b = zeros (TEN_MB);

  for (gsize i = 0; i < TEN_MB; i++)
    b->data[i] = unit[i % unit_length];
  write_array (path, b, b->len);
}

static void
check_one_ten_mb_string (const HostileCase *c,
                         SpReport          *report)
{
  SpStringTable *strings = sp_report_get_strings (report);
  SpStringRecord record;

  /* One printable run: one string of the whole file, nothing cut or lost. */
  g_assert_cmpuint (sp_string_table_get_count (strings), ==, 1);
  g_assert_true (sp_string_table_get_record (strings, 0, &record));
  g_assert_cmpuint (record.offset, ==, 0);
  g_assert_cmpuint (record.byte_length, ==, TEN_MB);
}

static void
check_no_indicators (const HostileCase *c,
                     SpReport          *report)
{
  check_one_ten_mb_string (c, report);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sp_report_get_iocs (report))), ==, 0);
}

static void
check_empty_file (const HostileCase *c,
                  SpReport          *report)
{
  JsonObject *hashes = sp_report_get_section (report, "hashes");

  g_assert_cmpstr (json_object_get_string_member (hashes, "md5"), ==,
                   "d41d8cd98f00b204e9800998ecf8427e");
  g_assert_cmpuint (sp_string_table_get_count (sp_report_get_strings (report)), ==, 0);
}

/* --- encrypted reports -------------------------------------------------- */

#define CRYPTO_PASSWORD "hostile test password"

static SpCryptoKey *
raw_key (void)
{
  guint8 raw[SP_CRYPTO_KEY_SIZE];
  SpCryptoKey *key;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = (guint8) (0xa0 + i);
  key = sp_crypto_key_new_from_raw_key (raw, sizeof raw, NULL);
  g_assert_nonnull (key);
  return key;
}

static SpCryptoKey *
password_key (void)
{
  SpCryptoKey *key = sp_crypto_key_new_from_password (CRYPTO_PASSWORD,
                                                      strlen (CRYPTO_PASSWORD), NULL);

  g_assert_nonnull (key);
  /* The cheapest Argon2id the format accepts, so the cases stay fast. */
  sp_crypto_key_set_kdf_limits (key, 1, 8192);
  return key;
}

/* How a good container is damaged: one byte flipped, cut short, or a
 * 64-bit header field overwritten. */
typedef struct
{
  gint     flip;       /* offset of the byte to flip, or -1 */
  gint     cut;        /* length to cut the container to, or 0 */
  gint     store;      /* offset of the little-endian u64 to overwrite, or -1 */
  guint64  value;
  gboolean password;   /* encrypt with the password (else the raw key) */
} CryptoMutation;

static void
make_container (const HostileCase *c,
                const char        *path)
{
  const CryptoMutation *m = GSIZE_TO_POINTER (c->param);
  static const char plain[] = "{\"schema\": \"specimen-report/1\"}";
  g_autoptr(SpCryptoKey) key = m->password ? password_key () : raw_key ();
  g_autoptr(GBytes) input = g_bytes_new_static (plain, sizeof plain - 1);
  g_autoptr(GBytes) container = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) b = NULL;

  container = sp_crypto_encrypt (input, key, SP_PAYLOAD_JSON_REPORT, &error);
  g_assert_no_error (error);
  b = g_bytes_unref_to_array (g_steal_pointer (&container));
  g_assert_cmpuint (b->len, ==, SP_CRYPTO_HEADER_SIZE + sizeof plain - 1 + SP_CRYPTO_TAG_SIZE);
  if (m->flip >= 0)
    b->data[m->flip] ^= 0x01;
  if (m->cut > 0)
    g_byte_array_set_size (b, m->cut);
  if (m->store >= 0)
    put_u64 (b, m->store, m->value);
  write_array (path, b, b->len);
}

#define FLIP(offset) { (offset), 0, -1, 0, FALSE }
#define CUT(length) { -1, (length), -1, 0, FALSE }
#define STORE(offset, v) { -1, 0, (offset), (v), TRUE }

static const CryptoMutation flip_magic = FLIP (0);
static const CryptoMutation flip_version = FLIP (8);
static const CryptoMutation flip_cipher = FLIP (9);
static const CryptoMutation flip_key_source = FLIP (10);
static const CryptoMutation flip_payload = FLIP (11);
static const CryptoMutation flip_salt = { 28, 0, -1, 0, TRUE };
static const CryptoMutation flip_nonce = FLIP (44);
static const CryptoMutation flip_ciphertext = FLIP (SP_CRYPTO_HEADER_SIZE + 3);
static const CryptoMutation flip_tag = FLIP (SP_CRYPTO_HEADER_SIZE + 31 + 15);
static const CryptoMutation cut_header = CUT (40);
static const CryptoMutation cut_tag = CUT (SP_CRYPTO_HEADER_SIZE);
static const CryptoMutation kdf_ops_huge = STORE (12, G_MAXUINT64);
static const CryptoMutation kdf_ops_zero = STORE (12, 0);
static const CryptoMutation kdf_mem_huge = STORE (20, G_GUINT64_CONSTANT (1) << 62);
static const CryptoMutation kdf_mem_tiny = STORE (20, 1);

/* --- JSON reports ------------------------------------------------------- */

static void
make_text (const HostileCase *c,
           const char        *path)
{
  const char *text = GSIZE_TO_POINTER (c->param);

  write_file (path, (const guint8 *) text, strlen (text));
}

static void
make_deep_json (const HostileCase *c,
                const char        *path)
{
  GString *s = g_string_new ("{\"schema\": \"specimen-report/1\", \"file\": ");

  for (guint i = 0; i < c->param; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < c->param; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  write_file (path, (const guint8 *) s->str, s->len);
  g_string_free (s, TRUE);
}

/* --- markup in sample text ---------------------------------------------- */

#define MARKUP "<b>bold</b> <span foreground=\"red\">x</span> <script>alert(1)</script> &amp; "

static char *
write_report (SpReport       *report,
              SpReportFormat  format)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  SpReportOptions options;

  sp_report_options_init (&options);
  g_assert_true (sp_report_write (report, format, &options, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
check_markup_literal (const HostileCase *c,
                      SpReport          *report)
{
  g_autofree char *text = write_report (report, SP_REPORT_FORMAT_TEXT);
  g_autofree char *markdown = write_report (report, SP_REPORT_FORMAT_MARKDOWN);
  g_autofree char *html = write_report (report, SP_REPORT_FORMAT_HTML);
  g_autofree char *json = write_report (report, SP_REPORT_FORMAT_JSON);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  JsonArray *items;

  /* The string table has the text exactly as it is in the file. */
  first = sp_string_table_dup_text (sp_report_get_strings (report), 0);
  g_assert_cmpstr (first, ==, MARKUP);

  /* Text: verbatim. */
  g_assert_nonnull (strstr (text, MARKUP));
  /* Markdown: every markup character escaped, so a renderer shows it as typed. */
  g_assert_nonnull (strstr (markdown, "\\<b\\>bold\\</b\\>"));
  g_assert_nonnull (strstr (markdown, "\\<script\\>alert\\(1\\)\\</script\\>"));
  g_assert_null (strstr (markdown, "<script>"));
  /* HTML: entities, no live tag from the sample. */
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  g_assert_nonnull (strstr (html, "&lt;span foreground=&quot;red&quot;&gt;"));
  g_assert_nonnull (strstr (html, "&amp;amp;"));
  g_assert_null (strstr (html, "<script>"));
  g_assert_null (strstr (html, "<b>bold"));
  /* JSON: the same string after parsing. */
  if (!json_parser_load_from_data (parser, json, -1, &error))
    {
      g_test_message ("%s", json);
      g_assert_no_error (error);
      return;
    }
  items = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                   "strings"), "items");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "text"), ==, MARKUP);
}

#define MARKUP_NAME "<i>name<b>x&amp;.txt"

static void
make_markup_name (const HostileCase *c,
                  const char        *path)
{
  write_file (path, (const guint8 *) "plain", 5);
}

static void
check_markup_name (const HostileCase *c,
                   SpReport          *report)
{
  g_autofree char *html = write_report (report, SP_REPORT_FORMAT_HTML);
  g_autofree char *markdown = write_report (report, SP_REPORT_FORMAT_MARKDOWN);

  g_assert_nonnull (strstr (html, "&lt;i&gt;name&lt;b&gt;x&amp;amp;.txt"));
  g_assert_null (strstr (html, "<i>name"));
  g_assert_nonnull (strstr (markdown, "\\<i\\>name\\<b\\>x&amp;amp;.txt"));
}

/* --- the runner --------------------------------------------------------- */

static gboolean
section_has_warning (JsonObject *section,
                     const char *text)
{
  JsonArray *warnings;

  if (!json_object_has_member (section, "warnings"))
    return FALSE;
  warnings = json_object_get_array_member (section, "warnings");
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    if (strstr (json_array_get_string_element (warnings, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
print_warnings (JsonObject *section)
{
  JsonArray *warnings;

  if (section == NULL || !json_object_has_member (section, "warnings"))
    return;
  warnings = json_object_get_array_member (section, "warnings");
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    g_test_message ("warning: %s", json_array_get_string_element (warnings, i));
}

static void
check_report (const HostileCase *c,
              SpReport          *report)
{
  gboolean absent = c->section != NULL && c->section[0] == '!';
  const char *name = absent ? c->section + 1 : c->section;
  JsonObject *section = name != NULL ? sp_report_get_section (report, name) : NULL;

  if (name != NULL)
    print_warnings (section);
  if (absent)
    g_assert_null (section);
  else if (name != NULL)
    {
      g_assert_nonnull (section);
      if (section == NULL)
        return;
      if (c->warning != NULL && !section_has_warning (section, c->warning))
        {
          g_test_fail_printf ("section “%s” has no warning containing “%s”", name, c->warning);
          return;
        }
    }
  if (c->check != NULL)
    c->check (c, report);
}

static void
check_error (const HostileCase *c,
             const GError      *error,
             gboolean           succeeded)
{
  if (error != NULL)
    g_test_message ("error: %s %d: %s", g_quark_to_string (error->domain), error->code,
                    error->message);
  if (c->domain != NULL)
    {
      g_assert_false (succeeded);
      g_assert_error (error, c->domain (), c->code);
      /* A sentence for a person, not a bare code. */
      if (error != NULL)
        g_assert_cmpuint (strlen (error->message), >, 10);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_true (succeeded);
    }
}

static void
run_case (gconstpointer data)
{
  const HostileCase *c = data;
  g_autofree char *file_name = g_strdelimit (g_strdup (c->file_name ? c->file_name : c->name),
                                             "/", '-');
  g_autofree char *path = g_build_filename (tmp_dir, file_name, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start;
  double seconds;

  c->make (c, path);
  start = g_get_monotonic_time ();

  switch (c->action)
    {
    case ACT_ANALYZE:
      {
        g_autoptr(SpReport) report = sp_analyze_path (path, NULL, NULL, NULL, NULL, &error);

        check_error (c, error, report != NULL);
        if (report != NULL)
          check_report (c, report);
      }
      break;

    case ACT_DECODE_IMAGE:
      {
        g_autoptr(SpSample) sample = sp_sample_open (path, &error);
        g_autoptr(SpImage) image = NULL;

        g_assert_no_error (error);
        image = sp_image_decode (sample, NULL, &error);
        check_error (c, error, image != NULL);
      }
      break;

    case ACT_DECRYPT_KEY:
    case ACT_DECRYPT_PASSWORD:
      {
        g_autoptr(SpCryptoKey) key = c->action == ACT_DECRYPT_KEY ? raw_key () : password_key ();
        g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
        g_autoptr(GBytes) container = NULL;
        g_autoptr(GBytes) plain = NULL;
        SpPayloadType type;

        g_assert_no_error (error);
        container = g_mapped_file_get_bytes (file);
        plain = sp_crypto_decrypt (container, key, &type, &error);
        check_error (c, error, plain != NULL);
      }
      break;

    case ACT_LOAD_JSON:
      {
        g_autofree char *contents = NULL;
        g_autoptr(SpReport) report = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        report = sp_report_load_json (contents, length, &error);
        check_error (c, error, report != NULL);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("%s: %.3f s (bound %.1f s)", c->name, seconds, c->max_seconds * TIME_SCALE);
  g_assert_cmpfloat (seconds, <=, c->max_seconds * TIME_SCALE);
}

/* --- cases that need more than one call -------------------------------- */

/* The file shrinks while the single pass reads it. */
typedef struct
{
  char     *path;
  gboolean  truncated;
} TruncateData;

static void
truncate_on_progress (guint64  done,
                      guint64  total,
                      gpointer user_data)
{
  TruncateData *data = user_data;

  if (!data->truncated)
    {
      g_assert_cmpint (truncate (data->path, 1024 * 1024), ==, 0);
      data->truncated = TRUE;
    }
}

static void
test_truncated_while_analysed (void)
{
  TruncateData data = { g_build_filename (tmp_dir, "shrinking", NULL), FALSE };
  g_autoptr(GByteArray) b = zeros (64 * 1024 * 1024);
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  for (gsize i = 0; i < b->len; i++)
    b->data[i] = "hostile text\n"[i % 13];
  write_array (data.path, b, b->len);

  start = g_get_monotonic_time ();
  report = sp_analyze_path (data.path, NULL, NULL, truncate_on_progress, &data, &error);
  g_assert_true (data.truncated);
  g_assert_null (report);
  g_assert_error (error, SP_SAMPLE_ERROR, SP_SAMPLE_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "changed while it was being read"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * TIME_SCALE * G_USEC_PER_SEC);
  g_free (data.path);
}

static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + 6, NULL, 10);
}

/* 8 GiB of zeros in a sparse file: the analysis finishes with the right
 * digests and never holds more than a bounded amount of memory. */
static void
test_sparse_8gib (void)
{
  const guint64 size = G_GUINT64_CONSTANT (8) << 30;
  g_autofree char *path = g_build_filename (tmp_dir, "sparse-8gib", NULL);
  g_autoptr(SpReport) report = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *hashes;
  guint64 before, after;
  gint64 start;
  int fd;

  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  if (ftruncate (fd, (off_t) size) != 0)
    {
      close (fd);
      g_test_skip ("the file system cannot hold an 8 GiB sparse file");
      return;
    }
  close (fd);

  /* Reset the peak so that only this analysis counts (Linux ≥ 4.0; else the
   * bound below is only stricter). */
  fd = open ("/proc/self/clear_refs", O_WRONLY);
  if (fd >= 0)
    {
      if (write (fd, "5", 1) != 1)
        g_test_message ("could not reset VmHWM: %s", g_strerror (errno));
      close (fd);
    }
  before = peak_rss_kib ();
  start = g_get_monotonic_time ();
  report = sp_analyze_path (path, NULL, NULL, NULL, NULL, &error);
  after = peak_rss_kib ();
  g_test_message ("8 GiB of zeros: %.1f s, peak RSS %" G_GUINT64_FORMAT " KiB (before %"
                  G_GUINT64_FORMAT " KiB)", (g_get_monotonic_time () - start) / 1e6, after,
                  before);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_unlink (path);

  /* head -c 8G /dev/zero | md5sum */
  hashes = sp_report_get_section (report, "hashes");
  g_assert_cmpstr (json_object_get_string_member (hashes, "md5"), ==,
                   "b770351fadae5a96bbaf9702ed97d28d");
  g_assert_cmpuint (sp_string_table_get_count (sp_report_get_strings (report)), ==, 0);
  /* Streaming: far less than the file, whatever the chunk size and lanes. */
  g_assert_cmpuint (after, <, before + 256 * 1024);
}

/* --- the catalogue ------------------------------------------------------ */

static GPtrArray *cases;

static HostileCase *
add_case (const char  *name,
          Action       action,
          MakeFunc     make,
          guint64      param,
          double       max_seconds)
{
  HostileCase *c = g_new0 (HostileCase, 1);

  c->name = g_strdup (name);
  c->action = action;
  c->make = make;
  c->param = param;
  c->max_seconds = max_seconds;
  g_ptr_array_add (cases, c);
  return c;
}

static void
expect_error (HostileCase *c,
              GQuark     (*domain) (void),
              int          code)
{
  c->domain = domain;
  c->code = code;
}

static void
expect_warning (HostileCase *c,
                const char  *section,
                const char  *warning)
{
  c->section = section;
  c->warning = g_strdup (warning);
}

static void
free_case (gpointer data)
{
  HostileCase *c = data;

  g_free (c->name);
  g_free (c->warning);
  g_free (c);
}

static gint
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static void
add_truncations (const char *prefix,
                 MakeFunc    make,
                 GArray     *cuts,
                 const char *section,
                 char *    (*warning_for) (gconstpointer layout, guint32 cut),
                 gconstpointer layout)
{
  g_array_sort (cuts, compare_u32);
  for (guint i = 0; i < cuts->len; i++)
    {
      guint32 cut = g_array_index (cuts, guint32, i);
      g_autofree char *name = g_strdup_printf ("%s/%u", prefix, cut);
      g_autofree char *warning = warning_for (layout, cut);
      HostileCase *c;

      /* A field boundary that is also the next structure's start */
      if (i > 0 && cut == g_array_index (cuts, guint32, i - 1))
        continue;
      c = add_case (name, ACT_ANALYZE, make, cut, 5);

      if (warning == NULL)
        {
          g_autofree char *absent = g_strconcat ("!", section, NULL);

          c->section = g_intern_string (absent);
        }
      else
        expect_warning (c, section, warning);
    }
  g_array_unref (cuts);
}

static char *
pe_cut_warning_cb (gconstpointer layout,
                   guint32       cut)
{
  return pe_cut_warning (GPOINTER_TO_INT (layout), cut);
}

static char *
elf_cut_warning_cb (gconstpointer layout,
                    guint32       cut)
{
  return elf_cut_warning (layout, cut);
}

static char *
bmp_cut_warning_cb (gconstpointer layout,
                    guint32       cut)
{
  return bmp_cut_warning (cut);
}

static void
build_catalogue (void)
{
  HostileCase *c;

  cases = g_ptr_array_new_with_free_func (free_case);

  /* Not regular files: refused before anything is read, so nothing blocks. */
  c = add_case ("fs/directory", ACT_ANALYZE, make_directory, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/fifo", ACT_ANALYZE, make_fifo, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/socket", ACT_ANALYZE, make_socket, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/dev-zero", ACT_ANALYZE, make_dev_zero, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/dev-urandom", ACT_ANALYZE, make_dev_urandom, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/symlink-loop", ACT_ANALYZE, make_symlink_loop, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_OPEN_FAILED);
  c = add_case ("fs/symlink-dangling", ACT_ANALYZE, make_dangling_symlink, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_FOUND);
  c = add_case ("fs/symlink-to-fifo", ACT_ANALYZE, make_symlink_to_fifo, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_REGULAR);
  c = add_case ("fs/missing", ACT_ANALYZE, make_nothing, 0, 2);
  expect_error (c, sp_sample_error_quark, SP_SAMPLE_ERROR_NOT_FOUND);

  /* Tiny files. */
  c = add_case ("tiny/empty", ACT_ANALYZE, make_bytes, BYTES (0, 0), 5);
  c->check = check_empty_file;
  c = add_case ("tiny/one-byte-M", ACT_ANALYZE, make_bytes, BYTES (1, 'M'), 5);
  c->section = "!pe";
  c = add_case ("tiny/one-byte-7f", ACT_ANALYZE, make_bytes, BYTES (1, 0x7f), 5);
  c->section = "!elf";

  /* PE */
  c = add_case ("pe/e_lfanew-past-end", ACT_ANALYZE, make_pe_lfanew, 0x7ffffff0, 5);
  expect_warning (c, "pe", "e_lfanew points to 0x7ffffff0, past the end of the file "
                  "(0x600 bytes).");
  c = add_case ("pe/e_lfanew-negative", ACT_ANALYZE, make_pe_lfanew, 0xfffffff0, 5);
  expect_warning (c, "pe", "e_lfanew points to 0xfffffff0, past the end of the file "
                  "(0x600 bytes).");
  c = add_case ("pe/e_lfanew-zero", ACT_ANALYZE, make_pe_lfanew, 0, 5);
  expect_warning (c, "pe", "No PE signature at offset 0x0 (e_lfanew)");
  c = add_case ("pe/sections-65535", ACT_ANALYZE, make_pe_many_sections, 65535, 10);
  expect_warning (c, "pe", "The header declares 65535 sections; Windows loads at most 96.");
  c = add_case ("pe/section-offsets-overflow-32bit", ACT_ANALYZE, make_pe_section_overflow, 0, 5);
  expect_warning (c, "pe", "Section .rdata declares raw data at 0xfffffe00+0xffffff00, past the "
                  "end of the file (0x600 bytes).");
  c = add_case ("pe/names-without-terminator", ACT_ANALYZE, make_pe_no_terminator_name, 0, 5);
  c->section = "pe";
  c->check = check_pe_section_name;
  c = add_case ("pe/imports-shared-table-loop", ACT_ANALYZE, make_pe_imports_shared_loop, 0, 20);
  /* The total cap (65536 functions) is reached after 8 DLLs; the rest read none. */
  expect_warning (c, "pe", "LoadLibraryA imports more functions than the 0 read.");
  c = add_case ("pe/imports-self-cycle", ACT_ANALYZE, make_pe_imports_self_cycle, 0, 5);
  c->section = "pe";
  c = add_case ("pe/imports-unterminated", ACT_ANALYZE, make_pe_imports_unterminated, 0, 5);
  expect_warning (c, "pe", "The import directory is truncated after 25 descriptors.");
  c = add_case ("pe/resource-loop", ACT_ANALYZE, make_pe_resource_loop, 0, 5);
  expect_warning (c, "pe", "The resource tree loops back to offset 0x0");
  c = add_case ("pe/exports-4g-functions", ACT_ANALYZE, make_pe_exports_huge, 0, 10);
  expect_warning (c, "pe", "The export directory declares 4294967295 functions");
  c = add_case ("pe/rva-count-huge", ACT_ANALYZE, make_pe_rva_count, 0, 5);
  expect_warning (c, "pe", "NumberOfRvaAndSizes is 4294967295; only the 16 defined data "
                  "directories are read.");
  c = add_case ("pe/optional-magic-unknown", ACT_ANALYZE, make_pe_optional_magic, 0, 5);
  expect_warning (c, "pe", "Unknown optional header magic 0x1234 at offset 0x98");
  c = add_case ("pe/pe32+-rva-count-huge", ACT_ANALYZE, make_pe_rva_count, 1, 5);
  expect_warning (c, "pe", "NumberOfRvaAndSizes is 4294967295; only the 16 defined data "
                  "directories are read.");
  c = add_case ("pe/optional-header-missing", ACT_ANALYZE, make_pe_no_optional, 0, 5);
  expect_warning (c, "pe", "The optional header is missing");
  c = add_case ("pe/signature-past-end", ACT_ANALYZE, make_pe_signature_past_end, 0, 5);
  expect_warning (c, "pe", "The Authenticode signature at offset 0x7ffffff0");
  c = add_case ("pe/entry-outside-sections", ACT_ANALYZE, make_pe_entry_outside, 0, 5);
  expect_warning (c, "pe", "The entry point 0xdeadbeef is outside every section.");
  c = add_case ("pe/tls-callbacks-endless", ACT_ANALYZE, make_pe_tls_callbacks, 0, 5);
  expect_warning (c, "pe", "More than 256 TLS callbacks; the rest are not read.");
  add_truncations ("pe/truncated", make_pe_cut, pe_field_boundaries (FALSE), "pe",
                   pe_cut_warning_cb, GINT_TO_POINTER (FALSE));
  add_truncations ("pe32+/truncated", make_pe_cut, pe_field_boundaries (TRUE), "pe",
                   pe_cut_warning_cb, GINT_TO_POINTER (TRUE));

  /* ELF */
  c = add_case ("elf/shoff-past-end", ACT_ANALYZE, make_elf_field, 0x7ffffffffff0, 5);
  expect_warning (c, "elf", "The section header table at offset 0x7ffffffffff0 lies past the end");
  c = add_case ("elf/shstrndx-out-of-range", ACT_ANALYZE, make_elf_field, 0xfffe, 5);
  expect_warning (c, "elf", "The section name table index 65534 is not a section (there are 3).");
  c = add_case ("elf/shnum-65535", ACT_ANALYZE, make_elf_field, 0xffff, 5);
  expect_warning (c, "elf", "The section header table is truncated at offset 0x160: 3 of 1024 "
                  "entries read.");
  c = add_case ("elf/shentsize-small", ACT_ANALYZE, make_elf_field, 1, 5);
  expect_warning (c, "elf", "e_shentsize is 1, smaller than a section header (64 bytes)");
  c = add_case ("elf/class-unknown", ACT_ANALYZE, make_elf_field, 3, 5);
  expect_warning (c, "elf", "Unknown ELF class 3 at offset 0x4; the headers are not read.");
  c = add_case ("elf/encoding-unknown", ACT_ANALYZE, make_elf_field, 7, 5);
  expect_warning (c, "elf", "Unknown ELF data encoding 7 at offset 0x5; the headers are not read.");
  c = add_case ("elf/section-name-past-table", ACT_ANALYZE, make_elf_field, 0xfffffff0, 5);
  expect_warning (c, "elf", "Section 1 names offset 0xfffffff0, past the end of the section name "
                  "table.");
  c = add_case ("elf/section-offset-overflow", ACT_ANALYZE, make_elf_field,
                G_GUINT64_CONSTANT (0xffffffffffffff80), 5);
  expect_warning (c, "elf", "Section .text at 0x");
  add_truncations ("elf64/truncated", make_elf64_cut, elf_field_boundaries (&elf64), "elf",
                   elf_cut_warning_cb, &elf64);
  add_truncations ("elf32/truncated", make_elf32_cut, elf_field_boundaries (&elf32), "elf",
                   elf_cut_warning_cb, &elf32);

  /* BMP */
  c = add_case ("bmp/width-zero", ACT_ANALYZE, make_bmp_dimensions, DIMS (0, 2), 5);
  expect_warning (c, "bmp", "The width is 0");
  c = add_case ("bmp/height-zero", ACT_ANALYZE, make_bmp_dimensions, DIMS (2, 0), 5);
  expect_warning (c, "bmp", "The height is 0.");
  c = add_case ("bmp/width-negative", ACT_ANALYZE, make_bmp_dimensions, DIMS (-5, 2), 5);
  expect_warning (c, "bmp", "The width is -5");
  c = add_case ("bmp/height-int-min", ACT_ANALYZE, make_bmp_dimensions, DIMS (2, G_MININT32), 5);
  expect_warning (c, "bmp", "The pixel data needs");
  c = add_case ("bmp/huge-dimensions", ACT_ANALYZE, make_bmp_dimensions,
                DIMS (G_MAXINT32, G_MAXINT32), 5);
  expect_warning (c, "bmp", "The pixel data needs");
  c = add_case ("bmp/huge-dimensions-image", ACT_ANALYZE, make_bmp_dimensions,
                DIMS (G_MAXINT32, G_MAXINT32), 5);
  expect_warning (c, "image", "over the limit of 16384 pixels a side");
  c = add_case ("bmp/bpp-7", ACT_ANALYZE, make_bmp_bpp, 7, 5);
  expect_warning (c, "bmp", "7 bits per pixel is not a valid bitmap depth.");
  c = add_case ("bmp/palette-huge", ACT_ANALYZE, make_bmp_palette, 0xffffffff, 5);
  expect_warning (c, "bmp", "The palette declares 4294967295 colours; 8 bits per pixel allow 256.");
  c = add_case ("bmp/pixel-offset-past-end", ACT_ANALYZE, make_bmp_pixel_offset, 0xfffffff0, 5);
  expect_warning (c, "bmp", "The pixel data offset 0xfffffff0 lies past the end of the file");
  c = add_case ("bmp/file-header-only", ACT_ANALYZE, make_bmp_file_header_only, 0, 5);
  expect_warning (c, "bmp", "The info header is missing: the file ends at offset 0xe.");
  add_truncations ("bmp/truncated", make_bmp_cut, bmp_field_boundaries (), "bmp",
                   bmp_cut_warning_cb, NULL);

  /* Images whose headers claim gigapixels: refused before any pixel memory. */
  c = add_case ("image/png-gigapixel", ACT_DECODE_IMAGE, make_png_dimensions,
                DIMS (100000, 100000), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/png-16384-square", ACT_DECODE_IMAGE, make_png_dimensions,
                DIMS (16384, 16384), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/png-4g-wide", ACT_DECODE_IMAGE, make_png_dimensions,
                DIMS (0xffffffff, 1), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/gif-gigapixel", ACT_DECODE_IMAGE, make_gif_dimensions,
                DIMS (65535, 65535), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/jpeg-gigapixel", ACT_DECODE_IMAGE, make_jpeg_dimensions,
                DIMS (65535, 65535), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/bmp-gigapixel", ACT_DECODE_IMAGE, make_bmp_dimensions,
                DIMS (100000, 100000), 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_TOO_LARGE);
  c = add_case ("image/jpeg-dht-overflow", ACT_DECODE_IMAGE, make_jpeg_dht_overflow, 0, 10);
  expect_error (c, sp_image_error_quark, SP_IMAGE_ERROR_CORRUPT);
  c = add_case ("image/png-gigapixel-analysis", ACT_ANALYZE, make_png_dimensions,
                DIMS (100000, 100000), 10);
  expect_warning (c, "image", "is 100000 × 100000 pixels, over the limit");

  /* One 10 MB line for the string and indicator extractors. */
  c = add_case ("text/10mb-of-http", ACT_ANALYZE, make_repeated_line,
                GPOINTER_TO_SIZE ("http://"), 60);
  c->check = check_one_ten_mb_string;
  c = add_case ("text/10mb-of-dots", ACT_ANALYZE, make_repeated_line, GPOINTER_TO_SIZE ("."), 60);
  c->check = check_no_indicators;
  c = add_case ("text/10mb-of-a-dot", ACT_ANALYZE, make_repeated_line,
                GPOINTER_TO_SIZE ("a."), 60);
  c->check = check_one_ten_mb_string;
  c = add_case ("text/10mb-of-digits-dots", ACT_ANALYZE, make_repeated_line,
                GPOINTER_TO_SIZE ("1.2."), 60);
  c->check = check_one_ten_mb_string;
  c = add_case ("text/10mb-of-at-signs", ACT_ANALYZE, make_repeated_line,
                GPOINTER_TO_SIZE ("a@b."), 60);
  c->check = check_one_ten_mb_string;
  c = add_case ("text/markup-in-strings", ACT_ANALYZE, make_text, GPOINTER_TO_SIZE (MARKUP), 5);
  c->check = check_markup_literal;
  c = add_case ("text/markup-in-file-name", ACT_ANALYZE, make_markup_name, 0, 5);
  c->file_name = MARKUP_NAME;
  c->check = check_markup_name;

  /* Encrypted reports: damaged, cut, or asking for absurd key derivation. */
  c = add_case ("crypto/flip-magic", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_magic), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_NOT_ENCRYPTED);
  c = add_case ("crypto/flip-version", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_version), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_UNSUPPORTED);
  c = add_case ("crypto/flip-cipher", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_cipher), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_UNSUPPORTED);
  c = add_case ("crypto/flip-key-source", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_key_source), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_UNSUPPORTED);
  c = add_case ("crypto/flip-payload-type", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_payload), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_UNSUPPORTED);
  c = add_case ("crypto/flip-salt", ACT_DECRYPT_PASSWORD, make_container,
                GPOINTER_TO_SIZE (&flip_salt), 5);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  c = add_case ("crypto/flip-nonce", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_nonce), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  c = add_case ("crypto/flip-ciphertext", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_ciphertext), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  c = add_case ("crypto/flip-tag", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&flip_tag), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  /* The magic is there: a damaged container, not some other file. */
  c = add_case ("crypto/cut-in-header", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&cut_header), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  c = add_case ("crypto/cut-before-tag", ACT_DECRYPT_KEY, make_container,
                GPOINTER_TO_SIZE (&cut_tag), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_DECRYPT);
  c = add_case ("crypto/kdf-opslimit-2^64", ACT_DECRYPT_PASSWORD, make_container,
                GPOINTER_TO_SIZE (&kdf_ops_huge), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_LIMITS);
  c = add_case ("crypto/kdf-opslimit-0", ACT_DECRYPT_PASSWORD, make_container,
                GPOINTER_TO_SIZE (&kdf_ops_zero), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_LIMITS);
  c = add_case ("crypto/kdf-memlimit-4-exabytes", ACT_DECRYPT_PASSWORD, make_container,
                GPOINTER_TO_SIZE (&kdf_mem_huge), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_LIMITS);
  c = add_case ("crypto/kdf-memlimit-1-byte", ACT_DECRYPT_PASSWORD, make_container,
                GPOINTER_TO_SIZE (&kdf_mem_tiny), 2);
  expect_error (c, sp_crypto_error_quark, SP_CRYPTO_ERROR_LIMITS);

  /* JSON reports */
  c = add_case ("json/not-json", ACT_LOAD_JSON, make_text, GPOINTER_TO_SIZE ("MZ\x90"), 2);
  expect_error (c, sp_report_error_quark, SP_REPORT_ERROR_INVALID);
  c = add_case ("json/empty-object", ACT_LOAD_JSON, make_text, GPOINTER_TO_SIZE ("{}"), 2);
  expect_error (c, sp_report_error_quark, SP_REPORT_ERROR_INVALID);
  c = add_case ("json/future-schema", ACT_LOAD_JSON, make_text,
                GPOINTER_TO_SIZE ("{\"schema\": \"specimen-report/999\"}"), 2);
  expect_error (c, sp_report_error_quark, SP_REPORT_ERROR_UNSUPPORTED_SCHEMA);
  c = add_case ("json/nested-100000-deep", ACT_LOAD_JSON, make_deep_json, 100000, 5);
  expect_error (c, sp_report_error_quark, SP_REPORT_ERROR_INVALID);
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean slow = FALSE;
  int status;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--slow"))
      slow = TRUE;
  {
    /* GTest refuses unknown options. */
    int j = 1;

    for (int i = 1; i < argc; i++)
      if (!g_str_equal (argv[i], "--slow"))
        argv[j++] = argv[i];
    argc = j;
    argv[argc] = NULL;
  }

  g_test_init (&argc, &argv, NULL);
  /* One case failing must not hide the outcome of the others. */
  g_test_set_nonfatal_assertions ();
  g_assert_true (sp_crypto_init (NULL));
  tmp_dir = g_dir_make_tmp ("specimen-hostile-XXXXXX", &error);
  g_assert_no_error (error);

  if (slow)
    g_test_add_func ("/specimen/hostile/slow/sparse-8gib", test_sparse_8gib);
  else
    {
      build_catalogue ();
      for (guint i = 0; i < cases->len; i++)
        {
          HostileCase *c = cases->pdata[i];
          g_autofree char *test_path = g_strconcat ("/specimen/hostile/", c->name, NULL);

          g_test_add_data_func (test_path, c, run_case);
        }
      g_test_add_func ("/specimen/hostile/fs/truncated-while-analysed",
                       test_truncated_while_analysed);
    }

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&cases, g_ptr_array_unref);
  g_free (tmp_dir);
  return status;
}
