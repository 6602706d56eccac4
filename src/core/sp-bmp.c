/* sp-bmp.c: Windows bitmap headers
 *
 * The classic header walk: BITMAPFILEHEADER (14 bytes) and the DIB header
 * after it, whose size names the variant. Sizes are computed in 64 bits
 * with overflow checks, so absurd dimensions become warnings.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-bmp"

#include <glib/gi18n.h>

#include "sp-bmp.h"
#include "sp-parsers-private.h"
#include "sp-span.h"

#define BMP_FILE_HEADER 14
#define BMP_READ_SIZE   (BMP_FILE_HEADER + 124)

static const struct
{
  guint32     size;
  const char *name;
} header_variants[] = {
  { 12, "BITMAPCOREHEADER" },
  { 16, "OS22XBITMAPHEADER (short)" },
  { 40, "BITMAPINFOHEADER" },
  { 52, "BITMAPV2INFOHEADER" },
  { 56, "BITMAPV3INFOHEADER" },
  { 64, "OS22XBITMAPHEADER" },
  { 108, "BITMAPV4HEADER" },
  { 124, "BITMAPV5HEADER" },
};

static const char * const compression_names[] = {
  "BI_RGB", "BI_RLE8", "BI_RLE4", "BI_BITFIELDS", "BI_JPEG", "BI_PNG", "BI_ALPHABITFIELDS",
};

static const char *
variant_name (guint32 size)
{
  for (gsize i = 0; i < G_N_ELEMENTS (header_variants); i++)
    if (header_variants[i].size == size)
      return header_variants[i].name;
  return NULL;
}

static const char *
compression_name (guint32 compression)
{
  if (compression < G_N_ELEMENTS (compression_names))
    return compression_names[compression];
  if (compression == 11)
    return "BI_CMYK";
  if (compression == 12)
    return "BI_CMYKRLE8";
  if (compression == 13)
    return "BI_CMYKRLE4";
  return NULL;
}

static void
check_consistency (JsonObject *r,
                   SpWarnings *warnings,
                   guint64     file_size,
                   guint32     pixel_offset,
                   guint32     header_size,
                   gint64      width,
                   gint64      height,
                   guint16     planes,
                   guint16     bpp,
                   guint32     compression,
                   guint32     image_size,
                   guint32     colors_used,
                   gboolean    core)
{
  guint64 abs_height = height < 0 ? (guint64) -height : (guint64) height;
  guint64 palette_entries = 0, palette_bytes, headers_end, row_bits, row_size, pixel_bytes, end;
  guint entry_size = core ? 3 : 4;
  gboolean uncompressed;

  if (planes != 1)
    sp_warnings_add (warnings, _("The number of colour planes is %u; it must be 1."), planes);
  if (bpp != 1 && bpp != 2 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32 &&
      !(bpp == 0 && (compression == 4 || compression == 5)))
    sp_warnings_add (warnings, _("%u bits per pixel is not a valid bitmap depth."), bpp);
  if (width <= 0)
    sp_warnings_add (warnings, _("The width is %" PRId64 "; it must be positive."), width);
  if (height == 0)
    sp_warnings_add (warnings, _("The height is 0."));
  if (height < 0 && (compression == 1 || compression == 2))
    sp_warnings_add (warnings,
                     _("A top-down bitmap (negative height) cannot use RLE compression."));
  if ((compression == 1 && bpp != 8) || (compression == 2 && bpp != 4) ||
      (compression == 3 && bpp != 16 && bpp != 32))
    sp_warnings_add (warnings, _("Compression %s does not fit %u bits per pixel."),
                     compression_name (compression), bpp);
  if (compression_name (compression) == NULL)
    sp_warnings_add (warnings, _("Unknown compression %u."), compression);

  /* The palette sits between the DIB header and the pixels. */
  if (bpp <= 8 && bpp > 0)
    palette_entries = colors_used != 0 ? colors_used : (G_GUINT64_CONSTANT (1) << bpp);
  else
    palette_entries = colors_used;
  if (bpp > 0 && bpp <= 8 && colors_used > (1u << bpp))
    sp_warnings_add (warnings, _("The palette declares %u colours; %u bits per pixel allow %u."),
                     colors_used, bpp, 1u << bpp);
  palette_bytes = palette_entries * entry_size;
  headers_end = BMP_FILE_HEADER + (guint64) header_size;
  if (compression == 3 && header_size == 40)
    headers_end += 12;
  else if (compression == 6 && header_size == 40)
    headers_end += 16;
  json_object_set_int_member (r, "palette_colors", (gint64) palette_entries);
  if (pixel_offset < headers_end)
    sp_warnings_add (warnings,
                     _("The pixel data offset 0x%x lies inside the headers, which end at "
                       "0x%" PRIx64 "."),
                     pixel_offset, headers_end);
  else if (headers_end + palette_bytes > pixel_offset && palette_entries > 0)
    sp_warnings_add (warnings,
                     _("The palette (%" PRIu64 " colours) overlaps the pixel data at offset 0x%x."),
                     palette_entries, pixel_offset);
  if (pixel_offset >= file_size)
    sp_warnings_add (warnings,
                     _("The pixel data offset 0x%x lies past the end of the file "
                       "(0x%" PRIx64 " bytes)."),
                     pixel_offset, file_size);

  /* Uncompressed rows are padded to 4 bytes. */
  uncompressed = compression == 0 || compression == 3 || compression == 6;
  if (width <= 0 || height == 0 || bpp == 0 || !uncompressed)
    {
      if (!uncompressed && image_size == 0)
        sp_warnings_add (warnings, _("A compressed bitmap must declare its image size."));
      else if (image_size != 0 &&
               (pixel_offset >= file_size || file_size - pixel_offset < image_size))
        sp_warnings_add (warnings, _("The image size (%u bytes) runs past the end of the file."),
                         image_size);
      return;
    }
  if (!sp_checked_mul ((guint64) width, bpp, &row_bits) ||
      !sp_checked_add (row_bits, 31, &row_bits) ||
      !sp_checked_mul (row_bits / 32, 4, &row_size) ||
      !sp_checked_mul (row_size, abs_height, &pixel_bytes))
    {
      sp_warnings_add (warnings,
                       _("%" PRId64 " × %" PRId64 " pixels at %u bits per pixel overflows 64-bit "
                         "arithmetic."),
                       width, height, bpp);
      return;
    }
  json_object_set_int_member (r, "row_size", (gint64) row_size);
  json_object_set_int_member (r, "expected_image_size", (gint64) pixel_bytes);
  if (image_size != 0 && image_size != pixel_bytes)
    sp_warnings_add (warnings,
                     _("The declared image size (%u bytes) differs from the %" PRIu64 " bytes "
                       "the dimensions need."),
                     image_size, pixel_bytes);
  if (!sp_checked_add (pixel_offset, pixel_bytes, &end) || end > file_size)
    sp_warnings_add (warnings,
                     _("The pixel data needs %" PRIu64 " bytes from offset 0x%x, but the file ends "
                       "at 0x%" PRIx64 "."),
                     pixel_bytes, pixel_offset, file_size);
}

