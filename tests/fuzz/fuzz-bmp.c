/* fuzz-bmp.c: libFuzzer target for the BMP parser, and the renderer of its section */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-bmp"

#include "fuzz-common.h"
#include "sp-bmp.h"

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
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "fuzz.bmp");
  g_autoptr(SpIocSet) iocs = sp_ioc_set_new ();
  JsonObject *section;

  section = sp_bmp_analyze (sample);
  if (section != NULL)
    {
      fuzz_render_section ("bmp", section);
      json_object_unref (section);
    }
  sp_ioc_set_seal (iocs);
  return 0;
}
