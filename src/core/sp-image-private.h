/* sp-image-private.h: what the image client (sp-image.c) and the decoding
 * helper (src/image-loader) share: limits and the reply format.
 *
 * The reply on the helper's stdout is a 64-byte header, little-endian:
 *   0  "SPIMGLD1"             8  u32 status       12  u32 format
 *  16  u32 width             20  u32 height       24  u32 channels
 *  28  u32 bit depth         32  u32 flags        36  u32 message length
 *  40  u64 pixel byte count  48  16 zero bytes
 * then the message (ASCII, a decoder's reason) and the pixels, rows top-down,
 * channels interleaved, 8 bits per channel.
 */
#pragma once

#include <string.h>
#include <sys/resource.h>

#include <glib.h>

G_BEGIN_DECLS

#define SP_IMAGE_MAX_SIDE            16384
#define SP_IMAGE_MAX_PIXELS          (64u * 1024 * 1024)
#define SP_IMAGE_LOADER_MAX_INPUT    ((guint64) 256 * 1024 * 1024)
#define SP_IMAGE_LOADER_HEADER_SIZE  64
#define SP_IMAGE_LOADER_MAX_MESSAGE  256
#define SP_IMAGE_LOADER_MAGIC        "SPIMGLD1"

/* Limits of the helper process. The address space allows the worst case
 * within SP_IMAGE_MAX_PIXELS (a 16-bit RGBA PNG: input, inflated rows and
 * two output buffers); CPU time is far above what a legitimate image needs. */
#define SP_IMAGE_LOADER_MAX_ADDRESS_SPACE ((rlim_t) 2560 * 1024 * 1024)
#define SP_IMAGE_LOADER_MAX_CPU_SECONDS   10
#define SP_IMAGE_LOADER_MAX_FILES         16

typedef enum
{
  SP_IMAGE_LOADER_STATUS_OK,
  SP_IMAGE_LOADER_STATUS_TOO_LARGE,
  SP_IMAGE_LOADER_STATUS_CORRUPT,
  SP_IMAGE_LOADER_STATUS_UNSUPPORTED,
  SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE,
  SP_IMAGE_LOADER_STATUS_OUT_OF_MEMORY,
} SpImageLoaderStatus;

#define SP_IMAGE_LOADER_STATUS_LAST SP_IMAGE_LOADER_STATUS_OUT_OF_MEMORY

typedef enum
{
  SP_IMAGE_LOADER_FORMAT_UNKNOWN,
  SP_IMAGE_LOADER_FORMAT_PNG,
  SP_IMAGE_LOADER_FORMAT_JPEG,
  SP_IMAGE_LOADER_FORMAT_BMP,
  SP_IMAGE_LOADER_FORMAT_GIF,
} SpImageLoaderFormat;

#define SP_IMAGE_LOADER_FORMAT_LAST SP_IMAGE_LOADER_FORMAT_GIF

/* The file ends before all of its pixel data: stb filled the rest. */
#define SP_IMAGE_LOADER_FLAG_TRUNCATED (1u << 0)
#define SP_IMAGE_LOADER_FLAGS_KNOWN    SP_IMAGE_LOADER_FLAG_TRUNCATED

/* ASan reserves terabytes of address space, so RLIMIT_AS cannot apply there. */
#if defined(__SANITIZE_ADDRESS__)
# define SP_IMAGE_LOADER_LIMIT_ADDRESS_SPACE 0
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
     __has_feature(thread_sanitizer)
#  define SP_IMAGE_LOADER_LIMIT_ADDRESS_SPACE 0
# endif
#endif
#ifndef SP_IMAGE_LOADER_LIMIT_ADDRESS_SPACE
# define SP_IMAGE_LOADER_LIMIT_ADDRESS_SPACE 1
#endif

/* Only setrlimit(), so that it is async-signal-safe and may run between
 * fork and exec. */
static inline void
sp_image_loader_apply_limits (void)
{
  struct rlimit limit;

#if SP_IMAGE_LOADER_LIMIT_ADDRESS_SPACE
  limit.rlim_cur = limit.rlim_max = SP_IMAGE_LOADER_MAX_ADDRESS_SPACE;
  setrlimit (RLIMIT_AS, &limit);
#endif
  /* SIGXCPU at the soft limit, SIGKILL a second later. */
  limit.rlim_cur = SP_IMAGE_LOADER_MAX_CPU_SECONDS;
  limit.rlim_max = SP_IMAGE_LOADER_MAX_CPU_SECONDS + 1;
  setrlimit (RLIMIT_CPU, &limit);
  limit.rlim_cur = limit.rlim_max = 0;
  setrlimit (RLIMIT_FSIZE, &limit);
  setrlimit (RLIMIT_CORE, &limit);
  limit.rlim_cur = limit.rlim_max = SP_IMAGE_LOADER_MAX_FILES;
  setrlimit (RLIMIT_NOFILE, &limit);
}

static inline gboolean
sp_image_loader_dimensions_allowed (guint32 width,
                                    guint32 height)
{
  return width > 0 && height > 0 &&
         width <= SP_IMAGE_MAX_SIDE && height <= SP_IMAGE_MAX_SIDE &&
         (guint64) width * height <= SP_IMAGE_MAX_PIXELS;
}

static inline void
sp_image_loader_put_u32 (guint8  *out,
                         guint32  value)
{
  out[0] = value & 0xff;
  out[1] = (value >> 8) & 0xff;
  out[2] = (value >> 16) & 0xff;
  out[3] = (value >> 24) & 0xff;
}

static inline void
sp_image_loader_header_encode (guint8              *header,
                               SpImageLoaderStatus  status,
                               SpImageLoaderFormat  format,
                               guint32              width,
                               guint32              height,
                               guint32              channels,
                               guint32              bit_depth,
                               guint32              flags,
                               guint32              message_length,
                               guint64              n_pixel_bytes)
{
  memset (header, 0, SP_IMAGE_LOADER_HEADER_SIZE);
  memcpy (header, SP_IMAGE_LOADER_MAGIC, 8);
  sp_image_loader_put_u32 (header + 8, status);
  sp_image_loader_put_u32 (header + 12, format);
  sp_image_loader_put_u32 (header + 16, width);
  sp_image_loader_put_u32 (header + 20, height);
  sp_image_loader_put_u32 (header + 24, channels);
  sp_image_loader_put_u32 (header + 28, bit_depth);
  sp_image_loader_put_u32 (header + 32, flags);
  sp_image_loader_put_u32 (header + 36, message_length);
  sp_image_loader_put_u32 (header + 40, (guint32) n_pixel_bytes);
  sp_image_loader_put_u32 (header + 44, (guint32) (n_pixel_bytes >> 32));
}

G_END_DECLS
