/* test-gui-image.c: the Image page, headless under Xvfb
 *
 * The page is driven through its template children: the decoded views must
 * show the pixels the core computes (checked here against the BT.601 formula
 * and the fixture's known pattern), a refused image must show the refusal,
 * and a BMP must show its header. SPECIMEN_IMAGE_LOADER points at the helper
 * in the build tree.
 */
#include "config.h"
#define G_LOG_DOMAIN "test-gui-image"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sp-analysis.h"
#include "sp-gui-util.h"
#include "sp-image.h"
#include "sp-image-canvas.h"
#include "sp-image-page.h"

#include "gui-test-util.h"

#define WAIT_TIMEOUT_MS 60000

static char *tmp_dir;

static GtkWidget *
child (gpointer    widget,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), SP_TYPE_IMAGE_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

typedef gboolean (*Condition) (SpImagePage *page);

static void
wait_for (SpImagePage *page,
          Condition    condition)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static gboolean
settled (SpImagePage *page)
{
  const char *name = gtk_stack_get_visible_child_name (GTK_STACK (child (page, "view_stack")));

  return g_strcmp0 (name, "image") == 0 || g_strcmp0 (name, "error") == 0;
}

static GdkTexture *
shown_texture (SpImagePage *page)
{
  return sp_image_canvas_get_texture (SP_IMAGE_CANVAS (child (page, "canvas")));
}

static gboolean
thumbnail_is_64 (SpImagePage *page)
{
  GdkTexture *texture = shown_texture (page);

  return texture != NULL && gdk_texture_get_width (texture) == 64;
}

static GtkWidget *
page_for (const char *path,
          GtkWidget **out_window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpReport) report = sp_analyze_path (path, NULL, NULL, NULL, NULL, &error);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = sp_image_page_new ();

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sp_image_page_set_report (SP_IMAGE_PAGE (page), report, path));
  wait_for (SP_IMAGE_PAGE (page), settled);
  *out_window = window;
  return page;
}

/* Straight RGBA of pixel (x, y); the download is premultiplied BGRA (cairo). */
static void
texture_pixel (GdkTexture *texture,
               guint       x,
               guint       y,
               guint8     *rgba)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) width * height * 4);
  const guint8 *p;
  guint32 value;

  gdk_texture_download (texture, data, (gsize) width * 4);
  p = data + ((gsize) y * width + x) * 4;
  memcpy (&value, p, 4);
  rgba[3] = value >> 24;
  rgba[0] = (value >> 16) & 0xff;
  rgba[1] = (value >> 8) & 0xff;
  rgba[2] = value & 0xff;
}

static void
test_views (void)
{
  /* A 300 × 200 opaque image: pixel (x, y) = (x % 256, y, (x + y) % 256). */
  g_autofree char *path = g_build_filename (tmp_dir, "views.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint8 *data = g_malloc (300 * 200 * 3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpImage) image = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *page;
  GdkTexture *texture;
  guint8 rgba[4];
  guint8 r = 123 % 256, g = 45, b = (123 + 45) % 256;

  for (guint y = 0; y < 200; y++)
    for (guint x = 0; x < 300; x++)
      {
        guint8 *p = data + (y * 300 + x) * 3;

        p[0] = x % 256;
        p[1] = y;
        p[2] = (x + y) % 256;
      }
  bytes = g_bytes_new_take (data, 300 * 200 * 3);
  image = sp_image_new (300, 200, 3, bytes);
  sp_image_save_png (image, file, NULL, &error);
  g_assert_no_error (error);

  page = page_for (path, &window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "view_stack"))), ==,
                   "image");
  g_assert_true (gtk_widget_get_sensitive (child (page, "export_group")));
  g_assert_false (gtk_widget_get_visible (child (page, "bmp_group")));

  texture = shown_texture (SP_IMAGE_PAGE (page));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 300);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 200);
  texture_pixel (texture, 123, 45, rgba);
  g_assert_cmpuint (rgba[0], ==, r);
  g_assert_cmpuint (rgba[1], ==, g);
  g_assert_cmpuint (rgba[2], ==, b);
  g_assert_cmpuint (rgba[3], ==, 255);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (page, "grayscale_button")), TRUE);
  texture = shown_texture (SP_IMAGE_PAGE (page));
  texture_pixel (texture, 123, 45, rgba);
  g_assert_cmpuint (rgba[0], ==, (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
  g_assert_cmpuint (rgba[1], ==, rgba[0]);
  g_assert_cmpuint (rgba[2], ==, rgba[0]);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (page, "thumbnail_button")), TRUE);
  texture = shown_texture (SP_IMAGE_PAGE (page));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 128);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 85);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (page, "view_label"))),
                            "128 × 85"));

  /* A new size is made off the main thread and replaces the view. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "size_row")), 0);
  wait_for (SP_IMAGE_PAGE (page), thumbnail_is_64);
  g_assert_cmpint (gdk_texture_get_height (shown_texture (SP_IMAGE_PAGE (page))), ==, 43);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  GtkWidget *found = NULL;

  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL && found == NULL;
       c = gtk_widget_get_next_sibling (c))
    found = find_button (c, label);
  return found;
}

typedef gboolean (*Check) (gpointer data);

static gboolean
poll_until (Check    check,
            gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!check (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
chooser_shown (gpointer data)
{
  return (*(GtkWidget **) data = find_file_chooser ()) != NULL;
}

static gboolean
chooser_has_folder (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (data));

  return folder != NULL;
}

static gboolean
chooser_in_tmp_dir (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (data));
  g_autoptr(GFile) tmp = g_file_new_for_path (tmp_dir);

  return folder != NULL && g_file_equal (folder, tmp);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* Save Grayscale… asks where (PNG, "<sample>-grayscale.png") and writes the
 * grayscale view there, off the main thread. */
