/* sp-password-dialog.h: unlock an encrypted report with its password or key file */
#pragma once

#include <adwaita.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_PASSWORD_DIALOG (sp_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SpPasswordDialog, sp_password_dialog, SP, PASSWORD_DIALOG, AdwWindow)

/* Reads @file, asks for what its header says it needs (password or key file), decrypts and
 * loads the report. A wrong password keeps the dialog open for another try; closing it
 * finishes with G_IO_ERROR_CANCELLED. */
void        sp_password_dialog_request_async  (GtkWindow            *parent,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* Returns: (transfer full): the report, marked SP_REPORT_ORIGIN_ENCRYPTED_FILE */
SpReport   *sp_password_dialog_request_finish (GAsyncResult         *result,
                                               GError              **error);

/* For tests: unlock without the key-file chooser, and inspect the dialog. */
void        sp_password_dialog_unlock_with_key_file (SpPasswordDialog *self,
                                                     GFile            *key_file);
gboolean    sp_password_dialog_get_busy       (SpPasswordDialog     *self);
const char *sp_password_dialog_get_error      (SpPasswordDialog     *self);

G_END_DECLS
