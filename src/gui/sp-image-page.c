/* sp-image-page.c: the decoded image, its grayscale and thumbnail versions
 *
 * The report's "image" section gives the facts at once; the pixels come from
 * sp_image_decode_async (stb_image in the sandboxed loader process), and the
 * grayscale version, the thumbnail and the textures are made on a worker
 * thread too, so a 64-megapixel image never stalls the window. Closing the
 * tab cancels whatever is still running.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-image-page"

#include <inttypes.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-gui-util.h"
#include "sp-image.h"
#include "sp-image-canvas.h"
#include "sp-image-page.h"

#define MAX_BMP_ROWS 32

static const guint thumbnail_sizes[] = { 64, 128, 256, 512 };

typedef enum
{
  VIEW_ORIGINAL,
  VIEW_GRAYSCALE,
  VIEW_THUMBNAIL,
  N_VIEWS
} View;

struct _SpImagePage
{
  GtkWidget     parent_instance;

  GtkWidget    *view_stack;
  GtkWidget    *spinner;
  GtkWidget    *error_page;
  GtkWidget    *original_button;
  GtkWidget    *grayscale_button;
  GtkWidget    *thumbnail_button;
  GtkWidget    *canvas;
  GtkWidget    *view_label;
  GtkWidget    *info_group;
  GtkWidget    *export_group;
  GtkWidget    *size_row;
  GtkWidget    *bmp_group;

  GCancellable *cancellable;
  char         *base_name;
  SpImage      *images[N_VIEWS];
  GdkTexture   *textures[N_VIEWS];
  guint         thumbnail_size;
  /* Only the newest thumbnail job may update the page. */
  guint         views_serial;
};

G_DEFINE_FINAL_TYPE (SpImagePage, sp_image_page, GTK_TYPE_WIDGET)

/* --- worker: grayscale, thumbnail, textures ---------------------------- */

typedef struct
{
  SpImage    *source;
  guint       size;
  gboolean    all_views;
  guint       serial;
  SpImage    *images[N_VIEWS];
  GdkTexture *textures[N_VIEWS];
} ViewsJob;

static void
views_job_free (gpointer data)
{
  ViewsJob *job = data;

  g_clear_pointer (&job->source, sp_image_unref);
  for (guint i = 0; i < N_VIEWS; i++)
    {
      g_clear_pointer (&job->images[i], sp_image_unref);
      g_clear_object (&job->textures[i]);
    }
  g_free (job);
}

/* GTK 4.8 has no gray memory formats: gray is widened to RGB(A). */
static GdkTexture *
texture_for_image (SpImage *image)
{
  guint width = sp_image_get_width (image);
  guint height = sp_image_get_height (image);
  guint channels = sp_image_get_channels (image);
  GBytes *pixels = sp_image_get_pixels (image);
  g_autoptr(GBytes) wide = NULL;
  const guint8 *in;
  guint8 *out;
  gsize n_pixels = (gsize) width * height;

  if (channels == 3)
    return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, pixels, (gsize) width * 3);
  if (channels == 4)
    return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, (gsize) width * 4);

  in = g_bytes_get_data (pixels, NULL);
  out = g_malloc (n_pixels * (channels + 2));
  for (gsize i = 0; i < n_pixels; i++)
    {
      const guint8 *p = in + i * channels;
      guint8 *q = out + i * (channels + 2);

      q[0] = q[1] = q[2] = p[0];
      if (channels == 2)
        q[3] = p[1];
    }
  wide = g_bytes_new_take (out, n_pixels * (channels + 2));
  return gdk_memory_texture_new (width, height,
                                 channels == 2 ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                 wide, (gsize) width * (channels + 2));
}

