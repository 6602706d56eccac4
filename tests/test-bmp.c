/* test-bmp.c: the BMP header walk against a plain struct walk
 *
 * Bitmaps written by python3-pil and hand-built ones for every DIB header
 * variant are compared with tests/bmp-oracle.py, which reads the same
 * fields with Python's struct module. Inconsistent headers must give
 * warnings, never crashes.
 */
#include "config.h"

#include "sp-bmp.h"
#include "parsers-test-util.h"

static JsonObject *
analyze_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSample) sample = sp_sample_open (path, &error);
  JsonObject *section;

  g_assert_no_error (error);
  section = sp_bmp_analyze (sample);
  g_assert_nonnull (section);
  return section;
}

static JsonObject *
compare_with_walk (const char *path)
{
  g_autoptr(JsonObject) oracle = run_oracle ("bmp-oracle.py", "walk", path);
  JsonObject *ours = analyze_path (path);

  assert_json_object_subset (oracle, ours, path);
  return ours;
}

static void
test_pil (void)
{
  g_autofree char *dir = g_dir_make_tmp ("specimen-bmp-XXXXXX", NULL);
  g_autoptr(JsonObject) made = NULL;
  JsonArray *paths;

  g_assert_nonnull (dir);
  made = run_oracle ("bmp-oracle.py", "make", dir);
  paths = json_object_get_array_member (made, "paths");
  g_assert_cmpuint (json_array_get_length (paths), ==, 5);
  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      const char *path = json_array_get_string_element (paths, i);
      g_autoptr(JsonObject) ours = compare_with_walk (path);

      /* PIL writes consistent files: no warnings. */
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "warnings")),
                        ==, 0);
      g_assert_cmpstr (json_object_get_string_member (ours, "header_name"), ==, "BITMAPINFOHEADER");
      g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct
{
  guint32 header_size;
  gint32  width;
  gint32  height;
  guint16 bpp;
  guint32 compression;
  guint32 colors;
  const char *name;
} BmpSpec;

/* A consistent bitmap: headers, palette, masks and padded rows. */
static GByteArray *
build_bmp (const BmpSpec *spec)
{
  GByteArray *b = g_byte_array_new ();
  guint64 rows = spec->height < 0 ? -(gint64) spec->height : spec->height;
  guint64 row_size = (((guint64) spec->width * spec->bpp + 31) / 32) * 4;
  guint32 palette_entries = spec->bpp <= 8 ? (spec->colors ? spec->colors : 1u << spec->bpp) : 0;
  guint32 entry = spec->header_size == 12 ? 3 : 4;
  guint32 masks = spec->compression == 3 && spec->header_size == 40 ? 12 : 0;
  guint32 pixel_offset = 14 + spec->header_size + masks + palette_entries * entry;
  guint32 image_size = (guint32) (row_size * rows);

  put_bytes (b, 0, "BM", 2);
  put_u32 (b, 2, pixel_offset + image_size);
  put_u32 (b, 10, pixel_offset);
  put_u32 (b, 14, spec->header_size);
  if (spec->header_size == 12)
    {
      put_u16 (b, 18, spec->width);
      put_u16 (b, 20, (guint16) spec->height);
      put_u16 (b, 22, 1);
      put_u16 (b, 24, spec->bpp);
    }
  else
    {
      put_u32 (b, 18, (guint32) spec->width);
      put_u32 (b, 22, (guint32) spec->height);
      put_u16 (b, 26, 1);
      put_u16 (b, 28, spec->bpp);
      put_u32 (b, 30, spec->compression);
      put_u32 (b, 34, image_size);
      put_u32 (b, 38, 2835);
      put_u32 (b, 42, 2835);
      put_u32 (b, 46, spec->colors);
      if (spec->compression == 3)
        {
          put_u32 (b, 54, 0x00ff0000);
          put_u32 (b, 58, 0x0000ff00);
          put_u32 (b, 62, 0x000000ff);
        }
    }
  put_u8 (b, 14 + spec->header_size - 1, 0);
  for (guint32 i = 0; i < palette_entries; i++)
    put_u8 (b, 14 + spec->header_size + masks + i * entry, (guint8) i);
  for (guint32 i = 0; i < image_size; i++)
    put_u8 (b, pixel_offset + i, (guint8) (i * 7));
  return b;
}

