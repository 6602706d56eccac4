/* sp-image.c: image preview — the client side of the sandboxed decoder
 *
 * The untrusted part, stb_image on the sample bytes, runs in
 * specimen-image-loader (src/image-loader). Here we spawn it under limits,
 * stream the sample to its stdin while reading its stdout, stop it after a
 * wall-clock timeout, and trust nothing in its reply until the header has
 * been checked against the limits and the exact byte count. Grayscale,
 * thumbnails and PNG output work on the validated pixel buffer.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-image"

#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sp-image.h"
#include "sp-image-private.h"
#include "sp-parsers-private.h"
#include "sp-span.h"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_STATIC
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb_image_resize.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop

#define LOADER_NAME            "specimen-image-loader"
#define DEFAULT_TIMEOUT_MS     30000
#define WRITE_CHUNK            (1024 * 1024)
#define READ_CHUNK             (1024 * 1024)
/* Enough for the header of any JPEG whose SOF follows large APP segments. */
#define PROBE_LENGTH           (4 * 1024 * 1024)

G_DEFINE_QUARK (sp-image-error-quark, sp_image_error)

struct _SpImage
{
  gatomicrefcount  ref_count;
  guint            width;
  guint            height;
  guint            channels;
  guint            bit_depth;
  const char      *format;
  GBytes          *pixels;
  GStrv            warnings;
};

G_DEFINE_BOXED_TYPE (SpImage, sp_image, sp_image_ref, sp_image_unref)

static const char * const format_names[] = {
  [SP_IMAGE_LOADER_FORMAT_UNKNOWN] = NULL,
  [SP_IMAGE_LOADER_FORMAT_PNG] = "png",
  [SP_IMAGE_LOADER_FORMAT_JPEG] = "jpeg",
  [SP_IMAGE_LOADER_FORMAT_BMP] = "bmp",
  [SP_IMAGE_LOADER_FORMAT_GIF] = "gif",
};

/**
 * sp_image_new:
 * @pixels: @height rows of @width × @channels bytes, top-down, no padding
 *
 * Returns: (transfer full): a new image, or %NULL if @pixels has the wrong size
 */
SpImage *
sp_image_new (guint   width,
              guint   height,
              guint   channels,
              GBytes *pixels)
{
  SpImage *self;

  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);
  g_return_val_if_fail (pixels != NULL, NULL);

  if (width == 0 || height == 0 || width > SP_IMAGE_MAX_SIDE || height > SP_IMAGE_MAX_SIDE ||
      g_bytes_get_size (pixels) != (gsize) width * height * channels)
    return NULL;

  self = g_new0 (SpImage, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->width = width;
  self->height = height;
  self->channels = channels;
  self->bit_depth = 8;
  self->pixels = g_bytes_ref (pixels);
  self->warnings = g_new0 (char *, 1);
  return self;
}

SpImage *
sp_image_ref (SpImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sp_image_unref (SpImage *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_bytes_unref (self->pixels);
      g_strfreev (self->warnings);
      g_free (self);
    }
}

guint
sp_image_get_width (SpImage *self)
{
  return self->width;
}

guint
sp_image_get_height (SpImage *self)
{
  return self->height;
}

guint
sp_image_get_channels (SpImage *self)
{
  return self->channels;
}

gsize
sp_image_get_stride (SpImage *self)
{
  return (gsize) self->width * self->channels;
}

/**
 * sp_image_get_pixels:
 *
 * Returns: (transfer none): the pixel rows
 */
GBytes *
sp_image_get_pixels (SpImage *self)
{
  return self->pixels;
}

const char *
sp_image_get_format (SpImage *self)
{
  return self->format;
}

guint
sp_image_get_bit_depth (SpImage *self)
{
  return self->bit_depth;
}

const char * const *
sp_image_get_warnings (SpImage *self)
{
  return (const char * const *) self->warnings;
}

