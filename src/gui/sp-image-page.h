/* sp-image-page.h: the decoded image, its grayscale and thumbnail versions */
#pragma once

#include <gtk/gtk.h>

#include "sp-report.h"

G_BEGIN_DECLS

#define SP_TYPE_IMAGE_PAGE (sp_image_page_get_type ())
G_DECLARE_FINAL_TYPE (SpImagePage, sp_image_page, SP, IMAGE_PAGE, GtkWidget)

GtkWidget *sp_image_page_new         (void);
/* Returns FALSE (and shows nothing) when the report has no "image" section.
 * @sample_path may be %NULL for a report read from disk: then only the
 * recorded facts are shown, nothing is decoded. */
gboolean   sp_image_page_set_report  (SpImagePage *self,
                                      SpReport    *report,
                                      const char  *sample_path);

G_END_DECLS
