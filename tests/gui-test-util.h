/* gui-test-util.h: file-chooser helpers shared by the GUI tests */
#pragma once

#include <gtk/gtk.h>

/* GTK 4.8's file chooser dialog leaks under LeakSanitizer (tree paths of its
 * list, libcloudproviders in its sidebar); none of it is Specimen's, so the
 * tests that show one are skipped in sanitizer builds. */
#if defined(__SANITIZE_ADDRESS__)
#define SHOWS_LEAKY_CHOOSER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHOWS_LEAKY_CHOOSER 1
#endif
#endif

static inline gboolean
skip_file_chooser (void)
{
#ifdef SHOWS_LEAKY_CHOOSER
  g_test_skip ("GTK 4.8's file chooser dialog leaks under LeakSanitizer");
  return TRUE;
#else
  return FALSE;
#endif
}

/* The fallback GtkFileChooserDialog that a GtkFileChooserNative shows without a portal. */
static inline GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }
  return NULL;
}

/* For a wait loop: stores the visible chooser in *(GtkWidget **) @data. */
static inline gboolean
file_chooser_shown (gpointer data)
{
  return (*(GtkWidget **) data = find_file_chooser ()) != NULL;
}

static inline gboolean
file_chooser_gone (gpointer data)
{
  return find_file_chooser () == NULL;
}
