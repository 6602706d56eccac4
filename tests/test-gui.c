/* test-gui.c: the desktop application, driven headless under Xvfb
 *
 * Every test opens files through sp_window_open_files(), the function a drop,
 * the Open dialog and the command line all call, waits for the analysis by
 * iterating the main loop, and checks what the widgets show against values
 * computed here independently (GChecksum digests, the binutils `strings`
 * oracle, the fixture's own layout). Screenshots of every page are saved
 * under the build directory.
 */
#include "config.h"
#define G_LOG_DOMAIN "test-gui"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <glib/gstdio.h>

#include "sp-application.h"
#include "sp-entropy-plot.h"
#include "sp-gui-util.h"
#include "sp-hashes-page.h"
#include "sp-headers-page.h"
#include "sp-indicators-page.h"
#include "sp-overview-page.h"
#include "sp-sample-view.h"
#include "sp-strings-page.h"
#include "sp-window.h"
#ifdef HAVE_SP_EXPORT_DIALOG
#include "sp-export-dialog.h"

#include "gui-test-util.h"
#endif

#define WAIT_TIMEOUT_MS 60000

#define MARKUP_STRING "<span foreground=\"red\">MARKUP</span>"
#define URL_STRING "http://update-check.badsite.com/gate.php"
#define IP_STRING "45.33.32.156"

static SpApplication *app;
static char *tmp_dir;
static char *sample_path;

/* Helpers */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
intake_done (gpointer data)
{
  return sp_window_get_pending_intakes (SP_WINDOW (data)) == 0;
}

