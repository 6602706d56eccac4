/* sp-image.h: image preview — decoding, grayscale, thumbnails
 *
 * Sample images are decoded by stb_image in a short-lived helper process
 * (specimen-image-loader) under memory and CPU-time limits: a decoder bug
 * or a limit hit becomes an SP_IMAGE_ERROR, never a crash of the app.
 * Images over 16384 pixels a side or 64 megapixels are refused from their
 * header, before anything is allocated. Everything after decoding (gray,
 * thumbnail, PNG output) works on our own trusted pixel buffers.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-report-writer.h"
#include "sp-sample.h"

G_BEGIN_DECLS

#define SP_IMAGE_ERROR (sp_image_error_quark ())

typedef enum
{
  /* Not a PNG, JPEG, BMP or GIF. */
  SP_IMAGE_ERROR_UNSUPPORTED,
  /* Over the dimension, pixel or file-size limits. */
  SP_IMAGE_ERROR_TOO_LARGE,
  /* Truncated or corrupt data the decoder gave up on. */
  SP_IMAGE_ERROR_CORRUPT,
  /* The helper crashed, hit a limit, timed out or could not run. */
  SP_IMAGE_ERROR_LOADER_FAILED,
  /* Encoding a PNG failed. */
  SP_IMAGE_ERROR_ENCODE,
} SpImageError;

GQuark sp_image_error_quark (void);

#define SP_IMAGE_DEFAULT_THUMBNAIL_SIZE 128

typedef struct _SpImage SpImage;

#define SP_TYPE_IMAGE (sp_image_get_type ())
GType          sp_image_get_type         (void) G_GNUC_CONST;

SpImage       *sp_image_new              (guint                width,
                                          guint                height,
                                          guint                channels,
                                          GBytes              *pixels);
SpImage       *sp_image_ref              (SpImage             *self);
void           sp_image_unref            (SpImage             *self);
guint          sp_image_get_width        (SpImage             *self);
guint          sp_image_get_height       (SpImage             *self);
/* 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA; 8 bits each, rows top-down, no padding. */
guint          sp_image_get_channels     (SpImage             *self);
gsize          sp_image_get_stride       (SpImage             *self);
GBytes        *sp_image_get_pixels       (SpImage             *self);
/* "png", "jpeg", "bmp", "gif", or %NULL for derived images. */
const char    *sp_image_get_format       (SpImage             *self);
/* Bits per channel in the file (PNG 1–16, BMP 16-bit 5 or 6, otherwise 8). */
guint          sp_image_get_bit_depth    (SpImage             *self);
/* Translated notes such as truncation; never %NULL. */
const char * const *sp_image_get_warnings (SpImage            *self);

const char    *sp_image_detect_format    (const guint8        *data,
                                          gsize                length);
SpImage       *sp_image_decode           (SpSample            *sample,
                                          GCancellable        *cancellable,
                                          GError             **error);
void           sp_image_decode_async     (SpSample            *sample,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SpImage       *sp_image_decode_finish    (GAsyncResult        *result,
                                          GError             **error);

SpImage       *sp_image_to_grayscale     (SpImage             *self);
void           sp_image_thumbnail_size   (guint                width,
                                          guint                height,
                                          guint                size,
                                          guint               *out_width,
                                          guint               *out_height);
SpImage       *sp_image_thumbnail        (SpImage             *self,
                                          guint                size);
GBytes        *sp_image_encode_png       (SpImage             *self,
                                          GError             **error);
gboolean       sp_image_save_png         (SpImage             *self,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GError             **error);

JsonObject    *sp_image_analyze          (SpSample            *sample,
                                          GCancellable        *cancellable);
void           sp_image_render           (JsonObject          *section,
                                          SpReportWriter      *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpImage, sp_image_unref)

G_END_DECLS
