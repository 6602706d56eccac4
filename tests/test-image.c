/* test-image.c: image decoding in the helper, limits, grayscale, thumbnails
 *
 * Decoded pixels are checked against the patterns make-images.py drew,
 * recomputed here; grayscale and thumbnail sizes are also checked against
 * Pillow (python3-pil) at test time. SPECIMEN_IMAGE_LOADER points at the
 * helper in the build tree.
 */
#include "config.h"
#define G_LOG_DOMAIN "test-image"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sp-image.h"
#include "sp-image-private.h"

#define W 13
#define H 7

/* A refusal reads only the header: milliseconds, mostly the helper's start.
 * Sanitizer runtimes alone take tens of milliseconds to start. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
# define REFUSAL_BUDGET (250 * G_TIME_SPAN_MILLISECOND)
#else
# define REFUSAL_BUDGET (50 * G_TIME_SPAN_MILLISECOND)
#endif

static char *tmp_dir;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "images", name, NULL);
}

static SpSample *
open_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  SpSample *sample = sp_sample_open (path, &error);

  g_assert_no_error (error);
  return sample;
}

static SpSample *
sample_for_data (const void *data,
                 gsize       length,
                 const char *name)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  return sp_sample_new_for_bytes (bytes, name);
}

/* The oracle: the system python3 with Pillow (pyenv shims may lack it). */
static const char *
python_with_pil (void)
{
  static const char *found = NULL;
  static gboolean searched = FALSE;
  static const char * const candidates[] = { "/usr/bin/python3", "python3" };

  if (!searched)
    {
      searched = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (candidates) && found == NULL; i++)
        {
          const char *argv[] = { candidates[i], "-c", "import PIL", NULL };
          int status = -1;

          if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                            G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, NULL, NULL, &status, NULL) &&
              g_spawn_check_wait_status (status, NULL))
            found = candidates[i];
        }
    }
  return found;
}

