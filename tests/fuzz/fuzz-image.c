/* fuzz-image.c: libFuzzer target for the image loader's decode path
 *
 * The helper (src/image-loader/main.c) has no library form: its parsing and
 * decoding live in static functions next to main(). This target compiles that
 * file in with main() renamed and calls process() on each input, as the
 * helper does for its stdin, with the helper's own header checks and size
 * limits. Its replies go to /dev/null. Inputs whose header claims more than
 * FUZZ_DECODE_MAX_PIXELS are only probed: decoding them at full size is
 * allowed by design (under the helper's rlimits) but would make each run
 * take seconds, and the refusal paths are what such inputs test.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#define main specimen_image_loader_main
#include "main.c"
#undef main

#include "fuzz-common.h"

#define FUZZ_DECODE_MAX_PIXELS (1024 * 1024)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  int null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (null_fd, >=, 0);
  g_assert_cmpint (dup2 (null_fd, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (null_fd);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  SpSpan span = sp_span_init (data, size);
  HeaderInfo info = { 0 };
  gboolean decode = FALSE;

  info.format = detect_format (&span);
  if (info.format != SP_IMAGE_LOADER_FORMAT_UNKNOWN && parse_header (&span, &info))
    decode = (guint64) info.width * info.height <= FUZZ_DECODE_MAX_PIXELS;

  g_assert_cmpint (process (data, size, FALSE, FALSE), ==, 0);
  if (decode)
    g_assert_cmpint (process (data, size, TRUE, FALSE), ==, 0);
  return 0;
}