static SpImageLoaderFormat
detect_format (const guint8 *data,
               gsize         length)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  SpSpan span = sp_span_init (data, length);

  if (sp_span_has_prefix (&span, 0, png, sizeof png))
    return SP_IMAGE_LOADER_FORMAT_PNG;
  if (sp_span_has_prefix (&span, 0, jpeg, sizeof jpeg))
    return SP_IMAGE_LOADER_FORMAT_JPEG;
  if (sp_span_has_prefix (&span, 0, "GIF87a", 6) || sp_span_has_prefix (&span, 0, "GIF89a", 6))
    return SP_IMAGE_LOADER_FORMAT_GIF;
  if (sp_span_has_prefix (&span, 0, "BM", 2))
    return SP_IMAGE_LOADER_FORMAT_BMP;
  return SP_IMAGE_LOADER_FORMAT_UNKNOWN;
}

/**
 * sp_image_detect_format:
 *
 * Returns: "png", "jpeg", "bmp" or "gif" by magic bytes, or %NULL
 */
const char *
sp_image_detect_format (const guint8 *data,
                        gsize         length)
{
  return format_names[detect_format (data, length)];
}

/* --- running the helper ------------------------------------------------ */

typedef struct
{
  SpImageLoaderStatus status;
  SpImageLoaderFormat format;
  guint32             width;
  guint32             height;
  guint32             channels;
  guint32             bit_depth;
  guint32             flags;
  char               *message;
  GBytes             *pixels;
} LoaderReply;

static void
loader_reply_clear (LoaderReply *reply)
{
  g_clear_pointer (&reply->message, g_free);
  g_clear_pointer (&reply->pixels, g_bytes_unref);
}

typedef struct
{
  GSubprocess   *process;
  GOutputStream *to_loader;
  GInputStream  *from_loader;
  GCancellable  *io_cancellable;
  SpSample      *sample;
  guint64        offset;
  guint64        length;
  guint8        *write_buffer;
  guint8        *read_buffer;
  GByteArray    *reply;
  gsize          reply_limit;
  gboolean       writing;
  gboolean       reading;
  gboolean       waiting;
  gboolean       aborted;
  gboolean       timed_out;
  gboolean       reply_too_long;
  gboolean       reserved;
  GError        *sample_error;
} LoaderRun;

static void
loader_run_abort (LoaderRun *run)
{
  if (run->aborted)
    return;
  run->aborted = TRUE;
  g_subprocess_force_exit (run->process);
  g_cancellable_cancel (run->io_cancellable);
}

static void write_next_chunk (LoaderRun *run);

static void
finish_writing (LoaderRun *run)
{
  g_output_stream_close (run->to_loader, NULL, NULL);
  run->writing = FALSE;
}

static void
on_write_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoaderRun *run = user_data;

  /* A write error means the helper stopped reading (it refused the image
   * early, or died): its reply or exit status says which, not the pipe. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      finish_writing (run);
      return;
    }
  write_next_chunk (run);
}

static void
write_next_chunk (LoaderRun *run)
{
  gsize n;

  if (run->offset >= run->length || run->aborted)
    {
      finish_writing (run);
      return;
    }

  n = (gsize) MIN ((guint64) WRITE_CHUNK, run->length - run->offset);
  if (!sp_sample_read_at (run->sample, run->offset, run->write_buffer, n, &run->sample_error))
    {
      loader_run_abort (run);
      finish_writing (run);
      return;
    }
  run->offset += n;
  g_output_stream_write_all_async (run->to_loader, run->write_buffer, n, G_PRIORITY_DEFAULT,
                                   run->io_cancellable, on_write_done, run);
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* Once the header is in, allocate the announced size at once rather than
 * doubling up to it (a 256 MiB reply would peak at 768 MiB); the announced
 * size is only trusted up to the reply limit, and checked again later. */
static void
reserve_reply (LoaderRun *run)
{
  guint64 expected;
  GByteArray *sized;

  if (run->reserved || run->reply->len < SP_IMAGE_LOADER_HEADER_SIZE)
    return;
  run->reserved = TRUE;
  expected = (guint64) SP_IMAGE_LOADER_HEADER_SIZE + get_u32 (run->reply->data + 36) +
             ((guint64) get_u32 (run->reply->data + 40) |
              ((guint64) get_u32 (run->reply->data + 44) << 32));
  if (expected > run->reply_limit || expected <= run->reply->len)
    return;
  sized = g_byte_array_sized_new ((guint) expected);
  g_byte_array_append (sized, run->reply->data, run->reply->len);
  g_byte_array_unref (run->reply);
  run->reply = sized;
}

