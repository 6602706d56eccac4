/* sp-pe.c: Portable Executable headers
 *
 * The headers are read into bounded buffers (at most 16 MiB per structure)
 * and walked with SpSpan; RVAs are mapped to file offsets through the
 * section table like the Windows loader (and pefile) do. Every count from
 * the file is capped, so the worst hostile file costs a bounded amount of
 * memory and I/O and ends in a partial section with warnings.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-pe"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-digests.h"
#include "sp-ioc-scanner.h"
#include "sp-parsers-private.h"
#include "sp-pe-private.h"
#include "sp-pe.h"
#include "sp-span.h"

#define PE_MAX_STRUCTURE        (16 * 1024 * 1024)
#define PE_HEAD_SIZE            (1024 * 1024)
#define PE_CACHE_BUDGET         (G_GUINT64_CONSTANT (128) * 1024 * 1024)
#define PE_LOADER_MAX_SECTIONS  96
#define PE_MAX_SECTIONS         1024
#define PE_MAX_DLLS             512
#define PE_MAX_FUNCTIONS        8192
#define PE_MAX_IMPORTS_TOTAL    65536
#define PE_MAX_EXPORTS          65536
#define PE_MAX_NAME             512
#define PE_MAX_TLS_CALLBACKS    256
#define PE_MAX_DEBUG_ENTRIES    64
#define PE_MAX_RESOURCE_ENTRIES 4096
#define PE_MAX_VERSION_STRINGS  64
#define PE_MAX_VERSION_DEPTH    4
#define PE_CHECKSUM_MAX_SIZE    (G_GUINT64_CONSTANT (512) * 1024 * 1024)
#define PE_COFF_SIZE            20
#define PE_SECTION_SIZE         40

enum
{
  DIR_EXPORT = 0,
  DIR_IMPORT = 1,
  DIR_RESOURCE = 2,
  DIR_SECURITY = 4,
  DIR_DEBUG = 6,
  DIR_TLS = 9,
  DIR_DELAY_IMPORT = 13,
  DIR_CLR = 14,
  N_DIRS = 16
};

static const char * const directory_names[N_DIRS] = {
  "export", "import", "resource", "exception", "security", "basereloc", "debug",
  "architecture", "globalptr", "tls", "load_config", "bound_import", "iat",
  "delay_import", "clr", "reserved",
};

typedef struct
{
  guint32 rva;
  guint32 size;
} PeDirectory;

typedef struct
{
  char    *name;
  guint32  virtual_address;
  guint32  virtual_size;
  guint32  raw_offset;
  guint32  raw_size;
  guint32  characteristics;
  /* Set once the first time a directory needs this section's bytes. */
  GBytes  *data;
  gboolean load_tried;
} PeSection;

typedef struct
{
  SpSample     *sample;
  GCancellable *cancellable;
  SpIocSet     *iocs;
  guint64       file_size;
  SpWarnings    warnings;
  JsonObject   *result;

  GBytes       *head;
  SpSpan        head_span;
  guint64       optional_offset;
  guint16       optional_size;
  gboolean      have_optional;
  gboolean      pe32plus;
  guint64       image_base;
  guint32       file_alignment;
  guint32       entry_point;
  PeDirectory   dirs[N_DIRS];
  PeSection    *sections;
  guint         n_sections;
  guint64       cache_used;
  gboolean      cache_warned;
  gboolean      reproducible;
} PeParser;

typedef struct
{
  guint       value;
  const char *name;
} PeName;

static const PeName machine_names[] = {
  { 0x0000, "unknown" },
  { 0x014c, "i386" },
  { 0x0162, "R3000" },
  { 0x0166, "R4000" },
  { 0x0168, "R10000" },
  { 0x0169, "WCEMIPSV2" },
  { 0x0184, "Alpha" },
  { 0x01a2, "SH3" },
  { 0x01a6, "SH4" },
  { 0x01a8, "SH5" },
  { 0x01c0, "ARM" },
  { 0x01c2, "Thumb" },
  { 0x01c4, "ARMv7 (ARMNT)" },
  { 0x01d3, "AM33" },
  { 0x01f0, "PowerPC" },
  { 0x01f1, "PowerPC FP" },
  { 0x0200, "IA-64" },
  { 0x0266, "MIPS16" },
  { 0x0284, "Alpha64" },
  { 0x0366, "MIPS FPU" },
  { 0x0466, "MIPS16 FPU" },
  { 0x0ebc, "EFI byte code" },
  { 0x5032, "RISC-V 32" },
  { 0x5064, "RISC-V 64" },
  { 0x5128, "RISC-V 128" },
  { 0x6232, "LoongArch 32" },
  { 0x6264, "LoongArch 64" },
  { 0x8664, "AMD64 (x86-64)" },
  { 0x9041, "M32R" },
  { 0xa641, "ARM64EC" },
  { 0xa64e, "ARM64X" },
  { 0xaa64, "ARM64" },
};

static const PeName subsystem_names[] = {
  { 0, "unknown" },
  { 1, "native" },
  { 2, "Windows GUI" },
  { 3, "Windows console" },
  { 5, "OS/2 console" },
  { 7, "POSIX console" },
  { 8, "native Windows 9x driver" },
  { 9, "Windows CE GUI" },
  { 10, "EFI application" },
  { 11, "EFI boot service driver" },
  { 12, "EFI runtime driver" },
  { 13, "EFI ROM" },
  { 14, "Xbox" },
  { 16, "Windows boot application" },
};

static const PeName file_flags[] = {
  { 0x0001, "relocs-stripped" },
  { 0x0002, "executable" },
  { 0x0004, "line-numbers-stripped" },
  { 0x0008, "local-symbols-stripped" },
  { 0x0010, "aggressive-ws-trim" },
  { 0x0020, "large-address-aware" },
  { 0x0080, "bytes-reversed-lo" },
  { 0x0100, "32bit-machine" },
  { 0x0200, "debug-stripped" },
  { 0x0400, "removable-run-from-swap" },
  { 0x0800, "net-run-from-swap" },
  { 0x1000, "system" },
  { 0x2000, "dll" },
  { 0x4000, "uniprocessor-only" },
  { 0x8000, "bytes-reversed-hi" },
};

static const PeName dll_flags[] = {
  { 0x0020, "high-entropy-va" },
  { 0x0040, "dynamic-base (ASLR)" },
  { 0x0080, "force-integrity" },
  { 0x0100, "nx-compat (DEP)" },
  { 0x0200, "no-isolation" },
  { 0x0400, "no-seh" },
  { 0x0800, "no-bind" },
  { 0x1000, "appcontainer" },
  { 0x2000, "wdm-driver" },
  { 0x4000, "guard-cf (CFG)" },
  { 0x8000, "terminal-server-aware" },
};

static const PeName section_flags[] = {
  { 0x00000020, "code" },
  { 0x00000040, "initialized-data" },
  { 0x00000080, "uninitialized-data" },
  { 0x02000000, "discardable" },
  { 0x04000000, "not-cached" },
  { 0x08000000, "not-paged" },
  { 0x10000000, "shared" },
  { 0x20000000, "execute" },
  { 0x40000000, "read" },
  { 0x80000000, "write" },
};

#define SCN_EXECUTE 0x20000000u
#define SCN_WRITE   0x80000000u
#define SCN_UNINITIALIZED 0x00000080u

static const char *
lookup_name (const PeName *table,
             gsize         n,
             guint         value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

static JsonArray *
flags_to_json (const PeName *table,
               gsize         n,
               guint32       value)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; i < n; i++)
    if ((value & table[i].value) == table[i].value)
      json_array_add_string_element (array, table[i].name);
  return array;
}

#define WARN(p, ...) sp_warnings_add (&(p)->warnings, __VA_ARGS__)

static gboolean
is_cancelled (PeParser *p)
{
  return g_cancellable_is_cancelled (p->cancellable);
}

/* ---- RVA mapping ------------------------------------------------------ */

/* Like the loader, raw pointers round down to 512 bytes once the file
 * alignment is at least that. */
static guint64
section_file_offset (PeParser  *p,
                     PeSection *section)
{
  if (p->file_alignment < 0x200)
    return section->raw_offset;
  return section->raw_offset & ~(guint64) 0x1ff;
}

static guint64
section_mapped_size (PeParser *p,
                     guint     index)
{
  PeSection *section = &p->sections[index];
  guint64 size, start = section_file_offset (p, section);

  /* A raw size larger than the rest of the file is a lie; trust the virtual size then. */
  if (start > p->file_size || p->file_size - start < section->raw_size)
    size = section->virtual_size;
  else
    size = MAX (section->raw_size, section->virtual_size);

  if (index + 1 < p->n_sections)
    {
      guint32 next = p->sections[index + 1].virtual_address;

      if (next > section->virtual_address && section->virtual_address + size > next)
        size = next - section->virtual_address;
    }
  return size;
}

static gint
find_section (PeParser *p,
              guint64   rva)
{
  for (guint i = 0; i < p->n_sections; i++)
    {
      PeSection *section = &p->sections[i];

      if (rva >= section->virtual_address &&
          rva - section->virtual_address < section_mapped_size (p, i))
        return (gint) i;
    }
  return -1;
}

