/* sp-save.h: writing a file so that a failure never leaves half of it
 *
 * GIO's g_file_replace() writes to a temporary file and renames it over the
 * target only when the target already exists; a new file is written in
 * place. These helpers cover both cases: on any error or cancellation the
 * old file stays as it was and no new or partial file is left behind.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SP_SAVE_REPLACE    = 0,
  /* Fail with G_IO_ERROR_EXISTS instead of replacing an existing file. */
  SP_SAVE_NO_CLOBBER = 1 << 0,
  /* Create the file readable by its owner only (0600). */
  SP_SAVE_PRIVATE    = 1 << 1,
} SpSaveFlags;

/**
 * SpSaveWriteFunc:
 *
 * Writes everything to @output; returns %FALSE with @error set on failure.
 */
typedef gboolean (*SpSaveWriteFunc) (GOutputStream  *output,
                                     gpointer        user_data,
                                     GCancellable   *cancellable,
                                     GError        **error);

gboolean sp_save_file  (GFile            *file,
                        SpSaveFlags       flags,
                        SpSaveWriteFunc   write,
                        gpointer          user_data,
                        GCancellable     *cancellable,
                        GError          **error);
gboolean sp_save_bytes (GFile            *file,
                        SpSaveFlags       flags,
                        GBytes           *contents,
                        GCancellable     *cancellable,
                        GError          **error);

G_END_DECLS
