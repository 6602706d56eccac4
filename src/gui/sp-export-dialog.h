/* sp-export-dialog.h: save the current report in one of six formats, optionally encrypted */
#pragma once

#include <adwaita.h>

#include "sp-report.h"

G_BEGIN_DECLS

typedef enum
{
  SP_EXPORT_TEXT,
  SP_EXPORT_MARKDOWN,
  SP_EXPORT_JSON,
  SP_EXPORT_HTML,
  SP_EXPORT_CSV_IOCS,
  SP_EXPORT_CSV_STRINGS,
} SpExportKind;

#define SP_TYPE_EXPORT_DIALOG (sp_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SpExportDialog, sp_export_dialog, SP, EXPORT_DIALOG, AdwWindow)

void            sp_export_dialog_present        (GtkWindow      *parent,
                                                 SpReport       *report);

/* For tests: the dialog without presenting it, and saving without the file chooser. */
SpExportDialog *sp_export_dialog_new            (GtkWindow      *parent,
                                                 SpReport       *report);
void            sp_export_dialog_export_to_file (SpExportDialog *self,
                                                 GFile          *file);
gboolean        sp_export_dialog_get_busy       (SpExportDialog *self);
const char     *sp_export_dialog_get_last_error (SpExportDialog *self);

guint           sp_password_strength            (const char     *password,
                                                 const char    **hint);

G_END_DECLS