static void
views_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ViewsJob *job = task_data;

  if (job->all_views)
    {
      job->images[VIEW_ORIGINAL] = sp_image_ref (job->source);
      job->textures[VIEW_ORIGINAL] = texture_for_image (job->source);
      if (g_task_return_error_if_cancelled (task))
        return;
      job->images[VIEW_GRAYSCALE] = sp_image_to_grayscale (job->source);
      job->textures[VIEW_GRAYSCALE] = texture_for_image (job->images[VIEW_GRAYSCALE]);
      if (g_task_return_error_if_cancelled (task))
        return;
    }
  job->images[VIEW_THUMBNAIL] = sp_image_thumbnail (job->source, job->size);
  job->textures[VIEW_THUMBNAIL] = texture_for_image (job->images[VIEW_THUMBNAIL]);
  g_task_return_boolean (task, TRUE);
}

/* --- showing ----------------------------------------------------------- */

static View
current_view (SpImagePage *self)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->grayscale_button)))
    return VIEW_GRAYSCALE;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->thumbnail_button)))
    return VIEW_THUMBNAIL;
  return VIEW_ORIGINAL;
}

static const char *
channels_text (guint channels)
{
  switch (channels)
    {
    case 1: return _("gray");
    case 2: return _("gray and alpha");
    case 3: return _("RGB");
    case 4: return _("RGB and alpha");
    default: return "?";
    }
}

static void
update_view (SpImagePage *self)
{
  View view = current_view (self);
  SpImage *image = self->images[view];
  g_autofree char *text = NULL;

  /* A thumbnail is shown at its real size, the others fit the frame. */
  sp_image_canvas_set_max_zoom (SP_IMAGE_CANVAS (self->canvas), view == VIEW_THUMBNAIL ? 1.0 : 8.0);
  sp_image_canvas_set_texture (SP_IMAGE_CANVAS (self->canvas), self->textures[view]);
  if (image == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->view_label), "");
      return;
    }
  /* TRANSLATORS: "13 × 7 pixels, RGB and alpha" */
  text = g_strdup_printf (_("%u × %u pixels, %s"), sp_image_get_width (image),
                          sp_image_get_height (image), channels_text (sp_image_get_channels (image)));
  gtk_label_set_text (GTK_LABEL (self->view_label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
on_view_toggled (SpImagePage *self)
{
  update_view (self);
}

static void
show_error (SpImagePage *self,
            const char  *message)
{
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), message);
  gtk_stack_set_visible_child_name (GTK_STACK (self->view_stack), "error");
  gtk_widget_set_sensitive (self->export_group, FALSE);
}

static void
on_views_ready (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpImagePage *self = SP_IMAGE_PAGE (object);
  ViewsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* A closed tab or a newer thumbnail size: nothing to show. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      g_cancellable_is_cancelled (self->cancellable) || job->serial != self->views_serial)
    return;

  for (guint i = 0; i < N_VIEWS; i++)
    if (job->images[i] != NULL)
      {
        g_clear_pointer (&self->images[i], sp_image_unref);
        g_clear_object (&self->textures[i]);
        self->images[i] = g_steal_pointer (&job->images[i]);
        self->textures[i] = g_steal_pointer (&job->textures[i]);
      }

  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->view_stack), "image");
  gtk_widget_set_sensitive (self->export_group, TRUE);
  update_view (self);
}

static void
start_views_job (SpImagePage *self,
                 SpImage     *source,
                 gboolean     all_views)
{
  g_autoptr(GTask) task = NULL;
  ViewsJob *job = g_new0 (ViewsJob, 1);

  job->source = sp_image_ref (source);
  job->size = self->thumbnail_size;
  job->all_views = all_views;
  job->serial = ++self->views_serial;

  task = g_task_new (self, self->cancellable, on_views_ready, NULL);
  g_task_set_source_tag (task, start_views_job);
  g_task_set_task_data (task, job, views_job_free);
  g_task_run_in_thread (task, views_thread);
}

