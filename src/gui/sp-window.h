/* sp-window.h: the main window: intake, tabs, empty state */
#pragma once

#include <adwaita.h>

#include "sp-report.h"
#include "sp-sample-view.h"

G_BEGIN_DECLS

#define SP_TYPE_WINDOW (sp_window_get_type ())
G_DECLARE_FINAL_TYPE (SpWindow, sp_window, SP, WINDOW, AdwApplicationWindow)

/* Folders dropped or opened add at most this many files. */
#define SP_WINDOW_MAX_FOLDER_FILES 500

SpWindow     *sp_window_new                 (GtkApplication  *application);
/* The single path for drops, the Open dialog and the command line. */
void          sp_window_open_files          (SpWindow        *self,
                                             GFile          **files,
                                             guint            n_files);
SpSampleView *sp_window_open_report         (SpWindow        *self,
                                             SpReport        *report);
AdwTabView   *sp_window_get_tab_view        (SpWindow        *self);
SpSampleView *sp_window_get_current_view    (SpWindow        *self);
/* Number of open requests still being sorted (folders walked, files sniffed). */
guint         sp_window_get_pending_intakes (SpWindow        *self);
void          sp_window_add_toast           (SpWindow        *self,
                                             const char      *message);
const char   *sp_window_get_last_toast      (SpWindow        *self);
GtkWidget    *sp_window_get_drop_area       (SpWindow        *self);

G_END_DECLS