static gboolean
load_section (PeParser  *p,
              PeSection *section,
              SpSpan    *span)
{
  if (!section->load_tried)
    {
      guint64 offset = section_file_offset (p, section);
      guint64 length = 0;
      g_autoptr(GError) error = NULL;

      section->load_tried = TRUE;
      if (offset < p->file_size)
        length = MIN ((guint64) section->raw_size, p->file_size - offset);
      if (length > PE_MAX_STRUCTURE)
        {
          WARN (p, _("Section %s is larger than 16 MiB; only its first 16 MiB are parsed."),
                section->name);
          length = PE_MAX_STRUCTURE;
        }
      if (p->cache_used + length > PE_CACHE_BUDGET)
        {
          if (!p->cache_warned)
            WARN (p,
                  _("The sections referenced by the headers exceed 128 MiB; the rest is not "
                    "parsed."));
          p->cache_warned = TRUE;
          return FALSE;
        }
      section->data = sp_sample_read_bytes (p->sample, offset, (gsize) length, &error);
      if (section->data == NULL)
        {
          WARN (p, _("Could not read section %s at offset 0x%" PRIx64 ": %s"),
                section->name, offset, error->message);
          return FALSE;
        }
      p->cache_used += length;
    }
  if (section->data == NULL)
    return FALSE;
  *span = sp_span_init (g_bytes_get_data (section->data, NULL), g_bytes_get_size (section->data));
  return TRUE;
}

/*
 * map_rva:
 * @span: (out): the file bytes from @rva to the end of what is mapped there
 * @file_offset: (out) (optional): where @rva lies in the file
 *
 * Returns: %FALSE if @rva has no bytes in the file (outside every section,
 * in a section's zero-filled tail, or past the end of the file).
 */
static gboolean
map_rva (PeParser *p,
         guint64   rva,
         SpSpan   *span,
         guint64  *file_offset)
{
  gint index = find_section (p, rva);

  if (index >= 0)
    {
      PeSection *section = &p->sections[index];
      guint64 delta = rva - section->virtual_address;
      SpSpan data;

      if (!load_section (p, section, &data) || delta >= data.size)
        return FALSE;
      if (file_offset != NULL)
        *file_offset = section_file_offset (p, section) + delta;
      return sp_span_sub (&data, delta, data.size - delta, span);
    }

  /* Outside every section the image maps the file itself, as pefile does. */
  if (rva >= p->head_span.size)
    return FALSE;
  if (file_offset != NULL)
    *file_offset = rva;
  return sp_span_sub (&p->head_span, rva, p->head_span.size - rva, span);
}

static char *
read_cstring_at_rva (PeParser *p,
                     guint64   rva,
                     guint64  *file_offset)
{
  SpSpan span;
  g_autofree char *raw = NULL;

  if (!map_rva (p, rva, &span, file_offset))
    return NULL;
  raw = sp_span_dup_cstring (&span, 0, PE_MAX_NAME, NULL);
  if (raw == NULL)
    return NULL;
  return sp_parser_printable ((const guint8 *) raw, strlen (raw));
}

/* ---- headers ------------------------------------------------------------ */

static void
describe_timestamp (PeParser *p,
                    guint32   stamp)
{
  JsonObject *r = p->result;
  g_autofree char *utc = NULL;
  const char *note = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_object_set_int_member (r, "timestamp", stamp);
  if (stamp == 0)
    note = _("zero: the date was removed");
  else if (p->reproducible)
    note = _("a reproducible-build hash, not a date");
  else if ((gint64) stamp > now + 24 * 3600)
    note = _("in the future: forged or a build hash");
  else if (stamp < 631152000)
    note = _("before 1990: forged or a compiler default");

  if (stamp != 0 && !p->reproducible)
    {
      utc = sp_parser_format_utc (stamp);
      if (utc != NULL)
        json_object_set_string_member (r, "timestamp_utc", utc);
    }
  if (note != NULL)
    json_object_set_string_member (r, "timestamp_note", note);
}

