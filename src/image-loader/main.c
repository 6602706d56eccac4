/* specimen-image-loader: decodes one untrusted image in a throw-away process
 *
 * stb_image 2.27 (what Debian ships) misses later upstream security fixes
 * and even current stb has open decoder bugs, so Specimen never runs it in
 * the app. This helper reads the sample bytes on stdin, puts itself under
 * memory, CPU-time, file-size and descriptor limits before looking at a
 * byte, and answers on stdout with a fixed header (see sp-image-loader-
 * protocol.h) followed by the pixels. A crash or a limit hit kills only
 * this process; the app turns it into an error.
 *
 * Usage: specimen-image-loader probe|verify|decode < IMAGE
 *   probe   reads the header only (dimensions, channels, depth)
 *   verify  also decodes the image, to report corruption, but sends no pixels
 *   decode  decodes the image and sends the pixels
 */
#include "config.h"
#define G_LOG_DOMAIN "specimen-image-loader"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>

#include "sp-image-private.h"
#include "sp-span.h"

#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS SP_IMAGE_MAX_SIDE
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb_image.h>
#pragma GCC diagnostic pop

typedef struct
{
  SpImageLoaderFormat format;
  guint32             width;
  guint32             height;
  guint32             channels;
  guint32             bit_depth;
  guint32             flags;
} HeaderInfo;