static gboolean
all_views_settled (gpointer data)
{
  AdwTabView *tab_view = sp_window_get_tab_view (SP_WINDOW (data));

  if (sp_window_get_pending_intakes (SP_WINDOW (data)) > 0)
    return FALSE;
  for (int i = 0; i < adw_tab_view_get_n_pages (tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (tab_view, i);
      SpSampleView *view = SP_SAMPLE_VIEW (adw_tab_page_get_child (page));

      if (sp_sample_view_get_state (view) == SP_SAMPLE_VIEW_IDLE
          || sp_sample_view_get_state (view) == SP_SAMPLE_VIEW_RUNNING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
strings_filter_done (gpointer data)
{
  return !sp_strings_page_get_filter_pending (SP_STRINGS_PAGE (data));
}

static SpWindow *
new_window_sized (int width,
                  int height)
{
  SpWindow *window = sp_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static SpWindow *
new_window (void)
{
  return new_window_sized (1100, 800);
}

/* Lets style changes (light/dark) reach every widget before a screenshot. */
static void
settle (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static void
destroy_window (SpWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (wait_for (pointer_is_null, &weak));
}

static SpSampleView *
open_paths_and_wait (SpWindow           *window,
                     const char * const *paths)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AdwTabView *tab_view = sp_window_get_tab_view (window);

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));
  sp_window_open_files (window, (GFile **) files->pdata, files->len);
  g_assert_true (wait_for (all_views_settled, window));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), >, 0);
  return sp_window_get_current_view (window);
}

static SpSampleView *
open_path_and_wait (SpWindow   *window,
                    const char *path)
{
  const char *paths[] = { path, NULL };

  return open_paths_and_wait (window, paths);
}

static const char *
shown_sha256 (SpSampleView *view)
{
  SpHashesPage *hashes = SP_HASHES_PAGE (sp_sample_view_get_page (view, "hashes"));

  return gtk_label_get_text (sp_hashes_page_get_value_label (hashes, SP_DIGEST_SHA256));
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Runs binutils `strings`, our oracle, and returns its lines. */
static GPtrArray *
oracle_strings (const char *path,
                const char *encoding,
                guint       min_length)
{
  g_autofree char *min = g_strdup_printf ("%u", min_length);
  const char *argv[] = { "strings", "-a", "-n", min, "-e", encoding, path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  int status;
  char **split;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    g_error ("binutils strings is needed as the oracle: %s", error->message);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  split = g_strsplit (out, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_ptr_array_add (lines, g_strdup (split[i]));
  g_strfreev (split);
  return lines;
}

static GtkLabel *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      found = find_label_with_text (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
find_widgets_of_type (GtkWidget *root,
                      GType      type,
                      GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (out, child);
      find_widgets_of_type (child, type, out);
    }
}

static void
draw (GtkWidget *widget)
{
  gtk_test_widget_wait_for_draw (widget);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Renders the window's content to a PNG under the build directory. */
static char *
save_screenshot (SpWindow   *window,
                 const char *name)
{
  /* The window itself: its CSS node paints the background the content sits on. */
  GtkWidget *content = GTK_WIDGET (window);
  int width = 0;
  int height = 0;
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir = g_build_filename (build_dir ? build_dir : ".", "screenshots", NULL);
  char *path;

  paintable = gtk_widget_paintable_new (content);
  /* A window the X server has not mapped yet renders nothing: wait for a real frame. */
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      draw (GTK_WIDGET (window));
      width = gtk_widget_get_width (content);
      height = gtk_widget_get_height (content);
      if (!gtk_widget_get_mapped (content) || width <= 0 || height <= 0)
        {
          settle (20);
          continue;
        }
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        settle (20);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

static void
assert_png (const char *path,
            int         min_width)
{
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, NULL);

  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, min_width);
}

/* Fixtures */

static void
append_utf16 (GByteArray *bytes,
              const char *ascii)
{
  for (const char *p = ascii; *p; p++)
    {
      guint8 pair[2] = { (guint8) *p, 0 };

      g_byte_array_append (bytes, pair, 2);
    }
}

/* A sample whose strings are separated by bytes no scanner reads as text. */
static char *
write_sample (void)
{
  static const char *ascii[] = {
    "This program cannot be run in DOS mode",
    URL_STRING,
    "connect to " IP_STRING " now",
    MARKUP_STRING,
    "CreateRemoteThread",
    "WriteProcessMemory",
    "VirtualAllocEx",
    "plain evil words",
    "EVIL IN CAPITALS",
  };
  static const guint8 separator[] = { 0x00, 0x01, 0xff, 0x00 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  char *path = g_build_filename (tmp_dir, "sample.bin", NULL);

  g_byte_array_append (bytes, separator, sizeof separator);
  for (guint i = 0; i < G_N_ELEMENTS (ascii); i++)
    {
      g_byte_array_append (bytes, (const guint8 *) ascii[i], strlen (ascii[i]));
      g_byte_array_append (bytes, separator, sizeof separator);
    }
  append_utf16 (bytes, "Wide evil string");
  g_byte_array_append (bytes, separator, sizeof separator);
  /* Short runs below the minimum length: never strings. */
  g_byte_array_append (bytes, (const guint8 *) "abc\x02xy\x03", 8);
  for (guint i = 0; i < 4096; i++)
    {
      guint8 noise = (guint8) (i * 167 + 13) | 0x80;

      g_byte_array_append (bytes, &noise, 1);
    }
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
  return path;
}

static char *
write_big_file (const char *name,
                gsize       size)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  guint32 state = 2463534242u;

  for (gsize i = 0; i < size; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      data[i] = (guint8) state;
    }
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  return path;
}

/* Tests */

static void
test_empty_state (void)
{
  SpWindow *window = new_window ();
  AdwTabView *tab_view = sp_window_get_tab_view (window);
  g_autofree char *shot = NULL;

  draw (GTK_WIDGET (window));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), "Drop Files to Inspect"));
  shot = save_screenshot (window, "gui-empty");
  assert_png (shot, 100);
  destroy_window (window);
}

static void
test_sample_pages (void)
{
  SpWindow *window = new_window ();
  SpSampleView *view = open_path_and_wait (window, sample_path);
  g_autofree char *sha256 = sha256_of_file (sample_path);
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  g_autofree char *accessible = g_strdup_printf ("SHA-256: %s", sha256);
  g_autoptr(GPtrArray) ascii = oracle_strings (sample_path, "s", 4);
  g_autoptr(GPtrArray) wide = oracle_strings (sample_path, "l", 4);
  SpHashesPage *hashes;
  SpStringsPage *strings;
  SpIndicatorsPage *indicators;
  SpOverviewPage *overview;
  GtkLabel *label;
  GListModel *model;
  guint expected_evil = 0;
  gboolean found_url = FALSE;
  gboolean found_ip = FALSE;
  const char *findings;
  g_autofree char *message = NULL;

  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_cmpstr (sp_sample_view_get_title (view), ==, "sample.bin");
  g_assert_cmpstr (sp_sample_view_get_tooltip (view), ==, sample_path);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "sample.bin — Specimen");

  /* Hashes: the label shows exactly what GChecksum computes, and says so to assistive tech. */
  hashes = SP_HASHES_PAGE (sp_sample_view_get_page (view, "hashes"));
  label = sp_hashes_page_get_value_label (hashes, SP_DIGEST_SHA256);
  g_assert_cmpstr (gtk_label_get_text (label), ==, sha256);
  gtk_test_accessible_assert_property (label, GTK_ACCESSIBLE_PROPERTY_LABEL, accessible);
  sp_hashes_page_set_compare_text (hashes, upper);
  g_assert_cmpint (sp_hashes_page_get_compare_state (hashes), ==, SP_HASH_COMPARE_MATCH);
  g_assert_cmpint (sp_hashes_page_get_matched_kind (hashes), ==, SP_DIGEST_SHA256);
  sp_hashes_page_set_compare_text (hashes, "d41d8cd98f00b204e9800998ecf8427e");
  g_assert_cmpint (sp_hashes_page_get_compare_state (hashes), ==, SP_HASH_COMPARE_MISMATCH);
  sp_hashes_page_set_compare_text (hashes, "");
  g_assert_cmpint (sp_hashes_page_get_compare_state (hashes), ==, SP_HASH_COMPARE_EMPTY);

  /* Strings: as many rows as the oracle finds, ASCII plus UTF-16LE; the fixture has 10. */
  strings = SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings"));
  model = sp_strings_page_get_visible_model (strings);
  g_assert_cmpuint (ascii->len + wide->len, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, ascii->len + wide->len);

  for (guint i = 0; i < ascii->len + wide->len; i++)
    {
      const char *line = i < ascii->len ? g_ptr_array_index (ascii, i)
                                        : g_ptr_array_index (wide, i - ascii->len);
      g_autofree char *folded = g_utf8_casefold (line, -1);

      expected_evil += strstr (folded, "evil") != NULL;
    }
  g_assert_cmpuint (expected_evil, ==, 3);

  /* Case-insensitive substring, then a regular expression, then no filter. */
  sp_strings_page_set_search (strings, "EvIl", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected_evil);
  sp_strings_page_set_search (strings, "^(Create|Write)[A-Z]", TRUE);
  g_assert_true (wait_for (strings_filter_done, strings));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  sp_strings_page_set_search (strings, "", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, ascii->len + wide->len);

  /* Markup-looking sample text is shown literally in the table. */
  sp_sample_view_show_page (view, "strings");
  sp_strings_page_set_search (strings, "MARKUP", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  draw (GTK_WIDGET (window));
  label = find_label_with_text (GTK_WIDGET (strings), MARKUP_STRING);
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (label));
  sp_strings_page_set_search (strings, "", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));

  /* Indicators: the URL and the IP address, readable as text in the rendered table. */
  indicators = SP_INDICATORS_PAGE (sp_sample_view_get_page (view, "indicators"));
  model = sp_indicators_page_get_visible_model (indicators);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (model, i);

      const char *value = sp_ioc_get_value (ioc);

      if (sp_ioc_get_category (ioc) == SP_IOC_URL && g_str_equal (value, URL_STRING))
        found_url = TRUE;
      if (sp_ioc_get_category (ioc) == SP_IOC_IPV4 && g_str_equal (value, IP_STRING))
        found_ip = TRUE;
    }
  g_assert_true (found_url);
  g_assert_true (found_ip);
  sp_sample_view_show_page (view, "indicators");
  draw (GTK_WIDGET (window));
  label = find_label_with_text (GTK_WIDGET (indicators), URL_STRING);
  g_assert_nonnull (label);
  message = g_strdup_printf ("%s: %s", sp_ioc_category_to_label (SP_IOC_URL), URL_STRING);
  gtk_test_accessible_assert_property (label, GTK_ACCESSIBLE_PROPERTY_LABEL, message);
  sp_indicators_page_set_category (indicators, SP_IOC_URL);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (model, i);

      g_assert_cmpint (sp_ioc_get_category (ioc), ==, SP_IOC_URL);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  sp_indicators_page_set_category (indicators, -1);

  /* Overview: findings name the injection APIs; not a PE, so no Headers page. */
  overview = SP_OVERVIEW_PAGE (sp_sample_view_get_page (view, "overview"));
  findings = sp_overview_page_get_findings_text (overview);
  g_assert_nonnull (strstr (findings, "1 URL"));
  g_assert_nonnull (strstr (findings, "CreateRemoteThread"));
  g_assert_nonnull (strstr (findings, "WriteProcessMemory"));
  g_assert_cmpuint (sp_entropy_plot_get_n_blocks (
                      SP_ENTROPY_PLOT (sp_overview_page_get_entropy_plot (overview))), >, 0);
  g_assert_false (adw_view_stack_page_get_visible (
                    adw_view_stack_get_page (sp_sample_view_get_view_stack (view),
                                             sp_sample_view_get_page (view, "headers"))));

  destroy_window (window);
}

static void
test_accessibility (void)
{
  SpWindow *window = new_window ();
  SpSampleView *view = open_path_and_wait (window, sample_path);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  const char *names[] = { "Overview", "Hashes", "Strings", "Indicators" };

  draw (GTK_WIDGET (window));
  find_widgets_of_type (sp_sample_view_get_switcher (view), GTK_TYPE_TOGGLE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, >=, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gboolean found = FALSE;

      for (guint b = 0; b < buttons->len && !found; b++)
        {
          GtkWidget *button = g_ptr_array_index (buttons, b);
          char *error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                            GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                            names[i]);

          found = error == NULL && gtk_widget_get_visible (button);
          g_free (error);
        }
      g_assert_true (found);
    }
  destroy_window (window);
}

typedef struct
{
  guint  notifications;
  double max_fraction;
} Progress;

static void
on_fraction_notify (SpSampleView *view,
                    GParamSpec   *pspec,
                    Progress     *progress)
{
  progress->notifications++;
  progress->max_fraction = MAX (progress->max_fraction, sp_sample_view_get_fraction (view));
}

