/* fuzz-file-type.c: libFuzzer target for file-type detection */
#include "config.h"
#define G_LOG_DOMAIN "fuzz-file-type"

#include "fuzz-common.h"
#include "sp-file-type.h"

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
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "fuzz.bin");
  g_autoptr(SpFileType) type = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *section;

  type = sp_file_type_detect (sample, &error);
  if (type == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_nonnull (sp_file_type_get_name (type));
  for (guint i = 0; i < sp_file_type_get_n_evidence (type); i++)
    {
      guint64 offset;
      const char *hex, *what;

      g_assert_true (sp_file_type_get_evidence (type, i, &offset, &hex, &what));
    }
  section = sp_file_type_to_json (type);
  fuzz_render_section ("type", section);
  json_object_unref (section);
  return 0;
}