/**
 * sp_bmp_analyze:
 * @sample: the sample
 *
 * A sample counts as a bitmap when it starts with "BM" and either its DIB
 * header size is a known variant or its declared size matches the file;
 * text that merely starts with "BM" is left alone.
 *
 * Returns: (transfer full) (nullable): the "bmp" report section, or %NULL
 * if @sample is not a BMP
 */
JsonObject *
sp_bmp_analyze (SpSample *sample)
{
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *r;
  SpWarnings warnings;
  SpSpan span;
  guint64 file_size;
  guint32 declared_size = 0, pixel_offset = 0, header_size = 0, compression = 0, image_size = 0;
  guint32 colors_used = 0, colors_important = 0;
  guint16 reserved1 = 0, reserved2 = 0, planes = 0, bpp = 0;
  gint64 width = 0, height = 0;
  const char *variant, *name;
  gboolean have_file_header, have_header_size;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  bytes = sp_sample_read_bytes (sample, 0, BMP_READ_SIZE, NULL);
  if (bytes == NULL)
    return NULL;
  span = sp_span_init (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!sp_span_has_prefix (&span, 0, "BM", 2))
    return NULL;
  file_size = sp_sample_get_size (sample);

  have_file_header = sp_span_read_u32_le (&span, 2, &declared_size) &&
                     sp_span_read_u16_le (&span, 6, &reserved1) &&
                     sp_span_read_u16_le (&span, 8, &reserved2) &&
                     sp_span_read_u32_le (&span, 10, &pixel_offset);
  have_header_size = sp_span_read_u32_le (&span, 14, &header_size);
  variant = variant_name (header_size);
  if (variant == NULL && (!have_file_header || declared_size != file_size))
    return NULL;

  r = json_object_new ();
  sp_warnings_init (&warnings);
  json_object_set_string_member (r, "signature", "BM");
  json_object_set_int_member (r, "actual_file_size", (gint64) file_size);
  if (!have_file_header)
    {
      sp_warnings_add (&warnings,
                       _("The file header is truncated: the file has %" PRIu64 " bytes, the header "
                         "needs 14."),
                       file_size);
      goto out;
    }
  json_object_set_int_member (r, "file_size", declared_size);
  json_object_set_int_member (r, "pixel_offset", pixel_offset);
  if (declared_size != file_size)
    sp_warnings_add (&warnings,
                     _("The header declares a file size of %u bytes, but the file has "
                       "%" PRIu64 "."),
                     declared_size, file_size);
  if (reserved1 != 0 || reserved2 != 0)
    sp_warnings_add (&warnings,
                     _("The reserved fields at offset 0x6 are not zero (0x%04x, 0x%04x)."),
                     reserved1, reserved2);
  if (!have_header_size)
    {
      sp_warnings_add (&warnings,
                       _("The info header is missing: the file ends at offset "
                         "0x%" PRIx64 "."), file_size);
      goto out;
    }
  json_object_set_int_member (r, "header_size", header_size);
  json_object_set_string_member (r, "header_name", variant != NULL ? variant : "unknown");
  if (variant == NULL)
    sp_warnings_add (&warnings,
                     _("Unknown info header size %u at offset 0xe; the known sizes are 12, 16, 40, "
                       "52, 56, 64, 108 and 124."),
                     header_size);

  if (header_size == 12)
    {
      guint16 w16, h16;

      if (!sp_span_read_u16_le (&span, 18, &w16) || !sp_span_read_u16_le (&span, 20, &h16) ||
          !sp_span_read_u16_le (&span, 22, &planes) || !sp_span_read_u16_le (&span, 24, &bpp))
        {
          sp_warnings_add (&warnings, _("The info header is truncated at offset 0x%" PRIx64 "."),
                           file_size);
          goto out;
        }
      /* Both are unsigned in the core header: no top-down core bitmaps. */
      width = w16;
      height = h16;
    }
  else
    {
      guint32 w32, h32;
      guint32 x_ppm = 0, y_ppm = 0;

      if (!sp_span_read_u32_le (&span, 18, &w32) || !sp_span_read_u32_le (&span, 22, &h32) ||
          !sp_span_read_u16_le (&span, 26, &planes) || !sp_span_read_u16_le (&span, 28, &bpp))
        {
          sp_warnings_add (&warnings, _("The info header is truncated at offset 0x%" PRIx64 "."),
                           file_size);
          goto out;
        }
      width = (gint32) w32;
      height = (gint32) h32;
      /* The short OS/2 header stops after the bit depth; the rest is optional there. */
      if (header_size >= 40 &&
          (!sp_span_read_u32_le (&span, 30, &compression) ||
           !sp_span_read_u32_le (&span, 34, &image_size) ||
           !sp_span_read_u32_le (&span, 38, &x_ppm) ||
           !sp_span_read_u32_le (&span, 42, &y_ppm) ||
           !sp_span_read_u32_le (&span, 46, &colors_used) ||
           !sp_span_read_u32_le (&span, 50, &colors_important)))
        {
          sp_warnings_add (&warnings, _("The info header is truncated at offset 0x%" PRIx64 "."),
                           file_size);
          json_object_set_int_member (r, "width", width);
          json_object_set_int_member (r, "height", height);
          json_object_set_int_member (r, "planes", planes);
          json_object_set_int_member (r, "bits_per_pixel", bpp);
          goto out;
        }
      if (header_size >= 40)
        {
          json_object_set_int_member (r, "x_pixels_per_meter", (gint32) x_ppm);
          json_object_set_int_member (r, "y_pixels_per_meter", (gint32) y_ppm);
          json_object_set_int_member (r, "colors_used", colors_used);
          json_object_set_int_member (r, "colors_important", colors_important);
        }
    }

  json_object_set_int_member (r, "width", width);
  json_object_set_int_member (r, "height", height);
  json_object_set_boolean_member (r, "top_down", height < 0);
  json_object_set_int_member (r, "planes", planes);
  json_object_set_int_member (r, "bits_per_pixel", bpp);
  json_object_set_int_member (r, "compression", compression);
  name = compression_name (compression);
  json_object_set_string_member (r, "compression_name", name != NULL ? name : "unknown");
  json_object_set_int_member (r, "image_size", image_size);
  if (header_size > 0 && (guint64) BMP_FILE_HEADER + header_size > file_size)
    sp_warnings_add (&warnings,
                     _("The %u-byte info header runs past the end of the file at 0x%" PRIx64 "."),
                     header_size, file_size);
  check_consistency (r, &warnings, file_size, pixel_offset, header_size, width, height, planes, bpp,
                     compression, image_size, colors_used, header_size == 12);

out:
  json_object_set_array_member (r, "warnings", sp_warnings_steal_json (&warnings));
  sp_warnings_clear (&warnings);
  return r;
}

