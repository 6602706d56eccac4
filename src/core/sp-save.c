/* sp-save.c: writing a file so that a failure never leaves half of it */
#include "config.h"
#define G_LOG_DOMAIN "sp-save"

#include "sp-save.h"

/* Devices and FIFOs (/dev/null, a pipe) cannot be replaced: they are written directly. */
static gboolean
is_special_file (GFile        *file,
                 GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);

  return info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_SPECIAL;
}

static GFileOutputStream *
open_stream (GFile         *file,
             SpSaveFlags    flags,
             gboolean       existed,
             GCancellable  *cancellable,
             GError       **error)
{
  GFileCreateFlags create_flags = (flags & SP_SAVE_PRIVATE) ? G_FILE_CREATE_PRIVATE
                                                            : G_FILE_CREATE_NONE;

  if (existed && is_special_file (file, cancellable))
    return g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, error);
  /* g_file_create fails if the file appeared meanwhile: it never clobbers. */
  if (flags & SP_SAVE_NO_CLOBBER)
    return g_file_create (file, create_flags, cancellable, error);
  return g_file_replace (file, NULL, FALSE, create_flags | G_FILE_CREATE_REPLACE_DESTINATION,
                         cancellable, error);
}

/**
 * sp_save_file:
 * @write: writes the contents to the stream it is given
 *
 * Saves @file with the contents @write produces. On failure an existing
 * file keeps its old contents and a file that did not exist is removed.
 *
 * Returns: %TRUE when everything was written and the file closed
 */
gboolean
sp_save_file (GFile            *file,
              SpSaveFlags       flags,
              SpSaveWriteFunc   write,
              gpointer          user_data,
              GCancellable     *cancellable,
              GError          **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abort_close = NULL;
  gboolean existed;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  existed = g_file_query_exists (file, cancellable);
  stream = open_stream (file, flags, existed, cancellable, error);
  if (stream == NULL)
    return FALSE;

  if (write (G_OUTPUT_STREAM (stream), user_data, cancellable, error) &&
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error))
    return TRUE;

  /* A cancelled close makes GIO drop its temporary file instead of renaming it into place. */
  abort_close = g_cancellable_new ();
  g_cancellable_cancel (abort_close);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abort_close, NULL);
  if (!existed)
    g_file_delete (file, NULL, NULL);
  return FALSE;
}

static gboolean
write_bytes (GOutputStream  *output,
             gpointer        user_data,
             GCancellable   *cancellable,
             GError        **error)
{
  GBytes *contents = user_data;
  gsize length;
  const guint8 *data = g_bytes_get_data (contents, &length);

  return g_output_stream_write_all (output, data, length, NULL, cancellable, error);
}

gboolean
sp_save_bytes (GFile         *file,
               SpSaveFlags    flags,
               GBytes        *contents,
               GCancellable  *cancellable,
               GError       **error)
{
  g_return_val_if_fail (contents != NULL, FALSE);

  return sp_save_file (file, flags, write_bytes, contents, cancellable, error);
}