static const BmpSpec variants[] = {
  { 12, 9, 5, 8, 0, 0, "BITMAPCOREHEADER" },
  { 40, 7, -3, 24, 0, 0, "BITMAPINFOHEADER" },
  { 40, 5, 4, 16, 3, 0, "BITMAPINFOHEADER" },
  { 40, 33, 2, 1, 0, 0, "BITMAPINFOHEADER" },
  { 40, 6, 6, 4, 0, 5, "BITMAPINFOHEADER" },
  { 52, 4, 4, 32, 3, 0, "BITMAPV2INFOHEADER" },
  { 56, 3, 2, 32, 0, 0, "BITMAPV3INFOHEADER" },
  { 108, 2, -2, 32, 3, 0, "BITMAPV4HEADER" },
  { 124, 11, 3, 24, 0, 0, "BITMAPV5HEADER" },
};

static void
test_variant (gconstpointer data)
{
  const BmpSpec *spec = data;
  g_autoptr(GByteArray) b = build_bmp (spec);
  g_autofree char *path = write_temp (b, "specimen-bmp-XXXXXX.bmp");
  g_autoptr(JsonObject) ours = compare_with_walk (path);

  g_assert_cmpstr (json_object_get_string_member (ours, "header_name"), ==, spec->name);
  g_assert_cmpint (json_object_get_int_member (ours, "actual_file_size"), ==, b->len);
  g_assert_true (json_object_get_boolean_member (ours, "top_down") == (spec->height < 0));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ours, "warnings")), ==, 0);
  g_unlink (path);
}

static JsonObject *
analyze_array (GByteArray *b)
{
  g_autoptr(SpSample) sample = sample_from_array (b, "hostile.bmp");
  JsonObject *section = sp_bmp_analyze (sample);
  g_autofree char *text = NULL;

  g_assert_nonnull (section);
  text = render_section (sp_bmp_render, section, SP_REPORT_FORMAT_TEXT);
  return section;
}

static const BmpSpec rgb = { 40, 4, 3, 24, 0, 0, "BITMAPINFOHEADER" };
static const BmpSpec gray = { 40, 4, 4, 8, 0, 0, "BITMAPINFOHEADER" };

static void
test_not_bmp (void)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(SpSample) sample = NULL;

  put_string (b, 0, "BMW is a car brand, and this is a text file about it.\n");
  sample = sample_from_array (b, "x.txt");
  g_assert_null (sp_bmp_analyze (sample));
}

static void
test_size_mismatch (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 2, 1000);
  s = analyze_array (b);
  assert_warning (s, "declares a file size of 1000 bytes, but the file has 90");
  g_assert_cmpint (json_object_get_int_member (s, "file_size"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (s, "width"), ==, 4);
}

static void
test_pixel_offset_past_end (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 10, 0xfffffff0);
  s = analyze_array (b);
  assert_warning (s, "pixel data offset 0xfffffff0 lies past the end of the file (0x5a bytes)");
  assert_warning (s, "The pixel data needs 36 bytes from offset 0xfffffff0");
}

static void
test_pixel_offset_inside_headers (void)
{
  g_autoptr(GByteArray) b = build_bmp (&gray);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 10, 20);
  s = analyze_array (b);
  assert_warning (s, "pixel data offset 0x14 lies inside the headers, which end at 0x36");
}

static void
test_palette_overlaps_pixels (void)
{
  g_autoptr(GByteArray) b = build_bmp (&gray);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 10, 54 + 16);
  s = analyze_array (b);
  assert_warning (s, "The palette (256 colours) overlaps the pixel data at offset 0x46");
}

static void
test_unknown_header_size (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 14, 0x7fffffff);
  s = analyze_array (b);
  assert_warning (s, "Unknown info header size 2147483647 at offset 0xe");
  assert_warning (s, "The 2147483647-byte info header runs past the end of the file");
  g_assert_cmpstr (json_object_get_string_member (s, "header_name"), ==, "unknown");
}

static void
test_bad_planes_and_depth (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u16 (b, 26, 3);
  put_u16 (b, 28, 7);
  s = analyze_array (b);
  assert_warning (s, "The number of colour planes is 3; it must be 1");
  assert_warning (s, "7 bits per pixel is not a valid bitmap depth");
}

static void
test_compression_mismatch (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 30, 1);
  put_u32 (b, 22, (guint32) -3);
  s = analyze_array (b);
  assert_warning (s, "Compression BI_RLE8 does not fit 24 bits per pixel");
  assert_warning (s, "top-down bitmap (negative height) cannot use RLE compression");
  g_assert_cmpint (json_object_get_int_member (s, "height"), ==, -3);
}

static void
test_zero_dimensions (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 18, (guint32) -5);
  put_u32 (b, 22, 0);
  s = analyze_array (b);
  assert_warning (s, "The width is -5; it must be positive");
  assert_warning (s, "The height is 0");
}

