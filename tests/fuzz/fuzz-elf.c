/* fuzz-elf.c: libFuzzer target for the ELF parser, and the renderer of its section */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-elf"

#include "fuzz-common.h"
#include "sp-elf.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "fuzz.elf");
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  JsonObject *section;

  section = sp_elf_analyze (sample, NULL);
  if (section != NULL)
    {
      fuzz_render_section ("elf", section);
      json_object_unref (section);
    }
  sp_ioc_set_seal (iocs);
  return 0;
}