static void
parse_optional_header (PeParser     *p,
                       const SpSpan *nt,
                       guint64       start)
{
  JsonObject *r = p->result;
  SpSpan opt;
  guint64 available;
  guint16 magic, u16;
  guint32 u32, n_dirs;
  guint64 image_base = 0;
  guint8 major, minor;
  guint dir_offset;

  available = nt->size > start ? nt->size - start : 0;
  if (available < p->optional_size)
    WARN (p,
          _("Optional header truncated at offset 0x%" PRIx64 ": %u bytes declared, "
            "%" PRIu64 " present."),
          p->optional_offset, p->optional_size, available);
  if (!sp_span_sub (nt, start, MIN ((guint64) p->optional_size, available), &opt) ||
      !sp_span_read_u16_le (&opt, 0, &magic))
    {
      WARN (p,
            _("The optional header is missing; entry point, image base and directories are "
              "unknown."));
      return;
    }

  json_object_set_int_member (r, "magic", magic);
  if (magic == 0x10b)
    p->pe32plus = FALSE;
  else if (magic == 0x20b)
    p->pe32plus = TRUE;
  else
    {
      WARN (p,
            _("Unknown optional header magic 0x%x at offset 0x%" PRIx64 "; expected 0x10b (PE32) "
              "or 0x20b (PE32+)."),
            magic, p->optional_offset);
      return;
    }
  p->have_optional = TRUE;
  json_object_set_boolean_member (r, "pe32plus", p->pe32plus);
  json_object_set_string_member (r, "format", p->pe32plus ? "PE32+" : "PE32");

  if (sp_span_read_u8 (&opt, 2, &major) && sp_span_read_u8 (&opt, 3, &minor))
    {
      g_autofree char *version = g_strdup_printf ("%u.%u", major, minor);
      json_object_set_string_member (r, "linker_version", version);
    }
  if (sp_span_read_u32_le (&opt, 16, &u32))
    {
      p->entry_point = u32;
      json_object_set_int_member (r, "entry_point", u32);
    }
  if (p->pe32plus ? sp_span_read_u64_le (&opt, 24, &image_base)
                  : (sp_span_read_u32_le (&opt, 28, &u32) && ((image_base = u32), TRUE)))
    {
      p->image_base = image_base;
      json_object_set_int_member (r, "image_base", (gint64) image_base);
    }
  if (sp_span_read_u32_le (&opt, 32, &u32))
    json_object_set_int_member (r, "section_alignment", u32);
  if (sp_span_read_u32_le (&opt, 36, &u32))
    {
      p->file_alignment = u32;
      json_object_set_int_member (r, "file_alignment", u32);
    }
  {
    static const struct { guint offset; const char *member; } versions[] = {
      { 40, "os_version" }, { 44, "image_version" }, { 48, "subsystem_version" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
      {
        guint16 hi, lo;

        if (sp_span_read_u16_le (&opt, versions[i].offset, &hi) &&
            sp_span_read_u16_le (&opt, versions[i].offset + 2, &lo))
          {
            g_autofree char *version = g_strdup_printf ("%u.%u", hi, lo);
            json_object_set_string_member (r, versions[i].member, version);
          }
      }
  }
  if (sp_span_read_u32_le (&opt, 56, &u32))
    json_object_set_int_member (r, "size_of_image", u32);
  if (sp_span_read_u32_le (&opt, 60, &u32))
    json_object_set_int_member (r, "size_of_headers", u32);
  if (sp_span_read_u32_le (&opt, 64, &u32))
    json_object_set_int_member (r, "checksum_stored", u32);
  if (sp_span_read_u16_le (&opt, 68, &u16))
    {
      const char *name = lookup_name (subsystem_names, G_N_ELEMENTS (subsystem_names), u16);

      json_object_set_int_member (r, "subsystem", u16);
      json_object_set_string_member (r, "subsystem_name", name != NULL ? name : "unknown");
    }
  if (sp_span_read_u16_le (&opt, 70, &u16))
    {
      json_object_set_int_member (r, "dll_characteristics", u16);
      json_object_set_array_member (r, "dll_characteristics_flags",
                                    flags_to_json (dll_flags, G_N_ELEMENTS (dll_flags), u16));
    }

  dir_offset = p->pe32plus ? 112 : 96;
  if (!sp_span_read_u32_le (&opt, dir_offset - 4, &n_dirs))
    {
      WARN (p, _("The optional header ends before its data directories."));
      return;
    }
  json_object_set_int_member (r, "number_of_rva_and_sizes", n_dirs);
  if (n_dirs > N_DIRS)
    {
      WARN (p, _("NumberOfRvaAndSizes is %u; only the 16 defined data directories are read."),
            n_dirs);
      n_dirs = N_DIRS;
    }
  {
    JsonArray *dirs = json_array_new ();

    for (guint i = 0; i < n_dirs; i++)
      {
        JsonObject *dir;

        if (!sp_span_read_u32_le (&opt, dir_offset + i * 8, &p->dirs[i].rva) ||
            !sp_span_read_u32_le (&opt, dir_offset + i * 8 + 4, &p->dirs[i].size))
          {
            p->dirs[i].rva = p->dirs[i].size = 0;
            WARN (p,
                  _("Data directory table truncated at offset 0x%" PRIx64 ": %u of %u entries "
                    "read."),
                  p->optional_offset + dir_offset + i * 8, i, n_dirs);
            break;
          }
        if (p->dirs[i].rva == 0 && p->dirs[i].size == 0)
          continue;
        dir = json_object_new ();
        json_object_set_string_member (dir, "name", directory_names[i]);
        json_object_set_int_member (dir, "rva", p->dirs[i].rva);
        json_object_set_int_member (dir, "size", p->dirs[i].size);
        json_array_add_object_element (dirs, dir);
      }
    json_object_set_array_member (r, "data_directories", dirs);
  }
}

static void
parse_section_table (PeParser     *p,
                     const SpSpan *nt,
                     guint64       table_start,
                     guint64       table_file_offset,
                     guint         declared)
{
  guint wanted = MIN (declared, PE_MAX_SECTIONS);

  if (declared > PE_LOADER_MAX_SECTIONS)
    WARN (p, _("The header declares %u sections; Windows loads at most 96."), declared);
  if (declared > PE_MAX_SECTIONS)
    WARN (p, _("Only the first %u of %u sections are read."), PE_MAX_SECTIONS, declared);

  p->sections = g_new0 (PeSection, MAX (wanted, 1));
  for (guint i = 0; i < wanted; i++)
    {
      PeSection *s = &p->sections[p->n_sections];
      guint64 entry = table_start + (guint64) i * PE_SECTION_SIZE;
      guint8 name[8];
      gsize name_length;

      if (!sp_span_read_bytes (nt, entry, sizeof name, name) ||
          !sp_span_read_u32_le (nt, entry + 8, &s->virtual_size) ||
          !sp_span_read_u32_le (nt, entry + 12, &s->virtual_address) ||
          !sp_span_read_u32_le (nt, entry + 16, &s->raw_size) ||
          !sp_span_read_u32_le (nt, entry + 20, &s->raw_offset) ||
          !sp_span_read_u32_le (nt, entry + 36, &s->characteristics))
        {
          WARN (p, _("Section table truncated at offset 0x%" PRIx64 ": %u of %u entries read."),
                table_file_offset + (guint64) i * PE_SECTION_SIZE, i, declared);
          break;
        }
      for (name_length = 0; name_length < sizeof name && name[name_length] != 0; name_length++)
        ;
      s->name = sp_parser_printable (name, name_length);
      p->n_sections++;
    }
}

/* Flags sections the way an analyst triages a packed sample. */
static JsonArray *
section_anomalies (PeParser  *p,
                   PeSection *s,
                   guint64    file_offset)
{
  JsonArray *anomalies = json_array_new ();

  if ((s->characteristics & SCN_WRITE) && (s->characteristics & SCN_EXECUTE))
    {
      json_array_add_string_element (anomalies, "writable-executable");
      WARN (p, _("Section %s is both writable and executable."), s->name);
    }
  if (g_str_has_prefix (s->name, "UPX") || g_str_has_prefix (s->name, ".UPX"))
    json_array_add_string_element (anomalies, "packer-name");
  /* A .bss has no raw data by design; code or data sections without any are
   * filled at run time, as packers do. */
  if (s->raw_size == 0 && s->virtual_size > 0 &&
      ((s->characteristics & SCN_EXECUTE) || !(s->characteristics & SCN_UNINITIALIZED)))
    json_array_add_string_element (anomalies, "zero-raw-size");
  else if (s->virtual_size > 0 && s->virtual_size / 4 > s->raw_size &&
           s->virtual_size - s->raw_size > 64 * 1024)
    json_array_add_string_element (anomalies, "virtual-much-larger-than-raw");
  if (s->raw_size > 0 && (file_offset >= p->file_size || p->file_size - file_offset < s->raw_size))
    {
      json_array_add_string_element (anomalies, "raw-data-past-end");
      WARN (p,
            _("Section %s declares raw data at 0x%" PRIx64 "+0x%x, past the end of the file "
              "(0x%" PRIx64 " bytes)."),
            s->name, file_offset, s->raw_size, p->file_size);
    }
  return anomalies;
}

static void
sections_to_json (PeParser *p)
{
  JsonArray *array = json_array_new ();
  SpEntropyBudget budget;
  gboolean packer_names = FALSE;
  guint unmeasured = 0;

  sp_entropy_budget_init (&budget, p->sample, p->cancellable);
  for (guint i = 0; i < p->n_sections; i++)
    {
      PeSection *s = &p->sections[i];
      JsonObject *object = json_object_new ();
      guint64 offset = section_file_offset (p, s);
      guint64 length = 0;
      double entropy;

      json_object_set_string_member (object, "name", s->name);
      json_object_set_int_member (object, "virtual_address", s->virtual_address);
      json_object_set_int_member (object, "virtual_size", s->virtual_size);
      json_object_set_int_member (object, "raw_offset", s->raw_offset);
      json_object_set_int_member (object, "raw_size", s->raw_size);
      json_object_set_int_member (object, "characteristics", s->characteristics);
      json_object_set_array_member (object, "flags",
                                    flags_to_json (section_flags, G_N_ELEMENTS (section_flags),
                                                   s->characteristics));
      if (offset < p->file_size)
        length = MIN ((guint64) s->raw_size, p->file_size - offset);
      if (sp_entropy_budget_measure (&budget, offset, length, &entropy))
        json_object_set_double_member (object, "entropy", entropy);
      else if (length > 0)
        unmeasured++;
      json_object_set_array_member (object, "anomalies", section_anomalies (p, s, offset));
      if (g_str_has_prefix (s->name, "UPX"))
        packer_names = TRUE;
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (p->result, "sections", array);
  if (unmeasured > 0 && !g_cancellable_is_cancelled (p->cancellable))
    WARN (p, _("The entropy of %u sections was not measured: together they claim far more data "
               "than the file holds."), unmeasured);
  if (packer_names)
    json_object_set_string_member (p->result, "packer_hint", "UPX");
}

/* ---- debug directory (reproducible builds, PDB path) -------------------- */

static void
parse_debug_directory (PeParser *p)
{
  PeDirectory *dir = &p->dirs[DIR_DEBUG];
  SpSpan span;
  guint count;

  if (dir->rva == 0 || dir->size == 0)
    return;
  if (!map_rva (p, dir->rva, &span, NULL))
    {
      WARN (p, _("The debug directory at RVA 0x%x is not in the file."), dir->rva);
      return;
    }
  count = MIN (dir->size / 28, PE_MAX_DEBUG_ENTRIES);
  for (guint i = 0; i < count; i++)
    {
      guint32 type, size, pointer;

      if (!sp_span_read_u32_le (&span, i * 28 + 12, &type) ||
          !sp_span_read_u32_le (&span, i * 28 + 16, &size) ||
          !sp_span_read_u32_le (&span, i * 28 + 24, &pointer))
        {
          WARN (p, _("The debug directory at RVA 0x%x is truncated after %u entries."), dir->rva,
                i);
          break;
        }
      if (type == 16)
        p->reproducible = TRUE;
      else if (type == 2 && size >= 24 && !json_object_has_member (p->result, "pdb_path"))
        {
          g_autoptr(GBytes) bytes = sp_sample_read_bytes (p->sample, pointer,
                                                          MIN (size, 24 + 1024), NULL);
          SpSpan cv;
          g_autofree char *path = NULL;

          if (bytes == NULL)
            continue;
          cv = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          if (sp_span_has_prefix (&cv, 0, "RSDS", 4))
            {
              g_autofree char *raw = sp_span_dup_cstring (&cv, 24, 1024, NULL);

              if (raw != NULL)
                path = g_utf8_make_valid (raw, -1);
            }
          if (path != NULL && *path != '\0')
            json_object_set_string_member (p->result, "pdb_path", path);
        }
    }
}

/* ---- imports -------------------------------------------------------------- */

/* Adds an imported API the IOC table calls suspicious. The indicator's
 * value is the name without its A/W variant suffix when the table folded
 * it, so CreateProcessA and CreateProcessW merge into one indicator. */
static void
report_api (PeParser   *p,
            const char *dll,
            const char *function,
            guint64     offset)
{
  const char * const *tags;
  g_autofree char *raw = NULL;
  g_autofree char *stem = NULL;
  gsize length;

  if (p->iocs == NULL)
    return;
  tags = sp_ioc_api_lookup (function);
  if (tags == NULL)
    return;
  length = strlen (function);
  if (length > 1 && (function[length - 1] == 'A' || function[length - 1] == 'W'))
    {
      stem = g_strndup (function, length - 1);
      if (sp_ioc_api_lookup (stem) != tags)
        g_clear_pointer (&stem, g_free);
    }
  raw = g_strdup_printf ("%s!%s", dll, function);
  sp_ioc_set_add (p->iocs, SP_IOC_API, stem != NULL ? stem : function, raw, offset, tags);
}

typedef struct
{
  GString *imphash_input;
  guint    total_functions;
} ImportState;

/*
 * parse_thunks:
 *
 * Reads one DLL's lookup table (an array of 32- or 64-bit thunks ending in
 * zero) into @functions, and the imphash terms if @imphash is set.
 */
static void
parse_thunks (PeParser    *p,
              ImportState *state,
              const char  *dll,
              guint64      table_rva,
              JsonArray   *functions,
              gboolean     imphash)
{
  g_autofree char *dll_lower = g_ascii_strdown (dll, -1);
  g_autofree char *lib = NULL;
  guint entry_size = p->pe32plus ? 8 : 4;
  const char *dot;
  SpSpan table;

  lib = g_strdup (dll_lower);
  dot = strrchr (lib, '.');
  if (dot != NULL && (strcmp (dot, ".dll") == 0 || strcmp (dot, ".ocx") == 0 ||
                      strcmp (dot, ".sys") == 0))
    lib[dot - lib] = '\0';

  if (!map_rva (p, table_rva, &table, NULL))
    {
      WARN (p, _("The import lookup table of %s at RVA 0x%" PRIx64 " is not in the file."), dll,
            table_rva);
      return;
    }

  for (guint i = 0;; i++)
    {
      guint64 thunk, name_offset = 0;
      gboolean by_ordinal;
      g_autofree char *shown = NULL;
      g_autofree char *hash_name = NULL;

      if (i >= PE_MAX_FUNCTIONS || state->total_functions >= PE_MAX_IMPORTS_TOTAL)
        {
          WARN (p, _("%s imports more functions than the %u read."), dll, i);
          break;
        }
      if (p->pe32plus)
        {
          if (!sp_span_read_u64_le (&table, (guint64) i * entry_size, &thunk))
            thunk = G_MAXUINT64;
        }
      else
        {
          guint32 thunk32;

          if (sp_span_read_u32_le (&table, (guint64) i * entry_size, &thunk32))
            thunk = thunk32;
          else
            thunk = G_MAXUINT64;
        }
      if (thunk == G_MAXUINT64)
        {
          WARN (p, _("The import lookup table of %s is truncated after %u entries."), dll, i);
          break;
        }
      if (thunk == 0)
        break;

      by_ordinal = p->pe32plus ? (thunk >> 63) != 0 : (thunk >> 31) != 0;
      if (by_ordinal)
        {
          guint16 ordinal = thunk & 0xffff;
          const char *known = sp_pe_ordinal_lookup (dll_lower, ordinal);

          shown = g_strdup_printf ("ord:%u", ordinal);
          if (known != NULL)
            hash_name = g_ascii_strdown (known, -1);
          else
            hash_name = g_strdup_printf ("ord%u", ordinal);
        }
      else
        {
          char *name = read_cstring_at_rva (p, (thunk & 0x7fffffff) + 2, &name_offset);

          if (name == NULL)
            {
              WARN (p, _("Import %u of %s names RVA 0x%" PRIx64 ", which is not in the file."),
                    i, dll, (guint64) (thunk & 0x7fffffff));
              name = g_strdup ("*invalid*");
            }
          shown = name;
          hash_name = g_ascii_strdown (name, -1);
          report_api (p, dll, name, name_offset);
        }
      json_array_add_string_element (functions, shown);
      state->total_functions++;

      if (imphash)
        {
          if (state->imphash_input->len > 0)
            g_string_append_c (state->imphash_input, ',');
          g_string_append_printf (state->imphash_input, "%s.%s", lib, hash_name);
        }
    }
}

static void
parse_imports (PeParser    *p,
               ImportState *state)
{
  PeDirectory *dir = &p->dirs[DIR_IMPORT];
  JsonArray *imports;
  SpSpan span;

  if (dir->rva == 0)
    return;
  if (!map_rva (p, dir->rva, &span, NULL))
    {
      WARN (p, _("The import directory at RVA 0x%x is not in the file."), dir->rva);
      return;
    }

  imports = json_array_new ();
  for (guint i = 0;; i++)
    {
      guint32 lookup, name_rva, first_thunk;
      guint8 descriptor[20];
      static const guint8 zero[20] = { 0 };
      g_autofree char *dll = NULL;
      JsonObject *entry;
      JsonArray *functions;

      if (i >= PE_MAX_DLLS)
        {
          WARN (p, _("More than %u imported DLLs; the rest are not read."), PE_MAX_DLLS);
          break;
        }
      if (!sp_span_read_bytes (&span, (guint64) i * 20, sizeof descriptor, descriptor))
        {
          WARN (p, _("The import directory is truncated after %u descriptors."), i);
          break;
        }
      if (memcmp (descriptor, zero, sizeof zero) == 0)
        break;
      sp_span_read_u32_le (&span, (guint64) i * 20, &lookup);
      sp_span_read_u32_le (&span, (guint64) i * 20 + 12, &name_rva);
      sp_span_read_u32_le (&span, (guint64) i * 20 + 16, &first_thunk);

      dll = read_cstring_at_rva (p, name_rva, NULL);
      if (dll == NULL)
        {
          WARN (p, _("Import descriptor %u names RVA 0x%x, which is not in the file."), i,
                name_rva);
          dll = g_strdup ("*invalid*");
        }
      entry = json_object_new ();
      functions = json_array_new ();
      json_object_set_string_member (entry, "dll", dll);
      parse_thunks (p, state, dll, lookup != 0 ? lookup : first_thunk, functions, TRUE);
      json_object_set_array_member (entry, "functions", functions);
      json_array_add_object_element (imports, entry);
      if (is_cancelled (p))
        break;
    }
  json_object_set_array_member (p->result, "imports", imports);
}

static void
parse_delay_imports (PeParser    *p,
                     ImportState *state)
{
  PeDirectory *dir = &p->dirs[DIR_DELAY_IMPORT];
  JsonArray *imports;
  SpSpan span;

  if (dir->rva == 0)
    return;
  if (!map_rva (p, dir->rva, &span, NULL))
    {
      WARN (p, _("The delay-load import directory at RVA 0x%x is not in the file."), dir->rva);
      return;
    }

  imports = json_array_new ();
  for (guint i = 0;; i++)
    {
      guint32 attributes, name, lookup;
      guint64 name_rva, lookup_rva;
      guint8 descriptor[32];
      static const guint8 zero[32] = { 0 };
      g_autofree char *dll = NULL;
      JsonObject *entry;
      JsonArray *functions;

      if (i >= PE_MAX_DLLS)
        {
          WARN (p, _("More than %u delay-loaded DLLs; the rest are not read."), PE_MAX_DLLS);
          break;
        }
      if (!sp_span_read_bytes (&span, (guint64) i * 32, sizeof descriptor, descriptor))
        {
          WARN (p, _("The delay-load import directory is truncated after %u descriptors."), i);
          break;
        }
      if (memcmp (descriptor, zero, sizeof zero) == 0)
        break;
      sp_span_read_u32_le (&span, (guint64) i * 32, &attributes);
      sp_span_read_u32_le (&span, (guint64) i * 32 + 4, &name);
      sp_span_read_u32_le (&span, (guint64) i * 32 + 16, &lookup);
      name_rva = name;
      lookup_rva = lookup;
      /* Old (Visual C++ 6) descriptors hold virtual addresses instead of RVAs. */
      if ((attributes & 1) == 0)
        {
          name_rva = name >= p->image_base ? name - p->image_base : G_MAXUINT64;
          lookup_rva = lookup >= p->image_base ? lookup - p->image_base : G_MAXUINT64;
        }

      dll = name_rva <= G_MAXUINT32 ? read_cstring_at_rva (p, name_rva, NULL) : NULL;
      if (dll == NULL)
        {
          WARN (p, _("Delay-load descriptor %u names address 0x%x, which is not in the file."), i,
                name);
          dll = g_strdup ("*invalid*");
        }
      entry = json_object_new ();
      functions = json_array_new ();
      json_object_set_string_member (entry, "dll", dll);
      if (lookup_rva <= G_MAXUINT32 && lookup_rva != 0)
        parse_thunks (p, state, dll, lookup_rva, functions, FALSE);
      json_object_set_array_member (entry, "functions", functions);
      json_array_add_object_element (imports, entry);
      if (is_cancelled (p))
        break;
    }
  json_object_set_array_member (p->result, "delay_imports", imports);
}

/* ---- exports -------------------------------------------------------------- */

static void
parse_exports (PeParser *p)
{
  PeDirectory *dir = &p->dirs[DIR_EXPORT];
  guint32 name_rva, base, n_functions, n_names, functions_rva, names_rva, ordinals_rva;
  g_autofree guint8 *named = NULL;
  g_autofree char *dll_name = NULL;
  SpSpan span, functions, names, ordinals;
  gboolean have_functions, have_names, have_ordinals;
  JsonArray *exports;
  guint emitted = 0;

  if (dir->rva == 0)
    return;
  if (!map_rva (p, dir->rva, &span, NULL) ||
      !sp_span_read_u32_le (&span, 12, &name_rva) ||
      !sp_span_read_u32_le (&span, 16, &base) ||
      !sp_span_read_u32_le (&span, 20, &n_functions) ||
      !sp_span_read_u32_le (&span, 24, &n_names) ||
      !sp_span_read_u32_le (&span, 28, &functions_rva) ||
      !sp_span_read_u32_le (&span, 32, &names_rva) ||
      !sp_span_read_u32_le (&span, 36, &ordinals_rva))
    {
      WARN (p, _("The export directory at RVA 0x%x is not in the file or truncated."), dir->rva);
      return;
    }

  dll_name = read_cstring_at_rva (p, name_rva, NULL);
  if (dll_name != NULL)
    json_object_set_string_member (p->result, "export_name", dll_name);
  if (n_functions > PE_MAX_EXPORTS)
    {
      WARN (p, _("The export directory declares %u functions; only %u are read."), n_functions,
            PE_MAX_EXPORTS);
      n_functions = PE_MAX_EXPORTS;
    }
  if (n_names > PE_MAX_EXPORTS)
    {
      WARN (p, _("The export directory declares %u names; only %u are read."), n_names,
            PE_MAX_EXPORTS);
      n_names = PE_MAX_EXPORTS;
    }

  have_functions = map_rva (p, functions_rva, &functions, NULL);
  have_names = map_rva (p, names_rva, &names, NULL);
  have_ordinals = map_rva (p, ordinals_rva, &ordinals, NULL);
  if (n_functions > 0 && !have_functions)
    WARN (p, _("The export address table at RVA 0x%x is not in the file."), functions_rva);
  if (n_names > 0 && (!have_names || !have_ordinals))
    WARN (p, _("The export name tables at RVA 0x%x and 0x%x are not in the file."), names_rva,
          ordinals_rva);

  exports = json_array_new ();
  named = g_new0 (guint8, MAX (n_functions, 1));
  for (guint i = 0; have_names && have_ordinals && i < n_names; i++)
    {
      guint32 entry_name_rva, function_rva = 0;
      guint16 index;
      g_autofree char *name = NULL;
      JsonObject *object;

      if (!sp_span_read_u32_le (&names, (guint64) i * 4, &entry_name_rva) ||
          !sp_span_read_u16_le (&ordinals, (guint64) i * 2, &index))
        {
          WARN (p, _("The export name tables are truncated after %u entries."), i);
          break;
        }
      name = read_cstring_at_rva (p, entry_name_rva, NULL);
      object = json_object_new ();
      json_object_set_int_member (object, "ordinal", (gint64) base + index);
      json_object_set_string_member (object, "name", name != NULL ? name : "*invalid*");
      if (index < n_functions && have_functions &&
          sp_span_read_u32_le (&functions, (guint64) index * 4, &function_rva))
        {
          named[index] = 1;
          json_object_set_int_member (object, "rva", function_rva);
          if (function_rva >= dir->rva && function_rva - dir->rva < dir->size)
            {
              g_autofree char *forwarder = read_cstring_at_rva (p, function_rva, NULL);

              if (forwarder != NULL)
                json_object_set_string_member (object, "forwarder", forwarder);
            }
        }
      json_array_add_object_element (exports, object);
      emitted++;
    }
  for (guint i = 0; have_functions && i < n_functions && emitted < PE_MAX_EXPORTS; i++)
    {
      guint32 function_rva;
      JsonObject *object;

      if (named[i])
        continue;
      if (!sp_span_read_u32_le (&functions, (guint64) i * 4, &function_rva))
        {
          WARN (p, _("The export address table is truncated after %u entries."), i);
          break;
        }
      if (function_rva == 0)
        continue;
      object = json_object_new ();
      json_object_set_int_member (object, "ordinal", (gint64) base + i);
      json_object_set_int_member (object, "rva", function_rva);
      json_array_add_object_element (exports, object);
      emitted++;
    }
  json_object_set_array_member (p->result, "exports", exports);
}

/* ---- resources: version information ---------------------------------------- */

typedef struct
{
  PeParser   *p;
  SpSpan      root;
  GHashTable *visited;
  guint       entries_seen;
} ResourceWalk;

/* Finds the first data entry under @directory_offset (depth-first), at most
 * three levels deep, refusing directories already visited. */
static gboolean
find_resource_data (ResourceWalk *walk,
                    guint32       directory_offset,
                    guint         depth,
                    gint64        wanted_type,
                    guint32      *data_entry_offset)
{
  guint16 n_named, n_ids;
  guint total;

  if (depth >= 3)
    return FALSE;
  if (g_hash_table_contains (walk->visited, GUINT_TO_POINTER (directory_offset + 1)))
    {
      WARN (walk->p, _("The resource tree loops back to offset 0x%x; the loop is not followed."),
            directory_offset);
      return FALSE;
    }
  g_hash_table_add (walk->visited, GUINT_TO_POINTER (directory_offset + 1));

  if (!sp_span_read_u16_le (&walk->root, (guint64) directory_offset + 12, &n_named) ||
      !sp_span_read_u16_le (&walk->root, (guint64) directory_offset + 14, &n_ids))
    {
      WARN (walk->p, _("Resource directory at offset 0x%x of the resource section is truncated."),
            directory_offset);
      return FALSE;
    }
  total = (guint) n_named + n_ids;
  for (guint i = 0; i < total; i++)
    {
      guint64 entry = (guint64) directory_offset + 16 + (guint64) i * 8;
      guint32 name, target;

      if (++walk->entries_seen > PE_MAX_RESOURCE_ENTRIES)
        {
          WARN (walk->p, _("The resource tree has more than %u entries; the rest is not read."),
                PE_MAX_RESOURCE_ENTRIES);
          return FALSE;
        }
      if (!sp_span_read_u32_le (&walk->root, entry, &name) ||
          !sp_span_read_u32_le (&walk->root, entry + 4, &target))
        {
          WARN (walk->p, _("Resource directory at offset 0x%x is truncated after %u entries."),
                directory_offset, i);
          return FALSE;
        }
      if (depth == 0 && (wanted_type < 0 || (name & 0x80000000u) || name != wanted_type))
        continue;
      if (target & 0x80000000u)
        {
          if (find_resource_data (walk, target & 0x7fffffffu, depth + 1, wanted_type,
                                  data_entry_offset))
            return TRUE;
        }
      else if (depth == 2)
        {
          *data_entry_offset = target;
          return TRUE;
        }
    }
  return FALSE;
}

typedef struct
{
  PeParser   *p;
  SpSpan      span;
  JsonObject *strings;
  guint       n_strings;
  guint       n_blocks;
} VersionWalk;

static guint64
align4 (guint64 value)
{
  return (value + 3) & ~(guint64) 3;
}

/* One VS_VERSIONINFO-style block: wLength, wValueLength, wType, key, padding,
 * value, padding, children. String values are collected at depth 3
 * (VS_VERSIONINFO > StringFileInfo > StringTable > String). */
static void
walk_version_block (VersionWalk *walk,
                    guint64      offset,
                    guint64      limit,
                    guint        depth)
{
  guint16 length, value_length, type;
  guint64 end, key_end, value_start, child;
  g_autofree char *key = NULL;

  if (depth > PE_MAX_VERSION_DEPTH || ++walk->n_blocks > 4096)
    return;
  if (!sp_span_read_u16_le (&walk->span, offset, &length) ||
      !sp_span_read_u16_le (&walk->span, offset + 2, &value_length) ||
      !sp_span_read_u16_le (&walk->span, offset + 4, &type) || length < 6)
    return;
  end = MIN (offset + length, limit);
  key = sp_parser_utf16le_to_utf8 (&walk->span, offset + 6, 128, &key_end);
  if (key == NULL)
    return;
  value_start = align4 (key_end);

  if (depth == 0)
    {
      if (strcmp (key, "VS_VERSION_INFO") != 0)
        {
          WARN (walk->p, _("The version resource does not start with VS_VERSION_INFO."));
          return;
        }
      child = align4 (value_start + value_length);
    }
  else if (depth == 3)
    {
      g_autofree char *value = NULL;
      SpSpan bounded;

      if (value_start >= end || walk->n_strings >= PE_MAX_VERSION_STRINGS)
        return;
      if (!sp_span_sub (&walk->span, 0, end, &bounded))
        return;
      value = sp_parser_utf16le_to_utf8 (&bounded, value_start, 4096, NULL);
      if (value != NULL && *key != '\0' && !json_object_has_member (walk->strings, key))
        {
          json_object_set_string_member (walk->strings, key, value);
          walk->n_strings++;
        }
      return;
    }
  else if (depth == 1)
    {
      /* VarFileInfo holds only the translation table. */
      if (strcmp (key, "StringFileInfo") != 0)
        return;
      child = align4 (value_start + (guint64) value_length * (type == 1 ? 2 : 1));
    }
  else
    child = align4 (value_start + (guint64) value_length * (type == 1 ? 2 : 1));

  while (child + 6 <= end)
    {
      guint16 child_length;

      if (!sp_span_read_u16_le (&walk->span, child, &child_length) || child_length < 6)
        break;
      walk_version_block (walk, child, end, depth + 1);
      child = align4 (child + child_length);
    }
}

static void
parse_version_info (PeParser *p)
{
  PeDirectory *dir = &p->dirs[DIR_RESOURCE];
  ResourceWalk walk = { p };
  guint32 data_entry = 0, data_rva, data_size;
  SpSpan data;
  VersionWalk version = { p };

  if (dir->rva == 0)
    return;
  if (!map_rva (p, dir->rva, &walk.root, NULL))
    {
      WARN (p, _("The resource directory at RVA 0x%x is not in the file."), dir->rva);
      return;
    }
  walk.visited = g_hash_table_new (NULL, NULL);
  if (!find_resource_data (&walk, 0, 0, 16 /* RT_VERSION */, &data_entry))
    {
      g_hash_table_unref (walk.visited);
      return;
    }
  g_hash_table_unref (walk.visited);

  if (!sp_span_read_u32_le (&walk.root, data_entry, &data_rva) ||
      !sp_span_read_u32_le (&walk.root, (guint64) data_entry + 4, &data_size))
    {
      WARN (p, _("The version resource entry at offset 0x%x is truncated."), data_entry);
      return;
    }
  if (!map_rva (p, data_rva, &data, NULL))
    {
      WARN (p, _("The version resource at RVA 0x%x is not in the file."), data_rva);
      return;
    }
  if (data.size < data_size)
    WARN (p, _("The version resource at RVA 0x%x is truncated."), data_rva);
  version.span = sp_span_init (data.data, MIN (data.size, (gsize) data_size));
  version.strings = json_object_new ();
  walk_version_block (&version, 0, version.span.size, 0);
  json_object_set_object_member (p->result, "version_info", version.strings);
}

/* ---- TLS, CLR, security, Rich header --------------------------------------- */

static gboolean
read_pointer (PeParser     *p,
              const SpSpan *span,
              guint64       offset,
              guint64      *value)
{
  guint32 value32;

  if (p->pe32plus)
    return sp_span_read_u64_le (span, offset, value);
  if (!sp_span_read_u32_le (span, offset, &value32))
    return FALSE;
  *value = value32;
  return TRUE;
}

static void
parse_tls (PeParser *p)
{
  PeDirectory *dir = &p->dirs[DIR_TLS];
  guint64 callbacks_va;
  guint width = p->pe32plus ? 8 : 4;
  JsonArray *callbacks;
  SpSpan span, table;

  if (dir->rva == 0)
    return;
  json_object_set_boolean_member (p->result, "has_tls", TRUE);
  /* AddressOfCallBacks is the fourth pointer of IMAGE_TLS_DIRECTORY. */
  if (!map_rva (p, dir->rva, &span, NULL) || !read_pointer (p, &span, 3 * width, &callbacks_va))
    {
      WARN (p, _("The TLS directory at RVA 0x%x is not in the file."), dir->rva);
      return;
    }

  callbacks = json_array_new ();
  json_object_set_array_member (p->result, "tls_callbacks", callbacks);
  if (callbacks_va == 0)
    return;
  if (callbacks_va < p->image_base || callbacks_va - p->image_base > G_MAXUINT32 ||
      !map_rva (p, callbacks_va - p->image_base, &table, NULL))
    {
      WARN (p, _("The TLS callback table at 0x%" PRIx64 " is not in the file."), callbacks_va);
      return;
    }
  for (guint i = 0;; i++)
    {
      guint64 callback;

      if (i >= PE_MAX_TLS_CALLBACKS)
        {
          WARN (p, _("More than %u TLS callbacks; the rest are not read."), PE_MAX_TLS_CALLBACKS);
          break;
        }
      if (!read_pointer (p, &table, (guint64) i * width, &callback))
        {
          WARN (p, _("The TLS callback table at 0x%" PRIx64 " is not terminated."), callbacks_va);
          break;
        }
      if (callback == 0)
        break;
      json_array_add_int_element (callbacks, (gint64) callback);
    }
}

static void
parse_security_and_clr (PeParser *p)
{
  PeDirectory *security = &p->dirs[DIR_SECURITY];
  PeDirectory *clr = &p->dirs[DIR_CLR];

  /* The security directory holds a file offset, not an RVA. */
  json_object_set_boolean_member (p->result, "has_signature",
                                  security->rva != 0 && security->size != 0);
  if (security->rva != 0 && security->size != 0)
    {
      JsonObject *signature = json_object_new ();

      json_object_set_int_member (signature, "offset", security->rva);
      json_object_set_int_member (signature, "size", security->size);
      json_object_set_object_member (p->result, "signature", signature);
      if (security->rva >= p->file_size || p->file_size - security->rva < security->size)
        WARN (p,
              _("The Authenticode signature at offset 0x%x (0x%x bytes) lies past the end of the "
                "file."),
              security->rva, security->size);
    }
  json_object_set_boolean_member (p->result, "is_dotnet", clr->rva != 0 && clr->size != 0);
}

/* The Rich header sits between the DOS stub and the PE header: "Rich" and
 * an XOR key, with "DanS" xor key at its start. */
static void
parse_rich_header (PeParser *p,
                   guint64   e_lfanew)
{
  guint64 limit = MIN (e_lfanew, (guint64) p->head_span.size);

  json_object_set_boolean_member (p->result, "has_rich_header", FALSE);
  for (guint64 offset = 0x80; offset + 8 <= limit; offset += 4)
    {
      guint32 key, dans;

      if (!sp_span_has_prefix (&p->head_span, offset, "Rich", 4))
        continue;
      if (!sp_span_read_u32_le (&p->head_span, offset + 4, &key))
        return;
      for (guint64 start = 0x40; start < offset; start += 4)
        if (sp_span_read_u32_le (&p->head_span, start, &dans) && (dans ^ key) == 0x536e6144)
          {
            json_object_set_boolean_member (p->result, "has_rich_header", TRUE);
            json_object_set_int_member (p->result, "rich_header_offset", start);
            json_object_set_int_member (p->result, "rich_header_key", key);
            return;
          }
      return;
    }
}

/* ---- overlay and checksum -------------------------------------------------- */

static void
update_largest (guint64  offset,
                guint64  size,
                guint64  file_size,
                guint64 *largest)
{
  guint64 end;

  if (sp_checked_add (offset, size, &end) && end <= file_size && end > *largest)
    *largest = end;
}

/* The end of the data the headers account for, computed like pefile's
 * get_overlay_data_start_offset so the two agree. */
static void
parse_overlay (PeParser *p)
{
  guint64 largest = 0;
  SpEntropyBudget budget;
  JsonObject *overlay;
  double entropy;

  if (p->have_optional)
    update_largest (p->optional_offset, p->optional_size, p->file_size, &largest);
  for (guint i = 0; i < p->n_sections; i++)
    update_largest (section_file_offset (p, &p->sections[i]), p->sections[i].raw_size,
                    p->file_size, &largest);
  for (guint i = 0; i < N_DIRS; i++)
    {
      gint index;
      guint64 offset;

      if (i == DIR_SECURITY || (p->dirs[i].rva == 0 && p->dirs[i].size == 0))
        continue;
      index = find_section (p, p->dirs[i].rva);
      if (index >= 0)
        offset = section_file_offset (p, &p->sections[index]) +
                 (p->dirs[i].rva - p->sections[index].virtual_address);
      else if (p->dirs[i].rva < p->file_size)
        offset = p->dirs[i].rva;
      else
        continue;
      update_largest (offset, p->dirs[i].size, p->file_size, &largest);
    }

  if (largest == 0 || largest >= p->file_size)
    return;
  overlay = json_object_new ();
  json_object_set_int_member (overlay, "offset", largest);
  json_object_set_int_member (overlay, "size", p->file_size - largest);
  sp_entropy_budget_init (&budget, p->sample, p->cancellable);
  if (sp_entropy_budget_measure (&budget, largest, p->file_size - largest, &entropy))
    json_object_set_double_member (overlay, "entropy", entropy);
  json_object_set_object_member (p->result, "overlay", overlay);
}

/* The image checksum of IMAGEHLP's CheckSumMappedFile: a 16-bit folded sum
 * of the file's dwords, skipping the stored checksum, plus the file size. */
static void
compute_checksum (PeParser *p)
{
  guint64 checksum_offset = p->optional_offset + 64;
  guint64 skip_index = checksum_offset / 4;
  guint64 sum = 0, done = 0;
  g_autofree guint8 *buffer = NULL;
  const gsize chunk = 1024 * 1024;

  if (!p->have_optional || p->file_size > PE_CHECKSUM_MAX_SIZE)
    return;
  buffer = g_malloc (chunk + 4);
  while (done < p->file_size)
    {
      gsize piece = (gsize) MIN ((guint64) chunk, p->file_size - done);

      if (is_cancelled (p) || !sp_sample_read_at (p->sample, done, buffer, piece, NULL))
        return;
      /* Zero-pad the tail to a whole dword. */
      memset (buffer + piece, 0, 4);
      for (gsize i = 0; i < piece; i += 4)
        {
          guint64 index = (done + i) / 4;
          guint32 dword;

          if (index == skip_index)
            continue;
          dword = (guint32) buffer[i] | ((guint32) buffer[i + 1] << 8) |
                  ((guint32) buffer[i + 2] << 16) | ((guint32) buffer[i + 3] << 24);
          sum += dword;
          if (sum > G_MAXUINT32)
            sum = (sum & 0xffffffffu) + (sum >> 32);
        }
      done += piece;
    }
  sum = (sum & 0xffff) + (sum >> 16);
  sum = sum + (sum >> 16);
  sum &= 0xffff;
  json_object_set_int_member (p->result, "checksum_computed", (guint32) (sum + p->file_size));
}

/* ---- entry point ------------------------------------------------------------- */

static void
describe_entry_point (PeParser *p)
{
  gint index;

  if (!p->have_optional)
    return;
  if (p->entry_point == 0)
    {
      json_object_set_string_member (p->result, "entry_section", "");
      return;
    }
  index = find_section (p, p->entry_point);
  if (index >= 0)
    {
      PeSection *section = &p->sections[index];

      json_object_set_string_member (p->result, "entry_section", section->name);
      if ((section->characteristics & SCN_EXECUTE) == 0)
        WARN (p, _("The entry point 0x%x lies in section %s, which is not executable."),
              p->entry_point, section->name);
    }
  else
    WARN (p, _("The entry point 0x%x is outside every section."), p->entry_point);
}

/* ---- main ---------------------------------------------------------------------- */

static void
pe_parser_clear (PeParser *p)
{
  for (guint i = 0; i < p->n_sections; i++)
    {
      g_free (p->sections[i].name);
      g_clear_pointer (&p->sections[i].data, g_bytes_unref);
    }
  g_free (p->sections);
  g_clear_pointer (&p->head, g_bytes_unref);
  sp_warnings_clear (&p->warnings);
}

static void
parse_nt_headers (PeParser *p,
                  guint32   e_lfanew)
{
  JsonObject *r = p->result;
  g_autoptr(GBytes) nt_bytes = NULL;
  g_autoptr(GError) error = NULL;
  SpSpan nt;
  guint16 machine, n_sections, characteristics;
  guint32 timestamp;
  const char *machine_name;
  ImportState imports = { 0 };

  nt_bytes = sp_sample_read_bytes (p->sample, e_lfanew,
                                   4 + PE_COFF_SIZE + 0xffff + PE_MAX_SECTIONS * PE_SECTION_SIZE,
                                   &error);
  if (nt_bytes == NULL)
    {
      WARN (p, _("Could not read the PE header at offset 0x%x: %s"), e_lfanew, error->message);
      return;
    }
  nt = sp_span_init (g_bytes_get_data (nt_bytes, NULL), g_bytes_get_size (nt_bytes));
  if (!sp_span_has_prefix (&nt, 0, "PE\0\0", 4))
    {
      WARN (p, _("No PE signature at offset 0x%x (e_lfanew): a DOS program or a damaged PE."),
            e_lfanew);
      return;
    }
  if (!sp_span_read_u16_le (&nt, 4, &machine) ||
      !sp_span_read_u16_le (&nt, 6, &n_sections) ||
      !sp_span_read_u32_le (&nt, 8, &timestamp) ||
      !sp_span_read_u16_le (&nt, 20, &p->optional_size) ||
      !sp_span_read_u16_le (&nt, 22, &characteristics))
    {
      WARN (p, _("COFF file header truncated at offset 0x%x."), e_lfanew + 4);
      return;
    }

  machine_name = lookup_name (machine_names, G_N_ELEMENTS (machine_names), machine);
  json_object_set_int_member (r, "machine", machine);
  json_object_set_string_member (r, "machine_name",
                                 machine_name != NULL ? machine_name : "unknown");
  json_object_set_int_member (r, "number_of_sections", n_sections);
  json_object_set_int_member (r, "characteristics", characteristics);
  json_object_set_array_member (r, "characteristics_flags",
                                flags_to_json (file_flags, G_N_ELEMENTS (file_flags),
                                               characteristics));
  json_object_set_boolean_member (r, "is_dll", (characteristics & 0x2000) != 0);
  json_object_set_boolean_member (r, "pe32plus", FALSE);

  p->optional_offset = (guint64) e_lfanew + 4 + PE_COFF_SIZE;
  if (p->optional_size > 0)
    parse_optional_header (p, &nt, 4 + PE_COFF_SIZE);
  else
    WARN (p,
          _("The optional header is missing; entry point, image base and directories are "
            "unknown."));

  parse_section_table (p, &nt, 4 + PE_COFF_SIZE + (guint64) p->optional_size,
                       p->optional_offset + p->optional_size, n_sections);
  if (is_cancelled (p))
    return;
  sections_to_json (p);
  describe_entry_point (p);
  parse_debug_directory (p);
  describe_timestamp (p, timestamp);
  if (is_cancelled (p))
    return;

  /* imports, imphash, exports and version_info are always there once the
   * PE header was read, empty when the file has none; like pefile, the
   * imphash of a file without an import table is "". */
  imports.imphash_input = g_string_new (NULL);
  parse_imports (p, &imports);
  if (json_object_has_member (r, "imports"))
    {
      g_autofree char *imphash = sp_digest_compute_hex (SP_DIGEST_MD5,
                                                        (const guint8 *) imports.imphash_input->str,
                                                        imports.imphash_input->len);
      json_object_set_string_member (r, "imphash", imphash);
    }
  else
    {
      json_object_set_array_member (r, "imports", json_array_new ());
      json_object_set_string_member (r, "imphash", "");
    }
  g_string_free (imports.imphash_input, TRUE);
  imports.imphash_input = g_string_new (NULL);
  parse_delay_imports (p, &imports);
  g_string_free (imports.imphash_input, TRUE);
  if (is_cancelled (p))
    return;
  parse_exports (p);
  if (!json_object_has_member (r, "exports"))
    json_object_set_array_member (r, "exports", json_array_new ());
  parse_version_info (p);
  if (!json_object_has_member (r, "version_info"))
    json_object_set_object_member (r, "version_info", json_object_new ());
  parse_tls (p);
  parse_security_and_clr (p);
  if (is_cancelled (p))
    return;
  parse_overlay (p);
  compute_checksum (p);
}

/**
 * sp_pe_analyze:
 * @sample: the sample
 * @iocs: (nullable): where imports of suspicious APIs are added as `api`
 *   indicators, with "dll!function" as evidence
 * @cancellable: (nullable): checked between the parsing stages
 *
 * Parses the PE headers of @sample. Anything starting with "MZ" gets a
 * section, even when the PE header is missing or damaged: what could be
 * read plus a "warnings" array.
 *
 * Returns: (transfer full) (nullable): the "pe" report section, or %NULL
 * if @sample is not an MZ/PE file
 */
JsonObject *
sp_pe_analyze (SpSample     *sample,
               SpIocSet     *iocs,
               GCancellable *cancellable)
{
  PeParser parser = { 0 };
  PeParser *p = &parser;
  guint32 e_lfanew;
  guint8 magic[2];
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  p->sample = sample;
  p->iocs = iocs;
  p->cancellable = cancellable;
  p->file_size = sp_sample_get_size (sample);
  if (!sp_sample_read_at (sample, 0, magic, sizeof magic, NULL) || memcmp (magic, "MZ", 2) != 0)
    return NULL;
  p->head = sp_sample_read_bytes (sample, 0, PE_HEAD_SIZE, &error);
  if (p->head == NULL)
    return NULL;
  p->head_span = sp_span_init (g_bytes_get_data (p->head, NULL), g_bytes_get_size (p->head));
  if (!sp_span_has_prefix (&p->head_span, 0, "MZ", 2))
    {
      g_bytes_unref (p->head);
      return NULL;
    }

  sp_warnings_init (&p->warnings);
  p->result = json_object_new ();
  if (!sp_span_read_u32_le (&p->head_span, 0x3c, &e_lfanew))
    WARN (p, _("The DOS header is truncated: the file has %" PRIu64 " bytes, e_lfanew needs 64."),
          p->file_size);
  else
    {
      json_object_set_int_member (p->result, "e_lfanew", e_lfanew);
      parse_rich_header (p, e_lfanew);
      /* Only the signature must fit here: a cut COFF header gets its own warning. */
      if ((guint64) e_lfanew + 4 > p->file_size)
        WARN (p, _("e_lfanew points to 0x%x, past the end of the file (0x%" PRIx64 " bytes)."),
              e_lfanew, p->file_size);
      else
        parse_nt_headers (p, e_lfanew);
    }

  json_object_set_array_member (p->result, "warnings", sp_warnings_steal_json (&p->warnings));
  pe_parser_clear (p);
  return p->result;
}

/* ---- rendering ------------------------------------------------------------------ */

static void
render_functions_table (SpReportWriter *writer,
                        JsonArray      *entries,
                        const char     *title)
{
  const char *headers[] = { _("DLL"), _("Function") };
  const guint widths[] = { 24, 48 };

  if (entries == NULL || json_array_get_length (entries) == 0)
    return;
  sp_report_writer_begin_subsection (writer, title);
  sp_report_writer_begin_table (writer, 2, headers, widths);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry;
      JsonArray *functions;
      const char *dll;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      dll = sp_json_get_string (entry, "dll");
      functions = sp_json_get_array (entry, "functions");
      if (dll == NULL)
        continue;
      if (functions == NULL || json_array_get_length (functions) == 0)
        {
          const char *cells[] = { dll, "" };
          sp_report_writer_row (writer, cells);
          continue;
        }
      for (guint j = 0; j < json_array_get_length (functions); j++)
        {
          JsonNode *function = json_array_get_element (functions, j);
          const char *cells[2];

          if (!JSON_NODE_HOLDS_VALUE (function) ||
              json_node_get_value_type (function) != G_TYPE_STRING)
            continue;
          cells[0] = dll;
          cells[1] = json_node_get_string (function);
          sp_report_writer_row (writer, cells);
        }
    }
  sp_report_writer_end_table (writer);
}

/* "RWX code" style: what an analyst scans a section table for. */
static char *
describe_section_access (guint32 characteristics)
{
  GString *text = g_string_new (NULL);

  g_string_append_c (text, characteristics & 0x40000000u ? 'R' : '-');
  g_string_append_c (text, characteristics & SCN_WRITE ? 'W' : '-');
  g_string_append_c (text, characteristics & SCN_EXECUTE ? 'X' : '-');
  if (characteristics & 0x20u)
    g_string_append (text, " code");
  if (characteristics & 0x40u)
    g_string_append (text, " data");
  if (characteristics & SCN_UNINITIALIZED)
    g_string_append (text, " bss");
  if (characteristics & 0x02000000u)
    g_string_append (text, " discardable");
  if (characteristics & 0x10000000u)
    g_string_append (text, " shared");
  return g_string_free (text, FALSE);
}

static char *
render_section_access (JsonObject *section,
                       const char *member)
{
  gint64 characteristics;

  if (!sp_json_get_int (section, member, &characteristics))
    return NULL;
  return describe_section_access ((guint32) characteristics);
}

static const SpRenderColumn section_columns[] = {
  { N_("Name"), "name", sp_render_string, 9 },
  { N_("Virtual address"), "virtual_address", sp_render_hex, 10 },
  { N_("Virtual size"), "virtual_size", sp_render_hex, 10 },
  { N_("Raw offset"), "raw_offset", sp_render_hex, 10 },
  { N_("Raw size"), "raw_size", sp_render_hex, 10 },
  { N_("Flags"), "characteristics", render_section_access, 16 },
  { N_("Entropy"), "entropy", sp_render_entropy, 7 },
  { N_("Anomalies"), "anomalies", sp_render_list, 20 },
};

static const SpRenderColumn export_columns[] = {
  { N_("Ordinal"), "ordinal", sp_render_int, 7 },
  { N_("Name"), "name", sp_render_string, 40 },
  { N_("RVA"), "rva", sp_render_hex, 10 },
  { N_("Forwarder"), "forwarder", sp_render_string, 30 },
};

static void
render_exports (SpReportWriter *writer,
                JsonObject     *section)
{
  JsonArray *exports = sp_json_get_array (section, "exports");

  if (exports == NULL || (json_array_get_length (exports) == 0 &&
                          sp_json_get_string (section, "export_name") == NULL))
    return;
  sp_report_writer_begin_subsection (writer, _("Exports"));
  sp_render_field_string (writer, _("DLL name"), section, "export_name");
  sp_render_json_table (writer, NULL, exports, export_columns, G_N_ELEMENTS (export_columns));
}

/**
 * sp_pe_render:
 *
 * Writes the "pe" section for people, in the writer's format.
 */
void
sp_pe_render (JsonObject     *section,
              SpReportWriter *writer)
{
  JsonObject *version, *overlay, *signature;
  JsonArray *tls;
  g_autofree char *machine = NULL, *characteristics = NULL, *dll_flags_text = NULL;
  g_autofree char *timestamp = NULL, *entry = NULL;
  gint64 value, stored, computed;
  const char *text;

  if (sp_json_get_int (section, "machine", &value))
    {
      text = sp_json_get_string (section, "machine_name");
      machine = g_strdup_printf ("0x%04" PRIx64 " (%s)", (guint64) value,
                                 text != NULL ? text : "unknown");
      sp_report_writer_field (writer, _("Machine"), machine);
    }
  sp_render_field_string (writer, _("Format"), section, "format");
  sp_render_field_bool (writer, _("DLL"), section, "is_dll");
  if (sp_json_get_int (section, "timestamp", &value))
    {
      const char *utc = sp_json_get_string (section, "timestamp_utc");
      const char *note = sp_json_get_string (section, "timestamp_note");
      GString *t = g_string_new (NULL);

      g_string_append_printf (t, "%" PRId64 " (0x%08" PRIx64 ")", value, (guint64) value);
      if (utc != NULL)
        g_string_append_printf (t, ", %s", utc);
      if (note != NULL)
        g_string_append_printf (t, " — %s", note);
      timestamp = g_string_free (t, FALSE);
      sp_report_writer_field (writer, _("Timestamp"), timestamp);
    }
  characteristics = sp_render_string_list (section, "characteristics_flags", ", ");
  if (characteristics != NULL)
    sp_report_writer_field (writer, _("Characteristics"), characteristics);
  sp_render_field_named_int (writer, _("Subsystem"), section, "subsystem", "subsystem_name");
  if (sp_json_get_int (section, "entry_point", &value))
    {
      text = sp_json_get_string (section, "entry_section");
      if (text != NULL && *text != '\0')
        entry = g_strdup_printf ("0x%" PRIx64 " (%s)", (guint64) value, text);
      else
        entry = g_strdup_printf ("0x%" PRIx64, (guint64) value);
      sp_report_writer_field (writer, _("Entry point"), entry);
    }
  sp_render_field_hex (writer, _("Image base"), section, "image_base");
  sp_render_field_string (writer, _("Linker version"), section, "linker_version");
  sp_render_field_string (writer, _("OS version"), section, "os_version");
  sp_render_field_string (writer, _("Subsystem version"), section, "subsystem_version");
  dll_flags_text = sp_render_string_list (section, "dll_characteristics_flags", ", ");
  if (dll_flags_text != NULL)
    sp_report_writer_field (writer, _("DLL characteristics"),
                            *dll_flags_text ? dll_flags_text : _("none"));
  if (sp_json_get_int (section, "checksum_stored", &stored))
    {
      g_autofree char *checksum = NULL;

      if (sp_json_get_int (section, "checksum_computed", &computed))
        checksum = g_strdup_printf (_("0x%08" PRIx64 " stored, 0x%08" PRIx64 " computed%s"),
                                    (guint64) stored, (guint64) computed,
                                    stored == 0 ? _(" (not set)") :
                                    stored == computed ? _(" (match)") : _(" (mismatch)"));
      else
        checksum = g_strdup_printf (_("0x%08" PRIx64 " stored"), (guint64) stored);
      sp_report_writer_field (writer, _("Checksum"), checksum);
    }
  text = sp_json_get_string (section, "imphash");
  if (text != NULL && *text != '\0')
    sp_report_writer_field (writer, _("Imphash"), text);
  sp_render_field_string (writer, _("PDB path"), section, "pdb_path");
  sp_render_field_string (writer, _("Packer hint"), section, "packer_hint");
  sp_render_field_bool (writer, _("Authenticode signature"), section, "has_signature");
  sp_render_field_bool (writer, _(".NET (CLR header)"), section, "is_dotnet");
  sp_render_field_bool (writer, _("Rich header"), section, "has_rich_header");
  tls = sp_json_get_array (section, "tls_callbacks");
  if (tls != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%u", json_array_get_length (tls));
      sp_report_writer_field (writer, _("TLS callbacks"), count);
    }
  signature = sp_json_get_object (section, "signature");
  if (signature != NULL)
    {
      g_autofree char *offset = sp_render_hex (signature, "offset");
      g_autofree char *size = sp_render_int (signature, "size");
      g_autofree char *where = g_strdup_printf (_("offset %s, %s bytes"), offset ? offset : "?",
                                                size ? size : "?");
      sp_report_writer_field (writer, _("Signature"), where);
    }
  overlay = sp_json_get_object (section, "overlay");
  if (overlay != NULL)
    {
      g_autofree char *offset = sp_render_hex (overlay, "offset");
      g_autofree char *size = sp_render_int (overlay, "size");
      g_autofree char *where = NULL;
      double entropy = 0;

      if (sp_json_get_double (overlay, "entropy", &entropy))
        where = g_strdup_printf (_("offset %s, %s bytes, entropy %.3f"), offset ? offset : "?",
                                 size ? size : "?", entropy);
      else
        where = g_strdup_printf (_("offset %s, %s bytes"), offset ? offset : "?",
                                 size ? size : "?");
      sp_report_writer_field (writer, _("Overlay"), where);
    }

  sp_render_json_table (writer, _("Sections"), sp_json_get_array (section, "sections"),
                        section_columns, G_N_ELEMENTS (section_columns));
  render_functions_table (writer, sp_json_get_array (section, "imports"), _("Imports"));
  render_functions_table (writer, sp_json_get_array (section, "delay_imports"),
                          _("Delay-load imports"));
  render_exports (writer, section);

  version = sp_json_get_object (section, "version_info");
  if (version != NULL && json_object_get_size (version) > 0)
    {
      g_autoptr(GList) members = json_object_get_members (version);

      sp_report_writer_begin_subsection (writer, _("Version information"));
      for (GList *l = members; l != NULL; l = l->next)
        sp_render_field_string (writer, l->data, version, l->data);
    }
  sp_render_warnings (writer, section);
}