static void
test_dimension_overflow (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 18, 0x7fffffff);
  put_u32 (b, 22, 0x7fffffff);
  put_u16 (b, 28, 0xffff);
  s = analyze_array (b);
  assert_warning (s,
                  "2147483647 × 2147483647 pixels at 65535 bits per pixel overflows 64-bit "
                  "arithmetic");
}

static void
test_image_size_mismatch (void)
{
  g_autoptr(GByteArray) b = build_bmp (&rgb);
  g_autoptr(JsonObject) s = NULL;

  put_u32 (b, 34, 4096);
  s = analyze_array (b);
  assert_warning (s,
                  "The declared image size (4096 bytes) differs from the 36 bytes the dimensions "
                  "need");
  g_assert_cmpint (json_object_get_int_member (s, "expected_image_size"), ==, 36);
}

static void
test_truncations (void)
{
  const BmpSpec *specs[] = { &variants[0], &variants[7], &gray };

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    {
      g_autoptr(GByteArray) full = build_bmp (specs[k]);

      for (guint cut = 2; cut < full->len; cut++)
        {
          g_autoptr(GByteArray) b = g_byte_array_new ();
          g_autoptr(SpSample) sample = NULL;
          g_autoptr(JsonObject) s = NULL;

          g_byte_array_append (b, full->data, cut);
          sample = sample_from_array (b, "cut.bmp");
          s = sp_bmp_analyze (sample);
          /* Too short to tell from text starting with "BM": not claimed. Otherwise a warning. */
          if (s == NULL)
            {
              g_assert_cmpuint (cut, <, 18);
              continue;
            }
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "warnings")),
                            >, 0);
          g_free (render_section (sp_bmp_render, s, SP_REPORT_FORMAT_TEXT));
        }
    }
}

static void
test_render (void)
{
  g_autoptr(GByteArray) b = build_bmp (&variants[1]);
  g_autoptr(SpSample) sample = sample_from_array (b, "x.bmp");
  g_autoptr(JsonObject) section = sp_bmp_analyze (sample);
  g_autofree char *text = render_section (sp_bmp_render, section, SP_REPORT_FORMAT_TEXT);
  g_autofree char *md = render_section (sp_bmp_render, section, SP_REPORT_FORMAT_MARKDOWN);
  g_autoptr(JsonObject) hostile = json_object_new ();

  g_assert_nonnull (strstr (text, "BITMAPINFOHEADER"));
  g_assert_nonnull (strstr (text, "7 × 3"));
  g_assert_nonnull (strstr (text, "top-down"));
  /* Markdown escapes the underscore. */
  g_assert_nonnull (strstr (md, "BI\\_RGB"));

  json_object_set_string_member (hostile, "width", "x");
  json_object_set_int_member (hostile, "header_name", 3);
  json_object_set_boolean_member (hostile, "warnings", TRUE);
  g_free (render_section (sp_bmp_render, hostile, SP_REPORT_FORMAT_HTML));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/specimen/bmp/pil", test_pil);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *name = g_strdup_printf ("/specimen/bmp/variant/%u-%dx%d-%ubpp-c%u",
                                               variants[i].header_size, variants[i].width,
                                               variants[i].height, variants[i].bpp,
                                               variants[i].compression);
      g_test_add_data_func (name, &variants[i], test_variant);
    }
  g_test_add_func ("/specimen/bmp/render", test_render);
  g_test_add_func ("/specimen/bmp/malformed/not-bmp", test_not_bmp);
  g_test_add_func ("/specimen/bmp/malformed/size-mismatch", test_size_mismatch);
  g_test_add_func ("/specimen/bmp/malformed/pixel-offset-past-end", test_pixel_offset_past_end);
  g_test_add_func ("/specimen/bmp/malformed/pixel-offset-inside-headers",
                   test_pixel_offset_inside_headers);
  g_test_add_func ("/specimen/bmp/malformed/palette-overlaps-pixels", test_palette_overlaps_pixels);
  g_test_add_func ("/specimen/bmp/malformed/unknown-header-size", test_unknown_header_size);
  g_test_add_func ("/specimen/bmp/malformed/bad-planes-and-depth", test_bad_planes_and_depth);
  g_test_add_func ("/specimen/bmp/malformed/compression-mismatch", test_compression_mismatch);
  g_test_add_func ("/specimen/bmp/malformed/zero-dimensions", test_zero_dimensions);
  g_test_add_func ("/specimen/bmp/malformed/dimension-overflow", test_dimension_overflow);
  g_test_add_func ("/specimen/bmp/malformed/image-size-mismatch", test_image_size_mismatch);
  g_test_add_func ("/specimen/bmp/malformed/truncations", test_truncations);

  return g_test_run ();
}