static void
on_read_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoaderRun *run = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      run->reading = FALSE;
      return;
    }
  /* A compromised helper must not make us buffer without bound. */
  if ((gsize) n > run->reply_limit - run->reply->len)
    {
      run->reply_too_long = TRUE;
      run->reading = FALSE;
      loader_run_abort (run);
      return;
    }
  g_byte_array_append (run->reply, run->read_buffer, (guint) n);
  reserve_reply (run);
  g_input_stream_read_async (run->from_loader, run->read_buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             run->io_cancellable, on_read_done, run);
}

static void
on_wait_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoaderRun *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run->waiting = FALSE;
}

static gboolean
on_timeout (gpointer user_data)
{
  LoaderRun *run = user_data;

  run->timed_out = TRUE;
  loader_run_abort (run);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  loader_run_abort (user_data);
  return G_SOURCE_REMOVE;
}

static void
child_setup (gpointer user_data)
{
  sp_image_loader_apply_limits ();
}

static const char *
loader_path (void)
{
  const char *path = g_getenv ("SPECIMEN_IMAGE_LOADER");

  if (path != NULL && *path != '\0')
    return path;
  return PKGLIBEXECDIR G_DIR_SEPARATOR_S LOADER_NAME;
}

static guint
loader_timeout_ms (void)
{
  const char *text = g_getenv ("SPECIMEN_IMAGE_LOADER_TIMEOUT_MS");
  guint64 value;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return (guint) value;
  return DEFAULT_TIMEOUT_MS;
}

/* The helper is untrusted too: every field is checked before use. */
static gboolean
parse_reply (GBytes              *bytes,
             SpImageLoaderFormat  expected_format,
             gboolean             with_pixels,
             LoaderReply         *reply)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint32 message_length;
  guint64 n_pixel_bytes, expected_pixel_bytes = 0;

  if (length < SP_IMAGE_LOADER_HEADER_SIZE || memcmp (data, SP_IMAGE_LOADER_MAGIC, 8) != 0)
    return FALSE;

  reply->status = get_u32 (data + 8);
  reply->format = get_u32 (data + 12);
  reply->width = get_u32 (data + 16);
  reply->height = get_u32 (data + 20);
  reply->channels = get_u32 (data + 24);
  reply->bit_depth = get_u32 (data + 28);
  reply->flags = get_u32 (data + 32);
  message_length = get_u32 (data + 36);
  n_pixel_bytes = (guint64) get_u32 (data + 40) | ((guint64) get_u32 (data + 44) << 32);

  if (reply->status > SP_IMAGE_LOADER_STATUS_LAST ||
      (reply->flags & ~SP_IMAGE_LOADER_FLAGS_KNOWN) != 0 ||
      message_length > SP_IMAGE_LOADER_MAX_MESSAGE)
    return FALSE;
  /* The helper detects the format itself; it must agree with us. */
  if (reply->status != SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE && reply->format != expected_format)
    return FALSE;

  if (reply->status == SP_IMAGE_LOADER_STATUS_OK)
    {
      if (!sp_image_loader_dimensions_allowed (reply->width, reply->height) ||
          reply->channels < 1 || reply->channels > 4 || reply->bit_depth > 32)
        return FALSE;
      if (with_pixels)
        expected_pixel_bytes = (guint64) reply->width * reply->height * reply->channels;
    }
  if (n_pixel_bytes != expected_pixel_bytes ||
      (guint64) length != SP_IMAGE_LOADER_HEADER_SIZE + message_length + n_pixel_bytes)
    return FALSE;

  /* The message is a decoder's short reason; keep it printable ASCII. */
  reply->message = g_malloc (message_length + 1);
  for (guint32 i = 0; i < message_length; i++)
    {
      guint8 c = data[SP_IMAGE_LOADER_HEADER_SIZE + i];

      reply->message[i] = c >= 0x20 && c < 0x7f ? (char) c : '?';
    }
  reply->message[message_length] = '\0';

  /* A view into the reply, not a copy: it can be 256 MiB. */
  if (n_pixel_bytes > 0)
    reply->pixels = g_bytes_new_from_bytes (bytes, SP_IMAGE_LOADER_HEADER_SIZE + message_length,
                                            (gsize) n_pixel_bytes);
  return TRUE;
}