/* Runs @script under Pillow with @args; returns its stdout. */
static GBytes *
run_python (const char  *script,
            const char  *arg1,
            const char  *arg2)
{
  const char *python = python_with_pil ();
  const char *argv[] = { python, "-c", script, arg1, arg2, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  gsize length;
  int status = -1;

  if (python == NULL)
    {
      g_test_fail_printf ("python3 with Pillow (python3-pil) is needed as the oracle");
      return NULL;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  length = strlen (out);
  return g_bytes_new_take (out, length);
}

static void
pattern_rgb (guint   x,
             guint   y,
             guint8 *rgb)
{
  rgb[0] = x * 19 % 256;
  rgb[1] = y * 37 % 256;
  rgb[2] = (x * y * 11 + 5) % 256;
}

static guint8
pattern_alpha (guint x,
               guint y)
{
  return (x + y) * 17 % 256;
}

static guint8
pattern_gray (guint x,
              guint y)
{
  return (x * 19 + y * 37) % 256;
}

static void
pattern_palette (guint   index,
                 guint8 *rgb)
{
  rgb[0] = index * 60 % 256;
  rgb[1] = index * 90 % 256;
  rgb[2] = index * 120 % 256;
}

static guint8
luma (const guint8 *rgb)
{
  /* Pillow's ImagingConvert L24: BT.601 weights in 16-bit fixed point, rounded. */
  return (rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 0x8000) >> 16;
}

static guint8
expand_bits (guint value,
             guint bits)
{
  /* stb widens n-bit BMP fields by bit replication. */
  guint v = value << (8 - bits);

  return v | (v >> bits) | (v >> (2 * bits));
}

typedef enum
{
  EXPECT_RGB,
  EXPECT_RGBA,
  EXPECT_GRAY,
  EXPECT_GRAY_ALPHA,
  EXPECT_PALETTE16,
  EXPECT_PALETTE256,
  EXPECT_CHECKER,
  EXPECT_RGB555,
  EXPECT_RGB565,
} Expect;

typedef struct
{
  const char *name;
  const char *format;
  guint       channels;
  guint       bit_depth;
  Expect      expect;
  guint       tolerance;
} DecodeCase;

static const DecodeCase decode_cases[] = {
  { "rgb.png", "png", 3, 8, EXPECT_RGB, 0 },
  { "rgba.png", "png", 4, 8, EXPECT_RGBA, 0 },
  { "gray.png", "png", 1, 8, EXPECT_GRAY, 0 },
  { "gray16.png", "png", 1, 16, EXPECT_GRAY, 0 },
  { "gray-alpha.png", "png", 2, 8, EXPECT_GRAY_ALPHA, 0 },
  { "palette.png", "png", 3, 8, EXPECT_PALETTE16, 0 },
  { "rgb.jpg", "jpeg", 3, 8, EXPECT_RGB, 4 },
  { "palette.gif", "gif", 4, 8, EXPECT_PALETTE16, 0 },
  { "mono1.bmp", "bmp", 3, 8, EXPECT_CHECKER, 0 },
  { "pal4.bmp", "bmp", 3, 8, EXPECT_PALETTE16, 0 },
  { "pal8.bmp", "bmp", 3, 8, EXPECT_PALETTE256, 0 },
  { "rgb16-555.bmp", "bmp", 3, 5, EXPECT_RGB555, 0 },
  { "rgb16-565.bmp", "bmp", 3, 6, EXPECT_RGB565, 0 },
  { "rgb24.bmp", "bmp", 3, 8, EXPECT_RGB, 0 },
  { "topdown24.bmp", "bmp", 3, 8, EXPECT_RGB, 0 },
  { "rgba32.bmp", "bmp", 4, 8, EXPECT_RGBA, 0 },
};

static void
expected_pixel (Expect  expect,
                guint   x,
                guint   y,
                guint8 *out)
{
  guint8 rgb[3];

  out[3] = 255;
  switch (expect)
    {
    case EXPECT_RGB:
    case EXPECT_RGBA:
      pattern_rgb (x, y, out);
      if (expect == EXPECT_RGBA)
        out[3] = pattern_alpha (x, y);
      break;
    case EXPECT_GRAY:
      out[0] = pattern_gray (x, y);
      break;
    case EXPECT_GRAY_ALPHA:
      pattern_rgb (x, y, rgb);
      out[0] = luma (rgb);
      out[1] = pattern_alpha (x, y);
      break;
    case EXPECT_PALETTE16:
      pattern_palette ((x + 2 * y) % 16, out);
      break;
    case EXPECT_PALETTE256:
      pattern_palette ((x + 2 * y) % 256, out);
      break;
    case EXPECT_CHECKER:
      memset (out, (x + y) % 2 ? 255 : 0, 3);
      break;
    case EXPECT_RGB555:
    case EXPECT_RGB565:
      pattern_rgb (x, y, rgb);
      out[0] = expand_bits (rgb[0] >> 3, 5);
      out[1] = expect == EXPECT_RGB565 ? expand_bits (rgb[1] >> 2, 6) : expand_bits (rgb[1] >> 3, 5);
      out[2] = expand_bits (rgb[2] >> 3, 5);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_decode_fixture (gconstpointer data)
{
  const DecodeCase *c = data;
  g_autoptr(SpSample) sample = open_fixture (c->name);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpImage) image = sp_image_decode (sample, NULL, &error);
  g_autoptr(JsonObject) section = NULL;
  const guint8 *pixels;
  guint max_diff = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (sp_image_get_width (image), ==, W);
  g_assert_cmpuint (sp_image_get_height (image), ==, H);
  g_assert_cmpuint (sp_image_get_channels (image), ==, c->channels);
  g_assert_cmpuint (sp_image_get_bit_depth (image), ==, c->bit_depth);
  g_assert_cmpstr (sp_image_get_format (image), ==, c->format);
  g_assert_null (sp_image_get_warnings (image)[0]);
  g_assert_cmpuint (g_bytes_get_size (sp_image_get_pixels (image)), ==, W * H * c->channels);

  pixels = g_bytes_get_data (sp_image_get_pixels (image), NULL);
  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      for (guint ch = 0; ch < c->channels; ch++)
        {
          guint8 want[4];
          guint8 got = pixels[(y * W + x) * c->channels + ch];

          expected_pixel (c->expect, x, y, want);
          max_diff = MAX (max_diff, (guint) ABS ((int) got - (int) want[ch]));
        }
  g_test_message ("%s: largest difference %u", c->name, max_diff);
  g_assert_cmpuint (max_diff, <=, c->tolerance);

  /* The report section agrees. */
  section = sp_image_analyze (sample, NULL);
  g_assert_nonnull (section);
  g_assert_cmpstr (json_object_get_string_member (section, "format"), ==, c->format);
  g_assert_cmpint (json_object_get_int_member (section, "width"), ==, W);
  g_assert_cmpint (json_object_get_int_member (section, "height"), ==, H);
  g_assert_cmpint (json_object_get_int_member (section, "channels"), ==, c->channels);
  g_assert_cmpint (json_object_get_int_member (section, "bit_depth"), ==, c->bit_depth);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (section, "warnings")),
                    ==, 0);
}

static SpImage *
random_image (guint width,
              guint height,
              guint channels)
{
  gsize size = (gsize) width * height * channels;
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = g_test_rand_int_range (0, 256);
  /* Include the extremes and a rounding edge (all three weights at .5). */
  memset (data, 255, MIN (size, channels));
  bytes = g_bytes_new_take (data, size);
  return sp_image_new (width, height, channels, bytes);
}

static void
test_grayscale_formula (void)
{
  for (guint channels = 1; channels <= 4; channels++)
    {
      g_autoptr(SpImage) image = random_image (37, 11, channels);
      g_autoptr(SpImage) gray = sp_image_to_grayscale (image);
      const guint8 *in = g_bytes_get_data (sp_image_get_pixels (image), NULL);
      const guint8 *out = g_bytes_get_data (sp_image_get_pixels (gray), NULL);
      guint out_channels = channels % 2 == 0 ? 2 : 1;

      g_assert_cmpuint (sp_image_get_channels (gray), ==, out_channels);
      g_assert_cmpuint (sp_image_get_width (gray), ==, 37);
      g_assert_cmpuint (sp_image_get_height (gray), ==, 11);
      for (guint i = 0; i < 37 * 11; i++)
        {
          const guint8 *p = in + i * channels;
          guint8 want = channels >= 3 ? luma (p) : p[0];

          g_assert_cmpuint (out[i * out_channels], ==, want);
          if (out_channels == 2)
            g_assert_cmpuint (out[i * out_channels + 1], ==, p[channels - 1]);
        }
    }

  /* Spot values of the BT.601 weights, worked by hand. */
  {
    /* (0, 245, 6) is where a decimal 299/587/114 formula, rounded or not, says 144. */
    static const guint8 rgb[] = { 255, 0, 0,  0, 255, 0,  0, 0, 255,  255, 255, 255,  1, 1, 1,
                                  0, 245, 6 };
    static const guint8 want[] = { 76, 150, 29, 255, 1, 145 };
    g_autoptr(GBytes) bytes = g_bytes_new_static (rgb, sizeof rgb);
    g_autoptr(SpImage) image = sp_image_new (6, 1, 3, bytes);
    g_autoptr(SpImage) gray = sp_image_to_grayscale (image);

    g_assert_cmpmem (g_bytes_get_data (sp_image_get_pixels (gray), NULL), 6, want, 6);
  }
}

static const char pil_gray_script[] =
  "import sys\n"
  "from PIL import Image\n"
  "src = Image.open(sys.argv[1])\n"
  "ours = Image.open(sys.argv[2])\n"
  "want = src.convert('LA' if 'A' in src.mode else 'L')\n"
  "assert ours.mode == want.mode, (ours.mode, want.mode)\n"
  "a = want.tobytes(); b = ours.tobytes()\n"
  "print(len(a), max(abs(x - y) for x, y in zip(a, b)))\n";

static void
test_grayscale_pillow (void)
{
  for (guint channels = 3; channels <= 4; channels++)
    {
      g_autoptr(SpImage) image = random_image (256, 64, channels);
      g_autoptr(SpImage) gray = sp_image_to_grayscale (image);
      g_autofree char *src_path = g_build_filename (tmp_dir, "gray-src.png", NULL);
      g_autofree char *out_path = g_build_filename (tmp_dir, "gray-out.png", NULL);
      g_autoptr(GFile) src = g_file_new_for_path (src_path);
      g_autoptr(GFile) out = g_file_new_for_path (out_path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autofree char *want = g_strdup_printf ("%u 0\n", 256 * 64 * (channels - 2));

      sp_image_save_png (image, src, NULL, &error);
      g_assert_no_error (error);
      sp_image_save_png (gray, out, NULL, &error);
      g_assert_no_error (error);

      answer = run_python (pil_gray_script, src_path, out_path);
      if (answer == NULL)
        return;
      /* Pillow's convert("L"/"LA") of our input equals our output exactly. */
      g_assert_cmpstr (g_bytes_get_data (answer, NULL), ==, want);
    }
}

typedef struct
{
  guint width, height, size, want_width, want_height;
} ThumbCase;

/* Expected sizes as Pillow 9.4 gives them (checked again against Pillow below). */
static const ThumbCase thumb_cases[] = {
  { 1, 1, 128, 1, 1 },
  { 7, 3000, 128, 1, 128 },
  { 3000, 7, 128, 128, 1 },
  { 257, 129, 128, 128, 64 },
  { 128, 128, 128, 128, 128 },
  { 100, 50, 128, 100, 50 },
  { 129, 128, 128, 128, 127 },
  { 1000, 999, 128, 128, 128 },
  { 3, 1000, 128, 1, 128 },
  { 640, 480, 128, 128, 96 },
  { 300, 200, 64, 64, 43 },
  { 333, 1000, 100, 33, 100 },
  { 16384, 4096, 128, 128, 32 },
  { 50, 50, 16, 16, 16 },
};

static void
test_thumbnail_sizes (void)
{
  GString *script = g_string_new ("from PIL import Image\n");
  g_autoptr(GBytes) answer = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (thumb_cases); i++)
    {
      const ThumbCase *c = &thumb_cases[i];
      guint w = 0, h = 0;

      sp_image_thumbnail_size (c->width, c->height, c->size, &w, &h);
      g_test_message ("%ux%u in %u: %ux%u", c->width, c->height, c->size, w, h);
      g_assert_cmpuint (w, ==, c->want_width);
      g_assert_cmpuint (h, ==, c->want_height);
      g_string_append_printf (script,
                              "i = Image.new('L', (%u, %u)); i.thumbnail((%u, %u)); "
                              "print('%%d %%d' %% i.size)\n",
                              c->width, c->height, c->size, c->size);
    }

  answer = run_python (script->str, NULL, NULL);
  g_string_free (script, TRUE);
  if (answer == NULL)
    return;
  lines = g_strsplit (g_bytes_get_data (answer, NULL), "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (thumb_cases); i++)
    {
      g_autofree char *want = g_strdup_printf ("%u %u", thumb_cases[i].want_width,
                                               thumb_cases[i].want_height);

      g_assert_nonnull (lines[i]);
      g_assert_cmpstr (lines[i], ==, want);
    }
}

static void
test_thumbnail_pixels (void)
{
  guint width = 300, height = 200;
  guint8 *data = g_malloc (width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpImage) image = NULL;
  g_autoptr(SpImage) thumb = NULL;
  g_autoptr(SpImage) same = NULL;
  const guint8 *out;
  guint tw, th;

  /* A horizontal ramp in red, flat green and blue, opaque. */
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *p = data + (y * width + x) * 4;

        p[0] = x * 255 / (width - 1);
        p[1] = 100;
        p[2] = 200;
        p[3] = 255;
      }
  bytes = g_bytes_new_take (data, width * height * 4);
  image = sp_image_new (width, height, 4, bytes);

  thumb = sp_image_thumbnail (image, SP_IMAGE_DEFAULT_THUMBNAIL_SIZE);
  tw = sp_image_get_width (thumb);
  th = sp_image_get_height (thumb);
  g_assert_cmpuint (tw, ==, 128);
  g_assert_cmpuint (th, ==, 85);
  g_assert_cmpuint (sp_image_get_channels (thumb), ==, 4);
  out = g_bytes_get_data (sp_image_get_pixels (thumb), NULL);
  for (guint y = 0; y < th; y++)
    for (guint x = 0; x < tw; x++)
      {
        const guint8 *p = out + (y * tw + x) * 4;
        /* Centre of output pixel x in source coordinates. */
        double want_red = ((x + 0.5) * width / tw - 0.5) * 255.0 / (width - 1);

        g_assert_cmpfloat (ABS (p[0] - want_red), <=, 2.0);
        g_assert_cmpuint (p[1], ==, 100);
        g_assert_cmpuint (p[2], ==, 200);
        g_assert_cmpuint (p[3], ==, 255);
      }

  /* Never upscaled: a fitting image comes back as is. */
  same = sp_image_thumbnail (thumb, 1000);
  g_assert_true (same == thumb);
}

/* A PNG signature and IHDR chunk (with its CRC) for @width × @height RGB. */
static GBytes *
png_header (guint32 width,
            guint32 height)
{
  guint8 data[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                      'I', 'H', 'D', 'R' };
  guint32 crc = 0xffffffff;

  data[16] = width >> 24; data[17] = width >> 16; data[18] = width >> 8; data[19] = width;
  data[20] = height >> 24; data[21] = height >> 16; data[22] = height >> 8; data[23] = height;
  data[24] = 8;  /* bit depth */
  data[25] = 2;  /* RGB */
  for (guint i = 12; i < 29; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  crc ^= 0xffffffff;
  data[29] = crc >> 24; data[30] = crc >> 16; data[31] = crc >> 8; data[32] = crc;
  return g_bytes_new (data, sizeof data);
}

static void
assert_refused (GBytes     *bytes,
                const char *dimensions)
{
  g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, "huge");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpImage) image = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  image = sp_image_decode (sample, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("refused %s in %" G_GINT64_FORMAT " µs: %s", dimensions, elapsed,
                  error ? error->message : "(no error)");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_TOO_LARGE);
  g_assert_null (image);
  g_assert_nonnull (strstr (error->message, dimensions));
  g_assert_nonnull (strstr (error->message, "huge"));
  g_assert_cmpint (elapsed, <, REFUSAL_BUDGET);
}