static void
test_concurrent_and_close (void)
{
  SpWindow *window = new_window ();
  AdwTabView *tab_view = sp_window_get_tab_view (window);
  g_autofree char *big1 = write_big_file ("big-one.bin", 96 * 1024 * 1024);
  g_autofree char *big2 = write_big_file ("big-two.bin", 24 * 1024 * 1024);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  gpointer closed_view;
  SpSampleView *survivor;
  g_autofree char *sha_small = sha256_of_file (sample_path);
  g_autofree char *sha_big2 = sha256_of_file (big2);
  Progress progress = { 0 };
  gint64 started;
  gint64 elapsed_ms;

  g_ptr_array_add (files, g_file_new_for_path (sample_path));
  g_ptr_array_add (files, g_file_new_for_path (big1));
  g_ptr_array_add (files, g_file_new_for_path (big2));
  sp_window_open_files (window, (GFile **) files->pdata, files->len);
  g_assert_true (wait_for (intake_done, window));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 3);
  started = g_get_monotonic_time ();
  g_signal_connect (adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view, 2)),
                    "notify::fraction", G_CALLBACK (on_fraction_notify), &progress);

  /* Close the big one while its analysis runs: it is cancelled and freed. */
  closed_view = adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view, 1));
  g_assert_cmpstr (sp_sample_view_get_title (closed_view), ==, "big-one.bin");
  g_assert_cmpint (sp_sample_view_get_state (closed_view), ==, SP_SAMPLE_VIEW_RUNNING);
  g_assert_true (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tab_view, 1)));
  adw_tab_view_set_selected_page (tab_view, adw_tab_view_get_nth_page (tab_view, 1));
  {
    g_autofree char *shot = save_screenshot (window, "gui-progress");

    assert_png (shot, 400);
  }
  g_object_add_weak_pointer (G_OBJECT (closed_view), &closed_view);
  adw_tab_view_close_page (tab_view, adw_tab_view_get_nth_page (tab_view, 1));
  g_assert_true (wait_for (pointer_is_null, &closed_view));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);

  g_assert_true (wait_for (all_views_settled, window));
  survivor = SP_SAMPLE_VIEW (adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view, 0)));
  g_assert_cmpint (sp_sample_view_get_state (survivor), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_cmpstr (shown_sha256 (survivor), ==, sha_small);
  survivor = SP_SAMPLE_VIEW (adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view, 1)));
  g_assert_cmpint (sp_sample_view_get_state (survivor), ==, SP_SAMPLE_VIEW_DONE);
  g_signal_handlers_disconnect_by_func (survivor, on_fraction_notify, &progress);
  /* Progress reaches the UI at most every 150 ms: a run of more than a few ticks shows some,
   * and never more notifications than ticks. */
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_test_message ("progress: %u notifications in %" G_GINT64_FORMAT " ms, up to %.2f",
                  progress.notifications, elapsed_ms, progress.max_fraction);
  if (elapsed_ms > 600)
    g_assert_cmpuint (progress.notifications, >, 0);
  g_assert_cmpuint (progress.notifications, <=, elapsed_ms / 100 + 2);
  g_assert_cmpfloat (progress.max_fraction, <=, 1.0);
  g_assert_false (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tab_view, 1)));
  g_assert_cmpstr (shown_sha256 (survivor), ==, sha_big2);

  /* Closing every tab brings the empty state back. */
  while (adw_tab_view_get_n_pages (tab_view) > 0)
    adw_tab_view_close_page (tab_view, adw_tab_view_get_nth_page (tab_view, 0));
  draw (GTK_WIDGET (window));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (window), "Drop Files to Inspect"));

  g_unlink (big1);
  g_unlink (big2);
  destroy_window (window);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* The window's own drop target: highlight while hovering, one tab per dropped file. */
static gboolean
view_not_running (gpointer data)
{
  return sp_sample_view_get_state (SP_SAMPLE_VIEW (data)) != SP_SAMPLE_VIEW_RUNNING;
}

/* The Cancel button stops the job quietly; "Analyse Again" starts it over. */
static void
test_cancel_and_retry (void)
{
  SpWindow *window = new_window ();
  g_autofree char *big = write_big_file ("cancel-me.bin", 64 * 1024 * 1024);
  g_autofree char *sha256 = sha256_of_file (big);
  g_autoptr(GFile) file = g_file_new_for_path (big);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *retry = NULL;
  SpSampleView *view;

  sp_window_open_files (window, &file, 1);
  g_assert_true (wait_for (intake_done, window));
  view = sp_window_get_current_view (window);
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_RUNNING);
  sp_sample_view_cancel (view);
  g_assert_true (wait_for (view_not_running, view));
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_CANCELLED);
  g_assert_null (sp_sample_view_get_report (view));
  /* A cancelled job shows nothing: no toast, no error message. */
  g_assert_null (sp_window_get_last_toast (window));
  g_assert_null (sp_sample_view_get_error_message (view));

  draw (GTK_WIDGET (window));
  find_widgets_of_type (GTK_WIDGET (view), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len && retry == NULL; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Analyse Again") == 0
        && gtk_widget_is_visible (g_ptr_array_index (buttons, i)))
      retry = g_ptr_array_index (buttons, i);
  g_assert_nonnull (retry);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_RUNNING);
  g_assert_true (wait_for (view_not_running, view));
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_cmpstr (shown_sha256 (view), ==, sha256);

  g_unlink (big);
  destroy_window (window);
}

static void
test_drop (void)
{
  SpWindow *window = new_window ();
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  GtkWidget *area = sp_window_get_drop_area (window);
  g_autofree char *second = g_build_filename (tmp_dir, "second.txt", NULL);
  g_autofree char *third = g_build_filename (tmp_dir, "third.txt", NULL);
  GFile *files[3];
  GdkFileList *list;
  GValue value = G_VALUE_INIT;
  GdkDragAction action = 0;
  gboolean accepted = FALSE;

  g_assert_nonnull (target);
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (target),
                                                    GDK_TYPE_FILE_LIST));
  g_assert_true (g_file_set_contents (second, "second dropped file\n", -1, NULL));
  g_assert_true (g_file_set_contents (third, "third dropped file\n", -1, NULL));

  g_signal_emit_by_name (target, "enter", 10.0, 10.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_widget_has_css_class (area, "sp-drop-highlight"));
  g_signal_emit_by_name (target, "leave");
  g_assert_false (gtk_widget_has_css_class (area, "sp-drop-highlight"));

  files[0] = g_file_new_for_path (sample_path);
  files[1] = g_file_new_for_path (second);
  files[2] = g_file_new_for_path (third);
  list = gdk_file_list_new_from_array (files, 3);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, list);
  g_signal_emit_by_name (target, "enter", 10.0, 10.0, &action);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_false (gtk_widget_has_css_class (area, "sp-drop-highlight"));
  g_assert_true (wait_for (all_views_settled, window));
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (window)), ==, 3);
  g_assert_cmpstr (sp_sample_view_get_title (SP_SAMPLE_VIEW (adw_tab_page_get_child (
                     adw_tab_view_get_nth_page (sp_window_get_tab_view (window), 2)))), ==,
                   "third.txt");

  g_value_unset (&value);
  for (guint i = 0; i < 3; i++)
    g_object_unref (files[i]);
  g_unlink (second);
  g_unlink (third);
  destroy_window (window);
}