static void
ignore_sigpipe_once (void)
{
  static gsize initialized = 0;

  /* A helper that dies while we write to its stdin must give us EPIPE, not
   * kill the app with SIGPIPE. GIO may do that write on any thread, so a
   * per-thread mask would not do; only the default action is replaced. */
  if (g_once_init_enter (&initialized))
    {
      struct sigaction action;

      if (sigaction (SIGPIPE, NULL, &action) == 0 && action.sa_handler == SIG_DFL)
        signal (SIGPIPE, SIG_IGN);
      g_once_init_leave (&initialized, 1);
    }
}

static char *
describe_signal (int signum)
{
  return g_strdup_printf ("%s, %d", g_strsignal (signum), signum);
}

/* Runs the helper in @mode on the first @length bytes of @sample. */
static gboolean
run_loader (SpSample            *sample,
            const char          *mode,
            guint64              length,
            SpImageLoaderFormat  expected_format,
            GCancellable        *cancellable,
            LoaderReply         *reply,
            GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout_source = NULL;
  g_autoptr(GSource) cancel_source = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name = sp_sample_get_display_name (sample);
  const char *path = loader_path ();
  gboolean with_pixels = g_str_equal (mode, "decode");
  guint timeout_ms = loader_timeout_ms ();
  LoaderRun run = { 0 };
  GBytes *reply_bytes = NULL;
  gboolean ok = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  ignore_sigpipe_once ();
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  run.process = g_subprocess_launcher_spawn (launcher, &local_error, path, mode, NULL);
  if (run.process == NULL)
    {
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                   _("The image loader %s could not be started to decode “%s”: %s"),
                   path, name, local_error->message);
      g_main_context_pop_thread_default (context);
      return FALSE;
    }

  run.to_loader = g_subprocess_get_stdin_pipe (run.process);
  run.from_loader = g_subprocess_get_stdout_pipe (run.process);
  run.io_cancellable = g_cancellable_new ();
  run.sample = sample;
  run.length = length;
  run.write_buffer = g_malloc (WRITE_CHUNK);
  run.read_buffer = g_malloc (READ_CHUNK);
  run.reply = g_byte_array_new ();
  run.reply_limit = SP_IMAGE_LOADER_HEADER_SIZE + SP_IMAGE_LOADER_MAX_MESSAGE +
                    (with_pixels ? (gsize) SP_IMAGE_MAX_PIXELS * 4 : 0);
  run.writing = run.reading = run.waiting = TRUE;

  timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout_source, on_timeout, &run, NULL);
  g_source_attach (timeout_source, context);
  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_cancelled), &run, NULL);
      g_source_attach (cancel_source, context);
    }

  g_subprocess_wait_async (run.process, NULL, on_wait_done, &run);
  g_input_stream_read_async (run.from_loader, run.read_buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             run.io_cancellable, on_read_done, &run);
  write_next_chunk (&run);

  /* Every operation holds &run: none may be pending when we return. */
  while (run.writing || run.reading || run.waiting)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout_source);
  if (cancel_source != NULL)
    g_source_destroy (cancel_source);
  g_main_context_pop_thread_default (context);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    ;
  else if (run.sample_error != NULL)
    g_propagate_error (error, g_steal_pointer (&run.sample_error));
  else if (run.timed_out)
    g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                 _("Decoding “%s” took longer than %u seconds and was stopped."),
                 name, (timeout_ms + 999) / 1000);
  else if (run.reply_too_long)
    g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                 _("The image loader sent more data than expected while decoding “%s”."), name);
  else if (g_subprocess_get_if_signaled (run.process))
    {
      int signum = g_subprocess_get_term_sig (run.process);
      g_autofree char *what = describe_signal (signum);

      if (signum == SIGXCPU || signum == SIGKILL)
        g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                     _("Decoding “%s” used more CPU time or memory than the image loader is "
                       "allowed, and was stopped (%s)."), name, what);
      else
        g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                     _("The image loader crashed while decoding “%s” (%s); the image is probably "
                       "malformed."), name, what);
    }
  else if (g_subprocess_get_exit_status (run.process) != 0)
    g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                 _("The image loader failed with exit status %d while decoding “%s”."),
                 g_subprocess_get_exit_status (run.process), name);
  else if (!parse_reply (reply_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&run.reply)),
                         expected_format, with_pixels, reply))
    {
      loader_reply_clear (reply);
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                   _("The image loader sent an invalid reply while decoding “%s”."), name);
    }
  else
    ok = TRUE;

  g_clear_error (&run.sample_error);
  g_clear_pointer (&run.reply, g_byte_array_unref);
  g_clear_pointer (&reply_bytes, g_bytes_unref);
  g_free (run.read_buffer);
  g_free (run.write_buffer);
  g_object_unref (run.io_cancellable);
  g_object_unref (run.process);
  return ok;
}