static void
test_refuse_oversize (void)
{
  g_autoptr(GBytes) huge = png_header (100000, 100000);
  g_autoptr(GBytes) wide = png_header (16385, 1);
  g_autoptr(GBytes) many = png_header (16384, 4097);
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(JsonObject) section = NULL;
  JsonArray *warnings;
  /* GIF: logical screen 65535 × 20000. */
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 0xff, 0xff, 0x20, 0x4e, 0, 0, 0,
                                0x3b };
  /* BMP with a 40-byte header claiming 20000 × -20000 (top-down). */
  guint8 bmp[54] = { 'B', 'M', 54, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0,
                     0x20, 0x4e, 0, 0, 0xe0, 0xb1, 0xff, 0xff, 1, 0, 24, 0 };
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(GBytes) bmp_bytes = g_bytes_new_static (bmp, sizeof bmp);

  assert_refused (huge, "100000 × 100000");
  assert_refused (wide, "16385 × 1");
  assert_refused (many, "16384 × 4097");
  assert_refused (gif_bytes, "65535 × 20000");
  assert_refused (bmp_bytes, "20000 × 20000");

  /* The report keeps the dimensions and says why it was not decoded. */
  sample = sp_sample_new_for_bytes (huge, "huge.png");
  section = sp_image_analyze (sample, NULL);
  g_assert_nonnull (section);
  g_assert_cmpint (json_object_get_int_member (section, "width"), ==, 100000);
  g_assert_cmpint (json_object_get_int_member (section, "height"), ==, 100000);
  warnings = json_object_get_array_member (section, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (warnings, 0), "over the limit"));
}

