/* sp-file-type.c: file type detection by magic bytes
 *
 * A signature table says which bytes at which offsets identify a format;
 * small refiners, each reading through SpSpan, then look a little deeper
 * (PE optional header, ELF e_type, ZIP central directory...) or reject a
 * weak match. Every result carries the bytes it was based on.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-file-type"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-file-type.h"
#include "sp-parsers-private.h"
#include "sp-span.h"

#define EVIDENCE_MAX_BYTES   32
#define TEXT_SAMPLE_SIZE     SP_FILE_TYPE_HEAD_SIZE
#define ZIP_EOCD_SIZE        22
#define ZIP_EOCD_SEARCH      (65535 + ZIP_EOCD_SIZE)
#define ZIP64_EOCD_SIZE      56
#define ZIP_MAX_ENTRIES      10000
#define ZIP_MAX_CD_BYTES     (4 * 1024 * 1024)
#define ZIP_MAX_NAME_BYTES   1024
#define ELF_MAX_PHDRS        512
#define SCRIPT_LINE_MAX      256

typedef struct
{
  guint64  offset;
  char    *hex;
  char    *what;
} SpEvidence;

struct _SpFileType
{
  char   *name;
  char   *description;
  char   *mime;
  char   *family;
  char   *extension;
  GArray *evidence;           /* SpEvidence */
  char   *gio_content_type;
  char   *gio_mime;
  char   *gio_description;
  gboolean gio_uncertain;
};

typedef struct
{
  SpSample   *sample;
  guint64     size;
  SpSpan      head;
  GPtrArray  *buffers;        /* GBytes read outside the head; spans point into them */
  SpFileType *result;
} Detect;

typedef struct
{
  guint        offset;
  guint        length;
  const char  *bytes;
} Magic;

typedef struct _Signature Signature;

/* Refiners may replace the signature's type or return FALSE to reject a weak match. */
typedef gboolean (*RefineFunc) (Detect          *d,
                                const Signature *sig);

struct _Signature
{
  Magic        magic[2];
  const char  *what;
  const char  *name;
  const char  *description;
  const char  *mime;
  const char  *family;
  const char  *extension;
  RefineFunc   refine;
};

#define MAGIC(off, str) { (off), sizeof (str) - 1, (str) }
#define NO_MAGIC        { 0, 0, NULL }

#define PE_MIME "application/vnd.microsoft.portable-executable"

/* Helpers ---------------------------------------------------------------- */

static void
evidence_clear (gpointer data)
{
  SpEvidence *ev = data;

  g_free (ev->hex);
  g_free (ev->what);
}

static char *
hex_of (const guint8 *bytes,
        gsize         length)
{
  GString *hex = g_string_new (NULL);
  gsize shown = MIN (length, EVIDENCE_MAX_BYTES);

  for (gsize i = 0; i < shown; i++)
    g_string_append_printf (hex, i == 0 ? "%02X" : " %02X", bytes[i]);
  if (shown < length)
    g_string_append (hex, " ...");
  return g_string_free (hex, FALSE);
}

/* Adds the bytes [@offset, @offset + @length) of @span, which starts at file offset @base. */
static void
add_evidence (Detect       *d,
              const SpSpan *span,
              guint64       base,
              guint64       offset,
              gsize         length,
              const char   *what)
{
  SpEvidence ev;
  SpSpan bytes;

  if (!sp_span_sub (span, offset, length, &bytes))
    return;
  ev.offset = base + offset;
  ev.hex = hex_of (bytes.data, bytes.size);
  ev.what = g_strdup (what);
  g_array_append_val (d->result->evidence, ev);
}

static void
set_type (Detect     *d,
          const char *name,
          const char *description,
          const char *mime,
          const char *family,
          const char *extension)
{
  SpFileType *r = d->result;

  g_free (r->name);
  g_free (r->description);
  g_free (r->mime);
  g_free (r->family);
  g_free (r->extension);
  r->name = g_strdup (name);
  r->description = g_strdup (description);
  r->mime = g_strdup (mime);
  r->family = g_strdup (family);
  r->extension = g_strdup (extension != NULL ? extension : "");
}

/* A span for [@offset, @offset + @length) clipped at the end of the sample, from the head
 * when it is there, else read from the sample (bounded by @length). */
static gboolean
detect_read (Detect  *d,
             guint64  offset,
             gsize    length,
             SpSpan  *out)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  if (offset >= d->size)
    return FALSE;
  length = (gsize) MIN ((guint64) length, d->size - offset);
  if (sp_span_sub (&d->head, offset, length, out))
    return TRUE;

  bytes = sp_sample_read_bytes (d->sample, offset, length, &error);
  if (bytes == NULL)
    {
      g_debug ("Could not read %" G_GSIZE_FORMAT " bytes at %" G_GUINT64_FORMAT ": %s",
               length, offset, error->message);
      return FALSE;
    }
  g_ptr_array_add (d->buffers, bytes);
  *out = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}

/* Printable ASCII copy of a name from the file, for descriptions and evidence labels. */
static char *
printable_copy (const SpSpan *span,
                guint64       offset,
                gsize         length)
{
  GString *out = g_string_new (NULL);
  SpSpan bytes;

  if (sp_span_sub (span, offset, length, &bytes))
    for (gsize i = 0; i < bytes.size; i++)
      g_string_append_c (out, bytes.data[i] >= 0x20 && bytes.data[i] < 0x7F ? bytes.data[i] : '?');
  return g_string_free (out, FALSE);
}

static gboolean
span_equals (const SpSpan *span,
             guint64       offset,
             gsize         length,
             const char   *text)
{
  gsize text_length = strlen (text);

  return length == text_length && sp_span_has_prefix (span, offset, text, text_length);
}

typedef struct
{
  guint        value;
  const char  *name;
} NamedValue;