static void
test_folder_and_errors (void)
{
  SpWindow *window = new_window ();
  AdwTabView *tab_view = sp_window_get_tab_view (window);
  g_autofree char *folder = g_build_filename (tmp_dir, "folder", NULL);
  g_autofree char *sub = g_build_filename (folder, "sub", NULL);
  g_autofree char *a = g_build_filename (folder, "a.txt", NULL);
  g_autofree char *b = g_build_filename (sub, "b.txt", NULL);
  g_autofree char *link = g_build_filename (folder, "link-to-a", NULL);
  g_autofree char *fifo = g_build_filename (tmp_dir, "a-fifo", NULL);
  const char *folder_paths[] = { folder, NULL };
  const char *fifo_paths[] = { fifo, NULL };
  SpSampleView *view;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (a, "first file in the folder\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "second file, one level down\n", -1, NULL));
  g_assert_cmpint (symlink (a, link), ==, 0);

  /* Regular files only, recursively; the symlink is skipped. */
  open_paths_and_wait (window, folder_paths);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  {
    g_autofree char *expected = g_strdup_printf ("Added 2 files from “%s”", folder);

    g_assert_cmpstr (sp_window_get_last_toast (window), ==, expected);
  }
  g_assert_cmpstr (sp_sample_view_get_title (SP_SAMPLE_VIEW (adw_tab_page_get_child (
                     adw_tab_view_get_nth_page (tab_view, 0)))), ==, "a.txt");
  g_assert_cmpstr (sp_sample_view_get_title (SP_SAMPLE_VIEW (adw_tab_page_get_child (
                     adw_tab_view_get_nth_page (tab_view, 1)))), ==, "b.txt");

  /* A FIFO is refused with a message in its tab and a toast, never a hang. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  view = open_paths_and_wait (window, fifo_paths);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 3);
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_FAILED);
  g_assert_nonnull (sp_sample_view_get_error_message (view));
  g_assert_cmpstr (sp_window_get_last_toast (window), ==, sp_sample_view_get_error_message (view));
  g_assert_null (sp_sample_view_get_report (view));

  g_unlink (fifo);
  g_unlink (link);
  g_unlink (a);
  g_unlink (b);
  g_rmdir (sub);
  g_rmdir (folder);
  destroy_window (window);
}

static void
test_markup_file_name (void)
{
  SpWindow *window = new_window ();
  /* No "/" in a file name, so no closing tags: entities show whether markup is parsed. */
  const char *name = "&lt;b&gt;bold &amp; <i>it.txt";
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  SpSampleView *view;
  AdwTabPage *page;

  g_assert_true (g_file_set_contents (path, "nothing to see here\n", -1, NULL));
  view = open_path_and_wait (window, path);
  page = adw_tab_view_get_page (sp_window_get_tab_view (window), GTK_WIDGET (view));
  g_assert_cmpstr (sp_sample_view_get_title (view), ==, name);
  g_assert_cmpstr (adw_tab_page_get_title (page), ==, name);
  sp_sample_view_show_page (view, "overview");
  draw (GTK_WIDGET (window));
  /* Found by its literal text: as markup it would be invalid or read "<b>bold</b> & …". */
  g_assert_nonnull (find_label_with_text (sp_sample_view_get_page (view, "overview"), name));
  g_unlink (path);
  destroy_window (window);
}

static void
test_reports (void)
{
  SpWindow *window = new_window ();
  SpSampleView *view = open_path_and_wait (window, sample_path);
  g_autofree char *json_path = g_build_filename (tmp_dir, "sample-report.json", NULL);
  g_autofree char *locked_path = g_build_filename (tmp_dir, "locked.specimen", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autofree char *sha256 = sha256_of_file (sample_path);
  g_autoptr(GError) error = NULL;
  SpReportOptions options;
  SpSampleView *report_view;
  GtkLabel *label;
  gpointer weak;

  /* A JSON report opens read-only with the same pages and a banner. */
  sp_report_options_init (&options);
  g_assert_true (sp_report_save (sp_sample_view_get_report (view), SP_REPORT_FORMAT_JSON, &options,
                                 json_file, NULL, &error));
  g_assert_no_error (error);
  report_view = open_path_and_wait (window, json_path);
  g_assert_true (report_view != view);
  g_assert_cmpint (sp_sample_view_get_state (report_view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_cmpint (sp_report_get_origin (sp_sample_view_get_report (report_view)), ==,
                   SP_REPORT_ORIGIN_FILE);
  label = GTK_LABEL (sp_sample_view_get_banner_label (report_view));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (label))));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "From report"));
  g_assert_cmpstr (gtk_label_get_text (sp_hashes_page_get_value_label (
                     SP_HASHES_PAGE (sp_sample_view_get_page (report_view, "hashes")),
                     SP_DIGEST_SHA256)), ==, sha256);
  g_assert_cmpuint (g_list_model_get_n_items (sp_strings_page_get_visible_model (
                      SP_STRINGS_PAGE (sp_sample_view_get_page (report_view, "strings")))), ==,
                    g_list_model_get_n_items (sp_strings_page_get_visible_model (
                      SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings")))));

  /* specimen-cli writes an array of reports; the first one opens. */
  {
    g_autofree char *single = NULL;
    g_autofree char *array = NULL;
    g_autofree char *array_path = g_build_filename (tmp_dir, "cli-report.json", NULL);

    g_assert_true (g_file_get_contents (json_path, &single, NULL, NULL));
    array = g_strdup_printf ("[\n%s\n]\n", single);
    g_assert_true (g_file_set_contents (array_path, array, -1, NULL));
    report_view = open_path_and_wait (window, array_path);
    g_assert_cmpint (sp_sample_view_get_state (report_view), ==, SP_SAMPLE_VIEW_DONE);
    g_assert_cmpint (sp_report_get_origin (sp_sample_view_get_report (report_view)), ==,
                     SP_REPORT_ORIGIN_FILE);
    g_assert_cmpstr (shown_sha256 (report_view), ==, sha256);
    g_unlink (array_path);
  }

  /* An encrypted report never reaches the analysis: it waits for a password. */
  g_assert_true (g_file_set_contents (locked_path, "SPECIMEN\x01\x02\x03 not really encrypted", -1,
                                      NULL));
  {
    g_autoptr(GFile) locked = g_file_new_for_path (locked_path);
    AdwTabView *tab_view = sp_window_get_tab_view (window);

    sp_window_open_files (window, &locked, 1);
    g_assert_true (wait_for (intake_done, window));
    report_view = sp_window_get_current_view (window);
    g_assert_cmpstr (sp_sample_view_get_title (report_view), ==, "locked.specimen");
    g_assert_null (sp_sample_view_get_report (report_view));
#ifdef HAVE_SP_PASSWORD_DIALOG
    g_assert_cmpint (sp_sample_view_get_state (report_view), ==, SP_SAMPLE_VIEW_WAITING);
#else
    g_assert_cmpint (sp_sample_view_get_state (report_view), ==, SP_SAMPLE_VIEW_FAILED);
    g_assert_nonnull (strstr (sp_sample_view_get_error_message (report_view), "encrypted"));
#endif
    weak = report_view;
    g_object_add_weak_pointer (G_OBJECT (report_view), &weak);
    adw_tab_view_close_page (tab_view, adw_tab_view_get_page (tab_view, GTK_WIDGET (report_view)));
    g_assert_true (wait_for (pointer_is_null, &weak));
  }

  g_unlink (json_path);
  g_unlink (locked_path);
  destroy_window (window);
}

/* A report built in memory, as a hostile saved report could be: every name is markup-shaped. */
static void
test_hostile_report (void)
{
  SpWindow *window = new_window ();
  g_autoptr(SpReport) report = sp_report_new ();
  g_autoptr(JsonNode) pe = json_from_string (
    "{\"format\": \"PE32\", \"machine_name\": \"<b>i386</b>\","
    " \"warnings\": [\"<u>odd</u> header\"],"
    " \"sections\": [{\"name\": \"<s>.text</s>\", \"virtual_address\": 4096,"
    "                 \"flags\": [\"code\", \"execute\", \"read\", \"write\"], \"entropy\": 7.9},"
    "                {\"name\": \".data\", \"virtual_address\": 8192,"
    "                 \"flags\": [\"read\"], \"entropy\": 1.5}],"
    " \"imports\": [{\"dll\": \"<i>evil</i>.dll\", \"note\": \"<tt>x</tt>\","
    "                \"functions\": [\"<big>Hook</big>\"]}]}", NULL);
  g_autoptr(JsonNode) file = json_from_string ("{\"name\": \"<span>hostile</span>.exe\","
                                               " \"size\": 1}", NULL);
  const char *raw[] = { "<b>i386</b>", "<u>odd</u> header", "<s>.text</s>", "<i>evil</i>.dll",
                        "<big>Hook</big>", NULL };
  SpSampleView *view;
  GtkWidget *headers;
  GtkWidget *overview;
  GtkLabel *label;

  g_assert_nonnull (pe);
  sp_report_set_origin (report, SP_REPORT_ORIGIN_FILE);
  sp_report_set_section (report, "pe", json_node_get_object (pe));
  sp_report_set_section (report, "file", json_node_get_object (file));
  view = sp_window_open_report (window, report);
  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_cmpstr (sp_sample_view_get_title (view), ==, "<span>hostile</span>.exe");

  headers = sp_sample_view_get_page (view, "headers");
  sp_sample_view_show_page (view, "headers");
  draw (GTK_WIDGET (window));
  /* Expand the DLL row so its function rows are built and shown. */
  {
    g_autoptr(GPtrArray) expanders = g_ptr_array_new ();

    find_widgets_of_type (headers, ADW_TYPE_EXPANDER_ROW, expanders);
    g_assert_cmpuint (expanders->len, ==, 1);
    adw_expander_row_set_expanded (g_ptr_array_index (expanders, 0), TRUE);
    draw (GTK_WIDGET (window));
  }
  for (guint i = 0; raw[i] != NULL; i++)
    {
      label = find_label_with_text (headers, raw[i]);
      if (label == NULL)
        g_error ("“%s” is not shown literally on the headers page", raw[i]);
    }
  g_assert_nonnull (find_label_with_text (headers, "Note: <tt>x</tt> · Functions: 1"));

  /* The writable and executable section is flagged in the overview's table. */
  overview = sp_sample_view_get_page (view, "overview");
  label = find_label_with_text (overview, "<s>.text</s>");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "sp-wx"));
  label = find_label_with_text (overview, ".data");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), "sp-wx"));
  g_assert_nonnull (find_label_with_text (overview, "0x1000"));
  destroy_window (window);
}