static void
test_file_too_large (void)
{
  /* A sparse file: a 100 × 100 PNG header, then zeros up to 257 MiB. */
  g_autoptr(GBytes) header = png_header (100, 100);
  g_autofree char *path = g_build_filename (tmp_dir, "sparse.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpImage) image = NULL;
  g_autoptr(JsonObject) section = NULL;
  JsonArray *warnings;
  FILE *file;

  g_file_set_contents (path, g_bytes_get_data (header, NULL), g_bytes_get_size (header), &error);
  g_assert_no_error (error);
  file = fopen (path, "r+");
  g_assert_nonnull (file);
  g_assert_cmpint (ftruncate (fileno (file), (off_t) 257 * 1024 * 1024), ==, 0);
  fclose (file);

  sample = sp_sample_open (path, &error);
  g_assert_no_error (error);
  image = sp_image_decode (sample, NULL, &error);
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "256"));

  /* The report still has the header's facts, from the first megabytes only. */
  section = sp_image_analyze (sample, NULL);
  g_assert_cmpint (json_object_get_int_member (section, "width"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (section, "height"), ==, 100);
  warnings = json_object_get_array_member (section, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (warnings, 0), "larger than"));
  g_unlink (path);
}

static GBytes *
fixture_prefix (const char *name,
                gsize       keep_numerator,
                gsize       keep_denominator)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length * keep_numerator / keep_denominator);
}