static void
on_decoded (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpImagePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpImage) image = sp_image_decode_finish (result, &error);

  /* A cancelled job shows nothing. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (image == NULL)
    {
      show_error (self, error->message);
      return;
    }
  start_views_job (self, image, TRUE);
}

static void
on_size_changed (SpImagePage *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->size_row));

  if (selected >= G_N_ELEMENTS (thumbnail_sizes) || thumbnail_sizes[selected] == self->thumbnail_size)
    return;
  self->thumbnail_size = thumbnail_sizes[selected];
  if (self->images[VIEW_ORIGINAL] != NULL)
    start_views_job (self, self->images[VIEW_ORIGINAL], FALSE);
}

/* --- saving ------------------------------------------------------------ */

typedef struct
{
  SpImagePage *self;   /* while the chooser is open */
  SpImage     *image;
  GFile       *file;   /* once chosen */
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_clear_object (&job->self);
  g_clear_pointer (&job->image, sp_image_unref);
  g_clear_object (&job->file);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (sp_image_save_png (job->image, job->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpImagePage *self = SP_IMAGE_PAGE (object);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sp_widget_toast (GTK_WIDGET (self), error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (job->file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

      sp_widget_toast (GTK_WIDGET (self), message);
    }
}

static void
on_save_file_chosen (GFile    *file,
                     gpointer  user_data)
{
  SaveJob *request = user_data;
  SpImagePage *self = request->self;

  if (file != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_saved, NULL);
      SaveJob *job = g_new0 (SaveJob, 1);

      job->image = g_steal_pointer (&request->image);
      job->file = g_object_ref (file);
      g_task_set_source_tag (task, on_save_file_chosen);
      g_task_set_task_data (task, job, save_job_free);
      g_task_run_in_thread (task, save_thread);
    }
}

static void
save_view (SpImagePage *self,
           View         view,
           const char  *title,
           const char  *suggested_name)
{
  SaveJob *request;

  if (self->images[view] == NULL)
    return;

  request = g_new0 (SaveJob, 1);
  request->self = g_object_ref (self);
  request->image = sp_image_ref (self->images[view]);
  sp_choose_save_file (GTK_WIDGET (self), title, _("_Save"), _("PNG images"), "png",
                       suggested_name, on_save_file_chosen, request, save_job_free);
}

static void
on_save_grayscale_clicked (SpImagePage *self)
{
  g_autofree char *name = g_strdup_printf ("%s-grayscale.png", self->base_name);

  save_view (self, VIEW_GRAYSCALE, _("Save Grayscale Image"), name);
}

static void
on_save_thumbnail_clicked (SpImagePage *self)
{
  g_autofree char *name = g_strdup_printf ("%s-thumbnail-%u.png", self->base_name,
                                           self->thumbnail_size);

  save_view (self, VIEW_THUMBNAIL, _("Save Thumbnail"), name);
}

/* --- facts from the report --------------------------------------------- */

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static void
add_info_row (SpImagePage *self,
              const char  *title,
              const char  *value)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->info_group),
                             sp_info_row_new (title, value, FALSE, NULL));
}

static void
show_section (SpImagePage *self,
              JsonObject  *section)
{
  JsonNode *node;
  gint64 width, height, channels, depth;

  node = json_object_get_member (section, "format");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *upper = g_ascii_strup (json_node_get_string (node), -1);

      add_info_row (self, _("Format"), upper);
    }
  if (get_int (section, "width", &width) && get_int (section, "height", &height))
    {
      g_autofree char *text = g_strdup_printf (_("%" PRId64 " × %" PRId64 " pixels"), width, height);

      add_info_row (self, _("Dimensions"), text);
    }
  if (get_int (section, "channels", &channels))
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT " (%s)", channels,
                                               channels_text ((guint) CLAMP (channels, 0, 5)));

      add_info_row (self, _("Channels"), text);
    }
  if (get_int (section, "bit_depth", &depth))
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%" PRId64 " bit per channel",
                                                            "%" PRId64 " bits per channel",
                                                            (gulong) CLAMP (depth, 0, G_MAXLONG)),
                                               depth);

      add_info_row (self, _("Bit depth"), text);
    }

  node = json_object_get_member (section, "warnings");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *warnings = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (warnings) && i < 16; i++)
        {
          JsonNode *element = json_array_get_element (warnings, i);
          GtkWidget *row;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Warning"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), json_node_get_string (element));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->info_group), row);
        }
    }
}