/* Turns a reply other than OK into the error a user reads. */
static void
set_status_error (GError            **error,
                  const LoaderReply  *reply,
                  const char         *name)
{
  switch (reply->status)
    {
    case SP_IMAGE_LOADER_STATUS_TOO_LARGE:
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_TOO_LARGE,
                   _("“%s” is %u × %u pixels, over the limit of %u pixels a side and %u "
                     "megapixels, so it was not decoded."),
                   name, reply->width, reply->height, SP_IMAGE_MAX_SIDE,
                   SP_IMAGE_MAX_PIXELS / (1024 * 1024));
      break;
    case SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE:
      {
        g_autofree char *limit = g_format_size_full (SP_IMAGE_LOADER_MAX_INPUT,
                                                     G_FORMAT_SIZE_IEC_UNITS);

        g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_TOO_LARGE,
                     _("“%s” is larger than %s, the limit for decoding an image."), name, limit);
      }
      break;
    case SP_IMAGE_LOADER_STATUS_OUT_OF_MEMORY:
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_LOADER_FAILED,
                   _("Decoding “%s” needed more memory than the image loader is allowed."), name);
      break;
    case SP_IMAGE_LOADER_STATUS_UNSUPPORTED:
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_UNSUPPORTED,
                   _("“%s” is not a PNG, JPEG, BMP or GIF image."), name);
      break;
    case SP_IMAGE_LOADER_STATUS_CORRUPT:
    case SP_IMAGE_LOADER_STATUS_OK:
    default:
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_CORRUPT,
                   _("“%s” could not be decoded: the image data is truncated or corrupt (%s)."),
                   name, reply->message != NULL && *reply->message ? reply->message : "?");
      break;
    }
}

static SpImageLoaderFormat
sample_format (SpSample      *sample,
               GError       **error)
{
  guint8 head[16] = { 0 };
  gsize length = (gsize) MIN (sp_sample_get_size (sample), (guint64) sizeof head);

  if (!sp_sample_read_at (sample, 0, head, length, error))
    return SP_IMAGE_LOADER_FORMAT_UNKNOWN;
  return detect_format (head, length);
}

static const char *
truncated_warning (void)
{
  return _("The file ends before all of its image data (or lacks its end marker); the decoder "
           "filled in what is missing.");
}

/**
 * sp_image_decode:
 * @sample: a PNG, JPEG, BMP or GIF sample
 *
 * Decodes @sample in the sandboxed helper (the first frame of a GIF), with
 * 8 bits per channel and the file's channel count.
 *
 * Returns: (transfer full): the image, or %NULL with @error set in
 *   %SP_IMAGE_ERROR (refused, corrupt, helper failure), %G_IO_ERROR_CANCELLED
 *   or a sample read error
 */