static void
test_truncated (void)
{
  static const char * const corrupt[] = { "rgb.png", "rgb.jpg", "palette.png" };
  static const char * const partial[] = { "rgb24.bmp", "palette.gif" };

  /* stb gives up on these: a clear error that names the file. */
  for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_autoptr(GBytes) bytes = fixture_prefix (corrupt[i], 2, 3);
      g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, corrupt[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpImage) image = sp_image_decode (sample, NULL, &error);
      g_autoptr(JsonObject) section = sp_image_analyze (sample, NULL);

      g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, corrupt[i]));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (section, "warnings")),
                        ==, 1);
    }

  /* stb fills these in: decoded, flagged as partial. */
  for (guint i = 0; i < G_N_ELEMENTS (partial); i++)
    {
      g_autoptr(GBytes) bytes = fixture_prefix (partial[i], 2, 3);
      g_autoptr(SpSample) sample = sp_sample_new_for_bytes (bytes, partial[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpImage) image = sp_image_decode (sample, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (sp_image_get_width (image), ==, W);
      g_assert_nonnull (sp_image_get_warnings (image)[0]);
      g_assert_null (sp_image_get_warnings (image)[1]);
    }

  /* Only a signature, and not an image at all. */
  {
    static const guint8 sig[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    g_autoptr(SpSample) sample = sample_for_data (sig, sizeof sig, "sig.png");
    g_autoptr(SpSample) text = sample_for_data ("hello", 5, "hello.txt");
    g_autoptr(GError) error = NULL;
    g_autoptr(SpImage) image = sp_image_decode (sample, NULL, &error);
    g_autoptr(SpImage) image2 = NULL;

    g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_CORRUPT);
    g_clear_error (&error);
    image2 = sp_image_decode (text, NULL, &error);
    g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_UNSUPPORTED);
    g_assert_null (sp_image_analyze (text, NULL));
  }
}