/* Writable+executable sections, in each shape the PE and ELF parsers write. */
static void
test_wx_detection (void)
{
  static const struct
  {
    const char *json;
    gboolean    wx;
  } cases[] = {
    { "{\"flags\": \"WAX\"}", TRUE },                          /* ELF section */
    { "{\"flags\": \"WA\"}", FALSE },
    { "{\"flags\": \"AX\"}", FALSE },
    { "{\"flags\": \"WAE\"}", FALSE },                         /* E = exclude in sections */
    { "{\"flags\": \"RWE\", \"memory_size\": 16}", TRUE },     /* ELF segment */
    { "{\"flags\": \"R E\", \"memory_size\": 16}", FALSE },
    { "{\"flags\": [\"code\", \"execute\", \"read\"]}", FALSE }, /* PE */
    { "{\"flags\": [\"initialized-data\", \"read\", \"write\", \"execute\"]}", TRUE },
    { "{\"writable\": true, \"executable\": true}", TRUE },
    { "{\"writable\": true, \"executable\": false}", FALSE },
    { "{\"name\": \".text\", \"characteristics\": 3758096416}", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);

      g_assert_nonnull (node);
      if (sp_json_section_is_wx (json_node_get_object (node)) != cases[i].wx)
        g_error ("W+X detection is wrong for %s", cases[i].json);
    }
}

static const char *
demo_exe_path (void)
{
  static char *path;

  if (path == NULL)
    path = g_test_build_filename (G_TEST_DIST, "..", "samples", "demo.exe", NULL);
  return path;
}

static void
test_headers_and_screenshots (void)
{
  /* The size of the screenshots in data/screenshots. */
  SpWindow *window = new_window_sized (1200, 860);
  SpSampleView *view = open_path_and_wait (window, demo_exe_path ());
  const char *pages[] = { "overview", "hashes", "strings", "indicators", "headers", "image" };
  SpHeadersPage *headers;

  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  headers = SP_HEADERS_PAGE (sp_sample_view_get_page (view, "headers"));
  g_assert_cmpstr (sp_headers_page_get_format (headers), ==, "pe");
  g_assert_true (adw_view_stack_page_get_visible (
                   adw_view_stack_get_page (sp_sample_view_get_view_stack (view),
                                            GTK_WIDGET (headers))));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("gui-%s", pages[i]);
      g_autofree char *shot = NULL;

      if (sp_sample_view_get_page (view, pages[i]) == NULL)
        continue;
      sp_sample_view_show_page (view, pages[i]);
      if (g_str_equal (pages[i], "strings"))
        {
          /* Show the filter at work, as data/screenshots/strings.png does. */
          SpStringsPage *strings = SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings"));

          sp_strings_page_set_search (strings, "https?://|\\.dll|Process|Software\\\\", TRUE);
          g_assert_true (wait_for (strings_filter_done, strings));
          g_assert_cmpuint (g_list_model_get_n_items (sp_strings_page_get_visible_model (strings)),
                            >, 5);
        }
      shot = save_screenshot (window, name);
      assert_png (shot, 400);
    }
  /* The entropy plot and every label follow the dark style too. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  sp_sample_view_show_page (view, "overview");
  settle (500);
  {
    g_autofree char *shot = save_screenshot (window, "gui-overview-dark");

    assert_png (shot, 400);
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  destroy_window (window);
}

static void
test_image_page (void)
{
  SpWindow *window = new_window ();
  g_autofree char *bmp = g_test_build_filename (G_TEST_DIST, "..", "samples", "demo.bmp", NULL);
  SpSampleView *view = open_path_and_wait (window, bmp);
  SpHeadersPage *headers;

  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_nonnull (sp_report_get_section (sp_sample_view_get_report (view), "image"));
  headers = SP_HEADERS_PAGE (sp_sample_view_get_page (view, "headers"));
  g_assert_cmpstr (sp_headers_page_get_format (headers), ==, "bmp");
#ifdef HAVE_SP_IMAGE_PAGE
  g_assert_nonnull (sp_sample_view_get_page (view, "image"));
  sp_sample_view_show_page (view, "image");
  /* The page decodes in a helper process; give it a moment before the picture. */
  settle (1500);
  {
    g_autofree char *shot = save_screenshot (window, "gui-image");

    assert_png (shot, 400);
  }
#else
  g_assert_null (sp_sample_view_get_page (view, "image"));
#endif
  destroy_window (window);
}