SpImage *
sp_image_decode (SpSample      *sample,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const char *name;
  LoaderReply reply = { 0 };
  SpImageLoaderFormat format;
  GError *local_error = NULL;
  SpImage *image;
  GPtrArray *warnings;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  name = sp_sample_get_display_name (sample);
  format = sample_format (sample, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (format == SP_IMAGE_LOADER_FORMAT_UNKNOWN)
    {
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_UNSUPPORTED,
                   _("“%s” is not a PNG, JPEG, BMP or GIF image."), name);
      return NULL;
    }
  if (sp_sample_get_size (sample) > SP_IMAGE_LOADER_MAX_INPUT)
    {
      reply.status = SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE;
      set_status_error (error, &reply, name);
      return NULL;
    }

  if (!run_loader (sample, "decode", sp_sample_get_size (sample), format, cancellable, &reply,
                   error))
    return NULL;
  if (reply.status != SP_IMAGE_LOADER_STATUS_OK)
    {
      set_status_error (error, &reply, name);
      loader_reply_clear (&reply);
      return NULL;
    }

  image = sp_image_new (reply.width, reply.height, reply.channels, reply.pixels);
  g_assert (image != NULL);  /* parse_reply checked the sizes */
  image->format = format_names[format];
  image->bit_depth = reply.bit_depth;
  warnings = g_ptr_array_new ();
  if (reply.flags & SP_IMAGE_LOADER_FLAG_TRUNCATED)
    g_ptr_array_add (warnings, g_strdup (truncated_warning ()));
  g_ptr_array_add (warnings, NULL);
  g_strfreev (image->warnings);
  image->warnings = (GStrv) g_ptr_array_free (warnings, FALSE);

  loader_reply_clear (&reply);
  return image;
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  SpImage *image = sp_image_decode (task_data, cancellable, &error);

  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, (GDestroyNotify) sp_image_unref);
}

/**
 * sp_image_decode_async:
 *
 * Runs sp_image_decode() on a worker thread.
 */
void
sp_image_decode_async (SpSample            *sample,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SP_IS_SAMPLE (sample));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_image_decode_async);
  g_task_set_task_data (task, g_object_ref (sample), g_object_unref);
  g_task_run_in_thread (task, decode_thread);
}

/**
 * sp_image_decode_finish:
 *
 * Returns: (transfer full): the image, or %NULL with @error set
 */
SpImage *
sp_image_decode_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sp_image_decode_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- derived images ---------------------------------------------------- */

static SpImage *
image_new_take (guint   width,
                guint   height,
                guint   channels,
                guint8 *data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, (gsize) width * height * channels);

  return sp_image_new (width, height, channels, bytes);
}

/**
 * sp_image_to_grayscale:
 *
 * ITU-R BT.601 luma in the integer form Pillow's convert("L") uses,
 * L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16 (the weights 0.299, 0.587,
 * 0.114 in 16-bit fixed point, rounded), so results match Pillow exactly.
 * Alpha is kept: RGBA gives gray + alpha.
 *
 * Returns: (transfer full): a 1- or 2-channel image
 */