static const char *
lookup_name (const NamedValue *table,
             gsize             n_entries,
             guint             value)
{
  for (gsize i = 0; i < n_entries; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

/* PE ---------------------------------------------------------------------- */

static const NamedValue pe_machines[] = {
  { 0x014C, "Intel 386" },
  { 0x8664, "x86-64" },
  { 0xAA64, "ARM64" },
  { 0x01C0, "ARM" },
  { 0x01C4, "ARM Thumb-2" },
  { 0x0200, "Intel Itanium" },
  { 0x0EBC, "EFI byte code" },
  { 0x5032, "RISC-V 32-bit" },
  { 0x5064, "RISC-V 64-bit" },
  { 0x6264, "LoongArch 64-bit" },
};

static const NamedValue pe_subsystems[] = {
  { 1, N_("native") },
  { 2, N_("GUI") },
  { 3, N_("console") },
  { 7, N_("POSIX") },
  { 9, N_("Windows CE") },
  { 10, N_("EFI application") },
  { 11, N_("EFI boot service driver") },
  { 12, N_("EFI runtime driver") },
  { 13, N_("EFI ROM") },
  { 14, N_("Xbox") },
  { 16, N_("boot application") },
};

static char *
machine_name (const NamedValue *table,
              gsize             n_entries,
              guint             machine)
{
  const char *name = lookup_name (table, n_entries, machine);

  if (name != NULL)
    return g_strdup (name);
  /* TRANSLATORS: an unknown CPU architecture number */
  return g_strdup_printf (_("machine 0x%04X"), machine);
}

/* A DOS stub without a PE header: accept only a plausible DOS header, so text
 * that happens to start with "MZ" is not called an executable. */
static gboolean
refine_dos (Detect *d)
{
  guint16 header_paragraphs;

  if (!sp_span_read_u16_le (&d->head, 8, &header_paragraphs) || header_paragraphs < 2 ||
      (guint64) header_paragraphs * 16 > d->size)
    return FALSE;
  add_evidence (d, &d->head, 0, 8, 2, _("DOS header size in paragraphs"));
  return TRUE;
}

static gboolean
refine_pe (Detect          *d,
           const Signature *sig)
{
  guint32 e_lfanew, clr_rva = 0, n_dirs = 0;
  guint16 machine, opt_size, characteristics, opt_magic, subsystem = 0;
  g_autofree char *machine_text = NULL;
  g_autofree char *what = NULL;
  g_autofree char *description = NULL;
  g_autofree char *name = NULL;
  const char *bits, *subsystem_text, *kind, *extension;
  gboolean is_dll, is_efi, is_net = FALSE, has_subsystem;
  guint64 opt;
  SpSpan pe;

  if (!sp_span_read_u32_le (&d->head, 0x3C, &e_lfanew) ||
      !detect_read (d, e_lfanew, 24 + 240, &pe) ||
      !sp_span_has_prefix (&pe, 0, "PE\0\0", 4))
    return refine_dos (d);

  what = g_strdup_printf (_("PE header offset (e_lfanew) = 0x%X"), e_lfanew);
  add_evidence (d, &d->head, 0, 0x3C, 4, what);
  add_evidence (d, &pe, e_lfanew, 0, 4, _("PE signature"));

  if (!sp_span_read_u16_le (&pe, 4, &machine) ||
      !sp_span_read_u16_le (&pe, 20, &opt_size) ||
      !sp_span_read_u16_le (&pe, 22, &characteristics))
    {
      set_type (d, _("PE image"), _("Windows PE image with a truncated COFF header"),
                PE_MIME, "pe", "exe");
      return TRUE;
    }
  machine_text = machine_name (pe_machines, G_N_ELEMENTS (pe_machines), machine);
  {
    g_autofree char *machine_what = g_strdup_printf (_("machine: %s"), machine_text);

    add_evidence (d, &pe, e_lfanew, 4, 2, machine_what);
  }

  opt = 24;
  if (opt_size == 0 || !sp_span_read_u16_le (&pe, opt, &opt_magic) ||
      (opt_magic != 0x10B && opt_magic != 0x20B))
    {
      set_type (d, _("PE image"), _("Windows PE image without a PE32 or PE32+ optional header"),
                PE_MIME, "pe", "exe");
      return TRUE;
    }
  bits = opt_magic == 0x20B ? "PE32+" : "PE32";
  add_evidence (d, &pe, e_lfanew, opt, 2,
                opt_magic == 0x20B ? _("optional header magic: PE32+")
                                   : _("optional header magic: PE32"));

  is_dll = (characteristics & 0x2000) != 0;
  add_evidence (d, &pe, e_lfanew, 22, 2,
                is_dll ? _("COFF characteristics: DLL flag set")
                       : _("COFF characteristics: DLL flag clear"));

  has_subsystem = sp_span_read_u16_le (&pe, opt + 68, &subsystem);
  subsystem_text = has_subsystem ? lookup_name (pe_subsystems, G_N_ELEMENTS (pe_subsystems),
                                                subsystem) : NULL;
  if (has_subsystem)
    {
      g_autofree char *sub_what = NULL;

      sub_what = g_strdup_printf (_("subsystem: %s"),
                                  subsystem_text != NULL ? _(subsystem_text) : "?");
      add_evidence (d, &pe, e_lfanew, opt + 68, 2, sub_what);
    }

  /* The CLR runtime header (data directory 14) marks a .NET assembly. */
  {
    guint64 dirs = opt + (opt_magic == 0x20B ? 112 : 96);
    guint64 count_at = opt + (opt_magic == 0x20B ? 108 : 92);

    if (sp_span_read_u32_le (&pe, count_at, &n_dirs) && n_dirs > 14 &&
        sp_span_read_u32_le (&pe, dirs + 14 * 8, &clr_rva) && clr_rva != 0)
      {
        is_net = TRUE;
        add_evidence (d, &pe, e_lfanew, dirs + 14 * 8, 8, _("CLR runtime header directory"));
      }
  }

  is_efi = subsystem >= 10 && subsystem <= 13;
  if (is_efi)
    {
      kind = subsystem == 10 ? _("EFI application") : _("EFI driver");
      extension = "efi";
      description = g_strdup_printf (_("UEFI %s %s for %s"), bits,
                                     subsystem == 10 ? _("application") : _(subsystem_text),
                                     machine_text);
    }
  else if (is_dll)
    {
      kind = _("DLL");
      extension = "dll";
      description = g_strdup_printf (_("Windows %s dynamic-link library for %s"),
                                     bits, machine_text);
    }
  else if (subsystem == 1)
    {
      kind = _("driver");
      extension = "sys";
      description = g_strdup_printf (_("Windows %s native executable (driver) for %s"),
                                     bits, machine_text);
    }
  else
    {
      kind = _("executable");
      extension = "exe";
      if (subsystem_text != NULL)
        description = g_strdup_printf (_("Windows %s executable (%s) for %s"),
                                       bits, _(subsystem_text), machine_text);
      else
        description = g_strdup_printf (_("Windows %s executable for %s"), bits, machine_text);
    }

  if (is_net)
    {
      char *with_net = g_strdup_printf (_("%s, .NET assembly"), description);

      g_free (description);
      description = with_net;
    }

  name = g_strdup_printf ("%s %s", bits, kind);
  set_type (d, name, description, PE_MIME, "pe", extension);
  return TRUE;
}

/* COFF object files have no magic: a known machine at 0 is only accepted with
 * an empty optional header, a sane section count and a printable first section name. */
static gboolean
refine_coff (Detect          *d,
             const Signature *sig)
{
  guint16 machine, n_sections, opt_size;
  guint32 symbols;
  guint8 first;
  g_autofree char *machine_text = NULL;
  g_autofree char *description = NULL;

  if (!sp_span_read_u16_le (&d->head, 0, &machine) ||
      !sp_span_read_u16_le (&d->head, 2, &n_sections) ||
      !sp_span_read_u32_le (&d->head, 8, &symbols) ||
      !sp_span_read_u16_le (&d->head, 16, &opt_size) ||
      !sp_span_read_u8 (&d->head, 20, &first))
    return FALSE;
  if (n_sections == 0 || n_sections > 4096 || opt_size != 0 || symbols > d->size ||
      !(first == '.' || first == '/' || g_ascii_isalpha (first) || first == '_'))
    return FALSE;

  machine_text = machine_name (pe_machines, G_N_ELEMENTS (pe_machines), machine);
  description = g_strdup_printf (_("COFF object file for %s"), machine_text);
  add_evidence (d, &d->head, 0, 2, 2, _("number of sections"));
  add_evidence (d, &d->head, 0, 16, 2, _("optional header size: 0"));
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

/* ELF --------------------------------------------------------------------- */

static const NamedValue elf_machines[] = {
  { 2, "SPARC" },
  { 3, "Intel 80386" },
  { 8, "MIPS" },
  { 20, "PowerPC" },
  { 21, "64-bit PowerPC" },
  { 22, "IBM S/390" },
  { 40, "ARM" },
  { 43, "SPARC V9" },
  { 50, "Intel Itanium" },
  { 62, "x86-64" },
  { 183, "AArch64" },
  { 243, "RISC-V" },
  { 247, "eBPF" },
  { 258, "LoongArch" },
};

static gboolean
elf_has_interpreter (Detect   *d,
                     gboolean  is_64,
                     gboolean  big_endian,
                     guint64  *phdr_offset)
{
  guint64 phoff = 0;
  guint32 phoff32;
  guint16 entsize, phnum;
  guint64 table_size;
  SpSpan table;

  if (is_64)
    {
      if (!sp_span_read_u64 (&d->head, 32, big_endian, &phoff) ||
          !sp_span_read_u16 (&d->head, 54, big_endian, &entsize) ||
          !sp_span_read_u16 (&d->head, 56, big_endian, &phnum))
        return FALSE;
    }
  else
    {
      if (!sp_span_read_u32 (&d->head, 28, big_endian, &phoff32) ||
          !sp_span_read_u16 (&d->head, 42, big_endian, &entsize) ||
          !sp_span_read_u16 (&d->head, 44, big_endian, &phnum))
        return FALSE;
      phoff = phoff32;
    }
  if (entsize < 4 || entsize > 256)
    return FALSE;
  phnum = MIN (phnum, ELF_MAX_PHDRS);
  table_size = (guint64) entsize * phnum;
  if (!detect_read (d, phoff, table_size, &table))
    return FALSE;

  for (guint i = 0; i < phnum; i++)
    {
      guint32 p_type;

      if (!sp_span_read_u32 (&table, (guint64) i * entsize, big_endian, &p_type))
        break;
      if (p_type == 3 /* PT_INTERP */)
        {
          *phdr_offset = phoff + (guint64) i * entsize;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
refine_elf (Detect          *d,
            const Signature *sig)
{
  guint8 elf_class, data;
  guint16 e_type, e_machine;
  gboolean is_64, big_endian;
  g_autofree char *machine_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  const char *kind, *kind_long, *mime, *extension, *type_what;
  const char *bits, *order;
  guint64 interp_at = 0;

  if (!sp_span_read_u8 (&d->head, 4, &elf_class) || !sp_span_read_u8 (&d->head, 5, &data) ||
      (elf_class != 1 && elf_class != 2) || (data != 1 && data != 2))
    {
      set_type (d, _("ELF"), _("ELF file with an invalid class or byte order"),
                "application/x-elf", "elf", NULL);
      return TRUE;
    }
  is_64 = elf_class == 2;
  big_endian = data == 2;
  bits = is_64 ? "64-bit" : "32-bit";
  order = big_endian ? _("big-endian") : _("little-endian");
  add_evidence (d, &d->head, 0, 4, 1, is_64 ? _("class: 64-bit") : _("class: 32-bit"));
  add_evidence (d, &d->head, 0, 5, 1,
                big_endian ? _("data: big-endian") : _("data: little-endian"));

  if (!sp_span_read_u16 (&d->head, 16, big_endian, &e_type) ||
      !sp_span_read_u16 (&d->head, 18, big_endian, &e_machine))
    {
      name = g_strdup_printf (_("ELF %s"), bits);
      description = g_strdup_printf (_("ELF %s %s file with a truncated header"), bits, order);
      set_type (d, name, description, "application/x-elf", "elf", NULL);
      return TRUE;
    }
  machine_text = machine_name (elf_machines, G_N_ELEMENTS (elf_machines), e_machine);

  switch (e_type)
    {
    case 1:
      kind = _("relocatable");
      kind_long = _("relocatable object");
      mime = "application/x-object";
      extension = "o";
      type_what = _("e_type: ET_REL (relocatable)");
      break;
    case 2:
      kind = _("executable");
      kind_long = _("executable");
      mime = "application/x-executable";
      extension = "";
      type_what = _("e_type: ET_EXEC (executable)");
      break;
    case 3:
      if (elf_has_interpreter (d, is_64, big_endian, &interp_at))
        {
          kind = _("PIE executable");
          kind_long = _("position-independent executable");
          mime = "application/x-pie-executable";
          extension = "";
        }
      else
        {
          kind = _("shared object");
          kind_long = _("shared object");
          mime = "application/x-sharedlib";
          extension = "so";
        }
      type_what = _("e_type: ET_DYN (shared object)");
      break;
    case 4:
      kind = _("core dump");
      kind_long = _("core dump");
      mime = "application/x-core";
      extension = "core";
      type_what = _("e_type: ET_CORE (core dump)");
      break;
    default:
      kind = _("file");
      kind_long = _("file of unknown type");
      mime = "application/x-elf";
      extension = "";
      type_what = _("e_type: unknown");
      break;
    }
  add_evidence (d, &d->head, 0, 16, 2, type_what);
  {
    g_autofree char *machine_what = g_strdup_printf (_("machine: %s"), machine_text);

    add_evidence (d, &d->head, 0, 18, 2, machine_what);
  }
  if (interp_at != 0)
    {
      SpSpan phdr;

      if (detect_read (d, interp_at, 4, &phdr))
        add_evidence (d, &phdr, interp_at, 0, 4, _("program header PT_INTERP"));
    }

  name = g_strdup_printf (_("ELF %s %s"), bits, kind);
  description = g_strdup_printf (_("ELF %s %s %s for %s"), bits, order, kind_long, machine_text);
  set_type (d, name, description, mime, "elf", extension);
  return TRUE;
}

/* Mach-O ------------------------------------------------------------------ */

static const NamedValue macho_cpus[] = {
  { 7, "x86" },
  { 0x01000007, "x86-64" },
  { 12, "ARM" },
  { 0x0100000C, "ARM64" },
  { 0x0200000C, "ARM64_32" },
  { 18, "PowerPC" },
  { 0x01000012, "PowerPC 64" },
};

static const NamedValue macho_filetypes[] = {
  { 1, N_("object") },
  { 2, N_("executable") },
  { 4, N_("core dump") },
  { 6, N_("dynamic library") },
  { 7, N_("dynamic linker") },
  { 8, N_("bundle") },
  { 10, N_("debug symbols") },
  { 11, N_("kernel extension") },
};

static gboolean
refine_macho (Detect          *d,
              const Signature *sig)
{
  guint8 first = 0;
  gboolean big_endian, is_64;
  guint32 cpu, filetype;
  const char *kind;
  g_autofree char *cpu_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  /* FE ED FA CE/CF is big-endian; CE/CF FA ED FE little-endian; CF marks 64-bit. */
  sp_span_read_u8 (&d->head, 0, &first);
  big_endian = first == 0xFE;
  is_64 = sig->magic[0].bytes[big_endian ? 3 : 0] == '\xCF';
  if (!sp_span_read_u32 (&d->head, 4, big_endian, &cpu) ||
      !sp_span_read_u32 (&d->head, 12, big_endian, &filetype))
    return TRUE;

  kind = lookup_name (macho_filetypes, G_N_ELEMENTS (macho_filetypes), filetype);
  cpu_text = machine_name (macho_cpus, G_N_ELEMENTS (macho_cpus), cpu);
  {
    g_autofree char *cpu_what = g_strdup_printf (_("CPU type: %s"), cpu_text);

    add_evidence (d, &d->head, 0, 4, 4, cpu_what);
  }
  add_evidence (d, &d->head, 0, 12, 4, _("file type"));
  name = g_strdup_printf ("Mach-O %s %s", is_64 ? "64-bit" : "32-bit",
                          kind != NULL ? _(kind) : _("file"));
  description = g_strdup_printf (_("Mach-O %s %s %s for %s"), is_64 ? "64-bit" : "32-bit",
                                 big_endian ? _("big-endian") : _("little-endian"),
                                 kind != NULL ? _(kind) : _("file"), cpu_text);
  set_type (d, name, description, sig->mime, sig->family,
            filetype == 6 ? "dylib" : filetype == 8 ? "bundle" : filetype == 1 ? "o" : "");
  return TRUE;
}

/* CA FE BA BE starts both fat Mach-O and Java class files: a fat header has a
 * small architecture count where a class file has its major version (>= 45). */
static gboolean
refine_macho_fat (Detect          *d,
                  const Signature *sig)
{
  guint32 n_arch;
  g_autofree char *description = NULL;

  if (!sp_span_read_u32_be (&d->head, 4, &n_arch) || n_arch == 0 || n_arch >= 45)
    return FALSE;
  add_evidence (d, &d->head, 0, 4, 4, _("number of architectures"));
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Mach-O universal binary with %u architecture",
                                              "Mach-O universal binary with %u architectures",
                                              n_arch), n_arch);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

static gboolean
refine_java_class (Detect          *d,
                   const Signature *sig)
{
  guint16 minor, major;
  g_autofree char *description = NULL;

  if (!sp_span_read_u16_be (&d->head, 4, &minor) || !sp_span_read_u16_be (&d->head, 6, &major) ||
      major < 45)
    return FALSE;
  add_evidence (d, &d->head, 0, 6, 2, _("class file major version"));
  description = g_strdup_printf (_("Java class file, version %u.%u"), major, minor);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

/* ZIP --------------------------------------------------------------------- */

typedef struct
{
  const char  *entry;         /* exact entry name; with a leading '*' a name suffix */
  const char  *name;
  const char  *description;
  const char  *mime;
  const char  *extension;
} ZipRule;

/* In priority order: an APK also has META-INF/MANIFEST.MF. */
static const ZipRule zip_rules[] = {
  { "AndroidManifest.xml", N_("APK"), N_("Android application package"),
    "application/vnd.android.package-archive", "apk" },
  { "word/document.xml", N_("DOCX"), N_("Microsoft Word document (Office Open XML)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
  { "xl/workbook.xml", N_("XLSX"), N_("Microsoft Excel workbook (Office Open XML)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
  { "ppt/presentation.xml", N_("PPTX"), N_("Microsoft PowerPoint presentation (Office Open XML)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
  { "META-INF/MANIFEST.MF", N_("JAR"), N_("Java archive"), "application/java-archive", "jar" },
  { "*.class", N_("JAR"), N_("Java archive"), "application/java-archive", "jar" },
};

typedef struct
{
  const char  *mime;          /* exact, or with a trailing '*' a prefix */
  const char  *name;
  const char  *description;
  const char  *extension;
} ZipMimetypeRule;

static const ZipMimetypeRule zip_mimetype_rules[] = {
  { "application/vnd.oasis.opendocument.text", N_("ODT"), N_("OpenDocument text"), "odt" },
  { "application/vnd.oasis.opendocument.spreadsheet", N_("ODS"),
    N_("OpenDocument spreadsheet"), "ods" },
  { "application/vnd.oasis.opendocument.presentation", N_("ODP"),
    N_("OpenDocument presentation"), "odp" },
  { "application/vnd.oasis.opendocument.graphics", N_("ODG"), N_("OpenDocument drawing"), "odg" },
  { "application/vnd.oasis.opendocument.*", N_("ODF"), N_("OpenDocument file"), "" },
  { "application/epub+zip", N_("EPUB"), N_("EPUB e-book"), "epub" },
};

typedef struct
{
  guint    best;              /* index into zip_rules; G_N_ELEMENTS when none matched */
  guint64  best_offset;       /* file offset of the matching name */
  gsize    best_length;
  SpSpan   best_span;
  guint64  best_base;
  gboolean has_macros;
  guint64  macros_offset;
  SpSpan   macros_span;
  guint64  macros_base;
  gsize    macros_length;
  guint    n_walked;
} ZipScan;

static void
zip_scan_name (ZipScan      *scan,
               const SpSpan *span,
               guint64       base,
               guint64       offset,
               gsize         length)
{
  static const char macros[] = "vbaProject.bin";

  for (guint i = 0; i < scan->best && i < G_N_ELEMENTS (zip_rules); i++)
    {
      const char *entry = zip_rules[i].entry;
      gboolean match;

      if (entry[0] == '*')
        {
          gsize suffix = strlen (entry + 1);

          match = length >= suffix &&
                  sp_span_has_prefix (span, offset + length - suffix, entry + 1, suffix);
        }
      else
        match = span_equals (span, offset, length, entry);

      if (match)
        {
          scan->best = i;
          scan->best_offset = offset;
          scan->best_length = length;
          scan->best_span = *span;
          scan->best_base = base;
          break;
        }
    }

  if (!scan->has_macros && length >= sizeof macros - 1 &&
      sp_span_has_prefix (span, offset + length - (sizeof macros - 1), macros, sizeof macros - 1))
    {
      scan->has_macros = TRUE;
      scan->macros_offset = offset;
      scan->macros_length = length;
      scan->macros_span = *span;
      scan->macros_base = base;
    }
}

/* Finds the end-of-central-directory record in the last 64 KiB + 22 bytes and
 * walks the central directory it points to; FALSE if there is none. */
static gboolean
zip_scan_central_directory (Detect  *d,
                            ZipScan *scan,
                            guint64 *n_entries_out)
{
  guint64 tail_start, eocd_at = 0, n_entries, cd_size, cd_offset, pos;
  guint16 entries16;
  guint32 cd_size32, cd_offset32;
  gboolean found = FALSE;
  g_autofree char *what = NULL;
  SpSpan tail, cd;

  tail_start = d->size > ZIP_EOCD_SEARCH ? d->size - ZIP_EOCD_SEARCH : 0;
  if (d->size < ZIP_EOCD_SIZE || !detect_read (d, tail_start, ZIP_EOCD_SEARCH, &tail) ||
      tail.size < ZIP_EOCD_SIZE)
    return FALSE;

  for (guint64 i = tail.size - ZIP_EOCD_SIZE + 1; i-- > 0;)
    {
      guint16 comment_length;

      if (sp_span_has_prefix (&tail, i, "PK\5\6", 4) &&
          sp_span_read_u16_le (&tail, i + 20, &comment_length) &&
          i + ZIP_EOCD_SIZE + comment_length <= tail.size)
        {
          eocd_at = i;
          found = TRUE;
          break;
        }
    }
  if (!found ||
      !sp_span_read_u16_le (&tail, eocd_at + 10, &entries16) ||
      !sp_span_read_u32_le (&tail, eocd_at + 12, &cd_size32) ||
      !sp_span_read_u32_le (&tail, eocd_at + 16, &cd_offset32))
    return FALSE;
  n_entries = entries16;
  cd_size = cd_size32;
  cd_offset = cd_offset32;

  what = g_strdup_printf (_("end of central directory record (%u entries)"), entries16);
  add_evidence (d, &tail, tail_start, eocd_at, 4, what);

  /* ZIP64 keeps the real values in a record found through a locator just before. */
  if (entries16 == 0xFFFF || cd_size32 == 0xFFFFFFFF || cd_offset32 == 0xFFFFFFFF)
    {
      guint64 record_at;
      SpSpan record;

      if (eocd_at >= 20 && sp_span_has_prefix (&tail, eocd_at - 20, "PK\6\7", 4) &&
          sp_span_read_u64_le (&tail, eocd_at - 20 + 8, &record_at) &&
          detect_read (d, record_at, ZIP64_EOCD_SIZE, &record) &&
          sp_span_has_prefix (&record, 0, "PK\6\6", 4) &&
          sp_span_read_u64_le (&record, 32, &n_entries) &&
          sp_span_read_u64_le (&record, 40, &cd_size) &&
          sp_span_read_u64_le (&record, 48, &cd_offset))
        add_evidence (d, &record, record_at, 0, 4, _("ZIP64 end of central directory record"));
    }
  *n_entries_out = n_entries;

  /* Data prepended to the archive (self-extractors) shifts every offset:
   * then the directory is the cd_size bytes right before the EOCD record. */
  if (!detect_read (d, cd_offset, MIN (cd_size, ZIP_MAX_CD_BYTES), &cd) ||
      !sp_span_has_prefix (&cd, 0, "PK\1\2", 4))
    {
      guint64 eocd_abs = tail_start + eocd_at;

      if (cd_size > eocd_abs)
        return FALSE;
      cd_offset = eocd_abs - cd_size;
      if (!detect_read (d, cd_offset, MIN (cd_size, ZIP_MAX_CD_BYTES), &cd) ||
          !sp_span_has_prefix (&cd, 0, "PK\1\2", 4))
        return FALSE;
    }

  pos = 0;
  for (guint64 i = 0; i < MIN (n_entries, ZIP_MAX_ENTRIES); i++)
    {
      guint16 name_length, extra_length, comment_length;
      guint64 next;

      if (!sp_span_has_prefix (&cd, pos, "PK\1\2", 4) ||
          !sp_span_read_u16_le (&cd, pos + 28, &name_length) ||
          !sp_span_read_u16_le (&cd, pos + 30, &extra_length) ||
          !sp_span_read_u16_le (&cd, pos + 32, &comment_length) ||
          !sp_span_contains (&cd, pos + 46, name_length))
        break;
      scan->n_walked++;
      zip_scan_name (scan, &cd, cd_offset, pos + 46, MIN (name_length, ZIP_MAX_NAME_BYTES));
      next = pos + 46 + (guint64) name_length + extra_length + comment_length;
      pos = next;
    }
  return scan->n_walked > 0;
}

/* Fallback for a truncated archive: the local headers from offset 0, within the head. */
static void
zip_scan_local_headers (Detect  *d,
                        ZipScan *scan)
{
  guint64 pos = 0;

  for (guint i = 0; i < ZIP_MAX_ENTRIES; i++)
    {
      guint16 flags, name_length, extra_length;
      guint32 compressed;

      if (!sp_span_has_prefix (&d->head, pos, "PK\3\4", 4) ||
          !sp_span_read_u16_le (&d->head, pos + 6, &flags) ||
          !sp_span_read_u32_le (&d->head, pos + 18, &compressed) ||
          !sp_span_read_u16_le (&d->head, pos + 26, &name_length) ||
          !sp_span_read_u16_le (&d->head, pos + 28, &extra_length) ||
          !sp_span_contains (&d->head, pos + 30, name_length))
        break;
      scan->n_walked++;
      zip_scan_name (scan, &d->head, 0, pos + 30, MIN (name_length, ZIP_MAX_NAME_BYTES));
      /* With a data descriptor (flag bit 3) the size may only follow the data. */
      if ((flags & 0x0008) != 0 && compressed == 0)
        break;
      pos = pos + 30 + (guint64) name_length + extra_length + compressed;
    }
}

/* ODF and EPUB put a stored entry named "mimetype" first, holding their MIME type. */
static gboolean
zip_refine_mimetype (Detect *d)
{
  guint16 method, name_length, extra_length;
  guint32 compressed;
  guint64 content_at;
  g_autofree char *mime = NULL;
  g_autofree char *what = NULL;

  if (!sp_span_read_u16_le (&d->head, 8, &method) ||
      !sp_span_read_u32_le (&d->head, 18, &compressed) ||
      !sp_span_read_u16_le (&d->head, 26, &name_length) ||
      !sp_span_read_u16_le (&d->head, 28, &extra_length) ||
      method != 0 || compressed == 0 || compressed > 128 ||
      !span_equals (&d->head, 30, name_length, "mimetype"))
    return FALSE;
  content_at = 30 + (guint64) name_length + extra_length;
  if (!sp_span_contains (&d->head, content_at, compressed))
    return FALSE;
  mime = printable_copy (&d->head, content_at, compressed);

  for (guint i = 0; i < G_N_ELEMENTS (zip_mimetype_rules); i++)
    {
      const ZipMimetypeRule *rule = &zip_mimetype_rules[i];
      gsize rule_length = strlen (rule->mime);
      gboolean match;

      if (rule->mime[rule_length - 1] == '*')
        match = strncmp (mime, rule->mime, rule_length - 1) == 0;
      else
        match = strcmp (mime, rule->mime) == 0;
      if (!match)
        continue;

      add_evidence (d, &d->head, 0, 30, name_length, _("first entry named “mimetype”"));
      what = g_strdup_printf (_("mimetype content: %s"), mime);
      add_evidence (d, &d->head, 0, content_at, compressed, what);
      set_type (d, _(rule->name), _(rule->description), mime, "zip", rule->extension);
      return TRUE;
    }
  return FALSE;
}

static gboolean
refine_zip (Detect          *d,
            const Signature *sig)
{
  ZipScan scan = { 0, };
  guint64 n_entries = 0;
  gboolean have_directory;
  g_autofree char *description = NULL;

  scan.best = G_N_ELEMENTS (zip_rules);
  have_directory = zip_scan_central_directory (d, &scan, &n_entries);

  if (zip_refine_mimetype (d))
    return TRUE;

  if (!have_directory)
    zip_scan_local_headers (d, &scan);

  if (scan.best < G_N_ELEMENTS (zip_rules))
    {
      const ZipRule *rule = &zip_rules[scan.best];
      g_autofree char *entry = printable_copy (&scan.best_span, scan.best_offset,
                                               scan.best_length);
      g_autofree char *what = NULL;

      what = g_strdup_printf (have_directory ? _("central directory entry “%s”")
                                             : _("local header entry “%s”"), entry);
      add_evidence (d, &scan.best_span, scan.best_base, scan.best_offset, scan.best_length, what);
      if (scan.has_macros)
        {
          g_autofree char *macro_entry = printable_copy (&scan.macros_span, scan.macros_offset,
                                                         scan.macros_length);
          g_autofree char *macro_what = g_strdup_printf (_("VBA macro project “%s”"),
                                                         macro_entry);

          add_evidence (d, &scan.macros_span, scan.macros_base, scan.macros_offset,
                        scan.macros_length, macro_what);
          description = g_strdup_printf (_("%s, with VBA macros"), _(rule->description));
        }
      set_type (d, _(rule->name), description != NULL ? description : _(rule->description),
                rule->mime, "zip", rule->extension);
      return TRUE;
    }

  if (have_directory)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_entries);

      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "ZIP archive with %s entry",
                                                  "ZIP archive with %s entries",
                                                  (gulong) MIN (n_entries, G_MAXULONG)),
                                     count);
    }
  set_type (d, sig->name, description != NULL ? description : _(sig->description),
            sig->mime, sig->family, sig->extension);
  return TRUE;
}

/* OLE2 -------------------------------------------------------------------- */

typedef struct
{
  const char  *stream;
  const char  *name;
  const char  *description;
  const char  *mime;
  const char  *extension;
} OleRule;

static const OleRule ole_rules[] = {
  { "WordDocument", N_("DOC"), N_("Microsoft Word 97-2003 document"), "application/msword", "doc" },
  { "Workbook", N_("XLS"), N_("Microsoft Excel 97-2003 workbook"), "application/vnd.ms-excel",
    "xls" },
  { "Book", N_("XLS"), N_("Microsoft Excel 5.0/95 workbook"), "application/vnd.ms-excel", "xls" },
  { "PowerPoint Document", N_("PPT"), N_("Microsoft PowerPoint 97-2003 presentation"),
    "application/vnd.ms-powerpoint", "ppt" },
};

/* {000C1084-0000-0000-C000-000000000046} as stored (little-endian fields). */
static const guint8 msi_clsid[16] = {
  0x84, 0x10, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
};

static gboolean
utf16_name_equals (const SpSpan *entry,
                   guint16       name_bytes,
                   const char   *ascii)
{
  gsize length = strlen (ascii);

  /* name_bytes counts the UTF-16 terminator. */
  if (name_bytes != (length + 1) * 2)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      guint16 unit;

      if (!sp_span_read_u16_le (entry, i * 2, &unit) || unit != (guchar) ascii[i])
        return FALSE;
    }
  return TRUE;
}

/* Looks at the first directory sector only: the root entry and the streams
 * next to it are what tells Word, Excel, PowerPoint and MSI files apart. */
static gboolean
refine_ole (Detect          *d,
            const Signature *sig)
{
  guint16 sector_shift;
  guint32 dir_sector;
  guint64 dir_at, sector_size;
  SpSpan sector, root;

  if (!sp_span_read_u16_le (&d->head, 0x1E, &sector_shift) ||
      !sp_span_read_u32_le (&d->head, 0x30, &dir_sector) ||
      (sector_shift != 9 && sector_shift != 12) || dir_sector >= 0xFFFFFFFA)
    return TRUE;
  sector_size = (guint64) 1 << sector_shift;
  dir_at = ((guint64) dir_sector + 1) << sector_shift;
  if (!detect_read (d, dir_at, sector_size, &sector))
    return TRUE;

  if (sp_span_sub (&sector, 0, 128, &root) && sp_span_has_prefix (&root, 80, msi_clsid, 16))
    {
      add_evidence (d, &sector, dir_at, 80, 16,
                    _("root storage CLSID of a Windows Installer package"));
      set_type (d, _("MSI"), _("Windows Installer package"), "application/x-msi", "document",
                "msi");
      return TRUE;
    }

  for (guint64 at = 0; at + 128 <= sector.size; at += 128)
    {
      SpSpan entry;
      guint16 name_bytes;
      guint8 kind;

      if (!sp_span_sub (&sector, at, 128, &entry) ||
          !sp_span_read_u16_le (&entry, 64, &name_bytes) ||
          !sp_span_read_u8 (&entry, 66, &kind) || kind != 2 /* stream */)
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (ole_rules); i++)
        if (utf16_name_equals (&entry, name_bytes, ole_rules[i].stream))
          {
            g_autofree char *what = g_strdup_printf (_("directory entry “%s”"),
                                                     ole_rules[i].stream);

            add_evidence (d, &sector, dir_at, at, name_bytes - 2, what);
            set_type (d, _(ole_rules[i].name), _(ole_rules[i].description), ole_rules[i].mime,
                      "document", ole_rules[i].extension);
            return TRUE;
          }
    }
  return TRUE;
}

/* Small refiners ---------------------------------------------------------- */

static gboolean
refine_pdf (Detect          *d,
            const Signature *sig)
{
  g_autofree char *version = NULL;
  g_autofree char *description = NULL;
  gsize length = 0;

  /* "%PDF-1.7": digits and dots only, at most 4 of them. */
  while (length < 4)
    {
      guint8 c;

      if (!sp_span_read_u8 (&d->head, 5 + length, &c) || !(g_ascii_isdigit (c) || c == '.'))
        break;
      length++;
    }
  if (length == 0)
    return TRUE;
  version = printable_copy (&d->head, 5, length);
  add_evidence (d, &d->head, 0, 5, length, _("PDF version"));
  description = g_strdup_printf (_("PDF document, version %s"), version);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

static gboolean
refine_bzip2 (Detect          *d,
              const Signature *sig)
{
  guint8 level;

  return sp_span_read_u8 (&d->head, 3, &level) && level >= '1' && level <= '9';
}

static gboolean
refine_dex (Detect          *d,
            const Signature *sig)
{
  g_autofree char *version = NULL;
  g_autofree char *description = NULL;

  for (guint i = 4; i < 7; i++)
    {
      guint8 c;

      if (!sp_span_read_u8 (&d->head, i, &c) || !g_ascii_isdigit (c))
        return FALSE;
    }
  if (!sp_span_has_prefix (&d->head, 7, "\0", 1))
    return FALSE;
  version = printable_copy (&d->head, 4, 3);
  add_evidence (d, &d->head, 0, 4, 4, _("DEX format version"));
  description = g_strdup_printf (_("Android Dalvik executable, version %s"), version);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

static gboolean
refine_bmp (Detect          *d,
            const Signature *sig)
{
  static const guint valid_sizes[] = { 12, 40, 52, 56, 64, 108, 124 };
  guint32 dib_size;
  gint32 width, height;
  gboolean valid = FALSE;
  g_autofree char *description = NULL;

  if (!sp_span_read_u32_le (&d->head, 14, &dib_size))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (valid_sizes); i++)
    valid |= dib_size == valid_sizes[i];
  if (!valid)
    return FALSE;
  add_evidence (d, &d->head, 0, 14, 4, _("DIB header size"));

  if (dib_size == 12)
    {
      guint16 w, h;

      if (!sp_span_read_u16_le (&d->head, 18, &w) || !sp_span_read_u16_le (&d->head, 20, &h))
        return TRUE;
      width = w;
      height = h;
    }
  else
    {
      guint32 w, h;

      if (!sp_span_read_u32_le (&d->head, 18, &w) || !sp_span_read_u32_le (&d->head, 22, &h))
        return TRUE;
      width = (gint32) w;
      height = (gint32) h;
    }
  /* A negative height means a top-down bitmap. */
  description = g_strdup_printf (_("Windows bitmap image, %d × %u pixels"), width,
                                 height < 0 ? 0u - (guint) height : (guint) height);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

static gboolean
refine_ico (Detect          *d,
            const Signature *sig)
{
  guint16 count;
  guint8 reserved;
  guint32 data_offset;

  if (!sp_span_read_u16_le (&d->head, 4, &count) || count == 0 ||
      !sp_span_read_u8 (&d->head, 6 + 3, &reserved) || reserved != 0 ||
      !sp_span_read_u32_le (&d->head, 6 + 12, &data_offset) ||
      data_offset < 6 + 16 * (guint32) count || data_offset >= d->size)
    return FALSE;
  add_evidence (d, &d->head, 0, 4, 2, _("number of images"));
  return TRUE;
}

static gboolean
refine_tar (Detect          *d,
            const Signature *sig)
{
  if (sp_span_has_prefix (&d->head, 257, "ustar  \0", 8))
    set_type (d, sig->name, _("GNU tar archive"), sig->mime, sig->family, sig->extension);
  else if (sp_span_has_prefix (&d->head, 257, "ustar\0" "00", 8))
    set_type (d, sig->name, _("POSIX tar archive"), sig->mime, sig->family, sig->extension);
  return TRUE;
}

typedef struct
{
  const char  *interpreter;   /* basename; with a trailing '*' a prefix */
  const char  *name;
  const char  *description;
  const char  *mime;
  const char  *extension;
} ScriptRule;

static const ScriptRule script_rules[] = {
  { "sh", N_("Shell script"), N_("POSIX shell script"), "text/x-shellscript", "sh" },
  { "bash", N_("Shell script"), N_("Bash script"), "text/x-shellscript", "sh" },
  { "dash", N_("Shell script"), N_("Dash script"), "text/x-shellscript", "sh" },
  { "ash", N_("Shell script"), N_("Ash script"), "text/x-shellscript", "sh" },
  { "ksh", N_("Shell script"), N_("Korn shell script"), "text/x-shellscript", "sh" },
  { "zsh", N_("Shell script"), N_("Zsh script"), "text/x-shellscript", "sh" },
  { "python*", N_("Python script"), N_("Python script"), "text/x-python", "py" },
  { "perl*", N_("Perl script"), N_("Perl script"), "text/x-perl", "pl" },
};

/* Next token of graphic ASCII in [*pos, end) of @span; returns its length. */
static gsize
script_token (const SpSpan *span,
              guint64      *pos,
              guint64       end)
{
  guint8 c;
  guint64 start;

  while (*pos < end && sp_span_read_u8 (span, *pos, &c) && (c == ' ' || c == '\t'))
    (*pos)++;
  start = *pos;
  while (*pos < end && sp_span_read_u8 (span, *pos, &c) && c > 0x20 && c < 0x7F)
    (*pos)++;
  return *pos - start;
}

static gboolean
refine_script (Detect          *d,
               const Signature *sig)
{
  guint64 end = 2, pos = 2, token_at, base_at;
  gsize token_length, base_length;
  g_autofree char *line = NULL;
  g_autofree char *interpreter = NULL;
  g_autofree char *description = NULL;
  guint8 c;

  while (end < 2 + SCRIPT_LINE_MAX && sp_span_read_u8 (&d->head, end, &c) && c != '\n' &&
         c != '\r')
    end++;
  line = printable_copy (&d->head, 2, end - 2);
  g_strstrip (line);
  add_evidence (d, &d->head, 0, 2, end - 2, _("interpreter line"));

  token_length = script_token (&d->head, &pos, end);
  if (token_length == 0)
    return TRUE;
  token_at = pos - token_length;

  /* The interpreter's base name; "/usr/bin/env python3" names it in the next word. */
  base_at = token_at;
  for (guint64 i = token_at; i < token_at + token_length; i++)
    if (sp_span_has_prefix (&d->head, i, "/", 1))
      base_at = i + 1;
  base_length = token_at + token_length - base_at;
  if (span_equals (&d->head, base_at, base_length, "env"))
    {
      do
        {
          base_length = script_token (&d->head, &pos, end);
          base_at = pos - base_length;
        }
      while (base_length > 0 && sp_span_has_prefix (&d->head, base_at, "-", 1));
    }
  interpreter = printable_copy (&d->head, base_at, base_length);

  for (guint i = 0; i < G_N_ELEMENTS (script_rules); i++)
    {
      const ScriptRule *rule = &script_rules[i];
      gsize rule_length = strlen (rule->interpreter);
      gboolean match;

      if (rule->interpreter[rule_length - 1] == '*')
        match = strncmp (interpreter, rule->interpreter, rule_length - 1) == 0;
      else
        match = strcmp (interpreter, rule->interpreter) == 0;
      if (match)
        {
          description = g_strdup_printf (_("%s (#!%s)"), _(rule->description), line);
          set_type (d, _(rule->name), description, rule->mime, "script", rule->extension);
          return TRUE;
        }
    }

  description = g_strdup_printf (_("Script for %s (#!%s)"), interpreter, line);
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

/* docs/encrypted-report.md: version, cipher, key source and payload type follow the magic. */
static gboolean
refine_specimen (Detect          *d,
                 const Signature *sig)
{
  guint8 version, cipher, key_source, payload;
  g_autofree char *description = NULL;

  if (!sp_span_read_u8 (&d->head, 8, &version) || !sp_span_read_u8 (&d->head, 9, &cipher) ||
      !sp_span_read_u8 (&d->head, 10, &key_source) || !sp_span_read_u8 (&d->head, 11, &payload))
    return TRUE;
  add_evidence (d, &d->head, 0, 8, 4, _("format version, cipher, key source, payload type"));
  if (version != 1 || cipher != 1)
    {
      description = g_strdup_printf (_("Specimen encrypted file, unknown version %u or cipher %u"),
                                     version, cipher);
      set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
      return TRUE;
    }
  /* TRANSLATORS: e.g. "Specimen encrypted report (AES-256-GCM, key from a password)" */
  description = g_strdup_printf (_("Specimen encrypted %s (AES-256-GCM, %s)"),
                                 payload == 1 ? _("report") : _("file"),
                                 key_source == 1 ? _("key from a password")
                                 : key_source == 2 ? _("key file") : _("unknown key source"));
  set_type (d, sig->name, description, sig->mime, sig->family, sig->extension);
  return TRUE;
}

/* The table --------------------------------------------------------------- */

static const Signature signatures[] = {
  { { MAGIC (0, "SPECIMEN"), NO_MAGIC }, N_("Specimen encrypted report magic"),
    N_("Specimen encrypted report"), N_("Specimen encrypted report (AES-256-GCM)"),
    "application/x-specimen-encrypted-report", "other", "specimen", refine_specimen },
  { { MAGIC (0, "MZ"), NO_MAGIC }, N_("MZ DOS header"),
    N_("MS-DOS executable"), N_("MS-DOS executable"), "application/x-dosexec", "pe", "exe",
    refine_pe },
  { { MAGIC (0, "\x7F" "ELF"), NO_MAGIC }, N_("ELF magic"),
    N_("ELF"), N_("ELF file"), "application/x-elf", "elf", "", refine_elf },
  { { MAGIC (0, "\xFE\xED\xFA\xCE"), NO_MAGIC }, N_("Mach-O magic (32-bit, big-endian)"),
    N_("Mach-O 32-bit"), N_("Mach-O 32-bit file"), "application/x-mach-binary", "macho", "",
    refine_macho },
  { { MAGIC (0, "\xCE\xFA\xED\xFE"), NO_MAGIC }, N_("Mach-O magic (32-bit, little-endian)"),
    N_("Mach-O 32-bit"), N_("Mach-O 32-bit file"), "application/x-mach-binary", "macho", "",
    refine_macho },
  { { MAGIC (0, "\xFE\xED\xFA\xCF"), NO_MAGIC }, N_("Mach-O magic (64-bit, big-endian)"),
    N_("Mach-O 64-bit"), N_("Mach-O 64-bit file"), "application/x-mach-binary", "macho", "",
    refine_macho },
  { { MAGIC (0, "\xCF\xFA\xED\xFE"), NO_MAGIC }, N_("Mach-O magic (64-bit, little-endian)"),
    N_("Mach-O 64-bit"), N_("Mach-O 64-bit file"), "application/x-mach-binary", "macho", "",
    refine_macho },
  { { MAGIC (0, "\xCA\xFE\xBA\xBE"), NO_MAGIC }, N_("Mach-O fat header magic"),
    N_("Mach-O universal"), N_("Mach-O universal binary"), "application/x-mach-binary",
    "macho", "", refine_macho_fat },
  { { MAGIC (0, "\xCA\xFE\xBA\xBF"), NO_MAGIC }, N_("Mach-O 64-bit fat header magic"),
    N_("Mach-O universal"), N_("Mach-O universal binary (64-bit fat header)"),
    "application/x-mach-binary", "macho", "", refine_macho_fat },
  { { MAGIC (0, "\xCA\xFE\xBA\xBE"), NO_MAGIC }, N_("Java class magic"),
    N_("Java class"), N_("Java class file"), "application/java-vm", "bytecode", "class",
    refine_java_class },
  { { MAGIC (0, "dex\n"), NO_MAGIC }, N_("DEX magic"),
    N_("Android DEX"), N_("Android Dalvik executable"), "application/vnd.android.dex",
    "bytecode", "dex", refine_dex },
  { { MAGIC (0, "\0asm\x01\0\0\0"), NO_MAGIC }, N_("WebAssembly magic and version 1"),
    N_("WebAssembly"), N_("WebAssembly binary module"), "application/wasm", "bytecode", "wasm",
    NULL },
  { { MAGIC (0, "PK\3\4"), NO_MAGIC }, N_("ZIP local file header"),
    N_("ZIP archive"), N_("ZIP archive"), "application/zip", "zip", "zip", refine_zip },
  { { MAGIC (0, "PK\5\6"), NO_MAGIC }, N_("ZIP end of central directory (empty archive)"),
    N_("ZIP archive"), N_("Empty ZIP archive"), "application/zip", "zip", "zip", NULL },
  { { MAGIC (0, "PK\7\x08"), NO_MAGIC }, N_("ZIP spanning marker"),
    N_("ZIP archive"), N_("ZIP archive (split or spanned)"), "application/zip", "zip", "zip",
    refine_zip },
  { { MAGIC (0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), NO_MAGIC }, N_("OLE2 compound file magic"),
    N_("OLE2 compound file"), N_("Microsoft OLE2 compound document"),
    "application/x-ole-storage", "document", "", refine_ole },
  { { MAGIC (0, "%PDF-"), NO_MAGIC }, N_("PDF header"),
    N_("PDF"), N_("PDF document"), "application/pdf", "document", "pdf", refine_pdf },
  { { MAGIC (0, "{\\rtf"), NO_MAGIC }, N_("RTF header"),
    N_("RTF"), N_("Rich Text Format document"), "application/rtf", "document", "rtf", NULL },
  { { MAGIC (0, "Rar!\x1A\x07\x01\0"), NO_MAGIC }, N_("RAR 5 signature"),
    N_("RAR 5"), N_("RAR archive, version 5"), "application/vnd.rar", "archive", "rar", NULL },
  { { MAGIC (0, "Rar!\x1A\x07\0"), NO_MAGIC }, N_("RAR 4 signature"),
    N_("RAR 4"), N_("RAR archive, version 1.5 to 4"), "application/vnd.rar", "archive", "rar",
    NULL },
  { { MAGIC (0, "7z\xBC\xAF\x27\x1C"), NO_MAGIC }, N_("7-Zip signature"),
    N_("7-Zip"), N_("7-Zip archive"), "application/x-7z-compressed", "archive", "7z", NULL },
  { { MAGIC (0, "\x1F\x8B\x08"), NO_MAGIC }, N_("gzip magic, deflate method"),
    N_("gzip"), N_("gzip compressed data"), "application/gzip", "archive", "gz", NULL },
  { { MAGIC (0, "BZh"), NO_MAGIC }, N_("bzip2 magic"),
    N_("bzip2"), N_("bzip2 compressed data"), "application/x-bzip2", "archive", "bz2",
    refine_bzip2 },
  { { MAGIC (0, "\xFD" "7zXZ\0"), NO_MAGIC }, N_("xz magic"),
    N_("xz"), N_("xz compressed data"), "application/x-xz", "archive", "xz", NULL },
  { { MAGIC (0, "\x28\xB5\x2F\xFD"), NO_MAGIC }, N_("Zstandard frame magic"),
    N_("zstd"), N_("Zstandard compressed data"), "application/zstd", "archive", "zst", NULL },
  { { MAGIC (257, "ustar"), NO_MAGIC }, N_("tar ustar magic"),
    N_("tar"), N_("tar archive"), "application/x-tar", "archive", "tar", refine_tar },
  { { MAGIC (0, "\x89PNG\r\n\x1A\n"), NO_MAGIC }, N_("PNG signature"),
    N_("PNG"), N_("PNG image"), "image/png", "image", "png", NULL },
  { { MAGIC (0, "\xFF\xD8\xFF"), NO_MAGIC }, N_("JPEG start of image and marker"),
    N_("JPEG"), N_("JPEG image"), "image/jpeg", "image", "jpg", NULL },
  { { MAGIC (0, "GIF87a"), NO_MAGIC }, N_("GIF87a signature"),
    N_("GIF"), N_("GIF image, version 87a"), "image/gif", "image", "gif", NULL },
  { { MAGIC (0, "GIF89a"), NO_MAGIC }, N_("GIF89a signature"),
    N_("GIF"), N_("GIF image, version 89a"), "image/gif", "image", "gif", NULL },
  { { MAGIC (0, "II*\0"), NO_MAGIC }, N_("TIFF header (little-endian)"),
    N_("TIFF"), N_("TIFF image, little-endian"), "image/tiff", "image", "tif", NULL },
  { { MAGIC (0, "MM\0*"), NO_MAGIC }, N_("TIFF header (big-endian)"),
    N_("TIFF"), N_("TIFF image, big-endian"), "image/tiff", "image", "tif", NULL },
  { { MAGIC (0, "RIFF"), MAGIC (8, "WEBP") }, N_("RIFF container"),
    N_("WebP"), N_("WebP image"), "image/webp", "image", "webp", NULL },
  { { MAGIC (0, "RIFF"), MAGIC (8, "WAVE") }, N_("RIFF container"),
    N_("WAV"), N_("WAVE audio"), "audio/x-wav", "media", "wav", NULL },
  { { MAGIC (0, "RIFF"), MAGIC (8, "AVI ") }, N_("RIFF container"),
    N_("AVI"), N_("AVI video"), "video/x-msvideo", "media", "avi", NULL },
  { { MAGIC (0, "SQLite format 3\0"), NO_MAGIC }, N_("SQLite 3 header string"),
    N_("SQLite 3"), N_("SQLite 3 database"), "application/vnd.sqlite3", "database", "sqlite",
    NULL },
  { { MAGIC (0, "L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"), NO_MAGIC },
    N_("shell link header size and CLSID"),
    N_("Windows shortcut"), N_("Windows shortcut (LNK)"), "application/x-ms-shortcut", "other",
    "lnk", NULL },
  { { MAGIC (0, "#!"), NO_MAGIC }, N_("#! (shebang)"),
    N_("Script"), N_("Script"), "text/plain", "script", "", refine_script },
  { { MAGIC (0, "\xEF\xBB\xBF"), NO_MAGIC }, N_("UTF-8 byte order mark"),
    N_("UTF-8 text"), N_("UTF-8 text with byte order mark"), "text/plain", "text", "txt", NULL },
  { { MAGIC (0, "\xFF\xFE"), NO_MAGIC }, N_("UTF-16LE byte order mark"),
    N_("UTF-16LE text"), N_("UTF-16 little-endian text"), "text/plain", "text", "txt", NULL },
  { { MAGIC (0, "\xFE\xFF"), NO_MAGIC }, N_("UTF-16BE byte order mark"),
    N_("UTF-16BE text"), N_("UTF-16 big-endian text"), "text/plain", "text", "txt", NULL },
  /* Weak signatures, validated by their refiners. */
  { { MAGIC (0, "BM"), NO_MAGIC }, N_("BMP file header"),
    N_("BMP"), N_("Windows bitmap image"), "image/bmp", "image", "bmp", refine_bmp },
  { { MAGIC (0, "\0\0\x01\0"), NO_MAGIC }, N_("ICO header"),
    N_("ICO"), N_("Windows icon"), "image/vnd.microsoft.icon", "image", "ico", refine_ico },
  { { MAGIC (0, "\0\0\x02\0"), NO_MAGIC }, N_("CUR header"),
    N_("CUR"), N_("Windows cursor"), "image/x-win-bitmap", "image", "cur", refine_ico },
  { { MAGIC (0, "\x4C\x01"), NO_MAGIC }, N_("COFF machine: Intel 386"),
    N_("COFF object"), N_("COFF object file"), "application/x-coff", "coff", "obj", refine_coff },
  { { MAGIC (0, "\x64\x86"), NO_MAGIC }, N_("COFF machine: x86-64"),
    N_("COFF object"), N_("COFF object file"), "application/x-coff", "coff", "obj", refine_coff },
  { { MAGIC (0, "\x64\xAA"), NO_MAGIC }, N_("COFF machine: ARM64"),
    N_("COFF object"), N_("COFF object file"), "application/x-coff", "coff", "obj", refine_coff },
  { { MAGIC (0, "\xC4\x01"), NO_MAGIC }, N_("COFF machine: ARM Thumb-2"),
    N_("COFF object"), N_("COFF object file"), "application/x-coff", "coff", "obj", refine_coff },
};

static gboolean
signature_matches (const Signature *sig,
                   const SpSpan    *head)
{
  for (guint i = 0; i < G_N_ELEMENTS (sig->magic); i++)
    if (sig->magic[i].length > 0 &&
        !sp_span_has_prefix (head, sig->magic[i].offset, sig->magic[i].bytes,
                             sig->magic[i].length))
      return FALSE;
  return TRUE;
}

static gboolean
match_signatures (Detect *d)
{
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      const Signature *sig = &signatures[i];

      if (!signature_matches (sig, &d->head))
        continue;

      set_type (d, _(sig->name), _(sig->description), sig->mime, sig->family, sig->extension);
      for (guint m = 0; m < G_N_ELEMENTS (sig->magic); m++)
        if (sig->magic[m].length > 0)
          {
            g_autofree char *form = g_strdup_printf (_("form type: %s"), _(sig->description));

            add_evidence (d, &d->head, 0, sig->magic[m].offset, sig->magic[m].length,
                          m == 0 ? _(sig->what) : form);
          }
      if (sig->refine == NULL || sig->refine (d, sig))
        return TRUE;
      g_array_set_size (d->result->evidence, 0);
    }
  return FALSE;
}

/* Plain text -------------------------------------------------------------- */

static gboolean
is_text_control (gunichar c)
{
  if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x1B)
    return FALSE;
  return c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/* Valid UTF-8 without control characters in the first 64 KiB; a multi-byte
 * sequence cut by the end of the sample window is allowed. */
static gboolean
match_text (Detect *d)
{
  SpSpan sample;
  const char *text, *end, *p;
  gboolean ascii = TRUE;
  g_autofree char *what = NULL;

  if (!sp_span_sub (&d->head, 0, MIN (d->head.size, TEXT_SAMPLE_SIZE), &sample) ||
      sample.size == 0)
    return FALSE;
  text = (const char *) sample.data;
  if (!g_utf8_validate_len (text, sample.size, &end))
    {
      gsize rest = sample.size - (gsize) (end - text);

      /* Only a truncated final character is forgiven, and only if the file goes on. */
      if (sample.size >= d->size || rest > 3 ||
          g_utf8_get_char_validated (end, rest) != (gunichar) -2)
        return FALSE;
      ascii = FALSE;
    }

  for (p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_text_control (c))
        return FALSE;
      ascii &= c < 0x80;
    }

  what = g_strdup_printf (ascii ? _("first %u bytes: ASCII, no control characters")
                                : _("first %u bytes: valid UTF-8, no control characters"),
                          (guint) sample.size);
  add_evidence (d, &d->head, 0, 0, MIN (sample.size, 8), what);
  if (ascii)
    set_type (d, _("ASCII text"), _("ASCII text"), "text/plain", "text", "txt");
  else
    set_type (d, _("UTF-8 text"), _("Unicode text, UTF-8"), "text/plain", "text", "txt");
  return TRUE;
}

/* Public API -------------------------------------------------------------- */

static void
guess_with_gio (SpFileType   *self,
                SpSample     *sample,
                const SpSpan *head)
{
  g_autofree char *content_type = NULL;
  gboolean uncertain = FALSE;

  content_type = g_content_type_guess (sp_sample_get_display_name (sample), head->data,
                                       head->size, &uncertain);
  if (content_type == NULL)
    return;
  self->gio_mime = g_content_type_get_mime_type (content_type);
  self->gio_description = g_content_type_get_description (content_type);
  self->gio_content_type = g_steal_pointer (&content_type);
  self->gio_uncertain = uncertain;
}

/**
 * sp_file_type_detect:
 * @sample: the sample
 * @error: return location for a read error
 *
 * Identifies @sample from its first %SP_FILE_TYPE_HEAD_SIZE bytes, plus,
 * for some formats, small bounded reads elsewhere (a PE header past the
 * head, the ZIP central directory at the end). Unknown content is "data".
 *
 * Returns: (transfer full) (nullable): the type, or %NULL if the head of
 * the sample could not be read
 */
SpFileType *
sp_file_type_detect (SpSample  *sample,
                     GError   **error)
{
  g_autoptr(SpFileType) self = NULL;
  g_autoptr(GBytes) head = NULL;
  Detect d = { 0, };

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  head = sp_sample_read_bytes (sample, 0, SP_FILE_TYPE_HEAD_SIZE, error);
  if (head == NULL)
    return NULL;

  self = g_new0 (SpFileType, 1);
  self->evidence = g_array_new (FALSE, FALSE, sizeof (SpEvidence));
  g_array_set_clear_func (self->evidence, evidence_clear);

  d.sample = sample;
  d.size = sp_sample_get_size (sample);
  d.head = sp_span_init (g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  d.buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  d.result = self;

  if (d.size == 0)
    set_type (&d, _("empty"), _("Empty file"), "application/x-zerosize", "other", "");
  else if (!match_signatures (&d) && !match_text (&d))
    set_type (&d, _("data"), _("Unrecognised binary data"), "application/octet-stream", "other",
              "");

  guess_with_gio (self, sample, &d.head);
  g_ptr_array_unref (d.buffers);
  return g_steal_pointer (&self);
}

const char *
sp_file_type_get_name (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
sp_file_type_get_description (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

const char *
sp_file_type_get_mime (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->mime;
}

/**
 * sp_file_type_get_family:
 *
 * Returns: the broad kind: "pe", "elf", "macho", "coff", "zip", "image",
 * "archive", "document", "text", "script", "bytecode", "media",
 * "database" or "other"
 */
const char *
sp_file_type_get_family (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->family;
}

/**
 * sp_file_type_get_extension:
 *
 * Returns: the usual extension without a dot, or "" when there is none
 */
const char *
sp_file_type_get_extension (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->extension;
}

guint
sp_file_type_get_n_evidence (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->evidence->len;
}

/**
 * sp_file_type_get_evidence:
 * @offset: (out) (optional): file offset of the bytes
 * @hex_bytes: (out) (optional): the bytes as "4D 5A" (long runs end in "...")
 * @what: (out) (optional): what the bytes mean
 *
 * Returns: %FALSE if @index is out of range
 */
gboolean
sp_file_type_get_evidence (SpFileType  *self,
                           guint        index,
                           guint64     *offset,
                           const char **hex_bytes,
                           const char **what)
{
  const SpEvidence *ev;

  g_return_val_if_fail (self != NULL, FALSE);
  if (index >= self->evidence->len)
    return FALSE;
  ev = &g_array_index (self->evidence, SpEvidence, index);
  if (offset != NULL)
    *offset = ev->offset;
  if (hex_bytes != NULL)
    *hex_bytes = ev->hex;
  if (what != NULL)
    *what = ev->what;
  return TRUE;
}

const char *
sp_file_type_get_gio_content_type (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->gio_content_type;
}

const char *
sp_file_type_get_gio_mime (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->gio_mime;
}

const char *
sp_file_type_get_gio_description (SpFileType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->gio_description;
}

static void
set_optional_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/**
 * sp_file_type_to_json:
 *
 * Returns: (transfer full): the "type" section of a specimen-report/1 report
 */
JsonObject *
sp_file_type_to_json (SpFileType *self)
{
  JsonObject *object, *gio;
  JsonArray *evidence;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "description", self->description);
  json_object_set_string_member (object, "mime", self->mime);
  json_object_set_string_member (object, "family", self->family);
  json_object_set_string_member (object, "extension", self->extension);

  evidence = json_array_sized_new (self->evidence->len);
  for (guint i = 0; i < self->evidence->len; i++)
    {
      const SpEvidence *ev = &g_array_index (self->evidence, SpEvidence, i);
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "offset", (gint64) ev->offset);
      json_object_set_string_member (item, "bytes", ev->hex);
      json_object_set_string_member (item, "what", ev->what);
      json_array_add_object_element (evidence, item);
    }
  json_object_set_array_member (object, "evidence", evidence);

  gio = json_object_new ();
  set_optional_string (gio, "content_type", self->gio_content_type);
  set_optional_string (gio, "mime", self->gio_mime);
  set_optional_string (gio, "description", self->gio_description);
  json_object_set_boolean_member (gio, "uncertain", self->gio_uncertain);
  json_object_set_object_member (object, "gio", gio);
  return object;
}

void
sp_file_type_free (SpFileType *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->description);
  g_free (self->mime);
  g_free (self->family);
  g_free (self->extension);
  g_array_unref (self->evidence);
  g_free (self->gio_content_type);
  g_free (self->gio_mime);
  g_free (self->gio_description);
  g_free (self);
}

/* Rendering --------------------------------------------------------------- */

static void
field_if_set (SpReportWriter *writer,
              const char     *label,
              const char     *value)
{
  if (value != NULL && value[0] != '\0')
    sp_report_writer_field (writer, label, value);
}

static char *
render_offset (JsonObject *item,
               const char *member)
{
  gint64 offset;

  if (!sp_json_get_int (item, member, &offset))
    return NULL;
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", offset);
}

static const SpRenderColumn evidence_columns[] = {
  { N_("Offset"), "offset", render_offset, 10 },
  { N_("Bytes"), "bytes", sp_render_string, 36 },
  { N_("Meaning"), "what", sp_render_string, 0 },
};

/**
 * sp_file_type_render:
 * @section: the "type" section
 *
 * Writes the fields and the evidence table of a "type" section.
 */
void
sp_file_type_render (JsonObject     *section,
                     SpReportWriter *writer)
{
  JsonObject *gio;

  g_return_if_fail (section != NULL);
  g_return_if_fail (writer != NULL);

  field_if_set (writer, _("Type"), sp_json_get_string (section, "name"));
  field_if_set (writer, _("Description"), sp_json_get_string (section, "description"));
  field_if_set (writer, _("MIME type"), sp_json_get_string (section, "mime"));
  field_if_set (writer, _("Family"), sp_json_get_string (section, "family"));
  field_if_set (writer, _("Usual extension"), sp_json_get_string (section, "extension"));

  gio = sp_json_get_object (section, "gio");
  field_if_set (writer, _("GIO content type"), sp_json_get_string (gio, "content_type"));
  field_if_set (writer, _("GIO MIME type"), sp_json_get_string (gio, "mime"));
  field_if_set (writer, _("GIO description"), sp_json_get_string (gio, "description"));

  sp_render_json_table (writer, NULL, sp_json_get_array (section, "evidence"), evidence_columns,
                        G_N_ELEMENTS (evidence_columns));
}
