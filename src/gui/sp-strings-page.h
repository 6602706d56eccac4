/* sp-strings-page.h: the extracted strings as a filterable table */
#pragma once

#include <gtk/gtk.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_STRINGS_PAGE (sp_strings_page_get_type ())
G_DECLARE_FINAL_TYPE (SpStringsPage, sp_strings_page, SP, STRINGS_PAGE, GtkWidget)

GtkWidget  *sp_strings_page_new              (void);
void        sp_strings_page_set_report       (SpStringsPage *self,
                                              SpReport      *report);
void        sp_strings_page_focus_search     (SpStringsPage *self);
void        sp_strings_page_set_search       (SpStringsPage *self,
                                              const char    *text,
                                              gboolean       regex);
void        sp_strings_page_set_max_rows     (SpStringsPage *self,
                                              guint          max_rows);
/* The rows the table shows: filtered, then capped at max-rows. */
GListModel *sp_strings_page_get_visible_model (SpStringsPage *self);
/* Whether the incremental filter is still running. */
gboolean    sp_strings_page_get_filter_pending (SpStringsPage *self);
void        sp_strings_page_export_async     (SpStringsPage       *self,
                                              GFile               *file,
                                              gboolean             csv,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Returns the number of rows written, or -1 with @error set. */
gint64      sp_strings_page_export_finish    (SpStringsPage       *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
