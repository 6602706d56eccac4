/* sp-elf.c: ELF headers
 *
 * Tables are read into bounded buffers (at most 16 MiB each) and walked
 * with SpSpan in the file's byte order. Counts are capped, the extended
 * numbering of e_shnum/e_phnum/e_shstrndx is honoured, and every offset
 * and size is checked against the file before use.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-elf"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-elf.h"
#include "sp-parsers-private.h"
#include "sp-span.h"

#define ELF_MAX_TABLE     (16 * 1024 * 1024)
#define ELF_MAX_ENTRIES   1024
#define ELF_MAX_DYNAMIC   8192
#define ELF_MAX_NEEDED    512
#define ELF_MAX_NAME      4096

#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define SHT_SYMTAB 2
#define SHT_NOBITS 8
#define SHT_DYNSYM 11
#define SHT_DYNAMIC 6
#define DT_NULL    0
#define DT_NEEDED  1
#define DT_STRTAB  5
#define DT_STRSZ   10
#define DT_SONAME  14

typedef struct
{
  guint       value;
  const char *name;
} ElfName;

static const ElfName machine_names[] = {
  { 0, "none" },
  { 2, "SPARC" },
  { 3, "Intel 80386" },
  { 4, "Motorola 68000" },
  { 5, "Motorola 88000" },
  { 7, "Intel 80860" },
  { 8, "MIPS R3000" },
  { 10, "MIPS R3000 little-endian" },
  { 15, "HPPA" },
  { 18, "SPARC v8+" },
  { 20, "PowerPC" },
  { 21, "PowerPC64" },
  { 22, "IBM S/390" },
  { 40, "ARM" },
  { 41, "Alpha" },
  { 42, "Renesas SuperH" },
  { 43, "SPARC v9" },
  { 50, "Intel IA-64" },
  { 62, "AMD x86-64" },
  { 83, "Atmel AVR" },
  { 92, "OpenRISC" },
  { 94, "Tensilica Xtensa" },
  { 105, "TI MSP430" },
  { 164, "Qualcomm Hexagon" },
  { 183, "AArch64" },
  { 190, "NVIDIA CUDA" },
  { 243, "RISC-V" },
  { 247, "Linux BPF" },
  { 258, "LoongArch" },
  { 0x9026, "Alpha (unofficial)" },
};

static const ElfName os_abi_names[] = {
  { 0, "UNIX - System V" },
  { 1, "HP-UX" },
  { 2, "NetBSD" },
  { 3, "Linux (GNU)" },
  { 6, "Solaris" },
  { 7, "AIX" },
  { 8, "IRIX" },
  { 9, "FreeBSD" },
  { 10, "Tru64" },
  { 12, "OpenBSD" },
  { 97, "ARM" },
  { 255, "standalone" },
};

static const ElfName type_names[] = {
  { 0, "NONE" },
  { 1, "REL" },
  { 2, "EXEC" },
  { 3, "DYN" },
  { 4, "CORE" },
};

static const ElfName section_type_names[] = {
  { 0, "NULL" },
  { 1, "PROGBITS" },
  { 2, "SYMTAB" },
  { 3, "STRTAB" },
  { 4, "RELA" },
  { 5, "HASH" },
  { 6, "DYNAMIC" },
  { 7, "NOTE" },
  { 8, "NOBITS" },
  { 9, "REL" },
  { 10, "SHLIB" },
  { 11, "DYNSYM" },
  { 14, "INIT_ARRAY" },
  { 15, "FINI_ARRAY" },
  { 16, "PREINIT_ARRAY" },
  { 17, "GROUP" },
  { 18, "SYMTAB SECTION INDICES" },
  { 19, "RELR" },
  { 0x6ffffff5, "GNU_ATTRIBUTES" },
  { 0x6ffffff6, "GNU_HASH" },
  { 0x6ffffff7, "GNU_LIBLIST" },
  { 0x6ffffffd, "VERDEF" },
  { 0x6ffffffe, "VERNEED" },
  { 0x6fffffff, "VERSYM" },
};

static const ElfName segment_type_names[] = {
  { 0, "NULL" },
  { 1, "LOAD" },
  { 2, "DYNAMIC" },
  { 3, "INTERP" },
  { 4, "NOTE" },
  { 5, "SHLIB" },
  { 6, "PHDR" },
  { 7, "TLS" },
  { 0x6474e550, "GNU_EH_FRAME" },
  { 0x6474e551, "GNU_STACK" },
  { 0x6474e552, "GNU_RELRO" },
  { 0x6474e553, "GNU_PROPERTY" },
  { 0x6474e554, "GNU_SFRAME" },
};

/* Section flag letters as readelf prints them. */
static const struct
{
  guint64 flag;
  char    letter;
} section_flag_letters[] = {
  { 0x1, 'W' }, { 0x2, 'A' }, { 0x4, 'X' }, { 0x10, 'M' }, { 0x20, 'S' }, { 0x40, 'I' },
  { 0x80, 'L' }, { 0x100, 'O' }, { 0x200, 'G' }, { 0x400, 'T' }, { 0x800, 'C' },
  { 0x80000000, 'E' },
};

