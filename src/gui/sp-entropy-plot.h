/* sp-entropy-plot.h: per-block entropy drawn as an area chart */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SP_TYPE_ENTROPY_PLOT (sp_entropy_plot_get_type ())
G_DECLARE_FINAL_TYPE (SpEntropyPlot, sp_entropy_plot, SP, ENTROPY_PLOT, GtkWidget)

GtkWidget *sp_entropy_plot_new        (void);
void       sp_entropy_plot_set_blocks (SpEntropyPlot *self,
                                       const double  *blocks,
                                       guint          n_blocks,
                                       guint64        block_size);
guint      sp_entropy_plot_get_n_blocks (SpEntropyPlot *self);

G_END_DECLS