/* Ctrl+E opens the export dialog for the current tab's report. */
static void
test_export_action (void)
{
  SpWindow *window = new_window ();
  SpSampleView *view = open_path_and_wait (window, sample_path);
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *dialog = NULL;

  g_assert_cmpint (sp_sample_view_get_state (view), ==, SP_SAMPLE_VIEW_DONE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  draw (GTK_WIDGET (window));
#ifdef HAVE_SP_EXPORT_DIALOG
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (SP_IS_EXPORT_DIALOG (toplevel))
        dialog = toplevel;
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  gtk_window_destroy (dialog);
#else
  (void) toplevels;
  (void) dialog;
  g_assert_cmpstr (sp_window_get_last_toast (window), ==,
                   "This build of Specimen cannot export reports.");
#endif
  destroy_window (window);
}

/* Filtering a large table runs in slices: the main loop keeps turning meanwhile. */
static void
test_strings_filter_responsive (void)
{
  SpWindow *window = new_window ();
  g_autofree char *path = g_build_filename (tmp_dir, "many-rows.bin", NULL);
  g_autoptr(GString) data = g_string_new (NULL);
  SpSampleView *view;
  SpStringsPage *strings;
  GListModel *model;
  gint64 longest = 0;
  guint iterations = 0;
  gint64 deadline;

  for (guint i = 0; i < 300000; i++)
    {
      g_string_append_printf (data, "line %06u", i);
      g_string_append_c (data, '\0');
    }
  g_assert_true (g_file_set_contents (path, data->str, data->len, NULL));
  view = open_path_and_wait (window, path);
  strings = SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings"));
  model = sp_strings_page_get_visible_model (strings);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 300000);
  sp_sample_view_show_page (view, "strings");

  sp_strings_page_set_search (strings, "LINE 12345", FALSE);
  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (sp_strings_page_get_filter_pending (strings) && g_get_monotonic_time () < deadline)
    {
      gint64 before = g_get_monotonic_time ();

      g_main_context_iteration (NULL, TRUE);
      longest = MAX (longest, g_get_monotonic_time () - before);
      iterations++;
    }
  g_test_message ("filter: %u main loop iterations, the longest %" G_GINT64_FORMAT " ms",
                  iterations, longest / 1000);
  g_assert_false (sp_strings_page_get_filter_pending (strings));
  g_assert_cmpuint (iterations, >, 1);
  g_assert_cmpint (longest, <, 1000 * G_TIME_SPAN_MILLISECOND);
  /* "line 123450" … "line 123459", found case-insensitively. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);

  g_unlink (path);
  destroy_window (window);
}

typedef struct
{
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
read_clipboard (GtkWidget *widget)
{
  ClipboardRead read = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_read,
                                 &read);
  g_assert_true (wait_for (clipboard_read_done, &read));
  return read.text;
}

/* Shortcuts' actions and the copy buttons. */
static void
test_keyboard_and_clipboard (void)
{
  SpWindow *window = new_window ();
  g_autofree char *second = g_build_filename (tmp_dir, "keyboard.txt", NULL);
  const char *paths[3] = { sample_path, second, NULL };
  AdwTabView *tab_view = sp_window_get_tab_view (window);
  SpSampleView *view;
  GtkWidget *strings;
  GtkWidget *indicators;
  GtkSelectionModel *selection;
  GtkWidget *focus;
  g_autofree char *copied = NULL;
  g_autofree char *defanged = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sha256 = sha256_of_file (sample_path);

  g_assert_true (g_file_set_contents (second, "second tab\n", -1, NULL));
  open_paths_and_wait (window, paths);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  adw_tab_view_set_selected_page (tab_view, adw_tab_view_get_nth_page (tab_view, 0));

  /* Ctrl+PgDn / Ctrl+PgUp wrap around. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-tab", NULL));
  g_assert_cmpstr (sp_sample_view_get_title (sp_window_get_current_view (window)), ==,
                   "keyboard.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-tab", NULL));
  g_assert_cmpstr (sp_sample_view_get_title (sp_window_get_current_view (window)), ==,
                   "sample.bin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-tab", NULL));
  g_assert_cmpstr (sp_sample_view_get_title (sp_window_get_current_view (window)), ==,
                   "keyboard.txt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-tab", NULL));
  view = sp_window_get_current_view (window);
  g_assert_cmpstr (sp_sample_view_get_title (view), ==, "sample.bin");

  /* Ctrl+F shows the strings page and focuses its search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL));
  draw (GTK_WIDGET (window));
  strings = sp_sample_view_get_page (view, "strings");
  g_assert_true (adw_view_stack_get_visible_child (sp_sample_view_get_view_stack (view)) == strings);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, strings));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  /* Copy the first two string rows. */
  {
    g_autoptr(GPtrArray) views = g_ptr_array_new ();

    find_widgets_of_type (strings, GTK_TYPE_COLUMN_VIEW, views);
    g_assert_cmpuint (views->len, ==, 1);
    selection = gtk_column_view_get_model (g_ptr_array_index (views, 0));
  }
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (strings, "strings.copy", NULL));
  copied = read_clipboard (strings);
  g_assert_cmpstr (copied, ==,
                   "0x00000004\tASCII\t38\tThis program cannot be run in DOS mode\n"
                   "0x0000002e\tASCII\t40\t" URL_STRING "\n");

  /* Copy an indicator defanged. */
  indicators = sp_sample_view_get_page (view, "indicators");
  sp_indicators_page_set_category (SP_INDICATORS_PAGE (indicators), SP_IOC_URL);
  {
    g_autoptr(GPtrArray) views = g_ptr_array_new ();

    find_widgets_of_type (indicators, GTK_TYPE_COLUMN_VIEW, views);
    selection = gtk_column_view_get_model (g_ptr_array_index (views, 0));
  }
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (indicators, "indicators.copy", "b", TRUE));
  defanged = read_clipboard (indicators);
  g_assert_cmpstr (defanged, ==, "hxxp://update-check[.]badsite[.]com/gate.php\n");

  /* The SHA-256 copy button copies exactly the digest. */
  {
    GtkWidget *hashes = sp_sample_view_get_page (view, "hashes");
    GtkLabel *label = sp_hashes_page_get_value_label (SP_HASHES_PAGE (hashes), SP_DIGEST_SHA256);
    GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_LIST_BOX_ROW);
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    find_widgets_of_type (row, GTK_TYPE_BUTTON, buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    gtk_test_accessible_assert_property (g_ptr_array_index (buttons, 0),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy SHA-256");
    g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
    hash = read_clipboard (hashes);
    g_assert_cmpstr (hash, ==, sha256);
  }

  /* Ctrl+W closes the current tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);

  g_unlink (second);
  destroy_window (window);
}

typedef struct
{
  gboolean done;
  gint64   written;
  GError  *error;
} ExportResult;

static void
on_strings_exported (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ExportResult *export = user_data;

  export->written = sp_strings_page_export_finish (SP_STRINGS_PAGE (source), result,
                                                   &export->error);
  export->done = TRUE;
}

static void
on_indicators_exported (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ExportResult *export = user_data;

  export->written = sp_indicators_page_export_finish (SP_INDICATORS_PAGE (source), result,
                                                      &export->error);
  export->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportResult *) data)->done;
}

/* Export writes the rows the filter keeps, in a worker; copy and CSV of indicators. */
static void
test_exports (void)
{
  SpWindow *window = new_window ();
  SpSampleView *view = open_path_and_wait (window, sample_path);
  SpStringsPage *strings = SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings"));
  SpIndicatorsPage *indicators = SP_INDICATORS_PAGE (sp_sample_view_get_page (view, "indicators"));
  g_autofree char *txt_path = g_build_filename (tmp_dir, "strings.txt", NULL);
  g_autofree char *csv_path = g_build_filename (tmp_dir, "strings.csv", NULL);
  g_autoptr(GFile) txt = g_file_new_for_path (txt_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *json_path = g_build_filename (tmp_dir, "indicators.json", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autofree char *missing_path = g_build_filename (tmp_dir, "no-such-dir", "iocs.csv", NULL);
  g_autoptr(GFile) missing_dir_file = g_file_new_for_path (missing_path);
  g_autofree char *contents = NULL;
  g_autofree char *iocs_csv = NULL;
  g_autofree char *iocs_json = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  GListModel *model;
  ExportResult export = { 0 };

  sp_strings_page_set_search (strings, "evil", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));
  sp_strings_page_export_async (strings, txt, FALSE, NULL, on_strings_exported, &export);
  g_assert_true (wait_for (export_done, &export));
  g_assert_no_error (export.error);
  g_assert_cmpint (export.written, ==, 3);
  g_assert_true (g_file_get_contents (txt_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "plain evil words\nEVIL IN CAPITALS\nWide evil string\n");
  g_clear_pointer (&contents, g_free);

  /* CSV quotes what needs quoting; the markup string has quotes. */
  sp_strings_page_set_search (strings, "MARKUP", FALSE);
  g_assert_true (wait_for (strings_filter_done, strings));
  export = (ExportResult) { 0 };
  sp_strings_page_export_async (strings, csv, TRUE, NULL, on_strings_exported, &export);
  g_assert_true (wait_for (export_done, &export));
  g_assert_no_error (export.error);
  g_assert_cmpint (export.written, ==, 1);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "offset,encoding,length,text");
  g_assert_true (g_str_has_suffix (lines[1],
                                   ",ascii,36,\"<span foreground=\"\"red\"\">MARKUP</span>\""));
  g_assert_cmpstr (lines[2], ==, "");

  /* Indicators: one CSV line per row plus a header; the JSON parses back. */
  iocs_csv = sp_indicators_page_dup_csv (indicators);
  g_strfreev (lines);
  lines = g_strsplit (iocs_csv, "\n", -1);
  model = sp_indicators_page_get_visible_model (indicators);
  g_assert_cmpuint (g_strv_length (lines), ==, g_list_model_get_n_items (model) + 2);
  g_assert_nonnull (strstr (iocs_csv, "hxxp://update-check[.]badsite[.]com/gate.php"));
  iocs_json = sp_indicators_page_dup_json (indicators);
  parsed = json_from_string (iocs_json, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (parsed)), ==,
                    g_list_model_get_n_items (model));

  /* Saved in a worker, the file holds exactly those bytes. */
  export = (ExportResult) { 0 };
  sp_indicators_page_export_async (indicators, json_file, TRUE, NULL, on_indicators_exported,
                                   &export);
  g_assert_true (wait_for (export_done, &export));
  g_assert_no_error (export.error);
  g_assert_cmpint (export.written, ==, TRUE);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, iocs_json);

  /* A failed save says why and creates nothing. */
  export = (ExportResult) { 0 };
  sp_indicators_page_export_async (indicators, missing_dir_file, FALSE, NULL,
                                   on_indicators_exported, &export);
  g_assert_true (wait_for (export_done, &export));
  g_assert_error (export.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (export.written);
  g_assert_false (g_file_query_exists (missing_dir_file, NULL));
  g_clear_error (&export.error);

  /* A cancelled strings export leaves the previous file as it was. */
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();

    g_cancellable_cancel (cancelled);
    export = (ExportResult) { 0 };
    sp_strings_page_export_async (strings, json_file, FALSE, cancelled, on_strings_exported,
                                  &export);
    g_assert_true (wait_for (export_done, &export));
    g_assert_error (export.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&export.error);
    g_clear_pointer (&contents, g_free);
    g_assert_true (g_file_get_contents (json_path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, iocs_json);
  }

  g_unlink (txt_path);
  g_unlink (csv_path);
  g_unlink (json_path);
  destroy_window (window);
}

/* CSV cells that a spreadsheet would run as formulas get a leading apostrophe
 * (the core's sp_csv_escape_cell), quoted only when RFC 4180 needs it. Offsets
 * are known: each string follows a 4-byte separator. */
static void
test_export_csv_defused (void)
{
  static const guint8 sample[] =
    "\x00\x01\xff\x00" "=cmd|' /C calc'!A0"
    "\x00\x01\xff\x00" "+49 30 1234567"
    "\x00\x01\xff\x00" "@SUM(A1:A9),x"
    "\x00\x01\xff\x00";
  g_autofree char *path = g_build_filename (tmp_dir, "formulas.bin", NULL);
  g_autofree char *csv_path = g_build_filename (tmp_dir, "formulas.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  ExportResult export = { 0 };
  SpWindow *window;
  SpSampleView *view;

  g_assert_true (g_file_set_contents (path, (const char *) sample, sizeof sample - 1, NULL));
  window = new_window ();
  view = open_path_and_wait (window, path);
  sp_strings_page_export_async (SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings")), csv,
                                TRUE, NULL, on_strings_exported, &export);
  g_assert_true (wait_for (export_done, &export));
  g_assert_no_error (export.error);
  g_assert_cmpint (export.written, ==, 3);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "offset,encoding,length,text\n"
                   "0x00000004,ascii,18,'=cmd|' /C calc'!A0\n"
                   "0x0000001a,ascii,14,'+49 30 1234567\n"
                   "0x0000002c,ascii,13,\"'@SUM(A1:A9),x\"\n");

  g_unlink (path);
  g_unlink (csv_path);
  destroy_window (window);
}

static gboolean
chooser_has_folder (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (data));

  return folder != NULL;
}

