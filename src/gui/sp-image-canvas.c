/* sp-image-canvas.c: a texture scaled to fit, over a checkerboard
 *
 * GtkPicture paints no background behind transparent pixels and its
 * allocation is larger than the image it shows, so this small widget draws
 * the checkerboard exactly under the scaled image. Small images are enlarged
 * at most max-zoom times (8 by default), so a 13 × 7 icon is visible but not
 * a blur; a thumbnail is best shown at 1, its real size.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-image-canvas"

#include "sp-image-canvas.h"

#define CHECKER_SIZE 8
#define DEFAULT_MAX_ZOOM 8.0
#define MIN_HEIGHT 160

struct _SpImageCanvas
{
  GtkWidget   parent_instance;

  GdkTexture *texture;
  double      max_zoom;
};

G_DEFINE_FINAL_TYPE (SpImageCanvas, sp_image_canvas, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sp_image_canvas_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  SpImageCanvas *self = SP_IMAGE_CANVAS (widget);
  int width = self->texture ? gdk_texture_get_width (self->texture) : 0;
  int height = self->texture ? gdk_texture_get_height (self->texture) : 0;

  *minimum = orientation == GTK_ORIENTATION_VERTICAL ? MIN_HEIGHT : 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, width);
  else if (for_size > 0 && width > 0)
    /* Keep the aspect ratio for the width we are given. */
    *natural = MAX (*minimum, (int) MIN ((double) height * MIN ((double) for_size / width, self->max_zoom),
                                         4096.0));
  else
    *natural = MAX (*minimum, height);
  *minimum_baseline = *natural_baseline = -1;
}

static GtkSizeRequestMode
sp_image_canvas_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
append_checkerboard (GtkSnapshot           *snapshot,
                     const graphene_rect_t *area)
{
  static const GdkRGBA light = { 0.80f, 0.80f, 0.80f, 1.0f };
  static const GdkRGBA dark = { 0.60f, 0.60f, 0.60f, 1.0f };
  graphene_rect_t tile = GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                             2 * CHECKER_SIZE, 2 * CHECKER_SIZE);

  gtk_snapshot_push_repeat (snapshot, area, &tile);
  gtk_snapshot_append_color (snapshot, &light, &tile);
  gtk_snapshot_append_color (snapshot, &dark,
                             &GRAPHENE_RECT_INIT (tile.origin.x + CHECKER_SIZE, tile.origin.y,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_append_color (snapshot, &dark,
                             &GRAPHENE_RECT_INIT (tile.origin.x, tile.origin.y + CHECKER_SIZE,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_pop (snapshot);
}

static void
sp_image_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SpImageCanvas *self = SP_IMAGE_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double image_width, image_height, scale;
  graphene_rect_t area;

  if (self->texture == NULL || width <= 0 || height <= 0)
    return;

  image_width = gdk_texture_get_width (self->texture);
  image_height = gdk_texture_get_height (self->texture);
  scale = MIN (MIN (width / image_width, height / image_height), self->max_zoom);
  area = GRAPHENE_RECT_INIT ((float) floor ((width - image_width * scale) / 2),
                             (float) floor ((height - image_height * scale) / 2),
                             (float) (image_width * scale), (float) (image_height * scale));

  append_checkerboard (snapshot, &area);
  gtk_snapshot_append_texture (snapshot, self->texture, &area);
}

static void
sp_image_canvas_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpImageCanvas *self = SP_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_image_canvas_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpImageCanvas *self = SP_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      sp_image_canvas_set_texture (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_image_canvas_dispose (GObject *object)
{
  SpImageCanvas *self = SP_IMAGE_CANVAS (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (sp_image_canvas_parent_class)->dispose (object);
}

static void
sp_image_canvas_class_init (SpImageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_image_canvas_dispose;
  object_class->get_property = sp_image_canvas_get_property;
  object_class->set_property = sp_image_canvas_set_property;
  widget_class->measure = sp_image_canvas_measure;
  widget_class->get_request_mode = sp_image_canvas_get_request_mode;
  widget_class->snapshot = sp_image_canvas_snapshot;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sp-image-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_image_canvas_init (SpImageCanvas *self)
{
  self->max_zoom = DEFAULT_MAX_ZOOM;
}

GtkWidget *
sp_image_canvas_new (void)
{
  return g_object_new (SP_TYPE_IMAGE_CANVAS, NULL);
}

void
sp_image_canvas_set_texture (SpImageCanvas *self,
                             GdkTexture    *texture)
{
  g_return_if_fail (SP_IS_IMAGE_CANVAS (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (!g_set_object (&self->texture, texture))
    return;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

/**
 * sp_image_canvas_get_texture:
 *
 * Returns: (transfer none) (nullable): the texture shown
 */
GdkTexture *
sp_image_canvas_get_texture (SpImageCanvas *self)
{
  g_return_val_if_fail (SP_IS_IMAGE_CANVAS (self), NULL);

  return self->texture;
}

/* How many times a small image may be enlarged to fit; at least 1. */
void
sp_image_canvas_set_max_zoom (SpImageCanvas *self,
                              double         max_zoom)
{
  g_return_if_fail (SP_IS_IMAGE_CANVAS (self));

  max_zoom = MAX (max_zoom, 1.0);
  if (self->max_zoom == max_zoom)
    return;
  self->max_zoom = max_zoom;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