/**
 * sp_bmp_render:
 *
 * Writes the "bmp" section for people, in the writer's format.
 */
void
sp_bmp_render (JsonObject     *section,
               SpReportWriter *writer)
{
  g_autofree char *size = NULL, *dimensions = NULL;
  gint64 value, actual, width, height;

  sp_render_field_string (writer, _("Signature"), section, "signature");
  if (sp_json_get_int (section, "file_size", &value))
    {
      if (sp_json_get_int (section, "actual_file_size", &actual) && actual != value)
        size = g_strdup_printf (_("%" PRId64 " bytes declared, %" PRId64 " actual"), value, actual);
      else
        size = g_strdup_printf (_("%" PRId64 " bytes"), value);
      sp_report_writer_field (writer, _("File size"), size);
    }
  sp_render_field_hex (writer, _("Pixel data offset"), section, "pixel_offset");
  sp_render_field_named_int (writer, _("Info header"), section, "header_size", "header_name");
  if (sp_json_get_int (section, "width", &width) && sp_json_get_int (section, "height", &height))
    {
      dimensions = g_strdup_printf ("%" PRId64 " × %" PRId64 "%s", width,
                                    height < 0 ? -height : height,
                                    height < 0 ? _(" (top-down)") : "");
      sp_report_writer_field (writer, _("Dimensions"), dimensions);
    }
  sp_render_field_int (writer, _("Planes"), section, "planes");
  sp_render_field_int (writer, _("Bits per pixel"), section, "bits_per_pixel");
  sp_render_field_named_int (writer, _("Compression"), section, "compression", "compression_name");
  sp_render_field_int (writer, _("Image size"), section, "image_size");
  sp_render_field_int (writer, _("Horizontal resolution (px/m)"), section, "x_pixels_per_meter");
  sp_render_field_int (writer, _("Vertical resolution (px/m)"), section, "y_pixels_per_meter");
  sp_render_field_int (writer, _("Palette colours"), section, "palette_colors");
  sp_render_warnings (writer, section);
}