typedef struct
{
  gboolean  called;
  gboolean  freed;
  GFile    *file;
} Chosen;

static void
on_file_chosen (GFile    *file,
                gpointer  user_data)
{
  Chosen *chosen = user_data;

  g_assert_false (chosen->called);
  chosen->called = TRUE;
  g_set_object (&chosen->file, file);
}

static void
chosen_free (gpointer user_data)
{
  ((Chosen *) user_data)->freed = TRUE;
}

static gboolean
chosen_freed (gpointer data)
{
  return ((Chosen *) data)->freed;
}

/* sp_choose_save_file shows a modal chooser for the widget's window with one
 * filter and the default name; the callback runs once (with the file, or
 * NULL on cancel) and the data goes with the chooser, also when the owner
 * destroys the chooser first. */
static void
test_save_chooser (void)
{
  SpWindow *window;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  g_autofree char *basename = NULL;
  GtkFileChooserNative *native;
  GtkWidget *chooser = NULL;
  Chosen chosen = { 0 };

  if (skip_file_chooser ())
    return;

  window = new_window ();
  native = sp_choose_save_file (GTK_WIDGET (window), "Save Things", "_Export", "CSV files", "csv",
                                "things.csv", on_file_chosen, &chosen, chosen_free);
  g_assert_true (GTK_IS_FILE_CHOOSER_NATIVE (native));
  g_assert_true (wait_for (file_chooser_shown, &chooser));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Save Things");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (chooser)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (chooser)) == GTK_WINDOW (window));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "things.csv");
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 1);
  filter = g_list_model_get_item (filters, 0);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "CSV files");
  /* Accept only answers once the chooser has loaded its start folder. */
  g_assert_true (wait_for (chooser_has_folder, chooser));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (wait_for (chosen_freed, &chosen));
  g_assert_true (chosen.called);
  g_assert_nonnull (chosen.file);
  basename = g_file_get_basename (chosen.file);
  g_assert_cmpstr (basename, ==, "things.csv");
  g_assert_true (wait_for (file_chooser_gone, NULL));
  g_clear_object (&chosen.file);

  chosen = (Chosen) { 0 };
  sp_choose_save_file (GTK_WIDGET (window), "Save Things", "_Export", "CSV files", "csv",
                       "things.csv", on_file_chosen, &chosen, chosen_free);
  g_assert_true (wait_for (file_chooser_shown, &chooser));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (wait_for (chosen_freed, &chosen));
  g_assert_true (chosen.called);
  g_assert_null (chosen.file);

  chosen = (Chosen) { 0 };
  native = sp_choose_save_file (GTK_WIDGET (window), "Save Things", "_Export", "CSV files", "csv",
                                "things.csv", on_file_chosen, &chosen, chosen_free);
  g_assert_true (wait_for (file_chooser_shown, &chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_assert_true (chosen.freed);
  g_assert_false (chosen.called);
  g_assert_true (wait_for (file_chooser_gone, NULL));

  destroy_window (window);
}

typedef struct
{
  const char *page;
  const char *action;
  const char *format;
  const char *title;
  const char *name;
  const char *filter;
} ChooserCase;

/* Each page's Export action shows the chooser of its format. */
static void
test_export_choosers (void)
{
  const ChooserCase cases[] = {
    { "strings", "strings.export", "csv", "Export Strings as CSV", "strings.csv", "CSV files" },
    { "strings", "strings.export", "text", "Export Strings as Text", "strings.txt", "Text files" },
    { "indicators", "indicators.export", "csv", "Export Indicators as CSV", "indicators.csv",
      "CSV files" },
    { "indicators", "indicators.export", "json", "Export Indicators as JSON", "indicators.json",
      "JSON files" },
  };
  SpWindow *window;
  SpSampleView *view;

  if (skip_file_chooser ())
    return;

  window = new_window ();
  view = open_path_and_wait (window, sample_path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) filters = NULL;
      g_autoptr(GtkFileFilter) filter = NULL;
      g_autofree char *name = NULL;
      GtkWidget *chooser = NULL;

      g_assert_true (gtk_widget_activate_action (sp_sample_view_get_page (view, cases[i].page),
                                                 cases[i].action, "s", cases[i].format));
      g_assert_true (wait_for (file_chooser_shown, &chooser));
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, cases[i].title);
      name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
      g_assert_cmpstr (name, ==, cases[i].name);
      filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
      filter = g_list_model_get_item (filters, 0);
      g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, cases[i].filter);
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
      g_assert_true (wait_for (file_chooser_gone, NULL));
    }

  destroy_window (window);
}