SpImage *
sp_image_to_grayscale (SpImage *self)
{
  gsize n_pixels, size;
  const guint8 *in;
  guint8 *out;
  guint out_channels;

  g_return_val_if_fail (self != NULL, NULL);

  out_channels = (self->channels == 2 || self->channels == 4) ? 2 : 1;
  n_pixels = (gsize) self->width * self->height;
  in = g_bytes_get_data (self->pixels, &size);
  out = g_malloc (n_pixels * out_channels);

  for (gsize i = 0; i < n_pixels; i++)
    {
      const guint8 *p = in + i * self->channels;
      guint8 *q = out + i * out_channels;

      if (self->channels >= 3)
        q[0] = (guint8) ((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
      else
        q[0] = p[0];
      if (out_channels == 2)
        q[1] = p[self->channels - 1];
    }

  return image_new_take (self->width, self->height, out_channels, out);
}

static guint
round_aspect (double  number,
              double  aspect,
              guint   x,
              guint   y,
              gboolean vary_x)
{
  double lower = floor (number), upper = ceil (number);
  double key_lower, key_upper;
  double best;

  /* Pillow: max(min(floor(n), ceil(n), key=...), 1); min keeps the first on a tie. */
  if (vary_x)
    {
      key_lower = fabs (aspect - lower / y);
      key_upper = fabs (aspect - upper / y);
    }
  else
    {
      key_lower = lower == 0 ? 0 : fabs (aspect - x / lower);
      key_upper = upper == 0 ? 0 : fabs (aspect - x / upper);
    }
  best = key_upper < key_lower ? upper : lower;
  return best < 1 ? 1 : (guint) best;
}

/**
 * sp_image_thumbnail_size:
 *
 * The size Pillow's Image.thumbnail((@size, @size)) gives a @width × @height
 * image: inside @size × @size, aspect ratio kept (rounded the way Pillow
 * rounds it), never enlarged.
 */
void
sp_image_thumbnail_size (guint  width,
                         guint  height,
                         guint  size,
                         guint *out_width,
                         guint *out_height)
{
  guint x = size, y = size;
  double aspect;

  g_return_if_fail (width > 0 && height > 0 && size > 0);

  if (x >= width && y >= height)
    {
      *out_width = width;
      *out_height = height;
      return;
    }

  aspect = (double) width / height;
  if ((double) x / y >= aspect)
    x = round_aspect (y * aspect, aspect, x, y, TRUE);
  else
    y = round_aspect (x / aspect, aspect, x, y, FALSE);
  *out_width = x;
  *out_height = y;
}

/**
 * sp_image_thumbnail:
 * @size: the bounding square's side, at least 1
 *
 * Scales down with a Catmull-Rom (bicubic) filter over the whole source
 * footprint, with alpha premultiplied, like Pillow's thumbnail(); an image
 * that already fits is returned as is.
 *
 * Returns: (transfer full): the thumbnail
 */
SpImage *
sp_image_thumbnail (SpImage *self,
                    guint    size)
{
  guint width, height;
  guint8 *out;
  int alpha;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  sp_image_thumbnail_size (self->width, self->height, size, &width, &height);
  if (width == self->width && height == self->height)
    return sp_image_ref (self);

  alpha = self->channels == 2 ? 1 : self->channels == 4 ? 3 : STBIR_ALPHA_CHANNEL_NONE;
  out = g_malloc ((gsize) width * height * self->channels);
  if (!stbir_resize_uint8_generic (g_bytes_get_data (self->pixels, NULL),
                                   (int) self->width, (int) self->height,
                                   (int) sp_image_get_stride (self),
                                   out, (int) width, (int) height, (int) (width * self->channels),
                                   (int) self->channels, alpha, 0, STBIR_EDGE_CLAMP,
                                   STBIR_FILTER_CATMULLROM, STBIR_COLORSPACE_LINEAR, NULL))
    g_error ("stbir_resize failed for %ux%u -> %ux%u", self->width, self->height, width, height);

  return image_new_take (width, height, self->channels, out);
}

/**
 * sp_image_encode_png:
 *
 * Returns: (transfer full): @self as PNG data, or %NULL with @error set
 */
GBytes *
sp_image_encode_png (SpImage  *self,
                     GError  **error)
{
  unsigned char *png;
  int length = 0;

  g_return_val_if_fail (self != NULL, NULL);

  png = stbi_write_png_to_mem (g_bytes_get_data (self->pixels, NULL),
                               (int) sp_image_get_stride (self), (int) self->width,
                               (int) self->height, (int) self->channels, &length);
  if (png == NULL || length <= 0)
    {
      free (png);
      g_set_error (error, SP_IMAGE_ERROR, SP_IMAGE_ERROR_ENCODE,
                   _("Could not encode a %u × %u image as PNG: out of memory."),
                   self->width, self->height);
      return NULL;
    }
  return g_bytes_new_with_free_func (png, (gsize) length, free, png);
}

/**
 * sp_image_save_png:
 *
 * Writes @self to @file as PNG, atomically: the file appears complete or
 * not at all.
 */
gboolean
sp_image_save_png (SpImage       *self,
                   GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  png = sp_image_encode_png (self, error);
  if (png == NULL)
    return FALSE;
  if (!g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL,
                                FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable,
                                &local_error))
    {
      g_autofree char *display = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Could not save the image to “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* --- report section ---------------------------------------------------- */

/**
 * sp_image_analyze:
 *
 * Probes (and, within the limits, test-decodes) @sample in the helper.
 * Refusals, corruption and helper failures become warnings.
 *
 * Returns: (transfer full) (nullable): the "image" section, or %NULL if
 *   @sample is not a PNG, JPEG, BMP or GIF by its magic bytes, or on cancellation
 */
JsonObject *
sp_image_analyze (SpSample     *sample,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) section = NULL;
  SpImageLoaderFormat format;
  LoaderReply reply = { 0 };
  JsonArray *warnings;
  guint64 size;
  gboolean whole;

  g_return_val_if_fail (SP_IS_SAMPLE (sample), NULL);

  format = sample_format (sample, NULL);
  if (format == SP_IMAGE_LOADER_FORMAT_UNKNOWN)
    return NULL;

  section = json_object_new ();
  warnings = json_array_new ();
  json_object_set_string_member (section, "format", format_names[format]);

  /* Too big to decode: still report the dimensions from the header. */
  size = sp_sample_get_size (sample);
  whole = size <= SP_IMAGE_LOADER_MAX_INPUT;
  if (run_loader (sample, whole ? "verify" : "probe", whole ? size : PROBE_LENGTH, format,
                  cancellable, &reply, &error))
    {
      if (reply.width > 0 && reply.height > 0)
        {
          json_object_set_int_member (section, "width", reply.width);
          json_object_set_int_member (section, "height", reply.height);
        }
      if (reply.channels > 0)
        json_object_set_int_member (section, "channels", reply.channels);
      if (reply.bit_depth > 0)
        json_object_set_int_member (section, "bit_depth", reply.bit_depth);

      if (!whole)
        {
          reply.status = SP_IMAGE_LOADER_STATUS_INPUT_TOO_LARGE;
          set_status_error (&error, &reply, sp_sample_get_display_name (sample));
        }
      else if (reply.status != SP_IMAGE_LOADER_STATUS_OK)
        set_status_error (&error, &reply, sp_sample_get_display_name (sample));
      else if (reply.flags & SP_IMAGE_LOADER_FLAG_TRUNCATED)
        json_array_add_string_element (warnings, truncated_warning ());
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      json_array_unref (warnings);
      return NULL;
    }

  if (error != NULL)
    json_array_add_string_element (warnings, error->message);
  json_object_set_array_member (section, "warnings", warnings);
  loader_reply_clear (&reply);
  return g_steal_pointer (&section);
}

static const char *
channels_description (gint64 channels)
{
  switch (channels)
    {
    case 1: return _("1 (gray)");
    case 2: return _("2 (gray, alpha)");
    case 3: return _("3 (RGB)");
    case 4: return _("4 (RGB, alpha)");
    default: return NULL;
    }
}

/**
 * sp_image_render:
 *
 * Renders the "image" section; missing members render as nothing.
 */
void
sp_image_render (JsonObject     *section,
                 SpReportWriter *writer)
{
  const char *format = sp_json_get_string (section, "format");
  gint64 width, height, channels, depth;

  if (format != NULL)
    {
      g_autofree char *upper = g_ascii_strup (format, -1);

      sp_report_writer_field (writer, _("Format"), upper);
    }
  if (sp_json_get_int (section, "width", &width) && sp_json_get_int (section, "height", &height))
    {
      g_autofree char *text = g_strdup_printf (_("%" PRId64 " × %" PRId64 " pixels"), width, height);

      sp_report_writer_field (writer, _("Dimensions"), text);
    }
  if (sp_json_get_int (section, "channels", &channels))
    {
      const char *described = channels_description (channels);
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, channels);

      sp_report_writer_field (writer, _("Channels"), described != NULL ? described : text);
    }
  if (sp_json_get_int (section, "bit_depth", &depth))
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%" PRId64 " bit per channel",
                                                            "%" PRId64 " bits per channel",
                                                            (gulong) CLAMP (depth, 0, G_MAXLONG)),
                                               depth);

      sp_report_writer_field (writer, _("Bit depth"), text);
    }
  sp_render_warnings (writer, section);
}
