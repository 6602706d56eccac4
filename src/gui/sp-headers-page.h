/* sp-headers-page.h: the parsed PE, ELF or BMP structure, shown generically */
#pragma once

#include <gtk/gtk.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_HEADERS_PAGE (sp_headers_page_get_type ())
G_DECLARE_FINAL_TYPE (SpHeadersPage, sp_headers_page, SP, HEADERS_PAGE, GtkWidget)

GtkWidget  *sp_headers_page_new         (void);
/* Returns FALSE when the report has no "pe", "elf" or "bmp" section. */
gboolean    sp_headers_page_set_report  (SpHeadersPage *self,
                                         SpReport      *report);
const char *sp_headers_page_get_format  (SpHeadersPage *self);

G_END_DECLS