static char *
write_script (const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static GError *
decode_with_loader (const char *loader,
                    const char *fixture)
{
  g_autofree char *saved = g_strdup (g_getenv ("SPECIMEN_IMAGE_LOADER"));
  g_autoptr(SpSample) sample = open_fixture (fixture);
  g_autoptr(SpImage) image = NULL;
  GError *error = NULL;

  g_setenv ("SPECIMEN_IMAGE_LOADER", loader, TRUE);
  image = sp_image_decode (sample, NULL, &error);
  g_setenv ("SPECIMEN_IMAGE_LOADER", saved, TRUE);
  g_assert_null (image);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", loader, error->message);
  return error;
}

static void
test_loader_failures (void)
{
  g_autofree char *crash = write_script ("crash.sh", "cat >/dev/null; kill -SEGV $$");
  g_autofree char *sleeper = write_script ("sleep.sh", "exec sleep 30");
  g_autofree char *garbage = write_script ("garbage.sh", "cat >/dev/null; echo garbage");
  g_autofree char *liar = NULL;
  g_autofree char *deaf = write_script ("deaf.sh", "exit 0");
  /* Exits 7 only if the limits are in force between fork and exec. */
  g_autofree char *limits = write_script ("limits.sh",
                                          "[ \"$(ulimit -f)\" = 0 ] && [ \"$(ulimit -t)\" = 10 ] && "
                                          "[ \"$(ulimit -n)\" = 16 ] && [ \"$(ulimit -c)\" = 0 ] && "
                                          "exit 7; exit 1");
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-loader", NULL);
  GError *error;
  gint64 start;

  error = decode_with_loader (crash, "rgb.png");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "crashed"));
  g_assert_nonnull (strstr (error->message, "rgb.png"));
  g_clear_error (&error);

  g_setenv ("SPECIMEN_IMAGE_LOADER_TIMEOUT_MS", "300", TRUE);
  start = g_get_monotonic_time ();
  error = decode_with_loader (sleeper, "rgb.png");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
  g_unsetenv ("SPECIMEN_IMAGE_LOADER_TIMEOUT_MS");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "took longer"));
  g_clear_error (&error);

  error = decode_with_loader (garbage, "rgb.png");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "invalid reply"));
  g_clear_error (&error);

  /* A well-formed header whose byte count does not match its dimensions. */
  liar = write_script ("liar.sh",
                       "cat >/dev/null; printf 'SPIMGLD1\\0\\0\\0\\0\\001\\0\\0\\0"
                       "\\002\\0\\0\\0\\002\\0\\0\\0\\003\\0\\0\\0\\010\\0\\0\\0"
                       "\\0\\0\\0\\0\\0\\0\\0\\0\\005\\0\\0\\0\\0\\0\\0\\0"
                       "\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0AAAAA'");
  error = decode_with_loader (liar, "rgb.png");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "invalid reply"));
  g_clear_error (&error);

  /* The helper ignores its stdin: EPIPE for us, not SIGPIPE. */
  error = decode_with_loader (deaf, "pal8.bmp");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_clear_error (&error);

  error = decode_with_loader (limits, "rgb.png");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "exit status 7"));
  g_clear_error (&error);

  error = decode_with_loader (missing, "rgb.png");
  g_assert_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED);
  g_assert_nonnull (strstr (error->message, "could not be started"));
  g_clear_error (&error);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autofree char *sleeper = write_script ("sleep2.sh", "exec sleep 30");
  g_autofree char *saved = g_strdup (g_getenv ("SPECIMEN_IMAGE_LOADER"));
  g_autoptr(SpSample) sample = open_fixture ("rgb.png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpImage) image = NULL;
  GThread *canceller;
  gint64 start = g_get_monotonic_time ();

  /* Cancelling from another thread stops a running helper at once. */
  g_setenv ("SPECIMEN_IMAGE_LOADER", sleeper, TRUE);
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  image = sp_image_decode (sample, cancellable, &error);
  g_thread_join (canceller);
  g_setenv ("SPECIMEN_IMAGE_LOADER", saved, TRUE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (image);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
}

typedef struct
{
  GMainLoop *loop;
  SpImage   *image;
  GError    *error;
} AsyncData;

static void
on_decoded (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *data = user_data;

  data->image = sp_image_decode_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async (void)
{
  g_autoptr(SpSample) sample = open_fixture ("rgba.png");
  AsyncData data = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  sp_image_decode_async (sample, NULL, on_decoded, &data);
  g_main_loop_run (data.loop);
  g_assert_no_error (data.error);
  g_assert_cmpuint (sp_image_get_channels (data.image), ==, 4);
  sp_image_unref (data.image);
  g_main_loop_unref (data.loop);
}

static void
test_render (void)
{
  g_autoptr(SpSample) sample = open_fixture ("gray-alpha.png");
  g_autoptr(JsonObject) section = sp_image_analyze (sample, NULL);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(SpReportWriter) writer = sp_report_writer_new (SP_REPORT_FORMAT_TEXT, stream, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sp_image_render (section, writer);
  sp_report_writer_finish (writer, &error);
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "PNG"));
  g_assert_nonnull (strstr (text, "13 × 7 pixels"));
  g_assert_nonnull (strstr (text, "2 (gray, alpha)"));
  g_assert_nonnull (strstr (text, "8 bits per channel"));
}

static void
test_save_png (void)
{
  g_autoptr(SpSample) sample = open_fixture ("rgba.png");
  g_autoptr(SpImage) image = sp_image_decode (sample, NULL, NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "saved.png", NULL);
  g_autofree char *bad_path = g_build_filename (tmp_dir, "no-such-dir", "saved.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) saved = NULL;
  g_autoptr(SpImage) reloaded = NULL;

  /* Round trip through our encoder and the helper's decoder. */
  sp_image_save_png (image, file, NULL, &error);
  g_assert_no_error (error);
  saved = sp_sample_open (path, &error);
  g_assert_no_error (error);
  reloaded = sp_image_decode (saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sp_image_get_channels (reloaded), ==, 4);
  g_assert_true (g_bytes_equal (sp_image_get_pixels (image), sp_image_get_pixels (reloaded)));

  g_assert_false (sp_image_save_png (image, bad, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "saved.png"));
}

static int
run_cli (const char * const *args,
         char              **err)
{
  const char *cli = g_getenv ("SPECIMEN_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, "image");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  g_autofree char *input = fixture_path ("rgb.png");
  g_autofree char *gray_path = g_build_filename (tmp_dir, "cli-gray.png", NULL);
  g_autofree char *thumb_path = g_build_filename (tmp_dir, "cli-thumb.png", NULL);
  g_autofree char *huge_path = g_build_filename (tmp_dir, "huge.png", NULL);
  g_autofree char *gray_arg = g_strconcat ("--grayscale=", gray_path, NULL);
  g_autofree char *thumb_arg = g_strconcat ("--thumbnail=", thumb_path, NULL);
  g_autoptr(GBytes) huge = png_header (100000, 100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(SpImage) gray = NULL;
  g_autoptr(SpImage) thumb = NULL;
  char *err = NULL;
  const char *ok_args[] = { gray_arg, thumb_arg, "--size=5", input, NULL };
  const char *huge_args[] = { huge_path, NULL };
  const char *no_args[] = { NULL };
  const char *bad_size[] = { "--size=0", input, NULL };
  const char *bad_size2[] = { "--size=abc", input, NULL };
  const char *two_files[] = { input, input, NULL };
  const char *bad_option[] = { "--frobnicate", input, NULL };

  g_assert_cmpint (run_cli (ok_args, &err), ==, 0);
  g_free (err);
  sample = sp_sample_open (gray_path, &error);
  g_assert_no_error (error);
  gray = sp_image_decode (sample, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sp_image_get_channels (gray), ==, 1);
  g_assert_cmpuint (sp_image_get_width (gray), ==, W);
  g_clear_object (&sample);
  sample = sp_sample_open (thumb_path, &error);
  g_assert_no_error (error);
  thumb = sp_image_decode (sample, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sp_image_get_width (thumb), ==, 5);
  g_assert_cmpuint (sp_image_get_height (thumb), ==, 3);

  g_file_set_contents (huge_path, g_bytes_get_data (huge, NULL), g_bytes_get_size (huge), &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_cli (huge_args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "100000 × 100000"));
  g_free (err);

  g_assert_cmpint (run_cli (no_args, &err), ==, 2);
  g_free (err);
  g_assert_cmpint (run_cli (bad_size, &err), ==, 2);
  g_free (err);
  g_assert_cmpint (run_cli (bad_size2, &err), ==, 2);
  g_free (err);
  g_assert_cmpint (run_cli (two_files, &err), ==, 2);
  g_free (err);
  g_assert_cmpint (run_cli (bad_option, &err), ==, 2);
  g_free (err);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-image-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/specimen/image/decode/%s", decode_cases[i].name);

      g_test_add_data_func (path, &decode_cases[i], test_decode_fixture);
    }
  g_test_add_func ("/specimen/image/grayscale/formula", test_grayscale_formula);
  g_test_add_func ("/specimen/image/grayscale/pillow", test_grayscale_pillow);
  g_test_add_func ("/specimen/image/thumbnail/sizes", test_thumbnail_sizes);
  g_test_add_func ("/specimen/image/thumbnail/pixels", test_thumbnail_pixels);
  g_test_add_func ("/specimen/image/refuse-oversize", test_refuse_oversize);
  g_test_add_func ("/specimen/image/file-too-large", test_file_too_large);
  g_test_add_func ("/specimen/image/truncated", test_truncated);
  g_test_add_func ("/specimen/image/loader-failures", test_loader_failures);
  g_test_add_func ("/specimen/image/cancel", test_cancel);
  g_test_add_func ("/specimen/image/async", test_async);
  g_test_add_func ("/specimen/image/render", test_render);
  g_test_add_func ("/specimen/image/save-png", test_save_png);
  g_test_add_func ("/specimen/image/cli", test_cli);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