/* "Maximum rows shown" caps the table, and the extraction settings reach new analyses. */
static void
test_preferences_apply (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *many_path = g_build_filename (tmp_dir, "many-strings.bin", NULL);
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GPtrArray) oracle = NULL;
  g_autoptr(GPtrArray) wide = NULL;
  SpWindow *window;
  SpSampleView *view;
  GListModel *model;
  GtkWidget *preferences = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < 1500; i++)
    {
      g_string_append_printf (many, "string number %04u", i);
      g_string_append_c (many, '\0');
    }
  g_assert_true (g_file_set_contents (many_path, many->str, many->len, NULL));

  window = new_window ();
  g_settings_set_uint (settings, "max-rows-shown", 1000);
  view = open_path_and_wait (window, many_path);
  model = sp_strings_page_get_visible_model (
    SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_settings_set_uint (settings, "max-rows-shown", 2000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1500);

  /* The Preferences window edits the same keys. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  draw (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && preferences == NULL; i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (toplevel))
        preferences = toplevel;
    }
  g_assert_nonnull (preferences);
  {
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();

    find_widgets_of_type (preferences, GTK_TYPE_SPIN_BUTTON, spins);
    g_assert_cmpuint (spins->len, ==, 2);
    gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 20);
    g_assert_cmpuint (g_settings_get_uint (settings, "min-string-length"), ==, 20);
  }
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* A file opened now is scanned with the new minimum: compare with `strings -n 20`. */
  oracle = oracle_strings (sample_path, "s", 20);
  wide = oracle_strings (sample_path, "l", 20);
  view = open_path_and_wait (window, sample_path);
  model = sp_strings_page_get_visible_model (
    SP_STRINGS_PAGE (sp_sample_view_get_page (view, "strings")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, oracle->len + wide->len);
  g_assert_cmpuint (oracle->len + wide->len, ==, 4);

  g_settings_reset (settings, "max-rows-shown");
  g_settings_reset (settings, "min-string-length");
  g_unlink (many_path);
  destroy_window (window);
}

static void
test_settings_and_shortcuts (void)
{
  SpWindow *window = new_window ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.open");
  gpointer weak = window;

  g_assert_cmpstr (accels[0], ==, "<Control>o");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));

  /* The window size is remembered when it closes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 937, 655);
  draw (GTK_WIDGET (window));
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (pointer_is_null, &weak));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 937);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 655);

  /* Colour scheme follows the preference. */
  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_reset (settings, "color-scheme");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* Screenshots must show the page switched to, not a crossfade half-way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = sp_application_new ();
  /* Tests run without a session bus: no uniqueness, same code otherwise. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app))
                           | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* Keep the application alive with no window open between tests. */
  g_application_hold (G_APPLICATION (app));

  tmp_dir = g_dir_make_tmp ("specimen-gui-XXXXXX", &error);
  g_assert_no_error (error);
  sample_path = write_sample ();

  g_test_add_func ("/specimen/gui/empty-state", test_empty_state);
  g_test_add_func ("/specimen/gui/sample-pages", test_sample_pages);
  g_test_add_func ("/specimen/gui/accessibility", test_accessibility);
  g_test_add_func ("/specimen/gui/concurrent-and-close", test_concurrent_and_close);
  g_test_add_func ("/specimen/gui/cancel-and-retry", test_cancel_and_retry);
  g_test_add_func ("/specimen/gui/drop", test_drop);
  g_test_add_func ("/specimen/gui/folder-and-errors", test_folder_and_errors);
  g_test_add_func ("/specimen/gui/markup-file-name", test_markup_file_name);
  g_test_add_func ("/specimen/gui/reports", test_reports);
  g_test_add_func ("/specimen/gui/hostile-report", test_hostile_report);
  g_test_add_func ("/specimen/gui/wx-detection", test_wx_detection);
  g_test_add_func ("/specimen/gui/headers-and-screenshots", test_headers_and_screenshots);
  g_test_add_func ("/specimen/gui/image-page", test_image_page);
  g_test_add_func ("/specimen/gui/export-action", test_export_action);
  g_test_add_func ("/specimen/gui/keyboard-and-clipboard", test_keyboard_and_clipboard);
  g_test_add_func ("/specimen/gui/strings-filter-responsive", test_strings_filter_responsive);
  g_test_add_func ("/specimen/gui/exports", test_exports);
  g_test_add_func ("/specimen/gui/export-csv-defused", test_export_csv_defused);
  g_test_add_func ("/specimen/gui/save-chooser", test_save_chooser);
  g_test_add_func ("/specimen/gui/export-choosers", test_export_choosers);
  g_test_add_func ("/specimen/gui/preferences-apply", test_preferences_apply);
  g_test_add_func ("/specimen/gui/settings-and-shortcuts", test_settings_and_shortcuts);
  status = g_test_run ();

  g_unlink (sample_path);
  g_rmdir (tmp_dir);
  g_free (sample_path);
  g_free (tmp_dir);
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
