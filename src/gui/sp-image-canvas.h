/* sp-image-canvas.h: a texture scaled to fit, over a checkerboard */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SP_TYPE_IMAGE_CANVAS (sp_image_canvas_get_type ())
G_DECLARE_FINAL_TYPE (SpImageCanvas, sp_image_canvas, SP, IMAGE_CANVAS, GtkWidget)

GtkWidget  *sp_image_canvas_new          (void);
void        sp_image_canvas_set_texture  (SpImageCanvas *self,
                                          GdkTexture    *texture);
GdkTexture *sp_image_canvas_get_texture  (SpImageCanvas *self);
void        sp_image_canvas_set_max_zoom (SpImageCanvas *self,
                                          double         max_zoom);

G_END_DECLS
