/* sp-entropy-plot.c: per-block entropy drawn as an area chart
 *
 * Drawn with the widget's own foreground colour so it reads in the light and
 * the dark style alike; the 7.2 bits/byte line marks where packed or
 * encrypted data usually starts.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-entropy-plot"

#include <math.h>
#include <glib/gi18n.h>

#include "sp-entropy-plot.h"

#define HIGH_ENTROPY 7.2

struct _SpEntropyPlot
{
  GtkWidget  parent_instance;
  GArray    *blocks;
  guint64    block_size;
};

G_DEFINE_FINAL_TYPE (SpEntropyPlot, sp_entropy_plot, GTK_TYPE_WIDGET)

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

static void
sp_entropy_plot_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SpEntropyPlot *self = SP_ENTROPY_PLOT (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;
  const double dashes[] = { 4.0, 4.0 };

  if (width <= 2 || height <= 2)
    return;

  get_foreground (widget, &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Frame and the 0/4/8 bits-per-byte grid. */
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.15);
  for (int level = 0; level <= 8; level += 4)
    {
      double y = height - 1 - (height - 2) * level / 8.0;

      cairo_move_to (cr, 0, floor (y) + 0.5);
      cairo_line_to (cr, width, floor (y) + 0.5);
    }
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.45);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, 0, floor (height - 1 - (height - 2) * HIGH_ENTROPY / 8.0) + 0.5);
  cairo_line_to (cr, width, floor (height - 1 - (height - 2) * HIGH_ENTROPY / 8.0) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (self->blocks->len > 0)
    {
      guint n = self->blocks->len;
      double step = n > 1 ? width / (n - 1) : width;

      cairo_move_to (cr, 0, height);
      for (guint i = 0; i < n; i++)
        {
          double value = CLAMP (g_array_index (self->blocks, double, i), 0.0, 8.0);
          double x = n > 1 ? i * step : width / 2;
          double y = height - 1 - (height - 2) * value / 8.0;

          if (n == 1)
            {
              cairo_line_to (cr, 0, y);
              cairo_line_to (cr, width, y);
            }
          else
            cairo_line_to (cr, x, y);
        }
      cairo_line_to (cr, width, height);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.25);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.9);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static void
sp_entropy_plot_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 160;
}

static void
sp_entropy_plot_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sp_entropy_plot_parent_class)->css_changed (widget, change);
  /* The foreground colour follows the style (light/dark). */
  gtk_widget_queue_draw (widget);
}

static void
sp_entropy_plot_finalize (GObject *object)
{
  SpEntropyPlot *self = SP_ENTROPY_PLOT (object);

  g_clear_pointer (&self->blocks, g_array_unref);
  G_OBJECT_CLASS (sp_entropy_plot_parent_class)->finalize (object);
}

static void
sp_entropy_plot_class_init (SpEntropyPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sp_entropy_plot_finalize;
  widget_class->snapshot = sp_entropy_plot_snapshot;
  widget_class->measure = sp_entropy_plot_measure;
  widget_class->css_changed = sp_entropy_plot_css_changed;
  gtk_widget_class_set_css_name (widget_class, "entropyplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_entropy_plot_init (SpEntropyPlot *self)
{
  self->blocks = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Entropy per block"),
                                  -1);
}

GtkWidget *
sp_entropy_plot_new (void)
{
  return g_object_new (SP_TYPE_ENTROPY_PLOT, NULL);
}

void
sp_entropy_plot_set_blocks (SpEntropyPlot *self,
                            const double  *blocks,
                            guint          n_blocks,
                            guint64        block_size)
{
  double low = 8.0;
  double high = 0.0;
  g_autofree char *size = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (SP_IS_ENTROPY_PLOT (self));

  g_array_set_size (self->blocks, 0);
  if (n_blocks > 0)
    g_array_append_vals (self->blocks, blocks, n_blocks);
  self->block_size = block_size;

  for (guint i = 0; i < n_blocks; i++)
    {
      low = MIN (low, blocks[i]);
      high = MAX (high, blocks[i]);
    }
  size = g_format_size_full (block_size, G_FORMAT_SIZE_IEC_UNITS);
  description = n_blocks > 0
    ? g_strdup_printf (_("Entropy of %u blocks of %s: from %.2f to %.2f bits per byte"),
                       n_blocks, size, low, high)
    : g_strdup (_("No entropy blocks"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sp_entropy_plot_get_n_blocks (SpEntropyPlot *self)
{
  g_return_val_if_fail (SP_IS_ENTROPY_PLOT (self), 0);
  return self->blocks->len;
}
