/* sp-sample.h: a sample file opened for analysis
 *
 * Opening refuses anything but a regular file (directories, FIFOs, sockets,
 * devices) before reading a byte, so /dev/zero or a FIFO never hangs us.
 * Reads are positional (pread) rather than mmap, so a file that shrinks
 * while we read it gives an error instead of SIGBUS.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SP_SAMPLE_ERROR (sp_sample_error_quark ())

typedef enum
{
  SP_SAMPLE_ERROR_NOT_FOUND,
  SP_SAMPLE_ERROR_NOT_REGULAR,
  SP_SAMPLE_ERROR_PERMISSION,
  SP_SAMPLE_ERROR_OPEN_FAILED,
  SP_SAMPLE_ERROR_READ_FAILED,
  SP_SAMPLE_ERROR_CHANGED,
} SpSampleError;

GQuark sp_sample_error_quark (void);

#define SP_TYPE_SAMPLE (sp_sample_get_type ())
G_DECLARE_FINAL_TYPE (SpSample, sp_sample, SP, SAMPLE, GObject)

SpSample    *sp_sample_open              (const char    *path,
                                          GError       **error);
SpSample    *sp_sample_new_for_bytes     (GBytes        *bytes,
                                          const char    *display_name);
const char  *sp_sample_get_path          (SpSample      *self);
const char  *sp_sample_get_display_name  (SpSample      *self);
const char  *sp_sample_get_display_path  (SpSample      *self);
guint64      sp_sample_get_size          (SpSample      *self);
gboolean     sp_sample_read_at           (SpSample      *self,
                                          guint64        offset,
                                          void          *buffer,
                                          gsize          length,
                                          GError       **error);
GBytes      *sp_sample_read_bytes        (SpSample      *self,
                                          guint64        offset,
                                          gsize          max_length,
                                          GError       **error);
JsonObject  *sp_sample_info_to_json      (SpSample      *self);

char        *sp_format_size              (guint64        bytes);

G_END_DECLS