typedef struct
{
  guint32 name;
  guint32 type;
  guint64 flags;
  guint64 address;
  guint64 offset;
  guint64 size;
  guint32 link;
  guint32 info;
  guint64 entry_size;
  char   *name_text;
} ElfSection;

typedef struct
{
  guint32 type;
  guint32 flags;
  guint64 offset;
  guint64 vaddr;
  guint64 file_size;
  guint64 memory_size;
  guint64 align;
} ElfSegment;

typedef struct
{
  SpSample     *sample;
  GCancellable *cancellable;
  guint64       file_size;
  SpWarnings    warnings;
  JsonObject   *result;
  gboolean      is64;
  gboolean      big_endian;
  ElfSection   *sections;
  guint         n_sections;
  ElfSegment   *segments;
  guint         n_segments;
} ElfParser;

#define WARN(p, ...) sp_warnings_add (&(p)->warnings, __VA_ARGS__)

static const char *
lookup_name (const ElfName *table,
             gsize          n,
             guint          value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

static void
set_name (JsonObject    *object,
          const char    *member,
          const ElfName *table,
          gsize          n,
          guint          value)
{
  const char *name = lookup_name (table, n, value);
  g_autofree char *hex = NULL;

  if (name == NULL)
    name = hex = g_strdup_printf ("0x%x", value);
  json_object_set_string_member (object, member, name);
}

static gboolean
read_half (ElfParser    *p,
           const SpSpan *span,
           guint64       offset,
           guint16      *value)
{
  return sp_span_read_u16 (span, offset, p->big_endian, value);
}

static gboolean
read_word (ElfParser    *p,
           const SpSpan *span,
           guint64       offset,
           guint32      *value)
{
  return sp_span_read_u32 (span, offset, p->big_endian, value);
}

/* An address or offset: 4 bytes in ELF32, 8 in ELF64. */
static gboolean
read_addr (ElfParser    *p,
           const SpSpan *span,
           guint64       offset,
           guint64      *value)
{
  guint32 value32;

  if (p->is64)
    return sp_span_read_u64 (span, offset, p->big_endian, value);
  if (!sp_span_read_u32 (span, offset, p->big_endian, &value32))
    return FALSE;
  *value = value32;
  return TRUE;
}

/*
 * read_table:
 *
 * Reads @count entries of @entry_size bytes at @offset, clipped to the file
 * and to 16 MiB. Returns the number of whole entries available.
 */
static GBytes *
read_table (ElfParser  *p,
            const char *what,
            guint64     offset,
            guint64     count,
            guint64     entry_size,
            guint      *n_available)
{
  guint64 wanted, available;
  GBytes *bytes;
  g_autoptr(GError) error = NULL;

  *n_available = 0;
  if (!sp_checked_mul (count, entry_size, &wanted))
    wanted = G_MAXUINT64;
  if (offset >= p->file_size)
    {
      WARN (p,
            _("The %s at offset 0x%" PRIx64 " lies past the end of the file "
              "(0x%" PRIx64 " bytes)."),
            what, offset, p->file_size);
      return NULL;
    }
  available = MIN (wanted, p->file_size - offset);
  available = MIN (available, (guint64) ELF_MAX_TABLE);
  bytes = sp_sample_read_bytes (p->sample, offset, (gsize) available, &error);
  if (bytes == NULL)
    {
      WARN (p, _("Could not read the %s at offset 0x%" PRIx64 ": %s"), what, offset,
            error->message);
      return NULL;
    }
  *n_available = (guint) MIN (count, g_bytes_get_size (bytes) / entry_size);
  if (*n_available < count)
    {
      guint64 end = offset + (guint64) *n_available * entry_size;

      WARN (p, _("The %s is truncated at offset 0x%" PRIx64 ": %u of %" PRIu64 " entries read."),
            what, end, *n_available, count);
    }
  return bytes;
}

static void
parse_segments (ElfParser *p,
                guint64    phoff,
                guint      phentsize,
                guint64    phnum)
{
  guint entry_size = p->is64 ? 56 : 32;
  g_autoptr(GBytes) bytes = NULL;
  guint n;
  SpSpan table;

  if (phnum == 0)
    return;
  if (phentsize < entry_size)
    {
      WARN (p,
            _("e_phentsize is %u, smaller than a program header (%u bytes); the program headers "
              "are not read."),
            phentsize, entry_size);
      return;
    }
  if (phnum > ELF_MAX_ENTRIES)
    {
      WARN (p, _("The header declares %" PRIu64 " program headers; only the first %u are read."),
            phnum, ELF_MAX_ENTRIES);
      phnum = ELF_MAX_ENTRIES;
    }
  bytes = read_table (p, _("program header table"), phoff, phnum, phentsize, &n);
  if (bytes == NULL)
    return;
  table = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  p->segments = g_new0 (ElfSegment, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      ElfSegment *s = &p->segments[i];
      guint64 base = (guint64) i * phentsize;
      gboolean ok;

      if (p->is64)
        ok = read_word (p, &table, base, &s->type) &&
             read_word (p, &table, base + 4, &s->flags) &&
             read_addr (p, &table, base + 8, &s->offset) &&
             read_addr (p, &table, base + 16, &s->vaddr) &&
             read_addr (p, &table, base + 32, &s->file_size) &&
             read_addr (p, &table, base + 40, &s->memory_size) &&
             read_addr (p, &table, base + 48, &s->align);
      else
        ok = read_word (p, &table, base, &s->type) &&
             read_addr (p, &table, base + 4, &s->offset) &&
             read_addr (p, &table, base + 8, &s->vaddr) &&
             read_addr (p, &table, base + 16, &s->file_size) &&
             read_addr (p, &table, base + 20, &s->memory_size) &&
             read_word (p, &table, base + 24, &s->flags) &&
             read_addr (p, &table, base + 28, &s->align);
      if (!ok)
        break;
      p->n_segments++;
    }
}

static void
parse_sections (ElfParser *p,
                guint64    shoff,
                guint      shentsize,
                guint64    shnum)
{
  guint entry_size = p->is64 ? 64 : 40;
  g_autoptr(GBytes) bytes = NULL;
  guint n;
  SpSpan table;

  if (shnum == 0)
    return;
  if (shentsize < entry_size)
    {
      WARN (p,
            _("e_shentsize is %u, smaller than a section header (%u bytes); the section headers "
              "are not read."),
            shentsize, entry_size);
      return;
    }
  if (shnum > ELF_MAX_ENTRIES)
    {
      WARN (p, _("The header declares %" PRIu64 " sections; only the first %u are read."),
            shnum, ELF_MAX_ENTRIES);
      shnum = ELF_MAX_ENTRIES;
    }
  bytes = read_table (p, _("section header table"), shoff, shnum, shentsize, &n);
  if (bytes == NULL)
    return;
  table = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  p->sections = g_new0 (ElfSection, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      ElfSection *s = &p->sections[i];
      guint64 base = (guint64) i * shentsize;
      gboolean ok;

      /* Addresses and sh_flags are 4 bytes in ELF32, 8 in ELF64: read_addr () knows. */
      if (p->is64)
        ok = read_word (p, &table, base, &s->name) &&
             read_word (p, &table, base + 4, &s->type) &&
             read_addr (p, &table, base + 8, &s->flags) &&
             read_addr (p, &table, base + 16, &s->address) &&
             read_addr (p, &table, base + 24, &s->offset) &&
             read_addr (p, &table, base + 32, &s->size) &&
             read_word (p, &table, base + 40, &s->link) &&
             read_word (p, &table, base + 44, &s->info) &&
             read_addr (p, &table, base + 56, &s->entry_size);
      else
        ok = read_word (p, &table, base, &s->name) &&
             read_word (p, &table, base + 4, &s->type) &&
             read_addr (p, &table, base + 8, &s->flags) &&
             read_addr (p, &table, base + 12, &s->address) &&
             read_addr (p, &table, base + 16, &s->offset) &&
             read_addr (p, &table, base + 20, &s->size) &&
             read_word (p, &table, base + 24, &s->link) &&
             read_word (p, &table, base + 28, &s->info) &&
             read_addr (p, &table, base + 36, &s->entry_size);
      if (!ok)
        break;
      p->n_sections++;
    }
}

/* Reads the bytes a section or segment holds in the file, clipped and capped. */
static GBytes *
read_range (ElfParser  *p,
            guint64     offset,
            guint64     size,
            guint64     cap)
{
  if (offset >= p->file_size)
    return NULL;
  size = MIN (size, p->file_size - offset);
  return sp_sample_read_bytes (p->sample, offset, (gsize) MIN (size, cap), NULL);
}

static void
name_sections (ElfParser *p,
               guint      shstrndx)
{
  g_autoptr(GBytes) strings = NULL;
  SpSpan span;

  if (p->n_sections == 0 || shstrndx == 0)
    return;
  if (shstrndx >= p->n_sections)
    {
      WARN (p, _("The section name table index %u is not a section (there are %u)."), shstrndx,
            p->n_sections);
      return;
    }
  strings = read_range (p, p->sections[shstrndx].offset, p->sections[shstrndx].size, ELF_MAX_TABLE);
  if (strings == NULL)
    {
      WARN (p, _("The section name table at offset 0x%" PRIx64 " is not in the file."),
            p->sections[shstrndx].offset);
      return;
    }
  span = sp_span_init (g_bytes_get_data (strings, NULL), g_bytes_get_size (strings));
  for (guint i = 0; i < p->n_sections; i++)
    {
      g_autofree char *raw = sp_span_dup_cstring (&span, p->sections[i].name, ELF_MAX_NAME, NULL);

      if (raw != NULL)
        p->sections[i].name_text = sp_parser_printable ((const guint8 *) raw, strlen (raw));
      else if (p->sections[i].name != 0)
        WARN (p, _("Section %u names offset 0x%x, past the end of the section name table."), i,
              p->sections[i].name);
    }
}

static gboolean
vaddr_to_offset (ElfParser *p,
                 guint64    vaddr,
                 guint64   *offset)
{
  for (guint i = 0; i < p->n_segments; i++)
    {
      ElfSegment *s = &p->segments[i];

      if (s->type == PT_LOAD && vaddr >= s->vaddr && vaddr - s->vaddr < s->file_size)
        {
          if (!sp_checked_add (s->offset, vaddr - s->vaddr, offset))
            return FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static void
parse_interpreter (ElfParser *p)
{
  for (guint i = 0; i < p->n_segments; i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *raw = NULL;
      SpSpan span;

      if (p->segments[i].type != PT_INTERP)
        continue;
      bytes = read_range (p, p->segments[i].offset, p->segments[i].file_size, ELF_MAX_NAME);
      if (bytes == NULL)
        {
          WARN (p, _("The interpreter at offset 0x%" PRIx64 " is not in the file."),
                p->segments[i].offset);
          return;
        }
      span = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      raw = sp_span_dup_cstring (&span, 0, ELF_MAX_NAME, NULL);
      if (raw != NULL)
        {
          g_autofree char *text = sp_parser_printable ((const guint8 *) raw, strlen (raw));
          json_object_set_string_member (p->result, "interpreter", text);
        }
      return;
    }
}

static void
parse_dynamic (ElfParser *p)
{
  guint64 dyn_offset = 0, dyn_size = 0, strtab_vaddr = 0, strtab_size = 0, strtab_offset = 0;
  gboolean have_dynamic = FALSE, have_strtab = FALSE, have_soname = FALSE;
  guint64 soname = 0;
  guint entry = p->is64 ? 16 : 8;
  g_autoptr(GBytes) dynamic = NULL;
  g_autoptr(GBytes) strings = NULL;
  g_autoptr(GArray) needed = g_array_new (FALSE, FALSE, sizeof (guint64));
  JsonArray *needed_json;
  SpSpan span, strspan;
  gint dynamic_section = -1;

  for (guint i = 0; i < p->n_segments && !have_dynamic; i++)
    if (p->segments[i].type == PT_DYNAMIC)
      {
        dyn_offset = p->segments[i].offset;
        dyn_size = p->segments[i].file_size;
        have_dynamic = TRUE;
      }
  for (guint i = 0; i < p->n_sections; i++)
    if (p->sections[i].type == SHT_DYNAMIC)
      {
        dynamic_section = (gint) i;
        if (!have_dynamic)
          {
            dyn_offset = p->sections[i].offset;
            dyn_size = p->sections[i].size;
            have_dynamic = TRUE;
          }
        break;
      }
  if (!have_dynamic)
    return;

  dynamic = read_range (p, dyn_offset, dyn_size, (guint64) ELF_MAX_DYNAMIC * entry);
  if (dynamic == NULL)
    {
      WARN (p, _("The dynamic section at offset 0x%" PRIx64 " is not in the file."), dyn_offset);
      return;
    }
  span = sp_span_init (g_bytes_get_data (dynamic, NULL), g_bytes_get_size (dynamic));
  for (guint i = 0;; i++)
    {
      guint64 tag, value;

      if (i >= ELF_MAX_DYNAMIC)
        {
          WARN (p, _("The dynamic section has more than %u entries; the rest are not read."),
                ELF_MAX_DYNAMIC);
          break;
        }
      if (!read_addr (p, &span, (guint64) i * entry, &tag) ||
          !read_addr (p, &span, (guint64) i * entry + entry / 2, &value))
        break;
      if (tag == DT_NULL)
        break;
      if (tag == DT_NEEDED && needed->len < ELF_MAX_NEEDED)
        g_array_append_val (needed, value);
      else if (tag == DT_SONAME)
        {
          soname = value;
          have_soname = TRUE;
        }
      else if (tag == DT_STRTAB)
        {
          strtab_vaddr = value;
          have_strtab = TRUE;
        }
      else if (tag == DT_STRSZ)
        strtab_size = value;
    }

  /* The loader finds strings through DT_STRTAB; without program headers
   * (a relocatable object) fall back to the section the dynamic links to. */
  if (have_strtab && vaddr_to_offset (p, strtab_vaddr, &strtab_offset))
    strings = read_range (p, strtab_offset, strtab_size != 0 ? strtab_size : G_MAXUINT64,
                          ELF_MAX_TABLE);
  else if (dynamic_section >= 0 && p->sections[dynamic_section].link < p->n_sections)
    {
      ElfSection *link = &p->sections[p->sections[dynamic_section].link];

      strings = read_range (p, link->offset, link->size, ELF_MAX_TABLE);
    }
  if (strings == NULL)
    {
      if (needed->len > 0 || have_soname)
        WARN (p, _("The dynamic string table is not in the file; library names are unknown."));
      return;
    }
  strspan = sp_span_init (g_bytes_get_data (strings, NULL), g_bytes_get_size (strings));

  needed_json = json_array_new ();
  for (guint i = 0; i < needed->len; i++)
    {
      g_autofree char *raw = sp_span_dup_cstring (&strspan, g_array_index (needed, guint64, i),
                                                  ELF_MAX_NAME, NULL);
      g_autofree char *text = NULL;

      if (raw == NULL)
        {
          WARN (p, _("DT_NEEDED entry %u points past the dynamic string table."), i);
          continue;
        }
      text = sp_parser_printable ((const guint8 *) raw, strlen (raw));
      json_array_add_string_element (needed_json, text);
    }
  json_object_set_array_member (p->result, "needed", needed_json);
  if (have_soname)
    {
      g_autofree char *raw = sp_span_dup_cstring (&strspan, soname, ELF_MAX_NAME, NULL);

      if (raw != NULL)
        {
          g_autofree char *text = sp_parser_printable ((const guint8 *) raw, strlen (raw));
          json_object_set_string_member (p->result, "soname", text);
        }
      else
        WARN (p, _("DT_SONAME points past the dynamic string table."));
    }
}

static void
sections_to_json (ElfParser *p)
{
  JsonArray *array = json_array_new ();
  SpEntropyBudget budget;
  gboolean have_symtab = FALSE;
  guint64 symbols = 0, dynamic_symbols = 0;
  guint unmeasured = 0;

  sp_entropy_budget_init (&budget, p->sample, p->cancellable);
  for (guint i = 0; i < p->n_sections; i++)
    {
      ElfSection *s = &p->sections[i];
      JsonObject *object = json_object_new ();
      char letters[G_N_ELEMENTS (section_flag_letters) + 1];
      guint n_letters = 0;
      double entropy;

      json_object_set_string_member (object, "name", s->name_text != NULL ? s->name_text : "");
      set_name (object, "type", section_type_names, G_N_ELEMENTS (section_type_names), s->type);
      json_object_set_int_member (object, "type_value", s->type);
      json_object_set_int_member (object, "address", (gint64) s->address);
      json_object_set_int_member (object, "offset", (gint64) s->offset);
      json_object_set_int_member (object, "size", (gint64) s->size);
      for (gsize j = 0; j < G_N_ELEMENTS (section_flag_letters); j++)
        if (s->flags & section_flag_letters[j].flag)
          letters[n_letters++] = section_flag_letters[j].letter;
      letters[n_letters] = '\0';
      json_object_set_string_member (object, "flags", letters);
      json_object_set_int_member (object, "flags_value", (gint64) s->flags);

      if (s->type != SHT_NOBITS && s->size > 0)
        {
          guint64 end;

          if (!sp_checked_add (s->offset, s->size, &end) || end > p->file_size)
            WARN (p,
                  _("Section %s at 0x%" PRIx64 "+0x%" PRIx64 " extends past the end of the file."),
                  s->name_text != NULL ? s->name_text : "?", s->offset, s->size);
          else if (sp_entropy_budget_measure (&budget, s->offset, s->size, &entropy))
            json_object_set_double_member (object, "entropy", entropy);
          else
            unmeasured++;
        }
      if (s->type == SHT_SYMTAB || s->type == SHT_DYNSYM)
        {
          guint64 entry_size = s->entry_size != 0 ? s->entry_size : (p->is64 ? 24 : 16);
          guint64 count = s->size / entry_size;

          json_object_set_int_member (object, "symbols", (gint64) count);
          if (s->type == SHT_SYMTAB)
            {
              have_symtab = TRUE;
              symbols += count;
            }
          else
            dynamic_symbols += count;
        }
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (p->result, "sections", array);
  if (unmeasured > 0 && !g_cancellable_is_cancelled (p->cancellable))
    WARN (p, _("The entropy of %u sections was not measured: together they claim far more data "
               "than the file holds."), unmeasured);
  json_object_set_boolean_member (p->result, "stripped", !have_symtab);
  json_object_set_int_member (p->result, "symbols", (gint64) symbols);
  json_object_set_int_member (p->result, "dynamic_symbols", (gint64) dynamic_symbols);
}

static void
segments_to_json (ElfParser *p)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < p->n_segments; i++)
    {
      ElfSegment *s = &p->segments[i];
      JsonObject *object = json_object_new ();
      char flags[4];
      guint n = 0;
      guint64 end;

      set_name (object, "type", segment_type_names, G_N_ELEMENTS (segment_type_names), s->type);
      json_object_set_int_member (object, "type_value", s->type);
      if (s->flags & 4)
        flags[n++] = 'R';
      if (s->flags & 2)
        flags[n++] = 'W';
      if (s->flags & 1)
        flags[n++] = 'E';
      flags[n] = '\0';
      json_object_set_string_member (object, "flags", flags);
      json_object_set_int_member (object, "offset", (gint64) s->offset);
      json_object_set_int_member (object, "virtual_address", (gint64) s->vaddr);
      json_object_set_int_member (object, "file_size", (gint64) s->file_size);
      json_object_set_int_member (object, "memory_size", (gint64) s->memory_size);
      json_object_set_int_member (object, "align", (gint64) s->align);
      if (s->file_size > 0 &&
          (!sp_checked_add (s->offset, s->file_size, &end) || end > p->file_size))
        WARN (p, _("Segment %u at 0x%" PRIx64 "+0x%" PRIx64 " extends past the end of the file."),
              i, s->offset, s->file_size);
      if (s->type == PT_LOAD && (s->flags & 3) == 3)
        WARN (p, _("Segment %u is loaded writable and executable."), i);
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (p->result, "segments", array);
}

static void
parse_header (ElfParser    *p,
              const SpSpan *head)
{
  JsonObject *r = p->result;
  guint8 os_abi, abi_version, version;
  guint16 type, machine, phentsize, phnum, shentsize, shnum, shstrndx;
  guint32 flags;
  guint64 entry, phoff, shoff, real_shnum, real_phnum;
  guint shstrndx_real;
  gboolean ok;

  sp_span_read_u8 (head, 6, &version);
  sp_span_read_u8 (head, 7, &os_abi);
  sp_span_read_u8 (head, 8, &abi_version);
  json_object_set_int_member (r, "os_abi", os_abi);
  set_name (r, "os_abi_name", os_abi_names, G_N_ELEMENTS (os_abi_names), os_abi);
  json_object_set_int_member (r, "abi_version", abi_version);
  if (version != 1)
    WARN (p, _("Unknown ELF identification version %u."), version);

  if (p->is64)
    ok = read_half (p, head, 16, &type) && read_half (p, head, 18, &machine) &&
         read_addr (p, head, 24, &entry) && read_addr (p, head, 32, &phoff) &&
         read_addr (p, head, 40, &shoff) && read_word (p, head, 48, &flags) &&
         read_half (p, head, 54, &phentsize) && read_half (p, head, 56, &phnum) &&
         read_half (p, head, 58, &shentsize) && read_half (p, head, 60, &shnum) &&
         read_half (p, head, 62, &shstrndx);
  else
    ok = read_half (p, head, 16, &type) && read_half (p, head, 18, &machine) &&
         read_addr (p, head, 24, &entry) && read_addr (p, head, 28, &phoff) &&
         read_addr (p, head, 32, &shoff) && read_word (p, head, 36, &flags) &&
         read_half (p, head, 42, &phentsize) && read_half (p, head, 44, &phnum) &&
         read_half (p, head, 46, &shentsize) && read_half (p, head, 48, &shnum) &&
         read_half (p, head, 50, &shstrndx);
  if (!ok)
    {
      WARN (p,
            _("The ELF header is truncated: the file has %" PRIu64 " bytes, the header needs %u."),
            p->file_size, p->is64 ? 64 : 52);
      return;
    }

  set_name (r, "type", type_names, G_N_ELEMENTS (type_names), type);
  json_object_set_int_member (r, "type_value", type);
  json_object_set_int_member (r, "machine", machine);
  set_name (r, "machine_name", machine_names, G_N_ELEMENTS (machine_names), machine);
  json_object_set_int_member (r, "entry", (gint64) entry);
  json_object_set_int_member (r, "flags", flags);
  json_object_set_int_member (r, "program_header_offset", (gint64) phoff);
  json_object_set_int_member (r, "section_header_offset", (gint64) shoff);

  /* Extended numbering: the real counts live in section header 0. */
  real_shnum = shnum;
  real_phnum = phnum;
  shstrndx_real = shstrndx;
  if (shoff != 0 && shoff < p->file_size && shentsize >= (p->is64 ? 64 : 40) &&
      (shnum == 0 || shstrndx == 0xffff || phnum == 0xffff))
    {
      parse_sections (p, shoff, shentsize, 1);
      if (p->n_sections == 1)
        {
          if (shnum == 0)
            real_shnum = p->sections[0].size;
          if (shstrndx == 0xffff)
            shstrndx_real = p->sections[0].link;
          if (phnum == 0xffff)
            real_phnum = p->sections[0].info;
        }
      g_clear_pointer (&p->sections, g_free);
      p->n_sections = 0;
    }
  json_object_set_int_member (r, "number_of_sections", (gint64) real_shnum);
  json_object_set_int_member (r, "number_of_segments", (gint64) real_phnum);

  if (phoff != 0)
    parse_segments (p, phoff, phentsize, real_phnum);
  else if (real_phnum != 0)
    WARN (p, _("The header declares %" PRIu64 " program headers at offset 0."), real_phnum);
  if (g_cancellable_is_cancelled (p->cancellable))
    return;
  if (shoff != 0)
    parse_sections (p, shoff, shentsize, real_shnum);
  name_sections (p, shstrndx_real);

  if (entry != 0 && p->n_segments > 0)
    {
      guint64 offset;

      if (!vaddr_to_offset (p, entry, &offset))
        WARN (p, _("The entry point 0x%" PRIx64 " is outside every loaded segment."), entry);
    }
  parse_interpreter (p);
  parse_dynamic (p);
  /* A static program needs no libraries: an empty list, not a missing one. */
  if (!json_object_has_member (p->result, "needed"))
    json_object_set_array_member (p->result, "needed", json_array_new ());
  if (g_cancellable_is_cancelled (p->cancellable))
    return;
  segments_to_json (p);
  sections_to_json (p);
}

/**
 * sp_elf_analyze:
 * @sample: the sample
 * @cancellable: (nullable): checked between the parsing stages
 *
 * Returns: (transfer full) (nullable): the "elf" report section, or %NULL
 * if @sample does not start with the ELF magic
 */
JsonObject *
sp_elf_analyze (SpSample     *sample,
                GCancellable *cancellable)
{
  ElfParser parser = { 0 };
  ElfParser *p = &parser;
  g_autoptr(GBytes) head_bytes = NULL;
  guint8 elf_class = 0, data = 0;
  SpSpan head;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  head_bytes = sp_sample_read_bytes (sample, 0, 64, NULL);
  if (head_bytes == NULL)
    return NULL;
  head = sp_span_init (g_bytes_get_data (head_bytes, NULL), g_bytes_get_size (head_bytes));
  if (!sp_span_has_prefix (&head, 0, "\177ELF", 4))
    return NULL;

  p->sample = sample;
  p->cancellable = cancellable;
  p->file_size = sp_sample_get_size (sample);
  p->result = json_object_new ();
  sp_warnings_init (&p->warnings);

  if (!sp_span_read_u8 (&head, 4, &elf_class) || !sp_span_read_u8 (&head, 5, &data))
    {
      WARN (p,
            _("The ELF header is truncated: the file has %" PRIu64 " bytes, the header needs %u."),
            p->file_size, 52);
      goto out;
    }
  if (elf_class == 1 || elf_class == 2)
    json_object_set_string_member (p->result, "class", elf_class == 1 ? "ELF32" : "ELF64");
  if (data == 1 || data == 2)
    json_object_set_string_member (p->result, "endianness", data == 1 ? "little" : "big");

  if (elf_class != 1 && elf_class != 2)
    WARN (p, _("Unknown ELF class %u at offset 0x4; the headers are not read."), elf_class);
  else if (data != 1 && data != 2)
    WARN (p, _("Unknown ELF data encoding %u at offset 0x5; the headers are not read."), data);
  else
    {
      p->is64 = elf_class == 2;
      p->big_endian = data == 2;
      parse_header (p, &head);
    }

out:
  json_object_set_array_member (p->result, "warnings", sp_warnings_steal_json (&p->warnings));
  for (guint i = 0; i < p->n_sections; i++)
    g_free (p->sections[i].name_text);
  g_free (p->sections);
  g_free (p->segments);
  sp_warnings_clear (&p->warnings);
  return p->result;
}

static const SpRenderColumn segment_columns[] = {
  { N_("Type"), "type", sp_render_string, 12 },
  { N_("Flags"), "flags", sp_render_string, 5 },
  { N_("Offset"), "offset", sp_render_hex, 10 },
  { N_("Virtual address"), "virtual_address", sp_render_hex, 18 },
  { N_("File size"), "file_size", sp_render_hex, 10 },
  { N_("Memory size"), "memory_size", sp_render_hex, 10 },
};

static const SpRenderColumn section_columns[] = {
  { N_("Name"), "name", sp_render_string, 20 },
  { N_("Type"), "type", sp_render_string, 12 },
  { N_("Flags"), "flags", sp_render_string, 5 },
  { N_("Offset"), "offset", sp_render_hex, 10 },
  { N_("Size"), "size", sp_render_hex, 10 },
  { N_("Entropy"), "entropy", sp_render_entropy, 7 },
};

/**
 * sp_elf_render:
 *
 * Writes the "elf" section for people, in the writer's format.
 */
void
sp_elf_render (JsonObject     *section,
               SpReportWriter *writer)
{
  g_autofree char *needed = NULL;

  sp_render_field_string (writer, _("Class"), section, "class");
  sp_render_field_string (writer, _("Byte order"), section, "endianness");
  sp_render_field_string (writer, _("OS/ABI"), section, "os_abi_name");
  sp_render_field_string (writer, _("Type"), section, "type");
  sp_render_field_named_int (writer, _("Machine"), section, "machine", "machine_name");
  sp_render_field_hex (writer, _("Entry point"), section, "entry");
  sp_render_field_string (writer, _("Interpreter"), section, "interpreter");
  sp_render_field_string (writer, _("SONAME"), section, "soname");
  needed = sp_render_string_list (section, "needed", ", ");
  if (needed != NULL && *needed != '\0')
    sp_report_writer_field (writer, _("Needed libraries"), needed);
  sp_render_field_bool (writer, _("Stripped"), section, "stripped");
  sp_render_field_int (writer, _("Symbols"), section, "symbols");
  sp_render_field_int (writer, _("Dynamic symbols"), section, "dynamic_symbols");

  sp_render_json_table (writer, _("Program headers"), sp_json_get_array (section, "segments"),
                        segment_columns, G_N_ELEMENTS (segment_columns));
  sp_render_json_table (writer, _("Sections"), sp_json_get_array (section, "sections"),
                        section_columns, G_N_ELEMENTS (section_columns));
  sp_render_warnings (writer, section);
}