static void
test_save_grayscale (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "tosave.png", NULL);
  g_autofree char *saved_path = g_build_filename (tmp_dir, "saved-gray.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_new_for_path (tmp_dir);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpImage) image = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  GtkWidget *window, *page, *button, *chooser = NULL;
  guint8 rgba[4];
  guint8 pixels[4 * 3 * 3];

  if (skip_file_chooser ())
    return;

  for (guint i = 0; i < 4 * 3; i++)
    {
      pixels[i * 3] = (guint8) (i * 20);
      pixels[i * 3 + 1] = (guint8) (200 - i * 10);
      pixels[i * 3 + 2] = (guint8) (i * 7);
    }
  bytes = g_bytes_new (pixels, sizeof pixels);
  image = sp_image_new (4, 3, 3, bytes);
  sp_image_save_png (image, file, NULL, &error);
  g_assert_no_error (error);

  page = page_for (path, &window);
  button = find_button (child (page, "export_group"), "Save Gr_ayscale…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (poll_until (chooser_shown, &chooser));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Save Grayscale Image");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (chooser)));
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "tosave-grayscale.png");
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  filter = g_list_model_get_item (filters, 0);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "PNG images");

  /* The chooser loads its start folder after it maps; move only then. */
  g_assert_true (poll_until (chooser_has_folder, chooser));
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  g_assert_true (poll_until (chooser_in_tmp_dir, chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "saved-gray.png");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (poll_until (file_exists, saved_path));

  saved = gdk_texture_new_from_filename (saved_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, 4);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, 3);
  texture_pixel (saved, 1, 2, rgba);
  {
    guint i = 2 * 4 + 1;
    guint r = pixels[i * 3], g = pixels[i * 3 + 1], b = pixels[i * 3 + 2];

    g_assert_cmpuint (rgba[0], ==, (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
    g_assert_cmpuint (rgba[1], ==, rgba[0]);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_unlink (saved_path);
}

static void
test_refused (void)
{
  /* A PNG header claiming 100000 × 100000: refused, the reason shown. */
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 8, 2, 0, 0, 0, 0x27, 0x30, 0x9c, 0x9f
  };
  g_autofree char *path = g_build_filename (tmp_dir, "huge.png", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *page;

  g_file_set_contents (path, (const char *) header, sizeof header, &error);
  g_assert_no_error (error);
  page = page_for (path, &window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "view_stack"))), ==,
                   "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (child (page,
                                                                                     "error_page"))),
                            "100000 × 100000"));
  g_assert_false (gtk_widget_get_sensitive (child (page, "export_group")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bmp_header (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "images", "pal8.bmp",
                                                 NULL);
  GtkWidget *window, *page;

  page = page_for (path, &window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "view_stack"))), ==,
                   "image");
  g_assert_true (gtk_widget_get_visible (child (page, "bmp_group")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_image_section (void)
{
  g_autoptr(SpReport) report = sp_report_new ();
  GtkWidget *page = g_object_ref_sink (sp_image_page_new ());

  g_assert_false (sp_image_page_set_report (SP_IMAGE_PAGE (page), report, "/nonexistent"));
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sp_gui_register_resources ();

  tmp_dir = g_dir_make_tmp ("test-gui-image-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/specimen/gui-image/views", test_views);
  g_test_add_func ("/specimen/gui-image/save-grayscale", test_save_grayscale);
  g_test_add_func ("/specimen/gui-image/refused", test_refused);
  g_test_add_func ("/specimen/gui-image/bmp-header", test_bmp_header);
  g_test_add_func ("/specimen/gui-image/no-image-section", test_no_image_section);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);

        g_unlink (file);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