static void
apply_limits (void)
{
  /* The client applies the same limits between fork and exec; doing it here
   * too keeps them when the helper is started some other way. */
  sp_image_loader_apply_limits ();
  prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static gboolean
write_all (const void *data,
           gsize       length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t n = write (STDOUT_FILENO, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static int
reply (SpImageLoaderStatus  status,
       const HeaderInfo    *info,
       const char          *message,
       const guint8        *pixels,
       guint64              n_pixel_bytes)
{
  guint8 header[SP_IMAGE_LOADER_HEADER_SIZE] = { 0 };
  gsize message_length = message != NULL ? strlen (message) : 0;

  message_length = MIN (message_length, SP_IMAGE_LOADER_MAX_MESSAGE);
  sp_image_loader_header_encode (header, status, info->format, info->width, info->height,
                                 info->channels, info->bit_depth, info->flags,
                                 (guint32) message_length, n_pixel_bytes);
  if (!write_all (header, sizeof header) ||
      !write_all (message, message_length) ||
      !write_all (pixels, n_pixel_bytes))
    return 3;
  return 0;
}

/* Reads stdin up to the cap; returns NULL (and *too_big) past it. */
static guint8 *
read_input (gsize    *length,
            gboolean *too_big)
{
  gsize allocated = 1 << 16;
  gsize used = 0;
  guint8 *buffer = malloc (allocated);

  *too_big = FALSE;
  if (buffer == NULL)
    return NULL;

  for (;;)
    {
      ssize_t n;

      if (used == allocated)
        {
          guint8 *bigger;

          if (allocated > SP_IMAGE_LOADER_MAX_INPUT)
            {
              *too_big = TRUE;
              free (buffer);
              return NULL;
            }
          allocated = MIN (allocated * 2, (gsize) SP_IMAGE_LOADER_MAX_INPUT + 1);
          bigger = realloc (buffer, allocated);
          if (bigger == NULL)
            {
              free (buffer);
              return NULL;
            }
          buffer = bigger;
        }

      n = read (STDIN_FILENO, buffer + used, allocated - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          free (buffer);
          return NULL;
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }

  if (used > SP_IMAGE_LOADER_MAX_INPUT)
    {
      *too_big = TRUE;
      free (buffer);
      return NULL;
    }
  *length = used;
  return buffer;
}

static guint32
popcount32 (guint32 v)
{
  guint32 n = 0;

  for (; v != 0; v &= v - 1)
    n++;
  return n;
}

/* Our own reading of the header fields, through the bounds-checked span:
 * it gives the dimensions even when stb refuses them (so the user hears
 * "100000 × 100000 is too large" rather than "corrupt"), and the bit depth
 * that stb does not report. */
static gboolean
parse_png_header (const SpSpan *span,
                  HeaderInfo   *info)
{
  static const guint8 ihdr[] = { 'I', 'H', 'D', 'R' };
  guint8 depth, colour_type;

  if (!sp_span_has_prefix (span, 12, ihdr, sizeof ihdr) ||
      !sp_span_read_u32_be (span, 16, &info->width) ||
      !sp_span_read_u32_be (span, 20, &info->height) ||
      !sp_span_read_u8 (span, 24, &depth) ||
      !sp_span_read_u8 (span, 25, &colour_type))
    return FALSE;

  info->bit_depth = depth;
  switch (colour_type)
    {
    case 0: info->channels = 1; break;
    case 2: info->channels = 3; break;
    case 3: info->channels = 3; break;
    case 4: info->channels = 2; break;
    case 6: info->channels = 4; break;
    default: info->channels = 0; break;
    }
  return TRUE;
}

static gboolean
parse_gif_header (const SpSpan *span,
                  HeaderInfo   *info)
{
  guint16 width, height;
  guint8 trailer;

  if (!sp_span_read_u16_le (span, 6, &width) || !sp_span_read_u16_le (span, 8, &height))
    return FALSE;
  /* Every complete GIF ends with the 0x3B trailer. */
  if (!sp_span_read_u8 (span, span->size - 1, &trailer) || trailer != 0x3b)
    info->flags |= SP_IMAGE_LOADER_FLAG_TRUNCATED;
  info->width = width;
  info->height = height;
  info->bit_depth = 8;
  info->channels = 4;
  return TRUE;
}

static gboolean
parse_bmp_header (const SpSpan *span,
                  HeaderInfo   *info)
{
  guint32 header_size, compression = 0, pixel_offset, red = 0, green = 0, blue = 0;
  guint16 bpp;

  if (!sp_span_read_u32_le (span, 10, &pixel_offset) ||
      !sp_span_read_u32_le (span, 14, &header_size))
    return FALSE;

  if (header_size == 12)
    {
      guint16 w, h;

      if (!sp_span_read_u16_le (span, 18, &w) || !sp_span_read_u16_le (span, 20, &h) ||
          !sp_span_read_u16_le (span, 24, &bpp))
        return FALSE;
      info->width = w;
      info->height = h;
    }
  else
    {
      guint32 w, h;

      if (!sp_span_read_u32_le (span, 18, &w) || !sp_span_read_u32_le (span, 22, &h) ||
          !sp_span_read_u16_le (span, 28, &bpp) || !sp_span_read_u32_le (span, 30, &compression))
        return FALSE;
      info->width = (gint32) w < 0 ? (guint32) -(gint64) (gint32) w : w;
      /* Negative height means top-down rows. */
      info->height = (gint32) h < 0 ? (guint32) -(gint64) (gint32) h : h;
    }

  info->channels = bpp == 32 ? 4 : 3;
  if (bpp == 16)
    {
      /* BI_BITFIELDS masks follow a 40-byte header or live inside a larger one. */
      if (compression == 3 &&
          sp_span_read_u32_le (span, 54, &red) && sp_span_read_u32_le (span, 58, &green) &&
          sp_span_read_u32_le (span, 62, &blue))
        info->bit_depth = MAX (popcount32 (red), MAX (popcount32 (green), popcount32 (blue)));
      else
        info->bit_depth = 5;
    }
  else
    info->bit_depth = 8;

  /* stb fills missing rows with zeros without saying so. */
  if (bpp > 0 && bpp <= 32 && compression == 0)
    {
      guint64 row = (((guint64) info->width * bpp + 31) / 32) * 4;
      guint64 needed, end;

      if (sp_checked_mul (row, info->height, &needed) &&
          sp_checked_add (needed, pixel_offset, &end) && end > span->size)
        info->flags |= SP_IMAGE_LOADER_FLAG_TRUNCATED;
    }
  return TRUE;
}

static gboolean
parse_jpeg_header (const SpSpan *span,
                   HeaderInfo   *info)
{
  guint64 offset = 2;
  guint n_segments = 0;
  guint8 tail[2];

  /* A JPEG that stops early still "decodes" in stb, with grey rows. */
  if (!sp_span_read_bytes (span, span->size - MIN (span->size, 2), 2, tail) ||
      tail[0] != 0xff || tail[1] != 0xd9)
    info->flags |= SP_IMAGE_LOADER_FLAG_TRUNCATED;

  /* Walk the marker segments to the first SOFn; the count is capped. */
  while (n_segments++ < 4096)
    {
      guint8 marker_prefix, marker, precision, components;
      guint16 length, w, h;

      if (!sp_span_read_u8 (span, offset, &marker_prefix) || marker_prefix != 0xff ||
          !sp_span_read_u8 (span, offset + 1, &marker))
        return FALSE;
      if (marker == 0xff)
        {
          offset++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          offset += 2;
          continue;
        }
      if (!sp_span_read_u16_be (span, offset + 2, &length) || length < 2)
        return FALSE;
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (!sp_span_read_u8 (span, offset + 4, &precision) ||
              !sp_span_read_u16_be (span, offset + 5, &h) ||
              !sp_span_read_u16_be (span, offset + 7, &w) ||
              !sp_span_read_u8 (span, offset + 9, &components))
            return FALSE;
          info->width = w;
          info->height = h;
          info->channels = components;
          info->bit_depth = precision;
          return TRUE;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE;
      offset += 2 + (guint64) length;
    }
  return FALSE;
}

static SpImageLoaderFormat
detect_format (const SpSpan *span)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };

  if (sp_span_has_prefix (span, 0, png, sizeof png))
    return SP_IMAGE_LOADER_FORMAT_PNG;
  if (sp_span_has_prefix (span, 0, jpeg, sizeof jpeg))
    return SP_IMAGE_LOADER_FORMAT_JPEG;
  if (sp_span_has_prefix (span, 0, "GIF87a", 6) || sp_span_has_prefix (span, 0, "GIF89a", 6))
    return SP_IMAGE_LOADER_FORMAT_GIF;
  if (sp_span_has_prefix (span, 0, "BM", 2))
    return SP_IMAGE_LOADER_FORMAT_BMP;
  return SP_IMAGE_LOADER_FORMAT_UNKNOWN;
}

static gboolean
parse_header (const SpSpan *span,
              HeaderInfo   *info)
{
  switch (info->format)
    {
    case SP_IMAGE_LOADER_FORMAT_PNG: return parse_png_header (span, info);
    case SP_IMAGE_LOADER_FORMAT_JPEG: return parse_jpeg_header (span, info);
    case SP_IMAGE_LOADER_FORMAT_GIF: return parse_gif_header (span, info);
    case SP_IMAGE_LOADER_FORMAT_BMP: return parse_bmp_header (span, info);
    case SP_IMAGE_LOADER_FORMAT_UNKNOWN:
    default: return FALSE;
    }
}

/* stb_image 2.27 copies a DHT segment's symbols into 256-entry tables without
 * checking that its 16 code counts add up to at most 256 (fixed upstream in
 * 2.28; found by tests/fuzz/fuzz-image). stb also meets DHT markers between
 * scans, so every FF C4 in the file is checked the way stb would read it. */
static gboolean
jpeg_huffman_tables_fit (const SpSpan *span)
{
  for (guint64 offset = 0; offset + 1 < span->size; offset++)
    {
      guint8 byte, marker;
      guint16 length;
      guint64 pos;
      gint64 left;

      if (!sp_span_read_u8 (span, offset, &byte) || byte != 0xff ||
          !sp_span_read_u8 (span, offset + 1, &marker) || marker != 0xc4 ||
          !sp_span_read_u16_be (span, offset + 2, &length))
        continue;
      left = (gint64) length - 2;
      pos = offset + 4;
      /* Past the end stb reads zeros: empty tables, harmless. */
      while (left > 0 && pos < span->size)
        {
          guint8 q, count;
          guint n = 0;

          if (!sp_span_read_u8 (span, pos, &q) || (q >> 4) > 1 || (q & 15) > 3)
            break;
          for (guint i = 0; i < 16; i++)
            if (sp_span_read_u8 (span, pos + 1 + i, &count))
              n += count;
          if (n > 256)
            return FALSE;
          pos += 17 + n;
          left -= 17 + (gint64) n;
        }
    }
  return TRUE;
}

static SpImageLoaderStatus
status_for_stb_failure (void)
{
  const char *reason = stbi_failure_reason ();

  if (reason != NULL && strcmp (reason, "outofmem") == 0)
    return SP_IMAGE_LOADER_STATUS_OUT_OF_MEMORY;
  if (reason != NULL && strcmp (reason, "too large") == 0)
    return SP_IMAGE_LOADER_STATUS_TOO_LARGE;
  return SP_IMAGE_LOADER_STATUS_CORRUPT;
}

static int
process (const guint8 *input,
         gsize         input_length,
         gboolean      want_decode,
         gboolean      want_pixels)
{
  HeaderInfo info = { 0 };
  SpSpan span = sp_span_init (input, input_length);
  int stb_w, stb_h, stb_comp;
  guint8 *pixels;
  guint64 n_bytes;
  int status;

  info.format = detect_format (&span);
  if (info.format == SP_IMAGE_LOADER_FORMAT_UNKNOWN)
    return reply (SP_IMAGE_LOADER_STATUS_UNSUPPORTED, &info, NULL, NULL, 0);

  if (!parse_header (&span, &info))
    return reply (SP_IMAGE_LOADER_STATUS_CORRUPT, &info, "header is incomplete", NULL, 0);

  /* Refuse before stb allocates anything for the pixels. */
  if (!sp_image_loader_dimensions_allowed (info.width, info.height))
    return reply (SP_IMAGE_LOADER_STATUS_TOO_LARGE, &info, NULL, NULL, 0);

  if (info.format == SP_IMAGE_LOADER_FORMAT_JPEG && !jpeg_huffman_tables_fit (&span))
    return reply (SP_IMAGE_LOADER_STATUS_CORRUPT, &info, "Huffman table is too large", NULL, 0);

  if (input_length > G_MAXINT ||
      !stbi_info_from_memory (input, (int) input_length, &stb_w, &stb_h, &stb_comp))
    return reply (status_for_stb_failure (), &info, stbi_failure_reason (), NULL, 0);

  /* stb's info reports a top-down BMP's height as negative. */
  if (info.format == SP_IMAGE_LOADER_FORMAT_BMP && stb_h < 0 && stb_h > G_MININT)
    stb_h = -stb_h;

  /* stb's view is the one the pixels will follow. */
  info.width = (guint32) stb_w;
  info.height = (guint32) stb_h;
  if (!sp_image_loader_dimensions_allowed (info.width, info.height))
    return reply (SP_IMAGE_LOADER_STATUS_TOO_LARGE, &info, NULL, NULL, 0);
  info.channels = (guint32) CLAMP (stb_comp, 1, 4);

  if (!want_decode)
    return reply (SP_IMAGE_LOADER_STATUS_OK, &info, NULL, NULL, 0);

  /* Ask for exactly the channel count announced, so the byte count is known. */
  pixels = stbi_load_from_memory (input, (int) input_length, &stb_w, &stb_h, &stb_comp,
                                  (int) info.channels);
  if (pixels == NULL)
    return reply (status_for_stb_failure (), &info, stbi_failure_reason (), NULL, 0);
  if ((guint32) stb_w != info.width || (guint32) stb_h != info.height)
    {
      stbi_image_free (pixels);
      return reply (SP_IMAGE_LOADER_STATUS_CORRUPT, &info, "dimensions changed while decoding",
                    NULL, 0);
    }

  n_bytes = (guint64) info.width * info.height * info.channels;
  status = reply (SP_IMAGE_LOADER_STATUS_OK, &info, NULL, pixels, want_pixels ? n_bytes : 0);
  stbi_image_free (pixels);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  HeaderInfo none = { 0 };
  guint8 *input;
  gsize input_length = 0;
  gboolean too_big;
  gboolean want_pixels, want_decode;
  int status;

  apply_limits ();

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s probe|verify|decode < IMAGE\n", argv[0]);
      return 2;
    }
  want_pixels = strcmp (argv[1], "decode") == 0;
  want_decode = want_pixels || strcmp (argv[1], "verify") == 0;
  if (!want_decode && strcmp (argv[1], "probe") != 0)
    {
      fprintf (stderr, "%s: unknown mode '%s'\n", argv[0], argv[1]);
      return 2;
    }

  input = read_input (&input_length, &too_big);
  if (input == NULL)
    {
      if (too_big)
        return reply (SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE, &none, NULL, NULL, 0);
      return 3;
    }

  status = process (input, input_length, want_decode, want_pixels);
  free (input);
  return status;
}