static void
show_bmp_header (SpImagePage *self,
                 JsonObject  *bmp)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  guint added = 0;

  json_object_iter_init (&iter, bmp);
  while (json_object_iter_next (&iter, &key, &node) && added < MAX_BMP_ROWS)
    {
      g_autofree char *label = NULL;
      g_autofree char *text = NULL;

      if (!sp_json_node_is_scalar (node))
        continue;
      label = sp_json_key_dup_label (key);
      text = sp_json_member_dup_display (key, node);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->bmp_group),
                                 sp_info_row_new (label, text, TRUE, NULL));
      added++;
    }
  gtk_widget_set_visible (self->bmp_group, added > 0);
}

/* --- object ------------------------------------------------------------ */

static void
sp_image_page_dispose (GObject *object)
{
  SpImagePage *self = SP_IMAGE_PAGE (object);
  GtkWidget *top;

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < N_VIEWS; i++)
    {
      g_clear_pointer (&self->images[i], sp_image_unref);
      g_clear_object (&self->textures[i]);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), SP_TYPE_IMAGE_PAGE);
  /* The template's top widget has no id, so dispose_template leaves it. */
  while ((top = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (top);
  G_OBJECT_CLASS (sp_image_page_parent_class)->dispose (object);
}

static void
sp_image_page_finalize (GObject *object)
{
  SpImagePage *self = SP_IMAGE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->base_name);
  G_OBJECT_CLASS (sp_image_page_parent_class)->finalize (object);
}

static void
sp_image_page_class_init (SpImagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_image_page_dispose;
  object_class->finalize = sp_image_page_finalize;

  g_type_ensure (SP_TYPE_IMAGE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/specimen/Specimen/ui/sp-image-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, original_button);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, grayscale_button);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, thumbnail_button);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, canvas);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, view_label);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, info_group);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, export_group);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, size_row);
  gtk_widget_class_bind_template_child (widget_class, SpImagePage, bmp_group);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_size_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_grayscale_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_thumbnail_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_image_page_init (SpImagePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->thumbnail_size = SP_IMAGE_DEFAULT_THUMBNAIL_SIZE;
  self->base_name = g_strdup ("image");
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_image_page_new (void)
{
  return g_object_new (SP_TYPE_IMAGE_PAGE, NULL);
}

/**
 * sp_image_page_set_report:
 * @sample_path: (nullable): the analysed file, to decode
 *
 * Called once per page: a tab shows one report for its whole life.
 *
 * Returns: %FALSE if @report has no "image" section
 */
gboolean
sp_image_page_set_report (SpImagePage *self,
                          SpReport    *report,
                          const char  *sample_path)
{
  JsonObject *section;
  JsonObject *bmp;
  g_autoptr(SpSample) sample = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SP_IS_IMAGE_PAGE (self), FALSE);
  g_return_val_if_fail (SP_IS_REPORT (report), FALSE);

  section = sp_report_get_section (report, "image");
  if (section == NULL)
    return FALSE;

  show_section (self, section);
  bmp = sp_report_get_section (report, "bmp");
  if (bmp != NULL)
    show_bmp_header (self, bmp);

  if (sample_path == NULL)
    {
      show_error (self, _("This report was read from a file, so the image itself is not "
                          "available to preview."));
      return TRUE;
    }

  g_free (self->base_name);
  {
    g_autofree char *basename = g_path_get_basename (sample_path);
    char *dot = strrchr (basename, '.');

    if (dot != NULL && dot != basename)
      *dot = '\0';
    self->base_name = g_filename_display_name (basename);
  }

  sample = sp_sample_open (sample_path, &error);
  if (sample == NULL)
    {
      show_error (self, error->message);
      return TRUE;
    }

  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->view_stack), "loading");
  sp_image_decode_async (sample, self->cancellable, on_decoded, g_object_ref (self));
  return TRUE;
}
