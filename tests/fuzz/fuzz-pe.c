/* fuzz-pe.c: libFuzzer target for the PE parser, and the renderer of its section */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-pe"

#include "fuzz-common.h"
#include "sp-pe.h"

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
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "fuzz.exe");
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  JsonObject *section;

  section = sp_pe_analyze (sample, iocs, NULL);
  if (section != NULL)
    {
      fuzz_render_section ("pe", section);
      json_object_unref (section);
    }
  sp_ioc_set_seal (iocs);
  return 0;
}
